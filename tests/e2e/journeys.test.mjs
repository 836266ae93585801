// Journeys through Polyphony in English and in French, checking every page type
// on the way (axe-core, no script, weight, screenshots), then the Nu Html Checker
// over all of them at once. To check a new page type, reach it and add
//   await check(t, 'name');
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, BASE_URL, DEMO_PARTICIPANT, VIEWPORTS, checkPage, launchBrowser, openPage, pressAndLoad, signIn, tabTo, typeInto, validateHtml, visit,
  waitForMail,
} from './lib.mjs';

const TEXT = {
  en: {
    checkEmail: 'Check your e-mail',
    verified: 'Your e-mail address is confirmed',
    notFound: 'Page not found',
    problem: 'There is a problem',
    account: 'Your account',
    admin: 'Dashboard',
    review: 'Check your answers before submitting',
    received: 'Submission received',
    errorPrefix: 'Error:',
    signOut: 'Sign out',
    article1: 'This Protocol strengthens the implementation of the Convention',
    // Realistic worst cases for a phone's width: a long organization name.
    user: {
      name: 'Ada Participant', group: 'Civil society', country: 'Kenya',
      organization: 'International Coalition of Civil Society Organizations for the Diversity of Cultural Expressions in the Digital Environment',
    },
  },
  fr: {
    checkEmail: 'Consultez vos courriels',
    verified: 'Votre adresse électronique est confirmée',
    notFound: 'Page introuvable',
    problem: 'Il y a un problème',
    account: 'Votre compte',
    admin: 'Tableau de bord',
    review: 'Vérifiez vos réponses avant de soumettre',
    received: 'Soumission reçue',
    errorPrefix: 'Erreur :',
    signOut: 'Se déconnecter',
    article1: 'Le présent Protocole renforce la mise en œuvre de la Convention',
    user: {
      name: 'Amélie Participante', group: 'Société civile', country: 'France',
      organization: 'Coalition internationale des organisations de la société civile pour la diversité des expressions culturelles numériques',
    },
  },
};

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const h1 = (page) => page.locator('h1').innerText();

/** A one-page PDF showing `text` (ASCII), with a correct cross-reference table. */
function tinyPdf(text) {
  const content = `BT /F1 24 Tf 72 700 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Tabs to a <select> and types the start of an option's label (the browser's
 * type-ahead). Only the leading ASCII letters are typed: Playwright sends other
 * characters (é) as inserted text, which a <select> does not take.
 */
async function chooseWithKeyboard(page, selector, label) {
  await tabTo(page, selector);
  await page.keyboard.type(label.match(/^[A-Za-z]+/)[0]);
  const chosen = await page.$eval(selector, (s) => s.selectedOptions[0]?.textContent.trim());
  assert.equal(chosen, label, `typing "${label}" in ${selector} chose "${chosen}"`);
}

/** Signs in through the form with the keyboard only; lands on `/`. */
for (const lang of ['en', 'fr']) {
  const text = TEXT[lang];
  const user = {
    ...text.user,
    // 64 characters, the longest address people commonly have.
    email: `e2e-${lang}-${process.pid}-`.padEnd(64 - '@example.org'.length, 'x') + '@example.org',
    password: 'violet harbour lantern 42',
  };

  describe(`journeys in ${lang}`, () => {
    let context;
    let page;
    const check = (t, name) => checkPage(t, page, name, lang);
    before(async () => {
      ({ context, page } = await openPage(browser));
    });
    after(async () => {
      await context?.close();
    });

    test('public pages: home, consultation, round, 404', async (t) => {
      await visit(page, `/?lang=${lang}`);
      await check(t, 'home');
      // The language is remembered from here on, without ?lang=.
      await visit(page, '/consultations/additional-protocol');
      await check(t, 'consultation');
      await visit(page, '/consultations/additional-protocol/rounds/1');
      await check(t, 'round');
      // The demo's provisions are translated: a French reader reads them in
      // French, marked lang="fr", with a link to the English original.
      const article1 = page.locator('#art-1');
      assert.equal(await article1.locator('h3 > span').getAttribute('lang'), lang);
      assert.equal(await article1.locator('.prose').getAttribute('lang'), lang);
      assert.ok((await article1.locator('.prose').innerText()).startsWith(text.article1), 'article 1 in the reader\'s language');
      const toOriginal = page.locator('.translation-note a[hreflang="en"]');
      if (lang === 'fr') {
        assert.equal(await toOriginal.innerText(), 'Lire l’original en anglais');
        await toOriginal.click();
        await page.waitForURL(/original=1/);
        assert.equal(await article1.locator('.prose').getAttribute('lang'), 'en');
        assert.ok((await article1.locator('.prose').innerText()).startsWith(TEXT.en.article1));
        await check(t, 'round-original');
      } else {
        assert.equal(await page.locator('.translation-note').count(), 0, 'nothing to translate for an English reader');
      }
      await visit(page, '/no-such-page', 404);
      assert.equal(await h1(page), text.notFound);
      await check(t, '404');
    });

    test('registration with errors: a focused summary linking to each field', async (t) => {
      await visit(page, '/register');
      await check(t, 'register');
      await typeInto(page, '#email', 'not-an-address');
      const response = await pressAndLoad(page);
      assert.equal(response.status(), 422);
      assert.ok((await page.title()).startsWith(text.errorPrefix), `title: ${await page.title()}`);
      const summary = page.locator('.error-summary');
      assert.ok(await summary.isVisible(), 'the error summary is visible');
      assert.equal(await summary.locator('h2').innerText(), text.problem);
      assert.ok(
        await page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
        'the error summary has focus',
      );
      assert.equal(await page.inputValue('#email'), 'not-an-address', 'what was typed is kept');
      const targets = await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.ok(targets.length >= 3, `links in the summary: ${targets}`);
      for (const href of targets) {
        assert.match(href, /^#[a-z_]+$/);
        const field = page.locator(`form ${href}`);
        assert.equal(await field.count(), 1, `${href} names one field of the form`);
        assert.equal(await field.getAttribute('aria-invalid'), 'true', `${href} is marked invalid`);
        assert.ok(await page.locator(`${href}-error`).isVisible(), `${href} has its message next to it`);
      }
      // Following the first link with the keyboard moves focus to its field.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), targets[0]);
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => document.activeElement?.id === id, targets[0].slice(1));
      await check(t, 'register-errors');
    });

    test('registration with the keyboard only, then e-mail verification', async (t) => {
      await visit(page, '/register');
      await typeInto(page, '#email', user.email);
      await typeInto(page, '#password', user.password);
      await typeInto(page, '#display_name', user.name);
      await chooseWithKeyboard(page, '#stakeholder_group', user.group);
      await typeInto(page, '#organization', user.organization);
      await chooseWithKeyboard(page, '#country', user.country);
      assert.equal(await page.inputValue('#locale'), lang, 'the language field starts on the page language');
      await tabTo(page, 'form[action="/register"] button[type="submit"]');
      assert.equal((await pressAndLoad(page)).status(), 200);
      assert.equal(await h1(page), text.checkEmail);
      await check(t, 'check-email');

      const [link] = await waitForMail(user.email, /https?:\/\/[^\s"<>]+\/verify\/[A-Za-z0-9_-]+/);
      assert.ok(link.startsWith(BASE_URL), `the link points to the app: ${link}`);
      await visit(page, link.slice(BASE_URL.length));
      assert.equal(await h1(page), text.verified);
      await check(t, 'verified');
    });

    test('sign in and the account page', async (t) => {
      await tabTo(page, 'header a[href="/login"]');
      await pressAndLoad(page);
      assert.equal(page.url(), `${BASE_URL}/login`);
      await check(t, 'login');
      await signIn(page, user.email, user.password);
      assert.equal(await page.locator('header button[type="submit"]').innerText(), text.signOut);
      await visit(page, '/account');
      assert.equal(await h1(page), text.account);
      assert.ok((await page.locator('dl.facts').innerText()).includes(user.email));
      assert.equal(await page.inputValue('#display_name'), user.name);
      await check(t, 'account');
    });

    test('positions submitted with the keyboard only, reviewed, then a receipt', async (t) => {
      await visit(page, '/consultations/additional-protocol/rounds/1');
      await check(t, 'round-form');
      await tabTo(page, '#stance-art-1-support', 200);
      await page.keyboard.press('Space');
      await typeInto(page, '#comment-art-1', 'Clear and useful.');
      await tabTo(page, '#stance-art-2-support', 200);
      await page.keyboard.press('ArrowDown');
      assert.ok(await page.isChecked('#stance-art-2-support_with_changes'), 'arrow keys move within a stance group');
      // Reviewing without a disclosure choice: the form comes back in error.
      await tabTo(page, 'button[value="review"]', 400);
      assert.equal((await pressAndLoad(page)).status(), 422);
      await page.setViewportSize({ width: 360, height: 800 });
      const radio = await page.locator('#disclosure').boundingBox();
      const label = await page.locator('label[for="disclosure"]').boundingBox();
      await page.setViewportSize({ width: 1280, height: 900 });
      assert.ok(label.y < radio.y + radio.height && label.x > radio.x + radio.width,
        `the first disclosure label sits beside its radio in the error state: radio ${JSON.stringify(radio)}, label ${JSON.stringify(label)}`);
      assert.ok(await page.isChecked('#stance-art-2-support_with_changes'), 'the answers are kept');
      await check(t, 'round-form-errors');
      await tabTo(page, 'input[name="disclosure"]', 400);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.ok(await page.isChecked('#disclosure-anonymous'));
      await tabTo(page, 'button[value="review"]', 50);
      assert.equal((await pressAndLoad(page)).status(), 200);
      assert.equal(await h1(page), text.review);
      await check(t, 'review');
      await tabTo(page, 'button[value="submit"]', 100);
      assert.equal((await pressAndLoad(page)).status(), 200);
      assert.equal(await h1(page), text.received);
      assert.match(await page.locator('.receipt').first().innerText(), /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      await check(t, 'submitted');
      await visit(page, '/audit');
      await check(t, 'audit');
    });

    test('a position paper attached with the keyboard, listed, refused when disguised, then removed', async (t) => {
      await visit(page, '/consultations/additional-protocol/rounds/1');
      await tabTo(page, 'button[value="attachments"]', 400);
      assert.equal((await pressAndLoad(page)).status(), 200);
      assert.match(page.url(), /\/submission\/attachments$/);
      await check(t, 'attachments');
      // Headless Chromium now and then drops the chooser a key opens (the file
      // field focused, no event): the key is pressed again then.
      const choose = async () => {
        for (let tries = 1; ; tries++) {
          await tabTo(page, '#file');
          try {
            const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 5000 }), page.keyboard.press('Space')]);
            return chooser;
          } catch (e) {
            if (tries === 3) throw e;
          }
        }
      };
      const attach = async (file) => {
        const chooser = await choose();
        await chooser.setFiles(file);
        await tabTo(page, 'form[enctype] button[type="submit"]');
        return (await pressAndLoad(page)).status();
      };
      // A web page named .pdf comes back with the error next to the field.
      const html = { name: 'paper.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><title>x</title>') };
      assert.equal(await attach(html), 422);
      assert.ok(await page.locator('#file-error').isVisible(), 'the error sits next to the file field');
      await check(t, 'attachments-errors');
      assert.equal(await attach({ name: `Position-${lang}.pdf`, mimeType: 'application/pdf', buffer: tinyPdf('Position paper') }), 200);
      assert.equal(await page.locator('ul.attachments > li').count(), 1);
      assert.match(await page.locator('ul.attachments').innerText(), new RegExp(`Position-${lang}\\.pdf`));
      await tabTo(page, 'ul.attachments button[type="submit"]');
      assert.equal((await pressAndLoad(page)).status(), 200);
      assert.equal(await page.locator('ul.attachments > li').count(), 0, 'removed');
    });

    test('a long draft answered page by page with the keyboard only on a phone, then reviewed and submitted', async (t) => {
      const round = '/consultations/local-news-framework/rounds/1';
      await page.setViewportSize(VIEWPORTS[0]);
      try {
        await visit(page, round);
        await check(t, 'round-paged');
        assert.ok(await page.isVisible('.toc-pages a[aria-current="page"]'), 'the contents mark this page');
        await tabTo(page, '#stance-art-1-support', 300);
        await page.keyboard.press('Space');
        await typeInto(page, '#comment-art-1', 'Local news matters.');
        // The first save: "save and go to the next page".
        await tabTo(page, 'button[name="go"]', 200);
        assert.equal((await pressAndLoad(page)).status(), 200);
        assert.match(page.url(), /[?]page=part-2#submission$/);
        await tabTo(page, '#stance-art-9-support', 300);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        assert.ok(await page.isChecked('#stance-art-9-oppose'), 'arrow keys move within a stance group');
        // The second save stays on its page.
        await tabTo(page, 'button[value="save"]', 200);
        assert.equal((await pressAndLoad(page)).status(), 200);
        assert.match(page.url(), /[?]page=part-2#submission$/);
        assert.ok(await page.isChecked('#stance-art-9-oppose'), 'the second page keeps its answer');
        assert.match(await page.locator('.toc-pages a[href*="page=part-1"]').first().locator('..').innerText(), /1 (of|sur) 8/, 'the contents count the first page\'s answer');
        // To the last page through the contents, where the disclosure is.
        await tabTo(page, '.toc-pages a[href*="page=annex-i"]', 100);
        assert.equal((await pressAndLoad(page)).status(), 200);
        await tabTo(page, 'input[name="disclosure"]', 400);
        // A saved draft may already hold a choice: arrows cycle round the group.
        for (let i = 0; i < 4 && !(await page.isChecked('#disclosure-anonymous')); i++) {
          await page.keyboard.press('ArrowDown');
        }
        assert.ok(await page.isChecked('#disclosure-anonymous'));
        await tabTo(page, 'button[value="review"]', 50);
        assert.equal((await pressAndLoad(page)).status(), 200);
        assert.equal(await h1(page), text.review);
        const review = await page.locator('.review').innerText();
        assert.ok(review.includes('Local news matters.'), 'the first page\'s answer is reviewed');
        assert.ok(review.includes(lang === 'fr' ? 'Contre' : 'Oppose'), 'the second page\'s answer is reviewed');
        await check(t, 'review-paged');
        await tabTo(page, 'button[value="submit"]', 100);
        assert.equal((await pressAndLoad(page)).status(), 200);
        assert.equal(await h1(page), text.received);
      } finally {
        await page.setViewportSize(VIEWPORTS[1]);
      }
    });

    test('the admin signs in and opens the dashboard', async (t) => {
      const admin = await openPage(browser);
      try {
        await visit(admin.page, `/login?lang=${lang}`);
        await signIn(admin.page, ADMIN.email, ADMIN.password);
        // The admin's own language (English) wins over the cookie; ?lang= wins over both.
        await visit(admin.page, `/admin?lang=${lang}`);
        assert.equal(await h1(admin.page), text.admin);
        await checkPage(t, admin.page, 'admin', lang);
      } finally {
        await admin.context.close();
      }
    });
  });
}

test('the admin closes the round and publishes the report; a visitor reads it in both languages', async (t) => {
  const admin = await openPage(browser);
  try {
    await visit(admin.page, '/login?lang=en');
    await signIn(admin.page, ADMIN.email, ADMIN.password);
    await visit(admin.page, '/admin/consultations/additional-protocol');
    await checkPage(t, admin.page, 'manage', 'en');
    await visit(admin.page, '/admin/consultations/additional-protocol/drafts/new');
    await checkPage(t, admin.page, 'import', 'en');
    await visit(admin.page, '/admin/consultations/additional-protocol/drafts/1/translation');
    assert.ok((await admin.page.inputValue('#markdown')).includes('## Article 1 — Objet'), 'the stored translation is in the form');
    await checkPage(t, admin.page, 'translation', 'en');
    await tabTo(admin.page, 'button[value="preview"]', 50);
    assert.equal((await pressAndLoad(admin.page)).status(), 200);
    assert.equal(await admin.page.locator('main section.provision').count(), 12, 'each provision against its original');
    await checkPage(t, admin.page, 'translation-preview', 'en');
    for (const action of ['close', 'publish']) {
      await visit(admin.page, `/admin/consultations/additional-protocol/rounds/1/${action}`);
      await checkPage(t, admin.page, `confirm-${action}`, 'en');
      await tabTo(admin.page, 'main form button[type="submit"]', 50);
      assert.equal((await pressAndLoad(admin.page)).status(), 200);
    }
    await visit(admin.page, '/admin/consultations/additional-protocol/rounds/1/report');
    await checkPage(t, admin.page, 'report-preview', 'en');
    await visit(admin.page, '/admin/consultations/additional-protocol/rounds/1/report/provisions/art-1');
    assert.equal(await admin.page.locator('textarea[name="response"]').count(), 1, 'the response form');
    await checkPage(t, admin.page, 'report-preview-provision', 'en');
    // A disposition recorded with the keyboard under the first text, then published.
    await tabTo(admin.page, 'details.disposition summary', 200);
    await admin.page.keyboard.press('Enter');
    await tabTo(admin.page, 'details.disposition[open] select[name="disposition"]', 10);
    await admin.page.keyboard.press('ArrowDown');
    assert.equal(await admin.page.locator('details.disposition[open] select').inputValue(), 'partly_accepted');
    await tabTo(admin.page, 'details.disposition[open] textarea[name="reason"]', 5);
    await admin.page.keyboard.type('Article 1 now names *which* platforms.');
    await tabTo(admin.page, 'details.disposition[open] button', 5);
    assert.equal((await pressAndLoad(admin.page)).status(), 200);
    assert.match(await admin.page.locator('details.disposition summary').first().innerText(), /Partly accepted \(confirmed\)/);
    await checkPage(t, admin.page, 'report-preview-disposition', 'en');
    await visit(admin.page, '/admin/consultations/additional-protocol/rounds/1/publish');
    await tabTo(admin.page, 'main form button[type="submit"]', 50);
    assert.equal((await pressAndLoad(admin.page)).status(), 200);
  } finally {
    await admin.context.close();
  }
  for (const lang of ['en', 'fr']) {
    const reader = await openPage(browser);
    try {
      await visit(reader.page, `/consultations/additional-protocol/rounds/1/report?lang=${lang}`);
      assert.ok(await reader.page.locator('table.provisions a[href*="/report/provisions/"]').count() >= 12, 'a link per provision');
      assert.equal(await reader.page.locator('figure.matrix svg[role="img"]').count(), 1, 'the picture of the round');
      await checkPage(t, reader.page, 'report', lang);
      await t.test(`${lang}-report: printed without navigation, with the picture and link addresses`, async () => {
        await reader.page.emulateMedia({ media: 'print' });
        try {
          assert.equal(await reader.page.locator('header nav').isVisible(), false, 'no navigation on paper');
          assert.equal(await reader.page.locator('.site-footer').isVisible(), false);
          assert.ok(await reader.page.locator('figure.matrix svg').isVisible(), 'the picture is printed');
          const after = await reader.page.locator('table.provisions a').first()
            .evaluate((a) => getComputedStyle(a, '::after').content);
          assert.match(after, /\/report\/provisions\/art-1/, 'a link prints its address');
          const pdf = await reader.page.pdf({ format: 'A4' });
          assert.ok(pdf.length > 1000, 'Save as PDF gives a document');
        } finally {
          await reader.page.emulateMedia({ media: 'screen' });
        }
      });
      // Find what was said: the overview's search form, then the full form with filters.
      await reader.page.fill('#q', 'useful');
      await reader.page.locator('form[role="search"] button[type="submit"]').click();
      await reader.page.waitForURL(/\/report\/search\?q=useful/);
      assert.ok(await reader.page.locator('ul.comments > li').count() >= 1, 'the comment typed in the journeys is found');
      await checkPage(t, reader.page, 'report-search', lang);
      const permalink = reader.page.locator('ul.comments a[href*="/report/texts/"]').first();
      await permalink.click();
      await reader.page.waitForURL(/\/report\/texts\/[0-9a-f]{16}$/);
      await checkPage(t, reader.page, 'report-text', lang);
      await visit(reader.page, `/consultations/additional-protocol/rounds/1/report?lang=${lang}`);
      await reader.page.locator('table.provisions a').first().click();
      await reader.page.waitForLoadState();
      assert.match(reader.page.url(), /\/report\/provisions\/art-1/);
      assert.equal(await reader.page.locator('svg[role="img"]').count(), 1, 'the provision\'s chart');
      assert.equal(await reader.page.locator('ul.comments .decision').count(), 1, 'the disposition under its text');
      await checkPage(t, reader.page, 'report-provision', lang);
    } finally {
      await reader.context.close();
    }
  }
});

/** Registers a participant through the form's POST, as a browser without JavaScript would. */
async function register(request, fields) {
  const form = await (await request.get(`${BASE_URL}/register`)).text();
  const csrf = form.match(/name="csrf_token" value="([^"]+)"/)[1];
  const res = await request.post(`${BASE_URL}/register`, {
    form: { csrf_token: csrf, password: 'violet harbour lantern 42', locale: 'en', ...fields },
    maxRedirects: 0,
  });
  assert.equal(res.status(), 200, `registering ${fields.email}`);
}

test('the admin finds participants with the keyboard, pages through them and verifies a domain by rule', async (t) => {
  // More than a page of participants, and two at a government domain who confirm their address.
  const visitor = await openPage(browser);
  try {
    for (let i = 0; i < 55; i++) {
      await register(visitor.context.request, {
        email: `e2e-page-${String(i).padStart(2, '0')}@example.org`, display_name: `Paged participant ${i}`,
        organization: '', stakeholder_group: 'individual', country: 'KE',
      });
    }
    for (const name of ['minister', 'attache']) {
      const email = `e2e-${name}@canada.ca`;
      await register(visitor.context.request, {
        email, display_name: `E2E ${name}`, organization: 'Government of Canada', stakeholder_group: 'government', country: 'CA',
      });
      const [link] = await waitForMail(email, /https?:\/\/[^\s"<>]+\/verify\/[A-Za-z0-9_-]+/);
      assert.equal((await visitor.context.request.get(link)).status(), 200);
    }
  } finally {
    await visitor.context.close();
  }
  const admin = await openPage(browser);
  const page = admin.page;
  try {
    await visit(page, '/login?lang=en');
    await signIn(page, ADMIN.email, ADMIN.password);
    await visit(page, '/admin');
    await tabTo(page, 'main a[href="/admin/participants"]', 80);
    await pressAndLoad(page);
    assert.equal(await h1(page), 'Participants');
    await checkPage(t, page, 'participants', 'en');

    // Filter with the keyboard: the search and a select, then the form's button.
    await typeInto(page, '#q', 'e2e-page');
    await chooseWithKeyboard(page, '#country', 'Kenya');
    await tabTo(page, 'form[role="search"] button[type="submit"]');
    await pressAndLoad(page);
    assert.match(page.url(), /q=e2e-page/);
    assert.equal(await page.locator('h2#people-heading').innerText(), '55 participants found');
    assert.equal(await page.locator('table.people tbody tr').count(), 50);
    await tabTo(page, 'a[rel="next"]', 200);
    await pressAndLoad(page);
    assert.match(page.url(), /q=e2e-page.*page=2/, 'the next page keeps the search');
    assert.equal(await page.locator('table.people tbody tr').count(), 5);
    await checkPage(t, page, 'participants-page-2', 'en');

    // A person's page, reached from their row.
    await tabTo(page, 'table.people tbody a', 80);
    await pressAndLoad(page);
    await checkPage(t, page, 'person', 'en');

    // A rule for canada.ca: checked first, then confirmed.
    await visit(page, '/admin/participants/rules');
    await checkPage(t, page, 'rules', 'en');
    await typeInto(page, '#domain', 'canada.ca');
    await chooseWithKeyboard(page, '#stakeholder_group', 'Government');
    await chooseWithKeyboard(page, '#country', 'Canada');
    await tabTo(page, 'button[value="preview"]');
    await pressAndLoad(page);
    assert.ok((await page.locator('main').innerText()).includes('2 participants would be verified now.'));
    await checkPage(t, page, 'rule-preview', 'en');
    await tabTo(page, 'button[value="confirm"]');
    await pressAndLoad(page);
    assert.equal(await h1(page), 'Verification rules');
    assert.ok((await page.locator('table').innerText()).includes('@canada.ca'));
    await visit(page, '/admin/participants?q=canada.ca&verified=yes');
    assert.equal(await page.locator('table.people tbody tr').count(), 2, 'both are verified');
    await visit(page, '/admin/participants?lang=fr');
    await checkPage(t, page, 'participants', 'fr');
  } finally {
    await admin.context.close();
  }
});

test('an analyst searches, tags and moves on with the keyboard only', async (t) => {
  const analystEmail = `e2e-en-${process.pid}-`.padEnd(64 - '@example.org'.length, 'x') + '@example.org';
  const admin = await openPage(browser);
  try {
    await visit(admin.page, '/login?lang=en');
    await signIn(admin.page, ADMIN.email, ADMIN.password);
    await visit(admin.page, '/admin/consultations/additional-protocol');
    await typeInto(admin.page, '#analyst_email', analystEmail);
    assert.equal((await pressAndLoad(admin.page)).status(), 200);
    await visit(admin.page, '/organize/additional-protocol/analysis');
    await typeInto(admin.page, '#label', 'Clarity');
    assert.equal((await pressAndLoad(admin.page)).status(), 200);
    await checkPage(t, admin.page, 'analysis-workspace', 'en');
  } finally {
    await admin.context.close();
  }
  const analyst = await openPage(browser);
  const page = analyst.page;
  try {
    await visit(page, '/login?lang=en');
    await signIn(page, analystEmail, 'violet harbour lantern 42');
    await visit(page, '/analysis');
    await tabTo(page, 'main a[href="/organize/additional-protocol/analysis"]');
    await pressAndLoad(page);
    await tabTo(page, 'main a[href="/organize/additional-protocol/rounds/1/analysis"]');
    await pressAndLoad(page);
    await typeInto(page, '#q', 'usefulness');
    assert.equal((await pressAndLoad(page)).status(), 200);
    assert.ok(await page.locator('ul.comments > li mark').count() >= 1, 'the stemmed word is found and marked');
    await checkPage(t, page, 'analysis-round', 'en');
    await tabTo(page, 'ul.comments > li a[href*="/analysis/texts/"]');
    await pressAndLoad(page);
    await tabTo(page, 'input[name="tags"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'button[value="next"]');
    assert.equal((await pressAndLoad(page)).status(), 200);
    await checkPage(t, page, 'analysis-queue', 'en');
    await visit(page, '/organize/additional-protocol/rounds/1/analysis?coded=yes');
    assert.ok(await page.locator('ul.comments > li').count() >= 1, 'the tagged text is coded');
    await tabTo(page, 'ul.comments > li a[href*="/analysis/texts/"]');
    await pressAndLoad(page);
    await checkPage(t, page, 'analysis-text', 'en');
  } finally {
    await analyst.context.close();
  }
});

test('a round-2 participant on a phone sees their round-1 answers, starts from them and saves', async (t) => {
  const { context, page } = await openPage(browser);
  const phone = () => page.setViewportSize(VIEWPORTS[0]);
  try {
    await phone();
    await visit(page, '/login');
    await signIn(page, DEMO_PARTICIPANT.email, DEMO_PARTICIPANT.password);
    await visit(page, '/consultations/expert-rounds/rounds/2');
    const earlier = (key) => page.locator(`#${key} .earlier`).textContent();
    assert.match(await earlier('art-4'), /Voluntary explanations have not worked/);
    assert.match(await earlier('art-4'), /Changed since round 1/);
    assert.match(await earlier('art-4'), /Partly accepted/);
    assert.match(await earlier('art-1'), /Your position:\s*Support/);
    assert.equal(await page.locator('#art-13 .earlier').count(), 0, 'a new article has no round 1');
    assert.equal(await page.isChecked('#stance-art-1-support'), false);
    await checkPage(t, page, 'round-follows', 'en');

    await phone();
    await tabTo(page, '#earlier button[type="submit"]', 200);
    await pressAndLoad(page);
    assert.match(await page.locator('.notice').innerText(), /Your earlier positions were copied/);
    assert.equal(await page.isChecked('#stance-art-1-support'), true, 'unchanged: copied');
    assert.equal(await page.locator('input[name="stance[art-4]"]:checked').count(), 0, 'changed: left to review');
    await checkPage(t, page, 'round-follows-started', 'en');

    await phone();
    await tabTo(page, '#changed_mind-art-4', 300);
    await page.keyboard.type('The revised text answers my concern.');
    await tabTo(page, '#submission button[name="action"][value="save"]', 300);
    await pressAndLoad(page);
    assert.match(await page.locator('.notice').innerText(), /Your draft has been saved/);
    assert.equal(await page.inputValue('#changed_mind-art-4'), 'The revised text answers my concern.');
    assert.equal(await page.isChecked('#stance-art-1-support'), true, 'kept when saved');
  } finally {
    await context.close();
  }
});

test('the Nu Html Checker finds no error on any page', validateHtml);

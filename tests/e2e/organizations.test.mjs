// An organization speaks once, with the keyboard only: a participant records
// it (pending), an organizer verifies it, a colleague invited by e-mail joins,
// both edit the one official draft (each revision names its author) and the
// signatory submits it. Every page on the way is checked (axe-core, reflow at
// 360 px, no script, weight), with a 64-character address and a long name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ADMIN, BASE_URL, checkPage, launchBrowser, openPage, pressAndLoad, signIn, tabTo, typeInto, validateHtml, visit, waitForMail,
} from './lib.mjs';

// The demo consultation whose open round the journeys leave open (they close
// and publish the additional protocol's round 1).
const CONSULTATION = '/consultations/expert-rounds';
const ORGS = `${CONSULTATION}/organizations`;
const PASSWORD = 'violet harbour lantern 42';
// Realistic worst cases for a phone's width.
const ORGANIZATION = 'International Federation of Independent Audiovisual Producers and Cultural Industries Associations of Eastern Africa';
const address = (who) => `e2e-org-${who}-${process.pid}-`.padEnd(64 - '@example.org'.length, 'x') + '@example.org';
const FOUNDER = { email: address('founder'), name: 'Wanjiru Founder' };
const COLLEAGUE = { email: address('colleague'), name: 'Otieno Colleague' };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const h1 = (page) => page.locator('h1').innerText();

/** Tabs to a <select> and types the start of an option's label (the browser's type-ahead). */
async function chooseWithKeyboard(page, selector, label) {
  await tabTo(page, selector);
  await page.keyboard.type(label);
  const chosen = await page.$eval(selector, (s) => s.selectedOptions[0]?.textContent.trim());
  assert.equal(chosen, label, `typing "${label}" in ${selector} chose "${chosen}"`);
}

/** Registers through the form's POST (registration with the keyboard is a journey of its own), then confirms the address. */
async function register(request, user) {
  const form = await (await request.get(`${BASE_URL}/register`)).text();
  const csrf = form.match(/name="csrf_token" value="([^"]+)"/)[1];
  const res = await request.post(`${BASE_URL}/register`, {
    form: {
      csrf_token: csrf, email: user.email, password: PASSWORD, display_name: user.name,
      organization: ORGANIZATION, stakeholder_group: 'civil_society', country: 'KE', locale: 'en',
    },
    maxRedirects: 0,
  });
  assert.equal(res.status(), 200, `registering ${user.email}`);
  const [link] = await waitForMail(user.email, /https?:\/\/[^\s"<>]+\/verify\/[A-Za-z0-9_-]+/);
  assert.equal((await request.get(link)).status(), 200);
}

/** Signs in through the form with the keyboard only. */
async function asUser(user, password = PASSWORD) {
  const opened = await openPage(browser);
  await signIn(opened.page, user.email, password, 'en');
  return opened;
}

test('an organization records, verifies, gains a member and submits its official position with the keyboard only', async (t) => {
  const visitor = await openPage(browser);
  try {
    await register(visitor.context.request, FOUNDER);
    await register(visitor.context.request, COLLEAGUE);
  } finally {
    await visitor.context.close();
  }
  const founder = await asUser(FOUNDER);
  const colleague = await asUser(COLLEAGUE);
  const admin = await asUser(ADMIN, ADMIN.password);
  try {
    // The founder finds the organizations from the consultation's page.
    let page = founder.page;
    await visit(page, CONSULTATION);
    await tabTo(page, `main a[href="${ORGS}"]`, 80);
    await pressAndLoad(page);
    assert.equal(await h1(page), 'Organizations');
    await checkPage(t, page, 'organizations', 'en');

    // Recorded without a name first: the error summary takes focus and links to the field.
    await chooseWithKeyboard(page, '#stakeholder_group', 'Civil society');
    await chooseWithKeyboard(page, '#country', 'Kenya');
    await tabTo(page, `form[action="${ORGS}"] button[type="submit"]`);
    assert.equal((await pressAndLoad(page)).status(), 422);
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), 'the error summary has focus');
    assert.equal(await page.locator('.error-summary a[href="#name"]').count(), 1);
    assert.equal(await page.inputValue('#country'), 'KE', 'the choices made are kept');
    await checkPage(t, page, 'organizations-errors', 'en');
    await typeInto(page, '#name', ORGANIZATION);
    await typeInto(page, '#domains', 'eafip.example');
    await tabTo(page, `form[action="${ORGS}"] button[type="submit"]`);
    await pressAndLoad(page);
    const org = new URL(page.url()).pathname;
    assert.match(org, /\/organizations\/\d+$/);
    assert.equal(await h1(page), ORGANIZATION);
    assert.ok((await page.locator('dl.facts').innerText()).includes('Awaiting verification'));
    await checkPage(t, page, 'organization-pending', 'en');

    // An organizer verifies it.
    page = admin.page;
    await visit(page, org);
    await checkPage(t, page, 'organization-organizer', 'en');
    await tabTo(page, `form[action="${org}/verify"] button`);
    await pressAndLoad(page);
    assert.ok((await page.locator('dl.facts').innerText()).includes('Verified'));

    // The founder invites a colleague as drafter only.
    page = founder.page;
    await visit(page, org);
    await typeInto(page, '#email', COLLEAGUE.email);
    await tabTo(page, '#role-drafter-new');
    assert.ok(await page.isChecked('#role-drafter-new'), 'drafter is offered ticked');
    await tabTo(page, `form[action="${org}/invite"] button[type="submit"]`);
    await pressAndLoad(page);
    assert.equal(await page.locator('table tbody tr').count(), 2, 'the founder and the invitation');
    await checkPage(t, page, 'organization-admin', 'en');

    // The colleague follows the e-mail's link and accepts.
    const [link] = await waitForMail(COLLEAGUE.email, new RegExp(`https?://[^\\s"<>]+${org}`));
    page = colleague.page;
    await visit(page, link.slice(BASE_URL.length));
    await checkPage(t, page, 'organization-invited', 'en');
    await tabTo(page, `form[action="${org}/accept"] button`);
    await pressAndLoad(page);
    assert.ok((await page.locator('#membership').innerText()).includes('You are a member of this organization'));
    await checkPage(t, page, 'organization-member', 'en');

    // The colleague drafts the official position…
    await tabTo(page, '#membership a[href*="/rounds/2/organizations/"]');
    await pressAndLoad(page);
    const official = new URL(page.url()).pathname;
    assert.ok((await page.locator('main').innerText()).includes(`Official position of ${ORGANIZATION}`));
    await checkPage(t, page, 'official-form', 'en');
    await tabTo(page, '#stance-art-1-support', 200);
    await page.keyboard.press('Space');
    await typeInto(page, '#comment-art-1', 'Drafted by the colleague.');
    await tabTo(page, 'input[name="disclosure"]', 400);
    await page.keyboard.press('Space');
    await tabTo(page, 'button[value="save"]', 50);
    await pressAndLoad(page);
    assert.equal(await page.inputValue('#comment-art-1'), 'Drafted by the colleague.');

    // …which the founder finds, edits and submits as signatory.
    page = founder.page;
    await visit(page, official);
    assert.equal(await page.inputValue('#comment-art-1'), 'Drafted by the colleague.', 'both edit one draft');
    await tabTo(page, '#comment-art-1', 200);
    await page.keyboard.press('End');
    await page.keyboard.type(' Completed by the founder.');
    await tabTo(page, 'button[value="review"]', 400);
    assert.equal((await pressAndLoad(page)).status(), 200);
    await checkPage(t, page, 'official-review', 'en');
    await tabTo(page, 'button[value="submit"]', 100);
    assert.equal((await pressAndLoad(page)).status(), 200);
    const confirmation = await page.locator('.confirmation').innerText();
    assert.ok(confirmation.includes(`Submitted for ${ORGANIZATION} by ${FOUNDER.name}.`), confirmation);
    assert.match(await page.locator('.receipt').first().innerText(), /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await checkPage(t, page, 'official-submitted', 'en');

    // The history, latest first, names each revision's author: the
    // colleague's save, the founder's save on the way to the review, the submission.
    page = colleague.page;
    await visit(page, `${official}/submission`);
    const authors = await page.locator('table tbody tr td:last-child').allInnerTexts();
    assert.deepEqual(authors, [FOUNDER.name, FOUNDER.name, COLLEAGUE.name]);
    await checkPage(t, page, 'official-history', 'en');
  } finally {
    await founder.context.close();
    await colleague.context.close();
    await admin.context.close();
  }
});

test('the Nu Html Checker finds no error on the organization pages', validateHtml);

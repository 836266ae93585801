// Rounds that converge, on the demo of two rounds (`expert-rounds`): the demo
// participant answers the response to their round-1 comment with a formal
// objection, on a phone and with the keyboard only; then the admin closes and
// publishes round 2, and a visitor reads how stances moved since round 1. Every
// page goes through checkPage (axe-core at 360 and 1280 px, reflow, no script,
// weight), then the Nu Html Checker.
//
// Publishing round 2 changes the demo for whatever runs after this file: it
// runs after journeys.test.mjs, whose round-2 participant needs round 2 open.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ADMIN, BASE_URL, DEMO_PARTICIPANT, VIEWPORTS, checkPage, launchBrowser, openPage, pressAndLoad, signIn, tabTo, typeInto,
  validateHtml, visit, waitForDraftReport,
} from './lib.mjs';

const SLUG = 'expert-rounds';
const REASON = 'Consent is still not required for works already used in training.';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a commenter on a phone files a formal objection to the response with the keyboard', async (t) => {
  const { context, page } = await openPage(browser);
  try {
    await page.setViewportSize(VIEWPORTS[0]);
    await signIn(page, DEMO_PARTICIPANT.email, DEMO_PARTICIPANT.password, 'en');
    await visit(page, `/consultations/${SLUG}/rounds/1/answers`);
    const art6 = page.locator('#answer-section-art-6');
    assert.match(await art6.innerText(), /Artists must be able to refuse/, 'their own comment');
    assert.match(await art6.innerText(), /gives artists the\s+right to consent/, 'the response to it');
    assert.match(await page.locator('#answer-section-art-4').innerText(), /Partly accepted/, 'the disposition of their comment');
    await checkPage(t, page, 'answers', 'en');

    await page.setViewportSize(VIEWPORTS[0]);
    // Tab reaches the group's first radio button; the arrows choose within it.
    await tabTo(page, '#answer-art-6', 200);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.isChecked('#answer-art-6-formal_objection'), true);
    await typeInto(page, '#reason-art-6', REASON);
    await tabTo(page, '#answer-section-art-6 button[type="submit"]', 5);
    assert.equal((await pressAndLoad(page)).status(), 200);
    assert.match(await page.locator('.notice').innerText(), /answer/i);
    const saved = await page.locator('#answer-section-art-6').innerText();
    assert.match(saved, /Your answer so far\s*Formal objection/, saved);
    assert.equal(await page.inputValue('#reason-art-6'), REASON, 'the reason is kept');
    await checkPage(t, page, 'answers-saved', 'en');
  } finally {
    await context.close();
  }
});

test('the admin publishes round 2 and a visitor reads how stances moved since round 1', async (t) => {
  const admin = await openPage(browser);
  try {
    await signIn(admin.page, ADMIN.email, ADMIN.password, 'en');
    for (const action of ['close', 'publish']) {
      // Publishing uses the draft report's figures, which the background job
      // computes first when the round is large (run.sh makes this one so).
      if (action === 'publish') await waitForDraftReport(admin.page, `/admin/consultations/${SLUG}/rounds/2/report`);
      await visit(admin.page, `/admin/consultations/${SLUG}/rounds/2/${action}`);
      await tabTo(admin.page, 'main form button[type="submit"]', 50);
      assert.equal((await pressAndLoad(admin.page)).status(), 200);
    }
  } finally {
    await admin.context.close();
  }

  for (const [viewport, lang] of [[VIEWPORTS[0], 'en'], [VIEWPORTS[1], 'fr']]) {
    const { context, page } = await openPage(browser);
    try {
      await page.setViewportSize(viewport);
      await visit(page, `/consultations/${SLUG}/rounds/2/report?lang=${lang}`);
      // Article 7 spares small services in round 2: the platforms and the
      // technical community, its lowest groups, went from 1 in 3 to 2 in 3.
      const art7 = page.locator('table.provisions tr', { has: page.locator('a[href*="/provisions/art-7"]') });
      assert.match(await art7.innerText(), lang === 'en' ? /Converging: lowest group 33% → 67% \(\+33 points\)/ : /Convergence/);
      assert.ok(await page.locator('a[href*="/report/movement.csv"]').count() === 1, 'movement.csv is offered');
      await checkPage(t, page, 'report-movement', lang);

      await page.setViewportSize(viewport);
      await visit(page, `/consultations/${SLUG}/rounds/2/report/provisions/art-7?lang=${lang}`);
      assert.match(await page.locator('#movement').innerText(), lang === 'en' ? /Movement since round 1/ : /Évolution depuis le cycle 1/);
      // The transition tables open from the keyboard.
      await tabTo(page, '#movement ~ details summary', 200);
      await page.keyboard.press('Enter');
      const tables = page.locator('#movement ~ details[open] table');
      assert.equal(await tables.count(), 8, 'every group together, then each of the seven groups');
      const platforms = page.locator('#movement-art-7-platform').locator('xpath=ancestor::table');
      // Rows: the earlier stance (support, with changes, oppose, no position);
      // columns: the stance now, in the same order.
      const cells = await platforms.locator('tbody tr').nth(2).locator('td').allInnerTexts();
      assert.deepEqual(cells, ['0', '1', '1', '0'], 'of the two platforms that opposed, one now supports with changes');
      await checkPage(t, page, 'report-provision-movement', lang);
    } finally {
      await context.close();
    }
  }

  const res = await fetch(`${BASE_URL}/consultations/${SLUG}/rounds/2/report/movement.csv`);
  assert.equal(res.status, 200);
  const rows = (await res.text()).trim().split('\n').map((l) => l.split(','));
  const header = rows.shift();
  const at = (name) => header.indexOf(name);
  const towards = rows
    .filter((r) => r[at('provision_key')] === 'art-7' && r[at('stakeholder_group')] === 'platform')
    .filter((r) => r[at('from_stance')] === 'oppose' && r[at('to_stance')] === 'support_with_changes')
    .reduce((n, r) => n + Number(r[at('count')]), 0);
  assert.equal(towards, 1, 'the CSV counts the same move');
});

test('the Nu Html Checker finds no error on any page', validateHtml);

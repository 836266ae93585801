// The organizers' draft report of a large round: computed by a background job
// behind a page that reloads itself without JavaScript, which a reader can stop.
// run.sh makes rounds of 20 submissions "large" and the reload slow, so axe can
// read the page whole.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ADMIN, checkPage, launchBrowser, openPage, pressAndLoad, runAxe, signIn, tabTo, visit, waitForDraftReport,
} from './lib.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a large round\'s draft report waits behind a progress page, then shows', async (t) => {
  const admin = await openPage(browser);
  try {
    await signIn(admin.page, ADMIN.email, ADMIN.password, 'en');
    const report = '/admin/consultations/expert-rounds/rounds/1/report';
    await visit(admin.page, report);
    const refresh = admin.page.locator('meta[http-equiv="refresh"]');
    assert.equal(await refresh.count(), 1, 'the first request queues the job and shows its progress');
    assert.equal(await refresh.getAttribute('content'), process.env.E2E_PROGRESS_REFRESH_SECS);
    // A timed reload is what axe's meta-refresh rule (WCAG 2.2.1) flags; the
    // page meets 2.2.1 by letting the reader turn it off, which axe cannot see.
    const { violations } = await runAxe(admin.page);
    assert.deepEqual(violations.map((v) => v.id), ['meta-refresh'], 'nothing else is wrong with the reloading page');
    await tabTo(admin.page, 'main a[href$="?reload=off"]');
    await pressAndLoad(admin.page);
    assert.equal(await refresh.count(), 0, 'turned off, the page stays still');
    await checkPage(t, admin.page, 'report-progress', 'en');
    await waitForDraftReport(admin.page, report);
    assert.ok(await admin.page.locator('table.provisions').count() >= 1, 'the draft report, provision by provision');
  } finally {
    await admin.context.close();
  }
});

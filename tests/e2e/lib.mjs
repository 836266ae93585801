// Shared helpers for the browser tests: start Chromium, check a page (axe-core,
// no <script>, weight, screenshots, HTML saved for the Nu Html Checker), read the
// outbox, move with the keyboard. Adding a page type to a journey is one line:
//   await checkPage(t, page, 'report');
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const ROOT = path.resolve(here, '..', '..');
export const SCREENSHOT_DIR = path.join(ROOT, 'target', 'e2e-screenshots');
export const HTML_DIR = path.join(ROOT, 'target', 'e2e-html');
export const MAX_PAGE_BYTES = 60 * 1024;
export const VIEWPORTS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU_JAR = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through tests/e2e/run.sh`);
  return value;
}

export const BASE_URL = env('E2E_BASE_URL').replace(/\/$/, '');
export const ADMIN = { email: env('E2E_ADMIN_EMAIL'), password: env('E2E_ADMIN_PASSWORD') };
/** The demo participant, who answered round 1 of the demo of two rounds. */
export const DEMO_PARTICIPANT = { email: 'participant@polyphony.localhost', password: env('E2E_DEMO_PASSWORD') };
export const OUTBOX_DIR = env('E2E_OUTBOX_DIR');

/** Every page checked by this process, in order: { name, file }. */
const checked = [];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context (no cookies) and page. The page keeps the last document
 * response of its main frame, so checkPage can read the HTML bytes the server sent,
 * and the Content-Security-Policy refusals the browser reported.
 */
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: VIEWPORTS[1], locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const state = { document: null, cspRefusals: [] };
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      state.document = response;
      state.cspRefusals = [];
    }
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) state.cspRefusals.push(msg.text());
  });
  page.e2e = state;
  return { context, page };
}

/**
 * Signs in on the login page `page` shows (or first opens it in `lang`), and
 * checks it lands on the home page.
 */
export async function signIn(page, email, password, lang) {
  if (lang) await visit(page, `/login?lang=${lang}`);
  await typeInto(page, '#email', email);
  await typeInto(page, '#password', password);
  await pressAndLoad(page);
  assert.equal(page.url(), `${BASE_URL}/`, 'signed in, back on the home page');
}

/**
 * Waits until the draft report at `report` (an organizer's path) is computed:
 * a large round's is computed by the background job, behind a progress page,
 * here read with its reloading turned off.
 */
export async function waitForDraftReport(page, report) {
  for (let i = 0; i < 60; i += 1) {
    await visit(page, `${report}?reload=off`);
    if ((await page.locator('main a[href$="?reload=off"]').count()) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`the draft report at ${report} was never computed`);
}

/** Goes to a path of the app and checks the status. */
export async function visit(page, pathAndQuery, status = 200) {
  const response = await page.goto(BASE_URL + pathAndQuery);
  assert.equal(response.status(), status, `GET ${pathAndQuery} answered ${response.status()}`);
  return response;
}

function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary.replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * axe-core with the WCAG 2.0/2.1 A and AA rules. The page's CSP (default-src
 * 'none') refuses a <script> element, so page.addScriptTag cannot inject axe; its
 * source is evaluated through the DevTools protocol instead, which the CSP does
 * not govern, so the page is tested with its real policy in force.
 */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
}

async function pageWeight(page, html) {
  const hrefs = await page.$$eval('link[rel~="stylesheet"]', (links) => links.map((l) => l.href));
  let css = 0;
  for (const href of hrefs) {
    const response = await page.request.get(href);
    assert.equal(response.status(), 200, `stylesheet ${href} answered ${response.status()}`);
    css += (await response.body()).length;
  }
  return { html: html.length, css, total: html.length + css };
}

/** Runs in the page: null, or how far it sticks out on the right and what does. */
function measureOverflow() {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  // The outermost elements that stick out on the right.
  const wide = [...document.body.querySelectorAll('*')].filter((el) => {
    const right = el.getBoundingClientRect().right;
    return right > width + 0.5 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 0.5);
  });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    elements: wide.slice(0, 10).map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}: right edge at ${Math.round(el.getBoundingClientRect().right)} px`),
  };
}

/**
 * Checks the page the browser shows now, as `${lang}-${name}`: axe-core, no
 * horizontal scrolling on a phone, no <script>, no CSP refusal, HTML + CSS weight,
 * screenshots at 360 and 1280 pixels wide; saves the HTML for validateHtml(). Each
 * check is a subtest of `t`.
 */
export async function checkPage(t, page, name, expectedLang) {
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (expectedLang) assert.equal(lang, expectedLang, `${name}: <html lang> is ${lang}`);
  const id = `${lang}-${name}`;
  mkdirSync(HTML_DIR, { recursive: true });
  const doc = page.e2e.document;
  assert.ok(doc, `${id}: no document response seen`);
  const html = await doc.body();
  const file = path.join(HTML_DIR, `${id}.html`);
  writeFileSync(file, html);
  checked.push({ name: id, file });

  await t.test(`${id}: axe-core finds no WCAG 2.1 A/AA violation`, async () => {
    const failures = [];
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      const { violations, passes } = await runAxe(page);
      assert.ok(passes.length > 0, 'axe-core checked nothing');
      if (violations.length) {
        failures.push(`at ${viewport.width}px, ${violations.length} violation(s):\n${formatViolations(violations)}`);
      }
    }
    await page.setViewportSize(VIEWPORTS[1]);
    assert.equal(failures.length, 0, `${id} (${page.url()}):\n${failures.join('\n')}`);
  });

  await t.test(`${id}: no horizontal scrolling at ${VIEWPORTS[0].width} px (reflow, WCAG 1.4.10), even with 12-digit figures`, async () => {
    await page.setViewportSize(VIEWPORTS[0]);
    let overflow = await page.evaluate(measureOverflow);
    // The realistic worst case for a figure cell: a 12-digit count.
    const cells = await page.evaluate(() => {
      const cells = [...document.querySelectorAll('td.num, .figures td')];
      window.e2eSavedCells = cells.map((c) => c.textContent);
      for (const c of cells) c.textContent = '123,456,789,012';
      return cells.length;
    });
    if (overflow === null && cells > 0) overflow = await page.evaluate(measureOverflow);
    await page.evaluate(() => {
      const cells = [...document.querySelectorAll('td.num, .figures td')];
      cells.forEach((c, i) => { c.textContent = window.e2eSavedCells[i]; });
    });
    await page.setViewportSize(VIEWPORTS[1]);
    assert.ok(overflow === null, `${id} is ${overflow?.scrollWidth} px wide in a ${overflow?.width} px viewport:\n  ${overflow?.elements.join('\n  ')}`);
  });

  await t.test(`${id}: no <script>, no CSP refusal`, async () => {
    assert.doesNotMatch(html.toString('utf8'), /<script[\s>]/i, `${id} has a <script> element`);
    assert.deepEqual(page.e2e.cspRefusals, [], `${id}: the browser refused something under the CSP`);
  });

  await t.test(`${id}: HTML + CSS ≤ ${MAX_PAGE_BYTES / 1024} KB`, async (st) => {
    const weight = await pageWeight(page, html);
    st.diagnostic(`${id}: ${weight.html} B HTML + ${weight.css} B CSS = ${weight.total} B`);
    assert.ok(weight.total <= MAX_PAGE_BYTES, `${id} weighs ${weight.total} bytes (HTML ${weight.html}, CSS ${weight.css})`);
  });

  await t.test(`${id}: screenshots at ${VIEWPORTS.map((v) => v.width).join(' and ')} px`, async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      const shot = path.join(SCREENSHOT_DIR, `${id}-${viewport.width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 0);
    }
    await page.setViewportSize(VIEWPORTS[1]);
  });
}

/**
 * Runs the Nu Html Checker once over every page checked so far; one subtest per
 * page, failing with the checker's errors for that page.
 */
export async function validateHtml(t) {
  assert.ok(checked.length > 0, 'no page was checked');
  const files = checked.map((c) => c.file);
  // vnu prints its JSON report on standard error and exits 1 when it found errors.
  let report;
  try {
    ({ stderr: report } = await promisify(execFile)('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], {
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (e) {
    if (e.code !== 1 || !e.stderr) throw e;
    report = e.stderr;
  }
  let messages;
  try {
    // Java may print notes (e.g. "Picked up JAVA_TOOL_OPTIONS") before the report.
    ({ messages } = JSON.parse(report.slice(report.indexOf('{"'))));
  } catch {
    throw new Error(`the Nu Html Checker printed something unexpected:\n${report}`);
  }
  for (const { name, file } of checked) {
    const url = `file:${file}`;
    await t.test(`${name}: the Nu Html Checker finds no error`, () => {
      const mine = messages.filter((m) => m.url === url || m.url === `file://${file}`);
      const text = mine.map((m) => `  line ${m.lastLine}:${m.firstColumn ?? ''} ${m.type}: ${m.message}\n    ${(m.extract || '').replace(/\n/g, ' ')}`);
      assert.equal(mine.length, 0, `${name} (${file}):\n${text.join('\n')}`);
    });
  }
  const stray = messages.filter((m) => !checked.some(({ file }) => m.url === `file:${file}` || m.url === `file://${file}`));
  assert.deepEqual(stray, [], 'messages the Nu Html Checker gave about no page');
}

/** Presses Tab until the element matching `selector` has focus (at most `max` presses). */
export async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${selector}`);
}

/**
 * Presses a key that navigates (Enter on a link or in a form) and waits for the new
 * document to load; returns its response (for a 303 redirect, the final page's).
 */
export async function pressAndLoad(page, key = 'Enter') {
  const committed = new Promise((resolve) => {
    const onNavigated = (frame) => {
      if (frame === page.mainFrame()) {
        page.off('framenavigated', onNavigated);
        resolve();
      }
    };
    page.on('framenavigated', onNavigated);
  });
  await page.keyboard.press(key);
  await committed;
  await page.waitForLoadState('load');
  return page.e2e.document;
}

/** Tabs to a field and types into it. */
export async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Decodes a quoted-printable body: soft line breaks and =XX escapes. */
export function decodeQuotedPrintable(text) {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Waits for an e-mail to `to` in the outbox whose decoded text matches `pattern`; returns the match. */
export async function waitForMail(to, pattern, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let files = [];
    try {
      files = readdirSync(OUTBOX_DIR).filter((f) => f.endsWith('.eml'));
    } catch {
      // the worker creates the directory on its first message
    }
    for (const f of files) {
      const raw = readFileSync(path.join(OUTBOX_DIR, f), 'utf8');
      const headers = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
      if (!new RegExp(`^To:.*${to.replace(/[.+]/g, '\\$&')}`, 'im').test(headers)) continue;
      const match = decodeQuotedPrintable(raw).match(pattern);
      if (match) return match;
    }
    if (Date.now() > deadline) assert.fail(`no e-mail to ${to} matching ${pattern} in ${OUTBOX_DIR}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

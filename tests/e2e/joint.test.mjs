// A joint submission walked with the keyboard: a lead organization invites a
// co-signer, whose admin reads the joint text and confirms. The setup
// (accounts, organizations, the lead's official position) goes through the
// forms' POSTs; the joint pages are checked like every page type.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BASE_URL, checkPage, launchBrowser, openPage, pressAndLoad, tabTo, validateHtml, visit, waitForMail,
} from './lib.mjs';

const PASSWORD = 'violet harbour lantern 42';
const ROUND = '/consultations/additional-protocol/rounds/1';
const JOINT_TEXT = 'A coalition position on discoverability, signed once.';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function csrfOf(request, path) {
  const html = await (await request.get(`${BASE_URL}${path}`)).text();
  return html.match(/name="csrf_token" value="([^"]+)"/)[1];
}

/** Posts a form as a browser without JavaScript would; returns the response. */
async function post(request, formPath, action, fields) {
  const csrf = await csrfOf(request, formPath);
  return request.post(`${BASE_URL}${action}`, { form: { csrf_token: csrf, ...fields }, maxRedirects: 0 });
}

/** A registered, confirmed and signed-in participant who records an organization; returns its id. */
async function founder(request, who) {
  const email = `e2e-joint-${who.key}-${process.pid}@example.org`;
  let res = await post(request, '/register', '/register', {
    email, password: PASSWORD, display_name: who.person, organization: who.organization,
    stakeholder_group: who.group, country: who.country, locale: 'en',
  });
  assert.equal(res.status(), 200, `registering ${email}`);
  const [link] = await waitForMail(email, /https?:\/\/[^\s"<>]+\/verify\/[A-Za-z0-9_-]+/);
  assert.equal((await request.get(link)).status(), 200);
  res = await post(request, '/login', '/login', { email, password: PASSWORD });
  assert.equal(res.status(), 303, `signing in ${email}`);
  const organizations = '/consultations/additional-protocol/organizations';
  res = await post(request, organizations, organizations, {
    name: who.organization, stakeholder_group: who.group, country: who.country, domains: '',
  });
  assert.equal(res.status(), 303, `recording ${who.organization}`);
  return { email, id: res.headers().location.split('/').pop() };
}

test('a lead invites a co-signer with the keyboard, and the co-signer confirms', async (t) => {
  const lead = await openPage(browser);
  const cosigner = await openPage(browser);
  try {
    const network = await founder(lead.context.request, {
      key: 'lead', person: 'Amina Otieno', organization: 'E2E Culture Network', group: 'civil_society', country: 'KE',
    });
    const institute = await founder(cosigner.context.request, {
      key: 'cosigner', person: 'Dana Roy', organization: 'E2E Media Institute', group: 'academia', country: 'CA',
    });
    const official = `${ROUND}/organizations/${network.id}`;
    const html = await (await lead.context.request.get(`${BASE_URL}${official}`)).text();
    const key = html.match(/name="stance\[([^\]]+)\]"/)[1];
    const res = await post(lead.context.request, official, `${official}/submission`, {
      action: 'submit', [`stance[${key}]`]: 'support', [`comment[${key}]`]: JOINT_TEXT, disclosure: 'attributed',
    });
    assert.equal(res.status(), 303, 'the lead submits its official position');

    const { page } = lead;
    await visit(page, `${official}/joint`);
    await checkPage(t, page, 'joint', 'en');
    await tabTo(page, '#organization');
    await page.selectOption('#organization', { label: 'E2E Media Institute' });
    await tabTo(page, 'form[action$="/joint/invite"] button[type="submit"]');
    await pressAndLoad(page);
    assert.match(await page.textContent('main'), /The invitation has been sent/);
    assert.match(await page.textContent('#cosigners ~ table'), /E2E Media Institute\s*Academia and research\s*Invited/);

    const [link] = await waitForMail(institute.email, /https?:\/\/[^\s"<>]+\/joint/);
    const other = cosigner.page;
    await visit(other, new URL(link).pathname);
    await checkPage(t, other, 'joint-received', 'en');
    await tabTo(other, 'a[href*="/joint/"]');
    await pressAndLoad(other);
    assert.match(await other.textContent('main'), new RegExp(JOINT_TEXT));
    await checkPage(t, other, 'joint-sign', 'en');
    await tabTo(other, 'form[action$="/confirm"] button');
    await pressAndLoad(other);
    assert.match(await other.textContent('main'), /Your organization co-signs this joint submission/);
    assert.match(await other.textContent('main'), /co-signs the official position of E2E Culture Network/);

    await visit(page, `${official}/joint`);
    assert.match(await page.textContent('#cosigners ~ table'), /E2E Media Institute\s*Academia and research\s*Confirmed/);
    await visit(page, `${official}/joint?lang=fr`);
    assert.match(await page.textContent('#cosigners ~ table'), /E2E Media Institute\s*Milieu universitaire et recherche\s*Confirmée/);
    await checkPage(t, page, 'joint', 'fr');
  } finally {
    await lead.context.close();
    await cosigner.context.close();
  }
});

test('the Nu Html Checker finds no error on the joint pages', validateHtml);

// Self-test of the replica server (tests/replica/README.md): Debian Chromium WITHOUT the extension checks
// every behaviour the end-to-end suites rely on. Run it in its own network namespace:
//   unshare -n bash -c 'ip link set lo up && node --test tests/replica/replica.test.mjs'
// Environment: E2E_CHROMIUM (browser binary, default /usr/bin/chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startReplica, FORMS, PRIVACY_FLOW, THREADS_HOME, LATE_BODY_MS, CSP, ALL_HOSTS, META_OTHER_HOSTS,
  PRESEND, SERVICES, SERVICE_HOSTS, unexplainedRequests, isStateHookRequest, replicaState, ACCOUNT, WRAP } from './server.mjs';
import { CONFIRMATIONS, PRIVACY_CHOICES } from './app/wording.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
// The extension's own form helper, run below in an isolated world the way Chromium runs content scripts.
const FORM_JS = fs.readFileSync(path.join(ROOT, 'extension', 'content', 'form.js'), 'utf8');

let replica;
let browser;
before(async () => {
  replica = await startReplica({ port: 0 });
  browser = await chromium.launch({
    executablePath, headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--no-default-browser-check', '--disable-features=Translate,MediaRouter',
      `--host-resolver-rules=MAP * 127.0.0.1:${replica.port}, EXCLUDE localhost`, '--ignore-certificate-errors'],
  });
});
after(async () => {
  await browser?.close();
  await replica?.close();
});

/** A fresh context and page; `errors` collects page errors and console errors (e.g. CSP violations). */
async function fresh(options = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { context, page, errors };
}

/** Runs form.js in a fresh isolated world of the page and inserts `text` with its insertReason(). */
async function insertLikeFormJs(page, text) {
  const cdp = await page.context().newCDPSession(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const { executionContextId } = await cdp.send('Page.createIsolatedWorld',
    { frameId: frameTree.frame.id, worldName: 'replica-test-content-script' });
  const expression = `${FORM_JS};
    if (typeof globalThis.widerspruchForm?.insertReason !== 'function') throw new Error('form.js has no insertReason');
    globalThis.widerspruchForm.insertReason(${JSON.stringify(text)}, { reason_field: 'textarea' });
    document.querySelector('textarea').value`;
  const r = await cdp.send('Runtime.evaluate', { expression, contextId: executionContextId, returnByValue: true });
  await cdp.detach();
  if (r.exceptionDetails) throw new Error(`isolated world: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  return r.result.value;
}

const text = (page, sel) => page.locator(sel).first().textContent();
const documentLoads = () => replica.requests.filter((r) => r.secFetchDest === 'document').length;
/** Waits for the React form's periodic re-render to have happened `n` more times. */
async function rerenders(page, n) {
  const t0 = Number(await page.getAttribute('#replica-tick', 'data-tick'));
  await page.waitForFunction((want) => Number(document.querySelector('#replica-tick')?.dataset.tick) >= want, t0 + n);
}

// ── 1. The React form ──
for (const [name, url] of [['Facebook', FORMS.facebook], ['Instagram', FORMS.instagram]]) {
  test(`${name} form: rendered by React; text inserted the way form.js does reaches React's state, survives re-renders, is submitted`, async () => {
    const { context, page, errors } = await fresh();
    const res = await page.goto(url);
    assert.equal(res.headers()['content-security-policy'], CSP, 'strict CSP on the form page');
    await page.waitForSelector('#replica-form textarea[name=reason]');
    assert.equal(await page.getAttribute('[data-replica-state]', 'data-replica-state'), 'open');
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#replica-form [name]')].map((e) => e.name)),
      ['country', 'email', 'reason'], 'country, email and reason fields');

    const reason = 'I object: my posts are mine.';
    assert.equal(await insertLikeFormJs(page, reason), reason, 'form.js put the text in the field');
    await page.waitForFunction((n) => document.querySelector('#replica-reason-count')?.dataset.count === String(n), reason.length);
    await rerenders(page, 2);
    assert.equal(await page.inputValue('textarea[name=reason]'), reason, 'the text survives two re-renders');

    // A second insertion appends (form.js keeps what is there), and survives a forced re-render too.
    await insertLikeFormJs(page, 'Second line.');
    await page.evaluate(() => window.replicaFormRerender());
    await rerenders(page, 1);
    const both = `${reason}\nSecond line.`;
    assert.equal(await page.inputValue('textarea[name=reason]'), both);

    await page.click('#replica-send');
    await page.waitForSelector('#replica-received');
    assert.equal(await text(page, '#replica-submitted-reason'), both, 'what React submitted holds the inserted text');
    assert.equal(await text(page, '#replica-submitted-email'), 'replica.user@example.org');
    assert.equal(await text(page, '#replica-received'), CONFIRMATIONS.legacy.text, 'default wording: the legacy one');
    assert.equal(await page.locator('#replica-form').count(), 0, 'the confirmation replaces the form');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('React form: text set WITHOUT React seeing it is wiped by the next re-render (so the check above bites)', async () => {
  const { context, page } = await fresh();
  await page.goto(FORMS.facebook);
  await page.waitForSelector('textarea[name=reason]');
  // A main-world assignment goes through React's own value tracker, so the input event carries no change.
  await page.evaluate(() => {
    const t = document.querySelector('textarea');
    t.value = 'lost';
    t.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await rerenders(page, 2);
  assert.equal(await page.inputValue('textarea[name=reason]'), '', 'the controlled field went back to React\'s state');
  await context.close();
});

test('React form: the existing variants and hooks still answer (unavailable, login, old id, #replica-send keyboard)', async () => {
  const { context, page, errors } = await fresh();
  await page.goto(`${FORMS.facebook}?replica=unavailable`);
  assert.match(await text(page, 'h2'), /isn't available right now/);
  await page.goto(`${FORMS.instagram}?replica=login`);
  assert.equal(await text(page, 'h2'), 'Log in to continue');
  // The first render is synchronous: the form is there by DOMContentLoaded, like a server-rendered page.
  await page.goto(FORMS.facebookOld, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.evaluate(() => document.querySelectorAll('#replica-form [name]').length), 3);
  assert.equal(await page.getAttribute('[data-replica-state]', 'data-replica-state'), 'open', 'the 2024 id still serves the form');
  await page.focus('#replica-send');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#replica-received');
  assert.deepEqual(errors, []);
  await context.close();
});

// ── 2. Client-side routing ──
test('Facebook: pushState / replaceState / Back routes render without a document load, into the React form', async () => {
  const { context, page, errors } = await fresh();
  await page.goto('https://www.facebook.com/');
  await page.evaluate(() => { window.replicaMarker = 'same document'; });
  const loads = documentLoads();
  const route = () => page.getAttribute('[data-replica-route]', 'data-replica-route');

  await page.click('[data-replica-link=profile]');
  assert.equal(new URL(page.url()).pathname, '/some.user');
  assert.equal(await route(), 'profile');
  const length = await page.evaluate(() => history.length);
  await page.click('[data-replica-action=replace-settings]');
  assert.equal(new URL(page.url()).pathname, '/settings');
  assert.equal(await route(), 'settings');
  assert.equal(await page.evaluate(() => history.length), length, 'replaceState adds no history entry');
  await page.click('[data-replica-action=back]');
  await page.waitForURL('https://www.facebook.com/');
  assert.equal(await route(), 'feed', 'Back (popstate) renders the feed');

  await page.click('[data-replica-link=form]');
  assert.equal(page.url(), FORMS.facebook);
  await page.waitForSelector('#replica-form textarea[name=reason]');
  const reason = 'Inserted after a client-side move.';
  await insertLikeFormJs(page, reason);
  await rerenders(page, 2);
  await page.click('#replica-send');
  assert.equal(await text(page, '#replica-submitted-reason'), reason, 'the client-rendered form submits the text');

  await page.evaluate(() => window.replicaNavigate('/friends')); // the e2e drivers' clientNavigate hook
  assert.equal(new URL(page.url()).pathname, '/friends');
  assert.equal(await page.evaluate(() => window.replicaMarker), 'same document', 'no document load on the way');
  assert.equal(documentLoads(), loads, 'the server saw no document request');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Instagram and Threads: profile and settings routes render client-side', async () => {
  const { context, page, errors } = await fresh();
  for (const [home, profile, settings] of [['https://www.instagram.com/', '/some.user/', '/accounts/edit/'],
    [`${THREADS_HOME}/`, '/@some.user', '/settings']]) {
    await page.goto(home);
    await page.evaluate(() => { window.replicaMarker = 1; });
    await page.click('[data-replica-link=profile]');
    assert.equal(new URL(page.url()).pathname, profile);
    await page.click('[data-replica-link=settings]');
    assert.equal(new URL(page.url()).pathname, settings);
    assert.equal(await page.getAttribute('[data-replica-route]', 'data-replica-route'), 'settings');
    await page.goBack();
    assert.equal(new URL(page.url()).pathname, profile);
    assert.equal(await page.getAttribute('[data-replica-route]', 'data-replica-route'), 'profile');
    assert.equal(await page.evaluate(() => window.replicaMarker), 1, `${home}: one document throughout`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

// ── 3. The 2026 Privacy Center flow ──
test('help.meta.com/support/privacy: the reported choices, a client-side step with a form, the confirmation', async () => {
  const { context, page, errors } = await fresh();
  for (const url of [PRIVACY_FLOW, PRIVACY_FLOW.replace(/\/$/, '')]) {
    const res = await page.goto(url);
    assert.equal(res.status(), 200, url);
    assert.equal(res.headers()['content-security-policy'], CSP);
    await page.waitForSelector('[data-replica-step=choices]');
    assert.deepEqual(await page.locator('[data-replica-choice]').allTextContents(), PRIVACY_CHOICES.map((c) => c.text));
  }
  await page.evaluate(() => { window.replicaMarker = 1; });
  const loads = documentLoads();
  await page.click('[data-replica-choice=meta-ai]');
  assert.equal(page.url(), `${PRIVACY_FLOW}object/meta-ai/`);
  await page.waitForSelector('[data-replica-step=form] textarea[name=reason]');
  assert.equal(await text(page, 'h2'), PRIVACY_CHOICES[0].text);
  await insertLikeFormJs(page, 'No training on my posts.');
  await page.click('#replica-send');
  await page.waitForSelector('[data-replica-step=confirmation]');
  assert.equal(await text(page, '#replica-received'), CONFIRMATIONS['en-2024'].text, 'default wording here: 2024 English');
  assert.equal(await text(page, '#replica-submitted-reason'), 'No training on my posts.');
  await page.goBack();
  await page.waitForSelector('[data-replica-step=choices]');
  assert.equal(await page.evaluate(() => window.replicaMarker), 1, 'steps without a document load');
  assert.equal(documentLoads(), loads);

  // A full load of a step renders that step; an unknown step says so.
  await page.goto(`${PRIVACY_FLOW}object/third-party/`);
  assert.equal(await text(page, 'h2'), PRIVACY_CHOICES[1].text);
  await page.goto(`${PRIVACY_FLOW}object/nonsense/`);
  await page.waitForSelector('[data-replica-step=missing]');
  await page.goto(`${PRIVACY_FLOW}?replica=login`);
  assert.equal(await text(page, 'h2'), 'Log in to continue', 'login wall variant');
  assert.deepEqual(errors, []);
  await context.close();
});

test('old form links redirect into the flow (?replica=redirect, and the redirectOldForms mode)', async () => {
  const { context, page } = await fresh();
  for (const url of [FORMS.facebookOld, FORMS.facebook, FORMS.instagram, FORMS.instagramOld]) {
    await page.goto(`${url}?replica=redirect`);
    assert.equal(page.url(), PRIVACY_FLOW, `${url} lands on the flow`);
    await page.waitForSelector('[data-replica-step=choices]');
  }
  await context.close();

  const other = await startReplica({ port: 0, redirectOldForms: true });
  try {
    const get = (url) => new Promise((resolve, reject) => {
      const u = new URL(url);
      https.get({ host: '127.0.0.1', port: other.port, path: u.pathname, servername: u.hostname,
        headers: { host: u.hostname }, rejectUnauthorized: false }, (res) => { res.resume(); resolve(res); }).on('error', reject);
    });
    for (const url of [FORMS.facebookOld, FORMS.instagramOld]) {
      const res = await get(url);
      assert.equal(res.statusCode, 302, url);
      assert.equal(res.headers.location, PRIVACY_FLOW);
    }
    assert.equal((await get(FORMS.facebook)).statusCode, 200, 'the 2025 form stays');
  } finally {
    await other.close();
  }
});

test('the Privacy Center generative-AI pages link into the flow', async () => {
  const { context, page, errors } = await fresh();
  for (const url of ['https://www.facebook.com/privacy/genai', 'https://privacycenter.instagram.com/privacy/genai']) {
    await page.goto(url);
    await page.click('[data-replica-link=privacy-flow]');
    await page.waitForURL(PRIVACY_FLOW);
    await page.waitForSelector('[data-replica-step=choices]');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

// ── 4. Confirmation wordings ──
test('confirmation wordings: ?confirm=ID shows the reported text with Meta\'s typography', async () => {
  const { context, page } = await fresh();
  for (const [id, w] of Object.entries(CONFIRMATIONS)) {
    await page.goto(`${FORMS.facebook}?confirm=${id}`);
    await page.click('#replica-send');
    assert.equal(await text(page, '#replica-received'), w.text, id);
    assert.equal(await page.getAttribute('#replica-received', 'lang'), w.lang);
    assert.equal(await page.getAttribute('#replica-received', 'data-wording'), id);
  }
  assert.ok(CONFIRMATIONS['en-2024'].text.includes('We\u2019ve') && CONFIRMATIONS['en-2024'].text.includes('\u00a0'));
  assert.ok(CONFIRMATIONS['it-2025'].text.includes('d\u2019ora in avanti') && CONFIRMATIONS['it-2025'].text.includes('in\u00a0Meta'));
  assert.ok(CONFIRMATIONS['en-uk-email'].text.startsWith('We will honour your objection'));
  await context.close();
});

test('confirmation wordings: ?confirm=auto follows Accept-Language', async () => {
  for (const [locale, id] of [['it-IT', 'it-2025'], ['en-GB', 'en-uk-email'], ['en-US', 'en-2024'], ['de-DE', 'en-2024']]) {
    const { context, page } = await fresh({ locale });
    await page.goto(`${FORMS.instagram}?confirm=auto`);
    await page.click('#replica-send');
    assert.equal(await page.getAttribute('#replica-received', 'data-wording'), id, locale);
    await context.close();
  }
});

// ── 5. Threads ──
test('Threads: threads.net redirects to www.threads.com (same path); feed and login wall', async () => {
  const { context, page, errors } = await fresh();
  for (const [from, to] of [['https://threads.net/', `${THREADS_HOME}/`],
    ['https://www.threads.net/@some.user?x=1', `${THREADS_HOME}/@some.user?x=1`]]) {
    const res = await page.goto(from);
    assert.equal(page.url(), to, from);
    assert.equal(res.request().redirectedFrom()?.url(), from);
    assert.equal(await page.getAttribute('html', 'data-site'), 'threads');
  }
  await page.goto('https://threads.com/');
  await page.waitForSelector('[data-replica-route=feed]');
  await page.goto('https://www.threads.com/?replica=login');
  assert.equal(await text(page, 'h2'), 'Log in with your Instagram account');
  assert.deepEqual(errors, []);
  await context.close();
});

// ── 6. Cookie dialog and late body ──
test('Instagram ?replica=cookies: a full-screen dialog in <body> at z-index 2147483647 over the centre, dismissable', async () => {
  const { context, page, errors } = await fresh({ viewport: { width: 1280, height: 720 } });
  await page.goto('https://www.instagram.com/?replica=cookies');
  await page.waitForSelector('#replica-cookie-dialog[role=dialog]');
  const r = await page.evaluate(() => {
    const backdrop = document.getElementById('replica-cookie-backdrop');
    const s = getComputedStyle(backdrop);
    const hit = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
    const corner = document.elementFromPoint(2, innerHeight - 2);
    return { parent: backdrop.parentElement.tagName, z: s.zIndex, position: s.position,
      centre: backdrop.contains(hit), corner: backdrop.contains(corner),
      rect: JSON.stringify(backdrop.getBoundingClientRect()) };
  });
  assert.deepEqual({ ...r, rect: undefined }, { parent: 'BODY', z: '2147483647', position: 'fixed', centre: true,
    corner: true, rect: undefined }, r.rect);
  await page.click('#replica-cookie-accept');
  assert.equal(await page.locator('#replica-cookie-backdrop').count(), 0, 'dismissed');
  await page.click('[data-replica-link=profile]');
  assert.equal(await page.locator('#replica-cookie-backdrop').count(), 0, 'stays dismissed after a client move');
  assert.deepEqual(errors, []);
  await context.close();
});

test('?replica=late-body: <body> arrives ~800 ms after <head>; a document_start script sees no body', async () => {
  for (const url of ['https://www.facebook.com/?replica=late-body', 'https://www.instagram.com/?replica=late-body',
    `${THREADS_HOME}/?replica=late-body`]) {
    const { context, page, errors } = await fresh();
    // Runs when the document is created, like a content script at document_start.
    await page.addInitScript(() => {
      window.replicaStartSawBody = document.body !== null;
      setTimeout(() => { window.replicaBodyAt300 = document.body !== null; }, 300);
    });
    await page.goto(url);
    await page.waitForSelector('[data-replica-route=feed]');
    const t = await page.evaluate(() => ({ head: Number(document.documentElement.dataset.replicaHeadAt),
      body: Number(document.documentElement.dataset.replicaBodyAt), startSawBody: window.replicaStartSawBody,
      at300: window.replicaBodyAt300 }));
    assert.equal(t.startSawBody, false, `${url}: no <body> at document start`);
    assert.equal(t.at300, false, `${url}: still no <body> 300 ms after document start`);
    assert.ok(t.body - t.head >= LATE_BODY_MS - 150, `${url}: body ${t.body - t.head} ms after head`);
    assert.deepEqual(errors, []);
    await context.close();
  }
  // Without the variant the body is there at once.
  const { context, page } = await fresh();
  await page.addInitScript(() => { setTimeout(() => { window.replicaBodyAt300 = document.body !== null; }, 300); });
  await page.goto('https://www.facebook.com/');
  await page.waitForFunction(() => window.replicaBodyAt300 !== undefined);
  assert.equal(await page.evaluate(() => window.replicaBodyAt300), true, 'without the variant, <body> is there by 300 ms');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.replicaHeadAt), undefined);
  await context.close();
});

// ── Hosts ──
test('every host answers over TLS with the strict CSP; the new hosts are in ALL_HOSTS', async () => {
  for (const h of META_OTHER_HOSTS) assert.ok(ALL_HOSTS.includes(h), h);
  const { context, page } = await fresh();
  const res = await page.goto('https://www.facebook.com/no/such/page');
  assert.equal(res.status(), 404);
  assert.equal(res.headers()['content-security-policy'], CSP);
  assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval/);
  await context.close();
});

// ── Pre-send text (presend.json, which cargo test checks against the rules' "received" fragments) ──
const presend = (page, lang) => PRESEND.texts.filter((t) => t.lang === lang && t.pages.includes(page)).map((t) => t.text);
const LANGUAGES = ['da', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'sv'];

test('pre-send text: every form and the flow\'s form step show it in each of the ten languages, and sending replaces it', async () => {
  assert.deepEqual([...new Set(PRESEND.texts.map((t) => t.lang))].sort(), LANGUAGES);
  const { context, page, errors } = await fresh();
  const shown = async () => ({ lang: await page.getAttribute('#replica-presend', 'lang'),
    texts: await page.locator('#replica-presend p').allTextContents() });
  for (const lang of LANGUAGES) {
    for (const [url, kind] of [[FORMS.facebook, 'form'], [FORMS.instagram, 'form'], [FORMS.facebookOld, 'form'],
      [`${PRIVACY_FLOW}object/meta-ai/`, 'flow']]) {
      await page.goto(`${url}?lang=${lang}`);
      const want = presend(kind, lang);
      assert.ok(want.length > 0, `${kind} ${lang}: presend.json has text`);
      assert.deepEqual(await shown(), { lang, texts: want }, `${url}?lang=${lang}`);
      // Before the form's fields, inside the area the answer replaces.
      assert.equal(await page.evaluate(() => !!(document.querySelector('#replica-presend')
        .compareDocumentPosition(document.querySelector('#replica-form')) & Node.DOCUMENT_POSITION_FOLLOWING)), true);
    }
  }
  // Defaults: German on the forms (like their other text), English in the flow; `?lang=` unknown → default.
  for (const [url, lang] of [[FORMS.facebook, 'de'], [FORMS.instagram, 'de'], [`${PRIVACY_FLOW}object/meta-ai/`, 'en'],
    [`${FORMS.facebook}?lang=xx`, 'de']]) {
    await page.goto(url);
    assert.deepEqual(await shown(), { lang, texts: presend(url.includes('support/privacy') ? 'flow' : 'form', lang) }, url);
  }
  // Sending replaces the whole form area, the pre-send text with it.
  await page.goto(`${FORMS.facebook}?lang=en`);
  await page.click('#replica-send');
  await page.waitForSelector('#replica-received');
  assert.equal(await page.locator('#replica-presend').count(), 0, 'form: gone after sending');
  await page.goto(`${PRIVACY_FLOW}object/meta-ai/?lang=it`);
  await page.click('#replica-send');
  await page.waitForSelector('[data-replica-step=confirmation]');
  assert.equal(await page.locator('#replica-presend').count(), 0, 'flow: gone after sending');
  assert.deepEqual(errors, []);
  await context.close();
});

test('pre-send text: ?lang=auto follows Accept-Language, also on a form reached client-side', async () => {
  for (const [locale, lang] of [['pl-PL', 'pl'], ['it-IT', 'it'], ['sv-SE', 'sv'], ['ja-JP', 'de']]) {
    const { context, page, errors } = await fresh({ locale });
    await page.goto(`${FORMS.instagram}?lang=auto`);
    assert.deepEqual(await page.locator('#replica-presend p').allTextContents(), presend('form', lang), locale);
    await page.goto('https://www.facebook.com/?lang=auto');
    await page.click('[data-replica-link=form]');
    await page.waitForSelector('#replica-form');
    assert.deepEqual(await page.locator('#replica-presend p').allTextContents(), presend('form', lang), `${locale}, in-page`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

// ── 8. Services beyond Meta (issue 15): LinkedIn, X, Google My Activity ──
// Hosts, paths and labels come from the rules files through server.mjs (SERVICES); the state is the server's.
const norm = (t) => t.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim();
const settingUrl = (id) => `https://${SERVICES[id].setting.pages[0].hosts[0]}${SERVICES[id].setting.path}`;
const sectionOf = (id) => `[data-replica-setting=${id}]`;
const attr = (page, sel, name) => page.getAttribute(sel, name);
/** Waits until the setting section has loaded and shows `state`; → the control's element handle. */
async function loadedSetting(page, id, state) {
  await page.waitForSelector(`${sectionOf(id)}[data-replica-loaded=true][data-replica-state=${state}][data-replica-saved=${state}]`);
  return page.$(`[data-replica-control=${id}]`);
}
// Requests to the service hosts only: Chromium's own background traffic (update.googleapis.com, …) lands here too.
const serverRequests = (since) => replica.requests.slice(since).filter((r) => SERVICE_HOSTS.includes(r.host));

test('services: hosts and pages come from the rules files; every service host answers with the strict CSP', async () => {
  assert.deepEqual(Object.keys(SERVICES).sort(), ['google', 'linkedin', 'x']);
  for (const h of SERVICE_HOSTS) assert.ok(ALL_HOSTS.includes(h), h);
  const { context, page } = await fresh();
  for (const s of Object.values(SERVICES)) {
    assert.ok(s.setting.labels.length > 0 || s.setting.find === 'ask', `${s.id}: a label, or find "ask"`);
    const res = await page.goto(settingUrl(s.id));
    assert.equal(res.status(), 200, s.id);
    assert.equal(res.headers()['content-security-policy'], CSP);
  }
  assert.equal((await page.goto(`https://${SERVICES.linkedin.hosts[0]}/no/such/page`)).status(), 404);
  await context.close();
});

test('LinkedIn setting page: client-side switch with the rules\' label, default on; a trusted click saves off, replaces the element; survives reload', async () => {
  replica.settings.reset();
  const { context, page, errors } = await fresh();
  const mark = replica.requests.length;
  await page.goto(settingUrl('linkedin'), { waitUntil: 'domcontentloaded' });
  assert.equal(await page.locator('[data-replica-control]').count(), 0, 'no control before the client-side render');
  const first = await loadedSetting(page, 'linkedin', SERVICES.linkedin.setting.default);
  assert.equal(SERVICES.linkedin.setting.default, 'on', 'the rules say on by default');
  // Found the way the extension finds it: role and accessible name (the rules' label), state from aria/checked.
  const label = SERVICES.linkedin.setting.labels.find((l) => l.lang === 'en').text;
  const sw = page.getByRole('switch', { name: label });
  assert.equal(await sw.count(), 1, 'one role=switch named by the rules\' label');
  assert.equal(norm(await page.locator(`label[for="${await sw.getAttribute('id')}"]`).textContent()), label);
  assert.equal(await sw.isChecked(), true);
  assert.equal(await sw.getAttribute('aria-checked'), 'true');
  assert.equal(await attr(page, sectionOf('linkedin'), 'data-replica-label'), 'rules');
  assert.ok((await text(page, '[data-replica-account]')).includes(ACCOUNT.email), 'the account is on the page');

  // Periodic re-renders keep the node; a save replaces it.
  const r0 = Number(await attr(page, sectionOf('linkedin'), 'data-replica-renders'));
  await page.waitForFunction((n) => Number(document.querySelector('[data-replica-setting]').dataset.replicaRenders) >= n + 2, r0);
  assert.equal(await first.evaluate((e) => e.isConnected), true, 'the same element across periodic re-renders');
  await sw.click(); // trusted
  const second = await loadedSetting(page, 'linkedin', 'off');
  assert.equal(await first.evaluate((e) => e.isConnected), false, 'the save replaced the element');
  assert.equal(await second.evaluate((e) => e.checked), false);
  assert.equal(await second.getAttribute('aria-checked'), 'false');
  assert.equal(replica.settings.get('linkedin'), 'off', 'the server keeps it');

  await page.reload();
  await loadedSetting(page, 'linkedin', 'off');
  assert.equal(await page.getByRole('switch', { name: label }).isChecked(), false, 'off after a reload');
  // The platform turns it on again; a later visit (a new context: no cache, no cookies) finds it on.
  replica.settings.set('linkedin', 'on');
  const later = await fresh();
  await later.page.goto(settingUrl('linkedin'));
  await loadedSetting(later.page, 'linkedin', 'on');
  await later.context.close();
  // The page's own saves are explained page traffic, nothing else is.
  assert.deepEqual(unexplainedRequests(serverRequests(mark)), []);
  assert.ok(serverRequests(mark).some((r) => r.method === 'POST' && r.path === '/_replica/state'), 'the page saved through the hook');
  assert.deepEqual(errors, []);
  await context.close();
});

test('service setting pages: ?setting=, churn (replaced every tick), relabelled, typeset, ?lang without a rules label, login wall', async () => {
  replica.settings.reset();
  const { context, page, errors } = await fresh();
  await page.goto(`${settingUrl('linkedin')}?setting=off`);
  await loadedSetting(page, 'linkedin', 'off');
  assert.equal(replica.settings.get('linkedin'), 'off', '?setting=off set the server state');

  await page.goto(`${settingUrl('linkedin')}?replica=churn`);
  const a = await loadedSetting(page, 'linkedin', 'off');
  const g0 = Number(await attr(page, sectionOf('linkedin'), 'data-replica-generation'));
  await page.waitForFunction((g) => Number(document.querySelector('[data-replica-setting]').dataset.replicaGeneration) >= g + 2, g0);
  assert.equal(await a.evaluate((e) => e.isConnected), false, 'churn: replaced by a new element');

  const label = SERVICES.linkedin.setting.labels.find((l) => l.lang === 'en').text;
  for (const q of ['replica=relabelled', 'lang=xx']) {
    await page.goto(`${settingUrl('linkedin')}?${q}`);
    await loadedSetting(page, 'linkedin', 'off');
    assert.equal(await attr(page, sectionOf('linkedin'), 'data-replica-label'), 'unknown', q);
    assert.equal(await page.getByRole('switch', { name: label }).count(), 0, `${q}: no switch with the rules' label`);
    assert.equal(await page.getByRole('switch').count(), 1, `${q}: a switch still`);
  }
  // Another language of the rules, by ?lang= and by the browser's language.
  const other = SERVICES.linkedin.setting.labels.find((l) => l.lang !== 'en');
  if (other) {
    for (const [q, options] of [[`lang=${other.lang}`, {}], ['lang=auto', { locale: other.lang }]]) {
      const f = await fresh(options);
      await f.page.goto(`${settingUrl('linkedin')}?${q}`);
      await loadedSetting(f.page, 'linkedin', 'off');
      assert.equal(await attr(f.page, 'html', 'lang'), other.lang, q);
      assert.equal(await f.page.getByRole('switch', { name: other.text }).count(), 1, `${q}: the rules' ${other.lang} label`);
      await f.context.close();
    }
  }
  await page.goto(`${settingUrl('linkedin')}?replica=typeset`);
  await loadedSetting(page, 'linkedin', 'off');
  const shown = await page.locator('label').first().textContent();
  assert.ok(shown.includes('\u00a0'), 'typeset: a no-break space');
  assert.equal(norm(shown.replace(/\u00a0/g, ' ')), label);

  // wrapped: the rules' text is part of a longer label (X's real label is longer than its rules' fragment).
  const xLabel = SERVICES.x.setting.labels.find((l) => l.lang === 'en').text;
  await page.goto(`${settingUrl('x')}?replica=wrapped`);
  await loadedSetting(page, 'x', SERVICES.x.setting.default);
  const wrapped = norm(await page.locator('label').first().textContent());
  assert.ok(wrapped.includes(xLabel) && wrapped !== xLabel && wrapped.startsWith(norm(WRAP[0])), wrapped);
  assert.equal(await page.getByRole('checkbox', { name: xLabel }).count(), 1, 'found by a name that contains the rules\' text');

  await page.goto(`${settingUrl('linkedin')}?replica=login`);
  await page.waitForSelector('[data-replica-page=login]');
  assert.equal(await page.locator('[data-replica-control], [role=switch], input[type=checkbox]').count(), 0, 'login wall: no control');
  assert.deepEqual(errors, []);
  await context.close();
});

test('LinkedIn feed: a post quotes the setting\'s label (not a control), a cookie banner, links to the setting and the objection form', async () => {
  replica.settings.reset();
  const { context, page, errors } = await fresh();
  const home = `https://${SERVICES.linkedin.hosts[0]}/feed/`;
  await page.goto(home);
  await page.waitForSelector('[data-replica-route=feed]');
  const label = SERVICES.linkedin.setting.labels.find((l) => l.lang === 'en').text;
  assert.ok(norm(await text(page, '[data-replica-post=quote]')).includes(label), 'the post quotes the rules\' label');
  assert.equal(await page.locator('[role=switch], input[type=checkbox], [data-replica-control]').count(), 0, 'no control on the feed');
  assert.ok((await page.locator('article[data-replica-post]').count()) >= 3);

  await page.goto(`${home}?replica=cookies`);
  await page.waitForSelector('#replica-cookie-dialog[role=dialog][data-replica-dialog=cookies]');
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('replica-cookie-dialog')).zIndex), '2147483647');
  await page.click('#replica-cookie-accept');
  assert.equal(await page.locator('#replica-cookie-dialog').count(), 0);

  await page.goto(home);
  await page.click('[data-replica-link=setting] >> nth=0');
  await page.waitForURL(settingUrl('linkedin'));
  await loadedSetting(page, 'linkedin', 'on');
  await page.goto(home);
  await page.click('main [data-replica-link=objection]');
  await page.waitForURL(`https://${SERVICES.linkedin.objection.pages[0].hosts[0]}${SERVICES.linkedin.objection.path}`);
  await page.fill('textarea[name=reason]', 'No training on my data.');
  await page.click('#replica-send');
  await page.waitForSelector('#replica-received[role=status]');
  assert.equal(await text(page, '#replica-submitted-reason'), 'No training on my data.');
  await page.goto(`https://${SERVICES.linkedin.hosts[0]}/feed/?replica=login`);
  await page.waitForSelector('[data-replica-page=login]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('X: from the home timeline to the Grok page client-side (no document load); the checkbox saves and survives a reload', async () => {
  replica.settings.reset();
  const { context, page, errors } = await fresh();
  const origin = `https://${SERVICES.x.setting.pages[0].hosts[0]}`;
  await page.goto(`${origin}/home`);
  await page.waitForSelector('[data-replica-route=home] [data-replica-post=quote]');
  const label = SERVICES.x.setting.labels.find((l) => l.lang === 'en').text;
  assert.ok(norm(await text(page, '[data-replica-post=quote]')).includes(label), 'the timeline quotes the label');
  await page.evaluate(() => { window.replicaMarker = 'same document'; });
  const loads = documentLoads();
  // Through the menus, then straight from home.
  for (const link of ['settings', 'privacy', 'data-sharing', 'setting']) await page.locator(`[data-replica-link=${link}]`).last().click();
  assert.equal(new URL(page.url()).pathname, SERVICES.x.setting.path);
  const box = await loadedSetting(page, 'x', 'on');
  assert.equal(await box.evaluate((e) => [e.type, e.checked, e.getAttribute('role')].join()), 'checkbox,true,');
  assert.equal(await page.getByRole('checkbox', { name: label }).count(), 1, 'named by the rules\' label');
  await page.getByRole('checkbox', { name: label }).click();
  await loadedSetting(page, 'x', 'off');
  assert.equal(replica.settings.get('x'), 'off');
  await page.goBack();
  assert.equal(await attr(page, '[data-replica-route]', 'data-replica-route'), 'data-sharing', 'Back re-renders the menu page');
  await page.evaluate(() => window.replicaNavigate('/home'));
  await page.click('main [data-replica-link=setting]');
  await loadedSetting(page, 'x', 'off');
  assert.equal(await page.evaluate(() => window.replicaMarker), 'same document', 'no document load on the way');
  assert.equal(documentLoads(), loads, 'the server saw no document request');
  await page.reload();
  await loadedSetting(page, 'x', 'off');
  assert.equal(await page.getByRole('checkbox', { name: label }).isChecked(), false, 'off after a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Google My Activity: the control as the rules describe it (and both forms); the state survives a reload', async () => {
  replica.settings.reset();
  const { context, page, errors } = await fresh();
  const url = settingUrl('google');
  const forms = { ask: 'menu', label: 'switch' };
  await page.goto(url);
  await loadedSetting(page, 'google', SERVICES.google.setting.default);
  assert.equal(await page.locator('[role=switch]').count(), SERVICES.google.setting.find === 'label' ? 1 : 0,
    `the rules' find "${SERVICES.google.setting.find}"`);

  await page.goto(`${url}?replica=menu`);
  await loadedSetting(page, 'google', 'on');
  assert.equal(await text(page, '[data-replica-activity-status]'), 'On');
  assert.equal(await page.locator('[role=switch], input[type=checkbox]').count(), 0, 'menu form: nothing with a state to read');
  await page.click('[data-replica-action=open-menu]');
  await page.click('#replica-menu [role=menuitem][data-replica-action=turn-off]');
  await loadedSetting(page, 'google', 'off');
  assert.equal(await text(page, '[data-replica-activity-status]'), 'Off');
  await page.reload();
  await loadedSetting(page, 'google', 'off');
  await page.click('[data-replica-action=turn-on]');
  await loadedSetting(page, 'google', 'on');

  await page.goto(`${url}?replica=switch`);
  await loadedSetting(page, 'google', 'on');
  const sw = page.getByRole('switch');
  assert.equal(await sw.getAttribute('aria-checked'), 'true');
  await sw.click();
  await loadedSetting(page, 'google', 'off');
  assert.equal(await page.getByRole('switch').getAttribute('aria-checked'), 'false');
  assert.equal(replica.settings.get('google'), 'off');
  await page.goto(`https://${SERVICES.google.setting.pages[0].hosts[0]}/`);
  await page.click('[data-replica-link=setting]');
  await page.waitForURL(url);
  // The service's other hosts (the rules' domains, e.g. gemini.google.com): its app, with a link to the setting.
  const appHosts = SERVICES.google.hosts.filter((h) => h !== new URL(SERVICES.google.setting.link).hostname);
  assert.ok(appHosts.length > 0, 'an app host');
  for (const h of appHosts) {
    await page.goto(`https://${h}/app`);
    await page.waitForSelector('[data-replica-route=gemini]');
    await page.click('[data-replica-link=setting]');
    await page.waitForURL(SERVICES.google.setting.link);
  }
  assert.ok(forms[SERVICES.google.setting.find]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('state hook over HTTP: GET/POST with the header; 403 without; 400 on a bad body; such requests are unexplained without it', async () => {
  replica.settings.reset();
  const call = (method, body, headers = { 'x-replica-hook': 'state' }) => new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: replica.port, path: '/_replica/state', method,
      servername: 'x.com', headers: { host: 'x.com', 'content-type': 'application/json', ...headers }, rejectUnauthorized: false }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: data ? JSON.parse(data) : null }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
  const mark = replica.requests.length;
  const defaults = Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, s.setting.default]));
  assert.deepEqual((await call('GET')).body, defaults);
  assert.equal((await call('POST', { service: 'x', state: 'off' })).body.x, 'off');
  assert.equal(replica.settings.get('x'), 'off');
  assert.equal((await call('POST', { service: 'x', state: 'maybe' })).status, 400);
  assert.equal((await call('POST', { service: 'nope', state: 'on' })).status, 400);
  assert.deepEqual((await call('POST', { reset: true })).body, defaults);
  assert.deepEqual(unexplainedRequests(serverRequests(mark)), [], 'with the header: the hook');
  const m2 = replica.requests.length;
  assert.equal((await call('POST', { service: 'x', state: 'off' }, {})).status, 403);
  assert.equal(replica.settings.get('x'), 'on');
  assert.equal(unexplainedRequests(serverRequests(m2)).length, 1, 'without the header: unexplained');
  assert.deepEqual(await replicaState(replica.port, { service: 'google', state: 'off' }), { ...defaults, google: 'off' });
  assert.deepEqual(await replicaState(replica.port), replica.settings.all(), 'replicaState(port): the helper');
  await replicaState(replica.port, { reset: true });
  assert.equal(isStateHookRequest({ method: 'POST', url: 'https://x.com/_replica/state', hook: 'state' }), true);
  assert.equal(isStateHookRequest({ method: 'POST', url: 'https://x.com/_replica/state', hook: null }), false);
});

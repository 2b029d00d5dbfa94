// Chromium backend of the end-to-end driver (tests/e2e/driver.mjs builds the one driver interface on it;
// tests never import this file). Debian's Chromium (/usr/bin/chromium) through npm `playwright-core`, with
// the BUILT extension (dist/chromium) loaded unpacked into a persistent profile. The test server answers for
// Meta's real host names through --host-resolver-rules; every other host resolves to it too, so nothing can
// leave the machine and the server's log sees whatever Playwright might miss.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { isPageAsset, isStateHookRequest, FACEBOOK_HOSTS, INSTAGRAM_HOSTS, OTHER_HOSTS, SERVICE_DOMAINS } from '../replica/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_ID = 'iddanobcjbciolaflajffjajfcapogle';
const REPLICA_HOSTS = new Set([...FACEBOOK_HOSTS, ...INSTAGRAM_HOSTS, ...OTHER_HOSTS]);
const TIMEOUT = Symbol('timeout');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const bounded = (p, ms) => Promise.race([p, sleep(ms).then(() => TIMEOUT)]).catch(() => TIMEOUT);

export const chromiumDefaults = {
  extensionDir: process.env.E2E_CHROMIUM_EXTENSION || path.join(ROOT, 'dist', 'chromium'),
  executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
};
export const chromiumNeeds = () => [[chromiumDefaults.executablePath, `no Chromium at ${chromiumDefaults.executablePath} (apt-get install chromium)`]];

// Chromium's own background traffic, which --disable-background-networking does not fully stop (seen with
// Chromium 156: accounts.google.com/ListAccounts, update.googleapis.com, content-autofill.googleapis.com,
// plus plain-http probes). Every host name resolves to the test server, so it lands there: it is the
// browser's, not the extension's (no Origin or a Google one, Sec-Fetch-Site "none", Sec-Fetch-Mode "no-cors"
// or plain http). The extension has no reason to talk to Google; a request it made there in no-cors mode
// would be missed by this server-side check, though Playwright's own log (requests()) would still see it.
const CHROMIUM_SERVICE_HOST = /(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|google|chromium\.org)$/;
const googleOrigin = (o) => { try { return CHROMIUM_SERVICE_HOST.test(new URL(o).hostname); } catch { return false; } };
export const isChromiumNoise = (r) => !!r.host && CHROMIUM_SERVICE_HOST.test(r.host) && (!r.origin || googleOrigin(r.origin)) &&
  (r.scheme === 'http' || (r.secFetchSite === 'none' && r.secFetchMode === 'no-cors'));

/** The id Chromium gives an unpacked extension without a manifest key: sha256 of its path, in a-p letters. */
export function unpackedId(dir) {
  const hex = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

// The panel's shadow root is CLOSED (extension/content/banner.js): `host.shadowRoot` is null in the page,
// and Playwright's selectors and handles see only open roots. CDP sees every root: DOM.describeNode with
// pierce lists the host's shadow root whatever its mode (`shadowRootType: "closed"`), DOM.resolveNode makes
// it a JS object of the page's main world, and Runtime.callFunctionOn runs a page-fns function with it as
// the second argument (https://chromedevtools.github.io/devtools-protocol/tot/DOM/#method-describeNode,
// #method-resolveNode, /tot/Runtime/#method-callFunctionOn). The root is handed to the function only,
// never stored in the page.
const PANEL_GROUP = 'widerspruch-test-panel';
const PANEL_HOST_OR_DOCUMENT = "document.querySelector('widerspruch-banner') || document";
// The host may be replaced between finding its root and calling the function (a panel re-renders by
// replacing its host): then the call answers STALE and is made again, so a reader never sees a new host
// with an old root (or none).
export const STALE_PANEL_ROOT = 'widerspruch-test: stale panel root';
const withRoot = (fn, check = true) => `function (arg) {
  const root = this instanceof ShadowRoot ? this : null;
  if (${check} && (root ? root.host : null) !== document.querySelector('widerspruch-banner')) return ${JSON.stringify(STALE_PANEL_ROOT)};
  return (${fn})(arg, root);
}`;

/** CDP access to one page's panel root; the session is opened on first use and again after it closed. */
export function panelAccess(page) {
  let session = null;
  const cdp = async (method, params) => {
    if (!session) session = await page.context().newCDPSession(page);
    try {
      return await session.send(method, params);
    } catch (e) {
      if (/closed|detached/i.test(String(e?.message))) session = null;
      throw e;
    }
  };
  // The object id of the first <widerspruch-banner>'s shadow root (any mode), else of the document.
  async function rootOrDocument() {
    const { result, exceptionDetails } = await cdp('Runtime.evaluate', { expression: PANEL_HOST_OR_DOCUMENT, objectGroup: PANEL_GROUP });
    if (exceptionDetails) throw new Error(`finding the panel host: ${exceptionDetails.text}`);
    if (result.className === 'HTMLDocument' || result.className === 'Document') return result.objectId;
    const { node } = await cdp('DOM.describeNode', { objectId: result.objectId, depth: 0, pierce: true });
    const root = node.shadowRoots?.[0];
    if (!root) return result.objectId; // a host without a root yet: `this` is the host, the function gets null
    const { object } = await cdp('DOM.resolveNode', { backendNodeId: root.backendNodeId, objectGroup: PANEL_GROUP });
    return object.objectId;
  }
  const release = () => cdp('Runtime.releaseObjectGroup', { objectGroup: PANEL_GROUP }).catch(() => {});
  async function call(fn, arg, { byValue = true } = {}) {
    for (let attempt = 1; ; attempt++) {
      const objectId = await rootOrDocument();
      // After a few stale answers (a page that keeps replacing the host, or a host of its own without a
      // root), the function runs with what there is.
      const r = await cdp('Runtime.callFunctionOn', { objectId, functionDeclaration: withRoot(fn, attempt < 5),
        arguments: [arg === undefined ? {} : { value: arg }], returnByValue: byValue, awaitPromise: true, objectGroup: PANEL_GROUP });
      if (r.exceptionDetails) {
        throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      }
      if (r.result.value !== STALE_PANEL_ROOT) return r.result;
      await release();
    }
  }
  return {
    /** fn(arg, root) in the main world → its JSON value. */
    async eval(fn, arg) {
      try { return (await call(fn, arg)).value; } finally { await release(); }
    },
    /**
     * The centre of the element finder(arg, root) returns, scrolled into view, once the element itself
     * (or one of its children) is what a click there would hit, as Playwright's own click waits for.
     */
    async point(finder, arg, what, timeout = 5000) {
      const deadline = Date.now() + timeout;
      for (let last = 'no such element'; ; await sleep(50)) {
        try {
          const el = await call(finder, arg, { byValue: false });
          if (el.subtype === 'node') {
            await cdp('DOM.scrollIntoViewIfNeeded', { objectId: el.objectId });
            const { quads } = await cdp('DOM.getContentQuads', { objectId: el.objectId });
            const q = quads?.[0];
            if (q) {
              const at = { x: (q[0] + q[2] + q[4] + q[6]) / 4, y: (q[1] + q[3] + q[5] + q[7]) / 4 };
              const hit = await cdp('Runtime.callFunctionOn', { objectId: el.objectId, returnByValue: true, arguments: [{ value: at }],
                functionDeclaration: 'function (p) { const h = this.getRootNode().elementFromPoint(p.x, p.y); return h === this || this.contains(h) ? "" : h ? h.tagName : "nothing"; }' });
              if (hit.result.value === '') return at;
              last = `${hit.result.value} would receive the click`;
            } else last = 'not rendered';
          }
        } catch (e) { last = String(e?.message ?? e); } finally { await release(); }
        if (Date.now() >= deadline) throw new Error(`${what}: ${last}`);
      }
    },
  };
}

/** A tab: a Playwright Page with the primitives driver.mjs uses. */
function tabOf(page, backend) {
  const panel = panelAccess(page);
  return {
    page,
    eval: (fn, arg) => page.evaluate(fn, arg),
    // fn(arg, root): root = the panel's shadow root (closed), through CDP (see panelAccess).
    evalPanel: (fn, arg) => panel.eval(fn, arg),
    // The click point of an element: inside the panel through CDP, else through Playwright's handle.
    async point(finder, arg, what, { inPanel = false } = {}) {
      if (inPanel) return panel.point(finder, arg, what);
      const el = (await page.evaluateHandle(finder, arg)).asElement();
      if (!el) throw new Error(`${what}: no such element`);
      await el.scrollIntoViewIfNeeded();
      const b = await el.boundingBox();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    },
    async setViewport(width, height) { await page.setViewportSize({ width, height }); },
    // A script text (function body, may await) run in the page's main world; not subject to the page CSP.
    evalText: (body) => page.evaluate(`(async () => { ${body} })()`),
    async click(finder, arg, what, { inPanel = false } = {}) {
      if (inPanel) {
        const at = await panel.point(finder, arg, what);
        await page.mouse.click(at.x, at.y); // CDP Input: a real, trusted (isTrusted) mouse click
        return;
      }
      const h = await page.evaluateHandle(finder, arg);
      const el = h.asElement();
      if (!el) throw new Error(`${what}: no such element`);
      await el.click({ timeout: 5000 }); // a real, trusted (isTrusted) mouse click at the element's centre
    },
    async type(finder, arg, text, what) {
      const el = (await page.evaluateHandle(finder, arg)).asElement();
      if (!el) throw new Error(`${what}: no such element`);
      await el.fill(text);
    },
    // Clicks a link that may open in this tab or a new one; → the tab where it went.
    async clickFollow(finder, arg, what, opts = {}) {
      const ctx = page.context();
      const newPage = ctx.waitForEvent('page', { timeout: 5000 }).then((np) => ({ np })).catch(() => null);
      const nav = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 5000 })
        .then(() => ({ nav: true })).catch(() => null);
      await this.click(finder, arg, what, opts);
      const r = await new Promise((resolve) => {
        let pending = 2;
        const done = (v) => { if (v) resolve(v); else if (--pending === 0) resolve(null); };
        newPage.then(done); nav.then(done);
      });
      if (!r) throw new Error(`${what}: the click neither navigated nor opened a tab`);
      const to = r.np ?? page;
      await to.waitForLoadState('load');
      await to.bringToFront();
      return r.np ? backend.track(to) : this;
    },
    goto: async (url) => { await page.goto(url, { waitUntil: 'load' }); await page.bringToFront(); },
    url: async () => page.url(),
    close: () => page.close(),
    get closed() { return page.isClosed(); },
  };
}

export function createChromiumBackend({ server, extensionDir = chromiumDefaults.extensionDir,
  executablePath = chromiumDefaults.executablePath } = {}) {
  if (!server?.port) throw new Error('createChromiumBackend: server (with its port) is required');
  let context = null;
  let opts = {};
  let profileDir = null;
  let ownsProfile = false;
  let extensionId = null;
  let currentWorker = null;
  const seen = []; // every http(s) request Playwright saw in this backend's lifetime (across restarts)
  const errors = []; // page errors and console errors of every web page

  const map = (h) => `MAP ${h} 127.0.0.1:${server.port}`;
  // The services' domains come from their rules files (src/rules/<id>.json hosts.domains, via server.mjs).
  const resolverRules = [map('*.facebook.com'), map('facebook.com'), map('*.instagram.com'), map('instagram.com'),
    ...SERVICE_DOMAINS.flatMap((d) => [map(`*.${d}`), map(d)]),
    map('*.example.org'), map('example.org'), map('*'), 'EXCLUDE localhost'].join(', ');

  function recordRequest(req) {
    const url = req.url();
    if (!/^https?:/i.test(url)) return;
    const tryGet = (f) => { try { return f(); } catch { return null; } };
    const frame = tryGet(() => req.frame());
    const worker = tryGet(() => req.serviceWorker());
    seen.push({
      url, method: req.method(), resourceType: req.resourceType(), navigation: req.isNavigationRequest(),
      mainFrame: !!frame && tryGet(() => frame.parentFrame() === null) === true,
      worker: worker ? worker.url() : null, frameUrl: tryGet(() => frame?.url() ?? null),
      pageUrl: tryGet(() => frame?.page()?.url() ?? null), time: Date.now(),
      hook: tryGet(() => req.headers()['x-replica-hook']) ?? null,
    });
  }

  // "The test's own page load": a top-level navigation in a web page, or a script/stylesheet/image the
  // replica page itself references, fetched by a web page. Everything else (service worker, extension
  // pages, fetch/xhr/beacon/websocket from a page, sub-frames, any other host) is the extension's.
  function isTestTraffic(r) {
    if (r.worker) return false;
    if (/^chrome-extension:/i.test(r.pageUrl ?? '') || /^chrome-extension:/i.test(r.frameUrl ?? '')) return false;
    if (r.navigation) return r.mainFrame && r.pageUrl !== null;
    let u;
    try { u = new URL(r.url); } catch { return false; }
    // A service replica saving its setting (tests/replica/README.md "The setting's state"): the page's XHR.
    if (isStateHookRequest(r)) return REPLICA_HOSTS.has(u.hostname) && r.pageUrl !== null;
    return REPLICA_HOSTS.has(u.hostname) && isPageAsset(u.pathname) &&
      ['script', 'stylesheet', 'image'].includes(r.resourceType) && r.pageUrl !== null;
  }

  const ours = (w) => w.url().startsWith(`chrome-extension://${extensionId ?? ''}`);
  function trackWorker(w) {
    if (!w.url().startsWith('chrome-extension://') || (extensionId && !ours(w))) return;
    if (!extensionId && opts.alsoInstall?.some((d) => w.url().startsWith(`chrome-extension://${unpackedId(d)}/`))) return;
    currentWorker = w;
    w.once('close', () => { if (currentWorker === w) currentWorker = null; });
  }
  const workerAppeared = (timeout) => new Promise((resolve) => {
    if (currentWorker) return resolve(currentWorker);
    const t = setTimeout(() => { context?.off('serviceworker', on); resolve(currentWorker); }, timeout);
    const on = () => { if (currentWorker) { clearTimeout(t); context.off('serviceworker', on); resolve(currentWorker); } };
    context.on('serviceworker', on);
  });

  function trackPage(p) {
    p.on('pageerror', (e) => errors.push({ kind: 'pageerror', text: String(e?.message ?? e), url: p.url() }));
    p.on('console', (m) => { if (m.type() === 'error' && !/^chrome-extension:/.test(p.url())) errors.push({ kind: 'console', text: m.text(), url: p.url() }); });
  }

  // CDP ServiceWorker domain through a session on a tab (it sees the extension's registration).
  async function withServiceWorkerDomain(fn) {
    const p = await backend.testTab();
    const s = await context.newCDPSession(p.page);
    const versions = new Map();
    const listeners = new Set();
    s.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) versions.set(v.versionId, v);
      for (const l of listeners) l();
    });
    const until = (pred, timeout) => new Promise((resolve) => {
      const check = () => { if (pred([...versions.values()])) { listeners.delete(check); clearTimeout(t); resolve(true); } };
      const t = setTimeout(() => { listeners.delete(check); resolve(false); }, timeout);
      listeners.add(check);
      check();
    });
    try {
      await s.send('ServiceWorker.enable');
      return await fn(s, until);
    } finally {
      await s.send('ServiceWorker.disable').catch(() => {});
      await s.detach().catch(() => {});
    }
  }

  async function startWorker() {
    await withServiceWorkerDomain(async (s, until) => {
      if (await until((vs) => vs.some((v) => v.runningStatus === 'running'), 300)) return;
      await s.send('ServiceWorker.startWorker', { scopeURL: `chrome-extension://${extensionId}/` });
      await until((vs) => vs.some((v) => v.runningStatus === 'running'), 5000);
    });
  }

  let test = null; // the test tab

  const backend = {
    name: 'chromium',
    get extensionId() { return extensionId; },
    ignoreServerRequest: isChromiumNoise,

    track(page) { trackPage(page); return tabOf(page, backend); },

    async start(o = {}) {
      opts = { ...o };
      if (o.profileDir) { profileDir = o.profileDir; ownsProfile = false; } else if (!profileDir) {
        profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsp-chromium-'));
        ownsProfile = true;
        // Developer mode: without it Chromium disables a command-line (--load-extension) extension that
        // reloads itself (chrome://extensions-internals: DISABLE_UNSUPPORTED_DEVELOPER_EXTENSION), and
        // reloadExtension() is what an update looks like.
        fs.mkdirSync(path.join(profileDir, 'Default'));
        fs.writeFileSync(path.join(profileDir, 'Default', 'Preferences'), JSON.stringify({ extensions: { ui: { developer_mode: true } } }));
      }
      const dir = o.extensionDir ?? extensionDir;
      const exts = [dir, ...(o.alsoInstall ?? [])].join(',');
      const args = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--no-default-browser-check', '--disable-features=Translate,MediaRouter',
        `--load-extension=${exts}`, `--disable-extensions-except=${exts}`,
        `--host-resolver-rules=${resolverRules}`, '--ignore-certificate-errors'];
      if (o.locale) args.push(`--lang=${o.locale}`);
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath, headless: false, args, ignoreDefaultArgs: ['--disable-extensions'], ignoreHTTPSErrors: true,
        locale: o.locale, colorScheme: o.colorScheme ?? 'light',
        env: { ...process.env, ...(o.locale ? { LANGUAGE: o.locale.replace('-', '_') } : {}) },
        viewport: { width: 1200, height: 800 },
      });
      context.on('request', recordRequest);
      context.on('page', trackPage);
      currentWorker = null;
      context.on('serviceworker', trackWorker);
      for (const w of context.serviceWorkers()) trackWorker(w);
      // On a first launch the worker runs for installation; after a restart it may legitimately stay asleep.
      const sw = await workerAppeared(extensionId ? 3000 : 15000);
      if (!sw && !extensionId) throw new Error(`no extension service worker appeared (extension dir ${dir})`);
      if (sw) {
        const id = new URL(sw.url()).host;
        if (!o.extensionDir && id !== EXTENSION_ID) throw new Error(`extension id is ${id}, expected ${EXTENSION_ID} (is the manifest "key" set?)`);
        extensionId = id;
      }
      const first = context.pages()[0] ?? await context.newPage();
      trackPage(first);
      test = tabOf(first, backend);
    },

    async stop({ keepProfile = false } = {}) {
      if (context) { const c = context; context = null; test = null; await c.close().catch(() => {}); }
      if (!keepProfile && ownsProfile && profileDir) { fs.rmSync(profileDir, { recursive: true, force: true }); profileDir = null; }
      if (!keepProfile) { extensionId = null; seen.length = 0; errors.length = 0; }
    },

    async testTab() {
      if (!test || test.closed) test = backend.track(await context.newPage());
      return test;
    },
    setTestTab(tab) { test = tab; },
    async newTab() { return backend.track(await context.newPage()); },
    async extensionTab(pagePath, { viewport } = {}) {
      const p = await context.newPage();
      if (viewport) await p.setViewportSize(viewport);
      await p.goto(`chrome-extension://${extensionId}/${pagePath}`);
      return tabOf(p, backend);
    },

    // Runs fn(arg) in the extension's service worker, started first if it is asleep (stopped by
    // stopBackground, by Chromium's idle timer, or never woken after a restart); starting it runs its
    // top-level code, which may itself set the badge.
    async extensionEval(fn, arg) {
      for (let attempt = 0; attempt < 3; attempt++) {
        await startWorker();
        const sw = currentWorker ?? await workerAppeared(5000);
        // Chromium reuses the worker's target when it restarts, so evaluate() on a stale handle can hang: bound it.
        if (sw) { const r = await bounded(sw.evaluate(fn, arg), 3000); if (r !== TIMEOUT) return r; }
      }
      throw new Error('extensionEval: could not evaluate in the extension service worker');
    },

    // In another extension (alsoInstall): its page probe.html.
    async otherExtensionEval(dir, fn, arg) {
      const p = await context.newPage();
      try {
        await p.goto(`chrome-extension://${unpackedId(dir)}/probe.html`);
        return await p.evaluate(fn, arg);
      } finally { await p.close(); }
    },

    // CDP ServiceWorker.stopAllWorkers, then wait until Chromium reports ours stopped.
    async stopBackground() {
      const stopped = await withServiceWorkerDomain(async (s, until) => {
        await until((vs) => vs.length > 0, 2000);
        await s.send('ServiceWorker.stopAllWorkers');
        return until((vs) => vs.length > 0 && vs.every((v) => v.runningStatus === 'stopped'), 5000);
      });
      if (!stopped) throw new Error('stopBackground: the extension service worker did not stop within 5 s');
    },

    // An update: chrome.runtime.reload() in the worker (the evaluation dies with the worker), then wait for
    // a new worker of the same extension.
    async reloadExtension() {
      const old = currentWorker ?? await workerAppeared(5000);
      const fresh = new Promise((resolve) => {
        const on = (w) => { if (ours(w) && w !== old) { context.off('serviceworker', on); resolve(w); } };
        context.on('serviceworker', on);
      });
      await bounded(old.evaluate(() => { setTimeout(() => chrome.runtime.reload(), 50); return true; }), 3000);
      const w = await bounded(fresh, 10000);
      if (w === TIMEOUT) {
        // Chromium may reuse the worker target: then a running worker of ours is what we wait for.
        await startWorker();
      }
    },

    // A trusted click whose release and the worker stop go out back to back (CDP), `delay` ms apart: the
    // click's message is then in flight while the worker dies. Does not wait for the stop to complete.
    async clickThenStop(tab, finder, arg, what, delay, opts = {}) {
      const at = await tab.point(finder, arg, what, opts);
      const sw = await context.newCDPSession(tab.page);
      const input = await context.newCDPSession(tab.page);
      const mouse = (type) => input.send('Input.dispatchMouseEvent', { type, ...at, button: type === 'mouseMoved' ? 'none' : 'left', clickCount: 1 });
      try {
        await sw.send('ServiceWorker.enable');
        await mouse('mouseMoved');
        await mouse('mousePressed');
        const released = mouse('mouseReleased');
        if (delay) await sleep(delay);
        await sw.send('ServiceWorker.stopAllWorkers').catch(() => {});
        await released;
      } finally {
        await Promise.all([sw.detach().catch(() => {}), input.detach().catch(() => {})]);
      }
    },

    async requests() { return seen.filter((r) => !isTestTraffic(r)); },
    async errorsSince(mark) { return errors.slice(mark); },
    async errorMark() { return errors.length; },

    // Trusted presses in several tabs AT ONCE: every press goes out before any release, each step to all
    // tabs in the same tick, through CDP Input.dispatchMouseEvent (what Playwright's mouse uses).
    async clickTogether(targets) {
      const points = [];
      for (const t of targets) {
        const at = await t.tab.point(t.finder, t.arg, `clickTogether: ${t.what}`, { inPanel: !!t.inPanel });
        points.push({ page: t.tab.page, ...at });
      }
      const sessions = await Promise.all(points.map((p) => context.newCDPSession(p.page)));
      const all = (type) => Promise.all(points.map((p, i) => sessions[i].send('Input.dispatchMouseEvent',
        { type, x: p.x, y: p.y, button: type === 'mouseMoved' ? 'none' : 'left', clickCount: 1 })));
      try {
        await all('mouseMoved');
        await all('mousePressed');
        await all('mouseReleased');
      } finally {
        await Promise.all(sessions.map((s) => s.detach().catch(() => {})));
      }
    },
  };
  return backend;
}

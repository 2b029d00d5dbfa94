// Chromium driver for the end-to-end scenarios (see README.md in this folder for the interface).
//
// Debian's Chromium (/usr/bin/chromium) through npm `playwright-core`, with the BUILT extension
// (dist/chromium) loaded unpacked into a persistent profile. The replica server answers for Meta's
// real host names through --host-resolver-rules; every other host resolves to NOTFOUND so nothing
// can leave the machine.
//
//   const driver = createChromiumDriver({replicaPort, extensionDir});
//   await driver.launch(); await driver.open('https://www.facebook.com/'); await driver.banner(); ...

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { isPageAsset, FACEBOOK_HOSTS, INSTAGRAM_HOSTS, OTHER_HOSTS } from '../replica/server.mjs';
import {
  readPanelInPage, readFieldsInPage, readTextInPage, readValueInPage, readGroupsInPopup, readPopupInfo,
  countPopupRepaints, popupRepaints,
} from './page-fns.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_ID = 'iddanobcjbciolaflajffjajfcapogle';
const REPLICA_HOSTS = new Set([...FACEBOOK_HOSTS, ...INSTAGRAM_HOSTS, ...OTHER_HOSTS]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TIMEOUT = Symbol('timeout');

// How long banner() waits for a banner to show up before reporting {count: 0}. A negative result is only
// worth anything if this is comfortably longer than the time a banner takes to appear on a positive page
// (the scenarios check a positive page first in the same browser).
const BANNER_WAIT_MS = Number(process.env.E2E_BANNER_WAIT_MS || 3000);

export function createChromiumDriver({
  replicaPort,
  extensionDir = process.env.E2E_CHROMIUM_EXTENSION || path.join(ROOT, 'dist', 'chromium'),
  executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium',
  expectedId = process.env.E2E_CHROMIUM_EXTENSION_ID ?? EXTENSION_ID, // '' = accept any id
} = {}) {
  if (!replicaPort) throw new Error('createChromiumDriver: replicaPort is required');
  let context = null;
  let page = null; // the test tab
  let profileDir = null;
  let ownsProfile = false;
  let launchOptions = {};
  let extensionId = null;
  let currentWorker = null; // the live extension service worker, as Playwright last reported it
  const seen = []; // every http(s) request seen in this driver's lifetime (across restarts)
  const testNavigations = new Set(); // URLs the test itself navigated to (open / form link / client nav)

  const map = (h) => `MAP ${h} 127.0.0.1:${replicaPort}`;
  const resolverRules = [
    map('*.facebook.com'), map('facebook.com'), map('*.instagram.com'), map('instagram.com'),
    map('*.example.org'), map('example.org'),
    // Every other host goes to the replica too: it answers 404 and logs the request (with
    // --ignore-certificate-errors the TLS name mismatch does not stop it), so nothing leaves the machine
    // and the server-side log sees whatever Playwright might miss.
    map('*'), 'EXCLUDE localhost',
  ].join(', ');

  function recordRequest(req) {
    const url = req.url();
    if (!/^https?:/i.test(url)) return;
    let frame = null;
    try { frame = req.frame(); } catch { frame = null; }
    let worker = null;
    try { worker = req.serviceWorker(); } catch { worker = null; }
    let pageUrl = null;
    try { pageUrl = frame?.page()?.url() ?? null; } catch { pageUrl = null; }
    let isMainFrame = false;
    try { isMainFrame = !!frame && frame.parentFrame() === null; } catch { /* detached */ }
    seen.push({
      url, method: req.method(), resourceType: req.resourceType(),
      navigation: req.isNavigationRequest(), mainFrame: isMainFrame,
      worker: worker ? worker.url() : null, frameUrl: (() => { try { return frame?.url() ?? null; } catch { return null; } })(),
      pageUrl, time: Date.now(),
    });
  }

  // A request is "the test's own page load" when it is a top-level navigation in a web page, or a
  // script/stylesheet/image the replica page itself references (/_replica/*, favicon) fetched by a web
  // page. Everything else (service worker, extension pages, fetch/xhr/beacon/websocket from a web
  // page, sub-frames, any other host) is attributed to the extension.
  function isTestTraffic(r) {
    if (r.worker) return false;
    if (r.pageUrl && /^chrome-extension:/i.test(r.pageUrl)) return false;
    if (r.frameUrl && /^chrome-extension:/i.test(r.frameUrl)) return false;
    if (r.navigation) return r.mainFrame && r.pageUrl !== null;
    let u;
    try { u = new URL(r.url); } catch { return false; }
    return REPLICA_HOSTS.has(u.hostname) && isPageAsset(u.pathname) &&
      ['script', 'stylesheet', 'image'].includes(r.resourceType) && r.pageUrl !== null;
  }

  const isOurs = (w) => w.url().startsWith(`chrome-extension://${extensionId ?? ''}`);

  function trackWorker(w) {
    if (!w.url().startsWith('chrome-extension://')) return;
    if (extensionId && !isOurs(w)) return;
    currentWorker = w;
    w.once('close', () => { if (currentWorker === w) currentWorker = null; });
  }

  async function waitForWorker(timeout) {
    const deadline = Date.now() + timeout;
    while (!currentWorker && Date.now() < deadline) await sleep(50);
    return currentWorker;
  }

  // CDP ServiceWorker domain, through a session on the test tab (it sees the extension's registration).
  async function withServiceWorkerDomain(fn) {
    const p = await livePage();
    const s = await context.newCDPSession(p);
    const versions = new Map();
    const listeners = new Set();
    s.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) {
        if (!v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) continue;
        versions.set(v.versionId, v);
      }
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

  async function start() {
    const args = [
      '--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--no-default-browser-check', '--disable-features=Translate,MediaRouter',
      `--load-extension=${extensionDir}`, `--disable-extensions-except=${extensionDir}`,
      `--host-resolver-rules=${resolverRules}`, '--ignore-certificate-errors',
    ];
    if (launchOptions.locale) args.push(`--lang=${launchOptions.locale}`);
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath, headless: false, args,
      ignoreDefaultArgs: ['--disable-extensions'],
      ignoreHTTPSErrors: true,
      locale: launchOptions.locale,
      env: { ...process.env, ...(launchOptions.locale ? { LANGUAGE: launchOptions.locale.replace('-', '_') } : {}) },
      viewport: { width: 1200, height: 800 },
    });
    context.on('request', recordRequest);
    currentWorker = null;
    context.on('serviceworker', trackWorker);
    for (const w of context.serviceWorkers()) trackWorker(w);
    // On a first launch the worker runs for installation; after a restart it may legitimately stay asleep.
    const sw = await waitForWorker(extensionId ? 3000 : 15000);
    if (!sw && !extensionId) throw new Error(`no extension service worker appeared (extension dir ${extensionDir})`);
    if (sw) {
      const id = new URL(sw.url()).host;
      if (expectedId && id !== expectedId) {
        throw new Error(`extension id is ${id}, expected ${expectedId} (is the manifest "key" set?)`);
      }
      extensionId = id;
    }
    page = context.pages()[0] ?? await context.newPage();
  }

  async function livePage() {
    if (!page || page.isClosed()) page = await context.newPage();
    return page;
  }

  // Opens the popup in a tab of its own, waits for its checklist, runs fn(popup tab) and closes the tab.
  async function inPopup(fn) {
    const p = await context.newPage();
    try {
      await p.goto(`chrome-extension://${extensionId}/popup/popup.html`);
      await p.waitForSelector('#checklist[data-ready=true]', { timeout: 10000 });
      return await fn(p);
    } finally {
      await p.close();
    }
  }

  async function readPopup(p) {
    return p.evaluate(() => {
      const out = {};
      for (const li of document.querySelectorAll('#checklist li[data-platform]')) {
        out[li.getAttribute('data-platform')] = li.getAttribute('data-state');
      }
      return out;
    });
  }

  async function readBanner(p) {
    return p.evaluate(() => {
      const hosts = [...document.querySelectorAll('widerspruch-banner')];
      if (hosts.length === 0) return { count: 0 };
      const host = hosts[0];
      const root = host.shadowRoot;
      const el = root?.querySelector('[data-role=banner]');
      const link = root?.querySelector('a[data-role=form-link]');
      const visible = !!el && host.isConnected && host.parentNode === document.documentElement &&
        el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) &&
        el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
      return {
        count: hosts.length,
        platform: el?.getAttribute('data-platform') ?? null,
        urging: el ? el.getAttribute('data-urging') === 'true' : null,
        href: link ? link.href : null,
        visible,
        parent: host.parentNode === document.documentElement ? 'html' : host.parentNode?.nodeName?.toLowerCase() ?? null,
        openShadow: !!root,
      };
    });
  }

  const driver = {
    name: 'chromium',

    get extensionId() { return extensionId; },
    get context() { return context; },
    /** The test tab (Playwright Page), for Chromium-only tests such as a11y.test.mjs. */
    get page() { return page; },
    /** The popup URL (chrome-extension://ID/popup/popup.html). */
    get popupUrl() { return `chrome-extension://${extensionId}/popup/popup.html`; },

    async launch(opts = {}) {
      if (context) await driver.close();
      launchOptions = { ...opts };
      if (opts.profileDir) { profileDir = opts.profileDir; ownsProfile = false; }
      else { profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsp-chromium-')); ownsProfile = true; }
      seen.length = 0;
      testNavigations.clear();
      await start();
    },

    async close({ keepProfile = false } = {}) {
      if (context) {
        const c = context; context = null; page = null;
        await c.close().catch(() => {});
      }
      if (!keepProfile && ownsProfile && profileDir) {
        fs.rmSync(profileDir, { recursive: true, force: true });
        profileDir = null;
      }
    },

    async restart() {
      if (!context) throw new Error('restart() before launch()');
      const c = context; context = null; page = null;
      await c.close();
      await start();
    },

    async open(url) {
      const p = await livePage();
      testNavigations.add(url);
      await p.goto(url, { waitUntil: 'load' });
      await p.bringToFront();
    },

    // Waits up to BANNER_WAIT_MS for a banner to appear; returns as soon as one is there.
    async banner({ timeout = BANNER_WAIT_MS } = {}) {
      const p = await livePage();
      const deadline = Date.now() + timeout;
      let last = { count: 0 };
      for (;;) {
        try { last = await readBanner(p); } catch { last = { count: 0 }; } // navigation in progress
        if (last.count > 0 && last.platform) {
          // Let concurrent inserts (a duplicate from a second content-script run) show up too.
          await sleep(150);
          try { last = await readBanner(p); } catch { /* keep last */ }
          return last;
        }
        if (Date.now() >= deadline) return last;
        await sleep(100);
      }
    },

    async clickBanner(action) {
      return driver.clickPanel(action);
    },

    // Waits up to BANNER_WAIT_MS for a panel (banner or form helper) and returns it (see page-fns.mjs).
    async panel({ timeout = BANNER_WAIT_MS } = {}) {
      const p = await livePage();
      const deadline = Date.now() + timeout;
      let last = { count: 0 };
      for (;;) {
        try { last = await p.evaluate(readPanelInPage); } catch { last = { count: 0 }; } // navigating
        if (last.count > 0 && last.kind) return last;
        if (Date.now() >= deadline) return last;
        await sleep(100);
      }
    },

    // A real (trusted) click on a control of the panel: 'form-link', or the index-th
    // button[data-action=ACTION] (e.g. clickPanel('insert_reason', 1)).
    async clickPanel(action, index = 0) {
      const p = await livePage();
      const sel = action === 'form-link' ? 'a[data-role=form-link]' : `button[data-action=${action}]`;
      // Playwright's CSS engine pierces open shadow roots; this is a real (trusted) click.
      const target = p.locator('widerspruch-banner').first().locator(sel).nth(index);
      await target.waitFor({ state: 'visible', timeout: 5000 });
      if (action === 'form-link') {
        // The link may open in this tab or in a new one; follow whichever happens first.
        const newPageP = context.waitForEvent('page', { timeout: 5000 }).then((np) => ({ np })).catch(() => null);
        const navP = p.waitForEvent('framenavigated', { predicate: (f) => f === p.mainFrame(), timeout: 5000 })
          .then(() => ({ nav: true })).catch(() => null);
        testNavigations.add('form-link');
        await target.click();
        const result = await new Promise((resolve) => {
          let pending = 2;
          const done = (v) => { if (v) resolve(v); else if (--pending === 0) resolve(null); };
          newPageP.then(done); navP.then(done);
        });
        if (!result) throw new Error('clickPanel(form-link): the click neither navigated nor opened a tab');
        if (result.np) page = result.np;
        await page.waitForLoadState('load');
        await page.bringToFront();
      } else {
        await target.click();
      }
    },

    // A real (trusted) click on the first element of the page (not the panel) matching `selector`.
    async pageClick(selector) {
      const p = await livePage();
      await p.locator(selector).first().click({ timeout: 5000 });
    },

    async pageValue(selector) { return (await livePage()).evaluate(readValueInPage, selector); },
    async pageFields() { return (await livePage()).evaluate(readFieldsInPage); },
    async pageText(selector = 'body') { return (await livePage()).evaluate(readTextInPage, selector); },
    async url() { return (await livePage()).url(); },

    async popup() { return inPopup(readPopup); },

    async clickPopup(platform, action) {
      return inPopup(async (p) => {
        const before = (await readPopup(p))[platform];
        const btn = p.locator(`#checklist li[data-platform=${platform}] [data-action=${action}]`);
        await btn.first().click({ timeout: 5000 });
        // Wait for the checklist to repaint with a new state (or give up after 5 s; the scenario's own
        // assertion then reports what happened).
        await p.waitForFunction(
          ([pl, b]) => {
            const li = document.querySelector(`#checklist li[data-platform=${pl}]`);
            return li && li.getAttribute('data-state') !== b;
          }, [platform, before], { timeout: 5000 }).catch(() => {});
        await sleep(200); // let storage.onChanged listeners (badge) run
      });
    },

    // The UI language the extension sees (chrome.i18n.getUILanguage() in the popup page).
    async uiLocale() { return inPopup((p) => p.evaluate(() => chrome.i18n.getUILanguage())); },

    async popupGroups() { return inPopup((p) => p.evaluate(readGroupsInPopup)); },

    // Writes storage.local from an extension page (not the background), as another window or an older
    // build's leftovers would: the background must see it on its next message.
    async seedStorage(items) { return inPopup((p) => p.evaluate((i) => chrome.storage.local.set(i), items)); },

    async popupInfo() { return inPopup((p) => p.evaluate(readPopupInfo)); },

    // Types `name` into #group-name and submits #add-group with a real click; → the new group's id (or null).
    async popupAddGroup(name) {
      return inPopup(async (p) => {
        const before = new Set((await p.evaluate(readGroupsInPopup)).map((g) => g.id));
        await p.evaluate(countPopupRepaints);
        await p.locator('#group-name').fill(name);
        await p.locator('#add-group [type=submit]').click({ timeout: 5000 });
        await p.waitForFunction(popupRepaints, null, { timeout: 5000 }).catch(() => {});
        await sleep(200);
        const after = await p.evaluate(readGroupsInPopup);
        return after.find((g) => !before.has(g.id))?.id ?? null;
      });
    },

    // A real click on the control [data-action=ACTION] of the group's section (group_active radio,
    // group_linked checkbox, group_remove button); waits for the popup to repaint.
    async popupToggle(groupId, action) {
      return inPopup(async (p) => {
        await p.evaluate(countPopupRepaints);
        await p.locator(`section.group[data-group="${groupId}"] [data-action=${action}]`).first().click({ timeout: 5000 });
        await p.waitForFunction(popupRepaints, null, { timeout: 5000 }).catch(() => {});
        await sleep(200); // let storage.onChanged listeners (badge) run
      });
    },

    // Badge from an extension context: the service worker. If it is asleep (stopped by stopWorker, by
    // Chromium's idle timer, or never woken after a restart) it is started through CDP first; note that
    // starting it runs its top-level code, which may itself set the badge.
    async badge() {
      await sleep(200); // a moment for storage.onChanged → setBadgeText to land
      for (let attempt = 0; attempt < 2; attempt++) {
        // Chromium reuses the worker's target when it restarts, so Playwright neither closes the old handle
        // nor reports a new worker; ask CDP whether it is running instead.
        const running = await withServiceWorkerDomain((s, until) =>
          until((vs) => vs.some((v) => v.runningStatus === 'running'), 500));
        if (!running) await driver._startWorker();
        const sw = currentWorker ?? await waitForWorker(10000);
        if (!sw) throw new Error('badge(): the extension service worker did not start');
        // evaluate() on a stopped worker's handle hangs: bound it.
        const text = await Promise.race([
          sw.evaluate(() => chrome.action.getBadgeText({})),
          sleep(3000).then(() => TIMEOUT),
        ]).catch(() => TIMEOUT);
        if (text !== TIMEOUT) return text;
      }
      throw new Error('badge(): could not evaluate in the extension service worker');
    },

    async _startWorker() {
      await withServiceWorkerDomain(async (s, until) => {
        await s.send('ServiceWorker.startWorker', { scopeURL: `chrome-extension://${extensionId}/` });
        await until((vs) => vs.some((v) => v.runningStatus === 'running'), 5000);
      });
    },

    // Stops the extension's service worker (CDP ServiceWorker.stopAllWorkers) and waits until Chromium
    // reports it stopped. The next extension event (or badge()) starts a fresh one.
    async stopWorker() {
      const stopped = await withServiceWorkerDomain(async (s, until) => {
        await until((vs) => vs.length > 0, 2000);
        await s.send('ServiceWorker.stopAllWorkers');
        return until((vs) => vs.length > 0 && vs.every((v) => v.runningStatus === 'stopped'), 5000);
      });
      if (!stopped) throw new Error('stopWorker: the extension service worker did not stop within 5 s');
    },

    async clientNavigate(pathname) {
      const p = await livePage();
      testNavigations.add(pathname);
      await p.evaluate((x) => window.replicaNavigate(x), pathname);
    },

    // http(s) requests attributed to the extension (see isTestTraffic).
    async requests() {
      await sleep(200);
      return seen.filter((r) => !isTestTraffic(r));
    },

    // For debugging: everything seen.
    allRequests() { return seen.slice(); },
  };
  return driver;
}

// The ONE driver interface of the end-to-end tests (tests/e2e/README.md lists it). It is built here, once,
// on a small browser backend (chromium.mjs: Playwright; firefox.mjs: selenium-webdriver) that only knows how
// to start the browser, run a function in a tab, click an element with a trusted click, open an extension
// page, evaluate in the extension, stop and reload its background and list its requests. Every reader
// (page-fns.mjs), every wait and every deadline lives here, so a value and a timeout mean the same in both
// browsers. Tests and scenarios use only what `createDriver` returns.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createChromiumBackend, chromiumNeeds, chromiumDefaults } from './chromium.mjs';
import { createFirefoxBackend, firefoxNeeds, firefoxDefaults, OTHER_ADDON_ID } from './firefox.mjs';
import {
  readPanelInPage, findPanelControl, findInPage, readChecklistInPopup, popupPainted, readLoadState,
  readFieldsInPage, readTextInPage, readValueInPage, readGroupsInPopup, readPopupInfo, countPopupRepaints,
  popupRepaints, watchBannerCount, maxBannerCount, leaveFor, leakPanelRoot,
} from './page-fns.mjs';
import { until, eventually, pause } from './wait.mjs';

export { until, eventually };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BROWSERS = ['chromium', 'firefox'];
/** The Firefox add-on id a foreign extension for launch({alsoInstall}) must carry (its moz-extension UUID is pinned). */
export const FOREIGN_ADDON_ID = OTHER_ADDON_ID;

// How long banner()/panel() wait for a panel before reporting {count: 0}. A negative result is only worth
// anything if this is comfortably longer than a panel takes on a positive page (the scenarios check a
// positive page first in the same browser): four times the slowest panel this driver has seen appear after
// open(), at least 1 s, at most 3 s (3 s before it has seen one). E2E_BANNER_WAIT_MS fixes it instead.
const PANEL_WAIT_FIXED = process.env.E2E_BANNER_WAIT_MS ? Number(process.env.E2E_BANNER_WAIT_MS) : null;
const PANEL_WAIT_MAX_MS = 3000;
const POLL_MS = 50;

/** Why a browser suite cannot run here, or null. */
export function whyMissing(browser) {
  const dir = browser === 'chromium' ? chromiumDefaults.extensionDir : firefoxDefaults.extensionDir;
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) return `no built extension at ${dir} (run ./build.sh)`;
  for (const [file, why] of (browser === 'chromium' ? chromiumNeeds() : firefoxNeeds())) if (!fs.existsSync(file)) return why;
  return null;
}

/** The default extension directory of a browser (E2E_CHROMIUM_EXTENSION / WIDERSPRUCH_FIREFOX_DIST). */
export const extensionDirOf = (browser) => (browser === 'chromium' ? chromiumDefaults.extensionDir : firefoxDefaults.extensionDir);

let axeSource = null;
const axe = () => (axeSource ??= fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

/** createDriver('chromium' | 'firefox', {server}) → the driver (see README.md). */
export function createDriver(browser, { server, ...rest } = {}) {
  const backend = browser === 'chromium' ? createChromiumBackend({ server, ...rest })
    : browser === 'firefox' ? createFirefoxBackend({ server, ...rest }) : null;
  if (!backend) throw new Error(`unknown browser ${browser}`);
  let launched = false;
  let launchOptions = {};
  const tabs = new Map(); // id → tab, for the tests that use several tabs
  let nextTab = 1;

  const tab = () => backend.testTab();
  let openedAt = null; // when open() last finished, until a panel was seen after it
  let slowestPanel = null; // ms from open() to a panel, the slowest seen in this driver
  const panelWait = () => PANEL_WAIT_FIXED ??
    (slowestPanel === null ? PANEL_WAIT_MAX_MS : Math.min(PANEL_WAIT_MAX_MS, Math.max(1000, 4 * slowestPanel)));
  const sawPanel = () => {
    if (openedAt !== null) { slowestPanel = Math.max(slowestPanel ?? 0, Date.now() - openedAt); openedAt = null; }
  };

  async function withPopup(fn, { viewport } = {}) {
    const p = await backend.extensionTab('popup/popup.html', { viewport });
    try {
      await until(() => p.eval(popupPainted), Boolean, { timeout: 10000, what: 'the popup to paint (#checklist[data-ready=true] or #summary)' });
      return await fn(p);
    } finally {
      await p.close();
    }
  }

  async function readPanel(t) {
    // Mid-navigation the script fails, or (Firefox) returns null: no panel in a document that is going away.
    try { return (await t.evalPanel(readPanelInPage)) ?? { count: 0 }; } catch { return { count: 0 }; }
  }

  // Waits until no panel host is added or removed for `ms` (a duplicate from a second content-script run
  // shows up within that), at most 2 s.
  async function panelSettled(t, ms = 150) {
    let last = await readPanel(t);
    let since = Date.now();
    const deadline = Date.now() + 2000;
    while (Date.now() - since < ms && Date.now() < deadline) {
      await pause(POLL_MS);
      const now = await readPanel(t);
      if (now.count !== last.count || now.kind !== last.kind) { last = now; since = Date.now(); }
    }
    return readPanel(t);
  }

  const driver = {
    name: browser,
    get extensionId() { return backend.extensionId; },
    /** The browser's version (diagnostics; the benchmark prints it). */
    get browserVersion() { return backend.browserVersion ?? null; },

    // ── lifecycle ──
    /** {locale?, colorScheme?: 'light'|'dark', extensionDir?, alsoInstall?: [dir], profileDir?} */
    async launch(opts = {}) {
      if (launched) await driver.close();
      launchOptions = { ...opts };
      tabs.clear();
      await backend.start(launchOptions);
      launched = true;
    },
    async close() {
      launched = false;
      tabs.clear();
      await backend.stop();
    },
    /** Quits the browser and starts it again on the same profile (a user's browser restart). */
    async restart() {
      if (!launched) throw new Error('restart() before launch()');
      tabs.clear();
      await backend.stop({ keepProfile: true });
      await backend.start(launchOptions);
    },

    // ── the test tab ──
    /** Top-level navigation in the test tab; waits for "load" unless {wait: false}. */
    async open(url, { wait = true } = {}) {
      const t = await tab();
      openedAt = null;
      if (wait) { await t.goto(url); openedAt = Date.now(); return; }
      await t.eval(leaveFor, url);
    },
    /** Waits until the test tab has finished loading a page (after open(url, {wait: false})). */
    async waitLoaded({ timeout = 10000 } = {}) {
      const t = await tab();
      return until(() => t.eval(readLoadState), (s) => !!s && s.state === 'complete' && s.url !== 'about:blank' && !s.left,
        { timeout, what: 'the new page to finish loading' });
    },
    async reload() { const t = await tab(); await t.goto(await t.url()); },
    async url() { return (await tab()).url(); },

    /**
     * The in-page panel (banner or form helper), waiting up to `timeout` for one → {count: 0} | {count,
     * kind, platform, urging, lang, label, paragraphs, stepsTitle, steps, footnote, reasons, actions, link,
     * href, visible, parent, shadowMode} (page-fns.mjs readPanelInPage; the closed root through the backend).
     */
    async panel({ timeout = panelWait() } = {}) {
      const t = await tab();
      const deadline = Date.now() + timeout;
      for (;;) {
        const p = await readPanel(t);
        if (p.count > 0 && p.kind) { sawPanel(); return p; }
        if (Date.now() >= deadline) return p;
        await pause(POLL_MS);
      }
    },
    /** Like panel(), for the feed banner only: a form helper reads as {count, kind, visible: false}. */
    async banner({ timeout = panelWait() } = {}) {
      const t = await tab();
      const deadline = Date.now() + timeout;
      let p;
      for (;;) {
        p = await readPanel(t);
        if (p.count > 0 && p.kind === 'banner') { sawPanel(); p = await panelSettled(t); break; }
        if (Date.now() >= deadline) break;
        await pause(POLL_MS);
      }
      return p.kind === 'banner' || p.count === 0 ? p : { count: p.count, kind: p.kind, visible: false };
    },
    /** Waits for a panel that satisfies pred (a panel may change in place); throws `what` at the deadline. */
    async waitPanel(pred, what, { timeout = 8000 } = {}) {
      const t = await tab();
      return until(() => readPanel(t), (p) => p.count > 0 && pred(p), { timeout, what });
    },
    /** A trusted click on the panel: 'form-link' (followed, in this tab or a new one), or the index-th button[data-action=action]. */
    async clickPanel(action, index = 0) {
      const t = await tab();
      const sel = action === 'form-link' ? 'a[data-role=form-link]' : `button[data-action="${action}"]`;
      const what = `clickPanel(${action}, ${index}): ${sel} #${index} in the panel's shadow root`;
      await until(() => t.evalPanel((a, root) => {
        const e = root && root.querySelectorAll(a[0])[a[1]];
        return !!e && e.getBoundingClientRect().width > 0;
      }, [sel, index]), Boolean, { timeout: 5000, what });
      if (action === 'form-link') backend.setTestTab(await t.clickFollow(findPanelControl, [sel, index], what, { inPanel: true }));
      else await t.click(findPanelControl, [sel, index], what, { inPanel: true });
    },
    /**
     * A trusted click on the panel's button[data-action=action] and, `delay` ms after the click went out,
     * stopBackground() — the click's message in flight while the background dies (Chromium: the release and
     * the stop back to back over CDP; Firefox: the stop is the next WebDriver command).
     */
    async clickPanelThenStop(action, delay = 0) {
      const t = await tab();
      const sel = `button[data-action="${action}"]`;
      await until(() => t.evalPanel((a, root) => !!root?.querySelector(a), sel),
        Boolean, { timeout: 5000, what: `clickPanelThenStop: ${sel} in the panel` });
      await backend.clickThenStop(t, findPanelControl, [sel, 0], `clickPanelThenStop(${action})`, delay, { inPanel: true });
    },
    /** Kept for the scenarios' wording: clickBanner(action) = clickPanel(action). */
    clickBanner(action) { return driver.clickPanel(action); },
    /** A trusted click on the first element of the page (not the panel) matching selector. */
    async pageClick(selector) {
      const t = await tab();
      await until(() => t.eval((s) => !!document.querySelector(s), selector), Boolean, { timeout: 5000, what: `pageClick: ${selector} in the page` });
      await t.click(findInPage, selector, `pageClick(${selector})`);
    },
    async pageValue(selector) { return (await tab()).eval(readValueInPage, selector); },
    async pageFields() { return (await tab()).eval(readFieldsInPage); },
    async pageText(selector = 'body') { return (await tab()).eval(readTextInPage, selector); },
    /** Sizes the test tab's viewport (CSS pixels) → [innerWidth, innerHeight] as the page then measures it. */
    async setViewport(width, height) {
      const t = await tab();
      await t.setViewport(width, height);
      return until(() => t.eval(() => [innerWidth, innerHeight]), ([w]) => w === width, { timeout: 5000, what: `a ${width} px wide viewport` });
    },
    /**
     * Runs a page-fns style function in the test tab's main world: fn(arg, root), arg one JSON value, root
     * the panel's (closed) shadow root or null, passed by the driver and never left in the page.
     */
    async inPage(fn, arg) { return (await tab()).evalPanel(fn, arg); },
    /**
     * Puts the panel's closed root into the page's main world as window[name] → whether there was one: for
     * the tests of a page that got hold of it anyway (untrusted clicks must still do nothing).
     */
    async leakPanelRoot(name = 'widerspruchLeakedRoot') { return (await tab()).evalPanel(leakPanelRoot, name); },
    /** history.pushState navigation through the replica app's window.replicaNavigate. */
    async clientNavigate(pathname) {
      await (await tab()).eval((p) => {
        if (typeof window.replicaNavigate !== 'function') throw new Error('the page has no replicaNavigate()');
        window.replicaNavigate(p);
        return true;
      }, pathname);
    },
    /** Starts counting the most <widerspruch-banner> elements ever at once in the test tab; maxBanners() reads it. */
    async watchBanners() { return (await tab()).eval(watchBannerCount); },
    async maxBanners() { return (await tab()).eval(maxBannerCount); },

    // ── more tabs (robustness: concurrent clicks) ──
    /** Opens url in a new tab → its id. The test tab stays what it was. */
    async newTab(url) {
      const before = await tab();
      const t = await backend.newTab();
      const id = nextTab++;
      tabs.set(id, t);
      if (url) await t.goto(url);
      backend.setTestTab(before);
      return id;
    },
    /** A popup page kept open in a tab of its own → its id (close it with closeTab). */
    async openPopupTab() {
      const t = await backend.extensionTab('popup/popup.html');
      await until(() => t.eval(popupPainted), Boolean, { timeout: 10000, what: 'the popup tab to paint' });
      const id = nextTab++;
      tabs.set(id, t);
      return id;
    },
    async inTab(id, fn, arg) { return tabs.get(id).eval(fn, arg); },
    async closeTab(id) { await tabs.get(id).close(); tabs.delete(id); },
    /**
     * Trusted clicks in several tabs as close to the same moment as the browser allows:
     * targets = [{tab: id | 'test', panel: action} | {tab, page: selector}].
     */
    async clickTogether(targets) {
      const test = await tab();
      const list = [];
      for (const x of targets) {
        const t = x.tab === 'test' ? test : tabs.get(x.tab);
        if (x.panel) {
          const sel = `button[data-action="${x.panel}"]`;
          await until(() => t.evalPanel((a, root) => !!root?.querySelector(a), sel),
            Boolean, { timeout: 8000, what: `clickTogether: ${sel} in the panel` });
          list.push({ tab: t, finder: findPanelControl, arg: [sel, 0], what: sel, inPanel: true });
        } else {
          await until(() => t.eval((s) => !!document.querySelector(s), x.page), Boolean, { timeout: 5000, what: `clickTogether: ${x.page}` });
          list.push({ tab: t, finder: findInPage, arg: x.page, what: x.page });
        }
      }
      await backend.clickTogether(list);
    },

    // ── popup ──
    /** {facebook: state, instagram: state} from a freshly opened popup. */
    async popup() { return withPopup((p) => p.eval(readChecklistInPopup)); },
    /** Runs a page-fns style function in a freshly opened popup page (after it painted). */
    async inPopup(fn, arg) { return withPopup((p) => p.eval(fn, arg)); },
    /** A trusted click on [data-action=action] of a platform's item; waits for its new state. */
    async clickPopup(platform, action) {
      return withPopup(async (p) => {
        const before = (await p.eval(readChecklistInPopup))[platform];
        const sel = `#checklist li[data-platform="${platform}"] [data-action="${action}"]`;
        await p.click(findInPage, sel, `clickPopup(${platform}, ${action})`);
        await until(() => p.eval(readChecklistInPopup), (s) => s[platform] !== before,
          { timeout: 5000, what: `the popup to repaint ${platform} (was ${before}) after ${action}` });
      });
    },
    /** A trusted click on a group's pending question (Meta's Privacy Center flow): an answer, by platform,
     * or 'dismiss'; waits for the repaint. */
    async popupAnswer(groupId, answer) {
      return withPopup(async (p) => {
        await p.eval(countPopupRepaints);
        const q = `section.group[data-group="${groupId}"] [data-role=question]`;
        const sel = answer === 'dismiss' ? `${q} [data-action="question_dismissed"]`
          : `${q} [data-action="question_answered"][data-platform="${answer}"]`;
        await p.click(findInPage, sel, `popupAnswer(${groupId}, ${answer})`);
        await until(() => p.eval(popupRepaints), (n) => n > 0, { timeout: 5000, what: `the popup to repaint after answering ${answer}` });
      });
    },
    async popupGroups() { return withPopup((p) => p.eval(readGroupsInPopup)); },
    async popupInfo() { return withPopup((p) => p.eval(readPopupInfo)); },
    /** Types name into #group-name and submits #add-group with a trusted click → the new group's id | null. */
    async popupAddGroup(name) {
      return withPopup(async (p) => {
        const before = new Set((await p.eval(readGroupsInPopup)).map((g) => g.id));
        await p.eval(countPopupRepaints);
        await p.type(findInPage, '#group-name', name, 'popupAddGroup: #group-name');
        await p.click(findInPage, '#add-group [type=submit]', 'popupAddGroup: submit');
        const after = await until(() => p.eval(readGroupsInPopup), (gs) => gs.some((g) => !before.has(g.id)),
          { timeout: 5000, what: `a new group "${name}" in the popup` });
        return after.find((g) => !before.has(g.id))?.id ?? null;
      });
    },
    /** A trusted click on [data-action=action] of a group (group_active, group_linked, group_remove); waits for the repaint. */
    async popupToggle(groupId, action) {
      return withPopup(async (p) => {
        await p.eval(countPopupRepaints);
        await p.click(findInPage, `section.group[data-group="${groupId}"] [data-action="${action}"]`, `popupToggle(${groupId}, ${action})`);
        await until(() => p.eval(popupRepaints), (n) => n > 0, { timeout: 5000, what: `the popup to repaint after ${action}` });
      });
    },
    /** The UI language the extension sees (i18n.getUILanguage() in an extension page). */
    async uiLocale() { return withPopup((p) => p.eval(() => (globalThis.browser ?? globalThis.chrome).i18n.getUILanguage())); },

    // ── extension state ──
    /** The badge text, from an extension context. */
    async badge() { return backend.extensionEval(() => (globalThis.browser ?? globalThis.chrome).action.getBadgeText({})); },
    /** Waits until the badge reads `want`; throws with the last text. */
    async waitBadge(want, when, { timeout = 5000 } = {}) {
      return until(() => driver.badge(), (t) => t === want, { timeout, what: `badge "${want}" ${when}` });
    },
    /** storage.local as the extension sees it. */
    async storage() { return backend.extensionEval(() => (globalThis.browser ?? globalThis.chrome).storage.local.get(null)); },
    /** Waits until pred(storage) holds; throws `what` with the last storage at the deadline. */
    async waitStorage(pred, what, { timeout = 6000 } = {}) { return until(() => driver.storage(), pred, { timeout, what }); },
    /** storage.local.set(items) from an extension page (not the background), as another window would. */
    async seedStorage(items) { return withPopup((p) => p.eval((i) => (globalThis.browser ?? globalThis.chrome).storage.local.set(i).then(() => true), items)); },
    async removeStorage(keys) { return backend.extensionEval((k) => (globalThis.browser ?? globalThis.chrome).storage.local.remove(k).then(() => true), keys); },
    /** Stops the background (Chromium: the service worker through CDP; Firefox: the event page). */
    async stopBackground() { return backend.stopBackground(); },
    stopWorker() { return driver.stopBackground(); },
    /** Reloads the extension the way an update does, and waits for the new background. */
    async reloadExtension() { return backend.reloadExtension(); },
    /** Runs fn(arg) in another extension installed with launch({alsoInstall: [dir]}) (its probe.html page). */
    async otherExtensionEval(dir, fn, arg) { return backend.otherExtensionEval(dir, fn, arg); },

    // ── what the browser saw ──
    /** http(s) requests the browser attributes to the extension's own contexts (must be none). */
    async requests() { return backend.requests(); },
    /** Script errors of web pages (content scripts included): errorMark() now, errorsSince(mark) later. */
    async errorMark() { return backend.errorMark(); },
    async errorsSince(mark) { return backend.errorsSince(mark); },
    /** The server log entries that are the browser's own traffic, not the extension's (see chromium.mjs). */
    isBrowserNoise: (entry) => backend.ignoreServerRequest(entry),

    // ── accessibility ──
    /**
     * Runs axe-core (npm axe-core, axe.min.js injected as a script) in the test tab or, with {popup: true},
     * in a freshly opened popup → axe's results {violations, incomplete, passes}. options: axe.run's.
     * In the test tab axe also checks inside the panel: axe-core builds its tree through `host.shadowRoot`
     * (its getFlattenedTree), which the closed root hides, so for the run only the driver's root is set as
     * an own `shadowRoot` property of that one host, and removed again before the script returns.
     */
    async axe({ include = null, popup = false, options = {} } = {}) {
      const results = `const r = await axe.run(${include ? `{include: [${JSON.stringify(include)}]}` : 'document'}, ${JSON.stringify(options)});
        const slim = (list) => list.map((x) => ({ id: x.id, impact: x.impact, help: x.help,
          nodes: x.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary,
            any: n.any.map((c) => ({ data: c.data })), all: n.all.map((c) => ({ data: c.data })), none: n.none.map((c) => ({ data: c.data })) })) }));
        return { violations: slim(r.violations), incomplete: slim(r.incomplete), passes: slim(r.passes) };`;
      if (popup) return withPopup((p) => p.evalText(`${axe()}\n;${results}`), { viewport: { width: 400, height: 900 } });
      const inPanel = `async function (_arg, root) {
        ${axe()}
        ;const host = root && root.host;
        if (host) Object.defineProperty(host, 'shadowRoot', { value: root, configurable: true });
        try { ${results} } finally { if (host) delete host.shadowRoot; }
      }`;
      return (await tab()).evalPanel(inPanel);
    },
  };
  return driver;
}

// Firefox ESR backend of the end-to-end driver (tests/e2e/driver.mjs builds the one driver interface on it;
// tests never import this file). npm `selenium-webdriver` drives Debian's firefox-esr through geckodriver
// (cargo install, .tools/bin). Firefox runs headless on a profile directory of our own, so that restart()
// can quit the browser and start it again on the same profile (that is what proves storage.local survives).
//
// - Host mapping: pref `network.dns.forceResolve = 127.0.0.1` sends every host name to this machine. It maps
//   hosts, not ports, so the test server must listen on 443. `acceptInsecureCerts` takes its certificate.
// - The add-on is installed *permanently* into the test profile with selenium's installAddon(dir), which
//   zips the folder itself. Unsigned add-ons install only on ESR / Developer Edition / Nightly with
//   `xpinstall.signatures.required=false` (https://support.mozilla.org/kb/add-on-signing-in-firefox).
//   Not a temporary add-on: Firefox drops those when it quits, so a restart would reinstall it and fire
//   runtime.onInstalled instead of onStartup (measured on 153 ESR), which is not what a user's restart does.
//   The moz-extension UUID is pinned with `extensions.webextensions.uuids`.
// - geckodriver `--allow-system-access`: since Firefox 138 the chrome context and moz-extension://
//   navigation need system access (https://firefox-source-docs.mozilla.org/testing/geckodriver/Flags.html;
//   a geckodriver without the flag needs MOZ_REMOTE_ALLOW_SYSTEM_ACCESS=1 in Firefox's environment). With it the
//   backend opens extension pages in tabs and runs privileged JS in the browser window (setContext('chrome'))
//   for what no web page can do: check the host-permission grant, stop the event page like about:debugging's
//   "Terminate background script", observe every HTTP(S) request at the network layer with its principal,
//   and collect the script errors of web pages from the console service.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, Browser, WebElement } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { until, pause } from './wait.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHADOW_ROOT_KEY = 'shadow-6066-11e4-a52e-4f735466cecf'; // WebDriver's shadow root identifier
const STALE_PANEL_ROOT = 'widerspruch-test: stale panel root';

export const ADDON_ID = 'widerspruch@widerspruch.extension';
export const ADDON_UUID = '4b6f2f6e-7769-4465-8273-707275636800';
export const EXTENSION_ORIGIN = `moz-extension://${ADDON_UUID}`;
// Another add-on (robustness: a foreign extension); its manifest carries this id.
export const OTHER_ADDON_ID = 'foreign@widerspruch.test';
const OTHER_ADDON_UUID = '4b6f2f6e-7769-4465-8273-707275636801';

export const firefoxDefaults = {
  geckodriver: process.env.GECKODRIVER || path.join(ROOT, '.tools', 'bin', 'geckodriver'),
  firefox: process.env.FIREFOX_BIN || '/usr/bin/firefox-esr',
  extensionDir: process.env.WIDERSPRUCH_FIREFOX_DIST || path.join(ROOT, 'dist', 'firefox'),
};
export const firefoxNeeds = () => [
  [firefoxDefaults.firefox, `no Firefox at ${firefoxDefaults.firefox} (apt-get install firefox-esr)`],
  [firefoxDefaults.geckodriver, `no geckodriver at ${firefoxDefaults.geckodriver} (cargo install geckodriver --root .tools)`],
];

// Prefs that stop Firefox's own background traffic. Everything resolves to 127.0.0.1 here, so any request
// Firefox makes by itself would land on the test server (and could be mistaken for the extension's).
const QUIET_PREFS = {
  'app.update.disabledForTesting': true, 'app.update.auto': false, 'app.normandy.enabled': false,
  'app.normandy.api_url': '', 'app.shield.optoutstudies.enabled': false, 'browser.aboutwelcome.enabled': false,
  'browser.contentblocking.report.show_mobile_app': false, 'browser.discovery.enabled': false,
  'browser.newtabpage.enabled': false, 'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false, 'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false, 'browser.newtabpage.activity-stream.showSponsored': false,
  'browser.newtabpage.activity-stream.showSponsoredTopSites': false, 'browser.ping-centre.telemetry': false,
  'browser.region.network.url': '', 'browser.region.update.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false, 'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false, 'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false, 'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '', 'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.search.geoip.url': '', 'browser.search.update': false, 'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage': 'about:blank', 'browser.startup.page': 0,
  'browser.startup.homepage_override.mstone': 'ignore', 'browser.tabs.warnOnClose': false,
  'browser.translations.enable': false, 'browser.urlbar.quicksuggest.enabled': false,
  'browser.urlbar.suggest.searches': false, 'browser.urlbar.speculativeConnect.enabled': false,
  'browser.ml.enable': false, 'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false, 'datareporting.policy.firstRunURL': '',
  'dom.push.connection.enabled': false, 'dom.push.serverURL': '', 'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false, 'extensions.getAddons.discovery.api_url': '',
  'extensions.systemAddon.update.enabled': false, 'extensions.systemAddon.update.url': '',
  'extensions.update.enabled': false, 'extensions.update.autoUpdateDefault': false,
  'extensions.recommendations.enabled': false, 'geo.provider.network.url': '', 'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': '', 'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false, 'network.dns.disablePrefetch': true,
  'network.http.speculative-parallel-limit': 0, 'network.prefetch-next': false, 'network.predictor.enabled': false,
  'network.trr.mode': 5, 'privacy.trackingprotection.enabled': false, 'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false, 'security.remote_settings.intermediates.enabled': false,
  'services.settings.server': 'data:,#remote-settings-dummy/v1', 'services.sync.enabled': false,
  'toolkit.telemetry.enabled': false, 'toolkit.telemetry.unified': false, 'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '', 'toolkit.coverage.endpoint.base': '',
};

// Prefs the harness relies on.
const HARNESS_PREFS = {
  'network.dns.forceResolve': '127.0.0.1',
  'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID, [OTHER_ADDON_ID]: OTHER_ADDON_UUID }),
  'xpinstall.signatures.required': false, // unsigned, permanent install (see the header); ESR only
  // MV3 host permissions are optional, user-revocable permissions in Firefox; since Firefox 127 they are
  // granted at install when this is true (Extension.sys.mjs `installIncludesOrigins`; MDN
  // manifest.json/host_permissions; older Firefox: https://github.com/mozilla/web-ext/issues/2980).
  // Set explicitly; start() still checks the grant, because without it the content scripts never run.
  'extensions.originControls.grantByDefault': true,
  // permissions.request() grants without showing its prompt (headless: nobody can answer it); the API's
  // own checks still apply: only from a user's input, only what the manifest lists as optional. The
  // services' grant path runs on the shipped build this way (tests/e2e/services.mjs).
  'extensions.webextOptionalPermissionPrompts': false,
  'browser.sessionstore.resume_from_crash': false,
  'browser.sessionstore.max_resumed_crashes': 0,
  'dom.disable_beforeunload': true,
  // Full zoom per tab, not per site, so a zoomed phone-width viewport (setViewport) survives navigation.
  'browser.zoom.siteSpecific': false,
};

export function createFirefoxBackend({ server, extensionDir = firefoxDefaults.extensionDir,
  geckodriver = firefoxDefaults.geckodriver, firefoxBin = firefoxDefaults.firefox } = {}) {
  if (server && server.port !== 443) {
    throw new Error(`the test server must listen on 443 for Firefox (network.dns.forceResolve maps hosts, not ports); got ${server.port}`);
  }
  let wd = null; // selenium WebDriver
  let opts = {};
  let profileDir = null;
  let ownsProfile = false;
  let installed = false;
  let current = null; // window handle the session is switched to
  let test = null; // the test tab
  let chromeBusy = Promise.resolve(); // chrome-context calls are serialised: the context is session state
  const observed = []; // requests attributed to the add-on (across restarts)
  const errors = []; // script errors of web pages (across restarts)

  const switchTo = async (handle) => { if (current !== handle) { await wd.switchTo().window(handle); current = handle; } };

  // Privileged JS in the browser window. `fn` may return a promise.
  function chrome(fn, arg) {
    const run = chromeBusy.then(async () => {
      await wd.setContext(firefox.Context.CHROME);
      try {
        return await wd.executeScript(`return (${fn}).apply(null, arguments)`, arg);
      } finally {
        await wd.setContext(firefox.Context.CONTENT);
      }
    });
    chromeBusy = run.catch(() => {});
    return run;
  }

  function tabOf(handle) {
    const t = {
      handle,
      async eval(fn, arg) { await switchTo(handle); return wd.executeScript(`return (${fn}).apply(null, arguments)`, arg); },
      // fn(arg, root) in the page, root = the first <widerspruch-banner>'s shadow root, which is CLOSED
      // (extension/content/banner.js; `host.shadowRoot` is null in the page). WebDriver's Get Element
      // Shadow Root returns an element's shadow root whatever its mode
      // (https://w3c.github.io/webdriver/#get-element-shadow-root; Firefox: Marionette's
      // `openOrClosedShadowRoot`), and a shadow root reference passed to Execute Script arrives as the
      // ShadowRoot itself. selenium-webdriver 4 serialises its ShadowRoot as a bare id string, so the
      // reference is built here.
      // The host may be replaced between the commands (a panel re-renders by replacing its host): then
      // the script answers STALE and the three commands are made again (see chromium.mjs).
      async evalPanel(fn, arg) {
        await switchTo(handle);
        for (let attempt = 1; ; attempt++) {
          let root = null;
          const host = await wd.executeScript("return document.querySelector('widerspruch-banner')");
          if (host instanceof WebElement) {
            try {
              root = { [SHADOW_ROOT_KEY]: (await host.getShadowRoot()).getId() };
            } catch (e) {
              if (!['NoSuchShadowRootError', 'StaleElementReferenceError', 'DetachedShadowRootError'].includes(e?.name)) throw e;
            }
          }
          let r;
          try {
            r = await wd.executeScript(`const [arg, root] = arguments;
              if (${attempt < 5} && (root ? root.host : null) !== document.querySelector('widerspruch-banner')) return ${JSON.stringify(STALE_PANEL_ROOT)};
              return (${fn})(arg, root);`, arg ?? null, root);
          } catch (e) {
            if (e?.name !== 'DetachedShadowRootError' || attempt >= 5) throw e;
            r = STALE_PANEL_ROOT;
          }
          if (r !== STALE_PANEL_ROOT) return r;
        }
      },
      async evalText(body) { await switchTo(handle); return wd.executeScript(`return (async () => { ${body} })()`); },
      zoom: 1,
      // A new document can come with the zoom reset (a cross-site navigation swaps the browsing context), so
      // the tab's zoom is applied again after every load.
      async applyZoom() {
        await switchTo(handle);
        const want = t.zoom;
        await chrome((z) => {
          if (gBrowser.selectedBrowser.fullZoom !== z) ZoomManager.setZoomForBrowser(gBrowser.selectedBrowser, z);
        }, want);
      },
      // WebDriver sizes the window, not the page: size it, then correct by what the page measures.
      // Headless Firefox keeps a window at least ~500 CSS px wide whatever Set Window Rect asks (measured
      // here: 500; https://github.com/microsoft/playwright/pull/14558), and a device-pixel-ratio pref scales
      // that minimum too. Narrower viewports come from the browser's full zoom instead, as a phone's page
      // zoom would: the window stays at its minimum and the tab is zoomed by minimum / wanted, which makes
      // CSS px, media queries and hit testing those of a `width` px screen (zoom is per tab: HARNESS_PREFS
      // turns off site-specific zoom, and goto/waitLoaded apply it again after a load).
      async setViewport(width, height) {
        await switchTo(handle);
        const zoom = async (z) => { t.zoom = z; await t.applyZoom(); };
        await zoom(1);
        await wd.manage().window().setRect({ width, height });
        let [w, h] = await t.eval(() => [innerWidth, innerHeight]);
        const r = await wd.manage().window().getRect();
        if (w !== width || h !== height) {
          await wd.manage().window().setRect({ width: r.width + width - w, height: r.height + height - h });
          [w, h] = await t.eval(() => [innerWidth, innerHeight]);
        }
        if (w <= width) return;
        // Too narrow for the window: zoom. Full zoom is quantised: a CSS px is 60 app units and a device px
        // a whole number n of them, so the zoom is 60 / n. Pick the largest n for which a window at least as
        // wide as the minimum shows exactly `width` CSS px (360 px: n = 40, zoom 1.5, a 540 px window).
        let n = Math.floor((60 * width) / w);
        while (n > 1 && (60 * width) % n !== 0) n--;
        const z = 60 / n;
        const now = await wd.manage().window().getRect();
        await wd.manage().window().setRect({ width: now.width + Math.round(width * z) - w, height: now.height + Math.round(height * z) - h });
        await zoom(z);
        const [zw, zh] = await t.eval(() => [innerWidth, innerHeight]);
        if (zw !== width) throw new Error(`setViewport(${width}): full zoom ${z.toFixed(4)} gives ${zw}×${zh} CSS px`);
      },
      async element(finder, arg, what, { inPanel = false } = {}) {
        const el = await (inPanel ? t.evalPanel(finder, arg) : t.eval(finder, arg));
        if (!(el instanceof WebElement)) throw new Error(`${what}: no such element`);
        return el;
      },
      // WebDriver Element Click: a real, trusted (isTrusted) click at the element's centre (shadow-DOM
      // elements included), which fails if something covers the element.
      async click(finder, arg, what, opts) { await (await t.element(finder, arg, what, opts)).click(); },
      async type(finder, arg, text, what) { const el = await t.element(finder, arg, what); await el.clear(); await el.sendKeys(text); },
      async clickFollow(finder, arg, what, opts) {
        const before = await wd.getAllWindowHandles();
        const urlBefore = await t.url();
        await t.click(finder, arg, what, opts);
        const went = await until(async () => {
          const fresh = (await wd.getAllWindowHandles()).filter((h) => !before.includes(h));
          if (fresh.length) return { tab: fresh[0] };
          return { url: await t.url().catch(() => urlBefore) };
        }, (x) => x.tab || x.url !== urlBefore, { timeout: 5000, what: `${what}: a navigation or a new tab after the click` });
        const to = went.tab ? tabOf(went.tab) : t;
        await to.waitLoaded();
        return to;
      },
      async waitLoaded(timeout = 10000) {
        await until(() => t.eval(() => document.readyState + ' ' + location.href),
          (st) => st.startsWith('complete') && !st.endsWith('about:blank'), { timeout, what: 'the page to finish loading' });
        if (t.zoom !== 1) await t.applyZoom();
      },
      async goto(url) { // waits for "load" (pageLoadStrategy normal)
        await switchTo(handle);
        await wd.get(url);
        if (t.zoom !== 1) await t.applyZoom();
      },
      async url() { await switchTo(handle); return wd.getCurrentUrl(); },
      async close() {
        await switchTo(handle).catch(() => {});
        await wd.close().catch(() => {});
        current = null;
        const left = await wd.getAllWindowHandles();
        if (left.length) await switchTo(test && left.includes(test.handle) ? test.handle : left[0]);
      },
      get closed() { return false; },
    };
    return t;
  }

  async function waitForAddon() {
    const r = await chrome(async (id) => {
      for (let i = 0; i < 200; i++) {
        const policy = WebExtensionPolicy.getByID(id);
        if (policy && policy.active) return policy.mozExtensionHostname;
        await new Promise((res) => setTimeout(res, 50));
      }
      return null;
    }, ADDON_ID);
    if (!r) throw new Error('the add-on did not become active within 10 s');
    if (r !== ADDON_UUID) throw new Error(`add-on UUID is ${r}, expected ${ADDON_UUID} (pref extensions.webextensions.uuids)`);
  }

  // Firefox MV3: host permissions (and content-script matches) are optional permissions. Without the grant
  // the content script silently never injects, so check it and, only if something is missing, grant exactly
  // the manifest's origins the way the user's toggle in about:addons does (ExtensionPermissions.add, as
  // Mozilla's own tests do). On 153 ESR nothing is missing.
  async function grantHostPermissions() {
    const st = await chrome(async (id) => {
      const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
      const policy = WebExtensionPolicy.getByID(id);
      const ext = policy.extension;
      const wanted = new Set([...(ext.manifest.host_permissions || [])]);
      for (const cs of ext.manifest.content_scripts || []) for (const m of cs.matches || []) wanted.add(m);
      const missing = [...wanted].filter((o) => !policy.allowedOrigins.subsumes(new MatchPattern(o)));
      if (missing.length) await ExtensionPermissions.add(id, { permissions: [], origins: missing }, ext);
      const now = WebExtensionPolicy.getByID(id).allowedOrigins;
      return { still: [...wanted].filter((o) => !now.subsumes(new MatchPattern(o))) };
    }, ADDON_ID);
    if (st.still.length) throw new Error(`host permissions not granted: ${st.still.join(', ')}`);
  }

  // Every HTTP(S) channel in the parent process (`http-on-opening-request`) whose triggering or loading
  // principal is the add-on's: the event page, extension pages, and DOM loads a content script starts (those
  // carry the expanded principal [page, extension]). NOT seen this way: a content script's own fetch()/XHR
  // in MV3, which Firefox issues with the page's principal; the suite's check of the server log catches
  // those. Also the script errors of web pages (content scripts included) from the console service.
  async function installObservers() {
    await chrome((id) => {
      const w = window;
      if (w.__wspObserver) return true;
      w.__wspRequests = [];
      w.__wspErrors = [];
      const describe = (p) => {
        if (!p) return null;
        try {
          if (p.isSystemPrincipal) return { kind: 'system', mine: false };
          const cs = p.contentScriptAddonPolicy;
          if (cs) return { kind: 'content-script', origin: p.origin, mine: cs.id === id };
          return { kind: 'content', origin: p.origin, mine: p.addonId === id };
        } catch (e) { return { kind: 'error', e: String(e), mine: false }; }
      };
      w.__wspObserver = {
        observe(subject) {
          try {
            const ch = subject.QueryInterface(Ci.nsIHttpChannel);
            const li = ch.loadInfo;
            const trig = describe(li && li.triggeringPrincipal);
            const load = describe(li && li.loadingPrincipal);
            if ((trig && trig.mine) || (load && load.mine)) {
              w.__wspRequests.push({ url: ch.URI.spec, method: ch.requestMethod, triggering: trig, loading: load,
                contentPolicyType: li.externalContentPolicyType });
            }
          } catch {}
        },
      };
      Services.obs.addObserver(w.__wspObserver, 'http-on-opening-request');
      w.__wspConsole = {
        observe(m) {
          try {
            if (!(m instanceof Ci.nsIScriptError) || (m.flags & Ci.nsIScriptError.warningFlag) || m.isFromChromeContext) return;
            if (!/javascript/i.test(m.category)) return;
            if (/^(chrome|resource|about|moz-extension):/.test(m.sourceName) && !/^moz-extension:/.test(m.sourceName)) return;
            w.__wspErrors.push({ kind: m.category, text: m.errorMessage, url: m.sourceName });
          } catch {}
        },
      };
      Services.console.registerListener(w.__wspConsole);
      return true;
    }, ADDON_ID);
  }

  async function collect() {
    if (!wd) return;
    const got = await chrome(() => {
      const r = { requests: window.__wspRequests || [], errors: window.__wspErrors || [] };
      window.__wspRequests = []; window.__wspErrors = [];
      return r;
    });
    observed.push(...got.requests);
    errors.push(...got.errors);
  }

  const backend = {
    name: 'firefox',
    get extensionId() { return ADDON_ID; },
    ignoreServerRequest: () => false, // QUIET_PREFS silence Firefox's own traffic; measured runs show none
    get browserVersion() { return backend._caps?.get('browserVersion') ?? null; },

    async start(o = {}) {
      opts = { ...o };
      if (o.profileDir) { profileDir = o.profileDir; ownsProfile = false; } else if (!profileDir) {
        profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsp-firefox-'));
        ownsProfile = true;
        installed = false;
      }
      const prefs = { ...QUIET_PREFS, ...HARNESS_PREFS };
      if (o.locale) {
        // UI locale (what i18n.getUILanguage() and the add-on's _locales follow) and the page languages.
        // Debian's firefox-esr ships en-US only: another UI locale needs firefox-esr-l10n-XX, else Firefox
        // silently stays in en-US (the locale scenarios check uiLocale() first and say so).
        prefs['intl.locale.requested'] = o.locale;
        prefs['intl.accept_languages'] = o.locale;
      }
      // prefers-color-scheme for web and extension pages: 0 dark, 1 light.
      prefs['layout.css.prefers-color-scheme.content-override'] = o.colorScheme === 'dark' ? 0 : 1;
      const options = new firefox.Options().setBinary(firefoxBin).addArguments('-headless', '-profile', profileDir)
        .setAcceptInsecureCerts(true).setPageLoadStrategy('normal');
      for (const [k, v] of Object.entries(prefs)) options.setPreference(k, v);
      const service = new firefox.ServiceBuilder(geckodriver).addArguments('--allow-system-access')
        // Firefox inherits geckodriver's environment. Release builds ignore the pref services.settings.server
        // unless MOZ_REMOTE_SETTINGS_DEVTOOLS=1; without it Firefox polls firefox.settings.services.mozilla.com,
        // which forceResolve sends to the test server (dozens of requests a minute).
        .setEnvironment({ ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1',
          // Headless Firefox's screen is 1366x768 unless these say otherwise, and no window grows past it
          // (https://github.com/mozilla/geckodriver/issues/1354): room for a 1920 px wide viewport.
          MOZ_HEADLESS_WIDTH: '3840', MOZ_HEADLESS_HEIGHT: '2400' });
      wd = await new Builder().forBrowser(Browser.FIREFOX).setFirefoxOptions(options).setFirefoxService(service).build();
      current = null;
      try {
        backend._caps = await wd.getCapabilities();
        await wd.manage().setTimeouts({ script: 30000, pageLoad: 30000 });
        await wd.manage().window().setRect({ width: 1200, height: 800 }).catch(() => {});
        await installObservers();
        if (!installed) {
          await wd.installAddon(path.resolve(o.extensionDir ?? extensionDir), false);
          installed = true;
          for (const d of o.alsoInstall ?? []) await wd.installAddon(path.resolve(d), true);
        }
        await waitForAddon();
        await grantHostPermissions();
        test = tabOf(await wd.getWindowHandle());
        current = test.handle;
      } catch (e) {
        await wd.quit().catch(() => {});
        wd = null;
        throw e;
      }
    },

    async stop({ keepProfile = false } = {}) {
      if (wd) {
        await collect().catch(() => {});
        await wd.quit().catch(() => {});
        wd = null;
      }
      if (!keepProfile && ownsProfile && profileDir) { fs.rmSync(profileDir, { recursive: true, force: true }); profileDir = null; }
      if (!keepProfile) { observed.length = 0; errors.length = 0; installed = false; }
    },

    async testTab() {
      const handles = await wd.getAllWindowHandles();
      if (!test || !handles.includes(test.handle)) {
        // The test tab was closed (by the page or the extension): open a fresh one.
        await switchTo(handles[0]);
        await wd.switchTo().newWindow('tab');
        current = await wd.getWindowHandle();
        test = tabOf(current);
      }
      return test;
    },
    setTestTab(tab) { test = tab; },
    async newTab() {
      await wd.switchTo().newWindow('tab');
      current = await wd.getWindowHandle();
      return tabOf(current);
    },
    // Extension pages open in a tab of their own, like a user opening the toolbar popup.
    async extensionTab(pagePath) {
      const t = await backend.newTab();
      await t.goto(`${EXTENSION_ORIGIN}/${pagePath}`);
      return t;
    },

    // Firefox has no extension service worker: the event page cannot be evaluated in from outside, so
    // fn(arg) runs in an extension page (same storage, same action API) opened for the call.
    async extensionEval(fn, arg) {
      const t = await backend.extensionTab('popup/popup.html');
      try { return await t.eval(fn, arg); } finally { await t.close(); }
    },

    async otherExtensionEval(dir, fn, arg) {
      const t = await backend.newTab();
      try {
        await t.goto(`moz-extension://${OTHER_ADDON_UUID}/probe.html`);
        return await t.eval(fn, arg);
      } finally { await t.close(); }
    },

    // Stops the event page the way about:debugging's "Terminate background script" does
    // (Extension.terminateBackground) and waits until Firefox reports it stopped.
    async stopBackground() {
      const r = await chrome(async (id) => {
        const ext = WebExtensionPolicy.getByID(id).extension;
        if (typeof ext.terminateBackground !== 'function') return { stopped: false, reason: 'no terminateBackground' };
        await ext.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true });
        for (let i = 0; i < 100 && ext.backgroundState !== 'stopped'; i++) await new Promise((res) => setTimeout(res, 50));
        return { stopped: ext.backgroundState === 'stopped', state: ext.backgroundState };
      }, ADDON_ID);
      if (!r.stopped) throw new Error(`stopBackground: the event page did not stop within 5 s: ${JSON.stringify(r)}`);
    },

    // An update: the add-on reloads itself (runtime.reload() from one of its pages), then wait until the
    // new instance is active.
    async reloadExtension() {
      const t = await backend.extensionTab('popup/popup.html');
      // Mark the running instance, so that the new one is told apart however fast the reload is.
      await chrome((id) => { WebExtensionPolicy.getByID(id).extension.__wspOld = true; return true; }, ADDON_ID);
      await t.eval(() => { setTimeout(() => browser.runtime.reload(), 50); return true; });
      const ok = await chrome(async (id) => {
        for (let i = 0; i < 200; i++) {
          const p = WebExtensionPolicy.getByID(id);
          if (p && p.active && p.extension && !p.extension.__wspOld) return true;
          await new Promise((r) => setTimeout(r, 50));
        }
        return false;
      }, ADDON_ID);
      const handles = await wd.getAllWindowHandles();
      if (handles.includes(t.handle)) await t.close(); // the extension's own tab is closed by the reload
      else { current = null; await switchTo(test.handle); }
      if (!ok) throw new Error('reloadExtension: no new instance of the add-on within 10 s');
    },

    // WebDriver classic runs one command at a time: the stop is the next command after the click returned.
    async clickThenStop(tab, finder, arg, what, delay, opts) {
      await tab.click(finder, arg, what, opts);
      if (delay) await pause(delay);
      await backend.stopBackground();
    },

    async requests() { await collect().catch(() => {}); return observed.slice(); },
    async errorMark() { await collect().catch(() => {}); return errors.length; },
    async errorsSince(mark) { await collect().catch(() => {}); return errors.slice(mark); },

    // WebDriver classic runs one command at a time per session, so "at once" in Firefox is: every press in
    // one Actions chain per tab, the tabs one right after the other (a few ms apart, measured), with no
    // wait for any answer from the extension in between.
    async clickTogether(targets) {
      const els = [];
      for (const t of targets) els.push({ tab: t.tab, el: await t.tab.element(t.finder, t.arg, t.what, { inPanel: !!t.inPanel }) });
      for (const { tab, el } of els) { await switchTo(tab.handle); await el.click(); }
    },
  };
  return backend;
}

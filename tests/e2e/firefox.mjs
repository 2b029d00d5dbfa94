// Firefox ESR driver for the end-to-end suite (contract: tests/e2e/README.md).
//
// Plain Node (>= 20, global fetch), no npm dependency: it starts geckodriver and speaks W3C WebDriver over
// HTTP to it. Firefox runs headless with a profile directory of our own, so that restart() can quit the
// browser and start a new one on the same profile (that is what proves storage.local survives a restart).
//
// How the pieces fit:
// - Host mapping: pref `network.dns.forceResolve = 127.0.0.1` sends every host name to this machine. It
//   maps hosts, not ports, so the replica must listen on 443. `acceptInsecureCerts` accepts its self-signed
//   certificate.
// - The add-on is installed as a *temporary* add-on (`POST /session/{id}/moz/addon/install`), which
//   Firefox uninstalls when it quits: restart() re-installs it. Two prefs keep what a user would keep across
//   that uninstall/reinstall: `extensions.webextensions.keepStorageOnUninstall` (storage.local survives) and
//   `extensions.webextensions.keepUuidOnUninstall`; the moz-extension UUID is pinned anyway with
//   `extensions.webextensions.uuids` (storage is keyed by the extension's origin, i.e. that UUID).
//   See https://extensionworkshop.com/documentation/develop/testing-persistent-and-restart-features/
// - Chrome (privileged) context: geckodriver `--allow-system-access` (Firefox >= 138 refuses chrome
//   context and moz-extension pages to WebDriver without it) lets us run privileged JS in the browser
//   window. We use it for three things a web page cannot do:
//     * granting the add-on's host permissions (see grantHostPermissions below);
//     * stopping the event page like about:debugging's "Terminate background script" (stopWorker);
//     * observing every HTTP(S) request at the network layer and attributing it to its principal, so
//       requests() can list the requests made by the add-on's own contexts (see installRequestObserver).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

export const ADDON_ID = 'widerspruch@widerspruch.extension';
export const ADDON_UUID = '4b6f2f6e-7769-4465-8273-707275636800';
export const EXTENSION_ORIGIN = `moz-extension://${ADDON_UUID}`;

const DEFAULTS = {
  geckodriver: process.env.GECKODRIVER || join(ROOT, '.tools', 'bin', 'geckodriver'),
  firefox: process.env.FIREFOX_BIN || '/usr/bin/firefox-esr',
  extensionDir: process.env.WIDERSPRUCH_FIREFOX_DIST || join(ROOT, 'dist', 'firefox'),
  verbose: !!process.env.E2E_VERBOSE,
};

// Prefs that stop Firefox's own background traffic. Everything resolves to 127.0.0.1 here, so any request
// Firefox makes by itself would land on the replica (and could be mistaken for the extension's).
// geckodriver already sets many of these (its "recommended prefs"); we repeat the important ones.
const QUIET_PREFS = {
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'browser.aboutwelcome.enabled': false,
  'browser.contentblocking.report.show_mobile_app': false,
  'browser.discovery.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.newtabpage.activity-stream.showSponsored': false,
  'browser.newtabpage.activity-stream.showSponsoredTopSites': false,
  'browser.ping-centre.telemetry': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.search.geoip.url': '',
  'browser.search.update': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage': 'about:blank',
  'browser.startup.page': 0,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.tabs.warnOnClose': false,
  'browser.translations.enable': false,
  'browser.urlbar.quicksuggest.enabled': false,
  'browser.urlbar.suggest.searches': false,
  'browser.urlbar.speculativeConnect.enabled': false,
  'browser.ml.enable': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.policy.firstRunURL': '',
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.getAddons.discovery.api_url': '',
  'extensions.systemAddon.update.enabled': false,
  'extensions.systemAddon.update.url': '',
  'extensions.update.enabled': false,
  'extensions.update.autoUpdateDefault': false,
  'extensions.recommendations.enabled': false,
  'geo.provider.network.url': '',
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.http.speculative-parallel-limit': 0,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.trr.mode': 5,
  'privacy.trackingprotection.enabled': false,
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'services.sync.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.coverage.endpoint.base': '',
};

// Prefs the harness relies on.
const HARNESS_PREFS = {
  'network.dns.forceResolve': '127.0.0.1',
  'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
  // Storage and UUID survive the uninstall of the temporary add-on at shutdown (see header).
  'extensions.webextensions.keepStorageOnUninstall': true,
  'extensions.webextensions.keepUuidOnUninstall': true,
  // Temporary add-ons are the ones the test loads unsigned; no signature check needed for them, but keep
  // the other unsigned-code paths quiet too.
  'xpinstall.signatures.required': false,
  // MV3 host permissions: Firefox treats `host_permissions` (and content-script `matches`) of an MV3
  // add-on as *optional*, revocable permissions. Since Firefox 127 they are granted at install time
  // (https://bugzilla.mozilla.org/show_bug.cgi?id=1889402, pref extensions.originControls.grantByDefault,
  // default true). We set it explicitly, and launch() still checks the grant and completes it if needed
  // (see grantHostPermissions), because without it the content script silently never runs.
  'extensions.originControls.grantByDefault': true,
  // Do not open about:addons / onboarding tabs after installing.
  'extensions.webextensions.restrictedDomains': '',
  'extensions.quarantinedDomains.enabled': false,
  // No "are you sure you want to leave" or session restore.
  'browser.sessionstore.resume_from_crash': false,
  'browser.sessionstore.max_resumed_crashes': 0,
  'dom.disable_beforeunload': true,
};

async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} → ${status} ${value?.error || ''}: ${value?.message || JSON.stringify(value)}`);
    this.error = value?.error;
    this.status = status;
  }
}

/** Minimal W3C WebDriver client for one geckodriver process. */
class GeckoSession {
  constructor({ geckodriver, verbose }) {
    this.geckodriverBin = geckodriver;
    this.verbose = verbose;
    this.proc = null;
    this.base = null;
    this.sessionId = null;
    this.log = [];
  }

  async startDriver() {
    if (!existsSync(this.geckodriverBin)) {
      throw new Error(`geckodriver not found at ${this.geckodriverBin} (cargo install geckodriver --root .tools)`);
    }
    const port = await freePort();
    this.proc = spawn(this.geckodriverBin, ['--port', String(port), '--allow-system-access'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Firefox inherits geckodriver's environment. Release builds ignore the pref `services.settings.server`
      // (remote settings) unless MOZ_REMOTE_SETTINGS_DEVTOOLS=1; without it Firefox polls
      // https://firefox.settings.services.mozilla.com/v1/buckets/monitor/collections/changes/changeset,
      // which forceResolve sends to the replica (dozens of requests a minute). (moz:firefoxOptions.env did
      // not reach Firefox here, so it is set on geckodriver itself.)
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    });
    const keep = (chunk) => {
      const s = chunk.toString();
      this.log.push(s);
      if (this.log.length > 400) this.log.splice(0, 200);
      if (this.verbose) process.stderr.write(`[geckodriver] ${s}`);
    };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    this.exited = new Promise((r) => this.proc.once('exit', r));
    this.base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.base}/status`);
        if (r.ok) return;
      } catch {}
      if (this.proc.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`geckodriver did not start:\n${this.log.join('')}`);
  }

  async raw(method, path, body) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    }
    if (!res.ok) throw new WebDriverError(method, path, res.status, json.value);
    return json.value;
  }

  cmd(method, path, body) {
    return this.raw(method, `/session/${this.sessionId}${path}`, body);
  }

  async newSession(capabilities) {
    const v = await this.raw('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    this.sessionId = v.sessionId;
    this.capabilities = v.capabilities;
    return v;
  }

  async quit() {
    if (this.sessionId) {
      try {
        await this.raw('DELETE', `/session/${this.sessionId}`);
      } catch {}
      this.sessionId = null;
    }
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await Promise.race([this.exited, sleep(5000)]);
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    }
    this.proc = null;
  }

  // -- commands --
  navigate(url) { return this.cmd('POST', '/url', { url }); }
  currentUrl() { return this.cmd('GET', '/url'); }
  exec(fn, ...args) {
    return this.cmd('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments)`, args });
  }
  // The function receives its args and returns a promise; WebDriver waits for it.
  execAsync(fn, ...args) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn}).apply(null, Array.from(arguments).slice(0, -1)))
        .then((v) => done({ok: true, v}), (e) => done({ok: false, e: String(e && e.stack || e)}));`;
    return this.cmd('POST', '/execute/async', { script, args }).then((r) => {
      if (!r || !r.ok) throw new Error(`script failed: ${r && r.e}`);
      return r.v;
    });
  }
  click(elementRef) {
    const id = elementRef[ELEMENT_KEY];
    if (!id) throw new Error(`not an element reference: ${JSON.stringify(elementRef)}`);
    return this.cmd('POST', `/element/${id}/click`, {});
  }
  windowHandles() { return this.cmd('GET', '/window/handles'); }
  windowHandle() { return this.cmd('GET', '/window'); }
  switchTo(handle) { return this.cmd('POST', '/window', { handle }); }
  newTab() { return this.cmd('POST', '/window/new', { type: 'tab' }).then((v) => v.handle); }
  closeWindow() { return this.cmd('DELETE', '/window'); }
  setContext(context) { return this.cmd('POST', '/moz/context', { context }); }
  installAddon(path) { return this.cmd('POST', '/moz/addon/install', { path, temporary: true }); }
  setTimeouts(t) { return this.cmd('POST', '/timeouts', t); }
}

/**
 * The Firefox driver. `launch()` starts geckodriver + Firefox, installs the add-on and opens the test tab.
 * Options of the constructor: {extensionDir, geckodriver, firefox, verbose, replica}
 * where `replica` (optional) is the object returned by startReplica(), used by requests() to cross-check.
 */
export class FirefoxDriver {
  constructor(opts = {}) {
    this.opts = { ...DEFAULTS, ...opts };
    this.browser = 'firefox';
    this.extensionOrigin = EXTENSION_ORIGIN;
    this.s = null;
    this.profileDir = null;
    this.ownProfile = false;
    this.locale = undefined;
    this.testTab = null;
    this.popupTab = null;
    this.openedUrls = [];
    this.extensionRequests = []; // accumulated across restarts
    this.launchCount = 0;
  }

  // ---------------------------------------------------------------- lifecycle
  async launch({ profileDir, locale } = {}) {
    if (this.s) throw new Error('already launched');
    if (profileDir) {
      this.profileDir = profileDir;
      this.ownProfile = false;
    } else if (!this.profileDir) {
      this.profileDir = mkdtempSync(join(tmpdir(), 'widerspruch-ff-'));
      this.ownProfile = true;
    }
    if (locale !== undefined) this.locale = locale;
    await this._start();
    return this;
  }

  async _start() {
    const extDir = resolve(this.opts.extensionDir);
    if (!existsSync(join(extDir, 'manifest.json'))) {
      throw new Error(`no built Firefox extension at ${extDir} (run ./build.sh)`);
    }
    const prefs = { ...QUIET_PREFS, ...HARNESS_PREFS, ...(this.opts.extraPrefs || {}) };
    if (this.locale) {
      // UI locale (what browser.i18n.getUILanguage() reports) and the web-facing languages. Debian's
      // firefox-esr ships en-US only; another UI locale needs the matching firefox-esr-l10n-XX package,
      // otherwise Firefox falls back to en-US.
      prefs['intl.locale.requested'] = this.locale;
      prefs['intl.accept_languages'] = this.locale;
      prefs['intl.locale.matchOS'] = false;
    }
    const s = new GeckoSession(this.opts);
    this.s = s;
    await s.startDriver();
    await s.newSession({
      browserName: 'firefox',
      acceptInsecureCerts: true,
      pageLoadStrategy: 'normal',
      'moz:firefoxOptions': {
        binary: this.opts.firefox,
        args: ['-headless', '-profile', this.profileDir],
        prefs,
        log: { level: this.opts.verbose ? 'info' : 'warn' },
      },
    });
    await s.setTimeouts({ script: 30000, pageLoad: 30000 });
    this.launchCount++;
    await this._installRequestObserver();
    await s.installAddon(resolve(this.opts.extensionDir));
    await this._waitForAddon();
    await this._grantHostPermissions();
    this.testTab = await s.windowHandle();
    this.popupTab = null;
  }

  async close() {
    if (!this.s) return;
    await this._collectRequests().catch(() => {});
    await this.s.quit();
    this.s = null;
    if (this.ownProfile && this.profileDir) {
      rmSync(this.profileDir, { recursive: true, force: true });
      this.profileDir = null;
    }
  }

  /** Quit Firefox and start it again on the same profile (the temporary add-on is re-installed). */
  async restart() {
    if (!this.s) throw new Error('not launched');
    await this._collectRequests().catch(() => {});
    await this.s.quit();
    this.s = null;
    await this._start();
  }

  // ------------------------------------------------------------ chrome context
  async _chrome(fn, ...args) {
    const s = this.s;
    await s.setContext('chrome');
    try {
      return await s.execAsync(fn, ...args);
    } finally {
      await s.setContext('content');
    }
  }

  async _waitForAddon() {
    const ok = await this._chrome(async (id) => {
      for (let i = 0; i < 100; i++) {
        const policy = WebExtensionPolicy.getByID(id);
        if (policy && policy.active) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    }, ADDON_ID);
    if (!ok) throw new Error('add-on did not become active');
  }

  // Firefox MV3: host permissions (and content-script matches) are optional permissions the user can
  // withdraw in about:addons. Firefox >= 127 grants them at install (pref
  // extensions.originControls.grantByDefault, https://bugzilla.mozilla.org/show_bug.cgi?id=1889402;
  // MDN "host_permissions"). If a build or pref set ever leaves them ungranted, the content script never
  // injects and the banner tests would fail for a harness reason; so we check and, if needed, grant
  // exactly the origins the manifest asks for, the way the user's click in the add-ons panel does
  // (ExtensionPermissions.add). We record what we found in `this.hostPermissionState`.
  async _grantHostPermissions() {
    this.hostPermissionState = await this._chrome(async (id) => {
      const { ExtensionPermissions } = ChromeUtils.importESModule(
        'resource://gre/modules/ExtensionPermissions.sys.mjs',
      );
      const policy = WebExtensionPolicy.getByID(id);
      const ext = policy.extension;
      const manifest = ext.manifest;
      const wanted = new Set([...(manifest.host_permissions || [])]);
      for (const cs of manifest.content_scripts || []) for (const m of cs.matches || []) wanted.add(m);
      const before = [...policy.allowedOrigins.patterns].map((p) => p.pattern);
      const missing = [...wanted].filter((o) => !before.includes(o));
      if (missing.length) {
        await ExtensionPermissions.add(id, { permissions: [], origins: missing }, ext);
      }
      const after = [...WebExtensionPolicy.getByID(id).allowedOrigins.patterns].map((p) => p.pattern);
      return { manifestVersion: manifest.manifest_version, wanted: [...wanted], before, granted: missing, after };
    }, ADDON_ID);
    const missing = this.hostPermissionState.wanted.filter((o) => !this.hostPermissionState.after.includes(o));
    if (missing.length) throw new Error(`host permissions not granted: ${missing.join(', ')}`);
  }

  // Observe every HTTP(S) channel in the parent process and keep the ones whose triggering or loading
  // principal belongs to the add-on (background/event page, extension pages, content-script fetches with the
  // extension's expanded principal). Kept on the chrome window so it lives as long as the browser.
  async _installRequestObserver() {
    await this._chrome(async (id) => {
      const w = window;
      if (w.__widerspruchObserver) return true;
      w.__widerspruchRequests = [];
      const describe = (p) => {
        if (!p) return null;
        try {
          if (p.isSystemPrincipal) return { kind: 'system' };
          if (p.isExpandedPrincipal) {
            const list = p.QueryInterface(Ci.nsIExpandedPrincipal).allowlist;
            return { kind: 'expanded', addonIds: list.map((x) => x.addonId).filter(Boolean), origins: list.map((x) => x.origin) };
          }
          return { kind: 'content', origin: p.origin, addonId: p.addonId || '' };
        } catch (e) {
          return { kind: 'error', e: String(e) };
        }
      };
      const mine = (d) => d && ((d.addonId === id) || (d.addonIds && d.addonIds.includes(id)));
      const observer = {
        observe(subject) {
          try {
            const ch = subject.QueryInterface(Ci.nsIHttpChannel);
            const li = ch.loadInfo;
            const trig = describe(li && li.triggeringPrincipal);
            const load = describe(li && li.loadingPrincipal);
            if (mine(trig) || mine(load)) {
              w.__widerspruchRequests.push({ url: ch.URI.spec, method: ch.requestMethod, triggering: trig, loading: load, type: li && li.externalContentPolicyType });
            }
          } catch {}
        },
      };
      Services.obs.addObserver(observer, 'http-on-opening-request');
      w.__widerspruchObserver = observer;
      return true;
    }, ADDON_ID);
  }

  async _collectRequests() {
    if (!this.s) return;
    const got = await this._chrome(async () => {
      const list = window.__widerspruchRequests || [];
      window.__widerspruchRequests = [];
      return list;
    });
    this.extensionRequests.push(...got);
  }

  // ---------------------------------------------------------------- test tab
  async _toTestTab() {
    await this.s.switchTo(this.testTab);
  }

  async open(url) {
    await this._toTestTab();
    this.openedUrls.push(url);
    await this.s.navigate(url);
  }

  async url() {
    await this._toTestTab();
    return this.s.currentUrl();
  }

  /** The banner as the page sees it: {count, platform, urging, href} or {count: 0}. */
  async banner({ timeout = 3000 } = {}) {
    await this._toTestTab();
    // The content script runs at document_idle or later and may render asynchronously (WASM): give it a
    // short while to appear before answering "no banner". A scenario that expects no banner pays `timeout`.
    const deadline = Date.now() + timeout;
    let r;
    do {
      r = await this.s.exec(() => {
        const hosts = document.querySelectorAll('widerspruch-banner');
        if (!hosts.length) return { count: 0 };
        const host = hosts[0];
        const root = host.shadowRoot;
        const b = root && root.querySelector('[data-role=banner]');
        const link = root && root.querySelector('a[data-role=form-link]');
        return {
          count: hosts.length,
          parentIsRoot: host.parentNode === document.documentElement,
          openShadow: !!root,
          rendered: !!b,
          platform: b ? b.getAttribute('data-platform') : null,
          urging: b ? b.getAttribute('data-urging') === 'true' : null,
          href: link ? link.href : null,
          buttons: root ? [...root.querySelectorAll('button[data-action]')].map((x) => x.getAttribute('data-action')) : [],
        };
      });
      if (r.count > 0 && r.rendered) break;
      await sleep(100);
    } while (Date.now() < deadline);
    if (r.count === 0) return { count: 0 };
    return r;
  }

  /** Waits until no banner is shown (or timeout), returns the last banner() result. */
  async bannerGone({ timeout = 3000 } = {}) {
    const deadline = Date.now() + timeout;
    let r;
    do {
      r = await this.banner({ timeout: 0 });
      if (r.count === 0) return r;
      await sleep(100);
    } while (Date.now() < deadline);
    return r;
  }

  async clickBanner(action) {
    await this._toTestTab();
    const sel = action === 'form-link' ? 'a[data-role=form-link]' : `button[data-action="${action}"]`;
    // Wait for the banner to be there first.
    const b = await this.banner();
    if (!b.count) throw new Error(`clickBanner(${action}): no banner`);
    // Return the element itself (a WebDriver element reference, shadow-DOM elements included) and click it
    // with WebDriver's element click: a real, trusted (isTrusted) mouse click at the element's centre,
    // which also fails if something covers the element, as it would for a user.
    const el = await this.s.exec((sel) => {
      const host = document.querySelector('widerspruch-banner');
      return (host && host.shadowRoot && host.shadowRoot.querySelector(sel)) || null;
    }, sel);
    if (!el) throw new Error(`clickBanner(${action}): no element ${sel} in the banner`);
    await this.s.click(el);
    // Let the extension react (message to the background, storage write).
    await sleep(300);
  }

  async clientNavigate(path) {
    await this._toTestTab();
    this.openedUrls.push(path);
    await this.s.exec((path) => {
      // The replica's app exposes window.replicaNavigate (pushState + React-like re-render of <body>).
      if (typeof window.replicaNavigate !== 'function') throw new Error('page has no replicaNavigate()');
      window.replicaNavigate(path);
      return null;
    }, path);
    await sleep(300);
  }

  // ------------------------------------------------------------ extension pages
  async _toPopupTab({ reload = true } = {}) {
    const s = this.s;
    if (!this.popupTab) {
      this.popupTab = await s.newTab();
      await s.switchTo(this.popupTab);
      await s.navigate(`${EXTENSION_ORIGIN}/popup/popup.html`);
      return;
    }
    await s.switchTo(this.popupTab);
    if (reload) await s.navigate(`${EXTENSION_ORIGIN}/popup/popup.html`);
  }

  async _waitPopupReady(timeout = 5000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const ready = await this.s.exec(() => !!document.querySelector('#checklist[data-ready=true]'));
      if (ready) return;
      if (Date.now() > deadline) throw new Error('popup: #checklist[data-ready=true] never appeared');
      await sleep(100);
    }
  }

  /** {facebook: state, instagram: state} read from a freshly opened popup page. */
  async popup() {
    try {
      await this._toPopupTab();
      await this._waitPopupReady();
      return await this.s.exec(() => {
        const out = {};
        for (const li of document.querySelectorAll('#checklist li[data-platform]')) {
          out[li.getAttribute('data-platform')] = li.getAttribute('data-state');
        }
        return out;
      });
    } finally {
      await this._toTestTab();
    }
  }

  /** Actions available in the popup for a platform (buttons present). */
  async popupActions(platform) {
    try {
      await this._toPopupTab();
      await this._waitPopupReady();
      return await this.s.exec((p) => {
        const li = document.querySelector(`#checklist li[data-platform="${p}"]`);
        return li ? [...li.querySelectorAll('button[data-action]')].map((b) => b.getAttribute('data-action')) : null;
      }, platform);
    } finally {
      await this._toTestTab();
    }
  }

  async clickPopup(platform, action) {
    try {
      await this._toPopupTab();
      await this._waitPopupReady();
      const sel = action === 'form-link' ? 'a[data-role=form-link]' : `button[data-action="${action}"]`;
      const el = await this.s.exec((p, sel) => document.querySelector(`#checklist li[data-platform="${p}"] ${sel}`), platform, sel);
      if (!el) throw new Error(`clickPopup(${platform}, ${action}): no ${sel} in the popup`);
      await this.s.click(el);
      await sleep(300);
    } finally {
      await this._toTestTab();
    }
  }

  /** Runs a function in an extension page (the popup tab) and returns its result. */
  async evalInExtension(fn, ...args) {
    try {
      await this._toPopupTab({ reload: false });
      return await this.s.execAsync(fn, ...args);
    } finally {
      await this._toTestTab();
    }
  }

  async badge() {
    return this.evalInExtension(() => browser.action.getBadgeText({}));
  }

  async storage() {
    return this.evalInExtension(() => browser.storage.local.get(null));
  }

  /**
   * Firefox runs an event page, not a service worker. We stop it the way about:debugging's "Terminate
   * background script" does (Extension.terminateBackground), through the privileged chrome context.
   * Returns {stopped: boolean, before, after} with the background state.
   */
  async stopWorker() {
    // Close our extension tab first: it is an extension context too, and scenarios want to see the
    // extension come back from storage alone.
    if (this.popupTab) {
      await this.s.switchTo(this.popupTab);
      await this.s.closeWindow();
      this.popupTab = null;
      await this._toTestTab();
    }
    return this._chrome(async (id) => {
      const ext = WebExtensionPolicy.getByID(id).extension;
      const state = () => ext.backgroundState || null;
      const before = state();
      if (typeof ext.terminateBackground !== 'function') return { stopped: false, before, reason: 'no terminateBackground' };
      await ext.terminateBackground({ disableResetIdleForTest: true });
      return { stopped: true, before, after: state() };
    }, ADDON_ID);
  }

  /**
   * HTTP(S) requests made by the add-on's own contexts, seen at Firefox's network layer (parent process,
   * `http-on-opening-request`, attributed by triggering/loading principal). If a replica was given, also
   * lists replica requests the test did not cause itself (`unexplained`), for diagnostics.
   */
  async requests() {
    await this._collectRequests();
    return this.extensionRequests.map((r) => r.url);
  }

  async requestDetails() {
    await this._collectRequests();
    return [...this.extensionRequests];
  }

  /** Diagnostic: background/permissions state. */
  async addonState() {
    return this._chrome(async (id) => {
      const policy = WebExtensionPolicy.getByID(id);
      const ext = policy && policy.extension;
      return {
        active: !!(policy && policy.active),
        uuid: policy && policy.mozExtensionHostname,
        backgroundState: ext && ext.backgroundState,
        allowedOrigins: policy ? [...policy.allowedOrigins.patterns].map((p) => p.pattern) : [],
        temporarilyInstalled: ext && ext.temporarilyInstalled,
      };
    }, ADDON_ID);
  }
}

export async function launch(opts = {}) {
  const { profileDir, locale, ...rest } = opts;
  const d = new FirefoxDriver(rest);
  await d.launch({ profileDir, locale });
  return d;
}

export default FirefoxDriver;

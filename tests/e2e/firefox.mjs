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
// - The add-on is installed *permanently* into the test profile, from an .xpi the driver packs from
//   dist/firefox (`POST /session/{id}/moz/addon/install {path, temporary: false}`). Unsigned add-ons install
//   only on ESR / Developer Edition / Nightly / unbranded builds with `xpinstall.signatures.required=false`
//   (https://support.mozilla.org/kb/add-on-signing-in-firefox); Debian's firefox-esr is ESR, so it works.
//   Why not a temporary add-on (`temporary: true`, the usual about:debugging load): Firefox drops temporary
//   add-ons when it quits, so restart() would have to reinstall it, and then runtime.onInstalled fires again
//   (reason "install") and runtime.onStartup does not (measured on 153 ESR) — not what a user's browser
//   restart does. With the permanent install restart() is a real restart: onStartup fires, onInstalled
//   does not, storage.local is read back from the profile. `createFirefoxDriver({temporary: true})` keeps
//   the temporary mode (reinstalled on every start; storage.local survived that too, same pinned UUID).
//   The moz-extension UUID is pinned with `extensions.webextensions.uuids`.
// - geckodriver `--allow-system-access` (passes -remote-allow-system-access to Firefox). Without it, on
//   153 ESR, navigating to moz-extension:// fails ("Navigation to moz-extension://... is not allowed in this
//   context") and the chrome context is refused ("System access is required"). With it we open the popup
//   page in a tab and run privileged JS in the browser window for three things a web page cannot do:
//     * granting the add-on's host permissions (see grantHostPermissions below);
//     * stopping the event page like about:debugging's "Terminate background script" (stopWorker);
//     * observing every HTTP(S) request at the network layer and attributing it to its principal, so
//       requests() can list the requests made by the add-on's own contexts (see installRequestObserver).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, basename, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isPageAsset, FACEBOOK_HOSTS, INSTAGRAM_HOSTS, OTHER_HOSTS } from '../replica/server.mjs';
import {
  readPanelInPage, readFieldsInPage, readTextInPage, readValueInPage, readGroupsInPopup, readPopupInfo,
  countPopupRepaints, popupRepaints,
} from './page-fns.mjs';

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
  // The add-on is installed unsigned and permanently (see header); honoured by ESR builds only.
  'xpinstall.signatures.required': false,
  // MV3 host permissions: Firefox treats `host_permissions` (and content-script `matches`) of an MV3
  // add-on as optional, user-revocable permissions. Older Firefox did not grant them at install
  // (https://github.com/mozilla/web-ext/issues/2980); since Firefox 127 they are shown in the install
  // prompt and granted (MDN manifest.json/host_permissions). The switch is this pref (Extension.sys.mjs
  // `installIncludesOrigins`; default true in 153 ESR's greprefs.js). Set explicitly; launch() still
  // checks the grant (see _grantHostPermissions) because without it the content script never runs.
  'extensions.originControls.grantByDefault': true,
  // No "are you sure you want to leave" or session restore.
  'browser.sessionstore.resume_from_crash': false,
  'browser.sessionstore.max_resumed_crashes': 0,
  'dom.disable_beforeunload': true,
};

// Packs a directory into a .xpi (a plain zip, deflate, no extra fields). Node >= 20.15 has zlib.crc32.
export function zipDir(dir, out) {
  const files = [];
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  const parts = [];
  const central = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(relative(dir, f).split(sep).join('/'));
    const data = readFileSync(f);
    const comp = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0); // central directory header
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x0800, 8);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt16LE(0, 12);
    cen.writeUInt16LE(0x21, 14);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(comp.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    parts.push(local, name, comp);
    central.push(cen, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(out, Buffer.concat([...parts, cd, end]));
}

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
  sendKeys(elementRef, text) {
    return this.cmd('POST', `/element/${elementRef[ELEMENT_KEY]}/value`, { text });
  }
  clear(elementRef) { return this.cmd('POST', `/element/${elementRef[ELEMENT_KEY]}/clear`, {}); }
  windowHandles() { return this.cmd('GET', '/window/handles'); }
  windowHandle() { return this.cmd('GET', '/window'); }
  switchTo(handle) { return this.cmd('POST', '/window', { handle }); }
  newTab() { return this.cmd('POST', '/window/new', { type: 'tab' }).then((v) => v.handle); }
  closeWindow() { return this.cmd('DELETE', '/window'); }
  setContext(context) { return this.cmd('POST', '/moz/context', { context }); }
  installAddon(path, temporary) { return this.cmd('POST', '/moz/addon/install', { path, temporary }); }
  setTimeouts(t) { return this.cmd('POST', '/timeouts', t); }
}

// How long banner() waits for a banner before reporting {count: 0} (same knob as the Chromium driver).
const BANNER_WAIT_MS = Number(process.env.E2E_BANNER_WAIT_MS || 3000);
const REPLICA_HOSTS = new Set([...FACEBOOK_HOSTS, ...INSTAGRAM_HOSTS, ...OTHER_HOSTS]);

/**
 * The Firefox driver. `launch()` starts geckodriver + Firefox, installs the add-on and opens the test tab.
 * Options: {replica, extensionDir, geckodriver, firefox, verbose, extraPrefs}. `replica` is the object
 * returned by startReplica({port: 443}); requests() also reads its request log (see there).
 */
export class FirefoxDriver {
  constructor(opts = {}) {
    this.opts = { ...DEFAULTS, ...opts };
    this.name = 'firefox';
    this.extensionOrigin = EXTENSION_ORIGIN;
    this.replica = opts.replica || null;
    if (this.replica && this.replica.port !== 443) {
      throw new Error(`the replica must listen on 443 for Firefox (network.dns.forceResolve maps hosts, not ports); got ${this.replica.port}`);
    }
    this.s = null;
    this.profileDir = null;
    this.ownProfile = false;
    this.launchOptions = {};
    this.testTab = null;
    this.observed = []; // requests attributed to the add-on by Firefox's network layer (across restarts)
    this.replicaMark = 0; // index into replica.requests where this launch() began
  }

  get extensionId() { return ADDON_ID; }

  // ---------------------------------------------------------------- lifecycle
  async launch(opts = {}) {
    if (this.s) await this.close();
    this.launchOptions = { ...opts };
    if (opts.profileDir) {
      this.profileDir = opts.profileDir;
      this.ownProfile = false;
    } else {
      this.profileDir = mkdtempSync(join(tmpdir(), 'wsp-firefox-'));
      this.ownProfile = true;
    }
    this.observed = [];
    this.installedInProfile = false;
    this.replicaMark = this.replica ? this.replica.requests.length : 0;
    await this._start();
  }

  async _start() {
    const extDir = resolve(this.opts.extensionDir);
    if (!existsSync(join(extDir, 'manifest.json'))) {
      throw new Error(`no built Firefox extension at ${extDir} (run ./build.sh)`);
    }
    const prefs = { ...QUIET_PREFS, ...HARNESS_PREFS, ...(this.opts.extraPrefs || {}) };
    const { locale } = this.launchOptions;
    if (locale) {
      // UI locale (what browser.i18n.getUILanguage() and the add-on's _locales choice follow) and the
      // languages web pages see. Debian's firefox-esr ships en-US only: another UI locale needs the
      // firefox-esr-l10n-XX package, else Firefox falls back to en-US (see uiLocale()).
      prefs['intl.locale.requested'] = locale;
      prefs['intl.accept_languages'] = locale;
    }
    const s = new GeckoSession(this.opts);
    this.s = s;
    try {
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
      await s.cmd('POST', '/window/rect', { width: 1200, height: 800 }).catch(() => {});
      await this._installRequestObserver();
      if (this.opts.temporary) {
        await s.installAddon(extDir, true);
      } else if (!this.installedInProfile) {
        const xpi = join(this.profileDir, '..', `${basename(this.profileDir)}-widerspruch.xpi`);
        zipDir(extDir, xpi);
        try {
          await s.installAddon(xpi, false);
        } finally {
          rmSync(xpi, { force: true });
        }
        this.installedInProfile = true;
      }
      await this._waitForAddon();
      await this._grantHostPermissions();
      this.testTab = await s.windowHandle();
    } catch (e) {
      await s.quit().catch(() => {});
      this.s = null;
      throw e;
    }
  }

  async close({ keepProfile = false } = {}) {
    if (this.s) {
      await this._collectRequests().catch(() => {});
      await this.s.quit();
      this.s = null;
    }
    if (!keepProfile && this.ownProfile && this.profileDir) {
      rmSync(this.profileDir, { recursive: true, force: true });
      this.profileDir = null;
    }
  }

  /**
   * Quits Firefox and starts it again on the same profile directory: the add-on is still installed there
   * (see header), so this is what a user's browser restart is (runtime.onStartup, no onInstalled).
   */
  async restart() {
    if (!this.s) throw new Error('restart() before launch()');
    await this._collectRequests().catch(() => {});
    await this.s.quit();
    this.s = null;
    await this._start();
  }

  // ------------------------------------------------------------ chrome context
  // Privileged JS in the browser window (needs geckodriver --allow-system-access).
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
      for (let i = 0; i < 200; i++) {
        const policy = WebExtensionPolicy.getByID(id);
        if (policy && policy.active) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    }, ADDON_ID);
    if (!ok) throw new Error('add-on did not become active');
    const uuid = await this._chrome(async (id) => WebExtensionPolicy.getByID(id).mozExtensionHostname, ADDON_ID);
    if (uuid !== ADDON_UUID) throw new Error(`add-on UUID is ${uuid}, expected ${ADDON_UUID} (pref extensions.webextensions.uuids)`);
  }

  // Firefox MV3: host permissions (and content-script matches) are optional, user-revocable permissions.
  // Firefox grants the manifest's origins at install when extensions.originControls.grantByDefault is true
  // (MDN "host_permissions": from Firefox 127; Extension.sys.mjs grants them on startupReason ADDON_INSTALL,
  // which includes temporary installs). Without the grant the content script silently never injects, so
  // the harness checks it and, only if something is missing, grants exactly the manifest's origins the way
  // the user's toggle in about:addons does (ExtensionPermissions.add, as Mozilla's own tests do).
  // `hostPermissionState.granted` lists what the harness had to add: nothing on 153 ESR.
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
      const patterns = () => [...WebExtensionPolicy.getByID(id).allowedOrigins.patterns].map((p) => p.pattern);
      const before = patterns();
      const missing = [...wanted].filter((o) => !policy.allowedOrigins.subsumes(new MatchPattern(o)));
      if (missing.length) {
        await ExtensionPermissions.add(id, { permissions: [], origins: missing }, ext);
      }
      const now = WebExtensionPolicy.getByID(id).allowedOrigins;
      const still = [...wanted].filter((o) => !now.subsumes(new MatchPattern(o)));
      return { manifestVersion: manifest.manifest_version, wanted: [...wanted], before, granted: missing, after: patterns(), still };
    }, ADDON_ID);
    if (this.hostPermissionState.still.length) {
      throw new Error(`host permissions not granted: ${this.hostPermissionState.still.join(', ')}`);
    }
  }

  // Observes every HTTP(S) channel in the parent process (`http-on-opening-request`) and keeps those whose
  // triggering or loading principal is the add-on's: the event page, extension pages, and DOM loads a
  // content script starts (those carry the expanded principal [page, extension]). NOT seen this way: a
  // content script's own fetch()/XMLHttpRequest in MV3, which Firefox issues with the *page's* principal
  // (measured: indistinguishable from a page fetch); requests() catches those in the replica log instead.
  // Kept on the chrome window, so it lives as long as the browser.
  async _installRequestObserver() {
    await this._chrome(async (id) => {
      const w = window;
      if (w.__wspObserver) return true;
      w.__wspRequests = [];
      const describe = (p) => {
        if (!p) return null;
        try {
          if (p.isSystemPrincipal) return { kind: 'system', mine: false };
          const cs = p.contentScriptAddonPolicy; // expanded principal of a content script
          if (cs) return { kind: 'content-script', origin: p.origin, mine: cs.id === id };
          return { kind: 'content', origin: p.origin, mine: p.addonId === id };
        } catch (e) {
          return { kind: 'error', e: String(e), mine: false };
        }
      };
      const observer = {
        observe(subject) {
          try {
            const ch = subject.QueryInterface(Ci.nsIHttpChannel);
            const li = ch.loadInfo;
            const trig = describe(li && li.triggeringPrincipal);
            const load = describe(li && li.loadingPrincipal);
            if ((trig && trig.mine) || (load && load.mine)) {
              w.__wspRequests.push({
                source: 'firefox-network', url: ch.URI.spec, method: ch.requestMethod,
                triggering: trig, loading: load, contentPolicyType: li.externalContentPolicyType, time: Date.now(),
              });
            }
          } catch {}
        },
      };
      Services.obs.addObserver(observer, 'http-on-opening-request');
      w.__wspObserver = observer;
      return true;
    }, ADDON_ID);
  }

  async _collectRequests() {
    if (!this.s) return;
    const got = await this._chrome(async () => {
      const list = window.__wspRequests || [];
      window.__wspRequests = [];
      return list;
    });
    this.observed.push(...got);
  }

  // ---------------------------------------------------------------- test tab
  async _toTestTab() {
    const handles = await this.s.windowHandles();
    if (!handles.includes(this.testTab)) {
      // The test tab was closed (by the page or the extension): open a fresh one.
      await this.s.switchTo(handles[0]);
      this.testTab = await this.s.newTab();
    }
    await this.s.switchTo(this.testTab);
  }

  async open(url) {
    await this._toTestTab();
    await this.s.navigate(url); // waits for "load" (pageLoadStrategy normal)
  }

  async url() {
    await this._toTestTab();
    return this.s.currentUrl();
  }

  async _readBanner() {
    return this.s.exec(() => {
      const hosts = [...document.querySelectorAll('widerspruch-banner')];
      if (!hosts.length) return { count: 0 };
      const host = hosts[0];
      const root = host.shadowRoot; // null unless the shadow root is open
      const el = root && root.querySelector('[data-role=banner]');
      const link = root && root.querySelector('a[data-role=form-link]');
      const rect = el ? el.getBoundingClientRect() : null;
      const visible = !!el && host.isConnected && host.parentNode === document.documentElement &&
        el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && rect.width > 0 && rect.height > 0;
      return {
        count: hosts.length,
        platform: el ? el.getAttribute('data-platform') : null,
        urging: el ? el.getAttribute('data-urging') === 'true' : null,
        href: link ? link.href : null,
        visible,
        parent: host.parentNode === document.documentElement ? 'html'
          : (host.parentNode && host.parentNode.nodeName ? host.parentNode.nodeName.toLowerCase() : null),
        openShadow: !!root,
      };
    });
  }

  /** Waits up to BANNER_WAIT_MS for a banner; returns as soon as one is there (→ {count: 0} if none). */
  async banner({ timeout = BANNER_WAIT_MS } = {}) {
    await this._toTestTab();
    const deadline = Date.now() + timeout;
    let last = { count: 0 };
    for (;;) {
      try { last = await this._readBanner(); } catch { last = { count: 0 }; } // navigation in progress
      if (last.count > 0 && last.platform) {
        // Let a concurrent duplicate insert (a second content-script run) show up too.
        await sleep(150);
        try { last = await this._readBanner(); } catch { /* keep last */ }
        return last;
      }
      if (Date.now() >= deadline) return last;
      await sleep(100);
    }
  }

  async clickBanner(action) {
    return this.clickPanel(action);
  }

  /** Waits up to BANNER_WAIT_MS for a panel (banner or form helper) and returns it (see page-fns.mjs). */
  async panel({ timeout = BANNER_WAIT_MS } = {}) {
    await this._toTestTab();
    const deadline = Date.now() + timeout;
    let last = { count: 0 };
    for (;;) {
      try { last = await this.s.exec(readPanelInPage); } catch { last = { count: 0 }; } // navigating
      if (last.count > 0 && last.kind) return last;
      if (Date.now() >= deadline) return last;
      await sleep(100);
    }
  }

  /** Polls `find(arg)` in the test tab (up to 5 s) for an element reference. */
  async _findInPage(find, arg, what) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const el = await this.s.exec(find, arg).catch(() => null);
      if (el || Date.now() > deadline) {
        if (!el) throw new Error(`${what}: not found`);
        return el;
      }
      await sleep(100);
    }
  }

  /** A real (trusted) click on a panel control: 'form-link', or the index-th button[data-action=ACTION]. */
  async clickPanel(action, index = 0) {
    await this._toTestTab();
    const sel = action === 'form-link' ? 'a[data-role=form-link]' : `button[data-action="${action}"]`;
    // Wait (like a user) until the element is there.
    const el = await this._findInPage(([sel, index]) => {
      const host = document.querySelector('widerspruch-banner');
      return (host && host.shadowRoot && host.shadowRoot.querySelectorAll(sel)[index]) || null;
    }, [sel, index], `clickPanel(${action}, ${index}): ${sel} #${index} in a <widerspruch-banner> open shadow root`);
    const handlesBefore = await this.s.windowHandles();
    const urlBefore = await this.s.currentUrl();
    // WebDriver element click on the element reference (shadow-DOM elements included): a real, trusted
    // (event.isTrusted) mouse click at the element's centre, which fails if something covers the element.
    await this.s.click(el);
    if (action !== 'form-link') return;
    // The link may open in this tab or in a new one; follow whichever happens.
    const until = Date.now() + 5000;
    for (;;) {
      const handles = await this.s.windowHandles();
      const fresh = handles.filter((h) => !handlesBefore.includes(h));
      if (fresh.length) {
        this.testTab = fresh[0];
        await this.s.switchTo(this.testTab);
        break;
      }
      const u = await this.s.currentUrl().catch(() => urlBefore);
      if (u !== urlBefore) break;
      if (Date.now() > until) throw new Error('clickPanel(form-link): the click neither navigated nor opened a tab');
      await sleep(100);
    }
    await this._waitLoaded();
  }

  /** A real (trusted) click on the first element of the page (not the panel) matching `selector`. */
  async pageClick(selector) {
    await this._toTestTab();
    const el = await this._findInPage((sel) => document.querySelector(sel), selector, `pageClick(${selector})`);
    await this.s.click(el);
  }

  async pageValue(selector) { await this._toTestTab(); return this.s.exec(readValueInPage, selector); }
  async pageFields() { await this._toTestTab(); return this.s.exec(readFieldsInPage); }
  async pageText(selector = 'body') { await this._toTestTab(); return this.s.exec(readTextInPage, selector); }

  async _waitLoaded(timeout = 10000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const st = await this.s.exec(() => document.readyState + ' ' + location.href).catch(() => 'loading');
      if (st.startsWith('complete') && !st.endsWith('about:blank')) return;
      if (Date.now() > deadline) throw new Error(`page did not load: ${st}`);
      await sleep(100);
    }
  }

  async clientNavigate(path) {
    await this._toTestTab();
    await this.s.exec((path) => {
      // The replica's app exposes window.replicaNavigate (pushState + React-like re-render of <body>).
      if (typeof window.replicaNavigate !== 'function') throw new Error('page has no replicaNavigate()');
      window.replicaNavigate(path);
      return null;
    }, path);
  }

  // ------------------------------------------------------------ extension pages
  // Each call opens the popup page in a fresh tab (moz-extension://UUID/popup/popup.html) and closes it
  // afterwards, like a user opening and closing the toolbar popup.
  async _withExtensionTab(path, fn) {
    await this._toTestTab();
    const tab = await this.s.newTab();
    try {
      await this.s.switchTo(tab);
      await this.s.navigate(`${EXTENSION_ORIGIN}/${path}`);
      return await fn();
    } finally {
      await this.s.switchTo(tab).then(() => this.s.closeWindow()).catch(() => {});
      await this.s.switchTo(this.testTab).catch(() => {});
    }
  }

  async _waitPopupReady(timeout = 10000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const ready = await this.s.exec(() => !!document.querySelector('#checklist[data-ready=true]')).catch(() => false);
      if (ready) return;
      if (Date.now() > deadline) {
        const html = await this.s.exec(() => document.documentElement.outerHTML.slice(0, 2000)).catch((e) => String(e));
        throw new Error(`popup: #checklist[data-ready=true] never appeared; page: ${html}`);
      }
      await sleep(100);
    }
  }

  _readPopup() {
    return this.s.exec(() => {
      const out = {};
      for (const li of document.querySelectorAll('#checklist li[data-platform]')) {
        out[li.getAttribute('data-platform')] = li.getAttribute('data-state');
      }
      return out;
    });
  }

  /** {facebook: state, instagram: state} read from a freshly opened popup page. */
  async popup() {
    return this._withExtensionTab('popup/popup.html', async () => {
      await this._waitPopupReady();
      return this._readPopup();
    });
  }

  async clickPopup(platform, action) {
    return this._withExtensionTab('popup/popup.html', async () => {
      await this._waitPopupReady();
      const before = (await this._readPopup())[platform];
      const sel = action === 'form-link' ? 'a[data-role=form-link]' : `[data-action="${action}"]`;
      const deadline = Date.now() + 5000;
      let el = null;
      for (;;) {
        el = await this.s.exec((p, sel) => document.querySelector(`#checklist li[data-platform="${p}"] ${sel}`), platform, sel);
        if (el || Date.now() > deadline) break;
        await sleep(100);
      }
      if (!el) throw new Error(`clickPopup(${platform}, ${action}): no ${sel} in the popup's item`);
      await this.s.click(el); // trusted click (see clickBanner)
      // Wait for the checklist to repaint with a new state (or give up after 5 s; the scenario's own
      // assertion then reports what happened).
      const until = Date.now() + 5000;
      while (Date.now() < until) {
        const now = (await this._readPopup().catch(() => ({})))[platform];
        if (now !== before) break;
        await sleep(100);
      }
      await sleep(200); // let storage.onChanged listeners (badge) run
    });
  }

  async popupGroups() {
    return this._withExtensionTab('popup/popup.html', async () => {
      await this._waitPopupReady();
      return this.s.exec(readGroupsInPopup);
    });
  }

  async popupInfo() {
    return this._withExtensionTab('popup/popup.html', async () => {
      await this._waitPopupReady();
      return this.s.exec(readPopupInfo);
    });
  }

  async _waitRepaint() {
    const until = Date.now() + 5000;
    while (Date.now() < until && !(await this.s.exec(popupRepaints).catch(() => 0))) await sleep(100);
    await sleep(200); // let storage.onChanged listeners (badge) run
  }

  /** Types `name` into #group-name and submits #add-group with a real click; → the new group's id (or null). */
  async popupAddGroup(name) {
    return this._withExtensionTab('popup/popup.html', async () => {
      await this._waitPopupReady();
      const before = new Set((await this.s.exec(readGroupsInPopup)).map((g) => g.id));
      await this.s.exec(countPopupRepaints);
      const input = await this.s.exec(() => document.getElementById('group-name'));
      if (!input) throw new Error('popupAddGroup: no #group-name');
      await this.s.clear(input);
      await this.s.sendKeys(input, name);
      const submit = await this.s.exec(() => document.querySelector('#add-group [type=submit]'));
      if (!submit) throw new Error('popupAddGroup: no submit button in #add-group');
      await this.s.click(submit);
      await this._waitRepaint();
      const after = await this.s.exec(readGroupsInPopup);
      const fresh = after.find((g) => !before.has(g.id));
      return fresh ? fresh.id : null;
    });
  }

  /** A real click on [data-action=ACTION] in the group's section (radio, checkbox, button); waits for a repaint. */
  async popupToggle(groupId, action) {
    return this._withExtensionTab('popup/popup.html', async () => {
      await this._waitPopupReady();
      await this.s.exec(countPopupRepaints);
      const el = await this.s.exec(([g, a]) => document.querySelector(`section.group[data-group="${g}"] [data-action="${a}"]`), [groupId, action]);
      if (!el) throw new Error(`popupToggle(${groupId}, ${action}): no such control`);
      await this.s.click(el);
      await this._waitRepaint();
    });
  }

  /** Runs `fn` (a function returning a promise) in an extension page and returns its result. */
  async evalInExtension(fn, ...args) {
    return this._withExtensionTab('popup/popup.html', () => this.s.execAsync(fn, ...args));
  }

  /** Badge text, read with browser.action.getBadgeText({}) from an extension page. */
  async badge() {
    await sleep(200); // a moment for storage.onChanged → setBadgeText to land
    return this.evalInExtension(() => browser.action.getBadgeText({}));
  }

  /** Writes storage.local from an extension page (not the event page); the background must see it next time. */
  async seedStorage(items) {
    return this.evalInExtension((i) => browser.storage.local.set(i), items);
  }

  /** storage.local as the add-on sees it (diagnostics; scenarios use the popup). */
  async storage() {
    return this.evalInExtension(() => browser.storage.local.get(null));
  }

  /** The UI locale Firefox actually uses (falls back to en-US when the language pack is missing). */
  async uiLocale() {
    return this.evalInExtension(async () => browser.i18n.getUILanguage());
  }

  /**
   * Firefox runs an event page, not a service worker. This stops it the way about:debugging's "Terminate
   * background script" does (Extension.terminateBackground, privileged chrome context), and waits until
   * Firefox reports it stopped. The next extension event (a message, storage.onChanged...) starts it again.
   * Extension tabs the driver opened are already closed (each popup()/badge() closes its tab).
   */
  async stopWorker() {
    const r = await this._chrome(async (id) => {
      const ext = WebExtensionPolicy.getByID(id).extension;
      const before = ext.backgroundState;
      if (typeof ext.terminateBackground !== 'function') return { stopped: false, before, reason: 'no terminateBackground' };
      await ext.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true });
      for (let i = 0; i < 100 && ext.backgroundState !== 'stopped'; i++) await new Promise((res) => setTimeout(res, 50));
      return { stopped: ext.backgroundState === 'stopped', before, after: ext.backgroundState };
    }, ADDON_ID);
    if (!r.stopped) throw new Error(`stopWorker: the event page did not stop: ${JSON.stringify(r)}`);
    return r;
  }

  /**
   * HTTP(S) requests attributed to the add-on, from two sources:
   * - 'firefox-network': Firefox's network layer, by principal (see _installRequestObserver): every
   *   request of the event page and extension pages (any host, any port) and DOM loads of content scripts;
   * - 'replica-log': requests the replica received since launch() that are not the test's own page loads.
   *   Firefox cannot tell a content script's fetch() from the page's in MV3, so the replica log is what
   *   catches those. The test's own traffic is: top-level document navigations (Sec-Fetch-Dest: document)
   *   and the replica pages' own assets (/_replica/*, /favicon.ico) as script/style/image. The replica
   *   pages themselves make no fetch/XHR, so anything else reaching the replica is attributed to the add-on.
   *   Firefox's own background traffic would also land here (everything resolves to 127.0.0.1): QUIET_PREFS
   *   silence it, and measured runs show none.
   */
  async requests() {
    await sleep(200);
    await this._collectRequests().catch(() => {});
    const out = this.observed.map((r) => ({ ...r }));
    if (this.replica) {
      for (const r of this.replica.requests.slice(this.replicaMark)) {
        const dest = r.secFetchDest;
        const pageLoad = dest === 'document' ||
          (REPLICA_HOSTS.has(r.host) && isPageAsset(r.path) && ['script', 'style', 'image'].includes(dest));
        if (pageLoad) continue;
        out.push({ source: 'replica-log', url: `https://${r.host}${r.path}${r.search || ''}`, method: r.method,
          secFetchDest: dest, secFetchMode: r.secFetchMode, origin: r.origin, referer: r.referer, time: r.time });
      }
    }
    return out;
  }

  /** Diagnostics: the add-on as Firefox sees it. */
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

/** Same shape as createChromiumDriver(): `createFirefoxDriver({replica})`, then `await driver.launch()`. */
export function createFirefoxDriver(opts = {}) {
  return new FirefoxDriver(opts);
}

export default createFirefoxDriver;

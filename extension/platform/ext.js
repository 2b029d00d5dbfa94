/*
 * The background's one door to the browser's extension namespace: the Rust core binds to `ext.*`
 * (src/web/browser.rs) and never sees `chrome` or `browser`. The content script and the popup are plain JS
 * views that make their few calls themselves, with the same `browser ?? chrome` and the same type
 * (`ExtensionApi`, tools/extension-globals.d.ts): loading this file too cost each 5–9 ms (BENCHMARKS.md).
 *
 * Firefox exposes promise-based `browser.*`; Chromium (MV3) returns promises from `chrome.*` too.
 * Everything else that differs per browser is in the manifest overlays beside this file.
 */
// @ts-check
'use strict';

var ext = (() => {
  const api = /** @type {ExtensionApi} */ (globalThis.browser ?? globalThis.chrome);

  // The background reads all of storage.local for every message. Asking the browser for it is a round trip
  // to the browser process (3–13 ms measured on the reference machine, BENCHMARKS.md) while a page waits for
  // its banner, so the last read is kept. storage.local stays the truth: the copy is dropped before and after
  // each of our writes and on every change event (another extension page, devtools), and a read that
  // failed is not kept. The worker being stopped simply loses it.
  /** @type {Promise<Record<string, unknown>> | null} */
  let copy = null; // Promise of the last read of everything
  const forget = () => { copy = null; };
  /** @param {() => Promise<void>} op */
  const write = (op) => { forget(); return op().finally(forget); };
  api.storage.onChanged.addListener((_, area) => area === 'local' && forget());

  // A service's content scripts: the same two files as Meta's minus form.js (only Meta has objection
  // forms with signals), setting.js first because banner.js hands it the setting watch. Registered at
  // runtime (scripting: Chromium ≥ 102, Firefox ≥ 102) for hosts the user granted: the manifest lists them
  // as optional_host_permissions (Chromium ≥ 102, Firefox ≥ 128, https://bugzil.la/1766026), which no
  // browser grants at install (Firefox ≥ 127 grants only host_permissions then, https://bugzil.la/1839129).
  const SERVICE_SCRIPT = 'service-';
  // Absolute paths: Firefox resolves a relative one against the calling document, Chromium against the
  // extension's root (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Chrome_incompatibilities,
  // https://github.com/mozilla/addons-linter/pull/1923); both list them back without the slash.
  const SERVICE_JS = ['/content/setting.js', '/content/banner.js'];
  const listed = SERVICE_JS.map((f) => f.slice(1));
  /** @type {Promise<void>} */
  let syncing = Promise.resolve();
  const same = (/** @type {string[] | undefined} */ a, /** @type {string[]} */ b) =>
    !!a && a.length === b.length && a.every((x, i) => x === b[i]);

  /** @param {{ id: string, matches: string[] }[]} wanted */
  async function syncScripts(wanted) {
    // The background's list comes from permissions.getAll(); the browser's own check per entry is the
    // truth (a user may have revoked a host since): a script is never registered for a host we can't reach.
    const granted = await Promise.all(wanted.map((w) => api.permissions.contains({ origins: w.matches })));
    const want = new Map(wanted.filter((_, i) => granted[i]).map((w) => [SERVICE_SCRIPT + w.id, w.matches]));
    const ours = (await api.scripting.getRegisteredContentScripts()).filter((s) => s.id.startsWith(SERVICE_SCRIPT));
    // A registration from an older build (other files or hosts) is replaced, not kept.
    const current = (/** @type {RegisteredContentScript} */ s) => same(s.matches, want.get(s.id) ?? []) && same(s.js?.map((f) => f.replace(/^\//, '')), listed);
    const stale = ours.filter((s) => !want.has(s.id) || !current(s)).map((s) => s.id);
    if (stale.length) await api.scripting.unregisterContentScripts({ ids: stale });
    const kept = new Set(ours.map((s) => s.id).filter((id) => !stale.includes(id)));
    const add = [...want].filter(([id]) => !kept.has(id)).map(([id, matches]) => ({
      id, matches, js: SERVICE_JS, runAt: /** @type {const} */ ('document_start'), allFrames: false,
      // Registered before any page of the service loads after a browser start, as manifest scripts are;
      // every start syncs again anyway (Chromium ≥ 102, Firefox ≥ 105, https://bugzil.la/1751436).
      persistAcrossSessions: true,
    }));
    if (add.length) await api.scripting.registerContentScripts(add);
  }

  return {
    api,
    /** @param {string} path */
    url: (path) => api.runtime.getURL(path),
    extensionId: () => api.runtime.id,
    storageGetAll: () => {
      if (!copy) {
        const read = (copy = api.storage.local.get(null));
        read.catch(() => { if (copy === read) forget(); });
      }
      return copy;
    },
    /** @param {Record<string, unknown>} items */
    storageSet: (items) => write(() => api.storage.local.set(items)),
    /** @param {string | string[]} keys */
    storageRemove: (keys) => write(() => api.storage.local.remove(keys)),
    /** @param {string} text @param {string} color @param {string} title */
    setBadge: async (text, color, title) => {
      await api.action.setBadgeBackgroundColor({ color });
      // Chromium ≥ 110 and Firefox ≥ 110; keeps white text on our dark badge colours.
      if (api.action.setBadgeTextColor) await api.action.setBadgeTextColor({ color: '#ffffff' });
      await api.action.setBadgeText({ text });
      await api.action.setTitle({ title });
    },
    /** @param {string} key @param {string | string[]} [subs] */
    message: (key, subs) => api.i18n.getMessage(key, subs),

    /** The host permissions the browser holds for us now (granted at install or by the user). */
    grantedOrigins: async () => (await api.permissions.getAll()).origins ?? [],

    /**
     * Makes the registered content scripts `service-<id>` exactly `wanted`: one per active service
     * (chosen, its hosts granted), on its hosts, and none for any other service. The background decides
     * `wanted` (src/web/background.rs) and calls this on every start, after a choice in the popup and on
     * permissions.onAdded/onRemoved. Runs one at a time (those events can overlap, and two overlapping
     * syncs would register one id twice, which the browser refuses).
     * @param {{ id: string, matches: string[] }[]} wanted
     */
    syncContentScripts: (wanted) => (syncing = syncing.catch(() => {}).then(() => syncScripts(wanted))),
  };
})();

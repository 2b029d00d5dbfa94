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
  };
})();

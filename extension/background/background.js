/*
 * Background entry: Chromium runs it as the service worker, Firefox as the event page (where the manifest
 * loads platform/ext.js and core/widerspruch.js first). All logic is in the Rust core (src/web/background.rs).
 *
 * Listeners are added synchronously on every start, because an event that wakes a stopped worker is only
 * delivered to listeners registered in the first turn
 * (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events).
 * Progress lives in storage.local: the worker can be stopped at any moment, so memory holds nothing but a
 * copy of the last read, dropped on every change (platform/ext.js).
 */
// @ts-check
'use strict';

if (typeof importScripts === 'function' && typeof ext === 'undefined') {
  importScripts('../platform/ext.js', '../core/widerspruch.js');
}

// Messages wait for the core to load, not for the badge refresh that every start also does.
const ready = wasm_bindgen({ module_or_path: ext.url('core/widerspruch_bg.wasm') });
const started = ready.then(() => wasm_bindgen.background_start());

// One message at a time, so two read-modify-write cycles never interleave.
/** @type {Promise<unknown>} */
let queue = Promise.resolve();
/** @template T @param {() => T | PromiseLike<T>} task @returns {Promise<T>} */
function serially(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

ext.api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  serially(() => ready.then(() => wasm_bindgen.handle_message(msg, sender))).then(
    sendResponse,
    (err) => sendResponse({ type: 'rejected', reason: String(err) }),
  );
  return true; // the answer is sent asynchronously
});

// A host granted or revoked (in the popup, or by the user in the browser's extension settings): register or
// unregister the services' content scripts (src/web/background.rs decides which). In the queue, so a sync
// never interleaves with a message's read-modify-write (service_chosen syncs too).
const syncServices = () => { serially(() => ready.then(() => wasm_bindgen.sync_services())).catch((e) => console.warn('Widerspruch: sync_services', e)); };
ext.api.permissions.onAdded.addListener(syncServices);
ext.api.permissions.onRemoved.addListener(syncServices);

// Waking up for these is enough: every start refreshes the badge.
ext.api.runtime.onStartup.addListener(() => started);
ext.api.runtime.onInstalled.addListener(() => started);

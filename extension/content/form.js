/*
 * Loaded only on objection form pages (see the manifest), before banner.js: the two things the form
 * helper does in the page. The background decides, from the rules, whether to call them.
 */
// @ts-check
(() => {
  'use strict';
  let watcher = null;

  globalThis.widerspruchForm = {
    // Adds our text to the form's reason field (never another field, never submits); keeps what is there.
    insertReason(text, w) {
      /** @type {HTMLTextAreaElement | HTMLInputElement | null} */
      const field = w && document.querySelector(w.reason_field);
      if (!field) return;
      field.value = field.value ? `${field.value}\n${text}` : text;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.focus();
    },

    // Looks for the rules' signal texts at most once per frame, and reports the first one found.
    watch(w, report) {
      this.unwatch();
      let pending = false;
      const check = () => {
        pending = false;
        const text = (document.body?.innerText ?? '').toLowerCase();
        /** @type {import('../protocol').FormSignal[]} */
        const signals = ['received', 'unavailable', 'login'];
        const signal = signals.find((k) => w[k].some((f) => text.includes(f)));
        if (!signal) return;
        this.unwatch();
        report(signal);
      };
      watcher = new MutationObserver(() => { if (!pending) { pending = true; requestAnimationFrame(check); } });
      // From document_start on, so the whole document (the body may not exist yet).
      watcher.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
      check();
    },

    unwatch() {
      watcher?.disconnect();
      watcher = null;
    },
  };
})();

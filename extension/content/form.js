/*
 * Loaded before banner.js on every page banner.js runs on, and idle there: the two things the form helper
 * does in the page. It must be present everywhere because Meta's apps reach a form page by client-side
 * navigation, where no new content script is injected. It reads no page text until banner.js calls
 * watch(), which it does only when the background answered with a form helper for the current address.
 */
// @ts-check
(() => {
  'use strict';
  let watcher = null;

  // Meta's typography must not hide a signal: curly apostrophes, non-breaking and narrow spaces, case.
  // The rules' fragments are stored in this same form (cargo test checks it; src/rules).
  const normalise = (s) => s.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
    .replace(/\s+/g, ' ');

  globalThis.widerspruchForm = {
    // Adds our text to the form's reason field (never another field, never submits); keeps what is there.
    // React-controlled fields keep working: this isolated world's `value` setter is the element's native
    // one (the page's React overrides it only in the page's world), so React's value tracker sees a
    // change when the `input` event arrives, and puts the text in its state (tests/replica's React form).
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
        const text = normalise(document.body?.innerText ?? '');
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

/*
 * Loaded before banner.js on every page banner.js runs on, and idle there: the two things the form helper
 * does in the page. It must be present everywhere because Meta's apps reach a form page by client-side
 * navigation, where no new content script is injected. It reads no page text until banner.js calls
 * watch(), which it does only when the background answered with a form helper for the current address.
 */
// @ts-check
(() => {
  'use strict';
  /** @type {null | (() => void)} */
  let stopWatching = null;

  // Meta's typography must not hide a signal: curly apostrophes, non-breaking and narrow spaces, case.
  // The rules' fragments are stored in this same form (cargo test checks it; src/rules).
  const normalise = (s) => s.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
    .replace(/\s+/g, ' ');

  // Text nobody reads on the page: code, templates, hidden elements, and our own helper.
  const UNREAD = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'WIDERSPRUCH-BANNER']);
  /** @type {NodeFilter} */
  const readable = {
    acceptNode(n) {
      if (n.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
      const e = /** @type {Element} */ (n);
      return UNREAD.has(e.tagName) || e.hasAttribute('hidden') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
    },
  };
  // textContent of the readable text nodes, never innerText: no layout. `pick` chooses the nodes; one left
  // out between two taken ones separates them (U+0000 is in no fragment), so their words never join.
  const readText = (root, pick = (/** @type {Node} */ _t) => true) => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, readable);
    let out = '';
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const data = /** @type {Text} */ (t).data;
      if (pick(t)) out += data;
      else if (out && !out.endsWith('\0') && data.trim()) out += '\0';
    }
    return out;
  };

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

    /**
     * Reports the first signal the page shows, each by its rule (the rules' `signals.watch`, src/rules):
     * - "load" (an error page, a login wall): the page's readable text, only until an objection form has
     *   been seen. A form whose help text mentions logging in or errors is still the form.
     * - "answer" (received): only text the page adds or changes where the form was, after the form went
     *   away following the user's own click on a button (or submit), and while no form is back there. Text
     *   that was on the page while the form was (its intro, help, FAQ, footer) never counts, nor does text
     *   anywhere else (a chat, a toast, a post).
     * The objection form is the form area (`form_area`) around the reason field, or the field itself (a login
     * wall has a form but no reason field). While it is there, only the child lists of it and its ancestors
     * are observed: a busy page beside the form costs nothing. At most one read per frame.
     * @param {import('../protocol').WatchView} w
     * @param {(signal: import('../protocol').FormSignal) => void} report
     */
    watch(w, report) {
      this.unwatch();
      const byRule = (when) => w.signals.filter((s) => s.when === when);
      const atLoad = byRule('load');
      const answers = byRule('answer');
      const match = (list, text) => list.find((s) => s.fragments.some((f) => text.includes(f)))?.signal;
      const formIn = (root) => {
        const field = root.querySelector(w.reason_field);
        return field ? field.closest(w.form_area) ?? field : null;
      };

      /** @type {Element | null} */
      let anchor = null; // the objection form, while it is on the page
      /** @type {Node[]} */
      let chain = []; // its ancestors, nearest first
      /** @type {Element | null} */
      let region = null; // where it was, once it is gone
      let fresh = new WeakSet(); // text nodes added or changed in the region since the form went
      let acted = false; // the user clicked a button or submitted while the form was there
      let pending = false;
      let done = false;

      const observer = new MutationObserver((records) => {
        if (anchor) {
          if (anchor.isConnected) return anchorTo(anchor); // still there (maybe moved): nothing counts
          leave();
          if (!region) return;
        }
        if (region && !region.isConnected) leave();
        if (region) {
          for (const r of records) {
            if (!region.contains(r.target)) continue; // elsewhere on the page: not read
            if (r.type === 'characterData') fresh.add(r.target);
            else for (const n of r.addedNodes) markFresh(n);
          }
        }
        if (!pending) { pending = true; requestAnimationFrame(check); }
      });

      /** @param {Node} n */
      const markFresh = (n) => {
        if (n.nodeType === Node.TEXT_NODE) fresh.add(n);
        else if (n.nodeType === Node.ELEMENT_NODE) {
          const walk = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
          for (let t = walk.nextNode(); t; t = walk.nextNode()) fresh.add(t);
        }
      };

      /** @param {Element} form */
      function anchorTo(form) {
        const parents = [];
        for (let n = form.parentNode; n; n = n.parentNode) parents.push(n);
        if (form === anchor && parents.length === chain.length && parents.every((p, i) => p === chain[i])) return;
        if (form !== anchor) acted = false; // a form back in its place starts over
        anchor = form;
        chain = parents;
        region = null;
        fresh = new WeakSet();
        observer.disconnect();
        // Taking the form away is a change to the child list of one of these.
        for (const p of chain) observer.observe(p, { childList: true });
      }

      // The form is gone: look where it was (the nearest ancestor still on the page), unless a form is
      // there again (a re-render) or the user never sent it (a navigation, not an answer).
      function leave() {
        const at = /** @type {Element | undefined} */ (chain.find((n) => n.isConnected && n.nodeType === Node.ELEMENT_NODE));
        const where = at ?? document.documentElement;
        const again = formIn(where);
        if (again) return anchorTo(again);
        anchor = null;
        // Not after a page-wide change either: an answer takes the form's place; a new <body> is a new page.
        region = acted && where !== document.body && where !== document.documentElement ? where : null;
        fresh = new WeakSet();
        observer.disconnect();
        if (region) observer.observe(region, { childList: true, subtree: true, characterData: true });
        else observer.observe(document.documentElement, { childList: true, subtree: true });
      }

      function check() {
        pending = false;
        if (done) return;
        if (!anchor) {
          const form = formIn(region ?? document);
          if (form) return anchorTo(form);
        }
        if (!chain.length) {
          // No objection form seen yet in this watch: the page as it loads.
          const signal = atLoad.length && document.body ? match(atLoad, normalise(readText(document.body))) : undefined;
          if (signal) finish(signal);
          return;
        }
        if (!region) return;
        const signal = match(answers, normalise(readText(region, (t) => fresh.has(t))));
        if (signal) finish(signal);
      }

      // A trusted click on a button, a submit, or Enter/Space on a button (Enter in a one-line field
      // submits): the user sent, or tried to. Anything the page does by itself is not.
      const BUTTON = 'button, [role=button], input[type=submit], input[type=image]';
      /** @param {Event} e */
      const onAct = (e) => {
        if (!e.isTrusted || !anchor) return;
        const t = e.target instanceof Element ? e.target : null;
        if (e.type === 'submit') acted = true;
        else if (e.type === 'click') acted ||= !!t?.closest(BUTTON);
        else if (e instanceof KeyboardEvent && (e.key === 'Enter' || e.key === ' ')) {
          acted ||= !!t?.closest(BUTTON) || (e.key === 'Enter' && t instanceof HTMLInputElement);
        }
      };
      const ACTS = ['click', 'submit', 'keydown'];
      for (const type of ACTS) document.addEventListener(type, onAct, true);

      const stop = () => {
        done = true;
        observer.disconnect();
        for (const type of ACTS) document.removeEventListener(type, onAct, true);
      };
      /** @param {import('../protocol').FormSignal} signal */
      const finish = (signal) => {
        this.unwatch();
        report(signal);
      };
      stopWatching = stop;

      // From document_start on, so the whole document (the body may not exist yet) until a form is seen.
      observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
      check();
    },

    unwatch() {
      stopWatching?.();
      stopWatching = null;
    },
  };
})();

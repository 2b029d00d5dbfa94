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
  const normalise = (/** @type {string} */ s) => s.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
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
  /** @param {Node} root @param {(t: Node) => boolean} [pick] */
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

    // Reports the first signal the page shows, each by its rule (the rules' `signals.watch`, src/rules):
    // "load" (error page, login wall): the readable text, only until the objection form was seen (a form
    // whose help text mentions errors or logging in is still the form). "answer" (received): only text
    // the page adds or changes where the form was, after the form went away following the user's click
    // on a button (or a submit), while no form is back. Text there while the form was (intro, help, FAQ,
    // footer) never counts, nor text elsewhere (a chat, a toast, a post). The objection form is the form
    // area around the reason field, else the field (a login wall has a form, no reason field). While it
    // is there, only its ancestors' child lists are observed: a busy page beside it costs nothing.
    /** @param {import('../protocol').WatchView} w @param {(s: import('../protocol').FormSignal) => void} report */
    watch(w, report) {
      this.unwatch();
      const rule = (/** @type {import('../protocol').SignalWhen} */ when) => w.signals.filter((s) => s.when === when);
      const [atLoad, answers] = [rule('load'), rule('answer')];
      /** @param {import('../protocol').WatchedSignal[]} list @param {string} text */
      const match = (list, text) => list.find((s) => s.fragments.some((f) => text.includes(f)))?.signal;
      /** @param {ParentNode} root */
      const formIn = (root) => {
        const field = root.querySelector(w.reason_field);
        return field ? field.closest(w.form_area) ?? field : null;
      };
      const html = document.documentElement;
      /** @type {Element | null} */
      let anchor = null; // the objection form, while it is on the page
      /** @type {ParentNode[]} */
      let chain = []; // its ancestors, nearest first
      /** @type {ParentNode | null} */
      let region = null; // where it was, once it is gone
      let fresh = new WeakSet(); // text nodes added or changed in the region since the form went
      let acted = false; // the user clicked a button or submitted while the form was there
      let pending = false;
      let done = false;
      const schedule = () => { if (!pending) { pending = true; requestAnimationFrame(check); } };

      const observer = new MutationObserver((records) => {
        if (anchor?.isConnected) return anchorTo(anchor); // still there (maybe moved): nothing counts
        if (anchor || (region && !region.isConnected)) leave();
        if (anchor) return;
        if (region) {
          for (const r of records) {
            if (!region.contains(r.target)) continue; // elsewhere on the page: not read
            if (r.type === 'characterData') fresh.add(r.target);
            else for (const n of r.addedNodes) markFresh(n);
          }
        }
        schedule();
      });

      const markFresh = (/** @type {Node} */ n) => {
        if (n.nodeType === Node.TEXT_NODE) return void fresh.add(n);
        const walk = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
        for (let t = walk.nextNode(); t; t = walk.nextNode()) fresh.add(t);
      };

      /** @param {Element} form */
      function anchorTo(form) {
        /** @type {ParentNode[]} */
        const parents = [];
        for (let n = form.parentNode; n; n = n.parentNode) parents.push(n);
        if (form === anchor && parents.length === chain.length && parents.every((p, i) => p === chain[i])) return;
        if (form !== anchor) acted = false; // a form back in its place starts over
        [anchor, chain, region, fresh] = [form, parents, null, new WeakSet()];
        observer.disconnect();
        for (const p of chain) observer.observe(p, { childList: true }); // how a form is taken away
      }

      // The form is gone: watch where it was (its nearest ancestor still on the page), unless a form is back
      // there (a re-render), the user never sent it (a navigation), or the whole <body> went (a new page).
      function leave() {
        const where = chain.find((n) => n.isConnected && n.nodeType === Node.ELEMENT_NODE) ?? html;
        const again = formIn(where);
        if (again) return anchorTo(again);
        anchor = null;
        region = acted && where !== document.body && where !== html ? where : null;
        fresh = new WeakSet();
        observer.disconnect();
        if (region) observer.observe(region, { childList: true, subtree: true, characterData: true });
        else {
          observer.observe(html, { childList: true, subtree: true }); // for a form elsewhere, later
          schedule();
        }
      }

      function check() {
        pending = false;
        if (done) return;
        const form = !anchor && formIn(region ?? document);
        if (form) return anchorTo(form);
        const signal = !chain.length ? document.body && match(atLoad, normalise(readText(document.body)))
          : region && match(answers, normalise(readText(region, (t) => fresh.has(t))));
        if (signal) {
          stopWatching?.();
          stopWatching = null;
          report(signal);
        }
      }

      // The user sent, or tried to: a trusted click on a button, a submit, Enter or Space on a button, Enter
      // in a one-line field. Nothing the page does by itself.
      const BUTTON = 'button, [role=button], input[type=submit], input[type=image]';
      const onAct = (/** @type {Event} */ e) => {
        const t = e.target instanceof Element ? e.target : null;
        const key = e instanceof KeyboardEvent ? e.key : '';
        if (!e.isTrusted || !anchor || (e.type === 'keydown' && key !== 'Enter' && key !== ' ')) return;
        acted ||= e.type === 'submit' || !!t?.closest(BUTTON) || (key === 'Enter' && t instanceof HTMLInputElement);
      };
      const ACTS = ['click', 'submit', 'keydown'];
      for (const type of ACTS) document.addEventListener(type, onAct, true);
      stopWatching = () => {
        done = true;
        observer.disconnect();
        for (const type of ACTS) document.removeEventListener(type, onAct, true);
      };
      // The whole document from document_start on (the body may not exist yet), until a form is seen.
      observer.observe(html, { childList: true, subtree: true, characterData: true });
      check();
    },

    unwatch() {
      stopWatching?.();
      stopWatching = null;
    },
  };
})();

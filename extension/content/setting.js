/*
 * Loaded before banner.js on the pages of a chosen service (LinkedIn, X, Google; registered at runtime,
 * platform/ext.js), and idle there: it reads nothing until banner.js calls watch(), which it does only when
 * the background answered with a setting helper for the current address (the setting's own page).
 *
 * Then it reads ONE thing: the state of the control the rules name (src/rules/<service>.json `control`),
 * a switch or checkbox whose accessible name contains one of the rules' label fragments. The state comes
 * from `aria-checked` or the input's `checked`, never from class names or nearby text: a post or a help
 * text that quotes the label is not a control and never counts. It reports "on" / "off" when it finds the
 * control and whenever that state changes, "missing" when no such control appeared by the time the page
 * was quiet for a while. Nothing else of the page is read, kept or sent; it stores nothing.
 */
// @ts-check
(() => {
  'use strict';
  /** @type {null | (() => void)} */
  let stopWatching = null;

  /** @typedef {NonNullable<import('../protocol').PanelView['setting']>} SettingWatch what to look for (the rules' `control`) */
  /** @typedef {Extract<import('../protocol').Request, { type: 'setting_seen' }>['state']} SeenState */

  // The same normalisation as form.js and the rules' fragments (cargo test checks the rules' side).
  const normalise = (/** @type {string | null | undefined} */ s) => (s ?? '').normalize('NFKC').toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/\s+/g, ' ').trim();

  // How long the page must have been quiet (no nodes added or removed) before "no such control" is said:
  // apps render their settings after load, in several passes.
  const QUIET_MS = 1500;
  // …and at the latest this long after load, for an app that never stops changing its page.
  const LATEST_MS = 5000;
  // A control's name is short: a checkbox whose label or own text is a whole post (a "select" box, a
  // poll, a quote of the setting with a comment) is not named by the post's words, even where they
  // include the label.
  const NAME_MAX = 200;
  // An app can draw the control before it knows the user's setting (its first render, then its data):
  // "off" as the page first shows it counts only once it has held this long. After the page showed "on",
  // or after the user's own input on the control, "off" counts at once: that is the switch the user made.
  const FIRST_OFF_MS = 800;

  globalThis.widerspruchSetting = {
    /**
     * @param {SettingWatch} view
     * @param {(state: SeenState) => void} report
     */
    watch(view, report) {
      this.unwatch();
      if (view.find !== 'label' || !view.labels.length) return; // "ask": the user tells us; nothing to read
      const fragments = view.labels.map(normalise).filter(Boolean);
      const selector = [
        ...(view.roles.includes('switch') ? ['[role=switch]'] : []),
        ...(view.roles.includes('checkbox') ? ['[role=checkbox]', 'input[type=checkbox]'] : []),
      ].join(', ');
      if (!selector) return;
      const html = document.documentElement;

      /** @param {Element} e */
      const namesOf = (e) => {
        /** @type {(string | null | undefined)[]} */
        const names = [e.getAttribute('aria-label')];
        for (const id of (e.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)) {
          names.push(document.getElementById(id)?.textContent);
        }
        if (e instanceof HTMLInputElement) for (const l of e.labels ?? []) names.push(l.textContent);
        names.push(e.textContent);
        return names.map(normalise).filter((n) => n.length <= NAME_MAX);
      };
      /** @param {Element} e @returns {'on' | 'off' | null} */
      const stateOf = (e) => {
        if (e instanceof HTMLInputElement && e.type === 'checkbox') return e.checked ? 'on' : 'off';
        const a = e.getAttribute('aria-checked');
        return a === 'true' ? 'on' : a === 'false' ? 'off' : null; // "mixed" or none: not readable
      };
      const find = () => [...document.querySelectorAll(selector)].filter((e) => !e.closest('[hidden], [aria-hidden=true]') &&
        stateOf(e) !== null && namesOf(e).some((n) => fragments.some((f) => n.includes(f))));

      /** @type {Element[]} */
      let controls = []; // the matching controls, while on the page
      /** @type {string | null} */
      let said = null; // the last state reported
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let quiet;
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let latest;
      let frame = 0;
      let stopped = false;
      let settled = false; // the page showed "on", or the user acted on the control
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let firstOff;
      const say = (/** @type {SeenState} */ s) => {
        if (stopped) return;
        clearTimeout(firstOff);
        if (s === 'off' && !settled) {
          firstOff = setTimeout(() => { settled = true; read(); }, FIRST_OFF_MS);
          return;
        }
        if (s === 'on') settled = true;
        if (s !== said) { said = s; report(s); }
      };

      // Read the state. Several matching controls (a page showing the setting twice) read "off" only when
      // every one of them does: a "done" must never come from the one we happened to pick.
      const read = () => {
        if (stopped) return;
        if (!controls.length || !controls.every((c) => c.isConnected)) return look();
        const states = controls.map(stateOf);
        if (states.some((s) => s === null)) return look();
        say(states.every((s) => s === 'off') ? 'off' : 'on');
      };

      // The control's own state attributes, and its ancestors' child lists (how an app replaces it when it
      // re-renders): nothing else of the page is observed once it is found.
      const attributes = new MutationObserver(read);
      const parents = new MutationObserver(() => { if (!controls.every((c) => c.isConnected)) look(); });
      // Until it is found: the whole document's child lists, read at most once a frame.
      const arrivals = new MutationObserver(() => {
        if (!frame) frame = requestAnimationFrame(() => { frame = 0; look(); });
        restartQuiet();
      });

      const missing = () => { if (!controls.length) say('missing'); };
      function restartQuiet() {
        clearTimeout(quiet);
        if (document.readyState !== 'complete') return;
        quiet = setTimeout(missing, QUIET_MS);
        latest ??= setTimeout(missing, LATEST_MS);
      }
      const onLoad = () => { if (!controls.length) restartQuiet(); };

      function look() {
        if (stopped) return;
        const found = find();
        attributes.disconnect();
        parents.disconnect();
        arrivals.disconnect();
        controls = found;
        if (!found.length) {
          arrivals.observe(html, { childList: true, subtree: true });
          restartQuiet();
          return;
        }
        clearTimeout(quiet);
        for (const c of found) {
          attributes.observe(c, { attributes: true, attributeFilter: ['aria-checked', 'checked'] });
          for (let n = c.parentNode; n; n = n.parentNode) parents.observe(n, { childList: true });
        }
        read();
      }

      // An input's `checked` changes without any attribute: after the user's click or key, read it again
      // (at once, and once the app's handler ran). The event itself is not read, only the control's state.
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let late;
      const onInput = (/** @type {Event} */ e) => {
        if (!controls.length) return;
        // The user's own input on the control (or its label) settles what the page shows from now on.
        const t = e.target;
        if (e.isTrusted && t instanceof Node && controls.some((c) => c.contains(t) ||
          (c instanceof HTMLInputElement && [...(c.labels ?? [])].some((l) => l.contains(t))))) settled = true;
        setTimeout(read, 0);
        clearTimeout(late);
        late = setTimeout(read, 150);
      };
      const EVENTS = ['click', 'change', 'keyup'];
      for (const type of EVENTS) document.addEventListener(type, onInput, true);
      window.addEventListener('load', onLoad);

      stopWatching = () => {
        stopped = true;
        attributes.disconnect();
        parents.disconnect();
        arrivals.disconnect();
        clearTimeout(quiet);
        clearTimeout(latest);
        clearTimeout(late);
        clearTimeout(firstOff);
        cancelAnimationFrame(frame);
        for (const type of EVENTS) document.removeEventListener(type, onInput, true);
        window.removeEventListener('load', onLoad);
      };
      look();
    },

    unwatch() {
      stopWatching?.();
      stopWatching = null;
    },
  };
})();

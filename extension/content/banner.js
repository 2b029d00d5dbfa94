/*
 * Widerspruch in Meta's pages. No site logic, sends no page content: says "this page is showing" with
 * the address in the tab (the background classifies it, and only accepts an address on the origin the
 * browser reports for this tab) and renders the answer with createElement and textContent in a shadow
 * root: Meta's markup, class names and CSP don't matter. The messages' types are ../protocol.d.ts,
 * generated from src/protocol.rs and checked by `tsc` (./build.sh test, "types").
 */
// @ts-check
(() => {
  'use strict';
  // Its own `browser ?? chrome`, typed like platform/ext.js's (tools/extension-globals.d.ts): one more
  // content script file on every Meta page would cost more than these two calls (see popup.js).
  const api = /** @type {ExtensionApi} */ (globalThis.browser ?? globalThis.chrome);
  const TAG = 'widerspruch-banner';

  // An update orphans this script in open tabs; remove an orphan's panel: only ever one.
  for (const stale of document.querySelectorAll(TAG)) stale.remove();

  /** @type {HTMLElement | null} */
  let host = null; // our element, while shown
  // Its kind, kept here and not on the element: the page sees the host, and nothing on it may say what
  // we show (issue 15: the page learns only that the element exists).
  let hostKind = '';
  let asked = 0; // drop stale answers (navigations overlap)
  let shown = ''; // the panel as JSON: the same again changes nothing (keeps focus)
  let watching = ''; // the setting watch handed to setting.js, as JSON: kept while a new panel asks the same

  const alive = () => { try { return !!api.runtime?.id; } catch { return false; } };

  const RETRY_MS = [100, 400, 1600, 3200];
  // Never rejects. A worker stopped mid-message drops the answer (a closed port, or no reply at all):
  // messages are idempotent, so ask again, a little later each time (0.1, 0.4, 1.6, 3.2 s) while the
  // browser starts it anew. Timers only after a failure: nothing runs while the page does. After an update
  // (context invalidated), leave quietly. The fourth wait: on a busy machine a worker stopped while a
  // message was in flight took longer than the first three (robustness test 3 found no banner on the next
  // load in about one full run in three, never when run alone).
  /** @param {import('../protocol').Request} msg @returns {Promise<import('../protocol').Reply | undefined>} */
  async function send(msg) {
    for (let attempt = 0; ; attempt++) {
      if (!alive()) return void stop();
      try {
        // Bounded: a message to a worker that is being stopped can stay unanswered without failing, and an
        // unbounded wait would end the retries (robustness test 3 saw no banner for 6 s once in a loaded
        // CI run). Asking again is safe: messages are idempotent.
        let timer = 0;
        const a = await Promise.race([api.runtime.sendMessage(msg),
          new Promise((resolve) => { timer = setTimeout(resolve, 2000); })]);
        clearTimeout(timer);
        if (a !== undefined) return a;
      } catch {
        if (!alive()) return void stop();
      }
      if (attempt === RETRY_MS.length) return undefined;
      await new Promise((resolve) => { setTimeout(resolve, RETRY_MS[attempt]); });
    }
  }

  /** @param {import('../protocol').Reply | undefined} a */
  function answer(a) {
    if (a?.type === 'show_panel') {
      if (!(host?.isConnected && JSON.stringify(a.panel) === shown)) show(a.panel);
      else clearBarsNextFrame(); // the same panel after a client-side move: the page's bars may have changed
    } else if (a?.type === 'no_panel') hide();
  }

  // Meta's sites are single-page apps: the address changes without a document load, and the browser's
  // sender.url stays the one the document was loaded with. So the page says where it now is.
  let askedFor = '';
  async function ask() {
    const n = ++asked;
    askedFor = location.href;
    const a = await send({ type: 'page_shown', url: askedFor });
    if (n === asked) answer(a);
  }

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {ParentNode} parent @param {K} tag @param {string | null} [text] @returns {HTMLElementTagNameMap[K]}
   */
  function el(parent, tag, text) {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    parent.append(e);
    return e;
  }

  /**
   * `data-action` names what the button does, for tests and styles: a panel action, or inserting a reason.
   * @param {ParentNode} parent @param {string} text @param {import('../protocol').PanelAction | 'insert_reason'} action
   * @param {() => void} onClick
   */
  function button(parent, text, action, onClick) {
    const b = el(parent, 'button', text);
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', (e) => { if (e.isTrusted) onClick(); }); // the page can't click for us
    return b;
  }

  /** @param {import('../protocol').PanelView} p */
  function show(p) {
    const watch = p.setting?.find === 'label' ? JSON.stringify([p.setting.roles, p.setting.labels]) : '';
    hide(watch !== '' && watch === watching);
    shown = JSON.stringify(p);
    host = document.createElement(TAG);
    hostKind = p.kind;
    // Closed: the page's scripts get null for host.shadowRoot, so what the panel says (and with it whether
    // the user objected) stays out of their reach. The tests look inside through the browser's automation
    // protocol (tests/e2e/README.md).
    const root = host.attachShadow({ mode: 'closed' });
    style(root, p.kind);
    const box = el(root, 'aside');
    Object.assign(box.dataset, { role: p.kind.replace('_', '-'), platform: p.platform, urging: p.urging });
    if (p.item) box.dataset.item = p.item;
    box.setAttribute('aria-label', p.label);
    box.lang = p.lang;
    for (const text of p.paragraphs) el(box, 'p', text);
    if (p.steps.length) {
      el(box, 'h2', p.steps_title);
      const ol = el(box, 'ol');
      for (const step of p.steps) el(ol, 'li', step);
    }
    if (p.footnote) el(box, 'p', p.footnote);
    if (p.setting) settingState(box, p.setting);
    if (p.reasons.length) {
      const row = el(box, 'div');
      for (const r of p.reasons) {
        button(row, r.label, 'insert_reason', () => form()?.insertReason(r.text, p.watch)).title = r.text;
      }
    }
    const row = el(box, 'div');
    if (p.link) {
      const a = el(row, 'a', p.link.text);
      a.href = p.link.href;
      a.dataset.role = 'form-link';
      a.addEventListener('click', (e) => {
        if (e.isTrusted && p.kind === 'banner') send({ type: 'panel_clicked', url: location.href, action: 'open_form' });
      });
    }
    for (const { action, text } of p.actions) button(row, text, action, () => act(action));
    place();
    if (p.watch) form()?.watch(p.watch, (signal) => send({ type: 'form_signal', url: location.href, signal }).then(answer));
    if (p.setting && watch !== watching) {
      watching = watch;
      setting()?.watch(p.setting, (state) => send({ type: 'setting_seen', url: location.href, state }).then(answer));
    }
  }

  // What this page last reported of the control (`on`, `off`, `missing`, `unknown`), for styles and tests;
  // the paragraphs above say it in words.
  /** @param {HTMLElement} box @param {NonNullable<import('../protocol').PanelView['setting']>} s */
  function settingState(box, s) {
    const p = el(box, 'p');
    Object.assign(p.dataset, { role: 'setting-state', state: s.state });
    p.hidden = true;
  }

  // content/form.js (Meta) and content/setting.js (the other services) share this script's world; each
  // does nothing until a panel asks it to.
  const form = () => globalThis.widerspruchForm;
  const setting = () => globalThis.widerspruchSetting;

  // A click that only records something takes the panel away at once (even while a sleeping worker
  // wakes). Two kinds bring a panel back: the route ("The link doesn't work") and the answer to the flow's
  // question (what it marked); for them the background's answer decides.
  /** @param {import('../protocol').PanelAction} action */
  function act(action) {
    if (action === 'close') return hide();
    const answered = action === 'link_broken' || action === 'confirm_off' || action.startsWith('sent_for_');
    if (!answered) hide();
    send({ type: 'panel_clicked', url: location.href, action }).then((a) => {
      if (!answered) return;
      if (a?.type === 'show_panel') answer(a);
      else hide();
    });
  }

  /** @param {boolean} [keepWatching] a new panel follows that watches the same setting */
  function hide(keepWatching = false) {
    form()?.unwatch();
    if (!keepWatching) { setting()?.unwatch(); watching = ''; }
    host?.remove();
    host = null;
  }

  /** @type {CSSStyleSheet | HTMLStyleElement | null} */
  let insetSheet = null; // --t --r --b --l: what the page's fixed bars take of each edge (clearBars)
  let placedWidth = 0; // the window's width clearBars measured at

  /** @param {ShadowRoot} root @param {string} kind */
  function style(root, kind) {
    const css = `
:host { all: initial; --bg: #fff; --fg: #1f1f1f; --ac: #0b57d0; --on: #fff; --ln: #747775;
  --t: 0px; --r: 0px; --b: 0px; --l: 0px; --x: calc(50% + (var(--l) - var(--r)) / 2); --y: calc(16px + var(--b));
  position: fixed; z-index: 2147483647; left: var(--x); bottom: var(--y); transform: translateX(-50%);
  width: min(44rem, calc(100% - 32px - var(--l) - var(--r))); }
@media (prefers-color-scheme: dark) {
  :host { --bg: #242526; --fg: #e4e6eb; --ac: #a8c7fa; --on: #062e6f; --ln: #9aa0a6; } }
:host([popover]) { margin: 0; padding: 0; border: 0; background: none; overflow: visible; inset: auto;
  left: var(--x); bottom: var(--y); }
${kind !== 'banner' ? `:host { position: relative; display: block; left: auto; bottom: auto; transform: none;
  z-index: auto; box-sizing: border-box; width: auto; max-width: calc(48rem + var(--l) + var(--r));
  margin: calc(8px + var(--t)) auto 8px; padding: 0 calc(8px + var(--r)) 0 calc(8px + var(--l)); }` : ''}
aside { box-sizing: border-box; max-height: calc(100vh - 32px - var(--t) - var(--b)); overflow: auto; padding: 10px 14px;
  border-radius: 8px; border: 1px solid var(--ln); background: var(--bg); color: var(--fg);
  box-shadow: 0 2px 8px #0004; font: 14px/1.4 system-ui, sans-serif; }
p, ol { margin: 0 0 8px; }
h2 { font-size: 14px; margin: 0 0 4px; }
div { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 4px; }
a, button { font: inherit; border-radius: 6px; padding: 4px 12px; cursor: pointer; }
a { background: var(--ac); color: var(--on); text-decoration: none; font-weight: 600; }
button { background: none; color: inherit; border: 1px solid var(--ln); }
:focus-visible { outline: 3px solid var(--ac); outline-offset: 2px; }`;
    // A constructed sheet isn't inline style, so no page CSP blocks it; <style> is the fallback.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      insetSheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [sheet, insetSheet];
    } catch {
      el(root, 'style', css);
      insetSheet = el(root, 'style');
    }
  }

  // Keeps ours clear of the page's fixed bars (issue 16), whatever their markup: reads only what hit-testing
  // finds at the viewport's edges (and under the banner), and the box of its first `position: fixed`
  // ancestor. A wide box at the top or bottom, or a tall one at a side, is a bar: the helper starts below
  // and beside them, the banner keeps off all four; anything else fixed under the banner lifts it. Never
  // on scroll: fixed bars do not move with it.
  function clearBars() {
    if (!host || !insetSheet) return;
    const [w, h] = [innerWidth, innerHeight];
    placedWidth = w;
    const ins = { t: 0, r: 0, b: 0, l: 0 };
    /** @type {Map<Element, Element | null>} */
    const known = new Map(); // element hit → its fixed ancestor (or itself), null if none
    // Ours let the points through while it looks (one element per point, not the whole stack under it:
    // half the cost, measured; BENCHMARKS.md, issue 16).
    const set = (/** @type {string} */ extra) => {
      const css = `:host { --t: ${ins.t}px; --r: ${ins.r}px; --b: ${ins.b}px; --l: ${ins.l}px; ${extra} }`;
      if (insetSheet instanceof CSSStyleSheet) insetSheet.replaceSync(css);
      else if (insetSheet) insetSheet.textContent = css;
    };
    set('pointer-events: none;');
    const fixedAt = (/** @type {number} */ x, /** @type {number} */ y) => {
      const e = document.elementFromPoint(x, y);
      if (!e || e === host) return null;
      if (!known.has(e)) {
        let n = /** @type {Element | null} */ (e);
        while (n && getComputedStyle(n).position !== 'fixed') n = n.parentElement;
        known.set(e, n);
      }
      return known.get(e);
    };
    /** @param {number[][]} points @param {boolean} [under] points under the banner */
    const scan = (points, under) => {
      for (const [x, y] of points) {
        const b = fixedAt(x, y)?.getBoundingClientRect();
        if (!b) continue;
        const [wide, tall] = [b.width > w / 2, b.height > h / 2];
        if (wide && tall) continue; // a dialog over everything: the top layer is above it anyway
        if (wide && b.top <= 1) ins.t = Math.max(ins.t, b.bottom);
        else if (wide && b.bottom >= h - 1) ins.b = Math.max(ins.b, h - b.top);
        else if (tall && b.left <= 1) ins.l = Math.max(ins.l, b.right);
        else if (tall && b.right >= w - 1) ins.r = Math.max(ins.r, w - b.left);
        else if (under && b.top > h / 2) ins.b = Math.max(ins.b, h - b.top);
      }
    };
    const edges = [];
    for (const f of [0.06, 0.2, 0.35, 0.5, 0.65, 0.8, 0.94]) edges.push([f * w, 1], [f * w, h - 2], [1, f * h], [w - 2, f * h]);
    scan(edges);
    if (hostKind === 'banner') {
      for (let round = 0, moved = true; moved && round < 2; round++) { // what the banner, so placed, still sits on
        set('pointer-events: none;');
        const r = host.getBoundingClientRect();
        const before = JSON.stringify(ins);
        // Every 32 px: a round 48 px button anywhere under it holds a point.
        const under = [];
        for (let x = r.left + 4; x < r.right; x += 32) for (let y = r.top + 4; y < r.bottom; y += 32) under.push([x, y]);
        scan(under, true);
        moved = JSON.stringify(ins) !== before;
      }
    }
    set('');
  }

  // Where the panel goes. Both are children of <html>, outside <body>, so an app that re-renders its
  // body (React roots do) never removes ours, and neither depends on Meta's layout.
  // - The helpers (a form's, a setting's) sit in the page's flow, just before <body>: they push the page
  //   down and can never cover a field, the send button or the switch, at any width. (A fixed corner box
  //   sat over the fields at 1280x720.)
  // - The banner floats at the bottom of the feed in the top layer (a manual popover): above any z-index,
  //   so a full-screen dialog in <body> (Instagram's cookie dialog) cannot hide it, even when <body>
  //   arrives after our element (later siblings win among equal z-indexes).
  // Clear of the bars in the next frame, before it paints: the layout that hit-testing needs is the one
  // that frame does anyway, and the page's task that showed the panel is not held up.
  function place() {
    attach();
    clearBarsNextFrame();
  }

  function attach() {
    if (!host) return;
    const html = document.documentElement;
    if (hostKind !== 'banner') {
      const body = document.body;
      // Once placed, it stays where it is (whoever moves it has a reason); only a <body> that arrived
      // before it puts it back in front.
      const afterBody = host.parentNode === html && body && (host.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_PRECEDING);
      if (!host.isConnected || afterBody) html.insertBefore(host, body);
      return;
    }
    if (!host.isConnected) html.append(host);
    if (typeof host.showPopover !== 'function') return; // no popover support: stays an ordinary fixed box
    if (!host.hasAttribute('popover')) host.setAttribute('popover', 'manual');
    try {
      if (!host.matches(':popover-open')) host.showPopover();
    } catch { /* an odd document state: the fixed box still shows */ }
  }

  // Meta's app may rebuild the document, and <body> may arrive after us: put ours back in its place.
  const keep = new MutationObserver(() => {
    if (!alive()) return stop();
    attach();
  });
  keep.observe(document.documentElement, { childList: true });

  // The page's bars come with its body and change with the window's width: once per frame at most. Not when
  // only the height changes: a phone's toolbar slides away as the page scrolls, and the insets, measured
  // from the edges, stay right.
  let placing = 0;
  function clearBarsNextFrame() { if (host && !placing) placing = requestAnimationFrame(() => { placing = 0; clearBars(); }); }
  const resized = () => { if (innerWidth !== placedWidth) clearBarsNextFrame(); };
  window.addEventListener('load', clearBarsNextFrame);
  window.addEventListener('resize', resized);

  // Client-side navigations, without polling. The Navigation API where there is one (Chromium; Firefox
  // since 147, so ESR 153), and popstate (Back/Forward). Where the Navigation API is missing (Firefox
  // 140–146), a change of <title>, which the apps set on every route, catches pushState instead. Only there:
  // LinkedIn and X count unread items in their titles, and the title observer then ran on every new post
  // while the feed scrolled (BENCHMARKS.md, issue 15 item 7). Asking again is harmless: only a changed
  // address asks.
  const onNavigate = () => { if (location.href !== askedFor) ask(); };
  const navigation = globalThis.navigation;
  navigation?.addEventListener('navigatesuccess', onNavigate);
  window.addEventListener('popstate', onNavigate);
  const titles = new MutationObserver(onNavigate);
  const watchTitle = () => {
    const t = document.querySelector('head > title');
    if (t) titles.observe(t, { childList: true, characterData: true, subtree: true });
    return !!t;
  };
  if (!navigation && !watchTitle()) document.addEventListener('DOMContentLoaded', watchTitle, { once: true });

  function stop() {
    keep.disconnect();
    titles.disconnect();
    navigation?.removeEventListener('navigatesuccess', onNavigate);
    window.removeEventListener('popstate', onNavigate);
    window.removeEventListener('load', clearBarsNextFrame);
    window.removeEventListener('resize', resized);
    hide();
  }

  ask();
})();

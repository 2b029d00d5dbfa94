/*
 * Widerspruch in Meta's pages. No site logic, sends no page data but its URL: says "this page is showing"
 * (the background classifies that URL when it is on the origin the browser reports) and renders the answer with createElement and
 * textContent in a shadow root: Meta's markup, class names and CSP don't matter. The messages' types are
 * ../protocol.d.ts, generated from src/protocol.rs and checked by `tsc` (./build.sh test, "types").
 */
// @ts-check
(() => {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const TAG = 'widerspruch-banner';

  // An update orphans this script in open tabs; remove an orphan's panel: only ever one.
  for (const stale of document.querySelectorAll(TAG)) stale.remove();

  let host = null; // our element, while shown
  let asked = 0; // drop stale answers (navigations overlap)
  let shown = ''; // the panel as JSON: the same again changes nothing (keeps focus)

  const alive = () => { try { return !!api.runtime?.id; } catch { return false; } };

  // Never rejects. A worker stopped mid-message drops the answer: messages are idempotent, so ask
  // again. After an update (context invalidated), leave quietly.
  /** @param {import('../protocol').Request} msg @param {number} [retry] @returns {Promise<import('../protocol').Reply | undefined>} */
  async function send(msg, retry = 1) {
    if (!alive()) return void stop();
    try {
      return await api.runtime.sendMessage(msg);
    } catch {
      if (!alive()) return void stop();
      if (retry) return send(msg, 0);
    }
  }

  /** @param {import('../protocol').Reply | undefined} a */
  function answer(a) {
    if (a?.type === 'show_panel') {
      if (!(host?.isConnected && JSON.stringify(a.panel) === shown)) show(a.panel);
    } else if (a?.type === 'no_panel') hide();
  }

  async function ask() {
    const n = ++asked;
    // The URL the user sees now: after pushState, sender.url still names the page the tab loaded.
    const a = await send({ type: 'page_shown', url: location.href });
    if (n === asked) answer(a);
  }

  function el(parent, tag, text) {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    parent.append(e);
    return e;
  }

  function button(parent, text, action, onClick) {
    const b = el(parent, 'button', text);
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', (e) => { if (e.isTrusted) onClick(); }); // the page can't click for us
    return b;
  }

  /** @param {import('../protocol').PanelView} p */
  function show(p) {
    hide();
    shown = JSON.stringify(p);
    host = document.createElement(TAG);
    host.dataset.kind = p.kind;
    const root = host.attachShadow({ mode: 'open' });
    style(root);
    const box = el(root, 'aside');
    Object.assign(box.dataset, { role: p.kind.replace('_', '-'), platform: p.platform, urging: p.urging });
    box.setAttribute('aria-label', p.label);
    box.lang = p.lang;
    for (const text of p.paragraphs) el(box, 'p', text);
    if (p.steps.length) {
      el(box, 'h2', p.steps_title);
      const ol = el(box, 'ol');
      for (const step of p.steps) el(ol, 'li', step);
    }
    if (p.footnote) el(box, 'p', p.footnote);
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
    document.documentElement.append(host);
    if (p.watch) form()?.watch(p.watch, (signal) => send({ type: 'form_signal', url: location.href, signal }).then(answer));
  }

  // content/form.js (form pages only) shares this script's world.
  const form = () => globalThis.widerspruchForm;

  /** @param {import('../protocol').PanelAction} action */
  function act(action) {
    if (action === 'close') return hide();
    if (action !== 'link_broken') hide();
    send({ type: 'panel_clicked', url: location.href, action }).then((a) => action === 'link_broken' && answer(a));
  }

  function hide() {
    form()?.unwatch();
    host?.remove();
    host = null;
  }

  function style(root) {
    const css = `
:host { all: initial; --bg: #fff; --fg: #1f1f1f; --ac: #0b57d0; --on: #fff; --ln: #747775;
  position: fixed; z-index: 2147483647; left: 50%; bottom: 16px; transform: translateX(-50%);
  width: min(44rem, calc(100vw - 32px)); }
@media (prefers-color-scheme: dark) {
  :host { --bg: #242526; --fg: #e4e6eb; --ac: #a8c7fa; --on: #062e6f; --ln: #9aa0a6; } }
:host([data-kind=form_helper]) { left: auto; right: 16px; top: 72px; bottom: auto; transform: none;
  width: min(24rem, calc(100vw - 32px)); }
aside { box-sizing: border-box; max-height: calc(100vh - 96px); overflow: auto; padding: 10px 14px;
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
      root.adoptedStyleSheets = [sheet];
    } catch {
      el(root, 'style', css);
    }
  }

  // Meta's app may rebuild the document: put ours back.
  const keep = new MutationObserver(() => {
    if (!alive()) return stop();
    if (host && !host.isConnected) document.documentElement.append(host);
  });
  keep.observe(document.documentElement, { childList: true });

  // Client-side navigations, without polling: the Navigation API, else popstate (Back only).
  const onNavigate = () => ask();
  /** @type {[EventTarget, string]} */
  const nav = [globalThis.navigation ?? window, globalThis.navigation ? 'navigatesuccess' : 'popstate'];
  nav[0].addEventListener(nav[1], onNavigate);

  function stop() {
    keep.disconnect();
    nav[0].removeEventListener(nav[1], onNavigate);
    hide();
  }

  ask();
})();

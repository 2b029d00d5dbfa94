/*
 * Widerspruch content script: the only code that runs inside Facebook's and Instagram's pages.
 *
 * It has no site logic and reads nothing from the page. It tells the background "a page is showing"
 * (the background classifies the tab's URL as the browser reports it), and renders the banner the
 * background sends back: createElement and textContent only, in a shadow root, so it depends on none of
 * Meta's markup, class names or CSP. Messages use the tags of `Message` in src/messages.rs.
 */
(() => {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const TAG = 'widerspruch-banner';

  // A reloaded or updated extension leaves this script orphaned in open tabs; a new copy arrives with the
  // next page load. Remove what an orphan left behind, so there is only ever one banner.
  for (const stale of document.querySelectorAll(TAG)) stale.remove();

  let host = null; // our element, while a banner should be visible
  let asked = 0; // answers to older questions are dropped (navigations can overlap)

  const alive = () => { try { return Boolean(api.runtime?.id); } catch { return false; } };

  async function send(msg) {
    if (!alive()) return stop();
    try {
      return await api.runtime.sendMessage(msg);
    } catch (e) {
      if (!alive()) return stop(); // "Extension context invalidated": leave quietly
      throw e;
    }
  }

  async function ask() {
    const n = ++asked;
    const answer = await send({ type: 'page_shown' });
    if (n !== asked) return;
    if (answer?.type === 'show_banner') show(answer.banner);
    else hide();
  }

  function el(parent, tag, text) {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    parent.append(e);
    return e;
  }

  function show(b) {
    hide();
    host = document.createElement(TAG);
    const root = host.attachShadow({ mode: 'open' });
    style(root);
    const box = el(root, 'aside');
    box.dataset.role = 'banner';
    box.dataset.platform = b.platform;
    box.dataset.urging = String(b.urging);
    box.setAttribute('aria-label', b.label);
    box.lang = b.lang;
    el(box, 'p', b.text);
    const row = el(box, 'div');
    const link = el(row, 'a', b.link_text);
    link.href = b.link_href;
    link.dataset.role = 'form-link';
    link.addEventListener('click', (e) => { if (e.isTrusted) send({ type: 'banner_clicked', action: 'open_form' }); });
    button(row, b.done_text, 'already_done');
    button(row, b.later_text, 'not_now');
    document.documentElement.append(host);
  }

  function button(row, text, action) {
    const btn = el(row, 'button', text);
    btn.type = 'button';
    btn.dataset.action = action;
    btn.addEventListener('click', (e) => {
      if (!e.isTrusted) return; // the page cannot click for the user
      hide();
      send({ type: 'banner_clicked', action });
    });
  }

  function hide() {
    host?.remove();
    host = null;
  }

  function style(root) {
    const css = `
:host { all: initial; position: fixed; z-index: 2147483647; left: 50%; bottom: 16px; transform: translateX(-50%);
  width: min(44rem, calc(100vw - 32px)); }
aside { box-sizing: border-box; padding: 10px 14px; border-radius: 8px; border: 1px solid #c4c7c5;
  background: #ffffff; color: #1f1f1f; box-shadow: 0 2px 8px rgba(0,0,0,.2);
  font: 14px/1.4 system-ui, sans-serif; }
p { margin: 0 0 8px; }
div { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
a, button { font: inherit; border-radius: 6px; padding: 4px 12px; cursor: pointer; }
a { background: #0b57d0; color: #ffffff; text-decoration: none; font-weight: 600; }
button { background: transparent; color: inherit; border: 1px solid #747775; }
a:focus-visible, button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  aside { background: #242526; color: #e4e6eb; border-color: #5f6368; }
  a { background: #a8c7fa; color: #062e6f; }
  button { border-color: #9aa0a6; }
  a:focus-visible, button:focus-visible { outline-color: #a8c7fa; }
}`;
    // A constructed sheet is not an inline style, so no page CSP can block it; <style> is the fallback.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch {
      el(root, 'style', css);
    }
  }

  // Meta's single-page app can rebuild the document: put our element back if it was removed.
  const keep = new MutationObserver(() => {
    if (!alive()) return stop();
    if (host && !host.isConnected) document.documentElement.append(host);
  });
  keep.observe(document.documentElement, { childList: true });

  // Client-side navigations: the Navigation API reports them without polling; popstate covers Back.
  const onNavigate = () => ask().catch(() => {});
  globalThis.navigation?.addEventListener('navigatesuccess', onNavigate);
  addEventListener('popstate', onNavigate);

  function stop() {
    keep.disconnect();
    globalThis.navigation?.removeEventListener('navigatesuccess', onNavigate);
    removeEventListener('popstate', onNavigate);
    hide();
  }

  ask().catch(() => {});
})();

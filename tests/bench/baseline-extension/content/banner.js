/*
 * Benchmark baseline (tests/bench): the cheapest honest way to show the same banner. Same injection point
 * (document_start, like the extension since 2026-11-23), same DOM (host element under <html>, open shadow root, constructed stylesheet, aside with
 * text, link and two buttons) and the same CSS as extension/content/banner.js, but the platform comes from
 * location.hostname, the text is hard-coded and the form links are the rules', written in by bench.mjs into a
 * copy (target/bench/baseline-extension): no WebAssembly, no messaging, no storage.
 */
(() => {
  'use strict';
  const TAG = 'widerspruch-baseline';
  const ig = /(^|\.)instagram\.com$/.test(location.hostname);
  const FORMS = {}; // filled from src/rules/meta.json at bench time (bench.mjs baselineExtension())
  // The data-driven services' feed hosts → {platform, name, link}: filled from src/rules/<service>.json at
  // bench time (bench.mjs servicesBaselineExtension()); empty for Meta's part of the bench.
  const SERVICES = {};
  const service = SERVICES[location.hostname];
  const b = service ? {
    platform: service.platform,
    lang: 'en',
    label: `Widerspruch: objecting to ${service.name} AI training`,
    text: `${service.name} trains its AI on your posts and activity unless you switch it off. The setting takes ` +
      'about a minute and keeps what you post from now on out.',
    link_text: 'Open the setting',
    link_href: service.link,
    done_text: 'Already done',
    later_text: 'Not now',
  } : {
    platform: ig ? 'instagram' : 'facebook',
    lang: 'en',
    label: 'Widerspruch: objecting to Meta AI training',
    text: `Meta trains its AI on your public ${ig ? 'Instagram' : 'Facebook'} posts, photos and comments unless ` +
      'you object. The form takes about a minute and keeps what you post from now on out.',
    link_text: 'Open the objection form',
    link_href: ig ? FORMS.instagram : FORMS.facebook,
    done_text: 'Already done',
    later_text: 'Not now',
  };
  let host = null;

  function el(parent, tag, text) {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    parent.append(e);
    return e;
  }

  function button(row, text, action) {
    const btn = el(row, 'button', text);
    btn.type = 'button';
    btn.dataset.action = action;
    btn.addEventListener('click', (e) => { if (e.isTrusted) { host?.remove(); host = null; } });
  }

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

  host = document.createElement(TAG);
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
  const box = el(root, 'aside');
  box.dataset.role = 'banner';
  box.dataset.platform = b.platform;
  box.dataset.urging = 'false';
  box.setAttribute('aria-label', b.label);
  box.lang = b.lang;
  el(box, 'p', b.text);
  const row = el(box, 'div');
  const link = el(row, 'a', b.link_text);
  link.href = b.link_href;
  link.dataset.role = 'form-link';
  button(row, b.done_text, 'already_done');
  button(row, b.later_text, 'not_now');
  document.documentElement.append(host);
})();

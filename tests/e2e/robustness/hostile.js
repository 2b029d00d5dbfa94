// A hostile Facebook page script (main world), served by ./server.mjs as /_replica/wsp-hostile.js on
// https://www.facebook.com/?robust=hostile. As soon as the extension's <widerspruch-banner> shows up it
//   1. posts window messages shaped like the extension's own messages (and tries runtime.sendMessage from
//      the main world, where there is no extension API for a page without externally_connectable);
//   2. presses every button of the panel with untrusted events (click(), dispatchEvent of pointer/mouse/
//      click and keydown/keyup Enter and Space, plus requestSubmit tricks). The panel's shadow root is
//      closed, so the page cannot reach the buttons by itself; the test hands it the root
//      (driver.leakPanelRoot() → window.widerspruchLeakedRoot), as if the page had got hold of it anyway;
// and it puts the form's "received" wording into the page (also in the server-rendered HTML).
// The test then calls window.hostile.removeBanner() / .restyle() / .reparentToBody() itself.
// Everything it does is logged in window.hostileLog (and the count in <html data-hostile-done>).
(() => {
  'use strict';
  const EXT = 'iddanobcjbciolaflajffjajfcapogle';
  const log = [];
  window.hostileLog = log;
  const note = (what, detail = '') => log.push({ what, detail: String(detail), t: Date.now() });

  const SHAPES = [
    { type: 'panel_clicked', action: 'already_done' },
    { type: 'panel_clicked', action: 'not_now' },
    { type: 'panel_clicked', action: 'open_form' },
    { type: 'form_signal', signal: 'received' },
    { type: 'checklist_clicked', group: 'main', platform: 'facebook', action: 'mark_submitted' },
    { type: 'page_shown' },
  ];

  function spoofMessages() {
    for (const m of SHAPES) {
      window.postMessage(m, '*');
      window.postMessage(JSON.stringify(m), '*');
      window.postMessage({ ...m, source: 'widerspruch' }, location.origin);
      window.dispatchEvent(new MessageEvent('message', { data: m, origin: location.origin, source: window }));
      document.dispatchEvent(new CustomEvent('widerspruch', { detail: m }));
    }
    const rt = globalThis.chrome?.runtime ?? globalThis.browser?.runtime;
    if (rt && typeof rt.sendMessage === 'function') {
      try {
        rt.sendMessage(EXT, SHAPES[0], (r) => note('main-world-sendMessage-answer', JSON.stringify(r ?? null)));
        note('main-world-sendMessage-called');
      } catch (e) { note('main-world-sendMessage-threw', e.message); }
    } else {
      note('no-extension-api-in-main-world');
    }
    note('spoofed-messages', SHAPES.length);
  }

  function pressButtons() {
    const host = document.querySelector('widerspruch-banner');
    const root = host && (host.shadowRoot || window.widerspruchLeakedRoot);
    if (!root) { note('no-shadow-root'); return 0; }
    const buttons = [...root.querySelectorAll('button[data-action]')];
    for (const b of buttons) {
      b.focus();
      for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) {
        const Ctor = type.startsWith('pointer') ? PointerEvent : MouseEvent;
        b.dispatchEvent(new Ctor(type, { bubbles: true, cancelable: true, composed: true, button: 0 }));
      }
      b.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, view: window, detail: 1 }));
      b.click();
      for (const [key, code] of [['Enter', 'Enter'], [' ', 'Space']]) {
        b.dispatchEvent(new KeyboardEvent('keydown', { key, code, bubbles: true, cancelable: true, composed: true }));
        b.dispatchEvent(new KeyboardEvent('keypress', { key, code, bubbles: true, cancelable: true, composed: true }));
        b.dispatchEvent(new KeyboardEvent('keyup', { key, code, bubbles: true, cancelable: true, composed: true }));
      }
      // A button inside a form submits it on an untrusted click(): wrap one and try.
      const form = document.createElement('form');
      form.addEventListener('submit', (e) => e.preventDefault());
      const clone = b.cloneNode(true); // a clone has no listeners; harmless, but proves the DOM is writable
      form.append(clone);
      clone.click();
    }
    // Enter on the focused element of the shadow root (the extension has no keydown handlers; stays inert).
    root.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    note('pressed', buttons.map((b) => b.dataset.action).join(','));
    return buttons.length;
  }

  function received() {
    const p = document.createElement('p');
    p.id = 'hostile-received';
    p.textContent = 'Thanks! Your objection will apply from now on. We have received your request.';
    (document.querySelector('[role=feed]') || document.body).append(p);
    document.title = 'We have received your request';
    note('received-text');
  }

  window.hostile = {
    spoofMessages,
    pressButtons,
    removeBanner() {
      const hosts = [...document.querySelectorAll('widerspruch-banner')];
      for (const h of hosts) h.remove();
      note('removed', hosts.length);
      return hosts.length;
    },
    // Removes the element again every time it comes back, `times` times in a row.
    fightBanner(times = 20) {
      let n = 0;
      const mo = new MutationObserver(() => {
        const h = document.querySelector('widerspruch-banner');
        if (h && n < times) { n++; h.remove(); note('removed-again', n); }
        if (n >= times) mo.disconnect();
      });
      mo.observe(document.documentElement, { childList: true });
      window.hostile.removeBanner();
      return new Promise((r) => setTimeout(() => { mo.disconnect(); r(n); }, 1500));
    },
    reparentToBody() {
      const h = document.querySelector('widerspruch-banner');
      if (h) document.body.append(h);
      note('reparented', !!h);
      return !!h;
    },
    restyle() {
      const h = document.querySelector('widerspruch-banner');
      if (h) {
        // CSSOM writes are not inline-style markup: the page's strict CSP allows them.
        for (const [k, v] of [['display', 'none'], ['visibility', 'hidden'], ['opacity', '0']]) h.style.setProperty(k, v, 'important');
      }
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = '/_replica/wsp-hostile.css';
      document.head.append(link);
      note('restyled', !!h);
      return new Promise((r) => { link.onload = () => r(true); link.onerror = () => r(false); });
    },
  };

  received();
  const started = Date.now();
  (function wait() {
    const host = document.querySelector('widerspruch-banner');
    if ((host?.shadowRoot || window.widerspruchLeakedRoot)?.querySelector('button[data-action]')) {
      spoofMessages();
      pressButtons();
      // And once more a little later, in case the first round raced the extension's rendering.
      setTimeout(() => {
        spoofMessages();
        pressButtons();
        document.documentElement.dataset.hostileDone = String(log.length);
      }, 300);
      return;
    }
    if (Date.now() - started < 15000) setTimeout(wait, 25);
    else note('banner-never-appeared');
  })();
})();

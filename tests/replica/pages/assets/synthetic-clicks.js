// Replica page script (the `?replica=synthetic-clicks` feed variant): a hostile page that tries to press
// the extension's buttons itself. It runs in the page's main world, waits for <widerspruch-banner> and its
// shadow root (closed: the test hands it over as window.widerspruchLeakedRoot, as if the page had got hold
// of it; driver.leakPanelRoot()), then dispatches UNTRUSTED clicks (dispatchEvent(new MouseEvent('click')) and element.click()) on every
// button of the panel, and reports what it clicked in #replica-synthetic-clicks ("clicked: a,b,c").
// The extension must ignore all of them (its buttons act only on event.isTrusted).
(() => {
  'use strict';
  const started = Date.now();
  function attempt() {
    const host = document.querySelector('widerspruch-banner');
    const root = host && (host.shadowRoot || window.widerspruchLeakedRoot);
    const buttons = root ? [...root.querySelectorAll('button[data-action]')] : [];
    if (!buttons.length) {
      if (Date.now() - started < 10000) setTimeout(attempt, 100);
      return;
    }
    const clicked = [];
    for (const b of buttons) {
      b.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, view: window }));
      b.click();
      clicked.push(b.getAttribute('data-action'));
    }
    const out = document.createElement('p');
    out.id = 'replica-synthetic-clicks';
    out.textContent = `clicked: ${clicked.join(',')}`;
    document.body.append(out);
  }
  // Give the extension a moment to finish rendering, like a script reacting to the panel would.
  setTimeout(attempt, 300);
})();

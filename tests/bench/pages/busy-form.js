// The busy objection form (served under the real form URL, see server.mjs): the form stays still while the
// page's own script rewrites a feed-sized side column of 60 posts (feed.js's hydration size) on EVERY
// animation frame, as Meta's busy pages do around a form (chat lists, notifications, suggestions). Two
// ways, chosen by the address's fragment, because what an observer of the page pays depends on which:
//   #rebuild  a React root re-render without reuse: the column is replaced by 60 freshly built posts;
//   #update   React reconciliation: the nodes stay, every post's time label and reaction count get new
//             text (120 text changes a frame, little new layout).
// Once a second the form's status area changes too (a small, ordinary change inside the form's own
// region). None of the text is a signal.
//
// It keeps its own account in window.__busyForm, read by the harness before and after a window:
//   frames  rAF callbacks run (frames the page rendered),
//   rafMs   their summed duration (the page's own script per frame, wall time),
//   slow    frames whose callback took longer than 16.7 ms.
(() => {
  'use strict';
  const POSTS = 60;
  const feed = document.querySelector('[data-bench=feed]');
  const status = document.querySelector('[data-bench=status]');
  const mode = location.hash === '#update' ? 'update' : 'rebuild';
  const r = (window.__busyForm = { mode, posts: POSTS, frames: 0, rafMs: 0, slow: 0 });
  let lastStatus = 0;

  // #update: each post's time label and its first action (the reaction count), in document order.
  let labels = [];
  if (mode === 'update') {
    feed.replaceChildren(window.benchFeed.list(POSTS));
    labels = [...feed.querySelectorAll('.time, [role=toolbar] > :first-child')];
  }
  let n = 0;

  function frame(now) {
    requestAnimationFrame(frame);
    const t0 = performance.now();
    if (mode === 'rebuild') feed.replaceChildren(window.benchFeed.list(POSTS));
    else {
      n += 1;
      for (let k = 0; k < labels.length; k += 2) {
        labels[k].textContent = `${(n + k) % 60} s`;
        labels[k + 1].textContent = `Gefällt mir · ${n + k}`;
      }
    }
    if (now - lastStatus >= 1000) {
      lastStatus = now;
      status.textContent = `Entwurf gespeichert um ${new Date().toLocaleTimeString('de-DE')}`;
    }
    const d = performance.now() - t0;
    r.frames += 1;
    r.rafMs += d;
    if (d > 1000 / 60) r.slow += 1;
  }
  requestAnimationFrame(frame);

  // Sending: like Meta's form, no page load; the answer replaces the whole form area. The harness sets the
  // answer's text (a "received" fragment of the rules) on the form before it clicks, to check once, after
  // the windows, that the helper under test still notices Meta's answer on this page.
  const form = document.querySelector('form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const answer = document.createElement('p');
    answer.setAttribute('role', 'status');
    answer.textContent = `Thank you. Meta ${form.dataset.answer ?? ''}.`;
    document.querySelector('[data-bench=form-region]').replaceChildren(answer);
  });
})();

// The busy objection form (served under the real form URL, see server.mjs): the form stays still while the
// page's own script rewrites a feed-sized side column on EVERY animation frame, as Meta's busy pages do
// (chat lists, notifications, "people you may know" re-rendering around the form). Each frame replaces the
// column with 60 freshly built posts (feed.js's hydration size); once a second the form's status area
// changes too (a small, ordinary change inside the form's own region). None of the text is a signal.
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
  const r = (window.__busyForm = { posts: POSTS, frames: 0, rafMs: 0, slow: 0 });
  let lastStatus = 0;

  function frame(now) {
    requestAnimationFrame(frame);
    const t0 = performance.now();
    feed.replaceChildren(window.benchFeed.list(POSTS));
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
})();

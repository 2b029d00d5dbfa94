// The busy feed: for as long as the tab is open it keeps adding posts (5 every 100 ms, newest first),
// refreshes every post's relative time label, and every 2 s re-renders the whole app root like a React
// root re-render (document.body.replaceChildren). The extension must do no work for any of it.
(() => {
  'use strict';
  let feed = document.querySelector('[role=feed]');
  let tick = 0;
  setInterval(() => {
    tick += 1;
    if (tick % 20 === 0) {
      feed = window.benchFeed.render(60);
      return;
    }
    for (let k = 0; k < 5; k++) feed.prepend(window.benchFeed.post());
    while (feed.childElementCount > 150) feed.lastElementChild.remove();
    const now = Date.now();
    for (const t of feed.querySelectorAll('.time')) t.textContent = `${Math.round((now - Number(t.dataset.t)) / 1000)} s`;
  }, 100);
})();

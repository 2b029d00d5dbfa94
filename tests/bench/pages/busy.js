// The busy feed: for as long as the tab is open it keeps adding posts (5 every 100 ms, newest first),
// refreshes every post's relative time label, and every 2 s re-renders the whole app root like a React
// root re-render (document.body.replaceChildren). The extension must do no work for any of it.
// Opt-in by the address's query (the services' part of the bench uses both; Meta's figures keep the page
// as it was): `scroll` the page's own script scrolls the document on every frame, down to the end and back
// up, as a reader's wheel would ("nothing runs while the feed scrolls"); `title` the unread count in
// the <title> changes with every root re-render, as LinkedIn's and X's "(3) Feed" titles do (a change of
// <title> is one of the ways banner.js notices a client-side navigation).
(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  if (params.has('scroll')) {
    let step = 24;
    const scroll = () => {
      const end = document.documentElement.scrollHeight - innerHeight;
      if (scrollY >= end - 1) step = -24;
      else if (scrollY <= 0) step = 24;
      scrollBy(0, step);
      requestAnimationFrame(scroll);
    };
    requestAnimationFrame(scroll);
  }
  const title = document.title;
  let unread = 0;
  let feed = document.querySelector('[role=feed]');
  let tick = 0;
  setInterval(() => {
    tick += 1;
    if (tick % 20 === 0) {
      feed = window.benchFeed.render(60);
      if (params.has('title')) document.title = `(${(unread = (unread % 9) + 1)}) ${title}`;
      return;
    }
    for (let k = 0; k < 5; k++) feed.prepend(window.benchFeed.post());
    while (feed.childElementCount > 150) feed.lastElementChild.remove();
    const now = Date.now();
    for (const t of feed.querySelectorAll('.time')) t.textContent = `${Math.round((now - Number(t.dataset.t)) / 1000)} s`;
  }, 100);
})();

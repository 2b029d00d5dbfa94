// "Hydration" of the bench feed: like a React root, the first client render replaces the server markup
// with freshly built nodes (posts with author, text, actions). Shared by the quiet and the busy page;
// busy.js reuses window.benchFeed to keep rendering. The busy form page (<body data-no-hydrate>) keeps
// its own markup and only borrows list() for its side column (busy-form.js).
(() => {
  'use strict';
  const WORDS = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut ' +
    'labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation').split(' ');
  let seq = 0;

  const el = (tag, attrs, ...children) => {
    const n = document.createElement(tag);
    for (const k in attrs) n.setAttribute(k, attrs[k]);
    n.append(...children);
    return n;
  };

  function text(i, n) {
    let s = '';
    for (let k = 0; k < n; k++) s += WORDS[(i * 7 + k * 3) % WORDS.length] + ' ';
    return s;
  }

  function post() {
    const i = ++seq;
    return el('div', { role: 'article', 'aria-posinset': String(i), 'aria-setsize': '-1', class: 'x1yztbdb post' },
      el('div', { class: 'x1cy8zhl head' },
        el('a', { href: `/user.${i % 50}`, class: 'x1i10hfl' }, `User ${i % 50}`),
        el('span', { class: 'x4k7w5x time', 'data-t': String(Date.now()) }, 'just now')),
      el('p', { class: 'x193iq5w' }, text(i, 30)),
      el('div', { role: 'toolbar', class: 'x6s0dn4 actions' },
        el('span', { role: 'button', tabindex: '0' }, 'Like'),
        el('span', { role: 'button', tabindex: '0' }, 'Comment'),
        el('span', { role: 'button', tabindex: '0' }, 'Share')));
  }

  function list(count) {
    const feed = el('div', { role: 'feed', 'aria-busy': 'false' });
    for (let k = 0; k < count; k++) feed.append(post());
    return feed;
  }

  function render(count) {
    const feed = list(count);
    const mount = el('div', { id: 'mount', class: 'x9f619 x1n2onr6' },
      el('div', { role: 'banner', class: 'x78zum5 nav' }, el('a', { href: '/' }, 'f'),
        el('input', { type: 'search', 'aria-label': 'Search' })),
      el('div', { role: 'main', class: 'x1iyjqo2' }, feed));
    document.body.replaceChildren(mount);
    return feed;
  }

  window.benchFeed = { post, list, render };
  if (!document.body.hasAttribute('data-no-hydrate')) render(60);
})();

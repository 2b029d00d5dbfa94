// Replica "React app": client-side routing for the Facebook / Instagram replicas.
// Served as a file so it runs under the strict CSP (script-src 'self').
//
// Tests trigger client-side navigation in three ways:
//   window.replicaNavigate('/friends')                  (page.evaluate / WebDriver executeScript)
//   window.postMessage({replicaNavigate: '/friends'}, '*')
//   a click on any <a data-nav href="...">
// Each navigation does history.pushState and then, like a React root re-render, throws away every
// child of <body> (including #mount) and builds fresh nodes. Nodes the extension put under
// document.documentElement (not <body>) must survive; nodes it put in <body> do not.
(() => {
  'use strict';
  const site = document.documentElement.dataset.site === 'instagram' ? 'instagram' : 'facebook';
  let renders = 0;
  // A variant page can pin the text of the first post (server.mjs `?replica=received-post`).
  const pinnedPost = document.querySelector('meta[name=replica-post]')?.getAttribute('content') ?? null;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === true) node.setAttribute(k, '');
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  };

  const NAV = {
    facebook: [['/', 'Startseite'], ['/watch', 'Video'], ['/marketplace', 'Marketplace'],
      ['/groups/feed', 'Gruppen'], ['/friends', 'Freunde'], ['/some.user', 'Profil']],
    instagram: [['/', 'Startseite'], ['/explore/', 'Entdecken'], ['/reels/', 'Reels'],
      ['/direct/inbox/', 'Nachrichten'], ['/some.user/', 'Profil']],
  };

  function nav() {
    const links = NAV[site].map(([href, label]) => el('a', { href, 'data-nav': true, 'aria-label': label }, label));
    if (site === 'facebook') {
      return el('div', { role: 'banner', class: 'x78zum5 replica-nav', 'aria-label': 'Facebook' },
        el('a', { href: '/', 'data-nav': true, 'aria-label': 'Facebook', class: 'replica-logo' }, 'f'),
        el('input', { type: 'search', 'aria-label': 'Facebook durchsuchen', placeholder: 'Facebook durchsuchen' }),
        el('div', { role: 'navigation', 'aria-label': 'Facebook' }, ...links));
    }
    return el('div', { role: 'navigation', class: 'replica-nav', 'aria-label': 'Instagram' }, ...links);
  }

  function content(path) {
    const posts = [];
    for (let i = 1; i <= 3; i++) {
      posts.push(el('div', { role: 'article', 'aria-posinset': String(i), 'aria-setsize': '-1',
        'data-testid': 'replica-post' },
      el('h3', {}, `Replica post ${i}`),
      el('p', {}, i === 1 && pinnedPost ? pinnedPost : `Client-rendered content for ${path} (render #${renders}).`)));
    }
    const inner = path.startsWith('/some.user')
      ? el('div', { role: 'region', 'aria-label': 'Profil' }, el('h1', {}, 'Some User'), ...posts)
      : el('div', { role: 'feed', 'aria-busy': 'false' }, ...posts);
    return site === 'facebook' ? el('div', { role: 'main', class: 'x1iyjqo2' }, inner) : el('main', { role: 'main' }, inner);
  }

  function render() {
    renders += 1;
    const path = location.pathname;
    const mount = el('div', { id: 'mount', class: 'x9f619 x1n2onr6', 'data-render': String(renders) }, nav(), content(path));
    // React-like: the whole body subtree is replaced, not patched.
    document.body.replaceChildren(mount);
    document.title = `${site === 'facebook' ? 'Facebook' : 'Instagram'} (replica) ${path}`;
  }

  function navigate(path) {
    const target = new URL(String(path), location.href);
    if (target.origin !== location.origin) { location.assign(target.href); return; }
    history.pushState({ replica: true }, '', target.pathname + target.search + target.hash);
    render();
  }

  window.replicaNavigate = navigate;
  window.replicaRenderCount = () => renders;
  window.addEventListener('message', (e) => {
    if (e.source === window && e.data && typeof e.data.replicaNavigate === 'string') navigate(e.data.replicaNavigate);
  });
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[data-nav]') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', render);
  // "Hydration": the first client render replaces the server-rendered markup too.
  render();
})();

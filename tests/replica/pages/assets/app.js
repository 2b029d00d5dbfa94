// Replica "React app": client-side routing for the Facebook / Instagram / Threads app replicas.
// Served as a file so it runs under the strict CSP (script-src 'self').
//
// Tests trigger client-side navigation in these ways (README "Client-side routing"):
//   window.replicaNavigate('/friends')                  (page.evaluate / WebDriver executeScript): pushState
//   window.replicaNavigate('/settings', {replace: true}) replaceState
//   window.postMessage({replicaNavigate: '/friends'}, '*')
//   a click on any <a data-nav href="..."> (e.g. [data-replica-link=profile|settings|form])
//   a click on button[data-replica-action=replace-settings] (replaceState) or [data-replica-action=back]
//   (history.back(), which comes back as popstate)
// Each navigation does history.pushState/replaceState and then, like a React root re-render, throws away
// every child of <body> (including #mount) and builds fresh nodes. Nodes the extension put under
// document.documentElement (not <body>) must survive; nodes it put in <body> do not. On Facebook the
// objection form's path renders the real-React form (window.replicaReact, /_replica/react-app.js).
(() => {
  'use strict';
  const site = ['instagram', 'threads'].includes(document.documentElement.dataset.site)
    ? document.documentElement.dataset.site : 'facebook';
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
  let renders = 0;
  let unmountReact = null;
  // A variant page can pin the text of the first post (server.mjs `?replica=received-post`).
  const pinnedPost = meta('replica-post');
  // `?replica=cookies`: Instagram's EU cookie dialog, until a button dismisses it (per document).
  let cookieDialog = meta('replica-variant') === 'cookies';
  // Objection form paths this app renders client-side (server.mjs, from the rules file).
  const formPaths = (meta('replica-form-paths') || '').split(' ').filter(Boolean);
  const formIdOf = (p) => formPaths.includes(p.replace(/\/$/, '')) ? p.replace(/\/$/, '').split('/').pop() : null;

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
    threads: [['/', 'Startseite'], ['/search', 'Suche'], ['/activity', 'Aktivität'], ['/@some.user', 'Profil']],
  };
  const PROFILE = { facebook: '/some.user', instagram: '/some.user/', threads: '/@some.user' };
  const SETTINGS = { facebook: '/settings', instagram: '/accounts/edit/', threads: '/settings' };
  const isProfile = (p) => p.startsWith(PROFILE[site].replace(/\/$/, ''));
  const isSettings = (p) => p.replace(/\/$/, '') === SETTINGS[site].replace(/\/$/, '');

  // Meta's FIXED bars (issue 16; SOURCES.md "Fixed bars"), each `[data-replica-bar]` (the tests' hook):
  // Facebook a top bar and a floating "new message" button; m.facebook.com (the phone site) a top bar and the
  // tabs at the bottom; Instagram on a
  // phone (< 768 px) a top bar and the tabs at the bottom, on a desktop the tabs as a side bar (style.css).
  // Threads keeps its sticky header.
  function nav() {
    const links = NAV[site].map(([href, label]) => el('a', { href, 'data-nav': true, 'aria-label': label }, label));
    if (site === 'facebook' && location.hostname.startsWith('m.')) {
      return [el('div', { role: 'banner', class: 'x78zum5 replica-nav', 'aria-label': 'Facebook', 'data-replica-bar': 'top' },
        el('a', { href: '/', 'data-nav': true, 'aria-label': 'Facebook', class: 'replica-logo' }, 'f'),
        el('button', { type: 'button', 'aria-label': 'Facebook durchsuchen' }, 'Suche'),
        el('a', { href: '/notifications', 'data-nav': true, 'aria-label': 'Benachrichtigungen' }, 'Mitteilungen')),
      el('div', { role: 'navigation', class: 'x78zum5', 'aria-label': 'Facebook', 'data-replica-bar': 'bottom' }, ...links)];
    }
    if (site === 'facebook') {
      return [el('div', { role: 'banner', class: 'x78zum5 replica-nav', 'aria-label': 'Facebook', 'data-replica-bar': 'top' },
        el('a', { href: '/', 'data-nav': true, 'aria-label': 'Facebook', class: 'replica-logo' }, 'f'),
        el('input', { type: 'search', 'aria-label': 'Facebook durchsuchen', placeholder: 'Facebook durchsuchen' }),
        el('div', { role: 'navigation', 'aria-label': 'Facebook' }, ...links)),
      // A fixed control that is no bar: the round "new message" button in the bottom right corner.
      el('div', { class: 'x78zum5', 'data-replica-bar': 'float' },
        el('button', { type: 'button', 'aria-label': 'Neue Nachricht' }, '\u270e'))];
    }
    if (site === 'instagram') {
      return [el('div', { role: 'banner', class: 'replica-nav', 'aria-label': 'Instagram', 'data-replica-bar': 'top' },
        el('a', { href: '/', 'data-nav': true, 'aria-label': 'Instagram', class: 'replica-logo' }, 'Instagram'),
        el('button', { type: 'button', 'aria-label': 'Benachrichtigungen' }, '\u2661')),
      el('div', { role: 'navigation', class: 'replica-nav', 'aria-label': 'Instagram', 'data-replica-bar': 'nav' }, ...links,
        el('button', { type: 'button', 'aria-label': 'Mehr' }, 'Mehr'))];
    }
    return [el('div', { role: 'navigation', class: 'replica-nav', 'aria-label': 'Threads' }, ...links)];
  }

  // The in-page links of README "Client-side routing": stable hooks on the replica's own elements.
  function routeLinks() {
    const links = [el('a', { href: PROFILE[site], 'data-nav': true, 'data-replica-link': 'profile' }, 'Profil'),
      el('a', { href: SETTINGS[site], 'data-nav': true, 'data-replica-link': 'settings' }, 'Einstellungen')];
    if (site === 'facebook' && formPaths[0]) {
      links.push(el('a', { href: formPaths[0], 'data-nav': true, 'data-replica-link': 'form' }, 'Widerspruchsrecht'));
    }
    links.push(el('button', { type: 'button', 'data-replica-action': 'replace-settings' }, 'Einstellungen (replace)'),
      el('button', { type: 'button', 'data-replica-action': 'back' }, 'Zurück'));
    return el('div', { class: 'replica-links', 'data-replica-links': true }, ...links);
  }

  function content(path) {
    const posts = [];
    for (let i = 1; i <= 3; i++) {
      posts.push(el('div', { role: 'article', 'aria-posinset': String(i), 'aria-setsize': '-1',
        'data-testid': 'replica-post' },
      el('h3', {}, `Replica post ${i}`),
      el('p', {}, i === 1 && pinnedPost ? pinnedPost : `Client-rendered content for ${path} (render #${renders}).`)));
    }
    let inner;
    let route;
    if (isSettings(path)) {
      route = 'settings';
      inner = el('div', { role: 'region', 'aria-label': 'Einstellungen' }, el('h1', {}, 'Einstellungen und Privatsphäre'),
        el('p', {}, 'Replica settings page (client-rendered).'));
    } else if (isProfile(path)) {
      route = 'profile';
      inner = el('div', { role: 'region', 'aria-label': 'Profil' }, el('h1', {}, 'Some User'), ...posts);
    } else {
      route = 'feed';
      inner = el('div', { role: 'feed', 'aria-busy': 'false' }, ...posts);
    }
    const attrs = { role: 'main', 'data-replica-route': route };
    return site === 'facebook' ? el('div', { ...attrs, class: 'x1iyjqo2' }, routeLinks(), inner)
      : el('main', attrs, routeLinks(), inner);
  }

  // The form, client-rendered: the React component of the full-load form page, in the app's shell.
  function formContent(formId) {
    const root = el('div', { id: 'react-root', 'data-replica-app': 'objection-form', 'data-site': site,
      'data-form-id': formId });
    const main = el('div', { role: 'main', 'data-form-id': formId, 'data-replica-route': 'form' }, root);
    return { main, root };
  }

  // Instagram's EU cookie dialog: a full-screen backdrop with the highest z-index, in <body>.
  function cookies() {
    const close = () => { cookieDialog = false; render(); };
    const accept = el('button', { type: 'button', id: 'replica-cookie-accept', class: 'replica-button' }, 'Allow all cookies');
    const decline = el('button', { type: 'button', id: 'replica-cookie-decline' }, 'Decline optional cookies');
    accept.addEventListener('click', close);
    decline.addEventListener('click', close);
    return el('div', { id: 'replica-cookie-backdrop', class: 'replica-cookie-backdrop', 'data-replica-dialog': 'cookies' },
      el('div', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'replica-cookie-title', id: 'replica-cookie-dialog',
        class: 'replica-cookie-dialog', lang: 'en' },
      // The question as reported (SOURCES.md); the button labels are the replica's.
      el('h2', { id: 'replica-cookie-title' }, 'Allow the use of cookies from Instagram on this browser?'),
      el('p', {}, 'Replica cookie dialog for tests.'), accept, decline));
  }

  function render() {
    renders += 1;
    unmountReact?.();
    unmountReact = null;
    const path = location.pathname;
    const formId = site === 'facebook' ? formIdOf(path) : null;
    const form = formId && window.replicaReact ? formContent(formId) : null;
    const mount = el('div', { id: 'mount', class: 'x9f619 x1n2onr6', 'data-render': String(renders) }, ...nav(),
      form ? form.main : content(path));
    // React-like: the whole body subtree is replaced, not patched.
    document.body.replaceChildren(mount);
    if (cookieDialog) document.body.append(cookies());
    if (form) unmountReact = window.replicaReact.mountForm(form.root, { site, formId });
    document.title = `${site[0].toUpperCase()}${site.slice(1)} (replica) ${path}`;
  }

  function navigate(path, { replace = false } = {}) {
    const target = new URL(String(path), location.href);
    if (target.origin !== location.origin) { location.assign(target.href); return; }
    history[replace ? 'replaceState' : 'pushState']({ replica: true }, '', target.pathname + target.search + target.hash);
    render();
  }

  window.replicaNavigate = navigate;
  window.replicaRenderCount = () => renders;
  window.addEventListener('message', (e) => {
    if (e.source === window && e.data && typeof e.data.replicaNavigate === 'string') navigate(e.data.replicaNavigate);
  });
  document.addEventListener('click', (e) => {
    if (!(e.target instanceof Element) || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const action = e.target.closest('button[data-replica-action]')?.dataset.replicaAction;
    if (action === 'replace-settings') { navigate(SETTINGS[site], { replace: true }); return; }
    if (action === 'back') { history.back(); return; }
    const a = e.target.closest('a[data-nav]');
    if (!a) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', render);
  // "Hydration": the first client render replaces the server-rendered markup too.
  render();
})();

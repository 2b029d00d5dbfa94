// Which page of a service replica a path is: shared by server.mjs (what answers 200, what 404) and the
// React app (what it renders, also after a client-side move). The rules' paths arrive as `paths`
// ({setting: [..], objection: [..]}: slashless, from src/rules/<id>.json through server.mjs); only the
// replica's own pages (feeds, X's menu pages, the login page) are named here.

/** X's settings menu on the way to the Grok page (the replica's paths; the menu names are in SOURCES.md). */
export const X_MENU = {
  settings: '/settings',
  privacy: '/settings/privacy_and_safety',
  'data-sharing': '/settings/data_sharing_and_personalization',
};

/**
 * The signed-in account every service page shows (`[data-replica-account]`): page content the extension must
 * never store or send (a scenario can look for these strings in storage).
 */
export const ACCOUNT = { name: 'Replica Member', email: 'replica.member@example.org' };

const slashless = (p) => (p.length > 1 ? p.replace(/\/$/, '') : p);

/**
 * → 'feed' | 'home' | 'setting' | 'objection' | 'login' | 'gemini' | one of X_MENU's keys | null (404).
 * `onLinkHost`: the host is the one of the setting's link (Google: My Activity; another host of the
 * service's domains, e.g. gemini.google.com, is the service's app).
 */
export function routeOf(service, pathname, paths, onLinkHost = true) {
  const p = slashless(pathname);
  if (paths.setting.includes(p)) return 'setting';
  if (paths.objection.includes(p)) return 'objection';
  if (service === 'linkedin') return p === '/' || p === '/feed' ? 'feed' : p === '/login' ? 'login' : null;
  if (service === 'x') {
    if (p === '/' || p === '/home') return 'home';
    return Object.keys(X_MENU).find((k) => X_MENU[k] === p) ?? null;
  }
  if (!onLinkHost) return p === '/' || p === '/app' ? 'gemini' : null;
  return p === '/' ? 'home' : null;
}

// Local HTTPS replicas of the Meta pages the extension acts on, for the end-to-end tests.
//
// Pages with Meta-like *structure* and, where public reporting gives it, Meta's wording (SOURCES.md);
// no other real Meta content. Chosen by Host header, path and `?replica=VARIANT` (README.md beside this
// file lists every page, variant and hook). The browsers reach it under the real host names through host
// mapping (Chromium --host-resolver-rules, Firefox network.dns.forceResolve), so one server answers for
// every host. Facebook/Instagram hosts and form ids come from the rules file (src/rules/meta.json); hosts
// of Meta's other sites (Threads, help.meta.com) come from there too.
//
// Every HTML response carries a STRICT CSP (no 'unsafe-eval', no 'unsafe-inline', no
// 'wasm-unsafe-eval'): the extension must work on a page that forbids WebAssembly in content scripts.
//
// Usage: `const r = await startReplica({port: 0})` → {port, requests, clearRequests(), close()}.
// Standalone: `node tests/replica/server.mjs 8443`.
// Dependencies: node:https, the system `openssl` for a throw-away self-signed certificate, and the npm
// dev dependencies react, react-dom and esbuild for the pages rendered by real React (app/).

import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CONFIRMATION_IDS, confirmationForLanguages } from './app/wording.mjs';
import { routeOf, ACCOUNT } from './app/services/routes.mjs';

/** The account the service pages show: page content that must never be stored (app/services/routes.mjs). */
export { ACCOUNT };

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PAGES = path.join(HERE, 'pages');
const RULES_FILE = path.join(HERE, '..', '..', 'src', 'rules', 'meta.json');

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

// ── Facts read from the rules file (one home: src/rules/meta.json), not repeated here ──
const RULES = JSON.parse(fs.readFileSync(RULES_FILE, 'utf8'));
const PLATFORM = Object.fromEntries(RULES.platforms.map((p) => [p.id, p]));
// A rules host prefix ('' = the bare domain, '{locale}' = a localised host, e.g. de-de.facebook.com).
const hostName = (prefix, domain) => (prefix === '{locale}' ? `de-de.${domain}` : prefix ? `${prefix}.${domain}` : domain);
const unique = (xs) => [...new Set(xs)];
const slashless = (p) => (p.length > 1 ? p.replace(/\/$/, '') : p);

// Host names the replica answers for (and the certificate covers).
export const FACEBOOK_HOSTS = unique(PLATFORM.facebook.feed_hosts.map((h) => hostName(h, PLATFORM.facebook.domain)));
export const INSTAGRAM_HOSTS = unique(PLATFORM.instagram.feed_hosts.map((h) => hostName(h, PLATFORM.instagram.domain)));

// The objection form pages of the rules: {platform, hosts, path, id, current}.
export const FORM_PAGES = RULES.platforms.flatMap((p) => p.form_pages.map((f) => ({
  platform: p.id, hosts: unique(f.hosts.map((h) => hostName(h, p.domain))), path: f.path,
  id: f.path.split('/').filter(Boolean).pop(), current: !!f.current,
})));
const formUrl = (f) => `https://${f.hosts.includes(`www.${PLATFORM[f.platform].domain}`) ? `www.${PLATFORM[f.platform].domain}` : f.hosts[0]}${f.path}`;
const oldForm = (platform) => FORM_PAGES.find((f) => f.platform === platform && !f.current);
export const FORMS = {
  facebook: PLATFORM.facebook.form,
  facebookOld: formUrl(oldForm('facebook')),
  instagram: PLATFORM.instagram.form,
  instagramOld: formUrl(oldForm('instagram')),
};

// ── Meta's other sites, also from the rules ──
// help.meta.com: Meta's 2026 Privacy Center flow; Threads (covered by the Instagram objection), whose
// threads.net answers with a redirect to www.threads.com, as Meta moved Threads in April 2025.
const META_HELP_HOST = RULES.privacy_center.host;
const THREADS = RULES.covered_sites.find((c) => c.id === 'threads');
const [THREADS_DOMAIN, THREADS_OLD_DOMAIN] = THREADS.domains;
const THREADS_HOSTS = unique(THREADS.feed_hosts.map((h) => hostName(h, THREADS_DOMAIN)));
const THREADS_OLD_HOSTS = unique(THREADS.feed_hosts.map((h) => hostName(h, THREADS_OLD_DOMAIN)));
/** Where the 2026 flow starts; the `redirect` variant and `redirectOldForms` send form links here. */
export const PRIVACY_FLOW = `https://${META_HELP_HOST}${RULES.privacy_center.path}/`;
/** Where threads.net sends every request (same path and query). */
export const THREADS_HOME = `https://${THREADS_HOSTS.find((h) => h.startsWith('www.'))}`;
// The Privacy Center's pages about generative AI (the rules' guide_pages), and the centre itself.
const PRIVACY_PAGES = [...RULES.guide_pages.map((g) => `https://${g.hosts.includes('www') ? 'www' : g.hosts[0]}.${
  PLATFORM[g.platform].domain}${g.path}`), 'https://www.facebook.com/privacy/center'];
/** The hosts of the rules that are not Facebook's or Instagram's feed hosts. */
export const META_OTHER_HOSTS = unique([META_HELP_HOST, ...THREADS_HOSTS, ...THREADS_OLD_HOSTS,
  ...PRIVACY_PAGES.map((u) => new URL(u).hostname)]);

const HELP_HOSTS = unique(FORM_PAGES.flatMap((f) => f.hosts))
  .filter((h) => !FACEBOOK_HOSTS.includes(h) && !INSTAGRAM_HOSTS.includes(h));
const PRIVACY_PAGE_HOSTS = unique(PRIVACY_PAGES.map((u) => new URL(u).hostname))
  .filter((h) => !FACEBOOK_HOSTS.includes(h) && !INSTAGRAM_HOSTS.includes(h));
const EXAMPLE_HOSTS = ['example.org', 'www.example.org', 'facebook.com.example.org', 'instagram.com.example.org'];

// ── The data-driven services of issue 15 (LinkedIn, X, Google): src/rules/<id>.json ──
// Hosts, page paths, the control's labels, how it is found and its default come from each service's rules
// file (design15.md); nothing of them is written here or in app/services/.
export const SERVICE_IDS = ['linkedin', 'x', 'google'];
const serviceRulesFile = (id) => path.join(HERE, '..', '..', 'src', 'rules', `${id}.json`);
/** Full host names of a rules page: each host prefix ('' = the bare domain) on each of the service's domains. */
const pageHosts = (page, domains) => unique(domains.flatMap((d) => page.hosts.map((h) => hostName(h, d))));
function describeService(id) {
  const file = serviceRulesFile(id);
  const rules = JSON.parse(fs.readFileSync(file, 'utf8'));
  const domains = rules.hosts.domains;
  const itemPages = (item) => (item?.pages ?? []).map((pg) => ({ hosts: pageHosts(pg, domains), path: slashless(pg.path) }));
  const setting = rules.items.find((i) => i.kind === 'setting');
  const objection = rules.items.find((i) => i.kind === 'objection_request') ?? null;
  const control = setting.control;
  return {
    id, name: rules.name, file: path.relative(path.join(HERE, '..', '..'), file), domains,
    /**
     * Where this service's replica answers: every host of every item page and link, and each domain (a
     * two-label one, e.g. linkedin.com, with its www. host too; a full host name such as gemini.google.com
     * as it is).
     */
    hosts: unique([...rules.items.flatMap((i) => [...itemPages(i).flatMap((pg) => pg.hosts), new URL(i.link).hostname]),
      ...domains.flatMap((d) => (d.split('.').length === 2 ? [`www.${d}`, d] : [d]))]),
    setting: { item: setting.id, name: setting.name.en, link: setting.link, pages: itemPages(setting),
      path: itemPages(setting)[0].path, find: control.find, roles: control.roles,
      labels: control.labels.map((l) => ({ lang: l.lang, text: l.text, shown: l.shown })), default: control.default.state },
    objection: objection && { item: objection.id, name: objection.name.en, link: objection.link,
      pages: itemPages(objection), path: itemPages(objection)[0]?.path ?? slashless(new URL(objection.link).pathname) },
  };
}
/** Per service id: {id, name, file, domains, hosts, setting: {item, name, link, pages, path, find, roles, labels, default}, objection}. */
export const SERVICES = Object.fromEntries(SERVICE_IDS.map((id) => [id, describeService(id)]));
/** The domains of the services' rules (`hosts.domains`): what the browsers map to the replica. */
export const SERVICE_DOMAINS = unique(Object.values(SERVICES).flatMap((s) => s.domains));
export const SERVICE_HOSTS = unique(Object.values(SERVICES).flatMap((s) => s.hosts));
const serviceOfHost = (host) => Object.values(SERVICES).find((s) => s.hosts.includes(host)) ?? null;
/** How long a setting page shows its skeleton before the setting "arrives", and its re-render period. */
export const LOAD_MS = 300;
export const TICK_MS = 500;

/** The test hook that keeps each service's setting: `GET|POST /_replica/state` with `x-replica-hook: state`. */
export const STATE_PATH = '/_replica/state';
/**
 * Whether a logged request is the state hook: a replica page saving a click, or a test. Takes a server log
 * entry ({method, path, hook}) or a browser-side record ({method, url, hook}).
 */
export function isStateHookRequest(r) {
  let p = r.path;
  if (p == null && r.url) { try { p = new URL(r.url).pathname; } catch { return false; } }
  return p === STATE_PATH && r.hook === 'state' && (r.method === 'POST' || r.method === 'GET');
}

export const OTHER_HOSTS = unique([...HELP_HOSTS, ...PRIVACY_PAGE_HOSTS, ...META_OTHER_HOSTS, ...SERVICE_HOSTS,
  ...EXAMPLE_HOSTS]);
/** Every host the replica answers for. */
export const ALL_HOSTS = unique([...FACEBOOK_HOSTS, ...INSTAGRAM_HOSTS, ...OTHER_HOSTS]);

// Paths a page load legitimately fetches besides the document itself.
export const ASSET_PREFIX = '/_replica/';
export function isPageAsset(pathname) {
  return pathname.startsWith(ASSET_PREFIX) || pathname === '/favicon.ico';
}

/**
 * The entries of a request log that are NOT a browser loading a replica page the way a page load does:
 * a top-level document on a replica host, or a script/stylesheet/image the replica pages reference.
 * Anything else (fetch/xhr/beacon: Sec-Fetch-Dest "empty"; an iframe; an unknown host; plain http) is
 * somebody else's request, e.g. the extension's.
 */
export function unexplainedRequests(entries) {
  const known = new Set(ALL_HOSTS);
  return entries.filter((r) => {
    // An aborted TLS handshake (a browser closing while connecting) carries no request: not counted.
    if (r.tlsError) return false;
    if (r.scheme !== 'https') return true;
    if (isStateHookRequest(r)) return !known.has(r.host);
    if (!known.has(r.host)) return true;
    if (r.method !== 'GET') return true;
    if (isPageAsset(r.path)) return !['script', 'style', 'image'].includes(r.secFetchDest);
    return r.secFetchDest !== 'document';
  });
}

/** A throw-away self-signed certificate for every host name the replicas answer for. */
export function makeCert() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replica-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  // Wildcards for the localised hosts (fr-fr.facebook.com, ...) the lists only give one example of.
  const names = unique(['*.facebook.com', '*.instagram.com', '*.example.org',
    ...SERVICE_DOMAINS.flatMap((d) => [d, `*.${d}`]), ...ALL_HOSTS]);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=replica',
    '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

const read = (name) => fs.readFileSync(path.join(PAGES, name), 'utf8');

// ── The React bundle (/_replica/react-app.js) ──
// React 19 ships no browser build (no UMD), so the replica bundles tests/replica/app/main.jsx with esbuild
// (npm) once per process, in memory: one local file under script-src 'self', no network, no build step
// to forget. Production React (NODE_ENV), so no development warnings in the console the tests watch.
let bundle = null;
export function reactBundle() {
  bundle ??= import('esbuild').then((esbuild) => esbuild.build({
    entryPoints: [path.join(HERE, 'app', 'main.jsx')], bundle: true, write: false, format: 'iife',
    jsx: 'automatic', minify: true, legalComments: 'eof', target: ['chrome120', 'firefox115'],
    // The rules' signal fragments, for the answer modes' quoting pages (app/modes.jsx): read, not copied.
    define: { 'process.env.NODE_ENV': '"production"', __REPLICA_SIGNALS__: JSON.stringify(Object.fromEntries(
      ['received', 'unavailable', 'login'].map((k) => [k, RULES.signals[k].map(({ text, lang }) => ({ text, lang }))]))) },
    logLevel: 'silent',
  })).then((r) => r.outputFiles[0].contents);
  return bundle;
}

// Variants chosen with the query `?replica=NAME` (the extension classifies pages by host and path only,
// so a variant is the same page as far as it knows). README.md beside this file lists them all.
export const VARIANTS = ['unavailable', 'login', 'redirect', 'received-post', 'synthetic-clicks', 'cookies',
  'late-body'];
/** How long the `late-body` variant holds back `<body>` after sending `<head>`. */
export const LATE_BODY_MS = 800;

// The feed's extra <head> content per variant.
const RECEIVED_POST = 'Screenshot of my objection, copied: \u201cYour objection will apply from now on. ' +
  'We have received your request.\u201d Do it too!';
const FEED_HEAD = {
  // app.js "hydrates" (re-renders the body), so the text reaches it through a <meta> it reads.
  'received-post': `<meta name="replica-post" content="${RECEIVED_POST}">`,
  'synthetic-clicks': '<script src="/_replica/synthetic-clicks.js" defer></script>',
};

const formPageAt = (host, pathname) =>
  FORM_PAGES.find((f) => f.hosts.includes(host) && slashless(pathname) === f.path);

// The client-side routes of the app pages: served on full loads too, like a real SPA.
const APP_PATHS = {
  facebook: ['/', '/some.user', '/friends', '/watch', '/marketplace', '/groups/feed', '/notifications', '/settings'],
  instagram: ['/', '/some.user', '/explore', '/reels', '/direct/inbox', '/accounts/edit'],
  threads: ['/', '/@some.user', '/search', '/activity', '/settings'],
};

/**
 * Which response a request gets. Returns null for a 404, else one of
 * {redirect: url, status} | {file, vars, head, app: bool, confirm: default wording id}.
 */
function route(host, pathname, variant, opts) {
  const p = slashless(pathname);
  const service = serviceOfHost(host);
  if (service) {
    const page = routeOf(service.id, pathname, servicePaths(service), onLinkHost(service, host));
    return page ? { file: 'service-app.html', service, page } : null;
  }
  const form = formPageAt(host, pathname);
  if (form) {
    if (variant === 'redirect' || (!form.current && opts.redirectOldForms)) return { redirect: PRIVACY_FLOW, status: 302 };
    if (variant === 'unavailable') return { file: 'unavailable.html', vars: { SITE: form.platform } };
    if (variant === 'login') return { file: 'login.html', vars: { SITE: form.platform } };
    return { file: `${form.platform}-form.html`, vars: { FORM_ID: form.id }, confirm: 'legacy' };
  }
  // Meta's form for information about you from OTHER people: a help page, not the objection form. It
  // shows the "received" wording right away (as if sent): the extension must not take it for its form.
  const thirdParty = new URL(RULES.third_party_form.url);
  if ((FACEBOOK_HOSTS.includes(host)) && p === thirdParty.pathname) return { file: 'received.html' };
  // The Privacy Center's generative-AI pages (and the centre itself), with a link into the 2026 flow.
  for (const u of PRIVACY_PAGES.map((x) => new URL(x))) {
    const sameSite = u.hostname === host || (FACEBOOK_HOSTS.includes(u.hostname) && FACEBOOK_HOSTS.includes(host));
    if (sameSite && p === slashless(u.pathname)) {
      const ig = host.endsWith(PLATFORM.instagram.domain);
      return { file: 'privacy-genai.html', vars: { SITE: ig ? 'instagram' : 'facebook', SITE_NAME: ig ? 'Instagram' : 'Facebook' } };
    }
  }
  if (host === META_HELP_HOST) {
    if (p !== '/support/privacy' && !p.startsWith('/support/privacy/')) return null;
    if (variant === 'login') return { file: 'login.html', vars: { SITE: 'meta' } };
    return { file: 'privacy-flow.html', confirm: 'en-2024' };
  }
  if (THREADS_OLD_HOSTS.includes(host)) return { redirect: null, status: 301, threads: true };
  const site = FACEBOOK_HOSTS.includes(host) ? 'facebook' : INSTAGRAM_HOSTS.includes(host) ? 'instagram'
    : THREADS_HOSTS.includes(host) ? 'threads' : null;
  if (site) {
    if (!APP_PATHS[site].includes(p)) return null;
    if (site === 'threads' && variant === 'login') return { file: 'threads-login.html' };
    const head = [];
    if (site === 'facebook') {
      head.push(FEED_HEAD[variant] ?? '');
      // The current form first: the app's form link (app.js) takes the first path.
      const paths = FORM_PAGES.filter((f) => f.platform === 'facebook').sort((a, b) => b.current - a.current).map((f) => f.path);
      head.push(`<meta name="replica-form-paths" content="${paths.join(' ')}">`);
    }
    if (site === 'instagram' && variant === 'cookies') head.push('<meta name="replica-variant" content="cookies">');
    return { file: `${site}-app.html`, head: head.join('\n'), app: true, confirm: 'legacy' };
  }
  if (host === 'example.org' || host === 'www.example.org') return p === '/' ? { file: 'example.html' } : null;
  if (host === 'facebook.com.example.org' || host === 'instagram.com.example.org') {
    // A look-alike: Meta-like page on a host that is not Meta's.
    if (p === '/' || FORM_PAGES.some((f) => f.path === p))
      return { file: 'lookalike.html' };
    return null;
  }
  return null;
}

// ── The service replicas' page data (app/services/) ──
// Whether a host is the one the setting's link names (Google: myactivity.google.com, not gemini.google.com).
const onLinkHost = (service, host) => new URL(service.setting.link).hostname === host;
const servicePaths = (service) => ({ setting: unique(service.setting.pages.map((pg) => pg.path)),
  objection: unique(service.objection?.pages.map((pg) => pg.path) ?? []) });
// The rules keep labels normalised (lower case) for matching, and `shown`, the wording as the service
// writes it (as its sources print it): the page shows that. displayCase is for a label without it.
const PROPER = { ai: 'AI', xai: 'xAI', grok: 'Grok', linkedin: 'LinkedIn', gemini: 'Gemini', google: 'Google' };
const displayCase = (text) => {
  const t = text.replace(/[a-z]+/g, (w) => PROPER[w] ?? w);
  return t.charAt(0).toUpperCase() + t.slice(1);
};
// `typeset`: a curly apostrophe and a no-break space before the last word, as product pages set text.
const typeset = (text) => text.replace(/'/g, '\u2019').replace(/ (?=\S+$)/, '\u00a0');
export const UNKNOWN_LABEL = 'Replica wording not in the rules';
/** The replica's words around the rules' label in the `wrapped` variant. */
export const WRAP = ['Replica words before the label:', '(and replica words after it)'];

/** What a service page's React app is told (script#replica-config): state, label, paths, timing. */
function serviceConfig(service, url, state, acceptLanguage) {
  const variants = url.searchParams.getAll('replica');
  let asked = url.searchParams.get('lang') ?? '';
  // `auto`: the browser's first language, as the services choose theirs for a new visitor.
  if (asked === 'auto') asked = String(acceptLanguage || '').split(',')[0].trim().slice(0, 2).toLowerCase();
  const lang = /^[a-z]{2}$/.test(asked) ? asked : 'en';
  const labels = service.setting.labels.filter((l) => l.lang === lang);
  const pick = labels[Number(url.searchParams.get('label') ?? 0)] ?? labels[0];
  let label = pick && !variants.includes('relabelled')
    ? { text: pick.shown ?? displayCase(pick.text), source: 'rules' } : { text: `[${lang}] ${UNKNOWN_LABEL}`, source: 'unknown' };
  // `wrapped`: the rules' words inside a longer label, as X's real label is longer than the fragment its
  // rules hold: a control must be found by a label that CONTAINS the rules' text.
  if (variants.includes('wrapped')) label = { ...label, text: `${WRAP[0]} ${label.text.charAt(0).toLowerCase()}${label.text.slice(1)} ${WRAP[1]}` };
  if (variants.includes('typeset')) label = { ...label, text: typeset(label.text) };
  const find = variants.includes('switch') ? 'label' : variants.includes('menu') ? 'ask' : service.setting.find;
  return { service: service.id, name: service.name, lang, variants, state, loadMs: LOAD_MS, tickMs: TICK_MS,
    statePath: STATE_PATH, paths: servicePaths(service), onLinkHost: onLinkHost(service, url.hostname),
    setting: { name: service.setting.name, link: service.setting.link, find, label },
    objection: service.objection && { name: service.objection.name, link: service.objection.link } };
}
// A JSON data block in HTML: `<` escaped so that no text can close the <script> element.
const jsonBlock = (id, value) => `<script type="application/json" id="${id}">${
  JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;

/** Each service's setting (on|off), for one server's life; starts at the rules' default. */
function makeSettings() {
  const defaults = () => Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, s.setting.default]));
  let state = defaults();
  const check = (id, value) => {
    if (!SERVICES[id]) throw new Error(`no service ${JSON.stringify(id)} (have ${SERVICE_IDS.join(', ')})`);
    if (value !== undefined && value !== 'on' && value !== 'off') throw new Error(`state must be on|off, not ${JSON.stringify(value)}`);
  };
  return {
    get(id) { check(id); return state[id]; },
    set(id, value) { check(id, value); state[id] = value; },
    reset() { state = defaults(); },
    all() { return { ...state }; },
  };
}

/**
 * The state hook from a test, over HTTPS to a server on 127.0.0.1:`port` (the replica, or the e2e suite's
 * front server, which forwards it): `replicaState(port)` → `{linkedin: 'on', …}`;
 * `replicaState(port, {service, state})` or `replicaState(port, {reset: true})` → the new map.
 */
export function replicaState(port, body, { host = SERVICE_HOSTS[0] } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: STATE_PATH, method: body ? 'POST' : 'GET', servername: host,
      headers: { host, 'x-replica-hook': 'state', ...(body ? { 'content-type': 'application/json' } : {}) },
      rejectUnauthorized: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(data))
        : reject(new Error(`replicaState: ${res.statusCode} ${data}`))));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** `GET|POST /_replica/state` (README "The setting's state"). */
function stateHook(req, res, settings) {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify(body));
  };
  if (req.headers['x-replica-hook'] !== 'state') return reply(403, { error: 'header x-replica-hook: state is required' });
  if (req.method === 'GET') return reply(200, settings.all());
  if (req.method !== 'POST') return reply(405, { error: 'GET or POST' });
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { body += c; if (body.length > 10_000) req.destroy(); });
  req.on('end', () => {
    try {
      const m = JSON.parse(body);
      if (m.reset === true) settings.reset();
      else settings.set(m.service, m.state);
      reply(200, settings.all());
    } catch (e) {
      reply(400, { error: String(e.message ?? e) });
    }
  });
  return undefined;
}

/** The confirmation wording id of a response: `?confirm=ID|auto`, else the server's or the page's default. */
function confirmation(req, url, pageDefault, opts) {
  const asked = url.searchParams.get('confirm') || opts.confirmation || pageDefault || 'legacy';
  if (asked === 'auto') return confirmationForLanguages(req.headers['accept-language']);
  return CONFIRMATION_IDS.includes(asked) ? asked : pageDefault || 'legacy';
}

// The language of the pre-send text (app/PresendIntro.jsx, presend.json): `?lang=ID`, `?lang=auto` (the
// first Accept-Language tag), else German on Facebook's and Instagram's pages, like their forms, and English
// in the Privacy Center flow. A language presend.json does not carry falls back to that default.
export const PRESEND = JSON.parse(fs.readFileSync(path.join(HERE, 'presend.json'), 'utf8'));
export const PRESEND_LANGUAGES = unique(PRESEND.texts.map((t) => t.lang));
function presendLanguage(req, url, file) {
  const fallback = file === 'privacy-flow.html' ? 'en' : 'de';
  let asked = url.searchParams.get('lang') || fallback;
  if (asked === 'auto') asked = String(req.headers['accept-language'] || '').split(',')[0].trim().slice(0, 2).toLowerCase();
  return PRESEND_LANGUAGES.includes(asked) ? asked : fallback;
}

const ASSET_TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml' };

/**
 * Options: port, host, log; `confirmation` (a wording id of app/wording.mjs, or 'auto' for Accept-Language)
 * replaces every page's default confirmation wording; `redirectOldForms: true` makes the rules' old
 * (non-current) form ids answer 302 to PRIVACY_FLOW without `?replica=redirect`.
 */
export async function startReplica({ port = 0, host = '127.0.0.1', log = false, confirmation: confirmDefault = null,
  redirectOldForms = false } = {}) {
  const opts = { confirmation: confirmDefault, redirectOldForms };
  const { key, cert } = makeCert();
  const reactApp = await reactBundle();
  const requests = [];
  const settings = makeSettings();
  const handler = (scheme) => (req, res) => {
    const { entry, hostHeader, url } = logEntry(req, scheme);
    requests.push(entry);
    if (log) console.log(`${req.method} https://${hostHeader}${url.pathname}${url.search}`);

    const headers = (type, extra = {}) => ({ 'content-type': type, 'cache-control': 'no-store',
      'x-content-type-options': 'nosniff', ...extra });
    const send = (status, type, body, extra = {}) => {
      res.writeHead(status, headers(type, extra));
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const HTML = 'text/html; charset=utf-8';
    const html = (status, body) => send(status, HTML, body, { 'content-security-policy': CSP });

    if (scheme !== 'https') return html(404, read('404.html'));
    if (url.pathname === STATE_PATH) return stateHook(req, res, settings);
    if (req.method !== 'GET' && req.method !== 'HEAD') return html(405, read('404.html'));

    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (url.pathname === `${ASSET_PREFIX}react-app.js`) return send(200, ASSET_TYPES['.js'], reactApp);
    if (url.pathname.startsWith(ASSET_PREFIX)) {
      const name = url.pathname.slice(ASSET_PREFIX.length);
      const type = ASSET_TYPES[path.extname(name)];
      const file = path.join(PAGES, 'assets', name);
      if (type && /^[a-z0-9-]+\.[a-z]+$/.test(name) && fs.existsSync(file))
        return send(200, type, fs.readFileSync(file));
      return html(404, read('404.html'));
    }
    // `late-body` combines with one other variant (`?replica=cookies&replica=late-body`): a slow page can
    // carry a dialog too.
    const variants = url.searchParams.getAll('replica');
    const variant = variants.find((v) => v !== 'late-body') || variants[0] || '';
    const r = route(hostHeader, url.pathname, variant, opts);
    if (!r) return html(404, read('404.html'));
    if (r.status) {
      const location = r.threads ? `${THREADS_HOME}${url.pathname}${url.search}` : r.redirect;
      return send(r.status, HTML, `<!DOCTYPE html><title>Moved</title><a href="${location}">Moved</a>`,
        { 'content-security-policy': CSP, location });
    }
    if (r.service) {
      // `?setting=on|off`: the service changed the setting since the last visit.
      const asked = url.searchParams.get('setting');
      if (asked === 'on' || asked === 'off') settings.set(r.service.id, asked);
      const config = serviceConfig(r.service, url, settings.get(r.service.id), req.headers['accept-language']);
      r.vars = { SERVICE: r.service.id, LANG: config.lang, TITLE: r.service.name };
      r.head = jsonBlock('replica-config', config);
    }
    let body = read(r.file);
    for (const [k, v] of Object.entries({ HOST: hostHeader, ...r.vars })) body = body.replaceAll(`{{${k}}}`, v);
    const lateBody = r.app && variants.includes('late-body');
    const head = [`<meta name="replica-confirm" content="${confirmation(req, url, r.confirm, opts)}">`,
      `<meta name="replica-lang" content="${presendLanguage(req, url, r.file)}">`, r.head ?? '',
      lateBody ? '<script src="/_replica/late-body-probe.js"></script>' : ''].filter(Boolean).join('\n');
    body = body.replace('</head>', `${head}\n</head>`);
    if (!lateBody) return html(200, body);
    // A slow, large page: <head> now, <body> LATE_BODY_MS later, so that a document_start content script
    // runs while there is no <body> yet.
    const at = body.indexOf('<body');
    res.writeHead(200, headers(HTML, { 'content-security-policy': CSP }));
    if (req.method === 'HEAD') return res.end();
    res.write(body.slice(0, at));
    const timer = setTimeout(() => res.end(body.slice(at)), LATE_BODY_MS);
    res.on('close', () => clearTimeout(timer));
    return undefined;
  };
  const tlsErrors = (err) => {
    requests.push({ time: Date.now(), tlsError: String(err?.code || err?.message || err), host: null, path: null });
  };
  const listening = await listenBoth({ key, cert, handler, port, host, onTlsError: tlsErrors });
  return {
    ...listening,
    requests,
    clearRequests() { requests.length = 0; },
    /** Each service's setting state (README "The setting's state"): get(id), set(id, 'on'|'off'), reset(), all(). */
    settings,
  };
}

/** The request-log entry of one request (the shape `unexplainedRequests` reads), with its host and URL. */
export function logEntry(req, scheme) {
  const hostHeader = String(req.headers.host || '').toLowerCase().replace(/:\d+$/, '');
  const url = new URL(req.url, `https://${hostHeader || 'unknown'}`);
  const entry = { time: Date.now(), scheme, method: req.method, host: hostHeader, path: url.pathname,
    search: url.search, origin: req.headers.origin || null, referer: req.headers.referer || null,
    secFetchDest: req.headers['sec-fetch-dest'] || null, secFetchMode: req.headers['sec-fetch-mode'] || null,
    secFetchSite: req.headers['sec-fetch-site'] || null, hook: req.headers['x-replica-hook'] || null };
  return { entry, hostHeader, url };
}

/**
 * One port for both: TLS connections go to an https server, anything else (a plain-http request mapped
 * onto this port) to an http server, so that it is logged with its host too. `handler(scheme)` makes the
 * request handler of each. Returns {port, close()}.
 */
export async function listenBoth({ key, cert, handler, port, host, onTlsError = () => {} }) {
  const tlsServer = https.createServer({ key, cert }, handler('https'));
  const plainServer = http.createServer(handler('http'));
  tlsServer.on('tlsClientError', onTlsError);
  const server = net.createServer((socket) => {
    socket.once('data', (buf) => {
      socket.pause();
      socket.unshift(buf);
      (buf[0] === 0x16 ? tlsServer : plainServer).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => {});
  });

  return listen(server, port, host);
}

/** `server.listen(port, host)` → {port, close()}; close() also drops open keep-alive connections. */
export async function listen(server, port, host) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    port: server.address().port,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || 8443);
  const r = await startReplica({ port, log: true });
  console.log(`replica listening on https://127.0.0.1:${r.port} ` +
    `(map *.facebook.com, *.instagram.com, *.example.org to it)`);
}

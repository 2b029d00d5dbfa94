// Local HTTPS replicas of the Meta pages the extension acts on, for the end-to-end tests.
//
// Hand-written pages with Meta-like *structure* only (a top nav bar, a React-like `#mount` root,
// role/aria attributes); no real Meta content. Chosen by Host header and path. The browsers reach it
// under the real host names through host mapping (Chromium --host-resolver-rules, Firefox
// network.dns.forceResolve), so one server answers for every host.
//
// Every HTML response carries a STRICT CSP (no 'unsafe-eval', no 'unsafe-inline', no
// 'wasm-unsafe-eval'): the extension must work on a page that forbids WebAssembly in content scripts.
//
// Usage: `const r = await startReplica({port: 0})` → {port, requests, clearRequests(), close()}.
// Standalone: `node tests/replica/server.mjs 8443`.
// No npm dependencies: node:https plus the system `openssl` for a throw-away self-signed certificate.

import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

export const FORMS = {
  facebook: 'https://www.facebook.com/help/contact/712876720715583',
  facebookOld: 'https://www.facebook.com/help/contact/6359191084165019',
  instagram: 'https://help.instagram.com/contact/767264225370182',
};

// Host names the replica answers for (and the certificate covers).
export const FACEBOOK_HOSTS = ['www.facebook.com', 'de-de.facebook.com', 'm.facebook.com',
  'web.facebook.com', 'facebook.com'];
export const INSTAGRAM_HOSTS = ['www.instagram.com', 'instagram.com'];
export const OTHER_HOSTS = ['help.instagram.com', 'example.org', 'www.example.org',
  'facebook.com.example.org', 'instagram.com.example.org'];

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
  const known = new Set([...FACEBOOK_HOSTS, ...INSTAGRAM_HOSTS, ...OTHER_HOSTS]);
  return entries.filter((r) => {
    // An aborted TLS handshake (a browser closing while connecting) carries no request: not counted.
    if (r.tlsError) return false;
    if (r.scheme !== 'https') return true;
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
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=replica',
    '-addext', 'subjectAltName=DNS:*.facebook.com,DNS:facebook.com,DNS:*.instagram.com,' +
      'DNS:instagram.com,DNS:example.org,DNS:*.example.org',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

const read = (name) => fs.readFileSync(path.join(PAGES, name), 'utf8');

// Variants chosen with the query `?replica=NAME` (the extension classifies pages by host and path only,
// so a variant is the same page as far as it knows):
// - on a form path: `unavailable` (Meta's "this content isn't available" error page instead of the form),
//   `login` (a login wall instead of the form);
// - on a Facebook feed/profile path: `received-post` (a post quoting the form's "received" text),
//   `synthetic-clicks` (a page script that dispatches untrusted clicks on the extension's panel buttons).
export const VARIANTS = ['unavailable', 'login', 'received-post', 'synthetic-clicks'];

// The feed's server-rendered post, and extra <head> content, per variant.
const FEED_DEFAULT = { POST: 'A placeholder post in the replica feed (server-rendered).', HEAD: '' };
const RECEIVED_POST = 'Screenshot of my objection, copied: \u201cYour objection will apply from now on. ' +
  'We have received your request.\u201d Do it too!';
const FEED_VARIANTS = {
  // app.js "hydrates" (re-renders the body), so the text reaches it through a <meta> it reads.
  'received-post': { POST: RECEIVED_POST, HEAD: `<meta name="replica-post" content="${RECEIVED_POST}">` },
  'synthetic-clicks': { ...FEED_DEFAULT, HEAD: '<script src="/_replica/synthetic-clicks.js" defer></script>' },
};

function formVariant(variant, site, formId) {
  if (variant === 'unavailable') return { file: 'unavailable.html', vars: { SITE: site } };
  if (variant === 'login') return { file: 'login.html', vars: { SITE: site } };
  return { file: `${site}-form.html`, vars: { FORM_ID: formId } };
}

// Which page template and "app" a (host, path, variant) gets. Returns null for a 404.
function route(host, pathname, variant = '') {
  const fb = FACEBOOK_HOSTS.includes(host);
  const ig = INSTAGRAM_HOSTS.includes(host);
  if (fb) {
    if (pathname === '/help/contact/712876720715583' || pathname === '/help/contact/712876720715583/')
      return formVariant(variant, 'facebook', '712876720715583');
    // Meta's form for information about you from OTHER people: a help page, not the objection form. It
    // shows the "received" wording right away (as if sent): the extension must not take it for its form.
    if (pathname === '/help/contact/510058597920541' || pathname === '/help/contact/510058597920541/')
      return { file: 'received.html', vars: {} };
    if (pathname === '/help/contact/6359191084165019' || pathname === '/help/contact/6359191084165019/')
      return { file: 'facebook-form.html', vars: { FORM_ID: '6359191084165019' } };
    // The client-side routes of the feed app: served on full loads too, like a real SPA.
    if (['/', '/some.user', '/some.user/', '/friends', '/friends/', '/watch', '/watch/',
      '/marketplace', '/marketplace/', '/groups/feed', '/groups/feed/', '/notifications'].includes(pathname))
      return { file: 'facebook-app.html', vars: FEED_VARIANTS[variant] ?? FEED_DEFAULT };
    return null;
  }
  if (ig) {
    if (['/', '/some.user/', '/some.user', '/explore/', '/reels/', '/direct/inbox/'].includes(pathname))
      return { file: 'instagram-app.html', vars: {} };
    return null;
  }
  if (host === 'help.instagram.com') {
    if (pathname === '/contact/767264225370182' || pathname === '/contact/767264225370182/')
      return formVariant(variant, 'instagram', '767264225370182');
    return null;
  }
  if (host === 'example.org' || host === 'www.example.org') {
    if (pathname === '/') return { file: 'example.html', vars: {} };
    return null;
  }
  if (host === 'facebook.com.example.org' || host === 'instagram.com.example.org') {
    // A look-alike: Meta-like page on a host that is not Meta's.
    if (pathname === '/' || pathname === '/help/contact/712876720715583' ||
      pathname === '/contact/767264225370182')
      return { file: 'lookalike.html', vars: {} };
    return null;
  }
  return null;
}

const ASSET_TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml' };

export async function startReplica({ port = 0, host = '127.0.0.1', log = false } = {}) {
  const { key, cert } = makeCert();
  const requests = [];
  const handler = (scheme) => (req, res) => {
    const { entry, hostHeader, url } = logEntry(req, scheme);
    requests.push(entry);
    if (log) console.log(`${req.method} https://${hostHeader}${url.pathname}${url.search}`);

    const send = (status, type, body, extra = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store',
        'x-content-type-options': 'nosniff', ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const html = (status, body) => send(status, 'text/html; charset=utf-8', body,
      { 'content-security-policy': CSP });

    if (scheme !== 'https') return html(404, read('404.html'));
    if (req.method !== 'GET' && req.method !== 'HEAD') return html(405, read('404.html'));

    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (url.pathname.startsWith(ASSET_PREFIX)) {
      const name = url.pathname.slice(ASSET_PREFIX.length);
      const type = ASSET_TYPES[path.extname(name)];
      const file = path.join(PAGES, 'assets', name);
      if (type && /^[a-z0-9-]+\.[a-z]+$/.test(name) && fs.existsSync(file))
        return send(200, type, fs.readFileSync(file));
      return html(404, read('404.html'));
    }
    const r = route(hostHeader, url.pathname, url.searchParams.get('replica') || '');
    if (!r) return html(404, read('404.html'));
    let body = read(r.file);
    for (const [k, v] of Object.entries({ HOST: hostHeader, ...r.vars })) body = body.replaceAll(`{{${k}}}`, v);
    return html(200, body);
  };
  const tlsErrors = (err) => {
    requests.push({ time: Date.now(), tlsError: String(err?.code || err?.message || err), host: null, path: null });
  };
  const listening = await listenBoth({ key, cert, handler, port, host, onTlsError: tlsErrors });
  return {
    ...listening,
    requests,
    clearRequests() { requests.length = 0; },
  };
}

/** The request-log entry of one request (the shape `unexplainedRequests` reads), with its host and URL. */
export function logEntry(req, scheme) {
  const hostHeader = String(req.headers.host || '').toLowerCase().replace(/:\d+$/, '');
  const url = new URL(req.url, `https://${hostHeader || 'unknown'}`);
  const entry = { time: Date.now(), scheme, method: req.method, host: hostHeader, path: url.pathname,
    search: url.search, origin: req.headers.origin || null, referer: req.headers.referer || null,
    secFetchDest: req.headers['sec-fetch-dest'] || null, secFetchMode: req.headers['sec-fetch-mode'] || null,
    secFetchSite: req.headers['sec-fetch-site'] || null };
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

// The end-to-end tests' server (tests/e2e/suite.mjs starts it in front of the replica): it answers for Meta's host
// names like the replica (tests/replica/server.mjs) and forwards every request to it, except for the few
// pages the replica does not have:
//   https://www.facebook.com/?robust=hostile        a Facebook feed whose own page script attacks the banner
//   /_replica/wsp-hostile.js, /_replica/wsp-hostile.css   its script and stylesheet (under /_replica/ so the
//                                                   drivers count them as page assets, not extension traffic)
// Usage: const front = await startFront({replicaPort, port: 0}) → {port, requests, close()}.
// `requests` mirrors the replica's log format (the suite checks it for extension traffic after every test).

import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP, FACEBOOK_HOSTS, makeCert, logEntry, listenBoth } from '../../replica/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OWN = {
  '/_replica/wsp-hostile.js': ['hostile.js', 'text/javascript; charset=utf-8'],
  '/_replica/wsp-hostile.css': ['hostile.css', 'text/css; charset=utf-8'],
};
const FEED_PATHS = new Set(['/', '/friends', '/friends/', '/some.user', '/watch']);

export async function startFront({ replicaPort, port = 0, host = '127.0.0.1' } = {}) {
  if (!replicaPort) throw new Error('startFront: replicaPort is required');
  const { key, cert } = makeCert();
  const requests = [];
  const handler = (scheme) => (req, res) => {
    const { entry, hostHeader, url } = logEntry(req, scheme);
    requests.push(entry);
    const own = OWN[url.pathname];
    if (scheme === 'https' && own) {
      res.writeHead(200, { 'content-type': own[1], 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      return res.end(fs.readFileSync(path.join(HERE, own[0])));
    }
    if (scheme === 'https' && FACEBOOK_HOSTS.includes(hostHeader) && FEED_PATHS.has(url.pathname) &&
      url.searchParams.get('robust') === 'hostile') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store',
        'content-security-policy': CSP, 'x-content-type-options': 'nosniff' });
      return res.end(fs.readFileSync(path.join(HERE, 'hostile-feed.html')));
    }
    // Everything else: the replica, over TLS with the same Host / SNI.
    const up = https.request({ host: '127.0.0.1', port: replicaPort, method: req.method, path: req.url,
      headers: req.headers, servername: hostHeader || undefined, rejectUnauthorized: false }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    req.pipe(up);
  };
  return { ...(await listenBoth({ key, cert, handler, port, host })), requests };
}

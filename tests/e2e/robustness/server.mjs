// A tiny front server for the robustness tests (tests/e2e/robustness.test.mjs): it answers for Meta's host
// names like the replica (tests/replica/server.mjs) and forwards every request to it, except for the few
// pages the replica does not have:
//   https://www.facebook.com/?robust=hostile        a Facebook feed whose own page script attacks the banner
//   /_replica/wsp-hostile.js, /_replica/wsp-hostile.css   its script and stylesheet (under /_replica/ so the
//                                                   drivers count them as page assets, not extension traffic)
// Usage: const front = await startFront({replicaPort, port: 0}) → {port, requests, close()}.
// `requests` mirrors the replica's log format (the Firefox driver reads it).

import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CSP, FACEBOOK_HOSTS } from '../../replica/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OWN = {
  '/_replica/wsp-hostile.js': ['hostile.js', 'text/javascript; charset=utf-8'],
  '/_replica/wsp-hostile.css': ['hostile.css', 'text/css; charset=utf-8'],
};
const FEED_PATHS = new Set(['/', '/friends', '/friends/', '/some.user', '/watch']);

function makeCert() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'robust-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=robust',
    '-addext', 'subjectAltName=DNS:*.facebook.com,DNS:facebook.com,DNS:*.instagram.com,DNS:instagram.com,' +
      'DNS:example.org,DNS:*.example.org',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

export async function startFront({ replicaPort, port = 0, host = '127.0.0.1' } = {}) {
  if (!replicaPort) throw new Error('startFront: replicaPort is required');
  const { key, cert } = makeCert();
  const requests = [];
  const handler = (scheme) => (req, res) => {
    const hostHeader = String(req.headers.host || '').toLowerCase().replace(/:\d+$/, '');
    const url = new URL(req.url, `https://${hostHeader || 'unknown'}`);
    requests.push({ time: Date.now(), scheme, method: req.method, host: hostHeader, path: url.pathname,
      search: url.search, origin: req.headers.origin || null, referer: req.headers.referer || null,
      secFetchDest: req.headers['sec-fetch-dest'] || null, secFetchMode: req.headers['sec-fetch-mode'] || null,
      secFetchSite: req.headers['sec-fetch-site'] || null });
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
  const tlsServer = https.createServer({ key, cert }, handler('https'));
  const plainServer = http.createServer(handler('http'));
  tlsServer.on('tlsClientError', () => {});
  const server = net.createServer((socket) => {
    socket.once('data', (buf) => {
      socket.pause();
      socket.unshift(buf);
      (buf[0] === 0x16 ? tlsServer : plainServer).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, host, resolve); });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    port: server.address().port,
    requests,
    clearRequests() { requests.length = 0; },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

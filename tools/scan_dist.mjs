#!/usr/bin/env node
// Static scan of the built extension: what ships must not evaluate strings as code, write HTML from
// strings, load remote code, or talk to the network, and the manifests must ask for nothing more than
// SECURITY.md and doc/permissions.md say. Node 20, no dependencies.
//
//   node tools/scan_dist.mjs [dist/chromium dist/firefox]
//
// Prints what it checked; exits 1 naming file and line for every finding.
//
// JavaScript is scanned after a small lexer has blanked comments (so "no eval(" in a comment is fine) and,
// for the code checks, the text of string literals (so a message mentioning "innerHTML" is fine); the
// network checks read the strings too. The one fetch that ships is wasm-bindgen's loader in
// core/widerspruch.js, `fetch(module_or_path)`: it is allowed only there, and only because every call of
// the loader passes `{ module_or_path: ext.url('<relative path>') }`, the extension's own file (checked
// below). URLs inside the WebAssembly are data (the objection form links); the WASM cannot fetch on its
// own, so its imports are read and must all come from the wasm-bindgen glue, none of them a network API.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, extname } from 'node:path';

const EXPECTED_PERMISSIONS = ['storage', 'scripting'];
const EXPECTED_CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";
// Meta's sites, from the rules (src/rules/meta.json): the platforms' and covered sites' domains (any
// subdomain) and the Privacy Center's host (exactly).
const RULES = JSON.parse(readFileSync(new URL('../src/rules/meta.json', import.meta.url), 'utf8'));
const DOMAINS = [...RULES.platforms.map((p) => p.domain), ...RULES.covered_sites.flatMap((c) => c.domains)];
// The data-driven services (src/rules/<id>.json beside meta.json): the user switches each one on, and only
// then grants its hosts, so they are `optional_host_permissions`, exactly `https://*.D/*` per domain D.
const RULES_DIR = new URL('../src/rules/', import.meta.url);
const SERVICES = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'meta.json' && f !== 'sources.json')
  .map((f) => JSON.parse(readFileSync(new URL(f, RULES_DIR), 'utf8')));
const SERVICE_DOMAINS = SERVICES.flatMap((s) => s.hosts.domains);
const EXPECTED_OPTIONAL_HOSTS = SERVICE_DOMAINS.map((d) => `https://*.${d}/*`).sort();
const EXACT_HOSTS = [RULES.privacy_center.host];
const alternatives = (xs) => xs.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
const ON_DOMAIN = `([a-z0-9-]+\\.)*(?:${alternatives(DOMAINS)})`;
const EXACT = alternatives(EXACT_HOSTS);
// Content scripts run only on https pages of Meta's sites (any path).
const MATCH_PATTERN = new RegExp(`^https:\\/\\/(?:(?:\\*\\.)?${ON_DOMAIN}|${EXACT})\\/[^\\s]*$`);
// Hosts allowed in URLs that appear as data in the WASM and the locales: links the user may follow (Meta's
// sites and the services').
const LINK_ON_DOMAIN = `([a-z0-9-]+\\.)*(?:${alternatives([...DOMAINS, ...SERVICE_DOMAINS])})`;
const LINK_HOSTS = new RegExp(`^https:\\/\\/(?:${LINK_ON_DOMAIN}|${EXACT})(\\/|$)`);

const findings = [];
const checked = [];
const find = (file, line, what) => findings.push(`${file}:${line}: ${what}`);

/** Blank comments (keeping newlines) and, in `bare`, the contents of string and template literals. */
export function lex(src) {
  let code = '';
  let bare = '';
  let i = 0;
  let prev = ''; // last significant character, to tell a regex literal from a division
  const keep = (s, b = s) => { code += s; bare += b; };
  const blank = (s) => s.replace(/[^\n]/g, ' ');
  const templateDepth = []; // brace depth at which each open template's `${` started
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      keep(blank(src.slice(i, stop)));
      i = stop;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      keep(blank(src.slice(i, stop)));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      const s = src.slice(i, j + 1);
      keep(s, c + blank(s.slice(1, -1)) + c);
      i = j + 1;
      prev = 'a';
    } else if (c === '`' || (c === '}' && templateDepth.length && templateDepth.at(-1) === depth)) {
      // template text, from ` or from the } closing a ${ ... }, up to ` or ${
      if (c === '}') templateDepth.pop();
      let j = i + 1;
      while (j < src.length && src[j] !== '`' && !(src[j] === '$' && src[j + 1] === '{')) j += src[j] === '\\' ? 2 : 1;
      if (src[j] === '$') {
        templateDepth.push(depth);
        const s = src.slice(i, j + 2);
        keep(s, s[0] + blank(s.slice(1, -2)) + '${');
        i = j + 2;
        prev = '(';
      } else {
        const s = src.slice(i, j + 1);
        keep(s, s[0] + blank(s.slice(1, -1)) + '`');
        i = j + 1;
        prev = 'a';
      }
    } else if (c === '/' && (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev))) {
      // regex literal
      let j = i + 1;
      let cls = false;
      while (j < src.length && src[j] !== '\n' && (cls || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') cls = true;
        else if (src[j] === ']') cls = false;
        j++;
      }
      const s = src.slice(i, j + 1);
      keep(s, '/' + blank(s.slice(1, -1)) + '/');
      i = j + 1;
      prev = 'a';
    } else {
      if (c === '{') depth++;
      if (c === '}') depth--;
      keep(c);
      if (!/\s/.test(c)) prev = /[\w$)\]]/.test(c) ? 'a' : c;
      i++;
    }
  }
  return { code, bare };
}

const lineOf = (text, index) => text.slice(0, index).split('\n').length;

function each(re, text, fn) {
  for (const m of text.matchAll(re)) fn(m, lineOf(text, m.index));
}

// Code that runs strings as code or writes HTML from strings: never in what we ship.
const CODE_RULES = [
  [/(?<![\w$])eval\s*\(/g, 'eval('],
  [/\(\s*0\s*,\s*eval\s*\)/g, 'indirect eval'],
  [/\bnew\s+Function\s*\(/g, 'new Function'],
  [/(?<![\w$.])Function\s*\(/g, 'Function( constructor'],
  [/\.\s*(innerHTML|outerHTML)\s*\+?=(?!=)/g, 'assignment to $1'],
  [/\[\s*['"](innerHTML|outerHTML)['"]\s*\]\s*\+?=(?!=)/g, 'assignment to $1'],
  [/\.\s*insertAdjacentHTML\s*\(/g, 'insertAdjacentHTML'],
  [/\.\s*(setHTMLUnsafe|createContextualFragment)\s*\(/g, '$1'],
  [/\bdocument\s*\.\s*write(ln)?\s*\(/g, 'document.write$1'],
  [/\bnew\s+(XMLHttpRequest|WebSocket|EventSource)\b/g, 'network API $1'],
  [/(?<![\w$])(XMLHttpRequest|WebSocket|EventSource)\s*\(/g, 'network API $1'],
  [/\.\s*sendBeacon\s*\(/g, 'sendBeacon'],
  [/(?<![\w$.])import\s*\(/g, 'dynamic import('],
  [/\.\s*src\s*=\s*(?!=)/g, 'assignment to .src (script/frame/img loading)'],
];

function scanJs(file, rel) {
  const src = readFileSync(file, 'utf8');
  const { code, bare } = lex(src);
  for (const [re, what] of CODE_RULES) {
    each(re, bare, (m, line) => find(rel, line, what.replace('$1', m[1] ?? '')));
  }
  // setTimeout/setInterval with a string (or template) as the code to run.
  each(/(?<![\w$])(setTimeout|setInterval)\s*\(\s*(['"`])/g, code, (m, line) => find(rel, line, `${m[1]} with a string`));
  // Static imports and importScripts: relative files of the extension only.
  each(/\bimportScripts\s*\(([^)]*)\)/g, code, (m, line) => {
    const args = m[1].split(',').map((a) => a.trim()).filter(Boolean);
    for (const a of args) {
      const lit = /^(['"])(.*)\1$/.exec(a);
      if (!lit) find(rel, line, `importScripts with a computed argument ${a}`);
      else if (/^([a-z][\w+.-]*:|\/\/)/i.test(lit[2])) find(rel, line, `importScripts of a non-relative URL ${lit[2]}`);
    }
  });
  each(/\b(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]*)\1/g, code, (m, line) => {
    if (/^([a-z][\w+.-]*:|\/\/)/i.test(m[2])) find(rel, line, `import from a non-relative URL ${m[2]}`);
  });
  // fetch: only wasm-bindgen's loader, fetching the module path it was given.
  each(/(?<![\w$.])fetch\s*\(([^)]*)\)?/g, code, (m, line) => {
    const glue = rel.endsWith('core/widerspruch.js') && m[1].trim() === 'module_or_path';
    if (!glue) find(rel, line, `fetch(${m[1].trim().slice(0, 60)}): only the wasm-bindgen loader may fetch, and only its own module`);
  });
  // Every start of the wasm-bindgen loader must name the module as a file of the extension.
  each(/\bwasm_bindgen\s*\(([^)]*\)?[^)]*)\)/g, code, (m, line) => {
    if (!/^\s*\{\s*module_or_path\s*:\s*ext\.url\(\s*(['"])(?![a-z][\w+.-]*:|\/\/)[^'"]+\1\s*\)\s*\}\s*$/i.test(m[1])) {
      find(rel, line, `wasm_bindgen(${m[1].trim()}): the module must be { module_or_path: ext.url('<relative path>') }`);
    }
  });
  // http(s) URLs in code (outside comments) that are not form links.
  each(/(['"`])(https?:\/\/[^'"`\s]*)/g, code, (m, line) => {
    if (!LINK_HOSTS.test(m[2])) find(rel, line, `URL in code: ${m[2]}`);
  });
  return 'js';
}

function scanHtml(file, rel) {
  const src = readFileSync(file, 'utf8');
  each(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, src, (m, line) => {
    const s = /\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(m[1]);
    if (!s) find(rel, line, 'inline <script>');
    else if (/^([a-z][\w+.-]*:|\/\/)/i.test(s[1])) find(rel, line, `remote script ${s[1]}`);
    if (m[2].trim()) find(rel, line, 'inline script code');
  });
  each(/\son[a-z]+\s*=/gi, src, (m, line) => find(rel, line, `inline event handler ${m[0].trim()}`));
  each(/\b(?:src|href|action|data)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi, src, (m, line) => find(rel, line, `remote resource ${m[1]}`));
  each(/javascript:/gi, src, (m, line) => find(rel, line, 'javascript: URL'));
  return 'html';
}

function scanCss(file, rel) {
  const src = readFileSync(file, 'utf8');
  each(/(@import|url\()\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi, src, (m, line) => find(rel, line, `remote resource ${m[2]}`));
  return 'css';
}

// ── WebAssembly: imports (what the module can call) and URLs in its data ──
function leb(buf, pos) {
  let result = 0, shift = 0, b;
  do { b = buf[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [result, pos];
}

export function wasmImports(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a WebAssembly module');
  const out = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    if (id === 2) {
      let p = pos, count, len;
      [count, p] = leb(buf, p);
      for (let k = 0; k < count; k++) {
        [len, p] = leb(buf, p); const mod = buf.toString('utf8', p, p + len); p += len;
        [len, p] = leb(buf, p); const name = buf.toString('utf8', p, p + len); p += len;
        const kind = buf[p++];
        if (kind === 0) [, p] = leb(buf, p); // function: type index
        else if (kind === 1) { p++; const f = buf[p++]; [, p] = leb(buf, p); if (f & 1) [, p] = leb(buf, p); } // table
        else if (kind === 2) { const f = buf[p++]; [, p] = leb(buf, p); if (f & 1) [, p] = leb(buf, p); } // memory
        else if (kind === 3) p += 2; // global
        else if (kind === 4) { p++; [, p] = leb(buf, p); } // tag
        out.push({ module: mod, name, kind });
      }
    }
    pos += size;
  }
  return out;
}

function scanWasm(file, rel, glueSource) {
  const buf = readFileSync(file);
  const imports = wasmImports(buf);
  const NET = /fetch|xmlhttprequest|websocket|eventsource|sendbeacon|importscripts|eval|function_new|newwithstr|\bopen\b/i;
  for (const imp of imports) {
    if (!/^(\.\/widerspruch_bg\.js|wbg|__wbindgen_placeholder__)$/.test(imp.module)) {
      find(rel, 0, `imports ${imp.module}.${imp.name} from outside the wasm-bindgen glue`);
    }
    if (NET.test(imp.name)) find(rel, 0, `imports a network/code API: ${imp.name}`);
    if (imp.kind === 0 && glueSource && !glueSource.includes(imp.name)) {
      find(rel, 0, `import ${imp.name} is not defined by core/widerspruch.js`);
    }
  }
  const urls = [...new Set(buf.toString('latin1').match(/https?:\/\/[\x21-\x7e]+/g) ?? [])];
  for (const u of urls) {
    // The core builds the services' host match patterns (`https://*.` + a rules domain + `/*`) for the
    // content scripts it registers; that piece is a pattern's head, not an address (scanManifest checks
    // the patterns themselves against the rules).
    if (u === 'https://*.') continue;
    const clean = u.replace(/[^\w\-./:?#&=%~+]+.*$/, '');
    if (!LINK_HOSTS.test(clean)) find(rel, 0, `URL in the WebAssembly that is not a link to one of Meta's or the services' sites: ${clean}`);
  }
  // A path of the machine that built it (rustc's panic locations name the crates' sources by absolute path)
  // makes the zip differ on a reviewer's machine: addons.mozilla.org rebuilds from the source zip and
  // compares. build.sh maps Cargo's home to /cargo (--remap-path-prefix); this keeps it that way.
  const homes = [...new Set(buf.toString('latin1').match(/\/(?:root|home\/[\w.-]+|Users\/[\w.-]+)\/[\x21-\x7e]*/g) ?? [])];
  for (const h of homes.slice(0, 3)) find(rel, 0, `names a path of the machine that built it (not reproducible elsewhere): ${h.slice(0, 80)}`);
  return { kind: 'wasm', imports: imports.length, urls: urls.length };
}

// ── manifest ──
function scanManifest(dir, rel) {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const f = (what) => find(rel, 0, what);
  const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  if (m.manifest_version !== 3) f(`manifest_version ${m.manifest_version}, expected 3`);
  if (!eq(m.permissions, EXPECTED_PERMISSIONS)) f(`permissions ${JSON.stringify(m.permissions)}, expected ${JSON.stringify(EXPECTED_PERMISSIONS)}`);
  if (!eq([...(m.optional_host_permissions ?? [])].sort(), EXPECTED_OPTIONAL_HOSTS)) {
    f(`optional_host_permissions ${JSON.stringify(m.optional_host_permissions)}, expected the services' hosts ${JSON.stringify(EXPECTED_OPTIONAL_HOSTS)}`);
  }
  for (const k of ['host_permissions', 'optional_permissions', 'externally_connectable', 'web_accessible_resources', 'declarative_net_request', 'sandbox', 'update_url']) {
    if (k in m) f(`has "${k}" (${JSON.stringify(m[k]).slice(0, 80)}); SECURITY.md says it has none`);
  }
  const csp = m.content_security_policy;
  if (!csp || typeof csp !== 'object' || csp.extension_pages !== EXPECTED_CSP) {
    f(`content_security_policy.extension_pages is ${JSON.stringify(csp?.extension_pages)}, expected "${EXPECTED_CSP}"`);
  }
  if (csp && Object.keys(csp).some((k) => k !== 'extension_pages')) f(`content_security_policy has other keys: ${Object.keys(csp)}`);
  const cs = m.content_scripts ?? [];
  const matches = cs.flatMap((c) => c.matches ?? []);
  for (const pat of matches) {
    if (!MATCH_PATTERN.test(pat)) f(`content script pattern ${pat} reaches beyond https pages of Meta's sites in the rules`);
  }
  if (!matches.length) f('no content script patterns');
  for (const c of cs) if (c.exclude_matches || c.include_globs || c.match_about_blank || c.match_origin_as_fallback) f('content script with extra match rules');
  if (cs.some((c) => c.all_frames)) f('a content script runs in all frames');
  if (cs.some((c) => c.world && c.world !== 'ISOLATED')) f('a content script runs in the page\'s world');
  // Every script the manifest loads is a file of the extension.
  const scripts = [
    ...cs.flatMap((c) => [...(c.js ?? []), ...(c.css ?? [])]),
    ...(m.background?.service_worker ? [m.background.service_worker] : []),
    ...(m.background?.scripts ?? []),
    ...(m.background?.page ? [m.background.page] : []),
    ...(m.action?.default_popup ? [m.action.default_popup] : []),
  ];
  for (const s of scripts) {
    if (/^([a-z][\w+.-]*:|\/\/)/i.test(s)) f(`loads a remote file: ${s}`);
    else if (!existsSync(join(dir, s))) f(`loads ${s}, which is not in the package`);
  }
  const gecko = m.browser_specific_settings?.gecko;
  if (gecko && !eq(gecko.data_collection_permissions, { required: ['none'] })) {
    f(`gecko.data_collection_permissions is ${JSON.stringify(gecko.data_collection_permissions)}, expected {"required":["none"]}`);
  }
  return { scripts: scripts.length, gecko: Boolean(gecko), matches };
}

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function scan(dirs) {
  findings.length = 0;
  checked.length = 0;
  for (const dir of dirs) {
    if (!existsSync(join(dir, 'manifest.json'))) {
      find(dir, 0, 'no manifest.json: build first (./build.sh)');
      continue;
    }
    const files = walk(dir);
    const counts = { js: 0, html: 0, css: 0, json: 0, other: 0 };
    const gluePath = files.find((p) => p.endsWith(join('core', 'widerspruch.js')));
    const glue = gluePath ? readFileSync(gluePath, 'utf8') : '';
    let wasmInfo = null;
    for (const p of files) {
      const rel = relative(process.cwd(), p);
      const ext = extname(p);
      if (ext === '.js' || ext === '.mjs') { scanJs(p, rel); counts.js++; }
      else if (ext === '.html' || ext === '.htm') { scanHtml(p, rel); counts.html++; }
      else if (ext === '.css') { scanCss(p, rel); counts.css++; }
      else if (ext === '.wasm') wasmInfo = scanWasm(p, rel, glue);
      else if (ext === '.json') {
        // Locale catalogues and the manifest: data, but a URL in them must still be a link to Meta.
        // (manifest match patterns are checked separately below)
        const src = readFileSync(p, 'utf8').replace(/"https:\/\/\*\.[^"]*"/g, (x) => x.replace(/[^\n]/g, ' '));
        each(/https?:\/\/[^\s"'<>)]+/g, src, (m, line) => { if (!LINK_HOSTS.test(m[0])) find(rel, line, `URL in data: ${m[0]}`); });
        counts.json++;
      } else counts.other++;
    }
    const man = scanManifest(dir, relative(process.cwd(), join(dir, 'manifest.json')));
    checked.push(
      `${relative(process.cwd(), dir) || dir}: ${counts.js} JS, ${counts.html} HTML, ${counts.css} CSS, ${counts.json} JSON files` +
        (wasmInfo ? `, WebAssembly (${wasmInfo.imports} imports, ${wasmInfo.urls} URLs as data)` : ', no WebAssembly') +
        `; manifest: ${man.scripts} script/page files, content scripts on ${man.matches.join(' ')}${man.gecko ? ', Firefox settings' : ''}`,
    );
  }
  return { findings: [...findings], checked: [...checked] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['dist/chromium', 'dist/firefox'];
  const { findings: bad, checked: ok } = scan(dirs);
  for (const line of ok) console.log(`scanned ${line}`);
  console.log('checks: eval / Function / string timers, innerHTML/outerHTML/insertAdjacentHTML/document.write,');
  console.log('        network APIs and fetch (wasm-bindgen loader of its own module only), importScripts/import');
  console.log('        sources, inline and remote scripts, WASM imports and URLs, manifest permissions/CSP/matches');
  if (bad.length) {
    console.error(`scan_dist: ${bad.length} finding(s):`);
    for (const b of bad) console.error(`  ${b}`);
    process.exit(1);
  }
  console.log('scan_dist: no findings');
}

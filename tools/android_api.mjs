// Which WebExtension APIs and manifest keys the built Firefox extension uses, and whether
// @mdn/browser-compat-data (BCD) says Firefox for Android (at the manifest's gecko_android strict_min_version)
// and desktop Firefox (at gecko's strict_min_version) support them. Used by tests/static/android_api.test.mjs;
// `node tools/android_api.mjs [dist/firefox]` prints the table that doc/android.md records.
//
// How the code reaches the API (read it before changing the scan): every file takes the namespace once as
// `const api = globalThis.browser ?? globalThis.chrome` (content/banner.js, popup/popup.js, platform/ext.js);
// ext.js hands it to background.js as `ext.api`; the Rust core calls only the `ext.*` facade functions of
// ext.js (src/web/browser.rs, js_namespace = ext), so its calls are ext.js's. The scan follows exactly these
// roots and refuses any other way to the namespace (an alias it does not know, `browser` passed on whole), so
// a new call cannot slip past it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { lex } from './scan_dist.mjs';

const require = createRequire(import.meta.url);
const bcd = require('@mdn/browser-compat-data');
export const BCD_VERSION = `${bcd.__meta.version} (${bcd.__meta.timestamp.slice(0, 10)})`;

/**
 * Reviewed exceptions: `browser:feature` → why it is fine although BCD does not say "supported". Each with
 * its source. Anything else unsupported, partial, behind a flag or unknown to BCD fails the test.
 */
export const REVIEWED = {
  'firefox:manifest.browser_specific_settings.gecko_android':
    'Read only by Firefox for Android; desktop Firefox ignores it. BCD itself lists it as firefox_android 113 ' +
    '("Supports strict_min_version and strict_max_version") and firefox false; MDN browser_specific_settings: ' +
    '"gecko_android ... Firefox for Android" (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/browser_specific_settings, seen 2026-12-04).',
};

// What the Rust core reads from the objects the browser hands it, through serde (invisible to a JS scan):
// runtime.onMessage's sender, decoded into src/protocol.rs `struct Sender` (the test checks these are its fields).
export const READ_BY_CORE = ['runtime.MessageSender.id', 'runtime.MessageSender.url', 'runtime.MessageSender.tab'];

// Sub-features (options, fields) BCD lists below a used call or type whose name appears in the code only as
// something else. Reviewed, with the reason.
export const NOT_USED_SUBFEATURES = {
  'runtime.onInstalled.details.id':
    'background.js listens with `() => started` and reads no details; the `id`s in the code are the sender\'s and the registered scripts\'.',
};

// Members of an event object, not features of their own (BCD lists the event, not addListener).
const EVENT_METHODS = new Set(['addListener', 'removeListener', 'hasListener']);
// Manifest values whose keys are data (icon sizes), not manifest keys.
const DATA_KEYED = new Set(['icons', 'action.default_icon']);
// Manifest keys that are comments, not read by any browser.
const IGNORED_KEYS = new Set(['$comment']);

function files(dir, ext) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

const lineOf = (text, index) => text.slice(0, index).split('\n').length;

/**
 * The API member chains the JS of `dir` uses → {uses: [{path: 'runtime.sendMessage', where: ['file:line']}],
 * problems: ['file:line: ...']} (a problem: a way to the namespace the scan does not follow).
 */
export function scanJs(dir) {
  const uses = new Map();
  const problems = [];
  for (const file of files(dir, '.js')) {
    const rel = relative(dir, file);
    const code = lex(readFileSync(file, 'utf8')).bare;
    // The one accepted way to take the namespace: `const NAME = (globalThis.browser ?? globalThis.chrome)`.
    const aliases = new Set();
    const declared = []; // [start, end) of each accepted declaration's `globalThis.browser ?? globalThis.chrome`
    for (const m of code.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*\(?\s*(globalThis\.browser\s*\?\?\s*globalThis\.chrome)\s*\)?/g)) {
      aliases.add(m[1]);
      const start = m.index + m[0].indexOf(m[2]);
      declared.push([start, start + m[2].length]);
    }
    for (const m of code.matchAll(/\bglobalThis\s*\.\s*(browser|chrome)\b/g)) {
      const start = m.index;
      const inDecl = declared.some(([from, to]) => start >= from && start < to);
      if (!inDecl) problems.push(`${rel}:${lineOf(code, start)}: globalThis.${m[1]} outside \`const NAME = globalThis.browser ?? globalThis.chrome\``);
    }
    // ext.js exposes its namespace as `ext.api` (the `api,` of the object it returns); background.js uses it.
    const roots = [...aliases, 'browser', 'chrome'];
    const rootRe = new RegExp(`(?<!\\.\\s*)(?<![\\w$])(ext\\s*\\.\\s*api|${roots.map((r) => r.replace(/\$/g, '\\$')).join('|')})\\b(?!\\s*:)`, 'g');
    for (const m of code.matchAll(rootRe)) {
      const root = m[1];
      const after = code.slice(m.index + m[0].length);
      const chain = /^((?:\s*\??\.\s*[A-Za-z_$][\w$]*)+)/.exec(after);
      const at = `${rel}:${lineOf(code, m.index)}`;
      if (chain) {
        const path = chain[1].replace(/\s|\?/g, '').slice(1);
        if (!uses.has(path)) uses.set(path, []);
        uses.get(path).push(at);
        continue;
      }
      // Not a member access: only the declaration itself and ext.js's `{ api, ...}` are fine.
      const before = code.slice(Math.max(0, m.index - 12), m.index);
      if (/(?:const|let|var)\s+$/.test(before) && aliases.has(root)) continue;
      if (root === 'api' && /^\s*,/.test(after) && /(?:\{|,)\s*$/.test(before) && rel === join('platform', 'ext.js')) continue;
      if (root === 'browser' || root === 'chrome') {
        // a bare global `browser`/`chrome` that is not a member chain: refuse (typeof checks included)
        problems.push(`${at}: \`${root}\` used other than as ${root}.<namespace>`);
        continue;
      }
      problems.push(`${at}: the extension namespace \`${root}\` is passed on whole (the scan cannot follow it)`);
    }
  }
  return {
    uses: [...uses].map(([path, where]) => ({ path, where })).sort((a, b) => a.path.localeCompare(b.path)),
    problems,
  };
}

/** The manifest keys of `manifest` as BCD paths under webextensions.manifest, e.g. 'action.default_popup', 'permissions.storage'. */
export function manifestKeys(manifest) {
  const out = new Set();
  const walk = (value, path) => {
    if (Array.isArray(value)) { for (const v of value) walk(v, path); return; }
    if (path === 'permissions') return; // handled as values below
    if (value && typeof value === 'object' && !DATA_KEYED.has(path)) {
      for (const [k, v] of Object.entries(value)) {
        if (IGNORED_KEYS.has(k)) continue;
        const p = path ? `${path}.${k}` : k;
        out.add(p);
        walk(v, p);
      }
    }
  };
  walk(manifest, '');
  for (const p of manifest.permissions ?? []) out.add(`permissions.${p}`);
  if (manifest.manifest_version) out.add(`manifest_version.v${manifest.manifest_version}`);
  // Values of data_collection_permissions.required are data ("none"), not keys.
  for (const k of [...out]) if (/^browser_specific_settings\.gecko\.data_collection_permissions\./.test(k)) out.delete(k);
  return [...out].sort();
}

const num = (v) => (typeof v === 'string' && /^≤?\d+(\.\d+)?$/.test(v) ? Number(v.replace('≤', '')) : null);

/** BCD's support statement for one browser at `version` → {ok, added, why}. */
export function supportAt(support, version) {
  const entries = support == null ? [] : Array.isArray(support) ? support : [support];
  const plain = entries.filter((e) => !e.flags && !e.prefix && !e.alternative_name);
  for (const e of plain) {
    const added = num(e.version_added);
    const removed = e.version_removed ? num(e.version_removed) : null;
    if (added === null || added > version) continue;
    if (removed !== null && removed <= version) continue;
    if (e.partial_implementation) return { ok: false, added: e.version_added, why: `partial implementation${e.notes ? `: ${[].concat(e.notes).join(' ')}` : ''}` };
    return { ok: true, added: e.version_added };
  }
  const first = entries[0];
  const why = !first ? 'no data'
    : entries.every((e) => e.flags) ? 'only behind a flag'
      : first.version_added === false ? 'not supported'
        : first.version_added === null ? 'support unknown'
          : `added in ${first.version_added}${first.version_removed ? `, removed in ${first.version_removed}` : ''}`;
  return { ok: false, added: first?.version_added ?? null, why };
}

/** The BCD node at webextensions.<area>.<path> walked as far as it exists → {found: [segments], node}. */
function deepest(area, segments) {
  let node = bcd.webextensions[area];
  const found = [];
  for (const s of segments) {
    if (!node || !Object.hasOwn(node, s) || s === '__compat') break;
    node = node[s];
    found.push(s);
  }
  return { found, node };
}

/**
 * Every feature the built extension in `dir` uses, checked against BCD for both browsers → {rows, failures}.
 * rows: [{kind: 'api'|'manifest', feature, android, firefox, where}] (android/firefox: BCD's version_added).
 */
export function check(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const bss = manifest.browser_specific_settings ?? {};
  const major = (v) => Number(String(v ?? '').split('.')[0]);
  const targets = {
    firefox_android: major(bss.gecko_android?.strict_min_version),
    firefox: major(bss.gecko?.strict_min_version),
  };
  const failures = [];
  for (const [b, v] of Object.entries(targets)) if (!v) failures.push(`manifest.json: no strict_min_version for ${b}`);
  const rows = new Map();
  // viaNote: a manifest key BCD has no entry of its own for, but whose parent's note names it
  // (browser_specific_settings.gecko: "Supports <code>id</code>, <code>strict_min_version</code>, ..."):
  // judged by the parent's support, for each browser whose note names it.
  const judge = (kind, feature, where, viaNote = null) => {
    const path = viaNote ?? feature;
    const node = path.split('.').reduce((n, k) => n?.[k], bcd.webextensions[kind === 'api' ? 'api' : 'manifest']);
    const support = node?.__compat?.support ?? {};
    const row = { kind, feature, where, viaNote };
    for (const [browser, version] of Object.entries(targets)) {
      const named = !viaNote || [].concat(support[browser] ?? []).some((e) => [].concat(e.notes ?? []).some((n) => n.includes(`<code>${feature.split('.').at(-1)}</code>`)));
      const s = named ? supportAt(support[browser], version) : { ok: false, added: null, why: `BCD's note on ${viaNote} does not name it` };
      row[browser] = s.added ?? '-';
      const key = `${browser === 'firefox_android' ? 'android' : 'firefox'}:${kind}.${feature}`;
      const parentKey = viaNote && `${browser === 'firefox_android' ? 'android' : 'firefox'}:${kind}.${viaNote}`;
      if (!s.ok && !REVIEWED[key] && !(parentKey && REVIEWED[parentKey])) {
        failures.push(`${kind === 'api' ? 'API' : 'manifest key'} ${feature} (${where.slice(0, 3).join(', ')}): ${browser} ${version}: ${s.why}`);
      }
    }
    rows.set(`${kind}.${feature}`, row);
  };

  const { uses, problems } = scanJs(dir);
  failures.push(...problems);
  for (const { path, where } of uses) {
    const segments = path.split('.');
    const { found } = deepest('api', segments);
    const rest = segments.slice(found.length);
    // The namespace and its member must be BCD's; below that, only an event's listener methods may follow.
    if (found.length < Math.min(2, segments.length) || rest.some((s) => !EVENT_METHODS.has(s))) {
      failures.push(`API ${path} (${where.slice(0, 3).join(', ')}): unknown to BCD (known as far as "${found.join('.') || '-'}")`);
      continue;
    }
    for (let i = 1; i <= found.length; i++) {
      const f = found.slice(0, i).join('.');
      const known = rows.get(`api.${f}`);
      if (known) { known.where = [...new Set([...known.where, ...where])]; continue; }
      judge('api', f, where);
    }
  }
  for (const f of READ_BY_CORE) judge('api', f, ['src/protocol.rs (serde)']);
  // Sub-features below what is used (a call's options, a type's fields: scripting.RegisteredContentScript.
  // persistAcrossSessions) count as used when their name appears as a name in the code.
  const names = new Set();
  for (const file of files(dir, '.js')) for (const n of lex(readFileSync(file, 'utf8')).bare.match(/[A-Za-z_$][\w$]*/g) ?? []) names.add(n);
  const usedApi = rows.size ? [...rows.values()].filter((r) => r.kind === 'api').map((r) => r.feature) : [];
  const namespaces = new Set(usedApi.map((f) => f.split('.')[0]));
  const usedLeaves = new Set(usedApi.map((f) => f.split('.').at(-1))); // storage.onChanged's name is not storage.local.onChanged
  const bases = [
    ...usedApi.filter((f) => f.includes('.')),
    ...[...namespaces].flatMap((ns) => Object.keys(bcd.webextensions.api[ns] ?? {}).filter((k) => /^[A-Z]/.test(k)).map((k) => `${ns}.${k}`)),
  ];
  const sub = (base) => {
    const node = base.split('.').reduce((n, k) => n?.[k], bcd.webextensions.api);
    const out = [];
    const walk = (n, p) => { for (const [k, v] of Object.entries(n ?? {})) if (k !== '__compat') { out.push(`${p}.${k}`); walk(v, `${p}.${k}`); } };
    walk(node, base);
    return out;
  };
  for (const f of new Set(bases.flatMap(sub))) {
    if (rows.has(`api.${f}`) || NOT_USED_SUBFEATURES[f] || !names.has(f.split('.').at(-1))) continue;
    // Only sub-features whose name is specific enough to mean them: a generic word (get, set, id, url, tab,
    // details) that BCD supports everywhere adds nothing; an unsupported one must be reviewed above.
    const node = f.split('.').reduce((n, k) => n?.[k], bcd.webextensions.api);
    const support = node?.__compat?.support ?? {};
    const fine = Object.entries(targets).every(([b, v]) => supportAt(support[b], v).ok);
    const leaf = f.split('.').at(-1);
    if (fine && (!/^[a-z]+[A-Z]/.test(leaf) || usedLeaves.has(leaf))) continue;
    judge('api', f, ['(name in the code)']);
  }
  for (const key of manifestKeys(manifest)) {
    const { found, node } = deepest('manifest', key.split('.'));
    const last = key.split('.').at(-1);
    const parentNotes = Object.values(node?.__compat?.support ?? {}).flat().flatMap((e) => [].concat(e?.notes ?? []));
    if (found.length === key.split('.').length - 1 && parentNotes.some((n) => n.includes(`<code>${last}</code>`))) {
      judge('manifest', key, ['manifest.json'], found.join('.'));
      continue;
    }
    if (found.length !== key.split('.').length) {
      failures.push(`manifest key ${key}: unknown to BCD (known as far as "${found.join('.') || '-'}")`);
      continue;
    }
    judge('manifest', key, ['manifest.json']);
  }
  return { targets, rows: [...rows.values()], failures };
}

/** The Markdown table for doc/android.md. */
export function table(dir) {
  const { targets, rows } = check(dir);
  const out = [
    `| feature | used in | Firefox for Android (need ≤ ${targets.firefox_android}) | Firefox desktop (need ≤ ${targets.firefox}) |`,
    '|---|---|---|---|',
  ];
  for (const r of rows) {
    const where = r.kind === 'manifest' ? 'manifest.json' : [...new Set(r.where.map((w) => w.split(':')[0]))].join(', ');
    const mark = (b) => (r[b] === false ? `no${REVIEWED[`${b === 'firefox_android' ? 'android' : 'firefox'}:${r.kind}.${r.feature}`] ? ' (reviewed: ignored there)' : ''}` : r[b]);
    const note = r.viaNote ? ` (named in BCD's note on \`${r.viaNote}\`)` : '';
    out.push(`| \`${r.kind === 'api' ? '' : 'manifest: '}${r.feature}\`${note} | ${where} | ${mark('firefox_android')} | ${mark('firefox')} |`);
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? new URL('../dist/firefox', import.meta.url).pathname;
  const { failures } = check(dir);
  console.log(`BCD ${BCD_VERSION}\n`);
  console.log(table(dir));
  if (failures.length) { console.error(`\n${failures.join('\n')}`); process.exitCode = 1; }
}

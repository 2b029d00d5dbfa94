// The store folder (dist/store, written by `./build.sh store`) as the Chrome Web Store and addons.mozilla.org
// would take it: every limit, every language complete, no placeholder or untranslated text, every
// permission of both built manifests justified and nothing else, the data-use answers, the pictures' sizes,
// the zips identical to the build's, one version everywhere. Limits and their sources: store/SOURCES.md.
//
//   node --test tests/store/store.test.mjs          (after ./build.sh store)
//
// STORE_DIR and DIST_DIR point the test at another store folder or build (how each check was seen failing
// on a broken copy).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, relative, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import { LANGS } from '../../tools/languages.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = process.env.DIST_DIR ?? join(ROOT, 'dist');
const STORE = process.env.STORE_DIR ?? join(DIST, 'store');
const FIELDS = ['name', 'summary_cws', 'summary_amo', 'description', 'privacy_policy_url', 'homepage_url'];
// Characters (code points). AMO's name limit is stricter than the Chrome Web Store's 75.
const LIMITS = { name: 50, summary_cws: 132, summary_amo: 250, description: 16000 };
const PICTURES = ['1-banner', '2-form-helper', '3-received', '4-popup', '5-second-service'];
const ZIPS = ['widerspruch-chromium.zip', 'widerspruch-firefox.zip', 'widerspruch-source.zip'];

const json = (file) => JSON.parse(readFileSync(file, 'utf8'));
const catalogue = (lang) => json(join(ROOT, 'extension', '_locales', lang, 'messages.json'));
const listing = (lang) => json(join(STORE, 'listing', `${lang}.json`));
const manifests = () => ['chromium', 'firefox'].map((b) => json(join(DIST, b, 'manifest.json')));
const chars = (s) => [...s].length;
const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

test('store folder exists (run ./build.sh store first)', () => {
  assert.ok(existsSync(join(STORE, 'README.md')), `${STORE}/README.md is missing`);
});

test('every language of extension/_locales is complete: every listing field, its privacy policy, every picture', () => {
  const listed = readdirSync(join(STORE, 'listing')).map((f) => f.replace(/\.json$/, '')).sort();
  assert.deepEqual(listed, LANGS, 'listings are exactly the languages of extension/_locales');
  for (const lang of LANGS) {
    const l = listing(lang);
    assert.deepEqual(Object.keys(l).sort(), [...FIELDS].sort(), `${lang}: listing fields`);
    for (const f of FIELDS) assert.ok(typeof l[f] === 'string' && l[f].trim(), `${lang}: "${f}" is empty`);
    const policy = join(STORE, 'privacy', `${lang}.md`);
    assert.ok(existsSync(policy) && readFileSync(policy, 'utf8').trim(), `${lang}: privacy/${lang}.md is missing or empty`);
    for (const p of PICTURES) {
      assert.ok(existsSync(join(STORE, 'screenshots', lang, `${p}.png`)), `${lang}: screenshots/${lang}/${p}.png is missing`);
    }
  }
  for (const f of ['single-purpose.txt', 'permissions.json', 'data-use.json', 'amo-reviewer-notes.md', 'promo-440x280.png']) {
    assert.ok(existsSync(join(STORE, f)), `${f} is missing`);
  }
});

test('every limit: name 50, Chrome Web Store summary 132 (= the manifest description), AMO summary 250, description 16000', () => {
  for (const lang of LANGS) {
    const l = listing(lang);
    const cat = catalogue(lang);
    for (const [field, max] of Object.entries(LIMITS)) {
      assert.ok(chars(l[field]) <= max, `${lang}: "${field}" has ${chars(l[field])} characters, the limit is ${max}`);
    }
    // The Chrome Web Store shows the manifest's localised name and description; the listing must say the same.
    assert.equal(l.name, cat.extName.message, `${lang}: name differs from the catalogue's extName`);
    assert.equal(l.summary_cws, cat.extDescription.message, `${lang}: summary_cws differs from the catalogue's extDescription`);
    assert.ok(l.name.includes('Widerspruch'), `${lang}: the name keeps "Widerspruch"`);
  }
});

test('the listings link to the project and to the privacy policy in their language, which exists in the repository', () => {
  const home = json(join(ROOT, 'package.json')).homepage;
  for (const lang of LANGS) {
    const l = listing(lang);
    assert.equal(l.homepage_url, home, `${lang}: homepage_url is package.json's homepage`);
    const file = lang === 'en' ? 'PRIVACY.md' : `doc/privacy/PRIVACY.${lang}.md`;
    assert.equal(l.privacy_policy_url, `${home}/blob/main/${file}`, `${lang}: privacy_policy_url`);
    assert.ok(existsSync(join(ROOT, file)), `${lang}: ${file} is missing`);
    assert.equal(readFileSync(join(STORE, 'privacy', `${lang}.md`), 'utf8'), readFileSync(join(ROOT, file), 'utf8'), `${lang}: privacy/${lang}.md is not a copy of ${file}`);
    assert.ok(l.description.includes(l.privacy_policy_url), `${lang}: the description does not link the privacy policy`);
  }
});

test('no placeholder text anywhere in the store folder', () => {
  const bad = [
    [/__MSG_\w*/, 'an unresolved __MSG_ key'],
    [/\$[A-Za-z_][A-Za-z0-9_]*\$/, 'a $PLACEHOLDER$'],
    [/\{\{/, 'a {{template}} slot'],
    [/\b(TODO|TBD|FIXME|XXX)\b/, 'a TODO marker'],
    [/\blorem\b|\bipsum\b/i, 'lorem ipsum'],
  ];
  const texts = walk(STORE).filter((f) => ['.json', '.md', '.txt'].includes(extname(f)));
  assert.ok(texts.length > LANGS.length * 2, 'too few text files: is the store folder built?');
  for (const f of texts) {
    const text = readFileSync(f, 'utf8');
    for (const [re, what] of bad) {
      const m = re.exec(text);
      assert.ok(!m, `${relative(STORE, f)}: ${what} ("${m?.[0]}")`);
    }
  }
});

// "Untranslated": a run of SHINGLE words of the English text that appears unchanged in another language's.
// Runs made mostly of names (capitalised words: Meta, LinkedIn, Google…) or of code and addresses
// (storage.local, chrome://extensions) are the same in every language and do not count.
const SHINGLE = 5;
const words = (text) => text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.:/@*_-]*/gu) ?? [];
const isName = (w) => /^\p{Lu}/u.test(w) || /[.:/@_\d]/.test(w);
function englishRuns(text) {
  const ws = words(text);
  const runs = new Set();
  for (let i = 0; i + SHINGLE <= ws.length; i++) {
    const run = ws.slice(i, i + SHINGLE);
    if (run.filter(isName).length * 2 >= SHINGLE) continue;
    runs.add(run.join(' ').toLowerCase());
  }
  return runs;
}
/** The English run that `text` repeats, if any. */
export function untranslated(english, text) {
  const ws = words(text).map((w) => w.toLowerCase());
  const runs = englishRuns(english);
  for (let i = 0; i + SHINGLE <= ws.length; i++) {
    const run = ws.slice(i, i + SHINGLE).join(' ');
    if (runs.has(run)) return run;
  }
  return null;
}

test('no untranslated English in the other languages (listing texts and privacy policy)', () => {
  const en = listing('en');
  const enPolicy = readFileSync(join(STORE, 'privacy', 'en.md'), 'utf8');
  // The check itself: the English text against itself must be caught.
  assert.ok(untranslated(en.description, en.description), 'the check finds nothing in a copy of the English text');
  for (const lang of LANGS.filter((l) => l !== 'en')) {
    const l = listing(lang);
    for (const field of ['summary_cws', 'summary_amo', 'description']) {
      const run = untranslated(en[field], l[field]);
      assert.equal(run, null, `${lang}: "${field}" repeats the English "${run}"`);
    }
    const run = untranslated(enPolicy, readFileSync(join(STORE, 'privacy', `${lang}.md`), 'utf8'));
    assert.equal(run, null, `${lang}: privacy/${lang}.md repeats the English "${run}"`);
  }
});

test('every permission, host, optional host and content-script match of both built manifests is justified, and nothing else', () => {
  const justified = json(join(STORE, 'permissions.json'));
  const asked = new Set(manifests().flatMap((m) => [
    ...(m.permissions ?? []), ...(m.optional_permissions ?? []), ...(m.host_permissions ?? []),
    ...(m.optional_host_permissions ?? []), ...(m.content_scripts ?? []).flatMap((c) => c.matches ?? []),
  ]));
  assert.ok(asked.size >= 3, 'the built manifests ask for almost nothing: is dist/ built?');
  for (const p of asked) {
    assert.ok(typeof justified[p] === 'string' && chars(justified[p].trim()) >= 60, `no justification (of at least a sentence) for ${p}`);
  }
  for (const p of Object.keys(justified)) assert.ok(asked.has(p), `a justification for ${p}, which neither built manifest asks for`);
});

test('data use: nothing collected, nothing sent, the three certifications; AMO declares "none" like the Firefox manifest', () => {
  const d = json(join(STORE, 'data-use.json'));
  const cws = d.chrome_web_store;
  assert.ok(Object.keys(cws.data_collected).length >= 9, 'every data category is answered');
  for (const [k, v] of Object.entries(cws.data_collected)) assert.equal(v, false, `data_collected: "${k}" must be false`);
  assert.equal(Object.keys(cws.certifications).length, 3, 'the three certifications');
  for (const [k, v] of Object.entries(cws.certifications)) assert.equal(v, true, `certification not given: ${k}`);
  assert.match(cws.remote_code.answer, /^No\b/, 'remote code: no');
  const firefox = manifests()[1].browser_specific_settings.gecko.data_collection_permissions;
  assert.deepEqual(firefox, { required: ['none'] }, 'dist/firefox declares no data collection');
  assert.deepEqual(d.addons_mozilla_org.data_collection_permissions, firefox, 'data-use.json says what the Firefox manifest says');
  const purpose = readFileSync(join(STORE, 'single-purpose.txt'), 'utf8').trim();
  assert.ok(chars(purpose) >= 40, 'single-purpose.txt says something');
});

// The Chrome Web Store takes "24-bit PNG files with no alpha" (store/SOURCES.md): 8 bits a channel, colour
// type 2 (truecolour, no alpha), read from the IHDR chunk.
const noAlpha = (buf) => buf[24] === 8 && buf[25] === 2;

test('picture sizes: screenshots exactly 1280x800, the promo tile exactly 440x280, all 24-bit PNG without alpha', () => {
  const size = (f) => {
    const buf = readFileSync(f);
    assert.ok(noAlpha(buf), `${relative(STORE, f)}: not a 24-bit PNG without alpha (bit depth ${buf[24]}, colour type ${buf[25]})`);
    return imageSize(buf);
  };
  for (const lang of LANGS) {
    for (const p of PICTURES) {
      const file = join(STORE, 'screenshots', lang, `${p}.png`);
      assert.ok(existsSync(file), `${lang}: ${p}.png is missing`);
      const s = size(file);
      assert.deepEqual([s.type, s.width, s.height], ['png', 1280, 800], `${lang}: ${p}.png is ${s.type} ${s.width}x${s.height}`);
    }
  }
  const tile = size(join(STORE, 'promo-440x280.png'));
  assert.deepEqual([tile.type, tile.width, tile.height], ['png', 440, 280], `promo-440x280.png is ${tile.type} ${tile.width}x${tile.height}`);
});

test('the zips in dist/store are byte-identical to the build\'s', () => {
  for (const z of ZIPS) {
    assert.ok(existsSync(join(DIST, z)), `dist/${z} is missing`);
    assert.equal(sha256(join(STORE, z)), sha256(join(DIST, z)), `dist/store/${z} differs from dist/${z}`);
  }
});

test('one version: manifest.json = Cargo.toml = both built manifests; the reviewer notes name it, the tool versions and the checksum', () => {
  const version = json(join(ROOT, 'manifest.json')).version;
  const cargo = /^\[package\][\s\S]*?^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))?.[1];
  assert.equal(version, cargo, 'manifest.json version = Cargo.toml version');
  for (const m of manifests()) assert.equal(m.version, version, 'built manifest version');
  const notes = readFileSync(join(STORE, 'amo-reviewer-notes.md'), 'utf8');
  const channel = /^channel\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'rust-toolchain.toml'), 'utf8'))[1];
  const bindgen = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(readFileSync(join(ROOT, 'Cargo.lock'), 'utf8'))[1];
  const lock = json(join(ROOT, 'package-lock.json')).packages;
  for (const [what, value] of [['version', version], ['rustc', `rustc ${channel}`], ['wasm-bindgen', bindgen],
    ['binaryen', lock['node_modules/binaryen'].version], ['marked', lock['node_modules/marked'].version],
    ['sha256 of the Firefox zip', sha256(join(DIST, 'widerspruch-firefox.zip'))]]) {
    assert.ok(notes.includes(value), `amo-reviewer-notes.md does not name the ${what} ${value}`);
  }
});

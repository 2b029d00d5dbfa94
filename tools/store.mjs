// Writes dist/store/: everything the Chrome Web Store and addons.mozilla.org ask for, from the sources in
// store/ (hand-written), the catalogues in extension/_locales (the name and the Chrome Web Store summary
// are the manifest's extName and extDescription, which that store shows), the privacy policy (PRIVACY.md,
// doc/privacy/) and the build in dist/ (manifests, zips). `./build.sh store` runs it after the build and
// before the pictures (tests/demo/store-pictures.mjs); tests/store/store.test.mjs checks the result.
//
//   node tools/store.mjs
//
// It refuses to write a store folder that would be rejected for a reason it can see: a permission of the
// built manifests without a justification, or a justification for one they lack; a language without its
// listing; a field over a store's limit; a reviewer-notes placeholder it cannot fill.
import { readFileSync, writeFileSync, mkdirSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { policySource } from './privacy_pages.mjs';
import { LANGS } from './languages.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'store');
const BROWSERS = ['chromium', 'firefox'];
const ZIPS = ['widerspruch-chromium.zip', 'widerspruch-firefox.zip', 'widerspruch-source.zip'];
/** Store limits in characters (store/SOURCES.md has where each comes from). */
export const LIMITS = { name: 50, summary_cws: 132, summary_amo: 250, description: 16000 };

const read = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
const json = (...p) => JSON.parse(read(...p));
const withoutComment = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== '$comment'));
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8' }).trim();
function fail(why) {
  console.error(`tools/store.mjs: ${why}`);
  process.exit(1);
}

/** Every permission, host permission, optional one and content-script match a manifest asks for. */
export function asked(manifest) {
  return [
    ...(manifest.permissions ?? []),
    ...(manifest.optional_permissions ?? []),
    ...(manifest.host_permissions ?? []),
    ...(manifest.optional_host_permissions ?? []),
    ...(manifest.content_scripts ?? []).flatMap((c) => c.matches ?? []),
  ];
}

/** The project's public page, from its one place (package.json "homepage"). */
export function homepage() {
  const url = json('package.json').homepage;
  if (!/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(url ?? '')) fail(`package.json "homepage" must be the repository's https://github.com/OWNER/NAME URL, found ${url}`);
  return url;
}

/** Where a language's privacy policy is read on the web (the file in the repository). */
export const privacyUrl = (lang) => `${homepage()}/blob/main/${policySource(lang)}`;

/** One language's listing as dist/store/listing/<lang>.json holds it. */
export function listing(lang) {
  const file = join('store', 'listing', `${lang}.json`);
  if (!existsSync(join(ROOT, file))) fail(`${file} is missing: every language of extension/_locales needs a listing`);
  const src = json(file);
  const cat = json('extension', '_locales', lang, 'messages.json');
  const out = {
    name: cat.extName?.message,
    summary_cws: cat.extDescription?.message,
    summary_amo: src.summary_amo,
    // Plain text (the Chrome Web Store shows no markup); the policy's address closes it, in its language.
    description: src.description && `${src.description}\n\n${cat.privacy_link?.message}: ${privacyUrl(lang)}`,
    privacy_policy_url: privacyUrl(lang),
    homepage_url: homepage(),
  };
  for (const [k, v] of Object.entries(out)) if (typeof v !== 'string' || !v.trim()) fail(`${lang}: "${k}" is missing or empty`);
  for (const [k, max] of Object.entries(LIMITS)) {
    if ([...out[k]].length > max) fail(`${lang}: "${k}" has ${[...out[k]].length} characters, the limit is ${max}`);
  }
  return out;
}

function versions() {
  const toolchain = read('rust-toolchain.toml');
  const channel = /^channel\s*=\s*"([^"]+)"/m.exec(toolchain)?.[1];
  const lock = read('Cargo.lock');
  const wasmBindgen = /\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock)?.[1];
  const installed = run(join(ROOT, '.tools', 'bin', 'wasm-bindgen'), ['--version']).split(' ')[1];
  if (installed !== wasmBindgen) fail(`wasm-bindgen ${installed} is installed but Cargo.lock says ${wasmBindgen}: run ./build.sh`);
  const npmLock = json('package-lock.json').packages;
  const os = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '')?.[1];
  return {
    version: json('manifest.json').version,
    os: `${os ?? run('uname', ['-s'])}, ${run('uname', ['-m'])}`,
    rustc: run('rustc', ['--version']),
    rust_channel: channel,
    wasm_bindgen: wasmBindgen,
    node: process.version,
    npm: run('npm', ['--version']),
    binaryen: npmLock['node_modules/binaryen']?.version,
    wasm_opt: run(join(ROOT, 'node_modules', '.bin', 'wasm-opt'), ['--version']),
    marked: npmLock['node_modules/marked']?.version,
    python: run('python3', ['--version']),
    sha256_firefox: sha256(join(DIST, 'widerspruch-firefox.zip')),
    sha256_chromium: sha256(join(DIST, 'widerspruch-chromium.zip')),
    sha256_source: sha256(join(DIST, 'widerspruch-source.zip')),
  };
}

function reviewerNotes() {
  const values = versions();
  const notes = read('store', 'amo-reviewer-notes.md').replace(/\{\{(\w+)\}\}/g, (m, key) => {
    if (!values[key]) fail(`store/amo-reviewer-notes.md: no value for {{${key}}}`);
    return values[key];
  });
  return notes;
}

function guide(langs) {
  const lines = [
    '# dist/store: what goes where',
    '',
    'Generated by `./build.sh store` (tools/store.mjs); do not edit. The sources are in `store/`, the',
    'catalogues in `extension/_locales/`, the privacy policy in `PRIVACY.md` and `doc/privacy/`.',
    '',
    `**Before submitting:** the listings link to \`${homepage()}\` (package.json "homepage") and its`,
    '`PRIVACY.md` files. Confirm that this repository exists, is public, and has these files on its `main`',
    'branch: a dead privacy policy or homepage link is a rejection.',
    '',
    'Languages: ' + langs.join(', ') + ' (English is the default).',
    '',
    '## Chrome Web Store (developer dashboard), in this order',
    '',
    '1. **Package**: upload `widerspruch-chromium.zip`.',
    '2. **Store listing**, per language (`listing/<lang>.json`): *Description* = `description`. The name and',
    '   the summary are not typed here: the store shows the manifest\'s localised `name` and `description`,',
    '   which are `name` and `summary_cws` (at most 132 characters). Screenshots: `screenshots/<lang>/*.png`',
    '   (1280×800, in the order of their numbers). *Small promo tile*: `promo-440x280.png`.',
    '   *Homepage URL*: `homepage_url`.',
    '3. **Privacy practices**: *Single purpose* = `single-purpose.txt`. *Permission justification*: one',
    '   field per permission, text from `permissions.json` (`storage`, `scripting`); the *host permission*',
    '   justification covers every host pattern in `permissions.json` (paste them together).',
    '   *Remote code*: the answer in `data-use.json` (`chrome_web_store.remote_code`). *Data usage*: tick',
    '   none of the data types (`data_collected`, all false) and tick the three certifications',
    '   (`certifications`). *Privacy policy URL*: `privacy_policy_url` of `listing/en.json`.',
    '',
    '## addons.mozilla.org (developer hub), in this order',
    '',
    '1. **Upload** `widerspruch-firefox.zip` (Firefox; also Firefox for Android, from 142).',
    '2. **Source code**: yes, upload `widerspruch-source.zip` (the WebAssembly is compiled from Rust).',
    '3. **Notes to reviewer**: `amo-reviewer-notes.md` (how to build the identical zip, the tool versions',
    '   and the checksum to compare).',
    '4. **Listing**, per language: *Name* = `name`, *Summary* = `summary_amo` (at most 250 characters),',
    '   *Description* = `description`, *Homepage* = `homepage_url`; screenshots as above.',
    '5. **Privacy policy**: paste `privacy/<lang>.md` (the same text as `privacy_policy_url`).',
    '6. **Data collection**: declared in the manifest (`data_collection_permissions`,',
    '   `{"required": ["none"]}`, also in `data-use.json`); nothing to tick.',
    '',
    '## Files',
    '',
    '| file | what |',
    '|---|---|',
    '| `listing/<lang>.json` | name, summary_cws, summary_amo, description, privacy_policy_url, homepage_url |',
    '| `single-purpose.txt` | the Chrome Web Store\'s single purpose (English) |',
    '| `permissions.json` | a justification for every permission, host and content-script match of both manifests |',
    '| `data-use.json` | the Chrome Web Store\'s privacy practices answers and AMO\'s data collection declaration |',
    '| `amo-reviewer-notes.md` | notes for AMO\'s reviewer, with the exact tool versions and checksums of this build |',
    '| `privacy/<lang>.md` | the privacy policy per language |',
    '| `screenshots/<lang>/1-banner.png` … `5-second-service.png`, `promo-440x280.png` | the pictures, made by the build (tests/demo/store-pictures.mjs) |',
    '| `widerspruch-chromium.zip`, `widerspruch-firefox.zip`, `widerspruch-source.zip` | copies of `dist/*.zip` |',
    '',
  ];
  return lines.join('\n');
}

function main() {
  const manifests = BROWSERS.map((b) => {
    const file = join(DIST, b, 'manifest.json');
    if (!existsSync(file)) fail(`${file} is missing: build first (./build.sh)`);
    return JSON.parse(readFileSync(file, 'utf8'));
  });
  for (const z of ZIPS) if (!existsSync(join(DIST, z))) fail(`dist/${z} is missing: build first (./build.sh)`);

  const justified = withoutComment(json('store', 'permissions.json'));
  const wanted = new Set(manifests.flatMap(asked));
  const missing = [...wanted].filter((p) => !justified[p]?.trim());
  const extra = Object.keys(justified).filter((p) => !wanted.has(p));
  if (missing.length) fail(`store/permissions.json has no justification for ${missing.join(', ')}`);
  if (extra.length) fail(`store/permissions.json justifies ${extra.join(', ')}, which neither built manifest asks for`);

  const dataUse = withoutComment(json('store', 'data-use.json'));
  const declared = manifests[1].browser_specific_settings?.gecko?.data_collection_permissions;
  if (JSON.stringify(declared) !== JSON.stringify(dataUse.addons_mozilla_org?.data_collection_permissions)) {
    fail(`store/data-use.json's data_collection_permissions differ from dist/firefox's ${JSON.stringify(declared)}`);
  }

  const listings = Object.fromEntries(LANGS.map((l) => [l, listing(l)]));
  const notes = reviewerNotes();

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, 'listing'), { recursive: true });
  mkdirSync(join(OUT, 'privacy'), { recursive: true });
  for (const [lang, l] of Object.entries(listings)) {
    writeFileSync(join(OUT, 'listing', `${lang}.json`), JSON.stringify(l, null, 2) + '\n');
    copyFileSync(join(ROOT, policySource(lang)), join(OUT, 'privacy', `${lang}.md`));
  }
  copyFileSync(join(ROOT, 'store', 'single-purpose.txt'), join(OUT, 'single-purpose.txt'));
  writeFileSync(join(OUT, 'permissions.json'), JSON.stringify(justified, null, 2) + '\n');
  writeFileSync(join(OUT, 'data-use.json'), JSON.stringify(dataUse, null, 2) + '\n');
  writeFileSync(join(OUT, 'amo-reviewer-notes.md'), notes);
  for (const z of ZIPS) copyFileSync(join(DIST, z), join(OUT, z));
  writeFileSync(join(OUT, 'README.md'), guide(LANGS));
  console.log(`dist/store: ${LANGS.length} listings, ${Object.keys(justified).length} justifications, reviewer notes, privacy policy, zips`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();

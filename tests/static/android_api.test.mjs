// Firefox for Android (gecko_android strict_min_version, 142) and desktop Firefox (gecko strict_min_version,
// 140) have every WebExtension API and manifest key the built Firefox extension uses, per
// @mdn/browser-compat-data (tools/android_api.mjs; the table is doc/android.md). And the scan fails, naming
// the feature, on copies of dist/firefox that use something they lack. Run after ./build.sh:
//   node --test tests/static/android_api.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, READ_BY_CORE, REVIEWED, NOT_USED_SUBFEATURES, table } from '../../tools/android_api.mjs';
import { built as builtDirs, onPoisonedCopy, append, manifest } from './poison.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist', 'firefox');

const built = () => builtDirs(DIST);
/** check()'s failures on a throw-away copy of dist/firefox changed by `poison`. */
const checkPoisoned = (poison) => onPoisonedCopy(DIST, poison, (dir) => check(dir).failures);

test('Firefox for Android 142 and Firefox 140 support every API and manifest key the built extension uses', () => {
  built();
  const { targets, rows, failures } = check(DIST);
  assert.deepEqual(targets, { firefox_android: 142, firefox: 140 }, 'the versions come from the built manifest');
  assert.deepEqual(failures, []);
  // The scan really saw the calls (a scan that finds nothing passes vacuously): one per kind of root.
  const features = rows.map((r) => `${r.kind}.${r.feature}`);
  for (const f of ['api.runtime.sendMessage', // content/banner.js and popup/popup.js: `api.`
    'api.runtime.onMessage', // background/background.js: `ext.api.`
    'api.scripting.registerContentScripts', 'api.storage.local.get', 'api.action.setBadgeText', // platform/ext.js
    'api.permissions.request', // popup/popup.js
    'api.scripting.RegisteredContentScript.persistAcrossSessions', // an option, by its name
    'manifest.optional_host_permissions', 'manifest.browser_specific_settings.gecko.data_collection_permissions',
    'manifest.background.scripts', 'manifest.permissions.scripting']) {
    assert.ok(features.includes(f), `${f} is among what the scan found: ${features.join(', ')}`);
  }
});

test('doc/android.md records the table as the scan makes it now', () => {
  built();
  const doc = readFileSync(join(ROOT, 'doc', 'android.md'), 'utf8');
  assert.ok(doc.includes(table(DIST)), 'doc/android.md is out of date: paste the output of `node tools/android_api.mjs`');
});

test('what the core reads through serde is the sender struct of src/protocol.rs', () => {
  const src = readFileSync(join(ROOT, 'src', 'protocol.rs'), 'utf8');
  const body = /pub struct Sender \{([^}]*)\}/.exec(src)?.[1] ?? '';
  const fields = [...body.matchAll(/pub (\w+):/g)].map((m) => m[1]);
  assert.deepEqual(fields, READ_BY_CORE.map((f) => f.split('.').at(-1)),
    'src/protocol.rs Sender changed: list its fields in READ_BY_CORE (tools/android_api.mjs) so BCD checks them');
});

test('every reviewed exception still names something the extension uses, with a source', () => {
  built();
  const { rows } = check(DIST);
  const used = new Set(rows.map((r) => `${r.kind}.${r.feature}`));
  for (const [key, why] of Object.entries(REVIEWED)) {
    assert.ok(used.has(key.split(':')[1]), `REVIEWED ${key} is no longer used: remove it`);
    assert.match(why, /https:\/\//, `REVIEWED ${key} cites no source`);
  }
  for (const f of Object.keys(NOT_USED_SUBFEATURES)) assert.ok(!used.has(`api.${f}`), f);
});

test('a call Firefox for Android lacks fails, naming it (sidePanel, windows, tabs.hide)', () => {
  built();
  const f = checkPoisoned(append('platform/ext.js', 'api.sidePanel.open({});\n'));
  assert.ok(f.some((x) => /API sidePanel\.open .*platform\/ext\.js:\d+.*firefox_android 142: not supported/.test(x)), f.join('\n'));
  const w = checkPoisoned(append('background/background.js', 'ext.api.windows.create({ url: "popup/popup.html" });'));
  assert.ok(w.some((x) => /API windows(\.create)? .*firefox_android 142: not supported/.test(x)), w.join('\n'));
  const p = checkPoisoned(append('popup/popup.js', 'browser.tabs.hide(1);'));
  assert.ok(p.some((x) => /API tabs\.hide .*firefox_android 142: not supported/.test(x)), p.join('\n'));
});

test('a call newer than the minimum version fails (storage.local.getKeys: 143 > 142)', () => {
  built();
  const f = checkPoisoned(append('platform/ext.js', 'api.storage.local.getKeys();'));
  assert.ok(f.some((x) => /API storage\.local\.getKeys .*firefox_android 142: added in 143/.test(x)), f.join('\n'));
  assert.ok(f.some((x) => /API storage\.local\.getKeys .*firefox 140: added in 143/.test(x)), f.join('\n'));
});

test('an option newer than the minimum version fails by its name (RegisteredContentScript.cssOrigin: 144)', () => {
  built();
  const f = checkPoisoned((dir) => {
    const p = join(dir, 'platform', 'ext.js');
    writeFileSync(p, readFileSync(p, 'utf8').replace('persistAcrossSessions: true,', 'persistAcrossSessions: true, cssOrigin: "user",'));
  });
  assert.ok(f.some((x) => /scripting\.RegisteredContentScript\.cssOrigin .*added in 144/.test(x)), f.join('\n'));
});

test('a call unknown to BCD fails, and so does a way to the namespace the scan cannot follow', () => {
  built();
  const u = checkPoisoned(append('popup/popup.js', 'api.runtime.openSidebarSomehow();'));
  assert.ok(u.some((x) => /API runtime\.openSidebarSomehow .*unknown to BCD/.test(x)), u.join('\n'));
  const alias = checkPoisoned(append('content/banner.js', 'const b = globalThis.browser; b.tabs.hide(1);'));
  assert.ok(alias.some((x) => /content\/banner\.js:\d+: globalThis\.browser outside/.test(x)), alias.join('\n'));
  const whole = checkPoisoned(append('popup/popup.js', 'const { tabs } = api;'));
  assert.ok(whole.some((x) => /popup\/popup\.js:\d+: the extension namespace `api` is passed on whole/.test(x)), whole.join('\n'));
  const bare = checkPoisoned(append('background/background.js', 'const b = chrome;'));
  assert.ok(bare.some((x) => /background\/background\.js:\d+: `chrome` used other than/.test(x)), bare.join('\n'));
});

test('a manifest key Firefox for Android lacks, or one unknown to BCD, fails', () => {
  built();
  const f = checkPoisoned(manifest((m) => { m.sidebar_action = { default_panel: 'popup/popup.html' }; }));
  assert.ok(f.some((x) => /manifest key sidebar_action .*firefox_android 142: not supported/.test(x)), f.join('\n'));
  const u = checkPoisoned(manifest((m) => { m.action.default_size = 'large'; }));
  assert.ok(u.some((x) => /manifest key action\.default_size: unknown to BCD/.test(x)), u.join('\n'));
  const perm = checkPoisoned(manifest((m) => { m.permissions.push('sidePanel'); }));
  assert.ok(perm.some((x) => /manifest key permissions\.sidePanel .*not supported/.test(x)), perm.join('\n'));
  const old = checkPoisoned(manifest((m) => { m.browser_specific_settings.gecko_android.strict_min_version = '120.0'; }));
  assert.ok(old.some((x) => /data_collection_permissions .*firefox_android 120: added in 142/.test(x)), old.join('\n'));
});

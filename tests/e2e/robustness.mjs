// Robustness of the built extension against what the normal scenarios never do, in BOTH browsers (suite.mjs
// registers this list for each, like scenarios.mjs):
//   1. a hostile Facebook page (spoofed messages, untrusted clicks/keys through the closed shadow root,
//      which the test hands it, removal, re-parenting and restyling of <widerspruch-banner>, the form's "received" wording in the page);
//   2. concurrent writes (two tabs clicking "Already done" at once; popup + banner at once);
//   3. the background stopped while a click's message is in flight, and between a page load and its banner;
//   4. the extension reloaded (an update) while a Facebook tab is open;
//   5. another extension trying to message ours;
//   6. a background that refuses every message (a copy of the build with its core cut off).
// Pages the replica lacks (the hostile feed) come from tests/e2e/robustness/server.mjs, the suite's server.
// E2E_RACE_ROUNDS: rounds of test 2 (default 5).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extensionDirOf, until, eventually, FOREIGN_ADDON_ID } from './driver.mjs';
import { observe } from './scenarios.mjs';

const FB = 'https://www.facebook.com/';
const IG = 'https://www.instagram.com/';
const HOSTILE = 'https://www.facebook.com/?robust=hostile';
const KEY = { facebook: 'progress/facebook/main', instagram: 'progress/instagram/main' };
const show = (x) => JSON.stringify(x);

/** Stored status of a platform (main account group); a missing key is "not_started". */
const statusOf = (storage, p) => storage[KEY[p]]?.status ?? 'not_started';
const PROTECTED = new Set(['submitted', 'confirmed']);
/** The badge the stored progress calls for (main group only; these tests never add groups). */
function expectedBadge(storage) {
  const open = ['facebook', 'instagram'].filter((p) => !PROTECTED.has(statusOf(storage, p))).length;
  return open === 0 ? '\u2713' : String(open);
}

/** {storage, badge}, re-read until pred holds (throws `what` at the deadline). */
function settle(driver, pred, what, timeout = 6000) {
  return until(async () => ({ storage: await driver.storage(), badge: await driver.badge() }), pred, { timeout, what });
}

// Back to "not started" between rounds: through the popup's Reset where the popup offers it (form opened,
// submitted, confirmed); a snoozed "not started" has no Reset button, so that key is removed directly.
async function resetBoth(driver) {
  const s = await driver.storage();
  for (const p of ['facebook', 'instagram']) if (statusOf(s, p) !== 'not_started') await driver.clickPopup(p, 'reset');
  const mid = await driver.storage();
  const snoozed = Object.values(KEY).filter((k) => mid[k]?.snoozed_until);
  if (snoozed.length) await driver.removeStorage(snoozed);
  await settle(driver, (x) => !x.storage[KEY.facebook]?.snoozed_until && !x.storage[KEY.instagram]?.snoozed_until &&
    statusOf(x.storage, 'facebook') === 'not_started' && statusOf(x.storage, 'instagram') === 'not_started' && x.badge === '2',
  'both platforms back to not_started, badge 2');
}

const hostileDone = () => document.documentElement.dataset.hostileDone ?? null;

export const robustness = [
  {
    name: '1. hostile Facebook page: spoofed messages, untrusted presses, removal, restyle',
    timeout: 120_000,
    async run(driver) {
      await driver.launch();
      const errorMark = await driver.errorMark();
      await driver.open(HOSTILE);
      const b0 = await driver.banner({ timeout: 6000 });
      assert.equal(b0.count, 1, `the hostile feed shows one banner: ${show(b0)}`);
      assert.equal(b0.platform, 'facebook');
      // The root is closed; the page gets it anyway (as if it had found a way), for the untrusted presses.
      assert.equal(await driver.leakPanelRoot(), true, 'the panel root handed to the hostile page');
      // The page script runs its attacks (twice) once the banner is there.
      const done = await eventually(() => driver.inPage(hostileDone), Boolean, { timeout: 10000 });
      const log = await driver.inPage(() => window.hostileLog);
      assert.ok(done, `the hostile page script finished its attacks: ${show(log)}`);
      const pressed = log.filter((e) => e.what === 'pressed');
      assert.equal(pressed.length, 2, `two rounds of untrusted presses: ${show(log)}`);
      assert.match(pressed[0].detail, /already_done/);
      assert.match(pressed[0].detail, /not_now/);
      assert.ok(log.some((e) => e.what === 'spoofed-messages'));
      await observe(700, 'anything those attacks sent would reach the background here');

      // Nothing the page did counted as a click: the banner is still up (a click hides it) ...
      const b1 = await driver.banner();
      assert.equal(b1.count, 1, `banner still there after the untrusted presses: ${show(b1)}`);
      assert.equal(b1.visible, true, `and visible: ${show(b1)}`);

      // ... and removing the element does not get rid of it: the content script puts it back.
      assert.equal(await driver.inPage(() => window.hostile.removeBanner()), 1);
      const b2 = await driver.waitPanel((p) => p.kind === 'banner' && p.visible, 'the banner re-attached after the page removed it');
      assert.equal(b2.count, 1, `re-attached once: ${show(b2)}`);
      assert.equal(b2.parent, 'html');
      // A page that removes it again every time it comes back: it keeps coming back (the page gives up after 20).
      const fights = await driver.inPage(() => window.hostile.fightBanner(20));
      const b3 = await driver.waitPanel((p) => p.kind === 'banner' && p.visible, `the banner back after ${fights} removals`);
      assert.equal(b3.count, 1, `still re-attached after ${fights} removals: ${show(b3)}`);
      assert.equal(b3.parent, 'html');

      // Re-parenting into <body> and restyling: documented, not defended (the element stays in the page's
      // DOM and the page's CSS wins over :host). Only "never two banners" is asserted.
      await driver.watchBanners();
      await driver.inPage(() => window.hostile.reparentToBody());
      await observe(300, 'a second banner would be inserted here');
      assert.ok((await driver.maxBanners()) <= 1, `never two banners after re-parenting: ${await driver.maxBanners()}`);
      await driver.inPage(() => window.hostile.restyle());
      await observe(300, 'a second banner would be inserted here');
      assert.ok((await driver.maxBanners()) <= 1, 'never two banners after restyling');

      // State: nothing changed. No progress key at all, popup 2 × not_started, badge 2.
      const st = await driver.storage();
      for (const k of Object.keys(st)) assert.ok(!k.startsWith('progress/'), `no progress was written: ${show(st)}`);
      assert.deepEqual(await driver.popup(), { facebook: 'not_started', instagram: 'not_started' });
      assert.equal(await driver.badge(), '2');
      // Whatever the page does, our content scripts throw nothing (a throw there is a panel that broke).
      assert.deepEqual(await driver.errorsSince(errorMark), [], 'no script error in the hostile page, our content scripts included');
    },
  },
  {
    name: '2. no lost updates: Facebook and Instagram tabs click "Already done" at once; popup + banner at once',
    timeout: 240_000,
    async run(driver) {
      await driver.launch();
      const ig = await driver.newTab();
      const rounds = Number(process.env.E2E_RACE_ROUNDS || 5);
      for (let round = 1; round <= rounds; round++) {
        await driver.open(FB);
        await driver.inTab(ig, (u) => { location.href = u; return true; }, IG);
        await driver.banner();
        await driver.clickTogether([{ tab: 'test', panel: 'already_done' }, { tab: ig, panel: 'already_done' }]);
        const s = await settle(driver, (x) => statusOf(x.storage, 'facebook') === 'submitted' &&
          statusOf(x.storage, 'instagram') === 'submitted' && x.badge === '\u2713', `round ${round}: both submitted, badge ✓`);
        assert.equal(s.badge, '\u2713', `round ${round}: badge: ${show(s)}`);
        assert.deepEqual(await driver.popup(), { facebook: 'submitted', instagram: 'submitted' }, `round ${round}: popup`);
        await resetBoth(driver);
      }
      await driver.closeTab(ig);

      // The popup marks Instagram submitted while the Facebook tab clicks "Not now", at once.
      for (let round = 1; round <= 3; round++) {
        await driver.open(FB);
        await driver.banner();
        const pp = await driver.openPopupTab();
        await driver.clickTogether([{ tab: 'test', panel: 'not_now' },
          { tab: pp, page: '#checklist li[data-platform=instagram] [data-action=mark_submitted]' }]);
        const s = await settle(driver, (x) => statusOf(x.storage, 'instagram') === 'submitted' &&
          x.storage[KEY.facebook]?.snoozed_until > Date.now() && x.badge === '1', `popup+banner round ${round}: both changes kept`);
        assert.equal(statusOf(s.storage, 'facebook'), 'not_started', `popup+banner round ${round}: ${show(s)}`);
        await driver.closeTab(pp);
        await resetBoth(driver);
      }
    },
  },
  {
    name: '3. background stopped while a click\'s message is in flight, and between a page load and its banner',
    timeout: 240_000,
    async run(driver) {
      await driver.launch();
      const errorMark = await driver.errorMark();
      const outcomes = [];
      // (a) Click "Already done" and stop the background 0..20 ms after the click went out.
      for (const delay of [0, 0, 1, 2, 3, 5, 8, 12, 20]) {
        await driver.open(FB);
        await driver.banner();
        await driver.clickPanelThenStop('already_done', delay);
        // Either the change happened or it did not; the badge (refreshed by every background start) matches.
        const snap = await settle(driver, (x) => x.badge === expectedBadge(x.storage), `delay ${delay}: badge matches storage`);
        const fbStatus = statusOf(snap.storage, 'facebook');
        outcomes.push({ delay, facebook: fbStatus, badge: snap.badge });
        assert.ok(['not_started', 'submitted'].includes(fbStatus), `delay ${delay}: ${show(snap)}`);
        assert.equal(statusOf(snap.storage, 'instagram'), 'not_started');
        // Next load with the background asleep: the page's message wakes it and the banner follows the state.
        await driver.stopBackground();
        await driver.open(fbStatus === 'submitted' ? IG : FB);
        const b = await driver.banner({ timeout: 6000 });
        assert.equal(b.count, 1, `delay ${delay}: banner on the next load (background asleep): ${show(b)}`);
        assert.equal(b.platform, fbStatus === 'submitted' ? 'instagram' : 'facebook');
        if (fbStatus === 'submitted') {
          await driver.open(FB);
          const none = await driver.banner({ timeout: 2500 });
          assert.equal(none.count, 0, `delay ${delay}: submitted Facebook shows no banner: ${show(none)}`);
          await resetBoth(driver);
        }
      }
      // (b) Stop the background between a page load and its banner.
      const interrupted = [];
      for (const delay of [0, 5, 15, 30, 60]) {
        await driver.badge(); // background running before the load
        await driver.open(FB, { wait: false });
        if (delay) await observe(delay, 'the timing under test: the stop follows the navigation by this much');
        await driver.stopBackground();
        await driver.waitLoaded();
        const b = await driver.banner({ timeout: 4000 });
        interrupted.push({ delay, bannerOnThatLoad: b.count });
        assert.ok(b.count <= 1, `never two banners: ${show(b)}`);
        const snap = await settle(driver, (x) => x.badge === expectedBadge(x.storage), 'badge matches storage');
        assert.equal(statusOf(snap.storage, 'facebook'), 'not_started', `a page load changes nothing: ${show(snap)}`);
        assert.equal(snap.badge, '2', `badge after the interrupted load: ${show(snap)}`);
        await driver.open(FB);
        const next = await driver.banner({ timeout: 6000 });
        assert.equal(next.count, 1, `delay ${delay}: the banner is back on the next load: ${show(next)}`);
      }
      console.log(`# stopped background (${driver.name}): clicks ${show(outcomes)}; loads ${show(interrupted)}`);
      // A dropped answer is asked again or given up quietly: never an uncaught error in the page.
      assert.deepEqual(await driver.errorsSince(errorMark), [], 'no script error in the pages while the background stopped');
    },
  },
  {
    name: '4. extension reloaded (update) with a Facebook tab open: quiet orphan, one working banner after reload',
    timeout: 90_000,
    async run(driver) {
      await driver.launch();
      await driver.open(FB);
      const b0 = await driver.banner();
      assert.equal(b0.count, 1, `banner before the update: ${show(b0)}`);
      await driver.watchBanners();
      const errorMark = await driver.errorMark();

      await driver.reloadExtension();
      await driver.waitBadge('2', 'from the new background after the update', { timeout: 10000 });
      const orphanBanner = await driver.panel({ timeout: 0 });

      // A client-side navigation. Chromium leaves the old content script running, orphaned: it must notice
      // and take its banner away. Firefox injects the new content script into open tabs on an update and the
      // old one's code is gone, so a banner may be there: then it must be the new, working one (measured on
      // 153 ESR: the old host is replaced). Either way: never two, no errors, and no dead banner.
      await driver.clientNavigate('/friends');
      const afterNav = await eventually(() => driver.panel({ timeout: 0 }), (p) => p.count === 0, { timeout: 3000 });
      const newErrors = await driver.errorsSince(errorMark);
      console.log(`# reload (${driver.name}): banner right after the update ${show(orphanBanner.count)}; after client navigation ` +
        `${show(afterNav.count)}; errors ${show(newErrors)}`);
      assert.deepEqual(newErrors, [], 'no uncaught errors or console errors in the tab through the update and navigation');
      assert.ok((await driver.maxBanners()) <= 1, `never two banners (max ${await driver.maxBanners()})`);
      if (afterNav.count > 0) {
        assert.equal(afterNav.count, 1, `one banner after the update: ${show(afterNav)}`);
        await driver.clickPanel('not_now');
        await driver.waitStorage((s) => s[KEY.facebook]?.snoozed_until > Date.now(),
          'a click on the banner left after the update to be recorded (an orphan\'s banner would be dead)');
        await driver.removeStorage([KEY.facebook]);
      }

      // A full reload: the new content script shows exactly one banner, and it works.
      await driver.reload();
      await driver.watchBanners();
      const b1 = await driver.banner();
      assert.equal(b1.count, 1, `exactly one banner after the tab reload: ${show(b1)}`);
      assert.equal(b1.platform, 'facebook');
      await driver.clickPanel('not_now');
      const st = await driver.waitStorage((s) => s[KEY.facebook]?.snoozed_until > Date.now(), '"Not now" stored');
      assert.ok(st[KEY.facebook].snoozed_until > Date.now());
      assert.ok((await driver.maxBanners()) <= 1, 'never two banners after the reload');
      await driver.reload();
      const none = await driver.banner({ timeout: 3000 });
      assert.equal(none.count, 0, `"Not now" persists across a reload: ${show(none)}`);
      assert.deepEqual(await driver.errorsSince(errorMark), [], 'no errors in the tab after the update');
    },
  },
  {
    name: '5. another extension cannot message ours',
    timeout: 60_000,
    async run(driver) {
      const foreign = fs.mkdtempSync(path.join(os.tmpdir(), 'wsp-foreign-ext-'));
      fs.writeFileSync(path.join(foreign, 'manifest.json'), JSON.stringify({
        manifest_version: 3, name: 'foreign test extension', version: '1.0',
        browser_specific_settings: { gecko: { id: FOREIGN_ADDON_ID } },
      }));
      fs.writeFileSync(path.join(foreign, 'probe.html'), '<!doctype html><meta charset="utf-8"><title>probe</title><script src="probe.js"></script>');
      fs.writeFileSync(path.join(foreign, 'probe.js'), `
        const api = globalThis.browser ?? globalThis.chrome;
        self.probe = async (target) => {
          const out = {};
          for (const [name, msg] of [
            ['get_checklist', { type: 'get_checklist' }],
            ['mark_submitted', { type: 'checklist_clicked', group: 'main', platform: 'facebook', action: 'mark_submitted' }],
            ['panel_clicked', { type: 'panel_clicked', action: 'already_done' }],
          ]) {
            try { out[name] = { answer: (await api.runtime.sendMessage(target, msg)) ?? null }; }
            catch (e) { out[name] = { error: String(e && e.message || e) }; }
          }
          out.connect = await new Promise((resolve) => {
            try {
              const port = api.runtime.connect(target);
              port.onMessage.addListener((m) => resolve({ message: m }));
              port.onDisconnect.addListener((p) => resolve({ disconnected: String((p && p.error && p.error.message) || api.runtime.lastError?.message || '') }));
              port.postMessage({ type: 'get_checklist' });
              setTimeout(() => resolve({ noAnswer: true }), 3000);
            } catch (e) { resolve({ error: String(e && e.message || e) }); }
          });
          return out;
        };`);
      try {
        await driver.launch({ alsoInstall: [foreign] });
        // Ours is awake (so a failure is not just a sleeping background).
        await driver.waitBadge('2', 'our background is up and has painted its badge');
        const r = await driver.otherExtensionEval(foreign, (t) => self.probe(t), driver.extensionId);
        console.log(`# foreign extension (${driver.name}): ${show(r)}`);
        for (const k of ['get_checklist', 'mark_submitted', 'panel_clicked']) {
          assert.ok(r[k].error, `${k}: sendMessage from another extension must fail: ${show(r[k])}`);
          assert.match(r[k].error, /Receiving end does not exist|Could not establish connection/);
        }
        assert.ok(!r.connect.message, `connect() must not be answered: ${show(r.connect)}`);
        const st = await driver.storage();
        for (const k of Object.keys(st)) assert.ok(!k.startsWith('progress/'), `nothing written: ${show(st)}`);
        assert.equal(await driver.badge(), '2');
      } finally {
        fs.rmSync(foreign, { recursive: true, force: true });
      }
    },
  },
  {
    name: '6. a background that refuses every message: the popup says so in words, the feed shows nothing and throws nothing',
    timeout: 60_000,
    async run(driver) {
      // A copy of the build whose core answers every message with a refusal (the wire shape of a failed
      // decode, a storage error, or a core that cannot load).
      const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'wsp-refusing-ext-'));
      fs.cpSync(extensionDirOf(driver.name), broken, { recursive: true });
      const bg = path.join(broken, 'background', 'background.js');
      const src = fs.readFileSync(bg, 'utf8');
      const call = 'wasm_bindgen.handle_message(msg, sender)';
      assert.ok(src.includes(call), 'background.js still hands messages to the core like this');
      fs.writeFileSync(bg, src.replace(call, "Promise.reject(new Error('the core refused (test)'))"));
      const en = JSON.parse(fs.readFileSync(path.join(broken, '_locales', 'en', 'messages.json'), 'utf8'));
      try {
        await driver.launch({ extensionDir: broken });
        const shown = await driver.inPopup(() => ({ summary: document.getElementById('summary').textContent,
          checklist: !!document.getElementById('checklist'), role: document.getElementById('summary').getAttribute('role') }));
        assert.deepEqual(shown, { summary: en.popup_error.message, checklist: false, role: 'status' },
          'the popup explains, announced as a status, and shows no checklist it does not have');
        const errorMark = await driver.errorMark();
        await driver.open(FB);
        const b = await driver.banner({ timeout: 2500 });
        assert.equal(b.count, 0, `no banner without an answer: ${show(b)}`);
        assert.deepEqual(await driver.errorsSince(errorMark), [], 'nothing thrown in the page');
      } finally {
        fs.rmSync(broken, { recursive: true, force: true });
      }
    },
  },
];

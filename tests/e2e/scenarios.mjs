// The end-to-end scenarios: ONE list, run against Chromium (chromium.test.mjs) and Firefox
// (firefox.test.mjs). Scenarios talk only to the driver interface of README.md and node:assert.
//
// Conventions every runner and driver relies on:
// - Each scenario begins with `await driver.launch()` (a fresh profile); the runner calls
//   `driver.close()` afterwards, pass or fail. Persistence is tested with `driver.restart()`.
// - `ctx` is `{replica}`: the object `startReplica()` returned (tests/replica/server.mjs), already
//   listening and reachable under the real host names. `ctx.replica` may be absent; the scenarios that
//   look at the server's request log then skip that part. `ctx.ignoreRequest(entry)` (optional) drops
//   the browser's OWN background traffic from that log (Chromium calls Google services even with
//   --disable-background-networking); it must never match what an extension could plausibly send.
// - `driver.banner()` must WAIT: it returns as soon as a banner is present, or `{count: 0}` after a
//   few seconds without one. "No banner" results are only believed because each such scenario first
//   sees a banner on a real feed in the same browser (a positive control).
// - `banner()` may add `visible: boolean`; when present, a banner that is in the DOM but not visible
//   counts as hidden.

import assert from 'node:assert/strict';
import { isPageAsset, unexplainedRequests } from '../replica/server.mjs';

export const FORM = {
  facebook: 'https://www.facebook.com/help/contact/712876720715583',
  facebookOld: 'https://www.facebook.com/help/contact/6359191084165019',
  instagram: 'https://help.instagram.com/contact/767264225370182',
};

const FACEBOOK_FEEDS = ['https://www.facebook.com/', 'https://de-de.facebook.com/', 'https://m.facebook.com/',
  'https://web.facebook.com/', 'https://facebook.com/'];
const INSTAGRAM_FEEDS = ['https://www.instagram.com/', 'https://instagram.com/'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const show = (x) => JSON.stringify(x);

/** Calls `fn` until `pred(value)` holds or `timeout` ms pass; returns the last value (callers assert). */
async function eventually(fn, pred, { timeout = 8000, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (pred(value) || Date.now() >= deadline) return value;
    await sleep(interval);
  }
}

const isHidden = (b) => b.count === 0 || b.visible === false;
const isCalm = (b) => isHidden(b) || b.urging === false; // no banner, or one that no longer urges

function normalise(href) {
  const u = new URL(href);
  return `${u.protocol}//${u.hostname}${u.pathname.replace(/\/$/, '')}`;
}

/** The banner's link must point at the platform's CURRENT (2025) objection form over https. */
function assertFormLink(href, platform, where) {
  assert.ok(href, `${where}: the banner has a form link`);
  const u = new URL(href);
  assert.equal(u.protocol, 'https:', `${where}: form link is https (${href})`);
  if (platform === 'facebook') {
    assert.ok(u.hostname === 'facebook.com' || u.hostname.endsWith('.facebook.com'),
      `${where}: form link stays on facebook.com (${href})`);
    assert.equal(u.pathname.replace(/\/$/, ''), '/help/contact/712876720715583',
      `${where}: form link is the 2025 Facebook form (${href})`);
  } else {
    assert.equal(normalise(href), FORM.instagram, `${where}: form link is the 2025 Instagram form (${href})`);
  }
}

async function expectBanner(driver, url, platform, { urging = true } = {}) {
  await driver.open(url);
  const b = await driver.banner();
  assert.equal(b.count, 1, `${url}: exactly one banner (got ${show(b)})`);
  if (b.visible !== undefined) assert.equal(b.visible, true, `${url}: the banner is visible (got ${show(b)})`);
  assert.equal(b.platform, platform, `${url}: data-platform (got ${show(b)})`);
  assert.equal(b.urging, urging, `${url}: data-urging=${urging} (got ${show(b)})`);
  assertFormLink(b.href, platform, url);
  return b;
}

async function expectNoBanner(driver, url, why) {
  await driver.open(url);
  const b = await driver.banner();
  assert.ok(isHidden(b), `${url}: no banner expected (${why}); got ${show(b)}`);
}

async function expectBadge(driver, want, when) {
  const got = await eventually(() => driver.badge(), (t) => t === want, { timeout: 5000 });
  assert.equal(got, want, `badge ${when}`);
}

async function expectPopup(driver, want, when) {
  const got = await eventually(() => driver.popup(),
    (s) => Object.entries(want).every(([k, v]) => s[k] === v), { timeout: 5000 });
  for (const [platform, state] of Object.entries(want)) {
    assert.equal(got[platform], state, `popup ${platform} ${when} (popup says ${show(got)})`);
  }
  return got;
}

export const scenarios = [
  {
    name: 'banner on Facebook hosts (www, de-de, m, web, bare) links to the current Facebook form',
    async run(driver) {
      await driver.launch();
      for (const url of FACEBOOK_FEEDS) await expectBanner(driver, url, 'facebook');
      // Also on a profile page, not only the feed root.
      await expectBanner(driver, 'https://www.facebook.com/some.user', 'facebook');
    },
  },
  {
    name: 'banner on Instagram (www, bare) links to the current Instagram form',
    async run(driver) {
      await driver.launch();
      for (const url of INSTAGRAM_FEEDS) await expectBanner(driver, url, 'instagram');
      await expectBanner(driver, 'https://www.instagram.com/some.user/', 'instagram');
    },
  },
  {
    name: 'no banner on example.org, on look-alike hosts, or on the form pages themselves',
    async run(driver) {
      await driver.launch();
      // Positive control: the content script works in this browser, so "no banner" below means something.
      await expectBanner(driver, 'https://www.facebook.com/', 'facebook');
      await expectNoBanner(driver, 'https://example.org/', 'unrelated site');
      await expectNoBanner(driver, 'https://facebook.com.example.org/', 'look-alike host, not Meta');
      await expectNoBanner(driver, 'https://instagram.com.example.org/', 'look-alike host, not Meta');
      await expectNoBanner(driver, FORM.facebook, 'the Facebook form itself');
      await expectNoBanner(driver, FORM.facebookOld, 'the 2024 Facebook form');
      await expectNoBanner(driver, FORM.instagram, 'the Instagram form itself');
    },
  },
  {
    name: 'popup: marking submitted stops the urging and counts the badge down (2 → 1 → ✓)',
    async run(driver) {
      await driver.launch();
      await expectBadge(driver, '2', 'on a fresh profile (two platforms open)');
      await expectPopup(driver, { facebook: 'not_started', instagram: 'not_started' }, 'on a fresh profile');
      await expectBanner(driver, 'https://www.facebook.com/', 'facebook', { urging: true });

      await driver.clickPopup('facebook', 'mark_submitted');
      await expectPopup(driver, { facebook: 'submitted', instagram: 'not_started' }, 'after facebook mark_submitted');
      await expectBadge(driver, '1', 'after facebook is submitted');
      await driver.open('https://www.facebook.com/');
      const fb = await driver.banner();
      assert.ok(isCalm(fb), `facebook banner must stop urging once submitted; got ${show(fb)}`);
      // Control: the other platform still urges.
      await expectBanner(driver, 'https://www.instagram.com/', 'instagram', { urging: true });

      await driver.clickPopup('instagram', 'mark_submitted');
      await expectPopup(driver, { facebook: 'submitted', instagram: 'submitted' }, 'after both submitted');
      await expectBadge(driver, '✓', 'once no platform is open');
      await driver.clickPopup('facebook', 'mark_confirmed');
      await driver.clickPopup('instagram', 'mark_confirmed');
      await expectPopup(driver, { facebook: 'confirmed', instagram: 'confirmed' }, 'after both confirmed');
      await expectBadge(driver, '✓', 'after both confirmed');
      await driver.open('https://www.instagram.com/');
      const ig = await driver.banner();
      assert.ok(isCalm(ig), `instagram banner must stop urging once confirmed; got ${show(ig)}`);

      // Reset brings a platform back: badge counts it again and its banner urges again.
      await driver.clickPopup('instagram', 'reset');
      await expectPopup(driver, { facebook: 'confirmed', instagram: 'not_started' }, 'after instagram reset');
      await expectBadge(driver, '1', 'after instagram reset');
      await expectBanner(driver, 'https://www.instagram.com/', 'instagram', { urging: true });
    },
  },
  {
    name: '"Not now" hides the banner, and it stays hidden on reload (without counting as done)',
    async run(driver) {
      await driver.launch();
      await expectBanner(driver, 'https://www.facebook.com/', 'facebook');
      await driver.clickBanner('not_now');
      const after = await eventually(() => driver.banner(), isHidden, { timeout: 6000 });
      assert.ok(isHidden(after), `banner hidden after "Not now"; got ${show(after)}`);
      await expectNoBanner(driver, 'https://www.facebook.com/', 'snoozed with "Not now", after reload');
      await expectNoBanner(driver, 'https://de-de.facebook.com/', 'snoozed with "Not now", other Facebook host');
      // Snoozing is not doing: progress and badge are unchanged.
      await expectPopup(driver, { facebook: 'not_started', instagram: 'not_started' }, 'after "Not now"');
      await expectBadge(driver, '2', 'after "Not now" (nothing was submitted)');
      // Per platform: Instagram still shows its banner.
      await expectBanner(driver, 'https://www.instagram.com/', 'instagram');
    },
  },
  {
    name: '"Already done" hides the banner, stays hidden on reload, and counts as submitted',
    async run(driver) {
      await driver.launch();
      await expectBanner(driver, 'https://www.instagram.com/', 'instagram');
      await driver.clickBanner('already_done');
      const after = await eventually(() => driver.banner(), isCalm, { timeout: 6000 });
      assert.ok(isCalm(after), `banner gone or calm after "Already done"; got ${show(after)}`);
      await driver.open('https://www.instagram.com/');
      const reloaded = await driver.banner();
      assert.ok(isCalm(reloaded), `no urging banner after reload; got ${show(reloaded)}`);
      const popup = await driver.popup();
      assert.ok(['submitted', 'confirmed'].includes(popup.instagram),
        `"Already done" records instagram as submitted; popup says ${show(popup)}`);
      assert.equal(popup.facebook, 'not_started', `facebook untouched; popup says ${show(popup)}`);
      await expectBadge(driver, '1', 'after "Already done" on instagram');
      await expectBanner(driver, 'https://www.facebook.com/', 'facebook', { urging: true });
    },
  },
  {
    name: 'opening the form page marks the platform form_opened',
    async run(driver) {
      await driver.launch();
      await expectPopup(driver, { facebook: 'not_started', instagram: 'not_started' }, 'on a fresh profile');
      // Facebook: the test opens the form directly.
      await driver.open(FORM.facebook);
      await expectPopup(driver, { facebook: 'form_opened', instagram: 'not_started' }, 'after opening the Facebook form');
      // Instagram: through the banner's own link (a real link that reaches the form).
      await expectBanner(driver, 'https://www.instagram.com/', 'instagram');
      await driver.clickBanner('form-link');
      await expectPopup(driver, { facebook: 'form_opened', instagram: 'form_opened' }, 'after following the Instagram banner link');
      // Opening the form is not submitting: both still count, and the banner still urges.
      await expectBadge(driver, '2', 'after opening both forms (nothing submitted)');
      await expectBanner(driver, 'https://www.facebook.com/', 'facebook', { urging: true });
    },
  },
  {
    name: 'state survives a browser restart with the same profile',
    async run(driver) {
      await driver.launch();
      await driver.clickPopup('facebook', 'mark_submitted');
      await expectBanner(driver, 'https://www.instagram.com/', 'instagram');
      await driver.clickBanner('not_now');
      await expectPopup(driver, { facebook: 'submitted', instagram: 'not_started' }, 'before restart');
      await expectBadge(driver, '1', 'before restart');

      await driver.restart();
      await expectPopup(driver, { facebook: 'submitted', instagram: 'not_started' }, 'after restart');
      await expectBadge(driver, '1', 'after restart');
      await driver.open('https://www.facebook.com/');
      const fb = await driver.banner();
      assert.ok(isCalm(fb), `facebook (submitted) does not urge after restart; got ${show(fb)}`);
      await expectNoBanner(driver, 'https://www.instagram.com/', 'instagram snoozed before the restart');
    },
  },
  {
    name: 'state and badge survive a stopped service worker',
    async run(driver) {
      await driver.launch();
      await driver.clickPopup('facebook', 'mark_submitted');
      await expectBadge(driver, '1', 'before stopping the worker');

      await driver.stopWorker();
      await expectPopup(driver, { facebook: 'submitted', instagram: 'not_started' }, 'after the worker was stopped');
      await expectBadge(driver, '1', 'after the worker was stopped');

      // With the worker asleep, a page visit must still get a correct banner, and a banner click must
      // still be recorded and reach the badge.
      await driver.stopWorker();
      await expectBanner(driver, 'https://www.instagram.com/', 'instagram', { urging: true });
      await driver.open('https://www.facebook.com/');
      const fb = await driver.banner();
      assert.ok(isCalm(fb), `facebook (submitted) does not urge after a worker stop; got ${show(fb)}`);
      await driver.stopWorker();
      await driver.open('https://www.instagram.com/');
      await driver.banner();
      await driver.clickBanner('already_done');
      await expectPopup(driver, { facebook: 'submitted', instagram: 'submitted' }, 'after "Already done" with the worker asleep');
      await driver.stopWorker();
      await expectBadge(driver, '✓', 'after both submitted and another worker stop');
    },
  },
  {
    name: '20 client-side navigations leave exactly one banner (Facebook and Instagram)',
    async run(driver) {
      await driver.launch();
      const routes = {
        facebook: ['/friends', '/watch', '/marketplace', '/groups/feed', '/some.user', '/'],
        instagram: ['/explore/', '/reels/', '/some.user/', '/'],
      };
      for (const [platform, feed] of [['facebook', 'https://www.facebook.com/'], ['instagram', 'https://www.instagram.com/']]) {
        await expectBanner(driver, feed, platform);
        for (let i = 0; i < 20; i++) {
          await driver.clientNavigate(routes[platform][i % routes[platform].length]);
          await sleep(i % 5 === 4 ? 400 : 50);
          if (i % 5 === 4) {
            const mid = await driver.banner();
            assert.equal(mid.count, 1, `${platform}: exactly one banner after ${i + 1} navigations (got ${show(mid)})`);
          }
        }
        await sleep(1000); // let any late re-insertion land
        const b = await driver.banner();
        assert.equal(b.count, 1, `${platform}: exactly one banner after 20 navigations (got ${show(b)})`);
        if (b.visible !== undefined) assert.equal(b.visible, true, `${platform}: still visible (got ${show(b)})`);
        assert.equal(b.platform, platform);
        assert.equal(b.urging, true);
        assertFormLink(b.href, platform, `${platform} after 20 navigations`);
      }
    },
  },
  {
    name: 'the extension makes no network request of its own',
    async run(driver, ctx = {}) {
      const replica = ctx.replica;
      const mark = replica ? replica.requests.length : 0;
      await driver.launch();
      const opened = [];
      const open = async (url) => { opened.push(url); await driver.open(url); };
      // A tour through everything the extension does.
      await open('https://www.facebook.com/');
      await driver.banner();
      await open('https://www.instagram.com/');
      await driver.banner();
      await driver.clickBanner('form-link');
      opened.push(FORM.instagram);
      await driver.popup();
      await driver.clickPopup('facebook', 'mark_submitted');
      await driver.badge();
      await open(FORM.facebook);
      await open('https://de-de.facebook.com/');
      await driver.banner();
      await open('https://www.instagram.com/');
      await driver.banner();
      for (const p of ['/explore/', '/reels/', '/']) await driver.clientNavigate(p);
      await driver.clickBanner('not_now');
      await driver.stopWorker();
      await driver.badge();
      await open('https://example.org/');
      await driver.popup();
      await sleep(1000);

      const reqs = await driver.requests();
      assert.deepEqual(reqs, [], `requests attributed to the extension: ${show(reqs)}`);

      if (replica) {
        // Server side: everything that reached the replica is a page the test opened or an asset those
        // pages reference, fetched as such.
        const pages = new Set(opened.map(normalise));
        const log = replica.requests.slice(mark).filter((r) => !(ctx.ignoreRequest?.(r)));
        const bad = [...unexplainedRequests(log),
          ...log.filter((r) => r.path && !isPageAsset(r.path) && !pages.has(normalise(`https://${r.host}${r.path}`)))];
        assert.deepEqual(bad, [], `replica saw requests the test did not make: ${show(bad)}`);
      }
    },
  },
];

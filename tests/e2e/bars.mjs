// Meta's own fixed bars (issue 16 item 6, and item 5's "usable at 360 CSS px"), in both browsers (suite.mjs
// registers this list beside the scenarios). The replicas carry Meta-like FIXED bars (tests/replica/README.md
// "Fixed bars": Facebook's top bar, m.facebook.com's bottom tabs, Instagram's bottom tabs and top bar on a
// phone and its side bar on a desktop, the help pages' headers). From 360 to 1920 px, on every page where
// our banner or form helper shows: every control of ours and every control of the page's bars is what a
// click at its centre hits, and a trusted click on one of our buttons does what it says.
// The extension finds the bars by hit-testing alone (extension/content/banner.js clearBars): the replica's
// `data-replica-bar` is the TEST's hook, never the extension's.

import assert from 'node:assert/strict';
import { FORMS } from '../replica/server.mjs';
import { until } from './driver.mjs';
import { hitTestBars, hitTestFormControls } from './page-fns.mjs';

const show = (x) => JSON.stringify(x);

/** Phone, phone, tablet, laptop, desktop (CSS px). */
export const SIZES = [[360, 740], [390, 844], [768, 1024], [1280, 720], [1920, 1080]];
const onM = (url) => url.replace('://www.facebook.com/', '://m.facebook.com/');
const BANNER = 'banner';
const HELPER = 'form-helper';

const allClear = (r) => r.bars.length > 0 && r.ours.length > 0 && r.theirs.length > 0
  && r.ours.every((c) => c.ok) && r.theirs.every((c) => c.ok);

/**
 * At [w, h] on url: the panel of `kind` shows; the page's bars and our panel do not cover each other (held
 * within a short deadline: the extension places on load and resize); on a form page the page's own fields
 * are clear too and a trusted click on "insert a reason" fills the reason field.
 */
async function expectClear(driver, url, kind, [w, h], expectBars) {
  const where = `${url} at ${w}x${h}`;
  await driver.setViewport(w, h);
  await driver.open(url);
  await driver.waitPanel((p) => p.kind === kind, `the ${kind} on ${where}`);
  if (kind === HELPER) {
    await until(() => driver.inPage(() => !!document.querySelector('textarea[name=reason]')), Boolean,
      { timeout: 5000, what: `the form's reason field on ${where}` });
  }
  const r = await until(() => driver.inPage(hitTestBars), allClear, { timeout: 4000,
    what: `${where}: every control of ours and of the page's fixed bars is what a click at its centre hits` });
  assert.equal(r.width, w, `${where}: the viewport is ${w} px wide`);
  const bars = r.bars.map((b) => b.bar).sort();
  assert.deepEqual(bars, [...expectBars(w)].sort(), `${where}: the replica's fixed bars at this width (${show(r.bars)})`);
  if (kind === HELPER) {
    const f = await driver.inPage(hitTestFormControls);
    assert.deepEqual(f.controls.filter((c) => !c.ok), [], `${where}: every form control can be hit`);
    await driver.clickPanel('insert_reason');
    await until(() => driver.pageValue('textarea[name=reason]'), (v) => !!v,
      { timeout: 4000, what: `${where}: a reason in the field after a trusted click on the helper's first reason button` });
  }
  return r;
}

/**
 * The window resized under a shown banner, without a reload (a phone turned, a window made narrow): the
 * banner moves off the bars of the new layout.
 */
async function expectClearAfterResize(driver, url, [w0, h0], [w, h], expectBars) {
  await driver.setViewport(w0, h0);
  await driver.open(url);
  await driver.waitPanel((p) => p.kind === BANNER, `the banner on ${url} at ${w0}x${h0}`);
  await until(() => driver.inPage(hitTestBars), allClear, { timeout: 4000, what: `${url} at ${w0}x${h0}: all clear before the resize` });
  await driver.setViewport(w, h);
  const r = await until(() => driver.inPage(hitTestBars), allClear, { timeout: 4000,
    what: `${url} resized from ${w0}x${h0} to ${w}x${h} (no reload): every control of ours and of the page's bars can be hit` });
  assert.deepEqual(r.bars.map((b) => b.bar).sort(), [...expectBars(w)].sort(), `${url} after the resize to ${w} px: the bars of that layout`);
}

/** The banner's "Not now", a trusted click at phone size over a bottom bar: recorded. */
async function expectBannerClick(driver, url, platform, expectBars) {
  await expectClear(driver, url, BANNER, SIZES[0], expectBars);
  await driver.clickBanner('not_now');
  await driver.waitStorage((st) => (st[`progress/${platform}/main`]?.snoozed_until ?? 0) > Date.now(),
    `${url} at 360 px: "Not now" recorded after a trusted click on the banner over the page's bottom bar`);
}

// www.facebook.com's feed has a fixed control that is no bar too: the round "new message" button.
const FACEBOOK_FEED_BARS = () => ['float', 'top'];
const FACEBOOK_BARS = () => ['top'];
const M_FACEBOOK_BARS = () => ['bottom', 'top'];
// Instagram's layout switches at 768 px: a top bar and bottom tabs below, the tabs as a side bar above.
const INSTAGRAM_BARS = (w) => (w < 768 ? ['nav', 'top'] : ['nav']);
const HELP_BARS = () => ['top'];

export const bars = [
  {
    name: 'fixed bars: on www.facebook.com and m.facebook.com (feed and form), from 360 to 1920 px, the banner and the helper cover no control of the page\'s bars and none covers ours; trusted clicks work',
    timeout: 480_000,
    async run(driver) {
      await driver.launch();
      for (const size of SIZES) {
        await expectClear(driver, 'https://www.facebook.com/', BANNER, size, FACEBOOK_FEED_BARS);
        await expectClear(driver, 'https://m.facebook.com/', BANNER, size, M_FACEBOOK_BARS);
      }
      await expectBannerClick(driver, 'https://m.facebook.com/', 'facebook', M_FACEBOOK_BARS);
      for (const size of SIZES) {
        await expectClear(driver, FORMS.facebook, HELPER, size, FACEBOOK_BARS);
        await expectClear(driver, onM(FORMS.facebook), HELPER, size, FACEBOOK_BARS);
      }
    },
  },
  {
    name: 'fixed bars: on www.instagram.com (bottom tabs on a phone, side bar on a desktop) and its form, from 360 to 1920 px, nothing of ours or of the page\'s bars is covered; trusted clicks work',
    timeout: 300_000,
    async run(driver) {
      await driver.launch();
      for (const size of SIZES) {
        const r = await expectClear(driver, 'https://www.instagram.com/', BANNER, size, INSTAGRAM_BARS);
        const nav = r.bars.find((b) => b.bar === 'nav').rect;
        if (size[0] < 768) assert.equal(nav[3], size[1], `Instagram at ${size[0]} px: its tabs are a bottom bar (${show(nav)})`);
        else assert.deepEqual([nav[0], nav[1], nav[3]], [0, 0, size[1]], `Instagram at ${size[0]} px: its tabs are a side bar (${show(nav)})`);
      }
      // Placed again on resize only: from the side bar's layout to the bottom tabs' and back.
      await expectClearAfterResize(driver, 'https://www.instagram.com/', [1280, 720], [360, 740], INSTAGRAM_BARS);
      await expectClearAfterResize(driver, 'https://www.instagram.com/', [390, 844], [768, 1024], INSTAGRAM_BARS);
      await expectBannerClick(driver, 'https://www.instagram.com/', 'instagram', INSTAGRAM_BARS);
      for (const size of SIZES) await expectClear(driver, FORMS.instagram, HELPER, size, HELP_BARS);
    },
  },
  {
    name: 'fixed bars: in Meta\'s Privacy Center flow (help.meta.com, fixed header), from 360 to 1920 px, the helper is not under the header and covers none of its controls; trusted clicks work',
    timeout: 240_000,
    async run(driver) {
      await driver.launch();
      for (const size of SIZES) {
        await expectClear(driver, 'https://help.meta.com/support/privacy/object/meta-ai/', HELPER, size, HELP_BARS);
      }
    },
  },
];

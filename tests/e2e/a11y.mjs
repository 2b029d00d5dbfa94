// Accessibility of everything Widerspruch draws, in both browsers: axe-core (npm axe-core, axe.min.js run in
// the page by driver.axe()) with the WCAG 2.0 A and AA rules (tags wcag2a, wcag2aa), in light and dark
// colour schemes (set at launch: Chromium's colorScheme, Firefox's prefers-color-scheme override pref).
// Must report 0 violations and no undecided colour contrast.
// Surfaces: the feed banner, the banner's fallback route ("The link doesn't work"), the form helper, the
// fallback panel on a form error page, the "received" helper, and the popup (with a second account group,
// so that every kind of control is drawn). In-page panels are checked on their own (axe `include` of the
// <widerspruch-banner> host), not Meta's replica page around them; the popup is checked as a whole page.
// The panel's shadow root is CLOSED, which axe cannot enter by itself: driver.axe() hands axe the root it
// gets through the browser's automation protocol (see driver.mjs). Each check makes sure axe really looked
// inside the shadow root, and the last test shows that a defect planted in the closed panel fails the check.
// E2E_VERBOSE=1 prints the passes.

import assert from 'node:assert/strict';
import { FORM } from './scenarios.mjs';

const TAGS = ['wcag2a', 'wcag2aa'];

/** One line per failing node, with what is needed to fix it (selector, rule, contrast numbers). */
function describe(violations) {
  const lines = [];
  for (const v of violations) {
    for (const n of v.nodes) {
      const data = [...n.any, ...n.all, ...n.none].map((c) => c.data).find((d) => d && typeof d === 'object');
      const contrast = data && data.contrastRatio !== undefined
        ? ` contrast ${data.contrastRatio}:1 (needs ${data.expectedContrastRatio}) fg ${data.fgColor} bg ${data.bgColor}` +
          ` ${data.fontSize ?? ''} ${data.fontWeight ?? ''}`
        : '';
      lines.push(`[${v.id}/${v.impact}] ${JSON.stringify(n.target)}${contrast}\n    ${v.help}\n    ${n.html}\n    ${(n.failureSummary || '').replace(/\n/g, '\n    ')}`);
    }
  }
  return lines.join('\n');
}

// axe-core builds the grid it uses for colour contrast (which element is on top of which) from
// document.body down. The panel's host is a child of <html>, outside <body> (so that Meta's app cannot
// remove it), and axe then reports every text node in it as "incomplete" ("Unable to determine contrast
// ratio"; measured with axe-core 4.13). For the measurement only, the host is moved into <body>: it is
// position: fixed, so it is drawn in the same place with the same colours; it is put back afterwards.
// Likewise, where the panel lies over the page's text and fields (the form helper over the form), axe
// gives up on multi-line text ("partially overlaps other elements"), so the replica page's content
// (#mount) is made invisible during the measurement; the page background (<body>) stays, so a panel
// that were not opaque would still be measured against what is really under it.
function moveIntoBody() {
  const host = document.querySelector('widerspruch-banner');
  if (!host || host.parentNode !== document.documentElement) return false;
  document.body.append(host);
  const mount = document.getElementById('mount');
  if (mount) mount.style.visibility = 'hidden';
  return true;
}
function moveBack() {
  document.documentElement.append(document.querySelector('widerspruch-banner'));
  const mount = document.getElementById('mount');
  if (mount) mount.style.visibility = '';
  return true;
}

/** Runs axe; `inShadow` = the check must have looked at nodes inside the panel's shadow root. */
export async function check(driver, what, { panel = false } = {}) {
  const options = { runOnly: { type: 'tag', values: TAGS } };
  let r;
  if (panel) {
    const moved = await driver.inPage(moveIntoBody);
    try {
      r = await driver.axe({ include: 'widerspruch-banner', options });
    } finally {
      if (moved) await driver.inPage(moveBack);
    }
  } else {
    r = await driver.axe({ popup: true, options });
  }
  if (process.env.E2E_VERBOSE) console.log(`${what}: passes ${r.passes.map((p) => `${p.id}(${p.nodes.length})`).join(' ')}`);
  assert.equal(r.violations.length, 0, `${what}: axe found WCAG 2 A/AA violations:\n${describe(r.violations)}`);
  const unsure = r.incomplete.filter((i) => i.id === 'color-contrast');
  assert.deepEqual(unsure.map((u) => u.id), [], `${what}: axe could not decide colour contrast for:\n${describe(unsure)}`);
  const contrast = r.passes.find((p) => p.id === 'color-contrast');
  assert.ok(contrast && contrast.nodes.length > 0, `${what}: colour contrast was actually checked`);
  if (panel) {
    // A shadow-DOM node's target is a path [host, selector-inside]; without one, axe never entered.
    const shadowNodes = r.passes.flatMap((p) => p.nodes).filter((n) => Array.isArray(n.target[0]) || n.target.length > 1);
    assert.ok(shadowNodes.length > 0, `${what}: axe checked nodes inside the panel's shadow root`);
  }
  return r;
}

/** Waits for a panel control to be drawn, then for the panel to stop changing (fonts, layout). */
async function panelReady(driver, pred, what) {
  await driver.waitPanel((p) => p.visible && pred(p), what);
}

const schemes = ['light', 'dark'].map((scheme) => ({
  name: `axe WCAG 2 A/AA, ${scheme} colour scheme`,
  timeout: 180_000,
  async run(driver, { step }) {
    await driver.launch({ colorScheme: scheme });
    await driver.open('https://example.org/');
    assert.equal(await driver.inPage(() => matchMedia('(prefers-color-scheme: dark)').matches), scheme === 'dark',
      `the browser really is in the ${scheme} colour scheme`);
    await step('feed banner', async () => {
      await driver.open('https://www.facebook.com/');
      await panelReady(driver, (p) => p.kind === 'banner', 'the feed banner');
      await check(driver, `${scheme}: feed banner`, { panel: true });
    });
    await step('fallback route in the banner ("The link doesn\'t work")', async () => {
      await driver.clickPanel('link_broken');
      await panelReady(driver, (p) => p.steps.length > 0, 'the route in the banner');
      await check(driver, `${scheme}: banner fallback route`, { panel: true });
    });
    await step('form helper', async () => {
      await driver.open(FORM.facebook);
      await panelReady(driver, (p) => p.reasons.length > 0, 'the form helper');
      await check(driver, `${scheme}: form helper`, { panel: true });
    });
    await step('fallback panel on a form error page', async () => {
      await driver.open(`${FORM.facebook}?replica=unavailable`);
      await panelReady(driver, (p) => p.steps.length > 0, 'the fallback panel');
      await check(driver, `${scheme}: form fallback panel`, { panel: true });
    });
    await step('"received" helper', async () => {
      await driver.open(FORM.instagram);
      await panelReady(driver, (p) => p.reasons.length > 0, 'the Instagram form helper');
      await driver.pageClick('#replica-send');
      await panelReady(driver, (p) => p.kind === 'form-helper' && p.reasons.length === 0, 'the "received" helper');
      await check(driver, `${scheme}: received helper`, { panel: true });
    });
    await step('popup (two account groups, every kind of control)', async () => {
      await driver.popupAddGroup('Second account');
      await check(driver, `${scheme}: popup`);
    });
  },
}));

export const a11y = [
  ...schemes,
  {
    name: 'axe sees into the closed panel: a nameless button planted there is a violation',
    timeout: 120_000,
    async run(driver) {
      await driver.launch();
      await driver.open('https://www.facebook.com/');
      await panelReady(driver, (p) => p.kind === 'banner', 'the feed banner');
      await check(driver, 'the banner as drawn', { panel: true }); // control: the same check passes without the defect
      const planted = await driver.inPage((_arg, root) => {
        const b = document.createElement('button');
        b.id = 'nameless-test-button';
        root.querySelector('aside').append(b);
        return !!root;
      });
      assert.equal(planted, true, 'a button without a name planted in the closed panel');
      await assert.rejects(check(driver, 'the banner with a nameless button', { panel: true }),
        (e) => /\[button-name\//.test(e.message) && /nameless-test-button/.test(e.message),
        'axe reports the nameless button inside the closed root');
      assert.equal(await driver.inPage(() => document.querySelector('widerspruch-banner').shadowRoot), null,
        'after axe ran, the page still sees no shadow root');
    },
  },
];

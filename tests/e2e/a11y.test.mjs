// Accessibility of everything Widerspruch draws, in Debian Chromium with the built extension: axe-core
// (npm @axe-core/playwright) with the WCAG 2.0 A and AA rules (tags wcag2a, wcag2aa), in light and dark
// colour schemes (page.emulateMedia). Must report 0 violations.
//   node --test tests/e2e/a11y.test.mjs        (build first: ./build.sh)
// Surfaces: the feed banner, the banner's fallback route ("The link doesn't work"), the form helper, the
// fallback panel on a form error page, the "received" helper, and the popup (with a second account group,
// so that every kind of control is drawn). In-page panels are checked on their own (axe `include` of the
// <widerspruch-banner> host, whose OPEN shadow root axe enters), not Meta's replica page around them; the
// popup is checked as a whole page. Each check also makes sure axe really looked inside the shadow root.
// (Axe cannot measure colour contrast outside <body>: see check() for how the panel is measured.)
// Environment: E2E_CHROMIUM, E2E_CHROMIUM_EXTENSION (as chromium.test.mjs), E2E_VERBOSE=1 (print passes).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { startReplica } from '../replica/server.mjs';
import { createChromiumDriver } from './chromium.mjs';
import { FORM } from './scenarios.mjs';
import { whyMissing, chromiumNeeds } from './prerequisites.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionDir = process.env.E2E_CHROMIUM_EXTENSION || path.join(ROOT, 'dist', 'chromium');
const executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const TAGS = ['wcag2a', 'wcag2aa'];

const missing = whyMissing(extensionDir, chromiumNeeds(executablePath));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let replica;
let driver;

before(async () => {
  if (missing) return;
  replica = await startReplica({ port: 0 });
  driver = createChromiumDriver({ replicaPort: replica.port, extensionDir, executablePath });
});

after(async () => {
  await driver?.close();
  await replica?.close();
});

/** One line per failing node, with what the lead needs to fix it (selector, rule, contrast numbers). */
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

/** Runs axe; `inShadow` = the check must have looked at nodes inside the panel's shadow root. */
async function check(page, what, { include = null, inShadow = false } = {}) {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (include) builder = builder.include(include);
  // axe-core builds the grid it uses for colour contrast (which element is on top of which) from
  // document.body down. The panel's host is a child of <html>, outside <body> (so that Meta's app cannot
  // remove it), and axe then reports every text node in it as "incomplete" ("Unable to determine contrast
  // ratio"; measured with axe-core 4.13). For the measurement only, the host is moved into <body>: it is
  // position: fixed, so it is drawn in the same place with the same colours; it is put back afterwards.
  // Likewise, where the panel lies over the page's text and fields (the form helper over the form), axe
  // gives up on multi-line text ("partially overlaps other elements"), so the replica page's content
  // (#mount) is made invisible during the measurement; the page background (<body>) stays, so a panel
  // that were not opaque would still be measured against what is really under it.
  const moved = include ? await page.evaluate(() => {
    const host = document.querySelector('widerspruch-banner');
    if (!host || host.parentNode !== document.documentElement) return false;
    document.body.append(host);
    const mount = document.getElementById('mount');
    if (mount) mount.style.visibility = 'hidden';
    return true;
  }) : false;
  let r;
  try {
    r = await builder.analyze();
  } finally {
    if (moved) {
      await page.evaluate(() => {
        document.documentElement.append(document.querySelector('widerspruch-banner'));
        const mount = document.getElementById('mount');
        if (mount) mount.style.visibility = '';
      });
    }
  }
  if (process.env.E2E_VERBOSE) {
    const cc = r.passes.find((p) => p.id === 'color-contrast');
    console.log(`${what}: passes ${r.passes.map((p) => `${p.id}(${p.nodes.length})`).join(' ')}; contrast ` +
      (cc ? cc.nodes.map((n) => `${n.any[0].data.fgColor}/${n.any[0].data.bgColor} ${n.any[0].data.contrastRatio}`).join(', ') : '-'));
  }
  assert.equal(r.violations.length, 0, `${what}: axe found WCAG 2 A/AA violations:\n${describe(r.violations)}`);
  const unsure = r.incomplete.filter((i) => i.id === 'color-contrast');
  assert.deepEqual(unsure.map((u) => u.id), [], `${what}: axe could not decide colour contrast for:\n${describe(unsure)}`);
  if (inShadow) {
    // A shadow-DOM node's target is a path [host, selector-inside]; without one, axe never entered.
    const shadowNodes = r.passes.flatMap((p) => p.nodes).filter((n) => Array.isArray(n.target[0]) || n.target.length > 1);
    assert.ok(shadowNodes.length > 0, `${what}: axe checked nodes inside the panel's shadow root`);
    const contrast = r.passes.find((p) => p.id === 'color-contrast');
    assert.ok(contrast && contrast.nodes.length > 0, `${what}: colour contrast was actually checked`);
  }
  return r;
}

const panelReady = async (page, sel) => {
  await page.locator(`widerspruch-banner ${sel}`).first().waitFor({ state: 'visible', timeout: 8000 });
  await sleep(300); // let the panel settle (fonts, layout)
};

for (const scheme of ['light', 'dark']) {
  test(`axe WCAG 2 A/AA, ${scheme} colour scheme`, { skip: missing ?? false, timeout: 180_000 }, async (t) => {
    await driver.launch();
    try {
      const page = () => driver.page;
      await page().emulateMedia({ colorScheme: scheme });
      const panel = { include: 'widerspruch-banner', inShadow: true };

      await t.test('feed banner', async () => {
        await driver.open('https://www.facebook.com/');
        await panelReady(page(), '[data-role=banner]');
        await check(page(), `${scheme}: feed banner`, panel);
      });

      await t.test('fallback route in the banner ("The link doesn\'t work")', async () => {
        await driver.clickPanel('link_broken');
        await panelReady(page(), 'ol');
        await check(page(), `${scheme}: banner fallback route`, panel);
      });

      await t.test('form helper', async () => {
        await driver.open(FORM.facebook);
        await panelReady(page(), 'button[data-action=insert_reason]');
        await check(page(), `${scheme}: form helper`, panel);
      });

      await t.test('fallback panel on a form error page', async () => {
        await driver.open(`${FORM.facebook}?replica=unavailable`);
        await panelReady(page(), 'ol');
        await check(page(), `${scheme}: form fallback panel`, panel);
      });

      await t.test('"received" helper', async () => {
        await driver.open(FORM.instagram);
        await panelReady(page(), 'button[data-action=insert_reason]');
        await driver.pageClick('#replica-send');
        await page().locator('widerspruch-banner [data-role=form-helper]:not(:has(button[data-action=insert_reason]))')
          .waitFor({ state: 'visible', timeout: 8000 });
        await sleep(300);
        await check(page(), `${scheme}: received helper`, panel);
      });

      await t.test('popup (two account groups, every kind of control)', async () => {
        await driver.popupAddGroup('Second account');
        const p = await driver.context.newPage();
        try {
          await p.emulateMedia({ colorScheme: scheme });
          await p.setViewportSize({ width: 400, height: 900 });
          await p.goto(driver.popupUrl);
          await p.locator('#checklist[data-ready=true]').waitFor({ timeout: 10000 });
          await sleep(300);
          const r = await check(p, `${scheme}: popup`);
          assert.ok(r.passes.some((x) => x.id === 'color-contrast'), 'popup colour contrast was checked');
        } finally {
          await p.close();
        }
      });
    } finally {
      await driver.close();
    }
  });
}

// The popup as the full page Firefox for Android opens it as (issue 16; extension/popup/popup.css, "The
// popup as a page of its own"), in both browsers (suite.mjs registers this list beside the scenarios).
// The popup is opened in the test tab, sized like a phone (360 x 740) and a tablet (768 x 1024); Firefox
// reaches 360 CSS px through the full zoom of firefox.mjs setViewport. What must hold there: no horizontal
// scrolling, every control the topmost element at its centre and at least 44 x 44 CSS px (WCAG 2.2 SC 2.5.5
// Target Size (Enhanced), https://www.w3.org/WAI/WCAG22/Understanding/target-size-enhanced: "at least 44 by 44
// CSS pixels", except a link "in a sentence or block of text"), and the checklist works (one trusted click).
// And at the size of the desktop toolbar popup (22rem wide, at most 600 px tall) the page rules stay off.

import assert from 'node:assert/strict';
import { until } from './driver.mjs';
import { EXTENSION_ID } from './chromium.mjs';
import { EXTENSION_ORIGIN } from './firefox.mjs';
import { popupPainted, readChecklistInPopup } from './page-fns.mjs';

const TARGET = 44; // CSS px, WCAG 2.5.5
const show = (x) => JSON.stringify(x, null, 1);
const popupUrl = (browser) => `${browser === 'chromium' ? `chrome-extension://${EXTENSION_ID}` : EXTENSION_ORIGIN}/popup/popup.html`;

// ── in the popup page (self-contained: these run there) ──

/**
 * Every control of the popup → {viewport, scrollWidth, overflowing: [elements wider than the viewport],
 * controls: [{what, w, h, inline, hit}]}. A checkbox's or radio's target is its label (a click on the label
 * toggles it); a link inside running text is "inline" (WCAG's exception). `hit`: the element found at the
 * target's centre is the control, inside it, or its label, after scrolling the target into view.
 */
function measurePopup() {
  const vw = document.documentElement.clientWidth;
  const describe = (e) => {
    const t = e.getAttribute('data-action') || e.getAttribute('data-role') || e.id || e.getAttribute('type') || '';
    return `${e.tagName.toLowerCase()}${t ? `[${t}]` : ''} "${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 30)}"`;
  };
  const overflowing = [...document.body.querySelectorAll('*')]
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5); })
    .map(describe);
  const controls = [];
  for (const e of document.querySelectorAll('button, a[href], input, select, textarea')) {
    const target = (e.matches('input[type=checkbox], input[type=radio]') && e.closest('label')) || e;
    target.scrollIntoView({ block: 'center', inline: 'nearest' });
    const r = target.getBoundingClientRect();
    // A link wrapped over two lines: its box's centre may be plain text between the lines; its first line's is its own.
    const c = getComputedStyle(target).display === 'inline' && target.getClientRects().length ? target.getClientRects()[0] : r;
    const at = document.elementFromPoint(c.left + c.width / 2, c.top + c.height / 2);
    const hit = !!at && (at === e || e.contains(at) || target.contains(at) || (at instanceof HTMLLabelElement && at.control === e));
    const inline = e.tagName === 'A' && !e.closest('.actions') && !!e.closest('p, li') && e.closest('p, li').textContent.trim() !== e.textContent.trim();
    controls.push({ what: describe(e), w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10, inline, hit });
  }
  window.scrollTo(0, 0);
  return { viewport: [innerWidth, innerHeight], clientWidth: vw, scrollWidth: document.documentElement.scrollWidth, overflowing, controls };
}

/** The body's used width and a button's height: what the toolbar popup's layout is made of. */
function bodyAndButton() {
  const b = document.querySelector('#checklist button');
  return { body: document.body.getBoundingClientRect().width, client: document.documentElement.clientWidth,
    button: b ? b.getBoundingClientRect().height : null };
}

// ── the test ──

/** Opens the popup in the test tab at width x height (CSS px) and waits until it painted. */
async function popupAt(driver, browser, width, height) {
  await driver.open(popupUrl(browser));
  const got = await driver.setViewport(width, height);
  await until(() => driver.inPage(popupPainted), Boolean, { timeout: 10000, what: `the popup to paint at ${width}x${height}` });
  return got;
}

// German too: its long compound words are what would push a 360 px page sideways.
const SIZES = [[360, 740, 'a phone'], [768, 1024, 'a tablet'], [360, 740, 'a phone, in German', 'de']];

export const phone = [
  ...SIZES.map(([width, height, what, locale]) => ({
    name: `phone: the popup as a full page at ${width}x${height} (${what}): no horizontal scroll, every control on top and at least 44 px, the checklist works`,
    timeout: 150_000,
    async run(driver, { browser }) {
      await driver.launch(locale ? { locale } : {});
      if (locale) {
        const ui = await driver.uiLocale();
        assert.ok(ui.startsWith(locale), `the browser's UI language is ${locale} (got ${ui}; Firefox needs firefox-esr-l10n-${locale})`);
      }
      // Every kind of control the popup has: a second account group adds the radios and its remove button;
      // the services' switches and the add-group form are always there.
      assert.ok(await driver.popupAddGroup('Vereinskontoadministrationszugangsrechte'), 'a second group (a 40-letter name, the longest allowed, in one word)');
      const [w] = await popupAt(driver, browser, width, height);
      assert.equal(w, width);
      const m = await driver.inPage(measurePopup);
      assert.deepEqual(m.viewport[0], width, show(m.viewport));
      // clientWidth: the viewport less a classic scrollbar (desktop headless browsers draw one; phones overlay it).
      assert.ok(m.scrollWidth <= m.clientWidth, `the page scrolls sideways: scrollWidth ${m.scrollWidth} > ${m.clientWidth}`);
      assert.deepEqual(m.overflowing, [], 'elements reaching past the viewport');
      const kinds = new Set(m.controls.map((c) => c.what.split(' ')[0]));
      for (const k of ['button[mark_submitted]', 'a[open_form]', 'input[group_active]', 'input[group_linked]', 'input[service_chosen]', 'input[group-name]', 'button[submit]', 'button[group_remove]', 'a[privacy-link]']) {
        assert.ok(kinds.has(k), `the popup shows ${k} (else this test checks less than it says): ${[...kinds].join(', ')}`);
      }
      const notOnTop = m.controls.filter((c) => !c.hit);
      assert.deepEqual(notOnTop, [], 'controls that are not the topmost element at their centre');
      const small = m.controls.filter((c) => !c.inline && (c.w < TARGET || c.h < TARGET));
      assert.deepEqual(small, [], `controls smaller than ${TARGET}x${TARGET} CSS px`);

      // One action through the checklist with a trusted click, at this size: Facebook marked as sent.
      const before = await driver.inPage(readChecklistInPopup);
      assert.equal(before.facebook, 'not_started', show(before));
      await driver.pageClick('#checklist li[data-platform="facebook"] [data-action="mark_submitted"]');
      await until(() => driver.inPage(readChecklistInPopup), (s) => s.facebook === 'submitted',
        { timeout: 5000, what: `the popup at ${width}px to show Facebook as sent after the click` });
      await driver.waitStorage((s) => s['progress/facebook/main']?.status === 'submitted', 'progress/facebook/main submitted in storage');
      // Still no sideways scrolling in the repainted state (other buttons, other texts).
      const after = await driver.inPage(measurePopup);
      assert.ok(after.scrollWidth <= after.clientWidth, `after the click the page scrolls sideways: ${after.scrollWidth} > ${after.clientWidth}`);
      assert.deepEqual(after.controls.filter((c) => !c.inline && (c.w < TARGET || c.h < TARGET)), []);
    },
  })),
  {
    name: 'phone: at the desktop toolbar popup\'s size (at most 600 px tall) the popup keeps its 22rem width and compact buttons',
    async run(driver, { browser }) {
      await driver.launch();
      // The toolbar popup takes its width from the body (22rem = 352 px) and is never taller than 600 px,
      // so a page of 352 x 600 is the largest box the toolbar popup can be.
      await popupAt(driver, browser, 352, 600);
      const compact = await driver.inPage(bodyAndButton);
      assert.equal(compact.body, 352, `body width in the toolbar-sized page: ${show(compact)}`);
      assert.ok(compact.button < TARGET, `the toolbar popup's buttons stay compact (the page rules are off): ${show(compact)}`);
      // ...and one px taller it is a page: the body fills the width (less a scrollbar), the buttons grow.
      await driver.setViewport(360, 601);
      const page = await until(() => driver.inPage(bodyAndButton), (x) => x.body === x.client, { timeout: 5000, what: 'the page layout at 360 x 601 (the body as wide as the page)' });
      assert.ok(page.button >= TARGET, show(page));
    },
  },
];

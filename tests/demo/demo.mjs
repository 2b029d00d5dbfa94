// `./build.sh demo`: the whole journey on local replicas of Meta's pages, under the real host names, for
// someone without a Meta account. With a display, Chromium opens with the extension and stays open until
// you close it. Without one, it runs headless and writes screenshots to doc/screenshots/.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import { startReplica, FORMS } from '../replica/server.mjs';
import { panelAccess } from '../e2e/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXT = path.join(ROOT, 'dist/chromium');
const OUT = path.join(ROOT, 'doc/screenshots');
const POPUP = 'chrome-extension://iddanobcjbciolaflajffjajfcapogle/popup/popup.html';
const headed = Boolean(process.env.DISPLAY) && !process.env.CI && !process.argv.includes('--headless');

const replica = await startReplica({ port: 0 });
const map = ['*.facebook.com', 'facebook.com', '*.instagram.com', 'instagram.com']
  .map((h) => `MAP ${h} 127.0.0.1:${replica.port}`).join(', ');
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'widerspruch-demo-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: false,
  ignoreDefaultArgs: ['--disable-extensions'],
  viewport: { width: 1100, height: 720 },
  args: [
    ...(headed ? [] : ['--headless=new']),
    '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', `--load-extension=${EXT}`, `--disable-extensions-except=${EXT}`,
    `--host-resolver-rules=${map}`, '--ignore-certificate-errors', '--lang=en-GB',
  ],
});

const page = context.pages()[0] ?? await context.newPage();
if (headed) {
  await page.goto('https://www.facebook.com/');
  console.log('Chromium is open with Widerspruch on the local replicas. Try https://www.facebook.com/,',
    'https://www.instagram.com/ and the toolbar button. Close the window to end the demo.');
  await new Promise((resolve) => context.on('close', resolve));
} else {
  fs.mkdirSync(OUT, { recursive: true });
  const shot = async (p, name) => {
    await p.screenshot({ path: path.join(OUT, `${name}.png`) });
    console.log(`wrote doc/screenshots/${name}.png`);
  };
  // The panel's shadow root is closed, out of reach of Playwright's locators: CDP looks inside
  // (tests/e2e/chromium.mjs panelAccess), and a mouse click at the control's centre presses it.
  const inPanel = panelAccess(page);
  const panelWait = async (sel) => {
    for (const t0 = Date.now(); !(await inPanel.eval((s, root) => !!root?.querySelector(s), sel).catch(() => false));) {
      if (Date.now() - t0 > 30000) throw new Error(`demo: no ${sel} in the panel`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const panelClick = async (sel) => {
    await panelWait(sel);
    const at = await inPanel.point((s, root) => root?.querySelector(s) ?? null, sel, `demo: ${sel}`);
    await page.mouse.click(at.x, at.y);
  };

  await page.goto('https://www.facebook.com/');
  await panelWait('[data-role=banner]');
  await shot(page, '1-banner');

  await panelClick('button[data-action=link_broken]');
  await panelWait('ol');
  await shot(page, '2-fallback-route');

  await page.goto(FORMS.facebook);
  await panelWait('[data-role=form-helper]');
  await panelClick('button[data-action=insert_reason]');
  await shot(page, '3-form-helper');

  await page.locator('#replica-send').click();
  await page.locator('#replica-received').waitFor();
  await panelWait('[data-role=form-helper]');
  await shot(page, '4-received');

  const popup = await context.newPage();
  await popup.setViewportSize({ width: 380, height: 760 });
  await popup.goto(POPUP);
  await popup.locator('#checklist[data-ready=true]').waitFor();
  await shot(popup, '5-popup');
}
await context.close();
await replica.close();
fs.rmSync(profile, { recursive: true, force: true });

// `./build.sh demo`: the whole journey on local replicas of Meta's pages, under the real host names, for
// someone without a Meta account. With a display, Chromium opens with the extension and stays open until
// you close it. Without one, it runs headless and writes screenshots to doc/screenshots/. The journey is
// tests/demo/journey.mjs, the same one the store pictures take (tests/demo/store-pictures.mjs).
import path from 'node:path';
import fs from 'node:fs';
import { startReplica } from '../replica/server.mjs';
import { ROOT, launch, runJourney } from './journey.mjs';

const EXT = path.join(ROOT, 'dist/chromium');
const OUT = path.join(ROOT, 'doc/screenshots');
const headed = Boolean(process.env.DISPLAY) && !process.env.CI && !process.argv.includes('--headless');
const FILES = { 'banner': '1-banner', 'fallback-route': '2-fallback-route', 'form-helper': '3-form-helper',
  'received': '4-received', 'popup': '5-popup' };

const started = Date.now();
const replica = await startReplica({ port: 0 });
const browser = await launch({ replica, extensionDir: EXT, locale: 'en-GB', viewport: { width: 1100, height: 720 }, headed });
try {
  if (headed) {
    await browser.page.goto('https://www.facebook.com/');
    console.log('Chromium is open with Widerspruch on the local replicas. Try https://www.facebook.com/,',
      'https://www.instagram.com/ and the toolbar button. Close the window to end the demo.');
    await new Promise((resolve) => browser.context.on('close', resolve));
  } else {
    fs.mkdirSync(OUT, { recursive: true });
    await runJourney({
      context: browser.context, page: browser.page, lang: 'de', label: 'demo', want: Object.keys(FILES),
      async take(moment, page) {
        await page.screenshot({ path: path.join(OUT, `${FILES[moment]}.png`) });
        console.log(`wrote doc/screenshots/${FILES[moment]}.png`);
      },
    });
    console.log(`demo: ${Object.keys(FILES).length} screenshots in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await browser.close();
  await replica.close();
}

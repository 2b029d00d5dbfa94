// The store pictures, made by the build (`./build.sh store` runs `node tests/demo/store-pictures.mjs
// dist/store`): for every language of extension/_locales, five 1280x800 screenshots of the demo journey
// (tests/demo/journey.mjs, shared with `./build.sh demo`) on the local replicas, and one 440x280 promo tile
// made from the icon.
//
//   <outdir>/screenshots/<lang>/1-banner.png 2-form-helper.png 3-received.png 4-popup.png 5-second-service.png
//   <outdir>/promo-440x280.png
//
// The popup and the tile are composed by rendering a small HTML page in the same Chromium and taking a
// screenshot at exactly their size (no image library): the popup, as the toolbar opens it, placed under a
// drawn toolbar over the page it was opened on. The browser is the test build (dist/test-chromium), the
// extension of dist/chromium with the services' hosts granted at install, because the second service
// (LinkedIn) needs its hosts and a headless browser cannot answer the permission prompt; what it shows is
// the same extension.
//
// Options (environment): STORE_PICTURES_LANGS=de,pl (a subset), STORE_PICTURES_JOBS=N (browsers at once,
// default 2), STORE_PICTURES_EXTENSION=DIR (default dist/test-chromium).

import fs from 'node:fs';
import path from 'node:path';
import { startReplica } from '../replica/server.mjs';
import { ROOT, LANGUAGES, localeOf, launch, runJourney } from './journey.mjs';
import { dress } from './showcase.mjs';

const started = Date.now();
const outArg = process.argv[2];
if (!outArg) {
  console.error('usage: node tests/demo/store-pictures.mjs OUT_DIR');
  process.exit(2);
}
const OUT = path.resolve(outArg);
const EXT = path.resolve(process.env.STORE_PICTURES_EXTENSION || path.join(ROOT, 'dist/test-chromium'));
const SIZE = { width: 1280, height: 800 };
const TILE = { width: 440, height: 280 };
const FILES = { 'banner': '1-banner', 'form-helper': '2-form-helper', 'received': '3-received', 'popup': '4-popup',
  'second-service': '5-second-service' };
const langs = process.env.STORE_PICTURES_LANGS ? process.env.STORE_PICTURES_LANGS.split(',') : LANGUAGES;
const jobs = Math.max(1, Number(process.env.STORE_PICTURES_JOBS) || 2);
// One language's browser, journey and pictures; a language that takes longer has hung somewhere.
const LANGUAGE_DEADLINE_MS = 120000;

for (const l of langs) if (!LANGUAGES.includes(l)) throw new Error(`store pictures: ${l} is not a language of extension/_locales`);
if (!fs.existsSync(path.join(EXT, 'manifest.json'))) {
  throw new Error(`store pictures: no extension at ${EXT} (run ./build.sh first; the test build is dist/test-chromium)`);
}

const png = (file) => `data:image/png;base64,${fs.readFileSync(file).toString('base64')}`;
const pngBuffer = (buf) => `data:image/png;base64,${buf.toString('base64')}`;
const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const english = JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
const iconFile = (px) => path.join(EXT, 'icons', `${px}.png`);

/** A PNG's size from its IHDR chunk: every picture is checked before it counts as written. */
function pngSize(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 1, 4) !== 'PNG') throw new Error(`${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
function checkSize(file, want, what) {
  const got = pngSize(file);
  if (got.width !== want.width || got.height !== want.height) {
    throw new Error(`${what}: ${path.relative(process.cwd(), file)} is ${got.width}x${got.height}, not ${want.width}x${want.height}`);
  }
}

/** Renders `html` in a fresh tab of `context` and writes a screenshot of exactly `size`. */
async function renderHtml(context, html, size, file) {
  const tab = await context.newPage();
  try {
    await tab.setViewportSize(size);
    await tab.setContent(html, { waitUntil: 'load', timeout: 15000 });
    await tab.evaluate(() => document.fonts.ready.then(() => true));
    await tab.screenshot({ path: file, clip: { x: 0, y: 0, ...size } });
  } finally {
    await tab.close();
  }
}

/**
 * The toolbar popup as a visitor sees it: a drawn browser toolbar (address bar with the page's host,
 * the extension's icon pressed at the right), the page below it, and the popup's own screenshot hanging
 * from the icon, as Chromium opens it.
 */
function popupHtml({ pageShot, popupShot, popupSize, host, lang }) {
  const bar = 48;
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><style>
  html, body { margin: 0; width: ${SIZE.width}px; height: ${SIZE.height}px; overflow: hidden; background: #fff;
    font: 14px system-ui, sans-serif; }
  .toolbar { position: absolute; inset: 0 0 auto 0; height: ${bar}px; background: #f1f3f4; border-bottom: 1px solid #dadce0;
    display: flex; align-items: center; gap: 10px; padding: 0 12px; box-sizing: border-box; color: #5f6368; }
  .nav { width: 28px; text-align: center; font-size: 18px; }
  .address { flex: 1; height: 32px; border-radius: 16px; background: #fff; display: flex; align-items: center;
    padding: 0 14px; gap: 8px; color: #202124; font-size: 14px; border: 1px solid #e8eaed; }
  .lock { width: 10px; height: 8px; border: 2px solid #5f6368; border-radius: 2px; position: relative; top: 2px; }
  .lock::before { content: ""; position: absolute; left: 1px; top: -8px; width: 4px; height: 6px;
    border: 2px solid #5f6368; border-bottom: 0; border-radius: 4px 4px 0 0; }
  .ext { width: 32px; height: 32px; border-radius: 16px; background: #dadce0; display: flex; align-items: center;
    justify-content: center; }
  .ext img { width: 16px; height: 16px; }
  .dots { width: 24px; text-align: center; font-size: 18px; }
  .page { position: absolute; top: ${bar}px; left: 0; width: ${SIZE.width}px; height: ${SIZE.height - bar}px; overflow: hidden; }
  .page img { display: block; }
  .popup { position: absolute; top: ${bar - 4}px; right: 46px; width: ${popupSize.width}px; height: ${popupSize.height}px;
    border-radius: 8px; overflow: hidden; background: #fff;
    box-shadow: 0 2px 6px rgba(60, 64, 67, .3), 0 6px 20px rgba(60, 64, 67, .25); }
  .popup img { display: block; }
</style></head><body>
  <div class="page"><img src="${pageShot}" alt=""></div>
  <div class="toolbar">
    <span class="nav">&#x2190;</span><span class="nav">&#x2192;</span><span class="nav">&#x21bb;</span>
    <div class="address"><span class="lock"></span><span>${escapeHtml(host)}</span></div>
    <span class="ext"><img src="${png(iconFile(32))}" alt=""></span><span class="dots">&#x22ee;</span>
  </div>
  <div class="popup"><img src="${popupShot}" alt=""></div>
</body></html>`;
}

/** The small promo tile: the icon and the extension's name (the English catalogue's extName). */
function tileHtml() {
  const [name, rest] = english.extName.message.split(/:\s*/, 2);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
  html, body { margin: 0; width: ${TILE.width}px; height: ${TILE.height}px; overflow: hidden; }
  body { background: linear-gradient(135deg, #ffffff, #dde7fa); color: #0b2a6f; font-family: system-ui, sans-serif;
    display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 14px; }
  img { width: 112px; height: 112px; filter: drop-shadow(0 4px 10px rgba(11, 42, 111, .3)); }
  h1 { margin: 0; font-size: 36px; font-weight: 700; letter-spacing: .5px; }
  p { margin: 0; font-size: 19px; color: #33477a; }
</style></head><body>
  <img src="${png(iconFile(128))}" alt="">
  <h1>${escapeHtml(name)}</h1>${rest ? `<p>${escapeHtml(rest)}</p>` : ''}
</body></html>`;
}

async function picturesOf(replica, lang) {
  const t0 = Date.now();
  const dir = path.join(OUT, 'screenshots', lang);
  fs.mkdirSync(dir, { recursive: true });
  const browser = await launch({ replica, extensionDir: EXT, locale: localeOf(lang), viewport: SIZE });
  try {
    const written = [];
    const take = async (moment, page, { tab } = {}) => {
      const what = `store pictures ${lang} ${FILES[moment]}`;
      const file = path.join(dir, `${FILES[moment]}.png`);
      await dress(tab);
      if (moment === 'popup') {
        const popupSize = page.viewportSize(); // the toolbar popup's own size (journey.mjs)
        const popupShot = await page.screenshot({ clip: { x: 0, y: 0, ...popupSize } });
        const pageShot = await tab.screenshot({ clip: { x: 0, y: 0, ...SIZE } });
        await renderHtml(page.context(), popupHtml({ pageShot: pngBuffer(pageShot), popupShot: pngBuffer(popupShot), popupSize,
          host: new URL(tab.url()).hostname, lang }), SIZE, file);
      } else {
        await page.screenshot({ path: file, clip: { x: 0, y: 0, ...SIZE } });
      }
      checkSize(file, SIZE, what);
      written.push(FILES[moment]);
    };
    await runJourney({ context: browser.context, page: browser.page, lang, label: `store pictures ${lang}`,
      want: Object.keys(FILES), take });
    const missing = Object.values(FILES).filter((f) => !written.includes(f));
    if (missing.length) throw new Error(`store pictures ${lang}: not written: ${missing.join(', ')}`);
    if (lang === langs[0]) {
      const tile = path.join(OUT, 'promo-440x280.png');
      await renderHtml(browser.context, tileHtml(), TILE, tile);
      checkSize(tile, TILE, 'store pictures promo tile');
      console.log(`wrote ${path.relative(process.cwd(), tile)}`);
    }
    console.log(`wrote ${path.relative(process.cwd(), dir)}/{${written.join(',')}}.png in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await browser.close();
  }
}

const withDeadline = (p, ms, what) => {
  let timer;
  return Promise.race([p, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms / 1000} s`)), ms); })])
    .finally(() => clearTimeout(timer));
};

const replica = await startReplica({ port: 0 });
let failed = null;
try {
  fs.rmSync(path.join(OUT, 'screenshots'), { recursive: true, force: true });
  const queue = [...langs];
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let lang; !failed && (lang = queue.shift());) {
      await withDeadline(picturesOf(replica, lang), LANGUAGE_DEADLINE_MS, `store pictures ${lang}`)
        .catch((e) => { failed ??= e; });
    }
  }));
} finally {
  await replica.close();
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failed) {
  console.error(`store pictures FAILED after ${seconds} s: ${failed.message}`);
  process.exit(1);
}
console.log(`store pictures: ${langs.length} language(s) x ${Object.keys(FILES).length} screenshots and the promo tile in ${seconds} s (${jobs} browser(s) at once)`);

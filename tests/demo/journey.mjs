// The demo journey, one copy for `./build.sh demo` (tests/demo/demo.mjs, screenshots in doc/screenshots/)
// and for the store pictures (tests/demo/store-pictures.mjs, `./build.sh store`): headless Chromium with
// the built extension on the local replicas (tests/replica/server.mjs) under the real host names, one
// browser per language (the extension's language is the browser's, fixed at launch by --lang).
//
// Every wait has a deadline and its error names the run's label (the language) and the moment, so a CI log
// says which picture of which language failed and what was last seen.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { FORMS, SERVICE_DOMAINS, SERVICES } from '../replica/server.mjs';
import { panelAccess, EXTENSION_ID } from '../e2e/chromium.mjs';
import { readPanelInPage, popupPainted } from '../e2e/page-fns.mjs';
import { until } from '../e2e/wait.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const POPUP = `chrome-extension://${EXTENSION_ID}/popup/popup.html`;
/** The languages of the extension (tools/languages.mjs: the folders of extension/_locales). */
export { LANGS as LANGUAGES } from '../../tools/languages.mjs';
/** A catalogue folder's name (`de`, `pt_BR`) as a browser locale (`de`, `pt-BR`). */
export const localeOf = (folder) => folder.replace('_', '-');

/**
 * The moments of the journey, in order. A run names the ones it wants; the others it passes through
 * (banner → form → received → popup always happen; the fallback route and the second service only when
 * asked for). `second-service` needs the test build (dist/test-chromium: the services' hosts granted at
 * install, as a headless browser cannot answer the permission prompt).
 */
export const MOMENTS = ['banner', 'fallback-route', 'form-helper', 'received', 'popup', 'second-service'];

/** Host mapping: Meta's and the services' hosts (the rules' domains) to the replica; nothing else leaves. */
function resolverRules(port) {
  const map = (h) => `MAP ${h} 127.0.0.1:${port}`;
  return [map('*.facebook.com'), map('facebook.com'), map('*.instagram.com'), map('instagram.com'),
    ...SERVICE_DOMAINS.flatMap((d) => [map(`*.${d}`), map(d)]), map('*'), 'EXCLUDE localhost'].join(', ');
}

/**
 * Chromium with the extension, speaking `locale` (its UI, so the extension's i18n, and Accept-Language,
 * so the replica's `?lang=auto` / `?confirm=auto`). → {context, page, close()}.
 */
export async function launch({ replica, extensionDir, locale, viewport, headed = false }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'widerspruch-demo-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: false,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport, deviceScaleFactor: 1, locale, colorScheme: 'light',
    // Chromium on Linux takes its UI language from LANGUAGE as well as --lang (tests/e2e/chromium.mjs).
    env: { ...process.env, LANGUAGE: locale.replace('-', '_') },
    timeout: 30000,
    args: [
      ...(headed ? [] : ['--headless=new']),
      '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--no-default-browser-check', '--disable-features=Translate,MediaRouter',
      '--hide-scrollbars', `--load-extension=${extensionDir}`, `--disable-extensions-except=${extensionDir}`,
      `--host-resolver-rules=${resolverRules(replica.port)}`, '--ignore-certificate-errors', `--lang=${locale}`,
    ],
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the journey in a launched browser. `take(moment, page)` is called at each moment of `want`, with
 * the page showing it (for `popup`: the popup in a tab, sized as the toolbar popup is). `lang` is the
 * language of the replica pages where they have one (pre-send text, LinkedIn's label); `label` names the
 * run in errors.
 */
export async function runJourney({ context, page, lang, label, want, take, timeout = 20000 }) {
  const wanted = new Set(want);
  lang = lang.slice(0, 2).toLowerCase(); // the replicas know languages by two letters
  let moment = 'start';
  const fail = (what) => `${label} ${moment}: ${what}`;
  const wait = (read, pred, what, ms = timeout) => until(read, pred, { timeout: ms, what: fail(what) });
  const inPanel = panelAccess(page);
  const panel = () => inPanel.eval(readPanelInPage);
  const panelClick = async (action, what) => {
    const at = await inPanel.point((a, root) => root?.querySelector(`button[data-action=${a}]`) ?? null, action, fail(what), timeout);
    await page.mouse.click(at.x, at.y);
  };
  const goto = async (url) => {
    await page.goto(url, { waitUntil: 'load', timeout });
  };
  const at = async (name, ready) => {
    moment = name;
    const shown = (await ready?.()) ?? page;
    if (wanted.has(name)) await take(name, shown, { tab: page });
  };

  // Meta's feed: the banner, in the browser's language.
  await at('banner', async () => {
    await goto('https://www.facebook.com/');
    await wait(panel, (p) => p.kind === 'banner' && p.visible, 'the banner on the Facebook feed');
    await settle(page);
  });

  if (wanted.has('fallback-route')) {
    await at('fallback-route', async () => {
      await panelClick('link_broken', 'the banner\'s "The link doesn\'t work"');
      await wait(panel, (p) => p.steps.length > 0, 'the fallback route\'s steps in the banner');
    });
  }

  // The objection form, with one of the helper's reasons inserted.
  await at('form-helper', async () => {
    const form = new URL(FORMS.facebook);
    form.searchParams.set('lang', lang);
    form.searchParams.set('confirm', 'auto'); // Meta's reported wording for the browser's language
    await goto(form.href);
    await wait(panel, (p) => p.kind === 'form-helper' && p.visible && p.reasons.length > 0, 'the form helper with its reasons');
    await panelClick('insert_reason', 'the helper\'s first reason');
    await wait(() => page.evaluate(() => document.querySelector('textarea[name=reason]')?.value ?? ''),
      (v) => v.length > 0, 'the reason in the form\'s text field');
    await settle(page);
  });

  // Meta's answer after sending: the helper says it was received.
  await at('received', async () => {
    await page.locator('#replica-send').click({ timeout });
    await page.locator('#replica-received').waitFor({ timeout });
    await wait(panel, (p) => p.kind === 'form-helper' && p.visible && !p.reasons.length, 'the helper after Meta\'s answer');
    await settle(page);
  });

  // The popup, in a tab the size of the toolbar popup, opened from the Facebook feed (`tab` for take()).
  let popup = null;
  await at('popup', async () => {
    await goto('https://www.facebook.com/');
    await wait(panel, (p) => p.count === 0 || (p.kind !== null && p.visible), 'the Facebook feed after sending');
    await settle(page);
    popup = await context.newPage();
    // Chromium's largest toolbar popup, 800x600 (https://developer.chrome.com/docs/extensions/reference/api/action#popup):
    // no taller, or popup.css lays it out as the full page Firefox for Android opens (its min-height: 601px rule).
    await popup.setViewportSize({ width: 800, height: 600 });
    await popup.goto(POPUP, { timeout });
    await wait(() => popup.evaluate(popupPainted), Boolean, 'the popup to paint');
    await popup.evaluate(() => document.fonts.ready.then(() => true));
    // Then the tab takes the toolbar popup's own size: its body's width, its content's height up to 600.
    const natural = await popup.evaluate(() => {
      const r = document.body.getBoundingClientRect();
      return { width: Math.ceil(r.width), height: Math.ceil(Math.max(r.height, document.body.scrollHeight)) };
    });
    await popup.setViewportSize({ width: natural.width, height: Math.min(600, natural.height) });
    await settle(popup);
    return popup;
  });

  if (wanted.has('second-service')) {
    // LinkedIn switched on in the popup (as a user does), then its setting page: the setting helper.
    const id = 'linkedin';
    const service = SERVICES[id];
    await at('second-service', async () => {
      const sw = `#services li[data-service="${id}"] input[data-action=service_chosen]`;
      await popup.locator(sw).click({ timeout });
      await wait(() => popup.evaluate(() => chrome.scripting.getRegisteredContentScripts()
        .then((l) => l.map((s) => s.id))), (ids) => ids.includes(`service-${id}`),
      `LinkedIn's content script registered after its switch in the popup (is this the test build, dist/test-chromium?)`);
      await popup.close();
      popup = null;
      // LinkedIn in the reader's language where the rules hold its label there; else in English (LinkedIn's
      // language is the account's, not the browser's, and the replica shows no unsourced label).
      const pageLang = service.setting.labels.some((l) => l.lang === lang) ? lang : 'en';
      const url = new URL(service.setting.link);
      url.searchParams.set('lang', pageLang);
      url.searchParams.set('setting', 'on');
      await page.bringToFront();
      await goto(url.href);
      await wait(panel, (p) => p.kind === 'setting-helper' && p.visible && p.settingState === 'on',
        `the setting helper reading LinkedIn's switch on (page language ${pageLang})`);
      await settle(page);
    });
  }
  if (popup) await popup.close();
}

/**
 * The page at its top (a click in the panel scrolls its button into view, and under a fixed top bar the
 * panel's first lines would be hidden), fonts loaded and two frames painted: the finished layout.
 */
async function settle(page) {
  await page.evaluate(() => document.fonts.ready.then(() => window.scrollTo(0, 0)).then(() => new Promise((r) =>
    requestAnimationFrame(() => requestAnimationFrame(() => r(true))))));
}

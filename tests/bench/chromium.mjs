// Chromium side of the benchmark: one browser per configuration, page loads measured over CDP.
//
// A configuration is a persistent-context launch of Debian's /usr/bin/chromium through playwright-core with
// the launch recipe of shared/engineering.md: the Widerspruch build (dist/chromium), the baseline extension
// (tests/bench/baseline-extension) or no extension at all. The three browsers run side by side and
// bench.mjs alternates loads between them, so every ratio compares loads made in the same minute.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { panelAccess } from '../e2e/chromium.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const metricsOf = async (cdp) =>
  Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

// CDP to a target Playwright has no handle for (the extension's service worker), through the browser
// session: Target.attachToTarget (non-flat) + Target.sendMessageToTarget.
async function attachRaw(browserSession, targetId) {
  const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId, flatten: false });
  let next = 1;
  const pending = new Map();
  const onMessage = (e) => {
    if (e.sessionId !== sessionId) return;
    const msg = JSON.parse(e.message);
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
    else p.resolve(msg.result);
  };
  browserSession.on('Target.receivedMessageFromTarget', onMessage);
  return {
    send(method, params = {}) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, method });
        browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
          .catch(reject);
      });
    },
    async detach() {
      browserSession.off('Target.receivedMessageFromTarget', onMessage);
      await browserSession.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    },
  };
}

// Starts a trace of `categories` on a CDP session; → stop(), which ends it and resolves to all its events.
async function startTrace(cdp, categories) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => { for (const ev of e.value) events.push(ev); });
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories } });
  return async () => {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    return events;
  };
}

export async function launchConfig({ name, extensionDir = null, serverPort }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const map = (h) => `MAP ${h} 127.0.0.1:${serverPort}`;
  const rules = [map('*.facebook.com'), map('facebook.com'), map('*.instagram.com'), map('instagram.com'),
    'MAP * ~NOTFOUND', 'EXCLUDE localhost'].join(', ');
  const args = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--no-default-browser-check', '--disable-features=Translate,MediaRouter',
    `--host-resolver-rules=${rules}`, '--ignore-certificate-errors'];
  if (extensionDir) args.push(`--load-extension=${extensionDir}`, `--disable-extensions-except=${extensionDir}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.BENCH_CHROMIUM || '/usr/bin/chromium', headless: false, args,
    ignoreDefaultArgs: ['--disable-extensions'], ignoreHTTPSErrors: true, viewport: { width: 1200, height: 800 },
  });
  const browserSession = await context.browser().newBrowserCDPSession();
  const control = context.pages()[0] ?? await context.newPage(); // keeps the browser's window alive

  let extensionId = null;
  if (extensionDir) {
    const deadline = Date.now() + 15000;
    while (!extensionId && Date.now() < deadline) {
      const { targetInfos } = await browserSession.send('Target.getTargets');
      const t = targetInfos.find((x) => x.type === 'service_worker' && x.url.startsWith('chrome-extension://'));
      if (t) extensionId = new URL(t.url).host;
      else if (!fs.existsSync(path.join(extensionDir, 'background'))) break; // the baseline has no worker
      else await sleep(100);
    }
  }

  // A raw CDP session on this extension's service worker, or null when it has none running.
  async function attachWorker() {
    const { targetInfos } = await browserSession.send('Target.getTargets');
    const t = targetInfos.find((x) => x.type === 'service_worker' && x.url.startsWith(`chrome-extension://${extensionId}/`));
    return t ? attachRaw(browserSession, t.targetId) : null;
  }

  const cfg = {
    name, context, extensionId, version: context.browser().version(),

    // One page load in a fresh tab (so a fresh renderer: Performance metrics and the heap are this load's).
    // The harness does nothing in the page until `settleMs` after the load event, then reads the metrics.
    async load(url, { settleMs = 400, heap = true, waitBanner = true } = {}) {
      const page = await context.newPage();
      try {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        await page.goto(url, { waitUntil: 'load' });
        await sleep(settleMs);
        const m = await metricsOf(cdp);
        let b = await page.evaluate(() => ({ ...window.__bench,
          dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventStart }));
        // A slow banner (a cold worker) may need longer than settleMs: wait for it, outside the metrics.
        const deadline = Date.now() + 10000;
        while (waitBanner && b.painted == null && Date.now() < deadline) {
          await sleep(50);
          b = await page.evaluate(() => ({ ...window.__bench,
            dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventStart }));
        }
        const out = {
          dclToInserted: b.inserted == null ? null : b.inserted - b.dcl,
          dclToFrame: b.frame == null ? null : b.frame - b.dcl,
          dclToPainted: b.painted == null ? null : b.painted - b.dcl,
          complete: b.complete, tag: b.tag,
          scriptMs: m.ScriptDuration * 1000, taskMs: m.TaskDuration * 1000,
        };
        if (heap) {
          await cdp.send('HeapProfiler.collectGarbage');
          const h = await cdp.send('Runtime.getHeapUsage');
          out.heapUsed = h.usedSize;
          out.embedderUsed = h.embedderHeapUsedSize;
        }
        await cdp.detach().catch(() => {});
        return out;
      } finally {
        await page.close();
      }
    },

    // CDP ServiceWorker.stopAllWorkers (through the control tab, as tests/e2e/chromium.mjs does) and wait
    // until Chromium reports the extension's worker stopped.
    async stopWorker() {
      const s = await context.newCDPSession(control);
      const versions = new Map();
      s.on('ServiceWorker.workerVersionUpdated', (e) => {
        for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) versions.set(v.versionId, v);
      });
      try {
        await s.send('ServiceWorker.enable');
        const wait = async (pred, ms) => {
          const end = Date.now() + ms;
          while (Date.now() < end) { if (pred([...versions.values()])) return true; await sleep(10); }
          return false;
        };
        await wait((vs) => vs.length > 0, 2000);
        await s.send('ServiceWorker.stopAllWorkers');
        const ok = await wait((vs) => vs.length > 0 && vs.every((v) => v.runningStatus === 'stopped'), 5000);
        if (!ok) throw new Error('the extension service worker did not stop within 5 s');
      } finally {
        await s.send('ServiceWorker.disable').catch(() => {});
        await s.detach().catch(() => {});
      }
    },

    // The service worker's JS heap after a forced GC, and the WASM core's linear memory.
    async workerHeap() {
      const w = await attachWorker();
      if (!w) return null;
      try {
        await w.send('HeapProfiler.collectGarbage');
        const h = await w.send('Runtime.getHeapUsage');
        const r = await w.send('Runtime.evaluate', { expression:
          'wasm_bindgen().then((w) => w.memory.buffer.byteLength)', awaitPromise: true, returnByValue: true });
        return { jsHeap: h.usedSize, embedder: h.embedderHeapUsedSize, wasmMemory: r.result?.value ?? null };
      } finally {
        await w.detach();
      }
    },

    // Popup: a tab navigated to popup/popup.html; "painted" = #checklist[data-ready=true] seen by a
    // MutationObserver installed before any popup script runs, plus the next frame, relative to the
    // navigation's time origin (performance.now() = 0 when the tab starts loading the popup).
    // `page`: the popup by default; bench.mjs also times a static page (the floor) through the same path.
    async popup(page_ = 'popup/popup.html') {
      const page = await context.newPage();
      try {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Page.enable');
        await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: `(() => {
          const r = window.__popupBench = { ready: null, painted: null };
          const check = () => {
            if (r.ready != null || !document.querySelector('#checklist[data-ready=true]')) return;
            r.ready = performance.now(); mo.disconnect();
            requestAnimationFrame(() => { const ch = new MessageChannel();
              ch.port1.onmessage = () => { r.painted = performance.now(); }; ch.port2.postMessage(0); });
          };
          // The popup's one milestone before its checklist, by wrapping the call it makes (main world, before
          // the popup's script runs): the message to the background, sent and answered.
          const send = globalThis.chrome?.runtime?.sendMessage;
          if (typeof send === 'function') {
            try {
              chrome.runtime.sendMessage = function (...a) {
                r.messageStart ??= performance.now();
                const p = send.apply(this, a);
                Promise.resolve(p).then(() => { r.messageEnd ??= performance.now(); }, () => {});
                return p;
              };
            } catch { /* read-only: no milestone */ }
          }
          const mo = new MutationObserver(check);
          mo.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
        })();` });
        await page.goto(`chrome-extension://${extensionId}/${page_}`);
        await page.waitForFunction(() => window.__popupBench?.painted != null, null, { timeout: 10000, polling: 50 });
        const r = await page.evaluate(() => {
          return { ...window.__popupBench, dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd };
        });
        await cdp.detach().catch(() => {});
        return r;
      } finally {
        await page.close();
      }
    },

    // The busy feed for `windowMs`: CPU profile (V8 sampling profiler, every frame with its script URL)
    // and a trace (timeline events: FunctionCall with the callee's script URL, TimerInstall/TimerFire with
    // the installing stack) over the window, plus Performance metrics before and after it. The trace
    // starts before the navigation, so timers the content script installs while the page loads count too.
    async busy(url, { windowMs = 10000, samplingUs = 200 } = {}) {
      const page = await context.newPage();
      try {
        const cdp = await context.newCDPSession(page);
        const stopTrace = await startTrace(cdp, ['devtools.timeline', 'disabled-by-default-devtools.timeline',
          'disabled-by-default-devtools.timeline.stack', 'v8.execute']);
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: samplingUs });
        await page.goto(url, { waitUntil: 'load' });
        await sleep(500); // the banner is in place (warm worker); the window starts now
        await page.evaluate(() => console.timeStamp('bench-window-start'));
        const m0 = await metricsOf(cdp);
        await cdp.send('Profiler.start');
        await sleep(windowMs);
        const { profile } = await cdp.send('Profiler.stop');
        const m1 = await metricsOf(cdp);
        await page.evaluate(() => console.timeStamp('bench-window-end'));
        const events = await stopTrace();
        const banner = await page.evaluate(() => window.__bench.tag);
        await cdp.detach().catch(() => {});
        return { profile, events, pageTaskMs: (m1.TaskDuration - m0.TaskDuration) * 1000,
          pageScriptMs: (m1.ScriptDuration - m0.ScriptDuration) * 1000, banner };
      } finally {
        await page.close();
      }
    },

    // The busy objection form (pages/busy-form.html under the real form URL) for `windowMs`: the page's
    // main-thread time over the window, from CDP Performance.getMetrics (thread time of the renderer's main
    // thread: the page's script, the content scripts' callbacks in their isolated world, style, layout,
    // paint, GC), and the page's own account of its frames (window.__busyForm, see busy-form.js), both
    // read right before and right after the window. `waitHelper`: the window starts only once the form
    // helper is in the page (then `settleMs` more, for all configurations alike, so the window sees the
    // steady state, not the load). Afterwards, outside the window: is the helper still there, and the
    // page's text, which the harness checks for signal fragments (one would stop the helper's watching).
    // `profile`: a V8 CPU profile over the window too (for attribution only: sampling slows the page).
    async busyForm(url, { windowMs = 5000, settleMs = 1000, waitHelper = false, profile = false } = {}) {
      const page = await context.newPage();
      try {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        const t0 = Date.now();
        await page.goto(url, { waitUntil: 'load' });
        // The form helper is the host that is not a popover (the banner is one); nothing else on it says its kind.
        const helperPresent = () => !!document.querySelector('widerspruch-banner:not([popover])');
        let helperAfterMs = null;
        if (waitHelper) {
          await page.waitForFunction(helperPresent, null, { timeout: 15000, polling: 50 });
          helperAfterMs = Date.now() - t0;
        }
        await sleep(settleMs);
        const own = () => page.evaluate(() => ({ ...window.__busyForm }));
        if (profile) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
          await cdp.send('Profiler.start');
        }
        const s0 = await own();
        const m0 = await metricsOf(cdp);
        await sleep(windowMs);
        const m1 = await metricsOf(cdp);
        const cpuProfile = profile ? (await cdp.send('Profiler.stop')).profile : null;
        const s1 = await own();
        const helperAfter = await page.evaluate(helperPresent);
        const text = await page.evaluate(() => document.documentElement.innerText);
        await cdp.detach().catch(() => {});
        const d = (k) => (m1[k] - m0[k]) * 1000;
        return { windowMs, helperAfterMs, helperAtEnd: helperAfter, text, cpuProfile,
          taskMs: d('TaskDuration'), scriptMs: d('ScriptDuration'), layoutMs: d('LayoutDuration'),
          styleMs: d('RecalcStyleDuration'), frames: s1.frames - s0.frames, rafMs: s1.rafMs - s0.rafMs,
          slowFrames: s1.slow - s0.slow };
      } finally {
        await page.close();
      }
    },

    // On the busy form: the user sends (a trusted click on the submit button), the page replaces its form
    // area with an answer holding `answerText`; does the helper react (its shadow content changes or it
    // goes) within `timeoutMs`? Proof that the helper was watching this page, not idle on it.
    async busyFormAnswer(url, answerText, { timeoutMs = 10000 } = {}) {
      const page = await context.newPage();
      try {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => !!document.querySelector('widerspruch-banner:not([popover])'), null,
          { timeout: 15000, polling: 50 });
        // The helper's shadow root is closed: its content is read through CDP (tests/e2e/chromium.mjs).
        const panel = panelAccess(page);
        const content = () => panel.eval((_arg, root) => (root ? root.innerHTML : null));
        const before = await content();
        await page.evaluate((t) => { document.querySelector('form').dataset.answer = t; }, answerText);
        const t0 = Date.now();
        await page.click('button[type=submit]');
        let reacted = false;
        while (!reacted && Date.now() - t0 < timeoutMs) {
          await sleep(50);
          reacted = (await content().catch(() => before)) !== before;
        }
        return { reacted, afterMs: reacted ? Date.now() - t0 : null };
      } finally {
        await page.close();
      }
    },

    // One traced load: where the time from DOMContentLoaded to the banner goes. Returns the milestones in ms
    // after DOMContentLoaded start, all on the trace clock: when the content script is evaluated, when the
    // service worker's code runs (message handler, WASM), when the reply reaches the content script, when
    // the banner is inserted and painted (the probe's console.timeStamp marks).
    async tracedLoad(url) {
      const page = await context.newPage();
      try {
        const cdp = await context.newCDPSession(page);
        const stopTrace = await startTrace(cdp, ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline']);
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => window.__bench?.painted != null, null, { timeout: 10000, polling: 50 });
        const events = await stopTrace();
        await cdp.detach().catch(() => {});
        const mark = (m) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === m)?.ts;
        const inserted = mark('bench-banner-inserted');
        const painted = mark('bench-banner-painted');
        // The DOMContentLoaded of the page's main frame in the renderer that painted the banner.
        const pagePid = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'bench-banner-inserted')?.pid;
        const dcl = events.find((e) => e.name === 'MarkDOMContent' && e.pid === pagePid && e.args?.data?.isMainFrame !== false)?.ts;
        const rel = (ts) => (ts == null || dcl == null ? null : (ts - dcl) / 1000);
        const cs = events.filter((e) => e.pid === pagePid && isExt(e.args?.data?.url));
        const evalCs = cs.find((e) => e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'v8.run');
        const csEval = events.find((e) => e.name === 'EvaluateScript' && e.pid === pagePid && isExt(e.args?.data?.url));
        const reply = cs.filter((e) => e.name === 'FunctionCall').map((e) => e.ts).find((ts) => inserted == null || ts <= inserted);
        const sw = events.filter((e) => e.pid !== pagePid && e.name === 'FunctionCall' && isExt(e.args?.data?.url))
          .filter((e) => dcl == null || e.ts >= dcl - 5000);
        return {
          contentScriptStart: rel((csEval ?? evalCs)?.ts),
          contentScriptMs: csEval?.dur != null ? csEval.dur / 1000 : null,
          workerFirst: rel(sw[0]?.ts), workerLast: rel(sw.length ? Math.max(...sw.map((e) => e.ts + (e.dur ?? 0))) : null),
          workerCallMs: sw.reduce((a, e) => a + (e.dur ?? 0), 0) / 1000,
          replyInPage: rel(reply), inserted: rel(inserted), painted: rel(painted),
        };
      } finally {
        await page.close();
      }
    },

    // CPU profile of the extension's service worker while `fn` runs (e.g. warm page loads): where the worker
    // spends its time per message (background.js, the wasm-bindgen glue, WASM functions, the browser's own).
    async workerProfile(fn, { samplingUs = 100 } = {}) {
      const w = await attachWorker();
      if (!w) return null;
      try {
        await w.send('Profiler.enable');
        await w.send('Profiler.setSamplingInterval', { interval: samplingUs });
        await w.send('Profiler.start');
        await fn();
        const { profile } = await w.send('Profiler.stop');
        return profile;
      } finally {
        await w.detach();
      }
    },

    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
  return cfg;
}

// --- analysis of a busy-feed run -----------------------------------------------------------------------

const isExt = (url) => typeof url === 'string' && /^(chrome-extension|moz-extension):\/\//.test(url);

// Sampled time whose stack contains a frame from an extension script (inclusive), and the profile's
// non-idle total.
export function profileAttribution(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const extMemo = new Map();
  const hasExt = (id) => {
    if (extMemo.has(id)) return extMemo.get(id);
    const n = byId.get(id);
    const v = isExt(n.callFrame.url) || (parent.has(id) ? hasExt(parent.get(id)) : false);
    extMemo.set(id, v);
    return v;
  };
  let extUs = 0, busyUs = 0, totalUs = 0;
  const extFunctions = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0; // the time until the next sample belongs to this one
    const n = byId.get(profile.samples[i]);
    totalUs += dt;
    if (n.callFrame.functionName !== '(idle)') busyUs += dt;
    if (hasExt(n.id)) {
      extUs += dt;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url}:${n.callFrame.lineNumber + 1}`;
      extFunctions.set(key, (extFunctions.get(key) ?? 0) + dt);
    }
  }
  return { extMs: extUs / 1000, busyMs: busyUs / 1000, totalMs: totalUs / 1000, extFunctions };
}

// Trace events attributed to extension scripts, split into "while loading" and "in the window".
export function traceAttribution(events) {
  const mark = (name) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === name)?.ts;
  const start = mark('bench-window-start');
  const end = mark('bench-window-end');
  const out = { window: { calls: 0, callMs: 0, timersInstalled: 0, timerFires: 0 },
    load: { calls: 0, callMs: 0, timersInstalled: 0 }, pageTimerFires: 0, pageCalls: 0, marks: start != null && end != null };
  const extTimers = new Set();
  for (const e of events) {
    const inWindow = start != null && e.ts >= start && (end == null || e.ts <= end);
    const slot = inWindow ? out.window : out.load;
    const d = e.args?.data ?? {};
    if (e.name === 'FunctionCall') {
      if (isExt(d.url)) { slot.calls += 1; slot.callMs += (e.dur ?? 0) / 1000; }
      else if (inWindow && d.url) out.pageCalls += 1;
    } else if (e.name === 'TimerInstall') {
      const url = d.stackTrace?.[0]?.url ?? d.url;
      if (isExt(url)) { slot.timersInstalled += 1; extTimers.add(d.timerId); }
    } else if (e.name === 'TimerFire' && inWindow) {
      if (extTimers.has(d.timerId)) out.window.timerFires += 1;
      else out.pageTimerFires += 1;
    }
  }
  return out;
}

// Self time of a CPU profile grouped by where the code lives: WASM (by function), the extension's JS files,
// and the rest ("(program)", "(garbage collector)", the browser's bindings). Idle excluded.
export function selfTimeBy(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const groups = new Map();
  const wasmFns = new Map();
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const cf = byId.get(profile.samples[i]).callFrame;
    if (cf.functionName === '(idle)') continue;
    busyUs += dt;
    let g;
    if (cf.url.startsWith('wasm://')) {
      g = 'WASM';
      wasmFns.set(cf.functionName, (wasmFns.get(cf.functionName) ?? 0) + dt);
    } else if (isExt(cf.url)) g = new URL(cf.url).pathname;
    else g = cf.url || cf.functionName || '(native)';
    groups.set(g, (groups.get(g) ?? 0) + dt);
  }
  return { busyMs: busyUs / 1000, groups: Object.fromEntries([...groups].map(([k, v]) => [k, v / 1000]).sort((a, b) => b[1] - a[1])),
    wasm: Object.fromEntries([...wasmFns].map(([k, v]) => [k, v / 1000]).sort((a, b) => b[1] - a[1]).slice(0, 10)) };
}

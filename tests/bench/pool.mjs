#!/usr/bin/env node
// Pools the busy-form rounds of several bench runs (their raw JSON files) into one figure per page behaviour:
// the paired W/E ratios of all rounds together, median and IQR, as bench.mjs computes them for one run.
// Runs of `--only services` pool the same way: per site, the warm W − B differences paired by round, the
// cold times, the busy windows' extension calls and timers.
//
//   node tests/bench/pool.mjs target/bench/a.json target/bench/b.json …
import fs from 'node:fs';
import { median, quantile } from './stats.mjs';

const q = (xs, d = 1) => `${median(xs).toFixed(d)} (IQR ${quantile(xs, 0.25).toFixed(d)} – ${quantile(xs, 0.75).toFixed(d)}, n=${xs.length})`;
const runs = [];
const serviceRuns = [];
for (const f of process.argv.slice(2)) {
  const all = JSON.parse(fs.readFileSync(f, 'utf8'));
  const r = all.busyForm;
  if (r?.modes) runs.push({ r });
  if (all.services?.sites) serviceRuns.push(all.services);
  if (!r?.modes && !all.services?.sites) console.error(`${f}: no busy-form or services figures`);
}
const FRAME_MS = 1000 / 60;
for (const id of [...new Set(serviceRuns.flatMap((s) => Object.keys(s.sites)))]) {
  const warm = [], warmW = [], warmB = [], cold = [], coldB = [], loads = [];
  let calls = 0, timers = 0, windows = 0, titleCalls = 0, titleWindows = 0;
  for (const s of serviceRuns) {
    const x = s.sites[id];
    if (!x?.cold) continue;
    x.warm.W.forEach((w, i) => {
      const b = x.warm.B[i];
      if (w.dclToPainted != null && b?.dclToPainted != null) warm.push(w.dclToPainted - b.dclToPainted);
    });
    warmW.push(...x.warm.W.map((v) => v.dclToPainted).filter((v) => v != null));
    warmB.push(...x.warm.B.map((v) => v.dclToPainted).filter((v) => v != null));
    cold.push(...x.cold.W.map((v) => v.dclToPainted).filter((v) => v != null));
    coldB.push(...x.cold.B.map((v) => v.dclToPainted).filter((v) => v != null));
    for (const [variant, busy] of Object.entries(x.busy ?? {})) {
      for (const v of busy.W) {
        const n = v.trace.window.calls, t = v.trace.window.timersInstalled + v.trace.load.timersInstalled;
        if (variant === 'title') { titleCalls += n; titleWindows += 1; } else { calls += n; timers += t; windows += 1; }
      }
    }
    loads.push(...s.load);
  }
  if (!warm.length) continue;
  const within = warm.filter((d) => d <= FRAME_MS).length;
  // The paint is bimodal (the page's first frame comes before or after its hydration), so also: how often
  // each banner made the frame before DOMContentLoaded.
  const early = (xs) => `${xs.filter((v) => v < 0).length}/${xs.length}`;
  console.log(`${id}: warm W − B painted, paired ${q(warm)} ms (target ≤ ${FRAME_MS.toFixed(1)}), within a frame in ${within}/${warm.length}; ` +
    `W ${q(warmW)}, B ${q(warmB)} ms; painted before DOMContentLoaded W ${early(warmW)}, B ${early(warmB)}; cold W ${q(cold)} ms (target ≤ 150), B ${q(coldB)} ms; ` +
    `scrolling: ${calls} calls, ${timers} timers in ${windows} windows; with the <title> changing ${titleCalls} calls in ` +
    `${titleWindows}; ${serviceRuns.length} runs, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
}
for (const mode of [...new Set(runs.flatMap(({ r }) => Object.keys(r.modes)))]) {
  const added = [], script = [], loads = [];
  for (const { r } of runs) {
    const m = r.modes[mode];
    if (!m) continue;
    const pf = (x, k) => x[k] / x.frames;
    m.W.forEach((w, i) => {
      added.push(100 * (pf(w, 'taskMs') / pf(m.E[i], 'taskMs') - 1));
      script.push(pf(w, 'scriptMs') - pf(m.E[i], 'scriptMs'));
    });
    loads.push(...r.load);
  }
  console.log(`#${mode}: added main-thread time per frame, W vs E: ${q(added)} % (budget ≤ 15 %); ` +
    `added script per frame ${q(script, 2)} ms; ${runs.length} runs, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
}

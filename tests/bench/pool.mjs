#!/usr/bin/env node
// Pools the busy-form rounds of several bench runs (their raw JSON files) into one figure per page behaviour:
// the paired W/E ratios of all rounds together, median and IQR, as bench.mjs computes them for one run.
//
//   node tests/bench/pool.mjs target/bench/a.json target/bench/b.json …
import fs from 'node:fs';
import { median, quantile } from './stats.mjs';

const runs = [];
for (const f of process.argv.slice(2)) {
  const r = JSON.parse(fs.readFileSync(f, 'utf8')).busyForm;
  if (r?.modes) runs.push({ r });
  else console.error(`${f}: no busy-form figures`);
}
const q = (xs, d = 1) => `${median(xs).toFixed(d)} (IQR ${quantile(xs, 0.25).toFixed(d)} – ${quantile(xs, 0.75).toFixed(d)}, n=${xs.length})`;
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

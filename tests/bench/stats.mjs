// Small statistics and formatting helpers for bench.mjs.

export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function quantile(xs, q) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export const count = (xs) => xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).length;

export const fmtMs = (x, d = 1) => (x == null ? 'n/a' : `${x.toFixed(d)} ms`);
export const fmtKiB = (bytes, d = 1) => (bytes == null ? 'n/a' : `${(bytes / 1024).toFixed(d)} KiB`);
export const fmtRatio = (x) => (x == null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(2)}×`);
export const fmtPct = (x, d = 2) => (x == null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(d)} %`);

// "median (p25–p75, n)" for a list of milliseconds.
export function spread(xs, d = 1) {
  const m = median(xs);
  if (m == null) return 'n/a';
  return `${m.toFixed(d)} ms (IQR ${quantile(xs, 0.25).toFixed(d)}–${quantile(xs, 0.75).toFixed(d)}, n=${count(xs)})`;
}

// A markdown table; every cell a string.
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// Writes one browser's manifest: the template (/manifest.json) with that browser's overlay merged over it.
// Objects merge key by key; anything else in the overlay replaces the template's value. "$comment" keys
// are notes for developers and never ship.
import { readFileSync } from 'node:fs';

const [template, overlay] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));

function merge(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const isObj = (x) => x && typeof x === 'object' && !Array.isArray(x);
    out[k] = isObj(v) && isObj(base[k]) ? merge(base[k], v) : v;
  }
  return out;
}

function strip(v) {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== '$comment').map(([k, x]) => [k, strip(x)]));
  }
  return v;
}

process.stdout.write(JSON.stringify(strip(merge(template, overlay)), null, 2) + '\n');

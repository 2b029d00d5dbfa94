// What the static tests share: a throw-away copy of a built extension folder, changed by a "poison", handed
// to the check under test; and the two common poisons. A check that passes on dist must fail on these.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fails with the command to run when a built folder is missing. */
export function built(...dirs) {
  for (const d of dirs) assert.ok(existsSync(join(d, 'manifest.json')), `${d} is missing: run ./build.sh first`);
}

/** check(copy) on a copy of `src` changed by `poison`; the copy is always removed. */
export function onPoisonedCopy(src, poison, check) {
  const dir = mkdtempSync(join(tmpdir(), 'widerspruch-poisoned-'));
  try {
    cpSync(src, dir, { recursive: true });
    poison(dir);
    return check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A poison: `code` appended to one file of the copy. */
export const append = (file, code) => (dir) => appendFileSync(join(dir, file), `\n${code}\n`);

/** A poison: the copy's manifest.json changed by `change(manifest)`. */
export const manifest = (change) => (dir) => {
  const p = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(p, 'utf8'));
  change(m);
  writeFileSync(p, JSON.stringify(m, null, 2));
};

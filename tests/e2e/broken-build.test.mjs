// Proof that the end-to-end suites can fail: each browser's suite is run (one scenario each) against a
// deliberately broken copy of its build and must FAIL:
//   - a build whose banner never appears (content/banner.js emptied);
//   - a build whose popup throws before it paints (popup/popup.js starts with a throw).
// About 1 minute for all four runs. Run it after the two suites (Firefox needs port 443).
//   node --test tests/e2e/broken-build.test.mjs      (build first: ./build.sh)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extensionDirOf } from './driver.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENV_DIR = { chromium: 'E2E_CHROMIUM_EXTENSION', firefox: 'WIDERSPRUCH_FIREFOX_DIST' };

const BREAKAGES = [
  { what: 'a banner that never appears', file: 'content/banner.js', edit: () => '// broken on purpose\n',
    scenario: '^banner on Facebook hosts', expect: /exactly one banner/ },
  { what: 'a popup that throws', file: 'popup/popup.js', edit: (src) => `throw new Error('broken on purpose');\n${src}`,
    scenario: '^popup: marking submitted', expect: /the popup to paint/ },
];

for (const browser of ['chromium', 'firefox']) {
  for (const b of BREAKAGES) {
    test(`${browser}: the suite fails on a build with ${b.what}`, { timeout: 120_000 }, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wsp-broken-${browser}-`));
      try {
        fs.cpSync(extensionDirOf(browser), dir, { recursive: true });
        const file = path.join(dir, b.file);
        fs.writeFileSync(file, b.edit(fs.readFileSync(file, 'utf8')));
        // A run of its own, not a subtest of this one (node:test refuses to nest runs that share NODE_TEST_CONTEXT).
        const env = { ...process.env, [ENV_DIR[browser]]: dir, E2E_ONLY: b.scenario };
        delete env.NODE_TEST_CONTEXT;
        const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', path.join(HERE, `${browser}.test.mjs`)],
          { env, encoding: 'utf8', timeout: 110_000 });
        const out = `${r.stdout}\n${r.stderr}`;
        assert.match(out, /[ℹ#] tests 1\b/, `exactly the one scenario ran:\n${out.slice(-2000)}`);
        assert.notEqual(r.status, 0, `the ${browser} suite passed on a build with ${b.what}:\n${out.slice(-2000)}`);
        assert.match(out, /[ℹ#] fail 1\b/, `it failed its scenario:\n${out.slice(-2000)}`);
        assert.match(out, b.expect, `and for the reason of the breakage:\n${out.slice(-2000)}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

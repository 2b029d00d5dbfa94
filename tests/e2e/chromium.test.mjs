// Runs every scenario of scenarios.mjs in Debian Chromium with the built extension (dist/chromium).
//   npm run test:e2e:chromium        (build first: ./build.sh)
// Environment: E2E_CHROMIUM (browser binary), E2E_CHROMIUM_EXTENSION (unpacked extension dir),
// E2E_ONLY (substring: run only matching scenarios), E2E_BANNER_WAIT_MS (negative banner wait).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReplica } from '../replica/server.mjs';
import { createChromiumDriver } from './chromium.mjs';
import { scenarios } from './scenarios.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionDir = process.env.E2E_CHROMIUM_EXTENSION || path.join(ROOT, 'dist', 'chromium');
const executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const only = process.env.E2E_ONLY || '';

const missing = !fs.existsSync(path.join(extensionDir, 'manifest.json'))
  ? `no built extension at ${extensionDir} (run ./build.sh)`
  : !fs.existsSync(executablePath) ? `no Chromium at ${executablePath}` : null;

let replica;
let driver;

before(async () => {
  if (missing) return;
  replica = await startReplica({ port: 0 });
  driver = createChromiumDriver({ replicaPort: replica.port, extensionDir, executablePath });
});

after(async () => {
  await driver?.close();
  await replica?.close();
});

for (const scenario of scenarios) {
  const skip = missing ?? (only && !scenario.name.includes(only) ? `E2E_ONLY=${only}` : false);
  test(scenario.name, { skip, timeout: 120_000 }, async () => {
    try {
      await scenario.run(driver, { replica });
      // Whatever a scenario did, the extension must not have gone to the network doing it.
      const reqs = await driver.requests();
      assert.deepEqual(reqs, [], `requests attributed to the extension during "${scenario.name}"`);
    } finally {
      await driver.close();
    }
  });
}

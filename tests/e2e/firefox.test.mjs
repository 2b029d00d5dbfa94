// Runs every scenario of scenarios.mjs in Firefox ESR with the built extension (dist/firefox), through
// geckodriver (see firefox.mjs).
//   npm run test:e2e:firefox        (build first: ./build.sh)
// Needs: /usr/bin/firefox-esr (apt) with the language packs firefox-esr-l10n-fr and firefox-esr-l10n-pl
// (apt; the locale scenarios fail without them, saying so), geckodriver at .tools/bin/geckodriver (cargo install geckodriver
// --root .tools), and port 443 free: Firefox's host mapping (network.dns.forceResolve) maps host names,
// not ports, so the replica listens on 443 (root, or CAP_NET_BIND_SERVICE for node).
// Environment: FIREFOX_BIN, GECKODRIVER, WIDERSPRUCH_FIREFOX_DIST (unpacked extension dir),
// E2E_ONLY (substring: run only matching scenarios), E2E_BANNER_WAIT_MS, E2E_VERBOSE (geckodriver log).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReplica } from '../replica/server.mjs';
import { createFirefoxDriver } from './firefox.mjs';
import { scenarios } from './scenarios.mjs';
import { whyMissing, firefoxNeeds } from './prerequisites.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionDir = process.env.WIDERSPRUCH_FIREFOX_DIST || path.join(ROOT, 'dist', 'firefox');
const firefox = process.env.FIREFOX_BIN || '/usr/bin/firefox-esr';
const geckodriver = process.env.GECKODRIVER || path.join(ROOT, '.tools', 'bin', 'geckodriver');
const only = process.env.E2E_ONLY || '';

const missing = whyMissing(extensionDir, firefoxNeeds(firefox, geckodriver));

let replica;
let driver;

before(async () => {
  if (missing) return;
  replica = await startReplica({ port: 443 });
  driver = createFirefoxDriver({ replica, extensionDir, firefox, geckodriver });
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

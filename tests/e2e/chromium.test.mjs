// Runs every scenario of scenarios.mjs in Debian Chromium with the built extension (dist/chromium).
//   npm run test:e2e:chromium        (build first: ./build.sh)
// Environment: E2E_CHROMIUM (browser binary), E2E_CHROMIUM_EXTENSION (unpacked extension dir),
// E2E_ONLY (regular expression: run only matching scenarios), E2E_BANNER_WAIT_MS (negative banner wait).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReplica, unexplainedRequests } from '../replica/server.mjs';
import { createChromiumDriver } from './chromium.mjs';
import { scenarios } from './scenarios.mjs';
import { whyMissing, chromiumNeeds } from './prerequisites.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionDir = process.env.E2E_CHROMIUM_EXTENSION || path.join(ROOT, 'dist', 'chromium');
const executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const only = process.env.E2E_ONLY || '';

const missing = whyMissing(extensionDir, chromiumNeeds(executablePath));

// Chromium's own background traffic, which --disable-background-networking does not fully stop (seen with
// Chromium 156: accounts.google.com/ListAccounts, update.googleapis.com, content-autofill.googleapis.com,
// plus plain-http probes). Because every host name resolves to the replica, it lands there: it is the
// browser's, not the extension's (no Origin or a Google one, Sec-Fetch-Site "none", Sec-Fetch-Mode "no-cors" or plain
// http), so drop it here. The extension has no reason to talk to Google; a request it made there in
// no-cors mode would be missed by this server-side check, though Playwright would still see it.
const CHROMIUM_SERVICE_HOST = /(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|google|chromium\.org)$/;
const googleOrigin = (o) => { try { return CHROMIUM_SERVICE_HOST.test(new URL(o).hostname); } catch { return false; } };
const isChromiumNoise = (r) => r.host && CHROMIUM_SERVICE_HOST.test(r.host) && (!r.origin || googleOrigin(r.origin)) &&
  (r.scheme === 'http' || (r.secFetchSite === 'none' && r.secFetchMode === 'no-cors'));

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
  const skip = missing ?? (only && !new RegExp(only, 'i').test(scenario.name) ? `E2E_ONLY=${only}` : false);
  test(scenario.name, { skip, timeout: 120_000 }, async () => {
    const mark = replica.requests.length;
    try {
      await scenario.run(driver, { replica, ignoreRequest: isChromiumNoise });
      // Whatever a scenario did, the extension must not have gone to the network doing it: neither as
      // Playwright saw it nor as the replica (which every host name resolves to) saw it.
      const reqs = await driver.requests();
      assert.deepEqual(reqs, [], `requests attributed to the extension during "${scenario.name}"`);
      const odd = unexplainedRequests(replica.requests.slice(mark)).filter((r) => !isChromiumNoise(r));
      assert.deepEqual(odd, [], `the replica saw requests that are not page loads during "${scenario.name}"`);
    } finally {
      await driver.close();
    }
  });
}

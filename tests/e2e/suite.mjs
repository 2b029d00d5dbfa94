// Registers every end-to-end test for one browser with node:test: the scenarios (scenarios.mjs), the
// services' scenarios (services.mjs), the popup as a phone's full page (phone.mjs), Meta's fixed bars (bars.mjs), the
// robustness suite (robustness.mjs) and the accessibility checks
// (a11y.mjs) — one list each, the same in
// both browsers. chromium.test.mjs and firefox.test.mjs are one line each: registerSuite(browser).
//
// A test that meets something the browser truly cannot do calls ctx.gap(what, bugUrl). That is a FAILURE
// unless "browser | test name" is in the known-gaps table of tests/e2e/README.md, which is then reported
// as a skip (`known gap: ...`) and accepted by tools/summarise.py. A missing browser or build is a skip
// too, and counts as a failure there. E2E_ONLY (a regular expression on test names) leaves the other tests
// out entirely (for working on one scenario; ./build.sh test never sets it).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReplica, unexplainedRequests } from '../replica/server.mjs';
import { startFront } from './robustness/server.mjs';
import { createDriver, whyMissing } from './driver.mjs';
import { scenarios } from './scenarios.mjs';
import { robustness } from './robustness.mjs';
import { a11y } from './a11y.mjs';
import { services } from './services.mjs';
import { phone } from './phone.mjs';
import { bars } from './bars.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The known-gaps table of README.md → Set of "browser | test name". */
export function knownGaps(readme = path.join(HERE, 'README.md')) {
  const text = fs.readFileSync(readme, 'utf8');
  const block = text.split('<!-- known-gaps:begin -->')[1]?.split('<!-- known-gaps:end -->')[0] ?? '';
  const out = new Set();
  for (const line of block.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !['chromium', 'firefox'].includes(cells[1])) continue;
    out.add(`${cells[1]} | ${cells[2]}`);
  }
  return out;
}

class BrowserGap extends Error {}

export function registerSuite(browser) {
  const missing = whyMissing(browser);
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : null;
  const gaps = knownGaps();
  let replica;
  let server; // the robustness front server (its own pages, everything else forwarded to the replica)

  before(async () => {
    if (missing) return;
    replica = await startReplica({ port: 0 });
    // Firefox maps host names, not ports (network.dns.forceResolve): its server must listen on 443.
    server = await startFront({ replicaPort: replica.port, port: browser === 'firefox' ? 443 : 0 });
  });
  after(async () => {
    await server?.close();
    await replica?.close();
  });

  for (const s of [...scenarios, ...services, ...phone, ...bars, ...robustness, ...a11y]) {
    if (only && !only.test(s.name)) continue;
    test(s.name, { skip: missing ?? false, timeout: s.timeout ?? 120_000 }, async (t) => {
      const driver = createDriver(browser, { server });
      const mark = server.requests.length;
      const ctx = {
        browser, server, replica: server, ignoreRequest: driver.isBrowserNoise,
        step: (name, fn) => t.test(name, fn),
        gap(what, bug) { throw new BrowserGap(`${browser} cannot ${what} (${bug})`); },
      };
      try {
        await s.run(driver, ctx);
        // Whatever a test did, the extension must not have gone to the network doing it: neither as the
        // browser saw it nor as the server (which every host name resolves to) saw it.
        assert.deepEqual(await driver.requests(), [], `requests the browser attributes to the extension during "${s.name}"`);
        const odd = unexplainedRequests(server.requests.slice(mark)).filter((r) => !driver.isBrowserNoise(r));
        assert.deepEqual(odd, [], `the server saw requests that are not page loads during "${s.name}"`);
      } catch (e) {
        if (!(e instanceof BrowserGap)) throw e;
        const key = `${browser} | ${s.name}`;
        if (!gaps.has(key)) throw new Error(`${e.message}; not in the known-gaps table of tests/e2e/README.md ("${key}")`);
        t.skip(`known gap: ${e.message}`);
      } finally {
        await driver.close();
      }
    });
  }
}

// Every end-to-end test in Firefox ESR with the built extension (dist/firefox); see suite.mjs.
// Needs port 443 free (the test server listens there; run it in a network namespace of its own).
import { registerSuite } from './suite.mjs';

registerSuite('firefox');

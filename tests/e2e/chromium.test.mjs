// Every end-to-end test in Debian Chromium with the built extension (dist/chromium); see suite.mjs.
import { registerSuite } from './suite.mjs';

registerSuite('chromium');

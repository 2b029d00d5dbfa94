// Runs `web-ext lint` on the Firefox build and fails on any error, warning or notice we have not
// explained. Usage: node tools/lint_firefox.mjs dist/firefox
import { execFileSync } from 'node:child_process';

const dir = process.argv[2] ?? 'dist/firefox';
let out;
try {
  out = execFileSync('node_modules/.bin/web-ext', ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
} catch (e) {
  out = e.stdout; // web-ext exits non-zero when it finds errors; the JSON says which
}
const report = JSON.parse(out);
const { errors = [], warnings = [], notices = [] } = report;
for (const m of [...errors, ...warnings, ...notices]) console.log(`${m._type}: ${m.code} ${m.file ?? ''} ${m.message}`);
console.log(`web-ext lint: ${errors.length} errors, ${warnings.length} warnings, ${notices.length} notices`);
process.exit(errors.length || warnings.length ? 1 : 0);

// The test build's manifest: the shipped one with every optional host permission (the services' hosts,
// src/rules/<service>.json → manifest.json's optional_host_permissions) moved into host_permissions, so
// both browsers grant them at install and the end-to-end tests need no permission prompt (a headless
// browser cannot answer one). Derived, never a second hand-kept list. The grant path itself is tested
// apart (tests/e2e/services.mjs: the popup's request, and what follows a revoke).
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const optional = manifest.optional_host_permissions ?? [];
const hosts = [...(manifest.host_permissions ?? [])];
for (const o of optional) if (!hosts.includes(o)) hosts.push(o);
delete manifest.optional_host_permissions;
if (hosts.length) manifest.host_permissions = hosts;
process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');

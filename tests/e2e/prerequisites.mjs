// Why a browser suite cannot run here (it is then skipped with that reason), or null when it can.
import fs from 'node:fs';
import path from 'node:path';

/** `needs` are [file, what is missing and how to get it] pairs, checked in order after the built extension. */
export function whyMissing(extensionDir, needs) {
  if (!fs.existsSync(path.join(extensionDir, 'manifest.json'))) return `no built extension at ${extensionDir} (run ./build.sh)`;
  for (const [file, why] of needs) if (!fs.existsSync(file)) return why;
  return null;
}

export const chromiumNeeds = (executablePath) => [[executablePath, `no Chromium at ${executablePath}`]];

export const firefoxNeeds = (firefox, geckodriver) => [
  [firefox, `no Firefox at ${firefox} (apt-get install firefox-esr)`],
  [geckodriver, `no geckodriver at ${geckodriver} (cargo install geckodriver --root .tools)`],
];

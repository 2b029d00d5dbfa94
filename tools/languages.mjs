// The extension's languages: the folders of extension/_locales that hold a catalogue, sorted. The one list
// the store folder, the privacy pages, their test and the store pictures all take (never a second one).
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOCALES = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension', '_locales');
export const LANGS = readdirSync(LOCALES).filter((d) => existsSync(join(LOCALES, d, 'messages.json'))).sort();

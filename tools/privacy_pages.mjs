// The privacy policy as extension pages: PRIVACY.md (English) and doc/privacy/PRIVACY.<lang>.md, one per
// catalogue in extension/_locales, to OUT/privacy/<lang>.html plus one stylesheet (the popup's footer links
// to ../privacy/<lang>.html, popup.js). Static HTML, no script; the only links are to the other languages'
// pages, so nothing in the package points off the extension (tools/scan_dist.mjs checks every href). The
// output depends on the sources only, so the zips stay reproducible.
//
//   node tools/privacy_pages.mjs OUT_DIR
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { LANGS } from './languages.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where each language's policy lives in the repository (relative to ROOT). */
export const policySource = (lang) => (lang === 'en' ? 'PRIVACY.md' : `doc/privacy/PRIVACY.${lang}.md`);

/** One language's policy as a page: the Markdown links between the policies become links between pages. */
export function page(lang) {
  const md = readFileSync(join(ROOT, policySource(lang)), 'utf8')
    .replace(/\]\((?:\.\.\/\.\.\/)?PRIVACY\.md\)/g, '](en.html)')
    .replace(/\]\((?:doc\/privacy\/)?PRIVACY\.([a-z]{2})\.md\)/g, '](\$1.html)');
  const body = marked.parse(md, { async: false, gfm: true });
  for (const m of body.matchAll(/<a\s[^>]*href="([^"]*)"/g)) {
    if (!/^[a-z]{2}\.html$/.test(m[1]) || !LANGS.includes(m[1].slice(0, 2))) {
      throw new Error(`${policySource(lang)}: a link to ${m[1]}; the policy pages may link only to each other`);
    }
  }
  const title = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? 'Widerspruch';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<link rel="stylesheet" href="privacy.css">
</head>
<body>
<main>
${body}</main>
</body>
</html>
`;
}

const CSS = `/* The privacy policy pages (tools/privacy_pages.mjs). */
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 42rem; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.15rem; margin-top: 1.5em; }
code { overflow-wrap: anywhere; }
`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node tools/privacy_pages.mjs OUT_DIR');
  mkdirSync(join(out, 'privacy'), { recursive: true });
  for (const lang of LANGS) writeFileSync(join(out, 'privacy', `${lang}.html`), page(lang));
  writeFileSync(join(out, 'privacy', 'privacy.css'), CSS);
}

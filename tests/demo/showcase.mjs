// The store pictures' dressing of the replica pages (tests/demo/store-pictures.mjs only; `./build.sh demo`
// shows the replicas as they are). The replicas are test pages: test links, "Replica post N (render #1)",
// "Replica form for tests". A store visitor should see a page that looks lived in, so before each picture
// the page's OWN parts are restyled: the test hooks hidden, the feed's posts given an author and a photo
// (drawn with CSS, no text, so no language to get wrong). The extension's panel (its closed shadow root)
// is never touched: what the pictures show of Widerspruch is what it drew.
//
// Only the replica's documented hooks (tests/replica/README.md) are used; a hook that is gone is skipped,
// so a changed replica makes a plainer picture, never a failed build. A constructed stylesheet
// (document.adoptedStyleSheets) is not subject to the page's CSP `style-src 'self'`, unlike a <style>.

/** Runs in the page (self-contained): restyles it once; returns what it changed. */
function dressPage() {
  const changed = [];
  if (!document.documentElement.hasAttribute('data-showcase')) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`
      [data-replica-links] { display: none !important; }
      #replica-presend + p { display: none !important; }
      [role=banner] [role=navigation] a { margin: 0 10px; }
      [data-showcase-post] { padding: 12px 16px 8px !important; }
      .showcase-author { display: flex; align-items: center; gap: 10px; margin-bottom: 10px; }
      .showcase-avatar { width: 40px; height: 40px; border-radius: 50%; flex: none; }
      .showcase-name { font-weight: 600; color: #050505; }
      .showcase-when { display: block; width: 64px; height: 8px; border-radius: 4px; background: #e4e6eb; margin-top: 6px; }
      .showcase-photo { height: 260px; margin: 0 -16px; }
      .showcase-bar { display: flex; gap: 8px; padding-top: 8px; border-top: 1px solid #e4e6eb; margin-top: 8px; }
      .showcase-bar span { flex: 1; height: 28px; border-radius: 6px; background: #f0f2f5; }
    `);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    document.documentElement.setAttribute('data-showcase', '');
    changed.push('stylesheet');
  }
  // Landscapes in CSS gradients: sky, sun, hills; one per post.
  const photos = [
    'radial-gradient(circle at 75% 30%, #fff6c8 0 28px, transparent 30px), radial-gradient(ellipse at 30% 120%, #3f7d4e 0 45%, transparent 46%), radial-gradient(ellipse at 85% 130%, #2f6a3f 0 50%, transparent 51%), linear-gradient(#7fb2e5, #cfe3f3)',
    'radial-gradient(circle at 20% 35%, #ffd27a 0 34px, transparent 36px), linear-gradient(transparent 62%, #1e5a8a 62%), linear-gradient(#f7a76c, #f9d3a5)',
    'radial-gradient(ellipse at 50% 115%, #8a6a4a 0 40%, transparent 41%), radial-gradient(ellipse at 10% 110%, #5f7f3a 0 35%, transparent 36%), linear-gradient(#9ecbe9, #e6f1f8)',
  ];
  const people = [['Lena M.', '#f0a35e'], ['Marco R.', '#6aa6e8'], ['Sofia K.', '#b58be0']];
  const el = (tag, cls, style) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (style) e.style.background = style;
    return e;
  };
  const posts = [...document.querySelectorAll('[data-testid=replica-post]')].filter((p) => !p.hasAttribute('data-showcase-post'));
  posts.forEach((post, i) => {
    const [name, colour] = people[i % people.length];
    const author = el('div', 'showcase-author');
    const who = el('div');
    const n = el('span', 'showcase-name');
    n.textContent = name;
    who.append(n, el('span', 'showcase-when'));
    author.append(el('span', 'showcase-avatar', colour), who);
    const bar = el('div', 'showcase-bar');
    bar.append(el('span'), el('span'), el('span'));
    post.replaceChildren(author, el('div', 'showcase-photo', photos[i % photos.length]), bar);
    post.setAttribute('data-showcase-post', '');
  });
  if (posts.length) changed.push(`${posts.length} posts`);
  return changed;
}

/** Dresses the page before a picture, and waits for two frames so the screenshot shows it. */
export async function dress(page) {
  await page.evaluate(dressPage);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
}

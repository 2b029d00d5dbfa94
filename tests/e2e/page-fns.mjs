// Functions that run INSIDE a page (a web page or the popup): the harness's only readers of the DOM, so a
// value means the same in both browsers. Playwright passes them to page.evaluate(fn, arg) (or CDP
// Runtime.callFunctionOn); selenium-webdriver sends their source text to "Execute Script". So:
// self-contained, no closure variables, plain JSON in and out (the find* functions return an element, for a
// trusted click). ONE JSON argument, and, for the functions that look into the panel, a second one: `root`,
// the panel's shadow root. It is closed, so the page itself gets null for host.shadowRoot; the driver
// obtains it through the browser's automation protocol (chromium.mjs, firefox.mjs) and passes it in
// (driver.inPage does for every function). It is null when there is no panel.

/**
 * The extension's in-page panel (`<widerspruch-banner>`, closed shadow root `root`), whatever its kind:
 * {count: 0} when there is none, else
 * {count, kind: 'banner' | 'form-helper', platform, urging, lang, label, paragraphs: [text],
 *  stepsTitle, steps: [text], footnote, reasons: [{label, text}], actions: [data-action],
 *  link: {text, href} | null, visible}.
 * `paragraphs` are the <p> before the step list (all of them when there is none); `footnote` is the
 * text of the <p> after the step list (null when there is none). `shadowMode`: the root's mode.
 */
export function readPanelInPage(_arg, root) {
  const hosts = [...document.querySelectorAll('widerspruch-banner')];
  if (!hosts.length) return { count: 0 };
  const host = hosts[0];
  if (root && root.host !== host) root = null; // the host changed between finding the root and now
  const parent = host.parentNode === document.documentElement ? 'html'
    : (host.parentNode && host.parentNode.nodeName ? host.parentNode.nodeName.toLowerCase() : null);
  const box = root && root.querySelector('[data-role=banner], [data-role=form-helper], [data-role=setting-helper]');
  if (!box) return { count: hosts.length, kind: null, shadowMode: root ? root.mode : null, parent, visible: false };
  const text = (e) => (e ? (e.textContent || '').replace(/[ \t\r\n\f]+/g, ' ').trim() : null);
  const ol = box.querySelector('ol');
  const ps = [...box.children].filter((e) => e.tagName === 'P');
  const before = (a, b) => !!(a.compareDocumentPosition(b) & 4); // b follows a
  const paragraphs = ol ? ps.filter((p) => before(p, ol)) : ps;
  const after = ol ? ps.filter((p) => before(ol, p)) : [];
  const link = box.querySelector('a[data-role=form-link]');
  const rect = box.getBoundingClientRect();
  const visible = host.isConnected && host.parentNode === document.documentElement &&
    box.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && rect.width > 0 && rect.height > 0;
  return {
    count: hosts.length,
    kind: box.getAttribute('data-role'),
    item: box.getAttribute('data-item'), // a service's item (setting helper), else null
    settingState: box.querySelector('[data-role=setting-state]')?.getAttribute('data-state') ?? null,
    platform: box.getAttribute('data-platform'),
    urging: box.getAttribute('data-urging') === 'true',
    lang: box.lang || null,
    label: box.getAttribute('aria-label'),
    paragraphs: paragraphs.map(text),
    stepsTitle: text(box.querySelector('h2')),
    steps: ol ? [...ol.querySelectorAll('li')].map(text) : [],
    footnote: after.length ? after.map(text).join(' ') : null,
    reasons: [...box.querySelectorAll('button[data-action=insert_reason]')]
      .map((b) => ({ label: text(b), text: b.getAttribute('title') })),
    actions: [...box.querySelectorAll('button[data-action]')].map((b) => b.getAttribute('data-action'))
      .filter((a) => a !== 'insert_reason'),
    link: link ? { text: text(link), href: link.href } : null,
    href: link ? link.href : null,
    visible,
    parent,
    shadowMode: root.mode,
  };
}

/** [selector, index] → the index-th element matching selector inside the panel's shadow root, or null. */
export function findPanelControl(arg, root) {
  return (root && root.querySelectorAll(arg[0])[arg[1] || 0]) || null;
}

/** [selector] → the first element of the page matching it, or null. */
export function findInPage(selector) {
  return document.querySelector(selector);
}

/** The popup's main checklist: {facebook: state, instagram: state}. */
export function readChecklistInPopup() {
  const out = {};
  for (const li of document.querySelectorAll('#checklist li[data-platform]')) {
    out[li.getAttribute('data-platform')] = li.getAttribute('data-state');
  }
  return out;
}

/** The popup has painted: its checklist, or (when the background refuses) its #summary text. */
export function popupPainted() {
  if (document.querySelector('#checklist[data-ready=true]')) return true;
  const s = document.getElementById('summary');
  return !!(s && s.textContent.trim() && !document.getElementById('checklist'));
}

/** document.readyState and URL, to wait for a load; `left` = this is the document open(url, {wait: false}) left. */
export function readLoadState() {
  return { state: document.readyState, url: location.href, left: document.documentElement.hasAttribute('data-test-left') };
}

/** [url] → marks this document as left (see readLoadState) and navigates to url once this script returned. */
export function leaveFor(url) {
  document.documentElement.setAttribute('data-test-left', '');
  setTimeout(() => { location.href = url; }, 0);
  return true;
}

/** Starts counting the most <widerspruch-banner> elements ever in the document at once (from now on). */
export function watchBannerCount() {
  const count = () => document.querySelectorAll('widerspruch-banner').length;
  document.documentElement.setAttribute('data-test-max-banners', String(count()));
  new MutationObserver(() => {
    const max = Math.max(Number(document.documentElement.getAttribute('data-test-max-banners') || 0), count());
    document.documentElement.setAttribute('data-test-max-banners', String(max));
  }).observe(document, { childList: true, subtree: true });
  return true;
}

export function maxBannerCount() {
  return Number(document.documentElement.getAttribute('data-test-max-banners') || 0);
}

/** {name: value} of every named form field in the page (input, select, textarea). */
export function readFieldsInPage() {
  const out = {};
  for (const f of document.querySelectorAll('input[name], select[name], textarea[name]')) out[f.name] = f.value;
  return out;
}

/** [selector] → the element's innerText (whitespace collapsed), or null when there is none. */
export function readTextInPage(selector) {
  const e = document.querySelector(selector || 'body');
  return e ? (e.innerText || '').replace(/[ \t\r\n\f]+/g, ' ').trim() : null;
}

/** [selector] → the element's `value`, or null when there is none. */
export function readValueInPage(selector) {
  const e = document.querySelector(selector);
  return e && 'value' in e ? e.value : null;
}

/** The popup's account groups, in page order (see README: popupGroups()). */
export function readGroupsInPopup() {
  return [...document.querySelectorAll('section.group[data-group]')].map((s) => {
    const radio = s.querySelector('input[data-action=group_active]');
    const check = s.querySelector('input[data-action=group_linked]');
    const items = {};
    for (const li of s.querySelectorAll('li[data-platform]')) {
      items[li.getAttribute('data-platform')] = {
        state: li.getAttribute('data-state'),
        covered: li.getAttribute('data-covered') === 'true',
      };
    }
    const h = s.querySelector('h2');
    return {
      id: s.getAttribute('data-group'),
      name: h ? h.textContent.trim() : null,
      main: !!s.querySelector('#checklist'),
      active: radio ? radio.checked : null, // no radio while there is only one group
      linked: check ? check.checked : null,
      removable: !!s.querySelector('button[data-action=group_remove]'),
      items,
    };
  });
}

/** Title, heading, language and summary line of the popup. */
export function readPopupInfo() {
  const h1 = document.querySelector('h1');
  const summary = document.getElementById('summary');
  return {
    title: document.title,
    heading: h1 ? h1.textContent.trim() : null,
    lang: document.documentElement.lang || null,
    summary: summary ? summary.textContent.trim() : null,
    // The gentle "look for Meta's email" line, per platform of the main group ('' when there is none).
    reminders: Object.fromEntries([...document.querySelectorAll('#checklist li[data-platform]')]
      .map((li) => [li.getAttribute('data-platform'), li.querySelector('.remind')?.textContent.trim() ?? ''])),
    whoElse: [...document.querySelectorAll('.who-else a')].map((a) => a.href),
    // The footer's link to the privacy policy page (outside #app, set once by popup.js).
    privacy: ((a) => a && { text: a.textContent.trim(), href: a.href, target: a.target })(document.getElementById('privacy-link')),
  };
}

/** Starts counting re-renders of the popup's #app (in an attribute, readable from any script world). */
export function countPopupRepaints() {
  const app = document.getElementById('app');
  document.documentElement.setAttribute('data-test-repaints', '0');
  const o = new MutationObserver(() => {
    const n = Number(document.documentElement.getAttribute('data-test-repaints') || 0) + 1;
    document.documentElement.setAttribute('data-test-repaints', String(n));
  });
  o.observe(app, { childList: true });
  return true;
}

export function popupRepaints() {
  return Number(document.documentElement.getAttribute('data-test-repaints') || 0);
}

/**
 * Whether each of the page's form controls can be hit where a user would click it, with our panel shown:
 * every input, select, textarea and button of the page (not ours), scrolled into view, and what
 * `elementFromPoint` finds at its centre → {width, panel: {shown, top, bottom}, controls: [{what, hit, ok}]}.
 */
export function hitTestFormControls(_arg, root) {
  const host = document.querySelector('widerspruch-banner');
  const box = root?.querySelector('aside')?.getBoundingClientRect();
  const controls = [...document.querySelectorAll('input, select, textarea, button, [role=button]')]
    .filter((c) => c !== host && !(host && host.contains(c)) && c.getBoundingClientRect().width > 0);
  const out = [];
  for (const c of controls) {
    c.scrollIntoView({ block: 'center', inline: 'center' });
    const r = c.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const what = `${c.tagName.toLowerCase()}${c.id ? `#${c.id}` : ''}${c.name ? `[name=${c.name}]` : ''}`;
    out.push({ what, hit: hit ? `${hit.tagName.toLowerCase()}${hit.id ? `#${hit.id}` : ''}` : null,
      ok: !!hit && (hit === c || c.contains(hit)) });
  }
  window.scrollTo(0, 0);
  return { width: innerWidth, panel: { shown: !!box && box.width > 0, top: box?.top ?? null, bottom: box?.bottom ?? null }, controls: out };
}

/** What is at the centre of our panel: the panel's host (on top), or the page element that covers it. */
export function panelOnTop(_arg, root) {
  const host = document.querySelector('widerspruch-banner');
  const r = root?.querySelector('aside')?.getBoundingClientRect();
  if (!r || r.width === 0) return { shown: false };
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const dialog = document.querySelector('#replica-cookie-backdrop');
  return {
    shown: true,
    onTop: hit === host,
    hit: hit ? `${hit.tagName.toLowerCase()}${hit.id ? `#${hit.id}` : ''}` : null,
    dialogZ: dialog ? getComputedStyle(dialog).zIndex : null,
    bodyAfterPanel: !!document.body && !!(host.compareDocumentPosition(document.body) & Node.DOCUMENT_POSITION_FOLLOWING),
    lateBody: document.documentElement.dataset.replicaBodyAt ?? null,
  };
}

/**
 * From now on, records what a page script's MutationObserver sees (window.__pageSaw): every attribute
 * change, and every <widerspruch-banner> added, with its attributes and its shadowRoot as the page sees it.
 */
export function watchWhatThePageSees() {
  const log = [];
  window.__pageSaw = log;
  const attrs = (e) => [...e.attributes].map((a) => `${a.name}=${a.value}`).join(' ');
  new MutationObserver((records) => {
    for (const r of records) {
      // The old value too: an attribute set and removed again between two callbacks shows in the second
      // record's oldValue.
      if (r.type === 'attributes' && !r.attributeName.startsWith('data-test-')) {
        log.push(`${r.target.localName} ${r.attributeName}: ${r.oldValue} → ${r.target.getAttribute(r.attributeName)}`);
      }
      for (const n of r.addedNodes) {
        if (n.localName === 'widerspruch-banner') log.push(`added widerspruch-banner [${attrs(n)}] shadowRoot=${n.shadowRoot}`);
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeOldValue: true });
  return true;
}

/**
 * What the page's own main-world script can learn about the panel (it ignores the root the driver passes):
 * the hosts, their shadowRoot as the page sees it, their attributes and content, every attribute of the
 * light DOM that names our vocabulary (outside the harness's own `data-test-*` and the replica's own
 * markup, which says "replica" and says "submitted" of itself), and, since
 * watchWhatThePageSees(), the attribute changes and host insertions that name it or touch the host.
 */
export function readWhatThePageSees(_arg, _root) {
  const words = new RegExp('widerspruch|urging|form.helper|setting.helper|not_started|form_opened|submitted|confirmed|user_off', 'i');
  const hosts = [...document.querySelectorAll('widerspruch-banner')];
  const named = [];
  for (const e of document.querySelectorAll('*')) {
    if (e.localName === 'widerspruch-banner') continue;
    for (const a of e.attributes) {
      const entry = `${e.localName} ${a.name}=${a.value}`;
      if (!a.name.startsWith('data-test-') && !/replica/i.test(entry) && words.test(entry)) named.push(entry);
    }
  }
  return {
    hosts: hosts.length,
    shadowRoots: hosts.map((h) => (h.shadowRoot === null ? null : h.shadowRoot.mode)),
    attributes: hosts.map((h) => [...h.attributes].map((a) => `${a.name}=${a.value}`)),
    children: hosts.map((h) => h.childNodes.length),
    html: hosts.map((h) => (h.getHTML ? h.getHTML({ serializableShadowRoots: true }) : h.innerHTML)),
    named,
    changes: (window.__pageSaw || []).filter((e) => !/replica/i.test(e) && words.test(e)),
  };
}

/** [name] → the panel's root put in the page's main world as window[name] (the hostile-page tests). */
export function leakPanelRoot(name, root) {
  window[name] = root;
  return !!root;
}

// ── Issue 16: the page's fixed bars and our panel (bars.mjs) ──────────────────────────────────────────────

/**
 * Every control of ours (in the closed root) and of the page's fixed bars (`[data-replica-bar]`, the
 * replica's hook) hit-tested at its centre. The page's: at scroll 0, as they are (they are fixed). Ours: at
 * scroll 0 where in view (only the panel's own overflow scrolled), else scrolled to the viewport's centre
 * first (a user scrolls to it); and the top edge of our panel at scroll 0. → {width, height, bars: [{bar, rect}], panel: rect | null,
 * ours: [{what, at, scrolled, hit, ok}], theirs: [{what, at, hit, ok}]}
 */
export function hitTestBars(_arg, root) {
  const name = (e) => (!e ? null : `${e.localName}${e.id ? `#${e.id}` : ''}${e.getAttribute('aria-label')
    ? `[${e.getAttribute('aria-label')}]` : ''}${e.dataset && e.dataset.action ? `[${e.dataset.action}]` : ''}`);
  const centre = (e) => { const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; };
  const inView = ([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
  const rect = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom].map(Math.round); };
  const test = (c, inRoot, extra) => {
    const at = centre(c);
    const hit = inView(at) ? (inRoot ? root : document).elementFromPoint(at[0], at[1]) : null;
    return { what: name(c), at: at.map(Math.round), ...extra, hit: name(hit), ok: !!hit && (hit === c || c.contains(hit)) };
  };
  window.scrollTo(0, 0);
  const bars = [...document.querySelectorAll('[data-replica-bar]')].filter((b) => b.getBoundingClientRect().width > 0);
  const theirs = bars.flatMap((b) => [...b.querySelectorAll('a, button, input, select, textarea, [role=button]')])
    .filter((c) => c.getBoundingClientRect().width > 0).map((c) => test(c, false));
  const ours = [];
  for (const c of root ? root.querySelectorAll('a, button') : []) {
    const r = c.getBoundingClientRect();
    const scrolled = !(r.top >= 0 && r.bottom <= innerHeight);
    c.scrollIntoView({ block: scrolled ? 'center' : 'nearest', inline: 'nearest' });
    ours.push(test(c, true, { scrolled }));
    window.scrollTo(0, 0);
  }
  const aside = root && root.querySelector('aside');
  if (aside) { // its top edge, at scroll 0: a helper under a top bar hides its first lines (not only buttons)
    const r = aside.getBoundingClientRect();
    const hit = root.elementFromPoint(r.left + r.width / 2, r.top + 4);
    ours.push({ what: 'the top edge of our panel', at: [r.left + r.width / 2, r.top + 4].map(Math.round), hit: name(hit),
      ok: !!hit && aside.contains(hit) });
  }
  return { width: innerWidth, height: innerHeight, bars: bars.map((b) => ({ bar: b.dataset.replicaBar, rect: rect(b) })),
    panel: aside ? rect(aside) : null, ours, theirs };
}

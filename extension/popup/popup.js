/*
 * The toolbar popup. It builds the checklist from the view the Rust core sends (src/popup.rs decides every
 * text, state and button; the message tags are src/protocol.rs) with createElement and textContent. Every
 * change is a message to the background, which owns progress and the badge and answers with the checklist
 * as it now is. No WebAssembly here: the popup paints as soon as that answer is there. The messages'
 * types are ../protocol.d.ts, generated from src/protocol.rs and checked by `tsc` (./build.sh test, "types").
 */
// @ts-check
'use strict';

(() => {
  // Its own two calls, like the content script: also loading platform/ext.js cost 5–8 ms (BENCHMARKS.md).
  // Typed as platform/ext.js's `api` is (tools/extension-globals.d.ts).
  const api = /** @type {ExtensionApi} */ (globalThis.browser ?? globalThis.chrome);
  const message = (/** @type {string} */ key) => api.i18n.getMessage(key);
  // Never rejects (nor throws): a failure is an answer too.
  /** @type {(msg: import('../protocol').Request) => Promise<import('../protocol').Reply>} */
  const answerTo = (msg) => new Promise((ok) => ok(api.runtime.sendMessage(msg))).catch((e) => ({ type: 'rejected', reason: String(e) }));
  // The first question goes out while the document is still being parsed (this script is not deferred).
  const first = answerTo({ type: 'get_checklist' });
  /** @type {HTMLElement} */
  let app; // #app, once parsed (before anything renders)

  /**
   * The words in `data-action`: what a control does, a checklist action or the tag of the request it
   * sends. Typed against the generated protocol, so a misspelt action fails tsc where it is written.
   * @typedef {import('../protocol').ChecklistAction | ServiceItemAction | Extract<import('../protocol').Request['type'],
   *   'group_active' | 'group_linked' | 'group_remove' | 'question_answered' | 'question_dismissed' | 'service_chosen'>
   *   | 'service_grant'} Action (service_grant: the popup's own request for a service's hosts; no message)
   */
  /** @typedef {import('../protocol').ServiceAction} ServiceItemAction */
  /** @typedef {import('../protocol').PopupView['services'][number]} Service */

  /** @type {Map<string, string[]>} the origins of each service, from the last view (for permissions.*) */
  const originsOf = new Map();

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {ParentNode} parent @param {K} tag @param {{ 'data-action'?: Action } & Record<string, string | number>} [attrs]
   * @param {string} [text] @returns {HTMLElementTagNameMap[K]}
   */
  function el(parent, tag, attrs = {}, text = '') {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text) e.textContent = text;
    parent.append(e);
    return e;
  }

  // A refused or failed change shows the checklist as it now is; only when even that fails, an error.
  /** @param {import('../protocol').Request} msg @param {boolean} [again] @param {Promise<import('../protocol').Reply>} [answer] */
  async function ask(msg, again = true, answer = answerTo(msg)) {
    const a = await answer;
    if (a?.type === 'checklist') return render(a.checklist);
    console.warn('Widerspruch popup:', a?.type ?? a, a?.type === 'rejected' ? a.reason : '');
    if (again && msg.type !== 'get_checklist') return ask({ type: 'get_checklist' }, false);
    const summary = document.getElementById('summary') ?? el(app, 'p', { id: 'summary', role: 'status' });
    summary.textContent = message('popup_error');
  }

  // Which control had focus, by what it does, so keyboard focus survives re-rendering.
  const focusKey = (/** @type {HTMLElement | null} */ e) => e?.dataset?.action &&
    `${closest(e, '[data-group]')?.dataset.group}|${closest(e, '[data-platform]')?.dataset.platform}|` +
    `${closest(e, '[data-service]')?.dataset.service}|${closest(e, '[data-item]')?.dataset.item}|${e.dataset.action}`;
  /** @param {Element} e @param {string} selector */
  const closest = (e, selector) => /** @type {HTMLElement | null} */ (e.closest(selector));

  /** @param {import('../protocol').PopupView} v */
  function render(v) {
    const focused = focusKey(/** @type {HTMLElement | null} */ (document.activeElement));
    document.documentElement.lang = v.lang;
    document.title = v.title;
    app.replaceChildren();
    el(app, 'h1', {}, v.title);
    el(app, 'p', { id: 'summary', role: 'status' }, v.summary);
    el(app, 'p', { class: 'note' }, v.timing);
    for (const g of v.groups) group(g);
    if (v.add_group) {
      el(app, 'p', { class: 'note' }, v.add_group.hint);
      const form = el(app, 'form', { id: 'add-group' });
      el(form, 'label', { for: 'group-name' }, v.add_group.label);
      const row = el(form, 'div', { class: 'actions' });
      el(row, 'input', { id: 'group-name', type: 'text', maxlength: v.add_group.max_length, autocomplete: 'off' });
      el(row, 'button', { type: 'submit' }, v.add_group.button);
    }
    el(app, 'p', { class: 'note' }, v.scope);
    // After Meta's accounts (their groups, the form to add one, what one objection covers).
    services(v.services_title, v.services);
    const who = el(app, 'section', { class: 'who-else', 'aria-labelledby': 'who-else-title' });
    el(who, 'h2', { id: 'who-else-title' }, v.who_else.title);
    const p = el(who, 'p', {}, `${v.who_else.third_party} `);
    const link = v.who_else.third_party_link;
    el(p, 'a', { href: link.href, target: '_blank', rel: 'noopener noreferrer' }, link.text);
    el(who, 'p', {}, v.who_else.pages);
    el(who, 'p', {}, v.who_else.whatsapp);
    document.getElementById('checklist')?.setAttribute('data-ready', 'true');
    if (focused) /** @type {HTMLElement[]} */ ([...app.querySelectorAll('[data-action]')]).find((e) => focusKey(e) === focused)?.focus();
  }

  /** @param {import('../protocol').GroupPanel} g */
  function group(g) {
    const section = el(app, 'section', { class: 'group', 'data-group': g.id, 'aria-labelledby': `group-${g.id}` });
    el(section, 'h2', { id: `group-${g.id}` }, g.name);
    if (g.active || g.linked) {
      const options = el(section, 'div', { class: 'options' });
      /** @param {import('../protocol').ToggleView} t @param {{ 'data-action': Action } & Record<string, string>} attrs */
      const toggle = (t, attrs) => {
        const label = el(options, 'label');
        el(label, 'input', attrs).checked = t.checked;
        label.append(` ${t.label}`);
      };
      if (g.active) toggle(g.active, { type: 'radio', name: 'active-group', 'data-action': 'group_active' });
      if (g.linked) toggle(g.linked, { type: 'checkbox', 'data-action': 'group_linked' });
    }
    if (g.question) question(section, g.question);
    const list = el(section, 'ul', g.main ? { id: 'checklist', class: 'checklist' } : { class: 'checklist' });
    for (const item of g.items) entry(list, item);
    if (g.remove) {
      el(section, 'button', { type: 'button', 'data-action': 'group_remove', 'aria-label': g.remove.label }, g.remove.text);
    }
  }

  // The services: a switch each (Meta's always on), and for each chosen one its items. A chosen service
  // whose hosts are not granted says so (the user declined the browser's prompt, or revoked the access in
  // the browser's settings); switching it off and on asks again (the note says so).
  /** @param {string} title @param {Service[]} list */
  function services(title, list) {
    originsOf.clear();
    const section = el(app, 'section', { class: 'services', 'aria-labelledby': 'services-title' });
    el(section, 'h2', { id: 'services-title' }, title);
    const ul = el(section, 'ul', { id: 'services' });
    for (const s of list) {
      originsOf.set(s.id, s.origins);
      const li = el(ul, 'li', { 'data-service': s.id, 'data-chosen': String(s.chosen) });
      const label = el(li, 'label', { class: 'switch' });
      const input = el(label, 'input', { type: 'checkbox', role: 'switch', 'data-action': 'service_chosen' });
      input.checked = s.always || s.chosen;
      input.disabled = s.locked;
      label.append(` ${s.toggle_label}`);
      if (s.chosen && !s.access) {
        el(li, 'p', { class: 'note access', 'data-role': 'access' }, s.note ?? '');
        if (s.grant) el(li, 'button', { type: 'button', 'data-action': 'service_grant' }, s.grant);
      }
      if (!s.chosen || !s.items.length) continue;
      const items = el(li, 'ul', { class: 'items' });
      for (const item of s.items) serviceItem(items, item);
    }
  }

  /** @param {ParentNode} list @param {Service['items'][number]} item */
  function serviceItem(list, item) {
    const li = el(list, 'li', { 'data-item': item.id, 'data-kind': item.kind, 'data-state': item.state });
    const head = el(li, 'div', { class: 'head' });
    el(head, 'span', { class: 'name' }, item.name);
    el(head, 'span', { class: 'state' }, item.state_text);
    if (item.covers) el(li, 'p', { class: 'note', 'data-role': 'covers' }, item.covers);
    if (item.not_covered) el(li, 'p', { class: 'note', 'data-role': 'not-covered' }, item.not_covered);
    const row = el(li, 'div', { class: 'actions' });
    el(row, 'a', { href: item.link.href, target: '_blank', rel: 'noopener noreferrer', 'data-role': 'item-link',
      'data-action': 'open' }, item.link.text);
    for (const a of item.actions) el(row, 'button', { type: 'button', 'data-action': a.action, 'aria-label': a.label }, a.text);
  }

  // Switching a service on asks the browser for its hosts. permissions.request needs the user's gesture, so
  // it is called in the click's own task with nothing awaited before it, and the choice goes to the
  // background in that same task: Firefox closes the popup while its permission prompt shows, and a
  // message not sent by then would be lost. The grant (or a revoke) reaches the background as
  // permissions.onAdded/onRemoved, which registers or unregisters the service's content scripts.
  /** @param {string} service */
  function requestAccess(service) {
    const origins = originsOf.get(service) ?? [];
    return new Promise((ok) => ok(api.permissions.request({ origins }))).catch(() => false);
  }
  // "Allow access" for a chosen service without its hosts (the user declined, or withdrew them): the same
  // request, in the click's own task; the background registers the scripts on permissions.onAdded.
  /** @param {Element} button */
  function grantClicked(button) {
    const service = button.closest('[data-service]')?.getAttribute('data-service') ?? '';
    requestAccess(service).then(() => ask({ type: 'get_checklist' }));
  }
  /** @param {HTMLInputElement} input */
  function serviceSwitched(input) {
    const service = input.closest('[data-service]')?.getAttribute('data-service') ?? '';
    if (input.checked) {
      const granted = requestAccess(service);
      const chosen = answerTo({ type: 'service_chosen', service, chosen: true });
      // After the user answered the prompt (if this popup is still open): the checklist as it then is.
      granted.then(() => chosen).then(() => ask({ type: 'get_checklist' }));
    } else {
      ask({ type: 'service_chosen', service, chosen: false });
      // A host we give up is no longer ours to read; a refusal (a host the browser says we must keep) is
      // harmless: the background registers nothing for a service that is not chosen.
      new Promise((ok) => ok(api.permissions.remove({ origins: originsOf.get(service) ?? [] }))).catch(() => false);
    }
  }

  // Meta's Privacy Center said it received an objection, not for which account: one answer per platform.
  /** @param {ParentNode} section @param {import('../protocol').QuestionView} q */
  function question(section, q) {
    const box = el(section, 'div', { class: 'question', role: 'group', 'data-role': 'question', 'aria-label': q.text });
    el(box, 'p', {}, q.text);
    if (q.followed) el(box, 'p', { class: 'note' }, q.followed);
    el(box, 'p', { class: 'note' }, q.note);
    const row = el(box, 'div', { class: 'actions' });
    for (const a of q.answers) {
      el(row, 'button', { type: 'button', 'data-action': 'question_answered', 'data-platform': a.platform,
        'data-preselected': String(a.preselected), 'aria-label': a.label }, a.text);
    }
    if (q.dismiss) el(row, 'button', { type: 'button', 'data-action': 'question_dismissed', 'aria-label': q.dismiss.label }, q.dismiss.text);
  }

  /** @param {ParentNode} list @param {import('../protocol').ItemView} item */
  function entry(list, item) {
    const li = el(list, 'li', { 'data-platform': item.platform, 'data-state': item.state });
    const head = el(li, 'div', { class: 'head' });
    el(head, 'span', { class: 'name' }, item.name);
    el(head, 'span', { class: 'state' }, item.state_text);
    if (item.also) el(li, 'p', { class: 'note', 'data-role': 'also-covers' }, item.also);
    if (item.covered) {
      li.dataset.covered = 'true';
      el(li, 'p', { class: 'note' }, item.covered);
    }
    if (item.remind) el(li, 'p', { class: 'remind' }, item.remind);
    if (!item.link && !item.actions.length) return;
    const row = el(li, 'div', { class: 'actions' });
    if (item.link) {
      el(row, 'a', { href: item.link.href, target: '_blank', rel: 'noopener noreferrer', 'data-role': 'form-link',
        'data-action': 'open_form' }, item.link.text);
    }
    for (const a of item.actions) el(row, 'button', { type: 'button', 'data-action': a.action, 'aria-label': a.label }, a.text);
  }

  // Listeners on the document: they need no parsed #app and survive re-rendering.
  // The words in data-* attributes are the ones render() wrote from the view: the casts below only tell
  // the type checker so; the background checks every request again.
  /** @param {Element} e */
  const groupOf = (e) => e.closest('[data-group]')?.getAttribute('data-group') ?? '';
  document.addEventListener('click', (e) => {
    const target = /** @type {Element} */ (e.target);
    // The service switch: its click (not its change event), the surest user gesture in both browsers.
    if (target instanceof HTMLInputElement && target.dataset.action === 'service_chosen') return serviceSwitched(target);
    const c = target.closest?.('button[data-action], a[data-action]');
    if (!c) return;
    if (c.getAttribute('data-action') === 'service_grant') return grantClicked(c);
    const service = c.closest('[data-service]')?.getAttribute('data-service');
    if (service) {
      const item = c.closest('[data-item]')?.getAttribute('data-item') ?? '';
      ask({ type: 'item_clicked', service, item, action: /** @type {ServiceItemAction} */ (c.getAttribute('data-action')) });
      return;
    }
    const action = /** @type {Action} */ (c.getAttribute('data-action'));
    const platform = /** @type {import('../protocol').PlatformId} */ (c.closest('[data-platform]')?.getAttribute('data-platform'));
    ask(action === 'group_remove' ? { type: 'group_remove', group: groupOf(c) }
      : action === 'question_answered' ? { type: 'question_answered', group: groupOf(c), platform }
        : action === 'question_dismissed' ? { type: 'question_dismissed', group: groupOf(c) }
          : { type: 'checklist_clicked', group: groupOf(c), platform, action: /** @type {import('../protocol').ChecklistAction} */ (action) });
  });
  document.addEventListener('change', (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    const action = /** @type {Action | undefined} */ (input.dataset.action);
    if (action === 'group_linked') ask({ type: 'group_linked', group: groupOf(input), linked: input.checked });
    if (action === 'group_active' && input.checked) ask({ type: 'group_active', group: groupOf(input) });
  });
  document.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = /** @type {HTMLInputElement | null} */ (document.getElementById('group-name'))?.value ?? '';
    if (name.trim()) ask({ type: 'group_add', name });
  });

  document.addEventListener('DOMContentLoaded', () => {
    app = /** @type {HTMLElement} */ (document.getElementById('app'));
    // The privacy policy ships as an extension page per language (built from PRIVACY.md by ./build.sh); the
    // catalogue's `lang` names the file, so the browser's choice of catalogue also chooses the policy.
    const privacy = /** @type {HTMLAnchorElement} */ (document.getElementById('privacy-link'));
    privacy.href = `../privacy/${message('lang')}.html`;
    privacy.textContent = message('privacy_link');
    ask({ type: 'get_checklist' }, true, first);
  });
})();

// Test modes of the form pages and the Privacy Center flow (issue 14: only Meta's answer counts), chosen by
// query parameters on the page's address (README "Answer modes"):
//   quote=all     every language's "received" fragments of src/rules/meta.json, quoted in the intro, the
//                 help text, an FAQ and the footer, present before anything is sent;
//   mentions=1    the help text mentions errors and logging in (the rules' "unavailable" and "login"
//                 fragments) while the form is there;
//   answer=MODE   how the answer arrives after "send": replace (default: the form area replaced at once),
//                 late (a spinner, the answer LATE_ANSWER_MS later), pieces (the answer appended a few
//                 characters at a time, each its own element, over several frames), rerender (the answer,
//                 then replaced twice by equal nodes);
//   outside=1     a chat dock outside the form area; `window.replicaOutside()` then posts every language's
//                 fragments there, as a toast and as a comment, and a note beside the form, while it stays;
//   persist=1     the answer survives a reload (sessionStorage, per tab and path).
// The fragments come from the rules when the bundle is built (server.mjs defines them), never a copy.
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';

/* global __REPLICA_SIGNALS__ */
/** {received: [{text, lang}], unavailable: [...], login: [...]}: the rules' fragments (server.mjs). */
export const SIGNALS = typeof __REPLICA_SIGNALS__ === 'undefined' ? { received: [], unavailable: [], login: [] }
  : __REPLICA_SIGNALS__;
export const LATE_ANSWER_MS = 1500;
const PIECE_CHARS = 5;
const PIECE_MS = 40;

export function modes(search = location.search) {
  const q = new URLSearchParams(search);
  const answer = q.get('answer');
  return {
    quote: q.get('quote') === 'all',
    mentions: q.get('mentions') === '1',
    answer: ['late', 'pieces', 'rerender'].includes(answer) ? answer : 'replace',
    outside: q.get('outside') === '1',
    persist: q.get('persist') === '1',
  };
}

// Meta's typography, so that matching is tested against it: a curly apostrophe, a no-break space.
const typeset = (t) => t.replace(/'/g, '\u2019').replace(/ (\S+)$/, '\u00a0$1');

/** The quoted fragments, one `<q>` each, in their language. */
function Quoted({ list }) {
  return list.map((s, i) => <span key={i}>{i ? ' · ' : ''}<q lang={s.lang}>{typeset(s.text)}</q></span>);
}

/** Pre-send text quoting every "received" fragment (`where`: intro | help | faq | footer). */
export function Quote({ where }) {
  const lead = {
    intro: 'Was passiert nach dem Senden? Wenn wir deinem Widerspruch stattgeben, sagen wir dir das so: ',
    help: 'Hilfe: Nach dem Senden kann unsere Antwort zum Beispiel lauten: ',
    faq: 'Wie lautet die Bestätigung? ',
    footer: 'Beispiele für Bestätigungen: ',
  }[where];
  const Tag = where === 'footer' ? 'footer' : where === 'faq' ? 'section' : 'p';
  return <Tag data-replica-quote={where}>{where === 'faq' && <h3>FAQ</h3>}{lead}<Quoted list={SIGNALS.received} /></Tag>;
}

/** Help text that mentions errors and logging in, beside a working form. */
export function Mentions() {
  return (
    <p data-replica-mentions="">
      Etwas ist schiefgelaufen? Something went wrong? Then: <Quoted list={SIGNALS.unavailable} />. Not you? Log in to
      continue with another account: <Quoted list={SIGNALS.login} />.
    </p>
  );
}

const storeKey = () => `replica-submitted:${location.pathname}`;
/** The answer kept for a reload (persist=1), or null. */
export function keptAnswer(m) {
  if (!m.persist) return null;
  try { return JSON.parse(sessionStorage.getItem(storeKey()) ?? 'null'); } catch { return null; }
}
export function keepAnswer(m, submitted) {
  if (m.persist) sessionStorage.setItem(storeKey(), JSON.stringify(submitted));
}

/**
 * The answer after "send", arriving as `mode` says. `status` is the wording ({lang, text}); `children` is
 * what follows it (the submitted values). Renders `[data-replica-answer=pending|shown]`.
 */
export function Answer({ mode, wording, confirm, children }) {
  const [ready, setReady] = useState(mode !== 'late');
  const pieces = [];
  for (let i = 0; i < wording.text.length; i += PIECE_CHARS) pieces.push(wording.text.slice(i, i + PIECE_CHARS));
  const [shown, setShown] = useState(mode === 'pieces' ? 1 : pieces.length);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (mode === 'late') {
      const t = setTimeout(() => setReady(true), LATE_ANSWER_MS);
      return () => clearTimeout(t);
    }
    return undefined;
  }, [mode]);
  useEffect(() => {
    if (mode !== 'pieces' || shown >= pieces.length) return undefined;
    const t = setTimeout(() => setShown((n) => n + 1), PIECE_MS);
    return () => clearTimeout(t);
  }, [mode, shown, pieces.length]);
  useEffect(() => {
    if (mode !== 'rerender' || generation >= 2) return undefined;
    const t = setTimeout(() => setGeneration((n) => n + 1), PIECE_MS);
    return () => clearTimeout(t);
  }, [mode, generation]);
  if (!ready) {
    return <div data-replica-answer="pending" role="progressbar" aria-label="Wird gesendet">Wird gesendet …</div>;
  }
  const complete = shown >= pieces.length && (mode !== 'rerender' || generation >= 2);
  return (
    <div key={`answer-${generation}`} data-replica-answer="shown" data-replica-generation={generation}
      data-replica-complete={complete ? 'true' : 'false'}>
      <div role="status" id="replica-received" data-wording={confirm} lang={wording.lang}>
        {mode === 'pieces' ? pieces.slice(0, shown).map((p, i) => <span key={i}>{p}</span>) : wording.text}
      </div>
      {children}
    </div>
  );
}

/**
 * outside=1: a chat dock in <body>, outside the form's React root. `window.replicaOutside()` posts every
 * "received" fragment there (one message per frame), edits the first message in place, shows a toast and
 * a comment, and calls `besideForm(text)` (a note next to the form, which stays). Then
 * `#replica-chat[data-replica-done=true]`.
 */
export function ChatDock({ besideForm }) {
  const [messages, setMessages] = useState(['Hallo! Hast du den Widerspruch schon geschickt?']);
  const [posting, setPosting] = useState(false);
  const [toast, setToast] = useState('');
  useEffect(() => {
    window.replicaOutside = () => setPosting(true);
    return () => { delete window.replicaOutside; };
  }, []);
  const all = SIGNALS.received;
  const done = posting && messages.length > all.length;
  useEffect(() => {
    if (!posting || done) return undefined;
    const t = setTimeout(() => {
      const s = all[messages.length - 1];
      setMessages((m) => [...m, `Meine Bestätigung (${s.lang}): „${typeset(s.text)}“`]);
      if (messages.length === 1) {
        setToast(`Neue Nachricht: ${typeset(all[0].text)}`);
        besideForm(all.map((x) => typeset(x.text)).join(' · '));
      }
    }, PIECE_MS);
    return () => clearTimeout(t);
  }, [posting, done, messages.length]);
  // The first message, edited in place once posting starts (React sets the text node's data).
  const first = posting ? `Hallo! Meine lautet: ${typeset(all[0]?.text ?? '')}` : messages[0];
  return createPortal(
    <aside id="replica-chat" aria-label="Chats" data-replica-done={done ? 'true' : 'false'}>
      <ul>{[first, ...messages.slice(1)].map((m, i) => <li key={i}>{m}</li>)}</ul>
      <div role="article" data-replica-comment="">Kommentar: {done ? all.map((x) => typeset(x.text)).join(' / ') : '…'}</div>
      {toast && <div role="status" id="replica-toast">{toast}</div>}
    </aside>,
    document.body,
  );
}

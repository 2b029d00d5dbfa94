// Meta's 2026 Privacy Center flow on help.meta.com/support/privacy/ (as reported Aug–Oct 2026; see
// SOURCES.md): a list of choices, each leading CLIENT-SIDE (history.pushState, no document load) to a
// step with a form, then a confirmation in place. The step URLs (/support/privacy/object/<choice>/) are
// the replica's: no deep link into the real flow was reported. A full load of a step URL renders that
// step, like any single-page app.
import { useEffect, useState } from 'react';
import { useClientPath } from './clientPath.jsx';
import { CONFIRMATIONS, PRIVACY_CHOICES } from './wording.mjs';
import { PresendIntro } from './PresendIntro.jsx';
import { Answer, Mentions, modes, Quote, SIGNALS } from './modes.jsx';

export const FLOW_ROOT = '/support/privacy/';
const stepPath = (id) => `${FLOW_ROOT}object/${id}/`;

function parse(pathname) {
  if (pathname === '/support/privacy' || pathname === FLOW_ROOT) return { step: 'choices' };
  // Pages of the Privacy Center that are not the flow's form (issue 14): an article, search results.
  if (/^\/support\/privacy\/article\/[0-9]+\/?$/.test(pathname)) return { step: 'article' };
  if (/^\/support\/privacy\/search\/?$/.test(pathname)) return { step: 'search' };
  const m = /^\/support\/privacy\/object\/([a-z-]+)\/?$/.exec(pathname);
  const choice = m && PRIVACY_CHOICES.find((c) => c.id === m[1]);
  return choice ? { step: 'form', choice } : { step: 'missing' };
}

export function PrivacyFlow({ confirm }) {
  const path = useClientPath();
  const go = (to) => (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    window.replicaNavigate(to);
  };

  const route = parse(path);
  const [m] = useState(() => modes());
  let body;
  if (route.step === 'choices') {
    body = (
      <section data-replica-step="choices" aria-labelledby="replica-flow-title">
        <h2 id="replica-flow-title">What can we help you with?</h2>
        <ul role="list" id="replica-choices">
          {PRIVACY_CHOICES.map((c) => (
            <li key={c.id}>
              <a href={stepPath(c.id)} data-replica-choice={c.id} onClick={go(stepPath(c.id))}>{c.text}</a>
            </li>
          ))}
        </ul>
      </section>
    );
  } else if (route.step === 'form') {
    body = <ChoiceForm key={route.choice.id} choice={route.choice} confirm={confirm} back={go(FLOW_ROOT)} m={m} />;
  } else if (route.step === 'article' || route.step === 'search') {
    body = <QuotingPage step={route.step} />;
  } else {
    body = (
      <section data-replica-step="missing">
        <h2>Sorry, this content isn't available right now</h2>
        <p><a href={FLOW_ROOT} onClick={go(FLOW_ROOT)}>Privacy Center</a></p>
      </section>
    );
  }
  return (
    <div data-replica-path={path}>
      {body}
      {m.quote && <Quote where="faq" />}
      {m.quote && <Quote where="footer" />}
    </div>
  );
}

// A help article and search results that quote the "received" wording, every language, with a search box
// (a form, but not an objection form: no reason field). Not the flow's form: nothing there is an answer.
function QuotingPage({ step }) {
  const [more, setMore] = useState(0);
  useEffect(() => {
    if (more >= 2) return undefined;
    const t = setTimeout(() => setMore((n) => n + 1), 300); // more results load later, as search pages do
    return () => clearTimeout(t);
  }, [more]);
  const title = step === 'article' ? 'What happens after you object to the use of your information for AI'
    : 'Search results';
  return (
    <section data-replica-step={step} data-replica-loaded={more >= 2 ? 'true' : 'false'}>
      <form role="search" aria-label="Search the Help Center"><input type="search" name="q" defaultValue="objection" /></form>
      <h2>{title}</h2>
      {SIGNALS.received.slice(0, Math.ceil((SIGNALS.received.length * (more + 1)) / 3)).map((s, i) => (
        <article key={i} lang={s.lang}><h3>Result {i + 1}</h3><p>… {s.text.replace(/'/g, '\u2019')} …</p></article>
      ))}
    </section>
  );
}

function ChoiceForm({ choice, confirm, back, m }) {
  const [email, setEmail] = useState('replica.user@example.org');
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(null);
  const submit = (e) => { e.preventDefault(); setSubmitted({ email, reason }); };
  if (submitted) {
    const wording = CONFIRMATIONS[confirm] ?? CONFIRMATIONS['en-2024'];
    return (
      <section data-replica-step="confirmation" data-replica-choice-step={choice.id}>
        <h2>{choice.text}</h2>
        <Answer mode={m.answer} wording={wording} confirm={confirm}>
          <dl id="replica-submitted" aria-label="Submitted (replica)">
            <dt>email</dt><dd id="replica-submitted-email">{submitted.email}</dd>
            <dt>reason</dt><dd id="replica-submitted-reason">{submitted.reason}</dd>
          </dl>
        </Answer>
      </section>
    );
  }
  return (
    <section data-replica-step="form" data-replica-choice-step={choice.id}>
      <p><a href={FLOW_ROOT} data-replica-link="choices" onClick={back}>Back</a></p>
      <h2>{choice.text}</h2>
      <PresendIntro page="flow" />
      <p>Replica step for tests, rendered by React. Fill in the form to send your request.</p>
      {m.quote && <Quote where="intro" />}
      <form id="replica-form" aria-label="Privacy request" onSubmit={submit}>
        <label>Email address
          <input type="email" name="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>Tell us more about your request (optional)
          <textarea name="reason" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <p className="replica-meta"><span id="replica-reason-count" data-count={reason.length}>{reason.length} / 5000</span></p>
        {m.quote && <Quote where="help" />}
        {m.mentions && <Mentions />}
        <button type="submit" id="replica-send" className="replica-button">Send</button>
      </form>
    </section>
  );
}

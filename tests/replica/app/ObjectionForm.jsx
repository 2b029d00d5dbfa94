// The 2025 objection form (Facebook /help/contact/ID, Instagram help.instagram.com/contact/ID) as a React
// component with CONTROLLED fields: React state holds every value, and each render writes state back into
// the DOM. Text put into the textarea without going through React's onChange is therefore wiped by the
// next render — which is what a content script must survive (see README "React form").
import { useEffect, useRef, useState } from 'react';
import { CONFIRMATIONS } from './wording.mjs';
import { PresendIntro } from './PresendIntro.jsx';
import { Answer, ChatDock, keepAnswer, keptAnswer, Mentions, modes, Quote } from './modes.jsx';

const COUNTRIES = {
  facebook: [['DE', 'Deutschland'], ['AT', 'Österreich'], ['CH', 'Schweiz']],
  instagram: [['DE', 'Deutschland'], ['AT', 'Österreich']],
};
export const TICK_MS = 500; // the periodic re-render ("Entwurf gespeichert" clock), see README

export function ObjectionForm({ site, formId, confirm }) {
  const [country, setCountry] = useState('DE');
  const [email, setEmail] = useState('replica.user@example.org');
  const [reason, setReason] = useState('');
  const [m] = useState(() => modes());
  const [submitted, setSubmitted] = useState(() => keptAnswer(m));
  const [note, setNote] = useState('');
  const [tick, setTick] = useState(0);
  const renders = useRef(0);
  renders.current += 1;

  // A re-render every TICK_MS while the form is open, like Meta's draft/auto-save UI; and one on demand.
  useEffect(() => {
    if (submitted) return undefined;
    const t = setInterval(() => setTick((n) => n + 1), TICK_MS);
    window.replicaFormRerender = () => setTick((n) => n + 1);
    return () => { clearInterval(t); delete window.replicaFormRerender; };
  }, [submitted]);

  const submit = (e) => {
    e?.preventDefault();
    if (!submitted) {
      keepAnswer(m, { country, email, reason });
      setSubmitted({ country, email, reason });
    }
  };

  // The parts that stay whatever the state (answer modes, README): an FAQ inside the state's <div>, beside
  // the part that the answer replaces; a footer and a chat dock outside it.
  const stays = (state, part) => (
    <>
      <div data-replica-state={state} data-replica-renders={state === 'open' ? renders.current : undefined}>
        {part}
        {note && <p data-replica-note="">{note}</p>}
        {m.quote && <Quote where="faq" />}
      </div>
      {m.quote && <Quote where="footer" />}
      {m.outside && <ChatDock besideForm={setNote} />}
    </>
  );

  if (submitted) {
    const wording = CONFIRMATIONS[confirm] ?? CONFIRMATIONS.legacy;
    return stays('submitted', (
      <Answer key="answer" mode={m.answer} wording={wording} confirm={confirm}>
        <dl id="replica-submitted" aria-label="Submitted (replica)">
          <dt>country</dt><dd id="replica-submitted-country">{submitted.country}</dd>
          <dt>email</dt><dd id="replica-submitted-email">{submitted.email}</dd>
          <dt>reason</dt><dd id="replica-submitted-reason">{submitted.reason}</dd>
        </dl>
      </Answer>
    ));
  }

  const action = site === 'instagram' ? `/contact/${formId}` : `/help/contact/${formId}`;
  const send = site === 'instagram'
    ? <button type="submit" aria-label="Senden" id="replica-send" className="replica-button">Senden</button>
    : (
      <div role="button" tabIndex={0} aria-label="Senden" id="replica-send" className="replica-button"
        onClick={submit} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') submit(e); }}>Senden</div>
    );
  return stays('open', (
    <div key="open" data-replica-part="open">
      <h2>Einspruch gegen die Verwendung deiner Informationen für KI bei Meta</h2>
      <PresendIntro page="form" />
      <p>Replica form for tests, rendered by React. It only imitates the layout of a help-centre contact form.</p>
      {m.quote && <Quote where="intro" />}
      <form id="replica-form" action={action} method="get" aria-label="Kontaktformular" onSubmit={submit}>
        <label>Land, in dem du lebst
          <select name="country" aria-label="Land" required value={country}
            onChange={(e) => setCountry(e.target.value)}>
            <option value="">Auswählen</option>
            {COUNTRIES[site].map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        <label>E-Mail-Adresse
          <input type="email" name="email" aria-label="E-Mail-Adresse" required value={email}
            onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>Bitte erkläre, wie sich diese Verarbeitung auf dich auswirkt (optional)
          <textarea name="reason" aria-label="Begründung" rows={4} value={reason}
            onChange={(e) => setReason(e.target.value)} />
        </label>
        <p className="replica-meta">
          <span id="replica-reason-count" data-count={reason.length}>{reason.length} / 5000</span>
          {' · '}
          <span id="replica-tick" data-tick={tick}>Entwurf gespeichert ({tick})</span>
        </p>
        {m.quote && <Quote where="help" />}
        {m.mentions && <Mentions />}
        {send}
      </form>
    </div>
  ));
}

// The 2025 objection form (Facebook /help/contact/ID, Instagram help.instagram.com/contact/ID) as a React
// component with CONTROLLED fields: React state holds every value, and each render writes state back into
// the DOM. Text put into the textarea without going through React's onChange is therefore wiped by the
// next render — which is what a content script must survive (see README "React form").
import { useEffect, useRef, useState } from 'react';
import { CONFIRMATIONS } from './wording.mjs';
import { PresendIntro } from './PresendIntro.jsx';

const COUNTRIES = {
  facebook: [['DE', 'Deutschland'], ['AT', 'Österreich'], ['CH', 'Schweiz']],
  instagram: [['DE', 'Deutschland'], ['AT', 'Österreich']],
};
export const TICK_MS = 500; // the periodic re-render ("Entwurf gespeichert" clock), see README

export function ObjectionForm({ site, formId, confirm }) {
  const [country, setCountry] = useState('DE');
  const [email, setEmail] = useState('replica.user@example.org');
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(null);
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
    if (!submitted) setSubmitted({ country, email, reason });
  };

  if (submitted) {
    const wording = CONFIRMATIONS[confirm] ?? CONFIRMATIONS.legacy;
    return (
      <div data-replica-state="submitted">
        <div role="status" id="replica-received" data-wording={confirm} lang={wording.lang}>{wording.text}</div>
        <dl id="replica-submitted" aria-label="Submitted (replica)">
          <dt>country</dt><dd id="replica-submitted-country">{submitted.country}</dd>
          <dt>email</dt><dd id="replica-submitted-email">{submitted.email}</dd>
          <dt>reason</dt><dd id="replica-submitted-reason">{submitted.reason}</dd>
        </dl>
      </div>
    );
  }

  const action = site === 'instagram' ? `/contact/${formId}` : `/help/contact/${formId}`;
  const send = site === 'instagram'
    ? <button type="submit" aria-label="Senden" id="replica-send" className="replica-button">Senden</button>
    : (
      <div role="button" tabIndex={0} aria-label="Senden" id="replica-send" className="replica-button"
        onClick={submit} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') submit(e); }}>Senden</div>
    );
  return (
    <div data-replica-state="open" data-replica-renders={renders.current}>
      <h2>Einspruch gegen die Verwendung deiner Informationen für KI bei Meta</h2>
      <PresendIntro page="form" />
      <p>Replica form for tests, rendered by React. It only imitates the layout of a help-centre contact form.</p>
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
        {send}
      </form>
    </div>
  );
}

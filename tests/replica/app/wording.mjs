// The texts a Meta form shows (or mails) once an objection is sent, as the replica pages show them.
// Shared by the React pages (bundled by esbuild) and by the tests that check them (replica.test.mjs).
// Sources: tests/replica/SOURCES.md (each id below has its own entry there).
//
// Typography is Meta's, on purpose, so that matching is tested against it: U+2019 (’) in "We’ve" and
// "dell’IA", and a no-break space U+00A0 before the last word of a sentence (widow control, as Meta's
// pages do) or between "in" and "Meta". `\u00a0` below is that no-break space; `\u2019` the apostrophe.

export const CONFIRMATIONS = {
  // The replica's own, invented text (not Meta's): what the e2e scenarios written before issue 9 match.
  // Default on the 2025 form pages so those scenarios keep passing until the rules carry real wording.
  // Since issue 14 "will apply from now on" is no "received" fragment (the form says that of the future
  // before anything is sent); "We have received your request" is the receipt that counts.
  legacy: {
    lang: 'en',
    text: 'Replica: We have received your request. Your objection will apply from now on; an email with details will follow.',
    reported: false,
  },
  // Meta's 2024 reply (Facebook Support Inbox), English. Reported wording, typography ours (see header).
  'en-2024': {
    lang: 'en',
    text: 'We\u2019ve reviewed your request and will honor your objection. This means your request will be ' +
      'applied going\u00a0forward.',
    reported: true,
  },
  // The 2025 on-page text after sending, Italian (the only language it was reported in). The report quotes
  // it from "la tua richiesta" on ("Ciò significa che …"); the replica shows that sentence.
  'it-2025': {
    lang: 'it',
    text: 'Ciò significa che la tua richiesta verrà applicata d\u2019ora in avanti allo sviluppo e al ' +
      'miglioramento dell\u2019IA in\u00a0Meta. Riceverai una e-mail con i\u00a0dettagli.',
    reported: true,
  },
  // The British confirmation email (2024/2025), British spelling "honour". Shown as an email would be.
  'en-uk-email': {
    lang: 'en-GB',
    text: 'We will honour your objection for your public information, such as public posts and\u00a0comments.',
    reported: true,
  },
};

export const CONFIRMATION_IDS = Object.keys(CONFIRMATIONS);

/**
 * The wording for an Accept-Language header (the `?confirm=auto` choice): Italian → it-2025, British
 * English → en-uk-email, anything else → en-2024 (no other language was reported).
 */
export function confirmationForLanguages(acceptLanguage = '') {
  const first = String(acceptLanguage).split(',')[0].trim().toLowerCase();
  if (first.startsWith('it')) return 'it-2025';
  if (first === 'en-gb') return 'en-uk-email';
  return 'en-2024';
}

// The choices of Meta's 2026 Privacy Center flow (help.meta.com/support/privacy/), in the order reported.
// `id` is the replica's own hook (data-replica-choice) and the last path segment of the step.
export const PRIVACY_CHOICES = [
  { id: 'meta-ai', text: 'I want to object to the use of my information for Meta AI', reported: true },
  { id: 'third-party', text: 'I want to object to the use of my information from third parties for Meta AI',
    reported: true },
  { id: 'other', text: 'I have a different objection', reported: true },
  // Reported only as "a separate one for messages with AIs on WhatsApp": this wording is the replica's.
  { id: 'whatsapp-ai', text: 'I want to object to the use of my messages with AIs on WhatsApp', reported: false },
];

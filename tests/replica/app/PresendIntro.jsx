// What a form or the Privacy Center flow says BEFORE anything is sent: what happens to an honoured
// objection (tests/replica/presend.json, sourced there). It can carry the very words of Meta's later
// confirmation, so the extension must not take it for an answer; cargo test (tests/presend.rs) checks the
// same file against the rules' "received" fragments. The language is the server's choice
// (`<meta name="replica-lang">`: `?lang=`, Accept-Language with `?lang=auto`, else the page's default).
import PRESEND from '../presend.json';

export const presendTexts = (page, lang) => PRESEND.texts.filter((t) => t.lang === lang && t.pages.includes(page));

export function PresendIntro({ page }) {
  const lang = document.querySelector('meta[name="replica-lang"]')?.getAttribute('content') || 'en';
  return (
    <div id="replica-presend" data-replica-presend={page} lang={lang}>
      {presendTexts(page, lang).map((t, i) => <p key={i}>{t.text}</p>)}
    </div>
  );
}

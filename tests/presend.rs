//! The data guards itself (issue 14): no "received" fragment of `src/rules/meta.json` may occur in what an
//! objection form or the Privacy Center flow shows BEFORE anything is sent.
//!
//! The pre-send texts live in `tests/replica/presend.json`, the one file the replicas render too (so what the
//! end-to-end tests show the extension is what this test checks). A fragment found there would mark an
//! objection "sent" the moment the form opens: the worst thing the product can do.
//!
//! Texts are compared the way the form helper compares the page (NFKC, then `normalise_signal`: lower
//! case, straight apostrophes, single spaces), every fragment against every language, because Meta may
//! show a language other than the browser's.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use unicode_normalization::UnicodeNormalization;
use widerspruch::rules::{normalise_signal, Rules, Source, SourceList, RULES_JSON, SOURCES_JSON};

const PRESEND_JSON: &str = include_str!("replica/presend.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Presend {
    #[serde(rename = "$comment")]
    #[allow(dead_code)]
    comment: String,
    /// Sources only this file cites (same shape as `src/rules/sources.json`).
    sources: BTreeMap<String, Source>,
    texts: Vec<PresendText>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PageKind {
    /// The 2025 objection forms (Facebook, Instagram).
    Form,
    /// The Privacy Center flow's form step.
    Flow,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PresendText {
    lang: String,
    pages: Vec<PageKind>,
    text: String,
    reported: bool,
    #[serde(default)]
    note: Option<String>,
    sources: Vec<String>,
}

fn presend() -> Presend {
    serde_json::from_str(PRESEND_JSON).unwrap_or_else(|e| panic!("tests/replica/presend.json: {e}"))
}

/// What the form helper does to the page's text before it looks for a fragment.
fn normalise(s: &str) -> String {
    normalise_signal(&s.nfkc().collect::<String>())
}

/// For "does a source print this wording": punctuation and typography left out.
fn words(s: &str) -> String {
    let kept: String = normalise(s).chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every (fragment, its language) that occurs in a pre-send text, named with the text's language and pages.
fn collisions<'a>(fragments: impl IntoIterator<Item = (&'a str, &'a str)>, texts: &[PresendText]) -> Vec<String> {
    let texts: Vec<(String, &PresendText)> = texts.iter().map(|t| (normalise(&t.text), t)).collect();
    let mut out = Vec::new();
    for (fragment, lang) in fragments {
        let needle = normalise(fragment);
        for (hay, t) in &texts {
            if hay.contains(&needle) {
                out.push(format!(
                    "received fragment {fragment:?} ({lang}) occurs in the {} pre-send text ({:?}) of {:?}",
                    t.lang, t.pages, t.text
                ));
            }
        }
    }
    out
}

/// The languages the extension ships (`extension/_locales/*`): the replicas render the pre-send text in each.
fn shipped_languages() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/_locales");
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect()
}

/// The real data. On main as of issue 14 this FAILS, naming "will be applied going forward" and the other
/// fragments that describe an honoured objection's future: the form says the same before sending. The
/// rules change of issue 14 removes or sharpens those fragments; from then on this must pass. Do not
/// loosen it: fix the fragment (or, if Meta's pre-send text changed, presend.json with its sources).
#[test]
fn no_received_fragment_occurs_in_text_shown_before_sending() {
    let rules = Rules::from_json(RULES_JSON).unwrap();
    let found = collisions(rules.signals.received.iter().map(|s| (s.text.as_str(), s.lang.as_str())), &presend().texts);
    assert!(found.is_empty(), "{} received fragment(s) would mark an objection sent before sending:\n{}", found.len(), found.join("\n"));
}

#[test]
fn the_guard_names_the_fragment_and_the_language() {
    let p = presend();
    // Meta's typography on the page (U+2019, no-break space) and upper case do not hide a fragment.
    let text = |lang: &str, text: &str| PresendText {
        lang: lang.into(), pages: vec![PageKind::Form], text: text.into(), reported: false, note: None, sources: vec![],
    };
    let texts = [text("fr", "Si elle est acceptée, elle S\u{2019}appliquera\u{a0}désormais."), text("en", "Nothing to see.")];
    let found = collisions([("s'appliquera désormais", "fr"), ("will honour your objection", "en")], &texts);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("\"s'appliquera désormais\" (fr)") && found[0].contains("the fr pre-send text"), "{}", found[0]);
    // Compatibility forms too (NFKC, as form.js): the ligature U+FB01 is "fi".
    assert_eq!(collisions([("your objection is final", "en")], &[text("en", "Your objection is \u{fb01}nal.")]).len(), 1);
    // A fragment of one language is found in another language's text too.
    assert_eq!(collisions([("will be applied going forward", "de")], &p.texts).len(), 1);
    // Only a confirmation's words pass: these are in no form's or flow's text.
    assert_eq!(collisions([("will honour your objection", "en"), ("riceverai una e-mail con i dettagli", "it")], &p.texts), Vec::<String>::new());
    // The rules as they would be without the fragments that also describe the future before sending.
    let rules = Rules::from_json(RULES_JSON).unwrap();
    let clean: Vec<(&str, &str)> = rules
        .signals
        .received
        .iter()
        .map(|s| (s.text.as_str(), s.lang.as_str()))
        .filter(|(f, _)| collisions([(*f, "")], &p.texts).is_empty())
        .collect();
    assert!(!clean.is_empty());
    assert_eq!(collisions(clean, &p.texts), Vec::<String>::new());
}

/// The replicas render a pre-send text in every shipped language, on the form and in the flow.
#[test]
fn every_language_has_pre_send_text_on_the_form_and_in_the_flow() {
    let p = presend();
    let langs = shipped_languages();
    assert_eq!(langs.len(), 10, "{langs:?}");
    for lang in &langs {
        for page in [PageKind::Form, PageKind::Flow] {
            assert!(
                p.texts.iter().any(|t| &t.lang == lang && t.pages.contains(&page) && !t.text.trim().is_empty()),
                "no {page:?} pre-send text in {lang}"
            );
        }
    }
    for t in &p.texts {
        assert!(langs.contains(&t.lang), "pre-send text in {}, which the extension does not ship", t.lang);
        assert!(!t.pages.is_empty(), "{:?}: shown nowhere", t.text);
    }
}

/// Sourced like the rules: every id known, every source of this file well-formed and cited, best effort
/// saying what it is, and wording marked reported printed by a cited source.
#[test]
fn pre_send_texts_are_sourced() {
    let p = presend();
    let rules_sources = SourceList::from_json(SOURCES_JSON).unwrap().sources;
    let mut used = BTreeSet::new();
    for t in &p.texts {
        assert!(!t.sources.is_empty(), "{:?}: no source", t.text);
        let mut quotes = Vec::new();
        for id in &t.sources {
            let s = p.sources.get(id).or_else(|| rules_sources.get(id)).unwrap_or_else(|| panic!("{:?}: unknown source {id:?}", t.text));
            used.insert(id.as_str());
            quotes.extend(s.quotes.iter().map(|q| words(q)));
        }
        assert!(t.reported || !t.note.as_deref().unwrap_or("").trim().is_empty(), "{:?}: best-effort wording needs a note", t.text);
        if t.reported {
            assert!(quotes.iter().any(|q| q.contains(&words(&t.text))), "{:?} is marked reported, but no cited source prints it", t.text);
        }
    }
    for (id, s) in &p.sources {
        assert!(used.contains(id.as_str()), "source {id:?} is cited by nothing");
        assert!(!rules_sources.contains_key(id), "source {id:?} is also in src/rules/sources.json: keep one");
        let host = s.url.strip_prefix("https://").and_then(|r| r.split('/').next()).unwrap_or("");
        assert!(host.contains('.'), "source {id:?}: not a public https URL: {}", s.url);
        let seen = s.seen.as_bytes();
        let digits = |r: std::ops::Range<usize>| seen.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
        assert!(
            digits(0..4) && match seen.len() { 4 => true, 7 => seen[4] == b'-' && digits(5..7), 10 => seen[4] == b'-' && digits(5..7) && seen[7] == b'-' && digits(8..10), _ => false },
            "source {id:?}: seen {:?}",
            s.seen
        );
        assert!(!s.title.trim().is_empty() && !s.quotes.is_empty() && s.quotes.iter().all(|q| !q.trim().is_empty()), "source {id:?}: title and quotes");
    }
}

/// The "reported" check above bites: a sentence no cited source prints is refused.
#[test]
fn wording_marked_reported_must_be_in_a_cited_quote() {
    let p = presend();
    let polish = p.texts.iter().find(|t| t.lang == "pl" && t.reported).expect("the reported Polish text");
    let quotes: Vec<String> = polish.sources.iter().filter_map(|id| p.sources.get(id)).flat_map(|s| s.quotes.iter().map(|q| words(q))).collect();
    assert!(quotes.iter().any(|q| q.contains(&words(&polish.text))));
    let altered = polish.text.replace("przyszłości", "teraz");
    assert!(!quotes.iter().any(|q| q.contains(&words(&altered))));
}

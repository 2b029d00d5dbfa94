//! Site knowledge: Meta's hosts, form URLs and paths, as data (`meta.json`), compiled into the core.
//!
//! A changed form id is a one-line edit of `meta.json`; `cargo test` checks the file. This module depends
//! on nothing else in the core: the classifier, the panels and the handler read it.
//!
//! The file is read by serde's derived code, strictly: every type below refuses unknown keys
//! (`deny_unknown_fields`) and missing ones, so a typo in the file fails `cargo test` and the build's
//! first message rather than being ignored. A new key is one field in one struct.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Texts per language code (`"en"`, `"de"`, ...). English is the fallback ([`in_language`]).
pub type PerLanguage<T> = BTreeMap<String, T>;

/// The platforms that have an objection form. WhatsApp and Threads have none (see shared/facts.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PlatformId {
    Facebook,
    Instagram,
}

impl PlatformId {
    pub const ALL: [PlatformId; 2] = [PlatformId::Facebook, PlatformId::Instagram];

    /// The word in storage keys (`progress/facebook/main`); the same as on the wire (tested).
    pub fn as_str(self) -> &'static str {
        match self {
            PlatformId::Facebook => "facebook",
            PlatformId::Instagram => "instagram",
        }
    }
}

/// Where a fact comes from: a public page, when it was seen, and the words we rely on. Meta's own pages
/// cannot be reached from where this project is built, so every fact about them is what public reporting
/// quotes ([`Rules::check_sources`]).
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: String,
    /// The article's date, or the day it was read: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub seen: String,
    pub title: String,
    /// The language the source is written in.
    pub lang: String,
    /// The wording relied on, copied exactly.
    pub quotes: Vec<String>,
}

/// Ids of entries in [`Rules::sources`]. Every fact-bearing entry has a non-empty list (tested).
pub type Sources = Vec<String>;

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Notes for whoever edits the file.
    #[serde(rename = "$comment")]
    pub comment: String,
    pub schema: u32,
    /// The date from which Meta trains on public content (an objection protects only what follows).
    pub training_start: Dated,
    pub platforms: Vec<Platform>,
    /// The Privacy Center's pages about generative AI, on the way to the objection.
    pub guide_pages: Vec<GuidePage>,
    /// Sites without a form of their own whose public posts another platform's objection covers (Threads).
    pub covered_sites: Vec<CoveredSite>,
    /// Meta's Privacy Center flow, where objections go as reported in 2026.
    pub privacy_center: PrivacyCenter,
    /// "Data subject rights for third party information used for AI at Meta": for people who appear in
    /// others' content or have no account.
    pub third_party_form: Linked,
    /// CSS selector of the form's free-text reason field (a standard element, never Meta's class names).
    pub reason_field: String,
    /// Where the objection form is: the form helper looks for Meta's answer where it was (see [`SignalWhen`]).
    pub form_area: FormArea,
    pub signals: Signals,
    /// "Not now" hides the banner for this many days.
    pub snooze_days: u32,
    /// After this many days in "sent" without the confirmation email, the popup gently asks again.
    pub reminder_days: u32,
}

/// `sources.json` beside `meta.json`: every source the entries cite, by id. Only `cargo test` reads it: the
/// extension needs the facts, not where they were reported, and ships no third-party URLs.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceList {
    #[serde(rename = "$comment")]
    pub comment: String,
    pub sources: BTreeMap<String, Source>,
}

/// The sources file, for tests and tools.
#[cfg(not(target_arch = "wasm32"))]
pub const SOURCES_JSON: &str = include_str!("sources.json");

#[cfg(not(target_arch = "wasm32"))]
impl SourceList {
    pub fn from_json(text: &str) -> Result<SourceList, String> {
        serde_json::from_str(text).map_err(|e| format!("src/rules/sources.json: {e}"))
    }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dated {
    /// ISO date.
    pub date: String,
    pub sources: Sources,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linked {
    pub url: String,
    pub sources: Sources,
}

/// One text fragment that tells what a form page shows.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// Lower case, straight apostrophes, single spaces: the form helper normalises the page's text the
    /// same way (`extension/content/form.js`), so Meta's typography does not matter (tested).
    pub text: String,
    pub lang: String,
    /// A source prints this wording. `false`: our best-effort wording (a translation, a spelling variant),
    /// derived from the cited sources as `note` says.
    pub reported: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Sources,
}

/// What tells what an objection form page is showing.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signals {
    #[serde(rename = "$comment")]
    pub comment: String,
    /// The request was received (after "Send").
    pub received: Vec<Signal>,
    /// An error page or "content not available" instead of the form.
    pub unavailable: Vec<Signal>,
    /// A login wall instead of the form.
    pub login: Vec<Signal>,
    /// When each signal's text counts, and why.
    pub watch: SignalWatch,
}

/// CSS selector of the objection form's area, with why it is what it is.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormArea {
    /// Standard elements and roles only, never Meta's class names.
    pub selector: String,
    pub why: String,
}

/// When a signal's text counts (`extension/content/form.js` does what this says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SignalWhen {
    /// Only text the page adds or changes where the form area was, after the form area is gone, and only
    /// while no form area is back there: an answer to what the user sent. Text that was on the page while
    /// the form was never counts.
    Answer,
    /// Text of the page as it loads, only until a form area has been seen: what stands instead of the form.
    Load,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalRule {
    pub when: SignalWhen,
    pub why: String,
}

/// The rule for each signal. "Received" marks an objection sent, so it must be [`SignalWhen::Answer`]
/// (tested): a load-time match is how text already on the page, or quoting it, marked objections sent.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalWatch {
    pub received: SignalRule,
    pub unavailable: SignalRule,
    pub login: SignalRule,
}

impl SignalWatch {
    /// Refuses a rule that could mark an objection sent from text already on the page, and a rule without
    /// its reason.
    pub fn check(&self) -> Result<(), String> {
        if self.received.when != SignalWhen::Answer {
            return Err("signals.watch.received: only Meta's answer after sending may mark an objection sent (\"when\": \"answer\")".into());
        }
        for (name, r) in [("received", &self.received), ("unavailable", &self.unavailable), ("login", &self.login)] {
            if r.why.trim().is_empty() {
                return Err(format!("signals.watch.{name}: say why"));
            }
        }
        Ok(())
    }
}

impl Signals {
    /// Every language's fragments: Meta may show a language other than the browser's.
    pub fn all(list: &[Signal]) -> Vec<String> {
        list.iter().map(|s| s.text.clone()).collect()
    }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub id: PlatformId,
    pub name: String,
    /// Registrable domain; hosts are this or a subdomain of it.
    pub domain: String,
    /// Host labels in front of `domain` that show the feed/profile app. `""` is the bare domain,
    /// `{locale}` a locale label such as `de-de`.
    pub feed_hosts: Vec<String>,
    /// Where the banner sends the user.
    pub form: String,
    /// Pages recognised as the objection form, current and older ids.
    pub form_pages: Vec<FormPage>,
    /// Paths on feed hosts that are not the feed (help, login, messages, ...): no banner there.
    pub not_feed_paths: Vec<String>,
    /// The way to the form through the app's own menus, for when the direct link fails.
    pub fallback_route: PerLanguage<Route>,
    /// For the domain, its hosts and the form link.
    pub sources: Sources,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormPage {
    pub hosts: Vec<String>,
    pub path: String,
    pub current: bool,
    pub sources: Sources,
}

/// A way through the app's menus in one language.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub steps: Vec<String>,
    /// A source describes this route with these menu names in this language; `false`: translated by us.
    pub reported: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Sources,
}

/// A Privacy Center page about generative AI: shown a pointer to the objection, nothing else.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidePage {
    pub platform: PlatformId,
    pub hosts: Vec<String>,
    pub path: String,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Sources,
}

/// A site with no objection form of its own (Threads), covered by a platform's objection.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoveredSite {
    pub id: String,
    pub name: String,
    pub covered_by: PlatformId,
    /// Registrable domains; hosts are these or subdomains.
    pub domains: Vec<String>,
    /// Host labels that show the feed, as for [`Platform::feed_hosts`].
    pub feed_hosts: Vec<String>,
    pub not_feed_paths: Vec<String>,
    #[serde(rename = "$comment")]
    pub comment: String,
    pub sources: Sources,
}

/// Meta's Privacy Center flow (`help.meta.com/support/privacy/`, as reported in 2026).
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyCenter {
    pub host: String,
    /// Path prefix of the flow; its steps are client-side routes below it.
    pub path: String,
    #[serde(rename = "$comment")]
    pub comment: String,
    pub sources: Sources,
    /// The choices the flow offers, in the order the helper explains them.
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceId {
    /// Your own information: the objection Widerspruch tracks.
    Own,
    /// Your information from third parties.
    ThirdParty,
    /// Any other objection: not about AI training.
    Other,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: ChoiceId,
    /// The label per language: Meta's wording in `reported_languages`, our translation elsewhere.
    pub label: PerLanguage<String>,
    pub reported_languages: Vec<String>,
    pub sources: Sources,
}

impl Rules {
    /// Every fact-bearing entry with what it is, for the source check and for tools.
    pub fn cited(&self) -> Vec<(String, &Sources)> {
        let mut out: Vec<(String, &Sources)> = vec![
            ("training_start".into(), &self.training_start.sources),
            ("third_party_form".into(), &self.third_party_form.sources),
            ("privacy_center".into(), &self.privacy_center.sources),
        ];
        for p in &self.platforms {
            out.push((format!("platform {}", p.name), &p.sources));
            for f in &p.form_pages {
                out.push((format!("{} form page {}", p.name, f.path), &f.sources));
            }
            for (lang, r) in &p.fallback_route {
                out.push((format!("{} fallback route ({lang})", p.name), &r.sources));
            }
        }
        for g in &self.guide_pages {
            out.push((format!("guide page {}", g.path), &g.sources));
        }
        for c in &self.covered_sites {
            out.push((format!("covered site {}", c.name), &c.sources));
        }
        for c in &self.privacy_center.choices {
            out.push((format!("privacy center choice {:?}", c.id), &c.sources));
        }
        for (kind, list) in [("received", &self.signals.received), ("unavailable", &self.signals.unavailable), ("login", &self.signals.login)] {
            for s in list {
                out.push((format!("signal {kind} {:?}", s.text), &s.sources));
            }
        }
        out
    }

    /// Refuses an entry without a source, a source id that is not in `sources.json`, a source that is not a
    /// public https page with a date and the quoted wording, a source nobody cites, and best-effort
    /// wording (`reported: false`) that does not say what it is.
    pub fn check_sources(&self, list: &SourceList) -> Result<(), String> {
        let sources = &list.sources;
        let mut used = std::collections::BTreeSet::new();
        for (what, ids) in self.cited() {
            if ids.is_empty() {
                return Err(format!("{what}: no source"));
            }
            for id in ids {
                if !sources.contains_key(id) {
                    return Err(format!("{what}: unknown source {id:?}"));
                }
                used.insert(id.as_str());
            }
        }
        for (id, s) in sources {
            if !used.contains(id.as_str()) {
                return Err(format!("source {id:?} is cited by nothing"));
            }
            let host = s.url.strip_prefix("https://").and_then(|r| r.split('/').next()).unwrap_or("");
            if host.is_empty() || !host.contains('.') {
                return Err(format!("source {id:?}: not a public https URL: {}", s.url));
            }
            if !is_seen_date(&s.seen) {
                return Err(format!("source {id:?}: seen {:?} is not YYYY, YYYY-MM or YYYY-MM-DD", s.seen));
            }
            if s.quotes.is_empty() || s.quotes.iter().any(|q| q.trim().is_empty()) || s.title.trim().is_empty() {
                return Err(format!("source {id:?}: needs a title and the quoted wording"));
            }
        }
        for (kind, list) in [("received", &self.signals.received), ("unavailable", &self.signals.unavailable), ("login", &self.signals.login)] {
            for s in list {
                if !s.reported && s.note.as_deref().unwrap_or("").trim().is_empty() {
                    return Err(format!("signal {kind} {:?}: best-effort wording needs a note saying what it is", s.text));
                }
            }
        }
        for c in &self.privacy_center.choices {
            if c.reported_languages.iter().any(|l| !c.label.contains_key(l)) || c.reported_languages.is_empty() {
                return Err(format!("privacy center choice {:?}: no label in a reported language", c.id));
            }
        }
        Ok(())
    }
}

fn is_seen_date(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Meta's typography, taken out: what the form helper does to the page's text before it looks for a
/// signal (`normalise` in `extension/content/form.js`), for the ASCII-and-Latin text of the signals.
/// Signal fragments must already be in this form (tested), so a curly apostrophe or a non-breaking space
/// on Meta's page cannot hide one.
pub fn normalise_signal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{2032}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

pub const RULES_JSON: &str = include_str!("meta.json");

impl Rules {
    /// Read a rules file (strict: see the module comment).
    pub fn from_json(text: &str) -> Result<Rules, String> {
        serde_json::from_str(text).map_err(|e| format!("src/rules/meta.json: {e}"))
    }
}

/// The compiled-in rules, read on first use (`cargo test` checks that the file reads, strictly, so the
/// `expect` cannot fire in a build whose tests passed).
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| read_compiled_in().expect("src/rules/meta.json reads (tested)"))
}

#[cfg(not(target_arch = "wasm32"))]
fn read_compiled_in() -> Result<Rules, String> {
    Rules::from_json(RULES_JSON)
}

/// In the extension the browser's own `JSON.parse` reads the text and serde reads the resulting value, so
/// the WebAssembly carries no JSON parser (serde_json's was 33 KB of it, BENCHMARKS.md). serde-wasm-bindgen
/// does not check `deny_unknown_fields`; the native tests check the same text with it.
#[cfg(target_arch = "wasm32")]
fn read_compiled_in() -> Result<Rules, String> {
    let value = js_sys::JSON::parse(RULES_JSON).map_err(|_| "src/rules/meta.json: not JSON".to_string())?;
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("src/rules/meta.json: {e}"))
}

impl Rules {
    pub fn platform(&self, id: PlatformId) -> &Platform {
        self.platforms.iter().find(|p| p.id == id).expect("every PlatformId has rules (tested)")
    }
}

/// The entry for `lang`, else English.
pub fn in_language<'a, T>(map: &'a PerLanguage<T>, lang: &str) -> &'a T {
    map.get(lang).or_else(|| map.get("en")).expect("every per-language entry has English (tested)")
}

/// Whether `label` (one DNS label) is allowed by a host pattern from the rules.
pub fn host_label_matches(pattern: &str, label: Option<&str>) -> bool {
    match (pattern, label) {
        ("", None) => true,
        ("{locale}", Some(l)) => is_locale_label(l),
        (p, Some(l)) => !p.is_empty() && p != "{locale}" && p == l,
        _ => false,
    }
}

/// `de-de`, `en-gb`, `es-la`: two letters, a dash, two letters.
fn is_locale_label(l: &str) -> bool {
    let b = l.as_bytes();
    b.len() == 5 && b[2] == b'-' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_meta_https(url: &str) -> bool {
        let rest = match url.strip_prefix("https://") {
            Some(r) => r,
            None => return false,
        };
        let host = rest.split('/').next().unwrap_or("");
        ["facebook.com", "instagram.com"].iter().any(|d| host == *d || host.ends_with(&format!(".{d}")))
    }

    #[test]
    fn rules_parse_and_cover_every_platform() {
        let r = rules();
        assert_eq!(r.schema, 2);
        for id in PlatformId::ALL {
            let p = r.platform(id);
            assert_eq!(p.id.as_str(), id.as_str());
            assert_eq!(p.form_pages.iter().filter(|f| f.current).count(), 1, "{id:?}: exactly one current form");
        }
        assert_eq!(r.platforms.len(), PlatformId::ALL.len());
    }

    #[test]
    fn every_url_is_https_on_a_meta_host() {
        let r = rules();
        let mut urls = vec![r.third_party_form.url.as_str()];
        for p in &r.platforms {
            urls.push(&p.form);
        }
        for u in urls {
            assert!(is_meta_https(u), "not an https Meta URL: {u}");
        }
    }

    #[test]
    fn the_link_target_is_the_current_form_page() {
        for p in &rules().platforms {
            let cur = p.form_pages.iter().find(|f| f.current).unwrap();
            assert!(p.form.ends_with(&cur.path), "{}: form URL {} is not the current form page", p.name, p.form);
            assert!(cur.path.starts_with('/') && !cur.path.ends_with('/'));
        }
    }

    #[test]
    fn training_start_is_an_iso_date() {
        let d = &rules().training_start.date;
        assert_eq!(d.len(), 10);
        let digits = |r: std::ops::Range<usize>| d[r].bytes().all(|b| b.is_ascii_digit());
        assert!(digits(0..4) && &d[4..5] == "-" && digits(5..7) && &d[7..8] == "-" && digits(8..10), "{d}");
    }

    /// The languages the extension ships (`extension/_locales/*`).
    fn shipped_languages() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/_locales");
        let mut langs: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        langs.sort();
        langs
    }

    #[test]
    fn every_route_and_signal_exists_in_every_language() {
        let r = rules();
        let langs = shipped_languages();
        assert!(langs.contains(&"en".to_string()) && langs.contains(&"de".to_string()));
        for lang in &langs {
            for p in &r.platforms {
                let steps = &p.fallback_route.get(lang).unwrap_or_else(|| panic!("{}: no fallback route in {lang}", p.name)).steps;
                assert!(steps.len() >= 3 && steps.iter().all(|s| !s.trim().is_empty()), "{} {lang}: route too short or empty", p.name);
            }
            for (name, list) in [("received", &r.signals.received), ("unavailable", &r.signals.unavailable), ("login", &r.signals.login)] {
                assert!(list.iter().any(|s| &s.lang == lang), "signal {name}: nothing in {lang}");
                for s in list {
                    assert!(langs.contains(&s.lang), "signal {name} {:?}: language {} is not shipped", s.text, s.lang);
                    assert!(s.text.len() >= 6, "signal {name}: fragment {:?} is too short to be specific", s.text);
                    assert_eq!(s.text, normalise_signal(&s.text), "signal {name}: {:?} is not in normal form (lower case, straight apostrophes, single spaces)", s.text);
                    assert_eq!(s.text, s.text.trim(), "signal {name}: {:?} has spaces at the ends", s.text);
                }
            }
        }
        let extra: Vec<_> = r.platforms[0].fallback_route.keys().filter(|l| !langs.contains(l)).collect();
        assert!(extra.is_empty(), "routes for languages the extension does not ship: {extra:?}");
    }

    #[test]
    fn signals_do_not_overlap() {
        // A fragment that means "received" must never also mean "error" or "login".
        let s = &rules().signals;
        let received = Signals::all(&s.received);
        for other in Signals::all(&s.unavailable).iter().chain(&Signals::all(&s.login)) {
            assert!(!received.iter().any(|r| r.contains(other.as_str()) || other.contains(r.as_str())), "{other}");
        }
    }

    #[test]
    fn unknown_keys_are_refused() {
        let parse = Rules::from_json;
        assert!(parse(RULES_JSON).is_ok());
        let bad = RULES_JSON.replacen("\"snooze_days\"", "\"snooze_dayz\"", 1);
        assert!(parse(&bad).is_err());
        for (from, to) in [
            ("\"current\": true", "\"current\": true, \"extra\": 1"),
            ("\"current\": true", "\"current\": \"yes\""),
            ("\"reason_field\": \"textarea\"", "\"reason_field\": null"),
            ("\"snooze_days\": 7", "\"snooze_days\": 7.5"),
            ("\"received\": [", "\"receivd\": ["),
            ("\"reported\": true", "\"reported\": 1"),
            ("\"id\": \"facebook\"", "\"id\": \"whatsapp\""),
            ("\"domain\": \"facebook.com\",", ""),
        ] {
            let bad = RULES_JSON.replacen(from, to, 1);
            assert_ne!(bad, RULES_JSON, "{from}");
            assert!(parse(&bad).is_err(), "{to}");
        }
    }


    /// The content scripts' match patterns (manifest.json) are exactly the hosts the rules name: every
    /// host of each platform's and covered site's domain, and the Privacy Center's host. Both scripts
    /// run on all of them (form.js idles until asked: Meta's apps reach a form by in-page navigation).
    #[test]
    fn the_manifest_matches_exactly_the_rules() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cs = manifest["content_scripts"].as_array().unwrap();
        assert_eq!(cs.len(), 1, "one content-script entry");
        assert_eq!(cs[0]["js"], serde_json::json!(["content/form.js", "content/banner.js"]));
        let matches: std::collections::BTreeSet<String> =
            cs[0]["matches"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
        let r = rules();
        let mut want: std::collections::BTreeSet<String> = r.platforms.iter().map(|p| format!("https://*.{}/*", p.domain)).collect();
        for c in &r.covered_sites {
            want.extend(c.domains.iter().map(|d| format!("https://*.{d}/*")));
        }
        want.insert(format!("https://{}/*", r.privacy_center.host));
        assert_eq!(matches, want);
    }

    #[test]
    fn every_fact_has_a_source() {
        rules().check_sources(&SourceList::from_json(SOURCES_JSON).unwrap()).unwrap();
    }

    /// `cargo test` refuses an entry without a source: a missing list, an empty one, an unknown id, a
    /// source without a date or quote, an unused source, and best-effort wording without a note.
    #[test]
    fn unsourced_entries_are_refused() {
        let check = |rules: &str, sources: &str| -> Result<(), String> {
            Rules::from_json(rules)?.check_sources(&SourceList::from_json(sources)?)
        };
        assert_eq!(check(RULES_JSON, SOURCES_JSON), Ok(()));
        let first = RULES_JSON.find("\"sources\": [").unwrap();
        let end = first + RULES_JSON[first..].find(']').unwrap() + 1;
        let (before, after) = (&RULES_JSON[..first], &RULES_JSON[end..]);
        let spoilt_rules = [
            // The first entry's list, gone, empty, or naming nothing in sources.json.
            format!("{}{after}", before.trim_end().trim_end_matches(',')),
            format!("{before}\"sources\": []{after}"),
            format!("{before}\"sources\": [\"nobody-wrote-this\"]{after}"),
            // Best-effort wording that does not say what it is.
            RULES_JSON.replacen("\"note\": \"", "\"was_note\": \"", 1),
        ];
        for (i, bad) in spoilt_rules.iter().enumerate() {
            assert_ne!(bad, RULES_JSON, "rules case {i} changed nothing");
            assert!(check(bad, SOURCES_JSON).is_err(), "rules case {i} was accepted");
        }
        let spoilt_sources = [
            SOURCES_JSON.replacen("\"seen\": \"", "\"seen\": \"someday", 1),
            SOURCES_JSON.replacen("\"url\": \"https://", "\"url\": \"http://", 1),
            SOURCES_JSON.replacen("\"quotes\": [", "\"quotes\": [], \"was\": [", 1),
        ];
        for (i, bad) in spoilt_sources.iter().enumerate() {
            assert_ne!(bad, SOURCES_JSON, "sources case {i} changed nothing");
            assert!(check(RULES_JSON, bad).is_err(), "sources case {i} was accepted");
        }
        // A source nobody cites.
        let extra = SOURCES_JSON.replacen(
            "\"sources\": {",
            "\"sources\": {\"unused\": {\"url\": \"https://example.org/\", \"seen\": \"2026\", \"title\": \"t\", \"lang\": \"en\", \"quotes\": [\"q\"]},",
            1,
        );
        assert_eq!(check(RULES_JSON, &extra), Err("source \"unused\" is cited by nothing".into()));
    }

    #[test]
    fn signal_matching_survives_metas_typography() {
        assert_eq!(normalise_signal("We\u{2019}ve reviewed  your REQUEST"), "we've reviewed your request");
        assert_eq!(normalise_signal("verr\u{e0} applicata d\u{2019}ora\u{a0}in avanti"), "verrà applicata d'ora in avanti");
        assert_eq!(normalise_signal("will\u{202f}honour\nyour objection"), "will honour your objection");
        let r = rules();
        let received = Signals::all(&r.signals.received);
        // Both spellings of the reported UK email wording, and the reported Italian page text.
        for f in ["will honour your objection", "will honor your objection", "verrà applicata d'ora in avanti"] {
            assert!(received.iter().any(|x| x == f), "{f}");
        }
        let reported: Vec<_> = r.signals.received.iter().filter(|s| s.reported).map(|s| s.lang.as_str()).collect();
        assert!(reported.contains(&"it") && reported.contains(&"en"), "{reported:?}");
    }

    /// "Received" counts only as Meta's answer (the false-"sent" path is closed in the data); the form area is
    /// a standard selector.
    #[test]
    fn received_counts_only_as_an_answer() {
        let r = rules();
        assert_eq!(r.signals.watch.check(), Ok(()));
        assert_eq!(r.signals.watch.received.when, SignalWhen::Answer);
        let load = RULES_JSON.replacen("\"when\": \"answer\"", "\"when\": \"load\"", 1);
        assert_ne!(load, RULES_JSON);
        let spoilt = Rules::from_json(&load).unwrap();
        assert!(spoilt.signals.watch.check().is_err(), "\"received\" at load time was accepted");
        for bad in [RULES_JSON.replacen("\"when\": \"answer\"", "\"when\": \"always\"", 1), RULES_JSON.replacen("\"when\": \"load\",", "", 1)] {
            assert!(Rules::from_json(&bad).is_err(), "an unknown or missing rule was accepted");
        }
        let rule = |when, why: &str| SignalRule { when, why: why.into() };
        let unexplained = SignalWatch { received: rule(SignalWhen::Answer, "x"), unavailable: rule(SignalWhen::Load, " "), login: rule(SignalWhen::Load, "x") };
        assert!(unexplained.check().is_err(), "a rule without its reason was accepted");
        let sel = &r.form_area.selector;
        assert!(!sel.contains('.') && !sel.contains("class"), "the form area is found by standard elements and roles: {sel}");
        assert!(!r.form_area.why.trim().is_empty());
    }

    #[test]
    fn platform_words_are_the_wire_words() {
        for p in PlatformId::ALL {
            assert_eq!(serde_json::to_value(p).unwrap(), serde_json::json!(p.as_str()));
        }
    }

    #[test]
    fn host_patterns() {
        assert!(host_label_matches("", None));
        assert!(host_label_matches("{locale}", Some("de-de")));
        assert!(!host_label_matches("{locale}", Some("de-dex")));
        assert!(!host_label_matches("{locale}", Some("www")));
        assert!(host_label_matches("www", Some("www")));
        assert!(!host_label_matches("www", None));
        assert!(!host_label_matches("", Some("www")));
    }
}

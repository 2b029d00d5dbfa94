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

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Notes for whoever edits the file.
    #[serde(rename = "$comment")]
    pub comment: String,
    pub schema: u32,
    /// ISO date from which Meta trains on public content (an objection protects only what follows).
    pub training_start: String,
    pub platforms: Vec<Platform>,
    /// "Data subject rights for third party information used for AI at Meta": for people who appear in
    /// others' content or have no account.
    pub third_party_form: String,
    /// CSS selector of the form's free-text reason field (a standard element, never Meta's class names).
    pub reason_field: String,
    pub signals: Signals,
    /// "Not now" hides the banner for this many days.
    pub snooze_days: u32,
    /// After this many days in "sent" without the confirmation email, the popup gently asks again.
    pub reminder_days: u32,
}

/// Lower-case text fragments, per language, that tell what an objection form page is showing.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signals {
    #[serde(rename = "$comment")]
    pub comment: String,
    /// The request was received (after "Send").
    pub received: PerLanguage<Vec<String>>,
    /// An error page or "content not available" instead of the form.
    pub unavailable: PerLanguage<Vec<String>>,
    /// A login wall instead of the form.
    pub login: PerLanguage<Vec<String>>,
}

impl Signals {
    /// Every language's fragments: Meta may show a language other than the browser's.
    pub fn all(map: &PerLanguage<Vec<String>>) -> Vec<String> {
        map.values().flatten().cloned().collect()
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
    pub fallback_route: PerLanguage<Vec<String>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormPage {
    pub hosts: Vec<String>,
    pub path: String,
    pub current: bool,
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
        assert_eq!(r.schema, 1);
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
        let mut urls = vec![r.third_party_form.as_str()];
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
        let d = &rules().training_start;
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
                let steps = p.fallback_route.get(lang).unwrap_or_else(|| panic!("{}: no fallback route in {lang}", p.name));
                assert!(steps.len() >= 3 && steps.iter().all(|s| !s.trim().is_empty()), "{} {lang}: route too short or empty", p.name);
            }
            for (name, map) in [("received", &r.signals.received), ("unavailable", &r.signals.unavailable), ("login", &r.signals.login)] {
                let f = map.get(lang).unwrap_or_else(|| panic!("signal {name}: nothing in {lang}"));
                assert!(!f.is_empty(), "signal {name} {lang} is empty");
                for frag in f {
                    assert!(frag.len() >= 6, "signal {name} {lang}: fragment {frag:?} is too short to be specific");
                    assert_eq!(frag, &frag.to_lowercase(), "signal {name} {lang}: fragments are lower case");
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
            ("\"received\": {", "\"receivd\": {"),
            ("\"id\": \"facebook\"", "\"id\": \"whatsapp\""),
            ("\"domain\": \"facebook.com\",", ""),
        ] {
            let bad = RULES_JSON.replacen(from, to, 1);
            assert_ne!(bad, RULES_JSON, "{from}");
            assert!(parse(&bad).is_err(), "{to}");
        }
    }


    /// The content scripts' match patterns (manifest.json) are exactly what the rules call for: banner.js on
    /// every host of each platform's domain, form.js on each form page's hosts and the form paths' folder.
    #[test]
    fn the_manifest_matches_exactly_the_rules() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        let matches_of = |script: &str| -> std::collections::BTreeSet<String> {
            let cs = manifest["content_scripts"].as_array().unwrap();
            let entry = cs.iter().find(|c| c["js"] == serde_json::json!([script])).unwrap_or_else(|| panic!("no entry for {script}"));
            entry["matches"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect()
        };
        let r = rules();
        let feed: std::collections::BTreeSet<String> = r.platforms.iter().map(|p| format!("https://*.{}/*", p.domain)).collect();
        assert_eq!(matches_of("content/banner.js"), feed);
        let mut forms = std::collections::BTreeSet::new();
        for p in &r.platforms {
            for f in &p.form_pages {
                let host = match &f.hosts[..] {
                    [one] if !one.is_empty() && one != "{locale}" => format!("{one}.{}", p.domain),
                    _ => format!("*.{}", p.domain),
                };
                let folder = &f.path[..f.path.rfind('/').unwrap() + 1];
                forms.insert(format!("https://{host}{folder}*"));
            }
        }
        assert_eq!(matches_of("content/form.js"), forms);
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

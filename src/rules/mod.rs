//! Site knowledge: Meta's hosts, form URLs and paths, as data (`meta.json`), compiled into the core.
//!
//! A changed form id is a one-line edit of `meta.json`; `cargo test` checks the file.

use crate::json::{Fields, FromJson};
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

/// Texts per language code (`"en"`, `"de"`, ...), in code order. English is the fallback.
///
/// A sorted list rather than a `BTreeMap`: a handful of entries, and a map type of its own would add
/// kilobytes to the WebAssembly. Reads like the map it replaces (`get`, `keys`, `values`).
#[derive(Debug, Clone, PartialEq)]
pub struct PerLanguage<T>(Vec<(String, T)>);

impl<T> PerLanguage<T> {
    /// From entries sorted by language code, each code once.
    fn from_sorted(entries: Vec<(String, T)>) -> PerLanguage<T> {
        PerLanguage(entries)
    }
    pub fn get(&self, lang: &str) -> Option<&T> {
        self.0.iter().find(|(l, _)| l == lang).map(|(_, t)| t)
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(l, _)| l)
    }
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|(_, t)| t)
    }
}

impl<T: FromJson> FromJson for PerLanguage<T> {
    /// serde_json's object is a `BTreeMap`: its entries come sorted, each key once.
    fn from_json(v: &Value) -> Option<Self> {
        let mut out = Vec::new();
        for (k, x) in v.as_object()? {
            out.push((k.clone(), T::from_json(x)?));
        }
        Some(PerLanguage::from_sorted(out))
    }
}

/// The platforms that have an objection form. WhatsApp and Threads have none (see shared/facts.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformId {
    Facebook,
    Instagram,
}

crate::json_words!(PlatformId { Facebook => "facebook", Instagram => "instagram" } placeholder Facebook);

impl PlatformId {
    pub const ALL: [PlatformId; 2] = [PlatformId::Facebook, PlatformId::Instagram];

    pub fn as_str(self) -> &'static str {
        match self {
            PlatformId::Facebook => "facebook",
            PlatformId::Instagram => "instagram",
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct Rules {
    /// `$comment` in the file.
    pub comment: String,
    pub schema: u32,
    /// ISO date from which Meta trains on public content (an objection protects only what follows).
    pub training_start: String,
    pub platforms: Vec<Platform>,
    /// "Data subject rights for third party information used for AI at Meta": for people who appear in
    /// others' content or have no account.
    pub third_party_form: String,
    pub privacy_pages: Vec<String>,
    /// CSS selector of the form's free-text reason field (a standard element, never Meta's class names).
    pub reason_field: String,
    pub signals: Signals,
    /// "Not now" hides the banner for this many days.
    pub snooze_days: u32,
    /// After this many days in "sent" without the confirmation email, the popup gently asks again.
    pub reminder_days: u32,
}

/// Lower-case text fragments, per language, that tell what an objection form page is showing.
#[derive(Debug, PartialEq)]
pub struct Signals {
    /// `$comment` in the file.
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
        let mut out = Vec::new();
        for list in map.values() {
            out.extend_from_slice(list);
        }
        out
    }
}

#[derive(Debug, PartialEq)]
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
    pub accounts_center: String,
    /// The way to the form through the app's own menus, for when the direct link fails.
    pub fallback_route: PerLanguage<Vec<String>>,
}

#[derive(Debug, PartialEq)]
pub struct FormPage {
    pub hosts: Vec<String>,
    pub path: String,
    pub current: bool,
}

pub const RULES_JSON: &str = include_str!("meta.json");

/// The compiled-in rules, built by code that `build.rs` writes from `meta.json` (no JSON parser in the
/// core). `cargo test` checks that they are what `Rules::from_json` reads from the file.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| include!(concat!(env!("OUT_DIR"), "/meta.rs")))
}

// The helpers the generated code calls.
#[inline(never)]
fn text(s: &str) -> String {
    s.to_string()
}

#[inline(never)]
fn texts(list: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(list.len());
    for s in list {
        out.push(text(s));
    }
    out
}

/// `build.rs` writes the entries in the file's (sorted) key order.
fn per_language(entries: &[(&str, &[&str])]) -> PerLanguage<Vec<String>> {
    let mut out = Vec::with_capacity(entries.len());
    for (lang, list) in entries {
        out.push((text(lang), texts(list)));
    }
    PerLanguage::from_sorted(out)
}

/// Read an object strictly: every key known, every field present with the right type.
fn strict<'a>(v: &'a Value, what: &str, known: &[&str]) -> Result<Fields<'a>, String> {
    let f = Fields::of(v).ok_or_else(|| format!("{what}: not an object"))?;
    match f.0.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!("{what}: unknown key {k}")),
        None => Ok(f),
    }
}

fn field<T: FromJson>(f: &Fields, what: &str, key: &str) -> Result<T, String> {
    match f.0.get(key).and_then(T::from_json) {
        Some(t) => Ok(t),
        None => Err(missing(what, key)),
    }
}

#[inline(never)]
fn missing(what: &str, key: &str) -> String {
    format!("{what}: missing or bad {key}")
}

impl Rules {
    /// Read the rules file's JSON. Strict like `deny_unknown_fields`: unknown keys are refused.
    pub fn from_json(v: &Value) -> Result<Rules, String> {
        let w = "rules";
        let f = strict(
            v,
            w,
            &["$comment", "schema", "training_start", "platforms", "third_party_form", "privacy_pages", "reason_field", "signals", "snooze_days", "reminder_days"],
        )?;
        let mut platforms = Vec::new();
        for p in f.0.get("platforms").and_then(Value::as_array).ok_or("rules: missing or bad platforms")? {
            platforms.push(Platform::from_json(p)?);
        }
        Ok(Rules {
            comment: field(&f, w, "$comment")?,
            schema: field(&f, w, "schema")?,
            training_start: field(&f, w, "training_start")?,
            platforms,
            third_party_form: field(&f, w, "third_party_form")?,
            privacy_pages: field(&f, w, "privacy_pages")?,
            reason_field: field(&f, w, "reason_field")?,
            signals: Signals::from_json(f.0.get("signals").unwrap_or(&Value::Null))?,
            snooze_days: field(&f, w, "snooze_days")?,
            reminder_days: field(&f, w, "reminder_days")?,
        })
    }
}

impl Signals {
    fn from_json(v: &Value) -> Result<Signals, String> {
        let w = "signals";
        let f = strict(v, w, &["$comment", "received", "unavailable", "login"])?;
        Ok(Signals {
            comment: field(&f, w, "$comment")?,
            received: field(&f, w, "received")?,
            unavailable: field(&f, w, "unavailable")?,
            login: field(&f, w, "login")?,
        })
    }
}

impl Platform {
    fn from_json(v: &Value) -> Result<Platform, String> {
        let w = "platform";
        let f = strict(
            v,
            w,
            &["id", "name", "domain", "feed_hosts", "form", "form_pages", "not_feed_paths", "accounts_center", "fallback_route"],
        )?;
        let mut form_pages = Vec::new();
        for p in f.0.get("form_pages").and_then(Value::as_array).ok_or("platform: missing or bad form_pages")? {
            form_pages.push(FormPage::from_json(p)?);
        }
        Ok(Platform {
            id: field(&f, w, "id")?,
            name: field(&f, w, "name")?,
            domain: field(&f, w, "domain")?,
            feed_hosts: field(&f, w, "feed_hosts")?,
            form: field(&f, w, "form")?,
            form_pages,
            not_feed_paths: field(&f, w, "not_feed_paths")?,
            accounts_center: field(&f, w, "accounts_center")?,
            fallback_route: field(&f, w, "fallback_route")?,
        })
    }
}

impl FormPage {
    fn from_json(v: &Value) -> Result<FormPage, String> {
        let w = "form page";
        let f = strict(v, w, &["hosts", "path", "current"])?;
        Ok(FormPage { hosts: field(&f, w, "hosts")?, path: field(&f, w, "path")?, current: field(&f, w, "current")? })
    }
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
        urls.extend(r.privacy_pages.iter().map(String::as_str));
        for p in &r.platforms {
            urls.push(&p.form);
            urls.push(&p.accounts_center);
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
        assert!(crate::progress::days_from_iso(d).is_some());
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
        let parse = |text: &str| Rules::from_json(&serde_json::from_str(text).unwrap());
        assert_eq!(parse(RULES_JSON).as_ref(), Ok(rules()), "the compiled-in rules are not the file");
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

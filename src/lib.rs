//! Widerspruch core.
//!
//! Pure logic, tested natively with `cargo test`:
//! - [`rules`]: what we know about Meta's sites (data in `rules/meta.json`);
//! - [`classify`]: which kind of page a URL is;
//! - [`progress`]: the per-platform progress model and its storage codec;
//! - [`panel`]: what the banner and the form helper say for a page and a state;
//! - [`popup`]: the checklist per account group, and what the toolbar popup says about it;
//! - [`protocol`]: what the contexts ask the background ([`protocol::Request`]) and what it answers
//!   ([`protocol::Reply`]), and who may ask what;
//! - [`handler`]: what the background does with a request.
//!
//! [`web`] (wasm32 only) is the thin layer that binds these to the browser.

pub mod classify;
pub mod handler;
pub mod panel;
pub mod popup;
pub mod progress;
pub mod protocol;
pub mod rules;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(test)]
mod testing;

#[cfg(test)]
mod locale_tests {
    use crate::testing::catalogue;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// The ten languages the product promises; each must ship a complete catalogue.
    const LOCALES: &[&str] = &["en", "de", "fr", "it", "es", "nl", "pl", "pt", "sv", "da"];

    #[test]
    fn exactly_the_promised_locales_ship() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/_locales");
        let mut shipped: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        shipped.sort();
        let mut want: Vec<String> = LOCALES.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(shipped, want);
    }

    fn placeholders(v: &Value) -> BTreeSet<String> {
        v["placeholders"].as_object().map(|o| o.keys().map(|k| k.to_ascii_lowercase()).collect()).unwrap_or_default()
    }

    #[test]
    fn every_locale_has_every_key_nonempty_with_the_same_placeholders() {
        let en = catalogue("en");
        let en = en.as_object().unwrap();
        for lang in LOCALES {
            let cat = catalogue(lang);
            let cat = cat.as_object().unwrap();
            let keys: BTreeSet<_> = cat.keys().collect();
            assert_eq!(keys, en.keys().collect(), "{lang}: keys differ from en");
            for (k, v) in cat {
                let msg = v["message"].as_str().unwrap_or("");
                assert!(!msg.trim().is_empty(), "{lang}/{k} is empty");
                assert_eq!(placeholders(v), placeholders(&en[k]), "{lang}/{k}: placeholders differ from en");
                for ph in placeholders(v) {
                    assert!(msg.to_ascii_lowercase().contains(&format!("${ph}$")), "{lang}/{k} never uses ${ph}$");
                }
            }
            assert!(cat["extDescription"]["message"].as_str().unwrap().chars().count() <= 132, "{lang}: store limit");
            assert!(cat["extName"]["message"].as_str().unwrap().chars().count() <= 50, "{lang}: name too long (addons.mozilla.org allows 50 characters, store/SOURCES.md)");
            assert_eq!(cat["lang"]["message"].as_str(), Some(*lang), "{lang}: the catalogue must name its own language");
        }
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        let en = catalogue("en");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut used = BTreeSet::new();
        collect_keys(std::path::Path::new(dir), &mut used);
        // Keys built at run time from a status/action word.
        for s in ["not_started", "form_opened", "submitted", "confirmed"] {
            used.insert(format!("status_{s}"));
        }
        for a in ["open_form", "mark_submitted", "mark_confirmed", "reset"] {
            used.insert(format!("action_{a}"));
        }
        assert!(used.len() > 15, "the scan found too few keys: {used:?}");
        for k in used {
            assert!(en.get(&k).is_some(), "code uses message key {k} which _locales/en lacks");
        }
    }

    /// Message keys are the string literals passed to `text(`, `Text::new(`, `Text::with(` and `t(`.
    fn collect_keys(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                collect_keys(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let src = std::fs::read_to_string(&p).unwrap();
                for pat in ["text(\"", "Text::new(\"", "Text::with(\"", "t(\"", "msg(\""] {
                    for (i, _) in src.match_indices(pat) {
                        // `t("` must not be the end of `get("`.
                        let prev = src[..i].chars().next_back().unwrap_or(' ');
                        if prev.is_ascii_alphanumeric() || prev == '_' || prev == '.' && pat == "t(\"" {
                            continue;
                        }
                        let rest = &src[i + pat.len()..];
                        let key = &rest[..rest.find('"').unwrap()];
                        if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.is_empty() {
                            out.insert(key.to_string());
                        }
                    }
                }
            }
        }
    }
}

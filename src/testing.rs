//! Test helpers: the English message catalogue as a [`Localize`], and locale file access.

use crate::banner::Localize;
use serde_json::Value;

pub fn catalogue(lang: &str) -> Value {
    let path = format!("{}/extension/_locales/{lang}/messages.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Resolves keys like `i18n.getMessage` does, including named placeholders bound to `$1`, `$2`.
pub struct English;

impl Localize for English {
    fn text(&self, key: &str, subs: &[String]) -> String {
        resolve(&catalogue("en"), key, subs)
    }
    fn lang(&self) -> String {
        "en".into()
    }
}

pub fn resolve(cat: &Value, key: &str, subs: &[String]) -> String {
    let entry = &cat[key];
    let mut msg = entry["message"].as_str().unwrap_or_else(|| panic!("missing message {key}")).to_string();
    if let Some(ph) = entry["placeholders"].as_object() {
        for (name, def) in ph {
            let content = def["content"].as_str().unwrap_or("");
            let value = content
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| subs.get(n - 1).cloned())
                .unwrap_or_else(|| content.to_string());
            let pat = format!("${name}$");
            // Placeholder names are case-insensitive in both browsers.
            while let Some(i) = msg.to_ascii_lowercase().find(&pat.to_ascii_lowercase()) {
                msg.replace_range(i..i + pat.len(), &value);
            }
        }
    }
    msg
}

//! Test helpers: the message catalogues as a [`Localize`].

use crate::panel::Localize;
use serde_json::Value;

pub fn catalogue(lang: &str) -> Value {
    let path = format!("{}/extension/_locales/{lang}/messages.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One language's catalogue, resolving keys like `i18n.getMessage` does (named placeholders bound to `$1`).
pub struct Catalogue {
    lang: String,
    cat: Value,
}

impl Catalogue {
    pub fn new(lang: &str) -> Catalogue {
        Catalogue { lang: lang.into(), cat: catalogue(lang) }
    }
}

impl Localize for Catalogue {
    fn text(&self, key: &str, subs: &[String]) -> String {
        resolve(&self.cat, key, subs)
    }
    fn lang(&self) -> String {
        self.lang.clone()
    }
    /// What `toLocaleDateString(lang, {dateStyle: "long"})` gives for en and de; ISO otherwise.
    fn date(&self, iso: &str) -> String {
        let p: Vec<usize> = iso.split('-').filter_map(|x| x.parse().ok()).collect();
        let (y, m, d) = (p[0], p[1], p[2]);
        match self.lang.as_str() {
            "en" => format!("{d} {} {y}", ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][m - 1]),
            "de" => format!("{d}. {} {y}", ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"][m - 1]),
            _ => iso.to_string(),
        }
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

/// The URL of a platform's objection form page as the rules give it: the one marked `current` (or an old
/// one), on `www.` where the page lists that host, else its first host. Tests take form ids from here, so
/// a new id, or a change of which id is current, is an edit of `rules/meta.json` alone.
pub fn form_url(platform: crate::rules::PlatformId, current: bool) -> String {
    let p = crate::rules::rules().platform(platform);
    let page = p.form_pages.iter().find(|f| f.current == current).unwrap_or_else(|| panic!("{platform:?}: no form page with current={current}"));
    let label = if page.hosts.iter().any(|h| h == "www") { "www" } else { page.hosts[0].as_str() };
    let host = match label {
        "" => p.domain.clone(),
        "{locale}" => format!("de-de.{}", p.domain),
        l => format!("{l}.{}", p.domain),
    };
    format!("https://{host}{}", page.path)
}

/// `rules/meta.json` `third_party_form`: a Meta form that is not the objection form.
pub fn third_party_form_url() -> String {
    crate::rules::rules().third_party_form.url.clone()
}

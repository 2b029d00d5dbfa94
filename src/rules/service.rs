//! Data-driven services (LinkedIn, X, Google): one rules file each, `src/rules/<id>.json`, read into the types
//! below. Meta is not one of them: it keeps its own file and code path (`meta.json`, [`super::Rules`]).
//!
//! A new service of a known kind is one file here and one line in [`SERVICE_FILES`]; `cargo test` checks it
//! (the structural checks in [`Service::check`], the facts against `sources.json` in [`super::sourcing`]).
//! As for `meta.json`, every type refuses unknown and missing keys (`deny_unknown_fields`).

use super::{Dated, PerLanguage, Route, Sources};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Every service file, by id: the id is the file's name and the word in storage keys and on the wire.
pub const SERVICE_FILES: &[(&str, &str)] = &[
    ("linkedin", include_str!("linkedin.json")),
    ("x", include_str!("x.json")),
    ("google", include_str!("google.json")),
];

/// Meta's id as a service: built in, never a file (a file cannot take it; tested).
pub const META_ID: &str = "meta";

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    #[serde(rename = "$comment")]
    pub comment: String,
    pub schema: u32,
    /// `[a-z]+`, the file's name.
    pub id: String,
    pub name: String,
    pub hosts: Hosts,
    /// Paths (and everything below them) on the feed hosts where no banner shows: settings, messages, login,
    /// help. Never on messages; the item pages have their own helper.
    pub not_feed_paths: Vec<String>,
    /// The day from which the service trains on this data, if one is reported (`null` where none is).
    #[serde(default)]
    pub since: Option<Dated>,
    pub items: Vec<Item>,
    /// "Not now" hides the banner for this many days; absent: Meta's.
    #[serde(default)]
    pub snooze_days: Option<u32>,
}

/// Where the service's content scripts run: `https://*.D/*` for each domain D (the bare domain included).
/// These are the manifest's `optional_host_permissions` (tested).
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hosts {
    /// Domains, lower case, without a scheme. A host is one of them or below one of them.
    pub domains: Vec<String>,
    /// The hosts (full names) where the banner belongs, when not every host of `domains` is the service's
    /// app (Google: Gemini, not My Activity). Absent: every host of the domains.
    #[serde(default)]
    pub feed_hosts: Option<Vec<String>>,
    pub sources: Sources,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Done when the setting reads off on its own page; reopens when a later visit finds it on.
    Setting,
    /// A form the user sends: not started → opened → sent → confirmed by email, as Meta's.
    ObjectionRequest,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Setting => "setting",
            ItemKind::ObjectionRequest => "objection_request",
        }
    }
}

/// One thing the user does for a service.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// `[a-z_]+`, unique in its service.
    pub id: String,
    pub kind: ItemKind,
    /// The popup row's title, per language (all ten).
    pub name: PerLanguage<String>,
    /// What doing it achieves, in plain words (all ten languages).
    pub covers: Scope,
    /// What it does not achieve: what the user should not believe (all ten languages).
    pub not_covered: Scope,
    /// The one link that gets the user there: https, on the service's domain, on one of `pages`.
    pub link: String,
    /// Where the item's page is: the setting's page, the form.
    pub pages: Vec<ItemPage>,
    /// The way there through the service's menus, per language (all ten).
    pub route: PerLanguage<Route>,
    /// How the setting's control is found and read: present exactly for [`ItemKind::Setting`].
    #[serde(default)]
    pub control: Option<Control>,
}

/// A text per language that summarises what sources say: our wording (`reported: false`) with a note.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    pub text: PerLanguage<String>,
    pub reported: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Sources,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemPage {
    /// Host labels in front of `domain` (`""` is the bare domain).
    pub hosts: Vec<String>,
    /// The page's path, exactly (compared without case and trailing slash).
    pub path: String,
    /// The domain of `hosts`; absent: the service's first domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// A source names this host and path. `false`: our inference, which `note` explains.
    #[serde(default = "stated")]
    pub reported: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Sources,
}

fn stated() -> bool {
    true
}

/// How the helper finds the setting's control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Find {
    /// The switch or checkbox whose accessible name contains one of the labels.
    Label,
    /// We cannot read it: the helper points to it and the user confirms (never a guessed "done").
    Ask,
}

/// The roles a control may have; its state comes from `aria-checked` or `.checked`, never class names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlRole {
    /// `role=switch`.
    Switch,
    /// `role=checkbox` or `input[type=checkbox]`.
    Checkbox,
}

impl ControlRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlRole::Switch => "switch",
            ControlRole::Checkbox => "checkbox",
        }
    }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub find: Find,
    /// Empty only for [`Find::Ask`].
    pub roles: Vec<ControlRole>,
    /// Fragments of the control's accessible name, normalised like Meta's signals
    /// ([`super::normalise_signal`]). At least one for [`Find::Label`].
    pub labels: Vec<ControlLabel>,
    /// The state a new account starts in, as reported.
    pub default: DefaultState,
    /// How the control is found, and why.
    pub note: String,
    pub sources: Sources,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlLabel {
    pub lang: String,
    /// Lower case, straight apostrophes, single spaces (tested): what the control's accessible name must
    /// contain.
    pub text: String,
    /// The label as the service writes it (case and typography of the source): what the helper quotes, so
    /// the user recognises it. Its normal form contains `text` (tested).
    pub shown: String,
    /// A source prints this wording. `false`: our wording, which `note` explains.
    pub reported: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Sources,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultState {
    pub state: OnOff,
    pub sources: Sources,
}

impl Service {
    /// Read one service file (strict: see the module comment). `file` names it in messages.
    pub fn from_json(file: &str, text: &str) -> Result<Service, String> {
        parse(file, text)
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The match patterns of the service's hosts: `https://*.D/*` per domain (they cover D itself).
    pub fn origins(&self) -> Vec<String> {
        self.hosts.domains.iter().map(|d| format!("https://*.{d}/*")).collect()
    }

    /// Days "Not now" hides the banner: the file's, else Meta's.
    pub fn snooze_days(&self) -> u32 {
        self.snooze_days.unwrap_or_else(|| super::rules().snooze_days)
    }

    /// The domain an item page's `hosts` are labels of.
    pub fn page_domain<'a>(&'a self, page: &'a ItemPage) -> &'a str {
        page.domain.as_deref().or(self.hosts.domains.first().map(String::as_str)).unwrap_or("")
    }

    /// The structural rules of a service file that serde cannot say: ids, languages, links, labels. The
    /// facts are checked against their sources by [`super::sourcing`]. `langs`: the shipped languages.
    pub fn check(&self, file_id: &str, langs: &[String]) -> Result<(), String> {
        let at = |what: &str| format!("src/rules/{file_id}.json: {what}");
        if self.id != file_id {
            return Err(at(&format!("id {:?} is not the file's name", self.id)));
        }
        if !is_word(&self.id, false) {
            return Err(at("the id must be [a-z]+"));
        }
        if self.id == META_ID || super::PlatformId::ALL.iter().any(|p| p.as_str() == self.id) {
            return Err(at(&format!("the id {:?} is Meta's: Meta is built in", self.id)));
        }
        if self.schema != 1 {
            return Err(at(&format!("schema {} is not 1", self.schema)));
        }
        if self.name.trim().is_empty() || self.items.is_empty() || self.hosts.domains.is_empty() {
            return Err(at("needs a name, at least one item and one domain"));
        }
        for d in &self.hosts.domains {
            let valid = !d.is_empty()
                && d.contains('.')
                && d.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
                && !d.split('.').any(str::is_empty);
            if !valid {
                return Err(at(&format!("domain {d:?} is not a lower-case host name")));
            }
        }
        for h in self.hosts.feed_hosts.iter().flatten() {
            if !self.hosts.domains.iter().any(|d| h == d || h.ends_with(&format!(".{d}"))) {
                return Err(at(&format!("feed host {h:?} is on none of the service's domains")));
            }
        }
        for p in &self.not_feed_paths {
            if !p.starts_with('/') || p.len() < 2 || p.ends_with('/') {
                return Err(at(&format!("not_feed_path {p:?} must start with / and not end with one")));
            }
        }
        if let Some(since) = &self.since {
            if !is_iso_date(&since.date) {
                return Err(at(&format!("since {:?} is not YYYY-MM-DD", since.date)));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for item in &self.items {
            let at = |what: &str| at(&format!("item {:?}: {what}", item.id));
            if !is_word(&item.id, true) {
                return Err(at("the id must be [a-z_]+"));
            }
            if !ids.insert(item.id.as_str()) {
                return Err(at("listed twice"));
            }
            every_language(&item.name, langs, "name").map_err(|e| at(&e))?;
            every_language(&item.covers.text, langs, "covers").map_err(|e| at(&e))?;
            every_language(&item.not_covered.text, langs, "not_covered").map_err(|e| at(&e))?;
            for lang in langs {
                let route = item.route.get(lang).ok_or_else(|| at(&format!("no route in {lang}")))?;
                if route.steps.len() < 2 || route.steps.iter().any(|s| s.trim().is_empty()) {
                    return Err(at(&format!("route {lang}: at least two steps, none empty")));
                }
            }
            if let Some(extra) = item.route.keys().find(|l| !langs.contains(l)) {
                return Err(at(&format!("a route in {extra}, which the extension does not ship")));
            }
            self.check_link(item).map_err(|e| at(&e))?;
            match (item.kind, &item.control) {
                (ItemKind::Setting, None) => return Err(at("a setting needs its control")),
                (ItemKind::ObjectionRequest, Some(_)) => return Err(at("only a setting has a control")),
                (ItemKind::Setting, Some(c)) => c.check(langs).map_err(|e| at(&e))?,
                (ItemKind::ObjectionRequest, None) => {}
            }
        }
        Ok(())
    }

    /// The link is https, on one of the service's hosts, and exactly one of the item's pages.
    fn check_link(&self, item: &Item) -> Result<(), String> {
        let rest = item.link.strip_prefix("https://").ok_or_else(|| format!("link {} is not https", item.link))?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.contains(['@', ':']) || path.contains(['?', '#']) {
            return Err(format!("link {} must be a plain https URL", item.link));
        }
        for p in &item.pages {
            let domain = self.page_domain(p);
            if !self.hosts.domains.iter().any(|d| domain == d || domain.ends_with(&format!(".{d}"))) {
                return Err(format!("page domain {domain} is not one of the service's domains"));
            }
            if !p.path.starts_with('/') || p.path.ends_with('/') || p.hosts.is_empty() {
                return Err(format!("page {}: a path from / without a trailing one, and at least one host", p.path));
            }
        }
        let on_page = item.pages.iter().any(|p| {
            let domain = self.page_domain(p);
            let label = if host == domain { Some(None) } else { host.strip_suffix(domain).and_then(|h| h.strip_suffix('.')).map(Some) };
            matches!(label, Some(l) if p.hosts.iter().any(|h| super::host_label_matches(h, l))) && p.path == path
        });
        if !on_page {
            return Err(format!("link {} is on none of the item's pages", item.link));
        }
        Ok(())
    }
}

impl Control {
    fn check(&self, langs: &[String]) -> Result<(), String> {
        match self.find {
            Find::Label if self.labels.is_empty() || self.roles.is_empty() => {
                return Err("find \"label\" needs labels and roles".into());
            }
            Find::Ask if !self.labels.is_empty() => {
                return Err("find \"ask\" reads no label: list none (the helper points and asks)".into());
            }
            _ => {}
        }
        if self.note.trim().is_empty() {
            return Err("the control's note says how it is found".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for l in &self.labels {
            if !langs.contains(&l.lang) {
                return Err(format!("label {:?}: language {} is not shipped", l.text, l.lang));
            }
            if l.text != super::normalise_signal(&l.text) || l.text != l.text.trim() {
                return Err(format!("label {:?} is not in normal form (lower case, straight apostrophes, single spaces)", l.text));
            }
            if !super::normalise_signal(&l.shown).contains(&l.text) {
                return Err(format!("label {:?}: its shown wording {:?} does not contain it", l.text, l.shown));
            }
            if l.text.chars().count() < 12 {
                return Err(format!("label {:?} is too short to name one control", l.text));
            }
            if !seen.insert(l.text.as_str()) {
                return Err(format!("label {:?} is listed twice", l.text));
            }
        }
        Ok(())
    }
}

fn every_language(map: &PerLanguage<String>, langs: &[String], what: &str) -> Result<(), String> {
    for lang in langs {
        match map.get(lang) {
            Some(t) if !t.trim().is_empty() => {}
            _ => return Err(format!("{what}: nothing in {lang}")),
        }
    }
    match map.keys().find(|l| !langs.contains(l)) {
        Some(extra) => Err(format!("{what}: a text in {extra}, which the extension does not ship")),
        None => Ok(()),
    }
}

fn is_word(s: &str, underscore: bool) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || (underscore && b == b'_')) && !s.starts_with('_') && !s.ends_with('_')
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit())
}

/// The compiled-in services, read on first use (`cargo test` checks that every file reads, strictly, so the
/// `expect` cannot fire in a build whose tests passed).
pub fn services() -> &'static [Service] {
    static SERVICES: OnceLock<Vec<Service>> = OnceLock::new();
    SERVICES.get_or_init(|| {
        SERVICE_FILES.iter().map(|(id, text)| Service::from_json(&format!("src/rules/{id}.json"), text).expect("service files read (tested)")).collect()
    })
}

/// The service with this id (not Meta: it is no file).
pub fn service(id: &str) -> Option<&'static Service> {
    services().iter().find(|s| s.id == id)
}

/// Every service's match patterns: the manifest's `optional_host_permissions`, exactly (tested).
pub fn all_origins() -> std::collections::BTreeSet<String> {
    services().iter().flat_map(Service::origins).collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))
}

/// In the extension the browser's `JSON.parse` reads the text (no JSON parser in the WebAssembly, as for
/// `meta.json`); serde-wasm-bindgen does not check `deny_unknown_fields`, the native tests check the same text.
#[cfg(target_arch = "wasm32")]
fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| format!("{file}: not JSON"))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("{file}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{sourcing, SourceList, RULES_JSON, SOURCES_JSON};
    use serde_json::{json, Value};

    fn langs() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/_locales");
        let mut l: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        l.sort();
        l
    }

    fn value(id: &str) -> Value {
        serde_json::from_str(SERVICE_FILES.iter().find(|(i, _)| *i == id).unwrap().1).unwrap()
    }

    /// The structural check of a (changed) service file.
    fn checked(id: &str, v: &Value) -> Result<(), String> {
        Service::from_json(id, &v.to_string())?.check(id, &langs())
    }

    /// The source check of all files, with service `id` replaced by `v`.
    fn sourced(id: &str, v: &Value) -> Result<(), String> {
        let meta: Value = serde_json::from_str(RULES_JSON).unwrap();
        let mut services = sourcing::service_values().unwrap();
        let file = format!("src/rules/{id}.json");
        services.iter_mut().find(|(f, _)| *f == file).unwrap().1 = v.clone();
        let mut files: Vec<(&str, &Value)> = vec![("src/rules/meta.json", &meta)];
        files.extend(services.iter().map(|(f, v)| (f.as_str(), v)));
        sourcing::check_files(&files, &SourceList::from_json(SOURCES_JSON).unwrap())
    }

    #[track_caller]
    fn refused(r: Result<(), String>, why: &str) {
        match r {
            Ok(()) => panic!("accepted, but should be refused for: {why}"),
            Err(e) => assert!(e.contains(why), "refused for another reason: {e} (expected: {why})"),
        }
    }

    #[test]
    fn every_service_file_reads_and_checks() {
        assert_eq!(services().len(), SERVICE_FILES.len());
        for (id, _) in SERVICE_FILES {
            let s = service(id).unwrap_or_else(|| panic!("{id} did not load"));
            s.check(id, &langs()).unwrap();
            checked(id, &value(id)).unwrap();
            sourced(id, &value(id)).unwrap();
        }
        let mut ids: Vec<&str> = services().iter().map(|s| s.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), SERVICE_FILES.len(), "service ids are unique");
        assert!(service(META_ID).is_none());
    }

    /// The facts the issue names, as the files state them (a wrong edit shows here first).
    #[test]
    fn the_services_as_reported() {
        let li = service("linkedin").unwrap();
        assert_eq!(li.since.as_ref().unwrap().date, "2025-11-03");
        let setting = li.item("ai_setting").unwrap();
        assert_eq!(setting.kind, ItemKind::Setting);
        assert_eq!(setting.link, "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement");
        let c = setting.control.as_ref().unwrap();
        assert_eq!((c.find, c.default.state), (Find::Label, OnOff::On));
        assert!(c.labels.iter().any(|l| l.lang == "en" && l.text == "use my data for training content creation ai models"));
        assert_eq!(li.item("objection").unwrap().kind, ItemKind::ObjectionRequest);
        let x = service("x").unwrap().item("grok_setting").unwrap();
        assert_eq!(x.control.as_ref().unwrap().default.state, OnOff::On);
        assert!(x.control.as_ref().unwrap().roles.contains(&ControlRole::Checkbox));
        // Google's control is a "Turn off" menu, not a switch whose state we can read: the user confirms.
        let g = service("google").unwrap().item("keep_activity").unwrap();
        assert_eq!(g.control.as_ref().unwrap().find, Find::Ask);
        assert_eq!(g.link, "https://myactivity.google.com/product/gemini");
        assert!(li.item("nothing").is_none());
    }

    #[test]
    fn origins_are_the_domains_patterns() {
        assert_eq!(service("linkedin").unwrap().origins(), ["https://*.linkedin.com/*"]);
        assert_eq!(service("google").unwrap().origins(), ["https://*.myactivity.google.com/*", "https://*.gemini.google.com/*"]);
        assert_eq!(all_origins().len(), services().iter().map(|s| s.hosts.domains.len()).sum::<usize>());
        assert!(services().iter().all(|s| s.snooze_days() > 0));
    }

    /// serde refuses a key no type declares, at every level, and a wrong value.
    #[test]
    fn unknown_keys_are_refused() {
        let spoil: &[(&str, fn(&mut Value))] = &[
            ("root", |v| { v["extra"] = json!(1); }),
            ("hosts", |v| { v["hosts"]["extra"] = json!(1); }),
            ("item", |v| { v["items"][0]["extra"] = json!(1); }),
            ("covers", |v| { v["items"][0]["covers"]["extra"] = json!(1); }),
            ("page", |v| { v["items"][0]["pages"][0]["extra"] = json!(1); }),
            ("route", |v| { v["items"][0]["route"]["en"]["extra"] = json!(1); }),
            ("control", |v| { v["items"][0]["control"]["extra"] = json!(1); }),
            ("label", |v| { v["items"][0]["control"]["labels"][0]["extra"] = json!(1); }),
            ("default", |v| { v["items"][0]["control"]["default"]["extra"] = json!(1); }),
            ("kind", |v| { v["items"][0]["kind"] = json!("wish"); }),
            ("find", |v| { v["items"][0]["control"]["find"] = json!("guess"); }),
            ("role", |v| { v["items"][0]["control"]["roles"] = json!(["button"]); }),
            ("state", |v| { v["items"][0]["control"]["default"]["state"] = json!("maybe"); }),
            ("missing", |v| { v.as_object_mut().unwrap().remove("not_feed_paths"); }),
        ];
        for (what, f) in spoil {
            let mut v = value("linkedin");
            f(&mut v);
            assert!(Service::from_json("linkedin", &v.to_string()).is_err(), "{what} was accepted");
        }
    }

    #[test]
    fn a_service_cannot_be_meta() {
        for id in [META_ID, "facebook", "instagram"] {
            let mut v = value("x");
            v["id"] = json!(id);
            refused(Service::from_json(id, &v.to_string()).unwrap().check(id, &langs()), "is Meta's");
        }
        let mut v = value("x");
        v["id"] = json!("twitter");
        refused(checked("x", &v), "is not the file's name");
        let mut v = value("x");
        v["id"] = json!("X");
        refused(Service::from_json("X", &v.to_string()).unwrap().check("X", &langs()), "[a-z]+");
    }

    #[test]
    fn item_ids_are_words_and_unique() {
        let mut v = value("linkedin");
        v["items"][1]["id"] = json!("ai_setting");
        refused(checked("linkedin", &v), "listed twice");
        for bad in ["AI", "ai-setting", "", "_x"] {
            let mut v = value("linkedin");
            v["items"][0]["id"] = json!(bad);
            refused(checked("linkedin", &v), "[a-z_]+");
        }
    }

    #[test]
    fn every_text_is_in_every_language() {
        for path in ["/items/0/name", "/items/0/covers/text", "/items/1/not_covered/text", "/items/0/route"] {
            let mut v = value("linkedin");
            v.pointer_mut(path).unwrap().as_object_mut().unwrap().remove("pl");
            refused(checked("linkedin", &v), "pl");
            let mut v = value("linkedin");
            let en = v.pointer(&format!("{path}/en")).unwrap().clone();
            v.pointer_mut(path).unwrap().as_object_mut().unwrap().insert("xx".into(), en);
            refused(checked("linkedin", &v), "xx");
        }
        let mut v = value("google");
        v["items"][0]["name"]["sv"] = json!("  ");
        refused(checked("google", &v), "nothing in sv");
    }

    #[test]
    fn a_control_exactly_for_a_setting() {
        let mut v = value("linkedin");
        v["items"][0].as_object_mut().unwrap().remove("control");
        refused(checked("linkedin", &v), "needs its control");
        let mut v = value("linkedin");
        v["items"][1]["control"] = v["items"][0]["control"].clone();
        refused(checked("linkedin", &v), "only a setting");
        // "label" needs labels; "ask" lists none.
        let mut v = value("linkedin");
        v["items"][0]["control"]["labels"] = json!([]);
        refused(checked("linkedin", &v), "needs labels");
        let mut v = value("google");
        v["items"][0]["control"]["labels"] = value("linkedin")["items"][0]["control"]["labels"].clone();
        refused(checked("google", &v), "reads no label");
    }

    #[test]
    fn labels_are_in_normal_form() {
        for (bad, why) in [
            ("Use my data for training content creation AI models", "normal form"),
            ("use my data for  training content creation ai models", "normal form"),
            ("utiliser mes données pour entraîner des modèles d\u{2019}ia de création de contenu", "normal form"),
            (" use my data for training", "normal form"),
            ("use my data", "too short"),
        ] {
            let mut v = value("linkedin");
            v["items"][0]["control"]["labels"][0]["text"] = json!(bad);
            refused(checked("linkedin", &v), why);
        }
        let mut v = value("linkedin");
        v["items"][0]["control"]["labels"][0]["lang"] = json!("tr");
        refused(checked("linkedin", &v), "not shipped");
    }

    #[test]
    fn the_link_is_https_on_one_of_the_items_pages() {
        for (bad, why) in [
            ("http://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement", "not https"),
            ("https://www.linkedin.com/mypreferences/d/settings/other", "on none of the item's pages"),
            ("https://www.linkedin.example/mypreferences/d/settings/data-for-ai-improvement", "on none of the item's pages"),
            ("https://evil.www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement", "on none of the item's pages"),
            ("https://www.linkedin.com@evil.example/mypreferences/d/settings/data-for-ai-improvement", "plain https URL"),
            ("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement?x=1", "plain https URL"),
        ] {
            let mut v = value("linkedin");
            v["items"][0]["link"] = json!(bad);
            refused(checked("linkedin", &v), why);
        }
        let mut v = value("google");
        v["items"][0]["pages"][0]["domain"] = json!("google.example");
        refused(checked("google", &v), "not one of the service's domains");
    }

    /// The services tables (doc/services.md in full, the README's short one) name every service and give
    /// every item's link and Meta's form links as the rules have them, so a changed link cannot leave a
    /// table behind.
    #[test]
    fn the_services_tables_follow_the_rules() {
        for file in ["doc/services.md", "README.md"] {
            let doc = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            for s in services() {
                assert!(doc.contains(&format!("**{}**", s.name)), "{file}: no row for {}", s.name);
                for i in &s.items {
                    assert!(doc.contains(&format!("`{}`", i.link)), "{file}: {} {} is not linked as {}", s.name, i.id, i.link);
                }
            }
            let meta = crate::rules::rules();
            for p in &meta.platforms {
                assert!(doc.contains(&format!("`{}`", p.form)), "{file}: {} form {}", p.name, p.form);
            }
        }
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/services.md")).unwrap();
        assert!(doc.contains(&format!("`{}`", crate::rules::rules().third_party_form.url)));
    }

    /// The source check walks the service files: every kind of fact they state, fed a bad example.
    #[test]
    fn service_facts_must_appear_in_their_sources() {
        let mut v = value("linkedin");
        v["items"][0]["control"]["labels"][0]["text"] = json!("use my data for training every ai model");
        refused(sourced("linkedin", &v), "\"use my data for training every ai model\" is in no quote");
        let mut v = value("linkedin");
        v["items"][0]["pages"][0]["path"] = json!("/mypreferences/d/settings/ai");
        v["items"][0]["link"] = json!("https://www.linkedin.com/mypreferences/d/settings/ai");
        refused(sourced("linkedin", &v), "no source names /mypreferences/d/settings/ai");
        let mut v = value("linkedin");
        v["hosts"]["domains"] = json!(["linkedin.com", "linkedin.example"]);
        refused(sourced("linkedin", &v), "no source names the domain linkedin.example");
        let mut v = value("google");
        v["hosts"]["feed_hosts"] = json!(["bard.google.com"]);
        refused(sourced("google", &v), "no source names the host bard.google.com");
        let mut v = value("x");
        v["items"][0]["route"]["en"]["steps"][1] = json!("Choose “Privacy center”.");
        refused(sourced("x", &v), "menu name \"Privacy center\"");
        let mut v = value("linkedin");
        let steps = v["items"][0]["route"]["de"]["steps"].as_array_mut().unwrap();
        steps.swap(0, 2);
        refused(sourced("linkedin", &v), "out of the order");
        // A best-effort page needs its note; a reported link path its source.
        let mut v = value("x");
        v["items"][0]["pages"][0].as_object_mut().unwrap().remove("note");
        refused(sourced("x", &v), "needs a note");
        let mut v = value("x");
        v["items"][0]["pages"][0]["reported"] = json!(true);
        refused(sourced("x", &v), "no source names /settings/grok_settings");
        let mut v = value("linkedin");
        v["items"][1]["link"] = json!("https://www.linkedin.com/help/linkedin/ask/TS-OTHER");
        refused(sourced("linkedin", &v), "is on none of its pages");
        let mut v = value("linkedin");
        v["items"][1]["pages"][0]["sources"] = json!(["linkedin-hostvix-2025"]);
        refused(sourced("linkedin", &v), "no source names /help/linkedin/ask/TS-DPRO");
        // Our wording without its note, a claim without sources, an unknown source.
        let mut v = value("google");
        v["items"][0]["covers"].as_object_mut().unwrap().remove("note");
        refused(sourced("google", &v), "needs a note");
        let mut v = value("google");
        v["items"][0]["control"].as_object_mut().unwrap().remove("sources");
        refused(sourced("google", &v), "makes a claim but has no sources");
        let mut v = value("x");
        v["since"] = json!({"date": "2024-05-07", "sources": ["nobody-wrote-this"]});
        refused(sourced("x", &v), "unknown source \"nobody-wrote-this\"");
        // A source only a service cited is unused once the service stops citing it.
        let mut v = value("google");
        v["items"][0]["not_covered"]["sources"] = json!(["google-unanswered"]);
        refused(sourced("google", &v), "source \"google-conductatlas\" is cited by nothing");
    }
}

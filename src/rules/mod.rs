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

pub mod service;
pub use service::{all_origins, service, services, Item, ItemKind, Service, SERVICE_FILES};

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
/// quotes ([`sourcing::check`]).
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
    /// Why this page is (or no longer is) the one the banner links.
    #[serde(default)]
    pub note: Option<String>,
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
    /// A source names this host and path. `false`: our inference, which `note` explains.
    #[serde(default = "stated")]
    pub reported: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub sources: Sources,
}

/// Entries without a `reported` flag state facts that their sources must carry.
fn stated() -> bool {
    true
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

/// The source check, made to find every fact by itself: it walks the rules file's JSON, not the typed
/// structs, so any object that carries `sources` is checked whatever struct reads it, and a new kind of
/// entry cannot be forgotten in a hand-written list ([`sourced_entries`]; tested with an invented kind).
#[cfg(not(target_arch = "wasm32"))]
pub mod sourcing {
    use super::{normalise_signal, SourceList};
    use serde_json::{Map, Value};
    use std::collections::{BTreeMap, BTreeSet};

    /// One object of the rules file that carries `sources`: where it is (a JSON path, for messages), the
    /// object, and the registrable domain of the platform it belongs to, if any (for host and path facts).
    pub struct Sourced<'a> {
        pub at: String,
        pub object: &'a Map<String, Value>,
        pub domain: Option<String>,
    }

    /// Every object of the rules file with a `sources` key, at any depth. In a service file the hosts and
    /// paths belong to the service's first domain unless an entry names its own `domain`.
    pub fn sourced_entries(root: &Value) -> Vec<Sourced<'_>> {
        let mut out = Vec::new();
        let first_domain = root.pointer("/hosts/domains/0").and_then(Value::as_str).map(String::from);
        walk(root, root, "$".to_string(), first_domain, &mut out);
        out
    }

    fn walk<'a>(root: &'a Value, v: &'a Value, at: String, domain: Option<String>, out: &mut Vec<Sourced<'a>>) {
        match v {
            Value::Object(o) => {
                // A platform names its domain; an entry elsewhere names its platform by id.
                let domain = match (o.get("domain"), o.get("platform")) {
                    (Some(Value::String(d)), _) => Some(d.clone()),
                    (_, Some(Value::String(id))) => platform_domain(root, id).or(domain),
                    _ => domain,
                };
                if o.contains_key("sources") {
                    out.push(Sourced { at: at.clone(), object: o, domain: domain.clone() });
                }
                for (k, child) in o {
                    walk(root, child, format!("{at}.{k}"), domain.clone(), out);
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(root, child, format!("{at}[{i}]"), domain.clone(), out);
                }
            }
            _ => {}
        }
    }

    fn platform_domain(root: &Value, id: &str) -> Option<String> {
        root.get("platforms")?.as_array()?.iter().find(|p| p.get("id").and_then(Value::as_str) == Some(id))?.get("domain")?.as_str().map(String::from)
    }

    /// Objects that make a claim about their wording (`reported`, `note`, `reported_languages`) must say
    /// where it comes from: such an object without `sources` is refused, so no fact escapes the walk.
    fn claims_without_sources(v: &Value, at: &str) -> Result<(), String> {
        match v {
            Value::Object(o) => {
                if !o.contains_key("sources") && ["reported", "note", "reported_languages"].iter().any(|k| o.contains_key(*k)) {
                    return Err(format!("{at}: makes a claim but has no sources"));
                }
                o.iter().try_for_each(|(k, c)| claims_without_sources(c, &format!("{at}.{k}")))
            }
            Value::Array(a) => a.iter().enumerate().try_for_each(|(i, c)| claims_without_sources(c, &format!("{at}[{i}]"))),
            _ => Ok(()),
        }
    }

    /// What the cited sources say, normalised like the signals (case, apostrophes, spaces): their quotes
    /// and their URLs.
    struct Cited {
        quotes: Vec<String>,
        urls: Vec<String>,
    }

    impl Cited {
        /// `wording` appears in a quote, where a quote's "…" stands for words the source left out.
        fn says(&self, wording: &str) -> bool {
            let w = normalise_signal(wording);
            !w.trim().is_empty() && carried(&self.quotes, &w)
        }
        /// A host, path or id appears in a quote or a cited URL.
        fn names(&self, fact: &str) -> bool {
            let f = fact.to_lowercase();
            !f.is_empty() && self.quotes.iter().chain(&self.urls).any(|q| q.contains(&f))
        }
    }

    /// Whether the (normalised) quotes carry `w`: it is a stretch of one quote between elisions ("…"
    /// stands for words the source left out, which therefore carry nothing), or the quote begins with "…"
    /// because it continues another quote of the same sources ("I want to object to …" / "…from third
    /// parties for Meta AI"), and `w` is that other quote's beginning followed by this quote.
    pub fn carried(quotes: &[String], w: &str) -> bool {
        let w = w.trim();
        if quotes.iter().any(|q| q.split('…').any(|p| p.contains(w))) {
            return true;
        }
        quotes.iter().filter_map(|q| q.strip_prefix('…')).any(|q| {
            let tail = q.split('…').next().unwrap_or("").trim();
            let Some(head) = w.strip_suffix(tail).map(str::trim_end) else { return false };
            !tail.is_empty() && !head.is_empty() && quotes.iter().any(|o| !o.starts_with('…') && o.starts_with(head))
        })
    }

    /// The menu names a route quotes: the text between typographic or straight quotation marks („…“,
    /// “…”, «…», »…«, ”…”, "…").
    pub fn quoted_names(step: &str) -> Vec<String> {
        const OPEN: &[char] = &['„', '“', '«', '»', '”', '"'];
        const CLOSE: &[char] = &['“', '”', '»', '«', '"'];
        let (mut out, mut cur, mut inside) = (Vec::new(), String::new(), false);
        for c in step.chars() {
            if inside && CLOSE.contains(&c) {
                out.push(cur.trim().to_string());
                cur.clear();
                inside = false;
            } else if !inside && OPEN.contains(&c) {
                inside = true;
            } else if inside {
                cur.push(c);
            }
        }
        out.into_iter().filter(|n| !n.is_empty()).collect()
    }

    fn path_of(url: &str) -> Option<&str> {
        let rest = url.strip_prefix("https://")?;
        rest.find('/').map(|i| &rest[i..])
    }

    /// The host names of `hosts` (labels in front of `domain`; `{locale}` stands for many and names none).
    fn full_hosts(hosts: &[Value], domain: &str) -> Vec<String> {
        hosts.iter().filter_map(Value::as_str).filter(|h| *h != "{locale}").map(|h| if h.is_empty() { domain.to_string() } else { format!("{h}.{domain}") }).collect()
    }

    /// Checks one sourced entry's facts against what its sources say. An entry with `reported: false` is
    /// best effort and needs a `note` instead; an entry without `reported` states facts (ids, hosts, paths)
    /// and is checked like a reported one.
    fn check_facts(e: &Sourced, cited: &Cited) -> Result<(), String> {
        let o = e.object;
        let at = &e.at;
        let reported = o.get("reported").and_then(Value::as_bool).unwrap_or(true);
        if !reported {
            let note = o.get("note").and_then(Value::as_str).unwrap_or("");
            return if note.trim().is_empty() { Err(format!("{at}: best effort (reported: false) needs a note saying what it is")) } else { Ok(()) };
        }
        // `shown`: a control's label as the service writes it (what the helper quotes to the user).
        for key in ["text", "shown"] {
            if let Some(text) = o.get(key).and_then(Value::as_str) {
                if !cited.says(text) {
                    return Err(format!("{at}: reported wording {text:?} is in no quote of its sources"));
                }
            }
        }
        if let Some(steps) = o.get("steps").and_then(Value::as_array) {
            let names: Vec<String> = steps.iter().filter_map(Value::as_str).flat_map(quoted_names).collect();
            if names.is_empty() {
                return Err(format!("{at}: a reported route must quote the menu names its source gives"));
            }
            if let Some(n) = names.iter().find(|n| !cited.says(n)) {
                return Err(format!("{at}: menu name {n:?} is in no quote of its sources"));
            }
            // Step for step: the names come in the order the sources give them (quotes in the order cited).
            let text = cited.quotes.join("\n");
            let mut from = 0;
            for n in &names {
                let n = normalise_signal(n);
                match text[from..].find(n.trim()) {
                    Some(i) => from += i,
                    None => return Err(format!("{at}: menu name {n:?} comes out of the order its sources give")),
                }
            }
        }
        if let (Some(labels), Some(langs)) = (o.get("label").and_then(Value::as_object), o.get("reported_languages").and_then(Value::as_array)) {
            if langs.is_empty() {
                return Err(format!("{at}: reported_languages is empty: say in which language Meta's wording was reported"));
            }
            for lang in langs.iter().filter_map(Value::as_str) {
                let label = labels.get(lang).and_then(Value::as_str).ok_or_else(|| format!("{at}: no label in reported language {lang}"))?;
                if !cited.says(label) {
                    return Err(format!("{at}: reported label {label:?} ({lang}) is in no quote of its sources"));
                }
            }
        }
        // Hosts and paths: a form page or guide page (`hosts` + `path`, under its platform's domain), the
        // Privacy Center (`host` + `path`), a platform's or covered site's domains, and linked URLs.
        let path = o.get("path").and_then(Value::as_str);
        if let (Some(hosts), Some(path), Some(domain)) = (o.get("hosts").and_then(Value::as_array), path, e.domain.as_deref()) {
            if !full_hosts(hosts, domain).iter().any(|h| cited.names(&format!("{h}{path}"))) {
                return Err(format!("{at}: no source names {path} on one of its hosts"));
            }
        }
        if let (Some(host), Some(path)) = (o.get("host").and_then(Value::as_str), path) {
            if !cited.names(&format!("{host}{path}")) {
                return Err(format!("{at}: no source names {host}{path}"));
            }
        }
        let mut domains: Vec<&str> = o.get("domains").and_then(Value::as_array).map(|d| d.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        domains.extend(o.get("domain").and_then(Value::as_str));
        if let Some(d) = domains.iter().find(|d| !cited.names(d)) {
            return Err(format!("{at}: no source names the domain {d}"));
        }
        // A service's feed hosts (full host names; Meta's are labels, which its domain's check covers).
        let full_names = o.get("feed_hosts").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).filter(|h| h.contains('.'));
        if let Some(h) = full_names.clone().find(|h| !cited.names(h)) {
            return Err(format!("{at}: no source names the host {h}"));
        }
        for key in ["form", "url"] {
            if let Some(url) = o.get(key).and_then(Value::as_str) {
                let p = path_of(url).ok_or_else(|| format!("{at}: {key} {url} is not an https URL with a path"))?;
                if !cited.names(p) {
                    return Err(format!("{at}: no source names the {key} path {p}"));
                }
            }
        }
        Ok(())
    }

    /// Every "received", "unavailable" and "login" fragment once: a fragment listed twice is a copy-paste
    /// slip, and it would hide which entry's source and note count.
    pub fn check_fragments_unique(root: &Value) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        if let Some(signals) = root.get("signals").and_then(Value::as_object) {
            for (kind, list) in signals {
                for s in list.as_array().into_iter().flatten() {
                    if let Some(t) = s.get("text").and_then(Value::as_str) {
                        if !seen.insert(normalise_signal(t)) {
                            return Err(format!("signal {kind} {t:?} is listed twice"));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// A service item's `link` (an object with `link` and `pages`): the page it is on must be one its
    /// sources name (the page check), so the link's path is theirs too; on a best-effort page (`reported:
    /// false`, with its note) it is ours. A link on none of the pages is refused here as well.
    fn check_links(v: &Value, at: &str, said: &BTreeMap<&str, (Vec<String>, String)>) -> Result<(), String> {
        match v {
            Value::Object(o) => {
                if let (Some(link), Some(pages)) = (o.get("link").and_then(Value::as_str), o.get("pages").and_then(Value::as_array)) {
                    let path = path_of(link).ok_or_else(|| format!("{at}: link {link} is not an https URL with a path"))?;
                    let page = pages
                        .iter()
                        .find(|p| p.get("path").and_then(Value::as_str).is_some_and(|x| x.eq_ignore_ascii_case(path)))
                        .ok_or_else(|| format!("{at}: link {link} is on none of its pages"))?;
                    if page.get("reported").and_then(Value::as_bool).unwrap_or(true) {
                        let ids = page.get("sources").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
                        let (mut quotes, mut urls) = (Vec::new(), Vec::new());
                        for id in ids {
                            if let Some((q, u)) = said.get(id) {
                                quotes.extend(q.iter().cloned());
                                urls.push(u.clone());
                            }
                        }
                        if !(Cited { quotes, urls }).names(path) {
                            return Err(format!("{at}: no source names the link path {path}"));
                        }
                    }
                }
                o.iter().try_for_each(|(k, c)| check_links(c, &format!("{at}.{k}"), said))
            }
            Value::Array(a) => a.iter().enumerate().try_for_each(|(i, c)| check_links(c, &format!("{at}[{i}]"), said)),
            _ => Ok(()),
        }
    }

    /// The whole check of `meta.json` (as text) with the compiled-in service files against `sources.json`:
    /// see README "Changing a form URL, a route or a signal".
    pub fn check(rules_json: &str, list: &SourceList) -> Result<(), String> {
        let root: Value = serde_json::from_str(rules_json).map_err(|e| format!("src/rules/meta.json: {e}"))?;
        check_value(&root, list)
    }

    /// The compiled-in service files, as JSON values, with their file names.
    pub fn service_values() -> Result<Vec<(String, Value)>, String> {
        super::SERVICE_FILES
            .iter()
            .map(|(id, text)| {
                let file = format!("src/rules/{id}.json");
                serde_json::from_str(text).map(|v| (file.clone(), v)).map_err(|e| format!("{file}: {e}"))
            })
            .collect()
    }

    /// `root` (Meta's rules) checked together with the compiled-in service files: they share one
    /// `sources.json`, so "cited by nothing" means by no file.
    pub fn check_value(root: &Value, list: &SourceList) -> Result<(), String> {
        let services = service_values()?;
        let mut files: Vec<(&str, &Value)> = vec![("src/rules/meta.json", root)];
        files.extend(services.iter().map(|(f, v)| (f.as_str(), v)));
        check_files(&files, list)
    }

    /// Every file's facts against the one sources list; a source must be cited by some file.
    pub fn check_files(files: &[(&str, &Value)], list: &SourceList) -> Result<(), String> {
        let sources = &list.sources;
        for (id, s) in sources {
            let host = s.url.strip_prefix("https://").and_then(|r| r.split('/').next()).unwrap_or("");
            if host.is_empty() || !host.contains('.') {
                return Err(format!("source {id:?}: not a public https URL: {}", s.url));
            }
            if !super::is_seen_date(&s.seen) {
                return Err(format!("source {id:?}: seen {:?} is not YYYY, YYYY-MM or YYYY-MM-DD", s.seen));
            }
            if s.quotes.is_empty() || s.quotes.iter().any(|q| q.trim().is_empty()) || s.title.trim().is_empty() {
                return Err(format!("source {id:?}: needs a title and the quoted wording"));
            }
        }
        let mut used = BTreeSet::new();
        let said: BTreeMap<&str, (Vec<String>, String)> =
            sources.iter().map(|(id, s)| (id.as_str(), (s.quotes.iter().map(|q| normalise_signal(q)).collect(), s.url.to_lowercase()))).collect();
        for (file, root) in files {
            check_one(root, &said, &mut used).map_err(|e| format!("{file}: {e}"))?;
        }
        if let Some(id) = sources.keys().find(|id| !used.contains(*id)) {
            return Err(format!("source {id:?} is cited by nothing"));
        }
        Ok(())
    }

    fn check_one(root: &Value, said: &BTreeMap<&str, (Vec<String>, String)>, used: &mut BTreeSet<String>) -> Result<(), String> {
        claims_without_sources(root, "$")?;
        for e in sourced_entries(root) {
            let ids = e.object["sources"].as_array().ok_or_else(|| format!("{}: sources is not a list", e.at))?;
            if ids.is_empty() {
                return Err(format!("{}: no source", e.at));
            }
            let mut cited = Cited { quotes: Vec::new(), urls: Vec::new() };
            for id in ids {
                let id = id.as_str().ok_or_else(|| format!("{}: a source id is not a string", e.at))?;
                let (q, u) = said.get(id).ok_or_else(|| format!("{}: unknown source {id:?}", e.at))?;
                cited.quotes.extend(q.iter().cloned());
                cited.urls.push(u.clone());
                used.insert(id.to_string());
            }
            check_facts(&e, &cited)?;
        }
        check_links(root, "$", said)?;
        check_fragments_unique(root)
    }
}

#[cfg(not(target_arch = "wasm32"))]
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

    /// The services' hosts are asked for only when the user switches a service on: the manifest lists them as
    /// `optional_host_permissions`, exactly the union of the service files' origins, and `scripting` (to
    /// register their content scripts then) is the only permission beside `storage` (neither warns).
    #[test]
    fn the_manifest_asks_for_the_services_hosts_only_as_optional() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(manifest["permissions"], serde_json::json!(["storage", "scripting"]));
        let optional: std::collections::BTreeSet<String> =
            manifest["optional_host_permissions"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
        assert_eq!(optional, all_origins());
        assert!(manifest.get("host_permissions").is_none(), "no host is granted at install");
        // No service host is also a content-script host: those run on Meta's sites only.
        let cs = manifest["content_scripts"][0]["matches"].as_array().unwrap();
        assert!(cs.iter().all(|m| !optional.contains(m.as_str().unwrap())));
    }

    #[test]
    fn every_fact_has_a_source() {
        sourcing::check(RULES_JSON, &SourceList::from_json(SOURCES_JSON).unwrap()).unwrap();
    }

    fn sources() -> SourceList {
        SourceList::from_json(SOURCES_JSON).unwrap()
    }

    fn rules_value() -> serde_json::Value {
        serde_json::from_str(RULES_JSON).unwrap()
    }

    /// The JSON pointer of the first object whose `key` is the string `val`.
    fn pointer_of(v: &serde_json::Value, key: &str, val: &str) -> Option<String> {
        match v {
            serde_json::Value::Object(o) => {
                if o.get(key).and_then(|x| x.as_str()) == Some(val) {
                    return Some(String::new());
                }
                o.iter().find_map(|(k, c)| pointer_of(c, key, val).map(|p| format!("/{k}{p}")))
            }
            serde_json::Value::Array(a) => a.iter().enumerate().find_map(|(i, c)| pointer_of(c, key, val).map(|p| format!("/{i}{p}"))),
            _ => None,
        }
    }

    fn entry<'a>(v: &'a mut serde_json::Value, key: &str, val: &str) -> &'a mut serde_json::Map<String, serde_json::Value> {
        let at = pointer_of(v, key, val).unwrap_or_else(|| panic!("no entry with {key} = {val:?}"));
        v.pointer_mut(&at).unwrap().as_object_mut().unwrap()
    }

    /// The check refuses `v`, naming `why` in its message.
    #[track_caller]
    fn refuses(v: &serde_json::Value, why: &str) {
        match sourcing::check_value(v, &sources()) {
            Ok(()) => panic!("accepted, but should be refused for: {why}"),
            Err(e) => assert!(e.contains(why), "refused for another reason: {e} (expected: {why})"),
        }
    }

    /// The check finds entries by walking the file, so a kind of entry no struct knows yet is checked too:
    /// an unknown source, a fact its source does not carry, best effort without a note, and a claim
    /// without sources, each in a new top-level entry and in one nested in a new list.
    #[test]
    fn a_new_kind_of_sourced_entry_is_checked() {
        let fresh = |entry: serde_json::Value| {
            let mut v = rules_value();
            v.as_object_mut().unwrap().insert("whatsapp_form".into(), entry.clone());
            let mut nested = rules_value();
            nested.as_object_mut().unwrap().insert("more_forms".into(), serde_json::json!({"list": [entry]}));
            [v, nested]
        };
        for v in fresh(serde_json::json!({"url": "https://www.facebook.com/help/contact/510058597920541", "sources": ["nobody-wrote-this"]})) {
            refuses(&v, "unknown source \"nobody-wrote-this\"");
        }
        for v in fresh(serde_json::json!({"url": "https://www.facebook.com/help/contact/999", "sources": ["dnoticias-2025"]})) {
            refuses(&v, "no source names the url path /help/contact/999");
        }
        for v in fresh(serde_json::json!({"text": "we will get back to you", "lang": "en", "reported": true, "sources": ["tg24-2025"]})) {
            refuses(&v, "is in no quote of its sources");
        }
        for v in fresh(serde_json::json!({"text": "we will get back to you", "lang": "en", "reported": false, "sources": ["tg24-2025"]})) {
            refuses(&v, "needs a note");
        }
        for v in fresh(serde_json::json!({"text": "we will get back to you", "reported": false, "note": "ours"})) {
            refuses(&v, "makes a claim but has no sources");
        }
        for v in fresh(serde_json::json!({"url": "https://www.facebook.com/help/contact/510058597920541", "sources": ["dnoticias-2025"]})) {
            sourcing::check_value(&v, &sources()).unwrap();
        }
    }

    /// A fact marked reported must be what its sources print: each kind fed a bad example.
    #[test]
    fn a_reported_fact_must_appear_in_its_sources() {
        let mut v = rules_value();
        entry(&mut v, "text", "will honour your objection").insert("text".into(), "will honour your objection forever".into());
        refuses(&v, "\"will honour your objection forever\" is in no quote");

        // A route's menu name that its source does not give; and a reported route that quotes none.
        let mut v = rules_value();
        let de = v.pointer_mut("/platforms/0/fallback_route/de/steps/1").unwrap();
        *de = de.as_str().unwrap().replace("Einstellungen und Privatsphäre", "Privatsphäre-Zentrale").into();
        refuses(&v, "menu name \"Privatsphäre-Zentrale\"");
        let mut v = rules_value();
        let steps = v.pointer_mut("/platforms/0/fallback_route/de/steps").unwrap();
        *steps = serde_json::json!(["Öffne das Menü.", "Öffne die Einstellungen.", "Folge dem Link."]);
        refuses(&v, "must quote the menu names");
        // A reported route that swaps two of its source's steps.
        let mut v = rules_value();
        let steps = v.pointer_mut("/platforms/0/fallback_route/de/steps").unwrap().as_array_mut().unwrap();
        steps.swap(2, 3);
        refuses(&v, "comes out of the order its sources give");

        // A form id, a guide page's path, the Privacy Center's host, a domain, a form link and a label.
        let current = &rules().platform(PlatformId::Facebook).form_pages.iter().find(|f| f.current).unwrap().path;
        let mut v = rules_value();
        entry(&mut v, "path", current).insert("path".into(), "/help/contact/1234567890".into());
        refuses(&v, "no source names /help/contact/1234567890");
        let mut v = rules_value();
        // The citation this entry had before issue 14: a post that gives /privacy/center.
        entry(&mut v, "path", "/privacy/guide/genai").insert("sources".into(), serde_json::json!(["savary-2025"]));
        refuses(&v, "no source names /privacy/guide/genai");
        let mut v = rules_value();
        entry(&mut v, "host", "help.meta.com").insert("host".into(), "privacy.meta.com".into());
        refuses(&v, "no source names privacy.meta.com/support/privacy");
        let mut v = rules_value();
        entry(&mut v, "id", "threads").insert("domains".into(), serde_json::json!(["threads.com", "threads.org"]));
        refuses(&v, "no source names the domain threads.org");
        let mut v = rules_value();
        entry(&mut v, "id", "facebook").insert("form".into(), "https://www.facebook.com/help/contact/1234567890".into());
        refuses(&v, "no source names the form path /help/contact/1234567890");
        let mut v = rules_value();
        let own = entry(&mut v, "id", "own");
        own["label"]["en"] = "I object to Meta AI".into();
        refuses(&v, "reported label \"I object to Meta AI\" (en)");
        let mut v = rules_value();
        entry(&mut v, "id", "own").insert("reported_languages".into(), serde_json::json!([]));
        refuses(&v, "reported_languages is empty");
    }

    /// Every best-effort entry says what it is, whatever its kind: a signal, a route, a guide page.
    #[test]
    fn best_effort_needs_a_note_of_every_kind() {
        for (key, val) in [("text", "will honor your objection"), ("text", "something went wrong")] {
            let mut v = rules_value();
            entry(&mut v, key, val).remove("note");
            refuses(&v, "needs a note");
        }
        let mut v = rules_value();
        let route = v.pointer_mut("/platforms/0/fallback_route/en").unwrap().as_object_mut().unwrap();
        assert_eq!(route["reported"], false, "the English route is best effort (a translation)");
        route.remove("note");
        refuses(&v, "needs a note");
        let mut v = rules_value();
        let guide = entry(&mut v, "path", "/privacy/genai");
        guide.insert("reported".into(), false.into());
        guide.remove("note");
        refuses(&v, "needs a note");
    }

    #[test]
    fn fragments_are_unique() {
        let mut v = rules_value();
        let copy = v["signals"]["received"][0].clone();
        v["signals"]["login"].as_array_mut().unwrap().push(copy);
        refuses(&v, "is listed twice");
        let mut v = rules_value();
        let copy = v["signals"]["unavailable"][0].clone();
        v["signals"]["unavailable"].as_array_mut().unwrap().push(copy);
        refuses(&v, "is listed twice");
    }

    #[test]
    fn quotes_and_menu_names() {
        use sourcing::{carried, quoted_names};
        let q = |list: &[&str]| list.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let labels = q(&["i want to object to the use of my information for meta ai", "…from third parties for meta ai", "i have a different objection…"]);
        assert!(carried(&labels, "i want to object to the use of my information from third parties for meta ai"));
        assert!(carried(&labels, "i have a different objection"));
        assert!(carried(&labels, "from third parties"));
        // What an elision left out is not carried, nor is a continuation of a quote the sources do not have.
        assert!(!carried(&q(&["a b … c d"]), "b x c"));
        assert!(!carried(&q(&["a b … c d"]), "b c"));
        assert!(!carried(&labels, "i want to object to everything from third parties for meta ai"));
        assert!(!carried(&q(&["from third parties for meta ai"]), "i want to object to the use of my information from third parties for meta ai"));
        assert_eq!(quoted_names("Wähle „Einstellungen und Privatsphäre“ und dann „Einstellungen“."), ["Einstellungen und Privatsphäre", "Einstellungen"]);
        assert_eq!(quoted_names("Choose “Settings & privacy”."), ["Settings & privacy"]);
        assert_eq!(quoted_names("Va dans « Paramètres » › « Centre de confidentialité »."), ["Paramètres", "Centre de confidentialité"]);
        assert_eq!(quoted_names("Vælg »Om« › »Privatlivspolitik«"), ["Om", "Privatlivspolitik"]);
        assert_eq!(quoted_names("Välj ”Om” › ”Integritetspolicy”"), ["Om", "Integritetspolicy"]);
    }

    /// `cargo test` refuses an entry without a source: a missing list, an empty one, an unknown id, a
    /// source without a date or quote, an unused source, and best-effort wording without a note.
    #[test]
    fn unsourced_entries_are_refused() {
        let check = |rules: &str, sources: &str| -> Result<(), String> {
            Rules::from_json(rules)?;
            sourcing::check(rules, &SourceList::from_json(sources)?)
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
        // Both spellings of the reported UK email wording, and the reported Italian page text from the words
        // that only follow a decision ("Ciò significa che …": the form's own text before sending says what
        // *would* happen, "verrà applicata d'ora in avanti" alone).
        for f in ["will honour your objection", "will honor your objection", "ciò significa che la tua richiesta verrà applicata d'ora in avanti"] {
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

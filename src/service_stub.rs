//! TEMPORARY stand-in for the services-rules helper's `src/rules/service.rs` (types per design15.md), so
//! the core can be built and tested before their first commit. Replaced by theirs at merge.
#![allow(dead_code)]

use crate::rules::{PerLanguage, Route};
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, PartialEq, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub hosts: Hosts,
    pub not_feed_paths: Vec<String>,
    pub items: Vec<Item>,
    #[serde(default)]
    pub snooze_days: Option<u32>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct Hosts {
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Setting,
    ObjectionRequest,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    pub name: PerLanguage<String>,
    pub covers: Covered,
    pub not_covered: Covered,
    pub link: String,
    pub pages: Vec<ItemPage>,
    pub route: PerLanguage<Route>,
    #[serde(default)]
    pub control: Option<Control>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct Covered {
    pub text: PerLanguage<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct ItemPage {
    pub hosts: Vec<String>,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Find {
    Label,
    Ask,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct Control {
    pub find: Find,
    pub roles: Vec<String>,
    pub labels: Vec<Label>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct Label {
    pub lang: String,
    pub text: String,
    pub reported: bool,
}

const STUB: &str = r#"[
 {"id": "linkedin", "name": "LinkedIn", "hosts": {"domains": ["linkedin.com"]},
  "not_feed_paths": ["/mypreferences", "/messaging", "/login", "/help"],
  "items": [
   {"id": "ai_setting", "kind": "setting", "name": {"en": "Data for Generative AI Improvement", "de": "Daten zur Verbesserung generativer KI"},
    "covers": {"text": {"en": "Content-generating AI models.", "de": "KI-Modelle, die Inhalte erzeugen."}},
    "not_covered": {"text": {"en": "Training that already happened; other AI.", "de": "Bereits erfolgtes Training; andere KI."}},
    "link": "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
    "pages": [{"hosts": ["www", ""], "path": "/mypreferences/d/settings/data-for-ai-improvement"}],
    "route": {"en": {"steps": ["Me", "Settings & Privacy", "Data privacy", "Data for Generative AI Improvement"], "reported": true, "sources": ["s"]}},
    "control": {"find": "label", "roles": ["switch", "checkbox"], "labels": [{"lang": "en", "text": "use my data for training content creation ai models", "reported": true}]}},
   {"id": "objection", "kind": "objection_request", "name": {"en": "Data processing objection"},
    "covers": {"text": {"en": "Other AI, such as personalisation."}},
    "not_covered": {"text": {"en": "Training that already happened."}},
    "link": "https://www.linkedin.com/help/linkedin/ask/TS-DPRO",
    "pages": [{"hosts": ["www"], "path": "/help/linkedin/ask/TS-DPRO"}],
    "route": {"en": {"steps": ["Help", "Objection"], "reported": false, "sources": ["s"]}}}
  ]},
 {"id": "x", "name": "X", "hosts": {"domains": ["x.com", "twitter.com"]}, "not_feed_paths": ["/settings", "/messages", "/i/flow"],
  "items": [
   {"id": "grok", "kind": "setting", "name": {"en": "Grok & Third-party Collaborators"},
    "covers": {"text": {"en": "Posts and Grok chats for training Grok."}},
    "not_covered": {"text": {"en": "Training that already happened."}},
    "link": "https://x.com/settings/grok_settings",
    "pages": [{"hosts": ["", "www"], "path": "/settings/grok_settings"}],
    "route": {"en": {"steps": ["More", "Settings and privacy", "Privacy and safety", "Grok & Third-party Collaborators"], "reported": true, "sources": ["s"]}},
    "control": {"find": "label", "roles": ["checkbox"], "labels": [{"lang": "en", "text": "allow your public data", "reported": true}]}}
  ]},
 {"id": "google", "name": "Google", "hosts": {"domains": ["google.com"]}, "not_feed_paths": ["/"],
  "items": [
   {"id": "gemini_activity", "kind": "setting", "name": {"en": "Gemini Apps Activity (Keep Activity)"},
    "covers": {"text": {"en": "Your Gemini chats."}},
    "not_covered": {"text": {"en": "What was already reviewed."}},
    "link": "https://myactivity.google.com/product/gemini",
    "pages": [{"hosts": ["myactivity"], "path": "/product/gemini"}],
    "route": {"en": {"steps": ["Gemini", "Activity"], "reported": false, "sources": ["s"]}},
    "control": {"find": "ask", "roles": ["switch"], "labels": []}}
  ]}
]"#;

pub fn services() -> &'static [Service] {
    static S: OnceLock<Vec<Service>> = OnceLock::new();
    S.get_or_init(|| serde_json::from_str(STUB).unwrap())
}

/// Where a URL is, for a service: its feed, one of its items' pages, or another page of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServicePage {
    Feed { service: &'static str },
    Item { service: &'static str, item: &'static str },
    Other { service: &'static str },
}

pub fn classify_service(url: &str) -> Option<ServicePage> {
    let rest = url.strip_prefix("https://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(end);
    if host.contains(['@', ':']) {
        return None;
    }
    let host = host.to_ascii_lowercase();
    let path = tail.split(['?', '#']).next().unwrap_or("/");
    let path = path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    for s in services() {
        for d in &s.hosts.domains {
            let label = if host == *d {
                None
            } else if let Some(p) = host.strip_suffix(d.as_str()).and_then(|p| p.strip_suffix('.')) {
                Some(p)
            } else {
                continue;
            };
            for i in &s.items {
                if i.pages.iter().any(|pg| pg.path.eq_ignore_ascii_case(path) && pg.hosts.iter().any(|h| crate::rules::host_label_matches(h, label))) {
                    return Some(ServicePage::Item { service: &s.id, item: &i.id });
                }
            }
            let feed = !s.not_feed_paths.iter().any(|x| x == "/" || path == x || path.starts_with(&format!("{x}/")));
            return Some(if feed { ServicePage::Feed { service: &s.id } } else { ServicePage::Other { service: &s.id } });
        }
    }
    None
}

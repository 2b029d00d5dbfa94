//! Fuzz `Request::decode` (strict wire decoding) and `authorize` (who may send what) with arbitrary JSON
//! and arbitrary senders, then run what gets through the handler.
//!
//! Invariants, beyond "never panics":
//! - a decoded message re-encodes to the same JSON (numbers compared by value), and that decodes to the
//!   same message: nothing the sender added survives, nothing is lost;
//! - `authorize` accepts only this extension's id; a tab only for `page_shown`/`panel_clicked` (the answer
//!   to "which account was it for?" only from Meta's Privacy Center flow, and `form_signal` only from an
//!   objection form page or that flow), only on one of Meta's sites, and judged by the URL the message claims
//!   only when it is on the sender's origin; an extension page only for the checklist, account-group and
//!   question requests; replies (`show_panel`, `checklist`, `done`, ...) from nobody;
//! - whatever a page is allowed to send never moves progress backwards nor past "submitted", and touches
//!   only progress keys and the active group's question: a page can neither reset progress, mark it
//!   confirmed, nor change account groups.
//! - A service's page (issue 15) only with a tab, on that service's hosts, judged by the claimed URL on the
//!   sender's origin; `setting_seen` and `confirm_off` only from an item's page; `service_chosen` and
//!   `item_clicked` only from the popup. Its requests do nothing while the service is not chosen; when it
//!   is, they touch only that service's keys, and a setting becomes `off` only by `setting_seen off` from its
//!   own page, `user_off` only by the user's `confirm_off` there.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use widerspruch::classify::{classify, same_origin, Page};
use widerspruch::handler::{handle, Stored};
use widerspruch::protocol::{authorize, service_page, Context, Request, SeenState, Sender, SenderTab, ServicePage};
use widerspruch::panel::PanelAction;
use widerspruch::progress::{decode, decode_setting, SettingState, Status};
use widerspruch::rules::rules;

const ID: &str = "iddanobcjbciolaflajffjajfcapogle";
const BASE: &str = "chrome-extension://iddanobcjbciolaflajffjajfcapogle/";

const KEYS: &[&str] = &[
    "type", "action", "platform", "group", "name", "linked", "signal", "panel", "checklist", "reason", "status",
    "url", "kind", "items", "read_only", "state", "service", "item", "chosen",
];
const WORDS: &[&str] = &[
    "page_shown", "panel_clicked", "form_signal", "get_checklist", "checklist_clicked", "group_add", "group_remove",
    "group_linked", "group_active", "show_panel", "no_panel", "checklist", "done", "rejected", "open_form",
    "already_done", "not_now", "link_broken", "close", "received", "unavailable", "login", "mark_submitted",
    "mark_confirmed", "reset", "facebook", "instagram", "whatsapp", "main", "g1", "PageShown", "question_answered",
    "question_dismissed", "sent_for_facebook", "sent_for_instagram", "dismiss_question", "setting_seen", "service_chosen",
    "item_clicked", "confirm_off", "open", "on", "off", "missing", "linkedin", "x", "google", "meta", "ai_setting", "objection",
    "grok_setting", "keep_activity",
];
// Hints for the decoder, not expectations: any URL string will do, a stale form id included.
const URLS: &[&str] = &[
    "https://www.facebook.com/", "https://de-de.facebook.com/zuck", "https://www.instagram.com/",
    "https://www.facebook.com/help/contact/712876720715583", "https://help.instagram.com/contact/767264225370182",
    "https://www.facebook.com/messages/t/1", "https://evil.example/", "https://facebook.com.evil.example/",
    "http://www.facebook.com/", "chrome-extension://iddanobcjbciolaflajffjajfcapogle/popup/popup.html",
    "chrome-extension://otherextensionid/popup.html", "moz-extension://4b6f2f6e/popup/popup.html", "about:blank", "",
    "https://help.meta.com/support/privacy/object/meta-ai/",
    "https://www.linkedin.com/feed/", "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
    "https://www.linkedin.com/help/linkedin/ask/TS-DPRO", "https://www.linkedin.com/messaging/", "https://x.com/home",
    "https://x.com/settings/grok_settings", "https://myactivity.google.com/product/gemini", "https://gemini.google.com/app",
    "https://linkedin.com.evil.example/feed/", "http://x.com/settings/grok_settings",
];

fn value(u: &mut Unstructured, depth: u32) -> arbitrary::Result<Value> {
    let pick = if depth > 3 { u.int_in_range(0..=5)? } else { u.int_in_range(0..=8)? };
    Ok(match pick {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<u32>()? % 3),
        3 => serde_json::Number::from_f64(u.arbitrary()?).map(Value::Number).unwrap_or(Value::Null),
        4 => Value::String(if u.ratio(3, 4)? { WORDS[u.choose_index(WORDS.len())?].into() } else { u.arbitrary()? }),
        // Page messages carry the page's URL.
        5 => Value::String(URLS[u.choose_index(URLS.len())?].into()),
        6 => Value::Array((0..u.int_in_range(0..=2)?).map(|_| value(u, depth + 1)).collect::<Result<_, _>>()?),
        _ => {
            let mut m = Map::new();
            if u.ratio(7, 8)? {
                m.insert("type".into(), Value::String(WORDS[u.choose_index(WORDS.len())?].into()));
            }
            for _ in 0..u.int_in_range(0..=4)? {
                let k: String = if u.ratio(7, 8)? { KEYS[u.choose_index(KEYS.len())?].into() } else { u.arbitrary()? };
                m.insert(k, value(u, depth + 1)?);
            }
            Value::Object(m)
        }
    })
}

fn sender(u: &mut Unstructured) -> arbitrary::Result<Sender> {
    let id = match u.int_in_range(0..=3)? {
        0 => None,
        1 => Some("some-other-extension".to_string()),
        _ => Some(ID.to_string()),
    };
    let url = match u.int_in_range(0..=4)? {
        0 => None,
        1 => Some(u.arbitrary::<String>()?),
        2 => Some(format!("{}{}", URLS[u.choose_index(URLS.len())?], u.arbitrary::<String>()?)),
        _ => Some(URLS[u.choose_index(URLS.len())?].to_string()),
    };
    let tab = if u.arbitrary()? { Some(SenderTab { id: Some(f64::from(u.arbitrary::<u16>()?)) }) } else { None };
    Ok(Sender { id, url, tab })
}

/// Equal JSON with numbers compared by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn check(v: Value, u: &mut Unstructured) {
    let Ok(msg) = Request::from_json(&v) else { return };
    let wire = msg.to_json();
    assert!(same(&wire, &v), "decode accepted more than the canonical form: {v} → {wire}");
    assert_eq!(v["type"], json!(msg.kind().tag()), "{v}");
    assert_eq!(Request::from_json(&wire).as_ref(), Ok(&msg), "re-encoded {wire} does not decode to {msg:?}");
    let text: Value = serde_json::from_str(&serde_json::to_string(&wire).unwrap()).unwrap();
    assert_eq!(Request::from_json(&text).as_ref(), Ok(&msg), "through JSON text");

    // Every known kind of sender (own/other id, with/without a tab, each URL), then a few arbitrary ones.
    let mut senders = Vec::new();
    for id in [Some(ID), Some("some-other-extension"), None] {
        for tab in [true, false] {
            for url in URLS {
                senders.push(Sender {
                    id: id.map(String::from),
                    url: Some(url.to_string()),
                    tab: tab.then_some(SenderTab { id: Some(7.0) }),
                });
            }
        }
    }
    while let (true, Ok(s)) = (senders.len() < 3 * 2 * URLS.len() + 3, sender(u)) {
        senders.push(s);
    }
    for s in senders {
        let verdict = authorize(&msg, &s, ID, BASE);
        let Ok(ctx) = verdict else { continue };
        assert_eq!(s.id.as_deref(), Some(ID), "accepted a stranger: {s:?}");
        let url = s.url.as_deref().unwrap_or("");
        match ctx {
            Context::ExtensionPage => {
                assert!(url.starts_with(BASE), "not an extension page: {url:?}");
                assert!(
                    matches!(msg, Request::GetChecklist(_) | Request::ChecklistClicked(_) | Request::GroupAdd(_)
                        | Request::GroupRemove(_) | Request::GroupLinked(_) | Request::GroupActive(_)
                        | Request::QuestionAnswered(_) | Request::QuestionDismissed(_) | Request::ServiceChosen(_)
                        | Request::ItemClicked(_)),
                    "{msg:?} from the popup"
                );
            }
            Context::MetaPage(page) => {
                assert!(s.tab.is_some(), "a page message without a tab");
                assert!(classify(url).is_meta(), "the sender {url:?} is none of Meta's pages");
                let claimed = msg.page_url().expect("page messages carry the page's URL");
                assert!(same_origin(claimed, url), "{claimed:?} claimed from {url:?}");
                assert_eq!(page, classify(claimed));
                assert!(page.is_meta(), "{claimed:?} is none of Meta's pages");
                match msg {
                    Request::PageShown(_) => {}
                    Request::PanelClicked(ref m) => {
                        assert!(m.action.answer().is_none() || page == Page::PrivacyFlow, "{:?} from {url:?}", m.action)
                    }
                    Request::FormSignal(_) => {
                        assert!(matches!(page, Page::ObjectionForm { .. } | Page::PrivacyFlow), "form_signal from {url:?}")
                    }
                    _ => panic!("{msg:?} from a page"),
                }
            }
            Context::ServicePage(service, page) => {
                assert!(s.tab.is_some(), "a page message without a tab");
                assert_eq!(service_page(url).map(|(s, _)| s), Some(service), "the sender {url:?} is not {service}'s");
                let claimed = msg.page_url().expect("page messages carry the page's URL");
                assert!(same_origin(claimed, url), "{claimed:?} claimed from {url:?}");
                assert_eq!(service_page(claimed), Some((service, page)));
                match msg {
                    Request::PageShown(_) => {}
                    Request::PanelClicked(ref m) if m.action == PanelAction::ConfirmOff => {
                        assert!(matches!(page, ServicePage::Item(_)), "confirm_off from {claimed:?}")
                    }
                    Request::PanelClicked(ref m) => assert!(m.action.answer().is_none(), "{:?} from {claimed:?}", m.action),
                    Request::SettingSeen(_) => assert!(matches!(page, ServicePage::Item(_)), "setting_seen from {claimed:?}"),
                    _ => panic!("{msg:?} from a service's page"),
                }
            }
        }

        // A service's page: nothing while the service is not chosen; when it is, only its keys, and "off"
        // only from what its own page showed or the user's word there.
        if let Context::ServicePage(service, page) = ctx {
            let out = handle(rules(), &msg, ctx, &Stored::from_storage(&json!({})), 1_795_000_000_000.0, "en");
            assert!(out.writes.is_empty() && out.removals.is_empty(), "{msg:?} changed {service} while it is not chosen");
            for start in ["on", "off", "user_off"] {
                let mut all = json!({"services": {"v": 1, "chosen": [service]}});
                if let ServicePage::Item(item) = page {
                    all[format!("setting/{service}/{item}")] = json!({"v": 1, "state": start});
                }
                let out = handle(rules(), &msg, ctx, &Stored::from_storage(&all), 1_795_000_000_000.0, "en");
                assert!(out.removals.is_empty(), "a page removed {:?}", out.removals);
                for (key, w) in &out.writes {
                    let own = [format!("setting/{service}/"), format!("request/{service}/")];
                    assert!(own.iter().any(|p| key.starts_with(p.as_str())), "{service}'s page wrote {key}");
                    let ServicePage::Item(item) = page else {
                        // The feed: "not now" rests, "already done"/"open" move a request; never a setting's state.
                        if key.starts_with("setting/") {
                            let after = decode_setting(&serde_json::to_value(w).unwrap()).record().state;
                            assert!(!after.is_done(), "the feed changed {key} to {after:?}");
                        }
                        continue;
                    };
                    if key == &format!("setting/{service}/{item}") {
                        let after = decode_setting(&serde_json::to_value(w).unwrap()).record().state;
                        match after {
                            SettingState::Off if start != "off" => assert!(
                                matches!(msg, Request::SettingSeen(ref m) if m.state == SeenState::Off),
                                "{msg:?} marked {key} off"
                            ),
                            SettingState::UserOff if start != "user_off" => assert!(
                                matches!(msg, Request::PanelClicked(ref m) if m.action == PanelAction::ConfirmOff),
                                "{msg:?} marked {key} user_off"
                            ),
                            _ => {}
                        }
                    }
                }
            }
            continue;
        }

        // What an accepted message does to every starting state.
        for start in [Status::NotStarted, Status::FormOpened, Status::Submitted, Status::Confirmed] {
            let stored = Stored::from_storage(&json!({
                "progress/facebook/main": {"v": 1, "status": start},
                "progress/instagram/main": {"v": 1, "status": start},
            }));
            let out = handle(rules(), &msg, ctx, &stored, 1_795_000_000_000.0, "en");
            if let Context::MetaPage(_) = ctx {
                assert!(out.removals.iter().all(|k| k == "pending/main"), "a page removed {:?}", out.removals);
            }
            for (key, w) in &out.writes {
                if key == "pending/main" {
                    assert!(matches!(ctx, Context::MetaPage(Page::PrivacyFlow)), "{key} written from {ctx:?}");
                    continue;
                }
                let after = decode(&serde_json::to_value(w).unwrap()).record().status;
                if let Context::MetaPage(_) = ctx {
                    assert!(key.starts_with("progress/") && key.ends_with("/main"), "a page wrote {key}");
                    assert!(after >= start, "a page moved {key} back from {start:?} to {after:?}");
                    assert!(after <= start.max(Status::Submitted), "a page moved {key} from {start:?} to {after:?}");
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        check(v, &mut Unstructured::new(data));
    }
    if let Ok(v) = value(&mut u, 0) {
        check(v, &mut u);
    }
});

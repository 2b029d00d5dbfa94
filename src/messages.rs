//! The one message type every context speaks: content script, popup and background.
//!
//! On the wire it is tagged JSON, `{"type": "page_shown"}`; `extension/content/banner.js` uses the same
//! tags (a test below pins the shapes). The background accepts a message only from a context that may
//! send it (see [`authorize`]).

use crate::classify::{classify, same_origin, Page};
use crate::panel::{PanelAction, PanelView};
use crate::popup::PopupView;
use crate::progress::Status;
use crate::json::{object, Fields, ToJson};
use crate::rules::PlatformId;
use serde::Serialize;
use serde_json::Value;

/// The wire shapes are written and read by hand ([`ToJson`], [`Message::decode`]); the serde derives are
/// kept for native tools and checked against them by the tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    // ── content script → background ──
    // Each carries `url`, the page's `location.href`: Meta's pages are single-page apps, and after
    // `history.pushState` the browser's `sender.url` is still the URL the document was loaded with. The
    // background believes it only on the sender's own origin (see [`authorize`]).
    /// "This tab is showing this page." No other page data.
    PageShown { url: String },
    /// The user clicked a button of the banner or form helper.
    PanelClicked { url: String, action: PanelAction },
    /// The objection form page shows this (only accepted from objection form pages).
    FormSignal { url: String, signal: FormSignal },

    // ── popup → background ──
    GetChecklist,
    ChecklistClicked { group: String, platform: PlatformId, action: ChecklistAction },
    GroupAdd { name: String },
    GroupRemove { group: String },
    GroupLinked { group: String, linked: bool },
    GroupActive { group: String },

    // ── background → content script ──
    ShowPanel { panel: PanelView },
    NoPanel,

    // ── background → popup ──
    Checklist { checklist: PopupView },

    // ── background → anyone ──
    Done,
    Rejected { reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormSignal {
    /// "Your request was received."
    Received,
    /// An error or "content not available" page instead of the form.
    Unavailable,
    /// A login wall instead of the form.
    Login,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistAction {
    OpenForm,
    MarkSubmitted,
    MarkConfirmed,
    Reset,
}

/// The checklist as the handler decides it; [`crate::popup`] turns it into the texts the popup shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistView {
    pub groups: Vec<GroupView>,
    /// Stored data came from a newer Widerspruch: shown, never changed.
    pub read_only: bool,
    /// ms since the epoch: today, for the sentence on what an objection can still do.
    pub now: f64,
    pub third_party_form: String,
    pub open: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupView {
    pub id: String,
    pub name: String,
    pub linked: bool,
    pub active: bool,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub platform: PlatformId,
    pub name: String,
    pub status: Status,
    /// Covered by the other platform's objection (the group shares one Accounts Center).
    pub covered: bool,
    pub form_url: String,
    /// Sent a while ago and the confirmation email is still not marked: ask gently.
    pub remind: bool,
}

/// The parts of `runtime.MessageSender` the background looks at. Filled in by the browser, not the page.
#[derive(Debug, Clone, Default)]
pub struct Sender {
    pub id: Option<String>,
    pub url: Option<String>,
    pub tab: Option<SenderTab>,
}

#[derive(Debug, Clone, Default)]
pub struct SenderTab {
    pub id: Option<f64>,
}

impl Sender {
    /// Read from `runtime.MessageSender`: other fields are ignored, a field of the wrong type is refused.
    pub fn from_json(v: &Value) -> Result<Sender, String> {
        let odd = || "odd sender".to_string();
        let f = Fields::of(v).ok_or_else(odd)?;
        let tab = match f.0.get("tab") {
            None | Some(Value::Null) => None,
            Some(t) => Some(SenderTab { id: Fields::of(t).and_then(|t| t.get("id")).ok_or_else(odd)? }),
        };
        Ok(Sender { id: f.get("id").ok_or_else(odd)?, url: f.get("url").ok_or_else(odd)?, tab })
    }
}

/// Who is talking, once checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Context {
    /// Our content script in a tab showing this Facebook or Instagram page.
    MetaPage(Page),
    /// One of the extension's own pages (the popup).
    ExtensionPage,
}

/// Check the sender and that this context may send this message. `own_id` is `runtime.id`, `own_base`
/// is `runtime.getURL("")` (`chrome-extension://<id>/` or `moz-extension://<uuid>/`).
pub fn authorize(msg: &Message, sender: &Sender, own_id: &str, own_base: &str) -> Result<Context, String> {
    if sender.id.as_deref() != Some(own_id) {
        return Err("sender is not this extension".into());
    }
    let url = sender.url.as_deref().unwrap_or("");
    let context = if !own_base.is_empty() && url.starts_with(own_base) {
        Context::ExtensionPage
    } else if sender.tab.is_some() && classify(url).platform().is_some() {
        // The page the user now sees: the URL the content script claims, but only on the origin the
        // browser vouches for, so a page can move within its own site and never claim another.
        match msg.page_url() {
            Some(claimed) if same_origin(claimed, url) => Context::MetaPage(classify(claimed)),
            Some(_) => return Err("url is not on the sender's origin".into()),
            None => Context::MetaPage(classify(url)),
        }
    } else {
        return Err("sender is neither an extension page nor a Facebook/Instagram tab".into());
    };
    let allowed = match (context, msg) {
        (Context::MetaPage(_), Message::PageShown { .. } | Message::PanelClicked { .. }) => true,
        // Only the objection form page itself may say what the form shows.
        (Context::MetaPage(Page::ObjectionForm { .. }), Message::FormSignal { .. }) => true,
        (
            Context::ExtensionPage,
            Message::GetChecklist
            | Message::ChecklistClicked { .. }
            | Message::GroupAdd { .. }
            | Message::GroupRemove { .. }
            | Message::GroupLinked { .. }
            | Message::GroupActive { .. },
        ) => true,
        _ => false,
    };
    if allowed {
        Ok(context)
    } else {
        Err(format!("{} may not be sent from here", msg.kind()))
    }
}

impl Message {
    /// The page URL a content-script message claims.
    pub fn page_url(&self) -> Option<&str> {
        match self {
            Message::PageShown { url } | Message::PanelClicked { url, .. } | Message::FormSignal { url, .. } => Some(url),
            _ => None,
        }
    }

    /// Decode a message from the wire. Strict: the value must be exactly the canonical JSON of a message,
    /// so extra fields (even on unit variants such as `page_shown`) and odd values are refused.
    pub fn decode(value: Value) -> Result<Message, String> {
        let msg = Message::read(&value)?;
        if same(&msg.to_json(), &value) {
            Ok(msg)
        } else {
            Err(format!("malformed {} message: unexpected fields", msg.kind()))
        }
    }

    /// Read the fields a message's tag calls for, leniently ([`Message::decode`] checks the rest).
    fn read(value: &Value) -> Result<Message, String> {
        let f = Fields::of(value).ok_or("malformed message: not an object")?;
        let Some(kind) = f.0.get("type").and_then(Value::as_str) else { return Err("malformed message: no type".into()) };
        match Message::read_fields(kind, &f) {
            Some(Some(msg)) => Ok(msg),
            Some(None) => Err(format!("malformed {kind} message")),
            None => Err("malformed message: unknown type".into()),
        }
    }

    /// `None` for an unknown type, `Some(None)` for missing or mistyped fields.
    fn read_fields(kind: &str, f: &Fields) -> Option<Option<Message>> {
        let read = || -> Option<Message> {
            Some(match kind {
                "page_shown" => Message::PageShown { url: f.read("url") },
                "panel_clicked" => Message::PanelClicked { url: f.read("url"), action: f.read("action") },
                "form_signal" => Message::FormSignal { url: f.read("url"), signal: f.read("signal") },
                "get_checklist" => Message::GetChecklist,
                "checklist_clicked" => {
                    Message::ChecklistClicked { group: f.read("group"), platform: f.read("platform"), action: f.read("action") }
                }
                "group_add" => Message::GroupAdd { name: f.read("name") },
                "group_remove" => Message::GroupRemove { group: f.read("group") },
                "group_linked" => Message::GroupLinked { group: f.read("group"), linked: f.read("linked") },
                "group_active" => Message::GroupActive { group: f.read("group") },
                "show_panel" => Message::ShowPanel { panel: f.get("panel")? },
                "no_panel" => Message::NoPanel,
                "checklist" => Message::Checklist { checklist: f.get("checklist")? },
                "done" => Message::Done,
                "rejected" => Message::Rejected { reason: f.read("reason") },
                _ => return None,
            })
        };
        match read().and_then(|m| f.done(m)) {
            Some(msg) => Some(Some(msg)),
            None if KINDS.contains(&kind) => Some(None),
            None => None,
        }
    }

    /// The wire tag, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::PageShown { .. } => "page_shown",
            Message::PanelClicked { .. } => "panel_clicked",
            Message::FormSignal { .. } => "form_signal",
            Message::GetChecklist => "get_checklist",
            Message::ChecklistClicked { .. } => "checklist_clicked",
            Message::GroupAdd { .. } => "group_add",
            Message::GroupRemove { .. } => "group_remove",
            Message::GroupLinked { .. } => "group_linked",
            Message::GroupActive { .. } => "group_active",
            Message::ShowPanel { .. } => "show_panel",
            Message::NoPanel => "no_panel",
            Message::Checklist { .. } => "checklist",
            Message::Done => "done",
            Message::Rejected { .. } => "rejected",
        }
    }
}

/// Every wire tag.
const KINDS: [&str; 14] = [
    "page_shown", "panel_clicked", "form_signal", "get_checklist", "checklist_clicked", "group_add", "group_remove",
    "group_linked", "group_active", "show_panel", "no_panel", "checklist", "done", "rejected",
];

impl ToJson for Message {
    fn to_json(&self) -> Value {
        let t = |k: &str| ("type", Value::String(k.to_string()));
        let kind = self.kind();
        match self {
            Message::GetChecklist | Message::NoPanel | Message::Done => object(&mut [t(kind)]),
            Message::PageShown { url } => object(&mut [t(kind), ("url", url.to_json())]),
            Message::PanelClicked { url, action } => object(&mut [t(kind), ("url", url.to_json()), ("action", action.to_json())]),
            Message::FormSignal { url, signal } => object(&mut [t(kind), ("url", url.to_json()), ("signal", signal.to_json())]),
            Message::ChecklistClicked { group, platform, action } => {
                object(&mut [t(kind), ("group", group.to_json()), ("platform", platform.to_json()), ("action", action.to_json())])
            }
            Message::GroupAdd { name } => object(&mut [t(kind), ("name", name.to_json())]),
            Message::GroupRemove { group } | Message::GroupActive { group } => object(&mut [t(kind), ("group", group.to_json())]),
            Message::GroupLinked { group, linked } => object(&mut [t(kind), ("group", group.to_json()), ("linked", linked.to_json())]),
            Message::ShowPanel { panel } => object(&mut [t(kind), ("panel", panel.to_json())]),
            Message::Checklist { checklist } => object(&mut [t(kind), ("checklist", checklist.to_json())]),
            Message::Rejected { reason } => object(&mut [t(kind), ("reason", reason.to_json())]),
        }
    }
}

crate::json_words!(FormSignal { Received => "received", Unavailable => "unavailable", Login => "login" } placeholder Received);
crate::json_words!(ChecklistAction {
    OpenForm => "open_form",
    MarkSubmitted => "mark_submitted",
    MarkConfirmed => "mark_confirmed",
    Reset => "reset",
} placeholder Reset);

/// Equal JSON, with numbers compared by value (JS sends `5` where Rust wrote `5.0`).
fn same(a: &Value, b: &Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        (String(x), String(y)) => x == y,
        (Bool(x), Bool(y)) => x == y,
        (Null, Null) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::{ActionView, LinkView, PanelKind, WatchView};
    use serde_json::{json, Value};

    /// What goes on the wire; the serde derive (used by native tools) must agree with it.
    fn wire(m: &Message) -> Value {
        let v = m.to_json();
        assert_eq!(v, serde_json::to_value(m).unwrap(), "the serde derive and the wire codec differ");
        assert_eq!(Message::decode(v.clone()).as_ref(), Ok(m), "{v} does not decode to itself");
        v
    }

    #[test]
    fn json_shapes_are_pinned() {
        // These exact shapes are what extension/content/banner.js and the popup send and read.
        let url = || FEED.to_string();
        assert_eq!(wire(&Message::PageShown { url: url() }), json!({"type": "page_shown", "url": FEED}));
        for (action, word) in [
            (PanelAction::OpenForm, "open_form"),
            (PanelAction::AlreadyDone, "already_done"),
            (PanelAction::NotNow, "not_now"),
            (PanelAction::LinkBroken, "link_broken"),
        ] {
            assert_eq!(wire(&Message::PanelClicked { url: url(), action }), json!({"type": "panel_clicked", "url": FEED, "action": word}));
        }
        for (signal, word) in [(FormSignal::Received, "received"), (FormSignal::Unavailable, "unavailable"), (FormSignal::Login, "login")] {
            assert_eq!(wire(&Message::FormSignal { url: url(), signal }), json!({"type": "form_signal", "url": FEED, "signal": word}));
        }
        assert_eq!(wire(&Message::GetChecklist), json!({"type": "get_checklist"}));
        assert_eq!(
            wire(&Message::ChecklistClicked { group: "main".into(), platform: PlatformId::Instagram, action: ChecklistAction::MarkConfirmed }),
            json!({"type": "checklist_clicked", "group": "main", "platform": "instagram", "action": "mark_confirmed"})
        );
        assert_eq!(wire(&Message::GroupAdd { name: "Club".into() }), json!({"type": "group_add", "name": "Club"}));
        assert_eq!(wire(&Message::GroupLinked { group: "g1".into(), linked: true }), json!({"type": "group_linked", "group": "g1", "linked": true}));
        assert_eq!(wire(&Message::NoPanel), json!({"type": "no_panel"}));
        let panel = PanelView {
            kind: PanelKind::FormHelper,
            platform: PlatformId::Facebook,
            urging: false,
            lang: "de".into(),
            label: "l".into(),
            paragraphs: vec!["p".into()],
            link: Some(LinkView { text: "k".into(), href: "https://www.facebook.com/help/contact/712876720715583".into() }),
            steps_title: "".into(),
            steps: vec![],
            footnote: "".into(),
            reasons: vec![],
            actions: vec![ActionView { action: PanelAction::Close, text: "x".into() }],
            watch: Some(WatchView { received: vec!["r".into()], unavailable: vec![], login: vec![], reason_field: "textarea".into() }),
        };
        assert_eq!(
            wire(&Message::ShowPanel { panel }),
            json!({"type": "show_panel", "panel": {"kind": "form_helper", "platform": "facebook", "urging": false,
                "lang": "de", "label": "l", "paragraphs": ["p"],
                "link": {"text": "k", "href": "https://www.facebook.com/help/contact/712876720715583"},
                "steps_title": "", "steps": [], "footnote": "", "reasons": [], "actions": [{"action": "close", "text": "x"}],
                "watch": {"received": ["r"], "unavailable": [], "login": [], "reason_field": "textarea"}}})
        );
    }

    #[test]
    fn well_formed_messages_decode() {
        assert_eq!(Message::decode(json!({"type": "page_shown", "url": FEED})), Ok(Message::PageShown { url: FEED.into() }));
        assert_eq!(
            Message::decode(json!({"type": "panel_clicked", "url": FEED, "action": "open_form"})),
            Ok(Message::PanelClicked { url: FEED.into(), action: PanelAction::OpenForm })
        );
        // What the popup renders (extension/popup/popup.js reads these names).
        let link = json!({"text": "Open the form", "href": "u"});
        let action = json!({"action": "mark_confirmed", "text": "t", "label": "l"});
        let item = json!({"platform": "facebook", "name": "Facebook", "state": "submitted", "state_text": "Sent",
            "covered": "", "remind": "r", "link": link, "actions": [action]});
        let group = json!({"id": "main", "name": "Yours", "main": true, "active": null,
            "linked": {"label": "l", "checked": true}, "items": [item], "remove": null});
        let full = json!({"type": "checklist", "checklist": {"lang": "en", "title": "t", "summary": "s", "timing": "t",
            "groups": [group], "add_group": {"hint": "h", "label": "l", "button": "b", "max_length": 40}, "scope": "s",
            "who_else": {"title": "t", "third_party": "t", "third_party_link": link, "pages": "p", "whatsapp": "w"}}});
        let Ok(Message::Checklist { checklist }) = Message::decode(full.clone()) else { panic!("{full}") };
        assert_eq!(checklist.groups[0].items[0].state, Status::Submitted);
        assert_eq!(checklist.groups[0].items[0].actions[0].action, ChecklistAction::MarkConfirmed);
        assert_eq!(wire(&Message::Checklist { checklist }), full);
        wire(&Message::Rejected { reason: "r".into() });
        wire(&Message::Done);
    }

    #[test]
    fn malformed_messages_are_refused() {
        // A popup view that decodes, spoilt one way at a time: its `max_length`, or one key too many.
        let checklist = |max_length: Value, extra: Option<(&str, Value)>| {
            let link = json!({"text": "t", "href": "u"});
            let mut v = json!({"lang": "en", "title": "t", "summary": "s", "timing": "t", "groups": [],
                "add_group": {"hint": "h", "label": "l", "button": "b", "max_length": max_length}, "scope": "s",
                "who_else": {"title": "t", "third_party": "t", "third_party_link": link, "pages": "p", "whatsapp": "w"}});
            if let Some((k, x)) = extra {
                v[k] = x;
            }
            json!({"type": "checklist", "checklist": v})
        };
        assert!(Message::decode(checklist(json!(40), None)).is_ok(), "the unspoilt view decodes");
        for bad in [
            json!({}),
            json!({"type": "page_shown"}),
            json!({"type": "page_shown", "url": "https://www.facebook.com/", "title": "x"}),
            json!({"type": "page_shown", "url": 5}),
            json!({"type": "panel_clicked", "url": "https://www.facebook.com/"}),
            json!({"type": "panel_clicked", "action": "not_now"}),
            json!({"type": "panel_clicked", "url": "https://www.facebook.com/", "action": "submit_everything"}),
            json!({"type": "form_signal", "url": "https://www.facebook.com/", "signal": "received", "text": "x"}),
            json!({"type": "checklist_clicked", "group": "main", "platform": "whatsapp", "action": "reset"}),
            json!({"type": "checklist_clicked", "platform": "facebook", "action": "reset"}),
            json!({"type": "group_linked", "group": "g1", "linked": "yes"}),
            json!({"type": "PageShown"}),
            json!({"type": "group_add", "name": null}),
            json!({"type": "done", "type2": 1}),
            json!({"type": "rejected", "reason": 5}),
            checklist(json!(-1), None),
            checklist(json!(1.5), None),
            // Unreadable fields are refused even where a stand-in would encode the same (`Fields::read`).
            checklist(json!(0.0), None),
            json!({"type": "group_linked", "group": "", "linked": null}),
            checklist(json!(1), Some(("x", json!(0)))),
            json!({"type": 5}),
            json!("page_shown"),
            json!(null),
        ] {
            assert!(Message::decode(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_tag_is_known_to_the_reader() {
        for kind in KINDS {
            let err = Message::decode(json!({"type": kind, "unexpected": 1})).unwrap_err();
            assert!(err.starts_with(&format!("malformed {kind} message")), "{kind}: {err}");
        }
        assert_eq!(Message::decode(json!({"type": "nope"})).unwrap_err(), "malformed message: unknown type");
    }

    const FEED: &str = "https://www.facebook.com/";

    fn shown(url: &str) -> Message {
        Message::PageShown { url: url.into() }
    }

    const ID: &str = "iddanobcjbciolaflajffjajfcapogle";
    const BASE: &str = "chrome-extension://iddanobcjbciolaflajffjajfcapogle/";

    fn sender(id: &str, url: &str, tab: bool) -> Sender {
        Sender { id: Some(id.into()), url: Some(url.into()), tab: tab.then(|| SenderTab { id: Some(3.0) }) }
    }

    #[test]
    fn content_scripts_may_only_report_pages_and_clicks() {
        let s = sender(ID, "https://de-de.facebook.com/", true);
        assert_eq!(authorize(&shown("https://de-de.facebook.com/"), &s, ID, BASE), Ok(Context::MetaPage(Page::Feed(PlatformId::Facebook))));
        let click = Message::PanelClicked { url: "https://de-de.facebook.com/".into(), action: PanelAction::NotNow };
        assert!(authorize(&click, &s, ID, BASE).is_ok());
        assert!(authorize(&Message::GetChecklist, &s, ID, BASE).is_err());
        let set = Message::ChecklistClicked { group: "main".into(), platform: PlatformId::Facebook, action: ChecklistAction::MarkSubmitted };
        assert!(authorize(&set, &s, ID, BASE).is_err(), "a page must not mark anything submitted");
        assert!(authorize(&Message::GroupAdd { name: "x".into() }, &s, ID, BASE).is_err());
        assert!(authorize(&Message::Done, &s, ID, BASE).is_err());
    }

    #[test]
    fn only_the_form_page_may_report_what_the_form_shows() {
        let received = |url: &str| Message::FormSignal { url: url.into(), signal: FormSignal::Received };
        for url in ["https://www.facebook.com/help/contact/712876720715583", "https://help.instagram.com/contact/233964459562201"] {
            assert!(authorize(&received(url), &sender(ID, url, true), ID, BASE).is_ok(), "{url}");
        }
        for url in ["https://www.facebook.com/", "https://www.facebook.com/help/contact/510058597920541", "https://help.instagram.com/"] {
            assert!(authorize(&received(url), &sender(ID, url, true), ID, BASE).is_err(), "{url}");
        }
        let popup = sender(ID, &format!("{BASE}popup/popup.html"), false);
        assert!(authorize(&received("https://www.facebook.com/help/contact/712876720715583"), &popup, ID, BASE).is_err());
        // The page the user sees now decides, not the one the tab loaded: a form reached by pushState
        // counts, a feed left for the form by pushState no longer does.
        let form = "https://www.facebook.com/help/contact/712876720715583";
        assert!(authorize(&received(form), &sender(ID, FEED, true), ID, BASE).is_ok());
        assert!(authorize(&received(FEED), &sender(ID, form, true), ID, BASE).is_err());
    }

    #[test]
    fn strangers_and_odd_senders_are_refused() {
        assert!(authorize(&shown(FEED), &sender("other-extension", FEED, true), ID, BASE).is_err());
        assert!(authorize(&shown("https://evil.example/"), &sender(ID, "https://evil.example/", true), ID, BASE).is_err());
        assert!(authorize(&shown(FEED), &sender(ID, "https://evil.example/", true), ID, BASE).is_err());
        assert!(authorize(&shown(FEED), &sender(ID, FEED, false), ID, BASE).is_err());
        assert!(authorize(&shown(FEED), &Sender::default(), ID, BASE).is_err());
    }

    #[test]
    fn the_claimed_url_counts_only_on_the_senders_origin() {
        let s = sender(ID, "https://www.facebook.com/", true);
        for claimed in [
            "https://www.instagram.com/",                    // another host
            "https://de-de.facebook.com/",                   // another host of the same site
            "http://www.facebook.com/",                      // another scheme
            "https://www.facebook.com:8443/",                // another port
            "https://www.facebook.com.evil.example/",        // a look-alike host
            "https://www.facebook.com@evil.example/",        // credentials
            "not a url",                                     // garbage
            "",
        ] {
            for msg in [
                shown(claimed),
                Message::PanelClicked { url: claimed.into(), action: PanelAction::AlreadyDone },
                Message::FormSignal { url: claimed.into(), signal: FormSignal::Received },
            ] {
                assert_eq!(authorize(&msg, &s, ID, BASE), Err("url is not on the sender's origin".into()), "{claimed}");
            }
        }
        // A path change on the same origin (pushState) is classified by the claimed URL.
        let moved = |u: &str| authorize(&shown(u), &s, ID, BASE);
        assert_eq!(moved("https://www.facebook.com/messages/t/1"), Ok(Context::MetaPage(Page::OtherOnPlatform(PlatformId::Facebook))));
        assert_eq!(
            moved("https://www.facebook.com/help/contact/712876720715583?x#y"),
            Ok(Context::MetaPage(Page::ObjectionForm { platform: PlatformId::Facebook, current: true }))
        );
        assert_eq!(moved("https://WWW.facebook.com:443/zuck"), Ok(Context::MetaPage(Page::Feed(PlatformId::Facebook))));
        // The sender is checked as strictly as before: a claimed Meta URL does not help a stranger's tab.
        assert!(authorize(&shown(FEED), &sender(ID, "https://www.facebook.com.evil.example/", true), ID, BASE).is_err());
    }

    #[test]
    fn the_popup_may_read_and_change_the_checklist() {
        let popup = sender(ID, &format!("{BASE}popup/popup.html"), false);
        assert_eq!(authorize(&Message::GetChecklist, &popup, ID, BASE), Ok(Context::ExtensionPage));
        let set = Message::ChecklistClicked { group: "main".into(), platform: PlatformId::Facebook, action: ChecklistAction::Reset };
        assert!(authorize(&set, &popup, ID, BASE).is_ok());
        assert!(authorize(&Message::GroupActive { group: "g1".into() }, &popup, ID, BASE).is_ok());
        assert!(authorize(&shown(FEED), &popup, ID, BASE).is_err());
    }
}

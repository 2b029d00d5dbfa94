//! The one message type every context speaks: content script, popup and background.
//!
//! On the wire it is tagged JSON, `{"type": "page_shown"}`; `extension/content/banner.js` uses the same
//! tags (a test below pins the shapes). The background accepts a message only from a context that may
//! send it (see [`authorize`]).

use crate::banner::BannerView;
use crate::classify::{classify, Page};
use crate::progress::Status;
use crate::rules::PlatformId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Message {
    // ── content script → background ──
    /// "This tab is showing a page." Carries no page data: the background reads the URL from the sender.
    PageShown,
    /// The user clicked something in the banner.
    BannerClicked { action: BannerAction },

    // ── popup → background ──
    GetChecklist,
    ChecklistClicked { platform: PlatformId, action: ChecklistAction },

    // ── background → content script ──
    ShowBanner { banner: BannerView },
    NoBanner,

    // ── background → popup ──
    Checklist { items: Vec<ChecklistItem>, read_only: bool },

    // ── background → anyone ──
    Done,
    Rejected { reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BannerAction {
    /// Followed the link to the form.
    OpenForm,
    AlreadyDone,
    NotNow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistAction {
    OpenForm,
    MarkSubmitted,
    MarkConfirmed,
    Reset,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub platform: PlatformId,
    pub name: String,
    pub status: Status,
    pub form_url: String,
    /// ms since the epoch when the status last changed.
    pub changed_at: Option<f64>,
}

/// The parts of `runtime.MessageSender` the background looks at. Filled in by the browser, not the page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sender {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub tab: Option<SenderTab>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SenderTab {
    #[serde(default)]
    pub id: Option<f64>,
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
        Context::MetaPage(classify(url))
    } else {
        return Err("sender is neither an extension page nor a Facebook/Instagram tab".into());
    };
    let allowed = match (context, msg) {
        (Context::MetaPage(_), Message::PageShown | Message::BannerClicked { .. }) => true,
        (Context::ExtensionPage, Message::GetChecklist | Message::ChecklistClicked { .. }) => true,
        _ => false,
    };
    if allowed {
        Ok(context)
    } else {
        Err(format!("{} may not be sent from here", msg.kind()))
    }
}

impl Message {
    /// Decode a message from the wire. Strict: the value must be exactly the canonical JSON of a message
    /// (serde alone would let unit variants such as `page_shown` carry extra fields).
    pub fn decode(value: serde_json::Value) -> Result<Message, String> {
        let msg: Message = serde_json::from_value(value.clone()).map_err(|e| format!("malformed message: {e}"))?;
        match serde_json::to_value(&msg) {
            Ok(canonical) if same(&canonical, &value) => Ok(msg),
            _ => Err(format!("malformed {} message: unexpected fields", msg.kind())),
        }
    }

    /// The wire tag, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::PageShown => "page_shown",
            Message::BannerClicked { .. } => "banner_clicked",
            Message::GetChecklist => "get_checklist",
            Message::ChecklistClicked { .. } => "checklist_clicked",
            Message::ShowBanner { .. } => "show_banner",
            Message::NoBanner => "no_banner",
            Message::Checklist { .. } => "checklist",
            Message::Done => "done",
            Message::Rejected { .. } => "rejected",
        }
    }
}

/// Equal JSON, with numbers compared by value (JS sends `5` where Rust wrote `5.0`).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn wire(m: &Message) -> Value {
        serde_json::to_value(m).unwrap()
    }

    #[test]
    fn json_shapes_are_pinned() {
        // These exact shapes are what extension/content/banner.js and the popup send and read.
        assert_eq!(wire(&Message::PageShown), json!({"type": "page_shown"}));
        assert_eq!(
            wire(&Message::BannerClicked { action: BannerAction::NotNow }),
            json!({"type": "banner_clicked", "action": "not_now"})
        );
        assert_eq!(
            wire(&Message::BannerClicked { action: BannerAction::AlreadyDone }),
            json!({"type": "banner_clicked", "action": "already_done"})
        );
        assert_eq!(
            wire(&Message::BannerClicked { action: BannerAction::OpenForm }),
            json!({"type": "banner_clicked", "action": "open_form"})
        );
        assert_eq!(wire(&Message::GetChecklist), json!({"type": "get_checklist"}));
        assert_eq!(
            wire(&Message::ChecklistClicked { platform: PlatformId::Instagram, action: ChecklistAction::MarkConfirmed }),
            json!({"type": "checklist_clicked", "platform": "instagram", "action": "mark_confirmed"})
        );
        assert_eq!(wire(&Message::NoBanner), json!({"type": "no_banner"}));
        let banner = BannerView {
            platform: PlatformId::Facebook,
            urging: true,
            lang: "de".into(),
            label: "l".into(),
            text: "t".into(),
            link_text: "k".into(),
            link_href: "https://www.facebook.com/help/contact/712876720715583".into(),
            done_text: "d".into(),
            later_text: "n".into(),
        };
        assert_eq!(
            wire(&Message::ShowBanner { banner }),
            json!({"type": "show_banner", "banner": {"platform": "facebook", "urging": true, "lang": "de",
                "label": "l", "text": "t", "link_text": "k",
                "link_href": "https://www.facebook.com/help/contact/712876720715583", "done_text": "d", "later_text": "n"}})
        );
        assert_eq!(
            wire(&Message::Checklist {
                items: vec![ChecklistItem {
                    platform: PlatformId::Facebook,
                    name: "Facebook".into(),
                    status: Status::FormOpened,
                    form_url: "u".into(),
                    changed_at: Some(5.0)
                }],
                read_only: false
            }),
            json!({"type": "checklist", "read_only": false, "items": [{"platform": "facebook", "name": "Facebook",
                "status": "form_opened", "form_url": "u", "changed_at": 5.0}]})
        );
    }

    #[test]
    fn well_formed_messages_decode() {
        assert_eq!(Message::decode(json!({"type": "page_shown"})), Ok(Message::PageShown));
        // JS numbers arrive as integers where Rust wrote floats.
        let from_js = json!({"type": "checklist", "read_only": false, "items": [{"platform": "facebook",
            "name": "Facebook", "status": "submitted", "form_url": "u", "changed_at": 1795000000000u64}]});
        assert!(Message::decode(from_js).is_ok());
        assert_eq!(
            Message::decode(json!({"type": "banner_clicked", "action": "open_form"})),
            Ok(Message::BannerClicked { action: BannerAction::OpenForm })
        );
    }

    #[test]
    fn malformed_messages_are_refused() {
        for bad in [
            json!({}),
            json!({"type": "page_shown", "url": "https://www.facebook.com/"}),
            json!({"type": "banner_clicked"}),
            json!({"type": "banner_clicked", "action": "submit_everything"}),
            json!({"type": "checklist_clicked", "platform": "whatsapp", "action": "reset"}),
            json!({"type": "PageShown"}),
            json!("page_shown"),
            json!(null),
        ] {
            assert!(Message::decode(bad.clone()).is_err(), "{bad}");
        }
    }

    const ID: &str = "iddanobcjbciolaflajffjajfcapogle";
    const BASE: &str = "chrome-extension://iddanobcjbciolaflajffjajfcapogle/";

    fn sender(id: &str, url: &str, tab: bool) -> Sender {
        Sender { id: Some(id.into()), url: Some(url.into()), tab: tab.then(|| SenderTab { id: Some(3.0) }) }
    }

    #[test]
    fn content_scripts_may_only_report_pages_and_clicks() {
        let s = sender(ID, "https://de-de.facebook.com/", true);
        assert_eq!(
            authorize(&Message::PageShown, &s, ID, BASE),
            Ok(Context::MetaPage(Page::Feed(PlatformId::Facebook)))
        );
        assert!(authorize(&Message::BannerClicked { action: BannerAction::NotNow }, &s, ID, BASE).is_ok());
        assert!(authorize(&Message::GetChecklist, &s, ID, BASE).is_err());
        let set = Message::ChecklistClicked { platform: PlatformId::Facebook, action: ChecklistAction::MarkSubmitted };
        assert!(authorize(&set, &s, ID, BASE).is_err(), "a page must not mark anything submitted");
        assert!(authorize(&Message::Done, &s, ID, BASE).is_err());
    }

    #[test]
    fn strangers_and_odd_senders_are_refused() {
        assert!(authorize(&Message::PageShown, &sender("other-extension", "https://www.facebook.com/", true), ID, BASE).is_err());
        assert!(authorize(&Message::PageShown, &sender(ID, "https://evil.example/", true), ID, BASE).is_err());
        assert!(authorize(&Message::PageShown, &sender(ID, "https://www.facebook.com/", false), ID, BASE).is_err());
        assert!(authorize(&Message::PageShown, &Sender::default(), ID, BASE).is_err());
    }

    #[test]
    fn the_popup_may_read_and_change_the_checklist() {
        let popup = sender(ID, &format!("{BASE}popup/popup.html"), false);
        assert_eq!(authorize(&Message::GetChecklist, &popup, ID, BASE), Ok(Context::ExtensionPage));
        let set = Message::ChecklistClicked { platform: PlatformId::Facebook, action: ChecklistAction::Reset };
        assert!(authorize(&set, &popup, ID, BASE).is_ok());
        assert!(authorize(&Message::PageShown, &popup, ID, BASE).is_err());
    }
}

//! The protocol between the contexts, split by direction:
//! - [`Request`]: what the content script and the popup send the background. Decoded only, strictly, then
//!   checked against the sender by [`authorize`];
//! - [`Reply`]: what the background answers. Encoded only.
//!
//! On the wire both are JS objects tagged by `type` (`{"type": "page_shown", "url": "…"}`). Both directions
//! go through serde's derived code (`serde-wasm-bindgen` in the extension, `serde_json` in tests and
//! fuzzing). The JavaScript gets the same types as `extension/protocol.d.ts`, generated from these by a
//! test below, and `tsc --checkJs` holds `banner.js`, `form.js` and `popup.js` to them.
//!
//! The protocol carries the domain's types (panels, checklist actions, platforms); the domain modules do
//! not know it.

use crate::classify::{classify, same_origin, Page};
use crate::panel::{FormSignal, PanelAction, PanelView};
use crate::popup::{ChecklistAction, PopupView};
use crate::rules::PlatformId;
use serde::de::{value::StrDeserializer, Deserializer};
use serde::{Deserialize, Serialize};

// ── requests: content script → background ──
// Each carries `url`, the page's `location.href`: Meta's pages are single-page apps, and after
// `history.pushState` the browser's `sender.url` is still the URL the document was loaded with. The
// background believes it only on the sender's own origin (see [`authorize`]).

/// "This tab is showing this page." No other page data.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageShown {
    pub url: String,
}

/// The user clicked a button of the banner or form helper.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PanelClicked {
    pub url: String,
    pub action: PanelAction,
}

/// The objection form page shows this (only accepted from objection form pages).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FormSignalled {
    pub url: String,
    pub signal: FormSignal,
}

// ── requests: popup → background ──

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GetChecklist {}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ChecklistClicked {
    pub group: String,
    pub platform: PlatformId,
    pub action: ChecklistAction,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GroupAdd {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GroupRemove {
    pub group: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GroupLinked {
    pub group: String,
    pub linked: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GroupActive {
    pub group: String,
}

/// The answer to a group's pending question: the objection sent in Meta's Privacy Center was for `platform`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QuestionAnswered {
    pub group: String,
    pub platform: PlatformId,
}

/// The pending question goes without marking anything.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QuestionDismissed {
    pub group: String,
}

/// Everything a context may ask the background. The `type` tag picks the variant ([`RequestKind`]); the
/// variant's struct holds the other fields.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(tag = "type", rename_all = "snake_case"))]
pub enum Request {
    PageShown(PageShown),
    PanelClicked(PanelClicked),
    FormSignal(FormSignalled),
    GetChecklist(GetChecklist),
    ChecklistClicked(ChecklistClicked),
    GroupAdd(GroupAdd),
    GroupRemove(GroupRemove),
    GroupLinked(GroupLinked),
    GroupActive(GroupActive),
    QuestionAnswered(QuestionAnswered),
    QuestionDismissed(QuestionDismissed),
}

/// The `type` tags of [`Request`], in its order. Read by serde from the tag; the one place they are spelt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    PageShown,
    PanelClicked,
    FormSignal,
    GetChecklist,
    ChecklistClicked,
    GroupAdd,
    GroupRemove,
    GroupLinked,
    GroupActive,
    QuestionAnswered,
    QuestionDismissed,
}

impl RequestKind {
    /// Every tag, as serde spells it.
    pub fn tags() -> &'static [&'static str] {
        serde_aux::serde_introspection::serde_introspect::<RequestKind>()
    }

    /// The wire tag, for logs and refusals.
    pub fn tag(self) -> &'static str {
        Self::tags()[self as usize]
    }

    fn of(tag: &str) -> Option<RequestKind> {
        RequestKind::deserialize(StrDeserializer::<serde::de::value::Error>::new(tag)).ok()
    }
}

/// Only the `type` of a message, whatever else it holds.
#[derive(Deserialize)]
struct Tag {
    #[serde(rename = "type")]
    kind: String,
}

impl Request {
    /// Decode a request, strictly: a known `type`, exactly the fields that type has (no more, none
    /// missing), each of the right type and with a known word where it is an enum. `keys` are the
    /// object's own keys (`None`: not an object); `de` gives a fresh deserializer of the same object.
    ///
    /// The keys are checked here rather than by `#[serde(deny_unknown_fields)]`: serde-wasm-bindgen reads
    /// only the fields a struct declares, so that attribute never sees a JS object's extra keys.
    pub fn decode<'de, D: Deserializer<'de>>(keys: Option<Vec<String>>, de: impl Fn() -> D) -> Result<Request, String> {
        let keys = keys.ok_or("malformed message: not an object")?;
        let tag = Tag::deserialize(de()).map_err(|_| "malformed message: no type")?;
        let kind = RequestKind::of(&tag.kind).ok_or("malformed message: unknown type")?;
        let keys = &keys;
        let de = &de;
        // The fields of `T`, read after checking that the object has no key `T` lacks.
        let read = |fields: &[&str]| -> Result<D, String> {
            match keys.iter().find(|k| *k != "type" && !fields.contains(&k.as_str())) {
                Some(k) => Err(format!("malformed {} message: unknown field `{k}`", kind.tag())),
                None => Ok(de()),
            }
        };
        fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
            serde_aux::serde_introspection::serde_introspect::<T>()
        }
        fn body<'de, T: Deserialize<'de>, D: Deserializer<'de>>(kind: RequestKind, d: D) -> Result<T, String> {
            T::deserialize(d).map_err(|e| format!("malformed {} message: {e}", kind.tag()))
        }
        Ok(match kind {
            RequestKind::PageShown => Request::PageShown(body(kind, read(fields::<PageShown>())?)?),
            RequestKind::PanelClicked => Request::PanelClicked(body(kind, read(fields::<PanelClicked>())?)?),
            RequestKind::FormSignal => Request::FormSignal(body(kind, read(fields::<FormSignalled>())?)?),
            RequestKind::GetChecklist => Request::GetChecklist(body(kind, read(fields::<GetChecklist>())?)?),
            RequestKind::ChecklistClicked => Request::ChecklistClicked(body(kind, read(fields::<ChecklistClicked>())?)?),
            RequestKind::GroupAdd => Request::GroupAdd(body(kind, read(fields::<GroupAdd>())?)?),
            RequestKind::GroupRemove => Request::GroupRemove(body(kind, read(fields::<GroupRemove>())?)?),
            RequestKind::GroupLinked => Request::GroupLinked(body(kind, read(fields::<GroupLinked>())?)?),
            RequestKind::GroupActive => Request::GroupActive(body(kind, read(fields::<GroupActive>())?)?),
            RequestKind::QuestionAnswered => Request::QuestionAnswered(body(kind, read(fields::<QuestionAnswered>())?)?),
            RequestKind::QuestionDismissed => Request::QuestionDismissed(body(kind, read(fields::<QuestionDismissed>())?)?),
        })
    }

    /// Decode from JSON (native tests, fuzzing, tools).
    pub fn from_json(v: &serde_json::Value) -> Result<Request, String> {
        let keys = v.as_object().map(|o| o.keys().cloned().collect());
        Request::decode(keys, || v)
    }

    pub fn kind(&self) -> RequestKind {
        match self {
            Request::PageShown(_) => RequestKind::PageShown,
            Request::PanelClicked(_) => RequestKind::PanelClicked,
            Request::FormSignal(_) => RequestKind::FormSignal,
            Request::GetChecklist(_) => RequestKind::GetChecklist,
            Request::ChecklistClicked(_) => RequestKind::ChecklistClicked,
            Request::GroupAdd(_) => RequestKind::GroupAdd,
            Request::GroupRemove(_) => RequestKind::GroupRemove,
            Request::GroupLinked(_) => RequestKind::GroupLinked,
            Request::GroupActive(_) => RequestKind::GroupActive,
            Request::QuestionAnswered(_) => RequestKind::QuestionAnswered,
            Request::QuestionDismissed(_) => RequestKind::QuestionDismissed,
        }
    }

    /// The request as a context sends it (tests and fuzzing compare it with what arrived).
    pub fn to_json(&self) -> serde_json::Value {
        let body = match self {
            Request::PageShown(m) => serde_json::to_value(m),
            Request::PanelClicked(m) => serde_json::to_value(m),
            Request::FormSignal(m) => serde_json::to_value(m),
            Request::GetChecklist(m) => serde_json::to_value(m),
            Request::ChecklistClicked(m) => serde_json::to_value(m),
            Request::GroupAdd(m) => serde_json::to_value(m),
            Request::GroupRemove(m) => serde_json::to_value(m),
            Request::GroupLinked(m) => serde_json::to_value(m),
            Request::GroupActive(m) => serde_json::to_value(m),
            Request::QuestionAnswered(m) => serde_json::to_value(m),
            Request::QuestionDismissed(m) => serde_json::to_value(m),
        };
        let mut v = body.expect("a request serialises");
        v["type"] = self.kind().tag().into();
        v
    }

    /// The page URL a content-script request claims.
    pub fn page_url(&self) -> Option<&str> {
        match self {
            Request::PageShown(m) => Some(&m.url),
            Request::PanelClicked(m) => Some(&m.url),
            Request::FormSignal(m) => Some(&m.url),
            _ => None,
        }
    }
}

/// What the background answers. Encoded only; nothing ever decodes a reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
// Internally tagged costs nothing when serialising (the tag is one more field); it is deserialising such
// enums that buffers, and replies are never deserialised.
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    // ── to the content script ──
    ShowPanel { panel: PanelView },
    NoPanel,
    // ── to the popup ──
    Checklist { checklist: PopupView },
    // ── to anyone ──
    Done,
    Rejected { reason: String },
}

/// The parts of `runtime.MessageSender` the background looks at. Filled in by the browser, not the page.
/// Its other fields are not read; a field read here with the wrong type refuses the message.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sender {
    pub id: Option<String>,
    pub url: Option<String>,
    pub tab: Option<SenderTab>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SenderTab {
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

/// Check the sender and that this context may send this request. `own_id` is `runtime.id`, `own_base`
/// is `runtime.getURL("")` (`chrome-extension://<id>/` or `moz-extension://<uuid>/`).
pub fn authorize(req: &Request, sender: &Sender, own_id: &str, own_base: &str) -> Result<Context, String> {
    if sender.id.as_deref() != Some(own_id) {
        return Err("sender is not this extension".into());
    }
    let url = sender.url.as_deref().unwrap_or("");
    let context = if !own_base.is_empty() && url.starts_with(own_base) {
        Context::ExtensionPage
    } else if sender.tab.is_some() && classify(url).is_meta() {
        // The page the user now sees: the URL the content script claims, but only on the origin the
        // browser vouches for, so a page can move within its own site and never claim another.
        match req.page_url() {
            Some(claimed) if same_origin(claimed, url) => Context::MetaPage(classify(claimed)),
            Some(_) => return Err("url is not on the sender's origin".into()),
            None => Context::MetaPage(classify(url)),
        }
    } else {
        return Err("sender is neither an extension page nor a tab of one of Meta's sites".into());
    };
    let allowed = match (context, req) {
        (Context::MetaPage(_), Request::PageShown(_)) => true,
        // The answer to "which account was it for?" only from Meta's Privacy Center flow, which asks it.
        (Context::MetaPage(page), Request::PanelClicked(m)) => m.action.answer().is_none() || page == Page::PrivacyFlow,
        // Only the objection form page itself (or Meta's Privacy Center flow) may say what it shows.
        (Context::MetaPage(Page::ObjectionForm { .. } | Page::PrivacyFlow), Request::FormSignal(_)) => true,
        (
            Context::ExtensionPage,
            Request::GetChecklist(_)
            | Request::ChecklistClicked(_)
            | Request::GroupAdd(_)
            | Request::GroupRemove(_)
            | Request::GroupLinked(_)
            | Request::GroupActive(_)
            | Request::QuestionAnswered(_)
            | Request::QuestionDismissed(_),
        ) => true,
        _ => false,
    };
    if allowed {
        Ok(context)
    } else {
        Err(format!("{} may not be sent from here", req.kind().tag()))
    }
}

#[cfg(test)]
mod tests;

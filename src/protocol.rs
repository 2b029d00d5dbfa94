//! The protocol between the contexts, split by direction:
//! - [`Request`]: what the content script and the popup send the background. Decoded only, strictly, then
//!   checked against the sender by [`authorize`];
//! - [`Reply`]: what the background answers. Encoded only.
//!
//! On the wire both are JS objects tagged by `type` (`{"type": "page_shown", "url": "…"}`). Both directions
//! go through serde's derived code (`serde-wasm-bindgen` in the extension, `serde_json` in tests and
//! fuzzing). The JavaScript gets the same types as `extension/protocol.d.ts`, generated from these by a
//! test below, and `tsc --checkJs` (strict) holds every extension script to them. The requests are one
//! table, `requests!` below: a new message is its payload struct, its row there and its handling.
//!
//! The protocol carries the domain's types (panels, checklist actions, platforms); the domain modules do
//! not know it.

use crate::classify::{classify, same_origin, Page};
use crate::panel::{FormSignal, PanelAction, PanelView};
use crate::popup::{ChecklistAction, PopupView, ServiceAction};
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

/// A service's setting page reports what its control reads (`content/setting.js`): `missing` when no
/// control matching the rules' labels was found once the page was quiet. Only accepted from the page of
/// one of the service's items, and only counted for a setting there.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SettingSeen {
    pub url: String,
    pub state: SeenState,
}

/// What `content/setting.js` read from the control's role and state (never from class names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SeenState {
    On,
    Off,
    /// No control matching the labels on this page.
    Missing,
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

/// The user switched a service on or off in the popup (Meta is always on).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServiceChosen {
    pub service: String,
    pub chosen: bool,
}

/// A button of a service's item in the popup.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ItemClicked {
    pub service: String,
    pub item: String,
    pub action: ServiceAction,
}

/// Every request, in one table: the variant of [`Request`], its wire tag, its payload struct, and which
/// contexts may send it (a pattern on [`Context`], optionally with a condition on the payload `|m|`).
/// Adding a message is one row here, besides its payload struct above and its handling in `handler.rs`:
/// the macro derives [`Request`], [`RequestKind`] with serde's tags, the TypeScript tags, and the four
/// matches (decode, kind, to_json, authorize), so none of them can miss a variant or spell a tag twice.
macro_rules! requests {
    ($(
        $variant:ident($payload:ident) = $tag:tt, from $ctx:pat $(if |$m:ident| $guard:expr)?,
    )*) => {
        /// Everything a context may ask the background. The `type` tag picks the variant ([`RequestKind`]);
        /// the variant's struct holds the other fields. Generated by `requests!`.
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(test, derive(ts_rs::TS), ts(tag = "type"))]
        pub enum Request {
            $( #[cfg_attr(test, ts(rename = $tag))] $variant($payload), )*
        }

        /// The `type` tags of [`Request`], in its order, spelt once (in `requests!`). serde deserialises
        /// only this tag by name, then the variant's plain struct: an internally tagged `Deserialize` of
        /// `Request` would buffer the object (`Content`), which was a third of an early core.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
        pub enum RequestKind {
            $( #[serde(rename = $tag)] $variant, )*
        }

        impl Request {
            /// The variant's struct, read after `read` has checked the object's keys against its fields.
            fn decode_kind<'de, D: Deserializer<'de>>(kind: RequestKind, read: impl Fn(&[&str]) -> Result<D, String>) -> Result<Request, String> {
                fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
                    serde_aux::serde_introspection::serde_introspect::<T>()
                }
                fn body<'de, T: Deserialize<'de>, D: Deserializer<'de>>(kind: RequestKind, d: D) -> Result<T, String> {
                    T::deserialize(d).map_err(|e| format!("malformed {} message: {e}", kind.tag()))
                }
                Ok(match kind {
                    $( RequestKind::$variant => Request::$variant(body(kind, read(fields::<$payload>())?)?), )*
                })
            }

            pub fn kind(&self) -> RequestKind {
                match self {
                    $( Request::$variant(_) => RequestKind::$variant, )*
                }
            }

            /// The request as a context sends it (tests and fuzzing compare it with what arrived).
            pub fn to_json(&self) -> serde_json::Value {
                let body = match self {
                    $( Request::$variant(m) => serde_json::to_value(m), )*
                };
                let mut v = body.expect("a request serialises");
                v["type"] = self.kind().tag().into();
                v
            }

            /// Whether `context` may send this request: the table's `from` column.
            // A row without a condition leaves `payload` unused; one with a condition returns before `true`.
            #[allow(unused_variables, unreachable_code)]
            fn allowed_from(&self, context: Context) -> bool {
                match (context, self) {
                    $( ($ctx, Request::$variant(payload)) => { $( let $m = payload; return $guard; )? true } )*
                    _ => false,
                }
            }
        }
    };
}

requests! {
    PageShown(PageShown) = "page_shown", from Context::MetaPage(_) | Context::ServicePage(..),
    // The answer to "which account was it for?" only from Meta's Privacy Center flow, which asks it;
    // "it is off" only from a service item's own page (the handler checks that it is a setting's).
    PanelClicked(PanelClicked) = "panel_clicked",
        from context @ (Context::MetaPage(_) | Context::ServicePage(..)) if |m| match m.action {
            PanelAction::ConfirmOff => matches!(context, Context::ServicePage(_, ServicePage::Item(_))),
            action => action.answer().is_none() || context == Context::MetaPage(Page::PrivacyFlow),
        },
    // Only the objection form page itself (or Meta's Privacy Center flow) may say what it shows.
    FormSignal(FormSignalled) = "form_signal", from Context::MetaPage(Page::ObjectionForm { .. } | Page::PrivacyFlow),
    GetChecklist(GetChecklist) = "get_checklist", from Context::ExtensionPage,
    ChecklistClicked(ChecklistClicked) = "checklist_clicked", from Context::ExtensionPage,
    GroupAdd(GroupAdd) = "group_add", from Context::ExtensionPage,
    GroupRemove(GroupRemove) = "group_remove", from Context::ExtensionPage,
    GroupLinked(GroupLinked) = "group_linked", from Context::ExtensionPage,
    GroupActive(GroupActive) = "group_active", from Context::ExtensionPage,
    QuestionAnswered(QuestionAnswered) = "question_answered", from Context::ExtensionPage,
    QuestionDismissed(QuestionDismissed) = "question_dismissed", from Context::ExtensionPage,
    // What a control reads, only from the page of one of the service's items.
    SettingSeen(SettingSeen) = "setting_seen", from Context::ServicePage(_, ServicePage::Item(_)),
    ServiceChosen(ServiceChosen) = "service_chosen", from Context::ExtensionPage,
    ItemClicked(ItemClicked) = "item_clicked", from Context::ExtensionPage,
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
        Request::decode_kind(kind, read)
    }

    /// Decode from JSON (native tests, fuzzing, tools).
    pub fn from_json(v: &serde_json::Value) -> Result<Request, String> {
        let keys = v.as_object().map(|o| o.keys().cloned().collect());
        Request::decode(keys, || v)
    }

    /// The page URL a content-script request claims.
    pub fn page_url(&self) -> Option<&str> {
        match self {
            Request::PageShown(m) => Some(&m.url),
            Request::PanelClicked(m) => Some(&m.url),
            Request::FormSignal(m) => Some(&m.url),
            Request::SettingSeen(m) => Some(&m.url),
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
    /// Our content script in a tab showing a page of this service (its id, as in the rules). Whether the
    /// user chose the service is the handler's check (it sees storage): a page of a service not chosen
    /// is refused there.
    ServicePage(&'static str, ServicePage),
    /// One of the extension's own pages (the popup).
    ExtensionPage,
}

/// Which page of a service a URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServicePage {
    /// Where the banner belongs (not one of `not_feed_paths`, not an item's page).
    Feed,
    /// The page of this item (its id, as in the rules).
    Item(&'static str),
    /// Another page of the service: nothing is shown.
    Other,
}

/// The service and page of an https URL on one of a service's hosts; `None` for anything else.
pub fn service_page(url: &str) -> Option<(&'static str, ServicePage)> {
    use crate::classify::{classify_service, ServicePageKind};
    let page = classify_service(url)?;
    Some((
        page.service,
        match page.kind {
            ServicePageKind::Feed => ServicePage::Feed,
            ServicePageKind::Item(item) => ServicePage::Item(item),
            ServicePageKind::Other => ServicePage::Other,
        },
    ))
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
    } else if let Some((service, page)) = sender.tab.as_ref().and_then(|_| service_page(url)) {
        // The same rule as on Meta's sites; the claimed page must be of the same service.
        match req.page_url() {
            Some(claimed) if same_origin(claimed, url) => match service_page(claimed) {
                Some((s, page)) if s == service => Context::ServicePage(s, page),
                _ => return Err("url is not on the sender's origin".into()),
            },
            Some(_) => return Err("url is not on the sender's origin".into()),
            None => Context::ServicePage(service, page),
        }
    } else {
        return Err("sender is neither an extension page nor a tab of one of Meta's sites or a service's".into());
    };
    let allowed = req.allowed_from(context);
    if allowed {
        Ok(context)
    } else {
        Err(format!("{} may not be sent from here", req.kind().tag()))
    }
}

#[cfg(test)]
mod tests;

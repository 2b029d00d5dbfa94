//! The background context (Chromium service worker, Firefox event page): checks every request, runs the
//! pure handler, writes storage and keeps the badge right.

use super::browser::{self, to_js, I18n};
use crate::handler::{handle_granted, wanted_scripts, Answer, Stored};
use crate::panel::Localize;
use crate::popup::popup_view;
use crate::protocol::{authorize, Context, Reply, Request, Sender};
use crate::rules::rules;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Warnings already printed by this worker, so a bad value or a hostile page is logged once, not per message.
    static WARNED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn warn_once(text: &str) {
    let first = WARNED.with(|w| {
        let mut w = w.borrow_mut();
        let new = !w.iter().any(|x| x == text);
        if new {
            w.push(text.to_string());
        }
        new
    });
    if first {
        gloo_console::warn!(format!("Widerspruch: {text}"));
    }
}

/// Runs on every start of the worker or event page: the badge is recomputed from storage, so it is right
/// after a browser start, an update, or the worker being stopped; the services' content scripts are made
/// what the stored choice and the granted hosts say (a grant may have changed while we were stopped).
#[wasm_bindgen]
pub async fn background_start() {
    if let Err(e) = refresh_badge().await {
        warn_once(&e);
    }
    if let Err(e) = sync_services().await {
        warn_once(&e);
    }
}

/// Registers the content scripts of every chosen service whose hosts are all granted, and unregisters the
/// others. `background.js` calls it on `permissions.onAdded`/`onRemoved`; the core after `service_chosen`
/// and on every start.
#[wasm_bindgen]
pub async fn sync_services() -> Result<(), String> {
    let stored = read_stored().await?;
    sync_with(&stored).await
}

async fn sync_with(stored: &Stored) -> Result<(), String> {
    let granted = browser::granted_origins().await?;
    let wanted: Vec<browser::WantedScript> =
        wanted_scripts(stored, &granted).into_iter().map(|(id, matches)| browser::WantedScript { id, matches }).collect();
    browser::sync_content_scripts(&wanted).await
}

async fn read_stored() -> Result<Stored, String> {
    let all = browser::storage_get_all().await?;
    let stored = Stored::from_storage(serde_wasm_bindgen::Deserializer::from(all));
    for w in stored.warnings() {
        warn_once(&w);
    }
    Ok(stored)
}

async fn refresh_badge() -> Result<(), String> {
    show_badge(&read_stored().await?).await
}

async fn show_badge(stored: &Stored) -> Result<(), String> {
    let b = stored.badge();
    let title = if b.open == 0 { I18n.text("badge_title_done", &[]) } else { I18n.text("badge_title_open", &[b.open.to_string()]) };
    browser::set_badge(&b.text, b.color, &title).await
}

/// Answer one message. Never throws: problems become a `rejected` reply and one console warning.
#[wasm_bindgen]
pub async fn handle_message(msg: JsValue, sender: JsValue) -> JsValue {
    let reply = match respond(msg, sender).await {
        Ok(r) => r,
        Err(reason) => {
            warn_once(&format!("message refused: {reason}"));
            Reply::Rejected { reason }
        }
    };
    to_js(&reply).unwrap_or_else(|e| JsValue::from_str(&e))
}

/// The request in a JS value: its own keys (so extra ones are refused) and a deserializer for its fields.
fn decode_request(msg: &JsValue) -> Result<Request, String> {
    // Only plain objects: no arrays, functions or strings.
    let keys = (msg.is_object() && !js_sys::Array::is_array(msg) && !msg.is_function())
        .then(|| js_sys::Object::keys(msg.unchecked_ref::<js_sys::Object>()).iter().filter_map(|k| k.as_string()).collect());
    Request::decode(keys, || serde_wasm_bindgen::Deserializer::from(msg.clone()))
}

async fn respond(msg: JsValue, sender: JsValue) -> Result<Reply, String> {
    let req = decode_request(&msg)?;
    let sender: Sender = serde_wasm_bindgen::from_value(sender).map_err(|e| format!("odd sender: {e}"))?;
    let context = authorize(&req, &sender, &browser::extension_id(), &browser::extension_base())?;
    let stored = read_stored().await?;
    // The popup shows per service whether its hosts are granted; the pages need not ask.
    let granted = if context == Context::ExtensionPage { browser::granted_origins().await? } else { Vec::new() };
    let out = handle_granted(rules(), &req, context, &stored, js_sys::Date::now(), &I18n.lang(), &granted);
    if !out.writes.is_empty() || !out.removals.is_empty() {
        // One key per platform and group: a write never touches another tab's platform.
        if !out.writes.is_empty() {
            browser::storage_set(&out.writes).await?;
        }
        if !out.removals.is_empty() {
            browser::storage_remove(&out.removals).await?;
        }
        show_badge(&out.stored).await?;
    }
    if matches!(req, Request::ServiceChosen(_)) {
        // After the choice is stored: a grant in the same click may already have arrived (or arrives later,
        // and permissions.onAdded syncs again).
        if let Err(e) = sync_with(&out.stored).await {
            warn_once(&e);
        }
    }
    Ok(match out.reply {
        Answer::Panel(Some(plan)) => Reply::ShowPanel { panel: plan.render(rules(), &I18n) },
        Answer::Panel(None) => Reply::NoPanel,
        Answer::ServicePanel(plan) => Reply::ShowPanel { panel: plan.render(&I18n) },
        Answer::Checklist(checklist) => Reply::Checklist { checklist: popup_view(rules(), &checklist, &I18n) },
        Answer::Done => Reply::Done,
        Answer::Rejected(reason) => return Err(reason),
    })
}

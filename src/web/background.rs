//! The background context (Chromium service worker, Firefox event page): checks every message, runs the
//! pure handler, writes storage and keeps the badge right.

use super::browser::{self, from_js, to_js, I18n};
use crate::json::ToJson;
use crate::panel::Localize;
use crate::handler::{handle, Reply, Stored};
use crate::messages::{authorize, Message, Sender};
use crate::popup::popup_view;
use crate::rules::rules;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Warnings already printed by this worker, so a bad value or a hostile page is logged once, not per message.
    static WARNED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn warn_once(text: &str) {
    // A short list (a few storage keys and reasons): a Vec is smaller in the WebAssembly than a set.
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
/// after a browser start, an update, or the worker being stopped.
#[wasm_bindgen]
pub async fn background_start() {
    if let Err(e) = refresh_badge().await {
        warn_once(&e);
    }
}

async fn read_stored() -> Result<Stored, String> {
    let stored = Stored::from_storage(&browser::storage_get_all().await?);
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
        Ok(m) => m,
        Err(reason) => {
            warn_once(&format!("message refused: {reason}"));
            Message::Rejected { reason }
        }
    };
    to_js(&reply.to_json())
}

async fn respond(msg: JsValue, sender: JsValue) -> Result<Message, String> {
    let msg = Message::decode(from_js(msg))?;
    let sender = Sender::from_json(&from_js(sender))?;
    let context = authorize(&msg, &sender, &browser::extension_id(), &browser::extension_base())?;
    let stored = read_stored().await?;
    let out = handle(rules(), &msg, context, &stored, js_sys::Date::now(), &I18n.lang());
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
    Ok(match out.reply {
        Reply::Panel(Some(plan)) => Message::ShowPanel { panel: plan.render(rules(), &I18n) },
        Reply::Panel(None) => Message::NoPanel,
        Reply::Checklist(checklist) => Message::Checklist { checklist: popup_view(rules(), &checklist, &I18n) },
        Reply::Done => Message::Done,
        Reply::Rejected(reason) => return Err(reason),
    })
}

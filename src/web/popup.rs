//! The popup: the checklist, rendered with web-sys from what the background answers. It never writes
//! storage itself; every change is a message to the background, which owns progress and the badge.

use super::browser::{self, I18n};
use crate::banner::Localize;
use crate::messages::{ChecklistAction, ChecklistItem, Message};
use crate::progress::Status;
use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Document, Element};

fn t(key: &str) -> String {
    I18n.text(key, &[])
}

fn el(doc: &Document, tag: &str, attrs: &[(&str, &str)], text: Option<&str>) -> Element {
    let e = doc.create_element(tag).expect("valid tag");
    for (k, v) in attrs {
        e.set_attribute(k, v).expect("valid attribute");
    }
    if let Some(text) = text {
        e.set_text_content(Some(text));
    }
    e
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::NotStarted => "not_started",
        Status::FormOpened => "form_opened",
        Status::Submitted => "submitted",
        Status::Confirmed => "confirmed",
    }
}

fn action_word(a: ChecklistAction) -> &'static str {
    match a {
        ChecklistAction::OpenForm => "open_form",
        ChecklistAction::MarkSubmitted => "mark_submitted",
        ChecklistAction::MarkConfirmed => "mark_confirmed",
        ChecklistAction::Reset => "reset",
    }
}

/// The buttons that make sense in each state.
fn actions_for(s: Status) -> &'static [ChecklistAction] {
    use ChecklistAction::*;
    match s {
        Status::NotStarted => &[MarkSubmitted],
        Status::FormOpened => &[MarkSubmitted, Reset],
        Status::Submitted => &[MarkConfirmed, Reset],
        Status::Confirmed => &[Reset],
    }
}

#[wasm_bindgen]
pub async fn popup_main() {
    let doc = web_sys::window().and_then(|w| w.document()).expect("the popup has a document");
    let root = doc.get_element_by_id("app").expect("popup.html has #app");
    doc.document_element().map(|h| h.set_attribute("lang", &I18n.lang()));
    doc.set_title(&t("popup_title"));
    root.append_child(&el(&doc, "h1", &[], Some(&t("popup_title")))).unwrap();
    let summary = el(&doc, "p", &[("id", "summary"), ("role", "status")], None);
    root.append_child(&summary).unwrap();
    let list = el(&doc, "ul", &[("id", "checklist")], None);
    root.append_child(&list).unwrap();
    root.append_child(&el(&doc, "p", &[("class", "note")], Some(&t("popup_scope")))).unwrap();
    root.append_child(&el(&doc, "p", &[("class", "note")], Some(&t("popup_future")))).unwrap();

    // One delegated listener for every button and link in the list.
    let on_click = EventListener::new(&list, "click", move |event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Some(control) = target.closest("[data-action]").ok().flatten() else { return };
        let Some(item) = control.closest("li[data-platform]").ok().flatten() else { return };
        let action = control.get_attribute("data-action").unwrap_or_default();
        let platform = item.get_attribute("data-platform").unwrap_or_default();
        let msg = serde_json::json!({"type": "checklist_clicked", "platform": platform, "action": action});
        // Validate through the shared enum, so the popup can only send what the background accepts.
        let Ok(msg) = Message::decode(msg) else { return };
        spawn_local(async move { request(msg).await });
    });
    on_click.forget();
    request(Message::GetChecklist).await;
}

async fn request(msg: Message) {
    let answer = browser::send_message(&msg).await.and_then(Message::decode);
    let doc = web_sys::window().and_then(|w| w.document()).expect("document");
    match answer {
        Ok(Message::Checklist { items, read_only }) => render(&doc, &items, read_only),
        Ok(Message::Rejected { reason }) if reason.contains("newer version") => show_summary(&doc, &t("popup_read_only")),
        other => {
            gloo_console::warn!(format!("Widerspruch popup: unexpected answer {other:?}"));
            show_summary(&doc, &t("popup_error"));
        }
    }
}

fn show_summary(doc: &Document, text: &str) {
    if let Some(s) = doc.get_element_by_id("summary") {
        s.set_text_content(Some(text));
    }
}

fn render(doc: &Document, items: &[ChecklistItem], read_only: bool) {
    let list = doc.get_element_by_id("checklist").expect("#checklist");
    list.set_text_content(None);
    for item in items {
        list.append_child(&render_item(doc, item, read_only)).unwrap();
    }
    let open = items.iter().filter(|i| !i.status.is_protected()).count();
    let summary = if open == 0 { t("popup_summary_done") } else { I18n.text("popup_summary_open", &[open.to_string()]) };
    show_summary(doc, &if read_only { format!("{summary} {}", t("popup_read_only")) } else { summary });
    list.set_attribute("data-ready", "true").unwrap();
}

fn render_item(doc: &Document, item: &ChecklistItem, read_only: bool) -> Element {
    let state = status_word(item.status);
    let li = el(doc, "li", &[("data-platform", item.platform.as_str()), ("data-state", state)], None);
    let head = el(doc, "div", &[("class", "head")], None);
    head.append_child(&el(doc, "span", &[("class", "name")], Some(&item.name))).unwrap();
    head.append_child(&el(doc, "span", &[("class", "state")], Some(&t(&format!("status_{state}"))))).unwrap();
    li.append_child(&head).unwrap();
    if read_only {
        return li;
    }
    let actions = el(doc, "div", &[("class", "actions")], None);
    if !item.status.is_protected() {
        let link = el(
            doc,
            "a",
            &[("href", &item.form_url), ("target", "_blank"), ("rel", "noopener noreferrer"), ("data-role", "form-link"), ("data-action", "open_form")],
            Some(&t("action_open_form")),
        );
        actions.append_child(&link).unwrap();
    }
    for a in actions_for(item.status) {
        let word = action_word(*a);
        let b = el(doc, "button", &[("type", "button"), ("data-action", word)], Some(&t(&format!("action_{word}"))));
        // Screen readers hear which platform a button belongs to.
        b.set_attribute("aria-label", &format!("{}: {}", item.name, t(&format!("action_{word}")))).unwrap();
        actions.append_child(&b).unwrap();
    }
    li.append_child(&actions).unwrap();
    li
}

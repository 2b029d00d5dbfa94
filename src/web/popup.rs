//! The popup: the checklist per account group, rendered with web-sys from what the background answers.
//! It never writes storage itself; every change is a message to the background, which owns progress and
//! the badge, and answers with the checklist as it now is.

use super::browser::{self, I18n};
use crate::json::{object, ToJson};
use crate::messages::{ChecklistAction, ChecklistItem, ChecklistView, GroupView, Message};
use crate::panel::{timing, Localize};
use crate::progress::{Status, MAIN_GROUP, MAX_GROUP_NAME};
use crate::rules::rules;
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

fn t(key: &str) -> String {
    I18n.text(key, &[])
}

fn doc() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("the popup has a document")
}

/// Append a new element to `parent`.
fn add(parent: &Element, tag: &str, attrs: &[(&str, &str)], text: Option<&str>) -> Element {
    let e = doc().create_element(tag).expect("valid tag");
    for (k, v) in attrs {
        e.set_attribute(k, v).expect("valid attribute");
    }
    if let Some(text) = text {
        e.set_text_content(Some(text));
    }
    parent.append_child(&e).expect("append");
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

/// `first` is the answer to `get_checklist`, requested by popup.js while the core was loading.
#[wasm_bindgen]
pub async fn popup_main(first: js_sys::Promise) {
    let d = doc();
    let app = d.get_element_by_id("app").expect("popup.html has #app");
    if let Some(html) = d.document_element() {
        let _ = html.set_attribute("lang", &I18n.lang());
    }
    d.set_title(&t("popup_title"));
    // Listeners on #app survive re-rendering of its content.
    EventListener::new(&app, "click", |e| on_click(e)).forget();
    EventListener::new(&app, "change", |e| on_change(e)).forget();
    EventListener::new_with_options(&app, "submit", EventListenerOptions::enable_prevent_default(), |e| {
        e.prevent_default();
        on_submit();
    })
    .forget();
    let answer = wasm_bindgen_futures::JsFuture::from(first).await.map(browser::from_js);
    show_answer(answer.map_err(|_| "runtime.sendMessage failed".to_string()).and_then(Message::decode));
}

fn data(el: &Element, name: &str) -> Option<String> {
    el.closest(&format!("[data-{name}]")).ok().flatten().and_then(|e| e.get_attribute(&format!("data-{name}")))
}

fn target(e: &web_sys::Event) -> Option<Element> {
    e.target().and_then(|t| t.dyn_into::<Element>().ok())
}

fn on_click(e: &web_sys::Event) {
    let Some(el) = target(e) else { return };
    let Some(control) = el.closest("button[data-action], a[data-action]").ok().flatten() else { return };
    let action = control.get_attribute("data-action").unwrap_or_default();
    let group = data(&control, "group").unwrap_or_default();
    let msg = match action.as_str() {
        "group_remove" => object(&mut [("type", word("group_remove")), ("group", group.to_json())]),
        _ => {
            let platform = data(&control, "platform").unwrap_or_default();
            object(&mut [("type", word("checklist_clicked")), ("group", group.to_json()), ("platform", platform.to_json()), ("action", action.to_json())])
        }
    };
    send(msg);
}

fn on_change(e: &web_sys::Event) {
    let Some(input) = target(e).and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
    let group = data(&input, "group").unwrap_or_default();
    let msg = match input.get_attribute("data-action").as_deref() {
        Some("group_linked") => object(&mut [("type", word("group_linked")), ("group", group.to_json()), ("linked", input.checked().to_json())]),
        Some("group_active") if input.checked() => object(&mut [("type", word("group_active")), ("group", group.to_json())]),
        _ => return,
    };
    send(msg);
}

fn on_submit() {
    let Some(input) = doc().get_element_by_id("group-name").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) else { return };
    let name = input.value();
    if !name.trim().is_empty() {
        send(object(&mut [("type", word("group_add")), ("name", name.to_json())]));
    }
}

fn word(w: &str) -> serde_json::Value {
    serde_json::Value::String(w.to_string())
}

/// Validate through the shared enum, so the popup only ever sends what the background accepts.
fn send(msg: serde_json::Value) {
    match Message::decode(msg) {
        Ok(msg) => spawn_local(request(msg)),
        Err(e) => gloo_console::warn!(format!("Widerspruch popup: {e}")),
    }
}

async fn request(msg: Message) {
    show_answer(browser::send_message(&msg.to_json()).await.and_then(Message::decode));
}

fn show_answer(answer: Result<Message, String>) {
    match answer {
        Ok(Message::Checklist { checklist }) => render(&checklist),
        Ok(Message::Rejected { reason }) if reason.as_bytes().windows(13).any(|w| w == b"newer version") => show_summary(&t("popup_read_only")),
        other => {
            let what = match &other {
                Ok(m) => m.kind().to_string(),
                Err(e) => e.clone(),
            };
            gloo_console::warn!(format!("Widerspruch popup: unexpected answer: {what}"));
            show_summary(&t("popup_error"));
        }
    }
}

fn show_summary(text: &str) {
    if let Some(s) = doc().get_element_by_id("summary") {
        s.set_text_content(Some(text));
    }
}

/// A stable name for a control, so keyboard focus survives re-rendering.
fn focus_key(el: &Element) -> Option<String> {
    el.get_attribute("data-action").map(|a| format!("{}|{}|{a}", data(el, "group").unwrap_or_default(), data(el, "platform").unwrap_or_default()))
}

fn render(c: &ChecklistView) {
    let d = doc();
    let app = d.get_element_by_id("app").expect("#app");
    let focused = d.active_element().and_then(|e| focus_key(&e));
    app.set_text_content(None);

    add(&app, "h1", &[], Some(&t("popup_title")));
    let summary = if c.open == 0 { t("popup_summary_done") } else { I18n.text("popup_summary_open", &[c.open.to_string()]) };
    let summary = if c.read_only { format!("{summary} {}", t("popup_read_only")) } else { summary };
    add(&app, "p", &[("id", "summary"), ("role", "status")], Some(&summary));
    add(&app, "p", &[("class", "note")], Some(&I18n.resolve(&timing(rules(), c.now))));

    for g in &c.groups {
        render_group(&app, g, c.groups.len() > 1, c.read_only);
    }

    if !c.read_only {
        add(&app, "p", &[("class", "note")], Some(&t("groups_hint")));
        let form = add(&app, "form", &[("id", "add-group")], None);
        add(&form, "label", &[("for", "group-name")], Some(&t("group_add_label")));
        let row = add(&form, "div", &[("class", "actions")], None);
        add(&row, "input", &[("id", "group-name"), ("type", "text"), ("maxlength", &MAX_GROUP_NAME.to_string()), ("autocomplete", "off")], None);
        add(&row, "button", &[("type", "submit")], Some(&t("group_add_button")));
    }

    add(&app, "p", &[("class", "note")], Some(&t("popup_scope")));
    let who = add(&app, "section", &[("class", "who-else"), ("aria-labelledby", "who-else-title")], None);
    add(&who, "h2", &[("id", "who-else-title")], Some(&t("who_else_title")));
    let p = add(&who, "p", &[], Some(&t("who_else_third_party")));
    p.append_child(&d.create_text_node(" ")).unwrap();
    add(&p, "a", &[("href", &c.third_party_form), ("target", "_blank"), ("rel", "noopener noreferrer")], Some(&t("who_else_third_party_link")));
    add(&who, "p", &[], Some(&t("who_else_pages")));
    add(&who, "p", &[], Some(&t("who_else_whatsapp")));

    if let Some(list) = d.get_element_by_id("checklist") {
        list.set_attribute("data-ready", "true").unwrap();
    }
    if let Some(key) = focused {
        let all = d.query_selector_all("[data-action]").expect("selector");
        for i in 0..all.length() {
            if let Some(el) = all.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
                if focus_key(&el).as_deref() == Some(key.as_str()) {
                    let _ = el.focus();
                    break;
                }
            }
        }
    }
}

fn render_group(app: &Element, g: &GroupView, several: bool, read_only: bool) {
    let title_id = format!("group-{}", g.id);
    let section = add(app, "section", &[("class", "group"), ("data-group", &g.id), ("aria-labelledby", &title_id)], None);
    let name = if g.id == MAIN_GROUP && g.name.is_empty() { t("group_main_name") } else { g.name.clone() };
    add(&section, "h2", &[("id", &title_id)], Some(&name));
    if !read_only {
        let options = add(&section, "div", &[("class", "options")], None);
        if several {
            let label = add(&options, "label", &[], None);
            let radio = add(&label, "input", &[("type", "radio"), ("name", "active-group"), ("data-action", "group_active")], None);
            radio.dyn_ref::<HtmlInputElement>().unwrap().set_checked(g.active);
            label.append_child(&doc().create_text_node(&format!(" {}", t("group_active")))).unwrap();
        }
        let label = add(&options, "label", &[], None);
        let check = add(&label, "input", &[("type", "checkbox"), ("data-action", "group_linked")], None);
        check.dyn_ref::<HtmlInputElement>().unwrap().set_checked(g.linked);
        label.append_child(&doc().create_text_node(&format!(" {}", t("group_linked")))).unwrap();
    }
    let list_attrs: &[(&str, &str)] = if g.id == MAIN_GROUP { &[("id", "checklist"), ("class", "checklist")] } else { &[("class", "checklist")] };
    let list = add(&section, "ul", list_attrs, None);
    for item in &g.items {
        render_item(&list, item, &name, read_only);
    }
    if g.id != MAIN_GROUP && !read_only {
        let b = add(&section, "button", &[("type", "button"), ("data-action", "group_remove")], Some(&t("group_remove")));
        b.set_attribute("aria-label", &format!("{}: {name}", t("group_remove"))).unwrap();
    }
}

fn render_item(list: &Element, item: &ChecklistItem, group_name: &str, read_only: bool) {
    let state = status_word(item.status);
    let li = add(list, "li", &[("data-platform", item.platform.as_str()), ("data-state", state)], None);
    let head = add(&li, "div", &[("class", "head")], None);
    add(&head, "span", &[("class", "name")], Some(&item.name));
    add(&head, "span", &[("class", "state")], Some(&t(&format!("status_{state}"))));
    if item.covered {
        li.set_attribute("data-covered", "true").unwrap();
        add(&li, "p", &[("class", "note")], Some(&t("covered")));
        return;
    }
    if item.remind {
        add(&li, "p", &[("class", "remind")], Some(&t("remind_text")));
    }
    if read_only {
        return;
    }
    let actions = add(&li, "div", &[("class", "actions")], None);
    if !item.status.is_protected() {
        add(
            &actions,
            "a",
            &[("href", &item.form_url), ("target", "_blank"), ("rel", "noopener noreferrer"), ("data-role", "form-link"), ("data-action", "open_form")],
            Some(&t("action_open_form")),
        );
    }
    for a in actions_for(item.status) {
        let word = action_word(*a);
        let text = t(&format!("action_{word}"));
        let b = add(&actions, "button", &[("type", "button"), ("data-action", word)], Some(&text));
        // Screen readers hear which group and platform a button belongs to.
        b.set_attribute("aria-label", &format!("{} ({group_name}): {text}", item.name)).unwrap();
    }
}

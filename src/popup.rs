//! What the toolbar popup says: the checklist per account group, with every text resolved. The background
//! renders it from the handler's [`ChecklistView`] and sends it; `extension/popup/popup.js` only builds
//! elements from it, like the content script does with a [`PanelView`](crate::panel::PanelView). So the
//! popup needs no WebAssembly and paints as soon as the answer is there.

use crate::panel::{timing, LinkView, Localize};
use crate::progress::{SettingState, Status, MAIN_GROUP, MAX_GROUP_NAME};
use crate::rules::{PlatformId, Rules};
use serde::{Deserialize, Serialize};

/// What the popup's buttons ask for, per platform and account group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChecklistAction {
    OpenForm,
    MarkSubmitted,
    MarkConfirmed,
    Reset,
}

/// What the popup's buttons ask for, per item of a service other than Meta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ServiceAction {
    /// Followed the item's link (an objection request: "form opened").
    Open,
    /// An objection request: the user sent it.
    MarkSubmitted,
    /// An objection request: the service confirmed it.
    MarkConfirmed,
    /// A setting whose control cannot be read (`find: ask`): the user says it is off.
    ConfirmOff,
    /// Back to the start (a setting: not checked).
    Reset,
}

/// The checklist as the handler decides it; [`popup_view`] turns it into the texts the popup shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistView {
    pub groups: Vec<GroupView>,
    /// Stored data came from a newer Widerspruch: shown, never changed.
    pub read_only: bool,
    /// ms since the epoch: today, for the sentence on what an objection can still do.
    pub now: f64,
    pub third_party_form: String,
    pub open: usize,
    /// Meta first, then every service of the rules (chosen or not), in the rules' order.
    pub services: Vec<ServiceEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupView {
    pub id: String,
    pub name: String,
    pub linked: bool,
    pub active: bool,
    pub items: Vec<ChecklistItem>,
    /// Meta's Privacy Center said it received an objection without saying for which account: still to answer.
    pub question: Option<QuestionItem>,
}

/// A pending question, as the popup offers it: the platforms still open that it may have been for (with
/// their names), those whose form link the user followed first.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionItem {
    pub platforms: Vec<(PlatformId, String)>,
    pub preselected: Vec<PlatformId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub platform: PlatformId,
    pub name: String,
    pub status: Status,
    /// Covered by the other platform's objection (the group shares one Accounts Center).
    pub covered: bool,
    /// This platform's objection also covers a site with no form of its own (Instagram: Threads).
    pub covers_site: bool,
    pub form_url: String,
    /// Sent a while ago and the confirmation email is still not marked: ask gently.
    pub remind: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PopupView {
    pub lang: String,
    pub title: String,
    /// What is still open, in one sentence (announced as a status).
    pub summary: String,
    /// The honest sentence about what an objection now can and cannot do.
    pub timing: String,
    pub groups: Vec<GroupPanel>,
    /// `None` while the stored data came from a newer Widerspruch: shown, never changed.
    pub add_group: Option<AddGroupView>,
    pub scope: String,
    pub who_else: WhoElseView,
    /// The heading of the list of services.
    pub services_title: String,
    /// Meta first (always on), then every other service with its switch and, while chosen, its items.
    pub services: Vec<ServiceView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct GroupPanel {
    pub id: String,
    pub name: String,
    /// The main group's list is `#checklist`, the one tests and the badge's users look for first.
    pub main: bool,
    /// "Active": which group a Meta page counts for; only offered when there are several.
    pub active: Option<ToggleView>,
    /// "These accounts share one Accounts Center": one objection covers both platforms.
    pub linked: Option<ToggleView>,
    pub items: Vec<ItemView>,
    pub remove: Option<ButtonView>,
    /// The unanswered question about an objection sent in Meta's Privacy Center.
    pub question: Option<QuestionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QuestionView {
    pub text: String,
    /// Why one answer comes first (the user followed its form link). Empty for none.
    pub followed: String,
    /// Nothing is marked until answered.
    pub note: String,
    /// One per platform, the preselected first; none while the data is read-only.
    pub answers: Vec<QuestionAnswer>,
    pub dismiss: Option<ButtonView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QuestionAnswer {
    pub platform: PlatformId,
    pub text: String,
    pub label: String,
    pub preselected: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ToggleView {
    pub label: String,
    pub checked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ItemView {
    pub platform: PlatformId,
    pub name: String,
    /// `not_started` … `confirmed` (styling and tests), and the same in words.
    pub state: Status,
    pub state_text: String,
    /// Covered by the other platform's objection: this note instead of actions. Empty for none.
    pub covered: String,
    /// What else this objection covers (Instagram's covers Threads). Empty for none.
    pub also: String,
    /// The gentle reminder to look for the confirmation email. Empty for none.
    pub remind: String,
    pub link: Option<LinkView>,
    pub actions: Vec<ItemAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ItemAction {
    pub action: ChecklistAction,
    pub text: String,
    /// What a screen reader hears: platform, group and action.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ButtonView {
    pub text: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AddGroupView {
    pub hint: String,
    pub label: String,
    pub button: String,
    pub max_length: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WhoElseView {
    pub title: String,
    pub third_party: String,
    pub third_party_link: LinkView,
    pub pages: String,
    pub whatsapp: String,
}

/// The buttons that make sense in each state (opening the form is the link, not a button).
fn actions_for(s: Status) -> &'static [ChecklistAction] {
    use ChecklistAction::*;
    match s {
        Status::NotStarted => &[MarkSubmitted],
        Status::FormOpened => &[MarkSubmitted, Reset],
        Status::Submitted => &[MarkConfirmed, Reset],
        Status::Confirmed => &[Reset],
    }
}

fn status_key(s: Status) -> &'static str {
    match s {
        Status::NotStarted => "status_not_started",
        Status::FormOpened => "status_form_opened",
        Status::Submitted => "status_submitted",
        Status::Confirmed => "status_confirmed",
    }
}

fn action_key(a: ChecklistAction) -> &'static str {
    match a {
        ChecklistAction::OpenForm => "action_open_form",
        ChecklistAction::MarkSubmitted => "action_mark_submitted",
        ChecklistAction::MarkConfirmed => "action_mark_confirmed",
        ChecklistAction::Reset => "action_reset",
    }
}

pub fn popup_view(rules: &Rules, c: &ChecklistView, l: &dyn Localize) -> PopupView {
    let t = |key: &str| l.text(key, &[]);
    let summary = if c.open == 0 { t("popup_summary_done") } else { l.text("popup_summary_open", &[c.open.to_string()]) };
    let summary = if c.read_only { summary + " " + &t("popup_read_only") } else { summary };
    let several = c.groups.len() > 1;
    let mut groups = Vec::new();
    for g in &c.groups {
        groups.push(group_panel(g, several, c.read_only, l));
    }
    PopupView {
        lang: l.lang(),
        title: t("popup_title"),
        summary,
        timing: l.resolve(&timing(rules, c.now)),
        groups,
        add_group: (!c.read_only).then(|| AddGroupView {
            hint: t("groups_hint"),
            label: t("group_add_label"),
            button: t("group_add_button"),
            max_length: MAX_GROUP_NAME,
        }),
        scope: t("popup_scope"),
        who_else: WhoElseView {
            title: t("who_else_title"),
            third_party: t("who_else_third_party"),
            third_party_link: LinkView { text: t("who_else_third_party_link"), href: c.third_party_form.clone() },
            pages: t("who_else_pages"),
            whatsapp: t("who_else_whatsapp"),
        },
        services_title: t("services_title"),
        services: c.services.iter().map(|s| service_view(s, l)).collect(),
    }
}

fn group_panel(g: &GroupView, several: bool, read_only: bool, l: &dyn Localize) -> GroupPanel {
    let t = |key: &str| l.text(key, &[]);
    let main = g.id == MAIN_GROUP;
    let name = if main && g.name.is_empty() { t("group_main_name") } else { g.name.clone() };
    let mut items = Vec::new();
    for item in &g.items {
        items.push(item_view(item, &name, read_only, l));
    }
    GroupPanel {
        id: g.id.clone(),
        main,
        active: (several && !read_only).then(|| ToggleView { label: t("group_active"), checked: g.active }),
        linked: (!read_only).then(|| ToggleView { label: t("group_linked"), checked: g.linked }),
        items,
        remove: (!main && !read_only).then(|| ButtonView { text: t("group_remove"), label: t("group_remove") + ": " + &name }),
        question: g.question.as_ref().map(|q| question_view(q, &name, read_only, l)),
        name,
    }
}

fn question_view(q: &QuestionItem, group: &str, read_only: bool, l: &dyn Localize) -> QuestionView {
    let t = |key: &str| l.text(key, &[]);
    let named = |ids: &[PlatformId]| -> String {
        let names: Vec<&str> = q.platforms.iter().filter(|(p, _)| ids.contains(p)).map(|(_, n)| n.as_str()).collect();
        names.join(" & ")
    };
    let followed = if q.preselected.is_empty() { String::new() } else { l.text("question_followed", &[named(&q.preselected)]) };
    let mut answers = Vec::new();
    if !read_only {
        for (p, name) in &q.platforms {
            let text = l.text("question_sent_for", &[name.clone()]);
            answers.push(QuestionAnswer { platform: *p, label: format!("{text} ({group})"), text, preselected: q.preselected.contains(p) });
        }
    }
    QuestionView {
        text: t("question_text"),
        followed,
        note: t("question_nothing_yet"),
        answers,
        dismiss: (!read_only).then(|| ButtonView { text: t("question_dismiss"), label: format!("{} ({group})", t("question_dismiss")) }),
    }
}

fn item_view(item: &ChecklistItem, group: &str, read_only: bool, l: &dyn Localize) -> ItemView {
    let t = |key: &str| l.text(key, &[]);
    let mut v = ItemView {
        platform: item.platform,
        name: item.name.clone(),
        state: item.status,
        state_text: t(status_key(item.status)),
        covered: String::new(),
        also: String::new(),
        remind: String::new(),
        link: None,
        actions: Vec::new(),
    };
    if item.covers_site {
        v.also = t("covers_threads");
    }
    if item.covered {
        v.covered = t("covered");
        return v;
    }
    if item.remind {
        v.remind = t("remind_text");
    }
    if read_only {
        return v;
    }
    if !item.status.is_protected() {
        v.link = Some(LinkView { text: t(action_key(ChecklistAction::OpenForm)), href: item.form_url.clone() });
    }
    for a in actions_for(item.status) {
        let text = t(action_key(*a));
        v.actions.push(ItemAction { action: *a, label: format!("{} ({group}): {text}", item.name), text });
    }
    v
}

// ── Services (issue 15): the popup is the person's whole checklist ──

/// The kind of a service's item (the rules' `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ServiceItemKind {
    /// Done when the setting reads off on its own page.
    Setting,
    /// A form the user sends: Meta's journey (not started → opened → sent → confirmed).
    ObjectionRequest,
}

/// An item's state: a setting's (`not_checked`, `on`, `off`, `user_off`) or a request's (Meta's statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum ItemState {
    Setting(SettingState),
    Request(Status),
}

impl ItemState {
    pub fn is_open(self) -> bool {
        match self {
            ItemState::Setting(s) => !s.is_done(),
            ItemState::Request(s) => !s.is_protected(),
        }
    }
}

/// A service as the handler decides it for the popup (texts from its rules, in the user's language).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceEntry {
    pub id: String,
    /// Empty for Meta (the catalogue names it).
    pub name: String,
    /// Meta: always on, no switch.
    pub always: bool,
    pub chosen: bool,
    /// Every host permission it needs is granted.
    pub access: bool,
    /// Its host permissions (`https://*.linkedin.com/*`), for `permissions.request`/`remove`.
    pub origins: Vec<String>,
    /// Its items, while chosen (Meta's rows are the account groups).
    pub items: Vec<ServiceItemEntry>,
    /// The stored choice came from a newer Widerspruch: shown, not changed.
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceItemEntry {
    pub id: String,
    pub kind: ServiceItemKind,
    pub name: String,
    pub state: ItemState,
    pub link: String,
    pub covers: String,
    pub not_covered: String,
    /// A setting whose control cannot be read (`find: ask`): the user may say it is off.
    pub ask: bool,
    /// Its record came from a newer Widerspruch: shown, not changed.
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    /// Meta: always on; its switch is shown checked and disabled.
    pub always: bool,
    pub chosen: bool,
    /// Its hosts are granted (when chosen but not: `note` says why nothing happens there yet).
    pub access: bool,
    /// For `permissions.request` / `permissions.remove`, in the same task as the click.
    pub origins: Vec<String>,
    /// The switch's accessible label.
    pub toggle_label: String,
    /// Chosen but not granted: why nothing happens there yet. `null` otherwise.
    pub note: Option<String>,
    /// Chosen but not granted: the button that asks the browser again (`permissions.request` with
    /// `origins`, in the click's task). `null` otherwise.
    pub grant: Option<String>,
    /// The switch cannot be changed (Meta, or a choice saved by a newer Widerspruch).
    pub locked: bool,
    pub items: Vec<ServiceItemView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServiceItemView {
    pub id: String,
    pub kind: ServiceItemKind,
    pub name: String,
    pub state: ItemState,
    pub state_text: String,
    /// The one link that gets the user there.
    pub link: LinkView,
    /// What the objection covers, and what it does not, in one sentence each.
    pub covers: String,
    pub not_covered: String,
    pub actions: Vec<ServiceActionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServiceActionView {
    pub action: ServiceAction,
    pub text: String,
    /// What a screen reader hears: item and action.
    pub label: String,
}

fn item_state_key(s: ItemState) -> &'static str {
    match s {
        ItemState::Setting(SettingState::NotChecked) => "item_state_not_checked",
        ItemState::Setting(SettingState::On) => "item_state_on",
        ItemState::Setting(SettingState::Off) => "item_state_off",
        ItemState::Setting(SettingState::UserOff) => "item_state_user_off",
        ItemState::Request(Status::NotStarted) => "item_status_not_started",
        ItemState::Request(Status::FormOpened) => "item_status_form_opened",
        ItemState::Request(Status::Submitted) => "item_status_submitted",
        ItemState::Request(Status::Confirmed) => "item_status_confirmed",
    }
}

fn service_action_key(a: ServiceAction) -> &'static str {
    match a {
        ServiceAction::Open => "service_link_request",
        ServiceAction::MarkSubmitted => "action_mark_submitted",
        ServiceAction::MarkConfirmed => "item_action_mark_confirmed",
        ServiceAction::ConfirmOff => "setting_confirm_off",
        ServiceAction::Reset => "action_reset",
    }
}

/// The buttons of an item in its state. A setting is marked off by its own page; only where the page
/// cannot be read (`ask`) may the user say so here.
fn service_actions(item: &ServiceItemEntry) -> Vec<ServiceAction> {
    use ServiceAction::*;
    match item.state {
        ItemState::Setting(SettingState::NotChecked | SettingState::On) if item.ask => vec![ConfirmOff],
        ItemState::Setting(SettingState::NotChecked) => vec![],
        ItemState::Setting(_) => vec![Reset],
        ItemState::Request(Status::NotStarted) => vec![MarkSubmitted],
        ItemState::Request(Status::FormOpened) => vec![MarkSubmitted, Reset],
        ItemState::Request(Status::Submitted) => vec![MarkConfirmed, Reset],
        ItemState::Request(Status::Confirmed) => vec![Reset],
    }
}

pub fn service_view(s: &ServiceEntry, l: &dyn Localize) -> ServiceView {
    let t = |key: &str| l.text(key, &[]);
    let name = if s.always { t("service_meta_name") } else { s.name.clone() };
    let mut items = Vec::new();
    for item in &s.items {
        let link_key = if item.kind == ServiceItemKind::Setting { "service_link_setting" } else { "service_link_request" };
        let mut actions = Vec::new();
        if !item.locked {
            for a in service_actions(item) {
                let text = t(service_action_key(a));
                actions.push(ServiceActionView { action: a, label: format!("{} ({name}): {text}", item.name), text });
            }
        }
        items.push(ServiceItemView {
            id: item.id.clone(),
            kind: item.kind,
            name: item.name.clone(),
            state: item.state,
            state_text: t(item_state_key(item.state)),
            link: LinkView { text: t(link_key), href: item.link.clone() },
            covers: l.text("service_covers", &[item.covers.clone()]),
            not_covered: l.text("service_not_covered", &[item.not_covered.clone()]),
            actions,
        });
    }
    ServiceView {
        id: s.id.clone(),
        toggle_label: if s.always { t("service_meta_always") } else { l.text("service_toggle", &[name.clone()]) },
        note: (s.chosen && !s.access && !s.always).then(|| l.text("service_access", &[name.clone()])),
        grant: (s.chosen && !s.access && !s.always).then(|| l.text("service_grant", &[name.clone()])),
        name,
        always: s.always,
        chosen: s.chosen || s.always,
        access: s.access || s.always,
        origins: s.origins.clone(),
        locked: s.always || s.locked,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::rules;
    use crate::testing::Catalogue;

    const NOW: f64 = 1_795_000_000_000.0; // 2026-11-18

    fn item(platform: PlatformId, status: Status) -> ChecklistItem {
        ChecklistItem {
            platform,
            name: platform.as_str().to_string(),
            status,
            covered: false,
            covers_site: false,
            form_url: format!("https://{}/form", platform.as_str()),
            remind: false,
        }
    }

    fn view(groups: Vec<GroupView>, read_only: bool) -> ChecklistView {
        let open = groups.iter().flat_map(|g| &g.items).filter(|i| !i.covered && i.status != Status::Confirmed).count();
        ChecklistView {
            groups,
            read_only,
            now: NOW,
            third_party_form: "https://www.facebook.com/help/contact/third-party".into(),
            open,
            services: vec![],
        }
    }

    fn main_group(items: Vec<ChecklistItem>) -> GroupView {
        GroupView { id: MAIN_GROUP.into(), name: String::new(), linked: false, active: true, items, question: None }
    }

    fn actions(i: &ItemView) -> Vec<ChecklistAction> {
        i.actions.iter().map(|a| a.action).collect()
    }

    #[test]
    fn each_state_offers_the_next_step_and_a_way_back() {
        use ChecklistAction::*;
        let en = Catalogue::new("en");
        let c = view(vec![main_group(vec![item(PlatformId::Facebook, Status::NotStarted), item(PlatformId::Instagram, Status::Submitted)])], false);
        let v = popup_view(rules(), &c, &en);
        let [fb, ig] = &v.groups[0].items[..] else { panic!("{v:?}") };
        assert_eq!(actions(fb), [MarkSubmitted]);
        assert_eq!(fb.link.as_ref().unwrap().href, "https://facebook/form", "not yet objected: the form is one click away");
        assert_eq!(actions(ig), [MarkConfirmed, Reset]);
        assert!(ig.link.is_none(), "submitted: no second objection is offered");
        assert_eq!(ig.state_text, "Sent; waiting for Meta's confirmation email");
        assert_eq!(fb.actions[0].label, "facebook (Your accounts): I sent it", "the screen-reader label names platform and group");
        assert_eq!(v.summary, "Still open: 2");
        assert!(v.timing.contains("27 May 2025"), "{}", v.timing);
    }

    #[test]
    fn covered_items_say_so_and_offer_nothing() {
        let en = Catalogue::new("en");
        let mut ig = item(PlatformId::Instagram, Status::NotStarted);
        ig.covered = true;
        let v = popup_view(rules(), &view(vec![main_group(vec![item(PlatformId::Facebook, Status::Confirmed), ig])], false), &en);
        let ig = &v.groups[0].items[1];
        assert_eq!(ig.covered, en.text("covered", &[]));
        assert!(ig.actions.is_empty() && ig.link.is_none());
        assert_eq!(v.summary, "All objections sent.");
    }

    #[test]
    fn read_only_data_is_shown_but_nothing_can_change_it() {
        let en = Catalogue::new("en");
        let second = GroupView { id: "g2".into(), name: "Club".into(), linked: true, active: false, items: vec![item(PlatformId::Facebook, Status::NotStarted)], question: None };
        let v = popup_view(rules(), &view(vec![main_group(vec![item(PlatformId::Facebook, Status::NotStarted)]), second.clone()], true), &en);
        assert!(v.add_group.is_none());
        assert!(v.summary.ends_with(&en.text("popup_read_only", &[])), "{}", v.summary);
        for g in &v.groups {
            assert!(g.active.is_none() && g.linked.is_none() && g.remove.is_none(), "{g:?}");
            assert!(g.items.iter().all(|i| i.actions.is_empty() && i.link.is_none()));
        }
        let writable = popup_view(rules(), &view(vec![main_group(vec![]), second], false), &en);
        let [main, club] = &writable.groups[..] else { panic!() };
        assert_eq!((main.name.as_str(), main.main, main.remove.is_some()), ("Your accounts", true, false), "the main group can't be removed");
        assert_eq!((club.name.as_str(), club.main, club.active.as_ref().map(|a| a.checked)), ("Club", false, Some(false)));
        assert_eq!(club.linked.as_ref().map(|a| a.checked), Some(true));
        assert_eq!(club.remove.as_ref().unwrap().label, "Remove group: Club");
        assert_eq!(writable.add_group.unwrap().max_length, MAX_GROUP_NAME);
    }

    #[test]
    fn a_pending_question_offers_one_answer_per_platform_the_followed_one_first() {
        let en = Catalogue::new("en");
        let mut g = main_group(vec![item(PlatformId::Facebook, Status::NotStarted), item(PlatformId::Instagram, Status::FormOpened)]);
        g.question = Some(QuestionItem {
            platforms: vec![(PlatformId::Instagram, "Instagram".into()), (PlatformId::Facebook, "Facebook".into())],
            preselected: vec![PlatformId::Instagram],
        });
        let v = popup_view(rules(), &view(vec![g.clone()], false), &en);
        let q = v.groups[0].question.as_ref().expect("the question shows");
        assert_eq!(q.answers.iter().map(|a| (a.platform, a.preselected)).collect::<Vec<_>>(), [(PlatformId::Instagram, true), (PlatformId::Facebook, false)]);
        assert_eq!(q.answers[0].text, "It was for Instagram");
        assert!(q.followed.contains("Instagram"), "{}", q.followed);
        assert!(q.dismiss.is_some());
        let ro = popup_view(rules(), &view(vec![g], true), &en);
        let q = ro.groups[0].question.as_ref().unwrap();
        assert!(q.answers.is_empty() && q.dismiss.is_none(), "read-only: shown, not answerable");
    }

    #[test]
    fn a_single_group_has_no_active_choice() {
        let en = Catalogue::new("en");
        let v = popup_view(rules(), &view(vec![main_group(vec![])], false), &en);
        assert!(v.groups[0].active.is_none());
        assert!(v.groups[0].linked.is_some());
    }

    #[test]
    fn reminder_only_when_the_core_asks_for_it() {
        let de = Catalogue::new("de");
        let mut fb = item(PlatformId::Facebook, Status::Submitted);
        fb.remind = true;
        let v = popup_view(rules(), &view(vec![main_group(vec![fb, item(PlatformId::Instagram, Status::Submitted)])], false), &de);
        assert!(!v.groups[0].items[0].remind.is_empty());
        assert!(v.groups[0].items[1].remind.is_empty());
        assert_eq!(v.lang, "de");
        assert_eq!(v.who_else.third_party_link.href, "https://www.facebook.com/help/contact/third-party");
    }
}

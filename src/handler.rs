//! What the background does with a message, as a pure function of the stored progress, the time and the
//! language. `web::background` reads storage, calls [`handle`], writes what it returns and updates the badge.

use crate::classify::Page;
use crate::panel::{self, FormSignal, PageReport, PanelAction, PanelKind, PanelPlan, ServicePlan, Text};
use crate::popup::{ChecklistAction, ChecklistItem, ChecklistView, GroupView, ItemState, QuestionItem, ServiceAction, ServiceEntry, ServiceItemEntry, ServiceItemKind};
use crate::progress::{
    badge, encode, encode_groups, encode_question, pending_key, storage_key, valid_group_id, Badge, Decoded, DecodedGroups,
    DecodedQuestion, Event, Group, Groups, GroupsState, Question, Record, Status, StorageValue, GROUPS_KEY, MAIN_GROUP, MAX_GROUPS,
    MAX_GROUP_NAME, PENDING_PREFIX, split_item_key, request_key, setting_key, encode_choice, encode_setting, Choice, DecodedChoice, DecodedSetting, SettingEvent, REQUEST_PREFIX,
    SERVICES_KEY, SETTING_PREFIX,
};
use crate::protocol::{
    ChecklistClicked, Context, FormSignalled, GroupActive, GroupAdd, GroupLinked, GroupRemove, ItemClicked, PanelClicked, QuestionAnswered,
    QuestionDismissed, Request, SeenState, ServiceChosen, ServicePage, SettingSeen,
};
use crate::rules::{in_language, PlatformId, Rules};
use crate::rules::service::Find;
use crate::rules::{services, Item, ItemKind, Service};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// Everything stored, decoded: the account groups and the progress of each platform in each group.
#[derive(Debug, Clone)]
pub struct Stored {
    pub groups: Groups,
    groups_state: GroupsState,
    records: Vec<(String, PlatformId, Decoded)>,
    /// The pending question of each group that has one (see [`Question`]).
    questions: Vec<(String, DecodedQuestion)>,
    /// Which services other than Meta the user switched on (`services`).
    choice: DecodedChoice,
    /// Every stored setting item, `(service, item, record)` (`setting/<service>/<item>`).
    settings: Vec<(String, String, DecodedSetting)>,
    /// Every stored objection-request item of a service (`request/<service>/<item>`).
    requests: Vec<(String, String, Decoded)>,
}

/// Everything `storage.local.get(null)` returned, as this build reads it: the group list, every progress
/// key, and nothing else (other keys are skipped unread).
#[derive(Default)]
struct Dump {
    groups: Option<DecodedGroups>,
    progress: Vec<(String, Decoded)>,
    pending: Vec<(String, DecodedQuestion)>,
    choice: Option<DecodedChoice>,
    settings: Vec<(String, String, DecodedSetting)>,
    requests: Vec<(String, String, Decoded)>,
}

/// A value that is not ours: skipped, even when the deserializer cannot read it.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        let _ = IgnoredAny::deserialize(d);
        Ok(Skip)
    }
}

impl<'de> Deserialize<'de> for Dump {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Dump, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Dump;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the storage area as an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dump, A::Error> {
                let mut dump = Dump::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == GROUPS_KEY {
                        dump.groups = Some(map.next_value()?);
                    } else if key.starts_with("progress/") {
                        let value = map.next_value()?;
                        dump.progress.push((key, value));
                    } else if let Some(group) = key.strip_prefix(PENDING_PREFIX) {
                        let value = map.next_value()?;
                        dump.pending.push((group.to_string(), value));
                    } else if key == SERVICES_KEY {
                        dump.choice = Some(map.next_value()?);
                    } else if let Some((service, item)) = split_item_key(&key, SETTING_PREFIX) {
                        let value = map.next_value()?;
                        dump.settings.push((service.to_string(), item.to_string(), value));
                    } else if let Some((service, item)) = split_item_key(&key, REQUEST_PREFIX) {
                        let value = map.next_value()?;
                        dump.requests.push((service.to_string(), item.to_string(), value));
                    } else {
                        map.next_value::<Skip>()?;
                    }
                }
                Ok(dump)
            }
        }
        d.deserialize_map(V)
    }
}

impl Stored {
    /// From everything `storage.local.get(null)` returned (anything that is not an object counts as empty).
    pub fn from_storage<'de, D: Deserializer<'de>>(all: D) -> Stored {
        let dump = Dump::deserialize(all).unwrap_or_default();
        let DecodedGroups(groups, groups_state) = dump.groups.unwrap_or(DecodedGroups(Groups::default(), GroupsState::Current));
        let mut progress = dump.progress;
        let mut records = Vec::new();
        for g in &groups.groups {
            for p in PlatformId::ALL {
                let key = storage_key(p, &g.id);
                let d = match progress.iter().position(|(k, _)| *k == key) {
                    Some(i) => progress.swap_remove(i).1,
                    None => Decoded::Missing,
                };
                records.push((g.id.clone(), p, d));
            }
        }
        // A question of a group that is not in the list is not read (nor ever written or removed).
        let questions = dump.pending.into_iter().filter(|(g, _)| groups.get(g).is_some()).collect();
        let choice = dump.choice.unwrap_or(DecodedChoice::Missing);
        // Only the items this build knows, under their kind's prefix: anything else (a service a newer
        // build added) is not read, never warned about, never written or removed.
        let known = |service: &str, item: &str, kind: ItemKind| {
            crate::rules::service(service).and_then(|s| s.item(item)).is_some_and(|i| i.kind == kind)
        };
        let mut settings = dump.settings;
        settings.retain(|(s, i, _)| known(s, i, ItemKind::Setting));
        let mut requests = dump.requests;
        requests.retain(|(s, i, _)| known(s, i, ItemKind::ObjectionRequest));
        Stored { groups, groups_state, records, questions, choice, settings, requests }
    }

    /// The user's choice of services, as stored.
    pub fn choice(&self) -> &DecodedChoice {
        &self.choice
    }

    /// Whether the user switched this service on (Meta is not a listed service: it is always on).
    pub fn is_chosen(&self, service: &str) -> bool {
        self.choice.choice().is_chosen(service)
    }

    fn set_choice(&mut self, c: Choice) {
        self.choice = DecodedChoice::Current(c);
    }

    /// A setting item's stored record.
    pub fn setting(&self, service: &str, item: &str) -> &DecodedSetting {
        static MISSING: DecodedSetting = DecodedSetting::Missing;
        self.settings.iter().find(|(s, i, _)| s == service && i == item).map(|(_, _, d)| d).unwrap_or(&MISSING)
    }

    fn set_setting(&mut self, service: &str, item: &str, d: DecodedSetting) {
        self.settings.retain(|(s, i, _)| !(s == service && i == item));
        self.settings.push((service.to_string(), item.to_string(), d));
    }

    /// An objection-request item's stored record (Meta's record shape).
    pub fn request(&self, service: &str, item: &str) -> &Decoded {
        static MISSING: Decoded = Decoded::Missing;
        self.requests.iter().find(|(s, i, _)| s == service && i == item).map(|(_, _, d)| d).unwrap_or(&MISSING)
    }

    fn set_request(&mut self, service: &str, item: &str, r: Record) {
        self.requests.retain(|(s, i, _)| !(s == service && i == item));
        self.requests.push((service.to_string(), item.to_string(), Decoded::Current(r)));
    }

    /// The pending question of a group.
    pub fn question(&self, group: &str) -> &DecodedQuestion {
        static MISSING: DecodedQuestion = DecodedQuestion::Missing;
        self.questions.iter().find(|(g, _)| g == group).map(|(_, q)| q).unwrap_or(&MISSING)
    }

    fn set_question(&mut self, group: &str, q: DecodedQuestion) {
        self.questions.retain(|(g, _)| g != group);
        self.questions.push((group.to_string(), q));
    }

    /// The group's platforms not yet sent (nor covered by the other one's objection).
    fn open_platforms(&self, group: &Group) -> Vec<PlatformId> {
        PlatformId::ALL.into_iter().filter(|p| !self.effective(group, *p).0.is_protected()).collect()
    }

    pub fn decoded(&self, group: &str, p: PlatformId) -> &Decoded {
        static MISSING: Decoded = Decoded::Missing;
        self.records.iter().find(|(g, q, _)| g == group && *q == p).map(|(_, _, d)| d).unwrap_or(&MISSING)
    }

    pub fn record(&self, group: &str, p: PlatformId) -> Record {
        self.decoded(group, p).record()
    }

    fn set(&mut self, group: &str, p: PlatformId, r: Record) {
        match self.records.iter_mut().find(|(g, q, _)| g == group && *q == p) {
            Some(e) => e.2 = Decoded::Current(r),
            None => self.records.push((group.to_string(), p, Decoded::Current(r))),
        }
    }

    /// A platform's status in a group, and whether it is covered by the other platform's objection
    /// (when the group's Facebook and Instagram accounts share one Accounts Center).
    pub fn effective(&self, group: &Group, p: PlatformId) -> (Status, bool) {
        let own = self.record(&group.id, p).status;
        if !group.linked {
            return (own, false);
        }
        let other = PlatformId::ALL.iter().filter(|q| **q != p).map(|q| self.record(&group.id, *q).status).max();
        match other {
            Some(o) if o.is_protected() && !own.is_protected() => (o, true),
            _ => (own, false),
        }
    }

    /// One line per unreadable or newer value, for a console warning.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.groups_state {
            GroupsState::Corrupt(reason) => out.push(format!("{GROUPS_KEY}: unreadable ({reason}); using one account group until you change groups")),
            GroupsState::Newer(v) => out.push(format!("{GROUPS_KEY}: written by a newer Widerspruch (schema {v}); kept unchanged, read-only")),
            GroupsState::Current => {}
        }
        for (g, p, d) in &self.records {
            match d {
                Decoded::Corrupt { reason } => out.push(format!(
                    "{}: stored progress is unreadable ({reason}); treating it as not started until you change it",
                    storage_key(*p, g)
                )),
                Decoded::Newer { version, .. } => out.push(format!(
                    "{}: written by a newer Widerspruch (schema {version}); kept unchanged, read-only",
                    storage_key(*p, g)
                )),
                _ => {}
            }
        }
        for (g, q) in &self.questions {
            match q {
                DecodedQuestion::Corrupt(reason) => out.push(format!(
                    "{}: stored question is unreadable ({reason}); no question is shown until Meta's Privacy Center asks again",
                    pending_key(g)
                )),
                DecodedQuestion::Newer(v) => out.push(format!("{}: written by a newer Widerspruch (schema {v}); kept unchanged, read-only", pending_key(g))),
                _ => {}
            }
        }
        let newer = |key: &str, v: u64| format!("{key}: written by a newer Widerspruch (schema {v}); kept unchanged, read-only");
        match &self.choice {
            DecodedChoice::Corrupt { reason } => {
                out.push(format!("{SERVICES_KEY}: unreadable ({reason}); only Meta is on until you choose services again"))
            }
            DecodedChoice::Newer { version, .. } => out.push(newer(SERVICES_KEY, *version)),
            _ => {}
        }
        for (s, i, d) in &self.settings {
            match d {
                DecodedSetting::Corrupt { reason } => out.push(format!(
                    "{}: stored setting is unreadable ({reason}); treating it as not checked until its page shows it",
                    setting_key(s, i)
                )),
                DecodedSetting::Newer { version, .. } => out.push(newer(&setting_key(s, i), *version)),
                _ => {}
            }
        }
        for (s, i, d) in &self.requests {
            match d {
                Decoded::Corrupt { reason } => out.push(format!(
                    "{}: stored progress is unreadable ({reason}); treating it as not started until you change it",
                    request_key(s, i)
                )),
                Decoded::Newer { version, .. } => out.push(newer(&request_key(s, i), *version)),
                _ => {}
            }
        }
        out
    }

    /// What is still open, over every group and platform, and every item of every chosen service.
    pub fn badge(&self) -> Badge {
        let mut statuses = Vec::new();
        for g in &self.groups.groups {
            for p in PlatformId::ALL {
                statuses.push(self.effective(g, p).0);
            }
        }
        statuses.extend(std::iter::repeat_n(Status::NotStarted, self.services_open()));
        badge(&statuses)
    }

    pub fn read_only(&self) -> bool {
        matches!(self.groups_state, GroupsState::Newer(_))
            || self.records.iter().any(|(_, _, d)| !d.writable())
            || self.questions.iter().any(|(_, q)| !q.writable())
    }

    /// Whether anything stored for services came from a newer Widerspruch (shown, never changed).
    pub fn services_read_only(&self) -> bool {
        !self.choice.writable() || self.settings.iter().any(|(_, _, d)| !d.writable()) || self.requests.iter().any(|(_, _, d)| !d.writable())
    }
}

/// What the handler decided to answer, before texts are resolved (`web::background` turns it into a
/// [`Reply`](crate::protocol::Reply)).
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Panel(Option<PanelPlan>),
    /// A service's banner or helper.
    ServicePanel(ServicePlan),
    Checklist(ChecklistView),
    Done,
    Rejected(String),
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub reply: Answer,
    /// `(key, value)` pairs for `storage.local.set`.
    pub writes: Vec<(String, StorageValue)>,
    /// Keys for `storage.local.remove` (progress of a removed account group).
    pub removals: Vec<String>,
    /// The progress after the writes.
    pub stored: Stored,
}

/// Handle one authorised request at time `now` (ms), for a user whose catalogue language is `lang`, with
/// no host permission granted (see [`handle_granted`]).
pub fn handle(rules: &Rules, msg: &Request, ctx: Context, stored: &Stored, now: f64, lang: &str) -> Outcome {
    handle_granted(rules, msg, ctx, stored, now, lang, &[])
}

/// Handle one authorised request; `granted` are the host permissions the browser grants now
/// (`permissions.getAll().origins`), which the popup shows per service.
pub fn handle_granted(rules: &Rules, msg: &Request, ctx: Context, stored: &Stored, now: f64, lang: &str, granted: &[String]) -> Outcome {
    let mut out = Outcome { reply: Answer::Done, writes: Vec::new(), removals: Vec::new(), stored: stored.clone() };
    let active = stored.groups.active().clone();
    match (ctx, msg) {
        // A service's page counts only while the user has that service switched on.
        (Context::ServicePage(id, page), _) => {
            let Some(service) = find_service(id).filter(|s| stored.is_chosen(&s.id)) else {
                return rejected(out, "this service is not switched on");
            };
            if let Err(why) = handle_service_page(rules, &mut out, msg, service, page, now, lang) {
                return rejected(out, why);
            }
        }
        (Context::ExtensionPage, Request::ServiceChosen(_) | Request::ItemClicked(_)) => {
            if let Err(why) = handle_service_popup(rules, &mut out, msg, now) {
                return rejected(out, why);
            }
        }
        (Context::MetaPage(page), Request::PageShown(_)) => {
            let plan = match page {
                Page::ObjectionForm { platform, .. } => {
                    change(rules, &mut out, &active.id, platform, Event::FormOpened, now);
                    Some(panel::form_helper(rules, platform, now))
                }
                Page::PrivacyFlow => {
                    let platforms = flow_platforms(stored, &active);
                    for p in &platforms {
                        change(rules, &mut out, &active.id, *p, Event::FormOpened, now);
                    }
                    platforms.first().map(|p| panel::privacy_flow(rules, *p, now, lang))
                }
                Page::Feed(platform) | Page::CoveredFeed(platform) => {
                    let (status, _) = stored.effective(&active, platform);
                    let record = Record { status, ..stored.record(&active.id, platform) };
                    panel::banner(rules, page, &record, now)
                }
                Page::PrivacyGuide(platform) => {
                    let (status, _) = stored.effective(&active, platform);
                    (!status.is_protected()).then(|| panel::guide(rules, platform))
                }
                _ => None,
            };
            out.reply = Answer::Panel(plan);
        }
        (Context::MetaPage(page), Request::PanelClicked(PanelClicked { action, .. })) if action.answer().is_some() => {
            if page != Page::PrivacyFlow {
                return rejected(out, "only Meta's Privacy Center flow asks which account an objection was for");
            }
            let answer = action.answer().flatten();
            if let Err(why) = answer_question(rules, &mut out, &active.id, answer, now, true) {
                return rejected(out, why);
            }
            if matches!(out.reply, Answer::Rejected(_)) {
                return out;
            }
            out.reply = Answer::Panel(answer.map(|p| panel::flow_received(rules, &[p])));
        }
        (Context::MetaPage(page), Request::PanelClicked(PanelClicked { action, .. })) => {
            let (platform, kind) = match page {
                Page::Feed(p) | Page::CoveredFeed(p) => (p, PanelKind::Banner),
                Page::ObjectionForm { platform, .. } => (platform, PanelKind::FormHelper),
                _ => return rejected(out, "panel click from a page without such a panel"),
            };
            let event = match (kind, action) {
                (PanelKind::Banner, PanelAction::OpenForm) => Event::FormOpened,
                (PanelKind::Banner, PanelAction::AlreadyDone) => Event::MarkSubmitted,
                (PanelKind::Banner, PanelAction::NotNow) => Event::Snooze,
                (_, PanelAction::LinkBroken) => {
                    let why = Text::new("fallback_link_broken");
                    out.reply = Answer::Panel(Some(panel::fallback(rules, kind, platform, why, lang)));
                    return out;
                }
                _ => return rejected(out, "this panel has no such button"),
            };
            change(rules, &mut out, &active.id, platform, event, now);
        }
        (Context::MetaPage(Page::PrivacyFlow), Request::FormSignal(FormSignalled { signal: FormSignal::Received, .. })) => {
            match flow_received(rules, &mut out, stored, &active, now) {
                Ok(plan) if !matches!(out.reply, Answer::Rejected(_)) => out.reply = Answer::Panel(Some(plan)),
                Ok(_) => {}
                Err(why) => return rejected(out, why),
            }
        }
        (Context::MetaPage(page @ (Page::ObjectionForm { .. } | Page::PrivacyFlow)), Request::FormSignal(FormSignalled { signal, .. })) => {
            // On a form, its platform; in the flow (an error page or login wall), the platforms it marked
            // "form opened" when it was shown. A "received" in the flow is handled above: it asks.
            let platforms = match page {
                Page::ObjectionForm { platform, .. } => vec![platform],
                _ => opened_platforms(stored, &active),
            };
            let Some(first) = platforms.first().copied() else {
                return rejected(out, "no objection in progress for this flow");
            };
            let plan = match signal {
                FormSignal::Received => {
                    change(rules, &mut out, &active.id, first, Event::MarkSubmitted, now);
                    panel::received(rules, first)
                }
                FormSignal::Unavailable => {
                    panel::fallback(rules, PanelKind::FormHelper, first, Text::new("fallback_unavailable"), lang)
                }
                FormSignal::Login => {
                    let p = rules.platform(first);
                    panel::fallback(rules, PanelKind::FormHelper, first, Text::with("fallback_login", &p.name), lang)
                }
            };
            if !matches!(out.reply, Answer::Rejected(_)) {
                out.reply = Answer::Panel(Some(plan));
            }
        }
        (Context::ExtensionPage, Request::GetChecklist(_)) => out.reply = checklist(rules, stored, now, granted, lang),
        (Context::ExtensionPage, Request::ChecklistClicked(ChecklistClicked { group, platform, action })) => {
            if stored.groups.get(group).is_none() {
                return rejected(out, "no such account group");
            }
            let event = match action {
                ChecklistAction::OpenForm => Event::FormOpened,
                ChecklistAction::MarkSubmitted => Event::MarkSubmitted,
                ChecklistAction::MarkConfirmed => Event::MarkConfirmed,
                ChecklistAction::Reset => Event::Reset,
            };
            change(rules, &mut out, group, *platform, event, now);
        }
        (Context::ExtensionPage, Request::QuestionAnswered(QuestionAnswered { group, platform })) => {
            if stored.groups.get(group).is_none() {
                return rejected(out, "no such account group");
            }
            if let Err(why) = answer_question(rules, &mut out, group, Some(*platform), now, false) {
                return rejected(out, why);
            }
        }
        (Context::ExtensionPage, Request::QuestionDismissed(QuestionDismissed { group })) => {
            if stored.groups.get(group).is_none() {
                return rejected(out, "no such account group");
            }
            if let Err(why) = answer_question(rules, &mut out, group, None, now, false) {
                return rejected(out, why);
            }
        }
        (Context::ExtensionPage, Request::GroupAdd(GroupAdd { name })) => {
            let name: String = name.trim().chars().filter(|c| !c.is_control()).take(MAX_GROUP_NAME).collect();
            if name.is_empty() {
                return rejected(out, "an account group needs a name");
            }
            let mut groups = stored.groups.clone();
            if groups.groups.len() >= MAX_GROUPS {
                return rejected(out, "too many account groups");
            }
            let mut n = now.max(0.0) as u64 % 10_000_000_000;
            while groups.get(&format!("g{n}")).is_some() {
                n += 1;
            }
            let id = format!("g{n}");
            groups.groups.push(Group { id: id.clone(), name, linked: false });
            groups.active = id;
            change_groups(&mut out, groups);
        }
        (Context::ExtensionPage, Request::GroupRemove(GroupRemove { group })) => {
            if group == MAIN_GROUP || stored.groups.get(group).is_none() {
                return rejected(out, "this account group cannot be removed");
            }
            // Removing a group deletes its progress: never when a newer version wrote it.
            if PlatformId::ALL.iter().any(|p| !stored.decoded(group, *p).writable()) || !stored.question(group).writable() {
                return rejected(out, "this group's progress was saved by a newer version of Widerspruch; left unchanged");
            }
            let mut groups = stored.groups.clone();
            groups.groups.retain(|g| g.id != *group);
            if groups.active == *group {
                groups.active = MAIN_GROUP.into();
            }
            if change_groups(&mut out, groups) {
                out.removals = PlatformId::ALL.iter().map(|p| storage_key(*p, group)).collect();
                if !matches!(stored.question(group), DecodedQuestion::Missing) {
                    out.removals.push(pending_key(group));
                }
            }
        }
        (Context::ExtensionPage, Request::GroupLinked(GroupLinked { group, linked })) => {
            let mut groups = stored.groups.clone();
            match groups.groups.iter_mut().find(|g| g.id == *group) {
                Some(g) => g.linked = *linked,
                None => return rejected(out, "no such account group"),
            }
            change_groups(&mut out, groups);
        }
        (Context::ExtensionPage, Request::GroupActive(GroupActive { group })) => {
            if !valid_group_id(group) || stored.groups.get(group).is_none() {
                return rejected(out, "no such account group");
            }
            let mut groups = stored.groups.clone();
            groups.active = group.clone();
            change_groups(&mut out, groups);
        }
        _ => return rejected(out, &format!("{} is not a request this context may make", msg.kind().tag())),
    }
    // Every popup request is answered with the checklist as it is now.
    if ctx == Context::ExtensionPage && out.reply == Answer::Done {
        out.reply = checklist(rules, &out.stored, now, granted, lang);
    }
    out
}

/// The group's platforms whose objection form is open (not yet sent).
fn opened_platforms(stored: &Stored, group: &Group) -> Vec<PlatformId> {
    PlatformId::ALL.into_iter().filter(|p| stored.record(&group.id, *p).status == Status::FormOpened).collect()
}

/// The platforms an objection in Meta's Privacy Center flow is for. The flow serves every Meta account,
/// so it cannot tell: the ones whose form the user just opened (the banner's or popup's link may lead
/// here), else every one of the group not yet sent. The popup shows which were marked, and the user can
/// change them there.
fn flow_platforms(stored: &Stored, group: &Group) -> Vec<PlatformId> {
    let opened = opened_platforms(stored, group);
    if !opened.is_empty() {
        return opened;
    }
    PlatformId::ALL.into_iter().filter(|p| !stored.effective(group, *p).0.is_protected()).collect()
}

/// A "received" in Meta's Privacy Center flow. The flow serves every Meta account and does not say which
/// one the objection was for, so marking a platform would be a guess (a false "sent" ends the journey of
/// someone who never objected). So: in a group whose platforms share one Accounts Center, one objection
/// covers both, and both are marked; otherwise the user is asked, and the question is stored until answered.
/// Meta's answer shown again (a reload, a re-render) while the question waits asks nothing new and writes
/// nothing.
fn flow_received(rules: &Rules, out: &mut Outcome, stored: &Stored, group: &Group, now: f64) -> Result<PanelPlan, &'static str> {
    let open = stored.open_platforms(group);
    // Showing the flow marks "form opened"; without one, no objection was under way here.
    if open.is_empty() || opened_platforms(stored, group).is_empty() {
        return Err("no objection in progress for this flow");
    }
    if group.linked {
        for p in PlatformId::ALL {
            change(rules, out, &group.id, p, Event::MarkSubmitted, now);
        }
        if matches!(stored.question(&group.id), DecodedQuestion::Current(_)) {
            out.removals.push(pending_key(&group.id));
            out.stored.set_question(&group.id, DecodedQuestion::Missing);
        }
        return Ok(panel::flow_received_linked(rules));
    }
    match stored.question(&group.id) {
        DecodedQuestion::Current(q) if q.platforms.iter().any(|p| open.contains(p)) => {
            let still: Vec<PlatformId> = q.platforms.iter().filter(|p| open.contains(p)).copied().collect();
            return Ok(panel::flow_question(rules, &still, &q.preselected));
        }
        // A newer version's question is never replaced: ask without storing (the answer still counts).
        DecodedQuestion::Newer(_) => return Ok(panel::flow_question(rules, &open, &[])),
        _ => {}
    }
    // Preselect the platforms whose form link led here; when every open one is "form opened" (the flow
    // opened directly marks them all), nothing tells them apart.
    let followed: Vec<PlatformId> = open.iter().filter(|p| stored.record(&group.id, **p).status == Status::FormOpened).copied().collect();
    let preselected = if followed.len() < open.len() { followed } else { Vec::new() };
    let mut platforms = preselected.clone();
    platforms.extend(open.iter().filter(|p| !preselected.contains(p)));
    let q = Question { platforms, preselected, asked_at: now };
    out.writes.push((pending_key(&group.id), StorageValue::Question(encode_question(&q))));
    out.stored.set_question(&group.id, DecodedQuestion::Current(q.clone()));
    Ok(panel::flow_question(rules, &q.platforms, &q.preselected))
}

/// The user's answer to a group's pending question: `Some(platform)` marks exactly that one sent, at the time
/// Meta showed it received the objection; `None` marks nothing. Either way the question goes. `from_flow`:
/// answered in the flow, where a question a newer version stored was still asked (without storing it).
fn answer_question(rules: &Rules, out: &mut Outcome, group: &str, answer: Option<PlatformId>, now: f64, from_flow: bool) -> Result<(), &'static str> {
    match out.stored.question(group).clone() {
        DecodedQuestion::Current(q) => {
            if let Some(p) = answer {
                if !q.platforms.contains(&p) {
                    return Err("the question was not about that platform");
                }
                change(rules, out, group, p, Event::MarkSubmitted, q.asked_at.min(now));
            }
            if !matches!(out.reply, Answer::Rejected(_)) {
                out.removals.push(pending_key(group));
                out.stored.set_question(group, DecodedQuestion::Missing);
            }
            Ok(())
        }
        DecodedQuestion::Newer(_) if from_flow => {
            if let Some(p) = answer {
                change(rules, out, group, p, Event::MarkSubmitted, now);
            }
            Ok(())
        }
        DecodedQuestion::Newer(_) => Err("the question was saved by a newer version of Widerspruch; left unchanged"),
        DecodedQuestion::Missing | DecodedQuestion::Corrupt(_) => Err("no question is waiting for an answer"),
    }
}

fn rejected(mut out: Outcome, reason: &str) -> Outcome {
    out.reply = Answer::Rejected(reason.to_string());
    out.writes.clear();
    out.removals.clear();
    out
}

fn change(rules: &Rules, out: &mut Outcome, group: &str, platform: PlatformId, event: Event, now: f64) {
    let current = out.stored.decoded(group, platform);
    if !current.writable() {
        out.reply = Answer::Rejected("progress was saved by a newer version of Widerspruch; left unchanged".into());
        return;
    }
    if let Some(next) = current.record().apply(event, now, rules.snooze_days) {
        out.writes.push((storage_key(platform, group), StorageValue::Record(encode(&next))));
        out.stored.set(group, platform, next);
    }
}

/// Returns whether the change may be written.
fn change_groups(out: &mut Outcome, groups: Groups) -> bool {
    if matches!(out.stored.groups_state, GroupsState::Newer(_)) {
        out.reply = Answer::Rejected("account groups were saved by a newer version of Widerspruch; left unchanged".into());
        return false;
    }
    out.writes.push((GROUPS_KEY.to_string(), StorageValue::Groups(encode_groups(&groups))));
    out.stored.groups = groups;
    out.stored.groups_state = GroupsState::Current;
    true
}

fn checklist(rules: &Rules, stored: &Stored, now: f64, granted: &[String], lang: &str) -> Answer {
    let remind_after = f64::from(rules.reminder_days) * 86_400_000.0;
    let mut groups = Vec::new();
    for g in &stored.groups.groups {
        let mut items = Vec::new();
        for p in PlatformId::ALL {
            let r = stored.record(&g.id, p);
            let (status, covered) = stored.effective(g, p);
            let rp = rules.platform(p);
            items.push(ChecklistItem {
                platform: p,
                name: rp.name.clone(),
                status,
                covered,
                covers_site: rules.covered_sites.iter().any(|c| c.covered_by == p),
                form_url: rp.form.clone(),
                remind: r.status == Status::Submitted && r.changed_at.is_some_and(|t| now - t >= remind_after),
            });
        }
        let active = g.id == stored.groups.active().id;
        // A question shows while one of its platforms is still open.
        let question = match stored.question(&g.id) {
            DecodedQuestion::Current(q) => {
                let open = stored.open_platforms(g);
                let platforms: Vec<(PlatformId, String)> =
                    q.platforms.iter().filter(|p| open.contains(p)).map(|p| (*p, rules.platform(*p).name.clone())).collect();
                (!platforms.is_empty()).then(|| QuestionItem { platforms, preselected: q.preselected.clone() })
            }
            _ => None,
        };
        groups.push(GroupView { id: g.id.clone(), name: g.name.clone(), linked: g.linked, active, items, question });
    }
    Answer::Checklist(ChecklistView {
        groups,
        read_only: stored.read_only(),
        now,
        third_party_form: rules.third_party_form.url.clone(),
        open: stored.badge().open,
        services: service_entries(stored, granted, lang),
    })
}

// ── Services other than Meta (issue 15) ──

/// A service of the rules by id (`None` for Meta or an unknown word).
fn find_service(id: &str) -> Option<&'static Service> {
    crate::rules::service(id)
}

fn find_item(service: &'static Service, id: &str) -> Option<&'static Item> {
    service.items.iter().find(|i| i.id == id)
}

/// The host permissions a service needs: `https://*.<domain>/*` per domain (the manifest's
/// `optional_host_permissions` for it).
pub fn service_origins(service: &Service) -> Vec<String> {
    service.origins()
}

/// The content scripts that should be registered: every chosen service whose hosts are all granted
/// (`id` and its match patterns, for `ext.syncContentScripts`).
pub fn wanted_scripts(stored: &Stored, granted: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for s in services() {
        let origins = service_origins(s);
        if stored.is_chosen(&s.id) && origins.iter().all(|o| granted.contains(o)) {
            out.push((s.id.clone(), origins));
        }
    }
    out
}

impl Stored {
    /// An item's state, as stored.
    pub fn item_state(&self, service: &str, item: &Item) -> ItemState {
        match item.kind {
            ItemKind::Setting => ItemState::Setting(self.setting(service, &item.id).record().state),
            ItemKind::ObjectionRequest => ItemState::Request(self.request(service, &item.id).record().status),
        }
    }

    fn item_snoozed(&self, service: &str, item: &Item, now: f64) -> bool {
        match item.kind {
            ItemKind::Setting => self.setting(service, &item.id).record().is_snoozed(now),
            ItemKind::ObjectionRequest => self.request(service, &item.id).record().is_snoozed(now),
        }
    }

    /// The open items of every chosen service (for the badge).
    fn services_open(&self) -> usize {
        let mut n = 0;
        for s in services() {
            if self.is_chosen(&s.id) {
                n += s.items.iter().filter(|i| self.item_state(&s.id, i).is_open()).count();
            }
        }
        n
    }
}

/// A setting item's change, where this build may write it.
fn change_setting(rules: &Rules, out: &mut Outcome, service: &Service, item: &Item, event: SettingEvent, now: f64) -> Result<(), &'static str> {
    let current = out.stored.setting(&service.id, &item.id);
    if !current.writable() {
        return Err("this setting's state was saved by a newer version of Widerspruch; left unchanged");
    }
    let days = service.snooze_days.unwrap_or(rules.snooze_days);
    if let Some(next) = current.record().apply(event, now, days) {
        out.writes.push((setting_key(&service.id, &item.id), StorageValue::Setting(encode_setting(&next))));
        out.stored.set_setting(&service.id, &item.id, DecodedSetting::Current(next));
    }
    Ok(())
}

/// An objection request's change (Meta's journey), where this build may write it.
fn change_request(rules: &Rules, out: &mut Outcome, service: &Service, item: &Item, event: Event, now: f64) -> Result<(), &'static str> {
    let current = out.stored.request(&service.id, &item.id);
    if !current.writable() {
        return Err("this request's progress was saved by a newer version of Widerspruch; left unchanged");
    }
    let days = service.snooze_days.unwrap_or(rules.snooze_days);
    if let Some(next) = current.record().apply(event, now, days) {
        out.writes.push((request_key(&service.id, &item.id), StorageValue::Record(encode(&next))));
        out.stored.set_request(&service.id, &item.id, next);
    }
    Ok(())
}

/// The item a service's banner leads to: the first one still open, unless it is snoozed.
fn banner_item(stored: &Stored, service: &'static Service, now: f64) -> Option<&'static Item> {
    let item = service.items.iter().find(|i| stored.item_state(&service.id, i).is_open())?;
    (!stored.item_snoozed(&service.id, item, now)).then_some(item)
}

/// The helper of an item's page (`report`: what a setting's page just said).
fn item_helper(stored: &Stored, service: &'static Service, item: &'static Item, report: PageReport, lang: &str) -> ServicePlan {
    match stored.item_state(&service.id, item) {
        ItemState::Setting(state) => panel::setting_helper(service, item, state, report, lang),
        ItemState::Request(status) => panel::request_helper(service, item, status.is_protected(), lang),
    }
}

/// A request from a page of a chosen service (checked by the caller).
fn handle_service_page(rules: &Rules, out: &mut Outcome, msg: &Request, service: &'static Service, page: ServicePage, now: f64, lang: &str) -> Result<(), &'static str> {
    let item = match page {
        ServicePage::Item(id) => Some(find_item(service, id).ok_or("no such item")?),
        _ => None,
    };
    match (msg, page, item) {
        (Request::PageShown(_), ServicePage::Feed, _) => {
            let stored = out.stored.clone();
            out.reply = match banner_item(&stored, service, now) {
                Some(item) => Answer::ServicePanel(panel::service_banner(service, item, lang)),
                None => Answer::Panel(None),
            };
        }
        (Request::PageShown(_), ServicePage::Item(_), Some(item)) => {
            // Opening a request's form page is "form opened", as on Meta's forms; a setting's page
            // changes nothing until its control is read.
            // Progress a newer version saved stays as it is; the helper shows all the same.
            if item.kind == ItemKind::ObjectionRequest {
                let _ = change_request(rules, out, service, item, Event::FormOpened, now);
            }
            out.reply = Answer::ServicePanel(item_helper(&out.stored, service, item, PageReport::Unknown, lang));
        }
        (Request::PageShown(_), _, _) => out.reply = Answer::Panel(None),
        (Request::SettingSeen(SettingSeen { state, .. }), ServicePage::Item(_), Some(item)) => {
            if item.kind != ItemKind::Setting {
                return Err("this page has no setting");
            }
            // A state a newer version saved stays as it is (nothing written); the helper still says what
            // the page shows.
            let _ = match state {
                SeenState::On => change_setting(rules, out, service, item, SettingEvent::SeenOn, now),
                SeenState::Off => change_setting(rules, out, service, item, SettingEvent::SeenOff, now),
                SeenState::Missing => Ok(()),
            };
            out.reply = Answer::ServicePanel(item_helper(&out.stored, service, item, PageReport::Seen(*state), lang));
        }
        (Request::PanelClicked(PanelClicked { action, .. }), ServicePage::Feed, _) => {
            let stored = out.stored.clone();
            let item = banner_item(&stored, service, now).ok_or("no banner on this page")?;
            match (action, item.kind) {
                (PanelAction::OpenForm, ItemKind::ObjectionRequest) => change_request(rules, out, service, item, Event::FormOpened, now)?,
                (PanelAction::OpenForm, ItemKind::Setting) => {}
                (PanelAction::AlreadyDone, ItemKind::ObjectionRequest) => change_request(rules, out, service, item, Event::MarkSubmitted, now)?,
                (PanelAction::NotNow, _) => {
                    // "Not now" is about the service: every open item rests, so the next visit shows nothing.
                    for i in service.items.iter().filter(|i| stored.item_state(&service.id, i).is_open()) {
                        match i.kind {
                            ItemKind::Setting => change_setting(rules, out, service, i, SettingEvent::Snooze, now)?,
                            ItemKind::ObjectionRequest => change_request(rules, out, service, i, Event::Snooze, now)?,
                        }
                    }
                }
                (PanelAction::LinkBroken, _) => out.reply = Answer::ServicePanel(panel::service_route(service, item, PanelKind::Banner, lang)),
                _ => return Err("this panel has no such button"),
            }
        }
        (Request::PanelClicked(PanelClicked { action, .. }), ServicePage::Item(_), Some(item)) => match (action, item.kind) {
            // The user's own word, on the setting's own page, where the helper offered it.
            (PanelAction::ConfirmOff, ItemKind::Setting) => {
                change_setting(rules, out, service, item, SettingEvent::ConfirmOff, now)?;
                out.reply = Answer::ServicePanel(item_helper(&out.stored, service, item, PageReport::Seen(SeenState::Missing), lang));
            }
            (PanelAction::AlreadyDone, ItemKind::ObjectionRequest) => {
                change_request(rules, out, service, item, Event::MarkSubmitted, now)?;
                out.reply = Answer::ServicePanel(item_helper(&out.stored, service, item, PageReport::Unknown, lang));
            }
            (PanelAction::LinkBroken, _) => {
                let kind = if item.kind == ItemKind::Setting { PanelKind::SettingHelper } else { PanelKind::FormHelper };
                out.reply = Answer::ServicePanel(panel::service_route(service, item, kind, lang));
            }
            _ => return Err("this panel has no such button"),
        },
        _ => return Err("not a request this page may make"),
    }
    Ok(())
}

/// A popup request about services.
fn handle_service_popup(rules: &Rules, out: &mut Outcome, msg: &Request, now: f64) -> Result<(), &'static str> {
    match msg {
        Request::ServiceChosen(ServiceChosen { service, chosen }) => {
            let service = find_service(service).ok_or("no such service")?;
            if !out.stored.choice().writable() {
                return Err("your choice of services was saved by a newer version of Widerspruch; left unchanged");
            }
            if let Some(next) = out.stored.choice().choice().with(&service.id, *chosen, now) {
                out.writes.push((SERVICES_KEY.to_string(), StorageValue::Choice(encode_choice(&next))));
                out.stored.set_choice(next);
            }
        }
        Request::ItemClicked(ItemClicked { service, item, action }) => {
            let service = find_service(service).ok_or("no such service")?;
            let item = find_item(service, item).ok_or("no such item")?;
            if !out.stored.is_chosen(&service.id) {
                return Err("this service is not switched on");
            }
            let ask = item.control.as_ref().is_none_or(|c| c.find == Find::Ask);
            match (item.kind, action) {
                (ItemKind::ObjectionRequest, ServiceAction::Open) => change_request(rules, out, service, item, Event::FormOpened, now)?,
                (ItemKind::ObjectionRequest, ServiceAction::MarkSubmitted) => change_request(rules, out, service, item, Event::MarkSubmitted, now)?,
                (ItemKind::ObjectionRequest, ServiceAction::MarkConfirmed) => change_request(rules, out, service, item, Event::MarkConfirmed, now)?,
                (ItemKind::ObjectionRequest, ServiceAction::Reset) => change_request(rules, out, service, item, Event::Reset, now)?,
                (ItemKind::Setting, ServiceAction::Open) => {}
                // Only where no page can read the control: elsewhere only the control itself marks it off.
                (ItemKind::Setting, ServiceAction::ConfirmOff) if ask => change_setting(rules, out, service, item, SettingEvent::ConfirmOff, now)?,
                (ItemKind::Setting, ServiceAction::Reset) => {
                    let current = out.stored.setting(&service.id, &item.id);
                    if !current.writable() {
                        return Err("this setting's state was saved by a newer version of Widerspruch; left unchanged");
                    }
                    if !matches!(current, DecodedSetting::Missing) {
                        out.removals.push(setting_key(&service.id, &item.id));
                        out.stored.set_setting(&service.id, &item.id, DecodedSetting::Missing);
                    }
                }
                _ => return Err("this item has no such button"),
            }
        }
        _ => return Err("not a service request"),
    }
    Ok(())
}

/// Meta, then every service of the rules, as the popup lists them.
fn service_entries(stored: &Stored, granted: &[String], lang: &str) -> Vec<ServiceEntry> {
    let mut out = vec![ServiceEntry {
        id: "meta".into(),
        name: String::new(),
        always: true,
        chosen: true,
        access: true,
        origins: Vec::new(),
        items: Vec::new(),
        locked: true,
    }];
    for s in services() {
        let chosen = stored.is_chosen(&s.id);
        let origins = service_origins(s);
        let mut items = Vec::new();
        if chosen {
            for i in &s.items {
                let locked = match i.kind {
                    ItemKind::Setting => !stored.setting(&s.id, &i.id).writable(),
                    ItemKind::ObjectionRequest => !stored.request(&s.id, &i.id).writable(),
                };
                items.push(ServiceItemEntry {
                    id: i.id.clone(),
                    kind: if i.kind == ItemKind::Setting { ServiceItemKind::Setting } else { ServiceItemKind::ObjectionRequest },
                    name: in_language(&i.name, lang).clone(),
                    state: stored.item_state(&s.id, i),
                    link: i.link.clone(),
                    covers: in_language(&i.covers.text, lang).clone(),
                    not_covered: in_language(&i.not_covered.text, lang).clone(),
                    ask: i.control.as_ref().is_none_or(|c| c.find == Find::Ask),
                    locked,
                });
            }
        }
        out.push(ServiceEntry {
            id: s.id.clone(),
            name: s.name.clone(),
            always: false,
            chosen,
            access: origins.iter().all(|o| granted.contains(o)),
            origins,
            items,
            locked: !stored.choice().writable(),
        });
    }
    out
}

#[cfg(test)]
mod tests;

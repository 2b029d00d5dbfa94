//! What Widerspruch shows inside Meta's pages: the banner on the feed and the helper on the objection form.
//! Pure: texts are message keys from `extension/_locales`, resolved by a [`Localize`] (the browser's i18n
//! API in the extension, the catalogues in tests); routes and signals come from the rules.

use crate::classify::Page;
use crate::progress::{days_from_iso, Record, SettingState, Status};
use crate::protocol::SeenState;
use crate::rules::{in_language, normalise_signal, Choice, ChoiceId, PlatformId, Rules, SignalWhen, Signals};
use crate::rules::service::{Control, Find};
use crate::rules::{Item, ItemKind, Service};
use serde::{Deserialize, Serialize};

/// A substitution in a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Sub {
    Plain(String),
    /// An ISO date (`2025-05-27`), written out in the user's language.
    Date(String),
}

/// A message key with its substitutions.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub key: &'static str,
    pub subs: Vec<Sub>,
}

impl Text {
    pub fn new(key: &'static str) -> Text {
        Text { key, subs: Vec::new() }
    }
    pub fn with(key: &'static str, sub: &str) -> Text {
        Text { key, subs: vec![Sub::Plain(sub.to_string())] }
    }
    pub fn dated(key: &'static str, iso: &str) -> Text {
        Text { key, subs: vec![Sub::Date(iso.to_string())] }
    }
}

/// Resolves message keys; the extension uses `i18n.getMessage`.
pub trait Localize {
    fn text(&self, key: &str, subs: &[String]) -> String;
    /// The language of the catalogue in use (`"de"`), which also picks the rules' per-language texts.
    fn lang(&self) -> String;
    /// An ISO date, written out for this language.
    fn date(&self, iso: &str) -> String;

    fn resolve(&self, t: &Text) -> String {
        let mut subs = Vec::new();
        for s in &t.subs {
            subs.push(match s {
                Sub::Plain(p) => p.clone(),
                Sub::Date(d) => self.date(d),
            });
        }
        self.text(t.key, &subs)
    }
}

/// Which panel: the slim banner on the feed, the helper beside an objection form, or the helper on a
/// service's setting page (which control to use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PanelKind {
    Banner,
    FormHelper,
    SettingHelper,
}

/// Buttons a panel can carry. `Close` is handled in the page alone; the others are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PanelAction {
    /// Followed the link to the form.
    OpenForm,
    AlreadyDone,
    NotNow,
    /// "The link doesn't work": show the way through the app's menus.
    LinkBroken,
    Close,
    /// The answer to "which account was the objection in Meta's Privacy Center for?" (see [`flow_question`]).
    SentForFacebook,
    SentForInstagram,
    /// "Neither of these": the question goes, nothing is marked.
    DismissQuestion,
    /// On a service's setting page where the control cannot be read: the user says it is off.
    ConfirmOff,
}

impl PanelAction {
    /// The answer to the Privacy Center's question to send for `platform`.
    pub fn sent_for(platform: PlatformId) -> PanelAction {
        match platform {
            PlatformId::Facebook => PanelAction::SentForFacebook,
            PlatformId::Instagram => PanelAction::SentForInstagram,
        }
    }

    /// `Some(answer)` for the question's buttons (`Some(None)`: dismissed), `None` for every other button.
    pub fn answer(self) -> Option<Option<PlatformId>> {
        match self {
            PanelAction::SentForFacebook => Some(Some(PlatformId::Facebook)),
            PanelAction::SentForInstagram => Some(Some(PlatformId::Instagram)),
            PanelAction::DismissQuestion => Some(None),
            _ => None,
        }
    }
}

/// What the objection form page shows, as the form helper reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FormSignal {
    /// "Your request was received."
    Received,
    /// An error or "content not available" page instead of the form.
    Unavailable,
    /// A login wall instead of the form.
    Login,
}

/// The decision, before texts are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelPlan {
    pub kind: PanelKind,
    /// Message key of the panel's accessible name.
    pub label: &'static str,
    pub platform: PlatformId,
    pub urging: bool,
    pub paragraphs: Vec<Text>,
    pub link: Option<(Text, String)>,
    /// Title and steps of the fallback route (already in the user's language, from the rules).
    pub steps: Option<(Text, Vec<String>)>,
    /// A line after the steps.
    pub footnote: Option<Text>,
    /// Reason texts the user can insert into the form's reason field: (button label, text).
    pub reasons: Vec<(Text, Text)>,
    pub actions: Vec<PanelAction>,
    /// Watch the form page for these signals (form helper only).
    pub watch: bool,
}

/// What the content script renders: already localised, nothing left for it to decide.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PanelView {
    pub kind: PanelKind,
    /// Meta's platform (`facebook`), or the service (`linkedin`).
    pub platform: String,
    /// The service's item the panel is about (`ai_setting`); `null` for Meta's panels.
    pub item: Option<String>,
    pub urging: bool,
    pub lang: String,
    /// Accessible name of the panel region.
    pub label: String,
    pub paragraphs: Vec<String>,
    pub link: Option<LinkView>,
    pub steps_title: String,
    pub steps: Vec<String>,
    /// After the steps; empty for none.
    pub footnote: String,
    pub reasons: Vec<ReasonView>,
    pub actions: Vec<ActionView>,
    pub watch: Option<WatchView>,
    /// On a service's setting page: how `content/setting.js` finds the control and reads it. `null`
    /// everywhere else.
    pub setting: Option<SettingView>,
}

/// How the content script finds a setting's control (the rules' `control.find`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ControlFind {
    /// The switch or checkbox whose accessible name contains one of `labels`.
    Label,
    /// It cannot be read: the helper points to it and the user confirms that it is off.
    Ask,
}

/// How to find a setting's control on its own page, and what was last seen of it there. The state is
/// read from the control's role and state (`aria-checked`, `.checked`), never from class names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SettingView {
    /// Roles of the control: `switch`, `checkbox` (role or `input[type=checkbox]`).
    pub roles: Vec<String>,
    /// Normalised fragments of its accessible name (lower case, straight apostrophes, single spaces),
    /// every language's: the service may show a language other than the browser's.
    pub labels: Vec<String>,
    pub find: ControlFind,
    /// What this page reported last (`on`, `off`, `missing`), or `unknown` before it reported.
    pub state: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LinkView {
    pub text: String,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReasonView {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ActionView {
    pub action: PanelAction,
    pub text: String,
}

/// What the form page's text is checked for, when and where, and where a reason goes. Only sent to
/// objection form pages and the Privacy Center flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WatchView {
    pub signals: Vec<WatchedSignal>,
    /// CSS selector of the form's area (the rules' `form_area`): an answer counts only where it was.
    pub form_area: String,
    pub reason_field: String,
}

/// One signal, its fragments (every language's: Meta may show a language other than the browser's) and
/// when its text counts (the rules' `signals.watch`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WatchedSignal {
    pub signal: FormSignal,
    pub when: SignalWhen,
    pub fragments: Vec<String>,
}

/// The message key of a panel button's text.
fn action_key(a: PanelAction) -> &'static str {
    match a {
        PanelAction::OpenForm => "banner_link",
        PanelAction::AlreadyDone => "banner_done",
        PanelAction::NotNow => "banner_later",
        PanelAction::LinkBroken => "banner_link_broken",
        PanelAction::Close => "panel_close",
        PanelAction::DismissQuestion => "question_dismiss",
        PanelAction::SentForFacebook | PanelAction::SentForInstagram => "question_sent_for",
        PanelAction::ConfirmOff => "setting_confirm_off",
    }
}

/// The honest sentence about timing, from the rules' date and today.
pub fn timing(rules: &Rules, now_ms: f64) -> Text {
    let today = (now_ms / 86_400_000.0).floor() as i64;
    let start = days_from_iso(&rules.training_start.date).unwrap_or(i64::MIN);
    if today < start {
        Text::dated("timing_before", &rules.training_start.date)
    } else {
        Text::dated("timing_since", &rules.training_start.date)
    }
}

/// The feed banner: only while this platform is open for the active account group, and not snoozed.
pub fn banner(rules: &Rules, page: Page, record: &Record, now: f64) -> Option<PanelPlan> {
    let (platform, covered) = match page {
        Page::Feed(p) => (p, false),
        Page::CoveredFeed(p) => (p, true),
        _ => return None,
    };
    if record.status.is_protected() || record.is_snoozed(now) {
        return None;
    }
    let p = rules.platform(platform);
    let text = match record.status {
        Status::FormOpened => Text::with("banner_text_opened", &p.name),
        _ => Text::with("banner_text", &p.name),
    };
    // On Threads: first why the Instagram objection is the one to send.
    let paragraphs = if covered { vec![Text::new("banner_threads"), text] } else { vec![text] };
    Some(PanelPlan {
        kind: PanelKind::Banner,
        label: "banner_label",
        platform,
        urging: true,
        paragraphs,
        link: Some((Text::new("banner_link"), p.form.clone())),
        steps: None,
        footnote: None,
        reasons: Vec::new(),
        actions: vec![PanelAction::AlreadyDone, PanelAction::NotNow, PanelAction::LinkBroken],
        watch: false,
    })
}

/// The way through the app's menus, for when the direct link fails. `why` says what went wrong.
pub fn fallback(rules: &Rules, kind: PanelKind, platform: PlatformId, why: Text, lang: &str) -> PanelPlan {
    let p = rules.platform(platform);
    let route = in_language(&p.fallback_route, lang).steps.clone();
    PanelPlan {
        kind,
        label: if kind == PanelKind::Banner { "banner_label" } else { "helper_label" },
        platform,
        urging: false,
        paragraphs: vec![why],
        link: Some((Text::new("fallback_try_again"), p.form.clone())),
        steps: Some((Text::with("fallback_title", &p.name), route)),
        footnote: Some(Text::new("fallback_help_search")),
        reasons: Vec::new(),
        actions: vec![PanelAction::Close],
        watch: false,
    }
}

/// The reasons a user can insert into the reason field (our own words, never presented as a quote).
fn reasons() -> Vec<(Text, Text)> {
    let mut out = Vec::new();
    for (label, text) in [("reason_1_label", "reason_1_text"), ("reason_2_label", "reason_2_text"), ("reason_3_label", "reason_3_text")] {
        out.push((Text::new(label), Text::new(text)));
    }
    out
}

/// The helper beside the objection form: what the fields mean, reasons to insert, what one objection covers.
pub fn form_helper(rules: &Rules, platform: PlatformId, now: f64) -> PanelPlan {
    let p = rules.platform(platform);
    PanelPlan {
        kind: PanelKind::FormHelper,
        label: "helper_label",
        platform,
        urging: false,
        paragraphs: vec![
            Text::with("helper_intro", &p.name),
            Text::new("helper_country"),
            Text::new("helper_email"),
            Text::new("helper_reason"),
            Text::new("helper_scope"),
            timing(rules, now),
        ],
        link: None,
        steps: None,
        footnote: None,
        reasons: reasons(),
        actions: vec![PanelAction::LinkBroken, PanelAction::Close],
        watch: true,
    }
}

/// After the form page showed that the request was received.
pub fn received(rules: &Rules, platform: PlatformId) -> PanelPlan {
    let p = rules.platform(platform);
    PanelPlan {
        kind: PanelKind::FormHelper,
        label: "helper_label",
        platform,
        urging: false,
        paragraphs: vec![Text::with("received_text", &p.name), Text::new("received_email")],
        link: None,
        steps: None,
        footnote: None,
        reasons: Vec::new(),
        actions: vec![PanelAction::Close],
        watch: false,
    }
}

/// A choice's label in the user's language. Where Meta's wording is only reported in English, our
/// translation comes first and Meta's English after it, so the user can find it on an English page too.
fn choice_label(c: &Choice, lang: &str) -> String {
    let en = c.label.get("en").cloned().unwrap_or_default();
    match c.label.get(lang) {
        Some(l) if c.reported_languages.iter().any(|r| r == lang) => l.clone(),
        Some(l) if *l != en => format!("{l} / {en}"),
        _ => en,
    }
}

/// The helper in Meta's Privacy Center flow (as reported in 2026): which choice is the objection to AI
/// training, what the others are for, then the same fields, reasons and "received" watch as on a form.
/// `platform` is the one the objection is tracked for (the first of several).
pub fn privacy_flow(rules: &Rules, platform: PlatformId, now: f64, lang: &str) -> PanelPlan {
    let mut paragraphs = vec![Text::new("flow_intro")];
    for c in &rules.privacy_center.choices {
        let key = match c.id {
            ChoiceId::Own => "flow_choice_own",
            ChoiceId::ThirdParty => "flow_choice_third_party",
            ChoiceId::Other => "flow_choice_other",
        };
        paragraphs.push(Text::with(key, &choice_label(c, lang)));
    }
    paragraphs.extend([Text::new("flow_wording_note"), Text::new("flow_then"), Text::new("helper_scope"), timing(rules, now)]);
    PanelPlan {
        kind: PanelKind::FormHelper,
        label: "flow_label",
        platform,
        urging: false,
        paragraphs,
        link: None,
        steps: None,
        footnote: None,
        reasons: reasons(),
        actions: vec![PanelAction::Close],
        watch: true,
    }
}

/// After the Privacy Center flow showed that the objection was received: which platforms were marked.
pub fn flow_received(rules: &Rules, platforms: &[PlatformId]) -> PanelPlan {
    let mut plan = received(rules, platforms.first().copied().unwrap_or(PlatformId::Facebook));
    plan.label = "flow_label";
    if let Some(first) = plan.paragraphs.first_mut() {
        *first = Text::with("received_text", &names(rules, platforms));
    }
    plan
}

/// Names joined for one sentence ("Facebook & Instagram").
fn names(rules: &Rules, platforms: &[PlatformId]) -> String {
    let names: Vec<&str> = platforms.iter().map(|p| rules.platform(*p).name.as_str()).collect();
    names.join(" & ")
}

/// After the Privacy Center flow showed that an objection was received, when the page does not say for
/// which account: ask, one button per platform, in the order given (`preselected`, those whose form link the
/// user followed, first; the helper says so). Nothing is marked until the user answers.
pub fn flow_question(rules: &Rules, platforms: &[PlatformId], preselected: &[PlatformId]) -> PanelPlan {
    let mut paragraphs = vec![Text::new("question_text")];
    if !preselected.is_empty() {
        paragraphs.push(Text::with("question_followed", &names(rules, preselected)));
    }
    paragraphs.extend([Text::new("question_nothing_yet"), Text::new("question_waits")]);
    let mut actions: Vec<PanelAction> = platforms.iter().map(|p| PanelAction::sent_for(*p)).collect();
    actions.extend([PanelAction::DismissQuestion, PanelAction::Close]);
    PanelPlan {
        kind: PanelKind::FormHelper,
        label: "flow_label",
        platform: platforms.first().copied().unwrap_or(PlatformId::Facebook),
        urging: false,
        paragraphs,
        link: None,
        steps: None,
        footnote: None,
        reasons: Vec::new(),
        actions,
        watch: false,
    }
}

/// After the Privacy Center flow showed that an objection was received, for a group whose platforms share
/// one Accounts Center: both were marked, and the helper says why instead of asking.
pub fn flow_received_linked(rules: &Rules) -> PanelPlan {
    let mut plan = flow_received(rules, &PlatformId::ALL);
    plan.paragraphs.insert(1, Text::new("question_linked"));
    plan
}

/// On the platform's Privacy Center page about AI: a pointer to the objection form, nothing more.
pub fn guide(rules: &Rules, platform: PlatformId) -> PanelPlan {
    let p = rules.platform(platform);
    PanelPlan {
        kind: PanelKind::FormHelper,
        label: "helper_label",
        platform,
        urging: false,
        paragraphs: vec![Text::new("guide_intro")],
        link: Some((Text::new("guide_link"), p.form.clone())),
        steps: None,
        footnote: None,
        reasons: Vec::new(),
        actions: vec![PanelAction::Close],
        watch: false,
    }
}

/// Every text resolved (a loop: iterator adapters per call site cost WebAssembly size).
fn resolve_all(l: &dyn Localize, texts: &[Text]) -> Vec<String> {
    let mut out = Vec::new();
    for t in texts {
        out.push(l.resolve(t));
    }
    out
}

impl PanelPlan {
    pub fn render(&self, rules: &Rules, l: &dyn Localize) -> PanelView {
        let t = |key: &str| l.text(key, &[]);
        let label = t(self.label);
        let mut reasons = Vec::new();
        for (a, b) in &self.reasons {
            reasons.push(ReasonView { label: l.resolve(a), text: l.resolve(b) });
        }
        let mut actions = Vec::new();
        for a in &self.actions {
            let key = action_key(*a);
            let subs: Vec<String> = a.answer().flatten().map(|p| rules.platform(p).name.clone()).into_iter().collect();
            actions.push(ActionView { action: *a, text: l.text(key, &subs) });
        }
        PanelView {
            kind: self.kind,
            platform: self.platform.as_str().to_string(),
            item: None,
            urging: self.urging,
            lang: l.lang(),
            label,
            paragraphs: resolve_all(l, &self.paragraphs),
            link: self.link.as_ref().map(|(text, href)| LinkView { text: l.resolve(text), href: href.clone() }),
            steps_title: self.steps.as_ref().map(|(title, _)| l.resolve(title)).unwrap_or_default(),
            steps: self.steps.as_ref().map(|(_, s)| s.clone()).unwrap_or_default(),
            footnote: self.footnote.as_ref().map(|f| l.resolve(f)).unwrap_or_default(),
            reasons,
            actions,
            watch: self.watch.then(|| {
                let s = &rules.signals;
                let watched = |signal, when, list| WatchedSignal { signal, when, fragments: Signals::all(list) };
                WatchView {
                    signals: vec![
                        watched(FormSignal::Received, s.watch.received.when, &s.received),
                        watched(FormSignal::Unavailable, s.watch.unavailable.when, &s.unavailable),
                        watched(FormSignal::Login, s.watch.login.when, &s.login),
                    ],
                    form_area: rules.form_area.selector.clone(),
                    reason_field: rules.reason_field.clone(),
                }
            }),
            setting: None,
        }
    }
}

// ── Services other than Meta (issue 15): the banner on a chosen service's site, the helper on an item's
// page. Generic texts come from the catalogues with the service's and the item's names substituted; what
// is specific to a service (names, what it covers, the route, the control's labels) comes from its rules
// file, in the user's language.

/// A service's banner or helper, before texts are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePlan {
    pub kind: PanelKind,
    pub service: &'static str,
    pub item: &'static str,
    pub urging: bool,
    /// The panel's accessible name.
    pub label: Text,
    pub paragraphs: Vec<Text>,
    pub link: Option<(Text, String)>,
    pub steps: Option<(Text, Vec<String>)>,
    pub actions: Vec<PanelAction>,
    /// On a setting's page: how to find and read the control, and what the page last reported.
    pub setting: Option<SettingView>,
}

/// What a setting's page has reported, as the helper says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageReport {
    /// Shown, not yet reported (the content script reports once the page is quiet).
    Unknown,
    Seen(SeenState),
}

impl PageReport {
    fn word(self) -> &'static str {
        match self {
            PageReport::Unknown => "unknown",
            PageReport::Seen(SeenState::On) => "on",
            PageReport::Seen(SeenState::Off) => "off",
            PageReport::Seen(SeenState::Missing) => "missing",
        }
    }
}

/// Two substitutions: the service's name and the item's (in the user's language).
fn named(key: &'static str, service: &Service, item: &Item, lang: &str) -> Text {
    Text { key, subs: vec![Sub::Plain(service.name.clone()), Sub::Plain(in_language(&item.name, lang).clone())] }
}

/// What the item covers and what it does not (the rules' words, in the user's language).
fn coverage(item: &Item, lang: &str) -> [Text; 2] {
    [Text::with("service_covers", in_language(&item.covers.text, lang).as_str()), Text::with("service_not_covered", in_language(&item.not_covered.text, lang).as_str())]
}

/// An item is open while a setting is not off (seen or confirmed) or a request not sent.
pub fn first_open<'a>(service: &'a Service, open: impl Fn(&Item) -> bool) -> Option<&'a Item> {
    service.items.iter().find(|i| open(i))
}

/// The banner on a chosen service's own site: it leads to `item`, the first one still open.
pub fn service_banner(service: &'static Service, item: &'static Item, lang: &str) -> ServicePlan {
    let (text, link, actions) = match item.kind {
        ItemKind::Setting => ("service_banner_setting", "service_link_setting", vec![PanelAction::NotNow, PanelAction::LinkBroken]),
        ItemKind::ObjectionRequest => {
            ("service_banner_request", "service_link_request", vec![PanelAction::AlreadyDone, PanelAction::NotNow, PanelAction::LinkBroken])
        }
    };
    ServicePlan {
        kind: PanelKind::Banner,
        service: &service.id,
        item: &item.id,
        urging: true,
        label: Text::with("service_banner_label", &service.name),
        paragraphs: vec![named(text, service, item, lang)],
        link: Some((Text::new(link), item.link.clone())),
        steps: None,
        actions,
        setting: None,
    }
}

/// The way to the item through the service's menus (after "The link doesn't work", or where the control
/// was not found).
fn route(item: &Item, lang: &str) -> (Text, Vec<String>) {
    (Text::with("service_route_title", in_language(&item.name, lang).as_str()), in_language(&item.route, lang).steps.clone())
}

/// "The link doesn't work": the way through the menus, and the link to try again.
pub fn service_route(service: &'static Service, item: &'static Item, kind: PanelKind, lang: &str) -> ServicePlan {
    ServicePlan {
        kind,
        service: &service.id,
        item: &item.id,
        urging: false,
        label: Text::with("service_banner_label", &service.name),
        paragraphs: vec![Text::new("fallback_link_broken")],
        link: Some((Text::new("fallback_try_again"), item.link.clone())),
        steps: Some(route(item, lang)),
        actions: vec![PanelAction::Close],
        setting: None,
    }
}

/// The control's label in the user's language, where a source gives it in that language (`None`: not
/// sourced in it; the helper then names the setting and the way there, and the user confirms).
fn control_label<'a>(control: &'a Control, lang: &str) -> Option<&'a str> {
    control.labels.iter().find(|l| l.lang == lang).map(|l| l.shown.as_str())
}

/// The helper on a setting's own page: which control to use, what the page showed, and what the setting
/// covers. `stored` is the item's state before this page's report; `report` what the page said now.
/// "It is off" is offered only where the control cannot be read (`find: ask`, or not found on the page):
/// where it can be, only the control itself marks it off.
pub fn setting_helper(service: &'static Service, item: &'static Item, stored: SettingState, report: PageReport, lang: &str) -> ServicePlan {
    let control = item.control.as_ref();
    let ask = control.is_none_or(|c| c.find == Find::Ask);
    let mut paragraphs = vec![named("setting_intro", service, item, lang)];
    match control.and_then(|c| control_label(c, lang)) {
        Some(label) if !ask => paragraphs.push(Text::with("setting_control", label)),
        _ if !ask => paragraphs.push(Text::with("setting_control_unsourced", in_language(&item.name, lang).as_str())),
        _ => paragraphs.push(Text::new("setting_control_ask")),
    }
    let cannot_read = ask || report == PageReport::Seen(SeenState::Missing);
    let state = match report {
        PageReport::Seen(SeenState::On) => "setting_state_on",
        PageReport::Seen(SeenState::Off) => "setting_state_off",
        _ if stored == SettingState::UserOff => "setting_state_user_off",
        PageReport::Seen(SeenState::Missing) => "setting_state_missing",
        PageReport::Unknown if ask => "setting_state_ask",
        PageReport::Unknown => "setting_state_unknown",
    };
    paragraphs.push(Text::new(state));
    paragraphs.extend(coverage(item, lang));
    let mut actions = Vec::new();
    if cannot_read && stored != SettingState::UserOff && report != PageReport::Seen(SeenState::Off) {
        actions.push(PanelAction::ConfirmOff);
    }
    actions.push(PanelAction::Close);
    ServicePlan {
        kind: PanelKind::SettingHelper,
        service: &service.id,
        item: &item.id,
        urging: false,
        label: Text::with("setting_helper_label", &service.name),
        paragraphs,
        // Where the control was not found, the page may be another one: the link to the setting's page.
        link: cannot_read.then(|| (Text::new("service_link_setting"), item.link.clone())),
        steps: cannot_read.then(|| route(item, lang)),
        actions,
        setting: Some(SettingView {
            roles: control.map(|c| c.roles.iter().map(|r| r.as_str().to_string()).collect()).unwrap_or_default(),
            // Every language's: the service may show one other than the browser's.
            labels: control.map(|c| c.labels.iter().map(|l| normalise_signal(&l.text)).collect()).unwrap_or_default(),
            find: if ask { ControlFind::Ask } else { ControlFind::Label },
            state: report.word().to_string(),
        }),
    }
}

/// The helper on an objection request's form page: what it covers and doesn't, and that Widerspruch fills in
/// and sends nothing. `sent`: the user already marked it sent.
pub fn request_helper(service: &'static Service, item: &'static Item, sent: bool, lang: &str) -> ServicePlan {
    let mut paragraphs = vec![named("request_intro", service, item, lang)];
    paragraphs.extend(coverage(item, lang));
    paragraphs.push(Text::new(if sent { "request_sent" } else { "request_mark" }));
    let mut actions = if sent { vec![] } else { vec![PanelAction::AlreadyDone] };
    actions.extend([PanelAction::LinkBroken, PanelAction::Close]);
    ServicePlan {
        kind: PanelKind::FormHelper,
        service: &service.id,
        item: &item.id,
        urging: false,
        label: Text::new("helper_label"),
        paragraphs,
        link: None,
        steps: None,
        actions,
        setting: None,
    }
}

impl ServicePlan {
    pub fn render(&self, l: &dyn Localize) -> PanelView {
        let mut actions = Vec::new();
        for a in &self.actions {
            actions.push(ActionView { action: *a, text: l.text(action_key(*a), &[]) });
        }
        PanelView {
            kind: self.kind,
            platform: self.service.to_string(),
            item: Some(self.item.to_string()),
            urging: self.urging,
            lang: l.lang(),
            label: l.resolve(&self.label),
            paragraphs: resolve_all(l, &self.paragraphs),
            link: self.link.as_ref().map(|(text, href)| LinkView { text: l.resolve(text), href: href.clone() }),
            steps_title: self.steps.as_ref().map(|(title, _)| l.resolve(title)).unwrap_or_default(),
            steps: self.steps.as_ref().map(|(_, s)| s.clone()).unwrap_or_default(),
            footnote: String::new(),
            reasons: Vec::new(),
            actions,
            watch: None,
            setting: self.setting.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::rules;
    use crate::testing::Catalogue;

    const NOW: f64 = 1_795_000_000_000.0; // 2026-11-18

    fn rec(status: Status) -> Record {
        Record { status, ..Default::default() }
    }

    #[test]
    fn feed_pages_get_the_platforms_form() {
        let fb = banner(rules(), Page::Feed(PlatformId::Facebook), &rec(Status::NotStarted), NOW).unwrap();
        assert_eq!(fb.link.unwrap().1, crate::testing::form_url(PlatformId::Facebook, true));
        assert!(fb.urging);
        let ig = banner(rules(), Page::Feed(PlatformId::Instagram), &rec(Status::FormOpened), NOW).unwrap();
        assert_eq!(ig.link.unwrap().1, crate::testing::form_url(PlatformId::Instagram, true));
        assert_eq!(ig.paragraphs[0].key, "banner_text_opened");
    }

    #[test]
    fn no_banner_once_submitted_snoozed_or_off_feed() {
        let fb = Page::Feed(PlatformId::Facebook);
        assert!(banner(rules(), fb, &rec(Status::Submitted), NOW).is_none());
        assert!(banner(rules(), fb, &rec(Status::Confirmed), NOW).is_none());
        let snoozed = Record { snoozed_until: Some(NOW + 1.0), ..Default::default() };
        assert!(banner(rules(), fb, &snoozed, NOW).is_none());
        let expired = Record { snoozed_until: Some(NOW - 1.0), ..Default::default() };
        assert!(banner(rules(), fb, &expired, NOW).is_some());
        let form = Page::ObjectionForm { platform: PlatformId::Facebook, current: true };
        assert!(banner(rules(), form, &rec(Status::NotStarted), NOW).is_none());
        assert!(banner(rules(), Page::OtherOnPlatform(PlatformId::Facebook), &rec(Status::NotStarted), NOW).is_none());
        assert!(banner(rules(), Page::Unrelated, &rec(Status::NotStarted), NOW).is_none());
    }

    #[test]
    fn rendered_banner_names_the_platform_in_plain_words() {
        let en = Catalogue::new("en");
        let v = banner(rules(), Page::Feed(PlatformId::Instagram), &rec(Status::NotStarted), NOW).unwrap().render(rules(), &en);
        assert!(v.paragraphs[0].contains("Instagram"), "{:?}", v.paragraphs);
        assert!(!v.paragraphs[0].contains('$'), "unresolved placeholder: {:?}", v.paragraphs);
        assert_eq!(v.lang, "en");
        assert!(v.watch.is_none(), "the feed is never watched");
        assert_eq!(v.actions.iter().map(|a| a.action).collect::<Vec<_>>(), [PanelAction::AlreadyDone, PanelAction::NotNow, PanelAction::LinkBroken]);
    }

    #[test]
    fn fallback_route_comes_in_the_users_language() {
        let de = Catalogue::new("de");
        let v = fallback(rules(), PanelKind::Banner, PlatformId::Facebook, Text::new("fallback_link_broken"), "de").render(rules(), &de);
        assert!(v.steps.iter().any(|s| s.contains("Widerspruchsrecht")), "{:?}", v.steps);
        assert!(v.steps_title.contains("Facebook"));
        assert!(v.footnote.contains("Hilfebereich"), "and the Help Centre search: {}", v.footnote);
        let v = fallback(rules(), PanelKind::Banner, PlatformId::Instagram, Text::new("fallback_link_broken"), "xx").render(rules(), &de);
        assert!(v.steps.iter().any(|s| s.contains("right to object")), "unknown language falls back to English");
    }

    #[test]
    fn form_helper_explains_fields_offers_reasons_and_watches() {
        let en = Catalogue::new("en");
        let v = form_helper(rules(), PlatformId::Facebook, NOW).render(rules(), &en);
        let all = v.paragraphs.join(" ");
        for needle in ["country", "email", "optional", "Accounts Center", "27 May 2025"] {
            assert!(all.contains(needle), "helper misses {needle:?}: {all}");
        }
        assert_eq!(v.reasons.len(), 3);
        assert!(v.reasons.iter().all(|r| r.text.len() > 20 && !r.label.is_empty()));
        let w = v.watch.expect("the form page is watched");
        let received = w.signals.iter().find(|s| s.signal == FormSignal::Received).unwrap();
        assert!(received.fragments.iter().any(|f| f.contains("will honour your objection")));
        assert!(received.fragments.iter().any(|f| f.contains("anfrage")), "every language's signals are sent");
        assert_eq!(received.when, SignalWhen::Answer, "\"received\" counts only as Meta's answer");
        for s in &w.signals {
            assert!(!s.fragments.is_empty(), "{:?}", s.signal);
            if s.signal != FormSignal::Received {
                assert_eq!(s.when, SignalWhen::Load, "{:?}: about the page as it loads", s.signal);
            }
        }
        assert_eq!(w.signals.len(), 3);
        assert_eq!(w.reason_field, "textarea");
        assert_eq!(w.form_area, rules().form_area.selector);
    }

    #[test]
    fn timing_never_promises_to_undo_the_past() {
        let en = Catalogue::new("en");
        let since = en.resolve(&timing(rules(), NOW));
        assert!(since.contains("27 May 2025") && since.contains("from now on"), "{since}");
        let before = en.resolve(&timing(rules(), 1_700_000_000_000.0)); // 2023
        assert!(before.contains("27 May 2025") && before.contains("before"), "{before}");
        for lang in ["en", "de"] {
            let c = Catalogue::new(lang);
            for t in [timing(rules(), NOW), timing(rules(), 0.0)] {
                let s = c.resolve(&t).to_lowercase();
                for lie in ["delete", "remove your", "löschen", "entfernen"] {
                    assert!(!s.contains(lie), "{lang}: promises what an objection cannot do: {s}");
                }
            }
        }
    }
}

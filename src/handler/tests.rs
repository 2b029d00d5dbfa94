use super::*;
use crate::rules::rules;
use crate::protocol::{GetChecklist, PageShown, QuestionAnswered, QuestionDismissed};
use serde_json::{json, Value};

const NOW: f64 = 1_795_000_000_000.0;
const DAY: f64 = 86_400_000.0;
const FB_FEED: Context = Context::MetaPage(Page::Feed(PlatformId::Facebook));
const IG_FEED: Context = Context::MetaPage(Page::Feed(PlatformId::Instagram));
const FB_FORM: Context = Context::MetaPage(Page::ObjectionForm { platform: PlatformId::Facebook, current: true });
const POPUP: Context = Context::ExtensionPage;

/// The handler decides from the authorised context; the URL a page message carries was checked before.
const URL: &str = "https://www.facebook.com/";

fn shown() -> Request {
    Request::PageShown(PageShown { url: URL.into() })
}

fn clicked(action: PanelAction) -> Request {
    Request::PanelClicked(PanelClicked { url: URL.into(), action })
}

fn signalled(signal: FormSignal) -> Request {
    Request::FormSignal(FormSignalled { url: URL.into(), signal })
}

fn checklist_clicked(group: &str, platform: PlatformId, action: ChecklistAction) -> Request {
    Request::ChecklistClicked(ChecklistClicked { group: group.into(), platform, action })
}

/// The writes as JSON, as storage receives them.
fn written(out: &Outcome) -> Vec<(String, Value)> {
    out.writes.iter().map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap())).collect()
}

fn empty() -> Stored {
    Stored::from_storage(json!({}))
}

fn run(msg: Request, ctx: Context, stored: &Stored) -> Outcome {
    handle(rules(), &msg, ctx, stored, NOW, "en")
}

/// Apply the writes and removals like storage would, and decode again: what the next message sees.
fn persist(before: &Value, out: &Outcome) -> Value {
    let mut all = before.as_object().cloned().unwrap_or_default();
    for (k, v) in written(out) {
        all.insert(k, v);
    }
    for k in &out.removals {
        all.remove(k);
    }
    Value::Object(all)
}

fn shows_panel(out: &Outcome) -> bool {
    matches!(out.reply, Answer::Panel(Some(_)))
}

fn checklist_of(out: &Outcome) -> &ChecklistView {
    match &out.reply {
        Answer::Checklist(c) => c,
        other => panic!("expected a checklist, got {other:?}"),
    }
}

#[test]
fn opening_the_form_page_records_form_opened_and_shows_the_helper() {
    let out = run(shown(), FB_FORM, &empty());
    let Answer::Panel(Some(plan)) = &out.reply else { panic!("{:?}", out.reply) };
    assert_eq!(plan.kind, PanelKind::FormHelper);
    assert!(plan.watch);
    assert_eq!(written(&out), vec![("progress/facebook/main".to_string(), json!({"v": 1, "status": "form_opened", "changed_at": NOW}))]);
    assert_eq!(out.stored.badge().text, "2", "form opened is still open");
}

#[test]
fn feed_page_gets_a_banner_until_done() {
    let out = run(shown(), FB_FEED, &empty());
    assert!(shows_panel(&out));
    assert!(out.writes.is_empty(), "showing a banner writes nothing");
    let done = run(clicked(PanelAction::AlreadyDone), FB_FEED, &empty());
    assert_eq!(done.stored.record(MAIN_GROUP, PlatformId::Facebook).status, Status::Submitted);
    assert_eq!(done.stored.badge().text, "1");
    assert_eq!(run(shown(), FB_FEED, &done.stored).reply, Answer::Panel(None));
    assert!(shows_panel(&run(shown(), IG_FEED, &done.stored)), "the other platform still asks");
}

#[test]
fn not_now_snoozes() {
    let out = run(clicked(PanelAction::NotNow), FB_FEED, &empty());
    assert_eq!(out.writes.len(), 1);
    assert_eq!(handle(rules(), &shown(), FB_FEED, &out.stored, NOW + 1000.0, "en").reply, Answer::Panel(None));
    assert!(shows_panel(&handle(rules(), &shown(), FB_FEED, &out.stored, NOW + 8.0 * DAY, "en")));
}

#[test]
fn link_broken_shows_the_route_in_the_users_language_and_writes_nothing() {
    let out = handle(rules(), &clicked(PanelAction::LinkBroken), FB_FEED, &empty(), NOW, "de");
    let Answer::Panel(Some(plan)) = &out.reply else { panic!("{:?}", out.reply) };
    assert!(plan.steps.as_ref().unwrap().1.iter().any(|s| s.contains("Datenschutzrichtlinie")));
    assert!(out.writes.is_empty());
}

#[test]
fn form_signals_from_the_form_page() {
    let out = run(signalled(FormSignal::Received), FB_FORM, &empty());
    assert_eq!(out.stored.record(MAIN_GROUP, PlatformId::Facebook).status, Status::Submitted);
    assert_eq!(out.stored.record(MAIN_GROUP, PlatformId::Facebook).changed_at, Some(NOW), "sent with the date");
    let Answer::Panel(Some(plan)) = &out.reply else { panic!() };
    assert_eq!(plan.paragraphs[0].key, "received_text");
    for (signal, key) in [(FormSignal::Unavailable, "fallback_unavailable"), (FormSignal::Login, "fallback_login")] {
        let out = run(signalled(signal), FB_FORM, &empty());
        let Answer::Panel(Some(plan)) = &out.reply else { panic!() };
        assert_eq!(plan.paragraphs[0].key, key);
        assert!(plan.steps.is_some());
        assert!(out.writes.is_empty());
    }
}

#[test]
fn clicks_and_signals_from_the_wrong_pages_change_nothing() {
    let other = Context::MetaPage(Page::OtherOnPlatform(PlatformId::Facebook));
    for (msg, ctx) in [
        (clicked(PanelAction::AlreadyDone), other),
        (clicked(PanelAction::AlreadyDone), FB_FORM),
        (signalled(FormSignal::Received), FB_FEED),
        (signalled(FormSignal::Received), other),
        (clicked(PanelAction::Close), FB_FEED),
    ] {
        let out = run(msg.clone(), ctx, &empty());
        assert!(matches!(out.reply, Answer::Rejected(_)), "{msg:?} from {ctx:?}");
        assert!(out.writes.is_empty());
    }
}

#[test]
fn popup_marks_and_reads_the_checklist() {
    let msg = checklist_clicked(MAIN_GROUP, PlatformId::Instagram, ChecklistAction::MarkConfirmed);
    let out = run(msg, POPUP, &empty());
    let c = checklist_of(&out);
    assert!(!c.read_only);
    assert_eq!(c.open, 1);
    assert_eq!(c.groups[0].items[1].platform, PlatformId::Instagram);
    assert_eq!(c.groups[0].items[1].status, Status::Confirmed);
    assert_eq!(c.groups[0].items[0].status, Status::NotStarted);
}

#[test]
fn a_gentle_reminder_when_the_email_does_not_come() {
    let stored = Stored::from_storage(json!({"progress/facebook/main": {"v": 1, "status": "submitted", "changed_at": NOW - 4.0 * DAY},
        "progress/instagram/main": {"v": 1, "status": "submitted", "changed_at": NOW - DAY}}));
    let out = run(Request::GetChecklist(GetChecklist {}), POPUP, &stored);
    let items = &checklist_of(&out).groups[0].items;
    assert!(items[0].remind);
    assert!(!items[1].remind, "one day is normal");
}

#[test]
fn account_groups() {
    let s0 = json!({});
    let add = run(Request::GroupAdd(GroupAdd { name: "  Club\u{0007} ".into() }), POPUP, &Stored::from_storage(&s0));
    let s1 = persist(&s0, &add);
    let stored = Stored::from_storage(&s1);
    assert_eq!(stored.groups.groups.len(), 2);
    let club = stored.groups.groups[1].clone();
    assert_eq!(club.name, "Club");
    assert_eq!(stored.groups.active, club.id, "a new group becomes the one being worked on");
    assert_eq!(stored.badge().text, "4", "two platforms in two groups");

    // The form's "received" now counts for the club group, not the main one.
    let got = run(signalled(FormSignal::Received), FB_FORM, &stored);
    let s2 = persist(&s1, &got);
    let stored = Stored::from_storage(&s2);
    assert_eq!(stored.record(&club.id, PlatformId::Facebook).status, Status::Submitted);
    assert_eq!(stored.record(MAIN_GROUP, PlatformId::Facebook).status, Status::NotStarted);

    // Linked: one objection covers both platforms of that group.
    let link = run(Request::GroupLinked(GroupLinked { group: club.id.clone(), linked: true }), POPUP, &stored);
    let s3 = persist(&s2, &link);
    let stored = Stored::from_storage(&s3);
    let c = checklist_of(&run(Request::GetChecklist(GetChecklist {}), POPUP, &stored)).clone();
    assert!(c.groups[1].linked && c.groups[1].active);
    assert!(c.groups[1].items[1].covered);
    assert_eq!(c.groups[1].items[1].status, Status::Submitted);
    assert_eq!(c.open, 2, "main group still open on both");
    assert_eq!(run(shown(), IG_FEED, &stored).reply, Answer::Panel(None), "covered: no banner");

    // Remove it: its progress goes with it, main stays.
    let rm = run(Request::GroupRemove(GroupRemove { group: club.id.clone() }), POPUP, &stored);
    assert_eq!(rm.removals, vec![format!("progress/facebook/{}", club.id), format!("progress/instagram/{}", club.id)]);
    let stored = Stored::from_storage(persist(&s3, &rm));
    assert_eq!(stored.groups, Groups::default());
    assert!(matches!(run(Request::GroupRemove(GroupRemove { group: MAIN_GROUP.into() }), POPUP, &stored).reply, Answer::Rejected(_)));
    assert!(matches!(run(Request::GroupAdd(GroupAdd { name: "   ".into() }), POPUP, &stored).reply, Answer::Rejected(_)));
    assert!(matches!(run(Request::GroupActive(GroupActive { group: "g404".into() }), POPUP, &stored).reply, Answer::Rejected(_)));
}

#[test]
fn newer_data_is_never_overwritten() {
    let stored = Stored::from_storage(json!({"progress/facebook/main": {"v": 7, "status": "submitted", "future": true}}));
    assert_eq!(stored.warnings().len(), 1);
    let msg = checklist_clicked(MAIN_GROUP, PlatformId::Facebook, ChecklistAction::Reset);
    let out = run(msg, POPUP, &stored);
    assert!(out.writes.is_empty());
    assert!(matches!(out.reply, Answer::Rejected(_)));
    // Other platforms still work.
    let msg = checklist_clicked(MAIN_GROUP, PlatformId::Instagram, ChecklistAction::MarkSubmitted);
    assert_eq!(run(msg, POPUP, &stored).writes.len(), 1);
    // Newer groups: read-only too.
    let stored = Stored::from_storage(json!({"groups": {"v": 2, "active": "main", "groups": [{"id": "main", "name": "", "linked": false}]}}));
    assert!(stored.read_only());
    assert!(run(Request::GroupAdd(GroupAdd { name: "x".into() }), POPUP, &stored).writes.is_empty());
}

#[test]
fn corrupt_data_is_replaced_only_when_the_user_acts() {
    let stored = Stored::from_storage(json!({"progress/facebook/main": "garbage", "groups": [1, 2]}));
    assert_eq!(stored.warnings().len(), 2);
    assert!(run(shown(), FB_FEED, &stored).writes.is_empty());
    let out = run(clicked(PanelAction::AlreadyDone), FB_FEED, &stored);
    assert_eq!(out.writes.len(), 1);
}

#[test]
fn requests_from_the_wrong_context_are_refused() {
    let out = run(shown(), POPUP, &empty());
    assert!(matches!(out.reply, Answer::Rejected(_)));
    let out = run(Request::GetChecklist(GetChecklist {}), FB_FEED, &empty());
    assert!(matches!(out.reply, Answer::Rejected(_)));
}

// ── Meta's 2026 Privacy Center flow, its AI pages, and Threads (issue 9) ──

const FLOW: Context = Context::MetaPage(Page::PrivacyFlow);
const THREADS: Context = Context::MetaPage(Page::CoveredFeed(PlatformId::Instagram));

fn plan_of(out: &Outcome) -> &PanelPlan {
    match &out.reply {
        Answer::Panel(Some(p)) => p,
        other => panic!("expected a panel, got {other:?}"),
    }
}

fn status_after(before: &Value, out: &Outcome, p: PlatformId) -> Status {
    Stored::from_storage(persist(before, out)).record(MAIN_GROUP, p).status
}

#[test]
fn threads_gets_the_instagram_banner_and_says_why() {
    let out = run(shown(), THREADS, &empty());
    let plan = plan_of(&out);
    assert_eq!((plan.kind, plan.platform), (PanelKind::Banner, PlatformId::Instagram));
    assert_eq!(plan.paragraphs[0], Text::new("banner_threads"));
    assert_eq!(plan.link.as_ref().unwrap().1, rules().platform(PlatformId::Instagram).form);
    // The banner's link and buttons count for Instagram.
    let out = run(clicked(PanelAction::AlreadyDone), THREADS, &empty());
    assert_eq!(status_after(&json!({}), &out, PlatformId::Instagram), Status::Submitted);
    // Once Instagram is sent, Threads shows nothing.
    let stored = Stored::from_storage(persist(&json!({}), &out));
    assert!(!shows_panel(&run(shown(), THREADS, &stored)));
}

#[test]
fn the_flow_continues_the_journey_of_the_form_link_that_led_there() {
    // The banner's link on Instagram (which may redirect to the flow) marked Instagram opened.
    let before = persist(&json!({}), &run(clicked(PanelAction::OpenForm), IG_FEED, &empty()));
    let stored = Stored::from_storage(&before);
    let out = run(shown(), FLOW, &stored);
    let plan = plan_of(&out);
    assert_eq!((plan.kind, plan.platform, plan.watch, plan.label), (PanelKind::FormHelper, PlatformId::Instagram, true, "flow_label"));
    assert_eq!(plan.reasons.len(), 3);
    // Facebook was not touched: the flow is for the objection the user set out to send.
    assert_eq!(status_after(&before, &out, PlatformId::Facebook), Status::NotStarted);
    // "Received" there asks, Instagram first because its link led here; nothing is marked yet.
    let after = persist(&before, &out);
    let out = run(signalled(FormSignal::Received), FLOW, &Stored::from_storage(&after));
    assert_eq!(status_after(&after, &out, PlatformId::Instagram), Status::FormOpened);
    assert_eq!(status_after(&after, &out, PlatformId::Facebook), Status::NotStarted);
    let plan = plan_of(&out);
    assert_eq!(plan.actions, [PanelAction::SentForInstagram, PanelAction::SentForFacebook, PanelAction::DismissQuestion, PanelAction::Close]);
    assert_eq!(plan.paragraphs[1], Text::with("question_followed", "Instagram"), "and it says why Instagram comes first");
    // The answer marks Instagram sent, and only Instagram.
    let after = persist(&after, &out);
    let out = run(clicked(PanelAction::SentForInstagram), FLOW, &Stored::from_storage(&after));
    assert_eq!(status_after(&after, &out, PlatformId::Instagram), Status::Submitted);
    assert_eq!(status_after(&after, &out, PlatformId::Facebook), Status::NotStarted);
    assert_eq!(plan_of(&out).paragraphs[0], Text::with("received_text", "Instagram"));
}

#[test]
fn opening_the_flow_directly_counts_as_form_opened_for_what_is_still_open() {
    let out = run(shown(), FLOW, &empty());
    assert!(shows_panel(&out));
    for p in PlatformId::ALL {
        assert_eq!(status_after(&json!({}), &out, p), Status::FormOpened, "{p:?}");
    }
    let after = persist(&json!({}), &out);
    let out = run(signalled(FormSignal::Received), FLOW, &Stored::from_storage(&after));
    let plan = plan_of(&out);
    assert_eq!(plan.paragraphs[0], Text::new("question_text"), "it asks");
    assert!(!plan.paragraphs.iter().any(|t| t.key == "question_followed"), "no link was followed: nothing preselected");
    assert_eq!(plan.actions[..2], [PanelAction::SentForFacebook, PanelAction::SentForInstagram]);
    // Nothing in progress: a "received" from the flow has nothing to mark.
    let out = run(signalled(FormSignal::Received), FLOW, &empty());
    assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty());
}

#[test]
fn the_flow_names_each_choice_in_the_users_language_with_metas_english() {
    let plan = panel::privacy_flow(rules(), PlatformId::Facebook, NOW, "de");
    let own = rules().privacy_center.choices.iter().find(|c| c.id == crate::rules::ChoiceId::Own).unwrap();
    let want = format!("{} / {}", own.label["de"], own.label["en"]);
    assert_eq!(plan.paragraphs[1], Text::with("flow_choice_own", &want));
    let plan = panel::privacy_flow(rules(), PlatformId::Facebook, NOW, "en");
    assert_eq!(plan.paragraphs[1], Text::with("flow_choice_own", &own.label["en"]));
}

#[test]
fn the_privacy_centers_ai_page_points_to_the_form_and_changes_nothing() {
    let guide = Context::MetaPage(Page::PrivacyGuide(PlatformId::Facebook));
    let out = run(shown(), guide, &empty());
    let plan = plan_of(&out);
    assert_eq!(plan.link.as_ref().unwrap().1, rules().platform(PlatformId::Facebook).form);
    assert!(out.writes.is_empty() && !plan.watch);
    // Its page may not report form signals, and has no banner buttons.
    assert!(matches!(run(clicked(PanelAction::AlreadyDone), guide, &empty()).reply, Answer::Rejected(_)));
}

// ── Issue 14: the flow asks which account ──

fn flow_question_of(out: &Outcome) -> Vec<PanelAction> {
    let plan = plan_of(out);
    assert_eq!(plan.paragraphs[0], Text::new("question_text"), "{plan:?}");
    plan.actions.clone()
}

fn stored_question(all: &Value) -> Value {
    all.get("pending/main").cloned().unwrap_or(Value::Null)
}

/// The flow shown, then Meta's "received" in it: (storage after both, the second outcome).
fn flow_sent(before: &Value) -> (Value, Outcome) {
    let shown_out = run(shown(), FLOW, &Stored::from_storage(before));
    let after = persist(before, &shown_out);
    let out = run(signalled(FormSignal::Received), FLOW, &Stored::from_storage(&after));
    (persist(&after, &out), out)
}

#[test]
fn a_received_in_the_flow_asks_and_marks_nothing() {
    // Facebook's form link was followed (it led into the flow).
    let before = persist(&json!({}), &run(clicked(PanelAction::OpenForm), FB_FEED, &empty()));
    let (after, out) = flow_sent(&before);
    assert_eq!(flow_question_of(&out), [PanelAction::SentForFacebook, PanelAction::SentForInstagram, PanelAction::DismissQuestion, PanelAction::Close]);
    assert_eq!(plan_of(&out).paragraphs[1], Text::with("question_followed", "Facebook"));
    assert!(!plan_of(&out).watch, "the question is not a form: nothing more to watch");
    let stored = Stored::from_storage(&after);
    for p in PlatformId::ALL {
        assert!(!stored.record(MAIN_GROUP, p).status.is_protected(), "{p:?} marked before the user answered");
    }
    assert_eq!(stored.badge().text, "2", "the badge still counts both");
    // The question is stored, and the popup offers it (Facebook first).
    assert_eq!(stored_question(&after), json!({"v": 1, "platforms": ["facebook", "instagram"], "preselected": ["facebook"], "asked_at": NOW}));
    let c = checklist_of(&run(Request::GetChecklist(GetChecklist {}), POPUP, &stored)).clone();
    let q = c.groups[0].question.as_ref().expect("the popup shows the question");
    assert_eq!(q.platforms.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [PlatformId::Facebook, PlatformId::Instagram]);
    assert_eq!(q.preselected, [PlatformId::Facebook]);
    assert_eq!(c.open, 2);
}

#[test]
fn the_answer_marks_exactly_that_platform_at_the_time_meta_answered() {
    let (after, _) = flow_sent(&json!({}));
    let later = NOW + 3.0 * DAY;
    // From the popup, days later, after the tab is gone.
    let msg = Request::QuestionAnswered(QuestionAnswered { group: MAIN_GROUP.into(), platform: PlatformId::Instagram });
    let out = handle(rules(), &msg, POPUP, &Stored::from_storage(&after), later, "en");
    assert_eq!(out.removals, ["pending/main"], "the question goes");
    let done = persist(&after, &out);
    let stored = Stored::from_storage(&done);
    assert_eq!(stored.record(MAIN_GROUP, PlatformId::Instagram), Record { status: Status::Submitted, changed_at: Some(NOW), snoozed_until: None });
    assert_eq!(stored.record(MAIN_GROUP, PlatformId::Facebook).status, Status::FormOpened);
    assert_eq!(stored_question(&done), Value::Null);
    let c = checklist_of(&out);
    assert!(c.groups[0].question.is_none() && c.open == 1, "{c:?}");
    // Answering again: no question is waiting.
    assert!(matches!(run(msg, POPUP, &stored).reply, Answer::Rejected(_)));
    // Answered in the flow instead: the same.
    let out = run(clicked(PanelAction::SentForFacebook), FLOW, &Stored::from_storage(&after));
    let done = persist(&after, &out);
    assert_eq!(Stored::from_storage(&done).record(MAIN_GROUP, PlatformId::Facebook).status, Status::Submitted);
    assert_eq!(Stored::from_storage(&done).record(MAIN_GROUP, PlatformId::Instagram).status, Status::FormOpened);
    assert_eq!(plan_of(&out).paragraphs[0], Text::with("received_text", "Facebook"));
}

#[test]
fn dismissing_marks_nothing() {
    let (after, _) = flow_sent(&json!({}));
    for (msg, ctx) in [
        (Request::QuestionDismissed(QuestionDismissed { group: MAIN_GROUP.into() }), POPUP),
        (clicked(PanelAction::DismissQuestion), FLOW),
    ] {
        let out = run(msg.clone(), ctx, &Stored::from_storage(&after));
        assert!(out.writes.is_empty(), "{msg:?}: {:?}", out.writes);
        assert_eq!(out.removals, ["pending/main"]);
        let stored = Stored::from_storage(persist(&after, &out));
        assert_eq!(stored.badge().text, "2");
        assert!(PlatformId::ALL.iter().all(|p| stored.record(MAIN_GROUP, *p).status == Status::FormOpened));
    }
}

#[test]
fn a_linked_group_marks_both_and_says_why_without_asking() {
    let link = run(Request::GroupLinked(GroupLinked { group: MAIN_GROUP.into(), linked: true }), POPUP, &empty());
    let before = persist(&json!({}), &link);
    let (after, out) = flow_sent(&before);
    let plan = plan_of(&out);
    assert_eq!(plan.paragraphs[..2], [Text::with("received_text", "Facebook & Instagram"), Text::new("question_linked")]);
    assert!(!plan.actions.contains(&PanelAction::SentForFacebook), "no question");
    let stored = Stored::from_storage(&after);
    assert!(PlatformId::ALL.iter().all(|p| stored.record(MAIN_GROUP, *p).status == Status::Submitted));
    assert_eq!(stored_question(&after), Value::Null, "nothing to ask");
}

#[test]
fn meta_showing_it_again_asks_nothing_new_and_moves_no_date() {
    let (after, _) = flow_sent(&json!({}));
    // A reload or re-render of the confirmation, an hour later.
    let again = handle(rules(), &signalled(FormSignal::Received), FLOW, &Stored::from_storage(&after), NOW + 3_600_000.0, "en");
    assert!(again.writes.is_empty() && again.removals.is_empty(), "{:?}", again.writes);
    assert_eq!(flow_question_of(&again)[..2], [PanelAction::SentForFacebook, PanelAction::SentForInstagram], "the same question, shown again");
    assert_eq!(stored_question(&persist(&after, &again))["asked_at"], json!(NOW));
    // A question whose platforms were all marked meanwhile (by hand in the popup) is stale: a new one replaces it.
    let mark = checklist_clicked(MAIN_GROUP, PlatformId::Facebook, ChecklistAction::MarkSubmitted);
    let s1 = persist(&after, &run(mark, POPUP, &Stored::from_storage(&after)));
    let c = checklist_of(&run(Request::GetChecklist(GetChecklist {}), POPUP, &Stored::from_storage(&s1))).clone();
    assert_eq!(c.groups[0].question.as_ref().unwrap().platforms.len(), 1, "only what is still open is offered");
    let mark = checklist_clicked(MAIN_GROUP, PlatformId::Instagram, ChecklistAction::MarkSubmitted);
    let s2 = persist(&s1, &run(mark, POPUP, &Stored::from_storage(&s1)));
    let c = checklist_of(&run(Request::GetChecklist(GetChecklist {}), POPUP, &Stored::from_storage(&s2))).clone();
    assert!(c.groups[0].question.is_none());
}

#[test]
fn answers_only_from_the_flow_and_only_for_the_question_asked() {
    let (after, _) = flow_sent(&json!({}));
    let stored = Stored::from_storage(&after);
    for ctx in [FB_FEED, FB_FORM, IG_FEED] {
        let out = run(clicked(PanelAction::SentForFacebook), ctx, &stored);
        assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty() && out.removals.is_empty(), "{ctx:?}");
    }
    // No question waiting: an answer changes nothing.
    for msg in [clicked(PanelAction::SentForInstagram), clicked(PanelAction::DismissQuestion)] {
        let out = run(msg, FLOW, &empty());
        assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty() && out.removals.is_empty());
    }
    // A question about Instagram alone (Facebook was already sent) takes no answer for Facebook.
    let only_ig = json!({"progress/facebook/main": {"v": 1, "status": "submitted", "changed_at": NOW},
        "pending/main": {"v": 1, "platforms": ["instagram"], "preselected": [], "asked_at": NOW}});
    let out = run(clicked(PanelAction::SentForFacebook), FLOW, &Stored::from_storage(&only_ig));
    assert!(matches!(out.reply, Answer::Rejected(_)) && out.removals.is_empty());
}

#[test]
fn unreadable_and_newer_questions() {
    // Corrupt: no question shown, one warning, and a new question replaces it.
    let corrupt = json!({"pending/main": {"v": 1, "platforms": ["threads"], "asked_at": "x"}});
    let stored = Stored::from_storage(&corrupt);
    assert_eq!(stored.warnings().len(), 1, "{:?}", stored.warnings());
    assert!(stored.warnings()[0].starts_with("pending/main:"));
    assert!(checklist_of(&run(Request::GetChecklist(GetChecklist {}), POPUP, &stored)).groups[0].question.is_none());
    assert!(matches!(run(Request::QuestionDismissed(QuestionDismissed { group: MAIN_GROUP.into() }), POPUP, &stored).reply, Answer::Rejected(_)));
    let (after, _) = flow_sent(&corrupt);
    assert_eq!(stored_question(&after)["v"], json!(1), "replaced by a readable question");
    // Newer: never written nor removed; the flow still asks (unstored), and its answer still counts.
    let newer = json!({"pending/main": {"v": 2, "accounts": ["x"]}});
    let stored = Stored::from_storage(&newer);
    assert!(stored.read_only());
    let (after, out) = flow_sent(&newer);
    assert_eq!(flow_question_of(&out)[..2], [PanelAction::SentForFacebook, PanelAction::SentForInstagram]);
    assert_eq!(after["pending/main"], newer["pending/main"]);
    let out = run(clicked(PanelAction::SentForInstagram), FLOW, &Stored::from_storage(&after));
    assert!(out.removals.is_empty());
    assert_eq!(status_after(&after, &out, PlatformId::Instagram), Status::Submitted);
    let out = run(Request::QuestionAnswered(QuestionAnswered { group: MAIN_GROUP.into(), platform: PlatformId::Facebook }), POPUP, &Stored::from_storage(&after));
    assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty() && out.removals.is_empty());
    // A question of a group that does not exist is not ours to read.
    let orphan = Stored::from_storage(json!({"pending/g404": "garbage"}));
    assert!(orphan.warnings().is_empty() && !orphan.read_only());
}

#[test]
fn removing_a_group_removes_its_question() {
    let add = run(Request::GroupAdd(GroupAdd { name: "Club".into() }), POPUP, &empty());
    let s1 = persist(&json!({}), &add);
    let club = Stored::from_storage(&s1).groups.active.clone();
    let shown_out = run(shown(), FLOW, &Stored::from_storage(&s1));
    let s2 = persist(&s1, &shown_out);
    let s3 = persist(&s2, &run(signalled(FormSignal::Received), FLOW, &Stored::from_storage(&s2)));
    assert!(s3.get(format!("pending/{club}").as_str()).is_some(), "the question is the active group's");
    let rm = run(Request::GroupRemove(GroupRemove { group: club.clone() }), POPUP, &Stored::from_storage(&s3));
    assert!(rm.removals.contains(&format!("pending/{club}")), "{:?}", rm.removals);
}

// ── Issue 15: services other than Meta ──

mod services {
    use super::*;
    use crate::progress::SettingState;
    use crate::popup::ServiceAction;
    use crate::protocol::{ItemClicked, SeenState, ServiceChosen, ServicePage, SettingSeen};
    use crate::rules::services as all_services;

    const LI: &str = "linkedin";
    const LI_FEED: Context = Context::ServicePage(LI, ServicePage::Feed);
    const LI_OTHER: Context = Context::ServicePage(LI, ServicePage::Other);

    /// The LinkedIn items of the rules: its setting and its objection request.
    fn li_setting() -> &'static Item {
        let s = all_services().iter().find(|s| s.id == LI).unwrap();
        s.items.iter().find(|i| i.kind == ItemKind::Setting).expect("LinkedIn has a setting")
    }

    fn li_request() -> &'static Item {
        let s = all_services().iter().find(|s| s.id == LI).unwrap();
        s.items.iter().find(|i| i.kind == ItemKind::ObjectionRequest).expect("LinkedIn has an objection request")
    }

    fn page_of(item: &'static Item) -> Context {
        Context::ServicePage(LI, ServicePage::Item(&item.id))
    }

    /// A service whose setting cannot be read (`find: ask`).
    fn ask_service() -> (&'static Service, &'static Item) {
        all_services()
            .iter()
            .find_map(|s| s.items.iter().find(|i| i.control.as_ref().is_some_and(|c| c.find == Find::Ask)).map(|i| (s, i)))
            .expect("a service whose setting is found by asking")
    }

    fn chosen(ids: &[&str]) -> Value {
        json!({"services": {"v": 1, "chosen": ids, "changed_at": NOW - DAY}})
    }

    fn seen(state: SeenState) -> Request {
        Request::SettingSeen(SettingSeen { url: URL.into(), state })
    }

    fn item_clicked(service: &str, item: &str, action: ServiceAction) -> Request {
        Request::ItemClicked(ItemClicked { service: service.into(), item: item.into(), action })
    }

    fn service_plan(out: &Outcome) -> &ServicePlan {
        match &out.reply {
            Answer::ServicePanel(p) => p,
            other => panic!("expected a service panel, got {other:?}"),
        }
    }

    fn state_after(before: &Value, out: &Outcome, item: &Item) -> SettingState {
        Stored::from_storage(persist(before, out)).setting(LI, &item.id).record().state
    }

    #[test]
    fn a_service_not_chosen_gets_nothing_and_may_change_nothing() {
        for before in [json!({}), chosen(&["x"]), json!({"services": "garbage"})] {
            let stored = Stored::from_storage(&before);
            for (msg, ctx) in [
                (shown(), LI_FEED),
                (shown(), page_of(li_setting())),
                (seen(SeenState::Off), page_of(li_setting())),
                (clicked(PanelAction::ConfirmOff), page_of(li_setting())),
                (clicked(PanelAction::AlreadyDone), page_of(li_request())),
                (clicked(PanelAction::NotNow), LI_FEED),
            ] {
                let out = run(msg.clone(), ctx, &stored);
                assert_eq!(out.reply, Answer::Rejected("this service is not switched on".into()), "{msg:?} with {before}");
                assert!(out.writes.is_empty() && out.removals.is_empty());
            }
            let out = run(item_clicked(LI, &li_request().id, ServiceAction::MarkSubmitted), POPUP, &stored);
            assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty());
        }
    }

    #[test]
    fn the_banner_on_a_chosen_services_site_leads_to_the_first_open_item() {
        let before = chosen(&[LI]);
        let stored = Stored::from_storage(&before);
        let out = run(shown(), LI_FEED, &stored);
        let plan = service_plan(&out);
        assert_eq!((plan.kind, plan.service, plan.item, plan.urging), (PanelKind::Banner, LI, li_setting().id.as_str(), true));
        assert_eq!(plan.link.as_ref().unwrap().1, li_setting().link);
        assert!(!plan.actions.contains(&PanelAction::AlreadyDone), "a setting is never marked off from the banner");
        assert!(out.writes.is_empty());
        assert_eq!(run(shown(), LI_OTHER, &stored).reply, Answer::Panel(None), "no banner off the feed");
        // The setting seen off: the banner leads to what is still open.
        let off = persist(&before, &run(seen(SeenState::Off), page_of(li_setting()), &stored));
        let out = run(shown(), LI_FEED, &Stored::from_storage(&off));
        assert_eq!(service_plan(&out).item, li_request().id);
        assert!(service_plan(&out).actions.contains(&PanelAction::AlreadyDone), "a form the user sends: they may say so");
        // Everything done: no banner.
        let done = persist(&off, &run(clicked(PanelAction::AlreadyDone), LI_FEED, &Stored::from_storage(&off)));
        assert_eq!(Stored::from_storage(&done).request(LI, &li_request().id).record().status, Status::Submitted);
        assert_eq!(run(shown(), LI_FEED, &Stored::from_storage(&done)).reply, Answer::Panel(None));
    }

    #[test]
    fn not_now_rests_the_service_and_the_route_is_one_click_away() {
        let before = chosen(&[LI]);
        let out = run(clicked(PanelAction::NotNow), LI_FEED, &Stored::from_storage(&before));
        assert_eq!(out.writes.len(), 2, "every open item of the service rests: {:?}", written(&out));
        let after = Stored::from_storage(persist(&before, &out));
        assert_eq!(after.setting(LI, &li_setting().id).record().state, SettingState::NotChecked, "resting is not checking");
        assert_eq!(handle(rules(), &shown(), LI_FEED, &after, NOW + DAY, "en").reply, Answer::Panel(None));
        assert!(matches!(handle(rules(), &shown(), LI_FEED, &after, NOW + 31.0 * DAY, "en").reply, Answer::ServicePanel(_)));
        assert_eq!(after.badge().text, "4", "resting items are still open");
        let out = handle(rules(), &clicked(PanelAction::LinkBroken), LI_FEED, &Stored::from_storage(&before), NOW, "de");
        let plan = service_plan(&out);
        assert_eq!(plan.steps.as_ref().unwrap().1, in_language(&li_setting().route, "de").steps);
        assert!(out.writes.is_empty());
    }

    #[test]
    fn the_setting_page_says_which_control_and_its_control_alone_marks_it_off() {
        let before = chosen(&[LI]);
        let page = page_of(li_setting());
        let out = run(shown(), page, &Stored::from_storage(&before));
        let plan = service_plan(&out);
        assert_eq!(plan.kind, PanelKind::SettingHelper);
        assert!(out.writes.is_empty(), "showing the page checks nothing");
        let setting = plan.setting.as_ref().unwrap();
        let control = li_setting().control.as_ref().unwrap();
        assert_eq!((setting.find, setting.state.as_str()), (panel::ControlFind::Label, "unknown"));
        assert_eq!(setting.roles, control.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>());
        assert!(setting.labels.contains(&crate::rules::normalise_signal(&control.labels[0].text)));
        assert!(!plan.actions.contains(&PanelAction::ConfirmOff), "readable: the control decides, not the user's click");
        assert_eq!(plan.paragraphs[1], Text::with("setting_control", &control.labels.iter().find(|l| l.lang == "en").unwrap().shown), "the label as LinkedIn writes it");
        // Off on its page: done, at once, with the date.
        let out = run(seen(SeenState::Off), page, &Stored::from_storage(&before));
        let off = persist(&before, &out);
        assert_eq!(written(&out), vec![(format!("setting/{LI}/{}", li_setting().id), json!({"v": 1, "state": "off", "changed_at": NOW, "seen_at": NOW}))]);
        assert_eq!(service_plan(&out).setting.as_ref().unwrap().state, "off");
        assert_eq!(Stored::from_storage(&off).badge().text, "3", "Meta's two and the objection request");
        // On again at a later visit: open again.
        let out = run(seen(SeenState::On), page, &Stored::from_storage(&off));
        assert_eq!(state_after(&off, &out, li_setting()), SettingState::On);
        assert_eq!(Stored::from_storage(persist(&off, &out)).badge().text, "4");
    }

    #[test]
    fn where_the_control_is_missing_the_user_confirms_and_a_later_sighting_still_counts() {
        let before = chosen(&[LI]);
        let page = page_of(li_setting());
        let out = run(seen(SeenState::Missing), page, &Stored::from_storage(&before));
        assert!(out.writes.is_empty(), "not found is not off");
        let plan = service_plan(&out);
        assert!(plan.actions.contains(&PanelAction::ConfirmOff));
        assert!(plan.steps.is_some(), "and the way there");
        assert_eq!(plan.setting.as_ref().unwrap().state, "missing");
        let out = run(clicked(PanelAction::ConfirmOff), page, &Stored::from_storage(&before));
        assert_eq!(state_after(&before, &out, li_setting()), SettingState::UserOff);
        let user_off = persist(&before, &out);
        assert!(!service_plan(&out).actions.contains(&PanelAction::ConfirmOff), "once said, not asked again");
        let out = run(seen(SeenState::On), page, &Stored::from_storage(&user_off));
        assert_eq!(state_after(&user_off, &out, li_setting()), SettingState::On, "the user's word yields to what the page shows");
        // On the objection request's page, or the feed, there is no setting to confirm.
        for ctx in [page_of(li_request()), LI_FEED] {
            let out = run(clicked(PanelAction::ConfirmOff), ctx, &Stored::from_storage(&before));
            assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty(), "{ctx:?}");
        }
        let out = run(seen(SeenState::Off), page_of(li_request()), &Stored::from_storage(&before));
        assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty());
    }

    #[test]
    fn a_setting_is_never_marked_off_by_anything_else() {
        let before = chosen(&[LI, "x", "google"]);
        let stored = Stored::from_storage(&before);
        let mut msgs = vec![(shown(), LI_FEED), (shown(), LI_OTHER), (seen(SeenState::Missing), page_of(li_setting())), (seen(SeenState::On), page_of(li_setting()))];
        for a in [PanelAction::OpenForm, PanelAction::AlreadyDone, PanelAction::NotNow, PanelAction::LinkBroken, PanelAction::Close, PanelAction::ConfirmOff] {
            msgs.push((clicked(a), LI_FEED));
            msgs.push((clicked(a), page_of(li_request())));
            msgs.push((clicked(a), LI_OTHER));
        }
        for s in all_services() {
            for i in &s.items {
                for a in [ServiceAction::Open, ServiceAction::MarkSubmitted, ServiceAction::MarkConfirmed, ServiceAction::ConfirmOff, ServiceAction::Reset] {
                    // A setting the page can read is never confirmed from the popup.
                    if a == ServiceAction::ConfirmOff && i.control.as_ref().is_some_and(|c| c.find == Find::Ask) {
                        continue;
                    }
                    msgs.push((item_clicked(&s.id, &i.id, a), POPUP));
                }
            }
        }
        for (msg, ctx) in msgs {
            let out = run(msg.clone(), ctx, &stored);
            for (k, v) in written(&out) {
                if k.starts_with("setting/") {
                    assert!(!matches!(v["state"].as_str(), Some("off" | "user_off")), "{msg:?} from {ctx:?} wrote {k} = {v}");
                }
            }
        }
    }

    #[test]
    fn where_no_page_can_read_it_the_user_says_it_is_off() {
        let (service, item) = ask_service();
        let before = chosen(&[&service.id]);
        let page = Context::ServicePage(&service.id, ServicePage::Item(&item.id));
        let out = run(shown(), page, &Stored::from_storage(&before));
        let plan = service_plan(&out);
        assert_eq!(plan.setting.as_ref().unwrap().find, panel::ControlFind::Ask);
        assert!(plan.actions.contains(&PanelAction::ConfirmOff) && plan.steps.is_some());
        let out = run(item_clicked(&service.id, &item.id, ServiceAction::ConfirmOff), POPUP, &Stored::from_storage(&before));
        let after = Stored::from_storage(persist(&before, &out));
        assert_eq!(after.setting(&service.id, &item.id).record().state, SettingState::UserOff);
        // Reset takes it back to "not checked" (the key goes).
        let out = run(item_clicked(&service.id, &item.id, ServiceAction::Reset), POPUP, &after);
        assert_eq!(out.removals, [format!("setting/{}/{}", service.id, item.id)]);
    }

    #[test]
    fn an_objection_requests_form_page_tracks_the_journey_and_marks_only_on_the_users_word() {
        let before = chosen(&[LI]);
        let page = page_of(li_request());
        let out = run(shown(), page, &Stored::from_storage(&before));
        let plan = service_plan(&out);
        assert_eq!(plan.kind, PanelKind::FormHelper);
        assert!(plan.setting.is_none() && plan.actions.contains(&PanelAction::AlreadyDone));
        assert_eq!(written(&out), vec![(format!("request/{LI}/{}", li_request().id), json!({"v": 1, "status": "form_opened", "changed_at": NOW}))]);
        let opened = persist(&before, &out);
        let out = run(clicked(PanelAction::AlreadyDone), page, &Stored::from_storage(&opened));
        let sent = persist(&opened, &out);
        assert_eq!(Stored::from_storage(&sent).request(LI, &li_request().id).record().status, Status::Submitted);
        assert!(!service_plan(&out).actions.contains(&PanelAction::AlreadyDone));
        // The popup: confirmed, reset.
        let out = run(item_clicked(LI, &li_request().id, ServiceAction::MarkConfirmed), POPUP, &Stored::from_storage(&sent));
        assert_eq!(Stored::from_storage(persist(&sent, &out)).request(LI, &li_request().id).record().status, Status::Confirmed);
        assert!(matches!(run(item_clicked(LI, &li_request().id, ServiceAction::ConfirmOff), POPUP, &Stored::from_storage(&sent)).reply, Answer::Rejected(_)));
    }

    #[test]
    fn choosing_a_service_is_stored_and_the_checklist_shows_it_with_its_access() {
        let out = run(Request::ServiceChosen(ServiceChosen { service: LI.into(), chosen: true }), POPUP, &empty());
        assert_eq!(written(&out), vec![("services".to_string(), json!({"v": 1, "chosen": [LI], "changed_at": NOW}))]);
        let after = persist(&json!({}), &out);
        let c = checklist_of(&out);
        assert_eq!(c.services[0].id, "meta");
        assert!(c.services[0].always && c.services[0].chosen);
        let li = c.services.iter().find(|s| s.id == LI).unwrap();
        assert!(li.chosen && !li.access, "no host granted in this call");
        assert_eq!(li.origins, ["https://*.linkedin.com/*"]);
        assert_eq!(li.items.len(), 2);
        assert_eq!(li.items[0].state, ItemState::Setting(SettingState::NotChecked));
        assert_eq!(c.open, 4, "the badge counts the chosen service's open items");
        assert!(c.services.iter().filter(|s| s.id != LI && !s.always).all(|s| !s.chosen && s.items.is_empty()));
        // With its hosts granted.
        let granted = vec!["https://*.linkedin.com/*".to_string()];
        let out = handle_granted(rules(), &Request::GetChecklist(GetChecklist {}), POPUP, &Stored::from_storage(&after), NOW, "en", &granted);
        assert!(checklist_of(&out).services.iter().find(|s| s.id == LI).unwrap().access);
        let view = crate::popup::popup_view(rules(), checklist_of(&out), &crate::testing::Catalogue::new("en"));
        let li_view = view.services.iter().find(|s| s.id == LI).unwrap();
        assert!(li_view.grant.is_none() && li_view.note.is_none(), "granted: nothing to ask for ({li_view:?})");
        assert_eq!(wanted_scripts(&Stored::from_storage(&after), &granted), vec![(LI.to_string(), vec!["https://*.linkedin.com/*".to_string()])]);
        assert_eq!(wanted_scripts(&Stored::from_storage(&after), &[]), vec![], "not granted: no content script");
        assert_eq!(wanted_scripts(&empty(), &granted), vec![], "granted but not chosen: none either");
        // Off again: its items no longer count.
        let out = run(Request::ServiceChosen(ServiceChosen { service: LI.into(), chosen: false }), POPUP, &Stored::from_storage(&after));
        assert_eq!(checklist_of(&out).open, 2);
        for bad in ["meta", "tiktok", ""] {
            let out = run(Request::ServiceChosen(ServiceChosen { service: bad.into(), chosen: true }), POPUP, &empty());
            assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty(), "{bad}");
        }
        // A choice saved by a newer version is never overwritten.
        let newer = Stored::from_storage(json!({"services": {"v": 2, "chosen": [LI]}}));
        let out = run(Request::ServiceChosen(ServiceChosen { service: LI.into(), chosen: false }), POPUP, &newer);
        assert!(matches!(out.reply, Answer::Rejected(_)) && out.writes.is_empty());
    }

    #[test]
    fn every_service_panel_and_popup_row_speaks_all_ten_languages() {
        use crate::panel::{service_banner, service_route, setting_helper, request_helper};
        use crate::popup::{popup_view, PopupView};
        use crate::testing::Catalogue;
        let reports = [PageReport::Unknown, PageReport::Seen(SeenState::On), PageReport::Seen(SeenState::Off), PageReport::Seen(SeenState::Missing)];
        let states = [SettingState::NotChecked, SettingState::On, SettingState::Off, SettingState::UserOff];
        for lang in ["en", "de", "fr", "it", "es", "nl", "pl", "pt", "sv", "da"] {
            let l = Catalogue::new(lang);
            let mut views = Vec::new();
            for s in all_services() {
                for i in &s.items {
                    views.push(service_banner(s, i, lang).render(&l));
                    views.push(service_route(s, i, PanelKind::Banner, lang).render(&l));
                    views.push(request_helper(s, i, false, lang).render(&l));
                    views.push(request_helper(s, i, true, lang).render(&l));
                    for st in states {
                        for r in reports {
                            views.push(setting_helper(s, i, st, r, lang).render(&l));
                        }
                    }
                }
            }
            for v in &views {
                assert_eq!(v.lang, lang);
                for text in v.paragraphs.iter().chain([&v.label, &v.steps_title]).chain(v.actions.iter().map(|a| &a.text)) {
                    assert!(!text.contains('$') && !text.trim().is_empty() || text.is_empty() && std::ptr::eq(text, &v.steps_title), "{lang}: {text:?} in {v:?}");
                }
            }
            // Every state of every item of every service, chosen, in the popup.
            let all: Vec<&str> = all_services().iter().map(|s| s.id.as_str()).collect();
            let mut dump = chosen(&all);
            for s in all_services() {
                for (n, i) in s.items.iter().enumerate() {
                    let key = format!("{}/{}/{}", if i.kind == ItemKind::Setting { "setting" } else { "request" }, s.id, i.id);
                    dump[key] = if i.kind == ItemKind::Setting { { let st = ["on", "off", "user_off"][n % 3]; json!({"v": 1, "state": st}) } } else { json!({"v": 1, "status": "submitted"}) };
                }
            }
            let out = handle(rules(), &Request::GetChecklist(GetChecklist {}), POPUP, &Stored::from_storage(&dump), NOW, lang);
            let p: PopupView = popup_view(rules(), checklist_of(&out), &l);
            assert_eq!(p.services.len(), 1 + all_services().len());
            for s in &p.services {
                assert!(!s.name.is_empty() && !s.toggle_label.contains('$'), "{lang}: {s:?}");
                // Chosen, nothing granted in this call: why nothing happens, and the button that asks again.
                if s.always {
                    assert!(s.note.is_none() && s.grant.is_none(), "{lang}: Meta needs no grant");
                } else {
                    let grant = s.grant.as_deref().unwrap_or_else(|| panic!("{lang}: {} chosen without access offers no grant", s.id));
                    assert!(grant.contains(&s.name) && !grant.contains('$'), "{lang}: {grant:?}");
                    assert!(s.note.as_deref().is_some_and(|n| !n.contains('$')), "{lang}: {s:?}");
                }
                for i in &s.items {
                    for text in [&i.state_text, &i.covers, &i.not_covered, &i.link.text] {
                        assert!(!text.is_empty() && !text.contains('$'), "{lang}: {text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn what_a_newer_version_saved_is_shown_and_never_overwritten() {
        let before = json!({
            "services": {"v": 1, "chosen": [LI]},
            (format!("setting/{LI}/{}", li_setting().id)): {"v": 2, "state": "on", "profiles": {}},
            (format!("request/{LI}/{}", li_request().id)): {"v": 2, "status": "not_started"},
        });
        let stored = Stored::from_storage(&before);
        assert!(stored.services_read_only());
        for (msg, ctx) in [(seen(SeenState::Off), page_of(li_setting())), (shown(), page_of(li_request()))] {
            let out = run(msg.clone(), ctx, &stored);
            assert!(out.writes.is_empty(), "{msg:?} wrote over newer data: {:?}", out.writes);
            assert!(matches!(out.reply, Answer::ServicePanel(_)), "{msg:?}: the helper still shows ({:?})", out.reply);
        }
        for (msg, ctx) in [
            (clicked(PanelAction::ConfirmOff), page_of(li_setting())),
            (clicked(PanelAction::AlreadyDone), page_of(li_request())),
            (clicked(PanelAction::NotNow), LI_FEED),
            (item_clicked(LI, &li_setting().id, ServiceAction::Reset), POPUP),
            (item_clicked(LI, &li_request().id, ServiceAction::MarkSubmitted), POPUP),
        ] {
            let out = run(msg.clone(), ctx, &stored);
            assert!(out.writes.is_empty() && out.removals.is_empty(), "{msg:?} changed newer data");
            assert!(matches!(out.reply, Answer::Rejected(_)), "{msg:?}: {:?}", out.reply);
        }
        // The popup shows them, without buttons.
        let c = checklist_of(&run(Request::GetChecklist(GetChecklist {}), POPUP, &stored)).clone();
        let li = c.services.iter().find(|s| s.id == LI).unwrap();
        assert!(li.items.iter().all(|i| i.locked), "{li:?}");
    }
}


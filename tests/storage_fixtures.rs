//! Stored data from the field, read by the core: `tests/fixtures/storage/*.json` are whole
//! `storage.local` dumps.
//!
//! - `v1.json`: what schema 1 wrote before account groups existed (no `groups` key);
//! - `newer-v2.json`: what a future Widerspruch might write (schema 2 everywhere, fields we don't know);
//! - `corrupt.json`: wrong types, a truncated status word, a truncated JSON text, garbage, a 1 MB string,
//!   odd fields in a good record, and keys that are not ours;
//! - `corrupt-groups.json`: an unreadable account-group list beside good progress;
//! - `newer-progress-only.json`: a current group list, but one group's progress written by a newer schema;
//! - `pending-v1.json`: a question from Meta's Privacy Center waiting for its answer (`pending/<group>`, schema
//!   1), beside an unreadable one and one of a group that is not in the list;
//! - `v0.2.json`: a whole dump of the schema Widerspruch 0.2 writes (before services): two account groups,
//!   one linked, progress of both platforms in both, a snoozed platform, a pending question;
//! - `services-v1.json`: the records services add (issue 15): the choice (`services`), setting items
//!   (`setting/<service>/<item>`: off, on and snoozed, user_off) and an objection request
//!   (`request/<service>/<item>`), beside Meta's progress;
//! - `services-corrupt.json`, `services-newer.json`: the same keys unreadable (beside keys of a service this
//!   build does not know, which it leaves unread), and written by a newer schema.
//!
//! Promises checked (SECURITY.md, "Stored data"): good data reads back as written; newer data is
//! read-only and no message ever writes or removes it; corrupt data counts as "not started" with one
//! warning per bad key and stays in storage until the user changes that platform.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use widerspruch::classify::Page;
use widerspruch::handler::{handle, Outcome, Stored};
use widerspruch::protocol::{Context, PageShown, Request};
use widerspruch::progress::{
    decode, decode_choice, decode_question, decode_setting, encode, encode_choice, encode_question, encode_setting, Choice, Decoded,
    DecodedChoice, DecodedQuestion, DecodedSetting, Question, Record, SettingRecord, SettingState, Status,
};
use widerspruch::rules::{rules, PlatformId};

use PlatformId::{Facebook, Instagram};

const NOW: f64 = 1_795_000_000_000.0;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/storage/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every request the background handles, from every context that may send it, for every platform and
/// every account group of the dump. Built from the wire form: these shapes are the extension's contract.
fn every_request(stored: &Stored) -> Vec<(Context, Request)> {
    let mut wire = vec![(Context::ExtensionPage, json!({"type": "get_checklist"}))];
    for g in &stored.groups.groups {
        wire.push((Context::ExtensionPage, json!({"type": "group_active", "group": g.id})));
        wire.push((Context::ExtensionPage, json!({"type": "group_linked", "group": g.id, "linked": !g.linked})));
        wire.push((Context::ExtensionPage, json!({"type": "group_remove", "group": g.id})));
        for p in PlatformId::ALL {
            for action in ["open_form", "mark_submitted", "mark_confirmed", "reset"] {
                let m = json!({"type": "checklist_clicked", "group": g.id, "platform": p.as_str(), "action": action});
                wire.push((Context::ExtensionPage, m));
            }
        }
    }
    wire.push((Context::ExtensionPage, json!({"type": "group_add", "name": "Another"})));
    for p in PlatformId::ALL {
        let feed = Context::MetaPage(Page::Feed(p));
        let form = Context::MetaPage(Page::ObjectionForm { platform: p, current: true });
        let url = rules().platform(p).form.clone();
        wire.push((feed, json!({"type": "page_shown", "url": url})));
        for action in ["open_form", "already_done", "not_now", "link_broken"] {
            wire.push((feed, json!({"type": "panel_clicked", "url": url, "action": action})));
        }
        wire.push((form, json!({"type": "page_shown", "url": url})));
        wire.push((form, json!({"type": "form_signal", "url": url, "signal": "received"})));
    }
    // Meta's Privacy Center flow asks which account; the flow and the popup answer.
    let flow_url = "https://help.meta.com/support/privacy/object/meta-ai/";
    let flow = Context::MetaPage(Page::PrivacyFlow);
    wire.push((flow, json!({"type": "page_shown", "url": flow_url})));
    wire.push((flow, json!({"type": "form_signal", "url": flow_url, "signal": "received"})));
    for action in ["sent_for_facebook", "sent_for_instagram", "dismiss_question"] {
        wire.push((flow, json!({"type": "panel_clicked", "url": flow_url, "action": action})));
    }
    for g in &stored.groups.groups {
        wire.push((Context::ExtensionPage, json!({"type": "question_dismissed", "group": g.id})));
        for p in PlatformId::ALL {
            wire.push((Context::ExtensionPage, json!({"type": "question_answered", "group": g.id, "platform": p.as_str()})));
        }
    }
    wire.into_iter()
        .map(|(ctx, w)| (ctx, Request::from_json(&w).unwrap_or_else(|e| panic!("{w} no longer decodes: {e}"))))
        .collect()
}

fn run(stored: &Stored, ctx: Context, msg: &Request) -> Outcome {
    handle(rules(), msg, ctx, stored, NOW, "en")
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}

fn touched(out: &Outcome) -> BTreeSet<String> {
    out.writes.iter().map(|(k, _)| k.clone()).chain(out.removals.iter().cloned()).collect()
}

#[test]
fn v1_data_reads_back_as_written() {
    let dump = fixture("v1.json");
    let stored = Stored::from_storage(&dump);
    assert_eq!(stored.warnings(), Vec::<String>::new());
    assert!(!stored.read_only());
    assert_eq!(stored.groups.groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["main"], "v1 had one group");
    assert_eq!(
        stored.decoded("main", Facebook),
        &Decoded::Current(Record { status: Status::Submitted, changed_at: Some(1_748_390_400_000.0), snoozed_until: None })
    );
    assert_eq!(
        stored.decoded("main", Instagram),
        &Decoded::Current(Record {
            status: Status::FormOpened,
            changed_at: Some(1_748_304_000_000.0),
            snoozed_until: Some(1_748_908_800_000.0)
        })
    );
    assert_eq!(stored.badge().text, "1", "Instagram is still open");
    // This build writes exactly what v1 wrote (JS numbers: 5 and 5.0 are one value): no migration needed.
    for (key, value) in dump.as_object().unwrap() {
        let again = serde_json::to_value(encode(&decode(value).record())).unwrap();
        assert!(same_json(&again, value), "{key}: {again} != {value}");
    }
}

#[test]
fn v1_data_keeps_working() {
    let stored = Stored::from_storage(fixture("v1.json"));
    let msg = Request::from_json(&json!({"type": "checklist_clicked", "group": "main", "platform": "instagram", "action": "mark_submitted"})).unwrap();
    let out = run(&stored, Context::ExtensionPage, &msg);
    assert_eq!(serde_json::to_value(&out.writes).unwrap(), json!([["progress/instagram/main", {"v": 1, "status": "submitted", "changed_at": NOW, "snoozed_until": 1_748_908_800_000.0}]]));
    assert_eq!(out.stored.badge().text, "\u{2713}");
}

#[test]
fn newer_data_is_read_only_and_never_written() {
    let dump = fixture("newer-v2.json");
    let stored = Stored::from_storage(&dump);
    assert!(stored.read_only());
    // One warning each for the group list, the two progress records and the question; `settings` is not
    // ours to judge.
    let warnings = stored.warnings();
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    assert_eq!(stored.question("main"), &DecodedQuestion::Newer(2));
    for key in ["groups", "progress/facebook/main", "progress/instagram/main", "pending/main"] {
        assert_eq!(warnings.iter().filter(|w| w.starts_with(&format!("{key}:"))).count(), 1, "{key}: {warnings:#?}");
    }
    // What this build understands is shown: a status word it knows, nothing for one it does not.
    assert!(matches!(stored.decoded("main", Facebook), Decoded::Newer { version: 2, understood } if understood.status == Status::Confirmed));
    assert!(matches!(stored.decoded("main", Instagram), Decoded::Newer { version: 2, understood } if understood.status == Status::NotStarted));

    let ours: BTreeSet<String> = dump.as_object().unwrap().keys().cloned().collect();
    let requests = every_request(&stored);
    assert!(requests.len() > 20);
    for (ctx, msg) in &requests {
        let out = run(&stored, *ctx, msg);
        let hit: Vec<_> = touched(&out).intersection(&ours).cloned().collect();
        assert!(hit.is_empty(), "{msg:?} from {ctx:?} changed newer data: {hit:?}");
    }
}

#[test]
fn corrupt_data_counts_as_not_started_with_one_warning_per_bad_key() {
    let dump = fixture("corrupt.json");
    assert!(dump["progress/instagram/g1"].as_str().unwrap().len() >= 1 << 20, "the fixture keeps its 1 MB string");
    let stored = Stored::from_storage(&dump);
    assert!(!stored.read_only());

    // The group list is usable: bad entries are dropped, the good ones kept.
    let ids: Vec<_> = stored.groups.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["main", "g1", "g2", "g3"]);
    assert_eq!(stored.groups.active, "g2");

    let bad = ["progress/facebook/main", "progress/instagram/main", "progress/facebook/g1", "progress/instagram/g1", "progress/facebook/g2"];
    let warnings = stored.warnings();
    assert_eq!(warnings.len(), bad.len(), "{warnings:#?}");
    for key in bad {
        assert_eq!(warnings.iter().filter(|w| w.starts_with(&format!("{key}:"))).count(), 1, "{key}: {warnings:#?}");
    }
    assert!(warnings.iter().all(|w| w.len() < 300), "a warning echoes stored data: {} bytes", warnings.iter().map(String::len).max().unwrap());
    for (g, p) in [("main", Facebook), ("main", Instagram), ("g1", Facebook), ("g1", Instagram), ("g2", Facebook)] {
        assert!(matches!(stored.decoded(g, p), Decoded::Corrupt { .. }), "{g}/{p:?}");
        assert_eq!(stored.record(g, p), Record::default(), "{g}/{p:?}");
    }
    // Odd fields in an otherwise good record are dropped, not fatal.
    assert_eq!(stored.decoded("g2", Instagram), &Decoded::Current(Record { status: Status::Confirmed, changed_at: None, snoozed_until: None }));

    // Looking is not changing: corrupt values stay until the user acts on that platform.
    for p in PlatformId::ALL {
        let out = run(&stored, Context::MetaPage(Page::Feed(p)), &Request::PageShown(PageShown { url: rules().platform(p).form.clone() }));
        assert!(out.writes.is_empty() && out.removals.is_empty(), "{p:?}: {:?}", out.writes);
    }
    let msg = Request::from_json(&json!({"type": "checklist_clicked", "group": "main", "platform": "facebook", "action": "mark_submitted"})).unwrap();
    let out = run(&stored, Context::ExtensionPage, &msg);
    assert_eq!(touched(&out), BTreeSet::from(["progress/facebook/main".to_string()]));
    assert_eq!(decode(serde_json::to_value(&out.writes[0].1).unwrap()).record().status, Status::Submitted);

    // No request fails on it, and whatever is written is readable.
    for (ctx, msg) in every_request(&stored) {
        let out = run(&stored, ctx, &msg);
        for (k, v) in &out.writes {
            if k.starts_with("progress/") {
                let v = serde_json::to_value(v).unwrap();
                assert!(matches!(decode(&v), Decoded::Current(_)), "{msg:?} wrote {k} = {v}");
            }
        }
    }
}

#[test]
fn newer_progress_survives_every_request_even_when_the_group_list_is_current() {
    let dump = fixture("newer-progress-only.json");
    let stored = Stored::from_storage(&dump);
    assert!(stored.read_only());
    for (ctx, msg) in every_request(&stored) {
        let out = run(&stored, ctx, &msg);
        assert!(!touched(&out).contains("progress/facebook/g1"), "{msg:?} from {ctx:?} changed newer data: {:?}", touched(&out));
    }
}

#[test]
fn an_unreadable_group_list_falls_back_to_one_group_and_keeps_progress() {
    let stored = Stored::from_storage(fixture("corrupt-groups.json"));
    let warnings = stored.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].starts_with("groups:"), "{warnings:#?}");
    assert_eq!(stored.groups.groups.len(), 1);
    assert_eq!(stored.record("main", Facebook).status, Status::Submitted);
    assert!(!stored.read_only());
}

#[test]
fn every_fixture_value_decodes_without_panicking() {
    for name in ["v1.json", "newer-v2.json", "corrupt.json", "corrupt-groups.json", "newer-progress-only.json", "pending-v1.json"] {
        for (key, value) in fixture(name).as_object().unwrap() {
            let d = decode(value);
            assert_eq!(d.writable(), !matches!(d, Decoded::Newer { .. }), "{name}: {key}");
            let q = decode_question(value);
            assert_eq!(q.writable(), !matches!(q, DecodedQuestion::Newer(_)), "{name}: {key}");
        }
    }
}

#[test]
fn a_pending_question_reads_back_as_written_and_waits_for_its_answer() {
    let dump = fixture("pending-v1.json");
    let stored = Stored::from_storage(&dump);
    let asked_at = 1_748_390_400_000.0;
    let want = Question { platforms: vec![Facebook, Instagram], preselected: vec![Facebook], asked_at };
    assert_eq!(stored.question("g1"), &DecodedQuestion::Current(want.clone()));
    assert!(same_json(&serde_json::to_value(encode_question(&want)).unwrap(), &dump["pending/g1"]), "this build writes what it read");
    // The unreadable one: one warning, no question; the orphan is not read at all.
    let warnings = stored.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].starts_with("pending/main:"), "{warnings:#?}");
    assert!(matches!(stored.question("main"), DecodedQuestion::Corrupt(_)));
    assert!(!stored.read_only());
    assert_eq!(stored.badge().text, "4", "nothing is sent until the question is answered");

    // Looking changes nothing: no request but an answer (or a new question replacing a corrupt one) touches
    // a question, and none touches the orphan.
    for (ctx, msg) in every_request(&stored) {
        let out = run(&stored, ctx, &msg);
        let hit = touched(&out);
        assert!(!hit.contains("pending/g9"), "{msg:?} touched another group's question");
        let answers = matches!(msg, Request::QuestionAnswered(_) | Request::QuestionDismissed(_) | Request::GroupRemove(_) | Request::PanelClicked(_));
        if !answers {
            assert!(!hit.contains("pending/g1"), "{msg:?} from {ctx:?} touched the waiting question: {hit:?}");
        }
    }

    // The popup's answer, long after: exactly that platform, at the time Meta answered; the question goes.
    let msg = Request::from_json(&json!({"type": "question_answered", "group": "g1", "platform": "instagram"})).unwrap();
    let out = run(&stored, Context::ExtensionPage, &msg);
    assert_eq!(serde_json::to_value(&out.writes).unwrap(), json!([["progress/instagram/g1", {"v": 1, "status": "submitted", "changed_at": asked_at}]]));
    assert_eq!(out.removals, ["pending/g1"]);
    assert_eq!(out.stored.record("g1", Facebook).status, Status::FormOpened);
}


// ── issue 15: today's schema survives the update; the services' records ──

/// Every key of `dump` read by this build and written back as this build would write it.
fn reencoded(key: &str, value: &Value) -> Value {
    let v = if key.starts_with("progress/") || key.starts_with("request/") {
        serde_json::to_value(encode(&decode(value).record()))
    } else if key.starts_with("pending/") {
        match decode_question(value) {
            DecodedQuestion::Current(q) => serde_json::to_value(encode_question(&q)),
            other => panic!("{key}: {other:?}"),
        }
    } else if key == "services" {
        serde_json::to_value(encode_choice(&decode_choice(value).choice()))
    } else if key.starts_with("setting/") {
        serde_json::to_value(encode_setting(&decode_setting(value).record()))
    } else {
        return value.clone();
    };
    v.unwrap()
}

#[test]
fn a_v0_2_dump_reads_back_unchanged_and_nothing_is_written_for_it() {
    let dump = fixture("v0.2.json");
    let stored = Stored::from_storage(&dump);
    assert_eq!(stored.warnings(), Vec::<String>::new());
    assert!(!stored.read_only() && !stored.services_read_only());
    let club = "g1795000000000";
    assert_eq!(stored.groups.groups.iter().map(|g| (g.id.as_str(), g.name.as_str(), g.linked)).collect::<Vec<_>>(), [("main", "", false), (club, "Verein", true)]);
    assert_eq!(stored.groups.active, club);
    let want = [
        ("main", Facebook, Record { status: Status::Confirmed, changed_at: Some(1_748_390_400_000.0), snoozed_until: None }),
        ("main", Instagram, Record { status: Status::FormOpened, changed_at: Some(1_748_304_000_000.0), snoozed_until: Some(1_795_600_000_000.0) }),
        (club, Facebook, Record { status: Status::FormOpened, changed_at: Some(1_795_000_000_000.0), snoozed_until: None }),
        (club, Instagram, Record { status: Status::NotStarted, changed_at: None, snoozed_until: Some(1_794_000_000_000.0) }),
    ];
    for (g, p, r) in want {
        assert_eq!(stored.decoded(g, p), &Decoded::Current(r), "{g}/{p:?}");
    }
    assert_eq!(
        stored.question(club),
        &DecodedQuestion::Current(Question { platforms: vec![Facebook, Instagram], preselected: vec![Facebook], asked_at: 1_795_000_100_000.0 })
    );
    // Nothing chosen: only Meta, as before; the badge counts what 0.2 counted (main: Instagram; the club
    // group: both).
    assert_eq!(stored.choice(), &DecodedChoice::Missing);
    assert_eq!(stored.badge().text, "3");
    // Every record is one this build writes exactly so: no migration.
    for (key, value) in dump.as_object().unwrap() {
        let again = reencoded(key, value);
        assert!(same_json(&again, value), "{key}: {again} != {value}");
    }
    // Reading it writes nothing: the checklist, and every Meta page that only shows something.
    let mut looks = vec![(Context::ExtensionPage, Request::from_json(&json!({"type": "get_checklist"})).unwrap())];
    for p in PlatformId::ALL {
        let url = rules().platform(p).form.clone();
        looks.push((Context::MetaPage(Page::Feed(p)), Request::PageShown(PageShown { url: url.clone() })));
        looks.push((Context::MetaPage(Page::OtherOnPlatform(p)), Request::PageShown(PageShown { url })));
    }
    for (ctx, msg) in looks {
        let out = run(&stored, ctx, &msg);
        assert!(touched(&out).is_empty(), "{msg:?} from {ctx:?} wrote {:?}", touched(&out));
    }
}

#[test]
fn the_services_records_read_back_as_written() {
    let dump = fixture("services-v1.json");
    let stored = Stored::from_storage(&dump);
    assert_eq!(stored.warnings(), Vec::<String>::new());
    assert!(!stored.services_read_only() && !stored.read_only());
    assert_eq!(stored.choice(), &DecodedChoice::Current(Choice { chosen: vec!["linkedin".into(), "x".into()], changed_at: Some(1_795_000_000_000.0) }));
    assert!(stored.is_chosen("linkedin") && stored.is_chosen("x") && !stored.is_chosen("google"));
    let setting = |s, i| stored.setting(s, i).record();
    assert_eq!(
        setting("linkedin", "ai_setting"),
        SettingRecord { state: SettingState::Off, changed_at: Some(1_795_000_100_000.0), seen_at: Some(1_795_000_200_000.0), snoozed_until: None }
    );
    assert_eq!(setting("x", "grok_setting").snoozed_until, Some(1_795_900_000_000.0));
    assert_eq!(setting("x", "grok_setting").state, SettingState::On);
    assert_eq!(setting("google", "keep_activity").state, SettingState::UserOff);
    assert_eq!(setting("google", "nothing_stored").state, SettingState::NotChecked);
    assert_eq!(stored.request("linkedin", "objection").record().status, Status::Submitted);
    assert_eq!(stored.record("main", Facebook).status, Status::Submitted, "Meta's progress beside them is untouched");
    for (key, value) in dump.as_object().unwrap() {
        let again = reencoded(key, value);
        assert!(same_json(&again, value), "{key}: {again} != {value}");
    }
}

#[test]
fn corrupt_services_records_warn_once_each_and_count_as_open() {
    let stored = Stored::from_storage(fixture("services-corrupt.json"));
    let warnings = stored.warnings();
    let bad = ["services", "setting/linkedin/ai_setting", "setting/x/grok_setting", "request/linkedin/objection"];
    assert_eq!(warnings.len(), bad.len(), "{warnings:#?}");
    for key in bad {
        assert_eq!(warnings.iter().filter(|w| w.starts_with(&format!("{key}:"))).count(), 1, "{key}: {warnings:#?}");
    }
    assert!(!stored.services_read_only());
    // An unreadable choice chooses nothing: a guess would switch a service on behind the user's back.
    assert!(!stored.is_chosen("linkedin"));
    assert!(matches!(stored.choice(), DecodedChoice::Corrupt { .. }));
    // An unreadable state is never "off".
    assert!(matches!(stored.setting("linkedin", "ai_setting"), DecodedSetting::Corrupt { .. }));
    assert_eq!(stored.setting("linkedin", "ai_setting").record().state, SettingState::NotChecked);
    assert_eq!(stored.setting("x", "grok_setting").record().state, SettingState::NotChecked);
    // Odd fields in a good record are dropped, not fatal.
    assert_eq!(stored.setting("google", "keep_activity"), &DecodedSetting::Current(SettingRecord { state: SettingState::Off, ..Default::default() }));
    assert_eq!(stored.request("linkedin", "objection").record().status, Status::NotStarted);
    // Keys that only look like ours, of a service or an item this build does not know, or under the other
    // kind's prefix, are not read (nor warned about).
    assert_eq!(stored.setting("LinkedIn", "ai_setting"), &DecodedSetting::Missing);
    assert_eq!(stored.setting("tiktok", "ai_training"), &DecodedSetting::Missing);
    assert_eq!(stored.request("linkedin", "ai_setting"), &Decoded::Missing);
}

#[test]
fn newer_services_records_are_read_only() {
    let stored = Stored::from_storage(fixture("services-newer.json"));
    assert!(stored.services_read_only());
    assert!(!stored.read_only(), "Meta's checklist stays writable: nothing of Meta's is newer");
    assert_eq!(stored.warnings().len(), 4, "{:#?}", stored.warnings());
    assert!(stored.is_chosen("linkedin"), "what this build understands of a newer choice is used");
    assert!(!stored.choice().writable());
    assert_eq!(stored.setting("linkedin", "ai_setting").record().state, SettingState::Off);
    assert!(!stored.setting("linkedin", "ai_setting").writable());
    assert_eq!(stored.setting("x", "grok_setting").record().state, SettingState::NotChecked, "an unknown word is not off");
    assert!(matches!(stored.request("linkedin", "objection"), Decoded::Newer { version: 2, understood } if understood.status == Status::Confirmed));
}

#[test]
fn every_services_fixture_value_decodes_without_panicking() {
    for name in ["v0.2.json", "services-v1.json", "services-corrupt.json", "services-newer.json"] {
        for (key, value) in fixture(name).as_object().unwrap() {
            assert_eq!(decode_choice(value).writable(), !matches!(decode_choice(value), DecodedChoice::Newer { .. }), "{name}: {key}");
            assert_eq!(decode_setting(value).writable(), !matches!(decode_setting(value), DecodedSetting::Newer { .. }), "{name}: {key}");
            let _ = decode(value);
        }
    }
}

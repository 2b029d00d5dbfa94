//! Fuzz `progress::decode` (and `handler::Stored`, built on it) with arbitrary stored values: raw bytes as
//! JSON text, the same bytes as a JSON string, and JSON values built to look like progress records.
//!
//! Invariants, beyond "never panics":
//! - `Newer` ⇔ not writable, and only for a version above the one this build writes;
//! - what is read back is always writable again: `encode(decode(x).record())` decodes to `Current` of the
//!   same record, also through JSON text (what Chromium's storage keeps);
//! - unknown keys change nothing;
//! - `Stored` warns once per corrupt or newer key, is read-only exactly when a key is newer, and no message
//!   ever makes the handler write over a newer value, or write something that does not decode.
//! - The same for the services' records (issue 15): the choice (`services`) and a setting item
//!   (`setting/<service>/<item>`): `Newer` ⇔ not writable; corrupt chooses nothing and is never "off";
//!   what is read is written back as `Current` of the same; a dump holding the value warns once exactly when
//!   it is corrupt or newer, and no service message writes over a newer value or writes what does not decode.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use widerspruch::classify::Page;
use widerspruch::handler::{handle, Stored};
use widerspruch::protocol::{Context, Request};
use widerspruch::progress::{
    decode, decode_choice, decode_setting, encode, encode_choice, encode_setting, Decoded, DecodedChoice, DecodedSetting, SettingState, SCHEMA_VERSION,
};
use widerspruch::protocol::ServicePage;
use widerspruch::rules::{rules, PlatformId};

const KEYS: &[&str] = &["v", "status", "changed_at", "snoozed_until", "future", "V", "", "state", "seen_at", "chosen"];
const WORDS: &[&str] = &[
    "not_started", "form_opened", "submitted", "confirmed", "done", "Submitted", "", "on", "off", "user_off", "not_checked", "linkedin", "x",
    "google", "meta", "LinkedIn",
];

fn value(u: &mut Unstructured, depth: u32) -> arbitrary::Result<Value> {
    let pick = if depth > 3 { u.int_in_range(0..=5)? } else { u.int_in_range(0..=8)? };
    Ok(match pick {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<u64>()? % 4),
        3 => json!(u.arbitrary::<i64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary()?).map(Value::Number).unwrap_or(Value::Null),
        5 => Value::String(if u.ratio(1, 2)? { WORDS[u.choose_index(WORDS.len())?].into() } else { u.arbitrary()? }),
        6 => Value::Array((0..u.int_in_range(0..=3)?).map(|_| value(u, depth + 1)).collect::<Result<_, _>>()?),
        _ => {
            let mut m = Map::new();
            for _ in 0..u.int_in_range(0..=5)? {
                let k: String = if u.ratio(3, 4)? { KEYS[u.choose_index(KEYS.len())?].into() } else { u.arbitrary()? };
                m.insert(k, value(u, depth + 1)?);
            }
            Value::Object(m)
        }
    })
}

fn check(v: &Value, platforms: &[PlatformId]) {
    let d = decode(v);
    assert_eq!(decode(v), d, "not deterministic");
    match &d {
        Decoded::Missing => panic!("a stored value decoded as missing: {v}"),
        Decoded::Newer { version, .. } => {
            assert!(*version > SCHEMA_VERSION);
            assert!(!d.writable(), "newer data must be read-only: {v}");
            assert_eq!(v.get("v").and_then(Value::as_u64), Some(*version));
        }
        Decoded::Current(_) => assert!(d.writable()),
        Decoded::Corrupt { reason } => {
            assert!(d.writable());
            assert!(!reason.is_empty());
            assert_eq!(d.record(), Default::default(), "corrupt data must count as not started");
        }
    }

    // What this build writes reads back as the same record, directly and through JSON text.
    let r = d.record();
    let written = serde_json::to_value(encode(&r)).unwrap();
    assert_eq!(written["v"], json!(SCHEMA_VERSION));
    assert_eq!(decode(&written), Decoded::Current(r.clone()), "{v} → {r:?} → {written}");
    // Through JSON text. serde_json's fast float parser may be 1 ulp off for extreme values (the browser's
    // JSON is exact), so times are compared to 1 part in 10^15.
    let text: Value = serde_json::from_str(&serde_json::to_string(&written).unwrap()).unwrap();
    let back = decode(&text);
    let Decoded::Current(b) = &back else { panic!("through JSON text: {written} → {back:?}") };
    assert_eq!(b.status, r.status, "through JSON text: {written}");
    let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() <= x.abs().max(y.abs()) * 1e-15,
        (x, y) => x == y,
    };
    assert!(close(b.changed_at, r.changed_at) && close(b.snoozed_until, r.snoozed_until), "through JSON text: {written} → {b:?}");

    // Keys this build does not know are ignored.
    if let Value::Object(m) = v {
        let mut more = m.clone();
        more.insert("zz_from_the_future".into(), json!({"x": [1, 2]}));
        assert_eq!(decode(&Value::Object(more)).record(), r, "an unknown key changed {v}");
    }

    // The background's view of a storage dump holding this value for one platform of the main group.
    for &p in platforms {
        let other = if p == PlatformId::Facebook { PlatformId::Instagram } else { PlatformId::Facebook };
        let key = format!("progress/{}/main", p.as_str());
        let dump = json!({ key.clone(): v.clone(), "unrelated": v.clone() });
        let stored = Stored::from_storage(&dump);
        assert_eq!(stored.decoded("main", p), &d);
        assert_eq!(stored.decoded("main", other), &Decoded::Missing);
        let bad = matches!(d, Decoded::Corrupt { .. } | Decoded::Newer { .. });
        assert_eq!(stored.warnings().len(), usize::from(bad), "one warning per bad key: {v}");
        assert_eq!(stored.read_only(), !d.writable());
        assert_eq!(stored.badge().open, 1 + usize::from(!d.record().status.is_protected()));

        let mut handled = 0;
        for (ctx, msg) in messages(p) {
            handled += 1;
            let out = handle(rules(), &msg, ctx, &stored, 1_795_000_000_000.0, "en");
            for (k, w) in &out.writes {
                assert!(k != &key || d.writable(), "{msg:?} wrote over newer data {v}");
                if k.starts_with("progress/") {
                    let w = serde_json::to_value(w).unwrap();
                    assert!(matches!(decode(&w), Decoded::Current(_)), "{msg:?} wrote {w}, which does not decode");
                }
            }
            assert!(d.writable() || !out.removals.contains(&key), "{msg:?} removed newer data {v}");
        }
        assert!(handled >= 8, "the message list no longer decodes: the target tests nothing");
    }
}

/// Requests the background handles, built from their wire form (so new fields fail loudly here, in
/// `handled` above, rather than silently). Page messages come with the page they are accepted from.
fn messages(p: PlatformId) -> Vec<(Context, Request)> {
    let name = p.as_str();
    let feed = Context::MetaPage(Page::Feed(p));
    let form = Context::MetaPage(Page::ObjectionForm { platform: p, current: true });
    let popup = Context::ExtensionPage;
    // The handler decides from the context; the URL was checked by `authorize` before.
    let url = &rules().platform(p).form;
    let wire = [
        (popup, json!({"type": "checklist_clicked", "group": "main", "platform": name, "action": "reset"})),
        (popup, json!({"type": "checklist_clicked", "group": "main", "platform": name, "action": "mark_confirmed"})),
        (popup, json!({"type": "checklist_clicked", "group": "main", "platform": name, "action": "mark_submitted"})),
        (popup, json!({"type": "checklist_clicked", "group": "main", "platform": name, "action": "open_form"})),
        (popup, json!({"type": "get_checklist"})),
        (feed, json!({"type": "panel_clicked", "url": url, "action": "already_done"})),
        (feed, json!({"type": "panel_clicked", "url": url, "action": "not_now"})),
        (feed, json!({"type": "panel_clicked", "url": url, "action": "open_form"})),
        (feed, json!({"type": "page_shown", "url": url})),
        (form, json!({"type": "page_shown", "url": url})),
        (form, json!({"type": "form_signal", "url": url, "signal": "received"})),
    ];
    wire.into_iter().filter_map(|(c, w)| Request::from_json(&w).ok().map(|m| (c, m))).collect()
}

/// The services' records: the choice and a setting item (LinkedIn's setting, which the rules have).
fn check_services(v: &Value) {
    let c = decode_choice(v);
    assert_eq!(decode_choice(v), c, "not deterministic");
    match &c {
        DecodedChoice::Missing => panic!("a stored choice decoded as missing: {v}"),
        DecodedChoice::Newer { version, .. } => assert!(*version > SCHEMA_VERSION && !c.writable(), "{v}"),
        DecodedChoice::Current(_) => assert!(c.writable()),
        DecodedChoice::Corrupt { .. } => assert!(c.writable() && c.choice().chosen.is_empty(), "corrupt must choose nothing: {v}"),
    }
    let written = serde_json::to_value(encode_choice(&c.choice())).unwrap();
    assert_eq!(decode_choice(&written), DecodedChoice::Current(c.choice()), "{v} → {written}");

    let d = decode_setting(v);
    assert_eq!(decode_setting(v), d, "not deterministic");
    match &d {
        DecodedSetting::Missing => panic!("a stored setting decoded as missing: {v}"),
        DecodedSetting::Newer { version, .. } => assert!(*version > SCHEMA_VERSION && !d.writable(), "{v}"),
        DecodedSetting::Current(r) => {
            assert!(d.writable());
            // "off" only where the value says so, in so many words.
            if r.state.is_done() {
                assert!(matches!(v["state"].as_str(), Some("off" | "user_off")), "{v} read as done");
            }
        }
        DecodedSetting::Corrupt { .. } => assert!(d.writable() && d.record().state == SettingState::NotChecked, "{v}"),
    }
    let written = serde_json::to_value(encode_setting(&d.record())).unwrap();
    assert_eq!(decode_setting(&written), DecodedSetting::Current(d.record()), "{v} → {written}");

    // A dump with the value as LinkedIn's setting, LinkedIn chosen; and as the choice itself.
    let setting = rules_setting();
    let key = format!("setting/linkedin/{setting}");
    let dump = json!({"services": {"v": 1, "chosen": ["linkedin"]}, key.clone(): v.clone()});
    let stored = Stored::from_storage(&dump);
    let bad = matches!(d, DecodedSetting::Corrupt { .. } | DecodedSetting::Newer { .. });
    assert_eq!(stored.warnings().len(), usize::from(bad), "one warning per bad key: {v}");
    assert_eq!(stored.services_read_only(), !d.writable());
    let page = Context::ServicePage("linkedin", ServicePage::Item(setting));
    let url = "https://www.linkedin.com/";
    for w in [
        json!({"type": "setting_seen", "url": url, "state": "off"}),
        json!({"type": "setting_seen", "url": url, "state": "on"}),
        json!({"type": "panel_clicked", "url": url, "action": "confirm_off"}),
        json!({"type": "page_shown", "url": url}),
    ] {
        let msg = Request::from_json(&w).expect("the service messages decode");
        let out = handle(rules(), &msg, page, &stored, 1_795_000_000_000.0, "en");
        for (k, x) in &out.writes {
            assert!(k != &key || d.writable(), "{msg:?} wrote over newer data {v}");
            if k == &key {
                assert!(matches!(decode_setting(&serde_json::to_value(x).unwrap()), DecodedSetting::Current(_)), "{msg:?} wrote {x:?}");
            }
        }
    }
    let chosen = Stored::from_storage(&json!({"services": v.clone()}));
    let bad = matches!(c, DecodedChoice::Corrupt { .. } | DecodedChoice::Newer { .. });
    assert_eq!(chosen.warnings().len(), usize::from(bad), "one warning per bad key: {v}");
    let msg = Request::from_json(&json!({"type": "service_chosen", "service": "linkedin", "chosen": true})).unwrap();
    let out = handle(rules(), &msg, Context::ExtensionPage, &chosen, 1_795_000_000_000.0, "en");
    assert!(c.writable() || out.writes.is_empty(), "service_chosen wrote over a newer choice {v}");
}

/// LinkedIn's setting item, as the rules name it.
fn rules_setting() -> &'static str {
    let s = widerspruch::rules::service("linkedin").expect("LinkedIn's rules");
    &s.items.iter().find(|i| i.kind == widerspruch::rules::ItemKind::Setting).expect("its setting").id
}

fuzz_target!(|data: &[u8]| {
    // The handler runs ~10 requests per platform: one platform per input (alternating) keeps this fast.
    let one = [if data.len().is_multiple_of(2) { PlatformId::Facebook } else { PlatformId::Instagram }];
    // 1. The bytes as JSON text, as storage might hold it after corruption.
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        check(&v, &one);
        check_services(&v);
    }
    // 2. The bytes as one string value (always corrupt the same way: the decoder's checks suffice).
    check(&Value::String(String::from_utf8_lossy(data).into_owned()), &[]);
    // 3. A value built to look like a record.
    if let Ok(v) = value(&mut Unstructured::new(data), 0) {
        check(&v, &one);
        check_services(&v);
    }
});

use super::*;
use crate::popup::ServiceAction;
use crate::panel::{ActionView, LinkView, PanelKind, WatchView, WatchedSignal};
use crate::rules::SignalWhen;
use crate::popup::{AddGroupView, GroupPanel, ItemAction, ItemView, ToggleView, WhoElseView};
use crate::progress::Status;
use crate::testing::{form_url, third_party_form_url};
use serde_json::{json, Value};

const FEED: &str = "https://www.facebook.com/";

/// A request as it arrives; it must be exactly what the request encodes to.
fn wire(v: Value) -> Request {
    let req = Request::from_json(&v).unwrap_or_else(|e| panic!("{v}: {e}"));
    assert_eq!(req.to_json(), v, "{v} does not encode back to itself");
    req
}

fn shown(url: &str) -> Request {
    Request::PageShown(PageShown { url: url.into() })
}

#[test]
fn request_shapes_are_pinned() {
    // These exact shapes are what extension/content/banner.js and the popup send (protocol.d.ts holds the
    // JS to them).
    assert_eq!(wire(json!({"type": "page_shown", "url": FEED})), shown(FEED));
    for (action, word) in [
        (PanelAction::OpenForm, "open_form"),
        (PanelAction::AlreadyDone, "already_done"),
        (PanelAction::NotNow, "not_now"),
        (PanelAction::LinkBroken, "link_broken"),
    ] {
        let req = wire(json!({"type": "panel_clicked", "url": FEED, "action": word}));
        assert_eq!(req, Request::PanelClicked(PanelClicked { url: FEED.into(), action }));
    }
    for (signal, word) in [(FormSignal::Received, "received"), (FormSignal::Unavailable, "unavailable"), (FormSignal::Login, "login")] {
        let req = wire(json!({"type": "form_signal", "url": FEED, "signal": word}));
        assert_eq!(req, Request::FormSignal(FormSignalled { url: FEED.into(), signal }));
    }
    assert_eq!(wire(json!({"type": "get_checklist"})), Request::GetChecklist(GetChecklist {}));
    assert_eq!(
        wire(json!({"type": "checklist_clicked", "group": "main", "platform": "instagram", "action": "mark_confirmed"})),
        Request::ChecklistClicked(ChecklistClicked { group: "main".into(), platform: PlatformId::Instagram, action: ChecklistAction::MarkConfirmed })
    );
    assert_eq!(wire(json!({"type": "group_add", "name": "Club"})), Request::GroupAdd(GroupAdd { name: "Club".into() }));
    assert_eq!(wire(json!({"type": "group_remove", "group": "g1"})), Request::GroupRemove(GroupRemove { group: "g1".into() }));
    assert_eq!(wire(json!({"type": "group_linked", "group": "g1", "linked": true})), Request::GroupLinked(GroupLinked { group: "g1".into(), linked: true }));
    assert_eq!(wire(json!({"type": "group_active", "group": "g1"})), Request::GroupActive(GroupActive { group: "g1".into() }));
    assert_eq!(
        wire(json!({"type": "question_answered", "group": "main", "platform": "facebook"})),
        Request::QuestionAnswered(QuestionAnswered { group: "main".into(), platform: PlatformId::Facebook })
    );
    assert_eq!(wire(json!({"type": "question_dismissed", "group": "main"})), Request::QuestionDismissed(QuestionDismissed { group: "main".into() }));
    for (action, word) in [
        (PanelAction::SentForFacebook, "sent_for_facebook"),
        (PanelAction::SentForInstagram, "sent_for_instagram"),
        (PanelAction::DismissQuestion, "dismiss_question"),
    ] {
        assert_eq!(wire(json!({"type": "panel_clicked", "url": FEED, "action": word})), Request::PanelClicked(PanelClicked { url: FEED.into(), action }));
    }
    for bad in [
        json!({"type": "question_answered", "group": "main", "platform": "whatsapp"}),
        json!({"type": "question_answered", "group": "main"}),
        json!({"type": "question_dismissed", "group": "main", "platform": "facebook"}),
        json!({"type": "panel_clicked", "url": FEED, "action": "sent_for_threads"}),
    ] {
        assert!(Request::from_json(&bad).is_err(), "{bad}");
    }
}

#[test]
fn only_the_flow_asks_which_account_and_only_the_flow_and_the_popup_answer() {
    let flow = "https://help.meta.com/support/privacy/object/meta-ai/";
    let answer = |url: &str, word: &str| Request::from_json(&json!({"type": "panel_clicked", "url": url, "action": word})).unwrap();
    for word in ["sent_for_facebook", "sent_for_instagram", "dismiss_question"] {
        assert_eq!(authorize(&answer(flow, word), &sender(ID, flow, true), ID, BASE), Ok(Context::MetaPage(Page::PrivacyFlow)), "{word}");
        for url in [FEED, "https://www.facebook.com/help/contact/712876720715583", "https://www.threads.com/"] {
            assert!(authorize(&answer(url, word), &sender(ID, url, true), ID, BASE).is_err(), "{word} from {url}");
        }
    }
    // The feed's own buttons are still the feed's.
    assert!(authorize(&answer(FEED, "already_done"), &sender(ID, FEED, true), ID, BASE).is_ok());
    let popup = sender(ID, &format!("{BASE}popup/popup.html"), false);
    for v in [json!({"type": "question_answered", "group": "main", "platform": "instagram"}), json!({"type": "question_dismissed", "group": "main"})] {
        let req = popup_request(v.clone());
        assert_eq!(authorize(&req, &popup, ID, BASE), Ok(Context::ExtensionPage), "{v}");
        assert!(authorize(&req, &sender(ID, flow, true), ID, BASE).is_err(), "{v} from a page");
    }
}

fn reply(r: &Reply) -> Value {
    serde_json::to_value(r).unwrap()
}

#[test]
fn reply_shapes_are_pinned() {
    assert_eq!(reply(&Reply::NoPanel), json!({"type": "no_panel"}));
    assert_eq!(reply(&Reply::Done), json!({"type": "done"}));
    assert_eq!(reply(&Reply::Rejected { reason: "r".into() }), json!({"type": "rejected", "reason": "r"}));
    let form = form_url(PlatformId::Facebook, true);
    let panel = PanelView {
        kind: PanelKind::FormHelper,
        platform: "facebook".into(),
        item: None,
        urging: false,
        lang: "de".into(),
        label: "l".into(),
        paragraphs: vec!["p".into()],
        link: Some(LinkView { text: "k".into(), href: form.clone() }),
        steps_title: "".into(),
        steps: vec![],
        footnote: "".into(),
        reasons: vec![],
        actions: vec![ActionView { action: PanelAction::Close, text: "x".into() }],
        watch: Some(WatchView {
            signals: vec![WatchedSignal { signal: FormSignal::Received, when: SignalWhen::Answer, fragments: vec!["r".into()] }],
            form_area: "form".into(),
            reason_field: "textarea".into(),
        }),
        setting: None,
    };
    assert_eq!(
        reply(&Reply::ShowPanel { panel }),
        json!({"type": "show_panel", "panel": {"kind": "form_helper", "platform": "facebook", "urging": false,
            "lang": "de", "label": "l", "paragraphs": ["p"],
            "link": {"text": "k", "href": form},
            "steps_title": "", "steps": [], "footnote": "", "reasons": [], "actions": [{"action": "close", "text": "x"}],
            "watch": {"signals": [{"signal": "received", "when": "answer", "fragments": ["r"]}], "form_area": "form",
                "reason_field": "textarea"}, "item": null, "setting": null}})
    );
    // What the popup renders (extension/popup/popup.js reads these names).
    let link = LinkView { text: "Open the form".into(), href: "u".into() };
    let item = ItemView {
        platform: PlatformId::Facebook,
        name: "Facebook".into(),
        state: Status::Submitted,
        state_text: "Sent".into(),
        covered: "".into(),
        also: "a".into(),
        remind: "r".into(),
        link: Some(link.clone()),
        actions: vec![ItemAction { action: ChecklistAction::MarkConfirmed, text: "t".into(), label: "l".into() }],
    };
    let group = GroupPanel {
        id: "main".into(),
        name: "Yours".into(),
        main: true,
        active: None,
        linked: Some(ToggleView { label: "l".into(), checked: true }),
        items: vec![item],
        remove: None,
        question: None,
    };
    let checklist = PopupView {
        lang: "en".into(),
        title: "t".into(),
        summary: "s".into(),
        timing: "t".into(),
        groups: vec![group],
        add_group: Some(AddGroupView { hint: "h".into(), label: "l".into(), button: "b".into(), max_length: 40 }),
        scope: "s".into(),
        who_else: WhoElseView { title: "t".into(), third_party: "t".into(), third_party_link: link, pages: "p".into(), whatsapp: "w".into() },
        services_title: "s".into(),
        services: vec![],
    };
    let link = json!({"text": "Open the form", "href": "u"});
    let action = json!({"action": "mark_confirmed", "text": "t", "label": "l"});
    let item = json!({"platform": "facebook", "name": "Facebook", "state": "submitted", "state_text": "Sent",
        "covered": "", "also": "a", "remind": "r", "link": link, "actions": [action]});
    let group = json!({"id": "main", "name": "Yours", "main": true, "active": null,
        "linked": {"label": "l", "checked": true}, "items": [item], "remove": null, "question": null});
    let full = json!({"type": "checklist", "checklist": {"lang": "en", "title": "t", "summary": "s", "timing": "t",
        "groups": [group], "add_group": {"hint": "h", "label": "l", "button": "b", "max_length": 40}, "scope": "s",
        "who_else": {"title": "t", "third_party": "t", "third_party_link": link, "pages": "p", "whatsapp": "w"},
        "services_title": "s", "services": []}});
    assert_eq!(reply(&Reply::Checklist { checklist }), full);
}

#[test]
fn malformed_messages_are_refused() {
    // A popup view, spoilt one way at a time: its `max_length`, or one key too many. Replies are never
    // requests, spoilt or not (the unspoilt shape is pinned in `reply_shapes_are_pinned`).
    let checklist = |max_length: Value, extra: Option<(&str, Value)>| {
        let link = json!({"text": "t", "href": "u"});
        let mut v = json!({"lang": "en", "title": "t", "summary": "s", "timing": "t", "groups": [],
            "add_group": {"hint": "h", "label": "l", "button": "b", "max_length": max_length}, "scope": "s",
            "who_else": {"title": "t", "third_party": "t", "third_party_link": link, "pages": "p", "whatsapp": "w"}});
        if let Some((k, x)) = extra {
            v[k] = x;
        }
        json!({"type": "checklist", "checklist": v})
    };
    assert_eq!(Request::from_json(&checklist(json!(40), None)), Err("malformed message: unknown type".into()), "a reply is no request");
    for bad in [
        json!({}),
        json!({"type": "page_shown"}),
        json!({"type": "page_shown", "url": "https://www.facebook.com/", "title": "x"}),
        json!({"type": "page_shown", "url": 5}),
        json!({"type": "panel_clicked", "url": "https://www.facebook.com/"}),
        json!({"type": "panel_clicked", "action": "not_now"}),
        json!({"type": "panel_clicked", "url": "https://www.facebook.com/", "action": "submit_everything"}),
        json!({"type": "form_signal", "url": "https://www.facebook.com/", "signal": "received", "text": "x"}),
        json!({"type": "checklist_clicked", "group": "main", "platform": "whatsapp", "action": "reset"}),
        json!({"type": "checklist_clicked", "platform": "facebook", "action": "reset"}),
        json!({"type": "group_linked", "group": "g1", "linked": "yes"}),
        json!({"type": "PageShown"}),
        json!({"type": "group_add", "name": null}),
        json!({"type": "get_checklist", "x": 1}),
        json!({"type": "done", "type2": 1}),
        json!({"type": "rejected", "reason": 5}),
        checklist(json!(-1), None),
        checklist(json!(1.5), None),
        checklist(json!(0.0), None),
        json!({"type": "group_linked", "group": "", "linked": null}),
        checklist(json!(1), Some(("x", json!(0)))),
        json!({"type": 5}),
        json!("page_shown"),
        json!(null),
    ] {
        assert!(Request::from_json(&bad).is_err(), "{bad}");
    }
    // The reasons say what is wrong.
    let why = |v: Value| Request::from_json(&v).unwrap_err();
    assert_eq!(why(json!({"type": "page_shown", "url": FEED, "title": "x"})), "malformed page_shown message: unknown field `title`");
    assert!(why(json!({"type": "page_shown"})).contains("missing field `url`"));
    assert!(why(json!({"type": "page_shown", "url": 5})).contains("invalid type"));
    assert!(why(json!({"type": "panel_clicked", "url": FEED, "action": "submit_everything"})).contains("unknown variant `submit_everything`"));
    assert_eq!(why(json!([1])), "malformed message: not an object");
    assert_eq!(why(json!({"type": 5})), "malformed message: no type");
}

#[test]
fn every_tag_is_known_to_the_reader() {
    // Each row of `requests!` has its own tag (serde would read a repeated one as the first row only);
    // which messages there are is pinned by `request_shapes_are_pinned`, not by a count to keep in step.
    let mut tags = RequestKind::tags().to_vec();
    tags.sort();
    tags.dedup();
    assert_eq!(tags.len(), RequestKind::tags().len(), "a tag is repeated in requests!");
    for kind in RequestKind::tags() {
        let err = Request::from_json(&json!({"type": kind, "unexpected": 1})).unwrap_err();
        assert!(err.starts_with(&format!("malformed {kind} message")), "{kind}: {err}");
    }
    // The background's reply types are no requests from anyone.
    for kind in ["show_panel", "no_panel", "checklist", "done", "rejected"] {
        assert_eq!(Request::from_json(&json!({"type": kind})).unwrap_err(), "malformed message: unknown type");
    }
    assert_eq!(Request::from_json(&json!({"type": "nope"})).unwrap_err(), "malformed message: unknown type");
}

const ID: &str = "iddanobcjbciolaflajffjajfcapogle";
const BASE: &str = "chrome-extension://iddanobcjbciolaflajffjajfcapogle/";

fn sender(id: &str, url: &str, tab: bool) -> Sender {
    Sender { id: Some(id.into()), url: Some(url.into()), tab: tab.then_some(SenderTab { id: Some(3.0) }) }
}

fn popup_request(v: Value) -> Request {
    Request::from_json(&v).unwrap()
}

#[test]
fn the_sender_reads_from_runtime_message_sender() {
    let s: Sender = serde_json::from_value(json!({"id": ID, "url": FEED, "tab": {"id": 3, "active": true}, "frameId": 0, "origin": "x"})).unwrap();
    assert_eq!((s.id.as_deref(), s.url.as_deref(), s.tab.and_then(|t| t.id)), (Some(ID), Some(FEED), Some(3.0)));
    assert!(serde_json::from_value::<Sender>(json!({"id": 5})).is_err(), "a field of the wrong type is refused");
}

#[test]
fn content_scripts_may_only_report_pages_and_clicks() {
    let s = sender(ID, "https://de-de.facebook.com/", true);
    assert_eq!(authorize(&shown("https://de-de.facebook.com/"), &s, ID, BASE), Ok(Context::MetaPage(Page::Feed(PlatformId::Facebook))));
    let click = Request::PanelClicked(PanelClicked { url: "https://de-de.facebook.com/".into(), action: PanelAction::NotNow });
    assert!(authorize(&click, &s, ID, BASE).is_ok());
    assert!(authorize(&popup_request(json!({"type": "get_checklist"})), &s, ID, BASE).is_err());
    let set = popup_request(json!({"type": "checklist_clicked", "group": "main", "platform": "facebook", "action": "mark_submitted"}));
    assert!(authorize(&set, &s, ID, BASE).is_err(), "a page must not mark anything submitted");
    assert!(authorize(&popup_request(json!({"type": "group_add", "name": "x"})), &s, ID, BASE).is_err());
}

#[test]
fn only_the_form_page_may_report_what_the_form_shows() {
    let received = |url: &str| Request::FormSignal(FormSignalled { url: url.into(), signal: FormSignal::Received });
    // The current Facebook form and an old Instagram one (which is which: the rules).
    for url in [form_url(PlatformId::Facebook, true), form_url(PlatformId::Instagram, false)] {
        assert!(authorize(&received(&url), &sender(ID, &url, true), ID, BASE).is_ok(), "{url}");
    }
    for url in [FEED.to_string(), third_party_form_url(), "https://help.instagram.com/".to_string()] {
        assert!(authorize(&received(&url), &sender(ID, &url, true), ID, BASE).is_err(), "{url}");
    }
    let form = form_url(PlatformId::Facebook, true);
    let popup = sender(ID, &format!("{BASE}popup/popup.html"), false);
    assert!(authorize(&received(&form), &popup, ID, BASE).is_err());
    // The page the user sees now decides, not the one the tab loaded: a form reached by pushState
    // counts, a feed left for the form by pushState no longer does.
    assert!(authorize(&received(&form), &sender(ID, FEED, true), ID, BASE).is_ok());
    assert!(authorize(&received(FEED), &sender(ID, &form, true), ID, BASE).is_err());
}

#[test]
fn strangers_and_odd_senders_are_refused() {
    assert!(authorize(&shown(FEED), &sender("other-extension", FEED, true), ID, BASE).is_err());
    assert!(authorize(&shown("https://evil.example/"), &sender(ID, "https://evil.example/", true), ID, BASE).is_err());
    assert!(authorize(&shown(FEED), &sender(ID, "https://evil.example/", true), ID, BASE).is_err());
    assert!(authorize(&shown(FEED), &sender(ID, FEED, false), ID, BASE).is_err());
    assert!(authorize(&shown(FEED), &Sender::default(), ID, BASE).is_err());
}

#[test]
fn the_claimed_url_counts_only_on_the_senders_origin() {
    let s = sender(ID, "https://www.facebook.com/", true);
    for claimed in [
        "https://www.instagram.com/",             // another host
        "https://de-de.facebook.com/",            // another host of the same site
        "http://www.facebook.com/",               // another scheme
        "https://www.facebook.com:8443/",         // another port
        "https://www.facebook.com.evil.example/", // a look-alike host
        "https://www.facebook.com@evil.example/", // credentials
        "not a url",                              // garbage
        "",
    ] {
        for req in [
            shown(claimed),
            Request::PanelClicked(PanelClicked { url: claimed.into(), action: PanelAction::AlreadyDone }),
            Request::FormSignal(FormSignalled { url: claimed.into(), signal: FormSignal::Received }),
        ] {
            assert_eq!(authorize(&req, &s, ID, BASE), Err("url is not on the sender's origin".into()), "{claimed}");
        }
    }
    // A path change on the same origin (pushState) is classified by the claimed URL.
    let moved = |u: &str| authorize(&shown(u), &s, ID, BASE);
    assert_eq!(moved("https://www.facebook.com/messages/t/1"), Ok(Context::MetaPage(Page::OtherOnPlatform(PlatformId::Facebook))));
    assert_eq!(
        moved(&format!("{}?x#y", form_url(PlatformId::Facebook, true))),
        Ok(Context::MetaPage(Page::ObjectionForm { platform: PlatformId::Facebook, current: true }))
    );
    assert_eq!(moved("https://WWW.facebook.com:443/zuck"), Ok(Context::MetaPage(Page::Feed(PlatformId::Facebook))));
    // The sender is checked as strictly as before: a claimed Meta URL does not help a stranger's tab.
    assert!(authorize(&shown(FEED), &sender(ID, "https://www.facebook.com.evil.example/", true), ID, BASE).is_err());
}

#[test]
fn the_popup_may_read_and_change_the_checklist() {
    let popup = sender(ID, &format!("{BASE}popup/popup.html"), false);
    assert_eq!(authorize(&popup_request(json!({"type": "get_checklist"})), &popup, ID, BASE), Ok(Context::ExtensionPage));
    let set = popup_request(json!({"type": "checklist_clicked", "group": "main", "platform": "facebook", "action": "reset"}));
    assert!(authorize(&set, &popup, ID, BASE).is_ok());
    assert!(authorize(&popup_request(json!({"type": "group_active", "group": "g1"})), &popup, ID, BASE).is_ok());
    assert!(authorize(&shown(FEED), &popup, ID, BASE).is_err());
}

/// The declarations of `T` and of every type it uses, each once: ts-rs's own dependency walk
/// (`TS::visit_dependencies`, the one `TS::export_all` uses), gathered into one file instead of one file
/// per type. A nested type added to a request or reply comes along by itself. The walk's order varies
/// from build to build, so the caller sorts.
fn declarations<T: ts_rs::TS + 'static + ?Sized>(cfg: &ts_rs::Config, seen: &mut Vec<std::any::TypeId>, out: &mut Vec<String>) {
    struct Walk<'a>(&'a ts_rs::Config, &'a mut Vec<std::any::TypeId>, &'a mut Vec<String>);
    impl ts_rs::TypeVisitor for Walk<'_> {
        fn visit<U: ts_rs::TS + 'static + ?Sized>(&mut self) {
            declarations::<U>(self.0, self.1, self.2);
        }
    }
    // Only declarable types (derived ones) have an output path; built-ins and wrappers are inlined.
    if <T as ts_rs::TS>::output_path().is_none() || seen.contains(&std::any::TypeId::of::<T>()) {
        return;
    }
    seen.push(std::any::TypeId::of::<T>());
    out.push(T::decl(cfg));
    T::visit_dependencies(&mut Walk(cfg, seen, out));
}

/// `extension/protocol.d.ts`: the protocol's types for the extension's JavaScript, generated from
/// [`Request`] and [`Reply`] with everything they use (`tsc --checkJs` in `./build.sh test` holds the
/// scripts to it). When a type changes, this test fails until the file is regenerated:
/// `UPDATE_TYPEDEFS=1 cargo test protocol_typedefs`.
#[test]
fn protocol_typedefs_are_current() {
    let cfg = ts_rs::Config::new();
    let (mut seen, mut decls) = (vec![], vec![]);
    declarations::<Request>(&cfg, &mut seen, &mut decls);
    declarations::<Reply>(&cfg, &mut seen, &mut decls);
    decls.sort(); // by name: each is `type Name = …`
    let mut text = String::from(
        "// Generated from the Rust types in src/protocol.rs by `UPDATE_TYPEDEFS=1 cargo test protocol_typedefs`;\n\
         // do not edit. The extension's scripts use these through JSDoc (`// @ts-check`).\n\n",
    );
    for d in decls {
        text.push_str("export ");
        text.push_str(d.trim());
        text.push_str("\n\n");
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/protocol.d.ts");
    if std::env::var_os("UPDATE_TYPEDEFS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(on_disk == text, "extension/protocol.d.ts is out of date: run UPDATE_TYPEDEFS=1 cargo test protocol_typedefs");
}

/// The `type` tags TypeScript gets (ts-rs, in `Request`'s declaration) are the tags serde reads
/// (`RequestKind`), in the same order: a message the JS types accept is one the core decodes.
#[test]
fn typescript_request_tags_are_the_wire_tags() {
    let decl = <Request as ts_rs::TS>::decl(&ts_rs::Config::new());
    let ts_tags: Vec<&str> = decl.split("\"type\": \"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
    assert_eq!(ts_tags, RequestKind::tags(), "in {decl}");
    // And every tag decodes to its own kind and encodes back (to_json writes `tag()`).
    for (i, tag) in RequestKind::tags().iter().enumerate() {
        assert_eq!(RequestKind::of(tag).map(|k| k as usize), Some(i), "{tag}");
    }
}

#[test]
fn metas_privacy_center_flow_and_threads_are_meta_pages() {
    let signal = |u: &str| Request::FormSignal(FormSignalled { url: u.into(), signal: FormSignal::Received });
    // The flow on help.meta.com, also when reached in-page from elsewhere on that host.
    let help = sender(ID, "https://help.meta.com/support/", true);
    assert_eq!(authorize(&shown("https://help.meta.com/support/privacy/"), &help, ID, BASE), Ok(Context::MetaPage(Page::PrivacyFlow)));
    assert!(authorize(&signal("https://help.meta.com/support/privacy/step/2"), &help, ID, BASE).is_ok());
    // The rest of that host gets no panel and may not report signals.
    assert_eq!(authorize(&shown("https://help.meta.com/support/"), &help, ID, BASE), Ok(Context::MetaPage(Page::OtherMeta)));
    assert!(authorize(&signal("https://help.meta.com/support/"), &help, ID, BASE).is_err());
    // Nor may the Privacy Center's AI page or Threads.
    let guide = sender(ID, "https://www.facebook.com/privacy/genai", true);
    assert!(authorize(&signal("https://www.facebook.com/privacy/genai"), &guide, ID, BASE).is_err());
    let threads = sender(ID, "https://www.threads.com/", true);
    assert_eq!(authorize(&shown("https://www.threads.com/@a"), &threads, ID, BASE), Ok(Context::MetaPage(Page::CoveredFeed(PlatformId::Instagram))));
    assert!(authorize(&signal("https://www.threads.com/"), &threads, ID, BASE).is_err());
    // A look-alike of the new hosts is a stranger.
    for u in ["https://help.meta.com.evil.example/support/privacy/", "https://threads.com.evil.example/"] {
        assert!(authorize(&shown(u), &sender(ID, u, true), ID, BASE).is_err(), "{u}");
    }
}

// ── issue 15: services ──

const LI_FEED: &str = "https://www.linkedin.com/feed/";
const LI_SETTING: &str = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement";

#[test]
fn service_request_shapes_are_pinned() {
    for (state, word) in [(SeenState::On, "on"), (SeenState::Off, "off"), (SeenState::Missing, "missing")] {
        assert_eq!(wire(json!({"type": "setting_seen", "url": LI_SETTING, "state": word})), Request::SettingSeen(SettingSeen { url: LI_SETTING.into(), state }));
    }
    assert_eq!(
        wire(json!({"type": "panel_clicked", "url": LI_SETTING, "action": "confirm_off"})),
        Request::PanelClicked(PanelClicked { url: LI_SETTING.into(), action: PanelAction::ConfirmOff })
    );
    assert_eq!(
        wire(json!({"type": "service_chosen", "service": "linkedin", "chosen": true})),
        Request::ServiceChosen(ServiceChosen { service: "linkedin".into(), chosen: true })
    );
    for (action, word) in [
        (ServiceAction::Open, "open"),
        (ServiceAction::MarkSubmitted, "mark_submitted"),
        (ServiceAction::MarkConfirmed, "mark_confirmed"),
        (ServiceAction::ConfirmOff, "confirm_off"),
        (ServiceAction::Reset, "reset"),
    ] {
        assert_eq!(
            wire(json!({"type": "item_clicked", "service": "linkedin", "item": "ai_setting", "action": word})),
            Request::ItemClicked(ItemClicked { service: "linkedin".into(), item: "ai_setting".into(), action })
        );
    }
    for bad in [
        json!({"type": "setting_seen", "url": LI_SETTING, "state": "unknown"}),
        json!({"type": "setting_seen", "url": LI_SETTING, "state": "off", "label": "x"}),
        json!({"type": "setting_seen", "url": LI_SETTING}),
        json!({"type": "setting_seen", "state": "off"}),
        json!({"type": "service_chosen", "service": "linkedin", "chosen": "yes"}),
        json!({"type": "service_chosen", "service": "linkedin"}),
        json!({"type": "item_clicked", "service": "linkedin", "item": "ai_setting", "action": "mark_off"}),
        json!({"type": "item_clicked", "service": "linkedin", "action": "reset"}),
    ] {
        assert!(Request::from_json(&bad).is_err(), "{bad}");
    }
}

#[test]
fn a_services_pages_are_service_pages_and_may_report_only_there() {
    let feed = sender(ID, LI_FEED, true);
    assert_eq!(authorize(&shown(LI_FEED), &feed, ID, BASE), Ok(Context::ServicePage("linkedin", ServicePage::Feed)));
    let seen = |url: &str, word: &str| Request::from_json(&json!({"type": "setting_seen", "url": url, "state": word})).unwrap();
    let setting = sender(ID, LI_SETTING, true);
    assert_eq!(authorize(&seen(LI_SETTING, "off"), &setting, ID, BASE), Ok(Context::ServicePage("linkedin", ServicePage::Item("ai_setting"))));
    // Reached in-page from the feed (pushState): the claimed page counts, on the sender's origin.
    assert_eq!(authorize(&seen(LI_SETTING, "off"), &feed, ID, BASE), Ok(Context::ServicePage("linkedin", ServicePage::Item("ai_setting"))));
    // A control's state only from an item's page; "it is off" likewise.
    assert!(authorize(&seen(LI_FEED, "off"), &feed, ID, BASE).is_err(), "the feed has no setting");
    let confirm = |url: &str| Request::PanelClicked(PanelClicked { url: url.into(), action: PanelAction::ConfirmOff });
    assert!(authorize(&confirm(LI_SETTING), &setting, ID, BASE).is_ok());
    assert!(authorize(&confirm(LI_FEED), &feed, ID, BASE).is_err());
    for url in [FEED, "https://help.meta.com/support/privacy/object/meta-ai/"] {
        assert!(authorize(&confirm(url), &sender(ID, url, true), ID, BASE).is_err(), "{url}: Meta has no settings to confirm");
        assert!(authorize(&seen(url, "off"), &sender(ID, url, true), ID, BASE).is_err(), "{url}");
    }
    // The feed's buttons, not Meta's question's answers.
    assert!(authorize(&Request::PanelClicked(PanelClicked { url: LI_FEED.into(), action: PanelAction::NotNow }), &feed, ID, BASE).is_ok());
    assert!(authorize(&Request::PanelClicked(PanelClicked { url: LI_FEED.into(), action: PanelAction::SentForFacebook }), &feed, ID, BASE).is_err());
    // No other origin, no look-alike, no http, no tab-less sender; a page may not choose or mark.
    assert_eq!(authorize(&seen("https://www.x.com/settings/grok_settings", "off"), &setting, ID, BASE), Err("url is not on the sender's origin".into()));
    for u in ["https://www.linkedin.com.evil.example/feed/", "http://www.linkedin.com/feed/", "https://www.linkedin.com@evil.example/"] {
        assert!(authorize(&shown(u), &sender(ID, u, true), ID, BASE).is_err(), "{u}");
    }
    assert!(authorize(&shown(LI_FEED), &sender(ID, LI_FEED, false), ID, BASE).is_err());
    for v in [json!({"type": "service_chosen", "service": "linkedin", "chosen": true}), json!({"type": "item_clicked", "service": "linkedin", "item": "ai_setting", "action": "confirm_off"})] {
        let req = popup_request(v.clone());
        assert!(authorize(&req, &setting, ID, BASE).is_err(), "{v} from a page");
        assert_eq!(authorize(&req, &sender(ID, &format!("{BASE}popup/popup.html"), false), ID, BASE), Ok(Context::ExtensionPage), "{v}");
    }
}

//! What the background does with a message, as a pure function of the stored progress and the time.
//! `web::background` reads storage, calls [`handle`], writes what it returns and updates the badge.

use crate::banner::{plan, BannerPlan};
use crate::classify::Page;
use crate::messages::{BannerAction, ChecklistAction, ChecklistItem, Context, Message};
use crate::progress::{badge, decode, encode, storage_key, Badge, Decoded, Event, Record, MAIN_GROUP};
use crate::rules::{PlatformId, Rules};
use serde_json::{Map, Value};

/// Decoded progress of every platform (main account group).
#[derive(Debug, Clone)]
pub struct Stored {
    entries: Vec<(PlatformId, Decoded)>,
}

impl Stored {
    /// The storage keys to read.
    pub fn keys() -> Vec<String> {
        PlatformId::ALL.iter().map(|p| storage_key(*p, MAIN_GROUP)).collect()
    }

    /// From the object `storage.local.get(keys)` returned (anything else counts as empty).
    pub fn from_storage(items: &Value) -> Stored {
        let empty = Map::new();
        let map = items.as_object().unwrap_or(&empty);
        let entries = PlatformId::ALL.iter().map(|p| (*p, decode(map.get(&storage_key(*p, MAIN_GROUP))))).collect();
        Stored { entries }
    }

    pub fn get(&self, p: PlatformId) -> &Decoded {
        &self.entries.iter().find(|(id, _)| *id == p).expect("every platform is decoded").1
    }

    fn set(&mut self, p: PlatformId, r: Record) {
        if let Some(e) = self.entries.iter_mut().find(|(id, _)| *id == p) {
            e.1 = Decoded::Current(r);
        }
    }

    /// One line per unreadable or newer value, for a console warning.
    pub fn warnings(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter_map(|(p, d)| match d {
                Decoded::Corrupt { reason } => Some(format!(
                    "{}: stored progress is unreadable ({reason}); treating it as not started until you change it",
                    storage_key(*p, MAIN_GROUP)
                )),
                Decoded::Newer { version, .. } => Some(format!(
                    "{}: written by a newer Widerspruch (schema {version}); kept unchanged, read-only",
                    storage_key(*p, MAIN_GROUP)
                )),
                _ => None,
            })
            .collect()
    }

    pub fn badge(&self) -> Badge {
        let statuses: Vec<_> = self.entries.iter().map(|(_, d)| d.record().status).collect();
        badge(&statuses)
    }

    pub fn read_only(&self) -> bool {
        self.entries.iter().any(|(_, d)| !d.writable())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Banner(Option<BannerPlan>),
    Checklist { items: Vec<ChecklistItem>, read_only: bool },
    Done,
    Rejected(String),
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub reply: Reply,
    /// `(key, value)` pairs for `storage.local.set`.
    pub writes: Vec<(String, Value)>,
    /// The progress after the writes.
    pub stored: Stored,
}

pub fn handle(rules: &Rules, msg: &Message, ctx: Context, stored: &Stored, now: f64) -> Outcome {
    let mut out = Outcome { reply: Reply::Done, writes: Vec::new(), stored: stored.clone() };
    match (ctx, msg) {
        (Context::MetaPage(page), Message::PageShown) => match page {
            Page::ObjectionForm { platform, .. } => {
                change(rules, &mut out, platform, Event::FormOpened, now);
                out.reply = Reply::Banner(None);
            }
            _ => {
                let banner = page.platform().and_then(|p| plan(rules, page, &stored.get(p).record(), now));
                out.reply = Reply::Banner(banner);
            }
        },
        (Context::MetaPage(page), Message::BannerClicked { action }) => {
            // The banner only exists on a feed page; a click reported from anywhere else changes nothing.
            let Page::Feed(platform) = page else {
                out.reply = Reply::Rejected("banner click from a page without a banner".into());
                return out;
            };
            let event = match action {
                BannerAction::OpenForm => Event::FormOpened,
                BannerAction::AlreadyDone => Event::MarkSubmitted,
                BannerAction::NotNow => Event::Snooze,
            };
            change(rules, &mut out, platform, event, now);
        }
        (Context::ExtensionPage, Message::GetChecklist) => out.reply = checklist(rules, stored),
        (Context::ExtensionPage, Message::ChecklistClicked { platform, action }) => {
            let event = match action {
                ChecklistAction::OpenForm => Event::FormOpened,
                ChecklistAction::MarkSubmitted => Event::MarkSubmitted,
                ChecklistAction::MarkConfirmed => Event::MarkConfirmed,
                ChecklistAction::Reset => Event::Reset,
            };
            change(rules, &mut out, *platform, event, now);
            if out.reply == Reply::Done {
                out.reply = checklist(rules, &out.stored);
            }
        }
        _ => out.reply = Reply::Rejected(format!("{} is not a request", msg.kind())),
    }
    out
}

fn change(rules: &Rules, out: &mut Outcome, platform: PlatformId, event: Event, now: f64) {
    let current = out.stored.get(platform);
    if !current.writable() {
        out.reply = Reply::Rejected("progress was saved by a newer version of Widerspruch; left unchanged".into());
        return;
    }
    if let Some(next) = current.record().apply(event, now, rules.snooze_days) {
        out.writes.push((storage_key(platform, MAIN_GROUP), encode(&next)));
        out.stored.set(platform, next);
    }
}

fn checklist(rules: &Rules, stored: &Stored) -> Reply {
    let items = PlatformId::ALL
        .iter()
        .map(|p| {
            let r = stored.get(*p).record();
            let rp = rules.platform(*p);
            ChecklistItem { platform: *p, name: rp.name.clone(), status: r.status, form_url: rp.form.clone(), changed_at: r.changed_at }
        })
        .collect();
    Reply::Checklist { items, read_only: stored.read_only() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Status;
    use crate::rules::rules;
    use serde_json::json;

    const NOW: f64 = 1_795_000_000_000.0;
    const FB_FEED: Context = Context::MetaPage(Page::Feed(PlatformId::Facebook));

    fn empty() -> Stored {
        Stored::from_storage(&json!({}))
    }

    #[test]
    fn opening_the_form_page_records_form_opened() {
        let ctx = Context::MetaPage(Page::ObjectionForm { platform: PlatformId::Instagram, current: true });
        let out = handle(rules(), &Message::PageShown, ctx, &empty(), NOW);
        assert_eq!(out.reply, Reply::Banner(None));
        assert_eq!(out.writes, vec![("progress/instagram/main".to_string(), json!({"v": 1, "status": "form_opened", "changed_at": NOW}))]);
        assert_eq!(out.stored.badge().text, "2", "form opened is still open");
    }

    #[test]
    fn feed_page_gets_a_banner_until_done() {
        let out = handle(rules(), &Message::PageShown, FB_FEED, &empty(), NOW);
        assert!(matches!(out.reply, Reply::Banner(Some(_))));
        assert!(out.writes.is_empty(), "showing a banner writes nothing");
        let done = handle(rules(), &Message::BannerClicked { action: BannerAction::AlreadyDone }, FB_FEED, &empty(), NOW);
        assert_eq!(done.stored.get(PlatformId::Facebook).record().status, Status::Submitted);
        assert_eq!(done.stored.badge().text, "1");
        let again = handle(rules(), &Message::PageShown, FB_FEED, &done.stored, NOW);
        assert_eq!(again.reply, Reply::Banner(None));
    }

    #[test]
    fn not_now_snoozes() {
        let out = handle(rules(), &Message::BannerClicked { action: BannerAction::NotNow }, FB_FEED, &empty(), NOW);
        assert_eq!(out.writes.len(), 1);
        assert_eq!(handle(rules(), &Message::PageShown, FB_FEED, &out.stored, NOW + 1000.0).reply, Reply::Banner(None));
        assert!(matches!(handle(rules(), &Message::PageShown, FB_FEED, &out.stored, NOW + 8.0 * 86_400_000.0).reply, Reply::Banner(Some(_))));
    }

    #[test]
    fn clicks_from_non_feed_pages_change_nothing() {
        let ctx = Context::MetaPage(Page::OtherOnPlatform(PlatformId::Facebook));
        let out = handle(rules(), &Message::BannerClicked { action: BannerAction::AlreadyDone }, ctx, &empty(), NOW);
        assert!(matches!(out.reply, Reply::Rejected(_)));
        assert!(out.writes.is_empty());
    }

    #[test]
    fn popup_marks_and_reads_the_checklist() {
        let msg = Message::ChecklistClicked { platform: PlatformId::Instagram, action: ChecklistAction::MarkConfirmed };
        let out = handle(rules(), &msg, Context::ExtensionPage, &empty(), NOW);
        let Reply::Checklist { items, read_only } = out.reply else { panic!("{:?}", out.reply) };
        assert!(!read_only);
        assert_eq!(items[1].platform, PlatformId::Instagram);
        assert_eq!(items[1].status, Status::Confirmed);
        assert_eq!(items[0].status, Status::NotStarted);
    }

    #[test]
    fn newer_data_is_never_overwritten() {
        let stored = Stored::from_storage(&json!({"progress/facebook/main": {"v": 7, "status": "submitted", "future": true}}));
        assert_eq!(stored.warnings().len(), 1);
        let msg = Message::ChecklistClicked { platform: PlatformId::Facebook, action: ChecklistAction::Reset };
        let out = handle(rules(), &msg, Context::ExtensionPage, &stored, NOW);
        assert!(out.writes.is_empty());
        assert!(matches!(out.reply, Reply::Rejected(_)));
        // Other platforms still work.
        let msg = Message::ChecklistClicked { platform: PlatformId::Instagram, action: ChecklistAction::MarkSubmitted };
        assert_eq!(handle(rules(), &msg, Context::ExtensionPage, &stored, NOW).writes.len(), 1);
    }

    #[test]
    fn corrupt_data_is_replaced_only_when_the_user_acts() {
        let stored = Stored::from_storage(&json!({"progress/facebook/main": "garbage"}));
        assert_eq!(stored.warnings().len(), 1);
        assert!(handle(rules(), &Message::PageShown, FB_FEED, &stored, NOW).writes.is_empty());
        let out = handle(rules(), &Message::BannerClicked { action: BannerAction::AlreadyDone }, FB_FEED, &stored, NOW);
        assert_eq!(out.writes.len(), 1);
    }

    #[test]
    fn replies_are_not_requests() {
        let out = handle(rules(), &Message::Done, Context::ExtensionPage, &empty(), NOW);
        assert!(matches!(out.reply, Reply::Rejected(_)));
    }
}

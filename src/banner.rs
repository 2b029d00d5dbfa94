//! What the in-page banner should say for a page and a progress record. Pure: the texts are message keys
//! from `extension/_locales`, resolved by a [`Localize`] (the browser's i18n API in the extension, the
//! English catalogue in tests).

use crate::classify::Page;
use crate::progress::{Record, Status};
use crate::rules::{PlatformId, Rules};
use serde::{Deserialize, Serialize};

/// A message key with its substitutions.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub key: &'static str,
    pub subs: Vec<String>,
}

impl Text {
    pub fn new(key: &'static str) -> Text {
        Text { key, subs: Vec::new() }
    }
    pub fn with(key: &'static str, sub: &str) -> Text {
        Text { key, subs: vec![sub.to_string()] }
    }
}

/// Resolves message keys; the extension uses `i18n.getMessage`.
pub trait Localize {
    fn text(&self, key: &str, subs: &[String]) -> String;
    fn lang(&self) -> String;
}

/// The decision: show a banner for this platform, saying this.
#[derive(Debug, Clone, PartialEq)]
pub struct BannerPlan {
    pub platform: PlatformId,
    pub urging: bool,
    pub text: Text,
    pub form_url: String,
}

/// What the content script renders: already localised, nothing for it to decide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BannerView {
    pub platform: PlatformId,
    pub urging: bool,
    pub lang: String,
    /// Accessible name of the banner region.
    pub label: String,
    pub text: String,
    pub link_text: String,
    pub link_href: String,
    pub done_text: String,
    pub later_text: String,
}

/// Show a banner? Only on the feed or a profile, only while the platform is not submitted, and not while
/// the user said "not now". Never on the form page itself.
pub fn plan(rules: &Rules, page: Page, record: &Record, now: f64) -> Option<BannerPlan> {
    let Page::Feed(platform) = page else { return None };
    if record.status.is_protected() || record.is_snoozed(now) {
        return None;
    }
    let p = rules.platform(platform);
    let text = match record.status {
        Status::FormOpened => Text::with("banner_text_opened", &p.name),
        _ => Text::with("banner_text", &p.name),
    };
    Some(BannerPlan { platform, urging: true, text, form_url: p.form.clone() })
}

impl BannerPlan {
    pub fn render(&self, l: &dyn Localize) -> BannerView {
        let t = |key: &str| l.text(key, &[]);
        BannerView {
            platform: self.platform,
            urging: self.urging,
            lang: l.lang(),
            label: t("banner_label"),
            text: l.text(self.text.key, &self.text.subs),
            link_text: t("banner_link"),
            link_href: self.form_url.clone(),
            done_text: t("banner_done"),
            later_text: t("banner_later"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::rules;
    use crate::testing::English;

    const NOW: f64 = 1_795_000_000_000.0;

    fn rec(status: Status) -> Record {
        Record { status, ..Default::default() }
    }

    #[test]
    fn feed_pages_get_the_platforms_form() {
        let fb = plan(rules(), Page::Feed(PlatformId::Facebook), &rec(Status::NotStarted), NOW).unwrap();
        assert_eq!(fb.form_url, "https://www.facebook.com/help/contact/712876720715583");
        assert!(fb.urging);
        let ig = plan(rules(), Page::Feed(PlatformId::Instagram), &rec(Status::FormOpened), NOW).unwrap();
        assert_eq!(ig.form_url, "https://help.instagram.com/contact/767264225370182");
        assert_eq!(ig.text.key, "banner_text_opened");
    }

    #[test]
    fn no_banner_once_submitted_snoozed_or_off_feed() {
        let fb = Page::Feed(PlatformId::Facebook);
        assert!(plan(rules(), fb, &rec(Status::Submitted), NOW).is_none());
        assert!(plan(rules(), fb, &rec(Status::Confirmed), NOW).is_none());
        let snoozed = Record { snoozed_until: Some(NOW + 1.0), ..Default::default() };
        assert!(plan(rules(), fb, &snoozed, NOW).is_none());
        let expired = Record { snoozed_until: Some(NOW - 1.0), ..Default::default() };
        assert!(plan(rules(), fb, &expired, NOW).is_some());
        let form = Page::ObjectionForm { platform: PlatformId::Facebook, current: true };
        assert!(plan(rules(), form, &rec(Status::NotStarted), NOW).is_none());
        assert!(plan(rules(), Page::OtherOnPlatform(PlatformId::Facebook), &rec(Status::NotStarted), NOW).is_none());
        assert!(plan(rules(), Page::Unrelated, &rec(Status::NotStarted), NOW).is_none());
    }

    #[test]
    fn rendered_banner_names_the_platform_in_plain_words() {
        let v = plan(rules(), Page::Feed(PlatformId::Instagram), &rec(Status::NotStarted), NOW).unwrap().render(&English);
        assert!(v.text.contains("Instagram"), "{}", v.text);
        assert!(!v.text.contains('$'), "unresolved placeholder: {}", v.text);
        assert_eq!(v.lang, "en");
        for s in [&v.label, &v.link_text, &v.done_text, &v.later_text] {
            assert!(!s.is_empty());
        }
    }
}

//! What kind of page a URL is. The core decides this from the URL the *browser* reports for a message's
//! sender, never from anything the page says.

use crate::rules::{host_label_matches, rules, PlatformId, Rules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The feed or a profile: where the banner belongs.
    Feed(PlatformId),
    /// The feed of a site with no form of its own whose posts this platform's objection covers (Threads,
    /// covered by Instagram): a banner that says so.
    CoveredFeed(PlatformId),
    /// An objection form page (`current` = this year's id, not an older one still circulating).
    ObjectionForm { platform: PlatformId, current: bool },
    /// Meta's Privacy Center flow (`help.meta.com/support/privacy/…`), where objections go as reported in
    /// 2026. It belongs to no one platform.
    PrivacyFlow,
    /// The platform's Privacy Center page about generative AI, on the way to the objection.
    PrivacyGuide(PlatformId),
    /// Some other page of the platform (help, login, messages, Accounts Center): no banner.
    OtherOnPlatform(PlatformId),
    /// Another page of a Meta site we run on that belongs to no platform (the rest of `help.meta.com`).
    OtherMeta,
    /// Not one of Meta's sites we know, or not https, or a look-alike host.
    Unrelated,
}

impl Page {
    pub fn platform(self) -> Option<PlatformId> {
        match self {
            Page::Feed(p)
            | Page::CoveredFeed(p)
            | Page::OtherOnPlatform(p)
            | Page::PrivacyGuide(p)
            | Page::ObjectionForm { platform: p, .. } => Some(p),
            Page::PrivacyFlow | Page::OtherMeta | Page::Unrelated => None,
        }
    }

    /// A page of one of Meta's sites the content scripts run on (the manifest's hosts).
    pub fn is_meta(self) -> bool {
        self != Page::Unrelated
    }
}

pub fn classify(url: &str) -> Page {
    classify_with(rules(), url)
}

pub fn classify_with(rules: &Rules, url: &str) -> Page {
    let Some((host, path)) = split_https_url(url) else { return Page::Unrelated };
    let path = normalise_path(path);
    let pc = &rules.privacy_center;
    if host == pc.host {
        return if path_has_prefix(&path, &pc.path) { Page::PrivacyFlow } else { Page::OtherMeta };
    }
    for p in &rules.platforms {
        let Some(sub) = subdomain_of(&host, &p.domain) else { continue };
        let Some(label) = app_label(sub) else { return Page::OtherOnPlatform(p.id) };
        if let Some(f) = p.form_pages.iter().find(|f| is_page(&f.hosts, &f.path, label, &path)) {
            return Page::ObjectionForm { platform: p.id, current: f.current };
        }
        if rules.guide_pages.iter().any(|g| g.platform == p.id && is_page(&g.hosts, &g.path, label, &path)) {
            return Page::PrivacyGuide(p.id);
        }
        return if is_feed(&p.feed_hosts, &p.not_feed_paths, label, &path) { Page::Feed(p.id) } else { Page::OtherOnPlatform(p.id) };
    }
    for c in &rules.covered_sites {
        let Some(sub) = c.domains.iter().find_map(|d| subdomain_of(&host, d)) else { continue };
        let Some(label) = app_label(sub) else { return Page::OtherOnPlatform(c.covered_by) };
        return if is_feed(&c.feed_hosts, &c.not_feed_paths, label, &path) {
            Page::CoveredFeed(c.covered_by)
        } else {
            Page::OtherOnPlatform(c.covered_by)
        };
    }
    Page::Unrelated
}

/// A page of a data-driven service (LinkedIn, X, Google: `src/rules/<id>.json`), from its URL alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServicePage<'a> {
    /// The service's id.
    pub service: &'a str,
    pub kind: ServicePageKind<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServicePageKind<'a> {
    /// One of an item's `pages` (the setting's page, the objection form): its helper belongs here.
    Item(&'a str),
    /// A feed host, not below one of `not_feed_paths`: where the banner belongs.
    Feed,
    /// Any other page on the service's hosts (settings, messages, help, login): no banner.
    Other,
}

/// Which service's page `url` is, if any, by the compiled-in service files.
pub fn classify_service(url: &str) -> Option<ServicePage<'static>> {
    classify_service_with(crate::rules::services(), url)
}

/// As [`classify_service`], by the given services. `None`: not https, a look-alike or odd host, or on no
/// service's domains (Meta's pages are [`classify`]'s).
pub fn classify_service_with<'a>(services: &'a [crate::rules::Service], url: &str) -> Option<ServicePage<'a>> {
    let (host, path) = split_https_url(url)?;
    let path = normalise_path(path);
    let service = services.iter().find(|s| s.hosts.domains.iter().any(|d| subdomain_of(&host, d).is_some()))?;
    let page = |kind| Some(ServicePage { service: &service.id, kind });
    for item in &service.items {
        let on_page = item.pages.iter().any(|p| match subdomain_of(&host, service.page_domain(p)) {
            Some(label) if !label.is_some_and(|l| l.contains('.')) => is_page(&p.hosts, &p.path, label, &path),
            _ => false,
        });
        if on_page {
            return page(ServicePageKind::Item(&item.id));
        }
    }
    let feed_host = match &service.hosts.feed_hosts {
        Some(hosts) => hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)),
        None => true,
    };
    if feed_host && !service.not_feed_paths.iter().any(|x| path_has_prefix(&path, x)) {
        page(ServicePageKind::Feed)
    } else {
        page(ServicePageKind::Other)
    }
}

/// The host label in front of a Meta domain (`None` for the bare domain). Only one label is a Meta app
/// host we know; a deeper subdomain is something else (`None` here).
fn app_label(sub: Option<&str>) -> Option<Option<&str>> {
    match sub {
        Some(s) if s.contains('.') => None,
        other => Some(other),
    }
}

/// Whether the page at `label` and `path` is this one: one of its host patterns and exactly its path.
fn is_page(hosts: &[String], page_path: &str, label: Option<&str>, path: &str) -> bool {
    hosts.iter().any(|h| host_label_matches(h, label)) && path.eq_ignore_ascii_case(page_path)
}

/// Whether the page at `label` and `path` is a feed: a feed host, and not below a path that is not one.
fn is_feed(feed_hosts: &[String], not_feed_paths: &[String], label: Option<&str>, path: &str) -> bool {
    feed_hosts.iter().any(|h| host_label_matches(h, label)) && !not_feed_paths.iter().any(|x| path_has_prefix(path, x))
}

/// Whether two URLs are both https with the same host (and port 443): the same origin, as far as a page
/// may claim a URL for itself. Anything else, including unreadable strings, is not.
pub fn same_origin(a: &str, b: &str) -> bool {
    match (split_https_url(a), split_https_url(b)) {
        (Some((x, _)), Some((y, _))) => x == y,
        _ => false,
    }
}

/// `https://host[:443]/path?query#frag` → (lower-case host, path). `None` for anything else, including
/// credentials in the authority (`https://www.facebook.com@evil.example/`), other ports and odd hosts.
fn split_https_url(url: &str) -> Option<(String, &str)> {
    // Checked slicing and a byte search: the core carries no panicking string slicing or substring search.
    let scheme_end = url.as_bytes().windows(3).position(|w| w == b"://")?;
    if !url.get(..scheme_end)?.eq_ignore_ascii_case("https") {
        return None;
    }
    let rest = url.get(scheme_end + 3..)?;
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at_checked(auth_end)?;
    if authority.contains('@') {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((h, "443")) => h,
        Some(_) => return None,
        None => authority,
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let valid = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !host.split('.').any(str::is_empty);
    if !valid {
        return None;
    }
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let path = tail.get(..path_end)?;
    Some((host, if path.is_empty() { "/" } else { path }))
}

/// `Some(None)`: host is the domain itself; `Some(Some(labels))`: a subdomain; `None`: unrelated.
fn subdomain_of<'a>(host: &'a str, domain: &str) -> Option<Option<&'a str>> {
    if host == domain {
        return Some(None);
    }
    let prefix = host.strip_suffix(domain)?.strip_suffix('.')?;
    Some(Some(prefix))
}

fn normalise_path(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() { "/".to_string() } else { trimmed.to_string() }
}

fn path_has_prefix(path: &str, prefix: &str) -> bool {
    let p = path.as_bytes();
    let x = prefix.as_bytes();
    p.len() >= x.len() && p[..x.len()].eq_ignore_ascii_case(x) && (p.len() == x.len() || p[x.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{form_url, third_party_form_url};
    use PlatformId::*;

    const FB_FORM: Page = Page::ObjectionForm { platform: Facebook, current: true };
    const IG_FORM: Page = Page::ObjectionForm { platform: Instagram, current: true };

    #[test]
    fn real_world_urls() {
        let table: &[(&str, Page)] = &[
            // Feed and profiles on every Facebook app host.
            ("https://www.facebook.com/", Page::Feed(Facebook)),
            ("https://facebook.com/", Page::Feed(Facebook)),
            ("https://www.facebook.com", Page::Feed(Facebook)),
            ("https://WWW.Facebook.COM/zuck", Page::Feed(Facebook)),
            ("https://de-de.facebook.com/", Page::Feed(Facebook)),
            ("https://en-gb.facebook.com/groups/123/?ref=share", Page::Feed(Facebook)),
            ("https://m.facebook.com/home.php", Page::Feed(Facebook)),
            ("https://web.facebook.com/?_rdc=1&_rdr", Page::Feed(Facebook)),
            ("https://www.facebook.com:443/marketplace/", Page::Feed(Facebook)),
            ("https://www.facebook.com./", Page::Feed(Facebook)),
            ("https://www.instagram.com/", Page::Feed(Instagram)),
            ("https://instagram.com/some.user/", Page::Feed(Instagram)),
            ("https://www.instagram.com/p/Cabc123/#comments", Page::Feed(Instagram)),
            // Other pages of the platforms: no banner.
            ("https://www.facebook.com/help/", Page::OtherOnPlatform(Facebook)),
            ("https://www.facebook.com/privacy/genai", Page::PrivacyGuide(Facebook)),
            ("https://de-de.facebook.com/privacy/guide/genai/", Page::PrivacyGuide(Facebook)),
            ("https://www.facebook.com/privacy/center", Page::OtherOnPlatform(Facebook)),
            ("https://www.facebook.com/messages/t/123", Page::OtherOnPlatform(Facebook)),
            ("https://www.facebook.com/login.php?next=x", Page::OtherOnPlatform(Facebook)),
            ("https://accountscenter.facebook.com/", Page::OtherOnPlatform(Facebook)),
            ("https://business.facebook.com/latest", Page::OtherOnPlatform(Facebook)),
            ("https://developers.facebook.com/docs", Page::OtherOnPlatform(Facebook)),
            ("https://static.xx.fbcdn.facebook.com/x", Page::OtherOnPlatform(Facebook)),
            ("https://www.instagram.com/direct/inbox/", Page::OtherOnPlatform(Instagram)),
            ("https://www.instagram.com/accounts/login/", Page::OtherOnPlatform(Instagram)),
            ("https://help.instagram.com/", Page::OtherOnPlatform(Instagram)),
            ("https://privacycenter.instagram.com/privacy/genai", Page::PrivacyGuide(Instagram)),
            ("https://privacycenter.instagram.com/privacy/genai/?entry=1", Page::PrivacyGuide(Instagram)),
            ("https://www.instagram.com/privacy/genai", Page::OtherOnPlatform(Instagram)),
            // Threads: no form of its own; the Instagram objection covers it.
            ("https://www.threads.com/", Page::CoveredFeed(Instagram)),
            ("https://threads.com/@some.user", Page::CoveredFeed(Instagram)),
            ("https://www.threads.net/@some.user/post/C1", Page::CoveredFeed(Instagram)),
            ("https://threads.net/", Page::CoveredFeed(Instagram)),
            ("https://www.threads.com/login?next=/", Page::OtherOnPlatform(Instagram)),
            ("https://www.threads.com/settings/privacy", Page::OtherOnPlatform(Instagram)),
            ("https://help.threads.com/", Page::OtherOnPlatform(Instagram)),
            ("https://threads.com.evil.example/", Page::Unrelated),
            ("https://mythreads.com/", Page::Unrelated),
            // Meta's Privacy Center flow (as reported in 2026) and the rest of its help site.
            ("https://help.meta.com/support/privacy/", Page::PrivacyFlow),
            ("https://help.meta.com/support/privacy", Page::PrivacyFlow),
            ("https://help.meta.com/support/privacy/object/meta-ai?ref=x", Page::PrivacyFlow),
            ("https://HELP.meta.com/support/privacy/", Page::PrivacyFlow),
            ("https://help.meta.com/support/privacyx", Page::OtherMeta),
            ("https://help.meta.com/", Page::OtherMeta),
            ("http://help.meta.com/support/privacy/", Page::Unrelated),
            ("https://help.meta.com.evil.example/support/privacy/", Page::Unrelated),
            ("https://evil.help.meta.com/support/privacy/", Page::Unrelated),
            ("https://accountscenter.instagram.com/", Page::OtherOnPlatform(Instagram)),
            // Not Facebook or Instagram: look-alikes, other Meta sites, other schemes and ports.
            ("https://facebook.com.evil.example/", Page::Unrelated),
            ("https://evil-facebook.com/", Page::Unrelated),
            ("https://notfacebook.com/", Page::Unrelated),
            ("https://facebook.co/", Page::Unrelated),
            ("https://faceb00k.com/", Page::Unrelated),
            ("https://www.facebook.com@evil.example/", Page::Unrelated),
            ("https://evil.example/?u=https://www.facebook.com/", Page::Unrelated),
            ("https://evil.example/www.facebook.com/", Page::Unrelated),
            ("https://xn--facebok-y0a.com/", Page::Unrelated),
            ("https://www.facebook.com:8443/", Page::Unrelated),
            ("http://www.facebook.com/", Page::Unrelated),
            ("ftp://www.facebook.com/", Page::Unrelated),
            ("https://www.messenger.com/", Page::Unrelated),
            ("https://web.whatsapp.com/", Page::Unrelated),
            ("https://www.meta.com/", Page::Unrelated),
            ("https://instagram.com.de/", Page::Unrelated),
            ("https://example.org/", Page::Unrelated),
            ("https://face book.com/", Page::Unrelated),
            ("https://www..facebook.com/", Page::Unrelated),
            ("chrome-extension://abc/popup.html", Page::Unrelated),
            ("about:blank", Page::Unrelated),
            ("", Page::Unrelated),
        ];
        for (url, want) in table {
            assert_eq!(classify(url), *want, "{url}");
        }
        // Objection forms, current and older ids (which is which: the rules), on localised hosts, with
        // queries and trailing slashes; and Meta's third-party form, which is not the objection form.
        let (fb, fb_old) = (form_url(Facebook, true), form_url(Facebook, false));
        let (ig, ig_old) = (form_url(Instagram, true), form_url(Instagram, false));
        let forms = [
            (fb.clone(), FB_FORM),
            (format!("{}/", fb.replacen("://www.", "://de-de.", 1)), FB_FORM),
            (format!("{}?locale=de_DE", fb.replacen("://www.", "://m.", 1)), FB_FORM),
            (fb_old.clone(), Page::ObjectionForm { platform: Facebook, current: false }),
            (format!("{}/", fb_old.replacen("://www.", "://de-de.", 1)), Page::ObjectionForm { platform: Facebook, current: false }),
            (ig.clone(), IG_FORM),
            (format!("{ig}?helpref=faq"), IG_FORM),
            (ig_old.clone(), Page::ObjectionForm { platform: Instagram, current: false }),
            (third_party_form_url(), Page::OtherOnPlatform(Facebook)),
        ];
        assert!(fb.starts_with("https://www.facebook.com/") && ig.starts_with("https://help.instagram.com/"), "{fb} {ig}");
        for (url, want) in &forms {
            assert_eq!(classify(url), *want, "{url}");
        }
    }

    /// The service pages, by the compiled-in files: the item pages, the feed, other pages, and not theirs.
    #[test]
    fn service_urls() {
        use ServicePageKind::*;
        let table: &[(&str, Option<(&str, ServicePageKind)>)] = &[
            ("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement", Some(("linkedin", Item("ai_setting")))),
            ("https://linkedin.com/mypreferences/d/settings/data-for-ai-improvement/?trk=x#top", Some(("linkedin", Item("ai_setting")))),
            ("https://WWW.LinkedIn.com:443/mypreferences/d/settings/Data-For-AI-Improvement", Some(("linkedin", Item("ai_setting")))),
            ("https://www.linkedin.com/help/linkedin/ask/TS-DPRO", Some(("linkedin", Item("objection")))),
            ("https://www.linkedin.com/help/linkedin/ask/ts-dpro/", Some(("linkedin", Item("objection")))),
            ("https://www.linkedin.com/feed/", Some(("linkedin", Feed))),
            ("https://www.linkedin.com/", Some(("linkedin", Feed))),
            ("https://www.linkedin.com/in/someone", Some(("linkedin", Feed))),
            ("https://www.linkedin.com/messaging/thread/123/", Some(("linkedin", Other))),
            ("https://www.linkedin.com/mypreferences/d/categories/privacy", Some(("linkedin", Other))),
            ("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement/more", Some(("linkedin", Other))),
            ("https://www.linkedin.com/help/linkedin/answer/a6278444", Some(("linkedin", Other))),
            ("https://business.linkedin.com/", Some(("linkedin", Other))),
            ("https://evil.www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement", Some(("linkedin", Other))),
            ("https://x.com/home", Some(("x", Feed))),
            ("https://x.com/someone/status/1", Some(("x", Feed))),
            ("https://x.com/settings/grok_settings", Some(("x", Item("grok_setting")))),
            ("https://x.com/settings/privacy_and_safety", Some(("x", Other))),
            ("https://x.com/messages/123", Some(("x", Other))),
            ("https://x.com/i/grok", Some(("x", Other))),
            ("https://x.com/i/chat/1", Some(("x", Other))),
            ("https://myactivity.google.com/product/gemini", Some(("google", Item("keep_activity")))),
            ("https://myactivity.google.com/product/gemini?utm_source=gemini", Some(("google", Item("keep_activity")))),
            ("https://myactivity.google.com/myactivity", Some(("google", Other))),
            ("https://gemini.google.com/app", Some(("google", Feed))),
            ("https://gemini.google.com/product/gemini", Some(("google", Feed))),
            // Not a service's: other hosts, look-alikes, other schemes, Meta's sites.
            ("https://mail.google.com/mail/u/0/", None),
            ("https://www.google.com/", None),
            ("https://linkedin.com.evil.example/feed/", None),
            ("https://notlinkedin.com/feed/", None),
            ("https://xx.com/home", None),
            ("http://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement", None),
            ("https://www.linkedin.com@evil.example/", None),
            ("https://www.linkedin.com:8443/feed/", None),
            ("https://www.facebook.com/", None),
            ("not a url", None),
        ];
        for (url, want) in table {
            let got = classify_service(url).map(|p| (p.service, p.kind));
            assert_eq!(got, *want, "{url}");
        }
        // Meta's classifier knows none of them.
        assert_eq!(classify("https://www.linkedin.com/feed/"), Page::Unrelated);
    }

    #[test]
    fn locale_hosts_need_the_locale_shape() {
        assert_eq!(classify("https://de-de.facebook.com/"), Page::Feed(Facebook));
        assert_eq!(classify("https://xx.facebook.com/"), Page::OtherOnPlatform(Facebook));
        assert_eq!(classify("https://de-de.instagram.com/"), Page::OtherOnPlatform(Instagram));
    }

    #[test]
    fn excluded_prefixes_match_whole_segments() {
        assert_eq!(classify("https://www.facebook.com/helpful.page"), Page::Feed(Facebook));
        assert_eq!(classify("https://www.facebook.com/HELP/foo"), Page::OtherOnPlatform(Facebook));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for u in ["https://", "https:///", "https://:443", "https://@", "://", "https://\u{e9}.com/", "https://a:b:c/"] {
            let _ = classify(u);
        }
    }
}

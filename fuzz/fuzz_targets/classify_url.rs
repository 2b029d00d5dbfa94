//! Fuzz `classify::classify` (and `messages::authorize`, which trusts it) with arbitrary URLs.
//!
//! Invariants, beyond "never panics":
//! - a URL classified as a Facebook/Instagram page is https, has no credentials, no port but 443, and its
//!   host is one of the platform's domains (Instagram's include Threads', whose posts its objection covers)
//!   or ends in `.<domain>`; one classified as Meta's Privacy Center is on exactly `help.meta.com`; both by our own reading and by the WHATWG URL
//!   parser the browsers implement (crate `url`), whenever that parser accepts the string;
//! - every canonical https URL on those hosts (as a browser reports `sender.url`) is classified as that
//!   platform: nothing of Meta's is missed;
//! - the answer does not depend on letter case, a fragment or a query, and is the same every time;
//! - `authorize` lets a tab's `page_shown` (claiming the tab's own URL) through exactly when the URL is a
//!   page of one of Meta's sites the extension runs on, or of one of the other services' (src/rules/<id>.json:
//!   the handler then refuses it unless the user chose that service), and such a service page is https, has
//!   no credentials and no port but 443, and its host is on one of that service's domains, by our own
//!   reading and by the WHATWG parser's.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use widerspruch::classify::{classify, Page};
use widerspruch::protocol::{authorize, service_page, Context, PageShown, Request, Sender, SenderTab};
use widerspruch::rules::PlatformId;

const ID: &str = "iddanobcjbciolaflajffjajfcapogle";
const BASE: &str = "chrome-extension://iddanobcjbciolaflajffjajfcapogle/";

fn domains(p: PlatformId) -> &'static [&'static str] {
    match p {
        PlatformId::Facebook => &["facebook.com"],
        PlatformId::Instagram => &["instagram.com", "threads.com", "threads.net"],
    }
}

const SCHEMES: &[&str] = &["https", "HTTPS", "http", "hTtPs", "ftp", "chrome-extension", "moz-extension", "https:", ""];
const LABELS: &[&str] = &[
    "www", "m", "web", "help", "de-de", "en-gb", "xx", "accountscenter", "business", "a.b", "xn--80ak6aa92e",
    "WWW", "", "-", "evil", "facebook.com", "instagram.com",
];
const DOMAINS: &[&str] = &[
    "facebook.com", "instagram.com", "facebook.com.", "FACEBOOK.COM", "facebook.co", "evil-facebook.com",
    "facebook.com.evil.example", "instagram.com.de", "example.org", "fb.com", "threads.com", "threads.net",
    "meta.com", "help.meta.com.evil.example", "mythreads.com",
    // The other services' (src/rules/<id>.json) and their look-alikes.
    "linkedin.com", "x.com", "myactivity.google.com", "gemini.google.com", "google.com", "linkedin.com.evil.example",
    "evil-x.com", "x.co", "ax.com",
];
const PORTS: &[&str] = &["", ":443", ":8443", ":", ":0443", ":443:443"];
// Hints, not expectations: ids the rules know (current or old) or once knew still make useful inputs.
const PATHS: &[&str] = &[
    "/", "", "/help/contact/712876720715583", "/help/contact/6359191084165019", "/contact/767264225370182",
    "/contact/233964459562201", "/help", "/HELP/foo", "/messages/t/1", "/zuck", "/accounts/login/", "//",
    "/help/contact/712876720715583/", "\\", "/%2e%2e/", "/direct/inbox/", "/support/privacy/", "/support/privacy",
    "/privacy/genai", "/@some.user", "/login",
    "/mypreferences/d/settings/data-for-ai-improvement", "/help/linkedin/ask/TS-DPRO", "/settings/grok_settings",
    "/product/gemini", "/feed/", "/messaging/", "/home", "/app",
];

fn pick<'a>(u: &mut Unstructured, from: &[&'a str]) -> arbitrary::Result<&'a str> {
    Ok(from[u.choose_index(from.len())?])
}

/// A token from the list above, or a few arbitrary characters.
fn piece(u: &mut Unstructured, from: &[&str]) -> arbitrary::Result<String> {
    if u.ratio(3, 4)? {
        Ok(pick(u, from)?.to_string())
    } else {
        let n = u.int_in_range(0..=6)?;
        (0..n).map(|_| u.arbitrary::<char>()).collect()
    }
}

fn build(u: &mut Unstructured) -> arbitrary::Result<String> {
    let mut s = piece(u, SCHEMES)?;
    s.push_str(if u.ratio(7, 8)? { "://" } else { ":/" });
    if u.ratio(1, 8)? {
        s.push_str(&piece(u, &["user", "www.facebook.com", "a:b"])?);
        s.push('@');
    }
    for _ in 0..u.int_in_range(0..=2)? {
        s.push_str(&piece(u, LABELS)?);
        s.push('.');
    }
    s.push_str(&piece(u, DOMAINS)?);
    s.push_str(&piece(u, PORTS)?);
    s.push_str(&piece(u, PATHS)?);
    if u.ratio(1, 4)? {
        s.push('?');
        s.push_str(&piece(u, &["ref=x", "u=https://www.facebook.com/", "locale=de_DE"])?);
    }
    if u.ratio(1, 4)? {
        s.push('#');
        s.push_str(&piece(u, &["comments", "https://evil.example/"])?);
    }
    Ok(s)
}

/// Our own reading of the host, independent of the classifier's code: after `://`, up to the first
/// `/`, `?` or `#`.
fn host_of(url: &str) -> String {
    let rest = &url[url.find("://").expect("a platform URL has ://") + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    assert!(!auth.contains('@'), "credentials in a platform URL: {url:?}");
    let host = auth.strip_suffix(":443").unwrap_or(auth);
    assert!(!host.contains(':'), "a port other than 443 in a platform URL: {url:?}");
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

fn on_domain(host: &str, d: &str) -> bool {
    host == d || host.ends_with(&format!(".{d}"))
}

/// A page the extension acts on (Meta's or another service's): `host` (our own reading) is plain labels of
/// letters, digits and hyphens, and what the browser would make of the same string, when it accepts it at
/// all, is https with no credentials, the default port and that same host.
fn assert_plain_https(url: &str, host: &str, parsed: Option<&url::Url>, what: &str) {
    assert!(
        !host.is_empty() && host.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')),
        "{what} for an odd host {host:?}: {url:?}"
    );
    if let Some(u) = parsed {
        assert_eq!(u.scheme(), "https", "{url:?}");
        assert!(u.username().is_empty() && u.password().is_none(), "credentials: {url:?}");
        assert_eq!(u.port(), None, "port: {url:?}");
        let h = u.host_str().unwrap_or("");
        assert_eq!(h.strip_suffix('.').unwrap_or(h), host, "the browser would see another host: {url:?}");
    }
}

fn check(url: &str) {
    let page = classify(url);
    assert_eq!(classify(url), page, "not deterministic: {url:?}");

    // Letter case, fragments and queries never change the answer.
    assert_eq!(classify(&url.to_ascii_uppercase()), page, "upper case changed the answer: {url:?}");
    assert_eq!(classify(&url.to_ascii_lowercase()), page, "lower case changed the answer: {url:?}");
    assert_eq!(classify(&format!("{url}#frag")), page, "a fragment changed the answer: {url:?}");
    if !url.contains('#') {
        assert_eq!(classify(&format!("{url}?q=1")), page, "a query changed the answer: {url:?}");
    }

    let parsed = url::Url::parse(url).ok();
    if let Some(p) = page.platform() {
        assert!(url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")), "{page:?} for a non-https URL: {url:?}");
        let host = host_of(url);
        assert!(domains(p).iter().any(|d| on_domain(&host, d)), "{page:?} for host {host:?}: {url:?}");
        assert_plain_https(url, &host, parsed.as_ref(), &format!("{page:?}"));
        if let Page::ObjectionForm { .. } = page {
            // The form ids are the rules' (current and old), not a copy: a new id must not read as a bug.
            let rules = widerspruch::rules::rules();
            let ids: Vec<&str> = rules.platforms.iter().flat_map(|p| &p.form_pages).filter_map(|f| f.path.rsplit('/').next()).collect();
            assert!(ids.iter().any(|id| url.contains(id)), "a form page without a form id: {url:?}");
        }
    }

    if matches!(page, Page::PrivacyFlow | Page::OtherMeta) {
        assert!(url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")), "{page:?} for a non-https URL: {url:?}");
        assert_eq!(host_of(url), "help.meta.com", "{page:?} on another host: {url:?}");
    }

    // Completeness: a canonical https URL on a platform host is never taken for something unrelated.
    if let Some(u) = &parsed {
        let h = u.host_str().unwrap_or("");
        let plain_host = !h.is_empty()
            && h.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        if u.as_str() == url && u.scheme() == "https" && u.username().is_empty() && u.password().is_none() && u.port().is_none() && plain_host {
            for p in PlatformId::ALL {
                if domains(p).iter().any(|d| on_domain(h, d)) {
                    assert_eq!(page.platform(), Some(p), "a {p:?} URL was not recognised: {url:?}");
                }
            }
        }
    }

    // The background trusts the classifier for content-script messages.
    let tab = Sender { id: Some(ID.into()), url: Some(url.into()), tab: Some(SenderTab { id: Some(1.0) }) };
    let shown = Request::PageShown(PageShown { url: url.to_string() });
    let verdict = authorize(&shown, &tab, ID, BASE);
    if url.starts_with(BASE) {
        assert!(verdict.is_err(), "an extension page may not send page_shown");
    } else if page.is_meta() {
        assert_eq!(verdict, Ok(Context::MetaPage(page)), "{url:?}");
    } else if let Some((service, sp)) = service_page(url) {
        assert_eq!(verdict, Ok(Context::ServicePage(service, sp)), "{url:?}");
        assert!(url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")), "{service} page for a non-https URL: {url:?}");
        let host = host_of(url);
        let rules = widerspruch::rules::service(service).expect("a classified service exists");
        assert!(rules.hosts.domains.iter().any(|d| on_domain(&host, d)), "{service} page for host {host:?}: {url:?}");
        assert_plain_https(url, &host, parsed.as_ref(), &format!("{service} page"));
    } else {
        assert!(verdict.is_err(), "page_shown accepted from {url:?}");
    }
    let no_tab = Sender { tab: None, ..tab };
    assert!(authorize(&shown, &no_tab, ID, BASE).is_err(), "page_shown without a tab: {url:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode & 1 == 0 {
        check(&String::from_utf8_lossy(rest));
    } else if let Ok(url) = build(&mut Unstructured::new(rest)) {
        check(&url);
    }
});

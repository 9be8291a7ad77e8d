//! The cross-site request guard's verdicts.

use axum::http::HeaderValue;
use axum::http::{HeaderMap, Method, header};
use hongye::guard::{Verdict, verdict};

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    map.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_static(value));
    }
    map
}

#[test]
fn reads_are_always_allowed() {
    let h = headers(&[("sec-fetch-site", "cross-site")]);
    assert_eq!(verdict(&Method::GET, &h, None), Verdict::Allow);
    assert_eq!(verdict(&Method::HEAD, &h, None), Verdict::Allow);
}

#[test]
fn a_post_from_our_own_pages_is_allowed() {
    for h in [
        headers(&[("sec-fetch-site", "same-origin")]),
        headers(&[("origin", "http://127.0.0.1:3000")]),
        headers(&[("referer", "http://127.0.0.1:3000/some/page?x=1")]),
        headers(&[]),
    ] {
        assert_eq!(verdict(&Method::POST, &h, None), Verdict::Allow, "{h:?}");
    }
}

#[test]
fn a_post_from_another_site_is_refused() {
    for h in [
        headers(&[("sec-fetch-site", "cross-site")]),
        headers(&[("sec-fetch-site", "same-site")]),
        headers(&[("origin", "https://evil.example")]),
        headers(&[("origin", "null")]),
        headers(&[("origin", "http://127.0.0.1:3000.evil.example")]),
        headers(&[("referer", "https://evil.example/127.0.0.1:3000")]),
    ] {
        assert!(
            matches!(verdict(&Method::POST, &h, None), Verdict::Refuse(_)),
            "{h:?}"
        );
    }
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        let h = headers(&[("origin", "https://evil.example")]);
        assert!(matches!(verdict(&method, &h, None), Verdict::Refuse(_)));
    }
}

#[test]
fn the_strongest_signal_wins() {
    // A forged-looking Origin cannot override what the browser itself says.
    let h = headers(&[
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://127.0.0.1:3000"),
    ]);
    assert!(matches!(
        verdict(&Method::POST, &h, None),
        Verdict::Refuse(_)
    ));
}

#[test]
fn a_configured_site_is_the_only_origin_accepted() {
    let site = Some("https://hongye.example");
    let ok = headers(&[("origin", "https://hongye.example")]);
    assert_eq!(verdict(&Method::POST, &ok, site), Verdict::Allow);
    let referer = headers(&[("referer", "https://hongye.example/login")]);
    assert_eq!(verdict(&Method::POST, &referer, site), Verdict::Allow);
    // The host header alone no longer vouches for the origin.
    let by_host = headers(&[("origin", "http://127.0.0.1:3000")]);
    assert!(matches!(
        verdict(&Method::POST, &by_host, site),
        Verdict::Refuse(_)
    ));
    let lookalike = headers(&[("origin", "https://hongye.example.evil")]);
    assert!(matches!(
        verdict(&Method::POST, &lookalike, site),
        Verdict::Refuse(_)
    ));
}

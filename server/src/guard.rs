//! Cross-site request guard: a page on another site must not be able to make a
//! person's browser change anything here. Every request with a method that may
//! change state (anything but GET, HEAD, OPTIONS) must come from our own pages;
//! server functions are POST endpoints, so they are covered too.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Refuse(&'static str),
}

/// Decides from the browser's own signals, strongest first: `Sec-Fetch-Site`
/// (set by every current browser, not settable by scripts), then `Origin`, then
/// `Referer`. A request with none of them did not come from a browser page, so
/// it cannot carry a forged visit and is allowed (curl, monitoring, tests).
pub fn verdict(method: &Method, headers: &HeaderMap) -> Verdict {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Verdict::Allow;
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return match site {
            // "none": typed, bookmarked or reloaded by the person themself.
            "same-origin" | "none" => Verdict::Allow,
            _ => Verdict::Refuse("sec-fetch-site"),
        };
    }
    let claimed = match (
        text(header::ORIGIN.as_str()),
        text(header::REFERER.as_str()),
    ) {
        (Some(origin), _) => origin,
        (None, Some(referer)) => referer,
        (None, None) => return Verdict::Allow,
    };
    // Our own pages post to the host they were served from.
    let host = text(header::HOST.as_str()).unwrap_or_default();
    let from_own_host = claimed
        .strip_prefix("https://")
        .or_else(|| claimed.strip_prefix("http://"))
        .is_some_and(|rest| !host.is_empty() && rest.split('/').next() == Some(host));
    if from_own_host {
        Verdict::Allow
    } else {
        Verdict::Refuse("origin or referer")
    }
}

/// axum middleware applying [`verdict`]; a refusal is a plain 403.
pub async fn same_site_only(request: Request, next: Next) -> Response {
    match verdict(request.method(), request.headers()) {
        Verdict::Allow => next.run(request).await,
        Verdict::Refuse(signal) => {
            tracing::warn!(
                method = %request.method(),
                path = %request.uri().path(),
                signal,
                "cross-site request refused"
            );
            (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
        }
    }
}

/// Headers every response carries: no MIME sniffing, no framing by other sites
/// (clickjacking), and no full URLs leaked to other sites in `Referer`.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
        assert_eq!(verdict(&Method::GET, &h), Verdict::Allow);
        assert_eq!(verdict(&Method::HEAD, &h), Verdict::Allow);
    }

    #[test]
    fn a_post_from_our_own_pages_is_allowed() {
        for h in [
            headers(&[("sec-fetch-site", "same-origin")]),
            headers(&[("origin", "http://127.0.0.1:3000")]),
            headers(&[("referer", "http://127.0.0.1:3000/some/page?x=1")]),
            headers(&[]),
        ] {
            assert_eq!(verdict(&Method::POST, &h), Verdict::Allow, "{h:?}");
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
                matches!(verdict(&Method::POST, &h), Verdict::Refuse(_)),
                "{h:?}"
            );
        }
        for method in [Method::PUT, Method::DELETE, Method::PATCH] {
            let h = headers(&[("origin", "https://evil.example")]);
            assert!(matches!(verdict(&method, &h), Verdict::Refuse(_)));
        }
    }

    #[test]
    fn the_strongest_signal_wins() {
        // A forged-looking Origin cannot override what the browser itself says.
        let h = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(matches!(verdict(&Method::POST, &h), Verdict::Refuse(_)));
    }
}

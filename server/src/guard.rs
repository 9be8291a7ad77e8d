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
///
/// With a configured site (`--public-url`), the claimed origin must be that
/// site; otherwise it must be the host the request was sent to.
pub fn verdict(method: &Method, headers: &HeaderMap, site: Option<&str>) -> Verdict {
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
    let from_own_site = match site.map(|s| s.trim_end_matches('/')) {
        Some(site) => {
            claimed == site
                || claimed
                    .strip_prefix(site)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        // Our own pages post to the host they were served from.
        None => {
            let host = text(header::HOST.as_str()).unwrap_or_default();
            claimed
                .strip_prefix("https://")
                .or_else(|| claimed.strip_prefix("http://"))
                .is_some_and(|rest| !host.is_empty() && rest.split('/').next() == Some(host))
        }
    };
    if from_own_site {
        Verdict::Allow
    } else {
        Verdict::Refuse("origin or referer")
    }
}

/// The site pages are served from, when configured: "https://hongye.example".
#[derive(Clone, Debug, Default)]
pub struct Site(pub Option<String>);

/// axum middleware applying [`verdict`]; a refusal is a plain 403.
pub async fn same_site_only(
    axum::extract::State(site): axum::extract::State<Site>,
    request: Request,
    next: Next,
) -> Response {
    match verdict(request.method(), request.headers(), site.0.as_deref()) {
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
/// (clickjacking), and no full URLs leaked to other sites in `Referer`. Pages
/// and answers are not stored: after signing out, the back button must ask the
/// server again rather than show a signed-in page from the cache.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let cacheable = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !cacheable && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
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

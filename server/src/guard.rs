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

/// How the site is reached: its public address, when configured
/// ("https://hongye.example"), and the reverse proxies in front of it.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub public_url: Option<String>,
    pub trusted_proxies: crate::proxy::TrustedProxies,
}

impl Site {
    /// Served over https (behind a proxy that ends TLS): browsers are told
    /// to come back only over https.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// axum middleware: the client's address on every request
/// ([`app::api::ClientAddress`]), from the connection or, behind a trusted
/// proxy, from `X-Forwarded-For`.
pub async fn client_address(
    axum::extract::State(site): axum::extract::State<Site>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        let client = site.trusted_proxies.client(peer, forwarded);
        request
            .extensions_mut()
            .insert(app::api::ClientAddress(client));
    }
    next.run(request).await
}

/// axum middleware applying [`verdict`]; a refusal is a plain 403.
pub async fn same_site_only(
    axum::extract::State(site): axum::extract::State<Site>,
    request: Request,
    next: Next,
) -> Response {
    match verdict(
        request.method(),
        request.headers(),
        site.public_url.as_deref(),
    ) {
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
/// (clickjacking), no full URLs leaked to other sites in `Referer`, a
/// Content-Security-Policy (a page sets its own, naming its scripts' nonce),
/// https only from now on when the site is https; and how long a browser may
/// keep the response ([`cache_rule`]).
pub async fn security_headers(
    axum::extract::State(site): axum::extract::State<Site>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let rule = cache_rule(&path, response.status());
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Some(policy) = default_security_policy()
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
    }
    if site.https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            header::HeaderValue::from_static("max-age=31536000"),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static(rule),
        );
    }
    if path.starts_with("/pkg/") {
        // The same address answers brotli, gzip or plain bytes by the
        // request's Accept-Encoding: caches must keep them apart.
        headers.append(
            header::VARY,
            header::HeaderValue::from_static("accept-encoding"),
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

/// The policy of every response that is not a page (pages name their own
/// nonce): the same text each time, so built once rather than per response.
fn default_security_policy() -> Option<&'static header::HeaderValue> {
    static POLICY: std::sync::OnceLock<Option<header::HeaderValue>> = std::sync::OnceLock::new();
    POLICY
        .get_or_init(|| {
            header::HeaderValue::from_str(&app::api::content_security_policy(None)).ok()
        })
        .as_ref()
}

/// `Cache-Control` by what a response is. Pages and answers are not stored:
/// after signing out, the back button must ask the server again rather than
/// show a signed-in page from the cache. A site file whose name carries its
/// content hash never changes, so a second visit downloads no script; one
/// without (a debug build) is checked with the server every time.
pub fn cache_rule(path: &str, status: StatusCode) -> &'static str {
    // A 304 refreshes what the browser holds, so it carries the file's rule.
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return "no-store";
    }
    match path.strip_prefix("/pkg/") {
        Some(file) if is_content_hashed(file) => "public, max-age=31536000, immutable",
        Some(_) => "no-cache",
        None if path == "/favicon.svg" => "public, max-age=86400",
        None => "no-store",
    }
}

/// cargo-leptos names a hashed file `name.<hash>.ext`, the hash being an MD5
/// digest in unpadded base64url: 22 characters.
fn is_content_hashed(file: &str) -> bool {
    file.rsplit('/').next().is_some_and(|name| {
        name.split('.').any(|part| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    })
}

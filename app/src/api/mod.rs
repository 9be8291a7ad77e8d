//! Server functions: each is a public POST endpoint. Shape of every one: find
//! the caller, authorize against the place of the thing acted on, call a
//! service off the async runtime, map the error.

pub mod accounts;
pub mod audit;
pub mod billing;
pub mod contracts;
pub mod decisions;
pub mod directory;
pub mod estates;
pub mod mail;
pub mod orders;
pub mod org;
pub mod oversight;
pub mod places;
pub mod pricing;
pub mod roster;
pub mod schedule;
pub mod statements;
pub mod volunteers;

pub use crate::error::AppError;

/// Percent-encodes everything but unreserved characters and '/', for a path
/// carried in a query parameter (`/login?next=…`).
pub fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a 503 tells the client to wait before asking again, in seconds.
pub const RETRY_AFTER_SECONDS: &str = "2";

/// The cookie holding the session token. Over https it carries the
/// `__Host-` prefix: the browser then takes it only from this very host,
/// Secure and for the whole site, so a neighbouring subdomain cannot plant
/// one.
pub const SESSION_COOKIE: &str = "hongye_session";
pub const SECURE_SESSION_COOKIE: &str = "__Host-hongye_session";

/// The session cookie's name for a site served over https or not.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The client's address as the server worked it out (behind a trusted
/// reverse proxy, from `X-Forwarded-For`), put on each request by the
/// server; the login and registration throttles count by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The id the server gave a request: on every log line written while the
/// request is handled, in the `X-Request-Id` answer header, and on the page
/// of a failure, so the office can find the request in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The Content-Security-Policy of every response: scripts only from this
/// site, plus the page's own inline start-up scripts by their nonce; the
/// browser code may compile WebAssembly; images also from `data:` (receipt
/// photos); nothing may frame the site.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(feature = "ssr")]
pub(crate) use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use leptos::prelude::use_context;

    use super::{AppError, ClientAddress, session_cookie_name};
    use crate::db::DbConn;
    use crate::domain::access::{Action, Caller, Rule, authorize};
    use crate::services::AppState;
    use crate::services::access::{Session, Target, place_of};

    /// Runs a blocking use case (diesel is synchronous) on the blocking pool with
    /// the app state, and sets the HTTP status of an error response from the
    /// error itself.
    pub(crate) async fn run_service<T, F>(f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
    {
        let result = match use_context::<AppState>() {
            Some(state) => {
                // The request's span (its id) on the service's log lines too.
                let span = tracing::Span::current();
                tokio::task::spawn_blocking(move || span.in_scope(|| f(&state)))
                    .await
                    .unwrap_or_else(|e| {
                        tracing::error!(error = %e, "service task failed");
                        Err(AppError::Internal)
                    })
            }
            None => {
                tracing::error!("AppState missing from the server function context");
                Err(AppError::Internal)
            }
        };
        if let Err(e) = &result {
            set_error_status(e);
        }
        result
    }

    /// While a page is being rendered (a GET), being signed out or holding a
    /// one-time password sends the browser to the page that fixes it, decided
    /// here with the status so the response cannot carry one without the
    /// other; a server function call (a POST) gets the status alone.
    pub(crate) fn set_error_status(error: &AppError) {
        let page = use_context::<axum::http::request::Parts>()
            .filter(|parts| parts.method == axum::http::Method::GET);
        match (error, page) {
            (AppError::Unauthenticated, Some(parts)) => {
                let back = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                leptos_axum::redirect(&format!("/login?next={}", super::encode_component(back)));
            }
            (AppError::PasswordChangeRequired, Some(_)) => {
                leptos_axum::redirect("/account/password");
            }
            _ => {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
                        response.set_status(status);
                    }
                    // Busy, not broken: the browser (and any client) may ask
                    // again shortly.
                    if matches!(error, AppError::Unavailable) {
                        response.insert_header(
                            axum::http::header::RETRY_AFTER,
                            axum::http::HeaderValue::from_static(super::RETRY_AFTER_SECONDS),
                        );
                    }
                }
            }
        }
    }

    /// The session token from the request's cookie, if any.
    pub(crate) fn session_token() -> Option<String> {
        let secure = use_context::<AppState>().is_some_and(|s| s.auth.secure_cookie);
        let cookie = session_cookie_name(secure);
        let parts = use_context::<axum::http::request::Parts>()?;
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == cookie)
            .map(|(_, value)| value.to_owned())
    }

    /// The id the server gave this request, if it did.
    pub(crate) fn request_id() -> Option<String> {
        use_context::<axum::http::request::Parts>().and_then(|parts| {
            parts
                .extensions
                .get::<super::RequestId>()
                .map(|id| id.0.clone())
        })
    }

    /// The client's address, for login throttling: as the server worked it
    /// out, else the connection's peer.
    pub(crate) fn client_address() -> String {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                let extensions = &parts.extensions;
                extensions
                    .get::<ClientAddress>()
                    .map(|a| a.0)
                    .or_else(|| {
                        extensions
                            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                            .map(|info| info.0.ip())
                    })
                    .map(|ip| ip.to_string())
            })
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// The page's Content-Security-Policy, naming the nonce its inline
    /// start-up scripts carry.
    pub fn set_page_security_policy() {
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        let nonce = leptos::nonce::use_nonce();
        let policy = super::content_security_policy(nonce.as_deref());
        if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
            response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }

    /// What a service gets once the caller is authorized.
    pub(crate) struct Authorized<'a> {
        pub state: &'a AppState,
        pub conn: &'a mut DbConn,
        pub session: Option<&'a Session>,
        /// The request's one instant, from the app's clock.
        pub now: chrono::NaiveDateTime,
    }

    impl<'a> Authorized<'a> {
        /// The caller; present for every action not open to anyone.
        pub fn caller(&self) -> Result<&'a Caller, AppError> {
            self.session
                .map(|s| &s.caller)
                .ok_or(AppError::Unauthenticated)
        }

        pub fn session(&self) -> Result<&'a Session, AppError> {
            self.session.ok_or(AppError::Unauthenticated)
        }
    }

    /// The top of every server function: finds the caller from the session
    /// cookie, resolves where the target sits (`target` may read the database,
    /// e.g. the signboard of a post), calls `authorize`, and only then runs `f`.
    pub(crate) async fn authorized_with<T, G, F>(
        action: Action,
        target: G,
        f: F,
    ) -> Result<T, AppError>
    where
        T: Send + 'static,
        G: FnOnce(&mut DbConn) -> Result<Target, AppError> + Send + 'static,
        F: FnOnce(Authorized<'_>) -> Result<T, AppError> + Send + 'static,
    {
        let token = session_token();
        run_service(move |state| {
            let now = state.clock.now();
            let mut conn = state.db.conn()?;
            let session = match &token {
                Some(t) => {
                    crate::services::access::session(&mut conn, t, &state.auth.session, now)?
                }
                None => None,
            };
            let caller = session.as_ref().map(|s| &s.caller);
            // Nobody signed in learns nothing about the target, not even whether
            // it exists.
            if caller.is_none() && action.rule() != Rule::Anyone {
                return Err(AppError::Unauthenticated);
            }
            let place = match target(&mut conn).and_then(|t| place_of(&mut conn, t, caller)) {
                Ok(place) => place,
                // An id that exists nowhere is answered as one in another
                // estate or company is: the answer must not tell which ids
                // exist outside the caller's scope.
                Err(AppError::NotFound) if action.rule() != Rule::Anyone => {
                    return Err(AppError::Forbidden);
                }
                Err(e) => return Err(e),
            };
            authorize(caller, action, &place)?;
            f(Authorized {
                state,
                conn: &mut conn,
                session: session.as_ref(),
                now,
            })
        })
        .await
    }

    pub(crate) async fn authorized<T, F>(
        action: Action,
        target: Target,
        f: F,
    ) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(Authorized<'_>) -> Result<T, AppError> + Send + 'static,
    {
        authorized_with(action, move |_| Ok(target), f).await
    }

    /// Sets (or, with `None`, clears) the session cookie on the response.
    pub(crate) fn set_session_cookie(token: Option<&str>, max_age_secs: i64, secure: bool) {
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        let name = session_cookie_name(secure);
        let secure = if secure { "; Secure" } else { "" };
        let cookie = match token {
            Some(t) => format!(
                "{name}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
            ),
            None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
        };
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
}

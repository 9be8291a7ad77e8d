//! Server functions: each is a public POST endpoint. Shape of every one: find
//! the caller, authorize against the place of the thing acted on, call a
//! service off the async runtime, map the error.

pub mod accounts;
pub mod audit;
pub mod billing;
pub mod contracts;
pub mod decisions;
pub mod directory;
pub mod error;
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

pub use error::AppError;

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

/// The cookie holding the session token.
pub const SESSION_COOKIE: &str = "hongye_session";

#[cfg(feature = "ssr")]
pub(crate) use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use leptos::prelude::use_context;

    use super::{AppError, SESSION_COOKIE};
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
            Some(state) => tokio::task::spawn_blocking(move || f(&state))
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "service task failed");
                    Err(AppError::Internal)
                }),
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
        let parts = use_context::<axum::http::request::Parts>()?;
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == SESSION_COOKIE)
            .map(|(_, value)| value.to_owned())
    }

    /// The client's address, for login throttling.
    pub(crate) fn client_address() -> String {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|info| info.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".to_owned())
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
            let target = target(&mut conn)?;
            let place = place_of(&mut conn, target, caller)?;
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
        let secure = if secure { "; Secure" } else { "" };
        let cookie = match token {
            Some(t) => format!(
                "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
            ),
            None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
        };
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
}

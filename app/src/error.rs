//! The one error type of the app: services fail with it, every server
//! function returns it, the pages show it. It sits below the layers that use
//! it (db → services → api → ui all point down to it). It crosses the wire,
//! so it carries no internals: database text and the like go to the log, and
//! the person gets a translated message chosen by [`AppError::message`].

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::Key;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or is outside the caller's scope and
    /// must not be revealed).
    #[error("not found")]
    NotFound,
    /// The caller is known but may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The caller must sign in first.
    #[error("not signed in")]
    Unauthenticated,
    /// Sign-in refused: unknown account, disabled account or wrong password,
    /// deliberately not told apart.
    #[error("bad credentials")]
    BadCredentials,
    /// Too many failed sign-ins from this name or address; wait and retry.
    #[error("throttled")]
    Throttled,
    /// A one-time password is in use and must be changed first.
    #[error("password change required")]
    PasswordChangeRequired,
    /// Input was refused; nothing changed. `field` names the form field.
    #[error("invalid input in {field}")]
    Invalid { field: String, message: Key },
    /// The request conflicts with the current state (e.g. a stale edit).
    #[error("conflict")]
    Conflict(Key),
    /// The database or another dependency is down or overloaded; try again.
    #[error("temporarily unavailable")]
    Unavailable,
    /// A bug or an unexpected failure; details are in the server log.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server function or its answer was garbled.
    #[error("request failed: {0}")]
    Request(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: Key) -> Self {
        AppError::Invalid {
            field: field.into(),
            message,
        }
    }

    /// The translated message a person sees.
    pub fn message(&self) -> Key {
        match self {
            AppError::NotFound => Key::ErrorNotFound,
            AppError::Forbidden => Key::ErrorForbidden,
            AppError::Unauthenticated => Key::ErrorUnauthenticated,
            AppError::BadCredentials => Key::LoginErrorBadCredentials,
            AppError::Throttled => Key::LoginErrorThrottled,
            AppError::PasswordChangeRequired => Key::ErrorPasswordChangeRequired,
            AppError::Invalid { message, .. } => *message,
            AppError::Conflict(message) => *message,
            AppError::Unavailable => Key::ErrorUnavailable,
            AppError::Internal => Key::ErrorInternal,
            AppError::Request(_) => Key::ErrorRequest,
        }
    }

    /// The HTTP status of the response that carries this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Forbidden => 403,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Throttled => 429,
            AppError::PasswordChangeRequired => 403,
            AppError::Invalid { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
            AppError::Request(_) => 400,
        }
    }
}

impl From<crate::domain::access::Denial> for AppError {
    fn from(d: crate::domain::access::Denial) -> Self {
        use crate::domain::access::Denial;
        match d {
            Denial::Unauthenticated => AppError::Unauthenticated,
            Denial::PasswordChangeRequired => AppError::PasswordChangeRequired,
            Denial::Forbidden => AppError::Forbidden,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        return refused_request(value);
        #[cfg(not(feature = "ssr"))]
        AppError::Request(value.to_string())
    }
}

/// On the server, a request the server function could not even read (a
/// field missing, `hours=-3`, a number too large, a body over the limit) is
/// the client's fault: 400 with a generic message, nothing run. The
/// deserializer's own words go to the log, not to the caller.
#[cfg(feature = "ssr")]
fn refused_request(value: ServerFnErrorErr) -> AppError {
    let error = match value {
        ServerFnErrorErr::Args(_)
        | ServerFnErrorErr::MissingArg(_)
        | ServerFnErrorErr::Deserialization(_)
        | ServerFnErrorErr::UnsupportedRequestMethod(_)
        | ServerFnErrorErr::Request(_) => AppError::Request("malformed request".into()),
        _ => AppError::Internal,
    };
    // A body streamed past the server's limit (no Content-Length to refuse
    // it by up front) is too large, not malformed.
    let status = if value.to_string().contains("length limit exceeded") {
        axum::http::StatusCode::PAYLOAD_TOO_LARGE
    } else {
        axum::http::StatusCode::from_u16(error.status())
            .unwrap_or(axum::http::StatusCode::BAD_REQUEST)
    };
    tracing::info!(detail = %value, %status, "server function request refused");
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    error
}

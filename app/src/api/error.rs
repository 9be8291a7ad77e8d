//! The one error type every server function returns. It crosses the wire, so it
//! carries no internals: database text and the like go to the log, and the person
//! gets a translated message chosen by [`AppError::message`].

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
        AppError::Request(value.to_string())
    }
}

//! Server functions: each is a public POST endpoint. Shape of every one: find
//! the caller, authorize, call a service off the async runtime, map the error.

pub mod directory;
pub mod error;

pub use error::AppError;

/// Runs a blocking use case (diesel is synchronous) on the blocking pool with the
/// app state, and sets the HTTP status of an error response from the error itself.
#[cfg(feature = "ssr")]
pub(crate) async fn run_service<T, F>(f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&crate::services::AppState) -> Result<T, AppError> + Send + 'static,
{
    use leptos::prelude::use_context;

    let result = match use_context::<crate::services::AppState>() {
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

#[cfg(feature = "ssr")]
pub(crate) fn set_error_status(error: &AppError) {
    use leptos::prelude::use_context;
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(error.status()),
    ) {
        response.set_status(status);
    }
}

use app::services::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// 200 when the database answers, 503 otherwise; for load balancers and monitors.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let db = state.db.clone();
    match tokio::task::spawn_blocking(move || db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            unavailable()
        }
        Err(e) => {
            tracing::error!(error = %e, "health check task failed");
            unavailable()
        }
    }
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, app::api::RETRY_AFTER_SECONDS)],
        "database unavailable",
    )
        .into_response()
}

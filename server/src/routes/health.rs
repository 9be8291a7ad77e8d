use app::services::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// 200 when the database answers, 503 otherwise; for load balancers and monitors.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let db = state.db.clone();
    match tokio::task::spawn_blocking(move || db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(e) => {
            tracing::error!(error = %e, "health check task failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

use app::services::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Liveness: 200 when the database answers, 503 otherwise; for load
/// balancers and monitors.
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

/// The mail worker passes every few seconds; a minute without one means it
/// is stuck or gone.
const MAIL_PASS_WITHIN_SECONDS: u64 = 60;

/// Readiness: 200 only when the database answers, its schema is the one
/// this program expects and the mail worker has run within the last
/// minute; the JSON body says which part is not ready.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let db = state.db.clone();
    let checked = tokio::task::spawn_blocking(move || (db.ping(), db.schema_status())).await;
    let (database, migrations) = match checked {
        Ok((Ok(()), Ok(status))) => {
            let migrations = if !status.unknown.is_empty() {
                part(
                    false,
                    format!("newer than this program: {}", status.unknown.join(", ")),
                )
            } else if !status.pending.is_empty() {
                part(false, format!("pending: {}", status.pending.join(", ")))
            } else {
                part(
                    true,
                    format!("current ({})", status.latest.unwrap_or_default()),
                )
            };
            (part(true, "answers".into()), migrations)
        }
        Ok((Err(e), _)) | Ok((Ok(()), Err(e))) => {
            tracing::warn!(error = %e, "readiness: database");
            (
                part(false, "unreachable".into()),
                part(false, "unknown".into()),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "readiness check task failed");
            (part(false, "unknown".into()), part(false, "unknown".into()))
        }
    };
    let mail_worker = match state.heartbeats.since_mail_pass() {
        Some(s) if s <= MAIL_PASS_WITHIN_SECONDS => part(true, format!("last pass {s} s ago")),
        Some(s) => part(false, format!("last pass {s} s ago")),
        None => part(false, "no pass yet".into()),
    };
    let ready = [&database, &migrations, &mail_worker]
        .iter()
        .all(|p| p["ok"] == serde_json::Value::Bool(true));
    let body = serde_json::json!({
        "ready": ready,
        "database": database,
        "migrations": migrations,
        "mail_worker": mail_worker,
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn part(ok: bool, detail: String) -> serde_json::Value {
    serde_json::json!({ "ok": ok, "detail": detail })
}

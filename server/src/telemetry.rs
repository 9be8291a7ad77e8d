//! What the office sees of a running server: an id and a log line for every
//! request, and Prometheus metrics on an address of their own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use app::api::RequestId;
use app::services::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};
use tracing::Instrument;

/// The response header carrying the request's id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Request ids and the metrics registry. Cheap to clone.
#[derive(Clone)]
pub struct Telemetry(Arc<Inner>);

struct Inner {
    ids: RequestIds,
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    pool_waiting: IntGauge,
    outbox: IntGaugeVec,
    oldest_unsent: IntGauge,
    bill_runs: IntGauge,
}

impl std::fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Telemetry").finish_non_exhaustive()
    }
}

impl Telemetry {
    pub fn new() -> Result<Telemetry, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "hongye_http_requests_total",
                "Requests answered, by route pattern and status.",
            ),
            &["route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "hongye_http_request_duration_seconds",
                "Time to answer a request (to its headers), by route pattern.",
            ),
            &["route"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "hongye_db_pool_connections",
                "Database connections in the pool, in use or idle.",
            ),
            &["state"],
        )?;
        let pool_waiting = IntGauge::new(
            "hongye_db_pool_waiting",
            "Requests and workers waiting for a database connection.",
        )?;
        let outbox = IntGaugeVec::new(
            Opts::new(
                "hongye_mail_outbox",
                "Mails waiting to be sent, and failed for good.",
            ),
            &["status"],
        )?;
        let oldest_unsent = IntGauge::new(
            "hongye_mail_oldest_unsent_seconds",
            "How long the oldest mail not yet sent has waited.",
        )?;
        let bill_runs = IntGauge::new(
            "hongye_bill_runs_in_progress",
            "Bill runs marked running (in progress, or interrupted and not yet resumed).",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(pool_waiting.clone()))?;
        registry.register(Box::new(outbox.clone()))?;
        registry.register(Box::new(oldest_unsent.clone()))?;
        registry.register(Box::new(bill_runs.clone()))?;
        Ok(Telemetry(Arc::new(Inner {
            ids: RequestIds::new(),
            registry,
            requests,
            latency,
            pool,
            pool_waiting,
            outbox,
            oldest_unsent,
            bill_runs,
        })))
    }

    fn record(&self, route: &str, status: StatusCode, seconds: f64) {
        self.0
            .requests
            .with_label_values(&[route, status.as_str()])
            .inc();
        self.0.latency.with_label_values(&[route]).observe(seconds);
    }

    /// The metrics in Prometheus's text format, the gauges read now.
    fn render(&self, state: &AppState) -> String {
        let inner = &self.0;
        let pool = state.db.pool_use();
        inner
            .pool
            .with_label_values(&["in_use"])
            .set(i64::from(pool.connections.saturating_sub(pool.idle)));
        inner
            .pool
            .with_label_values(&["idle"])
            .set(i64::from(pool.idle));
        inner.pool_waiting.set(i64::from(pool.waiting));
        // The database's part: a monitoring scrape must not fail because
        // the database is down; the gauges then keep their last values and
        // /readyz tells why.
        let read = || -> Result<_, app::api::AppError> {
            let mut conn = state.db.conn()?;
            let backlog = app::services::mail::backlog(&mut conn, state.clock.now())?;
            let runs = app::services::billing::runs_in_progress(&mut conn)?;
            Ok((backlog, runs))
        };
        match read() {
            Ok((backlog, runs)) => {
                inner
                    .outbox
                    .with_label_values(&["waiting"])
                    .set(backlog.waiting);
                inner
                    .outbox
                    .with_label_values(&["failed"])
                    .set(backlog.failed);
                inner.oldest_unsent.set(backlog.oldest_waiting_seconds);
                inner.bill_runs.set(i64::try_from(runs).unwrap_or(i64::MAX));
            }
            Err(e) => tracing::warn!(error = %e, "metrics: database not read"),
        }
        let mut text = String::new();
        if let Err(e) = TextEncoder::new().encode_utf8(&inner.registry.gather(), &mut text) {
            tracing::error!(error = %e, "metrics not encoded");
        }
        text
    }
}

/// Ids unique to this server's run: the seconds of the start (last six
/// digits) and a count, e.g. `482913-1052`, short enough to read out on
/// the phone.
struct RequestIds {
    start: u64,
    next: AtomicU64,
}

impl RequestIds {
    fn new() -> RequestIds {
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() % 1_000_000);
        RequestIds {
            start,
            next: AtomicU64::new(1),
        }
    }

    fn next(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{:06}-{n}", self.start)
    }
}

/// The route pattern a request matched (`/households/{id}`), never the
/// path itself, so the metrics' labels stay few.
fn route_of(request: &Request) -> &str {
    if let Some(matched) = request.extensions().get::<MatchedPath>() {
        return matched.as_str();
    }
    let path = request.uri().path();
    if path.starts_with("/pkg/") {
        "/pkg/{file}"
    } else if path == "/favicon.svg" {
        "/favicon.svg"
    } else {
        "unmatched"
    }
}

/// Monitors ask these every few seconds: logged only at debug level.
fn is_probe(route: &str) -> bool {
    matches!(route, "/healthz" | "/readyz")
}

/// axum middleware: gives the request its id (in the request's extensions
/// for the pages, in the `X-Request-Id` answer header, on every log line
/// written while it is handled), counts it, and logs it with its route,
/// status and duration.
pub async fn observe(
    State(telemetry): State<Telemetry>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = telemetry.0.ids.next();
    let route = route_of(&request).to_owned();
    let method = request.method().clone();
    request.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    let seconds = started.elapsed().as_secs_f64();
    telemetry.record(&route, status, seconds);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    span.in_scope(|| {
        let ms = (seconds * 10_000.0).round() / 10.0;
        let status = status.as_u16();
        if status >= 500 {
            tracing::warn!(%method, route, status, ms, "request");
        } else if is_probe(&route) {
            tracing::debug!(%method, route, status, ms, "request");
        } else {
            tracing::info!(%method, route, status, ms, "request");
        }
    });
    response
}

/// The metrics endpoint's router, for its own listener: not on the site's
/// address, so the public never sees it.
pub fn metrics_router(telemetry: Telemetry, app: AppState) -> axum::Router {
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let telemetry = telemetry.clone();
            let app = app.clone();
            async move {
                match tokio::task::spawn_blocking(move || telemetry.render(&app)).await {
                    Ok(text) => (
                        [(
                            header::CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8",
                        )],
                        text,
                    )
                        .into_response(),
                    Err(e) => {
                        tracing::error!(error = %e, "metrics task failed");
                        StatusCode::INTERNAL_SERVER_ERROR.into_response()
                    }
                }
            }
        }),
    )
}

//! `hongye bench load`: many people at once. The release server runs as a
//! child process on a temporary demo database (SQLite, or a fresh database
//! on the PostgreSQL server named by `--database-url`); the benchmark signs
//! in as each role and keeps N connections busy on that role's home page and
//! its heaviest page, beside `/healthz` measured in the same run, so the
//! ratios compare across machines. Each page is measured twice: right after
//! the server started (cold) and again (warm).

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::db::{DatabaseTarget, Db};
use diesel::{Connection, PgConnection, RunQueryDsl};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header;
use hyper_util::rt::TokioIo;

use app::services::seed::load_bench;

use super::{TempDir, failed};
use crate::error::CliError;

/// What one run measures.
#[derive(Clone, Debug)]
pub struct LoadPlan {
    pub connections: usize,
    pub seconds: f64,
    pub database_url: Option<String>,
}

/// Residents who book housekeeping while the read load runs (and payments
/// the cashier records meanwhile).
const WRITERS: usize = 50;

/// No single request may take longer than this; one that does is an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

pub fn load(plan: &LoadPlan, now: chrono::NaiveDateTime) -> Result<(), CliError> {
    let dir = TempDir::new()?;
    let database = BenchDatabase::create(plan.database_url.as_deref(), dir.path())?;
    let db = Db::connect(&database.target)?;
    db.migrate()?;
    app::services::seed::seed_demo(&db, now).map_err(failed)?;
    let writers = {
        let mut conn = db.conn()?;
        let writers = load_bench::build_load_writers(&mut conn, WRITERS).map_err(failed)?;
        let gaps = app::db::billing::receipt_gaps(&mut conn).map_err(failed)?;
        Writers {
            set: writers,
            day: app::domain::time::china_date(now) + chrono::Duration::days(3),
            gaps_before: gaps,
        }
    };
    let server = Server::start(&database, dir.path())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let outcome = runtime.block_on(drive(plan, &server, &database, &writers));
    let peak_rss = server.peak_rss_kb();
    let waits = server.log_lines_with("database unavailable");
    drop(server);
    let mut outcome = outcome?;
    let mut conn = db.conn()?;
    let booked =
        load_bench::orders_with_tokens(&mut conn, &outcome.writes.booked).map_err(failed)?;
    let paid = load_bench::payments_with_tokens(&mut conn, &outcome.writes.paid).map_err(failed)?;
    let gaps = app::db::billing::receipt_gaps(&mut conn)
        .map_err(failed)?
        .saturating_sub(writers.gaps_before);
    let lost = outcome.writes.booked.len().saturating_sub(booked)
        + outcome.writes.paid.len().saturating_sub(paid);
    println!(
        "writes under load: {} bookings ({} booked, {} refused with a message, {} retried once), \
         {} payments ({} recorded, {} refused with a message); lost {lost}, new receipt gaps {gaps}, failed {}",
        writers.set.residents.len(),
        outcome.writes.booked.len(),
        outcome.writes.bookings_refused,
        outcome.writes.retried,
        outcome.writes.payments_tried,
        outcome.writes.paid.len(),
        outcome.writes.payments_refused,
        outcome.writes.failed,
    );
    for (what, refusal) in ["booking", "payment"]
        .iter()
        .zip(&outcome.writes.first_refusal)
    {
        if let Some(refusal) = refusal {
            println!("  a {what} refused: {refusal}");
        }
    }
    outcome.errors += outcome.writes.failed + u64::try_from(lost + gaps).unwrap_or(u64::MAX);
    println!(
        "server peak RSS: {:.0} MB; 'database unavailable' in its log: {}",
        peak_rss as f64 / 1024.0,
        waits.len()
    );
    for line in waits.iter().take(3) {
        println!("  {line}");
    }
    println!(
        "load pages={} worst_ratio={:.3} worst_p99_ms={:.1} errors={} rss_mb={:.0} backend={}",
        outcome.pages,
        outcome.worst_ratio,
        outcome.worst_p99_ms,
        outcome.errors,
        peak_rss as f64 / 1024.0,
        database.target.backend()
    );
    if outcome.errors > 0 {
        return Err(CliError::Bench(format!(
            "{} requests failed or writes were lost under load",
            outcome.errors
        )));
    }
    Ok(())
}

/// The benchmark's own database: a SQLite file in the temporary directory,
/// or a database created for the run on a PostgreSQL server and dropped after.
pub(super) struct BenchDatabase {
    pub(super) target: DatabaseTarget,
    postgres_admin: Option<(String, String)>,
}

impl BenchDatabase {
    pub(super) fn create(url: Option<&str>, dir: &Path) -> Result<BenchDatabase, CliError> {
        let Some(url) = url else {
            return Ok(BenchDatabase {
                target: DatabaseTarget::Sqlite(dir.join("hongye.db")),
                postgres_admin: None,
            });
        };
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(CliError::Bench(
                "--database-url must name a PostgreSQL server (postgres://…)".into(),
            ));
        }
        let server = server_part(url);
        let name = format!("hongye_bench_{}", std::process::id());
        let mut admin = PgConnection::establish(&format!("{server}/postgres")).map_err(failed)?;
        diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(&mut admin)
            .map_err(failed)?;
        diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .map_err(failed)?;
        Ok(BenchDatabase {
            target: DatabaseTarget::Postgres(format!("{server}/{name}")),
            postgres_admin: Some((format!("{server}/postgres"), name)),
        })
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres_admin
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let dropped =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut admin);
            if let Err(e) = dropped {
                tracing::warn!(database = %name, error = %e, "benchmark database left behind");
            }
        }
    }
}

/// `postgres://user:pw@host:port` of a URL that may name a database and
/// options.
fn server_part(url: &str) -> &str {
    let authority = url.find("://").map_or(0, |i| i + 3);
    match url[authority..].find(['/', '?']) {
        Some(end) => &url[..authority + end],
        None => url,
    }
}

/// The release server, started from this very binary, with its output in a
/// log file; stopped when dropped.
pub(super) struct Server {
    child: Child,
    pub(super) addr: SocketAddr,
    log: std::path::PathBuf,
}

impl Server {
    pub(super) fn start(database: &BenchDatabase, dir: &Path) -> Result<Server, CliError> {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(failed)?;
        let log = dir.join("server.log");
        let out = std::fs::File::create(&log).map_err(failed)?;
        let err = out.try_clone().map_err(failed)?;
        let exe = std::env::current_exe().map_err(failed)?;
        let mut command = Command::new(exe);
        command
            .arg("serve")
            .env("HONGYE_DATA_DIR", dir)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env_remove("HONGYE_SMTP_URL")
            .env_remove("HONGYE_PUBLIC_URL")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        match &database.target {
            DatabaseTarget::Postgres(url) => command.env("DATABASE_URL", url),
            DatabaseTarget::Sqlite(_) => command.env_remove("DATABASE_URL"),
        };
        let child = command.spawn().map_err(failed)?;
        Ok(Server { child, addr, log })
    }

    /// The most memory the server has held (VmHWM), in kB.
    fn peak_rss_kb(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0)
    }

    fn log_lines_with(&self, needle: &str) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(needle))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A signed-in role and the pages it is measured on.
struct Role {
    name: &'static str,
    cookie: String,
    pages: Vec<String>,
}

struct Outcome {
    pages: usize,
    worst_ratio: f64,
    worst_p99_ms: f64,
    errors: u64,
    writes: WriteOutcome,
}

/// The writers and the day they book for.
struct Writers {
    set: load_bench::LoadWriters,
    day: chrono::NaiveDate,
    gaps_before: usize,
}

#[derive(Default)]
struct WriteOutcome {
    /// Form tokens of bookings answered "booked".
    booked: Vec<String>,
    bookings_refused: u64,
    payments_tried: u64,
    /// Form tokens of payments answered "recorded".
    paid: Vec<String>,
    payments_refused: u64,
    /// Asked to try again (503) and did, once.
    retried: u64,
    /// No answer, a 5xx after the retry, or an unexpected status.
    failed: u64,
    /// The first refusal of a booking and of a payment (status and
    /// message), to show what people were told.
    first_refusal: [Option<String>; 2],
}

async fn drive(
    plan: &LoadPlan,
    server: &Server,
    database: &BenchDatabase,
    writers: &Writers,
) -> Result<Outcome, CliError> {
    let addr = server.addr;
    let started = Instant::now();
    wait_until_up(addr).await?;
    let up_ms = started.elapsed().as_secs_f64() * 1000.0;
    let roles = sign_in_all(addr).await?;
    println!(
        "bench load on {} ({}): server answering after {up_ms:.0} ms; {} connections, {:.0} s a page",
        database.target.backend(),
        addr,
        plan.connections,
        plan.seconds
    );
    let duration = Duration::from_secs_f64(plan.seconds.max(0.5));
    let mut outcome = Outcome {
        pages: 0,
        worst_ratio: f64::INFINITY,
        worst_p99_ms: 0.0,
        errors: 0,
        writes: WriteOutcome::default(),
    };
    for round in ["cold", "warm"] {
        let health = measure(addr, "/healthz", None, plan.connections, duration).await;
        println!(
            "{round:<5} {:<9} {:<26} {}",
            "-",
            "/healthz",
            health.line(None)
        );
        outcome.errors += health.errors;
        for (r, role) in roles.iter().enumerate() {
            for (p, page) in role.pages.iter().enumerate() {
                // The writes run beside the warm read load of the first page.
                let writing = (round == "warm" && r == 0 && p == 0).then(|| {
                    tokio::spawn(write_under_load(addr, writers.set.clone(), writers.day))
                });
                let stats =
                    measure(addr, page, Some(&role.cookie), plan.connections, duration).await;
                if let Some(writing) = writing {
                    outcome.writes = writing.await.map_err(failed)?;
                }
                let ratio = stats.rps() / health.rps().max(f64::EPSILON);
                println!(
                    "{round:<5} {:<9} {page:<26} {}",
                    role.name,
                    stats.line(Some(ratio))
                );
                outcome.pages += 1;
                outcome.errors += stats.errors;
                outcome.worst_ratio = outcome.worst_ratio.min(ratio);
                outcome.worst_p99_ms = outcome.worst_p99_ms.max(stats.percentile_ms(0.99));
            }
        }
    }
    // One person at a time: a page over a kept-alive connection against the
    // same page fetched alone on a fresh connection.
    for role in &roles {
        let Some(home) = role.pages.first() else {
            continue;
        };
        let alone = alone_ms(addr, home, &role.cookie, 10).await;
        let sequential = measure_sequential(addr, home, &role.cookie, 20).await;
        outcome.errors += sequential.errors;
        println!(
            "one at a time: {:<9} {home:<26} alone {alone:.2} ms, kept-alive p50 {:.2} ms ({:.2}×)",
            role.name,
            sequential.percentile_ms(0.5),
            sequential.percentile_ms(0.5) / alone.max(f64::EPSILON)
        );
    }
    if outcome.pages == 0 {
        outcome.worst_ratio = 0.0;
    }
    Ok(outcome)
}

pub(super) async fn wait_until_up(addr: SocketAddr) -> Result<(), CliError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(mut conn) = Conn::open(addr).await
            && let Ok((200, _, _)) = conn.get("/healthz", None).await
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(CliError::Bench(
                "the server did not answer /healthz within 60 s".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every writer signs in and books at once; meanwhile the cashier records a
/// payment for each household with a bill, one after another. A 503 is
/// retried once after the time it asks for.
async fn write_under_load(
    addr: SocketAddr,
    set: load_bench::LoadWriters,
    day: chrono::NaiveDate,
) -> WriteOutcome {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (login, household)) in set.residents.iter().cloned().enumerate() {
        let service = set.housekeeping;
        tasks.spawn(async move {
            let token = format!("load-booking-{i}");
            let hour = 8 + (i % 8);
            let form = format!(
                "household={household}&service_id={service}&start={day}T{hour:02}:00&hours=2&notes=&form_token={token}"
            );
            let answer = post_as(addr, &login, "/api/orders/book_housekeeping", form).await;
            (true, vec![(token, answer)])
        });
    }
    let payers = set.payers.clone();
    tasks.spawn(async move {
        let mut answers = Vec::new();
        for (i, household) in payers.iter().take(WRITERS).enumerate() {
            let token = format!("load-payment-{i}");
            let form = format!(
                "household={household}&amount=1.00&method=cash&reference=&bill=0&form_token={token}"
            );
            let answer = post_as(addr, "13800000006", "/api/billing/record_payment", form).await;
            answers.push((token, answer));
        }
        (false, answers)
    });
    let mut outcome = WriteOutcome::default();
    while let Some(joined) = tasks.join_next().await {
        let Ok((booking, answers)) = joined else {
            outcome.failed += 1;
            continue;
        };
        for (token, answer) in answers {
            if !booking {
                outcome.payments_tried += 1;
            }
            match answer {
                Answer::Status {
                    status,
                    retried,
                    body,
                } => {
                    outcome.retried += u64::from(retried);
                    let first = &mut outcome.first_refusal[usize::from(!booking)];
                    if (400..=499).contains(&status) && first.is_none() {
                        *first = Some(format!("{status} {body}"));
                    }
                    match (status, booking) {
                        (200, true) => outcome.booked.push(token),
                        (200, false) => outcome.paid.push(token),
                        (400..=499, true) => outcome.bookings_refused += 1,
                        (400..=499, false) => outcome.payments_refused += 1,
                        _ => outcome.failed += 1,
                    }
                }
                Answer::Failed(e) => {
                    tracing::warn!(error = %e, "a write under load failed");
                    outcome.failed += 1;
                }
            }
        }
    }
    outcome
}

enum Answer {
    Status {
        status: u16,
        retried: bool,
        body: String,
    },
    Failed(String),
}

/// Signs in as `login` on a connection of its own and posts `form` to a
/// server function, once more after a 503.
async fn post_as(addr: SocketAddr, login: &str, path: &str, form: String) -> Answer {
    let attempt = async || -> Result<(u16, String), String> {
        let mut conn = Conn::open(addr).await?;
        let (_, cookie) = conn
            .login(login, "hongye-demo")
            .await
            .map_err(|e| e.to_string())?;
        let request = hyper::Request::post(path)
            .header(header::HOST, &conn.host)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, cookie)
            .body(Full::new(Bytes::from(form.clone())))
            .map_err(|e| e.to_string())?;
        let (status, _, body) = conn.send(request).await?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    };
    match attempt().await {
        Ok((503, _)) => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            match attempt().await {
                Ok((status, body)) => Answer::Status {
                    status,
                    retried: true,
                    body,
                },
                Err(e) => Answer::Failed(e),
            }
        }
        Ok((status, body)) => Answer::Status {
            status,
            retried: false,
            body,
        },
        Err(e) => Answer::Failed(e),
    }
}

/// The demo's people, one per role, with the page each lands on and the
/// heaviest page of that role.
async fn sign_in_all(addr: SocketAddr) -> Result<Vec<Role>, CliError> {
    let mut roles = Vec::new();
    for (name, login, heavy) in [
        ("resident", "13800000001", "{home}/bills"),
        ("staff", "13800000004", "/jobs"),
        ("manager", "hexiu", "{home}/schedule"),
        ("chair", "13800000003", "{home}/accounts"),
        ("party", "13800000005", ""),
    ] {
        let mut conn = Conn::open(addr).await.map_err(failed)?;
        let (home, cookie) = conn.login(login, "hongye-demo").await?;
        let mut pages = vec![home.clone()];
        if !heavy.is_empty() {
            pages.push(heavy.replace("{home}", &home));
        }
        roles.push(Role {
            name,
            cookie,
            pages,
        });
    }
    Ok(roles)
}

/// Latencies in microseconds and failures of one measurement.
struct Stats {
    micros: Vec<u64>,
    errors: u64,
    elapsed: Duration,
}

impl Stats {
    fn rps(&self) -> f64 {
        self.micros.len() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        if self.micros.is_empty() {
            return 0.0;
        }
        let mut sorted = self.micros.clone();
        sorted.sort_unstable();
        let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[i] as f64 / 1000.0
    }

    fn line(&self, ratio: Option<f64>) -> String {
        let ratio = ratio.map_or_else(|| "     -".to_owned(), |r| format!("{r:6.3}"));
        format!(
            "{:8.0} req/s  p50 {:7.2} ms  p99 {:7.2} ms  errors {:4}  ratio {ratio}",
            self.rps(),
            self.percentile_ms(0.5),
            self.percentile_ms(0.99),
            self.errors
        )
    }
}

/// `connections` connections, each sending GETs one after another for
/// `duration`.
async fn measure(
    addr: SocketAddr,
    path: &str,
    cookie: Option<&str>,
    connections: usize,
    duration: Duration,
) -> Stats {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections.max(1) {
        let path = path.to_owned();
        let cookie = cookie.map(str::to_owned);
        tasks.spawn(async move {
            let mut micros = Vec::new();
            let mut errors = 0u64;
            let mut conn = None;
            while Instant::now() < deadline {
                if conn.is_none() {
                    match Conn::open(addr).await {
                        Ok(c) => conn = Some(c),
                        Err(_) => {
                            errors += 1;
                            continue;
                        }
                    }
                }
                let Some(c) = conn.as_mut() else { continue };
                let sent = Instant::now();
                match c.get(&path, cookie.as_deref()).await {
                    Ok((200, _, _)) => micros.push(sent.elapsed().as_micros() as u64),
                    Ok((status, _, _)) => {
                        errors += 1;
                        tracing::warn!(path, status, "unexpected status under load");
                    }
                    Err(e) => {
                        errors += 1;
                        tracing::warn!(path, error = %e, "request failed under load");
                        conn = None;
                    }
                }
            }
            (micros, errors)
        });
    }
    let mut stats = Stats {
        micros: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((micros, errors)) => {
                stats.micros.extend(micros);
                stats.errors += errors;
            }
            Err(_) => stats.errors += 1,
        }
    }
    stats.elapsed = start.elapsed();
    stats
}

/// `n` requests one after another over one kept-alive connection.
async fn measure_sequential(addr: SocketAddr, path: &str, cookie: &str, n: usize) -> Stats {
    let start = Instant::now();
    let mut stats = Stats {
        micros: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    match Conn::open(addr).await {
        Ok(mut conn) => {
            for _ in 0..n {
                let sent = Instant::now();
                match conn.get(path, Some(cookie)).await {
                    Ok((200, _, _)) => stats.micros.push(sent.elapsed().as_micros() as u64),
                    _ => stats.errors += 1,
                }
            }
        }
        Err(_) => stats.errors += 1,
    }
    stats.elapsed = start.elapsed();
    stats
}

/// The median time of `n` requests, each alone on a fresh connection (as a
/// single `curl` would), connecting included.
async fn alone_ms(addr: SocketAddr, path: &str, cookie: &str, n: usize) -> f64 {
    let mut micros = Vec::new();
    for _ in 0..n {
        let sent = Instant::now();
        if let Ok(mut conn) = Conn::open(addr).await
            && let Ok((200, _, _)) = conn.get(path, Some(cookie)).await
        {
            micros.push(sent.elapsed().as_micros() as u64);
        }
    }
    Stats {
        micros,
        errors: 0,
        elapsed: Duration::ZERO,
    }
    .percentile_ms(0.5)
}

/// One HTTP/1.1 connection with keep-alive.
pub(super) struct Conn {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    host: String,
}

impl Conn {
    pub(super) async fn open(addr: SocketAddr) -> Result<Conn, String> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        Ok(Conn {
            sender,
            host: addr.to_string(),
        })
    }

    /// Status, headers and body of one request.
    async fn exchange(
        &mut self,
        request: hyper::Request<Full<Bytes>>,
    ) -> Result<(u16, hyper::HeaderMap, Bytes), String> {
        let exchange = async {
            self.sender.ready().await.map_err(|e| e.to_string())?;
            let response = self
                .sender
                .send_request(request)
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
            Ok((status, parts.headers, body))
        };
        tokio::time::timeout(REQUEST_TIMEOUT, exchange)
            .await
            .map_err(|_| format!("no answer within {} s", REQUEST_TIMEOUT.as_secs()))?
    }

    /// Status, Set-Cookie (if any) and body of one request.
    async fn send(
        &mut self,
        request: hyper::Request<Full<Bytes>>,
    ) -> Result<(u16, Option<String>, Bytes), String> {
        let (status, headers, body) = self.exchange(request).await?;
        let cookie = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok((status, cookie, body))
    }

    pub(super) async fn get(
        &mut self,
        path: &str,
        cookie: Option<&str>,
    ) -> Result<(u16, Option<String>, Bytes), String> {
        let request = self.get_request(path, cookie, None)?;
        self.send(request).await
    }

    /// A GET as a browser sends it, asking for `accept_encoding` if any;
    /// status, headers and the body as sent (compressed or not).
    pub(super) async fn get_with(
        &mut self,
        path: &str,
        cookie: Option<&str>,
        accept_encoding: Option<&str>,
    ) -> Result<(u16, hyper::HeaderMap, Bytes), String> {
        let request = self.get_request(path, cookie, accept_encoding)?;
        self.exchange(request).await
    }

    fn get_request(
        &self,
        path: &str,
        cookie: Option<&str>,
        accept_encoding: Option<&str>,
    ) -> Result<hyper::Request<Full<Bytes>>, String> {
        let mut request = hyper::Request::get(path).header(header::HOST, &self.host);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(encodings) = accept_encoding {
            request = request.header(header::ACCEPT_ENCODING, encodings);
        }
        request
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())
    }

    /// Signs in through the login server function; the session cookie and
    /// the home page.
    pub(super) async fn login(
        &mut self,
        login: &str,
        password: &str,
    ) -> Result<(String, String), CliError> {
        let form = format!("login={login}&password={password}");
        let request = hyper::Request::post("/api/accounts/login")
            .header(header::HOST, &self.host)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Full::new(Bytes::from(form)))
            .map_err(failed)?;
        let (status, cookie, body) = self.send(request).await.map_err(failed)?;
        let home: String = serde_json::from_slice(&body).map_err(|e| {
            CliError::Bench(format!(
                "signing in as {login} answered {status}: {e}: {}",
                String::from_utf8_lossy(&body)
            ))
        })?;
        let cookie = cookie
            .and_then(|c| c.split(';').next().map(str::to_owned))
            .ok_or_else(|| CliError::Bench(format!("signing in as {login} set no cookie")))?;
        Ok((home, cookie))
    }
}

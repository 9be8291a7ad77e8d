//! The server as the office runs it: the real binary, started and stopped
//! with signals, with its metrics, request ids in its log, daily backups,
//! and bill runs a stop cut short.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::{TODAY, billed, hongye, stderr, this_month};

fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// `hongye serve` on the data directory, logging JSON to a file.
struct Server {
    child: Child,
    addr: SocketAddr,
    metrics: SocketAddr,
    log: std::path::PathBuf,
}

impl Server {
    fn start(data: &Path, extra: &[&str]) -> Server {
        Server::start_on(data, None, extra)
    }

    /// On SQLite in the data directory, or on the PostgreSQL database at
    /// `database_url`.
    fn start_on(data: &Path, database_url: Option<&str>, extra: &[&str]) -> Server {
        std::fs::create_dir_all(data).expect("data dir");
        let addr = free_addr();
        let metrics = free_addr();
        let log = data.join("server.log");
        let out = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_hongye"));
        command
            .arg("--data-dir")
            .arg(data)
            .args([
                "--log-format",
                "json",
                "--metrics-addr",
                &metrics.to_string(),
            ])
            .args(extra)
            .arg("serve")
            .env("HONGYE_TODAY", TODAY)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("RUST_LOG", "info")
            .env("HONGYE_MAIL_POLL_MS", "100")
            .env_remove("DATABASE_URL")
            .env_remove("HONGYE_SMTP_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(out);
        if let Some(url) = database_url {
            command.env("DATABASE_URL", url);
        }
        let child = command.spawn().expect("start hongye serve");
        let server = Server {
            child,
            addr,
            metrics,
            log,
        };
        server.wait_until(Duration::from_secs(30), "answering /healthz", |s| {
            s.get(s.addr, "/healthz").0 == 200
        });
        server
    }

    fn wait_until(&self, within: Duration, what: &str, done: impl Fn(&Server) -> bool) {
        let until = Instant::now() + within;
        while !done(self) {
            assert!(
                Instant::now() < until,
                "not {what} within {within:?}; log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A GET over a fresh connection: status, headers (lower case) and body.
    fn get(&self, addr: SocketAddr, path: &str) -> (u16, String, String) {
        http(addr, "GET", path, None, "")
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The log's lines, each one JSON object.
    fn log_lines(&self) -> Vec<serde_json::Value> {
        self.log_text()
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for the process to end; its exit status and how long it took.
    fn wait_exit(&mut self, within: Duration) -> (std::process::ExitStatus, Duration) {
        let asked = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return (status, asked.elapsed());
            }
            if asked.elapsed() > within {
                let _ = self.child.kill();
                panic!("still running after {within:?}; log:\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse(answer: &str) -> (u16, String, String) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_lowercase(), body.to_owned())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .map(str::trim)
}

fn seeded() -> crate::tempdir::TempDir {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let out = hongye(dir.path(), &["seed", "--demo"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn metrics_are_served_on_their_own_address_and_count_requests_by_route() {
    let dir = seeded();
    let server = Server::start(dir.path(), &[]);
    for path in ["/", "/login", "/households/5"] {
        let (status, _, _) = server.get(server.addr, path);
        assert!(status > 0, "{path}");
    }
    // Not on the site's address.
    let (status, _, _) = server.get(server.addr, "/metrics");
    assert_eq!(status, 404, "/metrics on the public address");

    let (status, head, text) = server.get(server.metrics, "/metrics");
    assert_eq!(status, 200, "{head}");
    assert!(
        header(&head, "content-type").is_some_and(|t| t.starts_with("text/plain")),
        "{head}"
    );
    for line in [
        r#"hongye_http_requests_total{route="/",status="200"} 1"#,
        r#"hongye_http_requests_total{route="/login",status="200"} 1"#,
        // By its pattern, not the id in the path.
        r#"hongye_http_request_duration_seconds_count{route="/households/{id}"} 1"#,
        "hongye_db_pool_waiting 0",
        r#"hongye_db_pool_connections{state="idle"}"#,
        r#"hongye_db_pool_connections{state="in_use"}"#,
        r#"hongye_mail_outbox{status="waiting"}"#,
        r#"hongye_mail_outbox{status="failed"}"#,
        "hongye_mail_oldest_unsent_seconds",
        "hongye_bill_runs_in_progress 0",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
}

#[test]
fn every_request_has_an_id_in_its_answer_and_on_its_log_line() {
    let dir = seeded();
    let server = Server::start(dir.path(), &[]);
    let (status, head, _) = server.get(server.addr, "/households/5");
    assert!(status > 0);
    let id = header(&head, "x-request-id")
        .expect("x-request-id")
        .to_owned();
    let (_, again, _) = server.get(server.addr, "/");
    assert_ne!(
        header(&again, "x-request-id"),
        Some(id.as_str()),
        "ids differ"
    );

    server.wait_until(Duration::from_secs(5), "logging the request", |s| {
        s.log_text().contains(&id)
    });
    let line = server
        .log_lines()
        .into_iter()
        .find(|l| l["span"]["id"] == id.as_str() && l["fields"]["message"] == "request")
        .unwrap_or_else(|| panic!("a request line with id {id}:\n{}", server.log_text()));
    assert_eq!(line["fields"]["route"], "/households/{id}", "{line}");
    assert_eq!(line["fields"]["status"], u64::from(status), "{line}");
    assert_eq!(line["fields"]["method"], "GET", "{line}");
    assert!(line["fields"]["ms"].as_f64().is_some(), "{line}");
    assert!(line["timestamp"].is_string(), "{line}");
}

#[test]
fn a_stop_answers_the_requests_in_flight_and_ends_within_ten_seconds() {
    let dir = seeded();
    let mut server = Server::start(dir.path(), &[]);
    let post = |body_len: usize| {
        let mut stream = TcpStream::connect(server.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .expect("timeout");
        let head = format!(
            "POST /lang HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {body_len}\r\n\r\nlang=",
            server.addr
        );
        stream.write_all(head.as_bytes()).expect("send");
        stream
    };
    // One request whose body is still coming when the stop is asked for,
    // one that never finishes sending.
    let mut finishing = post("lang=en".len());
    let mut never = post(1000);
    // And a kept-alive connection that is idle.
    let idle = TcpStream::connect(server.addr).expect("connect");
    std::thread::sleep(Duration::from_millis(300));

    server.terminate();
    std::thread::sleep(Duration::from_millis(300));
    finishing.write_all(b"en").expect("the rest of the body");
    let mut answer = String::new();
    BufReader::new(&mut finishing)
        .read_line(&mut answer)
        .expect("an answer");
    assert!(
        answer.starts_with("HTTP/1.1 303") || answer.starts_with("HTTP/1.1 200"),
        "the request in flight is answered: {answer}"
    );

    let (status, took) = server.wait_exit(Duration::from_secs(12));
    assert!(
        status.success(),
        "exit {status:?}; log:\n{}",
        server.log_text()
    );
    assert!(
        took <= Duration::from_secs(10),
        "stopped in {took:?}; log:\n{}",
        server.log_text()
    );
    let log = server.log_text();
    assert!(log.contains("mail worker stopped"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    // The unfinished one was dropped, not answered.
    let mut rest = String::new();
    let _ = never.read_to_string(&mut rest);
    assert!(!rest.contains("HTTP/1.1 303"), "{rest}");
    drop(idle);
}

#[test]
fn the_server_keeps_one_checked_copy_a_day_and_only_the_newest() {
    let dir = seeded();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).expect("dir");
    // Three earlier days' copies and a file of someone else's.
    for day in ["2026-11-15", "2026-11-16", "2026-11-17"] {
        std::fs::write(backups.join(format!("hongye-{day}.db")), b"old").expect("old copy");
    }
    std::fs::write(backups.join("notes.txt"), b"keep me").expect("other file");
    let server = Server::start(
        dir.path(),
        &[
            "--backup-dir",
            backups.to_str().expect("utf-8"),
            "--backup-keep",
            "2",
        ],
    );
    let today = backups.join(format!("hongye-{TODAY}.db"));
    server.wait_until(Duration::from_secs(30), "writing today's copy", |_| {
        today.exists() && !backups.join("hongye-2026-11-16.db").exists()
    });
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .expect("read")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "hongye-2026-11-17.db".to_owned(),
            format!("hongye-{TODAY}.db"),
            "notes.txt".to_owned()
        ]
    );
    // The copy restores, whole.
    let restored = dir.path().join("restored");
    let out = hongye(
        &restored,
        &["restore", "--from", today.to_str().expect("utf-8")],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("receipt gaps 0"), "{said}");
}

#[test]
fn a_bill_run_cut_short_is_finished_when_the_server_starts() {
    let dir = seeded();
    let data = dir.path();
    let month = this_month();
    let mut run = Command::new(env!("CARGO_BIN_EXE_hongye"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "bill",
            "--company",
            "文汇社区城市服务公司",
            "--month",
            &month,
            "--chunk",
            "10",
        ])
        .env_remove("DATABASE_URL")
        .env("HONGYE_TODAY", TODAY)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start hongye bill");
    let mut first = String::new();
    BufReader::new(run.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("progress");
    run.kill().expect("kill");
    run.wait().expect("reaped");
    let (partial, _, _) = billed(data, &month);

    let server = Server::start(data, &[]);
    server.wait_until(Duration::from_secs(60), "finishing the run", |s| {
        s.log_text().contains("interrupted bill run finished")
    });
    let (bills, households, receipts) = billed(data, &month);
    assert!(bills > partial, "{partial} before, {bills} after");
    assert_eq!(bills, households, "no household billed twice");
    let expected: Vec<i64> = (1..=receipts.len() as i64).collect();
    assert_eq!(receipts, expected, "receipt numbers without gaps");
    let (_, _, text) = server.get(server.metrics, "/metrics");
    assert!(text.contains("hongye_bill_runs_in_progress 0"), "{text}");
}

#[test]
fn the_version_names_the_database_schema() {
    let out = Command::new(env!("CARGO_BIN_EXE_hongye"))
        .arg("--version")
        .output()
        .expect("run");
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    let schema = app::db::known_schema().expect("migrations");
    assert!(
        said.starts_with("hongye ") && said.contains(&format!("database schema {schema}")),
        "{said}"
    );
}

/// A request over a fresh connection: status, head (lower case) and body.
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: &str,
) -> (u16, String, String) {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return (0, String::new(), String::new());
    };
    let cookie = cookie.map_or(String::new(), |c| format!("Cookie: {c}\r\n"));
    let body = if method == "POST" {
        format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        )
    } else {
        "\r\n".to_owned()
    };
    let request =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{cookie}{body}");
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new(), String::new());
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    parse(&answer)
}

/// Signs in on `addr`: the session cookie and the home page.
fn sign_in(addr: SocketAddr, login: &str) -> (String, String) {
    let (status, head, body) = http(
        addr,
        "POST",
        "/api/accounts/login",
        None,
        &format!("login={login}&password=hongye-demo"),
    );
    assert_eq!(status, 200, "sign in as {login}: {head}{body}");
    let cookie = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with("hongye_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
    let home: String = serde_json::from_str(chunked_body(&body).trim()).expect("the home page");
    (cookie, home)
}

/// The body of an answer that may be sent in chunks.
fn chunked_body(body: &str) -> String {
    let mut rest = body;
    let mut out = String::new();
    loop {
        let Some((size, after)) = rest.split_once("\r\n") else {
            return body.to_owned();
        };
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_owned();
        };
        if size == 0 || after.len() < size {
            return out;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
}

#[test]
fn two_servers_on_one_postgresql_send_each_mail_and_reminder_once_and_run_a_month_once() {
    use app::db::schema::{arrears_steps, bill_runs, bills, outbox};
    use diesel::prelude::*;
    let Some(server) = crate::cli::postgres_server() else {
        return;
    };
    let server = server.as_str();
    let name = format!("hongye_two_servers_{}", std::process::id());
    let url = crate::cli::fresh_postgres(server, &name);
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let out = hongye(dir.path(), &["seed", "--demo"], Some(&url));
    assert!(out.status.success(), "{}", stderr(&out));

    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let first = Server::start_on(&one, Some(&url), &[]);
    let second = Server::start_on(&two, Some(&url), &[]);

    // 200 mails queued while both servers' workers look for mail.
    let db = app::db::Db::connect(&app::db::DatabaseTarget::Postgres(url.clone())).expect("db");
    let now = app::services::clock::Clock::with_china_today(
        chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("day"),
    )
    .now();
    let queued: Vec<i64> = {
        let mut conn = db.conn().expect("conn");
        (0..200)
            .map(|i| {
                let to = format!("resident{i}@example.com");
                app::db::mail::insert(
                    &mut conn,
                    &app::db::mail::NewMail {
                        created_at: now - chrono::Duration::minutes(1),
                        person_id: None,
                        company_id: None,
                        to_address: &to,
                        kind: "test",
                        essential: true,
                        subject: "通知",
                        body_text: "text",
                        body_html: "<p>html</p>",
                    },
                )
                .expect("queued")
            })
            .collect()
    };

    // A session begun on one server serves on the other.
    let (cookie, home) = sign_in(first.addr, "hexiu");
    let (status, _, page) = http(second.addr, "GET", &home, Some(&cookie), "");
    assert_eq!(status, 200, "{home} on the second server: {page}");

    // The month's bills started on both at once.
    let company: i64 = home
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a company home");
    let month = &TODAY[..7];
    let form = format!("company={company}&month={month}");
    let starts: Vec<u16> = std::thread::scope(|s| {
        let runs: Vec<_> = [first.addr, second.addr]
            .into_iter()
            .map(|addr| {
                let (cookie, form) = (&cookie, &form);
                s.spawn(move || {
                    http(
                        addr,
                        "POST",
                        "/api/billing/start_bill_run",
                        Some(cookie),
                        form,
                    )
                    .0
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().expect("start")).collect()
    });
    assert!(starts.contains(&200), "{starts:?}");
    assert!(
        starts.iter().all(|s| *s == 200 || *s == 409),
        "started once, the other told it is running: {starts:?}"
    );

    let mut conn = db.conn().expect("conn");
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let unsent: i64 = outbox::table
            .filter(outbox::id.eq_any(&queued))
            .filter(outbox::status.ne("sent"))
            .count()
            .get_result(&mut *conn)
            .expect("count");
        let running: i64 = bill_runs::table
            .filter(bill_runs::state.eq("running"))
            .count()
            .get_result(&mut *conn)
            .expect("count");
        if unsent == 0 && running == 0 {
            break;
        }
        assert!(
            Instant::now() < until,
            "{unsent} mails unsent, {running} runs running; logs:\n{}\n{}",
            first.log_text(),
            second.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // Each queued mail went out once, from one server or the other.
    let mut sent_ids: Vec<i64> = [&one, &two]
        .iter()
        .flat_map(|data| std::fs::read_dir(data.join("outbox")).into_iter().flatten())
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|eml| {
            eml.lines()
                .find_map(|l| l.strip_prefix("Message-ID: <outbox-"))
                .and_then(|rest| rest.split('@').next())
                .and_then(|id| id.parse().ok())
        })
        .filter(|id| queued.contains(id))
        .collect();
    sent_ids.sort_unstable();
    assert_eq!(sent_ids, queued, "every mail once");

    // Each household reminded at most once today.
    let reminded: Vec<i64> = arrears_steps::table
        .filter(arrears_steps::stage.eq("reminder"))
        .filter(arrears_steps::created_at.ge(now - chrono::Duration::hours(1)))
        .select(arrears_steps::household_id)
        .load(&mut *conn)
        .expect("reminders");
    let mut once = reminded.clone();
    once.sort_unstable();
    once.dedup();
    assert_eq!(once.len(), reminded.len(), "no household reminded twice");

    // The month billed once: one bill per household and contract.
    let billed: Vec<(i64, i64)> = bills::table
        .filter(bills::month.eq(month))
        .select((bills::household_id, bills::contract_id))
        .load(&mut *conn)
        .expect("bills");
    let mut distinct = billed.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(!billed.is_empty(), "the month was billed");
    assert_eq!(distinct.len(), billed.len(), "no household billed twice");
    drop(conn);
    drop(db);
    drop(first);
    drop(second);
    crate::cli::drop_postgres(server, &name);
}

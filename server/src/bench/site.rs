//! `hongye bench site`: what a phone downloads. Starts the release server on
//! a temporary demo database, signs in as the demo resident and staff
//! member, and fetches each route's page and the site files it links the
//! way a browser asking for compression does, then again without
//! compression (what was sent before the server compressed anything). A
//! second visit downloads what is not kept: the page itself, when the site
//! files carry a content hash and a year's `Cache-Control`.

use std::net::SocketAddr;

use app::db::Db;
use hyper::header;

use super::load::{BenchDatabase, Conn, Server};
use super::{TempDir, failed};
use crate::error::CliError;

/// One site file as fetched: its address, bytes on the wire with and
/// without compression, and whether a browser keeps it.
struct Fetched {
    path: String,
    sent: usize,
    plain: usize,
    encoding: String,
    kept: bool,
}

pub fn site(now: chrono::NaiveDateTime) -> Result<(), CliError> {
    let dir = TempDir::new()?;
    let database = BenchDatabase::create(None, dir.path())?;
    let db = Db::connect(&database.target)?;
    db.migrate()?;
    app::services::seed::seed_demo(&db, now).map_err(failed)?;
    let server = Server::start(&database, dir.path())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(measure(server.addr))
}

async fn measure(addr: SocketAddr) -> Result<(), CliError> {
    super::load::wait_until_up(addr).await?;
    let mut conn = Conn::open(addr).await.map_err(failed)?;
    let (resident_home, resident) = conn.login("13800000001", "hongye-demo").await?;
    let (_, staff) = conn.login("13800000004", "hongye-demo").await?;
    let routes = [
        ("landing", "/".to_owned(), None),
        ("resident home", resident_home.clone(), Some(&resident)),
        (
            "resident bills",
            format!("{resident_home}/bills"),
            Some(&resident),
        ),
        (
            "resident booking",
            format!("{resident_home}/book"),
            Some(&resident),
        ),
        ("staff day", "/jobs".to_owned(), Some(&staff)),
    ];
    println!(
        "bench site (release build on {addr}): bytes on the wire, first visit, browser asking for br/gzip"
    );
    println!(
        "{:<18} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12} {:>13}",
        "route", "page", "css", "js", "wasm", "first visit", "uncompressed", "second visit"
    );
    let mut worst_first = 0;
    let mut worst_script = 0;
    let mut worst_second = 0;
    let mut problems = Vec::new();
    for (name, path, cookie) in &routes {
        let cookie = cookie.map(String::as_str);
        let page = fetch(&mut conn, path, cookie).await?;
        let html = conn
            .get(path, cookie)
            .await
            .map(|(_, _, body)| String::from_utf8_lossy(&body).into_owned())
            .map_err(failed)?;
        let mut files = Vec::new();
        for linked in site_files(&html) {
            files.push(fetch(&mut conn, &linked, None).await?);
        }
        let of = |ext: &str| -> usize {
            files
                .iter()
                .filter(|f| f.path.ends_with(ext))
                .map(|f| f.sent)
                .sum()
        };
        let first: usize = page.sent + files.iter().map(|f| f.sent).sum::<usize>();
        let plain: usize = page.plain + files.iter().map(|f| f.plain).sum::<usize>();
        let second: usize = page.sent
            + files
                .iter()
                .filter(|f| !f.kept)
                .map(|f| f.sent)
                .sum::<usize>();
        let script = of(".js") + of(".wasm");
        worst_first = worst_first.max(first);
        worst_script = worst_script.max(script);
        worst_second = worst_second.max(second);
        for f in files.iter().chain(std::iter::once(&page)) {
            if f.encoding.is_empty() && f.plain > 1024 {
                problems.push(format!("{} sent uncompressed", f.path));
            }
        }
        for f in &files {
            if !f.kept {
                problems.push(format!("{} not kept by the browser", f.path));
            }
        }
        println!(
            "{:<18} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12} {:>13}",
            name,
            kb(page.sent),
            kb(of(".css")),
            kb(of(".js")),
            kb(of(".wasm")),
            kb(first),
            kb(plain),
            kb(second)
        );
    }
    for p in &problems {
        println!("  problem: {p}");
    }
    println!(
        "site routes={} worst_first_visit_kb={:.0} worst_script_kb={:.0} worst_second_visit_kb={:.0} problems={}",
        routes.len(),
        worst_first as f64 / 1024.0,
        worst_script as f64 / 1024.0,
        worst_second as f64 / 1024.0,
        problems.len()
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::Bench(format!("{} problems", problems.len())))
    }
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1024.0)
}

/// The site files a page links: its style sheet, script and wasm.
fn site_files(html: &str) -> Vec<String> {
    let mut found: Vec<String> = html
        .split(['"', '\''])
        .filter(|part| part.starts_with("/pkg/"))
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// One address with and without compression.
async fn fetch(conn: &mut Conn, path: &str, cookie: Option<&str>) -> Result<Fetched, CliError> {
    let (status, headers, body) = conn
        .get_with(path, cookie, Some("br, gzip"))
        .await
        .map_err(failed)?;
    if status != 200 {
        return Err(CliError::Bench(format!("{path} answered {status}")));
    }
    let (_, _, plain) = conn.get_with(path, cookie, None).await.map_err(failed)?;
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    Ok(Fetched {
        path: path.to_owned(),
        sent: body.len(),
        plain: plain.len(),
        encoding: text(header::CONTENT_ENCODING),
        kept: text(header::CACHE_CONTROL).contains("immutable"),
    })
}

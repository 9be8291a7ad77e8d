//! What a phone downloads: site files compressed once at build and kept by
//! the browser for a year when their names carry a content hash; pages
//! compressed on the way out and never stored.

use app::db::{DatabaseTarget, Db};
use app::services::AppState;
use app::services::clock::Clock;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use hongye::guard::Site;
use hongye::serve::{ServerState, router};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

const HASHED_WASM: &str = "hongye.Zm9vYmFyYmF6cXV4cXV1eA.wasm";

/// A router over an empty database and a site folder laid out as
/// `cargo leptos build --release --precompress` leaves it.
fn site_router() -> (crate::tempdir::TempDir, axum::Router) {
    site_router_at(Site::default())
}

fn site_router_at(site: Site) -> (crate::tempdir::TempDir, axum::Router) {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let pkg = dir.path().join("site/pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    let write = |name: &str, bytes: &[u8]| std::fs::write(pkg.join(name), bytes).expect("write");
    write(HASHED_WASM, b"\0asm plain");
    write(&format!("{HASHED_WASM}.br"), b"brotli bytes");
    write(&format!("{HASHED_WASM}.gz"), b"gzip bytes");
    write("hongye.css", b"body { margin: 0 }");
    let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("site.db"))).expect("db");
    db.migrate().expect("migrate");
    let leptos = LeptosOptions::builder()
        .output_name("hongye")
        .site_root(dir.path().join("site").to_string_lossy().into_owned())
        .build();
    let router = router(ServerState {
        leptos,
        app: AppState::new(db).with_clock(Clock::Fixed(crate::t0())),
        site,
        telemetry: hongye::telemetry::Telemetry::new().expect("metrics"),
    });
    (dir, router)
}

async fn get(router: &axum::Router, path: &str, accept_encoding: Option<&str>) -> Response {
    let mut request = Request::get(path);
    if let Some(encodings) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encodings);
    }
    router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response")
}

async fn body(response: Response) -> Vec<u8> {
    to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec()
}

fn header_of(response: &Response, name: header::HeaderName) -> &str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_hashed_site_file_is_sent_precompressed_and_kept_for_a_year() {
    let (_dir, router) = site_router();
    let path = format!("/pkg/{HASHED_WASM}");

    let response = get(&router, &path, Some("gzip, deflate, br")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "br");
    assert_eq!(
        header_of(&response, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(
        header_of(&response, header::VARY).contains("accept-encoding"),
        "{:?}",
        response.headers()
    );
    assert_eq!(body(response).await, b"brotli bytes");

    let response = get(&router, &path, Some("gzip")).await;
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "gzip");
    assert_eq!(body(response).await, b"gzip bytes");

    // A browser that takes no compression gets the file itself.
    let response = get(&router, &path, None).await;
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "");
    assert_eq!(body(response).await, b"\0asm plain");
}

#[tokio::test]
async fn an_unhashed_site_file_is_checked_each_time_and_a_missing_one_not_kept() {
    let (_dir, router) = site_router();
    let response = get(&router, "/pkg/hongye.css", Some("br")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-cache");

    let response = get(&router, "/pkg/hongye.QUJDREVGR0hJSktMTU5PUA.js", Some("br")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
}

#[tokio::test]
async fn a_page_is_gzipped_on_the_way_out_and_never_stored() {
    let (_dir, router) = site_router();
    let response = get(&router, "/login", Some("gzip, deflate, br")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "gzip");
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
    assert!(header_of(&response, header::VARY).contains("accept-encoding"));
    let bytes = body(response).await;
    assert_eq!(bytes.get(..2), Some(&[0x1f, 0x8b][..]), "a gzip stream");

    // Without Accept-Encoding the page is plain HTML.
    let response = get(&router, "/login", None).await;
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "");
    let page = String::from_utf8(body(response).await).expect("utf-8");
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
}

/// Scripts run only from this site, or inline with the page's own nonce:
/// a script smuggled into a page (a resident's name, a complaint) cannot
/// run.
#[tokio::test]
async fn a_page_names_its_own_scripts_in_its_content_security_policy() {
    let (_dir, router) = site_router();
    let response = get(&router, "/login", None).await;
    let policy = header_of(&response, header::CONTENT_SECURITY_POLICY).to_owned();
    assert!(policy.contains("default-src 'self'"), "{policy}");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    assert!(nonce.len() >= 16, "{nonce}");
    let page = String::from_utf8(body(response).await).expect("utf-8");
    let scripts = page.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        page.matches(&format!(" nonce=\"{nonce}\"")).count(),
        scripts,
        "every inline script carries the nonce: {page}"
    );
    // Each page its own nonce.
    let again = get(&router, "/login", None).await;
    assert!(!header_of(&again, header::CONTENT_SECURITY_POLICY).contains(&nonce));
    // Other answers carry the policy without a nonce; no HSTS over plain http.
    let health = get(&router, "/healthz", None).await;
    assert!(header_of(&health, header::CONTENT_SECURITY_POLICY).contains("script-src 'self'"));
    assert_eq!(header_of(&health, header::STRICT_TRANSPORT_SECURITY), "");
}

#[tokio::test]
async fn an_https_site_tells_browsers_to_keep_to_https() {
    let (_dir, router) = site_router_at(Site {
        public_url: Some("https://hongye.example".into()),
        ..Site::default()
    });
    let response = get(&router, "/healthz", None).await;
    assert_eq!(
        header_of(&response, header::STRICT_TRANSPORT_SECURITY),
        "max-age=31536000"
    );
}

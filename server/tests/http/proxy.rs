//! The client's address behind a reverse proxy, and the per-address sign-in
//! throttle it feeds.

use std::net::{IpAddr, SocketAddr};

use app::db::{DatabaseTarget, Db};
use app::services::AppState;
use app::services::clock::Clock;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use hongye::guard::Site;
use hongye::proxy::TrustedProxies;
use hongye::serve::{ServerState, router};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("an address")
}

#[test]
fn the_client_is_the_rightmost_hop_that_is_not_a_trusted_proxy() {
    let proxies = TrustedProxies::parse(&["127.0.0.1", "10.0.0.0/8,fd00::/8"]).expect("parses");
    let client = |peer: &str, xff: &[&str]| proxies.client(ip(peer), xff.iter().copied());
    // Straight from the internet: the header is the client's own words.
    assert_eq!(client("203.0.113.7", &["198.51.100.1"]), ip("203.0.113.7"));
    // Through our proxy: the address it saw.
    assert_eq!(client("127.0.0.1", &["203.0.113.7"]), ip("203.0.113.7"));
    // A forged left part is skipped; proxies in a chain are walked through.
    assert_eq!(
        client("127.0.0.1", &["1.2.3.4, 203.0.113.7", "10.1.2.3"]),
        ip("203.0.113.7")
    );
    // No header, or a hop that is not an address: the last proxy.
    assert_eq!(client("127.0.0.1", &[]), ip("127.0.0.1"));
    assert_eq!(client("10.0.0.9", &["203.0.113.7, evil"]), ip("10.0.0.9"));
    // IPv6 and IPv4 mapped into IPv6.
    assert_eq!(client("fd00::1", &["2001:db8::5"]), ip("2001:db8::5"));
    assert_eq!(
        client("::ffff:127.0.0.1", &["203.0.113.7"]),
        ip("203.0.113.7")
    );
    // All trusted: the left-most.
    assert_eq!(client("127.0.0.1", &["10.0.0.1"]), ip("10.0.0.1"));

    let none = TrustedProxies::default();
    assert_eq!(
        none.client(ip("127.0.0.1"), ["203.0.113.7"].into_iter()),
        ip("127.0.0.1")
    );
    for bad in ["10.0.0.0/33", "example.org", "10.0.0.1/x", "::/129"] {
        assert!(TrustedProxies::parse(&[bad]).is_err(), "{bad}");
    }
    assert_eq!(
        TrustedProxies::parse(&["0.0.0.0/0"])
            .expect("everything")
            .client(ip("192.0.2.1"), ["203.0.113.7"].into_iter()),
        ip("203.0.113.7")
    );
}

fn app(trusted: &[&str]) -> (crate::tempdir::TempDir, axum::Router) {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("p.db"))).expect("db");
    db.migrate().expect("migrate");
    app::services::seed::seed_demo(&db, crate::t0()).expect("seed");
    let router = router(ServerState {
        leptos: LeptosOptions::builder().output_name("hongye").build(),
        app: AppState::new(db).with_clock(Clock::Fixed(crate::t0())),
        site: Site {
            trusted_proxies: TrustedProxies::parse(trusted).expect("proxies"),
            ..Site::default()
        },
        telemetry: hongye::telemetry::Telemetry::new().expect("metrics"),
    });
    (dir, router)
}

/// A sign-in as it arrives from nginx on this machine, for `client`.
async fn sign_in(router: &axum::Router, login: &str, password: &str, client: &str) -> StatusCode {
    let mut request = Request::post("/api/accounts/login")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", client)
        .body(Body::from(format!("login={login}&password={password}")))
        .expect("request");
    let peer: SocketAddr = "127.0.0.1:50000".parse().expect("peer");
    request.extensions_mut().insert(ConnectInfo(peer));
    router
        .clone()
        .oneshot(request)
        .await
        .expect("response")
        .status()
}

/// 30 failed sign-ins with made-up names are one address's limit: behind a
/// trusted proxy they lock out that client only.
#[tokio::test]
async fn behind_a_trusted_proxy_one_client_guessing_does_not_lock_out_the_others() {
    let (_dir, router) = app(&["127.0.0.1"]);
    for n in 0..30 {
        let name = format!("guess{n:02}");
        assert_eq!(
            sign_in(&router, &name, "wrong-password", "203.0.113.7").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&router, "hexiu", "hongye-demo", "203.0.113.7").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sign_in(&router, "hexiu", "hongye-demo", "198.51.100.9").await,
        StatusCode::OK
    );
}

/// Without a trusted proxy the header is the client's own claim: changing it
/// does not get round the limit.
#[tokio::test]
async fn without_a_trusted_proxy_x_forwarded_for_is_ignored() {
    let (_dir, router) = app(&[]);
    for n in 0..30 {
        let name = format!("guess{n:02}");
        let forged = format!("198.51.100.{n}");
        assert_eq!(
            sign_in(&router, &name, "wrong-password", &forged).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&router, "hexiu", "hongye-demo", "192.0.2.200").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

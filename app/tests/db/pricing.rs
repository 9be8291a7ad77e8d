//! The service catalog and prices on both databases, through the services the
//! server functions call: the demo price list, new services and price
//! versions (never edits), the below-market policy (in code and in the
//! database), and a resident's price list.

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::domain::access::{Caller, HouseholdId, Scope};
use app::domain::money::Money;
use app::domain::org::CompanyId;
use app::domain::pricing::{BillingUnit, ServiceCategory};
use app::i18n::Key;
use app::services::access::{Session, session};
use app::services::clock::Clock;
use app::services::pricing::{self, PriceForm};
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts};
use chrono::{Duration, NaiveDateTime};

/// 2026-11-27 04:00 UTC, midday in China.
fn t0() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(4, 0, 0))
        .expect("valid")
}

fn seeded(t: &TestDb) -> AppState {
    AppState::new(t.db.clone()).with_clock(Clock::Fixed(t0()))
}

fn sign_in(state: &AppState, login: &str) -> Session {
    let signed = accounts::login(state, login, DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
    let mut conn = state.db.conn().expect("conn");
    session(&mut conn, &signed.token, &state.auth.session, t0())
        .expect("session")
        .expect("live")
}

fn own_scope(caller: &Caller) -> Scope {
    caller.grant.as_ref().map(|g| g.scope).expect("a grant")
}

fn wenhui(manager: &Caller) -> CompanyId {
    match own_scope(manager) {
        Scope::Company(c) => c,
        other => panic!("manager scope: {other:?}"),
    }
}

fn form(ours: &str, market: &str, reason: &str, from: &str) -> PriceForm {
    PriceForm {
        ours: ours.into(),
        market: market.into(),
        reason: reason.into(),
        market_source: "三家公司报价".into(),
        surveyed_on: "2026-11-20".into(),
        effective_from: from.into(),
    }
}

fn invalid(result: Result<impl std::fmt::Debug, AppError>) -> (String, Key) {
    match result.expect_err("refused") {
        AppError::Invalid { field, message } => (field, message),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn the_demo_catalog_is_below_market_with_history_and_one_flagged_price() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu").caller;
        let mut conn = state.db.conn().expect("conn");
        let catalog =
            pricing::catalog(&mut conn, &manager, wenhui(&manager), t0()).expect("catalog");
        assert!(catalog.can_manage, "{}", t.backend);
        assert!(catalog.services.len() >= 6, "{}", t.backend);
        let today = catalog.today;
        for s in &catalog.services {
            let p = s.price_on(today).expect("a price in force");
            assert_eq!(
                p.quote.above_market(),
                !p.quote.reason.is_empty(),
                "{} on {}",
                s.name.zh,
                t.backend
            );
        }
        let fee = catalog
            .services
            .iter()
            .find(|s| s.category == ServiceCategory::EstateManagement)
            .expect("a management fee");
        assert_eq!(fee.unit, BillingUnit::PerSquareMetreMonth);
        assert_eq!(fee.prices.len(), 2, "the earlier version is kept");
        let old = fee
            .price_on(chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"))
            .expect("2025 price");
        let now = fee.price_on(today).expect("today's price");
        assert!(old.quote.ours < now.quote.ours, "{}", t.backend);
        assert!(
            catalog
                .services
                .iter()
                .any(|s| s.price_on(today).is_some_and(|p| p.quote.above_market())),
            "Wenhui shows one price above the market, with its reason"
        );
    });
}

#[test]
fn a_price_change_is_a_new_version_and_the_policy_holds() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu").caller;
        let company = wenhui(&manager);
        let mut conn = state.db.conn().expect("conn");
        let service = pricing::add_service(
            &mut conn,
            &manager,
            company,
            "窗户清洁",
            "Window cleaning",
            "housekeeping",
            "per_visit",
            &form("80", "120", "", "2026-11-27"),
            t0(),
        )
        .expect("added");
        // Same name again: refused, nothing added.
        let again = pricing::add_service(
            &mut conn,
            &manager,
            company,
            "窗户清洁",
            "",
            "housekeeping",
            "per_visit",
            &form("80", "120", "", "2026-11-27"),
            t0(),
        );
        assert_eq!(invalid(again), ("name".into(), Key::ServiceErrorTaken));

        // Refusals change nothing.
        let cases = [
            (
                form("80.001", "120", "", "2026-12-01"),
                "ours",
                Key::PriceErrorTooPrecise,
            ),
            (
                form("-5", "120", "", "2026-12-01"),
                "ours",
                Key::PriceErrorNotPositive,
            ),
            (
                form("80", "abc", "", "2026-12-01"),
                "market",
                Key::PriceErrorNotANumber,
            ),
            (
                form("120", "120", "", "2026-12-01"),
                "reason",
                Key::PriceErrorReasonRequired,
            ),
            (
                form("90", "120", "", "2026-11-01"),
                "effective_from",
                Key::PriceErrorBackdated,
            ),
            (
                form("90", "120", "", "2026-11-27"),
                "effective_from",
                Key::PriceErrorSameDay,
            ),
        ];
        for (f, field, key) in cases {
            let refused = pricing::set_price(&mut conn, &manager, service, &f, t0());
            assert_eq!(invalid(refused), (field.to_owned(), key), "{}", t.backend);
        }
        let versions = |conn: &mut app::db::DbConn| {
            pricing::catalog(conn, &manager, company, t0())
                .expect("catalog")
                .services
                .into_iter()
                .find(|s| s.id == service)
                .expect("the service")
        };
        assert_eq!(versions(&mut conn).prices.len(), 1, "{}", t.backend);

        // Above the market with a reason, from next month: today's price stays.
        pricing::set_price(
            &mut conn,
            &manager,
            service,
            &form("130", "120", "高层外窗需吊篮作业", "2026-12-01"),
            t0(),
        )
        .expect("a new version");
        let s = versions(&mut conn);
        assert_eq!(s.prices.len(), 2);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let now = s.price_on(today).expect("now");
        assert_eq!(now.quote.ours, Money::from_fen(8_000));
        assert_eq!(now.quote.saving().amount, Money::from_fen(4_000));
        let december = s.price_on(today + Duration::days(4)).expect("december");
        assert!(december.quote.above_market());
        assert_eq!(december.quote.reason, "高层外窗需吊篮作业");
        assert_eq!(december.set_by, "和秀");
    });
}

#[test]
fn the_database_refuses_an_above_market_price_without_a_reason() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu").caller;
        let mut conn = state.db.conn().expect("conn");
        let catalog =
            pricing::catalog(&mut conn, &manager, wenhui(&manager), t0()).expect("catalog");
        let service = catalog.services[0].id;
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        let result = app::db::pricing::insert_price(
            &mut conn,
            &app::db::pricing::NewPrice {
                service_id: service.0,
                our_fen: 200,
                market_fen: 100,
                reason: "",
                market_source: "",
                surveyed_on: day,
                effective_from: day,
                set_by: None,
                at: t0(),
            },
        );
        assert!(result.is_err(), "CHECK constraint on {}", t.backend);
    });
}

#[test]
fn a_resident_sees_the_estate_price_list_with_savings() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let resident = sign_in(&state, "13800000001").caller;
        let household = match own_scope(&resident) {
            Scope::Household(h) => h,
            other => panic!("resident scope: {other:?}"),
        };
        let mut conn = state.db.conn().expect("conn");
        let list = pricing::price_list(&mut conn, household, t0()).expect("price list");
        assert_eq!(list.estate.zh, "玉泉花园");
        assert!(list.company.is_some());
        assert!(list.lines.len() >= 6, "{}", t.backend);
        let housekeeping = list
            .lines
            .iter()
            .find(|l| l.unit == BillingUnit::PerHour)
            .expect("housekeeping per hour");
        let saving = housekeeping.quote.saving();
        assert!(saving.is_below_market());
        assert_eq!(
            saving.amount + housekeeping.quote.ours,
            housekeeping.quote.market
        );

        // A household of an estate no company serves has no prices.
        let unmanaged = {
            use app::db::estates;
            let district = app::db::org::home_district(&mut conn)
                .expect("district")
                .expect("one");
            let street = app::db::org::ensure_street(&mut conn, district.id, "测试街道", "", 99)
                .expect("street");
            let community = app::db::org::ensure_community(&mut conn, street, "测试社区", "")
                .expect("community");
            let estate = estates::ensure_estate(&mut conn, community, None, ("失管小区", ""), "")
                .expect("estate");
            let building = estates::ensure_building(&mut conn, estate, "1栋").expect("building");
            estates::ensure_household(&mut conn, building, "1单元", "101").expect("household")
        };
        let empty = pricing::price_list(&mut conn, HouseholdId(unmanaged), t0()).expect("list");
        assert!(empty.company.is_none() && empty.lines.is_empty());
    });
}

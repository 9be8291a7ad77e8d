//! The oversight dashboard on both databases, against a small data set
//! written here row by row, with every figure worked out by hand in the
//! comments; and the district view over the demo in a fixed number of
//! queries, however many companies it covers.
//!
//! The data set: district 1 with streets 1 and 2, community 1 under street 1
//! and community 2 under street 2. Company A (1, community 1) runs estates
//! E1 (4 households, taken over 2026-08-15) and E2 (1 household, taken over
//! 2026-10-10); company B (2, community 2) runs E3 (2 households). Now is
//! 2026-11-27 12:00 in China; the period is September and October 2026.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{TestDb, on_each_backend, on_each_backend_with_demo};
use app::api::AppError;
use app::domain::access::{Caller, EstateId, GrantId, PersonId, Role, RoleGrant, Scope};
use app::domain::org::{CommunityId, DistrictId, StreetId};
use app::domain::oversight::Kpis;
use app::domain::{LocalizedName, Money};
use app::i18n::Key;
use app::services::oversight as service;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::RunQueryDsl;
use diesel::connection::{Connection, InstrumentationEvent};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(4, 0, 0))
        .expect("valid")
}

fn party(scope: Scope) -> Caller {
    let grant = RoleGrant {
        id: GrantId(1),
        role: if matches!(scope, Scope::District(_)) {
            Role::Admin
        } else {
            Role::Party
        },
        scope,
        scope_name: LocalizedName::new("辖区", "Scope"),
    };
    Caller {
        person: PersonId(1),
        name: "木林".into(),
        grant: Some(grant.clone()),
        grants: vec![grant],
        must_change_password: false,
    }
}

const ROWS: &[&str] = &[
    "INSERT INTO persons (id, name, phone, password_hash) VALUES (1, '木林', '13900000001', 'x')",
    "INSERT INTO districts (id, name) VALUES (1, '测试区')",
    "INSERT INTO streets (id, district_id, name) VALUES (1, 1, '甲街道'), (2, 1, '乙街道')",
    "INSERT INTO communities (id, street_id, name) VALUES (1, 1, '一社区'), (2, 2, '二社区')",
    "INSERT INTO companies (id, community_id, name, founded_on) VALUES (1, 1, '甲公司', '2025-01-01'), (2, 2, '乙公司', '2025-01-01')",
    "INSERT INTO estates (id, community_id, company_id, name) VALUES (1, 1, 1, 'E1'), (2, 1, 1, 'E2'), (3, 2, 2, 'E3')",
    "INSERT INTO buildings (id, estate_id, name) VALUES (1, 1, '1栋'), (2, 2, '1栋'), (3, 3, '1栋')",
    "INSERT INTO households (id, building_id, unit, room) VALUES \
        (1, 1, '1', '101'), (2, 1, '1', '102'), (3, 1, '1', '201'), (4, 1, '1', '202'), \
        (5, 2, '1', '101'), (6, 3, '1', '101'), (7, 3, '1', '102')",
    "INSERT INTO takeovers (estate_id, company_id, state_before, taken_over_on, cleaning, lighting, security, refuse, greenery, repairs) VALUES \
        (1, 1, 'unmanaged', '2026-08-15', 'poor', 'poor', 'poor', 'poor', 'poor', 'poor'), \
        (2, 1, 'unmanaged', '2026-10-10', 'poor', 'poor', 'poor', 'poor', 'poor', 'poor'), \
        (3, 2, 'unmanaged', '2026-01-01', 'poor', 'poor', 'poor', 'poor', 'poor', 'poor')",
    // A: 保洁 below market; 家政 above market now (its cheaper version starts
    // in December); 维修 above market but retired; 陪护 above market until a
    // November version brought it below. B: below market. One warning: 家政.
    "INSERT INTO services (id, company_id, category, unit, name) VALUES \
        (1, 1, 'cleaning', 'per_visit', '保洁'), (2, 1, 'housekeeping', 'per_hour', '家政'), \
        (3, 1, 'repair', 'per_visit', '维修'), (4, 1, 'housekeeping', 'per_hour', '陪护'), \
        (5, 2, 'cleaning', 'per_visit', '保洁')",
    "UPDATE services SET retired_at = '2026-06-01 00:00:00' WHERE id = 3",
    "INSERT INTO service_prices (service_id, our_fen, market_fen, reason, surveyed_on, effective_from) VALUES \
        (1, 300, 500, '', '2026-01-01', '2026-01-01'), \
        (2, 6000, 5000, '进口清洁剂', '2026-01-01', '2026-01-01'), \
        (2, 4000, 5000, '', '2026-11-01', '2026-12-01'), \
        (3, 9000, 8000, '上门费', '2026-01-01', '2026-01-01'), \
        (4, 7000, 6000, '夜班', '2026-01-01', '2026-01-01'), \
        (4, 5000, 6000, '', '2026-10-20', '2026-11-01'), \
        (5, 100, 200, '', '2026-01-01', '2026-01-01')",
    // Orders (slots in China time, created and events in UTC). E1: #1
    // confirmed ★5, scheduled after 90 min (then rescheduled: the first
    // counts); #2 done, 30 min; #3 cancelled (left out); #4 disputed ★2,
    // 240 min; #5 requested, never scheduled; #7 resolved ★3, 120 min.
    // E2: #8 confirmed ★4, 60 min. E3: #9 confirmed ★1, 10 min. #10 is in
    // November, outside the period.
    "INSERT INTO work_orders (id, company_id, estate_id, household_id, service_id, channel, state, slot_start, slot_end, quantity, unit_price_fen, market_fen, amount_fen, chargeable, respond_by, stars, created_at) VALUES \
        (1, 1, 1, 1, 2, 'app', 'confirmed', '2026-09-03 09:00:00', '2026-09-03 10:00:00', 1, 6000, 5000, 6000, TRUE, '2026-09-02 00:00:00', 5, '2026-09-01 00:00:00'), \
        (2, 1, 1, 2, 2, 'app', 'done', '2026-09-10 09:00:00', '2026-09-10 10:00:00', 1, 6000, 5000, 6000, TRUE, '2026-09-09 00:00:00', NULL, '2026-09-08 00:00:00'), \
        (3, 1, 1, 3, 2, 'app', 'cancelled', '2026-09-20 09:00:00', '2026-09-20 10:00:00', 1, 6000, 5000, 6000, TRUE, '2026-09-19 00:00:00', NULL, '2026-09-18 00:00:00'), \
        (4, 1, 1, 1, 2, 'app', 'disputed', '2026-10-05 09:00:00', '2026-10-05 10:00:00', 1, 6000, 5000, 6000, TRUE, '2026-10-02 00:00:00', 2, '2026-10-01 00:00:00'), \
        (5, 1, 1, 4, 2, 'phone', 'requested', '2026-10-12 09:00:00', '2026-10-12 10:00:00', 1, 6000, 5000, 6000, TRUE, '2026-10-11 00:00:00', NULL, '2026-10-10 00:00:00'), \
        (7, 1, 1, 2, 2, 'app', 'resolved', '2026-10-20 09:00:00', '2026-10-20 10:00:00', 1, 6000, 5000, 6000, TRUE, '2026-10-16 00:00:00', 3, '2026-10-15 00:00:00'), \
        (8, 1, 2, 5, 1, 'app', 'confirmed', '2026-10-25 09:00:00', '2026-10-25 10:00:00', 1, 300, 500, 300, TRUE, '2026-10-21 00:00:00', 4, '2026-10-20 00:00:00'), \
        (9, 2, 3, 6, 5, 'app', 'confirmed', '2026-09-15 09:00:00', '2026-09-15 10:00:00', 1, 100, 200, 100, TRUE, '2026-09-14 00:00:00', 1, '2026-09-13 00:00:00'), \
        (10, 1, 1, 1, 2, 'app', 'confirmed', '2026-11-03 09:00:00', '2026-11-03 10:00:00', 1, 6000, 5000, 6000, TRUE, '2026-11-02 00:00:00', 1, '2026-11-01 00:00:00')",
    "INSERT INTO work_order_events (order_id, at, person_id, step, to_state) VALUES \
        (1, '2026-09-01 01:30:00', 1, 'schedule', 'scheduled'), \
        (1, '2026-09-02 08:00:00', 1, 'schedule', 'scheduled'), \
        (1, '2026-09-03 02:00:00', 1, 'finish', 'done'), \
        (2, '2026-09-08 00:30:00', 1, 'schedule', 'scheduled'), \
        (3, '2026-09-18 00:05:00', 1, 'schedule', 'scheduled'), \
        (4, '2026-10-01 04:00:00', 1, 'schedule', 'scheduled'), \
        (7, '2026-10-15 02:00:00', 1, 'schedule', 'scheduled'), \
        (8, '2026-10-20 01:00:00', 1, 'schedule', 'scheduled'), \
        (9, '2026-09-13 00:10:00', 1, 'schedule', 'scheduled'), \
        (10, '2026-11-01 00:01:00', 1, 'schedule', 'scheduled')",
    // Complaints about E1, by China date: 1 Sept 01:00 (in), 5 Sept (in),
    // 1 Nov 01:00 (out).
    "INSERT INTO complaints (company_id, estate_id, household_id, filed_by, filed_at, body) VALUES \
        (1, 1, 1, 1, '2026-08-31 17:00:00', '楼道没扫'), \
        (1, 1, 2, 1, '2026-09-05 10:00:00', '垃圾未清'), \
        (1, 1, 3, 1, '2026-10-31 17:00:00', '路灯坏了')",
    "INSERT INTO contracts (id, company_id, estate_id, state, starts_on, ends_on) VALUES \
        (1, 1, 1, 'active', '2026-08-15', '2027-08-14'), (2, 1, 2, 'active', '2026-10-10', '2027-10-09')",
    // E1 bills: August 50.00 (h1); September 100.00 each (h1–h4), each line
    // 20.00 under market; October 120.00 (h1), 30.00 under market;
    // November 99.99 (h1, outside). E2: October 30.00 at market price.
    "INSERT INTO bills (id, company_id, estate_id, household_id, contract_id, month, due_on, total_fen, issued_at) VALUES \
        (1, 1, 1, 1, 1, '2026-08', '2026-09-15', 5000, '2026-09-01 00:00:00'), \
        (2, 1, 1, 1, 1, '2026-09', '2026-10-15', 10000, '2026-10-01 00:00:00'), \
        (3, 1, 1, 2, 1, '2026-09', '2026-10-15', 10000, '2026-10-01 00:00:00'), \
        (4, 1, 1, 3, 1, '2026-09', '2026-10-15', 10000, '2026-10-01 00:00:00'), \
        (5, 1, 1, 4, 1, '2026-09', '2026-10-15', 10000, '2026-10-01 00:00:00'), \
        (6, 1, 1, 1, 1, '2026-10', '2026-11-15', 12000, '2026-11-01 00:00:00'), \
        (7, 1, 1, 1, 1, '2026-11', '2026-12-15', 9999, '2026-11-25 00:00:00'), \
        (8, 1, 2, 5, 2, '2026-10', '2026-11-15', 3000, '2026-11-01 00:00:00')",
    "INSERT INTO bill_lines (bill_id, kind, name_zh, name_en, detail, amount_fen, market_fen) VALUES \
        (1, 'area_fee', '物业费', 'Estate fee', '', 5000, 0), \
        (2, 'area_fee', '物业费', 'Estate fee', '', 10000, 12000), \
        (3, 'area_fee', '物业费', 'Estate fee', '', 10000, 12000), \
        (4, 'area_fee', '物业费', 'Estate fee', '', 10000, 12000), \
        (5, 'area_fee', '物业费', 'Estate fee', '', 10000, 12000), \
        (6, 'service', '家政', 'Housekeeping', '', 12000, 15000), \
        (7, 'area_fee', '物业费', 'Estate fee', '', 9999, 12000), \
        (8, 'area_fee', '物业费', 'Estate fee', '', 3000, 3000)",
    // h1 paid 250.00: August in full, September in full, 100.00 of October;
    // h2 paid September in full.
    "INSERT INTO payments (id, company_id, household_id, method, reference, amount_fen, paid_at, reason, receipt_year, receipt_seq, prev_seq) VALUES \
        (1, 1, 1, 'cash', '', 25000, '2026-10-05 02:00:00', '', 2026, 1, NULL), \
        (2, 1, 2, 'wechat', '', 10000, '2026-10-06 02:00:00', '', 2026, 2, 1)",
    "INSERT INTO allocations (payment_id, bill_id, amount_fen) VALUES (1, 1, 5000), (1, 2, 10000), (1, 6, 10000), (2, 3, 10000)",
    // E1 September disclosed 20 October (on time; a correction disclosed
    // later keeps the first date); E2 October disclosed early, 20 November;
    // E3 September disclosed 5 November, after its deadline (31 October
    // 16:00 UTC, midnight in China).
    "INSERT INTO statements (id, company_id, estate_id, month, version, corrects_id, state, figures, content_hash, submitted_at, signed_at, disclosed_at) VALUES \
        (1, 1, 1, '2026-09', 1, NULL, 'disclosed', '{}', 'h', '2026-10-10 00:00:00', '2026-10-15 00:00:00', '2026-10-20 00:00:00'), \
        (2, 1, 1, '2026-09', 2, 1, 'disclosed', '{}', 'h', '2026-11-01 00:00:00', '2026-11-05 00:00:00', '2026-11-10 00:00:00'), \
        (3, 1, 2, '2026-10', 1, NULL, 'disclosed', '{}', 'h', '2026-11-10 00:00:00', '2026-11-15 00:00:00', '2026-11-20 00:00:00'), \
        (4, 2, 3, '2026-09', 1, NULL, 'disclosed', '{}', 'h', '2026-10-25 00:00:00', '2026-11-01 00:00:00', '2026-11-05 00:00:00')",
];

fn load(t: &TestDb) {
    let mut conn = t.db.conn().expect("conn");
    for sql in ROWS {
        diesel::sql_query(*sql)
            .execute(&mut *conn)
            .unwrap_or_else(|e| panic!("{}: {e}\n{sql}", t.backend));
    }
}

fn fen(n: i64) -> Money {
    Money::from_fen(n)
}

/// Company A over September and October, worked out by hand.
fn company_a() -> Kpis {
    Kpis {
        households: 5,
        // E1 #1 #2 #4 #5 #7, E2 #8.
        orders: 6,
        // #1 #2 #7 #8 of 6 due: 66.67 %.
        completion: Some(667),
        // 30, 60, 90, 120, 240 minutes.
        median_response_minutes: Some(90),
        // (5 + 2 + 3 + 4) / 4 = 3.5.
        rating: Some(35),
        // 2 complaints over 5 households: 40 per 100.
        complaints_per_100: Some(400),
        complaints: 2,
        // Paid 300.00 of 550.00 billed: 54.55 %.
        collection: Some(545),
        billed: fen(55_000),
        // E1: 570.00 billed up to October less 350.00 paid; E2: 30.00.
        arrears: fen(25_000),
        // 4 × 20.00 + 30.00 + 0.
        saving: fen(11_000),
        prices_above_market: 1,
        // E1 September (on time), E2 October (early); E1 October is not due.
        statements_due: 2,
        statements_on_time: 2,
    }
}

fn estate_e1() -> Kpis {
    Kpis {
        households: 4,
        orders: 5,
        completion: Some(600),
        // 30, 90, 120, 240: (90 + 120) / 2.
        median_response_minutes: Some(105),
        // (5 + 2 + 3) / 3 = 3.33.
        rating: Some(33),
        complaints_per_100: Some(500),
        complaints: 2,
        // 300.00 of 520.00: 57.69 %.
        collection: Some(577),
        billed: fen(52_000),
        arrears: fen(22_000),
        saving: fen(11_000),
        prices_above_market: 1,
        statements_due: 1,
        statements_on_time: 1,
    }
}

fn company_b() -> Kpis {
    Kpis {
        households: 2,
        orders: 1,
        completion: Some(1000),
        median_response_minutes: Some(10),
        rating: Some(10),
        complaints_per_100: Some(0),
        complaints: 0,
        collection: None,
        billed: Money::ZERO,
        arrears: Money::ZERO,
        saving: Money::ZERO,
        prices_above_market: 0,
        statements_due: 1,
        statements_on_time: 0,
    }
}

#[test]
fn every_figure_matches_the_hand_count() {
    on_each_backend(|t| {
        load(t);
        let mut conn = t.db.conn().expect("conn");
        let (from, to) = (Some("2026-09"), Some("2026-10"));

        let community = party(Scope::Community(CommunityId(1)));
        let d =
            service::dashboard(&mut conn, &community, None, from, to, now()).expect("dashboard");
        assert_eq!(
            (d.period.from.as_str(), d.period.to.as_str()),
            ("2026-09", "2026-10")
        );
        assert!(
            d.units.is_empty(),
            "{}: a community has no smaller unit",
            t.backend
        );
        assert_eq!(d.companies.len(), 1, "{}", t.backend);
        let a = &d.companies[0];
        assert_eq!(a.kpis, company_a(), "{}: company A", t.backend);
        assert_eq!(d.total, company_a(), "{}: the community's total", t.backend);
        assert_eq!(a.estates.len(), 2);
        let e1 = a.estates.iter().find(|e| e.id == EstateId(1)).expect("E1");
        assert_eq!(e1.kpis, estate_e1(), "{}: E1", t.backend);
        let e2 = a.estates.iter().find(|e| e.id == EstateId(2)).expect("E2");
        assert_eq!(
            (
                e2.kpis.orders,
                e2.kpis.completion,
                e2.kpis.collection,
                e2.kpis.arrears
            ),
            (1, Some(1000), Some(0), fen(3000)),
            "{}: E2",
            t.backend
        );
        assert_eq!(a.price_warnings.len(), 1);
        assert_eq!(a.price_warnings[0].service.zh, "家政");
        assert_eq!(
            (a.price_warnings[0].ours, a.price_warnings[0].market),
            (fen(6000), fen(5000))
        );
        assert!(
            a.kpis.needs_attention(),
            "a price above market and 66.7 % completed"
        );

        // The trend: September has #1 #2, both completed; 200.00 of 400.00
        // paid; two complaints. October has #4 #5 #7 #8, two completed;
        // 100.00 of 150.00 paid.
        let months: Vec<_> = d
            .trend
            .iter()
            .map(|p| {
                (
                    p.month.as_str(),
                    p.orders,
                    p.completion,
                    p.collection,
                    p.complaints,
                )
            })
            .collect();
        assert_eq!(
            months,
            vec![
                ("2026-09", 2, Some(1000), Some(500), 2),
                ("2026-10", 4, Some(500), Some(667), 0),
            ],
            "{}",
            t.backend
        );

        // The district: both companies, streets and communities to narrow to.
        let district = party(Scope::District(DistrictId(1)));
        let d = service::dashboard(&mut conn, &district, None, from, to, now()).expect("district");
        let codes: Vec<_> = d.units.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(
            codes,
            vec!["street:1", "community:1", "street:2", "community:2"]
        );
        assert_eq!(d.companies.len(), 2);
        assert_eq!(d.companies[1].kpis, company_b(), "{}: company B", t.backend);
        assert_eq!(d.total.orders, 7);
        assert_eq!(d.total.households, 7);
        // 30, 60, 90, 120, 240 and 10: (60 + 90) / 2.
        assert_eq!(d.total.median_response_minutes, Some(75));
        assert_eq!((d.total.statements_due, d.total.statements_on_time), (3, 2));
        let narrowed =
            service::dashboard(&mut conn, &district, Some("community:2"), from, to, now())
                .expect("narrowed");
        assert_eq!(narrowed.companies.len(), 1);
        assert_eq!(narrowed.total, company_b());
        let street = party(Scope::Street(StreetId(1)));
        let by_street =
            service::dashboard(&mut conn, &street, None, from, to, now()).expect("street");
        assert_eq!(by_street.total, company_a());
        assert_eq!(
            by_street.units.len(),
            1,
            "a street narrows to its communities"
        );

        // One estate, drilled into.
        let e1 = service::estate(&mut conn, EstateId(1), from, to, now()).expect("E1");
        assert_eq!(e1.kpis, estate_e1(), "{}: drill-down", t.backend);
        assert_eq!(e1.trend.len(), 2);
        assert_eq!(e1.company.map(|(_, n)| n.zh), Some("甲公司".to_owned()));
    });
}

#[test]
fn bad_filters_are_refused_with_a_message() {
    on_each_backend(|t| {
        load(t);
        let mut conn = t.db.conn().expect("conn");
        let community = party(Scope::Community(CommunityId(1)));
        let refused = |unit: Option<&str>, from: Option<&str>, to: Option<&str>| {
            let mut conn = t.db.conn().expect("conn");
            service::dashboard(&mut conn, &community, unit, from, to, now()).err()
        };
        assert_eq!(
            refused(None, Some("2026-13"), None),
            Some(AppError::invalid("from", Key::OversightErrorBadMonth))
        );
        assert_eq!(
            refused(None, Some("2026-10"), Some("2026-09")),
            Some(AppError::invalid("from", Key::OversightErrorFromAfterTo))
        );
        assert_eq!(
            refused(None, Some("2024-01"), Some("2026-10")),
            Some(AppError::invalid("from", Key::OversightErrorPeriodTooLong))
        );
        // Another community's unit is not the caller's to choose.
        assert_eq!(
            refused(Some("community:2"), None, None),
            Some(AppError::invalid("unit", Key::OversightErrorBadUnit))
        );
        // Left out, the period is the last six months up to this one.
        let d =
            service::dashboard(&mut conn, &community, None, None, None, now()).expect("default");
        assert_eq!(
            (d.period.from.as_str(), d.period.to.as_str()),
            ("2026-06", "2026-11")
        );
        assert_eq!(d.trend.len(), 6);
    });
}

/// Runs `f` on a connection that counts the queries it sends.
fn queries_of(t: &TestDb, f: impl FnOnce(&mut app::db::DbConn)) -> usize {
    let mut conn = t.db.conn().expect("conn");
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    f(&mut conn);
    count.load(Ordering::Relaxed)
}

#[test]
fn the_district_over_the_demo_costs_as_many_queries_as_one_community() {
    on_each_backend_with_demo(now(), |t| {
        let mut conn = t.db.conn().expect("conn");
        let (district, yuquan_community) = {
            use app::db::schema::{communities, estates, streets};
            use diesel::prelude::*;
            estates::table
                .inner_join(communities::table.inner_join(streets::table))
                .filter(estates::name.eq("玉泉花园"))
                .select((streets::district_id, communities::id))
                .first::<(i64, i64)>(&mut *conn)
                .expect("玉泉花园")
        };
        drop(conn);
        let admin = party(Scope::District(DistrictId(district)));
        let mut companies = 0;
        let wide = queries_of(t, |conn| {
            let d = service::dashboard(conn, &admin, None, None, None, now()).expect("district");
            companies = d.companies.len();
        });
        assert_eq!(companies, 21, "{}: the demo's companies", t.backend);
        let community = party(Scope::Community(CommunityId(yuquan_community)));
        let narrow = queries_of(t, |conn| {
            service::dashboard(conn, &community, None, None, None, now()).expect("community");
        });
        assert_eq!(
            wide, narrow,
            "{}: queries do not grow with the scope",
            t.backend
        );
        assert!(wide <= 16, "{}: {wide} queries", t.backend);
    });
}

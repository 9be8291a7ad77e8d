//! Service contracts on both databases, through the services the server
//! functions call: the life cycle with committee review and the chair's
//! signature, history, editing only before review, the overlap rule, renewal,
//! and the terms' checks.

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::domain::access::{Caller, EstateId, Scope};
use app::domain::contracts::{ContractId, ContractState, ContractStep, FeeModel};
use app::i18n::Key;
use app::services::access::{Session, session};
use app::services::clock::Clock;
use app::services::contracts::{self, TermsForm};
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts};
use chrono::NaiveDateTime;

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

/// 玉泉花园, the demo committee's estate.
fn yuquan(committee: &Caller) -> EstateId {
    match committee.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Estate(e)) => e,
        other => panic!("committee scope: {other:?}"),
    }
}

fn terms(starts: &str, ends: &str) -> TermsForm {
    TermsForm {
        starts_on: starts.into(),
        ends_on: ends.into(),
        fee_model: "fixed_fee".into(),
        commission: String::new(),
        late_fee_daily: String::new(),
        late_fee_cap: String::new(),
        vacant_share: String::new(),
    }
}

fn state_of(conn: &mut app::db::DbConn, caller: &Caller, id: ContractId) -> ContractState {
    contracts::contract(conn, caller, id, t0())
        .expect("contract")
        .state
}

#[test]
fn a_contract_goes_through_review_to_force_and_keeps_its_history() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu").caller;
        let chair = sign_in(&state, "13800000003").caller;
        let staff = sign_in(&state, "13800000004").caller;
        let estate = yuquan(&chair);
        let mut conn = state.db.conn().expect("conn");

        // The demo's active contract for 2026 is there.
        let existing = contracts::contracts_of_estate(&mut conn, estate).expect("list");
        assert!(
            existing.iter().any(|c| c.state == ContractState::Active),
            "{}",
            t.backend
        );

        let id = contracts::draft(&mut conn, &manager, estate, t0()).expect("draft");
        let view = contracts::contract(&mut conn, &manager, id, t0()).expect("view");
        assert!(
            !view.lines.is_empty(),
            "estate-wide services are drafted in"
        );
        assert!(view.can_edit);
        assert_eq!(view.steps, vec![ContractStep::Submit]);
        // Vacant homes: a share of the area fees, 0 to 100%, all by default.
        assert_eq!(view.vacant_share.basis_points(), 10_000);
        for bad in ["abc", "101", "-5", "12.345"] {
            let form = TermsForm {
                vacant_share: bad.into(),
                ..terms("2027-01-01", "2027-12-31")
            };
            assert!(
                matches!(
                    contracts::update_terms(&mut conn, &manager, id, &form, t0()),
                    Err(AppError::Invalid { ref field, .. }) if field == "vacant_share"
                ),
                "{bad}"
            );
        }
        let form = TermsForm {
            vacant_share: "70%".into(),
            ..terms("2027-01-01", "2027-12-31")
        };
        contracts::update_terms(&mut conn, &manager, id, &form, t0()).expect("terms");
        let view = contracts::contract(&mut conn, &manager, id, t0()).expect("view");
        assert_eq!(view.vacant_share.basis_points(), 7_000);
        contracts::update_terms(
            &mut conn,
            &manager,
            id,
            &terms("2027-01-01", "2027-12-31"),
            t0(),
        )
        .expect("terms");

        // Only the right side, with comments where needed.
        assert_eq!(
            contracts::take_step(&mut conn, &staff, id, ContractStep::Submit, "", t0()),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            contracts::take_step(&mut conn, &chair, id, ContractStep::Submit, "", t0()),
            Err(AppError::Forbidden)
        );
        let admin = sign_in(&state, "admin").caller;
        assert_eq!(
            contracts::take_step(&mut conn, &admin, id, ContractStep::Submit, "", t0()),
            Err(AppError::Forbidden),
            "the administrator does not act for the company"
        );
        contracts::take_step(&mut conn, &manager, id, ContractStep::Submit, "", t0())
            .expect("submit");
        assert_eq!(
            contracts::update_terms(
                &mut conn,
                &manager,
                id,
                &terms("2027-01-01", "2027-06-30"),
                t0()
            ),
            Err(AppError::Conflict(Key::ContractErrorNotEditable)),
            "no changes under review"
        );
        assert!(matches!(
            contracts::take_step(&mut conn, &chair, id, ContractStep::Return, " ", t0()),
            Err(AppError::Invalid { .. })
        ));
        contracts::take_step(
            &mut conn,
            &chair,
            id,
            ContractStep::Return,
            "请写明楼道保洁频次",
            t0(),
        )
        .expect("return");
        assert_eq!(state_of(&mut conn, &manager, id), ContractState::Returned);
        let line = contracts::contract(&mut conn, &manager, id, t0())
            .expect("view")
            .lines[0]
            .id;
        contracts::remove_line(&mut conn, &manager, line, t0()).expect("revise");
        let service = contracts::contract(&mut conn, &manager, id, t0())
            .expect("view")
            .offered[0]
            .0;
        // A contract price keeps the promise: below the market average.
        assert_eq!(
            contracts::add_line(&mut conn, &manager, id, service, "99", "", t0()),
            Err(AppError::invalid(
                "unit_price",
                Key::ContractErrorAboveMarket
            ))
        );
        assert_eq!(
            contracts::add_line(&mut conn, &manager, id, service, "abc", "", t0()),
            Err(AppError::invalid("unit_price", Key::PriceErrorNotANumber))
        );
        contracts::add_line(&mut conn, &manager, id, service, "0.65", "按建筑面积", t0())
            .expect("line");
        assert!(
            matches!(
                contracts::add_line(&mut conn, &manager, id, service, "0.65", "", t0()),
                Err(AppError::Invalid { .. })
            ),
            "a service once per contract"
        );
        contracts::take_step(&mut conn, &manager, id, ContractStep::Submit, "", t0())
            .expect("resubmit");
        assert_eq!(
            contracts::take_step(&mut conn, &manager, id, ContractStep::Sign, "", t0()),
            Err(AppError::Forbidden)
        );
        contracts::take_step(&mut conn, &chair, id, ContractStep::Sign, "", t0()).expect("sign");
        contracts::take_step(&mut conn, &manager, id, ContractStep::Activate, "", t0())
            .expect("in force: 2027 does not overlap the 2026 contract");
        let view = contracts::contract(&mut conn, &chair, id, t0()).expect("view");
        assert_eq!(view.state, ContractState::Active);
        let steps: Vec<Option<ContractStep>> = view.events.iter().map(|e| e.step).collect();
        assert_eq!(
            steps,
            vec![
                None,
                Some(ContractStep::Submit),
                Some(ContractStep::Return),
                Some(ContractStep::Submit),
                Some(ContractStep::Sign),
                Some(ContractStep::Activate),
            ],
            "{}",
            t.backend
        );
        assert_eq!(view.events[2].comment, "请写明楼道保洁频次");
        assert_eq!(view.events[4].by, "杨春");
        assert_eq!(
            view.steps,
            vec![ContractStep::Terminate],
            "the committee may terminate"
        );
    });
}

#[test]
fn overlapping_active_contracts_for_the_same_service_are_refused() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu").caller;
        let chair = sign_in(&state, "13800000003").caller;
        let estate = yuquan(&chair);
        let mut conn = state.db.conn().expect("conn");
        // A draft for mid-2026: overlaps the demo's active 2026 contract.
        let id = contracts::draft(&mut conn, &manager, estate, t0()).expect("draft");
        contracts::update_terms(
            &mut conn,
            &manager,
            id,
            &terms("2026-07-01", "2027-06-30"),
            t0(),
        )
        .expect("terms");
        for (who, step) in [
            (&manager, ContractStep::Submit),
            (&chair, ContractStep::Sign),
        ] {
            contracts::take_step(&mut conn, who, id, step, "", t0()).expect("step");
        }
        assert_eq!(
            contracts::take_step(&mut conn, &manager, id, ContractStep::Activate, "", t0()),
            Err(AppError::Conflict(Key::ContractErrorOverlap)),
            "{}",
            t.backend
        );
        assert_eq!(state_of(&mut conn, &manager, id), ContractState::Signed);
    });
}

#[test]
fn only_the_sitting_chair_signs() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu").caller;
        let chair = sign_in(&state, "13800000003").caller;
        let estate = yuquan(&chair);
        let mut conn = state.db.conn().expect("conn");
        let id = contracts::draft(&mut conn, &manager, estate, t0()).expect("draft");
        contracts::update_terms(
            &mut conn,
            &manager,
            id,
            &terms("2028-01-01", "2028-12-31"),
            t0(),
        )
        .expect("terms");
        contracts::take_step(&mut conn, &manager, id, ContractStep::Submit, "", t0())
            .expect("submit");
        // A new committee whose chair has no account: 杨春 is no longer chair.
        let admin = sign_in(&state, "admin").caller;
        app::services::estates::start_committee(
            &mut conn,
            &admin,
            estate,
            "2026-11-01",
            "2031-10-31",
            t0(),
        )
        .expect("new committee");
        assert_eq!(
            contracts::take_step(&mut conn, &chair, id, ContractStep::Sign, "", t0()),
            Err(AppError::Conflict(Key::ContractErrorChairOnly)),
            "{}",
            t.backend
        );
    });
}

#[test]
fn renewal_and_terms_checks() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu").caller;
        let chair = sign_in(&state, "13800000003").caller;
        let estate = yuquan(&chair);
        let mut conn = state.db.conn().expect("conn");
        let active = contracts::contracts_of_estate(&mut conn, estate)
            .expect("list")
            .into_iter()
            .find(|c| c.state == ContractState::Active)
            .expect("the demo contract");
        // It cannot expire before its term is over; after, it can.
        assert_eq!(
            contracts::take_step(
                &mut conn,
                &manager,
                active.id,
                ContractStep::Expire,
                "",
                t0()
            ),
            Err(AppError::Conflict(Key::ContractErrorNotEnded))
        );
        let next_year = t0() + chrono::Duration::days(40);
        contracts::take_step(
            &mut conn,
            &manager,
            active.id,
            ContractStep::Expire,
            "",
            next_year,
        )
        .expect("expired after its term");
        let renewal = contracts::renew(&mut conn, &manager, active.id, t0()).expect("renew");
        let view = contracts::contract(&mut conn, &manager, renewal, t0()).expect("view");
        assert_eq!(view.state, ContractState::Draft);
        assert_eq!(view.renews, Some(active.id));
        assert_eq!(view.starts_on.to_string(), "2027-01-01");
        assert_eq!(view.ends_on.to_string(), "2027-12-31");
        let old = contracts::contract(&mut conn, &manager, active.id, t0()).expect("old");
        assert_eq!(old.renewed_by, Some(renewal));
        assert_eq!(old.lines.len(), view.lines.len());
        assert_eq!(
            contracts::renew(&mut conn, &manager, active.id, t0()),
            Err(AppError::Conflict(Key::ContractErrorRenewed)),
            "{}",
            t.backend
        );

        let mut bad = terms("2027-01-01", "2027-12-31");
        bad.fee_model = "commission".into();
        assert!(matches!(
            contracts::update_terms(&mut conn, &manager, renewal, &bad, t0()),
            Err(AppError::Invalid { field, .. }) if field == "commission"
        ));
        bad.commission = "12.5".into();
        bad.late_fee_daily = "2".into();
        bad.late_fee_cap = "10".into();
        assert!(
            matches!(
                contracts::update_terms(&mut conn, &manager, renewal, &bad, t0()),
                Err(AppError::Invalid { field, .. }) if field == "late_fee_daily"
            ),
            "more than 1% a day"
        );
        bad.late_fee_daily = "0.05".into();
        contracts::update_terms(&mut conn, &manager, renewal, &bad, t0()).expect("terms");
        let view = contracts::contract(&mut conn, &manager, renewal, t0()).expect("view");
        assert_eq!(view.fee_model, FeeModel::Commission);
        assert_eq!(view.commission.map(|p| p.basis_points()), Some(1250));
        assert_eq!(view.late_fee.map(|l| l.daily.basis_points()), Some(5));
        assert!(matches!(
            contracts::update_terms(&mut conn, &manager, renewal, &terms("2027-12-31", "2027-01-01"), t0()),
            Err(AppError::Invalid { field, .. }) if field == "ends_on"
        ));
    });
}

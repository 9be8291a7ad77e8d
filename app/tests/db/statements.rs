//! Monthly accounts on both databases, through the services the server
//! functions call: the figures against the ledger and the entries behind
//! them, to the fen; expenses spread over estates; the review (query,
//! answer, sign); a signed statement frozen in code and in the database;
//! corrections as new versions; the second-signer rule; who sees what.
//!
//! The demo is seeded at t0 (2026-11-27, midday in China): Wenhui's
//! September and October are billed and mostly paid, with expenses;
//! September's statements are signed and disclosed; 玉泉花园's October is
//! not submitted.

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::db::schema::{
    bills, buildings, companies, expense_shares, expenses, households, ledger_lines, outbox,
    payments, persons, statements as statements_t,
};
use app::db::{DbConn, roster};
use app::domain::Money;
use app::domain::access::{Action, Caller, EstateId, Scope, authorize};
use app::domain::billing::{BillLineKind, BillMonth};
use app::domain::statements::{ReviewStep, StatementId, StatementState};
use app::domain::time::from_china;
use app::i18n::Key;
use app::services::access::{Session, Target, place_of, session};
use app::services::clock::Clock;
use app::services::seed::DEMO_PASSWORD;
use app::services::statements::{self as service, ExpenseForm};
use app::services::{AppState, accounts};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

/// 2026-11-27 04:00 UTC, midday in China.
fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(4, 0, 0))
        .expect("valid")
}

struct World {
    state: AppState,
    /// 和秀, Wenhui's general manager.
    manager: Caller,
    /// 杨春, chair of 玉泉花园's committee.
    chair: Caller,
    /// 木林, Xi'an street Party working committee.
    street: Caller,
    /// 和美华, a resident of 玉泉花园.
    resident: Caller,
    yuquan: EstateId,
}

fn sign_in(state: &AppState, login: &str) -> Caller {
    let signed = accounts::login(state, login, DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
    let mut conn = state.db.conn().expect("conn");
    let live: Session = session(&mut conn, &signed.token, &state.auth.session, t0())
        .expect("session")
        .expect("live");
    live.caller
}

fn world(t: &TestDb) -> World {
    let state = AppState::new(t.db.clone()).with_clock(Clock::Fixed(t0()));
    let chair = sign_in(&state, "13800000003");
    let yuquan = match chair.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Estate(e)) => e,
        other => panic!("committee scope: {other:?}"),
    };
    World {
        manager: sign_in(&state, "hexiu"),
        street: sign_in(&state, "13800000005"),
        resident: sign_in(&state, "13800000001"),
        chair,
        yuquan,
        state,
    }
}

/// The estates of 玉泉花园's company (Wenhui).
fn wenhui_estates(conn: &mut DbConn, yuquan: EstateId) -> Vec<app::db::statements::EstateSize> {
    let (company, ..) = app::db::statements::estate_facts(conn, yuquan.0).expect("facts");
    app::db::statements::estates_of_company(conn, company.expect("company")).expect("estates")
}

fn sum(column: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

fn month(code: &str) -> BillMonth {
    BillMonth::parse(code).expect("month")
}

/// The ledger's own word on an estate's month: income per account from the
/// month's bills, receivable raised, money received in the month.
struct LedgerSide {
    income: Vec<(String, i64)>,
    receivable: i64,
    received: i64,
    receivable_balance: i64,
}

fn ledger_side(conn: &mut DbConn, estate: i64, code: &str) -> LedgerSide {
    let bill_ids: Vec<i64> = bills::table
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.eq(code))
        .select(bills::id)
        .load(conn)
        .expect("bills");
    let income: Vec<(String, i64)> = ledger_lines::table
        .filter(ledger_lines::source.eq("bill"))
        .filter(ledger_lines::source_id.eq_any(&bill_ids))
        .filter(ledger_lines::account.ne("receivable"))
        .group_by(ledger_lines::account)
        .select((ledger_lines::account, sum("ledger_lines.amount_fen")))
        .order(ledger_lines::account)
        .load(conn)
        .expect("income");
    let receivable: i64 = ledger_lines::table
        .filter(ledger_lines::source.eq("bill"))
        .filter(ledger_lines::source_id.eq_any(&bill_ids))
        .filter(ledger_lines::account.eq("receivable"))
        .select(sum("ledger_lines.amount_fen"))
        .first(conn)
        .expect("receivable");
    let m = month(code);
    let local = |d: NaiveDate| from_china(d.and_time(NaiveTime::MIN));
    let in_month: Vec<i64> = payments::table
        .inner_join(households::table.inner_join(buildings::table))
        .filter(buildings::estate_id.eq(estate))
        .filter(payments::paid_at.ge(local(m.first_day())))
        .filter(payments::paid_at.lt(local(m.next().first_day())))
        .select(payments::id)
        .load(conn)
        .expect("payments");
    let received: i64 = ledger_lines::table
        .filter(ledger_lines::source.eq("payment"))
        .filter(ledger_lines::source_id.eq_any(&in_month))
        .filter(ledger_lines::account.ne("receivable"))
        .select(sum("ledger_lines.amount_fen"))
        .first(conn)
        .expect("received");
    let estate_households: Vec<i64> = households::table
        .inner_join(buildings::table)
        .filter(buildings::estate_id.eq(estate))
        .select(households::id)
        .load(conn)
        .expect("households");
    let receivable_balance: i64 = ledger_lines::table
        .filter(ledger_lines::account.eq("receivable"))
        .filter(ledger_lines::household_id.eq_any(&estate_households))
        .select(sum("ledger_lines.amount_fen"))
        .first(conn)
        .expect("balance");
    LedgerSide {
        income,
        receivable,
        received,
        receivable_balance,
    }
}

#[test]
fn statement_figures_reconcile_with_the_ledger_to_the_fen() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        for code in ["2026-09", "2026-10"] {
            let f = service::figures(&mut conn, w.yuquan, month(code)).expect("figures");
            let l = ledger_side(&mut conn, w.yuquan.0, code);
            assert!(f.billed().fen() > 0, "{code} is billed");
            // Income per ledger account (credits are negative there).
            let mut by_account: Vec<(String, i64)> = Vec::new();
            for line in &f.income {
                let account = line.kind.income_account().code().to_owned();
                match by_account.iter_mut().find(|(a, _)| *a == account) {
                    Some(entry) => entry.1 -= line.billed.fen(),
                    None => by_account.push((account, -line.billed.fen())),
                }
            }
            by_account.sort();
            assert_eq!(by_account, l.income, "{code}: income by account");
            assert_eq!(
                f.billed().fen(),
                l.receivable,
                "{code}: billed = receivable raised"
            );
            assert_eq!(
                f.collected.fen(),
                l.received,
                "{code}: collected = cash and bank in"
            );
            // September's bills went out on 1 October: its money came in October.
            assert_eq!(f.collected.fen() > 0, code == "2026-10");
            assert!(f.income.iter().any(|i| i.kind == BillLineKind::AreaFee));
        }
        // Up to October (nothing later is billed), arrears are what the
        // households' receivable accounts still carry.
        let october = service::figures(&mut conn, w.yuquan, month("2026-10")).expect("figures");
        let l = ledger_side(&mut conn, w.yuquan.0, "2026-10");
        assert_eq!(october.arrears.fen(), l.receivable_balance);
        assert!(october.households_in_arrears > 0);

        // Expenses: the estate's shares of the month, the maintenance fund
        // kept apart; every expense's shares add up to it.
        let shares: i64 = expense_shares::table
            .inner_join(expenses::table)
            .filter(expense_shares::estate_id.eq(w.yuquan.0))
            .filter(expenses::month.eq("2026-10"))
            .filter(expenses::category.ne("maintenance_fund"))
            .select(sum("expense_shares.amount_fen"))
            .first(&mut conn)
            .expect("shares");
        assert!(shares > 0);
        assert_eq!(october.running_costs().fen(), shares);
        assert_eq!(
            october.balance(),
            october.collected - october.running_costs()
        );
        let totals: Vec<(i64, i64)> = expenses::table
            .select((expenses::id, expenses::amount_fen))
            .load(&mut conn)
            .expect("expenses");
        for (id, amount) in totals {
            let parts: i64 = expense_shares::table
                .filter(expense_shares::expense_id.eq(id))
                .select(sum("amount_fen"))
                .first(&mut conn)
                .expect("parts");
            assert_eq!(parts, amount, "expense {id}");
        }
        // Savings: market minus our price over the priced lines; a below-
        // market company saves its residents money.
        assert!(october.saving() > Money::ZERO);
        assert_eq!(october.common_income_total(), Money::from_fen(120_000));
        assert!(!october.fee_items.is_empty());
    });
}

#[test]
fn an_expense_is_spread_exactly_and_bad_input_changes_nothing() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let company = wenhui_estates(&mut conn, w.yuquan);
        let all: Vec<i64> = company.iter().map(|e| e.id).collect();
        let form = |amount: &str, rule: &str, estates: Vec<i64>, on: &str| ExpenseForm {
            spent_on: on.into(),
            category: "supplies".into(),
            description: "扫帚".into(),
            amount: amount.into(),
            rule: rule.into(),
            estates,
            photo: String::new(),
        };
        let count =
            |conn: &mut DbConn| -> i64 { expenses::table.count().get_result(conn).expect("count") };
        let before = count(&mut conn);
        for (bad, field) in [
            (form("0", "households", all.clone(), "2026-11-02"), "amount"),
            (
                form("12.345", "households", all.clone(), "2026-11-02"),
                "amount",
            ),
            (
                form("100", "households", all.clone(), "2026-11-30"),
                "spent_on",
            ),
            (form("100", "households", vec![], "2026-11-02"), "estates"),
            (
                form("100", "households", vec![all[0], 999_999], "2026-11-02"),
                "estates",
            ),
            (form("100", "evenly", all.clone(), "2026-11-02"), "rule"),
        ] {
            match service::record_expense(&mut conn, &w.manager, w.yuquan, &bad, t0()) {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert_eq!(count(&mut conn), before, "nothing recorded");

        // 1,000.01 by households over the three estates: the shares add up.
        let id = service::record_expense(
            &mut conn,
            &w.manager,
            w.yuquan,
            &form("1000.01", "households", all.clone(), "2026-11-02"),
            t0(),
        )
        .expect("recorded");
        let parts: Vec<i64> = expense_shares::table
            .filter(expense_shares::expense_id.eq(id.0))
            .select(expense_shares::amount_fen)
            .load(&mut conn)
            .expect("parts");
        assert_eq!(parts.len(), all.len());
        assert_eq!(parts.iter().sum::<i64>(), 100_001);
        let overview =
            service::accounts(&mut conn, &w.manager, w.yuquan, "2026-11", t0()).expect("page");
        let listed = overview
            .expenses
            .iter()
            .find(|e| e.id == id)
            .expect("listed");
        assert_eq!(listed.amount, Money::from_fen(100_001));
        assert_eq!(listed.shared_with.len(), all.len() - 1);
    });
}

fn statement_of(conn: &mut DbConn, w: &World, code: &str) -> StatementId {
    service::page(conn, &w.manager, w.yuquan, code, t0())
        .expect("page")
        .versions
        .first()
        .map(|v| v.id)
        .expect("a version")
}

fn step(
    w: &World,
    who: &Caller,
    id: StatementId,
    step: ReviewStep,
    body: &str,
) -> Result<(), AppError> {
    let mut conn = w.state.db.conn().expect("conn");
    service::review_step(&mut conn, &w.state.site_url, who, id, step, body, t0())
}

const SIGN: ReviewStep = ReviewStep::Sign {
    second_signer_needed: false,
};

#[test]
fn the_review_ends_in_a_frozen_disclosed_statement_corrected_only_by_a_new_version() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        // November is not over: it cannot be submitted.
        assert!(matches!(
            service::submit(
                &mut conn,
                &w.state.site_url,
                &w.manager,
                w.yuquan,
                "2026-11",
                None,
                t0()
            ),
            Err(AppError::Invalid { .. })
        ));
        let page = service::page(&mut conn, &w.manager, w.yuquan, "2026-10", t0()).expect("page");
        assert!(page.versions.is_empty() && page.draft.is_some() && page.rights.submit);
        // The chair and a resident have mail addresses: the chair hears of
        // the submission (and the answer), the resident of the disclosure.
        for (person, address) in [
            (&w.chair, "yangchun@example.cn"),
            (&w.resident, "hemeihua@example.cn"),
        ] {
            diesel::update(persons::table.find(person.person.0))
                .set(persons::email.eq(address))
                .execute(&mut conn)
                .expect("email");
        }
        service::submit(
            &mut conn,
            &w.state.site_url,
            &w.manager,
            w.yuquan,
            "2026-10",
            None,
            t0(),
        )
        .expect("submit");
        assert!(matches!(
            service::submit(
                &mut conn,
                &w.state.site_url,
                &w.manager,
                w.yuquan,
                "2026-10",
                None,
                t0()
            ),
            Err(AppError::Conflict(Key::AccountsErrorAlreadySubmitted))
        ));
        let id = statement_of(&mut conn, &w, "2026-10");

        // Only the chair queries and signs; the manager only answers.
        assert_eq!(
            step(&w, &w.manager, id, ReviewStep::Query, "?"),
            Err(AppError::Forbidden)
        );
        assert_eq!(step(&w, &w.street, id, SIGN, ""), Err(AppError::Forbidden));
        assert!(matches!(
            step(&w, &w.chair, id, ReviewStep::Query, "  "),
            Err(AppError::Invalid { .. })
        ));
        step(
            &w,
            &w.chair,
            id,
            ReviewStep::Query,
            "维修费为什么比上月高？",
        )
        .expect("query");
        assert_eq!(
            step(&w, &w.chair, id, SIGN, ""),
            Err(AppError::Conflict(Key::AccountsErrorQueryOpen))
        );
        assert_eq!(
            step(&w, &w.chair, id, ReviewStep::Answer, "x"),
            Err(AppError::Forbidden)
        );
        step(
            &w,
            &w.manager,
            id,
            ReviewStep::Answer,
            "更换了单元门禁，发票已附。",
        )
        .expect("answer");
        step(&w, &w.chair, id, SIGN, "").expect("sign");

        let mails = |conn: &mut DbConn, kind: &str| -> Vec<String> {
            outbox::table
                .filter(outbox::kind.eq(kind))
                .select(outbox::to_address)
                .load(conn)
                .expect("outbox")
        };
        assert_eq!(
            mails(&mut conn, "statement_ready"),
            vec!["yangchun@example.cn"; 2]
        );
        assert_eq!(
            mails(&mut conn, "statement_disclosed"),
            vec!["hemeihua@example.cn"]
        );
        let page = service::page(&mut conn, &w.chair, w.yuquan, "2026-10", t0()).expect("page");
        let v1 = &page.versions[0];
        assert_eq!(v1.state, StatementState::Disclosed);
        assert_eq!(v1.signed_by.as_deref(), Some("杨春"));
        assert!(v1.hash_verified && v1.disclosed_at.is_some() && v1.second_reason.is_none());
        assert_eq!(v1.notes.len(), 2);
        let frozen = (v1.figures.clone(), v1.content_hash.clone());

        // Signed is signed: no step, no resubmission, and the database
        // itself refuses to change the figures or their hash.
        for s in [ReviewStep::Query, ReviewStep::Answer, SIGN] {
            let who = if s == ReviewStep::Answer {
                &w.manager
            } else {
                &w.chair
            };
            assert_eq!(
                step(&w, who, id, s, "再看看"),
                Err(AppError::Conflict(Key::AccountsErrorAlreadySigned)),
                "{s:?}"
            );
        }
        assert_eq!(
            app::db::statements::refresh_figures(&mut conn, id.0, "{}", "0").ok(),
            Some(0)
        );
        let target = || statements_t::table.find(id.0);
        assert!(
            diesel::update(target())
                .set(statements_t::content_hash.eq("forged"))
                .execute(&mut conn)
                .is_err()
        );
        assert!(
            diesel::update(target())
                .set(statements_t::figures.eq("{}"))
                .execute(&mut conn)
                .is_err()
        );
        assert!(
            diesel::update(target())
                .set(statements_t::signed_at.eq(None::<NaiveDateTime>))
                .execute(&mut conn)
                .is_err()
        );
        assert!(
            diesel::update(target())
                .set(statements_t::state.eq("submitted"))
                .execute(&mut conn)
                .is_err()
        );
        assert!(diesel::delete(target()).execute(&mut conn).is_err());

        // A late invoice, with its photo: the correction is version 2,
        // pointing at version 1, which stays as it was.
        let late = service::record_expense(
            &mut conn,
            &w.manager,
            w.yuquan,
            &ExpenseForm {
                spent_on: "2026-10-30".into(),
                category: "repairs".into(),
                description: "水泵检修（发票晚到）".into(),
                amount: "860".into(),
                rule: "single".into(),
                estates: vec![],
                photo: app::domain::data_url::DataUrl {
                    mime: "image/jpeg".into(),
                    bytes: vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
                }
                .to_url(),
            },
            t0(),
        )
        .expect("late expense");
        let photo = service::expense_photo(&mut conn, w.yuquan, late).expect("photo");
        assert_eq!(photo, "data:image/jpeg;base64,/9j/4AECAw==");
        let elsewhere = wenhui_estates(&mut conn, w.yuquan)
            .into_iter()
            .find(|e| e.id != w.yuquan.0)
            .expect("another estate");
        assert_eq!(
            service::expense_photo(&mut conn, EstateId(elsewhere.id), late),
            Err(AppError::NotFound)
        );
        assert!(matches!(
            service::submit(
                &mut conn,
                &w.state.site_url,
                &w.manager,
                w.yuquan,
                "2026-10",
                Some(" "),
                t0()
            ),
            Err(AppError::Invalid { .. })
        ));
        service::submit(
            &mut conn,
            &w.state.site_url,
            &w.manager,
            w.yuquan,
            "2026-10",
            Some("水泵检修发票晚到"),
            t0(),
        )
        .expect("correction");
        let page = service::page(&mut conn, &w.chair, w.yuquan, "2026-10", t0()).expect("page");
        let (v2, old) = (&page.versions[0], &page.versions[1]);
        assert_eq!(
            (v2.version, v2.corrects, v2.state),
            (2, Some(id), StatementState::Submitted)
        );
        assert_eq!(
            v2.figures.running_costs() - frozen.0.running_costs(),
            Money::from_fen(86_000)
        );
        assert_eq!((old.figures.clone(), old.content_hash.clone()), frozen);
        assert_eq!(old.corrected_by, Some(2));
        assert!(old.hash_verified);
        // The corrected version is history: nobody acts on it any more.
        assert_eq!(
            step(&w, &w.chair, id, ReviewStep::Query, "?"),
            Err(AppError::Conflict(Key::AccountsErrorSuperseded))
        );

        // The estate's resident sees the disclosed version only, without
        // the review thread or a draft; a resident elsewhere sees nothing.
        let seen = service::page(&mut conn, &w.resident, w.yuquan, "2026-10", t0()).expect("page");
        assert_eq!(seen.versions.len(), 1);
        assert_eq!(seen.versions[0].version, 1);
        assert!(seen.draft.is_none() && seen.versions[0].notes.is_empty() && !seen.insider);
        let notices = service::disclosures(&mut conn, w.yuquan).expect("notices");
        assert!(
            notices
                .items
                .iter()
                .any(|n| n.month == month("2026-10") && n.corrected_by.is_none())
        );
        let place =
            place_of(&mut conn, Target::EstateNotice(w.yuquan), Some(&w.resident)).expect("place");
        assert_eq!(
            authorize(Some(&w.resident), Action::ViewDisclosures, &place),
            Ok(())
        );
        let place = place_of(
            &mut conn,
            Target::EstateNotice(EstateId(elsewhere.id)),
            Some(&w.resident),
        )
        .expect("place");
        assert!(authorize(Some(&w.resident), Action::ViewDisclosures, &place).is_err());
    });
}

#[test]
fn a_second_signer_is_needed_exactly_when_the_chair_holds_a_company_post() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let (wenhui, ..) = app::db::statements::estate_facts(&mut conn, w.yuquan.0).expect("facts");
        let wenhui = wenhui.expect("company");
        let other: i64 = companies::table
            .filter(companies::id.ne(wenhui))
            .select(companies::id)
            .first(&mut conn)
            .expect("another company");
        let post = |conn: &mut DbConn, company: i64, from: (i32, u32, u32)| {
            roster::insert_post(
                conn,
                &roster::NewPost {
                    person_id: w.chair.person.0,
                    company_id: Some(company),
                    party_organization_id: None,
                    title: "副经理",
                    starts_on: NaiveDate::from_ymd_opt(from.0, from.1, from.2).expect("date"),
                },
            )
            .expect("post")
        };
        // Signs a fresh month and says whether a second signature is awaited.
        let sign_month = |conn: &mut DbConn, code: &str| -> StatementState {
            service::submit(
                conn,
                &w.state.site_url,
                &w.manager,
                w.yuquan,
                code,
                None,
                t0(),
            )
            .expect("submit");
            let id = statement_of(conn, &w, code);
            step(&w, &w.chair, id, SIGN, "").expect("sign");
            service::page(conn, &w.manager, w.yuquan, code, t0())
                .expect("page")
                .versions[0]
                .state
        };

        // No post; a post at another company; a Wenhui post that has ended.
        assert_eq!(sign_month(&mut conn, "2026-08"), StatementState::Disclosed);
        post(&mut conn, other, (2025, 1, 1));
        assert_eq!(sign_month(&mut conn, "2026-07"), StatementState::Disclosed);
        let ended = post(&mut conn, wenhui, (2025, 1, 1));
        roster::end_post(
            &mut conn,
            ended,
            NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
        )
        .expect("end");
        assert_eq!(sign_month(&mut conn, "2026-06"), StatementState::Disclosed);

        // A current Wenhui post: the chair's signature alone does not
        // disclose; the page says why; neither the chair nor the manager may
        // give the second signature; the street Party committee does.
        let current = post(&mut conn, wenhui, (2026, 11, 1));
        service::submit(
            &mut conn,
            &w.state.site_url,
            &w.manager,
            w.yuquan,
            "2026-05",
            None,
            t0(),
        )
        .expect("submit");
        let before = service::page(&mut conn, &w.chair, w.yuquan, "2026-05", t0()).expect("page");
        assert!(
            before
                .chair_post
                .as_deref()
                .is_some_and(|p| p.contains("副经理"))
        );
        let id = statement_of(&mut conn, &w, "2026-05");
        step(&w, &w.chair, id, SIGN, "").expect("sign");
        let page = service::page(&mut conn, &w.street, w.yuquan, "2026-05", t0()).expect("page");
        assert_eq!(page.versions[0].state, StatementState::ChairSigned);
        assert!(page.versions[0].second_reason.is_some());
        assert!(page.rights.second_sign);
        assert_eq!(
            step(&w, &w.chair, id, ReviewStep::SecondSign, ""),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            step(&w, &w.manager, id, ReviewStep::SecondSign, ""),
            Err(AppError::Forbidden)
        );
        assert!(
            !service::disclosures(&mut conn, w.yuquan)
                .expect("notices")
                .items
                .iter()
                .any(|n| n.month == month("2026-05"))
        );
        step(&w, &w.street, id, ReviewStep::SecondSign, "").expect("second signature");
        let done = service::page(&mut conn, &w.chair, w.yuquan, "2026-05", t0()).expect("page");
        assert_eq!(done.versions[0].state, StatementState::Disclosed);
        assert_eq!(done.versions[0].second_signed_by.as_deref(), Some("木林"));

        // Submitted while the chair holds the post; the post is ended (even
        // back-dated) before the chair signs: that statement still needs
        // its second signature. The next one submitted does not.
        service::submit(
            &mut conn,
            &w.state.site_url,
            &w.manager,
            w.yuquan,
            "2026-04",
            None,
            t0(),
        )
        .expect("submit");
        roster::end_post(
            &mut conn,
            current,
            NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        )
        .expect("end");
        let id = statement_of(&mut conn, &w, "2026-04");
        step(&w, &w.chair, id, SIGN, "").expect("sign");
        let page = service::page(&mut conn, &w.street, w.yuquan, "2026-04", t0()).expect("page");
        assert_eq!(
            page.versions[0].state,
            StatementState::ChairSigned,
            "{}",
            t.backend
        );
        assert!(page.versions[0].second_reason.is_some());
        assert_eq!(sign_month(&mut conn, "2026-03"), StatementState::Disclosed);
    });
}

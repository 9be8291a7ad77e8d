//! Billing on both databases, through the services the server functions and
//! the command line call: the month's run (exact area fees, vacant homes,
//! late fees, corrections, idempotency), payments and their receipt numbers
//! (gapless under concurrency, enforced by the database), reversals, the
//! ledger, arrears with the escalation ladder and reminders, and exports.
//!
//! The demo is seeded at t0 (2026-11-27, midday in China): Wenhui's
//! September and October are billed and mostly paid; households whose id is
//! a multiple of 13 never pay. November is left for the tests to issue.

use std::sync::Barrier;

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::db::billing as db;
use app::db::{DbConn, estates as estates_db};
use app::domain::Money;
use app::domain::access::{Caller, HouseholdId};
use app::domain::billing::{AgingBucket, ArrearsStage, BillLineKind, PaymentMethod};
use app::domain::org::CompanyId;
use app::i18n::Key;
use app::services::access::{Session, session};
use app::services::billing::{self, PaymentForm};
use app::services::clock::Clock;
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// 2026-11-27 04:00 UTC, midday in China.
fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(4, 0, 0))
        .expect("valid")
}

const NOVEMBER: &str = "2026-11";

struct World {
    state: AppState,
    /// 和秀, Wenhui's general manager.
    manager: Caller,
    /// 王芳, Wenhui's cashier.
    cashier: Caller,
    company: CompanyId,
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
    let manager = sign_in(&state, "hexiu");
    let cashier = sign_in(&state, "13800000006");
    let mut conn = state.db.conn().expect("conn");
    let company = billing::find_company(&mut conn, "文汇社区城市服务公司").expect("wenhui");
    World {
        state,
        manager,
        cashier,
        company,
    }
}

impl World {
    fn run(&self, month: &str) -> billing::RunOutcome {
        billing::run_month(&self.state, self.company, month, None, t0(), &mut |_, _| {})
            .expect("run")
    }

    fn pay(
        &self,
        conn: &mut DbConn,
        household: i64,
        amount: &str,
        method: &str,
        reference: &str,
        token: &str,
    ) -> Result<app::domain::billing::Recorded, AppError> {
        self.pay_at(conn, household, amount, (method, reference), token, t0())
    }

    fn pay_at(
        &self,
        conn: &mut DbConn,
        household: i64,
        amount: &str,
        (method, reference): (&str, &str),
        token: &str,
        now: NaiveDateTime,
    ) -> Result<app::domain::billing::Recorded, AppError> {
        billing::record_payment(
            conn,
            &self.state,
            &self.cashier,
            HouseholdId(household),
            &PaymentForm {
                amount: amount.into(),
                method: method.into(),
                reference: reference.into(),
                bill: 0,
                form_token: token.into(),
            },
            now,
        )
    }
}

fn invalid<T: std::fmt::Debug>(result: Result<T, AppError>) -> (String, Key) {
    match result.expect_err("refused") {
        AppError::Invalid { field, message } => (field, message),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn fen(yuan: &str) -> Money {
    Money::parse(yuan).expect("money")
}

/// Half-up to the fen, by hand.
fn round(d: Decimal) -> Money {
    Money::round_half_up(d).expect("money")
}

/// The first Wenhui household that never pays (id a multiple of 13) and owes
/// both September and October.
fn debtor(conn: &mut DbConn, company: CompanyId) -> i64 {
    let standings = db::standings(conn, None, Some(company.0), None).expect("standings");
    standings
        .iter()
        .map(|s| s.bill.household_id)
        .filter(|h| h % 13 == 0)
        .find(|h| {
            standings
                .iter()
                .filter(|s| s.bill.household_id == *h && s.outstanding_fen() > 0)
                .count()
                == 2
        })
        .expect("a household owing two months")
}

/// A new household in 玉泉花园 with the given floor area (hundredths of m²).
fn new_household(conn: &mut DbConn, room: &str, area: i64, vacant: bool) -> i64 {
    let estate = estates_db::open_estates(conn)
        .expect("estates")
        .into_iter()
        .find(|e| e.name == "玉泉花园")
        .expect("玉泉花园");
    let building = estates_db::buildings_of_estate(conn, estate.id).expect("buildings")[0].id;
    estates_db::insert_household(
        conn,
        &estates_db::NewHousehold {
            building_id: building,
            unit: "9单元",
            room,
            floor_area: Some(area),
            vacant,
        },
    )
    .expect("household")
}

fn bill_of(conn: &mut DbConn, household: i64, month: &str) -> (db::BillRow, Vec<db::LineRow>) {
    let bill = db::bills_of_household(conn, household)
        .expect("bills")
        .into_iter()
        .find(|b| b.month == month)
        .expect("the month's bill");
    let lines = db::lines_of(conn, &[bill.id]).expect("lines");
    (bill, lines)
}

#[test]
fn the_month_run_bills_area_times_rate_once_per_household_and_a_rerun_issues_nothing() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        // 89.53 m²: 89.53 × 0.71 = 63.5663 → 63.57; × 0.20 = 17.906 → 17.91.
        let lived_in = new_household(&mut conn, "901", 8_953, false);
        // Vacant 100.00 m² at the contract's 70%: 49.70 and 14.00.
        let vacant = new_household(&mut conn, "902", 10_000, true);
        let preview = billing::preview(&mut conn, w.company, NOVEMBER, t0()).expect("preview");
        let households: u32 = preview.estates.iter().map(|e| e.households).sum();
        assert_eq!(
            preview.to_issue, households,
            "nothing billed for November yet"
        );

        // December has not begun: nothing may be issued for it.
        assert_eq!(
            invalid(
                billing::begin_run(&mut conn, w.company, "2026-12", None, t0(), false).map(|_| ())
            ),
            ("month".to_owned(), Key::BillingErrorFutureMonth)
        );
        let first = w.run(NOVEMBER);
        assert_eq!(first.issued, households);
        assert_eq!(
            first.total, preview.total,
            "the preview said what the run did"
        );

        let (bill, lines) = bill_of(&mut conn, lived_in, NOVEMBER);
        let amounts: Vec<i64> = lines.iter().map(|l| l.amount_fen).collect();
        assert_eq!(amounts, vec![6_357, 1_791]);
        assert_eq!(
            bill.total_fen, 8_148,
            "the total is the sum of the rounded lines"
        );
        assert_eq!(
            bill.due_on,
            NaiveDate::from_ymd_opt(2026, 12, 15).expect("date")
        );
        let (bill, _) = bill_of(&mut conn, vacant, NOVEMBER);
        assert_eq!(bill.total_fen, 4_970 + 1_400);

        // Again, and once more after a crash left the run marked running:
        // nothing new.
        assert_eq!(w.run(NOVEMBER).issued, 0);
        db::start_run(&mut conn, w.company.0, NOVEMBER, 0, None, t0()).expect("stale");
        assert_eq!(w.run(NOVEMBER).issued, 0);
        let november: Vec<_> = db::standings(&mut conn, None, Some(w.company.0), None)
            .expect("standings")
            .into_iter()
            .filter(|s| s.bill.month == NOVEMBER)
            .collect();
        assert_eq!(november.len(), households as usize);
        let mut ids: Vec<i64> = november.iter().map(|s| s.bill.household_id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), households as usize, "one bill per household");
        let status = billing::run_of(&mut conn, w.company, NOVEMBER)
            .expect("status")
            .expect("a run");
        assert_eq!((status.done, status.total), (households, households));

        // The ledger balances entry by entry and in total.
        assert!(
            db::unbalanced_sources(&mut conn, w.company.0)
                .expect("sources")
                .is_empty()
        );
        let tb = billing::trial_balance(&mut conn, w.company).expect("trial balance");
        assert_eq!(tb.debit, tb.credit);
    });
}

#[test]
fn late_fees_follow_the_clause_up_to_the_cap_and_corrections_go_on_the_next_bill() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let household = debtor(&mut conn, w.company);
        let (september, _) = bill_of(&mut conn, household, "2026-09");
        let (october, october_lines) = bill_of(&mut conn, household, "2026-10");
        // October's bill carried September's late fee for 17 days (Oct 15 →
        // Nov 1) at 0.05% a day.
        let billed_on_september: i64 = october_lines
            .iter()
            .filter(|l| l.kind == "late_fee")
            .map(|l| l.amount_fen)
            .sum();
        let s_total = Money::from_fen(september.total_fen).amount();
        assert_eq!(
            Money::from_fen(billed_on_september),
            round(s_total * Decimal::new(85, 4))
        );

        // A correction for the next bill; bad ones change nothing.
        assert_eq!(
            invalid(billing::add_adjustment(
                &mut conn,
                &w.manager,
                HouseholdId(household),
                "0",
                "x",
                t0()
            )),
            ("amount".to_owned(), Key::BillingErrorAdjustment)
        );
        assert_eq!(
            invalid(billing::add_adjustment(
                &mut conn,
                &w.manager,
                HouseholdId(household),
                "-5",
                "  ",
                t0()
            )),
            ("reason".to_owned(), Key::BillingErrorTextRequired)
        );
        billing::add_adjustment(
            &mut conn,
            &w.manager,
            HouseholdId(household),
            "-5.00",
            "楼道灯坏了一周，减免",
            t0(),
        )
        .expect("adjustment");

        w.run(NOVEMBER);
        let (_, lines) = bill_of(&mut conn, household, NOVEMBER);
        let late: Vec<i64> = lines
            .iter()
            .filter(|l| l.kind == "late_fee")
            .map(|l| l.amount_fen)
            .collect();
        // On Nov 27: September is 43 days overdue → 2.15% of 62.82-style
        // totals less what October already charged; October 12 days → 0.6%
        // of its total without its own late fee.
        let september_due =
            round(s_total * Decimal::new(215, 4)) - Money::from_fen(billed_on_september);
        let o_base = Money::from_fen(october.total_fen - billed_on_september).amount();
        let october_due = round(o_base * Decimal::new(6, 3));
        assert_eq!(late, vec![september_due.fen(), october_due.fen()]);
        let adjustment: Vec<i64> = lines
            .iter()
            .filter(|l| l.kind == BillLineKind::Adjustment.code())
            .map(|l| l.amount_fen)
            .collect();
        assert_eq!(adjustment, vec![-500]);
        assert!(
            db::pending_adjustments(&mut conn, w.company.0, &[household])
                .expect("pending")
                .is_empty()
        );
    });
}

#[test]
fn a_payment_settles_the_oldest_bill_first_takes_the_next_receipt_and_is_recorded_once() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let household = debtor(&mut conn, w.company);
        let (september, _) = bill_of(&mut conn, household, "2026-09");
        let (october, _) = bill_of(&mut conn, household, "2026-10");
        let owed = september.total_fen + october.total_fen;
        let last = db::last_receipt(&mut conn, w.company.0, 2026).expect("last");

        // Refused, and nothing recorded.
        for (amount, method, reference, field, key) in [
            ("abc", "cash", "", "amount", Key::BillingErrorAmount),
            ("0", "cash", "", "amount", Key::BillingErrorAmount),
            ("1.234", "cash", "", "amount", Key::BillingErrorAmount),
            ("10", "cheque", "", "method", Key::BillingErrorMethod),
            ("10", "wechat", " ", "reference", Key::BillingErrorReference),
        ] {
            assert_eq!(
                invalid(w.pay(&mut conn, household, amount, method, reference, "bad-form")),
                (field.to_owned(), key),
                "{amount} {method}"
            );
        }
        let too_much = Money::from_fen(owed + 1).to_string();
        assert_eq!(
            invalid(w.pay(&mut conn, household, &too_much, "cash", "", "bad-form")),
            ("amount".to_owned(), Key::BillingErrorMoreThanOwed)
        );
        assert_eq!(
            db::last_receipt(&mut conn, w.company.0, 2026).expect("last"),
            last
        );

        // September in full and 10.00 of October.
        let partial = Money::from_fen(september.total_fen + 1_000).to_string();
        let paid = w
            .pay(&mut conn, household, &partial, "cash", "", "form-1")
            .expect("paid");
        assert_eq!(paid.receipt_no, format!("2026-{:06}", last + 1));
        let again = w
            .pay(&mut conn, household, &partial, "cash", "", "form-1")
            .expect("the same form again");
        assert!(again.already);
        assert_eq!(again.receipt_no, paid.receipt_no);
        // The same form for another household is not taken for this payment.
        let neighbour = new_household(&mut conn, "903", 8_000, false);
        assert!(matches!(
            w.pay(&mut conn, neighbour, &partial, "cash", "", "form-1"),
            Err(AppError::Conflict(Key::OrderErrorForm))
        ));
        let account =
            billing::household_account(&mut conn, &w.cashier, HouseholdId(household), t0())
                .expect("account");
        let by_month = |m: &str| {
            account
                .bills
                .iter()
                .find(|b| b.month.code() == m)
                .map(|b| b.outstanding)
                .expect("bill")
        };
        assert_eq!(by_month("2026-09"), Money::ZERO);
        assert_eq!(
            by_month("2026-10"),
            Money::from_fen(october.total_fen - 1_000)
        );
        assert_eq!(
            account.balance,
            Money::from_fen(owed - september.total_fen - 1_000)
        );
        assert_eq!(account.payments.len(), 1);
        assert_eq!(
            account.payments[0]
                .settled
                .iter()
                .map(|(m, a)| (m.code(), *a))
                .collect::<Vec<_>>(),
            vec![
                ("2026-09".to_owned(), Money::from_fen(september.total_fen)),
                ("2026-10".to_owned(), fen("10.00")),
            ]
        );
        // The receivable of the household in the ledger is bills minus payments.
        let tb = billing::trial_balance(&mut conn, w.company).expect("tb");
        assert_eq!(tb.debit, tb.credit);

        // A WeChat payment needs and keeps its transaction number.
        let rest = Money::from_fen(october.total_fen - 1_000).to_string();
        let wechat = w
            .pay(
                &mut conn,
                household,
                &rest,
                "wechat",
                "4200001234567890",
                "form-2",
            )
            .expect("paid");
        let receipt = billing::receipt(&mut conn, wechat.payment).expect("receipt");
        assert_eq!(receipt.payment.method, PaymentMethod::WeChat);
        assert_eq!(receipt.payment.reference, "4200001234567890");
        assert_eq!(
            invalid(w.pay(&mut conn, household, "1", "cash", "", "form-3")),
            ("amount".to_owned(), Key::BillingErrorNothingOwed)
        );
    });
}

/// An instant given as China's wall clock, as the naive UTC the database keeps.
fn china(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    let local = NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("valid");
    app::domain::time::from_china(local)
}

#[test]
fn receipts_are_numbered_by_the_year_in_china_across_the_new_year() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let household = debtor(&mut conn, w.company);
        let last = db::last_receipt(&mut conn, w.company.0, 2026).expect("last");
        let cash = ("cash", "");
        let eve = w
            .pay_at(
                &mut conn,
                household,
                "1.00",
                cash,
                "eve",
                china(2026, 12, 31, 23, 30),
            )
            .expect("paid on New Year's Eve");
        assert_eq!(eve.receipt_no, format!("2026-{:06}", last + 1));
        // Ten past midnight in China is still 31 December in UTC: the new
        // year's chain starts at 1 all the same.
        let after = china(2027, 1, 1, 0, 10);
        assert_eq!(
            after.date(),
            NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid")
        );
        let first = w
            .pay_at(&mut conn, household, "1.00", cash, "new-year", after)
            .expect("paid after midnight");
        assert_eq!(first.receipt_no, "2027-000001");
        let second = w
            .pay_at(
                &mut conn,
                household,
                "1.00",
                cash,
                "new-year-2",
                china(2027, 1, 1, 8, 0),
            )
            .expect("paid in the morning");
        assert_eq!(second.receipt_no, "2027-000002");
        assert_eq!(
            db::last_receipt(&mut conn, w.company.0, 2026).expect("last"),
            last + 1,
            "{}",
            t.backend
        );
    });
}

#[test]
fn a_reversal_is_a_new_negative_entry_with_a_reason_and_happens_once() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let household = debtor(&mut conn, w.company);
        let before =
            billing::household_account(&mut conn, &w.manager, HouseholdId(household), t0())
                .expect("account")
                .balance;
        let paid = w
            .pay(
                &mut conn,
                household,
                "20.00",
                "alipay",
                "2026112722001",
                "form-r",
            )
            .expect("paid");
        assert_eq!(
            invalid(billing::reverse_payment(
                &mut conn,
                &w.manager,
                paid.payment,
                " ",
                t0()
            )),
            ("reason".to_owned(), Key::BillingErrorTextRequired)
        );
        let reversal =
            billing::reverse_payment(&mut conn, &w.manager, paid.payment, "收款户号记错", t0())
                .expect("reversed");
        assert_ne!(reversal.receipt_no, paid.receipt_no, "a receipt of its own");
        assert!(matches!(
            billing::reverse_payment(&mut conn, &w.manager, paid.payment, "again", t0()),
            Err(AppError::Conflict(Key::BillingErrorReversed))
        ));
        assert!(matches!(
            billing::reverse_payment(&mut conn, &w.manager, reversal.payment, "undo", t0()),
            Err(AppError::Conflict(Key::BillingErrorReversed))
        ));
        let account =
            billing::household_account(&mut conn, &w.manager, HouseholdId(household), t0())
                .expect("account");
        assert_eq!(account.balance, before, "owed again as before");
        let original = account
            .payments
            .iter()
            .find(|p| p.id == paid.payment)
            .expect("kept");
        assert_eq!(original.reversed_by, Some(reversal.payment));
        let undo = account
            .payments
            .iter()
            .find(|p| p.id == reversal.payment)
            .expect("reversal");
        assert_eq!(undo.amount, fen("-20.00"));
        assert_eq!(undo.reason, "收款户号记错");
        let tb = billing::trial_balance(&mut conn, w.company).expect("tb");
        assert_eq!(tb.debit, tb.credit);
    });
}

#[test]
fn receipt_numbers_stay_gapless_and_unique_under_concurrent_payments() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let standings = db::standings(&mut conn, None, Some(w.company.0), None).expect("standings");
        let mut owing: Vec<i64> = standings
            .iter()
            .filter(|s| s.outstanding_fen() > 100)
            .map(|s| s.bill.household_id)
            .collect();
        owing.sort_unstable();
        owing.dedup();
        let households: Vec<i64> = owing.into_iter().take(12).collect();
        let before = db::receipt_numbers(&mut conn, w.company.0, 2026).expect("numbers");
        drop(conn);
        let barrier = Barrier::new(households.len() * 2);
        std::thread::scope(|s| {
            for (i, h) in households.iter().enumerate() {
                for k in 0..2 {
                    let (w, barrier) = (&w, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let mut conn = w.state.db.conn().expect("conn");
                        // Every other one asks for more than is owed and fails.
                        let amount = if k == 0 { "1.00" } else { "999999" };
                        let _ = w.pay(&mut conn, *h, amount, "cash", "", &format!("c-{i}-{k}"));
                    });
                }
            }
        });
        let mut conn = w.state.db.conn().expect("conn");
        let after = db::receipt_numbers(&mut conn, w.company.0, 2026).expect("numbers");
        assert_eq!(after.len(), before.len() + households.len());
        let expected: Vec<i64> = (1..=i64::try_from(after.len()).expect("fits")).collect();
        assert_eq!(after, expected, "1, 2, 3… with no gap and no number twice");

        // The database itself refuses a gap and a repeat.
        for seq in [after.len() as i64 + 2, after.len() as i64] {
            let refused = db::insert_payment(
                &mut conn,
                &db::NewPayment {
                    company_id: w.company.0,
                    household_id: households[0],
                    method: "cash",
                    reference: "",
                    amount_fen: 100,
                    paid_at: t0(),
                    recorded_by: None,
                    reversal_of: None,
                    reason: "",
                    receipt_year: 2026,
                    receipt_seq: seq,
                    form_token: None,
                },
            );
            assert!(refused.is_err(), "receipt {seq} refused");
        }
    });
}

#[test]
fn arrears_age_by_the_due_date_and_the_ladder_climbs_one_step_at_a_time() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let household = debtor(&mut conn, w.company);
        let (september, _) = bill_of(&mut conn, household, "2026-09");
        let (october, _) = bill_of(&mut conn, household, "2026-10");
        let list = billing::arrears(&mut conn, &w.manager, w.company, None, t0()).expect("arrears");
        let row = list
            .rows
            .iter()
            .find(|r| r.household.0 == household)
            .expect("the debtor is listed");
        // September fell due on Oct 15 (43 days ago), October on Nov 15 (12).
        assert_eq!(
            AgingBucket::of(
                september.due_on,
                NaiveDate::from_ymd_opt(2026, 11, 27).expect("d")
            ),
            AgingBucket::Days30
        );
        assert_eq!(
            row.buckets,
            [
                Money::from_fen(october.total_fen),
                Money::from_fen(september.total_fen),
                Money::ZERO,
                Money::ZERO
            ]
        );
        assert_eq!(row.oldest.code(), "2026-09");
        let sum: Money = list.rows.iter().map(|r| r.total).sum();
        assert_eq!(list.totals.iter().copied().sum::<Money>(), sum);
        assert!(list.rows.iter().all(|r| r.total > Money::ZERO));

        // The scheduled pass reminds every household 30+ days overdue once.
        let sent =
            billing::send_reminders(&mut conn, &w.state, w.company, t0()).expect("reminders");
        assert!(sent > 0);
        assert_eq!(
            billing::send_reminders(&mut conn, &w.state, w.company, t0()).expect("again"),
            0
        );

        // The debtor got the reminder; the manager climbs the rest one by one.
        let stages: Vec<ArrearsStage> = (0..3)
            .map(|_| {
                billing::escalate(
                    &mut conn,
                    &w.state,
                    &w.manager,
                    HouseholdId(household),
                    "",
                    t0(),
                )
                .expect("step")
            })
            .collect();
        assert_eq!(
            stages,
            vec![
                ArrearsStage::CommitteeUrging,
                ArrearsStage::Mediation,
                ArrearsStage::LegalAction
            ]
        );
        assert!(matches!(
            billing::escalate(
                &mut conn,
                &w.state,
                &w.manager,
                HouseholdId(household),
                "",
                t0()
            ),
            Err(AppError::Conflict(Key::BillingErrorLadderEnd))
        ));
        // Filtered to one estate; an estate of another company is refused.
        let estate = list.estates[0].0;
        let one =
            billing::arrears(&mut conn, &w.manager, w.company, Some(estate), t0()).expect("one");
        assert!(one.rows.len() <= list.rows.len());
        assert_eq!(
            invalid(billing::arrears(
                &mut conn,
                &w.manager,
                w.company,
                Some(app::domain::access::EstateId(999_999)),
                t0()
            )),
            ("estate".to_owned(), Key::BillingErrorEstate)
        );
    });
}

#[test]
fn exports_list_every_bill_payment_and_debtor_as_csv() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        // A payment reference a spreadsheet would run as a formula.
        let owing = db::standings(&mut conn, None, Some(w.company.0), None)
            .expect("standings")
            .into_iter()
            .find(|s| s.outstanding_fen() > 0)
            .expect("a bill owed")
            .bill
            .household_id;
        let formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        w.pay(&mut conn, owing, "1.00", "wechat", formula, "csv-formula")
            .expect("paid");
        let october = billing::bills_csv(&mut conn, w.company, "2026-10").expect("csv");
        assert!(october.starts_with('\u{feff}'));
        let bills = db::standings(&mut conn, None, Some(w.company.0), None)
            .expect("standings")
            .iter()
            .filter(|s| s.bill.month == "2026-10")
            .count();
        assert_eq!(october.lines().count(), bills + 1);
        let payments = billing::payments_csv(&mut conn, w.company).expect("csv");
        let numbers = db::receipt_numbers(&mut conn, w.company.0, 2026).expect("numbers");
        assert_eq!(payments.lines().count(), numbers.len() + 1);
        assert!(
            payments
                .lines()
                .nth(1)
                .expect("a payment")
                .starts_with("2026-000001,")
        );
        assert!(
            payments.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""),
            "{payments}"
        );
        assert!(
            !payments.contains(",=HYPERLINK") && !payments.contains(",\"=HYPERLINK"),
            "no cell starts a formula"
        );
        let arrears = billing::arrears_csv(&mut conn, &w.manager, w.company, t0()).expect("csv");
        let list = billing::arrears(&mut conn, &w.manager, w.company, None, t0()).expect("list");
        assert_eq!(arrears.lines().count(), list.rows.len() + 1);
        assert!(matches!(
            billing::bills_csv(&mut conn, w.company, "November"),
            Err(AppError::Invalid { .. })
        ));
    });
}

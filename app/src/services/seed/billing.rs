//! Wenhui's billing history: the bills of the two months before now's,
//! issued on the first of the month after, and the payments households made
//! (most paid both in full, some only the older bill, some nothing), so the
//! arrears list and the ledger have a story. The current month is left for
//! the manager to issue. Bills and payments go through the billing service
//! itself, without mail: it is history.

use chrono::{Duration, NaiveDateTime, NaiveTime};

use super::Rng;
use crate::db::{DbConn, billing as db, write_tx};
use crate::domain::Money;
use crate::domain::access::{HouseholdId, PersonId};
use crate::domain::billing::{BillMonth, PaymentMethod};
use crate::domain::org::CompanyId;
use crate::domain::time::{china_date, from_china};
use crate::error::AppError;
use crate::services::AppState;
use crate::services::billing::{self, Settlement};

/// Wenhui's contracts: vacant homes pay 70% of the area fees; overdue bills
/// run 0.05% a day, capped at 10% (a common clause in Yunnan's model
/// contracts).
pub const WENHUI_VACANT_BP: i64 = 7_000;
pub const WENHUI_LATE_FEE: (i64, i64) = (5, 1_000);

pub fn seed_bills(
    state: &AppState,
    conn: &mut DbConn,
    wenhui: i64,
    cashier: Option<i64>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if db::billing_companies(conn)?.contains(&wenhui) {
        return Ok(());
    }
    let this = BillMonth::of(china_date(now));
    let older = BillMonth::of(this.first_day() - Duration::days(40));
    let mut rng = Rng::new(0xB111);
    for month in [older, older.next()] {
        let issued =
            from_china(month.next().first_day().and_time(NaiveTime::MIN) + Duration::hours(9));
        if issued > now {
            continue;
        }
        let mut plan =
            billing::begin_run(conn, CompanyId(wenhui), &month.code(), None, issued, true)?;
        plan.notify = false;
        billing::issue_run(state, plan, issued, &mut |_, _| {})?;
        pay_month(conn, wenhui, cashier, month, issued, now, &mut rng)?;
    }
    Ok(())
}

/// The month's payments: a few households never pay (the same ones every
/// month), about one in eight lets a month slip, the rest pay in full in
/// the two weeks before the due date (or by now, if that is earlier).
fn pay_month(
    conn: &mut DbConn,
    wenhui: i64,
    cashier: Option<i64>,
    month: BillMonth,
    issued: NaiveDateTime,
    now: NaiveDateTime,
    rng: &mut Rng,
) -> Result<(), AppError> {
    let due = from_china(month.due_on().and_time(NaiveTime::MIN) + Duration::hours(18));
    let mut payments = Vec::new();
    for s in db::standings(conn, None, Some(wenhui), None)? {
        let owes = s.outstanding_fen() > 0 && s.bill.month == month.code();
        if !owes || s.bill.household_id % 13 == 0 || !rng.chance(88) {
            continue;
        }
        let method = rng.pick(PaymentMethod::ALL);
        let reference = if method.needs_reference() {
            format!("42000{:013}", rng.range(1, 9_999_999_999_999))
        } else {
            String::new()
        };
        let at = (due - Duration::minutes(rng.range(60, 60 * 24 * 14)))
            .max(issued + Duration::hours(1))
            .min(now - Duration::minutes(rng.range(60, 600)));
        payments.push((
            at,
            s.bill.household_id,
            s.outstanding_fen(),
            method,
            reference,
        ));
    }
    // Receipt numbers follow the order money came in.
    payments.sort_by_key(|p| (p.0, p.1));
    write_tx(conn, |conn| {
        for (at, household, amount, method, reference) in &payments {
            billing::settle(
                conn,
                &Settlement {
                    household: HouseholdId(*household),
                    amount: Money::from_fen(*amount),
                    method: *method,
                    reference,
                    chosen: None,
                    recorded_by: cashier.map(PersonId),
                    form_token: None,
                },
                *at,
            )?;
        }
        Ok(())
    })
}

//! Demo contracts: every served estate has an active contract (for the
//! calendar year the demo is loaded in; see `contract_term`) with
//! its estate-wide services at the company's prices, through the whole life
//! cycle (drafted, submitted, signed by the committee, put into force); every
//! fourth is a commission (酬金) contract. Wenhui's contracts let residents
//! cancel housekeeping for free until 24 hours before the visit and charge 20%
//! after that; the others keep the default (free until 24 hours, no fee).

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};

use crate::db::{DbConn, DbError, contracts, estates, pricing};

fn at(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// Wenhui's cancellation terms: free hours before the slot, then basis points.
const WENHUI_CANCELLATION: (i64, i64) = (24, 2_000);

/// The demo contracts' term, relative to the day the demo is loaded: from 1
/// January of the year three months back to 31 December of the year a month
/// ahead. So the contract is in force on the day, over the billing history
/// of the months before and for the bookings of the weeks ahead, whatever
/// day the demo is loaded; loaded from February to November it is that one
/// calendar year (2026 for a demo loaded on 2026-11-25).
pub fn contract_term(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start_year = (today - chrono::Months::new(3)).year();
    let end_year = (today + chrono::Months::new(1)).year();
    (
        NaiveDate::from_ymd_opt(start_year, 1, 1).unwrap_or(today),
        NaiveDate::from_ymd_opt(end_year, 12, 31).unwrap_or(today),
    )
}

pub fn seed_contracts(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), DbError> {
    let term = contract_term(crate::domain::time::china_date(now));
    // The life cycle before the term: drafted 52 days ahead of it, submitted
    // five days later, signed a month ahead, put in force on its first day.
    let drafted = term.0 - Days::new(52);
    let wenhui = super::company_named(conn, super::WENHUI_COMPANY)?;
    for (index, estate) in estates::open_estates(conn)?.into_iter().enumerate() {
        let Some(company) = estate.company_id else {
            continue;
        };
        if !contracts::contracts_of_estate(conn, estate.id)?.is_empty() {
            continue;
        }
        let services = pricing::services_of(conn, company)?;
        let estate_wide: Vec<i64> = services
            .iter()
            .filter(|s| s.unit == "per_m2_month")
            .map(|s| s.id)
            .collect();
        if estate_wide.is_empty() {
            continue;
        }
        let commission = index % 4 == 3;
        let id = contracts::insert_contract(
            conn,
            &contracts::NewContract {
                company_id: company,
                estate_id: estate.id,
                state: "active",
                fee_model: if commission {
                    "commission"
                } else {
                    "fixed_fee"
                },
                commission_bp: commission.then_some(1_000),
                late_fee: (Some(company) == wenhui).then_some(super::billing::WENHUI_LATE_FEE),
                starts_on: term.0,
                ends_on: term.1,
                renews_id: None,
                at: at(drafted),
                vacant_fee_bp: if Some(company) == wenhui {
                    super::billing::WENHUI_VACANT_BP
                } else {
                    10_000
                },
            },
        )?;
        if Some(company) == wenhui {
            set_cancellation(conn, id, WENHUI_CANCELLATION)?;
        }
        // The price in force on the first day of the term.
        for p in pricing::prices_of(conn, &estate_wide)? {
            if p.effective_from <= term.0
                && !contracts::lines_of(conn, &[id])?
                    .iter()
                    .any(|l| l.service_id == p.service_id)
            {
                contracts::insert_line(conn, id, p.service_id, p.our_fen, "按建筑面积")?;
            }
        }
        for (date, step, to, comment) in [
            (drafted, None, "draft", ""),
            (drafted + Days::new(5), Some("submit"), "submitted", ""),
            (
                term.0 - Days::new(31),
                Some("sign"),
                "signed",
                "经业主代表会议讨论同意",
            ),
            (term.0, Some("activate"), "active", ""),
        ] {
            contracts::insert_event(
                conn,
                &contracts::NewEvent {
                    contract_id: id,
                    at: at(date),
                    person_id: None,
                    step,
                    to_state: to,
                    comment,
                },
            )?;
        }
    }
    Ok(())
}

/// The contract's terms for a resident cancelling housekeeping.
fn set_cancellation(
    conn: &mut DbConn,
    contract: i64,
    (free_hours, late_bp): (i64, i64),
) -> Result<(), DbError> {
    use crate::db::schema::contracts;
    use diesel::prelude::*;
    diesel::update(contracts::table.filter(contracts::id.eq(contract)))
        .set((
            contracts::free_cancel_hours.eq(free_hours),
            contracts::late_cancel_bp.eq(late_bp),
        ))
        .execute(conn)?;
    Ok(())
}

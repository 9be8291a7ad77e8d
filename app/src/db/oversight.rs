//! The facts behind the oversight dashboard, for many estates at once: each
//! query covers every estate asked for, so a district costs as many queries
//! as one estate.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::min;
use diesel::prelude::*;

use super::billing::sum_fen;
use super::schema::{
    allocations, bill_lines, bills, complaints, service_prices, services, statements, takeovers,
    work_order_events, work_orders,
};
use super::{DbConn, DbError};

/// A work order as the dashboard counts it.
#[derive(Queryable, Debug)]
pub struct OrderFact {
    pub id: i64,
    pub estate_id: i64,
    pub slot_start: NaiveDateTime,
    pub slot_end: NaiveDateTime,
    pub state: String,
    pub stars: Option<i64>,
    pub booked: bool,
    pub created_at: NaiveDateTime,
}

/// Orders at the estates with a slot in [from, until) (China local time).
pub fn orders(
    conn: &mut DbConn,
    estates: &[i64],
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<OrderFact>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::estate_id.eq_any(estates))
        .filter(work_orders::slot_start.ge(from))
        .filter(work_orders::slot_start.lt(until))
        .select((
            work_orders::id,
            work_orders::estate_id,
            work_orders::slot_start,
            work_orders::slot_end,
            work_orders::state,
            work_orders::stars,
            work_orders::plan_id.is_null(),
            work_orders::created_at,
        ))
        .load(conn)?)
}

/// When each of those orders was first scheduled: (order, instant).
pub fn first_scheduled(
    conn: &mut DbConn,
    estates: &[i64],
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<HashMap<i64, NaiveDateTime>, DbError> {
    let rows: Vec<(i64, Option<NaiveDateTime>)> = work_order_events::table
        .inner_join(work_orders::table)
        .filter(work_orders::estate_id.eq_any(estates))
        .filter(work_orders::slot_start.ge(from))
        .filter(work_orders::slot_start.lt(until))
        .filter(work_order_events::step.eq("schedule"))
        .group_by(work_order_events::order_id)
        .select((work_order_events::order_id, min(work_order_events::at)))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(order, at)| Some((order, at?)))
        .collect())
}

/// Complaints about the estates filed in [from, until): (estate, filed at).
pub fn complaints(
    conn: &mut DbConn,
    estates: &[i64],
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<(i64, NaiveDateTime)>, DbError> {
    Ok(complaints::table
        .filter(complaints::estate_id.eq_any(estates))
        .filter(complaints::filed_at.ge(from))
        .filter(complaints::filed_at.lt(until))
        .select((complaints::estate_id, complaints::filed_at))
        .load(conn)?)
}

/// (estate, month) → (billed, paid so far, saving against market prices).
pub type BillsByMonth = HashMap<(i64, String), (i64, i64, i64)>;

/// Per (estate, month) of bills in [from, to]: billed, paid so far, and the
/// saving against market prices.
pub fn bills_by_month(
    conn: &mut DbConn,
    estates: &[i64],
    from: &str,
    to: &str,
) -> Result<BillsByMonth, DbError> {
    let mut out = BillsByMonth::new();
    for (estate, month, fen) in bills::table
        .filter(bills::estate_id.eq_any(estates))
        .filter(bills::month.between(from, to))
        .group_by((bills::estate_id, bills::month))
        .select((bills::estate_id, bills::month, sum_fen("bills.total_fen")))
        .load::<(i64, String, i64)>(conn)?
    {
        out.entry((estate, month)).or_default().0 += fen;
    }
    for (estate, month, fen) in allocations::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq_any(estates))
        .filter(bills::month.between(from, to))
        .group_by((bills::estate_id, bills::month))
        .select((
            bills::estate_id,
            bills::month,
            sum_fen("allocations.amount_fen"),
        ))
        .load::<(i64, String, i64)>(conn)?
    {
        out.entry((estate, month)).or_default().1 += fen;
    }
    for (estate, month, fen) in bill_lines::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq_any(estates))
        .filter(bills::month.between(from, to))
        .filter(bill_lines::kind.eq_any(["area_fee", "service"]))
        .filter(bill_lines::market_fen.gt(0))
        .group_by((bills::estate_id, bills::month))
        .select((
            bills::estate_id,
            bills::month,
            sum_fen("bill_lines.market_fen - bill_lines.amount_fen"),
        ))
        .load::<(i64, String, i64)>(conn)?
    {
        out.entry((estate, month)).or_default().2 += fen;
    }
    Ok(out)
}

/// Per estate: unpaid on its bills of months up to `to`, as of now.
pub fn arrears(conn: &mut DbConn, estates: &[i64], to: &str) -> Result<HashMap<i64, i64>, DbError> {
    let mut out: HashMap<i64, i64> = HashMap::new();
    for (estate, fen) in bills::table
        .filter(bills::estate_id.eq_any(estates))
        .filter(bills::month.le(to))
        .group_by(bills::estate_id)
        .select((bills::estate_id, sum_fen("bills.total_fen")))
        .load::<(i64, i64)>(conn)?
    {
        *out.entry(estate).or_default() += fen;
    }
    for (estate, fen) in allocations::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq_any(estates))
        .filter(bills::month.le(to))
        .group_by(bills::estate_id)
        .select((bills::estate_id, sum_fen("allocations.amount_fen")))
        .load::<(i64, i64)>(conn)?
    {
        *out.entry(estate).or_default() -= fen;
    }
    Ok(out)
}

/// Per (estate, month) in [from, to]: when a version of its statement was
/// first disclosed, if one was.
pub fn first_disclosures(
    conn: &mut DbConn,
    estates: &[i64],
    from: &str,
    to: &str,
) -> Result<HashMap<(i64, String), NaiveDateTime>, DbError> {
    let rows: Vec<(i64, String, Option<NaiveDateTime>)> = statements::table
        .filter(statements::estate_id.eq_any(estates))
        .filter(statements::month.between(from, to))
        .group_by((statements::estate_id, statements::month))
        .select((
            statements::estate_id,
            statements::month,
            min(statements::disclosed_at),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(estate, month, at)| Some(((estate, month), at?)))
        .collect())
}

/// Per estate: the day it was first taken over.
pub fn taken_over_on(
    conn: &mut DbConn,
    estates: &[i64],
) -> Result<HashMap<i64, NaiveDate>, DbError> {
    let rows: Vec<(i64, Option<NaiveDate>)> = takeovers::table
        .filter(takeovers::estate_id.eq_any(estates))
        .group_by(takeovers::estate_id)
        .select((takeovers::estate_id, min(takeovers::taken_over_on)))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(estate, on)| Some((estate, on?)))
        .collect())
}

/// A service's price version, for finding the one in force.
#[derive(Queryable, Debug)]
pub struct PriceFact {
    pub company_id: i64,
    pub service_id: i64,
    pub name: String,
    pub name_en: String,
    pub our_fen: i64,
    pub market_fen: i64,
    pub effective_from: NaiveDate,
    pub price_id: i64,
}

/// Every price version in force by `day` of the companies' services still
/// offered.
pub fn prices(
    conn: &mut DbConn,
    companies: &[i64],
    day: NaiveDate,
) -> Result<Vec<PriceFact>, DbError> {
    Ok(service_prices::table
        .inner_join(services::table)
        .filter(services::company_id.eq_any(companies))
        .filter(services::retired_at.is_null())
        .filter(service_prices::effective_from.le(day))
        .select((
            services::company_id,
            services::id,
            services::name,
            services::name_en,
            service_prices::our_fen,
            service_prices::market_fen,
            service_prices::effective_from,
            service_prices::id,
        ))
        .load(conn)?)
}

//! Bills and their lines, the month's runs, payments with their receipt
//! numbers and allocations, corrections, ledger lines and the arrears ladder.
//! Bulk writes go in one statement per chunk (the monthly run of a large
//! company is the hot path).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::schema::{
    adjustments, allocations, arrears_steps, bill_lines, bill_runs, bills, buildings, charges,
    companies, contract_lines, contracts, estates, households, ledger_lines, payments, persons,
    service_prices, services, work_orders,
};
use super::{DbConn, DbError};

/// Rows per insert statement: far below SQLite's bound-parameter limit for
/// the widest table here (11 columns).
const ROWS_PER_INSERT: usize = 2_000;

/// Runs a multi-row insert on whichever backend the connection is (the
/// multi-backend connection has no batch insert of its own).
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let mut inserted = 0usize;
        for chunk in $rows.chunks(ROWS_PER_INSERT) {
            let insert = diesel::insert_into($table).values(chunk.to_vec());
            inserted += match $conn {
                DbConn::Pg(c) => insert.execute(c)?,
                DbConn::Sqlite(c) => insert.execute(c)?,
            };
        }
        inserted
    }};
}

/// `CAST(SUM(col) AS BIGINT)`: the same 64-bit sum on both backends
/// (PostgreSQL would otherwise widen it to NUMERIC).
pub(crate) fn sum_fen(column: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

// ----- the month's run -----

/// An active contract of the company's, in force on the month's first day
/// (one month is billed under one contract, never two).
#[derive(Queryable, Debug, Clone)]
pub struct BillableContract {
    pub id: i64,
    pub estate_id: i64,
    pub estate_name: String,
    pub estate_name_en: String,
    pub vacant_fee_bp: i64,
    pub late_fee_daily_bp: Option<i64>,
    pub late_fee_cap_bp: Option<i64>,
}

pub fn billable_contracts(
    conn: &mut DbConn,
    company: i64,
    first: NaiveDate,
) -> Result<Vec<BillableContract>, DbError> {
    Ok(contracts::table
        .inner_join(estates::table)
        .filter(contracts::company_id.eq(company))
        .filter(estates::company_id.eq(company))
        .filter(contracts::state.eq("active"))
        .filter(contracts::starts_on.le(first))
        .filter(contracts::ends_on.ge(first))
        .select((
            contracts::id,
            contracts::estate_id,
            estates::name,
            estates::name_en,
            contracts::vacant_fee_bp,
            contracts::late_fee_daily_bp,
            contracts::late_fee_cap_bp,
        ))
        .order((estates::name, contracts::id))
        .load(conn)?)
}

/// A contract's per-m²-month lines: (name, name_en, contract price, market
/// average in force on `on`).
pub fn area_rates(
    conn: &mut DbConn,
    contract: i64,
    on: NaiveDate,
) -> Result<Vec<(String, String, i64, i64)>, DbError> {
    let lines: Vec<(i64, String, String, i64)> = contract_lines::table
        .inner_join(services::table)
        .filter(contract_lines::contract_id.eq(contract))
        .filter(services::unit.eq("per_m2_month"))
        .select((
            services::id,
            services::name,
            services::name_en,
            contract_lines::unit_price_fen,
        ))
        .order(contract_lines::id)
        .load(conn)?;
    let ids: Vec<i64> = lines.iter().map(|l| l.0).collect();
    let market = market_on(conn, &ids, on)?;
    Ok(lines
        .into_iter()
        .map(|(id, zh, en, fen)| {
            let m = market.get(&id).copied().unwrap_or(fen);
            (zh, en, fen, m)
        })
        .collect())
}

/// Each service's market average in force on a day.
pub(crate) fn market_on(
    conn: &mut DbConn,
    service_ids: &[i64],
    on: NaiveDate,
) -> Result<HashMap<i64, i64>, DbError> {
    let mut market: HashMap<i64, (NaiveDate, i64)> = HashMap::new();
    for (service, from, fen) in service_prices::table
        .filter(service_prices::service_id.eq_any(service_ids))
        .filter(service_prices::effective_from.le(on))
        .select((
            service_prices::service_id,
            service_prices::effective_from,
            service_prices::market_fen,
        ))
        .load::<(i64, NaiveDate, i64)>(conn)?
    {
        let e = market.entry(service).or_insert((from, fen));
        if from >= e.0 {
            *e = (from, fen);
        }
    }
    Ok(market.into_iter().map(|(k, (_, fen))| (k, fen)).collect())
}

/// Which of these households have a bill for the contract and month.
pub fn billed_among(
    conn: &mut DbConn,
    contract: i64,
    month: &str,
    households: &[i64],
) -> Result<HashSet<i64>, DbError> {
    let mut out = HashSet::new();
    for chunk in households.chunks(ROWS_PER_INSERT) {
        out.extend(
            bills::table
                .filter(bills::contract_id.eq(contract))
                .filter(bills::month.eq(month))
                .filter(bills::household_id.eq_any(chunk))
                .select(bills::household_id)
                .load::<i64>(conn)?,
        );
    }
    Ok(out)
}

/// A company by its exact name (Chinese or English).
pub fn company_named(conn: &mut DbConn, name: &str) -> Result<Option<i64>, DbError> {
    Ok(companies::table
        .filter(companies::name.eq(name).or(companies::name_en.eq(name)))
        .select(companies::id)
        .first(conn)
        .optional()?)
}

#[derive(Queryable, Debug, Clone)]
pub struct ChargeRow {
    pub id: i64,
    pub household_id: i64,
    pub kind: String,
    pub amount_fen: i64,
    pub service_on: NaiveDate,
    pub order_market_fen: i64,
    pub order_quantity: i64,
    pub name: String,
    pub name_en: String,
}

/// Charges of these households not yet billed, for service up to `up_to`.
pub fn unbilled_charges(
    conn: &mut DbConn,
    company: i64,
    households: &[i64],
    up_to: NaiveDate,
) -> Result<Vec<ChargeRow>, DbError> {
    let mut out = Vec::new();
    for chunk in households.chunks(ROWS_PER_INSERT) {
        out.extend(
            charges::table
                .inner_join(work_orders::table.inner_join(services::table))
                .filter(charges::company_id.eq(company))
                .filter(charges::household_id.eq_any(chunk))
                .filter(charges::bill_id.is_null())
                .filter(charges::service_on.le(up_to))
                .select((
                    charges::id,
                    charges::household_id,
                    charges::kind,
                    charges::amount_fen,
                    charges::service_on,
                    work_orders::market_fen,
                    work_orders::quantity,
                    services::name,
                    services::name_en,
                ))
                .order(charges::id)
                .load::<ChargeRow>(conn)?,
        );
    }
    Ok(out)
}

/// Corrections not yet on a bill: (id, household, amount, reason).
pub fn pending_adjustments(
    conn: &mut DbConn,
    company: i64,
    households: &[i64],
) -> Result<Vec<(i64, i64, i64, String)>, DbError> {
    let mut out = Vec::new();
    for chunk in households.chunks(ROWS_PER_INSERT) {
        out.extend(
            adjustments::table
                .filter(adjustments::company_id.eq(company))
                .filter(adjustments::household_id.eq_any(chunk))
                .filter(adjustments::bill_id.is_null())
                .select((
                    adjustments::id,
                    adjustments::household_id,
                    adjustments::amount_fen,
                    adjustments::reason,
                ))
                .order(adjustments::id)
                .load::<(i64, i64, i64, String)>(conn)?,
        );
    }
    Ok(out)
}

#[derive(Queryable, Debug, Clone)]
pub struct BillRow {
    pub id: i64,
    pub company_id: i64,
    pub estate_id: i64,
    pub household_id: i64,
    pub contract_id: i64,
    pub month: String,
    pub due_on: NaiveDate,
    pub total_fen: i64,
    pub issued_at: NaiveDateTime,
}

/// A bill with what was paid on it and the late fees around it.
#[derive(Debug, Clone)]
pub struct BillStanding {
    pub bill: BillRow,
    pub paid_fen: i64,
    /// Late fees later bills charged on this one.
    pub late_fees_billed_fen: i64,
    /// This bill's own late-fee lines.
    pub own_late_fees_fen: i64,
}

impl BillStanding {
    pub fn outstanding_fen(&self) -> i64 {
        self.bill.total_fen - self.paid_fen
    }
}

/// The bills of these households (or of a whole company or estate), oldest
/// first, with payments and late fees summed: four queries however many.
pub fn standings(
    conn: &mut DbConn,
    households: Option<&[i64]>,
    company: Option<i64>,
    estate: Option<i64>,
) -> Result<Vec<BillStanding>, DbError> {
    let mut rows: Vec<BillRow> = Vec::new();
    let load = |conn: &mut DbConn, some: Option<&[i64]>| -> Result<Vec<BillRow>, DbError> {
        let mut q = bills::table.into_boxed();
        if let Some(h) = some {
            q = q.filter(bills::household_id.eq_any(h.to_vec()));
        }
        if let Some(c) = company {
            q = q.filter(bills::company_id.eq(c));
        }
        if let Some(e) = estate {
            q = q.filter(bills::estate_id.eq(e));
        }
        Ok(q.order((bills::month, bills::id)).load::<BillRow>(conn)?)
    };
    match households {
        Some(h) => {
            for chunk in h.chunks(ROWS_PER_INSERT) {
                rows.extend(load(conn, Some(chunk))?);
            }
        }
        None => rows = load(conn, None)?,
    }
    let ids: Vec<i64> = rows.iter().map(|b| b.id).collect();
    let mut paid: HashMap<i64, i64> = HashMap::new();
    let mut billed_on: HashMap<i64, i64> = HashMap::new();
    let mut own: HashMap<i64, i64> = HashMap::new();
    for chunk in ids.chunks(ROWS_PER_INSERT) {
        paid.extend(
            allocations::table
                .filter(allocations::bill_id.eq_any(chunk))
                .group_by(allocations::bill_id)
                .select((allocations::bill_id, sum_fen("amount_fen")))
                .load::<(i64, i64)>(conn)?,
        );
        for (of, fen) in bill_lines::table
            .filter(bill_lines::late_fee_of.eq_any(chunk))
            .select((bill_lines::late_fee_of, bill_lines::amount_fen))
            .load::<(Option<i64>, i64)>(conn)?
        {
            if let Some(of) = of {
                *billed_on.entry(of).or_default() += fen;
            }
        }
        for (bill, fen) in bill_lines::table
            .filter(bill_lines::bill_id.eq_any(chunk))
            .filter(bill_lines::kind.eq("late_fee"))
            .select((bill_lines::bill_id, bill_lines::amount_fen))
            .load::<(i64, i64)>(conn)?
        {
            *own.entry(bill).or_default() += fen;
        }
    }
    Ok(rows
        .into_iter()
        .map(|bill| BillStanding {
            paid_fen: paid.get(&bill.id).copied().unwrap_or(0),
            late_fees_billed_fen: billed_on.get(&bill.id).copied().unwrap_or(0),
            own_late_fees_fen: own.get(&bill.id).copied().unwrap_or(0),
            bill,
        })
        .collect())
}

/// A bill to insert.
pub struct NewBill<'a> {
    pub company_id: i64,
    pub estate_id: i64,
    pub household_id: i64,
    pub contract_id: i64,
    pub month: &'a str,
    pub due_on: NaiveDate,
    pub total_fen: i64,
    pub issued_at: NaiveDateTime,
}

/// Inserts the bills and returns their ids by household.
pub fn insert_bills(conn: &mut DbConn, new: &[NewBill<'_>]) -> Result<HashMap<i64, i64>, DbError> {
    let rows: Vec<_> = new
        .iter()
        .map(|b| {
            (
                bills::company_id.eq(b.company_id),
                bills::estate_id.eq(b.estate_id),
                bills::household_id.eq(b.household_id),
                bills::contract_id.eq(b.contract_id),
                bills::month.eq(b.month),
                bills::due_on.eq(b.due_on),
                bills::total_fen.eq(b.total_fen),
                bills::issued_at.eq(b.issued_at),
            )
        })
        .collect();
    batch_insert!(conn, bills::table, rows);
    let Some(first) = new.first() else {
        return Ok(HashMap::new());
    };
    let households: Vec<i64> = new.iter().map(|b| b.household_id).collect();
    let mut ids = HashMap::new();
    for chunk in households.chunks(ROWS_PER_INSERT) {
        ids.extend(
            bills::table
                .filter(bills::contract_id.eq(first.contract_id))
                .filter(bills::month.eq(first.month))
                .filter(bills::household_id.eq_any(chunk))
                .select((bills::household_id, bills::id))
                .load::<(i64, i64)>(conn)?,
        );
    }
    Ok(ids)
}

/// A bill line to insert.
pub struct NewLine {
    pub bill_id: i64,
    pub kind: &'static str,
    pub name_zh: String,
    pub name_en: String,
    pub detail: String,
    pub amount_fen: i64,
    pub market_fen: i64,
    pub charge_id: Option<i64>,
    pub adjustment_id: Option<i64>,
    pub late_fee_of: Option<i64>,
}

pub fn insert_lines(conn: &mut DbConn, new: &[NewLine]) -> Result<(), DbError> {
    let rows: Vec<_> = new
        .iter()
        .map(|l| {
            (
                bill_lines::bill_id.eq(l.bill_id),
                bill_lines::kind.eq(l.kind),
                bill_lines::name_zh.eq(&l.name_zh),
                bill_lines::name_en.eq(&l.name_en),
                bill_lines::detail.eq(&l.detail),
                bill_lines::amount_fen.eq(l.amount_fen),
                bill_lines::market_fen.eq(l.market_fen),
                bill_lines::charge_id.eq(l.charge_id),
                bill_lines::adjustment_id.eq(l.adjustment_id),
                bill_lines::late_fee_of.eq(l.late_fee_of),
            )
        })
        .collect();
    batch_insert!(conn, bill_lines::table, rows);
    Ok(())
}

/// Marks charges and adjustments as billed.
pub fn mark_billed(
    conn: &mut DbConn,
    charge_bills: &[(i64, i64)],
    adjustment_bills: &[(i64, i64)],
) -> Result<(), DbError> {
    for (charge, bill) in charge_bills {
        diesel::update(charges::table.find(charge))
            .set(charges::bill_id.eq(bill))
            .execute(conn)?;
    }
    for (adjustment, bill) in adjustment_bills {
        diesel::update(adjustments::table.find(adjustment))
            .set(adjustments::bill_id.eq(bill))
            .execute(conn)?;
    }
    Ok(())
}

/// A ledger line to insert (debit positive, credit negative).
pub struct NewPosting<'a> {
    pub company_id: i64,
    pub posted_at: NaiveDateTime,
    pub source: &'static str,
    pub source_id: i64,
    pub account: &'a str,
    pub household_id: Option<i64>,
    pub amount_fen: i64,
}

pub fn insert_postings(conn: &mut DbConn, new: &[NewPosting<'_>]) -> Result<(), DbError> {
    let rows: Vec<_> = new
        .iter()
        .map(|p| {
            (
                ledger_lines::company_id.eq(p.company_id),
                ledger_lines::posted_at.eq(p.posted_at),
                ledger_lines::source.eq(p.source),
                ledger_lines::source_id.eq(p.source_id),
                ledger_lines::account.eq(p.account),
                ledger_lines::household_id.eq(p.household_id),
                ledger_lines::amount_fen.eq(p.amount_fen),
            )
        })
        .collect();
    batch_insert!(conn, ledger_lines::table, rows);
    Ok(())
}

/// The company's balance per account (signed: debit positive).
pub fn account_sums(conn: &mut DbConn, company: i64) -> Result<Vec<(String, i64)>, DbError> {
    Ok(ledger_lines::table
        .filter(ledger_lines::company_id.eq(company))
        .group_by(ledger_lines::account)
        .select((ledger_lines::account, sum_fen("amount_fen")))
        .load(conn)?)
}

/// Companies with anything in the ledger.
pub fn ledger_companies(conn: &mut DbConn) -> Result<Vec<i64>, DbError> {
    Ok(ledger_lines::table
        .select(ledger_lines::company_id)
        .distinct()
        .order(ledger_lines::company_id)
        .load(conn)?)
}

/// Each source's lines that do not sum to zero (there should be none).
pub fn unbalanced_sources(
    conn: &mut DbConn,
    company: i64,
) -> Result<Vec<(String, i64, i64)>, DbError> {
    Ok(ledger_lines::table
        .filter(ledger_lines::company_id.eq(company))
        .group_by((ledger_lines::source, ledger_lines::source_id))
        .having(sql::<diesel::sql_types::Bool>("SUM(amount_fen) <> 0"))
        .select((
            ledger_lines::source,
            ledger_lines::source_id,
            sum_fen("amount_fen"),
        ))
        .load(conn)?)
}

// ----- runs -----

#[derive(Queryable, Debug, Clone)]
pub struct RunRow {
    pub company_id: i64,
    pub month: String,
    pub state: String,
    pub total: i64,
    pub done: i64,
    pub issued: i64,
    pub started_by: Option<i64>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

pub fn run(conn: &mut DbConn, company: i64, month: &str) -> Result<Option<RunRow>, DbError> {
    Ok(bill_runs::table
        .find((company, month))
        .first(conn)
        .optional()?)
}

pub fn runs(conn: &mut DbConn, company: i64) -> Result<Vec<RunRow>, DbError> {
    Ok(bill_runs::table
        .filter(bill_runs::company_id.eq(company))
        .order(bill_runs::month.desc())
        .load(conn)?)
}

/// Bill runs marked running: in progress, or interrupted by a stop.
pub fn running_runs(conn: &mut DbConn) -> Result<Vec<RunRow>, DbError> {
    Ok(bill_runs::table
        .filter(bill_runs::state.eq("running"))
        .order((bill_runs::company_id, bill_runs::month))
        .load(conn)?)
}

/// Marks the run started (again): counts from zero.
pub fn start_run(
    conn: &mut DbConn,
    company: i64,
    month: &str,
    total: i64,
    by: Option<i64>,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    let updated = diesel::update(bill_runs::table.find((company, month)))
        .set((
            bill_runs::state.eq("running"),
            bill_runs::total.eq(total),
            bill_runs::done.eq(0),
            bill_runs::issued.eq(0),
            bill_runs::started_by.eq(by),
            bill_runs::started_at.eq(at),
            bill_runs::finished_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(bill_runs::table)
            .values((
                bill_runs::company_id.eq(company),
                bill_runs::month.eq(month),
                bill_runs::state.eq("running"),
                bill_runs::total.eq(total),
                bill_runs::started_by.eq(by),
                bill_runs::started_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn advance_run(
    conn: &mut DbConn,
    company: i64,
    month: &str,
    done: i64,
    issued: i64,
) -> Result<(), DbError> {
    diesel::update(bill_runs::table.find((company, month)))
        .set((
            bill_runs::done.eq(bill_runs::done + done),
            bill_runs::issued.eq(bill_runs::issued + issued),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn finish_run(
    conn: &mut DbConn,
    company: i64,
    month: &str,
    state: &str,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(bill_runs::table.find((company, month)))
        .set((
            bill_runs::state.eq(state),
            bill_runs::finished_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

// ----- a household's bills and payments -----

pub fn bills_of_household(conn: &mut DbConn, household: i64) -> Result<Vec<BillRow>, DbError> {
    Ok(bills::table
        .filter(bills::household_id.eq(household))
        .order((bills::month.desc(), bills::id.desc()))
        .load(conn)?)
}

#[derive(Queryable, Debug, Clone)]
pub struct LineRow {
    pub bill_id: i64,
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub detail: String,
    pub amount_fen: i64,
    pub market_fen: i64,
}

pub fn lines_of(conn: &mut DbConn, bill_ids: &[i64]) -> Result<Vec<LineRow>, DbError> {
    Ok(bill_lines::table
        .filter(bill_lines::bill_id.eq_any(bill_ids))
        .order(bill_lines::id)
        .select((
            bill_lines::bill_id,
            bill_lines::kind,
            bill_lines::name_zh,
            bill_lines::name_en,
            bill_lines::detail,
            bill_lines::amount_fen,
            bill_lines::market_fen,
        ))
        .load(conn)?)
}

#[derive(Queryable, Debug, Clone)]
pub struct PaymentRow {
    pub id: i64,
    pub company_id: i64,
    pub household_id: i64,
    pub method: String,
    pub reference: String,
    pub amount_fen: i64,
    pub paid_at: NaiveDateTime,
    pub recorded_by: Option<i64>,
    pub reversal_of: Option<i64>,
    pub reason: String,
    pub receipt_year: i64,
    pub receipt_seq: i64,
    pub prev_seq: Option<i64>,
    pub form_token: Option<String>,
}

pub fn payment(conn: &mut DbConn, id: i64) -> Result<PaymentRow, DbError> {
    Ok(payments::table.find(id).first(conn)?)
}

pub fn payment_by_token(conn: &mut DbConn, token: &str) -> Result<Option<PaymentRow>, DbError> {
    Ok(payments::table
        .filter(payments::form_token.eq(token))
        .first(conn)
        .optional()?)
}

pub fn payments_of_household(
    conn: &mut DbConn,
    household: i64,
) -> Result<Vec<PaymentRow>, DbError> {
    Ok(payments::table
        .filter(payments::household_id.eq(household))
        .order(payments::id.desc())
        .load(conn)?)
}

/// Which of these payments were reversed, and by which: (original, reversal).
pub fn reversals_of(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    Ok(payments::table
        .filter(payments::reversal_of.eq_any(ids))
        .select((payments::reversal_of.assume_not_null(), payments::id))
        .load(conn)?)
}

/// The payment that reversed `id`, if any.
pub fn reversal_of(conn: &mut DbConn, id: i64) -> Result<Option<i64>, DbError> {
    Ok(payments::table
        .filter(payments::reversal_of.eq(id))
        .select(payments::id)
        .first(conn)
        .optional()?)
}

/// What each payment settled: (payment, bill month, amount).
pub fn allocations_of(
    conn: &mut DbConn,
    payment_ids: &[i64],
) -> Result<Vec<(i64, i64, String, i64)>, DbError> {
    Ok(allocations::table
        .inner_join(bills::table)
        .filter(allocations::payment_id.eq_any(payment_ids))
        .order((allocations::payment_id, bills::month))
        .select((
            allocations::payment_id,
            allocations::bill_id,
            bills::month,
            allocations::amount_fen,
        ))
        .load(conn)?)
}

/// Takes the company's row for the rest of the transaction, so two payments
/// of one company draw receipt numbers one after the other on PostgreSQL
/// (SQLite write transactions are serialised already).
pub fn lock_company(conn: &mut DbConn, company: i64) -> Result<(), DbError> {
    diesel::update(companies::table.find(company))
        .set(companies::name.eq(companies::name))
        .execute(conn)?;
    Ok(())
}

/// The last receipt number the company gave this year (0 before the first).
pub fn last_receipt(conn: &mut DbConn, company: i64, year: i64) -> Result<i64, DbError> {
    Ok(payments::table
        .filter(payments::company_id.eq(company))
        .filter(payments::receipt_year.eq(year))
        .select(diesel::dsl::max(payments::receipt_seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

pub struct NewPayment<'a> {
    pub company_id: i64,
    pub household_id: i64,
    pub method: &'a str,
    pub reference: &'a str,
    pub amount_fen: i64,
    pub paid_at: NaiveDateTime,
    pub recorded_by: Option<i64>,
    pub reversal_of: Option<i64>,
    pub reason: &'a str,
    pub receipt_year: i64,
    pub receipt_seq: i64,
    pub form_token: Option<&'a str>,
}

pub fn insert_payment(conn: &mut DbConn, p: &NewPayment<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(payments::table)
        .values((
            payments::company_id.eq(p.company_id),
            payments::household_id.eq(p.household_id),
            payments::method.eq(p.method),
            payments::reference.eq(p.reference),
            payments::amount_fen.eq(p.amount_fen),
            payments::paid_at.eq(p.paid_at),
            payments::recorded_by.eq(p.recorded_by),
            payments::reversal_of.eq(p.reversal_of),
            payments::reason.eq(p.reason),
            payments::receipt_year.eq(p.receipt_year),
            payments::receipt_seq.eq(p.receipt_seq),
            payments::prev_seq.eq((p.receipt_seq > 1).then_some(p.receipt_seq - 1)),
            payments::form_token.eq(p.form_token),
        ))
        .returning(payments::id)
        .get_result(conn)?)
}

pub fn insert_allocations(
    conn: &mut DbConn,
    payment: i64,
    parts: &[(i64, i64)],
) -> Result<(), DbError> {
    let rows: Vec<_> = parts
        .iter()
        .map(|(bill, fen)| {
            (
                allocations::payment_id.eq(payment),
                allocations::bill_id.eq(*bill),
                allocations::amount_fen.eq(*fen),
            )
        })
        .collect();
    batch_insert!(conn, allocations::table, rows);
    Ok(())
}

/// Receipt numbers of a company and year, in order (for checking gaps).
pub fn receipt_numbers(conn: &mut DbConn, company: i64, year: i64) -> Result<Vec<i64>, DbError> {
    Ok(payments::table
        .filter(payments::company_id.eq(company))
        .filter(payments::receipt_year.eq(year))
        .order(payments::receipt_seq)
        .select(payments::receipt_seq)
        .load(conn)?)
}

pub fn insert_adjustment(
    conn: &mut DbConn,
    company: i64,
    household: i64,
    amount_fen: i64,
    reason: &str,
    by: Option<i64>,
    at: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(adjustments::table)
        .values((
            adjustments::company_id.eq(company),
            adjustments::household_id.eq(household),
            adjustments::amount_fen.eq(amount_fen),
            adjustments::reason.eq(reason),
            adjustments::created_by.eq(by),
            adjustments::created_at.eq(at),
        ))
        .returning(adjustments::id)
        .get_result(conn)?)
}

/// A charge's bill, if it has been billed.
pub fn charge_bill(conn: &mut DbConn, order: i64, kind: &str) -> Result<Option<i64>, DbError> {
    Ok(charges::table
        .filter(charges::order_id.eq(order))
        .filter(charges::kind.eq(kind))
        .select(charges::bill_id)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten())
}

// ----- arrears -----

/// The latest step on each household's ladder: household → (stage, on).
pub fn latest_steps(
    conn: &mut DbConn,
    company: i64,
) -> Result<BTreeMap<i64, (String, NaiveDate)>, DbError> {
    let mut out = BTreeMap::new();
    for (household, stage, on) in arrears_steps::table
        .filter(arrears_steps::company_id.eq(company))
        .order(arrears_steps::id)
        .select((
            arrears_steps::household_id,
            arrears_steps::stage,
            arrears_steps::taken_on,
        ))
        .load::<(i64, String, NaiveDate)>(conn)?
    {
        out.insert(household, (stage, on));
    }
    Ok(out)
}

/// The last reminder each household got: household → day.
pub fn last_reminders(conn: &mut DbConn, company: i64) -> Result<HashMap<i64, NaiveDate>, DbError> {
    let mut out = HashMap::new();
    for (household, on) in arrears_steps::table
        .filter(arrears_steps::company_id.eq(company))
        .filter(arrears_steps::stage.eq("reminder"))
        .select((arrears_steps::household_id, arrears_steps::taken_on))
        .load::<(i64, NaiveDate)>(conn)?
    {
        let e = out.entry(household).or_insert(on);
        if on > *e {
            *e = on;
        }
    }
    Ok(out)
}

pub struct NewStep<'a> {
    pub company_id: i64,
    pub household_id: i64,
    pub stage: &'a str,
    pub note: &'a str,
    pub taken_by: Option<i64>,
    pub taken_on: NaiveDate,
    pub created_at: NaiveDateTime,
}

pub fn insert_step(conn: &mut DbConn, s: &NewStep<'_>) -> Result<(), DbError> {
    diesel::insert_into(arrears_steps::table)
        .values((
            arrears_steps::company_id.eq(s.company_id),
            arrears_steps::household_id.eq(s.household_id),
            arrears_steps::stage.eq(s.stage),
            arrears_steps::note.eq(s.note),
            arrears_steps::taken_by.eq(s.taken_by),
            arrears_steps::taken_on.eq(s.taken_on),
            arrears_steps::created_at.eq(s.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Where a household is: estate, estate_en, building, unit, room.
pub type LabelParts = (String, String, String, String, String);

/// Household labels by id.
pub fn household_labels(
    conn: &mut DbConn,
    ids: &[i64],
) -> Result<HashMap<i64, LabelParts>, DbError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(ROWS_PER_INSERT) {
        for (id, e, en, b, u, r) in households::table
            .inner_join(buildings::table.inner_join(estates::table))
            .filter(households::id.eq_any(chunk))
            .select((
                households::id,
                estates::name,
                estates::name_en,
                buildings::name,
                households::unit,
                households::room,
            ))
            .load::<(i64, String, String, String, String, String)>(conn)?
        {
            out.insert(id, (e, en, b, u, r));
        }
    }
    Ok(out)
}

/// Names of the people who recorded payments: id → name.
pub fn person_names(conn: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, String>, DbError> {
    Ok(persons::table
        .filter(persons::id.eq_any(ids))
        .select((persons::id, persons::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

pub fn payments_of_company(conn: &mut DbConn, company: i64) -> Result<Vec<PaymentRow>, DbError> {
    Ok(payments::table
        .filter(payments::company_id.eq(company))
        .order((payments::receipt_year, payments::receipt_seq))
        .load(conn)?)
}

/// Companies that have issued bills.
pub fn billing_companies(conn: &mut DbConn) -> Result<Vec<i64>, DbError> {
    Ok(bills::table
        .select(bills::company_id)
        .distinct()
        .order(bills::company_id)
        .load(conn)?)
}

/// Gaps in the receipt numbers of each company and year: numbers missing
/// between 1 and the highest one issued.
pub fn receipt_gaps(conn: &mut DbConn) -> Result<usize, DbError> {
    let numbers: Vec<(i64, i64, i64)> = payments::table
        .select((
            payments::company_id,
            payments::receipt_year,
            payments::receipt_seq,
        ))
        .order((
            payments::company_id,
            payments::receipt_year,
            payments::receipt_seq,
        ))
        .load(conn)?;
    let mut gaps = 0usize;
    let mut previous: Option<(i64, i64, i64)> = None;
    for (company, year, seq) in numbers {
        let expected = match previous {
            Some((c, y, s)) if c == company && y == year => s + 1,
            _ => 1,
        };
        gaps += usize::try_from(seq - expected).unwrap_or(0);
        previous = Some((company, year, seq));
    }
    Ok(gaps)
}

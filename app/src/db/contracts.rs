//! Service contracts, their lines and their history.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{contract_events, contract_lines, contracts, persons, services};
use super::{DbConn, DbError};

#[derive(Queryable, Debug, Clone)]
pub struct ContractRow {
    pub id: i64,
    pub company_id: i64,
    pub estate_id: i64,
    pub state: String,
    pub fee_model: String,
    pub commission_bp: Option<i64>,
    pub late_fee_daily_bp: Option<i64>,
    pub late_fee_cap_bp: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub renews_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub free_cancel_hours: i64,
    pub late_cancel_bp: i64,
    /// The share of area fees a vacant home pays (basis points).
    pub vacant_fee_bp: i64,
}

pub fn contract(conn: &mut DbConn, id: i64) -> Result<ContractRow, DbError> {
    Ok(contracts::table.filter(contracts::id.eq(id)).first(conn)?)
}

/// The estate's contracts, newest first.
pub fn contracts_of_estate(conn: &mut DbConn, estate_id: i64) -> Result<Vec<ContractRow>, DbError> {
    Ok(contracts::table
        .filter(contracts::estate_id.eq(estate_id))
        .order(contracts::id.desc())
        .load(conn)?)
}

/// The contract renewing this one, if any.
pub fn renewal_of(conn: &mut DbConn, id: i64) -> Result<Option<i64>, DbError> {
    Ok(contracts::table
        .filter(contracts::renews_id.eq(id))
        .select(contracts::id)
        .first(conn)
        .optional()?)
}

pub struct NewContract {
    pub company_id: i64,
    pub estate_id: i64,
    pub state: &'static str,
    pub fee_model: &'static str,
    pub commission_bp: Option<i64>,
    pub late_fee: Option<(i64, i64)>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub renews_id: Option<i64>,
    pub at: NaiveDateTime,
    /// The share of area fees a vacant home pays (basis points).
    pub vacant_fee_bp: i64,
}

pub fn insert_contract(conn: &mut DbConn, c: &NewContract) -> Result<i64, DbError> {
    Ok(diesel::insert_into(contracts::table)
        .values((
            contracts::company_id.eq(c.company_id),
            contracts::estate_id.eq(c.estate_id),
            contracts::state.eq(c.state),
            contracts::fee_model.eq(c.fee_model),
            contracts::commission_bp.eq(c.commission_bp),
            contracts::late_fee_daily_bp.eq(c.late_fee.map(|l| l.0)),
            contracts::late_fee_cap_bp.eq(c.late_fee.map(|l| l.1)),
            contracts::starts_on.eq(c.starts_on),
            contracts::ends_on.eq(c.ends_on),
            contracts::renews_id.eq(c.renews_id),
            contracts::created_at.eq(c.at),
            contracts::vacant_fee_bp.eq(c.vacant_fee_bp),
        ))
        .returning(contracts::id)
        .get_result(conn)?)
}

pub struct Terms {
    pub fee_model: &'static str,
    pub commission_bp: Option<i64>,
    pub late_fee: Option<(i64, i64)>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub vacant_fee_bp: i64,
}

pub fn update_terms(conn: &mut DbConn, id: i64, t: &Terms) -> Result<(), DbError> {
    diesel::update(contracts::table.filter(contracts::id.eq(id)))
        .set((
            contracts::fee_model.eq(t.fee_model),
            contracts::commission_bp.eq(t.commission_bp),
            contracts::late_fee_daily_bp.eq(t.late_fee.map(|l| l.0)),
            contracts::late_fee_cap_bp.eq(t.late_fee.map(|l| l.1)),
            contracts::starts_on.eq(t.starts_on),
            contracts::ends_on.eq(t.ends_on),
            contracts::vacant_fee_bp.eq(t.vacant_fee_bp),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the contract's row for a change of its terms or lines, if it is
/// still a draft or returned: 0 when it is not. On PostgreSQL the row stays
/// locked until the transaction ends, so a concurrent submission waits.
pub fn claim_editable(conn: &mut DbConn, id: i64) -> Result<usize, DbError> {
    Ok(diesel::update(
        contracts::table
            .filter(contracts::id.eq(id))
            .filter(contracts::state.eq_any(["draft", "returned"])),
    )
    .set(contracts::state.eq(contracts::state))
    .execute(conn)?)
}

/// Moves a contract from `from` to `to`; 0 when it was no longer in `from`
/// (someone else moved it first).
pub fn set_state(conn: &mut DbConn, id: i64, from: &str, to: &str) -> Result<usize, DbError> {
    Ok(diesel::update(
        contracts::table
            .filter(contracts::id.eq(id))
            .filter(contracts::state.eq(from)),
    )
    .set(contracts::state.eq(to))
    .execute(conn)?)
}

#[derive(Queryable, Debug, Clone)]
pub struct LineRow {
    pub id: i64,
    pub contract_id: i64,
    pub service_id: i64,
    pub unit_price_fen: i64,
    pub basis: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
}

pub fn lines_of(conn: &mut DbConn, contract_ids: &[i64]) -> Result<Vec<LineRow>, DbError> {
    Ok(contract_lines::table
        .inner_join(services::table)
        .filter(contract_lines::contract_id.eq_any(contract_ids))
        .select((
            contract_lines::id,
            contract_lines::contract_id,
            contract_lines::service_id,
            contract_lines::unit_price_fen,
            contract_lines::basis,
            services::name,
            services::name_en,
            services::unit,
        ))
        .order(contract_lines::id)
        .load(conn)?)
}

pub fn line_contract(conn: &mut DbConn, line_id: i64) -> Result<i64, DbError> {
    Ok(contract_lines::table
        .filter(contract_lines::id.eq(line_id))
        .select(contract_lines::contract_id)
        .first(conn)?)
}

pub fn insert_line(
    conn: &mut DbConn,
    contract_id: i64,
    service_id: i64,
    unit_price_fen: i64,
    basis: &str,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(contract_lines::table)
        .values((
            contract_lines::contract_id.eq(contract_id),
            contract_lines::service_id.eq(service_id),
            contract_lines::unit_price_fen.eq(unit_price_fen),
            contract_lines::basis.eq(basis),
        ))
        .returning(contract_lines::id)
        .get_result(conn)?)
}

pub fn delete_line(conn: &mut DbConn, line_id: i64) -> Result<usize, DbError> {
    Ok(
        diesel::delete(contract_lines::table.filter(contract_lines::id.eq(line_id)))
            .execute(conn)?,
    )
}

#[derive(Queryable, Debug, Clone)]
pub struct EventRow {
    pub at: NaiveDateTime,
    pub by: Option<String>,
    pub step: Option<String>,
    pub to_state: String,
    pub comment: String,
}

pub fn events_of(conn: &mut DbConn, contract_id: i64) -> Result<Vec<EventRow>, DbError> {
    Ok(contract_events::table
        .left_join(persons::table)
        .filter(contract_events::contract_id.eq(contract_id))
        .select((
            contract_events::at,
            persons::name.nullable(),
            contract_events::step,
            contract_events::to_state,
            contract_events::comment,
        ))
        .order(contract_events::id)
        .load(conn)?)
}

pub struct NewEvent<'a> {
    pub contract_id: i64,
    pub at: NaiveDateTime,
    pub person_id: Option<i64>,
    pub step: Option<&'a str>,
    pub to_state: &'a str,
    pub comment: &'a str,
}

pub fn insert_event(conn: &mut DbConn, e: &NewEvent<'_>) -> Result<(), DbError> {
    diesel::insert_into(contract_events::table)
        .values((
            contract_events::contract_id.eq(e.contract_id),
            contract_events::at.eq(e.at),
            contract_events::person_id.eq(e.person_id),
            contract_events::step.eq(e.step),
            contract_events::to_state.eq(e.to_state),
            contract_events::comment.eq(e.comment),
        ))
        .execute(conn)?;
    Ok(())
}

/// Active contracts of an estate other than `except`, with their terms and
/// service ids, for the overlap rule.
pub fn active_of_estate(
    conn: &mut DbConn,
    estate_id: i64,
    except: i64,
) -> Result<Vec<(i64, NaiveDate, NaiveDate, i64)>, DbError> {
    Ok(contracts::table
        .inner_join(contract_lines::table)
        .filter(contracts::estate_id.eq(estate_id))
        .filter(contracts::state.eq("active"))
        .filter(contracts::id.ne(except))
        .select((
            contracts::id,
            contracts::starts_on,
            contracts::ends_on,
            contract_lines::service_id,
        ))
        .load(conn)?)
}

//! Services and their price versions.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{persons, service_prices, services};
use super::{DbConn, DbError};

#[derive(Queryable, Debug, Clone)]
pub struct ServiceRow {
    pub id: i64,
    pub company_id: i64,
    pub category: String,
    pub unit: String,
    pub name: String,
    pub name_en: String,
    pub visit_minutes: i64,
    pub response_hours: i64,
}

const SERVICE_COLUMNS: (
    services::id,
    services::company_id,
    services::category,
    services::unit,
    services::name,
    services::name_en,
    services::visit_minutes,
    services::response_hours,
) = (
    services::id,
    services::company_id,
    services::category,
    services::unit,
    services::name,
    services::name_en,
    services::visit_minutes,
    services::response_hours,
);

/// How long a visit takes and how soon an order must be answered.
pub fn set_timing(
    conn: &mut DbConn,
    id: i64,
    visit_minutes: i64,
    response_hours: i64,
) -> Result<(), DbError> {
    diesel::update(services::table.filter(services::id.eq(id)))
        .set((
            services::visit_minutes.eq(visit_minutes),
            services::response_hours.eq(response_hours),
        ))
        .execute(conn)?;
    Ok(())
}

/// A company's services still offered, in the order they were added.
pub fn services_of(conn: &mut DbConn, company_id: i64) -> Result<Vec<ServiceRow>, DbError> {
    Ok(services::table
        .filter(services::company_id.eq(company_id))
        .filter(services::retired_at.is_null())
        .select(SERVICE_COLUMNS)
        .order(services::id)
        .load(conn)?)
}

pub fn service(conn: &mut DbConn, id: i64) -> Result<ServiceRow, DbError> {
    Ok(services::table
        .filter(services::id.eq(id))
        .select(SERVICE_COLUMNS)
        .first(conn)?)
}

pub struct NewService<'a> {
    pub company_id: i64,
    pub category: &'a str,
    pub unit: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert_service(conn: &mut DbConn, s: &NewService<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(services::table)
        .values((
            services::company_id.eq(s.company_id),
            services::category.eq(s.category),
            services::unit.eq(s.unit),
            services::name.eq(s.name),
            services::name_en.eq(s.name_en),
            services::created_at.eq(s.at),
        ))
        .returning(services::id)
        .get_result(conn)?)
}

#[derive(Queryable, Debug, Clone)]
pub struct PriceRow {
    pub id: i64,
    pub service_id: i64,
    pub our_fen: i64,
    pub market_fen: i64,
    pub reason: String,
    pub market_source: String,
    pub surveyed_on: NaiveDate,
    pub effective_from: NaiveDate,
    /// Who set it; none for the demo data.
    pub set_by: Option<String>,
}

/// Every price version of these services, newest first per service, with
/// the name of who set it; one query.
pub fn prices_of(conn: &mut DbConn, service_ids: &[i64]) -> Result<Vec<PriceRow>, DbError> {
    Ok(service_prices::table
        .left_join(persons::table)
        .filter(service_prices::service_id.eq_any(service_ids))
        .select((
            service_prices::id,
            service_prices::service_id,
            service_prices::our_fen,
            service_prices::market_fen,
            service_prices::reason,
            service_prices::market_source,
            service_prices::surveyed_on,
            service_prices::effective_from,
            persons::name.nullable(),
        ))
        .order((
            service_prices::service_id,
            service_prices::effective_from.desc(),
        ))
        .load(conn)?)
}

/// The latest effective date of a service's prices.
pub fn latest_effective(conn: &mut DbConn, service_id: i64) -> Result<Option<NaiveDate>, DbError> {
    Ok(service_prices::table
        .filter(service_prices::service_id.eq(service_id))
        .select(diesel::dsl::max(service_prices::effective_from))
        .first(conn)?)
}

pub struct NewPrice<'a> {
    pub service_id: i64,
    pub our_fen: i64,
    pub market_fen: i64,
    pub reason: &'a str,
    pub market_source: &'a str,
    pub surveyed_on: NaiveDate,
    pub effective_from: NaiveDate,
    pub set_by: Option<i64>,
    pub at: NaiveDateTime,
}

pub fn insert_price(conn: &mut DbConn, p: &NewPrice<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(service_prices::table)
        .values((
            service_prices::service_id.eq(p.service_id),
            service_prices::our_fen.eq(p.our_fen),
            service_prices::market_fen.eq(p.market_fen),
            service_prices::reason.eq(p.reason),
            service_prices::market_source.eq(p.market_source),
            service_prices::surveyed_on.eq(p.surveyed_on),
            service_prices::effective_from.eq(p.effective_from),
            service_prices::set_by.eq(p.set_by),
            service_prices::created_at.eq(p.at),
        ))
        .returning(service_prices::id)
        .get_result(conn)?)
}

/// Whether the company has any service yet (the demo seeds only once).
pub fn has_services(conn: &mut DbConn, company_id: i64) -> Result<bool, DbError> {
    let n: i64 = services::table
        .filter(services::company_id.eq(company_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

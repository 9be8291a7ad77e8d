//! Estates, buildings and households (simplest form).

use diesel::prelude::*;

use super::schema::{buildings, communities, estates, households, persons, role_grants};
use super::{DbConn, DbError};

#[derive(Queryable, Debug)]
pub struct HouseholdRow {
    pub id: i64,
    pub unit: String,
    pub room: String,
    pub building: String,
    pub estate_id: i64,
    pub estate: String,
    pub estate_en: String,
    pub address: String,
    pub company_id: Option<i64>,
}

pub fn household(conn: &mut DbConn, id: i64) -> Result<HouseholdRow, DbError> {
    Ok(households::table
        .inner_join(buildings::table.inner_join(estates::table))
        .filter(households::id.eq(id))
        .select((
            households::id,
            households::unit,
            households::room,
            buildings::name,
            estates::id,
            estates::name,
            estates::name_en,
            estates::address,
            estates::company_id,
        ))
        .first(conn)?)
}

/// People holding a live resident grant for the household.
pub fn residents(conn: &mut DbConn, household_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    Ok(role_grants::table
        .inner_join(persons::table)
        .filter(role_grants::household_id.eq(household_id))
        .filter(role_grants::role.eq("resident"))
        .filter(role_grants::revoked_at.is_null())
        .select((persons::id, persons::name))
        .order(persons::id)
        .load(conn)?)
}

#[derive(Queryable, Debug)]
pub struct EstateRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub community: String,
    pub community_en: String,
    pub company_id: Option<i64>,
}

pub fn estate(conn: &mut DbConn, id: i64) -> Result<EstateRow, DbError> {
    Ok(estates::table
        .inner_join(communities::table)
        .filter(estates::id.eq(id))
        .select((
            estates::id,
            estates::name,
            estates::name_en,
            estates::address,
            communities::name,
            communities::name_en,
            estates::company_id,
        ))
        .first(conn)?)
}

/// (building, household id, unit, room) of one estate, in order.
pub fn households_of_estate(
    conn: &mut DbConn,
    estate_id: i64,
) -> Result<Vec<(String, i64, String, String)>, DbError> {
    Ok(households::table
        .inner_join(buildings::table)
        .filter(buildings::estate_id.eq(estate_id))
        .select((
            buildings::name,
            households::id,
            households::unit,
            households::room,
        ))
        .order((buildings::name, households::unit, households::room))
        .load(conn)?)
}

/// An open estate with its company and household count.
#[derive(Queryable, Debug)]
pub struct EstateCount {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub company_id: Option<i64>,
    pub households: i64,
}

pub fn estate_counts(conn: &mut DbConn) -> Result<Vec<EstateCount>, DbError> {
    Ok(estates::table
        .left_join(buildings::table.left_join(households::table))
        .filter(estates::closed_at.is_null())
        .group_by((
            estates::id,
            estates::name,
            estates::name_en,
            estates::company_id,
        ))
        .select((
            estates::id,
            estates::name,
            estates::name_en,
            estates::company_id,
            diesel::dsl::count(households::id.nullable()),
        ))
        .order(estates::id)
        .load(conn)?)
}

pub fn ensure_estate(
    conn: &mut DbConn,
    community_id: i64,
    company_id: Option<i64>,
    name: (&str, &str),
    address: &str,
) -> Result<i64, DbError> {
    let found = estates::table
        .filter(estates::community_id.eq(community_id))
        .filter(estates::name.eq(name.0))
        .select(estates::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(estates::table)
            .values((
                estates::community_id.eq(community_id),
                estates::company_id.eq(company_id),
                estates::name.eq(name.0),
                estates::name_en.eq(name.1),
                estates::address.eq(address),
            ))
            .returning(estates::id)
            .get_result(conn)?),
    }
}

pub fn ensure_building(conn: &mut DbConn, estate_id: i64, name: &str) -> Result<i64, DbError> {
    let found = buildings::table
        .filter(buildings::estate_id.eq(estate_id))
        .filter(buildings::name.eq(name))
        .select(buildings::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(buildings::table)
            .values((buildings::estate_id.eq(estate_id), buildings::name.eq(name)))
            .returning(buildings::id)
            .get_result(conn)?),
    }
}

pub fn ensure_household(
    conn: &mut DbConn,
    building_id: i64,
    unit: &str,
    room: &str,
) -> Result<i64, DbError> {
    let found = households::table
        .filter(households::building_id.eq(building_id))
        .filter(households::unit.eq(unit))
        .filter(households::room.eq(room))
        .select(households::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(households::table)
            .values((
                households::building_id.eq(building_id),
                households::unit.eq(unit),
                households::room.eq(room),
            ))
            .returning(households::id)
            .get_result(conn)?),
    }
}

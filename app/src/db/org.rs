//! Queries on the organisation tree.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{communities, companies, districts, party_organizations, streets};
use super::{DbConn, DbError};

#[derive(Queryable, Debug)]
pub struct DistrictRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
}

#[derive(Queryable, Debug)]
pub struct StreetRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
}

/// A company with the community it serves, flattened for listing.
#[derive(Queryable, Debug)]
pub struct CompanyListingRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub founded_on: NaiveDate,
    pub street_id: i64,
    pub community_name: String,
    pub community_name_en: String,
}

/// A company with both signboards and its place in the grid.
#[derive(Queryable, Debug)]
pub struct CompanyProfileRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub founded_on: NaiveDate,
    pub community_name: String,
    pub community_name_en: String,
    pub street_name: String,
    pub street_name_en: String,
    pub party: Option<(i64, String, String, String)>,
}

/// The district this deployment serves (the first one set up).
pub fn home_district(conn: &mut DbConn) -> Result<Option<DistrictRow>, DbError> {
    Ok(districts::table
        .select((districts::id, districts::name, districts::name_en))
        .order(districts::id)
        .first(conn)
        .optional()?)
}

/// Open streets of a district in their display order.
pub fn open_streets(conn: &mut DbConn, district_id: i64) -> Result<Vec<StreetRow>, DbError> {
    Ok(streets::table
        .filter(streets::district_id.eq(district_id))
        .filter(streets::closed_at.is_null())
        .select((streets::id, streets::name, streets::name_en))
        .order((streets::sort_order, streets::id))
        .load(conn)?)
}

/// Open companies of a district, one query for the whole directory.
pub fn open_companies(
    conn: &mut DbConn,
    district_id: i64,
) -> Result<Vec<CompanyListingRow>, DbError> {
    Ok(companies::table
        .inner_join(communities::table.inner_join(streets::table))
        .filter(streets::district_id.eq(district_id))
        .filter(companies::closed_at.is_null())
        .filter(communities::closed_at.is_null())
        .select((
            companies::id,
            companies::name,
            companies::name_en,
            companies::founded_on,
            streets::id,
            communities::name,
            communities::name_en,
        ))
        .order((streets::sort_order, companies::founded_on, companies::id))
        .load(conn)?)
}

pub fn company_profile(conn: &mut DbConn, company_id: i64) -> Result<CompanyProfileRow, DbError> {
    Ok(companies::table
        .inner_join(communities::table.inner_join(streets::table))
        .left_join(party_organizations::table)
        .filter(companies::id.eq(company_id))
        .select((
            companies::id,
            companies::name,
            companies::name_en,
            companies::founded_on,
            communities::name,
            communities::name_en,
            streets::name,
            streets::name_en,
            (
                party_organizations::id,
                party_organizations::kind,
                party_organizations::name,
                party_organizations::name_en,
            )
                .nullable(),
        ))
        .first(conn)?)
}

/// Finds a district by name or creates it; returns its id.
pub fn ensure_district(conn: &mut DbConn, name: &str, name_en: &str) -> Result<i64, DbError> {
    let found = districts::table
        .filter(districts::name.eq(name))
        .select(districts::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(districts::table)
            .values((districts::name.eq(name), districts::name_en.eq(name_en)))
            .returning(districts::id)
            .get_result(conn)?),
    }
}

pub fn ensure_street(
    conn: &mut DbConn,
    district_id: i64,
    name: &str,
    name_en: &str,
    sort_order: i32,
) -> Result<i64, DbError> {
    let found = streets::table
        .filter(streets::district_id.eq(district_id))
        .filter(streets::name.eq(name))
        .select(streets::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(streets::table)
            .values((
                streets::district_id.eq(district_id),
                streets::name.eq(name),
                streets::name_en.eq(name_en),
                streets::sort_order.eq(sort_order),
            ))
            .returning(streets::id)
            .get_result(conn)?),
    }
}

pub fn ensure_community(
    conn: &mut DbConn,
    street_id: i64,
    name: &str,
    name_en: &str,
) -> Result<i64, DbError> {
    let found = communities::table
        .filter(communities::street_id.eq(street_id))
        .filter(communities::name.eq(name))
        .select(communities::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(communities::table)
            .values((
                communities::street_id.eq(street_id),
                communities::name.eq(name),
                communities::name_en.eq(name_en),
            ))
            .returning(communities::id)
            .get_result(conn)?),
    }
}

pub struct NewPartyOrganization<'a> {
    pub kind: &'a str,
    pub street_id: i64,
    pub community_id: Option<i64>,
    pub name: &'a str,
    pub name_en: &'a str,
}

pub fn ensure_party_organization(
    conn: &mut DbConn,
    new: &NewPartyOrganization<'_>,
) -> Result<i64, DbError> {
    let found = party_organizations::table
        .filter(party_organizations::name.eq(new.name))
        .select(party_organizations::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(party_organizations::table)
            .values((
                party_organizations::kind.eq(new.kind),
                party_organizations::street_id.eq(new.street_id),
                party_organizations::community_id.eq(new.community_id),
                party_organizations::name.eq(new.name),
                party_organizations::name_en.eq(new.name_en),
            ))
            .returning(party_organizations::id)
            .get_result(conn)?),
    }
}

pub struct NewCompany<'a> {
    pub community_id: i64,
    pub party_organization_id: Option<i64>,
    pub name: &'a str,
    pub name_en: &'a str,
    pub founded_on: NaiveDate,
}

pub fn ensure_company(conn: &mut DbConn, new: &NewCompany<'_>) -> Result<i64, DbError> {
    let found = companies::table
        .filter(companies::name.eq(new.name))
        .select(companies::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(companies::table)
            .values((
                companies::community_id.eq(new.community_id),
                companies::party_organization_id.eq(new.party_organization_id),
                companies::name.eq(new.name),
                companies::name_en.eq(new.name_en),
                companies::founded_on.eq(new.founded_on),
            ))
            .returning(companies::id)
            .get_result(conn)?),
    }
}

//! Queries on the organisation tree.

use chrono::{NaiveDate, NaiveDateTime};
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

/// One unit of the structure for the administrator's tree, closed ones
/// included: (id, parent id, name, name_en, closed).
pub type UnitRow = (i64, i64, String, String, bool);

type RawUnit = (i64, i64, String, String, Option<NaiveDateTime>);

fn closed_flag(rows: Vec<RawUnit>) -> Vec<UnitRow> {
    rows.into_iter()
        .map(|(id, parent, name, name_en, closed)| (id, parent, name, name_en, closed.is_some()))
        .collect()
}

/// Streets of a district (parent = district).
pub fn all_streets(conn: &mut DbConn, district_id: i64) -> Result<Vec<UnitRow>, DbError> {
    Ok(closed_flag(
        streets::table
            .filter(streets::district_id.eq(district_id))
            .select((
                streets::id,
                streets::district_id,
                streets::name,
                streets::name_en,
                streets::closed_at,
            ))
            .order((streets::sort_order, streets::id))
            .load(conn)?,
    ))
}

/// Communities of a district (parent = street).
pub fn all_communities(conn: &mut DbConn, district_id: i64) -> Result<Vec<UnitRow>, DbError> {
    Ok(closed_flag(
        communities::table
            .inner_join(streets::table)
            .filter(streets::district_id.eq(district_id))
            .select((
                communities::id,
                communities::street_id,
                communities::name,
                communities::name_en,
                communities::closed_at,
            ))
            .order(communities::id)
            .load(conn)?,
    ))
}

/// Companies of a district (parent = community).
pub fn all_companies(conn: &mut DbConn, district_id: i64) -> Result<Vec<UnitRow>, DbError> {
    Ok(closed_flag(
        companies::table
            .inner_join(communities::table.inner_join(streets::table))
            .filter(streets::district_id.eq(district_id))
            .select((
                companies::id,
                companies::community_id,
                companies::name,
                companies::name_en,
                companies::closed_at,
            ))
            .order(companies::id)
            .load(conn)?,
    ))
}

/// Party organisations of a district: (street, community or none for a street
/// working committee, the unit).
pub fn all_party_organizations(
    conn: &mut DbConn,
    district_id: i64,
) -> Result<Vec<(Option<i64>, UnitRow)>, DbError> {
    type Raw = (i64, i64, Option<i64>, String, String, Option<NaiveDateTime>);
    let rows: Vec<Raw> = party_organizations::table
        .inner_join(streets::table)
        .filter(streets::district_id.eq(district_id))
        .select((
            party_organizations::id,
            party_organizations::street_id,
            party_organizations::community_id,
            party_organizations::name,
            party_organizations::name_en,
            party_organizations::closed_at,
        ))
        .order(party_organizations::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, street, community, name, name_en, closed)| {
            (community, (id, street, name, name_en, closed.is_some()))
        })
        .collect())
}

/// A unit's names and whether it is closed, for the audit snapshot.
pub type UnitFacts = (String, String, Option<NaiveDateTime>);

macro_rules! unit_table_ops {
    ($facts:ident, $rename:ident, $close:ident, $table:ident) => {
        pub fn $facts(conn: &mut DbConn, id: i64) -> Result<UnitFacts, DbError> {
            Ok($table::table
                .find(id)
                .select(($table::name, $table::name_en, $table::closed_at))
                .first(conn)?)
        }

        pub fn $rename(
            conn: &mut DbConn,
            id: i64,
            name: &str,
            name_en: &str,
        ) -> Result<(), DbError> {
            diesel::update($table::table.find(id))
                .set(($table::name.eq(name), $table::name_en.eq(name_en)))
                .execute(conn)?;
            Ok(())
        }

        pub fn $close(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<(), DbError> {
            diesel::update($table::table.find(id))
                .filter($table::closed_at.is_null())
                .set($table::closed_at.eq(at))
                .execute(conn)?;
            Ok(())
        }
    };
}

unit_table_ops!(street_facts, rename_street, close_street, streets);
unit_table_ops!(
    community_facts,
    rename_community,
    close_community,
    communities
);
unit_table_ops!(company_facts, rename_company, close_company, companies);
unit_table_ops!(
    party_organization_facts,
    rename_party_organization,
    close_party_organization,
    party_organizations
);

/// Open units directly under a street or community; a unit with open units
/// under it cannot be closed.
pub fn open_children_of_street(conn: &mut DbConn, id: i64) -> Result<i64, DbError> {
    let communities: i64 = communities::table
        .filter(communities::street_id.eq(id))
        .filter(communities::closed_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(communities)
}

pub fn open_children_of_community(conn: &mut DbConn, id: i64) -> Result<i64, DbError> {
    let companies: i64 = companies::table
        .filter(companies::community_id.eq(id))
        .filter(companies::closed_at.is_null())
        .count()
        .get_result(conn)?;
    let parties: i64 = party_organizations::table
        .filter(party_organizations::community_id.eq(id))
        .filter(party_organizations::closed_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(companies + parties)
}

pub fn insert_street(
    conn: &mut DbConn,
    district_id: i64,
    name: &str,
    name_en: &str,
) -> Result<i64, DbError> {
    let next_order: Option<i32> = streets::table
        .filter(streets::district_id.eq(district_id))
        .select(diesel::dsl::max(streets::sort_order))
        .first(conn)?;
    Ok(diesel::insert_into(streets::table)
        .values((
            streets::district_id.eq(district_id),
            streets::name.eq(name),
            streets::name_en.eq(name_en),
            streets::sort_order.eq(next_order.unwrap_or(0) + 1),
        ))
        .returning(streets::id)
        .get_result(conn)?)
}

pub fn insert_community(
    conn: &mut DbConn,
    street_id: i64,
    name: &str,
    name_en: &str,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(communities::table)
        .values((
            communities::street_id.eq(street_id),
            communities::name.eq(name),
            communities::name_en.eq(name_en),
        ))
        .returning(communities::id)
        .get_result(conn)?)
}

pub fn insert_company(conn: &mut DbConn, new: &NewCompany<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(companies::table)
        .values((
            companies::community_id.eq(new.community_id),
            companies::party_organization_id.eq(new.party_organization_id),
            companies::name.eq(new.name),
            companies::name_en.eq(new.name_en),
            companies::founded_on.eq(new.founded_on),
        ))
        .returning(companies::id)
        .get_result(conn)?)
}

pub fn insert_party_organization(
    conn: &mut DbConn,
    new: &NewPartyOrganization<'_>,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(party_organizations::table)
        .values((
            party_organizations::kind.eq(new.kind),
            party_organizations::street_id.eq(new.street_id),
            party_organizations::community_id.eq(new.community_id),
            party_organizations::name.eq(new.name),
            party_organizations::name_en.eq(new.name_en),
        ))
        .returning(party_organizations::id)
        .get_result(conn)?)
}

/// The open community Party organisation of a community, to link a new company.
pub fn community_party_organization(
    conn: &mut DbConn,
    community_id: i64,
) -> Result<Option<i64>, DbError> {
    Ok(party_organizations::table
        .filter(party_organizations::community_id.eq(community_id))
        .filter(party_organizations::closed_at.is_null())
        .select(party_organizations::id)
        .order(party_organizations::id)
        .first(conn)
        .optional()?)
}

/// The street a community sits on.
pub fn street_of_community(conn: &mut DbConn, community_id: i64) -> Result<i64, DbError> {
    Ok(communities::table
        .find(community_id)
        .select(communities::street_id)
        .first(conn)?)
}

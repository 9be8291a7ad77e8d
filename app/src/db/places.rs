//! Where things sit in the grid: one query per thing, returning every level
//! above it, for `authorize`.

use diesel::prelude::*;

use super::schema::{
    buildings, communities, companies, estates, households, party_organizations, streets,
};
use super::{DbConn, DbError};

/// The levels of a place as raw ids: district, street, community, company,
/// estate, household.
pub type PlaceIds = (i64, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

pub fn household(conn: &mut DbConn, id: i64) -> Result<PlaceIds, DbError> {
    let (district, street, community, company, estate): (i64, i64, i64, Option<i64>, i64) =
        households::table
            .inner_join(buildings::table.inner_join(
                estates::table.inner_join(communities::table.inner_join(streets::table)),
            ))
            .filter(households::id.eq(id))
            .select((
                streets::district_id,
                streets::id,
                communities::id,
                estates::company_id,
                estates::id,
            ))
            .first(conn)?;
    Ok((
        district,
        street,
        Some(community),
        company,
        Some(estate),
        Some(id),
    ))
}

pub fn estate(conn: &mut DbConn, id: i64) -> Result<PlaceIds, DbError> {
    let (district, street, community, company): (i64, i64, i64, Option<i64>) = estates::table
        .inner_join(communities::table.inner_join(streets::table))
        .filter(estates::id.eq(id))
        .select((
            streets::district_id,
            streets::id,
            communities::id,
            estates::company_id,
        ))
        .first(conn)?;
    Ok((district, street, Some(community), company, Some(id), None))
}

pub fn company(conn: &mut DbConn, id: i64) -> Result<PlaceIds, DbError> {
    let (district, street, community): (i64, i64, i64) = companies::table
        .inner_join(communities::table.inner_join(streets::table))
        .filter(companies::id.eq(id))
        .select((streets::district_id, streets::id, communities::id))
        .first(conn)?;
    Ok((district, street, Some(community), Some(id), None, None))
}

pub fn community(conn: &mut DbConn, id: i64) -> Result<PlaceIds, DbError> {
    let (district, street): (i64, i64) = communities::table
        .inner_join(streets::table)
        .filter(communities::id.eq(id))
        .select((streets::district_id, streets::id))
        .first(conn)?;
    Ok((district, street, Some(id), None, None, None))
}

pub fn street(conn: &mut DbConn, id: i64) -> Result<PlaceIds, DbError> {
    let district: i64 = streets::table
        .find(id)
        .select(streets::district_id)
        .first(conn)?;
    Ok((district, id, None, None, None, None))
}

pub fn party_organization(conn: &mut DbConn, id: i64) -> Result<PlaceIds, DbError> {
    let (district, street, community): (i64, i64, Option<i64>) = party_organizations::table
        .inner_join(streets::table)
        .filter(party_organizations::id.eq(id))
        .select((
            streets::district_id,
            streets::id,
            party_organizations::community_id,
        ))
        .first(conn)?;
    Ok((district, street, community, None, None, None))
}

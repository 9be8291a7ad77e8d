//! Posts on the two signboards.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{communities, companies, party_organizations, persons, posts, streets};
use super::{DbConn, DbError};

#[derive(Queryable, Debug)]
pub struct PostRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub company: Option<(i64, String, String)>,
    pub party_organization: Option<(i64, String, String)>,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// Posts with their person and signboard matching `$filter`, current ones
/// first, in one query.
macro_rules! posts_where {
    ($conn:expr, $filter:expr) => {
        posts::table
            .inner_join(persons::table)
            .left_join(companies::table)
            .left_join(party_organizations::table)
            .filter($filter)
            .select((
                posts::id,
                persons::id,
                persons::name,
                (companies::id, companies::name, companies::name_en).nullable(),
                (
                    party_organizations::id,
                    party_organizations::name,
                    party_organizations::name_en,
                )
                    .nullable(),
                posts::title,
                posts::starts_on,
                posts::ends_on,
            ))
            .order((posts::ends_on.is_not_null(), posts::starts_on, posts::id))
            .load::<PostRow>($conn)
    };
}

/// Posts on any of these signboards.
pub fn posts_on(
    conn: &mut DbConn,
    company_ids: &[i64],
    party_organization_ids: &[i64],
) -> Result<Vec<PostRow>, DbError> {
    Ok(posts_where!(
        conn,
        posts::company_id
            .eq_any(company_ids.to_vec())
            .or(posts::party_organization_id.eq_any(party_organization_ids.to_vec()))
    )?)
}

/// One person's posts on either signboard.
pub fn posts_of_person(conn: &mut DbConn, person: i64) -> Result<Vec<PostRow>, DbError> {
    Ok(posts_where!(conn, posts::person_id.eq(person))?)
}

/// A signboard with where it sits: (id, name, name_en, district, street,
/// community, closed).
pub type SignboardRow = (i64, String, String, i64, i64, Option<i64>, bool);

/// As loaded: the community column differs by signboard, and closure is a time.
type RawSignboard<C> = (
    i64,
    String,
    String,
    i64,
    i64,
    C,
    Option<chrono::NaiveDateTime>,
);

pub fn company_signboards(conn: &mut DbConn) -> Result<Vec<SignboardRow>, DbError> {
    let rows: Vec<RawSignboard<i64>> = companies::table
        .inner_join(communities::table.inner_join(streets::table))
        .select((
            companies::id,
            companies::name,
            companies::name_en,
            streets::district_id,
            streets::id,
            communities::id,
            companies::closed_at,
        ))
        .order(companies::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, n, e, d, s, c, closed)| (id, n, e, d, s, Some(c), closed.is_some()))
        .collect())
}

pub fn party_signboards(conn: &mut DbConn) -> Result<Vec<SignboardRow>, DbError> {
    let rows: Vec<RawSignboard<Option<i64>>> = party_organizations::table
        .inner_join(streets::table)
        .select((
            party_organizations::id,
            party_organizations::name,
            party_organizations::name_en,
            streets::district_id,
            streets::id,
            party_organizations::community_id,
            party_organizations::closed_at,
        ))
        .order(party_organizations::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, n, e, d, s, c, closed)| (id, n, e, d, s, c, closed.is_some()))
        .collect())
}

pub struct NewPost<'a> {
    pub person_id: i64,
    pub company_id: Option<i64>,
    pub party_organization_id: Option<i64>,
    pub title: &'a str,
    pub starts_on: NaiveDate,
}

pub fn insert_post(conn: &mut DbConn, new: &NewPost<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(posts::table)
        .values((
            posts::person_id.eq(new.person_id),
            posts::company_id.eq(new.company_id),
            posts::party_organization_id.eq(new.party_organization_id),
            posts::title.eq(new.title),
            posts::starts_on.eq(new.starts_on),
        ))
        .returning(posts::id)
        .get_result(conn)?)
}

/// (person, company, party organisation, title, starts_on, ends_on)
pub type PostFacts = (
    i64,
    Option<i64>,
    Option<i64>,
    String,
    NaiveDate,
    Option<NaiveDate>,
);

pub fn post(conn: &mut DbConn, id: i64) -> Result<PostFacts, DbError> {
    Ok(posts::table
        .find(id)
        .select((
            posts::person_id,
            posts::company_id,
            posts::party_organization_id,
            posts::title,
            posts::starts_on,
            posts::ends_on,
        ))
        .first(conn)?)
}

pub fn end_post(conn: &mut DbConn, id: i64, ends_on: NaiveDate) -> Result<(), DbError> {
    diesel::update(posts::table.find(id))
        .set(posts::ends_on.eq(ends_on))
        .execute(conn)?;
    Ok(())
}

//! Persons, role grants, sessions and login attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    buildings, communities, companies, districts, estates, households, login_attempts, persons,
    role_grants, sessions, streets,
};
use super::{DbConn, DbError};

#[derive(Queryable, Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub email: Option<String>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub lang: String,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    pub mail_reminders: bool,
    pub mail_announcements: bool,
    pub unsubscribe_token: Option<String>,
    /// When the password was last set; `created_at` before that was kept.
    pub password_set_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Debug, Clone)]
pub struct GrantRow {
    pub id: i64,
    pub person_id: i64,
    pub role: String,
    pub household_id: Option<i64>,
    pub company_id: Option<i64>,
    pub estate_id: Option<i64>,
    pub community_id: Option<i64>,
    pub street_id: Option<i64>,
    pub district_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub token_hash: String,
    pub person_id: i64,
    pub grant_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

pub fn person_by_phone(conn: &mut DbConn, phone: &str) -> Result<Option<PersonRow>, DbError> {
    Ok(persons::table
        .filter(persons::phone.eq(phone))
        .first(conn)
        .optional()?)
}

pub fn person_by_username(conn: &mut DbConn, username: &str) -> Result<Option<PersonRow>, DbError> {
    Ok(persons::table
        .filter(persons::username.eq(username))
        .first(conn)
        .optional()?)
}

pub fn person(conn: &mut DbConn, id: i64) -> Result<PersonRow, DbError> {
    Ok(persons::table.find(id).first(conn)?)
}

pub fn all_persons(conn: &mut DbConn) -> Result<Vec<PersonRow>, DbError> {
    Ok(persons::table.order(persons::id).load(conn)?)
}

pub struct NewPerson<'a> {
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub username: Option<&'a str>,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub fn insert_person(conn: &mut DbConn, new: &NewPerson<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(persons::table)
        .values((
            persons::name.eq(new.name),
            persons::phone.eq(new.phone),
            persons::username.eq(new.username),
            persons::email.eq(new.email),
            persons::password_hash.eq(new.password_hash),
            persons::must_change_password.eq(new.must_change_password),
        ))
        .returning(persons::id)
        .get_result(conn)?)
}

pub fn login_taken(
    conn: &mut DbConn,
    phone: Option<&str>,
    username: Option<&str>,
) -> Result<bool, DbError> {
    let by_phone = match phone {
        Some(p) => person_by_phone(conn, p)?.is_some(),
        None => false,
    };
    let by_username = match username {
        Some(u) => person_by_username(conn, u)?.is_some(),
        None => false,
    };
    Ok(by_phone || by_username)
}

pub fn set_password(
    conn: &mut DbConn,
    person_id: i64,
    hash: &str,
    must_change: bool,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(persons::table.find(person_id))
        .set((
            persons::password_hash.eq(hash),
            persons::must_change_password.eq(must_change),
            persons::password_set_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_disabled(
    conn: &mut DbConn,
    person_id: i64,
    at: Option<NaiveDateTime>,
) -> Result<(), DbError> {
    diesel::update(persons::table.find(person_id))
        .set(persons::disabled_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// A person's grants that are not revoked, oldest first.
pub fn live_grants(conn: &mut DbConn, person_id: i64) -> Result<Vec<GrantRow>, DbError> {
    Ok(role_grants::table
        .filter(role_grants::person_id.eq(person_id))
        .filter(role_grants::revoked_at.is_null())
        .order(role_grants::id)
        .load(conn)?)
}

/// Every live grant, for the account list (one query, not one per person).
pub fn all_live_grants(conn: &mut DbConn) -> Result<Vec<GrantRow>, DbError> {
    Ok(role_grants::table
        .filter(role_grants::revoked_at.is_null())
        .order(role_grants::id)
        .load(conn)?)
}

pub fn grant(conn: &mut DbConn, id: i64) -> Result<GrantRow, DbError> {
    Ok(role_grants::table.find(id).first(conn)?)
}

/// The scope columns of a new grant; exactly one is set.
#[derive(Default, Debug, Clone, Copy)]
pub struct GrantScope {
    pub household_id: Option<i64>,
    pub company_id: Option<i64>,
    pub estate_id: Option<i64>,
    pub community_id: Option<i64>,
    pub street_id: Option<i64>,
    pub district_id: Option<i64>,
}

pub fn insert_grant(
    conn: &mut DbConn,
    person_id: i64,
    role: &str,
    scope: GrantScope,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(role_grants::table)
        .values((
            role_grants::person_id.eq(person_id),
            role_grants::role.eq(role),
            role_grants::household_id.eq(scope.household_id),
            role_grants::company_id.eq(scope.company_id),
            role_grants::estate_id.eq(scope.estate_id),
            role_grants::community_id.eq(scope.community_id),
            role_grants::street_id.eq(scope.street_id),
            role_grants::district_id.eq(scope.district_id),
        ))
        .returning(role_grants::id)
        .get_result(conn)?)
}

pub fn revoke_grant(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(role_grants::table.find(id))
        .set(role_grants::revoked_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Display names of the scope tables, looked up one row at a time (a person has
/// few grants).
/// A household's name in both languages: "玉泉花园 2栋1单元301" /
/// "Yuquan Garden 2栋-1单元-301".
pub fn household_label_of(
    estate: &str,
    estate_en: &str,
    building: &str,
    unit: &str,
    room: &str,
) -> (String, String) {
    let estate_en = if estate_en.is_empty() {
        estate
    } else {
        estate_en
    };
    (
        format!("{estate} {building}{unit}{room}"),
        format!("{estate_en} {building}-{unit}-{room}"),
    )
}

pub fn household_label(conn: &mut DbConn, id: i64) -> Result<(String, String), DbError> {
    let (estate, estate_en, building, unit, room): (String, String, String, String, String) =
        households::table
            .inner_join(buildings::table.inner_join(estates::table))
            .filter(households::id.eq(id))
            .select((
                estates::name,
                estates::name_en,
                buildings::name,
                households::unit,
                households::room,
            ))
            .first(conn)?;
    Ok(household_label_of(
        &estate, &estate_en, &building, &unit, &room,
    ))
}

pub fn company_name(conn: &mut DbConn, id: i64) -> Result<(String, String), DbError> {
    Ok(companies::table
        .find(id)
        .select((companies::name, companies::name_en))
        .first(conn)?)
}

pub fn estate_name(conn: &mut DbConn, id: i64) -> Result<(String, String), DbError> {
    Ok(estates::table
        .find(id)
        .select((estates::name, estates::name_en))
        .first(conn)?)
}

pub fn community_name(conn: &mut DbConn, id: i64) -> Result<(String, String), DbError> {
    Ok(communities::table
        .find(id)
        .select((communities::name, communities::name_en))
        .first(conn)?)
}

pub fn street_name(conn: &mut DbConn, id: i64) -> Result<(String, String), DbError> {
    Ok(streets::table
        .find(id)
        .select((streets::name, streets::name_en))
        .first(conn)?)
}

pub fn district_name(conn: &mut DbConn, id: i64) -> Result<(String, String), DbError> {
    Ok(districts::table
        .find(id)
        .select((districts::name, districts::name_en))
        .first(conn)?)
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub person_id: i64,
    pub grant_id: Option<i64>,
    pub now: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert_session(conn: &mut DbConn, new: &NewSession<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(new.token_hash),
            sessions::person_id.eq(new.person_id),
            sessions::grant_id.eq(new.grant_id),
            sessions::created_at.eq(new.now),
            sessions::last_seen_at.eq(new.now),
            sessions::expires_at.eq(new.expires_at),
        ))
        .returning(sessions::id)
        .get_result(conn)?)
}

/// A session that has not been ended (it may still have timed out).
pub fn open_session(conn: &mut DbConn, token_hash: &str) -> Result<Option<SessionRow>, DbError> {
    Ok(sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::ended_at.is_null())
        .first(conn)
        .optional()?)
}

pub fn touch_session(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn set_session_grant(conn: &mut DbConn, id: i64, grant_id: i64) -> Result<(), DbError> {
    diesel::update(sessions::table.find(id))
        .set(sessions::grant_id.eq(grant_id))
        .execute(conn)?;
    Ok(())
}

pub fn end_session(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(sessions::table.find(id))
        .filter(sessions::ended_at.is_null())
        .set(sessions::ended_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Ends the sessions acting in a grant; how many.
pub fn end_sessions_in_grant(
    conn: &mut DbConn,
    grant_id: i64,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::grant_id.eq(grant_id))
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(now))
    .execute(conn)?)
}

/// Ends every session of a person, except `keep` (the one changing its own
/// password stays signed in).
pub fn end_sessions_of(
    conn: &mut DbConn,
    person_id: i64,
    keep: Option<i64>,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::person_id.eq(person_id))
            .filter(sessions::ended_at.is_null())
            .filter(sessions::id.ne(keep.unwrap_or(-1))),
    )
    .set(sessions::ended_at.eq(now))
    .execute(conn)?)
}

/// Records an attempt as failed until it is known to have succeeded; its id.
pub fn insert_login_attempt(
    conn: &mut DbConn,
    account_key: &str,
    address: &str,
    at: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::account_key.eq(account_key),
            login_attempts::address.eq(address),
            login_attempts::at.eq(at),
            login_attempts::succeeded.eq(false),
        ))
        .returning(login_attempts::id)
        .get_result(conn)?)
}

pub fn mark_login_attempt_succeeded(conn: &mut DbConn, id: i64) -> Result<(), DbError> {
    diesel::update(login_attempts::table.find(id))
        .set(login_attempts::succeeded.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Inside a write transaction: waits for any other one counting attempts.
/// SQLite's `BEGIN IMMEDIATE` already lets one writer in at a time; on
/// PostgreSQL a transaction-scoped advisory lock does the same for this
/// one check-and-count.
pub fn lock_login_attempts(conn: &mut DbConn) -> Result<(), DbError> {
    /// Any fixed number, the same in every process.
    const LOGIN_ATTEMPTS_LOCK: i64 = 0x0068_6f6e_6779_6501;
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(LOGIN_ATTEMPTS_LOCK)
            .execute(pg)?;
    }
    Ok(())
}

/// Records that a person's password (or one-time password) was set now.
pub fn set_password_set_at(
    conn: &mut DbConn,
    person_id: i64,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(persons::table.find(person_id))
        .set(persons::password_set_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Failed attempts since `since`: for this account name, and from this address.
pub fn recent_failures(
    conn: &mut DbConn,
    account_key: &str,
    address: &str,
    since: NaiveDateTime,
) -> Result<(u32, u32), DbError> {
    let failed = || {
        login_attempts::table
            .filter(login_attempts::at.ge(since))
            .filter(login_attempts::succeeded.eq(false))
    };
    let by_account: i64 = failed()
        .filter(login_attempts::account_key.eq(account_key))
        .count()
        .get_result(conn)?;
    let by_address: i64 = failed()
        .filter(login_attempts::address.eq(address))
        .count()
        .get_result(conn)?;
    let clamp = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((clamp(by_account), clamp(by_address)))
}

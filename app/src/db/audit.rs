//! The audit log table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audit_log, persons};
use super::{DbConn, DbError};

pub struct NewAuditRow<'a> {
    pub at: NaiveDateTime,
    pub person_id: Option<i64>,
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    pub before_data: Option<String>,
    pub after_data: Option<String>,
    pub district_id: Option<i64>,
    pub street_id: Option<i64>,
    pub community_id: Option<i64>,
}

pub fn insert(conn: &mut DbConn, row: NewAuditRow<'_>) -> Result<(), DbError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(row.at),
            audit_log::person_id.eq(row.person_id),
            audit_log::entity.eq(row.entity),
            audit_log::entity_id.eq(row.entity_id),
            audit_log::action.eq(row.action),
            audit_log::before_data.eq(row.before_data),
            audit_log::after_data.eq(row.after_data),
            audit_log::district_id.eq(row.district_id),
            audit_log::street_id.eq(row.street_id),
            audit_log::community_id.eq(row.community_id),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Debug)]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub person: Option<(i64, String)>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub before_data: Option<String>,
    pub after_data: Option<String>,
}

/// Which part of the log a caller may read.
#[derive(Clone, Copy, Debug)]
pub enum AuditScope {
    District(i64),
    Street(i64),
    Community(i64),
}

#[derive(Default, Debug)]
pub struct AuditQuery<'a> {
    pub entity: Option<&'a str>,
    pub person_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// Newest first, at most `limit` rows, in one query.
pub fn list(
    conn: &mut DbConn,
    scope: AuditScope,
    q: &AuditQuery<'_>,
    limit: i64,
) -> Result<Vec<AuditRow>, DbError> {
    let mut query = audit_log::table
        .left_join(persons::table)
        .select((
            audit_log::id,
            audit_log::at,
            (persons::id, persons::name).nullable(),
            audit_log::entity,
            audit_log::entity_id,
            audit_log::action,
            audit_log::before_data,
            audit_log::after_data,
        ))
        .into_boxed();
    query = match scope {
        AuditScope::District(id) => query.filter(audit_log::district_id.eq(id)),
        AuditScope::Street(id) => query.filter(audit_log::street_id.eq(id)),
        AuditScope::Community(id) => query.filter(audit_log::community_id.eq(id)),
    };
    if let Some(entity) = q.entity {
        query = query.filter(audit_log::entity.eq(entity.to_owned()));
    }
    if let Some(person) = q.person_id {
        query = query.filter(audit_log::person_id.eq(person));
    }
    if let Some(from) = q.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(until) = q.until {
        query = query.filter(audit_log::at.lt(until));
    }
    Ok(query
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit)
        .load(conn)?)
}

/// The people who appear in the log of a scope, for the filter.
pub fn people(conn: &mut DbConn, scope: AuditScope) -> Result<Vec<(i64, String)>, DbError> {
    let mut query = audit_log::table
        .inner_join(persons::table)
        .select((persons::id, persons::name))
        .distinct()
        .into_boxed();
    query = match scope {
        AuditScope::District(id) => query.filter(audit_log::district_id.eq(id)),
        AuditScope::Street(id) => query.filter(audit_log::street_id.eq(id)),
        AuditScope::Community(id) => query.filter(audit_log::community_id.eq(id)),
    };
    Ok(query.order(persons::id).load(conn)?)
}

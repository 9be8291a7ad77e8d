//! Writing and reading the audit log. Writers call [`record`] inside the
//! transaction of the change.

use chrono::{Duration, NaiveDateTime, NaiveTime};

use crate::db::{DbConn, audit};
use crate::domain::access::{Caller, PersonId, Place, Scope};
use crate::domain::audit::{AuditAction, AuditEntity, AuditEntry, AuditFilter, AuditPage, diff};
use crate::error::AppError;

/// One change to log.
pub struct Change<'a> {
    pub by: Option<PersonId>,
    pub entity: AuditEntity,
    pub entity_id: i64,
    pub action: AuditAction,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub place: &'a Place,
}

pub fn record(conn: &mut DbConn, change: Change<'_>, now: NaiveDateTime) -> Result<(), AppError> {
    audit::insert(
        conn,
        audit::NewAuditRow {
            at: now,
            person_id: change.by.map(|p| p.0),
            entity: change.entity.code(),
            entity_id: change.entity_id,
            action: change.action.code(),
            before_data: change.before.map(|v| v.to_string()),
            after_data: change.after.map(|v| v.to_string()),
            district_id: change.place.district.map(|d| d.0),
            street_id: change.place.street.map(|s| s.0),
            community_id: change.place.community.map(|c| c.0),
        },
    )?;
    Ok(())
}

/// At most this many entries per page.
const PAGE: i64 = 200;

/// The log as the caller may read it: an administrator the district, Party
/// oversight its street or community.
pub fn entries(
    conn: &mut DbConn,
    caller: &Caller,
    filter: &AuditFilter,
) -> Result<AuditPage, AppError> {
    let scope = match caller.grant.as_ref().map(|g| g.scope) {
        Some(Scope::District(id)) => audit::AuditScope::District(id.0),
        Some(Scope::Street(id)) => audit::AuditScope::Street(id.0),
        Some(Scope::Community(id)) => audit::AuditScope::Community(id.0),
        _ => return Err(AppError::Forbidden),
    };
    let china = crate::domain::time::china_offset();
    // Filter dates are China dates; the log is in UTC.
    let utc_midnight = |d: chrono::NaiveDate| {
        d.and_time(NaiveTime::MIN) - Duration::seconds(i64::from(china.local_minus_utc()))
    };
    let query = audit::AuditQuery {
        entity: filter.entity.map(AuditEntity::code),
        person_id: filter.person.map(|p| p.0),
        from: filter.from.map(utc_midnight),
        until: filter.to.map(|d| utc_midnight(d) + Duration::days(1)),
    };
    let rows = audit::list(conn, scope, &query, PAGE + 1)?;
    let truncated = rows.len() > PAGE as usize;
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    let full_phones = caller.sees_full_phones();
    let entries = rows
        .into_iter()
        .take(PAGE as usize)
        .filter_map(|row| {
            let entity = AuditEntity::from_code(&row.entity)?;
            let action = AuditAction::from_code(&row.action)?;
            let (before, after) = (parse(row.before_data), parse(row.after_data));
            let mut changes = diff(before.as_ref(), after.as_ref());
            if !full_phones {
                crate::domain::audit::mask_phones(&mut changes);
            }
            Some(AuditEntry {
                id: row.id,
                at: row.at,
                person: row.person.map(|(id, name)| (PersonId(id), name)),
                entity,
                entity_id: row.entity_id,
                action,
                changes,
            })
        })
        .collect();
    let people = audit::people(conn, scope)?
        .into_iter()
        .map(|(id, name)| (PersonId(id), name))
        .collect();
    Ok(AuditPage {
        entries,
        people,
        truncated,
    })
}

//! The outbox table and mail preferences.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{outbox, persons};
use super::{DbConn, DbError};

pub struct NewMail<'a> {
    pub created_at: NaiveDateTime,
    pub person_id: Option<i64>,
    pub company_id: Option<i64>,
    pub to_address: &'a str,
    pub kind: &'a str,
    pub essential: bool,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
}

pub fn insert(conn: &mut DbConn, new: &NewMail<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(outbox::table)
        .values((
            outbox::created_at.eq(new.created_at),
            outbox::person_id.eq(new.person_id),
            outbox::company_id.eq(new.company_id),
            outbox::to_address.eq(new.to_address),
            outbox::kind.eq(new.kind),
            outbox::essential.eq(new.essential),
            outbox::subject.eq(new.subject),
            outbox::body_text.eq(new.body_text),
            outbox::body_html.eq(new.body_html),
            outbox::next_attempt_at.eq(new.created_at),
        ))
        .returning(outbox::id)
        .get_result(conn)?)
}

#[derive(Queryable, Debug, Clone)]
pub struct MailRow {
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub person_id: Option<i64>,
    pub company_id: Option<i64>,
    pub to_address: String,
    pub kind: String,
    pub essential: bool,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_at: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// Mails not yet sent (pending or being sent), failed for good, and the
/// creation time of the oldest unsent one.
pub fn backlog(conn: &mut DbConn) -> Result<(i64, i64, Option<NaiveDateTime>), DbError> {
    let unsent = || outbox::table.filter(outbox::status.eq_any(["pending", "sending"]));
    let waiting = unsent().count().get_result(conn)?;
    let oldest = unsent()
        .select(diesel::dsl::min(outbox::created_at))
        .first(conn)?;
    let failed = outbox::table
        .filter(outbox::status.eq("failed"))
        .count()
        .get_result(conn)?;
    Ok((waiting, failed, oldest))
}

/// Mails claimed by a worker that stopped before finishing go back to the
/// queue after `stale_before`.
pub fn release_stale(conn: &mut DbConn, stale_before: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::status.eq("sending"))
            .filter(outbox::claimed_at.lt(stale_before)),
    )
    .set(outbox::status.eq("pending"))
    .execute(conn)?)
}

/// Ids of mails due now, oldest first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> Result<Vec<i64>, DbError> {
    Ok(outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::next_attempt_at.le(now))
        .select(outbox::id)
        .order((outbox::next_attempt_at, outbox::id))
        .limit(limit)
        .load(conn)?)
}

/// Takes one mail for sending; `None` if another worker took it first.
pub fn claim(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<Option<MailRow>, DbError> {
    let taken = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq("pending")),
    )
    .set((outbox::status.eq("sending"), outbox::claimed_at.eq(now)))
    .execute(conn)?;
    if taken == 0 {
        return Ok(None);
    }
    Ok(Some(outbox::table.find(id).first(conn)?))
}

pub fn mark_sent(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq("sent"),
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed try: back to pending at `retry_at`, or failed for good
/// (`None`).
pub fn mark_failed_attempt(
    conn: &mut DbConn,
    id: i64,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(if retry_at.is_some() {
                "pending"
            } else {
                "failed"
            }),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(error),
            outbox::next_attempt_at.eq(retry_at.unwrap_or(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A failed mail goes back to the queue for a fresh set of tries.
pub fn retry(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq("failed")),
    )
    .set((
        outbox::status.eq("pending"),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)?)
}

pub fn mail(conn: &mut DbConn, id: i64) -> Result<MailRow, DbError> {
    Ok(outbox::table.find(id).first(conn)?)
}

/// Newest first; `company` limits to one company's mails, `status` to one state.
pub fn list(
    conn: &mut DbConn,
    company: Option<i64>,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<MailRow>, DbError> {
    let mut query = outbox::table.into_boxed();
    if let Some(c) = company {
        query = query.filter(outbox::company_id.eq(c));
    }
    if let Some(s) = status {
        query = query.filter(outbox::status.eq(s.to_owned()));
    }
    Ok(query
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(limit)
        .load(conn)?)
}

pub fn set_preferences(
    conn: &mut DbConn,
    person_id: i64,
    email: Option<&str>,
    reminders: bool,
    announcements: bool,
) -> Result<(), DbError> {
    diesel::update(persons::table.find(person_id))
        .set((
            persons::email.eq(email),
            persons::mail_reminders.eq(reminders),
            persons::mail_announcements.eq(announcements),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_unsubscribe_token(
    conn: &mut DbConn,
    person_id: i64,
    token: &str,
) -> Result<(), DbError> {
    diesel::update(persons::table.find(person_id))
        .set(persons::unsubscribe_token.eq(token))
        .execute(conn)?;
    Ok(())
}

pub fn person_by_unsubscribe_token(conn: &mut DbConn, token: &str) -> Result<Option<i64>, DbError> {
    Ok(persons::table
        .filter(persons::unsubscribe_token.eq(token))
        .select(persons::id)
        .first(conn)
        .optional()?)
}

pub fn turn_off(conn: &mut DbConn, person_id: i64, reminders: bool) -> Result<(), DbError> {
    let target = persons::table.find(person_id);
    if reminders {
        diesel::update(target)
            .set(persons::mail_reminders.eq(false))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set(persons::mail_announcements.eq(false))
            .execute(conn)?;
    }
    Ok(())
}

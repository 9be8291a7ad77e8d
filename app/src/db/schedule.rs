//! Staff profiles (skills, weekly hours, home estate), leave, the company's
//! travel buffer, and the jobs the schedule reads.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    companies, services, staff_hours, staff_leave, staff_profiles, staff_skills, work_orders,
};
use super::{DbConn, DbError};

/// A profile as stored: home estate, skills (category codes) and hours per
/// weekday (1 = Monday) as start and end minutes.
#[derive(Debug, Clone, Default)]
pub struct ProfileRow {
    pub home_estate_id: Option<i64>,
    pub skills: Vec<String>,
    pub hours: Vec<(i64, i64, i64)>,
}

/// The profiles of the company's described staff, by person: three queries
/// however many people.
pub fn profiles(conn: &mut DbConn, company: i64) -> Result<BTreeMap<i64, ProfileRow>, DbError> {
    let mut out: BTreeMap<i64, ProfileRow> = staff_profiles::table
        .filter(staff_profiles::company_id.eq(company))
        .select((staff_profiles::person_id, staff_profiles::home_estate_id))
        .load::<(i64, Option<i64>)>(conn)?
        .into_iter()
        .map(|(person, home)| {
            (
                person,
                ProfileRow {
                    home_estate_id: home,
                    ..ProfileRow::default()
                },
            )
        })
        .collect();
    for (person, category) in staff_skills::table
        .filter(staff_skills::company_id.eq(company))
        .select((staff_skills::person_id, staff_skills::category))
        .load::<(i64, String)>(conn)?
    {
        if let Some(p) = out.get_mut(&person) {
            p.skills.push(category);
        }
    }
    for (person, day, start, end) in staff_hours::table
        .filter(staff_hours::company_id.eq(company))
        .select((
            staff_hours::person_id,
            staff_hours::weekday,
            staff_hours::start_minute,
            staff_hours::end_minute,
        ))
        .load::<(i64, i64, i64, i64)>(conn)?
    {
        if let Some(p) = out.get_mut(&person) {
            p.hours.push((day, start, end));
        }
    }
    Ok(out)
}

/// Replaces a staff member's profile: home estate, skills and hours.
pub fn save_profile(
    conn: &mut DbConn,
    company: i64,
    person: i64,
    profile: &ProfileRow,
    by: i64,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let key = staff_profiles::table
        .filter(staff_profiles::company_id.eq(company))
        .filter(staff_profiles::person_id.eq(person));
    let updated = diesel::update(key)
        .set((
            staff_profiles::home_estate_id.eq(profile.home_estate_id),
            staff_profiles::updated_by.eq(Some(by)),
            staff_profiles::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(staff_profiles::table)
            .values((
                staff_profiles::company_id.eq(company),
                staff_profiles::person_id.eq(person),
                staff_profiles::home_estate_id.eq(profile.home_estate_id),
                staff_profiles::updated_by.eq(Some(by)),
                staff_profiles::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::delete(
        staff_skills::table
            .filter(staff_skills::company_id.eq(company))
            .filter(staff_skills::person_id.eq(person)),
    )
    .execute(conn)?;
    diesel::delete(
        staff_hours::table
            .filter(staff_hours::company_id.eq(company))
            .filter(staff_hours::person_id.eq(person)),
    )
    .execute(conn)?;
    for category in &profile.skills {
        diesel::insert_into(staff_skills::table)
            .values((
                staff_skills::company_id.eq(company),
                staff_skills::person_id.eq(person),
                staff_skills::category.eq(category),
            ))
            .execute(conn)?;
    }
    for (day, start, end) in &profile.hours {
        diesel::insert_into(staff_hours::table)
            .values((
                staff_hours::company_id.eq(company),
                staff_hours::person_id.eq(person),
                staff_hours::weekday.eq(day),
                staff_hours::start_minute.eq(start),
                staff_hours::end_minute.eq(end),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A leave as stored: id, person, first and last day, note.
pub type LeaveRow = (i64, i64, NaiveDate, NaiveDate, String);

/// Leave of the company's staff ending on or after `from` and starting on or
/// before `to`.
pub fn leave_between(
    conn: &mut DbConn,
    company: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<LeaveRow>, DbError> {
    Ok(staff_leave::table
        .filter(staff_leave::company_id.eq(company))
        .filter(staff_leave::last_day.ge(from))
        .filter(staff_leave::first_day.le(to))
        .order((staff_leave::first_day, staff_leave::id))
        .select((
            staff_leave::id,
            staff_leave::person_id,
            staff_leave::first_day,
            staff_leave::last_day,
            staff_leave::note,
        ))
        .load(conn)?)
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
pub fn insert_leave(
    conn: &mut DbConn,
    company: i64,
    person: i64,
    first: NaiveDate,
    last: NaiveDate,
    note: &str,
    by: i64,
    now: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(staff_leave::table)
        .values((
            staff_leave::company_id.eq(company),
            staff_leave::person_id.eq(person),
            staff_leave::first_day.eq(first),
            staff_leave::last_day.eq(last),
            staff_leave::note.eq(note),
            staff_leave::created_by.eq(Some(by)),
            staff_leave::created_at.eq(now),
        ))
        .returning(staff_leave::id)
        .get_result(conn)?)
}

/// Removes a leave of the company; 0 when there was none.
pub fn delete_leave(conn: &mut DbConn, company: i64, id: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(
        staff_leave::table
            .filter(staff_leave::company_id.eq(company))
            .filter(staff_leave::id.eq(id)),
    )
    .execute(conn)?)
}

pub fn travel_buffer(conn: &mut DbConn, company: i64) -> Result<i64, DbError> {
    Ok(companies::table
        .filter(companies::id.eq(company))
        .select(companies::travel_buffer_minutes)
        .first(conn)?)
}

pub fn set_travel_buffer(conn: &mut DbConn, company: i64, minutes: i64) -> Result<(), DbError> {
    diesel::update(companies::table.filter(companies::id.eq(company)))
        .set(companies::travel_buffer_minutes.eq(minutes))
        .execute(conn)?;
    Ok(())
}

/// A job as the schedule reads it: the order with its service's category and name.
#[derive(Queryable, Debug, Clone)]
pub struct JobRow {
    pub id: i64,
    pub staff_id: Option<i64>,
    pub state: String,
    pub slot_start: NaiveDateTime,
    pub slot_end: NaiveDateTime,
    pub estate_id: i64,
    pub building_id: Option<i64>,
    pub household_id: Option<i64>,
    pub category: String,
    pub service_name: String,
    pub service_name_en: String,
}

type JobColumns = (
    work_orders::id,
    work_orders::staff_id,
    work_orders::state,
    work_orders::slot_start,
    work_orders::slot_end,
    work_orders::estate_id,
    work_orders::building_id,
    work_orders::household_id,
    services::category,
    services::name,
    services::name_en,
);

const JOB_COLUMNS: JobColumns = (
    work_orders::id,
    work_orders::staff_id,
    work_orders::state,
    work_orders::slot_start,
    work_orders::slot_end,
    work_orders::estate_id,
    work_orders::building_id,
    work_orders::household_id,
    services::category,
    services::name,
    services::name_en,
);

/// The company's orders with a slot in `[from, to)` except cancelled ones, in
/// time order: one query.
pub fn company_jobs(
    conn: &mut DbConn,
    company: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<JobRow>, DbError> {
    Ok(work_orders::table
        .inner_join(services::table)
        .filter(work_orders::company_id.eq(company))
        .filter(work_orders::slot_start.lt(to))
        .filter(work_orders::slot_end.gt(from))
        .filter(work_orders::state.ne("cancelled"))
        .order((work_orders::slot_start, work_orders::id))
        .select(JOB_COLUMNS)
        .load(conn)?)
}

/// The jobs these people hold (scheduled or started) touching `[from, to)`.
pub fn held_jobs(
    conn: &mut DbConn,
    staff: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<JobRow>, DbError> {
    Ok(work_orders::table
        .inner_join(services::table)
        .filter(work_orders::staff_id.eq_any(staff))
        .filter(work_orders::state.eq_any(["scheduled", "in_progress"]))
        .filter(work_orders::slot_start.lt(to))
        .filter(work_orders::slot_end.gt(from))
        .order((work_orders::slot_start, work_orders::id))
        .select(JOB_COLUMNS)
        .load(conn)?)
}

/// The bare rows the weekly schedule shows, without anything else: the
/// benchmark's baseline.
pub fn bare_company_orders(
    conn: &mut DbConn,
    company: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<super::orders::OrderRow>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::company_id.eq(company))
        .filter(work_orders::slot_start.lt(to))
        .filter(work_orders::slot_end.gt(from))
        .filter(work_orders::state.ne("cancelled"))
        .order((work_orders::slot_start, work_orders::id))
        .load(conn)?)
}

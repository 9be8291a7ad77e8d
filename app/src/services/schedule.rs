//! Staff scheduling: profiles and leave, the company's travel buffer, the
//! manager's weekly schedule and auto-assignment (over `availability`).
//! Callers have been authorized for the company already.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use crate::db::{DbConn, orders as orders_db, schedule as db, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{Caller, EstateId, PersonId, Role};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::orders::{OrderState, WorkOrderId};
use crate::domain::org::CompanyId;
use crate::domain::pricing::ServiceCategory;
use crate::domain::schedule::{
    AssignError, AssignOutcome, AssignRefusal, DayHours, Leave, LeaveError, LeaveId,
    ProposedAssignment, ScheduleJob, StaffProfile, StaffProfiles, StaffRow, TravelBuffer,
    WaitingOrder, WeekSchedule, parse_clock, propose, week_start,
};
use crate::domain::time::{china_date, to_china};
use crate::error::AppError;
use crate::i18n::Key;

pub use super::availability::assign_error;
use super::availability::{Roster, category_of, day_bounds, held_by, job_of, roster};

/// Longest note on a leave.
const MAX_NOTE: usize = 200;

/// The Monday of the week asked for ("2026-11-30", any day of it), or of
/// this week when empty.
fn monday_of(week: &str, now: NaiveDateTime) -> Result<NaiveDate, AppError> {
    let day = if week.trim().is_empty() {
        china_date(now)
    } else {
        NaiveDate::parse_from_str(week.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("week", Key::EstateErrorDate))?
    };
    Ok(week_start(day))
}

fn week_bounds(monday: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (
        monday.and_time(NaiveTime::MIN),
        (monday + Duration::days(7)).and_time(NaiveTime::MIN),
    )
}

/// Jobs with their addresses and service names; a fixed number of queries.
fn schedule_jobs(conn: &mut DbConn, rows: &[db::JobRow]) -> Result<Vec<ScheduleJob>, AppError> {
    let ids = |f: &dyn Fn(&db::JobRow) -> Option<i64>| -> Vec<i64> {
        let mut v: Vec<i64> = rows.iter().filter_map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let names = orders_db::address_names(
        conn,
        &ids(&|r| Some(r.estate_id)),
        &ids(&|r| r.building_id),
        &ids(&|r| r.household_id),
    )?;
    Ok(rows
        .iter()
        .map(|r| ScheduleJob {
            order: WorkOrderId(r.id),
            staff: r.staff_id.map(PersonId),
            slot: job_of(r).slot,
            state: OrderState::from_code(&r.state).unwrap_or(OrderState::Requested),
            estate: EstateId(r.estate_id),
            address: super::orders::address(&names, r.estate_id, r.building_id, r.household_id),
            service: LocalizedName::new(r.service_name.clone(), r.service_name_en.clone()),
            category: category_of(r),
        })
        .collect())
}

fn staff_rows(
    conn: &mut DbConn,
    roster: Roster,
    monday: NaiveDate,
    jobs: &[ScheduleJob],
) -> Result<Vec<StaffRow>, AppError> {
    let homes: Vec<i64> = roster
        .staff
        .iter()
        .filter_map(|(p, _, _)| p.home_estate.map(|e| e.0))
        .collect();
    let names = orders_db::address_names(conn, &homes, &[], &[])?.estates;
    let mut booked: BTreeMap<PersonId, i64> = BTreeMap::new();
    for j in jobs {
        if let Some(s) = j.staff {
            *booked.entry(s).or_default() += j.slot.minutes();
        }
    }
    Ok(roster
        .staff
        .into_iter()
        .map(|(profile, name, described)| StaffRow {
            home_estate_name: profile
                .home_estate
                .and_then(|e| names.get(&e.0))
                .map(|(zh, en)| LocalizedName::new(zh.clone(), en.clone())),
            booked_minutes: booked.get(&profile.person).copied().unwrap_or(0),
            available_minutes: profile.available_minutes(monday),
            profile,
            name,
            described,
        })
        .collect())
}

fn estates_of(conn: &mut DbConn, company: i64) -> Result<Vec<(EstateId, LocalizedName)>, AppError> {
    Ok(orders_db::estates_of_company(conn, company)?
        .into_iter()
        .map(|(id, zh, en)| (EstateId(id), LocalizedName::new(zh, en)))
        .collect())
}

fn company_name(conn: &mut DbConn, company: i64) -> Result<LocalizedName, AppError> {
    let (zh, en) = crate::db::accounts::company_name(conn, company)?;
    Ok(LocalizedName::new(zh, en))
}

/// The manager's week: staff as rows with their hours, leave and load, the
/// jobs they hold, and the week's orders waiting for someone.
pub fn week(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    week: &str,
    now: NaiveDateTime,
) -> Result<WeekSchedule, AppError> {
    let monday = monday_of(week, now)?;
    let (from, to) = week_bounds(monday);
    let roster = roster(conn, company.0, monday, monday + Duration::days(6))?;
    let travel_buffer = roster.buffer.minutes();
    let rows = db::company_jobs(conn, company.0, from, to)?;
    let all = schedule_jobs(conn, &rows)?;
    let (waiting, jobs): (Vec<ScheduleJob>, Vec<ScheduleJob>) = all
        .into_iter()
        .partition(|j| j.staff.is_none() && j.state == OrderState::Requested);
    Ok(WeekSchedule {
        company,
        company_name: company_name(conn, company.0)?,
        monday,
        today: china_date(now),
        staff: staff_rows(conn, roster, monday, &jobs)?,
        jobs,
        waiting,
        estates: estates_of(conn, company.0)?,
        travel_buffer,
        can_manage: caller.role() == Some(Role::Manager),
    })
}

/// The staff profiles page: every staff member with skills, hours, home
/// estate and this week's load, and leave from today on.
pub fn staff_profiles(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<StaffProfiles, AppError> {
    let today = china_date(now);
    let monday = week_start(today);
    let far = today + Duration::days(3660);
    let roster = roster(conn, company.0, monday, monday + Duration::days(6))?;
    let travel_buffer = roster.buffer.minutes();
    let (from, to) = week_bounds(monday);
    let rows = db::company_jobs(conn, company.0, from, to)?;
    let jobs: Vec<ScheduleJob> = schedule_jobs(conn, &rows)?;
    let leave = db::leave_between(conn, company.0, today, far)?
        .into_iter()
        .map(|(id, person, first, last, note)| {
            (LeaveId(id), PersonId(person), Leave { first, last }, note)
        })
        .collect();
    Ok(StaffProfiles {
        company,
        company_name: company_name(conn, company.0)?,
        monday,
        staff: staff_rows(conn, roster, monday, &jobs)?,
        leave,
        estates: estates_of(conn, company.0)?,
        travel_buffer,
        can_manage: caller.role() == Some(Role::Manager),
    })
}

/// What the profile form sends: skills by category code, the home estate
/// (0 for none) and "08:00"/"18:00" per weekday, Monday first (both empty
/// for a day off).
pub struct ProfileForm {
    pub person: PersonId,
    pub skills: Vec<String>,
    pub home_estate: i64,
    pub starts: Vec<String>,
    pub ends: Vec<String>,
}

fn check_profile(form: &ProfileForm) -> Result<db::ProfileRow, AppError> {
    let mut skills = Vec::new();
    for code in &form.skills {
        let c = ServiceCategory::from_code(code.trim())
            .ok_or(AppError::invalid("skills", Key::ScheduleErrorSkill))?;
        if !skills.contains(&c.code().to_owned()) {
            skills.push(c.code().to_owned());
        }
    }
    if form.starts.len() != 7 || form.ends.len() != 7 {
        return Err(AppError::invalid("hours", Key::ScheduleErrorHours));
    }
    let mut hours = Vec::new();
    for (i, (start, end)) in form.starts.iter().zip(&form.ends).enumerate() {
        match (start.trim(), end.trim()) {
            ("", "") => {}
            (s, e) => {
                let day = parse_clock(s)
                    .zip(parse_clock(e))
                    .and_then(|(s, e)| DayHours::new(s, e))
                    .ok_or(AppError::invalid(
                        format!("hours-{}", i + 1),
                        Key::ScheduleErrorHours,
                    ))?;
                hours.push((i as i64 + 1, i64::from(day.start), i64::from(day.end)));
            }
        }
    }
    Ok(db::ProfileRow {
        home_estate_id: (form.home_estate != 0).then_some(form.home_estate),
        skills,
        hours,
    })
}

fn company_staff_member(conn: &mut DbConn, company: i64, person: PersonId) -> Result<(), AppError> {
    orders_db::company_staff(conn, company)?
        .iter()
        .any(|(p, _)| *p == person.0)
        .then_some(())
        .ok_or(AppError::invalid("person", Key::OrderErrorStaff))
}

/// Describes a staff member: skills, weekly hours and home estate. Jobs they
/// already hold stay; new assignments follow the new profile.
pub fn save_profile(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    form: &ProfileForm,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let row = check_profile(form)?;
    write_tx(conn, |conn| {
        company_staff_member(conn, company.0, form.person)?;
        if let Some(home) = row.home_estate_id
            && !estates_of(conn, company.0)?
                .iter()
                .any(|(e, _)| e.0 == home)
        {
            return Err(AppError::invalid("home_estate", Key::ScheduleErrorEstate));
        }
        db::save_profile(conn, company.0, form.person.0, &row, caller.person.0, now)?;
        let place = place_of(conn, Target::Company(company), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::StaffProfile,
                entity_id: form.person.0,
                action: AuditAction::Update,
                before: None,
                after: Some(json!({
                    "skills": row.skills,
                    "home_estate": row.home_estate_id,
                    "hours": row.hours,
                })),
                place: &place,
            },
            now,
        )
    })
}

/// Records leave ("2026-12-01" to "2026-12-03"). Jobs already held on those
/// days are not moved: the answer says how many there are, for the manager
/// to reassign.
#[expect(clippy::too_many_arguments, reason = "the form's fields, one each")]
pub fn add_leave(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    person: PersonId,
    first: &str,
    last: &str,
    note: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let date = |s: &str, field: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(field, Key::EstateErrorDate))
    };
    let leave = Leave::new(date(first, "first")?, date(last, "last")?).map_err(|e| {
        AppError::invalid(
            "last",
            match e {
                LeaveError::EndsBeforeStart => Key::ScheduleErrorLeaveOrder,
                LeaveError::TooLong => Key::ScheduleErrorLeaveLong,
            },
        )
    })?;
    let note = note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(AppError::invalid("note", Key::OrderErrorTextTooLong));
    }
    write_tx(conn, |conn| {
        company_staff_member(conn, company.0, person)?;
        let id = db::insert_leave(
            conn,
            company.0,
            person.0,
            leave.first,
            leave.last,
            note,
            caller.person.0,
            now,
        )?;
        let place = place_of(conn, Target::Company(company), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::StaffLeave,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "person": person.0,
                    "first": leave.first,
                    "last": leave.last,
                    "note": note,
                })),
                place: &place,
            },
            now,
        )?;
        let (from, _) = day_bounds(leave.first);
        let (_, to) = day_bounds(leave.last);
        Ok(db::held_jobs(conn, &[person.0], from, to)?.len())
    })
}

pub fn remove_leave(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    leave: LeaveId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        if db::delete_leave(conn, company.0, leave.0)? == 0 {
            return Err(AppError::NotFound);
        }
        let place = place_of(conn, Target::Company(company), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::StaffLeave,
                entity_id: leave.0,
                action: AuditAction::End,
                before: None,
                after: None,
                place: &place,
            },
            now,
        )
    })
}

pub fn set_travel_buffer(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    minutes: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let minutes = u32::try_from(minutes)
        .ok()
        .and_then(TravelBuffer::new)
        .ok_or(AppError::invalid("minutes", Key::ScheduleErrorBuffer))?;
    write_tx(conn, |conn| {
        let before = db::travel_buffer(conn, company.0)?;
        db::set_travel_buffer(conn, company.0, i64::from(minutes.minutes()))?;
        let place = place_of(conn, Target::Company(company), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Company,
                entity_id: company.0,
                action: AuditAction::Update,
                before: Some(json!({"travel_buffer_minutes": before})),
                after: Some(json!({"travel_buffer_minutes": minutes.minutes()})),
                place: &place,
            },
            now,
        )
    })
}

/// Gives an order of the company to a staff member (or moves it to another),
/// keeping its slot: the work-order step "schedule" with every rule above.
pub fn assign(
    conn: &mut DbConn,
    state: &super::AppState,
    caller: &Caller,
    company: CompanyId,
    order: WorkOrderId,
    staff: PersonId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if orders_db::order(conn, order.0)?.company_id != company.0 {
        return Err(AppError::NotFound);
    }
    super::orders::schedule(conn, state, caller, order, staff, "", now)
}

/// The auto-assignment proposal for the week's waiting orders that have not
/// begun (see `domain::schedule::propose` for the rule).
pub fn auto_assign_preview(
    conn: &mut DbConn,
    company: CompanyId,
    week: &str,
    now: NaiveDateTime,
) -> Result<Vec<ProposedAssignment>, AppError> {
    let monday = monday_of(week, now)?;
    let (from, to) = week_bounds(monday);
    let roster = roster(conn, company.0, monday, monday + Duration::days(6))?;
    let pad = Duration::minutes(i64::from(roster.buffer.minutes()));
    let held = held_by(conn, &roster.ids(), from - pad, to + pad)?;
    let local_now = to_china(now);
    let rows: Vec<db::JobRow> = db::company_jobs(conn, company.0, from, to)?
        .into_iter()
        .filter(|r| {
            r.staff_id.is_none()
                && r.state == OrderState::Requested.code()
                && r.slot_start > local_now
        })
        .collect();
    let waiting: Vec<WaitingOrder> = rows
        .iter()
        .map(|r| WaitingOrder {
            order: WorkOrderId(r.id),
            category: category_of(r),
            job: job_of(r),
        })
        .collect();
    let profiles: Vec<StaffProfile> = roster.staff.iter().map(|(p, _, _)| p.clone()).collect();
    let chosen: BTreeMap<WorkOrderId, Option<PersonId>> =
        propose(&profiles, &held, &waiting, roster.buffer)
            .into_iter()
            .collect();
    let names: BTreeMap<PersonId, String> = roster
        .staff
        .into_iter()
        .map(|(p, name, _)| (p.person, name))
        .collect();
    Ok(schedule_jobs(conn, &rows)?
        .into_iter()
        .map(|job| {
            let staff = chosen
                .get(&job.order)
                .copied()
                .flatten()
                .map(|p| (p, names.get(&p).cloned().unwrap_or_default()));
            ProposedAssignment { job, staff }
        })
        .collect())
}

/// Applies the assignments the manager accepted, each on its own: one that
/// something changed under (the order was taken, the person became busy) is
/// refused with why and the others still happen.
pub fn accept_assignments(
    conn: &mut DbConn,
    state: &super::AppState,
    caller: &Caller,
    company: CompanyId,
    pairs: &[(WorkOrderId, PersonId)],
    now: NaiveDateTime,
) -> Result<AssignOutcome, AppError> {
    if pairs.is_empty() {
        return Err(AppError::invalid("orders", Key::ScheduleErrorNoneChosen));
    }
    let mut outcome = AssignOutcome::default();
    for (order, staff) in pairs {
        // A proposal is for an order still waiting: one someone has taken
        // since is not moved away from them (`assign` alone would move it).
        let waiting = match orders_db::order(conn, order.0) {
            Ok(row) => {
                row.company_id == company.0
                    && row.staff_id.is_none()
                    && row.state == OrderState::Requested.code()
            }
            Err(crate::db::DbError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !waiting {
            outcome.refused.push((*order, AssignRefusal::Changed));
            continue;
        }
        match assign(conn, state, caller, company, *order, *staff, now) {
            Ok(()) => outcome.assigned.push(*order),
            Err(AppError::Conflict(key)) => outcome.refused.push((*order, refusal_of(key))),
            Err(AppError::Invalid { .. } | AppError::NotFound) => {
                outcome.refused.push((*order, AssignRefusal::Changed))
            }
            Err(other) => return Err(other),
        }
    }
    Ok(outcome)
}

fn refusal_of(key: Key) -> AssignRefusal {
    match key {
        Key::ScheduleErrorNotSkilled => AssignRefusal::Staff(AssignError::NotSkilled),
        Key::ScheduleErrorOffHours => AssignRefusal::Staff(AssignError::OffHours),
        Key::ScheduleErrorOnLeave => AssignRefusal::Staff(AssignError::OnLeave),
        Key::ScheduleErrorClash => AssignRefusal::Staff(AssignError::Clash),
        _ => AssignRefusal::Changed,
    }
}

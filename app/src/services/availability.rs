//! Who can take a job: the company's staff with their hours, skills and
//! leave, what each already holds, the check every assignment passes, and
//! whether a booking slot has someone left. Below both the work orders
//! (booking, the "schedule" step) and the manager's weekly schedule.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::db::{DbConn, orders as orders_db, schedule as db};
use crate::domain::access::{EstateId, PersonId};
use crate::domain::orders::{OrderState, Slot, WorkOrderId};
use crate::domain::pricing::ServiceCategory;
use crate::domain::schedule::{
    AssignError, DayHours, Job, Leave, StaffProfile, TravelBuffer, WeeklyHours, check_assignment,
    clash,
};
use crate::error::AppError;
use crate::i18n::Key;

pub fn assign_error(e: AssignError) -> AppError {
    AppError::Conflict(match e {
        AssignError::NotSkilled => Key::ScheduleErrorNotSkilled,
        AssignError::OffHours => Key::ScheduleErrorOffHours,
        AssignError::OnLeave => Key::ScheduleErrorOnLeave,
        AssignError::Clash => Key::ScheduleErrorClash,
    })
}

/// The company's staff as the schedule sees them, and its travel buffer.
pub(crate) struct Roster {
    pub staff: Vec<(StaffProfile, String, bool)>,
    pub buffer: TravelBuffer,
}

impl Roster {
    pub fn profile(&self, person: i64) -> Option<&StaffProfile> {
        self.staff
            .iter()
            .map(|(p, _, _)| p)
            .find(|p| p.person.0 == person)
    }

    pub(crate) fn ids(&self) -> Vec<i64> {
        self.staff.iter().map(|(p, _, _)| p.person.0).collect()
    }
}

/// Loads the roster with the leave touching `[from, to]`: a fixed number of
/// queries however many staff.
pub(crate) fn roster(
    conn: &mut DbConn,
    company: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Roster, AppError> {
    let people = orders_db::company_staff(conn, company)?;
    let mut stored = db::profiles(conn, company)?;
    let mut leave: BTreeMap<i64, Vec<Leave>> = BTreeMap::new();
    for (_, person, first, last, _) in db::leave_between(conn, company, from, to)? {
        leave.entry(person).or_default().push(Leave { first, last });
    }
    let buffer = TravelBuffer::clamped(db::travel_buffer(conn, company)?);
    let staff = people
        .into_iter()
        .map(|(id, name)| {
            let row = stored.remove(&id);
            let described = row.is_some();
            let mut profile = match row {
                Some(row) => profile_from(id, &row),
                None => StaffProfile::standard(PersonId(id)),
            };
            profile.leave = leave.remove(&id).unwrap_or_default();
            (profile, name, described)
        })
        .collect();
    Ok(Roster { staff, buffer })
}

pub(crate) fn profile_from(person: i64, row: &db::ProfileRow) -> StaffProfile {
    let mut hours = [None; 7];
    for (day, start, end) in &row.hours {
        if let (Ok(i @ 1..=7), Ok(start), Ok(end)) = (
            usize::try_from(*day),
            u32::try_from(*start),
            u32::try_from(*end),
        ) {
            hours[i - 1] = DayHours::new(start, end);
        }
    }
    let mut skills: Vec<ServiceCategory> = row
        .skills
        .iter()
        .filter_map(|c| ServiceCategory::from_code(c))
        .collect();
    skills.sort();
    StaffProfile {
        person: PersonId(person),
        skills,
        hours: WeeklyHours(hours),
        leave: Vec::new(),
        home_estate: row.home_estate_id.map(EstateId),
    }
}

pub(crate) fn job_of(row: &db::JobRow) -> Job {
    Job {
        order: WorkOrderId(row.id),
        estate: EstateId(row.estate_id),
        slot: Slot {
            start: row.slot_start,
            end: row.slot_end,
        },
    }
}

pub(crate) fn category_of(row: &db::JobRow) -> ServiceCategory {
    ServiceCategory::from_code(&row.category).unwrap_or(ServiceCategory::Housekeeping)
}

/// The jobs these people hold within `[from, to)`, per person.
pub(crate) fn held_by(
    conn: &mut DbConn,
    staff: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<BTreeMap<PersonId, Vec<Job>>, AppError> {
    let mut held: BTreeMap<PersonId, Vec<Job>> = BTreeMap::new();
    for row in db::held_jobs(conn, staff, from, to)? {
        if let Some(s) = row.staff_id {
            held.entry(PersonId(s)).or_default().push(job_of(&row));
        }
    }
    Ok(held)
}

/// The check every assignment passes, inside the caller's write
/// transaction and after the person's row is locked: the person is the
/// company's staff, trained for the work, working then, not on leave, and
/// clear of their other jobs with the travel buffer between estates.
pub(crate) fn check_staff(
    conn: &mut DbConn,
    company: i64,
    staff: i64,
    job: &Job,
    category: ServiceCategory,
) -> Result<(), AppError> {
    let day = job.slot.start.date();
    let roster = roster(conn, company, day, day)?;
    let profile = roster
        .profile(staff)
        .ok_or(AppError::invalid("staff", Key::OrderErrorStaff))?;
    let reach = roster.buffer.reach(&job.slot);
    let held = held_by(conn, &[staff], reach.start, reach.end)?;
    let held = held.get(&PersonId(staff)).map(Vec::as_slice).unwrap_or(&[]);
    check_assignment(profile, category, job, held, roster.buffer).map_err(assign_error)
}

/// What booking needs to know of a company's day: who works, what they hold,
/// and the orders still waiting for someone.
pub(crate) struct DayAvailability {
    roster: Roster,
    held: BTreeMap<PersonId, Vec<Job>>,
    waiting: Vec<Slot>,
}

impl DayAvailability {
    pub fn load(conn: &mut DbConn, company: i64, day: NaiveDate) -> Result<Self, AppError> {
        let roster = roster(conn, company, day, day)?;
        let (from, to) = day_bounds(day);
        let pad = Duration::minutes(i64::from(roster.buffer.minutes()));
        let held = held_by(conn, &roster.ids(), from - pad, to + pad)?;
        let waiting = db::company_jobs(conn, company, from, to)?
            .iter()
            .filter(|r| r.staff_id.is_none() && r.state == OrderState::Requested.code())
            .map(|r| job_of(r).slot)
            .collect();
        Ok(DayAvailability {
            roster,
            held,
            waiting,
        })
    }

    /// Whether someone trained and free is left for a job of `category` at
    /// `estate` in `slot`, after each order already waiting in that time has
    /// taken one of them.
    pub fn has_room(&self, category: ServiceCategory, estate: EstateId, slot: &Slot) -> bool {
        let job = Job {
            order: WorkOrderId(0),
            estate,
            slot: *slot,
        };
        let free = self
            .roster
            .staff
            .iter()
            .filter(|(p, _, _)| p.may_take(category, slot).is_ok())
            .filter(|(p, _, _)| {
                let held = self.held.get(&p.person).map(Vec::as_slice).unwrap_or(&[]);
                clash(held, &job, self.roster.buffer).is_none()
            })
            .count();
        let waiting = self.waiting.iter().filter(|w| w.overlaps(slot)).count();
        free > waiting
    }
}

pub(crate) fn day_bounds(day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (
        day.and_time(NaiveTime::MIN),
        (day + Duration::days(1)).and_time(NaiveTime::MIN),
    )
}

//! Staff scheduling: who may take a job (skill, working hours, leave), the rule
//! that nobody holds two jobs at once, with time to travel between two
//! estates, the auto-assignment proposal and utilization. Pure: the same rules
//! run in the service's write transaction, the benchmark and the property tests.
//!
//! Times are China local time, like order slots.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::{EstateId, PersonId};
use super::orders::{OrderAddress, OrderState, Slot, WorkOrderId};
use super::pricing::ServiceCategory;

id_type!(LeaveId);

/// Minutes between jobs at two different estates, unless the company sets its own.
pub const DEFAULT_TRAVEL_BUFFER: u32 = 20;
/// The longest travel buffer a company may set.
pub const MAX_TRAVEL_BUFFER: u32 = 240;
/// The longest leave recorded in one go.
pub const MAX_LEAVE_DAYS: i64 = 366;

/// One working day: from `start` to `end`, minutes after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    pub start: u32,
    pub end: u32,
}

impl DayHours {
    /// A day's hours; refused unless it starts before it ends, within the day.
    pub fn new(start: u32, end: u32) -> Option<DayHours> {
        (start < end && end <= 24 * 60).then_some(DayHours { start, end })
    }

    pub fn minutes(self) -> u32 {
        self.end - self.start
    }

    /// "08:00–18:00".
    pub fn label(self) -> String {
        format!("{}–{}", clock(self.start), clock(self.end))
    }
}

/// "08:00" from minutes after midnight.
pub fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// "8:30" or "08:30" to minutes after midnight; "24:00" is the day's end.
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// Working hours for each weekday, Monday first; `None` is a day off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours(pub [Option<DayHours>; 7]);

impl WeeklyHours {
    /// What a staff member without a profile works: 08:00–18:00 every day,
    /// the company's booking hours.
    pub const STANDARD: WeeklyHours = WeeklyHours(
        [Some(DayHours {
            start: 8 * 60,
            end: 18 * 60,
        }); 7],
    );

    pub fn on(&self, day: Weekday) -> Option<DayHours> {
        self.0[day.num_days_from_monday() as usize]
    }

    /// Whether the slot lies inside the hours of the day it starts on.
    pub fn covers(&self, slot: &Slot) -> bool {
        let day = slot.start.date();
        let midnight = day.and_time(NaiveTime::MIN);
        let (from, to) = (
            (slot.start - midnight).num_minutes(),
            (slot.end - midnight).num_minutes(),
        );
        self.on(day.weekday())
            .is_some_and(|h| i64::from(h.start) <= from && to <= i64::from(h.end))
    }
}

/// Days away, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leave {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Leave {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Leave, LeaveError> {
        if last < first {
            return Err(LeaveError::EndsBeforeStart);
        }
        if (last - first).num_days() >= MAX_LEAVE_DAYS {
            return Err(LeaveError::TooLong);
        }
        Ok(Leave { first, last })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum LeaveError {
    #[error("the leave ends before it starts")]
    EndsBeforeStart,
    #[error("the leave is longer than a year")]
    TooLong,
}

/// What the schedule knows of a staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProfile {
    pub person: PersonId,
    /// The kinds of work they may be sent to.
    pub skills: Vec<ServiceCategory>,
    pub hours: WeeklyHours,
    pub leave: Vec<Leave>,
    /// Where they live or start their day: the first job of a day there needs
    /// no travel.
    pub home_estate: Option<EstateId>,
}

impl StaffProfile {
    /// A staff member nobody has described yet: every skill, standard hours.
    pub fn standard(person: PersonId) -> StaffProfile {
        StaffProfile {
            person,
            skills: ServiceCategory::ALL.to_vec(),
            hours: WeeklyHours::STANDARD,
            leave: Vec::new(),
            home_estate: None,
        }
    }

    /// Whether they may be given work of `category` in `slot` at all,
    /// whatever else they hold.
    pub fn may_take(&self, category: ServiceCategory, slot: &Slot) -> Result<(), AssignError> {
        if !self.skills.contains(&category) {
            return Err(AssignError::NotSkilled);
        }
        let (first, last) = (slot.start.date(), (slot.end - Duration::seconds(1)).date());
        if self
            .leave
            .iter()
            .any(|l| l.first <= last && first <= l.last)
        {
            return Err(AssignError::OnLeave);
        }
        if !self.hours.covers(slot) {
            return Err(AssignError::OffHours);
        }
        Ok(())
    }

    /// Minutes they work in the week starting `monday`, less days on leave.
    pub fn available_minutes(&self, monday: NaiveDate) -> i64 {
        (0..7)
            .map(|i| monday + Duration::days(i))
            .filter(|d| !self.leave.iter().any(|l| l.contains(*d)))
            .filter_map(|d| self.hours.on(d.weekday()))
            .map(|h| i64::from(h.minutes()))
            .sum()
    }
}

/// A job held by a staff member: where and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub order: WorkOrderId,
    pub estate: EstateId,
    pub slot: Slot,
}

/// Minutes needed to get from one estate to another between two jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelBuffer(u32);

impl TravelBuffer {
    pub fn new(minutes: u32) -> Option<TravelBuffer> {
        (minutes <= MAX_TRAVEL_BUFFER).then_some(TravelBuffer(minutes))
    }

    /// A stored value, brought within bounds.
    pub fn clamped(minutes: i64) -> TravelBuffer {
        TravelBuffer(u32::try_from(minutes.clamp(0, i64::from(MAX_TRAVEL_BUFFER))).unwrap_or(0))
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    fn between(self, a: &Job, b: &Job) -> Duration {
        if a.estate == b.estate {
            Duration::zero()
        } else {
            Duration::minutes(i64::from(self.0))
        }
    }

    /// How far around a slot another job can clash with it.
    pub fn reach(self, slot: &Slot) -> Slot {
        let d = Duration::minutes(i64::from(self.0));
        Slot {
            start: slot.start - d,
            end: slot.end + d,
        }
    }
}

/// Whether two jobs can be done by one person: they do not overlap, and
/// between two estates there is at least the travel buffer.
pub fn compatible(a: &Job, b: &Job, buffer: TravelBuffer) -> bool {
    let gap = buffer.between(a, b);
    a.slot.end + gap <= b.slot.start || b.slot.end + gap <= a.slot.start
}

/// The first of `held` that `new` clashes with (the order itself excepted).
pub fn clash<'a>(
    held: impl IntoIterator<Item = &'a Job>,
    new: &Job,
    buffer: TravelBuffer,
) -> Option<&'a Job> {
    held.into_iter()
        .find(|j| j.order != new.order && !compatible(j, new, buffer))
}

/// Why a staff member cannot take a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AssignError {
    #[error("not trained for this kind of work")]
    NotSkilled,
    #[error("outside their working hours")]
    OffHours,
    #[error("on leave that day")]
    OnLeave,
    #[error("clashes with another of their jobs (travel time included)")]
    Clash,
}

/// The whole check for giving `job` of `category` to a staff member who holds `held`.
pub fn check_assignment(
    profile: &StaffProfile,
    category: ServiceCategory,
    job: &Job,
    held: &[Job],
    buffer: TravelBuffer,
) -> Result<(), AssignError> {
    profile.may_take(category, &job.slot)?;
    match clash(held, job, buffer) {
        Some(_) => Err(AssignError::Clash),
        None => Ok(()),
    }
}

/// An order waiting for someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingOrder {
    pub order: WorkOrderId,
    pub category: ServiceCategory,
    pub job: Job,
}

/// The auto-assignment rule. Orders are taken earliest first (then by
/// number). Each goes to a staff member who is trained for it, works then, is
/// not on leave and stays clear of their other jobs, travel time included
/// (those already held and those proposed earlier in the same run). Among
/// them: first whoever needs no travel (their last job before it that day is
/// at the same estate or, with none, their home estate is), then whoever has
/// the fewest minutes booked that week, then the lowest staff number. An order
/// nobody can take stays waiting.
pub fn propose(
    staff: &[StaffProfile],
    held: &BTreeMap<PersonId, Vec<Job>>,
    waiting: &[WaitingOrder],
    buffer: TravelBuffer,
) -> Vec<(WorkOrderId, Option<PersonId>)> {
    let mut jobs: BTreeMap<PersonId, Vec<Job>> = staff
        .iter()
        .map(|p| {
            let mut j = held.get(&p.person).cloned().unwrap_or_default();
            j.sort_by_key(|j| j.slot.start);
            (p.person, j)
        })
        .collect();
    // Minutes booked per person and week (keyed by its Monday).
    let mut load: BTreeMap<(PersonId, NaiveDate), i64> = BTreeMap::new();
    for (person, list) in &jobs {
        for j in list {
            *load
                .entry((*person, week_start(j.slot.start.date())))
                .or_default() += j.slot.minutes();
        }
    }
    let mut order: Vec<&WaitingOrder> = waiting.iter().collect();
    order.sort_by_key(|w| (w.job.slot.start, w.order));
    let mut out = Vec::with_capacity(order.len());
    for w in order {
        let week = week_start(w.job.slot.start.date());
        let best = staff
            .iter()
            .filter(|p| p.may_take(w.category, &w.job.slot).is_ok())
            .filter_map(|p| {
                let list = jobs.get(&p.person)?;
                if clash(list, &w.job, buffer).is_some() {
                    return None;
                }
                // The list is in time order: the nearest job before it that day.
                let before = list
                    .iter()
                    .rev()
                    .find(|j| {
                        j.slot.start.date() == w.job.slot.start.date()
                            && j.slot.start < w.job.slot.start
                    })
                    .map(|j| j.estate)
                    .or(p.home_estate);
                let travels = before != Some(w.job.estate);
                let booked = load.get(&(p.person, week)).copied().unwrap_or(0);
                Some(((travels, booked, p.person), p.person))
            })
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, person)| person);
        if let Some(person) = best {
            if let Some(list) = jobs.get_mut(&person) {
                let at = list.partition_point(|j| j.slot.start <= w.job.slot.start);
                list.insert(at, w.job);
            }
            *load.entry((person, week)).or_default() += w.job.slot.minutes();
        }
        out.push((w.order, best));
    }
    out
}

/// The Monday of the week `day` is in.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Hours booked against hours available, as a whole percentage (none when
/// nothing is available).
pub fn utilization_percent(booked_minutes: i64, available_minutes: i64) -> Option<i64> {
    (available_minutes > 0)
        .then(|| (booked_minutes * 100 + available_minutes / 2) / available_minutes)
}

// ----- views -----

/// A staff member on the schedule and the profile page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub profile: StaffProfile,
    pub name: String,
    /// Whether someone described them; otherwise standard hours and every skill.
    pub described: bool,
    pub home_estate_name: Option<LocalizedName>,
    pub booked_minutes: i64,
    pub available_minutes: i64,
}

/// A job block on the weekly schedule, or an order waiting for someone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleJob {
    pub order: WorkOrderId,
    pub staff: Option<PersonId>,
    pub slot: Slot,
    pub state: OrderState,
    pub estate: EstateId,
    pub address: OrderAddress,
    pub service: LocalizedName,
    pub category: ServiceCategory,
}

/// The manager's week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSchedule {
    pub company: crate::org::CompanyId,
    pub company_name: LocalizedName,
    pub monday: NaiveDate,
    pub today: NaiveDate,
    pub staff: Vec<StaffRow>,
    /// Jobs held by staff this week.
    pub jobs: Vec<ScheduleJob>,
    /// Orders of the week still waiting for someone.
    pub waiting: Vec<ScheduleJob>,
    pub estates: Vec<(EstateId, LocalizedName)>,
    pub travel_buffer: u32,
    pub can_manage: bool,
}

/// One proposed assignment of the auto-assign preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedAssignment {
    pub job: ScheduleJob,
    /// Nobody could take it when `None`.
    pub staff: Option<(PersonId, String)>,
}

/// The outcome of applying assignments: those made, and those refused with why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignOutcome {
    pub assigned: Vec<WorkOrderId>,
    pub refused: Vec<(WorkOrderId, AssignRefusal)>,
}

/// Why one assignment was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignRefusal {
    Staff(AssignError),
    /// The order was no longer waiting or the person is not the company's staff.
    Changed,
}

/// The staff profiles page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProfiles {
    pub company: crate::org::CompanyId,
    pub company_name: LocalizedName,
    pub monday: NaiveDate,
    pub staff: Vec<StaffRow>,
    /// Leave from today on, with its number, per person.
    pub leave: Vec<(LeaveId, PersonId, Leave, String)>,
    pub estates: Vec<(EstateId, LocalizedName)>,
    pub travel_buffer: u32,
    pub can_manage: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;
    use proptest::prelude::*;

    fn at_minute(day: NaiveDate, minute: u32) -> NaiveDateTime {
        day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute))
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or(NaiveDate::MIN)
    }

    fn job(order: i64, estate: i64, d: u32, minute: u32, minutes: u32) -> Job {
        Job {
            order: WorkOrderId(order),
            estate: EstateId(estate),
            slot: Slot::new(at_minute(day(d), minute), minutes),
        }
    }

    const BUFFER: TravelBuffer = TravelBuffer(20);

    #[test]
    fn same_estate_back_to_back_is_fine_but_another_estate_needs_the_buffer() {
        let a = job(1, 1, 30, 9 * 60, 60);
        assert!(compatible(&a, &job(2, 1, 30, 10 * 60, 60), BUFFER));
        assert!(!compatible(&a, &job(3, 2, 30, 10 * 60, 60), BUFFER));
        assert!(compatible(&a, &job(4, 2, 30, 10 * 60 + 20, 60), BUFFER));
        assert!(!compatible(&a, &job(5, 1, 30, 9 * 60 + 30, 60), BUFFER));
        assert!(!compatible(&job(6, 2, 30, 7 * 60 + 50, 60), &a, BUFFER));
    }

    #[test]
    fn a_profile_refuses_missing_skill_leave_and_hours() {
        let mut p = StaffProfile::standard(PersonId(7));
        p.skills = vec![ServiceCategory::Cleaning];
        p.leave = vec![Leave::new(day(27), day(28)).unwrap_or(Leave {
            first: day(27),
            last: day(28),
        })];
        p.hours.0[0] = DayHours::new(9 * 60, 12 * 60); // Monday 30 Nov
        let slot = |d, m, len| Slot::new(at_minute(day(d), m), len);
        assert_eq!(
            p.may_take(ServiceCategory::Housekeeping, &slot(30, 9 * 60, 60)),
            Err(AssignError::NotSkilled)
        );
        assert_eq!(
            p.may_take(ServiceCategory::Cleaning, &slot(28, 9 * 60, 60)),
            Err(AssignError::OnLeave)
        );
        assert_eq!(
            p.may_take(ServiceCategory::Cleaning, &slot(30, 11 * 60, 120)),
            Err(AssignError::OffHours)
        );
        assert_eq!(
            p.may_take(ServiceCategory::Cleaning, &slot(30, 9 * 60, 180)),
            Ok(())
        );
        // A short Monday every week, and two leave days (Friday 27 and
        // Saturday 28) out of the first week.
        assert_eq!(p.available_minutes(day(23)), 180 + 4 * 600);
        assert_eq!(p.available_minutes(day(30)), 180 + 6 * 600);
    }

    #[test]
    fn clocks_and_leave_parse_and_refuse() {
        assert_eq!(parse_clock("8:30"), Some(510));
        assert_eq!(parse_clock("24:00"), Some(1440));
        assert_eq!(parse_clock("24:01"), None);
        assert_eq!(parse_clock("12:60"), None);
        assert_eq!(parse_clock("noon"), None);
        assert_eq!(DayHours::new(600, 600), None);
        assert_eq!(
            Leave::new(day(28), day(27)),
            Err(LeaveError::EndsBeforeStart)
        );
        assert_eq!(clock(510), "08:30");
        assert_eq!(week_start(day(29)), day(23));
        assert_eq!(utilization_percent(30, 60), Some(50));
        assert_eq!(utilization_percent(30, 0), None);
    }

    #[test]
    fn auto_assign_prefers_no_travel_then_the_lighter_week() {
        let mut a = StaffProfile::standard(PersonId(1));
        a.home_estate = Some(EstateId(1));
        let b = StaffProfile::standard(PersonId(2));
        let mut held = BTreeMap::new();
        held.insert(PersonId(2), vec![job(100, 2, 30, 8 * 60, 60)]);
        let w = |order, estate, minute| WaitingOrder {
            order: WorkOrderId(order),
            category: ServiceCategory::Cleaning,
            job: job(order, estate, 30, minute, 60),
        };
        let got = propose(
            &[a, b],
            &held,
            &[w(3, 2, 9 * 60), w(1, 1, 9 * 60), w(2, 3, 9 * 60)],
            BUFFER,
        );
        // Order 1 at estate 1: person 1 lives there. Order 2 at estate 3 at
        // the same time: person 2 is free then but would have to travel from
        // estate 2 in no time; nobody takes it. Order 3 at estate 2: person 2
        // is already there.
        assert_eq!(
            got,
            vec![
                (WorkOrderId(1), Some(PersonId(1))),
                (WorkOrderId(2), None),
                (WorkOrderId(3), Some(PersonId(2))),
            ]
        );
    }

    fn any_job(order: i64) -> impl Strategy<Value = Job> {
        (1i64..4, 27u32..30, 0u32..40, 1u32..9).prop_map(move |(estate, d, quarter, len)| {
            job(order, estate, d, 6 * 60 + quarter * 15, len * 30)
        })
    }

    proptest! {
        /// Any sequence of checked assignments leaves nobody with two jobs
        /// closer than the rule allows.
        #[test]
        fn checked_assignments_never_overlap(
            jobs in proptest::collection::vec((0usize..4, 0i64..1), 1..60)
                .prop_flat_map(|picks| {
                    let n = picks.len();
                    (Just(picks), (0..n as i64).map(any_job).collect::<Vec<_>>())
                }),
            buffer in 0u32..60,
        ) {
            let (picks, jobs) = jobs;
            let buffer = TravelBuffer(buffer);
            let staff: Vec<StaffProfile> = (0..4).map(|i| StaffProfile::standard(PersonId(i))).collect();
            let mut held: BTreeMap<PersonId, Vec<Job>> = BTreeMap::new();
            for ((who, _), job) in picks.iter().zip(&jobs) {
                let p = &staff[*who];
                let list = held.entry(p.person).or_default();
                if check_assignment(p, ServiceCategory::Cleaning, job, list, buffer).is_ok() {
                    list.push(*job);
                }
            }
            for list in held.values() {
                for (i, a) in list.iter().enumerate() {
                    for b in &list[i + 1..] {
                        prop_assert!(compatible(a, b, buffer), "{a:?} and {b:?}");
                    }
                }
            }
        }

        /// The proposal keeps every rule: qualified, working, not on leave,
        /// clear of held and proposed jobs; and it only leaves an order waiting
        /// when no one could have taken it on top of the proposal.
        #[test]
        fn proposals_keep_the_rules(
            held_jobs in proptest::collection::vec((0i64..5, any_job(0)), 0..20),
            waiting in proptest::collection::vec((any_job(0), 0usize..4), 1..40),
            skills in proptest::collection::vec(proptest::collection::vec(0usize..4, 0..4), 5),
            off_day in proptest::collection::vec(proptest::option::of(27u32..30), 5),
            buffer in 0u32..60,
        ) {
            let buffer = TravelBuffer(buffer);
            let staff: Vec<StaffProfile> = (0..5).map(|i| {
                let mut p = StaffProfile::standard(PersonId(i as i64));
                p.skills = skills[i].iter().map(|k| ServiceCategory::ALL[*k]).collect();
                p.leave = off_day[i].map(|d| Leave { first: day(d), last: day(d) }).into_iter().collect();
                p
            }).collect();
            let mut held: BTreeMap<PersonId, Vec<Job>> = BTreeMap::new();
            for (i, (who, j)) in held_jobs.iter().enumerate() {
                let j = Job { order: WorkOrderId(1000 + i as i64), ..*j };
                let list = held.entry(PersonId(*who)).or_default();
                if clash(list.iter(), &j, buffer).is_none() {
                    list.push(j);
                }
            }
            let waiting: Vec<WaitingOrder> = waiting.iter().enumerate().map(|(i, (j, k))| WaitingOrder {
                order: WorkOrderId(i as i64 + 1),
                category: ServiceCategory::ALL[*k],
                job: Job { order: WorkOrderId(i as i64 + 1), ..*j },
            }).collect();
            let got = propose(&staff, &held, &waiting, buffer);
            prop_assert_eq!(got.len(), waiting.len());
            let mut after = held.clone();
            for (order, person) in &got {
                let w = waiting.iter().find(|w| w.order == *order).copied();
                prop_assert!(w.is_some());
                let Some(w) = w else { continue };
                if let Some(person) = person {
                    let p = &staff[person.0 as usize];
                    let list = after.entry(*person).or_default();
                    prop_assert_eq!(check_assignment(p, w.category, &w.job, list, buffer), Ok(()));
                    list.push(w.job);
                }
            }
            for (order, person) in &got {
                if person.is_none() {
                    let Some(w) = waiting.iter().find(|w| w.order == *order) else { continue };
                    for p in &staff {
                        let list = after.get(&p.person).cloned().unwrap_or_default();
                        prop_assert!(check_assignment(p, w.category, &w.job, &list, buffer).is_err());
                    }
                }
            }
        }
    }
}

//! Party-member volunteer service (党员志愿服务, "点单-派单-接单"): a resident
//! orders a free service for their household, the community's Party
//! organization dispatches it to a volunteer from the community's pool (Party
//! members who reported to the community where they live, 双报到), and the
//! volunteer accepts it (or declines, which returns it to the queue) and
//! completes it with the time served. The life cycle, the time served (whole
//! quarter hours), the wished time window and the hours board are pure rules
//! here.
//!
//! Days and windows are China local time; event times are UTC.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::{HouseholdId, PersonId};
use super::org::CommunityId;

id_type!(VolunteerId, VolunteerTaskId);

coded_enum!(
    /// What a resident may order.
    VolunteerKind {
        /// 陪伴老人: company and conversation for an elderly resident.
        ElderCare = "elder_care",
        /// 助餐: bringing or cooking meals.
        Meals = "meals",
        /// 课业辅导: homework help for a child.
        Tutoring = "tutoring",
        Other = "other",
    }
);

coded_enum!(
    /// Where a task stands.
    TaskState {
        /// Ordered by the resident, waiting for the Party organization.
        Ordered = "ordered",
        /// Offered to one volunteer, waiting for their answer.
        Dispatched = "dispatched",
        /// The volunteer will come.
        Accepted = "accepted",
        /// Done, with the time served.
        Completed = "completed",
        /// Called off by the resident before anyone accepted.
        Cancelled = "cancelled",
    }
);

coded_enum!(
    /// What someone does to a task; `Order` is the request itself, the first
    /// entry of every history, and never a step from a state.
    TaskStep {
        Order = "order",
        Dispatch = "dispatch",
        Accept = "accept",
        Decline = "decline",
        Complete = "complete",
        Cancel = "cancel",
    }
);

/// Who acts on a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskActor {
    /// A resident of the task's household.
    Resident,
    /// The Party organization over the household's community (or street).
    Party,
    /// The volunteer the task is dispatched to.
    Volunteer,
}

impl TaskStep {
    /// Who may take the step.
    pub fn actors(self) -> &'static [TaskActor] {
        use TaskActor::*;
        match self {
            TaskStep::Order | TaskStep::Cancel => &[Resident],
            TaskStep::Dispatch => &[Party],
            TaskStep::Accept | TaskStep::Decline | TaskStep::Complete => &[Volunteer],
        }
    }

    /// A decline must say why, so the dispatcher can choose better next time.
    pub fn needs_reason(self) -> bool {
        self == TaskStep::Decline
    }
}

/// Why a step was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TaskError {
    #[error("this step is not possible from the task's state")]
    NotFromThisState,
    #[error("someone else takes this step")]
    WrongActor,
    #[error("this step needs a reason")]
    ReasonRequired,
}

impl TaskState {
    /// The state after `step` taken by `actor`, or why not. Dispatching again
    /// while nobody has answered offers the task to someone else; a decline
    /// (also by a volunteer who accepted and can no longer come) returns it
    /// to the queue.
    pub fn after(
        self,
        step: TaskStep,
        actor: TaskActor,
        reason: &str,
    ) -> Result<TaskState, TaskError> {
        use TaskState::*;
        use TaskStep as S;
        let next = match (self, step) {
            (Ordered | Dispatched, S::Dispatch) => Dispatched,
            (Dispatched, S::Accept) => Accepted,
            (Dispatched | Accepted, S::Decline) => Ordered,
            (Accepted, S::Complete) => Completed,
            (Ordered | Dispatched, S::Cancel) => Cancelled,
            _ => return Err(TaskError::NotFromThisState),
        };
        if !step.actors().contains(&actor) {
            return Err(TaskError::WrongActor);
        }
        if step.needs_reason() && reason.trim().is_empty() {
            return Err(TaskError::ReasonRequired);
        }
        Ok(next)
    }

    /// Nothing more happens to the task.
    pub fn is_final(self) -> bool {
        matches!(self, TaskState::Completed | TaskState::Cancelled)
    }

    /// The steps `actor` could take now (a reason assumed where one is needed).
    pub fn steps_for(self, actor: TaskActor) -> Vec<TaskStep> {
        TaskStep::ALL
            .iter()
            .copied()
            .filter(|s| self.after(*s, actor, "-").is_ok())
            .collect()
    }
}

// ----- time served -----

/// The least and most one task may count: a quarter hour to twelve hours.
pub const MIN_SERVED_MINUTES: u32 = 15;
pub const MAX_SERVED_MINUTES: u32 = 720;

/// Time served on one task, in whole quarter hours; invalid values cannot be
/// made. Typed as decimal hours ("1.5"), kept as minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServedTime(u32);

/// Why typed hours were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum HoursError {
    #[error("enter the hours served")]
    Empty,
    #[error("hours are a number such as 1.5")]
    Malformed,
    #[error("hours are counted in quarter hours")]
    NotQuarter,
    #[error("between a quarter hour and 12 hours")]
    OutOfRange,
}

impl ServedTime {
    /// Decimal hours as a person types them: "1.5", "2", "0.25", ".75",
    /// full-width digits, an optional "h" or "小时". Exact: no floating point,
    /// and anything that is not a whole number of quarter hours is refused.
    pub fn parse(input: &str) -> Result<ServedTime, HoursError> {
        let normalized: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                '．' | '。' => '.',
                other => other,
            })
            .collect();
        let t = normalized.trim();
        let t = t
            .strip_suffix("小时")
            .or_else(|| t.strip_suffix('h'))
            .or_else(|| t.strip_suffix('H'))
            .unwrap_or(t)
            .trim();
        if t.is_empty() {
            return Err(HoursError::Empty);
        }
        let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
            return Err(HoursError::Malformed);
        }
        let whole = whole.trim_start_matches('0');
        // More than two digits of whole hours is far beyond a day's service.
        if whole.len() > 2 {
            return Err(HoursError::OutOfRange);
        }
        let hours: u32 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| HoursError::Malformed)?
        };
        let fraction = fraction.trim_end_matches('0');
        let quarter = match fraction {
            "" => 0,
            "25" => 15,
            "5" => 30,
            "75" => 45,
            _ => return Err(HoursError::NotQuarter),
        };
        ServedTime::from_minutes(i64::from(hours * 60 + quarter)).ok_or(HoursError::OutOfRange)
    }

    /// Minutes as stored; `None` unless a whole number of quarter hours in range.
    pub fn from_minutes(minutes: i64) -> Option<ServedTime> {
        u32::try_from(minutes)
            .ok()
            .filter(|m| (MIN_SERVED_MINUTES..=MAX_SERVED_MINUTES).contains(m) && m % 15 == 0)
            .map(ServedTime)
    }

    pub fn minutes(self) -> u32 {
        self.0
    }
}

impl std::fmt::Display for ServedTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_hours(i64::from(self.0)))
    }
}

/// Minutes as decimal hours for reading: 90 → "1.5", 15 → "0.25", 600 →
/// "10"; a remainder that is not a quarter (never for sums of tasks) to the
/// hundredth, half up.
pub fn format_hours(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    let whole = m / 60;
    // At most 98 for 59 minutes: never carries into the next hour.
    let hundredths = ((m % 60) * 100 + 30) / 60;
    if hundredths == 0 {
        format!("{sign}{whole}")
    } else if hundredths.is_multiple_of(10) {
        format!("{sign}{whole}.{}", hundredths / 10)
    } else {
        format!("{sign}{whole}.{hundredths:02}")
    }
}

// ----- the wished time -----

/// How far ahead a resident may order.
pub const ORDER_DAYS_AHEAD: i64 = 30;

/// When in the day a resident would like someone to come, China local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TimeWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Volunteers are asked to visit between these hours.
const EARLIEST: NaiveTime = match NaiveTime::from_hms_opt(7, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};
const LATEST: NaiveTime = match NaiveTime::from_hms_opt(21, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// Why a wished day or window was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum WishError {
    #[error("times look like 09:00")]
    TimeFormat,
    #[error("the window must end after it starts")]
    EndBeforeStart,
    #[error("visits are between 07:00 and 21:00")]
    OutsideDay,
    #[error("dates look like 2026-11-28")]
    DateFormat,
    #[error("the window has already passed")]
    InPast,
    #[error("the day is too far ahead")]
    TooFarAhead,
}

impl TimeWindow {
    /// "09:00" and "11:30" (seconds, as some browsers send them, allowed).
    pub fn parse(start: &str, end: &str) -> Result<TimeWindow, WishError> {
        let time = |s: &str| {
            let s = s.trim();
            NaiveTime::parse_from_str(s, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
                .map(|t| t.with_second(0).unwrap_or(t))
                .map_err(|_| WishError::TimeFormat)
        };
        let window = TimeWindow {
            start: time(start)?,
            end: time(end)?,
        };
        if window.end <= window.start {
            return Err(WishError::EndBeforeStart);
        }
        if window.start < EARLIEST || window.end > LATEST {
            return Err(WishError::OutsideDay);
        }
        Ok(window)
    }

    /// From minutes after local midnight, as stored.
    pub fn from_minutes(start: i64, end: i64) -> Option<TimeWindow> {
        let time = |m: i64| {
            let m = u32::try_from(m).ok()?;
            NaiveTime::from_hms_opt(m / 60, m % 60, 0)
        };
        let window = TimeWindow {
            start: time(start)?,
            end: time(end)?,
        };
        (window.end > window.start).then_some(window)
    }

    pub fn start_minute(&self) -> i64 {
        i64::from(self.start.num_seconds_from_midnight() / 60)
    }

    pub fn end_minute(&self) -> i64 {
        i64::from(self.end.num_seconds_from_midnight() / 60)
    }

    /// "09:00–11:00".
    pub fn text(&self) -> String {
        format!(
            "{}–{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// The day a resident wishes someone to come ("2026-11-28"), checked with
/// the window against local time now: not passed, not too far ahead.
pub fn wished_day(
    input: &str,
    window: &TimeWindow,
    now_local: NaiveDateTime,
) -> Result<NaiveDate, WishError> {
    let day =
        NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| WishError::DateFormat)?;
    let today = now_local.date();
    if day < today || (day == today && window.end <= now_local.time()) {
        return Err(WishError::InPast);
    }
    if day > today + Duration::days(ORDER_DAYS_AHEAD) {
        return Err(WishError::TooFarAhead);
    }
    Ok(day)
}

// ----- the board -----

coded_enum!(
    /// Which completed tasks the board counts.
    BoardPeriod {
        /// Completed this calendar year (China time).
        Year = "year",
        All = "all",
    }
);

/// Completed tasks per volunteer: (person, minutes, tasks), in person order.
/// The reference for the database's grouped query: what the board must sum.
pub fn tally(completed: &[(PersonId, i64)]) -> Vec<(PersonId, i64, i64)> {
    let mut sums: BTreeMap<PersonId, (i64, i64)> = BTreeMap::new();
    for (person, minutes) in completed {
        let entry = sums.entry(*person).or_default();
        entry.0 += minutes;
        entry.1 += 1;
    }
    sums.into_iter()
        .map(|(person, (minutes, tasks))| (person, minutes, tasks))
        .collect()
}

/// One volunteer's line on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    /// 1 for the most hours; equal hours and tasks share a place (1, 1, 3).
    pub rank: u32,
    pub person: PersonId,
    pub name: String,
    pub organization: String,
    pub party_member: bool,
    pub minutes: i64,
    pub tasks: i64,
}

/// Orders the board by hours, then tasks (both most first), then name, and
/// gives places.
pub fn rank(mut rows: Vec<BoardRow>) -> Vec<BoardRow> {
    rows.sort_by(|a, b| {
        b.minutes
            .cmp(&a.minutes)
            .then(b.tasks.cmp(&a.tasks))
            .then(a.name.cmp(&b.name))
            .then(a.person.cmp(&b.person))
    });
    let mut place = 0u32;
    let mut previous: Option<(i64, i64)> = None;
    for (index, row) in (1u32..).zip(rows.iter_mut()) {
        if previous != Some((row.minutes, row.tasks)) {
            place = index;
            previous = Some((row.minutes, row.tasks));
        }
        row.rank = place;
    }
    rows
}

// ----- views -----

/// A step in a task's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEvent {
    pub at: NaiveDateTime,
    pub by: String,
    pub step: TaskStep,
    pub comment: String,
}

/// Whom the volunteer calls: the resident who ordered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
}

/// One task in a list, with what the caller may do to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLine {
    pub id: VolunteerTaskId,
    pub kind: VolunteerKind,
    pub state: TaskState,
    pub household: HouseholdId,
    pub estate: LocalizedName,
    /// "3栋 1单元 502".
    pub room: String,
    pub wished_on: NaiveDate,
    pub window: TimeWindow,
    pub note: String,
    pub ordered_at: NaiveDateTime,
    /// For the dispatcher and the volunteer sent only.
    pub contact: Option<Contact>,
    /// Who is coming (or was offered it).
    pub volunteer: Option<String>,
    pub volunteer_person: Option<PersonId>,
    pub served: Option<ServedTime>,
    pub outcome: String,
    /// Oldest first.
    pub history: Vec<TaskEvent>,
    pub steps: Vec<TaskStep>,
}

impl TaskLine {
    /// The reason of the latest decline, for the dispatcher choosing again.
    pub fn last_decline(&self) -> Option<&TaskEvent> {
        self.history
            .iter()
            .rev()
            .find(|e| e.step == TaskStep::Decline)
    }
}

/// A household's volunteer service page: the order form and its requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdVolunteering {
    pub household: HouseholdId,
    pub estate: LocalizedName,
    pub room: String,
    pub community: LocalizedName,
    /// Local date today: the first day one may wish for.
    pub today: NaiveDate,
    pub last_day: NaiveDate,
    /// A fresh token for this form: submitting it twice orders once.
    pub form_token: String,
    /// Newest first.
    pub tasks: Vec<TaskLine>,
    /// The caller is a registered volunteer too: their tasks are a link away.
    pub is_volunteer: bool,
}

/// A volunteer of the community's pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerView {
    pub id: VolunteerId,
    pub person: PersonId,
    pub name: String,
    pub phone: Option<String>,
    pub party_member: bool,
    pub organization: String,
    pub registered_on: NaiveDate,
    pub kinds: Vec<VolunteerKind>,
    pub active: bool,
    /// Tasks offered to or accepted by them now.
    pub open_tasks: u32,
}

impl VolunteerView {
    pub fn offers(&self, kind: VolunteerKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// A community and its name, for choosing among those in a wider scope.
pub type CommunityChoice = (CommunityId, LocalizedName);

/// The Party organization's dispatch page for one community.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchBoard {
    pub community: CommunityId,
    pub community_name: LocalizedName,
    /// The communities the caller's scope covers (one for a community).
    pub communities: Vec<CommunityChoice>,
    /// Waiting for a volunteer, soonest wished day first.
    pub queue: Vec<TaskLine>,
    /// Offered, waiting for the volunteer's answer.
    pub dispatched: Vec<TaskLine>,
    /// Someone is coming.
    pub accepted: Vec<TaskLine>,
    /// The latest completed, newest first.
    pub completed: Vec<TaskLine>,
    pub volunteers: Vec<VolunteerView>,
    pub today: NaiveDate,
}

/// A volunteer's own page: what is offered to them, what they accepted,
/// what they did, and their hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyVolunteering {
    pub name: String,
    /// The communities they are an active volunteer of.
    pub communities: Vec<LocalizedName>,
    pub offered: Vec<TaskLine>,
    pub accepted: Vec<TaskLine>,
    /// The latest completed, newest first.
    pub completed: Vec<TaskLine>,
    pub year: i32,
    pub year_minutes: i64,
    pub year_tasks: i64,
    pub all_minutes: i64,
    pub all_tasks: i64,
}

impl MyVolunteering {
    pub fn is_registered(&self) -> bool {
        !self.communities.is_empty()
    }
}

/// The community's hours board (志愿服务积分榜).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerBoard {
    pub community: CommunityId,
    pub community_name: LocalizedName,
    pub communities: Vec<CommunityChoice>,
    pub period: BoardPeriod,
    /// The year "this year" means.
    pub year: i32,
    pub rows: Vec<BoardRow>,
    pub total_minutes: i64,
    pub total_tasks: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ACTORS: [TaskActor; 3] = [TaskActor::Resident, TaskActor::Party, TaskActor::Volunteer];

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("valid")
    }

    fn window(start: &str, end: &str) -> TimeWindow {
        TimeWindow::parse(start, end).expect("window")
    }

    #[test]
    fn ordered_dispatched_accepted_completed() {
        let s = TaskState::Ordered
            .after(TaskStep::Dispatch, TaskActor::Party, "")
            .expect("dispatch");
        let s = s
            .after(TaskStep::Accept, TaskActor::Volunteer, "")
            .expect("accept");
        let s = s
            .after(TaskStep::Complete, TaskActor::Volunteer, "")
            .expect("complete");
        assert_eq!(s, TaskState::Completed);
        assert!(s.is_final());
    }

    #[test]
    fn a_decline_needs_a_reason_and_returns_the_task_to_the_queue() {
        assert_eq!(
            TaskState::Dispatched.after(TaskStep::Decline, TaskActor::Volunteer, "  "),
            Err(TaskError::ReasonRequired)
        );
        assert_eq!(
            TaskState::Dispatched.after(TaskStep::Decline, TaskActor::Volunteer, "那天要值班"),
            Ok(TaskState::Ordered)
        );
        assert_eq!(
            TaskState::Accepted.after(TaskStep::Decline, TaskActor::Volunteer, "临时出差"),
            Ok(TaskState::Ordered)
        );
        assert_eq!(
            TaskState::Ordered.after(TaskStep::Decline, TaskActor::Volunteer, "x"),
            Err(TaskError::NotFromThisState)
        );
    }

    #[test]
    fn each_step_has_its_one_actor() {
        assert_eq!(
            TaskState::Ordered.after(TaskStep::Dispatch, TaskActor::Resident, ""),
            Err(TaskError::WrongActor)
        );
        assert_eq!(
            TaskState::Dispatched.after(TaskStep::Accept, TaskActor::Party, ""),
            Err(TaskError::WrongActor)
        );
        assert_eq!(
            TaskState::Dispatched.after(TaskStep::Cancel, TaskActor::Volunteer, ""),
            Err(TaskError::WrongActor)
        );
        // Once someone accepted, the resident can no longer call it off.
        assert_eq!(
            TaskState::Accepted.after(TaskStep::Cancel, TaskActor::Resident, ""),
            Err(TaskError::NotFromThisState)
        );
        assert_eq!(
            TaskState::Ordered.steps_for(TaskActor::Resident),
            vec![TaskStep::Cancel]
        );
        assert_eq!(
            TaskState::Dispatched.steps_for(TaskActor::Volunteer),
            vec![TaskStep::Accept, TaskStep::Decline]
        );
        assert_eq!(
            TaskState::Accepted.steps_for(TaskActor::Volunteer),
            vec![TaskStep::Decline, TaskStep::Complete]
        );
        for state in TaskState::ALL {
            for actor in ACTORS {
                assert!(!state.steps_for(actor).contains(&TaskStep::Order));
            }
        }
    }

    #[test]
    fn hours_are_read_exactly_in_quarter_hours() {
        let ok = |s: &str| ServedTime::parse(s).map(ServedTime::minutes);
        assert_eq!(ok("1.5"), Ok(90));
        assert_eq!(ok(" 2 "), Ok(120));
        assert_eq!(ok("0.25"), Ok(15));
        assert_eq!(ok(".75"), Ok(45));
        assert_eq!(ok("1.50"), Ok(90));
        assert_eq!(ok("12"), Ok(720));
        assert_eq!(ok("１．５"), Ok(90));
        assert_eq!(ok("3小时"), Ok(180));
        assert_eq!(ok("2h"), Ok(120));
        assert_eq!(ok("007.25"), Ok(435));
        assert_eq!(ok(""), Err(HoursError::Empty));
        assert_eq!(ok("小时"), Err(HoursError::Empty));
        assert_eq!(ok("1.3"), Err(HoursError::NotQuarter));
        assert_eq!(ok("1.125"), Err(HoursError::NotQuarter));
        assert_eq!(ok("0"), Err(HoursError::OutOfRange));
        assert_eq!(ok("12.25"), Err(HoursError::OutOfRange));
        assert_eq!(ok("100"), Err(HoursError::OutOfRange));
        assert_eq!(ok("-1"), Err(HoursError::Malformed));
        assert_eq!(ok("1,5"), Err(HoursError::Malformed));
        assert_eq!(ok("1.5.1"), Err(HoursError::Malformed));
        assert_eq!(ok("."), Err(HoursError::Malformed));
        assert_eq!(ok("1e1"), Err(HoursError::Malformed));
        assert_eq!(ServedTime::from_minutes(20), None);
        assert_eq!(ServedTime::from_minutes(735), None);
        assert_eq!(ServedTime::from_minutes(-15), None);
    }

    #[test]
    fn hours_are_written_as_short_decimals() {
        assert_eq!(format_hours(0), "0");
        assert_eq!(format_hours(15), "0.25");
        assert_eq!(format_hours(90), "1.5");
        assert_eq!(format_hours(600), "10");
        assert_eq!(format_hours(12_345), "205.75");
        assert_eq!(format_hours(20), "0.33");
        assert_eq!(format_hours(-45), "-0.75");
    }

    #[test]
    fn the_window_lies_in_the_visiting_day_and_not_in_the_past() {
        assert_eq!(
            TimeWindow::parse("11:00", "09:00"),
            Err(WishError::EndBeforeStart)
        );
        assert_eq!(
            TimeWindow::parse("06:30", "09:00"),
            Err(WishError::OutsideDay)
        );
        assert_eq!(
            TimeWindow::parse("9点", "11:00"),
            Err(WishError::TimeFormat)
        );
        let w = window("09:00", "11:30");
        assert_eq!(w.start_minute(), 540);
        assert_eq!(w.end_minute(), 690);
        assert_eq!(TimeWindow::from_minutes(540, 690), Some(w));
        assert_eq!(w.text(), "09:00–11:30");
        assert_eq!(window("09:00:00", "10:00:00"), window("09:00", "10:00"));
        let now = at(27, 10, 0);
        assert_eq!(wished_day("2026-11-26", &w, now), Err(WishError::InPast));
        // Later today is fine while the window is still ahead.
        assert!(wished_day("2026-11-27", &w, now).is_ok());
        assert_eq!(
            wished_day("2026-11-27", &w, at(27, 11, 30)),
            Err(WishError::InPast)
        );
        assert!(wished_day("2026-12-27", &w, now).is_ok());
        assert_eq!(
            wished_day("2026-12-28", &w, now),
            Err(WishError::TooFarAhead)
        );
        assert_eq!(wished_day("28/11", &w, now), Err(WishError::DateFormat));
    }

    fn row(person: i64, name: &str, minutes: i64, tasks: i64) -> BoardRow {
        BoardRow {
            rank: 0,
            person: PersonId(person),
            name: name.into(),
            organization: String::new(),
            party_member: true,
            minutes,
            tasks,
        }
    }

    #[test]
    fn the_board_puts_most_hours_first_and_ties_share_a_place() {
        let ranked = rank(vec![
            row(1, "和", 60, 1),
            row(2, "赵", 90, 1),
            row(3, "杨", 90, 1),
            row(4, "木", 90, 2),
        ]);
        let places: Vec<(i64, u32)> = ranked.iter().map(|r| (r.person.0, r.rank)).collect();
        assert_eq!(places, vec![(4, 1), (3, 2), (2, 2), (1, 4)]);
    }

    fn step() -> impl Strategy<Value = TaskStep> {
        proptest::sample::select(TaskStep::ALL.to_vec())
    }

    fn actor() -> impl Strategy<Value = TaskActor> {
        proptest::sample::select(ACTORS.to_vec())
    }

    proptest! {
        /// Any sequence of attempts: refused steps change nothing; accepted
        /// ones are taken by their actor; final states accept nothing; a task
        /// is only completed after it was accepted, and only cancelled while
        /// nobody has accepted it.
        #[test]
        fn random_walks_keep_the_rules(walk in proptest::collection::vec((step(), actor(), any::<bool>()), 0..40)) {
            let mut state = TaskState::Ordered;
            for (step, actor, with_reason) in walk {
                let reason = if with_reason { "因为" } else { "" };
                if let Ok(next) = state.after(step, actor, reason) {
                    prop_assert!(!state.is_final());
                    prop_assert!(step.actors().contains(&actor));
                    prop_assert!(with_reason || !step.needs_reason());
                    if next == TaskState::Completed {
                        prop_assert_eq!(state, TaskState::Accepted);
                    }
                    if next == TaskState::Cancelled {
                        prop_assert!(state != TaskState::Accepted);
                    }
                    state = next;
                }
            }
            if state.is_final() {
                for s in TaskStep::ALL {
                    for a in ACTORS {
                        prop_assert!(state.after(*s, a, "因为").is_err());
                    }
                }
            }
        }

        /// Every quarter hour in range is written and read back to the minute.
        #[test]
        fn hours_round_trip(quarters in 1u32..=48) {
            let minutes = quarters * 15;
            let served = ServedTime::from_minutes(i64::from(minutes)).expect("in range");
            prop_assert_eq!(ServedTime::parse(&served.to_string()), Ok(served));
            prop_assert_eq!(served.minutes(), minutes);
        }

        /// Whatever is typed, what is accepted is a quarter hour in range,
        /// and reads back the same once written.
        #[test]
        fn only_quarter_hours_in_range_are_accepted(input in "[0-9.]{0,6}") {
            if let Ok(served) = ServedTime::parse(&input) {
                let m = served.minutes();
                prop_assert!((MIN_SERVED_MINUTES..=MAX_SERVED_MINUTES).contains(&m));
                prop_assert_eq!(m % 15, 0);
                prop_assert_eq!(ServedTime::parse(&served.to_string()), Ok(served));
            }
        }

        /// The tally keeps every minute and every task, and the ranked board
        /// keeps every row, most hours first, places rising from 1.
        #[test]
        fn the_tally_sums_and_the_board_ranks(
            done in proptest::collection::vec((1i64..6, 1u32..=48), 0..60),
        ) {
            let completed: Vec<(PersonId, i64)> =
                done.iter().map(|(p, q)| (PersonId(*p), i64::from(*q) * 15)).collect();
            let tallied = tally(&completed);
            let minutes: i64 = tallied.iter().map(|t| t.1).sum();
            let tasks: i64 = tallied.iter().map(|t| t.2).sum();
            prop_assert_eq!(minutes, completed.iter().map(|c| c.1).sum::<i64>());
            prop_assert_eq!(tasks, completed.len() as i64);
            for (person, m, n) in &tallied {
                let mine: Vec<i64> = completed.iter().filter(|c| c.0 == *person).map(|c| c.1).collect();
                prop_assert_eq!(*m, mine.iter().sum::<i64>());
                prop_assert_eq!(*n, mine.len() as i64);
            }
            let ranked = rank(
                tallied
                    .iter()
                    .map(|(p, m, n)| row(p.0, "志愿者", *m, *n))
                    .collect(),
            );
            prop_assert_eq!(ranked.len(), tallied.len());
            if let Some(first) = ranked.first() {
                prop_assert_eq!(first.rank, 1);
            }
            for pair in ranked.windows(2) {
                prop_assert!(pair[0].minutes >= pair[1].minutes);
                prop_assert!(pair[0].rank <= pair[1].rank);
                let tied = (pair[0].minutes, pair[0].tasks) == (pair[1].minutes, pair[1].tasks);
                prop_assert_eq!(tied, pair[0].rank == pair[1].rank);
            }
        }
    }
}

//! Party-member volunteer service (点单-派单-接单): a resident orders for their
//! household, the Party organization over the household's community (or
//! street) dispatches to a volunteer of the community's pool and registers
//! volunteers (双报到), the volunteer accepts or declines and completes with
//! the time served; the hours board. Callers have been authorized for the
//! task's household (or community, or their own account) already; who acts
//! on a task is settled here, before anything typed is looked at.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use super::mail::{self, Notification};
use crate::db::{DbConn, accounts as accounts_db, volunteers as db, write_tx};
use crate::domain::access::{Action, Caller, HouseholdId, PersonId, Role, Scope, authorize};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::mail::MailContent;
use crate::domain::org::CommunityId;
use crate::domain::time::{china_date, from_china, to_china};
use crate::domain::volunteers::{
    BoardPeriod, BoardRow, CommunityChoice, Contact, DispatchBoard, HoursError,
    HouseholdVolunteering, MyVolunteering, ORDER_DAYS_AHEAD, ServedTime, TaskActor, TaskError,
    TaskEvent, TaskLine, TaskState, TaskStep, TimeWindow, VolunteerBoard, VolunteerId,
    VolunteerKind, VolunteerTaskId, VolunteerView, WishError, rank, wished_day,
};
use crate::domain::{Lang, LocalizedName};
use crate::error::AppError;
use crate::i18n::Key;

/// Longest note, reason or outcome.
const MAX_TEXT: usize = 500;
/// Longest work unit.
const MAX_ORGANIZATION: usize = 100;
/// Completed tasks listed on the dispatch and volunteer pages.
const RECENT: i64 = 20;

fn text_field(input: &str, field: &str, max: usize) -> Result<String, AppError> {
    let t = input.trim();
    if t.chars().count() > max {
        return Err(AppError::invalid(field, Key::VolunteerErrorTextLong));
    }
    Ok(t.to_owned())
}

fn task_error(e: TaskError) -> AppError {
    match e {
        TaskError::NotFromThisState => AppError::Conflict(Key::VolunteerErrorState),
        TaskError::WrongActor => AppError::Forbidden,
        TaskError::ReasonRequired => AppError::invalid("reason", Key::VolunteerErrorReasonRequired),
    }
}

fn wish_error(e: WishError) -> AppError {
    match e {
        WishError::TimeFormat => AppError::invalid("window_start", Key::VolunteerErrorTimeFormat),
        WishError::EndBeforeStart => {
            AppError::invalid("window_end", Key::VolunteerErrorWindowOrder)
        }
        WishError::OutsideDay => AppError::invalid("window_start", Key::VolunteerErrorWindowDay),
        WishError::DateFormat => AppError::invalid("wished_on", Key::VolunteerErrorDateFormat),
        WishError::InPast => AppError::invalid("wished_on", Key::VolunteerErrorInPast),
        WishError::TooFarAhead => AppError::invalid("wished_on", Key::VolunteerErrorTooFar),
    }
}

fn hours_error(e: HoursError) -> AppError {
    AppError::invalid(
        "hours",
        match e {
            HoursError::Empty => Key::VolunteerErrorHoursRequired,
            HoursError::Malformed => Key::VolunteerErrorHoursFormat,
            HoursError::NotQuarter => Key::VolunteerErrorHoursQuarter,
            HoursError::OutOfRange => Key::VolunteerErrorHoursRange,
        },
    )
}

fn state_of(row: &db::TaskRow) -> TaskState {
    TaskState::from_code(&row.state).unwrap_or(TaskState::Ordered)
}

fn kind_of(row: &db::TaskRow) -> VolunteerKind {
    VolunteerKind::from_code(&row.kind).unwrap_or(VolunteerKind::Other)
}

fn window_of(row: &db::TaskRow) -> TimeWindow {
    TimeWindow::from_minutes(row.start_minute, row.end_minute).unwrap_or(TimeWindow {
        start: NaiveTime::MIN,
        end: NaiveTime::MIN,
    })
}

/// The name of a kind, for mail (written in Chinese, like service names).
fn kind_key(kind: VolunteerKind) -> Key {
    match kind {
        VolunteerKind::ElderCare => Key::VolunteerKindElderCare,
        VolunteerKind::Meals => Key::VolunteerKindMeals,
        VolunteerKind::Tutoring => Key::VolunteerKindTutoring,
        VolunteerKind::Other => Key::VolunteerKindOther,
    }
}

/// The UTC instant China's current year began at.
fn year_start(now: NaiveDateTime) -> (i32, NaiveDateTime) {
    let today = china_date(now);
    let first = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    (today.year(), from_china(first.and_time(NaiveTime::MIN)))
}

// ----- targets for authorizing -----

/// Where a task sits: its household.
pub fn task_target(conn: &mut DbConn, id: VolunteerTaskId) -> Result<Target, AppError> {
    Ok(Target::Household(HouseholdId(
        db::task(conn, id.0)?.household_id,
    )))
}

/// Where a registration sits: its community.
pub fn volunteer_target(conn: &mut DbConn, id: VolunteerId) -> Result<Target, AppError> {
    Ok(Target::Community(CommunityId(
        db::volunteer(conn, id.0)?.community_id,
    )))
}

// ----- who acts -----

/// Whether the caller is `actor` for this task: a resident of its
/// household; the Party organization whose scope covers it; or the volunteer
/// it is dispatched to, still active in its community.
fn is_actor(
    conn: &mut DbConn,
    caller: &Caller,
    row: &db::TaskRow,
    actor: TaskActor,
) -> Result<bool, AppError> {
    // A volunteer acts as themself, whatever role they are signed in as.
    if actor == TaskActor::Volunteer {
        return Ok(row.volunteer_id == Some(caller.person.0)
            && db::registration(conn, caller.person.0, row.community_id)?
                .is_some_and(|v| v.active));
    }
    let Some(grant) = caller.grant.as_ref() else {
        return Ok(false);
    };
    Ok(match actor {
        TaskActor::Resident => {
            grant.role == Role::Resident
                && grant.scope == Scope::Household(HouseholdId(row.household_id))
        }
        TaskActor::Party => {
            grant.role == Role::Party
                && place_of(
                    conn,
                    Target::Household(HouseholdId(row.household_id)),
                    Some(caller),
                )?
                .within(&grant.scope)
        }
        TaskActor::Volunteer => false,
    })
}

/// The task and its state after `step`, if the caller is the one who takes
/// it and the task's state allows it.
fn checked(
    conn: &mut DbConn,
    caller: &Caller,
    id: VolunteerTaskId,
    step: TaskStep,
    reason: &str,
) -> Result<(db::TaskRow, TaskState), AppError> {
    let row = db::task(conn, id.0).map_err(super::access::unknown_as_forbidden)?;
    let actor = step.actors().first().copied().ok_or(AppError::Forbidden)?;
    if !is_actor(conn, caller, &row, actor)? {
        return Err(AppError::Forbidden);
    }
    let next = state_of(&row)
        .after(step, actor, reason)
        .map_err(task_error)?;
    Ok((row, next))
}

/// Logs a step of a task inside its transaction.
fn audit_task(
    conn: &mut DbConn,
    caller: &Caller,
    row: &db::TaskRow,
    action: AuditAction,
    after: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let place = place_of(
        conn,
        Target::Household(HouseholdId(row.household_id)),
        Some(caller),
    )?;
    let before = (action != AuditAction::Create)
        .then(|| json!({"state": row.state, "volunteer": row.volunteer_id}));
    audit::record(
        conn,
        Change {
            by: Some(caller.person),
            entity: AuditEntity::VolunteerTask,
            entity_id: row.id,
            action,
            before,
            after: Some(after),
            place: &place,
        },
        now,
    )
}

// ----- reading -----

/// Who is looking at a list: decides the steps offered, whether the
/// orderer's phone is shown and whether a volunteer merely offered the task
/// is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Viewer {
    Resident,
    Party,
    Volunteer,
}

/// Task rows made readable, with a fixed number of queries for any number.
fn lines_of(
    conn: &mut DbConn,
    rows: &[db::TaskRow],
    viewer: Viewer,
) -> Result<Vec<TaskLine>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let households: Vec<i64> = rows
        .iter()
        .map(|r| r.household_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let people_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.ordered_by, r.volunteer_id])
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names = crate::db::billing::household_labels(conn, &households)?;
    let people = db::people(conn, &people_ids)?;
    let mut history: BTreeMap<i64, Vec<TaskEvent>> = BTreeMap::new();
    for (task, at, by, step, comment) in db::events_of(conn, &ids)? {
        // Whom a task was offered to and who gave it back, and why, are the
        // Party's business: a resident hears who comes once they accept, a
        // volunteer does not read another's reasons.
        let hidden = match viewer {
            Viewer::Resident => matches!(
                TaskStep::from_code(&step),
                Some(TaskStep::Dispatch | TaskStep::Decline)
            ),
            Viewer::Volunteer => TaskStep::from_code(&step) == Some(TaskStep::Decline),
            Viewer::Party => false,
        };
        if hidden {
            continue;
        }
        if let Some(step) = TaskStep::from_code(&step) {
            history.entry(task).or_default().push(TaskEvent {
                at,
                by: by.unwrap_or_default(),
                step,
                comment,
            });
        }
    }
    let actor = match viewer {
        Viewer::Resident => TaskActor::Resident,
        Viewer::Party => TaskActor::Party,
        Viewer::Volunteer => TaskActor::Volunteer,
    };
    Ok(rows
        .iter()
        .map(|r| {
            let state = state_of(r);
            let (estate, estate_en, building, unit, room) =
                names.get(&r.household_id).cloned().unwrap_or_default();
            // A volunteer keeps the orderer's phone only while the task is theirs to do.
            let contact = match viewer {
                Viewer::Resident => None,
                Viewer::Volunteer
                    if !matches!(state, TaskState::Dispatched | TaskState::Accepted) =>
                {
                    None
                }
                Viewer::Party | Viewer::Volunteer => {
                    r.ordered_by
                        .and_then(|p| people.get(&p))
                        .map(|(name, phone)| Contact {
                            name: name.clone(),
                            phone: phone.clone(),
                        })
                }
            };
            // A resident hears who is coming once they said yes.
            let named = viewer != Viewer::Resident
                || matches!(state, TaskState::Accepted | TaskState::Completed);
            let volunteer = r
                .volunteer_id
                .filter(|_| named)
                .and_then(|p| people.get(&p))
                .map(|(name, _)| name.clone());
            TaskLine {
                id: VolunteerTaskId(r.id),
                kind: kind_of(r),
                state,
                household: HouseholdId(r.household_id),
                estate: LocalizedName::new(estate, estate_en),
                room: format!("{building} {unit} {room}"),
                wished_on: r.wished_on,
                window: window_of(r),
                note: r.note.clone(),
                ordered_at: r.ordered_at,
                contact,
                volunteer,
                volunteer_person: r.volunteer_id.filter(|_| named).map(PersonId),
                served: r.minutes.and_then(ServedTime::from_minutes),
                outcome: r.outcome.clone(),
                history: history.remove(&r.id).unwrap_or_default(),
                steps: state.steps_for(actor),
            }
        })
        .collect())
}

/// The community a page is about: the caller's own (a resident's, a
/// committee's, a company's or a community Party organization's); for a
/// street or the district, the one asked for among theirs, or by default the
/// one with the most requests waiting, then the largest pool.
fn community_in_scope(
    conn: &mut DbConn,
    caller: &Caller,
    requested: Option<CommunityId>,
    action: Action,
) -> Result<(CommunityId, Vec<CommunityChoice>), AppError> {
    let own = place_of(conn, Target::OwnScope, Some(caller))?;
    if let Some(community) = own.community {
        if requested.is_some_and(|r| r != community) {
            return Err(AppError::Forbidden);
        }
        let (zh, en) = accounts_db::community_name(conn, community.0)?;
        return Ok((community, vec![(community, LocalizedName::new(zh, en))]));
    }
    let rows = match (own.street, own.district) {
        (Some(street), _) => db::communities_of_street(conn, street.0)?,
        (None, Some(district)) => db::communities_of_district(conn, district.0)?,
        (None, None) => return Err(AppError::Forbidden),
    };
    let choices: Vec<CommunityChoice> = rows
        .into_iter()
        .map(|(id, zh, en)| (CommunityId(id), LocalizedName::new(zh, en)))
        .collect();
    let chosen = match requested {
        Some(r) => {
            if !choices.iter().any(|(c, _)| *c == r) {
                return Err(AppError::Forbidden);
            }
            let place = place_of(conn, Target::Community(r), Some(caller))?;
            authorize(Some(caller), action, &place)?;
            r
        }
        None => {
            let ids: Vec<i64> = choices.iter().map(|(c, _)| c.0).collect();
            let waiting: BTreeMap<i64, i64> =
                db::waiting_by_community(conn, &ids)?.into_iter().collect();
            let pools: BTreeMap<i64, i64> = db::pool_sizes(conn, &ids)?.into_iter().collect();
            let mut best: Option<(CommunityId, (i64, i64))> = None;
            for id in &ids {
                let key = (
                    waiting.get(id).copied().unwrap_or(0),
                    pools.get(id).copied().unwrap_or(0),
                );
                if best.is_none_or(|(_, k)| key > k) {
                    best = Some((CommunityId(*id), key));
                }
            }
            best.map(|(c, _)| c).ok_or(AppError::NotFound)?
        }
    };
    Ok((chosen, choices))
}

// ----- the resident -----

/// The household's volunteer service page: the order form and its requests.
pub fn household_page(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    now: NaiveDateTime,
) -> Result<HouseholdVolunteering, AppError> {
    let (_, community) = db::household_home(conn, household.0)?;
    let (estate, estate_en, building, unit, room) =
        crate::db::billing::household_labels(conn, &[household.0])?
            .remove(&household.0)
            .unwrap_or_default();
    let (community_zh, community_en) = accounts_db::community_name(conn, community)?;
    let rows = db::tasks_of_household(conn, household.0)?;
    let today = china_date(now);
    Ok(HouseholdVolunteering {
        household,
        estate: LocalizedName::new(estate, estate_en),
        room: format!("{building} {unit} {room}"),
        community: LocalizedName::new(community_zh, community_en),
        today,
        last_day: today + Duration::days(ORDER_DAYS_AHEAD),
        form_token: super::passwords::new_form_token(),
        tasks: lines_of(conn, &rows, Viewer::Resident)?,
        is_volunteer: !db::active_communities_of(conn, caller.person.0)?.is_empty(),
    })
}

/// What the order form sends.
pub struct OrderForm {
    pub kind: String,
    /// "2026-11-28".
    pub wished_on: String,
    /// "09:00" and "11:00".
    pub window_start: String,
    pub window_end: String,
    pub note: String,
    pub form_token: String,
}

/// A resident orders a service for their household. The same form sent
/// twice orders once.
pub fn order(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    form: &OrderForm,
    now: NaiveDateTime,
) -> Result<VolunteerTaskId, AppError> {
    let token = form.form_token.trim();
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::invalid("form_token", Key::VolunteerErrorForm));
    }
    let kind = VolunteerKind::from_code(form.kind.trim())
        .ok_or_else(|| AppError::invalid("kind", Key::VolunteerErrorKind))?;
    let window = TimeWindow::parse(&form.window_start, &form.window_end).map_err(wish_error)?;
    let day = wished_day(&form.wished_on, &window, to_china(now)).map_err(wish_error)?;
    let note = text_field(&form.note, "note", MAX_TEXT)?;
    let ordered = write_tx(conn, |conn| {
        if let Some(id) = db::task_of_token(conn, household.0, token)? {
            return Ok(VolunteerTaskId(id));
        }
        let (estate, community) = db::household_home(conn, household.0)?;
        let id = db::insert_task(
            conn,
            &db::NewTask {
                community_id: community,
                estate_id: estate,
                household_id: household.0,
                kind: kind.code(),
                wished_on: day,
                start_minute: window.start_minute(),
                end_minute: window.end_minute(),
                note: &note,
                ordered_by: Some(caller.person.0),
                form_token: Some(token),
                at: now,
            },
        )
        .map_err(|e| {
            // The same form sent twice at once: the other request ordered it.
            if e.is_unique_violation() {
                AppError::Conflict(Key::VolunteerErrorForm)
            } else {
                e.into()
            }
        })?;
        db::insert_event(
            conn,
            id,
            now,
            Some(caller.person.0),
            TaskStep::Order.code(),
            "",
        )?;
        let row = db::task(conn, id)?;
        audit_task(
            conn,
            caller,
            &row,
            AuditAction::Create,
            json!({
                "household": household.0,
                "kind": kind.code(),
                "wished_on": day.to_string(),
                "window": window.text(),
                "note": note,
                "state": TaskState::Ordered.code(),
            }),
            now,
        )?;
        Ok(VolunteerTaskId(id))
    });
    match ordered {
        Err(AppError::Conflict(Key::VolunteerErrorForm)) => {
            db::task_of_token(conn, household.0, token)?
                .map(VolunteerTaskId)
                .ok_or(AppError::Conflict(Key::VolunteerErrorForm))
        }
        other => other,
    }
}

/// The resident calls it off while nobody has accepted it.
pub fn cancel(
    conn: &mut DbConn,
    caller: &Caller,
    id: VolunteerTaskId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let (row, next) = checked(conn, caller, id, TaskStep::Cancel, reason)?;
        let reason = text_field(reason, "reason", MAX_TEXT)?;
        if db::cancel(conn, row.id, &row.state, now)? == 0 {
            return Err(AppError::Conflict(Key::VolunteerErrorState));
        }
        db::insert_event(
            conn,
            row.id,
            now,
            Some(caller.person.0),
            TaskStep::Cancel.code(),
            &reason,
        )?;
        audit_task(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"state": next.code(), "reason": reason}),
            now,
        )
    })
}

// ----- the Party organization -----

/// The dispatch page of a community: the queue, what is offered and
/// accepted, the latest completed, and the pool.
pub fn dispatch_page(
    conn: &mut DbConn,
    caller: &Caller,
    requested: Option<CommunityId>,
    now: NaiveDateTime,
) -> Result<DispatchBoard, AppError> {
    let (community, communities) =
        community_in_scope(conn, caller, requested, Action::DispatchVolunteers)?;
    let community_name = communities
        .iter()
        .find(|(c, _)| *c == community)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    let open =
        db::open_tasks_of_community(conn, community.0, vec!["ordered", "dispatched", "accepted"])?;
    let mut queue = Vec::new();
    let mut dispatched = Vec::new();
    let mut accepted = Vec::new();
    for line in lines_of(conn, &open, Viewer::Party)? {
        match line.state {
            TaskState::Ordered => queue.push(line),
            TaskState::Dispatched => dispatched.push(line),
            _ => accepted.push(line),
        }
    }
    let done = db::completed_of_community(conn, community.0, RECENT)?;
    let completed = lines_of(conn, &done, Viewer::Party)?;
    let mut open_per_person: BTreeMap<i64, u32> = BTreeMap::new();
    for row in open.iter().filter(|r| r.state != "ordered") {
        if let Some(p) = row.volunteer_id {
            *open_per_person.entry(p).or_default() += 1;
        }
    }
    let rows = db::volunteers_of_community(conn, community.0)?;
    let ids: Vec<i64> = rows.iter().map(|v| v.id).collect();
    let mut kinds: BTreeMap<i64, Vec<VolunteerKind>> = BTreeMap::new();
    for (volunteer, kind) in db::kinds_of(conn, &ids)? {
        if let Some(k) = VolunteerKind::from_code(&kind) {
            kinds.entry(volunteer).or_default().push(k);
        }
    }
    let volunteers = rows
        .into_iter()
        .map(|v| VolunteerView {
            id: VolunteerId(v.id),
            person: PersonId(v.person_id),
            open_tasks: open_per_person.get(&v.person_id).copied().unwrap_or(0),
            kinds: kinds.remove(&v.id).unwrap_or_default(),
            name: v.name,
            phone: v.phone,
            party_member: v.party_member,
            organization: v.organization,
            registered_on: v.registered_on,
            active: v.active,
        })
        .collect();
    Ok(DispatchBoard {
        community,
        community_name,
        communities,
        queue,
        dispatched,
        accepted,
        completed,
        volunteers,
        today: china_date(now),
    })
}

/// Offers a task to an active volunteer of its community (again to someone
/// else while nobody has answered).
pub fn dispatch(
    conn: &mut DbConn,
    caller: &Caller,
    id: VolunteerTaskId,
    volunteer: PersonId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let (row, next) = checked(conn, caller, id, TaskStep::Dispatch, "")?;
        let chosen = db::registration(conn, volunteer.0, row.community_id)?
            .filter(|v| v.active)
            .ok_or_else(|| AppError::invalid("volunteer", Key::VolunteerErrorVolunteer))?;
        if db::dispatch(conn, row.id, &row.state, volunteer.0, caller.person.0, now)? == 0 {
            return Err(AppError::Conflict(Key::VolunteerErrorState));
        }
        db::insert_event(
            conn,
            row.id,
            now,
            Some(caller.person.0),
            TaskStep::Dispatch.code(),
            &chosen.name,
        )?;
        audit_task(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"state": next.code(), "volunteer": volunteer.0}),
            now,
        )
    })
}

/// What the registration form sends.
pub struct RegisterForm {
    /// The phone of the person's account.
    pub phone: String,
    pub organization: String,
    /// "2026-11-20"; today when empty.
    pub registered_on: String,
    pub party_member: bool,
    pub kinds: Vec<VolunteerKind>,
}

/// Registers a person who lives in the community as one of its volunteers
/// (双报到), found by the phone of their account.
pub fn register(
    conn: &mut DbConn,
    caller: &Caller,
    community: CommunityId,
    form: &RegisterForm,
    now: NaiveDateTime,
) -> Result<VolunteerId, AppError> {
    let phone = crate::domain::estates::parse_phone(&form.phone)
        .ok_or_else(|| AppError::invalid("phone", Key::VolunteerErrorPhone))?;
    let organization = text_field(&form.organization, "organization", MAX_ORGANIZATION)?;
    let today = china_date(now);
    let registered_on = if form.registered_on.trim().is_empty() {
        today
    } else {
        NaiveDate::parse_from_str(form.registered_on.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= today && d.year() >= 2000)
            .ok_or_else(|| AppError::invalid("registered_on", Key::VolunteerErrorRegisteredOn))?
    };
    let kinds: Vec<&str> = VolunteerKind::ALL
        .iter()
        .copied()
        .filter(|k| form.kinds.contains(k))
        .map(VolunteerKind::code)
        .collect();
    if kinds.is_empty() {
        return Err(AppError::invalid("kinds", Key::VolunteerErrorKinds));
    }
    write_tx(conn, |conn| {
        let person = accounts_db::person_by_phone(conn, &phone)?
            .filter(|p| p.disabled_at.is_none())
            .ok_or_else(|| AppError::invalid("phone", Key::VolunteerErrorPhone))?;
        if !db::lives_in_community(conn, person.id, community.0)? {
            return Err(AppError::invalid("phone", Key::VolunteerErrorNotResident));
        }
        if db::registration(conn, person.id, community.0)?.is_some() {
            return Err(AppError::Conflict(Key::VolunteerErrorAlreadyRegistered));
        }
        let id = db::insert_volunteer(
            conn,
            &db::NewVolunteer {
                person_id: person.id,
                community_id: community.0,
                party_member: form.party_member,
                organization: &organization,
                registered_on,
                registered_by: Some(caller.person.0),
                at: now,
            },
            &kinds,
        )
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::Conflict(Key::VolunteerErrorAlreadyRegistered)
            } else {
                e.into()
            }
        })?;
        let place = place_of(conn, Target::Community(community), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Volunteer,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "person": person.id,
                    "name": person.name,
                    "community": community.0,
                    "party_member": form.party_member,
                    "organization": organization,
                    "registered_on": registered_on.to_string(),
                    "kinds": kinds,
                })),
                place: &place,
            },
            now,
        )?;
        Ok(VolunteerId(id))
    })
}

/// Takes a volunteer out of the pool (or back in). Someone with tasks
/// offered or accepted keeps serving until those are sent elsewhere.
pub fn set_active(
    conn: &mut DbConn,
    caller: &Caller,
    id: VolunteerId,
    active: bool,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let v = db::volunteer(conn, id.0)?;
        if !active
            && db::open_tasks_of_volunteer(conn, v.person_id)?
                .iter()
                .any(|t| t.community_id == v.community_id)
        {
            return Err(AppError::Conflict(Key::VolunteerErrorHasOpenTasks));
        }
        if db::set_active(conn, v.id, active)? == 0 {
            // Already so: nothing changed, nothing to log.
            return Ok(());
        }
        let place = place_of(
            conn,
            Target::Community(CommunityId(v.community_id)),
            Some(caller),
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Volunteer,
                entity_id: v.id,
                action: AuditAction::Update,
                before: Some(json!({"active": v.active})),
                after: Some(json!({"active": active})),
                place: &place,
            },
            now,
        )
    })
}

// ----- the volunteer -----

/// The caller's own volunteering: offered, accepted, completed, and hours.
pub fn my_tasks(
    conn: &mut DbConn,
    caller: &Caller,
    now: NaiveDateTime,
) -> Result<MyVolunteering, AppError> {
    let me = caller.person.0;
    let registered = db::active_communities_of(conn, me)?;
    let active: BTreeSet<i64> = registered.iter().map(|(id, _, _)| *id).collect();
    let open = db::open_tasks_of_volunteer(conn, me)?;
    let mut offered = Vec::new();
    let mut accepted = Vec::new();
    for (row, mut line) in open.iter().zip(lines_of(conn, &open, Viewer::Volunteer)?) {
        // No longer in that community's pool: nothing to do but wait for
        // the Party organization to send it elsewhere.
        if !active.contains(&row.community_id) {
            line.steps.clear();
        }
        match line.state {
            TaskState::Dispatched => offered.push(line),
            _ => accepted.push(line),
        }
    }
    let done = db::completed_of_volunteer(conn, me, RECENT)?;
    let completed = lines_of(conn, &done, Viewer::Volunteer)?
        .into_iter()
        .map(|mut l| {
            l.steps.clear();
            l
        })
        .collect();
    let (year, since) = year_start(now);
    let (year_minutes, year_tasks) = db::served_by(conn, me, since)?;
    let (all_minutes, all_tasks) = db::served_by(conn, me, NaiveDateTime::default())?;
    Ok(MyVolunteering {
        name: caller.name.clone(),
        communities: registered
            .into_iter()
            .map(|(_, zh, en)| LocalizedName::new(zh, en))
            .collect(),
        offered,
        accepted,
        completed,
        year,
        year_minutes,
        year_tasks,
        all_minutes,
        all_tasks,
    })
}

/// The volunteer says yes; the household hears who is coming.
pub fn accept(
    conn: &mut DbConn,
    site_url: &str,
    caller: &Caller,
    id: VolunteerTaskId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let (row, next) = checked(conn, caller, id, TaskStep::Accept, "")?;
        if db::accept(conn, row.id, caller.person.0, now)? == 0 {
            return Err(AppError::Conflict(Key::VolunteerErrorState));
        }
        db::insert_event(
            conn,
            row.id,
            now,
            Some(caller.person.0),
            TaskStep::Accept.code(),
            "",
        )?;
        audit_task(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"state": next.code(), "volunteer": caller.person.0}),
            now,
        )?;
        // The visit mail the housekeeping schedule sends says exactly this:
        // who comes, on which day, at what time, for what.
        let service = format!(
            "{}·{}",
            crate::i18n::text(Lang::Zh, Key::VolunteerServiceName),
            crate::i18n::text(Lang::Zh, kind_key(kind_of(&row)))
        );
        let told = match row.ordered_by {
            Some(p) => vec![p],
            None => crate::db::orders::household_people(conn, row.household_id)?,
        };
        for person in told {
            mail::enqueue(
                conn,
                site_url,
                &Notification {
                    person: PersonId(person),
                    company: None,
                    content: MailContent::BookingScheduled {
                        service: service.clone(),
                        date: row.wished_on,
                        time: window_of(&row).start.format("%H:%M").to_string(),
                        staff: caller.name.clone(),
                    },
                },
                now,
            )?;
        }
        Ok(())
    })
}

/// The volunteer cannot come: with a reason, the task returns to the queue.
pub fn decline(
    conn: &mut DbConn,
    caller: &Caller,
    id: VolunteerTaskId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let (row, next) = checked(conn, caller, id, TaskStep::Decline, reason)?;
        let reason = text_field(reason, "reason", MAX_TEXT)?;
        if db::decline(conn, row.id, &row.state, caller.person.0)? == 0 {
            return Err(AppError::Conflict(Key::VolunteerErrorState));
        }
        db::insert_event(
            conn,
            row.id,
            now,
            Some(caller.person.0),
            TaskStep::Decline.code(),
            &reason,
        )?;
        audit_task(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"state": next.code(), "volunteer": null, "reason": reason}),
            now,
        )
    })
}

/// Done: with the time served ("1.5" hours, in quarter hours) and a note.
pub fn complete(
    conn: &mut DbConn,
    caller: &Caller,
    id: VolunteerTaskId,
    hours: &str,
    note: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let (row, next) = checked(conn, caller, id, TaskStep::Complete, "")?;
        let served = ServedTime::parse(hours).map_err(hours_error)?;
        let note = text_field(note, "note", MAX_TEXT)?;
        let minutes = i64::from(served.minutes());
        if db::complete(conn, row.id, caller.person.0, minutes, &note, now)? == 0 {
            return Err(AppError::Conflict(Key::VolunteerErrorState));
        }
        db::insert_event(
            conn,
            row.id,
            now,
            Some(caller.person.0),
            TaskStep::Complete.code(),
            &note,
        )?;
        audit_task(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"state": next.code(), "minutes": minutes, "outcome": note}),
            now,
        )
    })
}

// ----- the board -----

/// The community's hours board for the period ("year" or "all"; this year
/// when empty): most hours first.
pub fn board(
    conn: &mut DbConn,
    caller: &Caller,
    requested: Option<CommunityId>,
    period: &str,
    now: NaiveDateTime,
) -> Result<VolunteerBoard, AppError> {
    let period = match period.trim() {
        "" => BoardPeriod::Year,
        code => BoardPeriod::from_code(code)
            .ok_or_else(|| AppError::invalid("period", Key::VolunteerErrorPeriod))?,
    };
    let (community, communities) =
        community_in_scope(conn, caller, requested, Action::ViewVolunteerBoard)?;
    let community_name = communities
        .iter()
        .find(|(c, _)| *c == community)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    let (year, year_since) = year_start(now);
    let since = match period {
        BoardPeriod::Year => year_since,
        BoardPeriod::All => NaiveDateTime::default(),
    };
    let tallied = db::tally(conn, community.0, since)?;
    let persons: Vec<i64> = tallied.iter().filter_map(|t| t.0).collect();
    let people = db::board_people(conn, community.0, &persons)?;
    let rows: Vec<BoardRow> = tallied
        .into_iter()
        .filter_map(|(person, minutes, tasks)| {
            let person = person?;
            let (name, organization, party_member) =
                people.get(&person).cloned().unwrap_or_default();
            Some(BoardRow {
                rank: 0,
                person: PersonId(person),
                name,
                organization,
                party_member,
                minutes,
                tasks,
            })
        })
        .collect();
    let rows = rank(rows);
    Ok(VolunteerBoard {
        community,
        community_name,
        communities,
        period,
        year,
        total_minutes: rows.iter().map(|r| r.minutes).sum(),
        total_tasks: rows.iter().map(|r| r.tasks).sum(),
        rows,
    })
}

//! The volunteer pool of each community (双报到 registrations and the kinds
//! of service offered), volunteer tasks with their history, and the hours
//! board as one grouped query.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count;
use diesel::prelude::*;

use super::billing::sum_fen;
use super::schema::{
    buildings, communities, estates, households, persons, residents, role_grants, streets,
    volunteer_kinds, volunteer_task_events, volunteer_tasks, volunteers,
};
use super::{DbConn, DbError};

// ----- where a household is -----

/// A household's estate and community.
pub fn household_home(conn: &mut DbConn, household: i64) -> Result<(i64, i64), DbError> {
    Ok(households::table
        .inner_join(buildings::table.inner_join(estates::table))
        .filter(households::id.eq(household))
        .select((estates::id, estates::community_id))
        .first(conn)?)
}

/// Names and phones of people: id → (name, phone).
pub fn people(
    conn: &mut DbConn,
    ids: &[i64],
) -> Result<BTreeMap<i64, (String, Option<String>)>, DbError> {
    Ok(persons::table
        .filter(persons::id.eq_any(ids))
        .select((persons::id, persons::name, persons::phone))
        .load::<(i64, String, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, name, phone)| (id, (name, phone)))
        .collect())
}

/// Whether the person lives in the community: a resident there (not moved
/// out) or holding a resident grant for a household there.
pub fn lives_in_community(conn: &mut DbConn, person: i64, community: i64) -> Result<bool, DbError> {
    let mut homes: Vec<i64> = residents::table
        .filter(residents::person_id.eq(person))
        .filter(residents::moved_out_at.is_null())
        .select(residents::household_id)
        .load(conn)?;
    let granted: Vec<Option<i64>> = role_grants::table
        .filter(role_grants::person_id.eq(person))
        .filter(role_grants::role.eq("resident"))
        .filter(role_grants::revoked_at.is_null())
        .select(role_grants::household_id)
        .load(conn)?;
    homes.extend(granted.into_iter().flatten());
    if homes.is_empty() {
        return Ok(false);
    }
    let there: i64 = households::table
        .inner_join(buildings::table.inner_join(estates::table))
        .filter(households::id.eq_any(&homes))
        .filter(estates::community_id.eq(community))
        .count()
        .get_result(conn)?;
    Ok(there > 0)
}

// ----- communities -----

/// (id, name, name_en) of the open communities of a street.
pub fn communities_of_street(
    conn: &mut DbConn,
    street: i64,
) -> Result<Vec<(i64, String, String)>, DbError> {
    Ok(communities::table
        .filter(communities::street_id.eq(street))
        .filter(communities::closed_at.is_null())
        .select((communities::id, communities::name, communities::name_en))
        .order(communities::id)
        .load(conn)?)
}

/// (id, name, name_en) of the open communities of a district.
pub fn communities_of_district(
    conn: &mut DbConn,
    district: i64,
) -> Result<Vec<(i64, String, String)>, DbError> {
    Ok(communities::table
        .inner_join(streets::table)
        .filter(streets::district_id.eq(district))
        .filter(communities::closed_at.is_null())
        .select((communities::id, communities::name, communities::name_en))
        .order((streets::sort_order, communities::id))
        .load(conn)?)
}

/// Tasks waiting for a volunteer, per community: (community, tasks).
pub fn waiting_by_community(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::community_id.eq_any(ids))
        .filter(volunteer_tasks::state.eq("ordered"))
        .group_by(volunteer_tasks::community_id)
        .select((volunteer_tasks::community_id, count(volunteer_tasks::id)))
        .load(conn)?)
}

/// Active volunteers per community: (community, volunteers).
pub fn pool_sizes(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    Ok(volunteers::table
        .filter(volunteers::community_id.eq_any(ids))
        .filter(volunteers::active.eq(true))
        .group_by(volunteers::community_id)
        .select((volunteers::community_id, count(volunteers::id)))
        .load(conn)?)
}

// ----- the pool -----

#[derive(Queryable, Debug, Clone)]
pub struct VolunteerRow {
    pub id: i64,
    pub person_id: i64,
    pub community_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub party_member: bool,
    pub organization: String,
    pub registered_on: NaiveDate,
    pub active: bool,
}

/// The columns of [`VolunteerRow`], volunteers joined with persons.
macro_rules! volunteer_columns {
    () => {
        (
            volunteers::id,
            volunteers::person_id,
            volunteers::community_id,
            persons::name,
            persons::phone,
            volunteers::party_member,
            volunteers::organization,
            volunteers::registered_on,
            volunteers::active,
        )
    };
}

/// The community's volunteers, active first, then by name.
pub fn volunteers_of_community(
    conn: &mut DbConn,
    community: i64,
) -> Result<Vec<VolunteerRow>, DbError> {
    Ok(volunteers::table
        .inner_join(persons::table.on(persons::id.eq(volunteers::person_id)))
        .filter(volunteers::community_id.eq(community))
        .select(volunteer_columns!())
        .order((volunteers::active.desc(), persons::name, volunteers::id))
        .load(conn)?)
}

/// A person's registration with a community, if any.
pub fn registration(
    conn: &mut DbConn,
    person: i64,
    community: i64,
) -> Result<Option<VolunteerRow>, DbError> {
    Ok(volunteers::table
        .inner_join(persons::table.on(persons::id.eq(volunteers::person_id)))
        .filter(volunteers::person_id.eq(person))
        .filter(volunteers::community_id.eq(community))
        .select(volunteer_columns!())
        .first(conn)
        .optional()?)
}

pub fn volunteer(conn: &mut DbConn, id: i64) -> Result<VolunteerRow, DbError> {
    Ok(volunteers::table
        .inner_join(persons::table.on(persons::id.eq(volunteers::person_id)))
        .filter(volunteers::id.eq(id))
        .select(volunteer_columns!())
        .first(conn)?)
}

/// The communities a person is an active volunteer of: (id, name, name_en).
pub fn active_communities_of(
    conn: &mut DbConn,
    person: i64,
) -> Result<Vec<(i64, String, String)>, DbError> {
    Ok(volunteers::table
        .inner_join(communities::table.on(communities::id.eq(volunteers::community_id)))
        .filter(volunteers::person_id.eq(person))
        .filter(volunteers::active.eq(true))
        .select((communities::id, communities::name, communities::name_en))
        .order(communities::id)
        .load(conn)?)
}

/// The kinds each volunteer offers: (volunteer, kind).
pub fn kinds_of(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, String)>, DbError> {
    Ok(volunteer_kinds::table
        .filter(volunteer_kinds::volunteer_id.eq_any(ids))
        .select((volunteer_kinds::volunteer_id, volunteer_kinds::kind))
        .order((volunteer_kinds::volunteer_id, volunteer_kinds::kind))
        .load(conn)?)
}

pub struct NewVolunteer<'a> {
    pub person_id: i64,
    pub community_id: i64,
    pub party_member: bool,
    pub organization: &'a str,
    pub registered_on: NaiveDate,
    pub registered_by: Option<i64>,
    pub at: NaiveDateTime,
}

/// A registration with the kinds offered.
pub fn insert_volunteer(
    conn: &mut DbConn,
    v: &NewVolunteer<'_>,
    kinds: &[&str],
) -> Result<i64, DbError> {
    let id: i64 = diesel::insert_into(volunteers::table)
        .values((
            volunteers::person_id.eq(v.person_id),
            volunteers::community_id.eq(v.community_id),
            volunteers::party_member.eq(v.party_member),
            volunteers::organization.eq(v.organization),
            volunteers::registered_on.eq(v.registered_on),
            volunteers::active.eq(true),
            volunteers::registered_by.eq(v.registered_by),
            volunteers::created_at.eq(v.at),
        ))
        .returning(volunteers::id)
        .get_result(conn)?;
    // Four kinds at most: one row at a time is plenty.
    for kind in kinds {
        diesel::insert_into(volunteer_kinds::table)
            .values((
                volunteer_kinds::volunteer_id.eq(id),
                volunteer_kinds::kind.eq(*kind),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// Sets a registration (in)active; 0 when it already was.
pub fn set_active(conn: &mut DbConn, id: i64, active: bool) -> Result<usize, DbError> {
    Ok(diesel::update(
        volunteers::table
            .filter(volunteers::id.eq(id))
            .filter(volunteers::active.eq(!active)),
    )
    .set(volunteers::active.eq(active))
    .execute(conn)?)
}

// ----- tasks -----

#[derive(Queryable, Debug, Clone)]
pub struct TaskRow {
    pub id: i64,
    pub community_id: i64,
    pub estate_id: i64,
    pub household_id: i64,
    pub kind: String,
    pub wished_on: NaiveDate,
    pub start_minute: i64,
    pub end_minute: i64,
    pub note: String,
    pub state: String,
    pub ordered_by: Option<i64>,
    pub ordered_at: NaiveDateTime,
    pub form_token: Option<String>,
    pub volunteer_id: Option<i64>,
    pub dispatched_by: Option<i64>,
    pub dispatched_at: Option<NaiveDateTime>,
    pub accepted_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub minutes: Option<i64>,
    pub outcome: String,
    pub cancelled_at: Option<NaiveDateTime>,
}

pub struct NewTask<'a> {
    pub community_id: i64,
    pub estate_id: i64,
    pub household_id: i64,
    pub kind: &'a str,
    pub wished_on: NaiveDate,
    pub start_minute: i64,
    pub end_minute: i64,
    pub note: &'a str,
    pub ordered_by: Option<i64>,
    pub form_token: Option<&'a str>,
    pub at: NaiveDateTime,
}

pub fn insert_task(conn: &mut DbConn, t: &NewTask<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(volunteer_tasks::table)
        .values((
            volunteer_tasks::community_id.eq(t.community_id),
            volunteer_tasks::estate_id.eq(t.estate_id),
            volunteer_tasks::household_id.eq(t.household_id),
            volunteer_tasks::kind.eq(t.kind),
            volunteer_tasks::wished_on.eq(t.wished_on),
            volunteer_tasks::start_minute.eq(t.start_minute),
            volunteer_tasks::end_minute.eq(t.end_minute),
            volunteer_tasks::note.eq(t.note),
            volunteer_tasks::state.eq("ordered"),
            volunteer_tasks::ordered_by.eq(t.ordered_by),
            volunteer_tasks::ordered_at.eq(t.at),
            volunteer_tasks::form_token.eq(t.form_token),
            volunteer_tasks::outcome.eq(""),
        ))
        .returning(volunteer_tasks::id)
        .get_result(conn)?)
}

pub fn task(conn: &mut DbConn, id: i64) -> Result<TaskRow, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::id.eq(id))
        .first(conn)?)
}

/// The task an order form's token already made for the household, if any.
pub fn task_of_token(
    conn: &mut DbConn,
    household: i64,
    token: &str,
) -> Result<Option<i64>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::household_id.eq(household))
        .filter(volunteer_tasks::form_token.eq(token))
        .select(volunteer_tasks::id)
        .first(conn)
        .optional()?)
}

/// The household's tasks, newest first.
pub fn tasks_of_household(conn: &mut DbConn, household: i64) -> Result<Vec<TaskRow>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::household_id.eq(household))
        .order((
            volunteer_tasks::ordered_at.desc(),
            volunteer_tasks::id.desc(),
        ))
        .load(conn)?)
}

/// The community's tasks in these states, soonest wished first.
pub fn open_tasks_of_community(
    conn: &mut DbConn,
    community: i64,
    states: Vec<&str>,
) -> Result<Vec<TaskRow>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::community_id.eq(community))
        .filter(volunteer_tasks::state.eq_any(states))
        .order((
            volunteer_tasks::wished_on,
            volunteer_tasks::start_minute,
            volunteer_tasks::id,
        ))
        .load(conn)?)
}

/// The community's latest completed tasks, newest first.
pub fn completed_of_community(
    conn: &mut DbConn,
    community: i64,
    limit: i64,
) -> Result<Vec<TaskRow>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::community_id.eq(community))
        .filter(volunteer_tasks::state.eq("completed"))
        .order((
            volunteer_tasks::completed_at.desc(),
            volunteer_tasks::id.desc(),
        ))
        .limit(limit)
        .load(conn)?)
}

/// The tasks offered to or accepted by a volunteer, soonest first.
pub fn open_tasks_of_volunteer(conn: &mut DbConn, person: i64) -> Result<Vec<TaskRow>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::volunteer_id.eq(person))
        .filter(volunteer_tasks::state.eq_any(["dispatched", "accepted"]))
        .order((
            volunteer_tasks::wished_on,
            volunteer_tasks::start_minute,
            volunteer_tasks::id,
        ))
        .load(conn)?)
}

/// A volunteer's latest completed tasks, newest first.
pub fn completed_of_volunteer(
    conn: &mut DbConn,
    person: i64,
    limit: i64,
) -> Result<Vec<TaskRow>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::volunteer_id.eq(person))
        .filter(volunteer_tasks::state.eq("completed"))
        .order((
            volunteer_tasks::completed_at.desc(),
            volunteer_tasks::id.desc(),
        ))
        .limit(limit)
        .load(conn)?)
}

/// Offers the task to a volunteer, from `from` (ordered, or dispatched to
/// someone who has not answered); 0 when someone else moved it first.
pub fn dispatch(
    conn: &mut DbConn,
    id: i64,
    from: &str,
    volunteer: i64,
    by: i64,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        volunteer_tasks::table
            .filter(volunteer_tasks::id.eq(id))
            .filter(volunteer_tasks::state.eq(from)),
    )
    .set((
        volunteer_tasks::state.eq("dispatched"),
        volunteer_tasks::volunteer_id.eq(Some(volunteer)),
        volunteer_tasks::dispatched_by.eq(Some(by)),
        volunteer_tasks::dispatched_at.eq(Some(at)),
        volunteer_tasks::accepted_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?)
}

/// The volunteer it is offered to accepts; 0 unless still offered to them.
pub fn accept(
    conn: &mut DbConn,
    id: i64,
    volunteer: i64,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        volunteer_tasks::table
            .filter(volunteer_tasks::id.eq(id))
            .filter(volunteer_tasks::state.eq("dispatched"))
            .filter(volunteer_tasks::volunteer_id.eq(volunteer)),
    )
    .set((
        volunteer_tasks::state.eq("accepted"),
        volunteer_tasks::accepted_at.eq(Some(at)),
    ))
    .execute(conn)?)
}

/// The volunteer gives it back: it waits for someone else again.
pub fn decline(conn: &mut DbConn, id: i64, from: &str, volunteer: i64) -> Result<usize, DbError> {
    Ok(diesel::update(
        volunteer_tasks::table
            .filter(volunteer_tasks::id.eq(id))
            .filter(volunteer_tasks::state.eq(from))
            .filter(volunteer_tasks::volunteer_id.eq(volunteer)),
    )
    .set((
        volunteer_tasks::state.eq("ordered"),
        volunteer_tasks::volunteer_id.eq(None::<i64>),
        volunteer_tasks::dispatched_by.eq(None::<i64>),
        volunteer_tasks::dispatched_at.eq(None::<NaiveDateTime>),
        volunteer_tasks::accepted_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?)
}

/// Done, with the time served and a note; 0 unless accepted by them.
pub fn complete(
    conn: &mut DbConn,
    id: i64,
    volunteer: i64,
    minutes: i64,
    outcome: &str,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        volunteer_tasks::table
            .filter(volunteer_tasks::id.eq(id))
            .filter(volunteer_tasks::state.eq("accepted"))
            .filter(volunteer_tasks::volunteer_id.eq(volunteer)),
    )
    .set((
        volunteer_tasks::state.eq("completed"),
        volunteer_tasks::minutes.eq(Some(minutes)),
        volunteer_tasks::outcome.eq(outcome),
        volunteer_tasks::completed_at.eq(Some(at)),
    ))
    .execute(conn)?)
}

/// Called off from `from`; 0 when someone else moved it first.
pub fn cancel(conn: &mut DbConn, id: i64, from: &str, at: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        volunteer_tasks::table
            .filter(volunteer_tasks::id.eq(id))
            .filter(volunteer_tasks::state.eq(from)),
    )
    .set((
        volunteer_tasks::state.eq("cancelled"),
        volunteer_tasks::cancelled_at.eq(Some(at)),
    ))
    .execute(conn)?)
}

pub fn insert_event(
    conn: &mut DbConn,
    task: i64,
    at: NaiveDateTime,
    person: Option<i64>,
    step: &str,
    comment: &str,
) -> Result<(), DbError> {
    diesel::insert_into(volunteer_task_events::table)
        .values((
            volunteer_task_events::task_id.eq(task),
            volunteer_task_events::at.eq(at),
            volunteer_task_events::person_id.eq(person),
            volunteer_task_events::step.eq(step),
            volunteer_task_events::comment.eq(comment),
        ))
        .execute(conn)?;
    Ok(())
}

/// A step in a task's history: (task, at, by whom, step, comment).
pub type EventRow = (i64, NaiveDateTime, Option<String>, String, String);

/// The history of these tasks, oldest first.
pub fn events_of(conn: &mut DbConn, task_ids: &[i64]) -> Result<Vec<EventRow>, DbError> {
    Ok(volunteer_task_events::table
        .left_join(persons::table.on(volunteer_task_events::person_id.eq(persons::id.nullable())))
        .filter(volunteer_task_events::task_id.eq_any(task_ids))
        .select((
            volunteer_task_events::task_id,
            volunteer_task_events::at,
            persons::name.nullable(),
            volunteer_task_events::step,
            volunteer_task_events::comment,
        ))
        .order(volunteer_task_events::id)
        .load(conn)?)
}

// ----- hours -----

/// The board: per volunteer, the minutes and number of the community's tasks
/// completed since `since`, in one grouped query: (person, minutes, tasks).
pub fn tally(
    conn: &mut DbConn,
    community: i64,
    since: NaiveDateTime,
) -> Result<Vec<(Option<i64>, i64, i64)>, DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::community_id.eq(community))
        .filter(volunteer_tasks::state.eq("completed"))
        .filter(volunteer_tasks::completed_at.ge(since))
        .group_by(volunteer_tasks::volunteer_id)
        .select((
            volunteer_tasks::volunteer_id,
            sum_fen("volunteer_tasks.minutes"),
            count(volunteer_tasks::id),
        ))
        .load(conn)?)
}

/// One volunteer's minutes and tasks completed since `since`, anywhere.
pub fn served_by(
    conn: &mut DbConn,
    person: i64,
    since: NaiveDateTime,
) -> Result<(i64, i64), DbError> {
    Ok(volunteer_tasks::table
        .filter(volunteer_tasks::volunteer_id.eq(person))
        .filter(volunteer_tasks::state.eq("completed"))
        .filter(volunteer_tasks::completed_at.ge(since))
        .select((
            sum_fen("volunteer_tasks.minutes"),
            count(volunteer_tasks::id),
        ))
        .first(conn)?)
}

/// The people on a board as registered with the community: person →
/// (name, organization, party member).
pub fn board_people(
    conn: &mut DbConn,
    community: i64,
    persons_on_board: &[i64],
) -> Result<BTreeMap<i64, (String, String, bool)>, DbError> {
    Ok(volunteers::table
        .inner_join(persons::table.on(persons::id.eq(volunteers::person_id)))
        .filter(volunteers::community_id.eq(community))
        .filter(volunteers::person_id.eq_any(persons_on_board))
        .select((
            volunteers::person_id,
            persons::name,
            volunteers::organization,
            volunteers::party_member,
        ))
        .load::<(i64, String, String, bool)>(conn)?
        .into_iter()
        .map(|(id, name, org, party)| (id, (name, org, party)))
        .collect())
}

//! Decision records (四议两公开): the decisions, the estates each concerns,
//! and their steps, each step a row written once.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    committee_members, committees, communities, decision_estates, decision_steps, decisions,
    estates, party_organizations, streets,
};
use super::{DbConn, DbError};

#[derive(Queryable, Debug, Clone)]
pub struct DecisionRow {
    pub id: i64,
    pub community_id: i64,
    pub party_organization_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub details: String,
    pub state: String,
    pub proposed_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Debug, Clone)]
pub struct StepRow {
    pub id: i64,
    pub decision_id: i64,
    pub step: String,
    pub merged: bool,
    pub held_on: NaiveDate,
    pub expected: Option<i64>,
    pub attended: Option<i64>,
    pub agreed: Option<i64>,
    pub outcome: String,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: String,
    pub recorded_at: NaiveDateTime,
}

/// An estate with where it sits, for scope checks and the form.
#[derive(Queryable, Debug, Clone)]
pub struct EstatePlaceRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub community_id: i64,
    pub community: String,
    pub community_en: String,
    pub street_id: i64,
    pub district_id: i64,
    pub company_id: Option<i64>,
    pub closed_at: Option<NaiveDateTime>,
}

/// Every estate with its place in the grid, closed ones too (a decision
/// about an estate since closed stays readable). A district has a few
/// dozen estates: one query, filtered in memory by the caller's scope.
pub fn estate_places(conn: &mut DbConn) -> Result<Vec<EstatePlaceRow>, DbError> {
    Ok(estates::table
        .inner_join(communities::table.inner_join(streets::table))
        .select((
            estates::id,
            estates::name,
            estates::name_en,
            communities::id,
            communities::name,
            communities::name_en,
            streets::id,
            streets::district_id,
            estates::company_id,
            estates::closed_at,
        ))
        .order((streets::id, communities::id, estates::id))
        .load(conn)?)
}

/// The community's open Party organisation, the second signboard.
pub fn party_organization_of(conn: &mut DbConn, community: i64) -> Result<Option<i64>, DbError> {
    Ok(party_organizations::table
        .filter(party_organizations::community_id.eq(community))
        .filter(party_organizations::closed_at.is_null())
        .select(party_organizations::id)
        .order(party_organizations::id)
        .first(conn)
        .optional()?)
}

/// Whether the person sat, on `on`, on the committee of one of the estates.
pub fn sits_on_committee(
    conn: &mut DbConn,
    person: i64,
    estates: &[i64],
    on: NaiveDate,
) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        committee_members::table
            .inner_join(committees::table)
            .filter(committee_members::person_id.eq(person))
            .filter(committees::estate_id.eq_any(estates))
            .filter(committees::ended_at.is_null())
            .filter(committees::term_starts_on.le(on))
            .filter(committees::term_ends_on.ge(on)),
    ))
    .get_result(conn)?)
}

pub fn decision(conn: &mut DbConn, id: i64) -> Result<DecisionRow, DbError> {
    Ok(decisions::table.find(id).first(conn)?)
}

/// The decisions concerning any of these estates, newest first.
pub fn decisions_for_estates(
    conn: &mut DbConn,
    estate_ids: &[i64],
) -> Result<Vec<DecisionRow>, DbError> {
    let mut ids: Vec<i64> = decision_estates::table
        .filter(decision_estates::estate_id.eq_any(estate_ids))
        .select(decision_estates::decision_id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(decisions::table
        .filter(decisions::id.eq_any(&ids))
        .order(decisions::id.desc())
        .load(conn)?)
}

/// The disclosed decisions concerning one estate, newest first.
pub fn disclosed_for_estate(conn: &mut DbConn, estate: i64) -> Result<Vec<DecisionRow>, DbError> {
    let ids: Vec<i64> = decision_estates::table
        .filter(decision_estates::estate_id.eq(estate))
        .select(decision_estates::decision_id)
        .load(conn)?;
    Ok(decisions::table
        .filter(decisions::id.eq_any(&ids))
        .filter(decisions::state.eq_any(["disclosed", "implemented"]))
        .order(decisions::id.desc())
        .load(conn)?)
}

/// decision → [(estate, name, name_en)].
pub type EstatesOf = BTreeMap<i64, Vec<(i64, String, String)>>;

/// The estates of each decision.
pub fn estates_of(conn: &mut DbConn, decision_ids: &[i64]) -> Result<EstatesOf, DbError> {
    let rows: Vec<(i64, i64, String, String)> = decision_estates::table
        .inner_join(estates::table)
        .filter(decision_estates::decision_id.eq_any(decision_ids))
        .select((
            decision_estates::decision_id,
            estates::id,
            estates::name,
            estates::name_en,
        ))
        .order((decision_estates::decision_id, estates::id))
        .load(conn)?;
    let mut out: BTreeMap<i64, Vec<(i64, String, String)>> = BTreeMap::new();
    for (decision, id, name, name_en) in rows {
        out.entry(decision).or_default().push((id, name, name_en));
    }
    Ok(out)
}

/// The steps of each decision, in the order they were taken.
pub fn steps_of(
    conn: &mut DbConn,
    decision_ids: &[i64],
) -> Result<BTreeMap<i64, Vec<StepRow>>, DbError> {
    let rows: Vec<StepRow> = decision_steps::table
        .filter(decision_steps::decision_id.eq_any(decision_ids))
        .order((decision_steps::decision_id, decision_steps::id))
        .load(conn)?;
    let mut out: BTreeMap<i64, Vec<StepRow>> = BTreeMap::new();
    for row in rows {
        out.entry(row.decision_id).or_default().push(row);
    }
    Ok(out)
}

/// Community names by id.
pub fn community_names(
    conn: &mut DbConn,
    ids: &[i64],
) -> Result<BTreeMap<i64, (String, String)>, DbError> {
    Ok(communities::table
        .filter(communities::id.eq_any(ids))
        .select((communities::id, communities::name, communities::name_en))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, zh, en)| (id, (zh, en)))
        .collect())
}

pub struct NewDecision<'a> {
    pub community_id: i64,
    pub party_organization_id: Option<i64>,
    pub kind: &'a str,
    pub title: &'a str,
    pub details: &'a str,
    pub state: &'a str,
    pub proposed_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A new decision with the estates it concerns.
pub fn insert_decision(
    conn: &mut DbConn,
    d: &NewDecision<'_>,
    estate_ids: &[i64],
) -> Result<i64, DbError> {
    let id: i64 = diesel::insert_into(decisions::table)
        .values((
            decisions::community_id.eq(d.community_id),
            decisions::party_organization_id.eq(d.party_organization_id),
            decisions::kind.eq(d.kind),
            decisions::title.eq(d.title),
            decisions::details.eq(d.details),
            decisions::state.eq(d.state),
            decisions::proposed_by.eq(d.proposed_by),
            decisions::created_at.eq(d.created_at),
        ))
        .returning(decisions::id)
        .get_result(conn)?;
    // A decision concerns a handful of estates: one row at a time is plenty.
    for estate in estate_ids {
        diesel::insert_into(decision_estates::table)
            .values((
                decision_estates::decision_id.eq(id),
                decision_estates::estate_id.eq(*estate),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

pub struct NewStep<'a> {
    pub decision_id: i64,
    pub step: &'a str,
    pub merged: bool,
    pub held_on: NaiveDate,
    /// (expected, attended, agreed)
    pub attendance: Option<(i64, i64, i64)>,
    pub outcome: &'a str,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: &'a str,
    pub recorded_at: NaiveDateTime,
}

pub fn insert_step(conn: &mut DbConn, s: &NewStep<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(decision_steps::table)
        .values((
            decision_steps::decision_id.eq(s.decision_id),
            decision_steps::step.eq(s.step),
            decision_steps::merged.eq(s.merged),
            decision_steps::held_on.eq(s.held_on),
            decision_steps::expected.eq(s.attendance.map(|a| a.0)),
            decision_steps::attended.eq(s.attendance.map(|a| a.1)),
            decision_steps::agreed.eq(s.attendance.map(|a| a.2)),
            decision_steps::outcome.eq(s.outcome),
            decision_steps::recorded_by.eq(s.recorded_by),
            decision_steps::recorded_by_name.eq(s.recorded_by_name),
            decision_steps::recorded_at.eq(s.recorded_at),
        ))
        .returning(decision_steps::id)
        .get_result(conn)?)
}

/// Moves a decision on from `from`; 0 rows when someone else moved it first.
pub fn set_state(conn: &mut DbConn, id: i64, from: &str, to: &str) -> Result<usize, DbError> {
    Ok(
        diesel::update(
            decisions::table.filter(decisions::id.eq(id).and(decisions::state.eq(from))),
        )
        .set(decisions::state.eq(to))
        .execute(conn)?,
    )
}

/// A decision with this title in the community, for the idempotent seed.
pub fn decision_titled(
    conn: &mut DbConn,
    community: i64,
    title: &str,
) -> Result<Option<i64>, DbError> {
    Ok(decisions::table
        .filter(decisions::community_id.eq(community))
        .filter(decisions::title.eq(title))
        .select(decisions::id)
        .first(conn)
        .optional()?)
}

//! Decision records (四议两公开): the decisions a caller may see, proposing
//! one for estates in the Party officer's scope, recording each further
//! step after the pure checks of `domain::decisions` (order, dates,
//! attendance, quorum), and the disclosed decisions an estate's residents
//! see on its notice board. Every write is audited in its transaction.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use crate::db::decisions::{self as db, DecisionRow, EstatePlaceRow, StepRow};
use crate::db::{DbConn, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{Action, Caller, EstateId, Place, authorize};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::decisions::{
    Attendance, DecisionError, DecisionId, DecisionKind, DecisionNotices, DecisionState,
    DecisionStep, DecisionSummary, DecisionView, DecisionsOverview, EstateChoice, StepFacts,
    StepRecord, StepRequest, check_step, may_merge, notice_of,
};
use crate::domain::org::{CommunityId, CompanyId, PartyOrganizationId};
use crate::domain::roster::Post;
use crate::domain::time::china_date;
use crate::error::AppError;
use crate::i18n::Key;

/// Longest title.
const MAX_TITLE: usize = 100;
/// Longest details or outcome.
const MAX_TEXT: usize = 2000;
/// Largest head count a meeting may have.
const MAX_COUNT: i64 = 100_000;

/// What the form for one step sends; attendance as typed.
#[derive(Clone, Debug, Default)]
pub struct StepForm {
    pub held_on: String,
    pub expected: String,
    pub attended: String,
    pub agreed: String,
    pub outcome: String,
    /// Proposing and deliberating as one record (the proposal only).
    pub merged: bool,
}

/// What the proposal form sends.
#[derive(Clone, Debug, Default)]
pub struct ProposeForm {
    pub kind: String,
    pub title: String,
    pub details: String,
    pub estates: Vec<i64>,
    pub step: StepForm,
}

fn text(field: &str, input: &str, max: usize, too_long: Key) -> Result<String, AppError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(AppError::invalid(field, Key::DecisionErrorTextRequired));
    }
    if t.chars().count() > max {
        return Err(AppError::invalid(field, too_long));
    }
    Ok(t.to_owned())
}

/// A date as typed; whether it may be used is the domain's to say.
fn date(input: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| d.year() >= 2000)
        .ok_or_else(|| AppError::invalid("held_on", Key::DecisionErrorDate))
}

fn count(field: &str, input: &str) -> Result<Option<i64>, AppError> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=MAX_COUNT).contains(n))
        .map(Some)
        .ok_or_else(|| AppError::invalid(field, Key::DecisionErrorCount))
}

/// The three counts, all or none.
fn attendance(form: &StepForm) -> Result<Option<Attendance>, AppError> {
    let incomplete =
        |field: &'static str| AppError::invalid(field, Key::DecisionErrorAttendanceIncomplete);
    match (
        count("expected", &form.expected)?,
        count("attended", &form.attended)?,
        count("agreed", &form.agreed)?,
    ) {
        (None, None, None) => Ok(None),
        (Some(expected), Some(attended), Some(agreed)) => Ok(Some(Attendance {
            expected,
            attended,
            agreed,
        })),
        (None, ..) => Err(incomplete("expected")),
        (_, None, _) => Err(incomplete("attended")),
        _ => Err(incomplete("agreed")),
    }
}

/// The date, attendance (none for a disclosure) and outcome of a step.
fn step_input(
    form: &StepForm,
    step: DecisionStep,
) -> Result<(NaiveDate, Option<Attendance>, String), AppError> {
    let held_on = date(&form.held_on)?;
    let attendance = if step.is_disclosure() {
        None
    } else {
        attendance(form)?
    };
    let outcome = text(
        "outcome",
        &form.outcome,
        MAX_TEXT,
        Key::DecisionErrorTextLong,
    )?;
    Ok((held_on, attendance, outcome))
}

/// A refusal of the domain's, as the person is told it; the form field it
/// concerns where there is one.
fn refused(e: DecisionError) -> AppError {
    use DecisionError::*;
    match e {
        Closed => AppError::Conflict(Key::DecisionErrorClosed),
        OutOfOrder { .. } => AppError::Conflict(Key::DecisionErrorOutOfOrder),
        MergeOnlyFirst => AppError::invalid("merged", Key::DecisionErrorMergeOnlyFirst),
        MergeNeedsBothPosts => AppError::invalid("merged", Key::DecisionErrorMergeNeedsBothPosts),
        FutureDate => AppError::invalid("held_on", Key::DecisionErrorFutureDate),
        BeforePrevious { .. } => AppError::invalid("held_on", Key::DecisionErrorBeforePrevious),
        AttendanceRequired => AppError::invalid("expected", Key::DecisionErrorAttendanceRequired),
        NobodyExpected => AppError::invalid("expected", Key::DecisionErrorNobodyExpected),
        MoreAttendedThanExpected => AppError::invalid("attended", Key::DecisionErrorMoreAttended),
        MoreAgreedThanAttended => AppError::invalid("agreed", Key::DecisionErrorMoreAgreed),
        // The page words the numbers from the counts it sent.
        QuorumShort { .. } => AppError::invalid("attended", Key::DecisionErrorQuorum),
    }
}

fn place(e: &EstatePlaceRow) -> Place {
    Place::of_estate(
        e.district_id,
        e.street_id,
        e.community_id,
        e.company_id,
        e.id,
    )
}

fn allowed(caller: &Caller, action: Action, e: &EstatePlaceRow) -> bool {
    authorize(Some(caller), action, &place(e)).is_ok()
}

fn codes(r: &DecisionRow) -> Result<(DecisionKind, DecisionState), AppError> {
    let corrupt = || {
        tracing::error!(decision = r.id, "decision row has an unknown kind or state");
        AppError::Internal
    };
    Ok((
        DecisionKind::from_code(&r.kind).ok_or_else(corrupt)?,
        DecisionState::from_code(&r.state).ok_or_else(corrupt)?,
    ))
}

fn records(rows: Vec<StepRow>) -> Vec<StepRecord> {
    rows.into_iter()
        .filter_map(|s| {
            Some(StepRecord {
                step: DecisionStep::from_code(&s.step)?,
                merged: s.merged,
                held_on: s.held_on,
                attendance: match (s.expected, s.attended, s.agreed) {
                    (Some(expected), Some(attended), Some(agreed)) => Some(Attendance {
                        expected,
                        attended,
                        agreed,
                    }),
                    _ => None,
                },
                outcome: s.outcome,
                recorded_by: s.recorded_by_name,
                recorded_at: s.recorded_at,
            })
        })
        .collect()
}

fn name_of(names: &BTreeMap<i64, (String, String)>, id: i64) -> LocalizedName {
    names
        .get(&id)
        .map(|(zh, en)| LocalizedName::new(zh.clone(), en.clone()))
        .unwrap_or_default()
}

/// The estates a decision concerns, with their places.
fn affected(conn: &mut DbConn, decision: i64) -> Result<Vec<EstatePlaceRow>, AppError> {
    let ids: Vec<i64> = db::estates_of(conn, &[decision])?
        .remove(&decision)
        .unwrap_or_default()
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    Ok(db::estate_places(conn)?
        .into_iter()
        .filter(|e| ids.contains(&e.id))
        .collect())
}

/// A Party officer whose scope holds the decision's community records it.
fn may_record(conn: &mut DbConn, caller: &Caller, row: &DecisionRow) -> Result<bool, AppError> {
    let place = place_of(
        conn,
        Target::Community(CommunityId(row.community_id)),
        Some(caller),
    )?;
    Ok(authorize(Some(caller), Action::RecordDecisions, &place).is_ok())
}

/// One team, two signboards: the person recording held, on the day of the
/// meeting, a post on the community's Party organisation and one in a
/// company serving the estates (or sat on one of their committees).
fn holds_both_posts(
    conn: &mut DbConn,
    caller: &Caller,
    party: Option<i64>,
    estates: &[EstatePlaceRow],
    on: NaiveDate,
) -> Result<bool, AppError> {
    let posts: Vec<Post> = crate::db::roster::posts_of_person(conn, caller.person.0)?
        .into_iter()
        .filter_map(super::roster::post_of_row)
        .map(|(_, _, post)| post)
        .collect();
    let companies: Vec<CompanyId> = estates
        .iter()
        .filter_map(|e| e.company_id)
        .map(CompanyId)
        .collect();
    let ids: Vec<i64> = estates.iter().map(|e| e.id).collect();
    let seated = db::sits_on_committee(conn, caller.person.0, &ids, on)?;
    Ok(may_merge(
        &posts,
        party.map(PartyOrganizationId),
        &companies,
        seated,
        on,
    ))
}

fn audit_decision(
    conn: &mut DbConn,
    caller: &Caller,
    decision: i64,
    community: i64,
    action: AuditAction,
    after: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let place = place_of(
        conn,
        Target::Community(CommunityId(community)),
        Some(caller),
    )?;
    audit::record(
        conn,
        Change {
            by: Some(caller.person),
            entity: AuditEntity::Decision,
            entity_id: decision,
            action,
            before: None,
            after: Some(after),
            place: &place,
        },
        now,
    )
}

// ----- reading -----

fn summaries(conn: &mut DbConn, rows: &[DecisionRow]) -> Result<Vec<DecisionSummary>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut estates = db::estates_of(conn, &ids)?;
    let mut steps = db::steps_of(conn, &ids)?;
    let communities: Vec<i64> = rows.iter().map(|r| r.community_id).collect();
    let names = db::community_names(conn, &communities)?;
    rows.iter()
        .map(|r| {
            let (kind, state) = codes(r)?;
            let last_step = steps
                .remove(&r.id)
                .unwrap_or_default()
                .last()
                .and_then(|s| Some((DecisionStep::from_code(&s.step)?, s.held_on)));
            Ok(DecisionSummary {
                id: DecisionId(r.id),
                kind,
                title: r.title.clone(),
                state,
                community: name_of(&names, r.community_id),
                estates: estates
                    .remove(&r.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, zh, en)| LocalizedName::new(zh, en))
                    .collect(),
                last_step,
            })
        })
        .collect()
}

/// The decisions concerning estates the caller may see decisions of, and,
/// for a Party officer, the open estates a new one may concern.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    now: NaiveDateTime,
) -> Result<DecisionsOverview, AppError> {
    let places = db::estate_places(conn)?;
    let visible: Vec<i64> = places
        .iter()
        .filter(|e| allowed(caller, Action::ViewDecisions, e))
        .map(|e| e.id)
        .collect();
    let rows = db::decisions_for_estates(conn, &visible)?;
    let items = summaries(conn, &rows)?;
    let estates: Vec<EstateChoice> = places
        .iter()
        .filter(|e| e.closed_at.is_none() && allowed(caller, Action::RecordDecisions, e))
        .map(|e| EstateChoice {
            id: EstateId(e.id),
            name: LocalizedName::new(e.name.clone(), e.name_en.clone()),
            community: LocalizedName::new(e.community.clone(), e.community_en.clone()),
        })
        .collect();
    Ok(DecisionsOverview {
        items,
        can_record: !estates.is_empty(),
        estates,
        today: china_date(now),
    })
}

/// One decision, for anyone who may see decisions of one of its estates:
/// Party oversight and administrators, the estates' managers and
/// committees (read only).
pub fn view(
    conn: &mut DbConn,
    caller: &Caller,
    id: DecisionId,
    now: NaiveDateTime,
) -> Result<DecisionView, AppError> {
    let row = db::decision(conn, id.0).map_err(super::access::unknown_as_forbidden)?;
    let estates = affected(conn, row.id)?;
    if !estates
        .iter()
        .any(|e| allowed(caller, Action::ViewDecisions, e))
    {
        return Err(AppError::Forbidden);
    }
    let (kind, state) = codes(&row)?;
    let names = db::community_names(conn, &[row.community_id])?;
    let steps = records(
        db::steps_of(conn, &[row.id])?
            .remove(&row.id)
            .unwrap_or_default(),
    );
    Ok(DecisionView {
        id,
        kind,
        title: row.title.clone(),
        details: row.details.clone(),
        state,
        community: name_of(&names, row.community_id),
        estates: estates
            .iter()
            .map(|e| {
                (
                    EstateId(e.id),
                    LocalizedName::new(e.name.clone(), e.name_en.clone()),
                )
            })
            .collect(),
        steps,
        can_record: may_record(conn, caller, &row)?,
        today: china_date(now),
    })
}

/// The community a decision belongs to, to authorize on.
pub fn decision_community(conn: &mut DbConn, id: DecisionId) -> Result<CommunityId, AppError> {
    Ok(CommunityId(db::decision(conn, id.0)?.community_id))
}

/// The decisions disclosed to an estate's residents, newest first.
pub fn notices(conn: &mut DbConn, estate: EstateId) -> Result<DecisionNotices, AppError> {
    let rows = db::disclosed_for_estate(conn, estate.0)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut steps = db::steps_of(conn, &ids)?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let (kind, _) = codes(r)?;
        let recorded = records(steps.remove(&r.id).unwrap_or_default());
        if let Some(notice) = notice_of(DecisionId(r.id), kind, &r.title, &recorded) {
            items.push(notice);
        }
    }
    Ok(DecisionNotices { estate, items })
}

// ----- writing -----

/// The Party organisation proposes a matter for estates of one community in
/// the officer's scope: the decision and its first step (with the second,
/// where one person holds both posts) in one transaction.
pub fn propose(
    conn: &mut DbConn,
    caller: &Caller,
    form: &ProposeForm,
    now: NaiveDateTime,
) -> Result<DecisionId, AppError> {
    let mut wanted = form.estates.clone();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Err(AppError::invalid("estates", Key::DecisionErrorNoEstates));
    }
    let estates: Vec<EstatePlaceRow> = db::estate_places(conn)?
        .into_iter()
        .filter(|e| wanted.contains(&e.id))
        .collect();
    // Who may propose is settled before what was typed: every estate must
    // exist and lie in the officer's scope (an unknown id is refused as one
    // outside it).
    if estates.len() != wanted.len()
        || !estates
            .iter()
            .all(|e| allowed(caller, Action::RecordDecisions, e))
    {
        return Err(AppError::Forbidden);
    }
    if estates.iter().any(|e| e.closed_at.is_some()) {
        return Err(AppError::invalid("estates", Key::DecisionErrorEstates));
    }
    let community = estates.first().map_or(0, |e| e.community_id);
    if estates.iter().any(|e| e.community_id != community) {
        return Err(AppError::invalid("estates", Key::DecisionErrorOneCommunity));
    }
    let kind = DecisionKind::from_code(form.kind.trim())
        .ok_or_else(|| AppError::invalid("kind", Key::DecisionErrorKind))?;
    let title = text("title", &form.title, MAX_TITLE, Key::DecisionErrorTitleLong)?;
    let details = text(
        "details",
        &form.details,
        MAX_TEXT,
        Key::DecisionErrorTextLong,
    )?;
    let (held_on, attendance, outcome) = step_input(&form.step, DecisionStep::Propose)?;
    let today = china_date(now);
    let party = db::party_organization_of(conn, community)?;
    let both = form.step.merged && holds_both_posts(conn, caller, party, &estates, held_on)?;
    let state = check_step(
        &StepFacts {
            state: None,
            last_held_on: None,
            today,
            holds_both_posts: both,
        },
        &StepRequest {
            step: DecisionStep::Propose,
            merged: form.step.merged,
            held_on,
            attendance,
        },
    )
    .map_err(refused)?;
    write_tx(conn, |conn| {
        let id = db::insert_decision(
            conn,
            &db::NewDecision {
                community_id: community,
                party_organization_id: party,
                kind: kind.code(),
                title: &title,
                details: &details,
                state: state.code(),
                proposed_by: Some(caller.person.0),
                created_at: now,
            },
            &wanted,
        )?;
        db::insert_step(
            conn,
            &db::NewStep {
                decision_id: id,
                step: DecisionStep::Propose.code(),
                merged: form.step.merged,
                held_on,
                attendance: attendance.map(|a| (a.expected, a.attended, a.agreed)),
                outcome: &outcome,
                recorded_by: Some(caller.person.0),
                recorded_by_name: &caller.name,
                recorded_at: now,
            },
        )?;
        audit_decision(
            conn,
            caller,
            id,
            community,
            AuditAction::Create,
            json!({
                "kind": kind.code(), "title": title, "details": details, "estates": wanted,
                "step": DecisionStep::Propose.code(), "merged": form.step.merged,
                "held_on": held_on, "attendance": attendance, "outcome": outcome,
                "state": state.code(),
            }),
            now,
        )?;
        Ok(DecisionId(id))
    })
}

/// Records the next step. A meeting short of its quorum, a step out of
/// order or a bad date changes nothing; a valid meeting that votes the
/// matter down is recorded and closes it as rejected.
pub fn record_step(
    conn: &mut DbConn,
    caller: &Caller,
    id: DecisionId,
    step: &str,
    form: &StepForm,
    now: NaiveDateTime,
) -> Result<DecisionState, AppError> {
    let step = DecisionStep::from_code(step.trim())
        .ok_or(AppError::Conflict(Key::DecisionErrorOutOfOrder))?;
    write_tx(conn, |conn| {
        let row = db::decision(conn, id.0)?;
        // Who may record is settled before what was typed.
        if !may_record(conn, caller, &row)? {
            return Err(AppError::Forbidden);
        }
        let (held_on, attendance, outcome) = step_input(form, step)?;
        let (_, current) = codes(&row)?;
        let last_held_on = db::steps_of(conn, &[row.id])?
            .remove(&row.id)
            .unwrap_or_default()
            .iter()
            .map(|s| s.held_on)
            .max();
        let today = china_date(now);
        let both = if form.merged {
            let estates = affected(conn, row.id)?;
            holds_both_posts(conn, caller, row.party_organization_id, &estates, held_on)?
        } else {
            false
        };
        let to = check_step(
            &StepFacts {
                state: Some(current),
                last_held_on,
                today,
                holds_both_posts: both,
            },
            &StepRequest {
                step,
                merged: form.merged,
                held_on,
                attendance,
            },
        )
        .map_err(refused)?;
        // The state moves first: a second recorder of the same step finds
        // it moved (PostgreSQL waits on the row) and is told so.
        if db::set_state(conn, row.id, current.code(), to.code())? != 1 {
            return Err(AppError::Conflict(Key::DecisionErrorOutOfOrder));
        }
        db::insert_step(
            conn,
            &db::NewStep {
                decision_id: row.id,
                step: step.code(),
                merged: form.merged,
                held_on,
                attendance: attendance.map(|a| (a.expected, a.attended, a.agreed)),
                outcome: &outcome,
                recorded_by: Some(caller.person.0),
                recorded_by_name: &caller.name,
                recorded_at: now,
            },
        )
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::Conflict(Key::DecisionErrorOutOfOrder)
            } else {
                AppError::from(e)
            }
        })?;
        let action = if to == DecisionState::Rejected {
            AuditAction::Reject
        } else {
            AuditAction::Update
        };
        audit_decision(
            conn,
            caller,
            row.id,
            row.community_id,
            action,
            json!({
                "step": step.code(), "held_on": held_on, "attendance": attendance,
                "outcome": outcome, "state": to.code(),
            }),
            now,
        )?;
        Ok(to)
    })
}

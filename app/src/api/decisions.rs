//! Decision records (四议两公开): the list in the caller's scope, one
//! decision, proposing and recording steps (community or street Party
//! oversight), and the disclosed decisions on an estate's notice board.

// Server functions take their form fields one by one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, EstateId};
#[cfg(feature = "ssr")]
use crate::domain::decisions::DecisionId;
use crate::domain::decisions::{DecisionNotices, DecisionView, DecisionsOverview};
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::decisions as service;

/// The decisions concerning estates in the caller's scope, and for a Party
/// officer the estates a new one may concern.
#[server(endpoint = "decisions/list")]
pub async fn list_decisions() -> Result<DecisionsOverview, AppError> {
    crate::api::authorized(Action::ViewDecisions, Target::OwnScope, move |a| {
        service::list(a.conn, a.caller()?, a.now)
    })
    .await
}

/// One decision; the service checks it concerns an estate the caller may
/// see decisions of.
#[server(endpoint = "decisions/get")]
pub async fn get_decision(id: i64) -> Result<DecisionView, AppError> {
    crate::api::authorized(Action::ViewDecisions, Target::OwnScope, move |a| {
        service::view(a.conn, a.caller()?, DecisionId(id), a.now)
    })
    .await
}

/// `estates`: the estate ids, comma-separated; `merged` is "on" when
/// proposing and deliberating are one record. Returns the new decision's id.
#[server(endpoint = "decisions/propose")]
pub async fn propose_decision(
    kind: String,
    title: String,
    details: String,
    estates: String,
    held_on: String,
    #[server(default)] expected: String,
    #[server(default)] attended: String,
    #[server(default)] agreed: String,
    outcome: String,
    #[server(default)] merged: Option<String>,
) -> Result<i64, AppError> {
    // Each estate named is checked against the officer's scope by the service.
    crate::api::authorized(Action::RecordDecisions, Target::OwnScope, move |a| {
        let estates = estates
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<i64>())
            .collect::<Result<Vec<i64>, _>>()
            .map_err(|_| AppError::invalid("estates", crate::i18n::Key::DecisionErrorEstates))?;
        service::propose(
            a.conn,
            a.caller()?,
            &service::ProposeForm {
                kind,
                title,
                details,
                estates,
                step: service::StepForm {
                    held_on,
                    expected,
                    attended,
                    agreed,
                    outcome,
                    merged: merged.is_some_and(|m| !m.is_empty()),
                },
            },
            a.now,
        )
        .map(|id| id.0)
    })
    .await
}

/// Records the step named (the next one); a meeting short of its quorum is
/// refused and nothing changes.
#[server(endpoint = "decisions/record_step")]
pub async fn record_decision_step(
    decision: i64,
    step: String,
    held_on: String,
    #[server(default)] expected: String,
    #[server(default)] attended: String,
    #[server(default)] agreed: String,
    outcome: String,
) -> Result<(), AppError> {
    crate::api::authorized_with(
        Action::RecordDecisions,
        move |conn| {
            Ok(Target::Community(service::decision_community(
                conn,
                DecisionId(decision),
            )?))
        },
        move |a| {
            service::record_step(
                a.conn,
                a.caller()?,
                DecisionId(decision),
                &step,
                &service::StepForm {
                    held_on,
                    expected,
                    attended,
                    agreed,
                    outcome,
                    merged: false,
                },
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

/// The decisions disclosed to an estate: its residents see them on the
/// notice board, as do those who oversee the estate.
#[server(endpoint = "decisions/notices")]
pub async fn get_decision_notices(estate: i64) -> Result<DecisionNotices, AppError> {
    crate::api::authorized(
        Action::ViewDisclosures,
        Target::EstateNotice(EstateId(estate)),
        move |a| service::notices(a.conn, EstateId(estate)),
    )
    .await
}

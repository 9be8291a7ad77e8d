//! Monthly accounts: the estate's accounts page, expenses and common-area
//! income, the month's statement with its review, and the notice board.

// Server functions take their form fields one by one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, EstateId};
use crate::domain::statements::{AccountsOverview, Disclosures, StatementPage};
#[cfg(feature = "ssr")]
use crate::domain::statements::{ExpenseId, ReviewStep, StatementId};
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::statements as service;

/// `month` "2026-10", or empty for last month.
#[server(endpoint = "statements/get_accounts")]
pub async fn get_accounts(estate: i64, month: String) -> Result<AccountsOverview, AppError> {
    crate::api::authorized(
        Action::ViewAccounts,
        Target::Estate(EstateId(estate)),
        move |a| service::accounts(a.conn, a.caller()?, EstateId(estate), &month, a.now),
    )
    .await
}

/// `estates`: the estate ids to spread over, comma-separated (ignored for
/// a single-estate expense).
#[server(endpoint = "statements/record_expense")]
pub async fn record_expense(
    estate: i64,
    spent_on: String,
    category: String,
    description: String,
    amount: String,
    rule: String,
    estates: String,
    photo: String,
) -> Result<(), AppError> {
    crate::api::authorized(
        Action::RecordExpenses,
        Target::Estate(EstateId(estate)),
        move |a| {
            let estates = estates
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().parse::<i64>())
                .collect::<Result<Vec<i64>, _>>()
                .map_err(|_| {
                    AppError::invalid("estates", crate::i18n::Key::AccountsErrorEstates)
                })?;
            service::record_expense(
                a.conn,
                a.caller()?,
                EstateId(estate),
                &service::ExpenseForm {
                    spent_on,
                    category,
                    description,
                    amount,
                    rule,
                    estates,
                    photo,
                },
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

/// The receipt photo of an expense charged to the estate, as a `data:` URL.
#[server(endpoint = "statements/get_expense_photo")]
pub async fn get_expense_photo(estate: i64, expense: i64) -> Result<String, AppError> {
    crate::api::authorized(
        Action::ViewAccounts,
        Target::Estate(EstateId(estate)),
        move |a| service::expense_photo(a.conn, EstateId(estate), ExpenseId(expense)),
    )
    .await
}

#[server(endpoint = "statements/record_common_income")]
pub async fn record_common_income(
    estate: i64,
    received_on: String,
    source: String,
    amount: String,
) -> Result<(), AppError> {
    crate::api::authorized(
        Action::RecordExpenses,
        Target::Estate(EstateId(estate)),
        move |a| {
            service::record_common_income(
                a.conn,
                a.caller()?,
                EstateId(estate),
                &received_on,
                &source,
                &amount,
                a.now,
            )
        },
    )
    .await
}

/// The month's statement: every version for those who run or review the
/// accounts, the disclosed ones for the estate's residents.
#[server(endpoint = "statements/get_statement")]
pub async fn get_statement(estate: i64, month: String) -> Result<StatementPage, AppError> {
    crate::api::authorized(
        Action::ViewDisclosures,
        Target::EstateNotice(EstateId(estate)),
        move |a| service::page(a.conn, a.caller()?, EstateId(estate), &month, a.now),
    )
    .await
}

/// Submits the month (first version), or with a reason corrects a signed
/// statement as its next version.
#[server(endpoint = "statements/submit_statement")]
pub async fn submit_statement(estate: i64, month: String, reason: String) -> Result<(), AppError> {
    crate::api::authorized(
        Action::SubmitStatements,
        Target::Estate(EstateId(estate)),
        move |a| {
            let reason = (!reason.trim().is_empty()).then_some(reason.as_str());
            service::submit(
                a.conn,
                &a.state.site_url,
                a.caller()?,
                EstateId(estate),
                &month,
                reason,
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

#[cfg(feature = "ssr")]
async fn step(
    action: Action,
    statement: i64,
    step: ReviewStep,
    body: String,
) -> Result<(), AppError> {
    crate::api::authorized_with(
        action,
        move |conn| {
            Ok(Target::Estate(service::statement_estate(
                conn,
                StatementId(statement),
            )?))
        },
        move |a| {
            service::review_step(
                a.conn,
                &a.state.site_url,
                a.caller()?,
                StatementId(statement),
                step,
                &body,
                a.now,
            )
        },
    )
    .await
}

#[server(endpoint = "statements/answer_query")]
pub async fn answer_query(statement: i64, body: String) -> Result<(), AppError> {
    step(
        Action::SubmitStatements,
        statement,
        ReviewStep::Answer,
        body,
    )
    .await
}

#[server(endpoint = "statements/raise_query")]
pub async fn raise_query(statement: i64, body: String) -> Result<(), AppError> {
    step(Action::ReviewStatements, statement, ReviewStep::Query, body).await
}

#[server(endpoint = "statements/sign_statement")]
pub async fn sign_statement(statement: i64) -> Result<(), AppError> {
    let sign = ReviewStep::Sign {
        second_signer_needed: false,
    };
    step(Action::ReviewStatements, statement, sign, String::new()).await
}

#[server(endpoint = "statements/second_sign_statement")]
pub async fn second_sign_statement(statement: i64) -> Result<(), AppError> {
    step(
        Action::ReviewStatements,
        statement,
        ReviewStep::SecondSign,
        String::new(),
    )
    .await
}

#[server(endpoint = "statements/get_disclosures")]
pub async fn get_disclosures(estate: i64) -> Result<Disclosures, AppError> {
    crate::api::authorized(
        Action::ViewDisclosures,
        Target::EstateNotice(EstateId(estate)),
        move |a| service::disclosures(a.conn, EstateId(estate)),
    )
    .await
}

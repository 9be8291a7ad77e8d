//! Billing: the month's run, a household's bills and payments, receipts,
//! reversals, corrections, the trial balance, arrears and exports.

// Server functions take their form fields one by one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, EstateId, HouseholdId};
#[cfg(feature = "ssr")]
use crate::domain::billing::PaymentId;
use crate::domain::billing::{
    ArrearsList, ArrearsStage, BillingOverview, HouseholdAccount, Receipt, Recorded, RunPreview,
    RunStatus, TrialBalance,
};
#[cfg(feature = "ssr")]
use crate::domain::org::CompanyId;
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::billing as service;

#[server(endpoint = "billing/get_billing")]
pub async fn get_billing(company: i64) -> Result<BillingOverview, AppError> {
    crate::api::authorized(
        Action::ViewBilling,
        Target::Company(CompanyId(company)),
        move |a| service::overview(a.conn, a.caller()?, CompanyId(company), a.now),
    )
    .await
}

/// What issuing `month` ("2026-11") would do, per estate.
#[server(endpoint = "billing/preview_bills")]
pub async fn preview_bills(company: i64, month: String) -> Result<RunPreview, AppError> {
    crate::api::authorized(
        Action::RunBilling,
        Target::Company(CompanyId(company)),
        move |a| service::preview(a.conn, CompanyId(company), &month, a.now),
    )
    .await
}

/// Starts issuing the month's bills in the background; the page polls
/// `get_bill_run` for progress.
#[server(endpoint = "billing/start_bill_run")]
pub async fn start_bill_run(company: i64, month: String) -> Result<(), AppError> {
    crate::api::authorized(
        Action::RunBilling,
        Target::Company(CompanyId(company)),
        move |a| {
            let now = a.now;
            let by = a.caller()?.person;
            let plan =
                service::begin_run(a.conn, CompanyId(company), &month, Some(by), now, false)?;
            let state = a.state.clone();
            std::thread::spawn(move || {
                if let Err(e) = service::issue_run(&state, plan, now, &mut |_, _| {}) {
                    tracing::error!(error = %e, company, "bill run failed");
                }
            });
            Ok(())
        },
    )
    .await
}

#[server(endpoint = "billing/get_bill_run")]
pub async fn get_bill_run(company: i64, month: String) -> Result<Option<RunStatus>, AppError> {
    crate::api::authorized(
        Action::ViewBilling,
        Target::Company(CompanyId(company)),
        move |a| service::run_of(a.conn, CompanyId(company), &month),
    )
    .await
}

#[server(endpoint = "billing/get_household_account")]
pub async fn get_household_account(household: i64) -> Result<HouseholdAccount, AppError> {
    crate::api::authorized(
        Action::ViewHouseholdBills,
        Target::Household(HouseholdId(household)),
        move |a| service::household_account(a.conn, a.caller()?, HouseholdId(household), a.now),
    )
    .await
}

/// `bill` 0 settles the oldest bills first.
#[server(endpoint = "billing/record_payment")]
pub async fn record_payment(
    household: i64,
    amount: String,
    method: String,
    reference: String,
    bill: i64,
    form_token: String,
) -> Result<Recorded, AppError> {
    crate::api::authorized(
        Action::RecordPayments,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::record_payment(
                a.conn,
                a.state,
                a.caller()?,
                HouseholdId(household),
                &service::PaymentForm {
                    amount,
                    method,
                    reference,
                    bill,
                    form_token,
                },
                a.now,
            )
        },
    )
    .await
}

#[server(endpoint = "billing/reverse_payment")]
pub async fn reverse_payment(payment: i64, reason: String) -> Result<Recorded, AppError> {
    crate::api::authorized_with(
        Action::ReversePayments,
        move |conn| {
            Ok(Target::Company(service::payment_company(
                conn,
                PaymentId(payment),
            )?))
        },
        move |a| service::reverse_payment(a.conn, a.caller()?, PaymentId(payment), &reason, a.now),
    )
    .await
}

#[server(endpoint = "billing/add_adjustment")]
pub async fn add_adjustment(
    household: i64,
    amount: String,
    reason: String,
) -> Result<(), AppError> {
    crate::api::authorized(
        Action::AdjustBills,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::add_adjustment(
                a.conn,
                a.caller()?,
                HouseholdId(household),
                &amount,
                &reason,
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

#[server(endpoint = "billing/get_receipt")]
pub async fn get_receipt(payment: i64) -> Result<Receipt, AppError> {
    crate::api::authorized_with(
        Action::ViewHouseholdBills,
        move |conn| {
            Ok(Target::Household(service::payment_household(
                conn,
                PaymentId(payment),
            )?))
        },
        move |a| service::receipt(a.conn, PaymentId(payment)),
    )
    .await
}

#[server(endpoint = "billing/get_trial_balance")]
pub async fn get_trial_balance(company: i64) -> Result<TrialBalance, AppError> {
    crate::api::authorized(
        Action::ViewBilling,
        Target::Company(CompanyId(company)),
        move |a| service::trial_balance(a.conn, CompanyId(company)),
    )
    .await
}

/// `estate` 0 for all the company's estates.
#[server(endpoint = "billing/get_arrears")]
pub async fn get_arrears(company: i64, estate: i64) -> Result<ArrearsList, AppError> {
    crate::api::authorized(
        Action::ViewBilling,
        Target::Company(CompanyId(company)),
        move |a| {
            service::arrears(
                a.conn,
                a.caller()?,
                CompanyId(company),
                (estate > 0).then_some(EstateId(estate)),
                a.now,
            )
        },
    )
    .await
}

/// Takes the household's next step on the arrears ladder.
#[server(endpoint = "billing/escalate_arrears")]
pub async fn escalate_arrears(household: i64, note: String) -> Result<ArrearsStage, AppError> {
    crate::api::authorized(
        Action::EscalateArrears,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::escalate(
                a.conn,
                a.state,
                a.caller()?,
                HouseholdId(household),
                &note,
                a.now,
            )
        },
    )
    .await
}

/// A CSV export: `what` is "bills" (of `month`), "payments" or "arrears".
#[server(endpoint = "billing/export_csv")]
pub async fn export_csv(company: i64, what: String, month: String) -> Result<String, AppError> {
    crate::api::authorized(
        Action::ViewBilling,
        Target::Company(CompanyId(company)),
        move |a| {
            let company = CompanyId(company);
            match what.as_str() {
                "bills" => service::bills_csv(a.conn, company, &month),
                "payments" => service::payments_csv(a.conn, company),
                "arrears" => service::arrears_csv(a.conn, a.caller()?, company, a.now),
                _ => Err(AppError::NotFound),
            }
        },
    )
    .await
}

//! Service contracts: drafting, revising, the life cycle, renewal.

// Server functions take their form fields one by one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, EstateId};
use crate::domain::contracts::ContractView;
#[cfg(feature = "ssr")]
use crate::domain::contracts::{ContractId, ContractLineId};
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::contracts as service;

/// The estate's target of a contract, for authorizing.
#[cfg(feature = "ssr")]
fn estate_of(id: i64) -> impl FnOnce(&mut crate::db::DbConn) -> Result<Target, AppError> {
    move |conn| {
        Ok(Target::Estate(service::estate_of_contract(
            conn,
            ContractId(id),
        )?))
    }
}

/// Everyone who sees the estate sees its contracts and their history.
#[server(endpoint = "contracts/get_contract")]
pub async fn get_contract(id: i64) -> Result<ContractView, AppError> {
    crate::api::authorized_with(Action::ViewEstate, estate_of(id), move |a| {
        service::contract(a.conn, a.caller()?, ContractId(id), a.now)
    })
    .await
}

/// A new draft for the estate; returns its id.
#[server(endpoint = "contracts/draft_contract")]
pub async fn draft_contract(estate: i64) -> Result<i64, AppError> {
    crate::api::authorized(
        Action::ManageContracts,
        Target::Estate(EstateId(estate)),
        move |a| service::draft(a.conn, a.caller()?, EstateId(estate), a.now).map(|c| c.0),
    )
    .await
}

#[server(endpoint = "contracts/update_contract_terms")]
pub async fn update_contract_terms(
    contract: i64,
    starts_on: String,
    ends_on: String,
    fee_model: String,
    commission: String,
    late_fee_daily: String,
    late_fee_cap: String,
    vacant_share: String,
) -> Result<(), AppError> {
    let form = service::TermsForm {
        starts_on,
        ends_on,
        fee_model,
        commission,
        late_fee_daily,
        late_fee_cap,
        vacant_share,
    };
    crate::api::authorized_with(Action::ManageContracts, estate_of(contract), move |a| {
        service::update_terms(a.conn, a.caller()?, ContractId(contract), &form, a.now)
    })
    .await
}

#[server(endpoint = "contracts/add_contract_line")]
pub async fn add_contract_line(
    contract: i64,
    service_id: i64,
    unit_price: String,
    basis: String,
) -> Result<(), AppError> {
    use crate::domain::pricing::ServiceId;
    crate::api::authorized_with(Action::ManageContracts, estate_of(contract), move |a| {
        service::add_line(
            a.conn,
            a.caller()?,
            ContractId(contract),
            ServiceId(service_id),
            &unit_price,
            &basis,
            a.now,
        )
    })
    .await
}

#[server(endpoint = "contracts/remove_contract_line")]
pub async fn remove_contract_line(line: i64) -> Result<(), AppError> {
    crate::api::authorized_with(
        Action::ManageContracts,
        move |conn| {
            let contract = service::contract_of_line(conn, ContractLineId(line))?;
            estate_of(contract.0)(conn)
        },
        move |a| service::remove_line(a.conn, a.caller()?, ContractLineId(line), a.now),
    )
    .await
}

/// A step of the life cycle ("submit", "return", "sign", "activate",
/// "expire", "terminate"); returning and terminating need a comment.
#[server(endpoint = "contracts/take_contract_step")]
pub async fn take_contract_step(
    contract: i64,
    step: String,
    comment: String,
) -> Result<(), AppError> {
    use crate::domain::contracts::ContractStep;
    let step = ContractStep::from_code(&step).ok_or(AppError::invalid(
        "step",
        crate::i18n::Key::ContractErrorState,
    ));
    crate::api::authorized_with(Action::StepContracts, estate_of(contract), move |a| {
        service::take_step(
            a.conn,
            a.caller()?,
            ContractId(contract),
            step?,
            &comment,
            a.now,
        )
    })
    .await
}

/// A new draft continuing the contract; returns its id.
#[server(endpoint = "contracts/renew_contract")]
pub async fn renew_contract(contract: i64) -> Result<i64, AppError> {
    crate::api::authorized_with(Action::ManageContracts, estate_of(contract), move |a| {
        service::renew(a.conn, a.caller()?, ContractId(contract), a.now).map(|c| c.0)
    })
    .await
}

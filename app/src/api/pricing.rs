//! The service catalog, its prices, and residents' price lists.

// A server function takes one argument per form field, and a price form has
// many; the macro's client half cannot carry an attribute on the function.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, HouseholdId};
#[cfg(feature = "ssr")]
use crate::domain::org::CompanyId;
use crate::domain::pricing::{Catalog, PriceList};
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::pricing as service;

/// A company's services with every price version: its people and oversight.
#[server(endpoint = "pricing/get_catalog")]
pub async fn get_catalog(company: i64) -> Result<Catalog, AppError> {
    crate::api::authorized(
        Action::ViewCatalog,
        Target::Company(CompanyId(company)),
        move |a| service::catalog(a.conn, a.caller()?, CompanyId(company), a.now),
    )
    .await
}

/// A new service and its first price.
#[server(endpoint = "pricing/add_service")]
pub async fn add_service(
    company: i64,
    name: String,
    name_en: String,
    category: String,
    unit: String,
    ours: String,
    market: String,
    reason: String,
    market_source: String,
    surveyed_on: String,
    effective_from: String,
) -> Result<(), AppError> {
    let price = service::PriceForm {
        ours,
        market,
        reason,
        market_source,
        surveyed_on,
        effective_from,
    };
    crate::api::authorized(
        Action::ManagePrices,
        Target::Company(CompanyId(company)),
        move |a| {
            service::add_service(
                a.conn,
                a.caller()?,
                CompanyId(company),
                &name,
                &name_en,
                &category,
                &unit,
                &price,
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

/// A new price version of a service from a date on.
#[server(endpoint = "pricing/set_price")]
pub async fn set_price(
    service_id: i64,
    ours: String,
    market: String,
    reason: String,
    market_source: String,
    surveyed_on: String,
    effective_from: String,
) -> Result<(), AppError> {
    use crate::domain::pricing::ServiceId;
    let price = service::PriceForm {
        ours,
        market,
        reason,
        market_source,
        surveyed_on,
        effective_from,
    };
    crate::api::authorized_with(
        Action::ManagePrices,
        move |conn| {
            Ok(Target::Company(service::company_of_service(
                conn,
                ServiceId(service_id),
            )?))
        },
        move |a| service::set_price(a.conn, a.caller()?, ServiceId(service_id), &price, a.now),
    )
    .await
}

/// How long one visit takes (minutes) and how soon an order must be answered
/// (hours).
#[server(endpoint = "pricing/set_service_timing")]
pub async fn set_service_timing(
    service_id: i64,
    visit_minutes: String,
    response_hours: String,
) -> Result<(), AppError> {
    use crate::domain::pricing::ServiceId;
    crate::api::authorized_with(
        Action::ManagePrices,
        move |conn| {
            Ok(Target::Company(service::company_of_service(
                conn,
                ServiceId(service_id),
            )?))
        },
        move |a| {
            service::set_timing(
                a.conn,
                a.caller()?,
                ServiceId(service_id),
                &visit_minutes,
                &response_hours,
                a.now,
            )
        },
    )
    .await
}

/// What the household's estate is offered, with savings against the market.
#[server(endpoint = "pricing/get_price_list")]
pub async fn get_price_list(household: i64) -> Result<PriceList, AppError> {
    crate::api::authorized(
        Action::ViewHousehold,
        Target::Household(HouseholdId(household)),
        move |a| service::price_list(a.conn, HouseholdId(household), a.now),
    )
    .await
}

//! The pages of households, estates, companies and Party scopes.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::estates::{CompanyWorkplace, EstateView, HouseholdView, PartyOverview};
#[cfg(feature = "ssr")]
use crate::services::access::Target;

/// Residents of the household and everyone whose scope covers it.
#[server(endpoint = "places/get_household")]
pub async fn get_household(id: i64) -> Result<HouseholdView, AppError> {
    use crate::domain::access::HouseholdId;
    crate::api::authorized(
        Action::ViewHousehold,
        Target::Household(HouseholdId(id)),
        move |a| crate::services::places::household(a.conn, &a.state.db, HouseholdId(id)),
    )
    .await
}

/// The estate's committee, its company's people, and oversight above them.
#[server(endpoint = "places/get_estate")]
pub async fn get_estate(id: i64) -> Result<EstateView, AppError> {
    use crate::domain::access::EstateId;
    crate::api::authorized(Action::ViewEstate, Target::Estate(EstateId(id)), move |a| {
        crate::services::places::estate(a.conn, EstateId(id))
    })
    .await
}

/// The company's own people, and oversight above them.
#[server(endpoint = "places/get_workplace")]
pub async fn get_workplace(id: i64) -> Result<CompanyWorkplace, AppError> {
    use crate::domain::org::CompanyId;
    crate::api::authorized(
        Action::ViewCompany,
        Target::Company(CompanyId(id)),
        move |a| crate::services::places::workplace(a.conn, &a.state.db, CompanyId(id)),
    )
    .await
}

/// Party oversight (and administrators): the companies in their own scope.
#[server(endpoint = "places/get_party_overview")]
pub async fn get_party_overview() -> Result<PartyOverview, AppError> {
    crate::api::authorized(Action::ViewPartyOverview, Target::OwnScope, |a| {
        let caller = a.caller()?;
        crate::services::places::party_overview(a.conn, caller)
    })
    .await
}

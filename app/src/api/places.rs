//! The pages of households, estates, companies and Party scopes.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::estates::CompanyWorkplace;
#[cfg(feature = "ssr")]
use crate::services::access::Target;

/// The company's own people, and oversight above them.
#[server(endpoint = "places/get_workplace")]
pub async fn get_workplace(id: i64) -> Result<CompanyWorkplace, AppError> {
    use crate::domain::access::Role;
    use crate::domain::org::CompanyId;
    crate::api::authorized(
        Action::ViewCompany,
        Target::Company(CompanyId(id)),
        move |a| {
            let orders = matches!(
                a.caller()?.role(),
                Some(Role::Manager | Role::Party | Role::Admin)
            );
            crate::services::places::workplace(a.conn, CompanyId(id), orders, a.now)
        },
    )
    .await
}

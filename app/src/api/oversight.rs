//! Party oversight: the dashboard of a scope and the figures of one estate.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::oversight::{Dashboard, EstateOversight};
#[cfg(feature = "ssr")]
use crate::services::access::Target;

/// The caller's scope (a Party officer's community or street, the
/// administrator's district), narrowed to a street or community if asked,
/// over the months `from`..=`to` ("2026-11"; the last six when left out).
#[server(endpoint = "oversight/get_dashboard")]
pub async fn get_dashboard(
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Dashboard, AppError> {
    crate::api::authorized(Action::ViewPartyOverview, Target::OwnScope, move |a| {
        let caller = a.caller()?;
        crate::services::oversight::dashboard(
            a.conn,
            caller,
            unit.as_deref(),
            from.as_deref(),
            to.as_deref(),
            a.now,
        )
    })
    .await
}

/// One estate in the caller's scope, month by month.
#[server(endpoint = "oversight/get_estate_oversight")]
pub async fn get_estate_oversight(
    id: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<EstateOversight, AppError> {
    use crate::domain::access::EstateId;
    crate::api::authorized(
        Action::ViewPartyOverview,
        Target::Estate(EstateId(id)),
        move |a| {
            crate::services::oversight::estate(
                a.conn,
                EstateId(id),
                from.as_deref(),
                to.as_deref(),
                a.now,
            )
        },
    )
    .await
}

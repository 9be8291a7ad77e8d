//! The administrator's org structure.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::org::OrgTree;
#[cfg(feature = "ssr")]
use crate::services::access::Target;

#[cfg(feature = "ssr")]
fn kind(code: &str) -> Result<crate::domain::org::OrgUnitKind, AppError> {
    crate::domain::org::OrgUnitKind::from_code(code).ok_or_else(|| {
        let error = AppError::invalid("kind", crate::i18n::Key::ErrorRequest);
        // Refused before the gate, which would otherwise set the status.
        #[cfg(feature = "ssr")]
        crate::api::set_error_status(&error);
        error
    })
}

/// Admin: the whole structure of their district, closed units included.
#[server(endpoint = "org/get_org_tree")]
pub async fn get_org_tree() -> Result<OrgTree, AppError> {
    crate::api::authorized(Action::ViewOrgStructure, Target::OwnScope, |a| {
        let caller = a.caller()?;
        let Some(crate::domain::access::Scope::District(d)) =
            caller.grant.as_ref().map(|g| g.scope)
        else {
            return Err(AppError::Forbidden);
        };
        crate::services::org_admin::tree(a.conn, d)
    })
    .await
}

/// Admin: a new street (parent: district), community (parent: street), company
/// or Party organisation (parent: community).
#[server(endpoint = "org/create_unit")]
pub async fn create_unit(
    kind: String,
    parent: i64,
    name: String,
    name_en: String,
) -> Result<i64, AppError> {
    use crate::services::org_admin;
    let unit_kind = self::kind(&kind)?;
    crate::api::authorized(
        Action::ManageOrgStructure,
        org_admin::parent_target(unit_kind, parent),
        move |a| {
            let caller = a.caller()?;
            let name = org_admin::parse_name(&name, &name_en)?;
            let now = a.now;
            let today = crate::domain::time::china_date(now);
            org_admin::create(a.conn, caller, unit_kind, parent, &name, today, now)
        },
    )
    .await
}

/// Admin: renames an open unit.
#[server(endpoint = "org/rename_unit")]
pub async fn rename_unit(
    kind: String,
    id: i64,
    name: String,
    name_en: String,
) -> Result<(), AppError> {
    use crate::services::org_admin;
    let unit_kind = self::kind(&kind)?;
    crate::api::authorized(
        Action::ManageOrgStructure,
        org_admin::unit_target(unit_kind, id),
        move |a| {
            let caller = a.caller()?;
            let name = org_admin::parse_name(&name, &name_en)?;
            org_admin::rename(a.conn, caller, unit_kind, id, &name, a.now)
        },
    )
    .await
}

/// Admin: closes a unit (it stays, greyed, with its history).
#[server(endpoint = "org/close_unit")]
pub async fn close_unit(kind: String, id: i64) -> Result<(), AppError> {
    use crate::services::org_admin;
    let unit_kind = self::kind(&kind)?;
    crate::api::authorized(
        Action::ManageOrgStructure,
        org_admin::unit_target(unit_kind, id),
        move |a| {
            let caller = a.caller()?;
            org_admin::close(a.conn, caller, unit_kind, id, a.now)
        },
    )
    .await
}

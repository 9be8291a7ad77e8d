//! The audit log viewer.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::audit::AuditPage;
#[cfg(feature = "ssr")]
use crate::services::access::Target;

/// Admin (district) and Party oversight (their street or community): the log,
/// filtered by entity code, person id and China dates (YYYY-MM-DD); empty
/// strings mean no filter.
#[server(endpoint = "audit/list_entries")]
pub async fn list_audit_entries(
    entity: String,
    person: String,
    from: String,
    to: String,
) -> Result<AuditPage, AppError> {
    use crate::domain::access::PersonId;
    use crate::domain::audit::{AuditEntity, AuditFilter};
    crate::api::authorized(Action::ViewAuditLog, Target::OwnScope, move |a| {
        let caller = a.caller()?;
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let filter = AuditFilter {
            entity: AuditEntity::from_code(&entity),
            person: person.trim().parse().ok().map(PersonId),
            from: date(&from),
            to: date(&to),
        };
        crate::services::audit::entries(a.conn, caller, &filter)
    })
    .await
}

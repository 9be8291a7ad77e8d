use leptos::prelude::*;

use crate::api::AppError;
use crate::domain::org::{CompanyId, CompanyProfile};

/// Public: one company with its two signboards.
#[server(endpoint = "directory/get_company_profile")]
pub async fn get_company_profile(id: CompanyId) -> Result<CompanyProfile, AppError> {
    use crate::domain::access::Action;
    use crate::services::access::Target;
    crate::api::authorized(Action::ViewDirectory, Target::Public, move |a| {
        crate::services::directory::company_profile(a.conn, id)
    })
    .await
}

use leptos::prelude::*;

use crate::api::AppError;
use crate::domain::org::{CompanyId, CompanyProfile};

/// Public: one company with its two signboards.
#[server(endpoint = "directory/get_company_profile")]
pub async fn get_company_profile(id: CompanyId) -> Result<CompanyProfile, AppError> {
    crate::api::run_service(move |state| crate::services::directory::company_profile(&state.db, id))
        .await
}

use leptos::prelude::*;

use crate::api::AppError;
use crate::domain::org::CompanyDirectory;

/// Public: every open company of the district, by street.
#[server(endpoint = "directory/list_companies")]
pub async fn list_companies() -> Result<CompanyDirectory, AppError> {
    crate::api::run_service(|state| crate::services::directory::company_directory(&state.db)).await
}

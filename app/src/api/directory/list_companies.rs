use leptos::prelude::*;

use crate::api::AppError;
use crate::domain::org::CompanyDirectory;

/// Public: every open company of the district, by street.
#[server(endpoint = "directory/list_companies")]
pub async fn list_companies() -> Result<CompanyDirectory, AppError> {
    use crate::domain::access::Action;
    use crate::services::access::Target;
    crate::api::authorized(Action::ViewDirectory, Target::Public, |a| {
        crate::services::directory::company_directory(a.conn)
    })
    .await
}

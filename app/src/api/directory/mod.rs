//! The public directory of community service companies.

mod get_company_profile;
mod list_companies;

pub use get_company_profile::*;
pub use list_companies::*;

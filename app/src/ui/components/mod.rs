//! The small design system every page is built from; styles in `style/main.css`.

mod badge;
mod error_notice;
mod field;
mod layout;
mod money;
mod page;

pub use badge::{Badge, Tone};
pub use error_notice::ErrorNotice;
pub use field::{CheckField, SelectField, TextArea, TextField};
pub use layout::Layout;
pub use money::MoneyText;
pub use page::{
    ErrorPage, Loaded, Refresh, SessionContext, field_error, form_error, go, print_page,
    provide_page_request, refresh_on_success, role_label, route_id, safe_next, use_session,
};

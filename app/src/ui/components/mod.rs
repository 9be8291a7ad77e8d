//! The small design system every page is built from; styles in `style/main.css`.

mod badge;
mod error_notice;
mod field;
mod layout;
mod money;
mod page;

pub use badge::{Badge, Tone};
pub use error_notice::ErrorNotice;
pub use field::{SelectField, TextField};
pub use layout::Layout;
pub use money::MoneyText;
pub use page::{
    ErrorPage, Loaded, SessionContext, field_error, form_error, go, role_label, safe_next,
    use_session,
};

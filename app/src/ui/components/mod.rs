//! The small design system every page is built from; styles in `style/main.css`.

mod badge;
mod error_notice;
mod field;
mod layout;
mod money;

pub use badge::{Badge, Tone};
pub use error_notice::ErrorNotice;
pub use field::TextField;
pub use layout::Layout;
pub use money::MoneyText;

//! Pure types and rules: no IO, compiled for the browser too.

pub mod lang;
pub mod money;
pub mod org;
pub mod time;

pub use lang::{Lang, LocalizedName};
pub use money::{Money, MoneyError};

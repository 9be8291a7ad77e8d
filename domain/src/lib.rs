//! Pure types and rules: no IO, compiled for the browser too.

/// Newtype ids: ids of different things never mix, and they cross the wire as
/// plain numbers.
macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

/// Declares a closed set of codes stored as text, with `code`, `from_code` and
/// `ALL` in declaration order.
macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub mod access;
pub mod accounts;
pub mod audit;
pub mod billing;
pub mod contracts;
pub mod data_url;
pub mod decisions;
pub mod estate_import;
pub mod estates;
pub mod export;
pub mod lang;
pub mod mail;
pub mod money;
pub mod orders;
pub mod org;
pub mod oversight;
pub mod pricing;
pub mod roster;
pub mod schedule;
pub mod statements;
pub mod time;
pub mod volunteers;

pub use lang::{Lang, LocalizedName};
pub use money::{Money, MoneyError};

//! Views, one folder per area, built from the shared components.

pub mod accounts;
pub mod app;
pub mod audit;
pub mod billing;
pub mod components;
pub mod contracts;
pub mod decisions;
pub mod estates;
pub mod landing;
pub mod mail;
pub mod not_found;
pub mod orders;
pub mod org_admin;
pub mod oversight;
pub mod places;
pub mod pricing;
pub mod roster;
pub mod schedule;
pub mod statements;
pub mod volunteers;

//! Views, one folder per area, built from the shared components.

pub mod app;
pub mod components;
pub mod landing;
pub mod not_found;

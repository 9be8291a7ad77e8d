//! Hongye (红业): management for community-run "red property" service companies.
//!
//! Layers, dependencies pointing down only: `ui` → `api` → `services` → `db` →
//! `domain`, with `error` (the one error type) and `i18n` below them all. `services` and `db` exist on the server only; `domain`, `i18n`,
//! `api` (as client stubs) and `ui` are compiled for the browser too.

// Deeply nested views make deeply nested types; the optimised browser build
// needs more room than the default to lay them out.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod error;
/// The pure rules live in their own crate (`domain/`): no IO, built for the
/// server and the browser, tested without compiling the whole app.
pub use hongye_domain as domain;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod services;
pub mod ui;

pub use ui::app::{App, shell};

/// Browser entry point: attaches the server-rendered page to the app.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

//! The database tests, one binary for all areas: each test binary links the
//! whole application, so one binary saves gigabytes of disk and minutes of
//! linking on every build.

mod support;

mod accounts;
mod billing;
mod contracts;
mod decisions;
mod edges;
mod estates;
mod mail;
mod orders;
mod org_directory;
mod oversight;
mod pricing;
mod schedule;
mod statements;
mod volunteers;

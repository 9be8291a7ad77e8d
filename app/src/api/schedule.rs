//! Staff scheduling: the manager's week, staff profiles and leave, the
//! travel buffer, assigning orders and auto-assignment.

// Server functions take their form fields one by one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, PersonId};
#[cfg(feature = "ssr")]
use crate::domain::orders::WorkOrderId;
#[cfg(feature = "ssr")]
use crate::domain::org::CompanyId;
#[cfg(feature = "ssr")]
use crate::domain::schedule::LeaveId;
use crate::domain::schedule::{AssignOutcome, ProposedAssignment, StaffProfiles, WeekSchedule};
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::schedule as service;

/// The company's week ("2026-11-30" or any day of it; this week when empty).
#[server(endpoint = "schedule/get_week_schedule")]
pub async fn get_week_schedule(company: i64, week: String) -> Result<WeekSchedule, AppError> {
    crate::api::authorized(
        Action::ViewSchedule,
        Target::Company(CompanyId(company)),
        move |a| service::week(a.conn, a.caller()?, CompanyId(company), &week, a.now),
    )
    .await
}

#[server(endpoint = "schedule/get_staff_profiles")]
pub async fn get_staff_profiles(company: i64) -> Result<StaffProfiles, AppError> {
    crate::api::authorized(
        Action::ViewSchedule,
        Target::Company(CompanyId(company)),
        move |a| service::staff_profiles(a.conn, a.caller()?, CompanyId(company), a.now),
    )
    .await
}

/// Skills by category code, home estate (0 for none), and start and end
/// ("08:00") for each weekday from Monday, both empty for a day off.
#[server(endpoint = "schedule/save_staff_profile")]
pub async fn save_staff_profile(
    company: i64,
    person: i64,
    skills: Vec<String>,
    home_estate: i64,
    starts: Vec<String>,
    ends: Vec<String>,
) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageSchedule,
        Target::Company(CompanyId(company)),
        move |a| {
            service::save_profile(
                a.conn,
                a.caller()?,
                CompanyId(company),
                &service::ProfileForm {
                    person: PersonId(person),
                    skills,
                    home_estate,
                    starts,
                    ends,
                },
                a.now,
            )
        },
    )
    .await
}

/// Records leave from `first` to `last` ("2026-12-01"); answers how many
/// jobs the person already holds in it.
#[server(endpoint = "schedule/add_staff_leave")]
pub async fn add_staff_leave(
    company: i64,
    person: i64,
    first: String,
    last: String,
    note: String,
) -> Result<usize, AppError> {
    crate::api::authorized(
        Action::ManageSchedule,
        Target::Company(CompanyId(company)),
        move |a| {
            service::add_leave(
                a.conn,
                a.caller()?,
                CompanyId(company),
                PersonId(person),
                &first,
                &last,
                &note,
                a.now,
            )
        },
    )
    .await
}

#[server(endpoint = "schedule/remove_staff_leave")]
pub async fn remove_staff_leave(company: i64, leave: i64) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageSchedule,
        Target::Company(CompanyId(company)),
        move |a| {
            service::remove_leave(
                a.conn,
                a.caller()?,
                CompanyId(company),
                LeaveId(leave),
                a.now,
            )
        },
    )
    .await
}

#[server(endpoint = "schedule/set_travel_buffer")]
pub async fn set_travel_buffer(company: i64, minutes: i64) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageSchedule,
        Target::Company(CompanyId(company)),
        move |a| {
            service::set_travel_buffer(a.conn, a.caller()?, CompanyId(company), minutes, a.now)
        },
    )
    .await
}

/// Gives the order to the staff member, or moves it to them.
#[server(endpoint = "schedule/assign_order")]
pub async fn assign_order(company: i64, order: i64, staff: i64) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageSchedule,
        Target::Company(CompanyId(company)),
        move |a| {
            service::assign(
                a.conn,
                a.state,
                a.caller()?,
                CompanyId(company),
                WorkOrderId(order),
                PersonId(staff),
                a.now,
            )
        },
    )
    .await
}

/// Who would take each of the week's waiting orders; changes nothing.
#[server(endpoint = "schedule/preview_auto_assign")]
pub async fn preview_auto_assign(
    company: i64,
    week: String,
) -> Result<Vec<ProposedAssignment>, AppError> {
    crate::api::authorized(
        Action::ManageSchedule,
        Target::Company(CompanyId(company)),
        move |a| service::auto_assign_preview(a.conn, CompanyId(company), &week, a.now),
    )
    .await
}

/// Applies the accepted part of a proposal: `orders[i]` to `staff[i]`.
#[server(endpoint = "schedule/accept_auto_assign")]
pub async fn accept_auto_assign(
    company: i64,
    orders: Vec<i64>,
    staff: Vec<i64>,
) -> Result<AssignOutcome, AppError> {
    crate::api::authorized(
        Action::ManageSchedule,
        Target::Company(CompanyId(company)),
        move |a| {
            if orders.len() != staff.len() || orders.len() > 5000 {
                return Err(AppError::invalid(
                    "orders",
                    crate::i18n::Key::ScheduleErrorNoneChosen,
                ));
            }
            let pairs: Vec<(WorkOrderId, PersonId)> = orders
                .iter()
                .zip(&staff)
                .map(|(o, s)| (WorkOrderId(*o), PersonId(*s)))
                .collect();
            service::accept_assignments(
                a.conn,
                a.state,
                a.caller()?,
                CompanyId(company),
                &pairs,
                a.now,
            )
        },
    )
    .await
}

//! Work orders: booking, the life cycle, complaints, the staff member's day,
//! the company's orders and its recurring cleaning plans.

// Server functions take their form fields one by one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, EstateId, HouseholdId, PersonId};
use crate::domain::orders::{
    Booked, BookingPage, CleaningPlans, CompanyComplaints, CompanyOrders, FreeSlot,
    HouseholdOrders, OrderView, StaffDay,
};
#[cfg(feature = "ssr")]
use crate::domain::orders::{CleaningPlanId, ComplaintId, OrderStep, WorkOrderId};
#[cfg(feature = "ssr")]
use crate::domain::org::CompanyId;
#[cfg(feature = "ssr")]
use crate::domain::pricing::ServiceId;
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::orders as service;

/// The target of an order, for authorizing: its household (or estate).
#[cfg(feature = "ssr")]
fn order_of(id: i64) -> impl FnOnce(&mut crate::db::DbConn) -> Result<Target, AppError> {
    move |conn| service::order_target(conn, WorkOrderId(id))
}

/// The booking form of a household: housekeeping services with today's
/// price against the market, and a fresh form token.
#[server(endpoint = "orders/get_booking_page")]
pub async fn get_booking_page(household: i64) -> Result<BookingPage, AppError> {
    crate::api::authorized(
        Action::BookHousekeeping,
        Target::Household(HouseholdId(household)),
        move |a| service::booking_page(a.conn, a.caller()?, HouseholdId(household), a.now),
    )
    .await
}

/// The slots of a day ("2026-11-28") in which someone is free.
#[server(endpoint = "orders/get_free_slots")]
pub async fn get_free_slots(
    household: i64,
    service_id: i64,
    day: String,
    hours: u32,
) -> Result<Vec<FreeSlot>, AppError> {
    crate::api::authorized(
        Action::BookHousekeeping,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::free_slots(
                a.conn,
                HouseholdId(household),
                ServiceId(service_id),
                &day,
                hours,
                a.now,
            )
        },
    )
    .await
}

/// Books housekeeping; `start` is "2026-11-28T09:00" (China time). The same
/// form (token) sent twice books once.
#[server(endpoint = "orders/book_housekeeping")]
pub async fn book_housekeeping(
    household: i64,
    service_id: i64,
    start: String,
    hours: u32,
    notes: String,
    form_token: String,
) -> Result<Booked, AppError> {
    let form = service::BookingForm {
        service: ServiceId(service_id),
        start,
        hours,
        notes,
        form_token,
    };
    crate::api::authorized(
        Action::BookHousekeeping,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::book(
                a.conn,
                a.state,
                a.caller()?,
                HouseholdId(household),
                &form,
                a.now,
            )
        },
    )
    .await
}

#[server(endpoint = "orders/get_household_orders")]
pub async fn get_household_orders(household: i64) -> Result<HouseholdOrders, AppError> {
    crate::api::authorized(
        Action::ViewWorkOrders,
        Target::Household(HouseholdId(household)),
        move |a| service::household_orders(a.conn, a.caller()?, HouseholdId(household), a.now),
    )
    .await
}

/// One order with its history and what the caller may do; staff see only
/// the jobs they are sent to.
#[server(endpoint = "orders/get_order")]
pub async fn get_order(id: i64) -> Result<OrderView, AppError> {
    crate::api::authorized_with(Action::ViewWorkOrders, order_of(id), move |a| {
        service::order(a.conn, a.caller()?, WorkOrderId(id), a.now)
    })
    .await
}

/// "start", "cancel" (with a reason) or "dispute" (with a reason).
#[server(endpoint = "orders/take_order_step")]
pub async fn take_order_step(order: i64, step: String, comment: String) -> Result<(), AppError> {
    let step = OrderStep::from_code(&step)
        .ok_or(AppError::invalid("step", crate::i18n::Key::OrderErrorState));
    crate::api::authorized_with(Action::StepWorkOrders, order_of(order), move |a| {
        service::take_step(
            a.conn,
            a.caller()?,
            WorkOrderId(order),
            step?,
            &comment,
            a.now,
        )
    })
    .await
}

/// Sends a staff member; `start` empty keeps the booked slot.
#[server(endpoint = "orders/schedule_order")]
pub async fn schedule_order(order: i64, staff: i64, start: String) -> Result<(), AppError> {
    crate::api::authorized_with(Action::ManageWorkOrders, order_of(order), move |a| {
        service::schedule(
            a.conn,
            a.state,
            a.caller()?,
            WorkOrderId(order),
            PersonId(staff),
            &start,
            a.now,
        )
    })
    .await
}

#[server(endpoint = "orders/finish_order")]
pub async fn finish_order(order: i64, materials: String) -> Result<(), AppError> {
    crate::api::authorized_with(Action::StepWorkOrders, order_of(order), move |a| {
        service::finish(a.conn, a.caller()?, WorkOrderId(order), &materials, a.now)
    })
    .await
}

#[server(endpoint = "orders/confirm_order")]
pub async fn confirm_order(order: i64, stars: i64, comment: String) -> Result<(), AppError> {
    crate::api::authorized_with(Action::StepWorkOrders, order_of(order), move |a| {
        service::confirm(
            a.conn,
            a.caller()?,
            WorkOrderId(order),
            stars,
            &comment,
            a.now,
        )
    })
    .await
}

/// Answers a dispute; `amount` (yuan) lowers the charge, empty keeps it.
#[server(endpoint = "orders/resolve_dispute")]
pub async fn resolve_dispute(order: i64, comment: String, amount: String) -> Result<(), AppError> {
    crate::api::authorized_with(Action::ManageWorkOrders, order_of(order), move |a| {
        service::resolve(
            a.conn,
            a.caller()?,
            WorkOrderId(order),
            &comment,
            &amount,
            a.now,
        )
    })
    .await
}

/// A complaint about an order of the household (`order` > 0) or the estate.
#[server(endpoint = "orders/file_complaint")]
pub async fn file_complaint(household: i64, order: i64, body: String) -> Result<i64, AppError> {
    crate::api::authorized(
        Action::FileComplaints,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::file_complaint(
                a.conn,
                a.caller()?,
                HouseholdId(household),
                (order > 0).then_some(WorkOrderId(order)),
                &body,
                a.now,
            )
            .map(|c| c.0)
        },
    )
    .await
}

#[server(endpoint = "orders/answer_complaint")]
pub async fn answer_complaint(complaint: i64, answer: String) -> Result<(), AppError> {
    crate::api::authorized_with(
        Action::ManageWorkOrders,
        move |conn| service::complaint_target(conn, ComplaintId(complaint)),
        move |a| {
            service::answer_complaint(a.conn, a.caller()?, ComplaintId(complaint), &answer, a.now)
        },
    )
    .await
}

#[server(endpoint = "orders/get_company_orders")]
pub async fn get_company_orders(company: i64) -> Result<CompanyOrders, AppError> {
    crate::api::authorized(
        Action::ViewCompanyOrders,
        Target::Company(CompanyId(company)),
        move |a| service::company_orders(a.conn, CompanyId(company), a.now),
    )
    .await
}

#[server(endpoint = "orders/get_complaints")]
pub async fn get_complaints(company: i64) -> Result<CompanyComplaints, AppError> {
    crate::api::authorized(
        Action::ViewCompanyOrders,
        Target::Company(CompanyId(company)),
        move |a| service::company_complaints(a.conn, a.caller()?, CompanyId(company)),
    )
    .await
}

/// The caller's own jobs of a day ("2026-11-28"; today when empty).
#[server(endpoint = "orders/get_staff_day")]
pub async fn get_staff_day(day: String) -> Result<StaffDay, AppError> {
    crate::api::authorized(Action::ViewOwnJobs, Target::OwnScope, move |a| {
        service::staff_day(a.conn, a.caller()?, &day, a.now)
    })
    .await
}

#[server(endpoint = "orders/get_cleaning_plans")]
pub async fn get_cleaning_plans(company: i64) -> Result<CleaningPlans, AppError> {
    crate::api::authorized(
        Action::ViewCompanyOrders,
        Target::Company(CompanyId(company)),
        move |a| service::cleaning_plans(a.conn, a.caller()?, CompanyId(company), a.now),
    )
    .await
}

/// A recurring cleaning plan: `building` 0 for the estate's common areas,
/// `weekdays` like "1,3,5" (Monday = 1), `start` like "09:00".
#[server(endpoint = "orders/add_cleaning_plan")]
pub async fn add_cleaning_plan(
    company: i64,
    estate: i64,
    building: i64,
    service_id: i64,
    weekdays: String,
    start: String,
    minutes: u32,
) -> Result<i64, AppError> {
    let days: Result<Vec<u32>, AppError> = weekdays
        .split([',', ' '])
        .filter(|d| !d.trim().is_empty())
        .map(|d| {
            d.trim()
                .parse::<u32>()
                .map_err(|_| AppError::invalid("weekdays", crate::i18n::Key::PlanErrorWeekdays))
        })
        .collect();
    crate::api::authorized(
        Action::ManageWorkOrders,
        Target::Company(CompanyId(company)),
        move |a| {
            let form = service::PlanForm {
                estate: EstateId(estate),
                building: (building > 0).then_some(building),
                service: ServiceId(service_id),
                weekdays: days?,
                start,
                minutes,
            };
            service::add_plan(a.conn, a.caller()?, CompanyId(company), &form, a.now).map(|p| p.0)
        },
    )
    .await
}

/// Pauses (cancelling visits not yet started) or resumes a plan.
#[server(endpoint = "orders/set_cleaning_plan_paused")]
pub async fn set_cleaning_plan_paused(plan: i64, paused: bool) -> Result<(), AppError> {
    crate::api::authorized_with(
        Action::ManageWorkOrders,
        move |conn| service::plan_target(conn, CleaningPlanId(plan)),
        move |a| service::set_plan_paused(a.conn, a.caller()?, CleaningPlanId(plan), paused, a.now),
    )
    .await
}

/// Generates the coming weeks' visits of the company's running plans;
/// returns how many new ones were made (none when run again).
#[server(endpoint = "orders/generate_plan_orders")]
pub async fn generate_plan_orders(company: i64) -> Result<u32, AppError> {
    crate::api::authorized(
        Action::ManageWorkOrders,
        Target::Company(CompanyId(company)),
        move |a| service::generate_plans(a.conn, CompanyId(company), a.now),
    )
    .await
}

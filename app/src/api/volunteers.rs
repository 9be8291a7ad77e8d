//! Party-member volunteer service: a resident orders for their household, the
//! Party organization dispatches and registers volunteers, the volunteer
//! accepts, declines or completes, and the community's hours board.

// Server functions take their form fields one by one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, HouseholdId, PersonId};
#[cfg(feature = "ssr")]
use crate::domain::org::CommunityId;
use crate::domain::volunteers::{
    DispatchBoard, HouseholdVolunteering, MyVolunteering, VolunteerBoard,
};
#[cfg(feature = "ssr")]
use crate::domain::volunteers::{VolunteerId, VolunteerKind, VolunteerTaskId};
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::volunteers as service;

/// The target of a task, for authorizing: its household.
#[cfg(feature = "ssr")]
fn task_of(id: i64) -> impl FnOnce(&mut crate::db::DbConn) -> Result<Target, AppError> {
    move |conn| service::task_target(conn, VolunteerTaskId(id))
}

/// A community asked for by id, or (0) the caller's own scope.
#[cfg(feature = "ssr")]
fn community_or_own(community: i64) -> (Option<CommunityId>, Target) {
    if community > 0 {
        let id = CommunityId(community);
        (Some(id), Target::Community(id))
    } else {
        (None, Target::OwnScope)
    }
}

// ----- the resident -----

/// The household's volunteer service page: the order form and its requests.
#[server(endpoint = "volunteers/get_household_volunteering")]
pub async fn get_household_volunteering(household: i64) -> Result<HouseholdVolunteering, AppError> {
    crate::api::authorized(
        Action::OrderVolunteerService,
        Target::Household(HouseholdId(household)),
        move |a| service::household_page(a.conn, a.caller()?, HouseholdId(household), a.now),
    )
    .await
}

/// Orders a free volunteer service: `kind` a kind code, `wished_on`
/// "2026-11-28", the window "09:00"–"11:00" (China time). The same form
/// (token) sent twice orders once. Returns the task's id.
#[server(endpoint = "volunteers/order_volunteer")]
pub async fn order_volunteer(
    household: i64,
    kind: String,
    wished_on: String,
    window_start: String,
    window_end: String,
    note: String,
    form_token: String,
) -> Result<i64, AppError> {
    let form = service::OrderForm {
        kind,
        wished_on,
        window_start,
        window_end,
        note,
        form_token,
    };
    crate::api::authorized(
        Action::OrderVolunteerService,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::order(a.conn, a.caller()?, HouseholdId(household), &form, a.now).map(|t| t.0)
        },
    )
    .await
}

/// The resident calls a request off while nobody has accepted it.
#[server(endpoint = "volunteers/cancel_volunteer_task")]
pub async fn cancel_volunteer_task(task: i64, reason: String) -> Result<(), AppError> {
    crate::api::authorized_with(Action::OrderVolunteerService, task_of(task), move |a| {
        service::cancel(a.conn, a.caller()?, VolunteerTaskId(task), &reason, a.now)
    })
    .await
}

// ----- the Party organization -----

/// The dispatch page of a community: `community` 0 for the caller's own
/// (or, for a street, the one with the most requests waiting).
#[server(endpoint = "volunteers/get_dispatch_board")]
pub async fn get_dispatch_board(community: i64) -> Result<DispatchBoard, AppError> {
    let (requested, target) = community_or_own(community);
    crate::api::authorized(Action::DispatchVolunteers, target, move |a| {
        service::dispatch_page(a.conn, a.caller()?, requested, a.now)
    })
    .await
}

/// Offers a task to a volunteer: `volunteer` the person id of one of the
/// community's pool (as the picker sends it).
#[server(endpoint = "volunteers/dispatch_volunteer_task")]
pub async fn dispatch_volunteer_task(task: i64, volunteer: String) -> Result<(), AppError> {
    let volunteer = volunteer
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid("volunteer", crate::i18n::Key::VolunteerErrorVolunteer));
    crate::api::authorized_with(Action::DispatchVolunteers, task_of(task), move |a| {
        service::dispatch(
            a.conn,
            a.caller()?,
            VolunteerTaskId(task),
            PersonId(volunteer?),
            a.now,
        )
    })
    .await
}

/// Registers a person living in the community, found by their account's
/// phone, as a volunteer (双报到); each kind offered is a ticked box.
#[server(endpoint = "volunteers/register_volunteer")]
pub async fn register_volunteer(
    community: i64,
    phone: String,
    organization: String,
    registered_on: String,
    #[server(default)] party_member: Option<String>,
    #[server(default)] kind_elder_care: Option<String>,
    #[server(default)] kind_meals: Option<String>,
    #[server(default)] kind_tutoring: Option<String>,
    #[server(default)] kind_other: Option<String>,
) -> Result<i64, AppError> {
    let kinds = [
        (kind_elder_care, VolunteerKind::ElderCare),
        (kind_meals, VolunteerKind::Meals),
        (kind_tutoring, VolunteerKind::Tutoring),
        (kind_other, VolunteerKind::Other),
    ]
    .into_iter()
    .filter_map(|(ticked, kind)| ticked.map(|_| kind))
    .collect();
    let form = service::RegisterForm {
        phone,
        organization,
        registered_on,
        party_member: party_member.is_some(),
        kinds,
    };
    crate::api::authorized(
        Action::DispatchVolunteers,
        Target::Community(CommunityId(community)),
        move |a| {
            service::register(a.conn, a.caller()?, CommunityId(community), &form, a.now)
                .map(|v| v.0)
        },
    )
    .await
}

/// Takes a volunteer out of the community's pool, or back in.
#[server(endpoint = "volunteers/set_volunteer_active")]
pub async fn set_volunteer_active(volunteer: i64, active: bool) -> Result<(), AppError> {
    crate::api::authorized_with(
        Action::DispatchVolunteers,
        move |conn| service::volunteer_target(conn, VolunteerId(volunteer)),
        move |a| service::set_active(a.conn, a.caller()?, VolunteerId(volunteer), active, a.now),
    )
    .await
}

// ----- the volunteer -----

/// The caller's own volunteering: tasks offered, accepted and done, and hours.
#[server(endpoint = "volunteers/get_my_volunteering")]
pub async fn get_my_volunteering() -> Result<MyVolunteering, AppError> {
    crate::api::authorized(Action::ServeAsVolunteer, Target::OwnAccount, move |a| {
        service::my_tasks(a.conn, a.caller()?, a.now)
    })
    .await
}

#[server(endpoint = "volunteers/accept_volunteer_task")]
pub async fn accept_volunteer_task(task: i64) -> Result<(), AppError> {
    crate::api::authorized(Action::ServeAsVolunteer, Target::OwnAccount, move |a| {
        service::accept(
            a.conn,
            &a.state.site_url,
            a.caller()?,
            VolunteerTaskId(task),
            a.now,
        )
    })
    .await
}

/// Gives a task back, with the reason, to the dispatch queue.
#[server(endpoint = "volunteers/decline_volunteer_task")]
pub async fn decline_volunteer_task(task: i64, reason: String) -> Result<(), AppError> {
    crate::api::authorized(Action::ServeAsVolunteer, Target::OwnAccount, move |a| {
        service::decline(a.conn, a.caller()?, VolunteerTaskId(task), &reason, a.now)
    })
    .await
}

/// Completes a task: `hours` served as decimal hours in quarter hours ("1.5").
#[server(endpoint = "volunteers/complete_volunteer_task")]
pub async fn complete_volunteer_task(
    task: i64,
    hours: String,
    note: String,
) -> Result<(), AppError> {
    crate::api::authorized(Action::ServeAsVolunteer, Target::OwnAccount, move |a| {
        service::complete(
            a.conn,
            a.caller()?,
            VolunteerTaskId(task),
            &hours,
            &note,
            a.now,
        )
    })
    .await
}

// ----- the board -----

/// The community's hours board: `community` 0 for the caller's own (a
/// resident's, volunteer's, committee's, company's or community Party's),
/// or one of a street's or the district's; `period` "year" (or empty) or "all".
#[server(endpoint = "volunteers/get_volunteer_board")]
pub async fn get_volunteer_board(
    community: i64,
    period: String,
) -> Result<VolunteerBoard, AppError> {
    let (requested, target) = community_or_own(community);
    crate::api::authorized(Action::ViewVolunteerBoard, target, move |a| {
        service::board(a.conn, a.caller()?, requested, &period, a.now)
    })
    .await
}

//! Estates, households, residents, committees, imports and self-registration.

// A server function takes one argument per form field, and the takeover and
// registration forms have many; the macro's client half cannot carry an
// attribute on the function itself.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::{Action, BuildingId, EstateId, HouseholdId};
use crate::domain::estate_import::ImportPreview;
use crate::domain::estates::{
    EstateDirectory, EstateView, HouseholdView, JoinPage, JoinPoster, RegistrationView,
};
#[cfg(feature = "ssr")]
use crate::services::access::Target;
#[cfg(feature = "ssr")]
use crate::services::estates as service;

/// Residents of the household and everyone whose scope covers it.
#[server(endpoint = "estates/get_household")]
pub async fn get_household(id: i64) -> Result<HouseholdView, AppError> {
    crate::api::authorized(
        Action::ViewHousehold,
        Target::Household(HouseholdId(id)),
        move |a| service::household(a.conn, a.caller()?, HouseholdId(id)),
    )
    .await
}

/// The estate's committee, its company's people, and oversight above them.
#[server(endpoint = "estates/get_estate")]
pub async fn get_estate(id: i64) -> Result<EstateView, AppError> {
    crate::api::authorized(Action::ViewEstate, Target::Estate(EstateId(id)), move |a| {
        service::estate(a.conn, a.caller()?, EstateId(id))
    })
    .await
}

/// The estates in the caller's scope; `street` / `community` 0 means all.
#[server(endpoint = "estates/list_estates")]
pub async fn list_estates(street: i64, community: i64) -> Result<EstateDirectory, AppError> {
    use crate::domain::org::{CommunityId, StreetId};
    crate::api::authorized(Action::ListEstates, Target::OwnScope, move |a| {
        service::directory(
            a.conn,
            a.caller()?,
            (street != 0).then_some(StreetId(street)),
            (community != 0).then_some(CommunityId(community)),
        )
    })
    .await
}

/// A manager records an estate their company has taken over; returns its id.
#[server(endpoint = "estates/create_estate")]
pub async fn create_estate(
    company: i64,
    name: String,
    name_en: String,
    address: String,
    grid_worker: String,
    grid_worker_phone: String,
) -> Result<i64, AppError> {
    use crate::domain::org::CompanyId;
    let input =
        service::EstateInput::parse(&name, &name_en, &address, &grid_worker, &grid_worker_phone);
    crate::api::authorized(
        Action::ManageEstates,
        Target::Company(CompanyId(company)),
        move |a| {
            let id =
                service::create_estate(a.conn, a.caller()?, CompanyId(company), &input?, a.now)?;
            Ok(id.0)
        },
    )
    .await
}

#[server(endpoint = "estates/update_estate")]
pub async fn update_estate(
    estate: i64,
    name: String,
    name_en: String,
    address: String,
    grid_worker: String,
    grid_worker_phone: String,
) -> Result<(), AppError> {
    let input =
        service::EstateInput::parse(&name, &name_en, &address, &grid_worker, &grid_worker_phone);
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::update_estate(a.conn, a.caller()?, EstateId(estate), &input?, a.now),
    )
    .await
}

#[server(endpoint = "estates/record_takeover")]
pub async fn record_takeover(
    estate: i64,
    state_before: String,
    taken_over_on: String,
    interim_agreement: String,
    cleaning: String,
    lighting: String,
    security: String,
    refuse: String,
    greenery: String,
    repairs: String,
    baseline_notes: String,
    files_handed_over: String,
) -> Result<(), AppError> {
    let form = service::TakeoverForm {
        state_before,
        taken_over_on,
        interim_agreement,
        baseline: [cleaning, lighting, security, refuse, greenery, repairs],
        baseline_notes,
        files_handed_over,
    };
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::record_takeover(a.conn, a.caller()?, EstateId(estate), &form, a.now),
    )
    .await
}

#[server(endpoint = "estates/add_building")]
pub async fn add_building(
    estate: i64,
    name: String,
    grid_worker: String,
    grid_worker_phone: String,
) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| {
            service::add_building(
                a.conn,
                a.caller()?,
                EstateId(estate),
                &name,
                &grid_worker,
                &grid_worker_phone,
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

/// `vacant` is a checkbox: present when ticked.
#[server(endpoint = "estates/add_household")]
pub async fn add_household(
    building: i64,
    unit: String,
    room: String,
    floor_area: String,
    #[server(default)] vacant: Option<String>,
) -> Result<(), AppError> {
    let area = service::parse_area(&floor_area);
    crate::api::authorized_with(
        Action::ManageEstates,
        move |conn| {
            Ok(Target::Estate(service::estate_of_building(
                conn,
                BuildingId(building),
            )?))
        },
        move |a| {
            service::add_household(
                a.conn,
                a.caller()?,
                BuildingId(building),
                &unit,
                &room,
                area?,
                vacant.is_some(),
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

#[server(endpoint = "estates/update_household")]
pub async fn update_household(
    household: i64,
    floor_area: String,
    #[server(default)] vacant: Option<String>,
) -> Result<(), AppError> {
    let area = service::parse_area(&floor_area);
    crate::api::authorized(
        Action::ManageEstates,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::update_household(
                a.conn,
                a.caller()?,
                HouseholdId(household),
                area?,
                vacant.is_some(),
                a.now,
            )
        },
    )
    .await
}

#[server(endpoint = "estates/add_resident")]
pub async fn add_resident(
    household: i64,
    name: String,
    phone: String,
    relation: String,
) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageEstates,
        Target::Household(HouseholdId(household)),
        move |a| {
            service::add_resident(
                a.conn,
                a.caller()?,
                HouseholdId(household),
                &name,
                &phone,
                &relation,
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

#[server(endpoint = "estates/move_out_resident")]
pub async fn move_out_resident(resident: i64) -> Result<(), AppError> {
    use crate::domain::estates::ResidentId;
    crate::api::authorized_with(
        Action::ManageEstates,
        move |conn| {
            Ok(Target::Household(service::household_of_resident(
                conn,
                ResidentId(resident),
            )?))
        },
        move |a| service::move_out(a.conn, a.caller()?, ResidentId(resident), a.now),
    )
    .await
}

/// A newly elected committee; the sitting one ends and stays in the history.
#[server(endpoint = "estates/start_committee")]
pub async fn start_committee(
    estate: i64,
    term_starts_on: String,
    term_ends_on: String,
) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageCommittees,
        Target::Estate(EstateId(estate)),
        move |a| {
            service::start_committee(
                a.conn,
                a.caller()?,
                EstateId(estate),
                &term_starts_on,
                &term_ends_on,
                a.now,
            )
            .map(|_| ())
        },
    )
    .await
}

#[server(endpoint = "estates/add_committee_member")]
pub async fn add_committee_member(
    committee: i64,
    name: String,
    phone: String,
    position: String,
    #[server(default)] party_member: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::estates::CommitteeId;
    crate::api::authorized_with(
        Action::ManageCommittees,
        move |conn| {
            Ok(Target::Estate(service::estate_of_committee(
                conn,
                CommitteeId(committee),
            )?))
        },
        move |a| {
            service::add_committee_member(
                a.conn,
                a.caller()?,
                CommitteeId(committee),
                &name,
                &phone,
                &position,
                party_member.is_some(),
                a.now,
            )
        },
    )
    .await
}

#[cfg(feature = "ssr")]
fn import_kind(kind: &str) -> Result<crate::domain::estate_import::ImportKind, AppError> {
    crate::domain::estate_import::ImportKind::from_code(kind)
        .ok_or(AppError::invalid("kind", crate::i18n::Key::ImportErrorKind))
}

/// The estate's name for its import page: managers only.
#[server(endpoint = "estates/get_import_page")]
pub async fn get_import_page(estate: i64) -> Result<crate::domain::LocalizedName, AppError> {
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::estate_name(a.conn, EstateId(estate)),
    )
    .await
}

/// Checks a CSV file against the estate and changes nothing. JSON in: a file's
/// text is larger than a form field should be.
#[server(endpoint = "estates/preview_import", input = Json)]
pub async fn preview_import(
    estate: i64,
    kind: String,
    text: String,
) -> Result<ImportPreview, AppError> {
    let kind = import_kind(&kind);
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::preview_import(a.conn, EstateId(estate), kind?, &text),
    )
    .await
}

/// Writes a whole file or nothing; returns the rows written.
#[server(endpoint = "estates/commit_import", input = Json)]
pub async fn commit_import(estate: i64, kind: String, text: String) -> Result<u32, AppError> {
    let kind = import_kind(&kind);
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::commit_import(a.conn, a.caller()?, EstateId(estate), kind?, &text, a.now),
    )
    .await
}

/// Open to anyone holding the poster's link.
#[server(endpoint = "estates/get_join_page")]
pub async fn get_join_page(token: String) -> Result<JoinPage, AppError> {
    crate::api::authorized(Action::SelfRegister, Target::Public, move |a| {
        service::join_page(a.conn, &token)
    })
    .await
}

/// A resident asks to be linked to a household; `lang` is the page's, for the
/// answer by mail.
#[server(endpoint = "estates/submit_registration")]
pub async fn submit_registration(
    token: String,
    household: i64,
    name: String,
    phone: String,
    email: String,
    relation: String,
    password: String,
    lang: String,
) -> Result<(), AppError> {
    let form = service::RegistrationForm {
        household: HouseholdId(household),
        name,
        phone,
        email,
        relation,
        password,
    };
    let address = crate::api::client_address();
    let lang = crate::domain::Lang::from_tag(&lang).unwrap_or_default();
    crate::api::authorized(Action::SelfRegister, Target::Public, move |a| {
        service::register(a.conn, &token, &form, &address, lang, a.now).map(|_| ())
    })
    .await
}

#[server(endpoint = "estates/get_poster")]
pub async fn get_poster(estate: i64) -> Result<JoinPoster, AppError> {
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::poster(a.conn, EstateId(estate), &a.state.site_url),
    )
    .await
}

/// A new poster link; old posters stop working.
#[server(endpoint = "estates/renew_poster")]
pub async fn renew_poster(estate: i64) -> Result<(), AppError> {
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::renew_poster(a.conn, a.caller()?, EstateId(estate), a.now),
    )
    .await
}

#[server(endpoint = "estates/list_registrations")]
pub async fn list_registrations(estate: i64) -> Result<Vec<RegistrationView>, AppError> {
    crate::api::authorized(
        Action::ManageEstates,
        Target::Estate(EstateId(estate)),
        move |a| service::registrations(a.conn, EstateId(estate)),
    )
    .await
}

/// `decision` is "approve" or "reject"; a rejection needs a reason.
#[server(endpoint = "estates/decide_registration")]
pub async fn decide_registration(
    registration: i64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::domain::estates::RegistrationId;
    let approve = match decision.as_str() {
        "approve" => Ok(true),
        "reject" => Ok(false),
        _ => Err(AppError::invalid(
            "decision",
            crate::i18n::Key::RegistrationErrorDecision,
        )),
    };
    crate::api::authorized_with(
        Action::ManageEstates,
        move |conn| {
            Ok(Target::Estate(service::estate_of_registration(
                conn,
                RegistrationId(registration),
            )?))
        },
        move |a| {
            service::decide_registration(
                a.conn,
                &a.state.site_url,
                a.caller()?,
                RegistrationId(registration),
                approve?,
                &reason,
                a.now,
            )
        },
    )
    .await
}

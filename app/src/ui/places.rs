//! The home pages of the places people belong to: a resident's household, a
//! committee's estate, a company's workplace, a Party organisation's overview.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::AppError;
use crate::api::estates::{get_estate, get_household};
use crate::api::places::{get_party_overview, get_workplace};
use crate::domain::estates::{CompanyWorkplace, EstateView, HouseholdView, PartyOverview};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Badge, Loaded, Tone};

/// The numeric id in the route; anything else is a page that does not exist.
fn route_id() -> Option<i64> {
    use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|id| id.parse().ok())
}

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let id = route_id();
    let household = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_household(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=household view=|h| view! { <Household h /> } /> }
}

#[component]
fn Household(h: HouseholdView) -> impl IntoView {
    let i18n = use_i18n();
    let title = format!(
        "{} {}",
        i18n.name(&h.estate),
        i18n.fill(
            Key::HouseholdRoom,
            &[
                ("building", &h.building),
                ("unit", &h.unit),
                ("room", &h.room)
            ]
        )
    );
    let company = match &h.company {
        Some(c) => view! {
            <dt>{i18n.t(Key::HouseholdCompany)}</dt>
            <dd>{i18n.name(&c.name)}</dd>
            <dt>{i18n.t(Key::HouseholdParty)}</dt>
            <dd>{c.party_organization.as_ref().map(|p| i18n.name(&p.name)).unwrap_or_else(|| i18n.t(Key::CommonNone).to_owned())}</dd>
        }
        .into_any(),
        None => view! {
            <dt>{i18n.t(Key::HouseholdCompany)}</dt>
            <dd><Badge tone=Tone::Warning>{i18n.t(Key::HouseholdUnmanaged)}</Badge></dd>
        }
        .into_any(),
    };
    let residents = h
        .residents
        .iter()
        .map(|r| r.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <Title text=title.clone() />
        <section class="panel" aria-labelledby="household-title" data-testid="household">
            <p class="eyebrow">{i18n.t(Key::HouseholdTitle)}</p>
            <h1 id="household-title">{title}</h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::HouseholdAddress)}</dt>
                <dd>{h.address.clone()}</dd>
                {company}
                <dt>{i18n.t(Key::HouseholdResidents)}</dt>
                <dd>{residents}</dd>
            </dl>
        </section>
    }
}

#[component]
pub fn EstatePage() -> impl IntoView {
    let id = route_id();
    let estate = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_estate(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=estate view=|e| view! { <Estate e /> } /> }
}

#[component]
fn Estate(e: EstateView) -> impl IntoView {
    let i18n = use_i18n();
    let name = i18n.name(&e.name);
    let count = e.household_count().to_string();
    let buildings = e
        .buildings
        .iter()
        .map(|b| {
            let rooms = b
                .households
                .iter()
                .map(|h| view! { <li><a href=format!("/households/{}", h.id)>{format!("{}{}", h.unit, h.room)}</a></li> })
                .collect_view();
            view! {
                <section class="building">
                    <h3>{b.name.clone()}</h3>
                    <ul class="rooms">{rooms}</ul>
                </section>
            }
        })
        .collect_view();
    let empty = e.buildings.is_empty();
    view! {
        <Title text=name.clone() />
        <section class="panel" aria-labelledby="estate-title" data-testid="estate">
            <h1 id="estate-title">{name}</h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::HouseholdAddress)}</dt>
                <dd>{e.address.clone()}</dd>
                <dt>{i18n.t(Key::EstateCommunity)}</dt>
                <dd>{i18n.name(&e.community)}</dd>
                <dt>{i18n.t(Key::EstateCompany)}</dt>
                <dd>{e.company.as_ref().map(|(_, n)| i18n.name(n)).unwrap_or_else(|| i18n.t(Key::HouseholdUnmanaged).to_owned())}</dd>
            </dl>
            <h2>{i18n.t(Key::EstateBuildings)} " · " {i18n.fill(Key::EstateHouseholds, &[("n", &count)])}</h2>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::EstateEmpty)}</p> })}
            {buildings}
        </section>
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let id = route_id();
    let workplace = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_workplace(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=workplace view=|w| view! { <Workplace w /> } /> }
}

#[component]
fn Workplace(w: CompanyWorkplace) -> impl IntoView {
    let i18n = use_i18n();
    let name = i18n.name(&w.profile.name);
    let estates = w
        .estates
        .iter()
        .map(|e| {
            let n = e.households.to_string();
            view! {
                <li>
                    <a href=format!("/estates/{}", e.id)>{i18n.name(&e.name)}</a>
                    " · "
                    {i18n.fill(Key::EstateHouseholds, &[("n", &n)])}
                </li>
            }
        })
        .collect_view();
    let no_estates = w.estates.is_empty();
    view! {
        <Title text=name.clone() />
        <section class="panel" aria-labelledby="company-title" data-testid="workplace">
            <h1 id="company-title">{name}</h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::LandingPartySignboard)}</dt>
                <dd>{w.profile.party_organization.as_ref().map(|p| i18n.name(&p.name)).unwrap_or_else(|| i18n.t(Key::CommonNone).to_owned())}</dd>
                <dt>{i18n.t(Key::LandingGrid)}</dt>
                <dd>{format!("{} › {}", i18n.name(&w.profile.street), i18n.name(&w.profile.community))}</dd>
                <dt>{i18n.t(Key::CompanyFounded)}</dt>
                <dd>{i18n.date(w.profile.founded_on)}</dd>
                <dt>{i18n.t(Key::CompanyTeam)}</dt>
                <dd>{w.team_size}</dd>
            </dl>
            <h2>{i18n.t(Key::CompanyEstates)}</h2>
            {no_estates.then(|| view! { <p class="empty">{i18n.t(Key::CompanyNoEstates)}</p> })}
            <ul>{estates}</ul>
        </section>
    }
}

#[component]
pub fn PartyPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new_blocking(|| (), |_| get_party_overview());
    view! {
        <Title text=i18n.t(Key::PartyTitle) />
        <Loaded resource=overview view=|o| view! { <Overview o /> } />
    }
}

#[component]
fn Overview(o: PartyOverview) -> impl IntoView {
    let i18n = use_i18n();
    let rows = o
        .companies
        .iter()
        .map(|c| {
            view! {
                <tr data-testid="overseen-company">
                    <td data-label=i18n.t(Key::PartyColCompany)>
                        <a href=format!("/companies/{}", c.id)>{i18n.name(&c.name)}</a>
                    </td>
                    <td data-label=i18n.t(Key::PartyColCommunity)>{i18n.name(&c.community)}</td>
                    <td data-label=i18n.t(Key::PartyColParty)>
                        {c.party_organization.as_ref().map(|p| i18n.name(p)).unwrap_or_default()}
                    </td>
                    <td data-label=i18n.t(Key::PartyColEstates) class="num">{c.estates}</td>
                    <td data-label=i18n.t(Key::PartyColHouseholds) class="num">{c.households}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="party-title" data-testid="party-overview">
            <p class="eyebrow">{i18n.t(Key::PartyTitle)}</p>
            <h1 id="party-title">{i18n.name(&o.scope)}</h1>
            <p><a href="/roster">{i18n.t(Key::RosterTitle)}</a> " · " <a href="/audit">{i18n.t(Key::AuditTitle)}</a></p>
            <h2>{i18n.t(Key::PartyCompanies)}</h2>
            <table class="table table-cards">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::PartyColCompany)}</th>
                        <th scope="col">{i18n.t(Key::PartyColCommunity)}</th>
                        <th scope="col">{i18n.t(Key::PartyColParty)}</th>
                        <th scope="col">{i18n.t(Key::PartyColEstates)}</th>
                        <th scope="col">{i18n.t(Key::PartyColHouseholds)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

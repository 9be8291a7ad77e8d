//! The home page of a company's workplace (households and estates are in
//! the estates area, Party oversight in its own).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::places::get_workplace;
use crate::domain::estates::CompanyWorkplace;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Loaded, route_id};

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
            <p class="tools">
                <a class="btn btn-secondary btn-small" href=format!("/companies/{}/services", w.profile.id)>{i18n.t(Key::CatalogTitle)}</a>
                {w.can_see_orders.then(|| view! {
                    <a class="btn btn-secondary btn-small" href=format!("/companies/{}/orders", w.profile.id)>{i18n.t(Key::CompanyOrdersTitle)}</a>
                    <a class="btn btn-ghost btn-small" href=format!("/companies/{}/plans", w.profile.id)>{i18n.t(Key::PlansTitle)}</a>
                    <a class="btn btn-ghost btn-small" href=format!("/companies/{}/complaints", w.profile.id)>{i18n.t(Key::ComplaintsTitle)}</a>
                })}
                <a class="btn btn-secondary btn-small" href="/estates">{i18n.t(Key::EstatesTitle)}</a>
            </p>
            <h2>{i18n.t(Key::CompanyEstates)}</h2>
            {no_estates.then(|| view! { <p class="empty">{i18n.t(Key::CompanyNoEstates)}</p> })}
            <ul>{estates}</ul>
        </section>
    }
}

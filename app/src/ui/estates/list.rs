//! The estates in the caller's scope, filtered by the grid (street,
//! community); managers add an estate their company has taken over.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::takeover_state_label;
use crate::api::estates::{CreateEstate, list_estates};
use crate::domain::estates::EstateDirectory;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Badge, Loaded, TextField, Tone, field_error, form_error, go};

#[component]
pub fn EstatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let number = move |name: &str| {
        query.with(|q| q.get(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
    };
    let directory = Resource::new_blocking(
        move || (number("street"), number("community")),
        |(street, community)| list_estates(street, community),
    );
    view! {
        <Title text=i18n.t(Key::EstatesTitle) />
        <h1>{i18n.t(Key::EstatesTitle)}</h1>
        <Loaded resource=directory view=move |d| view! { <Directory d street=number("street") community=number("community") /> } />
    }
}

#[component]
fn Directory(d: EstateDirectory, street: i64, community: i64) -> impl IntoView {
    let i18n = use_i18n();
    let streets = d
        .streets
        .iter()
        .map(|(id, name)| {
            view! { <option value=id.0 selected=id.0 == street>{i18n.name(name)}</option> }
        })
        .collect_view();
    let communities = d
        .communities
        .iter()
        .filter(|(_, s, _)| street == 0 || s.0 == street)
        .map(|(id, _, name)| {
            view! { <option value=id.0 selected=id.0 == community>{i18n.name(name)}</option> }
        })
        .collect_view();
    let rows = d
        .estates
        .iter()
        .map(|e| {
            let takeover = e.takeover.map(|(state, date)| {
                format!("{} · {}", i18n.t(takeover_state_label(state)), i18n.date(date))
            });
            let chair = e.chair.as_ref().map(|(name, party)| {
                view! {
                    {name.clone()}
                    {party.then(|| view! { " " <Badge tone=Tone::Danger>{i18n.t(Key::CommitteePartyMember)}</Badge> })}
                }
            });
            view! {
                <tr data-testid="estate-row">
                    <td data-label=i18n.t(Key::EstateNameLabel)><a href=format!("/estates/{}", e.id)>{i18n.name(&e.name)}</a></td>
                    <td data-label=i18n.t(Key::EstateCommunity)>{i18n.name(&e.community)}</td>
                    <td data-label=i18n.t(Key::EstateCompany)>{e.company.as_ref().map(|c| i18n.name(c)).unwrap_or_default()}</td>
                    <td data-label=i18n.t(Key::EstateStatHouseholds) class="num">{e.households}</td>
                    <td data-label=i18n.t(Key::EstateStatVacant) class="num">{e.vacant}</td>
                    <td data-label=i18n.t(Key::TakeoverTitle)>{takeover}</td>
                    <td data-label=i18n.t(Key::CommitteeChair)>{chair}</td>
                    <td data-label=i18n.t(Key::EstateGridWorker)>{e.grid_worker.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let total: u32 = d.estates.iter().map(|e| e.households).sum();
    let summary = i18n.fill(
        Key::EstatesSummary,
        &[
            ("estates", &d.estates.len().to_string()),
            ("households", &total.to_string()),
        ],
    );
    let add = d
        .can_add_for
        .map(|company| view! { <NewEstate company=company.0 /> });
    view! {
        <form method="get" action="/estates" class="filters form-row" aria-label=i18n.t(Key::EstatesFilter)>
            <div class="field">
                <label for="filter-street">{i18n.t(Key::EstatesStreet)}</label>
                <select id="filter-street" name="street">
                    <option value="0">{i18n.t(Key::AuditAll)}</option>
                    {streets}
                </select>
            </div>
            <div class="field">
                <label for="filter-community">{i18n.t(Key::EstateCommunity)}</label>
                <select id="filter-community" name="community">
                    <option value="0">{i18n.t(Key::AuditAll)}</option>
                    {communities}
                </select>
            </div>
            <button type="submit" class="btn btn-secondary">{i18n.t(Key::AuditApply)}</button>
        </form>
        <p class="lead" data-testid="estates-summary">{summary}</p>
        <table class="table table-cards">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::EstateNameLabel)}</th>
                    <th scope="col">{i18n.t(Key::EstateCommunity)}</th>
                    <th scope="col">{i18n.t(Key::EstateCompany)}</th>
                    <th scope="col">{i18n.t(Key::EstateStatHouseholds)}</th>
                    <th scope="col">{i18n.t(Key::EstateStatVacant)}</th>
                    <th scope="col">{i18n.t(Key::TakeoverTitle)}</th>
                    <th scope="col">{i18n.t(Key::CommitteeChair)}</th>
                    <th scope="col">{i18n.t(Key::EstateGridWorker)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {add}
    }
}

/// A manager records an estate their company took over, then its takeover
/// record on the estate's page.
#[component]
fn NewEstate(company: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateEstate>::new();
    let v = action.value();
    Effect::new(move |_| {
        if let Some(Ok(id)) = v.get() {
            go(&format!("/estates/{id}"));
        }
    });
    view! {
        <section class="panel" aria-labelledby="new-estate-title">
            <h2 id="new-estate-title">{i18n.t(Key::EstateAdd)}</h2>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="company" value=company />
                <TextField name="name" id="new-estate-name" label=Key::EstateNameLabel required=true error=field_error(v, "name") />
                <TextField name="name_en" id="new-estate-name-en" label=Key::OrgNameEnLabel error=field_error(v, "name_en") />
                <TextField name="address" id="new-estate-address" label=Key::HouseholdAddress error=field_error(v, "address") />
                <TextField name="grid_worker" id="new-estate-grid-worker" label=Key::EstateGridWorker error=field_error(v, "grid_worker") />
                <TextField name="grid_worker_phone" id="new-estate-grid-worker-phone" input_type="tel" label=Key::EstateGridWorkerPhone error=field_error(v, "grid_worker_phone") />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::EstateAdd)}</button>
            </ActionForm>
        </section>
    }
}

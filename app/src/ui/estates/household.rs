//! A household: where it is, its floor area and vacancy, who lives there and
//! who lived there; the company's managers edit it here.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{choices, relation_label, route_id};
use crate::api::AppError;
use crate::api::estates::{AddResident, MoveOutResident, UpdateHousehold, get_household};
use crate::domain::estates::{HouseholdView, Relation, ResidentLine};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, CheckField, Loaded, Refresh, SelectField, TextField, Tone, field_error, form_error,
    refresh_on_success,
};

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let household = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
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
    let area = h
        .floor_area
        .map(|a| i18n.fill(Key::AreaValue, &[("area", &a.to_string())]))
        .unwrap_or_else(|| i18n.t(Key::AreaUnknown).to_owned());
    let can_manage = h.can_manage;
    let residents = resident_table(&h.residents, can_manage);
    let former = (!h.former_residents.is_empty()).then(|| {
        let table = resident_table(&h.former_residents, false);
        view! {
            <details class="history">
                <summary>{i18n.t(Key::HouseholdFormerResidents)}</summary>
                {table}
            </details>
        }
    });
    let manage = can_manage.then(|| view! { <ManageHousehold h=h.clone() /> });
    view! {
        <Title text=title.clone() />
        <section class="panel" aria-labelledby="household-title" data-testid="household">
            <p class="eyebrow">{i18n.t(Key::HouseholdTitle)}</p>
            <h1 id="household-title">{title}</h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::HouseholdAddress)}</dt>
                <dd>{h.address.clone()}</dd>
                <dt>{i18n.t(Key::HouseholdArea)}</dt>
                <dd data-testid="household-area">{area}</dd>
                <dt>{i18n.t(Key::HouseholdOccupancy)}</dt>
                <dd>
                    {if h.vacant {
                        view! { <Badge tone=Tone::Neutral>{i18n.t(Key::HouseholdVacant)}</Badge> }.into_any()
                    } else {
                        i18n.t(Key::HouseholdOccupied).into_any()
                    }}
                </dd>
                {company}
            </dl>
            <p class="tools">
                {h.can_book.then(|| view! {
                    <a class="btn btn-primary btn-small" href=format!("/households/{}/book", h.id) data-testid="book-link">{i18n.t(Key::BookTitle)}</a>
                })}
                {h.can_see_orders.then(|| view! {
                    <a class="btn btn-secondary btn-small" href=format!("/households/{}/orders", h.id)>{i18n.t(Key::OrdersTitle)}</a>
                })}
                {h.can_order_volunteer.then(|| view! {
                    <a class="btn btn-secondary btn-small" href=format!("/households/{}/volunteer", h.id) data-testid="volunteer-link">{i18n.t(Key::NavVolunteer)}</a>
                })}
                <a class="btn btn-ghost btn-small" href=format!("/households/{}/prices", h.id)>{i18n.t(Key::PriceListTitle)}</a>
                <a class="btn btn-ghost btn-small" href=format!("/estates/{}/notices", h.estate_id) data-testid="notices-link">{i18n.t(Key::AccountsNoticesTitle)}</a>
                <a class="btn btn-ghost btn-small" href=format!("/estates/{}", h.estate_id)>{i18n.t(Key::HouseholdToEstate)}</a>
            </p>
        </section>
        <section class="panel" aria-labelledby="residents-title">
            <h2 id="residents-title">{i18n.t(Key::HouseholdResidents)}</h2>
            {residents}
            {former}
        </section>
        {manage}
    }
}

fn resident_table(list: &[ResidentLine], can_move_out: bool) -> impl IntoView + use<> {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p class="empty">{i18n.t(Key::HouseholdNoResidents)}</p> }.into_any();
    }
    let rows = list
        .iter()
        .map(|r| {
            let id = r.id.0;
            let moved = r.moved_out_on.map(|d| i18n.date(d));
            view! {
                <tr data-testid="resident">
                    <td data-label=i18n.t(Key::ResidentName)>
                        {r.name.clone()}
                        {r.has_account.then(|| view! { " " <Badge tone=Tone::Info>{i18n.t(Key::ResidentHasAccount)}</Badge> })}
                    </td>
                    <td data-label=i18n.t(Key::ResidentRelation)>{i18n.t(relation_label(r.relation))}</td>
                    <td data-label=i18n.t(Key::ResidentPhone)>{r.phone.clone()}</td>
                    <td data-label=i18n.t(Key::ResidentMovedOut)>{moved}</td>
                    {can_move_out.then(|| view! { <td class="actions"><MoveOutButton id /></td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table-cards">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::ResidentName)}</th>
                    <th scope="col">{i18n.t(Key::ResidentRelation)}</th>
                    <th scope="col">{i18n.t(Key::ResidentPhone)}</th>
                    <th scope="col">{i18n.t(Key::ResidentMovedOut)}</th>
                    {can_move_out.then(|| view! { <th scope="col"><span class="visually-hidden">{i18n.t(Key::CommonActions)}</span></th> })}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn MoveOutButton(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<MoveOutResident>::new();
    refresh_on_success(action.value());
    view! {
        <button
            type="button"
            class="btn btn-ghost btn-small"
            on:click=move |_| {
                action.dispatch(MoveOutResident { resident: id });
            }
        >
            {i18n.t(Key::ResidentMoveOut)}
        </button>
        {form_error(action.value())}
    }
}

/// The manager's forms: area and vacancy, and a new resident.
#[component]
fn ManageHousehold(h: HouseholdView) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateHousehold>::new();
    let add = ServerAction::<AddResident>::new();
    refresh_on_success(update.value());
    refresh_on_success(add.value());
    let (uv, av) = (update.value(), add.value());
    let area = RwSignal::new(h.floor_area.map(|a| a.to_string()).unwrap_or_default());
    view! {
        <section class="panel" aria-labelledby="manage-household-title">
            <h2 id="manage-household-title">{i18n.t(Key::HouseholdManage)}</h2>
            <ActionForm action=update attr:class="form form-row">
                <input type="hidden" name="household" value=h.id.0 />
                <TextField name="floor_area" label=Key::HouseholdAreaLabel value=area hint=Key::HouseholdAreaHint error=field_error(uv, "floor_area") />
                <CheckField name="vacant" label=Key::HouseholdVacantLabel checked=h.vacant />
                {form_error(uv)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
            <h3>{i18n.t(Key::ResidentAdd)}</h3>
            <ActionForm action=add attr:class="form form-row">
                <input type="hidden" name="household" value=h.id.0 />
                <TextField name="name" id="resident-name" label=Key::ResidentName required=true error=field_error(av, "name") />
                <TextField name="phone" id="resident-phone" label=Key::ResidentPhone input_type="tel" error=field_error(av, "phone") />
                <SelectField name="relation" id="resident-relation" label=Key::ResidentRelation options=choices(Relation::ALL, Relation::code, relation_label) error=field_error(av, "relation") />
                {form_error(av)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::ResidentAdd)}</button>
            </ActionForm>
        </section>
    }
}

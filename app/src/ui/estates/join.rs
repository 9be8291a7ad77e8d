//! Self-registration: the printable QR poster for the estate's notice board,
//! and the phone page behind it where a resident asks to be linked to their
//! household.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{choices, relation_label, route_id};
use crate::api::AppError;
use crate::api::estates::{RenewPoster, SubmitRegistration, get_join_page, get_poster};
use crate::domain::estates::{JoinPage as JoinData, JoinPoster, Relation};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Loaded, Refresh, SelectField, TextField, field_error, form_error, print_page,
    refresh_on_success,
};

#[component]
pub fn PosterPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let poster = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_poster(id).await.map(|p| (id, p)),
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=poster view=|(id, p)| view! { <Poster id p /> } /> }
}

#[component]
fn Poster(id: i64, p: JoinPoster) -> impl IntoView {
    let i18n = use_i18n();
    let renew = ServerAction::<RenewPoster>::new();
    refresh_on_success(renew.value());
    let name = i18n.name(&p.estate);
    view! {
        <Title text=format!("{} · {}", name, i18n.t(Key::PosterTitle)) />
        <p class="no-print">
            <a href=format!("/estates/{id}")>{name.clone()}</a>
            " · "
            <button type="button" class="btn btn-primary btn-small" on:click=move |_| print_page()>{i18n.t(Key::PosterPrint)}</button>
        </p>
        <article class="poster" data-testid="poster">
            <p class="poster-company">{p.company.as_ref().map(|c| i18n.name(c))}</p>
            <h1>{name}</h1>
            <p class="poster-call">{i18n.t(Key::PosterCall)}</p>
            <div class="poster-qr" inner_html=p.svg.clone()></div>
            <p class="poster-steps">{i18n.t(Key::PosterSteps)}</p>
            <p class="poster-url" data-testid="poster-url">{p.url.clone()}</p>
        </article>
        <details class="inline-form no-print">
            <summary class="btn btn-ghost btn-small">{i18n.t(Key::PosterRenew)}</summary>
            <p>{i18n.t(Key::PosterRenewWhy)}</p>
            <button
                type="button"
                class="btn btn-danger btn-small"
                on:click=move |_| {
                    renew.dispatch(RenewPoster { estate: id });
                }
            >
                {i18n.t(Key::PosterRenew)}
            </button>
            {form_error(renew.value())}
        </details>
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let page = Resource::new_blocking(
        move || token.clone(),
        |token| async move { get_join_page(token.clone()).await.map(|p| (token, p)) },
    );
    view! { <Loaded resource=page view=|(token, p)| view! { <Join token p /> } /> }
}

#[component]
fn Join(token: String, p: JoinData) -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitRegistration>::new();
    let v = submit.value();
    let name = i18n.name(&p.estate);
    let mut buildings: Vec<String> = Vec::new();
    for (_, b, _, _) in &p.households {
        if !buildings.contains(b) {
            buildings.push(b.clone());
        }
    }
    let building = RwSignal::new(buildings.first().cloned().unwrap_or_default());
    let households = StoredValue::new(p.households.clone());
    let rooms = move || {
        let chosen = building.get();
        households.with_value(|all| {
            all.iter()
                .filter(|(_, b, _, _)| *b == chosen)
                .map(|(id, _, unit, room)| view! { <option value=id.0>{format!("{unit}{room}")}</option> })
                .collect_view()
        })
    };
    let buildings = StoredValue::new(buildings);
    let token = StoredValue::new(token);
    let household_error = field_error(v, "household");
    let done = move || matches!(v.get(), Some(Ok(())));
    view! {
        <Title text=format!("{} · {}", name, i18n.t(Key::JoinTitle)) />
        <section class="panel panel-narrow" aria-labelledby="join-title" data-testid="join">
            <p class="eyebrow">{p.company.as_ref().map(|c| i18n.name(c))}</p>
            <h1 id="join-title">{name.clone()} " · " {i18n.t(Key::JoinTitle)}</h1>
            <p class="lead">{i18n.t(Key::JoinIntro)}</p>
            <Show
                when=done
                fallback=move || {
                    let building_options = buildings.with_value(|all| {
                        all.iter()
                            .map(|b| view! { <option value=b.clone()>{b.clone()}</option> })
                            .collect_view()
                    });
                    view! {
                        <ActionForm action=submit attr:class="form">
                            <input type="hidden" name="token" value=token.get_value() />
                            <input type="hidden" name="lang" value=i18n.lang.tag() />
                            <div class="field">
                                <label for="join-building">{i18n.t(Key::BuildingName)}</label>
                                <select id="join-building" on:change=move |ev| building.set(event_target_value(&ev))>
                                    {building_options}
                                </select>
                            </div>
                            <div class="field" class:field-invalid=move || household_error.get().is_some()>
                                <label for="join-household">{i18n.t(Key::JoinRoom)}</label>
                                <select id="join-household" name="household">{rooms}</select>
                                <p class="field-error" role="alert">{move || household_error.get().map(|k| i18n.t(k))}</p>
                            </div>
                            <TextField name="name" id="join-name" label=Key::ResidentName required=true autocomplete="name" error=field_error(v, "name") />
                            <TextField name="phone" id="join-phone" label=Key::ResidentPhone input_type="tel" required=true autocomplete="tel" error=field_error(v, "phone") />
                            <TextField name="email" id="join-email" label=Key::JoinEmail input_type="email" required=true autocomplete="email" hint=Key::JoinEmailHint error=field_error(v, "email") />
                            <SelectField name="relation" id="join-relation" label=Key::ResidentRelation options=choices(Relation::ALL, Relation::code, relation_label) error=field_error(v, "relation") />
                            <TextField name="password" id="join-password" label=Key::JoinPassword input_type="password" required=true autocomplete="new-password" hint=Key::JoinPasswordHint error=field_error(v, "password") />
                            {form_error(v)}
                            <button type="submit" class="btn btn-primary">{i18n.t(Key::JoinSubmit)}</button>
                        </ActionForm>
                    }
                }
            >
                <p class="notice notice-success" role="status" data-testid="join-done">{i18n.t(Key::JoinDone)}</p>
            </Show>
        </section>
    }
}

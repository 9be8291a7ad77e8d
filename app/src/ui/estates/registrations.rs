//! The manager's queue of self-registrations: approve, or reject with a
//! reason; the resident is told by mail either way.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{registration_status_label, relation_label, route_id};
use crate::api::AppError;
use crate::api::estates::{DecideRegistration, list_registrations};
use crate::domain::estates::{RegistrationStatus, RegistrationView};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, Refresh, TextField, Tone, field_error, form_error, refresh_on_success,
};

#[component]
pub fn RegistrationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_id();
    let version = Refresh::provide();
    let list = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => list_registrations(id).await.map(|l| (id, l)),
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=i18n.t(Key::RegistrationsTitle) />
        <Loaded resource=list view=|(id, list)| view! { <Registrations estate=id list /> } />
    }
}

#[component]
fn Registrations(estate: i64, list: Vec<RegistrationView>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = list.is_empty();
    let rows = list
        .into_iter()
        .map(|r| view! { <Registration r /> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="registrations-title">
            <p class="eyebrow"><a href=format!("/estates/{estate}")>{i18n.t(Key::ImportBack)}</a></p>
            <h1 id="registrations-title">{i18n.t(Key::RegistrationsTitle)}</h1>
            <p class="lead">{i18n.t(Key::RegistrationsIntro)}</p>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::RegistrationsEmpty)}</p> })}
            <ul class="cards">{rows}</ul>
        </section>
    }
}

#[component]
fn Registration(r: RegistrationView) -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideRegistration>::new();
    refresh_on_success(decide.value());
    let v = decide.value();
    let id = r.id.0;
    let household = format!("{}{}{}", r.building, r.unit, r.room);
    let tone = match r.status {
        RegistrationStatus::Pending => Tone::Warning,
        RegistrationStatus::Approved => Tone::Success,
        RegistrationStatus::Rejected => Tone::Neutral,
    };
    let controls = (r.status == RegistrationStatus::Pending).then(|| {
        view! {
            <div class="form-row">
                <ActionForm action=decide attr:class="form-inline">
                    <input type="hidden" name="registration" value=id />
                    <input type="hidden" name="decision" value="approve" />
                    <input type="hidden" name="reason" value="" />
                    <button type="submit" class="btn btn-primary btn-small">{i18n.t(Key::RegistrationApprove)}</button>
                </ActionForm>
                <details class="inline-form">
                    <summary class="btn btn-ghost btn-small">{i18n.t(Key::RegistrationReject)}</summary>
                    <ActionForm action=decide attr:class="form">
                        <input type="hidden" name="registration" value=id />
                        <input type="hidden" name="decision" value="reject" />
                        <TextField name="reason" id=format!("reason-{id}") label=Key::RegistrationReason error=field_error(v, "reason") />
                        <button type="submit" class="btn btn-danger btn-small">{i18n.t(Key::RegistrationReject)}</button>
                    </ActionForm>
                </details>
                {form_error(v)}
            </div>
        }
    });
    view! {
        <li class="card" data-testid="registration">
            <p>
                <strong>{r.name.clone()}</strong> " · " {household} " · "
                {i18n.t(relation_label(r.relation))} " "
                <Badge tone>{i18n.t(registration_status_label(r.status))}</Badge>
                {r.existing_account.then(|| view! { " " <Badge tone=Tone::Info>{i18n.t(Key::ResidentHasAccount)}</Badge> })}
            </p>
            <p class="muted">{r.phone.clone()} " · " {r.email.clone()} " · " {i18n.date(crate::domain::time::china_date(r.created_at))}</p>
            {(!r.reason.is_empty()).then(|| view! { <p>{i18n.t(Key::RegistrationReason)} ": " {r.reason.clone()}</p> })}
            {controls}
        </li>
    }
}

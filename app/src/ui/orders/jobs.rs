//! A staff member's jobs of one day on a phone: in order, with the address
//! and the resident's notes, and start and finish buttons.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::orders::{FinishOrder, TakeOrderStep, get_staff_day};
use crate::domain::orders::{OrderLine, OrderState, StaffDay};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, Refresh, TextArea, field_error, form_error, refresh_on_success,
};

use super::{address_text, state_label, state_tone};

#[component]
pub fn JobsPage() -> impl IntoView {
    let query = use_query_map();
    let version = Refresh::provide();
    let jobs = Resource::new_blocking(
        move || {
            (
                query.with(|q| q.get("day").unwrap_or_default()),
                version.get(),
            )
        },
        |(day, _)| get_staff_day(day),
    );
    view! { <Loaded resource=jobs view=|d| view! { <Jobs d /> } /> }
}

#[component]
fn Jobs(d: StaffDay) -> impl IntoView {
    let i18n = use_i18n();
    let day_link = |offset: i64| {
        let day = d.day + chrono::Duration::days(offset);
        format!("/jobs?day={}", day.format("%Y-%m-%d"))
    };
    let (prev, next) = (day_link(-1), day_link(1));
    let empty = d.jobs.is_empty();
    let jobs = d
        .jobs
        .into_iter()
        .map(|j| view! { <Job j /> })
        .collect_view();
    view! {
        <Title text=i18n.t(Key::JobsTitle) />
        <section class="panel jobs" aria-labelledby="jobs-title">
            <p class="eyebrow">{d.name.clone()}</p>
            <h1 id="jobs-title">{i18n.t(Key::JobsTitle)} " · " {i18n.date(d.day)}</h1>
            <p class="tools">
                <a class="btn btn-ghost btn-small" href=prev>{i18n.t(Key::JobsPrevDay)}</a>
                <a class="btn btn-ghost btn-small" href="/jobs">{i18n.t(Key::JobsToday)}</a>
                <a class="btn btn-ghost btn-small" href=next>{i18n.t(Key::JobsNextDay)}</a>
            </p>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::JobsNone)}</p> })}
            <ol class="job-list plain-list">{jobs}</ol>
        </section>
    }
}

#[component]
fn Job(j: OrderLine) -> impl IntoView {
    let i18n = use_i18n();
    let order = j.id.0;
    let action = match j.state {
        OrderState::Scheduled => view! { <StartButton order /> }.into_any(),
        OrderState::InProgress => view! { <FinishForm order /> }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <li class="job-card" data-testid="job" data-state=j.state.code()>
            <p class="job-time">
                <strong>{format!("{}–{}", j.slot.start.format("%H:%M"), j.slot.end.format("%H:%M"))}</strong> " "
                <Badge tone=state_tone(j.state)>{i18n.t(state_label(j.state))}</Badge>
            </p>
            <p class="job-what"><a href=format!("/orders/{order}")>{i18n.name(&j.service)}</a></p>
            <p class="job-where">{address_text(i18n, &j.address)}</p>
            {(!j.notes.is_empty()).then(|| view! { <blockquote class="comment">{j.notes.clone()}</blockquote> })}
            {action}
        </li>
    }
}

#[component]
fn StartButton(order: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<TakeOrderStep>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="order" value=order />
            <input type="hidden" name="step" value="start" />
            <input type="hidden" name="comment" value="" />
            {form_error(v)}
            <button type="submit" class="btn btn-primary btn-block">{i18n.t(Key::OrderStepStart)}</button>
        </ActionForm>
    }
}

#[component]
fn FinishForm(order: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<FinishOrder>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="order" value=order />
            <TextArea name="materials" id=format!("materials-{order}") label=Key::OrderMaterials error=field_error(v, "materials") />
            {form_error(v)}
            <button type="submit" class="btn btn-primary btn-block">{i18n.t(Key::OrderStepFinish)}</button>
        </ActionForm>
    }
}

//! The company's orders for the manager (unanswered, overdue, today's) and
//! its complaints with the answer forms.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::orders::{AnswerComplaint, get_company_orders, get_complaints};
use crate::domain::orders::{CompanyComplaints, CompanyOrders, ComplaintView, OrderState};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Loaded, Refresh, TextArea, field_error, form_error, refresh_on_success, route_id,
};

use super::OrderList;
use super::household::ComplaintList;

/// Which orders the list shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Unassigned,
    Overdue,
    Disputed,
}

#[component]
pub fn CompanyOrdersPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let orders = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_company_orders(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=orders view=|c| view! { <Orders c /> } /> }
}

#[component]
fn Orders(c: CompanyOrders) -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new(Filter::All);
    let company = c.company.0;
    let all = StoredValue::new(c.orders.clone());
    let shown = move || {
        let f = filter.get();
        all.with_value(|orders| {
            orders
                .iter()
                .filter(|o| match f {
                    Filter::All => true,
                    Filter::Unassigned => o.state == OrderState::Requested,
                    Filter::Overdue => o.overdue,
                    Filter::Disputed => o.state == OrderState::Disputed,
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let button = move |f: Filter, label: Key, count: Option<usize>| {
        view! {
            <button type="button" class="btn btn-small"
                class:btn-primary=move || filter.get() == f
                class:btn-ghost=move || filter.get() != f
                aria-pressed=move || (filter.get() == f).to_string()
                on:click=move |_| filter.set(f)>
                {i18n.t(label)} {count.map(|n| format!(" ({n})"))}
            </button>
        }
    };
    let disputed = c
        .orders
        .iter()
        .filter(|o| o.state == OrderState::Disputed)
        .count();
    view! {
        <Title text=i18n.t(Key::CompanyOrdersTitle) />
        <section class="panel" aria-labelledby="company-orders-title">
            <p class="eyebrow"><a href=format!("/companies/{company}")>{i18n.name(&c.company_name)}</a></p>
            <h1 id="company-orders-title">{i18n.t(Key::CompanyOrdersTitle)}</h1>
            <div class="stats" data-testid="order-stats">
                <p class="stat"><span class="stat-value" data-testid="unassigned-count">{c.unassigned}</span><span class="stat-label">{i18n.t(Key::CompanyOrdersUnassigned)}</span></p>
                <p class="stat"><span class="stat-value" data-testid="overdue-count">{c.overdue}</span><span class="stat-label">{i18n.t(Key::OrderOverdue)}</span></p>
                <a class="stat" href=format!("/companies/{company}/complaints")><span class="stat-value" data-testid="open-complaints">{c.open_complaints}</span><span class="stat-label">{i18n.t(Key::CompanyOrdersOpenComplaints)}</span></a>
            </div>
            <p class="tools">
                <a class="btn btn-primary btn-small" href=format!("/companies/{company}/schedule")>{i18n.t(Key::ScheduleTitle)}</a>
                <a class="btn btn-secondary btn-small" href=format!("/companies/{company}/plans")>{i18n.t(Key::PlansTitle)}</a>
                <a class="btn btn-ghost btn-small" href=format!("/companies/{company}/complaints")>{i18n.t(Key::ComplaintsTitle)}</a>
            </p>
            <div class="filters-row" role="group" aria-label=i18n.t(Key::CompanyOrdersFilter)>
                {button(Filter::All, Key::CompanyOrdersAll, None)}
                {button(Filter::Unassigned, Key::CompanyOrdersUnassigned, Some(c.unassigned))}
                {button(Filter::Overdue, Key::OrderOverdue, Some(c.overdue))}
                {button(Filter::Disputed, Key::OrderStateDisputed, Some(disputed))}
            </div>
            <p class="muted">{i18n.t(Key::CompanyOrdersHint)}</p>
            {move || view! { <OrderList orders=shown() /> }}
        </section>
    }
}

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let complaints = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_complaints(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=complaints view=|c| view! { <Complaints c /> } /> }
}

#[component]
fn Complaints(c: CompanyComplaints) -> impl IntoView {
    let i18n = use_i18n();
    let company = c.company.0;
    let can_answer = c.can_answer;
    let (open, answered): (Vec<ComplaintView>, Vec<ComplaintView>) =
        c.complaints.into_iter().partition(|c| c.answer.is_none());
    let open_count = open.len();
    let open_items = open
        .into_iter()
        .map(|c| {
            let id = c.id.0;
            view! {
                <div class="complaint-open">
                    <ComplaintList complaints=vec![c] />
                    {can_answer.then(|| view! { <AnswerForm complaint=id /> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <Title text=i18n.t(Key::ComplaintsTitle) />
        <section class="panel" aria-labelledby="complaints-title">
            <p class="eyebrow"><a href=format!("/companies/{company}/orders")>{i18n.t(Key::CompanyOrdersTitle)}</a></p>
            <h1 id="complaints-title">{i18n.t(Key::ComplaintsTitle)}</h1>
            <h2>{i18n.fill(Key::ComplaintsOpenN, &[("n", &open_count.to_string())])}</h2>
            {(open_count == 0).then(|| view! { <p class="empty">{i18n.t(Key::ComplaintsNoneOpen)}</p> })}
            {open_items}
            <h2>{i18n.t(Key::ComplaintAnswered)}</h2>
            <ComplaintList complaints=answered />
        </section>
    }
}

#[component]
fn AnswerForm(complaint: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AnswerComplaint>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="complaint" value=complaint />
            <TextArea name="answer" id=format!("answer-{complaint}") label=Key::ComplaintAnswer error=field_error(v, "answer") />
            {form_error(v)}
            <button type="submit" class="btn btn-primary">{i18n.t(Key::ComplaintSendAnswer)}</button>
        </ActionForm>
    }
}

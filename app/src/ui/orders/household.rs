//! A household's orders, upcoming and past, its complaints, and a complaint
//! about the estate.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::orders::{FileComplaint, get_household_orders};
use crate::domain::orders::{ComplaintView, HouseholdOrders};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, Refresh, TextArea, Tone, field_error, form_error, refresh_on_success, route_id,
};

use super::{OrderList, address_text};

#[component]
pub fn HouseholdOrdersPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let orders = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_household_orders(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=orders view=|h| view! { <Orders h /> } /> }
}

#[component]
fn Orders(h: HouseholdOrders) -> impl IntoView {
    let i18n = use_i18n();
    let household = h.household.0;
    view! {
        <Title text=i18n.t(Key::OrdersTitle) />
        <section class="panel" aria-labelledby="orders-title">
            <p class="eyebrow"><a href=format!("/households/{household}")>{address_text(i18n, &h.address)}</a></p>
            <h1 id="orders-title">{i18n.t(Key::OrdersTitle)}</h1>
            {h.can_book.then(|| view! {
                <p class="tools">
                    <a class="btn btn-primary" href=format!("/households/{household}/book")>{i18n.t(Key::BookTitle)}</a>
                </p>
            })}
            <h2>{i18n.t(Key::OrdersUpcoming)}</h2>
            <div data-testid="orders-upcoming"><OrderList orders=h.upcoming empty=Key::OrdersNoneUpcoming /></div>
            <h2>{i18n.t(Key::OrdersPast)}</h2>
            <div data-testid="orders-past"><OrderList orders=h.past /></div>
        </section>
        <section class="panel" aria-labelledby="complaints-title">
            <h2 id="complaints-title">{i18n.t(Key::ComplaintsTitle)}</h2>
            <ComplaintList complaints=h.complaints />
            {h.can_complain.then(|| view! { <ComplaintForm household order=0 /> })}
        </section>
    }
}

/// Complaints with their answers; open ones flagged.
#[component]
pub fn ComplaintList(complaints: Vec<ComplaintView>) -> impl IntoView {
    let i18n = use_i18n();
    if complaints.is_empty() {
        return view! { <p class="empty">{i18n.t(Key::ComplaintsNone)}</p> }.into_any();
    }
    complaints
        .into_iter()
        .map(|c| {
            let when = crate::domain::time::to_china(c.filed_at);
            let about = match (c.order, &c.household) {
                (Some(o), _) => view! { <a href=format!("/orders/{o}")>{i18n.fill(Key::ComplaintAboutOrder, &[("id", &o.to_string())])}</a> }.into_any(),
                (None, Some(h)) => view! { <span>{format!("{} · {}", i18n.name(&c.estate), h)}</span> }.into_any(),
                (None, None) => view! { <span>{i18n.name(&c.estate)}</span> }.into_any(),
            };
            let answered = c.answer.is_some();
            view! {
                <article class="complaint" data-testid="complaint" data-answered=answered.to_string()>
                    <p class="muted">
                        {i18n.date(when.date())} " " {when.format("%H:%M").to_string()} " · "
                        <strong>{c.filed_by.clone()}</strong> " · " {about} " "
                        {if answered {
                            view! { <Badge tone=Tone::Success>{i18n.t(Key::ComplaintAnswered)}</Badge> }.into_any()
                        } else {
                            view! { <Badge tone=Tone::Warning>{i18n.t(Key::ComplaintOpen)}</Badge> }.into_any()
                        }}
                    </p>
                    <blockquote class="comment">{c.body.clone()}</blockquote>
                    {c.answer.clone().map(|a| view! {
                        <p class="complaint-answer" data-testid="complaint-answer">
                            <strong>{c.answered_by.clone().unwrap_or_default()}</strong> ": " {a}
                        </p>
                    })}
                </article>
            }
        })
        .collect_view()
        .into_any()
}

/// A resident's complaint: about one order (`order` > 0) or the estate.
#[component]
pub fn ComplaintForm(household: i64, order: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<FileComplaint>::new();
    refresh_on_success(action.value());
    let v = action.value();
    let label = if order > 0 {
        Key::ComplaintAboutThisOrder
    } else {
        Key::ComplaintAboutEstate
    };
    view! {
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="household" value=household />
            <input type="hidden" name="order" value=order />
            <TextArea name="body" id=format!("complaint-body-{order}") label=label error=field_error(v, "body") />
            {form_error(v)}
            {move || matches!(v.get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{i18n.t(Key::ComplaintFiled)}</p> })}
            <button type="submit" class="btn btn-secondary">{i18n.t(Key::ComplaintFile)}</button>
        </ActionForm>
    }
}

//! Work orders on screen: the resident's booking and orders, one order with
//! its steps and history, the manager's orders, complaints and cleaning
//! plans, and the staff member's day on a phone.

mod book;
mod company;
mod household;
mod jobs;
mod order;
mod plans;

pub use book::BookingPage;
pub use company::{CompanyOrdersPage, ComplaintsPage};
pub use household::HouseholdOrdersPage;
pub use jobs::JobsPage;
pub use order::OrderPage;
pub use plans::PlansPage;

use leptos::prelude::*;

use crate::domain::orders::{BookingChannel, OrderLine, OrderState, OrderStep, Slot};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{Badge, MoneyText, Tone};

/// Monday first.
pub const WEEKDAY_KEYS: [Key; 7] = [
    Key::WeekdayMon,
    Key::WeekdayTue,
    Key::WeekdayWed,
    Key::WeekdayThu,
    Key::WeekdayFri,
    Key::WeekdaySat,
    Key::WeekdaySun,
];

pub fn state_label(s: OrderState) -> Key {
    match s {
        OrderState::Requested => Key::OrderStateRequested,
        OrderState::Scheduled => Key::OrderStateScheduled,
        OrderState::InProgress => Key::OrderStateInProgress,
        OrderState::Done => Key::OrderStateDone,
        OrderState::Confirmed => Key::OrderStateConfirmed,
        OrderState::Cancelled => Key::OrderStateCancelled,
        OrderState::Disputed => Key::OrderStateDisputed,
        OrderState::Resolved => Key::OrderStateResolved,
    }
}

pub fn state_tone(s: OrderState) -> Tone {
    match s {
        OrderState::Requested => Tone::Warning,
        OrderState::Scheduled | OrderState::InProgress => Tone::Info,
        OrderState::Done | OrderState::Confirmed | OrderState::Resolved => Tone::Success,
        OrderState::Disputed => Tone::Danger,
        OrderState::Cancelled => Tone::Neutral,
    }
}

pub fn step_label(s: OrderStep) -> Key {
    match s {
        OrderStep::Schedule => Key::OrderStepSchedule,
        OrderStep::Start => Key::OrderStepStart,
        OrderStep::Finish => Key::OrderStepFinish,
        OrderStep::Confirm => Key::OrderStepConfirm,
        OrderStep::Cancel => Key::OrderStepCancel,
        OrderStep::Dispute => Key::OrderStepDispute,
        OrderStep::Resolve => Key::OrderStepResolve,
    }
}

pub fn channel_label(c: BookingChannel) -> Key {
    match c {
        BookingChannel::App => Key::OrderChannelApp,
        BookingChannel::Phone => Key::OrderChannelPhone,
        BookingChannel::Plan => Key::OrderChannelPlan,
    }
}

/// "2026年11月28日 09:00–11:00".
pub fn slot_text(i18n: I18n, slot: &Slot) -> String {
    format!(
        "{} {}–{}",
        i18n.date(slot.start.date()),
        slot.start.format("%H:%M"),
        slot.end.format("%H:%M")
    )
}

/// "1单元 302 · 2栋 · 玉泉花园".
pub fn address_text(i18n: I18n, a: &crate::domain::orders::OrderAddress) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(b) = &a.building {
        parts.push(b.clone());
    }
    if let Some(r) = &a.room {
        parts.push(r.clone());
    }
    parts.push(i18n.name(&a.estate));
    parts.join(" · ")
}

/// The contract's cancellation rule in words.
pub fn cancellation_text(i18n: I18n, terms: &crate::domain::orders::CancellationTerms) -> String {
    let hours = terms.free_hours.to_string();
    if terms.late_fee_bp == 0 {
        i18n.fill(Key::BookCancelFree, &[("hours", &hours)])
    } else {
        let percent = rust_decimal::Decimal::new(i64::from(terms.late_fee_bp), 2)
            .normalize()
            .to_string();
        i18n.fill(
            Key::BookCancelRule,
            &[("hours", &hours), ("percent", &percent)],
        )
    }
}

/// Orders as cards: service, state, slot, address, staff, amount; overdue
/// ones flagged.
#[component]
pub fn OrderList(orders: Vec<OrderLine>, #[prop(optional)] empty: Option<Key>) -> impl IntoView {
    let i18n = use_i18n();
    if orders.is_empty() {
        return view! { <p class="empty">{i18n.t(empty.unwrap_or(Key::OrdersNone))}</p> }
            .into_any();
    }
    let items = orders
        .into_iter()
        .map(|o| {
            let overdue = o.overdue;
            view! {
                <li class="order-card" class:order-overdue=overdue data-testid="order-line" data-state=o.state.code()>
                    <a class="order-card-title" href=format!("/orders/{}", o.id)>{i18n.name(&o.service)}</a>
                    " " <Badge tone=state_tone(o.state)>{i18n.t(state_label(o.state))}</Badge>
                    {overdue.then(|| view! { " " <Badge tone=Tone::Danger>{i18n.t(Key::OrderOverdue)}</Badge> })}
                    <p class="order-card-when">{slot_text(i18n, &o.slot)}</p>
                    <p class="muted">{address_text(i18n, &o.address)}</p>
                    <p class="muted">
                        {match o.staff {
                            Some(s) => i18n.fill(Key::OrderStaffIs, &[("name", &s)]),
                            None => i18n.t(Key::OrderNoStaff).to_owned(),
                        }}
                        " · " {i18n.t(channel_label(o.channel))}
                        {(o.amount > crate::domain::Money::ZERO).then(|| view! { " · " <MoneyText money=o.amount /> })}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="order-list plain-list">{items}</ul> }.into_any()
}

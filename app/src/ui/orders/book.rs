//! Booking housekeeping from a phone: a service with its price against the
//! market, a day, one of the slots someone is free in, a note; the total and
//! the saving shown before confirming.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::orders::{BookHousekeeping, get_booking_page, get_free_slots};
use crate::domain::orders::{BookableService, BookingPage as Page, MAX_BOOKED_HOURS, order_amount};
use crate::domain::pricing::{BillingUnit, Saving};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Loaded, MoneyText, field_error, form_error, go, route_id};
use crate::ui::pricing::PriceAgainstMarket;

use super::address_text;

#[component]
pub fn BookingPage() -> impl IntoView {
    let id = route_id();
    let page = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_booking_page(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=page view=|p| view! { <BookingForm p /> } /> }
}

#[component]
fn BookingForm(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let household = p.household.0;
    let services = StoredValue::new(p.services.clone());
    let service = RwSignal::new(p.services.first().map(|s| s.id.0));
    let hours = RwSignal::new(2u32);
    let tomorrow = p.today.succ_opt().unwrap_or(p.today);
    let day = RwSignal::new(tomorrow.format("%Y-%m-%d").to_string());
    let start = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let token = p.form_token.clone();
    let chosen = move || -> Option<BookableService> {
        let id = service.get()?;
        services.with_value(|all| all.iter().find(|s| s.id.0 == id).cloned())
    };
    let hourly = move || chosen().is_some_and(|s| s.unit == BillingUnit::PerHour);
    let quantity = move || if hourly() { hours.get() } else { 1 };

    let slots = Resource::new(
        move || (service.get(), day.get(), quantity()),
        move |(service, day, hours)| async move {
            match service {
                Some(s) if !day.is_empty() => get_free_slots(household, s, day, hours).await,
                _ => Ok(Vec::new()),
            }
        },
    );
    // A new service, length or day means choosing the slot again.
    Effect::new(move |_| {
        let _ = (service.get(), day.get(), hours.get());
        start.set(String::new());
    });

    let book = ServerAction::<BookHousekeeping>::new();
    let v = book.value();
    Effect::new(move |_| {
        if let Some(Ok(booked)) = v.get() {
            go(&format!("/orders/{}?booked=1", booked.order));
        }
    });
    let pending = book.pending();

    let service_cards = p
        .services
        .iter()
        .map(|s| {
            let id = s.id.0;
            let input_id = format!("service-{id}");
            view! {
                <li class="choice-card">
                    <input type="radio" name="service_id" id=input_id.clone() value=id
                        checked=move || service.get() == Some(id)
                        on:change=move |_| service.set(Some(id)) />
                    <label for=input_id>
                        <strong>{i18n.name(&s.name)}</strong>
                        <PriceAgainstMarket quote=s.quote.clone() unit=s.unit />
                    </label>
                </li>
            }
        })
        .collect_view();

    let hour_options = move || {
        (1..=MAX_BOOKED_HOURS)
            .map(|h| view! { <option value=h selected=move || hours.get() == h>{i18n.fill(Key::BookHoursN, &[("n", &h.to_string())])}</option> })
            .collect_view()
    };

    let slot_choices = move || {
        slots.get().map(|r| match r {
            Ok(list) if list.is_empty() => {
                view! { <p class="empty" data-testid="no-slots">{i18n.t(Key::BookNoSlots)}</p> }
                    .into_any()
            }
            Ok(list) => list
                .into_iter()
                .map(|s| {
                    let value = s.start.format("%Y-%m-%dT%H:%M").to_string();
                    let input_id = format!("slot-{}", s.start.format("%H%M"));
                    let text = format!("{}–{}", s.start.format("%H:%M"), s.end.format("%H:%M"));
                    let v2 = value.clone();
                    view! {
                        <span class="slot-choice">
                            <input type="radio" name="start" id=input_id.clone() value=value.clone()
                                checked=move || start.get() == v2
                                on:change=move |_| start.set(value.clone()) />
                            <label for=input_id>{text}</label>
                        </span>
                    }
                })
                .collect_view()
                .into_any(),
            Err(e) => view! { <crate::ui::components::ErrorNotice error=e /> }.into_any(),
        })
    };

    let total = move || {
        chosen().map(|s| {
            let ours = order_amount(s.quote.ours, quantity());
            let market = order_amount(s.quote.market, quantity());
            (ours, market, Saving::of(ours, market))
        })
    };
    let summary = move || {
        total().map(|(ours, market, saving)| {
            view! {
                <dl class="pairs booking-total" data-testid="booking-total">
                    <dt>{i18n.t(Key::BookTotal)}</dt>
                    <dd><strong><MoneyText money=ours /></strong></dd>
                    <dt>{i18n.t(Key::PriceMarket)}</dt>
                    <dd><MoneyText money=market /></dd>
                    {saving.is_below_market().then(|| view! {
                        <dt>{i18n.t(Key::PriceSaving)}</dt>
                        <dd class="saving"><MoneyText money=saving.amount /> " (" {saving.percent.to_string()} "%)"</dd>
                    })}
                </dl>
            }
        })
    };
    let cancel_rule = super::cancellation_text(i18n, &p.cancellation);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        book.dispatch(BookHousekeeping {
            household,
            service_id: service.get_untracked().unwrap_or(0),
            start: start.get_untracked(),
            hours: quantity(),
            notes: notes.get_untracked(),
            form_token: token.clone(),
        });
    };
    let no_services = p.services.is_empty();
    let min = p.today.format("%Y-%m-%d").to_string();
    let max = p.last_day.format("%Y-%m-%d").to_string();
    view! {
        <Title text=i18n.t(Key::BookTitle) />
        <section class="panel booking" aria-labelledby="book-title">
            <p class="eyebrow"><a href=format!("/households/{household}")>{address_text(i18n, &p.address)}</a></p>
            <h1 id="book-title">{i18n.t(Key::BookTitle)}</h1>
            {p.on_behalf.then(|| view! { <p class="notice" data-testid="on-behalf">{i18n.t(Key::BookOnBehalf)}</p> })}
            {no_services.then(|| view! { <p class="empty">{i18n.t(Key::BookNoServices)}</p> })}
            <form class="form" on:submit=submit novalidate>
                <fieldset class="field">
                    <legend>{i18n.t(Key::BookService)}</legend>
                    <ul class="choice-list plain-list">{service_cards}</ul>
                    <p class="field-error" role="alert">{move || field_error(v, "service").get().map(|k| i18n.t(k))}</p>
                </fieldset>
                <Show when=hourly>
                    <div class="field">
                        <label for="book-hours">{i18n.t(Key::BookHours)}</label>
                        <select id="book-hours" name="hours" on:change=move |ev| {
                            hours.set(event_target_value(&ev).parse().unwrap_or(2));
                        }>{hour_options()}</select>
                        <p class="field-error" role="alert">{move || field_error(v, "hours").get().map(|k| i18n.t(k))}</p>
                    </div>
                </Show>
                <div class="field">
                    <label for="book-day">{i18n.t(Key::BookDay)}</label>
                    <input id="book-day" type="date" name="day" min=min max=max bind:value=day />
                </div>
                <fieldset class="field">
                    <legend>{i18n.t(Key::BookSlot)}</legend>
                    <div class="slot-list" data-testid="slots">
                        <Transition fallback=move || view! { <p class="muted">{i18n.t(Key::CommonLoading)}</p> }>
                            {slot_choices}
                        </Transition>
                    </div>
                    <p class="field-error" role="alert">{move || field_error(v, "start").get().map(|k| i18n.t(k))}</p>
                </fieldset>
                <div class="field">
                    <label for="book-notes">{i18n.t(Key::BookNotes)}</label>
                    <textarea id="book-notes" name="notes" rows="3" placeholder=i18n.t(Key::BookNotesHint) bind:value=notes></textarea>
                    <p class="field-error" role="alert">{move || field_error(v, "notes").get().map(|k| i18n.t(k))}</p>
                </div>
                {summary}
                <p class="muted">{cancel_rule}</p>
                {form_error(v)}
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get() || no_services>
                    {move || if pending.get() { i18n.t(Key::BookSending) } else { i18n.t(Key::BookConfirm) }}
                </button>
            </form>
        </section>
    }
}

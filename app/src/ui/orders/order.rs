//! One work order: what, when, where, who, the price against the market, the
//! steps the caller may take now, complaints about it, and its history. After
//! booking it is also the confirmation page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::orders::{
    ConfirmOrder, FinishOrder, ResolveDispute, ScheduleOrder, TakeOrderStep, get_order,
};
use crate::domain::Money;
use crate::domain::orders::{OrderStep, OrderView};
use crate::domain::time::to_china;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, MoneyText, Refresh, SelectField, TextArea, TextField, Tone, field_error,
    form_error, refresh_on_success, route_id,
};
use crate::ui::pricing::{PriceAgainstMarket, unit_label};

use super::household::{ComplaintForm, ComplaintList};
use super::{address_text, channel_label, slot_text, state_label, state_tone, step_label};

#[component]
pub fn OrderPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let order = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_order(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=order view=|o| view! { <Order o /> } /> }
}

#[component]
fn Order(o: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let booked = use_query_map().with_untracked(|q| q.get("booked").is_some());
    let id = o.line.id.0;
    let line = o.line.clone();
    let title = format!(
        "{} · {}",
        i18n.name(&line.service),
        slot_text(i18n, &line.slot)
    );
    let events = o
        .events
        .iter()
        .cloned()
        .map(|e| {
            let at = to_china(e.at);
            let what = match e.step {
                Some(step) => i18n.t(step_label(step)),
                None => i18n.t(Key::OrderCreated),
            };
            view! {
                <li data-testid="order-event">
                    <span class="muted">{i18n.date(at.date())} " " {at.format("%H:%M").to_string()}</span> " "
                    <strong>{if e.by.is_empty() { i18n.t(Key::AuditSystem).to_owned() } else { e.by }}</strong> " " {what} " → "
                    <Badge tone=state_tone(e.to)>{i18n.t(state_label(e.to))}</Badge>
                    {(!e.comment.is_empty()).then(|| view! { <blockquote class="comment">{e.comment}</blockquote> })}
                </li>
            }
        })
        .collect_view();
    let steps = o
        .steps
        .iter()
        .map(|s| view! { <StepForm o=o.clone() step=*s /> })
        .collect_view();
    let no_steps = o.steps.is_empty();
    let rating = o.rating.clone().map(|r| {
        let stars = "★".repeat(usize::from(r.stars.get())) + &"☆".repeat(5 - usize::from(r.stars.get()));
        view! {
            <dt>{i18n.t(Key::OrderRating)}</dt>
            <dd data-testid="order-rating"><span class="stars" aria-label=i18n.fill(Key::OrderStarsN, &[("n", &r.stars.get().to_string())])>{stars}</span> " " {r.comment}</dd>
        }
    });
    let household = o.household.map(|h| h.0);
    view! {
        <Title text=title />
        {booked.then(|| view! {
            <section class="panel notice-success" role="status" data-testid="booking-confirmed">
                <h2>{i18n.t(Key::BookDoneTitle)}</h2>
                <p>{i18n.t(Key::BookDoneBody)}</p>
            </section>
        })}
        <article class="panel order" aria-labelledby="order-title" data-testid="order" data-state=line.state.code()>
            <p class="eyebrow">
                {match household {
                    Some(h) => view! { <a href=format!("/households/{h}/orders")>{address_text(i18n, &line.address)}</a> }.into_any(),
                    None => view! { <a href=format!("/estates/{}", o.estate)>{address_text(i18n, &line.address)}</a> }.into_any(),
                }}
            </p>
            <h1 id="order-title">
                {i18n.name(&line.service)} " "
                <Badge tone=state_tone(line.state)>{i18n.t(state_label(line.state))}</Badge>
                {line.overdue.then(|| view! { " " <Badge tone=Tone::Danger>{i18n.t(Key::OrderOverdue)}</Badge> })}
            </h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::OrderNumber)}</dt>
                <dd>{format!("#{id}")}</dd>
                <dt>{i18n.t(Key::OrderWhen)}</dt>
                <dd data-testid="order-when">{slot_text(i18n, &line.slot)}</dd>
                <dt>{i18n.t(Key::OrderStaff)}</dt>
                <dd data-testid="order-staff">{line.staff.clone().unwrap_or_else(|| i18n.t(Key::OrderNoStaff).to_owned())}</dd>
                <dt>{i18n.t(Key::OrderChannel)}</dt>
                <dd>{i18n.t(channel_label(line.channel))}</dd>
                {(line.amount > Money::ZERO).then(|| view! {
                    <dt>{i18n.t(Key::OrderPrice)}</dt>
                    <dd><PriceAgainstMarket quote=o.quote.clone() unit=o.unit /></dd>
                    <dt>{i18n.t(Key::OrderAmount)}</dt>
                    <dd data-testid="order-amount">
                        <MoneyText money=line.amount />
                        {(o.quantity > 1).then(|| format!(" （{} × {}{}）", i18n.money(o.quote.ours), o.quantity, i18n.t(unit_label(o.unit))))}
                    </dd>
                })}
                {(!line.notes.is_empty()).then(|| view! {
                    <dt>{i18n.t(Key::BookNotes)}</dt>
                    <dd>{line.notes.clone()}</dd>
                })}
                <dt>{i18n.t(Key::OrderRespondBy)}</dt>
                <dd>{{
                    let t = to_china(o.respond_by);
                    format!("{} {}", i18n.date(t.date()), t.format("%H:%M"))
                }}</dd>
                {(!o.materials.is_empty()).then(|| view! {
                    <dt>{i18n.t(Key::OrderMaterials)}</dt>
                    <dd>{o.materials.clone()}</dd>
                })}
                {o.cancel_fee.filter(|f| *f > Money::ZERO).map(|f| view! {
                    <dt>{i18n.t(Key::OrderCancelFee)}</dt>
                    <dd><MoneyText money=f /></dd>
                })}
                {rating}
            </dl>
        </article>
        <section class="panel no-print" aria-labelledby="steps-title">
            <h2 id="steps-title">{i18n.t(Key::OrderSteps)}</h2>
            {no_steps.then(|| view! { <p class="empty">{i18n.t(Key::OrderNoSteps)}</p> })}
            <div class="steps">{steps}</div>
        </section>
        {(o.can_complain || !o.complaints.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="order-complaints-title">
                <h2 id="order-complaints-title">{i18n.t(Key::ComplaintsTitle)}</h2>
                <ComplaintList complaints=o.complaints.clone() />
                {match (o.can_complain, household) {
                    (true, Some(h)) => Some(view! { <ComplaintForm household=h order=id /> }),
                    _ => None,
                }}
            </section>
        })}
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{i18n.t(Key::OrderHistory)}</h2>
            <ol class="plain-list">{events}</ol>
        </section>
    }
}

/// The form of one step the caller may take.
#[component]
fn StepForm(o: OrderView, step: OrderStep) -> impl IntoView {
    let i18n = use_i18n();
    let order = o.line.id.0;
    let label = i18n.t(step_label(step));
    match step {
        OrderStep::Schedule => {
            let action = ServerAction::<ScheduleOrder>::new();
            refresh_on_success(action.value());
            let v = action.value();
            let staff = o
                .staff_choices
                .iter()
                .map(|s| (s.id.0.to_string(), s.name.clone()))
                .collect();
            let start = o.line.slot.start.format("%Y-%m-%dT%H:%M").to_string();
            view! {
                <ActionForm action=action attr:class="form step-form" attr:data-testid="schedule-form">
                    <input type="hidden" name="order" value=order />
                    <SelectField name="staff" id="schedule-staff" label=Key::OrderStaff options=staff placeholder=Key::OrderChooseStaff error=field_error(v, "staff") />
                    <TextField name="start" id="schedule-start" input_type="datetime-local" label=Key::OrderWhen value=RwSignal::new(start) hint=Key::OrderScheduleHint error=field_error(v, "start") />
                    {form_error(v)}
                    <button type="submit" class="btn btn-primary">{label}</button>
                </ActionForm>
            }
            .into_any()
        }
        OrderStep::Finish => {
            let action = ServerAction::<FinishOrder>::new();
            refresh_on_success(action.value());
            let v = action.value();
            view! {
                <ActionForm action=action attr:class="form step-form">
                    <input type="hidden" name="order" value=order />
                    <TextArea name="materials" id="finish-materials" label=Key::OrderMaterials error=field_error(v, "materials") />
                    {form_error(v)}
                    <button type="submit" class="btn btn-primary">{label}</button>
                </ActionForm>
            }
            .into_any()
        }
        OrderStep::Confirm => {
            let action = ServerAction::<ConfirmOrder>::new();
            refresh_on_success(action.value());
            let v = action.value();
            let stars = (1..=5)
                .rev()
                .map(|n| {
                    let id = format!("stars-{n}");
                    view! {
                        <span class="star-choice">
                            <input type="radio" name="stars" id=id.clone() value=n checked=n == 5 />
                            <label for=id>{"★".repeat(n)} <span class="visually-hidden">{i18n.fill(Key::OrderStarsN, &[("n", &n.to_string())])}</span></label>
                        </span>
                    }
                })
                .collect_view();
            view! {
                <ActionForm action=action attr:class="form step-form">
                    <input type="hidden" name="order" value=order />
                    <fieldset class="field">
                        <legend>{i18n.t(Key::OrderRating)}</legend>
                        <div class="star-list">{stars}</div>
                        <p class="field-error" role="alert">{move || field_error(v, "stars").get().map(|k| i18n.t(k))}</p>
                    </fieldset>
                    <TextArea name="comment" id="confirm-comment" label=Key::OrderRatingComment error=field_error(v, "comment") />
                    {form_error(v)}
                    <button type="submit" class="btn btn-primary">{label}</button>
                </ActionForm>
            }
            .into_any()
        }
        OrderStep::Resolve => {
            let action = ServerAction::<ResolveDispute>::new();
            refresh_on_success(action.value());
            let v = action.value();
            view! {
                <ActionForm action=action attr:class="form step-form">
                    <input type="hidden" name="order" value=order />
                    <TextArea name="comment" id="resolve-comment" label=Key::OrderResolveComment error=field_error(v, "comment") />
                    <TextField name="amount" id="resolve-amount" label=Key::OrderResolveAmount hint=Key::OrderResolveAmountHint error=field_error(v, "amount") />
                    {form_error(v)}
                    <button type="submit" class="btn btn-primary">{label}</button>
                </ActionForm>
            }
            .into_any()
        }
        OrderStep::Start | OrderStep::Cancel | OrderStep::Dispute => {
            let action = ServerAction::<TakeOrderStep>::new();
            refresh_on_success(action.value());
            let v = action.value();
            let fee_note = (step == OrderStep::Cancel).then(|| {
                let until = o.free_cancel_until;
                if o.cancel_fee_now > Money::ZERO {
                    view! { <p class="notice" data-testid="cancel-fee">{i18n.fill(Key::OrderCancelCosts, &[("fee", &i18n.money(o.cancel_fee_now))])}</p> }.into_any()
                } else {
                    view! { <p class="muted">{i18n.fill(Key::OrderCancelFreeUntil, &[("when", &format!("{} {}", i18n.date(until.date()), until.format("%H:%M")))])}</p> }.into_any()
                }
            });
            let danger = step != OrderStep::Start;
            view! {
                <ActionForm action=action attr:class="form step-form">
                    <input type="hidden" name="order" value=order />
                    <input type="hidden" name="step" value=step.code() />
                    {if step.needs_comment() {
                        view! { <TextArea name="comment" id=format!("comment-{}", step.code()) label=Key::OrderReason error=field_error(v, "comment") /> }.into_any()
                    } else {
                        view! { <input type="hidden" name="comment" value="" /> }.into_any()
                    }}
                    {fee_note}
                    {form_error(v)}
                    <button type="submit" class=if danger { "btn btn-danger" } else { "btn btn-primary btn-block" }>{label}</button>
                </ActionForm>
            }
            .into_any()
        }
    }
}

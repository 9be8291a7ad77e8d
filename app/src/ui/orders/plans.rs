//! Recurring cleaning plans of a company's estates: what, where, which days
//! and when; pausing stops future visits; visits are generated weeks ahead.

use leptos::prelude::*;
use leptos_meta::Title;

use super::WEEKDAY_KEYS;
use crate::api::AppError;
use crate::api::orders::{
    AddCleaningPlan, GeneratePlanOrders, SetCleaningPlanPaused, get_cleaning_plans,
};
use crate::domain::orders::{CleaningPlanView, CleaningPlans, PLAN_WEEKS_AHEAD};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, Refresh, TextField, Tone, field_error, form_error, refresh_on_success, route_id,
};

fn weekdays_text(i18n: I18n, p: &CleaningPlanView) -> String {
    p.weekdays
        .numbers()
        .into_iter()
        .filter_map(|d| WEEKDAY_KEYS.get(usize::try_from(d).ok()?.checked_sub(1)?))
        .map(|k| i18n.t(*k))
        .collect::<Vec<_>>()
        .join("、")
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let plans = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_cleaning_plans(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Made here, outside the part that reloads, so its answer stays shown.
    let generate = ServerAction::<GeneratePlanOrders>::new();
    refresh_on_success(generate.value());
    view! { <Loaded resource=plans view=move |p| view! { <Plans p generate /> } /> }
}

#[component]
fn Plans(p: CleaningPlans, generate: ServerAction<GeneratePlanOrders>) -> impl IntoView {
    let i18n = use_i18n();
    let company = p.company.0;
    let can_manage = p.can_manage;
    let gv = generate.value();
    let rows = p
        .plans
        .iter()
        .map(|plan| {
            let id = plan.id.0;
            let paused = plan.paused;
            let place = match &plan.building {
                Some(b) => format!("{} · {}", i18n.name(&plan.estate_name), b),
                None => format!("{} · {}", i18n.name(&plan.estate_name), i18n.t(Key::PlanCommonAreas)),
            };
            let end = plan.start + chrono::Duration::minutes(i64::from(plan.minutes));
            view! {
                <tr data-testid="plan">
                    <td data-label=i18n.t(Key::PlanWhere)>{place}</td>
                    <td data-label=i18n.t(Key::ServiceName)>{i18n.name(&plan.service)}</td>
                    <td data-label=i18n.t(Key::PlanDays)>{weekdays_text(i18n, plan)}</td>
                    <td data-label=i18n.t(Key::PlanTime)>{format!("{}–{}", plan.start.format("%H:%M"), end.format("%H:%M"))}</td>
                    <td data-label=i18n.t(Key::PlanUpcoming)>{plan.upcoming}</td>
                    <td data-label=i18n.t(Key::PlanState)>
                        {if paused {
                            view! { <Badge tone=Tone::Neutral>{i18n.t(Key::PlanPaused)}</Badge> }.into_any()
                        } else {
                            view! { <Badge tone=Tone::Success>{i18n.t(Key::PlanRunning)}</Badge> }.into_any()
                        }}
                    </td>
                    {can_manage.then(|| view! { <td class="actions"><PauseButton plan=id paused /></td> })}
                </tr>
            }
        })
        .collect_view();
    let empty = p.plans.is_empty();
    view! {
        <Title text=i18n.t(Key::PlansTitle) />
        <section class="panel" aria-labelledby="plans-title">
            <p class="eyebrow"><a href=format!("/companies/{company}/orders")>{i18n.t(Key::CompanyOrdersTitle)}</a></p>
            <h1 id="plans-title">{i18n.t(Key::PlansTitle)}</h1>
            <p class="muted">{i18n.fill(Key::PlansHint, &[("weeks", &PLAN_WEEKS_AHEAD.to_string())])}</p>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::PlansNone)}</p> })}
            {(!empty).then(|| view! {
                <table class="table table-cards">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t(Key::PlanWhere)}</th>
                            <th scope="col">{i18n.t(Key::ServiceName)}</th>
                            <th scope="col">{i18n.t(Key::PlanDays)}</th>
                            <th scope="col">{i18n.t(Key::PlanTime)}</th>
                            <th scope="col">{i18n.t(Key::PlanUpcoming)}</th>
                            <th scope="col">{i18n.t(Key::PlanState)}</th>
                            {can_manage.then(|| view! { <th scope="col"><span class="visually-hidden">{i18n.t(Key::CommonActions)}</span></th> })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
            {can_manage.then(|| view! {
                <p class="tools">
                    <button type="button" class="btn btn-secondary btn-small" on:click=move |_| {
                        generate.dispatch(GeneratePlanOrders { company });
                    }>{i18n.t(Key::PlansGenerate)}</button>
                    {move || match gv.get() {
                        Some(Ok(n)) => Some(view! { <span role="status" data-testid="generated">{i18n.fill(Key::PlansGenerated, &[("n", &n.to_string())])}</span> }.into_any()),
                        Some(Err(e)) => Some(view! { <crate::ui::components::ErrorNotice error=e /> }.into_any()),
                        None => None,
                    }}
                </p>
            })}
        </section>
        {can_manage.then(|| view! { <AddPlan p=p.clone() /> })}
    }
}

#[component]
fn PauseButton(plan: i64, paused: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetCleaningPlanPaused>::new();
    refresh_on_success(action.value());
    view! {
        <button type="button" class="btn btn-ghost btn-small" on:click=move |_| {
            action.dispatch(SetCleaningPlanPaused { plan, paused: !paused });
        }>{if paused { i18n.t(Key::PlanResume) } else { i18n.t(Key::PlanPause) }}</button>
    }
}

#[component]
fn AddPlan(p: CleaningPlans) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddCleaningPlan>::new();
    refresh_on_success(action.value());
    let v = action.value();
    let company = p.company.0;
    let estates = StoredValue::new(p.estates.clone());
    let estate = RwSignal::new(p.estates.first().map(|e| e.0.0).unwrap_or(0));
    let building = RwSignal::new(0i64);
    let days: RwSignal<Vec<u32>> = RwSignal::new(vec![1, 3, 5]);
    let service = RwSignal::new(p.services.first().map(|s| s.0.0).unwrap_or(0));
    let start = RwSignal::new("09:00".to_owned());
    let minutes = RwSignal::new("90".to_owned());
    let service_options = p
        .services
        .iter()
        .map(|(id, name)| view! { <option value=id.0>{i18n.name(name)}</option> })
        .collect_view();
    let estate_options = p
        .estates
        .iter()
        .map(|(id, name, _)| {
            let id = id.0;
            view! { <option value=id selected=move || estate.get() == id>{i18n.name(name)}</option> }
        })
        .collect_view();
    let building_options = move || {
        let e = estate.get();
        estates.with_value(|all| {
            all.iter().find(|(id, _, _)| id.0 == e).map(|(_, _, bs)| {
                bs.iter()
                    .map(|(b, name)| {
                        let b = b.0;
                        view! { <option value=b>{name.clone()}</option> }
                    })
                    .collect_view()
            })
        })
    };
    let day_boxes = WEEKDAY_KEYS
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let n = u32::try_from(i + 1).unwrap_or(1);
            let id = format!("plan-day-{n}");
            view! {
                <span class="day-choice">
                    <input type="checkbox" id=id.clone()
                        checked=move || days.get().contains(&n)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            days.update(|d| {
                                d.retain(|x| *x != n);
                                if on { d.push(n); d.sort_unstable(); }
                            });
                        } />
                    <label for=id>{i18n.t(*k)}</label>
                </span>
            }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(AddCleaningPlan {
            company,
            estate: estate.get_untracked(),
            building: building.get_untracked(),
            service_id: service.get_untracked(),
            weekdays: days
                .get_untracked()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(","),
            start: start.get_untracked(),
            // Not a whole number of minutes: refused by the length check.
            minutes: minutes.get_untracked().trim().parse().unwrap_or(0),
        });
    };
    view! {
        <section class="panel" aria-labelledby="add-plan-title">
            <h2 id="add-plan-title">{i18n.t(Key::PlansAdd)}</h2>
            <form class="form" on:submit=submit>
                <div class="form-row">
                    <div class="field">
                        <label for="plan-estate">{i18n.t(Key::EstateTitle)}</label>
                        <select id="plan-estate" on:change=move |ev| {
                            estate.set(event_target_value(&ev).parse().unwrap_or(0));
                            building.set(0);
                        }>{estate_options}</select>
                        <p class="field-error" role="alert">{move || field_error(v, "estate").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="plan-building">{i18n.t(Key::PlanWhere)}</label>
                        <select id="plan-building" on:change=move |ev| building.set(event_target_value(&ev).parse().unwrap_or(0))>
                            <option value="0">{i18n.t(Key::PlanCommonAreas)}</option>
                            {building_options}
                        </select>
                        <p class="field-error" role="alert">{move || field_error(v, "building").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="plan-service">{i18n.t(Key::ServiceName)}</label>
                        <select id="plan-service" on:change=move |ev| service.set(event_target_value(&ev).parse().unwrap_or(0))>{service_options}</select>
                        <p class="field-error" role="alert">{move || field_error(v, "service").get().map(|k| i18n.t(k))}</p>
                    </div>
                </div>
                <fieldset class="field">
                    <legend>{i18n.t(Key::PlanDays)}</legend>
                    <div class="day-list">{day_boxes}</div>
                    <p class="field-error" role="alert">{move || field_error(v, "weekdays").get().map(|k| i18n.t(k))}</p>
                </fieldset>
                <div class="form-row">
                    <TextField name="start" id="plan-start" input_type="time" label=Key::PlanTime value=start error=field_error(v, "start") />
                    <TextField name="minutes" id="plan-minutes" input_type="number" label=Key::PlanMinutes value=minutes error=field_error(v, "minutes") />
                </div>
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::PlansAdd)}</button>
            </form>
        </section>
    }
}

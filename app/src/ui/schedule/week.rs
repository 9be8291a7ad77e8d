//! The manager's week: staff as rows, days as columns, jobs as blocks, the
//! orders waiting for someone at the side. An order is assigned by dragging
//! it onto a staff row, or (on a tablet, or with a keyboard) by choosing it
//! and then the person. Auto-assign shows its proposal before anything changes.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::schedule::{AcceptAutoAssign, AssignOrder, PreviewAutoAssign, get_week_schedule};
use crate::domain::access::{EstateId, PersonId};
use crate::domain::orders::{OrderState, WorkOrderId};
use crate::domain::pricing::ServiceCategory;
use crate::domain::schedule::{
    AssignOutcome, ProposedAssignment, ScheduleJob, StaffRow, WeekSchedule,
};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{
    Badge, ErrorNotice, Loaded, Refresh, Tone, refresh_on_success, route_id,
};
use crate::ui::orders::{address_text, state_label, state_tone};
use crate::ui::pricing::category_label;

use super::{WEEKDAY_KEYS, hours_summary, hours_text, refusal_label, skills_text};

/// The order chosen for assigning, with what the page shows of it.
#[derive(Clone, PartialEq)]
struct Picked {
    order: WorkOrderId,
    label: String,
}

#[component]
pub fn WeekSchedulePage() -> impl IntoView {
    let id = route_id();
    let query = use_query_map();
    let version = Refresh::provide();
    let week = Resource::new_blocking(
        move || {
            (
                id,
                query.with(|q| q.get("week").unwrap_or_default()),
                version.get(),
            )
        },
        |(id, week, _)| async move {
            match id {
                Some(id) => get_week_schedule(id, week).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Made here, outside the part that reloads, so their answers stay shown.
    let assign = ServerAction::<AssignOrder>::new();
    refresh_on_success(assign.value());
    let preview = ServerAction::<PreviewAutoAssign>::new();
    let accept = ServerAction::<AcceptAutoAssign>::new();
    refresh_on_success(accept.value());
    let picked: RwSignal<Option<Picked>> = RwSignal::new(None);
    // Kept here so the filters survive the reload after each assignment.
    let estate_filter: RwSignal<Option<EstateId>> = RwSignal::new(None);
    let skill_filter: RwSignal<Option<ServiceCategory>> = RwSignal::new(None);
    Effect::new(move |_| {
        if assign.value().with(|v| v.is_some()) {
            picked.set(None);
        }
    });
    let tools = Tools {
        assign,
        preview,
        accept,
        picked,
        estate_filter,
        skill_filter,
    };
    view! { <Loaded resource=week view=move |w| view! { <Week w tools /> } /> }
}

/// The page's actions and the chosen order, shared by its parts.
#[derive(Clone, Copy)]
struct Tools {
    assign: ServerAction<AssignOrder>,
    preview: ServerAction<PreviewAutoAssign>,
    accept: ServerAction<AcceptAutoAssign>,
    picked: RwSignal<Option<Picked>>,
    estate_filter: RwSignal<Option<EstateId>>,
    skill_filter: RwSignal<Option<ServiceCategory>>,
}

fn job_label(i18n: I18n, j: &ScheduleJob) -> String {
    format!(
        "{} {}–{} {} · {}",
        i18n.date(j.slot.start.date()),
        j.slot.start.format("%H:%M"),
        j.slot.end.format("%H:%M"),
        i18n.name(&j.service),
        address_text(i18n, &j.address)
    )
}

#[component]
fn Week(w: WeekSchedule, tools: Tools) -> impl IntoView {
    let i18n = use_i18n();
    let company = w.company.0;
    let can_manage = w.can_manage;
    let monday = w.monday;
    let week_link = |d: NaiveDate| {
        format!(
            "/companies/{company}/schedule?week={}",
            d.format("%Y-%m-%d")
        )
    };
    let (estate_filter, skill_filter) = (tools.estate_filter, tools.skill_filter);
    let estate_options = w
        .estates
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.0 selected=move || estate_filter.get() == Some(id)>{i18n.name(name)}</option> }
        })
        .collect_view();
    let skill_options = ServiceCategory::ALL
        .iter()
        .map(|c| {
            let c = *c;
            view! { <option value=c.code() selected=move || skill_filter.get() == Some(c)>{i18n.t(category_label(c))}</option> }
        })
        .collect_view();
    let data = StoredValue::new(w.clone());
    let shows = move |j: &ScheduleJob| {
        estate_filter.get().is_none_or(|e| j.estate == e)
            && skill_filter.get().is_none_or(|c| j.category == c)
    };
    let waiting = move || {
        data.with_value(|w| {
            w.waiting
                .iter()
                .filter(|j| shows(j))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let last_day = monday + Duration::days(6);
    view! {
        <Title text=i18n.t(Key::ScheduleTitle) />
        <section class="panel schedule" aria-labelledby="schedule-title">
            <p class="eyebrow"><a href=format!("/companies/{company}/orders")>{i18n.name(&w.company_name)}</a></p>
            <h1 id="schedule-title">{i18n.t(Key::ScheduleTitle)}</h1>
            <p class="tools week-nav">
                <a class="btn btn-ghost btn-small" href=week_link(monday - Duration::days(7))>{i18n.t(Key::SchedulePrevWeek)}</a>
                <strong data-testid="week-range">{i18n.fill(Key::ScheduleWeekOf, &[("from", &i18n.date(monday)), ("to", &i18n.date(last_day))])}</strong>
                <a class="btn btn-ghost btn-small" href=week_link(monday + Duration::days(7))>{i18n.t(Key::ScheduleNextWeek)}</a>
                <a class="btn btn-ghost btn-small" href=format!("/companies/{company}/schedule")>{i18n.t(Key::ScheduleThisWeek)}</a>
                <a class="btn btn-secondary btn-small" href=format!("/companies/{company}/staff")>{i18n.t(Key::StaffTitle)}</a>
            </p>
            <p class="muted">{i18n.fill(Key::ScheduleTravelNote, &[("minutes", &w.travel_buffer.to_string())])}</p>
            <div class="form-row schedule-filters">
                <div class="field">
                    <label for="filter-estate">{i18n.t(Key::ScheduleFilterEstate)}</label>
                    <select id="filter-estate" on:change=move |ev| {
                        estate_filter.set(event_target_value(&ev).parse().ok().map(EstateId));
                    }>
                        <option value="">{i18n.t(Key::ScheduleAll)}</option>
                        {estate_options}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-skill">{i18n.t(Key::ScheduleFilterSkill)}</label>
                    <select id="filter-skill" on:change=move |ev| {
                        skill_filter.set(ServiceCategory::from_code(&event_target_value(&ev)));
                    }>
                        <option value="">{i18n.t(Key::ScheduleAll)}</option>
                        {skill_options}
                    </select>
                </div>
            </div>
            {can_manage.then(|| view! { <p class="muted">{i18n.t(Key::ScheduleHint)}</p> })}
            <PickedNote tools />
            <AssignAnswer tools />
        </section>
        <div class="schedule-layout">
            <section class="panel schedule-waiting" aria-labelledby="waiting-title">
                <h2 id="waiting-title">{i18n.t(Key::ScheduleWaiting)} " " <span data-testid="waiting-count">{move || waiting().len()}</span></h2>
                {move || {
                    let list = waiting();
                    if list.is_empty() {
                        view! { <p class="empty">{i18n.t(Key::ScheduleWaitingNone)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list waiting-list">
                                {list.into_iter().map(|j| view! { <WaitingCard j can_manage tools /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </section>
            <section class="panel schedule-grid-panel" aria-labelledby="grid-title">
                <h2 id="grid-title" class="visually-hidden">{i18n.t(Key::ScheduleGrid)}</h2>
                {move || view! { <Grid w=data.get_value() skill=skill_filter.get() estate=estate_filter.get() can_manage tools /> }}
            </section>
        </div>
        {can_manage.then(|| view! { <AutoAssign company week=monday tools /> })}
    }
}

/// The order chosen for assigning, and a way to let go of it.
#[component]
fn PickedNote(tools: Tools) -> impl IntoView {
    let i18n = use_i18n();
    let picked = tools.picked;
    move || {
        picked.get().map(|p| view! {
            <p class="notice notice-info" role="status" data-testid="picked">
                {i18n.fill(Key::SchedulePicked, &[("order", &p.label)])} " "
                <button type="button" class="btn btn-ghost btn-small" on:click=move |_| picked.set(None)>
                    {i18n.t(Key::ScheduleCancelPick)}
                </button>
            </p>
        })
    }
}

/// The answer to the last assignment: done, or why not.
#[component]
fn AssignAnswer(tools: Tools) -> impl IntoView {
    let i18n = use_i18n();
    let v = tools.assign.value();
    move || {
        v.get().map(|r| match r {
            Ok(()) => view! { <p class="notice notice-success" role="status" data-testid="assign-done">{i18n.t(Key::ScheduleAssigned)}</p> }.into_any(),
            Err(error) => view! { <div data-testid="assign-refused"><ErrorNotice error /></div> }.into_any(),
        })
    }
}

#[component]
fn WaitingCard(j: ScheduleJob, can_manage: bool, tools: Tools) -> impl IntoView {
    let i18n = use_i18n();
    let order = j.order;
    let label = job_label(i18n, &j);
    let picked = tools.picked;
    let is_picked = move || picked.with(|p| p.as_ref().is_some_and(|p| p.order == order));
    let pick = {
        let label = label.clone();
        move || {
            picked.set(Some(Picked {
                order,
                label: label.clone(),
            }))
        }
    };
    let pick_on_drag = pick.clone();
    view! {
        <li class="waiting-card" class:picked=is_picked data-testid="waiting-order" data-order=order.0
            draggable=can_manage.then_some("true")
            on:dragstart=move |_| if can_manage { pick_on_drag() }>
            <a href=format!("/orders/{order}")>{i18n.name(&j.service)}</a>
            " " <Badge tone=Tone::Neutral>{i18n.t(category_label(j.category))}</Badge>
            <p class="order-card-when">{format!("{} {}–{}", i18n.date(j.slot.start.date()), j.slot.start.format("%H:%M"), j.slot.end.format("%H:%M"))}</p>
            <p class="muted">{address_text(i18n, &j.address)}</p>
            {can_manage.then(|| view! {
                <button type="button" class="btn btn-small"
                    class:btn-primary=is_picked class:btn-secondary=move || !is_picked()
                    aria-pressed=move || is_picked().to_string()
                    on:click=move |_| if is_picked() { picked.set(None) } else { pick() }>
                    {i18n.t(Key::SchedulePick)}
                </button>
            })}
        </li>
    }
}

#[component]
fn Grid(
    w: WeekSchedule,
    skill: Option<ServiceCategory>,
    estate: Option<EstateId>,
    can_manage: bool,
    tools: Tools,
) -> impl IntoView {
    let i18n = use_i18n();
    let days: Vec<NaiveDate> = (0..7).map(|i| w.monday + Duration::days(i)).collect();
    let mut by_cell: BTreeMap<(PersonId, NaiveDate), Vec<ScheduleJob>> = BTreeMap::new();
    for j in &w.jobs {
        if estate.is_some_and(|e| j.estate != e) {
            continue;
        }
        if let Some(s) = j.staff {
            by_cell
                .entry((s, j.slot.start.date()))
                .or_default()
                .push(j.clone());
        }
    }
    let head = days
        .iter()
        .map(|d| {
            let today = *d == w.today;
            let weekday = WEEKDAY_KEYS[(d.signed_duration_since(w.monday).num_days() as usize) % 7];
            view! {
                <th scope="col" class:today=today aria-current=today.then_some("date")>
                    {i18n.t(weekday)} <br /> <span class="muted">{d.format("%m-%d").to_string()}</span>
                    {today.then(|| view! { " " <Badge tone=Tone::Info>{i18n.t(Key::ScheduleToday)}</Badge> })}
                </th>
            }
        })
        .collect_view();
    let rows: Vec<StaffRow> = w
        .staff
        .iter()
        .filter(|s| skill.is_none_or(|c| s.profile.skills.contains(&c)))
        .cloned()
        .collect();
    if rows.is_empty() {
        return view! { <p class="empty">{i18n.t(Key::ScheduleNoStaff)}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|s| {
            let cells = days
                .iter()
                .map(|d| {
                    let jobs = by_cell.remove(&(s.profile.person, *d)).unwrap_or_default();
                    let on_leave = s.profile.leave.iter().any(|l| l.contains(*d));
                    let hours = s.profile.hours.on(chrono::Datelike::weekday(d));
                    let today = *d == w.today;
                    view! {
                        <td class:today=today class:off=on_leave || hours.is_none()>
                            {if on_leave {
                                Some(view! { <Badge tone=Tone::Warning>{i18n.t(Key::ScheduleLeave)}</Badge> }.into_any())
                            } else if hours.is_none() {
                                Some(view! { <span class="muted">{i18n.t(Key::ScheduleOff)}</span> }.into_any())
                            } else { None }}
                            {jobs.into_iter().map(|j| view! { <JobBlock j can_manage tools /> }).collect_view()}
                        </td>
                    }
                })
                .collect_view();
            view! { <StaffLine s company=w.company.0 cells=cells.into_any() can_manage tools /> }
        })
        .collect_view();
    view! {
        <div class="schedule-scroll">
            <table class="schedule-grid" data-testid="schedule-grid">
                <thead><tr><th scope="col">{i18n.t(Key::ScheduleStaff)}</th>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One staff member's row: who, skills and load, and their week's cells; a
/// place to drop or send the chosen order.
#[component]
fn StaffLine(
    s: StaffRow,
    company: i64,
    cells: AnyView,
    can_manage: bool,
    tools: Tools,
) -> impl IntoView {
    let i18n = use_i18n();
    let person = s.profile.person.0;
    let name = s.name.clone();
    let picked = tools.picked;
    let assign = tools.assign;
    let send = move || {
        if let Some(p) = picked.get_untracked() {
            assign.dispatch(AssignOrder {
                company,
                order: p.order.0,
                staff: person,
            });
        }
    };
    let percent =
        crate::domain::schedule::utilization_percent(s.booked_minutes, s.available_minutes);
    let load = i18n.fill(
        Key::ScheduleLoad,
        &[
            ("booked", &hours_text(s.booked_minutes)),
            ("available", &hours_text(s.available_minutes)),
        ],
    );
    let button_label = name.clone();
    view! {
        <tr data-testid="staff-row" data-person=person
            on:dragover=move |ev| if can_manage { ev.prevent_default() }
            on:drop=move |ev| if can_manage { ev.prevent_default(); send() }>
            <th scope="row">
                <span class="staff-name">{name.clone()}</span>
                <span class="muted staff-skills">{skills_text(i18n, &s.profile.skills)}</span>
                <span class="muted staff-load" data-testid="staff-load">
                    {load} {percent.map(|p| format!(" · {p}%"))}
                </span>
                <span class="muted staff-hours">
                    {if s.described { hours_summary(i18n, &s.profile.hours) } else { i18n.t(Key::StaffStandard).to_owned() }}
                </span>
                {move || (can_manage && picked.with(|p| p.is_some())).then(|| {
                    let label = i18n.fill(Key::ScheduleAssignTo, &[("name", &button_label)]);
                    view! {
                        <button type="button" class="btn btn-primary btn-small" data-testid="assign-here"
                            on:click=move |_| send()>{label}</button>
                    }
                })}
            </th>
            {cells}
        </tr>
    }
}

#[component]
fn JobBlock(j: ScheduleJob, can_manage: bool, tools: Tools) -> impl IntoView {
    let i18n = use_i18n();
    let order = j.order;
    let movable = can_manage && j.state == OrderState::Scheduled;
    let label = job_label(i18n, &j);
    let picked = tools.picked;
    let is_picked = move || picked.with(|p| p.as_ref().is_some_and(|p| p.order == order));
    let pick = {
        let label = label.clone();
        move || {
            picked.set(Some(Picked {
                order,
                label: label.clone(),
            }))
        }
    };
    let pick_on_drag = pick.clone();
    view! {
        <div class="job-block" class:picked=is_picked data-testid="job-block" data-order=order.0
            draggable=movable.then_some("true")
            on:dragstart=move |_| if movable { pick_on_drag() }>
            <a href=format!("/orders/{order}")>{format!("{}–{}", j.slot.start.format("%H:%M"), j.slot.end.format("%H:%M"))}</a>
            <span>{i18n.name(&j.service)}</span>
            <span class="muted">{address_text(i18n, &j.address)}</span>
            {(j.state != OrderState::Scheduled).then(|| view! { <Badge tone=state_tone(j.state)>{i18n.t(state_label(j.state))}</Badge> })}
            {movable.then(|| view! {
                <button type="button" class="btn btn-ghost btn-small" aria-pressed=move || is_picked().to_string()
                    on:click=move |_| if is_picked() { picked.set(None) } else { pick() }>
                    {i18n.t(Key::ScheduleReassign)}
                </button>
            })}
        </div>
    }
}

/// The auto-assign proposal: nothing changes until the manager accepts all
/// of it or the part left ticked.
#[component]
fn AutoAssign(company: i64, week: NaiveDate, tools: Tools) -> impl IntoView {
    let i18n = use_i18n();
    let preview = tools.preview;
    let accept = tools.accept;
    let pv = preview.value();
    let av = accept.value();
    let week_text = week.format("%Y-%m-%d").to_string();
    // Orders left unticked.
    let skipped: RwSignal<Vec<WorkOrderId>> = RwSignal::new(Vec::new());
    let run = move |_| {
        skipped.set(Vec::new());
        accept.clear();
        preview.dispatch(PreviewAutoAssign {
            company,
            week: week_text.clone(),
        });
    };
    let proposal = move || {
        pv.get().map(|r| match r {
            Ok(list) => view! { <Proposal list company skipped accept /> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })
    };
    let outcome = move || {
        av.get().map(|r| match r {
            Ok(o) => view! { <Outcome o /> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })
    };
    view! {
        <section class="panel" aria-labelledby="auto-title">
            <h2 id="auto-title">{i18n.t(Key::ScheduleAuto)}</h2>
            <p class="muted">{i18n.t(Key::ScheduleAutoRule)}</p>
            <p class="tools">
                <button type="button" class="btn btn-secondary" data-testid="auto-preview" on:click=run>
                    {i18n.t(Key::ScheduleAutoPreview)}
                </button>
            </p>
            {outcome}
            {move || av.with(|v| v.is_none()).then(proposal)}
        </section>
    }
}

#[component]
fn Proposal(
    list: Vec<ProposedAssignment>,
    company: i64,
    skipped: RwSignal<Vec<WorkOrderId>>,
    accept: ServerAction<AcceptAutoAssign>,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p class="empty" data-testid="auto-empty">{i18n.t(Key::ScheduleAutoNone)}</p> }.into_any();
    }
    let pairs: Vec<(WorkOrderId, PersonId)> = list
        .iter()
        .filter_map(|p| p.staff.as_ref().map(|(s, _)| (p.job.order, *s)))
        .collect();
    let rows = list
        .into_iter()
        .map(|p| {
            let order = p.job.order;
            let id = format!("auto-{order}");
            let who = p.staff.as_ref().map(|(_, n)| n.clone());
            let can = who.is_some();
            view! {
                <tr data-testid="proposal">
                    <td>
                        {can.then(|| view! {
                            <input type="checkbox" id=id.clone()
                                checked=move || !skipped.with(|s| s.contains(&order))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    skipped.update(|s| {
                                        s.retain(|o| *o != order);
                                        if !on { s.push(order); }
                                    });
                                } />
                        })}
                    </td>
                    <td data-label=i18n.t(Key::ScheduleOrder)><label for=id>{job_label(i18n, &p.job)}</label></td>
                    <td data-label=i18n.t(Key::ScheduleStaff)>
                        {match who {
                            Some(n) => view! { <strong>{n}</strong> }.into_any(),
                            None => view! { <Badge tone=Tone::Warning>{i18n.t(Key::ScheduleAutoNobody)}</Badge> }.into_any(),
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let count = pairs.len();
    let send = move |_| {
        let skip = skipped.get_untracked();
        let chosen: Vec<(WorkOrderId, PersonId)> = pairs
            .iter()
            .filter(|(o, _)| !skip.contains(o))
            .copied()
            .collect();
        accept.dispatch(AcceptAutoAssign {
            company,
            orders: chosen.iter().map(|(o, _)| o.0).collect(),
            staff: chosen.iter().map(|(_, s)| s.0).collect(),
        });
    };
    view! {
        <p data-testid="auto-count">{i18n.fill(Key::ScheduleAutoCount, &[("n", &count.to_string())])}</p>
        <table class="table table-cards">
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">{i18n.t(Key::ScheduleAutoTake)}</span></th>
                    <th scope="col">{i18n.t(Key::ScheduleOrder)}</th>
                    <th scope="col">{i18n.t(Key::ScheduleStaff)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {(count > 0).then(|| view! {
            <p class="tools">
                <button type="button" class="btn btn-primary" data-testid="auto-accept" on:click=send>
                    {i18n.t(Key::ScheduleAutoAccept)}
                </button>
            </p>
        })}
    }
    .into_any()
}

#[component]
fn Outcome(o: AssignOutcome) -> impl IntoView {
    let i18n = use_i18n();
    let refused = o
        .refused
        .iter()
        .map(|(order, why)| {
            view! { <li>{i18n.fill(Key::ScheduleOrderN, &[("n", &order.to_string())])} ": " {i18n.t(refusal_label(*why))}</li> }
        })
        .collect_view();
    let any_refused = !o.refused.is_empty();
    view! {
        <p class="notice notice-success" role="status" data-testid="auto-done">
            {i18n.fill(Key::ScheduleAutoDone, &[("n", &o.assigned.len().to_string())])}
        </p>
        {any_refused.then(|| view! {
            <div class="notice notice-warning" role="status">
                <p>{i18n.fill(Key::ScheduleAutoRefused, &[("n", &o.refused.len().to_string())])}</p>
                <ul>{refused}</ul>
            </div>
        })}
    }
}

//! Party-member volunteer service on screen (点单-派单-接单): the resident's
//! order form and requests, the Party organization's dispatch page with the
//! community's pool and its registration form, the volunteer's own tasks on
//! a phone, and the community's hours board.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::volunteers::{
    AcceptVolunteerTask, CancelVolunteerTask, CompleteVolunteerTask, DeclineVolunteerTask,
    DispatchVolunteerTask, OrderVolunteer, RegisterVolunteer, SetVolunteerActive,
    get_dispatch_board, get_household_volunteering, get_my_volunteering, get_volunteer_board,
};
use crate::domain::time::to_china;
use crate::domain::volunteers::{
    BoardPeriod, CommunityChoice, DispatchBoard, HouseholdVolunteering, MyVolunteering, TaskLine,
    TaskState, TaskStep, VolunteerBoard, VolunteerKind, VolunteerView, format_hours,
};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{
    Badge, CheckField, Loaded, Refresh, SelectField, TextArea, TextField, Tone, field_error,
    form_error, refresh_on_success, route_id,
};

pub fn kind_label(k: VolunteerKind) -> Key {
    match k {
        VolunteerKind::ElderCare => Key::VolunteerKindElderCare,
        VolunteerKind::Meals => Key::VolunteerKindMeals,
        VolunteerKind::Tutoring => Key::VolunteerKindTutoring,
        VolunteerKind::Other => Key::VolunteerKindOther,
    }
}

pub fn state_label(s: TaskState) -> Key {
    match s {
        TaskState::Ordered => Key::VolunteerStateOrdered,
        TaskState::Dispatched => Key::VolunteerStateDispatched,
        TaskState::Accepted => Key::VolunteerStateAccepted,
        TaskState::Completed => Key::VolunteerStateCompleted,
        TaskState::Cancelled => Key::VolunteerStateCancelled,
    }
}

pub fn state_tone(s: TaskState) -> Tone {
    match s {
        TaskState::Ordered => Tone::Warning,
        TaskState::Dispatched | TaskState::Accepted => Tone::Info,
        TaskState::Completed => Tone::Success,
        TaskState::Cancelled => Tone::Neutral,
    }
}

fn step_label(s: TaskStep) -> Key {
    match s {
        TaskStep::Order => Key::VolunteerStepOrder,
        TaskStep::Dispatch => Key::VolunteerStepDispatch,
        TaskStep::Accept => Key::VolunteerStepAccept,
        TaskStep::Decline => Key::VolunteerStepDecline,
        TaskStep::Complete => Key::VolunteerStepComplete,
        TaskStep::Cancel => Key::VolunteerStepCancel,
    }
}

/// "1.5 小时".
fn hours_text(i18n: I18n, minutes: i64) -> String {
    i18n.fill(Key::VolunteerHoursN, &[("hours", &format_hours(minutes))])
}

/// The kinds a volunteer offers, "陪伴老人 / 助餐" (a slash reads the same in
/// both languages).
fn kinds_text(i18n: I18n, kinds: &[VolunteerKind]) -> String {
    kinds
        .iter()
        .map(|k| i18n.t(kind_label(*k)))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Whose view a task card is drawn for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Resident,
    Party,
    Volunteer,
}

/// What a card says about a task: kind, state, when, where, the note, whom
/// to call, who is coming, the time served, a decline's reason, the history.
#[component]
fn TaskInfo(line: TaskLine, side: Side) -> impl IntoView {
    let i18n = use_i18n();
    let when = format!("{} {}", i18n.date(line.wished_on), line.window.text());
    let address = (side != Side::Resident).then(|| {
        view! { <p class="muted" data-testid="task-address">{format!("{} {}", i18n.name(&line.estate), line.room)}</p> }
    });
    let note = (!line.note.is_empty()).then(|| {
        view! { <blockquote class="comment" data-testid="task-note">{line.note.clone()}</blockquote> }
    });
    let contact = line.contact.clone().map(|c| {
        let text = i18n.fill(
            Key::VolunteerContact,
            &[("name", &c.name), ("phone", &c.phone.unwrap_or_default())],
        );
        view! { <p class="muted" data-testid="task-contact">{text}</p> }
    });
    let volunteer = line.volunteer.clone().map(|name| {
        let key = match (side, line.state) {
            (Side::Party, TaskState::Dispatched) => Key::VolunteerOfferedTo,
            (_, TaskState::Completed) => Key::VolunteerServedBy,
            _ => Key::VolunteerComing,
        };
        view! { <p data-testid="task-volunteer">{i18n.fill(key, &[("name", &name)])}</p> }
    });
    let served = line.served.map(|s| {
        let text = i18n.fill(Key::VolunteerServedHours, &[("hours", &s.to_string())]);
        view! { <p data-testid="task-served"><strong>{text}</strong></p> }
    });
    let outcome = (!line.outcome.is_empty()).then(|| {
        view! { <p class="muted">{i18n.fill(Key::VolunteerOutcomeIs, &[("outcome", &line.outcome)])}</p> }
    });
    let declined = line
        .last_decline()
        .filter(|_| side == Side::Party && line.state == TaskState::Ordered)
        .map(|e| {
            let text = i18n.fill(
                Key::VolunteerDeclinedBy,
                &[("name", &e.by), ("reason", &e.comment)],
            );
            view! { <p class="notice notice-warning" data-testid="task-declined">{text}</p> }
        });
    let history = line
        .history
        .iter()
        .map(|e| {
            let at = to_china(e.at);
            let comment = (!e.comment.is_empty())
                .then(|| view! { <blockquote class="comment">{e.comment.clone()}</blockquote> });
            view! {
                <li data-testid="task-event">
                    <span class="muted">{i18n.date(at.date())} " " {at.format("%H:%M").to_string()}</span> " "
                    <strong>{e.by.clone()}</strong> " " {i18n.t(step_label(e.step))}
                    {comment}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="order-card-title">
            {i18n.t(kind_label(line.kind))} " "
            <span data-testid="task-state"><Badge tone=state_tone(line.state)>{i18n.t(state_label(line.state))}</Badge></span>
        </p>
        <p class="order-card-when" data-testid="task-when">{when}</p>
        {address}
        {note}
        {contact}
        {volunteer}
        {served}
        {outcome}
        {declined}
        <details class="history">
            <summary>{i18n.t(Key::VolunteerHistory)}</summary>
            <ol class="plain-list">{history}</ol>
        </details>
    }
}

/// A list of task cards, each with what `actions` adds for it.
fn task_list<F, V>(
    i18n: I18n,
    tasks: Vec<TaskLine>,
    side: Side,
    empty: Key,
    testid: &'static str,
    actions: F,
) -> impl IntoView
where
    F: Fn(&TaskLine) -> V,
    V: IntoView + 'static,
{
    if tasks.is_empty() {
        return view! { <p class="empty" data-testid=testid>{i18n.t(empty)}</p> }.into_any();
    }
    let items = tasks
        .into_iter()
        .map(|t| {
            let (id, state) = (t.id.0, t.state);
            let extra = actions(&t);
            view! {
                <li class="order-card" data-testid="volunteer-task" data-task=id data-state=state.code()>
                    <TaskInfo line=t side=side />
                    {extra}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="plain-list" data-testid=testid>{items}</ul> }.into_any()
}

/// Choosing among the communities of a street or the district (a plain
/// form: the page loads afresh for the one chosen).
#[component]
fn CommunityPicker(
    path: &'static str,
    chosen: i64,
    choices: Vec<CommunityChoice>,
    #[prop(optional, into)] period: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = choices
        .into_iter()
        .map(|(id, name)| {
            view! { <option value=id.0 selected=id.0 == chosen>{i18n.name(&name)}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action=path class="filters-row" data-testid="community-picker">
            <div class="field">
                <label for="volunteer-community">{i18n.t(Key::VolunteerCommunity)}</label>
                <select id="volunteer-community" name="community">{options}</select>
            </div>
            {period.map(|p| view! { <input type="hidden" name="period" value=p /> })}
            <button type="submit" class="btn btn-secondary">{i18n.t(Key::VolunteerShow)}</button>
        </form>
    }
}

// ----- the resident -----

/// A household's volunteer service: order a free service, follow the
/// requests, call one off before anyone accepted it.
#[component]
pub fn VolunteerPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let page = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_household_volunteering(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=page view=|p| view! { <HouseholdRequests p /> } /> }
}

#[component]
fn HouseholdRequests(p: HouseholdVolunteering) -> impl IntoView {
    let i18n = use_i18n();
    let household = p.household.0;
    let order = ServerAction::<OrderVolunteer>::new();
    refresh_on_success(order.value());
    let v = order.value();
    let kinds: Vec<(String, String)> = VolunteerKind::ALL
        .iter()
        .map(|k| (k.code().to_owned(), i18n.t(kind_label(*k)).to_owned()))
        .collect();
    let tomorrow = p.today.succ_opt().unwrap_or(p.today);
    let day = RwSignal::new(tomorrow.format("%Y-%m-%d").to_string());
    let start = RwSignal::new("09:00".to_owned());
    let end = RwSignal::new("11:00".to_owned());
    let place = format!("{} {}", i18n.name(&p.estate), p.room);
    let lead = i18n.fill(
        Key::VolunteerOrderLead,
        &[("community", &i18n.name(&p.community))],
    );
    let requests = task_list(
        i18n,
        p.tasks,
        Side::Resident,
        Key::VolunteerNoRequests,
        "volunteer-requests",
        |t: &TaskLine| {
            t.steps
                .contains(&TaskStep::Cancel)
                .then(|| view! { <CancelForm task=t.id.0 /> })
        },
    );
    view! {
        <Title text=i18n.t(Key::VolunteerOrderTitle) />
        <section class="panel" aria-labelledby="volunteer-order-title">
            <p class="eyebrow"><a href=format!("/households/{household}")>{place}</a></p>
            <h1 id="volunteer-order-title">{i18n.t(Key::VolunteerOrderTitle)}</h1>
            <p class="lead">{lead}</p>
            <ActionForm action=order attr:class="form" attr:data-testid="volunteer-order-form">
                <input type="hidden" name="household" value=household />
                <input type="hidden" name="form_token" value=p.form_token.clone() />
                <SelectField name="kind" id="volunteer-kind" label=Key::VolunteerKindLabel options=kinds error=field_error(v, "kind") />
                <TextField name="wished_on" id="volunteer-day" input_type="date" label=Key::VolunteerWishedOn value=day error=field_error(v, "wished_on") />
                <div class="form-row">
                    <TextField name="window_start" id="volunteer-start" input_type="time" label=Key::VolunteerWindowStart value=start error=field_error(v, "window_start") />
                    <TextField name="window_end" id="volunteer-end" input_type="time" label=Key::VolunteerWindowEnd value=end error=field_error(v, "window_end") />
                </div>
                <TextArea name="note" id="volunteer-note" label=Key::VolunteerNote error=field_error(v, "note") />
                <p class="muted">{i18n.t(Key::VolunteerOrderHint)}</p>
                {form_error(v)}
                <button type="submit" class="btn btn-primary btn-block">{i18n.t(Key::VolunteerOrderSubmit)}</button>
            </ActionForm>
        </section>
        <section class="panel" aria-labelledby="volunteer-requests-title">
            <h2 id="volunteer-requests-title">{i18n.t(Key::VolunteerMyRequests)}</h2>
            {requests}
            <p class="tools">
                <a class="btn btn-ghost btn-small" href="/volunteers/board" data-testid="board-link">{i18n.t(Key::VolunteerBoardTitle)}</a>
                {p.is_volunteer.then(|| view! {
                    <a class="btn btn-secondary btn-small" href="/volunteering" data-testid="volunteering-link">{i18n.t(Key::VolunteerMineTitle)}</a>
                })}
            </p>
        </section>
    }
}

#[component]
fn CancelForm(task: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CancelVolunteerTask>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form step-form">
            <input type="hidden" name="task" value=task />
            <TextField name="reason" id=format!("cancel-reason-{task}") label=Key::VolunteerCancelReason error=field_error(v, "reason") />
            {form_error(v)}
            <button type="submit" class="btn btn-danger btn-small">{i18n.t(Key::VolunteerStepCancel)}</button>
        </ActionForm>
    }
}

// ----- the Party organization -----

/// The Party organization's dispatch page: the community's queue with a
/// volunteer picker, what is offered and accepted, the latest completed,
/// the pool, and registering a volunteer.
#[component]
pub fn DispatchPage() -> impl IntoView {
    let query = use_query_map();
    let version = Refresh::provide();
    let board = Resource::new_blocking(
        move || {
            (
                query.with(|q| {
                    q.get("community")
                        .and_then(|c| c.parse::<i64>().ok())
                        .unwrap_or(0)
                }),
                version.get(),
            )
        },
        |(community, _)| get_dispatch_board(community),
    );
    view! { <Loaded resource=board view=|b| view! { <Dispatch b /> } /> }
}

#[component]
fn Dispatch(b: DispatchBoard) -> impl IntoView {
    let i18n = use_i18n();
    let community = b.community.0;
    let pool = StoredValue::new(b.volunteers.clone());
    let active = b.volunteers.iter().filter(|v| v.active).count();
    let (waiting, offered, coming) = (b.queue.len(), b.dispatched.len(), b.accepted.len());
    let picker = (b.communities.len() > 1).then(|| {
        view! { <CommunityPicker path="/volunteers" chosen=community choices=b.communities.clone() /> }
    });
    let dispatch_form = move |t: &TaskLine| {
        let (task, kind, current) = (t.id.0, t.kind, t.volunteer_person);
        t.steps.contains(&TaskStep::Dispatch).then(|| {
            let volunteers = pool.get_value();
            view! { <DispatchForm task kind current=current.map(|p| p.0) volunteers /> }
        })
    };
    let queue = task_list(
        i18n,
        b.queue,
        Side::Party,
        Key::VolunteerQueueEmpty,
        "queue",
        dispatch_form,
    );
    let dispatched = task_list(
        i18n,
        b.dispatched,
        Side::Party,
        Key::VolunteerNoneOffered,
        "dispatched",
        dispatch_form,
    );
    let accepted = task_list(
        i18n,
        b.accepted,
        Side::Party,
        Key::VolunteerNoneAccepted,
        "accepted",
        |_: &TaskLine| (),
    );
    let completed = task_list(
        i18n,
        b.completed,
        Side::Party,
        Key::VolunteerNoneCompleted,
        "completed",
        |_: &TaskLine| (),
    );
    let board_link = format!("/volunteers/board?community={community}");
    view! {
        <Title text=i18n.t(Key::VolunteerDispatchTitle) />
        <section class="panel" aria-labelledby="dispatch-title">
            <p class="eyebrow">{i18n.name(&b.community_name)}</p>
            <h1 id="dispatch-title">{i18n.t(Key::VolunteerDispatchTitle)}</h1>
            <p class="lead">{i18n.t(Key::VolunteerDispatchLead)}</p>
            {picker}
            <div class="stats" data-testid="dispatch-stats">
                <p class="stat"><span class="stat-value" data-testid="waiting-count">{waiting}</span><span class="stat-label">{i18n.t(Key::VolunteerStateOrdered)}</span></p>
                <p class="stat"><span class="stat-value">{offered}</span><span class="stat-label">{i18n.t(Key::VolunteerStateDispatched)}</span></p>
                <p class="stat"><span class="stat-value">{coming}</span><span class="stat-label">{i18n.t(Key::VolunteerStateAccepted)}</span></p>
                <p class="stat"><span class="stat-value">{active}</span><span class="stat-label">{i18n.t(Key::VolunteerPoolActive)}</span></p>
            </div>
            <p class="tools">
                <a class="btn btn-ghost btn-small" href=board_link data-testid="board-link">{i18n.t(Key::VolunteerBoardTitle)}</a>
            </p>
        </section>
        <section class="panel" aria-labelledby="queue-title">
            <h2 id="queue-title">{i18n.t(Key::VolunteerQueueTitle)}</h2>
            {queue}
        </section>
        <section class="panel" aria-labelledby="dispatched-title">
            <h2 id="dispatched-title">{i18n.t(Key::VolunteerOfferedTitle)}</h2>
            {dispatched}
        </section>
        <section class="panel" aria-labelledby="accepted-title">
            <h2 id="accepted-title">{i18n.t(Key::VolunteerAcceptedTitle)}</h2>
            {accepted}
        </section>
        <section class="panel" aria-labelledby="completed-title">
            <h2 id="completed-title">{i18n.t(Key::VolunteerCompletedTitle)}</h2>
            {completed}
        </section>
        <section class="panel" aria-labelledby="pool-title">
            <h2 id="pool-title">{i18n.t(Key::VolunteerPoolTitle)}</h2>
            <p class="muted">{i18n.t(Key::VolunteerPoolLead)}</p>
            <PoolTable volunteers=b.volunteers />
            <h3>{i18n.t(Key::VolunteerRegisterTitle)}</h3>
            <RegisterForm community today=b.today.format("%Y-%m-%d").to_string() />
        </section>
    }
}

/// Offering a task to one of the pool: those offering this kind first, then
/// those with the fewest tasks in hand.
#[component]
fn DispatchForm(
    task: i64,
    kind: VolunteerKind,
    current: Option<i64>,
    volunteers: Vec<VolunteerView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<DispatchVolunteerTask>::new();
    refresh_on_success(action.value());
    let v = action.value();
    let mut choices: Vec<VolunteerView> = volunteers
        .into_iter()
        .filter(|x| x.active && Some(x.person.0) != current)
        .collect();
    choices.sort_by(|a, b| {
        (!a.offers(kind), a.open_tasks, &a.name).cmp(&(!b.offers(kind), b.open_tasks, &b.name))
    });
    let none = choices.is_empty();
    let options: Vec<(String, String)> = choices
        .iter()
        .map(|x| {
            let mark = if x.offers(kind) { "★ " } else { "" };
            let text = i18n.fill(
                Key::VolunteerChoice,
                &[
                    ("name", &x.name),
                    ("kinds", &kinds_text(i18n, &x.kinds)),
                    ("open", &x.open_tasks.to_string()),
                ],
            );
            (x.person.0.to_string(), format!("{mark}{text}"))
        })
        .collect();
    let label = if current.is_some() {
        Key::VolunteerRedispatch
    } else {
        Key::VolunteerStepDispatch
    };
    view! {
        <ActionForm action=action attr:class="form step-form" attr:data-testid="dispatch-form">
            <input type="hidden" name="task" value=task />
            <SelectField name="volunteer" id=format!("dispatch-volunteer-{task}") label=Key::VolunteerChooseVolunteer options error=field_error(v, "volunteer") />
            {none.then(|| view! { <p class="muted">{i18n.t(Key::VolunteerPoolEmpty)}</p> })}
            {form_error(v)}
            <button type="submit" class="btn btn-primary" disabled=none>{i18n.t(label)}</button>
        </ActionForm>
    }
}

/// The community's volunteers, with taking one out of the pool or back in.
#[component]
fn PoolTable(volunteers: Vec<VolunteerView>) -> impl IntoView {
    let i18n = use_i18n();
    if volunteers.is_empty() {
        return view! { <p class="empty">{i18n.t(Key::VolunteerPoolEmpty)}</p> }.into_any();
    }
    let rows = volunteers
        .into_iter()
        .map(|x| {
            let kinds = kinds_text(i18n, &x.kinds);
            let party = x.party_member.then(|| {
                view! { " " <Badge tone=Tone::Danger>{i18n.t(Key::VolunteerPartyMember)}</Badge> }
            });
            let status = if x.active {
                view! { <Badge tone=Tone::Success>{i18n.t(Key::VolunteerActive)}</Badge> }.into_any()
            } else {
                view! { <Badge tone=Tone::Neutral>{i18n.t(Key::VolunteerInactive)}</Badge> }.into_any()
            };
            view! {
                <tr data-testid="volunteer-row" data-person=x.person.0>
                    <td data-label=i18n.t(Key::VolunteerName)>{x.name.clone()} {party}</td>
                    <td data-label=i18n.t(Key::VolunteerPhone)>{x.phone.clone().unwrap_or_default()}</td>
                    <td data-label=i18n.t(Key::VolunteerOrganization)>{x.organization.clone()}</td>
                    <td data-label=i18n.t(Key::VolunteerKindsLabel)>{kinds}</td>
                    <td data-label=i18n.t(Key::VolunteerRegisteredOn)>{i18n.date(x.registered_on)}</td>
                    <td data-label=i18n.t(Key::VolunteerOpenTasks) class="num">{x.open_tasks}</td>
                    <td data-label=i18n.t(Key::VolunteerStatus)>{status}</td>
                    <td class="actions"><ActiveToggle volunteer=x.id.0 active=x.active /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table-cards" data-testid="pool">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::VolunteerName)}</th>
                    <th scope="col">{i18n.t(Key::VolunteerPhone)}</th>
                    <th scope="col">{i18n.t(Key::VolunteerOrganization)}</th>
                    <th scope="col">{i18n.t(Key::VolunteerKindsLabel)}</th>
                    <th scope="col">{i18n.t(Key::VolunteerRegisteredOn)}</th>
                    <th scope="col">{i18n.t(Key::VolunteerOpenTasks)}</th>
                    <th scope="col">{i18n.t(Key::VolunteerStatus)}</th>
                    <th scope="col"><span class="visually-hidden">{i18n.t(Key::CommonActions)}</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ActiveToggle(volunteer: i64, active: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetVolunteerActive>::new();
    refresh_on_success(action.value());
    let label = if active {
        Key::VolunteerDeactivate
    } else {
        Key::VolunteerReactivate
    };
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="volunteer" value=volunteer />
            <input type="hidden" name="active" value=(!active).to_string() />
            <button type="submit" class="btn btn-ghost btn-small">{i18n.t(label)}</button>
        </ActionForm>
        {form_error(action.value())}
    }
}

/// 双报到: registering someone who lives in the community, found by the
/// phone of their account, with the kinds of service they offer.
#[component]
fn RegisterForm(community: i64, today: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RegisterVolunteer>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form" attr:data-testid="register-volunteer-form">
            <input type="hidden" name="community" value=community />
            <TextField name="phone" id="register-phone" input_type="tel" label=Key::VolunteerRegisterPhone hint=Key::VolunteerRegisterPhoneHint required=true error=field_error(v, "phone") />
            <TextField name="organization" id="register-organization" label=Key::VolunteerOrganization hint=Key::VolunteerOrganizationHint error=field_error(v, "organization") />
            <TextField name="registered_on" id="register-on" input_type="date" label=Key::VolunteerRegisteredOn value=RwSignal::new(today) error=field_error(v, "registered_on") />
            <CheckField name="party_member" id="register-party" label=Key::VolunteerPartyMemberLabel checked=true />
            <fieldset class="field">
                <legend>{i18n.t(Key::VolunteerKindsLabel)}</legend>
                <CheckField name="kind_elder_care" id="register-kind-elder-care" label=Key::VolunteerKindElderCare />
                <CheckField name="kind_meals" id="register-kind-meals" label=Key::VolunteerKindMeals />
                <CheckField name="kind_tutoring" id="register-kind-tutoring" label=Key::VolunteerKindTutoring />
                <CheckField name="kind_other" id="register-kind-other" label=Key::VolunteerKindOther />
                <p class="field-error" role="alert">{move || field_error(v, "kinds").get().map(|k| i18n.t(k))}</p>
            </fieldset>
            {form_error(v)}
            {move || matches!(v.get(), Some(Ok(_))).then(|| view! { <p class="notice notice-success" role="status">{i18n.t(Key::VolunteerRegistered)}</p> })}
            <button type="submit" class="btn btn-primary">{i18n.t(Key::VolunteerRegisterSubmit)}</button>
        </ActionForm>
    }
}

// ----- the volunteer -----

/// A volunteer's own tasks on a phone: offered ones to accept or give back,
/// accepted ones to complete with the time served, and their hours.
#[component]
pub fn VolunteerTasksPage() -> impl IntoView {
    let version = Refresh::provide();
    let mine = Resource::new_blocking(move || version.get(), |_| get_my_volunteering());
    view! { <Loaded resource=mine view=|m| view! { <Mine m /> } /> }
}

#[component]
fn Mine(m: MyVolunteering) -> impl IntoView {
    let i18n = use_i18n();
    let registered = m.is_registered();
    let communities = m
        .communities
        .iter()
        .map(|c| i18n.name(c))
        .collect::<Vec<_>>()
        .join(" / ");
    let offered = task_list(
        i18n,
        m.offered,
        Side::Volunteer,
        Key::VolunteerNoneOfferedToMe,
        "offered",
        |t: &TaskLine| {
            let task = t.id.0;
            let steps = t.steps.clone();
            view! {
                <div class="steps">
                    {steps.contains(&TaskStep::Accept).then(|| view! { <AcceptButton task /> })}
                    {steps.contains(&TaskStep::Decline).then(|| view! { <DeclineForm task /> })}
                </div>
            }
        },
    );
    let accepted = task_list(
        i18n,
        m.accepted,
        Side::Volunteer,
        Key::VolunteerNoneAcceptedByMe,
        "my-accepted",
        |t: &TaskLine| {
            let task = t.id.0;
            let steps = t.steps.clone();
            view! {
                <div class="steps">
                    {steps.contains(&TaskStep::Complete).then(|| view! { <CompleteForm task /> })}
                    {steps.contains(&TaskStep::Decline).then(|| view! { <DeclineForm task /> })}
                </div>
            }
        },
    );
    let completed = task_list(
        i18n,
        m.completed,
        Side::Volunteer,
        Key::VolunteerNoneCompleted,
        "my-completed",
        |_: &TaskLine| (),
    );
    view! {
        <Title text=i18n.t(Key::VolunteerMineTitle) />
        <section class="panel jobs" aria-labelledby="mine-title">
            <p class="eyebrow">{m.name.clone()}</p>
            <h1 id="mine-title">{i18n.t(Key::VolunteerMineTitle)}</h1>
            {if registered {
                view! { <p class="lead">{i18n.fill(Key::VolunteerRegisteredWith, &[("communities", &communities)])}</p> }.into_any()
            } else {
                view! { <p class="notice notice-info" data-testid="not-registered">{i18n.t(Key::VolunteerNotRegistered)}</p> }.into_any()
            }}
            <div class="stats" data-testid="my-hours">
                <p class="stat">
                    <span class="stat-value" data-testid="my-hours-year">{hours_text(i18n, m.year_minutes)}</span>
                    <span class="stat-label">{i18n.fill(Key::VolunteerHoursInYear, &[("year", &m.year.to_string()), ("tasks", &m.year_tasks.to_string())])}</span>
                </p>
                <p class="stat">
                    <span class="stat-value" data-testid="my-hours-all">{hours_text(i18n, m.all_minutes)}</span>
                    <span class="stat-label">{i18n.fill(Key::VolunteerHoursAllTime, &[("tasks", &m.all_tasks.to_string())])}</span>
                </p>
            </div>
            <p class="tools">
                <a class="btn btn-ghost btn-small" href="/volunteers/board" data-testid="board-link">{i18n.t(Key::VolunteerBoardTitle)}</a>
            </p>
        </section>
        <section class="panel" aria-labelledby="offered-title">
            <h2 id="offered-title">{i18n.t(Key::VolunteerOfferedToMeTitle)}</h2>
            {offered}
        </section>
        <section class="panel" aria-labelledby="my-accepted-title">
            <h2 id="my-accepted-title">{i18n.t(Key::VolunteerAcceptedByMeTitle)}</h2>
            {accepted}
        </section>
        <section class="panel" aria-labelledby="my-completed-title">
            <h2 id="my-completed-title">{i18n.t(Key::VolunteerCompletedTitle)}</h2>
            {completed}
        </section>
    }
}

#[component]
fn AcceptButton(task: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AcceptVolunteerTask>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form step-form">
            <input type="hidden" name="task" value=task />
            {form_error(v)}
            <button type="submit" class="btn btn-primary btn-block" data-testid="accept">{i18n.t(Key::VolunteerStepAccept)}</button>
        </ActionForm>
    }
}

#[component]
fn DeclineForm(task: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<DeclineVolunteerTask>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form step-form">
            <input type="hidden" name="task" value=task />
            <TextField name="reason" id=format!("decline-reason-{task}") label=Key::VolunteerDeclineReason error=field_error(v, "reason") />
            {form_error(v)}
            <button type="submit" class="btn btn-ghost btn-small" data-testid="decline">{i18n.t(Key::VolunteerStepDecline)}</button>
        </ActionForm>
    }
}

#[component]
fn CompleteForm(task: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CompleteVolunteerTask>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <ActionForm action=action attr:class="form step-form" attr:data-testid="complete-form">
            <input type="hidden" name="task" value=task />
            <TextField name="hours" id=format!("complete-hours-{task}") input_type="text" label=Key::VolunteerHoursLabel hint=Key::VolunteerHoursHint error=field_error(v, "hours") />
            <TextArea name="note" id=format!("complete-note-{task}") label=Key::VolunteerOutcome error=field_error(v, "note") />
            {form_error(v)}
            <button type="submit" class="btn btn-primary btn-block" data-testid="complete">{i18n.t(Key::VolunteerStepComplete)}</button>
        </ActionForm>
    }
}

// ----- the board -----

/// The community's volunteer hours board (志愿服务时长榜): this year or all
/// time, most hours first.
#[component]
pub fn VolunteerBoardPage() -> impl IntoView {
    let query = use_query_map();
    let board = Resource::new_blocking(
        move || {
            query.with(|q| {
                (
                    q.get("community")
                        .and_then(|c| c.parse::<i64>().ok())
                        .unwrap_or(0),
                    q.get("period").unwrap_or_default(),
                )
            })
        },
        |(community, period)| get_volunteer_board(community, period),
    );
    view! { <Loaded resource=board view=|b| view! { <Board b /> } /> }
}

#[component]
fn Board(b: VolunteerBoard) -> impl IntoView {
    let i18n = use_i18n();
    let several = b.communities.len() > 1;
    let community = b.community.0;
    // A street's or the district's board keeps the community chosen.
    let link = move |period: BoardPeriod| {
        if several {
            format!(
                "/volunteers/board?community={community}&period={}",
                period.code()
            )
        } else {
            format!("/volunteers/board?period={}", period.code())
        }
    };
    let period_links = [
        (BoardPeriod::Year, i18n.fill(Key::VolunteerPeriodYear, &[("year", &b.year.to_string())])),
        (BoardPeriod::All, i18n.t(Key::VolunteerPeriodAll).to_owned()),
    ]
    .into_iter()
    .map(|(p, text)| {
        let current = p == b.period;
        view! {
            <a class="btn btn-small" class:btn-primary=current class:btn-ghost=!current
                href=link(p) aria-current=current.then_some("page") data-testid=format!("period-{}", p.code())>
                {text}
            </a>
        }
    })
    .collect_view();
    let picker = several.then(|| {
        view! { <CommunityPicker path="/volunteers/board" chosen=community choices=b.communities.clone() period=b.period.code() /> }
    });
    let rows = b
        .rows
        .iter()
        .map(|r| {
            let party = r.party_member.then(|| {
                view! { " " <Badge tone=Tone::Danger>{i18n.t(Key::VolunteerPartyMember)}</Badge> }
            });
            view! {
                <tr data-testid="board-row" data-person=r.person.0 data-minutes=r.minutes>
                    <td data-label=i18n.t(Key::VolunteerRank) class="num">{r.rank}</td>
                    <td data-label=i18n.t(Key::VolunteerName)>{r.name.clone()} {party}</td>
                    <td data-label=i18n.t(Key::VolunteerOrganization)>{r.organization.clone()}</td>
                    <td data-label=i18n.t(Key::VolunteerHoursColumn) class="num" data-testid="board-hours">{format_hours(r.minutes)}</td>
                    <td data-label=i18n.t(Key::VolunteerTasksColumn) class="num" data-testid="board-tasks">{r.tasks}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if b.rows.is_empty() {
        view! { <p class="empty" data-testid="board-empty">{i18n.t(Key::VolunteerBoardEmpty)}</p> }
            .into_any()
    } else {
        view! {
            <table class="table table-cards" data-testid="board">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::VolunteerRank)}</th>
                        <th scope="col">{i18n.t(Key::VolunteerName)}</th>
                        <th scope="col">{i18n.t(Key::VolunteerOrganization)}</th>
                        <th scope="col">{i18n.t(Key::VolunteerHoursColumn)}</th>
                        <th scope="col">{i18n.t(Key::VolunteerTasksColumn)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <Title text=i18n.t(Key::VolunteerBoardTitle) />
        <section class="panel" aria-labelledby="board-title">
            <p class="eyebrow">{i18n.name(&b.community_name)}</p>
            <h1 id="board-title">{i18n.t(Key::VolunteerBoardTitle)}</h1>
            <p class="lead">{i18n.t(Key::VolunteerBoardLead)}</p>
            {picker}
            <div class="filters-row" role="group" aria-label=i18n.t(Key::VolunteerPeriodLabel)>
                {period_links}
            </div>
            <div class="stats" data-testid="board-totals">
                <p class="stat"><span class="stat-value" data-testid="board-total-hours">{hours_text(i18n, b.total_minutes)}</span><span class="stat-label">{i18n.t(Key::VolunteerTotalHours)}</span></p>
                <p class="stat"><span class="stat-value">{b.total_tasks}</span><span class="stat-label">{i18n.t(Key::VolunteerTotalTasks)}</span></p>
                <p class="stat"><span class="stat-value">{b.rows.len()}</span><span class="stat-label">{i18n.t(Key::VolunteerTotalVolunteers)}</span></p>
            </div>
            {table}
        </section>
    }
}

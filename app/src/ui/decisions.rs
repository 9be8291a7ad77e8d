//! Decision records (四议两公开): the decisions in the caller's scope with
//! the Party officer's proposal form, one decision's six steps as a
//! timeline with the form for the next one, and the disclosed decisions an
//! estate's notice board shows its residents.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::decisions::{
    ProposeDecision, RecordDecisionStep, get_decision, get_decision_notices, list_decisions,
};
use crate::domain::decisions::{
    Attendance, DecisionKind, DecisionNotices as Notices, DecisionState, DecisionStep,
    DecisionView, DecisionsOverview, EstateChoice, StepRecord, record_for,
};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, Refresh, Tone, field_error, form_error, go, refresh_on_success, route_id,
};
use crate::ui::statements::list;

pub fn kind_label(k: DecisionKind) -> Key {
    match k {
        DecisionKind::PriceChange => Key::DecisionKindPriceChange,
        DecisionKind::NewContract => Key::DecisionKindNewContract,
        DecisionKind::MajorRepair => Key::DecisionKindMajorRepair,
        DecisionKind::Other => Key::DecisionKindOther,
    }
}

pub fn step_label(s: DecisionStep) -> Key {
    match s {
        DecisionStep::Propose => Key::DecisionStepPropose,
        DecisionStep::Deliberate => Key::DecisionStepDeliberate,
        DecisionStep::MembersReview => Key::DecisionStepMembersReview,
        DecisionStep::Resolve => Key::DecisionStepResolve,
        DecisionStep::DiscloseResolution => Key::DecisionStepDiscloseResolution,
        DecisionStep::DiscloseImplementation => Key::DecisionStepDiscloseImplementation,
    }
}

/// What the outcome field of a step holds.
fn outcome_label(s: DecisionStep) -> Key {
    match s {
        DecisionStep::Propose => Key::DecisionOutcomePropose,
        DecisionStep::Deliberate => Key::DecisionOutcomeDeliberate,
        DecisionStep::MembersReview => Key::DecisionOutcomeMembersReview,
        DecisionStep::Resolve => Key::DecisionOutcomeResolve,
        DecisionStep::DiscloseResolution => Key::DecisionOutcomeDiscloseResolution,
        DecisionStep::DiscloseImplementation => Key::DecisionOutcomeDiscloseImplementation,
    }
}

pub fn state_badge(state: DecisionState) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, key) = match state {
        DecisionState::Proposed => (Tone::Info, Key::DecisionStateProposed),
        DecisionState::Deliberated => (Tone::Info, Key::DecisionStateDeliberated),
        DecisionState::Reviewed => (Tone::Info, Key::DecisionStateReviewed),
        DecisionState::Resolved => (Tone::Warning, Key::DecisionStateResolved),
        DecisionState::Disclosed => (Tone::Success, Key::DecisionStateDisclosed),
        DecisionState::Implemented => (Tone::Success, Key::DecisionStateImplemented),
        DecisionState::Rejected => (Tone::Danger, Key::DecisionStateRejected),
    };
    view! { <Badge tone>{i18n.t(key)}</Badge> }
}

/// The counts of a meeting in a sentence: passed or not for the meetings
/// that vote, plain for the others.
fn attendance_text(i18n: I18n, step: DecisionStep, a: Attendance) -> String {
    let key = match (step.votes(), a.has_majority()) {
        (false, _) => Key::DecisionAttendanceLine,
        (true, true) => Key::DecisionVotePassed,
        (true, false) => Key::DecisionVoteRejected,
    };
    i18n.fill(
        key,
        &[
            ("expected", &a.expected.to_string()),
            ("attended", &a.attended.to_string()),
            ("agreed", &a.agreed.to_string()),
        ],
    )
}

/// The quorum refusal worded with its numbers.
fn quorum_text(i18n: I18n, a: Attendance) -> String {
    i18n.fill(
        Key::DecisionErrorQuorum,
        &[
            ("attended", &a.attended.to_string()),
            ("expected", &a.expected.to_string()),
            ("needed", &a.quorum_needed().to_string()),
        ],
    )
}

// ----- the list and the proposal -----

#[component]
pub fn DecisionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new_blocking(|| (), |_| list_decisions());
    view! {
        <Title text=i18n.t(Key::DecisionTitle) />
        <Loaded resource=overview view=|o| view! { <Decisions o /> } />
    }
}

#[component]
fn Decisions(o: DecisionsOverview) -> impl IntoView {
    let i18n = use_i18n();
    let DecisionsOverview {
        items,
        estates,
        can_record,
        today,
    } = o;
    let empty = items.is_empty();
    let rows = items
        .into_iter()
        .map(|d| {
            let estates = list(i18n, d.estates.iter().map(|n| i18n.name(n)));
            let last = d
                .last_step
                .map(|(s, on)| format!("{} · {}", i18n.t(step_label(s)), i18n.date(on)));
            view! {
                <tr data-testid="decision-row">
                    <th scope="row" data-label=i18n.t(Key::DecisionTitleLabel)>
                        <a href=format!("/decisions/{}", d.id)>{d.title.clone()}</a>
                    </th>
                    <td data-label=i18n.t(Key::DecisionKindLabel)>{i18n.t(kind_label(d.kind))}</td>
                    <td data-label=i18n.t(Key::DecisionEstates)>
                        {estates}
                        <br /><span class="muted">{i18n.name(&d.community)}</span>
                    </td>
                    <td data-label=i18n.t(Key::DecisionStateLabel)>{state_badge(d.state)}</td>
                    <td data-label=i18n.t(Key::DecisionLastStep)>{last}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="decisions-title">
            <h1 id="decisions-title">{i18n.t(Key::DecisionTitle)}</h1>
            <p class="muted">{i18n.t(Key::DecisionHelp)}</p>
            {if empty {
                view! { <p class="empty">{i18n.t(Key::DecisionNone)}</p> }.into_any()
            } else {
                view! {
                    <table class="table table-cards" data-testid="decisions">
                        <thead><tr>
                            <th scope="col">{i18n.t(Key::DecisionTitleLabel)}</th>
                            <th scope="col">{i18n.t(Key::DecisionKindLabel)}</th>
                            <th scope="col">{i18n.t(Key::DecisionEstates)}</th>
                            <th scope="col">{i18n.t(Key::DecisionStateLabel)}</th>
                            <th scope="col">{i18n.t(Key::DecisionLastStep)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {can_record.then(|| view! { <ProposeForm estates today /> })}
    }
}

/// The proposal: the matter, the estates it concerns (one community's),
/// and the first step, or the first two as one record.
#[component]
fn ProposeForm(estates: Vec<EstateChoice>, today: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ProposeDecision>::new();
    let v = action.value();
    Effect::new(move |_| {
        if let Some(Ok(id)) = v.get() {
            go(&format!("/decisions/{id}"));
        }
    });
    let error = move |field: &'static str| move || field_error(v, field).get().map(|k| i18n.t(k));
    view! {
        <section class="panel" aria-labelledby="propose-title">
            <h2 id="propose-title">{i18n.t(Key::DecisionProposeTitle)}</h2>
            <p class="muted">{i18n.t(Key::DecisionProposeHelp)}</p>
            <ActionForm action attr:class="form" attr:data-testid="propose-form">
                <div class="field">
                    <label for="decision-kind">{i18n.t(Key::DecisionKindLabel)}</label>
                    <select id="decision-kind" name="kind">
                        {DecisionKind::ALL.iter().map(|k| view! { <option value=k.code()>{i18n.t(kind_label(*k))}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{error("kind")}</p>
                </div>
                <div class="field">
                    <label for="decision-title">{i18n.t(Key::DecisionTitleLabel)}</label>
                    <input id="decision-title" type="text" name="title" />
                    <p class="field-error" role="alert">{error("title")}</p>
                </div>
                <div class="field">
                    <label for="decision-details">{i18n.t(Key::DecisionDetailsLabel)}</label>
                    <textarea id="decision-details" name="details" rows="3"></textarea>
                    <p class="field-error" role="alert">{error("details")}</p>
                </div>
                <fieldset class="field">
                    <legend>{i18n.t(Key::DecisionEstates)}</legend>
                    <EstateBoxes estates />
                    <p class="field-error" role="alert">{error("estates")}</p>
                </fieldset>
                <StepFields step=DecisionStep::Propose today earliest=None errors=StepErrors::of(v) />
                <div class="field field-check">
                    <input id="decision-merged" type="checkbox" name="merged" />
                    <label for="decision-merged">{i18n.t(Key::DecisionMergeLabel)}</label>
                </div>
                <p class="muted">{i18n.t(Key::DecisionMergeHelp)}</p>
                <p class="field-error" role="alert">{error("merged")}</p>
                <button type="submit" class="btn btn-primary" data-testid="propose">{i18n.t(Key::DecisionPropose)}</button>
                {form_error(v)}
            </ActionForm>
        </section>
    }
}

/// The estates as checkboxes; their ids travel as one comma-separated
/// field, kept in step with the boxes.
#[component]
fn EstateBoxes(estates: Vec<EstateChoice>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(Vec::<i64>::new());
    view! {
        <input type="hidden" name="estates" prop:value=move || chosen.with(|c| c.iter().map(i64::to_string).collect::<Vec<_>>().join(",")) />
        {estates.into_iter().map(|e| {
            let id = e.id.0;
            view! {
                <label class="check">
                    // The box shows what will be sent, even when the
                    // browser restores a form's state on going back.
                    <input type="checkbox" value=id prop:checked=move || chosen.with(|c| c.contains(&id)) on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        chosen.update(|c| {
                            c.retain(|x| *x != id);
                            if on { c.push(id); }
                        });
                    } />
                    {i18n.name(&e.name)}
                    " "
                    <span class="muted">{i18n.name(&e.community)}</span>
                </label>
            }
        }).collect_view()}
    }
}

// ----- one decision -----

#[component]
pub fn DecisionPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let page = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_decision(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=page view=|d| view! { <Decision d /> } /> }
}

#[component]
fn Decision(d: DecisionView) -> impl IntoView {
    let i18n = use_i18n();
    let next = d.next_step();
    let earliest = d.last_held_on();
    let rejected = d.state == DecisionState::Rejected;
    let estates = list(i18n, d.estates.iter().map(|(_, n)| i18n.name(n)));
    let timeline = DecisionStep::ALL
        .iter()
        .map(|s| {
            let step = *s;
            let record = record_for(&d.steps, step).cloned();
            view! { <TimelineStep step record rejected /> }
        })
        .collect_view();
    let DecisionView {
        id,
        kind,
        title,
        details,
        state,
        community,
        can_record,
        today,
        ..
    } = d;
    let form = match next {
        Some(step) if can_record => {
            view! { <NextStep decision=id.0 step today earliest /> }.into_any()
        }
        Some(_) => view! { <p class="muted panel">{i18n.t(Key::DecisionReadOnly)}</p> }.into_any(),
        None => ().into_any(),
    };
    view! {
        <Title text=title.clone() />
        <article class="panel" data-testid="decision">
            <p class="eyebrow"><a href="/decisions">{i18n.t(Key::DecisionTitle)}</a></p>
            <h1>{title}</h1>
            <p data-testid="decision-state">{state_badge(state)}</p>
            <dl class="pairs">
                <dt>{i18n.t(Key::DecisionKindLabel)}</dt>
                <dd>{i18n.t(kind_label(kind))}</dd>
                <dt>{i18n.t(Key::DecisionCommunity)}</dt>
                <dd>{i18n.name(&community)}</dd>
                <dt>{i18n.t(Key::DecisionEstates)}</dt>
                <dd data-testid="decision-estates">{estates}</dd>
                <dt>{i18n.t(Key::DecisionDetailsLabel)}</dt>
                <dd class="prewrap">{details}</dd>
            </dl>
        </article>
        <section class="panel" aria-labelledby="steps-title">
            <h2 id="steps-title">{i18n.t(Key::DecisionStepsTitle)}</h2>
            <p class="muted">{i18n.t(Key::DecisionQuorumRule)}</p>
            <ol class="cards" data-testid="decision-steps">{timeline}</ol>
        </section>
        {form}
    }
}

/// One of the six steps: what was recorded, or that it is still to come.
#[component]
fn TimelineStep(step: DecisionStep, record: Option<StepRecord>, rejected: bool) -> impl IntoView {
    let i18n = use_i18n();
    let done = record.is_some();
    let heading = format!("{}. {}", step.number(), i18n.t(step_label(step)));
    let body = match record {
        // Deliberating merged into the proposal: say so, not the text twice.
        Some(r) if r.merged && step == DecisionStep::Deliberate => view! {
            <p class="muted">{i18n.t(Key::DecisionMergedNote)}</p>
        }
        .into_any(),
        Some(r) => {
            let by = i18n.fill(
                Key::DecisionRecordedBy,
                &[("date", &i18n.date(r.held_on)), ("name", &r.recorded_by)],
            );
            view! {
                <p class="muted">{by}</p>
                {r.merged.then(|| view! { <p class="muted">{i18n.t(Key::DecisionMergedNote)}</p> })}
                {r.attendance.map(|a| view! { <p data-testid="attendance">{attendance_text(i18n, step, a)}</p> })}
                <p class="prewrap">{r.outcome}</p>
            }
            .into_any()
        }
        None => view! {
            <p class="muted">{i18n.t(if rejected { Key::DecisionNotReached } else { Key::DecisionPending })}</p>
        }
        .into_any(),
    };
    view! {
        <li class="card" data-testid="decision-step" data-step=step.code() data-done=if done { "true" } else { "false" }>
            <h3 class="card-title">{heading}</h3>
            {body}
        </li>
    }
}

/// The inline errors of a step's fields from a form's last answer.
#[derive(Clone, Copy)]
struct StepErrors {
    held_on: Signal<Option<Key>>,
    expected: Signal<Option<Key>>,
    attended: Signal<Option<Key>>,
    agreed: Signal<Option<Key>>,
    outcome: Signal<Option<Key>>,
}

impl StepErrors {
    fn of<T, S>(value: S) -> Self
    where
        T: Send + Sync + 'static,
        S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
    {
        StepErrors {
            held_on: field_error(value, "held_on"),
            expected: field_error(value, "expected"),
            attended: field_error(value, "attended"),
            agreed: field_error(value, "agreed"),
            outcome: field_error(value, "outcome"),
        }
    }
}

/// The form for the next step.
#[component]
fn NextStep(
    decision: i64,
    step: DecisionStep,
    today: NaiveDate,
    earliest: Option<NaiveDate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RecordDecisionStep>::new();
    let v = action.value();
    refresh_on_success(v);
    let heading = i18n.fill(
        Key::DecisionNextStep,
        &[
            ("n", &step.number().to_string()),
            ("step", i18n.t(step_label(step))),
        ],
    );
    view! {
        <section class="panel" aria-labelledby="next-step-title">
            <h2 id="next-step-title">{heading}</h2>
            <ActionForm action attr:class="form" attr:data-testid="step-form">
                <input type="hidden" name="decision" value=decision />
                <input type="hidden" name="step" value=step.code() />
                <StepFields step today earliest errors=StepErrors::of(v) />
                <button type="submit" class="btn btn-primary" data-testid="record-step">{i18n.t(Key::DecisionRecordStep)}</button>
                {form_error(v)}
            </ActionForm>
        </section>
    }
}

/// A step's date, attendance (required for the meetings that vote, none
/// for a disclosure) and outcome. The counts are read as typed, so the
/// quorum is checked here as the person types, by the same rule the server
/// applies, and a refusal is worded with the numbers that were sent.
#[component]
fn StepFields(
    step: DecisionStep,
    today: NaiveDate,
    earliest: Option<NaiveDate>,
    errors: StepErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let expected = RwSignal::new(String::new());
    let attended = RwSignal::new(String::new());
    let agreed = RwSignal::new(String::new());
    let votes = step.votes();
    let counts = move || {
        let n = |s: RwSignal<String>| s.with(|v| v.trim().parse::<i64>().ok());
        Some(Attendance {
            expected: n(expected)?,
            attended: n(attended)?,
            agreed: n(agreed)?,
        })
    };
    let attended_error = move || {
        errors.attended.get().map(|k| {
            if k == Key::DecisionErrorQuorum {
                match counts().filter(|a| !a.has_quorum()) {
                    Some(a) => quorum_text(i18n, a),
                    None => i18n.t(Key::DecisionErrorQuorumGeneric).to_owned(),
                }
            } else {
                i18n.t(k).to_owned()
            }
        })
    };
    let preview = move || {
        let a = counts().filter(|a| votes && a.check().is_ok())?;
        Some(if !a.has_quorum() {
            quorum_text(i18n, a)
        } else if !a.has_majority() {
            i18n.fill(
                Key::DecisionPreviewRejected,
                &[
                    ("attended", &a.attended.to_string()),
                    ("agreed", &a.agreed.to_string()),
                ],
            )
        } else {
            i18n.fill(
                Key::DecisionPreviewPassed,
                &[
                    ("attended", &a.attended.to_string()),
                    ("needed", &a.quorum_needed().to_string()),
                    ("agreed", &a.agreed.to_string()),
                ],
            )
        })
    };
    let date_label = if step.is_disclosure() {
        Key::DecisionDisclosedOnLabel
    } else {
        Key::DecisionHeldOn
    };
    let attendance = (!step.is_disclosure()).then(|| {
        view! {
            <fieldset class="fieldset">
                <legend>{i18n.t(if votes { Key::DecisionAttendanceRequired } else { Key::DecisionAttendanceOptional })}</legend>
                {votes.then(|| view! { <p class="muted" data-testid="quorum-rule">{i18n.t(Key::DecisionQuorumRule)}</p> })}
                <div class="form-grid">
                    <div class="field">
                        <label for="step-expected">{i18n.t(Key::DecisionExpected)}</label>
                        <input id="step-expected" type="number" min="0" inputmode="numeric" name="expected" bind:value=expected />
                        <p class="field-error" role="alert">{move || errors.expected.get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="step-attended">{i18n.t(Key::DecisionAttended)}</label>
                        <input id="step-attended" type="number" min="0" inputmode="numeric" name="attended" bind:value=attended />
                        <p class="field-error" role="alert" data-testid="attended-error">{attended_error}</p>
                    </div>
                    <div class="field">
                        <label for="step-agreed">{i18n.t(Key::DecisionAgreed)}</label>
                        <input id="step-agreed" type="number" min="0" inputmode="numeric" name="agreed" bind:value=agreed />
                        <p class="field-error" role="alert">{move || errors.agreed.get().map(|k| i18n.t(k))}</p>
                    </div>
                </div>
                <p class="muted" role="status" data-testid="quorum-check">{preview}</p>
            </fieldset>
        }
    });
    view! {
        <div class="field">
            <label for="step-held-on">{i18n.t(date_label)}</label>
            <input
                id="step-held-on"
                type="date"
                name="held_on"
                value=today.to_string()
                max=today.to_string()
                min=earliest.map(|d| d.to_string())
            />
            <p class="field-error" role="alert">{move || errors.held_on.get().map(|k| i18n.t(k))}</p>
        </div>
        {attendance}
        <div class="field">
            <label for="step-outcome">{i18n.t(outcome_label(step))}</label>
            <textarea id="step-outcome" name="outcome" rows="3"></textarea>
            <p class="field-error" role="alert">{move || errors.outcome.get().map(|k| i18n.t(k))}</p>
        </div>
    }
}

// ----- the notice board -----

/// The decisions disclosed to an estate (决议公开, 实施结果公开), for its
/// notice board at `/estates/:id/notices`.
#[component]
pub fn DecisionNotices(estate: i64) -> impl IntoView {
    let i18n = use_i18n();
    let notices = Resource::new_blocking(move || estate, get_decision_notices);
    view! {
        <section class="panel" aria-labelledby="decision-notices-title" data-testid="decision-notices">
            <h2 id="decision-notices-title">{i18n.t(Key::DecisionNoticesTitle)}</h2>
            <p class="muted">{i18n.t(Key::DecisionNoticesHelp)}</p>
            <Loaded resource=notices view=|n| view! { <NoticeList n /> } />
        </section>
    }
}

#[component]
fn NoticeList(n: Notices) -> impl IntoView {
    let i18n = use_i18n();
    if n.items.is_empty() {
        return view! { <p class="empty">{i18n.t(Key::DecisionNoNotices)}</p> }.into_any();
    }
    view! {
        <ul class="cards">
            {n.items.into_iter().map(|d| {
                let vote = d.resolved_on.zip(d.vote).map(|(on, a)| i18n.fill(Key::DecisionNoticeVote, &[
                    ("date", &i18n.date(on)),
                    ("expected", &a.expected.to_string()),
                    ("attended", &a.attended.to_string()),
                    ("agreed", &a.agreed.to_string()),
                ]));
                let disclosed = i18n.fill(Key::DecisionDisclosedOn, &[("date", &i18n.date(d.disclosed_on))]);
                view! {
                    <li class="card" data-testid="decision-notice">
                        <h3 class="card-title">{d.title}</h3>
                        <p class="muted">{i18n.t(kind_label(d.kind))} " · " {disclosed}</p>
                        {vote.map(|v| view! { <p>{v}</p> })}
                        <h4>{i18n.t(Key::DecisionResolutionTitle)}</h4>
                        <p class="prewrap" data-testid="decision-resolution">{d.resolution}</p>
                        {d.implementation.map(|(on, text)| view! {
                            <h4>{i18n.t(Key::DecisionImplementationTitle)}</h4>
                            <p class="muted">{i18n.fill(Key::DecisionDisclosedOn, &[("date", &i18n.date(on))])}</p>
                            <p class="prewrap" data-testid="decision-implementation">{text}</p>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

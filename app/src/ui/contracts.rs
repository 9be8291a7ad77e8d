//! A service contract: its terms and lines (each price against the market),
//! the steps the caller may take, and its full history; printable.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::contracts::{
    AddContractLine, DraftContract, RemoveContractLine, RenewContract, TakeContractStep,
    UpdateContractTerms, get_contract,
};
use crate::domain::contracts::{
    ContractState, ContractStep, ContractSummary, ContractView, FeeModel,
};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, Refresh, SelectField, TextArea, TextField, Tone, field_error, form_error, go,
    print_page, refresh_on_success, route_id,
};
use crate::ui::pricing::{PriceAgainstMarket, unit_label};

pub fn state_label(s: ContractState) -> Key {
    match s {
        ContractState::Draft => Key::ContractStateDraft,
        ContractState::Submitted => Key::ContractStateSubmitted,
        ContractState::Returned => Key::ContractStateReturned,
        ContractState::Signed => Key::ContractStateSigned,
        ContractState::Active => Key::ContractStateActive,
        ContractState::Expired => Key::ContractStateExpired,
        ContractState::Terminated => Key::ContractStateTerminated,
    }
}

fn state_tone(s: ContractState) -> Tone {
    match s {
        ContractState::Active => Tone::Success,
        ContractState::Submitted | ContractState::Signed => Tone::Info,
        ContractState::Returned => Tone::Warning,
        _ => Tone::Neutral,
    }
}

fn step_label(s: ContractStep) -> Key {
    match s {
        ContractStep::Submit => Key::ContractStepSubmit,
        ContractStep::Return => Key::ContractStepReturn,
        ContractStep::Sign => Key::ContractStepSign,
        ContractStep::Activate => Key::ContractStepActivate,
        ContractStep::Expire => Key::ContractStepExpire,
        ContractStep::Terminate => Key::ContractStepTerminate,
    }
}

fn fee_model_label(f: FeeModel) -> Key {
    match f {
        FeeModel::FixedFee => Key::ContractFeeFixed,
        FeeModel::Commission => Key::ContractFeeCommission,
    }
}

/// The contracts section of an estate's page.
#[component]
pub fn ContractsSection(
    estate: i64,
    contracts: Vec<ContractSummary>,
    can_draft: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = ServerAction::<DraftContract>::new();
    let v = draft.value();
    Effect::new(move |_| {
        if let Some(Ok(id)) = v.get() {
            go(&format!("/contracts/{id}"));
        }
    });
    let empty = contracts.is_empty();
    let rows = contracts
        .into_iter()
        .map(|c| {
            let term = format!("{} – {}", i18n.date(c.starts_on), i18n.date(c.ends_on));
            view! {
                <li data-testid="contract-summary">
                    <a href=format!("/contracts/{}", c.id)>{i18n.fill(Key::ContractNumber, &[("id", &c.id.to_string())])}</a>
                    " " <Badge tone=state_tone(c.state)>{i18n.t(state_label(c.state))}</Badge>
                    " " {term} " · " {i18n.t(fee_model_label(c.fee_model))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="contracts-title">
            <h2 id="contracts-title">{i18n.t(Key::ContractsTitle)}</h2>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::ContractsNone)}</p> })}
            <ul class="plain-list">{rows}</ul>
            {can_draft.then(|| view! {
                <button type="button" class="btn btn-secondary btn-small" on:click=move |_| {
                    draft.dispatch(DraftContract { estate });
                }>{i18n.t(Key::ContractDraft)}</button>
                {form_error(v)}
            })}
        </section>
    }
}

#[component]
pub fn ContractPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let contract = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_contract(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=contract view=|c| view! { <Contract c /> } /> }
}

#[component]
fn Contract(c: ContractView) -> impl IntoView {
    let i18n = use_i18n();
    let number = i18n.fill(Key::ContractNumber, &[("id", &c.id.to_string())]);
    let title = format!("{} · {}", i18n.name(&c.estate_name), number);
    let id = c.id.0;
    let can_edit = c.can_edit;
    let lines = c
        .lines
        .clone()
        .into_iter()
        .map(|l| {
            let line = l.id.0;
            view! {
                <tr data-testid="contract-line">
                    <td data-label=i18n.t(Key::ServiceName)>{i18n.name(&l.name)}</td>
                    <td data-label=i18n.t(Key::PriceOurs)><PriceAgainstMarket quote=l.quote.clone() unit=l.unit /></td>
                    <td data-label=i18n.t(Key::ContractBasis)>{l.basis}</td>
                    {can_edit.then(|| view! { <td class="actions"><RemoveLine line /></td> })}
                </tr>
            }
        })
        .collect_view();
    let events = c
        .events
        .clone()
        .into_iter()
        .map(|e| {
            let what = match e.step {
                Some(step) => i18n.t(step_label(step)),
                None => i18n.t(Key::ContractCreated),
            };
            view! {
                <li data-testid="contract-event">
                    <span class="muted">
                        {i18n.date(crate::domain::time::china_date(e.at))} " "
                        {crate::domain::time::to_china(e.at).format("%H:%M").to_string()}
                    </span> " "
                    <strong>{if e.by.is_empty() { i18n.t(Key::AuditSystem).to_owned() } else { e.by }}</strong> " " {what} " → "
                    <Badge tone=state_tone(e.to)>{i18n.t(state_label(e.to))}</Badge>
                    {(!e.comment.is_empty()).then(|| view! { <blockquote class="comment">{e.comment}</blockquote> })}
                </li>
            }
        })
        .collect_view();
    let late_fee = match c.late_fee {
        Some(l) => i18n.fill(
            Key::ContractLateFeeValue,
            &[("daily", &l.daily.to_string()), ("cap", &l.cap.to_string())],
        ),
        None => i18n.t(Key::ContractLateFeeNone).to_owned(),
    };
    let fee = match c.commission {
        Some(rate) => i18n.fill(
            Key::ContractFeeWithRate,
            &[
                ("model", i18n.t(fee_model_label(c.fee_model))),
                ("rate", &rate.to_string()),
            ],
        ),
        None => i18n.t(fee_model_label(c.fee_model)).to_owned(),
    };
    let steps = c
        .steps
        .iter()
        .map(|s| view! { <StepForm contract=id step=*s /> })
        .collect_view();
    let edit = can_edit.then(|| view! { <EditContract c=c.clone() /> });
    let renew = c.can_renew.then(|| view! { <RenewButton contract=id /> });
    view! {
        <Title text=title.clone() />
        <article class="panel contract" aria-labelledby="contract-title" data-testid="contract">
            <p class="eyebrow"><a href=format!("/estates/{}", c.estate)>{i18n.name(&c.estate_name)}</a></p>
            <h1 id="contract-title">
                {i18n.t(Key::ContractsTitle)} " " {number.clone()} " "
                <Badge tone=state_tone(c.state)>{i18n.t(state_label(c.state))}</Badge>
            </h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::ContractParties)}</dt>
                <dd>{i18n.name(&c.company_name)} " ↔ " {i18n.name(&c.estate_name)} {i18n.t(Key::ContractOwners)}</dd>
                <dt>{i18n.t(Key::CommitteeTerm)}</dt>
                <dd data-testid="contract-term">{format!("{} – {}", i18n.date(c.starts_on), i18n.date(c.ends_on))}</dd>
                <dt>{i18n.t(Key::ContractFeeModel)}</dt>
                <dd>{fee}</dd>
                <dt>{i18n.t(Key::ContractLateFee)}</dt>
                <dd>{late_fee}</dd>
                <dt>{i18n.t(Key::ContractVacantShare)}</dt>
                <dd data-testid="contract-vacant">{c.vacant_share.to_string()}</dd>
                <dt>{i18n.t(Key::ContractCancellation)}</dt>
                <dd data-testid="contract-cancellation">{crate::ui::orders::cancellation_text(i18n, &c.cancellation)}</dd>
                {c.renews.map(|r| view! {
                    <dt>{i18n.t(Key::ContractRenews)}</dt>
                    <dd><a href=format!("/contracts/{r}")>{i18n.fill(Key::ContractNumber, &[("id", &r.to_string())])}</a></dd>
                })}
                {c.renewed_by.map(|r| view! {
                    <dt>{i18n.t(Key::ContractRenewedBy)}</dt>
                    <dd><a href=format!("/contracts/{r}")>{i18n.fill(Key::ContractNumber, &[("id", &r.to_string())])}</a></dd>
                })}
            </dl>
            <table class="table table-cards">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::ServiceName)}</th>
                        <th scope="col">{i18n.t(Key::PriceOurs)}</th>
                        <th scope="col">{i18n.t(Key::ContractBasis)}</th>
                        {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">{i18n.t(Key::CommonActions)}</span></th> })}
                    </tr>
                </thead>
                <tbody>{lines}</tbody>
            </table>
            <p class="no-print">
                <button type="button" class="btn btn-ghost btn-small" on:click=move |_| print_page()>{i18n.t(Key::PosterPrint)}</button>
            </p>
        </article>
        {edit}
        <section class="panel no-print" aria-labelledby="steps-title">
            <h2 id="steps-title">{i18n.t(Key::ContractSteps)}</h2>
            {c.steps.is_empty().then(|| view! { <p class="empty">{i18n.t(Key::ContractNoSteps)}</p> })}
            <div class="steps">{steps}</div>
            {renew}
        </section>
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{i18n.t(Key::ContractHistory)}</h2>
            <ol class="plain-list">{events}</ol>
        </section>
    }
}

#[component]
fn StepForm(contract: i64, step: ContractStep) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<TakeContractStep>::new();
    refresh_on_success(action.value());
    let v = action.value();
    let label = i18n.t(step_label(step));
    let danger = matches!(step, ContractStep::Terminate | ContractStep::Return);
    view! {
        <ActionForm action=action attr:class="form step-form">
            <input type="hidden" name="contract" value=contract />
            <input type="hidden" name="step" value=step.code() />
            {if step.needs_comment() {
                view! { <TextArea name="comment" id=format!("comment-{}", step.code()) label=Key::ContractComment error=field_error(v, "comment") /> }.into_any()
            } else {
                view! { <input type="hidden" name="comment" value="" /> }.into_any()
            }}
            {form_error(v)}
            <button type="submit" class=if danger { "btn btn-danger" } else { "btn btn-primary" }>{label}</button>
        </ActionForm>
    }
}

#[component]
fn RemoveLine(line: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RemoveContractLine>::new();
    refresh_on_success(action.value());
    view! {
        <button type="button" class="btn btn-ghost btn-small" on:click=move |_| {
            action.dispatch(RemoveContractLine { line });
        }>{i18n.t(Key::ContractRemoveLine)}</button>
    }
}

#[component]
fn RenewButton(contract: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RenewContract>::new();
    let v = action.value();
    Effect::new(move |_| {
        if let Some(Ok(id)) = v.get() {
            go(&format!("/contracts/{id}"));
        }
    });
    view! {
        <button type="button" class="btn btn-secondary" on:click=move |_| {
            action.dispatch(RenewContract { contract });
        }>{i18n.t(Key::ContractRenew)}</button>
        {form_error(v)}
    }
}

/// The company's forms while the contract is a draft or returned.
#[component]
fn EditContract(c: ContractView) -> impl IntoView {
    let i18n = use_i18n();
    let terms = ServerAction::<UpdateContractTerms>::new();
    let line = ServerAction::<AddContractLine>::new();
    refresh_on_success(terms.value());
    refresh_on_success(line.value());
    let (tv, lv) = (terms.value(), line.value());
    let models = FeeModel::ALL
        .iter()
        .map(|f| (f.code().to_owned(), i18n.t(fee_model_label(*f)).to_owned()))
        .collect();
    let offered = c
        .offered
        .iter()
        .map(|(id, name, unit, price)| {
            (
                id.0.to_string(),
                format!(
                    "{}（{} {}）",
                    i18n.name(name),
                    i18n.money(*price),
                    i18n.t(unit_label(*unit))
                ),
            )
        })
        .collect();
    let late = c.late_fee;
    view! {
        <section class="panel no-print" aria-labelledby="edit-title">
            <h2 id="edit-title">{i18n.t(Key::ContractEdit)}</h2>
            <ActionForm action=terms attr:class="form form-row">
                <input type="hidden" name="contract" value=c.id.0 />
                <TextField name="starts_on" id="contract-starts" input_type="date" label=Key::CommitteeTermStarts value=RwSignal::new(c.starts_on.to_string()) error=field_error(tv, "starts_on") />
                <TextField name="ends_on" id="contract-ends" input_type="date" label=Key::CommitteeTermEnds value=RwSignal::new(c.ends_on.to_string()) error=field_error(tv, "ends_on") />
                <SelectField name="fee_model" id="contract-fee-model" label=Key::ContractFeeModel options=models selected=c.fee_model.code() error=field_error(tv, "fee_model") />
                <TextField name="commission" id="contract-commission" label=Key::ContractCommission hint=Key::ContractCommissionHint value=RwSignal::new(c.commission.map(|p| p.value().to_string()).unwrap_or_default()) error=field_error(tv, "commission") />
                <TextField name="late_fee_daily" id="contract-late-daily" label=Key::ContractLateFeeDaily hint=Key::ContractLateFeeHint value=RwSignal::new(late.map(|l| l.daily.value().to_string()).unwrap_or_default()) error=field_error(tv, "late_fee_daily") />
                <TextField name="late_fee_cap" id="contract-late-cap" label=Key::ContractLateFeeCap value=RwSignal::new(late.map(|l| l.cap.value().to_string()).unwrap_or_default()) error=field_error(tv, "late_fee_cap") />
                <TextField name="vacant_share" id="contract-vacant-share" label=Key::ContractVacantShare hint=Key::ContractVacantShareHint value=RwSignal::new(c.vacant_share.value().normalize().to_string()) error=field_error(tv, "vacant_share") />
                {form_error(tv)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
            <h3>{i18n.t(Key::ContractAddLine)}</h3>
            <ActionForm action=line attr:class="form form-row">
                <input type="hidden" name="contract" value=c.id.0 />
                <SelectField name="service_id" id="line-service" label=Key::ServiceName options=offered error=field_error(lv, "service") />
                <TextField name="unit_price" id="line-price" label=Key::ContractUnitPrice required=true error=field_error(lv, "unit_price") />
                <TextField name="basis" id="line-basis" label=Key::ContractBasis error=field_error(lv, "basis") />
                {form_error(lv)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::ContractAddLine)}</button>
            </ActionForm>
        </section>
    }
}

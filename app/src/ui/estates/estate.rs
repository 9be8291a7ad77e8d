//! An estate: where it sits in the grid, how it was taken over, its homeowner
//! committee (with past terms) and its buildings down to each household.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    baseline_label, choices, condition_label, position_label, route_id, takeover_state_label,
};
use crate::api::AppError;
use crate::api::estates::{
    AddBuilding, AddCommitteeMember, AddHousehold, RecordTakeover, StartCommittee, UpdateEstate,
    get_estate,
};
use crate::domain::estates::{
    BaselineItem, BuildingView, Committee, CommitteePosition, Condition, EstateView, Takeover,
    TakeoverState,
};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, CheckField, Loaded, Refresh, SelectField, TextArea, TextField, Tone, field_error,
    form_error, refresh_on_success,
};
use crate::ui::contracts::ContractsSection;

#[component]
pub fn EstatePage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let estate = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_estate(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=estate view=|e| view! { <Estate e /> } /> }
}

#[component]
fn Estate(e: EstateView) -> impl IntoView {
    let i18n = use_i18n();
    let name = i18n.name(&e.name);
    let households = e.household_count().to_string();
    let vacant = e.vacant_count().to_string();
    let area = format!("{:.2}", e.floor_area());
    let grid_worker = if e.grid_worker.is_empty() {
        i18n.t(Key::CommonNone).to_owned()
    } else {
        format!("{} {}", e.grid_worker, e.grid_worker_phone)
    };
    let id = e.id.0;
    let tools = e.can_manage.then(|| {
        let pending = e.pending_registrations.to_string();
        view! {
            <p class="tools">
                <a class="btn btn-secondary btn-small" href=format!("/estates/{id}/import")>{i18n.t(Key::ImportTitle)}</a>
                <a class="btn btn-secondary btn-small" href=format!("/estates/{id}/poster")>{i18n.t(Key::PosterTitle)}</a>
                <a class="btn btn-secondary btn-small" href=format!("/estates/{id}/registrations") data-testid="registrations-link">
                    {i18n.t(Key::RegistrationsTitle)}
                    {(e.pending_registrations > 0).then(|| view! { " " <Badge tone=Tone::Warning>{pending}</Badge> })}
                </a>
            </p>
        }
    });
    let accounts = view! {
        <p class="tools">
            {e.can_view_accounts.then(|| view! {
                <a class="btn btn-secondary btn-small" href=format!("/estates/{id}/accounts") data-testid="accounts-link">{i18n.t(Key::AccountsTitle)}</a>
            })}
            <a class="btn btn-ghost btn-small" href=format!("/estates/{id}/notices")>{i18n.t(Key::AccountsNoticesTitle)}</a>
        </p>
    };
    let edit = e.can_manage.then(|| view! { <EditEstate e=e.clone() /> });
    let buildings = e
        .buildings
        .iter()
        .map(|b| view! { <Building b=b.clone() can_manage=e.can_manage /> })
        .collect_view();
    let empty = e.buildings.is_empty();
    let add_building = e
        .can_manage
        .then(|| view! { <AddBuildingForm estate=id /> });
    view! {
        <Title text=name.clone() />
        <section class="panel" aria-labelledby="estate-title" data-testid="estate">
            <p class="eyebrow">{i18n.t(Key::EstateTitle)}</p>
            <h1 id="estate-title">{name}</h1>
            {accounts}
            <dl class="pairs">
                <dt>{i18n.t(Key::HouseholdAddress)}</dt>
                <dd>{e.address.clone()}</dd>
                <dt>{i18n.t(Key::EstateGrid)}</dt>
                <dd>{format!("{} › {}", i18n.name(&e.street), i18n.name(&e.community))}</dd>
                <dt>{i18n.t(Key::EstateGridWorker)}</dt>
                <dd>{grid_worker}</dd>
                <dt>{i18n.t(Key::EstateCompany)}</dt>
                <dd>{e.company.as_ref().map(|(_, n)| i18n.name(n)).unwrap_or_else(|| i18n.t(Key::HouseholdUnmanaged).to_owned())}</dd>
            </dl>
            <div class="stats">
                <div class="stat"><span class="stat-value" data-testid="estate-households">{households}</span><span class="stat-label">{i18n.t(Key::EstateStatHouseholds)}</span></div>
                <div class="stat"><span class="stat-value">{vacant}</span><span class="stat-label">{i18n.t(Key::EstateStatVacant)}</span></div>
                <div class="stat"><span class="stat-value">{area}</span><span class="stat-label">{i18n.t(Key::EstateStatArea)}</span></div>
            </div>
            {tools}
            {edit}
        </section>
        <TakeoverSection estate=id takeover=e.takeover.clone() can_manage=e.can_manage />
        <CommitteeSection
            estate=id
            committee=e.committee.clone()
            past=e.past_committees.clone()
            can_manage=e.can_manage_committee
        />
        <ContractsSection estate=id contracts=e.contracts.clone() can_draft=e.can_draft_contract />
        <section class="panel" aria-labelledby="buildings-title">
            <h2 id="buildings-title">{i18n.t(Key::EstateBuildings)}</h2>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::EstateEmpty)}</p> })}
            {buildings}
            {add_building}
        </section>
    }
}

#[component]
fn EditEstate(e: EstateView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdateEstate>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <details class="inline-form">
            <summary class="btn btn-ghost btn-small">{i18n.t(Key::EstateEdit)}</summary>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="estate" value=e.id.0 />
                <TextField name="name" id="estate-name" label=Key::EstateNameLabel value=RwSignal::new(e.name.zh.clone()) required=true error=field_error(v, "name") />
                <TextField name="name_en" id="estate-name-en" label=Key::OrgNameEnLabel value=RwSignal::new(e.name.en.clone()) error=field_error(v, "name_en") />
                <TextField name="address" id="estate-address" label=Key::HouseholdAddress value=RwSignal::new(e.address.clone()) error=field_error(v, "address") />
                <TextField name="grid_worker" id="estate-grid-worker" label=Key::EstateGridWorker value=RwSignal::new(e.grid_worker.clone()) error=field_error(v, "grid_worker") />
                <TextField name="grid_worker_phone" id="estate-grid-worker-phone" label=Key::EstateGridWorkerPhone input_type="tel" value=RwSignal::new(e.grid_worker_phone.clone()) error=field_error(v, "grid_worker_phone") />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn TakeoverSection(estate: i64, takeover: Option<Takeover>, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let shown = match &takeover {
        Some(t) => {
            let baseline = t
                .baseline
                .iter()
                .map(|&(item, condition)| {
                    let tone = match condition {
                        Condition::Good => Tone::Success,
                        Condition::Poor => Tone::Warning,
                        Condition::Absent => Tone::Danger,
                    };
                    view! {
                        <li>
                            {i18n.t(baseline_label(item))} " "
                            <Badge tone>{i18n.t(condition_label(condition))}</Badge>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <dl class="pairs" data-testid="takeover">
                    <dt>{i18n.t(Key::TakeoverStateBefore)}</dt>
                    <dd>{i18n.t(takeover_state_label(t.state_before))}</dd>
                    <dt>{i18n.t(Key::TakeoverDate)}</dt>
                    <dd>{i18n.date(t.taken_over_on)}</dd>
                    <dt>{i18n.t(Key::TakeoverAgreement)}</dt>
                    <dd>{t.interim_agreement.clone()}</dd>
                    <dt>{i18n.t(Key::TakeoverBaseline)}</dt>
                    <dd><ul class="chips-list">{baseline}</ul></dd>
                    <dt>{i18n.t(Key::TakeoverNotes)}</dt>
                    <dd class="prewrap">{t.baseline_notes.clone()}</dd>
                    <dt>{i18n.t(Key::TakeoverFiles)}</dt>
                    <dd class="prewrap">{t.files_handed_over.clone()}</dd>
                </dl>
            }
            .into_any()
        }
        None => view! { <p class="empty">{i18n.t(Key::TakeoverNone)}</p> }.into_any(),
    };
    let form = can_manage.then(|| view! { <TakeoverForm estate takeover=takeover.clone() /> });
    view! {
        <section class="panel" aria-labelledby="takeover-title">
            <h2 id="takeover-title">{i18n.t(Key::TakeoverTitle)}</h2>
            {shown}
            {form}
        </section>
    }
}

#[component]
fn TakeoverForm(estate: i64, takeover: Option<Takeover>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RecordTakeover>::new();
    refresh_on_success(action.value());
    let v = action.value();
    let t = takeover.as_ref();
    let date = RwSignal::new(t.map(|t| t.taken_over_on.to_string()).unwrap_or_default());
    let agreement = RwSignal::new(t.map(|t| t.interim_agreement.clone()).unwrap_or_default());
    let summary = i18n.t(if t.is_some() {
        Key::TakeoverEdit
    } else {
        Key::TakeoverRecord
    });
    let state_before = t.map(|t| t.state_before.code()).unwrap_or_default();
    let notes = t.map(|t| t.baseline_notes.clone()).unwrap_or_default();
    let files = t.map(|t| t.files_handed_over.clone()).unwrap_or_default();
    let conditions = BaselineItem::ALL
        .iter()
        .map(|item| {
            let current = t
                .and_then(|t| t.condition(*item))
                .unwrap_or(Condition::Poor)
                .code();
            view! {
                <SelectField
                    name=item.code()
                    id=format!("takeover-{}", item.code())
                    label=baseline_label(*item)
                    options=choices(Condition::ALL, Condition::code, condition_label)
                    selected=current
                    error=field_error(v, item.code())
                />
            }
        })
        .collect_view();
    view! {
        <details class="inline-form">
            <summary class="btn btn-secondary btn-small">{summary}</summary>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="estate" value=estate />
                <SelectField
                    name="state_before"
                    id="takeover-state"
                    label=Key::TakeoverStateBefore
                    options=choices(TakeoverState::ALL, TakeoverState::code, takeover_state_label)
                    selected=state_before
                    error=field_error(v, "state_before")
                />
                <TextField name="taken_over_on" id="takeover-date" input_type="date" label=Key::TakeoverDate value=date required=true error=field_error(v, "taken_over_on") />
                <TextField name="interim_agreement" id="takeover-agreement" label=Key::TakeoverAgreement value=agreement error=field_error(v, "interim_agreement") />
                <fieldset class="fieldset">
                    <legend>{i18n.t(Key::TakeoverBaseline)}</legend>
                    <div class="form-grid">{conditions}</div>
                </fieldset>
                <TextArea name="baseline_notes" id="takeover-notes" label=Key::TakeoverNotes value=notes error=field_error(v, "baseline_notes") />
                <TextArea name="files_handed_over" id="takeover-files" label=Key::TakeoverFiles value=files error=field_error(v, "files_handed_over") />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

fn committee_members(c: &Committee) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let rows = c
        .members
        .iter()
        .map(|m| {
            view! {
                <tr data-testid="committee-member">
                    <td data-label=i18n.t(Key::CommitteePosition)>{i18n.t(position_label(m.position))}</td>
                    <td data-label=i18n.t(Key::ResidentName)>{m.name.clone()}</td>
                    <td data-label=i18n.t(Key::CommitteePartyMember)>
                        {m.party_member.then(|| view! { <Badge tone=Tone::Danger>{i18n.t(Key::CommitteePartyMember)}</Badge> })}
                    </td>
                    <td data-label=i18n.t(Key::ResidentPhone)>{m.phone.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let term = format!(
        "{} – {}",
        i18n.date(c.term_starts_on),
        i18n.date(c.term_ends_on)
    );
    view! {
        <p class="term">{i18n.t(Key::CommitteeTerm)} " " {term}</p>
        <table class="table table-cards">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::CommitteePosition)}</th>
                    <th scope="col">{i18n.t(Key::ResidentName)}</th>
                    <th scope="col">{i18n.t(Key::CommitteePartyMember)}</th>
                    <th scope="col">{i18n.t(Key::ResidentPhone)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn CommitteeSection(
    estate: i64,
    committee: Option<Committee>,
    past: Vec<Committee>,
    can_manage: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let sitting = match &committee {
        Some(c) => {
            let add = can_manage.then(|| view! { <AddMemberForm committee=c.id.0 /> });
            view! {
                <div data-testid="committee">
                    {committee_members(c)}
                    {add}
                </div>
            }
            .into_any()
        }
        None => view! { <p class="empty">{i18n.t(Key::CommitteeNone)}</p> }.into_any(),
    };
    let history = (!past.is_empty()).then(|| {
        let terms = past.iter().map(committee_members).collect_view();
        view! {
            <details class="history" data-testid="committee-history">
                <summary>{i18n.t(Key::CommitteeHistory)}</summary>
                {terms}
            </details>
        }
    });
    let start = can_manage.then(|| view! { <StartCommitteeForm estate /> });
    view! {
        <section class="panel" aria-labelledby="committee-title">
            <h2 id="committee-title">{i18n.t(Key::CommitteeTitle)}</h2>
            {sitting}
            {history}
            {start}
        </section>
    }
}

#[component]
fn StartCommitteeForm(estate: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<StartCommittee>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <details class="inline-form">
            <summary class="btn btn-secondary btn-small">{i18n.t(Key::CommitteeStart)}</summary>
            <ActionForm action=action attr:class="form form-row">
                <input type="hidden" name="estate" value=estate />
                <TextField name="term_starts_on" id="committee-starts" input_type="date" label=Key::CommitteeTermStarts required=true error=field_error(v, "term_starts_on") />
                <TextField name="term_ends_on" id="committee-ends" input_type="date" label=Key::CommitteeTermEnds required=true error=field_error(v, "term_ends_on") />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn AddMemberForm(committee: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddCommitteeMember>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <details class="inline-form">
            <summary class="btn btn-secondary btn-small">{i18n.t(Key::CommitteeAddMember)}</summary>
            <ActionForm action=action attr:class="form form-row">
                <input type="hidden" name="committee" value=committee />
                <TextField name="name" id="member-name" label=Key::ResidentName required=true error=field_error(v, "name") />
                <TextField name="phone" id="member-phone" input_type="tel" label=Key::ResidentPhone error=field_error(v, "phone") />
                <SelectField
                    name="position"
                    id="member-position"
                    label=Key::CommitteePosition
                    options=choices(CommitteePosition::ALL, CommitteePosition::code, position_label)
                    selected="member"
                    error=field_error(v, "position")
                />
                <CheckField name="party_member" id="member-party" label=Key::CommitteePartyMember />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

/// One building: its head and its households, by unit.
#[component]
fn Building(b: BuildingView, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let rooms = b
        .households
        .iter()
        .map(|h| {
            let label = format!("{}{}", h.unit, h.room);
            let detail = match (&h.owner, h.floor_area) {
                (Some(owner), Some(area)) => format!("{owner} · {area}㎡"),
                (Some(owner), None) => owner.clone(),
                (None, Some(area)) => format!("{area}㎡"),
                (None, None) => String::new(),
            };
            view! {
                <li class="room" class:room-vacant=h.vacant data-testid="room">
                    <a href=format!("/households/{}", h.id)>
                        <span class="room-label">{label}</span>
                        <span class="room-detail">{detail}</span>
                        {h.vacant.then(|| view! { <span class="room-detail">{i18n.t(Key::HouseholdVacant)}</span> })}
                    </a>
                </li>
            }
        })
        .collect_view();
    let head = (!b.grid_worker.is_empty()).then(|| {
        view! {
            <p class="building-head">
                {i18n.t(Key::BuildingHead)} " " {b.grid_worker.clone()} " " {b.grid_worker_phone.clone()}
            </p>
        }
    });
    let count = b.households.len().to_string();
    let add = can_manage.then(|| view! { <AddHouseholdForm building=b.id.0 /> });
    view! {
        <section class="building" data-testid="building">
            <h3>{b.name.clone()} " " <span class="muted">{i18n.fill(Key::EstateHouseholds, &[("n", &count)])}</span></h3>
            {head}
            <ul class="rooms">{rooms}</ul>
            {add}
        </section>
    }
}

#[component]
fn AddBuildingForm(estate: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddBuilding>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <details class="inline-form">
            <summary class="btn btn-secondary btn-small">{i18n.t(Key::BuildingAdd)}</summary>
            <ActionForm action=action attr:class="form form-row">
                <input type="hidden" name="estate" value=estate />
                <TextField name="name" id="building-name" label=Key::BuildingName required=true error=field_error(v, "building") />
                <TextField name="grid_worker" id="building-head" label=Key::BuildingHead error=field_error(v, "grid_worker") />
                <TextField name="grid_worker_phone" id="building-head-phone" input_type="tel" label=Key::EstateGridWorkerPhone error=field_error(v, "grid_worker_phone") />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn AddHouseholdForm(building: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddHousehold>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <details class="inline-form">
            <summary class="btn btn-ghost btn-small">{i18n.t(Key::HouseholdAdd)}</summary>
            <ActionForm action=action attr:class="form form-row">
                <input type="hidden" name="building" value=building />
                <TextField name="unit" id=format!("household-{building}-unit") label=Key::HouseholdUnit required=true error=field_error(v, "unit") />
                <TextField name="room" id=format!("household-{building}-room") label=Key::HouseholdRoomLabel required=true error=field_error(v, "room") />
                <TextField name="floor_area" id=format!("household-{building}-area") label=Key::HouseholdAreaLabel error=field_error(v, "floor_area") />
                <CheckField name="vacant" id=format!("household-{building}-vacant") label=Key::HouseholdVacantLabel />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

//! The audit log viewer: who changed what, when, before and after.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::list_audit_entries;
use crate::domain::audit::{AuditAction, AuditEntity, AuditPage};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::Loaded;

pub fn entity_label(e: AuditEntity) -> Key {
    match e {
        AuditEntity::Street => Key::AuditEntityStreet,
        AuditEntity::Community => Key::AuditEntityCommunity,
        AuditEntity::Company => Key::AuditEntityCompany,
        AuditEntity::PartyOrganization => Key::AuditEntityPartyOrganization,
        AuditEntity::Person => Key::AuditEntityPerson,
        AuditEntity::RoleGrant => Key::AuditEntityRoleGrant,
        AuditEntity::Post => Key::AuditEntityPost,
        AuditEntity::Estate => Key::AuditEntityEstate,
        AuditEntity::Takeover => Key::AuditEntityTakeover,
        AuditEntity::Building => Key::AuditEntityBuilding,
        AuditEntity::Household => Key::AuditEntityHousehold,
        AuditEntity::Resident => Key::AuditEntityResident,
        AuditEntity::Committee => Key::AuditEntityCommittee,
        AuditEntity::Registration => Key::AuditEntityRegistration,
        AuditEntity::Service => Key::AuditEntityService,
        AuditEntity::Contract => Key::AuditEntityContract,
        AuditEntity::CleaningPlan => Key::AuditEntityCleaningPlan,
        AuditEntity::Complaint => Key::AuditEntityComplaint,
        AuditEntity::StaffProfile => Key::AuditEntityStaffProfile,
        AuditEntity::StaffLeave => Key::AuditEntityStaffLeave,
        AuditEntity::BillRun => Key::AuditEntityBillRun,
        AuditEntity::Payment => Key::AuditEntityPayment,
        AuditEntity::Adjustment => Key::AuditEntityAdjustment,
        AuditEntity::ArrearsStep => Key::AuditEntityArrearsStep,
        AuditEntity::Expense => Key::AuditEntityExpense,
        AuditEntity::CommonIncome => Key::AuditEntityCommonIncome,
        AuditEntity::Statement => Key::AuditEntityStatement,
        AuditEntity::Decision => Key::AuditEntityDecision,
        AuditEntity::VolunteerTask => Key::AuditEntityVolunteerTask,
        AuditEntity::Volunteer => Key::AuditEntityVolunteer,
    }
}

pub fn action_label(a: AuditAction) -> Key {
    match a {
        AuditAction::Create => Key::AuditActionCreate,
        AuditAction::Rename => Key::AuditActionRename,
        AuditAction::Close => Key::AuditActionClose,
        AuditAction::Grant => Key::AuditActionGrant,
        AuditAction::Revoke => Key::AuditActionRevoke,
        AuditAction::Disable => Key::AuditActionDisable,
        AuditAction::Enable => Key::AuditActionEnable,
        AuditAction::ResetPassword => Key::AuditActionResetPassword,
        AuditAction::ChangePassword => Key::AuditActionChangePassword,
        AuditAction::End => Key::AuditActionEnd,
        AuditAction::Update => Key::AuditActionUpdate,
        AuditAction::Import => Key::AuditActionImport,
        AuditAction::Approve => Key::AuditActionApprove,
        AuditAction::Reject => Key::AuditActionReject,
    }
}

/// Filters travel in the address (a plain GET form), so a filtered view can be
/// bookmarked and works before the page is interactive.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let entries = Resource::new_blocking(
        move || (param("entity"), param("person"), param("from"), param("to")),
        |(entity, person, from, to)| list_audit_entries(entity, person, from, to),
    );
    view! {
        <Title text=i18n.t(Key::AuditTitle) />
        <h1>{i18n.t(Key::AuditTitle)}</h1>
        <Loaded
            resource=entries
            view={move |page| {
                let chosen = (param("entity"), param("person"), param("from"), param("to"));
                view! { <AuditView page chosen /> }
            }}
        />
    }
}

#[component]
fn AuditView(page: AuditPage, chosen: (String, String, String, String)) -> impl IntoView {
    let i18n = use_i18n();
    let (entity, person, from, to) = chosen;
    let entity_options = AuditEntity::ALL
        .iter()
        .map(|e| {
            let selected = e.code() == entity;
            view! { <option value=e.code() selected=selected>{i18n.t(entity_label(*e))}</option> }
        })
        .collect_view();
    let person_options = page
        .people
        .iter()
        .map(|(id, name)| {
            let selected = id.0.to_string() == person;
            view! { <option value=id.0.to_string() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let rows = page
        .entries
        .iter()
        .map(|e| {
            let at = crate::domain::time::to_china(e.at).format("%Y-%m-%d %H:%M").to_string();
            let who = e.person.as_ref().map(|(_, n)| n.clone()).unwrap_or_else(|| i18n.t(Key::AuditSystem).to_owned());
            let changes = e
                .changes
                .iter()
                .map(|c| {
                    let before = c.before.clone().unwrap_or_default();
                    let after = c.after.clone().unwrap_or_default();
                    view! {
                        <li>
                            <code>{c.field.clone()}</code>": "
                            {(!before.is_empty()).then(|| view! { <del>{before}</del> " → " })}
                            <ins>{after}</ins>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid="audit-entry">
                    <td data-label=i18n.t(Key::AuditColAt)><time datetime=e.at.to_string()>{at}</time></td>
                    <td data-label=i18n.t(Key::AuditColPerson)>{who}</td>
                    <td data-label=i18n.t(Key::AuditColWhat)>{format!("{} #{}", i18n.t(entity_label(e.entity)), e.entity_id)}</td>
                    <td data-label=i18n.t(Key::AuditColAction)>{i18n.t(action_label(e.action))}</td>
                    <td data-label=i18n.t(Key::AuditColChanges)><ul class="plain">{changes}</ul></td>
                </tr>
            }
        })
        .collect_view();
    let empty = page.entries.is_empty();
    view! {
        <form class="filters filters-row" method="get" action="/audit">
            <div class="field">
                <label for="audit-entity">{i18n.t(Key::AuditEntityLabel)}</label>
                <select id="audit-entity" name="entity">
                    <option value="">{i18n.t(Key::AuditAll)}</option>
                    {entity_options}
                </select>
            </div>
            <div class="field">
                <label for="audit-person">{i18n.t(Key::AuditPersonLabel)}</label>
                <select id="audit-person" name="person">
                    <option value="">{i18n.t(Key::AuditAll)}</option>
                    {person_options}
                </select>
            </div>
            <div class="field">
                <label for="audit-from">{i18n.t(Key::AuditFromLabel)}</label>
                <input id="audit-from" name="from" type="date" value=from />
            </div>
            <div class="field">
                <label for="audit-to">{i18n.t(Key::AuditToLabel)}</label>
                <input id="audit-to" name="to" type="date" value=to />
            </div>
            <button type="submit" class="btn btn-secondary">{i18n.t(Key::AuditApply)}</button>
        </form>
        <section class="panel" aria-label=i18n.t(Key::AuditTitle)>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::AuditEmpty)}</p> })}
            {page.truncated.then(|| view! { <p class="notice">{i18n.t(Key::AuditTruncated)}</p> })}
            <table class="table table-cards">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::AuditColAt)}</th>
                        <th scope="col">{i18n.t(Key::AuditColPerson)}</th>
                        <th scope="col">{i18n.t(Key::AuditColWhat)}</th>
                        <th scope="col">{i18n.t(Key::AuditColAction)}</th>
                        <th scope="col">{i18n.t(Key::AuditColChanges)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

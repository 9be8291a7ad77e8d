//! The administrator's home: the district's structure, each unit renamed or
//! closed where it stands and new units added under their parent. Closed units
//! stay, greyed, with their history.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::org::{CloseUnit, CreateUnit, RenameUnit, get_org_tree};
use crate::domain::org::{OrgTree, OrgUnit, OrgUnitKind};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, Refresh, TextField, Tone, field_error, form_error, refresh_on_success,
};

#[component]
pub fn OrgAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = Refresh::provide();
    let tree = Resource::new_blocking(move || version.get(), |_| get_org_tree());
    view! {
        <Title text=i18n.t(Key::OrgTitle) />
        <h1>{i18n.t(Key::AdminTitle)}</h1>
        <p class="lead">{i18n.t(Key::AdminIntro)}</p>
        <p>
            <a href="/admin/people">{i18n.t(Key::PeopleTitle)}</a>
            " · "
            <a href="/roster">{i18n.t(Key::RosterTitle)}</a>
            " · "
            <a href="/audit">{i18n.t(Key::AuditTitle)}</a>
        </p>
        <Loaded resource=tree view=|tree| view! { <Tree tree /> } />
    }
}

#[component]
fn Tree(tree: OrgTree) -> impl IntoView {
    let i18n = use_i18n();
    let streets = tree
        .streets
        .into_iter()
        .map(|s| {
            let street_open = !s.unit.closed;
            let street_id = s.unit.id;
            let parties = s.party_organizations.into_iter().map(|p| view! { <li><Unit unit=p /></li> }).collect_view();
            let communities = s
                .communities
                .into_iter()
                .map(|c| {
                    let community_id = c.unit.id;
                    let open = !c.unit.closed;
                    let children = c
                        .companies
                        .into_iter()
                        .chain(c.party_organizations)
                        .map(|u| view! { <li><Unit unit=u /></li> })
                        .collect_view();
                    view! {
                        <li class="org-community">
                            <Unit unit=c.unit />
                            <ul class="org-children">{children}</ul>
                            {open.then(|| view! {
                                <AddUnit kind=OrgUnitKind::Company parent=community_id label=Key::OrgAddCompany />
                                <AddUnit kind=OrgUnitKind::PartyOrganization parent=community_id label=Key::OrgAddParty />
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="panel org-street" data-testid="org-street">
                    <div class="org-street-title"><Unit unit=s.unit /></div>
                    <ul class="org-children">{parties}</ul>
                    <ul class="org-communities">{communities}</ul>
                    {street_open.then(|| view! {
                        <AddUnit kind=OrgUnitKind::Community parent=street_id label=Key::OrgAddCommunity />
                    })}
                </section>
            }
        })
        .collect_view();
    view! {
        <h2>{i18n.name(&tree.district_name)}</h2>
        {streets}
        <AddUnit kind=OrgUnitKind::Street parent=tree.district.0 label=Key::OrgAddStreet />
    }
}

/// A unit's name with its rename and close controls.
#[component]
fn Unit(unit: OrgUnit) -> impl IntoView {
    let i18n = use_i18n();
    let rename = ServerAction::<RenameUnit>::new();
    let close = ServerAction::<CloseUnit>::new();
    refresh_on_success(rename.value());
    refresh_on_success(close.value());
    let name = i18n.name(&unit.name);
    let name_shown = name.clone();
    let kind = unit.kind.code();
    let id = unit.id;
    let (zh, en) = (unit.name.zh.clone(), unit.name.en.clone());
    let controls = (!unit.closed).then(|| {
        let value = rename.value();
        view! {
            <details class="inline-form">
                <summary class="btn btn-ghost btn-small">{i18n.t(Key::OrgRename)}</summary>
                <ActionForm action=rename attr:class="form">
                    <input type="hidden" name="kind" value=kind />
                    <input type="hidden" name="id" value=id />
                    <TextField name="name" id=format!("rename-{kind}-{id}-name") label=Key::OrgNameLabel value=RwSignal::new(zh) error=field_error(value, "name") />
                    <TextField name="name_en" id=format!("rename-{kind}-{id}-name-en") label=Key::OrgNameEnLabel value=RwSignal::new(en) />
                    {form_error(value)}
                    <button type="submit" class="btn btn-primary btn-small">{i18n.t(Key::CommonSave)}</button>
                </ActionForm>
            </details>
            <details class="inline-form">
                <summary class="btn btn-ghost btn-small">{i18n.t(Key::OrgClose)}</summary>
                <button
                    type="button"
                    class="btn btn-danger btn-small"
                    on:click=move |_| {
                        close.dispatch(CloseUnit { kind: kind.to_owned(), id });
                    }
                >
                    {i18n.t(Key::OrgClose)} " " {name.clone()}
                </button>
                {form_error(close.value())}
            </details>
        }
    });
    view! {
        <div class="org-unit" class:org-closed=unit.closed data-testid="org-unit">
            <span class="org-name">{name_shown}</span>
            {unit.closed.then(|| view! { " " <Badge tone=Tone::Neutral>{i18n.t(Key::OrgClosed)}</Badge> })}
            {controls}
        </div>
    }
}

#[component]
fn AddUnit(kind: OrgUnitKind, parent: i64, label: Key) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUnit>::new();
    refresh_on_success(create.value());
    let value = create.value();
    view! {
        <details class="inline-form add-unit">
            <summary class="btn btn-secondary btn-small">{i18n.t(label)}</summary>
            <ActionForm action=create attr:class="form">
                <input type="hidden" name="kind" value=kind.code() />
                <input type="hidden" name="parent" value=parent />
                <TextField name="name" id=format!("add-{}-{parent}-name", kind.code()) label=Key::OrgNameLabel required=true error=field_error(value, "name") />
                <TextField name="name_en" id=format!("add-{}-{parent}-name-en", kind.code()) label=Key::OrgNameEnLabel />
                {form_error(value)}
                <button type="submit" class="btn btn-primary btn-small">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

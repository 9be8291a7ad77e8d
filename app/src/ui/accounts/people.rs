//! The administrator's accounts: create with a one-time password, grant and
//! revoke roles, reset passwords, disable and re-enable.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::accounts::{
    CreatePerson, GrantRole, ResetPassword, RevokeGrant, SetDisabled, list_people, list_scopes,
};
use crate::domain::access::Role;
use crate::domain::accounts::PersonSummary;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, SelectField, TextField, Tone, field_error, form_error, role_label,
};

#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let people = Resource::new_blocking(move || version.get(), |_| list_people());
    let scopes = Resource::new_blocking(|| (), |_| list_scopes());
    let create = ServerAction::<CreatePerson>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let disable = ServerAction::<SetDisabled>::new();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeGrant>::new();
    // Any change done: reload the list.
    Effect::new(move |_| {
        let changed = [
            create.value().with(|v| matches!(v, Some(Ok(_)))),
            reset.value().with(|v| matches!(v, Some(Ok(_)))),
            disable.value().with(|v| matches!(v, Some(Ok(_)))),
            grant.value().with(|v| matches!(v, Some(Ok(_)))),
            revoke.value().with(|v| matches!(v, Some(Ok(_)))),
        ];
        if changed.iter().any(|c| *c) {
            version.update(|v| *v += 1);
        }
    });
    let issued = move || {
        let from =
            |v: Option<Result<crate::domain::accounts::IssuedPassword, _>>| v.and_then(Result::ok);
        from(create.value().get())
            .or_else(|| from(reset.value().get()))
            .map(|p| {
                view! {
                    <p class="notice notice-success" role="status" data-testid="issued-password">
                        {i18n.fill(
                            Key::PeopleIssued,
                            &[("login", &p.login), ("password", &p.one_time_password)],
                        )}
                    </p>
                }
            })
    };
    let create_value = create.value();
    let grant_value = grant.value();

    view! {
        <Title text=i18n.t(Key::PeopleTitle) />
        <h1>{i18n.t(Key::PeopleTitle)}</h1>
        {issued}
        {form_error(reset.value())}
        {form_error(disable.value())}
        {form_error(revoke.value())}
        <section class="panel" aria-labelledby="people-list-title">
            <h2 id="people-list-title" class="visually-hidden">{i18n.t(Key::PeopleTitle)}</h2>
            <Loaded
                resource=people
                view={move |people: Vec<PersonSummary>| {
                    view! { <PeopleTable people reset disable revoke /> }
                }}
            />
        </section>
        <section class="panel panel-narrow" aria-labelledby="create-title">
            <h2 id="create-title">{i18n.t(Key::PeopleCreateTitle)}</h2>
            <ActionForm action=create attr:class="form">
                <TextField name="name" label=Key::PeopleNameLabel required=true error=field_error(create_value, "name") />
                <TextField name="phone" label=Key::PeoplePhoneLabel input_type="tel" error=field_error(create_value, "phone") />
                <TextField name="username" label=Key::PeopleUsernameLabel error=field_error(create_value, "username") />
                <TextField name="email" label=Key::PeopleEmailLabel input_type="email" error=field_error(create_value, "email") />
                {form_error(create_value)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::PeopleCreateSubmit)}</button>
            </ActionForm>
        </section>
        <section class="panel panel-narrow" aria-labelledby="grant-title">
            <h2 id="grant-title">{i18n.t(Key::PeopleGrantTitle)}</h2>
            <Loaded
                resource=scopes
                view={move |scopes: Vec<(String, crate::domain::LocalizedName)>| {
                    let scope_options: Vec<(String, String)> = scopes
                        .into_iter()
                        .map(|(code, name)| (code, i18n.name(&name)))
                        .collect();
                    let role_options: Vec<(String, String)> = Role::ALL
                        .iter()
                        .map(|r| (r.code().to_owned(), i18n.t(role_label(*r)).to_owned()))
                        .collect();
                    view! {
                        <ActionForm action=grant attr:class="form">
                            <Loaded
                                resource=people
                                view={move |people: Vec<PersonSummary>| {
                                    let options = people
                                        .into_iter()
                                        .map(|p| (p.id.0.to_string(), p.name))
                                        .collect();
                                    view! { <SelectField name="person" label=Key::PeoplePersonLabel options /> }
                                }}
                            />
                            <SelectField name="role" label=Key::PeopleRoleLabel options=role_options error=field_error(grant_value, "role") />
                            <SelectField name="scope" label=Key::PeopleScopeLabel options=scope_options.clone() error=field_error(grant_value, "scope") />
                            {form_error(grant_value)}
                            <button type="submit" class="btn btn-primary">{i18n.t(Key::PeopleGrantSubmit)}</button>
                        </ActionForm>
                    }
                }}
            />
        </section>
    }
}

#[component]
fn PeopleTable(
    people: Vec<PersonSummary>,
    reset: ServerAction<ResetPassword>,
    disable: ServerAction<SetDisabled>,
    revoke: ServerAction<RevokeGrant>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = people
        .into_iter()
        .map(|p| {
            let id = p.id.0;
            let login = p.username.clone().or(p.phone.clone()).unwrap_or_default();
            let grants = p
                .grants
                .iter()
                .map(|g| {
                    let grant = g.id.0;
                    view! {
                        <li>
                            {format!("{} · {}", i18n.t(role_label(g.role)), i18n.name(&g.scope_name))}
                            " "
                            <button
                                type="button"
                                class="btn btn-ghost btn-small"
                                on:click=move |_| {
                                    revoke.dispatch(RevokeGrant { grant });
                                }
                            >
                                {i18n.t(Key::PeopleRevoke)}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            let disabled = p.disabled;
            view! {
                <tr data-testid="person">
                    <td data-label=i18n.t(Key::PeopleColName)>
                        {p.name.clone()}
                        {disabled.then(|| view! { " " <Badge tone=Tone::Danger>{i18n.t(Key::PeopleDisabled)}</Badge> })}
                        {p.must_change_password.then(|| view! { " " <Badge tone=Tone::Warning>{i18n.t(Key::PeopleMustChange)}</Badge> })}
                    </td>
                    <td data-label=i18n.t(Key::PeopleColLogin)>{login}</td>
                    <td data-label=i18n.t(Key::PeopleColRoles)><ul class="plain">{grants}</ul></td>
                    <td class="actions">
                        <button type="button" class="btn btn-secondary btn-small" on:click=move |_| {
                            reset.dispatch(ResetPassword { person: id });
                        }>{i18n.t(Key::PeopleReset)}</button>
                        <button type="button" class="btn btn-secondary btn-small" on:click=move |_| {
                            disable.dispatch(SetDisabled { person: id, disabled: !disabled });
                        }>
                            {i18n.t(if disabled { Key::PeopleEnable } else { Key::PeopleDisable })}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table-cards">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::PeopleColName)}</th>
                    <th scope="col">{i18n.t(Key::PeopleColLogin)}</th>
                    <th scope="col">{i18n.t(Key::PeopleColRoles)}</th>
                    <th scope="col">{i18n.t(Key::PeopleColActions)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

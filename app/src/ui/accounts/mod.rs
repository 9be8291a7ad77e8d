//! Signing in, one's own account (roles and password), and the
//! administrator's accounts page.

mod people;

pub use people::PeoplePage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::accounts::{ChangePassword, Login, SwitchRole, current_session};
use crate::domain::access::Caller;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, TextField, Tone, field_error, form_error, go, role_label, safe_next,
};
use crate::ui::mail::MailPreferencesPanel;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let login = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(home)) = login.value().get() {
            // A one-time password must be changed before anything else.
            let next = query
                .with_untracked(|q| q.get("next"))
                .and_then(|n| safe_next(&n));
            match next {
                Some(next) if home != "/account/password" => go(&next),
                _ => go(&home),
            }
        }
    });
    let value = login.value();
    view! {
        <Title text=i18n.t(Key::LoginTitle) />
        <section class="panel panel-narrow" aria-labelledby="login-title">
            <h1 id="login-title">{i18n.t(Key::LoginTitle)}</h1>
            <p>{i18n.t(Key::LoginIntro)}</p>
            <ActionForm action=login attr:class="form" attr:data-testid="login-form">
                <TextField
                    name="login"
                    label=Key::LoginLoginLabel
                    autocomplete="username"
                    required=true
                    error=field_error(value, "login")
                />
                <TextField
                    name="password"
                    label=Key::LoginPasswordLabel
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    error=field_error(value, "password")
                />
                {form_error(value)}
                <button type="submit" class="btn btn-primary" disabled=move || login.pending().get()>
                    {i18n.t(Key::LoginSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}

/// The signed-in caller, or the sign-in page.
fn signed_in() -> Resource<Result<Caller, AppError>> {
    Resource::new_blocking(
        || (),
        |_| async { current_session().await?.ok_or(AppError::Unauthenticated) },
    )
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(Key::AccountTitle) />
        <Loaded resource=signed_in() view=|caller| view! { <Account caller /> } />
    }
}

#[component]
fn Account(caller: Caller) -> impl IntoView {
    let i18n = use_i18n();
    let switch = ServerAction::<SwitchRole>::new();
    Effect::new(move |_| {
        if let Some(Ok(home)) = switch.value().get() {
            go(&home);
        }
    });
    let current = caller.grant.as_ref().map(|g| g.id);
    let grants = caller
        .grants
        .iter()
        .map(|g| {
            let id = g.id;
            let action = if Some(id) == current {
                view! { <Badge tone=Tone::Success>{i18n.t(Key::AccountCurrent)}</Badge> }.into_any()
            } else {
                view! {
                    <button
                        type="button"
                        class="btn btn-secondary btn-small"
                        on:click=move |_| {
                            switch.dispatch(SwitchRole { grant: id.0 });
                        }
                    >
                        {i18n.t(Key::AccountSwitch)}
                    </button>
                }
                .into_any()
            };
            view! {
                <li class="grant" data-testid="grant">
                    <span class="grant-role">{i18n.t(role_label(g.role))}</span>
                    <span class="grant-scope">{i18n.name(&g.scope_name)}</span>
                    {action}
                </li>
            }
        })
        .collect_view();
    let no_roles = caller.grants.is_empty();
    view! {
        <section class="panel" aria-labelledby="account-title">
            <h1 id="account-title">{caller.name.clone()}</h1>
            <h2>{i18n.t(Key::AccountRolesTitle)}</h2>
            {no_roles.then(|| view! { <p class="empty">{i18n.t(Key::AccountNoRoles)}</p> })}
            <ul class="grants">{grants}</ul>
            {form_error(switch.value())}
        </section>
        <MailPreferencesPanel />
        <PasswordForm forced=false />
    }
}

/// Where a one-time password is replaced; also reachable from the account page.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(Key::PasswordTitle) />
        <Loaded
            resource=signed_in()
            view=|caller| view! { <PasswordForm forced=caller.must_change_password /> }
        />
    }
}

#[component]
fn PasswordForm(forced: bool) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    Effect::new(move |_| {
        if let Some(Ok(home)) = change.value().get() {
            go(&home);
        }
    });
    let value = change.value();
    view! {
        <section class="panel panel-narrow" aria-labelledby="password-title">
            <h2 id="password-title">{i18n.t(Key::PasswordTitle)}</h2>
            {forced.then(|| view! {
                <p class="notice notice-warning" data-testid="password-forced">
                    {i18n.t(Key::PasswordForced)}
                </p>
            })}
            <ActionForm action=change attr:class="form">
                <TextField
                    name="current"
                    label=Key::PasswordCurrentLabel
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    error=field_error(value, "current")
                />
                <TextField
                    name="new"
                    label=Key::PasswordNewLabel
                    input_type="password"
                    autocomplete="new-password"
                    hint=Key::PasswordNewHint
                    required=true
                    error=field_error(value, "new")
                />
                <TextField
                    name="confirm"
                    label=Key::PasswordConfirmLabel
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=field_error(value, "confirm")
                />
                {form_error(value)}
                <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>
                    {i18n.t(Key::PasswordSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}

//! Signing in and out, one's own account, and the administrator's accounts.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::access::Caller;
use crate::domain::accounts::{IssuedPassword, PersonSummary};
#[cfg(feature = "ssr")]
use crate::services::access::Target;

/// Public: who is signed in, if anyone (for the header and the page guards).
#[server(endpoint = "accounts/current_session")]
pub async fn current_session() -> Result<Option<Caller>, AppError> {
    crate::api::authorized(Action::ViewDirectory, Target::Public, |a| {
        Ok(a.session.map(|s| s.caller.clone()))
    })
    .await
}

/// Public: signs in and sets a fresh session cookie; returns the home page.
#[server(endpoint = "accounts/login")]
pub async fn login(login: String, password: String) -> Result<String, AppError> {
    use crate::api::{client_address, run_service, session_token, set_session_cookie};
    let address = client_address();
    let previous = session_token();
    let signed_in = run_service(move |state| {
        let now = state.clock.now();
        // A new session id at every sign-in: an old one is ended, never reused.
        if let Some(old) = previous {
            let mut conn = state.db.conn()?;
            if let Some(s) =
                crate::services::access::session(&mut conn, &old, &state.auth.session, now)?
            {
                crate::services::accounts::logout(&mut conn, &s, now)?;
            }
        }
        let signed_in = crate::services::accounts::login(state, &login, &password, &address, now)?;
        Ok((signed_in, state.auth))
    })
    .await;
    let (signed_in, auth) = signed_in?;
    set_session_cookie(
        Some(&signed_in.token),
        auth.session.absolute.num_seconds(),
        auth.secure_cookie,
    );
    Ok(signed_in.home)
}

/// Signed in: ends the session on the server and clears the cookie.
#[server(endpoint = "accounts/logout")]
pub async fn logout() -> Result<(), AppError> {
    let secure = crate::api::authorized(Action::UseOwnAccount, Target::OwnAccount, |a| {
        let session = a.session()?;
        crate::services::accounts::logout(a.conn, session, a.now)?;
        Ok(a.state.auth.secure_cookie)
    })
    .await?;
    crate::api::set_session_cookie(None, 0, secure);
    Ok(())
}

/// Signed in: changes one's own password; returns the home page.
#[server(endpoint = "accounts/change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<String, AppError> {
    let address = crate::api::client_address();
    crate::api::authorized(Action::UseOwnAccount, Target::OwnAccount, move |a| {
        let session = a.session()?;
        if new != confirm {
            return Err(AppError::invalid(
                "confirm",
                crate::i18n::Key::PasswordErrorMismatch,
            ));
        }
        crate::services::accounts::change_password(
            a.conn,
            a.state,
            session,
            (&current, &new),
            &address,
            a.now,
        )
    })
    .await
}

/// Signed in: acts in another of one's own grants; returns its home page.
#[server(endpoint = "accounts/switch_role")]
pub async fn switch_role(grant: i64) -> Result<String, AppError> {
    crate::api::authorized(Action::UseOwnAccount, Target::OwnAccount, move |a| {
        let session = a.session()?;
        crate::services::accounts::switch_role(
            a.conn,
            session,
            crate::domain::access::GrantId(grant),
        )
    })
    .await
}

/// Admin: every account with its roles.
#[server(endpoint = "accounts/list_people")]
pub async fn list_people() -> Result<Vec<PersonSummary>, AppError> {
    crate::api::authorized(Action::ManageAccounts, Target::OwnScope, |a| {
        crate::services::accounts::people(a.conn)
    })
    .await
}

/// Admin: the scopes a role can be granted over, with their names.
#[server(endpoint = "accounts/list_scopes")]
pub async fn list_scopes() -> Result<Vec<(String, crate::domain::LocalizedName)>, AppError> {
    crate::api::authorized(Action::ManageAccounts, Target::OwnScope, |a| {
        let caller = a.caller()?;
        crate::services::accounts::scope_choices(a.conn, caller)
    })
    .await
}

/// Admin: a new account with a one-time password, shown once.
#[server(endpoint = "accounts/create_person")]
pub async fn create_person(
    name: String,
    phone: String,
    username: String,
    email: String,
) -> Result<IssuedPassword, AppError> {
    crate::api::authorized(Action::ManageAccounts, Target::OwnScope, move |a| {
        let caller = a.caller()?;
        let new = crate::services::accounts::NewAccount::parse(&name, &phone, &username, &email)?;
        crate::services::accounts::create_person(a.conn, caller, &new, a.now)
    })
    .await
}

/// Admin: a new one-time password for someone who forgot theirs.
#[server(endpoint = "accounts/reset_password")]
pub async fn reset_password(person: i64) -> Result<IssuedPassword, AppError> {
    use crate::domain::access::PersonId;
    crate::api::authorized(
        Action::ManageAccounts,
        Target::Person(PersonId(person)),
        move |a| {
            let caller = a.caller()?;
            crate::services::accounts::reset_password(a.conn, caller, PersonId(person), a.now)
        },
    )
    .await
}

/// Admin: disables (ending every session) or re-enables an account.
#[server(endpoint = "accounts/set_disabled")]
pub async fn set_disabled(person: i64, disabled: bool) -> Result<(), AppError> {
    use crate::domain::access::PersonId;
    crate::api::authorized(
        Action::ManageAccounts,
        Target::Person(PersonId(person)),
        move |a| {
            let caller = a.caller()?;
            crate::services::accounts::set_disabled(
                a.conn,
                caller,
                PersonId(person),
                disabled,
                a.now,
            )
        },
    )
    .await
}

/// Admin: grants a role over a scope ("company:5"); the scope must lie in the
/// administrator's district.
#[server(endpoint = "accounts/grant_role")]
pub async fn grant_role(person: i64, role: String, scope: String) -> Result<(), AppError> {
    use crate::domain::access::{PersonId, Role, Scope};
    use crate::i18n::Key;
    let parsed = Scope::parse(&scope);
    let target = parsed.map_or(Target::OwnScope, |s| {
        crate::services::access::scope_target(&s)
    });
    crate::api::authorized(Action::ManageAccounts, target, move |a| {
        let caller = a.caller()?;
        let role =
            Role::from_code(&role).ok_or(AppError::invalid("role", Key::PeopleErrorScopeKind))?;
        let scope = parsed.ok_or(AppError::invalid("scope", Key::PeopleErrorScopeKind))?;
        let place = crate::services::access::place_of(a.conn, target, None)?;
        crate::services::accounts::grant_role(
            a.conn,
            caller,
            PersonId(person),
            role,
            scope,
            &place,
            a.now,
        )?;
        Ok(())
    })
    .await
}

/// Admin: revokes a grant within the administrator's district.
#[server(endpoint = "accounts/revoke_grant")]
pub async fn revoke_grant(grant: i64) -> Result<(), AppError> {
    use crate::domain::access::GrantId;
    crate::api::authorized_with(
        Action::ManageAccounts,
        move |conn| {
            let scope = crate::services::accounts::grant_scope(conn, GrantId(grant))?;
            Ok(crate::services::access::scope_target(&scope))
        },
        move |a| {
            let caller = a.caller()?;
            crate::services::accounts::revoke_grant(a.conn, caller, GrantId(grant), a.now)
        },
    )
    .await
}

//! Signing in and out, passwords, role switching, and the administrator's
//! account management. Every change is audited in its own transaction.

use chrono::NaiveDateTime;
use serde_json::json;

use super::AppState;
use super::access::{self, Session};
use super::audit::{self, Change};
use super::passwords;
use crate::db::{DbConn, accounts, write_tx};
use crate::domain::access::{Caller, GrantId, PersonId, Place, Role, Scope};
use crate::domain::accounts::{
    IssuedPassword, LoginName, LoginNameError, NewPassword, PasswordError, PersonSummary,
};
use crate::error::AppError;
use crate::i18n::Key;

/// A successful sign-in: the token for the cookie and where to go.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub home: String,
}

/// Signs a person in. Refused attempts all look alike to the person, whether
/// the account is unknown, disabled or the password wrong; throttling counts
/// by the typed name and the address, so it reveals nothing either.
pub fn login(
    state: &AppState,
    login: &str,
    password: &str,
    address: &str,
    now: NaiveDateTime,
) -> Result<SignedIn, AppError> {
    let name = LoginName::parse(login).map_err(|e| match e {
        LoginNameError::Empty => AppError::invalid("login", Key::LoginErrorLoginRequired),
        LoginNameError::Malformed => AppError::invalid("login", Key::LoginErrorLoginMalformed),
    })?;
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            Key::LoginErrorPasswordRequired,
        ));
    }
    let mut conn = state.db.conn()?;
    let attempt = claim_attempt(&mut conn, state, name.as_str(), address, now)?;
    let person = match &name {
        LoginName::Phone(p) => accounts::person_by_phone(&mut conn, p)?,
        LoginName::Username(u) => accounts::person_by_username(&mut conn, u)?,
    };
    let password_ok =
        passwords::verify(person.as_ref().map(|p| p.password_hash.as_str()), password);
    let person = match person {
        Some(p) if password_ok && p.disabled_at.is_none() => p,
        // The attempt stays counted as failed.
        _ => return Err(AppError::BadCredentials),
    };
    // Right password, but a one-time one left too long: said so, since the
    // person knows the password already.
    if person.must_change_password
        && crate::domain::accounts::one_time_password_expired(
            person.password_set_at.unwrap_or(person.created_at),
            now,
        )
    {
        return Err(AppError::Conflict(Key::LoginErrorPasswordExpired));
    }
    let (token, token_hash) = passwords::new_session_token();
    let grants = access::grants_of(&mut conn, person.id)?;
    write_tx(&mut conn, |conn| {
        accounts::mark_login_attempt_succeeded(conn, attempt)?;
        accounts::insert_session(
            conn,
            &accounts::NewSession {
                token_hash: &token_hash,
                person_id: person.id,
                grant_id: grants.first().map(|g| g.id.0),
                now,
                expires_at: now + state.auth.session.absolute,
            },
        )?;
        Ok::<_, AppError>(())
    })?;
    let caller = Caller {
        person: PersonId(person.id),
        name: person.name,
        grant: grants.first().cloned(),
        grants,
        must_change_password: person.must_change_password,
    };
    Ok(SignedIn {
        token,
        home: caller.home_path(),
    })
}

/// Counts a password attempt before the slow check, in one step with the
/// throttle's question, so that guesses sent in parallel cannot all slip in
/// under the limit. The attempt counts as failed until marked otherwise.
fn claim_attempt(
    conn: &mut DbConn,
    state: &AppState,
    account_key: &str,
    address: &str,
    now: NaiveDateTime,
) -> Result<i64, AppError> {
    let policy = state.auth.throttle;
    let claimed = write_tx(conn, |conn| {
        accounts::lock_login_attempts(conn)?;
        let (by_account, by_address) =
            accounts::recent_failures(conn, account_key, address, now - policy.window)?;
        if !policy.allows(by_account, by_address) {
            return Ok::<_, AppError>(None);
        }
        Ok(Some(accounts::insert_login_attempt(
            conn,
            account_key,
            address,
            now,
        )?))
    })?;
    claimed.ok_or_else(|| {
        tracing::warn!(address, "password attempt throttled");
        AppError::Throttled
    })
}

/// Ends the session on the server; the cookie alone would not be enough.
pub fn logout(conn: &mut DbConn, session: &Session, now: NaiveDateTime) -> Result<(), AppError> {
    accounts::end_session(conn, session.id, now)?;
    Ok(())
}

/// Changes one's own password, checking the current one. Other sessions of the
/// person end; this one stays. Returns the home page to go to.
pub fn change_password(
    conn: &mut DbConn,
    state: &AppState,
    session: &Session,
    (current, new): (&str, &str),
    address: &str,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let person = accounts::person(conn, session.caller.person.0)?;
    // Guessing the current password from a borrowed session is throttled as
    // signing in is, and counts with it.
    let key = person
        .username
        .clone()
        .or_else(|| person.phone.clone())
        .unwrap_or_else(|| format!("person:{}", person.id));
    let attempt = claim_attempt(conn, state, &key, address, now)?;
    if !passwords::verify(Some(&person.password_hash), current) {
        return Err(AppError::invalid("current", Key::PasswordErrorCurrentWrong));
    }
    accounts::mark_login_attempt_succeeded(conn, attempt)?;
    let logins = [
        person.phone.as_deref().unwrap_or_default(),
        person.username.as_deref().unwrap_or_default(),
    ];
    let new = NewPassword::parse(new, &logins).map_err(password_error)?;
    if new.expose() == current {
        return Err(AppError::invalid("new", Key::PasswordErrorUnchanged));
    }
    let hash = passwords::hash(new.expose())?;
    write_tx(conn, |conn| {
        accounts::set_password(conn, person.id, &hash, false, now)?;
        accounts::end_sessions_of(conn, person.id, Some(session.id), now)?;
        let place = person_place(conn, session.caller.person)?;
        audit::record(
            conn,
            Change {
                by: Some(session.caller.person),
                entity: crate::domain::audit::AuditEntity::Person,
                entity_id: person.id,
                action: crate::domain::audit::AuditAction::ChangePassword,
                before: None,
                after: None,
                place: &place,
            },
            now,
        )
    })?;
    let mut caller = session.caller.clone();
    caller.must_change_password = false;
    Ok(caller.home_path())
}

pub fn password_error(e: PasswordError) -> AppError {
    AppError::invalid(
        "new",
        match e {
            PasswordError::TooShort => Key::PasswordErrorTooShort,
            PasswordError::TooLong => Key::PasswordErrorTooLong,
            PasswordError::OnlyDigits => Key::PasswordErrorOnlyDigits,
            PasswordError::SameAsLogin => Key::PasswordErrorSameAsLogin,
        },
    )
}

/// Acts in another of one's own grants from now on; returns its home page.
pub fn switch_role(
    conn: &mut DbConn,
    session: &Session,
    grant: GrantId,
) -> Result<String, AppError> {
    let target = session
        .caller
        .grants
        .iter()
        .find(|g| g.id == grant)
        .ok_or(AppError::Forbidden)?;
    accounts::set_session_grant(conn, session.id, grant.0)?;
    Ok(target.home_path())
}

fn person_place(conn: &mut DbConn, person: PersonId) -> Result<Place, AppError> {
    access::place_of(conn, access::Target::Person(person), None)
}

/// Every account of the district with its live grants, two queries.
pub fn people(conn: &mut DbConn) -> Result<Vec<PersonSummary>, AppError> {
    let persons = accounts::all_persons(conn)?;
    let grant_rows = accounts::all_live_grants(conn)?;
    let mut out = Vec::with_capacity(persons.len());
    for p in persons {
        let grants = grant_rows
            .iter()
            .filter(|g| g.person_id == p.id)
            .map(|g| access::role_grant(conn, g))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(PersonSummary {
            id: PersonId(p.id),
            name: p.name,
            phone: p.phone,
            username: p.username,
            disabled: p.disabled_at.is_some(),
            must_change_password: p.must_change_password,
            grants,
        });
    }
    Ok(out)
}

/// A new account, checked: a name, and a phone number and/or a username.
pub struct NewAccount {
    pub name: String,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub email: Option<String>,
}

impl NewAccount {
    pub fn parse(
        name: &str,
        phone: &str,
        username: &str,
        email: &str,
    ) -> Result<NewAccount, AppError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 50 {
            return Err(AppError::invalid("name", Key::PeopleErrorName));
        }
        let phone = match phone.trim() {
            "" => None,
            p => match LoginName::parse(p) {
                Ok(LoginName::Phone(p)) => Some(p),
                _ => return Err(AppError::invalid("phone", Key::PeopleErrorPhone)),
            },
        };
        let username = match username.trim() {
            "" => None,
            u => match LoginName::parse(u) {
                Ok(LoginName::Username(u)) => Some(u),
                _ => return Err(AppError::invalid("username", Key::PeopleErrorUsername)),
            },
        };
        if phone.is_none() && username.is_none() {
            return Err(AppError::invalid("phone", Key::PeopleErrorLoginMissing));
        }
        let email = match email.trim() {
            "" => None,
            e => Some(
                crate::domain::mail::parse_email(e)
                    .ok_or(AppError::invalid("email", Key::PeopleErrorEmail))?,
            ),
        };
        Ok(NewAccount {
            name: name.to_owned(),
            phone,
            username,
            email,
        })
    }
}

/// Creates an account with a one-time password, shown once to the administrator.
pub fn create_person(
    conn: &mut DbConn,
    by: &Caller,
    new: &NewAccount,
    now: NaiveDateTime,
) -> Result<IssuedPassword, AppError> {
    let one_time = passwords::new_one_time_password()?;
    let hash = passwords::hash(&one_time)?;
    write_tx(conn, |conn| {
        if accounts::login_taken(conn, new.phone.as_deref(), new.username.as_deref())? {
            return Err(AppError::Conflict(Key::PeopleErrorTaken));
        }
        let id = accounts::insert_person(
            conn,
            &accounts::NewPerson {
                name: &new.name,
                phone: new.phone.as_deref(),
                username: new.username.as_deref(),
                email: new.email.as_deref(),
                password_hash: &hash,
                must_change_password: true,
            },
        )?;
        // The one-time password's three days run from now on the app's clock.
        accounts::set_password_set_at(conn, id, now)?;
        let place = person_place(conn, PersonId(id))?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: crate::domain::audit::AuditEntity::Person,
                entity_id: id,
                action: crate::domain::audit::AuditAction::Create,
                before: None,
                after: Some(json!({
                    "name": new.name, "phone": new.phone, "username": new.username, "email": new.email,
                })),
                place: &place,
            },
            now,
        )?;
        Ok(IssuedPassword {
            person: PersonId(id),
            login: new
                .username
                .clone()
                .or_else(|| new.phone.clone())
                .unwrap_or_default(),
            one_time_password: one_time.clone(),
        })
    })
}

/// Issues a new one-time password and ends the person's sessions.
pub fn reset_password(
    conn: &mut DbConn,
    by: &Caller,
    person: PersonId,
    now: NaiveDateTime,
) -> Result<IssuedPassword, AppError> {
    let row = accounts::person(conn, person.0)?;
    let one_time = passwords::new_one_time_password()?;
    let hash = passwords::hash(&one_time)?;
    write_tx(conn, |conn| {
        accounts::set_password(conn, person.0, &hash, true, now)?;
        accounts::end_sessions_of(conn, person.0, None, now)?;
        let place = person_place(conn, person)?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: crate::domain::audit::AuditEntity::Person,
                entity_id: person.0,
                action: crate::domain::audit::AuditAction::ResetPassword,
                before: None,
                after: None,
                place: &place,
            },
            now,
        )
    })?;
    Ok(IssuedPassword {
        person,
        login: row.username.or(row.phone).unwrap_or_default(),
        one_time_password: one_time,
    })
}

/// Disables or re-enables an account; disabling ends its sessions at once.
pub fn set_disabled(
    conn: &mut DbConn,
    by: &Caller,
    person: PersonId,
    disabled: bool,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if disabled && person == by.person {
        return Err(AppError::Conflict(Key::PeopleErrorDisableSelf));
    }
    write_tx(conn, |conn| {
        let row = accounts::person(conn, person.0)?;
        let was = row.disabled_at.is_some();
        if was == disabled {
            return Ok(());
        }
        accounts::set_disabled(conn, person.0, disabled.then_some(now))?;
        if disabled {
            accounts::end_sessions_of(conn, person.0, None, now)?;
        }
        let place = person_place(conn, person)?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: crate::domain::audit::AuditEntity::Person,
                entity_id: person.0,
                action: if disabled {
                    crate::domain::audit::AuditAction::Disable
                } else {
                    crate::domain::audit::AuditAction::Enable
                },
                before: Some(json!({ "disabled": was })),
                after: Some(json!({ "disabled": disabled })),
                place: &place,
            },
            now,
        )
    })
}

/// Grants a role over a scope. The caller has been authorized for the scope's
/// place; here the role must fit the scope kind.
pub fn grant_role(
    conn: &mut DbConn,
    by: &Caller,
    person: PersonId,
    role: Role,
    scope: Scope,
    scope_place: &Place,
    now: NaiveDateTime,
) -> Result<GrantId, AppError> {
    if !role.accepts(&scope) {
        return Err(AppError::invalid("scope", Key::PeopleErrorScopeKind));
    }
    write_tx(conn, |conn| {
        accounts::person(conn, person.0)?;
        let mut columns = accounts::GrantScope::default();
        match scope {
            Scope::Household(id) => columns.household_id = Some(id.0),
            Scope::Company(id) => columns.company_id = Some(id.0),
            Scope::Estate(id) => columns.estate_id = Some(id.0),
            Scope::Community(id) => columns.community_id = Some(id.0),
            Scope::Street(id) => columns.street_id = Some(id.0),
            Scope::District(id) => columns.district_id = Some(id.0),
        }
        let id = accounts::insert_grant(conn, person.0, role.code(), columns)?;
        let scope_name = access::scope_name(conn, &scope)?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: crate::domain::audit::AuditEntity::RoleGrant,
                entity_id: id,
                action: crate::domain::audit::AuditAction::Grant,
                before: None,
                after: Some(json!({
                    "person": person.0, "role": role.code(), "scope": scope_name.zh,
                })),
                place: scope_place,
            },
            now,
        )?;
        Ok(GrantId(id))
    })
}

/// Revokes a grant; the sessions acting in it end (their person signs in
/// again and acts in another grant).
pub fn revoke_grant(
    conn: &mut DbConn,
    by: &Caller,
    grant: GrantId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = accounts::grant(conn, grant.0)?;
        if row.revoked_at.is_some() {
            return Ok(());
        }
        let live = access::role_grant(conn, &row)?;
        // An administrator cannot lock themself out of administration.
        if row.person_id == by.person.0 && live.role == Role::Admin {
            return Err(AppError::Conflict(Key::PeopleErrorRevokeSelf));
        }
        end_grant(conn, by, &row, now)
    })
}

/// Ends a grant and, logged, the sessions acting in it: inside the caller's
/// transaction, so that nothing can act in the grant after it ends (a
/// resident moving out, an administrator revoking).
pub(crate) fn end_grant(
    conn: &mut DbConn,
    by: &Caller,
    row: &accounts::GrantRow,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let live = access::role_grant(conn, row)?;
    accounts::revoke_grant(conn, row.id, now)?;
    let sessions = accounts::end_sessions_in_grant(conn, row.id, now)?;
    let place = access::place_of(conn, access::scope_target(&live.scope), None)?;
    audit::record(
        conn,
        Change {
            by: Some(by.person),
            entity: crate::domain::audit::AuditEntity::RoleGrant,
            entity_id: row.id,
            action: crate::domain::audit::AuditAction::Revoke,
            before: Some(json!({
                "person": row.person_id, "role": live.role.code(), "scope": live.scope_name.zh,
            })),
            after: Some(json!({ "sessions_ended": sessions })),
            place: &place,
        },
        now,
    )
}

/// The scope a grant points at, for authorizing its revocation.
pub fn grant_scope(conn: &mut DbConn, grant: GrantId) -> Result<Scope, AppError> {
    let row = accounts::grant(conn, grant.0)?;
    Ok(access::role_grant(conn, &row)?.scope)
}

/// Every scope in the administrator's district a role can be granted over,
/// as ("kind:id", name): households, estates, companies, communities, streets
/// and the district.
pub fn scope_choices(
    conn: &mut DbConn,
    caller: &Caller,
) -> Result<Vec<(String, crate::domain::LocalizedName)>, AppError> {
    use crate::domain::LocalizedName;
    use crate::domain::org::{CommunityId, CompanyId, StreetId};
    let Some(Scope::District(district)) = caller.grant.as_ref().map(|g| g.scope) else {
        return Err(AppError::Forbidden);
    };
    let tree = super::org_admin::tree(conn, district)?;
    let mut out = vec![(Scope::District(district).code(), tree.district_name.clone())];
    for street in tree.streets.iter().filter(|s| !s.unit.closed) {
        out.push((
            Scope::Street(StreetId(street.unit.id)).code(),
            street.unit.name.clone(),
        ));
        for community in street.communities.iter().filter(|c| !c.unit.closed) {
            out.push((
                Scope::Community(CommunityId(community.unit.id)).code(),
                community.unit.name.clone(),
            ));
            for company in community.companies.iter().filter(|c| !c.closed) {
                out.push((
                    Scope::Company(CompanyId(company.id)).code(),
                    company.name.clone(),
                ));
            }
        }
    }
    let estates = crate::db::estates::open_estates(conn)?;
    for estate in &estates {
        out.push((
            Scope::Estate(crate::domain::access::EstateId(estate.id)).code(),
            LocalizedName::new(estate.name.clone(), estate.name_en.clone()),
        ));
    }
    // Every household of the open estates, from one query.
    for h in crate::db::estates::all_households(conn)? {
        let (zh, en) =
            accounts::household_label_of(&h.estate, &h.estate_en, &h.building, &h.unit, &h.room);
        out.push((
            Scope::Household(crate::domain::access::HouseholdId(h.id)).code(),
            LocalizedName::new(zh, en),
        ));
    }
    Ok(out)
}

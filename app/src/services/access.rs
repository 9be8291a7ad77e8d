//! Finding the caller from a session token, and the place of the thing a
//! request acts on, so `domain::access::authorize` can decide.

use chrono::NaiveDateTime;

use crate::db::{DbConn, accounts, org, places};
use crate::domain::LocalizedName;
use crate::domain::access::{
    Caller, EstateId, GrantId, HouseholdId, PersonId, Place, Role, RoleGrant, Scope,
};
use crate::domain::accounts::SessionPolicy;
use crate::domain::org::{CommunityId, CompanyId, DistrictId, PartyOrganizationId, StreetId};
use crate::error::AppError;

/// What a request acts on, by id; resolved to a [`Place`] before authorizing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Nothing in particular (public pages).
    Public,
    /// The caller's own account.
    OwnAccount,
    /// Where the caller's active grant points: their own scope.
    OwnScope,
    /// Another person's account, managed by an administrator of the district.
    Person(PersonId),
    Household(HouseholdId),
    Estate(EstateId),
    /// An estate as its residents see it (its notice board): the caller's
    /// own household counts as inside when it is in the estate.
    EstateNotice(EstateId),
    Company(CompanyId),
    Community(CommunityId),
    Street(StreetId),
    District(DistrictId),
    PartyOrganization(PartyOrganizationId),
}

/// A live session and the person behind it.
#[derive(Clone, Debug)]
pub struct Session {
    pub id: i64,
    pub caller: Caller,
}

/// For a service that checks the caller's scope itself: an id that exists
/// nowhere is refused as one in another estate or company is, so the answer
/// does not tell which ids exist (the gate, `api::authorized`, does the same
/// for the targets it resolves).
pub fn unknown_as_forbidden(error: impl Into<AppError>) -> AppError {
    match error.into() {
        AppError::NotFound => AppError::Forbidden,
        other => other,
    }
}

/// The session for a token, if it is live: not ended, not idle too long, not
/// past its absolute lifetime, and its person not disabled. A timed-out session
/// is ended on the way.
pub fn session(
    conn: &mut DbConn,
    token: &str,
    policy: &SessionPolicy,
    now: NaiveDateTime,
) -> Result<Option<Session>, AppError> {
    let hash = super::passwords::token_hash(token);
    let Some(row) = accounts::open_session(conn, &hash)? else {
        return Ok(None);
    };
    let person = accounts::person(conn, row.person_id)?;
    if person.disabled_at.is_some() || !policy.is_live(row.last_seen_at, row.expires_at, now) {
        accounts::end_session(conn, row.id, now)?;
        return Ok(None);
    }
    // Write at most once a minute per session: reads stay reads.
    if now - row.last_seen_at > chrono::Duration::minutes(1) {
        accounts::touch_session(conn, row.id, now)?;
    }
    let grants = grants_of(conn, person.id)?;
    let grant = row
        .grant_id
        .and_then(|id| grants.iter().find(|g| g.id.0 == id))
        .or_else(|| grants.first())
        .cloned();
    Ok(Some(Session {
        id: row.id,
        caller: Caller {
            person: PersonId(person.id),
            name: person.name,
            grant,
            grants,
            must_change_password: person.must_change_password,
        },
    }))
}

/// A person's live grants with the names of their scopes.
pub fn grants_of(conn: &mut DbConn, person_id: i64) -> Result<Vec<RoleGrant>, AppError> {
    accounts::live_grants(conn, person_id)?
        .into_iter()
        .map(|row| role_grant(conn, &row))
        .collect()
}

pub fn role_grant(conn: &mut DbConn, row: &accounts::GrantRow) -> Result<RoleGrant, AppError> {
    let corrupt = || {
        tracing::error!(grant = row.id, "role grant row does not match its role");
        AppError::Internal
    };
    let role = Role::from_code(&row.role).ok_or_else(corrupt)?;
    let scope = match (
        row.household_id,
        row.company_id,
        row.estate_id,
        row.community_id,
        row.street_id,
        row.district_id,
    ) {
        (Some(id), ..) => Scope::Household(HouseholdId(id)),
        (_, Some(id), ..) => Scope::Company(CompanyId(id)),
        (_, _, Some(id), ..) => Scope::Estate(EstateId(id)),
        (_, _, _, Some(id), ..) => Scope::Community(CommunityId(id)),
        (_, _, _, _, Some(id), _) => Scope::Street(StreetId(id)),
        (.., Some(id)) => Scope::District(DistrictId(id)),
        _ => return Err(corrupt()),
    };
    Ok(RoleGrant {
        id: GrantId(row.id),
        role,
        scope_name: scope_name(conn, &scope)?,
        scope,
    })
}

pub fn scope_name(conn: &mut DbConn, scope: &Scope) -> Result<LocalizedName, AppError> {
    let (zh, en) = match *scope {
        Scope::Household(id) => accounts::household_label(conn, id.0)?,
        Scope::Company(id) => accounts::company_name(conn, id.0)?,
        Scope::Estate(id) => accounts::estate_name(conn, id.0)?,
        Scope::Community(id) => accounts::community_name(conn, id.0)?,
        Scope::Street(id) => accounts::street_name(conn, id.0)?,
        Scope::District(id) => accounts::district_name(conn, id.0)?,
    };
    Ok(LocalizedName::new(zh, en))
}

/// Where a target sits. A target that does not exist is `NotFound`.
pub fn place_of(
    conn: &mut DbConn,
    target: Target,
    caller: Option<&Caller>,
) -> Result<Place, AppError> {
    let ids = match target {
        Target::Public => return Ok(Place::PUBLIC),
        Target::OwnAccount => {
            return Ok(caller.map_or(Place::PUBLIC, |c| Place::of_person(c.person)));
        }
        Target::OwnScope => match caller.and_then(|c| c.grant.as_ref()) {
            Some(grant) => return place_of(conn, scope_target(&grant.scope), caller),
            None => return Ok(Place::PUBLIC),
        },
        Target::Person(id) => {
            // People are district-wide: an account sits in the home district.
            accounts::person(conn, id.0)?;
            let district = org::home_district(conn)?.map(|d| DistrictId(d.id));
            return Ok(Place {
                district,
                person: Some(id),
                ..Place::PUBLIC
            });
        }
        Target::District(id) => {
            accounts::district_name(conn, id.0)?;
            return Ok(Place {
                district: Some(id),
                ..Place::PUBLIC
            });
        }
        Target::Household(id) => places::household(conn, id.0)?,
        Target::Estate(id) => places::estate(conn, id.0)?,
        Target::EstateNotice(id) => {
            let mut ids = places::estate(conn, id.0)?;
            if let Some(Scope::Household(h)) =
                caller.and_then(|c| c.grant.as_ref()).map(|g| g.scope)
                && places::household(conn, h.0)?.4 == Some(id.0)
            {
                ids.5 = Some(h.0);
            }
            ids
        }
        Target::Company(id) => places::company(conn, id.0)?,
        Target::Community(id) => places::community(conn, id.0)?,
        Target::Street(id) => places::street(conn, id.0)?,
        Target::PartyOrganization(id) => places::party_organization(conn, id.0)?,
    };
    let (district, street, community, company, estate, household) = ids;
    Ok(Place {
        district: Some(DistrictId(district)),
        street: Some(StreetId(street)),
        community: community.map(CommunityId),
        company: company.map(CompanyId),
        estate: estate.map(EstateId),
        household: household.map(HouseholdId),
        person: None,
    })
}

/// The target naming a scope itself.
pub fn scope_target(scope: &Scope) -> Target {
    match *scope {
        Scope::Household(id) => Target::Household(id),
        Scope::Company(id) => Target::Company(id),
        Scope::Estate(id) => Target::Estate(id),
        Scope::Community(id) => Target::Community(id),
        Scope::Street(id) => Target::Street(id),
        Scope::District(id) => Target::District(id),
    }
}

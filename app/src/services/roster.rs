//! The roster of the two signboards, and adding or ending posts.

use chrono::NaiveDate;
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use crate::db::{DbConn, accounts, roster, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{Action, Caller, PersonId, Place, PostId, authorize};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::org::{CommunityId, CompanyId, DistrictId, PartyOrganizationId, StreetId};
use crate::domain::roster::{Post, Roster, Signboard, SignboardChoice, roster_lines};
use crate::error::AppError;
use crate::i18n::Key;

fn place(row: &roster::SignboardRow, company: bool) -> Place {
    Place {
        district: Some(DistrictId(row.3)),
        street: Some(StreetId(row.4)),
        community: row.5.map(CommunityId),
        company: company.then_some(CompanyId(row.0)),
        ..Place::PUBLIC
    }
}

/// Every post on the signboards the caller's scope covers, side by side per
/// person. A manager sees their company and the Party organisation that leads
/// it; Party oversight and administrators everything in their scope.
pub fn roster(conn: &mut DbConn, caller: &Caller, today: NaiveDate) -> Result<Roster, AppError> {
    let grant = caller.grant.as_ref().ok_or(AppError::Forbidden)?;
    let companies = roster::company_signboards(conn)?;
    let parties = roster::party_signboards(conn)?;
    let company_rows: Vec<&roster::SignboardRow> = companies
        .iter()
        .filter(|r| place(r, true).within(&grant.scope))
        .collect();
    // A company's own Party organisation belongs on its roster too.
    let led_by: Vec<i64> = if let crate::domain::access::Scope::Company(id) = grant.scope {
        let profile_party = crate::db::org::company_profile(conn, id.0)?
            .party
            .map(|p| p.0);
        profile_party.into_iter().collect()
    } else {
        Vec::new()
    };
    let party_rows: Vec<&roster::SignboardRow> = parties
        .iter()
        .filter(|r| place(r, false).within(&grant.scope) || led_by.contains(&r.0))
        .collect();
    let company_ids: Vec<i64> = company_rows.iter().map(|r| r.0).collect();
    let party_ids: Vec<i64> = party_rows.iter().map(|r| r.0).collect();
    let posts = roster::posts_on(conn, &company_ids, &party_ids)?
        .into_iter()
        .filter_map(post_of_row)
        .collect();
    let can_manage = authorize(
        Some(caller),
        Action::ManagePosts,
        &place_of(
            conn,
            super::access::scope_target(&grant.scope),
            Some(caller),
        )?,
    )
    .is_ok();
    let signboards = company_rows
        .iter()
        .filter(|r| !r.6)
        .map(|r| SignboardChoice {
            signboard: Signboard::Company(CompanyId(r.0)),
            name: LocalizedName::new(r.1.clone(), r.2.clone()),
        })
        .chain(party_rows.iter().filter(|r| !r.6).map(|r| SignboardChoice {
            signboard: Signboard::PartyOrganization(PartyOrganizationId(r.0)),
            name: LocalizedName::new(r.1.clone(), r.2.clone()),
        }))
        .collect();
    let people = if can_manage {
        accounts::all_persons(conn)?
            .into_iter()
            .filter(|p| p.disabled_at.is_none())
            .map(|p| (PersonId(p.id), p.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Roster {
        scope: grant.scope_name.clone(),
        today,
        lines: roster_lines(posts),
        signboards,
        people,
        can_manage,
    })
}

/// The target a signboard is authorized as.
pub fn signboard_target(signboard: Signboard) -> Target {
    match signboard {
        Signboard::Company(id) => Target::Company(id),
        Signboard::PartyOrganization(id) => Target::PartyOrganization(id),
    }
}

pub fn add_post(
    conn: &mut DbConn,
    by: &Caller,
    person: PersonId,
    signboard: Signboard,
    title: &str,
    starts_on: NaiveDate,
    now: chrono::NaiveDateTime,
) -> Result<PostId, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 50 {
        return Err(AppError::invalid("title", Key::RosterErrorTitle));
    }
    let place = place_of(conn, signboard_target(signboard), Some(by))?;
    write_tx(conn, |conn| {
        let person_row = accounts::person(conn, person.0)
            .map_err(|_| AppError::invalid("person", Key::RosterErrorPerson))?;
        let (company_id, party_organization_id) = match signboard {
            Signboard::Company(id) => (Some(id.0), None),
            Signboard::PartyOrganization(id) => (None, Some(id.0)),
        };
        let id = roster::insert_post(
            conn,
            &roster::NewPost {
                person_id: person.0,
                company_id,
                party_organization_id,
                title,
                starts_on,
            },
        )?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: AuditEntity::Post,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "person": person_row.name, "title": title, "starts_on": starts_on.to_string(),
                })),
                place: &place,
            },
            now,
        )?;
        Ok(PostId(id))
    })
}

/// The signboard a post is on, for authorizing changes to it.
pub fn post_signboard(conn: &mut DbConn, id: PostId) -> Result<Signboard, AppError> {
    let (_, company, party, ..) = roster::post(conn, id.0)?;
    match (company, party) {
        (Some(c), _) => Ok(Signboard::Company(CompanyId(c))),
        (None, Some(p)) => Ok(Signboard::PartyOrganization(PartyOrganizationId(p))),
        (None, None) => Err(AppError::Internal),
    }
}

pub fn end_post(
    conn: &mut DbConn,
    by: &Caller,
    id: PostId,
    ends_on: NaiveDate,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    let signboard = post_signboard(conn, id)?;
    let place = place_of(conn, signboard_target(signboard), Some(by))?;
    write_tx(conn, |conn| {
        let (_, _, _, title, starts_on, was) = roster::post(conn, id.0)?;
        if was.is_some() {
            return Err(AppError::Conflict(Key::RosterErrorAlreadyEnded));
        }
        if ends_on < starts_on {
            return Err(AppError::invalid("ends_on", Key::RosterErrorEndBeforeStart));
        }
        roster::end_post(conn, id.0, ends_on)?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: AuditEntity::Post,
                entity_id: id.0,
                action: AuditAction::End,
                before: Some(json!({ "title": title, "ends_on": null })),
                after: Some(json!({ "title": title, "ends_on": ends_on.to_string() })),
                place: &place,
            },
            now,
        )
    })
}

/// A post as loaded, with its person; `None` for a row on no signboard.
pub(crate) fn post_of_row(row: roster::PostRow) -> Option<(PersonId, String, Post)> {
    let (signboard, (_, zh, en)) = match (row.company, row.party_organization) {
        (Some(c), _) => (Signboard::Company(CompanyId(c.0)), c),
        (None, Some(p)) => (Signboard::PartyOrganization(PartyOrganizationId(p.0)), p),
        (None, None) => return None,
    };
    Some((
        PersonId(row.person_id),
        row.person_name,
        Post {
            id: PostId(row.id),
            signboard,
            signboard_name: LocalizedName::new(zh, en),
            title: row.title,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
        },
    ))
}

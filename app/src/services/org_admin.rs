//! The administrator's org structure: district → streets → communities →
//! companies and Party organisations. Units are created, renamed and closed,
//! never deleted: bills, posts and logs point at them.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use crate::db::org::{self as db, NewCompany, NewPartyOrganization, UnitRow};
use crate::db::{DbConn, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::Caller;
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::org::{
    CommunityId, CompanyId, DistrictId, OrgCommunity, OrgStreet, OrgTree, OrgUnit, OrgUnitKind,
    PartyOrganizationId, PartyOrganizationKind, StreetId, UnitName, UnitNameError,
};
use crate::error::AppError;
use crate::i18n::Key;

pub fn tree(conn: &mut DbConn, district: DistrictId) -> Result<OrgTree, AppError> {
    let (zh, en) = crate::db::accounts::district_name(conn, district.0)?;
    let unit = |kind, (id, _, name, name_en, closed): &UnitRow| OrgUnit {
        kind,
        id: *id,
        name: LocalizedName::new(name.clone(), name_en.clone()),
        closed: *closed,
    };
    let communities = db::all_communities(conn, district.0)?;
    let companies = db::all_companies(conn, district.0)?;
    let parties = db::all_party_organizations(conn, district.0)?;
    let streets = db::all_streets(conn, district.0)?
        .iter()
        .map(|s| OrgStreet {
            unit: unit(OrgUnitKind::Street, s),
            party_organizations: parties
                .iter()
                .filter(|(community, p)| community.is_none() && p.1 == s.0)
                .map(|(_, p)| unit(OrgUnitKind::PartyOrganization, p))
                .collect(),
            communities: communities
                .iter()
                .filter(|c| c.1 == s.0)
                .map(|c| OrgCommunity {
                    unit: unit(OrgUnitKind::Community, c),
                    companies: companies
                        .iter()
                        .filter(|co| co.1 == c.0)
                        .map(|co| unit(OrgUnitKind::Company, co))
                        .collect(),
                    party_organizations: parties
                        .iter()
                        .filter(|(community, _)| *community == Some(c.0))
                        .map(|(_, p)| unit(OrgUnitKind::PartyOrganization, p))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Ok(OrgTree {
        district,
        district_name: LocalizedName::new(zh, en),
        streets,
    })
}

pub fn parse_name(zh: &str, en: &str) -> Result<UnitName, AppError> {
    UnitName::parse(zh, en).map_err(|e| match e {
        UnitNameError::Missing => AppError::invalid("name", Key::OrgErrorNameMissing),
        UnitNameError::TooLong => AppError::invalid("name", Key::OrgErrorNameTooLong),
    })
}

/// Where a new unit of `kind` under `parent` is authorized: the parent.
pub fn parent_target(kind: OrgUnitKind, parent: i64) -> Target {
    match kind {
        OrgUnitKind::Street => Target::District(DistrictId(parent)),
        OrgUnitKind::Community => Target::Street(StreetId(parent)),
        OrgUnitKind::Company | OrgUnitKind::PartyOrganization => {
            Target::Community(CommunityId(parent))
        }
    }
}

pub fn unit_target(kind: OrgUnitKind, id: i64) -> Target {
    match kind {
        OrgUnitKind::Street => Target::Street(StreetId(id)),
        OrgUnitKind::Community => Target::Community(CommunityId(id)),
        OrgUnitKind::Company => Target::Company(CompanyId(id)),
        OrgUnitKind::PartyOrganization => Target::PartyOrganization(PartyOrganizationId(id)),
    }
}

fn entity(kind: OrgUnitKind) -> AuditEntity {
    match kind {
        OrgUnitKind::Street => AuditEntity::Street,
        OrgUnitKind::Community => AuditEntity::Community,
        OrgUnitKind::Company => AuditEntity::Company,
        OrgUnitKind::PartyOrganization => AuditEntity::PartyOrganization,
    }
}

fn duplicate(e: crate::db::DbError) -> AppError {
    if e.is_unique_violation() {
        AppError::Conflict(Key::OrgErrorDuplicate)
    } else {
        e.into()
    }
}

pub fn create(
    conn: &mut DbConn,
    by: &Caller,
    kind: OrgUnitKind,
    parent: i64,
    name: &UnitName,
    founded_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64, AppError> {
    let n = name.get();
    write_tx(conn, |conn| {
        let id = match kind {
            OrgUnitKind::Street => db::insert_street(conn, parent, &n.zh, &n.en),
            OrgUnitKind::Community => db::insert_community(conn, parent, &n.zh, &n.en),
            OrgUnitKind::Company => {
                let party = db::community_party_organization(conn, parent)?;
                db::insert_company(
                    conn,
                    &NewCompany {
                        community_id: parent,
                        party_organization_id: party,
                        name: &n.zh,
                        name_en: &n.en,
                        founded_on,
                    },
                )
            }
            OrgUnitKind::PartyOrganization => {
                let street_id = db::street_of_community(conn, parent)?;
                db::insert_party_organization(
                    conn,
                    &NewPartyOrganization {
                        kind: PartyOrganizationKind::CommunityBranch.code(),
                        street_id,
                        community_id: Some(parent),
                        name: &n.zh,
                        name_en: &n.en,
                    },
                )
            }
        }
        .map_err(duplicate)?;
        let place = place_of(conn, unit_target(kind, id), Some(by))?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: entity(kind),
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({ "name": n.zh, "name_en": n.en })),
                place: &place,
            },
            now,
        )?;
        Ok(id)
    })
}

fn facts(conn: &mut DbConn, kind: OrgUnitKind, id: i64) -> Result<db::UnitFacts, AppError> {
    Ok(match kind {
        OrgUnitKind::Street => db::street_facts(conn, id),
        OrgUnitKind::Community => db::community_facts(conn, id),
        OrgUnitKind::Company => db::company_facts(conn, id),
        OrgUnitKind::PartyOrganization => db::party_organization_facts(conn, id),
    }?)
}

pub fn rename(
    conn: &mut DbConn,
    by: &Caller,
    kind: OrgUnitKind,
    id: i64,
    name: &UnitName,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let n = name.get();
    write_tx(conn, |conn| {
        let (old, old_en, closed) = facts(conn, kind, id)?;
        if closed.is_some() {
            return Err(AppError::Conflict(Key::OrgErrorClosed));
        }
        if old == n.zh && old_en == n.en {
            return Ok(());
        }
        match kind {
            OrgUnitKind::Street => db::rename_street(conn, id, &n.zh, &n.en),
            OrgUnitKind::Community => db::rename_community(conn, id, &n.zh, &n.en),
            OrgUnitKind::Company => db::rename_company(conn, id, &n.zh, &n.en),
            OrgUnitKind::PartyOrganization => db::rename_party_organization(conn, id, &n.zh, &n.en),
        }
        .map_err(duplicate)?;
        let place = place_of(conn, unit_target(kind, id), Some(by))?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: entity(kind),
                entity_id: id,
                action: AuditAction::Rename,
                before: Some(json!({ "name": old, "name_en": old_en })),
                after: Some(json!({ "name": n.zh, "name_en": n.en })),
                place: &place,
            },
            now,
        )
    })
}

/// Closes a unit. A street or community with open units under it stays open:
/// close those first, so nothing is left hanging under a closed parent.
pub fn close(
    conn: &mut DbConn,
    by: &Caller,
    kind: OrgUnitKind,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let (name, _, closed) = facts(conn, kind, id)?;
        if closed.is_some() {
            return Ok(());
        }
        let open_children = match kind {
            OrgUnitKind::Street => db::open_children_of_street(conn, id)?,
            OrgUnitKind::Community => db::open_children_of_community(conn, id)?,
            _ => 0,
        };
        if open_children > 0 {
            return Err(AppError::Conflict(Key::OrgErrorOpenChildren));
        }
        match kind {
            OrgUnitKind::Street => db::close_street(conn, id, now),
            OrgUnitKind::Community => db::close_community(conn, id, now),
            OrgUnitKind::Company => db::close_company(conn, id, now),
            OrgUnitKind::PartyOrganization => db::close_party_organization(conn, id, now),
        }?;
        let place = place_of(conn, unit_target(kind, id), Some(by))?;
        audit::record(
            conn,
            Change {
                by: Some(by.person),
                entity: entity(kind),
                entity_id: id,
                action: AuditAction::Close,
                before: Some(json!({ "name": name, "closed": false })),
                after: Some(json!({ "name": name, "closed": true })),
                place: &place,
            },
            now,
        )
    })
}

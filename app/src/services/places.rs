//! The pages of the places people belong to: a household, an estate, a
//! company's workplace, a Party organisation's overview. Callers have been
//! authorized for the place already.

use std::collections::BTreeMap;

use crate::api::AppError;
use crate::db::{DbConn, estates, roster};
use crate::domain::LocalizedName;
use crate::domain::access::{Caller, Place};
use crate::domain::estates::{CompanyWorkplace, OverseenCompany, PartyOverview};
use crate::domain::org::{CommunityId, CompanyId, DistrictId, StreetId};

pub fn workplace(
    conn: &mut DbConn,
    db: &crate::db::Db,
    id: CompanyId,
    can_see_orders: bool,
) -> Result<CompanyWorkplace, AppError> {
    let profile = super::directory::company_profile(db, id)?;
    let own = estates::open_estates(conn)?
        .into_iter()
        .filter(|e| e.company_id == Some(id.0))
        .collect();
    let estates = super::estates::listings(conn, own)?;
    let party = profile.party_organization.as_ref().map(|p| p.id.0);
    let today = crate::domain::time::china_date(chrono::Utc::now().naive_utc());
    let team: std::collections::BTreeSet<i64> =
        roster::posts_on(conn, &[id.0], &party.into_iter().collect::<Vec<_>>())?
            .into_iter()
            .filter(|p| p.starts_on <= today && p.ends_on.is_none_or(|e| today <= e))
            .map(|p| p.person_id)
            .collect();
    Ok(CompanyWorkplace {
        profile,
        estates,
        team_size: u32::try_from(team.len()).unwrap_or(u32::MAX),
        can_see_orders,
    })
}

/// The companies under the caller's Party (or admin) scope, with their estates
/// and households counted.
pub fn party_overview(conn: &mut DbConn, caller: &Caller) -> Result<PartyOverview, AppError> {
    let grant = caller.grant.as_ref().ok_or(AppError::Forbidden)?;
    let companies = roster::company_signboards(conn)?;
    let parties = roster::party_signboards(conn)?;
    let households: BTreeMap<i64, i64> = estates::household_counts(conn)?
        .into_iter()
        .map(|(estate, n, _)| (estate, n))
        .collect();
    let mut per_company: BTreeMap<i64, (u32, u32)> = BTreeMap::new();
    for estate in estates::open_estates(conn)? {
        if let Some(c) = estate.company_id {
            let entry = per_company.entry(c).or_default();
            entry.0 += 1;
            let n = households.get(&estate.id).copied().unwrap_or(0);
            entry.1 += u32::try_from(n).unwrap_or(u32::MAX);
        }
    }
    // Every community's name in one query, not one per company.
    let mut community_names = BTreeMap::new();
    for district in companies
        .iter()
        .map(|c| c.3)
        .collect::<std::collections::BTreeSet<_>>()
    {
        for (id, _, zh, en, _) in crate::db::org::all_communities(conn, district)? {
            community_names.insert(id, (zh, en));
        }
    }
    let open_complaints = crate::db::orders::open_complaints_per_company(conn)?;
    let mut out = Vec::new();
    for (id, name, name_en, district, street, community, closed) in companies {
        let place = Place {
            district: Some(DistrictId(district)),
            street: Some(StreetId(street)),
            community: community.map(CommunityId),
            company: Some(CompanyId(id)),
            ..Place::PUBLIC
        };
        if closed || !place.within(&grant.scope) {
            continue;
        }
        let community_name = community
            .and_then(|c| community_names.get(&c))
            .map(|(zh, en)| LocalizedName::new(zh.clone(), en.clone()))
            .unwrap_or_else(|| LocalizedName::new("", ""));
        let party_organization = parties
            .iter()
            .find(|p| p.5.is_some() && p.5 == community && !p.6)
            .map(|p| LocalizedName::new(p.1.clone(), p.2.clone()));
        let (estates, households) = per_company.get(&id).copied().unwrap_or_default();
        out.push(OverseenCompany {
            id: CompanyId(id),
            name: LocalizedName::new(name, name_en),
            community: community_name,
            party_organization,
            estates,
            households,
            open_complaints: open_complaints.get(&id).copied().unwrap_or(0),
        });
    }
    Ok(PartyOverview {
        scope: grant.scope_name.clone(),
        companies: out,
    })
}

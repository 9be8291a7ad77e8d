//! The public directory of companies: who serves which community, by street.

use std::collections::HashMap;

use crate::db::{DbConn, org};
use crate::domain::LocalizedName;
use crate::domain::org::{
    CompanyDirectory, CompanyId, CompanyListing, CompanyProfile, PartyOrganizationId,
    PartyOrganizationKind, PartySignboard, StreetCompanies, StreetId,
};
use crate::error::AppError;

/// Every open company of the home district, grouped by street. Two queries
/// whatever the size: streets, then companies.
pub fn company_directory(conn: &mut DbConn) -> Result<CompanyDirectory, AppError> {
    let Some(district) = org::home_district(conn)? else {
        return Ok(CompanyDirectory {
            district: LocalizedName::new("", ""),
            streets: Vec::new(),
        });
    };
    let streets = org::open_streets(conn, district.id)?;
    let mut by_street: HashMap<i64, Vec<CompanyListing>> = HashMap::new();
    for row in org::open_companies(conn, district.id)? {
        by_street
            .entry(row.street_id)
            .or_default()
            .push(CompanyListing {
                id: CompanyId(row.id),
                name: LocalizedName::new(row.name, row.name_en),
                community: LocalizedName::new(row.community_name, row.community_name_en),
                founded_on: row.founded_on,
            });
    }
    Ok(CompanyDirectory {
        district: LocalizedName::new(district.name, district.name_en),
        streets: streets
            .into_iter()
            .map(|s| StreetCompanies {
                id: StreetId(s.id),
                companies: by_street.remove(&s.id).unwrap_or_default(),
                name: LocalizedName::new(s.name, s.name_en),
            })
            .collect(),
    })
}

/// One company with its two signboards. Public information, like the directory.
pub fn company_profile(conn: &mut DbConn, id: CompanyId) -> Result<CompanyProfile, AppError> {
    let row = org::company_profile(conn, id.0)?;
    let party_organization = match row.party {
        Some((party_id, kind, name, name_en)) => Some(PartySignboard {
            id: PartyOrganizationId(party_id),
            kind: PartyOrganizationKind::from_code(&kind).ok_or_else(|| {
                tracing::error!(
                    kind,
                    party_id,
                    "unknown party organisation kind in database"
                );
                AppError::Internal
            })?,
            name: LocalizedName::new(name, name_en),
        }),
        None => None,
    };
    Ok(CompanyProfile {
        id: CompanyId(row.id),
        name: LocalizedName::new(row.name, row.name_en),
        founded_on: row.founded_on,
        community: LocalizedName::new(row.community_name, row.community_name_en),
        street: LocalizedName::new(row.street_name, row.street_name_en),
        party_organization,
    })
}

//! The organisation tree: district → streets → communities, each community with a
//! service company (first signboard) and a Party organisation (second signboard).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::LocalizedName;

id_type!(
    DistrictId,
    StreetId,
    CommunityId,
    CompanyId,
    PartyOrganizationId
);

/// What kind of Party organisation a signboard is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartyOrganizationKind {
    /// 社区党支部
    CommunityBranch,
    /// 社区党总支
    CommunityGeneralBranch,
    /// 社区党委
    CommunityCommittee,
    /// 街道党工委
    StreetWorkingCommittee,
}

impl PartyOrganizationKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::CommunityBranch => "community_branch",
            Self::CommunityGeneralBranch => "community_general_branch",
            Self::CommunityCommittee => "community_committee",
            Self::StreetWorkingCommittee => "street_working_committee",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::CommunityBranch,
            Self::CommunityGeneralBranch,
            Self::CommunityCommittee,
            Self::StreetWorkingCommittee,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// One company as the public directory lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyListing {
    pub id: CompanyId,
    pub name: LocalizedName,
    pub community: LocalizedName,
    pub founded_on: NaiveDate,
}

/// A street with the companies of its communities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetCompanies {
    pub id: StreetId,
    pub name: LocalizedName,
    pub companies: Vec<CompanyListing>,
}

/// The public directory: a district's companies grouped by street.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyDirectory {
    pub district: LocalizedName,
    pub streets: Vec<StreetCompanies>,
}

impl CompanyDirectory {
    pub fn company_count(&self) -> usize {
        self.streets.iter().map(|s| s.companies.len()).sum()
    }

    /// The streets to show for a filter: all of them, or the one chosen. An unknown
    /// street shows nothing rather than everything, so a stale filter is visible.
    pub fn filtered(&self, street: Option<StreetId>) -> Vec<&StreetCompanies> {
        self.streets
            .iter()
            .filter(|s| street.is_none_or(|id| s.id == id))
            .collect()
    }
}

/// The two signboards of one team: the company and the Party organisation that
/// leads it, with where they sit in the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyProfile {
    pub id: CompanyId,
    pub name: LocalizedName,
    pub founded_on: NaiveDate,
    pub community: LocalizedName,
    pub street: LocalizedName,
    pub party_organization: Option<PartySignboard>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartySignboard {
    pub id: PartyOrganizationId,
    pub kind: PartyOrganizationKind,
    pub name: LocalizedName,
}

/// Which level of the org structure an administrator is acting on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgUnitKind {
    Street,
    Community,
    Company,
    PartyOrganization,
}

impl OrgUnitKind {
    pub fn code(self) -> &'static str {
        match self {
            OrgUnitKind::Street => "street",
            OrgUnitKind::Community => "community",
            OrgUnitKind::Company => "company",
            OrgUnitKind::PartyOrganization => "party_organization",
        }
    }

    pub fn from_code(code: &str) -> Option<OrgUnitKind> {
        [
            OrgUnitKind::Street,
            OrgUnitKind::Community,
            OrgUnitKind::Company,
            OrgUnitKind::PartyOrganization,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// One unit of the structure with whether it is still open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub kind: OrgUnitKind,
    pub id: i64,
    pub name: LocalizedName,
    pub closed: bool,
}

/// The whole structure of a district, closed units included (greyed), for the
/// administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgTree {
    pub district: DistrictId,
    pub district_name: LocalizedName,
    pub streets: Vec<OrgStreet>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgStreet {
    pub unit: OrgUnit,
    /// The street working committee(s).
    pub party_organizations: Vec<OrgUnit>,
    pub communities: Vec<OrgCommunity>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgCommunity {
    pub unit: OrgUnit,
    pub companies: Vec<OrgUnit>,
    pub party_organizations: Vec<OrgUnit>,
}

/// A unit's names, checked: the Chinese name is required, both at most 100
/// characters, surrounding spaces dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitName(LocalizedName);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnitNameError {
    #[error("the Chinese name is required")]
    Missing,
    #[error("a name is longer than 100 characters")]
    TooLong,
}

impl UnitName {
    pub fn parse(zh: &str, en: &str) -> Result<UnitName, UnitNameError> {
        let (zh, en) = (zh.trim(), en.trim());
        if zh.is_empty() {
            return Err(UnitNameError::Missing);
        }
        if zh.chars().count() > 100 || en.chars().count() > 100 {
            return Err(UnitNameError::TooLong);
        }
        Ok(UnitName(LocalizedName::new(zh, en)))
    }

    pub fn get(&self) -> &LocalizedName {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(id: i64) -> CompanyListing {
        CompanyListing {
            id: CompanyId(id),
            name: LocalizedName::new(format!("公司{id}"), format!("Company {id}")),
            community: LocalizedName::new("社区", "Community"),
            founded_on: NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date"),
        }
    }

    fn directory() -> CompanyDirectory {
        CompanyDirectory {
            district: LocalizedName::new("古城区", "Gucheng District"),
            streets: vec![
                StreetCompanies {
                    id: StreetId(1),
                    name: LocalizedName::new("大研街道", "Dayan Street"),
                    companies: vec![listing(1), listing(2)],
                },
                StreetCompanies {
                    id: StreetId(2),
                    name: LocalizedName::new("西安街道", "Xi'an Street"),
                    companies: vec![listing(3)],
                },
            ],
        }
    }

    #[test]
    fn no_filter_shows_every_street() {
        let d = directory();
        assert_eq!(d.filtered(None).len(), 2);
        assert_eq!(d.company_count(), 3);
    }

    #[test]
    fn a_street_filter_shows_only_that_street() {
        let d = directory();
        let shown = d.filtered(Some(StreetId(2)));
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].companies[0].id, CompanyId(3));
    }

    #[test]
    fn an_unknown_street_shows_nothing() {
        assert!(directory().filtered(Some(StreetId(99))).is_empty());
    }

    #[test]
    fn unit_names_need_a_chinese_name() {
        assert_eq!(UnitName::parse(" ", "Wenhui"), Err(UnitNameError::Missing));
        assert_eq!(
            UnitName::parse(&"长".repeat(101), ""),
            Err(UnitNameError::TooLong)
        );
        let name = UnitName::parse(" 文汇社区 ", " Wenhui ").expect("valid");
        assert_eq!(name.get().zh, "文汇社区");
        assert_eq!(name.get().en, "Wenhui");
    }

    #[test]
    fn party_organization_kinds_round_trip_their_codes() {
        for kind in [
            PartyOrganizationKind::CommunityBranch,
            PartyOrganizationKind::CommunityGeneralBranch,
            PartyOrganizationKind::CommunityCommittee,
            PartyOrganizationKind::StreetWorkingCommittee,
        ] {
            assert_eq!(PartyOrganizationKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(PartyOrganizationKind::from_code("nope"), None);
    }
}

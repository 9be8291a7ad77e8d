//! The organisation tree: district → streets → communities, each community with a
//! service company (first signboard) and a Party organisation (second signboard).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::LocalizedName;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

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

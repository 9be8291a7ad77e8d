//! Estates, buildings and households in their simplest form: enough to scope
//! residents and committees. The estates area adds areas, owners and takeovers.

use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::{EstateId, HouseholdId, PersonId};
use super::org::{CompanyId, CompanyProfile};

/// One household as its residents (and those serving it) see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdView {
    pub id: HouseholdId,
    pub estate_id: EstateId,
    pub estate: LocalizedName,
    pub address: String,
    pub building: String,
    pub unit: String,
    pub room: String,
    /// The company serving the estate, with both signboards; none while the
    /// estate is unmanaged.
    pub company: Option<CompanyProfile>,
    /// People with a resident account for this household.
    pub residents: Vec<(PersonId, String)>,
}

/// An estate with its buildings and households.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateView {
    pub id: EstateId,
    pub name: LocalizedName,
    pub address: String,
    pub community: LocalizedName,
    pub company: Option<(CompanyId, LocalizedName)>,
    pub buildings: Vec<BuildingView>,
}

impl EstateView {
    pub fn household_count(&self) -> usize {
        self.buildings.iter().map(|b| b.households.len()).sum()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingView {
    pub name: String,
    pub households: Vec<HouseholdLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdLine {
    pub id: HouseholdId,
    pub unit: String,
    pub room: String,
}

/// An estate in a list: its name and how many households it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateListing {
    pub id: EstateId,
    pub name: LocalizedName,
    pub households: u32,
}

/// A company's own page, the home of its staff, managers and cashiers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyWorkplace {
    pub profile: CompanyProfile,
    pub estates: Vec<EstateListing>,
    pub team_size: u32,
}

/// What a Party organisation oversees: the companies in its community or street.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyOverview {
    pub scope: LocalizedName,
    pub companies: Vec<OverseenCompany>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverseenCompany {
    pub id: CompanyId,
    pub name: LocalizedName,
    pub community: LocalizedName,
    pub party_organization: Option<LocalizedName>,
    pub estates: u32,
    pub households: u32,
}

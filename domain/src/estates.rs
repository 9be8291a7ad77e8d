//! Estates (小区) and the households they hold: the takeover of an unmanaged
//! estate, floor areas, residents, homeowner committees with their history,
//! the grid, and residents' self-registration from the estate's QR poster.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::{BuildingId, EstateId, HouseholdId, PersonId};
use super::org::{CommunityId, CompanyId, CompanyProfile, StreetId};

id_type!(ResidentId, CommitteeId, RegistrationId);

coded_enum!(
    /// What an estate was before a company took it over.
    TakeoverState {
        /// 失管: its former property company left.
        Unmanaged = "unmanaged",
        /// 漏管: it never had one.
        Overlooked = "overlooked",
    }
);

coded_enum!(
    /// A service area checked when an estate is taken over.
    BaselineItem {
        Cleaning = "cleaning",
        Lighting = "lighting",
        Security = "security",
        Refuse = "refuse",
        Greenery = "greenery",
        Repairs = "repairs",
    }
);

coded_enum!(
    /// How a baseline item was found.
    Condition {
        Good = "good",
        Poor = "poor",
        Absent = "absent",
    }
);

coded_enum!(
    /// How a resident is related to the household.
    Relation {
        Owner = "owner",
        Tenant = "tenant",
        Family = "family",
    }
);

coded_enum!(
    CommitteePosition {
        Chair = "chair",
        ViceChair = "vice_chair",
        Member = "member",
    }
);

coded_enum!(
    RegistrationStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
);

impl Relation {
    /// The word in a spreadsheet cell, in either language.
    pub fn parse_label(input: &str) -> Option<Relation> {
        match input.trim().to_lowercase().as_str() {
            "业主" | "户主" | "owner" => Some(Relation::Owner),
            "租户" | "租客" | "tenant" => Some(Relation::Tenant),
            "家属" | "家庭成员" | "family" => Some(Relation::Family),
            _ => None,
        }
    }
}

/// The record of how a company took an estate over and what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Takeover {
    pub company: CompanyId,
    pub state_before: TakeoverState,
    pub taken_over_on: NaiveDate,
    /// The interim service agreement (临时服务协议): its number, parties, term.
    pub interim_agreement: String,
    /// Every baseline item, in `BaselineItem::ALL` order.
    pub baseline: Vec<(BaselineItem, Condition)>,
    pub baseline_notes: String,
    /// The files handed over (drawings, owner lists, keys…).
    pub files_handed_over: String,
}

impl Takeover {
    pub fn condition(&self, item: BaselineItem) -> Option<Condition> {
        self.baseline
            .iter()
            .find(|(i, _)| *i == item)
            .map(|(_, c)| *c)
    }

    /// Items found poor or absent: the work the company took on.
    pub fn shortcomings(&self) -> usize {
        self.baseline
            .iter()
            .filter(|(_, c)| *c != Condition::Good)
            .count()
    }
}

/// Why a takeover record was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TakeoverError {
    #[error("the takeover date is in the future")]
    InFuture,
    #[error("a baseline item is missing")]
    IncompleteBaseline,
}

impl Takeover {
    /// Checks a record against `today` (China time): not in the future, every
    /// baseline item present once.
    pub fn check(&self, today: NaiveDate) -> Result<(), TakeoverError> {
        if self.taken_over_on > today {
            return Err(TakeoverError::InFuture);
        }
        let complete = BaselineItem::ALL
            .iter()
            .all(|item| self.baseline.iter().filter(|(i, _)| i == item).count() == 1)
            && self.baseline.len() == BaselineItem::ALL.len();
        if !complete {
            return Err(TakeoverError::IncompleteBaseline);
        }
        Ok(())
    }
}

/// A household's floor area in m², exact to the hundredth: the base of the
/// management fee, so no floats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FloorArea(Decimal);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FloorAreaError {
    #[error("not a number")]
    NotANumber,
    #[error("zero or negative")]
    NotPositive,
    #[error("more than two decimals")]
    TooPrecise,
    #[error("larger than any dwelling")]
    TooLarge,
}

impl FloorArea {
    /// Larger than this is a typing mistake, not a flat.
    pub const MAX_SQUARE_METRES: i64 = 10_000;

    /// "89.5", "89.50", "89.5㎡" or "89.5 m²"; at most two decimals.
    pub fn parse(input: &str) -> Result<FloorArea, FloorAreaError> {
        let mut number = input.trim();
        for unit in ["㎡", "m²", "m2", "M2", "平方米", "平米"] {
            if let Some(rest) = number.strip_suffix(unit) {
                number = rest.trim_end();
                break;
            }
        }
        if number.is_empty()
            || !number
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(FloorAreaError::NotANumber);
        }
        let value: Decimal = number.parse().map_err(|_| FloorAreaError::NotANumber)?;
        FloorArea::try_from(value)
    }

    pub fn from_hundredths(hundredths: i64) -> FloorArea {
        FloorArea(Decimal::new(hundredths, 2))
    }

    /// The stored form: hundredths of a square metre.
    pub fn hundredths(self) -> i64 {
        let mut value = self.0;
        value.rescale(2);
        // At most MAX_SQUARE_METRES × 100, far inside i64.
        i64::try_from(value.mantissa()).unwrap_or(i64::MAX)
    }

    pub fn square_metres(self) -> Decimal {
        self.0
    }
}

impl TryFrom<Decimal> for FloorArea {
    type Error = FloorAreaError;

    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        let value = value.normalize();
        if value <= Decimal::ZERO {
            return Err(FloorAreaError::NotPositive);
        }
        if value.scale() > 2 {
            return Err(FloorAreaError::TooPrecise);
        }
        if value > Decimal::from(Self::MAX_SQUARE_METRES) {
            return Err(FloorAreaError::TooLarge);
        }
        let mut value = value;
        value.rescale(2);
        Ok(FloorArea(value))
    }
}

impl std::fmt::Display for FloorArea {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

/// A contact number: a mainland mobile (11 digits) or a landline with its area
/// code; spaces and a +86 prefix are dropped.
pub fn parse_phone(input: &str) -> Option<String> {
    let cleaned: String = input
        .trim()
        .trim_start_matches("+86")
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    let digits = cleaned.chars().filter(char::is_ascii_digit).count();
    let shape_ok = cleaned.chars().all(|c| c.is_ascii_digit() || c == '-')
        && !cleaned.starts_with('-')
        && !cleaned.ends_with('-');
    let mobile = digits == 11 && cleaned.starts_with('1') && !cleaned.contains('-');
    let landline = cleaned.starts_with('0') && (10..=12).contains(&digits);
    (shape_ok && (mobile || landline)).then_some(cleaned)
}

/// "138****0001": enough to recognise a neighbour, not to call them.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "****".to_owned();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// A trimmed, non-empty text of at most `max` characters.
pub fn required_text(input: &str, max: usize) -> Option<String> {
    let t = input.trim();
    (!t.is_empty() && t.chars().count() <= max).then(|| t.to_owned())
}

/// A resident as the household page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentLine {
    pub id: ResidentId,
    pub name: String,
    /// Masked for those who only need to recognise the person.
    pub phone: String,
    pub relation: Relation,
    pub has_account: bool,
    pub moved_out_on: Option<NaiveDate>,
}

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
    pub floor_area: Option<FloorArea>,
    pub vacant: bool,
    /// The company serving the estate, with both signboards; none while the
    /// estate is unmanaged.
    pub company: Option<CompanyProfile>,
    /// People living there now, owners first.
    pub residents: Vec<ResidentLine>,
    /// People who have moved out, kept for the record.
    pub former_residents: Vec<ResidentLine>,
    /// People with a resident account for this household.
    pub accounts: Vec<(PersonId, String)>,
    /// The caller may edit the household and its residents.
    pub can_manage: bool,
    /// The caller may book housekeeping for it (its resident, or the
    /// company's staff on the resident's behalf).
    pub can_book: bool,
    /// The caller may see its work orders.
    pub can_see_orders: bool,
    /// The caller may order a volunteer service for it (its resident).
    pub can_order_volunteer: bool,
}

/// An estate with everything in it, for its detail page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateView {
    pub id: EstateId,
    pub name: LocalizedName,
    pub address: String,
    pub street: LocalizedName,
    pub community: LocalizedName,
    pub company: Option<(CompanyId, LocalizedName)>,
    pub grid_worker: String,
    pub grid_worker_phone: String,
    pub takeover: Option<Takeover>,
    pub committee: Option<Committee>,
    pub past_committees: Vec<Committee>,
    pub buildings: Vec<BuildingView>,
    /// Requests from the QR poster waiting for the manager.
    pub pending_registrations: u32,
    /// The caller may edit the estate, its takeover record and households.
    pub can_manage: bool,
    /// The caller may record committees.
    pub can_manage_committee: bool,
    /// The caller may open the estate's monthly accounts.
    pub can_view_accounts: bool,
    /// Service contracts with the estate, newest first.
    pub contracts: Vec<super::contracts::ContractSummary>,
    /// The caller may draft a contract.
    pub can_draft_contract: bool,
}

impl EstateView {
    pub fn household_count(&self) -> usize {
        self.buildings.iter().map(|b| b.households.len()).sum()
    }

    pub fn vacant_count(&self) -> usize {
        self.buildings
            .iter()
            .flat_map(|b| &b.households)
            .filter(|h| h.vacant)
            .count()
    }

    /// Sum of the known floor areas.
    pub fn floor_area(&self) -> Decimal {
        self.buildings
            .iter()
            .flat_map(|b| &b.households)
            .filter_map(|h| h.floor_area)
            .map(FloorArea::square_metres)
            .sum()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingView {
    pub id: BuildingId,
    pub name: String,
    pub grid_worker: String,
    pub grid_worker_phone: String,
    pub households: Vec<HouseholdLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdLine {
    pub id: HouseholdId,
    pub unit: String,
    pub room: String,
    pub floor_area: Option<FloorArea>,
    pub vacant: bool,
    /// The first owner's name, if one is recorded.
    pub owner: Option<String>,
    /// Residents living there now.
    pub occupants: u32,
}

/// A homeowner committee for one term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committee {
    pub id: CommitteeId,
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
    /// Replaced by a later committee.
    pub ended: bool,
    /// Chair first, then vice chairs, then members.
    pub members: Vec<CommitteeMember>,
}

impl Committee {
    pub fn chair(&self) -> Option<&CommitteeMember> {
        self.members
            .iter()
            .find(|m| m.position == CommitteePosition::Chair)
    }

    pub fn party_members(&self) -> usize {
        self.members.iter().filter(|m| m.party_member).count()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeMember {
    pub name: String,
    pub phone: String,
    pub position: CommitteePosition,
    pub party_member: bool,
}

/// Why a committee term was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("the term ends before it starts")]
    EndsBeforeStart,
    #[error("a term is at most five years")]
    TooLong,
}

/// A homeowner committee's term: it ends after it starts, within five years
/// (the longest term the model rules of owners' assemblies allow).
pub fn check_term(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), TermError> {
    if ends_on <= starts_on {
        return Err(TermError::EndsBeforeStart);
    }
    let limit = starts_on
        .with_year(starts_on.year() + 5)
        .unwrap_or_else(|| starts_on + chrono::Duration::days(5 * 365));
    if ends_on > limit {
        return Err(TermError::TooLong);
    }
    Ok(())
}

/// An estate in a list, with where it sits in the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateListing {
    pub id: EstateId,
    pub name: LocalizedName,
    pub street: StreetId,
    pub community: LocalizedName,
    pub company: Option<LocalizedName>,
    pub households: u32,
    pub vacant: u32,
    pub takeover: Option<(TakeoverState, NaiveDate)>,
    /// The sitting committee's chair and whether they are a Party member.
    pub chair: Option<(String, bool)>,
    pub grid_worker: String,
}

/// Estates the caller may see, with the grid units to filter them by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateDirectory {
    pub estates: Vec<EstateListing>,
    pub streets: Vec<(StreetId, LocalizedName)>,
    pub communities: Vec<(CommunityId, StreetId, LocalizedName)>,
    /// The company the caller may add estates to (a manager's own).
    pub can_add_for: Option<CompanyId>,
}

/// A company's own page, the home of its staff, managers and cashiers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyWorkplace {
    pub profile: CompanyProfile,
    pub estates: Vec<EstateListing>,
    pub team_size: u32,
    /// The caller may see the company's orders, complaints and plans.
    pub can_see_orders: bool,
}

/// A self-registration request as the manager reviews it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub id: RegistrationId,
    pub household: HouseholdId,
    pub building: String,
    pub unit: String,
    pub room: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub relation: Relation,
    pub status: RegistrationStatus,
    pub reason: String,
    pub created_at: NaiveDateTime,
    /// A resident account already holds this phone number.
    pub existing_account: bool,
}

/// What the QR poster's link shows: the estate and its rooms to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinPage {
    pub estate: LocalizedName,
    pub address: String,
    pub company: Option<LocalizedName>,
    /// (household, building, unit, room), ordered.
    pub households: Vec<(HouseholdId, String, String, String)>,
}

/// The printable poster: the link and its QR code as SVG.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinPoster {
    pub estate: LocalizedName,
    pub company: Option<LocalizedName>,
    pub url: String,
    pub svg: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn floor_areas_are_exact_and_refuse_nonsense() {
        assert_eq!(FloorArea::parse("89.5").map(|a| a.hundredths()), Ok(8950));
        assert_eq!(
            FloorArea::parse(" 120 ").map(|a| a.to_string()),
            Ok("120.00".into())
        );
        assert_eq!(
            FloorArea::parse("75.25㎡").map(|a| a.hundredths()),
            Ok(7525)
        );
        assert_eq!(FloorArea::parse("60m²").map(|a| a.hundredths()), Ok(6000));
        assert_eq!(FloorArea::parse("60 m2").map(|a| a.hundredths()), Ok(6000));
        assert_eq!(FloorArea::parse("-80"), Err(FloorAreaError::NotPositive));
        assert_eq!(FloorArea::parse("0"), Err(FloorAreaError::NotPositive));
        assert_eq!(FloorArea::parse("80.125"), Err(FloorAreaError::TooPrecise));
        assert_eq!(FloorArea::parse("80,5"), Err(FloorAreaError::NotANumber));
        assert_eq!(FloorArea::parse("abc"), Err(FloorAreaError::NotANumber));
        assert_eq!(FloorArea::parse(""), Err(FloorAreaError::NotANumber));
        assert_eq!(FloorArea::parse("1e3"), Err(FloorAreaError::NotANumber));
        assert_eq!(FloorArea::parse("10000.01"), Err(FloorAreaError::TooLarge));
        assert_eq!(FloorArea::parse("80.10").map(|a| a.hundredths()), Ok(8010));
    }

    #[test]
    fn phones_are_mobiles_or_landlines() {
        assert_eq!(parse_phone("138 0000 0001").as_deref(), Some("13800000001"));
        assert_eq!(
            parse_phone("+8613800000001").as_deref(),
            Some("13800000001")
        );
        assert_eq!(parse_phone("0888-5123456").as_deref(), Some("0888-5123456"));
        assert_eq!(parse_phone("12345"), None);
        assert_eq!(parse_phone("1380000000a"), None);
        assert_eq!(parse_phone("138-0000-0001"), None);
        assert_eq!(mask_phone("13800000001"), "138****0001");
        assert_eq!(mask_phone("123"), "****");
    }

    #[test]
    fn relations_read_either_language() {
        assert_eq!(Relation::parse_label("业主"), Some(Relation::Owner));
        assert_eq!(Relation::parse_label(" Tenant "), Some(Relation::Tenant));
        assert_eq!(Relation::parse_label("家属"), Some(Relation::Family));
        assert_eq!(Relation::parse_label("邻居"), None);
        for r in Relation::ALL {
            assert_eq!(Relation::from_code(r.code()), Some(*r));
        }
    }

    #[test]
    fn committee_terms_are_checked() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert_eq!(check_term(d(2024, 1, 1), d(2029, 1, 1)), Ok(()));
        assert_eq!(
            check_term(d(2024, 1, 1), d(2024, 1, 1)),
            Err(TermError::EndsBeforeStart)
        );
        assert_eq!(
            check_term(d(2024, 1, 1), d(2029, 1, 2)),
            Err(TermError::TooLong)
        );
    }

    #[test]
    fn a_takeover_needs_every_baseline_item_once_and_a_past_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        let mut t = Takeover {
            company: CompanyId(1),
            state_before: TakeoverState::Unmanaged,
            taken_over_on: today,
            interim_agreement: String::new(),
            baseline: BaselineItem::ALL
                .iter()
                .map(|i| (*i, Condition::Poor))
                .collect(),
            baseline_notes: String::new(),
            files_handed_over: String::new(),
        };
        assert_eq!(t.check(today), Ok(()));
        assert_eq!(t.shortcomings(), 6);
        t.taken_over_on = today.succ_opt().unwrap_or(today);
        assert_eq!(t.check(today), Err(TakeoverError::InFuture));
        t.taken_over_on = today;
        t.baseline[1].0 = BaselineItem::Cleaning;
        assert_eq!(t.check(today), Err(TakeoverError::IncompleteBaseline));
    }

    proptest! {
        #[test]
        fn any_area_in_hundredths_round_trips(h in 1i64..=1_000_000) {
            let area = FloorArea::from_hundredths(h);
            prop_assert_eq!(area.hundredths(), h);
            prop_assert_eq!(FloorArea::parse(&area.to_string()), Ok(area));
        }

        #[test]
        fn three_decimals_are_refused_unless_trailing_zero(h in 1i64..=1_000_000, d in 1u8..=9) {
            let text = format!("{}{}", FloorArea::from_hundredths(h), d);
            prop_assert_eq!(FloorArea::parse(&text), Err(FloorAreaError::TooPrecise));
        }
    }
}

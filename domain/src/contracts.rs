//! Service contracts between a company and an estate, signed for the owners by
//! the homeowner committee. The life cycle is a pure state machine: the company
//! drafts and submits; the committee returns it with comments or its chair
//! signs; the company activates it; it expires or is terminated. Renewal makes
//! a new draft linked to the old. Terms and lines change only while the
//! contract is a draft or returned.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::EstateId;
use super::money::Money;
use super::org::CompanyId;
use super::pricing::{BillingUnit, PriceQuote, ServiceId};

id_type!(ContractId, ContractLineId);

coded_enum!(
    ContractState {
        Draft = "draft",
        /// With the homeowner committee for review.
        Submitted = "submitted",
        /// Sent back by the committee with comments.
        Returned = "returned",
        /// Signed by the committee chair; not yet in force.
        Signed = "signed",
        Active = "active",
        Expired = "expired",
        Terminated = "terminated",
    }
);

coded_enum!(
    /// How the company is paid.
    FeeModel {
        /// 包干制: the fees are the company's, and so are the costs.
        FixedFee = "fixed_fee",
        /// 酬金制: the fees are the owners'; the company takes a commission.
        Commission = "commission",
    }
);

coded_enum!(
    /// What someone does to a contract.
    ContractStep {
        Submit = "submit",
        Return = "return",
        Sign = "sign",
        Activate = "activate",
        Expire = "expire",
        Terminate = "terminate",
    }
);

/// Which side of the contract acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContractSide {
    /// The company (its general manager).
    Company,
    /// The homeowner committee (its chair).
    Committee,
}

impl ContractStep {
    /// Who may take the step.
    pub fn sides(self) -> &'static [ContractSide] {
        use ContractSide::*;
        match self {
            ContractStep::Submit | ContractStep::Activate | ContractStep::Expire => &[Company],
            ContractStep::Return | ContractStep::Sign => &[Committee],
            ContractStep::Terminate => &[Company, Committee],
        }
    }

    /// Steps that must say why.
    pub fn needs_comment(self) -> bool {
        matches!(self, ContractStep::Return | ContractStep::Terminate)
    }
}

/// Why a step was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ContractError {
    #[error("this step is not possible from the contract's state")]
    NotFromThisState,
    #[error("the other side takes this step")]
    WrongSide,
    #[error("this step needs a comment")]
    CommentRequired,
    #[error("only drafts and returned contracts can be changed")]
    NotEditable,
    #[error("a contract needs at least one line")]
    NoLines,
    #[error("the term ends before it starts")]
    TermOrder,
    #[error("a commission contract needs its rate")]
    CommissionRate,
}

impl ContractState {
    /// The state after `step` taken by `side`, or why not.
    pub fn after(
        self,
        step: ContractStep,
        side: ContractSide,
        comment: &str,
    ) -> Result<ContractState, ContractError> {
        use ContractState::*;
        use ContractStep as S;
        let next = match (self, step) {
            (Draft | Returned, S::Submit) => Submitted,
            (Submitted, S::Return) => Returned,
            (Submitted, S::Sign) => Signed,
            (Signed, S::Activate) => Active,
            (Active, S::Expire) => Expired,
            (Signed | Active, S::Terminate) => Terminated,
            _ => return Err(ContractError::NotFromThisState),
        };
        if !step.sides().contains(&side) {
            return Err(ContractError::WrongSide);
        }
        if step.needs_comment() && comment.trim().is_empty() {
            return Err(ContractError::CommentRequired);
        }
        Ok(next)
    }

    pub fn is_editable(self) -> bool {
        matches!(self, ContractState::Draft | ContractState::Returned)
    }

    /// The contract has ended; it can only be renewed.
    pub fn is_final(self) -> bool {
        matches!(self, ContractState::Expired | ContractState::Terminated)
    }

    pub fn can_renew(self) -> bool {
        matches!(self, ContractState::Active | ContractState::Expired)
    }

    /// The steps someone on `side` could take now.
    pub fn steps_for(self, side: ContractSide) -> Vec<ContractStep> {
        ContractStep::ALL
            .iter()
            .copied()
            .filter(|s| self.after(*s, side, "-").is_ok())
            .collect()
    }
}

/// A percentage exact to the hundredth (commission, late fee), stored as
/// basis points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Percent(Decimal);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PercentError {
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimals")]
    TooPrecise,
    #[error("out of range")]
    OutOfRange,
}

impl Percent {
    /// "10", "0.05", "12.5%": above 0 and at most `max`.
    pub fn parse(input: &str, max: Decimal) -> Result<Percent, PercentError> {
        let t = input.trim().trim_end_matches(['%', '％']).trim();
        if t.is_empty()
            || !t
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(PercentError::NotANumber);
        }
        let value: Decimal = t.parse().map_err(|_| PercentError::NotANumber)?;
        let value = value.normalize();
        if value.scale() > 2 {
            return Err(PercentError::TooPrecise);
        }
        if value <= Decimal::ZERO || value > max {
            return Err(PercentError::OutOfRange);
        }
        Ok(Percent(value))
    }

    pub fn from_basis_points(bp: i64) -> Percent {
        Percent(Decimal::new(bp, 2))
    }

    pub fn basis_points(self) -> i64 {
        let mut v = self.0;
        v.rescale(2);
        i64::try_from(v.mantissa()).unwrap_or(i64::MAX)
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

/// The late-fee clause: a daily rate on what is overdue, capped at a share of
/// it. None unless the contract says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFee {
    pub daily: Percent,
    pub cap: Percent,
}

/// Whether two terms share a day.
pub fn terms_overlap(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// A contract line as its page shows it: our contract price beside the
/// market average of the service's price in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractLine {
    pub id: ContractLineId,
    pub service: ServiceId,
    pub name: LocalizedName,
    pub unit: BillingUnit,
    /// The contract's price and today's market average (with the catalog's
    /// reason if the price is not below it).
    pub quote: PriceQuote,
    /// What the quantity is measured by (e.g. 按建筑面积, 按次).
    pub basis: String,
}

/// One transition in a contract's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractEvent {
    pub at: chrono::NaiveDateTime,
    pub by: String,
    pub step: Option<ContractStep>,
    pub to: ContractState,
    pub comment: String,
}

/// A contract with its lines and history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractView {
    pub id: ContractId,
    pub estate: EstateId,
    pub estate_name: LocalizedName,
    pub company: CompanyId,
    pub company_name: LocalizedName,
    pub state: ContractState,
    pub fee_model: FeeModel,
    pub commission: Option<Percent>,
    pub late_fee: Option<LateFee>,
    /// The share of area fees a vacant home pays.
    pub vacant_share: Percent,
    /// What a resident pays for cancelling a booking late.
    pub cancellation: super::orders::CancellationTerms,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub lines: Vec<ContractLine>,
    /// Oldest first.
    pub events: Vec<ContractEvent>,
    pub renews: Option<ContractId>,
    pub renewed_by: Option<ContractId>,
    /// What the caller may do now.
    pub steps: Vec<ContractStep>,
    pub can_edit: bool,
    pub can_renew: bool,
    /// The services the company offers, for a new line: (id, name, unit,
    /// today's price).
    pub offered: Vec<(ServiceId, LocalizedName, BillingUnit, Money)>,
}

/// A contract in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractSummary {
    pub id: ContractId,
    pub state: ContractState,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub fee_model: FeeModel,
    pub lines: u32,
    pub renews: Option<ContractId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContractSide::{Committee, Company};
    use ContractState::*;
    use ContractStep as S;
    use proptest::prelude::*;

    #[test]
    fn the_happy_path_with_one_return() {
        let mut s = Draft;
        for (step, side, comment) in [
            (S::Submit, Company, ""),
            (S::Return, Committee, "请补充楼道保洁频次"),
            (S::Submit, Company, ""),
            (S::Sign, Committee, ""),
            (S::Activate, Company, ""),
            (S::Expire, Company, ""),
        ] {
            s = s.after(step, side, comment).expect("allowed");
        }
        assert_eq!(s, Expired);
        assert!(s.can_renew() && s.is_final());
    }

    #[test]
    fn refusals_name_their_reason() {
        assert_eq!(
            Draft.after(S::Sign, Committee, ""),
            Err(ContractError::NotFromThisState)
        );
        assert_eq!(
            Submitted.after(S::Sign, Company, ""),
            Err(ContractError::WrongSide)
        );
        assert_eq!(
            Submitted.after(S::Return, Committee, "  "),
            Err(ContractError::CommentRequired)
        );
        assert_eq!(
            Active.after(S::Terminate, Committee, "服务不达标"),
            Ok(Terminated)
        );
        assert_eq!(Draft.steps_for(Company), vec![S::Submit]);
        assert_eq!(Submitted.steps_for(Committee), vec![S::Return, S::Sign]);
        assert!(Terminated.steps_for(Company).is_empty());
    }

    #[test]
    fn percentages_are_exact() {
        let max = Decimal::ONE_HUNDRED;
        assert_eq!(
            Percent::parse("10", max).map(Percent::basis_points),
            Ok(1000)
        );
        assert_eq!(
            Percent::parse("0.05%", max).map(Percent::basis_points),
            Ok(5)
        );
        assert_eq!(Percent::parse("0.005", max), Err(PercentError::TooPrecise));
        assert_eq!(Percent::parse("0", max), Err(PercentError::OutOfRange));
        assert_eq!(Percent::parse("101", max), Err(PercentError::OutOfRange));
        assert_eq!(Percent::parse("abc", max), Err(PercentError::NotANumber));
        assert_eq!(Percent::from_basis_points(1250).to_string(), "12.5%");
    }

    #[test]
    fn terms_overlap_when_they_share_a_day() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        assert!(terms_overlap((d(1, 1), d(6, 30)), (d(6, 30), d(12, 31))));
        assert!(!terms_overlap((d(1, 1), d(6, 29)), (d(6, 30), d(12, 31))));
    }

    fn step() -> impl Strategy<Value = (ContractStep, ContractSide, bool)> {
        (
            proptest::sample::select(ContractStep::ALL),
            prop_oneof![Just(Company), Just(Committee)],
            any::<bool>(),
        )
    }

    proptest! {
        /// Whatever is tried, in any order: a refused step changes nothing; a
        /// contract is only active after its chair signed it, only signed
        /// after it was submitted; nothing leaves a final state; editing is
        /// possible only before submission or after a return.
        #[test]
        fn random_sequences_keep_the_life_cycle(steps in proptest::collection::vec(step(), 0..40)) {
            let mut state = Draft;
            let mut signed = false;
            let mut submitted = false;
            for (step, side, commented) in steps {
                let comment = if commented { "意见" } else { "" };
                if let Ok(next) = state.after(step, side, comment) {
                    prop_assert!(step.sides().contains(&side));
                    prop_assert!(!state.is_final());
                    prop_assert!(!step.needs_comment() || commented);
                    match next {
                        Submitted => submitted = true,
                        Signed => {
                            prop_assert!(submitted);
                            prop_assert_eq!(side, Committee);
                            signed = true;
                        }
                        Active => prop_assert!(signed),
                        Returned => prop_assert_eq!(state, Submitted),
                        _ => {}
                    }
                    prop_assert!(!next.is_editable() || matches!(next, Returned));
                    state = next;
                }
            }
            prop_assert!(!state.is_editable() || !signed);
        }
    }
}

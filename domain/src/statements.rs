//! Monthly accounts per estate: expenses and how one is spread over several
//! estates, the statement's figures, its review by the homeowner committee
//! (submit → query / answer → sign → second signature when the chair also
//! holds a company post → disclosed), and the monthly series behind the
//! charts with their quarter and year roll-ups.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::Money;
use super::access::EstateId;
use super::billing::{BillLineKind, BillMonth};
use super::contracts::Percent;
use super::org::CompanyId;
use super::roster::{Post, Signboard};

id_type!(ExpenseId, StatementId, CommonIncomeId);

coded_enum!(
    /// What money was spent on.
    ExpenseCategory {
        Wages = "wages",
        Supplies = "supplies",
        Repairs = "repairs",
        Utilities = "utilities",
        /// Paid from the owners' special maintenance fund (专项维修资金):
        /// shown apart, not among the company's running costs.
        MaintenanceFund = "maintenance_fund",
        Other = "other",
    }
);

impl ExpenseCategory {
    /// A running cost of the company (everything but the owners' fund).
    pub fn is_running_cost(self) -> bool {
        self != ExpenseCategory::MaintenanceFund
    }
}

coded_enum!(
    /// How one expense is spread over estates.
    SplitRule {
        /// All of it to one estate.
        Single = "single",
        /// In proportion to the estates' households.
        Households = "households",
        /// In proportion to the estates' floor area.
        FloorArea = "floor_area",
    }
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SplitError {
    #[error("choose at least one estate")]
    NoEstates,
    #[error("the estates have nothing to split by")]
    NothingToSplitBy,
    #[error("one estate only for a single-estate expense")]
    SingleNeedsOne,
}

/// Splits `total` over estates in proportion to their weights (households or
/// floor area), whole fen each, the parts adding up to the total exactly: each
/// gets the floor of its exact share, and the fen left over go one each to
/// the largest remainders (ties to the earlier estate).
pub fn split(
    total: Money,
    weights: &[(EstateId, i64)],
) -> Result<Vec<(EstateId, Money)>, SplitError> {
    if weights.is_empty() {
        return Err(SplitError::NoEstates);
    }
    let sum: i128 = weights.iter().map(|(_, w)| i128::from((*w).max(0))).sum();
    if sum == 0 {
        return Err(SplitError::NothingToSplitBy);
    }
    let fen = i128::from(total.fen());
    let mut parts: Vec<(EstateId, i128, i128)> = weights
        .iter()
        .map(|(e, w)| {
            let exact = fen * i128::from((*w).max(0));
            (*e, exact / sum, exact % sum)
        })
        .collect();
    let given: i128 = parts.iter().map(|p| p.1).sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].2.cmp(&parts[*a].2).then(a.cmp(b)));
    for k in order
        .into_iter()
        .take(usize::try_from(fen - given).unwrap_or(0))
    {
        parts[k].1 += 1;
    }
    Ok(parts
        .into_iter()
        .map(|(e, f, _)| (e, Money::from_fen(i64::try_from(f).unwrap_or(0))))
        .collect())
}

coded_enum!(
    /// Where a statement stands. A draft is never stored: it is the live
    /// figures until the manager submits them.
    StatementState {
        Submitted = "submitted",
        Queried = "queried",
        /// The chair has signed; a second signer is still needed.
        ChairSigned = "chair_signed",
        /// Signed by everyone needed and shown to the estate's residents.
        Disclosed = "disclosed",
    }
);

impl StatementState {
    /// Frozen: the chair has signed.
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            StatementState::ChairSigned | StatementState::Disclosed
        )
    }
}

/// A step of the review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewStep {
    /// The chair asks about the figures.
    Query,
    /// The manager answers (the figures are refreshed).
    Answer,
    /// The chair signs off.
    Sign { second_signer_needed: bool },
    /// Another committee member or the street Party committee signs too.
    SecondSign,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ReviewError {
    #[error("a query is open: the manager answers it first")]
    QueryOpen,
    #[error("there is no open query to answer")]
    NoQuery,
    #[error("already signed")]
    AlreadySigned,
    #[error("no second signature is awaited")]
    NoSecondAwaited,
}

/// The review's state machine.
pub fn review(state: StatementState, step: ReviewStep) -> Result<StatementState, ReviewError> {
    use StatementState::*;
    match (state, step) {
        (ChairSigned, ReviewStep::SecondSign) => Ok(Disclosed),
        (_, ReviewStep::SecondSign) => Err(ReviewError::NoSecondAwaited),
        (ChairSigned | Disclosed, _) => Err(ReviewError::AlreadySigned),
        (Submitted | Queried, ReviewStep::Query) => Ok(Queried),
        (Queried, ReviewStep::Answer) => Ok(Submitted),
        (Submitted, ReviewStep::Answer) => Err(ReviewError::NoQuery),
        (Queried, ReviewStep::Sign { .. }) => Err(ReviewError::QueryOpen),
        (
            Submitted,
            ReviewStep::Sign {
                second_signer_needed,
            },
        ) => Ok(if second_signer_needed {
            ChairSigned
        } else {
            Disclosed
        }),
    }
}

/// Two signboards, one team: a chair who also holds a post in the company
/// the committee oversees cannot sign its accounts alone. The post that
/// makes a second signature necessary, if any.
pub fn second_signer_reason(
    chair_posts: &[Post],
    company: CompanyId,
    on: NaiveDate,
) -> Option<&Post> {
    chair_posts
        .iter()
        .find(|p| p.signboard == Signboard::Company(company) && p.is_held_on(on))
}

/// One kind of income on the month's bills.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeLine {
    pub kind: BillLineKind,
    pub billed: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseLine {
    pub category: ExpenseCategory,
    pub amount: Money,
}

/// A single entry shown as it is (maintenance-fund use, common-area income).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryLine {
    pub on: NaiveDate,
    pub description: String,
    pub amount: Money,
}

/// A contract line: what residents pay, next to the market.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeItem {
    pub name: LocalizedName,
    pub basis: String,
    pub price: Money,
    pub market: Money,
}

/// Per service billed in the month: our price against the market's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavingLine {
    pub name: LocalizedName,
    pub billed: Money,
    pub market: Money,
}

impl SavingLine {
    pub fn saving(&self) -> Money {
        self.market - self.billed
    }
}

/// The work of the month at the estate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDone {
    /// Housekeeping and repair orders finished.
    pub orders_done: i64,
    /// Cleaning-plan visits finished, of those planned.
    pub visits_done: i64,
    pub visits_planned: i64,
    pub ratings: i64,
    pub stars: i64,
    pub complaints: i64,
    pub complaints_answered: i64,
}

impl WorkDone {
    /// Average stars to one decimal, if anyone rated.
    pub fn average_rating(&self) -> Option<Decimal> {
        (self.ratings > 0).then(|| {
            (Decimal::from(self.stars) / Decimal::from(self.ratings))
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        })
    }
}

/// Everything a statement says; frozen (as JSON, hashed) when submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementFigures {
    pub estate: LocalizedName,
    pub company: LocalizedName,
    pub month: BillMonth,
    pub households: i64,
    /// 酬金制: the company's commission rate; `None` under 包干制.
    pub commission: Option<Percent>,
    pub income: Vec<IncomeLine>,
    /// Payments received in the month from the estate's households, net of
    /// reversals.
    pub collected: Money,
    /// Paid so far on the month's own bills.
    pub paid_on_month_bills: Money,
    pub expenses: Vec<ExpenseLine>,
    /// Still owed on bills up to this month, and by how many households.
    pub arrears: Money,
    pub households_in_arrears: i64,
    pub work: WorkDone,
    pub savings: Vec<SavingLine>,
    // Civil Code art. 943.
    pub fee_items: Vec<FeeItem>,
    pub staff: Vec<String>,
    pub maintenance_fund: Vec<EntryLine>,
    pub common_income: Vec<EntryLine>,
}

impl StatementFigures {
    pub fn billed(&self) -> Money {
        self.income.iter().map(|l| l.billed).sum()
    }

    /// The company's running costs (the maintenance fund is the owners').
    pub fn running_costs(&self) -> Money {
        self.expenses
            .iter()
            .filter(|e| e.category.is_running_cost())
            .map(|e| e.amount)
            .sum()
    }

    pub fn balance(&self) -> Money {
        self.collected - self.running_costs()
    }

    /// The month's bills paid, as a share of what they billed.
    pub fn collection_rate(&self) -> Option<Percent> {
        rate(self.paid_on_month_bills, self.billed())
    }

    pub fn saving(&self) -> Money {
        self.savings.iter().map(SavingLine::saving).sum()
    }

    /// Under 酬金制: the company's commission on what was collected.
    pub fn commission_amount(&self) -> Option<Money> {
        let rate = self.commission?;
        Money::round_half_up(self.collected.amount() * rate.value() / Decimal::ONE_HUNDRED).ok()
    }

    /// Under 酬金制: what is left to the owners after costs and commission.
    pub fn owners_remainder(&self) -> Option<Money> {
        Some(self.balance() - self.commission_amount()?)
    }

    pub fn maintenance_fund_used(&self) -> Money {
        self.maintenance_fund.iter().map(|e| e.amount).sum()
    }

    pub fn common_income_total(&self) -> Money {
        self.common_income.iter().map(|e| e.amount).sum()
    }
}

/// `part` of `whole` in percent to the hundredth, half-up; `None` for nothing billed.
pub fn rate(part: Money, whole: Money) -> Option<Percent> {
    if whole.fen() <= 0 {
        return None;
    }
    let bp = Decimal::from(part.fen()) * Decimal::from(10_000) / Decimal::from(whole.fen());
    let bp = bp.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Some(Percent::from_basis_points(
        i64::try_from(bp.mantissa()).unwrap_or(0),
    ))
}

/// One month's totals for the charts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotals {
    pub label: String,
    pub billed: Money,
    pub collected: Money,
    pub paid_on_bills: Money,
    pub expenses: Money,
    pub saving: Money,
}

impl MonthTotals {
    pub fn collection_rate(&self) -> Option<Percent> {
        rate(self.paid_on_bills, self.billed)
    }
}

/// Quarter ("2026 Q3") or year ("2026").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    Quarter,
    Year,
}

/// Sums months into quarters or years, in order; a period's rate is over
/// its sums, not an average of rates.
pub fn roll_up(months: &[(BillMonth, MonthTotals)], period: Period) -> Vec<MonthTotals> {
    let mut out: Vec<MonthTotals> = Vec::new();
    for (month, t) in months {
        let label = match period {
            // "2026-Q3": the page words it in the reader's language.
            Period::Quarter => format!("{}-Q{}", month.year, (month.month - 1) / 3 + 1),
            Period::Year => month.year.to_string(),
        };
        if out.last().is_none_or(|last| last.label != label) {
            out.push(MonthTotals {
                label,
                ..MonthTotals::default()
            });
        }
        if let Some(p) = out.last_mut() {
            p.billed = p.billed + t.billed;
            p.collected = p.collected + t.collected;
            p.paid_on_bills = p.paid_on_bills + t.paid_on_bills;
            p.expenses = p.expenses + t.expenses;
            p.saving = p.saving + t.saving;
        }
    }
    out
}

// ----- views -----

/// A stored version of a statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRecord {
    pub id: StatementId,
    pub version: i64,
    pub corrects: Option<StatementId>,
    /// A later version corrects this one.
    pub corrected_by: Option<i64>,
    pub state: StatementState,
    pub figures: StatementFigures,
    pub content_hash: String,
    /// The stored figures still hash to the stored hash.
    pub hash_verified: bool,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    pub signed_by: Option<String>,
    pub signed_at: Option<NaiveDateTime>,
    /// Why a second signature is needed: the chair's company post.
    pub second_reason: Option<String>,
    pub second_signed_by: Option<String>,
    pub second_signed_at: Option<NaiveDateTime>,
    pub disclosed_at: Option<NaiveDateTime>,
    pub notes: Vec<ReviewNote>,
}

coded_enum!(
    NoteKind {
        Query = "query",
        Answer = "answer",
        Correction = "correction",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewNote {
    pub kind: NoteKind,
    pub body: String,
    pub by: String,
    pub at: NaiveDateTime,
    /// After an answer: the refreshed figures' hash.
    pub content_hash: Option<String>,
}

/// What the caller may do on the statement page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRights {
    pub submit: bool,
    pub answer: bool,
    pub correct: bool,
    pub query: bool,
    pub sign: bool,
    pub second_sign: bool,
}

/// One month of one estate: the latest version (or the live draft), the
/// versions before it, and what the caller may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementPage {
    pub estate: EstateId,
    pub estate_name: LocalizedName,
    pub month: BillMonth,
    /// The live figures, while nothing is submitted (or for a correction);
    /// only for those who review or run the accounts.
    pub draft: Option<StatementFigures>,
    /// Newest first.
    pub versions: Vec<StatementRecord>,
    pub rights: StatementRights,
    /// The caller runs or reviews the accounts (not a resident).
    pub insider: bool,
    /// The sitting chair's name.
    pub chair: Option<String>,
    /// The chair holds this company post: a second signer is needed.
    pub chair_post: Option<String>,
}

/// A month's row on the accounts page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    pub month: BillMonth,
    pub totals: MonthTotals,
    /// The latest version's state and number, if submitted.
    pub state: Option<StatementState>,
    pub version: Option<i64>,
}

/// An expense as listed for the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpenseView {
    pub id: ExpenseId,
    pub spent_on: NaiveDate,
    pub category: ExpenseCategory,
    pub description: String,
    /// The whole expense, and this estate's part of it.
    pub amount: Money,
    pub share: Money,
    pub rule: SplitRule,
    /// Other estates sharing it.
    pub shared_with: Vec<LocalizedName>,
    pub has_photo: bool,
}

/// The estate's accounts page: months with their totals and statements,
/// roll-ups, and (for the manager) the month's expenses and income entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsOverview {
    pub estate: EstateId,
    pub estate_name: LocalizedName,
    /// Oldest first, up to this month.
    pub months: Vec<MonthRow>,
    pub quarters: Vec<MonthTotals>,
    pub years: Vec<MonthTotals>,
    pub month: BillMonth,
    pub expenses: Vec<ExpenseView>,
    pub common_income: Vec<EntryLine>,
    /// The company's estates, for spreading an expense.
    pub estates: Vec<(EstateId, LocalizedName)>,
    pub can_record: bool,
}

/// The estate's notice board (公示): every disclosed statement, newest
/// first, corrected ones kept with a pointer to what corrects them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosures {
    pub estate: EstateId,
    pub estate_name: LocalizedName,
    pub items: Vec<DisclosedItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosedItem {
    pub month: BillMonth,
    pub version: i64,
    /// The version that corrects this one, if any.
    pub corrected_by: Option<i64>,
    pub disclosed_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::PostId;
    use proptest::prelude::*;

    fn post(company: i64, from: (i32, u32, u32), to: Option<(i32, u32, u32)>) -> Post {
        let d = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        Post {
            id: PostId(1),
            signboard: Signboard::Company(CompanyId(company)),
            signboard_name: LocalizedName::new("公司", "Company"),
            title: "副经理".into(),
            starts_on: d(from),
            ends_on: to.map(d),
        }
    }

    #[test]
    fn a_chair_with_a_current_post_in_the_company_needs_a_second_signer() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let company = CompanyId(4);
        assert!(second_signer_reason(&[], company, on).is_none());
        // Another company's post does not count; nor an ended one.
        assert!(second_signer_reason(&[post(5, (2025, 1, 1), None)], company, on).is_none());
        assert!(
            second_signer_reason(&[post(4, (2025, 1, 1), Some((2026, 11, 26)))], company, on)
                .is_none()
        );
        assert!(second_signer_reason(&[post(4, (2025, 1, 1), None)], company, on).is_some());
        assert!(
            second_signer_reason(
                &[post(4, (2026, 11, 27), Some((2026, 11, 27)))],
                company,
                on
            )
            .is_some()
        );
        let party = Post {
            signboard: Signboard::PartyOrganization(crate::org::PartyOrganizationId(4)),
            ..post(4, (2025, 1, 1), None)
        };
        assert!(second_signer_reason(&[party], company, on).is_none());
    }

    #[test]
    fn the_review_goes_query_answer_sign() {
        use StatementState::*;
        let sign = |second| ReviewStep::Sign {
            second_signer_needed: second,
        };
        assert_eq!(review(Submitted, ReviewStep::Query), Ok(Queried));
        assert_eq!(review(Queried, ReviewStep::Query), Ok(Queried));
        assert_eq!(review(Queried, sign(false)), Err(ReviewError::QueryOpen));
        assert_eq!(review(Queried, ReviewStep::Answer), Ok(Submitted));
        assert_eq!(
            review(Submitted, ReviewStep::Answer),
            Err(ReviewError::NoQuery)
        );
        assert_eq!(review(Submitted, sign(false)), Ok(Disclosed));
        assert_eq!(review(Submitted, sign(true)), Ok(ChairSigned));
        assert_eq!(review(ChairSigned, ReviewStep::SecondSign), Ok(Disclosed));
        assert_eq!(
            review(Submitted, ReviewStep::SecondSign),
            Err(ReviewError::NoSecondAwaited)
        );
        assert_eq!(
            review(Disclosed, ReviewStep::SecondSign),
            Err(ReviewError::NoSecondAwaited)
        );
        for step in [ReviewStep::Query, ReviewStep::Answer, sign(false)] {
            assert_eq!(review(ChairSigned, step), Err(ReviewError::AlreadySigned));
            assert_eq!(review(Disclosed, step), Err(ReviewError::AlreadySigned));
        }
    }

    #[test]
    fn a_split_by_households_gives_the_odd_fen_to_the_largest_remainders() {
        let parts = split(
            Money::from_fen(100),
            &[(EstateId(1), 1), (EstateId(2), 1), (EstateId(3), 1)],
        )
        .expect("split");
        let fen: Vec<i64> = parts.iter().map(|(_, m)| m.fen()).collect();
        assert_eq!(fen, vec![34, 33, 33]);
        assert_eq!(split(Money::from_fen(5), &[]), Err(SplitError::NoEstates));
        assert_eq!(
            split(Money::from_fen(5), &[(EstateId(1), 0)]),
            Err(SplitError::NothingToSplitBy)
        );
    }

    #[test]
    fn commission_and_remainder_follow_the_collected_money() {
        let figures = StatementFigures {
            estate: LocalizedName::new("玉泉花园", "Yuquan Garden"),
            company: LocalizedName::new("文汇", "Wenhui"),
            month: BillMonth {
                year: 2026,
                month: 10,
            },
            households: 10,
            commission: Some(Percent::from_basis_points(1_000)),
            income: vec![IncomeLine {
                kind: BillLineKind::AreaFee,
                billed: Money::from_fen(100_000),
            }],
            collected: Money::from_fen(80_005),
            paid_on_month_bills: Money::from_fen(60_000),
            expenses: vec![
                ExpenseLine {
                    category: ExpenseCategory::Wages,
                    amount: Money::from_fen(50_000),
                },
                ExpenseLine {
                    category: ExpenseCategory::MaintenanceFund,
                    amount: Money::from_fen(9_999),
                },
            ],
            arrears: Money::ZERO,
            households_in_arrears: 0,
            work: WorkDone::default(),
            savings: vec![],
            fee_items: vec![],
            staff: vec![],
            maintenance_fund: vec![],
            common_income: vec![],
        };
        assert_eq!(figures.running_costs(), Money::from_fen(50_000));
        assert_eq!(figures.balance(), Money::from_fen(30_005));
        // 10% of 800.05 = 80.005 → 80.01 (half-up, once).
        assert_eq!(figures.commission_amount(), Some(Money::from_fen(8_001)));
        assert_eq!(figures.owners_remainder(), Some(Money::from_fen(22_004)));
        assert_eq!(
            figures.collection_rate(),
            Some(Percent::from_basis_points(6_000))
        );
    }

    proptest! {
        /// The parts add up to the total to the fen, and each is within one
        /// fen of its exact share.
        #[test]
        fn split_parts_add_up_and_stay_fair(
            total in 0i64..100_000_000,
            weights in proptest::collection::vec(1i64..200_000, 1..12),
        ) {
            let estates: Vec<(EstateId, i64)> =
                weights.iter().enumerate().map(|(k, w)| (EstateId(k as i64), *w)).collect();
            let parts = split(Money::from_fen(total), &estates).expect("split");
            let sum: i64 = parts.iter().map(|(_, m)| m.fen()).sum();
            prop_assert_eq!(sum, total);
            let whole: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            for ((_, part), w) in parts.iter().zip(&weights) {
                let exact_floor = i128::from(total) * i128::from(*w) / whole;
                let got = i128::from(part.fen());
                prop_assert!(got == exact_floor || got == exact_floor + 1);
            }
        }

        /// Quarters and years hold exactly the months' sums.
        #[test]
        fn roll_ups_keep_every_fen(
            amounts in proptest::collection::vec((0i64..10_000_000, 0i64..10_000_000), 1..30),
        ) {
            let mut month = BillMonth { year: 2025, month: 1 };
            let months: Vec<(BillMonth, MonthTotals)> = amounts
                .iter()
                .map(|(b, e)| {
                    let row = (month, MonthTotals {
                        label: month.code(),
                        billed: Money::from_fen(*b),
                        expenses: Money::from_fen(*e),
                        ..MonthTotals::default()
                    });
                    month = month.next();
                    row
                })
                .collect();
            for period in [Period::Quarter, Period::Year] {
                let rolled = roll_up(&months, period);
                let billed: Money = rolled.iter().map(|p| p.billed).sum();
                let expenses: Money = rolled.iter().map(|p| p.expenses).sum();
                prop_assert_eq!(billed, months.iter().map(|(_, t)| t.billed).sum::<Money>());
                prop_assert_eq!(expenses, months.iter().map(|(_, t)| t.expenses).sum::<Money>());
            }
            prop_assert_eq!(roll_up(&months, Period::Quarter).len(), amounts.len().div_ceil(3));
        }
    }
}

//! Party oversight in figures: how each company serves its residents, per
//! estate and month. Counts are kept additive ([`Tally`]) so a company, a
//! street, a period or the district is the sum of its estates' months, never
//! an average of averages; rates are worked out once, from the sums, with
//! integer arithmetic so a test can compute them by hand.

use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::EstateId;
use super::money::Money;
use super::org::CompanyId;

/// The longest period the dashboard adds up, in months.
pub const MAX_MONTHS: u32 = 24;
/// The period shown when none is asked for: this month and the five before.
pub const DEFAULT_MONTHS: u32 = 6;

/// What one estate did in one month, in counts that add up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Work orders with a slot in the month, cancelled ones left out.
    pub orders: i64,
    /// Of those, the ones whose slot has ended: the ones that should be done.
    pub due: i64,
    /// Of the due ones, those finished (done, confirmed, or disputed and resolved).
    pub completed: i64,
    /// Minutes from booking to the company scheduling it, per booked order
    /// (plan visits are scheduled by the plan, so they have none).
    pub response_minutes: Vec<i64>,
    pub stars: i64,
    pub rated: i64,
    /// Complaints filed in the month.
    pub complaints: i64,
    /// The month's bills, and what has been paid on them so far.
    pub billed: Money,
    pub collected: Money,
    /// Market price less our price on the month's priced bill lines.
    pub saving: Money,
    /// Statements that should be disclosed by now (or already are), and
    /// those disclosed by the end of the following month.
    pub statements_due: i64,
    pub statements_on_time: i64,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.orders += other.orders;
        self.due += other.due;
        self.completed += other.completed;
        self.response_minutes
            .extend_from_slice(&other.response_minutes);
        self.stars += other.stars;
        self.rated += other.rated;
        self.complaints += other.complaints;
        self.billed = self.billed + other.billed;
        self.collected = self.collected + other.collected;
        self.saving = self.saving + other.saving;
        self.statements_due += other.statements_due;
        self.statements_on_time += other.statements_on_time;
    }
}

/// `num / den × scale`, in tenths, rounded half up; `None` when there is
/// nothing to divide by. 87.5 % is `tenths(7, 8, 100) == Some(875)`.
pub fn tenths(num: i64, den: i64, scale: i64) -> Option<i64> {
    if den <= 0 {
        return None;
    }
    let scaled = i128::from(num) * i128::from(scale) * 10;
    let den = i128::from(den);
    let rounded = (2 * scaled + den).div_euclid(2 * den);
    i64::try_from(rounded).ok()
}

/// The middle value; of two middle values, their mean rounded half up.
pub fn median(values: &[i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        Some(sorted[mid])
    } else {
        Some((sorted[mid - 1] + sorted[mid] + 1).div_euclid(2))
    }
}

/// The figures a Party officer reads for an estate, a company or a scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpis {
    pub households: i64,
    pub orders: i64,
    /// Completed of due orders, in tenths of a percent.
    pub completion: Option<i64>,
    pub median_response_minutes: Option<i64>,
    /// Average stars, in tenths (46 is 4.6 stars).
    pub rating: Option<i64>,
    /// Complaints per 100 households, in tenths.
    pub complaints_per_100: Option<i64>,
    pub complaints: i64,
    /// Paid of billed on the period's bills, in tenths of a percent.
    pub collection: Option<i64>,
    pub billed: Money,
    /// Unpaid on bills up to the period's last month, as of now.
    pub arrears: Money,
    pub saving: Money,
    /// Services whose current price is above the market price.
    pub prices_above_market: i64,
    pub statements_due: i64,
    pub statements_on_time: i64,
}

impl Kpis {
    pub fn from_tally(
        t: &Tally,
        households: i64,
        arrears: Money,
        prices_above_market: i64,
    ) -> Kpis {
        Kpis {
            households,
            orders: t.orders,
            completion: tenths(t.completed, t.due, 100),
            median_response_minutes: median(&t.response_minutes),
            rating: tenths(t.stars, t.rated, 1),
            complaints_per_100: tenths(t.complaints, households, 100),
            complaints: t.complaints,
            collection: tenths(t.collected.fen(), t.billed.fen(), 100),
            billed: t.billed,
            arrears,
            saving: t.saving,
            prices_above_market,
            statements_due: t.statements_due,
            statements_on_time: t.statements_on_time,
        }
    }

    /// Whether the estate or company needs a look: prices above market,
    /// statements late, or fewer than nine in ten due orders completed.
    pub fn needs_attention(&self) -> bool {
        self.prices_above_market > 0
            || self.statements_on_time < self.statements_due
            || self.completion.is_some_and(|c| c < 900)
    }
}

/// A service priced above the market: a warning on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceWarning {
    pub service: LocalizedName,
    pub ours: Money,
    pub market: Money,
}

/// One month of a trend chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// "2026-11".
    pub month: String,
    pub orders: i64,
    pub completion: Option<i64>,
    pub collection: Option<i64>,
    pub complaints: i64,
    pub saving: Money,
}

impl TrendPoint {
    pub fn of(month: String, t: &Tally) -> TrendPoint {
        TrendPoint {
            month,
            orders: t.orders,
            completion: tenths(t.completed, t.due, 100),
            collection: tenths(t.collected.fen(), t.billed.fen(), 100),
            complaints: t.complaints,
            saving: t.saving,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateKpis {
    pub id: EstateId,
    pub name: LocalizedName,
    pub kpis: Kpis,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyKpis {
    pub id: CompanyId,
    pub name: LocalizedName,
    pub community: LocalizedName,
    pub kpis: Kpis,
    pub estates: Vec<EstateKpis>,
    pub price_warnings: Vec<PriceWarning>,
}

/// A street or community the dashboard can be narrowed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridUnit {
    /// "street:3", "community:7": a scope code.
    pub code: String,
    pub name: LocalizedName,
    /// 0 for a street, 1 for a community under it.
    pub depth: u8,
}

/// The period a dashboard adds up: whole months, first to last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

/// The oversight dashboard of a Party scope (or the district, for its
/// administrator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub scope: LocalizedName,
    pub units: Vec<GridUnit>,
    /// The unit chosen, if the view is narrowed.
    pub unit: Option<String>,
    pub period: Period,
    pub total: Kpis,
    pub companies: Vec<CompanyKpis>,
    pub trend: Vec<TrendPoint>,
}

/// One estate under oversight: its figures, month by month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateOversight {
    pub id: EstateId,
    pub name: LocalizedName,
    pub company: Option<(CompanyId, LocalizedName)>,
    pub community: LocalizedName,
    pub period: Period,
    pub kpis: Kpis,
    pub trend: Vec<TrendPoint>,
    pub price_warnings: Vec<PriceWarning>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rates_round_half_up_in_tenths() {
        assert_eq!(tenths(7, 8, 100), Some(875));
        assert_eq!(tenths(2, 3, 100), Some(667));
        assert_eq!(tenths(1, 3, 100), Some(333));
        assert_eq!(tenths(1, 0, 100), None);
        assert_eq!(tenths(23, 5, 1), Some(46));
        assert_eq!(tenths(1, 40, 1), Some(0));
        assert_eq!(tenths(1, 20, 1), Some(1));
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[30]), Some(30));
        assert_eq!(median(&[90, 10, 30]), Some(30));
        assert_eq!(median(&[10, 31, 40, 90]), Some(36));
    }

    #[test]
    fn attention_is_drawn_by_prices_late_statements_and_slow_work() {
        let fine = Kpis {
            completion: Some(950),
            statements_due: 2,
            statements_on_time: 2,
            ..Kpis::default()
        };
        assert!(!fine.needs_attention());
        assert!(
            Kpis {
                prices_above_market: 1,
                ..fine.clone()
            }
            .needs_attention()
        );
        assert!(
            Kpis {
                statements_on_time: 1,
                ..fine.clone()
            }
            .needs_attention()
        );
        assert!(
            Kpis {
                completion: Some(899),
                ..fine
            }
            .needs_attention()
        );
    }

    fn any_tally() -> impl Strategy<Value = Tally> {
        (
            0..50i64,
            0..50i64,
            proptest::collection::vec(0..5000i64, 0..6),
            0..100i64,
            0..20i64,
            0..1_000_000i64,
            0..1_000_000i64,
        )
            .prop_map(
                |(orders, rated, response, stars, complaints, billed, paid)| Tally {
                    orders,
                    due: orders,
                    completed: orders / 2,
                    response_minutes: response,
                    stars: stars.min(rated * 5),
                    rated,
                    complaints,
                    billed: Money::from_fen(billed),
                    collected: Money::from_fen(paid.min(billed)),
                    saving: Money::from_fen(paid),
                    statements_due: 1,
                    statements_on_time: i64::from(paid % 2 == 0),
                },
            )
    }

    proptest! {
        /// Adding estates one by one gives the same figures whatever the
        /// order: a company's rate is its sums' rate, not a mean of rates.
        #[test]
        fn tallies_add_up_in_any_order(tallies in proptest::collection::vec(any_tally(), 1..6)) {
            let mut forward = Tally::default();
            for t in &tallies {
                forward.add(t);
            }
            let mut backward = Tally::default();
            for t in tallies.iter().rev() {
                backward.add(t);
            }
            let a = Kpis::from_tally(&forward, 100, Money::ZERO, 0);
            let b = Kpis::from_tally(&backward, 100, Money::ZERO, 0);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.orders, tallies.iter().map(|t| t.orders).sum::<i64>());
            if let Some(c) = a.collection {
                prop_assert!((0..=1000).contains(&c));
            }
        }

        /// A rate in tenths is within half a tenth of the exact value.
        #[test]
        fn tenths_are_within_half_a_tenth(num in 0..1_000_000i64, den in 1..1_000_000i64) {
            let t = tenths(num, den, 100).unwrap_or(-1);
            // |t/10 − num·100/den| ≤ 1/20  ⇔  |t·den − num·1000| · 2 ≤ den
            let diff = (i128::from(t) * i128::from(den) - i128::from(num) * 1000).abs();
            prop_assert!(diff * 2 <= i128::from(den));
        }
    }
}

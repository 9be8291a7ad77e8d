//! The service catalog and its prices. Below-market pricing is the promise a
//! red-property company makes, so every price carries the market average it
//! undercuts (with its source and date), the saving is computed and never
//! typed, and a price at or above the market needs a written reason and is
//! flagged wherever it appears. Prices are versions with an effective date:
//! a change is a new version, and a bill or an order uses the version in force
//! on its date.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::money::{Money, MoneyError};
use super::org::CompanyId;

id_type!(ServiceId, PriceId);

coded_enum!(
    /// What kind of work a service is.
    ServiceCategory {
        Cleaning = "cleaning",
        EstateManagement = "estate_management",
        Housekeeping = "housekeeping",
        Repair = "repair",
    }
);

coded_enum!(
    /// What a price is per.
    BillingUnit {
        /// Per square metre of floor area per month (management, stair-well
        /// cleaning).
        PerSquareMetreMonth = "per_m2_month",
        PerHour = "per_hour",
        PerVisit = "per_visit",
    }
);

/// How much residents save against the market: market average minus our
/// price, and that as a percentage of the market average (one decimal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saving {
    pub amount: Money,
    pub percent: Decimal,
}

impl Saving {
    pub fn of(ours: Money, market: Money) -> Saving {
        let amount = market - ours;
        let percent = if market.amount().is_zero() {
            Decimal::ZERO
        } else {
            (amount.amount() * Decimal::ONE_HUNDRED / market.amount())
                .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        };
        Saving { amount, percent }
    }

    /// Our price is below the market: the promise kept.
    pub fn is_below_market(self) -> bool {
        self.amount > Money::ZERO
    }
}

/// Why a price was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error("our price: {0}")]
    Ours(MoneyError),
    #[error("market average: {0}")]
    Market(MoneyError),
    #[error("a price cannot be zero or negative")]
    NotPositive,
    #[error("a market average cannot be zero or negative")]
    MarketNotPositive,
    #[error("a price at or above the market average needs a written reason")]
    ReasonRequired,
}

/// A price a manager sets: ours and the market's, checked against the policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceQuote {
    pub ours: Money,
    pub market: Money,
    /// Why our price is not below the market; empty when it is.
    pub reason: String,
}

impl PriceQuote {
    /// Parses and checks a price as typed: both amounts positive, whole fen,
    /// and a reason when ours is not below the market.
    pub fn parse(ours: &str, market: &str, reason: &str) -> Result<PriceQuote, PriceError> {
        let ours = Money::parse(ours).map_err(PriceError::Ours)?;
        let market = Money::parse(market).map_err(PriceError::Market)?;
        if ours <= Money::ZERO {
            return Err(PriceError::NotPositive);
        }
        if market <= Money::ZERO {
            return Err(PriceError::MarketNotPositive);
        }
        let reason = reason.trim().to_owned();
        if ours >= market && reason.is_empty() {
            return Err(PriceError::ReasonRequired);
        }
        Ok(PriceQuote {
            ours,
            market,
            reason: if ours < market { String::new() } else { reason },
        })
    }

    pub fn saving(&self) -> Saving {
        Saving::of(self.ours, self.market)
    }

    /// At or above the market: shown with a warning everywhere.
    pub fn above_market(&self) -> bool {
        self.ours >= self.market
    }
}

/// One version of a service's price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceVersion {
    pub id: PriceId,
    pub quote: PriceQuote,
    /// Where the market average comes from (e.g. a survey of three local
    /// providers) and when it was surveyed.
    pub market_source: String,
    pub surveyed_on: NaiveDate,
    pub effective_from: NaiveDate,
    pub set_by: String,
}

/// The version in force on `date`: the latest that took effect on or before it.
pub fn in_force(versions: &[PriceVersion], date: NaiveDate) -> Option<&PriceVersion> {
    versions
        .iter()
        .filter(|v| v.effective_from <= date)
        .max_by_key(|v| (v.effective_from, v.id))
}

/// A service with its price history, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: ServiceId,
    pub company: CompanyId,
    pub name: LocalizedName,
    pub category: ServiceCategory,
    pub unit: BillingUnit,
    pub prices: Vec<PriceVersion>,
    /// How long one visit takes (per-visit bookings).
    pub visit_minutes: u32,
    /// How soon an order must be answered (scheduled) after booking.
    pub response_hours: u32,
}

/// Longest visit and longest response deadline a service may have.
pub const MAX_VISIT_MINUTES: u32 = 600;
pub const MAX_RESPONSE_HOURS: u32 = 168;

impl Service {
    pub fn price_on(&self, date: NaiveDate) -> Option<&PriceVersion> {
        in_force(&self.prices, date)
    }
}

/// A company's catalog as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub company: CompanyId,
    pub company_name: LocalizedName,
    pub today: NaiveDate,
    pub services: Vec<Service>,
    /// The caller may add services and prices.
    pub can_manage: bool,
}

/// A line of a resident's price list: the service and the price in force today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceListLine {
    pub service: ServiceId,
    pub name: LocalizedName,
    pub category: ServiceCategory,
    pub unit: BillingUnit,
    pub quote: PriceQuote,
    pub market_source: String,
    pub surveyed_on: NaiveDate,
}

/// What a resident's estate is offered, and at what prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    pub estate: LocalizedName,
    pub company: Option<LocalizedName>,
    pub today: NaiveDate,
    pub lines: Vec<PriceListLine>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn savings_are_computed_never_typed() {
        let s = Saving::of(Money::from_fen(3_500), Money::from_fen(5_000));
        assert_eq!(s.amount, Money::from_fen(1_500));
        assert_eq!(s.percent, Decimal::new(300, 1));
        assert!(s.is_below_market());
        let third = Saving::of(Money::from_fen(200), Money::from_fen(300));
        assert_eq!(third.percent, Decimal::new(333, 1));
    }

    #[test]
    fn the_below_market_policy() {
        let ok = PriceQuote::parse("35", "50.00", "").expect("below market");
        assert!(!ok.above_market());
        assert_eq!(
            PriceQuote::parse("50", "50", " "),
            Err(PriceError::ReasonRequired)
        );
        let above = PriceQuote::parse("55", "50", "进口清洁剂").expect("with a reason");
        assert!(above.above_market());
        assert_eq!(above.reason, "进口清洁剂");
        assert_eq!(
            PriceQuote::parse("35.005", "50", ""),
            Err(PriceError::Ours(MoneyError::TooPrecise))
        );
        assert_eq!(
            PriceQuote::parse("-1", "50", ""),
            Err(PriceError::NotPositive)
        );
        assert_eq!(
            PriceQuote::parse("0", "50", ""),
            Err(PriceError::NotPositive)
        );
        assert_eq!(
            PriceQuote::parse("1", "0", "x"),
            Err(PriceError::MarketNotPositive)
        );
        assert_eq!(
            PriceQuote::parse("1", "abc", ""),
            Err(PriceError::Market(MoneyError::NotANumber))
        );
    }

    fn version(id: i64, from: NaiveDate, fen: i64) -> PriceVersion {
        PriceVersion {
            id: PriceId(id),
            quote: PriceQuote {
                ours: Money::from_fen(fen),
                market: Money::from_fen(fen + 100),
                reason: String::new(),
            },
            market_source: String::new(),
            surveyed_on: from,
            effective_from: from,
            set_by: String::new(),
        }
    }

    #[test]
    fn the_version_in_force_is_the_latest_started() {
        let v = vec![
            version(1, d(2026, 1, 1), 100),
            version(2, d(2026, 7, 1), 120),
        ];
        assert_eq!(in_force(&v, d(2025, 12, 31)), None);
        assert_eq!(in_force(&v, d(2026, 6, 30)).map(|p| p.id), Some(PriceId(1)));
        assert_eq!(in_force(&v, d(2026, 7, 1)).map(|p| p.id), Some(PriceId(2)));
    }

    proptest! {
        #[test]
        fn saving_plus_ours_is_the_market(ours in 1i64..10_000_000, market in 1i64..10_000_000) {
            let s = Saving::of(Money::from_fen(ours), Money::from_fen(market));
            prop_assert_eq!(s.amount + Money::from_fen(ours), Money::from_fen(market));
            prop_assert_eq!(s.is_below_market(), ours < market);
            prop_assert!(s.percent <= Decimal::ONE_HUNDRED);
        }

        #[test]
        fn a_quote_parses_back_from_its_amounts(ours in 1i64..10_000_000, market in 1i64..10_000_000) {
            let o = Money::from_fen(ours).to_string();
            let m = Money::from_fen(market).to_string();
            let quote = PriceQuote::parse(&o, &m, "理由");
            let quote = quote.expect("positive amounts with a reason always parse");
            prop_assert_eq!(quote.ours.fen(), ours);
            prop_assert_eq!(quote.above_market(), ours >= market);
            prop_assert_eq!(quote.reason.is_empty(), ours < market);
        }

        #[test]
        fn in_force_never_picks_a_future_version(
            starts in proptest::collection::vec(0i64..1000, 1..10),
            day in 0i64..1000,
        ) {
            let base = d(2024, 1, 1);
            let versions: Vec<PriceVersion> = starts
                .iter()
                .enumerate()
                .map(|(i, s)| version(i as i64, base + chrono::Duration::days(*s), 100))
                .collect();
            let date = base + chrono::Duration::days(day);
            match in_force(&versions, date) {
                Some(v) => {
                    prop_assert!(v.effective_from <= date);
                    prop_assert!(versions.iter().all(|o| o.effective_from > date || o.effective_from <= v.effective_from));
                }
                None => prop_assert!(versions.iter().all(|o| o.effective_from > date)),
            }
        }
    }
}

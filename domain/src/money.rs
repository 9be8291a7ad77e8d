//! Exact money in yuan (CNY). `Decimal` in Rust, integer fen (1/100 yuan) in the
//! database. Rounding is half-up to the fen, done once per line by the caller
//! through [`Money::round_half_up`]; a total is the sum of rounded lines.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// An amount of money in yuan, always a whole number of fen.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Money(Decimal);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MoneyError {
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooPrecise,
    #[error("amount too large")]
    TooLarge,
}

/// Largest amount accepted: far beyond any bill, small enough that fen fit in i64
/// with room for sums.
const MAX_YUAN: i64 = 1_000_000_000_000;

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// From integer fen, as stored in the database.
    pub fn from_fen(fen: i64) -> Money {
        Money(Decimal::new(fen, 2))
    }

    /// Integer fen, for the database. Exact, because a `Money` holds whole fen.
    pub fn fen(self) -> i64 {
        let scaled = self.0 * Decimal::ONE_HUNDRED;
        // ok: every constructor keeps the value within MAX_YUAN and to two places.
        i64::try_from(scaled.trunc()).unwrap_or(if scaled.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    /// Rounds any amount (e.g. area × rate) half-up to the fen: 0.005 → 0.01,
    /// -0.005 → -0.01. This is the single place money gets rounded.
    pub fn round_half_up(amount: Decimal) -> Result<Money, MoneyError> {
        let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        Money::exact(rounded)
    }

    /// An amount that must already be whole fen (what a person types as a price).
    pub fn exact(amount: Decimal) -> Result<Money, MoneyError> {
        if amount.abs() > Decimal::from(MAX_YUAN) {
            return Err(MoneyError::TooLarge);
        }
        let normalized = amount.normalize();
        if normalized.scale() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let mut value = normalized;
        value.rescale(2);
        Ok(Money(value))
    }

    /// Parses what a person typed: "86", "86.5", "1,234.50", "¥12.00".
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let cleaned: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
            .collect();
        if cleaned.is_empty()
            || !cleaned
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(MoneyError::NotANumber);
        }
        let value = Decimal::from_str(&cleaned).map_err(|_| MoneyError::NotANumber)?;
        Money::exact(value)
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// "1,234.50": two decimals, thousands grouped; no currency sign.
    pub fn grouped(self) -> String {
        let fen = self.fen();
        let sign = if fen < 0 { "-" } else { "" };
        let abs = fen.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, digit) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped}.{:02}", abs % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<Decimal> for Money {
    type Error = MoneyError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Money::exact(value)
    }
}

impl From<Money> for Decimal {
    fn from(value: Money) -> Self {
        value.0
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test literal")
    }

    #[test]
    fn half_a_fen_rounds_away_from_zero() {
        assert_eq!(Money::round_half_up(dec("0.005")), Ok(Money::from_fen(1)));
        assert_eq!(Money::round_half_up(dec("0.0049")), Ok(Money::from_fen(0)));
        assert_eq!(Money::round_half_up(dec("-0.005")), Ok(Money::from_fen(-1)));
        // 86.35 m² × ¥1.35 = 116.5725 → 116.57
        assert_eq!(
            Money::round_half_up(dec("86.35") * dec("1.35")),
            Ok(Money::from_fen(11657))
        );
    }

    #[test]
    fn typed_amounts_are_parsed_or_refused() {
        assert_eq!(Money::parse("86"), Ok(Money::from_fen(8600)));
        assert_eq!(Money::parse(" ¥1,234.5 "), Ok(Money::from_fen(123450)));
        assert_eq!(Money::parse("12.345"), Err(MoneyError::TooPrecise));
        assert_eq!(Money::parse("12.340"), Ok(Money::from_fen(1234)));
        assert_eq!(Money::parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(""), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("9999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn grouping_puts_commas_every_three_digits() {
        assert_eq!(Money::from_fen(0).grouped(), "0.00");
        assert_eq!(Money::from_fen(5).grouped(), "0.05");
        assert_eq!(Money::from_fen(123_456_789).grouped(), "1,234,567.89");
        assert_eq!(Money::from_fen(-100_000).grouped(), "-1,000.00");
    }

    const FEN: std::ops::RangeInclusive<i64> = -MAX_YUAN * 100..=MAX_YUAN * 100;

    proptest! {
        #[test]
        fn fen_round_trip(fen in FEN) {
            prop_assert_eq!(Money::from_fen(fen).fen(), fen);
        }

        #[test]
        fn grouped_text_parses_back(fen in FEN) {
            let money = Money::from_fen(fen);
            prop_assert_eq!(Money::parse(&money.grouped()), Ok(money));
        }

        #[test]
        fn sums_of_money_are_sums_of_fen(fens in proptest::collection::vec(-10_000_000i64..10_000_000, 0..50)) {
            let total: Money = fens.iter().copied().map(Money::from_fen).sum();
            prop_assert_eq!(total.fen(), fens.iter().sum::<i64>());
        }

        #[test]
        fn rounding_moves_less_than_half_a_fen(units in -1_000_000_000i64..1_000_000_000, scale in 0u32..6) {
            let amount = Decimal::new(units, scale);
            let rounded = Money::round_half_up(amount).expect("in range");
            let diff = (rounded.amount() - amount).abs();
            prop_assert!(diff <= dec("0.005"));
            // Rounding an already rounded amount changes nothing.
            prop_assert_eq!(Money::round_half_up(rounded.amount()), Ok(rounded));
        }
    }
}

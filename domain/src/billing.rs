//! Billing: the monthly bill of a household, payments and how they settle
//! bills, receipts, the double-entry ledger, and arrears with the escalation
//! the Civil Code (art. 944) allows. Pure, so every money rule is checked by
//! property tests and the browser shows the same figures the server stores.
//!
//! Money is rounded half-up to the fen once per bill line; a bill's total is
//! the sum of its lines. Nothing is deleted or overwritten: a wrong payment is
//! reversed by a new, negative one, and a wrong bill is corrected by an
//! adjustment on a later bill.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::{EstateId, HouseholdId};
use super::contracts::{ContractId, LateFee, Percent};
use super::estates::FloorArea;
use super::money::Money;
use super::org::CompanyId;

id_type!(BillId, PaymentId, AdjustmentId);

/// Days after the end of the month a bill falls due.
pub const DUE_DAYS: i64 = 15;

/// A calendar month of bills, "2026-11".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BillMonth {
    pub year: i32,
    pub month: u32,
}

impl BillMonth {
    /// "2026-11" (also "2026-1" and "2026/11").
    pub fn parse(input: &str) -> Option<BillMonth> {
        let (y, m) = input.trim().split_once(['-', '/'])?;
        let year: i32 = y.trim().parse().ok()?;
        let month: u32 = m.trim().parse().ok()?;
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(BillMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> BillMonth {
        BillMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> BillMonth {
        if self.month == 12 {
            BillMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            BillMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> BillMonth {
        BillMonth::of(self.first_day() - Duration::days(1))
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    /// When the month's bill falls due.
    pub fn due_on(self) -> NaiveDate {
        self.last_day() + Duration::days(DUE_DAYS)
    }
}

impl std::fmt::Display for BillMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

coded_enum!(
    /// What a bill line is for.
    BillLineKind {
        /// A fee per square metre of floor area per month (management,
        /// stair-well cleaning) at the contract's rate.
        AreaFee = "area_fee",
        /// Finished housekeeping at the price booked.
        Service = "service",
        /// A late cancellation's fee.
        Cancellation = "cancellation",
        /// The contract's late fee on an overdue earlier bill.
        LateFee = "late_fee",
        /// A correction the manager made, with a reason.
        Adjustment = "adjustment",
    }
);

coded_enum!(
    /// The ledger's accounts. Receivable is kept per household.
    Account {
        Receivable = "receivable",
        /// Area fees: management and cleaning of the common parts.
        FeeIncome = "fee_income",
        /// Housekeeping and cancellation fees.
        ServiceIncome = "service_income",
        LateFeeIncome = "late_fee_income",
        /// Corrections (a negative balance lowers income).
        Adjustments = "adjustments",
        Cash = "cash",
        WeChat = "wechat",
        Alipay = "alipay",
        Bank = "bank",
    }
);

impl Account {
    /// Assets carry a debit balance; income a credit one.
    pub fn is_asset(self) -> bool {
        matches!(
            self,
            Account::Receivable | Account::Cash | Account::WeChat | Account::Alipay | Account::Bank
        )
    }
}

impl BillLineKind {
    pub fn income_account(self) -> Account {
        match self {
            BillLineKind::AreaFee => Account::FeeIncome,
            BillLineKind::Service | BillLineKind::Cancellation => Account::ServiceIncome,
            BillLineKind::LateFee => Account::LateFeeIncome,
            BillLineKind::Adjustment => Account::Adjustments,
        }
    }
}

coded_enum!(
    /// How a resident paid.
    PaymentMethod {
        Cash = "cash",
        WeChat = "wechat",
        Alipay = "alipay",
        BankTransfer = "bank",
    }
);

impl PaymentMethod {
    /// Everything but cash leaves a transaction number to trace it by.
    pub fn needs_reference(self) -> bool {
        self != PaymentMethod::Cash
    }

    pub fn account(self) -> Account {
        match self {
            PaymentMethod::Cash => Account::Cash,
            PaymentMethod::WeChat => Account::WeChat,
            PaymentMethod::Alipay => Account::Alipay,
            PaymentMethod::BankTransfer => Account::Bank,
        }
    }
}

/// The contract terms a bill is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillTerms {
    pub contract: ContractId,
    /// Lines priced per m² per month.
    pub area_rates: Vec<AreaRate>,
    /// The share of area fees a vacant home pays (100% unless the contract
    /// says less).
    pub vacant_share: Percent,
    pub late_fee: Option<LateFee>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaRate {
    pub name: LocalizedName,
    /// Contract price per m² per month.
    pub rate: Money,
    /// The market average for the same, for the resident's savings.
    pub market: Money,
}

/// Finished work (or a late cancellation) not yet on a bill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnbilledCharge {
    pub charge: i64,
    pub kind: BillLineKind,
    pub name: LocalizedName,
    pub service_on: NaiveDate,
    pub amount: Money,
    pub market: Money,
}

/// A manager's correction waiting for the next bill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAdjustment {
    pub id: AdjustmentId,
    pub amount: Money,
    pub reason: String,
}

/// An earlier bill not fully paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenBill {
    pub id: BillId,
    pub month: BillMonth,
    pub due_on: NaiveDate,
    pub total: Money,
    pub outstanding: Money,
    /// Late fees already billed on it.
    pub late_fees_billed: Money,
    /// Its own late-fee lines (not themselves charged a late fee).
    pub own_late_fees: Money,
}

/// What one household's bill is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdFacts {
    pub household: HouseholdId,
    pub floor_area: Option<FloorArea>,
    pub vacant: bool,
    pub charges: Vec<UnbilledCharge>,
    pub adjustments: Vec<PendingAdjustment>,
    /// Oldest first.
    pub open_bills: Vec<OpenBill>,
}

/// A bill line before it is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDraft {
    pub kind: BillLineKind,
    pub name: LocalizedName,
    /// How the amount came about: "89.50 m² × 1.20", "2026-11-12", a reason.
    pub detail: String,
    pub amount: Money,
    /// What the same would cost at the market average (equal to `amount`
    /// where there is nothing to compare).
    pub market: Money,
    pub charge: Option<i64>,
    pub adjustment: Option<AdjustmentId>,
    pub late_fee_of: Option<BillId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum BillingError {
    #[error("an amount is out of range")]
    OutOfRange,
}

fn rounded(amount: Decimal) -> Result<Money, BillingError> {
    Money::round_half_up(amount).map_err(|_| BillingError::OutOfRange)
}

/// The late fee an overdue bill has run up by `on`: the daily rate for each
/// day past due on what is still owed (not counting the bill's own late
/// fees), capped at the contract's share, less what earlier bills already
/// charged. Never negative.
pub fn late_fee_due(fee: LateFee, bill: &OpenBill, on: NaiveDate) -> Result<Money, BillingError> {
    let days = (on - bill.due_on).num_days();
    if days <= 0 {
        return Ok(Money::ZERO);
    }
    let base = bill
        .outstanding
        .min(bill.total - bill.own_late_fees)
        .max(Money::ZERO);
    let share = (fee.daily.value() * Decimal::from(days)).min(fee.cap.value());
    let accrued = rounded(base.amount() * share / Decimal::ONE_HUNDRED)?;
    Ok((accrued - bill.late_fees_billed).max(Money::ZERO))
}

/// One household's bill for `month`, made on `on`: an area-fee line per
/// area rate (a vacant home pays the contract's share; a home without a
/// recorded floor area gets none), each unbilled charge, each pending
/// adjustment, and the late fee on each overdue earlier bill where the
/// contract has a late-fee clause. Each line is rounded once.
pub fn bill_lines(
    terms: &BillTerms,
    facts: &HouseholdFacts,
    on: NaiveDate,
) -> Result<Vec<LineDraft>, BillingError> {
    let mut lines = Vec::new();
    if let Some(area) = facts.floor_area {
        let share = if facts.vacant {
            terms.vacant_share.value() / Decimal::ONE_HUNDRED
        } else {
            Decimal::ONE
        };
        for rate in &terms.area_rates {
            let detail = if facts.vacant {
                format!(
                    "{} m² × {} × {}",
                    area.square_metres(),
                    rate.rate,
                    terms.vacant_share
                )
            } else {
                format!("{} m² × {}", area.square_metres(), rate.rate)
            };
            lines.push(LineDraft {
                kind: BillLineKind::AreaFee,
                name: rate.name.clone(),
                detail,
                amount: rounded(area.square_metres() * rate.rate.amount() * share)?,
                market: rounded(area.square_metres() * rate.market.amount() * share)?,
                charge: None,
                adjustment: None,
                late_fee_of: None,
            });
        }
    }
    for c in &facts.charges {
        lines.push(LineDraft {
            kind: c.kind,
            name: c.name.clone(),
            detail: c.service_on.to_string(),
            amount: c.amount,
            market: c.market.max(c.amount),
            charge: Some(c.charge),
            adjustment: None,
            late_fee_of: None,
        });
    }
    for a in &facts.adjustments {
        lines.push(LineDraft {
            kind: BillLineKind::Adjustment,
            name: LocalizedName::new("调整", "Adjustment"),
            detail: a.reason.clone(),
            amount: a.amount,
            market: a.amount,
            charge: None,
            adjustment: Some(a.id),
            late_fee_of: None,
        });
    }
    if let Some(fee) = terms.late_fee {
        for b in &facts.open_bills {
            let due = late_fee_due(fee, b, on)?;
            if due > Money::ZERO {
                lines.push(LineDraft {
                    kind: BillLineKind::LateFee,
                    name: LocalizedName::new("滞纳金", "Late fee"),
                    detail: b.month.code(),
                    amount: due,
                    market: due,
                    charge: None,
                    adjustment: None,
                    late_fee_of: Some(b.id),
                });
            }
        }
    }
    Ok(lines)
}

/// A bill's total: the sum of its (already rounded) lines.
pub fn total(lines: &[LineDraft]) -> Money {
    lines.iter().map(|l| l.amount).sum()
}

/// One side of a ledger entry: debit positive, credit negative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: Account,
    /// Set on receivable postings.
    pub household: Option<HouseholdId>,
    pub amount: Money,
}

/// A bill's entry: the household owes the total (debit receivable) and each
/// income account is credited with its lines.
pub fn bill_postings(household: HouseholdId, lines: &[LineDraft]) -> Vec<Posting> {
    let mut postings = vec![Posting {
        account: Account::Receivable,
        household: Some(household),
        amount: total(lines),
    }];
    for account in Account::ALL {
        let sum: Money = lines
            .iter()
            .filter(|l| l.kind.income_account() == *account)
            .map(|l| l.amount)
            .sum();
        if lines.iter().any(|l| l.kind.income_account() == *account) {
            postings.push(Posting {
                account: *account,
                household: None,
                amount: -sum,
            });
        }
    }
    postings
}

/// A payment's entry: cash or bank in (debit), receivable down (credit). A
/// reversal passes a negative amount and so undoes it.
pub fn payment_postings(
    household: HouseholdId,
    method: PaymentMethod,
    amount: Money,
) -> Vec<Posting> {
    vec![
        Posting {
            account: method.account(),
            household: None,
            amount,
        },
        Posting {
            account: Account::Receivable,
            household: Some(household),
            amount: -amount,
        },
    ]
}

pub fn balanced(postings: &[Posting]) -> bool {
    postings.iter().map(|p| p.amount).sum::<Money>() == Money::ZERO
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PaymentError {
    #[error("the amount must be above zero")]
    NotPositive,
    #[error("nothing is owed")]
    NothingOwed,
    #[error("more than is owed")]
    MoreThanOwed,
    #[error("not an open bill of this household")]
    UnknownBill,
    #[error("a transaction number is needed")]
    ReferenceRequired,
}

/// How a payment settles open bills: the chosen bill first, then the oldest.
/// A payment may not exceed what is owed (the cashier takes no deposits).
pub fn allocate(
    open: &[OpenBill],
    amount: Money,
    chosen: Option<BillId>,
) -> Result<Vec<(BillId, Money)>, PaymentError> {
    if amount <= Money::ZERO {
        return Err(PaymentError::NotPositive);
    }
    let owed: Money = open.iter().map(|b| b.outstanding.max(Money::ZERO)).sum();
    if owed <= Money::ZERO {
        return Err(PaymentError::NothingOwed);
    }
    if amount > owed {
        return Err(PaymentError::MoreThanOwed);
    }
    let mut order: Vec<&OpenBill> = Vec::with_capacity(open.len());
    if let Some(id) = chosen {
        let first = open
            .iter()
            .find(|b| b.id == id && b.outstanding > Money::ZERO)
            .ok_or(PaymentError::UnknownBill)?;
        order.push(first);
    }
    let mut rest: Vec<&OpenBill> = open.iter().filter(|b| Some(b.id) != chosen).collect();
    rest.sort_by_key(|b| (b.month, b.id));
    order.extend(rest);
    let mut left = amount;
    let mut settled = Vec::new();
    for b in order {
        if left <= Money::ZERO {
            break;
        }
        if b.outstanding <= Money::ZERO {
            continue;
        }
        let part = left.min(b.outstanding);
        settled.push((b.id, part));
        left = left - part;
    }
    Ok(settled)
}

/// "2026-000042": the year and the company's gapless sequence.
pub fn receipt_number(year: i32, seq: i64) -> String {
    format!("{year}-{seq:06}")
}

coded_enum!(
    /// How long a bill has been overdue.
    AgingBucket {
        /// Not yet due, or less than 30 days past due.
        Current = "current",
        Days30 = "30",
        Days60 = "60",
        Days90 = "90",
    }
);

impl AgingBucket {
    pub fn of(due_on: NaiveDate, today: NaiveDate) -> AgingBucket {
        match (today - due_on).num_days() {
            d if d >= 90 => AgingBucket::Days90,
            d if d >= 60 => AgingBucket::Days60,
            d if d >= 30 => AgingBucket::Days30,
            _ => AgingBucket::Current,
        }
    }

    pub fn index(self) -> usize {
        match self {
            AgingBucket::Current => 0,
            AgingBucket::Days30 => 1,
            AgingBucket::Days60 => 2,
            AgingBucket::Days90 => 3,
        }
    }
}

coded_enum!(
    /// The escalation ladder for unpaid fees (民法典 art. 944: the company may
    /// remind, then demand payment within a reasonable time, then sue or seek
    /// arbitration; it may not cut off water, power, gas or heating, and the
    /// software offers no such step).
    ArrearsStage {
        Reminder = "reminder",
        /// The homeowner committee urges the owner to pay.
        CommitteeUrging = "committee",
        /// The community's mediation committee.
        Mediation = "mediation",
        /// Marked for legal action (court or arbitration).
        LegalAction = "legal",
    }
);

impl ArrearsStage {
    /// The next rung, from none or from `self`.
    pub fn after(current: Option<ArrearsStage>) -> Option<ArrearsStage> {
        match current {
            None => Some(ArrearsStage::Reminder),
            Some(ArrearsStage::Reminder) => Some(ArrearsStage::CommitteeUrging),
            Some(ArrearsStage::CommitteeUrging) => Some(ArrearsStage::Mediation),
            Some(ArrearsStage::Mediation) => Some(ArrearsStage::LegalAction),
            Some(ArrearsStage::LegalAction) => None,
        }
    }
}

/// A reminder mail goes when some bill is at least 30 days overdue and none
/// went in the last 30 days.
pub fn reminder_due(
    oldest_due: NaiveDate,
    last_reminded: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    (today - oldest_due).num_days() >= 30
        && last_reminded.is_none_or(|d| (today - d).num_days() >= 30)
}

// ----- views -----

/// A stored bill line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillLine {
    pub kind: BillLineKind,
    pub name: LocalizedName,
    pub detail: String,
    pub amount: Money,
    pub market: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillView {
    pub id: BillId,
    pub month: BillMonth,
    pub issued_at: NaiveDateTime,
    pub due_on: NaiveDate,
    pub lines: Vec<BillLine>,
    pub total: Money,
    pub paid: Money,
    pub outstanding: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: PaymentId,
    pub receipt_no: String,
    pub method: PaymentMethod,
    pub reference: String,
    /// Negative for a reversal.
    pub amount: Money,
    pub paid_at: NaiveDateTime,
    pub recorded_by: String,
    pub reversal_of: Option<PaymentId>,
    pub reversed_by: Option<PaymentId>,
    pub reason: String,
    /// Which bills it settled (month, amount).
    pub settled: Vec<(BillMonth, Money)>,
}

/// A household's money: its bills, payments and receipts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdAccount {
    pub household: HouseholdId,
    pub company: CompanyId,
    pub estate: EstateId,
    pub estate_name: LocalizedName,
    /// "3栋 2单元 501".
    pub label: String,
    /// Newest first.
    pub bills: Vec<BillView>,
    /// Newest first.
    pub payments: Vec<PaymentView>,
    /// Bills minus payments.
    pub balance: Money,
    /// Market price minus ours over this year's bill lines.
    pub saved_this_year: Money,
    pub year: i32,
    pub can_record_payment: bool,
    pub can_reverse: bool,
    pub can_adjust: bool,
    pub pending_adjustments: Vec<PendingAdjustment>,
    /// Sent back with a payment, so a double submit records it once.
    pub form_token: String,
}

/// A recorded payment: its id and receipt number; `already` when the same
/// form was sent twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub payment: PaymentId,
    pub receipt_no: String,
    pub already: bool,
}

/// A receipt as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub payment: PaymentView,
    pub company_name: LocalizedName,
    pub estate_name: LocalizedName,
    pub household: HouseholdId,
    pub label: String,
}

/// One estate in the preview of a month's run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstatePreview {
    pub estate: EstateId,
    pub name: LocalizedName,
    pub households: u32,
    /// Already billed for the month (a rerun skips them).
    pub billed: u32,
    /// Without a recorded floor area: no area fee.
    pub missing_area: u32,
    /// What the bills still to issue add up to.
    pub total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPreview {
    pub company: CompanyId,
    pub month: BillMonth,
    pub estates: Vec<EstatePreview>,
    pub total: Money,
    pub to_issue: u32,
}

coded_enum!(
    RunState {
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
);

/// The progress of a month's run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStatus {
    pub month: BillMonth,
    pub state: RunState,
    pub done: u32,
    pub total: u32,
    pub issued: u32,
    pub started_at: NaiveDateTime,
}

/// The billing page of a company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingOverview {
    pub company: CompanyId,
    pub company_name: LocalizedName,
    pub this_month: BillMonth,
    pub runs: Vec<RunStatus>,
    pub can_run: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsRow {
    pub household: HouseholdId,
    pub estate_name: LocalizedName,
    pub label: String,
    /// Current, 30, 60, 90+ days.
    pub buckets: [Money; 4],
    pub total: Money,
    pub oldest: BillMonth,
    pub stage: Option<ArrearsStage>,
    pub stage_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrearsList {
    pub company: CompanyId,
    pub today: NaiveDate,
    pub estates: Vec<(EstateId, LocalizedName)>,
    pub estate: Option<EstateId>,
    pub rows: Vec<ArrearsRow>,
    pub totals: [Money; 4],
    pub can_escalate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialBalanceRow {
    pub account: Account,
    pub debit: Money,
    pub credit: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialBalance {
    pub company: CompanyId,
    pub rows: Vec<TrialBalanceRow>,
    pub debit: Money,
    pub credit: Money,
}

impl TrialBalance {
    /// Sums of signed postings per account into debit or credit balances.
    pub fn from_sums(company: CompanyId, sums: &[(Account, Money)]) -> TrialBalance {
        let rows: Vec<TrialBalanceRow> = Account::ALL
            .iter()
            .filter_map(|a| {
                let sum = sums.iter().find(|(b, _)| b == a)?.1;
                Some(TrialBalanceRow {
                    account: *a,
                    debit: sum.max(Money::ZERO),
                    credit: (-sum).max(Money::ZERO),
                })
            })
            .collect();
        TrialBalance {
            company,
            debit: rows.iter().map(|r| r.debit).sum(),
            credit: rows.iter().map(|r| r.credit).sum(),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(fen: i64) -> Money {
        Money::from_fen(fen)
    }

    fn terms(late: Option<LateFee>) -> BillTerms {
        BillTerms {
            contract: ContractId(1),
            area_rates: vec![
                AreaRate {
                    name: LocalizedName::new("物业管理费", "Management"),
                    rate: money(120),
                    market: money(180),
                },
                AreaRate {
                    name: LocalizedName::new("楼道保洁", "Stairs"),
                    rate: money(15),
                    market: money(25),
                },
            ],
            vacant_share: Percent::from_basis_points(7000),
            late_fee: late,
        }
    }

    fn facts(area: Option<i64>, vacant: bool) -> HouseholdFacts {
        HouseholdFacts {
            household: HouseholdId(9),
            floor_area: area.map(FloorArea::from_hundredths),
            vacant,
            charges: vec![],
            adjustments: vec![],
            open_bills: vec![],
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn months_parse_and_fall_due_after_the_month() {
        let nov = BillMonth::parse("2026-11").expect("month");
        assert_eq!(nov.code(), "2026-11");
        assert_eq!(nov.last_day(), day("2026-11-30"));
        assert_eq!(nov.due_on(), day("2026-12-15"));
        assert_eq!(
            BillMonth::parse("2026-12").map(|m| m.next().code()),
            Some("2027-01".into())
        );
        for bad in ["", "2026", "2026-13", "2026-0", "11-2026x", "abc-de"] {
            assert_eq!(BillMonth::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn month_ends_year_ends_and_leap_days_fall_where_the_calendar_puts_them() {
        let month = |s: &str| BillMonth::parse(s).expect("month");
        // December's bill falls due in the next year; January follows it.
        assert_eq!(month("2026-12").last_day(), day("2026-12-31"));
        assert_eq!(month("2026-12").due_on(), day("2027-01-15"));
        assert_eq!(month("2027-01").prev().code(), "2026-12");
        // February: 28 days in a common year, 29 in a leap year; 2100 is not one.
        assert_eq!(month("2027-02").last_day(), day("2027-02-28"));
        assert_eq!(month("2027-02").due_on(), day("2027-03-15"));
        assert_eq!(month("2028-02").last_day(), day("2028-02-29"));
        assert_eq!(month("2028-02").due_on(), day("2028-03-15"));
        assert_eq!(month("2100-02").last_day(), day("2100-02-28"));
        // The month of a day is the month its bill is for, the last day included.
        assert_eq!(BillMonth::of(day("2028-02-29")).code(), "2028-02");
        assert_eq!(BillMonth::of(day("2026-12-31")).next().code(), "2027-01");
        // Arrears age by days, not by months: across a leap day and a year end.
        let due = month("2027-11").due_on(); // 2027-12-15
        assert_eq!(
            AgingBucket::of(due, day("2028-01-13")),
            AgingBucket::Current
        );
        assert_eq!(AgingBucket::of(due, day("2028-01-14")), AgingBucket::Days30);
        // 2028-02-15: a leap February, so 15 March is only 29 days on.
        let due = month("2028-01").due_on();
        assert_eq!(
            AgingBucket::of(due, day("2028-03-15")),
            AgingBucket::Current
        );
        assert_eq!(AgingBucket::of(due, day("2028-03-16")), AgingBucket::Days30);
        assert_eq!(AgingBucket::of(due, day("2028-05-15")), AgingBucket::Days90);
        assert_eq!(receipt_number(2027, 1), "2027-000001");
    }

    #[test]
    fn the_area_fee_is_area_times_rate_rounded_once_and_vacant_homes_pay_the_share() {
        // 89.53 m² × 1.20 = 107.436 → 107.44; × 0.15 = 13.4295 → 13.43.
        let lines =
            bill_lines(&terms(None), &facts(Some(8953), false), day("2026-11-30")).expect("lines");
        assert_eq!(
            lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
            vec![money(10744), money(1343)]
        );
        assert_eq!(total(&lines), money(12087));
        assert_eq!(lines[0].market, money(16115));
        // Vacant: 70% of 107.436 = 75.2052 → 75.21.
        let vacant =
            bill_lines(&terms(None), &facts(Some(8953), true), day("2026-11-30")).expect("lines");
        assert_eq!(vacant[0].amount, money(7521));
        // No floor area on record: no area fee at all.
        let none = bill_lines(&terms(None), &facts(None, false), day("2026-11-30")).expect("lines");
        assert!(none.is_empty());
    }

    #[test]
    fn late_fees_run_per_day_from_the_due_date_up_to_the_cap() {
        let fee = LateFee {
            daily: Percent::from_basis_points(5),
            cap: Percent::from_basis_points(1000),
        };
        let bill = OpenBill {
            id: BillId(1),
            month: BillMonth {
                year: 2026,
                month: 9,
            },
            due_on: day("2026-10-15"),
            total: money(10000),
            outstanding: money(10000),
            late_fees_billed: Money::ZERO,
            own_late_fees: Money::ZERO,
        };
        assert_eq!(late_fee_due(fee, &bill, day("2026-10-15")), Ok(Money::ZERO));
        // 20 days × 0.05% of 100.00 = 1.00.
        assert_eq!(late_fee_due(fee, &bill, day("2026-11-04")), Ok(money(100)));
        // After 200 days the cap of 10% holds: 10.00, less 1.00 billed.
        let billed = OpenBill {
            late_fees_billed: money(100),
            ..bill.clone()
        };
        assert_eq!(
            late_fee_due(fee, &billed, day("2027-05-03")),
            Ok(money(900))
        );
        // No clause, no late fee.
        let lines = bill_lines(
            &terms(None),
            &HouseholdFacts {
                open_bills: vec![bill],
                ..facts(None, false)
            },
            day("2027-05-03"),
        )
        .expect("lines");
        assert!(lines.is_empty());
    }

    #[test]
    fn a_payment_settles_the_chosen_bill_then_the_oldest_and_never_more_than_owed() {
        let open = |id, month, outstanding| OpenBill {
            id: BillId(id),
            month: BillMonth { year: 2026, month },
            due_on: day("2026-12-15"),
            total: money(outstanding),
            outstanding: money(outstanding),
            late_fees_billed: Money::ZERO,
            own_late_fees: Money::ZERO,
        };
        let bills = [open(2, 10, 5000), open(1, 9, 3000), open(3, 11, 4000)];
        assert_eq!(
            allocate(&bills, money(6000), None),
            Ok(vec![(BillId(1), money(3000)), (BillId(2), money(3000))])
        );
        assert_eq!(
            allocate(&bills, money(6000), Some(BillId(3))),
            Ok(vec![(BillId(3), money(4000)), (BillId(1), money(2000))])
        );
        assert_eq!(
            allocate(&bills, money(12001), None),
            Err(PaymentError::MoreThanOwed)
        );
        assert_eq!(
            allocate(&bills, Money::ZERO, None),
            Err(PaymentError::NotPositive)
        );
        assert_eq!(
            allocate(&[], money(1), None),
            Err(PaymentError::NothingOwed)
        );
        assert_eq!(
            allocate(&bills, money(1), Some(BillId(99))),
            Err(PaymentError::UnknownBill)
        );
    }

    #[test]
    fn aging_buckets_count_days_past_due() {
        let due = day("2026-10-15");
        assert_eq!(
            AgingBucket::of(due, day("2026-10-01")),
            AgingBucket::Current
        );
        assert_eq!(
            AgingBucket::of(due, day("2026-11-13")),
            AgingBucket::Current
        );
        assert_eq!(AgingBucket::of(due, day("2026-11-14")), AgingBucket::Days30);
        assert_eq!(AgingBucket::of(due, day("2026-12-14")), AgingBucket::Days60);
        assert_eq!(AgingBucket::of(due, day("2027-01-13")), AgingBucket::Days90);
        assert!(reminder_due(due, None, day("2026-11-14")));
        assert!(!reminder_due(
            due,
            Some(day("2026-11-01")),
            day("2026-11-14")
        ));
        assert_eq!(ArrearsStage::after(Some(ArrearsStage::LegalAction)), None);
    }

    /// A payment in the random walk: amount, method, what it settled, and
    /// whether it was reversed.
    type StandingPayment = (Money, PaymentMethod, Vec<(BillId, Money)>, bool);

    /// One random step of a household's money.
    #[derive(Clone, Debug)]
    enum Step {
        Bill {
            area: i64,
            vacant: bool,
            charge: i64,
            adjustment: i64,
        },
        Pay {
            share: u8,
            method: u8,
        },
        Reverse {
            which: u8,
        },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (1i64..30_000, any::<bool>(), 0i64..50_000, -5_000i64..5_000).prop_map(
                |(area, vacant, charge, adjustment)| Step::Bill {
                    area,
                    vacant,
                    charge,
                    adjustment
                }
            ),
            (1u8..=100, 0u8..4).prop_map(|(share, method)| Step::Pay { share, method }),
            any::<u8>().prop_map(|which| Step::Reverse { which }),
        ]
    }

    proptest! {
        #[test]
        fn a_bill_total_is_the_sum_of_its_rounded_lines(
            area in 1i64..100_000, vacant in any::<bool>(), rate in 1i64..1_000, share in 0i64..=10_000,
        ) {
            let mut t = terms(None);
            t.area_rates[0].rate = money(rate);
            t.vacant_share = Percent::from_basis_points(share);
            let lines = bill_lines(&t, &facts(Some(area), vacant), day("2026-11-30")).expect("lines");
            for l in &lines {
                prop_assert_eq!(l.amount, Money::round_half_up(l.amount.amount()).expect("whole fen"));
            }
            prop_assert_eq!(total(&lines), lines.iter().map(|l| l.amount).sum::<Money>());
            prop_assert!(balanced(&bill_postings(HouseholdId(1), &lines)));
        }

        #[test]
        fn late_fees_on_a_bill_never_exceed_the_cap(
            total_fen in 1i64..1_000_000, cap in 1i64..=3_000, daily in 1i64..=100,
            checks in proptest::collection::vec((1i64..400, 0u8..=100), 1..8),
        ) {
            let fee = LateFee { daily: Percent::from_basis_points(daily), cap: Percent::from_basis_points(cap) };
            let mut bill = OpenBill {
                id: BillId(1), month: BillMonth { year: 2026, month: 1 }, due_on: day("2026-02-15"),
                total: money(total_fen), outstanding: money(total_fen),
                late_fees_billed: Money::ZERO, own_late_fees: Money::ZERO,
            };
            let mut on = bill.due_on;
            for (days, paid_share) in checks {
                on += Duration::days(days);
                // Some of it is paid meanwhile.
                let paid = Money::round_half_up(bill.outstanding.amount() * Decimal::from(paid_share) / Decimal::from(100)).expect("fen");
                bill.outstanding = bill.outstanding - paid;
                let due = late_fee_due(fee, &bill, on).expect("fee");
                prop_assert!(due >= Money::ZERO);
                bill.late_fees_billed = bill.late_fees_billed + due;
            }
            let cap_amount = Money::round_half_up(money(total_fen).amount() * fee.cap.value() / Decimal::ONE_HUNDRED).expect("fen");
            prop_assert!(bill.late_fees_billed <= cap_amount);
        }

        /// Random bills, payments and reversals: the ledger balances and the
        /// household's receivable equals its bills minus its payments.
        #[test]
        fn the_ledger_balances_and_receivable_is_bills_minus_payments(
            steps in proptest::collection::vec(step(), 1..40),
        ) {
            let household = HouseholdId(9);
            let mut postings: Vec<Posting> = Vec::new();
            let mut bills: Vec<OpenBill> = Vec::new();
            // Payments still standing: (amount, method, allocations).
            let mut payments: Vec<StandingPayment> = Vec::new();
            let mut billed = Money::ZERO;
            let mut paid = Money::ZERO;
            let mut month = BillMonth { year: 2026, month: 1 };
            for s in steps {
                match s {
                    Step::Bill { area, vacant, charge, adjustment } => {
                        let mut f = facts(Some(area), vacant);
                        if charge > 0 {
                            f.charges.push(UnbilledCharge {
                                charge: 1, kind: BillLineKind::Service, name: LocalizedName::new("家政", "Housekeeping"),
                                service_on: month.first_day(), amount: money(charge), market: money(charge * 3 / 2),
                            });
                        }
                        if adjustment != 0 {
                            f.adjustments.push(PendingAdjustment { id: AdjustmentId(1), amount: money(adjustment), reason: "r".into() });
                        }
                        let lines = bill_lines(&terms(None), &f, month.last_day()).expect("lines");
                        let t = total(&lines);
                        let p = bill_postings(household, &lines);
                        prop_assert!(balanced(&p));
                        postings.extend(p);
                        billed = billed + t;
                        bills.push(OpenBill {
                            id: BillId(bills.len() as i64 + 1), month, due_on: month.due_on(), total: t,
                            outstanding: t, late_fees_billed: Money::ZERO, own_late_fees: Money::ZERO,
                        });
                        month = month.next();
                    }
                    Step::Pay { share, method } => {
                        let owed: Money = bills.iter().map(|b| b.outstanding.max(Money::ZERO)).sum();
                        let amount = Money::round_half_up(owed.amount() * Decimal::from(share) / Decimal::from(100)).expect("fen");
                        let method = PaymentMethod::ALL[usize::from(method) % PaymentMethod::ALL.len()];
                        if let Ok(settled) = allocate(&bills, amount, None) {
                            prop_assert_eq!(settled.iter().map(|(_, m)| *m).sum::<Money>(), amount);
                            for (id, part) in &settled {
                                let b = bills.iter_mut().find(|b| b.id == *id).expect("bill");
                                b.outstanding = b.outstanding - *part;
                                prop_assert!(b.outstanding >= Money::ZERO);
                            }
                            let p = payment_postings(household, method, amount);
                            prop_assert!(balanced(&p));
                            postings.extend(p);
                            paid = paid + amount;
                            payments.push((amount, method, settled, false));
                        }
                    }
                    Step::Reverse { which } => {
                        let standing: Vec<usize> = (0..payments.len()).filter(|i| !payments[*i].3).collect();
                        if let Some(&i) = standing.get(usize::from(which) % standing.len().max(1)) {
                            let (amount, method, settled, _) = payments[i].clone();
                            for (id, part) in &settled {
                                let b = bills.iter_mut().find(|b| b.id == *id).expect("bill");
                                b.outstanding = b.outstanding + *part;
                            }
                            postings.extend(payment_postings(household, method, -amount));
                            paid = paid - amount;
                            payments[i].3 = true;
                        }
                    }
                }
                prop_assert!(balanced(&postings));
                let receivable: Money = postings.iter().filter(|p| p.account == Account::Receivable).map(|p| p.amount).sum();
                prop_assert_eq!(receivable, billed - paid);
                let outstanding: Money = bills.iter().map(|b| b.outstanding).sum();
                prop_assert_eq!(outstanding, billed - paid);
                let sums: Vec<(Account, Money)> = Account::ALL.iter().map(|a| {
                    (*a, postings.iter().filter(|p| p.account == *a).map(|p| p.amount).sum())
                }).collect();
                let tb = TrialBalance::from_sums(CompanyId(1), &sums);
                prop_assert_eq!(tb.debit, tb.credit);
            }
        }
    }
}

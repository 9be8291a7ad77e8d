//! Work orders: a resident's housekeeping booking, a booking taken by phone on
//! a resident's behalf (代客), or a visit generated from an estate's recurring
//! cleaning plan. The life cycle is a pure state machine: requested →
//! scheduled (staff + slot) → in progress → done → confirmed and rated, with
//! the side exits cancelled and disputed → resolved. Slots, the cancellation
//! fee, the response deadline and plan occurrences are pure rules here too.
//!
//! Slot times are China local time (what the resident picks and the staff
//! member reads); event times are UTC like every other timestamp.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::{EstateId, HouseholdId, PersonId};
use super::money::Money;
use super::pricing::{BillingUnit, PriceQuote, ServiceId};

id_type!(WorkOrderId, CleaningPlanId, ComplaintId);

coded_enum!(
    OrderState {
        /// Booked, waiting for the company to send someone.
        Requested = "requested",
        /// A staff member and a slot are set.
        Scheduled = "scheduled",
        InProgress = "in_progress",
        /// Finished by the staff member; the resident confirms or disputes.
        Done = "done",
        /// Confirmed and rated by the resident.
        Confirmed = "confirmed",
        Cancelled = "cancelled",
        /// The resident says the work was not done as booked.
        Disputed = "disputed",
        /// The company answered the dispute.
        Resolved = "resolved",
    }
);

coded_enum!(
    /// What someone does to a work order.
    OrderStep {
        /// Set (or change) the staff member and the slot.
        Schedule = "schedule",
        Start = "start",
        Finish = "finish",
        Confirm = "confirm",
        Cancel = "cancel",
        Dispute = "dispute",
        Resolve = "resolve",
    }
);

coded_enum!(
    /// How an order came in.
    BookingChannel {
        /// The resident booked in the app.
        App = "app",
        /// A manager or staff member booked for the resident after a call (代客).
        Phone = "phone",
        /// Generated from a recurring cleaning plan.
        Plan = "plan",
    }
);

/// Who acts on an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderActor {
    /// A resident of the order's household.
    Resident,
    /// The staff member the order is scheduled to.
    AssignedStaff,
    /// The company's general manager.
    Manager,
}

impl OrderStep {
    /// Who may take the step.
    pub fn actors(self) -> &'static [OrderActor] {
        use OrderActor::*;
        match self {
            OrderStep::Schedule | OrderStep::Resolve => &[Manager],
            OrderStep::Start | OrderStep::Finish => &[AssignedStaff, Manager],
            OrderStep::Confirm | OrderStep::Dispute => &[Resident],
            OrderStep::Cancel => &[Resident, Manager],
        }
    }

    /// Steps that must say why.
    pub fn needs_comment(self) -> bool {
        matches!(
            self,
            OrderStep::Cancel | OrderStep::Dispute | OrderStep::Resolve
        )
    }
}

/// Why a step was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum OrderError {
    #[error("this step is not possible from the order's state")]
    NotFromThisState,
    #[error("someone else takes this step")]
    WrongActor,
    #[error("this step needs a reason")]
    CommentRequired,
}

impl OrderState {
    /// The state after `step` taken by `actor`, or why not.
    pub fn after(
        self,
        step: OrderStep,
        actor: OrderActor,
        comment: &str,
    ) -> Result<OrderState, OrderError> {
        use OrderState::*;
        use OrderStep as S;
        let next = match (self, step) {
            (Requested | Scheduled, S::Schedule) => Scheduled,
            (Scheduled, S::Start) => InProgress,
            (InProgress, S::Finish) => Done,
            (Done, S::Confirm) => Confirmed,
            (Done, S::Dispute) => Disputed,
            (Disputed, S::Resolve) => Resolved,
            (Requested | Scheduled, S::Cancel) => Cancelled,
            _ => return Err(OrderError::NotFromThisState),
        };
        if !step.actors().contains(&actor) {
            return Err(OrderError::WrongActor);
        }
        if step.needs_comment() && comment.trim().is_empty() {
            return Err(OrderError::CommentRequired);
        }
        Ok(next)
    }

    /// Nothing more happens to the order.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrderState::Confirmed | OrderState::Cancelled | OrderState::Resolved
        )
    }

    /// Still waiting for work: counts against a staff member's time.
    pub fn occupies_staff(self) -> bool {
        matches!(self, OrderState::Scheduled | OrderState::InProgress)
    }

    /// The work was done (the charge stands unless a dispute changes it).
    pub fn work_done(self) -> bool {
        matches!(
            self,
            OrderState::Done | OrderState::Confirmed | OrderState::Disputed | OrderState::Resolved
        )
    }

    /// The steps `actor` could take now.
    pub fn steps_for(self, actor: OrderActor) -> Vec<OrderStep> {
        OrderStep::ALL
            .iter()
            .copied()
            .filter(|s| self.after(*s, actor, "-").is_ok())
            .collect()
    }
}

/// A stretch of time on one day, in China local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Slot {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl Slot {
    pub fn new(start: NaiveDateTime, minutes: u32) -> Slot {
        Slot {
            start,
            end: start + Duration::minutes(i64::from(minutes)),
        }
    }

    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    /// Share any time: touching ends do not overlap.
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The company's working hours, until staff profiles carry their own: every
/// day, 08:00 to 18:00, slots starting on the hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkingHours {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

pub const WORKING_HOURS: WorkingHours = WorkingHours {
    opens: match NaiveTime::from_hms_opt(8, 0, 0) {
        Some(t) => t,
        None => NaiveTime::MIN,
    },
    closes: match NaiveTime::from_hms_opt(18, 0, 0) {
        Some(t) => t,
        None => NaiveTime::MIN,
    },
};

/// How far ahead a resident may book.
pub const BOOKING_DAYS_AHEAD: i64 = 30;

/// Why a slot was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SlotError {
    #[error("the slot has already begun")]
    InPast,
    #[error("the slot is outside working hours")]
    OutsideHours,
    #[error("the slot is too far ahead")]
    TooFarAhead,
}

impl WorkingHours {
    /// The slot starts offered on `day` for work of `minutes`: on the hour,
    /// ending by closing time.
    pub fn starts_on(&self, day: NaiveDate, minutes: u32) -> Vec<NaiveDateTime> {
        let mut out = Vec::new();
        let mut t = day.and_time(self.opens);
        let close = day.and_time(self.closes);
        while t + Duration::minutes(i64::from(minutes)) <= close {
            out.push(t);
            t += Duration::hours(1);
        }
        out
    }

    /// Whether a slot may be booked at local time `now`.
    pub fn check(&self, slot: &Slot, now_local: NaiveDateTime) -> Result<(), SlotError> {
        if slot.start <= now_local {
            return Err(SlotError::InPast);
        }
        if slot.start.date() > now_local.date() + Duration::days(BOOKING_DAYS_AHEAD) {
            return Err(SlotError::TooFarAhead);
        }
        let day = slot.start.date();
        if slot.start < day.and_time(self.opens)
            || slot.end > day.and_time(self.closes)
            || slot.end.date() != day
        {
            return Err(SlotError::OutsideHours);
        }
        Ok(())
    }
}

/// How much work is booked: hours for an hourly service, one visit otherwise.
pub const MAX_BOOKED_HOURS: u32 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum QuantityError {
    #[error("book between 1 and 8 hours")]
    Hours,
    #[error("this service cannot be booked by a resident")]
    NotBookable,
}

/// The quantity and the length of a booking of a service.
pub fn booking_size(
    unit: BillingUnit,
    hours: u32,
    visit_minutes: u32,
) -> Result<(u32, u32), QuantityError> {
    match unit {
        BillingUnit::PerHour if (1..=MAX_BOOKED_HOURS).contains(&hours) => Ok((hours, hours * 60)),
        BillingUnit::PerHour => Err(QuantityError::Hours),
        BillingUnit::PerVisit => Ok((1, visit_minutes)),
        BillingUnit::PerSquareMetreMonth => Err(QuantityError::NotBookable),
    }
}

/// Price × quantity: exact, since both are whole.
pub fn order_amount(unit_price: Money, quantity: u32) -> Money {
    Money::from_fen(unit_price.fen().saturating_mul(i64::from(quantity)))
}

/// What a resident pays for cancelling, as the estate's contract says: free
/// until `free_hours` before the slot; after that, `late_fee_bp` basis points
/// of the order's amount. The company cancelling never costs the resident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationTerms {
    pub free_hours: u32,
    pub late_fee_bp: u32,
}

impl CancellationTerms {
    /// When there is no contract to say otherwise.
    pub const DEFAULT: CancellationTerms = CancellationTerms {
        free_hours: 24,
        late_fee_bp: 0,
    };

    /// The last moment a resident cancels for free.
    pub fn cutoff(&self, slot_start: NaiveDateTime) -> NaiveDateTime {
        slot_start - Duration::hours(i64::from(self.free_hours))
    }

    pub fn fee(
        &self,
        amount: Money,
        slot_start: NaiveDateTime,
        now_local: NaiveDateTime,
        actor: OrderActor,
    ) -> Money {
        if actor != OrderActor::Resident || now_local <= self.cutoff(slot_start) {
            return Money::ZERO;
        }
        let bp = Decimal::from(self.late_fee_bp.min(10_000));
        Money::round_half_up(amount.amount() * bp / Decimal::from(10_000)).unwrap_or(Money::ZERO)
    }
}

/// A resident's rating: 1 to 5 stars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stars(u8);

impl Stars {
    pub fn new(n: i64) -> Option<Stars> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Stars)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// When an order must have been answered (scheduled) by: the service's
/// response deadline after booking.
pub fn respond_by(requested_at: NaiveDateTime, response_hours: u32) -> NaiveDateTime {
    requested_at + Duration::hours(i64::from(response_hours))
}

/// Late: still unanswered after the response deadline, or not finished by
/// the end of its slot. Both times are compared in UTC.
pub fn is_overdue(
    state: OrderState,
    respond_by_utc: NaiveDateTime,
    slot_end_utc: NaiveDateTime,
    now_utc: NaiveDateTime,
) -> bool {
    match state {
        OrderState::Requested => now_utc > respond_by_utc || now_utc > slot_end_utc,
        OrderState::Scheduled | OrderState::InProgress => now_utc > slot_end_utc,
        _ => false,
    }
}

/// The weekdays a recurring plan runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weekdays(u8);

impl Weekdays {
    pub const EVERY_DAY: Weekdays = Weekdays(127);

    /// From the weekday numbers 1 (Monday) to 7 (Sunday); none is refused.
    pub fn from_numbers(days: &[u32]) -> Option<Weekdays> {
        let mut bits = 0u8;
        for d in days {
            if !(1..=7).contains(d) {
                return None;
            }
            bits |= 1 << (d - 1);
        }
        (bits != 0).then_some(Weekdays(bits))
    }

    pub fn from_bits(bits: i64) -> Option<Weekdays> {
        u8::try_from(bits)
            .ok()
            .filter(|b| (1..=127).contains(b))
            .map(Weekdays)
    }

    pub fn bits(self) -> i64 {
        i64::from(self.0)
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    /// 1 (Monday) … 7 (Sunday), in order.
    pub fn numbers(self) -> Vec<u32> {
        (1..=7).filter(|d| self.0 & (1 << (d - 1)) != 0).collect()
    }
}

/// How many weeks ahead plan orders are generated.
pub const PLAN_WEEKS_AHEAD: i64 = 4;

/// The slots of a plan from `from` for `days` days: one on each chosen
/// weekday at `start`, for `minutes`.
pub fn plan_occurrences(
    weekdays: Weekdays,
    start: NaiveTime,
    minutes: u32,
    from: NaiveDate,
    days: i64,
) -> Vec<Slot> {
    (0..days.max(0))
        .map(|i| from + Duration::days(i))
        .filter(|d| weekdays.contains(d.weekday()))
        .map(|d| Slot::new(d.and_time(start), minutes))
        .collect()
}

/// Whether a plan's daily visit fits the working day.
pub fn plan_fits_day(start: NaiveTime, minutes: u32) -> bool {
    let day = NaiveDate::MIN;
    let slot = Slot::new(day.and_time(start), minutes);
    minutes > 0
        && slot.start >= day.and_time(WORKING_HOURS.opens)
        && slot.end <= day.and_time(WORKING_HOURS.closes)
}

// ----- views -----

/// Where an order is done: estate, and building and room when it is a
/// household's or a building's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAddress {
    pub estate: LocalizedName,
    pub building: Option<String>,
    /// "1单元 302".
    pub room: Option<String>,
}

/// One order in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub id: WorkOrderId,
    pub state: OrderState,
    pub service: LocalizedName,
    pub address: OrderAddress,
    pub slot: Slot,
    pub staff: Option<String>,
    pub amount: Money,
    pub channel: BookingChannel,
    pub overdue: bool,
    pub notes: String,
}

/// One step in an order's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub at: NaiveDateTime,
    pub by: String,
    pub step: Option<OrderStep>,
    pub to: OrderState,
    pub comment: String,
}

/// A resident's rating of finished work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub stars: Stars,
    pub comment: String,
}

/// A complaint about an order or the estate, and its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintView {
    pub id: ComplaintId,
    pub estate: LocalizedName,
    pub order: Option<WorkOrderId>,
    pub household: Option<String>,
    pub filed_by: String,
    pub filed_at: NaiveDateTime,
    pub body: String,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
}

/// A staff member an order can be scheduled to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChoice {
    pub id: PersonId,
    pub name: String,
}

/// One order in full, with what the caller may do to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub line: OrderLine,
    pub household: Option<HouseholdId>,
    pub estate: EstateId,
    pub company: super::org::CompanyId,
    pub unit: BillingUnit,
    pub quantity: u32,
    /// The price booked, the market average then, and the saving.
    pub quote: PriceQuote,
    pub respond_by: NaiveDateTime,
    pub materials: String,
    pub rating: Option<Rating>,
    pub cancel_fee: Option<Money>,
    pub events: Vec<OrderEvent>,
    pub complaints: Vec<ComplaintView>,
    /// What the caller may do now.
    pub steps: Vec<OrderStep>,
    /// What cancelling now would cost the caller.
    pub cancel_fee_now: Money,
    /// The last moment to cancel for free.
    pub free_cancel_until: NaiveDateTime,
    pub can_complain: bool,
    /// For scheduling: the company's staff (managers only).
    pub staff_choices: Vec<StaffChoice>,
}

/// A service a resident can book, with its price in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookableService {
    pub id: ServiceId,
    pub name: LocalizedName,
    pub unit: BillingUnit,
    pub quote: PriceQuote,
    /// Length of one visit (per-visit services).
    pub visit_minutes: u32,
    pub response_hours: u32,
}

/// The booking page of a household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingPage {
    pub household: HouseholdId,
    pub address: OrderAddress,
    pub services: Vec<BookableService>,
    /// Local date today: the first bookable day.
    pub today: NaiveDate,
    pub last_day: NaiveDate,
    /// A fresh token for this form: submitting it twice books once.
    pub form_token: String,
    /// Booked by a manager or staff member for the resident.
    pub on_behalf: bool,
    pub cancellation: CancellationTerms,
}

/// A slot offered on the booking page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeSlot {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// What booking returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booked {
    pub order: WorkOrderId,
    /// The same form had been submitted before: nothing new was booked.
    pub already: bool,
}

/// A household's orders, upcoming and past.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdOrders {
    pub household: HouseholdId,
    pub address: OrderAddress,
    pub upcoming: Vec<OrderLine>,
    pub past: Vec<OrderLine>,
    pub complaints: Vec<ComplaintView>,
    pub can_book: bool,
    /// The caller is the household's resident.
    pub can_complain: bool,
}

/// The company's orders for the manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyOrders {
    pub company: super::org::CompanyId,
    pub company_name: LocalizedName,
    pub orders: Vec<OrderLine>,
    pub unassigned: usize,
    pub overdue: usize,
    pub open_complaints: usize,
}

/// A staff member's jobs of one day, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDay {
    pub day: NaiveDate,
    pub name: String,
    pub jobs: Vec<OrderLine>,
}

/// A recurring cleaning plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleaningPlanView {
    pub id: CleaningPlanId,
    pub estate: EstateId,
    pub estate_name: LocalizedName,
    pub building: Option<String>,
    pub service: LocalizedName,
    pub weekdays: Weekdays,
    pub start: NaiveTime,
    pub minutes: u32,
    pub paused: bool,
    /// Orders generated and not yet done.
    pub upcoming: u32,
}

/// An estate a plan can be for, with its buildings.
pub type PlanEstate = (
    EstateId,
    LocalizedName,
    Vec<(super::access::BuildingId, String)>,
);

/// The plans page of a company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleaningPlans {
    pub company: super::org::CompanyId,
    pub plans: Vec<CleaningPlanView>,
    /// For the form: the company's estates, their buildings, and cleaning services.
    pub estates: Vec<PlanEstate>,
    pub services: Vec<(ServiceId, LocalizedName)>,
    /// The caller is the company's manager (others only read).
    pub can_manage: bool,
}

/// The company's complaints, open first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyComplaints {
    pub company: super::org::CompanyId,
    pub complaints: Vec<ComplaintView>,
    /// The caller is the company's manager (others only read).
    pub can_answer: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("valid")
    }

    const ACTORS: [OrderActor; 3] = [
        OrderActor::Resident,
        OrderActor::AssignedStaff,
        OrderActor::Manager,
    ];

    #[test]
    fn the_happy_path_from_booking_to_rating() {
        let s = OrderState::Requested;
        let s = s
            .after(OrderStep::Schedule, OrderActor::Manager, "")
            .expect("schedule");
        let s = s
            .after(OrderStep::Start, OrderActor::AssignedStaff, "")
            .expect("start");
        let s = s
            .after(OrderStep::Finish, OrderActor::AssignedStaff, "")
            .expect("finish");
        let s = s
            .after(OrderStep::Confirm, OrderActor::Resident, "")
            .expect("confirm");
        assert_eq!(s, OrderState::Confirmed);
        assert!(s.is_final());
    }

    #[test]
    fn illegal_steps_are_refused_with_the_reason() {
        assert_eq!(
            OrderState::Requested.after(OrderStep::Start, OrderActor::Manager, ""),
            Err(OrderError::NotFromThisState)
        );
        assert_eq!(
            OrderState::Done.after(OrderStep::Confirm, OrderActor::Manager, ""),
            Err(OrderError::WrongActor)
        );
        assert_eq!(
            OrderState::Scheduled.after(OrderStep::Cancel, OrderActor::Resident, " "),
            Err(OrderError::CommentRequired)
        );
        assert_eq!(
            OrderState::InProgress.after(OrderStep::Cancel, OrderActor::Resident, "不需要了"),
            Err(OrderError::NotFromThisState)
        );
    }

    #[test]
    fn slots_stay_inside_the_working_day() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid");
        let starts = WORKING_HOURS.starts_on(day, 120);
        assert_eq!(starts.first(), Some(&at(28, 8, 0)));
        assert_eq!(starts.last(), Some(&at(28, 16, 0)));
        let now = at(27, 12, 0);
        assert_eq!(
            WORKING_HOURS.check(&Slot::new(at(28, 9, 0), 120), now),
            Ok(())
        );
        assert_eq!(
            WORKING_HOURS.check(&Slot::new(at(27, 11, 0), 60), now),
            Err(SlotError::InPast)
        );
        assert_eq!(
            WORKING_HOURS.check(&Slot::new(at(28, 17, 0), 120), now),
            Err(SlotError::OutsideHours)
        );
        assert_eq!(
            WORKING_HOURS.check(&Slot::new(at(28, 7, 0), 60), now),
            Err(SlotError::OutsideHours)
        );
    }

    #[test]
    fn late_cancellation_costs_what_the_contract_says() {
        let terms = CancellationTerms {
            free_hours: 24,
            late_fee_bp: 2000,
        };
        let amount = Money::from_fen(12_345);
        let slot = at(28, 9, 0);
        assert_eq!(
            terms.fee(amount, slot, at(27, 9, 0), OrderActor::Resident),
            Money::ZERO
        );
        assert_eq!(
            terms.fee(amount, slot, at(27, 9, 1), OrderActor::Resident),
            Money::from_fen(2469)
        );
        assert_eq!(
            terms.fee(amount, slot, at(28, 8, 0), OrderActor::Manager),
            Money::ZERO
        );
    }

    #[test]
    fn overdue_means_unanswered_or_unfinished_in_time() {
        let due = at(27, 12, 0);
        let end = at(28, 11, 0);
        assert!(!is_overdue(OrderState::Requested, due, end, at(27, 11, 0)));
        assert!(is_overdue(OrderState::Requested, due, end, at(27, 13, 0)));
        assert!(!is_overdue(OrderState::Scheduled, due, end, at(27, 13, 0)));
        assert!(is_overdue(OrderState::InProgress, due, end, at(28, 12, 0)));
        assert!(!is_overdue(OrderState::Done, due, end, at(29, 12, 0)));
    }

    fn step() -> impl Strategy<Value = OrderStep> {
        proptest::sample::select(OrderStep::ALL.to_vec())
    }

    fn actor() -> impl Strategy<Value = OrderActor> {
        proptest::sample::select(ACTORS.to_vec())
    }

    proptest! {
        /// Any sequence of attempts: refused steps change nothing, accepted
        /// ones are taken by an allowed actor, final states accept nothing, the
        /// order is only confirmed or disputed after work was done, and only
        /// cancelled before work began.
        #[test]
        fn random_walks_keep_the_rules(walk in proptest::collection::vec((step(), actor(), any::<bool>()), 0..40)) {
            let mut state = OrderState::Requested;
            let mut was_done = false;
            let mut began = false;
            for (step, actor, with_comment) in walk {
                let comment = if with_comment { "因为" } else { "" };
                if let Ok(next) = state.after(step, actor, comment) {
                    prop_assert!(!state.is_final());
                    prop_assert!(step.actors().contains(&actor));
                    prop_assert!(with_comment || !step.needs_comment());
                    if matches!(next, OrderState::Confirmed | OrderState::Disputed) {
                        prop_assert!(was_done);
                    }
                    if next == OrderState::Cancelled {
                        prop_assert!(!began);
                    }
                    began |= next == OrderState::InProgress;
                    was_done |= next == OrderState::Done;
                    state = next;
                }
            }
            if state.is_final() {
                for s in OrderStep::ALL {
                    for a in ACTORS {
                        prop_assert!(state.after(*s, a, "因为").is_err());
                    }
                }
            }
        }

        /// A fee is never more than the order, nothing before the cutoff,
        /// and nothing when the company cancels.
        #[test]
        fn cancellation_fees_are_bounded(fen in 0i64..10_000_000, bp in 0u32..20_000, free_hours in 0u32..72, minutes_before in -600i64..6000) {
            let terms = CancellationTerms { free_hours, late_fee_bp: bp };
            let slot = at(28, 9, 0);
            let now = slot - Duration::minutes(minutes_before);
            let amount = Money::from_fen(fen);
            let fee = terms.fee(amount, slot, now, OrderActor::Resident);
            prop_assert!(fee >= Money::ZERO && fee <= amount);
            if now <= terms.cutoff(slot) {
                prop_assert_eq!(fee, Money::ZERO);
            }
            prop_assert_eq!(terms.fee(amount, slot, now, OrderActor::Manager), Money::ZERO);
        }

        /// Plan occurrences fall on the chosen weekdays, once a day, in order.
        #[test]
        fn plan_occurrences_follow_the_weekdays(days in proptest::collection::vec(1u32..=7, 1..7), offset in 0i64..400, span in 0i64..60) {
            let weekdays = Weekdays::from_numbers(&days).expect("non-empty");
            let from = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid") + Duration::days(offset);
            let start = NaiveTime::from_hms_opt(9, 0, 0).expect("valid");
            let slots = plan_occurrences(weekdays, start, 90, from, span);
            let expected = (0..span).filter(|i| weekdays.contains((from + Duration::days(*i)).weekday())).count();
            prop_assert_eq!(slots.len(), expected);
            for pair in slots.windows(2) {
                prop_assert!(pair[0].start.date() < pair[1].start.date());
            }
            for s in &slots {
                prop_assert!(weekdays.contains(s.start.date().weekday()));
                prop_assert_eq!(s.minutes(), 90);
            }
            prop_assert_eq!(Weekdays::from_bits(weekdays.bits()), Some(weekdays));
        }

        /// Offered starts always pass the slot check the next day.
        #[test]
        fn offered_slots_are_bookable(minutes in 30u32..=600) {
            let day = NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid");
            for start in WORKING_HOURS.starts_on(day, minutes) {
                prop_assert_eq!(WORKING_HOURS.check(&Slot::new(start, minutes), at(27, 20, 0)), Ok(()));
            }
        }
    }
}

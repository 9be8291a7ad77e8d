//! Work orders: booking (by the resident or on their behalf), the life cycle
//! with its history, cancellation fees and charges, complaints, the staff
//! member's day and the estates' recurring cleaning plans. Callers have been
//! authorized for the order's household (or estate, or company) already;
//! who acts on an order comes from the role and, for staff, from being the
//! one the order is scheduled to.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use super::availability::DayAvailability;
use super::mail::{self, Notification};
use crate::db::{DbConn, orders as db, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{Caller, EstateId, HouseholdId, PersonId, Role, Scope};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::mail::MailContent;
use crate::domain::money::Money;
use crate::domain::orders::{
    BookableService, Booked, BookingChannel, BookingPage, CancellationTerms, CleaningPlanId,
    CleaningPlanView, CleaningPlans, CompanyComplaints, CompanyOrders, ComplaintId, ComplaintView,
    FreeSlot, HouseholdOrders, OrderActor, OrderAddress, OrderError, OrderEvent, OrderLine,
    OrderState, OrderStep, OrderView, PLAN_WEEKS_AHEAD, QuantityError, Rating, Slot, SlotError,
    StaffChoice, StaffDay, Stars, WORKING_HOURS, Weekdays, WorkOrderId, booking_size, is_overdue,
    order_amount, plan_fits_day, plan_occurrences, respond_by,
};
use crate::domain::org::CompanyId;
use crate::domain::pricing::{BillingUnit, PriceQuote, ServiceCategory, ServiceId};
use crate::domain::schedule::Job;
use crate::domain::time::{china_date, from_china, to_china};
use crate::error::AppError;
use crate::i18n::Key;

/// Longest note a resident may leave, and longest complaint or answer.
const MAX_TEXT: usize = 1000;

fn order_error(e: OrderError) -> AppError {
    match e {
        OrderError::NotFromThisState => AppError::Conflict(Key::OrderErrorState),
        OrderError::WrongActor => AppError::Forbidden,
        OrderError::CommentRequired => AppError::invalid("comment", Key::OrderErrorComment),
    }
}

fn slot_error(e: SlotError) -> AppError {
    AppError::invalid(
        "start",
        match e {
            SlotError::InPast => Key::OrderErrorSlotPast,
            SlotError::OutsideHours => Key::OrderErrorSlotHours,
            SlotError::TooFarAhead => Key::OrderErrorSlotTooFar,
        },
    )
}

fn state_of(row: &db::OrderRow) -> OrderState {
    OrderState::from_code(&row.state).unwrap_or(OrderState::Requested)
}

/// Free text as typed: trimmed, and refused when longer than the limit.
fn text_field(input: &str, field: &str, required: bool) -> Result<String, AppError> {
    let t = input.trim();
    if required && t.is_empty() {
        return Err(AppError::invalid(field, Key::OrderErrorTextRequired));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(field, Key::OrderErrorTextTooLong));
    }
    Ok(t.to_owned())
}

/// "2026-11-28T09:00" (a datetime-local field) or "2026-11-28 09:00".
fn parse_local(input: &str) -> Result<NaiveDateTime, AppError> {
    let t = input.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .ok_or(AppError::invalid("start", Key::OrderErrorSlotFormat))
}

// ----- targets for authorizing -----

/// Where an order sits: its household, or its estate for plan visits.
pub fn order_target(conn: &mut DbConn, id: WorkOrderId) -> Result<Target, AppError> {
    let row = db::order(conn, id.0)?;
    Ok(match row.household_id {
        Some(h) => Target::Household(HouseholdId(h)),
        None => Target::Estate(EstateId(row.estate_id)),
    })
}

pub fn complaint_target(conn: &mut DbConn, id: ComplaintId) -> Result<Target, AppError> {
    Ok(Target::Company(CompanyId(
        db::complaint(conn, id.0)?.company_id,
    )))
}

pub fn plan_target(conn: &mut DbConn, id: CleaningPlanId) -> Result<Target, AppError> {
    Ok(Target::Company(CompanyId(db::plan(conn, id.0)?.company_id)))
}

/// Who the caller is to this order, if anyone who acts on it.
fn actor_of(caller: &Caller, row: &db::OrderRow) -> Option<OrderActor> {
    let grant = caller.grant.as_ref()?;
    match (grant.role, grant.scope) {
        (Role::Resident, Scope::Household(h)) if row.household_id == Some(h.0) => {
            Some(OrderActor::Resident)
        }
        (Role::Staff, Scope::Company(c))
            if c.0 == row.company_id && row.staff_id == Some(caller.person.0) =>
        {
            Some(OrderActor::AssignedStaff)
        }
        (Role::Manager, Scope::Company(c)) if c.0 == row.company_id => Some(OrderActor::Manager),
        _ => None,
    }
}

/// Staff see only the jobs they are sent to.
fn check_may_view(caller: &Caller, row: &db::OrderRow) -> Result<(), AppError> {
    if caller.role() == Some(Role::Staff) && row.staff_id != Some(caller.person.0) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

// ----- reading -----

/// Order rows made readable, with a fixed number of queries for any number.
fn lines_of(
    conn: &mut DbConn,
    rows: &[db::OrderRow],
    now: NaiveDateTime,
) -> Result<Vec<OrderLine>, AppError> {
    let ids = |f: &dyn Fn(&db::OrderRow) -> Option<i64>| -> Vec<i64> {
        rows.iter()
            .filter_map(f)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let services: BTreeMap<i64, db::ServiceFacts> =
        db::service_facts(conn, &ids(&|r| Some(r.service_id)))?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
    let names = db::address_names(
        conn,
        &ids(&|r| Some(r.estate_id)),
        &ids(&|r| r.building_id),
        &ids(&|r| r.household_id),
    )?;
    let staff = db::person_names(conn, &ids(&|r| r.staff_id))?;
    Ok(rows
        .iter()
        .map(|r| {
            let state = state_of(r);
            OrderLine {
                id: WorkOrderId(r.id),
                state,
                service: services
                    .get(&r.service_id)
                    .map(|s| LocalizedName::new(s.name.clone(), s.name_en.clone()))
                    .unwrap_or_default(),
                address: address(&names, r.estate_id, r.building_id, r.household_id),
                slot: Slot {
                    start: r.slot_start,
                    end: r.slot_end,
                },
                staff: r.staff_id.and_then(|s| staff.get(&s).cloned()),
                amount: Money::from_fen(r.amount_fen),
                channel: BookingChannel::from_code(&r.channel).unwrap_or(BookingChannel::App),
                overdue: is_overdue(state, r.respond_by, from_china(r.slot_end), now),
                notes: r.notes.clone(),
            }
        })
        .collect())
}

pub(crate) fn address(
    names: &db::AddressNames,
    estate: i64,
    building: Option<i64>,
    household: Option<i64>,
) -> OrderAddress {
    OrderAddress {
        estate: names
            .estates
            .get(&estate)
            .map(|(zh, en)| LocalizedName::new(zh.clone(), en.clone()))
            .unwrap_or_default(),
        building: building.and_then(|b| names.buildings.get(&b).cloned()),
        room: household.and_then(|h| {
            names
                .households
                .get(&h)
                .map(|(unit, room)| format!("{unit} {room}").trim().to_owned())
        }),
    }
}

fn household_address(conn: &mut DbConn, household: HouseholdId) -> Result<OrderAddress, AppError> {
    let (building, estate, _) = db::household_home(conn, household.0)?;
    let names = db::address_names(conn, &[estate], &[building], &[household.0])?;
    Ok(address(&names, estate, Some(building), Some(household.0)))
}

fn cancellation_terms(conn: &mut DbConn, estate: i64) -> Result<CancellationTerms, AppError> {
    Ok(db::cancellation_terms(conn, estate)?
        .map(|(hours, bp)| CancellationTerms {
            free_hours: u32::try_from(hours).unwrap_or(0),
            late_fee_bp: u32::try_from(bp).unwrap_or(0),
        })
        .unwrap_or(CancellationTerms::DEFAULT))
}

/// Staff see the complaints about the jobs they are sent to, as with the
/// orders themselves; not the estate's, not those about colleagues' jobs.
fn visible_complaints(
    conn: &mut DbConn,
    caller: &Caller,
    mut rows: Vec<db::ComplaintRow>,
) -> Result<Vec<db::ComplaintRow>, AppError> {
    if caller.role() == Some(Role::Staff) {
        let orders: Vec<i64> = rows.iter().filter_map(|c| c.order_id).collect();
        let own: BTreeSet<i64> = db::orders_of_staff_among(conn, caller.person.0, &orders)?
            .into_iter()
            .collect();
        rows.retain(|c| c.order_id.is_some_and(|o| own.contains(&o)));
    }
    Ok(rows)
}

fn complaint_views(
    conn: &mut DbConn,
    rows: Vec<db::ComplaintRow>,
) -> Result<Vec<ComplaintView>, AppError> {
    let mut people: BTreeSet<i64> = rows.iter().map(|c| c.filed_by).collect();
    people.extend(rows.iter().filter_map(|c| c.answered_by));
    let people: Vec<i64> = people.into_iter().collect();
    let names = db::person_names(conn, &people)?;
    let estates: Vec<i64> = rows.iter().map(|c| c.estate_id).collect();
    let households: Vec<i64> = rows.iter().filter_map(|c| c.household_id).collect();
    let places = db::address_names(conn, &estates, &[], &households)?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let where_ = address(&places, c.estate_id, None, c.household_id);
            ComplaintView {
                id: ComplaintId(c.id),
                estate: where_.estate,
                order: c.order_id.map(WorkOrderId),
                household: where_.room,
                filed_by: names.get(&c.filed_by).cloned().unwrap_or_default(),
                filed_at: c.filed_at,
                body: c.body,
                answer: c.answer,
                answered_by: c.answered_by.and_then(|p| names.get(&p).cloned()),
                answered_at: c.answered_at,
            }
        })
        .collect())
}

pub fn order(
    conn: &mut DbConn,
    caller: &Caller,
    id: WorkOrderId,
    now: NaiveDateTime,
) -> Result<OrderView, AppError> {
    let row = db::order(conn, id.0)?;
    check_may_view(caller, &row)?;
    let state = state_of(&row);
    let line = lines_of(conn, std::slice::from_ref(&row), now)?
        .pop()
        .ok_or(AppError::Internal)?;
    let unit = db::service_facts(conn, &[row.service_id])?
        .first()
        .and_then(|s| BillingUnit::from_code(&s.unit))
        .unwrap_or(BillingUnit::PerVisit);
    let events = db::events_of(conn, id.0)?
        .into_iter()
        .map(|(at, by, step, to, comment)| OrderEvent {
            at,
            by: by.unwrap_or_default(),
            step: step.as_deref().and_then(OrderStep::from_code),
            to: OrderState::from_code(&to).unwrap_or(OrderState::Requested),
            comment,
        })
        .collect();
    let about_this: Vec<db::ComplaintRow> = match row.household_id {
        Some(h) => db::complaints_of_household(conn, h)?
            .into_iter()
            .filter(|c| c.order_id == Some(id.0))
            .collect(),
        None => Vec::new(),
    };
    let complaints = complaint_views(conn, about_this)?;
    let actor = actor_of(caller, &row);
    let terms = cancellation_terms(conn, row.estate_id)?;
    let amount = Money::from_fen(row.amount_fen);
    let steps: Vec<OrderStep> = actor
        .map(|a| state.steps_for(a))
        .unwrap_or_default()
        .into_iter()
        // Common-area visits have nobody to confirm or dispute them.
        .filter(|s| {
            row.household_id.is_some() || !matches!(s, OrderStep::Confirm | OrderStep::Dispute)
        })
        .collect();
    let staff_choices = if steps.contains(&OrderStep::Schedule) {
        db::company_staff(conn, row.company_id)?
            .into_iter()
            .map(|(id, name)| StaffChoice {
                id: PersonId(id),
                name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(OrderView {
        line,
        household: row.household_id.map(HouseholdId),
        estate: EstateId(row.estate_id),
        company: CompanyId(row.company_id),
        unit,
        quantity: u32::try_from(row.quantity).unwrap_or(1),
        quote: PriceQuote {
            ours: Money::from_fen(row.unit_price_fen),
            market: Money::from_fen(row.market_fen),
            reason: String::new(),
        },
        respond_by: row.respond_by,
        materials: row.materials.clone(),
        rating: row.stars.and_then(Stars::new).map(|stars| Rating {
            stars,
            comment: row.rating_comment.clone(),
        }),
        cancel_fee: row.cancel_fee_fen.map(Money::from_fen),
        events,
        complaints,
        cancel_fee_now: actor.map_or(Money::ZERO, |a| {
            terms.fee(amount, row.slot_start, to_china(now), a)
        }),
        free_cancel_until: terms.cutoff(row.slot_start),
        can_complain: actor == Some(OrderActor::Resident),
        steps,
        staff_choices,
    })
}

pub fn household_orders(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    now: NaiveDateTime,
) -> Result<HouseholdOrders, AppError> {
    let mut rows = db::orders_of_household(conn, household.0)?;
    // Staff see only the jobs they are sent to, as on the order page.
    if caller.role() == Some(Role::Staff) {
        rows.retain(|r| r.staff_id == Some(caller.person.0));
    }
    let lines = lines_of(conn, &rows, now)?;
    let local = to_china(now);
    let (mut upcoming, past): (Vec<OrderLine>, Vec<OrderLine>) = lines
        .into_iter()
        .partition(|l| !l.state.is_final() && (l.slot.end > local || l.state == OrderState::Done));
    upcoming.sort_by_key(|l| l.slot.start);
    let rows = db::complaints_of_household(conn, household.0)?;
    let rows = visible_complaints(conn, caller, rows)?;
    let complaints = complaint_views(conn, rows)?;
    Ok(HouseholdOrders {
        household,
        address: household_address(conn, household)?,
        upcoming,
        past,
        complaints,
        can_book: matches!(
            caller.role(),
            Some(Role::Resident | Role::Staff | Role::Manager)
        ),
        can_complain: caller.role() == Some(Role::Resident),
    })
}

// ----- booking -----

/// The housekeeping services of the household's company with the price in
/// force today.
fn bookable(
    conn: &mut DbConn,
    company: i64,
    day: NaiveDate,
) -> Result<Vec<BookableService>, AppError> {
    Ok(super::pricing::load_services(conn, CompanyId(company))?
        .into_iter()
        .filter(|s| s.category == ServiceCategory::Housekeeping)
        .filter(|s| s.unit != BillingUnit::PerSquareMetreMonth)
        .filter_map(|s| {
            let quote = s.price_on(day)?.quote.clone();
            Some(BookableService {
                id: s.id,
                name: s.name,
                unit: s.unit,
                quote,
                visit_minutes: s.visit_minutes,
                response_hours: s.response_hours,
            })
        })
        .collect())
}

fn company_of_household(
    conn: &mut DbConn,
    household: HouseholdId,
) -> Result<(i64, i64, i64), AppError> {
    let (building, estate, company) = db::household_home(conn, household.0)?;
    let company = company.ok_or(AppError::Conflict(Key::EstateErrorNoCompany))?;
    Ok((building, estate, company))
}

pub fn booking_page(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    now: NaiveDateTime,
) -> Result<BookingPage, AppError> {
    let (_, estate, company) = company_of_household(conn, household)?;
    let today = china_date(now);
    Ok(BookingPage {
        household,
        address: household_address(conn, household)?,
        services: bookable(conn, company, today)?,
        today,
        last_day: today + Duration::days(crate::domain::orders::BOOKING_DAYS_AHEAD),
        form_token: super::passwords::new_form_token(),
        on_behalf: caller.role() != Some(Role::Resident),
        cancellation: cancellation_terms(conn, estate)?,
    })
}

/// The service and the booking's length, checked.
fn service_for_booking(
    conn: &mut DbConn,
    company: i64,
    service: ServiceId,
    hours: u32,
    day: NaiveDate,
) -> Result<(BookableService, u32, u32), AppError> {
    let s = bookable(conn, company, day)?
        .into_iter()
        .find(|s| s.id == service)
        .ok_or(AppError::invalid("service", Key::OrderErrorService))?;
    let (quantity, minutes) = booking_size(s.unit, hours, s.visit_minutes).map_err(|e| {
        AppError::invalid(
            "hours",
            match e {
                QuantityError::Hours => Key::OrderErrorHours,
                QuantityError::NotBookable => Key::OrderErrorService,
            },
        )
    })?;
    Ok((s, quantity, minutes))
}

/// The slots of `day` in which someone trained for housekeeping works, is
/// not on leave and is free (travel time included), beyond the orders
/// already waiting then.
pub fn free_slots(
    conn: &mut DbConn,
    household: HouseholdId,
    service: ServiceId,
    day: &str,
    hours: u32,
    now: NaiveDateTime,
) -> Result<Vec<FreeSlot>, AppError> {
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("day", Key::EstateErrorDate))?;
    let (_, estate, company) = company_of_household(conn, household)?;
    let (_, _, minutes) = service_for_booking(conn, company, service, hours, china_date(now))?;
    let room = DayAvailability::load(conn, company, day)?;
    let local = to_china(now);
    Ok(WORKING_HOURS
        .starts_on(day, minutes)
        .into_iter()
        .map(|start| Slot::new(start, minutes))
        .filter(|slot| WORKING_HOURS.check(slot, local).is_ok())
        .filter(|slot| room.has_room(ServiceCategory::Housekeeping, EstateId(estate), slot))
        .map(|s| FreeSlot {
            start: s.start,
            end: s.end,
        })
        .collect())
}

/// What the booking form sends.
pub struct BookingForm {
    pub service: ServiceId,
    pub start: String,
    pub hours: u32,
    pub notes: String,
    pub form_token: String,
}

/// Books housekeeping for a household: by its resident in the app, or by the
/// company's manager or staff on the resident's behalf. The same form sent
/// twice books once.
pub fn book(
    conn: &mut DbConn,
    state: &super::AppState,
    caller: &Caller,
    household: HouseholdId,
    form: &BookingForm,
    now: NaiveDateTime,
) -> Result<Booked, AppError> {
    let token = form.form_token.trim();
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::invalid("form_token", Key::OrderErrorForm));
    }
    let notes = text_field(&form.notes, "notes", false)?;
    let start = parse_local(&form.start)?;
    let already = |conn: &mut DbConn| -> Result<Option<Booked>, AppError> {
        Ok(
            db::order_of_token(conn, household.0, token)?.map(|id| Booked {
                order: WorkOrderId(id),
                already: true,
            }),
        )
    };
    let booked = write_tx(conn, |conn| {
        if let Some(done) = already(conn)? {
            return Ok(done);
        }
        let (building, estate, company) = company_of_household(conn, household)?;
        let local = to_china(now);
        let (service, quantity, minutes) =
            // The price in force on the day of the work.
            service_for_booking(conn, company, form.service, form.hours, start.date())?;
        let slot = Slot::new(start, minutes);
        WORKING_HOURS.check(&slot, local).map_err(slot_error)?;
        let quote = service.quote.clone();
        let room = DayAvailability::load(conn, company, slot.start.date())?;
        if !room.has_room(ServiceCategory::Housekeeping, EstateId(estate), &slot) {
            return Err(AppError::Conflict(Key::OrderErrorSlotTaken));
        }
        let channel = if caller.role() == Some(Role::Resident) {
            BookingChannel::App
        } else {
            BookingChannel::Phone
        };
        let amount = order_amount(quote.ours, quantity);
        let id = db::insert_order(
            conn,
            &db::NewOrder {
                company_id: company,
                estate_id: estate,
                building_id: Some(building),
                household_id: Some(household.0),
                service_id: service.id.0,
                plan_id: None,
                channel: channel.code(),
                slot_start: slot.start,
                slot_end: slot.end,
                quantity: i64::from(quantity),
                unit_price_fen: quote.ours.fen(),
                market_fen: quote.market.fen(),
                amount_fen: amount.fen(),
                chargeable: true,
                notes: &notes,
                respond_by: respond_by(now, service.response_hours),
                booked_by: Some(caller.person.0),
                form_token: Some(token),
                at: now,
            },
        )
        .map_err(|e| {
            // The same form sent twice at once: the other request booked it.
            if e.is_unique_violation() {
                AppError::Conflict(Key::OrderErrorForm)
            } else {
                e.into()
            }
        })?;
        db::insert_event(
            conn,
            id,
            now,
            Some(caller.person.0),
            None,
            OrderState::Requested.code(),
            if channel == BookingChannel::Phone {
                "代客下单"
            } else {
                ""
            },
        )?;
        let content = MailContent::BookingConfirmed {
            service: service.name.zh.clone(),
            date: slot.start.date(),
            time: slot.start.format("%H:%M").to_string(),
            price: amount,
            market: order_amount(quote.market, quantity),
        };
        for person in residents_to_tell(conn, caller, household)? {
            mail::enqueue(
                conn,
                &state.site_url,
                &Notification {
                    person,
                    company: Some(CompanyId(company)),
                    content: content.clone(),
                },
                now,
            )?;
        }
        Ok(Booked {
            order: WorkOrderId(id),
            already: false,
        })
    });
    match booked {
        Err(AppError::Conflict(Key::OrderErrorForm)) => {
            already(conn)?.ok_or(AppError::Conflict(Key::OrderErrorForm))
        }
        other => other,
    }
}

/// Who hears about a household's order: the resident who booked it, or,
/// when it was booked for them, the household's residents with accounts.
fn residents_to_tell(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
) -> Result<Vec<PersonId>, AppError> {
    if caller.role() == Some(Role::Resident) {
        return Ok(vec![caller.person]);
    }
    Ok(db::household_people(conn, household.0)?
        .into_iter()
        .map(PersonId)
        .collect())
}

// ----- the life cycle -----

/// Records a step already checked by the state machine and moves the row,
/// refusing if someone else moved it first.
fn move_order(
    conn: &mut DbConn,
    row: &db::OrderRow,
    caller: &Caller,
    step: OrderStep,
    to: OrderState,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if db::set_state(conn, row.id, &row.state, to.code())? == 0 {
        return Err(AppError::Conflict(Key::OrderErrorState));
    }
    db::insert_event(
        conn,
        row.id,
        now,
        Some(caller.person.0),
        Some(step.code()),
        to.code(),
        comment,
    )?;
    Ok(())
}

/// Checks the step for this caller and returns the order and its next state.
fn checked(
    conn: &mut DbConn,
    caller: &Caller,
    id: WorkOrderId,
    step: OrderStep,
    comment: &str,
) -> Result<(db::OrderRow, OrderState, OrderActor), AppError> {
    let row = db::order(conn, id.0)?;
    let actor = actor_of(caller, &row).ok_or(AppError::Forbidden)?;
    let next = state_of(&row)
        .after(step, actor, comment)
        .map_err(order_error)?;
    if row.household_id.is_none() && matches!(step, OrderStep::Confirm | OrderStep::Dispute) {
        return Err(AppError::Conflict(Key::OrderErrorState));
    }
    Ok((row, next, actor))
}

/// Start, cancel or dispute: the steps that carry only a comment.
pub fn take_step(
    conn: &mut DbConn,
    caller: &Caller,
    id: WorkOrderId,
    step: OrderStep,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if !matches!(
        step,
        OrderStep::Start | OrderStep::Cancel | OrderStep::Dispute
    ) {
        return Err(AppError::invalid("step", Key::OrderErrorState));
    }
    let comment = text_field(comment, "comment", false)?;
    write_tx(conn, |conn| {
        let (row, next, actor) = checked(conn, caller, id, step, &comment)?;
        move_order(conn, &row, caller, step, next, &comment, now)?;
        if step == OrderStep::Cancel {
            let terms = cancellation_terms(conn, row.estate_id)?;
            let fee = terms.fee(
                Money::from_fen(row.amount_fen),
                row.slot_start,
                to_china(now),
                actor,
            );
            db::set_cancel_fee(conn, row.id, fee.fen())?;
            if let (Some(household), true) = (row.household_id, fee > Money::ZERO) {
                db::insert_charge(conn, &row, household, "cancellation", fee.fen(), now)?;
            }
        }
        Ok(())
    })
}

/// Sends a staff member at a slot (the booked one unless changed). The staff
/// member must work for the company and be free for the whole slot; checked
/// under a lock on the staff member, so two managers cannot double-book them.
pub fn schedule(
    conn: &mut DbConn,
    state: &super::AppState,
    caller: &Caller,
    id: WorkOrderId,
    staff: PersonId,
    start: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let start = if start.trim().is_empty() {
        None
    } else {
        Some(parse_local(start)?)
    };
    write_tx(conn, |conn| {
        let (row, next, _) = checked(conn, caller, id, OrderStep::Schedule, "")?;
        let name = db::company_staff(conn, row.company_id)?
            .into_iter()
            .find(|(p, _)| *p == staff.0)
            .map(|(_, name)| name)
            .ok_or(AppError::invalid("staff", Key::OrderErrorStaff))?;
        let minutes = u32::try_from((row.slot_end - row.slot_start).num_minutes()).unwrap_or(60);
        let slot = Slot::new(start.unwrap_or(row.slot_start), minutes);
        if start.is_some() && slot.start != row.slot_start {
            WORKING_HOURS
                .check(&slot, to_china(now))
                .map_err(slot_error)?;
        }
        // Every assignment of this person waits here for the one before it
        // (SQLite's write transactions are serialised already).
        db::lock_person(conn, staff.0)?;
        let category = db::service_facts(conn, &[row.service_id])?
            .pop()
            .and_then(|s| ServiceCategory::from_code(&s.category))
            .ok_or(AppError::invalid("service", Key::OrderErrorService))?;
        let job = Job {
            order: id,
            estate: EstateId(row.estate_id),
            slot,
        };
        super::availability::check_staff(conn, row.company_id, staff.0, &job, category)?;
        if db::schedule(conn, row.id, &row.state, staff.0, slot.start, slot.end)? == 0 {
            return Err(AppError::Conflict(Key::OrderErrorState));
        }
        db::insert_event(
            conn,
            row.id,
            now,
            Some(caller.person.0),
            Some(OrderStep::Schedule.code()),
            next.code(),
            &format!("{name} {}", slot.start.format("%Y-%m-%d %H:%M")),
        )?;
        if let Some(household) = row.household_id {
            let service = db::service_facts(conn, &[row.service_id])?
                .pop()
                .map(|s| s.name)
                .unwrap_or_default();
            for person in db::household_people(conn, household)? {
                mail::enqueue(
                    conn,
                    &state.site_url,
                    &Notification {
                        person: PersonId(person),
                        company: Some(CompanyId(row.company_id)),
                        content: MailContent::BookingScheduled {
                            service: service.clone(),
                            date: slot.start.date(),
                            time: slot.start.format("%H:%M").to_string(),
                            staff: name.clone(),
                        },
                    },
                    now,
                )?;
            }
        }
        Ok(())
    })
}

/// The work is finished: with a note of materials used. A household's
/// chargeable order becomes a charge for the billing run.
pub fn finish(
    conn: &mut DbConn,
    caller: &Caller,
    id: WorkOrderId,
    materials: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let materials = text_field(materials, "materials", false)?;
    write_tx(conn, |conn| {
        let (row, next, _) = checked(conn, caller, id, OrderStep::Finish, "")?;
        move_order(conn, &row, caller, OrderStep::Finish, next, &materials, now)?;
        db::set_materials(conn, row.id, &materials)?;
        if let (Some(household), true) = (row.household_id, row.chargeable) {
            db::insert_charge(conn, &row, household, "service", row.amount_fen, now)?;
        }
        Ok(())
    })
}

/// The resident confirms the work and rates it.
pub fn confirm(
    conn: &mut DbConn,
    caller: &Caller,
    id: WorkOrderId,
    stars: i64,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let stars = Stars::new(stars).ok_or(AppError::invalid("stars", Key::OrderErrorStars))?;
    let comment = text_field(comment, "comment", false)?;
    write_tx(conn, |conn| {
        let (row, next, _) = checked(conn, caller, id, OrderStep::Confirm, "")?;
        move_order(conn, &row, caller, OrderStep::Confirm, next, &comment, now)?;
        db::set_rating(conn, row.id, i64::from(stars.get()), &comment)?;
        Ok(())
    })
}

/// The manager answers a dispute, and may lower the charge (to nothing).
pub fn resolve(
    conn: &mut DbConn,
    caller: &Caller,
    id: WorkOrderId,
    comment: &str,
    amount: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let comment = text_field(comment, "comment", true)?;
    let amount = if amount.trim().is_empty() {
        None
    } else {
        Some(Money::parse(amount).map_err(|_| AppError::invalid("amount", Key::OrderErrorAmount))?)
    };
    write_tx(conn, |conn| {
        let (row, next, _) = checked(conn, caller, id, OrderStep::Resolve, &comment)?;
        if let Some(a) = amount
            && (a < Money::ZERO || a.fen() > row.amount_fen)
        {
            return Err(AppError::invalid("amount", Key::OrderErrorAmount));
        }
        move_order(conn, &row, caller, OrderStep::Resolve, next, &comment, now)?;
        if let Some(a) = amount {
            db::set_amount(conn, row.id, a.fen())?;
            if row.chargeable {
                // A bill once issued is never changed: the difference goes on
                // the household's next bill as a correction instead.
                // Under the company's lock, so a bill run cannot take the
                // old amount meanwhile (runs hold it per chunk).
                crate::db::billing::lock_company(conn, row.company_id)?;
                let billed = crate::db::billing::charge_bill(conn, row.id, "service")?;
                match (billed, row.household_id) {
                    (Some(_), Some(household)) if a.fen() < row.amount_fen => {
                        crate::db::billing::insert_adjustment(
                            conn,
                            row.company_id,
                            household,
                            a.fen() - row.amount_fen,
                            &format!("#{} {comment}", row.id),
                            Some(caller.person.0),
                            now,
                        )?;
                    }
                    (Some(_), _) => {}
                    (None, _) => db::set_charge(conn, row.id, "service", a.fen())?,
                }
            }
        }
        Ok(())
    })
}

// ----- complaints -----

/// A resident complains about one of the household's orders, or about the
/// estate when `order` is empty.
pub fn file_complaint(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    order: Option<WorkOrderId>,
    body: &str,
    now: NaiveDateTime,
) -> Result<ComplaintId, AppError> {
    let body = text_field(body, "body", true)?;
    write_tx(conn, |conn| {
        let (_, estate, company) = company_of_household(conn, household)?;
        if let Some(o) = order {
            let row = db::order(conn, o.0)?;
            if row.household_id != Some(household.0) {
                return Err(AppError::NotFound);
            }
        }
        let id = db::insert_complaint(
            conn,
            &db::NewComplaint {
                company_id: company,
                estate_id: estate,
                household_id: Some(household.0),
                order_id: order.map(|o| o.0),
                filed_by: caller.person.0,
                body: &body,
                at: now,
            },
        )?;
        Ok(ComplaintId(id))
    })
}

pub fn answer_complaint(
    conn: &mut DbConn,
    caller: &Caller,
    id: ComplaintId,
    answer: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let answer = text_field(answer, "answer", true)?;
    write_tx(conn, |conn| {
        let row = db::complaint(conn, id.0)?;
        if db::answer_complaint(conn, id.0, &answer, caller.person.0, now)? == 0 {
            return Err(AppError::Conflict(Key::ComplaintErrorAnswered));
        }
        let place = place_of(
            conn,
            Target::Company(CompanyId(row.company_id)),
            Some(caller),
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Complaint,
                entity_id: id.0,
                action: AuditAction::Update,
                before: None,
                after: Some(json!({"answer": answer})),
                place: &place,
            },
            now,
        )
    })
}

pub fn company_complaints(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
) -> Result<CompanyComplaints, AppError> {
    let rows = db::complaints_of_company(conn, company.0)?;
    let rows = visible_complaints(conn, caller, rows)?;
    Ok(CompanyComplaints {
        company,
        complaints: complaint_views(conn, rows)?,
        can_answer: caller.role() == Some(Role::Manager),
    })
}

// ----- the company's and the staff member's views -----

/// The company's orders from a week ago to four weeks ahead, plus everything
/// still waiting for an answer.
pub fn company_orders(
    conn: &mut DbConn,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<CompanyOrders, AppError> {
    let today = china_date(now);
    let rows = db::orders_of_company(
        conn,
        company.0,
        (today - Duration::days(7)).and_time(NaiveTime::MIN),
        (today + Duration::weeks(PLAN_WEEKS_AHEAD)).and_time(NaiveTime::MIN),
    )?;
    let orders = lines_of(conn, &rows, now)?;
    let (zh, en) = crate::db::accounts::company_name(conn, company.0)?;
    Ok(CompanyOrders {
        company,
        company_name: LocalizedName::new(zh, en),
        unassigned: orders
            .iter()
            .filter(|o| o.state == OrderState::Requested)
            .count(),
        overdue: orders.iter().filter(|o| o.overdue).count(),
        open_complaints: usize::try_from(db::open_complaints(conn, company.0)?).unwrap_or(0),
        orders,
    })
}

/// The caller's jobs on `day` (today when empty), in order.
pub fn staff_day(
    conn: &mut DbConn,
    caller: &Caller,
    day: &str,
    now: NaiveDateTime,
) -> Result<StaffDay, AppError> {
    let day = if day.trim().is_empty() {
        china_date(now)
    } else {
        NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("day", Key::EstateErrorDate))?
    };
    let company = match caller.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Company(c)) => c.0,
        _ => return Err(AppError::Forbidden),
    };
    let rows: Vec<db::OrderRow> = db::orders_of_staff(
        conn,
        caller.person.0,
        day.and_time(NaiveTime::MIN),
        (day + Duration::days(1)).and_time(NaiveTime::MIN),
    )?
    .into_iter()
    .filter(|r| r.company_id == company)
    .collect();
    Ok(StaffDay {
        day,
        name: caller.name.clone(),
        jobs: lines_of(conn, &rows, now)?,
    })
}

// ----- recurring cleaning plans -----

pub fn cleaning_plans(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<CleaningPlans, AppError> {
    let rows = db::plans_of_company(conn, company.0)?;
    let upcoming = db::upcoming_per_plan(conn, company.0, to_china(now))?;
    let estates = db::estates_of_company(conn, company.0)?;
    let estate_ids: Vec<i64> = estates.iter().map(|e| e.0).collect();
    let buildings = db::buildings_of_estates(conn, &estate_ids)?;
    // Every service names the existing plans; cleaning ones (whatever their
    // unit: plan visits are not priced) are offered for new plans.
    let offered = super::pricing::load_services(conn, company)?;
    let services: Vec<(ServiceId, LocalizedName)> = offered
        .iter()
        .filter(|s| s.category == ServiceCategory::Cleaning)
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let all_services: BTreeMap<i64, LocalizedName> =
        offered.into_iter().map(|s| (s.id.0, s.name)).collect();
    let building_names: BTreeMap<i64, String> = buildings
        .iter()
        .map(|(id, _, name)| (*id, name.clone()))
        .collect();
    let estate_names: BTreeMap<i64, LocalizedName> = estates
        .iter()
        .map(|(id, zh, en)| (*id, LocalizedName::new(zh.clone(), en.clone())))
        .collect();
    Ok(CleaningPlans {
        company,
        plans: rows
            .into_iter()
            .map(|p| CleaningPlanView {
                id: CleaningPlanId(p.id),
                estate: EstateId(p.estate_id),
                estate_name: estate_names.get(&p.estate_id).cloned().unwrap_or_default(),
                building: p.building_id.and_then(|b| building_names.get(&b).cloned()),
                service: all_services.get(&p.service_id).cloned().unwrap_or_default(),
                weekdays: Weekdays::from_bits(p.weekdays).unwrap_or(Weekdays::EVERY_DAY),
                start: minute_of_day(p.start_minute),
                minutes: u32::try_from(p.minutes).unwrap_or(60),
                paused: p.paused_at.is_some(),
                upcoming: upcoming.get(&p.id).copied().unwrap_or(0),
            })
            .collect(),
        estates: estates
            .into_iter()
            .map(|(id, zh, en)| {
                let bs = buildings
                    .iter()
                    .filter(|(_, e, _)| *e == id)
                    .map(|(b, _, name)| (crate::domain::access::BuildingId(*b), name.clone()))
                    .collect();
                (EstateId(id), LocalizedName::new(zh, en), bs)
            })
            .collect(),
        services,
        can_manage: caller.role() == Some(Role::Manager),
    })
}

fn minute_of_day(m: i64) -> NaiveTime {
    let m = u32::try_from(m.clamp(0, 1439)).unwrap_or(0);
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN)
}

/// What the plan form sends.
pub struct PlanForm {
    pub estate: EstateId,
    /// Empty for the estate's common areas.
    pub building: Option<i64>,
    pub service: ServiceId,
    pub weekdays: Vec<u32>,
    /// "09:00".
    pub start: String,
    pub minutes: u32,
}

/// A new plan, with its visits for the next weeks generated at once.
pub fn add_plan(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    form: &PlanForm,
    now: NaiveDateTime,
) -> Result<CleaningPlanId, AppError> {
    let weekdays = Weekdays::from_numbers(&form.weekdays)
        .ok_or(AppError::invalid("weekdays", Key::PlanErrorWeekdays))?;
    let start = NaiveTime::parse_from_str(form.start.trim(), "%H:%M")
        .map_err(|_| AppError::invalid("start", Key::PlanErrorTime))?;
    if form.minutes == 0 || form.minutes > 600 {
        return Err(AppError::invalid("minutes", Key::PlanErrorMinutes));
    }
    if !plan_fits_day(start, form.minutes) {
        return Err(AppError::invalid("start", Key::PlanErrorTime));
    }
    write_tx(conn, |conn| {
        let estate = crate::db::estates::estate(conn, form.estate.0)?;
        if estate.company_id != Some(company.0) {
            return Err(AppError::invalid("estate", Key::PlanErrorEstate));
        }
        if let Some(b) = form.building {
            let buildings = db::buildings_of_estates(conn, &[form.estate.0])?;
            if !buildings.iter().any(|(id, _, _)| *id == b) {
                return Err(AppError::invalid("building", Key::PlanErrorEstate));
            }
        }
        let facts = db::service_facts(conn, &[form.service.0])?;
        let ok = facts.first().is_some_and(|s| {
            s.company_id == company.0 && s.retired_at.is_none() && s.category == "cleaning"
        });
        if !ok {
            return Err(AppError::invalid("service", Key::OrderErrorService));
        }
        let id = db::insert_plan(
            conn,
            &db::NewPlan {
                company_id: company.0,
                estate_id: form.estate.0,
                building_id: form.building,
                service_id: form.service.0,
                weekdays: weekdays.bits(),
                start_minute: i64::from(start.hour() * 60 + start.minute()),
                minutes: i64::from(form.minutes),
                created_by: Some(caller.person.0),
                at: now,
            },
        )?;
        let place = place_of(conn, Target::Company(company), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::CleaningPlan,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "estate": form.estate.0,
                    "building": form.building,
                    "service": form.service.0,
                    "weekdays": weekdays.numbers(),
                    "start": form.start.trim(),
                    "minutes": form.minutes,
                })),
                place: &place,
            },
            now,
        )?;
        let plan = db::plan(conn, id)?;
        generate_plan(conn, &plan, now)?;
        Ok(CleaningPlanId(id))
    })
}

/// Pausing stops future visits (those not yet started are cancelled);
/// resuming generates them again.
pub fn set_plan_paused(
    conn: &mut DbConn,
    caller: &Caller,
    id: CleaningPlanId,
    paused: bool,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let plan = db::plan(conn, id.0)?;
        if plan.paused_at.is_some() == paused {
            return Ok(());
        }
        db::set_paused(conn, id.0, paused.then_some(now))?;
        if paused {
            for (order, state) in db::future_plan_orders(conn, id.0, to_china(now))? {
                if db::set_state(conn, order, &state, OrderState::Cancelled.code())? == 1 {
                    db::insert_event(
                        conn,
                        order,
                        now,
                        Some(caller.person.0),
                        Some(OrderStep::Cancel.code()),
                        OrderState::Cancelled.code(),
                        "计划暂停",
                    )?;
                }
            }
        } else {
            for order in db::restore_paused_orders(conn, id.0, to_china(now))? {
                db::insert_event(
                    conn,
                    order,
                    now,
                    Some(caller.person.0),
                    None,
                    OrderState::Requested.code(),
                    "计划恢复",
                )?;
            }
            let plan = db::plan(conn, id.0)?;
            generate_plan(conn, &plan, now)?;
        }
        let place = place_of(
            conn,
            Target::Company(CompanyId(plan.company_id)),
            Some(caller),
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::CleaningPlan,
                entity_id: id.0,
                action: AuditAction::Update,
                before: Some(json!({"paused": !paused})),
                after: Some(json!({"paused": paused})),
                place: &place,
            },
            now,
        )
    })
}

/// Creates the visits a plan is missing from tomorrow for the next weeks;
/// returns how many. Running it again creates nothing new: a visit already
/// made (or cancelled) for a slot is never made twice, and the database's
/// unique (plan, slot) backs that up.
fn generate_plan(
    conn: &mut DbConn,
    plan: &db::PlanRow,
    now: NaiveDateTime,
) -> Result<u32, AppError> {
    if plan.paused_at.is_some() {
        return Ok(0);
    }
    let Some(weekdays) = Weekdays::from_bits(plan.weekdays) else {
        return Ok(0);
    };
    let from = china_date(now) + Duration::days(1);
    let minutes = u32::try_from(plan.minutes).unwrap_or(60);
    let existing: BTreeSet<NaiveDateTime> =
        db::plan_slots_from(conn, plan.id, from.and_time(NaiveTime::MIN))?
            .into_iter()
            .collect();
    let mut made = 0;
    for slot in plan_occurrences(
        weekdays,
        minute_of_day(plan.start_minute),
        minutes,
        from,
        PLAN_WEEKS_AHEAD * 7,
    ) {
        if existing.contains(&slot.start) {
            continue;
        }
        let id = db::insert_order(
            conn,
            &db::NewOrder {
                company_id: plan.company_id,
                estate_id: plan.estate_id,
                building_id: plan.building_id,
                household_id: None,
                service_id: plan.service_id,
                plan_id: Some(plan.id),
                channel: BookingChannel::Plan.code(),
                slot_start: slot.start,
                slot_end: slot.end,
                quantity: 1,
                unit_price_fen: 0,
                market_fen: 0,
                amount_fen: 0,
                chargeable: false,
                notes: "",
                // A visit weeks ahead is late only if nobody is sent before it begins.
                respond_by: from_china(slot.start),
                booked_by: None,
                form_token: None,
                at: now,
            },
        )?;
        db::insert_event(conn, id, now, None, None, OrderState::Requested.code(), "")?;
        made += 1;
    }
    Ok(made)
}

/// Generates the coming weeks' visits of every running plan of the company;
/// returns how many were made.
pub fn generate_plans(
    conn: &mut DbConn,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<u32, AppError> {
    write_tx(conn, |conn| {
        let mut made = 0;
        for plan in db::plans_of_company(conn, company.0)? {
            made += generate_plan(conn, &plan, now)?;
        }
        Ok(made)
    })
}

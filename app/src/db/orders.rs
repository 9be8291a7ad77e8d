//! Work orders, their history, complaints, recurring cleaning plans and the
//! charges finished work leaves for billing.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    buildings, charges, cleaning_plans, complaints, estates, households, persons, role_grants,
    services, work_order_events, work_orders,
};
use super::{DbConn, DbError};

#[derive(Queryable, Debug, Clone)]
pub struct OrderRow {
    pub id: i64,
    pub company_id: i64,
    pub estate_id: i64,
    pub building_id: Option<i64>,
    pub household_id: Option<i64>,
    pub service_id: i64,
    pub plan_id: Option<i64>,
    pub channel: String,
    pub state: String,
    pub slot_start: NaiveDateTime,
    pub slot_end: NaiveDateTime,
    pub staff_id: Option<i64>,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub market_fen: i64,
    pub amount_fen: i64,
    pub chargeable: bool,
    pub notes: String,
    pub materials: String,
    pub respond_by: NaiveDateTime,
    pub booked_by: Option<i64>,
    pub form_token: Option<String>,
    pub stars: Option<i64>,
    pub rating_comment: String,
    pub cancel_fee_fen: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub struct NewOrder<'a> {
    pub company_id: i64,
    pub estate_id: i64,
    pub building_id: Option<i64>,
    pub household_id: Option<i64>,
    pub service_id: i64,
    pub plan_id: Option<i64>,
    pub channel: &'a str,
    pub slot_start: NaiveDateTime,
    pub slot_end: NaiveDateTime,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub market_fen: i64,
    pub amount_fen: i64,
    pub chargeable: bool,
    pub notes: &'a str,
    pub respond_by: NaiveDateTime,
    pub booked_by: Option<i64>,
    pub form_token: Option<&'a str>,
    pub at: NaiveDateTime,
}

pub fn insert_order(conn: &mut DbConn, o: &NewOrder<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(work_orders::table)
        .values((
            work_orders::company_id.eq(o.company_id),
            work_orders::estate_id.eq(o.estate_id),
            work_orders::building_id.eq(o.building_id),
            work_orders::household_id.eq(o.household_id),
            work_orders::service_id.eq(o.service_id),
            work_orders::plan_id.eq(o.plan_id),
            work_orders::channel.eq(o.channel),
            work_orders::state.eq("requested"),
            work_orders::slot_start.eq(o.slot_start),
            work_orders::slot_end.eq(o.slot_end),
            work_orders::quantity.eq(o.quantity),
            work_orders::unit_price_fen.eq(o.unit_price_fen),
            work_orders::market_fen.eq(o.market_fen),
            work_orders::amount_fen.eq(o.amount_fen),
            work_orders::chargeable.eq(o.chargeable),
            work_orders::notes.eq(o.notes),
            work_orders::respond_by.eq(o.respond_by),
            work_orders::booked_by.eq(o.booked_by),
            work_orders::form_token.eq(o.form_token),
            work_orders::created_at.eq(o.at),
        ))
        .returning(work_orders::id)
        .get_result(conn)?)
}

pub fn order(conn: &mut DbConn, id: i64) -> Result<OrderRow, DbError> {
    Ok(work_orders::table
        .filter(work_orders::id.eq(id))
        .first(conn)?)
}

/// The order a booking form's token already made for the household, if any.
pub fn order_of_token(
    conn: &mut DbConn,
    household: i64,
    token: &str,
) -> Result<Option<i64>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::household_id.eq(household))
        .filter(work_orders::form_token.eq(token))
        .select(work_orders::id)
        .first(conn)
        .optional()?)
}

pub fn orders_of_household(conn: &mut DbConn, household: i64) -> Result<Vec<OrderRow>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::household_id.eq(household))
        .order((work_orders::slot_start.desc(), work_orders::id.desc()))
        .load(conn)?)
}

/// Of `ids`, the orders `staff` is sent to.
pub fn orders_of_staff_among(
    conn: &mut DbConn,
    staff: i64,
    ids: &[i64],
) -> Result<Vec<i64>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::id.eq_any(ids))
        .filter(work_orders::staff_id.eq(staff))
        .select(work_orders::id)
        .load(conn)?)
}

/// The company's orders with a slot in `[from, to)`, and every order still
/// waiting for an answer whenever its slot.
pub fn orders_of_company(
    conn: &mut DbConn,
    company: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<OrderRow>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::company_id.eq(company))
        .filter(
            work_orders::slot_start
                .ge(from)
                .and(work_orders::slot_start.lt(to))
                .or(work_orders::state.eq_any(["requested", "disputed"])),
        )
        .order((work_orders::slot_start, work_orders::id))
        .load(conn)?)
}

/// A staff member's orders with a slot in `[from, to)`, in order.
pub fn orders_of_staff(
    conn: &mut DbConn,
    staff: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<OrderRow>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::staff_id.eq(staff))
        .filter(work_orders::slot_start.ge(from))
        .filter(work_orders::slot_start.lt(to))
        .filter(work_orders::state.ne("cancelled"))
        .order((work_orders::slot_start, work_orders::id))
        .load(conn)?)
}

/// Takes the staff member's row for the rest of the transaction, so two
/// schedulings of the same person wait for each other on PostgreSQL (SQLite
/// write transactions are serialised already).
pub fn lock_person(conn: &mut DbConn, person: i64) -> Result<(), DbError> {
    diesel::update(persons::table.filter(persons::id.eq(person)))
        .set(persons::name.eq(persons::name))
        .execute(conn)?;
    Ok(())
}

/// Moves an order from `from` to `to`; 0 when it was no longer in `from`.
pub fn set_state(conn: &mut DbConn, id: i64, from: &str, to: &str) -> Result<usize, DbError> {
    Ok(diesel::update(
        work_orders::table
            .filter(work_orders::id.eq(id))
            .filter(work_orders::state.eq(from)),
    )
    .set(work_orders::state.eq(to))
    .execute(conn)?)
}

/// Sets the staff member and slot of an order still in `from`.
pub fn schedule(
    conn: &mut DbConn,
    id: i64,
    from: &str,
    staff: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        work_orders::table
            .filter(work_orders::id.eq(id))
            .filter(work_orders::state.eq(from)),
    )
    .set((
        work_orders::state.eq("scheduled"),
        work_orders::staff_id.eq(staff),
        work_orders::slot_start.eq(start),
        work_orders::slot_end.eq(end),
    ))
    .execute(conn)?)
}

pub fn set_materials(conn: &mut DbConn, id: i64, materials: &str) -> Result<(), DbError> {
    diesel::update(work_orders::table.filter(work_orders::id.eq(id)))
        .set(work_orders::materials.eq(materials))
        .execute(conn)?;
    Ok(())
}

/// The amount of an order after a dispute lowered it.
pub fn set_amount(conn: &mut DbConn, id: i64, amount_fen: i64) -> Result<(), DbError> {
    diesel::update(work_orders::table.filter(work_orders::id.eq(id)))
        .set(work_orders::amount_fen.eq(amount_fen))
        .execute(conn)?;
    Ok(())
}

pub fn set_rating(conn: &mut DbConn, id: i64, stars: i64, comment: &str) -> Result<(), DbError> {
    diesel::update(work_orders::table.filter(work_orders::id.eq(id)))
        .set((
            work_orders::stars.eq(stars),
            work_orders::rating_comment.eq(comment),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_cancel_fee(conn: &mut DbConn, id: i64, fee_fen: i64) -> Result<(), DbError> {
    diesel::update(work_orders::table.filter(work_orders::id.eq(id)))
        .set(work_orders::cancel_fee_fen.eq(fee_fen))
        .execute(conn)?;
    Ok(())
}

pub fn insert_event(
    conn: &mut DbConn,
    order: i64,
    at: NaiveDateTime,
    person: Option<i64>,
    step: Option<&str>,
    to: &str,
    comment: &str,
) -> Result<(), DbError> {
    diesel::insert_into(work_order_events::table)
        .values((
            work_order_events::order_id.eq(order),
            work_order_events::at.eq(at),
            work_order_events::person_id.eq(person),
            work_order_events::step.eq(step),
            work_order_events::to_state.eq(to),
            work_order_events::comment.eq(comment),
        ))
        .execute(conn)?;
    Ok(())
}

/// An order's history, oldest first: time, who, step, new state, comment.
#[allow(clippy::type_complexity)]
pub fn events_of(
    conn: &mut DbConn,
    order: i64,
) -> Result<
    Vec<(
        NaiveDateTime,
        Option<String>,
        Option<String>,
        String,
        String,
    )>,
    DbError,
> {
    Ok(work_order_events::table
        .left_join(persons::table)
        .filter(work_order_events::order_id.eq(order))
        .order(work_order_events::id)
        .select((
            work_order_events::at,
            persons::name.nullable(),
            work_order_events::step,
            work_order_events::to_state,
            work_order_events::comment,
        ))
        .load(conn)?)
}

/// The people holding a live staff grant over the company, by name.
pub fn company_staff(conn: &mut DbConn, company: i64) -> Result<Vec<(i64, String)>, DbError> {
    let mut rows: Vec<(i64, String)> = role_grants::table
        .inner_join(persons::table)
        .filter(role_grants::company_id.eq(company))
        .filter(role_grants::role.eq("staff"))
        .filter(role_grants::revoked_at.is_null())
        .filter(persons::disabled_at.is_null())
        .select((persons::id, persons::name))
        .load(conn)?;
    rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    rows.dedup_by_key(|r| r.0);
    Ok(rows)
}

pub fn person_names(conn: &mut DbConn, ids: &[i64]) -> Result<BTreeMap<i64, String>, DbError> {
    Ok(persons::table
        .filter(persons::id.eq_any(ids))
        .select((persons::id, persons::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// What an order needs to know of its service.
#[derive(Queryable, Debug, Clone)]
pub struct ServiceFacts {
    pub id: i64,
    pub company_id: i64,
    pub category: String,
    pub unit: String,
    pub name: String,
    pub name_en: String,
    pub visit_minutes: i64,
    pub response_hours: i64,
    pub retired_at: Option<NaiveDateTime>,
}

pub fn service_facts(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<ServiceFacts>, DbError> {
    Ok(services::table
        .filter(services::id.eq_any(ids))
        .select((
            services::id,
            services::company_id,
            services::category,
            services::unit,
            services::name,
            services::name_en,
            services::visit_minutes,
            services::response_hours,
            services::retired_at,
        ))
        .load(conn)?)
}

/// Names for an address: estates (zh, en), buildings, households (unit, room).
#[derive(Default, Debug)]
pub struct AddressNames {
    pub estates: BTreeMap<i64, (String, String)>,
    pub buildings: BTreeMap<i64, String>,
    pub households: BTreeMap<i64, (String, String)>,
}

pub fn address_names(
    conn: &mut DbConn,
    estate_ids: &[i64],
    building_ids: &[i64],
    household_ids: &[i64],
) -> Result<AddressNames, DbError> {
    Ok(AddressNames {
        estates: estates::table
            .filter(estates::id.eq_any(estate_ids))
            .select((estates::id, estates::name, estates::name_en))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, zh, en)| (id, (zh, en)))
            .collect(),
        buildings: buildings::table
            .filter(buildings::id.eq_any(building_ids))
            .select((buildings::id, buildings::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect(),
        households: households::table
            .filter(households::id.eq_any(household_ids))
            .select((households::id, households::unit, households::room))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, u, r)| (id, (u, r)))
            .collect(),
    })
}

/// A household's building, estate and the estate's company.
pub fn household_home(
    conn: &mut DbConn,
    household: i64,
) -> Result<(i64, i64, Option<i64>), DbError> {
    Ok(households::table
        .inner_join(buildings::table.inner_join(estates::table))
        .filter(households::id.eq(household))
        .select((buildings::id, estates::id, estates::company_id))
        .first(conn)?)
}

// ----- charges -----

pub fn insert_charge(
    conn: &mut DbConn,
    order: &OrderRow,
    household: i64,
    kind: &str,
    amount_fen: i64,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(charges::table)
        .values((
            charges::company_id.eq(order.company_id),
            charges::household_id.eq(household),
            charges::order_id.eq(order.id),
            charges::kind.eq(kind),
            charges::amount_fen.eq(amount_fen),
            charges::service_on.eq(order.slot_start.date()),
            charges::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_charge(
    conn: &mut DbConn,
    order: i64,
    kind: &str,
    amount_fen: i64,
) -> Result<(), DbError> {
    diesel::update(
        charges::table
            .filter(charges::order_id.eq(order))
            .filter(charges::kind.eq(kind)),
    )
    .set(charges::amount_fen.eq(amount_fen))
    .execute(conn)?;
    Ok(())
}

/// A household's charges: kind, amount, day of service, order.
pub fn charges_of_household(
    conn: &mut DbConn,
    household: i64,
) -> Result<Vec<(String, i64, NaiveDate, i64)>, DbError> {
    Ok(charges::table
        .filter(charges::household_id.eq(household))
        .order(charges::id)
        .select((
            charges::kind,
            charges::amount_fen,
            charges::service_on,
            charges::order_id,
        ))
        .load(conn)?)
}

// ----- complaints -----

#[derive(Queryable, Debug, Clone)]
pub struct ComplaintRow {
    pub id: i64,
    pub company_id: i64,
    pub estate_id: i64,
    pub household_id: Option<i64>,
    pub order_id: Option<i64>,
    pub filed_by: i64,
    pub filed_at: NaiveDateTime,
    pub body: String,
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<NaiveDateTime>,
}

pub struct NewComplaint<'a> {
    pub company_id: i64,
    pub estate_id: i64,
    pub household_id: Option<i64>,
    pub order_id: Option<i64>,
    pub filed_by: i64,
    pub body: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert_complaint(conn: &mut DbConn, c: &NewComplaint<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(complaints::table)
        .values((
            complaints::company_id.eq(c.company_id),
            complaints::estate_id.eq(c.estate_id),
            complaints::household_id.eq(c.household_id),
            complaints::order_id.eq(c.order_id),
            complaints::filed_by.eq(c.filed_by),
            complaints::filed_at.eq(c.at),
            complaints::body.eq(c.body),
        ))
        .returning(complaints::id)
        .get_result(conn)?)
}

pub fn complaint(conn: &mut DbConn, id: i64) -> Result<ComplaintRow, DbError> {
    Ok(complaints::table
        .filter(complaints::id.eq(id))
        .first(conn)?)
}

/// Open complaints first, then newest first.
pub fn complaints_of_company(
    conn: &mut DbConn,
    company: i64,
) -> Result<Vec<ComplaintRow>, DbError> {
    let mut rows: Vec<ComplaintRow> = complaints::table
        .filter(complaints::company_id.eq(company))
        .order(complaints::id.desc())
        .load(conn)?;
    rows.sort_by_key(|c| c.answered_at.is_some());
    Ok(rows)
}

pub fn complaints_of_household(
    conn: &mut DbConn,
    household: i64,
) -> Result<Vec<ComplaintRow>, DbError> {
    Ok(complaints::table
        .filter(complaints::household_id.eq(household))
        .order(complaints::id.desc())
        .load(conn)?)
}

pub fn open_complaints(conn: &mut DbConn, company: i64) -> Result<i64, DbError> {
    Ok(complaints::table
        .filter(complaints::company_id.eq(company))
        .filter(complaints::answered_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Answers a complaint not yet answered; 0 when someone answered first.
pub fn answer_complaint(
    conn: &mut DbConn,
    id: i64,
    answer: &str,
    by: i64,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        complaints::table
            .filter(complaints::id.eq(id))
            .filter(complaints::answered_at.is_null()),
    )
    .set((
        complaints::answer.eq(answer),
        complaints::answered_by.eq(by),
        complaints::answered_at.eq(at),
    ))
    .execute(conn)?)
}

// ----- recurring cleaning plans -----

#[derive(Queryable, Debug, Clone)]
pub struct PlanRow {
    pub id: i64,
    pub company_id: i64,
    pub estate_id: i64,
    pub building_id: Option<i64>,
    pub service_id: i64,
    pub weekdays: i64,
    pub start_minute: i64,
    pub minutes: i64,
    pub paused_at: Option<NaiveDateTime>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub struct NewPlan {
    pub company_id: i64,
    pub estate_id: i64,
    pub building_id: Option<i64>,
    pub service_id: i64,
    pub weekdays: i64,
    pub start_minute: i64,
    pub minutes: i64,
    pub created_by: Option<i64>,
    pub at: NaiveDateTime,
}

pub fn insert_plan(conn: &mut DbConn, p: &NewPlan) -> Result<i64, DbError> {
    Ok(diesel::insert_into(cleaning_plans::table)
        .values((
            cleaning_plans::company_id.eq(p.company_id),
            cleaning_plans::estate_id.eq(p.estate_id),
            cleaning_plans::building_id.eq(p.building_id),
            cleaning_plans::service_id.eq(p.service_id),
            cleaning_plans::weekdays.eq(p.weekdays),
            cleaning_plans::start_minute.eq(p.start_minute),
            cleaning_plans::minutes.eq(p.minutes),
            cleaning_plans::created_by.eq(p.created_by),
            cleaning_plans::created_at.eq(p.at),
        ))
        .returning(cleaning_plans::id)
        .get_result(conn)?)
}

pub fn plan(conn: &mut DbConn, id: i64) -> Result<PlanRow, DbError> {
    Ok(cleaning_plans::table
        .filter(cleaning_plans::id.eq(id))
        .first(conn)?)
}

pub fn plans_of_company(conn: &mut DbConn, company: i64) -> Result<Vec<PlanRow>, DbError> {
    Ok(cleaning_plans::table
        .filter(cleaning_plans::company_id.eq(company))
        .order(cleaning_plans::id)
        .load(conn)?)
}

pub fn set_paused(conn: &mut DbConn, id: i64, at: Option<NaiveDateTime>) -> Result<(), DbError> {
    diesel::update(cleaning_plans::table.filter(cleaning_plans::id.eq(id)))
        .set(cleaning_plans::paused_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// The slot starts a plan already has orders for from `from` on.
pub fn plan_slots_from(
    conn: &mut DbConn,
    plan: i64,
    from: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::plan_id.eq(plan))
        .filter(work_orders::slot_start.ge(from))
        .select(work_orders::slot_start)
        .load(conn)?)
}

/// Cancels a paused plan's orders from `from` on that nobody has started.
pub fn future_plan_orders(
    conn: &mut DbConn,
    plan: i64,
    from: NaiveDateTime,
) -> Result<Vec<(i64, String)>, DbError> {
    Ok(work_orders::table
        .filter(work_orders::plan_id.eq(plan))
        .filter(work_orders::slot_start.ge(from))
        .filter(work_orders::state.eq_any(["requested", "scheduled"]))
        .select((work_orders::id, work_orders::state))
        .load(conn)?)
}

/// Brings back a resumed plan's visits from `from` on that its pause
/// cancelled (a pause leaves no cancellation fee; a person cancelling always
/// records one, if only zero), unscheduled; returns their ids.
pub fn restore_paused_orders(
    conn: &mut DbConn,
    plan: i64,
    from: NaiveDateTime,
) -> Result<Vec<i64>, DbError> {
    let ids: Vec<i64> = work_orders::table
        .filter(work_orders::plan_id.eq(plan))
        .filter(work_orders::slot_start.ge(from))
        .filter(work_orders::state.eq("cancelled"))
        .filter(work_orders::cancel_fee_fen.is_null())
        .select(work_orders::id)
        .load(conn)?;
    diesel::update(work_orders::table.filter(work_orders::id.eq_any(&ids)))
        .set((
            work_orders::state.eq("requested"),
            work_orders::staff_id.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(ids)
}

/// Per plan: orders from `from` on not yet done or cancelled.
pub fn upcoming_per_plan(
    conn: &mut DbConn,
    company: i64,
    from: NaiveDateTime,
) -> Result<BTreeMap<i64, u32>, DbError> {
    let rows: Vec<Option<i64>> = work_orders::table
        .filter(work_orders::company_id.eq(company))
        .filter(work_orders::plan_id.is_not_null())
        .filter(work_orders::slot_start.ge(from))
        .filter(work_orders::state.eq_any(["requested", "scheduled", "in_progress"]))
        .select(work_orders::plan_id)
        .load(conn)?;
    let mut out = BTreeMap::new();
    for p in rows.into_iter().flatten() {
        *out.entry(p).or_insert(0) += 1;
    }
    Ok(out)
}

/// What cancelling costs under the estate's active contract: free hours and
/// late fee in basis points.
pub fn cancellation_terms(conn: &mut DbConn, estate: i64) -> Result<Option<(i64, i64)>, DbError> {
    use super::schema::contracts;
    Ok(contracts::table
        .filter(contracts::estate_id.eq(estate))
        .filter(contracts::state.eq("active"))
        .order(contracts::id.desc())
        .select((contracts::free_cancel_hours, contracts::late_cancel_bp))
        .first(conn)
        .optional()?)
}

/// The people with a live resident grant over the household.
pub fn household_people(conn: &mut DbConn, household: i64) -> Result<Vec<i64>, DbError> {
    Ok(role_grants::table
        .filter(role_grants::household_id.eq(household))
        .filter(role_grants::role.eq("resident"))
        .filter(role_grants::revoked_at.is_null())
        .select(role_grants::person_id)
        .distinct()
        .load(conn)?)
}

/// The residents with accounts of these households: (household, person).
pub fn people_of_households(
    conn: &mut DbConn,
    households: &[i64],
) -> Result<Vec<(i64, i64)>, DbError> {
    let mut out = Vec::new();
    for chunk in households.chunks(2_000) {
        out.extend(
            role_grants::table
                .filter(role_grants::household_id.eq_any(chunk))
                .filter(role_grants::role.eq("resident"))
                .filter(role_grants::revoked_at.is_null())
                .select((role_grants::household_id, role_grants::person_id))
                .distinct()
                .load::<(Option<i64>, i64)>(conn)?
                .into_iter()
                .filter_map(|(h, p)| Some((h?, p))),
        );
    }
    Ok(out)
}

/// The company's open estates: id, name, English name.
pub fn estates_of_company(
    conn: &mut DbConn,
    company: i64,
) -> Result<Vec<(i64, String, String)>, DbError> {
    Ok(estates::table
        .filter(estates::company_id.eq(company))
        .filter(estates::closed_at.is_null())
        .order(estates::name)
        .select((estates::id, estates::name, estates::name_en))
        .load(conn)?)
}

/// The buildings of these estates: id, estate, name.
pub fn buildings_of_estates(
    conn: &mut DbConn,
    estate_ids: &[i64],
) -> Result<Vec<(i64, i64, String)>, DbError> {
    Ok(buildings::table
        .filter(buildings::estate_id.eq_any(estate_ids))
        .order((buildings::estate_id, buildings::id))
        .select((buildings::id, buildings::estate_id, buildings::name))
        .load(conn)?)
}

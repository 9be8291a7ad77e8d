//! Expenses and their shares, common-area income, the figures of an estate's
//! month (each from the bills, payments, orders and entries behind it), and
//! the stored statements with their review notes.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::billing::sum_fen;
use super::schema::{
    allocations, bill_lines, bills, buildings, committee_members, committees, common_incomes,
    companies, contracts, estates, expense_shares, expenses, households, payments, persons,
    statement_notes, statements, work_orders,
};
use super::{DbConn, DbError};

// ----- the estate -----

/// (company id, estate name, name_en, company name, name_en).
pub type EstateFacts = (Option<i64>, String, String, Option<(String, String)>);

pub fn estate_facts(conn: &mut DbConn, estate: i64) -> Result<EstateFacts, DbError> {
    Ok(estates::table
        .left_join(companies::table)
        .filter(estates::id.eq(estate))
        .select((
            estates::company_id,
            estates::name,
            estates::name_en,
            (companies::name, companies::name_en).nullable(),
        ))
        .first(conn)?)
}

/// An estate with what an expense is spread by.
#[derive(Debug, Clone)]
pub struct EstateSize {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub households: i64,
    /// Hundredths of m².
    pub floor_area: i64,
}

/// The company's open estates with their households and floor area, for
/// spreading an expense.
pub fn estates_of_company(conn: &mut DbConn, company: i64) -> Result<Vec<EstateSize>, DbError> {
    let names: Vec<(i64, String, String)> = estates::table
        .filter(estates::company_id.eq(company))
        .filter(estates::closed_at.is_null())
        .select((estates::id, estates::name, estates::name_en))
        .order(estates::id)
        .load(conn)?;
    let ids: Vec<i64> = names.iter().map(|n| n.0).collect();
    let mut sizes: HashMap<i64, (i64, i64)> = HashMap::new();
    for (estate, area) in households::table
        .inner_join(buildings::table)
        .filter(buildings::estate_id.eq_any(&ids))
        .select((buildings::estate_id, households::floor_area))
        .load::<(i64, Option<i64>)>(conn)?
    {
        let s = sizes.entry(estate).or_default();
        s.0 += 1;
        s.1 += area.unwrap_or(0);
    }
    Ok(names
        .into_iter()
        .map(|(id, name, name_en)| {
            let (households, floor_area) = sizes.get(&id).copied().unwrap_or_default();
            EstateSize {
                id,
                name,
                name_en,
                households,
                floor_area,
            }
        })
        .collect())
}

pub fn household_count(conn: &mut DbConn, estate: i64) -> Result<i64, DbError> {
    Ok(households::table
        .inner_join(buildings::table)
        .filter(buildings::estate_id.eq(estate))
        .count()
        .get_result(conn)?)
}

/// A sitting committee member: (person if they have an account, name,
/// position).
pub type Member = (Option<i64>, String, String);

/// The sitting committee's members.
pub fn sitting_members(conn: &mut DbConn, estate: i64) -> Result<Vec<Member>, DbError> {
    Ok(committee_members::table
        .inner_join(committees::table)
        .filter(committees::estate_id.eq(estate))
        .filter(committees::ended_at.is_null())
        .select((
            committee_members::person_id,
            committee_members::name,
            committee_members::position,
        ))
        .order(committee_members::id)
        .load(conn)?)
}

// ----- expenses and common-area income -----

pub struct NewExpense<'a> {
    pub company_id: i64,
    pub month: &'a str,
    pub spent_on: NaiveDate,
    pub category: &'a str,
    pub description: &'a str,
    pub amount_fen: i64,
    pub split_rule: &'a str,
    pub photo: Option<(&'a str, &'a [u8])>,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

pub fn insert_expense(
    conn: &mut DbConn,
    e: &NewExpense<'_>,
    shares: &[(i64, i64)],
) -> Result<i64, DbError> {
    let id: i64 = diesel::insert_into(expenses::table)
        .values((
            expenses::company_id.eq(e.company_id),
            expenses::month.eq(e.month),
            expenses::spent_on.eq(e.spent_on),
            expenses::category.eq(e.category),
            expenses::description.eq(e.description),
            expenses::amount_fen.eq(e.amount_fen),
            expenses::split_rule.eq(e.split_rule),
            expenses::photo_type.eq(e.photo.map(|p| p.0)),
            expenses::photo.eq(e.photo.map(|p| p.1)),
            expenses::recorded_by.eq(e.recorded_by),
            expenses::recorded_at.eq(e.recorded_at),
        ))
        .returning(expenses::id)
        .get_result(conn)?;
    // A company has a handful of estates: one row at a time is plenty.
    for (estate, fen) in shares {
        diesel::insert_into(expense_shares::table)
            .values((
                expense_shares::expense_id.eq(id),
                expense_shares::estate_id.eq(*estate),
                expense_shares::amount_fen.eq(*fen),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

#[derive(Queryable, Debug)]
pub struct ExpenseRow {
    pub id: i64,
    pub spent_on: NaiveDate,
    pub category: String,
    pub description: String,
    pub amount_fen: i64,
    pub split_rule: String,
    pub has_photo: bool,
    pub share_fen: i64,
}

/// The estate's expenses of the month, with its share of each.
pub fn expenses_of(
    conn: &mut DbConn,
    estate: i64,
    month: &str,
) -> Result<Vec<ExpenseRow>, DbError> {
    Ok(expense_shares::table
        .inner_join(expenses::table)
        .filter(expense_shares::estate_id.eq(estate))
        .filter(expenses::month.eq(month))
        .select((
            expenses::id,
            expenses::spent_on,
            expenses::category,
            expenses::description,
            expenses::amount_fen,
            expenses::split_rule,
            expenses::photo_type.is_not_null(),
            expense_shares::amount_fen,
        ))
        .order((expenses::spent_on, expenses::id))
        .load(conn)?)
}

/// The other estates sharing these expenses: (expense, name, name_en).
pub fn sharers(
    conn: &mut DbConn,
    expense_ids: &[i64],
    except: i64,
) -> Result<Vec<(i64, String, String)>, DbError> {
    Ok(expense_shares::table
        .inner_join(estates::table)
        .filter(expense_shares::expense_id.eq_any(expense_ids))
        .filter(expense_shares::estate_id.ne(except))
        .select((expense_shares::expense_id, estates::name, estates::name_en))
        .order((expense_shares::expense_id, estates::id))
        .load(conn)?)
}

/// Whether the expense is charged (in part) to the estate.
pub fn expense_shared_by(conn: &mut DbConn, expense: i64, estate: i64) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        expense_shares::table
            .filter(expense_shares::expense_id.eq(expense))
            .filter(expense_shares::estate_id.eq(estate)),
    ))
    .get_result(conn)?)
}

/// A receipt photo: its content type and bytes.
pub type Photo = (String, Vec<u8>);

/// An expense's receipt photo, if it has one.
pub fn expense_photo(conn: &mut DbConn, expense: i64) -> Result<Option<Photo>, DbError> {
    let (kind, bytes): (Option<String>, Option<Vec<u8>>) = expenses::table
        .filter(expenses::id.eq(expense))
        .select((expenses::photo_type, expenses::photo))
        .first(conn)?;
    Ok(kind.zip(bytes))
}

pub struct NewCommonIncome<'a> {
    pub company_id: i64,
    pub estate_id: i64,
    pub month: &'a str,
    pub received_on: NaiveDate,
    pub source: &'a str,
    pub amount_fen: i64,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

pub fn insert_common_income(conn: &mut DbConn, c: &NewCommonIncome<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(common_incomes::table)
        .values((
            common_incomes::company_id.eq(c.company_id),
            common_incomes::estate_id.eq(c.estate_id),
            common_incomes::month.eq(c.month),
            common_incomes::received_on.eq(c.received_on),
            common_incomes::source.eq(c.source),
            common_incomes::amount_fen.eq(c.amount_fen),
            common_incomes::recorded_by.eq(c.recorded_by),
            common_incomes::recorded_at.eq(c.recorded_at),
        ))
        .returning(common_incomes::id)
        .get_result(conn)?)
}

pub fn common_incomes_of(
    conn: &mut DbConn,
    estate: i64,
    month: &str,
) -> Result<Vec<(NaiveDate, String, i64)>, DbError> {
    Ok(common_incomes::table
        .filter(common_incomes::estate_id.eq(estate))
        .filter(common_incomes::month.eq(month))
        .select((
            common_incomes::received_on,
            common_incomes::source,
            common_incomes::amount_fen,
        ))
        .order((common_incomes::received_on, common_incomes::id))
        .load(conn)?)
}

// ----- the month's figures -----

/// Billed per line kind on the estate's bills of the month.
pub fn billed_by_kind(
    conn: &mut DbConn,
    estate: i64,
    month: &str,
) -> Result<Vec<(String, i64)>, DbError> {
    Ok(bill_lines::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.eq(month))
        .group_by(bill_lines::kind)
        .select((bill_lines::kind, sum_fen("bill_lines.amount_fen")))
        .order(bill_lines::kind)
        .load(conn)?)
}

/// Per priced line name of the month's bills: (name, name_en, billed, market),
/// for the lines that have a market price.
pub fn billed_against_market(
    conn: &mut DbConn,
    estate: i64,
    month: &str,
) -> Result<Vec<(String, String, i64, i64)>, DbError> {
    Ok(bill_lines::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.eq(month))
        .filter(bill_lines::kind.eq_any(["area_fee", "service"]))
        .filter(bill_lines::market_fen.gt(0))
        .group_by((bill_lines::name_zh, bill_lines::name_en))
        .select((
            bill_lines::name_zh,
            bill_lines::name_en,
            sum_fen("bill_lines.amount_fen"),
            sum_fen("bill_lines.market_fen"),
        ))
        .order(bill_lines::name_zh)
        .load(conn)?)
}

/// Allocated so far to the estate's bills of the month.
pub fn paid_on_bills_of(conn: &mut DbConn, estate: i64, month: &str) -> Result<i64, DbError> {
    Ok(allocations::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.eq(month))
        .select(sum_fen("allocations.amount_fen"))
        .first(conn)?)
}

/// Per household: billed and paid on its bills up to and including the month.
pub fn owed_by_household(
    conn: &mut DbConn,
    estate: i64,
    up_to: &str,
) -> Result<BTreeMap<i64, i64>, DbError> {
    let mut owed: BTreeMap<i64, i64> = BTreeMap::new();
    for (household, fen) in bills::table
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.le(up_to))
        .group_by(bills::household_id)
        .select((bills::household_id, sum_fen("bills.total_fen")))
        .load::<(i64, i64)>(conn)?
    {
        *owed.entry(household).or_default() += fen;
    }
    for (household, fen) in allocations::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.le(up_to))
        .group_by(bills::household_id)
        .select((bills::household_id, sum_fen("allocations.amount_fen")))
        .load::<(i64, i64)>(conn)?
    {
        *owed.entry(household).or_default() -= fen;
    }
    Ok(owed)
}

/// The estate's expenses of the month by category (its shares).
pub fn expenses_by_category(
    conn: &mut DbConn,
    estate: i64,
    month: &str,
) -> Result<Vec<(String, i64)>, DbError> {
    Ok(expense_shares::table
        .inner_join(expenses::table)
        .filter(expense_shares::estate_id.eq(estate))
        .filter(expenses::month.eq(month))
        .group_by(expenses::category)
        .select((expenses::category, sum_fen("expense_shares.amount_fen")))
        .order(expenses::category)
        .load(conn)?)
}

/// A work order as the month's figures count it: (plan visit, state,
/// stars, staff name).
pub type OrderFacts = (bool, String, Option<i64>, Option<String>);

/// Work orders at the estate with a slot in [from, until) (China local time).
pub fn orders_between(
    conn: &mut DbConn,
    estate: i64,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<OrderFacts>, DbError> {
    Ok(work_orders::table
        .left_join(persons::table.on(work_orders::staff_id.eq(persons::id.nullable())))
        .filter(work_orders::estate_id.eq(estate))
        .filter(work_orders::slot_start.ge(from))
        .filter(work_orders::slot_start.lt(until))
        .select((
            work_orders::plan_id.is_not_null(),
            work_orders::state,
            work_orders::stars,
            persons::name.nullable(),
        ))
        .load(conn)?)
}

/// Complaints about the estate filed in [from, until): (filed, answered).
pub fn complaints_between(
    conn: &mut DbConn,
    estate: i64,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<(i64, i64), DbError> {
    use super::schema::complaints;
    let rows: Vec<bool> = complaints::table
        .filter(complaints::estate_id.eq(estate))
        .filter(complaints::filed_at.ge(from))
        .filter(complaints::filed_at.lt(until))
        .select(complaints::answered_at.is_not_null())
        .load(conn)?;
    let answered = rows.iter().filter(|a| **a).count();
    Ok((rows.len() as i64, answered as i64))
}

/// The estate's contract in force on a day (active then, or since
/// expired or ended): (id, fee model, commission basis points).
pub fn contract_in_force(
    conn: &mut DbConn,
    estate: i64,
    on: NaiveDate,
) -> Result<Option<(i64, String, Option<i64>)>, DbError> {
    Ok(contracts::table
        .filter(contracts::estate_id.eq(estate))
        .filter(contracts::state.eq_any(["active", "expired", "terminated"]))
        .filter(contracts::starts_on.le(on))
        .filter(contracts::ends_on.ge(on))
        .select((
            contracts::id,
            contracts::fee_model,
            contracts::commission_bp,
        ))
        .order(contracts::id.desc())
        .first(conn)
        .optional()?)
}

/// A contract line: (name, name_en, basis, price, market average).
pub type FeeItemRow = (String, String, String, i64, i64);

/// The contract's lines with the market average on a day.
pub fn fee_items(
    conn: &mut DbConn,
    contract: i64,
    on: NaiveDate,
) -> Result<Vec<FeeItemRow>, DbError> {
    let lines = super::contracts::lines_of(conn, &[contract])?;
    let ids: Vec<i64> = lines.iter().map(|l| l.service_id).collect();
    let market = super::billing::market_on(conn, &ids, on)?;
    Ok(lines
        .into_iter()
        .map(|l| {
            let m = market
                .get(&l.service_id)
                .copied()
                .unwrap_or(l.unit_price_fen);
            (l.name, l.name_en, l.basis, l.unit_price_fen, m)
        })
        .collect())
}

// ----- the monthly series -----

/// Per month code, for the estate: billed, paid on those bills, saving
/// (market minus billed on priced lines).
pub fn billed_by_month(
    conn: &mut DbConn,
    estate: i64,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64, i64, i64)>, DbError> {
    let billed: Vec<(String, i64)> = bills::table
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.between(from, to))
        .group_by(bills::month)
        .select((bills::month, sum_fen("bills.total_fen")))
        .load(conn)?;
    let paid: HashMap<String, i64> = allocations::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.between(from, to))
        .group_by(bills::month)
        .select((bills::month, sum_fen("allocations.amount_fen")))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let saving: HashMap<String, i64> = bill_lines::table
        .inner_join(bills::table)
        .filter(bills::estate_id.eq(estate))
        .filter(bills::month.between(from, to))
        .filter(bill_lines::kind.eq_any(["area_fee", "service"]))
        .filter(bill_lines::market_fen.gt(0))
        .group_by(bills::month)
        .select((
            bills::month,
            sum_fen("bill_lines.market_fen - bill_lines.amount_fen"),
        ))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(billed
        .into_iter()
        .map(|(m, b)| {
            let p = paid.get(&m).copied().unwrap_or(0);
            let s = saving.get(&m).copied().unwrap_or(0);
            (m, b, p, s)
        })
        .collect())
}

/// Payments (reversals negative) from the estate's households between two
/// instants: (paid at, fen).
pub fn payments_between(
    conn: &mut DbConn,
    estate: i64,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<(NaiveDateTime, i64)>, DbError> {
    Ok(payments::table
        .inner_join(households::table.inner_join(buildings::table))
        .filter(buildings::estate_id.eq(estate))
        .filter(payments::paid_at.ge(from))
        .filter(payments::paid_at.lt(until))
        .select((payments::paid_at, payments::amount_fen))
        .load(conn)?)
}

/// The estate's running costs per month (the maintenance fund left out).
pub fn running_costs_by_month(
    conn: &mut DbConn,
    estate: i64,
    from: &str,
    to: &str,
) -> Result<HashMap<String, i64>, DbError> {
    Ok(expense_shares::table
        .inner_join(expenses::table)
        .filter(expense_shares::estate_id.eq(estate))
        .filter(expenses::month.between(from, to))
        .filter(expenses::category.ne("maintenance_fund"))
        .group_by(expenses::month)
        .select((expenses::month, sum_fen("expense_shares.amount_fen")))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect())
}

// ----- statements -----

#[derive(Queryable, Debug, Clone)]
pub struct StatementRow {
    pub id: i64,
    pub company_id: i64,
    pub estate_id: i64,
    pub month: String,
    pub version: i64,
    pub corrects_id: Option<i64>,
    pub state: String,
    pub figures: String,
    pub content_hash: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: NaiveDateTime,
    pub signed_by: Option<i64>,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<NaiveDateTime>,
    pub second_reason: Option<String>,
    pub second_signed_by: Option<i64>,
    pub second_signed_by_name: Option<String>,
    pub second_signed_at: Option<NaiveDateTime>,
    pub disclosed_at: Option<NaiveDateTime>,
}

/// Every version of the estate's month, newest first.
/// Every statement's id, frozen figures and the hash recorded with them.
pub fn all_hashes(conn: &mut DbConn) -> Result<Vec<(i64, String, String)>, DbError> {
    Ok(statements::table
        .select((
            statements::id,
            statements::figures,
            statements::content_hash,
        ))
        .order(statements::id)
        .load(conn)?)
}

pub fn versions(conn: &mut DbConn, estate: i64, month: &str) -> Result<Vec<StatementRow>, DbError> {
    Ok(statements::table
        .filter(statements::estate_id.eq(estate))
        .filter(statements::month.eq(month))
        .order(statements::version.desc())
        .load(conn)?)
}

/// The latest version's (month, state, version) per month of the estate.
pub fn latest_states(
    conn: &mut DbConn,
    estate: i64,
) -> Result<HashMap<String, (String, i64)>, DbError> {
    let mut latest: HashMap<String, (String, i64)> = HashMap::new();
    for (month, state, version) in statements::table
        .filter(statements::estate_id.eq(estate))
        .select((statements::month, statements::state, statements::version))
        .load::<(String, String, i64)>(conn)?
    {
        let e = latest.entry(month).or_insert((state.clone(), version));
        if version >= e.1 {
            *e = (state, version);
        }
    }
    Ok(latest)
}

/// The estate's disclosed statements, newest month first.
pub fn disclosed(conn: &mut DbConn, estate: i64) -> Result<Vec<StatementRow>, DbError> {
    Ok(statements::table
        .filter(statements::estate_id.eq(estate))
        .filter(statements::state.eq("disclosed"))
        .order((statements::month.desc(), statements::version.desc()))
        .load(conn)?)
}

pub struct NewStatement<'a> {
    pub company_id: i64,
    pub estate_id: i64,
    pub month: &'a str,
    pub version: i64,
    pub corrects_id: Option<i64>,
    pub figures: &'a str,
    pub content_hash: &'a str,
    pub submitted_by: Option<i64>,
    pub submitted_at: NaiveDateTime,
    /// The chair's company post at submission, making a second signature
    /// necessary.
    pub second_reason: Option<&'a str>,
}

pub fn insert_statement(conn: &mut DbConn, s: &NewStatement<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(statements::table)
        .values((
            statements::company_id.eq(s.company_id),
            statements::estate_id.eq(s.estate_id),
            statements::month.eq(s.month),
            statements::version.eq(s.version),
            statements::corrects_id.eq(s.corrects_id),
            statements::state.eq("submitted"),
            statements::figures.eq(s.figures),
            statements::content_hash.eq(s.content_hash),
            statements::submitted_by.eq(s.submitted_by),
            statements::submitted_at.eq(s.submitted_at),
            statements::second_reason.eq(s.second_reason),
        ))
        .returning(statements::id)
        .get_result(conn)?)
}

/// Moves a statement on from `from`; 0 rows when someone else moved it first.
pub fn set_state(conn: &mut DbConn, id: i64, from: &str, to: &str) -> Result<usize, DbError> {
    Ok(diesel::update(
        statements::table.filter(statements::id.eq(id).and(statements::state.eq(from))),
    )
    .set(statements::state.eq(to))
    .execute(conn)?)
}

/// New figures after an answer, while queried (refused by the database
/// once signed).
pub fn refresh_figures(
    conn: &mut DbConn,
    id: i64,
    figures: &str,
    hash: &str,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        statements::table.filter(statements::id.eq(id).and(statements::state.eq("queried"))),
    )
    .set((
        statements::figures.eq(figures),
        statements::content_hash.eq(hash),
    ))
    .execute(conn)?)
}

/// The chair's signature; `second_reason` set when another must sign too.
pub fn sign(
    conn: &mut DbConn,
    id: i64,
    by: Option<i64>,
    name: &str,
    second_reason: Option<&str>,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    let to = if second_reason.is_some() {
        "chair_signed"
    } else {
        "disclosed"
    };
    Ok(diesel::update(
        statements::table.filter(statements::id.eq(id).and(statements::state.eq("submitted"))),
    )
    .set((
        statements::state.eq(to),
        statements::signed_by.eq(by),
        statements::signed_by_name.eq(name),
        statements::signed_at.eq(at),
        statements::second_reason.eq(second_reason),
        statements::disclosed_at.eq(second_reason.is_none().then_some(at)),
    ))
    .execute(conn)?)
}

pub fn second_sign(
    conn: &mut DbConn,
    id: i64,
    by: Option<i64>,
    name: &str,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        statements::table.filter(
            statements::id
                .eq(id)
                .and(statements::state.eq("chair_signed")),
        ),
    )
    .set((
        statements::state.eq("disclosed"),
        statements::second_signed_by.eq(by),
        statements::second_signed_by_name.eq(name),
        statements::second_signed_at.eq(at),
        statements::disclosed_at.eq(at),
    ))
    .execute(conn)?)
}

pub fn statement(conn: &mut DbConn, id: i64) -> Result<StatementRow, DbError> {
    Ok(statements::table
        .filter(statements::id.eq(id))
        .first(conn)?)
}

#[derive(Queryable, Debug)]
pub struct NoteRow {
    pub statement_id: i64,
    pub kind: String,
    pub body: String,
    pub person_name: String,
    pub content_hash: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn notes_of(conn: &mut DbConn, statement_ids: &[i64]) -> Result<Vec<NoteRow>, DbError> {
    Ok(statement_notes::table
        .filter(statement_notes::statement_id.eq_any(statement_ids))
        .select((
            statement_notes::statement_id,
            statement_notes::kind,
            statement_notes::body,
            statement_notes::person_name,
            statement_notes::content_hash,
            statement_notes::created_at,
        ))
        .order(statement_notes::id)
        .load(conn)?)
}

pub fn insert_note(
    conn: &mut DbConn,
    statement: i64,
    kind: &str,
    body: &str,
    by: (Option<i64>, &str),
    content_hash: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(statement_notes::table)
        .values((
            statement_notes::statement_id.eq(statement),
            statement_notes::kind.eq(kind),
            statement_notes::body.eq(body),
            statement_notes::person_id.eq(by.0),
            statement_notes::person_name.eq(by.1),
            statement_notes::content_hash.eq(content_hash),
            statement_notes::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

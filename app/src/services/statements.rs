//! Monthly accounts: expenses and common-area income, the statement's
//! figures built from the ledger's sources, the review (submit, query,
//! answer, sign, second signature) and disclosure, corrections as new
//! versions. Callers have been authorized for the estate already; who among
//! the committee may sign is decided here.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use super::mail::{self, Notification};
use crate::db::statements::{self as db, StatementRow};
use crate::db::{DbConn, billing as billing_db, orders as orders_db, write_tx};
use crate::domain::access::{Action, Caller, EstateId, PersonId, Role, Scope, authorize};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::billing::{BillLineKind, BillMonth};
use crate::domain::contracts::Percent;
use crate::domain::data_url::{DataUrl, PhotoError};
use crate::domain::mail::MailContent;
use crate::domain::org::CompanyId;
use crate::domain::roster::Post;
use crate::domain::statements::{
    AccountsOverview, DisclosedItem, Disclosures, EntryLine, ExpenseCategory, ExpenseId,
    ExpenseLine, ExpenseView, FeeItem, IncomeLine, MonthRow, MonthTotals, NoteKind, Period,
    ReviewNote, ReviewStep, SavingLine, SplitRule, StatementFigures, StatementId, StatementPage,
    StatementRecord, StatementRights, StatementState, WorkDone, review, roll_up,
    second_signer_reason, split,
};
use crate::domain::time::{china_date, from_china};
use crate::domain::{LocalizedName, Money};
use crate::error::AppError;
use crate::i18n::Key;

/// Longest description, source or note.
const MAX_TEXT: usize = 500;
/// Months on the accounts page.
const MONTHS_SHOWN: usize = 12;

fn text(field: &str, input: &str) -> Result<String, AppError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(AppError::invalid(field, Key::AccountsErrorTextRequired));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(field, Key::AccountsErrorTextLong));
    }
    Ok(t.to_owned())
}

fn parse_month(input: &str) -> Result<BillMonth, AppError> {
    BillMonth::parse(input).ok_or_else(|| AppError::invalid("month", Key::BillingErrorMonth))
}

fn amount(input: &str) -> Result<Money, AppError> {
    Money::parse(input)
        .ok()
        .filter(|m| m.fen() > 0)
        .ok_or_else(|| AppError::invalid("amount", Key::BillingErrorAmount))
}

/// A date the person typed: not in the future, not before 2000.
fn past_date(field: &str, input: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d <= today && d.year() >= 2000)
        .ok_or_else(|| AppError::invalid(field, Key::AccountsErrorDate))
}

/// The UTC instants a China-local month starts and ends at.
fn month_instants(month: BillMonth) -> (NaiveDateTime, NaiveDateTime) {
    let local = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    (
        from_china(local(month.first_day())),
        from_china(local(month.next().first_day())),
    )
}

pub fn content_hash(figures_json: &str) -> String {
    super::passwords::sha256_hex(figures_json.as_bytes())
}

/// Statements whose frozen figures no longer match the hash recorded when
/// they were submitted (none, unless the database was altered behind the
/// app): checked after a restore.
pub fn altered_statements(conn: &mut DbConn) -> Result<Vec<StatementId>, AppError> {
    Ok(db::all_hashes(conn)?
        .into_iter()
        .filter(|(_, figures, hash)| content_hash(figures) != *hash)
        .map(|(id, ..)| StatementId(id))
        .collect())
}

/// The estate's company, or not found (an estate nobody runs has no accounts).
fn company_of(conn: &mut DbConn, estate: EstateId) -> Result<(i64, db::EstateFacts), AppError> {
    let facts = db::estate_facts(conn, estate.0)?;
    let company = facts.0.ok_or(AppError::NotFound)?;
    Ok((company, facts))
}

/// Builds the month's figures from the bills, payments, expenses, orders and
/// entries behind them.
pub fn figures(
    conn: &mut DbConn,
    estate: EstateId,
    month: BillMonth,
) -> Result<StatementFigures, AppError> {
    let (_, (_, zh, en, company_name)) = company_of(conn, estate)?;
    let code = month.code();
    let (from, until) = month_instants(month);
    let local = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    let (slot_from, slot_until) = (local(month.first_day()), local(month.next().first_day()));

    let income = db::billed_by_kind(conn, estate.0, &code)?
        .into_iter()
        .filter_map(|(kind, fen)| {
            Some(IncomeLine {
                kind: BillLineKind::from_code(&kind)?,
                billed: Money::from_fen(fen),
            })
        })
        .collect();
    let expenses = db::expenses_by_category(conn, estate.0, &code)?
        .into_iter()
        .filter_map(|(category, fen)| {
            Some(ExpenseLine {
                category: ExpenseCategory::from_code(&category)?,
                amount: Money::from_fen(fen),
            })
        })
        .collect();
    let owed = db::owed_by_household(conn, estate.0, &code)?;
    let arrears: i64 = owed.values().filter(|f| **f > 0).sum();
    let households_in_arrears = owed.values().filter(|f| **f > 0).count() as i64;

    let mut work = WorkDone::default();
    let mut staff = BTreeSet::new();
    for (plan, state, stars, name) in db::orders_between(conn, estate.0, slot_from, slot_until)? {
        let finished = matches!(state.as_str(), "done" | "confirmed" | "resolved");
        match (plan, finished) {
            (true, true) => work.visits_done += 1,
            (false, true) => work.orders_done += 1,
            _ => {}
        }
        if plan && state != "cancelled" {
            work.visits_planned += 1;
        }
        if let Some(s) = stars {
            work.ratings += 1;
            work.stars += s;
        }
        if finished && let Some(n) = name {
            staff.insert(n);
        }
    }
    (work.complaints, work.complaints_answered) =
        db::complaints_between(conn, estate.0, from, until)?;

    let savings = db::billed_against_market(conn, estate.0, &code)?
        .into_iter()
        .map(|(zh, en, billed, market)| SavingLine {
            name: LocalizedName::new(zh, en),
            billed: Money::from_fen(billed),
            market: Money::from_fen(market),
        })
        .collect();
    let contract = db::contract_in_force(conn, estate.0, month.first_day())?;
    let commission = contract
        .as_ref()
        .filter(|c| c.1 == "commission")
        .and_then(|c| c.2)
        .map(Percent::from_basis_points);
    let fee_items = match &contract {
        Some((id, ..)) => db::fee_items(conn, *id, month.first_day())?
            .into_iter()
            .map(|(zh, en, basis, price, market)| FeeItem {
                name: LocalizedName::new(zh, en),
                basis,
                price: Money::from_fen(price),
                market: Money::from_fen(market),
            })
            .collect(),
        None => vec![],
    };
    let maintenance_fund = db::expenses_of(conn, estate.0, &code)?
        .into_iter()
        .filter(|e| e.category == ExpenseCategory::MaintenanceFund.code())
        .map(|e| EntryLine {
            on: e.spent_on,
            description: e.description,
            amount: Money::from_fen(e.share_fen),
        })
        .collect();
    let common_income = common_income_of(conn, estate, &code)?;
    Ok(StatementFigures {
        estate: LocalizedName::new(zh, en),
        company: company_name
            .map(|(zh, en)| LocalizedName::new(zh, en))
            .unwrap_or_else(|| LocalizedName::new("", "")),
        month,
        households: db::household_count(conn, estate.0)?,
        commission,
        income,
        collected: db::payments_between(conn, estate.0, from, until)?
            .into_iter()
            .map(|(_, fen)| Money::from_fen(fen))
            .sum(),
        paid_on_month_bills: Money::from_fen(db::paid_on_bills_of(conn, estate.0, &code)?),
        expenses,
        arrears: Money::from_fen(arrears),
        households_in_arrears,
        work,
        savings,
        fee_items,
        staff: staff.into_iter().collect(),
        maintenance_fund,
        common_income,
    })
}

fn common_income_of(
    conn: &mut DbConn,
    estate: EstateId,
    code: &str,
) -> Result<Vec<EntryLine>, AppError> {
    Ok(db::common_incomes_of(conn, estate.0, code)?
        .into_iter()
        .map(|(on, description, fen)| EntryLine {
            on,
            description,
            amount: Money::from_fen(fen),
        })
        .collect())
}

// ----- expenses and income -----

/// What the manager's expense form sends.
pub struct ExpenseForm {
    pub spent_on: String,
    pub category: String,
    pub description: String,
    pub amount: String,
    pub rule: String,
    /// The estates to spread over (the page's estate alone for `single`).
    pub estates: Vec<i64>,
    /// The receipt photo as a `data:` URL, or empty.
    pub photo: String,
}

pub fn record_expense(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    form: &ExpenseForm,
    now: NaiveDateTime,
) -> Result<ExpenseId, AppError> {
    let spent_on = past_date("spent_on", &form.spent_on, china_date(now))?;
    let category = ExpenseCategory::from_code(&form.category)
        .ok_or_else(|| AppError::invalid("category", Key::AccountsErrorCategory))?;
    let description = text("description", &form.description)?;
    let total = amount(&form.amount)?;
    let rule = SplitRule::from_code(&form.rule)
        .ok_or_else(|| AppError::invalid("rule", Key::AccountsErrorRule))?;
    let photo = match form.photo.trim() {
        "" => None,
        url => Some(DataUrl::parse_photo(url).map_err(|e| {
            AppError::invalid(
                "photo",
                match e {
                    PhotoError::NotAPicture => Key::AccountsErrorPhoto,
                    PhotoError::TooLarge => Key::AccountsErrorPhotoTooLarge,
                },
            )
        })?),
    };
    let (company, _) = company_of(conn, estate)?;
    let theirs = db::estates_of_company(conn, company)?;
    let chosen: Vec<&db::EstateSize> = match rule {
        SplitRule::Single => theirs.iter().filter(|e| e.id == estate.0).collect(),
        _ => theirs
            .iter()
            .filter(|e| form.estates.contains(&e.id))
            .collect(),
    };
    // Every estate named must be one of the company's.
    if rule != SplitRule::Single && chosen.len() != form.estates.len() {
        return Err(AppError::invalid("estates", Key::AccountsErrorEstates));
    }
    let weights: Vec<(EstateId, i64)> = chosen
        .iter()
        .map(|e| {
            let w = match rule {
                SplitRule::Single => 1,
                SplitRule::Households => e.households,
                SplitRule::FloorArea => e.floor_area,
            };
            (EstateId(e.id), w)
        })
        .collect();
    let shares = split(total, &weights).map_err(|e| {
        AppError::invalid(
            "estates",
            match e {
                crate::domain::statements::SplitError::NothingToSplitBy => {
                    Key::AccountsErrorNothingToSplitBy
                }
                _ => Key::AccountsErrorEstates,
            },
        )
    })?;
    let shares: Vec<(i64, i64)> = shares.iter().map(|(e, m)| (e.0, m.fen())).collect();
    write_tx(conn, |conn| {
        let id = db::insert_expense(
            conn,
            &db::NewExpense {
                company_id: company,
                month: &BillMonth::of(spent_on).code(),
                spent_on,
                category: category.code(),
                description: &description,
                amount_fen: total.fen(),
                split_rule: rule.code(),
                photo: photo
                    .as_ref()
                    .map(|p| (p.mime.as_str(), p.bytes.as_slice())),
                recorded_by: Some(caller.person.0),
                recorded_at: now,
            },
            &shares,
        )?;
        let place = place_of(conn, Target::Company(CompanyId(company)), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Expense,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "spent_on": spent_on, "category": category.code(),
                    "description": description, "amount": total.to_string(),
                    "rule": rule.code(), "shares": shares,
                })),
                place: &place,
            },
            now,
        )?;
        Ok(ExpenseId(id))
    })
}

pub fn record_common_income(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    received_on: &str,
    source: &str,
    amount_in: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let received_on = past_date("received_on", received_on, china_date(now))?;
    let source = text("source", source)?;
    let total = amount(amount_in)?;
    let (company, _) = company_of(conn, estate)?;
    write_tx(conn, |conn| {
        let id = db::insert_common_income(
            conn,
            &db::NewCommonIncome {
                company_id: company,
                estate_id: estate.0,
                month: &BillMonth::of(received_on).code(),
                received_on,
                source: &source,
                amount_fen: total.fen(),
                recorded_by: Some(caller.person.0),
                recorded_at: now,
            },
        )?;
        let place = place_of(conn, Target::Estate(estate), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::CommonIncome,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "received_on": received_on, "source": source, "amount": total.to_string(),
                })),
                place: &place,
            },
            now,
        )?;
        Ok(())
    })
}

/// An expense's receipt photo as a `data:` URL, for one of the estates it
/// is charged to.
pub fn expense_photo(
    conn: &mut DbConn,
    estate: EstateId,
    expense: ExpenseId,
) -> Result<String, AppError> {
    if !db::expense_shared_by(conn, expense.0, estate.0)? {
        return Err(AppError::NotFound);
    }
    let (mime, bytes) = db::expense_photo(conn, expense.0)?.ok_or(AppError::NotFound)?;
    Ok(DataUrl { mime, bytes }.to_url())
}

// ----- the accounts page -----

/// The month a page opens on: the one asked for, else last month.
fn month_or_last(input: &str, now: NaiveDateTime) -> Result<BillMonth, AppError> {
    if input.trim().is_empty() {
        Ok(last_month(now))
    } else {
        parse_month(input)
    }
}

fn last_month(now: NaiveDateTime) -> BillMonth {
    BillMonth::of(china_date(now)).prev()
}

pub fn accounts(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    month: &str,
    now: NaiveDateTime,
) -> Result<AccountsOverview, AppError> {
    let month = month_or_last(month, now)?;
    let (company, (_, zh, en, _)) = company_of(conn, estate)?;
    // Up to this month, whose expenses are being recorded now.
    let last = BillMonth::of(china_date(now));
    let mut months = vec![last];
    while months.len() < MONTHS_SHOWN {
        months.insert(0, months[0].prev());
    }
    let (first_code, last_code) = (months[0].code(), last.code());
    let mut totals: BTreeMap<BillMonth, MonthTotals> = months
        .iter()
        .map(|m| {
            (
                *m,
                MonthTotals {
                    label: m.code(),
                    ..MonthTotals::default()
                },
            )
        })
        .collect();
    for (code, billed, paid, saving) in
        db::billed_by_month(conn, estate.0, &first_code, &last_code)?
    {
        if let Some(t) = BillMonth::parse(&code).and_then(|m| totals.get_mut(&m)) {
            t.billed = Money::from_fen(billed);
            t.paid_on_bills = Money::from_fen(paid);
            t.saving = Money::from_fen(saving);
        }
    }
    let (from, _) = month_instants(months[0]);
    let (_, until) = month_instants(last);
    for (at, fen) in db::payments_between(conn, estate.0, from, until)? {
        if let Some(t) = totals.get_mut(&BillMonth::of(china_date(at))) {
            t.collected = t.collected + Money::from_fen(fen);
        }
    }
    for (code, fen) in db::running_costs_by_month(conn, estate.0, &first_code, &last_code)? {
        if let Some(t) = BillMonth::parse(&code).and_then(|m| totals.get_mut(&m)) {
            t.expenses = Money::from_fen(fen);
        }
    }
    let states = db::latest_states(conn, estate.0)?;
    let mut series: Vec<(BillMonth, MonthTotals)> = totals.into_iter().collect();
    // Months before the estate had any accounts (before the takeover) are noise.
    let first_used = series
        .iter()
        .position(|(m, t)| {
            *t != MonthTotals {
                label: m.code(),
                ..MonthTotals::default()
            } || states.contains_key(&m.code())
        })
        .unwrap_or(series.len().saturating_sub(1));
    series.drain(..first_used);
    let rows = series
        .iter()
        .map(|(m, t)| {
            let latest = states.get(&m.code());
            MonthRow {
                month: *m,
                totals: t.clone(),
                state: latest.and_then(|(s, _)| StatementState::from_code(s)),
                version: latest.map(|(_, v)| *v),
            }
        })
        .collect();

    let code = month.code();
    let expense_rows = db::expenses_of(conn, estate.0, &code)?;
    let ids: Vec<i64> = expense_rows.iter().map(|e| e.id).collect();
    let mut sharers: BTreeMap<i64, Vec<LocalizedName>> = BTreeMap::new();
    for (id, zh, en) in db::sharers(conn, &ids, estate.0)? {
        sharers
            .entry(id)
            .or_default()
            .push(LocalizedName::new(zh, en));
    }
    let expenses = expense_rows
        .into_iter()
        .filter_map(|e| {
            Some(ExpenseView {
                id: ExpenseId(e.id),
                spent_on: e.spent_on,
                category: ExpenseCategory::from_code(&e.category)?,
                description: e.description,
                amount: Money::from_fen(e.amount_fen),
                share: Money::from_fen(e.share_fen),
                rule: SplitRule::from_code(&e.split_rule)?,
                shared_with: sharers.remove(&e.id).unwrap_or_default(),
                has_photo: e.has_photo,
            })
        })
        .collect();
    let common_income = common_income_of(conn, estate, &code)?;
    let place = place_of(conn, Target::Estate(estate), Some(caller))?;
    let can_record = authorize(Some(caller), Action::RecordExpenses, &place).is_ok();
    let estates = if can_record {
        db::estates_of_company(conn, company)?
            .into_iter()
            .map(|e| (EstateId(e.id), LocalizedName::new(e.name, e.name_en)))
            .collect()
    } else {
        vec![]
    };
    Ok(AccountsOverview {
        estate,
        estate_name: LocalizedName::new(zh, en),
        quarters: roll_up(&series, Period::Quarter),
        years: roll_up(&series, Period::Year),
        months: rows,
        month,
        expenses,
        common_income,
        estates,
        can_record,
    })
}

// ----- the statement and its review -----

/// Who the caller is to this estate's committee.
struct Reviewer {
    /// The sitting chair's name, and their person if they have an account.
    chair: Option<(Option<i64>, String)>,
    caller_is_chair: bool,
    /// May give the second signature: another sitting member with an
    /// account and no company post, or the street Party working committee.
    caller_may_second: bool,
    /// The chair's company post, making a second signature necessary.
    chair_post: Option<String>,
}

fn posts_of(conn: &mut DbConn, person: i64) -> Result<Vec<Post>, AppError> {
    Ok(crate::db::roster::posts_of_person(conn, person)?
        .into_iter()
        .filter_map(super::roster::post_of_row)
        .map(|(_, _, post)| post)
        .collect())
}

/// The sitting chair among the members: their person, if any, and name.
pub(crate) fn chair_of(members: &[db::Member]) -> Option<(Option<i64>, String)> {
    members
        .iter()
        .find(|m| m.2 == "chair")
        .map(|m| (m.0, m.1.clone()))
}

/// The post `person` holds on `day` at the company the committee oversees,
/// as the statement shows it ("文汇社区城市服务公司 副经理").
fn company_post_of(
    conn: &mut DbConn,
    person: i64,
    company: i64,
    day: NaiveDate,
) -> Result<Option<String>, AppError> {
    let posts = posts_of(conn, person)?;
    Ok(second_signer_reason(&posts, CompanyId(company), day)
        .map(|p| format!("{} {}", p.signboard_name.zh, p.title)))
}

/// The sitting chair's company post now, if any: recorded with a statement
/// when it is submitted, so that ending the post afterwards cannot spare
/// that statement its second signature.
fn chair_company_post(
    conn: &mut DbConn,
    estate: EstateId,
    company: i64,
    day: NaiveDate,
) -> Result<Option<String>, AppError> {
    let members = db::sitting_members(conn, estate.0)?;
    match chair_of(&members).and_then(|c| c.0) {
        Some(person) => company_post_of(conn, person, company, day),
        None => Ok(None),
    }
}

fn reviewer(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    company: i64,
    today: NaiveDate,
) -> Result<Reviewer, AppError> {
    let members = db::sitting_members(conn, estate.0)?;
    let chair = chair_of(&members);
    let company_post =
        |conn: &mut DbConn, person: i64| company_post_of(conn, person, company, today);
    let chair_post = match chair.as_ref().and_then(|c| c.0) {
        Some(person) => company_post(conn, person)?,
        None => None,
    };
    let role = caller.role();
    let caller_is_chair =
        role == Some(Role::Committee) && chair.as_ref().and_then(|c| c.0) == Some(caller.person.0);
    let street_party = matches!(
        caller.grant.as_ref().map(|g| (g.role, g.scope)),
        Some((Role::Party, Scope::Street(_)))
    );
    let other_member = role == Some(Role::Committee)
        && !caller_is_chair
        && members.iter().any(|m| m.0 == Some(caller.person.0));
    let caller_may_second =
        street_party || (other_member && company_post(conn, caller.person.0)?.is_none());
    Ok(Reviewer {
        chair,
        caller_is_chair,
        caller_may_second,
        chair_post,
    })
}

fn record_of(
    conn: &mut DbConn,
    rows: &[StatementRow],
    with_notes: bool,
) -> Result<Vec<StatementRecord>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let people: Vec<i64> = rows.iter().filter_map(|r| r.submitted_by).collect();
    let names = billing_db::person_names(conn, &people)?;
    let mut notes: BTreeMap<i64, Vec<ReviewNote>> = BTreeMap::new();
    for n in db::notes_of(conn, &ids)? {
        let Some(kind) = NoteKind::from_code(&n.kind) else {
            continue;
        };
        if with_notes || kind == NoteKind::Correction {
            notes.entry(n.statement_id).or_default().push(ReviewNote {
                kind,
                body: n.body,
                by: n.person_name,
                at: n.created_at,
                content_hash: n.content_hash,
            });
        }
    }
    rows.iter()
        .map(|r| {
            let figures: StatementFigures = serde_json::from_str(&r.figures).map_err(|e| {
                tracing::error!(statement = r.id, error = %e, "stored figures unreadable");
                AppError::Internal
            })?;
            Ok(StatementRecord {
                id: StatementId(r.id),
                version: r.version,
                corrects: r.corrects_id.map(StatementId),
                corrected_by: rows
                    .iter()
                    .find(|o| o.corrects_id == Some(r.id))
                    .map(|o| o.version),
                state: StatementState::from_code(&r.state).ok_or(AppError::Internal)?,
                hash_verified: content_hash(&r.figures) == r.content_hash,
                figures,
                content_hash: r.content_hash.clone(),
                submitted_by: r
                    .submitted_by
                    .and_then(|p| names.get(&p).cloned())
                    .unwrap_or_default(),
                submitted_at: r.submitted_at,
                signed_by: r.signed_by_name.clone(),
                signed_at: r.signed_at,
                second_reason: r.second_reason.clone(),
                second_signed_by: r.second_signed_by_name.clone(),
                second_signed_at: r.second_signed_at,
                disclosed_at: r.disclosed_at,
                notes: notes.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// One month of one estate. Those who review or run the accounts see every
/// version, the thread and the live draft; residents see disclosed versions.
pub fn page(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    month: &str,
    now: NaiveDateTime,
) -> Result<StatementPage, AppError> {
    let month = month_or_last(month, now)?;
    let (company, (_, zh, en, _)) = company_of(conn, estate)?;
    let place = place_of(conn, Target::Estate(estate), Some(caller))?;
    let insider = authorize(Some(caller), Action::ViewAccounts, &place).is_ok();
    let may_submit = authorize(Some(caller), Action::SubmitStatements, &place).is_ok();
    let may_review = authorize(Some(caller), Action::ReviewStatements, &place).is_ok();
    let mut rows = db::versions(conn, estate.0, &month.code())?;
    if !insider {
        rows.retain(|r| r.state == StatementState::Disclosed.code());
    }
    let versions = record_of(conn, &rows, insider)?;
    let latest = versions.first().map(|v| v.state);
    let complete = month < BillMonth::of(china_date(now));
    let r = if insider {
        Some(reviewer(conn, caller, estate, company, china_date(now))?)
    } else {
        None
    };
    let rights = match &r {
        Some(r) => StatementRights {
            submit: may_submit && latest.is_none() && complete,
            correct: may_submit && latest == Some(StatementState::Disclosed),
            answer: may_submit && latest == Some(StatementState::Queried),
            query: may_review
                && r.caller_is_chair
                && matches!(
                    latest,
                    Some(StatementState::Submitted | StatementState::Queried)
                ),
            sign: may_review && r.caller_is_chair && latest == Some(StatementState::Submitted),
            second_sign: may_review
                && r.caller_may_second
                && latest == Some(StatementState::ChairSigned),
        },
        None => StatementRights::default(),
    };
    let draft = if insider && latest.is_none_or(StatementState::is_signed) {
        Some(figures(conn, estate, month)?)
    } else {
        None
    };
    Ok(StatementPage {
        estate,
        estate_name: LocalizedName::new(zh, en),
        month,
        draft,
        versions,
        rights,
        insider,
        chair: r
            .as_ref()
            .and_then(|r| r.chair.as_ref().map(|c| c.1.clone())),
        chair_post: r.and_then(|r| r.chair_post),
    })
}

pub(crate) fn freeze(
    conn: &mut DbConn,
    estate: EstateId,
    month: BillMonth,
) -> Result<(String, String), AppError> {
    let figures = figures(conn, estate, month)?;
    let json = serde_json::to_string(&figures).map_err(|_| AppError::Internal)?;
    let hash = content_hash(&json);
    Ok((json, hash))
}

fn audit_statement(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    estate: EstateId,
    action: AuditAction,
    after: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let place = place_of(conn, Target::Estate(estate), Some(caller))?;
    audit::record(
        conn,
        Change {
            by: Some(caller.person),
            entity: AuditEntity::Statement,
            entity_id: id,
            action,
            before: None,
            after: Some(after),
            place: &place,
        },
        now,
    )
}

/// Submits the month's figures for review (first version), or, with a
/// reason, a correction of a signed statement as the next version.
pub fn submit(
    conn: &mut DbConn,
    site_url: &str,
    caller: &Caller,
    estate: EstateId,
    month: &str,
    correction_reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<StatementId, AppError> {
    let month = parse_month(month)?;
    if month >= BillMonth::of(china_date(now)) {
        return Err(AppError::invalid("month", Key::AccountsErrorMonthOpen));
    }
    let reason = correction_reason.map(|r| text("reason", r)).transpose()?;
    let (company, _) = company_of(conn, estate)?;
    write_tx(conn, |conn| {
        billing_db::lock_company(conn, company)?;
        let latest = db::versions(conn, estate.0, &month.code())?
            .into_iter()
            .next();
        // Corrected once it is out: a statement awaiting its second
        // signature is finished first.
        let disclosed = latest
            .as_ref()
            .is_some_and(|l| l.state == StatementState::Disclosed.code());
        let (version, corrects) = match (&latest, &reason) {
            (None, None) => (1, None),
            (Some(l), Some(_)) if disclosed => (l.version + 1, Some(l.id)),
            (Some(_), None) => return Err(AppError::Conflict(Key::AccountsErrorAlreadySubmitted)),
            _ => return Err(AppError::Conflict(Key::AccountsErrorNotSigned)),
        };
        let (json, hash) = freeze(conn, estate, month)?;
        let chair_post = chair_company_post(conn, estate, company, china_date(now))?;
        let id = db::insert_statement(
            conn,
            &db::NewStatement {
                company_id: company,
                estate_id: estate.0,
                month: &month.code(),
                version,
                corrects_id: corrects,
                figures: &json,
                content_hash: &hash,
                submitted_by: Some(caller.person.0),
                submitted_at: now,
                second_reason: chair_post.as_deref(),
            },
        )?;
        if let Some(reason) = &reason {
            db::insert_note(
                conn,
                id,
                NoteKind::Correction.code(),
                reason,
                (Some(caller.person.0), &caller.name),
                None,
                now,
            )?;
        }
        audit_statement(
            conn,
            caller,
            id,
            estate,
            AuditAction::Create,
            json!({ "month": month.code(), "version": version, "hash": hash, "reason": reason }),
            now,
        )?;
        notify_chair(conn, site_url, company, estate, month, now)?;
        Ok(StatementId(id))
    })
}

/// Tells the sitting chair (if they have an account and an address) that a
/// statement awaits their review.
fn notify_chair(
    conn: &mut DbConn,
    site_url: &str,
    company: i64,
    estate: EstateId,
    month: BillMonth,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let Some(person) = chair_of(&db::sitting_members(conn, estate.0)?).and_then(|c| c.0) else {
        return Ok(());
    };
    let (_, name, ..) = db::estate_facts(conn, estate.0)?;
    mail::enqueue(
        conn,
        site_url,
        &Notification {
            person: PersonId(person),
            company: Some(CompanyId(company)),
            content: MailContent::StatementReady {
                estate: name,
                month: month.code(),
            },
        },
        now,
    )?;
    Ok(())
}

/// Tells the estate's residents with an account that the month is disclosed.
fn notify_residents(
    conn: &mut DbConn,
    site_url: &str,
    row: &StatementRow,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let households: Vec<i64> = crate::db::estates::households_of_estate(conn, row.estate_id)?
        .into_iter()
        .map(|h| h.id)
        .collect();
    let (_, name, ..) = db::estate_facts(conn, row.estate_id)?;
    let mut people: Vec<i64> = orders_db::people_of_households(conn, &households)?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    people.sort_unstable();
    people.dedup();
    for person in people {
        mail::enqueue(
            conn,
            site_url,
            &Notification {
                person: PersonId(person),
                company: Some(CompanyId(row.company_id)),
                content: MailContent::StatementDisclosed {
                    estate: name.clone(),
                    month: row.month.clone(),
                },
            },
            now,
        )?;
    }
    Ok(())
}

/// The estate a stored statement is of, to authorize on.
pub fn statement_estate(conn: &mut DbConn, id: StatementId) -> Result<EstateId, AppError> {
    Ok(EstateId(db::statement(conn, id.0)?.estate_id))
}

/// One row changed, or someone else moved the statement first.
fn moved(rows: usize) -> Result<(), AppError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict(Key::AccountsErrorMoved))
    }
}

fn step_error(e: crate::domain::statements::ReviewError) -> AppError {
    use crate::domain::statements::ReviewError::*;
    AppError::Conflict(match e {
        QueryOpen => Key::AccountsErrorQueryOpen,
        NoQuery => Key::AccountsErrorNoQuery,
        AlreadySigned => Key::AccountsErrorAlreadySigned,
        NoSecondAwaited => Key::AccountsErrorNoSecond,
    })
}

/// A step of the review by the chair, the manager or a second signer.
pub fn review_step(
    conn: &mut DbConn,
    site_url: &str,
    caller: &Caller,
    statement: StatementId,
    step: ReviewStep,
    body: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = db::statement(conn, statement.0)?;
        billing_db::lock_company(conn, row.company_id)?;
        let row = db::statement(conn, statement.0)?;
        let estate = EstateId(row.estate_id);
        let state = StatementState::from_code(&row.state).ok_or(AppError::Internal)?;
        let who = reviewer(conn, caller, estate, row.company_id, china_date(now))?;
        let by = (Some(caller.person.0), caller.name.as_str());
        // Who may take the step is settled before what they typed; the
        // second signature is never the first signer's.
        let allowed = match step {
            ReviewStep::Query | ReviewStep::Sign { .. } => who.caller_is_chair,
            ReviewStep::Answer => caller.role() == Some(Role::Manager),
            ReviewStep::SecondSign => {
                who.caller_may_second && row.signed_by != Some(caller.person.0)
            }
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let body = match step {
            ReviewStep::Query | ReviewStep::Answer => Some(text("body", body)?),
            _ => None,
        };
        // A corrected version is history: only the latest is reviewed.
        if db::versions(conn, row.estate_id, &row.month)?
            .first()
            .is_some_and(|latest| latest.id != row.id)
        {
            return Err(AppError::Conflict(Key::AccountsErrorSuperseded));
        }
        match step {
            ReviewStep::Query => {
                let to = review(state, step).map_err(step_error)?;
                db::set_state(conn, row.id, state.code(), to.code())?;
                db::insert_note(
                    conn,
                    row.id,
                    "query",
                    body.as_deref().unwrap_or(""),
                    by,
                    None,
                    now,
                )?;
            }
            ReviewStep::Answer => {
                let to = review(state, step).map_err(step_error)?;
                let month = BillMonth::parse(&row.month).ok_or(AppError::Internal)?;
                let (json, hash) = freeze(conn, estate, month)?;
                let changed = hash != row.content_hash;
                if changed {
                    moved(db::refresh_figures(conn, row.id, &json, &hash)?)?;
                }
                moved(db::set_state(conn, row.id, state.code(), to.code())?)?;
                notify_chair(conn, site_url, row.company_id, estate, month, now)?;
                db::insert_note(
                    conn,
                    row.id,
                    "answer",
                    body.as_deref().unwrap_or(""),
                    by,
                    changed.then_some(hash.as_str()),
                    now,
                )?;
            }
            ReviewStep::Sign { .. } => {
                // The post the chair held when the statement was submitted
                // counts even if it has ended since; one taken up since
                // counts too.
                let reason = row.second_reason.clone().or_else(|| who.chair_post.clone());
                let needed = reason.is_some();
                review(
                    state,
                    ReviewStep::Sign {
                        second_signer_needed: needed,
                    },
                )
                .map_err(step_error)?;
                if db::sign(conn, row.id, by.0, by.1, reason.as_deref(), now)? == 0 {
                    return Err(AppError::Conflict(Key::AccountsErrorAlreadySigned));
                }
                if !needed {
                    notify_residents(conn, site_url, &row, now)?;
                }
            }
            ReviewStep::SecondSign => {
                review(state, step).map_err(step_error)?;
                if db::second_sign(conn, row.id, by.0, by.1, now)? == 0 {
                    return Err(AppError::Conflict(Key::AccountsErrorNoSecond));
                }
                notify_residents(conn, site_url, &row, now)?;
            }
        }
        audit_statement(
            conn,
            caller,
            row.id,
            estate,
            AuditAction::Update,
            json!({ "step": format!("{step:?}"), "body": body }),
            now,
        )
    })
}

/// The estate's notice board: every disclosed statement.
pub fn disclosures(conn: &mut DbConn, estate: EstateId) -> Result<Disclosures, AppError> {
    let (_, (_, zh, en, _)) = company_of(conn, estate)?;
    let rows = db::disclosed(conn, estate.0)?;
    let all_versions: Vec<(i64, Option<i64>, i64)> = rows
        .iter()
        .map(|r| (r.id, r.corrects_id, r.version))
        .collect();
    let items = rows
        .iter()
        .filter_map(|r| {
            Some(DisclosedItem {
                month: BillMonth::parse(&r.month)?,
                version: r.version,
                corrected_by: all_versions
                    .iter()
                    .find(|(_, corrects, _)| *corrects == Some(r.id))
                    .map(|v| v.2),
                disclosed_at: r.disclosed_at?,
            })
        })
        .collect();
    Ok(Disclosures {
        estate,
        estate_name: LocalizedName::new(zh, en),
        items,
    })
}

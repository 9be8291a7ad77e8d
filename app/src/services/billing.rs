//! Billing: the month's run (preview, then issue in chunks, each its own
//! transaction, so a crash keeps what was done and a rerun adds only what is
//! missing), payments with gapless receipt numbers, reversals, corrections,
//! the trial balance, arrears with reminders and the escalation ladder, and
//! CSV exports. Callers have been authorized for the company or household
//! already.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::json;

use super::AppState;
use super::access::{Target, place_of};
use super::audit::{self, Change};
use super::mail::{self, Notification};
use crate::db::accounts::household_label_of;
use crate::db::billing::{self as db, BillStanding};
use crate::db::{DbConn, orders as orders_db, write_tx};
use crate::domain::access::{Caller, EstateId, HouseholdId, PersonId, Role};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::billing::{
    Account, AdjustmentId, AgingBucket, AreaRate, ArrearsList, ArrearsRow, ArrearsStage, BillId,
    BillLine, BillLineKind, BillMonth, BillTerms, BillView, BillingOverview, EstatePreview,
    HouseholdAccount, HouseholdFacts, LineDraft, OpenBill, PaymentError, PaymentId, PaymentMethod,
    PaymentView, PendingAdjustment, Receipt, Recorded, RunPreview, RunState, RunStatus,
    TrialBalance, UnbilledCharge, allocate, balanced, bill_lines, bill_postings, payment_postings,
    receipt_number, reminder_due, total,
};
use crate::domain::contracts::{LateFee, Percent};
use crate::domain::estates::FloorArea;
use crate::domain::mail::MailContent;
use crate::domain::org::CompanyId;
use crate::domain::time::china_date;
use crate::domain::{LocalizedName, Money};
use crate::error::AppError;
use crate::i18n::Key;

/// Households per write transaction of a run.
pub const CHUNK: usize = 2_000;
/// Longest reason, reference or note.
const MAX_TEXT: usize = 200;

fn parse_month(input: &str) -> Result<BillMonth, AppError> {
    BillMonth::parse(input).ok_or_else(|| AppError::invalid("month", Key::BillingErrorMonth))
}

fn label(parts: &db::LabelParts) -> (String, String) {
    household_label_of(&parts.0, &parts.1, &parts.2, &parts.3, &parts.4)
}

/// "2栋1单元301": the household within its estate.
fn room(parts: &db::LabelParts) -> String {
    format!("{}{}{}", parts.2, parts.3, parts.4)
}

fn terms_of(
    conn: &mut DbConn,
    c: &db::BillableContract,
    month: BillMonth,
) -> Result<BillTerms, AppError> {
    let area_rates = db::area_rates(conn, c.id, month.first_day())?
        .into_iter()
        .map(|(zh, en, fen, market)| AreaRate {
            name: LocalizedName::new(zh, en),
            rate: Money::from_fen(fen),
            market: Money::from_fen(market),
        })
        .collect();
    let late_fee = match (c.late_fee_daily_bp, c.late_fee_cap_bp) {
        (Some(daily), Some(cap)) => Some(LateFee {
            daily: Percent::from_basis_points(daily),
            cap: Percent::from_basis_points(cap),
        }),
        _ => None,
    };
    Ok(BillTerms {
        contract: crate::domain::contracts::ContractId(c.id),
        area_rates,
        vacant_share: Percent::from_basis_points(c.vacant_fee_bp),
        late_fee,
    })
}

fn open_bill(s: &BillStanding) -> Option<OpenBill> {
    Some(OpenBill {
        id: BillId(s.bill.id),
        month: BillMonth::parse(&s.bill.month)?,
        due_on: s.bill.due_on,
        total: Money::from_fen(s.bill.total_fen),
        outstanding: Money::from_fen(s.outstanding_fen()),
        late_fees_billed: Money::from_fen(s.late_fees_billed_fen),
        own_late_fees: Money::from_fen(s.own_late_fees_fen),
    })
}

/// The bills of a chunk of households not yet billed for the contract and
/// month: (household, lines).
fn draft_chunk(
    conn: &mut DbConn,
    company: CompanyId,
    terms: &BillTerms,
    month: BillMonth,
    households: &[&crate::db::estates::HouseholdLineRow],
    on: NaiveDate,
) -> Result<Vec<(i64, Vec<LineDraft>)>, AppError> {
    let ids: Vec<i64> = households.iter().map(|h| h.id).collect();
    let mut facts: BTreeMap<i64, HouseholdFacts> = households
        .iter()
        .map(|h| {
            (
                h.id,
                HouseholdFacts {
                    household: HouseholdId(h.id),
                    floor_area: h.floor_area.map(FloorArea::from_hundredths),
                    vacant: h.vacant,
                    charges: vec![],
                    adjustments: vec![],
                    open_bills: vec![],
                },
            )
        })
        .collect();
    for c in db::unbilled_charges(conn, company.0, &ids, month.last_day())? {
        let kind = if c.kind == "cancellation" {
            BillLineKind::Cancellation
        } else {
            BillLineKind::Service
        };
        let market = if kind == BillLineKind::Service {
            Money::from_fen(c.order_market_fen.saturating_mul(c.order_quantity))
        } else {
            Money::from_fen(c.amount_fen)
        };
        if let Some(f) = facts.get_mut(&c.household_id) {
            f.charges.push(UnbilledCharge {
                charge: c.id,
                kind,
                name: LocalizedName::new(c.name, c.name_en),
                service_on: c.service_on,
                amount: Money::from_fen(c.amount_fen),
                market,
            });
        }
    }
    for (id, household, fen, reason) in db::pending_adjustments(conn, company.0, &ids)? {
        if let Some(f) = facts.get_mut(&household) {
            f.adjustments.push(PendingAdjustment {
                id: AdjustmentId(id),
                amount: Money::from_fen(fen),
                reason,
            });
        }
    }
    if terms.late_fee.is_some() {
        for s in db::standings(conn, Some(&ids), Some(company.0), None)? {
            if s.outstanding_fen() > 0
                && let (Some(b), Some(f)) = (open_bill(&s), facts.get_mut(&s.bill.household_id))
            {
                f.open_bills.push(b);
            }
        }
    }
    facts
        .into_values()
        .map(|f| {
            let lines = bill_lines(terms, &f, on)
                .map_err(|_| AppError::invalid("month", Key::BillingErrorAmount))?;
            Ok((f.household.0, lines))
        })
        .collect()
}

/// What the month's run would issue, per estate.
pub fn preview(
    conn: &mut DbConn,
    company: CompanyId,
    month: &str,
    now: NaiveDateTime,
) -> Result<RunPreview, AppError> {
    let month = parse_month(month)?;
    let on = china_date(now);
    let mut estates: Vec<EstatePreview> = Vec::new();
    for c in db::billable_contracts(conn, company.0, month.first_day())? {
        let terms = terms_of(conn, &c, month)?;
        let households = crate::db::estates::households_of_estate(conn, c.estate_id)?;
        let ids: Vec<i64> = households.iter().map(|h| h.id).collect();
        let billed = db::billed_among(conn, c.id, &month.code(), &ids)?;
        let missing_area = households.iter().filter(|h| h.floor_area.is_none()).count();
        let to_bill: Vec<_> = households
            .iter()
            .filter(|h| !billed.contains(&h.id))
            .collect();
        let mut sum = Money::ZERO;
        for chunk in to_bill.chunks(CHUNK) {
            for (_, lines) in draft_chunk(conn, company, &terms, month, chunk, on)? {
                sum = sum + total(&lines);
            }
        }
        estates.push(EstatePreview {
            estate: EstateId(c.estate_id),
            name: LocalizedName::new(c.estate_name, c.estate_name_en),
            households: count(households.len()),
            billed: count(billed.len()),
            missing_area: count(missing_area),
            total: sum,
        });
    }
    Ok(RunPreview {
        company,
        month,
        total: estates.iter().map(|e| e.total).sum(),
        to_issue: estates.iter().map(|e| e.households - e.billed).sum(),
        estates,
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    pub households: u32,
    pub issued: u32,
    pub total: Money,
}

/// A run begun: what it will go through.
pub struct RunPlan {
    company: CompanyId,
    month: BillMonth,
    work: Vec<(
        db::BillableContract,
        Vec<crate::db::estates::HouseholdLineRow>,
    )>,
    all: u32,
    /// Households per write transaction.
    pub chunk: usize,
    /// Mail each household its bill (the demo's history does not).
    pub notify: bool,
}

/// How long a run may show "running" before another may start anyway (the
/// first one is taken to have died).
const STALE_RUN_MINUTES: i64 = 10;

/// Starts the month's run: checks the month, finds the households and marks
/// the run as running. Refused while another run of the month is going,
/// unless `even_if_running` (the operator's command line, after a crash).
pub fn begin_run(
    conn: &mut DbConn,
    company: CompanyId,
    month: &str,
    by: Option<PersonId>,
    now: NaiveDateTime,
    even_if_running: bool,
) -> Result<RunPlan, AppError> {
    let month = parse_month(month)?;
    let code = month.code();
    if month > BillMonth::of(china_date(now)) {
        return Err(AppError::invalid("month", Key::BillingErrorFutureMonth));
    }
    let contracts = db::billable_contracts(conn, company.0, month.first_day())?;
    let mut work = Vec::new();
    for c in contracts {
        let households = crate::db::estates::households_of_estate(conn, c.estate_id)?;
        work.push((c, households));
    }
    let all = count(work.iter().map(|(_, h)| h.len()).sum());
    write_tx(conn, |conn| {
        // Under the company's lock: two managers pressing at once start one run.
        db::lock_company(conn, company.0)?;
        if !even_if_running
            && let Some(r) = db::run(conn, company.0, &code)?
            && r.state == RunState::Running.code()
            && now - r.started_at < chrono::Duration::minutes(STALE_RUN_MINUTES)
        {
            return Err(AppError::Conflict(Key::BillingErrorRunning));
        }
        db::start_run(conn, company.0, &code, i64::from(all), by.map(|p| p.0), now)?;
        let place = place_of(conn, Target::Company(company), None)?;
        audit::record(
            conn,
            Change {
                by,
                entity: AuditEntity::BillRun,
                entity_id: company.0,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({ "month": code, "households": all })),
                place: &place,
            },
            now,
        )
    })?;
    Ok(RunPlan {
        company,
        month,
        work,
        all,
        chunk: CHUNK,
        notify: true,
    })
}

/// Issues a begun run's bills: each contract's households in chunks, each
/// chunk one write transaction that skips households billed meanwhile, marks
/// charges and corrections billed, posts the ledger and queues the bill
/// mails. `progress` hears (done, total) after every chunk.
pub fn issue_run(
    state: &AppState,
    plan: RunPlan,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<RunOutcome, AppError> {
    let RunPlan {
        company,
        month,
        work,
        all,
        chunk: per_tx,
        notify,
    } = plan;
    let code = month.code();
    let mut conn = state.db.conn()?;
    let conn = &mut conn;
    let on = china_date(now);
    let mut outcome = RunOutcome {
        households: all,
        issued: 0,
        total: Money::ZERO,
    };
    let mut done = 0u32;
    let mut go = |conn: &mut DbConn| -> Result<(), AppError> {
        for (c, households) in &work {
            let terms = terms_of(conn, c, month)?;
            for chunk in households.chunks(per_tx.max(1)) {
                let (issued, sum) = write_tx(conn, |conn| {
                    let issued = issue_chunk(
                        conn, state, company, c, &terms, month, chunk, now, on, notify,
                    )?;
                    db::advance_run(
                        conn,
                        company.0,
                        &code,
                        i64::try_from(chunk.len()).unwrap_or(0),
                        i64::from(issued.0),
                    )?;
                    Ok::<_, AppError>(issued)
                })?;
                done += count(chunk.len());
                outcome.issued += issued;
                outcome.total = outcome.total + sum;
                progress(done, all);
            }
        }
        Ok(())
    };
    let result = go(conn);
    let finished = if result.is_ok() {
        RunState::Done
    } else {
        RunState::Failed
    };
    db::finish_run(conn, company.0, &code, finished.code(), now)?;
    result.map(|()| outcome)
}

/// A company by id ("12") or exact name, for the command line.
pub fn find_company(conn: &mut DbConn, id_or_name: &str) -> Result<CompanyId, AppError> {
    let t = id_or_name.trim();
    let id = match t.parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) => db::company_named(conn, t)?,
    };
    let id = id.ok_or(AppError::NotFound)?;
    crate::db::accounts::company_name(conn, id)?;
    Ok(CompanyId(id))
}

/// Begins and issues the month's run in one go (the command line, tests).
pub fn run_month(
    state: &AppState,
    company: CompanyId,
    month: &str,
    by: Option<PersonId>,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<RunOutcome, AppError> {
    let plan = {
        let mut conn = state.db.conn()?;
        begin_run(&mut conn, company, month, by, now, true)?
    };
    issue_run(state, plan, now, progress)
}

#[allow(clippy::too_many_arguments)]
fn issue_chunk(
    conn: &mut DbConn,
    state: &AppState,
    company: CompanyId,
    c: &db::BillableContract,
    terms: &BillTerms,
    month: BillMonth,
    chunk: &[crate::db::estates::HouseholdLineRow],
    now: NaiveDateTime,
    on: NaiveDate,
    notify: bool,
) -> Result<(u32, Money), AppError> {
    let code = month.code();
    // Serialises runs of one company on PostgreSQL, so a second run waits
    // and then finds the first one's bills.
    db::lock_company(conn, company.0)?;
    let ids: Vec<i64> = chunk.iter().map(|h| h.id).collect();
    let billed = db::billed_among(conn, c.id, &code, &ids)?;
    let todo: Vec<&crate::db::estates::HouseholdLineRow> =
        chunk.iter().filter(|h| !billed.contains(&h.id)).collect();
    if todo.is_empty() {
        return Ok((0, Money::ZERO));
    }
    let drafts = draft_chunk(conn, company, terms, month, &todo, on)?;
    let new: Vec<db::NewBill<'_>> = drafts
        .iter()
        .map(|(h, lines)| db::NewBill {
            company_id: company.0,
            estate_id: c.estate_id,
            household_id: *h,
            contract_id: c.id,
            month: &code,
            due_on: month.due_on(),
            total_fen: total(lines).fen(),
            issued_at: now,
        })
        .collect();
    let ids = db::insert_bills(conn, &new)?;
    let mut lines = Vec::new();
    let mut postings = Vec::new();
    let mut charge_bills = Vec::new();
    let mut adjustment_bills = Vec::new();
    let mut sum = Money::ZERO;
    for (household, drafted) in &drafts {
        let Some(&bill) = ids.get(household) else {
            return Err(AppError::NotFound);
        };
        sum = sum + total(drafted);
        for l in drafted {
            lines.push(db::NewLine {
                bill_id: bill,
                kind: l.kind.code(),
                name_zh: l.name.zh.clone(),
                name_en: l.name.en.clone(),
                detail: l.detail.clone(),
                amount_fen: l.amount.fen(),
                market_fen: l.market.fen(),
                charge_id: l.charge,
                adjustment_id: l.adjustment.map(|a| a.0),
                late_fee_of: l.late_fee_of.map(|b| b.0),
            });
            if let Some(charge) = l.charge {
                charge_bills.push((charge, bill));
            }
            if let Some(a) = l.adjustment {
                adjustment_bills.push((a.0, bill));
            }
        }
        let entry = bill_postings(HouseholdId(*household), drafted);
        debug_assert!(balanced(&entry));
        postings.extend(entry.into_iter().map(|p| db::NewPosting {
            company_id: company.0,
            posted_at: now,
            source: "bill",
            source_id: bill,
            account: p.account.code(),
            household_id: p.household.map(|h| h.0),
            amount_fen: p.amount.fen(),
        }));
    }
    db::insert_lines(conn, &lines)?;
    db::mark_billed(conn, &charge_bills, &adjustment_bills)?;
    db::insert_postings(conn, &postings)?;
    if !notify {
        return Ok((count(drafts.len()), sum));
    }
    let people =
        orders_db::people_of_households(conn, &drafts.iter().map(|d| d.0).collect::<Vec<_>>())?;
    for (household, person) in people {
        let Some((_, drafted)) = drafts.iter().find(|d| d.0 == household) else {
            continue;
        };
        mail::enqueue(
            conn,
            &state.site_url,
            &Notification {
                person: PersonId(person),
                company: Some(company),
                content: MailContent::BillIssued {
                    month: code.clone(),
                    total: total(drafted),
                    due: month.due_on(),
                },
            },
            now,
        )?;
    }
    Ok((count(drafts.len()), sum))
}

fn run_status(r: &db::RunRow) -> Option<RunStatus> {
    Some(RunStatus {
        month: BillMonth::parse(&r.month)?,
        state: RunState::from_code(&r.state)?,
        done: u32::try_from(r.done).unwrap_or(0),
        total: u32::try_from(r.total).unwrap_or(0),
        issued: u32::try_from(r.issued).unwrap_or(0),
        started_at: r.started_at,
    })
}

/// How many bill runs are marked running (in progress, or interrupted by
/// a stop and not yet resumed).
pub fn runs_in_progress(conn: &mut DbConn) -> Result<usize, AppError> {
    Ok(db::running_runs(conn)?.len())
}

/// Finishes the bill runs a stop interrupted: each was marked running and
/// never finished. A run only bills the households not yet billed, so
/// resuming one that another server is still running bills no one twice.
/// Returns the runs resumed, as (company, month, bills issued now).
pub fn resume_interrupted_runs(
    state: &AppState,
    now: NaiveDateTime,
) -> Result<Vec<(CompanyId, String, u32)>, AppError> {
    let runs = {
        let mut conn = state.db.conn()?;
        db::running_runs(&mut conn)?
    };
    let mut resumed = Vec::new();
    for run in runs {
        let company = CompanyId(run.company_id);
        let plan = {
            let mut conn = state.db.conn()?;
            begin_run(
                &mut conn,
                company,
                &run.month,
                run.started_by.map(PersonId),
                now,
                true,
            )?
        };
        let outcome = issue_run(state, plan, now, &mut |_, _| {})?;
        resumed.push((company, run.month, outcome.issued));
    }
    Ok(resumed)
}

pub fn run_of(
    conn: &mut DbConn,
    company: CompanyId,
    month: &str,
) -> Result<Option<RunStatus>, AppError> {
    let month = parse_month(month)?;
    Ok(db::run(conn, company.0, &month.code())?
        .as_ref()
        .and_then(run_status))
}

pub fn overview(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<BillingOverview, AppError> {
    let (zh, en) = crate::db::accounts::company_name(conn, company.0)?;
    Ok(BillingOverview {
        company,
        company_name: LocalizedName::new(zh, en),
        this_month: BillMonth::of(china_date(now)),
        runs: db::runs(conn, company.0)?
            .iter()
            .filter_map(run_status)
            .collect(),
        can_run: (caller.role() == Some(Role::Manager)),
    })
}

// ----- a household's account -----

fn payment_views(conn: &mut DbConn, rows: &[db::PaymentRow]) -> Result<Vec<PaymentView>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let mut settled: HashMap<i64, Vec<(BillMonth, Money)>> = HashMap::new();
    for (payment, _, month, fen) in db::allocations_of(conn, &ids)? {
        if let Some(m) = BillMonth::parse(&month) {
            settled
                .entry(payment)
                .or_default()
                .push((m, Money::from_fen(fen)));
        }
    }
    let people: Vec<i64> = rows.iter().filter_map(|p| p.recorded_by).collect();
    let names = db::person_names(conn, &people)?;
    // One query for the reversals, wherever they are listed.
    let reversed_by: HashMap<i64, i64> = db::reversals_of(conn, &ids)?.into_iter().collect();
    let mut out = Vec::new();
    for p in rows {
        let reversed = reversed_by.get(&p.id).copied();
        out.push(PaymentView {
            id: PaymentId(p.id),
            receipt_no: receipt_number(i32::try_from(p.receipt_year).unwrap_or(0), p.receipt_seq),
            method: PaymentMethod::from_code(&p.method).unwrap_or(PaymentMethod::Cash),
            reference: p.reference.clone(),
            amount: Money::from_fen(p.amount_fen),
            paid_at: p.paid_at,
            recorded_by: p
                .recorded_by
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            reversal_of: p.reversal_of.map(PaymentId),
            reversed_by: reversed.map(PaymentId),
            reason: p.reason.clone(),
            settled: settled.remove(&p.id).unwrap_or_default(),
        });
    }
    Ok(out)
}

fn bill_views(conn: &mut DbConn, standings: &[BillStanding]) -> Result<Vec<BillView>, AppError> {
    let ids: Vec<i64> = standings.iter().map(|s| s.bill.id).collect();
    let mut lines: HashMap<i64, Vec<BillLine>> = HashMap::new();
    for l in db::lines_of(conn, &ids)? {
        lines.entry(l.bill_id).or_default().push(BillLine {
            kind: BillLineKind::from_code(&l.kind).unwrap_or(BillLineKind::Adjustment),
            name: LocalizedName::new(l.name_zh, l.name_en),
            detail: l.detail,
            amount: Money::from_fen(l.amount_fen),
            market: Money::from_fen(l.market_fen),
        });
    }
    let mut out: Vec<BillView> = standings
        .iter()
        .filter_map(|s| {
            Some(BillView {
                id: BillId(s.bill.id),
                month: BillMonth::parse(&s.bill.month)?,
                issued_at: s.bill.issued_at,
                due_on: s.bill.due_on,
                lines: lines.remove(&s.bill.id).unwrap_or_default(),
                total: Money::from_fen(s.bill.total_fen),
                paid: Money::from_fen(s.paid_fen),
                outstanding: Money::from_fen(s.outstanding_fen()),
            })
        })
        .collect();
    out.sort_by_key(|b| std::cmp::Reverse((b.month, b.id)));
    Ok(out)
}

pub fn household_account(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    now: NaiveDateTime,
) -> Result<HouseholdAccount, AppError> {
    let (_, estate, company) = orders_db::household_home(conn, household.0)?;
    let company = company.ok_or(AppError::NotFound)?;
    let labels = db::household_labels(conn, &[household.0])?;
    let parts = labels.get(&household.0).ok_or(AppError::NotFound)?;
    let standings = db::standings(conn, Some(&[household.0]), None, None)?;
    let bills = bill_views(conn, &standings)?;
    let payment_rows = db::payments_of_household(conn, household.0)?;
    let payments = payment_views(conn, &payment_rows)?;
    let year = china_date(now).year();
    let saved_this_year = bills
        .iter()
        .filter(|b| b.month.year == year)
        .flat_map(|b| b.lines.iter())
        .map(|l| (l.market - l.amount).max(Money::ZERO))
        .sum();
    let balance = bills.iter().map(|b| b.total).sum::<Money>()
        - payments.iter().map(|p| p.amount).sum::<Money>();
    let pending_adjustments = db::pending_adjustments(conn, company, &[household.0])?
        .into_iter()
        .map(|(id, _, fen, reason)| PendingAdjustment {
            id: AdjustmentId(id),
            amount: Money::from_fen(fen),
            reason,
        })
        .collect();
    Ok(HouseholdAccount {
        household,
        company: CompanyId(company),
        estate: EstateId(estate),
        estate_name: LocalizedName::new(parts.0.clone(), parts.1.clone()),
        label: room(parts),
        bills,
        payments,
        balance,
        saved_this_year,
        year,
        can_record_payment: (caller.role() == Some(Role::Cashier))
            || (caller.role() == Some(Role::Manager)),
        can_reverse: (caller.role() == Some(Role::Manager)),
        can_adjust: (caller.role() == Some(Role::Manager)),
        pending_adjustments,
        form_token: super::passwords::new_form_token(),
    })
}

/// What the cashier enters.
#[derive(Clone, Debug)]
pub struct PaymentForm {
    pub amount: String,
    pub method: String,
    pub reference: String,
    /// 0: settle the oldest bills first.
    pub bill: i64,
    pub form_token: String,
}

fn payment_error(e: PaymentError) -> AppError {
    match e {
        PaymentError::NotPositive => AppError::invalid("amount", Key::BillingErrorAmount),
        PaymentError::MoreThanOwed => AppError::invalid("amount", Key::BillingErrorMoreThanOwed),
        PaymentError::NothingOwed => AppError::invalid("amount", Key::BillingErrorNothingOwed),
        PaymentError::UnknownBill => AppError::invalid("bill", Key::BillingErrorBill),
        PaymentError::ReferenceRequired => {
            AppError::invalid("reference", Key::BillingErrorReference)
        }
    }
}

fn text_field(field: &str, input: &str, required: bool) -> Result<String, AppError> {
    let t = input.trim();
    if required && t.is_empty() {
        return Err(AppError::invalid(field, Key::BillingErrorTextRequired));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(field, Key::BillingErrorTextLong));
    }
    Ok(t.to_owned())
}

/// Takes the next receipt number of the company for the year; call inside
/// the payment's write transaction, after `lock_company`, so the number and
/// the payment commit or vanish together.
fn next_receipt(conn: &mut DbConn, company: i64, year: i64) -> Result<i64, AppError> {
    Ok(db::last_receipt(conn, company, year)? + 1)
}

fn post_payment(
    conn: &mut DbConn,
    company: i64,
    payment: i64,
    household: HouseholdId,
    method: PaymentMethod,
    amount: Money,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let postings = payment_postings(household, method, amount);
    let rows: Vec<db::NewPosting<'_>> = postings
        .iter()
        .map(|p| db::NewPosting {
            company_id: company,
            posted_at: now,
            source: "payment",
            source_id: payment,
            account: p.account.code(),
            household_id: p.household.map(|h| h.0),
            amount_fen: p.amount.fen(),
        })
        .collect();
    db::insert_postings(conn, &rows)?;
    Ok(())
}

/// A payment to record, checked already.
pub(crate) struct Settlement<'a> {
    pub household: HouseholdId,
    pub amount: Money,
    pub method: PaymentMethod,
    pub reference: &'a str,
    pub chosen: Option<BillId>,
    pub recorded_by: Option<PersonId>,
    pub form_token: Option<&'a str>,
}

/// Records a payment inside the caller's write transaction: settles the
/// chosen bill then the oldest, takes the company's next receipt number
/// under its lock, posts the ledger. Returns (company, payment, receipt).
pub(crate) fn settle(
    conn: &mut DbConn,
    p: &Settlement<'_>,
    now: NaiveDateTime,
) -> Result<(i64, i64, String), AppError> {
    let (_, _, company) = orders_db::household_home(conn, p.household.0)?;
    let company = company.ok_or(AppError::NotFound)?;
    db::lock_company(conn, company)?;
    let open: Vec<OpenBill> = db::standings(conn, Some(&[p.household.0]), None, None)?
        .iter()
        .filter(|s| s.bill.company_id == company)
        .filter_map(open_bill)
        .collect();
    let parts = allocate(&open, p.amount, p.chosen).map_err(payment_error)?;
    let year = i64::from(china_date(now).year());
    let seq = next_receipt(conn, company, year)?;
    let id = db::insert_payment(
        conn,
        &db::NewPayment {
            company_id: company,
            household_id: p.household.0,
            method: p.method.code(),
            reference: p.reference,
            amount_fen: p.amount.fen(),
            paid_at: now,
            recorded_by: p.recorded_by.map(|r| r.0),
            reversal_of: None,
            reason: "",
            receipt_year: year,
            receipt_seq: seq,
            form_token: p.form_token,
        },
    )?;
    let rows: Vec<(i64, i64)> = parts.iter().map(|(b, m)| (b.0, m.fen())).collect();
    db::insert_allocations(conn, id, &rows)?;
    post_payment(conn, company, id, p.household, p.method, p.amount, now)?;
    Ok((
        company,
        id,
        receipt_number(i32::try_from(year).unwrap_or(0), seq),
    ))
}

/// The cashier records a payment: settles the chosen bill, then the oldest;
/// takes the next receipt number; posts the ledger; mails the receipt.
pub fn record_payment(
    conn: &mut DbConn,
    state: &AppState,
    caller: &Caller,
    household: HouseholdId,
    form: &PaymentForm,
    now: NaiveDateTime,
) -> Result<Recorded, AppError> {
    let token = form.form_token.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(AppError::invalid("form_token", Key::OrderErrorForm));
    }
    let amount = Money::parse(&form.amount)
        .map_err(|_| AppError::invalid("amount", Key::BillingErrorAmount))?;
    let method = PaymentMethod::from_code(form.method.trim())
        .ok_or_else(|| AppError::invalid("method", Key::BillingErrorMethod))?;
    let reference = text_field("reference", &form.reference, false)?;
    if method.needs_reference() && reference.is_empty() {
        return Err(payment_error(PaymentError::ReferenceRequired));
    }
    let chosen = (form.bill > 0).then_some(BillId(form.bill));
    write_tx(conn, |conn| {
        // Under the company's lock, so a form sent twice at once is recorded once.
        let (_, _, company) = orders_db::household_home(conn, household.0)?;
        db::lock_company(conn, company.ok_or(AppError::NotFound)?)?;
        if let Some(p) = db::payment_by_token(conn, token)? {
            if p.household_id != household.0 || p.amount_fen != amount.fen() {
                return Err(AppError::Conflict(Key::OrderErrorForm));
            }
            return Ok(Recorded {
                payment: PaymentId(p.id),
                receipt_no: receipt_number(
                    i32::try_from(p.receipt_year).unwrap_or(0),
                    p.receipt_seq,
                ),
                already: true,
            });
        }
        let (company, id, receipt_no) = settle(
            conn,
            &Settlement {
                household,
                amount,
                method,
                reference: &reference,
                chosen,
                recorded_by: Some(caller.person),
                form_token: Some(token),
            },
            now,
        )?;
        let place = place_of(conn, Target::Household(household), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Payment,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "household": household.0,
                    "amount": amount.to_string(),
                    "method": method.code(),
                    "reference": reference,
                    "receipt": receipt_no,
                })),
                place: &place,
            },
            now,
        )?;
        for person in orders_db::household_people(conn, household.0)? {
            mail::enqueue(
                conn,
                &state.site_url,
                &Notification {
                    person: PersonId(person),
                    company: Some(CompanyId(company)),
                    content: MailContent::PaymentReceipt {
                        receipt_no: receipt_no.clone(),
                        amount,
                        method: method.code().to_owned(),
                        paid_on: china_date(now),
                    },
                },
                now,
            )?;
        }
        Ok(Recorded {
            payment: PaymentId(id),
            receipt_no,
            already: false,
        })
    })
}

/// A mistaken payment is undone by a new, negative payment with a reason and
/// a receipt number of its own; the original stays. Once only.
pub fn reverse_payment(
    conn: &mut DbConn,
    caller: &Caller,
    payment: PaymentId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Recorded, AppError> {
    let reason = text_field("reason", reason, true)?;
    write_tx(conn, |conn| {
        let original = db::payment(conn, payment.0)?;
        if original.reversal_of.is_some() {
            return Err(AppError::Conflict(Key::BillingErrorReversed));
        }
        db::lock_company(conn, original.company_id)?;
        if db::reversal_of(conn, original.id)?.is_some() {
            return Err(AppError::Conflict(Key::BillingErrorReversed));
        }
        let year = i64::from(china_date(now).year());
        let seq = next_receipt(conn, original.company_id, year)?;
        let id = db::insert_payment(
            conn,
            &db::NewPayment {
                company_id: original.company_id,
                household_id: original.household_id,
                method: &original.method,
                reference: &original.reference,
                amount_fen: -original.amount_fen,
                paid_at: now,
                recorded_by: Some(caller.person.0),
                reversal_of: Some(original.id),
                reason: &reason,
                receipt_year: year,
                receipt_seq: seq,
                form_token: None,
            },
        )?;
        let undone: Vec<(i64, i64)> = db::allocations_of(conn, &[original.id])?
            .into_iter()
            .map(|(_, bill, _, fen)| (bill, -fen))
            .collect();
        db::insert_allocations(conn, id, &undone)?;
        let method = PaymentMethod::from_code(&original.method).unwrap_or(PaymentMethod::Cash);
        post_payment(
            conn,
            original.company_id,
            id,
            HouseholdId(original.household_id),
            method,
            -Money::from_fen(original.amount_fen),
            now,
        )?;
        let receipt_no = receipt_number(i32::try_from(year).unwrap_or(0), seq);
        let place = place_of(
            conn,
            Target::Household(HouseholdId(original.household_id)),
            Some(caller),
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Payment,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "reverses": original.id,
                    "amount": Money::from_fen(-original.amount_fen).to_string(),
                    "reason": reason,
                    "receipt": receipt_no,
                })),
                place: &place,
            },
            now,
        )?;
        Ok(Recorded {
            payment: PaymentId(id),
            receipt_no,
            already: false,
        })
    })
}

/// The household a payment belongs to (for authorizing its receipt).
pub fn payment_household(conn: &mut DbConn, payment: PaymentId) -> Result<HouseholdId, AppError> {
    Ok(HouseholdId(db::payment(conn, payment.0)?.household_id))
}

/// The company that took a payment (for authorizing its reversal: the
/// company's own manager, even after the estate changed hands).
pub fn payment_company(conn: &mut DbConn, payment: PaymentId) -> Result<CompanyId, AppError> {
    Ok(CompanyId(db::payment(conn, payment.0)?.company_id))
}

/// A correction for the next bill: positive adds, negative credits.
pub fn add_adjustment(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    amount: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<AdjustmentId, AppError> {
    let amount = Money::parse(amount)
        .ok()
        .filter(|m| *m != Money::ZERO)
        .ok_or_else(|| AppError::invalid("amount", Key::BillingErrorAdjustment))?;
    let reason = text_field("reason", reason, true)?;
    write_tx(conn, |conn| {
        let (_, _, company) = orders_db::household_home(conn, household.0)?;
        let company = company.ok_or(AppError::NotFound)?;
        let id = db::insert_adjustment(
            conn,
            company,
            household.0,
            amount.fen(),
            &reason,
            Some(caller.person.0),
            now,
        )?;
        let place = place_of(conn, Target::Household(household), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Adjustment,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(
                    json!({ "household": household.0, "amount": amount.to_string(), "reason": reason }),
                ),
                place: &place,
            },
            now,
        )?;
        Ok(AdjustmentId(id))
    })
}

pub fn receipt(conn: &mut DbConn, payment: PaymentId) -> Result<Receipt, AppError> {
    let row = db::payment(conn, payment.0)?;
    let view = payment_views(conn, std::slice::from_ref(&row))?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let (zh, en) = crate::db::accounts::company_name(conn, row.company_id)?;
    let labels = db::household_labels(conn, &[row.household_id])?;
    let parts = labels.get(&row.household_id).ok_or(AppError::NotFound)?;
    Ok(Receipt {
        payment: view,
        company_name: LocalizedName::new(zh, en),
        estate_name: LocalizedName::new(parts.0.clone(), parts.1.clone()),
        household: HouseholdId(row.household_id),
        label: room(parts),
    })
}

// ----- ledger -----

pub fn trial_balance(conn: &mut DbConn, company: CompanyId) -> Result<TrialBalance, AppError> {
    let sums: Vec<(Account, Money)> = db::account_sums(conn, company.0)?
        .into_iter()
        .filter_map(|(a, fen)| Some((Account::from_code(&a)?, Money::from_fen(fen))))
        .collect();
    Ok(TrialBalance::from_sums(company, &sums))
}

// ----- arrears -----

/// Households owing money, with what they owe by age of the bill.
pub fn arrears(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    estate: Option<EstateId>,
    now: NaiveDateTime,
) -> Result<ArrearsList, AppError> {
    let today = china_date(now);
    let estates: Vec<(EstateId, LocalizedName)> = orders_db::estates_of_company(conn, company.0)?
        .into_iter()
        .map(|(id, zh, en)| (EstateId(id), LocalizedName::new(zh, en)))
        .collect();
    if let Some(e) = estate
        && !estates.iter().any(|(id, _)| *id == e)
    {
        return Err(AppError::invalid("estate", Key::BillingErrorEstate));
    }
    let standings = db::standings(conn, None, Some(company.0), estate.map(|e| e.0))?;
    let mut per: BTreeMap<i64, ([Money; 4], BillMonth)> = BTreeMap::new();
    for s in &standings {
        if s.outstanding_fen() <= 0 {
            continue;
        }
        let Some(month) = BillMonth::parse(&s.bill.month) else {
            continue;
        };
        let e = per
            .entry(s.bill.household_id)
            .or_insert(([Money::ZERO; 4], month));
        let bucket = &mut e.0[AgingBucket::of(s.bill.due_on, today).index()];
        *bucket = *bucket + Money::from_fen(s.outstanding_fen());
        e.1 = e.1.min(month);
    }
    let ids: Vec<i64> = per.keys().copied().collect();
    let labels = db::household_labels(conn, &ids)?;
    let steps = db::latest_steps(conn, company.0)?;
    let mut rows: Vec<ArrearsRow> = per
        .into_iter()
        .filter_map(|(household, (buckets, oldest))| {
            let parts = labels.get(&household)?;
            let step = steps.get(&household);
            Some(ArrearsRow {
                household: HouseholdId(household),
                estate_name: LocalizedName::new(parts.0.clone(), parts.1.clone()),
                label: room(parts),
                total: buckets.iter().copied().sum(),
                buckets,
                oldest,
                stage: step.and_then(|(s, _)| ArrearsStage::from_code(s)),
                stage_on: step.map(|(_, d)| *d),
            })
        })
        .collect();
    rows.sort_by(|a, b| b.total.cmp(&a.total).then(a.label.cmp(&b.label)));
    let mut totals = [Money::ZERO; 4];
    for r in &rows {
        for (t, b) in totals.iter_mut().zip(r.buckets) {
            *t = *t + b;
        }
    }
    Ok(ArrearsList {
        company,
        today,
        estates,
        estate,
        rows,
        totals,
        can_escalate: (caller.role() == Some(Role::Manager)),
    })
}

/// Takes the household's next step on the ladder (the one after its latest),
/// with a note; a reminder also mails the residents.
pub fn escalate(
    conn: &mut DbConn,
    state: &AppState,
    caller: &Caller,
    household: HouseholdId,
    note: &str,
    now: NaiveDateTime,
) -> Result<ArrearsStage, AppError> {
    let note = text_field("note", note, false)?;
    write_tx(conn, |conn| {
        let (_, _, company) = orders_db::household_home(conn, household.0)?;
        let company = company.ok_or(AppError::NotFound)?;
        // One step at a time even when two people press at once.
        db::lock_company(conn, company)?;
        let owed = owed_by(conn, company, household.0)?;
        if owed.0 <= Money::ZERO {
            return Err(AppError::Conflict(Key::BillingErrorNothingOwed));
        }
        let current = db::latest_steps(conn, company)?
            .get(&household.0)
            .and_then(|(s, _)| ArrearsStage::from_code(s));
        let next =
            ArrearsStage::after(current).ok_or(AppError::Conflict(Key::BillingErrorLadderEnd))?;
        take_step(
            conn,
            state,
            company,
            household.0,
            next,
            &note,
            Some(caller.person),
            owed,
            now,
        )?;
        let place = place_of(conn, Target::Household(household), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::ArrearsStep,
                entity_id: household.0,
                action: AuditAction::Create,
                before: current.map(|s| json!(s.code())),
                after: Some(json!({ "stage": next.code(), "note": note })),
                place: &place,
            },
            now,
        )?;
        Ok(next)
    })
}

/// What the household owes the company and the month of its oldest open bill.
fn owed_by(
    conn: &mut DbConn,
    company: i64,
    household: i64,
) -> Result<(Money, Option<BillMonth>), AppError> {
    let mut owed = Money::ZERO;
    let mut oldest: Option<BillMonth> = None;
    for s in db::standings(conn, Some(&[household]), Some(company), None)? {
        if s.outstanding_fen() > 0 {
            owed = owed + Money::from_fen(s.outstanding_fen());
            let m = BillMonth::parse(&s.bill.month);
            oldest = match (oldest, m) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    Ok((owed, oldest))
}

#[allow(clippy::too_many_arguments)]
fn take_step(
    conn: &mut DbConn,
    state: &AppState,
    company: i64,
    household: i64,
    stage: ArrearsStage,
    note: &str,
    by: Option<PersonId>,
    owed: (Money, Option<BillMonth>),
    now: NaiveDateTime,
) -> Result<(), AppError> {
    db::insert_step(
        conn,
        &db::NewStep {
            company_id: company,
            household_id: household,
            stage: stage.code(),
            note,
            taken_by: by.map(|p| p.0),
            taken_on: china_date(now),
            created_at: now,
        },
    )?;
    if stage == ArrearsStage::Reminder {
        for person in orders_db::household_people(conn, household)? {
            mail::enqueue(
                conn,
                &state.site_url,
                &Notification {
                    person: PersonId(person),
                    company: Some(CompanyId(company)),
                    content: MailContent::ArrearsReminder {
                        amount: owed.0,
                        since_month: owed.1.map(|m| m.code()).unwrap_or_default(),
                    },
                },
                now,
            )?;
        }
    }
    Ok(())
}

/// The scheduled reminders: every household of the company with a bill at
/// least 30 days overdue and no reminder in the last 30 days gets one (a
/// step on its ladder and a mail). Returns how many went.
pub fn send_reminders(
    conn: &mut DbConn,
    state: &AppState,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<u32, AppError> {
    let today = china_date(now);
    write_tx(conn, |conn| {
        db::lock_company(conn, company.0)?;
        let last = db::last_reminders(conn, company.0)?;
        let mut oldest_due: BTreeMap<i64, (NaiveDate, Money, BillMonth)> = BTreeMap::new();
        for s in db::standings(conn, None, Some(company.0), None)? {
            if s.outstanding_fen() <= 0 {
                continue;
            }
            let Some(month) = BillMonth::parse(&s.bill.month) else {
                continue;
            };
            let e = oldest_due.entry(s.bill.household_id).or_insert((
                s.bill.due_on,
                Money::ZERO,
                month,
            ));
            e.0 = e.0.min(s.bill.due_on);
            e.1 = e.1 + Money::from_fen(s.outstanding_fen());
            e.2 = e.2.min(month);
        }
        let mut sent = 0;
        for (household, (due, owed, month)) in oldest_due {
            if reminder_due(due, last.get(&household).copied(), today) {
                take_step(
                    conn,
                    state,
                    company.0,
                    household,
                    ArrearsStage::Reminder,
                    "",
                    None,
                    (owed, Some(month)),
                    now,
                )?;
                sent += 1;
            }
        }
        Ok(sent)
    })
}

/// Companies with bills (for the scheduled reminders).
pub fn billing_companies(conn: &mut DbConn) -> Result<Vec<CompanyId>, AppError> {
    Ok(db::billing_companies(conn)?
        .into_iter()
        .map(CompanyId)
        .collect())
}

// ----- CSV -----

/// A CSV text built a row at a time: a BOM so spreadsheet programs read
/// the Chinese right, CRLF line ends, fields quoted when they must be
/// (RFC 4180) and never read as formulas.
struct Csv(String);

impl Csv {
    fn new(header: &[&str]) -> Csv {
        let mut csv = Csv(String::from("\u{feff}"));
        csv.row(header.iter().map(|h| (*h).to_owned()));
        csv
    }

    fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        let line: Vec<String> = fields
            .into_iter()
            .map(|f| crate::domain::export::csv_field(&f).into_owned())
            .collect();
        self.0.push_str(&line.join(","));
        self.0.push_str("\r\n");
    }
}

/// The month's bills, one line each (with a BOM so spreadsheet programs read
/// the Chinese right).
pub fn bills_csv(conn: &mut DbConn, company: CompanyId, month: &str) -> Result<String, AppError> {
    let month = parse_month(month)?;
    let standings: Vec<BillStanding> = db::standings(conn, None, Some(company.0), None)?
        .into_iter()
        .filter(|s| s.bill.month == month.code())
        .collect();
    let labels = db::household_labels(
        conn,
        &standings
            .iter()
            .map(|s| s.bill.household_id)
            .collect::<Vec<_>>(),
    )?;
    let mut out = Csv::new(&[
        "bill",
        "month",
        "household",
        "due_on",
        "total",
        "paid",
        "outstanding",
    ]);
    for s in &standings {
        let name = labels
            .get(&s.bill.household_id)
            .map(|p| label(p).0)
            .unwrap_or_default();
        out.row([
            s.bill.id.to_string(),
            s.bill.month.clone(),
            name,
            s.bill.due_on.to_string(),
            Money::from_fen(s.bill.total_fen).to_string(),
            Money::from_fen(s.paid_fen).to_string(),
            Money::from_fen(s.outstanding_fen()).to_string(),
        ]);
    }
    Ok(out.0)
}

/// Every payment and reversal of the company.
pub fn payments_csv(conn: &mut DbConn, company: CompanyId) -> Result<String, AppError> {
    let rows = db::payments_of_company(conn, company.0)?;
    let labels = db::household_labels(
        conn,
        &rows.iter().map(|p| p.household_id).collect::<Vec<_>>(),
    )?;
    let mut out = Csv::new(&[
        "receipt",
        "paid_at",
        "household",
        "method",
        "reference",
        "amount",
        "reverses",
        "reason",
    ]);
    for p in &rows {
        let name = labels
            .get(&p.household_id)
            .map(|l| label(l).0)
            .unwrap_or_default();
        out.row([
            receipt_number(i32::try_from(p.receipt_year).unwrap_or(0), p.receipt_seq),
            p.paid_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            name,
            p.method.clone(),
            p.reference.clone(),
            Money::from_fen(p.amount_fen).to_string(),
            p.reversal_of.map(|r| r.to_string()).unwrap_or_default(),
            p.reason.clone(),
        ]);
    }
    Ok(out.0)
}

pub fn arrears_csv(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let list = arrears(conn, caller, company, None, now)?;
    let mut out = Csv::new(&[
        "estate",
        "household",
        "current",
        "30",
        "60",
        "90+",
        "total",
        "oldest_month",
        "stage",
    ]);
    for r in &list.rows {
        out.row([
            r.estate_name.zh.clone(),
            r.label.clone(),
            r.buckets[0].to_string(),
            r.buckets[1].to_string(),
            r.buckets[2].to_string(),
            r.buckets[3].to_string(),
            r.total.to_string(),
            r.oldest.code(),
            r.stage.map(|s| s.code().to_owned()).unwrap_or_default(),
        ]);
    }
    Ok(out.0)
}

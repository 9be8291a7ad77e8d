//! Service contracts: drafting and revising (lines at contract prices, fee
//! model, late-fee clause, term), the life cycle through committee review to
//! activation, renewal, and the overlap rule. Callers have been authorized
//! for the estate already; which side they act for comes from their role.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use crate::db::{DbConn, accounts, contracts as db, estates, pricing, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{Caller, EstateId, Role, Scope};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::contracts::{
    ContractError, ContractEvent, ContractId, ContractLine, ContractLineId, ContractSide,
    ContractState, ContractStep, ContractSummary, ContractView, FeeModel, LateFee, Percent,
    terms_overlap,
};
use crate::domain::money::Money;
use crate::domain::org::CompanyId;
use crate::domain::pricing::{BillingUnit, PriceQuote, Service, ServiceId};
use crate::domain::time::china_date;
use crate::error::AppError;
use crate::i18n::Key;

/// The side the caller acts for on a contract of `company`: its general
/// manager for the company (not another company's, even if the estate has
/// changed hands since), a committee member for the owners (authorization has
/// checked the estate); others only read.
fn side_of(caller: &Caller, company: i64) -> Option<ContractSide> {
    let grant = caller.grant.as_ref()?;
    match (grant.role, grant.scope) {
        (Role::Manager, Scope::Company(c)) if c.0 == company => Some(ContractSide::Company),
        (Role::Committee, _) => Some(ContractSide::Committee),
        _ => None,
    }
}

/// The company's side, or refused.
fn company_side(caller: &Caller, row: &db::ContractRow) -> Result<(), AppError> {
    match side_of(caller, row.company_id) {
        Some(ContractSide::Company) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Whether a contract price keeps the below-market promise: below today's
/// market average, or the catalog's own price is above the market with its
/// written reason.
fn price_allowed(price: Money, catalog: &PriceQuote) -> bool {
    price < catalog.market || catalog.above_market()
}

fn contract_error(e: ContractError) -> AppError {
    match e {
        ContractError::NotFromThisState => AppError::Conflict(Key::ContractErrorState),
        ContractError::WrongSide => AppError::Forbidden,
        ContractError::CommentRequired => AppError::invalid("comment", Key::ContractErrorComment),
        ContractError::NotEditable => AppError::Conflict(Key::ContractErrorNotEditable),
        ContractError::NoLines => AppError::Conflict(Key::ContractErrorNoLines),
        ContractError::TermOrder => AppError::invalid("ends_on", Key::CommitteeErrorTermOrder),
        ContractError::CommissionRate => {
            AppError::invalid("commission", Key::ContractErrorCommission)
        }
    }
}

fn state_of(row: &db::ContractRow) -> ContractState {
    ContractState::from_code(&row.state).unwrap_or(ContractState::Draft)
}

pub fn estate_of_contract(conn: &mut DbConn, id: ContractId) -> Result<EstateId, AppError> {
    Ok(EstateId(db::contract(conn, id.0)?.estate_id))
}

pub fn contract_of_line(conn: &mut DbConn, line: ContractLineId) -> Result<ContractId, AppError> {
    Ok(ContractId(db::line_contract(conn, line.0)?))
}

pub fn contracts_of_estate(
    conn: &mut DbConn,
    estate: EstateId,
) -> Result<Vec<ContractSummary>, AppError> {
    let rows = db::contracts_of_estate(conn, estate.0)?;
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let mut counts: BTreeMap<i64, u32> = BTreeMap::new();
    for l in db::lines_of(conn, &ids)? {
        *counts.entry(l.contract_id).or_default() += 1;
    }
    Ok(rows
        .into_iter()
        .map(|c| ContractSummary {
            id: ContractId(c.id),
            state: state_of(&c),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            fee_model: FeeModel::from_code(&c.fee_model).unwrap_or(FeeModel::FixedFee),
            lines: counts.get(&c.id).copied().unwrap_or(0),
            renews: c.renews_id.map(ContractId),
        })
        .collect())
}

/// The company's services with the price in force on `today`.
fn todays_prices(
    conn: &mut DbConn,
    company: i64,
    today: NaiveDate,
) -> Result<Vec<(Service, PriceQuote)>, AppError> {
    Ok(super::pricing::load_services(conn, CompanyId(company))?
        .into_iter()
        .filter_map(|s| {
            let quote = s.price_on(today)?.quote.clone();
            Some((s, quote))
        })
        .collect())
}

pub fn contract(
    conn: &mut DbConn,
    caller: &Caller,
    id: ContractId,
    now: NaiveDateTime,
) -> Result<ContractView, AppError> {
    let row = db::contract(conn, id.0)?;
    let state = state_of(&row);
    let today = china_date(now);
    let prices = todays_prices(conn, row.company_id, today)?;
    let market: BTreeMap<i64, PriceQuote> =
        prices.iter().map(|(s, q)| (s.id.0, q.clone())).collect();
    let lines = db::lines_of(conn, &[id.0])?
        .into_iter()
        .map(|l| {
            let catalog = market.get(&l.service_id);
            let ours = Money::from_fen(l.unit_price_fen);
            let market_price = catalog.map_or(ours, |q| q.market);
            ContractLine {
                id: ContractLineId(l.id),
                service: ServiceId(l.service_id),
                name: LocalizedName::new(l.name, l.name_en),
                unit: BillingUnit::from_code(&l.unit).unwrap_or(BillingUnit::PerVisit),
                quote: PriceQuote {
                    ours,
                    market: market_price,
                    reason: if ours >= market_price {
                        catalog.map(|q| q.reason.clone()).unwrap_or_default()
                    } else {
                        String::new()
                    },
                },
                basis: l.basis,
            }
        })
        .collect();
    let events = db::events_of(conn, id.0)?
        .into_iter()
        .map(|e| ContractEvent {
            at: e.at,
            by: e.by.unwrap_or_default(),
            step: e.step.as_deref().and_then(ContractStep::from_code),
            to: ContractState::from_code(&e.to_state).unwrap_or(ContractState::Draft),
            comment: e.comment,
        })
        .collect();
    let side = side_of(caller, row.company_id);
    let chair =
        side == Some(ContractSide::Committee) && is_sitting_chair(conn, row.estate_id, caller)?;
    let estate = estates::estate(conn, row.estate_id)?;
    let (czh, cen) = accounts::company_name(conn, row.company_id)?;
    let ours = side == Some(ContractSide::Company);
    let renewed_by = db::renewal_of(conn, id.0)?.map(ContractId);
    Ok(ContractView {
        id,
        estate: EstateId(row.estate_id),
        estate_name: LocalizedName::new(estate.name, estate.name_en),
        company: CompanyId(row.company_id),
        company_name: LocalizedName::new(czh, cen),
        state,
        fee_model: FeeModel::from_code(&row.fee_model).unwrap_or(FeeModel::FixedFee),
        commission: row.commission_bp.map(Percent::from_basis_points),
        cancellation: crate::domain::orders::CancellationTerms {
            free_hours: u32::try_from(row.free_cancel_hours).unwrap_or(0),
            late_fee_bp: u32::try_from(row.late_cancel_bp).unwrap_or(0),
        },
        vacant_share: Percent::from_basis_points(row.vacant_fee_bp),
        late_fee: match (row.late_fee_daily_bp, row.late_fee_cap_bp) {
            (Some(d), Some(c)) => Some(LateFee {
                daily: Percent::from_basis_points(d),
                cap: Percent::from_basis_points(c),
            }),
            _ => None,
        },
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        lines,
        events,
        renews: row.renews_id.map(ContractId),
        renewed_by,
        steps: side
            .map(|s| state.steps_for(s))
            .unwrap_or_default()
            .into_iter()
            .filter(|s| *s != ContractStep::Expire || today > row.ends_on)
            .filter(|s| *s != ContractStep::Sign || chair)
            .collect(),
        can_edit: ours && state.is_editable(),
        can_renew: ours && state.can_renew() && renewed_by.is_none(),
        offered: prices
            .into_iter()
            .map(|(s, q)| (s.id, s.name, s.unit, q.ours))
            .collect(),
    })
}

fn record_event(
    conn: &mut DbConn,
    id: i64,
    caller: &Caller,
    step: Option<ContractStep>,
    to: ContractState,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    db::insert_event(
        conn,
        &db::NewEvent {
            contract_id: id,
            at: now,
            person_id: Some(caller.person.0),
            step: step.map(ContractStep::code),
            to_state: to.code(),
            comment,
        },
    )?;
    Ok(())
}

fn audit_contract(
    conn: &mut DbConn,
    caller: &Caller,
    row: &db::ContractRow,
    action: AuditAction,
    after: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let place = place_of(conn, Target::Estate(EstateId(row.estate_id)), Some(caller))?;
    audit::record(
        conn,
        Change {
            by: Some(caller.person),
            entity: AuditEntity::Contract,
            entity_id: row.id,
            action,
            before: Some(json!({"state": row.state})),
            after: Some(after),
            place: &place,
        },
        now,
    )
}

/// A new draft for the estate, a year from today, with the company's
/// estate-wide services (management, stair-well cleaning) at today's prices.
pub fn draft(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    now: NaiveDateTime,
) -> Result<ContractId, AppError> {
    write_tx(conn, |conn| {
        let e = estates::estate(conn, estate.0)?;
        let company = e
            .company_id
            .ok_or(AppError::Conflict(Key::EstateErrorNoCompany))?;
        let today = china_date(now);
        let id = db::insert_contract(
            conn,
            &db::NewContract {
                company_id: company,
                estate_id: estate.0,
                state: ContractState::Draft.code(),
                fee_model: FeeModel::FixedFee.code(),
                commission_bp: None,
                late_fee: None,
                starts_on: today,
                ends_on: year_after(today),
                renews_id: None,
                at: now,
                vacant_fee_bp: FULL_SHARE_BP,
            },
        )?;
        for (service, quote) in todays_prices(conn, company, today)? {
            if service.unit == BillingUnit::PerSquareMetreMonth {
                db::insert_line(conn, id, service.id.0, quote.ours.fen(), "按建筑面积")?;
            }
        }
        record_event(conn, id, caller, None, ContractState::Draft, "", now)?;
        let row = db::contract(conn, id)?;
        audit_contract(
            conn,
            caller,
            &row,
            AuditAction::Create,
            json!({"state": "draft"}),
            now,
        )?;
        Ok(ContractId(id))
    })
}

/// The day before the same date a year later: a one-year term.
fn year_after(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(chrono::Months::new(12))
        .map_or(start + Duration::days(364), |d| d - Duration::days(1))
}

/// The terms as typed into the form.
/// A vacant home pays all of the area fees unless the contract says less.
const FULL_SHARE_BP: i64 = 10_000;

pub struct TermsForm {
    pub starts_on: String,
    pub ends_on: String,
    pub fee_model: String,
    pub commission: String,
    pub late_fee_daily: String,
    pub late_fee_cap: String,
    /// The share of area fees a vacant home pays, "70" (%); empty for all.
    pub vacant_share: String,
}

fn parse_terms(form: &TermsForm) -> Result<db::Terms, AppError> {
    let date = |input: &str, field: &str| {
        NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(field, Key::EstateErrorDate))
    };
    let starts_on = date(&form.starts_on, "starts_on")?;
    let ends_on = date(&form.ends_on, "ends_on")?;
    if ends_on < starts_on {
        return Err(contract_error(ContractError::TermOrder));
    }
    let fee_model = FeeModel::from_code(form.fee_model.trim())
        .ok_or(AppError::invalid("fee_model", Key::ContractErrorFeeModel))?;
    let percent = |input: &str, max: i64, field: &str| {
        Percent::parse(input, Decimal::from(max))
            .map(Percent::basis_points)
            .map_err(|_| AppError::invalid(field, Key::ContractErrorPercent))
    };
    let commission_bp = match fee_model {
        FeeModel::FixedFee => None,
        FeeModel::Commission if form.commission.trim().is_empty() => {
            return Err(contract_error(ContractError::CommissionRate));
        }
        FeeModel::Commission => Some(percent(&form.commission, 100, "commission")?),
    };
    let late_fee = match (form.late_fee_daily.trim(), form.late_fee_cap.trim()) {
        ("", "") => None,
        (daily, cap) => Some((
            percent(daily, 1, "late_fee_daily")?,
            percent(cap, 100, "late_fee_cap")?,
        )),
    };
    let vacant_fee_bp = match form
        .vacant_share
        .trim()
        .trim_end_matches(['%', '％'])
        .trim()
    {
        "" => FULL_SHARE_BP,
        "0" => 0,
        share => percent(share, 100, "vacant_share")?,
    };
    Ok(db::Terms {
        vacant_fee_bp,
        fee_model: fee_model.code(),
        commission_bp,
        late_fee,
        starts_on,
        ends_on,
    })
}

/// The contract, claimed for a change by the company's side; refused unless
/// it is a draft or returned.
fn editable(
    conn: &mut DbConn,
    caller: &Caller,
    id: ContractId,
) -> Result<db::ContractRow, AppError> {
    let row = db::contract(conn, id.0)?;
    company_side(caller, &row)?;
    if db::claim_editable(conn, id.0)? == 0 {
        return Err(contract_error(ContractError::NotEditable));
    }
    Ok(row)
}

pub fn update_terms(
    conn: &mut DbConn,
    caller: &Caller,
    id: ContractId,
    form: &TermsForm,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let terms = parse_terms(form)?;
    write_tx(conn, |conn| {
        let row = editable(conn, caller, id)?;
        db::update_terms(conn, id.0, &terms)?;
        audit_contract(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({
                "starts_on": terms.starts_on.to_string(), "ends_on": terms.ends_on.to_string(),
                "fee_model": terms.fee_model, "commission_bp": terms.commission_bp,
                "late_fee_bp": terms.late_fee,
            }),
            now,
        )
    })
}

pub fn add_line(
    conn: &mut DbConn,
    caller: &Caller,
    id: ContractId,
    service: ServiceId,
    unit_price: &str,
    basis: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let price =
        Money::parse(unit_price).map_err(|e| super::pricing::money_error("unit_price", e))?;
    if price <= Money::ZERO {
        return Err(AppError::invalid("unit_price", Key::PriceErrorNotPositive));
    }
    let basis = basis.trim();
    if basis.chars().count() > 40 {
        return Err(AppError::invalid("basis", Key::EstateErrorTooLong));
    }
    write_tx(conn, |conn| {
        let row = editable(conn, caller, id)?;
        let s = pricing::service(conn, service.0)?;
        if s.company_id != row.company_id {
            return Err(AppError::invalid("service", Key::ContractErrorService));
        }
        let catalog = todays_prices(conn, row.company_id, china_date(now))?
            .into_iter()
            .find(|(c, _)| c.id == service)
            .map(|(_, q)| q)
            .ok_or(AppError::invalid("service", Key::ContractErrorNoPrice))?;
        if !price_allowed(price, &catalog) {
            return Err(AppError::invalid(
                "unit_price",
                Key::ContractErrorAboveMarket,
            ));
        }
        db::insert_line(conn, id.0, service.0, price.fen(), basis).map_err(|e| {
            if e.is_unique_violation() {
                AppError::invalid("service", Key::ContractErrorLineTaken)
            } else {
                e.into()
            }
        })?;
        audit_contract(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"line": s.name, "unit_price": price.to_string(), "basis": basis}),
            now,
        )
    })
}

pub fn remove_line(
    conn: &mut DbConn,
    caller: &Caller,
    line: ContractLineId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let id = ContractId(db::line_contract(conn, line.0)?);
        let row = editable(conn, caller, id)?;
        db::delete_line(conn, line.0)?;
        audit_contract(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"removed_line": line.0}),
            now,
        )
    })
}

/// Takes a step of the life cycle. Signing is the committee chair's; a
/// contract goes to review only with lines; activation refuses a contract
/// whose term overlaps an active one of the same estate for the same service.
pub fn take_step(
    conn: &mut DbConn,
    caller: &Caller,
    id: ContractId,
    step: ContractStep,
    comment: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let comment = comment.trim();
    if comment.chars().count() > 1000 {
        return Err(AppError::invalid("comment", Key::EstateErrorTooLong));
    }
    write_tx(conn, |conn| {
        let row = db::contract(conn, id.0)?;
        let side = side_of(caller, row.company_id).ok_or(AppError::Forbidden)?;
        let from = state_of(&row);
        let to = from.after(step, side, comment).map_err(contract_error)?;
        // The state moves first: on PostgreSQL that locks the row, so the
        // checks below see lines no one else is changing.
        if db::set_state(conn, id.0, from.code(), to.code())? == 0 {
            return Err(contract_error(ContractError::NotFromThisState));
        }
        let lines = db::lines_of(conn, &[id.0])?;
        if step == ContractStep::Submit {
            if lines.is_empty() {
                return Err(contract_error(ContractError::NoLines));
            }
            let catalog: BTreeMap<ServiceId, PriceQuote> =
                todays_prices(conn, row.company_id, china_date(now))?
                    .into_iter()
                    .map(|(s, q)| (s.id, q))
                    .collect();
            let kept = lines.iter().all(|l| {
                catalog
                    .get(&ServiceId(l.service_id))
                    .is_some_and(|q| price_allowed(Money::from_fen(l.unit_price_fen), q))
            });
            if !kept {
                return Err(AppError::Conflict(Key::ContractErrorAboveMarket));
            }
        }
        if step == ContractStep::Sign && !is_sitting_chair(conn, row.estate_id, caller)? {
            return Err(AppError::Conflict(Key::ContractErrorChairOnly));
        }
        // A contract expires when its term is over, not before.
        if step == ContractStep::Expire && china_date(now) <= row.ends_on {
            return Err(AppError::Conflict(Key::ContractErrorNotEnded));
        }
        if step == ContractStep::Activate {
            // One activation per estate at a time, so two overlapping
            // contracts cannot both pass the check.
            estates::lock_estate(conn, row.estate_id)?;
            let services: Vec<i64> = lines.iter().map(|l| l.service_id).collect();
            let clash = db::active_of_estate(conn, row.estate_id, id.0)?
                .into_iter()
                .any(|(_, starts, ends, service)| {
                    services.contains(&service)
                        && terms_overlap((starts, ends), (row.starts_on, row.ends_on))
                });
            if clash {
                return Err(AppError::Conflict(Key::ContractErrorOverlap));
            }
        }
        record_event(conn, id.0, caller, Some(step), to, comment, now)?;
        audit_contract(
            conn,
            caller,
            &row,
            AuditAction::Update,
            json!({"state": to.code(), "step": step.code(), "comment": comment}),
            now,
        )
    })
}

/// Whether the caller is the chair of the estate's sitting committee.
fn is_sitting_chair(conn: &mut DbConn, estate: i64, caller: &Caller) -> Result<bool, AppError> {
    let Some(sitting) = estates::committees_of_estate(conn, estate)?
        .into_iter()
        .find(|c| c.ended_at.is_none())
    else {
        return Ok(false);
    };
    Ok(estates::members_of(conn, &[sitting.id])?
        .iter()
        .any(|m| m.position == "chair" && m.person_id == Some(caller.person.0)))
}

/// A new draft continuing this contract: the same lines and prices and model,
/// for the next term of the same length.
pub fn renew(
    conn: &mut DbConn,
    caller: &Caller,
    id: ContractId,
    now: NaiveDateTime,
) -> Result<ContractId, AppError> {
    write_tx(conn, |conn| {
        let row = db::contract(conn, id.0)?;
        company_side(caller, &row)?;
        if !state_of(&row).can_renew() {
            return Err(contract_error(ContractError::NotFromThisState));
        }
        let length = row.ends_on - row.starts_on;
        let starts_on = row.ends_on + Duration::days(1);
        let new = db::insert_contract(
            conn,
            &db::NewContract {
                company_id: row.company_id,
                estate_id: row.estate_id,
                state: ContractState::Draft.code(),
                fee_model: FeeModel::from_code(&row.fee_model)
                    .unwrap_or(FeeModel::FixedFee)
                    .code(),
                commission_bp: row.commission_bp,
                late_fee: row.late_fee_daily_bp.zip(row.late_fee_cap_bp),
                starts_on,
                ends_on: starts_on + length,
                renews_id: Some(id.0),
                at: now,
                vacant_fee_bp: row.vacant_fee_bp,
            },
        )
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::Conflict(Key::ContractErrorRenewed)
            } else {
                e.into()
            }
        })?;
        for l in db::lines_of(conn, &[id.0])? {
            db::insert_line(conn, new, l.service_id, l.unit_price_fen, &l.basis)?;
        }
        record_event(conn, new, caller, None, ContractState::Draft, "", now)?;
        let renewal = db::contract(conn, new)?;
        audit_contract(
            conn,
            caller,
            &renewal,
            AuditAction::Create,
            json!({"state": "draft", "renews": id.0}),
            now,
        )?;
        Ok(ContractId(new))
    })
}

//! The service catalog: a company's services with their price versions, new
//! services and new prices (each a new version from a date, never an edit),
//! and a resident's price list. Callers have been authorized already.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use crate::db::{DbConn, accounts, estates, pricing as db, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{Action, Caller, HouseholdId, authorize};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::estates::required_text;
use crate::domain::money::{Money, MoneyError};
use crate::domain::org::CompanyId;
use crate::domain::pricing::{
    BillingUnit, Catalog, PriceError, PriceId, PriceList, PriceListLine, PriceQuote, PriceVersion,
    Service, ServiceCategory, ServiceId,
};
use crate::domain::time::china_date;
use crate::error::AppError;
use crate::i18n::Key;

/// A price as typed into the form: the quote and where the market figure
/// comes from.
pub struct PriceForm {
    pub ours: String,
    pub market: String,
    pub reason: String,
    pub market_source: String,
    pub surveyed_on: String,
    pub effective_from: String,
}

/// A checked price form.
struct CheckedPrice {
    quote: PriceQuote,
    market_source: String,
    surveyed_on: NaiveDate,
    effective_from: NaiveDate,
}

pub(crate) fn money_error(field: &str, e: MoneyError) -> AppError {
    AppError::invalid(
        field,
        match e {
            MoneyError::NotANumber => Key::PriceErrorNotANumber,
            MoneyError::TooPrecise => Key::PriceErrorTooPrecise,
            MoneyError::TooLarge => Key::PriceErrorTooLarge,
        },
    )
}

fn check_price(form: &PriceForm, today: NaiveDate) -> Result<CheckedPrice, AppError> {
    let quote = PriceQuote::parse(&form.ours, &form.market, &form.reason).map_err(|e| match e {
        PriceError::Ours(m) => money_error("ours", m),
        PriceError::Market(m) => money_error("market", m),
        PriceError::NotPositive => AppError::invalid("ours", Key::PriceErrorNotPositive),
        PriceError::MarketNotPositive => AppError::invalid("market", Key::PriceErrorNotPositive),
        PriceError::ReasonRequired => AppError::invalid("reason", Key::PriceErrorReasonRequired),
    })?;
    if quote.reason.chars().count() > 200 {
        return Err(AppError::invalid("reason", Key::EstateErrorTooLong));
    }
    let market_source = required_text(&form.market_source, 200)
        .ok_or(AppError::invalid("market_source", Key::PriceErrorSource))?;
    let date = |input: &str, field: &str| {
        NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(field, Key::EstateErrorDate))
    };
    let surveyed_on = date(&form.surveyed_on, "surveyed_on")?;
    if surveyed_on > today {
        return Err(AppError::invalid(
            "surveyed_on",
            Key::PriceErrorSurveyFuture,
        ));
    }
    let effective_from = date(&form.effective_from, "effective_from")?;
    // History is never rewritten: a new price starts today or later.
    if effective_from < today {
        return Err(AppError::invalid(
            "effective_from",
            Key::PriceErrorBackdated,
        ));
    }
    Ok(CheckedPrice {
        quote,
        market_source,
        surveyed_on,
        effective_from,
    })
}

fn price_json(p: &CheckedPrice) -> serde_json::Value {
    json!({
        "ours": p.quote.ours.to_string(), "market": p.quote.market.to_string(),
        "reason": p.quote.reason, "market_source": p.market_source,
        "surveyed_on": p.surveyed_on.to_string(),
        "effective_from": p.effective_from.to_string(),
    })
}

/// Services with their prices, two queries for any number of services.
pub fn load_services(conn: &mut DbConn, company: CompanyId) -> Result<Vec<Service>, AppError> {
    let rows = db::services_of(conn, company.0)?;
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let mut prices: BTreeMap<i64, Vec<PriceVersion>> = BTreeMap::new();
    for p in db::prices_of(conn, &ids)? {
        prices.entry(p.service_id).or_default().push(PriceVersion {
            id: PriceId(p.id),
            quote: PriceQuote {
                ours: Money::from_fen(p.our_fen),
                market: Money::from_fen(p.market_fen),
                reason: p.reason,
            },
            market_source: p.market_source,
            surveyed_on: p.surveyed_on,
            effective_from: p.effective_from,
            set_by: p.set_by.unwrap_or_default(),
        });
    }
    Ok(rows
        .into_iter()
        .filter_map(|s| {
            Some(Service {
                id: ServiceId(s.id),
                company: CompanyId(s.company_id),
                category: ServiceCategory::from_code(&s.category)?,
                unit: BillingUnit::from_code(&s.unit)?,
                name: LocalizedName::new(s.name, s.name_en),
                prices: prices.remove(&s.id).unwrap_or_default(),
                visit_minutes: u32::try_from(s.visit_minutes).unwrap_or(120),
                response_hours: u32::try_from(s.response_hours).unwrap_or(24),
            })
        })
        .collect())
}

pub fn catalog(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    now: NaiveDateTime,
) -> Result<Catalog, AppError> {
    let (zh, en) = accounts::company_name(conn, company.0)?;
    let place = place_of(conn, Target::Company(company), Some(caller))?;
    Ok(Catalog {
        company,
        company_name: LocalizedName::new(zh, en),
        today: china_date(now),
        services: load_services(conn, company)?,
        can_manage: authorize(Some(caller), Action::ManagePrices, &place).is_ok(),
    })
}

/// A new service with its first price.
#[allow(clippy::too_many_arguments)]
pub fn add_service(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    name: &str,
    name_en: &str,
    category: &str,
    unit: &str,
    price: &PriceForm,
    now: NaiveDateTime,
) -> Result<ServiceId, AppError> {
    let name = required_text(name, 40).ok_or(AppError::invalid("name", Key::ServiceErrorName))?;
    let name_en = name_en.trim();
    if name_en.chars().count() > 80 {
        return Err(AppError::invalid("name_en", Key::EstateErrorTooLong));
    }
    let category = ServiceCategory::from_code(category.trim())
        .ok_or(AppError::invalid("category", Key::ServiceErrorCategory))?;
    let unit = BillingUnit::from_code(unit.trim())
        .ok_or(AppError::invalid("unit", Key::ServiceErrorUnit))?;
    let price = check_price(price, china_date(now))?;
    write_tx(conn, |conn| {
        let id = db::insert_service(
            conn,
            &db::NewService {
                company_id: company.0,
                category: category.code(),
                unit: unit.code(),
                name: &name,
                name_en,
                at: now,
            },
        )
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::invalid("name", Key::ServiceErrorTaken)
            } else {
                e.into()
            }
        })?;
        insert_price(conn, caller, ServiceId(id), &price, now)?;
        let place = place_of(conn, Target::Company(company), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Service,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "name": name, "category": category.code(), "unit": unit.code(),
                    "price": price_json(&price),
                })),
                place: &place,
            },
            now,
        )?;
        Ok(ServiceId(id))
    })
}

fn insert_price(
    conn: &mut DbConn,
    caller: &Caller,
    service: ServiceId,
    price: &CheckedPrice,
    now: NaiveDateTime,
) -> Result<i64, AppError> {
    db::insert_price(
        conn,
        &db::NewPrice {
            service_id: service.0,
            our_fen: price.quote.ours.fen(),
            market_fen: price.quote.market.fen(),
            reason: &price.quote.reason,
            market_source: &price.market_source,
            surveyed_on: price.surveyed_on,
            effective_from: price.effective_from,
            set_by: Some(caller.person.0),
            at: now,
        },
    )
    .map_err(|e| {
        if e.is_unique_violation() {
            AppError::invalid("effective_from", Key::PriceErrorSameDay)
        } else {
            e.into()
        }
    })
}

/// A new price version of a service from a date on; earlier versions stay.
pub fn set_price(
    conn: &mut DbConn,
    caller: &Caller,
    service: ServiceId,
    price: &PriceForm,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let price = check_price(price, china_date(now))?;
    write_tx(conn, |conn| {
        let row = db::service(conn, service.0)?;
        let before = db::prices_of(conn, &[service.0])?
            .into_iter()
            .next()
            .map(|p| json!({"ours": Money::from_fen(p.our_fen).to_string(), "market": Money::from_fen(p.market_fen).to_string(), "effective_from": p.effective_from.to_string()}));
        let id = insert_price(conn, caller, service, &price, now)?;
        let place = place_of(
            conn,
            Target::Company(CompanyId(row.company_id)),
            Some(caller),
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Service,
                entity_id: service.0,
                action: AuditAction::Update,
                before,
                after: Some(json!({"price": id, "version": price_json(&price)})),
                place: &place,
            },
            now,
        )
    })
}

/// Sets how long a visit takes and the response deadline, both as typed.
pub fn set_timing(
    conn: &mut DbConn,
    caller: &Caller,
    service: ServiceId,
    visit_minutes: &str,
    response_hours: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    use crate::domain::pricing::{MAX_RESPONSE_HOURS, MAX_VISIT_MINUTES};
    let number = |input: &str, max: u32, field: &str, key: Key| {
        input
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or(AppError::invalid(field, key))
    };
    let visit = number(
        visit_minutes,
        MAX_VISIT_MINUTES,
        "visit_minutes",
        Key::ServiceErrorVisitMinutes,
    )?;
    let response = number(
        response_hours,
        MAX_RESPONSE_HOURS,
        "response_hours",
        Key::ServiceErrorResponseHours,
    )?;
    write_tx(conn, |conn| {
        let row = db::service(conn, service.0)?;
        db::set_timing(conn, service.0, i64::from(visit), i64::from(response))?;
        let place = place_of(
            conn,
            Target::Company(CompanyId(row.company_id)),
            Some(caller),
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Service,
                entity_id: service.0,
                action: AuditAction::Update,
                before: Some(
                    json!({"visit_minutes": row.visit_minutes, "response_hours": row.response_hours}),
                ),
                after: Some(json!({"visit_minutes": visit, "response_hours": response})),
                place: &place,
            },
            now,
        )
    })
}

pub fn company_of_service(conn: &mut DbConn, id: ServiceId) -> Result<CompanyId, AppError> {
    Ok(CompanyId(db::service(conn, id.0)?.company_id))
}

/// What the household's estate is offered by its company, at today's prices.
pub fn price_list(
    conn: &mut DbConn,
    household: HouseholdId,
    now: NaiveDateTime,
) -> Result<PriceList, AppError> {
    let h = estates::household(conn, household.0)?;
    let today = china_date(now);
    let (company, lines) = match h.company_id {
        Some(c) => {
            let (zh, en) = accounts::company_name(conn, c)?;
            let lines = load_services(conn, CompanyId(c))?
                .into_iter()
                .filter_map(|s| {
                    let p = s.price_on(today)?.clone();
                    Some(PriceListLine {
                        service: s.id,
                        name: s.name,
                        category: s.category,
                        unit: s.unit,
                        quote: p.quote,
                        market_source: p.market_source,
                        surveyed_on: p.surveyed_on,
                    })
                })
                .collect();
            (Some(LocalizedName::new(zh, en)), lines)
        }
        None => (None, Vec::new()),
    };
    Ok(PriceList {
        estate: LocalizedName::new(h.estate, h.estate_en),
        company,
        today,
        lines,
    })
}

//! The billing benchmark's data set (`hongye bench billing`): one company
//! with `households` households in estates of a thousand, every estate under
//! an active contract with two area-priced lines (management and stair-well
//! cleaning), some homes vacant at the contract's 70% share. Built with
//! batched inserts in one transaction, for a database of its own.
//!
//! Also the baseline: the same number of rows written bare into the same
//! tables, in the same chunked transactions as the run.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::bench::{batch, insert};
use crate::db::schema::{bill_lines, bills, ledger_lines};
use crate::db::{DbConn, DbError, contracts, estates, org, pricing, write_tx};
use crate::domain::billing::BillMonth;
use crate::domain::org::CompanyId;
use crate::domain::time::china_date;

const COMPANY: (&str, &str) = ("基准收费物业公司", "Benchmark Billing Services Co.");
const PER_ESTATE: usize = 1_000;

/// What was built.
#[derive(Debug, Clone)]
pub struct BillingBench {
    pub company: CompanyId,
    /// The month to bill: the one before `now`'s.
    pub month: BillMonth,
    pub estates: usize,
    pub households: usize,
}

pub fn build_billing_bench(
    conn: &mut DbConn,
    households: usize,
    now: NaiveDateTime,
) -> Result<BillingBench, DbError> {
    write_tx(conn, |conn| build(conn, households.max(1), now))
}

fn build(
    conn: &mut DbConn,
    households: usize,
    now: NaiveDateTime,
) -> Result<BillingBench, DbError> {
    let today = china_date(now);
    let this = BillMonth::of(today);
    let month = BillMonth::of(this.first_day() - Duration::days(1));
    let community: i64 = {
        use crate::db::schema::communities;
        communities::table
            .order(communities::id)
            .select(communities::id)
            .first(conn)?
    };
    let company = org::ensure_company(
        conn,
        &org::NewCompany {
            community_id: community,
            party_organization_id: None,
            name: COMPANY.0,
            name_en: COMPANY.1,
            founded_on: today - Duration::days(730),
        },
    )?;
    // Two area-priced services with a price in force since last year.
    let mut lines = Vec::new();
    for (zh, en, category, ours, market) in [
        (
            "物业管理费",
            "Estate management",
            "estate_management",
            120,
            180,
        ),
        ("楼道保洁", "Stair-well cleaning", "cleaning", 15, 25),
    ] {
        let id = pricing::insert_service(
            conn,
            &pricing::NewService {
                company_id: company,
                category,
                unit: "per_m2_month",
                name: zh,
                name_en: en,
                at: now,
            },
        )?;
        pricing::insert_price(
            conn,
            &pricing::NewPrice {
                service_id: id,
                our_fen: ours,
                market_fen: market,
                reason: "",
                market_source: "基准",
                surveyed_on: today - Duration::days(400),
                effective_from: today - Duration::days(400),
                set_by: None,
                at: now,
            },
        )?;
        lines.push((id, ours));
    }
    let estate_count = households.div_ceil(PER_ESTATE);
    let mut made = 0;
    for e in 0..estate_count {
        let name = format!("基准收费小区{}", e + 1);
        let name_en = format!("Billing Estate {}", e + 1);
        let estate = estates::ensure_estate(
            conn,
            community,
            Some(company),
            (&name, &name_en),
            &format!("丽江市古城区收费路{}号", e + 1),
        )?;
        let here = PER_ESTATE.min(households - made);
        let mut rows: Vec<(i64, String, String, i64, bool)> = Vec::with_capacity(here);
        let mut building = 0;
        for i in 0..here {
            if i % 100 == 0 {
                building =
                    estates::insert_building(conn, estate, &format!("{}栋", i / 100 + 1), "", "")?;
            }
            let unit = format!("{}单元", i % 100 / 50 + 1);
            let room = format!("{}{:02}", i % 50 / 2 + 1, i % 2 + 1);
            // 60.00 to 139.99 m²; one home in twenty vacant.
            let area = 6_000 + i64::try_from(i * 7_919 % 8_000).unwrap_or(0);
            rows.push((building, unit, room, area, i % 20 == 7));
        }
        let new: Vec<estates::NewHousehold<'_>> = rows
            .iter()
            .map(|(b, u, r, a, v)| estates::NewHousehold {
                building_id: *b,
                unit: u,
                room: r,
                floor_area: Some(*a),
                vacant: *v,
            })
            .collect();
        estates::insert_households(conn, &new)?;
        made += here;
        let contract = contracts::insert_contract(
            conn,
            &contracts::NewContract {
                company_id: company,
                estate_id: estate,
                state: "active",
                fee_model: "fixed_fee",
                commission_bp: None,
                late_fee: None,
                starts_on: today - Duration::days(365),
                ends_on: today + Duration::days(365),
                renews_id: None,
                at: now,
                vacant_fee_bp: 7_000,
            },
        )?;
        for (service, price) in &lines {
            contracts::insert_line(conn, contract, *service, *price, "按建筑面积")?;
        }
    }
    Ok(BillingBench {
        company: CompanyId(company),
        month,
        estates: estate_count,
        households: made,
    })
}

/// The baseline: for every bill the run wrote, the same rows written bare
/// (a bill, `lines` bill lines, `postings` ledger lines) into the same
/// tables, a thousand households per transaction like the run, under a
/// month of its own. Returns the rows written.
pub fn raw_inserts(
    conn: &mut DbConn,
    company: CompanyId,
    month: BillMonth,
    lines: usize,
    postings: usize,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let code = format!("{:04}-{:02}", month.year - 100, month.month);
    let source: Vec<(i64, i64, i64, i64)> = bills::table
        .filter(bills::company_id.eq(company.0))
        .filter(bills::month.eq(month.code()))
        .select((
            bills::id,
            bills::estate_id,
            bills::household_id,
            bills::contract_id,
        ))
        .order(bills::id)
        .load(conn)?;
    let mut rows = 0;
    for chunk in source.chunks(PER_ESTATE) {
        rows += write_tx(conn, |conn| {
            let mut n = batch(conn, chunk, |conn, part| {
                let values: Vec<_> = part
                    .iter()
                    .map(|(_, estate, household, contract)| {
                        (
                            bills::company_id.eq(company.0),
                            bills::estate_id.eq(*estate),
                            bills::household_id.eq(*household),
                            bills::contract_id.eq(*contract),
                            bills::month.eq(code.as_str()),
                            bills::due_on.eq(month.due_on()),
                            bills::total_fen.eq(10_000),
                            bills::issued_at.eq(now),
                        )
                    })
                    .collect();
                insert(conn, diesel::insert_into(bills::table).values(values))
            })?;
            let ids: Vec<i64> = bills::table
                .filter(bills::month.eq(code.as_str()))
                .filter(bills::household_id.eq_any(chunk.iter().map(|c| c.2).collect::<Vec<_>>()))
                .select(bills::id)
                .load(conn)?;
            let line_rows: Vec<i64> = ids
                .iter()
                .flat_map(|id| std::iter::repeat_n(*id, lines))
                .collect();
            n += batch(conn, &line_rows, |conn, part| {
                let values: Vec<_> = part
                    .iter()
                    .map(|bill| {
                        (
                            bill_lines::bill_id.eq(*bill),
                            bill_lines::kind.eq("area_fee"),
                            bill_lines::name_zh.eq("物业管理费"),
                            bill_lines::name_en.eq("Estate management"),
                            bill_lines::detail.eq("89.50 m² × 1.20"),
                            bill_lines::amount_fen.eq(10_740),
                            bill_lines::market_fen.eq(16_110),
                            bill_lines::charge_id.eq(None::<i64>),
                            bill_lines::adjustment_id.eq(None::<i64>),
                            bill_lines::late_fee_of.eq(None::<i64>),
                        )
                    })
                    .collect();
                insert(conn, diesel::insert_into(bill_lines::table).values(values))
            })?;
            let posting_rows: Vec<(i64, i64)> = ids
                .iter()
                .zip(chunk)
                .flat_map(|(id, c)| std::iter::repeat_n((*id, c.2), postings))
                .collect();
            n += batch(conn, &posting_rows, |conn, part| {
                let values: Vec<_> = part
                    .iter()
                    .map(|(bill, household)| {
                        (
                            ledger_lines::company_id.eq(company.0),
                            ledger_lines::posted_at.eq(now),
                            ledger_lines::source.eq("bill"),
                            ledger_lines::source_id.eq(*bill),
                            ledger_lines::account.eq("receivable"),
                            ledger_lines::household_id.eq(Some(*household)),
                            ledger_lines::amount_fen.eq(10_000),
                        )
                    })
                    .collect();
                insert(
                    conn,
                    diesel::insert_into(ledger_lines::table).values(values),
                )
            })?;
            Ok::<_, DbError>(n)
        })?;
    }
    Ok(rows)
}

/// Rows the run wrote for the month: bills, bill lines, ledger lines.
pub fn run_rows(
    conn: &mut DbConn,
    company: CompanyId,
    month: BillMonth,
) -> Result<(i64, i64, i64), DbError> {
    let ids = bills::table
        .filter(bills::company_id.eq(company.0))
        .filter(bills::month.eq(month.code()))
        .select(bills::id);
    let bill_count: i64 = bills::table
        .filter(bills::company_id.eq(company.0))
        .filter(bills::month.eq(month.code()))
        .count()
        .get_result(conn)?;
    let line_count: i64 = bill_lines::table
        .filter(bill_lines::bill_id.eq_any(ids))
        .count()
        .get_result(conn)?;
    let posting_count: i64 = ledger_lines::table
        .filter(ledger_lines::company_id.eq(company.0))
        .filter(ledger_lines::source.eq("bill"))
        .count()
        .get_result(conn)?;
    Ok((bill_count, line_count, posting_count))
}

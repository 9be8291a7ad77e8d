//! Wenhui's monthly accounts: the expenses of the two billed months (wages
//! spread over the estates by households, supplies and common-area power
//! per estate, a repair, a maintenance-fund job, advertising income at 玉泉
//! 花园), the older month's statements submitted by 和秀 and signed by each
//! chair (so disclosed), and last month's left for the manager to submit at
//! 玉泉花园 and awaiting review elsewhere.

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime};

use crate::db::statements as db;
use crate::db::{DbConn, write_tx};
use crate::domain::Money;
use crate::domain::access::EstateId;
use crate::domain::billing::BillMonth;
use crate::domain::statements::{ExpenseCategory, SplitRule, split};
use crate::domain::time::{china_date, from_china};
use crate::error::AppError;
use crate::services::statements::{chair_of, freeze};

/// Wenhui's monthly wage bill for the estates' cleaning, order and repair
/// staff (fen), shared by households; housekeeping wages are paid from
/// housekeeping income.
const WAGES_FEN: i64 = 1_980_000;

pub fn seed_statements(
    conn: &mut DbConn,
    wenhui: i64,
    manager: Option<i64>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let estates = db::estates_of_company(conn, wenhui)?;
    let Some(first) = estates.first() else {
        return Ok(());
    };
    let this = BillMonth::of(china_date(now));
    let older = this.prev().prev();
    if !db::expenses_of(conn, first.id, &older.code())?.is_empty() {
        return Ok(());
    }
    let at = |month: BillMonth, day: u32| {
        let d = month
            .first_day()
            .with_day0(day.saturating_sub(1))
            .unwrap_or(month.first_day());
        (
            d,
            from_china(d.and_time(NaiveTime::MIN) + Duration::hours(17)),
        )
    };
    write_tx(conn, |conn| {
        for month in [older, older.next()] {
            let code = month.code();
            let expense = |conn: &mut DbConn,
                           day: u32,
                           category: ExpenseCategory,
                           description: &str,
                           fen: i64,
                           rule: SplitRule,
                           shares: &[(i64, i64)]|
             -> Result<(), AppError> {
                let (spent_on, recorded_at) = at(month, day);
                db::insert_expense(
                    conn,
                    &db::NewExpense {
                        company_id: wenhui,
                        month: &code,
                        spent_on,
                        category: category.code(),
                        description,
                        amount_fen: fen,
                        split_rule: rule.code(),
                        photo: None,
                        recorded_by: manager,
                        recorded_at,
                    },
                    shares,
                )?;
                Ok(())
            };
            let weights: Vec<(EstateId, i64)> = estates
                .iter()
                .map(|e| (EstateId(e.id), e.households))
                .collect();
            let wages = split(Money::from_fen(WAGES_FEN), &weights)
                .map_err(|_| AppError::Internal)?
                .into_iter()
                .map(|(e, m)| (e.0, m.fen()))
                .collect::<Vec<_>>();
            expense(
                conn,
                10,
                ExpenseCategory::Wages,
                "保洁、秩序维护、维修人员工资",
                WAGES_FEN,
                SplitRule::Households,
                &wages,
            )?;
            for (k, e) in estates.iter().enumerate() {
                let k = k as i64;
                // Supplies and common-area power grow with the estate.
                let supplies = 60_000 + e.households * 150 + k * 1_100;
                let power = 80_000 + e.households * 230 + i64::from(month.month) * 700;
                expense(
                    conn,
                    5,
                    ExpenseCategory::Supplies,
                    "清洁剂、垃圾袋、拖把",
                    supplies,
                    SplitRule::Single,
                    &[(e.id, supplies)],
                )?;
                expense(
                    conn,
                    25,
                    ExpenseCategory::Utilities,
                    "楼道照明和水泵电费",
                    power,
                    SplitRule::Single,
                    &[(e.id, power)],
                )?;
            }
            if let Some(e) = estates.first() {
                expense(
                    conn,
                    14,
                    ExpenseCategory::Repairs,
                    if month == older {
                        "单元门禁更换"
                    } else {
                        "2栋水泵检修"
                    },
                    if month == older { 186_000 } else { 43_500 },
                    SplitRule::Single,
                    &[(e.id, if month == older { 186_000 } else { 43_500 })],
                )?;
                let (received_on, recorded_at) = at(month, 20);
                db::insert_common_income(
                    conn,
                    &db::NewCommonIncome {
                        company_id: wenhui,
                        estate_id: e.id,
                        month: &code,
                        received_on,
                        source: "电梯间广告位租金",
                        amount_fen: 120_000,
                        recorded_by: manager,
                        recorded_at,
                    },
                )?;
            }
            if month == older
                && let Some(e) = estates.get(1)
            {
                expense(
                    conn,
                    18,
                    ExpenseCategory::MaintenanceFund,
                    "3栋屋面防水维修（业主大会表决同意使用维修资金）",
                    2_450_000,
                    SplitRule::Single,
                    &[(e.id, 2_450_000)],
                )?;
            }
        }

        // The older month: submitted on the 5th, signed by each chair on the
        // 8th, so disclosed. Last month: submitted, awaiting review, except
        // at 玉泉花园 where the manager has not submitted it yet.
        for (k, e) in estates.iter().enumerate() {
            let chair = chair_of(&db::sitting_members(conn, e.id)?);
            for month in [older, older.next()] {
                if month == older.next() && k == 0 {
                    continue;
                }
                let (_, submitted_at) = at(month.next(), 5);
                if submitted_at > now {
                    continue;
                }
                let (json, hash) = freeze(conn, EstateId(e.id), month)?;
                let id = db::insert_statement(
                    conn,
                    &db::NewStatement {
                        company_id: wenhui,
                        estate_id: e.id,
                        month: &month.code(),
                        version: 1,
                        corrects_id: None,
                        figures: &json,
                        content_hash: &hash,
                        submitted_by: manager,
                        submitted_at,
                        // The demo's chair holds no company post.
                        second_reason: None,
                    },
                )?;
                let (_, signed_at) = at(month.next(), 8);
                if let Some((person, name)) = &chair
                    && month == older
                    && signed_at <= now
                {
                    db::sign(conn, id, *person, name, None, signed_at)?;
                }
            }
        }
        Ok(())
    })
}

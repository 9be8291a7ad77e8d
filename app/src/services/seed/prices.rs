//! The demo price list: every company offers the same kinds of service below
//! the market average (a little cheaper or dearer from one community to
//! another), with the estate management fee's earlier version kept, and one
//! price above the market, with its reason, so the warning has something to
//! show. Each service has its visit length and response deadline: repairs
//! answered within 4 hours, housekeeping within a day, cleaning within two.

use chrono::{Months, NaiveDateTime};

use crate::db::{DbConn, DbError, pricing, roster};
use crate::domain::time::china_date;

struct DemoService {
    name: (&'static str, &'static str),
    category: &'static str,
    unit: &'static str,
    /// (ours, market) in fen, in force from the demo contracts' first day.
    fen: (i64, i64),
    /// The version before, from 2024-01-01, if the price changed.
    earlier: Option<(i64, i64)>,
    /// Above the market: only some companies offer it, with this reason.
    above_market_reason: Option<&'static str>,
    /// How long one visit takes, in minutes, and how soon an order must be
    /// answered, in hours.
    visit_minutes: i64,
    response_hours: i64,
}

const DEMO_SERVICES: &[DemoService] = &[
    DemoService {
        name: ("物业管理服务费", "Estate management fee"),
        category: "estate_management",
        unit: "per_m2_month",
        fen: (70, 120),
        earlier: Some((60, 110)),
        above_market_reason: None,
        visit_minutes: 120,
        response_hours: 24,
    },
    DemoService {
        name: ("楼道保洁", "Stair-well cleaning"),
        category: "cleaning",
        unit: "per_m2_month",
        fen: (20, 35),
        earlier: None,
        above_market_reason: None,
        visit_minutes: 90,
        response_hours: 48,
    },
    DemoService {
        name: ("公共区域保洁", "Common-area cleaning"),
        category: "cleaning",
        unit: "per_visit",
        fen: (8_000, 12_000),
        earlier: None,
        above_market_reason: None,
        visit_minutes: 90,
        response_hours: 48,
    },
    DemoService {
        name: ("日常家政保洁", "Housekeeping"),
        category: "housekeeping",
        unit: "per_hour",
        fen: (3_500, 5_000),
        earlier: Some((3_000, 4_500)),
        above_market_reason: None,
        visit_minutes: 120,
        response_hours: 24,
    },
    DemoService {
        name: ("深度保洁", "Deep cleaning"),
        category: "housekeeping",
        unit: "per_visit",
        fen: (26_000, 38_000),
        earlier: None,
        above_market_reason: None,
        visit_minutes: 180,
        response_hours: 24,
    },
    DemoService {
        name: ("家电清洗", "Appliance cleaning"),
        category: "housekeeping",
        unit: "per_visit",
        fen: (8_000, 12_000),
        earlier: None,
        above_market_reason: None,
        visit_minutes: 90,
        response_hours: 24,
    },
    DemoService {
        name: ("水电维修上门", "Plumbing and electrics call-out"),
        category: "repair",
        unit: "per_visit",
        fen: (3_000, 5_000),
        earlier: None,
        above_market_reason: None,
        visit_minutes: 60,
        response_hours: 4,
    },
    DemoService {
        name: ("石材地面养护", "Stone floor care"),
        category: "cleaning",
        unit: "per_visit",
        fen: (42_000, 40_000),
        earlier: None,
        above_market_reason: Some("需租用专业研磨设备、外包施工，成本高于市场常见报价"),
        visit_minutes: 240,
        response_hours: 48,
    },
];

const SOURCE: &str = "古城区三家物业服务企业报价调查";

/// Seeds each open company's price list once; companies that have services
/// are left alone.
pub fn seed_prices(conn: &mut DbConn, at: NaiveDateTime) -> Result<(), DbError> {
    let companies = roster::company_signboards(conn)?;
    for (index, company) in companies.iter().enumerate() {
        let (id, name, closed) = (company.0, &company.1, company.6);
        if closed || pricing::has_services(conn, id)? {
            continue;
        }
        // A few percent either way per community, never reaching the market.
        let factor = 95 + i64::try_from(index % 10).unwrap_or(0);
        let scale = |fen: i64| (fen * factor + 50) / 100;
        for s in DEMO_SERVICES {
            // The above-market service at Wenhui and every third company.
            let offers_it = index % 3 == 0 || name == "文汇社区城市服务公司";
            if s.above_market_reason.is_some() && !offers_it {
                continue;
            }
            let service = pricing::insert_service(
                conn,
                &pricing::NewService {
                    company_id: id,
                    category: s.category,
                    unit: s.unit,
                    name: s.name.0,
                    name_en: s.name.1,
                    at,
                },
            )?;
            pricing::set_timing(conn, service, s.visit_minutes, s.response_hours)?;
            let mut versions = Vec::new();
            // Today's prices from the contracts' first day, surveyed a month
            // before; an earlier version two years before that.
            let from = super::contracts::contract_term(china_date(at)).0;
            if let Some(earlier) = s.earlier {
                let earlier_from = from - Months::new(24);
                versions.push((earlier_from, earlier_from - Months::new(1), earlier));
            }
            versions.push((from, from - Months::new(1), s.fen));
            for (from, surveyed, (ours, market)) in versions {
                let ours = if s.above_market_reason.is_some() {
                    ours
                } else {
                    scale(ours).min(market - 1)
                };
                pricing::insert_price(
                    conn,
                    &pricing::NewPrice {
                        service_id: service,
                        our_fen: ours,
                        market_fen: market,
                        reason: if ours < market {
                            ""
                        } else {
                            s.above_market_reason.unwrap_or("")
                        },
                        market_source: SOURCE,
                        surveyed_on: surveyed,
                        effective_from: from,
                        set_by: None,
                        at,
                    },
                )?;
            }
        }
    }
    Ok(())
}

//! Wenhui's decision records (四议两公开) for the demo: the replacement of
//! a lift at 文华苑, proposed and deliberated as one record by 和秀 (Party
//! secretary and general manager: one team, two signboards), reviewed,
//! resolved, disclosed and carried out; and more stair-well cleaning at
//! 玉泉花园 and 象山小区, proposed and deliberated, awaiting the Party
//! members' meeting. Laid out in days before `now`, so the demo looks
//! current whenever it is loaded.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::db::decisions as db;
use crate::db::{DbConn, write_tx};
use crate::domain::decisions::{DecisionKind, DecisionState, DecisionStep};
use crate::domain::time::{china_date, from_china};
use crate::error::AppError;

const LIFT: &str = "文华苑3栋电梯更换";
const CLEANING: &str = "楼道保洁由每周两次增至三次并调整保洁费";

/// One step of a seeded decision: days before now, attendance, outcome.
struct SeedStep {
    step: DecisionStep,
    merged: bool,
    days_ago: i64,
    attendance: Option<(i64, i64, i64)>,
    outcome: &'static str,
}

struct SeedDecision {
    title: &'static str,
    kind: DecisionKind,
    details: &'static str,
    estates: &'static [&'static str],
    state: DecisionState,
    steps: &'static [SeedStep],
}

const DECISIONS: &[SeedDecision] = &[
    SeedDecision {
        title: LIFT,
        kind: DecisionKind::MajorRepair,
        details: "3栋电梯已使用15年，今年多次困人，经特种设备检验机构检验判定需要更换。拟更换为新电梯，预算约38万元，从专项维修资金列支。",
        estates: &["文华苑"],
        state: DecisionState::Implemented,
        steps: &[
            SeedStep {
                step: DecisionStep::Propose,
                merged: true,
                days_ago: 75,
                attendance: Some((9, 8, 8)),
                outcome: "党总支提议更换3栋电梯，费用从专项维修资金列支；党总支委员会与公司、业委会联席商议，同意提交党员大会审议。",
            },
            SeedStep {
                step: DecisionStep::MembersReview,
                merged: false,
                days_ago: 68,
                attendance: Some((23, 19, 18)),
                outcome: "党员大会审议同意更换方案，建议公开招标选择施工单位。",
            },
            SeedStep {
                step: DecisionStep::Resolve,
                merged: false,
                days_ago: 60,
                attendance: Some((45, 37, 33)),
                outcome: "居民代表会议表决通过：更换3栋电梯，费用从专项维修资金列支，公开招标选择施工单位。",
            },
            SeedStep {
                step: DecisionStep::DiscloseResolution,
                merged: false,
                days_ago: 58,
                attendance: None,
                outcome: "经居民代表会议表决通过，更换3栋电梯，预算38万元，从专项维修资金列支，公开招标选择施工单位。公示7天，有异议请向社区党总支反映。",
            },
            SeedStep {
                step: DecisionStep::DiscloseImplementation,
                merged: false,
                days_ago: 5,
                attendance: None,
                outcome: "3栋新电梯已安装完毕，经特种设备检验机构验收合格并投入使用；实际支出36.8万元，发票和验收报告已在小区公开栏张贴。",
            },
        ],
    },
    SeedDecision {
        title: CLEANING,
        kind: DecisionKind::PriceChange,
        details: "居民多次反映楼道保洁次数不够。拟将楼道保洁由每周两次增至三次，保洁费相应调整，调整后仍低于市场均价。",
        estates: &["玉泉花园", "象山小区"],
        state: DecisionState::Deliberated,
        steps: &[
            SeedStep {
                step: DecisionStep::Propose,
                merged: false,
                days_ago: 12,
                attendance: None,
                outcome: "党总支提议增加楼道保洁次数并调整保洁费，调整后价格仍低于市场均价。",
            },
            SeedStep {
                step: DecisionStep::Deliberate,
                merged: false,
                days_ago: 8,
                attendance: Some((11, 10, 9)),
                outcome: "两委与两个小区的业委会商议，同意提交党员大会审议；请公司测算成本并附市场价格调查。",
            },
        ],
    },
];

pub fn seed_decisions(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), AppError> {
    let places = db::estate_places(conn)?;
    let Some(community) = places
        .iter()
        .find(|e| e.name == "文华苑" && e.closed_at.is_none())
        .map(|e| e.community_id)
    else {
        return Ok(());
    };
    if db::decision_titled(conn, community, LIFT)?.is_some() {
        return Ok(());
    }
    let party = db::party_organization_of(conn, community)?;
    let secretary = crate::db::accounts::person_by_username(conn, "hexiu")?;
    let (by, by_name) = match &secretary {
        Some(p) => (Some(p.id), p.name.clone()),
        None => (None, "和秀".to_owned()),
    };
    let today = china_date(now);
    // Evening of a day some days back, in China.
    let at = |days_ago: i64| -> (NaiveDate, NaiveDateTime) {
        let day = today - Duration::days(days_ago);
        let evening = from_china(day.and_time(NaiveTime::MIN) + Duration::hours(19));
        (day, evening.min(now))
    };
    write_tx(conn, |conn| {
        for d in DECISIONS {
            let estates: Vec<i64> = d
                .estates
                .iter()
                .filter_map(|name| {
                    places
                        .iter()
                        .find(|e| e.name == *name && e.community_id == community)
                        .map(|e| e.id)
                })
                .collect();
            if estates.len() != d.estates.len() {
                continue;
            }
            let created_at = d.steps.first().map_or(now, |s| at(s.days_ago).1);
            let id = db::insert_decision(
                conn,
                &db::NewDecision {
                    community_id: community,
                    party_organization_id: party,
                    kind: d.kind.code(),
                    title: d.title,
                    details: d.details,
                    state: d.state.code(),
                    proposed_by: by,
                    created_at,
                },
                &estates,
            )?;
            for s in d.steps {
                let (held_on, recorded_at) = at(s.days_ago);
                db::insert_step(
                    conn,
                    &db::NewStep {
                        decision_id: id,
                        step: s.step.code(),
                        merged: s.merged,
                        held_on,
                        attendance: s.attendance,
                        outcome: s.outcome,
                        recorded_by: by,
                        recorded_by_name: &by_name,
                        recorded_at,
                    },
                )?;
            }
        }
        Ok(())
    })
}

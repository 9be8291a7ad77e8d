//! Wenhui's work, laid around the moment the seed runs so the demo looks
//! current whenever it is loaded: recurring cleaning plans for its three
//! estates, whose visits come from the app's own generator and are sent to
//! fixed cleaners (done in the past two weeks, scheduled ahead); housekeeping
//! orders of a couple of dozen households in every state of the life cycle,
//! each with its history, and charges for finished work; a dozen more still
//! waiting for someone across this week and the next, for the weekly
//! schedule and auto-assignment; and complaints, one answered by 和秀.
//!
//! Every job held by someone keeps the schedule's rules with the profiles
//! `staff` gives them, on whatever weekday the seed runs: trained for it,
//! within their hours, not on leave, never two at once, and the company's
//! 20 minutes of travel between two estates.
//!
//! Left alone, because the tests and the browser suite need them so: 杨丽's
//! household (玉泉花园 2栋 1单元 302) has no orders; 李桂 has nothing before
//! noon today or tomorrow (China time), nor tomorrow from 14:00 to 16:00,
//! while his afternoons have jobs (today 13:00, every day but Sunday 16:30);
//! and tomorrow 14:00–16:00 two households of 文华苑 wait for someone.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use diesel::prelude::*;

use super::{DemoHash, Rng, WENHUI_COMPANY, WENHUI_ESTATES, company_named};
use crate::db::accounts::{self, GrantScope, NewPerson};
use crate::db::schema::{residents, work_order_events, work_orders};
use crate::db::{DbConn, DbError, estates, orders as db, pricing};
use crate::domain::money::Money;
use crate::domain::orders::{
    CancellationTerms, OrderActor, OrderState, OrderStep, Weekdays, plan_fits_day, respond_by,
};
use crate::domain::org::CompanyId;
use crate::domain::schedule::week_start;
use crate::domain::time::{from_china, to_china};
use crate::error::AppError;

/// The demo's logins around the orders.
pub(super) const HE_XIU: &str = "13800000002";
pub(super) const LI_GUI: &str = "13800000004";
pub(super) const HE_LIQIONG: &str = "13800000010";
pub(super) const MU_CHUNHUA: &str = "13800000011";
pub(super) const YANG_JIANHUA: &str = "13800000012";
pub(super) const HE_YULAN: &str = "13800000013";
pub(super) const LI_XIUYING: &str = "13800000014";
/// 和美华, 杨丽's neighbour: one rated order in her history.
const HE_MEIHUA: &str = "13800000001";
/// 杨丽: her household is kept free of orders.
const YANG_LI: &str = "13800000007";

const STAIRWELLS: &str = "楼道保洁";
const COMMON_AREAS: &str = "公共区域保洁";
const HOUSEKEEPING: &str = "日常家政保洁";
const DEEP_CLEANING: &str = "深度保洁";
const APPLIANCES: &str = "家电清洗";

/// A recurring cleaning plan and the cleaner its visits go to.
struct PlanSpec {
    /// Index into `WENHUI_ESTATES`.
    estate: usize,
    /// A building's stair wells, or the estate's common areas.
    building: Option<&'static str>,
    service: &'static str,
    weekdays: &'static [u32],
    start: (u32, u32),
    minutes: u32,
    cleaner: &'static str,
    materials: &'static str,
}

/// No cleaner holds two plans at once on any weekday; 李桂's are late in the
/// afternoon, so his mornings stay free and so does 14:00–16:00, when the
/// browser tests send him to 文华苑; nothing on Sundays.
const PLANS: &[PlanSpec] = &[
    PlanSpec {
        estate: 0,
        building: Some("3栋"),
        service: STAIRWELLS,
        weekdays: &[1, 3, 5],
        start: (9, 0),
        minutes: 90,
        cleaner: HE_LIQIONG,
        materials: "垃圾袋1卷、84消毒液",
    },
    PlanSpec {
        estate: 0,
        building: Some("6栋"),
        service: STAIRWELLS,
        weekdays: &[2, 4, 6],
        start: (9, 0),
        minutes: 90,
        cleaner: HE_LIQIONG,
        materials: "垃圾袋1卷、84消毒液",
    },
    PlanSpec {
        estate: 0,
        building: None,
        service: COMMON_AREAS,
        weekdays: &[2, 4, 6],
        start: (16, 30),
        minutes: 60,
        cleaner: LI_GUI,
        materials: "垃圾袋2卷",
    },
    PlanSpec {
        estate: 1,
        building: Some("2栋"),
        service: STAIRWELLS,
        weekdays: &[1, 3, 5],
        start: (8, 0),
        minutes: 90,
        cleaner: MU_CHUNHUA,
        materials: "垃圾袋1卷、洗洁精",
    },
    PlanSpec {
        estate: 1,
        building: Some("7栋"),
        service: STAIRWELLS,
        weekdays: &[2, 4, 6],
        start: (8, 0),
        minutes: 90,
        cleaner: MU_CHUNHUA,
        materials: "垃圾袋1卷、洗洁精",
    },
    PlanSpec {
        estate: 1,
        building: None,
        service: COMMON_AREAS,
        weekdays: &[1, 3, 5],
        start: (16, 30),
        minutes: 60,
        cleaner: LI_GUI,
        materials: "垃圾袋2卷、扫帚1把",
    },
    PlanSpec {
        estate: 2,
        building: Some("1栋"),
        service: STAIRWELLS,
        weekdays: &[2, 5],
        start: (10, 0),
        minutes: 90,
        cleaner: MU_CHUNHUA,
        materials: "垃圾袋1卷",
    },
    PlanSpec {
        estate: 2,
        building: None,
        service: COMMON_AREAS,
        weekdays: &[3, 6],
        start: (11, 0),
        minutes: 90,
        cleaner: HE_LIQIONG,
        materials: "垃圾袋2卷、除草剪",
    },
];

/// The plans were set up two weeks before the seed runs.
const PLANS_AGE_DAYS: i64 = 14;

/// Wenhui's estates, in `WENHUI_ESTATES` order (None when missing).
pub(super) fn wenhui_estates(conn: &mut DbConn, company: i64) -> Result<Vec<Option<i64>>, DbError> {
    let rows = db::estates_of_company(conn, company)?;
    Ok(WENHUI_ESTATES
        .iter()
        .map(|e| rows.iter().find(|r| r.1 == e.name.0).map(|r| r.0))
        .collect())
}

fn services_by_name(conn: &mut DbConn, company: i64) -> Result<BTreeMap<String, i64>, DbError> {
    Ok(pricing::services_of(conn, company)?
        .into_iter()
        .map(|s| (s.name, s.id))
        .collect())
}

fn minute_of(start: (u32, u32)) -> i64 {
    i64::from(start.0 * 60 + start.1)
}

/// Wenhui's cleaning plans, checked as the plan form checks them, made once
/// (when the company has none) by 和秀 two weeks ago.
pub(super) fn seed_plans(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), DbError> {
    let Some(company) = company_named(conn, WENHUI_COMPANY)? else {
        return Ok(());
    };
    if !db::plans_of_company(conn, company)?.is_empty() {
        return Ok(());
    }
    let estate_ids = wenhui_estates(conn, company)?;
    let ids: Vec<i64> = estate_ids.iter().flatten().copied().collect();
    let buildings = db::buildings_of_estates(conn, &ids)?;
    let services = services_by_name(conn, company)?;
    let he_xiu = estates::person_by_phone(conn, HE_XIU)?;
    let created = plans_created(now);
    for spec in PLANS {
        let Some(Some(estate)) = estate_ids.get(spec.estate).copied() else {
            continue;
        };
        let building = match spec.building {
            None => None,
            Some(name) => match buildings.iter().find(|(_, e, n)| *e == estate && n == name) {
                Some((id, _, _)) => Some(*id),
                None => continue,
            },
        };
        let (Some(service), Some(weekdays)) = (
            services.get(spec.service).copied(),
            Weekdays::from_numbers(spec.weekdays),
        ) else {
            continue;
        };
        let start =
            NaiveTime::from_hms_opt(spec.start.0, spec.start.1, 0).unwrap_or(NaiveTime::MIN);
        if !plan_fits_day(start, spec.minutes) {
            continue;
        }
        db::insert_plan(
            conn,
            &db::NewPlan {
                company_id: company,
                estate_id: estate,
                building_id: building,
                service_id: service,
                weekdays: weekdays.bits(),
                start_minute: minute_of(spec.start),
                minutes: i64::from(spec.minutes),
                created_by: he_xiu,
                at: created,
            },
        )?;
    }
    Ok(())
}

/// 10:00 China time, two weeks before `now`.
fn plans_created(now: NaiveDateTime) -> NaiveDateTime {
    let day = to_china(now).date() - Duration::days(PLANS_AGE_DAYS);
    from_china(day.and_time(NaiveTime::MIN) + Duration::hours(10))
}

/// Wenhui, when its orders have not been seeded yet: it has no order other
/// than plan visits and no complaint.
pub(super) fn orders_due(conn: &mut DbConn) -> Result<Option<i64>, DbError> {
    use crate::db::schema::complaints;
    let Some(company) = company_named(conn, WENHUI_COMPANY)? else {
        return Ok(None);
    };
    let booked: i64 = work_orders::table
        .filter(work_orders::company_id.eq(company))
        .filter(work_orders::plan_id.is_null())
        .count()
        .get_result(conn)?;
    let complained: i64 = complaints::table
        .filter(complaints::company_id.eq(company))
        .count()
        .get_result(conn)?;
    Ok((booked == 0 && complained == 0).then_some(company))
}

/// The plans' visits, made by the app's generator as it would have run when
/// the plans were set up and again today: from the day after the plans were
/// made to four weeks ahead. Each run takes its own write transaction.
pub(super) fn generate_visits(
    conn: &mut DbConn,
    company: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let first = db::plans_of_company(conn, company)?
        .iter()
        .map(|p| p.created_at)
        .min();
    if let Some(created) = first.filter(|c| *c < now) {
        crate::services::orders::generate_plans(conn, CompanyId(company), created)?;
    }
    crate::services::orders::generate_plans(conn, CompanyId(company), now)?;
    Ok(())
}

/// Every work order, and those waiting for someone.
pub(super) fn count_orders(conn: &mut DbConn) -> Result<(usize, usize), DbError> {
    let n: i64 = work_orders::table.count().get_result(conn)?;
    let waiting: i64 = work_orders::table
        .filter(work_orders::state.eq(OrderState::Requested.code()))
        .filter(work_orders::staff_id.is_null())
        .count()
        .get_result(conn)?;
    let count = |n: i64| usize::try_from(n).unwrap_or(0);
    Ok((count(n), count(waiting)))
}

// ----- housekeeping orders -----

/// What is booked: hours of housekeeping, or one visit.
#[derive(Clone, Copy)]
enum Work {
    Hours(u32),
    Deep,
    Appliances,
}

/// A local time relative to the seed's day, or minutes before the seed ran.
#[derive(Clone, Copy)]
enum When {
    At(i64, u32, u32),
    MinutesAgo(i64),
}

/// Where an order's life has got to.
#[derive(Clone, Copy)]
enum Fate {
    /// Requested, nobody sent yet.
    Requested,
    Scheduled,
    /// Scheduled, in progress or done, as the clock says when the seed runs.
    ByClock,
    /// In progress once its start has passed, and still after its end: the
    /// staff member has not marked it finished (it shows as overdue).
    Started,
    Done,
    /// Done, confirmed and rated: stars and comment.
    Confirmed(i64, &'static str),
    Disputed(&'static str),
    /// Cancelled by the resident, when, and why.
    Cancelled(When, &'static str),
}

/// The household: the k-th pick of an estate, or 和美华's.
#[derive(Clone, Copy)]
enum Home {
    Pick(usize, usize),
    HeMeihua,
}

struct Booking {
    home: Home,
    /// Days from the seed's day.
    day: i64,
    /// Local start; none: on the hour before now, within working hours, so
    /// something is in progress while the demo is looked at.
    start: Option<(u32, u32)>,
    work: Work,
    /// Booked by 和秀 after a call (代客), or by the resident in the app.
    by_phone: bool,
    booked: When,
    staff: Option<&'static str>,
    fate: Fate,
    notes: &'static str,
    materials: &'static str,
}

const BOOKINGS: &[Booking] = &[
    Booking {
        home: Home::Pick(0, 0),
        day: -12,
        start: Some((9, 0)),
        work: Work::Hours(3),
        by_phone: false,
        booked: When::At(-14, 20, 10),
        staff: Some(HE_YULAN),
        fate: Fate::Confirmed(5, "阿姨很细心，厨房的油污都擦干净了"),
        notes: "重点打扫厨房和卫生间",
        materials: "厨房去油剂、抹布",
    },
    Booking {
        home: Home::HeMeihua,
        day: -10,
        start: Some((14, 0)),
        work: Work::Deep,
        by_phone: true,
        booked: When::At(-13, 9, 30),
        staff: Some(LI_XIUYING),
        fate: Fate::Confirmed(5, "深度保洁做得很彻底，比外面的公司便宜一百多块"),
        notes: "窗户和纱窗要清洗",
        materials: "玻璃清洁剂、多功能清洁剂、抹布",
    },
    Booking {
        home: Home::Pick(1, 0),
        day: -9,
        start: Some((9, 0)),
        work: Work::Appliances,
        by_phone: false,
        booked: When::At(-11, 19, 45),
        staff: Some(YANG_JIANHUA),
        fate: Fate::Confirmed(4, "油烟机洗得很干净，就是师傅晚到了十分钟"),
        notes: "清洗油烟机",
        materials: "油烟机清洗剂",
    },
    Booking {
        home: Home::Pick(2, 0),
        day: -7,
        start: Some((10, 0)),
        work: Work::Hours(2),
        by_phone: true,
        booked: When::At(-8, 16, 0),
        staff: Some(HE_YULAN),
        fate: Fate::Confirmed(5, "准时，干活利索"),
        notes: "家中有老人，上门前请先打电话",
        materials: "",
    },
    Booking {
        home: Home::Pick(1, 1),
        day: -6,
        start: Some((14, 0)),
        work: Work::Hours(4),
        by_phone: false,
        booked: When::At(-8, 21, 30),
        staff: Some(LI_XIUYING),
        fate: Fate::Confirmed(4, "整体满意，阳台角落可以再仔细些"),
        notes: "",
        materials: "多功能清洁剂",
    },
    Booking {
        home: Home::Pick(0, 1),
        day: -5,
        start: Some((9, 0)),
        work: Work::Deep,
        by_phone: false,
        booked: When::At(-7, 12, 0),
        staff: Some(HE_YULAN),
        fate: Fate::Confirmed(5, "家里打扫得干干净净，谢谢社区"),
        notes: "老人住，地面防滑处理一下",
        materials: "多功能清洁剂、地板蜡",
    },
    Booking {
        home: Home::Pick(2, 1),
        day: -4,
        start: Some((15, 0)),
        work: Work::Appliances,
        by_phone: false,
        booked: When::At(-6, 10, 20),
        staff: Some(YANG_JIANHUA),
        fate: Fate::Confirmed(4, "空调洗完风大多了"),
        notes: "客厅挂机空调一台",
        materials: "空调清洗剂、防水罩",
    },
    Booking {
        home: Home::Pick(1, 2),
        day: -3,
        start: Some((9, 0)),
        work: Work::Hours(2),
        by_phone: false,
        booked: When::At(-5, 18, 0),
        staff: Some(LI_GUI),
        fate: Fate::Confirmed(5, "李师傅很勤快，还帮忙把垃圾带下楼"),
        notes: "",
        materials: "",
    },
    Booking {
        home: Home::Pick(2, 3),
        day: -3,
        start: Some((14, 0)),
        work: Work::Hours(3),
        by_phone: false,
        booked: When::At(-5, 8, 40),
        staff: Some(HE_YULAN),
        fate: Fate::Disputed("约的3小时，阿姨不到2小时就走了，卫生间也没有打扫"),
        notes: "卫生间和厨房都要打扫",
        materials: "抹布",
    },
    Booking {
        home: Home::Pick(0, 2),
        day: -2,
        start: Some((13, 0)),
        work: Work::Hours(3),
        by_phone: true,
        booked: When::At(-4, 11, 0),
        staff: Some(LI_XIUYING),
        fate: Fate::Confirmed(5, ""),
        notes: "住户电话预约",
        materials: "",
    },
    Booking {
        home: Home::Pick(1, 3),
        day: -1,
        start: Some((9, 0)),
        work: Work::Deep,
        by_phone: false,
        booked: When::At(-4, 20, 0),
        staff: Some(HE_YULAN),
        fate: Fate::Done,
        notes: "刚装修完，开荒保洁",
        materials: "多功能清洁剂、玻璃清洁剂、抹布",
    },
    Booking {
        home: Home::Pick(2, 2),
        day: -1,
        start: Some((10, 0)),
        work: Work::Hours(2),
        by_phone: false,
        booked: When::At(-3, 9, 15),
        staff: Some(LI_GUI),
        fate: Fate::Done,
        notes: "",
        materials: "垃圾袋",
    },
    Booking {
        home: Home::Pick(0, 3),
        day: 2,
        start: Some((10, 0)),
        work: Work::Deep,
        by_phone: false,
        booked: When::At(-3, 19, 0),
        staff: Some(LI_XIUYING),
        fate: Fate::Cancelled(When::At(-1, 20, 30), "家里临时有事，改天再约"),
        notes: "",
        materials: "",
    },
    Booking {
        home: Home::Pick(1, 4),
        day: 0,
        start: Some((13, 0)),
        work: Work::Hours(2),
        by_phone: false,
        booked: When::At(-2, 21, 0),
        staff: Some(LI_GUI),
        fate: Fate::ByClock,
        notes: "擦窗户，家里有猫",
        materials: "玻璃清洁剂",
    },
    Booking {
        home: Home::Pick(0, 4),
        day: 0,
        start: Some((17, 0)),
        work: Work::Hours(1),
        by_phone: true,
        booked: When::At(-1, 10, 30),
        staff: Some(LI_XIUYING),
        fate: Fate::ByClock,
        notes: "住户来电：帮忙整理储藏室",
        materials: "",
    },
    Booking {
        home: Home::Pick(2, 4),
        day: 0,
        start: None,
        work: Work::Hours(3),
        by_phone: false,
        booked: When::At(-2, 9, 0),
        staff: Some(HE_YULAN),
        fate: Fate::Started,
        notes: "",
        materials: "多功能清洁剂",
    },
    Booking {
        home: Home::Pick(1, 5),
        day: 0,
        start: Some((9, 0)),
        work: Work::Deep,
        by_phone: false,
        booked: When::At(-3, 20, 0),
        staff: Some(LI_XIUYING),
        fate: Fate::ByClock,
        notes: "过年前大扫除",
        materials: "多功能清洁剂、抹布",
    },
    Booking {
        home: Home::Pick(0, 5),
        day: 1,
        start: Some((9, 0)),
        work: Work::Hours(2),
        by_phone: false,
        booked: When::At(-1, 19, 20),
        staff: Some(LI_XIUYING),
        fate: Fate::Scheduled,
        notes: "",
        materials: "",
    },
    Booking {
        home: Home::Pick(1, 6),
        day: 1,
        start: Some((13, 0)),
        work: Work::Hours(2),
        by_phone: true,
        booked: When::At(-1, 15, 0),
        staff: Some(LI_XIUYING),
        fate: Fate::Scheduled,
        notes: "住户电话预约，请带拖把",
        materials: "",
    },
    Booking {
        home: Home::Pick(2, 5),
        day: 1,
        start: Some((10, 0)),
        work: Work::Appliances,
        by_phone: false,
        booked: When::At(-1, 8, 50),
        staff: Some(YANG_JIANHUA),
        fate: Fate::Scheduled,
        notes: "洗衣机除垢",
        materials: "",
    },
    Booking {
        home: Home::Pick(1, 7),
        day: 2,
        start: Some((9, 0)),
        work: Work::Hours(3),
        by_phone: false,
        booked: When::At(-1, 21, 0),
        staff: Some(HE_YULAN),
        fate: Fate::Scheduled,
        notes: "",
        materials: "",
    },
    Booking {
        home: Home::Pick(2, 6),
        day: 3,
        start: Some((14, 0)),
        work: Work::Deep,
        by_phone: true,
        booked: When::At(-1, 16, 40),
        staff: Some(LI_XIUYING),
        fate: Fate::Scheduled,
        notes: "住户电话预约",
        materials: "",
    },
    Booking {
        home: Home::Pick(0, 6),
        day: 2,
        start: Some((15, 0)),
        work: Work::Hours(2),
        by_phone: false,
        booked: When::At(-2, 10, 0),
        staff: None,
        fate: Fate::Requested,
        notes: "家里有老人，上门前请先电话联系",
        materials: "",
    },
    Booking {
        home: Home::Pick(1, 8),
        day: 3,
        start: Some((9, 0)),
        work: Work::Appliances,
        by_phone: false,
        booked: When::MinutesAgo(120),
        staff: None,
        fate: Fate::Requested,
        notes: "冰箱清洗除味",
        materials: "",
    },
    Booking {
        home: Home::Pick(2, 7),
        day: 4,
        start: Some((10, 0)),
        work: Work::Deep,
        by_phone: true,
        booked: When::MinutesAgo(30),
        staff: None,
        fate: Fate::Requested,
        notes: "住户不会用手机，电话预约；高处窗户需带梯子",
        materials: "",
    },
];

/// A day relative to the seed's: days from it, or a weekday of the week
/// after it (0 = Monday).
#[derive(Clone, Copy)]
enum Day {
    FromToday(i64),
    NextWeek(i64),
}

/// A housekeeping order still waiting for someone, booked a while ago.
struct Waiting {
    home: Home,
    day: Day,
    start: (u32, u32),
    work: Work,
    by_phone: bool,
    booked_minutes_ago: i64,
    notes: &'static str,
}

/// Waiting orders across this week and the next, for the weekly schedule's
/// list and for auto-assignment; all in the afternoon, so the mornings the
/// tests book stay open. The first two, tomorrow 14:00–16:00 at two
/// households of 文华苑, are the browser tests' to assign.
const WAITING: &[Waiting] = &[
    Waiting {
        home: Home::Pick(1, 9),
        day: Day::FromToday(1),
        start: (14, 0),
        work: Work::Hours(2),
        by_phone: false,
        booked_minutes_ago: 90,
        notes: "家里有小孩，请用温和的清洁剂",
    },
    Waiting {
        home: Home::Pick(1, 10),
        day: Day::FromToday(1),
        start: (14, 0),
        work: Work::Hours(2),
        by_phone: true,
        booked_minutes_ago: 240,
        notes: "住户电话预约：厨房和卫生间",
    },
    Waiting {
        home: Home::Pick(0, 7),
        day: Day::FromToday(2),
        start: (16, 0),
        work: Work::Hours(2),
        by_phone: false,
        booked_minutes_ago: 50,
        notes: "",
    },
    Waiting {
        home: Home::Pick(2, 12),
        day: Day::FromToday(4),
        start: (16, 0),
        work: Work::Appliances,
        by_phone: false,
        booked_minutes_ago: 15,
        notes: "洗衣机有异味",
    },
    Waiting {
        home: Home::Pick(2, 8),
        day: Day::NextWeek(0),
        start: (14, 0),
        work: Work::Appliances,
        by_phone: false,
        booked_minutes_ago: 300,
        notes: "客厅和卧室空调各一台",
    },
    Waiting {
        home: Home::Pick(0, 8),
        day: Day::NextWeek(0),
        start: (15, 0),
        work: Work::Hours(3),
        by_phone: true,
        booked_minutes_ago: 400,
        notes: "老人独居，上门前请先电话联系",
    },
    Waiting {
        home: Home::Pick(2, 9),
        day: Day::NextWeek(1),
        start: (13, 0),
        work: Work::Deep,
        by_phone: false,
        booked_minutes_ago: 700,
        notes: "退租前深度保洁",
    },
    Waiting {
        home: Home::Pick(1, 11),
        day: Day::NextWeek(2),
        start: (14, 0),
        work: Work::Hours(2),
        by_phone: false,
        booked_minutes_ago: 120,
        notes: "",
    },
    Waiting {
        home: Home::Pick(0, 9),
        day: Day::NextWeek(2),
        start: (16, 0),
        work: Work::Hours(2),
        by_phone: false,
        booked_minutes_ago: 35,
        notes: "擦窗户，阳台也要",
    },
    Waiting {
        home: Home::Pick(1, 12),
        day: Day::NextWeek(3),
        start: (13, 0),
        work: Work::Appliances,
        by_phone: true,
        booked_minutes_ago: 600,
        notes: "住户电话预约：油烟机清洗",
    },
    Waiting {
        home: Home::Pick(2, 10),
        day: Day::NextWeek(3),
        start: (15, 0),
        work: Work::Hours(2),
        by_phone: false,
        booked_minutes_ago: 200,
        notes: "",
    },
    Waiting {
        home: Home::Pick(0, 10),
        day: Day::NextWeek(4),
        start: (14, 0),
        work: Work::Deep,
        by_phone: false,
        booked_minutes_ago: 800,
        notes: "新房入住前开荒保洁",
    },
    Waiting {
        home: Home::Pick(2, 11),
        day: Day::NextWeek(5),
        start: (13, 0),
        work: Work::Hours(3),
        by_phone: false,
        booked_minutes_ago: 1_000,
        notes: "",
    },
    Waiting {
        home: Home::Pick(1, 13),
        day: Day::NextWeek(6),
        start: (14, 0),
        work: Work::Hours(2),
        by_phone: true,
        booked_minutes_ago: 1_200,
        notes: "住户电话预约，周末家里有人",
    },
];

/// Complaints: about a booking (index into `BOOKINGS`) or the estate, by
/// its household's resident; with 和秀's answer.
struct ComplaintSpec {
    home: Home,
    order: Option<usize>,
    filed: When,
    body: &'static str,
    answer: Option<(When, &'static str)>,
}

const COMPLAINTS: &[ComplaintSpec] = &[
    ComplaintSpec {
        home: Home::Pick(1, 0),
        order: Some(2),
        filed: When::At(-9, 12, 0),
        body: "师傅晚到了十分钟，也没有提前打电话说一声。",
        answer: Some((
            When::At(-8, 9, 30),
            "已向杨建华师傅了解情况，是上一单收尾耽误了。我们已要求师傅遇到延误提前电话告知住户，感谢您的监督！",
        )),
    },
    ComplaintSpec {
        home: Home::Pick(2, 3),
        order: Some(8),
        filed: When::At(-3, 19, 0),
        body: "约的3小时，实际不到2小时阿姨就走了，卫生间也没打扫，希望公司核实后按实际时间收费。",
        answer: None,
    },
    ComplaintSpec {
        home: Home::Pick(2, 1),
        order: None,
        filed: When::At(-1, 9, 0),
        body: "周末小区垃圾桶没人清运，气味很大，希望周日也安排保洁。",
        answer: None,
    },
];

/// One step of an order's history, for one batch insert.
struct Event {
    order: i64,
    at: NaiveDateTime,
    person: Option<i64>,
    step: Option<&'static str>,
    to: OrderState,
    comment: String,
}

/// What the seed knows of its moment: now in UTC, and the day in China.
#[derive(Clone, Copy)]
struct Clock {
    now: NaiveDateTime,
    today: NaiveDate,
}

impl Clock {
    fn local(&self, day: i64, (hour, minute): (u32, u32)) -> NaiveDateTime {
        (self.today + Duration::days(day)).and_time(NaiveTime::MIN)
            + Duration::minutes(i64::from(hour * 60 + minute))
    }

    /// In UTC, never after now.
    fn utc(&self, when: When) -> NaiveDateTime {
        let at = match when {
            When::At(day, hour, minute) => from_china(self.local(day, (hour, minute))),
            When::MinutesAgo(m) => self.now - Duration::minutes(m),
        };
        at.min(self.now)
    }

    /// Scheduled, in progress or done, by the clock.
    fn state_of(&self, start: NaiveDateTime, end: NaiveDateTime) -> OrderState {
        let local = to_china(self.now);
        if local >= end {
            OrderState::Done
        } else if local >= start {
            OrderState::InProgress
        } else {
            OrderState::Scheduled
        }
    }
}

/// The households of one estate open to the demo's orders: lived in, with
/// an owner, and none of the demo accounts' (杨丽's is never touched);
/// picked in a fixed scattered order.
struct EstateHomes {
    picks: Vec<i64>,
    owners: BTreeMap<i64, estates::ResidentRow>,
    building_of: BTreeMap<i64, i64>,
}

fn estate_homes(conn: &mut DbConn, estate: i64) -> Result<EstateHomes, DbError> {
    let households = estates::households_of_estate(conn, estate)?;
    let residents = estates::current_residents_of_estate(conn, estate)?;
    let demo: BTreeSet<i64> = residents
        .iter()
        .filter(|r| r.phone.starts_with("138"))
        .map(|r| r.household_id)
        .collect();
    let mut owners: BTreeMap<i64, estates::ResidentRow> = BTreeMap::new();
    for r in residents {
        if r.relation == "owner" {
            owners.entry(r.household_id).or_insert(r);
        }
    }
    let candidates: Vec<i64> = households
        .iter()
        .filter(|h| !h.vacant && !demo.contains(&h.id) && owners.contains_key(&h.id))
        .map(|h| h.id)
        .collect();
    let mut picks = Vec::new();
    let n = candidates.len();
    let scattered = (0..n).map(|j| candidates[(j * 53 + 7) % n]);
    for id in scattered.chain(candidates.iter().copied()) {
        if picks.len() == 16 {
            break;
        }
        if !picks.contains(&id) {
            picks.push(id);
        }
    }
    Ok(EstateHomes {
        picks,
        owners,
        building_of: households.iter().map(|h| (h.id, h.building_id)).collect(),
    })
}

/// The household's owner as an account: the demo residents who use the app.
fn owner_account(
    conn: &mut DbConn,
    household: i64,
    owner: &estates::ResidentRow,
    hash: &mut DemoHash,
) -> Result<i64, AppError> {
    if let Some(person) = owner.person_id {
        return Ok(person);
    }
    let person = match estates::person_by_phone(conn, &owner.phone)? {
        Some(person) => person,
        None => {
            let hash = hash.get()?;
            let person = accounts::insert_person(
                conn,
                &NewPerson {
                    name: &owner.name,
                    phone: Some(&owner.phone),
                    username: None,
                    email: None,
                    password_hash: &hash,
                    must_change_password: false,
                },
            )?;
            accounts::insert_grant(
                conn,
                person,
                "resident",
                GrantScope {
                    household_id: Some(household),
                    ..GrantScope::default()
                },
            )?;
            person
        }
    };
    diesel::update(residents::table.filter(residents::id.eq(owner.id)))
        .set(residents::person_id.eq(person))
        .execute(conn)
        .map_err(DbError::from)?;
    Ok(person)
}

/// A household chosen for the demo: id, estate, building, and the owner's
/// account when they use the app.
#[derive(Clone, Copy)]
struct Household {
    id: i64,
    estate: i64,
    building: i64,
    person: Option<i64>,
}

struct Homes {
    estates: Vec<Option<(i64, EstateHomes)>>,
    he_meihua: Option<Household>,
    accounts: BTreeMap<i64, i64>,
}

impl Homes {
    /// The household; with `account`, its owner gets an account if they
    /// have none (residents who book by phone only may have none).
    fn get(
        &mut self,
        conn: &mut DbConn,
        home: Home,
        account: bool,
        hash: &mut DemoHash,
    ) -> Result<Option<Household>, AppError> {
        let (estate_index, k) = match home {
            Home::HeMeihua => return Ok(self.he_meihua),
            Home::Pick(e, k) => (e, k),
        };
        let Some(Some((estate, homes))) = self.estates.get(estate_index) else {
            return Ok(None);
        };
        let Some(&id) = homes.picks.get(k) else {
            return Ok(None);
        };
        let (Some(owner), Some(&building)) = (homes.owners.get(&id), homes.building_of.get(&id))
        else {
            return Ok(None);
        };
        let estate = *estate;
        let known = self.accounts.get(&id).copied().or(owner.person_id);
        let person = match known {
            Some(p) => Some(p),
            None if account => {
                let owner = owner.clone();
                let p = owner_account(conn, id, &owner, hash)?;
                self.accounts.insert(id, p);
                Some(p)
            }
            None => None,
        };
        Ok(Some(Household {
            id,
            estate,
            building,
            person,
        }))
    }
}

fn he_meihua_home(conn: &mut DbConn, estate: Option<i64>) -> Result<Option<Household>, DbError> {
    let (Some(estate), Some(person)) = (estate, estates::person_by_phone(conn, HE_MEIHUA)?) else {
        return Ok(None);
    };
    let found = estates::current_residents_of_estate(conn, estate)?
        .into_iter()
        .find(|r| r.phone == HE_MEIHUA);
    let Some(r) = found else {
        return Ok(None);
    };
    // Never 杨丽's, should the demo data ever put them together.
    let shared = estates::residents_of_household(conn, r.household_id)?
        .iter()
        .any(|o| o.phone == YANG_LI);
    if shared {
        return Ok(None);
    }
    let (building, _, _) = db::household_home(conn, r.household_id)?;
    Ok(Some(Household {
        id: r.household_id,
        estate,
        building,
        person: Some(person),
    }))
}

/// A service with its facts and the price versions (from, ours, market).
struct ServicePrice {
    id: i64,
    visit_minutes: i64,
    response_hours: i64,
    versions: Vec<(NaiveDate, i64, i64)>,
}

impl ServicePrice {
    fn on(&self, day: NaiveDate) -> Option<(i64, i64)> {
        self.versions
            .iter()
            .filter(|(from, _, _)| *from <= day)
            .max_by_key(|(from, _, _)| *from)
            .map(|(_, ours, market)| (*ours, *market))
    }
}

fn service_prices(
    conn: &mut DbConn,
    company: i64,
) -> Result<BTreeMap<&'static str, ServicePrice>, DbError> {
    let by_name = services_by_name(conn, company)?;
    let ids: Vec<i64> = by_name.values().copied().collect();
    let facts = db::service_facts(conn, &ids)?;
    let prices = pricing::prices_of(conn, &ids)?;
    let mut out = BTreeMap::new();
    for name in [HOUSEKEEPING, DEEP_CLEANING, APPLIANCES] {
        let Some(f) = by_name
            .get(name)
            .and_then(|id| facts.iter().find(|f| f.id == *id))
        else {
            continue;
        };
        out.insert(
            name,
            ServicePrice {
                id: f.id,
                visit_minutes: f.visit_minutes,
                response_hours: f.response_hours,
                versions: prices
                    .iter()
                    .filter(|p| p.service_id == f.id)
                    .map(|p| (p.effective_from, p.our_fen, p.market_fen))
                    .collect(),
            },
        );
    }
    Ok(out)
}

/// The manager sends someone an hour or so after the booking, in office
/// hours (08:30 the next morning for a booking made at night), and before
/// the slot.
fn scheduled_at(clock: &Clock, booked: NaiveDateTime, slot_start: NaiveDateTime) -> NaiveDateTime {
    let mut local = to_china(booked) + Duration::minutes(75);
    let half_past_eight = Duration::minutes(8 * 60 + 30);
    if local.hour() < 8 {
        local = local.date().and_time(NaiveTime::MIN) + half_past_eight;
    } else if local.hour() >= 20 {
        local = (local.date() + Duration::days(1)).and_time(NaiveTime::MIN) + half_past_eight;
    }
    let latest = from_china(slot_start - Duration::minutes(10));
    from_china(local).min(latest).max(booked).min(clock.now)
}

fn jitter(rng: &mut Rng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(rng.range(lo, hi))
}

/// Wenhui's work orders, their histories and charges, the plans' visits
/// sent to their cleaners, and the complaints; in one write transaction.
pub(super) fn seed_orders(
    conn: &mut DbConn,
    company: i64,
    now: NaiveDateTime,
    hash: &mut DemoHash,
) -> Result<(), AppError> {
    let clock = Clock {
        now,
        today: to_china(now).date(),
    };
    let he_xiu = estates::person_by_phone(conn, HE_XIU)?;
    let mut staff: BTreeMap<&'static str, (i64, String)> = BTreeMap::new();
    for phone in [
        LI_GUI,
        HE_LIQIONG,
        MU_CHUNHUA,
        YANG_JIANHUA,
        HE_YULAN,
        LI_XIUYING,
    ] {
        if let Some(id) = estates::person_by_phone(conn, phone)? {
            let name = db::person_names(conn, &[id])?
                .remove(&id)
                .unwrap_or_default();
            staff.insert(phone, (id, name));
        }
    }
    let mut events: Vec<Event> = Vec::new();
    plan_visits(conn, company, &clock, he_xiu, &staff, &mut events)?;

    let estate_ids = wenhui_estates(conn, company)?;
    let mut homes = Homes {
        estates: Vec::new(),
        he_meihua: he_meihua_home(conn, estate_ids.first().copied().flatten())?,
        accounts: BTreeMap::new(),
    };
    for estate in &estate_ids {
        homes.estates.push(match estate {
            Some(id) => Some((*id, estate_homes(conn, *id)?)),
            None => None,
        });
    }
    let services = service_prices(conn, company)?;
    let mut order_ids: Vec<Option<i64>> = Vec::new();
    for (index, b) in (0u64..).zip(BOOKINGS) {
        let id = booking(
            conn,
            company,
            &clock,
            b,
            index,
            &mut homes,
            &services,
            he_xiu,
            &staff,
            hash,
            &mut events,
        )?;
        order_ids.push(id);
    }
    let next_monday = week_start(clock.today) + Duration::days(7);
    for (index, w) in (0u64..).zip(WAITING) {
        let day = match w.day {
            Day::FromToday(n) => n,
            Day::NextWeek(k) => (next_monday + Duration::days(k) - clock.today).num_days(),
        };
        let b = Booking {
            home: w.home,
            day,
            start: Some(w.start),
            work: w.work,
            by_phone: w.by_phone,
            booked: When::MinutesAgo(w.booked_minutes_ago),
            staff: None,
            fate: Fate::Requested,
            notes: w.notes,
            materials: "",
        };
        let index = index + BOOKINGS.len() as u64;
        booking(
            conn,
            company,
            &clock,
            &b,
            index,
            &mut homes,
            &services,
            he_xiu,
            &staff,
            hash,
            &mut events,
        )?;
    }
    insert_events(conn, &events)?;

    for c in COMPLAINTS {
        let Some(home) = homes.get(conn, c.home, true, hash)? else {
            continue;
        };
        let Some(filed_by) = home.person else {
            continue;
        };
        let order = match c.order {
            Some(i) => match order_ids.get(i).copied().flatten() {
                Some(id) => Some(id),
                None => continue,
            },
            None => None,
        };
        let id = db::insert_complaint(
            conn,
            &db::NewComplaint {
                company_id: company,
                estate_id: home.estate,
                household_id: Some(home.id),
                order_id: order,
                filed_by,
                body: c.body,
                at: clock.utc(c.filed),
            },
        )?;
        if let (Some((when, answer)), Some(he_xiu)) = (c.answer, he_xiu) {
            db::answer_complaint(conn, id, answer, he_xiu, clock.utc(when))?;
        }
    }
    Ok(())
}

/// Sends the plans' visits to their cleaners: those over done (or under
/// way), the rest scheduled, with the history the app would have written.
fn plan_visits(
    conn: &mut DbConn,
    company: i64,
    clock: &Clock,
    he_xiu: Option<i64>,
    staff: &BTreeMap<&'static str, (i64, String)>,
    events: &mut Vec<Event>,
) -> Result<(), DbError> {
    let estate_ids = wenhui_estates(conn, company)?;
    let ids: Vec<i64> = estate_ids.iter().flatten().copied().collect();
    let buildings = db::buildings_of_estates(conn, &ids)?;
    let services = services_by_name(conn, company)?;
    let local_now = to_china(clock.now);
    for plan in db::plans_of_company(conn, company)? {
        let spec = PLANS.iter().find(|s| {
            let estate = estate_ids.get(s.estate).copied().flatten();
            let building = s.building.and_then(|name| {
                buildings
                    .iter()
                    .find(|(_, e, n)| Some(*e) == estate && n == name)
                    .map(|b| b.0)
            });
            estate == Some(plan.estate_id)
                && building == plan.building_id
                && services.get(s.service) == Some(&plan.service_id)
                && minute_of(s.start) == plan.start_minute
                && Weekdays::from_numbers(s.weekdays).map(Weekdays::bits) == Some(plan.weekdays)
        });
        let Some(spec) = spec else {
            continue;
        };
        let Some((cleaner, name)) = staff.get(spec.cleaner) else {
            continue;
        };
        let visits: Vec<(i64, NaiveDateTime, NaiveDateTime, NaiveDateTime)> = work_orders::table
            .filter(work_orders::plan_id.eq(plan.id))
            .filter(work_orders::state.eq(OrderState::Requested.code()))
            .order(work_orders::slot_start)
            .select((
                work_orders::id,
                work_orders::slot_start,
                work_orders::slot_end,
                work_orders::created_at,
            ))
            .load(conn)?;
        let mut rng = Rng::new(0x91A7_0000 + u64::try_from(plan.id).unwrap_or(0));
        for &(id, start, end, created) in &visits {
            let state = clock.state_of(start, end);
            events.push(Event {
                order: id,
                at: (created + Duration::minutes(20)).min(clock.now),
                person: he_xiu,
                step: Some(OrderStep::Schedule.code()),
                to: OrderState::Scheduled,
                comment: format!("{name} {}", start.format("%Y-%m-%d %H:%M")),
            });
            if state != OrderState::Scheduled {
                events.push(Event {
                    order: id,
                    at: (from_china(start) + jitter(&mut rng, 0, 8)).min(clock.now),
                    person: Some(*cleaner),
                    step: Some(OrderStep::Start.code()),
                    to: OrderState::InProgress,
                    comment: String::new(),
                });
            }
            if state == OrderState::Done {
                events.push(Event {
                    order: id,
                    at: (from_china(end) - jitter(&mut rng, 0, 10)).min(clock.now),
                    person: Some(*cleaner),
                    step: Some(OrderStep::Finish.code()),
                    to: OrderState::Done,
                    comment: spec.materials.to_owned(),
                });
            }
        }
        // The same, in three statements per plan.
        let requested = OrderState::Requested.code();
        let waiting = || {
            work_orders::table
                .filter(work_orders::plan_id.eq(plan.id))
                .filter(work_orders::state.eq(requested))
        };
        diesel::update(waiting().filter(work_orders::slot_end.le(local_now)))
            .set((
                work_orders::state.eq(OrderState::Done.code()),
                work_orders::staff_id.eq(*cleaner),
                work_orders::materials.eq(spec.materials),
            ))
            .execute(conn)?;
        diesel::update(waiting().filter(work_orders::slot_start.le(local_now)))
            .set((
                work_orders::state.eq(OrderState::InProgress.code()),
                work_orders::staff_id.eq(*cleaner),
            ))
            .execute(conn)?;
        diesel::update(waiting())
            .set((
                work_orders::state.eq(OrderState::Scheduled.code()),
                work_orders::staff_id.eq(*cleaner),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One housekeeping order through its life; its id, or none when its
/// household, service or staff member is missing from the demo.
#[allow(clippy::too_many_arguments)]
fn booking(
    conn: &mut DbConn,
    company: i64,
    clock: &Clock,
    b: &Booking,
    index: u64,
    homes: &mut Homes,
    services: &BTreeMap<&'static str, ServicePrice>,
    he_xiu: Option<i64>,
    staff: &BTreeMap<&'static str, (i64, String)>,
    hash: &mut DemoHash,
    events: &mut Vec<Event>,
) -> Result<Option<i64>, AppError> {
    // Residents who book in the app, or confirm, dispute or cancel in it,
    // have accounts.
    let account = !b.by_phone
        || matches!(
            b.fate,
            Fate::Confirmed(..) | Fate::Disputed(_) | Fate::Cancelled(..)
        );
    let Some(home) = homes.get(conn, b.home, account, hash)? else {
        return Ok(None);
    };
    let (service_name, quantity) = match b.work {
        Work::Hours(h) => (HOUSEKEEPING, i64::from(h)),
        Work::Deep => (DEEP_CLEANING, 1),
        Work::Appliances => (APPLIANCES, 1),
    };
    let Some(service) = services.get(service_name) else {
        return Ok(None);
    };
    let minutes = match b.work {
        Work::Hours(h) => i64::from(h) * 60,
        Work::Deep | Work::Appliances => service.visit_minutes,
    };
    let worker = match b.staff {
        Some(phone) => match staff.get(phone) {
            Some(s) => Some(s),
            None => return Ok(None),
        },
        None => None,
    };
    let start = match b.start {
        Some(at) => clock.local(b.day, at),
        None => {
            // The hour before now, kept inside the working day.
            let latest = 18 - u32::try_from((minutes + 59) / 60).unwrap_or(3);
            let hour = to_china(clock.now)
                .hour()
                .saturating_sub(1)
                .clamp(8, latest);
            clock.local(b.day, (hour, 0))
        }
    };
    let end = start + Duration::minutes(minutes);
    let Some((ours, market)) = service.on(start.date()) else {
        return Ok(None);
    };
    let booked = clock
        .utc(b.booked)
        .min(from_china(start) - Duration::hours(1));
    let booked_by = if b.by_phone { he_xiu } else { home.person };
    let id = db::insert_order(
        conn,
        &db::NewOrder {
            company_id: company,
            estate_id: home.estate,
            building_id: Some(home.building),
            household_id: Some(home.id),
            service_id: service.id,
            plan_id: None,
            channel: if b.by_phone { "phone" } else { "app" },
            slot_start: start,
            slot_end: end,
            quantity,
            unit_price_fen: ours,
            market_fen: market,
            amount_fen: ours * quantity,
            chargeable: true,
            notes: b.notes,
            respond_by: respond_by(booked, u32::try_from(service.response_hours).unwrap_or(24)),
            booked_by,
            form_token: None,
            at: booked,
        },
    )?;
    events.push(Event {
        order: id,
        at: booked,
        person: booked_by,
        step: None,
        to: OrderState::Requested,
        comment: if b.by_phone { "代客下单" } else { "" }.to_owned(),
    });
    let Some((staff_id, staff_name)) = worker else {
        return Ok(Some(id));
    };
    let mut rng = Rng::new(0x0DE2_0000 + index);
    let sent = scheduled_at(clock, booked, start);
    db::schedule(
        conn,
        id,
        OrderState::Requested.code(),
        *staff_id,
        start,
        end,
    )?;
    events.push(Event {
        order: id,
        at: sent,
        person: he_xiu,
        step: Some(OrderStep::Schedule.code()),
        to: OrderState::Scheduled,
        comment: format!("{staff_name} {}", start.format("%Y-%m-%d %H:%M")),
    });
    let reached = match b.fate {
        Fate::Requested | Fate::Scheduled | Fate::Cancelled(..) => OrderState::Scheduled,
        Fate::ByClock => clock.state_of(start, end),
        Fate::Started if to_china(clock.now) >= start => OrderState::InProgress,
        Fate::Started => OrderState::Scheduled,
        Fate::Done | Fate::Confirmed(..) | Fate::Disputed(_) => OrderState::Done,
    };
    if let Fate::Cancelled(when, reason) = b.fate {
        let at = clock.utc(when).max(sent);
        let terms = match db::cancellation_terms(conn, home.estate)? {
            Some((hours, bp)) => CancellationTerms {
                free_hours: u32::try_from(hours).unwrap_or(24),
                late_fee_bp: u32::try_from(bp).unwrap_or(0),
            },
            None => CancellationTerms::DEFAULT,
        };
        let fee = terms.fee(
            Money::from_fen(ours * quantity),
            start,
            to_china(at),
            OrderActor::Resident,
        );
        db::set_state(
            conn,
            id,
            OrderState::Scheduled.code(),
            OrderState::Cancelled.code(),
        )?;
        db::set_cancel_fee(conn, id, fee.fen())?;
        if fee > Money::ZERO {
            let row = db::order(conn, id)?;
            db::insert_charge(conn, &row, home.id, "cancellation", fee.fen(), at)?;
        }
        events.push(Event {
            order: id,
            at,
            person: home.person,
            step: Some(OrderStep::Cancel.code()),
            to: OrderState::Cancelled,
            comment: reason.to_owned(),
        });
        return Ok(Some(id));
    }
    if reached == OrderState::Scheduled {
        return Ok(Some(id));
    }
    let started = (from_china(start) + jitter(&mut rng, 0, 10)).min(clock.now);
    events.push(Event {
        order: id,
        at: started,
        person: Some(*staff_id),
        step: Some(OrderStep::Start.code()),
        to: OrderState::InProgress,
        comment: String::new(),
    });
    if reached == OrderState::InProgress {
        db::set_state(
            conn,
            id,
            OrderState::Scheduled.code(),
            OrderState::InProgress.code(),
        )?;
        return Ok(Some(id));
    }
    // A disputed visit was cut short, as the resident says.
    let left = match b.fate {
        Fate::Disputed(_) => from_china(start) + Duration::minutes(110),
        _ => from_china(end) - jitter(&mut rng, 0, 10),
    };
    let finished = left.max(started).min(clock.now);
    events.push(Event {
        order: id,
        at: finished,
        person: Some(*staff_id),
        step: Some(OrderStep::Finish.code()),
        to: OrderState::Done,
        comment: b.materials.to_owned(),
    });
    db::set_materials(conn, id, b.materials)?;
    let to = match b.fate {
        Fate::Confirmed(stars, comment) => {
            db::set_rating(conn, id, stars, comment)?;
            let at = (finished + jitter(&mut rng, 90, 300)).min(clock.now);
            events.push(Event {
                order: id,
                at,
                person: home.person,
                step: Some(OrderStep::Confirm.code()),
                to: OrderState::Confirmed,
                comment: comment.to_owned(),
            });
            OrderState::Confirmed
        }
        Fate::Disputed(reason) => {
            let at = (finished + jitter(&mut rng, 60, 180)).min(clock.now);
            events.push(Event {
                order: id,
                at,
                person: home.person,
                step: Some(OrderStep::Dispute.code()),
                to: OrderState::Disputed,
                comment: reason.to_owned(),
            });
            OrderState::Disputed
        }
        _ => OrderState::Done,
    };
    db::set_state(conn, id, OrderState::Scheduled.code(), to.code())?;
    let row = db::order(conn, id)?;
    db::insert_charge(conn, &row, home.id, "service", row.amount_fen, finished)?;
    Ok(Some(id))
}

/// Many events in one statement per chunk, in order, so each order's
/// history reads oldest first.
fn insert_events(conn: &mut DbConn, events: &[Event]) -> Result<(), DbError> {
    use work_order_events as e;
    for chunk in events.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|ev| {
                (
                    e::order_id.eq(ev.order),
                    e::at.eq(ev.at),
                    e::person_id.eq(ev.person),
                    e::step.eq(ev.step),
                    e::to_state.eq(ev.to.code()),
                    e::comment.eq(ev.comment.as_str()),
                )
            })
            .collect();
        let insert = diesel::insert_into(e::table).values(rows);
        match conn {
            DbConn::Pg(c) => insert.execute(c)?,
            DbConn::Sqlite(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

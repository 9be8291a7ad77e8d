//! The schedule benchmark's data set (`hongye bench schedule`): one big
//! company with `staff` staff members, some described (skills, part-time
//! hours, days off, a few on leave), estates with households, and `orders`
//! orders in one week, half of them held by staff without a clash (within
//! their hours and skills, never two at once, half an hour between two jobs
//! of a day) and half still waiting for someone. Built with batched
//! inserts in one transaction, so thousands of rows take a moment; meant for
//! a database of its own (the benchmark makes a temporary one).
//!
//! Also the benchmark's two helpers that need the database below the
//! services: the baseline (the same rows read bare) and a query counter.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;

use super::{Rng, person_name};
use crate::db::schema::{
    persons, role_grants, staff_hours, staff_leave, staff_profiles, staff_skills, work_orders,
};
use crate::db::{DbConn, DbError, accounts, estates, org, pricing, schedule as db, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{Caller, GrantId, PersonId, Role, RoleGrant, Scope};
use crate::domain::org::CompanyId;
use crate::domain::schedule::week_start;
use crate::domain::time::china_date;

const COMPANY: (&str, &str) = ("基准测试城市服务公司", "Benchmark City Services Co.");

/// What was built.
#[derive(Debug, Clone)]
pub struct ScheduleBench {
    pub company: CompanyId,
    /// The company's manager, to look at the schedule as.
    pub manager: Caller,
    /// The week of the orders (a Monday, after the one `now` is in, so every
    /// waiting order is still ahead), as the schedule's `week` parameter takes it.
    pub week: String,
    pub monday: NaiveDate,
    pub staff: usize,
    /// Staff with a profile; the others do anything 08:00–18:00 every day.
    pub described: usize,
    pub estates: usize,
    pub households: usize,
    /// Orders held by staff, and orders waiting for someone.
    pub assigned: usize,
    pub waiting: usize,
}

/// The kinds of staff, in turn: undescribed, cleaner, part-time housekeeper,
/// handyman.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Standard,
    Cleaner,
    PartTime,
    Handyman,
}

impl Kind {
    fn of(index: usize) -> Kind {
        match index % 4 {
            0 => Kind::Standard,
            1 => Kind::Cleaner,
            2 => Kind::PartTime,
            _ => Kind::Handyman,
        }
    }

    fn skills(self) -> &'static [&'static str] {
        match self {
            Kind::Standard => &["cleaning", "estate_management", "housekeeping", "repair"],
            Kind::Cleaner => &["cleaning", "housekeeping"],
            Kind::PartTime => &["housekeeping"],
            Kind::Handyman => &["repair", "housekeeping", "estate_management"],
        }
    }

    /// Hours on a weekday (0 = Monday), minutes after midnight.
    fn hours(self, weekday: usize) -> Option<(i64, i64)> {
        match (self, weekday) {
            (Kind::Standard, _) => Some((8 * 60, 18 * 60)),
            (Kind::Cleaner, 0..=5) => Some((8 * 60, 17 * 60)),
            (Kind::PartTime, 0..=4) => Some((9 * 60, 15 * 60)),
            (Kind::Handyman, 0..=4) => Some((8 * 60, 18 * 60)),
            (Kind::Handyman, _) => Some((9 * 60, 13 * 60)),
            _ => None,
        }
    }
}

/// Every twenty-fifth staff member is away on the week's Wednesday and Thursday.
fn on_leave(index: usize, weekday: usize) -> bool {
    index % 25 == 7 && (2..=3).contains(&weekday)
}

/// The services orders are made of: name, category, unit, minutes, price
/// and market price in fen.
const SERVICES: &[(&str, &str, &str, &str, i64, i64, i64)] = &[
    (
        "日常家政保洁",
        "Housekeeping",
        "housekeeping",
        "per_hour",
        120,
        3_500,
        5_000,
    ),
    (
        "深度保洁",
        "Deep cleaning",
        "housekeeping",
        "per_visit",
        180,
        26_000,
        38_000,
    ),
    (
        "公共区域保洁",
        "Common-area cleaning",
        "cleaning",
        "per_visit",
        90,
        8_000,
        12_000,
    ),
    (
        "水电维修上门",
        "Plumbing and electrics call-out",
        "repair",
        "per_visit",
        60,
        3_000,
        5_000,
    ),
];

/// One order to insert.
struct NewOrder {
    estate: i64,
    building: i64,
    household: i64,
    service: usize,
    start: NaiveDateTime,
    staff: Option<i64>,
}

/// Builds the benchmark company: `staff` staff and `orders` orders in the
/// week after the one `now` is in.
pub fn build_schedule_bench(
    conn: &mut DbConn,
    staff: usize,
    orders: usize,
    now: NaiveDateTime,
) -> Result<ScheduleBench, DbError> {
    write_tx(conn, |conn| build(conn, staff.max(1), orders, now))
}

fn build(
    conn: &mut DbConn,
    staff: usize,
    orders: usize,
    now: NaiveDateTime,
) -> Result<ScheduleBench, DbError> {
    let mut rng = Rng::new(0xBE4C_0000 + staff as u64);
    let monday = week_start(china_date(now)) + Duration::days(7);
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
            founded_on: monday - Duration::days(365),
        },
    )?;

    let mut services = Vec::new();
    for (zh, en, category, unit, minutes, _, _) in SERVICES {
        let id = pricing::insert_service(
            conn,
            &pricing::NewService {
                company_id: company,
                category,
                unit,
                name: zh,
                name_en: en,
                at: now,
            },
        )?;
        pricing::set_timing(conn, id, *minutes, 24)?;
        services.push(id);
    }

    // Estates: one for every twenty staff, six buildings of 24 households each.
    let estate_count = (staff / 20).max(3);
    let mut homes: Vec<(i64, Vec<(i64, i64)>)> = Vec::new();
    for e in 0..estate_count {
        let name = format!("基准小区{}", e + 1);
        let name_en = format!("Bench Estate {}", e + 1);
        let estate = estates::ensure_estate(
            conn,
            community,
            Some(company),
            (&name, &name_en),
            &format!("丽江市古城区基准路{}号", e + 1),
        )?;
        let mut rows: Vec<(i64, String, String)> = Vec::new();
        for b in 1..=6 {
            let building = estates::insert_building(conn, estate, &format!("{b}栋"), "", "")?;
            for u in 1..=2 {
                for floor in 1..=6 {
                    for r in 1..=2 {
                        rows.push((building, format!("{u}单元"), format!("{floor}{r:02}")));
                    }
                }
            }
        }
        let new: Vec<estates::NewHousehold<'_>> = rows
            .iter()
            .map(|(building_id, unit, room)| estates::NewHousehold {
                building_id: *building_id,
                unit,
                room,
                floor_area: Some(8_000),
                vacant: false,
            })
            .collect();
        estates::insert_households(conn, &new)?;
        homes.push((
            estate,
            estates::households_of_estate(conn, estate)?
                .into_iter()
                .map(|h| (h.id, h.building_id))
                .collect(),
        ));
    }
    let estate_ids: Vec<i64> = homes.iter().map(|(estate, _)| *estate).collect();

    // Staff, their grants and profiles.
    let phone = |i: usize| format!("136{i:08}");
    let people: Vec<(String, String)> = (0..staff)
        .map(|i| (person_name(&mut rng, None), phone(i)))
        .collect();
    batch(conn, &people, |conn, chunk| {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(name, phone)| {
                (
                    persons::name.eq(name.as_str()),
                    persons::phone.eq(Some(phone.as_str())),
                    // No password: nobody signs in as these.
                    persons::password_hash.eq("!"),
                    persons::created_at.eq(now),
                )
            })
            .collect();
        insert(conn, diesel::insert_into(persons::table).values(rows))
    })?;
    let mut ids: Vec<(String, i64)> = persons::table
        .filter(persons::phone.like("136%"))
        .select((persons::phone.assume_not_null(), persons::id))
        .load(conn)?;
    ids.sort();
    let staff_ids: Vec<i64> = (0..staff)
        .filter_map(|i| {
            let p = phone(i);
            ids.binary_search_by(|(ph, _)| ph.as_str().cmp(p.as_str()))
                .ok()
                .map(|k| ids[k].1)
        })
        .collect();
    batch(conn, &staff_ids, |conn, chunk| {
        let rows: Vec<_> = chunk
            .iter()
            .map(|id| {
                (
                    role_grants::person_id.eq(*id),
                    role_grants::role.eq("staff"),
                    role_grants::company_id.eq(Some(company)),
                    role_grants::created_at.eq(now),
                )
            })
            .collect();
        insert(conn, diesel::insert_into(role_grants::table).values(rows))
    })?;
    let described: Vec<(usize, i64)> = (0..)
        .zip(staff_ids.iter().copied())
        .filter(|(i, _)| Kind::of(*i) != Kind::Standard)
        .collect();
    let home_of = |i: usize| estate_ids[i % estate_ids.len()];
    batch(conn, &described, |conn, chunk| {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(i, id)| {
                (
                    staff_profiles::company_id.eq(company),
                    staff_profiles::person_id.eq(*id),
                    staff_profiles::home_estate_id.eq(Some(home_of(*i))),
                    staff_profiles::updated_at.eq(now),
                )
            })
            .collect();
        insert(
            conn,
            diesel::insert_into(staff_profiles::table).values(rows),
        )
    })?;
    let skills: Vec<(i64, &str)> = described
        .iter()
        .flat_map(|(i, id)| Kind::of(*i).skills().iter().map(move |s| (*id, *s)))
        .collect();
    batch(conn, &skills, |conn, chunk| {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(id, category)| {
                (
                    staff_skills::company_id.eq(company),
                    staff_skills::person_id.eq(*id),
                    staff_skills::category.eq(*category),
                )
            })
            .collect();
        insert(conn, diesel::insert_into(staff_skills::table).values(rows))
    })?;
    let hours: Vec<(i64, i64, i64, i64)> = described
        .iter()
        .flat_map(|(i, id)| {
            (0..7).filter_map(move |d| {
                Kind::of(*i)
                    .hours(d)
                    .map(|(s, e)| (*id, d as i64 + 1, s, e))
            })
        })
        .collect();
    batch(conn, &hours, |conn, chunk| {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(id, day, start, end)| {
                (
                    staff_hours::company_id.eq(company),
                    staff_hours::person_id.eq(*id),
                    staff_hours::weekday.eq(*day),
                    staff_hours::start_minute.eq(*start),
                    staff_hours::end_minute.eq(*end),
                )
            })
            .collect();
        insert(conn, diesel::insert_into(staff_hours::table).values(rows))
    })?;
    for (i, id) in (0..).zip(&staff_ids) {
        if on_leave(i, 2) {
            diesel::insert_into(staff_leave::table)
                .values((
                    staff_leave::company_id.eq(company),
                    staff_leave::person_id.eq(*id),
                    staff_leave::first_day.eq(monday + Duration::days(2)),
                    staff_leave::last_day.eq(monday + Duration::days(3)),
                    staff_leave::note.eq("事假"),
                    staff_leave::created_at.eq(now),
                ))
                .execute(conn)?;
        }
    }

    // The manager.
    let manager = accounts::insert_person(
        conn,
        &accounts::NewPerson {
            name: "基准经理",
            phone: Some("13599999999"),
            username: None,
            email: None,
            password_hash: "!",
            must_change_password: false,
        },
    )?;
    let grant = accounts::insert_grant(
        conn,
        manager,
        "manager",
        accounts::GrantScope {
            company_id: Some(company),
            ..accounts::GrantScope::default()
        },
    )?;
    let grant = RoleGrant {
        id: GrantId(grant),
        role: Role::Manager,
        scope: Scope::Company(CompanyId(company)),
        scope_name: LocalizedName::new(COMPANY.0.to_owned(), COMPANY.1.to_owned()),
    };
    let manager = Caller {
        person: PersonId(manager),
        name: "基准经理".to_owned(),
        grant: Some(grant.clone()),
        grants: vec![grant],
        must_change_password: false,
    };

    // Held orders: each staff member's free places of the week, at most two
    // a day (the first on the hour, up to three hours into their day; the
    // second half an hour after it ends), handed out one per person in
    // turn, first on different days, each person's week starting on another
    // day.
    let assigned = orders / 2;
    let waiting = orders - assigned;
    let mut places: Vec<Vec<NewOrder>> = Vec::new();
    for (i, id) in (0..).zip(&staff_ids) {
        let kind = Kind::of(i);
        let mut first = Vec::new();
        let mut second = Vec::new();
        for d in (0..7).map(|k| (k + i) % 7) {
            let Some((open, close)) = kind.hours(d) else {
                continue;
            };
            if on_leave(i, d) {
                continue;
            }
            let day = monday + Duration::days(d as i64);
            let mut at = open + 60 * rng.range(0, 3);
            for list in [&mut first, &mut second] {
                let service = pick_service(&mut rng, kind);
                let minutes = SERVICES[service].4;
                if at + minutes > close {
                    break;
                }
                let (estate, household, building) = pick_home(&mut rng, &homes);
                list.push(NewOrder {
                    estate,
                    building,
                    household,
                    service,
                    start: local(day, at),
                    staff: Some(*id),
                });
                at += minutes + 30;
            }
        }
        first.extend(second);
        first.reverse();
        places.push(first);
    }
    let mut new_orders: Vec<NewOrder> = Vec::with_capacity(orders);
    'hand_out: while new_orders.len() < assigned {
        let before = new_orders.len();
        for list in &mut places {
            if new_orders.len() == assigned {
                break 'hand_out;
            }
            if let Some(o) = list.pop() {
                new_orders.push(o);
            }
        }
        if new_orders.len() == before {
            break;
        }
    }
    let assigned = new_orders.len();

    // Waiting orders: any day of the week, starting on the hour.
    for _ in 0..waiting {
        let service = pick_service(&mut rng, Kind::Standard);
        let minutes = SERVICES[service].4;
        let day = monday + Duration::days(rng.range(0, 6));
        let latest = (18 * 60 - minutes) / 60;
        let at = rng.range(8, latest) * 60;
        let (estate, household, building) = pick_home(&mut rng, &homes);
        new_orders.push(NewOrder {
            estate,
            building,
            household,
            service,
            start: local(day, at),
            staff: None,
        });
    }
    let booked = now - Duration::hours(2);
    batch(conn, &new_orders, |conn, chunk| {
        let rows: Vec<_> = chunk
            .iter()
            .map(|o| {
                let (_, _, _, unit, minutes, ours, market) = SERVICES[o.service];
                let quantity = if unit == "per_hour" { minutes / 60 } else { 1 };
                (
                    work_orders::company_id.eq(company),
                    work_orders::estate_id.eq(o.estate),
                    work_orders::building_id.eq(Some(o.building)),
                    work_orders::household_id.eq(Some(o.household)),
                    work_orders::service_id.eq(services[o.service]),
                    work_orders::channel.eq("app"),
                    work_orders::state.eq(if o.staff.is_some() {
                        "scheduled"
                    } else {
                        "requested"
                    }),
                    work_orders::slot_start.eq(o.start),
                    work_orders::slot_end.eq(o.start + Duration::minutes(minutes)),
                    work_orders::staff_id.eq(o.staff),
                    work_orders::quantity.eq(quantity),
                    work_orders::unit_price_fen.eq(ours),
                    work_orders::market_fen.eq(market),
                    work_orders::amount_fen.eq(ours * quantity),
                    work_orders::chargeable.eq(true),
                    work_orders::respond_by.eq(booked + Duration::hours(24)),
                    work_orders::created_at.eq(booked),
                )
            })
            .collect();
        insert(conn, diesel::insert_into(work_orders::table).values(rows))
    })?;

    Ok(ScheduleBench {
        company: CompanyId(company),
        manager,
        week: monday.to_string(),
        monday,
        staff: staff_ids.len(),
        described: described.len(),
        estates: estate_ids.len(),
        households: homes.iter().map(|(_, h)| h.len()).sum(),
        assigned,
        waiting,
    })
}

/// A service for someone of `kind` to do: mostly hourly housekeeping.
fn pick_service(rng: &mut Rng, kind: Kind) -> usize {
    let roll = rng.range(0, 99);
    match kind {
        Kind::Standard if roll < 50 => 0,
        Kind::Standard if roll < 65 => 1,
        Kind::Standard if roll < 80 => 2,
        Kind::Standard => 3,
        Kind::Cleaner if roll < 50 => 2,
        Kind::Cleaner => 0,
        Kind::PartTime if roll < 70 => 0,
        Kind::PartTime => 1,
        Kind::Handyman if roll < 60 => 3,
        Kind::Handyman => 0,
    }
}

/// A household anywhere: its estate, the household and its building.
fn pick_home(rng: &mut Rng, homes: &[(i64, Vec<(i64, i64)>)]) -> (i64, i64, i64) {
    let (estate, list) = &homes[rng.range(0, homes.len() as i64 - 1) as usize];
    let (household, building) = list[rng.range(0, list.len() as i64 - 1) as usize];
    (*estate, household, building)
}

fn local(day: NaiveDate, minute: i64) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + Duration::minutes(minute)
}

/// Runs `f` over `rows` in chunks small enough for one statement each on
/// either backend.
pub(super) fn batch<T>(
    conn: &mut DbConn,
    rows: &[T],
    mut f: impl FnMut(&mut DbConn, &[T]) -> Result<usize, DbError>,
) -> Result<usize, DbError> {
    let mut n = 0;
    for chunk in rows.chunks(500) {
        n += f(conn, chunk)?;
    }
    Ok(n)
}

/// A many-row insert: SQLite's batch insert is only for its own connection type.
pub(super) fn insert<Q>(conn: &mut DbConn, query: Q) -> Result<usize, DbError>
where
    Q: diesel::query_dsl::methods::ExecuteDsl<diesel::PgConnection>
        + diesel::query_dsl::methods::ExecuteDsl<diesel::SqliteConnection>,
{
    Ok(match conn {
        DbConn::Pg(c) => diesel::query_dsl::methods::ExecuteDsl::execute(query, c)?,
        DbConn::Sqlite(c) => diesel::query_dsl::methods::ExecuteDsl::execute(query, c)?,
    })
}

/// The benchmark's baseline for the weekly schedule: the same rows, read
/// bare in one query. Returns how many.
pub fn bare_week_rows(
    conn: &mut DbConn,
    company: CompanyId,
    monday: NaiveDate,
) -> Result<usize, DbError> {
    let from = monday.and_time(NaiveTime::MIN);
    Ok(db::bare_company_orders(conn, company.0, from, from + Duration::days(7))?.len())
}

/// Runs `f` and counts the statements it sends to the database.
pub fn count_queries<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> T) -> (T, usize) {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    let out = f(conn);
    conn.set_instrumentation(None::<Box<dyn Instrumentation>>);
    (out, count.load(Ordering::Relaxed))
}

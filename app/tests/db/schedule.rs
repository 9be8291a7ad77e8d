//! Staff scheduling on both databases, through the services the server
//! functions call: profiles (skills, weekly hours, home estate) and their bad
//! input, leave, the travel buffer, the rules every assignment passes
//! (trained, working, not on leave, clear of other jobs with travel time
//! between estates), a hundred simultaneous assignments of one person, the
//! slots booking offers, auto-assignment and the manager's week.
//!
//! Whether a caller reaches a company at all is decided by `authorize`
//! before any service runs; the HTTP authorization matrix covers that.
//!
//! The demo's own orders lie from two weeks before to four weeks after the
//! moment it is seeded, so these tests act six weeks later (`World::now`) and
//! put their work in the week after that (`World::monday`), where nothing else
//! is. Every staff member's profile that matters to a test is set by the
//! test, so profiles the seed may give its staff do not change the outcome.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::db::{DbConn, PooledConn, orders as orders_db, schedule as schedule_db};
use app::domain::access::{Caller, EstateId, PersonId, Scope};
use app::domain::orders::{OrderState, Slot, WorkOrderId};
use app::domain::org::CompanyId;
use app::domain::pricing::{BillingUnit, ServiceCategory, ServiceId};
use app::domain::schedule::{
    AssignError, AssignRefusal, DayHours, Job, Leave, LeaveId, StaffProfile, TravelBuffer,
    WeeklyHours, check_assignment, utilization_percent, week_start,
};
use app::domain::time::china_date;
use app::i18n::Key;
use app::services::access::{Session, session};
use app::services::clock::Clock;
use app::services::orders::{self, BookingForm};
use app::services::schedule::{self, ProfileForm};
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts};
use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};

/// A day off in a profile form.
const OFF: (&str, &str) = ("", "");
/// 08:00 to 18:00 every day: what an undescribed staff member works.
const EVERY_DAY: [(&str, &str); 7] = [("08:00", "18:00"); 7];
/// 08:00 to 17:00 Monday to Friday, the weekend off.
const WEEKDAYS: [(&str, &str); 7] = [
    ("08:00", "17:00"),
    ("08:00", "17:00"),
    ("08:00", "17:00"),
    ("08:00", "17:00"),
    ("08:00", "17:00"),
    OFF,
    OFF,
];

fn sign_in(state: &AppState, login: &str, now: NaiveDateTime) -> Caller {
    let signed = accounts::login(state, login, DEMO_PASSWORD, "10.0.0.1", now).expect("login");
    let mut conn = state.db.conn().expect("conn");
    let live: Session = session(&mut conn, &signed.token, &state.auth.session, now)
        .expect("session")
        .expect("live");
    live.caller
}

fn invalid<T: std::fmt::Debug>(result: Result<T, AppError>) -> (String, Key) {
    match result.expect_err("refused") {
        AppError::Invalid { field, message } => (field, message),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn refusal<T: std::fmt::Debug>(result: Result<T, AppError>) -> AppError {
    result.expect_err("refused")
}

fn clash() -> AppError {
    AppError::Conflict(Key::ScheduleErrorClash)
}

/// Phones for the staff the tests hire; unique within a database.
static PHONES: AtomicU32 = AtomicU32::new(0);

/// The seeded demo, Wenhui's manager, and a quiet week to work in.
struct World {
    state: AppState,
    /// 和秀, Wenhui's general manager.
    manager: Caller,
    company: CompanyId,
    /// Six weeks after the real clock, whole seconds, UTC.
    now: NaiveDateTime,
    /// The Monday of the week after `now`'s (China dates).
    monday: NaiveDate,
    /// Wenhui's estates, 玉泉花园 first.
    estates: Vec<i64>,
    /// 日常家政保洁: housekeeping by the hour, as the booking page offers it.
    housekeeping: i64,
    /// A cleaning service (楼道保洁, stair wells).
    cleaning: i64,
}

/// When the demo is seeded for these tests: 2026-11-18 10:00 in China.
fn t0() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
        .and_then(|d| d.and_hms_opt(2, 0, 0))
        .expect("valid")
}

fn world(t: &TestDb) -> World {
    // Six weeks after the demo was seeded: weeks with no demo orders yet.
    let now = t0() + Duration::weeks(6);
    let state = AppState::new(t.db.clone()).with_clock(Clock::Fixed(now));
    let manager = sign_in(&state, "hexiu", now);
    let Some(Scope::Company(company)) = manager.grant.as_ref().map(|g| g.scope) else {
        panic!("manager scope: {:?}", manager.grant);
    };
    let mut conn = state.db.conn().expect("conn");
    let mut estates: Vec<(i64, String)> = orders_db::estates_of_company(&mut conn, company.0)
        .expect("estates")
        .into_iter()
        .map(|(id, zh, _)| (id, zh))
        .collect();
    estates.sort_by_key(|(id, zh)| (zh != "玉泉花园", *id));
    assert!(estates.len() >= 2, "{estates:?}");
    let services = app::db::pricing::services_of(&mut conn, company.0).expect("services");
    let service = |name: &str, category: &str| {
        services
            .iter()
            .find(|s| s.name == name)
            .map(|s| {
                assert_eq!(s.category, category, "{name}");
                s.id
            })
            .unwrap_or_else(|| panic!("{name} among {services:?}"))
    };
    let housekeeping = service("日常家政保洁", "housekeeping");
    let cleaning = service("楼道保洁", "cleaning");
    drop(conn);
    World {
        monday: week_start(china_date(now)) + Duration::days(7),
        estates: estates.into_iter().map(|(id, _)| id).collect(),
        state,
        manager,
        company,
        now,
        housekeeping,
        cleaning,
    }
}

impl World {
    fn conn(&self) -> PooledConn {
        self.state.db.conn().expect("conn")
    }

    /// China local time on the `day`th day of the quiet week (0 = Monday).
    fn at(&self, day: i64, hour: u32, minute: u32) -> NaiveDateTime {
        self.day(day)
            .and_hms_opt(hour, minute, 0)
            .expect("valid time")
    }

    fn day(&self, day: i64) -> NaiveDate {
        self.monday + Duration::days(day)
    }

    /// A new staff member of Wenhui, who never signs in.
    fn hire(&self, conn: &mut DbConn, name: &str) -> PersonId {
        use app::db::accounts as db_accounts;
        let phone = format!("1370000{:04}", PHONES.fetch_add(1, Ordering::Relaxed));
        let person = db_accounts::insert_person(
            conn,
            &db_accounts::NewPerson {
                name,
                phone: Some(&phone),
                username: None,
                email: None,
                password_hash: "not-a-hash",
                must_change_password: false,
            },
        )
        .expect("person");
        db_accounts::insert_grant(
            conn,
            person,
            "staff",
            db_accounts::GrantScope {
                company_id: Some(self.company.0),
                ..Default::default()
            },
        )
        .expect("grant");
        PersonId(person)
    }

    /// Saves a profile as the form sends it.
    fn save(
        &self,
        conn: &mut DbConn,
        person: PersonId,
        skills: &[&str],
        home: Option<i64>,
        days: [(&str, &str); 7],
    ) -> Result<(), AppError> {
        let form = ProfileForm {
            person,
            skills: skills.iter().map(|s| (*s).to_owned()).collect(),
            home_estate: home.unwrap_or(0),
            starts: days.iter().map(|d| d.0.to_owned()).collect(),
            ends: days.iter().map(|d| d.1.to_owned()).collect(),
        };
        schedule::save_profile(conn, &self.manager, self.company, &form, self.now)
    }

    /// Every staff member Wenhui has so far: no skills, no hours, so only
    /// the people a test hires can take its work.
    fn sideline_everyone(&self, conn: &mut DbConn) {
        for (person, name) in orders_db::company_staff(conn, self.company.0).expect("staff") {
            self.save(conn, PersonId(person), &[], None, [OFF; 7])
                .unwrap_or_else(|e| panic!("sidelining {name}: {e:?}"));
        }
    }

    fn leave(
        &self,
        conn: &mut DbConn,
        person: PersonId,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<usize, AppError> {
        schedule::add_leave(
            conn,
            &self.manager,
            self.company,
            person,
            &first.to_string(),
            &last.to_string(),
            "",
            self.now,
        )
    }

    /// A waiting order of `service` at an estate (no household), inserted
    /// as booking would leave it, without booking's check for room.
    fn order(
        &self,
        conn: &mut DbConn,
        estate: i64,
        service: i64,
        start: NaiveDateTime,
        minutes: i64,
    ) -> WorkOrderId {
        self.order_of(
            conn,
            (self.company.0, estate, None),
            service,
            start,
            minutes,
        )
    }

    /// A waiting order for (company, estate, (building, household)).
    fn order_of(
        &self,
        conn: &mut DbConn,
        (company, estate, home): (i64, i64, Option<(i64, i64)>),
        service: i64,
        start: NaiveDateTime,
        minutes: i64,
    ) -> WorkOrderId {
        let id = orders_db::insert_order(
            conn,
            &orders_db::NewOrder {
                company_id: company,
                estate_id: estate,
                building_id: home.map(|h| h.0),
                household_id: home.map(|h| h.1),
                service_id: service,
                plan_id: None,
                channel: "phone",
                slot_start: start,
                slot_end: start + Duration::minutes(minutes),
                quantity: 1,
                unit_price_fen: 0,
                market_fen: 0,
                amount_fen: 0,
                chargeable: false,
                notes: "",
                respond_by: self.now + Duration::hours(24),
                booked_by: None,
                form_token: None,
                at: self.now,
            },
        )
        .expect("order");
        WorkOrderId(id)
    }

    fn assign(
        &self,
        conn: &mut DbConn,
        order: WorkOrderId,
        staff: PersonId,
    ) -> Result<(), AppError> {
        schedule::assign(
            conn,
            &self.state,
            &self.manager,
            self.company,
            order,
            staff,
            self.now,
        )
    }

    /// (state, staff, slot) of an order as stored.
    fn stored(&self, conn: &mut DbConn, order: WorkOrderId) -> (String, Option<PersonId>, Slot) {
        let row = orders_db::order(conn, order.0).expect("order");
        (
            row.state,
            row.staff_id.map(PersonId),
            Slot {
                start: row.slot_start,
                end: row.slot_end,
            },
        )
    }

    fn is_waiting(&self, conn: &mut DbConn, order: WorkOrderId) -> bool {
        let (state, staff, _) = self.stored(conn, order);
        state == "requested" && staff.is_none()
    }

    /// A person's profile as the staff profiles page shows it.
    fn profile_row(&self, conn: &mut DbConn, person: PersonId) -> app::domain::schedule::StaffRow {
        schedule::staff_profiles(conn, &self.manager, self.company, self.now)
            .expect("staff profiles")
            .staff
            .into_iter()
            .find(|r| r.profile.person == person)
            .expect("listed")
    }
}

/// Another company, in a district no demo account reaches, with an estate,
/// a household and a service: (company, estate, building, household, service).
fn other_company(conn: &mut DbConn, now: NaiveDateTime) -> (i64, i64, i64, i64, i64) {
    use app::db::{estates, org};
    let district = org::ensure_district(conn, "玉龙县", "Yulong County").expect("district");
    let street =
        org::ensure_street(conn, district, "黄山街道", "Huangshan Street", 0).expect("street");
    let community =
        org::ensure_community(conn, street, "白龙社区", "Bailong Community").expect("community");
    let company = org::ensure_company(
        conn,
        &org::NewCompany {
            community_id: community,
            party_organization_id: None,
            name: "白龙社区城市服务公司",
            name_en: "Bailong City Services",
            founded_on: NaiveDate::from_ymd_opt(2023, 1, 1).expect("date"),
        },
    )
    .expect("company");
    let estate = estates::ensure_estate(
        conn,
        community,
        Some(company),
        ("白龙小区", "Bailong Estate"),
        "",
    )
    .expect("estate");
    let building = estates::ensure_building(conn, estate, "1栋").expect("building");
    let household = estates::ensure_household(conn, building, "1单元", "101").expect("household");
    let service = app::db::pricing::insert_service(
        conn,
        &app::db::pricing::NewService {
            company_id: company,
            category: "housekeeping",
            unit: "per_hour",
            name: "家政",
            name_en: "",
            at: now,
        },
    )
    .expect("service");
    (company, estate, building, household, service)
}

/// A demo person by phone, without signing in.
fn person_by_phone(conn: &mut DbConn, phone: &str) -> PersonId {
    app::db::accounts::person_by_phone(conn, phone)
        .expect("query")
        .map(|p| PersonId(p.id))
        .expect("a demo person")
}

/// What was wrong, what came back, and the (field, message) expected.
type BadInput = (&'static str, Result<(), AppError>, (&'static str, Key));

fn count_profiles(conn: &mut DbConn) -> i64 {
    use app::db::schema::staff_profiles;
    use diesel::prelude::*;
    staff_profiles::table
        .count()
        .get_result(conn)
        .expect("count")
}

// ----- profiles -----

#[test]
fn a_manager_describes_a_staff_members_skills_hours_and_home_estate() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.conn();
        let person = w.hire(&mut conn, "周强");
        let home = w.estates[0];

        let before = w.profile_row(&mut conn, person);
        assert!(!before.described, "{}", t.backend);
        assert_eq!(before.profile, StaffProfile::standard(person));
        assert_eq!(before.available_minutes, 7 * 600);

        // Housekeeping and repairs (the second "housekeeping" is one skill),
        // 08:30 to 17:00 Monday to Saturday, Sundays off.
        let mut days = [(" 8:30", "17:00 "); 7];
        days[6] = OFF;
        w.save(
            &mut conn,
            person,
            &["repair", "housekeeping", " housekeeping"],
            Some(home),
            days,
        )
        .expect("saved");
        let day = DayHours::new(8 * 60 + 30, 17 * 60);
        let mut skills = vec![ServiceCategory::Repair, ServiceCategory::Housekeeping];
        skills.sort();
        let described = StaffProfile {
            person,
            skills,
            hours: WeeklyHours([day, day, day, day, day, day, None]),
            leave: Vec::new(),
            home_estate: Some(EstateId(home)),
        };

        let page = schedule::staff_profiles(&mut conn, &w.manager, w.company, w.now)
            .expect("staff profiles");
        assert!(page.can_manage);
        assert_eq!(page.travel_buffer, 20, "the default");
        assert!(page.estates.iter().any(|(e, _)| e.0 == home));
        let row = page
            .staff
            .iter()
            .find(|r| r.profile.person == person)
            .expect("listed");
        assert!(row.described, "{}", t.backend);
        assert_eq!(row.profile, described, "{}", t.backend);
        assert_eq!(row.name, "周强");
        assert_eq!(
            row.home_estate_name.as_ref().map(|n| n.zh.as_str()),
            Some("玉泉花园")
        );
        assert_eq!(row.available_minutes, 6 * 510);

        let week = schedule::week(
            &mut conn,
            &w.manager,
            w.company,
            &w.monday.to_string(),
            w.now,
        )
        .expect("week");
        let row = week
            .staff
            .iter()
            .find(|r| r.profile.person == person)
            .expect("on the schedule");
        assert_eq!(row.profile, described, "{}", t.backend);
        assert_eq!((row.booked_minutes, row.available_minutes), (0, 6 * 510));

        // Bad input is refused with the field to fix, and changes nothing.
        let (other, ..) = other_company(&mut conn, w.now);
        let other_estate = orders_db::estates_of_company(&mut conn, other).expect("estates")[0].0;
        let cashier = person_by_phone(&mut conn, "13800000006");
        let profiles = count_profiles(&mut conn);
        let with_day = |i: usize, hours: (&'static str, &'static str)| {
            let mut d = EVERY_DAY;
            d[i] = hours;
            d
        };
        let cases: Vec<BadInput> = vec![
            (
                "an unknown skill",
                w.save(
                    &mut conn,
                    person,
                    &["housekeeping", "gardening"],
                    Some(home),
                    EVERY_DAY,
                ),
                ("skills", Key::ScheduleErrorSkill),
            ),
            (
                "Monday ending before it starts",
                w.save(
                    &mut conn,
                    person,
                    &["housekeeping"],
                    Some(home),
                    with_day(0, ("17:00", "09:00")),
                ),
                ("hours-1", Key::ScheduleErrorHours),
            ),
            (
                "Wednesday until 25:00",
                w.save(
                    &mut conn,
                    person,
                    &["housekeeping"],
                    Some(home),
                    with_day(2, ("09:00", "25:00")),
                ),
                ("hours-3", Key::ScheduleErrorHours),
            ),
            (
                "Friday with only a start",
                w.save(
                    &mut conn,
                    person,
                    &["housekeeping"],
                    Some(home),
                    with_day(4, ("09:00", "")),
                ),
                ("hours-5", Key::ScheduleErrorHours),
            ),
            (
                "Sunday with only an end",
                w.save(
                    &mut conn,
                    person,
                    &["housekeeping"],
                    Some(home),
                    with_day(6, ("", "12:00")),
                ),
                ("hours-7", Key::ScheduleErrorHours),
            ),
            (
                "another company's estate as home",
                w.save(
                    &mut conn,
                    person,
                    &["housekeeping"],
                    Some(other_estate),
                    EVERY_DAY,
                ),
                ("home_estate", Key::ScheduleErrorEstate),
            ),
            (
                "the cashier, who is not staff",
                w.save(&mut conn, cashier, &["housekeeping"], None, EVERY_DAY),
                ("person", Key::OrderErrorStaff),
            ),
            (
                "nobody at all",
                w.save(&mut conn, PersonId(0), &["housekeeping"], None, EVERY_DAY),
                ("person", Key::OrderErrorStaff),
            ),
        ];
        for (what, result, (field, key)) in cases {
            assert_eq!(
                invalid(result),
                (field.to_owned(), key),
                "{what} on {}",
                t.backend
            );
        }
        // Six days of hours, not seven: the form is broken.
        let short = ProfileForm {
            person,
            skills: Vec::new(),
            home_estate: 0,
            starts: vec![String::new(); 6],
            ends: vec![String::new(); 6],
        };
        assert_eq!(
            invalid(schedule::save_profile(
                &mut conn, &w.manager, w.company, &short, w.now
            )),
            ("hours".to_owned(), Key::ScheduleErrorHours)
        );
        assert_eq!(count_profiles(&mut conn), profiles, "{}", t.backend);
        assert_eq!(
            w.profile_row(&mut conn, person).profile,
            described,
            "{}",
            t.backend
        );

        // Saving again replaces the whole profile: no home, one skill, weekdays.
        w.save(&mut conn, person, &["cleaning"], None, WEEKDAYS)
            .expect("saved again");
        let row = w.profile_row(&mut conn, person);
        assert_eq!(row.profile.skills, vec![ServiceCategory::Cleaning]);
        assert_eq!(row.profile.home_estate, None);
        assert_eq!(row.home_estate_name, None);
        assert_eq!(row.available_minutes, 5 * 540);
        assert_eq!(count_profiles(&mut conn), profiles);
    });
}

// ----- the rules of an assignment -----

#[test]
fn an_assignment_needs_the_skill_the_hours_no_leave_and_time_to_get_there() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.conn();
        let (here, there) = (w.estates[0], w.estates[1]);
        let hk = w.housekeeping;
        let person = w.hire(&mut conn, "周强");
        let colleague = w.hire(&mut conn, "赵敏");
        w.save(&mut conn, person, &["housekeeping"], Some(here), WEEKDAYS)
            .expect("profile");
        w.leave(&mut conn, person, w.day(1), w.day(1))
            .expect("Tuesday off");

        let stairs = w.order(&mut conn, here, w.cleaning, w.at(0, 9, 0), 60);
        let late = w.order(&mut conn, here, hk, w.at(0, 16, 0), 120);
        let early = w.order(&mut conn, here, hk, w.at(0, 7, 0), 120);
        let sunday = w.order(&mut conn, here, hk, w.at(6, 10, 0), 60);
        let tuesday = w.order(&mut conn, here, hk, w.at(1, 9, 0), 120);
        for (order, why) in [
            (stairs, Key::ScheduleErrorNotSkilled),
            (late, Key::ScheduleErrorOffHours),
            (early, Key::ScheduleErrorOffHours),
            (sunday, Key::ScheduleErrorOffHours),
            (tuesday, Key::ScheduleErrorOnLeave),
        ] {
            assert_eq!(
                refusal(w.assign(&mut conn, order, person)),
                AppError::Conflict(why),
                "order at {:?} on {}",
                w.stored(&mut conn, order).2,
                t.backend
            );
        }
        // The work-order step runs the same check.
        assert_eq!(
            refusal(orders::schedule(
                &mut conn, &w.state, &w.manager, tuesday, person, "", w.now
            )),
            AppError::Conflict(Key::ScheduleErrorOnLeave)
        );

        // Monday: 09:00-11:00 here; not 10:00-12:00 as well; 11:00-12:00 here
        // straight after; 12:00-13:00 over there needs the travel buffer.
        let first = w.order(&mut conn, here, hk, w.at(0, 9, 0), 120);
        let overlapping = w.order(&mut conn, here, hk, w.at(0, 10, 0), 120);
        let next_door = w.order(&mut conn, here, hk, w.at(0, 11, 0), 60);
        let across_town = w.order(&mut conn, there, hk, w.at(0, 12, 0), 60);
        w.assign(&mut conn, first, person).expect("first job");
        assert_eq!(
            refusal(w.assign(&mut conn, overlapping, person)),
            clash(),
            "{}",
            t.backend
        );
        assert_eq!(
            refusal(orders::schedule(
                &mut conn,
                &w.state,
                &w.manager,
                overlapping,
                person,
                "",
                w.now
            )),
            clash()
        );
        w.assign(&mut conn, next_door, person)
            .expect("same estate, back to back");
        assert_eq!(
            refusal(w.assign(&mut conn, across_town, person)),
            clash(),
            "twenty minutes to get across town, {}",
            t.backend
        );
        for (minutes, field) in [(-1, "minutes"), (241, "minutes")] {
            assert_eq!(
                invalid(schedule::set_travel_buffer(
                    &mut conn, &w.manager, w.company, minutes, w.now
                )),
                (field.to_owned(), Key::ScheduleErrorBuffer)
            );
        }
        assert_eq!(
            refusal(w.assign(&mut conn, across_town, person)),
            clash(),
            "the buffer is unchanged"
        );
        schedule::set_travel_buffer(&mut conn, &w.manager, w.company, 0, w.now)
            .expect("no travel time");
        w.assign(&mut conn, across_town, person)
            .expect("back to back across town without a buffer");
        assert_eq!(
            schedule_db::travel_buffer(&mut conn, w.company.0).expect("buffer"),
            0
        );

        for order in [stairs, late, early, sunday, tuesday, overlapping] {
            assert!(w.is_waiting(&mut conn, order), "{order:?} {}", t.backend);
        }
        for order in [first, next_door, across_town] {
            let (state, staff, _) = w.stored(&mut conn, order);
            assert_eq!((state.as_str(), staff), ("scheduled", Some(person)));
        }

        // Moving a scheduled job to someone else keeps its slot and frees
        // the first person's morning; the colleague now holds it.
        w.assign(&mut conn, first, colleague).expect("reassigned");
        let (state, staff, slot) = w.stored(&mut conn, first);
        assert_eq!(
            (state.as_str(), staff, slot.start),
            ("scheduled", Some(colleague), w.at(0, 9, 0)),
            "{}",
            t.backend
        );
        let earlier = w.order(&mut conn, here, hk, w.at(0, 9, 0), 120);
        w.assign(&mut conn, earlier, person)
            .expect("09:00 is free again for the first person");
        assert_eq!(
            refusal(w.assign(&mut conn, overlapping, colleague)),
            clash()
        );

        // Not the company's staff, and not the company's order.
        let cashier = person_by_phone(&mut conn, "13800000006");
        assert_eq!(
            invalid(w.assign(&mut conn, overlapping, cashier)),
            ("staff".to_owned(), Key::OrderErrorStaff)
        );
        let (company, estate, building, household, service) = other_company(&mut conn, w.now);
        let theirs = w.order_of(
            &mut conn,
            (company, estate, Some((building, household))),
            service,
            w.at(3, 9, 0),
            60,
        );
        assert_eq!(
            refusal(w.assign(&mut conn, theirs, person)),
            AppError::NotFound,
            "{}",
            t.backend
        );
        assert_eq!(
            refusal(w.assign(&mut conn, WorkOrderId(i64::MAX), person)),
            AppError::NotFound
        );
        assert!(w.is_waiting(&mut conn, theirs));
    });
}

// ----- a hundred managers at once -----

#[test]
fn a_hundred_simultaneous_assignments_of_one_person_to_one_window_let_exactly_one_through() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.conn();
        let person = w.hire(&mut conn, "周强");
        w.save(
            &mut conn,
            person,
            &["housekeeping", "cleaning"],
            Some(w.estates[0]),
            EVERY_DAY,
        )
        .expect("profile");
        // A hundred households across Wenhui's estates, each waiting for
        // someone on Wednesday between 10:00 and 12:00.
        let mut homes = Vec::new();
        for estate in &w.estates {
            homes.extend(
                app::db::estates::households_of_estate(&mut conn, *estate)
                    .expect("households")
                    .into_iter()
                    .filter(|h| !h.vacant)
                    .take(40)
                    .map(|h| (*estate, h.building_id, h.id)),
            );
        }
        assert!(homes.len() >= 100, "{} households", homes.len());
        let (from, to) = (w.at(2, 10, 0), w.at(2, 12, 0));
        let orders: Vec<WorkOrderId> = homes
            .iter()
            .take(100)
            .enumerate()
            .map(|(i, (estate, building, household))| {
                // Various lengths, all inside the two hours and overlapping
                // at 11:00.
                let (start, minutes) = match i % 3 {
                    0 => (from, 120),
                    1 => (from, 90),
                    _ => (from + Duration::minutes(60), 60),
                };
                w.order_of(
                    &mut conn,
                    (w.company.0, *estate, Some((*building, *household))),
                    w.housekeeping,
                    start,
                    minutes,
                )
            })
            .collect();
        drop(conn);

        let barrier = Barrier::new(orders.len());
        let began = Instant::now();
        let results: Vec<(WorkOrderId, Result<(), AppError>)> = std::thread::scope(|s| {
            let handles: Vec<_> = orders
                .iter()
                .map(|&order| {
                    let (w, barrier) = (&w, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let result = match w.state.db.conn() {
                            Ok(mut conn) => w.assign(&mut conn, order, person),
                            Err(e) => Err(AppError::from(e)),
                        };
                        (order, result)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        eprintln!(
            "{}: 100 simultaneous assignments in {:?}",
            t.backend,
            began.elapsed()
        );

        let won: Vec<WorkOrderId> = results
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(o, _)| *o)
            .collect();
        let other: Vec<&(WorkOrderId, Result<(), AppError>)> = results
            .iter()
            .filter(|(_, r)| matches!(r, Err(e) if *e != clash()))
            .collect();
        assert!(
            other.is_empty(),
            "on {} some calls failed otherwise than with a clash: {other:?}",
            t.backend
        );
        assert_eq!(won.len(), 1, "{} winners on {}", won.len(), t.backend);
        assert_eq!(
            results.iter().filter(|(_, r)| r.is_err()).count(),
            99,
            "{}",
            t.backend
        );

        use app::db::schema::work_orders;
        use diesel::prelude::*;
        let mut conn = w.conn();
        let held: Vec<i64> = work_orders::table
            .filter(work_orders::staff_id.eq(person.0))
            .filter(work_orders::state.eq_any(["scheduled", "in_progress"]))
            .filter(work_orders::slot_start.lt(to))
            .filter(work_orders::slot_end.gt(from))
            .select(work_orders::id)
            .load(&mut conn)
            .expect("held");
        assert_eq!(held, vec![won[0].0], "{}", t.backend);
        let waiting = orders
            .iter()
            .filter(|o| w.is_waiting(&mut conn, **o))
            .count();
        assert_eq!(waiting, 99, "{}", t.backend);
    });
}

// ----- leave -----

#[test]
fn leave_counts_the_jobs_already_held_and_only_the_company_removes_its_own() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.conn();
        let here = w.estates[0];
        let hk = w.housekeeping;
        let person = w.hire(&mut conn, "周强");
        w.save(&mut conn, person, &["housekeeping"], Some(here), EVERY_DAY)
            .expect("profile");
        for (day, hour) in [(1, 9), (1, 14), (3, 9)] {
            let order = w.order(&mut conn, here, hk, w.at(day, hour, 0), 120);
            w.assign(&mut conn, order, person).expect("assigned");
        }
        // A waiting order on Wednesday is nobody's job yet.
        let wednesday = w.order(&mut conn, here, hk, w.at(2, 9, 0), 120);

        // Tuesday and Wednesday away: two jobs are already held then, and
        // stay where they are for the manager to move.
        let held = schedule::add_leave(
            &mut conn,
            &w.manager,
            w.company,
            person,
            &format!(" {} ", w.day(1)),
            &w.day(2).to_string(),
            " 回老家探亲 ",
            w.now,
        )
        .expect("leave");
        assert_eq!(held, 2, "{}", t.backend);
        assert_eq!(
            w.leave(&mut conn, person, w.day(5), w.day(5))
                .expect("Saturday"),
            0
        );
        let page =
            schedule::staff_profiles(&mut conn, &w.manager, w.company, w.now).expect("profiles");
        let listed: Vec<(LeaveId, Leave, String)> = page
            .leave
            .iter()
            .filter(|l| l.1 == person)
            .map(|(id, _, leave, note)| (*id, *leave, note.clone()))
            .collect();
        assert_eq!(
            listed
                .iter()
                .map(|(_, l, n)| (*l, n.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (
                    Leave {
                        first: w.day(1),
                        last: w.day(2)
                    },
                    "回老家探亲"
                ),
                (
                    Leave {
                        first: w.day(5),
                        last: w.day(5)
                    },
                    ""
                ),
            ],
            "{}",
            t.backend
        );
        let away = listed[0].0;
        assert_eq!(
            refusal(w.assign(&mut conn, wednesday, person)),
            AppError::Conflict(Key::ScheduleErrorOnLeave)
        );

        // Bad leave is refused and records nothing.
        let count = |conn: &mut DbConn| {
            schedule_db::leave_between(conn, w.company.0, w.day(-400), w.day(400))
                .expect("leave")
                .len()
        };
        let before = count(&mut conn);
        assert_eq!(
            invalid(w.leave(&mut conn, person, w.day(3), w.day(2))),
            ("last".to_owned(), Key::ScheduleErrorLeaveOrder),
            "{}",
            t.backend
        );
        assert_eq!(
            invalid(w.leave(&mut conn, person, w.day(0), w.day(400))),
            ("last".to_owned(), Key::ScheduleErrorLeaveLong)
        );
        assert_eq!(
            invalid(schedule::add_leave(
                &mut conn,
                &w.manager,
                w.company,
                person,
                "下周一",
                &w.day(2).to_string(),
                "",
                w.now
            )),
            ("first".to_owned(), Key::EstateErrorDate)
        );
        let cashier = person_by_phone(&mut conn, "13800000006");
        assert_eq!(
            invalid(w.leave(&mut conn, cashier, w.day(1), w.day(1))),
            ("person".to_owned(), Key::OrderErrorStaff)
        );
        assert_eq!(count(&mut conn), before, "{}", t.backend);

        // Another company's leave is not Wenhui's to remove.
        let (other, ..) = other_company(&mut conn, w.now);
        let theirs = schedule_db::insert_leave(
            &mut conn,
            other,
            cashier.0,
            w.day(1),
            w.day(1),
            "",
            cashier.0,
            w.now,
        )
        .expect("their leave");
        assert_eq!(
            refusal(schedule::remove_leave(
                &mut conn,
                &w.manager,
                w.company,
                LeaveId(theirs),
                w.now
            )),
            AppError::NotFound,
            "{}",
            t.backend
        );
        assert_eq!(
            schedule_db::leave_between(&mut conn, other, w.day(0), w.day(6))
                .expect("their leave")
                .len(),
            1
        );

        schedule::remove_leave(&mut conn, &w.manager, w.company, away, w.now).expect("removed");
        assert_eq!(
            refusal(schedule::remove_leave(
                &mut conn, &w.manager, w.company, away, w.now
            )),
            AppError::NotFound,
            "gone"
        );
        let page =
            schedule::staff_profiles(&mut conn, &w.manager, w.company, w.now).expect("profiles");
        assert!(!page.leave.iter().any(|l| l.0 == away));
        w.assign(&mut conn, wednesday, person)
            .expect("back at work on Wednesday");
    });
}

// ----- the slots booking offers -----

#[test]
fn booking_offers_a_slot_only_while_someone_trained_working_and_free_is_left() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let resident = sign_in(&w.state, "13800000007", w.now);
        let Some(Scope::Household(household)) = resident.grant.as_ref().map(|g| g.scope) else {
            panic!("resident scope");
        };
        let mut conn = w.conn();
        let service = orders::booking_page(&mut conn, &resident, household, w.now)
            .expect("booking page")
            .services
            .into_iter()
            .find(|s| s.unit == BillingUnit::PerHour)
            .expect("hourly housekeeping")
            .id;
        assert_eq!(service, ServiceId(w.housekeeping));
        let (_, estate, _) = orders_db::household_home(&mut conn, household.0).expect("home");
        w.sideline_everyone(&mut conn);
        let keeper = w.hire(&mut conn, "周强");
        w.save(
            &mut conn,
            keeper,
            &["housekeeping"],
            Some(estate),
            EVERY_DAY,
        )
        .expect("profile");

        // Two hours on Monday: 08:00 to 16:00 starts.
        let offered = |conn: &mut DbConn| -> Vec<u32> {
            orders::free_slots(conn, household, service, &w.day(0).to_string(), 2, w.now)
                .expect("free slots")
                .iter()
                .map(|s| s.start.hour())
                .collect()
        };
        let book = |conn: &mut DbConn, hour: u32| {
            orders::book(
                conn,
                &w.state,
                &resident,
                household,
                &BookingForm {
                    service,
                    start: w.at(0, hour, 0).format("%Y-%m-%dT%H:%M").to_string(),
                    hours: 2,
                    notes: String::new(),
                    form_token: app::services::passwords::new_form_token(),
                },
                w.now,
            )
        };
        let all: Vec<u32> = (8..=16).collect();
        assert_eq!(offered(&mut conn), all, "{}", t.backend);
        let orders_before = orders_db::orders_of_household(&mut conn, household.0)
            .expect("orders")
            .len();

        // On leave: nobody left.
        w.leave(&mut conn, keeper, w.day(0), w.day(0))
            .expect("leave");
        assert_eq!(offered(&mut conn), Vec::<u32>::new(), "{}", t.backend);
        assert_eq!(
            book(&mut conn, 10),
            Err(AppError::Conflict(Key::OrderErrorSlotTaken))
        );
        let leave = schedule::staff_profiles(&mut conn, &w.manager, w.company, w.now)
            .expect("profiles")
            .leave
            .iter()
            .find(|l| l.1 == keeper)
            .map(|l| l.0)
            .expect("listed");
        schedule::remove_leave(&mut conn, &w.manager, w.company, leave, w.now).expect("back");
        assert_eq!(offered(&mut conn), all);

        // Trained for stair wells only: nobody left.
        w.save(&mut conn, keeper, &["cleaning"], Some(estate), EVERY_DAY)
            .expect("profile");
        assert_eq!(offered(&mut conn), Vec::<u32>::new(), "{}", t.backend);
        assert_eq!(
            book(&mut conn, 10),
            Err(AppError::Conflict(Key::OrderErrorSlotTaken))
        );
        // Working mornings only: the afternoon is not offered.
        let mornings = [("08:00", "12:00"); 7];
        w.save(&mut conn, keeper, &["housekeeping"], Some(estate), mornings)
            .expect("profile");
        assert_eq!(offered(&mut conn), vec![8, 9, 10], "{}", t.backend);
        w.save(
            &mut conn,
            keeper,
            &["housekeeping"],
            Some(estate),
            EVERY_DAY,
        )
        .expect("profile");

        // Busy from 10:00 to 12:00 at this estate: touching is free.
        let job = w.order(&mut conn, estate, w.housekeeping, w.at(0, 10, 0), 120);
        w.assign(&mut conn, job, keeper).expect("assigned");
        assert_eq!(
            offered(&mut conn),
            vec![8, 12, 13, 14, 15, 16],
            "{}",
            t.backend
        );
        for hour in [9, 10, 11] {
            assert_eq!(
                book(&mut conn, hour),
                Err(AppError::Conflict(Key::OrderErrorSlotTaken)),
                "{hour}:00 on {}",
                t.backend
            );
        }
        // Busy at another estate from 14:00: twenty minutes to get back
        // here rule out 16:00 as well as the overlapping starts.
        let elsewhere = w
            .estates
            .iter()
            .copied()
            .find(|e| *e != estate)
            .expect("another estate");
        let away = w.order(&mut conn, elsewhere, w.housekeeping, w.at(0, 14, 0), 120);
        w.assign(&mut conn, away, keeper).expect("assigned");
        assert_eq!(offered(&mut conn), vec![8], "{}", t.backend);
        assert_eq!(
            orders_db::orders_of_household(&mut conn, household.0)
                .expect("orders")
                .len(),
            orders_before,
            "nothing was booked"
        );

        // Someone free again: a new colleague, described by nobody.
        w.hire(&mut conn, "赵敏");
        assert_eq!(offered(&mut conn), all, "{}", t.backend);
        let booked = book(&mut conn, 10).expect("booked");
        assert!(!booked.already);
        // The waiting order will take the colleague, who was the only one
        // free from 09:00 to 13:00.
        assert_eq!(
            offered(&mut conn),
            vec![8, 12, 13, 14, 15, 16],
            "{}",
            t.backend
        );
    });
}

// ----- auto-assignment -----

#[test]
fn auto_assignment_proposes_only_qualified_free_staff_and_applies_what_still_holds() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.conn();
        let (here, there) = (w.estates[0], w.estates[1]);
        let (hk, cl) = (w.housekeeping, w.cleaning);
        w.sideline_everyone(&mut conn);
        // Hired in this order, so their ids rise in it.
        let a = w.hire(&mut conn, "A 安");
        let b = w.hire(&mut conn, "B 白");
        let c = w.hire(&mut conn, "C 陈");
        let d = w.hire(&mut conn, "D 邓");
        let e = w.hire(&mut conn, "E 鄂");
        let mut monday_off = EVERY_DAY;
        monday_off[0] = OFF;
        w.save(
            &mut conn,
            a,
            &["housekeeping", "cleaning"],
            Some(here),
            EVERY_DAY,
        )
        .expect("A");
        w.save(&mut conn, b, &["housekeeping"], Some(there), EVERY_DAY)
            .expect("B");
        w.save(&mut conn, c, &["cleaning"], Some(here), EVERY_DAY)
            .expect("C");
        w.save(&mut conn, d, &["housekeeping"], Some(here), EVERY_DAY)
            .expect("D");
        w.save(&mut conn, e, &["housekeeping"], Some(here), monday_off)
            .expect("E");
        w.leave(&mut conn, d, w.day(0), w.day(0))
            .expect("D away Monday");
        // B already works Tuesday afternoon here: two hours booked this week.
        let held = w.order(&mut conn, here, hk, w.at(1, 14, 0), 120);
        w.assign(&mut conn, held, b).expect("B's job");

        let o1 = w.order(&mut conn, there, hk, w.at(0, 9, 0), 120);
        let o2 = w.order(&mut conn, here, hk, w.at(0, 9, 0), 120);
        let o3 = w.order(&mut conn, here, hk, w.at(0, 9, 30), 60);
        let o4 = w.order(&mut conn, here, cl, w.at(0, 11, 0), 60);
        let o5 = w.order(&mut conn, there, hk, w.at(0, 11, 0), 60);
        let o6 = w.order(&mut conn, here, hk, w.at(1, 10, 0), 60);
        // Next week's order is not this week's business.
        let later = w.order(&mut conn, here, hk, w.at(7, 10, 0), 60);

        let proposal =
            schedule::auto_assign_preview(&mut conn, w.company, &w.day(3).to_string(), w.now)
                .expect("preview");
        let chosen: BTreeMap<WorkOrderId, Option<PersonId>> = proposal
            .iter()
            .map(|p| (p.job.order, p.staff.as_ref().map(|s| s.0)))
            .collect();
        assert_eq!(
            chosen,
            BTreeMap::from([
                // B lives over there, A would have to travel (though B has
                // more booked this week).
                (o1, Some(b)),
                // A lives here; B is taken; D is away, E is off on Mondays.
                (o2, Some(a)),
                // Everyone trained is taken, away or off.
                (o3, None),
                // Cleaning: A and C need no travel, C has less booked.
                (o4, Some(c)),
                // Over there at 11:00: B is already there; A could not get
                // there from here in time.
                (o5, Some(b)),
                // Tuesday: D is back; D and E have nothing booked, D's
                // number is lower.
                (o6, Some(d)),
            ]),
            "{}",
            t.backend
        );
        assert!(!chosen.contains_key(&later));
        let names: BTreeMap<PersonId, &str> = proposal
            .iter()
            .filter_map(|p| p.staff.as_ref().map(|(id, name)| (*id, name.as_str())))
            .collect();
        assert_eq!(names.get(&b), Some(&"B 白"));

        // Every proposal passes the domain's check against what the person
        // holds and was proposed before it, with the week's profiles.
        let week = schedule::week(
            &mut conn,
            &w.manager,
            w.company,
            &w.monday.to_string(),
            w.now,
        )
        .expect("week");
        let buffer = TravelBuffer::new(week.travel_buffer).expect("buffer");
        let profiles: BTreeMap<PersonId, StaffProfile> = week
            .staff
            .iter()
            .map(|r| (r.profile.person, r.profile.clone()))
            .collect();
        let mut jobs: BTreeMap<PersonId, Vec<Job>> = BTreeMap::new();
        for j in &week.jobs {
            if let (Some(s), OrderState::Scheduled | OrderState::InProgress) = (j.staff, j.state) {
                jobs.entry(s).or_default().push(Job {
                    order: j.order,
                    estate: j.estate,
                    slot: j.slot,
                });
            }
        }
        let mut in_order: Vec<_> = proposal.iter().collect();
        in_order.sort_by_key(|p| (p.job.slot.start, p.job.order));
        for p in in_order {
            let Some((person, _)) = &p.staff else {
                continue;
            };
            let job = Job {
                order: p.job.order,
                estate: p.job.estate,
                slot: p.job.slot,
            };
            let held = jobs.entry(*person).or_default();
            assert_eq!(
                check_assignment(&profiles[person], p.job.category, &job, held, buffer),
                Ok(()),
                "{:?} to {person:?} on {}",
                p.job.order,
                t.backend
            );
            held.push(job);
        }
        // Nobody could have taken the order left waiting.
        let o3_job = proposal.iter().find(|p| p.job.order == o3).expect("o3");
        for (person, profile) in &profiles {
            let job = Job {
                order: o3,
                estate: o3_job.job.estate,
                slot: o3_job.job.slot,
            };
            let held = jobs.get(person).cloned().unwrap_or_default();
            assert!(
                check_assignment(profile, o3_job.job.category, &job, &held, buffer).is_err(),
                "{person:?} could take o3"
            );
        }
        // The preview changed nothing.
        for order in [o1, o2, o3, o4, o5, o6] {
            assert!(w.is_waiting(&mut conn, order));
        }

        // Meanwhile D is sent to another job on Tuesday morning. The
        // manager accepts part of the proposal: D's pair is refused, the
        // rest applied; what was not accepted keeps waiting.
        let meanwhile = w.order(&mut conn, here, hk, w.at(1, 10, 30), 60);
        w.assign(&mut conn, meanwhile, d).expect("D is busy now");
        assert_eq!(
            invalid(schedule::accept_assignments(
                &mut conn,
                &w.state,
                &w.manager,
                w.company,
                &[],
                w.now
            )),
            ("orders".to_owned(), Key::ScheduleErrorNoneChosen)
        );
        let outcome = schedule::accept_assignments(
            &mut conn,
            &w.state,
            &w.manager,
            w.company,
            &[(o1, b), (o6, d), (o2, a), (o4, c)],
            w.now,
        )
        .expect("accepted");
        assert_eq!(outcome.assigned, vec![o1, o2, o4], "{}", t.backend);
        assert_eq!(
            outcome.refused,
            vec![(o6, AssignRefusal::Staff(AssignError::Clash))],
            "{}",
            t.backend
        );
        for (order, person) in [(o1, b), (o2, a), (o4, c)] {
            let (state, staff, _) = w.stored(&mut conn, order);
            assert_eq!((state.as_str(), staff), ("scheduled", Some(person)));
        }
        for order in [o3, o5, o6] {
            assert!(w.is_waiting(&mut conn, order), "{order:?} {}", t.backend);
        }

        // A pair for an order someone else has taken in between is refused
        // as changed, not moved (A is free then); so is an order of another
        // company, and a person who is not the company's staff.
        w.assign(&mut conn, o6, e).expect("E takes o6 by hand");
        let (company, estate, building, household, service) = other_company(&mut conn, w.now);
        let theirs = w.order_of(
            &mut conn,
            (company, estate, Some((building, household))),
            service,
            w.at(3, 9, 0),
            60,
        );
        let outcome = schedule::accept_assignments(
            &mut conn,
            &w.state,
            &w.manager,
            w.company,
            &[(o6, a), (theirs, a), (o3, PersonId(0))],
            w.now,
        )
        .expect("accepted");
        assert!(outcome.assigned.is_empty(), "{outcome:?} on {}", t.backend);
        assert_eq!(
            outcome.refused,
            vec![
                (o6, AssignRefusal::Changed),
                (theirs, AssignRefusal::Changed),
                (o3, AssignRefusal::Changed),
            ],
            "{}",
            t.backend
        );
        assert_eq!(w.stored(&mut conn, o6).1, Some(e), "{}", t.backend);
        assert!(w.is_waiting(&mut conn, theirs));

        // What is left: o3 for nobody, and o5, not accepted.
        let left: BTreeSet<WorkOrderId> =
            schedule::auto_assign_preview(&mut conn, w.company, &w.monday.to_string(), w.now)
                .expect("preview")
                .iter()
                .map(|p| p.job.order)
                .collect();
        assert_eq!(left, BTreeSet::from([o3, o5]), "{}", t.backend);
    });
}

// ----- the manager's week -----

#[test]
fn the_week_shows_staff_their_jobs_the_waiting_orders_and_booked_against_available_hours() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.conn();
        let (here, there) = (w.estates[0], w.estates[1]);
        let hk = w.housekeeping;
        let p = w.hire(&mut conn, "周强");
        let q = w.hire(&mut conn, "赵敏");
        w.save(&mut conn, p, &["housekeeping"], Some(here), WEEKDAYS)
            .expect("profile");
        // Away on Wednesday.
        w.leave(&mut conn, p, w.day(2), w.day(2)).expect("leave");

        let p1 = w.order(&mut conn, here, hk, w.at(0, 9, 0), 120);
        let p2 = w.order(&mut conn, there, hk, w.at(1, 14, 0), 60);
        let q1 = w.order(&mut conn, here, hk, w.at(3, 10, 0), 180);
        let waiting = w.order(&mut conn, there, hk, w.at(4, 9, 0), 60);
        let cancelled = w.order(&mut conn, here, hk, w.at(4, 14, 0), 60);
        let next_week = w.order(&mut conn, here, hk, w.at(7, 9, 0), 60);
        for (order, person) in [(p1, p), (p2, p), (q1, q), (next_week, p)] {
            w.assign(&mut conn, order, person).expect("assigned");
        }
        orders_db::set_state(&mut conn, cancelled.0, "requested", "cancelled").expect("cancel");
        // And on Thursday and Friday of the week after, with a job held.
        w.leave(&mut conn, p, w.day(10), w.day(11)).expect("leave");

        let week = schedule::week(
            &mut conn,
            &w.manager,
            w.company,
            // Any day of the week names it.
            &w.day(3).to_string(),
            w.now,
        )
        .expect("week");
        assert_eq!(week.monday, w.monday);
        assert_eq!(week.company, w.company);
        assert_eq!(week.company_name.zh, "文汇社区城市服务公司");
        assert_eq!(week.today, china_date(w.now));
        assert_eq!(week.travel_buffer, 20);
        assert!(week.can_manage);
        assert!(week.estates.iter().any(|(e, _)| e.0 == there));

        let mine =
            |list: &[app::domain::schedule::ScheduleJob]| -> Vec<(WorkOrderId, Option<PersonId>)> {
                list.iter()
                    .filter(|j| [p1, p2, q1, waiting, cancelled, next_week].contains(&j.order))
                    .map(|j| (j.order, j.staff))
                    .collect()
            };
        assert_eq!(
            mine(&week.jobs),
            vec![(p1, Some(p)), (p2, Some(p)), (q1, Some(q))],
            "in time order, on {}",
            t.backend
        );
        assert_eq!(mine(&week.waiting), vec![(waiting, None)], "{}", t.backend);
        let job = week.jobs.iter().find(|j| j.order == p2).expect("p2");
        assert_eq!(
            (
                job.slot.start,
                job.slot.end,
                job.state,
                job.estate,
                job.category
            ),
            (
                w.at(1, 14, 0),
                w.at(1, 15, 0),
                OrderState::Scheduled,
                EstateId(there),
                ServiceCategory::Housekeeping
            )
        );
        assert_eq!(job.service.zh, "日常家政保洁");

        let row = |person: PersonId| {
            week.staff
                .iter()
                .find(|r| r.profile.person == person)
                .expect("a row")
        };
        // P: five days of nine hours, less Wednesday; three hours booked.
        let rp = row(p);
        assert!(rp.described);
        assert_eq!(
            rp.profile.leave,
            vec![Leave {
                first: w.day(2),
                last: w.day(2)
            }],
            "only this week's leave, on {}",
            t.backend
        );
        assert_eq!(
            (rp.booked_minutes, rp.available_minutes),
            (180, 4 * 540),
            "{}",
            t.backend
        );
        assert_eq!(
            utilization_percent(rp.booked_minutes, rp.available_minutes),
            Some(8)
        );
        // Q: nobody described them, so every day 08:00-18:00.
        let rq = row(q);
        assert!(!rq.described);
        assert_eq!((rq.booked_minutes, rq.available_minutes), (180, 7 * 600));
        // Everyone else has nothing this week.
        assert!(
            week.staff
                .iter()
                .filter(|r| r.profile.person != p && r.profile.person != q)
                .all(|r| r.booked_minutes == 0),
            "{}",
            t.backend
        );
        let people: BTreeSet<PersonId> = week.staff.iter().map(|r| r.profile.person).collect();
        assert_eq!(people.len(), week.staff.len(), "one row per person");

        // The week after: P's next job, and two days away.
        let after = schedule::week(
            &mut conn,
            &w.manager,
            w.company,
            &w.day(7).to_string(),
            w.now,
        )
        .expect("next week");
        assert_eq!(mine(&after.jobs), vec![(next_week, Some(p))]);
        let rp = after
            .staff
            .iter()
            .find(|r| r.profile.person == p)
            .expect("row");
        assert_eq!((rp.booked_minutes, rp.available_minutes), (60, 3 * 540));

        // Party oversight and the administrator look without managing.
        let admin = sign_in(&w.state, "admin", w.now);
        let seen = schedule::week(&mut conn, &admin, w.company, "", w.now).expect("admin");
        assert!(!seen.can_manage);
        assert_eq!(seen.monday, week_start(china_date(w.now)));
        assert_eq!(
            invalid(schedule::week(
                &mut conn,
                &w.manager,
                w.company,
                "next week",
                w.now
            )),
            ("week".to_owned(), Key::EstateErrorDate)
        );
    });
}

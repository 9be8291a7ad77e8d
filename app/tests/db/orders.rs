//! Work orders on both databases, through the services the server functions
//! call: booking (once per form, at the price in force, inside working hours,
//! while someone is free), booking by phone on a resident's behalf, the life
//! cycle with its history and charges, who may take which step, overlapping
//! jobs, cancellation fees from the contract, disputes, complaints, recurring
//! cleaning plans and the staff member's day.
//!
//! Whether a caller reaches an order at all (another household, another
//! company) is decided by `authorize` before any service runs; the HTTP
//! authorization matrix covers that. Slots are picked relative to `t0`, a
//! fixed Friday noon in China, and every order here is made by the test.

use std::collections::BTreeSet;

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::db::DbConn;
use app::domain::access::{Caller, EstateId, HouseholdId, Scope};
use app::domain::money::Money;
use app::domain::orders::{
    BookableService, Booked, BookingChannel, CancellationTerms, CleaningPlanId, OrderState,
    OrderStep, OrderView, Rating, Stars, WorkOrderId,
};
use app::domain::org::CompanyId;
use app::domain::pricing::{BillingUnit, ServiceId};
use app::i18n::Key;
use app::services::access::{Session, session};
use app::services::clock::Clock;
use app::services::orders::{self, BookingForm, PlanForm};
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Weekday};

/// 2026-11-27 04:00 UTC: Friday, midday in China.
fn t0() -> NaiveDateTime {
    day(0).and_hms_opt(4, 0, 0).expect("valid")
}

/// The China date `n` days after t0's.
fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid") + Duration::days(n)
}

/// China local time on day `n` at `hour`:00.
fn local(n: i64, hour: u32) -> NaiveDateTime {
    day(n).and_hms_opt(hour, 0, 0).expect("valid")
}

/// As the booking form sends a start: "2026-11-28T09:00".
fn slot(n: i64, hour: u32) -> String {
    field(local(n, hour))
}

fn field(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// An amount as a person types it: "123.45".
fn yuan(m: Money) -> String {
    m.amount().to_string()
}

fn sign_in(state: &AppState, login: &str) -> Caller {
    let signed = accounts::login(state, login, DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
    let mut conn = state.db.conn().expect("conn");
    let live: Session = session(&mut conn, &signed.token, &state.auth.session, t0())
        .expect("session")
        .expect("live");
    live.caller
}

fn scope(caller: &Caller) -> Scope {
    caller.grant.as_ref().map(|g| g.scope).expect("a grant")
}

fn form(service: ServiceId, start: &str, hours: u32) -> BookingForm {
    BookingForm {
        service,
        start: start.into(),
        hours,
        notes: String::new(),
        form_token: app::services::passwords::new_form_token(),
    }
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

/// The seeded demo with the people these tests act as.
struct Demo {
    state: AppState,
    /// 杨丽, resident of 玉泉花园 2栋 1单元 302.
    resident: Caller,
    /// 和秀, Wenhui's general manager.
    manager: Caller,
    /// 李桂, Wenhui's cleaner.
    staff: Caller,
    household: HouseholdId,
    company: CompanyId,
}

fn demo(t: &TestDb) -> Demo {
    let state = AppState::new(t.db.clone()).with_clock(Clock::Fixed(t0()));
    let resident = sign_in(&state, "13800000007");
    let manager = sign_in(&state, "hexiu");
    let staff = sign_in(&state, "13800000004");
    let Scope::Household(household) = scope(&resident) else {
        panic!("resident scope: {:?}", scope(&resident));
    };
    let Scope::Company(company) = scope(&manager) else {
        panic!("manager scope: {:?}", scope(&manager));
    };
    Demo {
        state,
        resident,
        manager,
        staff,
        household,
        company,
    }
}

impl Demo {
    fn conn(&self) -> app::db::PooledConn {
        self.state.db.conn().expect("conn")
    }

    /// Another staff member of Wenhui, signed in.
    fn hire(&self, name: &str, phone: &str) -> Caller {
        use app::db::accounts as db_accounts;
        let hash = app::services::passwords::hash(DEMO_PASSWORD).expect("hash");
        let mut conn = self.conn();
        let person = db_accounts::insert_person(
            &mut conn,
            &db_accounts::NewPerson {
                name,
                phone: Some(phone),
                username: None,
                email: None,
                password_hash: &hash,
                must_change_password: false,
            },
        )
        .expect("person");
        db_accounts::insert_grant(
            &mut conn,
            person,
            "staff",
            db_accounts::GrantScope {
                company_id: Some(self.company.0),
                ..Default::default()
            },
        )
        .expect("grant");
        drop(conn);
        sign_in(&self.state, phone)
    }

    /// 日常家政保洁: housekeeping by the hour, as the booking page offers it.
    fn hourly(&self, conn: &mut DbConn) -> BookableService {
        orders::booking_page(conn, &self.resident, self.household, t0())
            .expect("booking page")
            .services
            .into_iter()
            .find(|s| s.unit == BillingUnit::PerHour)
            .expect("hourly housekeeping")
    }

    /// `hours` of hourly housekeeping for 杨丽's household, booked by `who`.
    fn book(&self, conn: &mut DbConn, who: &Caller, start: &str, hours: u32) -> WorkOrderId {
        let service = self.hourly(conn).id;
        let booked = orders::book(
            conn,
            &self.state,
            who,
            self.household,
            &form(service, start, hours),
            t0(),
        )
        .expect("booked");
        assert!(!booked.already);
        booked.order
    }

    /// The manager sends `staff` at the booked slot.
    fn schedule(&self, conn: &mut DbConn, order: WorkOrderId, staff: &Caller) {
        orders::schedule(
            conn,
            &self.state,
            &self.manager,
            order,
            staff.person,
            "",
            t0(),
        )
        .expect("scheduled");
    }

    fn view(&self, conn: &mut DbConn, who: &Caller, order: WorkOrderId) -> OrderView {
        orders::order(conn, who, order, t0()).expect("order")
    }

    fn state_of(&self, conn: &mut DbConn, order: WorkOrderId) -> OrderState {
        self.view(conn, &self.manager, order).line.state
    }

    /// The household's charges for one order: (kind, fen, day of service).
    fn charges(&self, conn: &mut DbConn, order: WorkOrderId) -> Vec<(String, i64, NaiveDate)> {
        app::db::orders::charges_of_household(conn, self.household.0)
            .expect("charges")
            .into_iter()
            .filter(|c| c.3 == order.0)
            .map(|(kind, fen, on, _)| (kind, fen, on))
            .collect()
    }

    fn order_count(&self, conn: &mut DbConn) -> usize {
        app::db::orders::orders_of_household(conn, self.household.0)
            .expect("orders")
            .len()
    }
}

/// The visits of a plan: id, slot start, state; in slot order.
fn plan_visits(
    conn: &mut DbConn,
    plan: CleaningPlanId,
) -> Vec<(WorkOrderId, NaiveDateTime, String)> {
    use app::db::schema::work_orders;
    use diesel::prelude::*;
    work_orders::table
        .filter(work_orders::plan_id.eq(plan.0))
        .order((work_orders::slot_start, work_orders::id))
        .select((work_orders::id, work_orders::slot_start, work_orders::state))
        .load::<(i64, NaiveDateTime, String)>(conn)
        .expect("plan visits")
        .into_iter()
        .map(|(id, start, state)| (WorkOrderId(id), start, state))
        .collect()
}

/// Sets the cancellation terms of the estate's active contract.
fn set_cancellation(conn: &mut DbConn, estate: EstateId, free_hours: i64, late_bp: i64) {
    use app::db::schema::contracts;
    use diesel::prelude::*;
    let changed = diesel::update(
        contracts::table
            .filter(contracts::estate_id.eq(estate.0))
            .filter(contracts::state.eq("active")),
    )
    .set((
        contracts::free_cancel_hours.eq(free_hours),
        contracts::late_cancel_bp.eq(late_bp),
    ))
    .execute(conn)
    .expect("update contract");
    assert_eq!(changed, 1, "one active contract");
}

// ----- booking -----

#[test]
fn a_resident_books_housekeeping_once_per_form_at_the_price_in_force() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let page = orders::booking_page(&mut conn, &d.resident, d.household, t0()).expect("page");
        assert!(!page.on_behalf);
        assert_eq!((page.today, page.last_day), (day(0), day(30)));
        assert_eq!(page.address.estate.zh, "玉泉花园");
        assert_eq!(page.address.building.as_deref(), Some("2栋"));
        assert_eq!(page.address.room.as_deref(), Some("1单元 302"));
        let estate = app::db::orders::household_home(&mut conn, d.household.0)
            .expect("home")
            .1;
        let (free_hours, late_bp) = app::db::orders::cancellation_terms(&mut conn, estate)
            .expect("terms")
            .expect("the estate's active contract");
        assert_eq!(
            page.cancellation,
            CancellationTerms {
                free_hours: u32::try_from(free_hours).expect("hours"),
                late_fee_bp: u32::try_from(late_bp).expect("bp"),
            },
            "the contract's terms"
        );
        assert!(!page.form_token.is_empty());
        assert!(
            page.services.iter().all(
                |s| s.unit != BillingUnit::PerSquareMetreMonth && s.quote.ours < s.quote.market
            ),
            "bookable housekeeping, below the market"
        );
        let hourly = d.hourly(&mut conn);
        assert_eq!(hourly.name.zh, "日常家政保洁");

        // Today only what is still ahead; tomorrow on the hour, in working hours.
        let today = orders::free_slots(
            &mut conn,
            d.household,
            hourly.id,
            &day(0).to_string(),
            2,
            t0(),
        )
        .expect("today's slots");
        assert!(today.iter().all(|s| s.start > local(0, 12)), "{today:?}");
        let tomorrow = orders::free_slots(
            &mut conn,
            d.household,
            hourly.id,
            &day(1).to_string(),
            2,
            t0(),
        )
        .expect("tomorrow's slots");
        assert!(!tomorrow.is_empty(), "{}", t.backend);
        for s in &tomorrow {
            assert!(s.start >= local(1, 8) && s.end <= local(1, 18), "{s:?}");
            assert_eq!((s.end - s.start, s.start.minute()), (Duration::hours(2), 0));
        }
        let start = tomorrow[0].start;

        let before = d.order_count(&mut conn);
        let mut booking = form(hourly.id, &field(start), 2);
        booking.form_token = page.form_token.clone();
        booking.notes = "  请带上拖把 ".into();
        let booked = orders::book(
            &mut conn,
            &d.state,
            &d.resident,
            d.household,
            &booking,
            t0(),
        )
        .expect("booked");
        assert!(!booked.already);
        // The same form again (a double click, a retry): the same order.
        let again = orders::book(
            &mut conn,
            &d.state,
            &d.resident,
            d.household,
            &booking,
            t0(),
        )
        .expect("same form");
        assert_eq!(
            again,
            Booked {
                order: booked.order,
                already: true
            }
        );
        assert_eq!(d.order_count(&mut conn), before + 1, "{}", t.backend);

        let view = d.view(&mut conn, &d.resident, booked.order);
        assert_eq!(view.line.state, OrderState::Requested);
        assert_eq!(view.line.channel, BookingChannel::App);
        assert_eq!(
            (view.line.slot.start, view.line.slot.end),
            (start, start + Duration::hours(2))
        );
        assert_eq!(view.household, Some(d.household));
        assert_eq!(view.company, d.company);
        assert_eq!((view.unit, view.quantity), (BillingUnit::PerHour, 2));
        assert_eq!(view.quote.ours, hourly.quote.ours);
        assert_eq!(view.quote.market, hourly.quote.market);
        assert_eq!(
            view.line.amount,
            Money::from_fen(hourly.quote.ours.fen() * 2)
        );
        assert_eq!(view.line.notes, "请带上拖把");
        assert_eq!(view.line.staff, None);
        assert_eq!(
            view.respond_by,
            t0() + Duration::hours(i64::from(hourly.response_hours))
        );
        assert_eq!(view.steps, vec![OrderStep::Cancel]);
        assert!(view.can_complain);
        assert_eq!(view.events.len(), 1);
        assert_eq!(
            (
                view.events[0].by.as_str(),
                view.events[0].step,
                view.events[0].to
            ),
            ("杨丽", None, OrderState::Requested)
        );
        let listed = orders::household_orders(&mut conn, &d.resident, d.household, t0())
            .expect("household orders");
        assert!(listed.upcoming.iter().any(|o| o.id == booked.order));
        assert!(listed.can_book && listed.can_complain);
    });
}

#[test]
fn bad_booking_input_is_refused_and_books_nothing() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let hourly = d.hourly(&mut conn).id;
        let management_fee = app::db::pricing::services_of(&mut conn, d.company.0)
            .expect("services")
            .into_iter()
            .find(|s| s.category == "estate_management")
            .map(|s| ServiceId(s.id))
            .expect("the management fee");
        let before = d.order_count(&mut conn);
        let cases = [
            // Now is 12:00 in China.
            (
                form(hourly, &slot(0, 10), 2),
                "start",
                Key::OrderErrorSlotPast,
            ),
            (
                form(hourly, &slot(1, 7), 2),
                "start",
                Key::OrderErrorSlotHours,
            ),
            (
                form(hourly, &slot(1, 17), 2),
                "start",
                Key::OrderErrorSlotHours,
            ),
            (
                form(hourly, &slot(31, 9), 2),
                "start",
                Key::OrderErrorSlotTooFar,
            ),
            (
                form(hourly, "明天上午", 2),
                "start",
                Key::OrderErrorSlotFormat,
            ),
            (
                form(ServiceId(999_999), &slot(1, 9), 2),
                "service",
                Key::OrderErrorService,
            ),
            (
                form(management_fee, &slot(1, 9), 1),
                "service",
                Key::OrderErrorService,
            ),
            (form(hourly, &slot(1, 9), 0), "hours", Key::OrderErrorHours),
            (form(hourly, &slot(1, 9), 9), "hours", Key::OrderErrorHours),
            (
                BookingForm {
                    form_token: "  ".into(),
                    ..form(hourly, &slot(1, 9), 2)
                },
                "form_token",
                Key::OrderErrorForm,
            ),
        ];
        for (booking, field, key) in cases {
            let what = format!("{} {} h on {}", booking.start, booking.hours, t.backend);
            let refused = orders::book(
                &mut conn,
                &d.state,
                &d.resident,
                d.household,
                &booking,
                t0(),
            );
            assert_eq!(invalid(refused), (field.to_owned(), key), "{what}");
        }
        assert_eq!(d.order_count(&mut conn), before, "{}", t.backend);
    });
}

#[test]
fn a_slot_is_booked_only_while_a_staff_member_is_free() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let hourly = d.hourly(&mut conn).id;
        let staff = app::db::orders::company_staff(&mut conn, d.company.0)
            .expect("staff")
            .len();
        // Sunday 20 December, 09:00 to 11:00: each booking waits for one of
        // the staff trained, working and free then (the schedule tests check
        // who counts), until nobody is left.
        let mut booked = 0;
        while booked <= staff {
            let result = orders::book(
                &mut conn,
                &d.state,
                &d.resident,
                d.household,
                &form(hourly, &slot(23, 9), 2),
                t0(),
            );
            match result {
                Ok(b) => assert!(!b.already),
                Err(AppError::Conflict(Key::OrderErrorSlotTaken)) => break,
                Err(e) => panic!("booking refused with {e:?}"),
            }
            booked += 1;
        }
        assert!(
            (1..=staff).contains(&booked),
            "{booked} booked with {staff} staff on {}",
            t.backend
        );
        for start in [slot(23, 9), slot(23, 10), slot(23, 8)] {
            let refused = orders::book(
                &mut conn,
                &d.state,
                &d.resident,
                d.household,
                &form(hourly, &start, 2),
                t0(),
            );
            assert_eq!(
                refused,
                Err(AppError::Conflict(Key::OrderErrorSlotTaken)),
                "{start} on {}",
                t.backend
            );
        }
        let offered = orders::free_slots(
            &mut conn,
            d.household,
            hourly,
            &day(23).to_string(),
            2,
            t0(),
        )
        .expect("slots");
        assert!(
            offered
                .iter()
                .all(|s| s.end <= local(23, 9) || s.start >= local(23, 11)),
            "{offered:?}"
        );
        assert!(
            offered.iter().any(|s| s.start == local(23, 11)),
            "touching is free"
        );
    });
}

#[test]
fn the_manager_and_staff_book_by_phone_on_the_residents_behalf() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let page = orders::booking_page(&mut conn, &d.manager, d.household, t0()).expect("page");
        assert!(page.on_behalf);
        let visit = page
            .services
            .iter()
            .find(|s| s.unit == BillingUnit::PerVisit)
            .expect("a per-visit service")
            .clone();
        // A visit is one visit, whatever the hours field says.
        let booked = orders::book(
            &mut conn,
            &d.state,
            &d.manager,
            d.household,
            &form(visit.id, &slot(3, 9), 0),
            t0(),
        )
        .expect("booked by phone");
        let view = d.view(&mut conn, &d.resident, booked.order);
        assert_eq!(view.line.channel, BookingChannel::Phone, "{}", t.backend);
        assert_eq!((view.unit, view.quantity), (BillingUnit::PerVisit, 1));
        assert_eq!(view.line.amount, visit.quote.ours);
        assert_eq!(
            view.line.slot.end - view.line.slot.start,
            Duration::minutes(i64::from(visit.visit_minutes))
        );
        assert_eq!(
            (view.events[0].by.as_str(), view.events[0].comment.as_str()),
            ("和秀", "代客下单")
        );
        // The resident still acts on it as their own.
        assert_eq!(view.steps, vec![OrderStep::Cancel]);

        let by_staff = d.book(&mut conn, &d.staff, &slot(4, 9), 1);
        let view = d.view(&mut conn, &d.resident, by_staff);
        assert_eq!(view.line.channel, BookingChannel::Phone);
        assert_eq!(view.events[0].by, "李桂");
    });
}

// ----- the life cycle -----

#[test]
fn an_order_goes_from_booking_to_rating_and_keeps_who_did_each_step() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let order = d.book(&mut conn, &d.resident, &slot(2, 9), 3);
        let manager_view = d.view(&mut conn, &d.manager, order);
        let amount = manager_view.line.amount;
        assert_eq!(
            manager_view.steps,
            vec![OrderStep::Schedule, OrderStep::Cancel]
        );
        assert!(
            manager_view
                .staff_choices
                .iter()
                .any(|c| c.id == d.staff.person && c.name == "李桂")
        );
        assert!(
            d.view(&mut conn, &d.resident, order)
                .staff_choices
                .is_empty()
        );

        // Nobody works an order before someone is sent.
        let start = |conn: &mut DbConn, who: &Caller| {
            orders::take_step(conn, who, order, OrderStep::Start, "", t0())
        };
        assert_eq!(refusal(start(&mut conn, &d.staff)), AppError::Forbidden);
        assert_eq!(
            refusal(start(&mut conn, &d.manager)),
            AppError::Conflict(Key::OrderErrorState)
        );
        assert_eq!(
            refusal(orders::confirm(&mut conn, &d.resident, order, 5, "", t0())),
            AppError::Conflict(Key::OrderErrorState)
        );
        assert_eq!(d.state_of(&mut conn, order), OrderState::Requested);

        d.schedule(&mut conn, order, &d.staff);
        let view = d.view(&mut conn, &d.staff, order);
        assert_eq!(view.line.state, OrderState::Scheduled);
        assert_eq!(view.line.staff.as_deref(), Some("李桂"));
        assert_eq!(view.line.slot.start, local(2, 9), "the booked slot kept");
        assert_eq!(view.steps, vec![OrderStep::Start]);

        // The resident does not start the work, nor the staff member confirm it.
        assert_eq!(refusal(start(&mut conn, &d.resident)), AppError::Forbidden);
        assert_eq!(
            refusal(orders::confirm(&mut conn, &d.staff, order, 5, "", t0())),
            AppError::Conflict(Key::OrderErrorState)
        );
        assert_eq!(
            refusal(orders::finish(&mut conn, &d.staff, order, "", t0())),
            AppError::Conflict(Key::OrderErrorState),
            "not started yet"
        );
        assert_eq!(d.state_of(&mut conn, order), OrderState::Scheduled);

        start(&mut conn, &d.staff).expect("started");
        assert!(d.charges(&mut conn, order).is_empty(), "nothing to pay yet");
        orders::finish(&mut conn, &d.staff, order, " 清洁剂一瓶，抹布两块 ", t0())
            .expect("finished");
        let view = d.view(&mut conn, &d.resident, order);
        assert_eq!(view.line.state, OrderState::Done);
        assert_eq!(view.materials, "清洁剂一瓶，抹布两块");
        assert_eq!(view.steps, vec![OrderStep::Confirm, OrderStep::Dispute]);
        assert_eq!(
            d.charges(&mut conn, order),
            vec![("service".to_owned(), amount.fen(), day(2))],
            "{}",
            t.backend
        );

        // Only the resident confirms, with 1 to 5 stars.
        for who in [&d.staff, &d.manager] {
            assert_eq!(
                refusal(orders::confirm(&mut conn, who, order, 5, "", t0())),
                AppError::Forbidden
            );
        }
        assert_eq!(
            invalid(orders::confirm(&mut conn, &d.resident, order, 6, "", t0())),
            ("stars".to_owned(), Key::OrderErrorStars)
        );
        assert_eq!(d.state_of(&mut conn, order), OrderState::Done);
        orders::confirm(&mut conn, &d.resident, order, 5, "很干净", t0()).expect("confirmed");

        let view = d.view(&mut conn, &d.resident, order);
        assert_eq!(view.line.state, OrderState::Confirmed);
        assert_eq!(
            view.rating,
            Some(Rating {
                stars: Stars::new(5).expect("stars"),
                comment: "很干净".into()
            })
        );
        assert!(view.steps.is_empty());
        let history: Vec<(&str, Option<OrderStep>, OrderState, &str)> = view
            .events
            .iter()
            .map(|e| (e.by.as_str(), e.step, e.to, e.comment.as_str()))
            .collect();
        assert_eq!(
            history,
            vec![
                ("杨丽", None, OrderState::Requested, ""),
                (
                    "和秀",
                    Some(OrderStep::Schedule),
                    OrderState::Scheduled,
                    "李桂 2026-11-29 09:00"
                ),
                ("李桂", Some(OrderStep::Start), OrderState::InProgress, ""),
                (
                    "李桂",
                    Some(OrderStep::Finish),
                    OrderState::Done,
                    "清洁剂一瓶，抹布两块"
                ),
                (
                    "杨丽",
                    Some(OrderStep::Confirm),
                    OrderState::Confirmed,
                    "很干净"
                ),
            ],
            "{}",
            t.backend
        );

        // A confirmed order is final and is charged once.
        assert_eq!(
            refusal(orders::take_step(
                &mut conn,
                &d.resident,
                order,
                OrderStep::Cancel,
                "不要了",
                t0()
            )),
            AppError::Conflict(Key::OrderErrorState)
        );
        assert_eq!(d.charges(&mut conn, order).len(), 1);
    });
}

#[test]
fn only_the_staff_member_sent_sees_and_works_the_order() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let other = d.hire("周强", "13700000101");
        let mut conn = d.conn();
        let order = d.book(&mut conn, &d.resident, &slot(2, 10), 2);
        // Waiting for someone: no staff member sees it yet.
        assert_eq!(
            refusal(orders::order(&mut conn, &d.staff, order, t0())),
            AppError::Forbidden
        );
        d.schedule(&mut conn, order, &d.staff);

        assert_eq!(
            refusal(orders::order(&mut conn, &other, order, t0())),
            AppError::Forbidden,
            "{}",
            t.backend
        );
        assert_eq!(
            refusal(orders::take_step(
                &mut conn,
                &other,
                order,
                OrderStep::Start,
                "",
                t0()
            )),
            AppError::Forbidden
        );
        assert_eq!(
            refusal(orders::finish(&mut conn, &other, order, "", t0())),
            AppError::Forbidden
        );
        assert_eq!(d.state_of(&mut conn, order), OrderState::Scheduled);
        let their_day =
            orders::staff_day(&mut conn, &other, &day(2).to_string(), t0()).expect("their day");
        assert!(their_day.jobs.iter().all(|j| j.id != order));

        let view = d.view(&mut conn, &d.staff, order);
        assert_eq!(view.steps, vec![OrderStep::Start]);
        assert!(view.staff_choices.is_empty(), "staff do not schedule");
        assert!(!view.can_complain);
    });
}

#[test]
fn a_staff_member_is_never_scheduled_into_two_jobs_at_once() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        // Room for two waiting orders in the same hours.
        d.hire("周强", "13700000102");
        let cashier = sign_in(&d.state, "13800000006");
        let mut conn = d.conn();
        let first = d.book(&mut conn, &d.resident, &slot(3, 9), 2);
        let second = d.book(&mut conn, &d.manager, &slot(3, 10), 2);
        d.schedule(&mut conn, first, &d.staff);

        let schedule = |conn: &mut DbConn, order, who: &Caller, start: &str| {
            orders::schedule(conn, &d.state, &d.manager, order, who.person, start, t0())
        };
        assert_eq!(
            refusal(schedule(&mut conn, second, &d.staff, "")),
            AppError::Conflict(Key::ScheduleErrorClash),
            "{}",
            t.backend
        );
        // Only the company's staff are sent.
        for not_staff in [&cashier, &d.resident] {
            assert_eq!(
                invalid(schedule(&mut conn, second, not_staff, "")),
                ("staff".to_owned(), Key::OrderErrorStaff)
            );
        }
        let view = d.view(&mut conn, &d.manager, second);
        assert_eq!(
            (view.line.state, view.line.staff),
            (OrderState::Requested, None)
        );

        // Moved to when 李桂 is free again: touching is not overlapping.
        schedule(&mut conn, second, &d.staff, &slot(3, 11)).expect("moved and scheduled");
        let view = d.view(&mut conn, &d.manager, second);
        assert_eq!(
            (view.line.slot.start, view.line.slot.end),
            (local(3, 11), local(3, 13))
        );
        assert_eq!(
            view.events.last().map(|e| e.comment.as_str()),
            Some("李桂 2026-11-30 11:00")
        );
        // Nor is a scheduled job moved onto another, or out of working hours.
        assert_eq!(
            refusal(schedule(&mut conn, first, &d.staff, &slot(3, 12))),
            AppError::Conflict(Key::ScheduleErrorClash)
        );
        assert_eq!(
            invalid(schedule(&mut conn, first, &d.staff, &slot(3, 17))),
            ("start".to_owned(), Key::OrderErrorSlotHours)
        );
        let view = d.view(&mut conn, &d.manager, first);
        assert_eq!(view.line.slot.start, local(3, 9), "{}", t.backend);
    });
}

// ----- cancelling -----

#[test]
fn cancelling_is_free_until_the_cutoff_and_then_costs_the_contracts_late_fee() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let cancel = |conn: &mut DbConn, who: &Caller, order, reason: &str, at| {
            orders::take_step(conn, who, order, OrderStep::Cancel, reason, at)
        };

        // The contract: free until 24 hours before, then a third (33.33%).
        let early = d.book(&mut conn, &d.resident, &slot(2, 9), 3);
        let estate = d.view(&mut conn, &d.resident, early).estate;
        set_cancellation(&mut conn, estate, 24, 3333);
        let page = orders::booking_page(&mut conn, &d.resident, d.household, t0()).expect("page");
        assert_eq!(
            page.cancellation,
            CancellationTerms {
                free_hours: 24,
                late_fee_bp: 3333
            }
        );

        // The day after tomorrow: the 24 hours' notice is still ahead.
        let view = d.view(&mut conn, &d.resident, early);
        assert_eq!(view.free_cancel_until, local(1, 9));
        assert_eq!(view.cancel_fee_now, Money::ZERO);
        assert_eq!(
            invalid(cancel(&mut conn, &d.resident, early, "  ", t0())),
            ("comment".to_owned(), Key::OrderErrorComment),
            "a reason is needed"
        );
        assert_eq!(d.state_of(&mut conn, early), OrderState::Requested);
        cancel(&mut conn, &d.resident, early, "临时出差", t0()).expect("cancelled");
        let view = d.view(&mut conn, &d.resident, early);
        assert_eq!(view.line.state, OrderState::Cancelled);
        assert_eq!(view.cancel_fee, Some(Money::ZERO));
        assert!(d.charges(&mut conn, early).is_empty());
        let last = view.events.last().expect("event");
        assert_eq!(
            (last.by.as_str(), last.step, last.comment.as_str()),
            ("杨丽", Some(OrderStep::Cancel), "临时出差")
        );

        // Tomorrow at 10:00: the cutoff passed two hours ago.
        let late = d.book(&mut conn, &d.resident, &slot(1, 10), 3);
        let view = d.view(&mut conn, &d.resident, late);
        let amount = view.line.amount.fen();
        // Half-up to the fen, in whole numbers.
        let fee = Money::from_fen((amount * 3333 + 5_000) / 10_000);
        assert!(fee > Money::ZERO);
        assert_eq!(view.free_cancel_until, local(0, 10), "passed two hours ago");
        assert_eq!(view.cancel_fee_now, fee, "{}", t.backend);
        cancel(&mut conn, &d.resident, late, "家里有事", t0()).expect("cancelled late");
        assert_eq!(d.view(&mut conn, &d.resident, late).cancel_fee, Some(fee));
        assert_eq!(
            d.charges(&mut conn, late),
            vec![("cancellation".to_owned(), fee.fen(), day(1))],
            "{}",
            t.backend
        );

        // The company cancelling never costs the resident.
        let by_company = d.book(&mut conn, &d.resident, &slot(1, 14), 2);
        assert_eq!(
            d.view(&mut conn, &d.manager, by_company).cancel_fee_now,
            Money::ZERO
        );
        cancel(&mut conn, &d.manager, by_company, "人手不足", t0())
            .expect("cancelled by the company");
        assert_eq!(
            d.view(&mut conn, &d.resident, by_company).cancel_fee,
            Some(Money::ZERO)
        );
        assert!(d.charges(&mut conn, by_company).is_empty());

        // At the cutoff itself it is still free; a minute later it is not.
        let edge = d.book(&mut conn, &d.resident, &slot(2, 14), 2);
        let cutoff = t0() + Duration::hours(26); // 14:00 China time tomorrow
        let fee_at = |conn: &mut DbConn, at| {
            orders::order(conn, &d.resident, edge, at)
                .expect("order")
                .cancel_fee_now
        };
        assert_eq!(fee_at(&mut conn, cutoff), Money::ZERO);
        assert!(fee_at(&mut conn, cutoff + Duration::minutes(1)) > Money::ZERO);
        cancel(&mut conn, &d.resident, edge, "改期", cutoff).expect("cancelled at the cutoff");
        assert!(d.charges(&mut conn, edge).is_empty(), "{}", t.backend);
    });
}

#[test]
fn a_dispute_may_lower_the_charge_but_never_raise_it() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let order = d.book(&mut conn, &d.resident, &slot(2, 9), 2);
        d.schedule(&mut conn, order, &d.staff);
        orders::take_step(&mut conn, &d.staff, order, OrderStep::Start, "", t0()).expect("start");
        orders::finish(&mut conn, &d.staff, order, "", t0()).expect("finish");
        let amount = d.view(&mut conn, &d.resident, order).line.amount;
        let dispute = |conn: &mut DbConn, who: &Caller, reason: &str| {
            orders::take_step(conn, who, order, OrderStep::Dispute, reason, t0())
        };
        assert_eq!(
            invalid(dispute(&mut conn, &d.resident, "")),
            ("comment".to_owned(), Key::OrderErrorComment)
        );
        assert_eq!(
            refusal(dispute(&mut conn, &d.staff, "没做完")),
            AppError::Forbidden
        );
        dispute(&mut conn, &d.resident, "厨房没有打扫").expect("disputed");
        let view = d.view(&mut conn, &d.manager, order);
        assert_eq!(view.line.state, OrderState::Disputed);
        assert_eq!(view.steps, vec![OrderStep::Resolve]);

        let resolve = |conn: &mut DbConn, who: &Caller, comment: &str, amount: &str| {
            orders::resolve(conn, who, order, comment, amount, t0())
        };
        let raised = Money::from_fen(amount.fen() + 1);
        for bad in [yuan(raised), "-5".into(), "abc".into()] {
            assert_eq!(
                invalid(resolve(&mut conn, &d.manager, "已核实", &bad)),
                ("amount".to_owned(), Key::OrderErrorAmount),
                "{bad} on {}",
                t.backend
            );
        }
        assert_eq!(
            invalid(resolve(&mut conn, &d.manager, " ", "")),
            ("comment".to_owned(), Key::OrderErrorTextRequired)
        );
        assert_eq!(
            refusal(resolve(&mut conn, &d.resident, "我自己解决", "")),
            AppError::Forbidden
        );
        assert_eq!(d.state_of(&mut conn, order), OrderState::Disputed);
        assert_eq!(
            d.charges(&mut conn, order),
            vec![("service".to_owned(), amount.fen(), day(2))]
        );

        let lowered = Money::from_fen(amount.fen() / 2);
        resolve(
            &mut conn,
            &d.manager,
            "厨房未打扫，减半收费",
            &yuan(lowered),
        )
        .expect("resolved");
        let view = d.view(&mut conn, &d.resident, order);
        assert_eq!(view.line.state, OrderState::Resolved);
        let last = view.events.last().expect("event");
        assert_eq!(
            (last.by.as_str(), last.step, last.comment.as_str()),
            ("和秀", Some(OrderStep::Resolve), "厨房未打扫，减半收费")
        );
        assert_eq!(
            d.charges(&mut conn, order),
            vec![("service".to_owned(), lowered.fen(), day(2))],
            "{}",
            t.backend
        );
        assert_eq!(
            refusal(dispute(&mut conn, &d.resident, "还是不满意")),
            AppError::Conflict(Key::OrderErrorState),
            "resolved is final"
        );
    });
}

// ----- complaints -----

#[test]
fn complaints_are_answered_once_and_counted_while_open() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let neighbour = sign_in(&d.state, "13800000001");
        let Scope::Household(neighbours) = scope(&neighbour) else {
            panic!("neighbour scope");
        };
        let mut conn = d.conn();
        let open = |conn: &mut DbConn| {
            orders::company_orders(conn, d.company, t0())
                .expect("company orders")
                .open_complaints
        };
        let before = open(&mut conn);
        let order = d.book(&mut conn, &d.resident, &slot(2, 9), 2);
        let file = |conn: &mut DbConn, order: Option<WorkOrderId>, body: &str| {
            orders::file_complaint(conn, &d.resident, d.household, order, body, t0())
        };

        assert_eq!(
            invalid(file(&mut conn, Some(order), "  ")),
            ("body".to_owned(), Key::OrderErrorTextRequired)
        );
        let about_order = file(&mut conn, Some(order), "保洁员迟到了半小时").expect("filed");
        let about_estate = file(&mut conn, None, "小区路灯坏了一周").expect("filed");
        // Another household's order is not the resident's to complain about.
        let hourly = d.hourly(&mut conn).id;
        let theirs = orders::book(
            &mut conn,
            &d.state,
            &d.manager,
            neighbours,
            &form(hourly, &slot(2, 14), 2),
            t0(),
        )
        .expect("booked for the neighbours")
        .order;
        assert_eq!(
            refusal(file(&mut conn, Some(theirs), "邻居家太吵")),
            AppError::NotFound
        );
        assert_eq!(open(&mut conn), before + 2, "{}", t.backend);

        let view = d.view(&mut conn, &d.resident, order);
        assert_eq!(view.complaints.len(), 1);
        let c = &view.complaints[0];
        assert_eq!(
            (c.id, c.order, c.filed_by.as_str()),
            (about_order, Some(order), "杨丽")
        );
        assert_eq!((c.body.as_str(), &c.answer), ("保洁员迟到了半小时", &None));
        let mine = orders::household_orders(&mut conn, &d.resident, d.household, t0())
            .expect("household orders")
            .complaints;
        let ids: BTreeSet<_> = mine.iter().map(|c| c.id).collect();
        assert_eq!(ids, BTreeSet::from([about_order, about_estate]));

        let answer = |conn: &mut DbConn, text: &str| {
            orders::answer_complaint(conn, &d.manager, about_estate, text, t0())
        };
        assert_eq!(
            invalid(answer(&mut conn, "")),
            ("answer".to_owned(), Key::OrderErrorTextRequired)
        );
        answer(&mut conn, "已安排电工明天维修").expect("answered");
        assert_eq!(
            refusal(answer(&mut conn, "再次答复")),
            AppError::Conflict(Key::ComplaintErrorAnswered),
            "{}",
            t.backend
        );
        assert_eq!(open(&mut conn), before + 1);

        let listed =
            orders::company_complaints(&mut conn, &d.manager, d.company).expect("complaints");
        assert!(listed.can_answer);
        let listed = listed.complaints;
        let answered = listed
            .iter()
            .find(|c| c.id == about_estate)
            .expect("listed");
        assert_eq!(answered.answer.as_deref(), Some("已安排电工明天维修"));
        assert_eq!(answered.answered_by.as_deref(), Some("和秀"));
        assert_eq!(answered.household.as_deref(), Some("1单元 302"));
        let first_answered = listed
            .iter()
            .position(|c| c.answer.is_some())
            .expect("one answered");
        assert!(
            listed[first_answered..].iter().all(|c| c.answer.is_some()),
            "open complaints first"
        );
        assert!(
            listed
                .iter()
                .any(|c| c.id == about_order && c.answer.is_none())
        );

        // Staff see the complaints about the jobs they are sent to, as with
        // orders: not the estate's, not those about other people's jobs.
        let staff_sees = |conn: &mut DbConn| -> BTreeSet<_> {
            orders::company_complaints(conn, &d.staff, d.company)
                .expect("complaints")
                .complaints
                .iter()
                .map(|c| c.id)
                .collect()
        };
        assert!(
            !staff_sees(&mut conn).contains(&about_order),
            "{}",
            t.backend
        );
        assert!(
            !staff_sees(&mut conn).contains(&about_estate),
            "{}",
            t.backend
        );
        d.schedule(&mut conn, order, &d.staff);
        let seen = staff_sees(&mut conn);
        assert!(seen.contains(&about_order) && !seen.contains(&about_estate));
        let in_household: BTreeSet<_> =
            orders::household_orders(&mut conn, &d.staff, d.household, t0())
                .expect("household orders")
                .complaints
                .iter()
                .map(|c| c.id)
                .collect();
        assert_eq!(in_household, BTreeSet::from([about_order]), "{}", t.backend);
    });
}

// ----- recurring cleaning plans -----

/// 玉泉花园 1栋's stair wells on Monday, Wednesday and Friday at 09:00.
fn yuquan_plan(conn: &mut DbConn, d: &Demo) -> PlanForm {
    let page = orders::cleaning_plans(conn, &d.manager, d.company, t0()).expect("plans");
    assert!(page.can_manage);
    let (estate, _, buildings) = page
        .estates
        .iter()
        .find(|(_, name, _)| name.zh == "玉泉花园")
        .expect("玉泉花园")
        .clone();
    let building = buildings
        .iter()
        .find(|(_, name)| name == "1栋")
        .map(|(id, _)| id.0)
        .expect("1栋");
    let service = page
        .services
        .first()
        .map(|s| s.0)
        .expect("a cleaning service");
    PlanForm {
        estate,
        building: Some(building),
        service,
        weekdays: vec![1, 3, 5],
        start: "09:00".into(),
        minutes: 60,
    }
}

/// Monday, Wednesday and Friday at 09:00 from tomorrow for four weeks.
fn four_weeks_of_mon_wed_fri() -> Vec<NaiveDateTime> {
    (1..=28)
        .map(day)
        .filter(|d| matches!(d.weekday(), Weekday::Mon | Weekday::Wed | Weekday::Fri))
        .map(|d| d.and_hms_opt(9, 0, 0).expect("valid"))
        .collect()
}

#[test]
fn a_cleaning_plan_makes_four_weeks_of_visits_once_and_none_while_paused() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let plan_form = yuquan_plan(&mut conn, &d);
        let plan =
            orders::add_plan(&mut conn, &d.manager, d.company, &plan_form, t0()).expect("plan");

        let expected = four_weeks_of_mon_wed_fri();
        assert_eq!(expected.len(), 12);
        assert_eq!(expected.first(), Some(&local(3, 9)), "Monday 30 November");
        assert_eq!(expected.last(), Some(&local(28, 9)), "Friday 25 December");
        let visits = plan_visits(&mut conn, plan);
        let starts: Vec<NaiveDateTime> = visits.iter().map(|v| v.1).collect();
        assert_eq!(starts, expected, "{}", t.backend);
        assert!(visits.iter().all(|v| v.2 == "requested"));

        let visit = d.view(&mut conn, &d.manager, visits[0].0);
        assert_eq!(visit.line.channel, BookingChannel::Plan);
        assert_eq!(visit.household, None);
        assert_eq!(visit.line.address.building.as_deref(), Some("1栋"));
        assert_eq!(visit.line.amount, Money::ZERO);
        assert_eq!(
            visit.line.slot.end - visit.line.slot.start,
            Duration::minutes(60)
        );
        assert_eq!(
            visit.steps,
            vec![OrderStep::Schedule, OrderStep::Cancel],
            "nobody confirms a common-area visit"
        );
        let shown = orders::cleaning_plans(&mut conn, &d.manager, d.company, t0())
            .expect("plans")
            .plans
            .into_iter()
            .find(|p| p.id == plan)
            .expect("the plan");
        assert_eq!(shown.weekdays.numbers(), vec![1, 3, 5]);
        assert_eq!((shown.start.hour(), shown.minutes), (9, 60));
        assert_eq!(shown.building.as_deref(), Some("1栋"));
        assert_eq!((shown.paused, shown.upcoming), (false, 12));

        // Generating again makes nothing new (other plans may catch up once).
        orders::generate_plans(&mut conn, d.company, t0()).expect("generate");
        assert_eq!(
            orders::generate_plans(&mut conn, d.company, t0()).expect("generate again"),
            0,
            "{}",
            t.backend
        );
        assert_eq!(plan_visits(&mut conn, plan).len(), 12);

        // One visit under way and one scheduled when the plan is paused.
        let (under_way, scheduled) = (visits[0].0, visits[1].0);
        d.schedule(&mut conn, under_way, &d.staff);
        orders::take_step(&mut conn, &d.staff, under_way, OrderStep::Start, "", t0())
            .expect("start");
        d.schedule(&mut conn, scheduled, &d.staff);
        let later = t0() + Duration::hours(1);
        orders::set_plan_paused(&mut conn, &d.manager, plan, true, later).expect("paused");
        let states: Vec<String> = plan_visits(&mut conn, plan)
            .into_iter()
            .map(|v| v.2)
            .collect();
        assert_eq!(states[0], "in_progress", "work under way goes on");
        assert!(
            states[1..].iter().all(|s| s == "cancelled"),
            "{states:?} on {}",
            t.backend
        );
        let view = d.view(&mut conn, &d.manager, scheduled);
        let last = view.events.last().expect("event");
        assert_eq!(
            (last.by.as_str(), last.step, last.to),
            ("和秀", Some(OrderStep::Cancel), OrderState::Cancelled)
        );
        let shown = orders::cleaning_plans(&mut conn, &d.manager, d.company, later)
            .expect("plans")
            .plans
            .into_iter()
            .find(|p| p.id == plan)
            .expect("the plan");
        assert_eq!((shown.paused, shown.upcoming), (true, 1));

        // Paused: nothing is generated, however much later.
        orders::set_plan_paused(&mut conn, &d.manager, plan, true, later).expect("paused again");
        orders::generate_plans(&mut conn, d.company, t0() + Duration::days(7)).expect("generate");
        assert_eq!(plan_visits(&mut conn, plan).len(), 12, "{}", t.backend);

        // Resuming never gives a slot two visits.
        orders::set_plan_paused(&mut conn, &d.manager, plan, false, later).expect("resumed");
        orders::generate_plans(&mut conn, d.company, later).expect("generate");
        let visits = plan_visits(&mut conn, plan);
        let slots: BTreeSet<NaiveDateTime> = visits.iter().map(|v| v.1).collect();
        assert_eq!(slots.len(), visits.len(), "{}", t.backend);
        assert!(
            !orders::cleaning_plans(&mut conn, &d.manager, d.company, later)
                .expect("plans")
                .plans
                .iter()
                .any(|p| p.id == plan && p.paused)
        );
    });
}

#[test]
fn resuming_a_plan_brings_back_the_visits_its_pause_cancelled() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let plan_form = yuquan_plan(&mut conn, &d);
        let plan =
            orders::add_plan(&mut conn, &d.manager, d.company, &plan_form, t0()).expect("plan");
        orders::set_plan_paused(&mut conn, &d.manager, plan, true, t0()).expect("paused");
        orders::set_plan_paused(&mut conn, &d.manager, plan, false, t0()).expect("resumed");
        let live: Vec<NaiveDateTime> = plan_visits(&mut conn, plan)
            .into_iter()
            .filter(|v| v.2 != "cancelled")
            .map(|v| v.1)
            .collect();
        assert_eq!(live, four_weeks_of_mon_wed_fri(), "{}", t.backend);
    });
}

#[test]
fn a_plan_needs_weekdays_working_hours_and_the_companys_own_estate() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let mut conn = d.conn();
        let good = yuquan_plan(&mut conn, &d);
        let page = orders::cleaning_plans(&mut conn, &d.manager, d.company, t0()).expect("plans");
        let elsewhere = page
            .estates
            .iter()
            .find(|(id, _, buildings)| *id != good.estate && !buildings.is_empty())
            .map(|(_, _, buildings)| buildings[0].0.0)
            .expect("a building of another Wenhui estate");
        let foreign_estate = app::db::estates::open_estates(&mut conn)
            .expect("estates")
            .into_iter()
            .find(|e| e.company_id.is_some_and(|c| c != d.company.0))
            .map(|e| EstateId(e.id))
            .expect("an estate of another company");
        let housekeeping = d.hourly(&mut conn).id;
        let plans_before = page.plans.len();
        let visits_before = orders::company_orders(&mut conn, d.company, t0())
            .expect("orders")
            .orders
            .len();

        let with = |change: &dyn Fn(&mut PlanForm)| {
            let mut f = PlanForm {
                weekdays: good.weekdays.clone(),
                start: good.start.clone(),
                ..good
            };
            change(&mut f);
            f
        };
        let cases: Vec<(PlanForm, &str, Key)> = vec![
            (
                with(&|f| f.weekdays = vec![]),
                "weekdays",
                Key::PlanErrorWeekdays,
            ),
            (
                with(&|f| f.weekdays = vec![0, 1]),
                "weekdays",
                Key::PlanErrorWeekdays,
            ),
            (
                with(&|f| f.weekdays = vec![8]),
                "weekdays",
                Key::PlanErrorWeekdays,
            ),
            (
                with(&|f| f.start = "18:30".into()),
                "start",
                Key::PlanErrorTime,
            ),
            (
                with(&|f| f.start = "17:30".into()),
                "start",
                Key::PlanErrorTime,
            ),
            (
                with(&|f| f.start = "07:00".into()),
                "start",
                Key::PlanErrorTime,
            ),
            (
                with(&|f| f.start = "九点".into()),
                "start",
                Key::PlanErrorTime,
            ),
            (with(&|f| f.minutes = 0), "minutes", Key::PlanErrorMinutes),
            (with(&|f| f.minutes = 601), "minutes", Key::PlanErrorMinutes),
            (with(&|f| f.minutes = 600), "start", Key::PlanErrorTime),
            (
                with(&|f| {
                    f.estate = foreign_estate;
                    f.building = None;
                }),
                "estate",
                Key::PlanErrorEstate,
            ),
            (
                with(&|f| f.building = Some(elsewhere)),
                "building",
                Key::PlanErrorEstate,
            ),
            (
                with(&|f| f.service = housekeeping),
                "service",
                Key::OrderErrorService,
            ),
        ];
        for (f, field, key) in cases {
            let what = format!(
                "{:?} {} {} min on {}",
                f.weekdays, f.start, f.minutes, t.backend
            );
            let refused = orders::add_plan(&mut conn, &d.manager, d.company, &f, t0());
            assert_eq!(invalid(refused), (field.to_owned(), key), "{what}");
        }
        let page = orders::cleaning_plans(&mut conn, &d.manager, d.company, t0()).expect("plans");
        assert_eq!(page.plans.len(), plans_before, "{}", t.backend);
        assert_eq!(
            orders::company_orders(&mut conn, d.company, t0())
                .expect("orders")
                .orders
                .len(),
            visits_before
        );
    });
}

// ----- the staff member's day -----

#[test]
fn the_staff_day_lists_only_the_callers_own_jobs_in_slot_order() {
    on_each_backend_with_demo(t0(), |t| {
        let d = demo(t);
        let other = d.hire("周强", "13700000103");
        let mut conn = d.conn();
        // 李桂's mornings: the seed gives him afternoon jobs of his own.
        let late = d.book(&mut conn, &d.resident, &slot(5, 11), 1);
        let early = d.book(&mut conn, &d.manager, &slot(5, 8), 2);
        let theirs = d.book(&mut conn, &d.manager, &slot(5, 10), 1);
        let called_off = d.book(&mut conn, &d.manager, &slot(5, 10), 1);
        let next_day = d.book(&mut conn, &d.resident, &slot(6, 9), 2);
        for order in [late, early, called_off, next_day] {
            d.schedule(&mut conn, order, &d.staff);
        }
        d.schedule(&mut conn, theirs, &other);
        orders::take_step(
            &mut conn,
            &d.manager,
            called_off,
            OrderStep::Cancel,
            "住户改期",
            t0(),
        )
        .expect("cancelled");
        let ours = [late, early, theirs, called_off, next_day];

        let jobs =
            |conn: &mut DbConn, who: &Caller| {
                let shown = orders::staff_day(conn, who, &day(5).to_string(), t0()).expect("day");
                assert_eq!(shown.day, day(5));
                assert_eq!(shown.name, who.name);
                assert!(
                    shown
                        .jobs
                        .windows(2)
                        .all(|w| w[0].slot.start <= w[1].slot.start),
                    "in slot order"
                );
                assert!(shown.jobs.iter().all(|j| j.slot.start.date() == day(5)
                    && j.staff.as_deref() == Some(who.name.as_str())));
                shown
                    .jobs
                    .into_iter()
                    .map(|j| j.id)
                    .filter(|id| ours.contains(id))
                    .collect::<Vec<_>>()
            };
        assert_eq!(
            jobs(&mut conn, &d.staff),
            vec![early, late],
            "{}",
            t.backend
        );
        assert_eq!(jobs(&mut conn, &other), vec![theirs]);

        let today = orders::staff_day(&mut conn, &d.staff, "", t0()).expect("today");
        assert_eq!(today.day, day(0));
        assert_eq!(
            invalid(orders::staff_day(&mut conn, &d.staff, "12/02", t0())),
            ("day".to_owned(), Key::EstateErrorDate)
        );
        assert_eq!(
            refusal(orders::staff_day(&mut conn, &d.resident, "", t0())),
            AppError::Forbidden
        );
    });
}

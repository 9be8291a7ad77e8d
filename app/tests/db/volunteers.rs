//! Party-member volunteer service on both databases, through the services the
//! server functions call: a resident orders (once per form), the community
//! Party organization dispatches to a registered volunteer, who accepts and
//! completes with the time served; the board tallies to the minute, checked
//! against the rows behind it; a declined task returns to the queue with its
//! reason; registration (双报到) takes only someone who lives in the
//! community; who may see and do what.
//!
//! The demo is seeded at t0 (2026-11-27, midday in China): 赵志远 (13800000009,
//! 文华苑) and 杨丽 (13800000007, 玉泉花园) are Wenhui community's volunteers
//! with five completed tasks between them, one of them last year.

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::db::DbConn;
use app::db::schema::{
    audit_log, outbox, persons, volunteer_task_events, volunteer_tasks, volunteers,
};
use app::domain::access::{Action, Caller, HouseholdId, PersonId, Role, Scope, authorize};
use app::domain::org::CommunityId;
use app::domain::volunteers::{
    BoardPeriod, TaskState, TaskStep, VolunteerBoard, VolunteerKind, VolunteerTaskId, tally,
};
use app::i18n::Key;
use app::services::access::{Session, Target, place_of, session};
use app::services::clock::Clock;
use app::services::seed::DEMO_PASSWORD;
use app::services::volunteers::{self as service, OrderForm, RegisterForm};
use app::services::{AppState, accounts};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// 2026-11-27 04:00 UTC, midday in China.
fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(4, 0, 0))
        .expect("valid")
}

fn sign_in(state: &AppState, login: &str) -> Caller {
    let signed = accounts::login(state, login, DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
    let mut conn = state.db.conn().expect("conn");
    let live: Session = session(&mut conn, &signed.token, &state.auth.session, t0())
        .expect("session")
        .expect("live");
    live.caller
}

/// The caller acting in their grant of `role` (as after switching roles).
fn acting_as(mut caller: Caller, role: Role) -> Caller {
    caller.grant = caller.grants.iter().find(|g| g.role == role).cloned();
    assert!(
        caller.grant.is_some(),
        "{} holds no {role:?} grant",
        caller.name
    );
    caller
}

fn household(caller: &Caller) -> HouseholdId {
    match caller.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Household(h)) => h,
        other => panic!("household scope: {other:?}"),
    }
}

struct World {
    state: AppState,
    /// 和美华, a resident of 玉泉花园.
    resident: Caller,
    /// 杨丽, her neighbour in 玉泉花园, and a volunteer.
    yang: Caller,
    /// 李冬梅, a resident of 象山小区 (another Wenhui estate).
    li: Caller,
    /// 和秀 in her Party grant: Wenhui community's Party general branch.
    party: Caller,
    /// 木林, Xi'an street Party working committee.
    street: Caller,
    /// 赵志远, a volunteer living in 文华苑.
    zhao: Caller,
}

fn world(t: &TestDb) -> World {
    let state = AppState::new(t.db.clone()).with_clock(Clock::Fixed(t0()));
    World {
        resident: sign_in(&state, "13800000001"),
        yang: sign_in(&state, "13800000007"),
        li: sign_in(&state, "13800000008"),
        party: acting_as(sign_in(&state, "hexiu"), Role::Party),
        street: sign_in(&state, "13800000005"),
        zhao: sign_in(&state, "13800000009"),
        state,
    }
}

/// Whether `authorize` lets the caller do `action` to `target`.
fn check(w: &World, caller: &Caller, action: Action, target: Target) -> Result<(), AppError> {
    let mut conn = w.state.db.conn().expect("conn");
    let place = place_of(&mut conn, target, Some(caller))?;
    Ok(authorize(Some(caller), action, &place)?)
}

fn order_form(token: &str, note: &str) -> OrderForm {
    OrderForm {
        kind: VolunteerKind::ElderCare.code().into(),
        wished_on: "2026-11-28".into(),
        window_start: "09:00".into(),
        window_end: "11:00".into(),
        note: note.into(),
        form_token: token.into(),
    }
}

fn state_of(conn: &mut DbConn, id: VolunteerTaskId) -> (String, Option<i64>, Option<i64>) {
    volunteer_tasks::table
        .find(id.0)
        .select((
            volunteer_tasks::state,
            volunteer_tasks::volunteer_id,
            volunteer_tasks::minutes,
        ))
        .first(conn)
        .expect("task")
}

fn count_events(conn: &mut DbConn, id: VolunteerTaskId) -> i64 {
    volunteer_task_events::table
        .filter(volunteer_task_events::task_id.eq(id.0))
        .count()
        .get_result(conn)
        .expect("events")
}

fn count_audit(conn: &mut DbConn) -> i64 {
    audit_log::table
        .filter(audit_log::entity.eq_any(["volunteer_task", "volunteer"]))
        .count()
        .get_result(conn)
        .expect("audit")
}

/// The board as the rows behind it say it must be: (person, minutes,
/// tasks) of the community's tasks completed since `since`.
fn tally_of_rows(
    conn: &mut DbConn,
    community: CommunityId,
    since: NaiveDateTime,
) -> Vec<(PersonId, i64, i64)> {
    let rows: Vec<(Option<i64>, Option<i64>)> = volunteer_tasks::table
        .filter(volunteer_tasks::community_id.eq(community.0))
        .filter(volunteer_tasks::state.eq("completed"))
        .filter(volunteer_tasks::completed_at.ge(since))
        .select((volunteer_tasks::volunteer_id, volunteer_tasks::minutes))
        .load(conn)
        .expect("completed");
    let completed: Vec<(PersonId, i64)> = rows
        .into_iter()
        .map(|(p, m)| (PersonId(p.expect("a volunteer")), m.expect("minutes")))
        .collect();
    tally(&completed)
}

fn board_rows(board: &VolunteerBoard) -> Vec<(PersonId, i64, i64)> {
    let mut rows: Vec<(PersonId, i64, i64)> = board
        .rows
        .iter()
        .map(|r| (r.person, r.minutes, r.tasks))
        .collect();
    rows.sort();
    rows
}

/// (minutes, tasks) of one person on a board.
fn on_board(board: &VolunteerBoard, person: PersonId) -> (i64, i64) {
    board
        .rows
        .iter()
        .find(|r| r.person == person)
        .map(|r| (r.minutes, r.tasks))
        .unwrap_or((0, 0))
}

/// 2026-01-01 00:00 in China, in UTC.
fn year_start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 12, 31)
        .and_then(|d| d.and_hms_opt(16, 0, 0))
        .expect("valid")
}

#[test]
fn an_order_is_dispatched_accepted_and_completed_and_the_board_tallies_exactly() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let home = household(&w.resident);

        // The seeded board, this year and all time, to the minute.
        let year = service::board(&mut conn, &w.zhao, None, "", t0()).expect("board");
        assert_eq!(year.period, BoardPeriod::Year);
        assert_eq!(year.year, 2026);
        let community = year.community;
        assert_eq!(on_board(&year, w.zhao.person), (210, 2), "{}", t.backend);
        assert_eq!(on_board(&year, w.yang.person), (150, 2), "{}", t.backend);
        assert_eq!(year.rows[0].person, w.zhao.person);
        assert_eq!(year.rows[0].rank, 1);
        assert_eq!(
            board_rows(&year),
            tally_of_rows(&mut conn, community, year_start())
        );
        let all = service::board(&mut conn, &w.zhao, None, "all", t0()).expect("board");
        assert_eq!(on_board(&all, w.zhao.person), (390, 3), "{}", t.backend);
        assert_eq!(
            board_rows(&all),
            tally_of_rows(&mut conn, community, NaiveDateTime::default())
        );

        // The resident has a mail address: she hears who is coming.
        diesel::update(persons::table.find(w.resident.person.0))
            .set(persons::email.eq("hemeihua@example.cn"))
            .execute(&mut conn)
            .expect("email");

        // She orders; the same form sent again orders once.
        let audit_before = count_audit(&mut conn);
        let form = order_form("form-1", "母亲想请人陪着下棋");
        let id = service::order(&mut conn, &w.resident, home, &form, t0()).expect("order");
        let again = service::order(&mut conn, &w.resident, home, &form, t0()).expect("again");
        assert_eq!(id, again);
        assert_eq!(count_audit(&mut conn), audit_before + 1);
        let page = service::household_page(&mut conn, &w.resident, home, t0()).expect("page");
        let mine = page.tasks.iter().find(|l| l.id == id).expect("listed");
        assert_eq!(mine.state, TaskState::Ordered);
        assert_eq!(mine.steps, vec![TaskStep::Cancel]);
        assert_eq!(page.tasks.iter().filter(|l| l.id == id).count(), 1);

        // Another household's or estate's residents reach neither the page
        // nor the task; the volunteer's own household is not the resident's.
        for (who, caller) in [
            ("neighbour", &w.yang),
            ("other estate", &w.li),
            ("volunteer", &w.zhao),
        ] {
            assert_eq!(
                check(
                    &w,
                    caller,
                    Action::OrderVolunteerService,
                    Target::Household(home)
                ),
                Err(AppError::Forbidden),
                "{who}"
            );
            assert_eq!(
                service::cancel(&mut conn, caller, id, "", t0()),
                Err(AppError::Forbidden),
                "{who}"
            );
        }

        // The community's Party organization sees it waiting and sends 赵志远;
        // a volunteer cannot dispatch, and only the pool can be sent.
        assert_eq!(
            check(
                &w,
                &w.party,
                Action::DispatchVolunteers,
                Target::Household(home)
            ),
            Ok(())
        );
        assert_eq!(
            check(
                &w,
                &w.street,
                Action::DispatchVolunteers,
                Target::Household(home)
            ),
            Ok(())
        );
        assert_eq!(
            check(
                &w,
                &w.zhao,
                Action::DispatchVolunteers,
                Target::Household(home)
            ),
            Err(AppError::Forbidden)
        );
        let board = service::dispatch_page(&mut conn, &w.party, None, t0()).expect("dispatch");
        assert_eq!(board.community, community);
        let waiting = board.queue.iter().find(|l| l.id == id).expect("queued");
        assert_eq!(waiting.steps, vec![TaskStep::Dispatch]);
        assert_eq!(
            waiting.contact.as_ref().map(|c| c.name.as_str()),
            Some("和美华")
        );
        assert!(
            board
                .volunteers
                .iter()
                .any(|v| v.person == w.zhao.person && v.active)
        );
        assert!(matches!(
            service::dispatch(&mut conn, &w.party, id, w.li.person, t0()),
            Err(AppError::Invalid { ref field, .. }) if field == "volunteer"
        ));
        assert_eq!(
            service::dispatch(&mut conn, &w.zhao, id, w.zhao.person, t0()),
            Err(AppError::Forbidden)
        );
        service::dispatch(&mut conn, &w.party, id, w.zhao.person, t0()).expect("dispatch");
        assert_eq!(state_of(&mut conn, id).0, "dispatched");

        // Only the volunteer it was sent to may accept it.
        assert_eq!(
            service::accept(&mut conn, &w.state.site_url, &w.yang, id, t0()),
            Err(AppError::Forbidden)
        );
        let resident_view = |conn: &mut DbConn| {
            service::household_page(conn, &w.resident, home, t0())
                .expect("page")
                .tasks
                .into_iter()
                .find(|l| l.id == id)
                .expect("listed")
        };
        // Not named to the resident before he says yes.
        assert_eq!(resident_view(&mut conn).volunteer, None);
        let offered = service::my_tasks(&mut conn, &w.zhao, t0()).expect("mine");
        let line = offered
            .offered
            .iter()
            .find(|l| l.id == id)
            .expect("offered");
        assert_eq!(line.steps, vec![TaskStep::Accept, TaskStep::Decline]);
        let mails_before: i64 = outbox::table
            .filter(outbox::person_id.eq(w.resident.person.0))
            .count()
            .get_result(&mut conn)
            .expect("outbox");
        service::accept(&mut conn, &w.state.site_url, &w.zhao, id, t0()).expect("accept");
        let seen = resident_view(&mut conn);
        assert_eq!(seen.state, TaskState::Accepted);
        assert_eq!(seen.volunteer.as_deref(), Some("赵志远"));
        assert!(seen.steps.is_empty(), "no cancelling once accepted");
        assert_eq!(
            service::cancel(&mut conn, &w.resident, id, "", t0()),
            Err(AppError::Conflict(Key::VolunteerErrorState))
        );
        let mails: Vec<(String, String)> = outbox::table
            .filter(outbox::person_id.eq(w.resident.person.0))
            .order(outbox::id)
            .select((outbox::kind, outbox::body_text))
            .load(&mut conn)
            .expect("outbox");
        assert_eq!(mails.len() as i64, mails_before + 1);
        let (kind, body) = mails.last().expect("a mail");
        assert_eq!(kind, "booking_scheduled");
        assert!(
            body.contains("赵志远") && body.contains("陪伴老人"),
            "{body}"
        );

        // Bad hours are refused and change nothing.
        let events = count_events(&mut conn, id);
        let audit = count_audit(&mut conn);
        for bad in ["", "1.3", "0", "12.25", "一小时", "-1.5"] {
            match service::complete(&mut conn, &w.zhao, id, bad, "", t0()) {
                Err(AppError::Invalid { field, .. }) => assert_eq!(field, "hours", "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert_eq!(
            state_of(&mut conn, id),
            ("accepted".into(), Some(w.zhao.person.0), None)
        );
        assert_eq!(count_events(&mut conn, id), events);
        assert_eq!(count_audit(&mut conn), audit);
        // Nor may anyone else complete it.
        assert_eq!(
            service::complete(&mut conn, &w.yang, id, "1.5", "", t0()),
            Err(AppError::Forbidden)
        );

        service::complete(
            &mut conn,
            &w.zhao,
            id,
            "1.5",
            "下了三盘棋，老人很开心。",
            t0(),
        )
        .expect("complete");
        assert_eq!(
            state_of(&mut conn, id),
            ("completed".into(), Some(w.zhao.person.0), Some(90))
        );
        assert_eq!(count_events(&mut conn, id), events + 1);
        let done = resident_view(&mut conn);
        assert_eq!(done.served.map(|s| s.minutes()), Some(90));
        // Whom it was offered to is not the resident's to read: no dispatch.
        assert_eq!(
            done.history.iter().map(|e| e.step).collect::<Vec<_>>(),
            vec![TaskStep::Order, TaskStep::Accept, TaskStep::Complete]
        );

        // The board: exactly an hour and a half more for 赵志远, nobody else
        // changed, still what the rows say.
        let year_after = service::board(&mut conn, &w.resident, None, "year", t0()).expect("board");
        assert_eq!(year_after.community, community);
        assert_eq!(on_board(&year_after, w.zhao.person), (300, 3));
        assert_eq!(on_board(&year_after, w.yang.person), (150, 2));
        assert_eq!(year_after.total_minutes, 450);
        assert_eq!(year_after.total_tasks, 5);
        assert_eq!(
            board_rows(&year_after),
            tally_of_rows(&mut conn, community, year_start())
        );
        let all_after = service::board(&mut conn, &w.party, None, "all", t0()).expect("board");
        assert_eq!(on_board(&all_after, w.zhao.person), (480, 4));
        let mine = service::my_tasks(&mut conn, &w.zhao, t0()).expect("mine");
        assert_eq!((mine.year_minutes, mine.year_tasks), (300, 3));
        assert_eq!((mine.all_minutes, mine.all_tasks), (480, 4));
        assert!(mine.completed.iter().any(|l| l.id == id));
        assert!(mine.offered.is_empty() && mine.accepted.is_empty());
        assert!(matches!(
            service::board(&mut conn, &w.zhao, None, "decade", t0()),
            Err(AppError::Invalid { .. })
        ));
    });
}

#[test]
fn a_declined_task_returns_to_the_queue_with_its_reason() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let home = household(&w.resident);
        let id = service::order(
            &mut conn,
            &w.resident,
            home,
            &order_form("form-2", "孩子作业辅导"),
            t0(),
        )
        .expect("order");
        service::dispatch(&mut conn, &w.party, id, w.yang.person, t0()).expect("dispatch");

        // 赵志远 cannot give back what was sent to 杨丽; she must say why.
        assert_eq!(
            service::decline(&mut conn, &w.zhao, id, "没空", t0()),
            Err(AppError::Forbidden)
        );
        assert!(matches!(
            service::decline(&mut conn, &w.yang, id, "  ", t0()),
            Err(AppError::Invalid { ref field, .. }) if field == "reason"
        ));
        assert_eq!(state_of(&mut conn, id).0, "dispatched");
        service::decline(&mut conn, &w.yang, id, "那天医院值班", t0()).expect("decline");
        assert_eq!(state_of(&mut conn, id), ("ordered".into(), None, None));

        // Back in the queue, with who gave it back and why.
        let board = service::dispatch_page(&mut conn, &w.party, None, t0()).expect("dispatch");
        let back = board
            .queue
            .iter()
            .find(|l| l.id == id)
            .expect("queued again");
        let declined = back.last_decline().expect("a decline");
        assert_eq!(declined.by, "杨丽");
        assert_eq!(declined.comment, "那天医院值班");
        assert!(!board.dispatched.iter().any(|l| l.id == id));

        // Sent to 赵志远 instead; the resident calls it off before he answers.
        service::dispatch(&mut conn, &w.party, id, w.zhao.person, t0()).expect("again");
        service::cancel(&mut conn, &w.resident, id, "家里亲戚来帮忙了", t0()).expect("cancel");
        assert_eq!(state_of(&mut conn, id).0, "cancelled");
        assert_eq!(
            service::accept(&mut conn, &w.state.site_url, &w.zhao, id, t0()),
            Err(AppError::Conflict(Key::VolunteerErrorState))
        );
        assert_eq!(
            service::dispatch(&mut conn, &w.party, id, w.yang.person, t0()),
            Err(AppError::Conflict(Key::VolunteerErrorState))
        );
    });
}

#[test]
fn only_people_living_in_the_community_are_registered_and_the_pool_is_kept() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let board = service::dispatch_page(&mut conn, &w.party, None, t0()).expect("dispatch");
        let community = board.community;
        let count = |conn: &mut DbConn| -> i64 {
            volunteers::table.count().get_result(conn).expect("count")
        };
        let before = count(&mut conn);
        let register = |phone: &str, date: &str, kinds: Vec<VolunteerKind>| RegisterForm {
            phone: phone.into(),
            organization: "古城区教育局".into(),
            registered_on: date.into(),
            party_member: true,
            kinds,
        };
        for (form, field) in [
            (
                register("13899999999", "", vec![VolunteerKind::Meals]),
                "phone",
            ),
            // 木林 lives in no household of the community.
            (
                register("13800000005", "", vec![VolunteerKind::Meals]),
                "phone",
            ),
            (register("13800000008", "", vec![]), "kinds"),
            (
                register("13800000008", "2026-12-01", vec![VolunteerKind::Meals]),
                "registered_on",
            ),
            (register("138", "", vec![VolunteerKind::Meals]), "phone"),
        ] {
            match service::register(&mut conn, &w.party, community, &form, t0()) {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert_eq!(count(&mut conn), before, "nothing registered");

        // 李冬梅 lives in 象山小区, in the community: she reports.
        let li = service::register(
            &mut conn,
            &w.party,
            community,
            &register(
                "138 0000 0008",
                "2026-11-20",
                vec![VolunteerKind::Meals, VolunteerKind::Other],
            ),
            t0(),
        )
        .expect("register");
        assert_eq!(count(&mut conn), before + 1);
        assert_eq!(
            service::register(
                &mut conn,
                &w.party,
                community,
                &register("13800000008", "", vec![VolunteerKind::Meals]),
                t0()
            ),
            Err(AppError::Conflict(Key::VolunteerErrorAlreadyRegistered))
        );
        let pool = service::dispatch_page(&mut conn, &w.party, None, t0())
            .expect("dispatch")
            .volunteers;
        let her = pool.iter().find(|v| v.id == li).expect("in the pool");
        assert_eq!(her.kinds, vec![VolunteerKind::Meals, VolunteerKind::Other]);
        assert_eq!(
            her.registered_on,
            NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
        );
        let mine = service::my_tasks(&mut conn, &w.li, t0()).expect("mine");
        assert!(mine.is_registered());

        // Out of the pool: she can no longer be sent anything.
        service::set_active(&mut conn, &w.party, li, false, t0()).expect("deactivate");
        let id = service::order(
            &mut conn,
            &w.resident,
            household(&w.resident),
            &order_form("form-3", ""),
            t0(),
        )
        .expect("order");
        assert!(matches!(
            service::dispatch(&mut conn, &w.party, id, w.li.person, t0()),
            Err(AppError::Invalid { ref field, .. }) if field == "volunteer"
        ));
        // Someone holding a task keeps serving until it is sent elsewhere.
        service::dispatch(&mut conn, &w.party, id, w.zhao.person, t0()).expect("dispatch");
        let zhao = pool
            .iter()
            .find(|v| v.person == w.zhao.person)
            .expect("赵志远");
        assert_eq!(
            service::set_active(&mut conn, &w.party, zhao.id, false, t0()),
            Err(AppError::Conflict(Key::VolunteerErrorHasOpenTasks))
        );

        // Registering is the community's (or its street's) Party
        // organization's; residents and volunteers may not.
        let target = Target::Community(community);
        assert_eq!(
            check(&w, &w.party, Action::DispatchVolunteers, target),
            Ok(())
        );
        assert_eq!(
            check(&w, &w.street, Action::DispatchVolunteers, target),
            Ok(())
        );
        for caller in [&w.resident, &w.zhao] {
            assert_eq!(
                check(&w, caller, Action::DispatchVolunteers, target),
                Err(AppError::Forbidden)
            );
        }
    });
}

#[test]
fn the_board_is_the_communitys_own() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let ours = service::board(&mut conn, &w.resident, None, "all", t0()).expect("board");
        assert_eq!(ours.communities.len(), 1);
        // The street sees each of its communities, Wenhui by default (the
        // one with a request waiting), and may choose another of its own.
        let street = service::board(&mut conn, &w.street, None, "all", t0()).expect("board");
        assert_eq!(street.community, ours.community);
        assert_eq!(board_rows(&street), board_rows(&ours));
        assert!(street.communities.len() > 1);
        let next_door = street
            .communities
            .iter()
            .map(|(c, _)| *c)
            .find(|c| *c != ours.community)
            .expect("another community");
        let theirs =
            service::board(&mut conn, &w.street, Some(next_door), "all", t0()).expect("board");
        assert!(theirs.rows.is_empty());
        // A resident may not ask for another community's board.
        assert_eq!(
            service::board(&mut conn, &w.resident, Some(next_door), "all", t0()),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(
                &w,
                &w.resident,
                Action::ViewVolunteerBoard,
                Target::Community(next_door)
            ),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check(
                &w,
                &w.resident,
                Action::ViewVolunteerBoard,
                Target::OwnScope
            ),
            Ok(())
        );
        // Staff of a company are not among those the board is for.
        let staff = sign_in(&w.state, "13800000004");
        assert_eq!(
            check(&w, &staff, Action::ViewVolunteerBoard, Target::OwnScope),
            Err(AppError::Forbidden)
        );
        // The volunteer page of someone never registered says so, and
        // accepting anything is refused.
        let mine = service::my_tasks(&mut conn, &w.resident, t0()).expect("mine");
        assert!(!mine.is_registered());
        assert_eq!(mine.all_minutes, 0);
    });
}

//! Decision records (四议两公开) on both databases, through the services the
//! server functions call: the six steps in order by the street Party
//! officer; a meeting short of its quorum refused with nothing written; a
//! valid meeting voting the matter down; steps 1 and 2 as one record only
//! for someone on both signboards; the database keeping recorded steps as
//! they are; who sees what, and officers outside the scope refused.
//!
//! The demo is seeded at t0 (2026-11-27, midday in China), with its lift
//! replacement at 文华苑 disclosed and carried out.

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::db::DbConn;
use app::db::schema::{
    audit_log, communities, decision_steps, decisions as decisions_t, estates, streets,
};
use app::domain::LocalizedName;
use app::domain::access::{Action, Caller, EstateId, GrantId, Role, RoleGrant, Scope, authorize};
use app::domain::decisions::{Attendance, DecisionId, DecisionState, DecisionStep};
use app::domain::org::{CommunityId, StreetId};
use app::i18n::Key;
use app::services::access::{Target, place_of, session};
use app::services::clock::Clock;
use app::services::decisions::{self as service, ProposeForm, StepForm};
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// 2026-11-27 04:00 UTC, midday in China.
fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(4, 0, 0))
        .expect("valid")
}

struct World {
    state: AppState,
    /// 木林, Xi'an street Party working committee.
    street: Caller,
    /// 和秀 acting in her Wenhui community Party grant.
    secretary: Caller,
    /// 和秀 acting as Wenhui's general manager.
    manager: Caller,
    /// 杨春, chair of 玉泉花园's committee.
    chair: Caller,
    /// 和美华, a resident of 玉泉花园.
    resident: Caller,
    /// 李冬梅, a resident of 象山小区.
    neighbour: Caller,
    yuquan: EstateId,
    xiangshan: EstateId,
    wenhua: EstateId,
    /// An estate of another community in 木林's street.
    next_door: EstateId,
    /// Another street than 木林's.
    other_street: StreetId,
}

/// Signs in and, if asked, switches to the person's grant of `role`.
fn sign_in(state: &AppState, login: &str, role: Option<Role>) -> Caller {
    let signed = accounts::login(state, login, DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
    let mut conn = state.db.conn().expect("conn");
    let live = session(&mut conn, &signed.token, &state.auth.session, t0())
        .expect("session")
        .expect("live");
    let Some(role) = role else {
        return live.caller;
    };
    let grant = live
        .caller
        .grants
        .iter()
        .find(|g| g.role == role)
        .expect("grant of the role")
        .id;
    accounts::switch_role(&mut conn, &live, grant).expect("switch");
    let caller = session(&mut conn, &signed.token, &state.auth.session, t0())
        .expect("session")
        .expect("live")
        .caller;
    assert_eq!(caller.role(), Some(role));
    caller
}

fn estate_named(conn: &mut DbConn, community: i64, name: &str) -> EstateId {
    EstateId(
        estates::table
            .filter(estates::community_id.eq(community))
            .filter(estates::name.eq(name))
            .select(estates::id)
            .first(conn)
            .expect("estate"),
    )
}

fn world(t: &TestDb) -> World {
    let state = AppState::new(t.db.clone()).with_clock(Clock::Fixed(t0()));
    let chair = sign_in(&state, "13800000003", None);
    let yuquan = match chair.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Estate(e)) => e,
        other => panic!("committee scope: {other:?}"),
    };
    let street = sign_in(&state, "13800000005", None);
    let street_id = match street.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Street(s)) => s,
        other => panic!("street scope: {other:?}"),
    };
    let mut conn = state.db.conn().expect("conn");
    let community: i64 = estates::table
        .find(yuquan.0)
        .select(estates::community_id)
        .first(&mut conn)
        .expect("community");
    let next_door = EstateId(
        estates::table
            .inner_join(communities::table)
            .filter(communities::street_id.eq(street_id.0))
            .filter(estates::community_id.ne(community))
            .select(estates::id)
            .order(estates::id)
            .first(&mut conn)
            .expect("an estate next door"),
    );
    let other_street = StreetId(
        streets::table
            .filter(streets::id.ne(street_id.0))
            .select(streets::id)
            .order(streets::id)
            .first(&mut conn)
            .expect("another street"),
    );
    World {
        xiangshan: estate_named(&mut conn, community, "象山小区"),
        wenhua: estate_named(&mut conn, community, "文华苑"),
        secretary: sign_in(&state, "hexiu", Some(Role::Party)),
        manager: sign_in(&state, "hexiu", Some(Role::Manager)),
        resident: sign_in(&state, "13800000001", None),
        neighbour: sign_in(&state, "13800000008", None),
        chair,
        street,
        yuquan,
        next_door,
        other_street,
        state,
    }
}

fn step_form(on: &str, counts: Option<(i64, i64, i64)>, outcome: &str) -> StepForm {
    let (expected, attended, agreed) = counts.map_or_else(Default::default, |(e, a, g)| {
        (e.to_string(), a.to_string(), g.to_string())
    });
    StepForm {
        held_on: on.into(),
        expected,
        attended,
        agreed,
        outcome: outcome.into(),
        merged: false,
    }
}

fn proposal(estates: Vec<i64>, merged: bool) -> ProposeForm {
    ProposeForm {
        kind: "major_repair".into(),
        title: "玉泉花园2栋电梯更换".into(),
        details: "2栋电梯老化，多次困人，拟使用专项维修资金更换。".into(),
        estates,
        step: StepForm {
            merged,
            ..step_form("2026-11-02", None, "党支部提议更换2栋电梯。")
        },
    }
}

fn record(
    conn: &mut DbConn,
    who: &Caller,
    id: DecisionId,
    step: DecisionStep,
    on: &str,
    counts: Option<(i64, i64, i64)>,
) -> Result<DecisionState, AppError> {
    service::record_step(
        conn,
        who,
        id,
        step.code(),
        &step_form(on, counts, &format!("{} 的记录", step.code())),
        t0(),
    )
}

fn step_rows(conn: &mut DbConn) -> i64 {
    decision_steps::table
        .count()
        .get_result(conn)
        .expect("count")
}

fn decision_rows(conn: &mut DbConn) -> i64 {
    decisions_t::table.count().get_result(conn).expect("count")
}

fn audit_rows(conn: &mut DbConn, id: DecisionId) -> Vec<String> {
    audit_log::table
        .filter(audit_log::entity.eq("decision"))
        .filter(audit_log::entity_id.eq(id.0))
        .order(audit_log::id)
        .select(audit_log::action)
        .load(conn)
        .expect("audit")
}

/// Whether the decision is on the estate's notice board.
fn on_board(conn: &mut DbConn, estate: EstateId, id: DecisionId) -> bool {
    service::notices(conn, estate)
        .expect("notices")
        .items
        .iter()
        .any(|n| n.id == id)
}

#[test]
fn the_street_officer_takes_a_matter_through_the_six_steps_and_residents_see_it_once_disclosed() {
    use DecisionState::*;
    use DecisionStep::*;
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let id = service::propose(
            &mut conn,
            &w.street,
            &proposal(vec![w.yuquan.0], false),
            t0(),
        )
        .expect("propose");
        assert_eq!(
            service::view(&mut conn, &w.street, id, t0())
                .expect("view")
                .state,
            Proposed
        );
        for (step, on, counts, after) in [
            (Deliberate, "2026-11-05", Some((9, 8, 8)), Deliberated),
            (MembersReview, "2026-11-10", Some((23, 16, 15)), Reviewed),
            (Resolve, "2026-11-15", Some((40, 27, 21)), Resolved),
            (DiscloseResolution, "2026-11-16", None, Disclosed),
            (DiscloseImplementation, "2026-11-27", None, Implemented),
        ] {
            // Residents see nothing until the resolution is disclosed.
            assert_eq!(
                on_board(&mut conn, w.yuquan, id),
                step == DiscloseImplementation,
                "{}: before {step:?}",
                t.backend
            );
            assert_eq!(
                record(&mut conn, &w.street, id, step, on, counts),
                Ok(after),
                "{}: {step:?}",
                t.backend
            );
        }
        let view = service::view(&mut conn, &w.street, id, t0()).expect("view");
        assert_eq!(view.state, Implemented);
        assert_eq!(
            view.steps.iter().map(|s| s.step).collect::<Vec<_>>(),
            DecisionStep::ALL.to_vec()
        );
        assert!(
            view.steps
                .iter()
                .all(|s| s.recorded_by == "木林" && !s.merged)
        );
        assert_eq!(
            view.steps[2].attendance,
            Some(Attendance {
                expected: 23,
                attended: 16,
                agreed: 15
            })
        );
        assert!(view.steps[4].attendance.is_none());
        assert_eq!(
            record(&mut conn, &w.street, id, Propose, "2026-11-27", None),
            Err(AppError::Conflict(Key::DecisionErrorClosed))
        );
        assert_eq!(
            audit_rows(&mut conn, id),
            vec!["create", "update", "update", "update", "update", "update"]
        );

        // The notice carries the residents' vote, the resolution disclosed
        // and the implementation; only on the affected estate's board.
        let notices = service::notices(&mut conn, w.yuquan).expect("notices");
        let notice = notices.items.iter().find(|n| n.id == id).expect("notice");
        assert_eq!(notice.title, "玉泉花园2栋电梯更换");
        assert_eq!(notice.resolution, "disclose_resolution 的记录");
        assert_eq!(
            notice.vote,
            Some(Attendance {
                expected: 40,
                attended: 27,
                agreed: 21
            })
        );
        assert_eq!(notice.resolved_on, NaiveDate::from_ymd_opt(2026, 11, 15));
        assert!(notice.implementation.is_some());
        assert!(!on_board(&mut conn, w.xiangshan, id));
        // The demo's lift at 文华苑 is on 文华苑's board, not 玉泉花园's.
        let lift =
            |n: &app::domain::decisions::DecisionNotice| n.title.contains("电梯") && n.id != id;
        assert!(
            service::notices(&mut conn, w.wenhua)
                .expect("notices")
                .items
                .iter()
                .any(lift)
        );
        assert!(!notices.items.iter().any(lift));

        // The board is the residents' own estate's only.
        let may_read = |conn: &mut DbConn, who: &Caller, estate: EstateId| {
            let place = place_of(conn, Target::EstateNotice(estate), Some(who)).expect("place");
            authorize(Some(who), Action::ViewDisclosures, &place).is_ok()
        };
        assert!(may_read(&mut conn, &w.resident, w.yuquan));
        assert!(!may_read(&mut conn, &w.resident, w.xiangshan));
        assert!(may_read(&mut conn, &w.neighbour, w.xiangshan));
        assert!(!may_read(&mut conn, &w.neighbour, w.yuquan));

        // Residents do not open the record itself; the estate's manager and
        // committee read it without recording; the community's Party
        // officer records too.
        assert_eq!(
            service::view(&mut conn, &w.resident, id, t0()).map(|_| ()),
            Err(AppError::Forbidden)
        );
        for reader in [&w.manager, &w.chair] {
            let seen = service::view(&mut conn, reader, id, t0()).expect("view");
            assert!(!seen.can_record, "{}", t.backend);
            assert!(
                service::list(&mut conn, reader, t0())
                    .expect("list")
                    .items
                    .iter()
                    .any(|d| d.id == id)
            );
        }
        assert!(
            service::view(&mut conn, &w.secretary, id, t0())
                .expect("view")
                .can_record
        );
        // The chair's list holds 玉泉花园's matters, not 文华苑's lift.
        let chair_list = service::list(&mut conn, &w.chair, t0()).expect("list");
        assert!(chair_list.estates.is_empty() && !chair_list.can_record);
        assert!(!chair_list.items.iter().any(|d| d.title.contains("文华苑")));
        let street_list = service::list(&mut conn, &w.street, t0()).expect("list");
        assert!(street_list.can_record);
        assert!(street_list.estates.iter().any(|e| e.id == w.yuquan));
        assert!(street_list.estates.iter().any(|e| e.id == w.next_door));
        assert!(street_list.items.iter().any(|d| d.id == id));
    });
}

#[test]
fn a_meeting_short_of_its_quorum_is_refused_and_nothing_is_written() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let id = service::propose(
            &mut conn,
            &w.street,
            &proposal(vec![w.yuquan.0], false),
            t0(),
        )
        .expect("propose");
        record(
            &mut conn,
            &w.street,
            id,
            DecisionStep::Deliberate,
            "2026-11-05",
            None,
        )
        .expect("deliberate");
        let (steps, audits) = (step_rows(&mut conn), audit_rows(&mut conn, id).len());
        let review = |conn: &mut DbConn, on: &str, counts| {
            record(conn, &w.street, id, DecisionStep::MembersReview, on, counts)
        };
        let invalid = |field: &str, message| {
            Err(AppError::Invalid {
                field: field.into(),
                message,
            })
        };
        // Five of nine attended: six were needed.
        assert_eq!(
            review(&mut conn, "2026-11-10", Some((9, 5, 5))),
            invalid("attended", Key::DecisionErrorQuorum),
            "{}",
            t.backend
        );
        for (on, counts, field, message) in [
            (
                "2026-11-10",
                None,
                "expected",
                Key::DecisionErrorAttendanceRequired,
            ),
            (
                "2026-11-28",
                Some((9, 7, 7)),
                "held_on",
                Key::DecisionErrorFutureDate,
            ),
            (
                "2026-11-04",
                Some((9, 7, 7)),
                "held_on",
                Key::DecisionErrorBeforePrevious,
            ),
            (
                "2026-11-10",
                Some((9, 10, 7)),
                "attended",
                Key::DecisionErrorMoreAttended,
            ),
            (
                "2026-11-10",
                Some((9, 7, 8)),
                "agreed",
                Key::DecisionErrorMoreAgreed,
            ),
            (
                "2026-11-10",
                Some((0, 0, 0)),
                "expected",
                Key::DecisionErrorNobodyExpected,
            ),
            ("11/10", Some((9, 7, 7)), "held_on", Key::DecisionErrorDate),
        ] {
            assert_eq!(
                review(&mut conn, on, counts),
                invalid(field, message),
                "{}: {on} {counts:?}",
                t.backend
            );
        }
        let partial = StepForm {
            agreed: String::new(),
            ..step_form("2026-11-10", Some((9, 7, 7)), "审议")
        };
        assert_eq!(
            service::record_step(&mut conn, &w.street, id, "members_review", &partial, t0()),
            invalid("agreed", Key::DecisionErrorAttendanceIncomplete)
        );
        assert_eq!(
            record(
                &mut conn,
                &w.street,
                id,
                DecisionStep::Resolve,
                "2026-11-10",
                Some((9, 9, 9))
            ),
            Err(AppError::Conflict(Key::DecisionErrorOutOfOrder))
        );
        assert_eq!(
            step_rows(&mut conn),
            steps,
            "{}: no step written",
            t.backend
        );
        assert_eq!(audit_rows(&mut conn, id).len(), audits);
        let view = service::view(&mut conn, &w.street, id, t0()).expect("view");
        assert_eq!(view.state, DecisionState::Deliberated);

        // Corrected: six of nine, exactly two thirds, four in favour.
        assert_eq!(
            review(&mut conn, "2026-11-10", Some((9, 6, 4))),
            Ok(DecisionState::Reviewed)
        );

        // The database itself refuses a voting meeting short of its quorum,
        // and keeps a recorded step as it is.
        let short = app::db::decisions::insert_step(
            &mut conn,
            &app::db::decisions::NewStep {
                decision_id: id.0,
                step: "resolve",
                merged: false,
                held_on: NaiveDate::from_ymd_opt(2026, 11, 12).expect("date"),
                attendance: Some((30, 19, 19)),
                outcome: "决议",
                recorded_by: None,
                recorded_by_name: "木林",
                recorded_at: t0(),
            },
        );
        assert!(short.is_err(), "{}", t.backend);
        let recorded = || decision_steps::table.filter(decision_steps::decision_id.eq(id.0));
        assert!(
            diesel::update(recorded())
                .set(decision_steps::outcome.eq("改写"))
                .execute(&mut conn)
                .is_err()
        );
        assert!(diesel::delete(recorded()).execute(&mut conn).is_err());
        assert_eq!(
            recorded()
                .count()
                .get_result::<i64>(&mut conn)
                .expect("count"),
            3
        );
    });
}

#[test]
fn a_valid_meeting_that_votes_the_matter_down_closes_it_as_rejected() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let id = service::propose(
            &mut conn,
            &w.street,
            &proposal(vec![w.yuquan.0], false),
            t0(),
        )
        .expect("propose");
        record(
            &mut conn,
            &w.street,
            id,
            DecisionStep::Deliberate,
            "2026-11-05",
            None,
        )
        .expect("deliberate");
        // Six of nine attended; three in favour is not more than half.
        assert_eq!(
            record(
                &mut conn,
                &w.street,
                id,
                DecisionStep::MembersReview,
                "2026-11-10",
                Some((9, 6, 3))
            ),
            Ok(DecisionState::Rejected),
            "{}",
            t.backend
        );
        let view = service::view(&mut conn, &w.street, id, t0()).expect("view");
        assert_eq!(view.state, DecisionState::Rejected);
        assert_eq!(view.steps.len(), 3);
        assert_eq!(view.next_step(), None);
        assert_eq!(
            record(
                &mut conn,
                &w.street,
                id,
                DecisionStep::Resolve,
                "2026-11-12",
                Some((40, 30, 30))
            ),
            Err(AppError::Conflict(Key::DecisionErrorClosed))
        );
        assert_eq!(
            audit_rows(&mut conn, id),
            vec!["create", "update", "reject"]
        );
        assert!(!on_board(&mut conn, w.yuquan, id));
    });
}

#[test]
fn steps_one_and_two_are_one_record_only_for_someone_on_both_signboards() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let (decisions, steps) = (decision_rows(&mut conn), step_rows(&mut conn));
        // 木林 holds no post on either signboard.
        assert_eq!(
            service::propose(
                &mut conn,
                &w.street,
                &proposal(vec![w.yuquan.0], true),
                t0()
            ),
            Err(AppError::Invalid {
                field: "merged".into(),
                message: Key::DecisionErrorMergeNeedsBothPosts
            }),
            "{}",
            t.backend
        );
        assert_eq!(decision_rows(&mut conn), decisions, "nothing written");
        assert_eq!(step_rows(&mut conn), steps);
        // 和秀 as general manager records nothing.
        assert_eq!(
            service::propose(
                &mut conn,
                &w.manager,
                &proposal(vec![w.yuquan.0], true),
                t0()
            ),
            Err(AppError::Forbidden)
        );

        // 和秀, Party general branch secretary and Wenhui's general manager,
        // acting in her Party grant: one record for both steps.
        let id = service::propose(
            &mut conn,
            &w.secretary,
            &proposal(vec![w.yuquan.0, w.xiangshan.0], true),
            t0(),
        )
        .expect("merged proposal");
        let view = service::view(&mut conn, &w.secretary, id, t0()).expect("view");
        assert_eq!(view.state, DecisionState::Deliberated, "{}", t.backend);
        assert_eq!(view.steps.len(), 1);
        assert!(view.steps[0].merged && view.steps[0].recorded_by == "和秀");
        assert_eq!(view.next_step(), Some(DecisionStep::MembersReview));
        assert_eq!(
            app::domain::decisions::record_for(&view.steps, DecisionStep::Deliberate)
                .map(|r| r.step),
            Some(DecisionStep::Propose)
        );
        // Deliberating again is out of order; the members' meeting is next.
        assert_eq!(
            record(
                &mut conn,
                &w.secretary,
                id,
                DecisionStep::Deliberate,
                "2026-11-03",
                None
            ),
            Err(AppError::Conflict(Key::DecisionErrorOutOfOrder))
        );
        assert_eq!(
            record(
                &mut conn,
                &w.street,
                id,
                DecisionStep::MembersReview,
                "2026-11-10",
                Some((23, 20, 19))
            ),
            Ok(DecisionState::Reviewed)
        );
    });
}

#[test]
fn officers_outside_the_scope_are_refused() {
    on_each_backend_with_demo(t0(), |t| {
        let w = world(t);
        let mut conn = w.state.db.conn().expect("conn");
        let id = service::propose(
            &mut conn,
            &w.street,
            &proposal(vec![w.yuquan.0], false),
            t0(),
        )
        .expect("propose");
        let (decisions, steps) = (decision_rows(&mut conn), step_rows(&mut conn));

        // 和秀's Party grant is Wenhui community's: not the estate next door.
        assert_eq!(
            service::propose(
                &mut conn,
                &w.secretary,
                &proposal(vec![w.next_door.0], false),
                t0()
            ),
            Err(AppError::Forbidden),
            "{}",
            t.backend
        );
        // 木林 may record for both, but a decision is one community's.
        assert_eq!(
            service::propose(
                &mut conn,
                &w.street,
                &proposal(vec![w.yuquan.0, w.next_door.0], false),
                t0()
            ),
            Err(AppError::Invalid {
                field: "estates".into(),
                message: Key::DecisionErrorOneCommunity
            })
        );
        assert_eq!(
            service::propose(&mut conn, &w.street, &proposal(vec![], false), t0()),
            Err(AppError::Invalid {
                field: "estates".into(),
                message: Key::DecisionErrorNoEstates
            })
        );

        // A Party officer of another street sees and records nothing here.
        let outsider = Caller {
            person: w.street.person,
            name: "外街道党工委".into(),
            grant: Some(RoleGrant {
                id: GrantId(0),
                role: Role::Party,
                scope: Scope::Street(w.other_street),
                scope_name: LocalizedName::new("其他街道", "Another street"),
            }),
            grants: vec![],
            must_change_password: false,
        };
        assert_eq!(
            service::view(&mut conn, &outsider, id, t0()).map(|_| ()),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            record(
                &mut conn,
                &outsider,
                id,
                DecisionStep::Deliberate,
                "2026-11-05",
                None
            ),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            service::propose(
                &mut conn,
                &outsider,
                &proposal(vec![w.yuquan.0], false),
                t0()
            ),
            Err(AppError::Forbidden)
        );
        let theirs = service::list(&mut conn, &outsider, t0()).expect("list");
        assert!(!theirs.items.iter().any(|d| d.id == id));
        assert!(!theirs.estates.iter().any(|e| e.id == w.yuquan));
        // The server function's own check, on the decision's community.
        let community = service::decision_community(&mut conn, id).expect("community");
        let place =
            place_of(&mut conn, Target::Community(community), Some(&outsider)).expect("place");
        assert!(authorize(Some(&outsider), Action::RecordDecisions, &place).is_err());
        let place = place_of(
            &mut conn,
            Target::Community(CommunityId(community.0)),
            Some(&w.street),
        )
        .expect("place");
        assert_eq!(
            authorize(Some(&w.street), Action::RecordDecisions, &place),
            Ok(())
        );
        // A committee member reads but never records.
        assert_eq!(
            record(
                &mut conn,
                &w.chair,
                id,
                DecisionStep::Deliberate,
                "2026-11-05",
                None
            ),
            Err(AppError::Forbidden)
        );
        assert_eq!(decision_rows(&mut conn), decisions, "{}", t.backend);
        assert_eq!(step_rows(&mut conn), steps);
    });
}

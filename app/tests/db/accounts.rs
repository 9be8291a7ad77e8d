//! Accounts, sessions, throttling, grants, the roster and the audit log, on
//! both databases, through the services the server functions call.

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::domain::access::{Action, Role, Scope, authorize};
use app::domain::audit::{AuditAction, AuditEntity, AuditFilter};
use app::domain::org::OrgUnitKind;
use app::services::access::{Session, Target, place_of, session};
use app::services::clock::Clock;
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts, audit, org_admin, roster};
use chrono::{Duration, NaiveDateTime};

fn t0() -> NaiveDateTime {
    chrono::DateTime::from_timestamp(1_795_000_000, 0)
        .expect("valid")
        .naive_utc()
}

fn seeded(t: &TestDb) -> AppState {
    AppState::new(t.db.clone()).with_clock(Clock::Fixed(t0()))
}

fn sign_in(state: &AppState, login: &str, at: NaiveDateTime) -> Session {
    let signed = accounts::login(state, login, DEMO_PASSWORD, "10.0.0.1", at).expect("login");
    let mut conn = state.db.conn().expect("conn");
    session(&mut conn, &signed.token, &state.auth.session, at)
        .expect("session")
        .expect("live")
}

#[test]
fn each_demo_role_signs_in_and_lands_on_its_home_page() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        for (login, role, home_prefix) in [
            ("13800000001", Role::Resident, "/households/"),
            ("hexiu", Role::Manager, "/companies/"),
            ("13800000003", Role::Committee, "/estates/"),
            ("13800000004", Role::Staff, "/companies/"),
            ("13800000006", Role::Cashier, "/companies/"),
            ("13800000005", Role::Party, "/party"),
            ("admin", Role::Admin, "/admin"),
        ] {
            let signed = accounts::login(&state, login, DEMO_PASSWORD, "10.0.0.1", t0())
                .unwrap_or_else(|e| panic!("{login} on {}: {e:?}", t.backend));
            assert!(
                signed.home.starts_with(home_prefix),
                "{login}: {}",
                signed.home
            );
            let s = sign_in(&state, login, t0());
            assert_eq!(s.caller.role(), Some(role), "{login}");
        }
    });
}

#[test]
fn wrong_password_unknown_and_disabled_accounts_get_the_same_answer() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let wrong = accounts::login(&state, "hexiu", "not the password", "10.0.0.2", t0());
        let unknown = accounts::login(&state, "nobody", "not the password", "10.0.0.2", t0());
        assert_eq!(wrong.expect_err("refused"), AppError::BadCredentials);
        assert_eq!(unknown.expect_err("refused"), AppError::BadCredentials);

        let admin = sign_in(&state, "admin", t0());
        let victim = sign_in(&state, "13800000004", t0());
        let mut conn = state.db.conn().expect("conn");
        accounts::set_disabled(&mut conn, &admin.caller, victim.caller.person, true, t0())
            .expect("disable");
        let disabled = accounts::login(&state, "13800000004", DEMO_PASSWORD, "10.0.0.3", t0());
        assert_eq!(
            disabled.expect_err("refused"),
            AppError::BadCredentials,
            "{}",
            t.backend
        );
    });
}

#[test]
fn malformed_input_is_refused_with_a_field_message_and_no_attempt_counted() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        for _ in 0..10 {
            let e = accounts::login(&state, "", "x", "10.0.0.4", t0()).expect_err("refused");
            assert!(matches!(e, AppError::Invalid { ref field, .. } if field == "login"));
        }
        // Nothing counted against the address: a real login still works.
        accounts::login(&state, "hexiu", DEMO_PASSWORD, "10.0.0.4", t0()).expect("login");
    });
}

#[test]
fn throttling_stops_guessing_per_account_and_per_address_without_revealing_accounts() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        for name in ["hexiu", "nobody"] {
            for _ in 0..5 {
                let _ = accounts::login(&state, name, "guess", "10.1.0.1", t0());
            }
            // Even the right password is refused while throttled, and an unknown
            // name is throttled exactly like a real one.
            let e = accounts::login(&state, name, DEMO_PASSWORD, "10.1.0.9", t0());
            assert_eq!(
                e.expect_err("refused"),
                AppError::Throttled,
                "{name} on {}",
                t.backend
            );
        }
        // After the window, the account may try again.
        let later = t0() + Duration::minutes(16);
        accounts::login(&state, "hexiu", DEMO_PASSWORD, "10.1.0.9", later).expect("login later");

        // Per address: many names from one address.
        for i in 0..30 {
            let _ = accounts::login(&state, &format!("user{i}"), "guess", "10.2.0.1", t0());
        }
        let e = accounts::login(&state, "admin", DEMO_PASSWORD, "10.2.0.1", t0());
        assert_eq!(e.expect_err("refused"), AppError::Throttled);
        accounts::login(&state, "admin", DEMO_PASSWORD, "10.2.0.2", t0()).expect("other address");
    });
}

#[test]
fn sessions_end_on_logout_when_idle_and_at_their_absolute_lifetime() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let policy = state.auth.session;
        let mut conn = state.db.conn().expect("conn");
        let signed =
            accounts::login(&state, "hexiu", DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
        let token = signed.token;
        // Activity keeps it alive past the idle limit...
        let mut at = t0();
        for _ in 0..4 {
            at += Duration::minutes(20);
            assert!(
                session(&mut conn, &token, &policy, at)
                    .expect("read")
                    .is_some()
            );
        }
        // ...but not past its absolute lifetime.
        let too_old = t0() + policy.absolute + Duration::minutes(1);
        assert!(
            session(&mut conn, &token, &policy, too_old)
                .expect("read")
                .is_none()
        );

        let idle =
            accounts::login(&state, "hexiu", DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
        let after_idle = t0() + policy.idle + Duration::minutes(1);
        assert!(
            session(&mut conn, &idle.token, &policy, after_idle)
                .expect("read")
                .is_none()
        );
        // Once ended it stays ended.
        assert!(
            session(&mut conn, &idle.token, &policy, t0())
                .expect("read")
                .is_none()
        );

        let s = sign_in(&state, "hexiu", t0());
        accounts::logout(&mut conn, &s, t0()).expect("logout");
        let token_row = session(&mut conn, "not-a-token", &policy, t0()).expect("read");
        assert!(token_row.is_none());
    });
}

#[test]
fn the_secretary_switches_between_manager_and_party_without_signing_in_again() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let signed =
            accounts::login(&state, "hexiu", DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
        let mut conn = state.db.conn().expect("conn");
        let s = session(&mut conn, &signed.token, &state.auth.session, t0())
            .expect("ok")
            .expect("live");
        assert_eq!(s.caller.grants.len(), 2);
        let party = s
            .caller
            .grants
            .iter()
            .find(|g| g.role == Role::Party)
            .expect("party grant");
        let home = accounts::switch_role(&mut conn, &s, party.id).expect("switch");
        assert_eq!(home, "/party");
        let after = session(&mut conn, &signed.token, &state.auth.session, t0())
            .expect("ok")
            .expect("live");
        assert_eq!(after.caller.role(), Some(Role::Party), "{}", t.backend);

        // Someone else's grant is not switchable.
        let resident = sign_in(&state, "13800000001", t0());
        let foreign = resident.caller.grants[0].id;
        assert_eq!(
            accounts::switch_role(&mut conn, &after, foreign).expect_err("refused"),
            AppError::Forbidden
        );
    });
}

#[test]
fn a_one_time_password_must_be_changed_before_anything_else() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let admin = sign_in(&state, "admin", t0());
        let mut conn = state.db.conn().expect("conn");
        let new = accounts::NewAccount::parse("新员工", "13900000009", "", "").expect("valid");
        let issued = accounts::create_person(&mut conn, &admin.caller, &new, t0()).expect("create");
        let place = place_of(
            &mut conn,
            Target::Company(app::domain::org::CompanyId(1)),
            None,
        )
        .expect("place");
        let company = match place.company {
            Some(c) => c,
            None => panic!("company place"),
        };
        accounts::grant_role(
            &mut conn,
            &admin.caller,
            issued.person,
            Role::Staff,
            Scope::Company(company),
            &place,
            t0(),
        )
        .expect("grant");

        let signed = accounts::login(
            &state,
            "13900000009",
            &issued.one_time_password,
            "10.0.0.5",
            t0(),
        )
        .expect("login with one-time password");
        assert_eq!(signed.home, "/account/password");
        let s = session(&mut conn, &signed.token, &state.auth.session, t0())
            .expect("ok")
            .expect("live");
        assert_eq!(
            authorize(Some(&s.caller), Action::ViewCompany, &place),
            Err(app::domain::access::Denial::PasswordChangeRequired)
        );
        // The rules apply to the new password; a failure changes nothing.
        let e = accounts::change_password(
            &mut conn,
            &state,
            &s,
            (&issued.one_time_password, "1234567890"),
            "10.0.0.5",
            t0(),
        );
        assert!(matches!(e, Err(AppError::Invalid { .. })));
        let e = accounts::change_password(
            &mut conn,
            &state,
            &s,
            ("wrong", "a good passphrase"),
            "10.0.0.5",
            t0(),
        );
        assert!(matches!(e, Err(AppError::Invalid { ref field, .. }) if field == "current"));
        let home = accounts::change_password(
            &mut conn,
            &state,
            &s,
            (&issued.one_time_password, "a good passphrase"),
            "10.0.0.5",
            t0(),
        )
        .expect("change");
        assert!(home.starts_with("/companies/"), "{home}");
        let s = session(&mut conn, &signed.token, &state.auth.session, t0())
            .expect("ok")
            .expect("live");
        assert!(!s.caller.must_change_password);
        assert_eq!(
            authorize(Some(&s.caller), Action::ViewCompany, &place),
            Ok(())
        );
        // The one-time password no longer works.
        let old = accounts::login(
            &state,
            "13900000009",
            &issued.one_time_password,
            "10.0.0.5",
            t0(),
        );
        assert_eq!(
            old.expect_err("refused"),
            AppError::BadCredentials,
            "{}",
            t.backend
        );
    });
}

#[test]
fn disabling_an_account_ends_its_sessions_on_the_server() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let admin = sign_in(&state, "admin", t0());
        let signed =
            accounts::login(&state, "13800000004", DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
        let mut conn = state.db.conn().expect("conn");
        let staff = session(&mut conn, &signed.token, &state.auth.session, t0())
            .expect("ok")
            .expect("live");
        accounts::set_disabled(&mut conn, &admin.caller, staff.caller.person, true, t0())
            .expect("disable");
        assert!(
            session(&mut conn, &signed.token, &state.auth.session, t0())
                .expect("ok")
                .is_none()
        );
        // An administrator cannot lock themself out, by disabling or revoking.
        let own = admin.caller.grant.as_ref().expect("admin grant").id;
        assert_eq!(
            accounts::revoke_grant(&mut conn, &admin.caller, own, t0()).expect_err("refused"),
            AppError::Conflict(app::i18n::Key::PeopleErrorRevokeSelf)
        );
        let e = accounts::set_disabled(&mut conn, &admin.caller, admin.caller.person, true, t0());
        assert_eq!(
            e.expect_err("refused"),
            AppError::Conflict(app::i18n::Key::PeopleErrorDisableSelf),
            "{}",
            t.backend
        );
    });
}

#[test]
fn duplicate_logins_are_refused_and_nothing_is_written() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let admin = sign_in(&state, "admin", t0());
        let mut conn = state.db.conn().expect("conn");
        let before = accounts::people(&mut conn).expect("people").len();
        let dup = accounts::NewAccount::parse("重名", "", "hexiu", "").expect("valid");
        let e = accounts::create_person(&mut conn, &admin.caller, &dup, t0()).expect_err("refused");
        assert_eq!(e, AppError::Conflict(app::i18n::Key::PeopleErrorTaken));
        assert_eq!(
            accounts::people(&mut conn).expect("people").len(),
            before,
            "{}",
            t.backend
        );
        assert!(matches!(
            accounts::NewAccount::parse("", "139", "", ""),
            Err(AppError::Invalid { .. })
        ));
    });
}

#[test]
fn the_roster_puts_both_signboards_side_by_side() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0());
        let mut conn = state.db.conn().expect("conn");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let r = roster::roster(&mut conn, &manager.caller, today).expect("roster");
        let secretary = r
            .lines
            .iter()
            .find(|l| l.name == "和秀")
            .expect("和秀 on the roster");
        assert!(secretary.serves_both_on(today), "{}", t.backend);
        assert!(r.can_manage);
        assert!(
            r.lines
                .iter()
                .any(|l| l.name == "李桂" && l.party_posts.is_empty())
        );

        // A street Party officer sees the Wenhui roster too; another street's does not.
        let street = sign_in(&state, "13800000005", t0());
        let r = roster::roster(&mut conn, &street.caller, today).expect("roster");
        assert!(r.lines.iter().any(|l| l.name == "和秀"));
    });
}

#[test]
fn every_change_is_audited_with_before_and_after_and_scoped_for_party() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let admin = sign_in(&state, "admin", t0());
        let party = sign_in(&state, "13800000005", t0());
        let mut conn = state.db.conn().expect("conn");
        let company = wenhui(&state);
        let name = org_admin::parse_name("文汇城市服务公司", "Wenhui City Services").expect("name");
        org_admin::rename(
            &mut conn,
            &admin.caller,
            OrgUnitKind::Company,
            company,
            &name,
            t0(),
        )
        .expect("rename");

        let page = audit::entries(&mut conn, &admin.caller, &AuditFilter::default()).expect("log");
        let entry = page
            .entries
            .iter()
            .find(|e| e.entity == AuditEntity::Company && e.action == AuditAction::Rename)
            .expect("rename logged");
        assert_eq!(entry.person.as_ref().map(|p| p.1.as_str()), Some("赵明"));
        let change = entry
            .changes
            .iter()
            .find(|c| c.field == "name")
            .expect("name change");
        assert_eq!(change.before.as_deref(), Some("文汇社区城市服务公司"));
        assert_eq!(
            change.after.as_deref(),
            Some("文汇城市服务公司"),
            "{}",
            t.backend
        );

        // The street Party committee over Wenhui sees it; filters narrow it.
        let seen = audit::entries(&mut conn, &party.caller, &AuditFilter::default()).expect("log");
        assert!(seen.entries.iter().any(|e| e.id == entry.id));
        let only_posts = AuditFilter {
            entity: Some(AuditEntity::Post),
            ..AuditFilter::default()
        };
        let none = audit::entries(&mut conn, &party.caller, &only_posts).expect("log");
        assert!(none.entries.is_empty());
        let tomorrow = AuditFilter {
            from: Some(app::domain::time::china_date(t0()) + Duration::days(1)),
            ..AuditFilter::default()
        };
        assert!(
            audit::entries(&mut conn, &admin.caller, &tomorrow)
                .expect("log")
                .entries
                .is_empty()
        );

        // A failed change writes no log entry.
        let count = audit::entries(&mut conn, &admin.caller, &AuditFilter::default())
            .expect("log")
            .entries
            .len();
        let street = place_of(
            &mut conn,
            Target::Company(app::domain::org::CompanyId(company)),
            None,
        )
        .expect("place")
        .street
        .expect("street");
        let e = org_admin::close(
            &mut conn,
            &admin.caller,
            OrgUnitKind::Street,
            street.0,
            t0(),
        );
        assert_eq!(
            e.expect_err("refused"),
            AppError::Conflict(app::i18n::Key::OrgErrorOpenChildren)
        );
        let after = audit::entries(&mut conn, &admin.caller, &AuditFilter::default())
            .expect("log")
            .entries
            .len();
        assert_eq!(count, after);
    });
}

#[test]
fn closing_keeps_the_unit_and_its_history() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let admin = sign_in(&state, "admin", t0());
        let mut conn = state.db.conn().expect("conn");
        let district = match admin.caller.grant.as_ref().map(|g| g.scope) {
            Some(Scope::District(d)) => d,
            other => panic!("{other:?}"),
        };
        let name = org_admin::parse_name("新街道", "New Street").expect("name");
        let street = org_admin::create(
            &mut conn,
            &admin.caller,
            OrgUnitKind::Street,
            district.0,
            &name,
            t0().date(),
            t0(),
        )
        .expect("create");
        let dup = org_admin::create(
            &mut conn,
            &admin.caller,
            OrgUnitKind::Street,
            district.0,
            &name,
            t0().date(),
            t0(),
        );
        assert_eq!(
            dup.expect_err("refused"),
            AppError::Conflict(app::i18n::Key::OrgErrorDuplicate)
        );
        org_admin::close(&mut conn, &admin.caller, OrgUnitKind::Street, street, t0())
            .expect("close");
        let tree = org_admin::tree(&mut conn, district).expect("tree");
        let closed = tree
            .streets
            .iter()
            .find(|s| s.unit.id == street)
            .expect("still listed");
        assert!(closed.unit.closed, "{}", t.backend);
        let e = org_admin::rename(
            &mut conn,
            &admin.caller,
            OrgUnitKind::Street,
            street,
            &name,
            t0(),
        );
        assert_eq!(
            e.expect_err("refused"),
            AppError::Conflict(app::i18n::Key::OrgErrorClosed)
        );
    });
}

#[test]
fn an_unknown_login_costs_as_much_as_a_wrong_password() {
    // A ratio between two measurements in the same run, with a wide margin: an
    // unknown account must run the full password check (without the dummy hash
    // it would be over a hundred times faster).
    let t = crate::support::sqlite();
    let state = seeded(&t);
    let time = |login: &str| {
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                let _ = accounts::login(
                    &state,
                    login,
                    "wrong password",
                    "10.9.9.9",
                    t0() - Duration::days(1),
                );
                start.elapsed()
            })
            .min()
            .expect("three runs")
    };
    let wrong = time("hexiu");
    let unknown = time("nobody.here");
    assert!(
        unknown * 3 >= wrong,
        "unknown {unknown:?} vs wrong password {wrong:?}"
    );
}

/// The Wenhui company, from its general manager's grant.
fn wenhui(state: &AppState) -> i64 {
    let manager = sign_in(state, "hexiu", t0() - Duration::days(2)).caller;
    match manager
        .grants
        .iter()
        .find(|g| g.role == Role::Manager)
        .map(|g| g.scope)
    {
        Some(Scope::Company(c)) => c.0,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_one_time_password_expires_after_72_hours_and_says_so() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let admin = sign_in(&state, "admin", t0());
        let mut conn = state.db.conn().expect("conn");
        let new = accounts::NewAccount::parse("新会计", "13900000019", "", "").expect("valid");
        let issued = accounts::create_person(&mut conn, &admin.caller, &new, t0()).expect("create");
        let try_at = |at: NaiveDateTime| {
            accounts::login(
                &state,
                "13900000019",
                &issued.one_time_password,
                "10.0.0.6",
                at,
            )
        };
        assert!(try_at(t0() + Duration::hours(72)).is_ok(), "{}", t.backend);
        assert_eq!(
            try_at(t0() + Duration::hours(73)).expect_err("expired"),
            AppError::Conflict(app::i18n::Key::LoginErrorPasswordExpired),
            "{}",
            t.backend
        );
        // A wrong password is not told the one-time password expired.
        assert_eq!(
            accounts::login(
                &state,
                "13900000019",
                "not-it",
                "10.0.0.6",
                t0() + Duration::hours(73)
            )
            .expect_err("refused"),
            AppError::BadCredentials
        );
        // A new one from the administrator works again.
        let later = t0() + Duration::hours(74);
        let again = accounts::reset_password(&mut conn, &admin.caller, issued.person, later)
            .expect("reset");
        let signed = accounts::login(
            &state,
            "13900000019",
            &again.one_time_password,
            "10.0.0.6",
            later,
        )
        .expect("the new one-time password");
        assert_eq!(signed.home, "/account/password");
    });
}

#[test]
fn parallel_wrong_passwords_for_one_name_are_counted_before_any_is_checked() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let answers: Vec<Result<(), AppError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16)
                .map(|n| {
                    let state = state.clone();
                    scope.spawn(move || {
                        accounts::login(
                            &state,
                            "hexiu",
                            "not-the-password",
                            &format!("10.0.9.{n}"),
                            t0(),
                        )
                        .map(|_| ())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        let tried = answers
            .iter()
            .filter(|a| matches!(a, Err(AppError::BadCredentials)))
            .count();
        let throttled = answers
            .iter()
            .filter(|a| matches!(a, Err(AppError::Throttled)))
            .count();
        assert_eq!((tried, throttled), (5, 11), "{}: {answers:?}", t.backend);
    });
}

#[test]
fn guessing_the_current_password_from_a_session_is_throttled_like_signing_in() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let hexiu = sign_in(&state, "hexiu", t0());
        let mut conn = state.db.conn().expect("conn");
        let change = |conn: &mut app::db::DbConn, current: &str| {
            accounts::change_password(
                conn,
                &state,
                &hexiu,
                (current, "a new passphrase"),
                "10.0.0.7",
                t0(),
            )
        };
        for _ in 0..5 {
            assert!(matches!(
                change(&mut conn, "a guess"),
                Err(AppError::Invalid { ref field, .. }) if field == "current"
            ));
        }
        // The limit is reached: even the right password is not tried now,
        // and signing in under that name waits too.
        assert_eq!(
            change(&mut conn, DEMO_PASSWORD),
            Err(AppError::Throttled),
            "{}",
            t.backend
        );
        assert_eq!(
            accounts::login(&state, "hexiu", DEMO_PASSWORD, "10.0.0.8", t0())
                .expect_err("throttled"),
            AppError::Throttled
        );
        // After the window, the right password changes it.
        let later = t0() + Duration::minutes(16);
        assert!(
            accounts::change_password(
                &mut conn,
                &state,
                &hexiu,
                (DEMO_PASSWORD, "a new passphrase"),
                "10.0.0.7",
                later
            )
            .is_ok()
        );
    });
}

//! The estates area on both databases, through the services the server
//! functions call: CSV imports (all or nothing), takeover records, committees
//! with their history, households and residents, self-registration from the
//! QR poster, the estate directory by scope, and authorization on real places.
//!
//! Each test makes its own estates for the Wenhui company, so it does not
//! depend on how many the demo seeds; only 玉泉花园 (the demo committee's
//! estate) is taken from the demo.

use crate::support::{TestDb, on_each_backend_with_demo};
use app::api::AppError;
use app::db::DbConn;
use app::domain::access::{
    Action, BuildingId, Caller, Denial, EstateId, HouseholdId, Role, Scope, authorize,
};
use app::domain::audit::{AuditAction, AuditEntity, AuditFilter};
use app::domain::estate_import::{ImportKind, RowProblem};
use app::domain::estates::{
    BaselineItem, CommitteePosition, Condition, EstateView, RegistrationStatus, Relation,
    TakeoverState,
};
use app::domain::lang::Lang;
use app::domain::org::{CommunityId, CompanyId, StreetId};
use app::i18n::Key;
use app::services::access::{Session, Target, place_of, session};
use app::services::clock::Clock;
use app::services::estates::{self, EstateInput, RegistrationForm, TakeoverForm};
use app::services::seed::DEMO_PASSWORD;
use app::services::{AppState, accounts, audit};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

const SITE: &str = "http://127.0.0.1:3000";

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

/// The Wenhui company, from its general manager's grant.
fn wenhui(manager: &Caller) -> CompanyId {
    match manager
        .grants
        .iter()
        .find(|g| g.role == Role::Manager)
        .map(|g| g.scope)
    {
        Some(Scope::Company(c)) => c,
        other => panic!("manager grant: {other:?}"),
    }
}

/// The demo committee's estate (玉泉花园), from its grant.
fn committee_estate(committee: &Caller) -> EstateId {
    match committee.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Estate(e)) => e,
        other => panic!("committee grant: {other:?}"),
    }
}

fn new_estate(conn: &mut DbConn, caller: &Caller, company: CompanyId, name: &str) -> EstateId {
    let input = EstateInput::parse(name, "", "丽江市古城区测试路1号", "", "").expect("valid input");
    estates::create_estate(conn, caller, company, &input, t0()).expect("create estate")
}

fn view(conn: &mut DbConn, caller: &Caller, estate: EstateId) -> EstateView {
    estates::estate(conn, caller, estate).expect("estate view")
}

fn household_count(conn: &mut DbConn, caller: &Caller, estate: EstateId) -> usize {
    view(conn, caller, estate).household_count()
}

/// (company, community, street) of every company but Wenhui: the first in
/// Wenhui's street (another community), and the first in another street.
fn neighbours(conn: &mut DbConn, wenhui: CompanyId) -> (CompanyId, CompanyId) {
    use app::db::schema::{communities, companies};
    let home = place_of(conn, Target::Company(wenhui), None).expect("place");
    let all: Vec<(i64, i64, i64)> = companies::table
        .inner_join(communities::table)
        .filter(companies::closed_at.is_null())
        .select((companies::id, communities::id, communities::street_id))
        .order(companies::id)
        .load(conn)
        .expect("companies");
    let same_street = all
        .iter()
        .find(|(_, community, street)| {
            Some(StreetId(*street)) == home.street
                && Some(CommunityId(*community)) != home.community
        })
        .expect("a company in Wenhui's street, another community");
    let other_street = all
        .iter()
        .find(|(_, _, street)| Some(StreetId(*street)) != home.street)
        .expect("a company in another street");
    (CompanyId(same_street.0), CompanyId(other_street.0))
}

/// (kind, to_address, person) of every queued mail.
fn outbox(conn: &mut DbConn) -> Vec<(String, String, Option<i64>)> {
    use app::db::schema::outbox;
    outbox::table
        .select((outbox::kind, outbox::to_address, outbox::person_id))
        .order(outbox::id)
        .load(conn)
        .expect("outbox")
}

const BUILDINGS: &str = "楼栋,楼栋长,楼栋长电话\n1栋,李四,13900000001\n2栋,,\n";
const GOOD_HOUSEHOLDS: &str = "楼栋,单元,房号,建筑面积(㎡),空置\n\
                               1栋,1单元,101,89.5,否\n\
                               1栋,1单元,102,80.05,否\n\
                               2栋,1单元,201,120.25,是\n";

#[test]
fn an_import_writes_a_whole_clean_file_or_nothing() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let estate = new_estate(&mut conn, &manager, wenhui(&manager), "导入测试小区");

        let preview = estates::preview_import(&mut conn, estate, ImportKind::Buildings, BUILDINGS)
            .expect("preview buildings");
        assert!(preview.is_clean(), "{}: {:?}", t.backend, preview.bad);
        assert_eq!(preview.total, 2, "{}", t.backend);
        let written = estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Buildings,
            BUILDINGS,
            t0(),
        )
        .expect("commit buildings");
        assert_eq!(written, 2, "{}: buildings written", t.backend);
        let v = view(&mut conn, &manager, estate);
        let names: Vec<&str> = v.buildings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["1栋", "2栋"], "{}", t.backend);
        assert_eq!(v.buildings[0].grid_worker, "李四", "{}", t.backend);
        assert_eq!(
            v.buildings[0].grid_worker_phone, "13900000001",
            "{}",
            t.backend
        );

        // Three bad rows: a negative area, a room twice, an unknown building.
        let bad = "楼栋,单元,房号,建筑面积(㎡),空置\n\
                   1栋,1单元,101,89.5,否\n\
                   1栋,1单元,102,-80,否\n\
                   1栋,1单元,101,90,否\n\
                   9栋,1单元,101,80,是\n\
                   2栋,1单元,201,120.25,是\n";
        let preview = estates::preview_import(&mut conn, estate, ImportKind::Households, bad)
            .expect("preview households");
        let reasons: Vec<(u32, Vec<RowProblem>)> = preview
            .bad
            .iter()
            .map(|r| (r.line, r.problems.clone()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (3, vec![RowProblem::BadArea]),
                (4, vec![RowProblem::DuplicateInFile { first_line: 2 }]),
                (5, vec![RowProblem::UnknownBuilding]),
            ],
            "{}: the bad rows and their reasons",
            t.backend
        );
        assert_eq!(preview.total, 5, "{}", t.backend);
        assert_eq!(preview.sample.len(), 2, "{}: good rows sampled", t.backend);
        let e = estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Households,
            bad,
            t0(),
        )
        .expect_err("a file with bad rows is refused");
        assert_eq!(
            e,
            AppError::Conflict(Key::ImportErrorNotClean),
            "{}",
            t.backend
        );
        assert_eq!(
            household_count(&mut conn, &manager, estate),
            0,
            "{}: nothing written from a file with bad rows",
            t.backend
        );

        // The fixed file goes in whole.
        let written = estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Households,
            GOOD_HOUSEHOLDS,
            t0(),
        )
        .expect("commit the fixed file");
        assert_eq!(written, 3, "{}: households written", t.backend);
        let v = view(&mut conn, &manager, estate);
        let lines: Vec<(String, String, String, Option<i64>, bool)> = v
            .buildings
            .iter()
            .flat_map(|b| {
                b.households.iter().map(|h| {
                    (
                        b.name.clone(),
                        h.unit.clone(),
                        h.room.clone(),
                        h.floor_area.map(|a| a.hundredths()),
                        h.vacant,
                    )
                })
            })
            .collect();
        let line = |b: &str, r: &str, area: i64, vacant: bool| {
            (
                b.to_owned(),
                "1单元".to_owned(),
                r.to_owned(),
                Some(area),
                vacant,
            )
        };
        assert_eq!(
            lines,
            vec![
                line("1栋", "101", 8950, false),
                line("1栋", "102", 8005, false),
                line("2栋", "201", 12025, true),
            ],
            "{}: areas exact to the hundredth, vacancy kept",
            t.backend
        );
        assert_eq!(v.vacant_count(), 1, "{}", t.backend);
        assert_eq!(
            v.floor_area(),
            rust_decimal::Decimal::new(28980, 2),
            "{}: total floor area",
            t.backend
        );

        // The same file again: every row exists already, nothing is written.
        let preview =
            estates::preview_import(&mut conn, estate, ImportKind::Households, GOOD_HOUSEHOLDS)
                .expect("preview again");
        assert_eq!(preview.bad.len(), 3, "{}", t.backend);
        assert!(
            preview
                .bad
                .iter()
                .all(|r| r.problems == vec![RowProblem::AlreadyExists]),
            "{}: {:?}",
            t.backend,
            preview.bad
        );
        let e = estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Households,
            GOOD_HOUSEHOLDS,
            t0(),
        )
        .expect_err("a re-import is refused");
        assert_eq!(
            e,
            AppError::Conflict(Key::ImportErrorNotClean),
            "{}",
            t.backend
        );
        assert_eq!(
            household_count(&mut conn, &manager, estate),
            3,
            "{}: a refused re-import writes nothing",
            t.backend
        );

        // Residents: owners show on the estate page; a known phone links the account.
        let residents = "楼栋,单元,房号,姓名,电话,关系\n\
                         1栋,1单元,101,张三,13900000002,业主\n\
                         1栋,1单元,101,张小三,,家属\n\
                         2栋,1单元,201,和美华,13800000001,owner\n";
        let preview = estates::preview_import(&mut conn, estate, ImportKind::Residents, residents)
            .expect("preview residents");
        assert!(preview.is_clean(), "{}: {:?}", t.backend, preview.bad);
        let written = estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Residents,
            residents,
            t0(),
        )
        .expect("commit residents");
        assert_eq!(written, 3, "{}: residents written", t.backend);
        let v = view(&mut conn, &manager, estate);
        let owners: Vec<(String, Option<String>, u32)> = v
            .buildings
            .iter()
            .flat_map(|b| &b.households)
            .map(|h| (h.room.clone(), h.owner.clone(), h.occupants))
            .collect();
        assert_eq!(
            owners,
            vec![
                ("101".to_owned(), Some("张三".to_owned()), 2),
                ("102".to_owned(), None, 0),
                ("201".to_owned(), Some("和美华".to_owned()), 1),
            ],
            "{}: owners and occupants per household",
            t.backend
        );
        let h201 = v.buildings[1].households[0].id;
        let household = estates::household(&mut conn, &manager, h201).expect("view");
        assert!(
            household
                .residents
                .iter()
                .any(|r| r.name == "和美华" && r.has_account && r.relation == Relation::Owner),
            "{}: the phone of an account links it: {:?}",
            t.backend,
            household.residents
        );

        // Importing the residents again is refused too.
        let e = estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Residents,
            residents,
            t0(),
        )
        .expect_err("a re-import is refused");
        assert_eq!(
            e,
            AppError::Conflict(Key::ImportErrorNotClean),
            "{}",
            t.backend
        );
    });
}

#[test]
fn bad_files_change_nothing_and_say_why() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let estate = new_estate(&mut conn, &manager, wenhui(&manager), "坏文件小区");
        estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Buildings,
            BUILDINGS,
            t0(),
        )
        .expect("buildings");
        estates::commit_import(
            &mut conn,
            &manager,
            estate,
            ImportKind::Households,
            GOOD_HOUSEHOLDS,
            t0(),
        )
        .expect("households");

        // Ten megabytes of random bytes, as a browser would hand them over.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let junk: String = (0..10 * 1024 * 1024)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(x.to_le_bytes()[0])
            })
            .collect();
        // A well-formed file just over a mebibyte is too big as well.
        let mut big = String::from("楼栋,单元,房号,建筑面积\n");
        let mut room = 0;
        while big.len() <= 1024 * 1024 {
            room += 1;
            big.push_str(&format!("1栋,9单元,{room},80,否\n"));
        }
        // A GBK file (Excel's plain CSV on Chinese Windows) read as UTF-8.
        let gbk_bytes: &[u8] = &[
            0xc2, 0xa5, 0xb6, 0xb0, 0x2c, 0xb5, 0xa5, 0xd4, 0xaa, 0x2c, 0xb7, 0xbf, 0xba, 0xc5,
            0x2c, 0xbd, 0xa8, 0xd6, 0xfe, 0xc3, 0xe6, 0xbb, 0xfd, 0x0a, 0x31, 0xb6, 0xb0, 0x2c,
            0x31, 0xb5, 0xa5, 0xd4, 0xaa, 0x2c, 0x31, 0x30, 0x31, 0x2c, 0x38, 0x39, 0x2e, 0x35,
            0x0a,
        ];
        let gbk = String::from_utf8_lossy(gbk_bytes).into_owned();
        assert!(
            gbk.contains('\u{fffd}'),
            "the GBK text has replacement marks"
        );
        let no_area = "楼栋,单元,房号,空置\n1栋,2单元,101,否\n";

        for (what, kind, text, key) in [
            (
                "10 MB junk",
                ImportKind::Households,
                junk.as_str(),
                Key::ImportErrorTooBig,
            ),
            (
                "over 1 MiB",
                ImportKind::Households,
                big.as_str(),
                Key::ImportErrorTooBig,
            ),
            (
                "GBK",
                ImportKind::Households,
                gbk.as_str(),
                Key::ImportErrorNotUtf8,
            ),
            (
                "GBK",
                ImportKind::Buildings,
                gbk.as_str(),
                Key::ImportErrorNotUtf8,
            ),
            (
                "no area column",
                ImportKind::Households,
                no_area,
                Key::ImportErrorMissingColumn,
            ),
        ] {
            let expected = AppError::Invalid {
                field: "file".into(),
                message: key,
            };
            let e = estates::preview_import(&mut conn, estate, kind, text)
                .expect_err("preview refused");
            assert_eq!(e, expected, "{}: preview of {what}", t.backend);
            let e = estates::commit_import(&mut conn, &manager, estate, kind, text, t0())
                .expect_err("commit refused");
            assert_eq!(e, expected, "{}: commit of {what}", t.backend);
        }
        let v = view(&mut conn, &manager, estate);
        assert_eq!(v.buildings.len(), 2, "{}: buildings unchanged", t.backend);
        assert_eq!(
            v.household_count(),
            3,
            "{}: households unchanged",
            t.backend
        );
    });
}

fn takeover_form(date: &str, baseline: [&str; 6]) -> TakeoverForm {
    TakeoverForm {
        state_before: "unmanaged".into(),
        taken_over_on: date.into(),
        interim_agreement: "临时服务协议 WH-2023-01".into(),
        baseline: baseline.map(str::to_owned),
        baseline_notes: "路灯半数不亮".into(),
        files_handed_over: "竣工图、业主名册".into(),
    }
}

#[test]
fn a_takeover_is_recorded_corrected_and_audited() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let admin = sign_in(&state, "admin", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let company = wenhui(&manager);
        let estate = new_estate(&mut conn, &manager, company, "接管测试小区");

        let first = takeover_form(
            "2023-03-01",
            ["good", "poor", "absent", "good", "poor", "good"],
        );
        estates::record_takeover(&mut conn, &manager, estate, &first, t0()).expect("record");
        let takeover = view(&mut conn, &manager, estate)
            .takeover
            .expect("the estate page shows the takeover");
        assert_eq!(takeover.company, company, "{}", t.backend);
        assert_eq!(
            takeover.state_before,
            TakeoverState::Unmanaged,
            "{}",
            t.backend
        );
        assert_eq!(
            takeover.taken_over_on,
            NaiveDate::from_ymd_opt(2023, 3, 1).expect("date"),
            "{}",
            t.backend
        );
        assert_eq!(
            takeover.condition(BaselineItem::Security),
            Some(Condition::Absent),
            "{}",
            t.backend
        );
        assert_eq!(takeover.shortcomings(), 3, "{}", t.backend);
        assert_eq!(takeover.baseline_notes, "路灯半数不亮", "{}", t.backend);

        // A date after today (China time) is refused; so is an unknown condition.
        let tomorrow = (app::domain::time::china_date(t0()) + Duration::days(1)).to_string();
        let e = estates::record_takeover(
            &mut conn,
            &manager,
            estate,
            &takeover_form(&tomorrow, ["good"; 6]),
            t0(),
        )
        .expect_err("a future date is refused");
        assert_eq!(
            e,
            AppError::invalid("taken_over_on", Key::TakeoverErrorFuture),
            "{}",
            t.backend
        );
        let e = estates::record_takeover(
            &mut conn,
            &manager,
            estate,
            &takeover_form(
                "2023-03-01",
                ["good", "shiny", "good", "good", "good", "good"],
            ),
            t0(),
        )
        .expect_err("an unknown condition is refused");
        assert_eq!(
            e,
            AppError::invalid("lighting", Key::TakeoverErrorCondition),
            "{}",
            t.backend
        );
        let unchanged = view(&mut conn, &manager, estate).takeover;
        assert_eq!(
            unchanged.as_ref(),
            Some(&takeover),
            "{}: refused records change nothing",
            t.backend
        );

        // Correcting it: 17:00 UTC is already the next day in China, so that
        // date is today and allowed.
        let later = t0() + Duration::hours(6);
        let china_today = app::domain::time::china_date(later);
        assert!(
            china_today > later.date(),
            "the test time crosses midnight in China"
        );
        let second = takeover_form(
            &china_today.to_string(),
            ["good", "good", "absent", "good", "poor", "good"],
        );
        estates::record_takeover(&mut conn, &manager, estate, &second, later)
            .expect("record again");
        let takeover = view(&mut conn, &manager, estate)
            .takeover
            .expect("still recorded");
        assert_eq!(takeover.taken_over_on, china_today, "{}", t.backend);
        assert_eq!(
            takeover.condition(BaselineItem::Lighting),
            Some(Condition::Good),
            "{}",
            t.backend
        );

        let filter = AuditFilter {
            entity: Some(AuditEntity::Takeover),
            ..AuditFilter::default()
        };
        let page = audit::entries(&mut conn, &admin, &filter).expect("audit log");
        let ours: Vec<_> = page
            .entries
            .iter()
            .filter(|e| e.entity_id == estate.0)
            .collect();
        let actions: Vec<AuditAction> = ours.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            vec![AuditAction::Update, AuditAction::Create],
            "{}: newest first, refused attempts not logged",
            t.backend
        );
        let lighting = ours[0]
            .changes
            .iter()
            .find(|c| c.field == "lighting")
            .expect("the correction names the changed item");
        assert_eq!(
            (lighting.before.as_deref(), lighting.after.as_deref()),
            (Some("poor"), Some("good")),
            "{}",
            t.backend
        );
    });
}

#[test]
fn a_new_committee_ends_the_old_one_which_keeps_its_members() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let estate = new_estate(&mut conn, &manager, wenhui(&manager), "业委会测试小区");

        let first = estates::start_committee(
            &mut conn,
            &manager,
            estate,
            "2021-01-01",
            "2025-12-31",
            t0(),
        )
        .expect("first committee");
        estates::add_committee_member(
            &mut conn,
            &manager,
            first,
            "木春",
            "13912300001",
            "chair",
            true,
            t0(),
        )
        .expect("chair");
        estates::add_committee_member(
            &mut conn,
            &manager,
            first,
            "和平",
            "",
            "member",
            false,
            t0(),
        )
        .expect("member");
        let e = estates::add_committee_member(
            &mut conn,
            &manager,
            first,
            "李二",
            "",
            "chair",
            false,
            t0(),
        )
        .expect_err("a second chair is refused");
        assert_eq!(
            e,
            AppError::invalid("position", Key::CommitteeErrorChairTaken),
            "{}",
            t.backend
        );

        let later = t0() + Duration::days(1);
        let second = estates::start_committee(
            &mut conn,
            &manager,
            estate,
            "2026-01-01",
            "2030-12-31",
            later,
        )
        .expect("second committee");
        estates::add_committee_member(
            &mut conn, &manager, second, "杨新", "", "chair", false, later,
        )
        .expect("new chair");

        let v = view(&mut conn, &manager, estate);
        let sitting = v.committee.as_ref().expect("a sitting committee");
        assert_eq!(sitting.id, second, "{}: the new one sits", t.backend);
        assert!(!sitting.ended, "{}", t.backend);
        assert_eq!(
            sitting.chair().map(|m| m.name.as_str()),
            Some("杨新"),
            "{}",
            t.backend
        );
        assert_eq!(v.past_committees.len(), 1, "{}", t.backend);
        let old = &v.past_committees[0];
        assert_eq!(old.id, first, "{}", t.backend);
        assert!(old.ended, "{}: the old one ended", t.backend);
        let members: Vec<(&str, CommitteePosition, bool)> = old
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.position, m.party_member))
            .collect();
        assert_eq!(
            members,
            vec![
                ("木春", CommitteePosition::Chair, true),
                ("和平", CommitteePosition::Member, false),
            ],
            "{}: the old committee keeps its members",
            t.backend
        );
        assert_eq!(old.party_members(), 1, "{}", t.backend);

        let e = estates::add_committee_member(
            &mut conn, &manager, first, "迟到", "", "member", false, later,
        )
        .expect_err("an ended committee takes no members");
        assert_eq!(
            e,
            AppError::Conflict(Key::CommitteeErrorEnded),
            "{}",
            t.backend
        );

        let e = estates::start_committee(
            &mut conn,
            &manager,
            estate,
            "2026-01-01",
            "2031-01-02",
            later,
        )
        .expect_err("a term over five years is refused");
        assert_eq!(
            e,
            AppError::invalid("term_ends_on", Key::CommitteeErrorTermLong),
            "{}",
            t.backend
        );
        let v = view(&mut conn, &manager, estate);
        assert_eq!(
            v.committee.as_ref().map(|c| c.id),
            Some(second),
            "{}: a refused term changes nothing",
            t.backend
        );
        assert_eq!(v.past_committees.len(), 1, "{}", t.backend);

        // The directory shows the sitting chair.
        let dir = estates::directory(&mut conn, &manager, None, None).expect("directory");
        let listing = dir.estates.iter().find(|l| l.id == estate).expect("listed");
        assert_eq!(
            listing.chair,
            Some(("杨新".to_owned(), false)),
            "{}",
            t.backend
        );
    });
}

#[test]
fn households_and_residents_keep_their_history_and_phones_are_shown_by_role() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let committee = sign_in(&state, "13800000003", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let estate = new_estate(&mut conn, &manager, wenhui(&manager), "住户测试小区");

        let building: BuildingId = estates::add_building(
            &mut conn,
            &manager,
            estate,
            "1栋",
            "李四",
            "139 0000 0001",
            t0(),
        )
        .expect("building");
        let e = estates::add_building(&mut conn, &manager, estate, "1栋", "", "", t0())
            .expect_err("a building name twice is refused");
        assert_eq!(
            e,
            AppError::invalid("building", Key::BuildingErrorTaken),
            "{}",
            t.backend
        );
        let area = estates::parse_area("89.5").expect("area");
        let household = estates::add_household(
            &mut conn,
            &manager,
            building,
            "1单元",
            "101",
            area,
            false,
            t0(),
        )
        .expect("household");
        let v = view(&mut conn, &manager, estate);
        let line = &v.buildings[0].households[0];
        assert_eq!(line.id, household, "{}", t.backend);
        assert_eq!(
            line.floor_area.map(|a| a.hundredths()),
            Some(8950),
            "{}: 89.5 m² in hundredths",
            t.backend
        );
        assert_eq!(
            v.buildings[0].grid_worker_phone, "13900000001",
            "{}",
            t.backend
        );

        let e = estates::add_household(
            &mut conn,
            &manager,
            building,
            "1单元",
            "101",
            None,
            false,
            t0(),
        )
        .expect_err("the same room twice is refused");
        assert_eq!(
            e,
            AppError::invalid("room", Key::HouseholdErrorTaken),
            "{}",
            t.backend
        );
        let e = estates::parse_area("-3").expect_err("a negative area is refused");
        assert_eq!(
            e,
            AppError::invalid("floor_area", Key::HouseholdErrorArea),
            "{}",
            t.backend
        );
        assert_eq!(
            household_count(&mut conn, &manager, estate),
            1,
            "{}: refused households are not written",
            t.backend
        );

        let owner = estates::add_resident(
            &mut conn,
            &manager,
            household,
            "张三",
            "13912340001",
            "owner",
            t0(),
        )
        .expect("owner");
        let tenant = estates::add_resident(
            &mut conn,
            &manager,
            household,
            "李租",
            "13912340002",
            "tenant",
            t0(),
        )
        .expect("tenant");
        let e = estates::add_resident(
            &mut conn,
            &manager,
            household,
            "王五",
            "",
            "neighbour",
            t0(),
        )
        .expect_err("an unknown relation is refused");
        assert_eq!(
            e,
            AppError::invalid("relation", Key::ResidentErrorRelation),
            "{}",
            t.backend
        );
        let moved = t0() + Duration::days(3);
        estates::move_out(&mut conn, &manager, tenant, moved).expect("move out");
        // Moving out twice changes nothing.
        estates::move_out(&mut conn, &manager, tenant, moved + Duration::days(1))
            .expect("move out again");
        let h = estates::household(&mut conn, &manager, household).expect("view");
        let living: Vec<_> = h
            .residents
            .iter()
            .map(|r| (r.id, r.name.as_str()))
            .collect();
        assert_eq!(living, vec![(owner, "张三")], "{}", t.backend);
        let former: Vec<_> = h
            .former_residents
            .iter()
            .map(|r| (r.id, r.name.as_str(), r.moved_out_on))
            .collect();
        assert_eq!(
            former,
            vec![(tenant, "李租", Some(app::domain::time::china_date(moved)))],
            "{}: the tenant is kept as a former resident",
            t.backend
        );
        assert_eq!(
            h.floor_area.map(|a| a.hundredths()),
            Some(8950),
            "{}",
            t.backend
        );
        let v = view(&mut conn, &manager, estate);
        assert_eq!(v.buildings[0].households[0].occupants, 1, "{}", t.backend);

        // Phones: full for the company, masked for the committee (in its own estate).
        let yuquan = committee_estate(&committee);
        let yv = view(&mut conn, &committee, yuquan);
        let demo_household = yv
            .buildings
            .iter()
            .flat_map(|b| &b.households)
            .next()
            .expect("玉泉花园 has households")
            .id;
        let place = place_of(
            &mut conn,
            Target::Household(demo_household),
            Some(&committee),
        )
        .expect("place");
        assert_eq!(
            authorize(Some(&committee), Action::ViewHousehold, &place),
            Ok(()),
            "{}",
            t.backend
        );
        estates::add_resident(
            &mut conn,
            &manager,
            demo_household,
            "电话测试",
            "13912340003",
            "family",
            t0(),
        )
        .expect("resident in 玉泉花园");
        let phone_of = |h: &app::domain::estates::HouseholdView| {
            h.residents
                .iter()
                .find(|r| r.name == "电话测试")
                .map(|r| r.phone.clone())
        };
        let as_committee =
            estates::household(&mut conn, &committee, demo_household).expect("committee view");
        assert_eq!(
            phone_of(&as_committee).as_deref(),
            Some("139****0003"),
            "{}: masked for the committee",
            t.backend
        );
        assert!(!as_committee.can_manage, "{}", t.backend);
        let as_manager =
            estates::household(&mut conn, &manager, demo_household).expect("manager view");
        assert_eq!(
            phone_of(&as_manager).as_deref(),
            Some("13912340003"),
            "{}: in full for the manager",
            t.backend
        );
        assert!(as_manager.can_manage, "{}", t.backend);
    });
}

fn form(household: HouseholdId, name: &str, phone: &str, email: &str) -> RegistrationForm {
    RegistrationForm {
        household,
        name: name.into(),
        phone: phone.into(),
        email: email.into(),
        relation: "owner".into(),
        password: "a-good-passphrase".into(),
    }
}

/// An estate with one building and two households: (estate, [h1, h2]).
fn small_estate(
    conn: &mut DbConn,
    manager: &Caller,
    company: CompanyId,
    name: &str,
) -> (EstateId, [HouseholdId; 2]) {
    let estate = new_estate(conn, manager, company, name);
    let building =
        estates::add_building(conn, manager, estate, "1栋", "", "", t0()).expect("building");
    let h1 = estates::add_household(conn, manager, building, "1单元", "101", None, false, t0())
        .expect("household");
    let h2 = estates::add_household(conn, manager, building, "1单元", "102", None, false, t0())
        .expect("household");
    (estate, [h1, h2])
}

fn token_of(conn: &mut DbConn, estate: EstateId) -> String {
    let poster = estates::poster(conn, estate, SITE).expect("poster");
    let (_, token) = poster.url.rsplit_once("/join/").expect("a join link");
    token.to_owned()
}

#[test]
fn self_registration_from_the_poster_is_approved_or_rejected_by_mail() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let company = wenhui(&manager);
        let (estate, [h1, h2]) = small_estate(&mut conn, &manager, company, "自助登记小区");
        let (_, [elsewhere, _]) = small_estate(&mut conn, &manager, company, "另一个小区");

        let poster = estates::poster(&mut conn, estate, SITE).expect("poster");
        assert!(
            poster.url.starts_with(&format!("{SITE}/join/")),
            "{}: {}",
            t.backend,
            poster.url
        );
        assert!(
            poster.svg.starts_with("<?xml") || poster.svg.contains("<svg"),
            "{}: the QR code is SVG",
            t.backend
        );
        let token = token_of(&mut conn, estate);
        assert_eq!(
            token_of(&mut conn, estate),
            token,
            "{}: the poster is stable",
            t.backend
        );
        let page = estates::join_page(&mut conn, &token).expect("join page");
        let rooms: Vec<(HouseholdId, &str, &str, &str)> = page
            .households
            .iter()
            .map(|(id, b, u, r)| (*id, b.as_str(), u.as_str(), r.as_str()))
            .collect();
        assert_eq!(
            rooms,
            vec![(h1, "1栋", "1单元", "101"), (h2, "1栋", "1单元", "102")],
            "{}",
            t.backend
        );

        let wang = form(h1, "王小明", "13912345678", "wang@example.cn");
        let at = t0();
        estates::register(&mut conn, &token, &wang, "10.3.0.1", Lang::Zh, at).expect("register");
        let e = estates::register(&mut conn, &token, &wang, "10.3.0.1", Lang::Zh, at)
            .expect_err("a double submit is refused");
        assert_eq!(
            e,
            AppError::Conflict(Key::RegistrationErrorPending),
            "{}",
            t.backend
        );
        let e = estates::register(
            &mut conn,
            &token,
            &form(elsewhere, "王小明", "13912345678", "wang@example.cn"),
            "10.3.0.1",
            Lang::Zh,
            at,
        )
        .expect_err("a household of another estate is refused");
        assert_eq!(
            e,
            AppError::invalid("household", Key::RegistrationErrorHousehold),
            "{}",
            t.backend
        );
        let e = estates::register(&mut conn, "not-a-token", &wang, "10.3.0.1", Lang::Zh, at)
            .expect_err("a bad token is refused");
        assert_eq!(e, AppError::NotFound, "{}", t.backend);
        assert_eq!(
            view(&mut conn, &manager, estate).pending_registrations,
            1,
            "{}: one request waits",
            t.backend
        );
        let requests = estates::registrations(&mut conn, estate).expect("requests");
        assert_eq!(requests.len(), 1, "{}", t.backend);
        let request = &requests[0];
        assert_eq!(request.status, RegistrationStatus::Pending, "{}", t.backend);
        assert!(!request.existing_account, "{}", t.backend);

        // Approval makes the account, links the household and mails the resident.
        estates::decide_registration(&mut conn, SITE, &manager, request.id, true, "", at)
            .expect("approve");
        let signed = accounts::login(
            &state,
            "13912345678",
            "a-good-passphrase",
            "10.3.0.2",
            at + Duration::minutes(1),
        )
        .expect("the new resident signs in with the password they chose");
        assert_eq!(signed.home, format!("/households/{h1}"), "{}", t.backend);
        let h = estates::household(&mut conn, &manager, h1).expect("household");
        assert!(
            h.residents.iter().any(|r| r.name == "王小明"
                && r.phone == "13912345678"
                && r.relation == Relation::Owner
                && r.has_account),
            "{}: listed as a resident: {:?}",
            t.backend,
            h.residents
        );
        assert!(
            h.accounts.iter().any(|(_, name)| name == "王小明"),
            "{}: holds a resident account",
            t.backend
        );
        let mails = outbox(&mut conn);
        let approved: Vec<_> = mails
            .iter()
            .filter(|(kind, _, _)| kind == "registration_approved")
            .collect();
        assert_eq!(approved.len(), 1, "{}: {mails:?}", t.backend);
        assert_eq!(approved[0].1, "wang@example.cn", "{}", t.backend);
        assert!(
            approved[0].2.is_some(),
            "{}: addressed to the new person",
            t.backend
        );
        assert_eq!(
            view(&mut conn, &manager, estate).pending_registrations,
            0,
            "{}",
            t.backend
        );

        let e =
            estates::decide_registration(&mut conn, SITE, &manager, request.id, false, "晚了", at)
                .expect_err("a decided request stays decided");
        assert_eq!(
            e,
            AppError::Conflict(Key::RegistrationErrorDecided),
            "{}",
            t.backend
        );

        // Rejection needs a reason, and is mailed too; no account is made.
        let li = form(h2, "李四", "13912345679", "li@example.cn");
        let second =
            estates::register(&mut conn, &token, &li, "10.3.0.1", Lang::En, at).expect("register");
        let e = estates::decide_registration(&mut conn, SITE, &manager, second, false, "  ", at)
            .expect_err("a rejection without a reason is refused");
        assert_eq!(
            e,
            AppError::invalid("reason", Key::RegistrationErrorReason),
            "{}",
            t.backend
        );
        let still = estates::registrations(&mut conn, estate).expect("requests");
        assert_eq!(
            still.iter().find(|r| r.id == second).map(|r| r.status),
            Some(RegistrationStatus::Pending),
            "{}: a refused decision changes nothing",
            t.backend
        );
        estates::decide_registration(&mut conn, SITE, &manager, second, false, "不是本户业主", at)
            .expect("reject");
        let decided = estates::registrations(&mut conn, estate).expect("requests");
        let rejected = decided.iter().find(|r| r.id == second).expect("listed");
        assert_eq!(
            (rejected.status, rejected.reason.as_str()),
            (RegistrationStatus::Rejected, "不是本户业主"),
            "{}",
            t.backend
        );
        let mails = outbox(&mut conn);
        let rejections: Vec<_> = mails
            .iter()
            .filter(|(kind, _, _)| kind == "registration_rejected")
            .collect();
        assert_eq!(rejections.len(), 1, "{}: {mails:?}", t.backend);
        assert_eq!(rejections[0].1, "li@example.cn", "{}", t.backend);
        assert_eq!(rejections[0].2, None, "{}", t.backend);
        assert_eq!(
            mails
                .iter()
                .filter(|(kind, _, _)| kind == "registration_approved")
                .count(),
            1,
            "{}: deciding again mailed nothing",
            t.backend
        );
        let e = accounts::login(
            &state,
            "13912345679",
            "a-good-passphrase",
            "10.3.0.3",
            at + Duration::minutes(1),
        )
        .expect_err("a rejected request makes no account");
        assert_eq!(e, AppError::BadCredentials, "{}", t.backend);

        // A renewed poster retires the old link.
        estates::renew_poster(&mut conn, &manager, estate, at).expect("renew");
        let renewed = token_of(&mut conn, estate);
        assert_ne!(renewed, token, "{}", t.backend);
        assert_eq!(
            estates::join_page(&mut conn, &token).expect_err("old link"),
            AppError::NotFound,
            "{}",
            t.backend
        );
        let late = form(h2, "赵六", "13912345670", "zhao@example.cn");
        let e = estates::register(&mut conn, &token, &late, "10.3.0.1", Lang::Zh, at)
            .expect_err("the old link takes no requests");
        assert_eq!(e, AppError::NotFound, "{}", t.backend);
        estates::register(&mut conn, &renewed, &late, "10.3.0.1", Lang::Zh, at)
            .expect("the new link works");

        // An estate from before posters (the demo's) gets its link on first use.
        let committee = sign_in(&state, "13800000003", t0()).caller;
        let yuquan = committee_estate(&committee);
        let first = token_of(&mut conn, yuquan);
        assert_eq!(
            token_of(&mut conn, yuquan),
            first,
            "{}: made once, then kept",
            t.backend
        );
        assert_eq!(
            estates::join_page(&mut conn, &first)
                .expect("join page")
                .estate
                .zh,
            "玉泉花园",
            "{}",
            t.backend
        );
    });
}

#[test]
fn registrations_from_one_address_are_throttled_per_hour() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let (estate, [h1, _]) = small_estate(&mut conn, &manager, wenhui(&manager), "限流小区");
        let token = token_of(&mut conn, estate);
        let limit = estates::REGISTRATIONS_PER_HOUR;
        let phone = |i: i64| format!("139{:08}", 10_000 + i);
        for i in 0..limit {
            let at = t0() + Duration::minutes(i);
            estates::register(
                &mut conn,
                &token,
                &form(h1, "居民", &phone(i), "r@example.cn"),
                "10.4.0.1",
                Lang::Zh,
                at,
            )
            .unwrap_or_else(|e| panic!("{}: request {i} refused: {e:?}", t.backend));
        }
        let at = t0() + Duration::minutes(limit);
        let e = estates::register(
            &mut conn,
            &token,
            &form(h1, "居民", &phone(limit), "r@example.cn"),
            "10.4.0.1",
            Lang::Zh,
            at,
        )
        .expect_err("one too many");
        assert_eq!(e, AppError::Throttled, "{}", t.backend);
        // Another address is not held back, and an hour later this one may try again.
        estates::register(
            &mut conn,
            &token,
            &form(h1, "居民", &phone(limit), "r@example.cn"),
            "10.4.0.2",
            Lang::Zh,
            at,
        )
        .expect("another address");
        estates::register(
            &mut conn,
            &token,
            &form(h1, "居民", &phone(limit + 1), "r@example.cn"),
            "10.4.0.1",
            Lang::Zh,
            t0() + Duration::minutes(61),
        )
        .expect("an hour later");
        assert_eq!(
            view(&mut conn, &manager, estate).pending_registrations,
            u32::try_from(limit + 2).expect("small"),
            "{}: the throttled request wrote nothing",
            t.backend
        );
    });
}

#[test]
fn the_directory_shows_each_caller_the_estates_in_their_scope() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let committee = sign_in(&state, "13800000003", t0()).caller;
        let street_party = sign_in(&state, "13800000005", t0()).caller;
        let admin = sign_in(&state, "admin", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let company = wenhui(&manager);
        let (same_street, other_street) = neighbours(&mut conn, company);
        let ours = new_estate(&mut conn, &manager, company, "目录测试小区");
        let next_door = new_estate(&mut conn, &admin, same_street, "邻社区小区");
        let far = new_estate(&mut conn, &admin, other_street, "外街道小区");
        let home = place_of(&mut conn, Target::Estate(ours), None).expect("place");

        let ids = |dir: &app::domain::estates::EstateDirectory| -> Vec<EstateId> {
            dir.estates.iter().map(|l| l.id).collect()
        };

        // The committee chair: their own estate only.
        let dir = estates::directory(&mut conn, &committee, None, None).expect("directory");
        assert_eq!(
            ids(&dir),
            vec![committee_estate(&committee)],
            "{}: the committee sees its estate only",
            t.backend
        );
        assert_eq!(dir.estates[0].name.zh, "玉泉花园", "{}", t.backend);
        assert_eq!(dir.can_add_for, None, "{}", t.backend);

        // The manager: the company's estates only.
        let dir = estates::directory(&mut conn, &manager, None, None).expect("directory");
        let seen = ids(&dir);
        assert!(seen.contains(&ours), "{}", t.backend);
        assert!(
            seen.contains(&committee_estate(&committee)),
            "{}",
            t.backend
        );
        assert!(
            !seen.contains(&next_door) && !seen.contains(&far),
            "{}: {seen:?}",
            t.backend
        );
        for id in &seen {
            let place = place_of(&mut conn, Target::Estate(*id), None).expect("place");
            assert_eq!(place.company, Some(company), "{}: estate {id}", t.backend);
        }
        assert_eq!(dir.can_add_for, Some(company), "{}", t.backend);

        // The street's Party committee: every estate of its street's communities.
        let dir = estates::directory(&mut conn, &street_party, None, None).expect("directory");
        let seen = ids(&dir);
        assert!(
            seen.contains(&ours) && seen.contains(&next_door),
            "{}: {seen:?}",
            t.backend
        );
        assert!(!seen.contains(&far), "{}: {seen:?}", t.backend);
        for id in &seen {
            let place = place_of(&mut conn, Target::Estate(*id), None).expect("place");
            assert_eq!(place.street, home.street, "{}: estate {id}", t.backend);
        }
        assert!(
            dir.communities.len() >= 2,
            "{}: both communities offered as filters",
            t.backend
        );
        assert_eq!(dir.can_add_for, None, "{}", t.backend);
        // Narrowed to Wenhui community.
        let community = home.community.expect("community");
        let dir =
            estates::directory(&mut conn, &street_party, None, Some(community)).expect("directory");
        let narrowed = ids(&dir);
        assert!(narrowed.contains(&ours), "{}", t.backend);
        assert!(!narrowed.contains(&next_door), "{}", t.backend);
        for id in &narrowed {
            let place = place_of(&mut conn, Target::Estate(*id), None).expect("place");
            assert_eq!(
                place.community,
                Some(community),
                "{}: estate {id}",
                t.backend
            );
        }
        assert!(narrowed.len() < seen.len(), "{}", t.backend);

        // The district administrator: all open estates.
        let dir = estates::directory(&mut conn, &admin, None, None).expect("directory");
        let seen = ids(&dir);
        let open: i64 = {
            use app::db::schema::estates as e;
            e::table
                .filter(e::closed_at.is_null())
                .count()
                .get_result(&mut conn)
                .expect("count")
        };
        assert_eq!(
            i64::try_from(seen.len()).expect("small"),
            open,
            "{}: every open estate",
            t.backend
        );
        assert!(
            seen.contains(&ours) && seen.contains(&next_door) && seen.contains(&far),
            "{}",
            t.backend
        );
        let far_street = place_of(&mut conn, Target::Estate(far), None)
            .expect("place")
            .street
            .expect("street");
        let dir = estates::directory(&mut conn, &admin, Some(far_street), None).expect("directory");
        assert!(
            ids(&dir).contains(&far) && !ids(&dir).contains(&ours),
            "{}: narrowed to a street",
            t.backend
        );
    });
}

#[test]
fn authorization_on_real_places_follows_role_and_scope() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let signed =
            accounts::login(&state, "hexiu", DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let committee = sign_in(&state, "13800000003", t0()).caller;
        let street_party = sign_in(&state, "13800000005", t0()).caller;
        let admin = sign_in(&state, "admin", t0()).caller;
        let mut conn = state.db.conn().expect("conn");
        let company = wenhui(&manager);
        let (same_street, other_street) = neighbours(&mut conn, company);
        let ours = new_estate(&mut conn, &manager, company, "权限测试小区");
        let next_door = new_estate(&mut conn, &admin, same_street, "邻社区权限小区");
        let far = new_estate(&mut conn, &admin, other_street, "外街道权限小区");
        let yuquan = committee_estate(&committee);

        let mut check = |caller: &Caller, action: Action, estate: EstateId| {
            let place = place_of(&mut conn, Target::Estate(estate), Some(caller)).expect("place");
            authorize(Some(caller), action, &place)
        };
        let forbidden = Err(Denial::Forbidden);

        assert_eq!(
            check(&manager, Action::ManageEstates, ours),
            Ok(()),
            "{}: manager on own company's estate",
            t.backend
        );
        assert_eq!(
            check(&manager, Action::ManageEstates, next_door),
            forbidden,
            "{}: manager on another company's estate",
            t.backend
        );
        assert_eq!(
            check(&committee, Action::ManageEstates, yuquan),
            forbidden,
            "{}: a committee does not manage the estate",
            t.backend
        );
        assert_eq!(
            check(&committee, Action::ViewEstate, yuquan),
            Ok(()),
            "{}: a committee views its estate",
            t.backend
        );
        assert_eq!(
            check(&committee, Action::ViewEstate, ours),
            forbidden,
            "{}: a committee does not view another estate",
            t.backend
        );
        assert_eq!(
            check(&admin, Action::ManageEstates, far),
            Ok(()),
            "{}: the district administrator",
            t.backend
        );
        assert_eq!(
            check(&street_party, Action::ManageCommittees, next_door),
            Ok(()),
            "{}: street Party over its street",
            t.backend
        );
        assert_eq!(
            check(&street_party, Action::ManageCommittees, far),
            forbidden,
            "{}: street Party outside its street",
            t.backend
        );

        // 和秀 switches to her community Party grant.
        let mut conn2 = state.db.conn().expect("conn");
        let s = session(&mut conn2, &signed.token, &state.auth.session, t0())
            .expect("session")
            .expect("live");
        let party_grant = s
            .caller
            .grants
            .iter()
            .find(|g| g.role == Role::Party)
            .expect("party grant")
            .id;
        accounts::switch_role(&mut conn2, &s, party_grant).expect("switch");
        let party = session(&mut conn2, &signed.token, &state.auth.session, t0())
            .expect("session")
            .expect("live")
            .caller;
        assert_eq!(party.role(), Some(Role::Party), "{}", t.backend);
        assert_eq!(
            check(&party, Action::ManageCommittees, ours),
            Ok(()),
            "{}: community Party over its community",
            t.backend
        );
        assert_eq!(
            check(&party, Action::ManageCommittees, next_door),
            forbidden,
            "{}: community Party outside its community",
            t.backend
        );
        assert_eq!(
            check(&party, Action::ManageEstates, ours),
            forbidden,
            "{}: Party oversees, it does not manage",
            t.backend
        );
    });
}

#[test]
fn a_resident_who_moves_out_loses_the_household_and_its_sessions_at_once() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let admin = sign_in(&state, "admin", t0()).caller;
        let signed =
            accounts::login(&state, "13800000001", DEMO_PASSWORD, "10.0.0.1", t0()).expect("login");
        let mut conn = state.db.conn().expect("conn");
        let resident = session(&mut conn, &signed.token, &state.auth.session, t0())
            .expect("session")
            .expect("live");
        let Some(Scope::Household(household)) = resident.caller.grant.as_ref().map(|g| g.scope)
        else {
            panic!("the demo resident acts for a household");
        };
        let record = estates::household(&mut conn, &manager, household)
            .expect("household")
            .residents
            .into_iter()
            .find(|r| r.has_account && r.phone.ends_with("0001"))
            .expect("the resident's record");

        let moved = t0() + Duration::hours(1);
        estates::move_out(&mut conn, &manager, record.id, moved).expect("move out");

        // The session acting for the household has ended...
        assert!(
            session(&mut conn, &signed.token, &state.auth.session, moved)
                .expect("lookup")
                .is_none(),
            "{}",
            t.backend
        );
        // ...and signing in again gives no access to it.
        let again = accounts::login(&state, "13800000001", DEMO_PASSWORD, "10.0.0.1", moved);
        if let Ok(signed) = again {
            let live = session(&mut conn, &signed.token, &state.auth.session, moved)
                .expect("lookup")
                .expect("live");
            let place = place_of(&mut conn, Target::Household(household), Some(&live.caller))
                .expect("place");
            assert_eq!(
                authorize(Some(&live.caller), Action::ViewHousehold, &place),
                Err(Denial::Forbidden),
                "{}",
                t.backend
            );
        }
        // The audit log shows both: the move-out and the grant's end.
        let log = |entity| {
            audit::entries(
                &mut state.db.conn().expect("conn"),
                &admin,
                &AuditFilter {
                    entity: Some(entity),
                    ..AuditFilter::default()
                },
            )
            .expect("audit log")
            .entries
        };
        assert!(
            log(AuditEntity::Resident)
                .iter()
                .any(|e| e.entity_id == record.id.0 && e.action == AuditAction::End),
            "{}",
            t.backend
        );
        assert!(
            log(AuditEntity::RoleGrant)
                .iter()
                .any(|e| e.action == AuditAction::Revoke),
            "{}",
            t.backend
        );
    });
}

#[test]
fn party_oversight_sees_residents_phones_masked_in_the_audit_log_too() {
    on_each_backend_with_demo(t0(), |t| {
        let state = seeded(t);
        let manager = sign_in(&state, "hexiu", t0()).caller;
        let admin = sign_in(&state, "admin", t0()).caller;
        // 木林, Xi'an street Party working committee.
        let party = sign_in(&state, "13800000005", t0()).caller;
        let Some(Scope::Household(household)) = sign_in(&state, "13800000001", t0())
            .caller
            .grant
            .map(|g| g.scope)
        else {
            panic!("the demo resident acts for a household");
        };
        let mut conn = state.db.conn().expect("conn");
        let resident = estates::add_resident(
            &mut conn,
            &manager,
            household,
            "张三",
            "13912340001",
            "owner",
            t0(),
        )
        .expect("resident");
        let mut phone_seen_by = |who: &Caller| {
            audit::entries(
                &mut conn,
                who,
                &AuditFilter {
                    entity: Some(AuditEntity::Resident),
                    ..AuditFilter::default()
                },
            )
            .expect("audit log")
            .entries
            .into_iter()
            .find(|e| e.entity_id == resident.0)
            .expect("the new resident's entry")
            .changes
            .into_iter()
            .find(|c| c.field == "phone")
            .and_then(|c| c.after)
        };
        assert_eq!(
            phone_seen_by(&party).as_deref(),
            Some("139****0001"),
            "{}",
            t.backend
        );
        assert_eq!(
            phone_seen_by(&admin).as_deref(),
            Some("13912340001"),
            "{}",
            t.backend
        );
    });
}

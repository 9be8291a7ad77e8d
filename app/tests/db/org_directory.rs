//! The organisation tree and the public directory, on both databases.

use crate::support::{on_each_backend, on_each_backend_with_demo};
use app::api::AppError;
use app::db::{DatabaseTarget, Db, DbError, write_tx};
use app::domain::Lang;
use app::domain::org::{CompanyId, PartyOrganizationKind};
use app::services::{directory, seed};
use diesel::RunQueryDsl;

/// When the demo is seeded for these tests.
fn t0() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
        .and_then(|d| d.and_hms_opt(2, 0, 0))
        .expect("valid")
}

#[test]
fn migrations_run_once() {
    on_each_backend(|t| {
        assert!(
            t.db.migrate().expect("second run").is_empty(),
            "{}",
            t.backend
        );
    });
}

#[test]
fn an_empty_database_has_an_empty_directory() {
    on_each_backend(|t| {
        let d = directory::company_directory(&mut t.db.conn().expect("conn")).expect("directory");
        assert!(d.streets.is_empty(), "{}", t.backend);
        assert_eq!(d.company_count(), 0);
    });
}

#[test]
fn the_demo_seed_builds_gucheng_district_and_is_idempotent() {
    on_each_backend(|t| {
        let first = seed::seed_demo(&t.db, t0()).expect("seed");
        let second = seed::seed_demo(&t.db, t0()).expect("seed again");
        assert_eq!(first, second, "{}", t.backend);

        let d = directory::company_directory(&mut t.db.conn().expect("conn")).expect("directory");
        assert_eq!(d.district.zh, "古城区");
        let streets: Vec<&str> = d.streets.iter().map(|s| s.name.zh.as_str()).collect();
        assert_eq!(
            streets,
            [
                "大研街道",
                "束河街道",
                "西安街道",
                "祥和街道",
                "金山街道",
                "开南街道",
                "文化街道"
            ],
            "{}",
            t.backend
        );
        assert_eq!(d.company_count(), 21, "{}", t.backend);
        let xian = d
            .streets
            .iter()
            .find(|s| s.name.zh == "西安街道")
            .expect("西安街道");
        // Ordered by founding date: Wenhui's was the first.
        assert_eq!(xian.companies[0].name.zh, "文汇社区城市服务公司");
        assert_eq!(
            xian.companies[0].community.get(Lang::En),
            "Wenhui Community"
        );
    });
}

#[test]
fn a_company_profile_shows_both_signboards() {
    on_each_backend_with_demo(t0(), |t| {
        let d = directory::company_directory(&mut t.db.conn().expect("conn")).expect("directory");
        let wenhui = d
            .streets
            .iter()
            .flat_map(|s| &s.companies)
            .find(|c| c.name.zh == "文汇社区城市服务公司")
            .expect("Wenhui company");
        let profile = directory::company_profile(&mut t.db.conn().expect("conn"), wenhui.id)
            .expect("profile");
        let party = profile.party_organization.expect("party signboard");
        assert_eq!(party.name.zh, "文汇社区党总支", "{}", t.backend);
        assert_eq!(party.kind, PartyOrganizationKind::CommunityGeneralBranch);
        assert_eq!(profile.street.zh, "西安街道");
    });
}

#[test]
fn an_unknown_company_is_not_found() {
    on_each_backend(|t| {
        assert_eq!(
            directory::company_profile(&mut t.db.conn().expect("conn"), CompanyId(999_999)),
            Err(AppError::NotFound),
            "{}",
            t.backend
        );
    });
}

#[test]
fn a_closed_company_leaves_the_directory() {
    on_each_backend_with_demo(t0(), |t| {
        let mut conn = t.db.conn().expect("conn");
        diesel::sql_query(
            "UPDATE companies SET closed_at = CURRENT_TIMESTAMP WHERE name = '福慧社区城市服务公司'",
        )
        .execute(&mut *conn)
        .expect("close company");
        let d = directory::company_directory(&mut t.db.conn().expect("conn")).expect("directory");
        assert_eq!(d.company_count(), 20, "{}", t.backend);
    });
}

#[test]
fn foreign_keys_are_enforced() {
    on_each_backend(|t| {
        let mut conn = t.db.conn().expect("conn");
        let orphan = diesel::sql_query(
            "INSERT INTO companies (community_id, name, name_en, founded_on) \
             VALUES (424242, 'orphan', '', '2024-01-01')",
        )
        .execute(&mut *conn);
        assert!(orphan.is_err(), "{}: orphan company accepted", t.backend);
    });
}

#[test]
fn a_failed_write_transaction_changes_nothing() {
    on_each_backend(|t| {
        let mut conn = t.db.conn().expect("conn");
        let result: Result<(), DbError> = write_tx(&mut conn, |conn| {
            diesel::sql_query("INSERT INTO districts (name, name_en) VALUES ('测试区', 'Test')")
                .execute(conn)?;
            Err(DbError::NotFound)
        });
        assert!(result.is_err());
        drop(conn);
        let d = directory::company_directory(&mut t.db.conn().expect("conn")).expect("directory");
        assert!(
            d.district.zh.is_empty(),
            "{}: the insert survived",
            t.backend
        );
        // And the connection is usable for a following transaction.
        let mut conn = t.db.conn().expect("conn");
        write_tx(&mut conn, |conn| {
            diesel::sql_query("INSERT INTO districts (name, name_en) VALUES ('测试区', 'Test')")
                .execute(conn)
                .map_err(DbError::from)
        })
        .expect("second transaction");
    });
}

#[test]
fn an_unwritable_data_dir_is_reported() {
    let dir = crate::support::tempdir::tempdir().expect("temp dir");
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"").expect("write file");
    let target = DatabaseTarget::from_config(None, &file.join("data")).expect("target");
    assert!(matches!(
        Db::connect(&target),
        Err(DbError::DataDirUnwritable { .. })
    ));
}

#[test]
fn an_unreachable_postgres_server_is_reported() {
    let target = DatabaseTarget::Postgres("postgres://nobody:pw@127.0.0.1:1/none".into());
    match Db::connect(&target) {
        Err(e @ DbError::Unreachable { .. }) => assert!(!e.to_string().contains("pw@")),
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

//! Mail through the outbox, sent to a real SMTP server on 127.0.0.1 and read
//! back; on both databases.

use crate::support::smtp::SmtpServer;
use crate::support::{TestDb, on_each_backend_with_demo};
use app::db::{DbError, write_tx};
use app::domain::Money;
use app::domain::access::PersonId;
use app::domain::mail::{MailCategory, MailContent, RetryPolicy};
use app::services::mail::{MailConfig, MailTransport, MailWorker, Notification, enqueue};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

const SITE: &str = "http://127.0.0.1:3000";

fn t0() -> NaiveDateTime {
    chrono::DateTime::from_timestamp(1_795_000_000, 0)
        .expect("valid")
        .naive_utc()
}

fn bill(fen: i64) -> MailContent {
    MailContent::BillIssued {
        month: "2026-11".into(),
        total: Money::from_fen(fen),
        due: NaiveDate::from_ymd_opt(2026, 12, 15).expect("date"),
    }
}

/// A demo person by phone, given an address and a language.
fn person(t: &TestDb, phone: &str, email: &str, lang: &str) -> PersonId {
    use app::db::schema::persons;
    let mut conn = t.db.conn().expect("conn");
    let id: i64 = persons::table
        .filter(persons::phone.eq(phone))
        .select(persons::id)
        .first(&mut conn)
        .expect("demo person");
    diesel::update(persons::table.find(id))
        .set((persons::email.eq(email), persons::lang.eq(lang)))
        .execute(&mut conn)
        .expect("update");
    PersonId(id)
}

fn worker(t: &TestDb, transport: MailTransport) -> MailWorker {
    let mut config =
        MailConfig::new(transport, "红业 <noreply@hongye.example>", SITE).expect("config");
    config.retry = RetryPolicy {
        base: Duration::seconds(10),
        cap: Duration::minutes(5),
        max_attempts: 3,
    };
    MailWorker {
        db: t.db.clone(),
        config,
        clock: app::services::clock::Clock::Fixed(t0()),
    }
}

fn smtp(server: &SmtpServer) -> MailTransport {
    MailTransport::from_config(Some(&server.url()), std::env::temp_dir()).expect("smtp transport")
}

fn queue(t: &TestDb, n: &Notification) -> Option<i64> {
    let mut conn = t.db.conn().expect("conn");
    write_tx(&mut conn, |conn| enqueue(conn, SITE, n, t0())).expect("enqueue")
}

fn status_counts(t: &TestDb) -> Vec<(String, i64)> {
    use app::db::schema::outbox;
    let mut conn = t.db.conn().expect("conn");
    outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count(outbox::id)))
        .order(outbox::status)
        .load(&mut conn)
        .expect("counts")
}

#[test]
fn a_bill_reaches_the_right_person_in_their_language_with_the_amount() {
    on_each_backend_with_demo(t0(), |t| {
        let Some(server) = SmtpServer::start() else {
            return;
        };
        let zh = person(t, "13800000001", "meihua@example.cn", "zh-CN");
        let en = person(t, "13800000007", "yangli@example.com", "en");
        queue(
            t,
            &Notification {
                person: zh,
                company: None,
                content: bill(23_456),
            },
        )
        .expect("queued");
        queue(
            t,
            &Notification {
                person: en,
                company: None,
                content: bill(10_000),
            },
        )
        .expect("queued");

        let pass = worker(t, smtp(&server)).run_once(t0()).expect("pass");
        assert_eq!(pass.sent, 2, "{}", t.backend);
        let received = server.received();
        let to_zh = received
            .iter()
            .find(|m| m.to == ["meihua@example.cn"])
            .expect("zh mail");
        assert!(
            to_zh.subject.contains("¥234.56") && to_zh.subject.contains("账单"),
            "{}",
            to_zh.subject
        );
        assert!(
            to_zh.text.contains("和美华") && to_zh.text.contains("2026年12月15日"),
            "{}",
            to_zh.text
        );
        assert!(to_zh.html.contains("¥234.56"));
        let to_en = received
            .iter()
            .find(|m| m.to == ["yangli@example.com"])
            .expect("en mail");
        assert_eq!(to_en.subject, "Your bill for 2026-11: ¥100.00");
        assert!(to_en.text.contains("15 December 2026"), "{}", to_en.text);
        // Bills cannot be turned off, so they carry no unsubscribe link.
        assert!(!to_en.text.contains("unsubscribe"));
        assert_eq!(status_counts(t), vec![("sent".to_owned(), 2)]);
    });
}

#[test]
fn an_smtp_outage_loses_nothing_and_sends_nothing_twice() {
    on_each_backend_with_demo(t0(), |t| {
        let Some(mut server) = SmtpServer::start() else {
            return;
        };
        let who = person(t, "13800000001", "meihua@example.cn", "zh-CN");
        let w = worker(t, smtp(&server));
        server.stop();
        for i in 0..10 {
            queue(
                t,
                &Notification {
                    person: who,
                    company: None,
                    content: bill(100 + i),
                },
            )
            .expect("queued");
        }
        let down = w.run_once(t0()).expect("pass");
        assert_eq!((down.sent, down.retrying), (0, 10), "{}", t.backend);
        // Not due yet: nothing is tried before the backoff has passed.
        assert_eq!(
            w.run_once(t0() + Duration::seconds(5))
                .expect("pass")
                .retrying,
            0
        );

        server.resume();
        let up = w.run_once(t0() + Duration::minutes(1)).expect("pass");
        assert_eq!(up.sent, 10);
        assert_eq!(
            w.run_once(t0() + Duration::hours(1)).expect("pass"),
            Default::default()
        );

        let received = server.received();
        assert_eq!(received.len(), 10, "{}", t.backend);
        let mut ids: Vec<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 10, "each mail exactly once");
        let mut amounts: Vec<String> = received.iter().map(|m| m.subject.clone()).collect();
        amounts.sort();
        assert!(amounts.iter().any(|s| s.contains("¥1.09")));
    });
}

#[test]
fn a_change_that_rolls_back_sends_no_mail() {
    on_each_backend_with_demo(t0(), |t| {
        let Some(server) = SmtpServer::start() else {
            return;
        };
        let who = person(t, "13800000001", "meihua@example.cn", "zh-CN");
        let mut conn = t.db.conn().expect("conn");
        let result: Result<(), app::api::AppError> = write_tx(&mut conn, |conn| {
            enqueue(
                conn,
                SITE,
                &Notification {
                    person: who,
                    company: None,
                    content: bill(500),
                },
                t0(),
            )?;
            // The change that caused the mail fails afterwards.
            Err(app::api::AppError::from(DbError::NotFound))
        });
        assert!(result.is_err());
        assert_eq!(
            worker(t, smtp(&server)).run_once(t0()).expect("pass").sent,
            0
        );
        assert!(server.received().is_empty(), "{}", t.backend);
        assert!(status_counts(t).is_empty());
    });
}

#[test]
fn after_the_last_try_a_mail_is_failed_with_its_error_until_retried() {
    on_each_backend_with_demo(t0(), |t| {
        let Some(mut server) = SmtpServer::start() else {
            return;
        };
        let who = person(t, "13800000001", "meihua@example.cn", "zh-CN");
        let id = queue(
            t,
            &Notification {
                person: who,
                company: None,
                content: bill(700),
            },
        )
        .expect("queued");
        let w = worker(t, smtp(&server));
        server.stop();
        let mut at = t0();
        for _ in 0..3 {
            w.run_once(at).expect("pass");
            at += Duration::minutes(10);
        }
        assert_eq!(
            status_counts(t),
            vec![("failed".to_owned(), 1)],
            "{}",
            t.backend
        );
        let mut conn = t.db.conn().expect("conn");
        let row = app::db::mail::mail(&mut conn, id).expect("row");
        assert_eq!(row.attempts, 3);
        assert!(row.last_error.is_some_and(|e| !e.is_empty()));
        // Failed stays failed until a person retries.
        assert_eq!(w.run_once(at + Duration::days(1)).expect("pass").sent, 0);

        server.resume();
        app::services::mail::retry(&mut conn, id, at).expect("retry");
        assert_eq!(w.run_once(at).expect("pass").sent, 1);
        assert_eq!(server.received().len(), 1);
        // Only failed mails can be retried.
        assert!(app::services::mail::retry(&mut conn, id, at).is_err());
    });
}

#[test]
fn reminders_can_be_turned_off_by_preference_or_by_the_link_but_bills_still_go() {
    on_each_backend_with_demo(t0(), |t| {
        let who = person(t, "13800000001", "meihua@example.cn", "zh-CN");
        let reminder = MailContent::BookingReminder {
            service: "日常保洁".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"),
            time: "09:00".into(),
        };
        let id = queue(
            t,
            &Notification {
                person: who,
                company: None,
                content: reminder.clone(),
            },
        )
        .expect("queued");
        let mut conn = t.db.conn().expect("conn");
        let row = app::db::mail::mail(&mut conn, id).expect("row");
        let line = row
            .body_text
            .lines()
            .find(|l| l.contains("/mail/unsubscribe/"))
            .expect("unsubscribe link in the mail");
        let url = &line[line.find("http").expect("url")..];
        let token = url.split('/').rev().nth(1).expect("token").to_owned();

        app::services::mail::unsubscribe(&mut conn, &token, MailCategory::Reminder)
            .expect("unsubscribe");
        assert_eq!(
            queue(
                t,
                &Notification {
                    person: who,
                    company: None,
                    content: reminder.clone()
                }
            ),
            None
        );
        assert!(
            queue(
                t,
                &Notification {
                    person: who,
                    company: None,
                    content: bill(1)
                }
            )
            .is_some(),
            "{}",
            t.backend
        );
        // A wrong token changes nothing and reveals nothing.
        assert!(
            app::services::mail::unsubscribe(&mut conn, "nope", MailCategory::Announcement)
                .is_err()
        );
        let prefs = app::services::mail::preferences(&mut conn, who).expect("prefs");
        assert!(!prefs.reminders && prefs.announcements);

        // Turned back on from the account page.
        app::services::mail::set_preferences(&mut conn, who, "meihua@example.cn", true, true)
            .expect("save");
        assert!(
            queue(
                t,
                &Notification {
                    person: who,
                    company: None,
                    content: reminder
                }
            )
            .is_some()
        );
        // A bad address is refused and changes nothing.
        assert!(
            app::services::mail::set_preferences(&mut conn, who, "not an address", false, false)
                .is_err()
        );
        assert!(
            app::services::mail::preferences(&mut conn, who)
                .expect("prefs")
                .reminders
        );
    });
}

#[test]
fn without_smtp_mail_is_written_as_eml_files() {
    on_each_backend_with_demo(t0(), |t| {
        let who = person(t, "13800000001", "meihua@example.cn", "zh-CN");
        queue(
            t,
            &Notification {
                person: who,
                company: None,
                content: bill(4_200),
            },
        )
        .expect("queued");
        let dir = crate::support::tempdir::tempdir().expect("dir");
        let folder = dir.path().join("outbox");
        let transport = MailTransport::from_config(None, folder.clone()).expect("files");
        assert_eq!(worker(t, transport).run_once(t0()).expect("pass").sent, 1);
        let files: Vec<_> = std::fs::read_dir(&folder)
            .expect("folder")
            .flatten()
            .collect();
        assert_eq!(files.len(), 1, "{}", t.backend);
        let eml = std::fs::read_to_string(files[0].path()).expect("eml");
        assert!(eml.contains("To: meihua@example.cn"), "{eml}");
        assert!(eml.contains("Message-ID: <outbox-"), "{eml}");
    });
}

#[test]
fn a_person_without_an_address_gets_no_mail_and_nothing_is_queued() {
    on_each_backend_with_demo(t0(), |t| {
        let who = person(t, "13800000001", "", "zh-CN");
        assert_eq!(
            queue(
                t,
                &Notification {
                    person: who,
                    company: None,
                    content: bill(1)
                }
            ),
            None
        );
        assert!(status_counts(t).is_empty(), "{}", t.backend);
    });
}

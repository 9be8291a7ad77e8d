//! Rules at the application's edges that need no database: password
//! hashes, mail texts, translations, error statuses, configuration and the
//! sign-in redirect. They live here, in the one test binary, so that `cargo
//! test` never compiles the whole app a second time for unit tests.

mod passwords {
    use app::services::passwords::{hash, new_session_token, token_hash, verify};

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("玉泉花园2栋301").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(Some(&h), "玉泉花园2栋301"));
        assert!(!verify(Some(&h), "wrong password"));
        assert!(!verify(None, "no such account"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, a_hash) = new_session_token();
        let (b, _) = new_session_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), a_hash);
        assert_ne!(a, a_hash);
    }
}

mod mail_rendering {
    use app::domain::Lang;
    use app::domain::Money;
    use app::domain::mail::MailContent;
    use app::services::mail::render;
    use chrono::NaiveDate;

    fn bill() -> MailContent {
        MailContent::BillIssued {
            month: "2026-11".into(),
            total: Money::from_fen(23_456),
            due: NaiveDate::from_ymd_opt(2026, 12, 15).expect("date"),
        }
    }

    #[test]
    fn a_bill_mail_says_the_amount_in_the_readers_language() {
        let zh = render(&bill(), Lang::Zh, "和美华", "http://x", None);
        assert!(zh.subject.contains("¥234.56"), "{}", zh.subject);
        assert!(zh.text.contains("和美华"));
        let en = render(&bill(), Lang::En, "He Meihua", "http://x", None);
        assert!(
            en.subject.starts_with("Your bill for 2026-11: ¥234.56"),
            "{}",
            en.subject
        );
        assert!(!en.text.contains("退订"));
    }

    #[test]
    fn optional_mails_carry_an_unsubscribe_link_and_html_is_escaped() {
        let reminder = MailContent::BookingReminder {
            service: "<b>保洁</b>".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            time: "09:00".into(),
        };
        let r = render(
            &reminder,
            Lang::Zh,
            "x",
            "http://x",
            Some("http://x/mail/unsubscribe/t/reminders"),
        );
        assert!(r.text.contains("http://x/mail/unsubscribe/t/reminders"));
        assert!(r.html.contains("&lt;b&gt;保洁&lt;/b&gt;"));
        assert!(!r.html.contains("<b>保洁"));
    }

    #[test]
    fn every_kind_renders_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let m = Money::from_fen(100);
        let all = [
            MailContent::BookingConfirmed {
                service: "s".into(),
                date: d,
                time: "9".into(),
                price: m,
                market: m,
            },
            MailContent::BookingScheduled {
                service: "s".into(),
                date: d,
                time: "9".into(),
                staff: "李桂".into(),
            },
            MailContent::BookingReminder {
                service: "s".into(),
                date: d,
                time: "9".into(),
            },
            MailContent::JobDone {
                service: "s".into(),
                date: d,
            },
            bill(),
            MailContent::PaymentReceipt {
                receipt_no: "2026-000001".into(),
                amount: m,
                method: "微信".into(),
                paid_on: d,
            },
            MailContent::ArrearsReminder {
                amount: m,
                since_month: "2026-09".into(),
            },
            MailContent::RegistrationApproved {
                estate: "e".into(),
                household: "h".into(),
            },
            MailContent::RegistrationRejected {
                estate: "e".into(),
                reason: "r".into(),
            },
            MailContent::StatementReady {
                estate: "e".into(),
                month: "2026-11".into(),
            },
            MailContent::StatementDisclosed {
                estate: "e".into(),
                month: "2026-11".into(),
            },
            MailContent::Test,
        ];
        for content in all {
            for lang in [Lang::Zh, Lang::En] {
                let r = render(&content, lang, "n", "http://x", None);
                assert!(
                    !r.subject.is_empty() && !r.subject.contains('{'),
                    "{:?} {}",
                    content,
                    r.subject
                );
                assert!(!r.text.contains('{'), "{}", r.text);
            }
        }
    }
}

mod translations {
    use app::domain::{Lang, Money};
    use app::i18n::{Key, format_date, format_money, text};
    use chrono::NaiveDate;

    #[test]
    fn every_key_has_text_in_both_languages() {
        for key in Key::ALL {
            for lang in [Lang::Zh, Lang::En] {
                assert!(
                    !text(lang, key).is_empty(),
                    "{} is empty in {}",
                    key.name(),
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn placeholders_are_the_same_in_both_languages() {
        fn placeholders(s: &str) -> Vec<&str> {
            let mut found: Vec<&str> = s
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        }
        for key in Key::ALL {
            if key == Key::FormatDate {
                continue; // Chinese uses the month number, English its name.
            }
            assert_eq!(
                placeholders(text(Lang::Zh, key)),
                placeholders(text(Lang::En, key)),
                "{}",
                key.name()
            );
        }
    }

    #[test]
    fn dates_and_money_follow_the_language() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 7).expect("valid date");
        assert_eq!(format_date(Lang::Zh, date), "2026年11月7日");
        assert_eq!(format_date(Lang::En, date), "7 November 2026");
        let money = Money::from_fen(123_456);
        assert_eq!(format_money(Lang::Zh, money), "¥1,234.56");
        assert_eq!(format_money(Lang::En, money), "¥1,234.56");
    }
}

mod errors {
    use app::api::AppError;
    use app::i18n::Key;

    #[test]
    fn every_error_has_a_client_or_server_status() {
        for error in [
            AppError::NotFound,
            AppError::Forbidden,
            AppError::Unauthenticated,
            AppError::BadCredentials,
            AppError::Throttled,
            AppError::PasswordChangeRequired,
            AppError::invalid("name", Key::ErrorInternal),
            AppError::Conflict(Key::ErrorInternal),
            AppError::Unavailable,
            AppError::Internal,
            AppError::Request("x".into()),
        ] {
            assert!((400..600).contains(&error.status()), "{error:?}");
        }
    }
}

mod database_config {
    use app::db::{DatabaseTarget, DbError};
    use std::path::{Path, PathBuf};

    #[test]
    fn no_url_means_a_sqlite_file_in_the_data_dir() {
        let target = DatabaseTarget::from_config(None, Path::new("/srv/hongye")).expect("valid");
        assert_eq!(
            target,
            DatabaseTarget::Sqlite(PathBuf::from("/srv/hongye/hongye.db"))
        );
    }

    #[test]
    fn postgres_urls_choose_postgres_and_hide_the_password() {
        let target = DatabaseTarget::from_config(
            Some("postgres://hy:secret@127.0.0.1/hongye"),
            Path::new("data"),
        )
        .expect("valid");
        assert_eq!(target.backend(), "postgres");
        assert!(!target.describe().contains("secret"));
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            DatabaseTarget::from_config(Some("mysql://x"), Path::new("data")),
            Err(DbError::BadUrl(_))
        ));
    }
}

mod sign_in_redirect {
    use app::ui::components::safe_next;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next("/households/2"), Some("/households/2".into()));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil"), None);
        assert_eq!(app::api::encode_component("/a?b=c&d"), "/a%3Fb%3Dc%26d");
    }
}

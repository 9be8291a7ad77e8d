//! Mail: what each notification says (typed, so a bill mail cannot be sent
//! without its amount), which mails a person may turn off, the outbox states
//! and the retry schedule. Rendering into text lives in `services::mail`.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::Money;

/// Whether a person may turn a mail off. Bills, receipts and anything about
/// their money or their account always go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MailCategory {
    Essential,
    Reminder,
    Announcement,
}

impl MailCategory {
    pub fn code(self) -> &'static str {
        match self {
            MailCategory::Essential => "essential",
            MailCategory::Reminder => "reminders",
            MailCategory::Announcement => "announcements",
        }
    }

    pub fn from_code(code: &str) -> Option<MailCategory> {
        [
            MailCategory::Essential,
            MailCategory::Reminder,
            MailCategory::Announcement,
        ]
        .into_iter()
        .find(|c| c.code() == code)
    }
}

/// Every notification the system sends, with what it needs to say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailContent {
    BookingConfirmed {
        service: String,
        date: NaiveDate,
        time: String,
        price: Money,
        market: Money,
    },
    BookingScheduled {
        service: String,
        date: NaiveDate,
        time: String,
        staff: String,
    },
    BookingReminder {
        service: String,
        date: NaiveDate,
        time: String,
    },
    JobDone {
        service: String,
        date: NaiveDate,
    },
    BillIssued {
        month: String,
        total: Money,
        due: NaiveDate,
    },
    PaymentReceipt {
        receipt_no: String,
        amount: Money,
        method: String,
        paid_on: NaiveDate,
    },
    ArrearsReminder {
        amount: Money,
        since_month: String,
    },
    RegistrationApproved {
        estate: String,
        household: String,
    },
    RegistrationRejected {
        estate: String,
        reason: String,
    },
    StatementReady {
        estate: String,
        month: String,
    },
    StatementDisclosed {
        estate: String,
        month: String,
    },
    /// Sent from the outbox page to check the mail settings.
    Test,
}

impl MailContent {
    pub fn kind(&self) -> &'static str {
        match self {
            MailContent::BookingConfirmed { .. } => "booking_confirmed",
            MailContent::BookingScheduled { .. } => "booking_scheduled",
            MailContent::BookingReminder { .. } => "booking_reminder",
            MailContent::JobDone { .. } => "job_done",
            MailContent::BillIssued { .. } => "bill_issued",
            MailContent::PaymentReceipt { .. } => "payment_receipt",
            MailContent::ArrearsReminder { .. } => "arrears_reminder",
            MailContent::RegistrationApproved { .. } => "registration_approved",
            MailContent::RegistrationRejected { .. } => "registration_rejected",
            MailContent::StatementReady { .. } => "statement_ready",
            MailContent::StatementDisclosed { .. } => "statement_disclosed",
            MailContent::Test => "test",
        }
    }

    /// The reminder the day before and the request to rate finished work may be
    /// turned off; everything about money, bookings made and accounts may not.
    /// An arrears reminder is part of the escalation the Civil Code allows, so
    /// it is not optional either.
    pub fn category(&self) -> MailCategory {
        match self {
            MailContent::BookingReminder { .. } => MailCategory::Reminder,
            MailContent::JobDone { .. } | MailContent::StatementDisclosed { .. } => {
                MailCategory::Announcement
            }
            _ => MailCategory::Essential,
        }
    }
}

/// Where a queued mail is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MailStatus {
    Pending,
    Sending,
    Sent,
    Failed,
}

impl MailStatus {
    pub const ALL: [MailStatus; 4] = [
        MailStatus::Pending,
        MailStatus::Sending,
        MailStatus::Sent,
        MailStatus::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<MailStatus> {
        MailStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How often and how soon a failed send is tried again: the delay doubles
/// from `base` up to `cap`; after `max_attempts` tries the mail is failed and
/// waits for a person to press retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub cap: Duration,
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::seconds(30),
            cap: Duration::hours(2),
            max_attempts: 10,
        }
    }
}

impl RetryPolicy {
    /// After the `attempts`-th failed try: when to try again, or `None` to give up.
    pub fn next_attempt(&self, attempts: u32, now: NaiveDateTime) -> Option<NaiveDateTime> {
        if attempts >= self.max_attempts {
            return None;
        }
        let factor = 1i32
            .checked_shl(attempts.saturating_sub(1))
            .unwrap_or(i32::MAX);
        let delay = self
            .base
            .checked_mul(factor)
            .map_or(self.cap, |d| d.min(self.cap));
        Some(now + delay)
    }
}

/// One queued mail as the outbox page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: i64,
    /// UTC.
    pub created_at: NaiveDateTime,
    pub to_address: String,
    pub subject: String,
    pub kind: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
}

/// A person's own mail settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailPreferences {
    pub email: Option<String>,
    pub reminders: bool,
    pub announcements: bool,
}

/// A plausible address: something@domain.tld, no spaces, at most 254 bytes.
pub fn parse_email(input: &str) -> Option<String> {
    let s = input.trim();
    let (local, domain) = s.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
        && s.len() <= 254
        && !domain.contains('@');
    ok.then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bills_and_receipts_cannot_be_turned_off() {
        let bill = MailContent::BillIssued {
            month: "2026-11".into(),
            total: Money::from_fen(12_345),
            due: NaiveDate::from_ymd_opt(2026, 12, 15).expect("date"),
        };
        assert_eq!(bill.category(), MailCategory::Essential);
        let reminder = MailContent::BookingReminder {
            service: "保洁".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            time: "09:00".into(),
        };
        assert_eq!(reminder.category(), MailCategory::Reminder);
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(
            parse_email(" he.xiu@wenhui.cn "),
            Some("he.xiu@wenhui.cn".into())
        );
        for bad in [
            "", "no-at", "a@b", "a b@c.cn", "a@.cn", "<a@b.cn>", "a@b@c.cn",
        ] {
            assert_eq!(parse_email(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn retries_wait_longer_each_time_up_to_the_cap_then_stop(attempts in 1u32..40) {
            let p = RetryPolicy::default();
            let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("t").naive_utc();
            match p.next_attempt(attempts, now) {
                Some(at) => {
                    prop_assert!(attempts < p.max_attempts);
                    prop_assert!(at > now && at - now <= p.cap);
                    if let Some(next) = p.next_attempt(attempts + 1, now) {
                        prop_assert!(next >= at);
                    }
                }
                None => prop_assert!(attempts >= p.max_attempts),
            }
        }
    }
}

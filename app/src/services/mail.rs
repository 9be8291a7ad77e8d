//! Mail through an outbox. [`enqueue`] renders a notification in the
//! recipient's language and writes it to the outbox inside the caller's
//! transaction, so a change that rolls back sends nothing. [`MailWorker`] sends
//! what is due, retrying with backoff; an SMTP outage delays mail, loses none
//! and, since a mail is claimed before it is sent and marked sent right after,
//! sends none twice.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport};

use crate::db::{Db, DbConn, accounts, mail as db};
use crate::domain::access::{Caller, PersonId, Role, Scope};
use crate::domain::mail::{
    MailCategory, MailContent, MailPreferences, MailStatus, OutboxEntry, RetryPolicy, parse_email,
};
use crate::domain::org::CompanyId;
use crate::error::AppError;
use crate::i18n::{Key, Lang, fill, format_date, format_money, text};

/// How mail leaves: an SMTP relay, or .eml files in a folder when no relay is
/// configured (a local run shows what would be sent).
#[derive(Clone)]
pub enum MailTransport {
    Smtp(SmtpTransport),
    Files(PathBuf),
}

impl std::fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MailTransport::Smtp(_) => f.write_str("MailTransport::Smtp"),
            MailTransport::Files(dir) => write!(f, "MailTransport::Files({})", dir.display()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("the SMTP address is not understood: {0}")]
    SmtpUrl(String),
    #[error("the sender address is not understood: {0}")]
    Sender(String),
    #[error("the mail folder {path} cannot be created: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl MailTransport {
    /// `smtp://` or `smtps://` URL (lettre's form: user, password, host, port,
    /// `?tls=required`), or none for files under `folder`.
    pub fn from_config(smtp_url: Option<&str>, folder: PathBuf) -> Result<Self, MailConfigError> {
        match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => SmtpTransport::from_url(url)
                .map(|b| {
                    MailTransport::Smtp(b.timeout(Some(std::time::Duration::from_secs(20))).build())
                })
                .map_err(|e| MailConfigError::SmtpUrl(e.to_string())),
            None => {
                std::fs::create_dir_all(&folder).map_err(|source| MailConfigError::Folder {
                    path: folder.clone(),
                    source,
                })?;
                Ok(MailTransport::Files(folder))
            }
        }
    }

    fn send(&self, message: &Message) -> Result<(), String> {
        match self {
            MailTransport::Smtp(smtp) => smtp.send(message).map(|_| ()).map_err(|e| e.to_string()),
            MailTransport::Files(dir) => lettre::FileTransport::new(dir)
                .send(message)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        }
    }
}

/// Everything mail needs besides the database.
#[derive(Clone, Debug)]
pub struct MailConfig {
    pub transport: MailTransport,
    pub from: Mailbox,
    /// The site's address, for links in mails: "https://hongye.example".
    pub site_url: String,
    pub retry: RetryPolicy,
}

impl MailConfig {
    pub fn new(
        transport: MailTransport,
        from: &str,
        site_url: &str,
    ) -> Result<Self, MailConfigError> {
        Ok(MailConfig {
            transport,
            from: from
                .parse()
                .map_err(|_| MailConfigError::Sender(from.to_owned()))?,
            site_url: site_url.trim_end_matches('/').to_owned(),
            retry: RetryPolicy::default(),
        })
    }
}

/// A notification rendered for one reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The subject and body of a notification in `lang`, with the sign-in link and,
/// for mails that may be turned off, the unsubscribe link.
pub fn render(
    content: &MailContent,
    lang: Lang,
    name: &str,
    site_url: &str,
    unsubscribe_url: Option<&str>,
) -> RenderedMail {
    let t = |k| text(lang, k);
    let money = |m| format_money(lang, m);
    let date = |d| format_date(lang, d);
    let (subject, body) = match content {
        MailContent::BookingConfirmed {
            service,
            date: d,
            time,
            price,
            market,
        } => {
            let args = [
                ("service", service.as_str()),
                ("date", &date(*d)),
                ("time", time),
                ("price", &money(*price)),
                ("market", &money(*market)),
            ];
            (
                fill(t(Key::MailBookingConfirmedSubject), &args),
                fill(t(Key::MailBookingConfirmedBody), &args),
            )
        }
        MailContent::BookingScheduled {
            service,
            date: d,
            time,
            staff,
        } => {
            let args = [
                ("service", service.as_str()),
                ("date", &date(*d)),
                ("time", time),
                ("staff", staff),
            ];
            (
                fill(t(Key::MailBookingScheduledSubject), &args),
                fill(t(Key::MailBookingScheduledBody), &args),
            )
        }
        MailContent::BookingReminder {
            service,
            date: d,
            time,
        } => {
            let args = [
                ("service", service.as_str()),
                ("date", &date(*d)),
                ("time", time),
            ];
            (
                fill(t(Key::MailBookingReminderSubject), &args),
                fill(t(Key::MailBookingReminderBody), &args),
            )
        }
        MailContent::JobDone { service, date: d } => {
            let args = [("service", service.as_str()), ("date", &date(*d))];
            (
                fill(t(Key::MailJobDoneSubject), &args),
                fill(t(Key::MailJobDoneBody), &args),
            )
        }
        MailContent::BillIssued { month, total, due } => {
            let args = [
                ("month", month.as_str()),
                ("total", &money(*total)),
                ("due", &date(*due)),
            ];
            (
                fill(t(Key::MailBillIssuedSubject), &args),
                fill(t(Key::MailBillIssuedBody), &args),
            )
        }
        MailContent::PaymentReceipt {
            receipt_no,
            amount,
            method,
            paid_on,
        } => {
            let args = [
                ("receipt", receipt_no.as_str()),
                ("amount", &money(*amount)),
                ("method", method),
                ("date", &date(*paid_on)),
            ];
            (
                fill(t(Key::MailPaymentReceiptSubject), &args),
                fill(t(Key::MailPaymentReceiptBody), &args),
            )
        }
        MailContent::ArrearsReminder {
            amount,
            since_month,
        } => {
            let args = [("amount", money(*amount)), ("since", since_month.clone())];
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            (
                fill(t(Key::MailArrearsReminderSubject), &args),
                fill(t(Key::MailArrearsReminderBody), &args),
            )
        }
        MailContent::RegistrationApproved { estate, household } => {
            let args = [("estate", estate.as_str()), ("household", household)];
            (
                fill(t(Key::MailRegistrationApprovedSubject), &args),
                fill(t(Key::MailRegistrationApprovedBody), &args),
            )
        }
        MailContent::RegistrationRejected { estate, reason } => {
            let args = [("estate", estate.as_str()), ("reason", reason)];
            (
                fill(t(Key::MailRegistrationRejectedSubject), &args),
                fill(t(Key::MailRegistrationRejectedBody), &args),
            )
        }
        MailContent::StatementReady { estate, month } => {
            let args = [("estate", estate.as_str()), ("month", month)];
            (
                fill(t(Key::MailStatementReadySubject), &args),
                fill(t(Key::MailStatementReadyBody), &args),
            )
        }
        MailContent::StatementDisclosed { estate, month } => {
            let args = [("estate", estate.as_str()), ("month", month)];
            (
                fill(t(Key::MailStatementDisclosedSubject), &args),
                fill(t(Key::MailStatementDisclosedBody), &args),
            )
        }
        MailContent::Test => (
            t(Key::MailTestSubject).to_owned(),
            t(Key::MailTestBody).to_owned(),
        ),
    };
    let greeting = fill(t(Key::MailGreeting), &[("name", name)]);
    let login_url = format!("{site_url}/login");
    let view = fill(t(Key::MailView), &[("url", &login_url)]);
    let footer = t(Key::MailFooter);
    let unsubscribe = unsubscribe_url.map(|url| fill(t(Key::MailUnsubscribe), &[("url", url)]));

    let mut text_parts = vec![
        greeting.clone(),
        body.clone(),
        view.clone(),
        footer.to_owned(),
    ];
    text_parts.extend(unsubscribe.clone());
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif\"><p>{}</p><p>{}</p><p><a href=\"{}\">{}</a></p><p style=\"color:#666\">{}</p>",
        lang.tag(),
        escape(&greeting),
        escape(&body),
        escape(&login_url),
        escape(&view),
        escape(footer),
    );
    if let (Some(url), Some(line)) = (unsubscribe_url, &unsubscribe) {
        html.push_str(&format!(
            "<p style=\"color:#666\"><a href=\"{}\">{}</a></p>",
            escape(url),
            escape(line)
        ));
    }
    html.push_str("</body></html>");
    RenderedMail {
        subject,
        text: text_parts.join("\n\n"),
        html,
    }
}

/// A notification for a person, about a company's work (for its outbox).
pub struct Notification {
    pub person: PersonId,
    pub company: Option<CompanyId>,
    pub content: MailContent,
}

/// Queues a notification to a person inside the caller's transaction. Nothing
/// is queued (`Ok(None)`) when the person has no email address or has turned
/// this kind of mail off.
pub fn enqueue(
    conn: &mut DbConn,
    site_url: &str,
    n: &Notification,
    now: NaiveDateTime,
) -> Result<Option<i64>, AppError> {
    let person = accounts::person(conn, n.person.0)?;
    let Some(address) = person.email.as_deref().and_then(parse_email) else {
        return Ok(None);
    };
    let category = n.content.category();
    let wanted = match category {
        MailCategory::Essential => true,
        MailCategory::Reminder => person.mail_reminders,
        MailCategory::Announcement => person.mail_announcements,
    };
    if !wanted {
        return Ok(None);
    }
    let unsubscribe_url = if category == MailCategory::Essential {
        None
    } else {
        let token = match person.unsubscribe_token.clone() {
            Some(t) => t,
            None => {
                let (token, _) = super::passwords::new_session_token();
                db::set_unsubscribe_token(conn, person.id, &token)?;
                token
            }
        };
        Some(format!(
            "{site_url}/mail/unsubscribe/{token}/{}",
            category.code()
        ))
    };
    let lang = Lang::from_tag(&person.lang).unwrap_or_default();
    let rendered = render(
        &n.content,
        lang,
        &person.name,
        site_url,
        unsubscribe_url.as_deref(),
    );
    let id = db::insert(
        conn,
        &db::NewMail {
            created_at: now,
            person_id: Some(person.id),
            company_id: n.company.map(|c| c.0),
            to_address: &address,
            kind: n.content.kind(),
            essential: category == MailCategory::Essential,
            subject: &rendered.subject,
            body_text: &rendered.text,
            body_html: &rendered.html,
        },
    )?;
    Ok(Some(id))
}

/// Queues an essential mail to someone who may have no account yet (a
/// resident whose self-registration was decided), inside the caller's
/// transaction. Optional kinds need a person's preferences, so they go
/// through [`enqueue`].
pub fn enqueue_to_address(
    conn: &mut DbConn,
    site_url: &str,
    to: &Recipient<'_>,
    company: Option<CompanyId>,
    content: &MailContent,
    now: NaiveDateTime,
) -> Result<Option<i64>, AppError> {
    let Some(address) = parse_email(to.address) else {
        return Ok(None);
    };
    if content.category() != MailCategory::Essential {
        return Ok(None);
    }
    let rendered = render(content, to.lang, to.name, site_url, None);
    let id = db::insert(
        conn,
        &db::NewMail {
            created_at: now,
            person_id: to.person.map(|p| p.0),
            company_id: company.map(|c| c.0),
            to_address: &address,
            kind: content.kind(),
            essential: true,
            subject: &rendered.subject,
            body_text: &rendered.text,
            body_html: &rendered.html,
        },
    )?;
    Ok(Some(id))
}

/// Who a mail to an address goes to.
pub struct Recipient<'a> {
    pub person: Option<PersonId>,
    pub name: &'a str,
    pub address: &'a str,
    pub lang: Lang,
}

/// Sends what is due. One per server process; several (on PostgreSQL) share
/// the queue safely because each mail is claimed before it is sent.
#[derive(Clone, Debug)]
pub struct MailWorker {
    pub db: Db,
    pub config: MailConfig,
    pub clock: super::clock::Clock,
}

/// What one pass of the worker did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MailPass {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl MailWorker {
    /// Sends every due mail once; returns what happened.
    pub fn run_once(&self, now: NaiveDateTime) -> Result<MailPass, AppError> {
        self.pass(now, &super::Stopping::default())
    }

    /// One pass, ending early (after the mail being sent) once the server
    /// is stopping.
    fn pass(&self, now: NaiveDateTime, stopping: &super::Stopping) -> Result<MailPass, AppError> {
        let mut conn = self.db.conn()?;
        db::release_stale(&mut conn, now - chrono::Duration::minutes(10))?;
        let mut pass = MailPass::default();
        for id in db::due(&mut conn, now, 50)? {
            if stopping.requested() {
                break;
            }
            let Some(row) = db::claim(&mut conn, id, now)? else {
                continue;
            };
            let result = self
                .message(&row)
                .and_then(|m| self.config.transport.send(&m));
            match result {
                Ok(()) => {
                    db::mark_sent(&mut conn, id, now)?;
                    pass.sent += 1;
                }
                Err(error) => {
                    let attempts = u32::try_from(row.attempts + 1).unwrap_or(u32::MAX);
                    let retry_at = self.config.retry.next_attempt(attempts, now);
                    tracing::warn!(mail = id, attempts, %error, "mail not sent");
                    db::mark_failed_attempt(&mut conn, id, &error, retry_at, now)?;
                    if retry_at.is_some() {
                        pass.retrying += 1;
                    } else {
                        pass.failed += 1;
                    }
                }
            }
        }
        Ok(pass)
    }

    fn message(&self, row: &db::MailRow) -> Result<Message, String> {
        let to: Mailbox = row
            .to_address
            .parse()
            .map_err(|e| format!("bad address: {e}"))?;
        let host = self
            .config
            .site_url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .unwrap_or("hongye.local");
        let mut builder = Message::builder()
            .from(self.config.from.clone())
            .to(to)
            .subject(row.subject.clone())
            // One id per outbox row: a receiving system can tell a repeat.
            .message_id(Some(format!("<outbox-{}@{host}>", row.id)));
        if !row.essential {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".to_owned(),
            ));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                row.body_text.clone(),
                row.body_html.clone(),
            ))
            .map_err(|e| e.to_string())
    }

    /// Runs on its own thread, a pass every `every`, until the server stops:
    /// the mail being sent then is finished, and the thread ends.
    pub fn spawn(
        self,
        every: std::time::Duration,
        heartbeats: super::Heartbeats,
        stopping: super::Stopping,
    ) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || {
            while !stopping.requested() {
                match self.pass(self.clock.now(), &stopping) {
                    Ok(_) => heartbeats.mail_pass(),
                    Err(e) => tracing::warn!(error = %e, "mail pass failed"),
                }
                stopping.sleep(every);
            }
            tracing::info!("mail worker stopped");
        })
    }
}

fn entry(row: db::MailRow) -> Option<OutboxEntry> {
    Some(OutboxEntry {
        id: row.id,
        created_at: row.created_at,
        to_address: row.to_address,
        subject: row.subject,
        kind: row.kind,
        status: MailStatus::from_code(&row.status)?,
        attempts: row.attempts,
        last_error: row.last_error,
        sent_at: row.sent_at,
    })
}

/// The outbox's state for monitoring: mails waiting to go out, failed for
/// good, and how long the oldest unsent one has waited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backlog {
    pub waiting: i64,
    pub failed: i64,
    pub oldest_waiting_seconds: i64,
}

pub fn backlog(conn: &mut DbConn, now: NaiveDateTime) -> Result<Backlog, AppError> {
    let (waiting, failed, oldest) = db::backlog(conn)?;
    Ok(Backlog {
        waiting,
        failed,
        oldest_waiting_seconds: oldest.map_or(0, |at| (now - at).num_seconds().max(0)),
    })
}

/// The outbox as the caller may see it: an administrator everything, a
/// manager their company's mails.
pub fn outbox(
    conn: &mut DbConn,
    caller: &Caller,
    status: Option<MailStatus>,
) -> Result<Vec<OutboxEntry>, AppError> {
    let company = match caller.grant.as_ref().map(|g| (g.role, g.scope)) {
        Some((Role::Admin, _)) => None,
        Some((Role::Manager, Scope::Company(c))) => Some(c.0),
        _ => return Err(AppError::Forbidden),
    };
    Ok(db::list(conn, company, status.map(MailStatus::code), 200)?
        .into_iter()
        .filter_map(entry)
        .collect())
}

/// The company a queued mail is about, for authorizing a retry.
pub fn mail_company(conn: &mut DbConn, id: i64) -> Result<Option<CompanyId>, AppError> {
    Ok(db::mail(conn, id)?.company_id.map(CompanyId))
}

pub fn retry(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), AppError> {
    if db::retry(conn, id, now)? == 0 {
        return Err(AppError::Conflict(Key::OutboxErrorNotFailed));
    }
    Ok(())
}

/// A test mail to the caller's own address.
pub fn send_test(
    conn: &mut DbConn,
    site_url: &str,
    caller: &Caller,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let company = match caller.grant.as_ref().map(|g| g.scope) {
        Some(Scope::Company(c)) => Some(c),
        _ => None,
    };
    let queued = enqueue(
        conn,
        site_url,
        &Notification {
            person: caller.person,
            company,
            content: MailContent::Test,
        },
        now,
    )?;
    queued
        .map(|_| ())
        .ok_or(AppError::Conflict(Key::OutboxErrorNoEmail))
}

pub fn preferences(conn: &mut DbConn, person: PersonId) -> Result<MailPreferences, AppError> {
    let p = accounts::person(conn, person.0)?;
    Ok(MailPreferences {
        email: p.email,
        reminders: p.mail_reminders,
        announcements: p.mail_announcements,
    })
}

pub fn set_preferences(
    conn: &mut DbConn,
    person: PersonId,
    email: &str,
    reminders: bool,
    announcements: bool,
) -> Result<(), AppError> {
    let email = match email.trim() {
        "" => None,
        e => Some(parse_email(e).ok_or(AppError::invalid("email", Key::PeopleErrorEmail))?),
    };
    db::set_preferences(conn, person.0, email.as_deref(), reminders, announcements)?;
    Ok(())
}

/// Turns a kind of mail off from the link in a mail; the token is the
/// authority, so it works without signing in.
pub fn unsubscribe(conn: &mut DbConn, token: &str, category: MailCategory) -> Result<(), AppError> {
    let reminders = match category {
        MailCategory::Reminder => true,
        MailCategory::Announcement => false,
        MailCategory::Essential => return Err(AppError::NotFound),
    };
    let person = db::person_by_unsubscribe_token(conn, token)?.ok_or(AppError::NotFound)?;
    db::turn_off(conn, person, reminders)?;
    Ok(())
}

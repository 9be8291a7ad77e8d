//! Mail: the outbox page, one's own mail settings, and unsubscribing.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::mail::{MailPreferences, OutboxEntry};
#[cfg(feature = "ssr")]
use crate::services::access::Target;

/// Managers (their company's mails) and administrators (all): the outbox,
/// optionally one status ("pending", "sent", "failed"...).
#[server(endpoint = "mail/list_outbox")]
pub async fn list_outbox(status: String) -> Result<Vec<OutboxEntry>, AppError> {
    crate::api::authorized(Action::ManageOutbox, Target::OwnScope, move |a| {
        let caller = a.caller()?;
        let status = crate::domain::mail::MailStatus::from_code(&status);
        crate::services::mail::outbox(a.conn, caller, status)
    })
    .await
}

/// Puts a failed mail back in the queue.
#[server(endpoint = "mail/retry_mail")]
pub async fn retry_mail(id: i64) -> Result<(), AppError> {
    crate::api::authorized_with(
        Action::ManageOutbox,
        move |conn| {
            Ok(match crate::services::mail::mail_company(conn, id)? {
                Some(company) => Target::Company(company),
                None => {
                    let district =
                        crate::db::org::home_district(conn)?.ok_or(AppError::NotFound)?;
                    Target::District(crate::domain::org::DistrictId(district.id))
                }
            })
        },
        move |a| crate::services::mail::retry(a.conn, id, a.now),
    )
    .await
}

/// Queues a test mail to the caller's own address.
#[server(endpoint = "mail/send_test_mail")]
pub async fn send_test_mail() -> Result<(), AppError> {
    crate::api::authorized(Action::ManageOutbox, Target::OwnScope, |a| {
        let caller = a.caller()?;
        let site = a.state.site_url.clone();
        crate::db::write_tx(a.conn, |conn| {
            crate::services::mail::send_test(conn, &site, caller, a.now)
        })
    })
    .await
}

/// Signed in: one's own address and which optional mails to receive.
#[server(endpoint = "mail/get_preferences")]
pub async fn get_mail_preferences() -> Result<MailPreferences, AppError> {
    crate::api::authorized(Action::UseOwnAccount, Target::OwnAccount, |a| {
        let caller = a.caller()?;
        crate::services::mail::preferences(a.conn, caller.person)
    })
    .await
}

#[server(endpoint = "mail/set_preferences")]
pub async fn set_mail_preferences(
    email: String,
    #[server(default)] reminders: Option<String>,
    #[server(default)] announcements: Option<String>,
) -> Result<(), AppError> {
    crate::api::authorized(Action::UseOwnAccount, Target::OwnAccount, move |a| {
        let caller = a.caller()?;
        crate::services::mail::set_preferences(
            a.conn,
            caller.person,
            &email,
            reminders.is_some(),
            announcements.is_some(),
        )
    })
    .await
}

/// Public: the token from a mail's link is the authority.
#[server(endpoint = "mail/unsubscribe")]
pub async fn unsubscribe(token: String, category: String) -> Result<(), AppError> {
    crate::api::authorized(Action::ViewDirectory, Target::Public, move |a| {
        let category =
            crate::domain::mail::MailCategory::from_code(&category).ok_or(AppError::NotFound)?;
        crate::services::mail::unsubscribe(a.conn, &token, category)
    })
    .await
}

//! The two signboards: the roster and its posts.

use leptos::prelude::*;

use crate::api::AppError;
#[cfg(feature = "ssr")]
use crate::domain::access::Action;
use crate::domain::roster::Roster;
#[cfg(feature = "ssr")]
use crate::services::access::Target;

/// Managers, Party oversight and administrators: the roster of their scope.
#[server(endpoint = "roster/get_roster")]
pub async fn get_roster() -> Result<Roster, AppError> {
    crate::api::authorized(Action::ViewRoster, Target::OwnScope, |a| {
        let caller = a.caller()?;
        let today = crate::domain::time::china_date(a.now);
        crate::services::roster::roster(a.conn, caller, today)
    })
    .await
}

/// Records a post on a signboard ("company:5" or "party:3") in the caller's scope.
#[server(endpoint = "roster/add_post")]
pub async fn add_post(
    person: i64,
    signboard: String,
    title: String,
    starts_on: String,
) -> Result<(), AppError> {
    use crate::domain::access::PersonId;
    use crate::domain::roster::Signboard;
    use crate::i18n::Key;
    let parsed = Signboard::parse(&signboard);
    let target = parsed.map_or(Target::OwnScope, crate::services::roster::signboard_target);
    crate::api::authorized(Action::ManagePosts, target, move |a| {
        let caller = a.caller()?;
        let signboard = parsed.ok_or(AppError::invalid("signboard", Key::RosterErrorSignboard))?;
        let starts_on = parse_date(&starts_on, "starts_on")?;
        crate::services::roster::add_post(
            a.conn,
            caller,
            PersonId(person),
            signboard,
            &title,
            starts_on,
            a.now,
        )?;
        Ok(())
    })
    .await
}

/// Ends a post on its last day; the post stays on the roster as history.
#[server(endpoint = "roster/end_post")]
pub async fn end_post(post: i64, ends_on: String) -> Result<(), AppError> {
    use crate::domain::access::PostId;
    crate::api::authorized_with(
        Action::ManagePosts,
        move |conn| {
            let signboard = crate::services::roster::post_signboard(conn, PostId(post))?;
            Ok(crate::services::roster::signboard_target(signboard))
        },
        move |a| {
            let caller = a.caller()?;
            let ends_on = parse_date(&ends_on, "ends_on")?;
            crate::services::roster::end_post(a.conn, caller, PostId(post), ends_on, a.now)
        },
    )
    .await
}

#[cfg(feature = "ssr")]
fn parse_date(text: &str, field: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, crate::i18n::Key::RosterErrorDate))
}

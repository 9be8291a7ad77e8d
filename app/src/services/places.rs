//! The pages of the places people belong to: a company's workplace.
//! Callers have been authorized for the place already.

use crate::db::{DbConn, estates, roster};
use crate::domain::estates::CompanyWorkplace;
use crate::domain::org::CompanyId;
use crate::error::AppError;

pub fn workplace(
    conn: &mut DbConn,
    id: CompanyId,
    can_see_orders: bool,
    now: chrono::NaiveDateTime,
) -> Result<CompanyWorkplace, AppError> {
    let profile = super::directory::company_profile(conn, id)?;
    let own = estates::open_estates(conn)?
        .into_iter()
        .filter(|e| e.company_id == Some(id.0))
        .collect();
    let estates = super::estates::listings(conn, own)?;
    let party = profile.party_organization.as_ref().map(|p| p.id.0);
    let today = crate::domain::time::china_date(now);
    let team: std::collections::BTreeSet<i64> =
        roster::posts_on(conn, &[id.0], &party.into_iter().collect::<Vec<_>>())?
            .into_iter()
            .filter(|p| p.starts_on <= today && p.ends_on.is_none_or(|e| today <= e))
            .map(|p| p.person_id)
            .collect();
    Ok(CompanyWorkplace {
        profile,
        estates,
        team_size: u32::try_from(team.len()).unwrap_or(u32::MAX),
        can_see_orders,
    })
}

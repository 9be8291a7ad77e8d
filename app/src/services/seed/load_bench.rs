//! The load benchmark's writers (`hongye bench load`): residents of the demo
//! company's estates, each with an account of their own, who book
//! housekeeping while the read load runs, and the households with bills
//! the cashier takes payments from; plus the checks afterwards that nothing
//! was lost (every booking answered "booked" is there, once) and that the
//! receipt numbers have no gap.

use diesel::prelude::*;

use crate::db::schema::{
    buildings, companies, estates, households, payments, persons, role_grants, services,
    work_orders,
};
use crate::db::{DbConn, DbError, accounts, write_tx};

const COMPANY: &str = "文汇社区城市服务公司";
const DEMO_RESIDENT: &str = "13800000001";

/// Who writes during the load.
#[derive(Debug, Clone)]
pub struct LoadWriters {
    /// (login, household) of residents who book; their password is the
    /// demo's.
    pub residents: Vec<(String, i64)>,
    /// The company's housekeeping service they book.
    pub housekeeping: i64,
    /// Households with a bill, for the cashier's payments.
    pub payers: Vec<i64>,
}

/// Gives `n` households of the demo company that have no resident account
/// one each (logins 13910000000, 13910000001, …), sharing the demo
/// resident's password hash so that no hashing is timed.
pub fn build_load_writers(conn: &mut DbConn, n: usize) -> Result<LoadWriters, DbError> {
    write_tx(conn, |conn| {
        let company: i64 = companies::table
            .filter(companies::name.eq(COMPANY))
            .select(companies::id)
            .first(conn)?;
        let hash: String = persons::table
            .filter(persons::phone.eq(DEMO_RESIDENT))
            .select(persons::password_hash)
            .first(conn)?;
        let housekeeping: i64 = services::table
            .filter(services::company_id.eq(company))
            .filter(services::category.eq("housekeeping"))
            .filter(services::retired_at.is_null())
            .order(services::id)
            .select(services::id)
            .first(conn)?;
        let with_account = role_grants::table
            .filter(role_grants::household_id.is_not_null())
            .select(role_grants::household_id.assume_not_null());
        let free: Vec<i64> = households::table
            .inner_join(buildings::table.inner_join(estates::table))
            .filter(estates::company_id.eq(company))
            .filter(households::id.ne_all(with_account))
            .order(households::id)
            .select(households::id)
            .limit(i64::try_from(n).unwrap_or(i64::MAX))
            .load(conn)?;
        let mut residents = Vec::with_capacity(free.len());
        for (i, household) in free.into_iter().enumerate() {
            let login = format!("139{:08}", 10_000_000 + i);
            let person = accounts::insert_person(
                conn,
                &accounts::NewPerson {
                    name: &format!("住户{i}"),
                    phone: Some(&login),
                    username: None,
                    email: None,
                    password_hash: &hash,
                    must_change_password: false,
                },
            )?;
            accounts::insert_grant(
                conn,
                person,
                "resident",
                accounts::GrantScope {
                    household_id: Some(household),
                    ..accounts::GrantScope::default()
                },
            )?;
            residents.push((login, household));
        }
        // Households that owe something: a payment for a paid-up one is
        // refused ("nothing owed"), which tests nothing.
        let mut payers: Vec<i64> = crate::db::billing::standings(conn, None, Some(company), None)?
            .iter()
            .filter(|s| s.outstanding_fen() > 0)
            .map(|s| s.bill.household_id)
            .collect();
        payers.sort_unstable();
        payers.dedup();
        Ok(LoadWriters {
            residents,
            housekeeping,
            payers,
        })
    })
}

/// Orders booked with each of these form tokens (0 or 1 each, since a token
/// books once).
pub fn orders_with_tokens(conn: &mut DbConn, tokens: &[String]) -> Result<usize, DbError> {
    let found: i64 = work_orders::table
        .filter(work_orders::form_token.eq_any(tokens))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(found).unwrap_or(0))
}

/// Payments recorded with these form tokens.
pub fn payments_with_tokens(conn: &mut DbConn, tokens: &[String]) -> Result<usize, DbError> {
    let found: i64 = payments::table
        .filter(payments::form_token.eq_any(tokens))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(found).unwrap_or(0))
}

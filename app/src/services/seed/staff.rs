//! Wenhui's staff as the schedule sees them: what each may be sent to, when
//! they work, where they start their day, and one leave next week. Made once,
//! for whoever has no profile yet, so seeding again changes nothing.
//!
//! The hours are chosen around the demo's orders (see `orders`), which are
//! laid relative to the day the seed runs, whatever weekday that is: the
//! cleaners with a day off or short hours hold only plan visits, which fall
//! on fixed weekdays inside those hours; whoever holds housekeeping orders
//! works every day long enough for them; the leave lies on days none of
//! that person's orders reach. 李桂 works every day 08:00–18:00, so his
//! mornings stay free for the browser tests.

use chrono::{Duration, NaiveDateTime};

use super::orders::{
    HE_LIQIONG, HE_XIU, HE_YULAN, LI_GUI, LI_XIUYING, MU_CHUNHUA, YANG_JIANHUA, wenhui_estates,
};
use super::{WENHUI_COMPANY, company_named};
use crate::db::{DbConn, DbError, estates, orders as orders_db, schedule as db};
use crate::domain::schedule::week_start;
use crate::domain::time::china_date;

/// Working hours Monday first, in minutes after midnight; `None` is a day off.
type Week = [Option<(u32, u32)>; 7];

const fn every_day(start: u32, end: u32) -> Week {
    [Some((start, end)); 7]
}

const H: u32 = 60;

struct ProfileSpec {
    phone: &'static str,
    /// Service category codes.
    skills: &'static [&'static str],
    hours: Week,
    /// Index into `WENHUI_ESTATES`.
    home: usize,
    /// Days off next week (0 = Monday, both included) and why.
    leave: Option<(i64, i64, &'static str)>,
}

const PROFILES: &[ProfileSpec] = &[
    // The cleaner of the e2e tests: every day, mornings free of orders.
    ProfileSpec {
        phone: LI_GUI,
        skills: &["cleaning", "housekeeping"],
        hours: every_day(8 * H, 18 * H),
        home: 0,
        leave: None,
    },
    // Stair wells at 玉泉花园 and 象山小区's common areas, Monday to
    // Saturday mornings; Sundays off.
    ProfileSpec {
        phone: HE_LIQIONG,
        skills: &["cleaning", "housekeeping"],
        hours: [
            Some((8 * H, 17 * H)),
            Some((8 * H, 17 * H)),
            Some((8 * H, 17 * H)),
            Some((8 * H, 17 * H)),
            Some((8 * H, 17 * H)),
            Some((8 * H, 17 * H)),
            None,
        ],
        home: 0,
        leave: None,
    },
    // Part time, stair wells only: 文华苑 and 象山小区 from 08:00 until
    // 14:00, Monday to Saturday.
    ProfileSpec {
        phone: MU_CHUNHUA,
        skills: &["cleaning"],
        hours: [
            Some((8 * H, 14 * H)),
            Some((8 * H, 14 * H)),
            Some((8 * H, 14 * H)),
            Some((8 * H, 14 * H)),
            Some((8 * H, 14 * H)),
            Some((8 * H, 14 * H)),
            None,
        ],
        home: 1,
        leave: None,
    },
    // The handyman: repairs, appliance cleaning and estate rounds; weekend
    // mornings on call.
    ProfileSpec {
        phone: YANG_JIANHUA,
        skills: &["repair", "housekeeping", "estate_management"],
        hours: [
            Some((8 * H, 18 * H)),
            Some((8 * H, 18 * H)),
            Some((8 * H, 18 * H)),
            Some((8 * H, 18 * H)),
            Some((8 * H, 18 * H)),
            Some((9 * H, 13 * H)),
            Some((9 * H, 13 * H)),
        ],
        home: 2,
        leave: None,
    },
    // Housekeeper, every day; away next Thursday and Friday.
    ProfileSpec {
        phone: HE_YULAN,
        skills: &["housekeeping", "cleaning"],
        hours: every_day(8 * H, 18 * H),
        home: 2,
        leave: Some((3, 4, "回老家参加亲戚婚礼")),
    },
    // Housekeeper, every day from 09:00 (takes her grandson to school).
    ProfileSpec {
        phone: LI_XIUYING,
        skills: &["housekeeping"],
        hours: every_day(9 * H, 18 * H),
        home: 1,
        leave: None,
    },
];

/// Wenhui's staff profiles and the leave, for those who have no profile yet,
/// set by 和秀. Returns how many profiles were made.
pub(super) fn seed_profiles(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, DbError> {
    let Some(company) = company_named(conn, WENHUI_COMPANY)? else {
        return Ok(0);
    };
    let Some(he_xiu) = estates::person_by_phone(conn, HE_XIU)? else {
        return Ok(0);
    };
    let described = db::profiles(conn, company)?;
    let staff: Vec<i64> = orders_db::company_staff(conn, company)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let homes = wenhui_estates(conn, company)?;
    let next_monday = week_start(china_date(now)) + Duration::days(7);
    let mut made = 0;
    for spec in PROFILES {
        let Some(person) = estates::person_by_phone(conn, spec.phone)? else {
            continue;
        };
        if described.contains_key(&person) || !staff.contains(&person) {
            continue;
        }
        let row = db::ProfileRow {
            home_estate_id: homes.get(spec.home).copied().flatten(),
            skills: spec.skills.iter().map(|s| (*s).to_owned()).collect(),
            hours: (1..)
                .zip(spec.hours)
                .filter_map(|(day, h)| h.map(|(s, e)| (day, i64::from(s), i64::from(e))))
                .collect(),
        };
        db::save_profile(conn, company, person, &row, he_xiu, now)?;
        made += 1;
        if let Some((first, last, note)) = spec.leave {
            db::insert_leave(
                conn,
                company,
                person,
                next_monday + Duration::days(first),
                next_monday + Duration::days(last),
                note,
                he_xiu,
                now,
            )?;
        }
    }
    Ok(made)
}

/// Staff profiles of every company.
pub(super) fn count_profiles(conn: &mut DbConn) -> Result<usize, DbError> {
    use crate::db::schema::staff_profiles;
    use diesel::prelude::*;
    let n: i64 = staff_profiles::table.count().get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

//! Wenhui community's volunteer pool and its first months of service: 赵志远,
//! a Party member working at the district housing bureau who lives in 文华苑
//! and reported to the community (双报到), with his own login; 杨丽, a
//! resident of 玉泉花园 working at the district hospital, likewise; a few
//! completed tasks laid around the moment the seed runs (one of them last
//! year, so "this year" and "all time" differ on the board), and one request
//! waiting in the queue. Idempotent: nothing is added once 赵志远 exists.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::DemoHash;
use crate::db::accounts::{self, GrantScope, NewPerson};
use crate::db::{DbConn, estates, volunteers as db};
use crate::domain::time::{from_china, to_china};
use crate::error::AppError;

/// The demo volunteer with a login.
pub(super) const ZHAO_ZHIYUAN: (&str, &str) = ("赵志远", "13800000009");
/// A resident of 玉泉花园 (an account of the main demo) who volunteers too.
const YANG_LI: &str = "13800000007";
const HE_MEIHUA: &str = "13800000001";
const LI_DONGMEI: &str = "13800000008";

/// 5 March, Learn-from-Lei-Feng day, and 1 July, the Party's birthday: the
/// days the two reported to the community.
const ZHAO_REPORTED: NaiveDate = match NaiveDate::from_ymd_opt(2024, 3, 5) {
    Some(d) => d,
    None => panic!("bad demo date"),
};
const YANG_REPORTED: NaiveDate = match NaiveDate::from_ymd_opt(2024, 7, 1) {
    Some(d) => d,
    None => panic!("bad demo date"),
};

/// Whose household a seeded task is for.
#[derive(Clone, Copy)]
enum For {
    HeMeihua,
    LiDongmei,
    /// A 文华苑 household whose residents have no account (ordered by phone).
    Wenhua,
}

/// Who served a seeded task.
#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Zhao,
    Yang,
}

struct DoneTask {
    household: For,
    kind: &'static str,
    /// Days before the seed runs.
    days_ago: i64,
    /// Local start and end hour of the window.
    hours: (u32, u32),
    note: &'static str,
    by: By,
    minutes: i64,
    outcome: &'static str,
}

const DONE: &[DoneTask] = &[
    DoneTask {
        household: For::LiDongmei,
        kind: "elder_care",
        days_ago: 400,
        hours: (14, 17),
        note: "老伴住院，家里老人一个人，想有人陪着说说话。",
        by: By::Zhao,
        minutes: 180,
        outcome: "陪老人聊天、下象棋，帮忙整理了药盒。",
    },
    DoneTask {
        household: For::HeMeihua,
        kind: "elder_care",
        days_ago: 40,
        hours: (9, 11),
        note: "母亲八十多岁，想请人陪她去古城走走。",
        by: By::Zhao,
        minutes: 120,
        outcome: "陪老人在古城散步，回家量了血压，一切正常。",
    },
    DoneTask {
        household: For::LiDongmei,
        kind: "meals",
        days_ago: 12,
        hours: (11, 13),
        note: "腿脚不便，这周想请人帮忙送两次午饭。",
        by: By::Yang,
        minutes: 90,
        outcome: "从社区食堂送了午饭，顺便检查了燃气阀门。",
    },
    DoneTask {
        household: For::Wenhua,
        kind: "tutoring",
        days_ago: 5,
        hours: (19, 21),
        note: "孩子上初二，数学跟不上，家长都在外地打工。",
        by: By::Zhao,
        minutes: 90,
        outcome: "讲了一元一次方程，留了练习题，下周再来。",
    },
    DoneTask {
        household: For::HeMeihua,
        kind: "meals",
        days_ago: 3,
        hours: (11, 12),
        note: "我出差两天，请帮忙给母亲送一顿午饭。",
        by: By::Yang,
        minutes: 60,
        outcome: "送了午饭，陪老人吃完才走。",
    },
];

/// The demo's volunteers and their tasks, once.
pub(super) fn seed_volunteers(
    conn: &mut DbConn,
    hash: &mut DemoHash,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let (name, phone) = ZHAO_ZHIYUAN;
    if accounts::login_taken(conn, Some(phone), None)? {
        return Ok(());
    }
    let open = estates::open_estates(conn)?;
    let estate_named = |name: &str| open.iter().find(|e| e.name == name);
    let (Some(wenhua), Some(yuquan)) = (estate_named("文华苑"), estate_named("玉泉花园"))
    else {
        return Ok(());
    };
    let community = wenhua.community_id;
    let occupied = |conn: &mut DbConn, estate: i64| -> Result<Vec<i64>, AppError> {
        Ok(estates::households_of_estate(conn, estate)?
            .into_iter()
            .filter(|h| !h.vacant)
            .map(|h| h.id)
            .collect())
    };
    let wenhua_homes = occupied(conn, wenhua.id)?;
    let yuquan_homes = occupied(conn, yuquan.id)?;
    // 赵志远 at the far end of 文华苑, the neighbour with homework trouble at
    // the near end: away from the households other demo stories use.
    let (Some(&zhao_home), Some(&wenhua_home), Some(&yuquan_home)) = (
        wenhua_homes.last(),
        wenhua_homes.first(),
        yuquan_homes.last(),
    ) else {
        return Ok(());
    };
    let person = |conn: &mut DbConn, phone: &str| -> Result<Option<i64>, AppError> {
        Ok(accounts::person_by_phone(conn, phone)?.map(|p| p.id))
    };
    let home_of = |conn: &mut DbConn, person: i64| -> Result<Option<i64>, AppError> {
        Ok(accounts::live_grants(conn, person)?
            .into_iter()
            .filter(|g| g.role == "resident")
            .find_map(|g| g.household_id))
    };
    let (Some(yang), Some(he_meihua), Some(li_dongmei), Some(party)) = (
        person(conn, YANG_LI)?,
        person(conn, HE_MEIHUA)?,
        person(conn, LI_DONGMEI)?,
        accounts::person_by_username(conn, "hexiu")?.map(|p| p.id),
    ) else {
        return Ok(());
    };
    let (Some(he_home), Some(li_home)) = (home_of(conn, he_meihua)?, home_of(conn, li_dongmei)?)
    else {
        return Ok(());
    };

    // 赵志远: an account, his home, and his report to the community.
    let hash = hash.get()?;
    let zhao = accounts::insert_person(
        conn,
        &NewPerson {
            name,
            phone: Some(phone),
            username: None,
            email: None,
            password_hash: &hash,
            must_change_password: false,
        },
    )?;
    accounts::insert_grant(
        conn,
        zhao,
        "resident",
        GrantScope {
            household_id: Some(zhao_home),
            ..GrantScope::default()
        },
    )?;
    estates::insert_resident(
        conn,
        &estates::NewResident {
            household_id: zhao_home,
            name,
            phone,
            relation: "family",
            person_id: Some(zhao),
            at: now - Duration::days(900),
        },
    )?;
    let registered_at =
        |day: NaiveDate| from_china(day.and_time(NaiveTime::MIN) + Duration::hours(10));
    db::insert_volunteer(
        conn,
        &db::NewVolunteer {
            person_id: zhao,
            community_id: community,
            party_member: true,
            organization: "古城区住房和城乡建设局",
            registered_on: ZHAO_REPORTED,
            registered_by: Some(party),
            at: registered_at(ZHAO_REPORTED).min(now),
        },
        &["elder_care", "tutoring", "other"],
    )?;
    if db::registration(conn, yang, community)?.is_none() {
        db::insert_volunteer(
            conn,
            &db::NewVolunteer {
                person_id: yang,
                community_id: community,
                party_member: true,
                organization: "古城区人民医院",
                registered_on: YANG_REPORTED,
                registered_by: Some(party),
                at: registered_at(YANG_REPORTED).min(now),
            },
            &["elder_care", "meals"],
        )?;
    }

    // Their completed tasks, each with its whole history.
    let today = to_china(now).date();
    for t in DONE {
        let (household, ordered_by) = match t.household {
            For::HeMeihua => (he_home, Some(he_meihua)),
            For::LiDongmei => (li_home, Some(li_dongmei)),
            For::Wenhua => (wenhua_home, None),
        };
        let (volunteer, volunteer_name) = match t.by {
            By::Zhao => (zhao, name),
            By::Yang => (yang, "杨丽"),
        };
        let day = today - Duration::days(t.days_ago);
        let local = |hour: u32| day.and_time(NaiveTime::MIN) + Duration::hours(i64::from(hour));
        let ordered_at = from_china(local(9) - Duration::days(2));
        let (estate, task_community) = db::household_home(conn, household)?;
        let id = db::insert_task(
            conn,
            &db::NewTask {
                community_id: task_community,
                estate_id: estate,
                household_id: household,
                kind: t.kind,
                wished_on: day,
                start_minute: i64::from(t.hours.0) * 60,
                end_minute: i64::from(t.hours.1) * 60,
                note: t.note,
                ordered_by,
                form_token: None,
                at: ordered_at,
            },
        )?;
        let dispatched_at = ordered_at + Duration::hours(2);
        let accepted_at = ordered_at + Duration::hours(3);
        let completed_at = from_china(local(t.hours.1));
        db::insert_event(conn, id, ordered_at, ordered_by, "order", "")?;
        db::dispatch(conn, id, "ordered", volunteer, party, dispatched_at)?;
        db::insert_event(
            conn,
            id,
            dispatched_at,
            Some(party),
            "dispatch",
            volunteer_name,
        )?;
        db::accept(conn, id, volunteer, accepted_at)?;
        db::insert_event(conn, id, accepted_at, Some(volunteer), "accept", "")?;
        db::complete(conn, id, volunteer, t.minutes, t.outcome, completed_at)?;
        db::insert_event(
            conn,
            id,
            completed_at,
            Some(volunteer),
            "complete",
            t.outcome,
        )?;
    }

    // A request waiting for the Party organization: lunch for tomorrow.
    let tomorrow = today + Duration::days(1);
    let waiting_at = now - Duration::hours(1);
    let (estate, task_community) = db::household_home(conn, yuquan_home)?;
    let id = db::insert_task(
        conn,
        &db::NewTask {
            community_id: task_community,
            estate_id: estate,
            household_id: yuquan_home,
            kind: "meals",
            wished_on: tomorrow,
            start_minute: 11 * 60,
            end_minute: 12 * 60 + 30,
            note: "老人做完手术刚出院，行动不便，想请人送一顿午饭。",
            ordered_by: None,
            form_token: None,
            at: waiting_at,
        },
    )?;
    db::insert_event(conn, id, waiting_at, None, "order", "电话点单")?;
    Ok(())
}

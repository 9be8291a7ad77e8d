//! Demo data mirroring the real case: Gucheng district of Lijiang, its 7 streets,
//! and 21 community city service companies, the first of them Wenhui's, which is
//! led by the Wenhui community Party general branch. Idempotent: running it again
//! finds what exists and adds only what is missing.

use chrono::NaiveDate;

use crate::api::AppError;
use crate::db::accounts::{self, GrantScope, NewPerson};
use crate::db::org::{self, NewCompany, NewPartyOrganization};
use crate::db::{Db, DbConn, DbError, estates, roster, write_tx};
use crate::domain::org::PartyOrganizationKind;

/// What the demo holds after seeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    pub streets: usize,
    pub communities: usize,
    pub companies: usize,
    /// Demo accounts present (created now or before).
    pub accounts: usize,
}

struct DemoCommunity {
    name: (&'static str, &'static str),
    party_kind: PartyOrganizationKind,
    founded_on: NaiveDate,
}

struct DemoStreet {
    name: (&'static str, &'static str),
    communities: &'static [DemoCommunity],
}

const fn community(
    zh: &'static str,
    en: &'static str,
    party_kind: PartyOrganizationKind,
    (year, month, day): (i32, u32, u32),
) -> DemoCommunity {
    // Evaluated at compile time: a bad demo date fails the build.
    let founded_on = match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("bad demo date"),
    };
    DemoCommunity {
        name: (zh, en),
        party_kind,
        founded_on,
    }
}

use PartyOrganizationKind::{CommunityBranch, CommunityCommittee, CommunityGeneralBranch};

/// The seven streets of Gucheng district, three communities each; Wenhui
/// (文汇社区) is the case the product is built for. Communities other than those
/// named in the source report are illustrative.
const STREETS: &[DemoStreet] = &[
    DemoStreet {
        name: ("大研街道", "Dayan Street"),
        communities: &[
            community(
                "光义社区",
                "Guangyi Community",
                CommunityGeneralBranch,
                (2021, 3, 8),
            ),
            community("七一社区", "Qiyi Community", CommunityBranch, (2021, 7, 1)),
            community(
                "新义社区",
                "Xinyi Community",
                CommunityBranch,
                (2021, 9, 15),
            ),
        ],
    },
    DemoStreet {
        name: ("束河街道", "Shuhe Street"),
        communities: &[
            community(
                "黄山社区",
                "Huangshan Community",
                CommunityGeneralBranch,
                (2021, 4, 20),
            ),
            community(
                "龙泉社区",
                "Longquan Community",
                CommunityBranch,
                (2021, 6, 10),
            ),
            community(
                "中和社区",
                "Zhonghe Community",
                CommunityBranch,
                (2022, 1, 12),
            ),
        ],
    },
    DemoStreet {
        name: ("西安街道", "Xi'an Street"),
        communities: &[
            community(
                "文汇社区",
                "Wenhui Community",
                CommunityGeneralBranch,
                (2020, 5, 18),
            ),
            community(
                "寨后社区",
                "Zhaihou Community",
                CommunityGeneralBranch,
                (2021, 2, 26),
            ),
            community(
                "金甲社区",
                "Jinjia Community",
                CommunityCommittee,
                (2021, 5, 6),
            ),
        ],
    },
    DemoStreet {
        name: ("祥和街道", "Xianghe Street"),
        communities: &[
            community(
                "祥云社区",
                "Xiangyun Community",
                CommunityBranch,
                (2021, 8, 3),
            ),
            community(
                "东元社区",
                "Dongyuan Community",
                CommunityBranch,
                (2021, 10, 19),
            ),
            community(
                "龙山社区",
                "Longshan Community",
                CommunityGeneralBranch,
                (2022, 3, 1),
            ),
        ],
    },
    DemoStreet {
        name: ("金山街道", "Jinshan Street"),
        communities: &[
            community(
                "新团社区",
                "Xintuan Community",
                CommunityGeneralBranch,
                (2021, 4, 2),
            ),
            community(
                "金山社区",
                "Jinshan Community",
                CommunityBranch,
                (2021, 11, 11),
            ),
            community(
                "忠义社区",
                "Zhongyi Community",
                CommunityBranch,
                (2022, 2, 14),
            ),
        ],
    },
    DemoStreet {
        name: ("开南街道", "Kainan Street"),
        communities: &[
            community(
                "开南社区",
                "Kainan Community",
                CommunityBranch,
                (2021, 6, 28),
            ),
            community(
                "长水社区",
                "Changshui Community",
                CommunityBranch,
                (2021, 12, 6),
            ),
            community(
                "义尚社区",
                "Yishang Community",
                CommunityGeneralBranch,
                (2022, 4, 18),
            ),
        ],
    },
    DemoStreet {
        name: ("文化街道", "Wenhua Street"),
        communities: &[
            community(
                "文化社区",
                "Wenhua Community",
                CommunityGeneralBranch,
                (2021, 5, 25),
            ),
            community(
                "玉缘社区",
                "Yuyuan Community",
                CommunityBranch,
                (2021, 9, 9),
            ),
            community(
                "福慧社区",
                "Fuhui Community",
                CommunityBranch,
                (2022, 5, 20),
            ),
        ],
    },
];

fn party_suffix(kind: PartyOrganizationKind) -> (&'static str, &'static str) {
    match kind {
        PartyOrganizationKind::CommunityBranch => ("党支部", "Party Branch"),
        PartyOrganizationKind::CommunityGeneralBranch => ("党总支", "Party General Branch"),
        PartyOrganizationKind::CommunityCommittee => ("党委", "Party Committee"),
        PartyOrganizationKind::StreetWorkingCommittee => ("党工委", "Party Working Committee"),
    }
}

/// Seeds the demo organisation tree, estates and accounts in one write
/// transaction.
pub fn seed_demo(db: &Db) -> Result<SeedSummary, AppError> {
    let mut conn = db.conn()?;
    write_tx(&mut conn, |conn| {
        let mut summary = seed_org_tree(conn)?;
        seed_people(conn)?;
        summary.accounts = DEMO_ACCOUNTS.len();
        Ok(summary)
    })
}

/// The password of every demo account. Demo only: documented in the README.
pub const DEMO_PASSWORD: &str = "hongye-demo";

/// Where a demo account's role points.
enum DemoScope {
    Household(&'static str, &'static str, &'static str),
    Wenhui,
    Yuquan,
    WenhuiCommunity,
    XianStreet,
    District,
}

struct DemoAccount {
    name: &'static str,
    phone: Option<&'static str>,
    username: Option<&'static str>,
    grants: &'static [(&'static str, DemoScope)],
    /// (on the Party signboard?, title)
    posts: &'static [(bool, &'static str)],
}

/// One of each role, as the README lists them. 和秀 is the case the product is
/// built for: the community Party secretary who is also general manager.
const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        name: "和美华",
        phone: Some("13800000001"),
        username: None,
        grants: &[("resident", DemoScope::Household("2栋", "1单元", "301"))],
        posts: &[],
    },
    DemoAccount {
        name: "杨丽",
        phone: Some("13800000007"),
        username: None,
        grants: &[("resident", DemoScope::Household("2栋", "1单元", "302"))],
        posts: &[],
    },
    DemoAccount {
        name: "和秀",
        phone: Some("13800000002"),
        username: Some("hexiu"),
        grants: &[
            ("manager", DemoScope::Wenhui),
            ("party", DemoScope::WenhuiCommunity),
        ],
        posts: &[(false, "总经理"), (true, "党总支书记")],
    },
    DemoAccount {
        name: "杨春",
        phone: Some("13800000003"),
        username: None,
        grants: &[("committee", DemoScope::Yuquan)],
        posts: &[],
    },
    DemoAccount {
        name: "李桂",
        phone: Some("13800000004"),
        username: None,
        grants: &[("staff", DemoScope::Wenhui)],
        posts: &[(false, "保洁员")],
    },
    DemoAccount {
        name: "王芳",
        phone: Some("13800000006"),
        username: None,
        grants: &[("cashier", DemoScope::Wenhui)],
        posts: &[(false, "收费员"), (true, "党总支委员")],
    },
    DemoAccount {
        name: "木林",
        phone: Some("13800000005"),
        username: None,
        grants: &[("party", DemoScope::XianStreet)],
        posts: &[],
    },
    DemoAccount {
        name: "赵明",
        phone: None,
        username: Some("admin"),
        grants: &[("admin", DemoScope::District)],
        posts: &[],
    },
];

/// 玉泉花园, taken over by the Wenhui company, with a few households; and the
/// demo accounts with their grants and posts. Accounts that exist are left as
/// they are; returns how many were created.
fn seed_people(conn: &mut DbConn) -> Result<usize, AppError> {
    let lookup = |conn: &mut DbConn, name: &str| -> Result<i64, DbError> {
        use crate::db::schema::companies;
        use diesel::prelude::*;
        Ok(companies::table
            .filter(companies::name.eq(name))
            .select(companies::id)
            .first(conn)?)
    };
    let wenhui = lookup(conn, "文汇社区城市服务公司")?;
    let profile = org::company_profile(conn, wenhui)?;
    let party = profile.party.map(|p| p.0);
    let district = org::home_district(conn)?.ok_or(DbError::NotFound)?.id;
    let (community, street) = {
        use crate::db::schema::{communities, companies};
        use diesel::prelude::*;
        companies::table
            .inner_join(communities::table)
            .filter(companies::id.eq(wenhui))
            .select((communities::id, communities::street_id))
            .first::<(i64, i64)>(conn)
            .map_err(DbError::from)?
    };
    let yuquan = estates::ensure_estate(
        conn,
        community,
        Some(wenhui),
        ("玉泉花园", "Yuquan Garden"),
        "丽江市古城区文汇路18号",
    )?;
    let mut households = Vec::new();
    for building in ["1栋", "2栋"] {
        let building_id = estates::ensure_building(conn, yuquan, building)?;
        for unit in ["1单元", "2单元"] {
            for room in ["301", "302"] {
                let id = estates::ensure_household(conn, building_id, unit, room)?;
                households.push(((building, unit, room), id));
            }
        }
    }
    let founded = profile.founded_on;
    let mut created = 0;
    for account in DEMO_ACCOUNTS {
        if accounts::login_taken(conn, account.phone, account.username)? {
            continue;
        }
        let hash = super::passwords::hash(DEMO_PASSWORD)?;
        let person = accounts::insert_person(
            conn,
            &NewPerson {
                name: account.name,
                phone: account.phone,
                username: account.username,
                email: None,
                password_hash: &hash,
                must_change_password: false,
            },
        )?;
        created += 1;
        for (role, scope) in account.grants {
            let mut columns = GrantScope::default();
            match scope {
                DemoScope::Household(b, u, r) => {
                    columns.household_id = households
                        .iter()
                        .find(|((hb, hu, hr), _)| (hb, hu, hr) == (b, u, r))
                        .map(|(_, id)| *id);
                }
                DemoScope::Wenhui => columns.company_id = Some(wenhui),
                DemoScope::Yuquan => columns.estate_id = Some(yuquan),
                DemoScope::WenhuiCommunity => columns.community_id = Some(community),
                DemoScope::XianStreet => columns.street_id = Some(street),
                DemoScope::District => columns.district_id = Some(district),
            }
            accounts::insert_grant(conn, person, role, columns)?;
        }
        for (on_party, title) in account.posts {
            let (company_id, party_organization_id) = if *on_party {
                (None, party)
            } else {
                (Some(wenhui), None)
            };
            roster::insert_post(
                conn,
                &roster::NewPost {
                    person_id: person,
                    company_id,
                    party_organization_id,
                    title,
                    starts_on: founded,
                },
            )?;
        }
    }
    Ok(created)
}

fn seed_org_tree(conn: &mut DbConn) -> Result<SeedSummary, DbError> {
    let district = org::ensure_district(conn, "古城区", "Gucheng District")?;
    let mut summary = SeedSummary {
        streets: 0,
        communities: 0,
        companies: 0,
        accounts: 0,
    };
    for (order, street) in (0..).zip(STREETS) {
        let (street_zh, street_en) = street.name;
        let street_id = org::ensure_street(conn, district, street_zh, street_en, order)?;
        summary.streets += 1;
        let (suffix_zh, suffix_en) = party_suffix(PartyOrganizationKind::StreetWorkingCommittee);
        org::ensure_party_organization(
            conn,
            &NewPartyOrganization {
                kind: PartyOrganizationKind::StreetWorkingCommittee.code(),
                street_id,
                community_id: None,
                name: &format!("{street_zh}{suffix_zh}"),
                name_en: &format!("{street_en} {suffix_en}"),
            },
        )?;
        for c in street.communities {
            let (zh, en) = c.name;
            let community_id = org::ensure_community(conn, street_id, zh, en)?;
            summary.communities += 1;
            let (suffix_zh, suffix_en) = party_suffix(c.party_kind);
            let party_id = org::ensure_party_organization(
                conn,
                &NewPartyOrganization {
                    kind: c.party_kind.code(),
                    street_id,
                    community_id: Some(community_id),
                    name: &format!("{zh}{suffix_zh}"),
                    name_en: &format!("{en} {suffix_en}"),
                },
            )?;
            let place = en.trim_end_matches(" Community");
            org::ensure_company(
                conn,
                &NewCompany {
                    community_id,
                    party_organization_id: Some(party_id),
                    name: &format!("{zh}城市服务公司"),
                    name_en: &format!("{place} Community City Services Co."),
                    founded_on: c.founded_on,
                },
            )?;
            summary.companies += 1;
        }
    }
    Ok(summary)
}

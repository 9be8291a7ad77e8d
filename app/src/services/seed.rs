//! Demo data mirroring the real case: Gucheng district of Lijiang, its 7 streets,
//! and 21 community city service companies, the first of them Wenhui's, which is
//! led by the Wenhui community Party general branch. Idempotent: running it again
//! finds what exists and adds only what is missing.

use chrono::NaiveDate;

use crate::db::org::{self, NewCompany, NewPartyOrganization};
use crate::db::{Db, DbConn, DbError, write_tx};
use crate::domain::org::PartyOrganizationKind;

/// What the demo holds after seeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    pub streets: usize,
    pub communities: usize,
    pub companies: usize,
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

/// Seeds the demo organisation tree in one write transaction.
pub fn seed_demo(db: &Db) -> Result<SeedSummary, DbError> {
    let mut conn = db.conn()?;
    write_tx(&mut conn, seed_org_tree)
}

fn seed_org_tree(conn: &mut DbConn) -> Result<SeedSummary, DbError> {
    let district = org::ensure_district(conn, "古城区", "Gucheng District")?;
    let mut summary = SeedSummary {
        streets: 0,
        communities: 0,
        companies: 0,
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

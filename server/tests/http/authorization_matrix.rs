//! `authorization_matrix`: every server function and every route, called over
//! HTTP through the real router, by every role (and nobody), on a target inside
//! the caller's scope and one outside it. Adding a server function or a page
//! without a row here fails `every_server_function_and_route_is_in_the_table`.

use std::collections::BTreeSet;

use app::db::{DatabaseTarget, Db, accounts as db_accounts, estates, org, roster, write_tx};
use app::domain::access::Role;
use app::services::AppState;
use app::services::clock::Clock;
use app::services::seed::seed_demo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hongye::guard::Site;
use hongye::serve::{ServerState, router};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

/// Who calls: nobody, or a demo account acting in one grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Nobody,
    Resident,
    Staff,
    Manager,
    Cashier,
    Committee,
    /// 和秀 acting for the Wenhui community Party branch.
    PartyCommunity,
    /// 木林, Xi'an street Party working committee.
    PartyStreet,
    Admin,
}

const EVERYONE: &[Who] = &[
    Who::Nobody,
    Who::Resident,
    Who::Staff,
    Who::Manager,
    Who::Cashier,
    Who::Committee,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
const SIGNED_IN: &[Who] = &[
    Who::Resident,
    Who::Staff,
    Who::Manager,
    Who::Cashier,
    Who::Committee,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
const ADMIN: &[Who] = &[Who::Admin];
/// Prices and contracts: the general manager's alone.
const MANAGER_ONLY: &[Who] = &[Who::Manager];
const MANAGER_ADMIN: &[Who] = &[Who::Manager, Who::Admin];
const PARTY_ADMIN: &[Who] = &[Who::PartyCommunity, Who::PartyStreet, Who::Admin];
const MANAGER_PARTY_ADMIN: &[Who] = &[
    Who::Manager,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
const COMPANY_VIEWERS: &[Who] = &[
    Who::Staff,
    Who::Manager,
    Who::Cashier,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
/// A household's work orders: its resident, the company's staff and
/// manager, Party oversight and the administrator (not the cashier, not the
/// committee).
const ORDER_VIEWERS: &[Who] = &[
    Who::Resident,
    Who::Staff,
    Who::Manager,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
/// Who books for a household and acts on its orders: the resident, the
/// company's staff and manager.
const ORDER_ACTORS: &[Who] = &[Who::Resident, Who::Staff, Who::Manager];
/// The company's billing, ledger, arrears and exports.
const BILLING_VIEWERS: &[Who] = &[
    Who::Manager,
    Who::Cashier,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
/// A household's bills, payments and receipts.
const BILL_READERS: &[Who] = &[
    Who::Resident,
    Who::Manager,
    Who::Cashier,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
const CASHIER_MANAGER: &[Who] = &[Who::Manager, Who::Cashier];
/// An estate's monthly accounts: its company's manager, its committee, Party
/// oversight and the administrator.
const ACCOUNTS_VIEWERS: &[Who] = &[
    Who::Manager,
    Who::Committee,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
/// Only the sitting chair queries and signs; only the street Party
/// committee (or another member) gives a second signature.
const CHAIR: &[Who] = &[Who::Committee];
const PARTY_ONLY: &[Who] = &[Who::PartyCommunity, Who::PartyStreet];
const RESIDENT_ONLY: &[Who] = &[Who::Resident];
/// A community's volunteer hours board.
const BOARD_VIEWERS: &[Who] = &[
    Who::Resident,
    Who::Manager,
    Who::Committee,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];
const STREET_PARTY: &[Who] = &[Who::PartyStreet];
const ESTATE_VIEWERS: &[Who] = &[
    Who::Staff,
    Who::Manager,
    Who::Cashier,
    Who::Committee,
    Who::PartyCommunity,
    Who::PartyStreet,
    Who::Admin,
];

impl Who {
    fn role(self) -> Option<Role> {
        Some(match self {
            Who::Nobody => return None,
            Who::Resident => Role::Resident,
            Who::Staff => Role::Staff,
            Who::Manager => Role::Manager,
            Who::Cashier => Role::Cashier,
            Who::Committee => Role::Committee,
            Who::PartyCommunity | Who::PartyStreet => Role::Party,
            Who::Admin => Role::Admin,
        })
    }

    /// (login, role) of the demo account and grant.
    fn account(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Who::Nobody => return None,
            Who::Resident => ("13800000001", "resident"),
            Who::Staff => ("13800000004", "staff"),
            Who::Manager => ("hexiu", "manager"),
            Who::Cashier => ("13800000006", "cashier"),
            Who::Committee => ("13800000003", "committee"),
            Who::PartyCommunity => ("hexiu", "party"),
            Who::PartyStreet => ("13800000005", "party"),
            Who::Admin => ("admin", "admin"),
        })
    }
}

/// Ids of things inside the demo's scopes (Wenhui, 玉泉花园, Xi'an street,
/// Gucheng district) and of their twins in another district no demo account
/// reaches.
#[derive(Debug, Clone)]
struct Fixture {
    household: i64,
    neighbour_household: i64,
    estate: i64,
    company: i64,
    street: i64,
    post: i64,
    throwaway_person: i64,
    grant_in: i64,
    other_household: i64,
    other_estate: i64,
    other_company: i64,
    other_street: i64,
    other_post: i64,
    grant_out: i64,
    /// A failed mail about Wenhui, and one about the other district's company.
    mail: i64,
    other_mail: i64,
    building: i64,
    other_building: i64,
    resident: i64,
    other_resident: i64,
    committee: i64,
    other_committee: i64,
    registration: i64,
    other_registration: i64,
    service: i64,
    other_service: i64,
    contract: i64,
    other_contract: i64,
    line: i64,
    other_line: i64,
    /// Work orders: the resident's, scheduled to 李桂 (the staff caller);
    /// the neighbours', scheduled to another cleaner; the resident's, under
    /// way with 李桂; one in the other district.
    own_job: i64,
    neighbours_job: i64,
    job_under_way: i64,
    other_order: i64,
    /// An open complaint about Wenhui (the resident's, about `own_job`), and
    /// one about the other district's company.
    complaint: i64,
    other_complaint: i64,
    /// A running cleaning plan of Wenhui, and one of the other company.
    plan: i64,
    other_plan: i64,
    /// A payment by the resident's household, and one in the other district.
    payment: i64,
    other_payment: i64,
    /// 玉泉花园's disclosed September statement, and one in the other district.
    statement: i64,
    other_statement: i64,
    /// A Wenhui expense charged to 玉泉花园, and one in the other district.
    expense: i64,
    other_expense: i64,
    /// The communities of `estate` and `other_estate`.
    community: i64,
    other_community: i64,
    /// A decision concerning 玉泉花园 (seeded), and one in the other district.
    decision: i64,
    other_decision: i64,
    /// A volunteer task ordered for the resident's household, and one in the
    /// other district; 赵志远's registration, and one in the other district.
    volunteer_task: i64,
    other_volunteer_task: i64,
    volunteer: i64,
    other_volunteer: i64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    In,
    Out,
}

/// One row: a server function (POST) or a page (GET), the body or path for a
/// target in and out of scope, and who is allowed in scope. Out of scope
/// nobody is allowed, except where `out_allowed` says.
struct Row {
    endpoint: &'static str,
    kind: Kind,
    request: fn(&Fixture, Side, &Caller) -> String,
    allowed: &'static [Who],
    /// Also allowed out of scope (public things, one's own account).
    out_allowed: &'static [Who],
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    ServerFn,
    Page,
    Route,
}

/// What a row's request builder knows about the caller.
struct Caller {
    own_grant: i64,
    other_persons_grant: i64,
}

fn pick(side: Side, inside: i64, outside: i64) -> i64 {
    match side {
        Side::In => inside,
        Side::Out => outside,
    }
}

fn table() -> Vec<Row> {
    use Kind::*;
    vec![
        // Public.
        Row {
            endpoint: "/api/directory/list_companies",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/api/directory/get_company_profile",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.company, f.other_company)),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/api/accounts/current_session",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/api/accounts/login",
            kind: ServerFn,
            request: |_, _, _| "login=13800000007&password=hongye-demo".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        // One's own account.
        Row {
            endpoint: "/api/accounts/logout",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        Row {
            endpoint: "/api/accounts/change_password",
            kind: ServerFn,
            request: |_, _, _| "current=wrong&new=x&confirm=y".into(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        Row {
            endpoint: "/api/accounts/switch_role",
            kind: ServerFn,
            request: |_, s, c| format!("grant={}", pick(s, c.own_grant, c.other_persons_grant)),
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        // Accounts administration.
        Row {
            endpoint: "/api/accounts/list_people",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/api/accounts/list_scopes",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/api/accounts/create_person",
            kind: ServerFn,
            request: |_, _, _| "name=&phone=&username=&email=".into(),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/api/accounts/reset_password",
            kind: ServerFn,
            request: |f, _, _| format!("person={}", f.throwaway_person),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/api/accounts/set_disabled",
            kind: ServerFn,
            request: |f, _, _| format!("person={}&disabled=false", f.throwaway_person),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/api/accounts/grant_role",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "person={}&role=staff&scope=company%3A{}",
                    f.throwaway_person,
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/accounts/revoke_grant",
            kind: ServerFn,
            request: |f, s, _| format!("grant={}", pick(s, f.grant_in, f.grant_out)),
            allowed: ADMIN,
            out_allowed: &[],
        },
        // Places.
        // Estates, households, committees, imports, self-registration.
        Row {
            endpoint: "/api/estates/get_household",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.household, f.other_household)),
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/get_estate",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.estate, f.other_estate)),
            allowed: ESTATE_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/list_estates",
            kind: ServerFn,
            request: |_, _, _| "street=0&community=0".into(),
            allowed: ESTATE_VIEWERS,
            out_allowed: ESTATE_VIEWERS,
        },
        Row {
            endpoint: "/api/estates/create_estate",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&name=&name_en=&address=&grid_worker=&grid_worker_phone=",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/update_estate",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&name=&name_en=&address=&grid_worker=&grid_worker_phone=",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/record_takeover",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&state_before=bogus&taken_over_on=&interim_agreement=&cleaning=&lighting=&security=&refuse=&greenery=&repairs=&baseline_notes=&files_handed_over=",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/add_building",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&name=&grid_worker=&grid_worker_phone=",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/add_household",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "building={}&unit=&room=&floor_area=",
                    pick(s, f.building, f.other_building)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/update_household",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&floor_area=-1",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/add_resident",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&name=&phone=&relation=owner",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/move_out_resident",
            kind: ServerFn,
            request: |f, s, _| format!("resident={}", pick(s, f.resident, f.other_resident)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/start_committee",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&term_starts_on=&term_ends_on=",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/add_committee_member",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "committee={}&name=&phone=&position=member",
                    pick(s, f.committee, f.other_committee)
                )
            },
            allowed: PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/get_import_page",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}", pick(s, f.estate, f.other_estate)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/preview_import",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    r#"{{"estate":{},"kind":"households","text":""}}"#,
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/commit_import",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    r#"{{"estate":{},"kind":"households","text":""}}"#,
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/get_join_page",
            kind: ServerFn,
            request: |_, _, _| "token=nope".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/api/estates/submit_registration",
            kind: ServerFn,
            request: |f, _, _| {
                format!(
                    "token=nope&household={}&name=&phone=&email=&relation=owner&password=&lang=zh-CN",
                    f.household
                )
            },
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/api/estates/get_poster",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}", pick(s, f.estate, f.other_estate)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/renew_poster",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}", pick(s, f.estate, f.other_estate)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/list_registrations",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}", pick(s, f.estate, f.other_estate)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/estates/decide_registration",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "registration={}&decision=bogus&reason=",
                    pick(s, f.registration, f.other_registration)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/places/get_workplace",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.company, f.other_company)),
            allowed: COMPANY_VIEWERS,
            out_allowed: &[],
        },
        // Party oversight.
        Row {
            endpoint: "/api/oversight/get_dashboard",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: PARTY_ADMIN,
            out_allowed: PARTY_ADMIN,
        },
        Row {
            endpoint: "/api/oversight/get_estate_oversight",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.estate, f.other_estate)),
            allowed: PARTY_ADMIN,
            out_allowed: &[],
        },
        // Services and prices.
        Row {
            endpoint: "/api/pricing/get_catalog",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: COMPANY_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/pricing/add_service",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&name=&name_en=&category=cleaning&unit=per_visit&ours=&market=&reason=&market_source=&surveyed_on=&effective_from=",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/pricing/set_price",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "service_id={}&ours=-1&market=&reason=&market_source=&surveyed_on=&effective_from=",
                    pick(s, f.service, f.other_service)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/pricing/set_service_timing",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "service_id={}&visit_minutes=0&response_hours=0",
                    pick(s, f.service, f.other_service)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/pricing/get_price_list",
            kind: ServerFn,
            request: |f, s, _| format!("household={}", pick(s, f.household, f.other_household)),
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        // Service contracts.
        Row {
            endpoint: "/api/contracts/get_contract",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.contract, f.other_contract)),
            allowed: ESTATE_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/contracts/draft_contract",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}", pick(s, f.estate, f.other_estate)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/contracts/update_contract_terms",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "contract={}&starts_on=&ends_on=&fee_model=&commission=&late_fee_daily=&late_fee_cap=&vacant_share=",
                    pick(s, f.contract, f.other_contract)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/contracts/add_contract_line",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "contract={}&service_id={}&unit_price=-1&basis=",
                    pick(s, f.contract, f.other_contract),
                    pick(s, f.service, f.other_service)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/contracts/remove_contract_line",
            kind: ServerFn,
            request: |f, s, _| format!("line={}", pick(s, f.line, f.other_line)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/contracts/take_contract_step",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "contract={}&step=bogus&comment=",
                    pick(s, f.contract, f.other_contract)
                )
            },
            allowed: &[Who::Manager, Who::Committee],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/contracts/renew_contract",
            kind: ServerFn,
            request: |f, s, _| format!("contract={}", pick(s, f.contract, f.other_contract)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        // Work orders. Requests that would change something carry input the
        // service refuses after authorizing (an empty reason, no staff
        // member, a step not possible from the order's state), so every caller
        // meets the same fixture; allowed means "not 401/403". Which step each
        // actor may take is tested in app/tests/db/orders.rs.
        Row {
            endpoint: "/api/orders/get_booking_page",
            kind: ServerFn,
            request: |f, s, _| format!("household={}", pick(s, f.household, f.other_household)),
            allowed: ORDER_ACTORS,
            out_allowed: &[],
        },
        Row {
            // Staff and the manager book on the neighbours' behalf too.
            endpoint: "/api/orders/get_booking_page",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}",
                    pick(s, f.neighbour_household, f.other_household)
                )
            },
            allowed: &[Who::Staff, Who::Manager],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/get_free_slots",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&service_id={}&day=not-a-day&hours=2",
                    pick(s, f.household, f.other_household),
                    pick(s, f.service, f.other_service)
                )
            },
            allowed: ORDER_ACTORS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/book_housekeeping",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&service_id={}&start=&hours=2&notes=&form_token=",
                    pick(s, f.household, f.other_household),
                    pick(s, f.service, f.other_service)
                )
            },
            allowed: ORDER_ACTORS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/book_housekeeping",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&service_id={}&start=&hours=2&notes=&form_token=",
                    pick(s, f.neighbour_household, f.other_household),
                    pick(s, f.service, f.other_service)
                )
            },
            allowed: &[Who::Staff, Who::Manager],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/get_household_orders",
            kind: ServerFn,
            request: |f, s, _| format!("household={}", pick(s, f.household, f.other_household)),
            allowed: ORDER_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/get_household_orders",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}",
                    pick(s, f.neighbour_household, f.other_household)
                )
            },
            allowed: &[
                Who::Staff,
                Who::Manager,
                Who::PartyCommunity,
                Who::PartyStreet,
                Who::Admin,
            ],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/get_order",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.own_job, f.other_order)),
            allowed: ORDER_VIEWERS,
            out_allowed: &[],
        },
        Row {
            // Another household's order, sent to another staff member.
            endpoint: "/api/orders/get_order",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.neighbours_job, f.other_order)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            // Disputing a scheduled order: each of its actors gets as far as
            // the state (409).
            endpoint: "/api/orders/take_order_step",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&step=dispute&comment=",
                    pick(s, f.own_job, f.other_order)
                )
            },
            allowed: ORDER_ACTORS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/take_order_step",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&step=dispute&comment=",
                    pick(s, f.neighbours_job, f.other_order)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            // Cancelling without a reason: the resident and the manager are
            // told a reason is needed (422); the staff member sent may not
            // cancel at all.
            endpoint: "/api/orders/take_order_step",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&step=cancel&comment=",
                    pick(s, f.own_job, f.other_order)
                )
            },
            allowed: &[Who::Resident, Who::Manager],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/schedule_order",
            kind: ServerFn,
            request: |f, s, _| {
                format!("order={}&staff=0&start=", pick(s, f.own_job, f.other_order))
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            // Finishing work under way: the resident may not (403), 李桂, who
            // was sent, finishes it, and the manager then finds it done (409).
            // Relies on EVERYONE calling the resident before the staff member.
            endpoint: "/api/orders/finish_order",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&materials=",
                    pick(s, f.job_under_way, f.other_order)
                )
            },
            allowed: &[Who::Staff, Who::Manager],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/finish_order",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&materials=",
                    pick(s, f.neighbours_job, f.other_order)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/confirm_order",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&stars=5&comment=",
                    pick(s, f.own_job, f.other_order)
                )
            },
            allowed: ORDER_ACTORS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/confirm_order",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&stars=5&comment=",
                    pick(s, f.neighbours_job, f.other_order)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/resolve_dispute",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "order={}&comment=&amount=",
                    pick(s, f.own_job, f.other_order)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/file_complaint",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&order=0&body=",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: &[Who::Resident],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/file_complaint",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&order=0&body=",
                    pick(s, f.neighbour_household, f.other_household)
                )
            },
            allowed: &[],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/answer_complaint",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "complaint={}&answer=",
                    pick(s, f.complaint, f.other_complaint)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/get_company_orders",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/get_complaints",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/get_staff_day",
            kind: ServerFn,
            request: |_, _, _| "day=".into(),
            allowed: &[Who::Staff],
            out_allowed: &[Who::Staff],
        },
        Row {
            endpoint: "/api/orders/get_cleaning_plans",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/add_cleaning_plan",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&estate={}&building=0&service_id={}&weekdays=9&start=09%3A00&minutes=60",
                    pick(s, f.company, f.other_company),
                    pick(s, f.estate, f.other_estate),
                    pick(s, f.service, f.other_service)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            // Resuming a running plan changes nothing.
            endpoint: "/api/orders/set_cleaning_plan_paused",
            kind: ServerFn,
            request: |f, s, _| format!("plan={}&paused=false", pick(s, f.plan, f.other_plan)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/orders/generate_plan_orders",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        // Staff scheduling: the week and the staff profiles are the
        // manager's, Party oversight's and the administrator's to look at; the
        // manager alone changes them. What the manager sends changes nothing
        // (hours for one day only, a leave ending before it starts, a leave or
        // a staff member that does not exist) or only restates the default.
        Row {
            endpoint: "/api/schedule/get_week_schedule",
            kind: ServerFn,
            request: |f, s, _| format!("company={}&week=", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/get_staff_profiles",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/save_staff_profile",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&person={}&skills[0]=housekeeping&home_estate=0\
                     &starts[0]=08%3A00&ends[0]=18%3A00",
                    pick(s, f.company, f.other_company),
                    f.throwaway_person
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/add_staff_leave",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&person={}&first=2030-02-02&last=2030-02-01&note=",
                    pick(s, f.company, f.other_company),
                    f.throwaway_person
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/remove_staff_leave",
            kind: ServerFn,
            request: |f, s, _| format!("company={}&leave=0", pick(s, f.company, f.other_company)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/set_travel_buffer",
            kind: ServerFn,
            request: |f, s, _| {
                format!("company={}&minutes=20", pick(s, f.company, f.other_company))
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/assign_order",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&order={}&staff=0",
                    pick(s, f.company, f.other_company),
                    pick(s, f.own_job, f.other_order)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/preview_auto_assign",
            kind: ServerFn,
            request: |f, s, _| format!("company={}&week=", pick(s, f.company, f.other_company)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/schedule/accept_auto_assign",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&orders[0]={}&staff[0]=0",
                    pick(s, f.company, f.other_company),
                    pick(s, f.own_job, f.other_order)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        // Billing: the company's page, ledger, arrears and exports are the
        // manager's, the cashier's, Party oversight's and the administrator's;
        // the manager alone issues bills, corrects, reverses and escalates;
        // the cashier and the manager take money. A household's bills are
        // also its resident's. What is sent changes nothing (a bad month,
        // a zero amount, no reason, a note too long).
        // Monthly accounts: the estate's accounts and statements are its
        // company's manager's, its committee's, Party oversight's and the
        // administrator's; the disclosed ones are also its residents' (and
        // anyone's who works on the estate). The manager alone records and
        // submits; the chair alone queries and signs; a second signature is
        // the street Party committee's. What is sent changes nothing (empty
        // text, a bad month, a signed statement).
        Row {
            endpoint: "/api/statements/get_accounts",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}&month=", pick(s, f.estate, f.other_estate)),
            allowed: ACCOUNTS_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/record_expense",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&spent_on=2026-10-01&category=supplies&description=&amount=1&rule=single&estates=&photo=",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/get_expense_photo",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&expense={}",
                    pick(s, f.estate, f.other_estate),
                    pick(s, f.expense, f.other_expense)
                )
            },
            allowed: ACCOUNTS_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/record_common_income",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&received_on=2026-10-01&source=&amount=1",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/get_statement",
            kind: ServerFn,
            request: |f, s, _| {
                format!("estate={}&month=2026-09", pick(s, f.estate, f.other_estate))
            },
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/submit_statement",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "estate={}&month=2026-13&reason=",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/answer_query",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "statement={}&body=",
                    pick(s, f.statement, f.other_statement)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/raise_query",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "statement={}&body=",
                    pick(s, f.statement, f.other_statement)
                )
            },
            allowed: CHAIR,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/sign_statement",
            kind: ServerFn,
            request: |f, s, _| format!("statement={}", pick(s, f.statement, f.other_statement)),
            allowed: CHAIR,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/second_sign_statement",
            kind: ServerFn,
            request: |f, s, _| format!("statement={}", pick(s, f.statement, f.other_statement)),
            allowed: STREET_PARTY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/statements/get_disclosures",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}", pick(s, f.estate, f.other_estate)),
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/estates/{id}/accounts",
            kind: Page,
            request: |f, s, _| format!("/estates/{}/accounts", pick(s, f.estate, f.other_estate)),
            allowed: ACCOUNTS_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/estates/{id}/accounts/{month}",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/estates/{}/accounts/2026-09",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/estates/{id}/notices",
            kind: Page,
            request: |f, s, _| format!("/estates/{}/notices", pick(s, f.estate, f.other_estate)),
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/get_billing",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/preview_bills",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&month=2026-11",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/start_bill_run",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&month=2026-13",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/get_bill_run",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&month=2026-11",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/get_household_account",
            kind: ServerFn,
            request: |f, s, _| format!("household={}", pick(s, f.household, f.other_household)),
            allowed: BILL_READERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/record_payment",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&amount=0&method=cash&reference=&bill=0&form_token=matrix",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: CASHIER_MANAGER,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/reverse_payment",
            kind: ServerFn,
            request: |f, s, _| format!("payment={}&reason=", pick(s, f.payment, f.other_payment)),
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/add_adjustment",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&amount=0&reason=x",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/get_receipt",
            kind: ServerFn,
            request: |f, s, _| format!("payment={}", pick(s, f.payment, f.other_payment)),
            allowed: BILL_READERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/get_trial_balance",
            kind: ServerFn,
            request: |f, s, _| format!("company={}", pick(s, f.company, f.other_company)),
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/get_arrears",
            kind: ServerFn,
            request: |f, s, _| format!("company={}&estate=0", pick(s, f.company, f.other_company)),
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/escalate_arrears",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&note={}",
                    pick(s, f.household, f.other_household),
                    "x".repeat(201)
                )
            },
            allowed: MANAGER_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/billing/export_csv",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "company={}&what=payments&month=",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/billing",
            kind: Page,
            request: |f, s, _| {
                format!("/companies/{}/billing", pick(s, f.company, f.other_company))
            },
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/arrears",
            kind: Page,
            request: |f, s, _| {
                format!("/companies/{}/arrears", pick(s, f.company, f.other_company))
            },
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/ledger",
            kind: Page,
            request: |f, s, _| format!("/companies/{}/ledger", pick(s, f.company, f.other_company)),
            allowed: BILLING_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/households/{id}/bills",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/households/{}/bills",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: BILL_READERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/receipts/{id}",
            kind: Page,
            request: |f, s, _| format!("/receipts/{}", pick(s, f.payment, f.other_payment)),
            allowed: BILL_READERS,
            out_allowed: &[],
        },
        // Roster.
        Row {
            endpoint: "/api/roster/get_roster",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: MANAGER_PARTY_ADMIN,
        },
        Row {
            endpoint: "/api/roster/add_post",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "person={}&signboard=company%3A{}&title=&starts_on=2026-11-27",
                    f.throwaway_person,
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/roster/end_post",
            kind: ServerFn,
            request: |f, s, _| format!("post={}&ends_on=not-a-date", pick(s, f.post, f.other_post)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        // Org structure.
        Row {
            endpoint: "/api/org/get_org_tree",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/api/org/create_unit",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "kind=community&parent={}&name=&name_en=",
                    pick(s, f.street, f.other_street)
                )
            },
            allowed: ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/org/rename_unit",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "kind=company&id={}&name=&name_en=",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/org/close_unit",
            kind: ServerFn,
            request: |f, s, _| format!("kind=street&id={}", pick(s, f.street, f.other_street)),
            allowed: ADMIN,
            out_allowed: &[],
        },
        // Audit.
        Row {
            endpoint: "/api/audit/list_entries",
            kind: ServerFn,
            request: |_, _, _| "entity=&person=&from=&to=".into(),
            allowed: PARTY_ADMIN,
            out_allowed: PARTY_ADMIN,
        },
        // Mail.
        Row {
            endpoint: "/api/mail/list_outbox",
            kind: ServerFn,
            request: |_, _, _| "status=".into(),
            allowed: MANAGER_ADMIN,
            out_allowed: MANAGER_ADMIN,
        },
        Row {
            endpoint: "/api/mail/retry_mail",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.mail, f.other_mail)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/mail/send_test_mail",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: MANAGER_ADMIN,
            out_allowed: MANAGER_ADMIN,
        },
        Row {
            endpoint: "/api/mail/get_preferences",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        Row {
            endpoint: "/api/mail/set_preferences",
            kind: ServerFn,
            request: |_, _, _| "email=not+an+address".into(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        Row {
            endpoint: "/api/mail/unsubscribe",
            kind: ServerFn,
            request: |_, _, _| "token=nope&category=reminders".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        // Pages.
        Row {
            endpoint: "/",
            kind: Page,
            request: |_, _, _| "/".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/login",
            kind: Page,
            request: |_, _, _| "/login".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/account",
            kind: Page,
            request: |_, _, _| "/account".into(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        Row {
            endpoint: "/account/password",
            kind: Page,
            request: |_, _, _| "/account/password".into(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        Row {
            endpoint: "/households/{id}",
            kind: Page,
            request: |f, s, _| format!("/households/{}", pick(s, f.household, f.other_household)),
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/estates/{id}",
            kind: Page,
            request: |f, s, _| format!("/estates/{}", pick(s, f.estate, f.other_estate)),
            allowed: ESTATE_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/estates",
            kind: Page,
            request: |_, _, _| "/estates".into(),
            allowed: ESTATE_VIEWERS,
            out_allowed: ESTATE_VIEWERS,
        },
        Row {
            endpoint: "/estates/{id}/import",
            kind: Page,
            request: |f, s, _| format!("/estates/{}/import", pick(s, f.estate, f.other_estate)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/estates/{id}/poster",
            kind: Page,
            request: |f, s, _| format!("/estates/{}/poster", pick(s, f.estate, f.other_estate)),
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/estates/{id}/registrations",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/estates/{}/registrations",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: MANAGER_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/join/{token}",
            kind: Page,
            request: |_, _, _| "/join/nope".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/companies/{id}",
            kind: Page,
            request: |f, s, _| format!("/companies/{}", pick(s, f.company, f.other_company)),
            allowed: COMPANY_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/services",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/companies/{}/services",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: COMPANY_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/households/{id}/prices",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/households/{}/prices",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/contracts/{id}",
            kind: Page,
            request: |f, s, _| format!("/contracts/{}", pick(s, f.contract, f.other_contract)),
            allowed: ESTATE_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/households/{id}/book",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/households/{}/book",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: ORDER_ACTORS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/households/{id}/orders",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/households/{}/orders",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: ORDER_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/orders/{id}",
            kind: Page,
            request: |f, s, _| format!("/orders/{}", pick(s, f.own_job, f.other_order)),
            allowed: ORDER_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/orders/{id}",
            kind: Page,
            request: |f, s, _| format!("/orders/{}", pick(s, f.neighbours_job, f.other_order)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/orders",
            kind: Page,
            request: |f, s, _| format!("/companies/{}/orders", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/complaints",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/companies/{}/complaints",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/plans",
            kind: Page,
            request: |f, s, _| format!("/companies/{}/plans", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/schedule",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/companies/{}/schedule",
                    pick(s, f.company, f.other_company)
                )
            },
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/companies/{id}/staff",
            kind: Page,
            request: |f, s, _| format!("/companies/{}/staff", pick(s, f.company, f.other_company)),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/jobs",
            kind: Page,
            request: |_, _, _| "/jobs".into(),
            allowed: &[Who::Staff],
            out_allowed: &[Who::Staff],
        },
        Row {
            endpoint: "/party",
            kind: Page,
            request: |_, _, _| "/party".into(),
            allowed: PARTY_ADMIN,
            out_allowed: PARTY_ADMIN,
        },
        // Decisions (四议两公开).
        Row {
            endpoint: "/api/decisions/list",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: ACCOUNTS_VIEWERS,
            out_allowed: ACCOUNTS_VIEWERS,
        },
        Row {
            endpoint: "/api/decisions/get",
            kind: ServerFn,
            request: |f, s, _| format!("id={}", pick(s, f.decision, f.other_decision)),
            allowed: ACCOUNTS_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/decisions/propose",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "kind=&title=&details=&estates={}&held_on=&outcome=",
                    pick(s, f.estate, f.other_estate)
                )
            },
            allowed: PARTY_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/decisions/record_step",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "decision={}&step=members_review&held_on=&outcome=",
                    pick(s, f.decision, f.other_decision)
                )
            },
            allowed: PARTY_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/decisions/notices",
            kind: ServerFn,
            request: |f, s, _| format!("estate={}", pick(s, f.estate, f.other_estate)),
            allowed: SIGNED_IN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/decisions",
            kind: Page,
            request: |_, _, _| "/decisions".into(),
            allowed: ACCOUNTS_VIEWERS,
            out_allowed: ACCOUNTS_VIEWERS,
        },
        Row {
            endpoint: "/decisions/{id}",
            kind: Page,
            request: |f, s, _| format!("/decisions/{}", pick(s, f.decision, f.other_decision)),
            allowed: ACCOUNTS_VIEWERS,
            out_allowed: &[],
        },
        // Volunteer service (点单-派单-接单).
        Row {
            endpoint: "/api/volunteers/get_household_volunteering",
            kind: ServerFn,
            request: |f, s, _| format!("household={}", pick(s, f.household, f.other_household)),
            allowed: RESIDENT_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/order_volunteer",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "household={}&kind=&wished_on=&window_start=&window_end=&note=&form_token=",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: RESIDENT_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/cancel_volunteer_task",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "task={}&reason=",
                    pick(s, f.volunteer_task, f.other_volunteer_task)
                )
            },
            allowed: RESIDENT_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/get_dispatch_board",
            kind: ServerFn,
            request: |f, s, _| match s {
                Side::In => "community=0".into(),
                Side::Out => format!("community={}", f.other_community),
            },
            allowed: PARTY_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/dispatch_volunteer_task",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "task={}&volunteer=",
                    pick(s, f.volunteer_task, f.other_volunteer_task)
                )
            },
            allowed: PARTY_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/register_volunteer",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "community={}&phone=&organization=&registered_on=",
                    pick(s, f.community, f.other_community)
                )
            },
            allowed: PARTY_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/set_volunteer_active",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "volunteer={}&active=true",
                    pick(s, f.volunteer, f.other_volunteer)
                )
            },
            allowed: PARTY_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/get_my_volunteering",
            kind: ServerFn,
            request: |_, _, _| String::new(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        // No account in the table is a volunteer: the service refuses them
        // all (the volunteer's own steps are in the database tests).
        Row {
            endpoint: "/api/volunteers/accept_volunteer_task",
            kind: ServerFn,
            request: |f, s, _| {
                format!("task={}", pick(s, f.volunteer_task, f.other_volunteer_task))
            },
            allowed: &[],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/decline_volunteer_task",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "task={}&reason=",
                    pick(s, f.volunteer_task, f.other_volunteer_task)
                )
            },
            allowed: &[],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/complete_volunteer_task",
            kind: ServerFn,
            request: |f, s, _| {
                format!(
                    "task={}&hours=1&note=",
                    pick(s, f.volunteer_task, f.other_volunteer_task)
                )
            },
            allowed: &[],
            out_allowed: &[],
        },
        Row {
            endpoint: "/api/volunteers/get_volunteer_board",
            kind: ServerFn,
            request: |f, s, _| match s {
                Side::In => "community=0&period=".into(),
                Side::Out => format!("community={}&period=", f.other_community),
            },
            allowed: BOARD_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/households/{id}/volunteer",
            kind: Page,
            request: |f, s, _| {
                format!(
                    "/households/{}/volunteer",
                    pick(s, f.household, f.other_household)
                )
            },
            allowed: RESIDENT_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/volunteers",
            kind: Page,
            request: |f, s, _| match s {
                Side::In => "/volunteers".into(),
                Side::Out => format!("/volunteers?community={}", f.other_community),
            },
            allowed: PARTY_ONLY,
            out_allowed: &[],
        },
        Row {
            endpoint: "/volunteering",
            kind: Page,
            request: |_, _, _| "/volunteering".into(),
            allowed: SIGNED_IN,
            out_allowed: SIGNED_IN,
        },
        Row {
            endpoint: "/volunteers/board",
            kind: Page,
            request: |f, s, _| match s {
                Side::In => "/volunteers/board".into(),
                Side::Out => format!("/volunteers/board?community={}", f.other_community),
            },
            allowed: BOARD_VIEWERS,
            out_allowed: &[],
        },
        Row {
            endpoint: "/party/estates/{id}",
            kind: Page,
            request: |f, s, _| format!("/party/estates/{}", pick(s, f.estate, f.other_estate)),
            allowed: PARTY_ADMIN,
            out_allowed: &[],
        },
        Row {
            endpoint: "/roster",
            kind: Page,
            request: |_, _, _| "/roster".into(),
            allowed: MANAGER_PARTY_ADMIN,
            out_allowed: MANAGER_PARTY_ADMIN,
        },
        Row {
            endpoint: "/audit",
            kind: Page,
            request: |_, _, _| "/audit".into(),
            allowed: PARTY_ADMIN,
            out_allowed: PARTY_ADMIN,
        },
        Row {
            endpoint: "/admin",
            kind: Page,
            request: |_, _, _| "/admin".into(),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/admin/people",
            kind: Page,
            request: |_, _, _| "/admin/people".into(),
            allowed: ADMIN,
            out_allowed: ADMIN,
        },
        Row {
            endpoint: "/outbox",
            kind: Page,
            request: |_, _, _| "/outbox".into(),
            allowed: MANAGER_ADMIN,
            out_allowed: MANAGER_ADMIN,
        },
        Row {
            endpoint: "/mail/unsubscribe/{token}/{category}",
            kind: Page,
            request: |_, _, _| "/mail/unsubscribe/nope/reminders".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        // Plain routes.
        Row {
            endpoint: "/healthz",
            kind: Route,
            request: |_, _, _| "/healthz".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/readyz",
            kind: Route,
            request: |_, _, _| "/readyz".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
        Row {
            endpoint: "/lang",
            kind: Route,
            request: |_, _, _| "lang=en&back=%2F".into(),
            allowed: EVERYONE,
            out_allowed: EVERYONE,
        },
    ]
}

/// The plain axum routes (not pages, not server functions) the router has.
const PLAIN_ROUTES: &[&str] = &["/healthz", "/readyz", "/lang"];

struct World {
    _dir: crate::tempdir::TempDir,
    db: Db,
    fixture: Fixture,
}

fn world() -> World {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("matrix.db"))).expect("db");
    db.migrate().expect("migrate");
    seed_demo(&db, crate::t0()).expect("seed");
    let mut conn = db.conn().expect("conn");
    let fixture = write_tx(&mut conn, |conn| {
        use app::db::schema::{buildings, companies, estates as estates_t, households};
        use diesel::prelude::*;
        let company: i64 = companies::table
            .filter(companies::name.eq("文汇社区城市服务公司"))
            .select(companies::id)
            .first(conn)?;
        let estate: i64 = estates_t::table
            .filter(estates_t::name.eq("玉泉花园"))
            .select(estates_t::id)
            .first(conn)?;
        let household_in = |conn: &mut app::db::DbConn,
                            unit: &str,
                            room: &str|
         -> Result<i64, diesel::result::Error> {
            households::table
                .inner_join(buildings::table)
                .filter(buildings::estate_id.eq(estate))
                .filter(buildings::name.eq("2栋"))
                .filter(households::unit.eq(unit))
                .filter(households::room.eq(room))
                .select(households::id)
                .first(conn)
        };
        let household = household_in(conn, "1单元", "301")?;
        let neighbour_household = household_in(conn, "1单元", "302")?;
        let place = app::db::places::company(conn, company)?;
        let street = place.1;

        // Another district: nothing in it is in any demo account's scope.
        let district = org::ensure_district(conn, "玉龙县", "Yulong County")?;
        let other_street = org::ensure_street(conn, district, "黄山街道", "Huangshan Street", 0)?;
        let other_community =
            org::ensure_community(conn, other_street, "白龙社区", "Bailong Community")?;
        let other_party = org::ensure_party_organization(
            conn,
            &org::NewPartyOrganization {
                kind: "community_branch",
                street_id: other_street,
                community_id: Some(other_community),
                name: "白龙社区党支部",
                name_en: "Bailong Party Branch",
            },
        )?;
        let other_company = org::ensure_company(
            conn,
            &org::NewCompany {
                community_id: other_community,
                party_organization_id: Some(other_party),
                name: "白龙社区城市服务公司",
                name_en: "Bailong City Services",
                founded_on: chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date"),
            },
        )?;
        let other_estate = estates::ensure_estate(
            conn,
            other_community,
            Some(other_company),
            ("白龙小区", "Bailong Estate"),
            "",
        )?;
        let other_building = estates::ensure_building(conn, other_estate, "1栋")?;
        let other_household = estates::ensure_household(conn, other_building, "1单元", "101")?;

        let throwaway_person = db_accounts::insert_person(
            conn,
            &db_accounts::NewPerson {
                name: "测试员",
                phone: Some("13999999999"),
                username: None,
                email: None,
                password_hash: "not-a-hash",
                must_change_password: false,
            },
        )?;
        let grant_in = db_accounts::insert_grant(
            conn,
            throwaway_person,
            "staff",
            db_accounts::GrantScope {
                company_id: Some(company),
                ..Default::default()
            },
        )?;
        let grant_out = db_accounts::insert_grant(
            conn,
            throwaway_person,
            "staff",
            db_accounts::GrantScope {
                company_id: Some(other_company),
                ..Default::default()
            },
        )?;
        let new_post = |conn: &mut app::db::DbConn, company_id: i64| {
            roster::insert_post(
                conn,
                &roster::NewPost {
                    person_id: throwaway_person,
                    company_id: Some(company_id),
                    party_organization_id: None,
                    title: "保洁员",
                    starts_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
                },
            )
        };
        let post = new_post(conn, company)?;
        let other_post = new_post(conn, other_company)?;
        let new_mail = |conn: &mut app::db::DbConn, company_id: i64| {
            app::db::mail::insert(
                conn,
                &app::db::mail::NewMail {
                    created_at: crate::t0(),
                    person_id: None,
                    company_id: Some(company_id),
                    to_address: "someone@example.cn",
                    kind: "test",
                    essential: true,
                    subject: "测试",
                    body_text: "测试",
                    body_html: "<p>测试</p>",
                },
            )
        };
        let mail = new_mail(conn, company)?;
        let other_mail = new_mail(conn, other_company)?;
        let building = estates::ensure_building(conn, estate, "2栋")?;
        let now = crate::t0();
        let new_resident = |conn: &mut app::db::DbConn, household_id: i64| {
            estates::insert_resident(
                conn,
                &estates::NewResident {
                    household_id,
                    name: "测试居民",
                    phone: "",
                    relation: "family",
                    person_id: None,
                    at: now,
                },
            )
        };
        let resident = new_resident(conn, household)?;
        let other_resident = new_resident(conn, other_household)?;
        let sitting = |conn: &mut app::db::DbConn, estate_id: i64| {
            let found = estates::committees_of_estate(conn, estate_id)?
                .into_iter()
                .find(|c| c.ended_at.is_none());
            match found {
                Some(c) => Ok(c.id),
                None => estates::insert_committee(
                    conn,
                    estate_id,
                    chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
                    chrono::NaiveDate::from_ymd_opt(2029, 1, 1).expect("date"),
                    now,
                ),
            }
        };
        let committee = sitting(conn, estate)?;
        let other_committee = sitting(conn, other_estate)?;
        let new_registration = |conn: &mut app::db::DbConn, estate_id: i64, household_id: i64| {
            estates::insert_registration(
                conn,
                &estates::NewRegistration {
                    estate_id,
                    household_id,
                    name: "申请人",
                    phone: "13912340000",
                    email: "someone@example.cn",
                    relation: "owner",
                    password_hash: "not-a-hash",
                    lang: "zh-CN",
                    client_address: "10.0.0.9",
                    at: now,
                },
            )
        };
        let registration = new_registration(conn, estate, household)?;
        let other_registration = new_registration(conn, other_estate, other_household)?;
        let service = app::db::pricing::services_of(conn, company)?
            .first()
            .map(|s| s.id)
            .ok_or(app::db::DbError::NotFound)?;
        let other_service = app::db::pricing::insert_service(
            conn,
            &app::db::pricing::NewService {
                company_id: other_company,
                category: "cleaning",
                unit: "per_visit",
                name: "保洁",
                name_en: "",
                at: now,
            },
        )?;
        // A contract of Wenhui for 玉泉花园, and one in the other district;
        // each with a line. Both are under review, so no call changes them
        // (a removed line would be gone for the next caller).
        let new_contract = |conn: &mut app::db::DbConn, company_id, estate_id, service_id| {
            let id = app::db::contracts::insert_contract(
                conn,
                &app::db::contracts::NewContract {
                    company_id,
                    estate_id,
                    state: "submitted",
                    fee_model: "fixed_fee",
                    commission_bp: None,
                    late_fee: None,
                    starts_on: chrono::NaiveDate::from_ymd_opt(2030, 1, 1).expect("date"),
                    ends_on: chrono::NaiveDate::from_ymd_opt(2030, 12, 31).expect("date"),
                    renews_id: None,
                    at: now,
                    vacant_fee_bp: 10_000,
                },
            )?;
            let line = app::db::contracts::insert_line(conn, id, service_id, 100, "")?;
            Ok::<_, app::db::DbError>((id, line))
        };
        let (contract, line) = new_contract(conn, company, estate, service)?;
        let (other_contract, other_line) =
            new_contract(conn, other_company, other_estate, other_service)?;

        // Work orders far ahead of the demo's own: nobody's slots clash.
        let person = |conn: &mut app::db::DbConn, phone: &str| {
            db_accounts::person_by_phone(conn, phone)?
                .map(|p| p.id)
                .ok_or(app::db::DbError::NotFound)
        };
        let li_gui = person(conn, "13800000004")?;
        let he_meihua = person(conn, "13800000001")?;
        let new_order = |conn: &mut app::db::DbConn,
                         (company_id, estate_id, building_id, household_id, service_id),
                         day: u32,
                         staff: Option<i64>,
                         under_way: bool| {
            use app::db::orders as o;
            let start = chrono::NaiveDate::from_ymd_opt(2030, 1, day)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .expect("slot");
            let end = start + chrono::Duration::hours(2);
            let id = o::insert_order(
                conn,
                &o::NewOrder {
                    company_id,
                    estate_id,
                    building_id: Some(building_id),
                    household_id: Some(household_id),
                    service_id,
                    plan_id: None,
                    channel: "app",
                    slot_start: start,
                    slot_end: end,
                    quantity: 2,
                    unit_price_fen: 3_500,
                    market_fen: 5_000,
                    amount_fen: 7_000,
                    chargeable: true,
                    notes: "",
                    respond_by: now + chrono::Duration::hours(24),
                    booked_by: None,
                    form_token: None,
                    at: now,
                },
            )?;
            if let Some(staff) = staff {
                o::schedule(conn, id, "requested", staff, start, end)?;
            }
            if under_way {
                o::set_state(conn, id, "scheduled", "in_progress")?;
            }
            Ok::<_, app::db::DbError>(id)
        };
        let wenhui = |h| (company, estate, building, h, service);
        let own_job = new_order(conn, wenhui(household), 7, Some(li_gui), false)?;
        let neighbours_job = new_order(
            conn,
            wenhui(neighbour_household),
            8,
            Some(throwaway_person),
            false,
        )?;
        let job_under_way = new_order(conn, wenhui(household), 9, Some(li_gui), true)?;
        let other_order = new_order(
            conn,
            (
                other_company,
                other_estate,
                other_building,
                other_household,
                other_service,
            ),
            7,
            None,
            false,
        )?;
        let new_complaint =
            |conn: &mut app::db::DbConn, company_id, estate_id, household_id, order_id, by| {
                app::db::orders::insert_complaint(
                    conn,
                    &app::db::orders::NewComplaint {
                        company_id,
                        estate_id,
                        household_id: Some(household_id),
                        order_id: Some(order_id),
                        filed_by: by,
                        body: "测试投诉",
                        at: now,
                    },
                )
            };
        let complaint = new_complaint(conn, company, estate, household, own_job, he_meihua)?;
        let other_complaint = new_complaint(
            conn,
            other_company,
            other_estate,
            other_household,
            other_order,
            throwaway_person,
        )?;
        let new_plan = |conn: &mut app::db::DbConn, company_id, estate_id, service_id| {
            app::db::orders::insert_plan(
                conn,
                &app::db::orders::NewPlan {
                    company_id,
                    estate_id,
                    building_id: None,
                    service_id,
                    weekdays: 1,
                    start_minute: 9 * 60,
                    minutes: 60,
                    created_by: None,
                    at: now,
                },
            )
        };
        let plan = new_plan(conn, company, estate, service)?;
        let other_plan = new_plan(conn, other_company, other_estate, other_service)?;
        let new_payment = |conn: &mut app::db::DbConn, company_id, household_id| {
            use chrono::Datelike;
            let year = i64::from(now.year());
            let seq = app::db::billing::last_receipt(conn, company_id, year)? + 1;
            app::db::billing::insert_payment(
                conn,
                &app::db::billing::NewPayment {
                    company_id,
                    household_id,
                    method: "cash",
                    reference: "",
                    amount_fen: 100,
                    paid_at: now,
                    recorded_by: None,
                    reversal_of: None,
                    reason: "",
                    receipt_year: year,
                    receipt_seq: seq,
                    form_token: None,
                },
            )
        };
        let payment = new_payment(conn, company, household)?;
        let other_payment = new_payment(conn, other_company, other_household)?;
        let statement = {
            use app::db::schema::statements;
            statements::table
                .filter(statements::estate_id.eq(estate))
                .filter(statements::state.eq("disclosed"))
                .select(statements::id)
                .first::<i64>(conn)?
        };
        let new_expense = |conn: &mut app::db::DbConn, company_id: i64, estate_id: i64| {
            app::db::statements::insert_expense(
                conn,
                &app::db::statements::NewExpense {
                    company_id,
                    month: "2026-09",
                    spent_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("date"),
                    category: "supplies",
                    description: "扫帚",
                    amount_fen: 100,
                    split_rule: "single",
                    photo: Some(("image/png", &[137, 80, 78, 71])),
                    recorded_by: None,
                    recorded_at: now,
                },
                &[(estate_id, 100)],
            )
        };
        let expense = new_expense(conn, company, estate)?;
        let other_expense = new_expense(conn, other_company, other_estate)?;
        let other_statement = app::db::statements::insert_statement(
            conn,
            &app::db::statements::NewStatement {
                company_id: other_company,
                estate_id: other_estate,
                month: "2026-09",
                version: 1,
                corrects_id: None,
                figures: "{}",
                content_hash: "0",
                submitted_by: None,
                submitted_at: now,
                second_reason: None,
            },
        )?;
        let community_of = |conn: &mut app::db::DbConn, id: i64| {
            use app::db::schema::estates;
            estates::table
                .find(id)
                .select(estates::community_id)
                .first::<i64>(conn)
        };
        let community = community_of(conn, estate)?;
        let other_community = community_of(conn, other_estate)?;
        let decision = {
            use app::db::schema::decision_estates;
            decision_estates::table
                .filter(decision_estates::estate_id.eq(estate))
                .select(decision_estates::decision_id)
                .first::<i64>(conn)?
        };
        let other_decision = app::db::decisions::insert_decision(
            conn,
            &app::db::decisions::NewDecision {
                community_id: other_community,
                party_organization_id: None,
                kind: "other",
                title: "外区事项",
                details: "外区",
                state: "proposed",
                proposed_by: None,
                created_at: now,
            },
            &[other_estate],
        )?;
        let new_task = |conn: &mut app::db::DbConn, community_id, estate_id, household_id| {
            app::db::volunteers::insert_task(
                conn,
                &app::db::volunteers::NewTask {
                    community_id,
                    estate_id,
                    household_id,
                    kind: "meals",
                    wished_on: now.date() + chrono::Duration::days(2),
                    start_minute: 9 * 60,
                    end_minute: 11 * 60,
                    note: "",
                    ordered_by: None,
                    form_token: None,
                    at: now,
                },
            )
        };
        let volunteer_task = new_task(conn, community, estate, household)?;
        let other_volunteer_task = new_task(conn, other_community, other_estate, other_household)?;
        let volunteer = {
            use app::db::schema::volunteers;
            volunteers::table
                .filter(volunteers::community_id.eq(community))
                .select(volunteers::id)
                .order(volunteers::id)
                .first::<i64>(conn)?
        };
        let other_volunteer = app::db::volunteers::insert_volunteer(
            conn,
            &app::db::volunteers::NewVolunteer {
                person_id: throwaway_person,
                community_id: other_community,
                party_member: true,
                organization: "外区",
                registered_on: now.date(),
                registered_by: None,
                at: now,
            },
            &["meals"],
        )?;
        Ok::<_, app::db::DbError>(Fixture {
            community,
            other_community,
            decision,
            other_decision,
            volunteer_task,
            other_volunteer_task,
            volunteer,
            other_volunteer,
            household,
            neighbour_household,
            estate,
            company,
            street,
            post,
            throwaway_person,
            grant_in,
            other_household,
            other_estate,
            other_company,
            other_street,
            other_post,
            grant_out,
            mail,
            other_mail,
            building,
            other_building,
            resident,
            other_resident,
            committee,
            other_committee,
            registration,
            other_registration,
            service,
            other_service,
            contract,
            other_contract,
            line,
            other_line,
            own_job,
            neighbours_job,
            job_under_way,
            other_order,
            complaint,
            other_complaint,
            plan,
            other_plan,
            payment,
            other_payment,
            statement,
            other_statement,
            expense,
            other_expense,
        })
    })
    .expect("fixture");
    World {
        _dir: dir,
        db,
        fixture,
    }
}

/// A fresh session for `who`, acting in the named grant; (token, own grant id).
fn session_for(db: &Db, who: Who) -> Option<(String, i64)> {
    let (login, role) = who.account()?;
    let mut conn = db.conn().expect("conn");
    let person = if login.starts_with('1') {
        db_accounts::person_by_phone(&mut conn, login)
    } else {
        db_accounts::person_by_username(&mut conn, login)
    }
    .expect("query")
    .expect("demo account");
    let grant = db_accounts::live_grants(&mut conn, person.id)
        .expect("grants")
        .into_iter()
        .find(|g| g.role == role)
        .expect("grant of that role");
    let (token, hash) = app::services::passwords::new_session_token();
    let now = crate::t0();
    db_accounts::insert_session(
        &mut conn,
        &db_accounts::NewSession {
            token_hash: &hash,
            person_id: person.id,
            grant_id: Some(grant.id),
            now,
            expires_at: now + chrono::Duration::hours(1),
        },
    )
    .expect("session");
    Some((token, grant.id))
}

fn app_router(db: &Db) -> axum::Router {
    let app = AppState::new(db.clone()).with_clock(Clock::Fixed(crate::t0()));
    // As in a running server, whose mail worker has just passed.
    app.heartbeats.mail_pass();
    router(ServerState {
        leptos: LeptosOptions::builder().output_name("hongye").build(),
        app,
        site: Site::default(),
        telemetry: hongye::telemetry::Telemetry::new().expect("metrics"),
    })
}

async fn call(db: &Db, row: &Row, target: &str, token: Option<&str>) -> (StatusCode, String) {
    let method = match row.kind {
        Kind::Page => "GET",
        Kind::Route if row.endpoint == "/healthz" || row.endpoint == "/readyz" => "GET",
        _ => "POST",
    };
    let uri = match (row.kind, method) {
        (Kind::Page, _) | (Kind::Route, "GET") => target.to_owned(),
        _ => row.endpoint.to_owned(),
    };
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .header(
            header::CONTENT_TYPE,
            if target.starts_with('{') {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            },
        )
        // As a browser navigating sends it; sign-in redirects depend on it.
        .header(header::ACCEPT, "text/html");
    if let Some(t) = token {
        request = request.header(header::COOKIE, format!("hongye_session={t}"));
    }
    let body = if method == "POST" {
        Body::from(target.to_owned())
    } else {
        Body::empty()
    };
    let response = app_router(db)
        .oneshot(request.body(body).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location)
}

/// Allowed: anything but a refusal. Refused: 401/403 from a server function,
/// a redirect to sign in or a 403 page for a page.
fn refused(kind: Kind, status: StatusCode, location: &str) -> bool {
    match kind {
        Kind::Page => {
            status == StatusCode::FORBIDDEN
                || (status.is_redirection() && location.starts_with("/login"))
        }
        _ => status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN,
    }
}

#[tokio::test]
async fn authorization_matrix() {
    let w = world();
    let mut failures = Vec::new();
    let mut cases = 0;
    for row in table() {
        for &who in EVERYONE {
            for side in [Side::In, Side::Out] {
                // A fresh session per case: logging in or out ends the old one.
                let session = session_for(&w.db, who);
                let caller = Caller {
                    own_grant: session.as_ref().map_or(0, |s| s.1),
                    other_persons_grant: w.fixture.grant_out,
                };
                let target = (row.request)(&w.fixture, side, &caller);
                let (status, location) =
                    call(&w.db, &row, &target, session.as_ref().map(|s| s.0.as_str())).await;
                let expected_allowed = match side {
                    Side::In => row.allowed.contains(&who),
                    Side::Out => row.out_allowed.contains(&who),
                };
                let was_refused = refused(row.kind, status, &location);
                cases += 1;
                if expected_allowed == was_refused || status.is_server_error() {
                    failures.push(format!(
                        "{} {:?} {:?} ({target}): got {status} {location}, expected {}",
                        row.endpoint,
                        who,
                        side,
                        if expected_allowed {
                            "allowed"
                        } else {
                            "refused"
                        }
                    ));
                }
                // Nobody is told to sign in, not shown a 403.
                if who == Who::Nobody && was_refused && row.kind == Kind::ServerFn {
                    assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", row.endpoint);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn a_resident_opening_the_neighbours_household_gets_a_translated_403_page() {
    let w = world();
    let (token, _) = session_for(&w.db, Who::Resident).expect("session");
    let path = format!("/households/{}", w.fixture.neighbour_household);
    let request = Request::get(&path)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, format!("hongye_session={token}"))
        .body(Body::empty())
        .expect("request");
    let response = app_router(&w.db).oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("无权查看"), "{html}");
    assert!(!html.contains("302"), "the neighbour's room must not leak");
}

/// The same request with every id swapped for one that exists nowhere:
/// digit-only form values and path segments.
fn with_unknown_ids(request: &str) -> String {
    const UNKNOWN: &str = "987654321";
    let swap = |part: &str| -> String {
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            UNKNOWN.to_owned()
        } else {
            part.to_owned()
        }
    };
    if request.starts_with('/') {
        let (path, query) = request.split_once('?').unwrap_or((request, ""));
        let path = path.split('/').map(swap).collect::<Vec<_>>().join("/");
        if query.is_empty() {
            return path;
        }
        return format!("{path}?{}", with_unknown_ids(query));
    }
    request
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => format!("{name}={}", swap(value)),
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Outside their scope, a caller cannot tell an id that exists (another
/// estate's, another company's) from one that does not: both are refused
/// the same way.
#[tokio::test]
async fn an_unknown_id_is_answered_as_another_tenants_id() {
    let w = world();
    let mut failures = Vec::new();
    let mut cases = 0;
    for row in table().iter().filter(|r| r.kind != Kind::Route) {
        for &who in SIGNED_IN {
            if row.out_allowed.contains(&who) {
                continue;
            }
            let session = session_for(&w.db, who);
            let caller = Caller {
                own_grant: session.as_ref().map_or(0, |s| s.1),
                other_persons_grant: w.fixture.grant_out,
            };
            let other = (row.request)(&w.fixture, Side::Out, &caller);
            if other.starts_with('{') {
                continue;
            }
            let unknown = with_unknown_ids(&other);
            if unknown == other {
                continue;
            }
            let token = session.as_ref().map(|s| s.0.as_str());
            let (status_other, _) = call(&w.db, row, &other, token).await;
            let (status_unknown, _) = call(&w.db, row, &unknown, token).await;
            cases += 1;
            if status_other != status_unknown {
                failures.push(format!(
                    "{} {who:?}: another tenant's id ({other}) {status_other}, an unknown one ({unknown}) {status_unknown}",
                    row.endpoint
                ));
            }
        }
    }
    assert!(cases > 100, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases tell an unknown id apart:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Bodies a client could send that no form of ours sends: every field
/// missing, or each value replaced by text, a negative number or numbers too
/// large for their type; for JSON endpoints, broken or empty JSON.
fn malformed_bodies(well_formed: &str) -> Vec<(String, &'static str)> {
    if well_formed.starts_with('{') {
        return ["{", "{}", "[1]", "{\"id\":\"abc\"}"]
            .into_iter()
            .map(|b| (b.to_owned(), "application/json"))
            .collect();
    }
    let mut bodies = vec![(String::new(), "application/x-www-form-urlencoded")];
    for value in [
        "abc",
        "-3",
        "4294967296",
        "99999999999999999999999",
        "%FF%FE",
    ] {
        let body = well_formed
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| format!("{}={value}", pair.split('=').next().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("&");
        bodies.push((body, "application/x-www-form-urlencoded"));
    }
    bodies
}

/// A malformed request is the client's fault: never a 5xx, and the answer
/// does not repeat the deserializer's words. Sent by the manager, who may
/// call the most, and by nobody.
#[tokio::test]
async fn malformed_arguments_to_any_server_function_answer_400_not_500() {
    let w = world();
    let router = app_router(&w.db);
    let mut failures = Vec::new();
    let mut cases = 0;
    for row in table().iter().filter(|r| r.kind == Kind::ServerFn) {
        for who in [Who::Manager, Who::Nobody] {
            let session = session_for(&w.db, who);
            let caller = Caller {
                own_grant: session.as_ref().map_or(0, |s| s.1),
                other_persons_grant: w.fixture.grant_out,
            };
            let well_formed = (row.request)(&w.fixture, Side::In, &caller);
            for (body, content_type) in malformed_bodies(&well_formed) {
                let mut request = Request::post(row.endpoint)
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::CONTENT_TYPE, content_type);
                if let Some((token, _)) = &session {
                    request = request.header(header::COOKIE, format!("hongye_session={token}"));
                }
                let response = router
                    .clone()
                    .oneshot(request.body(Body::from(body.clone())).expect("request"))
                    .await
                    .expect("response");
                let status = response.status();
                let text = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .expect("body");
                let text = String::from_utf8_lossy(&text);
                cases += 1;
                if status.is_server_error() || text.contains("deserializ") {
                    failures.push(format!(
                        "{} {who:?} ({body}): {status} {text}",
                        row.endpoint
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} malformed requests answered badly:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_server_function_and_route_is_in_the_table() {
    let in_table: BTreeSet<String> = table().iter().map(|r| r.endpoint.to_owned()).collect();
    let server_fns: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let pages: BTreeSet<String> = hongye::serve::route_list()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    let mut expected: BTreeSet<String> = server_fns.union(&pages).cloned().collect();
    expected.extend(PLAIN_ROUTES.iter().map(|s| (*s).to_owned()));
    let missing: Vec<_> = expected.difference(&in_table).collect();
    let stale: Vec<_> = in_table.difference(&expected).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the authorization matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for endpoints that no longer exist: {stale:?}"
    );
    // Every role is exercised.
    let roles: BTreeSet<Role> = EVERYONE.iter().filter_map(|w| w.role()).collect();
    assert_eq!(roles.len(), Role::ALL.len());
}

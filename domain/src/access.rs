//! Who may do what, where: roles, the scopes they are granted over, the place a
//! thing sits in the grid, and the one [`authorize`] every server function and
//! route calls before anything else.

use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::org::{CommunityId, CompanyId, DistrictId, StreetId};

id_type!(PersonId, GrantId, EstateId, BuildingId, HouseholdId, PostId);

/// What a person does in the system. One person may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Lives in a household, books and pays.
    Resident,
    /// Works for a company: cleaning, housekeeping, repairs.
    Staff,
    /// General manager: schedules, contracts, prices, billing.
    Manager,
    /// Takes payments and issues receipts.
    Cashier,
    /// Homeowner committee member or chair of one estate.
    Committee,
    /// Party oversight: a community branch or a street working committee.
    Party,
    /// District administrator: the org structure and accounts.
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Resident,
        Role::Staff,
        Role::Manager,
        Role::Cashier,
        Role::Committee,
        Role::Party,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Cashier => "cashier",
            Role::Committee => "committee",
            Role::Party => "party",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether a grant of this role may have this scope: resident → household,
    /// staff / manager / cashier → company, committee → estate, party → community
    /// or street, admin → district.
    pub fn accepts(self, scope: &Scope) -> bool {
        matches!(
            (self, scope),
            (Role::Resident, Scope::Household(_))
                | (
                    Role::Staff | Role::Manager | Role::Cashier,
                    Scope::Company(_)
                )
                | (Role::Committee, Scope::Estate(_))
                | (Role::Party, Scope::Community(_) | Scope::Street(_))
                | (Role::Admin, Scope::District(_))
        )
    }
}

/// The part of the grid a role is granted over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Household(HouseholdId),
    Company(CompanyId),
    Estate(EstateId),
    Community(CommunityId),
    Street(StreetId),
    District(DistrictId),
}

impl Scope {
    /// "company:5": how a scope travels in a form field.
    pub fn code(&self) -> String {
        match self {
            Scope::Household(id) => format!("household:{id}"),
            Scope::Company(id) => format!("company:{id}"),
            Scope::Estate(id) => format!("estate:{id}"),
            Scope::Community(id) => format!("community:{id}"),
            Scope::Street(id) => format!("street:{id}"),
            Scope::District(id) => format!("district:{id}"),
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        let (kind, id) = code.split_once(':')?;
        let id: i64 = id.parse().ok()?;
        Some(match kind {
            "household" => Scope::Household(HouseholdId(id)),
            "company" => Scope::Company(CompanyId(id)),
            "estate" => Scope::Estate(EstateId(id)),
            "community" => Scope::Community(CommunityId(id)),
            "street" => Scope::Street(StreetId(id)),
            "district" => Scope::District(DistrictId(id)),
            _ => return None,
        })
    }
}

/// One role held over one scope, with the scope's name for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub id: GrantId,
    pub role: Role,
    pub scope: Scope,
    pub scope_name: LocalizedName,
}

impl RoleGrant {
    /// The page this role lands on.
    pub fn home_path(&self) -> String {
        match (self.role, self.scope) {
            (Role::Resident, Scope::Household(id)) => format!("/households/{id}"),
            (_, Scope::Company(id)) => format!("/companies/{id}"),
            (_, Scope::Estate(id)) => format!("/estates/{id}"),
            (Role::Admin, _) => "/admin".to_owned(),
            _ => "/party".to_owned(),
        }
    }
}

/// The person making a request, acting in one of their grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub person: PersonId,
    pub name: String,
    /// The grant being acted in; `None` for an account with no roles yet.
    pub grant: Option<RoleGrant>,
    /// Every grant the person holds, for switching.
    pub grants: Vec<RoleGrant>,
    /// A one-time password is in use: nothing but changing it is allowed.
    pub must_change_password: bool,
}

impl Caller {
    pub fn role(&self) -> Option<Role> {
        self.grant.as_ref().map(|g| g.role)
    }

    /// Whether the caller sees residents' full phone numbers: the household
    /// itself, the company serving it and the administrator; the committee
    /// and Party oversight see them masked, on every page and in the audit
    /// log.
    pub fn sees_full_phones(&self) -> bool {
        matches!(
            self.role(),
            Some(Role::Resident | Role::Staff | Role::Manager | Role::Cashier | Role::Admin)
        )
    }

    pub fn home_path(&self) -> String {
        match &self.grant {
            _ if self.must_change_password => "/account/password".to_owned(),
            Some(grant) => grant.home_path(),
            None => "/account".to_owned(),
        }
    }
}

/// Where a thing sits: every level of the grid above it that it has. A scope
/// covers a place when the place lies under it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub district: Option<DistrictId>,
    pub street: Option<StreetId>,
    pub community: Option<CommunityId>,
    pub company: Option<CompanyId>,
    pub estate: Option<EstateId>,
    pub household: Option<HouseholdId>,
    /// For things that belong to one person (their account, their password).
    pub person: Option<PersonId>,
}

impl Place {
    /// Nowhere in particular: public things.
    pub const PUBLIC: Place = Place {
        district: None,
        street: None,
        community: None,
        company: None,
        estate: None,
        household: None,
        person: None,
    };

    pub fn of_person(person: PersonId) -> Place {
        Place {
            person: Some(person),
            ..Place::PUBLIC
        }
    }

    /// Where an estate sits, from the ids of its rows already loaded (no
    /// query each, unlike `place_of`).
    pub fn of_estate(
        district: i64,
        street: i64,
        community: i64,
        company: Option<i64>,
        estate: i64,
    ) -> Place {
        Place {
            district: Some(DistrictId(district)),
            street: Some(StreetId(street)),
            community: Some(CommunityId(community)),
            company: company.map(CompanyId),
            estate: Some(EstateId(estate)),
            ..Place::PUBLIC
        }
    }

    pub fn within(&self, scope: &Scope) -> bool {
        match *scope {
            Scope::Household(id) => self.household == Some(id),
            Scope::Company(id) => self.company == Some(id),
            Scope::Estate(id) => self.estate == Some(id),
            Scope::Community(id) => self.community == Some(id),
            Scope::Street(id) => self.street == Some(id),
            Scope::District(id) => self.district == Some(id),
        }
    }
}

/// Everything a person can ask the system to do, as far as permission goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// The public company directory.
    ViewDirectory,
    /// One's own account: who am I, change password, switch role, log out.
    UseOwnAccount,
    ViewHousehold,
    ViewEstate,
    ViewCompany,
    /// The overview of a Party scope: its communities and companies.
    ViewPartyOverview,
    /// The two signboards' posts, side by side.
    ViewRoster,
    ManagePosts,
    ViewOrgStructure,
    ManageOrgStructure,
    ManageAccounts,
    ViewAuditLog,
    /// The mail outbox: see queued mail, retry failures, send a test mail.
    ManageOutbox,
    /// The estates in one's scope, filtered by grid unit.
    ListEstates,
    /// Add an estate, record its takeover, buildings, households and residents,
    /// import them from a file, answer self-registrations.
    ManageEstates,
    /// Record a homeowner committee's term and members.
    ManageCommittees,
    /// Ask, from an estate's QR poster, to be linked to a household.
    SelfRegister,
    /// A company's service catalog with every price version.
    ViewCatalog,
    /// Add services and new price versions.
    ManagePrices,
    /// Draft, revise, activate, renew or end a service contract (the company's side).
    ManageContracts,
    /// Take a step of a contract's life cycle; the side comes from the role.
    StepContracts,
    /// A household's work orders, or one order; staff see only their own jobs.
    ViewWorkOrders,
    /// Book housekeeping for a household: its residents in the app, the
    /// company's managers and staff on a resident's behalf (代客).
    BookHousekeeping,
    /// Take a step of a work order; who acts comes from the role and, for
    /// staff, from being the one the order is scheduled to.
    StepWorkOrders,
    /// Complain about an order or the estate.
    FileComplaints,
    /// One's own jobs of the day, as a staff member.
    ViewOwnJobs,
    /// A company's orders, complaints and cleaning plans.
    ViewCompanyOrders,
    /// Schedule orders, resolve disputes, answer complaints, run cleaning plans.
    ManageWorkOrders,
    /// A company's weekly staff schedule and staff profiles, to look at.
    ViewSchedule,
    /// Staff profiles, leave, the travel buffer, assigning and auto-assigning.
    ManageSchedule,
    /// The company's billing page, runs, trial balance, arrears and exports.
    ViewBilling,
    /// Preview and issue the month's bills.
    RunBilling,
    RecordPayments,
    ReversePayments,
    AdjustBills,
    /// A household's bills, payments and receipts.
    ViewHouseholdBills,
    EscalateArrears,
    /// An estate's monthly accounts: figures, drafts, statements and their
    /// review thread.
    ViewAccounts,
    /// Record expenses and common-area income.
    RecordExpenses,
    /// Submit a month's statement, answer queries, correct a signed one.
    SubmitStatements,
    /// Query and sign statements; which committee member or Party officer
    /// may sign is decided by the committee's seats and posts.
    ReviewStatements,
    /// An estate's disclosed statements (公示): its residents too.
    ViewDisclosures,
    /// Decision records (四议两公开) of estates in one's scope, to read.
    ViewDecisions,
    /// Propose a major matter and record its steps.
    RecordDecisions,
    /// Order a free Party-member volunteer service for one's household.
    OrderVolunteerService,
    /// The community's dispatch page: dispatch tasks, register (双报到) and
    /// (de)activate volunteers.
    DispatchVolunteers,
    /// One's own volunteer tasks; the service checks the task is dispatched
    /// to the caller and they are an active volunteer of its community.
    ServeAsVolunteer,
    /// A community's volunteer hours board.
    ViewVolunteerBoard,
}

/// Who may do an action: anyone, the person themself, or these roles within
/// their scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Anyone,
    Themself,
    Roles(&'static [Role]),
}

impl Action {
    pub const ALL: [Action; 48] = [
        Action::ViewDirectory,
        Action::UseOwnAccount,
        Action::ViewHousehold,
        Action::ViewEstate,
        Action::ViewCompany,
        Action::ViewPartyOverview,
        Action::ViewRoster,
        Action::ManagePosts,
        Action::ViewOrgStructure,
        Action::ManageOrgStructure,
        Action::ManageAccounts,
        Action::ViewAuditLog,
        Action::ManageOutbox,
        Action::ListEstates,
        Action::ManageEstates,
        Action::ManageCommittees,
        Action::SelfRegister,
        Action::ViewCatalog,
        Action::ManagePrices,
        Action::ManageContracts,
        Action::StepContracts,
        Action::ViewWorkOrders,
        Action::BookHousekeeping,
        Action::StepWorkOrders,
        Action::FileComplaints,
        Action::ViewOwnJobs,
        Action::ViewCompanyOrders,
        Action::ManageWorkOrders,
        Action::ViewSchedule,
        Action::ManageSchedule,
        Action::ViewBilling,
        Action::RunBilling,
        Action::RecordPayments,
        Action::ReversePayments,
        Action::AdjustBills,
        Action::ViewHouseholdBills,
        Action::EscalateArrears,
        Action::ViewAccounts,
        Action::RecordExpenses,
        Action::SubmitStatements,
        Action::ReviewStatements,
        Action::ViewDisclosures,
        Action::ViewDecisions,
        Action::RecordDecisions,
        Action::OrderVolunteerService,
        Action::DispatchVolunteers,
        Action::ServeAsVolunteer,
        Action::ViewVolunteerBoard,
    ];

    pub fn rule(self) -> Rule {
        use Role::*;
        match self {
            Action::ViewDirectory => Rule::Anyone,
            Action::UseOwnAccount => Rule::Themself,
            Action::ViewHousehold => {
                Rule::Roles(&[Resident, Staff, Manager, Cashier, Committee, Party, Admin])
            }
            Action::ViewEstate => Rule::Roles(&[Staff, Manager, Cashier, Committee, Party, Admin]),
            Action::ViewCompany => Rule::Roles(&[Staff, Manager, Cashier, Party, Admin]),
            Action::ViewPartyOverview => Rule::Roles(&[Party, Admin]),
            Action::ViewRoster | Action::ManagePosts => Rule::Roles(&[Manager, Party, Admin]),
            Action::ViewOrgStructure | Action::ManageOrgStructure | Action::ManageAccounts => {
                Rule::Roles(&[Admin])
            }
            Action::ViewAuditLog => Rule::Roles(&[Party, Admin]),
            Action::ManageOutbox => Rule::Roles(&[Manager, Admin]),
            Action::ListEstates => Rule::Roles(&[Staff, Manager, Cashier, Committee, Party, Admin]),
            Action::ManageEstates => Rule::Roles(&[Manager, Admin]),
            // The committee oversees the company: registering or changing
            // it is the Party organisation's act (or the administrator's),
            // never the general manager's whose accounts it signs.
            Action::ManageCommittees => Rule::Roles(&[Party, Admin]),
            Action::SelfRegister => Rule::Anyone,
            Action::ViewCatalog => Rule::Roles(&[Staff, Manager, Cashier, Party, Admin]),
            // Prices and contracts are the general manager's (and, for the
            // owners, the committee's); the administrator runs the structure.
            Action::ManagePrices | Action::ManageContracts => Rule::Roles(&[Manager]),
            Action::StepContracts => Rule::Roles(&[Manager, Committee]),
            Action::ViewWorkOrders => Rule::Roles(&[Resident, Staff, Manager, Party, Admin]),
            Action::BookHousekeeping | Action::StepWorkOrders => {
                Rule::Roles(&[Resident, Staff, Manager])
            }
            Action::FileComplaints => Rule::Roles(&[Resident]),
            Action::ViewOwnJobs => Rule::Roles(&[Staff]),
            Action::ViewCompanyOrders => Rule::Roles(&[Manager, Party, Admin]),
            Action::ManageWorkOrders => Rule::Roles(&[Manager]),
            Action::ViewSchedule => Rule::Roles(&[Manager, Party, Admin]),
            Action::ManageSchedule => Rule::Roles(&[Manager]),
            Action::ViewBilling => Rule::Roles(&[Manager, Cashier, Party, Admin]),
            // Issuing bills, corrections, reversals and the arrears ladder
            // are the general manager's; the cashier takes money.
            Action::RunBilling
            | Action::ReversePayments
            | Action::AdjustBills
            | Action::EscalateArrears => Rule::Roles(&[Manager]),
            Action::RecordPayments => Rule::Roles(&[Cashier, Manager]),
            Action::ViewHouseholdBills => Rule::Roles(&[Resident, Manager, Cashier, Party, Admin]),
            Action::ViewAccounts => Rule::Roles(&[Manager, Committee, Party, Admin]),
            Action::RecordExpenses | Action::SubmitStatements => Rule::Roles(&[Manager]),
            Action::ReviewStatements => Rule::Roles(&[Committee, Party]),
            Action::ViewDisclosures => {
                Rule::Roles(&[Resident, Staff, Manager, Cashier, Committee, Party, Admin])
            }
            Action::ViewDecisions => Rule::Roles(&[Manager, Committee, Party, Admin]),
            Action::RecordDecisions | Action::DispatchVolunteers => Rule::Roles(&[Party]),
            Action::OrderVolunteerService => Rule::Roles(&[Resident]),
            Action::ServeAsVolunteer => Rule::Themself,
            Action::ViewVolunteerBoard => {
                Rule::Roles(&[Resident, Manager, Committee, Party, Admin])
            }
        }
    }
}

/// Why a request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    #[error("not signed in")]
    Unauthenticated,
    #[error("a one-time password must be changed first")]
    PasswordChangeRequired,
    #[error("not allowed")]
    Forbidden,
}

/// The one permission check. `target` is where the thing acted on sits; the
/// caller's active grant must cover it, and the role must be one the action
/// allows. Pure, so it is tested exhaustively without a server.
pub fn authorize(caller: Option<&Caller>, action: Action, target: &Place) -> Result<(), Denial> {
    let rule = action.rule();
    if rule == Rule::Anyone {
        return Ok(());
    }
    let caller = caller.ok_or(Denial::Unauthenticated)?;
    match rule {
        Rule::Anyone => Ok(()),
        Rule::Themself => {
            // A one-time password still in use allows changing it, nothing more.
            if caller.must_change_password && action != Action::UseOwnAccount {
                return Err(Denial::PasswordChangeRequired);
            }
            if target.person == Some(caller.person) {
                Ok(())
            } else {
                Err(Denial::Forbidden)
            }
        }
        Rule::Roles(roles) => {
            if caller.must_change_password {
                return Err(Denial::PasswordChangeRequired);
            }
            let grant = caller.grant.as_ref().ok_or(Denial::Forbidden)?;
            if roles.contains(&grant.role) && target.within(&grant.scope) {
                Ok(())
            } else {
                Err(Denial::Forbidden)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn grant(role: Role, scope: Scope) -> RoleGrant {
        RoleGrant {
            id: GrantId(1),
            role,
            scope,
            scope_name: LocalizedName::new("范围", "Scope"),
        }
    }

    fn caller(role: Role, scope: Scope) -> Caller {
        let g = grant(role, scope);
        Caller {
            person: PersonId(7),
            name: "和丽".into(),
            grant: Some(g.clone()),
            grants: vec![g],
            must_change_password: false,
        }
    }

    /// A household in 玉泉花园 (estate 3) served by company 4 in community 5,
    /// street 6, district 1.
    fn household_place() -> Place {
        Place {
            district: Some(DistrictId(1)),
            street: Some(StreetId(6)),
            community: Some(CommunityId(5)),
            company: Some(CompanyId(4)),
            estate: Some(EstateId(3)),
            household: Some(HouseholdId(2)),
            person: None,
        }
    }

    #[test]
    fn a_resident_sees_their_own_household_only() {
        let me = caller(Role::Resident, Scope::Household(HouseholdId(2)));
        assert_eq!(
            authorize(Some(&me), Action::ViewHousehold, &household_place()),
            Ok(())
        );
        let other = Place {
            household: Some(HouseholdId(9)),
            ..household_place()
        };
        assert_eq!(
            authorize(Some(&me), Action::ViewHousehold, &other),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn each_wider_scope_covers_the_household_beneath_it() {
        let place = household_place();
        for (role, scope) in [
            (Role::Manager, Scope::Company(CompanyId(4))),
            (Role::Committee, Scope::Estate(EstateId(3))),
            (Role::Party, Scope::Community(CommunityId(5))),
            (Role::Party, Scope::Street(StreetId(6))),
            (Role::Admin, Scope::District(DistrictId(1))),
        ] {
            let c = caller(role, scope);
            assert_eq!(authorize(Some(&c), Action::ViewHousehold, &place), Ok(()));
        }
    }

    #[test]
    fn a_resident_cannot_manage_accounts_even_in_scope() {
        let me = caller(Role::Resident, Scope::Household(HouseholdId(2)));
        assert_eq!(
            authorize(Some(&me), Action::ManageAccounts, &household_place()),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn nobody_signed_in_may_only_see_public_things() {
        assert_eq!(
            authorize(None, Action::ViewDirectory, &Place::PUBLIC),
            Ok(())
        );
        for action in Action::ALL {
            let expected = if action.rule() == Rule::Anyone {
                Ok(())
            } else {
                Err(Denial::Unauthenticated)
            };
            assert_eq!(
                authorize(None, action, &household_place()),
                expected,
                "{action:?}"
            );
        }
        // Only the public directory and the QR poster's registration are open.
        let open: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| a.rule() == Rule::Anyone)
            .collect();
        assert_eq!(open, vec![Action::ViewDirectory, Action::SelfRegister]);
    }

    #[test]
    fn a_one_time_password_blocks_everything_but_the_own_account() {
        let mut me = caller(Role::Admin, Scope::District(DistrictId(1)));
        me.must_change_password = true;
        assert_eq!(
            authorize(Some(&me), Action::ViewHousehold, &household_place()),
            Err(Denial::PasswordChangeRequired)
        );
        assert_eq!(
            authorize(
                Some(&me),
                Action::UseOwnAccount,
                &Place::of_person(PersonId(7))
            ),
            Ok(())
        );
        // Nor may they act as themself in anything else, e.g. as a volunteer.
        assert_eq!(
            authorize(
                Some(&me),
                Action::ServeAsVolunteer,
                &Place::of_person(PersonId(7))
            ),
            Err(Denial::PasswordChangeRequired)
        );
    }

    #[test]
    fn one_may_not_act_on_another_persons_account() {
        let me = caller(Role::Admin, Scope::District(DistrictId(1)));
        assert_eq!(
            authorize(
                Some(&me),
                Action::UseOwnAccount,
                &Place::of_person(PersonId(8))
            ),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn scopes_round_trip_their_codes() {
        for scope in [
            Scope::Household(HouseholdId(3)),
            Scope::Street(StreetId(12)),
            Scope::District(DistrictId(1)),
        ] {
            assert_eq!(Scope::parse(&scope.code()), Some(scope));
        }
        assert_eq!(Scope::parse("planet:1"), None);
        assert_eq!(Scope::parse("street:x"), None);
    }

    #[test]
    fn every_role_accepts_exactly_its_scope_kinds() {
        let scopes = [
            Scope::Household(HouseholdId(1)),
            Scope::Company(CompanyId(1)),
            Scope::Estate(EstateId(1)),
            Scope::Community(CommunityId(1)),
            Scope::Street(StreetId(1)),
            Scope::District(DistrictId(1)),
        ];
        let accepted: Vec<usize> = Role::ALL
            .iter()
            .map(|r| scopes.iter().filter(|s| r.accepts(s)).count())
            .collect();
        assert_eq!(accepted, vec![1, 1, 1, 1, 1, 2, 1]);
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }

    fn any_scope() -> impl Strategy<Value = Scope> {
        (0..6u8, 1..4i64).prop_map(|(kind, id)| match kind {
            0 => Scope::Household(HouseholdId(id)),
            1 => Scope::Company(CompanyId(id)),
            2 => Scope::Estate(EstateId(id)),
            3 => Scope::Community(CommunityId(id)),
            4 => Scope::Street(StreetId(id)),
            _ => Scope::District(DistrictId(id)),
        })
    }

    fn any_place() -> impl Strategy<Value = Place> {
        let level = || proptest::option::of(1..4i64);
        (level(), level(), level(), level(), level(), level()).prop_map(|(d, s, c, co, e, h)| {
            Place {
                district: d.map(DistrictId),
                street: s.map(StreetId),
                community: c.map(CommunityId),
                company: co.map(CompanyId),
                estate: e.map(EstateId),
                household: h.map(HouseholdId),
                person: None,
            }
        })
    }

    proptest! {
        /// Whatever the role and place, a role-ruled action is allowed exactly when
        /// the role is listed and the place lies in the grant's scope.
        #[test]
        fn allowed_exactly_when_role_listed_and_place_in_scope(
            role_index in 0..7usize,
            scope in any_scope(),
            place in any_place(),
            action_index in 0..Action::ALL.len(),
        ) {
            let role = Role::ALL[role_index];
            let action = Action::ALL[action_index];
            let c = caller(role, scope);
            let result = authorize(Some(&c), action, &place);
            match action.rule() {
                Rule::Anyone => prop_assert_eq!(result, Ok(())),
                Rule::Themself => prop_assert_eq!(result, Err(Denial::Forbidden)),
                Rule::Roles(roles) => {
                    let expected = roles.contains(&role) && place.within(&scope);
                    prop_assert_eq!(result.is_ok(), expected);
                }
            }
        }
    }
}

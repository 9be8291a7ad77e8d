//! The estates area's use cases: estate and household pages, the estate list
//! by grid unit, takeover records, buildings, households and residents,
//! homeowner committees, CSV imports, and self-registration from the QR poster.
//! Callers have been authorized for the place already; each change is one
//! write transaction with its audit entry.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::access::{Target, place_of};
use super::audit::{self, Change};
use crate::db::{DbConn, accounts, estates as db, write_tx};
use crate::domain::LocalizedName;
use crate::domain::access::{
    Action, BuildingId, Caller, EstateId, HouseholdId, PersonId, Place, Role, Scope, authorize,
};
use crate::domain::audit::{AuditAction, AuditEntity};
use crate::domain::estate_import::{
    EstateContents, ImportKind, ImportLine, ImportPreview, check_file,
};
use crate::domain::estates::{
    BaselineItem, BuildingView, Committee, CommitteeId, CommitteeMember, CommitteePosition,
    Condition, EstateDirectory, EstateListing, EstateView, FloorArea, HouseholdLine, HouseholdView,
    JoinPage, JoinPoster, RegistrationId, RegistrationStatus, RegistrationView, Relation,
    ResidentId, ResidentLine, Takeover, TakeoverError, TakeoverState, TermError, check_term,
    mask_phone, parse_phone, required_text,
};
use crate::domain::lang::Lang;
use crate::domain::mail::{MailContent, parse_email};
use crate::domain::org::{CommunityId, CompanyId, DistrictId, StreetId};
use crate::error::AppError;
use crate::i18n::Key;

fn can(caller: &Caller, action: Action, place: &Place) -> bool {
    authorize(Some(caller), action, place).is_ok()
}

fn resident_line(row: db::ResidentRow, full_phone: bool) -> ResidentLine {
    ResidentLine {
        id: ResidentId(row.id),
        phone: if full_phone || row.phone.is_empty() {
            row.phone
        } else {
            mask_phone(&row.phone)
        },
        name: row.name,
        relation: Relation::from_code(&row.relation).unwrap_or(Relation::Family),
        has_account: row.person_id.is_some(),
        moved_out_on: row.moved_out_at.map(crate::domain::time::china_date),
    }
}

pub fn household(
    conn: &mut DbConn,
    caller: &Caller,
    id: HouseholdId,
) -> Result<HouseholdView, AppError> {
    let row = db::household(conn, id.0)?;
    let company = match row.company_id {
        Some(c) => Some(super::directory::company_profile(conn, CompanyId(c))?),
        None => None,
    };
    let place = place_of(conn, Target::Household(id), Some(caller))?;
    let full = caller.sees_full_phones();
    let mut residents = Vec::new();
    let mut former_residents = Vec::new();
    for r in db::residents_of_household(conn, id.0)? {
        let line = resident_line(r, full);
        if line.moved_out_on.is_some() {
            former_residents.push(line);
        } else {
            residents.push(line);
        }
    }
    residents.sort_by_key(|r| r.relation);
    let accounts = db::resident_accounts(conn, id.0)?
        .into_iter()
        .map(|(p, name)| (PersonId(p), name))
        .collect();
    Ok(HouseholdView {
        id,
        estate_id: EstateId(row.estate_id),
        estate: LocalizedName::new(row.estate, row.estate_en),
        address: row.address,
        building: row.building,
        unit: row.unit,
        room: row.room,
        floor_area: row.floor_area.map(FloorArea::from_hundredths),
        vacant: row.vacant,
        company,
        residents,
        former_residents,
        accounts,
        can_manage: can(caller, Action::ManageEstates, &place),
        can_book: can(caller, Action::BookHousekeeping, &place),
        can_see_orders: can(caller, Action::ViewWorkOrders, &place),
        can_order_volunteer: can(caller, Action::OrderVolunteerService, &place),
    })
}

fn takeover_of(row: db::TakeoverRow) -> Takeover {
    let cells = [
        &row.cleaning,
        &row.lighting,
        &row.security,
        &row.refuse,
        &row.greenery,
        &row.repairs,
    ];
    Takeover {
        company: CompanyId(row.company_id),
        state_before: TakeoverState::from_code(&row.state_before)
            .unwrap_or(TakeoverState::Unmanaged),
        taken_over_on: row.taken_over_on,
        interim_agreement: row.interim_agreement,
        baseline: BaselineItem::ALL
            .iter()
            .zip(cells)
            .map(|(item, code)| (*item, Condition::from_code(code).unwrap_or(Condition::Poor)))
            .collect(),
        baseline_notes: row.baseline_notes,
        files_handed_over: row.files_handed_over,
    }
}

/// The estate's committees with their members, newest first (two queries).
fn committees(conn: &mut DbConn, estate: EstateId) -> Result<Vec<Committee>, AppError> {
    let rows = db::committees_of_estate(conn, estate.0)?;
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let mut members: BTreeMap<i64, Vec<CommitteeMember>> = BTreeMap::new();
    for m in db::members_of(conn, &ids)? {
        members
            .entry(m.committee_id)
            .or_default()
            .push(CommitteeMember {
                name: m.name,
                phone: m.phone,
                position: CommitteePosition::from_code(&m.position)
                    .unwrap_or(CommitteePosition::Member),
                party_member: m.party_member,
            });
    }
    Ok(rows
        .into_iter()
        .map(|c| {
            let mut list = members.remove(&c.id).unwrap_or_default();
            list.sort_by_key(|m| m.position);
            Committee {
                id: CommitteeId(c.id),
                term_starts_on: c.term_starts_on,
                term_ends_on: c.term_ends_on,
                ended: c.ended_at.is_some(),
                members: list,
            }
        })
        .collect())
}

pub fn estate(conn: &mut DbConn, caller: &Caller, id: EstateId) -> Result<EstateView, AppError> {
    let row = db::estate(conn, id.0)?;
    let company = match row.company_id {
        Some(c) => {
            let (zh, en) = accounts::company_name(conn, c)?;
            Some((CompanyId(c), LocalizedName::new(zh, en)))
        }
        None => None,
    };
    let place = place_of(conn, Target::Estate(id), Some(caller))?;
    let can_manage = can(caller, Action::ManageEstates, &place);
    // Owners' names and occupant counts per household, from one query.
    let mut owners: BTreeMap<i64, String> = BTreeMap::new();
    let mut occupants: BTreeMap<i64, u32> = BTreeMap::new();
    for r in db::current_residents_of_estate(conn, id.0)? {
        *occupants.entry(r.household_id).or_default() += 1;
        if r.relation == Relation::Owner.code() {
            owners.entry(r.household_id).or_insert(r.name);
        }
    }
    let mut buildings: Vec<BuildingView> = db::buildings_of_estate(conn, id.0)?
        .into_iter()
        .map(|b| BuildingView {
            id: BuildingId(b.id),
            name: b.name,
            grid_worker: b.grid_worker,
            grid_worker_phone: b.grid_worker_phone,
            households: Vec::new(),
        })
        .collect();
    for h in db::households_of_estate(conn, id.0)? {
        if let Some(b) = buildings.iter_mut().find(|b| b.id.0 == h.building_id) {
            b.households.push(HouseholdLine {
                id: HouseholdId(h.id),
                unit: h.unit,
                room: h.room,
                floor_area: h.floor_area.map(FloorArea::from_hundredths),
                vacant: h.vacant,
                owner: owners.remove(&h.id),
                occupants: occupants.get(&h.id).copied().unwrap_or(0),
            });
        }
    }
    let mut all = committees(conn, id)?;
    let sitting = all.iter().position(|c| !c.ended).map(|i| all.remove(i));
    let pending = if can_manage {
        u32::try_from(db::pending_registrations(conn, id.0)?).unwrap_or(u32::MAX)
    } else {
        0
    };
    Ok(EstateView {
        id,
        name: LocalizedName::new(row.name, row.name_en),
        address: row.address,
        street: LocalizedName::new(row.street, row.street_en),
        community: LocalizedName::new(row.community, row.community_en),
        company,
        grid_worker: row.grid_worker,
        grid_worker_phone: row.grid_worker_phone,
        takeover: db::takeover(conn, id.0)?.map(takeover_of),
        committee: sitting,
        past_committees: all,
        buildings,
        pending_registrations: pending,
        can_manage,
        can_manage_committee: can(caller, Action::ManageCommittees, &place),
        can_view_accounts: can(caller, Action::ViewAccounts, &place),
        contracts: super::contracts::contracts_of_estate(conn, id)?,
        can_draft_contract: row.company_id.is_some()
            && can(caller, Action::ManageContracts, &place),
    })
}

fn place_of_row(row: &db::EstateRow) -> Place {
    Place {
        district: Some(DistrictId(row.district_id)),
        street: Some(StreetId(row.street_id)),
        community: Some(CommunityId(row.community_id)),
        company: row.company_id.map(CompanyId),
        estate: Some(EstateId(row.id)),
        ..Place::PUBLIC
    }
}

/// The open estates in the caller's scope, optionally narrowed to a street or
/// community of the grid; a fixed number of queries however many estates.
pub fn directory(
    conn: &mut DbConn,
    caller: &Caller,
    street: Option<StreetId>,
    community: Option<CommunityId>,
) -> Result<EstateDirectory, AppError> {
    let grant = caller.grant.as_ref().ok_or(AppError::Forbidden)?;
    let visible: Vec<db::EstateRow> = db::open_estates(conn)?
        .into_iter()
        .filter(|row| place_of_row(row).within(&grant.scope))
        .collect();
    let mut streets = Vec::new();
    let mut communities = Vec::new();
    for row in &visible {
        let s = (
            StreetId(row.street_id),
            LocalizedName::new(&row.street, &row.street_en),
        );
        if !streets.contains(&s) {
            streets.push(s);
        }
        let c = (
            CommunityId(row.community_id),
            StreetId(row.street_id),
            LocalizedName::new(&row.community, &row.community_en),
        );
        if !communities.contains(&c) {
            communities.push(c);
        }
    }
    let chosen = visible
        .into_iter()
        .filter(|row| street.is_none_or(|s| s.0 == row.street_id))
        .filter(|row| community.is_none_or(|c| c.0 == row.community_id))
        .collect();
    let estates = listings(conn, chosen)?;
    let can_add_for = match (grant.role, grant.scope) {
        (Role::Manager, Scope::Company(c)) => Some(c),
        _ => None,
    };
    Ok(EstateDirectory {
        estates,
        streets,
        communities,
        can_add_for,
    })
}

/// The list lines of these estates: counts, takeovers, chairs and company
/// names are each loaded once for all of them.
pub fn listings(
    conn: &mut DbConn,
    rows: Vec<db::EstateRow>,
) -> Result<Vec<EstateListing>, AppError> {
    let counts: BTreeMap<i64, (i64, i64)> = db::household_counts(conn)?
        .into_iter()
        .map(|(e, n, v)| (e, (n, v)))
        .collect();
    let takeovers: BTreeMap<i64, (TakeoverState, NaiveDate)> = db::all_takeovers(conn)?
        .into_iter()
        .filter_map(|t| {
            let state = TakeoverState::from_code(&t.state_before)?;
            Some((t.estate_id, (state, t.taken_over_on)))
        })
        .collect();
    let chairs: BTreeMap<i64, (String, bool)> = db::sitting_chairs(conn)?
        .into_iter()
        .map(|(e, name, party)| (e, (name, party)))
        .collect();
    let company_names: BTreeMap<i64, LocalizedName> = crate::db::roster::company_signboards(conn)?
        .into_iter()
        .map(|c| (c.0, LocalizedName::new(c.1, c.2)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let (n, v) = counts.get(&row.id).copied().unwrap_or_default();
            EstateListing {
                id: EstateId(row.id),
                street: StreetId(row.street_id),
                community: LocalizedName::new(row.community, row.community_en),
                company: row.company_id.and_then(|c| company_names.get(&c).cloned()),
                households: u32::try_from(n).unwrap_or(u32::MAX),
                vacant: u32::try_from(v).unwrap_or(u32::MAX),
                takeover: takeovers.get(&row.id).copied(),
                chair: chairs.get(&row.id).cloned(),
                grid_worker: row.grid_worker,
                name: LocalizedName::new(row.name, row.name_en),
            }
        })
        .collect())
}

/// An estate's name, address and grid worker as typed into the form.
pub struct EstateInput {
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub grid_worker: String,
    pub grid_worker_phone: String,
}

impl EstateInput {
    pub fn parse(
        name: &str,
        name_en: &str,
        address: &str,
        grid_worker: &str,
        grid_worker_phone: &str,
    ) -> Result<EstateInput, AppError> {
        Ok(EstateInput {
            name: required_text(name, 60).ok_or(AppError::invalid("name", Key::EstateErrorName))?,
            name_en: optional_text(name_en, 120, "name_en")?,
            address: optional_text(address, 200, "address")?,
            grid_worker: optional_text(grid_worker, 30, "grid_worker")?,
            grid_worker_phone: optional_phone(grid_worker_phone, "grid_worker_phone")?,
        })
    }

    fn details(&self) -> db::EstateDetails<'_> {
        db::EstateDetails {
            name: &self.name,
            name_en: &self.name_en,
            address: &self.address,
            grid_worker: &self.grid_worker,
            grid_worker_phone: &self.grid_worker_phone,
        }
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "name": self.name, "name_en": self.name_en, "address": self.address,
            "grid_worker": self.grid_worker, "grid_worker_phone": self.grid_worker_phone,
        })
    }
}

fn optional_text(input: &str, max: usize, field: &str) -> Result<String, AppError> {
    let t = input.trim();
    if t.chars().count() > max {
        return Err(AppError::invalid(field, Key::EstateErrorTooLong));
    }
    Ok(t.to_owned())
}

fn optional_phone(input: &str, field: &str) -> Result<String, AppError> {
    if input.trim().is_empty() {
        return Ok(String::new());
    }
    parse_phone(input).ok_or(AppError::invalid(field, Key::EstateErrorPhone))
}

fn taken(e: crate::db::DbError, field: &str, key: Key) -> AppError {
    if e.is_unique_violation() {
        AppError::invalid(field, key)
    } else {
        e.into()
    }
}

/// A company records an estate it has taken over; it sits in the company's
/// community. The poster's secret is made at once.
pub fn create_estate(
    conn: &mut DbConn,
    caller: &Caller,
    company: CompanyId,
    input: &EstateInput,
    now: NaiveDateTime,
) -> Result<EstateId, AppError> {
    write_tx(conn, |conn| {
        let community = db::company_community(conn, company.0)?;
        let (token, _) = super::passwords::new_session_token();
        let id = db::insert_estate(conn, community, Some(company.0), &input.details(), &token)
            .map_err(|e| taken(e, "name", Key::EstateErrorNameTaken))?;
        let place = place_of(conn, Target::Estate(EstateId(id)), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Estate,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(input.json()),
                place: &place,
            },
            now,
        )?;
        Ok(EstateId(id))
    })
}

pub fn update_estate(
    conn: &mut DbConn,
    caller: &Caller,
    id: EstateId,
    input: &EstateInput,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = db::estate(conn, id.0)?;
        let before = json!({
            "name": row.name, "name_en": row.name_en, "address": row.address,
            "grid_worker": row.grid_worker, "grid_worker_phone": row.grid_worker_phone,
        });
        db::update_estate(conn, id.0, &input.details())
            .map_err(|e| taken(e, "name", Key::EstateErrorNameTaken))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Estate,
                entity_id: id.0,
                action: AuditAction::Update,
                before: Some(before),
                after: Some(input.json()),
                place: &place_of_row(&row),
            },
            now,
        )
    })
}

/// The takeover form's fields, as typed.
pub struct TakeoverForm {
    pub state_before: String,
    pub taken_over_on: String,
    pub interim_agreement: String,
    /// Condition codes in `BaselineItem::ALL` order.
    pub baseline: [String; 6],
    pub baseline_notes: String,
    pub files_handed_over: String,
}

fn takeover_json(t: &Takeover) -> serde_json::Value {
    let mut value = json!({
        "state_before": t.state_before.code(),
        "taken_over_on": t.taken_over_on.to_string(),
        "interim_agreement": t.interim_agreement,
        "baseline_notes": t.baseline_notes,
        "files_handed_over": t.files_handed_over,
    });
    for (item, condition) in &t.baseline {
        value[item.code()] = json!(condition.code());
    }
    value
}

/// Records (or corrects) how the estate's company took it over.
pub fn record_takeover(
    conn: &mut DbConn,
    caller: &Caller,
    id: EstateId,
    form: &TakeoverForm,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let state_before = TakeoverState::from_code(form.state_before.trim())
        .ok_or(AppError::invalid("state_before", Key::TakeoverErrorState))?;
    let taken_over_on = NaiveDate::parse_from_str(form.taken_over_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("taken_over_on", Key::EstateErrorDate))?;
    let mut baseline = Vec::new();
    for (item, code) in BaselineItem::ALL.iter().zip(&form.baseline) {
        let condition = Condition::from_code(code.trim())
            .ok_or(AppError::invalid(item.code(), Key::TakeoverErrorCondition))?;
        baseline.push((*item, condition));
    }
    write_tx(conn, |conn| {
        let row = db::estate(conn, id.0)?;
        let company = row
            .company_id
            .ok_or(AppError::Conflict(Key::EstateErrorNoCompany))?;
        let takeover = Takeover {
            company: CompanyId(company),
            state_before,
            taken_over_on,
            interim_agreement: optional_text(&form.interim_agreement, 500, "interim_agreement")?,
            baseline,
            baseline_notes: optional_text(&form.baseline_notes, 2000, "baseline_notes")?,
            files_handed_over: optional_text(&form.files_handed_over, 1000, "files_handed_over")?,
        };
        takeover
            .check(crate::domain::time::china_date(now))
            .map_err(|e| match e {
                TakeoverError::InFuture => {
                    AppError::invalid("taken_over_on", Key::TakeoverErrorFuture)
                }
                TakeoverError::IncompleteBaseline => {
                    AppError::invalid("cleaning", Key::TakeoverErrorCondition)
                }
            })?;
        let before = db::takeover(conn, id.0)?.map(|t| takeover_json(&takeover_of(t)));
        let codes: Vec<&str> = takeover.baseline.iter().map(|(_, c)| c.code()).collect();
        let baseline: [&str; 6] = codes
            .try_into()
            .map_err(|_| AppError::invalid("cleaning", Key::TakeoverErrorCondition))?;
        db::save_takeover(
            conn,
            &db::NewTakeover {
                estate_id: id.0,
                company_id: company,
                state_before: state_before.code(),
                taken_over_on,
                interim_agreement: &takeover.interim_agreement,
                baseline_notes: &takeover.baseline_notes,
                baseline,
                files_handed_over: &takeover.files_handed_over,
                at: now,
            },
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Takeover,
                entity_id: id.0,
                action: if before.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                before,
                after: Some(takeover_json(&takeover)),
                place: &place_of_row(&row),
            },
            now,
        )
    })
}

pub fn add_building(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    name: &str,
    grid_worker: &str,
    grid_worker_phone: &str,
    now: NaiveDateTime,
) -> Result<BuildingId, AppError> {
    let name =
        required_text(name, 60).ok_or(AppError::invalid("building", Key::BuildingErrorName))?;
    let grid_worker = optional_text(grid_worker, 30, "grid_worker")?;
    let phone = optional_phone(grid_worker_phone, "grid_worker_phone")?;
    write_tx(conn, |conn| {
        let row = db::estate(conn, estate.0)?;
        let id = db::insert_building(conn, estate.0, &name, &grid_worker, &phone)
            .map_err(|e| taken(e, "building", Key::BuildingErrorTaken))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Building,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(
                    json!({"name": name, "grid_worker": grid_worker, "grid_worker_phone": phone}),
                ),
                place: &place_of_row(&row),
            },
            now,
        )?;
        Ok(BuildingId(id))
    })
}

/// A floor area typed into a form: empty means not known yet.
pub fn parse_area(input: &str) -> Result<Option<FloorArea>, AppError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    FloorArea::parse(input)
        .map(Some)
        .map_err(|_| AppError::invalid("floor_area", Key::HouseholdErrorArea))
}

#[allow(clippy::too_many_arguments)]
pub fn add_household(
    conn: &mut DbConn,
    caller: &Caller,
    building: BuildingId,
    unit: &str,
    room: &str,
    floor_area: Option<FloorArea>,
    vacant: bool,
    now: NaiveDateTime,
) -> Result<HouseholdId, AppError> {
    let unit = required_text(unit, 20).ok_or(AppError::invalid("unit", Key::HouseholdErrorUnit))?;
    let room = required_text(room, 20).ok_or(AppError::invalid("room", Key::HouseholdErrorRoom))?;
    write_tx(conn, |conn| {
        let b = db::building(conn, building.0)?;
        let id = db::insert_household(
            conn,
            &db::NewHousehold {
                building_id: building.0,
                unit: &unit,
                room: &room,
                floor_area: floor_area.map(FloorArea::hundredths),
                vacant,
            },
        )
        .map_err(|e| taken(e, "room", Key::HouseholdErrorTaken))?;
        let place = place_of(conn, Target::Estate(EstateId(b.estate_id)), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Household,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "building": b.name, "unit": unit, "room": room,
                    "floor_area": floor_area.map(|a| a.to_string()), "vacant": vacant,
                })),
                place: &place,
            },
            now,
        )?;
        Ok(HouseholdId(id))
    })
}

pub fn update_household(
    conn: &mut DbConn,
    caller: &Caller,
    id: HouseholdId,
    floor_area: Option<FloorArea>,
    vacant: bool,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = db::household(conn, id.0)?;
        db::update_household(conn, id.0, floor_area.map(FloorArea::hundredths), vacant)?;
        let place = place_of(conn, Target::Household(id), Some(caller))?;
        let area = |a: Option<i64>| a.map(|a| FloorArea::from_hundredths(a).to_string());
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Household,
                entity_id: id.0,
                action: AuditAction::Update,
                before: Some(json!({"floor_area": area(row.floor_area), "vacant": row.vacant})),
                after: Some(json!({
                    "floor_area": floor_area.map(|a| a.to_string()), "vacant": vacant,
                })),
                place: &place,
            },
            now,
        )
    })
}

pub fn add_resident(
    conn: &mut DbConn,
    caller: &Caller,
    household: HouseholdId,
    name: &str,
    phone: &str,
    relation: &str,
    now: NaiveDateTime,
) -> Result<ResidentId, AppError> {
    let name = required_text(name, 30).ok_or(AppError::invalid("name", Key::ResidentErrorName))?;
    let phone = optional_phone(phone, "phone")?;
    let relation = Relation::from_code(relation.trim())
        .ok_or(AppError::invalid("relation", Key::ResidentErrorRelation))?;
    write_tx(conn, |conn| {
        db::household(conn, household.0)?;
        let person_id = if phone.is_empty() {
            None
        } else {
            db::person_by_phone(conn, &phone)?
        };
        let id = db::insert_resident(
            conn,
            &db::NewResident {
                household_id: household.0,
                name: &name,
                phone: &phone,
                relation: relation.code(),
                person_id,
                at: now,
            },
        )?;
        let place = place_of(conn, Target::Household(household), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Resident,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({"name": name, "phone": phone, "relation": relation.code()})),
                place: &place,
            },
            now,
        )?;
        Ok(ResidentId(id))
    })
}

/// Marks a resident as moved out; the record stays. A resident with an
/// account loses the household with it, in the same transaction: the grant
/// ends and so do the sessions acting in it, so a former resident can no
/// longer see the bills, book work charged to the household or complain in
/// its name.
pub fn move_out(
    conn: &mut DbConn,
    caller: &Caller,
    id: ResidentId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = db::resident(conn, id.0)?;
        if db::move_out(conn, id.0, now)? == 0 {
            return Ok(());
        }
        let place = place_of(
            conn,
            Target::Household(HouseholdId(row.household_id)),
            Some(caller),
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Resident,
                entity_id: id.0,
                action: AuditAction::End,
                before: Some(json!({"name": row.name})),
                after: None,
                place: &place,
            },
            now,
        )?;
        let Some(person) = row.person_id else {
            return Ok(());
        };
        // Someone recorded twice in the household (moved back in) keeps it.
        let still_lives_there = db::residents_of_household(conn, row.household_id)?
            .iter()
            .any(|r| r.person_id == Some(person) && r.moved_out_at.is_none());
        if still_lives_there {
            return Ok(());
        }
        for grant in accounts::live_grants(conn, person)? {
            if grant.role == Role::Resident.code() && grant.household_id == Some(row.household_id) {
                super::accounts::end_grant(conn, caller, &grant, now)?;
            }
        }
        Ok(())
    })
}

/// The household a resident record belongs to (for authorizing).
pub fn household_of_resident(conn: &mut DbConn, id: ResidentId) -> Result<HouseholdId, AppError> {
    Ok(HouseholdId(db::resident(conn, id.0)?.household_id))
}

pub fn estate_of_building(conn: &mut DbConn, id: BuildingId) -> Result<EstateId, AppError> {
    Ok(EstateId(db::building(conn, id.0)?.estate_id))
}

pub fn estate_of_committee(conn: &mut DbConn, id: CommitteeId) -> Result<EstateId, AppError> {
    Ok(EstateId(db::committee(conn, id.0)?.estate_id))
}

pub fn estate_of_registration(conn: &mut DbConn, id: RegistrationId) -> Result<EstateId, AppError> {
    Ok(EstateId(db::registration(conn, id.0)?.estate_id))
}

fn parse_date(input: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, Key::EstateErrorDate))
}

/// Records a newly elected committee; the sitting one (if any) ends and
/// stays in the history.
pub fn start_committee(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    starts_on: &str,
    ends_on: &str,
    now: NaiveDateTime,
) -> Result<CommitteeId, AppError> {
    let starts = parse_date(starts_on, "term_starts_on")?;
    let ends = parse_date(ends_on, "term_ends_on")?;
    check_term(starts, ends).map_err(|e| match e {
        TermError::EndsBeforeStart => {
            AppError::invalid("term_ends_on", Key::CommitteeErrorTermOrder)
        }
        TermError::TooLong => AppError::invalid("term_ends_on", Key::CommitteeErrorTermLong),
    })?;
    write_tx(conn, |conn| {
        let row = db::estate(conn, estate.0)?;
        let ended = db::end_sitting_committee(conn, estate.0, now)?;
        let id = db::insert_committee(conn, estate.0, starts, ends, now)?;
        let place = place_of_row(&row);
        if let Some(old) = ended {
            audit::record(
                conn,
                Change {
                    by: Some(caller.person),
                    entity: AuditEntity::Committee,
                    entity_id: old,
                    action: AuditAction::End,
                    before: None,
                    after: None,
                    place: &place,
                },
                now,
            )?;
        }
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Committee,
                entity_id: id,
                action: AuditAction::Create,
                before: None,
                after: Some(json!({
                    "estate": row.name, "term_starts_on": starts.to_string(),
                    "term_ends_on": ends.to_string(),
                })),
                place: &place,
            },
            now,
        )?;
        Ok(CommitteeId(id))
    })
}

#[allow(clippy::too_many_arguments)]
pub fn add_committee_member(
    conn: &mut DbConn,
    caller: &Caller,
    committee: CommitteeId,
    name: &str,
    phone: &str,
    position: &str,
    party_member: bool,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let name = required_text(name, 30).ok_or(AppError::invalid("name", Key::ResidentErrorName))?;
    let phone = optional_phone(phone, "phone")?;
    let position = CommitteePosition::from_code(position.trim())
        .ok_or(AppError::invalid("position", Key::CommitteeErrorPosition))?;
    write_tx(conn, |conn| {
        let c = db::committee(conn, committee.0)?;
        if c.ended_at.is_some() {
            return Err(AppError::Conflict(Key::CommitteeErrorEnded));
        }
        let person_id = if phone.is_empty() {
            None
        } else {
            db::person_by_phone(conn, &phone)?
        };
        let id = db::insert_member(
            conn,
            &db::NewMember {
                committee_id: committee.0,
                name: &name,
                phone: &phone,
                position: position.code(),
                party_member,
                person_id,
                at: now,
            },
        )
        .map_err(|e| taken(e, "position", Key::CommitteeErrorChairTaken))?;
        let place = place_of(conn, Target::Estate(EstateId(c.estate_id)), Some(caller))?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Committee,
                entity_id: committee.0,
                action: AuditAction::Update,
                before: None,
                after: Some(json!({
                    "member": id, "name": name, "position": position.code(),
                    "party_member": party_member,
                })),
                place: &place,
            },
            now,
        )
    })
}

/// What the estate holds, for checking an import file.
fn contents(conn: &mut DbConn, estate: EstateId) -> Result<EstateContents, AppError> {
    let buildings = db::buildings_of_estate(conn, estate.0)?;
    let names: BTreeMap<i64, String> = buildings.iter().map(|b| (b.id, b.name.clone())).collect();
    let households = db::households_of_estate(conn, estate.0)?;
    let mut keys: BTreeMap<i64, (String, String, String)> = BTreeMap::new();
    for h in &households {
        if let Some(b) = names.get(&h.building_id) {
            keys.insert(h.id, (b.clone(), h.unit.clone(), h.room.clone()));
        }
    }
    let mut residents = BTreeSet::new();
    for r in db::current_residents_of_estate(conn, estate.0)? {
        if let Some((b, u, room)) = keys.get(&r.household_id) {
            residents.insert((b.clone(), u.clone(), room.clone(), r.name));
        }
    }
    Ok(EstateContents {
        buildings: names.into_values().collect(),
        households: keys.into_values().collect(),
        residents,
    })
}

fn file_error(e: crate::domain::estate_import::FileProblem) -> AppError {
    use crate::domain::estate_import::FileProblem as P;
    AppError::invalid(
        "file",
        match e {
            P::Empty => Key::ImportErrorEmpty,
            P::TooBig => Key::ImportErrorTooBig,
            P::NotText => Key::ImportErrorNotText,
            P::NotUtf8 => Key::ImportErrorNotUtf8,
            P::MissingColumn(_) => Key::ImportErrorMissingColumn,
            P::UnclosedQuote(_) => Key::ImportErrorQuote,
            P::TooManyRows => Key::ImportErrorTooManyRows,
            P::NoRows => Key::ImportErrorNoRows,
        },
    )
}

pub fn estate_name(conn: &mut DbConn, id: EstateId) -> Result<LocalizedName, AppError> {
    let row = db::estate(conn, id.0)?;
    Ok(LocalizedName::new(row.name, row.name_en))
}

/// Checks a file against the estate; changes nothing.
pub fn preview_import(
    conn: &mut DbConn,
    estate: EstateId,
    kind: ImportKind,
    text: &str,
) -> Result<ImportPreview, AppError> {
    let contents = contents(conn, estate)?;
    Ok(check_file(kind, text, &contents)
        .map_err(file_error)?
        .preview)
}

/// Writes a whole file, or nothing: the file is checked again inside the
/// transaction, and any bad row refuses it all. Returns the rows written.
pub fn commit_import(
    conn: &mut DbConn,
    caller: &Caller,
    estate: EstateId,
    kind: ImportKind,
    text: &str,
    now: NaiveDateTime,
) -> Result<u32, AppError> {
    write_tx(conn, |conn| {
        let row = db::estate(conn, estate.0)?;
        let contents = contents(conn, estate)?;
        let checked = check_file(kind, text, &contents).map_err(file_error)?;
        if !checked.preview.is_clean() {
            return Err(AppError::Conflict(Key::ImportErrorNotClean));
        }
        let building_ids: BTreeMap<String, i64> = db::buildings_of_estate(conn, estate.0)?
            .into_iter()
            .map(|b| (b.name, b.id))
            .collect();
        let mut households = Vec::new();
        let mut residents = Vec::new();
        let household_ids: BTreeMap<(i64, String, String), i64> = if kind == ImportKind::Residents {
            db::households_of_estate(conn, estate.0)?
                .into_iter()
                .map(|h| ((h.building_id, h.unit, h.room), h.id))
                .collect()
        } else {
            BTreeMap::new()
        };
        let phones: Vec<String> = checked
            .lines
            .iter()
            .filter_map(|l| match l {
                ImportLine::Resident { phone, .. } if !phone.is_empty() => Some(phone.clone()),
                _ => None,
            })
            .collect();
        let accounts: BTreeMap<String, i64> = phones
            .chunks(500)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|p| Ok(db::person_by_phone(conn, p)?.map(|id| (p.clone(), id))))
                    .collect::<Result<Vec<_>, AppError>>()
            })
            .collect::<Result<Vec<_>, AppError>>()?
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        for line in &checked.lines {
            match line {
                ImportLine::Building {
                    name,
                    grid_worker,
                    grid_worker_phone,
                } => {
                    db::insert_building(conn, estate.0, name, grid_worker, grid_worker_phone)?;
                }
                ImportLine::Household {
                    building,
                    unit,
                    room,
                    floor_area,
                    vacant,
                } => {
                    let building_id = *building_ids
                        .get(building)
                        .ok_or(AppError::Conflict(Key::ImportErrorNotClean))?;
                    households.push(db::NewHousehold {
                        building_id,
                        unit,
                        room,
                        floor_area: Some(floor_area.hundredths()),
                        vacant: *vacant,
                    });
                }
                ImportLine::Resident {
                    building,
                    unit,
                    room,
                    name,
                    phone,
                    relation,
                } => {
                    let household_id = building_ids
                        .get(building)
                        .and_then(|b| household_ids.get(&(*b, unit.clone(), room.clone())))
                        .copied()
                        .ok_or(AppError::Conflict(Key::ImportErrorNotClean))?;
                    residents.push(db::NewResident {
                        household_id,
                        name,
                        phone,
                        relation: relation.code(),
                        person_id: accounts.get(phone).copied(),
                        at: now,
                    });
                }
            }
        }
        db::insert_households(conn, &households)?;
        db::insert_residents(conn, &residents)?;
        let written = u32::try_from(checked.lines.len()).unwrap_or(u32::MAX);
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Estate,
                entity_id: estate.0,
                action: AuditAction::Import,
                before: None,
                after: Some(json!({"kind": kind.code(), "rows": written})),
                place: &place_of_row(&row),
            },
            now,
        )?;
        Ok(written)
    })
}

/// The page behind the QR poster: anyone holding the link sees the estate's
/// rooms to pick from, nothing about who lives there.
pub fn join_page(conn: &mut DbConn, token: &str) -> Result<JoinPage, AppError> {
    let row = db::estate_by_token(conn, token)?;
    let company = match row.company_id {
        Some(c) => {
            let (zh, en) = accounts::company_name(conn, c)?;
            Some(LocalizedName::new(zh, en))
        }
        None => None,
    };
    let names: BTreeMap<i64, String> = db::buildings_of_estate(conn, row.id)?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let households = db::households_of_estate(conn, row.id)?
        .into_iter()
        .filter_map(|h| {
            let building = names.get(&h.building_id)?.clone();
            Some((HouseholdId(h.id), building, h.unit, h.room))
        })
        .collect();
    Ok(JoinPage {
        estate: LocalizedName::new(row.name, row.name_en),
        address: row.address,
        company,
        households,
    })
}

/// A self-registration form as typed.
pub struct RegistrationForm {
    pub household: HouseholdId,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub relation: String,
    pub password: String,
}

/// Requests from one address per hour, at most: a poster on a notice board is
/// not a reason to let a script fill the manager's queue.
pub const REGISTRATIONS_PER_HOUR: i64 = 20;

/// Files a request from the poster's page; the manager decides it. Asking
/// again for the same household and phone while one is open changes nothing.
pub fn register(
    conn: &mut DbConn,
    token: &str,
    form: &RegistrationForm,
    client_address: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<RegistrationId, AppError> {
    use crate::domain::accounts::{LoginName, NewPassword};
    let name =
        required_text(&form.name, 30).ok_or(AppError::invalid("name", Key::ResidentErrorName))?;
    let phone = match LoginName::parse(&form.phone) {
        Ok(LoginName::Phone(p)) => p,
        _ => return Err(AppError::invalid("phone", Key::PeopleErrorPhone)),
    };
    let email =
        parse_email(&form.email).ok_or(AppError::invalid("email", Key::PeopleErrorEmail))?;
    let relation = Relation::from_code(form.relation.trim())
        .ok_or(AppError::invalid("relation", Key::ResidentErrorRelation))?;
    let password = NewPassword::parse(&form.password, &[&phone]).map_err(|e| {
        match super::accounts::password_error(e) {
            AppError::Invalid { message, .. } => AppError::invalid("password", message),
            other => other,
        }
    })?;
    let since = now - chrono::Duration::hours(1);
    let throttled = |conn: &mut DbConn| {
        Ok::<_, AppError>(
            db::registrations_from(conn, client_address, since)? >= REGISTRATIONS_PER_HOUR,
        )
    };
    // Checked before the (deliberately slow) hash, and again in the transaction.
    if throttled(conn)? {
        return Err(AppError::Throttled);
    }
    let hash = super::passwords::hash(password.expose())?;
    write_tx(conn, |conn| {
        let estate = db::estate_by_token(conn, token)?;
        let household = db::household(conn, form.household.0)
            .ok()
            .filter(|h| h.estate_id == estate.id)
            .ok_or(AppError::invalid(
                "household",
                Key::RegistrationErrorHousehold,
            ))?;
        if throttled(conn)? {
            return Err(AppError::Throttled);
        }
        let id = db::insert_registration(
            conn,
            &db::NewRegistration {
                estate_id: estate.id,
                household_id: household.id,
                name: &name,
                phone: &phone,
                email: &email,
                relation: relation.code(),
                password_hash: &hash,
                lang: lang.tag(),
                client_address,
                at: now,
            },
        )
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::Conflict(Key::RegistrationErrorPending)
            } else {
                e.into()
            }
        })?;
        Ok(RegistrationId(id))
    })
}

/// The poster: the estate's link and its QR code. Made on first use for
/// estates from before posters existed.
pub fn poster(conn: &mut DbConn, id: EstateId, site_url: &str) -> Result<JoinPoster, AppError> {
    let row = db::estate(conn, id.0)?;
    let token = match row.join_token.clone() {
        Some(t) => t,
        None => write_tx(conn, |conn| {
            let (token, _) = super::passwords::new_session_token();
            db::set_join_token(conn, id.0, &token)?;
            Ok::<_, AppError>(token)
        })?,
    };
    let url = format!("{}/join/{token}", site_url.trim_end_matches('/'));
    let svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| {
            tracing::error!(error = %e, "QR code could not be made");
            AppError::Internal
        })?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    let company = match row.company_id {
        Some(c) => {
            let (zh, en) = accounts::company_name(conn, c)?;
            Some(LocalizedName::new(zh, en))
        }
        None => None,
    };
    Ok(JoinPoster {
        estate: LocalizedName::new(row.name, row.name_en),
        company,
        url,
        svg,
    })
}

/// A new secret for the poster: old posters stop working (e.g. one was
/// posted somewhere it should not be).
pub fn renew_poster(
    conn: &mut DbConn,
    caller: &Caller,
    id: EstateId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = db::estate(conn, id.0)?;
        let (token, _) = super::passwords::new_session_token();
        db::set_join_token(conn, id.0, &token)?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Estate,
                entity_id: id.0,
                action: AuditAction::Update,
                before: Some(json!({"poster": "old"})),
                after: Some(json!({"poster": "new"})),
                place: &place_of_row(&row),
            },
            now,
        )
    })
}

/// The estate's self-registration requests: open ones first, then the
/// latest decided.
pub fn registrations(
    conn: &mut DbConn,
    estate: EstateId,
) -> Result<Vec<RegistrationView>, AppError> {
    let rows = db::registrations_of_estate(conn, estate.0, 100)?;
    let households: BTreeMap<i64, db::HouseholdLineRow> = db::households_of_estate(conn, estate.0)?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let names: BTreeMap<i64, String> = db::buildings_of_estate(conn, estate.0)?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let phones: Vec<String> = rows.iter().map(|r| r.phone.clone()).collect();
    let with_accounts: BTreeSet<String> = db::phones_with_accounts(conn, &phones)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let h = households.get(&r.household_id);
            RegistrationView {
                id: RegistrationId(r.id),
                household: HouseholdId(r.household_id),
                building: h
                    .and_then(|h| names.get(&h.building_id))
                    .cloned()
                    .unwrap_or_default(),
                unit: h.map(|h| h.unit.clone()).unwrap_or_default(),
                room: h.map(|h| h.room.clone()).unwrap_or_default(),
                existing_account: with_accounts.contains(&r.phone),
                name: r.name,
                phone: r.phone,
                email: r.email,
                relation: Relation::from_code(&r.relation).unwrap_or(Relation::Family),
                status: RegistrationStatus::from_code(&r.status)
                    .unwrap_or(RegistrationStatus::Pending),
                reason: r.reason,
                created_at: r.created_at,
            }
        })
        .collect())
}

/// Approves or rejects a request. Approval links the phone's account (made now
/// with the password the resident chose, if there is none) to the household as
/// a resident, and records them as living there; either way the resident is
/// told by mail, in the same transaction.
pub fn decide_registration(
    conn: &mut DbConn,
    site_url: &str,
    caller: &Caller,
    id: RegistrationId,
    approve: bool,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(AppError::invalid("reason", Key::RegistrationErrorReason));
    }
    if reason.chars().count() > 200 {
        return Err(AppError::invalid("reason", Key::EstateErrorTooLong));
    }
    write_tx(conn, |conn| {
        let r = db::registration(conn, id.0)?;
        if r.status != RegistrationStatus::Pending.code() {
            return Err(AppError::Conflict(Key::RegistrationErrorDecided));
        }
        let estate = db::estate(conn, r.estate_id)?;
        let household = db::household(conn, r.household_id)?;
        let place = place_of_row(&estate);
        let lang = Lang::from_tag(&r.lang).unwrap_or_default();
        let person = if approve {
            let person = match db::person_by_phone(conn, &r.phone)? {
                Some(p) => p,
                None => accounts::insert_person(
                    conn,
                    &accounts::NewPerson {
                        name: &r.name,
                        phone: Some(&r.phone),
                        username: None,
                        email: Some(&r.email),
                        password_hash: &r.password_hash,
                        must_change_password: false,
                    },
                )?,
            };
            let holds = super::access::grants_of(conn, person)?.iter().any(|g| {
                g.role == Role::Resident && g.scope == Scope::Household(HouseholdId(r.household_id))
            });
            if !holds {
                accounts::insert_grant(
                    conn,
                    person,
                    Role::Resident.code(),
                    accounts::GrantScope {
                        household_id: Some(r.household_id),
                        ..Default::default()
                    },
                )?;
            }
            let lives_there = db::residents_of_household(conn, r.household_id)?
                .iter()
                .any(|x| x.person_id == Some(person) && x.moved_out_at.is_none());
            if !lives_there {
                db::insert_resident(
                    conn,
                    &db::NewResident {
                        household_id: r.household_id,
                        name: &r.name,
                        phone: &r.phone,
                        relation: &r.relation,
                        person_id: Some(person),
                        at: now,
                    },
                )?;
            }
            Some(person)
        } else {
            None
        };
        let status = if approve {
            RegistrationStatus::Approved
        } else {
            RegistrationStatus::Rejected
        };
        db::decide_registration(
            conn,
            id.0,
            status.code(),
            reason,
            caller.person.0,
            person,
            now,
        )?;
        let content = if approve {
            MailContent::RegistrationApproved {
                estate: estate.name.clone(),
                household: format!("{}{}{}", household.building, household.unit, household.room),
            }
        } else {
            MailContent::RegistrationRejected {
                estate: estate.name.clone(),
                reason: reason.to_owned(),
            }
        };
        super::mail::enqueue_to_address(
            conn,
            site_url,
            &super::mail::Recipient {
                person: person.map(PersonId),
                name: &r.name,
                address: &r.email,
                lang,
            },
            estate.company_id.map(CompanyId),
            &content,
            now,
        )?;
        audit::record(
            conn,
            Change {
                by: Some(caller.person),
                entity: AuditEntity::Registration,
                entity_id: id.0,
                action: if approve {
                    AuditAction::Approve
                } else {
                    AuditAction::Reject
                },
                before: None,
                after: Some(json!({
                    "name": r.name, "phone": r.phone, "household": r.household_id,
                    "reason": reason,
                })),
                place: &place,
            },
            now,
        )
    })
}

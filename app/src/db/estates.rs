//! Estates, buildings, households, residents, takeover records, homeowner
//! committees and self-registration requests.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    buildings, committee_members, committees, communities, companies, estates, households, persons,
    registrations, residents, role_grants, streets, takeovers,
};
use super::{DbConn, DbError};

#[derive(Queryable, Debug)]
pub struct HouseholdRow {
    pub id: i64,
    pub unit: String,
    pub room: String,
    pub floor_area: Option<i64>,
    pub vacant: bool,
    pub building_id: i64,
    pub building: String,
    pub estate_id: i64,
    pub estate: String,
    pub estate_en: String,
    pub address: String,
    pub company_id: Option<i64>,
}

pub fn household(conn: &mut DbConn, id: i64) -> Result<HouseholdRow, DbError> {
    Ok(households::table
        .inner_join(buildings::table.inner_join(estates::table))
        .filter(households::id.eq(id))
        .select((
            households::id,
            households::unit,
            households::room,
            households::floor_area,
            households::vacant,
            buildings::id,
            buildings::name,
            estates::id,
            estates::name,
            estates::name_en,
            estates::address,
            estates::company_id,
        ))
        .first(conn)?)
}

/// People holding a live resident grant for the household.
pub fn resident_accounts(
    conn: &mut DbConn,
    household_id: i64,
) -> Result<Vec<(i64, String)>, DbError> {
    Ok(role_grants::table
        .inner_join(persons::table)
        .filter(role_grants::household_id.eq(household_id))
        .filter(role_grants::role.eq("resident"))
        .filter(role_grants::revoked_at.is_null())
        .select((persons::id, persons::name))
        .order(persons::id)
        .load(conn)?)
}

#[derive(Queryable, Debug, Clone)]
pub struct ResidentRow {
    pub id: i64,
    pub household_id: i64,
    pub name: String,
    pub phone: String,
    pub relation: String,
    pub person_id: Option<i64>,
    pub moved_out_at: Option<NaiveDateTime>,
}

type ResidentColumns = (
    residents::id,
    residents::household_id,
    residents::name,
    residents::phone,
    residents::relation,
    residents::person_id,
    residents::moved_out_at,
);

const RESIDENT_COLUMNS: ResidentColumns = (
    residents::id,
    residents::household_id,
    residents::name,
    residents::phone,
    residents::relation,
    residents::person_id,
    residents::moved_out_at,
);

/// Everyone who lives or lived in the household, in the order recorded.
pub fn residents_of_household(
    conn: &mut DbConn,
    household_id: i64,
) -> Result<Vec<ResidentRow>, DbError> {
    Ok(residents::table
        .filter(residents::household_id.eq(household_id))
        .select(RESIDENT_COLUMNS)
        .order(residents::id)
        .load(conn)?)
}

/// Residents living in the estate now, in one query.
pub fn current_residents_of_estate(
    conn: &mut DbConn,
    estate_id: i64,
) -> Result<Vec<ResidentRow>, DbError> {
    Ok(residents::table
        .inner_join(households::table.inner_join(buildings::table))
        .filter(buildings::estate_id.eq(estate_id))
        .filter(residents::moved_out_at.is_null())
        .select(RESIDENT_COLUMNS)
        .order(residents::id)
        .load(conn)?)
}

pub fn resident(conn: &mut DbConn, id: i64) -> Result<ResidentRow, DbError> {
    Ok(residents::table
        .filter(residents::id.eq(id))
        .select(RESIDENT_COLUMNS)
        .first(conn)?)
}

pub struct NewResident<'a> {
    pub household_id: i64,
    pub name: &'a str,
    pub phone: &'a str,
    pub relation: &'a str,
    pub person_id: Option<i64>,
    pub at: NaiveDateTime,
}

pub fn insert_resident(conn: &mut DbConn, new: &NewResident<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(residents::table)
        .values((
            residents::household_id.eq(new.household_id),
            residents::name.eq(new.name),
            residents::phone.eq(new.phone),
            residents::relation.eq(new.relation),
            residents::person_id.eq(new.person_id),
            residents::created_at.eq(new.at),
        ))
        .returning(residents::id)
        .get_result(conn)?)
}

pub fn move_out(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        residents::table
            .filter(residents::id.eq(id))
            .filter(residents::moved_out_at.is_null()),
    )
    .set(residents::moved_out_at.eq(at))
    .execute(conn)?)
}

#[derive(Queryable, Debug)]
pub struct EstateRow {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub address: String,
    pub community_id: i64,
    pub community: String,
    pub community_en: String,
    pub street_id: i64,
    pub street: String,
    pub street_en: String,
    pub district_id: i64,
    pub company_id: Option<i64>,
    pub grid_worker: String,
    pub grid_worker_phone: String,
    pub join_token: Option<String>,
}

type EstateColumns = (
    estates::id,
    estates::name,
    estates::name_en,
    estates::address,
    communities::id,
    communities::name,
    communities::name_en,
    streets::id,
    streets::name,
    streets::name_en,
    streets::district_id,
    estates::company_id,
    estates::grid_worker,
    estates::grid_worker_phone,
    estates::join_token,
);

const ESTATE_COLUMNS: EstateColumns = (
    estates::id,
    estates::name,
    estates::name_en,
    estates::address,
    communities::id,
    communities::name,
    communities::name_en,
    streets::id,
    streets::name,
    streets::name_en,
    streets::district_id,
    estates::company_id,
    estates::grid_worker,
    estates::grid_worker_phone,
    estates::join_token,
);

pub fn estate(conn: &mut DbConn, id: i64) -> Result<EstateRow, DbError> {
    Ok(estates::table
        .inner_join(communities::table.inner_join(streets::table))
        .filter(estates::id.eq(id))
        .select(ESTATE_COLUMNS)
        .first(conn)?)
}

/// Every open estate, with its community and street.
pub fn open_estates(conn: &mut DbConn) -> Result<Vec<EstateRow>, DbError> {
    Ok(estates::table
        .inner_join(communities::table.inner_join(streets::table))
        .filter(estates::closed_at.is_null())
        .select(ESTATE_COLUMNS)
        .order((streets::id, communities::id, estates::name))
        .load(conn)?)
}

pub fn estate_by_token(conn: &mut DbConn, token: &str) -> Result<EstateRow, DbError> {
    Ok(estates::table
        .inner_join(communities::table.inner_join(streets::table))
        .filter(estates::join_token.eq(token))
        .filter(estates::closed_at.is_null())
        .select(ESTATE_COLUMNS)
        .first(conn)?)
}

pub fn set_join_token(conn: &mut DbConn, estate_id: i64, token: &str) -> Result<(), DbError> {
    diesel::update(estates::table.filter(estates::id.eq(estate_id)))
        .set(estates::join_token.eq(token))
        .execute(conn)?;
    Ok(())
}

pub struct EstateDetails<'a> {
    pub name: &'a str,
    pub name_en: &'a str,
    pub address: &'a str,
    pub grid_worker: &'a str,
    pub grid_worker_phone: &'a str,
}

pub fn insert_estate(
    conn: &mut DbConn,
    community_id: i64,
    company_id: Option<i64>,
    details: &EstateDetails<'_>,
    join_token: &str,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(estates::table)
        .values((
            estates::community_id.eq(community_id),
            estates::company_id.eq(company_id),
            estates::name.eq(details.name),
            estates::name_en.eq(details.name_en),
            estates::address.eq(details.address),
            estates::grid_worker.eq(details.grid_worker),
            estates::grid_worker_phone.eq(details.grid_worker_phone),
            estates::join_token.eq(join_token),
        ))
        .returning(estates::id)
        .get_result(conn)?)
}

pub fn update_estate(
    conn: &mut DbConn,
    id: i64,
    details: &EstateDetails<'_>,
) -> Result<(), DbError> {
    diesel::update(estates::table.filter(estates::id.eq(id)))
        .set((
            estates::name.eq(details.name),
            estates::name_en.eq(details.name_en),
            estates::address.eq(details.address),
            estates::grid_worker.eq(details.grid_worker),
            estates::grid_worker_phone.eq(details.grid_worker_phone),
        ))
        .execute(conn)?;
    Ok(())
}

/// The community a company sits in.
pub fn company_community(conn: &mut DbConn, company_id: i64) -> Result<i64, DbError> {
    Ok(companies::table
        .filter(companies::id.eq(company_id))
        .select(companies::community_id)
        .first(conn)?)
}

#[derive(Queryable, Debug)]
pub struct BuildingRow {
    pub id: i64,
    pub estate_id: i64,
    pub name: String,
    pub grid_worker: String,
    pub grid_worker_phone: String,
}

pub fn buildings_of_estate(conn: &mut DbConn, estate_id: i64) -> Result<Vec<BuildingRow>, DbError> {
    Ok(buildings::table
        .filter(buildings::estate_id.eq(estate_id))
        .select((
            buildings::id,
            buildings::estate_id,
            buildings::name,
            buildings::grid_worker,
            buildings::grid_worker_phone,
        ))
        .order(buildings::id)
        .load(conn)?)
}

pub fn building(conn: &mut DbConn, id: i64) -> Result<BuildingRow, DbError> {
    Ok(buildings::table
        .filter(buildings::id.eq(id))
        .select((
            buildings::id,
            buildings::estate_id,
            buildings::name,
            buildings::grid_worker,
            buildings::grid_worker_phone,
        ))
        .first(conn)?)
}

pub fn insert_building(
    conn: &mut DbConn,
    estate_id: i64,
    name: &str,
    grid_worker: &str,
    grid_worker_phone: &str,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(buildings::table)
        .values((
            buildings::estate_id.eq(estate_id),
            buildings::name.eq(name),
            buildings::grid_worker.eq(grid_worker),
            buildings::grid_worker_phone.eq(grid_worker_phone),
        ))
        .returning(buildings::id)
        .get_result(conn)?)
}

#[derive(Queryable, Debug)]
pub struct HouseholdLineRow {
    pub id: i64,
    pub building_id: i64,
    pub unit: String,
    pub room: String,
    pub floor_area: Option<i64>,
    pub vacant: bool,
}

/// The estate's households, in building, unit and room order.
pub fn households_of_estate(
    conn: &mut DbConn,
    estate_id: i64,
) -> Result<Vec<HouseholdLineRow>, DbError> {
    Ok(households::table
        .inner_join(buildings::table)
        .filter(buildings::estate_id.eq(estate_id))
        .select((
            households::id,
            households::building_id,
            households::unit,
            households::room,
            households::floor_area,
            households::vacant,
        ))
        .order((households::building_id, households::unit, households::room))
        .load(conn)?)
}

pub struct NewHousehold<'a> {
    pub building_id: i64,
    pub unit: &'a str,
    pub room: &'a str,
    pub floor_area: Option<i64>,
    pub vacant: bool,
}

pub fn insert_household(conn: &mut DbConn, new: &NewHousehold<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(households::table)
        .values((
            households::building_id.eq(new.building_id),
            households::unit.eq(new.unit),
            households::room.eq(new.room),
            households::floor_area.eq(new.floor_area),
            households::vacant.eq(new.vacant),
        ))
        .returning(households::id)
        .get_result(conn)?)
}

/// Many households in one statement per chunk (imports and the demo). The
/// multi-backend connection has no batch insert, so each backend's own runs it.
pub fn insert_households(conn: &mut DbConn, new: &[NewHousehold<'_>]) -> Result<(), DbError> {
    for chunk in new.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|h| {
                (
                    households::building_id.eq(h.building_id),
                    households::unit.eq(h.unit),
                    households::room.eq(h.room),
                    households::floor_area.eq(h.floor_area),
                    households::vacant.eq(h.vacant),
                )
            })
            .collect();
        let insert = diesel::insert_into(households::table).values(rows);
        match conn {
            DbConn::Pg(c) => insert.execute(c)?,
            DbConn::Sqlite(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Many residents in one statement per chunk.
pub fn insert_residents(conn: &mut DbConn, new: &[NewResident<'_>]) -> Result<(), DbError> {
    for chunk in new.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    residents::household_id.eq(r.household_id),
                    residents::name.eq(r.name),
                    residents::phone.eq(r.phone),
                    residents::relation.eq(r.relation),
                    residents::person_id.eq(r.person_id),
                    residents::created_at.eq(r.at),
                )
            })
            .collect();
        let insert = diesel::insert_into(residents::table).values(rows);
        match conn {
            DbConn::Pg(c) => insert.execute(c)?,
            DbConn::Sqlite(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

pub fn update_household(
    conn: &mut DbConn,
    id: i64,
    floor_area: Option<i64>,
    vacant: bool,
) -> Result<(), DbError> {
    diesel::update(households::table.filter(households::id.eq(id)))
        .set((
            households::floor_area.eq(floor_area),
            households::vacant.eq(vacant),
        ))
        .execute(conn)?;
    Ok(())
}

/// (estate, households, vacant households) for every estate, in two queries.
pub fn household_counts(conn: &mut DbConn) -> Result<Vec<(i64, i64, i64)>, DbError> {
    use diesel::dsl::count;
    let all: Vec<(i64, i64)> = households::table
        .inner_join(buildings::table)
        .group_by(buildings::estate_id)
        .select((buildings::estate_id, count(households::id)))
        .load(conn)?;
    let vacant: std::collections::BTreeMap<i64, i64> = households::table
        .inner_join(buildings::table)
        .filter(households::vacant.eq(true))
        .group_by(buildings::estate_id)
        .select((buildings::estate_id, count(households::id)))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(all
        .into_iter()
        .map(|(estate, n)| (estate, n, vacant.get(&estate).copied().unwrap_or(0)))
        .collect())
}

/// A household with its estate's and building's names.
#[derive(Queryable, Debug)]
pub struct HouseholdLabelRow {
    pub id: i64,
    pub estate: String,
    pub estate_en: String,
    pub building: String,
    pub unit: String,
    pub room: String,
}

/// Every household of the open estates, in estate, building, unit, room order.
pub fn all_households(conn: &mut DbConn) -> Result<Vec<HouseholdLabelRow>, DbError> {
    Ok(households::table
        .inner_join(buildings::table.inner_join(estates::table))
        .filter(estates::closed_at.is_null())
        .select((
            households::id,
            estates::name,
            estates::name_en,
            buildings::name,
            households::unit,
            households::room,
        ))
        .order((
            estates::id,
            buildings::id,
            households::unit,
            households::room,
        ))
        .load(conn)?)
}

#[derive(Queryable, Debug)]
pub struct TakeoverRow {
    pub id: i64,
    pub estate_id: i64,
    pub company_id: i64,
    pub state_before: String,
    pub taken_over_on: NaiveDate,
    pub interim_agreement: String,
    pub baseline_notes: String,
    pub cleaning: String,
    pub lighting: String,
    pub security: String,
    pub refuse: String,
    pub greenery: String,
    pub repairs: String,
    pub files_handed_over: String,
    pub recorded_at: NaiveDateTime,
}

pub fn takeover(conn: &mut DbConn, estate_id: i64) -> Result<Option<TakeoverRow>, DbError> {
    Ok(takeovers::table
        .filter(takeovers::estate_id.eq(estate_id))
        .first(conn)
        .optional()?)
}

pub fn all_takeovers(conn: &mut DbConn) -> Result<Vec<TakeoverRow>, DbError> {
    Ok(takeovers::table.load(conn)?)
}

pub struct NewTakeover<'a> {
    pub estate_id: i64,
    pub company_id: i64,
    pub state_before: &'a str,
    pub taken_over_on: NaiveDate,
    pub interim_agreement: &'a str,
    pub baseline_notes: &'a str,
    /// cleaning, lighting, security, refuse, greenery, repairs
    pub baseline: [&'a str; 6],
    pub files_handed_over: &'a str,
    pub at: NaiveDateTime,
}

/// Writes the estate's takeover record, replacing an earlier version (the
/// audit log keeps the earlier one).
pub fn save_takeover(conn: &mut DbConn, t: &NewTakeover<'_>) -> Result<(), DbError> {
    let [cleaning, lighting, security, refuse, greenery, repairs] = t.baseline;
    let values = (
        takeovers::company_id.eq(t.company_id),
        takeovers::state_before.eq(t.state_before),
        takeovers::taken_over_on.eq(t.taken_over_on),
        takeovers::interim_agreement.eq(t.interim_agreement),
        takeovers::baseline_notes.eq(t.baseline_notes),
        takeovers::cleaning.eq(cleaning),
        takeovers::lighting.eq(lighting),
        takeovers::security.eq(security),
        takeovers::refuse.eq(refuse),
        takeovers::greenery.eq(greenery),
        takeovers::repairs.eq(repairs),
        takeovers::files_handed_over.eq(t.files_handed_over),
        takeovers::recorded_at.eq(t.at),
    );
    let updated = diesel::update(takeovers::table.filter(takeovers::estate_id.eq(t.estate_id)))
        .set(values)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(takeovers::table)
            .values((takeovers::estate_id.eq(t.estate_id), values))
            .execute(conn)?;
    }
    Ok(())
}

/// Records which company serves the estate.
pub fn set_estate_company(
    conn: &mut DbConn,
    estate_id: i64,
    company_id: i64,
) -> Result<(), DbError> {
    diesel::update(estates::table.filter(estates::id.eq(estate_id)))
        .set(estates::company_id.eq(company_id))
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Debug, Clone)]
pub struct CommitteeRow {
    pub id: i64,
    pub estate_id: i64,
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

/// The estate's committees, newest first.
pub fn committees_of_estate(
    conn: &mut DbConn,
    estate_id: i64,
) -> Result<Vec<CommitteeRow>, DbError> {
    Ok(committees::table
        .filter(committees::estate_id.eq(estate_id))
        .order(committees::id.desc())
        .load(conn)?)
}

pub fn committee(conn: &mut DbConn, id: i64) -> Result<CommitteeRow, DbError> {
    Ok(committees::table
        .filter(committees::id.eq(id))
        .first(conn)?)
}

/// Ends the sitting committee, if any; returns its id.
pub fn end_sitting_committee(
    conn: &mut DbConn,
    estate_id: i64,
    at: NaiveDateTime,
) -> Result<Option<i64>, DbError> {
    let sitting: Option<i64> = committees::table
        .filter(committees::estate_id.eq(estate_id))
        .filter(committees::ended_at.is_null())
        .select(committees::id)
        .first(conn)
        .optional()?;
    if let Some(id) = sitting {
        diesel::update(committees::table.filter(committees::id.eq(id)))
            .set(committees::ended_at.eq(at))
            .execute(conn)?;
    }
    Ok(sitting)
}

pub fn insert_committee(
    conn: &mut DbConn,
    estate_id: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    at: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(committees::table)
        .values((
            committees::estate_id.eq(estate_id),
            committees::term_starts_on.eq(starts_on),
            committees::term_ends_on.eq(ends_on),
            committees::created_at.eq(at),
        ))
        .returning(committees::id)
        .get_result(conn)?)
}

#[derive(Queryable, Debug, Clone)]
pub struct MemberRow {
    pub id: i64,
    pub committee_id: i64,
    pub name: String,
    pub phone: String,
    pub position: String,
    pub party_member: bool,
    pub person_id: Option<i64>,
}

type MemberColumns = (
    committee_members::id,
    committee_members::committee_id,
    committee_members::name,
    committee_members::phone,
    committee_members::position,
    committee_members::party_member,
    committee_members::person_id,
);

const MEMBER_COLUMNS: MemberColumns = (
    committee_members::id,
    committee_members::committee_id,
    committee_members::name,
    committee_members::phone,
    committee_members::position,
    committee_members::party_member,
    committee_members::person_id,
);

pub fn members_of(conn: &mut DbConn, committee_ids: &[i64]) -> Result<Vec<MemberRow>, DbError> {
    Ok(committee_members::table
        .filter(committee_members::committee_id.eq_any(committee_ids))
        .select(MEMBER_COLUMNS)
        .order(committee_members::id)
        .load(conn)?)
}

/// (estate, chair's name, Party member) of every sitting committee's chair.
pub fn sitting_chairs(conn: &mut DbConn) -> Result<Vec<(i64, String, bool)>, DbError> {
    Ok(committee_members::table
        .inner_join(committees::table)
        .filter(committees::ended_at.is_null())
        .filter(committee_members::position.eq("chair"))
        .select((
            committees::estate_id,
            committee_members::name,
            committee_members::party_member,
        ))
        .load(conn)?)
}

pub struct NewMember<'a> {
    pub committee_id: i64,
    pub name: &'a str,
    pub phone: &'a str,
    pub position: &'a str,
    pub party_member: bool,
    pub person_id: Option<i64>,
    pub at: NaiveDateTime,
}

pub fn insert_member(conn: &mut DbConn, m: &NewMember<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(committee_members::table)
        .values((
            committee_members::committee_id.eq(m.committee_id),
            committee_members::name.eq(m.name),
            committee_members::phone.eq(m.phone),
            committee_members::position.eq(m.position),
            committee_members::party_member.eq(m.party_member),
            committee_members::person_id.eq(m.person_id),
            committee_members::created_at.eq(m.at),
        ))
        .returning(committee_members::id)
        .get_result(conn)?)
}

/// The person holding a phone number, if any.
pub fn person_by_phone(conn: &mut DbConn, phone: &str) -> Result<Option<i64>, DbError> {
    Ok(persons::table
        .filter(persons::phone.eq(phone))
        .select(persons::id)
        .first(conn)
        .optional()?)
}

#[derive(Queryable, Debug, Clone)]
pub struct RegistrationRow {
    pub id: i64,
    pub estate_id: i64,
    pub household_id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub relation: String,
    pub password_hash: String,
    pub lang: String,
    pub client_address: String,
    pub status: String,
    pub reason: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub person_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn registration(conn: &mut DbConn, id: i64) -> Result<RegistrationRow, DbError> {
    Ok(registrations::table
        .filter(registrations::id.eq(id))
        .first(conn)?)
}

/// The estate's requests: pending first (oldest first), then the latest
/// decided ones.
pub fn registrations_of_estate(
    conn: &mut DbConn,
    estate_id: i64,
    limit: i64,
) -> Result<Vec<RegistrationRow>, DbError> {
    let mut pending: Vec<RegistrationRow> = registrations::table
        .filter(registrations::estate_id.eq(estate_id))
        .filter(registrations::status.eq("pending"))
        .order(registrations::id)
        .limit(limit)
        .load(conn)?;
    let decided: Vec<RegistrationRow> = registrations::table
        .filter(registrations::estate_id.eq(estate_id))
        .filter(registrations::status.ne("pending"))
        .order(registrations::id.desc())
        .limit(limit)
        .load(conn)?;
    pending.extend(decided);
    Ok(pending)
}

pub fn pending_registrations(conn: &mut DbConn, estate_id: i64) -> Result<i64, DbError> {
    Ok(registrations::table
        .filter(registrations::estate_id.eq(estate_id))
        .filter(registrations::status.eq("pending"))
        .count()
        .get_result(conn)?)
}

/// Requests from one address since `since`, to slow down a flood.
pub fn registrations_from(
    conn: &mut DbConn,
    client_address: &str,
    since: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(registrations::table
        .filter(registrations::client_address.eq(client_address))
        .filter(registrations::created_at.ge(since))
        .count()
        .get_result(conn)?)
}

pub struct NewRegistration<'a> {
    pub estate_id: i64,
    pub household_id: i64,
    pub name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub relation: &'a str,
    pub password_hash: &'a str,
    pub lang: &'a str,
    pub client_address: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert_registration(conn: &mut DbConn, r: &NewRegistration<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(registrations::table)
        .values((
            registrations::estate_id.eq(r.estate_id),
            registrations::household_id.eq(r.household_id),
            registrations::name.eq(r.name),
            registrations::phone.eq(r.phone),
            registrations::email.eq(r.email),
            registrations::relation.eq(r.relation),
            registrations::password_hash.eq(r.password_hash),
            registrations::lang.eq(r.lang),
            registrations::client_address.eq(r.client_address),
            registrations::created_at.eq(r.at),
        ))
        .returning(registrations::id)
        .get_result(conn)?)
}

/// Decides a pending request; 0 when it was decided already.
pub fn decide_registration(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    reason: &str,
    by: i64,
    person_id: Option<i64>,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        registrations::table
            .filter(registrations::id.eq(id))
            .filter(registrations::status.eq("pending")),
    )
    .set((
        registrations::status.eq(status),
        registrations::reason.eq(reason),
        registrations::decided_by.eq(by),
        registrations::decided_at.eq(at),
        registrations::person_id.eq(person_id),
        // The chosen password is no longer needed once decided.
        registrations::password_hash.eq(""),
    ))
    .execute(conn)?)
}

/// Persons holding these phone numbers.
pub fn phones_with_accounts(conn: &mut DbConn, phones: &[String]) -> Result<Vec<String>, DbError> {
    Ok(persons::table
        .filter(persons::phone.eq_any(phones))
        .select(persons::phone.assume_not_null())
        .load(conn)?)
}

pub fn ensure_estate(
    conn: &mut DbConn,
    community_id: i64,
    company_id: Option<i64>,
    name: (&str, &str),
    address: &str,
) -> Result<i64, DbError> {
    let found = estates::table
        .filter(estates::community_id.eq(community_id))
        .filter(estates::name.eq(name.0))
        .select(estates::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(estates::table)
            .values((
                estates::community_id.eq(community_id),
                estates::company_id.eq(company_id),
                estates::name.eq(name.0),
                estates::name_en.eq(name.1),
                estates::address.eq(address),
            ))
            .returning(estates::id)
            .get_result(conn)?),
    }
}

pub fn ensure_building(conn: &mut DbConn, estate_id: i64, name: &str) -> Result<i64, DbError> {
    let found = buildings::table
        .filter(buildings::estate_id.eq(estate_id))
        .filter(buildings::name.eq(name))
        .select(buildings::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => insert_building(conn, estate_id, name, "", ""),
    }
}

pub fn ensure_household(
    conn: &mut DbConn,
    building_id: i64,
    unit: &str,
    room: &str,
) -> Result<i64, DbError> {
    let found = households::table
        .filter(households::building_id.eq(building_id))
        .filter(households::unit.eq(unit))
        .filter(households::room.eq(room))
        .select(households::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => insert_household(
            conn,
            &NewHousehold {
                building_id,
                unit,
                room,
                floor_area: None,
                vacant: false,
            },
        ),
    }
}

/// Locks the estate's row until the transaction ends (PostgreSQL; SQLite's
/// write transactions are serial already), so checks across its contracts
/// cannot race.
pub fn lock_estate(conn: &mut DbConn, estate_id: i64) -> Result<(), DbError> {
    diesel::update(estates::table.filter(estates::id.eq(estate_id)))
        .set(estates::name.eq(estates::name))
        .execute(conn)?;
    Ok(())
}

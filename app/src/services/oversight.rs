//! The oversight dashboard: every company and estate in a Party officer's
//! scope (or the district, for its administrator), with the figures of a
//! period of months, built from a fixed number of queries whatever the
//! scope's size. Callers have been authorized for the scope or the estate.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::db::estates::EstateRow;
use crate::db::{DbConn, estates, oversight as db, roster};
use crate::domain::access::{Caller, EstateId, Place, Scope};
use crate::domain::billing::BillMonth;
use crate::domain::org::{CommunityId, CompanyId, DistrictId, StreetId};
use crate::domain::oversight::{
    CompanyKpis, DEFAULT_MONTHS, Dashboard, EstateKpis, EstateOversight, GridUnit, Kpis,
    MAX_MONTHS, Period, PriceWarning, Tally, TrendPoint,
};
use crate::domain::time::{china_date, from_china, to_china};
use crate::domain::{LocalizedName, Money};
use crate::error::AppError;
use crate::i18n::Key;

/// The months asked for, checked: both given as "2026-11" or left out (the
/// last [`DEFAULT_MONTHS`] up to this month), in order, at most [`MAX_MONTHS`].
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(BillMonth, BillMonth), AppError> {
    let parse = |field: &str, value: Option<&str>| -> Result<Option<BillMonth>, AppError> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => BillMonth::parse(v)
                .map(Some)
                .ok_or_else(|| AppError::invalid(field, Key::OversightErrorBadMonth)),
        }
    };
    let last = parse("to", to)?.unwrap_or_else(|| BillMonth::of(today));
    let first = match parse("from", from)? {
        Some(m) => m,
        None => (1..DEFAULT_MONTHS).fold(last, |m, _| m.prev()),
    };
    if first > last {
        return Err(AppError::invalid("from", Key::OversightErrorFromAfterTo));
    }
    if months(first, last).len() > MAX_MONTHS as usize {
        return Err(AppError::invalid("from", Key::OversightErrorPeriodTooLong));
    }
    Ok((first, last))
}

fn months(first: BillMonth, last: BillMonth) -> Vec<BillMonth> {
    let mut out = vec![first];
    while let Some(m) = out.last().copied().filter(|m| *m < last) {
        out.push(m.next());
        if out.len() > MAX_MONTHS as usize {
            break;
        }
    }
    out
}

fn midnight(month: BillMonth) -> NaiveDateTime {
    month.first_day().and_time(NaiveTime::MIN)
}

fn estate_place(e: &EstateRow) -> Place {
    Place::of_estate(
        e.district_id,
        e.street_id,
        e.community_id,
        e.company_id,
        e.id,
    )
}

/// Everything counted for a set of estates over a period.
struct Facts {
    tallies: HashMap<(i64, BillMonth), Tally>,
    arrears: HashMap<i64, i64>,
    households: HashMap<i64, i64>,
    warnings: HashMap<i64, Vec<PriceWarning>>,
}

impl Facts {
    fn tally(&self, estates: &[i64], months: &[BillMonth]) -> Tally {
        let mut sum = Tally::default();
        for e in estates {
            for m in months {
                if let Some(t) = self.tallies.get(&(*e, *m)) {
                    sum.add(t);
                }
            }
        }
        sum
    }

    fn kpis(&self, estates: &[i64], companies: &[i64], months: &[BillMonth]) -> Kpis {
        let households = estates.iter().filter_map(|e| self.households.get(e)).sum();
        let arrears = estates.iter().filter_map(|e| self.arrears.get(e)).sum();
        let above = companies
            .iter()
            .filter_map(|c| self.warnings.get(c))
            .map(Vec::len)
            .sum::<usize>();
        Kpis::from_tally(
            &self.tally(estates, months),
            households,
            Money::from_fen(arrears),
            i64::try_from(above).unwrap_or(i64::MAX),
        )
    }

    fn trend(&self, estates: &[i64], months: &[BillMonth]) -> Vec<TrendPoint> {
        months
            .iter()
            .map(|m| TrendPoint::of(m.code(), &self.tally(estates, &[*m])))
            .collect()
    }
}

/// The queries, one each for all the estates and companies.
fn gather(
    conn: &mut DbConn,
    estates: &[i64],
    companies: &[i64],
    months: &[BillMonth],
    now: NaiveDateTime,
) -> Result<Facts, AppError> {
    let (Some(first), Some(last)) = (months.first().copied(), months.last().copied()) else {
        return Err(AppError::invalid("from", Key::OversightErrorBadMonth));
    };
    let (local_from, local_until) = (midnight(first), midnight(last.next()));
    let now_local = to_china(now);
    let (first_code, last_code) = (first.code(), last.code());
    let mut tallies: HashMap<(i64, BillMonth), Tally> = HashMap::new();

    let scheduled = db::first_scheduled(conn, estates, local_from, local_until)?;
    for o in db::orders(conn, estates, local_from, local_until)? {
        if o.state == "cancelled" {
            continue;
        }
        let t = tallies
            .entry((o.estate_id, BillMonth::of(o.slot_start.date())))
            .or_default();
        t.orders += 1;
        let finished = matches!(o.state.as_str(), "done" | "confirmed" | "resolved");
        if finished || o.slot_end <= now_local {
            t.due += 1;
        }
        if finished {
            t.completed += 1;
        }
        if let Some(stars) = o.stars {
            t.stars += stars;
            t.rated += 1;
        }
        if o.booked
            && let Some(at) = scheduled.get(&o.id)
        {
            t.response_minutes
                .push((*at - o.created_at).num_minutes().max(0));
        }
    }

    for (estate, filed) in db::complaints(
        conn,
        estates,
        from_china(local_from),
        from_china(local_until),
    )? {
        tallies
            .entry((estate, BillMonth::of(china_date(filed))))
            .or_default()
            .complaints += 1;
    }

    for ((estate, code), (billed, paid, saving)) in
        db::bills_by_month(conn, estates, &first_code, &last_code)?
    {
        if let Some(m) = BillMonth::parse(&code) {
            let t = tallies.entry((estate, m)).or_default();
            t.billed = t.billed + Money::from_fen(billed);
            t.collected = t.collected + Money::from_fen(paid);
            t.saving = t.saving + Money::from_fen(saving);
        }
    }

    // A month's statement is due disclosed by the end of the next month; the
    // months before the takeover have none.
    let disclosed = db::first_disclosures(conn, estates, &first_code, &last_code)?;
    let taken_over = db::taken_over_on(conn, estates)?;
    for estate in estates {
        let since = taken_over.get(estate).map(|d| BillMonth::of(*d));
        for m in months.iter().filter(|m| since.is_none_or(|s| **m >= s)) {
            let deadline = from_china(midnight(m.next().next()));
            let at = disclosed.get(&(*estate, m.code()));
            if at.is_none() && now < deadline {
                continue;
            }
            let t = tallies.entry((*estate, *m)).or_default();
            t.statements_due += 1;
            if at.is_some_and(|a| *a < deadline) {
                t.statements_on_time += 1;
            }
        }
    }

    let households = estates::household_counts(conn)?
        .into_iter()
        .map(|(estate, n, _)| (estate, n))
        .collect();

    // The price in force per service is its latest version by `now`.
    let mut current: BTreeMap<i64, db::PriceFact> = BTreeMap::new();
    for p in db::prices(conn, companies, china_date(now))? {
        let newer = current
            .get(&p.service_id)
            .is_none_or(|c| (p.effective_from, p.price_id) > (c.effective_from, c.price_id));
        if newer {
            current.insert(p.service_id, p);
        }
    }
    let mut warnings: HashMap<i64, Vec<PriceWarning>> = HashMap::new();
    for p in current.into_values() {
        if p.market_fen > 0 && p.our_fen > p.market_fen {
            warnings
                .entry(p.company_id)
                .or_default()
                .push(PriceWarning {
                    service: LocalizedName::new(p.name, p.name_en),
                    ours: Money::from_fen(p.our_fen),
                    market: Money::from_fen(p.market_fen),
                });
        }
    }

    Ok(Facts {
        tallies,
        arrears: db::arrears(conn, estates, &last_code)?,
        households,
        warnings,
    })
}

/// The streets and communities under `scope` that have estates served,
/// streets first with their communities after them.
fn grid_units(rows: &[&EstateRow], scope: &Scope) -> Vec<GridUnit> {
    let mut streets: BTreeMap<i64, (LocalizedName, BTreeMap<i64, LocalizedName>)> = BTreeMap::new();
    for e in rows {
        streets
            .entry(e.street_id)
            .or_insert_with(|| {
                (
                    LocalizedName::new(e.street.clone(), e.street_en.clone()),
                    BTreeMap::new(),
                )
            })
            .1
            .insert(
                e.community_id,
                LocalizedName::new(e.community.clone(), e.community_en.clone()),
            );
    }
    let mut out = Vec::new();
    for (street, (name, communities)) in streets {
        if matches!(scope, Scope::District(_)) {
            out.push(GridUnit {
                code: Scope::Street(StreetId(street)).code(),
                name,
                depth: 0,
            });
        }
        if matches!(scope, Scope::Community(_)) {
            continue;
        }
        for (community, name) in communities {
            out.push(GridUnit {
                code: Scope::Community(CommunityId(community)).code(),
                name,
                depth: 1,
            });
        }
    }
    out
}

/// The dashboard of the caller's scope, narrowed to a grid unit if asked.
pub fn dashboard(
    conn: &mut DbConn,
    caller: &Caller,
    unit: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    now: NaiveDateTime,
) -> Result<Dashboard, AppError> {
    let grant = caller.grant.as_ref().ok_or(AppError::Forbidden)?;
    let (first, last) = period(from, to, china_date(now))?;
    let months = months(first, last);
    let all = estates::open_estates(conn)?;
    let served: Vec<&EstateRow> = all
        .iter()
        .filter(|e| e.company_id.is_some() && estate_place(e).within(&grant.scope))
        .collect();
    let units = grid_units(&served, &grant.scope);
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    let narrowed = match unit {
        None => None,
        Some(code) => match Scope::parse(code) {
            Some(s) if units.iter().any(|u| u.code == code) => Some(s),
            _ => return Err(AppError::invalid("unit", Key::OversightErrorBadUnit)),
        },
    };
    let chosen: Vec<&EstateRow> = served
        .into_iter()
        .filter(|e| narrowed.is_none_or(|s| estate_place(e).within(&s)))
        .collect();

    // The companies serving the chosen estates, and those of the scope that
    // serve none yet.
    let signboards = roster::company_signboards(conn)?;
    let mut by_company: BTreeMap<i64, Vec<&EstateRow>> = BTreeMap::new();
    for e in &chosen {
        if let Some(c) = e.company_id {
            by_company.entry(c).or_default().push(e);
        }
    }
    for (id, _, _, district, street, community, closed) in &signboards {
        let place = Place {
            district: Some(DistrictId(*district)),
            street: Some(StreetId(*street)),
            community: community.map(CommunityId),
            company: Some(CompanyId(*id)),
            ..Place::PUBLIC
        };
        if !closed && place.within(&grant.scope) && narrowed.is_none_or(|s| place.within(&s)) {
            by_company.entry(*id).or_default();
        }
    }
    let estate_ids: Vec<i64> = chosen.iter().map(|e| e.id).collect();
    let company_ids: Vec<i64> = by_company.keys().copied().collect();
    let facts = gather(conn, &estate_ids, &company_ids, &months, now)?;

    let community_names = community_names(conn, &signboards)?;
    let mut companies = Vec::new();
    for (id, name, name_en, _, _, community, _) in signboards {
        let Some(rows) = by_company.get(&id) else {
            continue;
        };
        let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
        let estates = rows
            .iter()
            .map(|e| EstateKpis {
                id: EstateId(e.id),
                name: LocalizedName::new(e.name.clone(), e.name_en.clone()),
                kpis: facts.kpis(&[e.id], &[id], &months),
            })
            .collect();
        companies.push(CompanyKpis {
            id: CompanyId(id),
            name: LocalizedName::new(name, name_en),
            community: community
                .and_then(|c| community_names.get(&c).cloned())
                .unwrap_or_else(|| LocalizedName::new("", "")),
            kpis: facts.kpis(&ids, &[id], &months),
            estates,
            price_warnings: facts.warnings.get(&id).cloned().unwrap_or_default(),
        });
    }
    Ok(Dashboard {
        scope: grant.scope_name.clone(),
        units,
        unit: narrowed.map(|s| s.code()),
        period: Period {
            from: first.code(),
            to: last.code(),
        },
        total: facts.kpis(&estate_ids, &company_ids, &months),
        trend: facts.trend(&estate_ids, &months),
        companies,
    })
}

/// Every community's name, one query per district (there is one).
fn community_names(
    conn: &mut DbConn,
    signboards: &[roster::SignboardRow],
) -> Result<BTreeMap<i64, LocalizedName>, AppError> {
    let districts: std::collections::BTreeSet<i64> = signboards.iter().map(|c| c.3).collect();
    let mut names = BTreeMap::new();
    for district in districts {
        for (id, _, zh, en, _) in crate::db::org::all_communities(conn, district)? {
            names.insert(id, LocalizedName::new(zh, en));
        }
    }
    Ok(names)
}

/// One estate's figures, month by month.
pub fn estate(
    conn: &mut DbConn,
    id: EstateId,
    from: Option<&str>,
    to: Option<&str>,
    now: NaiveDateTime,
) -> Result<EstateOversight, AppError> {
    let (first, last) = period(from, to, china_date(now))?;
    let months = months(first, last);
    let row = estates::estate(conn, id.0)?;
    let companies: Vec<i64> = row.company_id.into_iter().collect();
    let facts = gather(conn, &[id.0], &companies, &months, now)?;
    let company = match row.company_id {
        Some(c) => {
            let (zh, en) = crate::db::accounts::company_name(conn, c)?;
            Some((CompanyId(c), LocalizedName::new(zh, en)))
        }
        None => None,
    };
    Ok(EstateOversight {
        id,
        name: LocalizedName::new(row.name.clone(), row.name_en.clone()),
        company,
        community: LocalizedName::new(row.community.clone(), row.community_en.clone()),
        period: Period {
            from: first.code(),
            to: last.code(),
        },
        kpis: facts.kpis(&[id.0], &companies, &months),
        trend: facts.trend(&[id.0], &months),
        price_warnings: row
            .company_id
            .and_then(|c| facts.warnings.get(&c).cloned())
            .unwrap_or_default(),
    })
}

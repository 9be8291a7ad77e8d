//! `hongye bench schedule`: the weekly schedule and auto-assignment of a big
//! company, each timed beside a baseline measured in the same run on the
//! same machine, so the numbers compare across machines as ratios.
//!
//! Everything happens in a temporary SQLite database of its own, deleted
//! afterwards; the configured data directory and database are not touched.
//! The demo is seeded first (so the big company sits among others, as in
//! real use), then the benchmark company is built with batched inserts.
//! Timings are medians of several runs after one warm-up run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use app::db::{DatabaseTarget, Db, DbConn};
use app::domain::access::PersonId;
use app::domain::schedule::{
    Job, ProposedAssignment, StaffProfile, TravelBuffer, WeekSchedule, check_assignment,
};
use app::services::schedule as schedule_service;
use app::services::seed::{self, bench};

use crate::error::CliError;

mod load;
mod site;

/// The benchmarks (`hongye bench …`).
#[derive(clap::Subcommand, Debug)]
pub enum BenchWhat {
    /// The manager's weekly schedule and auto-assignment for a company with
    /// many staff and a busy week, each beside the same rows read bare.
    Schedule {
        /// Staff members of the benchmark company.
        #[arg(long, default_value_t = 200)]
        staff: usize,
        /// Orders in the week: half held by staff, half waiting to be
        /// auto-assigned.
        #[arg(long, default_value_t = 2000)]
        orders: usize,
        /// Timed runs of each measurement (after one warm-up); the median
        /// is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// The monthly billing run for a company of many households, beside the
    /// same rows written bare into the same tables.
    Billing {
        #[arg(long, default_value_t = 100_000)]
        households: usize,
    },
    /// What a phone downloads: each route's page and site files, with and
    /// without compression, first and second visit (release build, demo
    /// data in a temporary database).
    Site,
    /// Many people at once: the server started on a temporary demo
    /// database, each role signed in, N connections on each role's home
    /// and heaviest page beside /healthz, cold and warm. With
    /// --database-url (PostgreSQL) a database is made on that server for
    /// the run and dropped after.
    Load {
        /// Connections kept busy at once.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds of load on each page.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
}

pub fn run(
    what: &BenchWhat,
    database_url: Option<&str>,
    now: chrono::NaiveDateTime,
) -> Result<(), CliError> {
    match what {
        BenchWhat::Schedule {
            staff,
            orders,
            runs,
        } => schedule(*staff, *orders, (*runs).max(1), now),
        BenchWhat::Billing { households } => billing(*households, now),
        BenchWhat::Site => site::site(now),
        BenchWhat::Load {
            connections,
            seconds,
        } => load::load(
            &load::LoadPlan {
                connections: *connections,
                seconds: *seconds,
                database_url: database_url.map(str::to_owned),
            },
            now,
        ),
    }
}

/// A directory of our own under the system's temporary directory, removed
/// when dropped (on success and on error alike).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, CliError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("hongye-bench-{}-{nanos:09}", std::process::id()));
        std::fs::create_dir(&path).map_err(CliError::BenchDir)?;
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(dir = %self.0.display(), error = %e, "benchmark directory left behind");
        }
    }
}

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::Bench(e.to_string())
}

/// Median of the timings in milliseconds.
fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    match ms.len() {
        0 => 0.0,
        n if n % 2 == 1 => ms[n / 2],
        n => (ms[n / 2 - 1] + ms[n / 2]) / 2.0,
    }
}

/// Runs `f` once to warm up, then `runs` times; the median in milliseconds
/// and the last result.
fn timed<T>(
    conn: &mut DbConn,
    runs: usize,
    mut f: impl FnMut(&mut DbConn) -> Result<T, CliError>,
) -> Result<(f64, T), CliError> {
    let mut last = f(conn)?;
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        last = f(conn)?;
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((median(ms), last))
}

fn schedule(
    staff: usize,
    orders: usize,
    runs: usize,
    now: chrono::NaiveDateTime,
) -> Result<(), CliError> {
    let dir = TempDir::new()?;
    let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("bench.db")))?;
    db.migrate()?;
    let mut conn = db.conn()?;
    let conn: &mut DbConn = &mut conn;

    let built = Instant::now();
    seed::seed_demo(&db, now).map_err(failed)?;
    let set = bench::build_schedule_bench(conn, staff, orders, now)?;
    println!(
        "bench schedule on a temporary SQLite database: {} staff ({} described), {} estates with {} households, {} orders in the week of {} ({} held, {} waiting); built with the demo in {:.1} s",
        set.staff,
        set.described,
        set.estates,
        set.households,
        set.assigned + set.waiting,
        set.week,
        set.assigned,
        set.waiting,
        built.elapsed().as_secs_f64()
    );

    // The weekly schedule against the same rows read bare.
    let week = |conn: &mut DbConn| {
        schedule_service::week(conn, &set.manager, set.company, &set.week, now).map_err(failed)
    };
    let bare = |conn: &mut DbConn| bench::bare_week_rows(conn, set.company, set.monday);
    let (view, queries) = bench::count_queries(conn, week);
    let view = view?;
    let earlier = (set.monday - chrono::Duration::days(7)).to_string();
    let (_, empty_queries) = bench::count_queries(conn, |conn| {
        schedule_service::week(conn, &set.manager, set.company, &earlier, now)
    });
    let (view_ms, _) = timed(conn, runs, week)?;
    let (baseline_ms, rows) = timed(conn, runs, |conn| Ok(bare(conn)?))?;
    println!(
        "week view: {} jobs and {} waiting of {rows} rows for {} staff in {queries} queries \
         ({empty_queries} for a week without orders); median of {runs}: {view_ms:.3} ms, \
         the bare rows {baseline_ms:.3} ms",
        view.jobs.len(),
        view.waiting.len(),
        view.staff.len(),
    );

    // Auto-assignment of the week's waiting orders.
    let preview = |conn: &mut DbConn| {
        schedule_service::auto_assign_preview(conn, set.company, &set.week, now).map_err(failed)
    };
    let (assign_ms, proposals) = timed(conn, runs, preview)?;
    let proposed = proposals.iter().filter(|p| p.staff.is_some()).count();
    let broken = rule_breaks(&view, &proposals);
    println!(
        "auto-assign: {} waiting, {proposed} proposed, {} left waiting, {broken} jobs or proposals breaking a rule; \
         median of {runs}: {assign_ms:.3} ms ({:.1}× the bare rows)",
        proposals.len(),
        proposals.len() - proposed,
        assign_ms / baseline_ms.max(f64::EPSILON),
    );
    if broken > 0 {
        return Err(CliError::Bench(format!(
            "{broken} held jobs or proposed assignments break the schedule's rules"
        )));
    }
    println!(
        "schedule view_ms={view_ms:.3} baseline_ms={baseline_ms:.3} assign_ms={assign_ms:.3} ratio={:.2}",
        view_ms / baseline_ms.max(f64::EPSILON)
    );
    Ok(())
}

/// The month's run over `households` households, then the same number of
/// rows written bare into the same tables. A second run must issue nothing.
fn billing(households: usize, now: chrono::NaiveDateTime) -> Result<(), CliError> {
    use app::services::billing as billing_service;
    use app::services::seed::billing_bench;
    let dir = TempDir::new()?;
    let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("bench.db")))?;
    db.migrate()?;
    let state = app::services::AppState::new(db.clone())
        .with_clock(app::services::clock::Clock::Fixed(now));
    let mut conn = db.conn()?;
    let conn: &mut DbConn = &mut conn;

    let built = Instant::now();
    seed::seed_demo(&db, now).map_err(failed)?;
    let set = billing_bench::build_billing_bench(conn, households, now)?;
    println!(
        "bench billing on a temporary SQLite database: {} households in {} estates, month {}; built with the demo in {:.1} s",
        set.households,
        set.estates,
        set.month,
        built.elapsed().as_secs_f64()
    );
    let month = set.month.code();
    let start = Instant::now();
    let outcome =
        billing_service::run_month(&state, set.company, &month, None, now, &mut |_, _| {})
            .map_err(failed)?;
    let seconds = start.elapsed().as_secs_f64();
    let (bills, lines, postings) = billing_bench::run_rows(conn, set.company, set.month)?;
    let again = billing_service::run_month(&state, set.company, &month, None, now, &mut |_, _| {})
        .map_err(failed)?;
    let balance = billing_service::trial_balance(conn, set.company).map_err(failed)?;
    println!(
        "run: {} bills totalling {} ({bills} bills, {lines} lines, {postings} ledger lines) in {seconds:.3} s; \
         run again: {} new bills; trial balance debit {} credit {}",
        outcome.issued, outcome.total, again.issued, balance.debit, balance.credit
    );
    if again.issued != 0
        || balance.debit != balance.credit
        || bills != i64::try_from(set.households).unwrap_or(0)
    {
        return Err(CliError::Bench(
            "the run was not idempotent, did not bill every household, or the ledger does not balance".into(),
        ));
    }
    let per_bill = |n: i64| usize::try_from(n / bills.max(1)).unwrap_or(0);
    let start = Instant::now();
    let rows = billing_bench::raw_inserts(
        conn,
        set.company,
        set.month,
        per_bill(lines),
        per_bill(postings),
        now,
    )?;
    let baseline = start.elapsed().as_secs_f64();
    println!("baseline: {rows} rows written bare into the same tables in {baseline:.3} s");
    println!(
        "billing households={} seconds={seconds:.2} baseline_seconds={baseline:.2} ratio={:.2}",
        set.households,
        baseline / seconds.max(f64::EPSILON)
    );
    Ok(())
}

/// Held jobs and proposals that the rules refuse, checked again here from
/// the week's view (profiles with leave, held jobs) so that the benchmark
/// neither builds nor times a schedule that cuts corners: each job in turn
/// against the person's profile and the jobs counted before it.
fn rule_breaks(view: &WeekSchedule, proposals: &[ProposedAssignment]) -> usize {
    let Some(buffer) = TravelBuffer::new(view.travel_buffer) else {
        return proposals.len();
    };
    let profiles: BTreeMap<PersonId, &StaffProfile> = view
        .staff
        .iter()
        .map(|s| (s.profile.person, &s.profile))
        .collect();
    let held = view.jobs.iter().filter_map(|j| Some((j.staff?, j)));
    let proposed = proposals
        .iter()
        .filter_map(|p| Some((p.staff.as_ref()?.0, &p.job)));
    let mut taken: BTreeMap<PersonId, Vec<Job>> = BTreeMap::new();
    let mut broken = 0;
    for (person, j) in held.chain(proposed) {
        let job = Job {
            order: j.order,
            estate: j.estate,
            slot: j.slot,
        };
        let list = taken.entry(person).or_default();
        let fits = profiles
            .get(&person)
            .is_some_and(|p| check_assignment(p, j.category, &job, list, buffer).is_ok());
        if !fits {
            broken += 1;
        }
        list.push(job);
    }
    broken
}

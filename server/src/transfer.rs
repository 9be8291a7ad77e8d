//! Moving a whole database to the other backend (SQLite to PostgreSQL when
//! a district outgrows one file, or back): `hongye export` writes every
//! table's rows to one file, `hongye import` fills an empty database of the
//! same schema from it and checks the result as a restore does.
//!
//! The file is JSON lines: a header naming the schema, then the tables in
//! an order where every table comes after those it refers to, each in
//! chunks of rows (values in column order; binary values as `\x` and hex).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use app::db::{Db, DbConn};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::CliError;
use crate::ops::{Checked, check};

/// Rows a line of the file carries.
const CHUNK: usize = 500;
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Header {
    hongye_export: u32,
    schema: String,
    from: String,
}

#[derive(Serialize, Deserialize)]
struct Chunk {
    table: String,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// What was moved: rows by table, and the checks of the result.
pub struct Moved {
    pub rows: BTreeMap<String, usize>,
    pub checked: Checked,
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} rows into {} tables; {}",
            self.rows.values().sum::<usize>(),
            self.rows.len(),
            self.checked
        )
    }
}

fn failed(message: String) -> CliError {
    CliError::Ops(message)
}

fn db_error(e: diesel::result::Error) -> CliError {
    CliError::Database(e.into())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

#[derive(QueryableByName)]
struct Edge {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    row: String,
}

struct Column {
    name: String,
    binary: bool,
    timestamp: bool,
}

fn names(conn: &mut DbConn, sql: &str) -> Result<Vec<String>, CliError> {
    let rows: Vec<Name> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(c),
        DbConn::Pg(c) => diesel::sql_query(sql).load(c),
    }
    .map_err(db_error)?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

/// The data tables (not diesel's migration record), each after the tables
/// it refers to.
fn tables_in_order(conn: &mut DbConn) -> Result<Vec<String>, CliError> {
    let (tables, edges): (Vec<String>, Vec<Edge>) = match conn {
        DbConn::Sqlite(c) => {
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY name",
            )
            .load(c)
            .map_err(db_error)?;
            let edges: Vec<Edge> = diesel::sql_query(
                "SELECT m.name AS child, f.\"table\" AS parent \
                 FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
            )
            .load(c)
            .map_err(db_error)?;
            (tables.into_iter().map(|t| t.name).collect(), edges)
        }
        DbConn::Pg(c) => {
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
                 AND table_name <> '__diesel_schema_migrations' ORDER BY table_name",
            )
            .load(c)
            .map_err(db_error)?;
            let edges: Vec<Edge> = diesel::sql_query(
                "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent \
                 FROM pg_constraint WHERE contype = 'f'",
            )
            .load(c)
            .map_err(db_error)?;
            (tables.into_iter().map(|t| t.name).collect(), edges)
        }
    };
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in &edges {
        if edge.child != edge.parent {
            parents
                .entry(edge.child.as_str())
                .or_default()
                .insert(edge.parent.as_str());
        }
    }
    let mut ordered: Vec<String> = Vec::new();
    let mut left: Vec<&String> = tables.iter().collect();
    while !left.is_empty() {
        let before = left.len();
        left.retain(|table| {
            let ready = parents.get(table.as_str()).is_none_or(|ps| {
                ps.iter()
                    .all(|p| ordered.iter().any(|o| o == p) || !tables.iter().any(|t| t == p))
            });
            if ready {
                ordered.push((*table).clone());
            }
            !ready
        });
        if left.len() == before {
            return Err(failed(format!(
                "the tables refer to each other in a circle: {}",
                left.iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(ordered)
}

fn columns(conn: &mut DbConn, table: &str) -> Result<Vec<Column>, CliError> {
    let rows: Vec<ColumnRow> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT name, lower(type) AS kind FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind::<Text, _>(table)
        .load(c),
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT column_name::text AS name, data_type::text AS kind FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind::<Text, _>(table)
        .load(c),
    }
    .map_err(db_error)?;
    Ok(rows
        .into_iter()
        .map(|r| Column {
            binary: r.kind == "blob" || r.kind == "bytea",
            timestamp: r.kind.starts_with("timestamp"),
            name: r.name,
        })
        .collect())
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `hongye export --to FILE`: every table's rows, in one read transaction
/// (a consistent moment while the server runs).
pub fn export(db: &Db, to: &Path) -> Result<BTreeMap<String, usize>, CliError> {
    if to.exists() {
        return Err(failed(format!(
            "{} exists already: an export never overwrites",
            to.display()
        )));
    }
    let schema = db
        .schema_status()?
        .latest
        .ok_or_else(|| failed("the database has no schema yet".into()))?;
    let file = std::fs::File::create(to)
        .map_err(|e| failed(format!("cannot write {}: {e}", to.display())))?;
    let mut out = BufWriter::new(file);
    let write = |out: &mut BufWriter<std::fs::File>, line: String| {
        writeln!(out, "{line}").map_err(|e| failed(format!("cannot write {}: {e}", to.display())))
    };
    let header = Header {
        hongye_export: FORMAT,
        schema,
        from: db.backend().to_owned(),
    };
    write(&mut out, json(&header)?)?;
    let mut pooled = db.conn()?;
    let conn: &mut DbConn = &mut pooled;
    let mut counts = BTreeMap::new();
    let read = |conn: &mut DbConn,
                out: &mut BufWriter<std::fs::File>,
                counts: &mut BTreeMap<String, usize>|
     -> Result<(), CliError> {
        for table in tables_in_order(conn)? {
            let columns = columns(conn, &table)?;
            let values: Vec<String> = columns
                .iter()
                .map(|c| {
                    let name = quoted(&c.name);
                    match (c.binary, &*conn) {
                        (true, DbConn::Sqlite(_)) => format!(
                            "CASE WHEN {name} IS NULL THEN NULL ELSE '\\x' || lower(hex({name})) END"
                        ),
                        (true, DbConn::Pg(_)) => format!(
                            "CASE WHEN {name} IS NULL THEN NULL ELSE '\\x' || encode({name}, 'hex') END"
                        ),
                        (false, _) => name,
                    }
                })
                .collect();
            // In key order, so a row referring to an earlier one of its
            // table (a reversal to its payment) comes after it.
            let first = columns
                .first()
                .map(|c| quoted(&c.name))
                .ok_or_else(|| failed(format!("{table} has no columns")))?;
            let sql = match conn {
                DbConn::Sqlite(_) => format!(
                    "SELECT json_array({}) AS row FROM {} ORDER BY {first}",
                    values.join(", "),
                    quoted(&table)
                ),
                DbConn::Pg(_) => format!(
                    "SELECT json_build_array({})::text AS row FROM {} ORDER BY {first}",
                    values.join(", "),
                    quoted(&table)
                ),
            };
            let rows: Vec<Row> = match conn {
                DbConn::Sqlite(c) => diesel::sql_query(&sql).load(c),
                DbConn::Pg(c) => diesel::sql_query(&sql).load(c),
            }
            .map_err(db_error)?;
            counts.insert(table.clone(), rows.len());
            let names: Vec<String> = columns.into_iter().map(|c| c.name).collect();
            for chunk in rows.chunks(CHUNK) {
                let rows = chunk
                    .iter()
                    .map(|r| serde_json::from_str(&r.row))
                    .collect::<Result<Vec<Vec<Value>>, _>>()
                    .map_err(|e| failed(format!("{table}: a row not read: {e}")))?;
                let line = Chunk {
                    table: table.clone(),
                    columns: names.clone(),
                    rows,
                };
                writeln!(out, "{}", json(&line)?)
                    .map_err(|e| failed(format!("cannot write: {e}")))?;
            }
        }
        Ok(())
    };
    // One snapshot of the whole database.
    match conn {
        DbConn::Sqlite(c) => {
            c.batch_execute("BEGIN").map_err(db_error)?;
        }
        DbConn::Pg(c) => {
            c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .map_err(db_error)?;
        }
    }
    let result = read(conn, &mut out, &mut counts);
    match conn {
        DbConn::Sqlite(c) => c.batch_execute("ROLLBACK"),
        DbConn::Pg(c) => c.batch_execute("ROLLBACK"),
    }
    .map_err(db_error)?;
    result?;
    out.flush()
        .map_err(|e| failed(format!("cannot write {}: {e}", to.display())))?;
    Ok(counts)
}

fn json<T: Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string(value).map_err(|e| failed(format!("cannot encode: {e}")))
}

/// `hongye import --from FILE`: into an empty database of the export's
/// schema, in one transaction; checked afterwards (receipt numbers without
/// gaps, statements matching their hashes, every table's rows all there).
pub fn import(db: &Db, from: &Path) -> Result<Moved, CliError> {
    let file = std::fs::File::open(from)
        .map_err(|e| failed(format!("cannot read {}: {e}", from.display())))?;
    let mut lines = std::io::BufReader::new(file).lines();
    let header: Header = lines
        .next()
        .transpose()
        .map_err(|e| failed(format!("cannot read {}: {e}", from.display())))?
        .and_then(|l| serde_json::from_str(&l).ok())
        .filter(|h: &Header| h.hongye_export == FORMAT)
        .ok_or_else(|| failed(format!("{} is not a Hongye export", from.display())))?;
    let here = db.schema_status()?.latest.unwrap_or_default();
    if header.schema != here {
        return Err(failed(format!(
            "the export is of schema {} and this database of {here}: export with the same Hongye version",
            header.schema
        )));
    }
    if crate::ops::holds_data(db)? {
        return Err(failed(
            "the database already holds data: import only into an empty one".into(),
        ));
    }
    let mut pooled = db.conn()?;
    let conn: &mut DbConn = &mut pooled;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let fill = |conn: &mut DbConn| -> Result<(), CliError> {
        let mut known: BTreeMap<String, Vec<Column>> = BTreeMap::new();
        for line in lines {
            let line = line.map_err(|e| failed(format!("cannot read: {e}")))?;
            let chunk: Chunk = serde_json::from_str(&line)
                .map_err(|e| failed(format!("a line of the export is damaged: {e}")))?;
            if !known.contains_key(&chunk.table) {
                let columns = columns(conn, &chunk.table)?;
                if columns.is_empty() {
                    return Err(failed(format!("no table {} here", chunk.table)));
                }
                known.insert(chunk.table.clone(), columns);
            }
            let columns = &known[&chunk.table];
            insert(conn, &chunk, columns)?;
            *counts.entry(chunk.table).or_default() += chunk.rows.len();
        }
        if let DbConn::Pg(c) = conn {
            // Ids go on after the imported ones.
            for table in known
                .keys()
                .filter(|t| known[*t].iter().any(|c| c.name == "id"))
            {
                diesel::sql_query(format!(
                    "SELECT setval(s, (SELECT COALESCE(MAX(id), 0) + 1 FROM {}), false) \
                     FROM (SELECT pg_get_serial_sequence($1, 'id') AS s) q WHERE s IS NOT NULL",
                    quoted(table)
                ))
                .bind::<Text, _>(table)
                .execute(c)
                .map_err(db_error)?;
            }
        }
        Ok(())
    };
    match conn {
        DbConn::Sqlite(c) => c.batch_execute("BEGIN IMMEDIATE"),
        DbConn::Pg(c) => c.batch_execute("BEGIN"),
    }
    .map_err(db_error)?;
    let filled = fill(conn);
    match (&filled, &mut *conn) {
        (Ok(()), DbConn::Sqlite(c)) => c.batch_execute("COMMIT"),
        (Ok(()), DbConn::Pg(c)) => c.batch_execute("COMMIT"),
        (Err(_), DbConn::Sqlite(c)) => c.batch_execute("ROLLBACK"),
        (Err(_), DbConn::Pg(c)) => c.batch_execute("ROLLBACK"),
    }
    .map_err(db_error)?;
    filled?;
    drop(pooled);
    // Every row arrived.
    let mut conn = db.conn()?;
    for (table, expected) in &counts {
        let here = names(
            &mut conn,
            &format!(
                "SELECT CAST(count(*) AS TEXT) AS name FROM {}",
                quoted(table)
            ),
        )?;
        if here.first().and_then(|n| n.parse::<usize>().ok()) != Some(*expected) {
            return Err(failed(format!(
                "{table}: {expected} rows exported, {} here",
                here.join("")
            )));
        }
    }
    drop(conn);
    let checked = check(db)?;
    if checked.receipt_gaps > 0 || checked.unbalanced_entries > 0 || checked.altered_statements > 0
    {
        return Err(failed(format!(
            "the imported database is not whole ({checked})"
        )));
    }
    Ok(Moved {
        rows: counts,
        checked,
    })
}

fn insert(conn: &mut DbConn, chunk: &Chunk, columns: &[Column]) -> Result<(), CliError> {
    if chunk.rows.is_empty() {
        return Ok(());
    }
    let table = quoted(&chunk.table);
    match conn {
        DbConn::Pg(c) => {
            // Rows as objects by column name; PostgreSQL converts each value
            // to its column's type (1/0 to booleans, text to timestamps).
            let objects: Vec<serde_json::Map<String, Value>> = chunk
                .rows
                .iter()
                .map(|row| {
                    chunk
                        .columns
                        .iter()
                        .cloned()
                        .zip(row.iter().cloned())
                        .collect()
                })
                .collect();
            diesel::sql_query(format!(
                "INSERT INTO {table} SELECT * FROM json_populate_recordset(NULL::{table}, $1::json)"
            ))
            .bind::<Text, _>(json(&objects)?)
            .execute(c)
            .map_err(|e| failed(format!("{}: {e}", chunk.table)))?;
        }
        DbConn::Sqlite(c) => {
            let mut names = Vec::new();
            let mut values = Vec::new();
            for (i, name) in chunk.columns.iter().enumerate() {
                let column = columns
                    .iter()
                    .find(|c| &c.name == name)
                    .ok_or_else(|| failed(format!("{}: no column {name} here", chunk.table)))?;
                let value = format!("json_extract(value, '$[{i}]')");
                names.push(quoted(name));
                values.push(if column.binary {
                    format!("unhex(substr({value}, 3))")
                } else if column.timestamp {
                    // PostgreSQL writes 2026-11-18T02:00:00; SQLite keeps a space.
                    format!("replace({value}, 'T', ' ')")
                } else {
                    value
                });
            }
            diesel::sql_query(format!(
                "INSERT INTO {table} ({}) SELECT {} FROM json_each(?)",
                names.join(", "),
                values.join(", ")
            ))
            .bind::<Text, _>(json(&chunk.rows)?)
            .execute(c)
            .map_err(|e| failed(format!("{}: {e}", chunk.table)))?;
        }
    }
    Ok(())
}

//! Importing an estate's buildings, households and residents from a CSV file
//! (as Excel saves it): reading the file, checking every row against the file
//! itself and the estate as it stands, and a preview that names each bad row's
//! reasons. Committing is all or nothing, so only a file without bad rows goes
//! in.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::estates::{FloorArea, Relation, parse_phone, required_text};

/// Larger files are refused before they are read: a year of an estate's rows
/// is a few tens of kilobytes.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
/// Rows in one file, at most.
pub const MAX_IMPORT_ROWS: usize = 10_000;
/// Longest text in a cell (names, rooms).
pub const MAX_CELL_CHARS: usize = 60;
/// Good rows shown in a preview beside every bad one.
pub const PREVIEW_SAMPLE: usize = 10;

coded_enum!(
    /// What a file holds: one kind per file, each with its template.
    ImportKind {
        Buildings = "buildings",
        Households = "households",
        Residents = "residents",
    }
);

/// A column of an import file: its key, and the headers it is known by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    pub required: bool,
}

const fn col(key: &'static str, zh: &'static str, required: bool) -> Column {
    Column { key, zh, required }
}

const BUILDING_COLUMNS: &[Column] = &[
    col("building", "楼栋", true),
    col("grid_worker", "楼栋长", false),
    col("grid_worker_phone", "楼栋长电话", false),
];
const HOUSEHOLD_COLUMNS: &[Column] = &[
    col("building", "楼栋", true),
    col("unit", "单元", true),
    col("room", "房号", true),
    col("floor_area", "建筑面积", true),
    col("vacant", "空置", false),
];
const RESIDENT_COLUMNS: &[Column] = &[
    col("building", "楼栋", true),
    col("unit", "单元", true),
    col("room", "房号", true),
    col("name", "姓名", true),
    col("phone", "电话", false),
    col("relation", "关系", true),
];

impl ImportKind {
    pub fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Buildings => BUILDING_COLUMNS,
            ImportKind::Households => HOUSEHOLD_COLUMNS,
            ImportKind::Residents => RESIDENT_COLUMNS,
        }
    }

    /// A file to start from: the Chinese headers and two example rows, with a
    /// byte-order mark so Excel opens it as UTF-8.
    pub fn template(self) -> String {
        let header: Vec<&str> = self
            .columns()
            .iter()
            .map(|c| {
                if c.key == "floor_area" {
                    "建筑面积(㎡)"
                } else {
                    c.zh
                }
            })
            .collect();
        let examples = match self {
            ImportKind::Buildings => "1栋,李四,13900000001\n2栋,,\n",
            ImportKind::Households => "1栋,1单元,101,89.50,否\n1栋,1单元,102,76.20,是\n",
            ImportKind::Residents => {
                "1栋,1单元,101,张三,13900000002,业主\n1栋,1单元,101,张小三,,家属\n"
            }
        };
        format!("\u{feff}{}\n{examples}", header.join(","))
    }

    pub fn file_name(self) -> String {
        format!("hongye-{}.csv", self.code())
    }
}

/// Why a whole file was refused before its rows were looked at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FileProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than allowed")]
    TooBig,
    #[error("the file is not text (a spreadsheet or an image?)")]
    NotText,
    /// Excel's plain "CSV" in Chinese Windows is GBK; the browser reads it as
    /// UTF-8 and leaves replacement characters.
    #[error("the file is not UTF-8")]
    NotUtf8,
    #[error("a required column is missing: {0}")]
    MissingColumn(String),
    #[error("a quoted cell is not closed (line {0})")]
    UnclosedQuote(u32),
    #[error("more rows than allowed")]
    TooManyRows,
    #[error("no rows under the header")]
    NoRows,
}

/// One row's fault; a row may have several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowProblem {
    Missing {
        column: String,
    },
    TooLong {
        column: String,
    },
    BadArea,
    BadVacant,
    BadPhone,
    BadRelation,
    /// The same building or room appears earlier in the file.
    DuplicateInFile {
        first_line: u32,
    },
    /// The building, room or resident is already recorded in the estate.
    AlreadyExists,
    UnknownBuilding,
    UnknownHousehold,
}

/// One record of a CSV file with the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub line: u32,
    pub cells: Vec<String>,
}

/// Reads CSV text (RFC 4180: quotes, doubled quotes, CRLF or LF; comma or, for
/// Excel's "Unicode text", tab separated). Blank lines are skipped.
pub fn read_csv(text: &str) -> Result<Vec<Record>, FileProblem> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(FileProblem::TooBig);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    if text.contains('\u{fffd}') {
        return Err(FileProblem::NotUtf8);
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FileProblem::NotText);
    }
    let first_line = text.lines().next().unwrap_or_default();
    let separator = if !first_line.contains(',') && first_line.contains('\t') {
        '\t'
    } else {
        ','
    };
    let mut records = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut line: u32 = 1;
    let mut record_line = 1;
    let mut quoted = false;
    let mut quote_line = 1;
    let mut chars = text.chars().peekable();
    let mut finish = |cells: &mut Vec<String>, cell: &mut String, at: u32| {
        cells.push(std::mem::take(cell));
        let record = std::mem::take(cells);
        if record.iter().any(|c| !c.trim().is_empty()) {
            records.push(Record {
                line: at,
                cells: record,
            });
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
                quote_line = line;
            }
            c if c == separator => cells.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                finish(&mut cells, &mut cell, record_line);
                line += 1;
                record_line = line;
            }
            _ => cell.push(c),
        }
    }
    if quoted {
        return Err(FileProblem::UnclosedQuote(quote_line));
    }
    finish(&mut cells, &mut cell, record_line);
    Ok(records)
}

/// What the estate holds already, to check a file against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EstateContents {
    pub buildings: BTreeSet<String>,
    /// (building, unit, room)
    pub households: BTreeSet<(String, String, String)>,
    /// (building, unit, room, name) of residents living there now.
    pub residents: BTreeSet<(String, String, String, String)>,
}

/// A good row, ready to be written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportLine {
    Building {
        name: String,
        grid_worker: String,
        grid_worker_phone: String,
    },
    Household {
        building: String,
        unit: String,
        room: String,
        floor_area: FloorArea,
        vacant: bool,
    },
    Resident {
        building: String,
        unit: String,
        room: String,
        name: String,
        phone: String,
        relation: Relation,
    },
}

/// A row as the preview shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: u32,
    pub cells: Vec<String>,
    pub problems: Vec<RowProblem>,
}

/// What an import would do: every bad row with its reasons, a sample of the
/// good ones, and the count of rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub kind: ImportKind,
    /// Column keys, in the order of `PreviewRow::cells`.
    pub columns: Vec<String>,
    pub total: u32,
    pub bad: Vec<PreviewRow>,
    pub sample: Vec<PreviewRow>,
}

impl ImportPreview {
    pub fn is_clean(&self) -> bool {
        self.bad.is_empty()
    }
}

/// Every row checked: the preview, and the lines to write when all are good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedFile {
    pub preview: ImportPreview,
    pub lines: Vec<ImportLine>,
}

/// Reads and checks a whole file of `kind` against the estate's contents.
pub fn check_file(
    kind: ImportKind,
    text: &str,
    contents: &EstateContents,
) -> Result<CheckedFile, FileProblem> {
    let mut records = read_csv(text)?.into_iter();
    let header = records.next().ok_or(FileProblem::Empty)?;
    let positions = column_positions(kind, &header.cells)?;
    let records: Vec<Record> = records.collect();
    if records.is_empty() {
        return Err(FileProblem::NoRows);
    }
    if records.len() > MAX_IMPORT_ROWS {
        return Err(FileProblem::TooManyRows);
    }
    let mut seen: BTreeMap<Vec<String>, u32> = BTreeMap::new();
    let mut bad = Vec::new();
    let mut sample = Vec::new();
    let mut lines = Vec::new();
    for record in &records {
        let cells: Vec<String> = positions
            .iter()
            .map(|p| {
                p.and_then(|i| record.cells.get(i))
                    .map(|c| c.trim().to_owned())
                    .unwrap_or_default()
            })
            .collect();
        let (line, mut problems) = check_row(kind, &cells, contents);
        if let Some(line) = &line {
            let key = identity(line);
            match seen.get(&key) {
                Some(first) => problems.push(RowProblem::DuplicateInFile { first_line: *first }),
                None => {
                    seen.insert(key, record.line);
                }
            }
        }
        let row = PreviewRow {
            line: record.line,
            cells,
            problems,
        };
        match line {
            Some(line) if row.problems.is_empty() => {
                lines.push(line);
                if sample.len() < PREVIEW_SAMPLE {
                    sample.push(row);
                }
            }
            _ => bad.push(row),
        }
    }
    Ok(CheckedFile {
        preview: ImportPreview {
            kind,
            columns: kind.columns().iter().map(|c| c.key.to_owned()).collect(),
            total: u32::try_from(records.len()).unwrap_or(u32::MAX),
            bad,
            sample,
        },
        lines,
    })
}

/// Where each of the kind's columns is in the file, matched by its Chinese or
/// English header ("建筑面积(㎡)" matches "建筑面积"; "Floor area" matches
/// "floor_area").
fn column_positions(
    kind: ImportKind,
    header: &[String],
) -> Result<Vec<Option<usize>>, FileProblem> {
    let normalise = |h: &str| {
        let h = h.trim();
        let h = h.split(['(', '（']).next().unwrap_or(h).trim();
        h.to_lowercase().replace([' ', '-'], "_")
    };
    let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    kind.columns()
        .iter()
        .map(|c| {
            let found = names.iter().position(|n| n == c.zh || n == c.key);
            match found {
                None if c.required => Err(FileProblem::MissingColumn(c.zh.to_owned())),
                found => Ok(found),
            }
        })
        .collect()
}

/// What makes two rows the same thing.
fn identity(line: &ImportLine) -> Vec<String> {
    match line {
        ImportLine::Building { name, .. } => vec![name.clone()],
        ImportLine::Household {
            building,
            unit,
            room,
            ..
        } => vec![building.clone(), unit.clone(), room.clone()],
        ImportLine::Resident {
            building,
            unit,
            room,
            name,
            ..
        } => vec![building.clone(), unit.clone(), room.clone(), name.clone()],
    }
}

/// Reads one row's cells by column key, collecting what is wrong with them.
struct RowReader<'a> {
    columns: &'static [Column],
    cells: &'a [String],
    problems: Vec<RowProblem>,
}

impl RowReader<'_> {
    /// The cell's text: `None` (with a problem noted) when a required cell is
    /// empty or any cell is too long; an empty optional cell is `Some("")`.
    fn text(&mut self, key: &str) -> Option<String> {
        let i = self.columns.iter().position(|c| c.key == key)?;
        let value = self.cells.get(i).map(String::as_str).unwrap_or_default();
        if value.is_empty() {
            if self.columns[i].required {
                self.problems.push(RowProblem::Missing {
                    column: key.to_owned(),
                });
                return None;
            }
            return Some(String::new());
        }
        let text = required_text(value, MAX_CELL_CHARS);
        if text.is_none() {
            self.problems.push(RowProblem::TooLong {
                column: key.to_owned(),
            });
        }
        text
    }

    /// The cell parsed by `parse`, or `problem` noted.
    fn parsed<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        problem: RowProblem,
    ) -> Option<T> {
        let value = parse(&self.text(key)?);
        if value.is_none() {
            self.problems.push(problem);
        }
        value
    }

    /// An empty phone is allowed; anything else must be a phone number.
    fn phone(&mut self, key: &str) -> Option<String> {
        self.parsed(
            key,
            |p| {
                if p.is_empty() {
                    Some(String::new())
                } else {
                    parse_phone(p)
                }
            },
            RowProblem::BadPhone,
        )
    }
}

fn check_row(
    kind: ImportKind,
    cells: &[String],
    contents: &EstateContents,
) -> (Option<ImportLine>, Vec<RowProblem>) {
    let mut row = RowReader {
        columns: kind.columns(),
        cells,
        problems: Vec::new(),
    };
    let line = match kind {
        ImportKind::Buildings => {
            let name = row.text("building");
            let grid_worker = row.text("grid_worker");
            let phone = row.phone("grid_worker_phone");
            if let Some(n) = &name
                && contents.buildings.contains(n)
            {
                row.problems.push(RowProblem::AlreadyExists);
            }
            match (name, grid_worker, phone) {
                (Some(name), Some(grid_worker), Some(grid_worker_phone)) => {
                    Some(ImportLine::Building {
                        name,
                        grid_worker,
                        grid_worker_phone,
                    })
                }
                _ => None,
            }
        }
        ImportKind::Households => {
            let (building, unit, room) = (row.text("building"), row.text("unit"), row.text("room"));
            let area = row.parsed(
                "floor_area",
                |a| FloorArea::parse(a).ok(),
                RowProblem::BadArea,
            );
            let vacant = row.parsed("vacant", parse_yes_no, RowProblem::BadVacant);
            if let Some(b) = &building
                && !contents.buildings.contains(b)
            {
                row.problems.push(RowProblem::UnknownBuilding);
            }
            if let (Some(b), Some(u), Some(r)) = (&building, &unit, &room)
                && contents
                    .households
                    .contains(&(b.clone(), u.clone(), r.clone()))
            {
                row.problems.push(RowProblem::AlreadyExists);
            }
            match (building, unit, room, area, vacant) {
                (Some(building), Some(unit), Some(room), Some(floor_area), Some(vacant)) => {
                    Some(ImportLine::Household {
                        building,
                        unit,
                        room,
                        floor_area,
                        vacant,
                    })
                }
                _ => None,
            }
        }
        ImportKind::Residents => {
            let (building, unit, room) = (row.text("building"), row.text("unit"), row.text("room"));
            let name = row.text("name");
            let phone = row.phone("phone");
            let relation = row.parsed("relation", Relation::parse_label, RowProblem::BadRelation);
            if let (Some(b), Some(u), Some(r)) = (&building, &unit, &room) {
                let household = (b.clone(), u.clone(), r.clone());
                if !contents.households.contains(&household) {
                    row.problems.push(RowProblem::UnknownHousehold);
                } else if let Some(n) = &name
                    && contents
                        .residents
                        .contains(&(b.clone(), u.clone(), r.clone(), n.clone()))
                {
                    row.problems.push(RowProblem::AlreadyExists);
                }
            }
            match (building, unit, room, name, phone, relation) {
                (
                    Some(building),
                    Some(unit),
                    Some(room),
                    Some(name),
                    Some(phone),
                    Some(relation),
                ) => Some(ImportLine::Resident {
                    building,
                    unit,
                    room,
                    name,
                    phone,
                    relation,
                }),
                _ => None,
            }
        }
    };
    (line, row.problems)
}

/// 是/否, yes/no, y/n, 1/0, true/false; empty means no.
pub fn parse_yes_no(input: &str) -> Option<bool> {
    match input.trim().to_lowercase().as_str() {
        "" | "否" | "no" | "n" | "0" | "false" => Some(false),
        "是" | "yes" | "y" | "1" | "true" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn contents() -> EstateContents {
        EstateContents {
            buildings: ["1栋".to_owned(), "2栋".to_owned()].into(),
            households: [("1栋".to_owned(), "1单元".to_owned(), "301".to_owned())].into(),
            residents: [(
                "1栋".to_owned(),
                "1单元".to_owned(),
                "301".to_owned(),
                "张三".to_owned(),
            )]
            .into(),
        }
    }

    #[test]
    fn csv_quotes_crlf_bom_and_blank_lines() {
        let text = "\u{feff}a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",z\n";
        let records = read_csv(text).expect("reads");
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].cells, vec!["x, y", "say \"hi\""]);
        assert_eq!(records[2].line, 4);
        assert_eq!(records[2].cells, vec!["two\nlines", "z"]);
        assert_eq!(
            read_csv("a\tb\n1\t2\n").expect("tabs")[1].cells,
            vec!["1", "2"]
        );
    }

    #[test]
    fn bad_files_are_named() {
        assert_eq!(read_csv(""), Err(FileProblem::Empty));
        assert_eq!(read_csv("\u{feff}  \n"), Err(FileProblem::Empty));
        assert_eq!(
            read_csv("楼栋\n\u{fffd}\u{fffd}"),
            Err(FileProblem::NotUtf8)
        );
        assert_eq!(read_csv("PK\u{3}\u{4}junk"), Err(FileProblem::NotText));
        assert_eq!(read_csv("a\n\"open"), Err(FileProblem::UnclosedQuote(2)));
        let big = "a".repeat(MAX_IMPORT_BYTES + 1);
        assert_eq!(read_csv(&big), Err(FileProblem::TooBig));
        let c = contents();
        assert_eq!(
            check_file(
                ImportKind::Households,
                "楼栋,单元,房号\n1栋,1单元,101\n",
                &c
            ),
            Err(FileProblem::MissingColumn("建筑面积".into()))
        );
        assert_eq!(
            check_file(ImportKind::Households, "楼栋,单元,房号,建筑面积\n", &c),
            Err(FileProblem::NoRows)
        );
    }

    #[test]
    fn every_template_checks_clean_against_a_matching_estate() {
        let mut c = EstateContents::default();
        assert!(
            check_file(ImportKind::Buildings, &ImportKind::Buildings.template(), &c)
                .expect("reads")
                .preview
                .is_clean()
        );
        c.buildings.insert("1栋".into());
        assert!(
            check_file(
                ImportKind::Households,
                &ImportKind::Households.template(),
                &c
            )
            .expect("reads")
            .preview
            .is_clean()
        );
        c.households
            .insert(("1栋".into(), "1单元".into(), "101".into()));
        let residents = check_file(ImportKind::Residents, &ImportKind::Residents.template(), &c)
            .expect("reads");
        assert!(residents.preview.is_clean());
        assert_eq!(residents.lines.len(), 2);
    }

    #[test]
    fn bad_household_rows_carry_their_reasons() {
        let text = "楼栋,单元,房号,建筑面积(㎡),空置\n\
                    1栋,1单元,101,89.5,否\n\
                    1栋,1单元,102,-80,否\n\
                    1栋,1单元,101,90,否\n\
                    9栋,1单元,101,80,是\n\
                    1栋,1单元,301,80,否\n\
                    2栋,2单元,201,80.123,也许\n";
        let checked = check_file(ImportKind::Households, text, &contents()).expect("reads");
        let p = &checked.preview;
        assert_eq!(p.total, 6);
        assert_eq!(checked.lines.len(), 1);
        let reasons: Vec<(u32, Vec<RowProblem>)> =
            p.bad.iter().map(|r| (r.line, r.problems.clone())).collect();
        assert_eq!(
            reasons,
            vec![
                (3, vec![RowProblem::BadArea]),
                (4, vec![RowProblem::DuplicateInFile { first_line: 2 }]),
                (5, vec![RowProblem::UnknownBuilding]),
                (6, vec![RowProblem::AlreadyExists]),
                (7, vec![RowProblem::BadArea, RowProblem::BadVacant]),
            ]
        );
    }

    #[test]
    fn english_headers_and_resident_checks() {
        let text = "Building,Unit,Room,Name,Phone,Relation\n\
                    1栋,1单元,301,李四,13900000001,tenant\n\
                    1栋,1单元,301,张三,,业主\n\
                    1栋,1单元,999,王五,,业主\n\
                    1栋,1单元,301,赵六,12345,邻居\n\
                    1栋,1单元,301,,,业主\n";
        let checked = check_file(ImportKind::Residents, text, &contents()).expect("reads");
        let reasons: Vec<Vec<RowProblem>> = checked
            .preview
            .bad
            .iter()
            .map(|r| r.problems.clone())
            .collect();
        assert_eq!(
            reasons,
            vec![
                vec![RowProblem::AlreadyExists],
                vec![RowProblem::UnknownHousehold],
                vec![RowProblem::BadPhone, RowProblem::BadRelation],
                vec![RowProblem::Missing {
                    column: "name".into()
                }],
            ]
        );
        assert_eq!(checked.lines.len(), 1);
    }

    fn cell() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-z0-9 ,\"\n栋]{0,8}").expect("regex")
    }

    proptest! {
        #[test]
        fn written_csv_reads_back(rows in proptest::collection::vec(proptest::collection::vec(cell(), 2..4), 1..20)) {
            let quote = |c: &String| format!("\"{}\"", c.replace('"', "\"\""));
            let text: String = rows
                .iter()
                .map(|r| r.iter().map(quote).collect::<Vec<_>>().join(",") + "\r\n")
                .collect();
            let read = read_csv(&text).expect("reads");
            let expected: Vec<&Vec<String>> = rows.iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
            prop_assert_eq!(read.len(), expected.len());
            for (got, want) in read.iter().zip(expected) {
                prop_assert_eq!(&got.cells, want);
            }
        }

        #[test]
        fn a_file_is_clean_exactly_when_no_row_is_bad(areas in proptest::collection::vec(-5_000i64..1_200_000, 1..30)) {
            let mut text = String::from("楼栋,单元,房号,建筑面积\n");
            for (i, a) in areas.iter().enumerate() {
                let sign = if *a < 0 { "-" } else { "" };
                text.push_str(&format!("2栋,1单元,{},{sign}{}.{:02}\n", 100 + i, a.abs() / 100, a.abs() % 100));
            }
            let checked = check_file(ImportKind::Households, &text, &contents()).expect("reads");
            let bad_areas = areas.iter().filter(|a| **a <= 0 || **a > 1_000_000).count();
            prop_assert_eq!(checked.preview.bad.len(), bad_areas);
            prop_assert_eq!(checked.lines.len() + checked.preview.bad.len(), areas.len());
            prop_assert_eq!(checked.preview.is_clean(), checked.lines.len() == areas.len());
        }
    }
}

//! Turns the translation files in `locales/` into a `Key` enum and one table of
//! strings per language, so a missing or misspelt key is a compile error and both
//! languages always carry the same keys.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const LANGS: [(&str, &str); 2] = [("Zh", "zh-CN"), ("En", "en")];

fn main() {
    let dir = Path::new("locales");
    println!("cargo:rerun-if-changed=locales");
    let mut tables: Vec<(&str, BTreeMap<String, String>)> = Vec::new();
    for (variant, lang) in LANGS {
        // One file per area: `zh-CN.txt`, `zh-CN.orders.txt`, …; a key may
        // live in only one of them.
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| {
                name.strip_prefix(lang).is_some_and(|rest| {
                    rest == ".txt" || (rest.starts_with('.') && rest.ends_with(".txt"))
                })
            })
            .collect();
        files.sort();
        let mut table = BTreeMap::new();
        for file in &files {
            let path = dir.join(file);
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            parse_into(&mut table, file, &text);
        }
        tables.push((variant, table));
    }
    let reference = &tables[0].1;
    for (variant, table) in &tables[1..] {
        let missing: Vec<_> = reference
            .keys()
            .filter(|k| !table.contains_key(*k))
            .collect();
        let extra: Vec<_> = table
            .keys()
            .filter(|k| !reference.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "locale {variant} differs from zh-CN: missing {missing:?}, extra {extra:?}"
        );
    }

    let mut out = String::new();
    out.push_str("/// A message a person reads; its text lives in `app/locales/`.\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\n");
    out.push_str("#[allow(dead_code)]\npub enum Key {\n");
    for key in reference.keys() {
        let _ = writeln!(out, "    /// `{key}`\n    {},", variant_name(key));
    }
    out.push_str("}\n\n");
    out.push_str("impl Key {\n    /// Every key, in file order of the reference locale.\n");
    let _ = writeln!(out, "    pub const ALL: [Key; {}] = [", reference.len());
    for key in reference.keys() {
        let _ = writeln!(out, "        Key::{},", variant_name(key));
    }
    out.push_str("    ];\n\n    /// The key as written in the translation files.\n");
    out.push_str("    pub fn name(self) -> &'static str {\n        match self {\n");
    for key in reference.keys() {
        let _ = writeln!(out, "            Key::{} => {key:?},", variant_name(key));
    }
    out.push_str("        }\n    }\n}\n\n");
    for (variant, table) in &tables {
        let _ = writeln!(
            out,
            "static {}: [&str; {}] = [",
            variant.to_uppercase(),
            table.len()
        );
        for value in table.values() {
            let _ = writeln!(out, "    {value:?},");
        }
        out.push_str("];\n\n");
    }
    out.push_str("fn table(lang: Lang) -> &'static [&'static str] {\n    match lang {\n");
    for (variant, _) in &tables {
        let _ = writeln!(
            out,
            "        Lang::{variant} => &{},",
            variant.to_uppercase()
        );
    }
    out.push_str("    }\n}\n");

    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n_keys.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// `key = value` lines; `#` starts a comment line; `\n` in a value is a line break.
fn parse_into(map: &mut BTreeMap<String, String>, file: &str, text: &str) {
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{file}:{}: expected `key = value`", n + 1));
        let key = key.trim();
        assert!(
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'),
            "{file}:{}: bad key {key:?} (use lower-case words joined by . or _)",
            n + 1
        );
        let value = value.trim().replace("\\n", "\n");
        assert!(
            map.insert(key.to_owned(), value).is_none(),
            "{file}:{}: duplicate key {key}",
            n + 1
        );
    }
}

fn variant_name(key: &str) -> String {
    key.split(['.', '_'])
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

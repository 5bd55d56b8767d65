//! AWS Lambda runtime lifecycle dates: when each runtime identifier is
//! deprecated and when AWS blocks creating and updating functions on it.
//!
//! The table is `data/runtime-deprecations.json`, generated from cfn-lint's
//! lifecycle data by `scripts/regenerate-runtime-deprecations.py` (source,
//! version, retrieval date and license are in the file and its NOTICE). It is
//! embedded in the binary and parsed once. Dates are `YYYY-MM-DD` strings,
//! which order correctly as text.
//!
//! Only Lambda identifiers are covered; Azure Functions and Google Cloud
//! Functions runtimes are not in the source.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

const DATA: &str = include_str!("../data/runtime-deprecations.json");

/// The lifecycle of one runtime identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeLifecycle {
    /// The identifier as AWS writes it (`nodejs14.x`).
    pub runtime: String,
    /// The date AWS stops supporting the runtime (security patches end).
    pub deprecated: String,
    /// The date from which new functions cannot use it, when announced.
    pub block_create: Option<String>,
    /// The date from which existing functions cannot be updated, when announced.
    pub block_update: Option<String>,
    /// The runtime AWS suggests instead, when it names one.
    pub successor: Option<String>,
}

struct Table {
    generated: String,
    runtimes: HashMap<String, RuntimeLifecycle>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| parse(DATA).unwrap_or_else(empty));

fn empty() -> Table {
    Table { generated: String::new(), runtimes: HashMap::new() }
}

fn parse(text: &str) -> Option<Table> {
    let root: Value = serde_json::from_str(text).ok()?;
    let generated = root.get("generated")?.as_str().filter(|d| day_number(d).is_some())?;
    let date = |entry: &Value, key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .filter(|d| day_number(d).is_some())
            .map(str::to_owned)
    };
    let runtimes = root
        .get("runtimes")?
        .as_object()?
        .iter()
        .filter_map(|(name, entry)| {
            let lifecycle = RuntimeLifecycle {
                runtime: name.clone(),
                deprecated: date(entry, "deprecated")?,
                block_create: date(entry, "block_create"),
                block_update: date(entry, "block_update"),
                successor: entry.get("successor").and_then(Value::as_str).map(str::to_owned),
            };
            Some((name.to_ascii_lowercase(), lifecycle))
        })
        .collect();
    Some(Table { generated: generated.to_owned(), runtimes })
}

/// The lifecycle of a Lambda runtime identifier (case-insensitive), when the
/// table knows it.
pub fn lookup(runtime: &str) -> Option<&'static RuntimeLifecycle> {
    TABLE.runtimes.get(&runtime.trim().to_ascii_lowercase())
}

/// The date (`YYYY-MM-DD`) the table was generated: the reference date when
/// the caller gives none, since the table says nothing about later dates.
pub fn generated() -> &'static str {
    &TABLE.generated
}

/// Days since 1970-01-01 of a strict `YYYY-MM-DD` date, or `None` when the
/// text is not one (month 1-12, day valid for the month).
pub(crate) fn day_number(date: &str) -> Option<i64> {
    // Ten bytes exactly: `[year]` also takes a signed year (`+2024`).
    if date.len() != 10 {
        return None;
    }
    let date = Date::parse(date, format_description!("[year]-[month]-[day]")).ok()?;
    Some((date - OffsetDateTime::UNIX_EPOCH.date()).whole_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses_with_provenance() {
        let root: Value = serde_json::from_str(DATA).unwrap();
        let source = &root["source"];
        for key in ["package", "version", "retrieved", "license"] {
            assert!(source[key].as_str().is_some_and(|s| !s.is_empty()), "source.{key} missing");
        }
        assert!(day_number(generated()).is_some());
        assert!(TABLE.runtimes.len() > 20, "only {} runtimes", TABLE.runtimes.len());
        let entries = root["runtimes"].as_object().unwrap().len();
        assert_eq!(entries, TABLE.runtimes.len(), "an entry has a malformed date");
    }

    #[test]
    fn lookup_finds_known_runtimes_case_insensitively() {
        let node14 = lookup(" NodeJS14.x ").unwrap();
        assert_eq!(node14.runtime, "nodejs14.x");
        assert_eq!(node14.deprecated, "2023-12-04");
        assert!(node14.block_create.is_some());
        assert!(lookup("python3.7").is_some());
        assert!(lookup("cobol85").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn day_numbers_are_exact_and_strict() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(), 2);
        assert_eq!(day_number("2023-03-01").unwrap() - day_number("2023-02-28").unwrap(), 1);
        for bad in
            ["2023-02-29", "2023-13-01", "2023-00-10", "2023-1-01", "20230101", "", "2023-01-0x"]
        {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_tables_do_not_panic() {
        assert!(parse("not json").is_none());
        assert!(parse(r#"{"runtimes": {}}"#).is_none());
        let t =
            parse(r#"{"generated": "2026-01-01", "runtimes": {"x": {"deprecated": 3}}}"#).unwrap();
        assert!(t.runtimes.is_empty());
    }
}

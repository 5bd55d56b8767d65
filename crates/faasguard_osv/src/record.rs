//! The OSV record, as far as matching and reporting read it.
//!
//! Hand-written rather than the `osv` crate's types: that crate refuses a
//! whole record when one `ecosystem` string is new to it, and OSV adds
//! ecosystems often. Unknown fields are ignored; unknown ecosystems and
//! range types are kept as strings and simply never match.

use serde::Deserialize;

/// One advisory (<https://ossf.github.io/osv-schema/>).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default)]
    pub modified: String,
    #[serde(default)]
    pub published: Option<String>,
    /// Set when the advisory was retracted: it never matches.
    #[serde(default)]
    pub withdrawn: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub severity: Vec<Severity>,
    #[serde(default)]
    pub affected: Vec<Affected>,
    #[serde(default)]
    pub references: Vec<Reference>,
    /// GHSA puts its severity word here (`{"severity": "HIGH"}`).
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Severity {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector (`CVSS:3.1/AV:N/...`) or a word.
    pub score: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Affected {
    #[serde(default)]
    pub package: Option<PackageRef>,
    #[serde(default)]
    pub severity: Vec<Severity>,
    #[serde(default)]
    pub ranges: Vec<Range>,
    #[serde(default)]
    pub versions: Vec<String>,
    #[serde(default)]
    pub ecosystem_specific: Option<serde_json::Value>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PackageRef {
    pub ecosystem: String,
    pub name: String,
    #[serde(default)]
    pub purl: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT` (never matched against versions).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub repo: Option<String>,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One event of a range; exactly one field is set in a valid record.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Event {
    #[serde(default)]
    pub introduced: Option<String>,
    #[serde(default)]
    pub fixed: Option<String>,
    #[serde(default)]
    pub last_affected: Option<String>,
    #[serde(default)]
    pub limit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Reference {
    #[serde(rename = "type", default)]
    pub kind: String,
    pub url: String,
}

/// Parses one OSV JSON record.
pub fn parse_advisory(bytes: &[u8]) -> Result<Advisory, String> {
    let adv: Advisory = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if adv.id.is_empty() {
        return Err("the record has no `id`".to_string());
    }
    Ok(adv)
}

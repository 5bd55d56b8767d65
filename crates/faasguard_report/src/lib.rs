//! Reporters: findings and the sources they point into, rendered as text,
//! versioned JSON or SARIF 2.1.0.
//!
//! This is the only crate that serializes results. It is pure: every emitter
//! writes to a `&mut dyn Write` handed in by the caller and never touches the
//! terminal, the environment or the file system, so the CLI decides colour
//! and destination and tests render into a `Vec<u8>`.
//!
//! Positions are byte spans until here; line and column are computed at
//! render time through each file's [`faasguard_source::LineIndex`]. Columns
//! count Unicode characters, one-based, in every format.
#![deny(missing_docs)]

mod catalog;
mod iam;
mod json;
mod location;
mod sarif;
pub mod sbom;
mod text;

use std::io::{self, Write};
use std::time::Duration;

use faasguard_diagnostics::{Finding, RuleMeta};
use faasguard_source::{SourceDb, Span};

pub use catalog::{write_explain, write_rules};
pub use iam::{
    ActionPermission, CodeEvidence, CodeNeed, CodeNote, IAM_JSON_FORMAT_VERSION, IamCode,
    IamFunction, IamProblem, IamReport, IamRole, ServicePermissions, emit_iam_json, emit_iam_text,
};
pub use location::Location;

/// Version of the JSON output format (`"version"` in the envelope). Bumped
/// only when a field is removed or changes meaning; new fields keep it.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// The tool's name as reporters print it.
pub const TOOL_NAME: &str = "faasguard";

/// Where users read about the tool; SARIF's `tool.driver.informationUri`.
pub const INFORMATION_URI: &str = "https://github.com/faasguard/faasguard";

/// An output format `faasguard scan` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// Human-readable, grouped by app and function, with code frames.
    Text,
    /// The versioned JSON envelope documented in `docs/json-output.md`.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
}

impl OutputFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [OutputFormat; 3] =
        [OutputFormat::Text, OutputFormat::Json, OutputFormat::Sarif];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
        }
    }

    /// Parses a command-line name (case-insensitive).
    pub fn parse(s: &str) -> Option<OutputFormat> {
        OutputFormat::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(s))
    }
}

/// Apps and functions loaded from one IaC format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormatCount {
    /// The format's short name (`sam`, `cloudformation`, `serverless`, ...).
    pub format: &'static str,
    /// Apps loaded.
    pub apps: usize,
    /// Functions in them.
    pub functions: usize,
}

/// Counts describing what a scan looked at; the summary every format shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Files the walk visited (after ignore rules).
    pub files_seen: usize,
    /// Files recognised as infrastructure as code.
    pub iac_files: usize,
    /// Apps loaded from them.
    pub apps: usize,
    /// Functions in those apps.
    pub functions: usize,
    /// Files or documents that could not be read in full.
    pub parse_errors: usize,
    /// Apps and functions per IaC format (`sam`, `terraform`, ...), for the
    /// formats met; unused slots have an empty name.
    pub by_format: [FormatCount; 8],
    /// Findings silenced by a suppression in the exclusions file.
    pub suppressed: usize,
    /// Wall time of the scan.
    pub duration: Duration,
}

/// Everything a reporter needs: the findings, the sources they point into,
/// and the context of the scan.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// Findings, already in the order they should be printed.
    pub findings: &'a [Finding],
    /// The files the findings' spans point into.
    pub sources: &'a SourceDb,
    /// The rule catalog (SARIF lists it; text and JSON look rules up in it).
    pub rules: &'a [RuleMeta],
    /// The scan root as the user should see it (`.`, `infra/`, ...).
    pub root: &'a str,
    /// What the scan looked at.
    pub stats: ScanStats,
    /// The tool's version, e.g. `0.1.0`.
    pub tool_version: &'a str,
    /// Spans holding secret values beyond those the findings carry (from
    /// findings the user filtered out): never quoted either.
    pub secrets: &'a [Span],
}

/// Presentation choices that only the caller can make.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmitOptions {
    /// Use ANSI colours in text output. The CLI sets it only on a terminal
    /// without `NO_COLOR`; JSON and SARIF ignore it.
    pub color: bool,
}

/// Writes `report` in `format` to `out`.
pub fn emit(
    format: OutputFormat,
    report: &Report<'_>,
    options: EmitOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::emit(report, options, out),
        OutputFormat::Json => json::emit(report, out),
        OutputFormat::Sarif => sarif::emit(report, out),
    }
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_format_names_round_trip() {
        for f in OutputFormat::ALL {
            assert_eq!(OutputFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(OutputFormat::parse("SARIF"), Some(OutputFormat::Sarif));
        assert_eq!(OutputFormat::parse("xml"), None);
    }
}

//! `faasguard sbom`: every package of every lockfile and manifest under the
//! paths, as CycloneDX 1.5 or SPDX 2.3 JSON, with the functions that ship
//! each file.

use std::process::ExitCode;

use anyhow::Context;
use faasguard_linter::Settings;
use faasguard_report::sbom::{SbomInput, cyclonedx, spdx};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::args::{SbomArgs, SbomFormat};
use crate::commands::{deps, scan, write_stdout};
use crate::discover::{self, display_path};

pub(crate) fn run(args: &SbomArgs) -> anyhow::Result<ExitCode> {
    let roots = scan::roots(&args.paths)?;
    let discovery = discover::discover(&roots);
    for warning in &discovery.warnings {
        eprintln!("faasguard: warning: {warning}");
    }
    // The apps are loaded only to know which functions ship which file:
    // no rule needs to run.
    let settings = Settings { select: vec!["-".to_string()], ..Settings::default() };
    let mut result = scan::analyse(&discovery, &settings);
    let (lockfiles, warnings) = deps::read_lockfiles(&discovery.deps, &mut result.db);
    for warning in &warnings {
        eprintln!("faasguard: warning: {warning}");
    }
    let shippers = faasguard_linter::dependencies::shipped_by(&result.apps, &result.db, &lockfiles);
    let shipped_by: Vec<Vec<String>> =
        shippers.iter().map(|list| list.iter().map(|s| s.name()).collect()).collect();
    let name = match roots.as_slice() {
        [only] => {
            let shown = display_path(&only.path);
            let abs = std::fs::canonicalize(&only.path).ok();
            let base = abs
                .as_deref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned());
            base.unwrap_or(if shown.is_empty() { ".".to_string() } else { shown })
        }
        _ => "faasguard-scan".to_string(),
    };
    let timestamp = timestamp();
    let input = SbomInput {
        name: &name,
        lockfiles: &lockfiles,
        shipped_by: &shipped_by,
        tool_version: env!("CARGO_PKG_VERSION"),
        timestamp: &timestamp,
    };
    let text = match args.format {
        SbomFormat::Cyclonedx => cyclonedx(&input),
        SbomFormat::Spdx => spdx(&input),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text.as_bytes()).with_context(|| {
            format!(
                "cannot write the SBOM to `{}`: check that its directory exists and is writable",
                path.display()
            )
        })?,
        None => write_stdout(|out| {
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")
        })?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Now in UTC, or `SOURCE_DATE_EPOCH` when set, so builds that record
/// the SBOM are reproducible.
fn timestamp() -> String {
    // A value that is not a count of seconds, or lands past year 9999
    // (which no four-digit `date-time` can hold), is ignored like an unset one.
    let pinned = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .and_then(|secs| OffsetDateTime::from_unix_timestamp(i64::try_from(secs).ok()?).ok());
    let at = pinned.unwrap_or_else(OffsetDateTime::now_utc);
    // Cannot fail: the value is UTC and has every component named.
    at.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .unwrap_or_default()
}

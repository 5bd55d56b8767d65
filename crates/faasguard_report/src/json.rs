//! The JSON output: one versioned envelope per scan.
//!
//! The format is documented field by field in `docs/json-output.md`, and a
//! test checks that the documented field list and the emitted fields are
//! the same set, so the two cannot drift apart. Every field is always
//! present (optional values are `null`), which keeps consumers simple and
//! makes the field list checkable.
//!
//! Versioning: [`crate::JSON_FORMAT_VERSION`] changes only when a field is
//! removed, renamed or changes meaning. Adding a field is not a breaking
//! change; consumers must ignore fields they do not know.

use std::io::{self, Write};

use faasguard_diagnostics::{Finding, RuleMeta, Severity};
use faasguard_source::{SourceDb, Span};
use serde_json::{Value, json};

use crate::location::Location;
use crate::{INFORMATION_URI, JSON_FORMAT_VERSION, Report, TOOL_NAME};

pub(crate) fn emit(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let value = envelope(report);
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}

fn envelope(report: &Report<'_>) -> Value {
    let s = report.stats;
    let mut by_severity = serde_json::Map::new();
    for sev in Severity::ALL {
        let n = report.findings.iter().filter(|f| f.severity == sev).count();
        by_severity.insert(sev.as_str().to_string(), json!(n));
    }
    // Only the rules that fired: the full catalog is `faasguard rules --format json`.
    let mut used: Vec<&RuleMeta> =
        report.rules.iter().filter(|r| report.findings.iter().any(|f| f.code == r.code)).collect();
    used.sort_by_key(|r| r.code);
    json!({
        "version": JSON_FORMAT_VERSION,
        "tool": {
            "name": TOOL_NAME,
            "version": report.tool_version,
            "information_uri": INFORMATION_URI,
        },
        "root": report.root,
        "summary": {
            "findings": report.findings.len(),
            "by_severity": by_severity,
            "files_seen": s.files_seen,
            "iac_files": s.iac_files,
            "apps": s.apps,
            "functions": s.functions,
            "parse_errors": s.parse_errors,
            "suppressed": s.suppressed,
            "by_format": s
                .by_format
                .iter()
                .filter(|c| !c.format.is_empty())
                .map(|c| (c.format.to_string(), json!({ "apps": c.apps, "functions": c.functions })))
                .collect::<serde_json::Map<String, Value>>(),
            "duration_ms": u64::try_from(s.duration.as_millis()).unwrap_or(u64::MAX),
        },
        "findings": report.findings.iter().map(|f| finding(report.sources, f)).collect::<Vec<_>>(),
        "rules": used.into_iter().map(rule).collect::<Vec<_>>(),
    })
}

pub(crate) fn cwe_ids(cwe: &[u32]) -> Vec<String> {
    cwe.iter().map(|n| format!("CWE-{n}")).collect()
}

pub(crate) fn finding(sources: &SourceDb, f: &Finding) -> Value {
    json!({
        "code": f.code,
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "sas": f.sas.id(),
        "cwe": cwe_ids(f.cwe),
        "message": f.message,
        "help": f.help,
        "fingerprint": f.fingerprint(),
        "location": location(sources, f.primary),
        "labels": f.labels.iter().map(|l| json!({
            "message": l.message,
            "location": location(sources, l.span),
        })).collect::<Vec<_>>(),
        "flow": f.flow.iter().enumerate().map(|(i, step)| json!({
            "step": i + 1,
            "message": step.message,
            "location": location(sources, step.span),
        })).collect::<Vec<_>>(),
        "subject": {
            "app": f.subject.app,
            "function": f.subject.function,
            "resource": f.subject.resource,
        },
    })
}

pub(crate) fn location(sources: &SourceDb, span: Span) -> Value {
    let l = Location::resolve(sources, span);
    json!({
        "path": l.path,
        "start_line": l.start_line,
        "start_column": l.start_column,
        "end_line": l.end_line,
        "end_column": l.end_column,
    })
}

/// A rule's catalog entry; shared with `faasguard rules --format json`.
pub(crate) fn rule(r: &RuleMeta) -> Value {
    json!({
        "code": r.code,
        "name": r.name,
        "summary": r.summary,
        "severity": r.severity.as_str(),
        "sas": r.sas.id(),
        "sas_title": r.sas.title(),
        "cwe": cwe_ids(r.cwe),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use crate::OutputFormat;
    use crate::testutil;

    fn emitted() -> Value {
        let db = testutil::sources();
        let findings = testutil::findings(&db);
        let out = testutil::render(OutputFormat::Json, &testutil::report(&db, &findings), false);
        serde_json::from_str(&out).expect("valid JSON")
    }

    /// Every field path in `value`, arrays written `[]`: `findings[].location.path`.
    fn paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    out.insert(p.clone());
                    paths(v, &p, out);
                }
            }
            Value::Array(items) => {
                for item in items.iter().filter(|v| v.is_object()) {
                    paths(item, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn envelope_has_version_summary_and_every_finding_field() {
        let v = emitted();
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "faasguard");
        assert_eq!(v["summary"]["findings"], 2);
        assert_eq!(v["summary"]["by_severity"]["critical"], 1);
        assert_eq!(v["summary"]["duration_ms"], 12);
        let f = &v["findings"][0];
        assert_eq!(f["code"], "TRG001");
        assert_eq!(f["cwe"], serde_json::json!(["CWE-306"]));
        assert_eq!(f["location"]["start_line"], 6);
        assert_eq!(f["location"]["start_column"], 9);
        assert_eq!(f["location"]["end_column"], 23);
        assert_eq!(f["flow"][1]["step"], 2);
        assert_eq!(f["fingerprint"].as_str().map(str::len), Some(32));
        assert_eq!(v["findings"][1]["help"], Value::Null);
        let codes: Vec<&str> =
            v["rules"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["IAM001", "TRG001"]);
    }

    /// The documented field list (the backquoted first column of the tables
    /// in `docs/json-output.md`) and the emitted fields must be the same set.
    #[test]
    fn documented_fields_match_emitted_fields() {
        let doc_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/json-output.md");
        let doc = std::fs::read_to_string(doc_path).expect("docs/json-output.md exists");
        let documented: BTreeSet<String> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once('`').map(|(field, _)| field.to_string()))
            .collect();
        let mut emitted_fields = BTreeSet::new();
        paths(&emitted(), "", &mut emitted_fields);
        let undocumented: Vec<_> = emitted_fields.difference(&documented).collect();
        let stale: Vec<_> = documented.difference(&emitted_fields).collect();
        assert!(
            undocumented.is_empty() && stale.is_empty(),
            "docs/json-output.md is out of date.\nemitted but not documented: {undocumented:?}\n\
             documented but not emitted: {stale:?}"
        );
    }
}

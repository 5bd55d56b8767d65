//! SARIF 2.1.0 output, following GitHub code-scanning conventions: rule ids
//! are our codes, `level` comes from the severity, `security-severity` and
//! CWE tags sit in `properties`, and `partialFingerprints` carries our
//! line-independent fingerprint so alerts survive unrelated edits.
//!
//! Built by hand with `serde_json` rather than with serde-sarif: we emit a
//! small, fixed subset of SARIF, serde-sarif's builder types (typed-builder,
//! a shadowing `Result` type) would cost more compile time and code than the
//! objects below, and a test validates every emitted document against the
//! official schema, which is the guarantee a typed model would give.

use std::io::{self, Write};

use faasguard_diagnostics::{Finding, RuleMeta, Severity};
use faasguard_source::{SourceDb, Span};
use serde_json::{Map, Value, json};

use crate::location::Location;
use crate::{INFORMATION_URI, Report, TOOL_NAME};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `partialFingerprints` key holding [`Finding::fingerprint`]. Versioned
/// so a change of the fingerprint recipe can use a new key instead of
/// silently re-keying every alert.
const FINGERPRINT_KEY: &str = "faasguardFingerprint/v1";

/// Relative URIs are resolved against this base, which the consumer maps to
/// the checkout (GitHub does so for `%SRCROOT%`).
const SRCROOT: &str = "%SRCROOT%";

pub(crate) fn emit(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

fn log(report: &Report<'_>) -> Value {
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": TOOL_NAME,
                    "version": report.tool_version,
                    "semanticVersion": report.tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": report.rules.iter().map(rule).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": report.findings.iter().map(|f| result(report, f)).collect::<Vec<_>>(),
        }],
    })
}

/// critical/high fail a code-scanning check, medium warns, the rest notes.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn tags(r: &RuleMeta) -> Vec<String> {
    let mut tags = vec!["security".to_string()];
    tags.extend(r.cwe.iter().map(|n| format!("external/cwe/cwe-{n}")));
    tags.push(r.sas.id().to_string());
    tags
}

/// The body of the doc's `## What it does` section, else the summary.
fn full_description(r: &RuleMeta) -> String {
    let body = r.doc.split("## What it does").nth(1).map(|rest| {
        let end = rest.find("\n## ").unwrap_or(rest.len());
        rest[..end].trim().to_string()
    });
    body.filter(|b| !b.is_empty()).unwrap_or_else(|| r.summary.to_string())
}

fn rule(r: &RuleMeta) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": full_description(r) },
        "help": { "text": r.doc, "markdown": r.doc },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "tags": tags(r),
            "security-severity": r.severity.security_severity(),
        },
    })
}

fn result(report: &Report<'_>, f: &Finding) -> Value {
    let mut obj = Map::new();
    obj.insert("ruleId".into(), json!(f.code));
    if let Some(index) = report.rules.iter().position(|r| r.code == f.code) {
        obj.insert("ruleIndex".into(), json!(index));
    }
    obj.insert("level".into(), json!(level(f.severity)));
    let text = match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.clone(),
    };
    obj.insert("message".into(), json!({ "text": text }));
    obj.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(report.sources, f.primary) }]),
    );
    if !f.labels.is_empty() {
        let related: Vec<Value> = f
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "physicalLocation": physical(report.sources, l.span),
                    "message": { "text": l.message },
                })
            })
            .collect();
        obj.insert("relatedLocations".into(), Value::Array(related));
    }
    if !f.flow.is_empty() {
        let steps: Vec<Value> = f
            .flow
            .iter()
            .enumerate()
            .map(|(i, step)| {
                json!({
                    "executionOrder": i + 1,
                    "location": {
                        "physicalLocation": physical(report.sources, step.span),
                        "message": { "text": step.message },
                    },
                })
            })
            .collect();
        obj.insert("codeFlows".into(), json!([{ "threadFlows": [{ "locations": steps }] }]));
    }
    obj.insert("partialFingerprints".into(), json!({ FINGERPRINT_KEY: f.fingerprint() }));
    let mut properties = Map::new();
    properties.insert("security-severity".into(), json!(f.severity.security_severity()));
    properties.insert("severity".into(), json!(f.severity.as_str()));
    if let Some(function) = &f.subject.function {
        properties.insert("function".into(), json!(function));
    }
    if let Some(resource) = &f.subject.resource {
        properties.insert("resource".into(), json!(resource));
    }
    obj.insert("properties".into(), Value::Object(properties));
    Value::Object(obj)
}

fn physical(sources: &SourceDb, span: Span) -> Value {
    let l = Location::resolve(sources, span);
    let mut region = Map::new();
    region.insert("startLine".into(), json!(l.start_line));
    region.insert("startColumn".into(), json!(l.start_column));
    // An empty region would be an insertion point; a point span means "here",
    // which SARIF says with a start and no end.
    if !l.is_point() {
        region.insert("endLine".into(), json!(l.end_line));
        region.insert("endColumn".into(), json!(l.end_column));
    }
    json!({
        "artifactLocation": { "uri": uri_path(&l.path), "uriBaseId": SRCROOT },
        "region": region,
    })
}

/// Percent-encodes a relative path for a URI reference, keeping `/` and the
/// RFC 3986 unreserved characters, so names with spaces or `#` stay paths.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::OutputFormat;
    use crate::testutil;

    fn emitted() -> Value {
        let db = testutil::sources();
        let findings = testutil::findings(&db);
        let out = testutil::render(OutputFormat::Sarif, &testutil::report(&db, &findings), false);
        serde_json::from_str(&out).expect("valid JSON")
    }

    #[test]
    fn results_follow_code_scanning_conventions() {
        let v = emitted();
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules[1]["id"], "TRG001");
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
        assert_eq!(
            rules[1]["fullDescription"]["text"],
            "Checks function URLs with `AuthType: NONE`."
        );
        assert_eq!(
            rules[0]["properties"]["tags"],
            json!(["security", "external/cwe/cwe-250", "external/cwe/cwe-269", "SAS-4"])
        );
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "TRG001");
        assert_eq!(r["ruleIndex"], 1);
        assert_eq!(r["level"], "error");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "app/template.yaml");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            loc["region"],
            json!({"startLine": 6, "startColumn": 9, "endLine": 6, "endColumn": 23})
        );
        assert_eq!(r["relatedLocations"][0]["message"]["text"], "function exposed");
        let steps = &r["codeFlows"][0]["threadFlows"][0]["locations"];
        assert_eq!(steps[1]["location"]["message"]["text"], "runs as AdminRole");
        assert_eq!(r["partialFingerprints"][FINGERPRINT_KEY].as_str().map(str::len), Some(32));
        assert_eq!(r["properties"]["security-severity"], "8.0");
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn uris_are_percent_encoded_paths() {
        assert_eq!(uri_path("a b/t#1.yaml"), "a%20b/t%231.yaml");
        assert_eq!(uri_path("cdk.out/App.template.json"), "cdk.out/App.template.json");
        assert_eq!(uri_path("é.yaml"), "%C3%A9.yaml");
    }
}

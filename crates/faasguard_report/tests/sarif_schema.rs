//! SARIF output validates against the official SARIF 2.1.0 schema
//! (`tests/data/sarif-schema-2.1.0.json`, vendored by
//! `scripts/vendor-shared-data.sh`; see `tests/data/NOTICE.md`).
//!
//! The schema is draft-04; the `jsonschema` crate supports it offline (its
//! HTTP and file resolvers are off: the schema refers only to itself), with
//! format checking turned on so `uri` values are checked too.

use std::time::Duration;

use faasguard_diagnostics::{Finding, FlowStep, Label, RuleMeta, Sas, Severity, Subject};
use faasguard_report::{EmitOptions, OutputFormat, Report, ScanStats, emit};
use faasguard_source::{FileId, SourceDb, SourceFile, Span};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path)
        .expect("schema missing: run scripts/vendor-shared-data.sh from the repository root");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles offline")
}

fn errors(instance: &Value) -> Vec<String> {
    validator().iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

static RULES: [RuleMeta; 2] = [
    RuleMeta {
        code: "PARSE001",
        name: "parse-error",
        summary: "File could not be parsed",
        severity: Severity::High,
        sas: Sas::InsecureConfiguration,
        cwe: &[],
        doc: "## What it does\nReports files that cannot be read.\n",
    },
    RuleMeta {
        code: "SEC001",
        name: "secret-in-environment",
        summary: "Secret in an environment variable",
        severity: Severity::Medium,
        sas: Sas::InsecureSecrets,
        cwe: &[798],
        doc: "No sections at all.",
    },
];

fn finding(code: &'static str, primary: Span) -> Finding {
    let rule = RULES.iter().find(|r| r.code == code).unwrap();
    Finding {
        code,
        rule: rule.name,
        severity: rule.severity,
        sas: rule.sas,
        cwe: rule.cwe,
        message: format!("{} here", rule.summary),
        help: Some("fix it".into()),
        primary,
        labels: vec![],
        flow: vec![],
        subject: Subject { app: "a b/template.yaml".into(), function: None, resource: None },
        key: String::new(),
        secrets: Vec::new(),
    }
}

fn sarif(findings: &[Finding], sources: &SourceDb) -> Value {
    let report = Report {
        findings,
        sources,
        rules: &RULES,
        root: ".",
        stats: ScanStats { duration: Duration::from_millis(3), ..ScanStats::default() },
        tool_version: "0.1.0",
        secrets: &[],
    };
    let mut out = Vec::new();
    emit(OutputFormat::Sarif, &report, EmitOptions::default(), &mut out).unwrap();
    serde_json::from_slice(&out).expect("SARIF is JSON")
}

#[test]
fn sarif_with_every_optional_part_validates() {
    let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function # é\n";
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new("a b/template.yaml", text));
    db.add(SourceFile::new("bin#1.yaml", ""));
    let mut full = finding("SEC001", Span::new(id, 13, 50));
    full.labels = vec![Label { span: Span::new(id, 0, 10), message: "resources".into() }];
    full.flow = vec![
        FlowStep { span: Span::new(id, 13, 15), message: "step one".into() },
        FlowStep { span: Span::new(id, 20, 40), message: "step two".into() },
    ];
    full.subject.function = Some("Fn".into());
    let findings = vec![
        full,
        // A point at the start of an unreadable file, as for binary input.
        finding("PARSE001", Span::file_start(FileId(1))),
        // A span into a file the database lacks must still give valid SARIF.
        finding("PARSE001", Span::file_start(FileId(7))),
    ];
    let doc = sarif(&findings, &db);
    assert_eq!(errors(&doc), Vec::<String>::new());
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 3);
}

#[test]
fn empty_scan_validates() {
    let doc = sarif(&[], &SourceDb::new());
    assert_eq!(errors(&doc), Vec::<String>::new());
    assert_eq!(doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), 2);
}

/// The validator really checks: a document with a bad level is rejected.
#[test]
fn schema_rejects_invalid_sarif() {
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new("t.yaml", "a: 1\n"));
    let mut doc = sarif(&[finding("SEC001", Span::new(id, 0, 1))], &db);
    doc["runs"][0]["results"][0]["level"] = Value::from("severe");
    assert!(!errors(&doc).is_empty());
}

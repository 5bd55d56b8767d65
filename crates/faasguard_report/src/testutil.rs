//! A small scan result used by every emitter's tests: two rules, a template,
//! and findings that use every optional field.

use std::time::Duration;

use faasguard_diagnostics::{Finding, FlowStep, Label, RuleMeta, Sas, Severity, Subject};
use faasguard_source::{SourceDb, SourceFile, Span};

use crate::{Report, ScanStats};

pub(crate) const TEMPLATE: &str = "\
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionUrlConfig:
        AuthType: NONE
      Role: !GetAtt AdminRole.Arn
  AdminRole:
    Type: AWS::IAM::Role
";

pub(crate) static RULES: [RuleMeta; 2] = [
    RuleMeta {
        code: "IAM001",
        name: "function-role-allows-all-actions",
        summary: "Function role allows all actions",
        severity: Severity::Critical,
        sas: Sas::OverPrivileged,
        cwe: &[250, 269],
        doc: "## What it does\nChecks for roles that allow `*`.\n\n## Why is this bad?\nAnything goes.\n",
    },
    RuleMeta {
        code: "TRG001",
        name: "function-url-without-auth",
        summary: "Function URL without authentication",
        severity: Severity::High,
        sas: Sas::BrokenAuthentication,
        cwe: &[306],
        doc: "## What it does\nChecks function URLs with `AuthType: NONE`.\n\n## Why is this bad?\nAnyone can call it.\n",
    },
];

fn span_of(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).expect("needle in template");
    (start, start + needle.len())
}

pub(crate) fn sources() -> SourceDb {
    let mut db = SourceDb::new();
    db.add(SourceFile::new("app/template.yaml", TEMPLATE));
    db
}

pub(crate) fn findings(db: &SourceDb) -> Vec<Finding> {
    let file = db.find("app/template.yaml").expect("fixture file");
    let at = |needle: &str| {
        let (s, e) = span_of(TEMPLATE, needle);
        Span::new(file, s, e)
    };
    vec![
        Finding {
            code: "TRG001",
            rule: "function-url-without-auth",
            severity: Severity::High,
            sas: Sas::BrokenAuthentication,
            cwe: &[306],
            message: "Function URL of `HelloFunction` has `AuthType: NONE`".into(),
            help: Some("Set `AuthType: AWS_IAM`".into()),
            primary: at("AuthType: NONE"),
            labels: vec![Label { span: at("HelloFunction:"), message: "function exposed".into() }],
            flow: vec![
                FlowStep { span: at("FunctionUrlConfig:"), message: "public URL".into() },
                FlowStep {
                    span: at("Role: !GetAtt AdminRole.Arn"),
                    message: "runs as AdminRole".into(),
                },
            ],
            subject: Subject {
                app: "app/template.yaml".into(),
                function: Some("HelloFunction".into()),
                resource: None,
            },
            key: String::new(),
            secrets: Vec::new(),
        },
        Finding {
            code: "IAM001",
            rule: "function-role-allows-all-actions",
            severity: Severity::Critical,
            sas: Sas::OverPrivileged,
            cwe: &[250, 269],
            message: "Role `AdminRole` allows all actions".into(),
            help: None,
            primary: at("AdminRole:\n    Type: AWS::IAM::Role"),
            labels: vec![],
            flow: vec![],
            subject: Subject {
                app: "app/template.yaml".into(),
                function: None,
                resource: Some("AdminRole".into()),
            },
            key: String::new(),
            secrets: Vec::new(),
        },
    ]
}

pub(crate) fn report<'a>(db: &'a SourceDb, findings: &'a [Finding]) -> Report<'a> {
    Report {
        findings,
        sources: db,
        rules: &RULES,
        root: ".",
        stats: ScanStats {
            files_seen: 3,
            iac_files: 1,
            apps: 1,
            functions: 1,
            parse_errors: 0,
            duration: Duration::from_millis(12),
            ..ScanStats::default()
        },
        tool_version: "0.1.0",
        secrets: &[],
    }
}

pub(crate) fn render(format: crate::OutputFormat, report: &Report<'_>, color: bool) -> String {
    let mut out = Vec::new();
    crate::emit(format, report, crate::EmitOptions { color }, &mut out).expect("emit to a Vec");
    String::from_utf8(out).expect("UTF-8 output")
}

//! `faasguard scan` reads the function code its apps point at, for the
//! least-privilege rules, and never treats code as IaC.

mod common;

use std::path::Path;

use common::{faasguard, findings, parse_errors, write};
use serde_json::Value;

const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
  SaveOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: ../src/
      Environment:
        Variables:
          TABLE: !Ref Orders
      Policies:
        - DynamoDBReadPolicy:
            TableName: !Ref Orders
";

const HANDLER: &str = "\
import os

import boto3

table = boto3.resource(\"dynamodb\").Table(os.environ[\"TABLE\"])


def handler(event, context):
    table.put_item(Item=event)
";

/// `faasguard scan DIR --format json --fail-on none`: the report and stderr.
fn scan(dir: &Path) -> (Value, String) {
    let out = faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none"])
        .arg(dir)
        .output()
        .expect("faasguard runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    (serde_json::from_slice(&out.stdout).expect("stdout is JSON"), stderr)
}

fn of_rule<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    findings(report).iter().filter(|f| f["code"] == code).collect()
}

#[test]
fn handler_code_in_the_code_location_is_read_and_cited() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/template.yaml", TEMPLATE);
    write(dir.path(), "src/app.py", HANDLER);
    let (report, stderr) = scan(dir.path());
    let missing = of_rule(&report, "LP001");
    assert_eq!(missing.len(), 1, "{report:#}\n{stderr}");
    let f = missing[0];
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("dynamodb:PutItem"), "{message}");
    assert!(message.contains("src/app.py:9"), "{message}");
    assert!(
        f["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["location"]["path"] == "src/app.py" && l["location"]["start_line"] == 9),
        "{f:#}"
    );
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn code_files_are_never_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/template.yaml", TEMPLATE);
    write(dir.path(), "src/app.py", HANDLER);
    // Broken, binary and declaration files next to the handler.
    write(dir.path(), "src/broken.py", "def handler(:\n    pass\n");
    write(dir.path(), "src/blob.js", [0u8, 159, 146, 150, 0, 1, 2]);
    write(dir.path(), "src/types.d.ts", [0u8, 159, 146, 150]);
    let (report, stderr) = scan(dir.path());
    for path in ["src/broken.py", "src/blob.js", "src/types.d.ts", "src/app.py"] {
        assert!(parse_errors(&report, path).is_empty(), "{path}: {report:#}");
    }
    assert_eq!(report["summary"]["parse_errors"], 0, "{report:#}");
    // The binary file was read, refused and reported as unreadable code
    // (INP002, not a parse error of IaC); the declaration file was not read.
    let unreadable: Vec<&serde_json::Value> = of_rule(&report, "INP002");
    assert!(
        unreadable
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("`src/blob.js` could not be read")),
        "{report:#}"
    );
    assert!(!report.to_string().contains("types.d.ts"), "{report:#}");
    assert!(!stderr.contains("types.d.ts"), "{stderr}");
    assert_eq!(of_rule(&report, "LP001").len(), 1, "{report:#}");
}

#[test]
fn code_outside_the_apps_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app/template.yaml",
        TEMPLATE.replace("CodeUri: ../src/", "CodeUri: src/").as_str(),
    );
    write(dir.path(), "app/src/app.py", HANDLER);
    // A binary file would be a warning if it were read.
    write(dir.path(), "tools/blob.py", [0u8, 159, 146, 150]);
    let (report, stderr) = scan(dir.path());
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(of_rule(&report, "LP001").len(), 1, "{report:#}");
}

#[test]
fn a_missing_handler_file_is_a_quiet_note_not_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/template.yaml", TEMPLATE);
    let (report, stderr) = scan(dir.path());
    assert!(of_rule(&report, "LP001").is_empty(), "{report:#}");
    assert!(of_rule(&report, "LP002").is_empty(), "{report:#}");
    assert!(parse_errors(&report, "src/app.py").is_empty());
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn without_code_files_the_scan_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "template.yaml", common::HIGH_TEMPLATE);
    let (report, stderr) = scan(dir.path());
    assert!(stderr.is_empty(), "{stderr}");
    assert!(findings(&report).iter().all(|f| !f["code"].as_str().unwrap().starts_with("LP")));
}

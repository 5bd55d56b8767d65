//! `faasguard iam --emit-policy DIR`: least-privilege policies written per
//! function, and what the code uses in the `iam` report.

mod common;

use std::path::Path;

use common::{faasguard, write};
use faasguard_source::FileId;
use serde_json::Value;

const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          TABLE: !Ref OrdersTable
  OtherFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: other.handler
      CodeUri: src/
";

const APP_PY: &str = "\
import os
import boto3

table = boto3.resource(\"dynamodb\").Table(os.environ[\"TABLE\"])


def handler(event, context):
    item = table.get_item(Key={\"id\": event[\"id\"]})
    table.put_item(Item={\"id\": event[\"id\"], \"seen\": True})
    return item
";

const OTHER_PY: &str = "\
def handler(event, context):
    return {}
";

fn app(dir: &Path) {
    write(dir, "app/template.yaml", TEMPLATE);
    write(dir, "app/src/app.py", APP_PY);
    write(dir, "app/src/other.py", OTHER_PY);
}

fn run(dir: &Path, extra: &[&str]) -> std::process::Output {
    faasguard().current_dir(dir).arg("iam").args(extra).arg("app").output().expect("faasguard runs")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn writes_the_policy_and_the_snippet_of_each_function() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path());
    let out = run(tmp.path(), &["--emit-policy", "policies"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("policies/template");

    let json = std::fs::read_to_string(dir.join("OrdersFunction.policy.json")).unwrap();
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["Version"], "2012-10-17");
    let table = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "DynamodbOrdersTable")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(table["Action"], serde_json::json!(["dynamodb:GetItem", "dynamodb:PutItem"]));
    assert_eq!(table["Resource"], serde_json::json!(["arn:aws:dynamodb:*:*:table/*"]));
    assert!(!dir.join("OrdersFunction-2.policy.json").exists());

    // The snippet is a `Policies` item: in the template, it loads back
    // with the table's reference intact.
    let snippet = std::fs::read_to_string(dir.join("OrdersFunction.sam.yaml")).unwrap();
    let indented: String = snippet.lines().map(|l| format!("      {l}\n")).collect();
    let (head, tail) = TEMPLATE.split_once("  OtherFunction:").unwrap();
    let template = format!("{head}{indented}  OtherFunction:{tail}");
    let loaded = faasguard_loaders::load_file(FileId(0), "template.yaml", &template).unwrap();
    assert!(loaded.errors.is_empty(), "{:?}\n{template}", loaded.errors);
    let app = &loaded.apps[0];
    let (id, _) = app.functions().find(|(_, f)| f.logical_id == "OrdersFunction").unwrap();
    let role = app.role_of(id).unwrap();
    let resources: Vec<&str> = role
        .policies
        .iter()
        .flat_map(|p| p.document.iter().flat_map(|d| &d.statements))
        .filter(|s| s.sid.as_deref() == Some("DynamodbOrdersTable"))
        .flat_map(|s| s.resources.iter().map(|r| r.value.as_str()))
        .collect();
    assert_eq!(
        resources,
        ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"]
    );

    // One line per function says what was written.
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("OrdersFunction (template.yaml)"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.contains("OrdersFunction.policy.json") && line.contains("OrdersFunction.sam.yaml"),
        "{line}"
    );
    assert!(err.contains("OtherFunction (template.yaml)"), "{err}");
}

#[test]
fn respects_function() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path());
    let out = run(tmp.path(), &["--emit-policy", "policies", "--function", "OrdersFunction"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("policies/template");
    assert!(dir.join("OrdersFunction.policy.json").is_file());
    assert!(!stderr(&out).contains("OtherFunction"), "{}", stderr(&out));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.starts_with("OrdersFunction")), "{names:?}");
}

#[test]
fn missing_parent_directory_is_a_usage_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path());
    let out = run(tmp.path(), &["--emit-policy", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no/such/dir") && err.contains("--emit-policy"), "{err}");
    assert!(out.stdout.is_empty(), "the report is not printed when it cannot run");
    assert!(!tmp.path().join("no").exists());
}

#[test]
fn a_file_in_the_way_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path());
    write(tmp.path(), "taken", "not a directory");
    let out = run(tmp.path(), &["--emit-policy", "taken"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`taken`") && stderr(&out).contains("not a directory"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unwritable_output_is_an_error_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path());
    // The app's directory cannot be created: a file holds its name (this
    // fails for root too, unlike permissions).
    write(tmp.path(), "policies/template", "in the way");
    let out = run(tmp.path(), &["--emit-policy", "policies"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("policies/template") && err.contains("writable"), "{err}");
}

#[test]
fn the_report_shows_what_the_code_uses() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path());
    let out = run(tmp.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let orders = report["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["function"] == "OrdersFunction")
        .unwrap();
    let code = &orders["code"];
    assert!(code["complete"].is_boolean(), "{code:#}");
    let get = code["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["action"] == "dynamodb:GetItem")
        .unwrap_or_else(|| panic!("{code:#}"));
    assert_eq!(get["resources"], serde_json::json!(["arn:aws:dynamodb:*:*:table/*"]));
    assert_eq!(
        get["templates"],
        serde_json::json!([
            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"
        ])
    );
    assert_eq!(get["confidence"], "high");
    let evidence = &get["evidence"][0];
    assert_eq!(evidence["source"], "code");
    assert!(evidence["location"]["path"].as_str().unwrap().ends_with("src/app.py"), "{evidence:#}");
    assert_eq!(evidence["location"]["start_line"], 8, "{evidence:#}");

    let out = run(tmp.path(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("code uses: "), "{text}");
    assert!(text.contains("dynamodb:GetItem on arn:aws:dynamodb:*:*:table/*"), "{text}");
}

//! Injection findings (INJ) end to end: the flow from the event to the sink
//! reaches every output (the text `path`, JSON `flow`, SARIF `codeFlows`),
//! the severity follows the trigger, and the fingerprint survives edits
//! above the flow.

mod common;

use std::path::Path;

use common::{faasguard, findings, write};
use serde_json::Value;

const PUBLIC_TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Ping:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Api:
          Type: Api
          Properties:
            Path: /ping
            Method: post
";

const QUEUE_TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Ping:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Job:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
";

/// Source on line 5, a step on line 6, the sink on line 7.
const HANDLER: &str = "\
import os


def handler(event, context):
    host = event[\"body\"]
    cmd = \"ping -c 1 \" + host
    os.system(cmd)
    return {\"statusCode\": 204}
";

fn project(template: &str, handler: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "template.yaml", template);
    write(dir.path(), "src/app.py", handler);
    dir
}

/// `faasguard scan DIR --select INJ002 --format FORMAT`: stdout.
fn scan(dir: &Path, format: &str) -> String {
    let out = faasguard()
        .env("NO_COLOR", "1")
        .args(["scan", "--select", "INJ002", "--fail-on", "none", "--format", format])
        .arg(dir)
        .output()
        .expect("faasguard runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn the_finding(dir: &Path) -> Value {
    let report: Value = serde_json::from_str(&scan(dir, "json")).expect("JSON");
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    found[0].clone()
}

#[test]
fn a_public_flow_is_critical_and_names_trigger_source_and_sink() {
    let dir = project(PUBLIC_TEMPLATE, HANDLER);
    let f = the_finding(dir.path());
    assert_eq!(f["severity"], "critical", "{f:#}");
    assert_eq!(f["sas"], "SAS-1");
    assert_eq!(f["cwe"][0], "CWE-78");
    assert_eq!(f["subject"]["function"], "Ping");
    let message = f["message"].as_str().unwrap();
    for part in ["`Ping`", "POST /ping", "public", "src/app.py:5", "src/app.py:7", "os.system"] {
        assert!(message.contains(part), "`{part}` not in: {message}");
    }
    assert_eq!(f["location"]["path"], "src/app.py");
    assert_eq!(f["location"]["start_line"], 7);
    let flow = f["flow"].as_array().unwrap();
    assert!(flow.len() >= 2, "{f:#}");
    let lines: Vec<u64> =
        flow.iter().map(|s| s["location"]["start_line"].as_u64().unwrap()).collect();
    assert_eq!(lines.first(), Some(&5), "{f:#}");
    assert_eq!(lines.last(), Some(&7), "{f:#}");
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "steps out of order: {lines:?}");
    assert!(
        f["labels"].as_array().unwrap().iter().any(|l| l["location"]["path"] == "template.yaml")
    );
}

#[test]
fn the_text_report_shows_the_path() {
    let dir = project(PUBLIC_TEMPLATE, HANDLER);
    let text = scan(dir.path(), "text");
    assert!(text.contains("= path:"), "{text}");
    assert!(text.contains("1. src/app.py:5"), "{text}");
    assert!(text.contains("src/app.py:7"), "{text}");
    assert!(text.contains("os.system"), "{text}");
}

#[test]
fn sarif_carries_the_flow_as_a_code_flow() {
    let dir = project(PUBLIC_TEMPLATE, HANDLER);
    let sarif: Value = serde_json::from_str(&scan(dir.path(), "sarif")).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{sarif:#}");
    let steps = results[0]["codeFlows"][0]["threadFlows"][0]["locations"].as_array().unwrap();
    assert!(steps.len() >= 2, "{sarif:#}");
    let first = &steps[0]["location"]["physicalLocation"];
    assert_eq!(first["artifactLocation"]["uri"], "src/app.py");
    assert_eq!(first["region"]["startLine"], 5);
    let last = &steps[steps.len() - 1]["location"]["physicalLocation"];
    assert_eq!(last["region"]["startLine"], 7);
    assert_eq!(steps[0]["executionOrder"], 1);

    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../faasguard_report/tests/data/sarif-schema-2.1.0.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator =
        jsonschema::draft4::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn an_internal_trigger_lowers_the_severity() {
    let dir = project(QUEUE_TEMPLATE, HANDLER);
    let f = the_finding(dir.path());
    assert_eq!(f["severity"], "medium", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("SQS trigger `Job`") && message.contains("internal"), "{message}");
}

#[test]
fn the_fingerprint_survives_lines_added_above() {
    let before = the_finding(project(PUBLIC_TEMPLATE, HANDLER).path());
    let edited = HANDLER.replacen("import os\n", "import os\nimport sys\n\nLIMIT = 3\n", 1);
    let after = the_finding(project(PUBLIC_TEMPLATE, &edited).path());
    assert_eq!(after["location"]["start_line"], 10);
    assert_eq!(before["fingerprint"], after["fingerprint"]);
}

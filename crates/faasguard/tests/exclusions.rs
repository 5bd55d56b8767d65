//! `--exclusions FILE`: suppressions with reasons silence single findings;
//! a broken file is a usage error naming its place.

mod common;

use common::{HIGH_TEMPLATE, faasguard, findings, write};
use serde_json::Value;

fn scan(dir: &std::path::Path, exclusions: &str) -> std::process::Output {
    write(dir, "exclusions.yml", exclusions);
    faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none", "--exclusions"])
        .arg(dir.join("exclusions.yml"))
        .arg(dir.join("app"))
        .output()
        .unwrap()
}

#[test]
fn a_suppression_silences_its_finding_and_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/template.yaml", HIGH_TEMPLATE);
    let out = scan(
        dir.path(),
        "suppressions:\n  - rule: TRG001\n    function: HelloFunction\n    reason: public by design\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings(&report).iter().all(|f| f["code"] != "TRG001"), "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1);

    // The same entry for another function silences nothing.
    let out = scan(
        dir.path(),
        "suppressions:\n  - rule: TRG001\n    function: Other\n    reason: public by design\n",
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings(&report).iter().any(|f| f["code"] == "TRG001"));
    assert_eq!(report["summary"]["suppressed"], 0);
}

#[test]
fn a_broken_exclusions_file_is_a_usage_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/template.yaml", HIGH_TEMPLATE);
    let out = scan(dir.path(), "roles: [x]\nsuppressions:\n  - rule: TRG001\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("exclusions.yml:3:"), "{stderr}");
    assert!(stderr.contains("reason"), "{stderr}");

    let out = scan(dir.path(), "suppressions:\n  - rule: TRG999\n    reason: x\n");
    assert_eq!(out.status.code(), Some(2));
}

const ROLE_TEMPLATE: &str = "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Tracing: Active
      Policies:
        - Statement:
            - Effect: Allow
              Action: [secretsmanager:GetSecretValue, s3:GetObject]
              Resource: '*'
";

fn codes(out: &std::process::Output) -> Vec<String> {
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    findings(&report).iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn iam_exclusions_take_roles_and_actions_out_of_the_iam_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/template.yaml", ROLE_TEMPLATE);
    let all = codes(&scan(dir.path(), ""));
    assert!(all.contains(&"IAM008".to_string()), "{all:?}");

    let role_excluded = codes(&scan(dir.path(), "roles: [readerrole]\n"));
    assert!(role_excluded.iter().all(|c| !c.starts_with("IAM")), "{role_excluded:?}");

    let actions_excluded = codes(&scan(
        dir.path(),
        "exclude-actions: [secretsmanager:GetSecretValue, s3:GetObject]\n",
    ));
    assert!(!actions_excluded.contains(&"IAM008".to_string()), "{actions_excluded:?}");
}

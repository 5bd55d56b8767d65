//! `faasguard iam`: effective permissions per function, as text and JSON.

mod common;

use common::faasguard;
use serde_json::Value;

const EXAMPLE_APP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/vulnerable-sam-app");

fn iam_json(args: &[&str]) -> Value {
    let out = faasguard()
        .arg("iam")
        .args(args)
        .args(["--format", "json"])
        .arg(EXAMPLE_APP)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn function<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["function"] == name)
        .unwrap_or_else(|| panic!("{name} in {report:#}"))
}

fn actions(f: &Value) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for s in f["permissions"].as_array().unwrap() {
        for level in s["access_levels"].as_array().unwrap() {
            for a in level["actions"].as_array().unwrap() {
                out.push((
                    a["action"].as_str().unwrap().to_string(),
                    level["level"].as_str().unwrap().to_string(),
                    a["unrestricted"].as_bool().unwrap(),
                ));
            }
        }
    }
    out
}

#[test]
fn effective_permissions_expand_wildcards_with_access_levels() {
    let report = iam_json(&[]);
    assert_eq!(report["version"], 1);
    assert!(report["catalog"]["sources"].as_array().unwrap().len() >= 2);
    let orders = actions(function(&report, "OrdersFunction"));
    // `s3:*` on `*`: every S3 action, each at its own level, unrestricted.
    assert!(orders.contains(&("s3:GetObject".into(), "Read".into(), true)), "{orders:?}");
    assert!(orders.contains(&("s3:PutBucketPolicy".into(), "Permissions management".into(), true)));
    assert!(orders.iter().filter(|(a, _, _)| a.starts_with("s3:")).count() > 100);
    // The SAM policy template is scoped to the table: granted, not unrestricted.
    assert!(orders.contains(&("dynamodb:PutItem".into(), "Write".into(), false)), "{orders:?}");
    assert!(!orders.iter().any(|(a, _, _)| a == "dynamodb:DeleteTable"));

    // The admin role of ReportsFunction reaches every service.
    let reports = function(&report, "ReportsFunction");
    assert!(reports["permissions"].as_array().unwrap().len() > 300);
    let risks: Vec<&str> =
        reports["risks"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(risks.contains(&"IAM005"), "{risks:?}");
}

#[test]
fn one_function_and_unknown_names() {
    let report = iam_json(&["--function", "ThumbnailFunction"]);
    let functions = report["functions"].as_array().unwrap();
    assert_eq!(functions.len(), 1);
    let thumbs = actions(&functions[0]);
    assert!(thumbs.iter().any(|(a, _, open)| a == "s3:GetObject" && !open), "{thumbs:?}");

    let out = faasguard()
        .args(["iam", "--function", "ThumbnailFuncton"])
        .arg(EXAMPLE_APP)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ThumbnailFunction"));
}

#[test]
fn text_output_groups_by_service_and_level() {
    let out = faasguard()
        .args(["iam", "--function", "OrdersFunction"])
        .arg(EXAMPLE_APP)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("=== function OrdersFunction"), "{text}");
    assert!(text.contains("secretsmanager:GetSecretValue on *"), "{text}");
    assert!(text.contains("Permissions management:"), "{text}");
    assert!(text.contains("Action catalog of"), "{text}");
}

#[test]
fn an_aws_managed_permissions_boundary_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "template.yaml",
        "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Bounded:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      PermissionsBoundary: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
      Policies:
        - Statement:
            - Effect: Allow
              Action: '*'
              Resource: '*'
",
    );
    let out = faasguard().args(["iam", "--format", "json"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let granted = actions(function(&report, "Bounded"));
    assert!(granted.iter().any(|(a, _, _)| a == "s3:GetObject"), "{granted:?}");
    assert!(
        granted.iter().all(|(a, level, _)| a.starts_with("s3:")
            || a.starts_with("s3-object-lambda:")
            || level == "Read"
            || level == "List"),
        "the boundary allows reads only: {granted:?}"
    );
    assert!(!granted.iter().any(|(a, _, _)| a == "iam:CreateUser"), "{granted:?}");
}

//! How the CLI finds and groups each format's files: Serverless configs in
//! code, Terraform root and child modules, Azure projects, and the Azure
//! and Google examples.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{findings, parse_errors, scan_json, write};
use serde_json::Value;

fn codes(report: &Value) -> BTreeSet<String> {
    findings(report).iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn serverless_config_in_code_is_reported_with_the_command_to_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "svc/serverless.ts", "export default { service: 'orders' };\n");
    let report = scan_json(dir.path());
    let errors = parse_errors(&report, "svc/serverless.ts");
    assert_eq!(errors.len(), 1, "{report:#}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("serverless print"), "{message}");
}

#[test]
fn a_terraform_child_module_is_loaded_once_through_its_caller() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/main.tf",
        "module \"api\" {\n  source   = \"./modules/fn\"\n  auth     = \"NONE\"\n}\n",
    );
    write(
        dir.path(),
        "infra/modules/fn/main.tf",
        r#"variable "auth" { default = "AWS_IAM" }
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = "{}"
}
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "fn.zip"
}
resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = var.auth
}
"#,
    );
    let report = scan_json(dir.path());
    assert_eq!(report["summary"]["by_format"]["terraform"]["apps"], 1, "{report:#}");
    // The caller's input reaches the child: the URL is open.
    let urls: Vec<&Value> = findings(&report).iter().filter(|f| f["code"] == "TRG001").collect();
    assert_eq!(urls.len(), 1, "{report:#}");
}

#[test]
fn an_azure_project_is_one_app_with_its_functions() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "func/host.json", r#"{"version": "2.0"}"#);
    write(
        dir.path(),
        "func/Open/function.json",
        r#"{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "authLevel": "anonymous"}]}"#,
    );
    write(
        dir.path(),
        "func/Keyed/function.json",
        r#"{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req"}]}"#,
    );
    let report = scan_json(dir.path());
    let azure = &report["summary"]["by_format"]["azure-functions"];
    assert_eq!((azure["apps"].as_u64(), azure["functions"].as_u64()), (Some(1), Some(2)));
    let open: Vec<&Value> = findings(&report).iter().filter(|f| f["code"] == "TRG002").collect();
    assert_eq!(open.len(), 1, "only the anonymous function is open: {report:#}");
    assert_eq!(open[0]["subject"]["function"], "Open");
}

#[test]
fn the_azure_and_google_examples_give_their_findings() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let azure = codes(&scan_json(&examples.join("azure-function-app")));
    for code in ["TRG002", "SEC001", "AZF001", "AZF002", "AZF004", "AZF009"] {
        assert!(azure.contains(code), "Azure example lacks {code}: {azure:?}");
    }
    let gcp = codes(&scan_json(&examples.join("gcp-function")));
    for code in ["TRG003", "GCF001", "GCF002", "GCF003"] {
        assert!(gcp.contains(code), "Google example lacks {code}: {gcp:?}");
    }
}

//! Credentials hard-coded in function code never reach any output: the
//! `hard-coded-credential` message redacts them, and the text reporter
//! masks their spans in every code frame, including the frames of other
//! findings on the same lines.

mod common;

use common::{faasguard, write};

const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Export:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /export
            Method: POST
  Notify:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: web/
  Inline:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import requests
        API_TOKEN = \"q7Xk29LmVt84RpNz3BwYc6Hd\"
        def handler(event, context):
            print(API_TOKEN)
            return requests.get(\"https://partner.example.com\", headers={\"x-token\": API_TOKEN}, verify=False).status_code
";

const PYTHON: &str = r#"import boto3
import requests

s3 = boto3.client("s3", aws_access_key_id="AKIAZ7QK3M2XN4PLWEVB", aws_secret_access_key="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")
DB_PASSWORD = "Winter2026-orders-Pa55!"


def handler(event, context):
    print("connecting with", DB_PASSWORD)
    requests.post("https://partner.example.com/hook", json={"password": "Winter2026-orders-Pa55!"}, verify=False)
    return {"statusCode": 200}
"#;

const JAVASCRIPT: &str = r#"const slack = "xoxb-5820394716-Tq8ZkP3mLw9NvX2r";
const stripe = { apiKey: "sk_live_4eC39HqLyjWDarjtT1zdp7dc" };
exports.handler = async (event) => {
  console.log("posting with", slack, stripe.apiKey);
  return { statusCode: 200 };
};
"#;

const SECRETS: &[&str] = &[
    "AKIAZ7QK3M2XN4PLWEVB",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3KeYPq9k",
    "Winter2026-orders-Pa55!",
    "xoxb-5820394716-Tq8ZkP3mLw9NvX2r",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "q7Xk29LmVt84RpNz3BwYc6Hd",
];

#[test]
fn hard_coded_credentials_appear_in_no_output_format() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "template.yaml", TEMPLATE);
    write(dir.path(), "src/app.py", PYTHON);
    write(dir.path(), "web/index.js", JAVASCRIPT);
    for format in ["text", "json", "sarif"] {
        let out = faasguard()
            .args(["scan", "--fail-on", "none", "--color", "never", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        // Every secret is reported, so this test can fail.
        let reported = stdout.matches("CODE001").count();
        assert!(reported >= SECRETS.len(), "{format}: {reported} CODE001 in\n{stdout}");
        assert!(stdout.contains("CODE003"), "{format}: secrets logged are reported too");
        for secret in SECRETS {
            // Any 8 characters of a secret would already say too much.
            for window in secret.as_bytes().windows(8) {
                let piece = std::str::from_utf8(window).unwrap();
                assert!(!stdout.contains(piece), "{format} output leaks `{piece}` of a secret");
            }
        }
    }
}

//! No finding ever carries a secret: every rule runs on apps full of
//! secrets, and no part of any finding (message, help, labels, flow, key,
//! subject) may contain one, nor any eight characters of one.

mod common;

use faasguard_diagnostics::Finding;
use faasguard_linter::{Settings, check_app, registry};
use faasguard_loaders::LoadOutcome;
use faasguard_source::{FileId, SourceDb, SourceFile};

const SECRETS: &[&str] = &[
    "Winter2026-orders-Pa55!",
    "ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ",
    "AKIAZ7QK3M2XN4PLWEVB",
    "q3Vb9/Lm2XkR7tPz4Wn8Yc1Jd6Hf0Gs5Ae+Ku3Mo",
    "Tr0ub4dor-and-3",
    "xoxb-2048736152-7731926480-Qm4xT8vR2pLs9KwZ",
    "sk_live_51Hq8ZxL2mNp4Rt7Vw9Yb3Ck",
    "k8Jd02nXq9Lm4PzR7tVb3WcY",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
    "AIzaSyD3x9Kq7Lm2Np4Rs6Tu8Vw0Xy1Za3Bc5De",
    "Summer2026-db-Pa55!",
];

const SAM: &str = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs14.x
    Environment:
      Variables:
        SHARED_TOKEN: ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: NONE
      Environment:
        Variables:
          DB_PASSWORD: Winter2026-orders-Pa55!
          AWS_ACCESS_KEY_ID: AKIAZ7QK3M2XN4PLWEVB
          AWS_SECRET_ACCESS_KEY: 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
          DATABASE_URL: postgres://orders:Tr0ub4dor-and-3@db.internal:5432/orders
          UPSTREAM: k8Jd02nXq9Lm4PzR7tVb3WcY
          SFTP_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----"
      Events:
        Api:
          Type: Api
          Properties:
            Path: /orders
            Method: get
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
"#;

const SERVERLESS: &str = r#"service: billing
provider:
  name: aws
  runtime: nodejs16.x
  environment:
    SLACK_BOT_TOKEN: xoxb-2048736152-7731926480-Qm4xT8vR2pLs9KwZ
functions:
  charge:
    handler: src/charge.handler
    url: true
    environment:
      STRIPE_SECRET_KEY: sk_live_51Hq8ZxL2mNp4Rt7Vw9Yb3Ck
"#;

const TERRAFORM: &str = r#"resource "aws_lambda_function" "orders" {
  function_name = "orders"
  runtime       = "python3.8"
  handler       = "app.handler"
  role          = "arn:aws:iam::123456789012:role/orders"
  filename      = "orders.zip"
  environment {
    variables = {
      DB_PASSWORD = "Winter2026-orders-Pa55!"
    }
  }
}

resource "google_cloudfunctions_function" "geocode" {
  name                  = "geocode"
  runtime               = "python37"
  entry_point           = "handler"
  source_archive_bucket = "artifacts"
  source_archive_object = "geocode.zip"
  trigger_http          = true
  environment_variables = {
    MAPS_API_KEY = "AIzaSyD3x9Kq7Lm2Np4Rs6Tu8Vw0Xy1Za3Bc5De"
  }
}

resource "azurerm_linux_function_app" "orders" {
  name                 = "orders-func"
  resource_group_name  = "orders-rg"
  location             = "westeurope"
  service_plan_id      = "plan"
  storage_account_name = "ordersstorage"
  app_settings = {
    DB_PASSWORD = "Summer2026-db-Pa55!"
  }
  site_config {}
}
"#;

fn load(format: &str, path: &str, text: &str) -> LoadOutcome {
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new(path, text));
    match format {
        "tf" => faasguard_loader_terraform::load_module(&db, "", &[id]),
        "serverless" => faasguard_loader_serverless::load(&db, id),
        _ => faasguard_loaders::load_file(FileId(id.0), path, text).expect("a template"),
    }
}

/// Every piece of text a finding carries.
fn texts(f: &Finding) -> Vec<&str> {
    let mut out = vec![f.message.as_str(), f.key.as_str(), f.subject.app.as_str()];
    out.extend(f.help.as_deref());
    out.extend(f.subject.function.as_deref());
    out.extend(f.subject.resource.as_deref());
    out.extend(f.labels.iter().map(|l| l.message.as_str()));
    out.extend(f.flow.iter().map(|s| s.message.as_str()));
    out
}

fn leaks(text: &str) -> Option<&'static str> {
    SECRETS.iter().copied().find(|secret| {
        let chars: Vec<char> = secret.chars().collect();
        text.contains(secret)
            || chars.windows(8).any(|w| text.contains(&w.iter().collect::<String>()))
    })
}

#[test]
fn no_finding_holds_a_secret() {
    // Every rule runs; a fixed date makes the runtime rule report too.
    let settings = Settings { today: Some("2026-11-23".into()), ..Settings::default() };
    let mut secret_findings = 0;
    for (format, path, text) in [
        ("sam", "template.yaml", SAM),
        ("serverless", "serverless.yml", SERVERLESS),
        ("tf", "main.tf", TERRAFORM),
    ] {
        let outcome = load(format, path, text);
        assert!(outcome.errors.is_empty(), "{path}: {:?}", outcome.errors);
        assert!(!outcome.apps.is_empty(), "{path} gave no app");
        for app in &outcome.apps {
            for finding in check_app(app, &settings) {
                if finding.code == "SEC001" {
                    secret_findings += 1;
                }
                for text in texts(&finding) {
                    if let Some(secret) = leaks(text) {
                        panic!("{} on {path} leaks {secret:?} in {text:?}", finding.code);
                    }
                }
                // The debug form covers fields added after this test.
                let all = format!("{finding:?}");
                assert!(leaks(&all).is_none(), "{} on {path} leaks: {all}", finding.code);
            }
        }
    }
    // 7 in the SAM app (one shared by both functions), 2 serverless, 3 terraform.
    assert!(
        secret_findings >= 12,
        "only {secret_findings} secrets were found; the test is vacuous"
    );
}

#[test]
fn each_secret_is_reported_once() {
    // The redaction test is only as good as the findings it looked at.
    assert!(registry().iter().any(|r| r.code == "SEC001"));
    let (found, errors) = common::run("SEC001", "sam", "template.yaml", SAM);
    assert!(errors.is_empty());
    let keys: Vec<&str> = found.iter().map(|f| f.key.as_str()).collect();
    for name in [
        "SHARED_TOKEN",
        "DB_PASSWORD",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "DATABASE_URL",
        "UPSTREAM",
        "SFTP_KEY",
    ] {
        assert!(keys.contains(&name), "{name} not reported: {keys:?}");
    }
    let shared: Vec<&Finding> = found.iter().filter(|f| f.key == "SHARED_TOKEN").collect();
    assert_eq!(shared.len(), 1, "a global variable is reported once");
    assert!(shared[0].labels.iter().any(|l| l.message.contains("also set for function")));
}

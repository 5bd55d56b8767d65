//! Hostile and odd input stays bounded (evaluation limits, nesting
//! limits), and gen2 Google functions and heredoc policies load.

mod common;

use common::*;
use faasguard_model::{Origin, RouteAuth, TriggerKind};
use faasguard_source::{SourceDb, SourceFile};
use faasguard_syntax::ParseErrorKind;

fn load_text(files: &[(&str, &str)]) -> (SourceDb, faasguard_loaders::LoadOutcome) {
    let mut db = SourceDb::new();
    for (p, t) in files {
        db.add(SourceFile::new(*p, *t));
    }
    let out = load_dir(&db, "m");
    (db, out)
}

#[test]
fn exponential_locals_and_huge_ranges_are_bounded() {
    let mut tf = String::from("locals {\n  l0 = [\"xxxxxxxx\", \"yyyyyyyy\"]\n");
    for i in 1..60 {
        tf.push_str(&format!("  l{i} = [local.l{p}, local.l{p}, local.l{p}]\n", p = i - 1));
    }
    tf.push_str("  big = [for i in range(100000000) : i]\n}\n");
    tf.push_str("resource \"aws_lambda_function\" \"f\" {\n  function_name = jsonencode(local.l59)\n  handler = jsonencode(local.big)\n}\n");
    let (_, out) = load_text(&[("m/main.tf", &tf)]);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    // 3^59 values and a 10^8-element range are never built: both hit the
    // evaluation limit, which a note reports, and stay unresolved.
    let f = &out.apps[0].functions[0];
    assert_eq!(f.name.as_ref().unwrap().origin, Origin::Unresolved);
    assert_eq!(f.handler.as_ref().unwrap().origin, Origin::Unresolved);
    assert!(
        out.apps[0].notes.iter().any(|n| n.message.contains("limit")),
        "{:?}",
        out.apps[0].notes
    );
}

#[test]
fn deep_nesting_is_refused_with_an_error() {
    let tf = format!("locals {{\n  x = {}\n}}\n", "[".repeat(100_000));
    let (_, out) = load_text(&[("m/main.tf", &tf)]);
    assert_eq!(out.errors[0].kind, ParseErrorKind::TooDeep);
}

#[test]
fn heredoc_policies_keep_spans_and_iam_variables() {
    let tf = r#"resource "aws_iam_role" "r" {
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}
EOF
}

resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = <<-POLICY
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
      "Resource": ["arn:aws:s3:::b/$${aws:username}/*", "${aws_s3_bucket.b.arn}"]}]}
  POLICY
}
"#;
    let (db, out) = load_text(&[("m/main.tf", tf)]);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let role = &out.apps[0].roles[0];
    let trust = role.trust_policy.as_ref().unwrap();
    assert_eq!(slice(&db, trust.statements[0].actions[0].span), "\"sts:AssumeRole\"");
    let doc = role.policies[0].document.as_ref().unwrap();
    let res = &doc.statements[0].resources;
    assert_eq!(
        (res[0].value.as_str(), res[0].origin),
        ("arn:aws:s3:::b/${aws:username}/*", Origin::Explicit)
    );
    assert_eq!(res[1].origin, Origin::Unresolved);
}

#[test]
fn gen2_functions_with_service_accounts_and_project_roles() {
    let tf = r#"resource "google_service_account" "fn" {
  account_id = "orders-fn"
}

resource "google_cloudfunctions2_function" "orders" {
  name = "orders"
  build_config {
    runtime     = "nodejs20"
    entry_point = "handler"
  }
  service_config {
    available_memory      = "512M"
    ingress_settings      = "ALLOW_INTERNAL_ONLY"
    service_account_email = google_service_account.fn.email
    secret_environment_variables {
      key     = "DB_PASSWORD"
      secret  = "db-password"
      version = "latest"
    }
  }
}

resource "google_project_iam_member" "editor" {
  project = "p"
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.fn.email}"
}

resource "google_cloud_run_service_iam_member" "auth" {
  service = google_cloudfunctions2_function.orders.name
  role    = "roles/run.invoker"
  member  = "allAuthenticatedUsers"
}
"#;
    let (_, out) = load_text(&[("m/main.tf", tf)]);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let f = function(app, "orders");
    assert_eq!(f.runtime.as_ref().unwrap().value, "nodejs20");
    assert_eq!(f.memory_mb.as_ref().unwrap().value, 512);
    assert_eq!(f.platform.as_ref().unwrap().ingress.as_ref().unwrap().value, "ALLOW_INTERNAL_ONLY");
    assert_eq!(f.environment[0].source, faasguard_model::ValueSource::SecretStore);
    let role = role_of(app, "orders");
    assert_eq!(role.logical_id, "fn");
    assert!(!role.default_identity);
    assert_eq!(role.assignments[0].role.value, "roles/editor");
    let t = triggers_of(app, "orders");
    match &t[0].kind {
        // allAuthenticatedUsers is not anonymous: the route asks for a Google identity.
        TriggerKind::HttpRoute(r) => assert_eq!(r.auth.value, RouteAuth::Iam),
        other => panic!("{other:?}"),
    }
    assert!(app.permissions[0].is_public());
}

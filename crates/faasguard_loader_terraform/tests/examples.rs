//! The example apps: `examples/parity/terraform` is the SAM example app in
//! Terraform (same functions, runtimes, variables, roles and triggers), and
//! the Azure and Google examples model the problems they were written with.

mod common;

use std::path::Path;

use common::*;
use faasguard_model::{ApiKind, Origin, Provider, RouteAuth, TriggerKind, ValueSource};
use faasguard_source::FileId;

fn examples_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn load_example(dir: &str) -> (faasguard_source::SourceDb, faasguard_loaders::LoadOutcome) {
    let root = examples_root();
    let db = db_from(&root, dir);
    let out = load_dir(&db, dir);
    (db, out)
}

#[test]
fn parity_example_matches_the_sam_app() {
    let (_, out) = load_example("parity/terraform");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    assert!(app.notes.is_empty(), "{:?}", app.notes);

    let sam_text =
        std::fs::read_to_string(examples_root().join("vulnerable-sam-app/template.yaml")).unwrap();
    let sam = faasguard_syntax::parse_yaml(FileId(9), &sam_text).root.unwrap();
    let sam_functions: Vec<_> = sam
        .get("Resources")
        .unwrap()
        .entries()
        .iter()
        .filter(|e| {
            e.value.get("Type").and_then(|t| t.as_str()) == Some("AWS::Serverless::Function")
        })
        .collect();
    let keys: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    let sam_keys: Vec<&str> = sam_functions.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, sam_keys);
    for e in &sam_functions {
        let f = function(app, &e.key);
        let props = e.value.get("Properties").unwrap();
        assert_eq!(
            f.runtime.as_ref().unwrap().value,
            props.get("Runtime").unwrap().as_str().unwrap(),
            "{}",
            e.key
        );
        assert_eq!(
            f.handler.as_ref().unwrap().value,
            props.get("Handler").unwrap().as_str().unwrap(),
            "{}",
            e.key
        );
        let mut sam_env: Vec<&str> = props
            .at(&["Environment", "Variables"])
            .map(|v| v.entries().iter().map(|e| e.key.as_str()).collect())
            .unwrap_or_default();
        sam_env.insert(0, "STAGE");
        let env: Vec<&str> = f.environment.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(env, sam_env, "{}", e.key);
        assert_eq!(f.environment[0].value.value, "prod");
        assert_eq!(f.timeout_s.as_ref().unwrap().value, 10);
        assert_eq!(f.memory_mb.as_ref().unwrap().value, 256);
        assert_eq!(
            f.tracing.as_ref().map(|t| t.value.as_str()),
            props.get("Tracing").and_then(|t| t.as_str()),
            "{}",
            e.key
        );
    }
    let orders = function(app, "OrdersFunction");
    let password = orders.environment.iter().find(|v| v.name == "DB_PASSWORD").unwrap();
    assert_eq!((password.source, password.value.origin), (ValueSource::Literal, Origin::Explicit));
    let table = orders.environment.iter().find(|v| v.name == "TABLE_NAME").unwrap();
    assert_eq!(table.source, ValueSource::Reference);

    let orders_role = role_of(app, "OrdersFunction");
    let actions = allowed_actions(orders_role);
    assert!(
        actions.contains(&"s3:*".to_string()) && actions.contains(&"dynamodb:PutItem".to_string())
    );
    for key in ["ReportsFunction", "AdminFunction"] {
        let role = role_of(app, key);
        assert_eq!(role.logical_id, "SharedRole");
        assert!(role.policies.iter().any(|p| p.name.ends_with("AdministratorAccess")));
        let reports =
            role.policies.iter().find(|p| p.name == "reports").unwrap().document.as_ref().unwrap();
        assert_eq!(reports.statements[0].not_actions.as_ref().unwrap()[0].value, "iam:*");
    }
    assert!(
        allowed_actions(role_of(app, "ThumbnailFunction")).contains(&"s3:PutObject".to_string())
    );

    let routes: Vec<(String, RouteAuth, ApiKind)> = triggers_of(app, "OrdersFunction")
        .iter()
        .chain(triggers_of(app, "AdminFunction").iter())
        .filter_map(|t| match &t.kind {
            TriggerKind::HttpRoute(r) => {
                Some((format!("{} {}", r.method, r.path), r.auth.value.clone(), r.api_kind))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        routes,
        [
            ("GET /orders".to_string(), RouteAuth::Authorizer("CognitoAuth".into()), ApiKind::Rest),
            ("GET /orders/{id}".to_string(), RouteAuth::None, ApiKind::Rest),
            ("POST /admin".to_string(), RouteAuth::None, ApiKind::Http),
        ]
    );
    assert_eq!(app.apis[0].stages[0].name.value, "prod");
    assert!(function(app, "ReportsFunction").url.as_ref().unwrap().is_public());
    let thumbnail_triggers = triggers_of(app, "ThumbnailFunction");
    assert!(matches!(&thumbnail_triggers[0].kind, TriggerKind::S3 { .. }));
    assert!(thumbnail_triggers[0].is_async());
    let thumb = app.functions().find(|(_, f)| f.logical_id == "ThumbnailFunction").unwrap().0;
    let perms: Vec<_> = app.permissions_of(thumb).collect();
    assert_eq!(perms.len(), 2);
    assert!(perms.iter().any(|p| p.is_public()));
    assert!(perms.iter().any(|p| p.is_service_principal() && p.source_account.is_none()));
}

#[test]
fn azure_example_models_its_problems() {
    let (db, out) = load_example("azure-function-app");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let f = function(app, "orders");
    assert_eq!(f.provider, Provider::Azure);
    assert_eq!(f.runtime.as_ref().unwrap().value, "python3.11");
    let p = f.platform.as_ref().unwrap();
    assert_eq!(p.https_only.as_ref().map(|v| (v.value, v.origin)), Some((false, Origin::Explicit)));
    assert_eq!(p.auth_enabled.as_ref().map(|v| v.value), Some(false));
    assert_eq!(p.cors_origins[0].value, "*");
    assert_eq!(p.min_tls_version.as_ref().unwrap().value, "1.0");
    assert_eq!(p.ftps_state.as_ref().unwrap().value, "AllAllowed");
    assert_eq!(p.http2.as_ref().map(|v| (v.value, v.origin)), Some((false, Origin::Default)));
    assert_eq!(p.client_cert_required.as_ref().map(|v| v.value), Some(false));
    let env: Vec<(&str, ValueSource)> =
        f.environment.iter().map(|e| (e.name.as_str(), e.source)).collect();
    assert_eq!(
        env,
        [
            ("FUNCTIONS_WORKER_RUNTIME", ValueSource::Literal),
            ("DB_PASSWORD", ValueSource::Literal),
            ("API_KEY", ValueSource::SecretStore),
        ]
    );
    let role = role_of(app, "orders");
    assert_eq!(role.assignments.len(), 1);
    assert_eq!(role.assignments[0].role.value, "Contributor");
    assert_eq!(slice(&db, role.assignments[0].role.span), "\"Contributor\"");
    assert!(!role.assignments[0].scope.as_ref().unwrap().is_known());
}

#[test]
fn gcp_example_models_its_problems() {
    let (_, out) = load_example("gcp-function");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let f = function(app, "orders");
    assert_eq!(f.provider, Provider::Gcp);
    assert_eq!(f.runtime.as_ref().unwrap().value, "python312");
    assert_eq!(f.handler.as_ref().unwrap().value, "handler");
    let p = f.platform.as_ref().unwrap();
    assert_eq!(p.ingress.as_ref().unwrap().value, "ALLOW_ALL");
    assert_eq!(
        p.https_security_level.as_ref().map(|v| (v.value.as_str(), v.origin)),
        Some(("SECURE_OPTIONAL", Origin::Explicit))
    );
    assert!(
        f.environment.iter().any(|e| e.name == "DB_PASSWORD" && e.source == ValueSource::Literal)
    );
    let role = role_of(app, "orders");
    assert!(role.default_identity);
    let (id, _) = app.functions().find(|(_, f)| f.logical_id == "orders").unwrap();
    let perms: Vec<_> = app.permissions_of(id).collect();
    assert_eq!(perms.len(), 1);
    assert!(perms[0].is_public());
    assert_eq!(perms[0].action.value, "roles/cloudfunctions.invoker");
    let triggers = triggers_of(app, "orders");
    assert!(triggers[0].is_public_unauthenticated());
}

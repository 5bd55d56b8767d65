//! `examples/parity/serverless` is the SAM example app in Serverless form:
//! its model has the SAM template's functions, runtimes, variables, roles
//! and triggers. (The cross-format findings test belongs to the lead.)

mod common;

use std::path::Path;

use common::*;
use faasguard_model::{ApiKind, Origin, RouteAuth, TriggerKind, ValueSource};
use faasguard_source::{FileId, SourceDb, SourceFile};

fn example(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn parity_example_matches_the_sam_app() {
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new(
        "examples/parity/serverless/serverless.yml",
        example("parity/serverless/serverless.yml"),
    ));
    let out = faasguard_loader_serverless::load(&db, id);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    assert!(app.notes.is_empty(), "{:?}", app.notes);

    // Functions, runtimes and variable names as in the SAM template.
    let sam = faasguard_syntax::parse_yaml(FileId(9), &example("vulnerable-sam-app/template.yaml"))
        .root
        .unwrap();
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
        let mut sam_env: Vec<&str> = props
            .at(&["Environment", "Variables"])
            .map(|v| v.entries().iter().map(|e| e.key.as_str()).collect())
            .unwrap_or_default();
        sam_env.insert(0, "STAGE");
        let env: Vec<&str> = f.environment.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(env, sam_env, "{}", e.key);
        assert_eq!(f.timeout_s.as_ref().unwrap().value, 10);
        assert_eq!(f.memory_mb.as_ref().unwrap().value, 256);
    }
    let orders = function(app, "OrdersFunction");
    let password = orders.environment.iter().find(|v| v.name == "DB_PASSWORD").unwrap();
    assert_eq!((password.source, password.value.origin), (ValueSource::Literal, Origin::Explicit));
    assert_eq!(orders.environment[0].value.value, "prod");

    // Roles: own generated roles where SAM generates them, SharedRole otherwise.
    let orders_role = role_of(app, "OrdersFunction");
    assert!(orders_role.generated);
    assert!(allowed_actions(orders_role).contains(&"s3:*".to_string()));
    for key in ["ReportsFunction", "AdminFunction"] {
        let role = role_of(app, key);
        assert_eq!(role.logical_id, "SharedRole");
        assert!(role.policies.iter().any(|p| p.name.ends_with("AdministratorAccess")));
    }
    assert!(
        allowed_actions(role_of(app, "ThumbnailFunction")).contains(&"s3:PutObject".to_string())
    );
    assert_eq!(function(app, "ThumbnailFunction").tracing.as_ref().unwrap().value, "Active");

    // Triggers and their authentication.
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

//! `examples/azure-function-app`: the function app project beside its
//! Terraform models the problems it was written with (an anonymous route,
//! a literal secret in local.settings.json) and the near-misses beside
//! them (a function-key route, a Key Vault reference).

mod common;

use std::path::Path;

use common::*;
use faasguard_model::{Origin, RouteAuth, ValueSource};

#[test]
fn example_app_models_its_problems() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let db = db_from(&root, "azure-function-app");
    let out = load_dir(&db, "azure-function-app");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    assert_eq!(app.name, "azure-function-app/host.json");
    let ids: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["CreateOrder", "GetOrder"]);

    let get = &triggers_of(app, "GetOrder");
    assert_eq!(route_lines(app, "GetOrder"), ["GET /api/orders/{id}"]);
    assert!(get[0].is_public_unauthenticated());
    let create = routes_of(app, "CreateOrder");
    assert_eq!(route_lines(app, "CreateOrder"), ["POST /api/orders"]);
    assert_eq!(create[0].auth.value, RouteAuth::Key("function".into()));

    for f in &app.functions {
        assert_eq!(f.runtime.as_ref().unwrap().value, "python");
        assert_eq!(f.timeout_s.as_ref().unwrap().value, 300);
        let conn = f.environment.iter().find(|v| v.name == "ORDERS_DB_CONNECTION_STRING").unwrap();
        assert_eq!((conn.source, conn.value.origin), (ValueSource::Literal, Origin::Explicit));
        assert!(conn.value.value.contains("Password="));
        let key = f.environment.iter().find(|v| v.name == "API_KEY").unwrap();
        assert_eq!(key.source, ValueSource::SecretStore);
    }
    assert_eq!(app.notes.len(), 1, "{:?}", app.notes);
    assert!(app.notes[0].message.contains("local development only"));
}

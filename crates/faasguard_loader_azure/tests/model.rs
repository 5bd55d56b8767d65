//! The model built from fixture function apps.

mod common;

use common::*;
use faasguard_model::{
    ApiKind, Code, Format, Origin, Provider, RouteAuth, TriggerKind, ValueSource,
};

#[test]
fn function_json_auth_levels_become_route_auth() {
    let (db, app) = clean_fixture("auth_levels");
    assert_eq!(app.name, "auth_levels/host.json");
    assert_eq!(app.format, Format::AzureFunctions);
    assert_eq!(db.get(app.file).unwrap().path.as_ref(), "auth_levels/host.json");
    let ids: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["Admin", "Default", "Keyed", "Nightly", "Public", "Worker"]);
    assert!(app.functions.iter().all(|f| f.provider == Provider::Azure && f.platform.is_none()));

    // anonymous: open, one route per method, under the default `api` prefix.
    let public = routes_of(&app, "Public");
    assert_eq!(route_lines(&app, "Public"), ["GET /api/orders/{id}", "POST /api/orders/{id}"]);
    for r in &public {
        assert_eq!(r.auth.value, RouteAuth::None);
        assert_eq!(r.auth.origin, Origin::Explicit);
        assert_eq!(slice(&db, r.auth.span), "\"anonymous\"");
        assert_eq!(r.api_kind, ApiKind::Http);
        assert!(r.api.is_none());
    }
    let t = &triggers_of(&app, "Public")[0];
    assert!(t.is_public_unauthenticated());
    assert_eq!(t.logical_id, "Public/httpTrigger");
    assert!(slice(&db, t.span).starts_with('{') && slice(&db, t.span).contains("httpTrigger"));

    // function and admin: keys; key names compared case-insensitively.
    let keyed = routes_of(&app, "Keyed");
    assert_eq!(route_lines(&app, "Keyed"), ["GET /api/orders"]);
    assert_eq!(keyed[0].auth.value, RouteAuth::Key("function".into()));
    assert!(!triggers_of(&app, "Keyed")[0].is_public_unauthenticated());
    let admin = routes_of(&app, "Admin");
    assert_eq!(route_lines(&app, "Admin"), ["POST /api/admin/reset"]);
    assert_eq!(admin[0].auth.value, RouteAuth::Key("admin".into()));
    assert_eq!(slice(&db, admin[0].auth.span), "\"Admin\"");

    // Nothing written: the host's defaults (function key, every method,
    // the function's name as route), located at the binding.
    let default = routes_of(&app, "Default");
    assert_eq!(route_lines(&app, "Default"), ["ANY /api/Default"]);
    assert_eq!(default[0].auth.value, RouteAuth::Key("function".into()));
    assert_eq!(default[0].auth.origin, Origin::Default);
    assert!(slice(&db, default[0].auth.span).contains("\"httpTrigger\""));
}

#[test]
fn function_json_code_handler_and_runtime() {
    let (db, app) = clean_fixture("auth_levels");
    let public = function(&app, "Public");
    match public.code.as_ref().unwrap() {
        Code::Location(l) => {
            assert_eq!(l.value, "auth_levels/Public/__init__.py");
            assert_eq!(slice(&db, l.span), "\"__init__.py\"");
        }
        other => panic!("{other:?}"),
    }
    // No local.settings.json: the runtime follows the script's extension.
    let rt = public.runtime.as_ref().unwrap();
    assert_eq!((rt.value.as_str(), rt.origin), ("python", Origin::Default));
    assert_eq!(public.handler.as_ref().unwrap().value, "main");
    assert_eq!(function(&app, "Keyed").handler.as_ref().unwrap().value, "handle");

    let default = function(&app, "Default");
    match default.code.as_ref().unwrap() {
        Code::Location(l) => assert_eq!(l.value, "auth_levels/dist/default.js"),
        other => panic!("{other:?}"),
    }
    assert_eq!(default.runtime.as_ref().unwrap().value, "node");
    assert_eq!(default.handler.as_ref().unwrap().value, "handler");
    assert_eq!(default.name.as_ref().unwrap().value, "Default");
    assert!(default.timeout_s.is_none());
    assert!(default.environment.is_empty());
}

#[test]
fn other_triggers_keep_their_azure_type() {
    let (db, app) = clean_fixture("auth_levels");
    let nightly = triggers_of(&app, "Nightly");
    assert_eq!(nightly.len(), 1);
    match &nightly[0].kind {
        TriggerKind::Schedule { expression } => {
            assert_eq!(expression.value, "0 0 2 * * *");
            assert!(expression.is_explicit());
            assert_eq!(slice(&db, expression.span), "\"0 0 2 * * *\"");
        }
        other => panic!("{other:?}"),
    }
    // The blob output binding is not a trigger.
    let worker = triggers_of(&app, "Worker");
    assert_eq!(worker.len(), 1);
    match &worker[0].kind {
        TriggerKind::Other { kind } => assert_eq!(kind, "queueTrigger"),
        other => panic!("{other:?}"),
    }
    assert!(!worker[0].is_async());
}

#[test]
fn host_route_prefix_and_timeout_apply_to_every_function() {
    let (db, app) = clean_fixture("route_prefix");
    assert_eq!(route_lines(&app, "Hello"), ["GET /v1/Hello"]);
    let t = function(&app, "Hello").timeout_s.as_ref().unwrap();
    assert_eq!(t.value, 600);
    assert_eq!(slice(&db, t.span), "\"00:10:00\"");
    // No scriptFile and no runtime known: no code location is guessed.
    assert!(function(&app, "Hello").code.is_none());
    assert!(function(&app, "Hello").runtime.is_none());
}

#[test]
fn version_1_host_json_and_an_empty_prefix() {
    let (_db, app) = clean_fixture("route_prefix_v1");
    assert_eq!(route_lines(&app, "Hello"), ["GET /Hello"]);
    // `-1` is no limit, which the model cannot hold as a number.
    assert!(function(&app, "Hello").timeout_s.is_none());
    assert!(notes(&app).iter().any(|n| n.contains("no limit")), "{:?}", notes(&app));
}

#[test]
fn python_v2_decorators_take_the_app_level_unless_they_set_their_own() {
    let (db, app) = clean_fixture("python_v2");
    let ids: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["hello", "GetOrder", "reset", "sweep", "archive", "status"]);

    // No auth_level: the FunctionApp's ANONYMOUS, located where it is written.
    let hello = routes_of(&app, "hello");
    assert_eq!(route_lines(&app, "hello"), ["ANY /api/hello"]);
    assert_eq!(hello[0].auth.value, RouteAuth::None);
    assert_eq!(hello[0].auth.origin, Origin::Explicit);
    assert_eq!(slice(&db, hello[0].auth.span), "func.AuthLevel.ANONYMOUS");
    let t = &triggers_of(&app, "hello")[0];
    assert!(t.is_public_unauthenticated());
    assert_eq!(slice(&db, t.span), "@app.route(route=\"hello\")");
    assert_eq!(t.logical_id, "hello/httpTrigger");

    // function_name renames; a multi-line decorator with a comment inside.
    let get = function(&app, "GetOrder");
    assert_eq!(get.handler.as_ref().unwrap().value, "get_order");
    assert_eq!(slice(&db, get.name.as_ref().unwrap().span), "\"GetOrder\"");
    assert!(slice(&db, get.span).starts_with("@app.function_name"));
    assert!(slice(&db, get.span).ends_with("-> func.HttpResponse:"));
    let routes = routes_of(&app, "GetOrder");
    assert_eq!(route_lines(&app, "GetOrder"), ["GET /api/orders/{id:int}"]);
    assert_eq!(routes[0].auth.value, RouteAuth::Key("function".into()));
    assert_eq!(slice(&db, routes[0].auth.span), "func.AuthLevel.FUNCTION");

    // A string level, an async def, no route: the function's name.
    assert_eq!(route_lines(&app, "reset"), ["POST /api/reset", "GET /api/reset"]);
    assert_eq!(routes_of(&app, "reset")[0].auth.value, RouteAuth::Key("admin".into()));

    match &triggers_of(&app, "sweep")[0].kind {
        TriggerKind::Schedule { expression } => {
            assert_eq!(expression.value, "0 */5 * * * *");
            assert!(expression.is_explicit());
        }
        other => panic!("{other:?}"),
    }
    let archive = triggers_of(&app, "archive");
    assert_eq!(archive.len(), 1);
    assert!(matches!(&archive[0].kind, TriggerKind::Other { kind } if kind == "queueTrigger"));

    // A blueprint registered in the file gets the registering app's level.
    assert_eq!(route_lines(&app, "status"), ["GET /api/status"]);
    assert_eq!(routes_of(&app, "status")[0].auth.value, RouteAuth::None);

    for f in &app.functions {
        assert_eq!(f.runtime.as_ref().unwrap().value, "python");
        assert_eq!(f.runtime.as_ref().unwrap().origin, Origin::Explicit);
        match f.code.as_ref().unwrap() {
            Code::Location(l) => assert_eq!(l.value, "python_v2/function_app.py"),
            other => panic!("{other:?}"),
        }
    }
    // The docstring's decorators and the lru_cache helper are not functions;
    // a blueprint from another module is noted, not guessed.
    let notes = notes(&app);
    assert!(notes.iter().any(|n| n.contains("`other_bp`")), "{notes:?}");
    let bp_note = app.notes.iter().find(|n| n.message.contains("`other_bp`")).unwrap();
    assert_eq!(slice(&db, bp_note.span), "app.register_blueprint(other_bp)");
    assert!(notes.iter().any(|n| n.contains("local development only")), "{notes:?}");
}

#[test]
fn python_v2_without_an_app_level_uses_the_function_key_default() {
    let (db, app) = clean_fixture("python_v2_default");
    let hello = routes_of(&app, "hello");
    assert_eq!(route_lines(&app, "hello"), ["ANY /hello"]);
    assert_eq!(hello[0].auth.value, RouteAuth::Key("function".into()));
    assert_eq!(hello[0].auth.origin, Origin::Default);
    assert_eq!(slice(&db, hello[0].auth.span), "@app.route(route=\"hello\")");
    assert!(!triggers_of(&app, "hello")[0].is_public_unauthenticated());

    let open = routes_of(&app, "open_door");
    assert_eq!(route_lines(&app, "open_door"), ["GET /open"]);
    assert_eq!(open[0].auth.value, RouteAuth::None);
    assert_eq!(slice(&db, open[0].auth.span), "AuthLevel.ANONYMOUS");

    // Computed values are not guessed.
    let computed = routes_of(&app, "computed");
    assert_eq!(computed[0].auth.value, RouteAuth::Unknown);
    assert_eq!(computed[0].auth.origin, Origin::Unresolved);
    assert!(!triggers_of(&app, "computed")[0].is_public_unauthenticated());
    assert!(notes(&app).iter().any(|n| n.contains("ROUTES[\"x\"]")), "{:?}", notes(&app));
    // No local.settings.json: the Python worker is still certain.
    let rt = function(&app, "hello").runtime.as_ref().unwrap();
    assert_eq!((rt.value.as_str(), rt.origin), ("python", Origin::Default));
}

#[test]
fn asgi_function_app_is_one_catch_all_route() {
    let (db, app) = clean_fixture("python_asgi");
    let ids: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["http_app_func"]);
    let routes = routes_of(&app, "http_app_func");
    assert_eq!(route_lines(&app, "http_app_func"), ["ANY /api/{*route}"]);
    assert_eq!(routes[0].auth.value, RouteAuth::None);
    assert_eq!(slice(&db, routes[0].auth.span), "func.AuthLevel.ANONYMOUS");
}

#[test]
fn local_settings_become_every_functions_environment() {
    let (db, app) = clean_fixture("settings");
    let api = function(&app, "Api");
    let env = |name: &str| {
        api.environment.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("no {name}"))
    };
    let names: Vec<&str> = api.environment.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "FUNCTIONS_WORKER_RUNTIME",
            "AzureWebJobsStorage",
            "DB_PASSWORD",
            "API_KEY",
            "FEATURE_CONFIG",
            "MAX_ITEMS",
            "OrdersDb",
            "Legacy"
        ]
    );
    let pw = env("DB_PASSWORD");
    assert_eq!(pw.source, ValueSource::Literal);
    assert_eq!(pw.value.value, "Winter2026-test-Pa55!");
    assert!(pw.value.is_explicit());
    assert_eq!(slice(&db, pw.name_span), "\"DB_PASSWORD\"");
    assert_eq!(slice(&db, pw.value.span), "\"Winter2026-test-Pa55!\"");
    assert_eq!(env("API_KEY").source, ValueSource::SecretStore);
    assert_eq!(env("FEATURE_CONFIG").source, ValueSource::Reference);
    assert_eq!(env("AzureWebJobsStorage").source, ValueSource::Literal);
    assert_eq!(env("MAX_ITEMS").value.value, "50");
    assert!(env("OrdersDb").value.value.contains("Password=fake-Pa55"));
    assert_eq!(env("Legacy").value.value, "Server=legacy;Password=fake-legacy;");
    assert_eq!(env("Legacy").source, ValueSource::Literal);

    let rt = api.runtime.as_ref().unwrap();
    assert_eq!((rt.value.as_str(), rt.origin), ("node", Origin::Explicit));
    assert_eq!(slice(&db, rt.span), "\"node\"");
    // node's conventional script when scriptFile is left out.
    match api.code.as_ref().unwrap() {
        Code::Location(l) => {
            assert_eq!((l.value.as_str(), l.origin), ("settings/Api/index.js", Origin::Default))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(api.timeout_s.as_ref().unwrap().value, 300);
    // Default route, explicit function level.
    assert_eq!(route_lines(&app, "Api"), ["ANY /api/Api"]);

    let note = app.notes.iter().find(|n| n.message.contains("local development only")).unwrap();
    assert!(note.message.contains("settings/local.settings.json"));
    assert_eq!(db.get(note.span.file).unwrap().path.as_ref(), "settings/local.settings.json");
}

#[test]
fn encrypted_settings_keep_names_but_not_values() {
    let db = db_of(&[
        ("app/host.json", r#"{"version": "2.0"}"#),
        (
            "app/local.settings.json",
            r#"{"IsEncrypted": true, "Values": {"DB_PASSWORD": "CfDJ8AAAAAAAAAAAAAAAAAAAAA"}}"#,
        ),
        ("app/F/function.json", r#"{"bindings": [{"type": "httpTrigger", "name": "req"}]}"#),
    ]);
    let out = load_dir(&db, "app");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let f = function(&out.apps[0], "F");
    assert_eq!(f.environment[0].name, "DB_PASSWORD");
    assert_eq!(f.environment[0].value.origin, Origin::Unresolved);
}

#[test]
fn unusual_levels_and_shapes_are_not_guessed() {
    let db = db_of(&[
        ("host.json", "{}"),
        (
            "User/function.json",
            r#"{"bindings": [{"type": "httpTrigger", "authLevel": "user", "methods": "get"}]}"#,
        ),
        (
            "Many/function.json",
            r#"{"disabled": true, "bindings": [{"type": "timerTrigger", "schedule": "%SCHEDULE%"}, {"type": "queueTrigger"}]}"#,
        ),
        ("None/function.json", r#"{"bindings": [{"type": "blob", "direction": "in"}]}"#),
        ("Deep/nested/function.json", r#"{"bindings": []}"#),
        ("function.json", r#"{"bindings": []}"#),
    ]);
    let out = load_dir(&db, "");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    assert_eq!(app.name, "host.json");
    let ids: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["Many", "None", "User"]);
    let user = routes_of(app, "User");
    assert_eq!(route_lines(app, "User"), ["GET /api/User"]);
    assert_eq!(user[0].auth.origin, Origin::Unresolved);
    match &triggers_of(app, "Many")[0].kind {
        TriggerKind::Schedule { expression } => {
            assert_eq!(expression.value, "%SCHEDULE%");
            assert_eq!(expression.origin, Origin::Unresolved);
        }
        other => panic!("{other:?}"),
    }
    let notes = notes(app);
    for expected in ["`user`", "marked disabled", "2 trigger bindings", "no trigger binding"] {
        assert!(notes.iter().any(|n| n.contains(expected)), "{expected}: {notes:?}");
    }
    assert_eq!(notes.iter().filter(|n| n.contains("direct subfolder")).count(), 2, "{notes:?}");
}

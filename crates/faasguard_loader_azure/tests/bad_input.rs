//! Broken and hostile projects: each problem is a parse error or a note
//! with its span, never a panic, and the rest of the app still loads.

mod common;

use common::*;
use faasguard_model::RouteAuth;
use faasguard_source::FileId;
use faasguard_syntax::ParseErrorKind;

#[test]
fn malformed_json_is_a_syntax_error_and_the_rest_loads() {
    let (db, out) = fixture("malformed");
    let syntax: Vec<_> = out.errors.iter().filter(|e| e.kind == ParseErrorKind::Syntax).collect();
    assert_eq!(syntax.len(), 2, "{:?}", messages(&out));
    let files: Vec<&str> =
        syntax.iter().map(|e| db.get(e.span.file).unwrap().path.as_ref()).collect();
    assert!(files.contains(&"malformed/host.json"), "{files:?}");
    assert!(files.contains(&"malformed/Broken/function.json"), "{files:?}");
    assert!(syntax.iter().all(|e| e.span.start > 0));

    let app = &out.apps[0];
    assert_eq!(app.name, "malformed/host.json");
    let ids: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["Good"]);
    // The broken host.json's prefix is never read: the default applies.
    assert_eq!(route_lines(app, "Good"), ["GET /api/Good"]);
    assert_eq!(routes_of(app, "Good")[0].auth.value, RouteAuth::None);
}

#[test]
fn a_function_json_that_is_not_an_object_is_a_structure_error() {
    let (db, out) = fixture("non_object");
    assert_eq!(out.errors.len(), 1, "{:?}", messages(&out));
    let e = &out.errors[0];
    assert_eq!(e.kind, ParseErrorKind::Structure);
    assert!(e.message.contains("`List`"), "{}", e.message);
    assert!(slice(&db, e.span).starts_with('['));
    let ids: Vec<&str> = out.apps[0].functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["Good"]);
}

#[test]
fn a_host_json_alone_is_an_app_without_functions() {
    let (_db, app) = clean_fixture("empty");
    assert_eq!(app.name, "empty/host.json");
    assert!(app.functions.is_empty() && app.triggers.is_empty());
    assert!(app.notes.is_empty(), "{:?}", app.notes);
}

#[test]
fn no_files_is_no_app() {
    let db = db_of(&[]);
    let out = faasguard_loader_azure::load_project(&db, "", &[]);
    assert!(out.apps.is_empty() && out.errors.is_empty());
}

#[test]
fn wrong_shapes_are_structure_errors_with_spans() {
    let db = db_of(&[
        (
            "a/host.json",
            r#"{"extensions": {"http": {"routePrefix": 3}}, "functionTimeout": "soon"}"#,
        ),
        (
            "a/local.settings.json",
            r#"{"Values": {"NESTED": {"a": 1}, "OK": "1"}, "ConnectionStrings": []}"#,
        ),
        (
            "a/B/function.json",
            r#"{"scriptFile": 1, "entryPoint": [], "bindings": {"type": "httpTrigger"}}"#,
        ),
        (
            "a/C/function.json",
            r#"{"bindings": [1, {"name": "x"}, {"type": 2}, {"type": "httpTrigger", "authLevel": 0, "methods": [1], "route": 5}, {"type": "timerTrigger"}]}"#,
        ),
    ]);
    let out = load_dir(&db, "a");
    let msgs = messages(&out);
    assert!(out.errors.iter().all(|e| e.kind == ParseErrorKind::Structure), "{msgs:?}");
    for expected in [
        "`routePrefix` must be a string",
        "`functionTimeout` `soon`",
        "setting `NESTED`",
        "`ConnectionStrings` must be",
        "`scriptFile` must be",
        "`entryPoint` must be",
        "`bindings` must be a list",
        "each binding must be an object",
        "the binding has no `type`",
        "`type` must be a string",
        "`authLevel` must be a string",
        "each of `methods`",
        "`route` must be a string",
        "needs a `schedule`",
    ] {
        assert!(msgs.iter().any(|m| m.contains(expected)), "{expected}: {msgs:?}");
    }
    for e in &out.errors {
        assert!(!slice(&db, e.span).is_empty(), "{}", e.message);
    }
    let app = &out.apps[0];
    let c = routes_of(app, "C");
    assert_eq!(route_lines(app, "C"), ["ANY /api/C"]);
    assert_eq!(c[0].auth.value, RouteAuth::Unknown);
    let ok = &function(app, "B").environment;
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].name, "OK");
}

#[test]
fn files_outside_the_app_or_missing_from_the_db_are_reported() {
    let db = db_of(&[
        ("app/host.json", "{}"),
        ("other/F/function.json", r#"{"bindings": []}"#),
        ("app/sub/host.json", "{}"),
        ("app/sub/local.settings.json", "{}"),
    ]);
    let files: Vec<FileId> = db.iter().map(|(id, _)| id).chain([FileId(99)]).collect();
    let out = faasguard_loader_azure::load_project(&db, "./app/", &files);
    assert_eq!(out.apps.len(), 1);
    let app = &out.apps[0];
    assert_eq!(app.name, "app/host.json");
    assert!(app.functions.is_empty());
    assert_eq!(out.errors.len(), 1, "{:?}", messages(&out));
    assert!(out.errors[0].message.contains("not in the source database"));
    let notes = notes(app);
    assert!(notes.iter().any(|n| n.contains("not inside the function app")), "{notes:?}");
    assert_eq!(notes.iter().filter(|n| n.contains("only at the root")).count(), 2, "{notes:?}");
}

#[test]
fn a_project_without_host_json_is_named_by_its_directory() {
    let db = db_of(&[("svc/F/function.json", r#"{"bindings": [{"type": "httpTrigger"}]}"#)]);
    let out = load_dir(&db, "svc");
    let app = &out.apps[0];
    assert_eq!(app.name, "svc");
    assert_eq!(route_lines(app, "F"), ["ANY /api/F"]);
    assert!(notes(app).iter().any(|n| n.contains("no `host.json`")));
    let db = db_of(&[("function_app.py", "import azure.functions as func\n")]);
    let out = load_dir(&db, "");
    assert_eq!(out.apps[0].name, ".");
}

#[test]
fn odd_python_never_panics() {
    let sources = [
        "",
        "@",
        "@app",
        "@app.route(",
        "@app.route(route=\"x\"\ndef f(): pass",
        "app = func.FunctionApp(\n@app.route()\ndef f(): pass",
        "app = func.FunctionApp(http_auth_level=)\n@app.route(auth_level=)\ndef f(): pass",
        "app = func.FunctionApp(*args, **kw)\n@app.route(*a, methods=[[1]], route=None)\ndef f(): pass",
        "app = FunctionApp()\n@app.route(methods=(m for m in HttpMethod))\nasync def",
        "app = func.FunctionApp()\n@app.route()\n@app.route()\ndef twice(): pass",
        "app = func.FunctionApp()\napp.register_functions()\napp.register_functions(bp\n",
        "x = 'é' ; app = func.FunctionApp() ; @app.route()\ndef f(): pass",
        "else: app = func.FunctionApp(func.AuthLevel.ANONYMOUS)\n@app.route()\ndef f(): pass",
        "'''unterminated\n@app.route()\ndef f(): pass",
        "\\\n\\\n@\\\napp.route()\ndef f(): pass",
    ];
    for src in sources {
        let db = db_of(&[("host.json", "{}"), ("function_app.py", src)]);
        let out = load_dir(&db, "");
        assert_eq!(out.apps.len(), 1, "{src}");
    }
    // Two trigger decorators: the worker refuses it; both kept, and noted.
    let db = db_of(&[
        ("host.json", "{}"),
        (
            "function_app.py",
            "app = func.FunctionApp()\n@app.route()\n@app.route()\ndef twice(): pass",
        ),
    ]);
    let out = load_dir(&db, "");
    assert_eq!(triggers_of(&out.apps[0], "twice").len(), 2);
    assert!(notes(&out.apps[0]).iter().any(|n| n.contains("2 trigger decorators")));
}

#[test]
fn a_positional_level_and_an_unregistered_blueprint() {
    let src = "import azure.functions as func\napp = func.FunctionApp(func.AuthLevel.ANONYMOUS)\n\
               bp = func.Blueprint()\n@bp.route(route='x')\ndef x(req): pass\n\
               @app.route(route='y')\ndef y(req): pass\n@elsewhere.route(route='z')\ndef z(req): pass\n";
    let db = db_of(&[("host.json", "{}"), ("function_app.py", src)]);
    let out = load_dir(&db, "");
    let app = &out.apps[0];
    let ids: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(ids, ["y"]);
    assert_eq!(routes_of(app, "y")[0].auth.value, RouteAuth::None);
    let notes = notes(app);
    assert!(notes.iter().any(|n| n.contains("no app in `function_app.py` registers")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("`elsewhere`")), "{notes:?}");
}

/// 5,000 routes and 100,000-deep JSON: every route loads, each deep file is
/// refused with a `TooDeep` error naming it (the nesting limit, not a stack
/// overflow), and the defaults apply in place of the unread `host.json`.
#[test]
fn large_and_deep_inputs_are_bounded() {
    let mut py = String::from("import azure.functions as func\napp = func.FunctionApp()\n");
    for i in 0..5_000 {
        py.push_str(&format!(
            "@app.route(route=\"r{i}\", methods=[\"GET\"])\ndef f{i}(req):\n    return {i}\n"
        ));
    }
    py.push_str(&"(".repeat(200_000));
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let db = db_of(&[
        ("host.json", &deep_json),
        ("function_app.py", &py),
        ("F/function.json", &deep_json),
    ]);
    let out = load_dir(&db, "");
    let app = &out.apps[0];
    assert_eq!(app.functions.len(), 5_000);
    assert_eq!(route_lines(app, "f0"), ["GET /api/r0"]);
    assert_eq!(route_lines(app, "f4999"), ["GET /api/r4999"]);
    let mut too_deep: Vec<&str> = out
        .errors
        .iter()
        .filter(|e| e.kind == ParseErrorKind::TooDeep)
        .map(|e| db.get(e.span.file).unwrap().path.as_ref())
        .collect();
    too_deep.sort_unstable();
    assert_eq!(too_deep, ["F/function.json", "host.json"], "{:?}", messages(&out));
}

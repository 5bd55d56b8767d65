//! Handler resolution on small example projects under `tests/fixtures/`.
//!
//! Each fixture directory is read into a `SourceDb` with display paths
//! relative to `tests/fixtures` (as the CLI does relative to the scan
//! root), and CloudFormation/SAM templates go through the real loader.

use std::path::Path;

use faasguard_code::handler::{ProblemKind, Resolution, resolve};
use faasguard_model::{App, Code, Format, Function, FunctionId, Provider, Val};
use faasguard_source::{FileId, SourceDb, SourceFile, Span};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Reads every file under `tests/fixtures/<dir>` into a new database.
fn db_of(dir: &str) -> SourceDb {
    let root = fixtures();
    let mut files = Vec::new();
    let mut stack = vec![root.join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut db = SourceDb::new();
    for p in files {
        let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        db.add(SourceFile::new(rel, std::fs::read_to_string(&p).unwrap()));
    }
    db
}

fn sam_app(db: &SourceDb, path: &str) -> App {
    let id = db.find(path).unwrap();
    let text = db.get(id).unwrap().text.clone();
    let out = faasguard_loaders::load_file(id, path, &text).unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.apps.into_iter().next().unwrap()
}

fn fid(app: &App, logical_id: &str) -> FunctionId {
    app.functions().find(|(_, f)| f.logical_id == logical_id).unwrap().0
}

fn paths(db: &SourceDb, ids: &[FileId]) -> Vec<String> {
    ids.iter().map(|&i| db.get(i).unwrap().path.to_string()).collect()
}

fn entry(db: &SourceDb, r: &Resolution) -> (String, String) {
    let (file, name) = r.entry.clone().expect("an entry");
    (db.get(file).unwrap().path.to_string(), name)
}

fn kinds(r: &Resolution) -> Vec<ProblemKind> {
    r.problems.iter().map(|p| p.kind).collect()
}

fn line_of(db: &SourceDb, span: Span) -> u32 {
    db.get(span.file).unwrap().line_col(span.start).line
}

#[test]
fn python_handler_with_packages_relative_imports_and_a_cycle() {
    let db = db_of("py_sam");
    let app = sam_app(&db, "py_sam/template.yaml");
    let r = resolve(&app, fid(&app, "Orders"), &db);
    assert_eq!(entry(&db, &r), ("py_sam/src/orders/app.py".into(), "handler".into()));
    assert_eq!(
        paths(&db, &r.modules),
        vec![
            "py_sam/src/orders/app.py",
            // `import lib.db` runs the package first.
            "py_sam/src/orders/lib/__init__.py",
            "py_sam/src/orders/lib/db.py",
            // `from lib import helpers`: a submodule.
            "py_sam/src/orders/lib/helpers.py",
            // db.py: `from .util import retry`, `from . import cache`.
            "py_sam/src/orders/lib/util.py",
            "py_sam/src/orders/lib/cache.py",
            // cache.py: `importlib.import_module("lib.memory")`.
            "py_sam/src/orders/lib/memory.py",
        ]
    );
    // Every module was parsed once and is handed back, in order.
    assert_eq!(r.parsed.iter().map(|m| m.file).collect::<Vec<_>>(), r.modules);
    // `boto3`, `json`, `os` are packages: not followed, not problems.
    // The one computed import is a located note.
    assert_eq!(kinds(&r), vec![ProblemKind::Dynamic]);
    let p = &r.problems[0];
    let file = db.get(p.span.file).unwrap();
    assert_eq!(&*file.path, "py_sam/src/orders/lib/cache.py");
    assert!(file.slice(p.span).starts_with("importlib.import_module(os.environ"));
    assert_eq!(line_of(&db, p.span), 4);
}

#[test]
fn python_nested_module_handler() {
    let db = db_of("py_sam");
    let app = sam_app(&db, "py_sam/template.yaml");
    let r = resolve(&app, fid(&app, "Nested"), &db);
    assert_eq!(entry(&db, &r), ("py_sam/src/orders/handlers/api.py".into(), "main".into()));
    assert_eq!(
        paths(&db, &r.modules),
        vec![
            "py_sam/src/orders/handlers/api.py",
            // `from ..lib.helpers import ok` climbs one package.
            "py_sam/src/orders/lib/__init__.py",
            "py_sam/src/orders/lib/helpers.py",
            "py_sam/src/orders/handlers/shared.py",
        ]
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn missing_handler_file_names_the_paths_tried() {
    let db = db_of("py_sam");
    let app = sam_app(&db, "py_sam/template.yaml");
    let r = resolve(&app, fid(&app, "Missing"), &db);
    assert!(r.entry.is_none());
    assert!(r.modules.is_empty());
    assert_eq!(kinds(&r), vec![ProblemKind::NotFound]);
    let p = &r.problems[0];
    assert!(p.message.contains("`py_sam/src/orders/nothere.py`"), "{}", p.message);
    assert!(p.message.contains("`py_sam/src/orders/nothere/__init__.py`"), "{}", p.message);
    assert!(p.message.contains("`Missing`"), "{}", p.message);
    // Located at the handler setting in the template.
    assert_eq!(db.get(p.span.file).unwrap().slice(p.span), "nothere.handler");
}

#[test]
fn syntax_error_keeps_the_tree_and_is_located() {
    let db = db_of("py_sam");
    let app = sam_app(&db, "py_sam/template.yaml");
    let r = resolve(&app, fid(&app, "Broken"), &db);
    assert_eq!(entry(&db, &r).0, "py_sam/src/broken/bad.py");
    assert_eq!(r.parsed.len(), 1);
    let syntax: Vec<_> = r.problems.iter().filter(|p| p.kind == ProblemKind::Syntax).collect();
    assert!(!syntax.is_empty());
    assert_eq!(line_of(&db, syntax[0].span), 3, "{:?}", syntax[0]);
    assert!(syntax[0].message.contains("py_sam/src/broken/bad.py"));
    // The call after the error is still a call node for the SDK pass.
    let text = &db.get(r.modules[0]).unwrap().text;
    let mut stack = vec![r.parsed[0].tree.root_node()];
    let mut calls = Vec::new();
    while let Some(n) = stack.pop() {
        if n.kind() == "call" {
            calls.push(faasguard_code::parse::text_of(n, text));
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    assert_eq!(calls, vec!["boto3.client(\"s3\")"]);
}

#[test]
fn inline_code_is_parsed_and_located_in_the_template() {
    let db = db_of("py_sam");
    let app = sam_app(&db, "py_sam/template.yaml");
    let r = resolve(&app, fid(&app, "Inline"), &db);
    assert!(r.entry.is_none() && r.modules.is_empty());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let inline = r.inline.expect("inline code");
    assert_eq!(inline.function.as_deref(), Some("handler"));
    // Find `list_buckets` in the inline tree and map it back.
    let root = inline.module.tree.root_node();
    let mut stack = vec![root];
    let mut hit = None;
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier"
            && faasguard_code::parse::text_of(n, &inline.text) == "list_buckets"
        {
            hit = Some(n);
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    let span = inline.span(hit.unwrap());
    let tpl = db.find("py_sam/template.yaml").unwrap();
    assert_eq!(span.file, tpl);
    assert_eq!(db.get(tpl).unwrap().slice(span), "list_buckets");
    assert_eq!(line_of(&db, span), 37);
}

#[test]
fn code_outside_the_scan_is_a_note() {
    let db = db_of("py_sam");
    let app = sam_app(&db, "py_sam/template.yaml");
    for (id, needle) in [
        ("Image", "container image"),
        ("FromS3", "s3://my-bucket/orders.zip"),
        ("Zipped", "built archive (`build/orders.zip`)"),
        ("Java", "`java21`"),
    ] {
        let r = resolve(&app, fid(&app, id), &db);
        assert!(r.entry.is_none(), "{id}");
        assert_eq!(kinds(&r), vec![ProblemKind::Unavailable], "{id}: {:?}", r.problems);
        assert!(r.problems[0].message.contains(needle), "{id}: {}", r.problems[0].message);
    }
}

#[test]
fn node_handler_with_require_chain_cycle_and_dynamic_require() {
    let db = db_of("node_sam");
    let app = sam_app(&db, "node_sam/template.yaml");
    let r = resolve(&app, fid(&app, "Api"), &db);
    assert_eq!(entry(&db, &r), ("node_sam/src/index.js".into(), "handler".into()));
    assert_eq!(
        paths(&db, &r.modules),
        vec![
            "node_sam/src/index.js",
            "node_sam/src/lib/a.js",
            // `require('./util')` is the directory's index.
            "node_sam/src/util/index.js",
            // a.js and b.js require each other.
            "node_sam/src/lib/b.js",
        ]
    );
    // `aws-sdk` is a package and `config.json` is data: neither is a module.
    assert_eq!(kinds(&r), vec![ProblemKind::Dynamic]);
    let p = &r.problems[0];
    assert_eq!(db.get(p.span.file).unwrap().slice(p.span), "require(process.env.PLUGIN)");
    assert!(p.message.contains("require()"));
}

#[test]
fn typescript_handler_with_esm_imports_and_reexports() {
    let db = db_of("node_sam");
    let app = sam_app(&db, "node_sam/template.yaml");
    let r = resolve(&app, fid(&app, "Typed"), &db);
    // The compiled app.js is not there: the TypeScript source is the entry.
    assert_eq!(entry(&db, &r), ("node_sam/ts/app.ts".into(), "lambdaHandler".into()));
    assert_eq!(
        paths(&db, &r.modules),
        vec!["node_sam/ts/app.ts", "node_sam/ts/services/orders.ts", "node_sam/ts/types.ts"]
    );
    assert_eq!(kinds(&r), vec![ProblemKind::Dynamic]);
    assert!(r.problems[0].message.contains("import()"));
    assert!(r.parsed.iter().all(|m| m.problems.is_empty()));
}

/// A function as the Serverless loader builds it: no code setting, so the
/// code is the directory of serverless.yml, given from the scan root.
#[test]
fn serverless_handler_path_is_relative_to_the_service() {
    let db = db_of("sls");
    let yml = db.find("sls/serverless.yml").unwrap();
    let mut app = App::new("sls/serverless.yml", Format::Serverless, yml);
    let mut f = Function::new("create", Span::new(yml, 70, 76), Provider::Aws);
    f.runtime = Some(Val::default_at("python3.12".into(), Span::file_start(yml)));
    f.handler = Some(Val::explicit("src/orders/app.handler".into(), Span::new(yml, 90, 112)));
    f.code = Some(Code::Location(Val::default_at("sls".into(), Span::new(yml, 70, 76))));
    app.functions.push(f);
    let r = resolve(&app, FunctionId(0), &db);
    assert_eq!(entry(&db, &r), ("sls/src/orders/app.py".into(), "handler".into()));
    // `from src.orders import repo` from the service root.
    assert_eq!(
        paths(&db, &r.modules),
        vec![
            "sls/src/orders/app.py",
            "sls/src/__init__.py",
            "sls/src/orders/__init__.py",
            "sls/src/orders/repo.py"
        ]
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);

    // `package.artifact` is a built archive.
    app.functions[0].code =
        Some(Code::Location(Val::explicit("dist/create.zip".into(), Span::new(yml, 0, 1))));
    let r = resolve(&app, FunctionId(0), &db);
    assert_eq!(kinds(&r), vec![ProblemKind::Unavailable]);
}

/// Terraform: `archive_file.source_dir` with `${path.module}` arrives from
/// the scan root; a bare relative path is relative to the root module.
#[test]
fn terraform_source_dir_both_readings() {
    let mut db = db_of("sls");
    let tf = db.add(SourceFile::new("sls/main.tf", "resource \"aws_lambda_function\" \"f\" {}"));
    let mut app = App::new("sls", Format::Terraform, tf);
    for loc in ["sls/src/orders", "src/orders", "./src/orders/app.py"] {
        let mut f = Function::new("aws_lambda_function.f", Span::new(tf, 0, 10), Provider::Aws);
        f.runtime = Some(Val::explicit("python3.12".into(), Span::new(tf, 0, 1)));
        f.handler = Some(Val::explicit("app.handler".into(), Span::new(tf, 0, 1)));
        f.code = Some(Code::Location(Val::explicit(loc.into(), Span::new(tf, 0, 1))));
        app.functions = vec![f];
        let r = resolve(&app, FunctionId(0), &db);
        assert_eq!(entry(&db, &r).0, "sls/src/orders/app.py", "{loc}");
    }
    // `filename` without an archive_file is the zip: not the source.
    app.functions[0].code =
        Some(Code::Location(Val::explicit("build/x.zip".into(), Span::new(tf, 0, 1))));
    let r = resolve(&app, FunctionId(0), &db);
    assert!(r.problems[0].message.contains("point faasguard at the source"));
}

/// Azure: the loader gives the script file from the scan root and the
/// `entryPoint` (default `main` for Python).
#[test]
fn azure_script_file() {
    let mut db = db_of("sls");
    let host = db.add(SourceFile::new("fa/host.json", "{}"));
    let fj = db.add(SourceFile::new("fa/Orders/function.json", "{}"));
    db.add(SourceFile::new(
        "fa/Orders/__init__.py",
        "from shared import util\ndef main(req):\n    pass\n",
    ));
    db.add(SourceFile::new("fa/shared/__init__.py", ""));
    db.add(SourceFile::new("fa/shared/util.py", "X = 1\n"));
    let mut app = App::new("fa/host.json", Format::AzureFunctions, host);
    let mut f = Function::new("Orders", Span::new(fj, 0, 2), Provider::Azure);
    f.runtime = Some(Val::default_at("python".into(), Span::new(fj, 0, 2)));
    f.code =
        Some(Code::Location(Val::default_at("fa/Orders/__init__.py".into(), Span::new(fj, 0, 2))));
    app.functions.push(f);
    let r = resolve(&app, FunctionId(0), &db);
    assert_eq!(entry(&db, &r), ("fa/Orders/__init__.py".into(), "main".into()));
    assert_eq!(
        paths(&db, &r.modules),
        vec!["fa/Orders/__init__.py", "fa/shared/__init__.py", "fa/shared/util.py"]
    );
    // A script that is not there names its path.
    app.functions[0].code =
        Some(Code::Location(Val::explicit("fa/Orders/run.py".into(), Span::new(fj, 0, 2))));
    let r = resolve(&app, FunctionId(0), &db);
    assert_eq!(kinds(&r), vec![ProblemKind::NotFound]);
    assert!(r.problems[0].message.contains("`fa/Orders/run.py`"));
}

/// A long import chain stops at the module limit with a note, and a large
/// import cycle terminates.
#[test]
fn traversal_is_bounded() {
    let mut db = SourceDb::new();
    let tpl = db.add(SourceFile::new("t/template.yaml", ""));
    let n = faasguard_code::handler::MAX_MODULES + 20;
    for i in 0..n {
        // Each module imports the next, and the last the first: a cycle.
        let next = (i + 1) % n;
        db.add(SourceFile::new(
            format!("t/m{i}.py"),
            format!("import m{next}\ndef handler(e, c):\n    pass\n"),
        ));
    }
    let mut app = App::new("t/template.yaml", Format::Sam, tpl);
    let mut f = Function::new("F", Span::new(tpl, 0, 0), Provider::Aws);
    f.runtime = Some(Val::explicit("python3.12".into(), Span::new(tpl, 0, 0)));
    f.handler = Some(Val::explicit("m0.handler".into(), Span::new(tpl, 0, 0)));
    f.code = Some(Code::Location(Val::explicit(".".into(), Span::new(tpl, 0, 0))));
    app.functions.push(f);
    let r = resolve(&app, FunctionId(0), &db);
    assert_eq!(r.modules.len(), faasguard_code::handler::MAX_MODULES);
    assert_eq!(kinds(&r), vec![ProblemKind::Limit]);

    // Below the limit the cycle closes without a note.
    let mut db = SourceDb::new();
    let tpl = db.add(SourceFile::new("t/template.yaml", ""));
    for i in 0..50 {
        db.add(SourceFile::new(format!("t/m{i}.py"), format!("from m{} import x\n", (i + 1) % 50)));
    }
    let r = resolve(&app, FunctionId(0), &db);
    let _ = tpl;
    assert_eq!(r.modules.len(), 50);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn out_of_range_function_is_a_problem_not_a_panic() {
    let db = db_of("sls");
    let app = App::new("x.yaml", Format::Sam, FileId(0));
    let r = resolve(&app, FunctionId(7), &db);
    assert_eq!(kinds(&r), vec![ProblemKind::NotFound]);
}

//! Test helpers: fixture projects into a source database, and lookups in the model.

#![allow(dead_code, unreachable_pub)]

use std::path::Path;

use faasguard_loaders::LoadOutcome;
use faasguard_model::{App, Function, HttpRoute, Trigger, TriggerKind};
use faasguard_source::{FileId, SourceDb, SourceFile, Span};

/// Every file under `root/dir`, added with paths relative to `root` (as the
/// CLI adds paths relative to the scan root).
pub fn db_from(root: &Path, dir: &str) -> SourceDb {
    let mut db = SourceDb::new();
    let mut stack = vec![root.join(dir)];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> =
            std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                db.add(SourceFile::new(rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    db
}

/// A database holding the given files.
pub fn db_of(files: &[(&str, &str)]) -> SourceDb {
    let mut db = SourceDb::new();
    for (path, text) in files {
        db.add(SourceFile::new(*path, *text));
    }
    db
}

/// Loads the Azure files of `db` under `dir` as one function app.
pub fn load_dir(db: &SourceDb, dir: &str) -> LoadOutcome {
    let prefix = format!("{dir}/");
    let files: Vec<FileId> = db
        .iter()
        .filter(|(_, f)| {
            faasguard_loader_azure::is_azure_file(&f.path)
                && (dir.is_empty() || f.path.starts_with(&prefix))
        })
        .map(|(id, _)| id)
        .collect();
    faasguard_loader_azure::load_project(db, dir, &files)
}

/// Loads `tests/fixtures/<dir>` as a function app.
pub fn fixture(dir: &str) -> (SourceDb, LoadOutcome) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = db_from(&root, dir);
    let out = load_dir(&db, dir);
    (db, out)
}

/// Loads a fixture that must load without errors, and returns its one app.
pub fn clean_fixture(dir: &str) -> (SourceDb, App) {
    let (db, mut out) = fixture(dir);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    assert_eq!(out.apps.len(), 1);
    (db, out.apps.remove(0))
}

/// The text a span covers.
pub fn slice(db: &SourceDb, span: Span) -> &str {
    db.get(span.file).unwrap().slice(span)
}

pub fn function<'a>(app: &'a App, key: &str) -> &'a Function {
    app.functions.iter().find(|f| f.logical_id == key).unwrap_or_else(|| {
        panic!(
            "no function {key}; have {:?}",
            app.functions.iter().map(|f| &f.logical_id).collect::<Vec<_>>()
        )
    })
}

pub fn triggers_of<'a>(app: &'a App, key: &str) -> Vec<&'a Trigger> {
    let (id, _) = app.functions().find(|(_, f)| f.logical_id == key).unwrap();
    app.triggers_of(id).collect()
}

/// The HTTP routes of a function.
pub fn routes_of<'a>(app: &'a App, key: &str) -> Vec<&'a HttpRoute> {
    triggers_of(app, key)
        .into_iter()
        .filter_map(|t| match &t.kind {
            TriggerKind::HttpRoute(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// `METHOD path` of each route of a function.
pub fn route_lines(app: &App, key: &str) -> Vec<String> {
    routes_of(app, key).iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

/// Error messages, for assertions and failure output.
pub fn messages(out: &LoadOutcome) -> Vec<String> {
    out.errors.iter().map(|e| e.message.clone()).collect()
}

/// Note messages of an app.
pub fn notes(app: &App) -> Vec<String> {
    app.notes.iter().map(|n| n.message.clone()).collect()
}

//! Test helpers: fixtures into a source database, and lookups in the model.

#![allow(dead_code, unreachable_pub)]

use std::path::Path;

use faasguard_loaders::LoadOutcome;
use faasguard_model::{App, Function, Role, Trigger};
use faasguard_source::{FileId, SourceDb, SourceFile, Span};

/// Every file under `tests/fixtures/<dir>`, added with paths relative to
/// `tests/fixtures` (as the CLI adds paths relative to the scan root).
pub fn fixture_db(dir: &str) -> SourceDb {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
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
                let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
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

/// Loads `path` from `db`.
pub fn load_path(db: &SourceDb, path: &str) -> LoadOutcome {
    let id: FileId = db.find(path).unwrap_or_else(|| panic!("{path} not in db"));
    faasguard_loader_serverless::load(db, id)
}

/// Loads a one-file configuration written inline.
pub fn load_text(text: &str) -> (SourceDb, LoadOutcome) {
    let db = db_of(&[("svc/serverless.yml", text)]);
    let out = load_path(&db, "svc/serverless.yml");
    (db, out)
}

/// The text a span covers.
pub fn slice(db: &SourceDb, span: Span) -> &str {
    db.get(span.file).unwrap().slice(span)
}

pub fn function<'a>(app: &'a App, key: &str) -> &'a Function {
    app.functions
        .iter()
        .find(|f| f.logical_id == key)
        .unwrap_or_else(|| panic!("no function {key}"))
}

pub fn role_of<'a>(app: &'a App, key: &str) -> &'a Role {
    let (id, _) = app.functions().find(|(_, f)| f.logical_id == key).unwrap();
    app.role_of(id).unwrap_or_else(|| panic!("{key} has no role in the app"))
}

pub fn triggers_of<'a>(app: &'a App, key: &str) -> Vec<&'a Trigger> {
    let (id, _) = app.functions().find(|(_, f)| f.logical_id == key).unwrap();
    app.triggers_of(id).collect()
}

/// All actions a role's attached documents allow, flattened.
pub fn allowed_actions(role: &Role) -> Vec<String> {
    role.policies
        .iter()
        .filter_map(|p| p.document.as_ref())
        .flat_map(|d| d.statements.iter())
        .filter(|s| s.is_allow())
        .flat_map(|s| s.actions.iter().map(|a| a.value.clone()))
        .collect()
}

/// Error messages, for assertions and failure output.
pub fn messages(out: &LoadOutcome) -> Vec<String> {
    out.errors.iter().map(|e| e.message.clone()).collect()
}

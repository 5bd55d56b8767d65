//! Test helpers: fixture directories into a source database, and lookups
//! in the model.

#![allow(dead_code, unreachable_pub)]

use std::path::Path;

use faasguard_loaders::LoadOutcome;
use faasguard_model::{App, Function, Role, Trigger};
use faasguard_source::{SourceDb, SourceFile, Span};

/// Every file under `root/dir`, added with paths relative to `root`.
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

/// Loads `tests/fixtures/<dir>` as a module.
pub fn fixture(dir: &str) -> (SourceDb, LoadOutcome) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = db_from(&root, dir);
    let out = load_dir(&db, dir);
    (db, out)
}

/// Loads the `.tf` files directly in `dir`.
pub fn load_dir(db: &SourceDb, dir: &str) -> LoadOutcome {
    let files: Vec<_> = db
        .iter()
        .filter(|(_, f)| {
            faasguard_loader_terraform::is_terraform_file(&f.path)
                && f.path.rfind('/').map_or("", |i| &f.path[..i]) == dir
        })
        .map(|(id, _)| id)
        .collect();
    faasguard_loader_terraform::load_module(db, dir, &files)
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

pub fn messages(out: &LoadOutcome) -> Vec<String> {
    out.errors.iter().map(|e| e.message.clone()).collect()
}

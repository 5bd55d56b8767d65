//! Every real serverless.yml of the shared corpus loads without a panic, and
//! valid files load without parse errors other than `${file()}` targets the
//! corpus does not include.

mod common;

use std::path::{Path, PathBuf};

use faasguard_source::{SourceDb, SourceFile};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/serverless-patterns")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn corpus_serverless_configs_load() {
    let root = corpus_root();
    if !root.is_dir() {
        eprintln!("shared corpus not found at {}; skipping", root.display());
        return;
    }
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    // All files go into the db, as the CLI reads every candidate first.
    let mut db = SourceDb::new();
    for p in &files {
        let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if let Ok(text) = std::fs::read_to_string(p) {
            db.add(SourceFile::new(rel, text));
        }
    }
    let configs: Vec<_> = db
        .iter()
        .filter(|(_, f)| faasguard_loader_serverless::is_serverless_config(&f.path, &f.text))
        .map(|(id, f)| (id, f.path.to_string()))
        .collect();
    let (mut functions, mut triggers, mut roles, mut notes, mut errors) = (0, 0, 0, 0, 0);
    let mut unexpected = Vec::new();
    for (id, path) in &configs {
        let out = faasguard_loader_serverless::load(&db, *id);
        for app in &out.apps {
            functions += app.functions.len();
            triggers += app.triggers.len();
            roles += app.roles.len();
            notes += app.notes.len();
            for n in &app.notes {
                eprintln!("{path}: note: {}", n.message);
            }
        }
        for e in &out.errors {
            errors += 1;
            eprintln!("{path}: {} ({})", e.message, e.kind.as_str());
            // Included files that the corpus does not carry are real
            // problems of the scan input, not of the loader.
            if !e.message.contains("was not found among the scanned files") {
                unexpected.push(format!("{path}: {}", e.message));
            }
        }
    }
    eprintln!(
        "serverless configs: {}, functions: {functions}, triggers: {triggers}, roles: {roles}, \
         notes: {notes}, parse errors: {errors}",
        configs.len()
    );
    assert!(configs.len() >= 15, "only {} configs recognised", configs.len());
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

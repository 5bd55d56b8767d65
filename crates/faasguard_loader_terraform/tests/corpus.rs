//! Every directory of `.tf` files in the shared corpus loads as a module
//! without a panic, and valid files load without parse errors other than
//! files the corpus does not carry. How long the corpus takes is measured
//! by `bench/corpus.sh`, not here.

use std::collections::BTreeMap;
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
fn corpus_terraform_modules_load() {
    let root = corpus_root();
    if !root.is_dir() {
        eprintln!("shared corpus not found at {}; skipping", root.display());
        return;
    }
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut db = SourceDb::new();
    for p in &files {
        let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if let Ok(text) = std::fs::read_to_string(p) {
            db.add(SourceFile::new(rel, text));
        }
    }
    let mut modules: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (id, f) in db.iter() {
        if faasguard_loader_terraform::is_terraform_file(&f.path) {
            let dir = f.path.rfind('/').map_or("", |i| &f.path[..i]).to_string();
            modules.entry(dir).or_default().push(id);
        }
    }
    let (mut functions, mut roles, mut triggers, mut notes, mut errors) = (0, 0, 0, 0, 0);
    let mut unexpected = Vec::new();
    for (dir, ids) in &modules {
        let out = faasguard_loader_terraform::load_module(&db, dir, ids);
        for app in &out.apps {
            functions += app.functions.len();
            roles += app.roles.len();
            triggers += app.triggers.len();
            notes += app.notes.len();
        }
        for e in &out.errors {
            errors += 1;
            let file = db.get(e.span.file).map(|f| f.path.to_string()).unwrap_or_default();
            eprintln!("{file}: {} ({})", e.message, e.kind.as_str());
            if !e.message.contains("was not found among the scanned files") {
                unexpected.push(format!("{file}: {}", e.message));
            }
        }
    }
    eprintln!(
        "terraform modules: {}, functions: {functions}, roles: {roles}, triggers: {triggers}, \
         notes: {notes}, parse errors: {errors}",
        modules.len()
    );
    assert!(modules.len() >= 50, "only {} modules found", modules.len());
    assert!(functions >= 50, "only {functions} functions modelled");
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

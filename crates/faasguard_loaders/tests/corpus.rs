//! Loads every CloudFormation/SAM template of the shared real-world corpus:
//! none may panic, and the counts are printed for the CI log. The shared
//! material lives outside the repository; without it the test says so loudly
//! and passes (the corpus gate runs separately in CI). How long the corpus
//! takes is measured by `bench/corpus.sh`, not here.

use std::path::{Path, PathBuf};

use faasguard_loaders::{Detected, detect, load_file};
use faasguard_source::FileId;

fn corpus_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.join("../../../shared/corpus/serverless-patterns")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn corpus_loads_without_panics() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!(
            "\n*** corpus test SKIPPED: {} not found; the shared corpus is absent ***\n",
            dir.display()
        );
        return;
    }
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let rel = p.strip_prefix(&dir).unwrap_or(p).to_string_lossy().replace('\\', "/");
            matches!(detect(&rel, &text), Detected::CloudFormation { .. }).then_some((rel, text))
        })
        .collect();
    let (mut functions, mut roles, mut triggers, mut apis, mut errors) = (0, 0, 0, 0, 0);
    let mut with_errors = Vec::new();
    // Functions whose execution role could not be followed: printed so a
    // regression in reference following shows in the CI log.
    let mut unlinked_roles = Vec::new();
    for (i, (rel, text)) in texts.iter().enumerate() {
        let outcome = load_file(FileId(i as u32), rel, text).expect("detected as CloudFormation");
        for app in &outcome.apps {
            for f in &app.functions {
                if f.role.is_none() {
                    unlinked_roles.push(format!(
                        "{rel}: {} role {:?}",
                        f.logical_id,
                        f.role_ref.as_ref().map(|r| &r.value)
                    ));
                }
            }
            functions += app.functions.len();
            roles += app.roles.len();
            triggers += app.triggers.len();
            apis += app.apis.len();
        }
        if !outcome.errors.is_empty() {
            errors += outcome.errors.len();
            for e in &outcome.errors {
                let snippet = text
                    .get(
                        e.span.start as usize
                            ..(e.span.end as usize).min(e.span.start as usize + 60),
                    )
                    .unwrap_or("");
                let line = text.get(..e.span.start as usize).map_or(0, |t| t.lines().count());
                with_errors.push(format!(
                    "{rel}:{line}: {} {}: {snippet:?}",
                    e.kind.as_str(),
                    e.message
                ));
            }
        }
    }
    eprintln!(
        "corpus: {} templates loaded: {functions} functions, {roles} roles, {triggers} triggers, {apis} APIs, {errors} parse errors",
        texts.len()
    );
    for e in &with_errors {
        eprintln!("  {e}");
    }
    eprintln!("corpus: {} functions whose role is not in their template:", unlinked_roles.len());
    for e in &unlinked_roles {
        eprintln!("  {e}");
    }
    assert!(!texts.is_empty(), "the corpus holds templates");
    assert!(functions > 0, "functions were modelled from the corpus");
}

//! Loading a snippet (or a folder with function code) in any format and
//! running one rule on it.
#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::path::Path;

use faasguard_diagnostics::Finding;
use faasguard_linter::{Settings, check_app_with_sources, parse_error_finding};
use faasguard_loaders::LoadOutcome;
use faasguard_source::{FileId, SourceDb, SourceFile};

/// Loads `text` as the file `path` with the loader of `format` (`sam`,
/// `cfn`, `serverless`, `tf`) and returns the findings of the rule `code`, plus every
/// `parse-error` so a broken fixture cannot pass silently. Inline function
/// code (`InlineCode`, `ZipFile`) is part of the text.
pub fn run(code: &str, format: &str, path: &str, text: &str) -> (Vec<Finding>, Vec<Finding>) {
    run_files(code, format, &[(path.to_string(), text.to_string())])
}

/// The same for a folder fixture: every file under `dir` (templates and
/// function code, with paths relative to it) goes into the `SourceDb`, as
/// the CLI reads a project; the template is `template.yaml` (or `.yml`,
/// `.json`) for `sam`/`cfn`, `serverless.yml` for `serverless`, and every
/// `.tf` file for `tf`.
pub fn run_dir(code: &str, format: &str, dir: &Path) -> (Vec<Finding>, Vec<Finding>) {
    let mut files = Vec::new();
    collect(dir, "", &mut files);
    files.sort();
    run_files(code, format, &files)
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        if entry.file_type().unwrap().is_dir() {
            collect(&entry.path(), &rel, out);
        } else {
            out.push((rel, fs::read_to_string(entry.path()).unwrap()));
        }
    }
}

fn run_files(code: &str, format: &str, files: &[(String, String)]) -> (Vec<Finding>, Vec<Finding>) {
    let mut db = SourceDb::new();
    let ids: Vec<FileId> =
        files.iter().map(|(p, t)| db.add(SourceFile::new(p.as_str(), t.as_str()))).collect();
    let outcome = load(format, &db, files, &ids);
    let errors: Vec<Finding> = outcome
        .errors
        .iter()
        .map(|e| {
            let path = db.get(e.span.file).map_or("?", |f| &*f.path);
            parse_error_finding(path, e)
        })
        .collect();
    let settings = Settings { select: vec![code.to_string()], ..Settings::default() };
    let mut found = Vec::new();
    for app in &outcome.apps {
        found.extend(
            check_app_with_sources(app, &settings, &db).into_iter().filter(|f| f.code == code),
        );
    }
    // Lockfiles and manifests among the files go through the dependency
    // rules, matched against the advisory snapshot built into the binary.
    let lockfiles: Vec<faasguard_deps::Lockfile> = files
        .iter()
        .zip(&ids)
        .filter_map(|((p, t), id)| {
            let kind = faasguard_deps::LockfileKind::of_path(p)?;
            Some(faasguard_deps::parse(kind, *id, p, t))
        })
        .collect();
    let vulnerabilities = faasguard_linter::dependencies::match_vulnerabilities(
        &lockfiles,
        faasguard_osv::embedded(),
    );
    let input = faasguard_linter::DependencyInput {
        lockfiles: &lockfiles,
        vulnerabilities: &vulnerabilities,
    };
    found.extend(
        faasguard_linter::check_dependencies(&outcome.apps, &input, &settings, &db)
            .into_iter()
            .filter(|f| f.code == code),
    );
    if code == "INP001" {
        found.extend(errors.iter().cloned());
    }
    (found, errors)
}

fn load(format: &str, db: &SourceDb, files: &[(String, String)], ids: &[FileId]) -> LoadOutcome {
    let named = |names: &[&str]| {
        files.iter().zip(ids).find(|((p, _), _)| names.contains(&p.as_str())).or_else(|| {
            // A single-file fixture is named after the fixture itself.
            (files.len() == 1).then(|| (&files[0], &ids[0]))
        })
    };
    match format {
        "tf" => {
            let tf: Vec<FileId> = files
                .iter()
                .zip(ids)
                .filter(|((p, _), _)| !p.contains('/') && p.ends_with(".tf"))
                .map(|(_, id)| *id)
                .collect();
            faasguard_loader_terraform::load_module(db, "", &tf)
        }
        "serverless" => {
            let (_, id) = named(&["serverless.yml", "serverless.yaml"])
                .unwrap_or_else(|| panic!("no serverless.yml among {:?}", paths(files)));
            faasguard_loader_serverless::load(db, *id)
        }
        "sam" | "cfn" => {
            let ((path, text), id) = named(&["template.yaml", "template.yml", "template.json"])
                .unwrap_or_else(|| panic!("no template.yaml among {:?}", paths(files)));
            faasguard_loaders::load_file(*id, path, text)
                .unwrap_or_else(|| panic!("{path} is not recognised as a CloudFormation template"))
        }
        // Lockfiles alone, no app: what no function ships is still checked.
        "deps" => LoadOutcome {
            format: faasguard_model::Format::Sam,
            apps: Vec::new(),
            errors: Vec::new(),
        },
        other => panic!("unknown fixture format `{other}` (sam, cfn, serverless, tf, deps)"),
    }
}

fn paths(files: &[(String, String)]) -> Vec<&str> {
    files.iter().map(|(p, _)| p.as_str()).collect()
}

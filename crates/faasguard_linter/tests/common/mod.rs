//! Loading a snippet in any format and running one rule on it.
#![allow(dead_code, unreachable_pub)]

use faasguard_diagnostics::Finding;
use faasguard_linter::{Settings, check_app, parse_error_finding};
use faasguard_loaders::LoadOutcome;
use faasguard_source::{FileId, SourceDb, SourceFile};

/// Loads `text` as the file `path` with the loader of `format` (`sam`,
/// `cfn`, `serverless`, `tf`) and returns the findings of the rule `code`, plus every
/// `parse-error` so a broken fixture cannot pass silently.
pub fn run(code: &str, format: &str, path: &str, text: &str) -> (Vec<Finding>, Vec<Finding>) {
    let outcome = load(format, path, text);
    let errors: Vec<Finding> =
        outcome.errors.iter().map(|e| parse_error_finding(path, e)).collect();
    let settings = Settings { select: vec![code.to_string()], ..Settings::default() };
    let mut found = Vec::new();
    for app in &outcome.apps {
        found.extend(check_app(app, &settings).into_iter().filter(|f| f.code == code));
    }
    if code == "INP001" {
        found.extend(errors.iter().cloned());
    }
    (found, errors)
}

fn load(format: &str, path: &str, text: &str) -> LoadOutcome {
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new(path, text));
    match format {
        "tf" => faasguard_loader_terraform::load_module(&db, "", &[id]),
        "serverless" => faasguard_loader_serverless::load(&db, id),
        "sam" | "cfn" => faasguard_loaders::load_file(FileId(id.0), path, text)
            .unwrap_or_else(|| panic!("{path} is not recognised as a CloudFormation template")),
        other => panic!("{path}: unknown fixture format `{other}` (sam, cfn, serverless, tf)"),
    }
}

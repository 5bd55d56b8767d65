//! The example apps of `examples/least-privilege/`: for every function, the
//! generated policy equals the one a careful human wrote by reading the code
//! and the IaC (`expected-policy.json` next to each app).
//!
//! Each app is read into a `SourceDb` with paths relative to its directory
//! (as the CLI does relative to the scan root), loaded with the real loader
//! of its format, inferred and rendered as IAM JSON. Policies are compared
//! as sets of (action, resource) pairs, so statement grouping and Sids may
//! differ; a failure lists the missing and the extra pairs per function.
//! `FG_EXAMPLES_PRINT=1 cargo test -p faasguard_privilege --test examples --
//! --nocapture` prints every inference (needs, confidence, notes).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use faasguard_model::App;
use faasguard_source::{SourceDb, SourceFile};
use serde_json::Value;

fn example_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/least-privilege").join(name)
}

/// Every file under `dir` (IaC, code, package.json, READMEs), with display
/// paths relative to `dir`.
fn db_of(dir: &Path) -> SourceDb {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
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
        let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        db.add(SourceFile::new(rel, std::fs::read_to_string(&p).unwrap()));
    }
    db
}

/// The app of an example, through the loader of its format.
fn load(name: &str) -> (SourceDb, App) {
    let db = db_of(&example_dir(name));
    let out = if let Some(id) = db.find("template.yaml") {
        let text = db.get(id).unwrap().text.clone();
        faasguard_loaders::load_file(id, "template.yaml", &text).expect("a SAM template")
    } else if let Some(id) = db.find("serverless.yml") {
        faasguard_loader_serverless::load(&db, id)
    } else {
        let id = db.find("main.tf").expect("a Terraform module");
        faasguard_loader_terraform::load_module(&db, "", &[id])
    };
    assert!(out.errors.is_empty(), "{name}: load errors {:?}", out.errors);
    assert_eq!(out.apps.len(), 1, "{name}: one app");
    (db, out.apps.into_iter().next().unwrap())
}

type Pairs = BTreeSet<(String, String)>;

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// The (action, resource) pairs an IAM document allows. Only plain `Allow`
/// statements with `Action` and `Resource` are expected here; anything
/// else (Deny, NotAction, NotResource, Condition) fails the test, because
/// the comparison would not be meaningful.
fn pairs(doc: &Value, context: &str) -> Pairs {
    assert_eq!(doc["Version"], "2012-10-17", "{context}: Version");
    let mut out = Pairs::new();
    for st in doc["Statement"].as_array().unwrap_or_else(|| panic!("{context}: no Statement array"))
    {
        assert_eq!(st["Effect"], "Allow", "{context}: {st}");
        for key in ["NotAction", "NotResource", "Condition", "Principal"] {
            assert!(st.get(key).is_none(), "{context}: unexpected {key} in {st}");
        }
        let actions = strings(st.get("Action"));
        let resources = strings(st.get("Resource"));
        assert!(!actions.is_empty() && !resources.is_empty(), "{context}: empty statement {st}");
        for a in &actions {
            for r in &resources {
                out.insert((a.clone(), r.clone()));
            }
        }
    }
    out
}

/// The generated pairs of every function of the app, by logical id.
fn generated(app: &App, db: &SourceDb) -> BTreeMap<String, (Pairs, Vec<String>)> {
    let mut out = BTreeMap::new();
    for (fid, f) in app.functions() {
        let inference = faasguard_privilege::infer(app, fid, db);
        let policy = faasguard_privilege::policy::generate(app, &inference);
        // No document at all reads as no pairs: every expected pair is
        // then listed as missing.
        let docs = policy.iam_documents();
        let mut all = Pairs::new();
        for d in &docs {
            all.extend(pairs(d, &f.logical_id));
        }
        if std::env::var("FG_EXAMPLES_PRINT").is_ok() {
            eprintln!(
                "== {} complete={} lines={}",
                f.logical_id, inference.complete, inference.code_lines
            );
            for n in &inference.needs {
                eprintln!(
                    "   {} {:?} {:?}",
                    n.action,
                    n.resources.iter().map(|r| r.to_iam_string()).collect::<Vec<_>>(),
                    n.confidence
                );
            }
            for n in &inference.notes {
                eprintln!("   note: {}", n.message);
            }
        }
        let notes = inference
            .notes
            .iter()
            .map(|n| n.message.clone())
            .chain(policy.notes.iter().cloned())
            .collect();
        out.insert(f.logical_id.clone(), (all, notes));
    }
    out
}

fn show(pairs: &BTreeSet<&(String, String)>) -> String {
    pairs.iter().map(|(a, r)| format!("\n      {a:<32} {r}")).collect()
}

/// Compares one example app with its expected policies; the differences as
/// a readable report (empty when equal).
fn differences(name: &str) -> String {
    let (db, app) = load(name);
    let path = example_dir(name).join("expected-policy.json");
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let got = generated(&app, &db);
    let mut report = String::new();
    for f in expected.keys().filter(|k| !got.contains_key(*k)) {
        report += &format!("\n  {f}: expected, but the app has no such function");
    }
    for (f, (actual, notes)) in &got {
        let Some(doc) = expected.get(f) else {
            report += &format!("\n  {f}: generated, but not in expected-policy.json");
            continue;
        };
        let want = pairs(doc, &format!("expected {f}"));
        let missing: BTreeSet<_> = want.difference(actual).collect();
        let extra: BTreeSet<_> = actual.difference(&want).collect();
        if missing.is_empty() && extra.is_empty() {
            continue;
        }
        report += &format!("\n  {f}:");
        if !missing.is_empty() {
            report += &format!("\n    missing (expected, not generated):{}", show(&missing));
        }
        if !extra.is_empty() {
            report += &format!("\n    extra (generated, not expected):{}", show(&extra));
        }
        for n in notes {
            report += &format!("\n    note: {n}");
        }
    }
    report
}

fn check(name: &str) {
    let report = differences(name);
    assert!(
        report.is_empty(),
        "examples/least-privilege/{name}: the generated policies differ:{report}"
    );
}

#[test]
fn python_sam_boto3() {
    check("python");
}

#[test]
fn javascript_serverless_aws_sdk_v2() {
    check("javascript-v2");
}

#[test]
fn javascript_terraform_aws_sdk_v3() {
    check("javascript-v3");
}

#[test]
fn typescript_sam_aws_sdk_v3() {
    check("typescript");
}

/// The comparison itself can fail: a policy with one pair dropped and one
/// added differs from the expectation in exactly those two pairs.
#[test]
fn the_comparison_sees_missing_and_extra_pairs() {
    let path = example_dir("typescript").join("expected-policy.json");
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let doc = &expected["PaymentWebhookFunction"];
    let want = pairs(doc, "expected");
    let mut changed = doc.clone();
    let statements = changed["Statement"].as_array_mut().unwrap();
    statements.retain(|s| s["Sid"] != "Settlement");
    statements.push(serde_json::json!({"Effect": "Allow", "Action": "states:*", "Resource": "*"}));
    let got = pairs(&changed, "changed");
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert_eq!(
        missing,
        [&("states:StartExecution".to_string(), "arn:aws:states:*:*:stateMachine:*".to_string())]
    );
    assert_eq!(extra, [&("states:*".to_string(), "*".to_string())]);
}

/// Every expected file names real functions of its app, so a renamed
/// function cannot silently drop out of the comparison.
#[test]
fn expected_policies_cover_every_function() {
    for name in ["python", "javascript-v2", "javascript-v3", "typescript"] {
        let (_, app) = load(name);
        let path = example_dir(name).join("expected-policy.json");
        let expected: BTreeMap<String, Value> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let functions: BTreeSet<String> =
            app.functions().map(|(_, f)| f.logical_id.clone()).collect();
        let keys: BTreeSet<String> = expected.keys().cloned().collect();
        assert_eq!(functions, keys, "{name}");
    }
}

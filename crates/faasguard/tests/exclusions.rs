//! `--exclusions FILE`: suppressions with reasons silence single findings;
//! a broken file is a usage error naming its place.

mod common;

use common::{HIGH_TEMPLATE, faasguard, findings, write};
use serde_json::Value;

fn scan(dir: &std::path::Path, exclusions: &str) -> std::process::Output {
    write(dir, "exclusions.yml", exclusions);
    faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none", "--exclusions"])
        .arg(dir.join("exclusions.yml"))
        .arg(dir.join("app"))
        .output()
        .unwrap()
}

#[test]
fn a_suppression_silences_its_finding_and_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/template.yaml", HIGH_TEMPLATE);
    let out = scan(
        dir.path(),
        "suppressions:\n  - rule: TRG001\n    function: HelloFunction\n    reason: public by design\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings(&report).iter().all(|f| f["code"] != "TRG001"), "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1);

    // The same entry for another function silences nothing.
    let out = scan(
        dir.path(),
        "suppressions:\n  - rule: TRG001\n    function: Other\n    reason: public by design\n",
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings(&report).iter().any(|f| f["code"] == "TRG001"));
    assert_eq!(report["summary"]["suppressed"], 0);
}

#[test]
fn a_broken_exclusions_file_is_a_usage_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/template.yaml", HIGH_TEMPLATE);
    let out = scan(dir.path(), "roles: [x]\nsuppressions:\n  - rule: TRG001\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("exclusions.yml:3:"), "{stderr}");
    assert!(stderr.contains("reason"), "{stderr}");

    let out = scan(dir.path(), "suppressions:\n  - rule: TRG999\n    reason: x\n");
    assert_eq!(out.status.code(), Some(2));
}

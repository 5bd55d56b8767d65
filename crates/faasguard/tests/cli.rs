//! The command line's contract: exit codes, output formats, discovery
//! rules, and the `rules`/`explain` commands.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{HIGH_TEMPLATE, faasguard, findings, scan_json, write};
use predicates::prelude::*;
use serde_json::Value;

const EXAMPLE_APP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/vulnerable-sam-app");

fn high_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "template.yaml", HIGH_TEMPLATE);
    dir
}

#[test]
fn clean_directory_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# nothing to scan\n");
    write(dir.path(), "package.json", "{\"name\": \"app\"}\n");
    faasguard()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings."));
}

#[test]
fn high_finding_exits_1_unless_threshold_is_above_it() {
    let dir = high_app();
    let report = scan_json(dir.path());
    let severities: Vec<&str> =
        findings(&report).iter().map(|f| f["severity"].as_str().unwrap()).collect();
    assert!(severities.contains(&"high"), "fixture must have a high finding: {report:#}");
    assert!(!severities.contains(&"critical"), "fixture must have no critical finding");

    faasguard().arg("scan").arg(dir.path()).assert().code(1);
    faasguard().args(["scan", "--fail-on", "high"]).arg(dir.path()).assert().code(1);
    faasguard().args(["scan", "--fail-on", "critical"]).arg(dir.path()).assert().code(0);
    faasguard().args(["scan", "--fail-on", "none"]).arg(dir.path()).assert().code(0);
}

#[test]
fn bad_flag_exits_2() {
    faasguard().args(["scan", "--no-such-flag"]).assert().code(2);
    faasguard().args(["scan", "--format", "xml"]).assert().code(2);
    faasguard().args(["scan", "--fail-on", "severe"]).assert().code(2);
}

#[test]
fn missing_path_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir");
    faasguard()
        .arg("scan")
        .arg(&missing)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("faasguard: error: "))
        .stderr(predicate::str::contains(missing.display().to_string()));
}

#[test]
fn unknown_rule_in_select_exits_2_with_a_hint() {
    let dir = high_app();
    let code = faasguard_linter::registry()[0].code;
    let typo = &format!("{code}X");
    faasguard()
        .args(["scan", "--select", typo])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("unknown rule `{typo}`")))
        .stderr(predicate::str::contains(code));
}

#[test]
fn ignore_and_select_filter_findings() {
    let dir = high_app();
    let report = scan_json(dir.path());
    let code = findings(&report)[0]["code"].as_str().unwrap().to_string();
    faasguard()
        .args(["scan", "--fail-on", "low", "--ignore", &code])
        .arg(dir.path())
        .assert()
        .code(if findings(&report).iter().all(|f| f["code"] == code.as_str()) { 0 } else { 1 });
    let out = faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none", "--select", &code])
        .arg(dir.path())
        .output()
        .unwrap();
    let selected: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!findings(&selected).is_empty());
    assert!(findings(&selected).iter().all(|f| f["code"] == code.as_str()));
}

#[test]
fn json_output_is_versioned_and_complete() {
    let dir = high_app();
    let report = scan_json(dir.path());
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "faasguard");
    assert_eq!(report["summary"]["iac_files"], 1);
    assert_eq!(report["summary"]["apps"], 1);
    assert_eq!(report["summary"]["functions"], 1);
    let f = &findings(&report)[0];
    assert_eq!(f["location"]["path"], "template.yaml");
    assert_eq!(f["subject"]["app"], "template.yaml");
    assert!(f["location"]["start_line"].as_u64().unwrap() > 1);
}

#[test]
fn output_flag_writes_the_file_and_nothing_to_stdout() {
    let dir = high_app();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("report.sarif");
    faasguard()
        .args(["scan", "--format", "sarif", "--output"])
        .arg(&file)
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout("");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    let unwritable = out_dir.path().join("missing-dir").join("r.json");
    faasguard()
        .args(["scan", "--output"])
        .arg(&unwritable)
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing-dir"));
}

#[test]
fn no_escape_codes_when_piped_or_no_color() {
    let dir = high_app();
    // stdout is a pipe here, so `auto` must mean no colour.
    faasguard()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("\u{1b}").not());
    faasguard()
        .env("NO_COLOR", "1")
        .arg("scan")
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("\u{1b}").not());
    // The same run with colour forced proves the check above can fail.
    faasguard()
        .args(["scan", "--color", "always"])
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn text_output_has_location_frame_and_summary() {
    let dir = high_app();
    faasguard()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("=== template.yaml"))
        .stdout(predicate::str::contains("--- function HelloFunction ---"))
        .stdout(predicate::str::contains("HIGH "))
        .stdout(predicate::str::contains("--> template.yaml:"))
        .stdout(predicate::str::contains("^"))
        .stdout(predicate::str::contains("Found "));
}

#[test]
fn broken_pipe_exits_0_quietly() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("faasguard"))
        .args(["scan", EXAMPLE_APP])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the scan has written anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    // Notes (which advisories the scan used) may come first; no error may.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let unexpected: Vec<&str> =
        stderr.lines().filter(|l| !l.starts_with("faasguard: note:")).collect();
    assert!(unexpected.is_empty(), "stderr: {stderr}");
}

#[test]
fn discovery_skips_dependencies_and_build_output_but_reads_gitignored_cdk_out() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for skipped in [
        "node_modules/pkg",
        ".aws-sam/build",
        "venv/lib/python3.12/site-packages/x",
        "target",
        ".terraform/modules",
        ".serverless",
        "ignored-by-git",
    ] {
        write(root, &format!("{skipped}/template.yaml"), HIGH_TEMPLATE);
    }
    write(root, ".gitignore", "ignored-by-git/\ncdk.out/\n");
    write(root, "infra/cdk.out/App.template.json", cdk_template());
    let report = scan_json(root);
    let paths: Vec<&str> =
        findings(&report).iter().map(|f| f["location"]["path"].as_str().unwrap()).collect();
    assert!(!paths.is_empty(), "the cdk.out template has findings");
    assert!(
        paths.iter().all(|p| *p == "infra/cdk.out/App.template.json"),
        "only cdk.out is scanned: {paths:?}"
    );
}

fn cdk_template() -> String {
    let function = serde_json::json!({
        "Resources": {
            "HelloFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "app.handler",
                    "CodeUri": "src/",
                    "FunctionUrlConfig": { "AuthType": "NONE" }
                }
            }
        },
        "Transform": "AWS::Serverless-2016-10-31"
    });
    serde_json::to_string_pretty(&function).unwrap()
}

#[test]
fn several_roots_keep_their_names_apart() {
    let a = high_app();
    let b = high_app();
    let out = faasguard()
        .current_dir(a.path().parent().unwrap())
        .args(["scan", "--format", "json", "--fail-on", "none"])
        .arg(a.path().file_name().unwrap())
        .arg(b.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut apps: Vec<&str> =
        findings(&report).iter().map(|f| f["subject"]["app"].as_str().unwrap()).collect();
    apps.dedup();
    assert_eq!(apps.len(), 2, "{apps:?}");
    let a_name = a.path().file_name().unwrap().to_str().unwrap();
    assert!(apps.contains(&format!("{a_name}/template.yaml").as_str()), "{apps:?}");
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..20 {
        write(dir.path(), &format!("app{i}/template.yaml"), HIGH_TEMPLATE);
    }
    let run = || {
        faasguard()
            .args(["scan", "--format", "sarif", "--fail-on", "none"])
            .arg(dir.path())
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert_eq!(first, run());
    let sarif: Value = serde_json::from_slice(&first).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    let mut sorted = uris.clone();
    sorted.sort();
    assert_eq!(uris, sorted);
}

fn sarif_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../faasguard_report/tests/data/sarif-schema-2.1.0.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::options().should_validate_formats(true).build(&schema).unwrap()
}

fn assert_valid_sarif(dir: &Path) -> Value {
    let out = faasguard()
        .args(["scan", "--format", "sarif", "--fail-on", "none"])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    sarif
}

#[test]
fn sarif_of_a_fixture_validates() {
    let dir = high_app();
    let sarif = assert_valid_sarif(dir.path());
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn sarif_of_the_example_app_validates() {
    let sarif = assert_valid_sarif(Path::new(EXAMPLE_APP));
    let run = &sarif["runs"][0];
    assert!(run["results"].as_array().unwrap().len() >= 3, "the example app is vulnerable");
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        faasguard_linter::registry().len()
    );
}

#[test]
fn example_app_exits_1() {
    faasguard().args(["scan", EXAMPLE_APP]).assert().code(1);
}

#[test]
fn rules_lists_every_rule() {
    let out = faasguard().arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for rule in faasguard_linter::registry() {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.code))
            .unwrap_or_else(|| panic!("{} missing from:\n{text}", rule.code));
        assert!(line.contains(rule.name), "{line}");
        assert!(line.contains(rule.severity.as_str()), "{line}");
        assert!(line.contains(rule.sas.id()), "{line}");
        for cwe in rule.cwe {
            assert!(line.contains(&format!("CWE-{cwe}")), "{line}");
        }
    }

    let out = faasguard().args(["rules", "--format", "json"]).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> =
        json["rules"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    let expected: Vec<&str> = faasguard_linter::registry().iter().map(|r| r.code).collect();
    assert_eq!(codes, expected);
}

#[test]
fn explain_by_code_and_by_name() {
    for rule in faasguard_linter::registry() {
        for key in [rule.code, rule.name] {
            faasguard()
                .args(["explain", key])
                .assert()
                .code(0)
                .stdout(predicate::str::starts_with(format!("# {} {}", rule.code, rule.name)))
                .stdout(predicate::str::contains(rule.doc.trim()));
        }
    }
}

#[test]
fn explain_unknown_rule_exits_2_with_closest_names() {
    let rule = &faasguard_linter::registry()[0];
    let typo = format!("{}x", rule.name);
    faasguard()
        .args(["explain", &typo])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!("unknown rule `{typo}`")))
        .stderr(predicate::str::contains(format!("did you mean `{}`", rule.name)))
        .stderr(predicate::str::contains("faasguard rules"));
}

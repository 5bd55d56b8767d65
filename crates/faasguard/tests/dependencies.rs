//! Dependencies end to end: lockfiles matched against the embedded
//! snapshot, `db update` from a local HTTP server then an offline scan,
//! ranking by exposure, includes and unreadable lockfiles, and the SBOM
//! command's two formats.

mod common;

use std::path::Path;

use common::{faasguard, findings, write};
use faasguard_testkit::{Server, zip_of};
use serde_json::Value;

const TEMPLATE: &str = "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Parse:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: py/
      Handler: app.handler
      Runtime: python3.12
      Events:
        Api:
          Type: HttpApi
          Properties: { Path: /parse, Method: post }
  Load:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: js/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Queue:
          Type: SQS
          Properties: { Queue: arn:aws:sqs:us-east-1:123456789012:jobs }
";

const PACKAGE_LOCK: &str = r#"{
  "name": "load",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "load", "dependencies": { "node-serialize": "0.0.4" } },
    "node_modules/node-serialize": {
      "version": "0.0.4",
      "resolved": "https://registry.npmjs.org/node-serialize/-/node-serialize-0.0.4.tgz"
    }
  }
}
"#;

fn project(dir: &Path, requirements: &str) {
    write(dir, "template.yaml", TEMPLATE);
    write(
        dir,
        "py/app.py",
        "import yaml\n\ndef handler(event, context):\n    return yaml.safe_load(event['body'])\n",
    );
    write(dir, "py/requirements.txt", requirements);
    write(
        dir,
        "js/index.js",
        "const s = require('node-serialize');\nexports.handler = async (e) => s.unserialize(e.Records[0].body);\n",
    );
    write(dir, "js/package-lock.json", PACKAGE_LOCK);
}

fn scan(dir: &Path, extra: &[&str]) -> (Value, String) {
    let out = faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none", "--select", "DEP,INP004"])
        .args(extra)
        .arg(dir)
        .output()
        .expect("faasguard runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    (serde_json::from_slice(&out.stdout).expect("JSON report"), stderr)
}

fn with_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report).iter().filter(|f| f["code"] == rule).collect()
}

#[test]
fn embedded_snapshot_finds_pyyaml_and_node_serialize() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), "PyYAML==3.13\n");
    let (report, stderr) = scan(dir.path(), &[]);
    assert!(stderr.contains("embedded snapshot"), "the scan says which advisories: {stderr}");
    let vulns = with_rule(&report, "DEP001");
    let text: Vec<String> =
        vulns.iter().map(|f| f["message"].as_str().unwrap().to_string()).collect();
    assert!(
        text.iter().any(|m| m.starts_with("PyYAML 3.13") && m.contains("CVE-2017-18342")),
        "{text:#?}"
    );
    assert!(
        text.iter().any(|m| m.starts_with("node-serialize 0.0.4") && m.contains("CVE-2017-5941")),
        "{text:#?}"
    );
    // Each finding points at the line that pins the package and names the
    // function that ships it.
    let pyyaml =
        vulns.iter().find(|f| f["message"].as_str().unwrap().contains("CVE-2017-18342")).unwrap();
    assert_eq!(pyyaml["location"]["path"], "py/requirements.txt");
    assert_eq!(pyyaml["location"]["start_line"], 1);
    assert!(pyyaml["message"].as_str().unwrap().contains("`template.yaml/Parse` (public)"));
    let serialize =
        vulns.iter().find(|f| f["message"].as_str().unwrap().contains("CVE-2017-5941")).unwrap();
    assert_eq!(serialize["location"]["path"], "js/package-lock.json");
    assert!(serialize["message"].as_str().unwrap().contains("(internal)"));
    // CVSS 9.8, shipped only by a queue consumer: one level down.
    assert_eq!(serialize["severity"], "high");
}

#[test]
fn fixed_versions_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), "PyYAML==6.0.2\n");
    write(
        dir.path(),
        "js/package-lock.json",
        PACKAGE_LOCK.replace("node-serialize", "ms").replace("0.0.4", "2.1.3"),
    );
    let (report, _) = scan(dir.path(), &[]);
    assert!(with_rule(&report, "DEP001").is_empty(), "{:#?}", findings(&report));
}

/// An OSV record for the fixture database.
fn record(id: &str, ecosystem: &str, name: &str, fixed: &str, alias: &str) -> String {
    serde_json::json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2026-11-01T00:00:00Z",
        "aliases": [alias],
        "summary": format!("fixture advisory {id}"),
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{
            "package": {"ecosystem": ecosystem, "name": name},
            "ranges": [{"type": if ecosystem == "npm" { "SEMVER" } else { "ECOSYSTEM" },
                        "events": [{"introduced": "0"}, {"fixed": fixed}]}]
        }]
    })
    .to_string()
}

#[test]
fn db_update_from_a_local_server_then_an_offline_scan() {
    let server = Server::start();
    server.serve(
        "/PyPI/all.zip",
        200,
        zip_of(&[(
            "FIX-PY-1.json",
            &record("FIX-PY-1", "PyPI", "requests", "2.32.0", "CVE-2099-0001"),
        )]),
    );
    server.serve(
        "/npm/all.zip",
        200,
        zip_of(&[("FIX-NPM-1.json", &record("FIX-NPM-1", "npm", "ms", "2.1.3", "CVE-2099-0002"))]),
    );
    let db = tempfile::tempdir().unwrap();
    let out = faasguard()
        .args(["db", "update", "--ecosystem", "npm,PyPI", "--source", &server.url(), "--db-dir"])
        .arg(db.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("PyPI") && stdout.contains("npm"), "{stdout}");
    assert_eq!(server.requests(), 2);
    drop(server);

    let status = faasguard().args(["db", "status", "--db-dir"]).arg(db.path()).output().unwrap();
    let status_text = String::from_utf8_lossy(&status.stdout);
    assert_eq!(status.status.code(), Some(0));
    assert!(
        status_text.contains("1 advisories") && status_text.contains("/PyPI/all.zip"),
        "{status_text}"
    );

    // Offline now: the server is gone, the scan reads the database.
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), "requests==2.31.0\n");
    write(
        dir.path(),
        "js/package-lock.json",
        PACKAGE_LOCK.replace("node-serialize", "ms").replace("0.0.4", "2.1.2"),
    );
    let (report, stderr) = scan(dir.path(), &["--offline-db", db.path().to_str().unwrap()]);
    assert!(!stderr.contains("embedded snapshot"), "{stderr}");
    let ids: Vec<String> = with_rule(&report, "DEP001")
        .iter()
        .map(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .split(" is affected by ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["FIX-NPM-1", "FIX-PY-1"], "{:#?}", findings(&report));
    // The fixture database knows nothing of PyYAML: not the snapshot.
    assert!(
        with_rule(&report, "DEP001")
            .iter()
            .all(|f| f["message"].as_str().unwrap().contains("CVE-2099-"))
    );
}

#[test]
fn an_offline_db_directory_without_a_database_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), "PyYAML==3.13\n");
    let empty = tempfile::tempdir().unwrap();
    let out = faasguard()
        .args(["scan", "--offline-db"])
        .arg(empty.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("faasguard db update"));
}

#[test]
fn a_failed_update_names_the_url_and_exits_2() {
    let server = Server::start();
    let db = tempfile::tempdir().unwrap();
    let out = faasguard()
        .args(["db", "update", "--ecosystem", "PyPI", "--source", &server.url(), "--db-dir"])
        .arg(db.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}/PyPI/all.zip", server.url())), "{stderr}");
}

#[test]
fn missing_includes_and_unreadable_lockfiles_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), "-r base.txt\n-r common/shared.txt\nPyYAML==6.0.2\n");
    write(dir.path(), "py/common/shared.txt", "PyYAML==3.13\n");
    write(dir.path(), "js/package-lock.json", [0xff, 0xfe, 0x00, 0x01]);
    let (report, _) = scan(dir.path(), &[]);
    let problems: Vec<String> = with_rule(&report, "INP004")
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f["location"]["path"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        problems.iter().any(
            |p| p.starts_with("py/requirements.txt") && p.contains("`base.txt` does not exist")
        ),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("js/package-lock.json") && p.contains("could not be read")),
        "{problems:#?}"
    );
    // The included file is read and shipped like the one including it.
    let vulns = with_rule(&report, "DEP001");
    assert!(
        vulns.iter().any(|f| f["location"]["path"] == "py/common/shared.txt"
            && f["message"].as_str().unwrap().contains("CVE-2017-18342")),
        "{:#?}",
        findings(&report)
    );
}

#[test]
fn sbom_in_both_formats_lists_packages_and_their_functions() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path(), "PyYAML==3.13\n");
    // The documents' schema validity is tested on the reporters themselves
    // (faasguard_report/tests/sbom.rs); here, what the command puts in.
    for (format, version_field) in
        [("cyclonedx", "\"specVersion\":\"1.5\""), ("spdx", "\"spdxVersion\":\"SPDX-2.3\"")]
    {
        let out = faasguard()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["sbom", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = doc.to_string();
        assert!(text.contains(version_field), "{format}: {text}");
        assert!(text.contains("pkg:pypi/pyyaml@3.13"), "{format}: {text}");
        assert!(text.contains("pkg:npm/node-serialize@0.0.4"), "{format}: {text}");
        assert!(text.contains("template.yaml/Parse"), "{format}: {text}");
        // Reproducible with SOURCE_DATE_EPOCH.
        let again = faasguard()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["sbom", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.stdout, again.stdout, "{format} is deterministic");
    }
}

//! Hostile input: each case must end in bounded time (the command has a
//! timeout, see `common::BOUND`), without a panic, with a `parse-error`
//! finding that names the file.

mod common;

use common::{parse_errors, scan_json, write};

fn scan_parse_errors(files: &[(&str, Vec<u8>)], path: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    for (rel, contents) in files {
        write(dir.path(), rel, contents);
    }
    let report = scan_json(dir.path());
    let found: Vec<serde_json::Value> = parse_errors(&report, path).into_iter().cloned().collect();
    assert!(!found.is_empty(), "a parse-error in {path}: {report:#}");
    found
}

fn assert_one_parse_error(files: &[(&str, Vec<u8>)], path: &str) -> serde_json::Value {
    let mut found = scan_parse_errors(files, path);
    assert_eq!(found.len(), 1, "one parse-error in {path}: {found:#?}");
    found.remove(0)
}

/// A cut-off tree may also break the template's structure, so depth cases
/// accept several findings as long as one names the nesting.
fn assert_depth_error(files: &[(&str, Vec<u8>)], path: &str) {
    let found = scan_parse_errors(files, path);
    assert!(
        found.iter().any(|f| {
            let m = f["message"].as_str().unwrap().to_lowercase();
            ["deep", "depth", "nest", "recursion"].iter().any(|w| m.contains(w))
        }),
        "{found:#?}"
    );
}

const CFN_HEAD: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n";

#[test]
fn yaml_alias_bomb() {
    let mut doc = String::from(CFN_HEAD);
    doc.push_str("  Bomb:\n    Type: AWS::S3::Bucket\n    Metadata:\n");
    doc.push_str("      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        doc.push_str(&format!(
            "      l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
        ));
    }
    let f = assert_one_parse_error(&[("template.yaml", doc.into_bytes())], "template.yaml");
    assert!(f["message"].as_str().unwrap().to_lowercase().contains("alias"), "{f:#}");
}

#[test]
fn yaml_nested_deeper_than_256() {
    let depth = 300;
    let doc = format!(
        "{CFN_HEAD}  Deep:\n    Type: AWS::S3::Bucket\n    Metadata: {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert_depth_error(&[("deep.yaml", doc.into_bytes())], "deep.yaml");
}

#[test]
fn json_nested_deeper_than_256() {
    let depth = 300;
    let doc = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"Deep\": \
         {{\"Type\": \"AWS::S3::Bucket\", \"Metadata\": {}1{}}}}}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert_depth_error(&[("deep.json", doc.into_bytes())], "deep.json");
}

#[test]
fn template_over_20_mb() {
    let mut doc = String::from(CFN_HEAD);
    doc.push_str("  Bucket:\n    Type: AWS::S3::Bucket\n");
    let line = "# padding padding padding padding padding padding padding padding\n";
    while doc.len() <= 21 * 1024 * 1024 {
        doc.push_str(line);
    }
    let f = assert_one_parse_error(&[("big/template.yaml", doc.into_bytes())], "big/template.yaml");
    assert!(f["message"].as_str().unwrap().contains("limit"), "{f:#}");
}

#[test]
fn binary_file_named_like_a_template() {
    let mut bytes = CFN_HEAD.as_bytes().to_vec();
    bytes.extend([0u8, 1, 2, 0, 0, 255, 0]);
    let f = assert_one_parse_error(&[("template.yaml", bytes)], "template.yaml");
    assert!(f["message"].as_str().unwrap().contains("NUL"), "{f:#}");
}

#[test]
fn non_utf8_template() {
    let mut bytes = CFN_HEAD.as_bytes().to_vec();
    bytes.extend(b"  Bucket:\n    Type: AWS::S3::Bucket\n    Description: caf\xe9\n");
    let f = assert_one_parse_error(&[("template.yaml", bytes)], "template.yaml");
    assert!(f["message"].as_str().unwrap().contains("UTF-8"), "{f:#}");
}

#[test]
fn images_and_other_binaries_are_not_candidates() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "logo.png", [0x89, b'P', b'N', b'G', 0, 0, 0, 0x0d]);
    write(dir.path(), "lib.so", [0x7f, b'E', b'L', b'F', 0, 0]);
    let report = scan_json(dir.path());
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["summary"]["files_seen"], 2);
}

#[cfg(unix)]
#[test]
fn symlink_loop_terminates_with_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/template.yaml", common::HIGH_TEMPLATE);
    std::os::unix::fs::symlink("..", dir.path().join("app/loop")).unwrap();
    let report = scan_json(dir.path());
    let f = parse_errors(&report, "app/loop");
    assert_eq!(f.len(), 1, "{report:#}");
    assert!(f[0]["message"].as_str().unwrap().contains("loop"), "{:#}", f[0]);
    // The rest of the tree is still scanned, once.
    let in_template = common::findings(&report)
        .iter()
        .filter(|f| f["location"]["path"] == "app/template.yaml")
        .count();
    assert!(in_template > 0, "{report:#}");
}

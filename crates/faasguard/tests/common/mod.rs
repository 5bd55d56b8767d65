//! Helpers shared by the CLI tests: running the binary and reading its JSON.
#![allow(dead_code, unreachable_pub)]

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// A SAM function with a public function URL and no critical problem.
pub const HIGH_TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: NONE
";

/// The time any scan of a small, hostile directory may take. Generous for a
/// loaded 2-core machine, but far below what an alias bomb or a hang needs.
pub const BOUND: Duration = Duration::from_secs(60);

pub fn faasguard() -> Command {
    let mut cmd = Command::cargo_bin("faasguard").expect("binary built");
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").timeout(BOUND);
    cmd
}

/// `faasguard scan DIR --format json --fail-on none`, parsed.
pub fn scan_json(dir: &Path) -> Value {
    let out = faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none"])
        .arg(dir)
        .output()
        .expect("faasguard runs");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

pub fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

/// The `parse-error` findings located in `path`.
pub fn parse_errors<'a>(report: &'a Value, path: &str) -> Vec<&'a Value> {
    findings(report)
        .iter()
        .filter(|f| f["rule"] == "parse-error" && f["location"]["path"] == path)
        .collect()
}

pub fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, contents).expect("write fixture");
}

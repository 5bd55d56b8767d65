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

/// A safety net, not a performance claim: a child still running after this
/// long is hung (a loop the budgets failed to cut), so it is killed and the
/// test fails instead of stalling CI. Deliberately generous (a debug build
/// on a loaded machine scans these small fixtures in seconds); no test
/// measures how fast a scan is: `bench/corpus.sh` does.
pub const BOUND: Duration = Duration::from_secs(300);

/// The `faasguard` binary, killed if it outlives [`BOUND`].
pub fn faasguard() -> Command {
    let mut cmd = Command::cargo_bin("faasguard").expect("binary built");
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").timeout(BOUND);
    // Never the user's downloaded advisory database: scans in tests use the
    // embedded snapshot unless a test points them at a database it made.
    cmd.env("FAASGUARD_DB_DIR", std::env::temp_dir().join("faasguard-tests-no-database"));
    cmd
}

/// Why a child that exited without a status code ended: a signal, which
/// is `SIGKILL` when [`BOUND`] ran out (assert_cmd kills it then).
fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        match status.signal() {
            Some(9) => format!(
                "killed (SIGKILL): still running after the {}s safety-net timeout (a hang), \
                 or out of memory",
                BOUND.as_secs()
            ),
            Some(6) => "aborted (SIGABRT: a stack overflow or a failed assertion)".to_owned(),
            Some(sig) => format!("killed by signal {sig}"),
            None => status.to_string(),
        }
    }
    #[cfg(not(unix))]
    {
        status.to_string()
    }
}

/// `faasguard scan DIR --format json --fail-on none`, parsed.
pub fn scan_json(dir: &Path) -> Value {
    let out = faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none"])
        .arg(dir)
        .output()
        .expect("faasguard runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some(),
        "faasguard scan {}: {}; stderr: {stderr}",
        dir.display(),
        describe_exit(out.status)
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
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

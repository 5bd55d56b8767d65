//! Format parity: the example app written four times (SAM, raw
//! CloudFormation, Serverless Framework, Terraform) must give the same
//! (rule, function) findings, because rules are written once against the
//! model. A difference means a loader models something differently.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::scan_json;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

fn rule_function_pairs(dir: &str) -> BTreeSet<(String, String)> {
    let report = scan_json(&Path::new(EXAMPLES).join(dir));
    let findings = report["findings"].as_array().expect("findings");
    findings
        .iter()
        .map(|f| {
            let function = f["subject"]["function"].as_str().unwrap_or("-").to_string();
            (f["code"].as_str().unwrap().to_string(), function)
        })
        .collect()
}

#[test]
fn every_format_gives_the_same_findings_per_function() {
    let sam = rule_function_pairs("vulnerable-sam-app");
    assert!(
        sam.iter().all(|(code, _)| code != "INP001"),
        "the SAM example must load without parse errors: {sam:?}"
    );
    let rules: BTreeSet<&str> = sam.iter().map(|(c, _)| c.as_str()).collect();
    assert!(rules.len() >= 5, "the example exercises many rules: {rules:?}");
    for dir in ["parity/cloudformation", "parity/serverless", "parity/terraform"] {
        let other = rule_function_pairs(dir);
        let missing: Vec<_> = sam.difference(&other).collect();
        let extra: Vec<_> = other.difference(&sam).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{dir} differs from the SAM app:\n  missing {missing:?}\n  extra {extra:?}"
        );
    }
}

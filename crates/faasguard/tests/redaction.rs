//! Secret values never reach any output: not in messages (rules redact
//! them) and not in quoted source (the text reporter masks their spans).

mod common;

use std::path::Path;

use common::faasguard;

const SECRETS: &[&str] = &["Winter2026-orders-Pa55!", "ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ"];

#[test]
fn example_secrets_appear_in_no_output_format() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/vulnerable-sam-app");
    let text = std::fs::read_to_string(example.join("template.yaml")).unwrap();
    for secret in SECRETS {
        assert!(text.contains(secret), "the example holds {secret}, so this test can fail");
    }
    for format in ["text", "json", "sarif"] {
        let out = faasguard()
            .args(["scan", "--fail-on", "none", "--color", "never", "--format", format])
            .arg(&example)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("SEC001"), "{format} output reports the secrets");
        for secret in SECRETS {
            // Any 8 characters of the secret would already say too much.
            for window in secret.as_bytes().windows(8) {
                let piece = std::str::from_utf8(window).unwrap();
                assert!(!stdout.contains(piece), "{format} output leaks `{piece}`");
            }
        }
    }
}

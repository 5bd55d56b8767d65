//! Token formats that are secrets whatever they are assigned to.

use crate::Context;
use crate::values::{documentation_sample, entropy};

/// Token prefixes documented by their issuers: (prefix, what, minimum
/// tail length, tail characters besides alphanumerics). Tails are loose on
/// length so that a format change does not silently stop detection.
const PREFIXED: &[(&str, &str, usize, &str)] = &[
    ("ghp_", "GitHub token", 30, ""),
    ("gho_", "GitHub token", 30, ""),
    ("ghu_", "GitHub token", 30, ""),
    ("ghs_", "GitHub token", 30, ""),
    ("ghr_", "GitHub token", 30, ""),
    ("github_pat_", "GitHub token", 30, "_"),
    ("glpat-", "GitLab token", 20, "_-"),
    ("xoxb-", "Slack token", 10, "-"),
    ("xoxa-", "Slack token", 10, "-"),
    ("xoxp-", "Slack token", 10, "-"),
    ("xoxo-", "Slack token", 10, "-"),
    ("xoxs-", "Slack token", 10, "-"),
    ("xoxr-", "Slack token", 10, "-"),
    ("sk_live_", "Stripe live key", 20, ""),
    ("rk_live_", "Stripe live key", 20, ""),
    ("npm_", "npm token", 36, ""),
];

/// Connection-string keys (matched without regard to case) whose value is
/// an Azure storage or Service Bus key.
const AZURE_KEYS: &[&str] = &["accountkey=", "sharedaccesskey="];

/// Well-known token formats anywhere in `value`: the first found.
pub fn format(value: &str, ctx: Context) -> Option<&'static str> {
    let value = value.trim();
    if value.len() < 16 || documentation_sample(value, ctx) {
        return None;
    }
    let b = value.as_bytes();
    for i in 0..b.len() {
        let rest = &b[i..];
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let Some(&first) = rest.first() else { break };
        // Most bytes start no format: skip them before any comparison.
        if !matches!(
            first,
            b'A' | b'a' | b'g' | b'x' | b's' | b'S' | b'r' | b'n' | b'e' | b'-' | b'h'
        ) {
            continue;
        }
        if boundary && (rest.starts_with(b"AKIA") || rest.starts_with(b"ASIA")) {
            let tail = run(&rest[4..], |c| c.is_ascii_uppercase() || c.is_ascii_digit());
            if tail == 16 && random_enough(&rest[4..20]) {
                return Some("AWS access key id");
            }
        }
        if rest.starts_with(b"-----BEGIN ")
            && let Some(end) = find(rest, b"PRIVATE KEY")
            && end < 40
            && private_key_body(&rest[end..], ctx)
        {
            return Some("private key");
        }
        if boundary && let Some(what) = at_boundary(rest) {
            return Some(what);
        }
    }
    None
}

/// Whether what follows a PEM private-key header makes it a key. In code a
/// header alone is a marker that code compares against, so a key needs its
/// body; a configuration value holding the header is a pasted key, often
/// cut at the first line break by the template, so the header is enough.
fn private_key_body(after: &[u8], ctx: Context) -> bool {
    if ctx == Context::Environment {
        return true;
    }
    let body =
        after.iter().position(|&c| c == b'\n' || c == b'\\').map_or(&[][..], |p| &after[p..]);
    let base64 =
        body.iter().filter(|c| c.is_ascii_alphanumeric() || **c == b'+' || **c == b'/').count();
    base64 >= 64
}

/// The formats that start at a word boundary.
fn at_boundary(rest: &[u8]) -> Option<&'static str> {
    for (prefix, what, min, extra) in PREFIXED {
        if let Some(tail) = rest.strip_prefix(prefix.as_bytes()) {
            let n = run(tail, |c| c.is_ascii_alphanumeric() || extra.as_bytes().contains(&c));
            if n >= *min && random_enough(&tail[..n]) {
                return Some(what);
            }
        }
    }
    if let Some(tail) = rest.strip_prefix(b"AIza") {
        let n = run(tail, |c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
        if n == 35 && random_enough(&tail[..n]) {
            return Some("Google API key");
        }
    }
    if let Some(tail) = rest.strip_prefix(b"https://hooks.slack.com/services/T") {
        let n = run(tail, |c| c.is_ascii_alphanumeric() || c == b'/');
        if n >= 20 && tail[..n].iter().filter(|&&c| c == b'/').count() == 2 {
            return Some("Slack webhook URL");
        }
    }
    if let Some(tail) = rest.strip_prefix(b"SG.") {
        let part = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        let a = run(tail, part);
        if a == 22 && tail.get(22) == Some(&b'.') && run(&tail[23..], part) == 43 {
            return Some("SendGrid API key");
        }
    }
    if rest.starts_with(b"eyJ") && jwt(rest) {
        return Some("JSON Web Token");
    }
    for key in AZURE_KEYS {
        let n = key.len();
        if rest.len() > n && rest[..n].eq_ignore_ascii_case(key.as_bytes()) {
            let tail = &rest[n..];
            let k = run(tail, |c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/');
            if k >= 20 && random_enough(&tail[..k]) {
                return Some("Azure storage or service bus key");
            }
        }
    }
    None
}

/// `eyJ<header>.eyJ<payload>.<signature>`.
fn jwt(s: &[u8]) -> bool {
    let part = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let h = run(s, part);
    if h < 10 || s.get(h) != Some(&b'.') {
        return false;
    }
    let p = &s[h + 1..];
    p.starts_with(b"eyJ") && run(p, part) >= 10
}

fn run(s: &[u8], ok: impl Fn(u8) -> bool) -> usize {
    s.iter().take_while(|&&c| ok(c)).count()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle).map(|p| p + needle.len())
}

/// A token's tail that is not `xxxx...` or `0000...`: documentation
/// writes those where a real token would go.
fn random_enough(tail: &[u8]) -> bool {
    let s = String::from_utf8_lossy(tail);
    entropy(&s) >= 2.5 && !s.to_ascii_lowercase().contains("xxxx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_code() {
        let cases = [
            ("AKIAZ7QK3M2XN4PLWEVB", "AWS access key id"),
            ("key=ASIAZ7QK3M2XN4PLWEVB;", "AWS access key id"),
            ("ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ", "GitHub token"),
            ("xoxb-1234567890-abcdefghijkl", "Slack token"),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "Stripe live key"),
            ("AIzaSyD3x9Kq7Lm2Np4Rs6Tu8Vw0Xy1Za3Bc5De", "Google API key"),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "JSON Web Token",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA7bq3ZmD4nVn9XQ2yL1zW8rT5uK3pH6sF0gJ2aC4eB7dM9xN1vR8tY5wQ3zL6kP0hS2jU4iG7fE9cA1bD3nM5qW8rT6yU0iO2pL4kJ7hG9fD1sA3zX5cV7bN\\n-----END RSA PRIVATE KEY-----",
                "private key",
            ),
        ];
        for (v, what) in cases {
            assert_eq!(format(v, Context::Code), Some(what), "{v}");
        }
        for v in [
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "-----BEGIN RSA PRIVATE KEY-----",
            "if line.startswith('-----BEGIN PRIVATE KEY-----')",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "XAKIAZ7QK3M2XN4PLWEVB",
            "just some text about tokens and keys",
        ] {
            assert_eq!(format(v, Context::Code), None, "{v}");
        }
    }

    #[test]
    fn a_private_key_header_is_enough_in_configuration() {
        assert_eq!(
            format("-----BEGIN PRIVATE KEY-----", Context::Environment),
            Some("private key")
        );
        assert_eq!(format("-----BEGIN PRIVATE KEY-----", Context::Code), None);
    }
}

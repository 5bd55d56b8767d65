//! Telling a hard-coded credential apart from the other strings of a
//! program, by its format or by the name it is assigned to.
//!
//! The name rules follow the linter's `secret-in-environment`
//! (`DB_PASSWORD` is a secret, `DB_PASSWORD_SECRET_ARN` is about one);
//! code adds names that hold no secret however they are spelled
//! (`next_token`, `password_field`). Values must look like secrets, not
//! like placeholders, lookups, pointers or prose.

use std::collections::HashMap;

/// What a literal was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Detection {
    /// A noun phrase for messages: "GitHub token", "literal password".
    pub(super) what: &'static str,
    /// Recognised by its format (whatever it is assigned to).
    pub(super) by_format: bool,
}

/// Well-known token formats anywhere in `value`: the first found.
pub(super) fn format(value: &str) -> Option<&'static str> {
    if value.len() < 16 || value.contains("EXAMPLE") || value.contains("example") {
        return None;
    }
    let b = value.as_bytes();
    for i in 0..b.len() {
        let rest = &b[i..];
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let Some(&first) = rest.first() else { break };
        if !matches!(
            first,
            b'A' | b'a' | b'g' | b'x' | b's' | b'r' | b'n' | b'S' | b'e' | b'-' | b'h'
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
        {
            // A header alone is a marker code compares against; a key has a body.
            let after = &rest[end..];
            let body = after
                .iter()
                .position(|&c| c == b'\n' || c == b'\\')
                .map_or(&[][..], |p| &after[p..]);
            let base64 = body
                .iter()
                .filter(|c| c.is_ascii_alphanumeric() || **c == b'+' || **c == b'/')
                .count();
            if base64 >= 64 {
                return Some("private key");
            }
        }
        if boundary {
            for (prefix, what, min, extra) in PREFIXED {
                if rest.starts_with(prefix.as_bytes()) {
                    let tail = &rest[prefix.len()..];
                    let n =
                        run(tail, |c| c.is_ascii_alphanumeric() || extra.as_bytes().contains(&c));
                    if n >= *min && random_enough(&tail[..n]) {
                        return Some(what);
                    }
                }
            }
            if rest.starts_with(b"AIza") {
                let n = run(&rest[4..], |c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
                if n == 35 && random_enough(&rest[4..39]) {
                    return Some("Google API key");
                }
            }
            if rest.starts_with(b"https://hooks.slack.com/services/T") {
                let n = run(&rest[33..], |c| c.is_ascii_alphanumeric() || c == b'/');
                if n >= 20 && rest[33..33 + n].iter().filter(|&&c| c == b'/').count() == 2 {
                    return Some("Slack webhook URL");
                }
            }
            if rest.starts_with(b"SG.") {
                let a = run(&rest[3..], |c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
                if a == 22 && rest.get(25) == Some(&b'.') {
                    let c =
                        run(&rest[26..], |c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
                    if c == 43 {
                        return Some("SendGrid API key");
                    }
                }
            }
            if rest.starts_with(b"eyJ") && jwt(rest) {
                return Some("JSON Web Token");
            }
        }
    }
    None
}

/// Token prefixes documented by their issuers: (prefix, what, minimum
/// tail length, tail characters besides alphanumerics).
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

/// A tail of a token that is not `xxxx...` or `0000...`.
fn random_enough(tail: &[u8]) -> bool {
    let s = String::from_utf8_lossy(tail);
    entropy(&s) >= 2.5 && !s.to_ascii_lowercase().contains("xxxx")
}

/// The words of a name in upper case: `dbPassword`, `DB_PASSWORD`, `db-password` give `["DB", "PASSWORD"]`.
pub(super) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev = None;
            continue;
        }
        if prev.is_some_and(|p| p.is_ascii_lowercase() && ch.is_ascii_uppercase())
            && !cur.is_empty()
        {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(ch.to_ascii_uppercase());
        prev = Some(ch);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// What comes before `KEY` when the key is a secret rather than a lookup key.
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "PRIVATE",
    "SECRET",
    "ACCESS",
    "SIGNING",
    "ENCRYPTION",
    "MASTER",
    "AUTH",
    "HMAC",
    "ACCOUNT",
    "APP",
    "CLIENT",
    "SESSION",
    "LICENSE",
    "SHARED",
];

/// Words after the secret word that make the name about the secret: its
/// id, where it is kept, how long it lives, how it is checked or shown.
const METADATA: &[&str] = &[
    "ARN",
    "NAME",
    "NAMES",
    "ID",
    "IDS",
    "PATH",
    "PARAM",
    "PARAMS",
    "PARAMETER",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "TABLE",
    "BUCKET",
    "QUEUE",
    "TOPIC",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "EXPIRED",
    "LIFETIME",
    "TIMEOUT",
    "AGE",
    "LENGTH",
    "LEN",
    "SIZE",
    "MIN",
    "MAX",
    "COUNT",
    "LIMIT",
    "HEADER",
    "HEADERS",
    "FIELD",
    "FIELDS",
    "TYPE",
    "VERSION",
    "REGION",
    "ROTATION",
    "POLICY",
    "FILE",
    "DIR",
    "LOCATION",
    "ENABLED",
    "DISABLED",
    "MODE",
    "ALGORITHM",
    "ALG",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
    "USER",
    "USERNAME",
    "ALIAS",
    "PREFIX",
    "SUFFIX",
    "FORMAT",
    "STORE",
    "PROVIDER",
    "SOURCE",
    "REF",
    "VAULT",
    "KMS",
    "HASH",
    "HASHED",
    "VALIDATION",
    "VALID",
    "INVALID",
    "LOGIN",
    "RESET",
    "REQUIRED",
    "PATTERN",
    "REGEX",
    "RULES",
    "POLICIES",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "DAYS",
    "MS",
    "INTERVAL",
    "DURATION",
    "DELAY",
    "RETRIES",
    "ATTEMPTS",
    "THRESHOLD",
    "CACHE",
    "MANAGER",
    "CLIENT",
    "SERVICE",
    "LEVEL",
    "LOG",
    "DOMAIN",
    "CLAIM",
    "CLAIMS",
    "LABEL",
    "PROMPT",
    "MESSAGE",
    "MSG",
    "ERROR",
    "ERRORS",
    "HINT",
    "PLACEHOLDER",
    "KEYS",
    "SCHEMA",
    "STRENGTH",
    "POLICY",
    "CHANGED",
    "UPDATED",
    "CREATED",
    "AT",
    "PRESENT",
    "EXISTS",
    "ARGS",
    "OPTIONS",
    "CONFIG",
    "SETTINGS",
    "TEMPLATE",
    "INPUT",
    "VERSIONS",
    "STAGE",
    "STAGES",
    "LIST",
    "TYPES",
    "METADATA",
];

/// Whether a name is about a secret (its id, path, lifetime...) rather
/// than holding it: `secret_arn`, `username`, `db_host`.
pub(super) fn about_a_secret(name: &str) -> bool {
    words(name).iter().any(|w| METADATA.contains(&w.as_str()))
}

/// Words before `TOKEN` that make it a cursor or a nonce, not a credential.
const NOT_CREDENTIAL_TOKENS: &[&str] = &[
    "NEXT",
    "PAGE",
    "PAGINATION",
    "CONTINUATION",
    "SYNC",
    "CANCELLATION",
    "IDEMPOTENCY",
    "CSRF",
    "XSRF",
    "CLIENT",
    "CONTINUE",
    "START",
    "MARKER",
    "TASK",
    "LEXER",
];

/// The kind of secret a name announces (`password`, `token`, `API key`,
/// `key`, `credential`, `secret`), or `None`.
pub(super) fn secret_name(name: &str) -> Option<&'static str> {
    let words = words(name);
    let mut found: Option<(usize, &'static str)> = None;
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| words.get(p)).map(String::as_str);
        let last = i + 1 == words.len();
        let kind = word_kind(w, prev, last);
        if let Some(kind) = kind {
            let keep_secret = kind == "key" && found.is_some_and(|(_, k)| k != "key");
            found = Some((i, if keep_secret { found.map_or(kind, |(_, k)| k) } else { kind }));
        }
    }
    let (at, kind) = found?;
    let about =
        words.get(at + 1..).unwrap_or_default().iter().any(|w| METADATA.contains(&w.as_str()));
    (!about).then_some(kind)
}

fn word_kind(w: &str, prev: Option<&str>, last: bool) -> Option<&'static str> {
    if ["PASSWORD", "PASSWD", "PASSPHRASE"].iter().any(|s| w.contains(s))
        || w == "PWD"
        || (w == "PASS" && last)
    {
        return Some("password");
    }
    if w.contains("CREDENTIAL") || w == "CREDS" || w == "AUTHORIZATION" {
        return Some("credential");
    }
    if w.contains("SECRET") {
        return Some("secret");
    }
    if w.ends_with("TOKEN") {
        let cursor = w == "TOKEN" && prev.is_some_and(|p| NOT_CREDENTIAL_TOKENS.contains(&p));
        let compound = w.strip_suffix("TOKEN").is_some_and(|p| NOT_CREDENTIAL_TOKENS.contains(&p));
        return (!cursor && !compound).then_some("token");
    }
    if w == "APIKEY" || (w == "KEY" && prev == Some("API")) {
        return Some("API key");
    }
    let qualifier = match w.strip_suffix("KEY") {
        Some("") => prev,
        other => other,
    };
    qualifier.filter(|q| KEY_QUALIFIERS.contains(q)).map(|_| "key")
}

/// Values people write instead of a secret.
const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "replaceme",
    "replace_me",
    "todo",
    "tbd",
    "fixme",
    "placeholder",
    "dummy",
    "fake",
    "redacted",
    "example",
    "sample",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "notset",
    "not_set",
    "unset",
    "secret",
    "password",
    "token",
    "apikey",
    "api_key",
    "xxx",
    "test",
    "testing",
    "default",
    "mock",
    "admin",
    "root",
    "user",
    "guest",
    "letmein",
    "pass",
    "passwd",
];

/// A value that stands in for a secret rather than being one.
pub(super) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let wrapped = |open: &str, close: &str| v.starts_with(open) && v.ends_with(close);
    if v.is_empty()
        || wrapped("<", ">")
        || wrapped("${", "}")
        || wrapped("{{", "}}")
        || wrapped("%", "%")
        || wrapped("[", "]")
        || v.starts_with('$')
    {
        return true;
    }
    let mut chars = v.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return true;
    }
    PLACEHOLDERS.contains(&lower.as_str())
        || [
            "changeme",
            "change_me",
            "change-me",
            "replace",
            "placeholder",
            "example",
            "dummy",
            "xxxx",
            "****",
            "...",
            "your_",
            "your-",
            "insert",
        ]
        .iter()
        .any(|p| lower.contains(p))
        || lower.starts_with("your")
        || lower.starts_with("fake")
        || lower.starts_with("mock")
        || lower.starts_with("dummy")
}

/// A value that names where a secret is kept: an ARN, a parameter path, a
/// URL without a password, a vault reference.
pub(super) fn is_pointer(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let parameter_path = v.starts_with('/')
        && v.len() > 1
        && v.chars().all(|c| c.is_ascii_alphanumeric() || "/_.-{}".contains(c));
    let url = lower.contains("://") && !url_with_password(v);
    lower.starts_with("arn:")
        || parameter_path
        || url
        || lower.starts_with("ssm:")
        || lower.starts_with("secretsmanager:")
        || lower.starts_with("vault:")
        || lower.starts_with("@microsoft.keyvault(")
        || (lower.starts_with("projects/") && lower.contains("/secrets/"))
}

/// `scheme://user:password@host` with a password that is not a template.
pub(super) fn url_with_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else { return false };
    let Some((_, password)) = userinfo.split_once(':') else { return false };
    !password.is_empty() && !is_placeholder(password) && !password.contains(['{', '%'])
}

/// Whether a literal assigned to a secret-named target looks like a real
/// secret: long enough, one token, mixed, random enough, not a template.
pub(super) fn secret_like(value: &str) -> bool {
    let v = value.trim();
    let n = v.chars().count();
    if !(8..=4096).contains(&n)
        || v.chars().any(char::is_whitespace)
        || is_placeholder(v)
        || is_pointer(v)
        || v.contains("%s")
        || v.contains("%(")
        || (v.contains('{') && v.contains('}'))
        || v.contains("\\n")
    {
        return false;
    }
    let upper = v.bytes().any(|b| b.is_ascii_uppercase());
    let lower = v.bytes().any(|b| b.is_ascii_lowercase());
    let digit = v.bytes().any(|b| b.is_ascii_digit());
    let symbol = v.bytes().any(|b| !b.is_ascii_alphanumeric() && !b"-_./:".contains(&b));
    let classes = [upper, lower, digit, symbol].iter().filter(|&&x| x).count();
    if !upper && !lower {
        // Numbers, dates, versions, IP addresses.
        return false;
    }
    let e = entropy(v);
    let needed = (0.8 * (n as f64).log2()).min(3.0);
    if (digit || symbol) && classes >= 2 && e >= needed {
        return !wordy(v) || symbol || digit_groups(v) >= 2;
    }
    n >= 20 && e >= 3.5 && !wordy(v)
}

/// An AWS secret access key's shape: 40 characters of base64, mixed.
pub(super) fn aws_secret_shape(value: &str) -> bool {
    let v = value.trim();
    v.len() == 40
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
        && v.bytes().any(|b| b.is_ascii_digit())
        && !v.contains("EXAMPLE")
}

/// `Bearer <token>` / `Basic <credentials>` written out.
pub(super) fn authorization_value(value: &str) -> bool {
    let v = value.trim();
    let token = v
        .strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("Basic "))
        .or_else(|| v.strip_prefix("token "));
    token.is_some_and(|t| t.len() >= 16 && secret_like(t))
}

fn digit_groups(v: &str) -> usize {
    v.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).count()
}

/// Made of dictionary-looking words (`OrdersTable`, `content-type`).
fn wordy(v: &str) -> bool {
    v.split(['-', '_', '/', '.', ':'])
        .filter(|s| !s.is_empty())
        .all(|s| s.bytes().all(|b| b.is_ascii_alphabetic()) && is_words(s))
}

/// `orders`, `Orders`, `OrdersTable`: letters, each capital starting a
/// lower-case run of at least two.
fn is_words(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_uppercase() {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_lowercase() {
            i += 1;
        }
        if i - start < 2 {
            return false;
        }
    }
    true
}

/// Shannon entropy in bits per character.
pub(super) fn entropy(s: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts.values().map(|&k| k as f64 / n).map(|p| -p * p.log2()).sum()
}

/// Whether a literal could be a credential once its name is known (cheap,
/// before looking for the name); format matches are checked apart.
pub(super) fn maybe_secret(value: &str) -> bool {
    url_with_password(value)
        || authorization_value(value)
        || aws_secret_shape(value)
        || secret_like(value)
}

/// A literal `value` assigned to (or compared with, or defaulting) a
/// target named `name` (if any): what it is when it is a credential.
pub(super) fn classify(name: Option<&str>, value: &str) -> Option<Detection> {
    if let Some(what) = format(value) {
        return Some(Detection { what, by_format: true });
    }
    if url_with_password(value) {
        return Some(Detection { what: "password in a connection URL", by_format: true });
    }
    if authorization_value(value) {
        return Some(Detection { what: "authorization header value", by_format: true });
    }
    let name = name?;
    let kind = secret_name(name)?;
    let upper = name.to_ascii_uppercase();
    if (upper.contains("SECRET") || upper.contains("AWS")) && aws_secret_shape(value) {
        return Some(Detection { what: "AWS secret access key", by_format: true });
    }
    if !secret_like(value) {
        return None;
    }
    let what = match kind {
        "password" => "literal password",
        "token" => "literal token",
        "API key" => "literal API key",
        "key" => "literal key",
        "credential" => "literal credential",
        _ => "literal secret",
    };
    Some(Detection { what, by_format: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
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
            assert_eq!(format(v), Some(what), "{v}");
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
            assert_eq!(format(v), None, "{v}");
        }
    }

    #[test]
    fn names() {
        for (n, k) in [
            ("password", "password"),
            ("DB_PASSWORD", "password"),
            ("api_key", "API key"),
            ("apiKey", "API key"),
            ("SECRET_KEY", "secret"),
            ("aws_secret_access_key", "secret"),
            ("token", "token"),
            ("accessToken", "token"),
            ("JWT_SECRET", "secret"),
            ("private_key", "key"),
        ] {
            assert_eq!(secret_name(n), Some(k), "{n}");
        }
        for n in [
            "next_token",
            "NextToken",
            "pagination_token",
            "secret_name",
            "SECRET_ARN",
            "password_field",
            "token_url",
            "TOKEN_ENDPOINT",
            "password_hash",
            "key",
            "s3_key",
            "table",
            "csrf_token",
            "secret_id",
        ] {
            assert_eq!(secret_name(n), None, "{n}");
        }
    }

    #[test]
    fn values() {
        for v in [
            "Winter2026-orders-Pa55!",
            "hunter22",
            "k8Jd02nXq9Lm4PzR7tVb3WcY",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
        ] {
            assert!(secret_like(v), "{v}");
        }
        for v in [
            "changeme",
            "your-api-key-here",
            "<password>",
            "${DB_PASSWORD}",
            "Authorization",
            "prod/orders/db",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "2024-01-01",
            "Content-Type",
            "x-api-key",
            "{user}:{password}",
            "not a secret at all",
            "********",
            "OrdersTable",
        ] {
            assert!(!secret_like(v), "{v}");
        }
        assert!(url_with_password("postgres://app:Tr0ub4dor@db.internal:5432/orders"));
        assert!(!url_with_password("postgres://app:${DB_PASS}@db/orders"));
        assert!(!url_with_password("https://example.com/a:b@c"));
        assert!(aws_secret_shape("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3KeYPq9k"));
    }
}

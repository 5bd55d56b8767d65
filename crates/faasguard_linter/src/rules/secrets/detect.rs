//! Telling secrets apart from configuration, by variable name and by value.
//!
//! Shared by `secret-in-environment` (literal secrets) and
//! `secrets-without-customer-key` (secret-named variables). Everything here
//! errs towards silence on values that are plainly pointers to a secret
//! (ARNs, parameter paths, vault URLs) or placeholders, because a scanner
//! that cries wolf on `DB_PASSWORD_SECRET_ARN` gets switched off.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// What a value was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Detection {
    /// A noun phrase for messages: "GitHub token", "literal password".
    pub(crate) what: &'static str,
    /// Recognised by its format or by its name; `false` for values flagged
    /// only because they look random, which are sometimes not secrets.
    pub(crate) certain: bool,
}

/// Token formats that are secrets whatever the variable is called. Each
/// prefix is documented by its issuer; the tails are loose on length so a
/// format change does not silently stop detection.
static FORMATS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        ("AWS access key id", r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
        ("private key", r"-----BEGIN[A-Z ]{0,20} PRIVATE KEY(?: BLOCK)?-----"),
        ("GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
        ("GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
        ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
        (
            "Slack webhook URL",
            r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+",
        ),
        ("Stripe live key", r"\b[sr]k_live_[A-Za-z0-9]{20,}"),
        ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}"),
        ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
        ("SendGrid API key", r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b"),
        ("JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
        (
            "Azure storage or service bus key",
            r"(?i)\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}",
        ),
    ]
    .into_iter()
    .filter_map(|(what, re)| Regex::new(re).ok().map(|re| (what, re)))
    .collect()
});

/// `scheme://user:password@host`: the password group is checked against
/// placeholders, since `${DB_PASS}` in a URL is a template, not a secret.
static URL_PASSWORD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@").ok());

/// `Password=...;` in a key-value connection string (ADO.NET, ODBC, JDBC
/// properties); the value group is checked against placeholders.
static KV_PASSWORD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]+)").ok());

/// The shape of an AWS secret access key (40 characters of base64).
static AWS_SECRET_SHAPE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9/+]{40}$").ok());

/// Words that make a variable a password wherever they appear in a name
/// part (`DBPASSWORD`, `adminPassphrase`); `SECRET` and `CREDENTIAL` work
/// the same way.
const PASSWORD_INFIXES: &[&str] = &["PASSWORD", "PASSWD", "PASSPHRASE"];

/// What comes before `KEY` when the key is a secret rather than a lookup key
/// (`S3_KEY`, `CACHE_KEY`, `KMS_KEY` are not).
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

/// Words after the secret word that turn the name into one about the secret
/// rather than the secret itself: `DB_PASSWORD_SECRET_ARN`, `TOKEN_TTL`.
const METADATA: &[&str] = &[
    "ARN",
    "NAME",
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
    "STREAM",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
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
    "FIELD",
    "TYPE",
    "VERSION",
    "REGION",
    "ROTATION",
    "POLICY",
    "FILE",
    "DIR",
    "LOCATION",
    "ENABLED",
    "ENABLE",
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
    "AUTH",
    "VALIDATION",
    "LOGIN",
    "RESET",
    "REQUIRED",
    "PATTERN",
    "REGEX",
    "RULES",
    "POLICIES",
    "SECONDS",
    "SECS",
    "MINUTES",
    "MINS",
    "HOURS",
    "DAYS",
    "MS",
    "MILLIS",
    "INTERVAL",
    "DURATION",
    "DELAY",
    "RETRIES",
    "ATTEMPTS",
    "THRESHOLD",
    "CACHE",
    "MANAGER",
    "EXTENSION",
    "LEVEL",
    "CONNECTIONS",
    "LOG",
    "DOMAIN",
    "CLAIM",
    "CLAIMS",
];

/// Values people write instead of a secret.
const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "replaceme",
    "replace_me",
    "replace-me",
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
    "n/a",
    "na",
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
    "insert",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "enabled",
    "disabled",
];

/// The words of a variable name in upper case: `dbPassword`, `DB_PASSWORD`
/// and `db-password` all give `["DB", "PASSWORD"]`.
fn words(name: &str) -> Vec<String> {
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
        let boundary = prev.is_some_and(|p| p.is_ascii_lowercase() && ch.is_ascii_uppercase());
        if boundary && !cur.is_empty() {
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

/// The kind of secret one word of a name announces, given the word before
/// it and whether it is the last.
fn word_kind(w: &str, prev: Option<&str>, last: bool) -> Option<&'static str> {
    if PASSWORD_INFIXES.iter().any(|s| w.contains(s)) || w == "PWD" || (w == "PASS" && last) {
        return Some("password");
    }
    if w.contains("CREDENTIAL") {
        return Some("credential");
    }
    if w.contains("SECRET") {
        return Some("secret");
    }
    if w.ends_with("TOKEN") {
        return Some("token");
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

/// The kind of secret a variable name announces (`password`, `token`,
/// `API key`, ...), or `None` when the name is not a secret's or is about a
/// secret (its ARN, its name, its lifetime).
pub(crate) fn secret_name(name: &str) -> Option<&'static str> {
    let words = words(name);
    let mut found: Option<(usize, &'static str)> = None;
    for (i, w) in words.iter().enumerate() {
        let w = w.as_str();
        let prev = i.checked_sub(1).map(|p| words[p].as_str());
        let kind = word_kind(w, prev, i + 1 == words.len());
        if let Some(kind) = kind {
            // `SECRET_KEY` is one secret, a key: the later word names it.
            let keep_secret = kind == "key" && found.is_some_and(|(_, k)| k != "key");
            found = Some((i, if keep_secret { found.map_or(kind, |(_, k)| k) } else { kind }));
        }
    }
    let (at, kind) = found?;
    let about_the_secret = words[at + 1..].iter().any(|w| METADATA.contains(&w.as_str()));
    (!about_the_secret).then_some(kind)
}

/// A value that stands in for a secret rather than being one.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let wrapped = |open: &str, close: &str| v.starts_with(open) && v.ends_with(close);
    if wrapped("<", ">")
        || wrapped("${", "}")
        || wrapped("{{", "}}")
        || wrapped("%", "%")
        || wrapped("[", "]")
        || is_shell_variable(v)
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
        || lower.contains("changeme")
        || lower.contains("change_me")
        || lower.contains("replace_me")
        || lower.contains("replace-me")
        || lower.starts_with("your")
}

/// `$DB_PASSWORD`, `${DB_PASSWORD}`, `$(DB_PASSWORD)`: filled in by a
/// shell or a pipeline, not a value. Lower case after `$` is a real value
/// that happens to start with a dollar sign.
fn is_shell_variable(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('$') else { return false };
    let inner = rest.trim_start_matches(['{', '(']).trim_end_matches(['}', ')']);
    !inner.is_empty()
        && inner.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A value that names where a secret is kept instead of holding it: an ARN,
/// a parameter path, a secret resource name, a vault URL.
pub(crate) fn is_pointer(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let parameter_path = v.starts_with('/')
        && v.len() > 1
        && v.chars().all(|c| c.is_ascii_alphanumeric() || "/_.-".contains(c));
    let plain_url = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !URL_PASSWORD.as_ref().is_some_and(|re| re.is_match(v));
    lower.starts_with("arn:")
        || parameter_path
        || plain_url
        || lower.starts_with("ssm:")
        || lower.starts_with("secretsmanager:")
        || lower.starts_with("secretmanager:")
        || lower.starts_with("vault:")
        || lower.starts_with("@microsoft.keyvault(")
        || (lower.starts_with("projects/") && lower.contains("/secrets/"))
}

/// What a literal environment value is, if it is a secret: recognised by its
/// format, by the variable's name, or (uncertain) by looking random.
pub(crate) fn classify(name: &str, value: &str) -> Option<Detection> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    for (what, re) in FORMATS.iter() {
        if re.is_match(v) {
            return Some(Detection { what, certain: true });
        }
    }
    if let Some(re) = URL_PASSWORD.as_ref()
        && let Some(pw) = re.captures(v).and_then(|c| c.get(1))
        && !is_placeholder(pw.as_str())
    {
        return Some(Detection { what: "password in a connection URL", certain: true });
    }
    if let Some(re) = KV_PASSWORD.as_ref()
        && let Some(pw) = re.captures(v).and_then(|c| c.get(1))
        && !is_placeholder(pw.as_str().trim())
    {
        return Some(Detection { what: "password in a connection string", certain: true });
    }
    if is_placeholder(v) || is_pointer(v) {
        return None;
    }
    let named = secret_name(name);
    let upper = name.to_ascii_uppercase();
    if named.is_some()
        && (upper.contains("AWS") || upper.contains("SECRET"))
        && AWS_SECRET_SHAPE.as_ref().is_some_and(|re| re.is_match(v))
        && looks_random(v)
    {
        return Some(Detection { what: "AWS secret access key", certain: true });
    }
    // A short number under a secret's name is a setting the name list
    // missed (`TOKEN_REFRESH_EVERY: 300`), not a password.
    let short_number = v.len() < 6 && v.bytes().all(|b| b.is_ascii_digit());
    if let Some(kind) = named.filter(|_| !short_number) {
        return Some(Detection { what: literal_kind(kind), certain: true });
    }
    let words = words(name);
    let public = words.iter().any(|w| w == "PUBLIC");
    let about = words.last().is_some_and(|w| METADATA.contains(&w.as_str()));
    if !public && !about && high_entropy(v) {
        return Some(Detection { what: "random-looking value", certain: false });
    }
    None
}

fn literal_kind(kind: &str) -> &'static str {
    match kind {
        "password" => "literal password",
        "token" => "literal token",
        "API key" => "literal API key",
        "key" => "literal key",
        "credential" => "literal credential",
        _ => "literal secret",
    }
}

/// Upper case, lower case and digits all present: generated, not typed.
fn looks_random(v: &str) -> bool {
    v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
        && v.bytes().any(|b| b.is_ascii_digit())
}

/// A long single token of base64-ish characters with several digit groups,
/// no dictionary-looking segment and high character entropy: how generated
/// keys look, and how resource names (`MyStack-OrdersTable-1A2B3C`) and
/// identifiers (`OrdersServiceV2`) do not.
fn high_entropy(v: &str) -> bool {
    let core = v.trim_end_matches('=');
    if core.len() < 24
        || !core.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/_-".contains(&b))
        || !core.bytes().any(|b| b.is_ascii_uppercase())
        || !core.bytes().any(|b| b.is_ascii_lowercase())
    {
        return false;
    }
    let digit_groups = core.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).count();
    if digit_groups < 2 {
        return false;
    }
    let wordy = core.split(['-', '_', '/', '+']).any(|s| s.len() >= 5 && is_words(s));
    !wordy && entropy(core) >= 4.0
}

/// `orders`, `Orders`, `OrdersTable`: letters only, each capital starting a
/// lower-case run of at least two.
fn is_words(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
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
fn entropy(s: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    let n = n as f64;
    counts.values().map(|&k| k as f64 / n).map(|p| -p * p.log2()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_in_every_style() {
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(words("DB_PASSWORD"), ["DB", "PASSWORD"]);
        assert_eq!(words("db-password.v2"), ["DB", "PASSWORD", "V2"]);
        assert_eq!(words("APIKey"), ["APIKEY"]);
    }

    #[test]
    fn secret_names() {
        for (name, kind) in [
            ("DB_PASSWORD", "password"),
            ("dbPassword", "password"),
            ("DBPASSWORD", "password"),
            ("MYSQL_PWD", "password"),
            ("DB_PASS", "password"),
            ("DB_PASSWORD_PROD", "password"),
            ("GITHUB_TOKEN", "token"),
            ("accessToken", "token"),
            ("JWT_SECRET", "secret"),
            ("CLIENT_SECRET", "secret"),
            ("STRIPE_SECRET_KEY", "secret"),
            ("API_KEY", "API key"),
            ("apiKey", "API key"),
            ("X_APIKEY", "API key"),
            ("PRIVATE_KEY", "key"),
            ("SIGNING_KEY", "key"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("GOOGLE_CREDENTIALS", "credential"),
        ] {
            assert_eq!(secret_name(name), Some(kind), "{name}");
        }
        for name in [
            "TABLE_NAME",
            "DB_PASSWORD_SECRET_ARN",
            "SECRET_ARN",
            "SECRET_NAME",
            "TOKEN_TTL",
            "TOKEN_TABLE",
            "PASSWORD_MIN_LENGTH",
            "S3_KEY",
            "CACHE_KEY",
            "KMS_KEY_ID",
            "AWS_ACCESS_KEY_ID",
            "PASS_THROUGH",
            "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
            "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED",
            "SECRETS_MANAGER_TTL",
            "TOKEN_REFRESH_SECONDS",
            "TOKENIZER_MODEL",
            "ENABLE_TOKEN_AUTH",
            "API_URL",
            "DB_USER",
        ] {
            assert_eq!(secret_name(name), None, "{name}");
        }
    }

    #[test]
    fn placeholders_and_pointers_are_not_secrets() {
        for v in [
            "",
            " ",
            "changeme",
            "CHANGE_ME",
            "<your-password>",
            "${DB_PASSWORD}",
            "{{x}}",
            "xxxxxx",
            "********",
            "TODO",
            "your-token-here",
            "none",
            "password",
            "false",
        ] {
            assert!(is_placeholder(v), "{v:?}");
        }
        for v in [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "/prod/orders/db-password",
            "https://vault.example.com/v1/secret/data/db",
            "projects/p/secrets/db/versions/latest",
        ] {
            assert!(is_pointer(v), "{v}");
        }
        assert!(!is_pointer("postgres://app:s3cr3t@db/orders"));
        assert!(!is_pointer("https://app:s3cr3t@db/orders"));
        // A connection string whose password is a placeholder is a template.
        assert_eq!(classify("DB", "Server=db;User ID=app;Password=${DB_PASSWORD};"), None);
    }

    #[test]
    fn formats_are_found_whatever_the_name() {
        let cases = [
            ("AKIAZ7QK3M2XN4PLWEVB", "AWS access key id"),
            ("ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ", "GitHub token"),
            ("github_pat_11ABCDEFG0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "GitHub token"),
            ("xoxb-1234567890-abcdefghijkl", "Slack token"),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "Stripe live key"),
            ("AIzaSyD3x9Kq7Lm2Np4Rs6Tu8Vw0Xy1Za3Bc5De", "Google API key"),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "private key"),
            ("-----BEGIN PRIVATE KEY-----", "private key"),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "JSON Web Token",
            ),
            (
                "DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy==",
                "Azure storage or service bus key",
            ),
            ("postgres://app:Tr0ub4dor@db.internal:5432/orders", "password in a connection URL"),
            (
                "Server=tcp:db.example.net,1433;Database=orders;User ID=app;Password=Tr0ub4dor&3;",
                "password in a connection string",
            ),
        ];
        for (value, what) in cases {
            let d = classify("SETTING", value).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(d.what, what, "{value}");
            assert!(d.certain);
        }
        assert_eq!(classify("DB_URL", "postgres://app:${DB_PASS}@db/orders"), None);
        assert_eq!(classify("DB_URL", "postgres://db.internal:5432/orders"), None);
    }

    #[test]
    fn names_make_literals_secrets() {
        let d = classify("DB_PASSWORD", "Winter2026-orders-Pa55!").unwrap();
        assert_eq!(d.what, "literal password");
        let d =
            classify("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").unwrap();
        assert_eq!(d.what, "AWS secret access key");
        assert_eq!(classify("DB_PASSWORD", "changeme"), None);
        assert_eq!(classify("DB_PASSWORD_PARAM", "/prod/db/password"), None);
        assert_eq!(classify("DB_SECRET", "arn:aws:secretsmanager:us-east-1:1:secret:db"), None);
        assert_eq!(classify("TABLE_NAME", "orders"), None);
        assert_eq!(classify("TOKEN_REFRESH_EVERY", "300"), None);
        assert!(classify("ADMIN_PIN_PASSWORD", "90210417").is_some());
    }

    #[test]
    fn random_values_are_uncertain_and_names_are_not_random() {
        let d = classify("UPSTREAM", "k8Jd02nXq9Lm4PzR7tVb3WcY").unwrap();
        assert!(!d.certain);
        for v in [
            "ThisIsMyVeryLongConfigValue123",
            "MyStack-OrdersTable-1A2B3C4D5E6F",
            "serverless-app-dev-ServerlessDeploymentBucket-1x2y3z",
            "Orders-V2-Prod-Stack-3-Beta-Replica1",
            "0b7c1f1e-2a57-4c1c-9d0e-7f7d5f0f6c11",
            "d41d8cd98f00b204e9800998ecf8427e",
            "com.example.orders.Handler::handleRequest",
        ] {
            assert_eq!(classify("SETTING", v), None, "{v}");
        }
        assert_eq!(classify("SIGNING_PUBLIC_KEY_B64", "k8Jd02nXq9Lm4PzR7tVb3WcY"), None);
        assert_eq!(classify("CLIENT_ID", "k8Jd02nXq9Lm4PzR7tVb3WcY"), None);
    }
}

//! Values that stand in for a secret (placeholders, pointers, templates)
//! and values that look like one.

use std::collections::HashMap;

use crate::Context;

/// Values people write instead of a secret, wherever they are found.
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

/// Values that code holds as test fixtures, defaults and values compared
/// against. Deployed configuration holding one of them is the function's
/// actual (weak) password, so they stand in for a secret only in code.
const CODE_PLACEHOLDERS: &[&str] = &[
    "test", "testing", "default", "mock", "admin", "root", "user", "guest", "letmein", "pass",
    "passwd",
];

/// Fragments that mark a code string as a sample or an elided value.
const CODE_PLACEHOLDER_PARTS: &[&str] = &[
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
];

/// A documentation example (`AKIAIOSFODNN7EXAMPLE`) in code, where samples
/// abound in tests and docstrings. Configuration is read as deployed: a
/// value there is what the function gets, so the exemption does not apply.
pub(crate) fn documentation_sample(value: &str, ctx: Context) -> bool {
    ctx == Context::Code && (value.contains("EXAMPLE") || value.contains("example"))
}

/// A value that stands in for a secret rather than being one.
pub fn is_placeholder(value: &str, ctx: Context) -> bool {
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
    let common = PLACEHOLDERS.contains(&lower.as_str())
        || ["changeme", "change_me", "change-me", "replace_me", "replace-me"]
            .iter()
            .any(|p| lower.contains(p))
        || lower.starts_with("your");
    common
        || (ctx == Context::Code
            && (v.starts_with('$')
                || CODE_PLACEHOLDERS.contains(&lower.as_str())
                || CODE_PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p))
                || ["fake", "mock", "dummy"].iter().any(|p| lower.starts_with(p))))
}

/// `$DB_PASSWORD`, `${DB_PASSWORD}`, `$(DB_PASSWORD)`: filled in by a shell
/// or a pipeline, not a value. In configuration, lower case after `$` is a
/// real value that happens to start with a dollar sign; code treats every
/// `$` string as interpolation (see `is_placeholder`).
fn is_shell_variable(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('$') else { return false };
    let inner = rest.trim_start_matches(['{', '(']).trim_end_matches(['}', ')']);
    !inner.is_empty()
        && inner.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A secret-shaped part of a larger value that is really a template:
/// `${DB_PASS}`, `{password}`, `%s`.
fn templated(part: &str, ctx: Context) -> bool {
    is_placeholder(part, ctx) || part.contains('{') || part.contains("%s") || part.contains("%(")
}

/// A value that names where a secret is kept instead of holding it: an
/// ARN, a parameter path, a URL without a password, a secret resource name,
/// a vault reference.
pub fn is_pointer(value: &str, ctx: Context) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let parameter_path = v.starts_with('/')
        && v.len() > 1
        && v.chars().all(|c| c.is_ascii_alphanumeric() || "/_.-{}".contains(c));
    let url = lower.contains("://") && !url_with_password(v, ctx);
    lower.starts_with("arn:")
        || parameter_path
        || url
        || lower.starts_with("ssm:")
        || lower.starts_with("secretsmanager:")
        || lower.starts_with("secretmanager:")
        || lower.starts_with("vault:")
        || lower.starts_with("@microsoft.keyvault(")
        || (lower.starts_with("projects/") && lower.contains("/secrets/"))
}

/// `scheme://user:password@host` with a password that is not a template.
pub fn url_with_password(value: &str, ctx: Context) -> bool {
    let Some((_, rest)) = value.trim().split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else { return false };
    let Some((_, password)) = userinfo.split_once(':') else { return false };
    !password.is_empty() && !templated(password, ctx)
}

/// `Password=...;` in a key-value connection string (ADO.NET, ODBC, JDBC
/// properties) with a password that is not a template.
pub fn kv_password(value: &str, ctx: Context) -> bool {
    value.split(';').any(|part| {
        let Some((key, password)) = part.split_once('=') else { return false };
        let key = key.trim();
        let password = password.trim();
        (key.eq_ignore_ascii_case("password") || key.eq_ignore_ascii_case("pwd"))
            && !password.is_empty()
            && !templated(password, ctx)
    })
}

/// Whether a literal under a secret's name looks like a real secret: long
/// enough, one token, mixed, random enough, not a template.
pub fn secret_like(value: &str) -> bool {
    let v = value.trim();
    let n = v.chars().count();
    if !(8..=4096).contains(&n)
        || v.chars().any(char::is_whitespace)
        || is_placeholder(v, Context::Code)
        || is_pointer(v, Context::Code)
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
pub fn aws_secret_shape(value: &str, ctx: Context) -> bool {
    let v = value.trim();
    v.len() == 40
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && looks_random(v)
        && !documentation_sample(v, ctx)
}

/// `Bearer <token>` / `Basic <credentials>` written out.
pub fn authorization_value(value: &str) -> bool {
    let v = value.trim();
    let token = v
        .strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("Basic "))
        .or_else(|| v.strip_prefix("token "));
    token.is_some_and(|t| t.len() >= 16 && secret_like(t))
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
pub fn high_entropy(value: &str) -> bool {
    let core = value.trim().trim_end_matches('=');
    if core.len() < 24
        || !core.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/_-".contains(&b))
        || !core.bytes().any(|b| b.is_ascii_uppercase())
        || !core.bytes().any(|b| b.is_ascii_lowercase())
        || digit_groups(core) < 2
    {
        return false;
    }
    let wordy = core.split(['-', '_', '/', '+']).any(|s| s.len() >= 5 && is_words(s));
    !wordy && entropy(core) >= 4.0
}

fn digit_groups(v: &str) -> usize {
    v.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).count()
}

/// Made of dictionary-looking words (`OrdersTable`, `content-type`).
fn wordy(v: &str) -> bool {
    v.split(['-', '_', '/', '.', ':']).filter(|s| !s.is_empty()).all(is_words)
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
pub fn entropy(s: &str) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
            assert!(is_placeholder(v, Context::Environment), "{v:?}");
            assert!(is_placeholder(v, Context::Code), "{v:?}");
        }
        for v in [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "/prod/orders/db-password",
            "https://vault.example.com/v1/secret/data/db",
            "projects/p/secrets/db/versions/latest",
        ] {
            assert!(is_pointer(v, Context::Environment), "{v}");
        }
        assert!(!is_pointer("postgres://app:s3cr3t@db/orders", Context::Environment));
        assert!(!is_pointer("https://app:s3cr3t@db/orders", Context::Environment));
    }

    #[test]
    fn weak_defaults_are_placeholders_only_in_code() {
        assert!(is_placeholder("admin", Context::Code));
        assert!(!is_placeholder("admin", Context::Environment));
        assert!(is_placeholder("$password", Context::Code));
        assert!(!is_placeholder("$password", Context::Environment));
    }

    #[test]
    fn code_values() {
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
        let code = Context::Code;
        assert!(url_with_password("postgres://app:Tr0ub4dor@db.internal:5432/orders", code));
        assert!(!url_with_password("postgres://app:${DB_PASS}@db/orders", code));
        assert!(!url_with_password("https://example.com/a:b@c", code));
        assert!(aws_secret_shape("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3KeYPq9k", code));
        assert!(!kv_password("Server=db;Password={0};", code));
    }
}

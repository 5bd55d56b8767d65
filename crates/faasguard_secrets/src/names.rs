//! Names that hold a secret, and names that are only about one.
//!
//! `DB_PASSWORD` is a secret; `DB_PASSWORD_SECRET_ARN`, `TOKEN_TTL` and
//! `password_field` are about one. Erring towards "about" keeps the rules
//! quiet on the names that configuration and code use most.

/// Words that make a name a password wherever they appear in a name part
/// (`DBPASSWORD`, `adminPassphrase`); `SECRET` and `CREDENTIAL` work the
/// same way.
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

/// Words after the secret word that make the name about the secret rather
/// than the secret itself: its id, where it is kept, how long it lives, how
/// it is checked or shown (`DB_PASSWORD_SECRET_ARN`, `TOKEN_TTL`).
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
    "STREAM",
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
    "TYPES",
    "VERSION",
    "VERSIONS",
    "REGION",
    "ROTATION",
    "POLICY",
    "POLICIES",
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
    "HASHED",
    "AUTH",
    "VALIDATION",
    "VALID",
    "INVALID",
    "LOGIN",
    "RESET",
    "REQUIRED",
    "PATTERN",
    "REGEX",
    "RULES",
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
    "CLIENT",
    "SERVICE",
    "LEVEL",
    "CONNECTIONS",
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
    "STAGE",
    "STAGES",
    "LIST",
    "METADATA",
];

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

/// The words of a name in upper case: `dbPassword`, `DB_PASSWORD` and
/// `db-password` all give `["DB", "PASSWORD"]`.
pub(crate) fn words(name: &str) -> Vec<String> {
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

/// Whether a name part is metadata about a secret.
pub(crate) fn is_metadata(word: &str) -> bool {
    METADATA.contains(&word)
}

/// The kind of secret one word of a name announces, given the word before
/// it and whether it is the last.
fn word_kind(w: &str, prev: Option<&str>, last: bool) -> Option<&'static str> {
    if PASSWORD_INFIXES.iter().any(|s| w.contains(s)) || w == "PWD" || (w == "PASS" && last) {
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

/// The kind of secret a name announces (`password`, `token`, `API key`,
/// `key`, `credential`, `secret`), or `None` when the name is not a
/// secret's or is about a secret (its ARN, its name, its lifetime).
pub fn secret_name(name: &str) -> Option<&'static str> {
    let words = words(name);
    let mut found: Option<(usize, &'static str)> = None;
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| words.get(p)).map(String::as_str);
        if let Some(kind) = word_kind(w, prev, i + 1 == words.len()) {
            // `SECRET_KEY` is one secret, a key: the later word names it.
            let keep = kind == "key" && found.is_some_and(|(_, k)| k != "key");
            found = Some((i, if keep { found.map_or(kind, |(_, k)| k) } else { kind }));
        }
    }
    let (at, kind) = found?;
    let about = words.get(at + 1..).unwrap_or_default().iter().any(|w| is_metadata(w));
    (!about).then_some(kind)
}

/// Whether a name is about a secret (its id, path, lifetime...) rather
/// than holding it: `secret_arn`, `username`, `db_host`. `AUTH` is left
/// out: after a secret word it is a switch (`TOKEN_AUTH`), but on its own
/// or first it qualifies a credential (`auth_token`).
pub fn about_a_secret(name: &str) -> bool {
    words(name).iter().any(|w| w != "AUTH" && is_metadata(w))
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
    fn configuration_secret_names() {
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
    fn code_secret_names() {
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
    fn auth_qualifies_rather_than_describes() {
        assert!(!about_a_secret("auth_token"));
        assert!(about_a_secret("secret_arn"));
        assert!(about_a_secret("username"));
    }
}

//! Telling secrets apart from configuration and from the other strings of
//! a program: by a token's format, by the name it is assigned to, and (in
//! configuration) by looking random.
//!
//! One implementation for `SEC001` (environment variables of deployed
//! functions) and `CODE001` (hard-coded credentials in function code).
//! Everything here errs towards silence on values that are plainly
//! placeholders or pointers to a secret (ARNs, parameter paths, vault
//! URLs), because a scanner that cries wolf on `DB_PASSWORD_SECRET_ARN`
//! gets switched off.
//!
//! Invariant: answers are kinds (`&'static str` noun phrases) and booleans,
//! never the value or a piece of it, and nothing here logs; redacting what
//! is shown is the caller's job.

mod formats;
mod names;
mod values;

pub use formats::format;
pub use names::{about_a_secret, secret_name};
pub use values::{
    authorization_value, aws_secret_shape, entropy, high_entropy, is_placeholder, is_pointer,
    kv_password, secret_like, url_with_password,
};

/// Where a literal was found. The evidence a value needs differs: code is
/// full of samples, fixtures, markers and values compared against, while a
/// configuration value is what the deployed function gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A function's environment variable or app setting.
    Environment,
    /// A string literal in function code.
    Code,
}

/// What made a value a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A token format, a password in a connection string or URL, an
    /// authorization header, an AWS secret key's shape under an AWS name.
    Format,
    /// The name it is assigned to.
    Name,
    /// Only its looks (configuration only): sometimes an identifier.
    Randomness,
}

/// What a value was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// A noun phrase for messages: "GitHub token", "literal password".
    pub what: &'static str,
    /// What made it one.
    pub evidence: Evidence,
}

impl Detection {
    /// Recognised by its format or by its name, not only by its looks.
    pub fn certain(&self) -> bool {
        self.evidence != Evidence::Randomness
    }

    /// Recognised whatever it is assigned to.
    pub fn by_format(&self) -> bool {
        self.evidence == Evidence::Format
    }
}

/// Whether a code literal could be a credential once its name is known:
/// cheap, for sparing most strings the search for their name. Format
/// matches are checked apart.
pub fn maybe_secret(value: &str) -> bool {
    url_with_password(value, Context::Code)
        || kv_password(value, Context::Code)
        || authorization_value(value)
        || aws_secret_shape(value, Context::Code)
        || secret_like(value)
}

/// A literal `value` assigned to (or compared with, or defaulting) a
/// target named `name` (if any): what it is when it is a secret.
pub fn classify(name: Option<&str>, value: &str, ctx: Context) -> Option<Detection> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let by_format = |what| Some(Detection { what, evidence: Evidence::Format });
    if let Some(what) = format(v, ctx) {
        return by_format(what);
    }
    if url_with_password(v, ctx) {
        return by_format("password in a connection URL");
    }
    if kv_password(v, ctx) {
        return by_format("password in a connection string");
    }
    if authorization_value(v) {
        return by_format("authorization header value");
    }
    if ctx == Context::Environment && (is_placeholder(v, ctx) || is_pointer(v, ctx)) {
        return None;
    }
    let named = name.and_then(secret_name);
    if let (Some(name), Some(_)) = (name, named) {
        let upper = name.to_ascii_uppercase();
        if (upper.contains("AWS") || upper.contains("SECRET")) && aws_secret_shape(v, ctx) {
            return by_format("AWS secret access key");
        }
    }
    match ctx {
        Context::Environment => classify_setting(name, v, named),
        Context::Code => named
            .filter(|_| secret_like(v))
            .map(|kind| Detection { what: literal_kind(kind), evidence: Evidence::Name }),
    }
}

/// The rest of a configuration value's classification. A setting's name is
/// enough evidence for any literal that is not a placeholder (nothing in a
/// configuration is a label or a value compared against), and a long random
/// value under any name is reported as uncertain.
fn classify_setting(name: Option<&str>, v: &str, named: Option<&'static str>) -> Option<Detection> {
    // A short number under a secret's name is a setting the name list
    // missed (`TOKEN_REFRESH_EVERY: 300`), not a password.
    let short_number = v.len() < 6 && v.bytes().all(|b| b.is_ascii_digit());
    if let Some(kind) = named.filter(|_| !short_number) {
        return Some(Detection { what: literal_kind(kind), evidence: Evidence::Name });
    }
    let words = names::words(name.unwrap_or_default());
    let public = words.iter().any(|w| w == "PUBLIC");
    let about = words.last().is_some_and(|w| names::is_metadata(w));
    (!public && !about && high_entropy(v))
        .then_some(Detection { what: "random-looking value", evidence: Evidence::Randomness })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(name: &str, value: &str) -> Option<Detection> {
        classify(Some(name), value, Context::Environment)
    }

    #[test]
    fn a_templated_connection_string_is_not_a_secret() {
        assert_eq!(setting("DB", "Server=db;User ID=app;Password=${DB_PASSWORD};"), None);
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
            let d = setting("SETTING", value);
            assert_eq!(d.map(|d| d.what), Some(what), "{value}");
            assert!(d.is_some_and(|d| d.certain()), "{value}");
        }
        assert_eq!(setting("DB_URL", "postgres://app:${DB_PASS}@db/orders"), None);
        assert_eq!(setting("DB_URL", "postgres://db.internal:5432/orders"), None);
    }

    #[test]
    fn names_make_literals_secrets() {
        let what = |n, v| setting(n, v).map(|d| d.what);
        assert_eq!(what("DB_PASSWORD", "Winter2026-orders-Pa55!"), Some("literal password"));
        assert_eq!(
            what("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            Some("AWS secret access key")
        );
        assert_eq!(setting("DB_PASSWORD", "changeme"), None);
        assert_eq!(setting("DB_PASSWORD_PARAM", "/prod/db/password"), None);
        assert_eq!(setting("DB_SECRET", "arn:aws:secretsmanager:us-east-1:1:secret:db"), None);
        assert_eq!(setting("TABLE_NAME", "orders"), None);
        assert_eq!(setting("TOKEN_REFRESH_EVERY", "300"), None);
        assert!(setting("ADMIN_PIN_PASSWORD", "90210417").is_some());
    }

    #[test]
    fn random_values_are_uncertain_and_names_are_not_random() {
        let d = setting("UPSTREAM", "k8Jd02nXq9Lm4PzR7tVb3WcY");
        assert!(d.is_some_and(|d| !d.certain()));
        for v in [
            "ThisIsMyVeryLongConfigValue123",
            "MyStack-OrdersTable-1A2B3C4D5E6F",
            "serverless-app-dev-ServerlessDeploymentBucket-1x2y3z",
            "Orders-V2-Prod-Stack-3-Beta-Replica1",
            "0b7c1f1e-2a57-4c1c-9d0e-7f7d5f0f6c11",
            "d41d8cd98f00b204e9800998ecf8427e",
            "com.example.orders.Handler::handleRequest",
        ] {
            assert_eq!(setting("SETTING", v), None, "{v}");
        }
        assert_eq!(setting("SIGNING_PUBLIC_KEY_B64", "k8Jd02nXq9Lm4PzR7tVb3WcY"), None);
        assert_eq!(setting("CLIENT_ID", "k8Jd02nXq9Lm4PzR7tVb3WcY"), None);
    }

    #[test]
    fn code_needs_a_secret_looking_value_under_the_name() {
        let code = |n, v| classify(Some(n), v, Context::Code);
        assert_eq!(code("password", "hunter22").map(|d| d.evidence), Some(Evidence::Name));
        assert_eq!(code("password", "admin"), None);
        assert_eq!(code("password", "Enter your password"), None);
        assert_eq!(classify(None, "k8Jd02nXq9Lm4PzR7tVb3WcY", Context::Code), None);
        assert_eq!(
            code("aws_secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            None,
            "documentation samples in code are not secrets"
        );
    }
}

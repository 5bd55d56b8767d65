//! The exclusions file (`faasguard scan --exclusions FILE`): what the user
//! has reviewed and accepted.
//!
//! Its IAM part reads like Cloudsplaining's exclusions file, so existing
//! files work unchanged: `roles`, `policies` (and `users`, `groups`,
//! accepted for compatibility; serverless apps have none), `exclude-actions`,
//! `include-actions` and `known-accounts`. Names match case-insensitively,
//! exactly or as `prefix*` / `*suffix`, as there. On top, `suppressions`
//! silence single findings, each with the reason a reviewer gave:
//!
//! ```yaml
//! roles: [legacy-*]
//! exclude-actions: [s3:GetObject]
//! known-accounts: ["123456789012"]
//! suppressions:
//!   - rule: TRG001            # code or name; required
//!     function: ReportsFunction # optional: app, function, resource, fingerprint
//!     reason: public by design, reviewed 2026-11 (SEC-123)  # required
//! ```
//!
//! Parsing is pure (the CLI reads the file); problems are `ParseError`s
//! with their span, and the CLI refuses a file that has any, since a
//! half-read exclusions file would silently report or hide the wrong things.

use faasguard_diagnostics::Finding;
use faasguard_source::{FileId, Span};
use faasguard_syntax::{Node, NodeKind, ParseError, ParseErrorKind, parse_yaml};

/// The IAM exclusions (Cloudsplaining's keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IamExclusions {
    /// Role name patterns whose risks are not reported.
    pub roles: Vec<String>,
    /// Policy name patterns whose statements are not reported.
    pub policies: Vec<String>,
    /// Actions never reported.
    pub exclude_actions: Vec<String>,
    /// Actions always reported as infrastructure modification, even when read-only.
    pub include_actions: Vec<String>,
    /// Accounts trusted by role trust policies without a finding.
    pub known_accounts: Vec<String>,
}

impl IamExclusions {
    /// Whether a role is excluded.
    pub fn excludes_role(&self, name: &str) -> bool {
        self.roles.iter().any(|p| name_matches(p, name))
    }
    /// Whether a policy is excluded.
    pub fn excludes_policy(&self, name: &str) -> bool {
        self.policies.iter().any(|p| name_matches(p, name))
    }
    /// Whether an action (`prefix:Name`) is excluded.
    pub fn excludes_action(&self, action: &str) -> bool {
        self.exclude_actions.iter().any(|p| name_matches(p, action))
    }
    /// Whether an account id is known.
    pub fn is_known_account(&self, account: &str) -> bool {
        self.known_accounts.iter().any(|a| a.trim() == account.trim())
    }
}

/// Cloudsplaining's name matching: case-insensitive, exact, `prefix*` or `*suffix`.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.trim().to_ascii_lowercase(), name.to_ascii_lowercase());
    if let Some(prefix) = p.strip_suffix('*') {
        return n.starts_with(prefix);
    }
    if let Some(suffix) = p.strip_prefix('*') {
        return n.ends_with(suffix);
    }
    p == n
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Rule code or name.
    pub rule: String,
    /// App (path of its main file), when given.
    pub app: Option<String>,
    /// Function logical id, when given.
    pub function: Option<String>,
    /// Resource logical id, when given.
    pub resource: Option<String>,
    /// Fingerprint, when given.
    pub fingerprint: Option<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// Where the entry is written.
    pub span: Span,
}

impl Suppression {
    /// Whether this entry silences a finding: every field it gives matches.
    pub fn matches(&self, f: &Finding) -> bool {
        let rule = self.rule.trim();
        let opt = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == have)
        };
        (rule.eq_ignore_ascii_case(f.code) || rule.eq_ignore_ascii_case(f.rule))
            && opt(&self.app, Some(f.subject.app.as_str()))
            && opt(&self.function, f.subject.function.as_deref())
            && opt(&self.resource, f.subject.resource.as_deref())
            && self
                .fingerprint
                .as_deref()
                .is_none_or(|fp| fp.eq_ignore_ascii_case(&f.fingerprint()))
    }
}

/// The whole exclusions file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions {
    /// The IAM part.
    pub iam: IamExclusions,
    /// Accepted findings.
    pub suppressions: Vec<Suppression>,
}

const KEYS: &[&str] = &[
    "roles",
    "policies",
    "users",
    "groups",
    "exclude-actions",
    "include-actions",
    "known-accounts",
    "suppressions",
];

/// Parses an exclusions file.
pub fn parse_exclusions(file: FileId, text: &str) -> (Exclusions, Vec<ParseError>) {
    let parsed = parse_yaml(file, text);
    let mut errors = parsed.errors;
    let mut out = Exclusions::default();
    let Some(root) = parsed.root else { return (out, errors) };
    let structure =
        |span: Span, message: String| ParseError { kind: ParseErrorKind::Structure, span, message };
    if matches!(root.kind, NodeKind::Null) {
        return (out, errors);
    }
    if !root.is_map() {
        errors.push(structure(root.span, "the exclusions file must be a mapping".into()));
        return (out, errors);
    }
    for entry in root.entries() {
        if !KEYS.contains(&entry.key.as_str()) {
            errors.push(structure(
                entry.key_span,
                format!("unknown key `{}`; expected one of: {}", entry.key, KEYS.join(", ")),
            ));
            continue;
        }
        if entry.key == "suppressions" {
            for item in entry.value.items() {
                match suppression(item) {
                    Ok(s) => out.suppressions.push(s),
                    Err((span, message)) => errors.push(structure(span, message)),
                }
            }
            if !entry.value.is_seq() && !matches!(entry.value.kind, NodeKind::Null) {
                errors.push(structure(entry.value.span, "`suppressions` must be a list".into()));
            }
            continue;
        }
        let list = match strings(&entry.value) {
            Ok(list) => list,
            Err(span) => {
                errors.push(structure(
                    span,
                    format!("`{}` must be a list of names (or one name)", entry.key),
                ));
                continue;
            }
        };
        match entry.key.as_str() {
            "roles" => out.iam.roles = list,
            "policies" => out.iam.policies = list,
            "exclude-actions" => out.iam.exclude_actions = list,
            "include-actions" => out.iam.include_actions = list,
            "known-accounts" => out.iam.known_accounts = list,
            // Users and groups are IAM principals a serverless app does not define.
            _ => {}
        }
    }
    (out, errors)
}

/// A string or a list of scalars, as text.
fn strings(node: &Node) -> Result<Vec<String>, Span> {
    match &node.kind {
        NodeKind::Null => Ok(Vec::new()),
        NodeKind::Seq(items) => items.iter().map(|i| i.scalar_text().ok_or(i.span)).collect(),
        _ => node.scalar_text().map(|s| vec![s]).ok_or(node.span),
    }
}

fn suppression(item: &Node) -> Result<Suppression, (Span, String)> {
    if !item.is_map() {
        return Err((item.span, "a suppression is a mapping with `rule` and `reason`".into()));
    }
    let text =
        |key: &str| item.get(key).and_then(Node::scalar_text).filter(|t| !t.trim().is_empty());
    for e in item.entries() {
        if !["rule", "app", "function", "resource", "fingerprint", "reason"]
            .contains(&e.key.as_str())
        {
            return Err((
                e.key_span,
                format!(
                    "unknown key `{}` in a suppression; expected rule, app, function, resource, \
                     fingerprint, reason",
                    e.key
                ),
            ));
        }
    }
    let rule = text("rule").ok_or_else(|| {
        (item.span, "a suppression needs `rule` (a rule code or name)".to_string())
    })?;
    let reason = text("reason").ok_or_else(|| {
        (item.span, "a suppression needs `reason`: say why the finding is accepted".to_string())
    })?;
    Ok(Suppression {
        rule,
        app: text("app"),
        function: text("function"),
        resource: text("resource"),
        fingerprint: text("fingerprint"),
        reason,
        span: item.span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Exclusions, Vec<ParseError>) {
        parse_exclusions(FileId(0), text)
    }

    #[test]
    fn reads_cloudsplaining_keys() {
        let (ex, errors) = parse(
            "roles: [legacy-*]\npolicies: '*ReadOnly'\nusers: [x]\nexclude-actions: [s3:GetObject]\n\
             include-actions: []\nknown-accounts: [123456789012]\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(ex.iam.excludes_role("Legacy-Orders"));
        assert!(!ex.iam.excludes_role("orders-legacy"));
        assert!(ex.iam.excludes_policy("AmazonS3ReadOnly"));
        assert!(ex.iam.excludes_action("S3:GETOBJECT"));
        assert!(ex.iam.is_known_account("123456789012"));
    }

    #[test]
    fn suppressions_need_a_rule_and_a_reason() {
        let (ex, errors) = parse(
            "suppressions:\n  - rule: TRG001\n    function: Reports\n    reason: public by design\n  \
             - rule: TRG002\n",
        );
        assert_eq!(ex.suppressions.len(), 1);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("reason"), "{errors:?}");
    }

    #[test]
    fn unknown_keys_are_errors_with_their_place() {
        let (_, errors) = parse("role: [x]\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("unknown key `role`"));
        assert_eq!(errors[0].span.start, 0);
    }

    #[test]
    fn a_suppression_matches_every_field_it_gives() {
        let (ex, _) = parse(
            "suppressions:\n  - rule: function-url-without-auth\n    function: Reports\n    reason: ok\n",
        );
        let s = &ex.suppressions[0];
        let mut f = Finding {
            code: "TRG001",
            rule: "function-url-without-auth",
            severity: faasguard_diagnostics::Severity::High,
            sas: faasguard_diagnostics::Sas::BrokenAuthentication,
            cwe: &[306],
            message: String::new(),
            help: None,
            primary: Span::file_start(FileId(0)),
            labels: vec![],
            flow: vec![],
            subject: faasguard_diagnostics::Subject {
                app: "t.yaml".into(),
                function: Some("Reports".into()),
                resource: None,
            },
            key: String::new(),
            secrets: vec![],
        };
        assert!(s.matches(&f));
        f.subject.function = Some("Orders".into());
        assert!(!s.matches(&f));
    }
}

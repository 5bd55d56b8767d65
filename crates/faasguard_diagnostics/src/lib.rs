//! Findings: what every analysis produces and every reporter renders.
//!
//! A [`Finding`] is plain data. It does not know how it is printed, and it
//! never holds a secret value: rules put redacted text into messages (see
//! [`redact`]).
#![deny(missing_docs)]

use std::fmt;

use faasguard_source::Span;
use sha2::{Digest, Sha256};

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; no direct risk.
    Info,
    /// Hardening; exploitable only together with something else.
    Low,
    /// A weakness an attacker can use with some effort.
    Medium,
    /// A direct risk.
    High,
    /// A direct path to compromise.
    Critical,
}

impl Severity {
    /// All severities, most severe first.
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    /// Lower-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a lower-case name.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|sev| sev.as_str().eq_ignore_ascii_case(s))
    }

    /// The numeric score GitHub code scanning reads from
    /// `properties.security-severity` (its bands: 9.0+ critical, 7.0+ high,
    /// 4.0+ medium, above 0 low).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "0.0",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Serverless Architectures Security Top 10 (PureSec), often called the
/// OWASP Serverless Top 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sas {
    /// SAS-1 Function event-data injection.
    EventInjection,
    /// SAS-2 Broken authentication.
    BrokenAuthentication,
    /// SAS-3 Insecure serverless deployment configuration.
    InsecureConfiguration,
    /// SAS-4 Over-privileged function permissions and roles.
    OverPrivileged,
    /// SAS-5 Inadequate function monitoring and logging.
    InadequateMonitoring,
    /// SAS-6 Insecure third-party dependencies.
    InsecureDependencies,
    /// SAS-7 Insecure application secrets storage.
    InsecureSecrets,
    /// SAS-8 Denial of service and financial resource exhaustion.
    DenialOfService,
    /// SAS-9 Function execution flow manipulation.
    FlowManipulation,
    /// SAS-10 Improper exception handling and verbose error messages.
    ImproperErrorHandling,
}

impl Sas {
    /// `SAS-N`.
    pub fn id(self) -> &'static str {
        match self {
            Sas::EventInjection => "SAS-1",
            Sas::BrokenAuthentication => "SAS-2",
            Sas::InsecureConfiguration => "SAS-3",
            Sas::OverPrivileged => "SAS-4",
            Sas::InadequateMonitoring => "SAS-5",
            Sas::InsecureDependencies => "SAS-6",
            Sas::InsecureSecrets => "SAS-7",
            Sas::DenialOfService => "SAS-8",
            Sas::FlowManipulation => "SAS-9",
            Sas::ImproperErrorHandling => "SAS-10",
        }
    }

    /// The category's title.
    pub fn title(self) -> &'static str {
        match self {
            Sas::EventInjection => "Function Event-Data Injection",
            Sas::BrokenAuthentication => "Broken Authentication",
            Sas::InsecureConfiguration => "Insecure Serverless Deployment Configuration",
            Sas::OverPrivileged => "Over-Privileged Function Permissions and Roles",
            Sas::InadequateMonitoring => "Inadequate Function Monitoring and Logging",
            Sas::InsecureDependencies => "Insecure Third-Party Dependencies",
            Sas::InsecureSecrets => "Insecure Application Secrets Storage",
            Sas::DenialOfService => "Denial of Service and Financial Resource Exhaustion",
            Sas::FlowManipulation => "Serverless Function Execution Flow Manipulation",
            Sas::ImproperErrorHandling => "Improper Exception Handling and Verbose Error Messages",
        }
    }
}

/// What a rule is: the metadata every reporter and `faasguard rules` show.
/// Defined here, not in the linter, so reporters need not depend on rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code, e.g. `TRG001`. Never reused.
    pub code: &'static str,
    /// Kebab-case name, e.g. `function-url-without-auth`.
    pub name: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Serverless Top 10 category.
    pub sas: Sas,
    /// CWE numbers.
    pub cwe: &'static [u32],
    /// Full documentation in Markdown: `## What it does`, `## Why is this bad?`,
    /// `## Example`, `## Use instead`, `## References`.
    pub doc: &'static str,
}

/// A secondary location that explains a finding (the role, the trigger, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What this location contributes, e.g. "role granting s3:* on *".
    pub message: String,
}

/// The model entity a finding is about, by logical names (stable across runs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// App name (usually the template's path).
    pub app: String,
    /// Function logical id, when the finding concerns a function.
    pub function: Option<String>,
    /// Other resource logical id (role, API, permission, ...), when relevant.
    pub resource: Option<String>,
}

/// One step of a path (attack path, data flow): a location and what happens there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowStep {
    /// Where.
    pub span: Span,
    /// What happens at this step.
    pub message: String,
}

/// One problem found in the scanned application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule code, e.g. `TRG001`.
    pub code: &'static str,
    /// Rule name in kebab case, e.g. `function-url-without-auth`.
    pub rule: &'static str,
    /// Severity (the rule's default unless a rule computes it).
    pub severity: Severity,
    /// Serverless Top 10 category.
    pub sas: Sas,
    /// CWE numbers.
    pub cwe: &'static [u32],
    /// What is wrong, naming the resource and the function. Never holds a secret.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The main location.
    pub primary: Span,
    /// Other locations that explain the finding.
    pub labels: Vec<Label>,
    /// Ordered steps, for findings that describe a path (trigger to permission, source to sink).
    pub flow: Vec<FlowStep>,
    /// The entity the finding is about.
    pub subject: Subject,
    /// A discriminator a rule adds when it can report several findings on one
    /// subject (e.g. the variable name); part of the fingerprint.
    pub key: String,
    /// Source spans that hold secret values. Reporters that quote source
    /// (the text code frame) mask these bytes wherever they appear, in this
    /// finding's frame or any other's.
    pub secrets: Vec<Span>,
}

impl Finding {
    /// A stable fingerprint: a hash of the rule, the subject and the key,
    /// deliberately without line numbers so that edits elsewhere in the file
    /// do not change it.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.code,
            self.subject.app.as_str(),
            self.subject.function.as_deref().unwrap_or(""),
            self.subject.resource.as_deref().unwrap_or(""),
            self.key.as_str(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let digest = h.finalize();
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// Shows the shape of a secret without its value: the first two characters
/// and the length. Rules use it for every value that looks secret.
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    if n <= 4 {
        return "****".to_string();
    }
    let head: String = value.chars().take(2).collect();
    format!("{head}**** ({n} chars)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_never_shows_more_than_two_characters() {
        let r = redact("AKIAIOSFODNN7EXAMPLE");
        assert_eq!(r, "AK**** (20 chars)");
        assert!(!r.contains("IOSFODNN"));
        assert_eq!(redact("abc"), "****");
    }

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("nope"), None);
    }
}

//! The rule engine and the rules.
//!
//! Every rule lives in its own file under `src/rules/<category>/`, holding
//! its [`RuleMeta`] (code, name, severity, SAS category, CWE and the full
//! documentation) next to its check. `src/registry.rs` lists them all.
//!
//! Architecture invariant: rules see only the application model
//! ([`faasguard_model::App`]), never a format's own tree, so one rule covers
//! every IaC format. The least-privilege rules also read the function code
//! the caller put in the [`SourceDb`] ([`check_app_with_sources`]), through
//! `faasguard_privilege`, never the disk; without it they skip. Rules do no
//! IO and must not panic; they report unresolved values as unknown rather
//! than guessing.
#![deny(missing_docs)]

mod checker;
mod checker_code;
pub mod config;
pub mod dependencies;
mod registry;
mod rules;
pub mod runtimes;

use faasguard_diagnostics::{Finding, RuleMeta};
use faasguard_model::App;
use faasguard_source::SourceDb;
use faasguard_syntax::ParseError;

pub use dependencies::{DependencyInput, check_dependencies};
pub use registry::{find_rule, registry};

/// What the caller wants checked.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Rules to run (codes, names or code prefixes); empty means all.
    pub select: Vec<String>,
    /// Rules to skip (codes, names or code prefixes).
    pub ignore: Vec<String>,
    /// Today's date as `YYYY-MM-DD`, for date-dependent rules (runtime
    /// deprecation). The core never reads the clock; the CLI fills it in.
    /// `None` uses the date the runtime table was generated.
    pub today: Option<String>,
    /// Reviewed IAM exclusions (roles, policies, actions, known accounts).
    pub iam_exclusions: config::IamExclusions,
}

impl Settings {
    /// Whether a rule is enabled by `select` and not disabled by `ignore`.
    pub fn enables(&self, rule: &RuleMeta) -> bool {
        let matches = |entry: &String| {
            let entry = entry.trim();
            entry.eq_ignore_ascii_case(rule.name)
                || rule.code.starts_with(&entry.to_ascii_uppercase())
        };
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// Runs every enabled rule that applies to the app and returns its
/// findings. Without sources, the rules that compare a role with what the
/// function code needs (`least-privilege`) find nothing.
pub fn check_app(app: &App, settings: &Settings) -> Vec<Finding> {
    check(app, settings, None)
}

/// [`check_app`] with the scanned files, function code included: the
/// least-privilege rules infer what each function needs from its handler
/// code (read from `db` only) and compare it with its role.
pub fn check_app_with_sources(app: &App, settings: &Settings, db: &SourceDb) -> Vec<Finding> {
    check(app, settings, Some(db))
}

fn check(app: &App, settings: &Settings, db: Option<&SourceDb>) -> Vec<Finding> {
    // Policies the exclusions file names are taken out of the model, so
    // every rule, text-level or engine-backed, sees the same roles.
    let pruned;
    let app = if settings.iam_exclusions.policies.is_empty() {
        app
    } else {
        let mut a = app.clone();
        for role in &mut a.roles {
            role.policies.retain(|p| !settings.iam_exclusions.excludes_policy(&p.name));
        }
        pruned = a;
        &pruned
    };
    let mut checker = checker::Checker::new(app, settings, db);
    for rule in registry::RULES.iter().flat_map(|group| group.iter()) {
        if settings.enables(rule.meta) && rule.scope.applies_to(app) {
            (rule.check)(&mut checker);
        }
    }
    checker.into_findings()
}

/// The `parse-error` finding for a file that could not be read in full.
pub fn parse_error_finding(path: &str, error: &ParseError) -> Finding {
    rules::input::parse_error::finding(path, error)
}

/// The `code-parse-error` finding for a function code file the CLI could
/// not read (encoding, binary, size); `span` is the start of its (empty)
/// entry in the `SourceDb`.
pub fn unreadable_code_finding(path: &str, span: faasguard_source::Span, reason: &str) -> Finding {
    rules::input::code_parse_error::unreadable_finding(path, span, reason)
}

/// A rule's documentation split into its sections, for tests and
/// `faasguard explain`.
pub fn doc_section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("## {heading}");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

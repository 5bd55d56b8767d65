//! The one list of rules. Each category module exports its rules as a
//! slice, so adding a rule touches only its own file and its category's
//! `mod.rs`.

use std::sync::LazyLock;

use faasguard_diagnostics::RuleMeta;
use faasguard_model::App;

use crate::checker::Checker;
use crate::rules;

/// The model entities a rule reads. A rule runs only on apps that have at
/// least one of them, so adding rules for one provider costs nothing on
/// apps of another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Functions,
    Roles,
    Triggers,
    Apis,
    Permissions,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope(pub(crate) &'static [Kind]);

impl Scope {
    pub(crate) fn applies_to(self, app: &App) -> bool {
        self.0.iter().any(|kind| match kind {
            Kind::Functions => !app.functions.is_empty(),
            Kind::Roles => !app.roles.is_empty(),
            Kind::Triggers => !app.triggers.is_empty(),
            Kind::Apis => !app.apis.is_empty(),
            Kind::Permissions => !app.permissions.is_empty() || !app.layer_permissions.is_empty(),
        })
    }
}

/// A rule: what it is, what it reads, and its check.
pub(crate) struct Rule {
    pub(crate) meta: &'static RuleMeta,
    pub(crate) scope: Scope,
    pub(crate) check: fn(&mut Checker<'_>),
}

/// Every rule, by category. `input` comes first: `parse-error` is made by
/// the CLI and the loaders, but listed like any rule.
pub(crate) static RULES: &[&[Rule]] = &[
    rules::input::RULES,
    rules::triggers::RULES,
    rules::iam::RULES,
    rules::least_privilege::RULES,
    rules::injection::RULES,
    rules::code::RULES,
    rules::dependencies::RULES,
    rules::secrets::RULES,
    rules::config::RULES,
    rules::monitoring::RULES,
    rules::resilience::RULES,
    rules::azure::RULES,
    rules::gcp::RULES,
    rules::paths::RULES,
];

static METAS: LazyLock<Vec<RuleMeta>> =
    LazyLock::new(|| RULES.iter().flat_map(|group| group.iter()).map(|r| *r.meta).collect());

/// Every rule's metadata, in code order within each category.
pub fn registry() -> &'static [RuleMeta] {
    &METAS
}

/// The rule with this code (case-insensitive) or name.
pub fn find_rule(code_or_name: &str) -> Option<&'static RuleMeta> {
    let wanted = code_or_name.trim();
    registry()
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(wanted) || r.name.eq_ignore_ascii_case(wanted))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in registry() {
            assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
            assert!(names.insert(rule.name), "duplicate name {}", rule.name);
            // Two letters at least (`LP001`), then exactly three digits.
            let letters = rule.code.chars().take_while(|c| c.is_ascii_uppercase()).count();
            assert!(
                letters >= 2
                    && rule.code.len() == letters + 3
                    && rule.code.chars().rev().take(3).all(|c| c.is_ascii_digit()),
                "code {} is not LETTERS+3 digits",
                rule.code
            );
            assert!(
                rule.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "name {} is not kebab-case",
                rule.name
            );
            // `parse-error` is about the scan, not a weakness, so it has no CWE.
            assert!(
                !rule.cwe.is_empty() || rule.code.starts_with("INP"),
                "{} has no CWE",
                rule.code
            );
        }
    }

    #[test]
    fn every_rule_documents_every_section() {
        for rule in registry() {
            for heading in
                ["What it does", "Why is this bad?", "Example", "Use instead", "References"]
            {
                let section = crate::doc_section(rule.doc, heading);
                assert!(
                    section.is_some_and(|s| !s.is_empty()),
                    "{} lacks `## {heading}`",
                    rule.code
                );
            }
        }
    }
}

//! IaC loaders: one module per format, each filling the same [`App`] model.
//!
//! Architecture invariant: loaders do no IO. They receive a file's text
//! (read at the edge, by the CLI) and return apps plus the problems met.
//! They never panic and never give up on a whole file: a broken resource is
//! a [`ParseError`] and the rest of the template is still loaded.
#![deny(missing_docs)]

pub mod cloudformation;
mod detect;

pub use detect::{Detected, detect};

use faasguard_model::{App, Format};
use faasguard_source::FileId;
use faasguard_syntax::ParseError;

/// The document of an AWS managed policy, by ARN (any partition, with or
/// without a path), from the vendored managed-policy data; located at
/// `span`. `None` for other ARNs and unknown policies. Shared so that every
/// loader attaches the same documents as the CloudFormation one.
pub fn aws_managed_policy_document(
    arn: &str,
    span: faasguard_source::Span,
) -> Option<faasguard_model::PolicyDocument> {
    let name = cloudformation::managed_policies::name_from_arn(arn)?;
    let doc = cloudformation::managed_policies::document(name, span)?;
    // The vendored documents are valid policies; any problem in them would
    // be ours, not the user's, so it is not reported as theirs.
    cloudformation::policies::document(&doc, &mut Vec::new())
}

/// Fills [`Role::boundary_document`](faasguard_model::Role) for roles whose
/// permissions boundary names an AWS managed policy, so the IAM engine can
/// apply it. Every loader calls it last; boundaries it cannot find stay
/// unapplied (and the engine reports that, rather than guessing).
pub fn attach_boundary_documents(app: &mut faasguard_model::App) {
    for role in &mut app.roles {
        if role.boundary_document.is_some() {
            continue;
        }
        let Some(b) = role.permissions_boundary.as_ref().filter(|b| b.is_known()) else {
            continue;
        };
        role.boundary_document = aws_managed_policy_document(&b.value, b.span);
    }
}

/// What loading one file produced.
#[derive(Debug, Clone)]
pub struct LoadOutcome {
    /// The format the file was recognised as.
    pub format: Format,
    /// Apps found (a template is one app).
    pub apps: Vec<App>,
    /// Problems met; each becomes a `parse-error` finding.
    pub errors: Vec<ParseError>,
}

/// Loads one file. `path` is the display path relative to the scan root.
/// Returns `None` when the file is not an IaC file we understand (a GitHub
/// workflow, a `package.json`): such files are not scanned, not reported.
pub fn load_file(file: FileId, path: &str, text: &str) -> Option<LoadOutcome> {
    match detect(path, text) {
        Detected::CloudFormation { json } => Some(cloudformation::load(file, path, text, json)),
        Detected::NotIac => None,
    }
}

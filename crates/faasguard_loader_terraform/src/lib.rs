//! Terraform loader: a directory of `.tf` files (one module) into one
//! faasguard app, with AWS, Azure and Google serverless resources.
//!
//! Loading goes in three steps. [`hcl`] parses the module's files and the
//! local modules it calls, lays out one instance per module call, and
//! evaluates expressions lazily (variables, variable files, locals,
//! functions, module outputs). [`build`] gives the model builders a view of
//! blocks with evaluated attributes and resolves references between
//! resources. The provider builders ([`aws`], [`azure`], [`google`]) then
//! fill the [`App`].
//!
//! Architecture invariant: no IO. Files read by `file()` and
//! `templatefile()`, variable files and local modules are looked up in the
//! [`SourceDb`] the CLI filled; a missing one is a parse error, never a
//! read. Values that Terraform only knows at apply time (resource
//! attributes, variables without a value) are [`Origin::Unresolved`] with a
//! rendering such as `${aws_s3_bucket.b.arn}`, never guessed.
//!
//! [`Origin::Unresolved`]: faasguard_model::Origin::Unresolved
//! [`App`]: faasguard_model::App
#![deny(missing_docs)]

mod aws;
mod azure;
mod build;
mod google;
mod hcl;

use faasguard_loaders::LoadOutcome;
use faasguard_model::{App, Format};
use faasguard_source::{FileId, SourceDb};

/// Whether a file is a Terraform configuration file (`.tf`).
///
/// Variable files (`.tfvars`) and templates are read only as part of the
/// module that uses them, so they are not configuration files themselves.
pub fn is_terraform_file(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".tf")
}

/// Loads the Terraform module in directory `dir` (display path relative to
/// the scan root, `""` for the root) made of `files`, into one app named by
/// the directory.
///
/// Files that fail to parse are reported as parse errors and the rest of
/// the module is still loaded.
pub fn load_module(db: &SourceDb, dir: &str, files: &[FileId]) -> LoadOutcome {
    let dir = dir.trim_end_matches('/');
    let main = files
        .iter()
        .copied()
        .find(|&id| {
            db.get(id).is_some_and(|f| f.path.ends_with("/main.tf") || &*f.path == "main.tf")
        })
        .or_else(|| files.first().copied())
        .unwrap_or(FileId(0));
    let name = if dir.is_empty() { ".".to_string() } else { dir.to_string() };
    let mut app = App::new(name, Format::Terraform, main);

    let tree = hcl::Tree::parse(db, dir, files);
    let insts = hcl::build_instances(&tree, dir, &mut app.notes);
    let eval = hcl::eval::Eval::new(db, insts);
    let mut ctx = build::Ctx::new(eval, app);
    aws::load(&mut ctx);
    azure::load(&mut ctx);
    google::load(&mut ctx);
    let (app, mut errors, notes) = ctx.finish();
    let mut app = app;
    app.notes.extend(notes);
    let mut all = tree.errors.clone();
    all.append(&mut errors);
    // A module called twice evaluates its files twice; report each problem once.
    let mut seen = std::collections::HashSet::new();
    all.retain(|e| seen.insert((e.span, e.message.clone())));
    LoadOutcome { format: Format::Terraform, apps: vec![app], errors: all }
}

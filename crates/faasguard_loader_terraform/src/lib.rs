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

/// The local directories (display paths) that the `.tf` files of `dir` call
/// as modules (`source = "./x"`). The CLI uses it to tell root modules from
/// child modules: a child is loaded through its caller, with the caller's
/// inputs, not again on its own. Files that do not parse call nothing.
pub fn local_module_calls(db: &SourceDb, dir: &str, files: &[FileId]) -> Vec<String> {
    let dir = dir.trim_end_matches('/');
    let mut out = Vec::new();
    for &id in files {
        let Some(f) = db.get(id) else { continue };
        let Ok(body) = hcl::parse_file(id, &f.text) else { continue };
        for block in body.get_blocks("module") {
            if let Some(child) = hcl::literal_attr(&block.body, "source")
                .and_then(hcl::local_source)
                .and_then(|src| hcl::join_path(dir, src))
            {
                out.push(child);
            }
        }
    }
    out.sort();
    out.dedup();
    out
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
    faasguard_loaders::attach_boundary_documents(&mut app);
    let mut all = tree.errors.clone();
    all.append(&mut errors);
    // A module called twice evaluates its files twice; report each problem once.
    let mut seen = std::collections::HashSet::new();
    all.retain(|e| seen.insert((e.span, e.message.clone())));
    LoadOutcome { format: Format::Terraform, apps: vec![app], errors: all }
}

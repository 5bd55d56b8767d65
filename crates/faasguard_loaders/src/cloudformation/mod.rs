//! CloudFormation and SAM templates (YAML with short-form tags, and JSON).
//!
//! Loading runs in passes so relations can be followed whatever the order of
//! resources in the file:
//! 1. [`template`] indexes the sections and reports structural problems;
//! 2. every resource's `Properties` are resolved once through
//!    [`intrinsics`] (skipping resources whose `Condition` is known false),
//!    with SAM `Globals` merged in ([`sam::globals`]);
//! 3. roles, layers, functions, APIs and other resources are declared, so
//!    each has an id;
//! 4. what relates them is loaded: attached policies, permissions, event
//!    sources, routes, stages, URLs and invoke configs.
//!
//! A file a newcomer is looking for is named after its concern: `roles.rs`,
//! `functions.rs`, `apis.rs`, `events.rs`, `sam/function.rs`, ...

mod apis;
mod conditions;
mod context;
mod events;
mod functions;
mod intrinsics;
mod layers;
pub(crate) mod managed_policies;
mod openapi;
mod permissions;
pub(crate) mod policies;
mod resources;
mod roles;
mod sam;
mod sub;
mod template;
mod value;

use faasguard_model::{App, Format};
use faasguard_source::{FileId, Span};
use faasguard_syntax::{NodeKind, ParseError, parse_json, parse_yaml};

use crate::LoadOutcome;
use context::Loader;
use template::{Template, structure};

/// Loads a template into one app.
pub fn load(file: FileId, path: &str, text: &str, json: bool) -> LoadOutcome {
    let parsed = if json { parse_json(file, text) } else { parse_yaml(file, text) };
    let mut errors = parsed.errors;
    let Some(root) = parsed.root else {
        let format =
            if text.contains("AWS::Serverless") { Format::Sam } else { Format::CloudFormation };
        return LoadOutcome { format, apps: vec![App::new(path, format, file)], errors };
    };
    if !matches!(root.kind, NodeKind::Map(_)) {
        errors.push(structure(
            Span::file_start(file),
            "a template must be a mapping with `Resources`",
        ));
        let format = Format::CloudFormation;
        return LoadOutcome { format, apps: vec![App::new(path, format, file)], errors };
    }
    let partial = !errors.is_empty();
    let tpl = Template::new(&root, &mut errors);
    let format = if tpl.sam { Format::Sam } else { Format::CloudFormation };
    let mut loader = Loader::new(&tpl, App::new(path, format, file));
    loader.ev.partial = partial;
    loader.run();
    let (mut app, more) = loader.finish();
    crate::attach_boundary_documents(&mut app);
    errors.extend(more);
    errors.sort_by_key(|e: &ParseError| (e.span.start, e.span.end));
    errors.dedup();
    LoadOutcome { format, apps: vec![app], errors }
}

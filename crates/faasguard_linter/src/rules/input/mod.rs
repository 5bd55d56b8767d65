//! INP: problems reading the scanned files themselves.

pub(crate) mod code_analysis_incomplete;
pub(crate) mod code_parse_error;
pub(crate) mod lockfile_parse_error;
pub(crate) mod parse_error;

use std::collections::BTreeMap;

use faasguard_model::{Function, FunctionId};
use faasguard_source::{FileId, Span};

use crate::checker::Checker;
use crate::registry::{Kind, Rule, Scope};

/// A file's notes about the code rules read: where the first is, what it
/// says, and the functions that load the file.
pub(super) struct FileNote<'c> {
    pub(super) span: Span,
    pub(super) message: String,
    /// `` `A`, `B` ``: the functions, for the message.
    pub(super) names: String,
    /// The first of them, for the finding's subject.
    pub(super) first: &'c Function,
    /// The file's display path, when the sources are known.
    pub(super) path: Option<String>,
}

/// Notes of several functions grouped per file, in file order (so the
/// output does not depend on function order): one finding per file, naming
/// every function that loads it.
pub(super) fn notes_by_file<'c>(
    c: &Checker<'c>,
    notes: impl IntoIterator<Item = (FunctionId, Span, String)>,
) -> Vec<FileNote<'c>> {
    let mut by_file: BTreeMap<FileId, (Span, String, Vec<FunctionId>)> = BTreeMap::new();
    for (id, span, message) in notes {
        let entry = by_file.entry(span.file).or_insert_with(|| (span, message, Vec::new()));
        if !entry.2.contains(&id) {
            entry.2.push(id);
        }
    }
    let app = c.app;
    by_file
        .into_values()
        .filter_map(|(span, message, functions)| {
            let first = functions.first().and_then(|f| app.functions.get(f.index()))?;
            let names: Vec<String> = functions
                .iter()
                .filter_map(|f| app.functions.get(f.index()))
                .map(|f| format!("`{}`", f.logical_id))
                .collect();
            let path = c.db.and_then(|db| db.get(span.file)).map(|f| f.path.to_string());
            Some(FileNote { span, message, names: names.join(", "), first, path })
        })
        .collect()
}

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &parse_error::META,
        // Made by the CLI and loaders, never by checking an app.
        scope: Scope(&[] as &[Kind]),
        check: |_| {},
    },
    Rule {
        meta: &code_parse_error::META,
        scope: Scope(&[Kind::Functions]),
        check: code_parse_error::check,
    },
    Rule {
        meta: &code_analysis_incomplete::META,
        scope: Scope(&[Kind::Functions]),
        check: code_analysis_incomplete::check,
    },
    Rule {
        meta: &lockfile_parse_error::META,
        // Runs with the dependency rules, over the scan's lockfiles.
        scope: Scope(&[] as &[Kind]),
        check: |_| {},
    },
];

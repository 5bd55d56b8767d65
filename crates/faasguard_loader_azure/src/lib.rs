//! Azure Functions loader: one function app project into one faasguard app.
//!
//! A function app is the directory that holds `host.json`. Each direct
//! subfolder with a `function.json` is one function (the folder's name is the
//! function's name), and a `function_app.py` at the root declares functions
//! with the Python v2 programming model's decorators. `host.json` gives the
//! HTTP route prefix and the function timeout; `local.settings.json` gives
//! the app settings, which become every function's environment, and the
//! worker runtime.
//!
//! Architecture invariant: no IO. The files come from the [`SourceDb`] the
//! CLI filled. A file that does not parse is a parse error and the rest of
//! the project is still loaded. Nothing that only the deployed app knows
//! (app settings in the portal, `%Setting%` expressions) is guessed: such
//! values are [`Origin::Unresolved`]. Hosting settings (HTTPS only, TLS,
//! CORS, App Service authentication) are not in these files, so
//! [`Function::platform`] stays `None`; Terraform or ARM templates carry them.
//!
//! [`Origin::Unresolved`]: faasguard_model::Origin::Unresolved
//! [`Function::platform`]: faasguard_model::Function::platform
#![deny(missing_docs)]

mod function_json;
mod host;
mod http;
mod json;
mod python;
mod settings;

use faasguard_loaders::LoadOutcome;
use faasguard_model::{App, Format, Note, Val};
use faasguard_source::{FileId, SourceDb, SourceFile, Span};
use faasguard_syntax::{Node, ParseError, ParseErrorKind, parse_json};

const HOST_JSON: &str = "host.json";
const LOCAL_SETTINGS: &str = "local.settings.json";
const FUNCTION_JSON: &str = "function.json";
const FUNCTION_APP_PY: &str = "function_app.py";

/// Whether a file belongs to an Azure Functions project: `host.json`,
/// `function.json`, `local.settings.json` or `function_app.py` (the Python
/// v2 programming model's entry file), by name, in any letter case.
pub fn is_azure_file(path: &str) -> bool {
    let name = file_name(path);
    [HOST_JSON, LOCAL_SETTINGS, FUNCTION_JSON, FUNCTION_APP_PY]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// Loads the function app in directory `dir` (display path relative to the
/// scan root, `""` or `"."` for the root) from `files`, its Azure files as
/// [`is_azure_file`] recognises them.
///
/// Which file plays which part follows where the Functions host looks:
/// `host.json`, `local.settings.json` and `function_app.py` directly in
/// `dir`, and `function.json` one folder below it (`dir/<function>/`). Files
/// elsewhere are skipped with a note. The result is one app of format
/// [`Format::AzureFunctions`] named by the path of `host.json` (or by `dir`
/// when there is none), or no app at all when `files` is empty.
pub fn load_project(db: &SourceDb, dir: &str, files: &[FileId]) -> LoadOutcome {
    let mut outcome =
        LoadOutcome { format: Format::AzureFunctions, apps: Vec::new(), errors: Vec::new() };
    if files.is_empty() {
        return outcome;
    }
    let dir = normalize_dir(dir);
    let mut layout = Layout::default();
    let mut skipped: Vec<(FileId, String)> = Vec::new();
    let mut missing: Vec<FileId> = Vec::new();
    for &id in files {
        let Some(src) = db.get(id) else {
            missing.push(id);
            continue;
        };
        let path = &*src.path;
        let rel = match relative(dir, path) {
            Some(r) => r,
            None => {
                skipped.push((id, format!("`{path}` is not inside the function app `{dir}`")));
                continue;
            }
        };
        let name = file_name(rel);
        let depth = rel.split('/').count();
        if name.eq_ignore_ascii_case(HOST_JSON) && depth == 1 {
            layout.host.get_or_insert(id);
        } else if name.eq_ignore_ascii_case(LOCAL_SETTINGS) && depth == 1 {
            layout.settings.get_or_insert(id);
        } else if name.eq_ignore_ascii_case(FUNCTION_APP_PY) && depth == 1 {
            layout.script.get_or_insert(id);
        } else if name.eq_ignore_ascii_case(FUNCTION_JSON) && depth == 2 {
            let folder = rel.split('/').next().unwrap_or_default().to_string();
            layout.functions.push((folder, id));
        } else {
            let why = if name.eq_ignore_ascii_case(FUNCTION_JSON) {
                "the host reads `function.json` only from a direct subfolder of the app"
            } else {
                "the host reads this file only at the root of the app"
            };
            skipped.push((id, format!("`{path}` is not loaded: {why}")));
        }
    }
    layout.functions.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

    let main = layout
        .host
        .or(layout.script)
        .or(layout.functions.first().map(|f| f.1))
        .or(layout.settings)
        .or_else(|| files.first().copied())
        .unwrap_or_default();
    let name = match layout.host.and_then(|h| db.get(h)) {
        Some(h) => h.path.to_string(),
        None if dir.is_empty() => ".".to_string(),
        None => dir.to_string(),
    };
    let mut ctx = Ctx { db, app: App::new(name, Format::AzureFunctions, main), errors: Vec::new() };
    for id in missing {
        ctx.structure(Span::file_start(id), "the file is not in the source database");
    }
    for (id, message) in skipped {
        ctx.note(Span::file_start(id), message);
    }
    if layout.host.is_none() {
        ctx.note(
            Span::file_start(main),
            "no `host.json` at the root of the function app: the HTTP route prefix `api` and \
             the host's other defaults are assumed",
        );
    }

    let host = host::read(&mut ctx, layout.host, main);
    let settings = settings::read(&mut ctx, layout.settings);
    for (folder, id) in &layout.functions {
        function_json::load(&mut ctx, &host, settings.runtime.as_ref(), folder, *id);
    }
    if let Some(script) = layout.script {
        if !layout.functions.is_empty() {
            ctx.note(
                Span::file_start(script),
                "the app mixes `function.json` folders with the Python v2 model's \
                 `function_app.py`; the Python worker indexes only one of them, so some of \
                 these functions may not exist once deployed",
            );
        }
        python::load(&mut ctx, &host, script);
    }

    for f in &mut ctx.app.functions {
        f.environment = settings.environment.clone();
        if let Some(rt) = &settings.runtime {
            f.runtime = Some(rt.clone());
        }
        if f.timeout_s.is_none() {
            f.timeout_s = host.timeout.clone();
        }
    }
    outcome.errors = ctx.errors;
    outcome.apps.push(ctx.app);
    outcome
}

/// Which file plays which part in a function app.
#[derive(Default)]
struct Layout {
    host: Option<FileId>,
    settings: Option<FileId>,
    script: Option<FileId>,
    /// Function folder name and its `function.json`.
    functions: Vec<(String, FileId)>,
}

/// Loading state of one function app.
pub(crate) struct Ctx<'a> {
    pub(crate) db: &'a SourceDb,
    pub(crate) app: App,
    pub(crate) errors: Vec<ParseError>,
}

impl<'a> Ctx<'a> {
    /// Records a structural problem.
    pub(crate) fn structure(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ParseError {
            kind: ParseErrorKind::Structure,
            span,
            message: message.into(),
        });
    }

    /// Records something approximated or skipped.
    pub(crate) fn note(&mut self, span: Span, message: impl Into<String>) {
        self.app.notes.push(Note { span, message: message.into() });
    }

    /// The source file, or a structure error when the CLI did not add it.
    pub(crate) fn source(&mut self, file: FileId) -> Option<&'a SourceFile> {
        let src = self.db.get(file);
        if src.is_none() {
            self.structure(Span::file_start(file), "the file is not in the source database");
        }
        src
    }

    /// Parses a JSON file, recording its syntax errors; `None` when no tree
    /// could be built or the document is empty.
    pub(crate) fn parse(&mut self, file: FileId) -> Option<Node> {
        let src = self.source(file)?;
        let parsed = parse_json(file, &src.text);
        self.errors.extend(parsed.errors);
        parsed.root
    }

    /// The display path of a file (`""` when unknown).
    pub(crate) fn path(&self, file: FileId) -> &'a str {
        self.db.get(file).map_or("", |f| &*f.path)
    }
}

/// The last segment of a path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The directory part of a path (`""` for a file at the root).
pub(crate) fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `dir` without `./`, a trailing `/`, or a lone `.`.
fn normalize_dir(dir: &str) -> &str {
    let mut d = dir.trim_end_matches('/');
    while let Some(rest) = d.strip_prefix("./") {
        d = rest;
    }
    if d == "." { "" } else { d }
}

/// `path` relative to `dir`, when it is inside it.
fn relative<'p>(dir: &str, path: &'p str) -> Option<&'p str> {
    if dir.is_empty() {
        return Some(path.strip_prefix("./").unwrap_or(path));
    }
    path.strip_prefix(dir)?.strip_prefix('/')
}

/// Joins a path written relative to `base` (a display directory) and
/// removes `.` and `..` segments, keeping leading `..` that climb above the
/// scan root.
pub(crate) fn join_path(base: &str, rel: &str) -> String {
    let rel = rel.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    let start: &str = if rel.starts_with('/') { "" } else { base };
    for seg in start.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// A known string value at its span.
pub(crate) fn explicit_str(node: &Node) -> Option<Val<String>> {
    node.as_str().map(|s| Val::explicit(s.to_string(), node.span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_azure_files_by_name() {
        assert!(is_azure_file("app/host.json"));
        assert!(is_azure_file("app/Orders/function.json"));
        assert!(is_azure_file("app/local.settings.json"));
        assert!(is_azure_file("function_app.py"));
        assert!(is_azure_file("app\\Host.JSON"));
        assert!(!is_azure_file("app/package.json"));
        assert!(!is_azure_file("app/Orders/__init__.py"));
        assert!(!is_azure_file("app/myhost.json"));
    }

    #[test]
    fn paths_are_joined_and_normalised() {
        assert_eq!(join_path("app/Orders", "__init__.py"), "app/Orders/__init__.py");
        assert_eq!(join_path("app/Orders", "../bin/app.dll"), "app/bin/app.dll");
        assert_eq!(join_path("", "../x.py"), "../x.py");
        assert_eq!(join_path("app/Orders", "./src/../main.py"), "app/Orders/main.py");
        assert_eq!(normalize_dir("./app/"), "app");
        assert_eq!(normalize_dir("."), "");
        assert_eq!(relative("app", "app/host.json"), Some("host.json"));
        assert_eq!(relative("app", "apple/host.json"), None);
        assert_eq!(relative("", "host.json"), Some("host.json"));
    }

    #[test]
    fn no_files_is_no_app() {
        let out = load_project(&SourceDb::new(), "app", &[]);
        assert!(out.apps.is_empty() && out.errors.is_empty());
        assert_eq!(out.format, Format::AzureFunctions);
    }
}

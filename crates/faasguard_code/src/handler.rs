//! Which file and function a function's handler is, and the local modules
//! that file imports, transitively.
//!
//! The model says where the code is ([`Code`]) and how the platform finds
//! the entry point (`handler`); each format writes the location its own
//! way:
//!
//! - SAM `CodeUri` and CloudFormation `Code` given as a path: relative to
//!   the template's directory; a missing SAM `CodeUri` is the template's
//!   directory.
//! - Serverless Framework: the loader puts the directory of
//!   `serverless.yml` (a default) or `package.artifact` (an archive).
//! - Terraform: `filename` (an archive), or the `source_dir`/`source_file`
//!   of the `archive_file` that builds it; `${path.module}` is already
//!   expanded to a path from the scan root, a bare relative path is
//!   relative to the root module, so both readings are tried.
//! - Azure: the script file itself (`scriptFile`, the worker's default, or
//!   `function_app.py`), from the scan root; the handler is `entryPoint`.
//!
//! A layer's content ([`layer_locations`]) is read the same way as a
//! function's code location.
//!
//! Handlers follow the Lambda runtimes: Python `a/b.c.fn` imports module
//! `a.b.c` and calls `fn`; Node.js `dir/file.fn.nested` loads `dir/file`
//! (`.js`, `.mjs`, `.cjs`, or the TypeScript source a bundler compiles)
//! and calls `fn.nested`.
//!
//! Only files in the [`SourceDb`] are read: a handler whose file was not
//! scanned is a problem naming the paths tried, never a disk read. Code
//! that is not in the scan (S3, a container image, a built archive) is a
//! note. Inline code (`ZipFile`, `InlineCode`) is parsed from the model's
//! text into [`Resolution::inline`].

use std::collections::{HashSet, VecDeque};

use faasguard_model::{App, Code, Format, Function, FunctionId, Layer, Origin, Provider, Val};
use faasguard_source::{FileId, SourceDb, Span};
use tree_sitter::Node;

use crate::parse::{self, Language, Module, string_literal, text_of};
use crate::paths::{self, NODE_EXTENSIONS, join, normalize, parent};

/// Local modules followed from one handler, the handler's included.
pub const MAX_MODULES: usize = 500;

/// Paths listed in a "not found" message.
const MAX_TRIED_SHOWN: usize = 8;

/// The handler of one function and the code it loads.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// The file that defines the handler and the exported function's name
    /// (`handler`, or a dotted path such as `api.handler` for Node.js). For
    /// an Azure Node.js function without `entryPoint` the name is
    /// `default`: the module's export itself.
    pub entry: Option<(FileId, String)>,
    /// The entry file first, then the local modules it imports,
    /// transitively, breadth first. Packages (anything not found among the
    /// function's own files) are not followed.
    pub modules: Vec<FileId>,
    /// The parsed trees of `modules`, in the same order, for the files
    /// that could be parsed: callers need not parse them again.
    pub parsed: Vec<Module>,
    /// Inline source (`Code.ZipFile`, SAM `InlineCode`), parsed from the
    /// model's text; `entry` and `modules` are then empty.
    pub inline: Option<InlineModule>,
    /// What could not be resolved or read, and what was approximated.
    pub problems: Vec<CodeProblem>,
}

/// A problem or note about a function's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeProblem {
    /// Where: the handler or code setting, an import, a syntax error.
    pub span: Span,
    /// What, for a reader; names the paths involved.
    pub message: String,
    /// What kind of problem, so callers can choose finding or note.
    pub kind: ProblemKind,
}

/// Kinds of [`CodeProblem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The code is not in the scan by design (S3, container image, built
    /// archive, unresolved location, unsupported runtime): nothing can be
    /// inferred, and nothing is wrong with the app.
    Unavailable,
    /// The handler setting is missing or names a file or module that is
    /// not among the scanned files.
    NotFound,
    /// A syntax error, or a file too large or too broken to parse.
    Syntax,
    /// An import computed at run time: the analysis may miss code.
    Dynamic,
    /// The module limit was reached: the analysis may miss code.
    Limit,
}

/// Inline function code parsed from the template.
///
/// The tree's byte offsets are offsets into [`InlineModule::text`] (the
/// value after YAML/JSON decoding), not into the template; use
/// [`InlineModule::span`] to locate a node in the template.
#[derive(Debug, Clone)]
pub struct InlineModule {
    /// The parsed code; `module.file` is the template.
    pub module: Module,
    /// The decoded source text the tree was parsed from.
    pub text: String,
    /// Where the inline value is written in the template.
    pub at: Span,
    /// The handler's function name (`handler` of `index.handler`), when
    /// the handler is known.
    pub function: Option<String>,
    /// Template offset of the start of each line of `text`, when every line
    /// could be found verbatim in the template (block scalars); else empty.
    line_starts: Vec<usize>,
}

impl InlineModule {
    /// Where a node of the inline tree is written in the template: its own
    /// range when lines map one to one, else the whole inline value.
    pub fn span(&self, node: Node<'_>) -> Span {
        let (s, e) = (node.start_position(), node.end_position());
        match (self.line_starts.get(s.row), self.line_starts.get(e.row)) {
            (Some(a), Some(b)) => Span::new(self.at.file, a + s.column, b + e.column),
            _ => self.at,
        }
    }
}

/// Resolves function `f` of `app`: its handler file and function, the local
/// modules it imports, their trees and the problems met on the way.
pub fn resolve(app: &App, f: FunctionId, db: &SourceDb) -> Resolution {
    let mut res = Resolution::default();
    let Some(func) = app.functions.get(f.index()) else {
        res.problems.push(problem(
            Span::file_start(app.file),
            format!("function #{} is not in app `{}`", f.0, app.name),
            ProblemKind::NotFound,
        ));
        return res;
    };
    if let Some(Code::Inline(_)) = &func.code {
        match inline_module(func) {
            Some(Ok(mut m)) => {
                m.line_starts = inline_line_starts(db, m.at, &m.text);
                res.problems.extend(m.module.problems.iter().map(|p| CodeProblem {
                    span: m.at,
                    message: format!("inline code: {}", p.message),
                    kind: ProblemKind::Syntax,
                }));
                res.inline = Some(m);
            }
            Some(Err(p)) => res.problems.push(p),
            None => {}
        }
        return res;
    }
    let Some(entry) = locate_entry(app, func, db, &mut res.problems) else { return res };
    res.entry = Some((entry.file, entry.function));
    follow_imports(db, entry.file, &entry.root, &mut res);
    res
}

/// Parses a function's inline code (`Code.ZipFile`, SAM `InlineCode`):
/// `None` when the function has none, an error when it cannot be parsed
/// (unknown runtime, unresolved value, too large).
///
/// [`resolve`] calls this and also maps node positions back to the
/// template; a caller holding only the [`Function`] gets spans at the
/// whole value from [`InlineModule::span`].
pub fn inline_module(func: &Function) -> Option<Result<InlineModule, CodeProblem>> {
    let Some(Code::Inline(v)) = &func.code else { return None };
    if v.origin == Origin::Unresolved {
        return Some(Err(problem(
            v.span,
            format!("the inline code of `{}` is not known statically", func.logical_id),
            ProblemKind::Unavailable,
        )));
    }
    let family = runtime_family(func);
    let language = match family {
        Family::Python => Language::Python,
        // Lambda runs inline Node.js code as `index.js`.
        Family::Node => Language::JavaScript,
        Family::Unknown | Family::Other => {
            return Some(Err(problem(
                v.span,
                format!(
                    "the inline code of `{}` is not analysed: its runtime {} is not Python or Node.js",
                    func.logical_id,
                    runtime_text(func)
                ),
                ProblemKind::Unavailable,
            )));
        }
    };
    Some(
        parse::parse(v.span.file, language, &v.value)
            .map(|module| InlineModule {
                module,
                text: v.value.clone(),
                at: v.span,
                function: func.handler.as_ref().and_then(|h| h.known()).and_then(|h| {
                    let shape =
                        if family == Family::Python { python_handler(h) } else { node_handler(h) };
                    shape.map(|(_, f)| f)
                }),
                line_starts: Vec::new(),
            })
            .map_err(|p| {
                problem(v.span, format!("inline code: {}", p.message), ProblemKind::Syntax)
            }),
    )
}

fn problem(span: Span, message: String, kind: ProblemKind) -> CodeProblem {
    CodeProblem { span, message, kind }
}

/// Maps each line of decoded inline text to where it is written, by finding
/// the lines in order in the raw template text. Escaped JSON strings do not
/// map (the lines are not written verbatim): every node is then located at
/// the whole value.
fn inline_line_starts(db: &SourceDb, at: Span, text: &str) -> Vec<usize> {
    let Some(file) = db.get(at.file) else { return Vec::new() };
    let raw = file.slice(at);
    let base = at.start as usize;
    let mut pos = 0usize;
    let mut out = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            out.push(base + pos);
            continue;
        }
        let Some(found) = raw.get(pos..).and_then(|r| r.find(line)) else { return Vec::new() };
        let start = pos + found;
        out.push(base + start);
        pos = start + line.len();
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Python,
    Node,
    /// No runtime known: try Python, then Node.js.
    Unknown,
    /// Java, Go, .NET, custom runtimes: not read.
    Other,
}

fn runtime_family(func: &Function) -> Family {
    let Some(rt) = func.runtime.as_ref().and_then(|r| r.known()) else { return Family::Unknown };
    let rt = rt.to_ascii_lowercase();
    if rt.starts_with("python") {
        Family::Python
    } else if rt.starts_with("node") {
        Family::Node
    } else {
        Family::Other
    }
}

fn runtime_text(func: &Function) -> String {
    func.runtime.as_ref().map_or_else(|| "(unknown)".to_string(), |r| format!("`{}`", r.value))
}

struct Entry {
    file: FileId,
    function: String,
    /// The code root: the directory the runtime puts on its module path.
    root: String,
}

/// The directories the code may be in, most likely first, or a note on why
/// the code is not in the scan.
fn code_roots(
    app: &App,
    func: &Function,
    db: &SourceDb,
    problems: &mut Vec<CodeProblem>,
) -> Option<Vec<String>> {
    let app_dir = app_dir(app, db);
    let Some(code) = &func.code else {
        return match app.format {
            // SAM builds the template's directory when `CodeUri` is absent.
            Format::Sam | Format::CloudFormation => Some(vec![app_dir]),
            _ => {
                problems.push(problem(
                    func.span,
                    format!("function `{}` says nowhere where its code is", func.logical_id),
                    ProblemKind::NotFound,
                ));
                None
            }
        };
    };
    let unavailable = |problems: &mut Vec<CodeProblem>, span: Span, why: String| {
        problems.push(problem(span, why, ProblemKind::Unavailable));
        None
    };
    let loc = match code {
        Code::Image(v) => {
            return unavailable(
                problems,
                v.span,
                format!(
                    "function `{}` runs a container image (`{}`); its code is not in the scan",
                    func.logical_id, v.value
                ),
            );
        }
        Code::Inline(_) => return None,
        Code::Location(v) => v,
    };
    if !loc.is_known() {
        return unavailable(
            problems,
            loc.span,
            format!(
                "the code location of `{}` (`{}`) is not known statically; its code is not analysed",
                func.logical_id, loc.value
            ),
        );
    }
    let path = loc.value.replace('\\', "/");
    if path.contains("://") {
        return unavailable(
            problems,
            loc.span,
            format!(
                "the code of `{}` is in `{path}`, outside the scan; point faasguard at the source \
                 to infer its permissions",
                func.logical_id
            ),
        );
    }
    let lower = path.to_ascii_lowercase();
    if ARCHIVE_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
        return unavailable(
            problems,
            loc.span,
            format!(
                "the code of `{}` is a built archive (`{path}`); point faasguard at the source \
                 directory to infer its permissions",
                func.logical_id
            ),
        );
    }
    let roots = location_paths(app, loc, &path, &app_dir);
    // `source_file` (Terraform) or `scriptFile` (Azure) names the file: the
    // archive holds it at its root, so its directory is the code root.
    Some(
        roots
            .into_iter()
            .map(|r| {
                if Language::from_path(&r).is_some() && db.find(&r).is_some() {
                    parent(&r).to_string()
                } else {
                    r
                }
            })
            .collect(),
    )
}

/// Where function `func`'s code may be, as display paths (a directory, or
/// the code file itself for Terraform `source_file` and Azure
/// `scriptFile`), most likely first; empty when the code is not a local
/// path (inline, an image, S3, a built archive, unresolved). The CLI reads
/// the code files under these before [`resolve`] looks for the handler.
pub fn code_locations(app: &App, func: &Function, db: &SourceDb) -> Vec<String> {
    let Some(Code::Location(loc)) = &func.code else { return Vec::new() };
    local_paths(app, loc, db)
}

/// Where layer `layer`'s content may be, as display paths, most likely
/// first, read the way [`code_locations`] reads a function's code location
/// in the app's format; empty when the content is not a local path (S3, a
/// built archive, unresolved, not given).
///
/// The path is the layer's root, which Lambda unpacks under `/opt`: its
/// packages are under `python/` or `nodejs/node_modules/` inside it, and a
/// layer built by SAM or a bundler keeps its lockfile at the root, so the
/// whole directory is what ships.
pub fn layer_locations(app: &App, layer: &Layer, db: &SourceDb) -> Vec<String> {
    let Some(loc) = &layer.content else { return Vec::new() };
    local_paths(app, loc, db)
}

/// A package location (a function's code, a layer's content) as display
/// paths; nothing for what is not a local path in the scan.
fn local_paths(app: &App, loc: &Val<String>, db: &SourceDb) -> Vec<String> {
    let Some(path) = loc.known().map(|p| p.replace('\\', "/")) else { return Vec::new() };
    let lower = path.to_ascii_lowercase();
    if path.contains("://") || ARCHIVE_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
        return Vec::new();
    }
    location_paths(app, loc, &path, &app_dir(app, db))
}

/// Built archives: their content is not in the scan.
const ARCHIVE_EXTENSIONS: [&str; 5] = [".zip", ".jar", ".war", ".tar.gz", ".tgz"];

/// A local code location read the way the app's format means it.
fn location_paths(app: &App, loc: &Val<String>, path: &str, app_dir: &str) -> Vec<String> {
    let mut roots = Vec::new();
    let mut push = |p: Option<String>| {
        if let Some(p) = p
            && !roots.contains(&p)
        {
            roots.push(p);
        }
    };
    match app.format {
        Format::Sam | Format::CloudFormation => push(join(app_dir, path)),
        // The loader's default is the directory of serverless.yml from the
        // scan root; an explicit artifact is relative to that directory.
        Format::Serverless if loc.origin == Origin::Default => push(normalize(path)),
        Format::Serverless => push(join(app_dir, path)),
        Format::Terraform => {
            push(join(app_dir, path));
            push(normalize(path.trim_start_matches('/')));
        }
        // Azure locations are script files from the scan root.
        Format::AzureFunctions => push(normalize(path)),
    }
    roots
}

/// The directory of the app's main file (SAM/CloudFormation/Serverless),
/// or the app's directory (Terraform module, Azure function app); the CLI
/// reads the code under it too (SAM builds it when `CodeUri` is absent).
pub fn app_dir(app: &App, db: &SourceDb) -> String {
    let name = match app.format {
        Format::Terraform => return if app.name == "." { String::new() } else { app.name.clone() },
        Format::AzureFunctions if !app.name.ends_with(".json") => {
            return if app.name == "." { String::new() } else { app.name.clone() };
        }
        _ => db.get(app.file).map_or(app.name.as_str(), |f| &f.path),
    };
    parent(name).to_string()
}

/// The file holding a function's handler, when its code is in the scan
/// (Python and Node.js runtimes): what [`resolve`] would parse first.
pub fn entry_file(app: &App, func: &Function, db: &SourceDb) -> Option<FileId> {
    locate_entry(app, func, db, &mut Vec::new()).map(|e| e.file)
}

fn locate_entry(
    app: &App,
    func: &Function,
    db: &SourceDb,
    problems: &mut Vec<CodeProblem>,
) -> Option<Entry> {
    let family = runtime_family(func);
    if family == Family::Other {
        problems.push(problem(
            func.runtime.as_ref().map_or(func.span, |r| r.span),
            format!(
                "function `{}` uses runtime {}; code analysis reads Python and Node.js only",
                func.logical_id,
                runtime_text(func)
            ),
            ProblemKind::Unavailable,
        ));
        return None;
    }
    if func.provider == Provider::Azure {
        return azure_entry(app, func, db, family, problems);
    }
    let roots = code_roots(app, func, db, problems)?;
    let Some(handler) = &func.handler else {
        problems.push(problem(
            func.span,
            format!("function `{}` has no handler", func.logical_id),
            ProblemKind::NotFound,
        ));
        return None;
    };
    let Some(text) = handler.known() else {
        problems.push(problem(
            handler.span,
            format!(
                "the handler of `{}` (`{}`) is not known statically; its code is not analysed",
                func.logical_id, handler.value
            ),
            ProblemKind::Unavailable,
        ));
        return None;
    };
    let mut shapes = Vec::new();
    if matches!(family, Family::Python | Family::Unknown) {
        shapes.extend(python_handler(text));
    }
    if matches!(family, Family::Node | Family::Unknown) {
        shapes.extend(node_handler(text));
    }
    if shapes.is_empty() {
        problems.push(problem(
            handler.span,
            format!(
                "the handler `{text}` of `{}` is not of the form `module.function`",
                func.logical_id
            ),
            ProblemKind::NotFound,
        ));
        return None;
    }
    let mut tried = Vec::new();
    for root in &roots {
        for (files, function) in &shapes {
            for rel in files {
                let Some(path) = join(root, rel) else { continue };
                if let Some(file) = db.find(&path) {
                    return Some(Entry { file, function: function.clone(), root: root.clone() });
                }
                if !tried.contains(&path) {
                    tried.push(path);
                }
            }
        }
    }
    problems.push(not_found(handler.span, &func.logical_id, text, &tried));
    None
}

fn not_found(span: Span, id: &str, handler: &str, tried: &[String]) -> CodeProblem {
    let mut shown: Vec<String> =
        tried.iter().take(MAX_TRIED_SHOWN).map(|p| format!("`{p}`")).collect();
    if tried.len() > MAX_TRIED_SHOWN {
        shown.push(format!("{} more", tried.len() - MAX_TRIED_SHOWN));
    }
    problem(
        span,
        format!(
            "the handler `{handler}` of `{id}` was not found: none of {} is among the scanned files",
            shown.join(", ")
        ),
        ProblemKind::NotFound,
    )
}

/// Python: the module is everything before the last dot, `/` and `.` both
/// separating packages.
fn python_handler(h: &str) -> Option<(Vec<String>, String)> {
    let (module, function) = h.rsplit_once('.')?;
    if module.is_empty() || function.is_empty() {
        return None;
    }
    let path = module.replace('.', "/");
    Some((vec![format!("{path}.py"), format!("{path}/__init__.py")], function.to_string()))
}

/// Node.js: in the last path segment, the module ends at the first dot.
fn node_handler(h: &str) -> Option<(Vec<String>, String)> {
    let (dir, last) = match h.rsplit_once('/') {
        Some((d, l)) => (Some(d), l),
        None => (None, h),
    };
    let (module, function) = last.split_once('.')?;
    if module.is_empty() || function.is_empty() {
        return None;
    }
    let base = dir.map_or_else(|| module.to_string(), |d| format!("{d}/{module}"));
    Some((NODE_EXTENSIONS.iter().map(|e| format!("{base}.{e}")).collect(), function.to_string()))
}

fn azure_entry(
    app: &App,
    func: &Function,
    db: &SourceDb,
    family: Family,
    problems: &mut Vec<CodeProblem>,
) -> Option<Entry> {
    let Some(Code::Location(loc)) = &func.code else {
        problems.push(problem(
            func.span,
            format!(
                "function `{}` names no script file and its worker runtime is not known",
                func.logical_id
            ),
            ProblemKind::NotFound,
        ));
        return None;
    };
    let path = normalize(&loc.value.replace('\\', "/")).unwrap_or_default();
    let Some(file) = db.find(&path) else {
        problems.push(not_found(
            loc.span,
            &func.logical_id,
            &loc.value,
            std::slice::from_ref(&path),
        ));
        return None;
    };
    if Language::from_path(&path).is_none() {
        problems.push(problem(
            loc.span,
            format!(
                "the script `{path}` of `{}` is not Python, JavaScript or TypeScript; it is not analysed",
                func.logical_id
            ),
            ProblemKind::Unavailable,
        ));
        return None;
    }
    let function = match func.handler.as_ref() {
        Some(h) => h.value.clone(),
        None if family == Family::Python => "main".to_string(),
        None => "default".to_string(),
    };
    // The function app's root is on the Python path and is where
    // `require` of a package would look; local imports are relative anyway.
    let root = app_dir(app, db);
    Some(Entry { file, function, root })
}

/// Parses the entry file and follows local imports breadth first.
fn follow_imports(db: &SourceDb, entry: FileId, root: &str, res: &mut Resolution) {
    let mut seen = HashSet::from([entry]);
    let mut queue = VecDeque::from([entry]);
    let mut limited = false;
    while let Some(file) = queue.pop_front() {
        res.modules.push(file);
        let Some(source) = db.get(file) else { continue };
        let Some(language) = Language::from_path(&source.path) else {
            res.problems.push(problem(
                Span::file_start(file),
                format!(
                    "`{}` is not Python, JavaScript or TypeScript; it is not analysed",
                    source.path
                ),
                ProblemKind::Unavailable,
            ));
            continue;
        };
        let module = match parse::parse(file, language, &source.text) {
            Ok(m) => m,
            Err(p) => {
                res.problems.push(problem(p.span, p.message, ProblemKind::Syntax));
                continue;
            }
        };
        res.problems.extend(module.problems.iter().map(|p| {
            problem(p.span, format!("`{}`: {}", source.path, p.message), ProblemKind::Syntax)
        }));
        let mut found = Vec::new();
        imports(&module, &source.text, &source.path, root, db, &mut found, &mut res.problems);
        for next in found {
            if seen.contains(&next) {
                continue;
            }
            if seen.len() >= MAX_MODULES {
                if !limited {
                    limited = true;
                    res.problems.push(problem(
                        Span::file_start(entry),
                        format!(
                            "the handler imports more than {MAX_MODULES} local modules; the rest \
                             are not analysed"
                        ),
                        ProblemKind::Limit,
                    ));
                }
                break;
            }
            seen.insert(next);
            queue.push_back(next);
        }
        res.parsed.push(module);
    }
}

/// Words every import construct contains in its own text: Python
/// `import`/`from .. import` and the `importlib.import_module`/`__import__`
/// calls; JavaScript `import`, `export .. from`, `require()`, `import()`
/// and TypeScript `import x = require()`. A subtree without one of them
/// holds no import, so the walk skips it.
fn import_words(language: Language) -> &'static [&'static str] {
    if language.is_javascript_family() { &["import", "require", "export"] } else { &["import"] }
}

/// The local files a module imports, in source order.
fn imports(
    module: &Module,
    text: &str,
    path: &str,
    root: &str,
    db: &SourceDb,
    out: &mut Vec<FileId>,
    problems: &mut Vec<CodeProblem>,
) {
    let dir = parent(path);
    // Visiting every node cost about a quarter of the parse; a handler's
    // imports are a few lines of it. Where the import words are, found in
    // the text, says which subtrees are worth entering. At worst (the words
    // everywhere) every node is visited as before, with a binary search each.
    let words = import_words(module.language);
    let mut at: Vec<usize> =
        words.iter().flat_map(|w| text.match_indices(w).map(|(i, _)| i)).collect();
    if at.is_empty() {
        return;
    }
    at.sort_unstable();
    let mut cursor = module.tree.root_node().walk();
    // Iterative: the trees of hostile input can be very deep.
    'walk: loop {
        let node = cursor.node();
        let first = at.partition_point(|&i| i < node.start_byte());
        let descend = at.get(first).is_some_and(|&i| i < node.end_byte())
            && if module.language.is_javascript_family() {
                js_import(module, node, text, dir, db, out, problems)
            } else {
                py_import(module, node, text, dir, root, db, out, problems)
            };
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

fn dynamic(module: &Module, node: Node<'_>, what: &str) -> CodeProblem {
    problem(
        module.span(node),
        format!(
            "dynamic import (`{what}`): the module is chosen at run time, so its code and the \
             permissions it needs are not analysed"
        ),
        ProblemKind::Dynamic,
    )
}

/// Records a Python import; returns whether to look inside the node.
#[allow(clippy::too_many_arguments)]
fn py_import(
    module: &Module,
    node: Node<'_>,
    text: &str,
    dir: &str,
    root: &str,
    db: &SourceDb,
    out: &mut Vec<FileId>,
    problems: &mut Vec<CodeProblem>,
) -> bool {
    match node.kind() {
        "import_statement" => {
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                let dotted = if name.kind() == "aliased_import" {
                    name.child_by_field_name("name").map_or("", |n| text_of(n, text))
                } else {
                    text_of(name, text)
                };
                py_absolute(dotted, &[], root, dir, db, out);
            }
            false
        }
        "import_from_statement" => {
            let Some(m) = node.child_by_field_name("module_name") else { return false };
            let mut c = node.walk();
            let names: Vec<&str> = node
                .children_by_field_name("name", &mut c)
                .map(|n| {
                    if n.kind() == "aliased_import" {
                        n.child_by_field_name("name").map_or("", |n| text_of(n, text))
                    } else {
                        text_of(n, text)
                    }
                })
                .collect();
            if m.kind() == "relative_import" {
                let raw = text_of(m, text);
                let dots = raw.chars().take_while(|&c| c == '.').count();
                py_relative(dots, &raw[dots..], &names, dir, db, out);
            } else {
                py_absolute(text_of(m, text), &names, root, dir, db, out);
            }
            false
        }
        "call" => {
            let Some(callee) = node.child_by_field_name("function") else { return true };
            let callee_text = text_of(callee, text);
            let is_import =
                matches!(callee_text, "importlib.import_module" | "import_module" | "__import__");
            if !is_import {
                return true;
            }
            let first = node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0))
                .filter(|a| a.kind() != "keyword_argument");
            match first.and_then(|a| string_literal(a, text)) {
                Some(name) => {
                    let dots = name.chars().take_while(|&c| c == '.').count();
                    if dots > 0 {
                        py_relative(dots, &name[dots..], &[], dir, db, out);
                    } else {
                        py_absolute(name, &[], root, dir, db, out);
                    }
                }
                None => problems.push(dynamic(module, node, callee_text)),
            }
            true
        }
        _ => true,
    }
}

/// `import a.b` / `from a.b import c`: the code root first (the runtime's
/// path), then the importing file's directory (scripts that extend
/// `sys.path`, and the common `from helpers import x` next to the handler).
fn py_absolute(
    dotted: &str,
    names: &[&str],
    root: &str,
    dir: &str,
    db: &SourceDb,
    out: &mut Vec<FileId>,
) {
    let dotted = dotted.trim();
    if dotted.is_empty() {
        return;
    }
    let rel = dotted.replace('.', "/");
    for base in [root, dir] {
        if py_module_at(base, &rel, names, db, out) {
            return;
        }
    }
}

/// `from .. import x` / `from .m import f`: relative to the importing
/// file's package, one level up per extra dot.
fn py_relative(
    dots: usize,
    dotted: &str,
    names: &[&str],
    dir: &str,
    db: &SourceDb,
    out: &mut Vec<FileId>,
) {
    let mut base = dir.to_string();
    for _ in 1..dots {
        if base.is_empty() {
            return;
        }
        base = parent(&base).to_string();
    }
    let rel = dotted.trim().replace('.', "/");
    py_module_at(&base, &rel, names, db, out);
}

/// Adds the packages' `__init__.py` on the way to `rel` (the runtime runs
/// them), the module, and the names that are submodules. Returns whether
/// anything was found under `base`.
fn py_module_at(
    base: &str,
    rel: &str,
    names: &[&str],
    db: &SourceDb,
    out: &mut Vec<FileId>,
) -> bool {
    let mut found = false;
    let mut add = |p: Option<String>, out: &mut Vec<FileId>| {
        if let Some(id) = p.and_then(|p| db.find(&p)) {
            found = true;
            if !out.contains(&id) {
                out.push(id);
            }
            true
        } else {
            false
        }
    };
    let mut pkg = String::new();
    for seg in rel.split('/').filter(|s| !s.is_empty()) {
        if !pkg.is_empty() {
            pkg.push('/');
        }
        pkg.push_str(seg);
        if !add(join(base, &format!("{pkg}/__init__.py")), out) {
            add(join(base, &format!("{pkg}.py")), out);
        }
    }
    if rel.is_empty() {
        add(join(base, "__init__.py"), out);
    }
    for name in names {
        let name = name.trim();
        if name.is_empty() || name == "*" {
            continue;
        }
        let sub = if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") };
        if !add(join(base, &format!("{sub}.py")), out) {
            add(join(base, &format!("{sub}/__init__.py")), out);
        }
    }
    found
}

/// Records a JavaScript/TypeScript import; returns whether to look inside.
fn js_import(
    module: &Module,
    node: Node<'_>,
    text: &str,
    dir: &str,
    db: &SourceDb,
    out: &mut Vec<FileId>,
    problems: &mut Vec<CodeProblem>,
) -> bool {
    match node.kind() {
        "import_statement" | "export_statement" => {
            let source = node.child_by_field_name("source").or_else(|| {
                // TypeScript `import x = require('./y')`.
                let mut c = node.walk();
                node.named_children(&mut c)
                    .find(|n| n.kind() == "import_require_clause")
                    .and_then(|n| n.child_by_field_name("source"))
            });
            if let Some(spec) = source.and_then(|s| string_literal(s, text)) {
                js_resolve(spec, dir, db, out);
                return false;
            }
            // `export function f() { require(...) }` holds code.
            node.kind() == "export_statement"
        }
        "call_expression" => {
            let Some(callee) = node.child_by_field_name("function") else { return true };
            let what = match callee.kind() {
                "import" => "import()",
                "identifier" if text_of(callee, text) == "require" => "require()",
                _ => return true,
            };
            let arg = node.child_by_field_name("arguments").and_then(|a| a.named_child(0));
            match arg.and_then(|a| string_literal(a, text)) {
                Some(spec) => js_resolve(spec, dir, db, out),
                None => problems.push(dynamic(module, node, what)),
            }
            true
        }
        _ => true,
    }
}

/// Node's resolution for relative specifiers; packages are not followed.
fn js_resolve(spec: &str, dir: &str, db: &SourceDb, out: &mut Vec<FileId>) {
    for c in paths::node_candidates(dir, spec) {
        // A data file (`require('./config.json')`) is not code.
        if Language::from_path(&c).is_none() {
            continue;
        }
        if let Some(id) = db.find(&c) {
            if !out.contains(&id) {
                out.push(id);
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(join("a/b", "../c/./d.py").as_deref(), Some("a/c/d.py"));
        assert_eq!(join("", "./src/").as_deref(), Some("src"));
        assert_eq!(join("a", "../../x"), None);
        assert_eq!(parent("a/b/c.py"), "a/b");
        assert_eq!(parent("c.py"), "");
    }

    #[test]
    fn handler_shapes() {
        let (files, f) = python_handler("a.b.handler").unwrap();
        assert_eq!(files, vec!["a/b.py", "a/b/__init__.py"]);
        assert_eq!(f, "handler");
        let (files, _) = python_handler("src/app.handler").unwrap();
        assert_eq!(files[0], "src/app.py");
        let (files, f) = node_handler("dist/handlers/api.main.run").unwrap();
        assert_eq!(files[0], "dist/handlers/api.js");
        assert_eq!(f, "main.run");
        assert!(node_handler("nodot").is_none());
        assert!(python_handler(".handler").is_none());
    }

    /// The walk as it was before the import words guided it: every node.
    fn imports_everywhere(
        module: &Module,
        text: &str,
        path: &str,
        db: &SourceDb,
    ) -> (Vec<FileId>, Vec<CodeProblem>) {
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        let mut cursor = module.tree.root_node().walk();
        'walk: loop {
            let node = cursor.node();
            let descend = if module.language.is_javascript_family() {
                js_import(module, node, text, parent(path), db, &mut out, &mut problems)
            } else {
                py_import(module, node, text, parent(path), "", db, &mut out, &mut problems)
            };
            if descend && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        (out, problems)
    }

    const PY: &str = r#""""Docstring that says import os and from x import y."""
import boto3, pkg.sub as ps
from . import helpers
from .models import Order
# import commented_out
try:
    import optional
except ImportError:
    optional = None

def handler(event, context):
    from pkg import deep
    name = event["m"]
    mod = importlib.import_module(name)
    other = importlib.import_module("pkg.sub")
    again = __import__("helpers")
    rel = import_module(".models", "pkg")
    s = "import helpers"
    return [x for x in map(lambda m: __import__(m), event["ms"])]

class C:
    def m(self):
        if True:
            import helpers
"#;

    const JS: &str = r#"// require('./commented') and import x from './nope'
const a = require('./lib/a');
import b from './lib/b.js';
import * as c from "./lib/c";
export * from './lib/d';
export { e } from './lib/e';
export const f = () => require(`./lib/f`);
export function g(name) { return require(name) || import('./lib/g'); }
exports.handler = async (event) => {
  const lazy = await import(event.path);
  const s = "require('./lib/a')";
  return [1, 2].map((n) => require('./lib/' + n));
};
module.exports.other = function () { if (x) { return require('../up'); } };
"#;

    const TS: &str = r#"import type { T } from './lib/types';
import x = require('./lib/a');
export default class H { run(): Promise<void> { return import('./lib/b'); } }
const y = <T,>(v: T) => require('./lib/c') as T;
const z = require(process.env.X!);
"#;

    fn import_db() -> SourceDb {
        let mut db = SourceDb::new();
        for p in [
            "fn/app.py",
            "fn/helpers.py",
            "fn/models.py",
            "fn/optional.py",
            "fn/pkg/__init__.py",
            "fn/pkg/sub.py",
            "fn/pkg/deep.py",
            "fn/index.js",
            "fn/index.ts",
            "fn/lib/a.js",
            "fn/lib/b.js",
            "fn/lib/c.js",
            "fn/lib/d.js",
            "fn/lib/e.js",
            "fn/lib/f.js",
            "fn/lib/g.js",
            "fn/lib/types.ts",
            "up.js",
        ] {
            db.add(faasguard_source::SourceFile::new(p, ""));
        }
        db
    }

    fn both_walks(db: &SourceDb, path: &str, lang: Language, text: &str) {
        let Ok(module) = parse::parse(FileId(0), lang, text) else { return };
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        imports(&module, text, path, "", db, &mut out, &mut problems);
        let (all_out, all_problems) = imports_everywhere(&module, text, path, db);
        assert_eq!(out, all_out, "{lang:?} imports of {text:?}");
        assert_eq!(problems, all_problems, "{lang:?} dynamic imports of {text:?}");
    }

    #[test]
    fn deep_and_word_heavy_code_is_walked_without_recursion() {
        let db = import_db();
        let deep =
            format!("x = {}__import__('helpers'){}\n", "[".repeat(50_000), "]".repeat(50_000));
        let dense = "import helpers\n".repeat(20_000);
        let js = format!("{}require('./lib/a'){}", "(".repeat(50_000), ")".repeat(50_000));
        for (path, lang, text) in [
            ("fn/app.py", Language::Python, deep.as_str()),
            ("fn/app.py", Language::Python, dense.as_str()),
            ("fn/index.js", Language::JavaScript, js.as_str()),
        ] {
            let module = parse::parse(FileId(0), lang, text).unwrap();
            let (mut out, mut problems) = (Vec::new(), Vec::new());
            imports(&module, text, path, "", &db, &mut out, &mut problems);
            assert_eq!(out.len(), 1, "{lang:?}: {out:?}");
            assert!(problems.is_empty());
        }
    }

    #[test]
    fn import_words_skip_nothing_the_full_walk_finds() {
        let db = import_db();
        let cases =
            [("fn/app.py", Language::Python, PY), ("fn/index.js", Language::JavaScript, JS)];
        let cases = cases.into_iter().chain([
            ("fn/index.ts", Language::TypeScript, TS),
            ("fn/index.ts", Language::TypeScript, JS),
            ("fn/index.tsx", Language::Tsx, JS),
        ]);
        for (path, lang, text) in cases {
            // The whole text finds something, so the comparison can fail.
            let module = parse::parse(FileId(0), lang, text).unwrap();
            let (out, problems) = imports_everywhere(&module, text, path, &db);
            assert!(out.len() >= 4 && !problems.is_empty(), "{lang:?}: {out:?} {problems:?}");
            both_walks(&db, path, lang, text);
            // Every prefix and every text with a line removed: broken
            // trees, error nodes, imports cut in the middle.
            for (end, _) in text.char_indices() {
                both_walks(&db, path, lang, &text[..end]);
            }
            let lines: Vec<&str> = text.lines().collect();
            for skip in 0..lines.len() {
                let t: Vec<&str> =
                    lines.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, l)| *l).collect();
                both_walks(&db, path, lang, &t.join("\n"));
            }
        }
    }
}

//! Function code read for what an attacker can do with it.
//!
//! - [`analyse`]: event data followed from the handler's event parameter
//!   (or a web framework's request object) through assignments, string
//!   building, parsing and local function calls to dangerous sinks (code
//!   execution, OS commands, SQL and NoSQL queries, deserializers, paths,
//!   outbound URLs, XML parsers, templates, regular expressions,
//!   redirects), stopped by sanitizers. Each [`Flow`] carries every step,
//!   so reports can show the path.
//! - [`practices`]: unsafe practices in the code itself: hard-coded
//!   credentials (redacted), TLS verification turned off, secrets or whole
//!   events logged, exception details returned to callers, debug mode,
//!   JWTs decoded without verification.
//!
//! Which trigger feeds the handler, and whether anyone on the internet can
//! fire it, comes from the model ([`sources`]); the rules rank flows by it.
//!
//! Architecture invariant: pure and bounded, like `faasguard_code`: trees
//! come from `faasguard_code::handler::resolve`, nothing is read from disk
//! or run, walks are iterative and every propagation has a step budget; a
//! function whose analysis hit a budget says so in [`Analysis::notes`].
#![deny(missing_docs)]

pub mod practices;
pub mod sources;

mod javascript;
mod python;

use faasguard_model::{App, FunctionId};
use faasguard_source::{SourceDb, Span};

/// Classes of dangerous sinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SinkClass {
    /// `eval`, `exec`, `Function`, `vm.runIn*`.
    CodeExecution,
    /// `os.system`, `subprocess` with a shell, `child_process.exec`.
    Command,
    /// SQL built from strings: `cursor.execute`, PartiQL `execute_statement`, raw ORM queries.
    Sql,
    /// NoSQL queries built from input: Mongo `$where` and query objects, DynamoDB expressions from strings.
    NoSql,
    /// `pickle`, `yaml.load` without a safe loader, `jsonpickle`, `node-serialize`, `marshal`.
    Deserialization,
    /// File paths: `open`, `fs.readFile`, `send_file`, S3 keys written from input.
    Path,
    /// Outbound requests to input URLs: `requests`, `urllib`, `axios`, `fetch`, `got`.
    Ssrf,
    /// XML parsers resolving external entities.
    Xxe,
    /// Templates compiled from input: `jinja2.Template`, `render_template_string`.
    Template,
    /// Regular expressions compiled from input (ReDoS).
    Regex,
    /// Redirects to input URLs.
    OpenRedirect,
}

impl SinkClass {
    /// Every class, in order.
    pub const ALL: [SinkClass; 11] = [
        SinkClass::CodeExecution,
        SinkClass::Command,
        SinkClass::Sql,
        SinkClass::NoSql,
        SinkClass::Deserialization,
        SinkClass::Path,
        SinkClass::Ssrf,
        SinkClass::Xxe,
        SinkClass::Template,
        SinkClass::Regex,
        SinkClass::OpenRedirect,
    ];
}

/// One place of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Where (a node of the handler code).
    pub span: Span,
    /// What happens there, for a reader: `body = json.loads(event["body"])`.
    pub what: String,
}

/// Event data reaching a sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// What kind of sink.
    pub class: SinkClass,
    /// Where the data enters: the read of the event (`event["body"]`), or
    /// of a framework's request (`request.args`).
    pub source: Step,
    /// The part of the event read, as written (`body`, `queryStringParameters.id`,
    /// `Records[].s3.object.key`); empty when the whole event flows.
    pub part: String,
    /// Assignments and calls between source and sink, in order.
    pub steps: Vec<Step>,
    /// The sink call.
    pub sink: Step,
    /// The sink's name as matched (`os.system`, `child_process.exec`).
    pub sink_name: String,
}

/// What [`analyse`] found for one function.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Flows from the event to sinks, in source order of the sink.
    pub flows: Vec<Flow>,
    /// Where the analysis gave up or approximated (budgets, dynamic code).
    pub notes: Vec<Note>,
}

/// A place where the analysis stopped short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where.
    pub span: Span,
    /// Why.
    pub message: String,
}

/// Event data flows of function `f`: its handler and the local modules it
/// imports, from the handler's event parameter (and framework request
/// objects) to sinks.
pub fn analyse(app: &App, f: FunctionId, db: &SourceDb) -> Analysis {
    let res = faasguard_code::handler::resolve(app, f, db);
    analyse_resolved(&res, db)
}

/// [`analyse`] for a handler already resolved (the linter shares one
/// resolution between its code rules).
pub fn analyse_resolved(res: &faasguard_code::handler::Resolution, db: &SourceDb) -> Analysis {
    let mut out = Analysis::default();
    let modules: Vec<Input<'_>> = res
        .parsed
        .iter()
        .filter_map(|m| {
            let file = db.get(m.file)?;
            Some(Input { module: m, path: &file.path, text: &file.text, at: None })
        })
        .collect();
    let entry = res.entry.as_ref().map(|(file, name)| {
        (modules.iter().position(|m| m.module.file == *file).unwrap_or(0), name.as_str())
    });
    run(&modules, entry, &mut out);
    if let Some(inline) = &res.inline {
        let input =
            [Input { module: &inline.module, path: "", text: &inline.text, at: Some(inline) }];
        let entry = inline.function.as_deref().map(|name| (0, name));
        run(&input, entry, &mut out);
    }
    out.flows.retain(|f| !is_trusted_part(&f.part));
    // js-yaml 4 made `load` safe (no `!!js/function`); which one the code
    // gets is written in its package.json.
    if let Some(first) = modules.first()
        && out.flows.iter().any(|f| f.sink_name.starts_with("js-yaml.load"))
        && declared_major(db, first.path, "js-yaml").is_some_and(|major| major >= 4)
    {
        out.flows.retain(|f| !f.sink_name.starts_with("js-yaml.load"));
    }
    out
}

/// The major version of `package` that the `package.json` nearest to
/// `path` (its directory, then each parent) depends on: the first number
/// of its range (`^4.1.0`, `~4.0`, `>=4`, `4.x`). `None` when no manifest
/// in the scan names it, or its range does not start with a number.
fn declared_major(db: &SourceDb, path: &str, package: &str) -> Option<u64> {
    let mut dir = faasguard_code::paths::parent(path);
    for _ in 0..32 {
        let manifest =
            if dir.is_empty() { "package.json".to_string() } else { format!("{dir}/package.json") };
        if let Some(file) = db.find(&manifest).and_then(|id| db.get(id)) {
            let json: serde_json::Value = serde_json::from_str(&file.text).ok()?;
            let range =
                ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]
                    .iter()
                    .find_map(|k| json.get(k)?.get(package)?.as_str())?;
            let digits: String = range
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            return digits.parse().ok();
        }
        if dir.is_empty() {
            return None;
        }
        dir = faasguard_code::paths::parent(dir);
    }
    None
}

/// Event fields the platform writes, not the sender: the pre-signed S3 URL
/// CloudFormation gives a custom resource to post its result to
/// (`ResponseURL`) is where the function must send its request.
fn is_trusted_part(part: &str) -> bool {
    part == "ResponseURL" || part.starts_with("ResponseURL.")
}

/// Whether a URL's text starts with its scheme, a host and the `/` after
/// it: what follows cannot change the server the request goes to. A host
/// with a placeholder or credentials in it (`{`, `%`, `@`) does not count.
pub(crate) fn has_host_prefix(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) else {
        return false;
    };
    match rest.split_once('/') {
        Some((host, _)) => !host.is_empty() && !host.contains(['{', '%', '@', '$']),
        None => false,
    }
}

/// One module handed to a language engine.
pub(crate) struct Input<'a> {
    pub(crate) module: &'a faasguard_code::parse::Module,
    /// Display path (empty for inline code).
    pub(crate) path: &'a str,
    /// The text the tree was parsed from.
    pub(crate) text: &'a str,
    /// For inline code: maps tree positions back to the template.
    pub(crate) at: Option<&'a faasguard_code::handler::InlineModule>,
}

impl Input<'_> {
    /// Where a node is, in the file the user sees.
    pub(crate) fn span(&self, node: tree_sitter::Node<'_>) -> Span {
        match self.at {
            Some(inline) => inline.span(node),
            None => self.module.span(node),
        }
    }
}

fn run(modules: &[Input<'_>], entry: Option<(usize, &str)>, out: &mut Analysis) {
    let Some(first) = modules.first() else { return };
    if first.module.language == faasguard_code::parse::Language::Python {
        python::analyse(modules, entry, out);
    } else {
        javascript::analyse(modules, entry, out);
    }
}

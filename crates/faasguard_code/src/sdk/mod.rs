//! AWS SDK calls in parsed modules: which client (botocore service name),
//! which operation (botocore operation name) and the arguments that can
//! name resources.
//!
//! Discovery only: turning an operation into IAM actions and an argument
//! into an ARN is the IAM engine's job. Discovery never guesses: a value it
//! cannot follow becomes [`ArgValue::Unknown`], a client it cannot name
//! becomes a [`Note`], and a call it can only half resolve is
//! [`Confidence::Low`].
//!
//! Tracking is flow-insensitive within a scope: a name resolves to its last
//! assignment before the use in the same function, or to the last
//! assignment in an enclosing scope (module globals are set by the time a
//! handler runs). A client received as a parameter of a local function is
//! followed to the function's call sites in the same module and, through
//! [`calls_in_modules`], in the other modules of the function's code that
//! import it; module-level clients imported from another local module are
//! followed the same way.
//!
//! Bounds: the tree is walked without recursion; evaluating an expression
//! is limited in depth and in steps, so deep nesting or long alias chains
//! end as `Unknown`, never as a stack overflow or a quadratic blow-up.
//! Values of bindings are computed once per module and remembered (unless
//! a limit cut them short). Resolution across modules takes a few rounds
//! at most, in the order the modules are given.

mod javascript;
mod python;

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use faasguard_source::{FileId, Span};
use tree_sitter::{Node, Tree};

use crate::parse::{Language, Module};
use crate::paths::{join, parent};

/// What discovery found in one module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// SDK operations the module performs, in source order.
    pub calls: Vec<SdkCall>,
    /// Things that look like SDK use but could not be resolved (computed
    /// method names, dynamic service names, clients of unknown origin).
    pub notes: Vec<Note>,
}

/// A place where discovery had to give up, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where.
    pub span: Span,
    /// Why, naming the expression.
    pub message: String,
}

/// One SDK operation performed by the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkCall {
    /// botocore client name (`s3`, `dynamodb`, `stepfunctions`, ...).
    pub client: String,
    /// botocore operation name (`GetObject`, `PutItem`, ...).
    pub operation: String,
    /// The call expression.
    pub span: Span,
    /// Request parameters, named as in the service model (`Bucket`,
    /// `TableName`, ...), in source order.
    pub args: Vec<(String, ArgValue)>,
    /// `Low` when the client or the operation was inferred rather than
    /// followed from its construction.
    pub confidence: Confidence,
    /// The call as written, for messages: `boto3.client('s3').get_object`.
    pub via: String,
}

/// How sure discovery is about an [`SdkCall`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Client and operation followed from their construction.
    High,
    /// Client guessed (a parameter's name) or ambiguous (several call
    /// sites pass different clients).
    Low,
}

/// The value of a request parameter, as far as it can be known statically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// A string constant.
    Literal(String),
    /// The value of an environment variable of the function.
    Env(String),
    /// A string built from pieces (f-string, template literal, `+`).
    Template(Vec<Part>),
    /// Anything else; the source text (shortened).
    Unknown(String),
}

/// A piece of an [`ArgValue::Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Constant text.
    Literal(String),
    /// An environment variable's value.
    Env(String),
    /// A piece that could not be evaluated; the source text (shortened).
    Unknown(String),
}

/// The SDK calls in one module, on its own: a client received from another
/// module is guessed from its name ([`Confidence::Low`]). `text` must be
/// the text `tree` was parsed from. See [`calls_in_modules`] for the
/// modules of a function together.
pub fn calls(file: FileId, language: Language, text: &str, tree: &Tree) -> Discovery {
    let mut out = Out::new(file);
    match language {
        Language::Python => python::discover(text, tree, &mut out),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            javascript::discover(language, text, tree, &mut out)
        }
    }
    out.finish()
}

/// [`calls`] for a parsed [`Module`]; `text` is the module's source.
pub fn module_calls(module: &Module, text: &str) -> Discovery {
    calls(module.file, module.language, text, &module.tree)
}

/// One module of a function's code, for [`calls_in_modules`].
#[derive(Debug, Clone, Copy)]
pub struct ModuleSource<'a> {
    /// The parsed module.
    pub module: &'a Module,
    /// Its path as the `SourceDb` shows it (`src/orders/app.py`): imports
    /// are matched against the paths of the other modules.
    pub path: &'a str,
    /// Its source, the text `module` was parsed from.
    pub text: &'a str,
}

/// The SDK calls of the modules of one function's code (the handler's
/// module and the local modules it imports, as
/// [`crate::handler::Resolution::parsed`] lists them: entry first), one
/// [`Discovery`] per module, in the same order.
///
/// Unlike [`calls`] module by module, clients cross module boundaries: a
/// client passed to a function of another module (`receipts.save(s3, ..)`,
/// `import { save } from './store'`) is the parameter's value there, and a
/// module-level client imported from another module (`from clients import
/// s3`) is that client. When every call site agrees, the calls on the
/// parameter are [`Confidence::High`] with the caller's service; when they
/// disagree they are `Low` and a note says so. Imports are matched by path
/// among the given modules only (Python: relative to the importing file or
/// anywhere below; JavaScript: Node's rules for relative specifiers).
pub fn calls_in_modules(modules: &[ModuleSource<'_>]) -> Vec<Discovery> {
    let mut results = vec![Discovery::default(); modules.len()];
    let (py, js): (Vec<usize>, Vec<usize>) = (0..modules.len())
        .partition(|&i| modules.get(i).is_some_and(|m| m.module.language == Language::Python));
    if !py.is_empty() {
        let units: Vec<Unit<'_, python::Py<'_, '_>>> = py
            .iter()
            .filter_map(|&i| {
                let m = modules.get(i)?;
                Some(Unit {
                    index: i,
                    path: m.path,
                    file: m.module.file,
                    a: python::Py::new(m.text, &m.module.tree),
                })
            })
            .collect();
        drive(units, resolve_python, &mut results);
    }
    if !js.is_empty() {
        let units: Vec<Unit<'_, javascript::Js<'_, '_>>> = js
            .iter()
            .filter_map(|&i| {
                let m = modules.get(i)?;
                let a = javascript::Js::new(m.module.language, m.text, &m.module.tree);
                Some(Unit { index: i, path: m.path, file: m.module.file, a })
            })
            .collect();
        drive(units, resolve_javascript, &mut results);
    }
    results
}

// ---------------------------------------------------------------------------
// Across modules.

/// Rounds of cross-module resolution: modules are analysed in order (entry
/// first, so callers usually come before the modules they call); a module
/// whose inputs changed after it ran (a call from a later module, a cycle)
/// runs again, at most this many times in all.
const MAX_ROUNDS: usize = 3;
/// Calls into other modules remembered per module, and values passed to
/// one parameter.
const MAX_OUTGOING: usize = 2_000;
const MAX_PASSED: usize = 8;

/// What one language's analysis of a module offers the cross-module pass.
pub(crate) trait Linked {
    /// An SDK value that can cross a module boundary (no tree nodes in it).
    type Seed: Clone + PartialEq;
    /// The modules this one names in its imports (as written).
    fn specs(&self) -> Vec<String>;
    /// The SDK values bound at module level (the names another module can
    /// import).
    fn exported_values(&self) -> Vec<(String, Self::Seed)>;
    /// The function exported as `name`: its scope id and parameter names.
    fn exported_function(&self, name: &str) -> Option<(usize, Vec<String>)>;
    /// Gives the module what it imports: per import spec, the SDK values of
    /// the module it names.
    fn set_imports(&mut self, imports: HashMap<String, Rc<Exports<Self::Seed>>>);
    /// Reports the module's calls, with `seeds` as the values other modules
    /// pass to its functions' parameters; returns its calls of imported
    /// functions that pass SDK values.
    fn run(&mut self, seeds: &Seeds<Self::Seed>, out: &mut Out) -> Vec<Outgoing<Self::Seed>>;
}

/// The SDK values a module binds at module level, by name.
pub(crate) type Exports<S> = HashMap<String, S>;

/// Values passed to parameters by other modules: (function scope id,
/// parameter index) to the values, in call order.
pub(crate) type Seeds<S> = HashMap<(usize, usize), Vec<Passed<S>>>;

/// A value passed to a parameter, and where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Passed<S> {
    pub(crate) value: S,
    pub(crate) at: Span,
}

/// A call of a function imported from another module that passes SDK
/// values.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing<S> {
    /// The module, as the import names it (Python dotted path, JavaScript
    /// specifier).
    pub(crate) spec: String,
    /// The function's exported name.
    pub(crate) member: String,
    pub(crate) args: Vec<(ArgKey, S)>,
    pub(crate) at: Span,
}

/// Which parameter an argument fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArgKey {
    Position(usize),
    Keyword(String),
}

/// A value passed to another module: (target unit, function scope,
/// parameter index, value).
type Edge<S> = (usize, usize, usize, Passed<S>);

struct Unit<'a, A> {
    index: usize,
    path: &'a str,
    file: FileId,
    a: A,
}

type Resolver = fn(importer: &str, spec: &str, paths: &HashMap<&str, usize>) -> Option<usize>;

fn drive<A: Linked>(mut units: Vec<Unit<'_, A>>, resolve: Resolver, results: &mut [Discovery]) {
    let paths: HashMap<&str, usize> = units.iter().enumerate().map(|(u, x)| (x.path, u)).collect();
    // Imported module-level values: twice when needed, so that a value
    // re-exported by an imported module is seen too.
    if units.len() > 1 {
        let specs: Vec<Vec<(String, usize)>> = units
            .iter()
            .map(|x| {
                x.a.specs()
                    .into_iter()
                    .filter_map(|s| resolve(x.path, &s, &paths).map(|t| (s, t)))
                    .collect()
            })
            .collect();
        // Only imported modules' values are needed; the second pass only
        // when one of them imports in turn.
        let imported: Vec<bool> =
            (0..units.len()).map(|u| specs.iter().flatten().any(|(_, t)| *t == u)).collect();
        let passes = if imported.iter().zip(&specs).any(|(i, s)| *i && !s.is_empty()) {
            2
        } else {
            usize::from(imported.contains(&true))
        };
        for _ in 0..passes {
            let exports: Vec<Rc<Exports<A::Seed>>> = units
                .iter()
                .zip(&imported)
                .map(|(x, i)| {
                    let values = if *i { x.a.exported_values() } else { Vec::new() };
                    Rc::new(values.into_iter().collect())
                })
                .collect();
            for (x, specs) in units.iter_mut().zip(&specs) {
                let map = specs
                    .iter()
                    .filter_map(|(s, t)| Some((s.clone(), exports.get(*t)?.clone())))
                    .collect();
                x.a.set_imports(map);
            }
        }
    }
    // Calls into other modules: (target unit, function scope, parameter
    // index, value), per calling unit.
    let mut edges: Vec<Vec<Edge<A::Seed>>> = vec![Vec::new(); units.len()];
    let mut used: Vec<Option<Seeds<A::Seed>>> = vec![None; units.len()];
    let mut found: Vec<Discovery> = vec![Discovery::default(); units.len()];
    for _ in 0..MAX_ROUNDS {
        let mut ran = false;
        for u in 0..units.len() {
            let mut seeds: Seeds<A::Seed> = HashMap::new();
            for list in &edges {
                for (t, fid, index, passed) in list {
                    if *t == u {
                        let slot = seeds.entry((*fid, *index)).or_default();
                        if slot.len() < MAX_PASSED {
                            slot.push(passed.clone());
                        }
                    }
                }
            }
            if used.get(u).is_some_and(|s| s.as_ref() == Some(&seeds)) {
                continue;
            }
            let Some(x) = units.get_mut(u) else { continue };
            let mut out = Out::new(x.file);
            let outgoing = x.a.run(&seeds, &mut out);
            let importer = x.path;
            if let Some(d) = found.get_mut(u) {
                *d = out.finish();
            }
            if let Some(s) = used.get_mut(u) {
                *s = Some(seeds);
            }
            let mut list = Vec::new();
            for o in outgoing.into_iter().take(MAX_OUTGOING) {
                let Some(t) = resolve(importer, &o.spec, &paths) else { continue };
                let member = o.member.strip_prefix("default.").unwrap_or(&o.member);
                let Some((fid, params)) = units.get(t).and_then(|y| y.a.exported_function(member))
                else {
                    continue;
                };
                for (key, value) in o.args {
                    let index = match key {
                        ArgKey::Position(i) => Some(i),
                        ArgKey::Keyword(k) => params.iter().position(|p| *p == k),
                    };
                    if let Some(index) = index {
                        list.push((t, fid, index, Passed { value, at: o.at }));
                    }
                }
            }
            if let Some(e) = edges.get_mut(u) {
                *e = list;
            }
            ran = true;
        }
        if !ran {
            break;
        }
    }
    for (x, d) in units.iter().zip(found) {
        if let Some(r) = results.get_mut(x.index) {
            *r = d;
        }
    }
}

/// A Python import (`receipts`, `pkg.receipts`, `.receipts`, `..pkg.m`)
/// among the modules: relative imports from the importing file's package;
/// absolute ones next to the importing file first, then anywhere (the code
/// root is on the path), the first in the given order.
fn resolve_python(importer: &str, spec: &str, paths: &HashMap<&str, usize>) -> Option<usize> {
    let dots = spec.chars().take_while(|&c| c == '.').count();
    let rel = spec.get(dots..)?.replace('.', "/");
    let dir = parent(importer);
    let candidates = |base: &str| -> Vec<String> {
        if rel.is_empty() {
            return join(base, "__init__.py").into_iter().collect();
        }
        [format!("{rel}.py"), format!("{rel}/__init__.py")]
            .iter()
            .filter_map(|r| join(base, r))
            .collect()
    };
    if dots > 0 {
        let mut base = dir.to_string();
        for _ in 1..dots {
            if base.is_empty() {
                return None;
            }
            base = parent(&base).to_string();
        }
        return candidates(&base).iter().find_map(|c| paths.get(c.as_str()).copied());
    }
    if let Some(u) = candidates(dir).iter().find_map(|c| paths.get(c.as_str()).copied()) {
        return Some(u);
    }
    let tails = candidates("");
    paths
        .iter()
        .filter(|(p, _)| tails.iter().any(|t| p.ends_with(&format!("/{t}")) || **p == t.as_str()))
        .map(|(_, u)| *u)
        .min()
}

/// A relative JavaScript/TypeScript specifier among the modules; packages
/// are not local code.
fn resolve_javascript(importer: &str, spec: &str, paths: &HashMap<&str, usize>) -> Option<usize> {
    crate::paths::node_candidates(parent(importer), spec)
        .iter()
        .find_map(|c| paths.get(c.as_str()).copied())
}

// ---------------------------------------------------------------------------
// Shared machinery for the language modules.

/// More calls than this in one module is not a handler, it is an attack or
/// generated code; the rest is summarised in one note.
const MAX_CALLS: usize = 50_000;
const MAX_NOTES: usize = 1_000;
/// Longest source text kept in an `Unknown` value or a `via`.
const MAX_SNIPPET: usize = 120;
/// Nesting depth of one expression evaluation.
pub(crate) const MAX_DEPTH: u32 = 24;
/// Nodes one top-level evaluation may visit, across aliases and call sites.
const MAX_STEPS: u32 = 4_000;
/// Call sites of a local function inspected to resolve one parameter.
pub(crate) const MAX_CALL_SITES: usize = 8;

pub(crate) struct Out {
    file: FileId,
    calls: Vec<SdkCall>,
    notes: Vec<Note>,
    dropped_calls: usize,
    dropped_notes: usize,
}

impl Out {
    pub(crate) fn new(file: FileId) -> Self {
        Out { file, calls: Vec::new(), notes: Vec::new(), dropped_calls: 0, dropped_notes: 0 }
    }

    pub(crate) fn span(&self, node: Node<'_>) -> Span {
        Span::new(self.file, node.start_byte(), node.end_byte())
    }

    pub(crate) fn call(
        &mut self,
        node: Node<'_>,
        client: &str,
        operation: &str,
        args: Vec<(String, ArgValue)>,
        confidence: Confidence,
        via: String,
    ) {
        if self.calls.len() >= MAX_CALLS {
            self.dropped_calls += 1;
            return;
        }
        let span = self.span(node);
        self.calls.push(SdkCall {
            client: client.to_string(),
            operation: operation.to_string(),
            span,
            args,
            confidence,
            via,
        });
    }

    pub(crate) fn note(&mut self, node: Node<'_>, message: String) {
        if self.notes.len() >= MAX_NOTES {
            self.dropped_notes += 1;
            return;
        }
        let span = self.span(node);
        self.notes.push(Note { span, message });
    }

    fn finish(mut self) -> Discovery {
        let whole = Span::file_start(self.file);
        if self.dropped_calls > 0 {
            self.notes.push(Note {
                span: whole,
                message: format!(
                    "more than {MAX_CALLS} SDK calls in this module: {} not reported",
                    self.dropped_calls
                ),
            });
        }
        if self.dropped_notes > 0 {
            self.notes.push(Note {
                span: whole,
                message: format!("{} further notes not reported", self.dropped_notes),
            });
        }
        Discovery { calls: self.calls, notes: self.notes }
    }
}

/// Node kinds and field ids of a grammar, looked up once: comparing `u16`s
/// instead of kind strings (`Node::kind` is a C string, measured and
/// validated on every call) and field names (`child_by_field_name` scans
/// the grammar's field table) is most of the difference in a walk.
pub(crate) struct Grammar<K> {
    kinds: Vec<K>,
    other: K,
}

impl<K: Copy> Grammar<K> {
    /// `classify` names the kinds a language module cares about; every
    /// other named kind is `other`, every anonymous node (punctuation,
    /// keywords, operators: no code inside) is `token`.
    pub(crate) fn new(
        lang: &tree_sitter::Language,
        classify: fn(&str) -> Option<K>,
        other: K,
        token: K,
    ) -> Self {
        let count = lang.node_kind_count();
        let kinds = (0..count)
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                match lang.node_kind_for_id(id) {
                    Some(name) if lang.node_kind_is_named(id) => classify(name).unwrap_or(other),
                    Some(_) => token,
                    None => other,
                }
            })
            .collect();
        Grammar { kinds, other }
    }

    pub(crate) fn kind(&self, n: Node<'_>) -> K {
        self.kinds.get(usize::from(n.kind_id())).copied().unwrap_or(self.other)
    }
}

/// A field's id in a grammar (0, which matches no child, if it has none).
pub(crate) fn field_id(lang: &tree_sitter::Language, name: &str) -> u16 {
    lang.field_id_for_name(name).map_or(0, |f| f.get())
}

/// Depth-first walk with a cursor: no recursion, so nesting depth costs
/// nothing but time. `f` gets each node and its depth and says whether to
/// look inside it.
pub(crate) fn walk<'t>(tree: &'t Tree, mut f: impl FnMut(Node<'t>, usize) -> bool) {
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    loop {
        if f(cursor.node(), depth) && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            depth = depth.saturating_sub(1);
        }
    }
}

/// Scope id of the module itself.
pub(crate) const MODULE_SCOPE: usize = usize::MAX;

/// Name bindings per scope, each with the byte offset where it happens.
/// Names are interned once; lookups allocate nothing.
pub(crate) struct Scopes<'t, 's, B> {
    parent: HashMap<usize, usize>,
    names: HashMap<std::borrow::Cow<'s, str>, u32>,
    bindings: HashMap<(usize, u32), Vec<(usize, B)>>,
    /// Call sites of functions by name: (call node, scope of the call).
    call_sites: HashMap<&'s str, Vec<(Node<'t>, usize)>>,
}

impl<'t, 's, B> Scopes<'t, 's, B> {
    pub(crate) fn new() -> Self {
        Scopes {
            parent: HashMap::new(),
            names: HashMap::new(),
            bindings: HashMap::new(),
            call_sites: HashMap::new(),
        }
    }

    pub(crate) fn open(&mut self, scope: usize, parent: usize) {
        self.parent.insert(scope, parent);
    }

    fn intern(&mut self, name: std::borrow::Cow<'s, str>) -> u32 {
        let next = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        *self.names.entry(name).or_insert(next)
    }

    /// Binds a name that is a slice of the source.
    pub(crate) fn bind(&mut self, scope: usize, name: &'s str, at: usize, b: B) {
        let id = self.intern(std::borrow::Cow::Borrowed(name));
        self.bindings.entry((scope, id)).or_default().push((at, b));
    }

    /// Binds a made-up name (`self.x` for a class attribute).
    pub(crate) fn bind_owned(&mut self, scope: usize, name: String, at: usize, b: B) {
        let id = self.intern(std::borrow::Cow::Owned(name));
        self.bindings.entry((scope, id)).or_default().push((at, b));
    }

    /// Records a call of the local function `name`.
    pub(crate) fn call_site(&mut self, name: &'s str, call: Node<'t>, scope: usize) {
        let sites = self.call_sites.entry(name).or_default();
        if sites.len() < MAX_CALL_SITES {
            sites.push((call, scope));
        }
    }

    pub(crate) fn call_sites(&self, name: &str) -> &[(Node<'t>, usize)] {
        self.call_sites.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The names `scope` binds itself.
    pub(crate) fn names_in(&self, scope: usize) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .filter(move |(_, id)| self.bindings.contains_key(&(scope, **id)))
            .map(|(n, _)| n.as_ref())
    }

    /// The binding `name` refers to at offset `at` in `scope`, and the scope
    /// it lives in.
    pub(crate) fn lookup(&self, scope: usize, name: &str, at: usize) -> Option<(usize, &B)> {
        let id = *self.names.get(name)?;
        let mut s = scope;
        let mut first = true;
        // Scope chains are as deep as function nesting; bound them anyway.
        for _ in 0..256 {
            if let Some(list) = self.bindings.get(&(s, id)) {
                // Bindings are recorded in document order: binary search,
                // so a name assigned thousands of times stays cheap.
                let chosen = if first {
                    match list.partition_point(|(pos, _)| *pos <= at) {
                        0 => list.last(),
                        i => list.get(i - 1),
                    }
                } else {
                    list.last()
                };
                if let Some((_, b)) = chosen {
                    return Some((s, b));
                }
            }
            if s == MODULE_SCOPE {
                return None;
            }
            first = false;
            s = *self.parent.get(&s).unwrap_or(&MODULE_SCOPE);
        }
        None
    }
}

/// Step budget shared by one top-level evaluation, and whether a limit cut
/// an evaluation short (such results are not remembered: they depend on
/// where the evaluation started).
pub(crate) struct Budget {
    left: Cell<u32>,
    cut: Cell<bool>,
}

impl Budget {
    pub(crate) fn new() -> Self {
        Budget { left: Cell::new(MAX_STEPS), cut: Cell::new(false) }
    }

    pub(crate) fn reset(&self) {
        self.left.set(MAX_STEPS);
    }

    /// Takes one step at `depth`; false when the budget or the depth is
    /// spent.
    pub(crate) fn step(&self, depth: u32) -> bool {
        let left = self.left.get();
        if left == 0 || depth > MAX_DEPTH {
            self.cut.set(true);
            return false;
        }
        self.left.set(left - 1);
        true
    }

    /// Runs `f`, telling whether a limit was hit inside it.
    pub(crate) fn watch<T>(&self, f: impl FnOnce() -> T) -> (T, bool) {
        let before = self.cut.replace(false);
        let v = f();
        let cut = self.cut.get();
        self.cut.set(before || cut);
        (v, cut)
    }
}

pub(crate) fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// Source text for messages: one line, at most [`MAX_SNIPPET`] bytes.
pub(crate) fn snippet(node: Node<'_>, src: &str) -> String {
    shorten(text(node, src))
}

pub(crate) fn shorten(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.len() <= MAX_SNIPPET {
        return one_line;
    }
    let mut end = MAX_SNIPPET;
    while !one_line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &one_line[..end])
}

/// Joins the pieces of a string expression, merging adjacent literals; a
/// template without unknown or env parts is a literal.
pub(crate) fn template(parts: Vec<Part>) -> ArgValue {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts {
        match (merged.last_mut(), p) {
            (_, Part::Literal(s)) if s.is_empty() => {}
            (Some(Part::Literal(prev)), Part::Literal(s)) => prev.push_str(&s),
            (_, p) => merged.push(p),
        }
    }
    match merged.as_slice() {
        [] => ArgValue::Literal(String::new()),
        [Part::Literal(s)] => ArgValue::Literal(s.clone()),
        [Part::Env(e)] => ArgValue::Env(e.clone()),
        _ => ArgValue::Template(merged),
    }
}

/// `left + right` where either side may be a string: the unknown side is
/// kept as its source text. `None` when neither side is a string.
pub(crate) fn concat(
    left: Option<ArgValue>,
    right: Option<ArgValue>,
    (l, r): (Node<'_>, Node<'_>),
    src: &str,
) -> Option<ArgValue> {
    if left.is_none() && right.is_none() {
        return None;
    }
    let mut parts = left.map_or_else(|| vec![Part::Unknown(snippet(l, src))], parts_of);
    parts.extend(right.map_or_else(|| vec![Part::Unknown(snippet(r, src))], parts_of));
    Some(template(parts))
}

/// An [`ArgValue`] as template parts, to nest it in a larger template.
pub(crate) fn parts_of(v: ArgValue) -> Vec<Part> {
    match v {
        ArgValue::Literal(s) => vec![Part::Literal(s)],
        ArgValue::Env(e) => vec![Part::Env(e)],
        ArgValue::Template(p) => p,
        ArgValue::Unknown(s) => vec![Part::Unknown(s)],
    }
}

/// `get_object` -> `GetObject`, `list_objects_v2` -> `ListObjectsV2`.
///
/// botocore's `xform_name` loses the case of acronyms, so its inverse is
/// ambiguous; the operations of the common services that do not survive
/// the naive inverse are listed. The IAM step should still match
/// operations case-insensitively against the catalog.
pub(crate) fn snake_to_pascal(name: &str) -> String {
    if let Some((_, op)) = SNAKE_IRREGULAR.iter().find(|(s, _)| *s == name) {
        return (*op).to_string();
    }
    let mut out = String::with_capacity(name.len());
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

const SNAKE_IRREGULAR: &[(&str, &str)] = &[
    ("assume_role_with_saml", "AssumeRoleWithSAML"),
    ("get_sms_attributes", "GetSMSAttributes"),
    ("set_sms_attributes", "SetSMSAttributes"),
    ("get_sms_sandbox_account_status", "GetSMSSandboxAccountStatus"),
    ("list_sms_sandbox_phone_numbers", "ListSMSSandboxPhoneNumbers"),
    ("create_sms_sandbox_phone_number", "CreateSMSSandboxPhoneNumber"),
    ("delete_sms_sandbox_phone_number", "DeleteSMSSandboxPhoneNumber"),
    ("verify_sms_sandbox_phone_number", "VerifySMSSandboxPhoneNumber"),
    ("list_mfa_devices", "ListMFADevices"),
    ("enable_mfa_device", "EnableMFADevice"),
    ("deactivate_mfa_device", "DeactivateMFADevice"),
    ("resync_mfa_device", "ResyncMFADevice"),
    ("create_virtual_mfa_device", "CreateVirtualMFADevice"),
    ("delete_virtual_mfa_device", "DeleteVirtualMFADevice"),
    ("list_virtual_mfa_devices", "ListVirtualMFADevices"),
    ("create_saml_provider", "CreateSAMLProvider"),
    ("get_saml_provider", "GetSAMLProvider"),
    ("update_saml_provider", "UpdateSAMLProvider"),
    ("delete_saml_provider", "DeleteSAMLProvider"),
    ("list_saml_providers", "ListSAMLProviders"),
    ("create_open_id_connect_provider", "CreateOpenIDConnectProvider"),
    ("get_open_id_connect_provider", "GetOpenIDConnectProvider"),
    ("delete_open_id_connect_provider", "DeleteOpenIDConnectProvider"),
    ("list_open_id_connect_providers", "ListOpenIDConnectProviders"),
    ("get_ssh_public_key", "GetSSHPublicKey"),
    ("upload_ssh_public_key", "UploadSSHPublicKey"),
    ("list_ssh_public_keys", "ListSSHPublicKeys"),
    ("associate_vpc_with_hosted_zone", "AssociateVPCWithHostedZone"),
    ("disassociate_vpc_from_hosted_zone", "DisassociateVPCFromHostedZone"),
    ("create_vpc_association_authorization", "CreateVPCAssociationAuthorization"),
    ("delete_vpc_association_authorization", "DeleteVPCAssociationAuthorization"),
    ("list_vpc_association_authorizations", "ListVPCAssociationAuthorizations"),
];

/// `getObject` -> `GetObject`. The JavaScript SDKs only lower the first
/// letter of the operation name, so this is exact.
pub(crate) fn camel_to_pascal(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Waiter name (boto3 `bucket_exists` / JS `bucketExists` / v3
/// `BucketExists`, compared case- and underscore-insensitively) to the
/// operation it polls. Waiters not listed become notes, not guesses.
pub(crate) fn waiter_operation(client: &str, waiter: &str) -> Option<&'static str> {
    let w: String = waiter.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect();
    let op = match (client, w.as_str()) {
        ("s3", "bucketexists" | "bucketnotexists") => "HeadBucket",
        ("s3", "objectexists" | "objectnotexists") => "HeadObject",
        ("dynamodb", "tableexists" | "tablenotexists") => "DescribeTable",
        ("lambda", "functionexists" | "functionactivev2" | "functionupdatedv2") => "GetFunction",
        ("lambda", "functionactive" | "functionupdated") => "GetFunctionConfiguration",
        ("lambda", "publishedversionactive") => "GetFunctionConfiguration",
        ("kinesis", "streamexists" | "streamnotexists") => "DescribeStream",
        ("ssm", "commandexecuted") => "GetCommandInvocation",
        ("cloudformation", "stackexists") | ("cloudformation", "stackcreatecomplete") => {
            "DescribeStacks"
        }
        ("cloudformation", "stackupdatecomplete" | "stackdeletecomplete") => "DescribeStacks",
        (
            "ec2",
            "instancerunning" | "instancestopped" | "instanceterminated" | "instanceexists",
        ) => "DescribeInstances",
        ("ecs", "servicesstable" | "servicesinactive") => "DescribeServices",
        ("ecs", "tasksrunning" | "tasksstopped") => "DescribeTasks",
        ("sns", "topicexists") => "GetTopicAttributes",
        _ => return None,
    };
    Some(op)
}

/// A DynamoDB document-client method (v2 `DocumentClient`, v3
/// `DynamoDBDocument`) to the low-level operation it delegates to.
pub(crate) fn document_client_operation(method: &str) -> Option<&'static str> {
    Some(match method {
        "get" => "GetItem",
        "put" => "PutItem",
        "update" => "UpdateItem",
        "delete" => "DeleteItem",
        "query" => "Query",
        "scan" => "Scan",
        "batchGet" => "BatchGetItem",
        "batchWrite" => "BatchWriteItem",
        "transactGet" => "TransactGetItems",
        "transactWrite" => "TransactWriteItems",
        "executeStatement" => "ExecuteStatement",
        "batchExecuteStatement" => "BatchExecuteStatement",
        "executeTransaction" => "ExecuteTransaction",
        _ => return None,
    })
}

/// The operations of a managed S3 upload (boto3 `upload_file`, v2
/// `s3.upload`, v3 `lib-storage` `Upload`): small bodies go in one
/// PutObject, large ones in a multipart upload that is aborted on failure.
pub(crate) const S3_UPLOAD_OPERATIONS: &[&str] = &[
    "PutObject",
    "CreateMultipartUpload",
    "UploadPart",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
];

/// A guess at the service from a variable name (`s3`, `sqs_client`,
/// `dynamoTable`), used only for clients received from outside the module
/// and reported with [`Confidence::Low`].
pub(crate) fn service_from_name(name: &str) -> Option<&'static str> {
    let last = name.rsplit('.').next().unwrap_or(name);
    let mut n: String = last.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect();
    for suffix in ["client", "resource", "svc", "service", "conn"] {
        if n.len() > suffix.len() && n.ends_with(suffix) {
            n.truncate(n.len() - suffix.len());
            break;
        }
    }
    Some(match n.as_str() {
        "s3" => "s3",
        "dynamodb" | "ddb" | "dynamo" | "table" | "dynamotable" | "ddbtable" | "docclient"
        | "documentclient" => "dynamodb",
        "sqs" => "sqs",
        "sns" => "sns",
        "lambda" | "lambdaclient" => "lambda",
        "ssm" => "ssm",
        "secretsmanager" | "secrets" | "sm" => "secretsmanager",
        "kms" => "kms",
        "sfn" | "stepfunctions" | "states" => "stepfunctions",
        "events" | "eventbridge" | "eb" => "events",
        "kinesis" => "kinesis",
        "firehose" => "firehose",
        "ses" => "ses",
        "sts" => "sts",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case() {
        assert_eq!(snake_to_pascal("get_object"), "GetObject");
        assert_eq!(snake_to_pascal("list_objects_v2"), "ListObjectsV2");
        assert_eq!(snake_to_pascal("assume_role_with_saml"), "AssumeRoleWithSAML");
        assert_eq!(camel_to_pascal("putObject"), "PutObject");
    }

    #[test]
    fn templates_merge() {
        let t = template(vec![
            Part::Literal("a".into()),
            Part::Literal("b".into()),
            Part::Env("X".into()),
        ]);
        assert_eq!(t, ArgValue::Template(vec![Part::Literal("ab".into()), Part::Env("X".into())]));
        assert_eq!(template(vec![Part::Literal("a".into())]), ArgValue::Literal("a".into()));
    }

    #[test]
    fn snippets_are_short_and_on_one_line() {
        let s = shorten(&"x\n".repeat(500));
        assert!(s.len() <= MAX_SNIPPET + 3 && !s.contains('\n'));
    }
}

//! Taint in Python handlers.
//!
//! One walk per module records bindings (assignments, parameters, imports,
//! loop and `with` targets, container mutations), function definitions,
//! return expressions, allow-list guards and every call. Then each call
//! that may be a sink (its last name segment is in the catalog) has its
//! arguments evaluated on demand: a name resolves to its last binding
//! before the use (flow-insensitive per function otherwise), a binding's
//! taint is computed once and remembered, and a local function's return
//! value is summarised once with its parameters as placeholders.
//! Placeholders that reach a sink inside a function become "parameter
//! sinks", pushed to the function's call sites (in any module) until they
//! meet event data or run out.
//!
//! Bounds: walks are iterative; evaluation is limited in depth and in
//! steps (per sink and per analysis), and a cut is reported as a note.

mod catalog;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use tree_sitter::Node;

use self::catalog::{Catalog, Shape, Sink, When, catalog, class_bit};
use crate::{Analysis, Flow, Input, Note, SinkClass, Step, has_host_prefix};

const MODULE_SCOPE: usize = usize::MAX;
/// Nesting of one evaluation (expression depth plus alias hops).
const MAX_DEPTH: u32 = 48;
/// Nodes one sink check may visit (memoised bindings are free).
const MAX_STEPS_PER_CHECK: u32 = 20_000;
/// Nodes the whole analysis may visit: a generated module with tens of
/// thousands of sinks must not cost minutes.
const MAX_STEPS_TOTAL: u64 = 4_000_000;
/// Distinct sources followed per value.
const MAX_TRACES: usize = 6;
/// Steps kept per flow: the first ones and the last ones.
const MAX_FLOW_STEPS: usize = 10;
const MAX_SNIPPET: usize = 120;
const MAX_FLOWS: usize = 2_000;
const MAX_NOTES: usize = 50;
const MAX_PARAM_SINKS: usize = 10_000;
const MAX_CALL_SITES: usize = 64;
/// Calls a parameter sink is followed up through.
const MAX_HOPS: u8 = 8;

// ---------------------------------------------------------------------------
// Grammar ids.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Other,
    Token,
    FunctionDefinition,
    ClassDefinition,
    DecoratedDefinition,
    Lambda,
    Assignment,
    AugmentedAssignment,
    ForStatement,
    ForInClause,
    WithItem,
    AsPattern,
    NamedExpression,
    ReturnStatement,
    RaiseStatement,
    IfStatement,
    GlobalStatement,
    ImportStatement,
    ImportFromStatement,
    ExpressionStatement,
    Call,
    Identifier,
    Attribute,
    Subscript,
    String,
    ConcatenatedString,
    Interpolation,
    BinaryOperator,
    BooleanOperator,
    ConditionalExpression,
    Parenthesized,
    Await,
    List,
    Tuple,
    Set,
    ExpressionList,
    Dictionary,
    Pair,
    Comprehension,
    DictComprehension,
    KeywordArgument,
    ListSplat,
    DictionarySplat,
    Pattern,
    Integer,
    Comment,
    Block,
}

fn classify(name: &str) -> Option<K> {
    Some(match name {
        "function_definition" => K::FunctionDefinition,
        "class_definition" => K::ClassDefinition,
        "decorated_definition" => K::DecoratedDefinition,
        "lambda" => K::Lambda,
        "assignment" => K::Assignment,
        "augmented_assignment" => K::AugmentedAssignment,
        "for_statement" => K::ForStatement,
        "for_in_clause" => K::ForInClause,
        "with_item" => K::WithItem,
        "as_pattern" => K::AsPattern,
        "named_expression" => K::NamedExpression,
        "return_statement" => K::ReturnStatement,
        "raise_statement" => K::RaiseStatement,
        "if_statement" => K::IfStatement,
        "global_statement" => K::GlobalStatement,
        "import_statement" => K::ImportStatement,
        "import_from_statement" => K::ImportFromStatement,
        "expression_statement" => K::ExpressionStatement,
        "call" => K::Call,
        "identifier" => K::Identifier,
        "attribute" => K::Attribute,
        "subscript" => K::Subscript,
        "string" => K::String,
        "concatenated_string" => K::ConcatenatedString,
        "interpolation" => K::Interpolation,
        "binary_operator" => K::BinaryOperator,
        "boolean_operator" => K::BooleanOperator,
        "conditional_expression" => K::ConditionalExpression,
        "parenthesized_expression" => K::Parenthesized,
        "await" => K::Await,
        "list" => K::List,
        "tuple" => K::Tuple,
        "set" => K::Set,
        "expression_list" | "argument_list" => K::ExpressionList,
        "dictionary" => K::Dictionary,
        "pair" => K::Pair,
        "list_comprehension" | "set_comprehension" | "generator_expression" => K::Comprehension,
        "dictionary_comprehension" => K::DictComprehension,
        "keyword_argument" => K::KeywordArgument,
        "list_splat" => K::ListSplat,
        "dictionary_splat" => K::DictionarySplat,
        "pattern_list" | "tuple_pattern" | "list_pattern" => K::Pattern,
        "integer" => K::Integer,
        "comment" => K::Comment,
        "block" => K::Block,
        _ => return None,
    })
}

struct F {
    alias: u16,
    arguments: u16,
    attribute: u16,
    body: u16,
    condition: u16,
    consequence: u16,
    definition: u16,
    expression: u16,
    function: u16,
    key: u16,
    left: u16,
    module_name: u16,
    name: u16,
    object: u16,
    parameters: u16,
    right: u16,
    subscript: u16,
    type_: u16,
    value: u16,
}

struct Ids {
    kinds: Vec<K>,
    f: F,
}

impl Ids {
    fn new(lang: &tree_sitter::Language) -> Ids {
        let count = lang.node_kind_count();
        let kinds = (0..count)
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                match lang.node_kind_for_id(id) {
                    Some(name) if lang.node_kind_is_named(id) => classify(name).unwrap_or(K::Other),
                    Some(_) => K::Token,
                    None => K::Other,
                }
            })
            .collect();
        let f = |n: &str| lang.field_id_for_name(n).map_or(0, |f| f.get());
        Ids {
            kinds,
            f: F {
                alias: f("alias"),
                arguments: f("arguments"),
                attribute: f("attribute"),
                body: f("body"),
                condition: f("condition"),
                consequence: f("consequence"),
                definition: f("definition"),
                expression: f("expression"),
                function: f("function"),
                key: f("key"),
                left: f("left"),
                module_name: f("module_name"),
                name: f("name"),
                object: f("object"),
                parameters: f("parameters"),
                right: f("right"),
                subscript: f("subscript"),
                type_: f("type"),
                value: f("value"),
            },
        }
    }

    fn kind(&self, n: Node<'_>) -> K {
        self.kinds.get(usize::from(n.kind_id())).copied().unwrap_or(K::Other)
    }
}

/// A field's child (0 matches nothing, for a grammar without the field).
fn field<'t>(n: Node<'t>, id: u16) -> Option<Node<'t>> {
    std::num::NonZeroU16::new(id).and_then(|id| n.child_by_field_id(id.get()))
}

// ---------------------------------------------------------------------------
// Tables built by the walk.

#[derive(Clone, Copy)]
enum Bind<'a> {
    /// `name = rhs` (also `with rhs as name`, `name := rhs`, unpacking);
    /// `stmt` is shown as the step.
    Expr {
        rhs: Node<'a>,
        stmt: Node<'a>,
        scope: usize,
    },
    /// `name += rhs`, `name.append(rhs)`: the previous value and `rhs`.
    Aug {
        target: Node<'a>,
        rhs: Node<'a>,
        stmt: Node<'a>,
        scope: usize,
    },
    /// `for name in iter`.
    Iter {
        iter: Node<'a>,
        target: Node<'a>,
        scope: usize,
    },
    Param {
        fid: usize,
        index: usize,
    },
    Import {
        q: &'a str,
        member: Option<&'a str>,
    },
    Function {
        fid: usize,
    },
}

/// What a source parameter holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SourceParam {
    /// The whole event or request: the part is what is read from it.
    Object,
    /// One value (a route parameter): the part is the parameter's name.
    Named,
}

struct Func<'a> {
    params: Vec<&'a str>,
    sources: Vec<(usize, SourceParam)>,
}

struct Module<'a> {
    src: &'a str,
    path: &'a str,
    bindings: HashMap<(usize, &'a str), Vec<(usize, Bind<'a>)>>,
    parent: HashMap<usize, usize>,
    funcs: HashMap<usize, Func<'a>>,
    top: HashMap<&'a str, usize>,
    /// Calls that may be sinks (their last name is a sink's or an alias).
    sink_calls: Vec<(Node<'a>, usize)>,
    /// Calls that may be of local functions (a plain name, or a dotted
    /// one when there are several modules).
    local_calls: Vec<(Node<'a>, usize)>,
    returns: HashMap<usize, Vec<Node<'a>>>,
    /// `return {...}` statements: (statement, dictionary, scope).
    dict_returns: Vec<(Node<'a>, Node<'a>, usize)>,
    /// Allow-list guards: (scope, name) to byte ranges where the name's
    /// earlier value was checked.
    guards: HashMap<(usize, &'a str), Vec<(usize, usize)>>,
    /// Names that may stand for another callable (`from os import system
    /// as run`, `check = sp.check_output`): calls of them are resolved
    /// even when their own name is not a sink's.
    aliases: HashSet<&'a str>,
    /// Names of the module's classes, for calls of methods on instances.
    classes: HashSet<&'a str>,
    sax_external: bool,
}

/// The part of an S3 object's content read through the SDK.
const S3_CONTENT: &str = "s3 object content";

// ---------------------------------------------------------------------------
// Taint values.

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Origin {
    Source,
    /// Parameter `index` of function `fid` of module `m`.
    Param {
        m: u32,
        fid: usize,
        index: usize,
    },
}

#[derive(Clone, Copy)]
enum StepKind {
    Plain,
    /// A `for` target: the node is the iterable, `target` the loop variable.
    For {
        target: usize,
    },
}

#[derive(Clone, Copy)]
struct StepRef<'a> {
    m: u32,
    node: Node<'a>,
    kind: StepKind,
}

#[derive(Clone)]
struct Trace<'a> {
    origin: Origin,
    /// Where the data is read (the source step, or the parameter's read).
    read: (u32, Node<'a>),
    part: Rc<str>,
    steps: Vec<StepRef<'a>>,
    /// Classes a sanitizer protects this value for.
    mask: u16,
    shape: Shape,
    /// Still the read itself: further `.x`/`["x"]`/`.get("x")` extend the part.
    fresh: bool,
}

type Taint<'a> = Vec<Trace<'a>>;

fn push_trace<'a>(into: &mut Taint<'a>, t: Trace<'a>) {
    if into.len() >= MAX_TRACES {
        return;
    }
    let key = (t.origin, t.read.0, t.read.1.id());
    if into.iter().any(|x| (x.origin, x.read.0, x.read.1.id()) == key) {
        return;
    }
    into.push(t);
}

fn union<'a>(into: &mut Taint<'a>, from: Taint<'a>) {
    for t in from {
        push_trace(into, t);
    }
}

fn push_step<'a>(steps: &mut Vec<StepRef<'a>>, s: StepRef<'a>) {
    if steps.last().is_some_and(|l| l.m == s.m && l.node.id() == s.node.id()) {
        return;
    }
    if steps.len() >= MAX_FLOW_STEPS {
        // Keep the first two (how the data entered) and the latest ones.
        steps.remove(2);
    }
    steps.push(s);
}

fn join_part(a: &str, b: &str) -> Rc<str> {
    if a.is_empty() {
        Rc::from(b.trim_start_matches('.'))
    } else if b.is_empty() {
        Rc::from(a)
    } else if b.starts_with('[') || b.starts_with('.') {
        Rc::from(format!("{a}{b}"))
    } else {
        Rc::from(format!("{a}.{b}"))
    }
}

/// A call of a local function: (module, call, scope of the call).
type Site<'a> = (u32, Node<'a>, usize);

/// A sink inside a function reached by one of its parameters.
#[derive(Clone)]
struct ParamSink<'a> {
    /// Calls between the sink and this function: a chain of wrappers is
    /// followed this far, so chains cost linear time, not quadratic.
    hops: u8,
    class: SinkClass,
    name: Rc<str>,
    sink: (u32, Node<'a>),
    trace: Trace<'a>,
}

// ---------------------------------------------------------------------------
// Entry.

pub(crate) fn analyse(modules: &[Input<'_>], entry: Option<(usize, &str)>, out: &mut Analysis) {
    let Some(first) = modules.first() else { return };
    let ids = Ids::new(&first.module.tree.language());
    let entry = match entry {
        Some((m, name)) => Some((m, name.rsplit('.').next().unwrap_or(name))),
        None => None,
    };
    let mut engine = Engine::new(modules, &ids, catalog());
    for m in 0..modules.len() {
        engine.collect(m, entry);
    }
    if entry.is_none() {
        engine.default_entry();
    }
    let before = out.flows.len();
    engine.run(out);
    let mut new = out.flows.split_off(before);
    // Source order of the sink, then of the source: the same for every run.
    new.sort_by_key(|f| {
        (f.sink.span.file, f.sink.span.start, f.source.span.file, f.source.span.start, f.class)
    });
    out.flows.extend(new);
}

struct Engine<'a, 'i> {
    inputs: &'a [Input<'a>],
    ids: &'i Ids,
    cat: &'static Catalog,
    mods: Vec<Module<'a>>,
    memo: RefCell<HashMap<(u32, usize, u8), Taint<'a>>>,
    active: RefCell<HashSet<(u32, usize, u8)>>,
    specs: RefCell<HashMap<(u32, String), Option<u32>>>,
    left: Cell<u32>,
    total: Cell<u64>,
    cut: Cell<bool>,
    /// Whether some expression was deeper than [`MAX_DEPTH`]: reported
    /// once, since the flows through it were not followed.
    depth_cut: Cell<bool>,
    /// Whether a sink inside local functions was not followed to all its
    /// callers (helpers nested past [`MAX_HOPS`], too many call sites or
    /// parameter sinks).
    chain_cut: Cell<bool>,
    param_sinks: Vec<ParamSink<'a>>,
    seen: HashSet<(u32, usize, usize, u32, usize, usize)>,
    flows: Vec<Flow>,
    flow_keys: HashSet<(u32, usize, u32, usize, SinkClass)>,
    notes: Vec<Note>,
    entry_fn: Option<(u32, usize)>,
}

impl<'a, 'i> Engine<'a, 'i> {
    fn new(inputs: &'a [Input<'a>], ids: &'i Ids, cat: &'static Catalog) -> Self {
        Engine {
            inputs,
            ids,
            cat,
            mods: Vec::with_capacity(inputs.len()),
            memo: RefCell::new(HashMap::new()),
            active: RefCell::new(HashSet::new()),
            specs: RefCell::new(HashMap::new()),
            left: Cell::new(MAX_STEPS_PER_CHECK),
            total: Cell::new(MAX_STEPS_TOTAL),
            cut: Cell::new(false),
            depth_cut: Cell::new(false),
            chain_cut: Cell::new(false),
            param_sinks: Vec::new(),
            seen: HashSet::new(),
            flows: Vec::new(),
            flow_keys: HashSet::new(),
            notes: Vec::new(),
            entry_fn: None,
        }
    }

    fn kind(&self, n: Node<'_>) -> K {
        self.ids.kind(n)
    }

    fn m(&self, m: u32) -> Option<&Module<'a>> {
        self.mods.get(m as usize)
    }

    fn text(&self, m: u32, n: Node<'_>) -> &'a str {
        self.m(m).and_then(|x| x.src.get(n.start_byte()..n.end_byte())).unwrap_or("")
    }

    fn snippet(&self, m: u32, n: Node<'_>) -> String {
        shorten(self.text(m, n))
    }

    fn step_of(&self, s: &StepRef<'a>) -> Step {
        let input = self.inputs.get(s.m as usize);
        let span = match input {
            Some(i) => i.span(s.node),
            None => faasguard_source::Span::file_start(faasguard_source::FileId(0)),
        };
        let what = match s.kind {
            StepKind::Plain => self.snippet(s.m, s.node),
            StepKind::For { target } => {
                let t = self.m(s.m).and_then(|x| x.src.get(target..s.node.start_byte()));
                // `target` is the loop variable's start; the text up to the
                // iterable holds ` in `.
                shorten(&format!("for {}{}", t.unwrap_or(""), self.text(s.m, s.node)))
            }
        };
        Step { span, what }
    }

    // -- the walk ------------------------------------------------------------

    fn collect(&mut self, m: usize, entry: Option<(usize, &str)>) {
        let Some(input) = self.inputs.get(m) else { return };
        let src: &'a str = input.text;
        let ids = self.ids;
        let f = &ids.f;
        let web = ["flask", "fastapi", "starlette", "quart", "sanic", "bottle", "chalice"]
            .iter()
            .any(|w| src.contains(w));
        let django = src.contains("django");
        let several = self.inputs.len() > 1;
        let mut md = Module {
            src,
            path: input.path,
            bindings: HashMap::new(),
            parent: HashMap::new(),
            funcs: HashMap::new(),
            top: HashMap::new(),
            sink_calls: Vec::new(),
            local_calls: Vec::new(),
            returns: HashMap::new(),
            dict_returns: Vec::new(),
            guards: HashMap::new(),
            aliases: HashSet::new(),
            classes: HashSet::new(),
            sax_external: src.contains("feature_external_ges"),
        };
        let text = |n: Node<'_>| src.get(n.start_byte()..n.end_byte()).unwrap_or("");
        // (scope, depth, end byte of the scope).
        let mut stack: Vec<(usize, usize, usize)> = vec![(MODULE_SCOPE, 0, usize::MAX)];
        let mut globals: HashSet<(usize, &'a str)> = HashSet::new();
        // The decorated definition a function sits in (its decorators).
        let mut decorated: Option<(usize, Node<'a>)> = None;
        let mut instance_calls: Vec<(Node<'a>, usize)> = Vec::new();
        let tree = &input.module.tree;
        let mut cursor = tree.walk();
        let mut depth = 0usize;
        loop {
            let n = cursor.node();
            while stack.len() > 1 && stack.last().is_some_and(|(_, d, _)| *d >= depth) {
                stack.pop();
            }
            let (scope, _, scope_end) =
                stack.last().copied().unwrap_or((MODULE_SCOPE, 0, usize::MAX));
            let mut descend = true;
            match ids.kind(n) {
                K::ClassDefinition => {
                    if let Some(name) = field(n, f.name) {
                        md.classes.insert(text(name));
                    }
                }
                K::FunctionDefinition => {
                    let fid = n.id();
                    md.parent.insert(fid, scope);
                    let name = field(n, f.name).map_or("", text);
                    if !name.is_empty() {
                        bind(&mut md.bindings, scope, name, n.start_byte(), Bind::Function { fid });
                        if scope == MODULE_SCOPE {
                            md.top.insert(name, fid);
                        }
                    }
                    let decorators = decorated.filter(|(id, _)| *id == fid).map(|(_, d)| d);
                    let mut func = Func { params: Vec::new(), sources: Vec::new() };
                    let is_entry = scope == MODULE_SCOPE
                        && entry.is_some_and(|(em, en)| em == m && en == name);
                    if is_entry {
                        self.entry_fn = Some((m as u32, fid));
                    }
                    let route = decorators.is_some_and(|d| {
                        web && {
                            let t = text(d);
                            [
                                ".route(",
                                ".get(",
                                ".post(",
                                ".put(",
                                ".delete(",
                                ".patch(",
                                ".api_route(",
                            ]
                            .iter()
                            .any(|r| t.contains(r))
                        }
                    });
                    if let Some(params) = field(n, f.parameters) {
                        let mut c = params.walk();
                        for (index, p) in params.named_children(&mut c).enumerate() {
                            let (ident, ty, default) = match ids.kind(p) {
                                K::Identifier => (Some(p), None, None),
                                _ => match p.kind() {
                                    "default_parameter" => {
                                        (field(p, f.name), None, field(p, f.value))
                                    }
                                    "typed_default_parameter" => {
                                        (field(p, f.name), field(p, f.type_), field(p, f.value))
                                    }
                                    "typed_parameter" => (
                                        p.named_child(0).filter(|i| ids.kind(*i) == K::Identifier),
                                        field(p, f.type_),
                                        None,
                                    ),
                                    _ => (None, None, None),
                                },
                            };
                            let pname = ident.map_or("", text);
                            func.params.push(pname);
                            if let Some(i) = ident {
                                bind(
                                    &mut md.bindings,
                                    fid,
                                    text(i),
                                    n.start_byte(),
                                    Bind::Param { fid, index },
                                );
                            }
                            let ty = ty.map_or("", text);
                            let default = default.map_or("", text);
                            if is_entry && index == 0 {
                                func.sources.push((0, SourceParam::Object));
                            } else if ty.ends_with("HttpRequest")
                                || ty == "Request"
                                || ty.ends_with(".Request")
                                || (django && pname == "request")
                            {
                                func.sources.push((index, SourceParam::Object));
                            } else if route
                                && !matches!(pname, "self" | "cls" | "")
                                && !default.contains("Depends(")
                                && !ty.contains("Session")
                            {
                                func.sources.push((index, SourceParam::Named));
                            }
                        }
                    }
                    md.funcs.insert(fid, func);
                    stack.push((fid, depth, n.end_byte()));
                }
                K::DecoratedDefinition => {
                    if let Some(d) = field(n, f.definition) {
                        decorated = Some((d.id(), n));
                    }
                }
                K::Lambda => descend = false,
                K::GlobalStatement => {
                    let mut c = n.walk();
                    for id in n.named_children(&mut c) {
                        globals.insert((scope, text(id)));
                    }
                    descend = false;
                }
                K::Assignment => {
                    if let (Some(l), Some(r)) = (field(n, f.left), field(n, f.right)) {
                        let target = |name: &str| {
                            if globals.contains(&(scope, name)) { MODULE_SCOPE } else { scope }
                        };
                        let at = n.end_byte();
                        let lk = ids.kind(l);
                        let rk = ids.kind(r);
                        if lk == K::Pattern
                            && matches!(rk, K::ExpressionList | K::Tuple | K::List)
                            && l.named_child_count() == r.named_child_count()
                        {
                            let mut c1 = l.walk();
                            let mut c2 = r.walk();
                            for (a, b) in l.named_children(&mut c1).zip(r.named_children(&mut c2)) {
                                if ids.kind(a) == K::Identifier {
                                    let name = text(a);
                                    bind(
                                        &mut md.bindings,
                                        target(name),
                                        name,
                                        at,
                                        Bind::Expr { rhs: b, stmt: n, scope },
                                    );
                                }
                            }
                        } else if lk == K::Pattern {
                            for a in pattern_names(ids, l) {
                                let name = text(a);
                                bind(
                                    &mut md.bindings,
                                    target(name),
                                    name,
                                    at,
                                    Bind::Expr { rhs: r, stmt: n, scope },
                                );
                            }
                        } else if lk == K::Identifier {
                            let name = text(l);
                            if matches!(rk, K::Identifier | K::Attribute) {
                                md.aliases.insert(name);
                            }
                            bind(
                                &mut md.bindings,
                                target(name),
                                name,
                                at,
                                Bind::Expr { rhs: r, stmt: n, scope },
                            );
                        } else if lk == K::Attribute && is_dotted(ids, l) {
                            // `self.cmd = ...`: attributes are module-wide by
                            // their text, methods of a class share them.
                            bind(
                                &mut md.bindings,
                                MODULE_SCOPE,
                                text(l),
                                at,
                                Bind::Expr { rhs: r, stmt: n, scope },
                            );
                        }
                    }
                }
                K::AugmentedAssignment => {
                    if let (Some(l), Some(r)) = (field(n, f.left), field(n, f.right))
                        && ids.kind(l) == K::Identifier
                    {
                        let name = text(l);
                        let t = if globals.contains(&(scope, name)) { MODULE_SCOPE } else { scope };
                        bind(
                            &mut md.bindings,
                            t,
                            name,
                            n.end_byte(),
                            Bind::Aug { target: l, rhs: r, stmt: n, scope },
                        );
                    }
                }
                K::ForStatement | K::ForInClause => {
                    if let (Some(l), Some(r)) = (field(n, f.left), field(n, f.right)) {
                        let at = r.end_byte();
                        for a in pattern_names(ids, l) {
                            bind(
                                &mut md.bindings,
                                scope,
                                text(a),
                                at,
                                Bind::Iter { iter: r, target: l, scope },
                            );
                        }
                    }
                }
                K::WithItem => {
                    if let Some(v) = field(n, f.value)
                        && ids.kind(v) == K::AsPattern
                        && let (Some(e), Some(alias)) = (v.named_child(0), field(v, f.alias))
                    {
                        let target = if ids.kind(alias) == K::Identifier {
                            Some(alias)
                        } else {
                            alias.named_child(0).filter(|x| ids.kind(*x) == K::Identifier)
                        };
                        if let Some(t) = target {
                            bind(
                                &mut md.bindings,
                                scope,
                                text(t),
                                v.end_byte(),
                                Bind::Expr { rhs: e, stmt: n, scope },
                            );
                        }
                    }
                }
                K::NamedExpression => {
                    if let (Some(name), Some(v)) = (field(n, f.name), field(n, f.value)) {
                        bind(
                            &mut md.bindings,
                            scope,
                            text(name),
                            n.end_byte(),
                            Bind::Expr { rhs: v, stmt: n, scope },
                        );
                    }
                }
                K::ReturnStatement => {
                    if let Some(e) = n.named_child(0) {
                        if scope != MODULE_SCOPE {
                            md.returns.entry(scope).or_default().push(e);
                        }
                        if ids.kind(e) == K::Dictionary {
                            md.dict_returns.push((n, e, scope));
                        }
                    }
                }
                K::IfStatement => {
                    if let Some((name, range)) = guard(ids, src, n, scope_end) {
                        md.guards.entry((scope, name)).or_default().push(range);
                    }
                }
                K::ImportStatement => {
                    let mut c = n.walk();
                    for child in n.named_children(&mut c) {
                        match child.kind() {
                            "dotted_name" => {
                                let full = text(child);
                                let top = full.split('.').next().unwrap_or(full);
                                bind(
                                    &mut md.bindings,
                                    scope,
                                    top,
                                    n.start_byte(),
                                    Bind::Import { q: top, member: None },
                                );
                            }
                            "aliased_import" => {
                                if let (Some(name), Some(alias)) =
                                    (field(child, f.name), field(child, f.alias))
                                {
                                    bind(
                                        &mut md.bindings,
                                        scope,
                                        text(alias),
                                        n.start_byte(),
                                        Bind::Import { q: text(name), member: None },
                                    );
                                }
                            }
                            _ => {}
                        }
                    }
                    descend = false;
                }
                K::ImportFromStatement => {
                    if let Some(module) = field(n, f.module_name) {
                        let module = text(module);
                        let mut c = n.walk();
                        let names: Vec<Node<'a>> =
                            n.children_by_field_name("name", &mut c).collect();
                        for name in names {
                            let (member, alias) = if name.kind() == "aliased_import" {
                                match (field(name, f.name), field(name, f.alias)) {
                                    (Some(a), Some(b)) => {
                                        md.aliases.insert(text(b));
                                        (text(a), text(b))
                                    }
                                    _ => continue,
                                }
                            } else {
                                (text(name), text(name))
                            };
                            bind(
                                &mut md.bindings,
                                scope,
                                alias,
                                n.start_byte(),
                                Bind::Import { q: module, member: Some(member) },
                            );
                        }
                    }
                    descend = false;
                }
                K::ExpressionStatement => {
                    // `args.append(x)`, `query += ...` through a method:
                    // the container now holds `x`.
                    if let Some(call) = n.child(0)
                        && ids.kind(call) == K::Call
                        && let Some(fun) = call.child(0)
                        && ids.kind(fun) == K::Attribute
                        && let (Some(obj), Some(attr)) =
                            (field(fun, f.object), field(fun, f.attribute))
                        && ids.kind(obj) == K::Identifier
                        && matches!(
                            text(attr),
                            "append"
                                | "extend"
                                | "insert"
                                | "update"
                                | "add"
                                | "appendleft"
                                | "setdefault"
                                | "write"
                        )
                        && let Some(args) = field(call, f.arguments)
                    {
                        let name = text(obj);
                        bind(
                            &mut md.bindings,
                            scope,
                            name,
                            n.end_byte(),
                            Bind::Aug { target: obj, rhs: args, stmt: n, scope },
                        );
                    }
                }
                K::Call => {
                    // The callee is the first child; its last name decides
                    // whether the call can matter (cheaper than field lookups
                    // on every call).
                    if let Some(fun) = n.child(0) {
                        match ids.kind(fun) {
                            K::Identifier => {
                                md.local_calls.push((n, scope));
                                let name = text(fun);
                                if self.cat.last_names.contains(name) || md.aliases.contains(name) {
                                    md.sink_calls.push((n, scope));
                                }
                            }
                            K::Attribute => {
                                let last =
                                    fun.child(fun.child_count().saturating_sub(1)).map_or("", text);
                                if self.cat.last_names.contains(last) {
                                    md.sink_calls.push((n, scope));
                                }
                                let on_self =
                                    fun.child(0).is_some_and(|o| matches!(text(o), "self" | "cls"));
                                if several || on_self {
                                    md.local_calls.push((n, scope));
                                } else if fun.child(0).is_some_and(|o| ids.kind(o) == K::Identifier)
                                {
                                    instance_calls.push((n, scope));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                K::String => {
                    // Only f-strings hold code.
                    let head = src.as_bytes().get(n.start_byte()..n.start_byte().saturating_add(3));
                    descend = head.is_some_and(|h| {
                        h.iter()
                            .take_while(|b| b.is_ascii_alphabetic())
                            .any(|b| *b == b'f' || *b == b'F')
                    });
                }
                K::Comment | K::Identifier | K::Integer | K::Token => descend = false,
                _ => {}
            }
            if descend && cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            let mut done = false;
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    done = true;
                    break;
                }
                depth = depth.saturating_sub(1);
            }
            if done {
                break;
            }
        }
        // Methods called on instances (`runner.run(...)`) can be local only
        // where the module defines classes; elsewhere they are not looked at.
        if !md.classes.is_empty() {
            md.local_calls.extend(instance_calls);
        }
        // Bindings were pushed in walk order, which is document order for
        // their offsets except for nested targets; lookups binary-search.
        for list in md.bindings.values_mut() {
            list.sort_by_key(|(at, _)| *at);
        }
        self.mods.push(md);
    }

    /// Inline code without a known handler: a function named like one.
    fn default_entry(&mut self) {
        let Some(md) = self.mods.first_mut() else { return };
        for name in ["handler", "lambda_handler", "main"] {
            if let Some(&fid) = md.top.get(name) {
                if let Some(func) = md.funcs.get_mut(&fid)
                    && !func.params.is_empty()
                    && !func.sources.iter().any(|(i, _)| *i == 0)
                {
                    func.sources.push((0, SourceParam::Object));
                }
                self.entry_fn = Some((0, fid));
                return;
            }
        }
    }

    // -- lookups -------------------------------------------------------------

    /// The binding `name` refers to at `at` in `scope`: the last one before
    /// the use in the same scope (or the last one at all, for a use in a
    /// loop or before a global is set), else the enclosing scopes' last.
    fn lookup(
        &self,
        m: u32,
        scope: usize,
        name: &str,
        at: usize,
    ) -> Option<(usize, usize, Bind<'a>)> {
        let md = self.m(m)?;
        let mut s = scope;
        let mut first = true;
        for _ in 0..64 {
            if let Some(list) = md.bindings.get(&(s, name)) {
                let chosen = if first {
                    match list.partition_point(|(pos, _)| *pos <= at) {
                        0 => list.last(),
                        i => list.get(i - 1),
                    }
                } else {
                    list.last()
                };
                if let Some((pos, b)) = chosen {
                    return Some((s, *pos, *b));
                }
            }
            if s == MODULE_SCOPE {
                return None;
            }
            first = false;
            s = md.parent.get(&s).copied().unwrap_or(MODULE_SCOPE);
        }
        None
    }

    fn guarded(&self, m: u32, scope: usize, name: &str, at: usize, bound_at: usize) -> bool {
        self.m(m)
            .and_then(|md| md.guards.get(&(scope, name)))
            .is_some_and(|list| list.iter().any(|(s, e)| *s <= at && at < *e && bound_at < *s))
    }

    /// The dotted name a callee stands for (`subprocess.run`,
    /// `requests.Session().get`, `open`), through imports and aliases;
    /// `None` when its root is a local value.
    fn qname(&self, m: u32, n: Node<'a>, scope: usize, d: u32) -> Option<String> {
        if d > 12 {
            return None;
        }
        let f = &self.ids.f;
        match self.kind(n) {
            K::Identifier => {
                let name = self.text(m, n);
                match self.lookup(m, scope, name, n.start_byte()) {
                    None => Some(name.to_string()),
                    Some((_, _, Bind::Import { q, member })) => Some(match member {
                        Some(mem) => member_path(q, mem),
                        None => q.to_string(),
                    }),
                    Some((_, _, Bind::Expr { rhs, scope: s, .. }))
                        if matches!(self.kind(rhs), K::Identifier | K::Attribute | K::Call)
                            && rhs.id() != n.id() =>
                    {
                        self.qname(m, rhs, s, d + 1)
                    }
                    _ => None,
                }
            }
            K::Attribute => {
                let (o, a) = (field(n, f.object)?, field(n, f.attribute)?);
                let base = self.qname(m, o, scope, d + 1)?;
                Some(format!("{base}.{}", self.text(m, a)))
            }
            K::Call => {
                let fun = field(n, f.function)?;
                let base = self.qname(m, fun, scope, d + 1)?;
                Some(format!("{base}()"))
            }
            K::Await | K::Parenthesized => self.qname(m, n.named_child(0)?, scope, d + 1),
            _ => None,
        }
    }

    /// A local function a callee names: in this module, or in a local
    /// module it imports.
    fn local_callee(&self, m: u32, fun: Node<'a>, scope: usize) -> Option<(u32, usize)> {
        match self.kind(fun) {
            K::Identifier => match self.lookup(m, scope, self.text(m, fun), fun.start_byte())? {
                (_, _, Bind::Function { fid }) => Some((m, fid)),
                (_, _, Bind::Import { q, member: Some(mem) }) => self.imported_function(m, q, mem),
                _ => None,
            },
            K::Attribute if self.is_self_call(m, fun) || self.is_instance_call(m, fun, scope) => {
                let name = self.text(m, field(fun, self.ids.f.attribute)?);
                let fid = *self.m(m)?.top.get(name)?;
                let first = self.m(m)?.funcs.get(&fid)?.params.first().copied();
                matches!(first, Some("self" | "cls")).then_some((m, fid))
            }
            K::Attribute if self.mods.len() > 1 => {
                let mut root = fun;
                for _ in 0..8 {
                    match self.kind(root) {
                        K::Attribute => root = field(root, self.ids.f.object)?,
                        K::Identifier => break,
                        _ => return None,
                    }
                }
                let (_, _, Bind::Import { .. }) =
                    self.lookup(m, scope, self.text(m, root), root.start_byte())?
                else {
                    return None;
                };
                let q = self.qname(m, fun, scope, 0)?;
                let (spec, member) = q.rsplit_once('.')?;
                let spec = if spec.is_empty() { "." } else { spec };
                self.imported_function(m, spec, member)
            }
            _ => None,
        }
    }

    /// `a.b.c` where `a` is a module imported whole and nothing is called on
    /// the way: a module's function, not an object's method.
    fn module_rooted(&self, m: u32, fun: Node<'a>, scope: usize) -> bool {
        let mut root = fun;
        for _ in 0..8 {
            match self.kind(root) {
                K::Attribute => match field(root, self.ids.f.object) {
                    Some(o) => root = o,
                    None => return false,
                },
                K::Identifier => {
                    return matches!(
                        self.lookup(m, scope, self.text(m, root), root.start_byte()),
                        // `from django.db import connection` names an object;
                        // `import x.y` only modules.
                        Some((_, _, Bind::Import { member: None, .. }))
                    );
                }
                _ => return false,
            }
        }
        false
    }

    /// `self.helper(...)`, `cls.helper(...)`: a method of the module's
    /// classes (methods are bound by name module-wide).
    fn is_self_call(&self, m: u32, fun: Node<'a>) -> bool {
        field(fun, self.ids.f.object).is_some_and(|o| matches!(self.text(m, o), "self" | "cls"))
    }

    /// `runner.run(...)` where `runner = Runner(...)` and `Runner` is a class
    /// of this module: the method called is the class's own, bound by name
    /// like `self.` calls. A capitalised callee is taken as a class: the
    /// module's functions are found by [`Engine::local_callee`] first.
    fn is_instance_call(&self, m: u32, fun: Node<'a>, scope: usize) -> bool {
        let Some(recv) = field(fun, self.ids.f.object) else { return false };
        if self.kind(recv) != K::Identifier {
            return false;
        }
        let Some((_, _, Bind::Expr { rhs, .. })) =
            self.lookup(m, scope, self.text(m, recv), recv.start_byte())
        else {
            return false;
        };
        if self.kind(rhs) != K::Call {
            return false;
        }
        let Some(class) = rhs.child(0).filter(|c| self.kind(*c) == K::Identifier) else {
            return false;
        };
        let name = self.text(m, class);
        name.starts_with(|c: char| c.is_ascii_uppercase())
            && self.m(m).is_some_and(|x| x.classes.contains(name))
    }

    fn imported_function(&self, m: u32, spec: &str, member: &str) -> Option<(u32, usize)> {
        let key = (m, spec.to_string());
        let cached = self.specs.borrow().get(&key).copied();
        let t = match cached {
            Some(t) => t,
            None => {
                let t = self.resolve_module(m, spec);
                self.specs.borrow_mut().insert(key, t);
                t
            }
        }?;
        let fid = *self.m(t)?.top.get(member)?;
        Some((t, fid))
    }

    /// A Python import among the modules: relative imports from the
    /// importing file's package; absolute ones next to the importer first,
    /// then anywhere (the code root is on the path).
    fn resolve_module(&self, m: u32, spec: &str) -> Option<u32> {
        use faasguard_code::paths::{join, parent};
        let importer = self.m(m)?.path;
        let dots = spec.chars().take_while(|&c| c == '.').count();
        let rel = spec.get(dots..)?.replace('.', "/");
        let candidates = |base: &str| -> Vec<String> {
            if rel.is_empty() {
                return join(base, "__init__.py").into_iter().collect();
            }
            [format!("{rel}.py"), format!("{rel}/__init__.py")]
                .iter()
                .filter_map(|r| join(base, r))
                .collect()
        };
        let find =
            |c: &str| self.mods.iter().position(|x| x.path == c && !c.is_empty()).map(|i| i as u32);
        let dir = parent(importer);
        if dots > 0 {
            let mut base = dir.to_string();
            for _ in 1..dots {
                if base.is_empty() {
                    return None;
                }
                base = parent(&base).to_string();
            }
            return candidates(&base).iter().find_map(|c| find(c));
        }
        if let Some(i) = candidates(dir).iter().find_map(|c| find(c)) {
            return Some(i);
        }
        let tails = candidates("");
        self.mods
            .iter()
            .position(|x| {
                tails.iter().any(|t| x.path.ends_with(&format!("/{t}")) || x.path == t.as_str())
            })
            .map(|i| i as u32)
    }

    // -- evaluation ------------------------------------------------------------

    fn step(&self, d: u32) -> bool {
        let left = self.left.get();
        let total = self.total.get();
        if left == 0 || total == 0 || d > MAX_DEPTH {
            if d > MAX_DEPTH {
                self.depth_cut.set(true);
            }
            self.cut.set(true);
            return false;
        }
        self.left.set(left - 1);
        self.total.set(total - 1);
        true
    }

    /// `f()` remembered under `key` unless a limit cut it short; a key
    /// already being computed (recursion, a loop in the bindings) is clean.
    fn remember(&self, key: (u32, usize, u8), f: impl FnOnce() -> Taint<'a>) -> Taint<'a> {
        if let Some(v) = self.memo.borrow().get(&key) {
            return v.clone();
        }
        if !self.active.borrow_mut().insert(key) {
            return Vec::new();
        }
        let before = self.cut.replace(false);
        let v = f();
        let cut = self.cut.get();
        self.cut.set(before || cut);
        self.active.borrow_mut().remove(&key);
        if !cut {
            self.memo.borrow_mut().insert(key, v.clone());
        }
        v
    }

    fn eval(&self, m: u32, n: Node<'a>, scope: usize, d: u32) -> Taint<'a> {
        if !self.step(d) {
            return Vec::new();
        }
        let f = &self.ids.f;
        let d = d + 1;
        match self.kind(n) {
            K::Identifier => self.eval_name(m, n, scope, d),
            K::Attribute => {
                let (Some(obj), Some(attr)) = (field(n, f.object), field(n, f.attribute)) else {
                    return Vec::new();
                };
                let name = self.text(m, attr);
                if is_dotted(self.ids, n)
                    && let Some((_, _, b @ Bind::Expr { .. })) =
                        self.lookup(m, MODULE_SCOPE, self.text(m, n), n.start_byte())
                {
                    return self.eval_bind(m, b, d);
                }
                if name == "current_request" {
                    // Chalice: `app.current_request` is the HTTP request.
                    return vec![self.source(m, n, "")];
                }
                let mut t = self.eval(m, obj, scope, d);
                for x in &mut t {
                    if x.fresh {
                        x.part = join_part(&x.part, name);
                        x.read = (m, n);
                    }
                }
                t
            }
            K::Subscript => {
                let Some(v) = field(n, f.value) else { return Vec::new() };
                let mut t = self.eval(m, v, scope, d);
                if t.iter().any(|x| x.fresh) {
                    let key = field(n, f.subscript);
                    let seg = match key.and_then(|k| self.literal(m, k)) {
                        Some(s) => s.to_string(),
                        None => "[]".to_string(),
                    };
                    for x in &mut t {
                        if x.fresh {
                            x.part = join_part(&x.part, &seg);
                            x.read = (m, n);
                        }
                    }
                }
                t
            }
            K::Call => self.eval_call(m, n, scope, d),
            K::String => {
                let mut out = Vec::new();
                let mut c = n.walk();
                for child in n.named_children(&mut c) {
                    if self.kind(child) == K::Interpolation
                        && let Some(e) = field(child, f.expression)
                    {
                        union(&mut out, self.eval(m, e, scope, d));
                    }
                }
                built(out, Shape::Str)
            }
            K::ConcatenatedString => built(self.children(m, n, scope, d), Shape::Str),
            K::BinaryOperator => {
                let mut out = Vec::new();
                for side in [field(n, f.left), field(n, f.right)].into_iter().flatten() {
                    union(&mut out, self.eval(m, side, scope, d));
                }
                built(out, Shape::Str)
            }
            K::BooleanOperator => {
                let mut out = Vec::new();
                for side in [field(n, f.left), field(n, f.right)].into_iter().flatten() {
                    union(&mut out, self.eval(m, side, scope, d));
                }
                out
            }
            K::ConditionalExpression => {
                let mut out = Vec::new();
                for i in [0, 2] {
                    if let Some(x) = n.named_child(i) {
                        union(&mut out, self.eval(m, x, scope, d));
                    }
                }
                out
            }
            K::Parenthesized | K::Await | K::ListSplat | K::DictionarySplat => {
                match n.named_child(0) {
                    Some(x) => self.eval(m, x, scope, d),
                    None => Vec::new(),
                }
            }
            K::List | K::Tuple | K::Set | K::ExpressionList => {
                built(self.children(m, n, scope, d), Shape::List)
            }
            K::Dictionary => {
                let mut out = Vec::new();
                let mut c = n.walk();
                for p in n.named_children(&mut c) {
                    let v = match self.kind(p) {
                        K::Pair => field(p, f.value),
                        K::DictionarySplat => p.named_child(0),
                        _ => None,
                    };
                    if let Some(v) = v {
                        union(&mut out, self.eval(m, v, scope, d));
                    }
                }
                built(out, Shape::Object)
            }
            K::Comprehension => match field(n, f.body) {
                Some(b) => built(self.eval(m, b, scope, d), Shape::List),
                None => Vec::new(),
            },
            K::DictComprehension => match field(n, f.body).and_then(|p| field(p, f.value)) {
                Some(v) => built(self.eval(m, v, scope, d), Shape::Object),
                None => Vec::new(),
            },
            K::NamedExpression => match field(n, f.value) {
                Some(v) => self.eval(m, v, scope, d),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn children(&self, m: u32, n: Node<'a>, scope: usize, d: u32) -> Taint<'a> {
        let mut out = Vec::new();
        let mut c = n.walk();
        for x in n.named_children(&mut c) {
            if out.len() >= MAX_TRACES {
                break;
            }
            union(&mut out, self.eval(m, x, scope, d));
        }
        out
    }

    /// A string or integer literal's value, for part names.
    fn literal(&self, m: u32, n: Node<'_>) -> Option<&'a str> {
        match self.kind(n) {
            K::String => faasguard_code::parse::string_literal(n, self.m(m)?.src),
            K::Integer => Some("[]"),
            _ => None,
        }
    }

    fn source(&self, m: u32, n: Node<'a>, part: &str) -> Trace<'a> {
        Trace {
            origin: Origin::Source,
            read: (m, n),
            part: Rc::from(part),
            steps: Vec::new(),
            mask: 0,
            shape: Shape::Unknown,
            fresh: true,
        }
    }

    fn eval_name(&self, m: u32, n: Node<'a>, scope: usize, d: u32) -> Taint<'a> {
        let name = self.text(m, n);
        let at = n.start_byte();
        let Some((found, bound_at, b)) = self.lookup(m, scope, name, at) else { return Vec::new() };
        if found == scope && self.guarded(m, scope, name, at, bound_at) {
            return Vec::new();
        }
        match b {
            Bind::Import { q, member } => {
                let full = match member {
                    Some(mem) => member_path(q, mem),
                    None => q.to_string(),
                };
                if matches!(
                    full.as_str(),
                    "flask.request" | "quart.request" | "bottle.request" | "sanic.request"
                ) {
                    vec![self.source(m, n, "")]
                } else {
                    Vec::new()
                }
            }
            Bind::Param { fid, index } => {
                let Some(func) = self.m(m).and_then(|x| x.funcs.get(&fid)) else {
                    return Vec::new();
                };
                match func.sources.iter().find(|(i, _)| *i == index) {
                    Some((_, SourceParam::Object)) => vec![self.source(m, n, "")],
                    Some((_, SourceParam::Named)) => vec![self.source(m, n, name)],
                    None => vec![Trace {
                        origin: Origin::Param { m, fid, index },
                        read: (m, n),
                        part: Rc::from(""),
                        steps: Vec::new(),
                        mask: 0,
                        shape: Shape::Unknown,
                        fresh: true,
                    }],
                }
            }
            Bind::Function { .. } => Vec::new(),
            b => self.eval_bind(m, b, d),
        }
    }

    fn eval_bind(&self, m: u32, b: Bind<'a>, d: u32) -> Taint<'a> {
        match b {
            Bind::Expr { rhs, stmt, scope } => self.remember((m, rhs.id(), 0), || {
                let mut t = self.eval(m, rhs, scope, d);
                for x in &mut t {
                    x.fresh = false;
                    push_step(&mut x.steps, StepRef { m, node: stmt, kind: StepKind::Plain });
                }
                t
            }),
            Bind::Aug { target, rhs, stmt, scope } => self.remember((m, stmt.id(), 1), || {
                // The target as written in the statement resolves to the
                // value before it (bindings take effect at the statement's
                // end).
                let mut t = self.eval_name(m, target, scope, d);
                union(&mut t, self.eval(m, rhs, scope, d));
                for x in &mut t {
                    x.fresh = false;
                    if self.kind(stmt) == K::AugmentedAssignment {
                        x.shape = Shape::Str;
                    }
                    push_step(&mut x.steps, StepRef { m, node: stmt, kind: StepKind::Plain });
                }
                t
            }),
            Bind::Iter { iter, target, scope } => self.remember((m, iter.id(), 2), || {
                let mut t = self.eval(m, iter, scope, d);
                for x in &mut t {
                    // Still fresh: `record["s3"]["object"]["key"]` in the loop
                    // names `Records[].s3.object.key`.
                    if x.fresh {
                        x.part = join_part(&x.part, "[]");
                    }
                    x.shape = Shape::Unknown;
                    push_step(
                        &mut x.steps,
                        StepRef {
                            m,
                            node: iter,
                            kind: StepKind::For { target: target.start_byte() },
                        },
                    );
                }
                t
            }),
            _ => Vec::new(),
        }
    }

    fn eval_call(&self, m: u32, n: Node<'a>, scope: usize, d: u32) -> Taint<'a> {
        let f = &self.ids.f;
        let Some(fun) = field(n, f.function) else { return Vec::new() };
        if let Some((tm, fid)) = self.local_callee(m, fun, scope) {
            return self.call_local(m, n, scope, tm, fid, d);
        }
        let fk = self.kind(fun);
        if matches!(fk, K::Identifier | K::Attribute) {
            let q = self.qname(m, fun, scope, 0);
            if let Some(q) = &q {
                if let Some(&mask) = self.cat.sanitizers.get(q.as_str()) {
                    if mask == u16::MAX {
                        return Vec::new();
                    }
                    let mut t = self.args_taint(m, n, scope, d, true);
                    for x in &mut t {
                        x.mask |= mask;
                        x.fresh = false;
                    }
                    return t;
                }
                if let Some(&shape) = self.cat.propagators.get(q.as_str()) {
                    return built(self.args_taint(m, n, scope, d, false), shape);
                }
            }
            if fk == K::Identifier {
                return Vec::new();
            }
        }
        // A method call: on tainted data it usually returns tainted data.
        if fk != K::Attribute {
            return Vec::new();
        }
        let (Some(obj), Some(attr)) = (field(fun, f.object), field(fun, f.attribute)) else {
            return Vec::new();
        };
        let method = self.text(m, attr);
        if self.s3_read(m, obj, method, n, scope) {
            // Whoever can upload to the bucket chose these bytes.
            let mut t = self.source(m, n, S3_CONTENT);
            t.fresh = false;
            return vec![t];
        }
        let mut t = self.eval(m, obj, scope, d);
        if matches!(method, "format" | "format_map" | "join" | "replace") {
            union(&mut t, self.args_taint(m, n, scope, d, false));
            return built(t, Shape::Str);
        }
        if matches!(
            method,
            "isdigit"
                | "isnumeric"
                | "isdecimal"
                | "isalpha"
                | "isalnum"
                | "isidentifier"
                | "startswith"
                | "endswith"
                | "count"
                | "index"
                | "find"
                | "rfind"
        ) {
            return Vec::new();
        }
        let args = field(n, f.arguments);
        let nargs = args.map_or(0, |a| a.named_child_count());
        let key = if matches!(method, "get" | "getlist" | "pop" | "getone" | "get_all") {
            args.and_then(|a| a.named_child(0)).and_then(|k| self.literal(m, k))
        } else {
            None
        };
        for x in &mut t {
            if x.fresh {
                if let Some(k) = key {
                    x.part = join_part(&x.part, k);
                    x.read = (m, n);
                } else if nargs == 0 && is_accessor(method) {
                    x.part = join_part(&x.part, &format!("{method}()"));
                    x.read = (m, n);
                } else {
                    x.fresh = false;
                }
            }
            x.shape = match method {
                "split" | "splitlines" | "rsplit" | "items" | "values" | "keys" | "getlist" => {
                    Shape::List
                }
                "get_json" | "json" => Shape::Object,
                "get" | "pop" | "getone" => x.shape,
                _ => Shape::Str,
            };
        }
        t
    }

    /// `<s3 client>.get_object(...)` or `<s3 resource>.Object(...).get()`:
    /// a read of an object's content.
    fn s3_read(&self, m: u32, recv: Node<'a>, method: &str, call: Node<'a>, scope: usize) -> bool {
        let f = &self.ids.f;
        match method {
            "get_object" => self.s3ish(m, recv, scope),
            "get" => {
                let nargs = field(call, f.arguments).map_or(0, |a| a.named_child_count());
                // `obj = s3.Object(b, k)` then `obj.get()`, or inline.
                let recv = match self.kind(recv) {
                    K::Identifier => {
                        match self.lookup(m, scope, self.text(m, recv), recv.start_byte()) {
                            Some((_, _, Bind::Expr { rhs, .. })) => rhs,
                            _ => return false,
                        }
                    }
                    _ => recv,
                };
                nargs == 0
                    && self.kind(recv) == K::Call
                    && field(recv, f.function).is_some_and(|fun| {
                        self.kind(fun) == K::Attribute
                            && field(fun, f.attribute).is_some_and(|a| self.text(m, a) == "Object")
                            && field(fun, f.object).is_some_and(|o| self.s3ish(m, o, scope))
                    })
            }
            _ => false,
        }
    }

    /// A receiver named like an S3 client or resource, or bound to
    /// `boto3.client("s3")` / `boto3.resource("s3")`.
    fn s3ish(&self, m: u32, recv: Node<'a>, scope: usize) -> bool {
        let text = self.text(m, recv);
        if text.to_ascii_lowercase().contains("s3") {
            return true;
        }
        if self.kind(recv) == K::Identifier
            && let Some((_, _, Bind::Expr { rhs, .. })) =
                self.lookup(m, scope, text, recv.start_byte())
        {
            let r = self.text(m, rhs);
            return r.contains("\"s3\"") || r.contains("'s3'");
        }
        false
    }

    fn args_taint(&self, m: u32, n: Node<'a>, scope: usize, d: u32, first_only: bool) -> Taint<'a> {
        let mut out = Vec::new();
        let Some(args) = field(n, self.ids.f.arguments) else { return out };
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            let v = match self.kind(a) {
                K::KeywordArgument => {
                    if first_only {
                        continue;
                    }
                    field(a, self.ids.f.value)
                }
                K::Comment => None,
                _ => Some(a),
            };
            if let Some(v) = v {
                union(&mut out, self.eval(m, v, scope, d));
                if first_only {
                    break;
                }
            }
        }
        for x in &mut out {
            x.fresh = false;
        }
        out
    }

    /// The taint of a local function's result at one call: its return
    /// summary with the arguments put in for its parameters.
    fn call_local(
        &self,
        m: u32,
        call: Node<'a>,
        scope: usize,
        tm: u32,
        fid: usize,
        d: u32,
    ) -> Taint<'a> {
        let summary = self.remember((tm, fid, 3), || {
            let mut out = Vec::new();
            let rets: Vec<Node<'a>> =
                self.m(tm).and_then(|x| x.returns.get(&fid)).cloned().unwrap_or_default();
            for r in rets {
                union(&mut out, self.eval(tm, r, fid, d));
            }
            out
        });
        let mut out = Vec::new();
        let step = StepRef { m, node: call, kind: StepKind::Plain };
        for inner in summary {
            match inner.origin {
                Origin::Param { m: pm, fid: pf, index } if pm == tm && pf == fid => {
                    let Some(arg) = self.param_arg_in(m, call, tm, fid, index) else { continue };
                    for a in self.eval(m, arg, scope, d) {
                        push_trace(&mut out, combine(a, &inner, step));
                    }
                }
                Origin::Param { .. } => {}
                Origin::Source => {
                    let mut t = inner;
                    push_step(&mut t.steps, step);
                    t.fresh = false;
                    push_trace(&mut out, t);
                }
            }
        }
        out
    }

    // -- sinks -------------------------------------------------------------------

    fn run(&mut self, out: &mut Analysis) {
        for m in 0..self.mods.len() as u32 {
            let calls = self.m(m).map(|x| x.sink_calls.clone()).unwrap_or_default();
            for (call, scope) in calls {
                self.check_call(m, call, scope);
                if self.total.get() == 0 {
                    break;
                }
            }
            let rets = self.m(m).map(|x| x.dict_returns.clone()).unwrap_or_default();
            for (stmt, dict, scope) in rets {
                self.check_location(m, stmt, dict, scope);
            }
        }
        self.propagate_param_sinks();
        if self.total.get() == 0 {
            self.note_at(
                0,
                None,
                "the taint analysis of this code hit its work limit; flows may be missing".into(),
            );
        }
        if self.chain_cut.get() {
            self.note_at(
                0,
                None,
                format!(
                    "the taint analysis did not follow sinks in local functions through more than \
                     {MAX_HOPS} nested calls, or to more than {MAX_CALL_SITES} call sites of one \
                     function; flows may be missing"
                ),
            );
        }
        if self.depth_cut.get() {
            self.note_at(
                0,
                None,
                format!(
                    "the taint analysis did not follow expressions nested deeper than \
                     {MAX_DEPTH} levels; flows may be missing"
                ),
            );
        }
        out.flows.append(&mut self.flows);
        out.notes.append(&mut self.notes);
    }

    fn note_at(&mut self, m: u32, n: Option<Node<'a>>, message: String) {
        if self.notes.len() >= MAX_NOTES {
            return;
        }
        let span = match (self.inputs.get(m as usize), n) {
            (Some(i), Some(n)) => i.span(n),
            (Some(i), None) => match i.at {
                Some(inline) => inline.at,
                None => faasguard_source::Span::file_start(i.module.file),
            },
            _ => return,
        };
        if !self.notes.iter().any(|x| x.span == span && x.message == message) {
            self.notes.push(Note { span, message });
        }
    }

    fn check_call(&mut self, m: u32, call: Node<'a>, scope: usize) {
        let f = &self.ids.f;
        // The callee is a call's first child and an attribute's name its
        // last: cheaper than field lookups, and this runs for every
        // candidate call.
        let Some(fun) = call.child(0) else { return };
        let last = match self.kind(fun) {
            K::Identifier => self.text(m, fun),
            K::Attribute => {
                fun.child(fun.child_count().saturating_sub(1)).map_or("", |a| self.text(m, a))
            }
            _ => return,
        };
        let alias =
            self.kind(fun) == K::Identifier && self.m(m).is_some_and(|x| x.aliases.contains(last));
        if !(self.cat.last_names.contains(last) || alias) {
            return;
        }
        self.left.set(MAX_STEPS_PER_CHECK);
        self.cut.set(false);
        let cat = self.cat;
        let q = self.qname(m, fun, scope, 0);
        let (specs, name): (&[Sink], String) = match q.as_deref().and_then(|q| cat.calls.get(q)) {
            Some(list) => (list, q.clone().unwrap_or_default()),
            None => {
                let Some(list) = cat.methods.get(last) else { return };
                // A function of a module (`helpers.shell.execute`, a local
                // one or a library's) is not a method of a connection.
                if self.kind(fun) != K::Attribute
                    || self.module_rooted(m, fun, scope)
                    || self.local_callee(m, fun, scope).is_some()
                {
                    return;
                }
                let Some(recv) = field(fun, f.object) else { return };
                // `"a,b".find(x)`, `user_text.find(x)`: string methods, not
                // queries. Only a name `str`, `list` and `dict` also have can
                // be one: `cur.execute(...)` on a cursor made from a
                // connection parameter is a query whatever `cur` carries.
                if matches!(self.kind(recv), K::String | K::ConcatenatedString)
                    || (BUILTIN_METHODS.contains(&last) && !self.eval(m, recv, scope, 0).is_empty())
                {
                    return;
                }
                (list.as_slice(), shorten(self.text(m, fun)))
            }
        };
        let name: Rc<str> = Rc::from(name);
        for spec in specs {
            let src = self.m(m).map_or("", |x| x.src);
            let mut nodes: Vec<Node<'a>> = Vec::new();
            for &i in &spec.args {
                if let Some(a) = argument(self.ids, src, call, i, "") {
                    nodes.push(a);
                }
            }
            for k in &spec.kw {
                if let Some(a) = argument(self.ids, src, call, usize::MAX, k)
                    && !nodes.iter().any(|x| x.id() == a.id())
                {
                    nodes.push(a);
                }
            }
            let mut shape_ok: fn(Shape) -> bool = |_| true;
            // Filter values that are operator injection points only when the
            // input was parsed (JSON can hold `{"$ne": null}`, a query-string
            // value cannot).
            let mut parsed: Vec<Node<'a>> = Vec::new();
            match spec.when {
                When::Always => {}
                When::Shell => {
                    let shell = argument(self.ids, src, call, usize::MAX, "shell")
                        .is_some_and(|s| self.text(m, s) != "False");
                    if !shell {
                        match nodes.first() {
                            Some(a) if matches!(self.kind(*a), K::List | K::Tuple) => {
                                let first =
                                    a.named_child(0).and_then(|x| self.literal(m, x)).unwrap_or("");
                                let second =
                                    a.named_child(1).and_then(|x| self.literal(m, x)).unwrap_or("");
                                let shell_c = matches!(
                                    first.rsplit('/').next().unwrap_or(""),
                                    "sh" | "bash" | "zsh" | "dash" | "ksh"
                                ) && second == "-c";
                                if !shell_c {
                                    continue;
                                }
                            }
                            _ => shape_ok = |s| s != Shape::List,
                        }
                    }
                }
                When::UnsafeYaml => {
                    let loader = argument(self.ids, src, call, 1, "Loader");
                    if loader.is_some_and(|l| {
                        let t = self.text(m, l);
                        t.contains("Safe") || t.contains("BaseLoader")
                    }) {
                        continue;
                    }
                }
                When::NoSql => {
                    if let Some(a) = nodes.first().copied()
                        && self.kind(a) == K::Dictionary
                    {
                        let (wheres, values) = self.filter_values(m, a);
                        nodes = wheres;
                        parsed = values;
                    } else {
                        shape_ok = |s| s != Shape::Str;
                    }
                }
                When::Lxml => {
                    if let Some(p) = argument(self.ids, src, call, 1, "parser") {
                        let rhs = match self.kind(p) {
                            K::Identifier => {
                                match self.lookup(m, scope, self.text(m, p), p.start_byte()) {
                                    Some((_, _, Bind::Expr { rhs, .. })) => rhs,
                                    _ => p,
                                }
                            }
                            _ => p,
                        };
                        let t = self.text(m, rhs);
                        if t.contains("resolve_entities=False")
                            || t.contains("resolve_entities = False")
                        {
                            continue;
                        }
                    }
                }
                When::Sax => {
                    if !self.m(m).is_some_and(|x| x.sax_external) {
                        continue;
                    }
                }
                When::Url => nodes.retain(|a| !self.fixed_host(m, *a, scope, 0)),
            }
            for a in nodes {
                let t = self.eval(m, a, scope, 0);
                for x in t {
                    if !shape_ok(x.shape) {
                        continue;
                    }
                    self.reach(spec.class, &name, (m, call), x);
                }
            }
            for a in parsed {
                for x in self.eval(m, a, scope, 0) {
                    if matches!(x.shape, Shape::Object | Shape::List) {
                        self.reach(spec.class, &name, (m, call), x);
                    }
                }
            }
            if self.cut.get() && self.total.get() > 0 {
                self.note_at(
                    m,
                    Some(call),
                    format!(
                        "`{}`: the taint analysis of this call hit its limit; flows may be missing",
                        shorten(self.text(m, fun))
                    ),
                );
            }
        }
    }

    /// A Mongo filter literal's `$where` values, and its other values that
    /// are not literals themselves (a literal `{"$eq": x}` keeps `x` a value).
    fn filter_values(&self, m: u32, dict: Node<'a>) -> (Vec<Node<'a>>, Vec<Node<'a>>) {
        let f = &self.ids.f;
        let mut wheres = Vec::new();
        let mut values = Vec::new();
        let mut c = dict.walk();
        for p in dict.named_children(&mut c) {
            if self.kind(p) == K::Pair
                && let (Some(k), Some(v)) = (field(p, f.key), field(p, f.value))
            {
                if self.literal(m, k) == Some("$where") {
                    wheres.push(v);
                } else if !matches!(
                    self.kind(v),
                    K::Dictionary | K::List | K::Tuple | K::Set | K::String
                ) {
                    values.push(v);
                }
            }
        }
        (wheres, values)
    }

    /// A URL whose scheme and host are written as a constant prefix: input
    /// after it only chooses a path on a fixed host.
    fn fixed_host(&self, m: u32, n: Node<'a>, scope: usize, d: u32) -> bool {
        if d > 4 {
            return false;
        }
        let f = &self.ids.f;
        match self.kind(n) {
            K::String => {
                let Some(first) = n.named_child(0) else { return false };
                let first =
                    if first.kind() == "string_start" { n.named_child(1) } else { Some(first) };
                first.is_some_and(|c| {
                    c.kind() == "string_content" && has_host_prefix(self.text(m, c))
                })
            }
            K::ConcatenatedString => {
                n.named_child(0).is_some_and(|s| self.fixed_host(m, s, scope, d + 1))
            }
            K::BinaryOperator => {
                field(n, f.left).is_some_and(|l| self.fixed_host(m, l, scope, d + 1))
            }
            K::Call => field(n, f.function).is_some_and(|fun| {
                self.kind(fun) == K::Attribute
                    && field(fun, f.attribute).is_some_and(|a| self.text(m, a) == "format")
                    && field(fun, f.object).is_some_and(|o| self.fixed_host(m, o, scope, d + 1))
            }),
            K::Identifier => match self.lookup(m, scope, self.text(m, n), n.start_byte()) {
                Some((_, _, Bind::Expr { rhs, scope: s, .. })) => self.fixed_host(m, rhs, s, d + 1),
                _ => false,
            },
            K::Parenthesized => {
                n.named_child(0).is_some_and(|x| self.fixed_host(m, x, scope, d + 1))
            }
            _ => false,
        }
    }

    /// `return {"statusCode": 302, "headers": {"Location": url}}`.
    fn check_location(&mut self, m: u32, stmt: Node<'a>, dict: Node<'a>, scope: usize) {
        let f = &self.ids.f;
        let mut headers = None;
        let mut redirect_status = true;
        let mut c = dict.walk();
        for p in dict.named_children(&mut c) {
            let (Some(k), Some(v)) = (field(p, f.key), field(p, f.value)) else { continue };
            match self.literal(m, k) {
                Some("headers") if self.kind(v) == K::Dictionary => headers = Some(v),
                Some("statusCode") if self.kind(v) == K::Integer => {
                    redirect_status = self.text(m, v).starts_with('3');
                }
                _ => {}
            }
        }
        let (Some(h), true) = (headers, redirect_status) else { return };
        let mut c = h.walk();
        let values: Vec<Node<'a>> = h
            .named_children(&mut c)
            .filter_map(|p| {
                let k = field(p, f.key)?;
                matches!(self.literal(m, k), Some("Location" | "location"))
                    .then(|| field(p, f.value))
                    .flatten()
            })
            .collect();
        self.left.set(MAX_STEPS_PER_CHECK);
        let name: Rc<str> = Rc::from("Location header");
        for v in values {
            for x in self.eval(m, v, scope, 0) {
                self.reach(SinkClass::OpenRedirect, &name, (m, stmt), x);
            }
        }
    }

    /// Data reaching a sink: a flow when it is event data, a parameter
    /// sink when it is a parameter of the enclosing function.
    fn reach(&mut self, class: SinkClass, name: &Rc<str>, sink: (u32, Node<'a>), t: Trace<'a>) {
        self.reach_hops(class, name, sink, t, 0);
    }

    fn reach_hops(
        &mut self,
        class: SinkClass,
        name: &Rc<str>,
        sink: (u32, Node<'a>),
        t: Trace<'a>,
        hops: u8,
    ) {
        if t.mask & class_bit(class) != 0 {
            return;
        }
        match t.origin {
            Origin::Source => self.flow(class, name, sink, &t),
            Origin::Param { m, fid, index } => {
                let key = (m, fid, index, sink.0, sink.1.id(), class as usize);
                if hops > MAX_HOPS || self.param_sinks.len() >= MAX_PARAM_SINKS {
                    // A sink this far down a chain of helpers, or past the
                    // number followed, is not traced to the event: say so.
                    self.chain_cut.set(true);
                } else if self.seen.insert(key) {
                    self.param_sinks.push(ParamSink {
                        hops,
                        class,
                        name: name.clone(),
                        sink,
                        trace: t,
                    });
                }
            }
        }
    }

    fn flow(&mut self, class: SinkClass, name: &str, sink: (u32, Node<'a>), t: &Trace<'a>) {
        let key = (sink.0, sink.1.id(), t.read.0, t.read.1.id(), class);
        if self.flows.len() >= MAX_FLOWS || !self.flow_keys.insert(key) {
            return;
        }
        let source = self.step_of(&StepRef { m: t.read.0, node: t.read.1, kind: StepKind::Plain });
        let steps = t.steps.iter().map(|s| self.step_of(s)).collect();
        let sink = self.step_of(&StepRef { m: sink.0, node: sink.1, kind: StepKind::Plain });
        self.flows.push(Flow {
            class,
            source,
            part: t.part.to_string(),
            steps,
            sink,
            sink_name: name.to_string(),
        });
    }

    /// Parameters reaching sinks, pushed to the call sites of their
    /// functions (in every module) until they meet event data.
    fn propagate_param_sinks(&mut self) {
        if self.param_sinks.is_empty() {
            return;
        }
        let mut sites: HashMap<(u32, usize), Vec<Site<'a>>> = HashMap::new();
        for m in 0..self.mods.len() as u32 {
            let calls = self.m(m).map(|x| x.local_calls.clone()).unwrap_or_default();
            for (call, scope) in calls {
                let Some(fun) = field(call, self.ids.f.function) else { continue };
                if let Some(target) = self.local_callee(m, fun, scope) {
                    let list = sites.entry(target).or_default();
                    if list.len() < MAX_CALL_SITES {
                        list.push((m, call, scope));
                    } else {
                        self.chain_cut.set(true);
                    }
                }
            }
        }
        let mut i = 0;
        while let Some(ps) = self.param_sinks.get(i).cloned() {
            i += 1;
            if self.total.get() == 0 {
                break;
            }
            let Origin::Param { m: tm, fid, index } = ps.trace.origin else { continue };
            let Some(list) = sites.get(&(tm, fid)) else { continue };
            for &(m, call, scope) in list {
                let Some(arg) = self.param_arg_in(m, call, tm, fid, index) else { continue };
                self.left.set(MAX_STEPS_PER_CHECK);
                let step = StepRef { m, node: call, kind: StepKind::Plain };
                for a in self.eval(m, arg, scope, 0) {
                    let t = combine(a, &ps.trace, step);
                    self.reach_hops(ps.class, &ps.name, ps.sink, t, ps.hops.saturating_add(1));
                }
            }
        }
    }

    /// The argument a call in module `m` passes for parameter `index` of a
    /// local function of module `tm`.
    fn param_arg_in(
        &self,
        m: u32,
        call: Node<'a>,
        tm: u32,
        fid: usize,
        index: usize,
    ) -> Option<Node<'a>> {
        let params = &self.m(tm)?.funcs.get(&fid)?.params;
        let name = params.get(index).copied().unwrap_or("");
        // A method called through `self.`: the receiver fills the first
        // parameter, the arguments the rest.
        let bound = matches!(params.first(), Some(&("self" | "cls")))
            && field(call, self.ids.f.function).is_some_and(|f| self.kind(f) == K::Attribute);
        let position = if bound { index.checked_sub(1)? } else { index };
        argument(self.ids, self.m(m)?.src, call, position, name)
    }
}

/// The value of an argument passed into a function, followed by what the
/// function does with its parameter.
fn combine<'a>(a: Trace<'a>, inner: &Trace<'a>, call: StepRef<'a>) -> Trace<'a> {
    let mut t = a;
    let took_read = t.fresh && !inner.part.is_empty();
    if took_read {
        t.part = join_part(&t.part, &inner.part);
        t.read = inner.read;
    }
    push_step(&mut t.steps, call);
    for s in &inner.steps {
        push_step(&mut t.steps, *s);
    }
    t.mask |= inner.mask;
    if !inner.fresh || inner.shape != Shape::Unknown {
        t.shape = inner.shape;
    }
    t.fresh = t.fresh && inner.fresh;
    t
}

/// Method names of Python's `str`, `bytes`, `list` and `dict` that sink
/// methods share: on a value derived from input they are those types' own.
const BUILTIN_METHODS: &[&str] =
    &["find", "count", "index", "replace", "format", "join", "get", "update", "pop", "copy"];

/// Zero-argument methods of request objects that read the request.
fn is_accessor(method: &str) -> bool {
    matches!(
        method,
        "get_json"
            | "json"
            | "get_data"
            | "get_body"
            | "body"
            | "text"
            | "to_dict"
            | "dict"
            | "model_dump"
            | "read"
            | "form"
    )
}

/// Data built into a new value: no longer the read itself.
fn built(mut t: Taint<'_>, shape: Shape) -> Taint<'_> {
    for x in &mut t {
        x.fresh = false;
        x.shape = shape;
    }
    t
}

fn bind<'a>(
    bindings: &mut HashMap<(usize, &'a str), Vec<(usize, Bind<'a>)>>,
    scope: usize,
    name: &'a str,
    at: usize,
    b: Bind<'a>,
) {
    if name.is_empty() {
        return;
    }
    bindings.entry((scope, name)).or_default().push((at, b));
}

/// The identifiers a target pattern binds (`a`, `a, b`, `(a, [b, c])`),
/// bounded.
fn pattern_names<'t>(ids: &Ids, n: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        if out.len() >= 32 {
            break;
        }
        match ids.kind(x) {
            K::Identifier => out.push(x),
            K::Pattern | K::Tuple | K::List | K::Parenthesized | K::ExpressionList
                if stack.len() < 64 =>
            {
                let mut c = x.walk();
                stack.extend(x.named_children(&mut c));
            }
            _ if x.kind() == "list_splat_pattern" => {
                if let Some(i) = x.named_child(0) {
                    stack.push(i);
                }
            }
            _ => {}
        }
    }
    out
}

/// `if x not in ALLOWED: return ...` (the rest of the scope is checked) or
/// `if x in ALLOWED:` (its block is).
fn guard<'a>(
    ids: &Ids,
    src: &'a str,
    n: Node<'a>,
    scope_end: usize,
) -> Option<(&'a str, (usize, usize))> {
    let f = &ids.f;
    let cond = field(n, f.condition)?;
    if cond.kind() != "comparison_operator" || cond.named_child_count() != 2 {
        return None;
    }
    let x = cond.named_child(0)?;
    if ids.kind(x) != K::Identifier {
        return None;
    }
    let name = src.get(x.start_byte()..x.end_byte())?;
    let mut c = cond.walk();
    let op = cond.children(&mut c).find(|k| !k.is_named()).map(|k| k.kind())?;
    let body = field(n, f.consequence)?;
    match op {
        "not in" => {
            let last =
                body.named_child(u32::try_from(body.named_child_count().checked_sub(1)?).ok()?)?;
            matches!(ids.kind(last), K::ReturnStatement | K::RaiseStatement)
                .then_some((name, (n.end_byte(), scope_end)))
        }
        "in" => Some((name, (body.start_byte(), body.end_byte()))),
        _ => None,
    }
}

fn is_dotted(ids: &Ids, n: Node<'_>) -> bool {
    let mut cur = n;
    for _ in 0..8 {
        match ids.kind(cur) {
            K::Identifier => return true,
            K::Attribute => match field(cur, ids.f.object) {
                Some(o) => cur = o,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// `pkg` + `mod` -> `pkg.mod`; `.` + `mod` -> `.mod`.
fn member_path(path: &str, member: &str) -> String {
    if path.ends_with('.') { format!("{path}{member}") } else { format!("{path}.{member}") }
}

/// Argument `index` (positional) or the keyword argument `name` of a call.
fn argument<'t>(
    ids: &Ids,
    src: &str,
    call: Node<'t>,
    index: usize,
    name: &str,
) -> Option<Node<'t>> {
    let args = field(call, ids.f.arguments)?;
    let mut c = args.walk();
    let mut positional = 0;
    let mut found = None;
    for a in args.named_children(&mut c) {
        match ids.kind(a) {
            K::KeywordArgument => {
                if !name.is_empty()
                    && field(a, ids.f.name)
                        .is_some_and(|k| src.get(k.start_byte()..k.end_byte()) == Some(name))
                {
                    return field(a, ids.f.value);
                }
            }
            K::ListSplat | K::DictionarySplat | K::Comment => {}
            _ => {
                if positional == index && found.is_none() {
                    found = Some(a);
                }
                positional += 1;
            }
        }
    }
    found
}

/// Source text for messages: one line, at most [`MAX_SNIPPET`] bytes.
fn shorten(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.len() <= MAX_SNIPPET {
        return one_line;
    }
    let mut end = MAX_SNIPPET;
    while !one_line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", one_line.get(..end).unwrap_or(""))
}

#[cfg(test)]
mod tests;

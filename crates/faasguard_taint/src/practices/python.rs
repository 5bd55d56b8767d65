//! Unsafe practices in Python modules.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tree_sitter::Node;

use super::util::{
    self, Grammar, MAX_ASSIGNMENTS, MAX_EXPR_DEPTH, MAX_EXPR_NODES, Names, field, field_id,
    literal_raw, named_children, propagate, report, snippet, text,
};
use super::{Practice, PracticeKind};
use crate::Input;
use faasguard_secrets::{self as secrets, Context, Detection, Evidence, secret_name};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Other,
    FunctionDefinition,
    ClassDefinition,
    Lambda,
    Parameters,
    DefaultParameter,
    TypedParameter,
    Identifier,
    Attribute,
    Subscript,
    Call,
    ArgumentList,
    KeywordArgument,
    Assignment,
    String,
    ConcatenatedString,
    Interpolation,
    Dictionary,
    Pair,
    Sequence,
    BinaryOperator,
    BooleanOperator,
    ComparisonOperator,
    Parenthesized,
    Conditional,
    ExceptClause,
    AsPattern,
    AsPatternTarget,
    Block,
    Return,
    Raise,
    True,
    False,
    Integer,
    If,
    WithItem,
    Import,
    ImportFrom,
    AliasedImport,
    DottedName,
    Patterns,
    ExpressionList,
    Module,
    Await,
}

fn classify_kind(name: &str) -> Option<K> {
    Some(match name {
        "module" => K::Module,
        "function_definition" => K::FunctionDefinition,
        "class_definition" => K::ClassDefinition,
        "lambda" => K::Lambda,
        "parameters" | "lambda_parameters" => K::Parameters,
        "default_parameter" | "typed_default_parameter" => K::DefaultParameter,
        "typed_parameter" => K::TypedParameter,
        "identifier" => K::Identifier,
        "attribute" => K::Attribute,
        "subscript" => K::Subscript,
        "call" => K::Call,
        "argument_list" => K::ArgumentList,
        "keyword_argument" => K::KeywordArgument,
        "assignment" => K::Assignment,
        "string" => K::String,
        "concatenated_string" => K::ConcatenatedString,
        "interpolation" => K::Interpolation,
        "dictionary" => K::Dictionary,
        "pair" => K::Pair,
        "list" | "tuple" | "set" => K::Sequence,
        "binary_operator" => K::BinaryOperator,
        "boolean_operator" => K::BooleanOperator,
        "comparison_operator" => K::ComparisonOperator,
        "parenthesized_expression" => K::Parenthesized,
        "conditional_expression" => K::Conditional,
        "except_clause" => K::ExceptClause,
        "as_pattern" => K::AsPattern,
        "as_pattern_target" => K::AsPatternTarget,
        "block" => K::Block,
        "return_statement" => K::Return,
        "raise_statement" => K::Raise,
        "true" => K::True,
        "false" => K::False,
        "integer" => K::Integer,
        "if_statement" => K::If,
        "with_item" => K::WithItem,
        "import_statement" => K::Import,
        "import_from_statement" => K::ImportFrom,
        "aliased_import" => K::AliasedImport,
        "dotted_name" => K::DottedName,
        "pattern_list" | "tuple_pattern" | "list_pattern" => K::Patterns,
        "expression_list" => K::ExpressionList,
        "await" => K::Await,
        _ => return None,
    })
}

struct F {
    alias: u16,
    arguments: u16,
    attribute: u16,
    condition: u16,
    function: u16,
    key: u16,
    left: u16,
    module_name: u16,
    name: u16,
    object: u16,
    operator: u16,
    parameters: u16,
    right: u16,
    subscript: u16,
    value: u16,
    expression: u16,
}

struct Ids {
    g: Grammar<K>,
    f: F,
}

static IDS: OnceLock<Ids> = OnceLock::new();

/// The kind table, built from the first Python tree seen (every Python
/// tree has the same grammar; this crate links no grammar of its own).
fn ids_for(tree: &tree_sitter::Tree) -> &'static Ids {
    IDS.get_or_init(|| {
        let lang = tree.language().clone();
        let lang: tree_sitter::Language = lang;
        let f = |n| field_id(&lang, n);
        Ids {
            f: F {
                alias: f("alias"),
                arguments: f("arguments"),
                attribute: f("attribute"),
                condition: f("condition"),
                function: f("function"),
                key: f("key"),
                left: f("left"),
                module_name: f("module_name"),
                name: f("name"),
                object: f("object"),
                operator: f("operator"),
                parameters: f("parameters"),
                right: f("right"),
                subscript: f("subscript"),
                value: f("value"),
                expression: f("expression"),
            },
            g: Grammar::new(&lang, classify_kind, K::Other),
        }
    })
}

fn kind(n: Node<'_>) -> K {
    IDS.get().map_or(K::Other, |ids| ids.g.kind(n))
}

/// Logger methods.
const LOG_METHODS: &[&str] =
    &["debug", "info", "warning", "warn", "error", "exception", "critical", "log", "fatal"];

/// Calls whose result is their arguments as text or data, so what goes in
/// comes out (into a log line or a response).
const TRANSPARENT_CALLS: &[&str] = &[
    "str",
    "repr",
    "dict",
    "list",
    "tuple",
    "format",
    "dumps",
    "pformat",
    "encode",
    "jsonify",
    "safe_dump",
    "dump",
    "join",
    "upper",
    "lower",
    "strip",
];

/// Calls whose result says nothing about the value inside.
const OPAQUE_CALLS: &[&str] =
    &["len", "type", "bool", "isinstance", "hash", "id", "callable", "hasattr"];

struct Py<'a, 't> {
    input: &'a Input<'a>,
    src: &'a str,
    f: &'static F,
    /// The handler's event parameter names (and every `event` first parameter).
    event_params: Names,
    /// Names holding event data.
    event: Names,
    /// Names holding secrets read from Secrets Manager or SSM.
    secret: Names,
    /// Nodes the `except` block walks may still visit in this module:
    /// nested handlers would otherwise walk the same code again and again.
    budget: std::cell::Cell<usize>,
    _t: std::marker::PhantomData<&'t ()>,
}

pub(super) fn scan(input: &Input<'_>, entry: Option<&str>, out: &mut Vec<Practice>) {
    let ids = ids_for(&input.module.tree);
    let src = input.text;
    let tree: &tree_sitter::Tree = &input.module.tree;
    let entry_name = entry.map(|e| e.rsplit('.').next().unwrap_or(e));
    let mut py = Py {
        input,
        src,
        f: &ids.f,
        event_params: Names::default(),
        event: Names::default(),
        secret: Names::default(),
        budget: std::cell::Cell::new(0),
        _t: std::marker::PhantomData,
    };
    let mut assignments: Vec<(Vec<&str>, Node<'_>)> = Vec::new();
    let mut jwt_modules: HashSet<&str> = HashSet::from(["jwt"]);
    let mut jwt_decoders: HashSet<&str> = HashSet::new();
    let mut django = false;
    let visited = util::walk(tree, |n| match kind(n) {
        K::FunctionDefinition => {
            let name = field(n, py.f.name).map(|x| text(x, src));
            if let Some(first) = field(n, py.f.parameters).and_then(|p| py.first_param(p))
                && (first == "event" || (name.is_some() && name == entry_name))
            {
                py.event_params.insert(first);
            }
        }
        K::Assignment => {
            if assignments.len() < MAX_ASSIGNMENTS
                && let (Some(l), Some(r)) = (field(n, py.f.left), field(n, py.f.right))
            {
                let targets = py.targets(l);
                if !targets.is_empty() {
                    assignments.push((targets, r));
                }
            }
        }
        K::Import | K::ImportFrom => {
            let from = field(n, py.f.module_name).map(|m| text(m, src));
            if text(n, src).contains("django") {
                django = true;
            }
            let mut c = n.walk();
            let Some(name_field) = std::num::NonZeroU16::new(py.f.name) else { return };
            for name in n.children_by_field_id(name_field, &mut c) {
                let (full, local) = match kind(name) {
                    K::AliasedImport => (
                        field(name, py.f.name).map_or("", |x| text(x, src)),
                        field(name, py.f.alias).map_or("", |x| text(x, src)),
                    ),
                    _ => (text(name, src), text(name, src)),
                };
                match (from, full) {
                    (None, "jwt") | (Some("jose"), "jwt") => {
                        jwt_modules.insert(local);
                    }
                    (Some("jwt"), "decode") => {
                        jwt_decoders.insert(local);
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    });
    for p in py.event_params.to_vec() {
        py.event.insert(&p);
    }
    let mut event = std::mem::take(&mut py.event);
    propagate(&mut event, &assignments, |names, v| py.mentions(names, v), |_| true);
    py.event = event;
    let mut secret = Names::default();
    for (targets, value) in &assignments {
        if py.reads_secret(*value) {
            for t in targets {
                if !secrets::about_a_secret(t) {
                    secret.insert(t);
                }
            }
        }
    }
    propagate(
        &mut secret,
        &assignments,
        |names, v| py.mentions(names, v),
        |t| !secrets::about_a_secret(t),
    );
    py.secret = secret;

    let tmp_constants = py.tmp_constants(&assignments);
    // File handles opened for writing on a fixed /tmp path, with the
    // byte range where the name means that file (the `with` statement, or
    // the rest of the block after `f = open(...)`).
    let mut handles: Handles<'_> = Vec::new();
    util::walk(tree, |n| match kind(n) {
        K::WithItem => {
            if let Some(v) = field(n, py.f.value)
                && kind(v) == K::AsPattern
                && let Some(call) = named_children(v).first().copied()
                && let Some(path) = py.opened_for_write(call, &tmp_constants)
                && let Some(target) = field(v, py.f.alias)
                && let Some(with) = n.parent().and_then(|c| c.parent())
            {
                let name = text(target, src);
                handles.push((name, n.start_byte(), with.end_byte(), path));
            }
        }
        K::Assignment => {
            if let (Some(l), Some(r)) = (field(n, py.f.left), field(n, py.f.right))
                && kind(l) == K::Identifier
                && let Some(path) = py.opened_for_write(r, &tmp_constants)
            {
                let end =
                    n.parent().and_then(|s| s.parent()).map_or(n.end_byte(), |b| b.end_byte());
                handles.push((text(l, src), n.start_byte(), end, path));
            }
        }
        _ => {}
    });

    py.budget.set(visited.saturating_mul(4).max(100_000));
    util::walk(tree, |n| match kind(n) {
        K::String => py.credential(n, out),
        K::Call => {
            py.logging(n, out);
            py.tls_call(n, out);
            py.jwt(n, &jwt_modules, &jwt_decoders, out);
            py.debug_call(n, out);
            py.tmp_write(n, &handles, &tmp_constants, out);
        }
        K::Assignment => {
            py.tls_assignment(n, out);
            py.debug_assignment(n, django, out);
        }
        K::Attribute
            if field(n, py.f.attribute)
                .is_some_and(|a| text(a, src) == "_create_unverified_context") =>
        {
            report(
                out,
                input,
                PracticeKind::TlsVerificationDisabled,
                n,
                format!(
                    "`{}` makes an SSL context that does not verify certificates",
                    snippet(n, src)
                ),
                true,
            );
        }
        K::ExceptClause => py.except_clause(n, out),
        _ => {}
    });
}

impl<'a, 't> Py<'a, 't> {
    fn t(&self, n: Node<'_>) -> &'a str {
        text(n, self.src)
    }

    fn first_param(&self, params: Node<'_>) -> Option<&'a str> {
        let first = named_children(params).into_iter().next()?;
        match kind(first) {
            K::Identifier => Some(self.t(first)),
            K::DefaultParameter => field(first, self.f.name).map(|n| self.t(n)),
            K::TypedParameter => named_children(first)
                .first()
                .filter(|n| kind(**n) == K::Identifier)
                .map(|n| self.t(*n)),
            _ => None,
        }
    }

    /// The names an assignment target binds (`a`, `a, b`, `[a, b]`).
    fn targets(&self, left: Node<'_>) -> Vec<&'a str> {
        match kind(left) {
            K::Identifier => vec![self.t(left)],
            K::Patterns | K::ExpressionList | K::Sequence => named_children(left)
                .into_iter()
                .filter(|c| kind(*c) == K::Identifier)
                .map(|c| self.t(c))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether an expression mentions one of `names` (identifiers in
    /// expression position; attribute names and keywords are not names).
    fn mentions(&self, names: &Names, n: Node<'_>) -> bool {
        self.find(n, &mut |me: &Self, x: Node<'_>| {
            kind(x) == K::Identifier && names.contains(me.t(x))
        })
        .is_some()
    }

    /// The first node in `n` (bounded) for which `hit` is true, skipping
    /// attribute names, keyword names and nested functions.
    fn find<'n>(
        &self,
        n: Node<'n>,
        hit: &mut dyn FnMut(&Self, Node<'n>) -> bool,
    ) -> Option<Node<'n>> {
        let mut stack = vec![n];
        let mut seen = 0usize;
        while let Some(x) = stack.pop() {
            seen += 1;
            if seen > MAX_EXPR_NODES {
                return None;
            }
            if hit(self, x) {
                return Some(x);
            }
            match kind(x) {
                K::Attribute => stack.extend(field(x, self.f.object)),
                K::KeywordArgument => stack.extend(field(x, self.f.value)),
                K::FunctionDefinition | K::Lambda | K::ClassDefinition => {}
                K::Call => {
                    let callee =
                        field(x, self.f.function).map(|c| self.callee_name(c)).unwrap_or("");
                    if !OPAQUE_CALLS.contains(&callee) {
                        stack.extend(field(x, self.f.function));
                        stack.extend(field(x, self.f.arguments));
                    }
                }
                _ => {
                    let mut c = x.walk();
                    stack.extend(x.named_children(&mut c));
                }
            }
        }
        None
    }

    /// The last name of a callee: `print`, `info` of `logger.info`.
    fn callee_name(&self, callee: Node<'_>) -> &'a str {
        match kind(callee) {
            K::Attribute => field(callee, self.f.attribute).map_or("", |a| self.t(a)),
            K::Identifier => self.t(callee),
            _ => "",
        }
    }

    /// Whether a value reads a secret: `get_secret_value`, SSM
    /// `get_parameter(s)` with decryption, Powertools `get_secret`.
    fn reads_secret(&self, value: Node<'_>) -> bool {
        self.find(value, &mut |me: &Self, x: Node<'_>| {
            if kind(x) != K::Call {
                return false;
            }
            let name = field(x, me.f.function).map_or("", |c| me.callee_name(c));
            match name {
                "get_secret_value" | "get_secret" => true,
                "get_parameter" | "get_parameters" | "get_parameters_by_path" => {
                    field(x, me.f.arguments).is_some_and(|args| {
                        named_children(args).into_iter().any(|a| {
                            kind(a) == K::KeywordArgument
                                && field(a, me.f.name).is_some_and(|k| {
                                    matches!(me.t(k), "WithDecryption" | "decrypt")
                                })
                                && field(a, me.f.value).is_some_and(|v| kind(v) == K::True)
                        })
                    })
                }
                _ => false,
            }
        })
        .is_some()
    }

    fn arguments<'n>(&self, call: Node<'n>) -> Vec<Node<'n>> {
        field(call, self.f.arguments).map(named_children).unwrap_or_default()
    }

    fn keyword<'n>(&self, call: Node<'n>, name: &str) -> Option<Node<'n>> {
        field(call, self.f.arguments).and_then(|args| {
            named_children(args).into_iter().find_map(|a| {
                (kind(a) == K::KeywordArgument
                    && field(a, self.f.name).is_some_and(|k| self.t(k) == name))
                .then(|| field(a, self.f.value))
                .flatten()
            })
        })
    }

    fn positional<'n>(&self, call: Node<'n>, i: usize) -> Option<Node<'n>> {
        field(call, self.f.arguments).and_then(|args| {
            named_children(args)
                .into_iter()
                .filter(|a| !matches!(kind(*a), K::KeywordArgument))
                .nth(i)
        })
    }

    fn literal(&self, n: Node<'_>) -> Option<&'a str> {
        (kind(n) == K::String && !has_interpolation(n))
            .then(|| literal_raw(n, self.src, false))
            .flatten()
    }

    // ----- hard-coded credentials -------------------------------------

    fn credential(&self, n: Node<'_>, out: &mut Vec<Practice>) {
        let raw = literal_raw(n, self.src, false).unwrap_or_else(|| self.t(n));
        let interpolated = has_interpolation(n);
        // Most strings are neither: spare them the climb to their name.
        if secrets::format(raw, Context::Code).is_none()
            && (interpolated || !secrets::maybe_secret(raw))
        {
            return;
        }
        let name = if interpolated { None } else { self.target_name(n) };
        let detection = if interpolated {
            secrets::format(raw, Context::Code)
                .map(|what| Detection { what, evidence: Evidence::Format })
        } else {
            secrets::classify(name.as_deref(), raw, Context::Code)
        };
        let Some(d) = detection else { return };
        let message = match &name {
            Some(name) => format!("a hard-coded {} is assigned to `{name}`", d.what),
            None => format!("a string literal holds a hard-coded {}", d.what),
        };
        let span = self.input.span(n);
        out.push(Practice {
            kind: PracticeKind::HardcodedCredential,
            span,
            message,
            secret: Some(span),
            strong: d.by_format(),
        });
    }

    /// The name a literal is given: the variable, attribute, key, keyword
    /// or parameter it is assigned to, the variable it is compared with,
    /// or the environment variable it is the default of.
    fn target_name(&self, lit: Node<'_>) -> Option<String> {
        let mut n = lit;
        let mut parent = n.parent()?;
        while matches!(kind(parent), K::ConcatenatedString | K::Parenthesized) {
            n = parent;
            parent = n.parent()?;
        }
        match kind(parent) {
            K::Assignment if field(parent, self.f.right) == Some(n) => {
                self.name_of(field(parent, self.f.left)?)
            }
            K::KeywordArgument | K::DefaultParameter => {
                field(parent, self.f.name).map(|k| self.t(k).to_string())
            }
            K::Pair if field(parent, self.f.value) == Some(n) => {
                field(parent, self.f.key).and_then(|k| self.literal(k)).map(str::to_string)
            }
            K::ComparisonOperator => named_children(parent)
                .into_iter()
                .find(|c| *c != n)
                .and_then(|other| self.name_of(other)),
            K::ArgumentList => {
                let call = parent.parent()?;
                let callee = field(call, self.f.function).map(|c| self.callee_name(c))?;
                if !matches!(callee, "get" | "getenv" | "setdefault" | "pop") {
                    return None;
                }
                let args = named_children(parent);
                (args.get(1) == Some(&n))
                    .then(|| args.first().and_then(|a| self.literal(*a)))
                    .flatten()
                    .map(str::to_string)
            }
            K::BooleanOperator if field(parent, self.f.right) == Some(n) => {
                let left = field(parent, self.f.left)?;
                (kind(left) == K::Call)
                    .then(|| self.positional(left, 0).and_then(|a| self.literal(a)))
                    .flatten()
                    .map(str::to_string)
            }
            _ => None,
        }
    }

    fn name_of(&self, target: Node<'_>) -> Option<String> {
        match kind(target) {
            K::Identifier => Some(self.t(target).to_string()),
            K::Attribute => field(target, self.f.attribute).map(|a| self.t(a).to_string()),
            K::Subscript => {
                field(target, self.f.subscript).and_then(|s| self.literal(s)).map(str::to_string)
            }
            _ => None,
        }
    }

    // ----- logging ------------------------------------------------------

    fn is_log_call(&self, call: Node<'_>) -> bool {
        let Some(callee) = field(call, self.f.function) else { return false };
        match kind(callee) {
            K::Identifier => self.t(callee) == "print",
            K::Attribute => {
                let method = field(callee, self.f.attribute).map_or("", |a| self.t(a));
                let object = field(callee, self.f.object).map_or("", |o| self.t(o));
                let lower = object.to_ascii_lowercase();
                (LOG_METHODS.contains(&method) && lower.contains("log"))
                    || (method == "write" && matches!(object, "sys.stdout" | "sys.stderr"))
            }
            _ => false,
        }
    }

    fn logging(&self, call: Node<'_>, out: &mut Vec<Practice>) {
        if !self.is_log_call(call) {
            return;
        }
        let what = self.snippet_call(call);
        for arg in self.arguments(call) {
            if let Some(hit) = self.reaches_secret(arg, 0) {
                report(
                    out,
                    self.input,
                    PracticeKind::SensitiveLogging,
                    call,
                    format!("`{what}` writes a secret (`{}`) to the logs", snippet(hit, self.src)),
                    true,
                );
                return;
            }
        }
        for arg in self.arguments(call) {
            if let Some(hit) = self.reaches_whole_event(arg, 0) {
                report(
                    out,
                    self.input,
                    PracticeKind::SensitiveLogging,
                    call,
                    format!(
                        "`{what}` writes the whole event (`{}`) to the logs, with whatever \
                         personal data, tokens and headers it carries",
                        self.t(hit)
                    ),
                    false,
                );
                return;
            }
        }
    }

    fn snippet_call(&self, call: Node<'_>) -> String {
        let callee = field(call, self.f.function).map_or("", |c| self.t(c));
        format!("{callee}(...)")
    }

    /// Children of a node that carry its value through unchanged (as
    /// text or data): interpolations, operands, container items, the
    /// arguments of `str`/`json.dumps`/`.format`.
    fn transparent_children<'n>(&self, n: Node<'n>) -> Vec<Node<'n>> {
        match kind(n) {
            K::String => {
                named_children(n).into_iter().filter(|c| kind(*c) == K::Interpolation).collect()
            }
            K::Interpolation => field(n, self.f.expression).into_iter().collect(),
            K::ConcatenatedString
            | K::Sequence
            | K::Dictionary
            | K::Parenthesized
            | K::ExpressionList
            | K::Await => named_children(n),
            K::Pair | K::KeywordArgument => field(n, self.f.value).into_iter().collect(),
            K::Conditional => named_children(n)
                .into_iter()
                .take(1)
                .chain(named_children(n).into_iter().skip(2))
                .collect(),
            K::BinaryOperator | K::BooleanOperator => {
                [field(n, self.f.left), field(n, self.f.right)].into_iter().flatten().collect()
            }
            K::Call => {
                let callee = field(n, self.f.function);
                let name = callee.map_or("", |c| self.callee_name(c));
                if TRANSPARENT_CALLS.contains(&name) {
                    let mut v = self.arguments(n);
                    // `"...".format(x)`, `", ".join(xs)`: the receiver is text too.
                    if let Some(c) = callee.filter(|c| kind(*c) == K::Attribute) {
                        v.extend(field(c, self.f.object));
                    }
                    v
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        }
    }

    fn reaches_whole_event<'n>(&self, n: Node<'n>, depth: usize) -> Option<Node<'n>> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        if kind(n) == K::Identifier {
            return self.event_params.contains(self.t(n)).then_some(n);
        }
        self.transparent_children(n)
            .into_iter()
            .find_map(|c| self.reaches_whole_event(c, depth + 1))
    }

    fn reaches_secret<'n>(&self, n: Node<'n>, depth: usize) -> Option<Node<'n>> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        match kind(n) {
            K::Identifier => {
                let name = self.t(n);
                return (self.secret.contains(name) || secret_name(name).is_some()).then_some(n);
            }
            K::Attribute | K::Subscript => {
                let last = match kind(n) {
                    K::Attribute => field(n, self.f.attribute).map(|a| self.t(a)),
                    _ => field(n, self.f.subscript).and_then(|s| self.literal(s)),
                };
                if last.is_some_and(|l| secret_name(l).is_some()) {
                    return Some(n);
                }
                if last.is_some_and(secrets::about_a_secret) {
                    return None;
                }
                let object =
                    field(n, if kind(n) == K::Attribute { self.f.object } else { self.f.value })?;
                return self.reaches_secret_object(object, depth + 1).map(|_| n);
            }
            _ => {}
        }
        self.transparent_children(n).into_iter().find_map(|c| self.reaches_secret(c, depth + 1))
    }

    /// The object of an attribute or subscript: only names read from a
    /// secret store make every part of them secret (`secret["host"]` is
    /// not, by name, but it came with the password).
    fn reaches_secret_object<'n>(&self, n: Node<'n>, depth: usize) -> Option<Node<'n>> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        match kind(n) {
            K::Identifier => self.secret.contains(self.t(n)).then_some(n),
            K::Attribute => {
                field(n, self.f.object).and_then(|o| self.reaches_secret_object(o, depth + 1))
            }
            K::Subscript => {
                field(n, self.f.value).and_then(|o| self.reaches_secret_object(o, depth + 1))
            }
            _ => None,
        }
    }

    // ----- TLS ----------------------------------------------------------

    fn tls_call(&self, call: Node<'_>, out: &mut Vec<Practice>) {
        let name = field(call, self.f.function).map_or("", |c| self.callee_name(c));
        let Some(args) = field(call, self.f.arguments) else { return };
        for a in named_children(args) {
            if kind(a) != K::KeywordArgument {
                continue;
            }
            let (Some(k), Some(v)) = (field(a, self.f.name), field(a, self.f.value)) else {
                continue;
            };
            let key = self.t(k);
            let off = match key {
                // `jwt.decode(verify=False)` is about signatures, not TLS.
                "verify" => kind(v) == K::False && name != "decode",
                "verify_ssl" | "check_hostname" => kind(v) == K::False,
                "ssl" => {
                    kind(v) == K::False
                        && matches!(
                            name,
                            "TCPConnector"
                                | "get"
                                | "post"
                                | "put"
                                | "patch"
                                | "delete"
                                | "head"
                                | "request"
                                | "ws_connect"
                        )
                }
                "cert_reqs" | "ssl_cert_reqs" => self.cert_none(v),
                _ => false,
            };
            if off {
                report(
                    out,
                    self.input,
                    PracticeKind::TlsVerificationDisabled,
                    call,
                    format!(
                        "`{}` is called with `{}`: the server's certificate is not checked",
                        self.snippet_call(call),
                        self.t(a)
                    ),
                    true,
                );
                return;
            }
        }
    }

    fn cert_none(&self, v: Node<'_>) -> bool {
        let t = self.t(v);
        t == "CERT_NONE"
            || t.ends_with(".CERT_NONE")
            || matches!(self.literal(v), Some("CERT_NONE" | "none"))
    }

    fn tls_assignment(&self, n: Node<'_>, out: &mut Vec<Practice>) {
        let (Some(l), Some(r)) = (field(n, self.f.left), field(n, self.f.right)) else { return };
        if kind(l) != K::Attribute {
            return;
        }
        let attr = field(l, self.f.attribute).map_or("", |a| self.t(a));
        let off = match attr {
            "verify" | "check_hostname" => kind(r) == K::False,
            "verify_mode" => self.cert_none(r),
            _ => false,
        };
        if off {
            report(
                out,
                self.input,
                PracticeKind::TlsVerificationDisabled,
                n,
                format!("`{}` turns off certificate verification", snippet(n, self.src)),
                true,
            );
        }
    }

    // ----- JWT ----------------------------------------------------------

    fn jwt(
        &self,
        call: Node<'_>,
        modules: &HashSet<&str>,
        decoders: &HashSet<&str>,
        out: &mut Vec<Practice>,
    ) {
        let Some(callee) = field(call, self.f.function) else { return };
        let is_decode = match kind(callee) {
            K::Attribute => {
                field(callee, self.f.attribute).is_some_and(|a| self.t(a) == "decode")
                    && field(callee, self.f.object).is_some_and(|o| modules.contains(self.t(o)))
            }
            K::Identifier => decoders.contains(self.t(callee)),
            _ => false,
        };
        if !is_decode {
            return;
        }
        let why = if let Some(opts) = self.keyword(call, "options")
            && self.dict_false(opts, "verify_signature")
        {
            Some("`options={\"verify_signature\": False}`")
        } else if self.keyword(call, "verify").is_some_and(|v| kind(v) == K::False) {
            Some("`verify=False`")
        } else if self.keyword(call, "algorithms").is_some_and(|v| {
            named_children(v)
                .into_iter()
                .any(|x| self.literal(x).is_some_and(|s| s.eq_ignore_ascii_case("none")))
        }) {
            Some("the `none` algorithm allowed")
        } else {
            None
        };
        if let Some(why) = why {
            report(
                out,
                self.input,
                PracticeKind::JwtUnverified,
                call,
                format!(
                    "`{}` decodes a JWT with {why}: its claims are read without checking the signature, so anyone can forge them",
                    self.snippet_call(call)
                ),
                true,
            );
        }
    }

    /// `{"key": False}` or `dict(key=False)`.
    fn dict_false(&self, n: Node<'_>, key: &str) -> bool {
        match kind(n) {
            K::Dictionary => named_children(n).into_iter().any(|p| {
                kind(p) == K::Pair
                    && field(p, self.f.key).and_then(|k| self.literal(k)) == Some(key)
                    && field(p, self.f.value).is_some_and(|v| kind(v) == K::False)
            }),
            K::Call => self.keyword(n, key).is_some_and(|v| kind(v) == K::False),
            _ => false,
        }
    }

    // ----- debug mode -----------------------------------------------------

    fn debug_call(&self, call: Node<'_>, out: &mut Vec<Practice>) {
        let name = field(call, self.f.function).map_or("", |c| self.callee_name(c));
        let flag = match name {
            "run" | "FastAPI" | "Starlette" | "Quart" => {
                self.keyword(call, "debug").filter(|v| kind(*v) == K::True)
            }
            "update" | "from_mapping" => {
                self.keyword(call, "DEBUG").filter(|v| kind(*v) == K::True)
            }
            _ => None,
        };
        if flag.is_none() || self.under_main_guard(call) {
            return;
        }
        report(
            out,
            self.input,
            PracticeKind::DebugMode,
            call,
            format!(
                "`{}` turns the framework's debug mode on: errors show stack traces and local \
                 values to the caller (and Werkzeug's debugger runs code)",
                snippet(call, self.src)
            ),
            true,
        );
    }

    fn debug_assignment(&self, n: Node<'_>, django: bool, out: &mut Vec<Practice>) {
        let (Some(l), Some(r)) = (field(n, self.f.left), field(n, self.f.right)) else { return };
        if kind(r) != K::True {
            return;
        }
        let on = match kind(l) {
            K::Attribute => field(l, self.f.attribute).is_some_and(|a| self.t(a) == "debug"),
            K::Subscript => {
                field(l, self.f.subscript).and_then(|s| self.literal(s)) == Some("DEBUG")
            }
            K::Identifier => {
                let settings = self.input.path.ends_with("settings.py")
                    || self.input.path.contains("/settings/");
                self.t(l) == "DEBUG"
                    && (settings || django)
                    && n.parent().and_then(|p| p.parent()).is_some_and(|m| kind(m) == K::Module)
            }
            _ => false,
        };
        if on && !self.under_main_guard(n) {
            report(
                out,
                self.input,
                PracticeKind::DebugMode,
                n,
                format!(
                    "`{}` turns debug mode on: errors show stack traces, settings and local \
                     values to the caller",
                    snippet(n, self.src)
                ),
                true,
            );
        }
    }

    /// Inside `if __name__ == "__main__":`, which Lambda never runs.
    fn under_main_guard(&self, n: Node<'_>) -> bool {
        let mut cur = n.parent();
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > 256 {
                return false;
            }
            if kind(p) == K::If
                && field(p, self.f.condition).is_some_and(|c| self.t(c).contains("__main__"))
            {
                return true;
            }
            cur = p.parent();
        }
        false
    }

    // ----- /tmp -----------------------------------------------------------

    /// Names assigned a fixed path under `/tmp` (and nothing else).
    fn tmp_constants(
        &self,
        assignments: &[(Vec<&'a str>, Node<'t>)],
    ) -> HashMap<&'a str, Node<'t>> {
        let mut fixed: HashMap<&'a str, Node<'t>> = HashMap::new();
        let mut other: HashSet<&'a str> = HashSet::new();
        for (targets, value) in assignments {
            if let [t] = targets.as_slice() {
                if self.fixed_tmp(*value, &HashMap::new()) {
                    fixed.insert(t, *value);
                } else {
                    other.insert(t);
                }
            }
        }
        fixed.retain(|k, _| !other.contains(k));
        fixed
    }

    /// A path under `/tmp` that is the same on every invocation.
    fn fixed_tmp(&self, n: Node<'_>, constants: &HashMap<&str, Node<'_>>) -> bool {
        let n = unparenthesize(n);
        match kind(n) {
            K::String => self
                .literal(n)
                .is_some_and(|s| s.starts_with("/tmp/") && s.len() > 5 && !s.ends_with('/')),
            K::Identifier => constants.contains_key(self.t(n)),
            K::Call => {
                let callee = field(n, self.f.function).map_or("", |c| self.t(c));
                let args = self.arguments(n);
                match callee {
                    "os.path.join" | "path.join" | "join" => {
                        let Some((first, rest)) = args.split_first() else { return false };
                        let dir = self.literal(*first).is_some_and(|s| s == "/tmp" || s == "/tmp/")
                            || self.t(*first) == "tempfile.gettempdir()";
                        dir && !rest.is_empty() && rest.iter().all(|a| self.literal(*a).is_some())
                    }
                    "Path" | "pathlib.Path" | "PurePath" => {
                        args.len() == 1
                            && args.first().is_some_and(|a| self.fixed_tmp(*a, constants))
                    }
                    _ => false,
                }
            }
            K::BinaryOperator => {
                let op = field(n, self.f.operator).map_or("", |o| self.t(o));
                let (Some(l), Some(r)) = (field(n, self.f.left), field(n, self.f.right)) else {
                    return false;
                };
                let dir = |x: Node<'_>| {
                    self.literal(x).is_some_and(|s| s == "/tmp" || s == "/tmp/")
                        || self.t(x) == "Path(\"/tmp\")"
                        || self.t(x) == "Path('/tmp')"
                };
                (op == "+" || op == "/")
                    && (dir(l) || self.fixed_tmp(l, constants))
                    && self.literal(r).is_some()
            }
            _ => false,
        }
    }

    /// `open(<fixed /tmp path>, "w")`: the path node.
    fn opened_for_write<'n>(
        &self,
        call: Node<'n>,
        constants: &HashMap<&str, Node<'_>>,
    ) -> Option<Node<'n>> {
        if kind(call) != K::Call {
            return None;
        }
        let callee = field(call, self.f.function).map(|c| self.t(c))?;
        if !matches!(callee, "open" | "io.open" | "codecs.open") {
            return None;
        }
        let path = self.positional(call, 0)?;
        let mode = self
            .positional(call, 1)
            .or_else(|| self.keyword(call, "mode"))
            .and_then(|m| self.literal(m))?;
        (mode.contains(['w', 'a', 'x', '+']) && self.fixed_tmp(path, constants)).then_some(path)
    }

    fn tmp_write(
        &self,
        call: Node<'_>,
        handles: &Handles<'_>,
        constants: &HashMap<&str, Node<'_>>,
        out: &mut Vec<Practice>,
    ) {
        let Some(callee) = field(call, self.f.function) else { return };
        let name = self.callee_name(callee);
        let object = (kind(callee) == K::Attribute).then(|| field(callee, self.f.object)).flatten();
        let (path, data): (Option<String>, Option<Node<'_>>) = match name {
            "write" | "writelines" => match object {
                Some(o) if kind(o) == K::Identifier => {
                    (self.handle(handles, o).map(|p| self.show_path(p)), self.positional(call, 0))
                }
                Some(o) => (
                    self.opened_for_write(o, constants).map(|p| self.show_path(p)),
                    self.positional(call, 0),
                ),
                None => (None, None),
            },
            "dump" => {
                let file = self.positional(call, 1).or_else(|| self.keyword(call, "fp"));
                (
                    file.filter(|f| kind(*f) == K::Identifier)
                        .and_then(|f| self.handle(handles, f))
                        .map(|p| self.show_path(p)),
                    self.positional(call, 0),
                )
            }
            "write_text" | "write_bytes" => (
                object.filter(|o| self.fixed_tmp(*o, constants)).map(|o| self.show_path(o)),
                self.positional(call, 0),
            ),
            _ => (None, None),
        };
        let (Some(path), Some(data)) = (path, data) else { return };
        let what = if let Some(hit) = self.find(data, &mut |me: &Self, x: Node<'_>| {
            kind(x) == K::Identifier
                && (me.secret.contains(me.t(x)) || secret_name(me.t(x)).is_some())
        }) {
            format!("a secret (`{}`)", self.t(hit))
        } else if let Some(hit) = self.find(data, &mut |me: &Self, x: Node<'_>| {
            kind(x) == K::Identifier && me.event.contains(me.t(x))
        }) {
            format!("event data (`{}`)", self.t(hit))
        } else {
            return;
        };
        report(
            out,
            self.input,
            PracticeKind::TmpReuse,
            call,
            format!(
                "`{}` writes {what} to `{path}`, a fixed path: `/tmp` outlives the invocation, so \
                 the next event handled by this execution environment finds it (and a mix-up \
                 serves one caller's data to another)",
                self.snippet_call(call)
            ),
            true,
        );
    }

    /// The file a handle name means at its use: the innermost binding
    /// whose range holds it.
    fn handle<'n>(&self, handles: &Handles<'n>, use_: Node<'_>) -> Option<Node<'n>> {
        let name = self.t(use_);
        let at = use_.start_byte();
        handles
            .iter()
            .filter(|(n, start, end, _)| *n == name && *start <= at && at < *end)
            .max_by_key(|(_, start, _, _)| *start)
            .map(|(_, _, _, path)| *path)
    }

    fn show_path(&self, p: Node<'_>) -> String {
        match self.literal(p) {
            Some(s) => s.to_string(),
            None => self.t(p).to_string(),
        }
    }

    // ----- error details ------------------------------------------------

    fn except_clause(&self, clause: Node<'_>, out: &mut Vec<Practice>) {
        let alias = field(clause, self.f.value)
            .filter(|v| kind(*v) == K::AsPattern)
            .and_then(|v| field(v, self.f.alias))
            .map(|t| {
                let inner = named_children(t).into_iter().find(|c| kind(*c) == K::Identifier);
                self.t(inner.unwrap_or(t))
            });
        let Some(block) = named_children(clause).into_iter().rev().find(|c| kind(*c) == K::Block)
        else {
            return;
        };
        let mut nodes = Vec::new();
        let mut stack = vec![block];
        while let Some(x) = stack.pop() {
            let left = self.budget.get();
            if nodes.len() > 20_000 || left == 0 {
                break;
            }
            self.budget.set(left - 1);
            nodes.push(x);
            if !matches!(kind(x), K::FunctionDefinition | K::Lambda | K::ClassDefinition) {
                let mut c = x.walk();
                stack.extend(x.named_children(&mut c));
            }
        }
        nodes.reverse();
        let mut details: HashSet<&'a str> = HashSet::new();
        for _ in 0..2 {
            for &x in &nodes {
                if kind(x) == K::Assignment
                    && let (Some(l), Some(r)) = (field(x, self.f.left), field(x, self.f.right))
                    && self.detail(r, alias, &details, false, 0).is_some()
                {
                    details.extend(self.targets(l));
                }
            }
        }
        for &x in &nodes {
            let (value, shape) = match kind(x) {
                K::Return => {
                    let Some(v) = named_children(x).into_iter().next() else { continue };
                    (v, self.http_response(v))
                }
                K::Raise => {
                    let Some(v) = named_children(x).into_iter().next() else { continue };
                    let name = (kind(v) == K::Call)
                        .then(|| field(v, self.f.function).map(|c| self.callee_name(c)))
                        .flatten();
                    (v, name.is_some_and(|n| HTTP_ERRORS.contains(&n)))
                }
                K::Call => {
                    let name = field(x, self.f.function).map_or("", |c| self.callee_name(c));
                    (x, name == "abort")
                }
                _ => continue,
            };
            if !shape {
                continue;
            }
            if let Some(hit) = self.detail(value, alias, &details, false, 0) {
                let clause_head =
                    self.t(clause).lines().next().unwrap_or("except").trim_end_matches(':');
                report(
                    out,
                    self.input,
                    PracticeKind::ErrorDetailsReturned,
                    x,
                    format!(
                        "`{clause_head}` sends the exception's details (`{}`) back in the \
                         response: messages and stack traces tell an attacker about the code, \
                         its libraries, queries and paths",
                        snippet(hit, self.src)
                    ),
                    true,
                );
            }
        }
    }

    /// Whether a returned value is an HTTP response: a Lambda proxy
    /// result (`statusCode`/`body`), a framework response, or a Flask
    /// `(body, status)` tuple.
    fn http_response(&self, v: Node<'_>) -> bool {
        let v = unparenthesize(v);
        match kind(v) {
            K::Dictionary => named_children(v).into_iter().any(|p| {
                kind(p) == K::Pair
                    && field(p, self.f.key)
                        .and_then(|k| self.literal(k))
                        .is_some_and(|k| matches!(k, "statusCode" | "body"))
            }),
            K::Call => {
                let name = field(v, self.f.function)
                    .map_or("", |c| self.callee_name(c))
                    .to_ascii_lowercase();
                name.contains("response")
                    || name.contains("respond")
                    || name == "jsonify"
                    || name.contains("reply")
            }
            K::ExpressionList | K::Sequence => named_children(v)
                .last()
                .is_some_and(|s| kind(*s) == K::Integer && self.t(*s).starts_with(['4', '5'])),
            _ => false,
        }
    }

    /// The part of `n` that carries exception details: `str(e)`, `{e}`,
    /// `e.args`, `traceback.format_exc()`, a name assigned from them.
    fn detail<'n>(
        &self,
        n: Node<'n>,
        e: Option<&str>,
        names: &HashSet<&str>,
        stringified: bool,
        depth: usize,
    ) -> Option<Node<'n>> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        match kind(n) {
            K::Identifier => {
                let t = self.t(n);
                return ((stringified && Some(t) == e) || names.contains(t)).then_some(n);
            }
            K::Attribute => {
                let object = field(n, self.f.object).map(|o| self.t(o));
                let attr = field(n, self.f.attribute).map_or("", |a| self.t(a));
                if e.is_some()
                    && object == e
                    && matches!(attr, "args" | "message" | "msg" | "strerror")
                {
                    return Some(n);
                }
                return None;
            }
            K::Call => {
                let callee = field(n, self.f.function);
                let full = callee.map_or("", |c| self.t(c));
                let name = callee.map_or("", |c| self.callee_name(c));
                if full.starts_with("traceback.format")
                    || full == "format_exc"
                    || full == "sys.exc_info"
                {
                    return Some(n);
                }
                if OPAQUE_CALLS.contains(&name) {
                    return None;
                }
                let strings = matches!(name, "str" | "repr" | "format" | "format_exception");
                let mut children = self.arguments(n);
                if name == "format"
                    && let Some(c) = callee.filter(|c| kind(*c) == K::Attribute)
                {
                    children.extend(field(c, self.f.object));
                }
                let hit = children
                    .into_iter()
                    .find_map(|c| self.detail(c, e, names, stringified || strings, depth + 1));
                // `str(e)` reads better than `e` in a message.
                return hit.map(|h| if strings && kind(h) == K::Identifier { n } else { h });
            }
            K::Interpolation => {
                return field(n, self.f.expression)
                    .and_then(|x| self.detail(x, e, names, true, depth + 1))
                    .map(|h| if kind(h) == K::Identifier { n } else { h });
            }
            K::BinaryOperator => {
                let op = field(n, self.f.operator).map_or("", |o| self.t(o));
                let s = stringified || op == "%";
                return [field(n, self.f.left), field(n, self.f.right)]
                    .into_iter()
                    .flatten()
                    .find_map(|c| self.detail(c, e, names, s, depth + 1));
            }
            K::KeywordArgument | K::Pair => {
                return field(n, self.f.value)
                    .and_then(|v| self.detail(v, e, names, stringified, depth + 1));
            }
            K::FunctionDefinition | K::Lambda => return None,
            _ => {}
        }
        named_children(n).into_iter().find_map(|c| self.detail(c, e, names, stringified, depth + 1))
    }
}

/// (name, from, to, path): a file handle and where it means that file.
type Handles<'n> = Vec<(&'n str, usize, usize, Node<'n>)>;

/// Exceptions whose message the framework sends to the caller.
const HTTP_ERRORS: &[&str] = &[
    "HTTPException",
    "BadRequestError",
    "ChaliceViewError",
    "NotFoundError",
    "UnauthorizedError",
    "ForbiddenError",
    "ConflictError",
    "UnprocessableEntityError",
    "BadRequest",
    "InternalServerError",
];

/// The expression inside parentheses (a few levels; deeper is left as is).
fn unparenthesize(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..MAX_EXPR_DEPTH {
        match named_children(n).first() {
            Some(inner) if kind(n) == K::Parenthesized => n = *inner,
            _ => break,
        }
    }
    n
}

fn has_interpolation(n: Node<'_>) -> bool {
    let mut c = n.walk();
    n.named_children(&mut c).any(|x| kind(x) == K::Interpolation)
}

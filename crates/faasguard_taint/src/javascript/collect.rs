//! One walk per module: scopes, bindings, functions, returns, exports,
//! imports, framework route handlers and the sites (calls, `new`, Lambda
//! proxy `Location` headers) the engine checks, in source order.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::sync::OnceLock;

use faasguard_code::parse::Language;
use tree_sitter::Node;

/// A fast hasher for the engine's small keys (node ids, interned-free
/// names): SipHash's collision resistance buys nothing here and cost a
/// tenth of the analysis.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
pub(super) type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

/// Scope id of the module itself (functions are scoped by node id).
pub(super) const MODULE_SCOPE: usize = usize::MAX;

/// Bindings, sites and functions recorded per module; more is generated
/// code or an attack, and the rest of the module is not followed.
const MAX_BINDINGS: usize = 200_000;
const MAX_SITES: usize = 200_000;
/// Destructuring patterns followed this deep.
const MAX_PATTERN_DEPTH: usize = 16;

/// The node kinds the engine looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum K {
    Other,
    /// Anonymous nodes: punctuation, keywords, operators.
    Token,
    Function,
    VariableDeclarator,
    Assignment,
    AugmentedAssignment,
    Import,
    Export,
    Call,
    New,
    Identifier,
    ShorthandProperty,
    Member,
    Subscript,
    String,
    Template,
    Substitution,
    Binary,
    /// Evaluated as their content: parentheses, `await`, type assertions.
    Wrapper,
    Object,
    Array,
    Pair,
    Spread,
    Ternary,
    Unary,
    Sequence,
    ForIn,
    If,
    Class,
    Return,
    Arguments,
    Comment,
    /// Literals and types: no data inside.
    Inert,
}

fn classify(name: &str) -> Option<K> {
    Some(match name {
        "function_declaration"
        | "function_expression"
        | "function"
        | "arrow_function"
        | "method_definition"
        | "generator_function_declaration"
        | "generator_function" => K::Function,
        "variable_declarator" => K::VariableDeclarator,
        "assignment_expression" => K::Assignment,
        "augmented_assignment_expression" => K::AugmentedAssignment,
        "import_statement" => K::Import,
        "export_statement" => K::Export,
        "call_expression" => K::Call,
        "new_expression" => K::New,
        "identifier" => K::Identifier,
        "shorthand_property_identifier" => K::ShorthandProperty,
        "member_expression" => K::Member,
        "subscript_expression" => K::Subscript,
        "string" => K::String,
        "template_string" => K::Template,
        "template_substitution" => K::Substitution,
        "binary_expression" => K::Binary,
        "parenthesized_expression"
        | "await_expression"
        | "as_expression"
        | "non_null_expression"
        | "satisfies_expression"
        | "type_assertion"
        | "yield_expression" => K::Wrapper,
        "object" => K::Object,
        "array" => K::Array,
        "pair" => K::Pair,
        "spread_element" => K::Spread,
        "ternary_expression" => K::Ternary,
        "unary_expression" | "update_expression" => K::Unary,
        "sequence_expression" => K::Sequence,
        "for_in_statement" => K::ForIn,
        "return_statement" => K::Return,
        "if_statement" => K::If,
        "class_declaration" | "class" | "abstract_class_declaration" => K::Class,
        "arguments" => K::Arguments,
        "comment" => K::Comment,
        "number"
        | "regex"
        | "true"
        | "false"
        | "null"
        | "undefined"
        | "this"
        | "property_identifier"
        | "type_annotation"
        | "type_arguments"
        | "type_parameters"
        | "interface_declaration"
        | "type_alias_declaration"
        | "enum_declaration"
        | "predefined_type"
        | "type_identifier" => K::Inert,
        _ => return None,
    })
}

/// Field ids of a JavaScript or TypeScript grammar.
pub(super) struct F {
    pub(super) alias: u16,
    pub(super) alternative: u16,
    pub(super) arguments: u16,
    pub(super) body: u16,
    pub(super) condition: u16,
    pub(super) consequence: u16,
    pub(super) constructor: u16,
    pub(super) declaration: u16,
    pub(super) function: u16,
    pub(super) index: u16,
    pub(super) key: u16,
    pub(super) left: u16,
    pub(super) name: u16,
    pub(super) object: u16,
    pub(super) operator: u16,
    pub(super) parameter: u16,
    pub(super) parameters: u16,
    pub(super) pattern: u16,
    pub(super) property: u16,
    pub(super) right: u16,
    pub(super) source: u16,
    pub(super) value: u16,
}

pub(super) struct Ids {
    kinds: Vec<K>,
    pub(super) f: F,
}

impl Ids {
    pub(super) fn kind(&self, n: Node<'_>) -> K {
        self.kinds.get(usize::from(n.kind_id())).copied().unwrap_or(K::Other)
    }
}

/// Kind and field ids of `language`, computed once from the grammar of a
/// tree of that language.
pub(super) fn ids(language: Language, lang: &tree_sitter::Language) -> &'static Ids {
    static JS: OnceLock<Ids> = OnceLock::new();
    static TS: OnceLock<Ids> = OnceLock::new();
    static TSX: OnceLock<Ids> = OnceLock::new();
    let cell = match language {
        Language::TypeScript => &TS,
        Language::Tsx => &TSX,
        _ => &JS,
    };
    cell.get_or_init(|| {
        let f = |n: &str| lang.field_id_for_name(n).map_or(0, |f| f.get());
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
        Ids {
            kinds,
            f: F {
                alias: f("alias"),
                alternative: f("alternative"),
                arguments: f("arguments"),
                body: f("body"),
                condition: f("condition"),
                consequence: f("consequence"),
                constructor: f("constructor"),
                declaration: f("declaration"),
                function: f("function"),
                index: f("index"),
                key: f("key"),
                left: f("left"),
                name: f("name"),
                object: f("object"),
                operator: f("operator"),
                parameter: f("parameter"),
                parameters: f("parameters"),
                pattern: f("pattern"),
                property: f("property"),
                right: f("right"),
                source: f("source"),
                value: f("value"),
            },
        }
    })
}

/// One step of a destructuring pattern or loop: a property or an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Seg<'a> {
    Prop(&'a str),
    Elem,
}

#[derive(Clone, Debug)]
pub(super) enum BindKind<'a> {
    /// `x = value`.
    Expr(Node<'a>),
    /// A part of a value: `const { a } = value`, `for (x of value)`.
    Path(Node<'a>, Rc<[Seg<'a>]>),
    /// Parameter `index` of function `fid`, destructured by the path.
    Param { fid: usize, index: usize, path: Rc<[Seg<'a>]> },
    /// A function declaration.
    Func(usize),
    /// `import { member } from 'spec'` (`member` empty for a namespace,
    /// `default` for a default import).
    Import { spec: &'a str, member: &'a str },
    /// `x.prop = value`: `x` now holds the value too.
    Contains { value: Node<'a>, prop: &'a str },
}

#[derive(Clone, Debug)]
pub(super) struct Binding<'a> {
    pub(super) kind: BindKind<'a>,
    /// The scope the value is evaluated in.
    pub(super) scope: usize,
    /// Where the binding happens (a step of a flow).
    pub(super) site: Node<'a>,
}

pub(super) struct Func<'a> {
    pub(super) node: Node<'a>,
    /// Parameter names, for the Azure `(context, req)` shape.
    pub(super) params: Vec<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SiteKind<'a> {
    /// A call or `new`.
    Call,
    /// `headers: { Location: value }` in an object literal.
    Location(Node<'a>),
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Site<'a> {
    pub(super) node: Node<'a>,
    pub(super) scope: usize,
    pub(super) kind: SiteKind<'a>,
}

/// What one module binds and calls.
pub(super) struct Module<'a> {
    pub(super) src: &'a str,
    pub(super) ids: &'static Ids,
    pub(super) bindings: Vec<Binding<'a>>,
    pub(super) names: FxMap<(usize, &'a str), Vec<u32>>,
    pub(super) parent: FxMap<usize, usize>,
    pub(super) funcs: FxMap<usize, Func<'a>>,
    /// Calls, `new`s and Location headers in source order (by start byte).
    pub(super) sites: Vec<Site<'a>>,
    /// Returned expressions per function.
    pub(super) returns: FxMap<usize, Vec<Node<'a>>>,
    /// Exported names and their values (`""`: `module.exports` itself).
    pub(super) exports: Vec<(&'a str, Node<'a>)>,
    /// Route handlers of web frameworks: functions, or names resolved later.
    pub(super) routes: Vec<(Node<'a>, usize)>,
    /// Allow-list guards: (scope, name) to the byte ranges where the
    /// name's earlier value was checked against a list
    /// (`if (!ALLOWED.includes(x)) return;`, `if (MODES.has(x)) {..}`).
    pub(super) guards: FxMap<(usize, &'a str), Vec<(usize, usize)>>,
    /// Classes by name: their methods by name (`constructor` included).
    pub(super) classes: FxMap<&'a str, Vec<(&'a str, usize)>>,
    /// `this.prop = value` assignments by property: (value, scope, site).
    pub(super) this_props: FxMap<&'a str, Vec<(Node<'a>, usize, Node<'a>)>>,
    /// `new Name(...)` by class name, and calls of `x.name(...)` by method
    /// name, with their scopes: the callers a `this.prop` assigned from a
    /// constructor's or a method's parameter is followed through. Filled
    /// only in modules that define classes.
    pub(super) news: FxMap<&'a str, Vec<(Node<'a>, usize)>>,
    pub(super) method_calls: FxMap<&'a str, Vec<(Node<'a>, usize)>>,
    /// Whether a limit cut the walk short.
    pub(super) truncated: bool,
    /// Shared paths: no path, and one element.
    no_path: Rc<[Seg<'a>]>,
    elem_path: Rc<[Seg<'a>]>,
}

/// Methods that register a route handler on an Express/Koa/Fastify app or
/// router (`app.post(path, handler)`), or an Azure v4 HTTP function.
const ROUTE_METHODS: &[&str] =
    &["get", "post", "put", "delete", "patch", "all", "use", "options", "head", "route", "http"];

/// Array (and promise) methods whose callback receives the elements (or
/// the resolved value) of the receiver, with the index of that parameter.
fn callback_param(method: &str) -> Option<(usize, bool)> {
    Some(match method {
        "map" | "forEach" | "filter" | "find" | "findLast" | "some" | "every" | "flatMap"
        | "findIndex" => (0, true),
        "reduce" | "reduceRight" => (1, true),
        "then" => (0, false),
        _ => return None,
    })
}

pub(super) fn text<'a>(n: Node<'_>, src: &'a str) -> &'a str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

/// A string literal's content (quotes removed; escapes kept as written).
pub(super) fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

impl<'a> Module<'a> {
    pub(super) fn new(language: Language, src: &'a str, root: Node<'a>) -> Self {
        let mut m = Module {
            src,
            ids: ids(language, &root.language()),
            bindings: Vec::new(),
            names: FxMap::default(),
            parent: FxMap::default(),
            funcs: FxMap::default(),
            sites: Vec::new(),
            returns: FxMap::default(),
            exports: Vec::new(),
            routes: Vec::new(),
            guards: FxMap::default(),
            classes: FxMap::default(),
            this_props: FxMap::default(),
            news: FxMap::default(),
            method_calls: FxMap::default(),
            truncated: false,
            no_path: Rc::from(Vec::new()),
            elem_path: Rc::from(vec![Seg::Elem]),
        };
        m.collect(root);
        m
    }

    pub(super) fn kind(&self, n: Node<'_>) -> K {
        self.ids.kind(n)
    }

    pub(super) fn text(&self, n: Node<'_>) -> &'a str {
        text(n, self.src)
    }

    pub(super) fn field(&self, n: Node<'a>, id: u16) -> Option<Node<'a>> {
        let mut found = n.child_by_field_id(id)?;
        if id == self.ids.f.function {
            // tree-sitter-typescript parses `await client.query<T>(sql)` as a
            // call whose callee is `await client.query`; a parenthesised or
            // asserted callee (`(fn as any)(x)`) is the expression inside.
            for _ in 0..8 {
                if self.kind(found) != K::Wrapper {
                    break;
                }
                found = found.named_child(0)?;
            }
        }
        Some(found)
    }

    /// An `if` that checks a name against a list: the name and where its
    /// earlier value is known to be one of the list's. Negative checks
    /// (`!list.includes(x)`, `list.indexOf(x) === -1`) count when their
    /// branch returns or throws, from the `if` to the end of the function;
    /// positive ones inside their branch.
    fn guard(&self, n: Node<'a>, scope_end: usize) -> Option<(&'a str, (usize, usize))> {
        let f = &self.ids.f;
        let mut cond = self.field(n, f.condition)?;
        while self.kind(cond) == K::Wrapper {
            cond = cond.named_child(0)?;
        }
        let body = self.field(n, f.consequence)?;
        let membership = |call: Node<'a>, methods: &[&str]| -> Option<&'a str> {
            if self.kind(call) != K::Call {
                return None;
            }
            let fun = self.field(call, f.function)?;
            if self.kind(fun) != K::Member
                || !methods.contains(&self.text(self.field(fun, f.property)?))
            {
                return None;
            }
            let list = self.field(fun, f.object)?;
            let x = self.arg(call, 0).filter(|a| self.kind(*a) == K::Identifier)?;
            (self.args(call).len() == 1 && self.text(list) != self.text(x)).then(|| self.text(x))
        };
        let (name, negative) = match self.kind(cond) {
            K::Call => (membership(cond, &["includes", "has"])?, false),
            K::Unary if cond.child(0).is_some_and(|o| self.text(o) == "!") => {
                let mut inner = cond.named_child(0)?;
                while self.kind(inner) == K::Wrapper {
                    inner = inner.named_child(0)?;
                }
                (membership(inner, &["includes", "has"])?, true)
            }
            K::Binary => {
                let (l, r) = (self.field(cond, f.left)?, self.field(cond, f.right)?);
                let op = self.text(self.field(cond, f.operator)?);
                let name = membership(l, &["indexOf"])?;
                let negative = match (op, self.text(r).replace(' ', "").as_str()) {
                    ("===" | "==", "-1") | ("<", "0") => true,
                    ("!==" | "!=", "-1") | (">=", "0") | (">", "-1") => false,
                    _ => return None,
                };
                (name, negative)
            }
            _ => return None,
        };
        if !negative {
            return Some((name, (body.start_byte(), body.end_byte())));
        }
        let last = if body.kind() == "statement_block" {
            let mut c = body.walk();
            body.named_children(&mut c).filter(|s| self.kind(*s) != K::Comment).last()?
        } else {
            body
        };
        matches!(last.kind(), "return_statement" | "throw_statement")
            .then_some((name, (n.end_byte(), scope_end)))
    }

    fn bind(&mut self, scope: usize, name: &'a str, b: Binding<'a>) {
        if self.bindings.len() >= MAX_BINDINGS {
            self.truncated = true;
            return;
        }
        let i = u32::try_from(self.bindings.len()).unwrap_or(u32::MAX);
        self.bindings.push(b);
        self.names.entry((scope, name)).or_default().push(i);
    }

    /// The bindings of `name` seen from `scope`: those of every scope on
    /// the chain (flow-insensitive, and shadowing is rare enough in
    /// handlers that the union is the safer reading), innermost first.
    pub(super) fn lookup<'s>(
        &'s self,
        scope: usize,
        name: &'s str,
    ) -> impl Iterator<Item = u32> + 's {
        self.chain(scope)
            .flat_map(move |s| self.names.get(&(s, name)).map_or(&[][..], Vec::as_slice))
            .copied()
    }

    /// `scope` and its enclosing scopes, innermost first.
    fn chain(&self, scope: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(scope), |s| {
            (*s != MODULE_SCOPE).then(|| self.parent.get(s).copied().unwrap_or(MODULE_SCOPE))
        })
        .take(256)
    }

    /// Whether `name` is bound anywhere on the chain.
    pub(super) fn is_bound(&self, scope: usize, name: &str) -> bool {
        self.chain(scope).any(|s| self.names.contains_key(&(s, name)))
    }

    /// Argument `i` of a call or `new` (comments skipped).
    pub(super) fn arg(&self, call: Node<'a>, i: usize) -> Option<Node<'a>> {
        let args = self.field(call, self.ids.f.arguments)?;
        if self.kind(args) != K::Arguments {
            // A tagged template: the template is the only argument.
            return (i == 0).then_some(args);
        }
        let mut c = args.walk();
        args.named_children(&mut c).filter(|a| self.kind(*a) != K::Comment).nth(i)
    }

    pub(super) fn args(&self, call: Node<'a>) -> Vec<Node<'a>> {
        let Some(args) = self.field(call, self.ids.f.arguments) else { return Vec::new() };
        if self.kind(args) != K::Arguments {
            return vec![args];
        }
        let mut c = args.walk();
        args.named_children(&mut c).filter(|a| self.kind(*a) != K::Comment).collect()
    }

    fn collect(&mut self, root: Node<'a>) {
        let ids = self.ids;
        let f = &ids.f;
        // (scope, depth of the scope's node).
        let mut stack: Vec<(usize, usize)> = vec![(MODULE_SCOPE, 0)];
        // Callbacks of array methods: function node id to (receiver, index
        // of the element parameter, element or whole value).
        let mut callbacks: FxMap<usize, (Node<'a>, usize, bool, usize)> = FxMap::default();
        // Enclosing object literals (id, depth), and those that are the
        // value of a `headers` pair: no `parent()` calls, which cost the
        // node's depth each.
        let mut objects: Vec<(usize, usize)> = Vec::new();
        let mut headers: FxSet<usize> = FxSet::default();
        let mut member_calls: Vec<(&'a str, Node<'a>, usize)> = Vec::new();
        let mut news: Vec<(&'a str, Node<'a>, usize)> = Vec::new();
        let mut cursor = root.walk();
        let mut depth = 0usize;
        loop {
            let n = cursor.node();
            while stack.len() > 1 && stack.last().is_some_and(|(_, d)| *d >= depth) {
                stack.pop();
            }
            while objects.last().is_some_and(|(_, d)| *d >= depth) {
                objects.pop();
            }
            let scope = stack.last().map_or(MODULE_SCOPE, |(s, _)| *s);
            let descend = match self.kind(n) {
                K::Function => {
                    let fid = n.id();
                    self.parent.insert(fid, scope);
                    stack.push((fid, depth));
                    if let Some(name) = self.field(n, f.name)
                        && self.kind(name) == K::Identifier
                        && n.kind() != "function_expression"
                    {
                        let name = self.text(name);
                        let b = Binding { kind: BindKind::Func(fid), scope, site: n };
                        self.bind(scope, name, b);
                    }
                    let callback = callbacks.remove(&fid);
                    self.bind_params(n, fid, callback);
                    if let Some(body) = self.field(n, f.body)
                        && n.kind() == "arrow_function"
                        && body.kind() != "statement_block"
                    {
                        self.returns.entry(fid).or_default().push(body);
                    }
                    true
                }
                K::VariableDeclarator => {
                    if let (Some(name), Some(value)) =
                        (self.field(n, f.name), self.field(n, f.value))
                    {
                        self.bind_pattern(name, BindKind::Expr(value), value, scope, n);
                    }
                    true
                }
                K::Assignment => {
                    if let (Some(l), Some(r)) = (self.field(n, f.left), self.field(n, f.right)) {
                        self.assign(l, r, scope, n);
                    }
                    true
                }
                K::AugmentedAssignment => {
                    if let Some(l) = self.field(n, f.left)
                        && self.kind(l) == K::Identifier
                    {
                        let name = self.text(l);
                        self.bind(scope, name, Binding { kind: BindKind::Expr(n), scope, site: n });
                    }
                    true
                }
                K::ForIn => {
                    if let (Some(l), Some(r)) = (self.field(n, f.left), self.field(n, f.right)) {
                        let path = self.elem_path.clone();
                        self.bind_pattern(l, BindKind::Path(r, path), r, scope, n);
                    }
                    true
                }
                K::Import => {
                    self.import(n, scope);
                    false
                }
                K::Export => {
                    self.export(n);
                    true
                }
                K::Call => {
                    self.push_site(Site { node: n, scope, kind: SiteKind::Call });
                    self.call(n, scope, &mut callbacks);
                    if let Some(fun) = self.field(n, f.function)
                        && self.kind(fun) == K::Member
                        && let Some(p) = self.field(fun, f.property)
                    {
                        member_calls.push((self.text(p), n, scope));
                    }
                    true
                }
                K::New => {
                    self.push_site(Site { node: n, scope, kind: SiteKind::Call });
                    if let Some(c) = self.field(n, f.constructor)
                        && self.kind(c) == K::Identifier
                    {
                        news.push((self.text(c), n, scope));
                    }
                    true
                }
                K::Object => {
                    objects.push((n.id(), depth));
                    true
                }
                K::Pair => {
                    let parent = objects.last().filter(|(_, d)| *d + 1 == depth).map(|(id, _)| *id);
                    self.header_pair(n, scope, parent, &mut headers);
                    true
                }
                K::Class => {
                    self.class(n);
                    true
                }
                K::If => {
                    let scope_end =
                        self.funcs.get(&scope).map_or(usize::MAX, |f| f.node.end_byte());
                    if let Some((name, range)) = self.guard(n, scope_end) {
                        self.guards.entry((scope, name)).or_default().push(range);
                    }
                    true
                }
                K::Return => {
                    if scope != MODULE_SCOPE
                        && let Some(e) = n.named_child(0)
                        && self.kind(e) != K::Comment
                    {
                        let list = self.returns.entry(scope).or_default();
                        if list.len() < 1_000 {
                            list.push(e);
                        }
                    }
                    true
                }
                K::Comment | K::String | K::Inert | K::Token | K::Identifier => false,
                _ => true,
            };
            if descend && cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    if !self.classes.is_empty() {
                        for (name, n, scope) in member_calls {
                            self.method_calls.entry(name).or_default().push((n, scope));
                        }
                        for (name, n, scope) in news {
                            self.news.entry(name).or_default().push((n, scope));
                        }
                    }
                    return;
                }
                depth = depth.saturating_sub(1);
            }
        }
    }

    fn push_site(&mut self, site: Site<'a>) {
        if self.sites.len() >= MAX_SITES {
            self.truncated = true;
            return;
        }
        self.sites.push(site);
    }

    /// A class's name and its methods.
    fn class(&mut self, n: Node<'a>) {
        let f = &self.ids.f;
        let Some(name) = self.field(n, f.name).map(|x| self.text(x)) else { return };
        let Some(body) = self.field(n, f.body) else { return };
        let mut c = body.walk();
        let methods: Vec<(&'a str, usize)> = body
            .named_children(&mut c)
            .filter(|m| self.kind(*m) == K::Function)
            .filter_map(|m| Some((self.text(self.field(m, f.name)?), m.id())))
            .collect();
        self.classes.entry(name).or_default().extend(methods);
    }

    fn assign(&mut self, l: Node<'a>, r: Node<'a>, scope: usize, site: Node<'a>) {
        if self.kind(l) == K::Member
            && self.field(l, self.ids.f.object).is_some_and(|o| o.kind() == "this")
            && let Some(p) = self.field(l, self.ids.f.property)
        {
            let list = self.this_props.entry(self.text(p)).or_default();
            if list.len() < 64 {
                list.push((r, scope, site));
            }
            return;
        }
        match self.kind(l) {
            K::Identifier => {
                let name = self.text(l);
                self.bind(scope, name, Binding { kind: BindKind::Expr(r), scope, site });
            }
            K::Member | K::Subscript => {
                let dotted = self.text(l);
                if let Some(name) = dotted
                    .strip_prefix("module.exports.")
                    .or_else(|| dotted.strip_prefix("exports."))
                    .filter(|n| !n.contains(['.', '[', ' ', '\n']))
                {
                    self.exports.push((name, r));
                } else if dotted == "module.exports" || dotted == "exports" {
                    self.export_value("", r);
                }
                // The root name holds the assigned value: `params.Key = x`.
                let (mut root, mut prop) = (l, "");
                for _ in 0..32 {
                    let obj = self.field(root, self.ids.f.object);
                    let Some(obj) = obj else { break };
                    prop = match self.field(root, self.ids.f.property) {
                        Some(p) => self.text(p),
                        None => {
                            self.field(root, self.ids.f.index).map_or("", |i| unquote(self.text(i)))
                        }
                    };
                    root = obj;
                }
                if self.kind(root) == K::Identifier {
                    let name = self.text(root);
                    let kind = BindKind::Contains { value: r, prop };
                    self.bind(scope, name, Binding { kind, scope, site });
                }
            }
            _ => self.bind_pattern(l, BindKind::Expr(r), r, scope, site),
        }
    }

    /// `module.exports = { handler, api: { ... } }` and `module.exports = fn`.
    fn export_value(&mut self, name: &'a str, value: Node<'a>) {
        self.exports.push((name, value));
        if self.kind(value) != K::Object {
            return;
        }
        let f = &self.ids.f;
        let mut c = value.walk();
        for p in value.named_children(&mut c) {
            match self.kind(p) {
                K::ShorthandProperty => self.exports.push((self.text(p), p)),
                K::Pair => {
                    if let (Some(k), Some(v)) = (self.field(p, f.key), self.field(p, f.value)) {
                        self.exports.push((unquote(self.text(k)), v));
                    }
                }
                K::Function => {
                    if let Some(k) = self.field(p, f.name) {
                        self.exports.push((unquote(self.text(k)), p));
                    }
                }
                _ => {}
            }
        }
    }

    fn export(&mut self, n: Node<'a>) {
        let f = &self.ids.f;
        if self.field(n, f.source).is_some() {
            return;
        }
        if let Some(decl) = self.field(n, f.declaration) {
            match self.kind(decl) {
                K::Function => {
                    if let Some(name) = self.field(decl, f.name) {
                        self.exports.push((self.text(name), decl));
                    }
                }
                _ => {
                    let mut c = decl.walk();
                    let declarators: Vec<Node<'a>> = decl
                        .named_children(&mut c)
                        .filter(|d| self.kind(*d) == K::VariableDeclarator)
                        .collect();
                    for d in declarators {
                        if let (Some(name), Some(value)) =
                            (self.field(d, f.name), self.field(d, f.value))
                            && self.kind(name) == K::Identifier
                        {
                            self.exports.push((self.text(name), value));
                        }
                    }
                }
            }
            return;
        }
        let mut c = n.walk();
        let children: Vec<Node<'a>> = n.children(&mut c).collect();
        if children.iter().any(|c| c.kind() == "default") {
            if let Some(v) = self.field(n, f.value).or_else(|| {
                children.iter().copied().find(|c| c.is_named() && self.kind(*c) != K::Comment)
            }) {
                self.export_value("default", v);
            }
            return;
        }
        for clause in children.iter().filter(|c| c.kind() == "export_clause") {
            let mut c2 = clause.walk();
            for spec in clause.named_children(&mut c2) {
                let Some(name) = self.field(spec, f.name) else { continue };
                let alias = self.field(spec, f.alias).unwrap_or(name);
                self.exports.push((unquote(self.text(alias)), name));
            }
        }
    }

    fn import(&mut self, n: Node<'a>, scope: usize) {
        let f = &self.ids.f;
        let Some(source) = self.field(n, f.source) else { return };
        let spec = unquote(self.text(source));
        let mut c = n.walk();
        let Some(clause) = n.named_children(&mut c).find(|k| k.kind() == "import_clause") else {
            return;
        };
        let mut c = clause.walk();
        let parts: Vec<Node<'a>> = clause.named_children(&mut c).collect();
        for part in parts {
            match part.kind() {
                "identifier" => {
                    let kind = BindKind::Import { spec, member: "default" };
                    self.bind(scope, self.text(part), Binding { kind, scope, site: n });
                }
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        let kind = BindKind::Import { spec, member: "" };
                        self.bind(scope, self.text(id), Binding { kind, scope, site: n });
                    }
                }
                "named_imports" => {
                    let mut c2 = part.walk();
                    let specs: Vec<Node<'a>> = part.named_children(&mut c2).collect();
                    for s in specs {
                        let Some(name) = self.field(s, f.name) else { continue };
                        let local = self.field(s, f.alias).unwrap_or(name);
                        let member = unquote(self.text(name));
                        let kind = BindKind::Import { spec, member };
                        self.bind(scope, self.text(local), Binding { kind, scope, site: n });
                    }
                }
                _ => {}
            }
        }
    }

    /// Route registrations and array-method callbacks.
    fn call(
        &mut self,
        n: Node<'a>,
        scope: usize,
        callbacks: &mut FxMap<usize, (Node<'a>, usize, bool, usize)>,
    ) {
        let f = &self.ids.f;
        let Some(fun) = self.field(n, f.function) else { return };
        if self.kind(fun) != K::Member {
            return;
        }
        let (Some(obj), Some(prop)) = (self.field(fun, f.object), self.field(fun, f.property))
        else {
            return;
        };
        let method = self.text(prop);
        // `list.push(x)`, `params.append(k, x)`: the container holds x.
        if matches!(method, "push" | "unshift" | "set" | "append" | "add")
            && self.kind(obj) == K::Identifier
            && let Some(value) = self.args(n).last().copied()
        {
            let kind = BindKind::Contains { value, prop: "" };
            self.bind(scope, self.text(obj), Binding { kind, scope, site: n });
        }
        if let Some((index, elem)) = callback_param(method)
            && let Some(cb) = self.arg(n, 0)
            && self.kind(cb) == K::Function
        {
            callbacks.insert(cb.id(), (obj, index, elem, scope));
        }
        if ROUTE_METHODS.contains(&method) {
            for a in self.args(n) {
                match self.kind(a) {
                    K::Function | K::Identifier | K::Member => self.routes.push((a, scope)),
                    K::Object => {
                        let mut c = a.walk();
                        let pairs: Vec<Node<'a>> = a.named_children(&mut c).collect();
                        for p in pairs {
                            let key = self.field(p, f.key).map(|k| self.text(k));
                            if key == Some("handler")
                                && let Some(v) = self.field(p, f.value)
                            {
                                self.routes.push((v, scope));
                            } else if self.kind(p) == K::Function && key == Some("handler") {
                                self.routes.push((p, scope));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// `headers: { Location: value }`: a pair keyed `Location` in an object
    /// that is the value of a `headers` pair.
    fn header_pair(
        &mut self,
        pair: Node<'a>,
        scope: usize,
        parent: Option<usize>,
        headers: &mut FxSet<usize>,
    ) {
        let f = &self.ids.f;
        let (Some(key), Some(value)) = (self.field(pair, f.key), self.field(pair, f.value)) else {
            return;
        };
        let key = unquote(self.text(key));
        if key == "headers" || key == "multiValueHeaders" {
            if self.kind(value) == K::Object && headers.len() < MAX_SITES {
                headers.insert(value.id());
            }
        } else if key.eq_ignore_ascii_case("location")
            && parent.is_some_and(|p| headers.contains(&p))
        {
            self.push_site(Site { node: pair, scope, kind: SiteKind::Location(value) });
        }
    }

    fn bind_params(
        &mut self,
        func: Node<'a>,
        fid: usize,
        callback: Option<(Node<'a>, usize, bool, usize)>,
    ) {
        let f = &self.ids.f;
        let mut list: Vec<Node<'a>> = Vec::new();
        if let Some(p) = self.field(func, f.parameter) {
            list.push(p);
        } else if let Some(params) = self.field(func, f.parameters) {
            let mut c = params.walk();
            list = params.named_children(&mut c).filter(|p| self.kind(*p) != K::Comment).collect();
        }
        let mut names = Vec::new();
        for (index, p) in list.into_iter().enumerate() {
            let pattern = match p.kind() {
                "required_parameter" | "optional_parameter" => self.field(p, f.pattern),
                "assignment_pattern" => self.field(p, f.left),
                _ => Some(p),
            };
            let Some(pattern) = pattern else { continue };
            names.push(if self.kind(pattern) == K::Identifier { self.text(pattern) } else { "" });
            match callback {
                Some((recv, i, elem, scope)) if i == index => {
                    let path: Rc<[Seg<'a>]> =
                        if elem { self.elem_path.clone() } else { self.no_path.clone() };
                    let b = BindKind::Path(recv, path);
                    // The value lives in the caller's scope.
                    self.bind_pattern_in(pattern, b, recv, fid, scope, func);
                }
                _ => {
                    let b = BindKind::Param { fid, index, path: self.no_path.clone() };
                    self.bind_pattern(pattern, b, func, fid, func);
                }
            }
        }
        self.funcs.insert(fid, Func { node: func, params: names });
    }

    fn bind_pattern(
        &mut self,
        pattern: Node<'a>,
        base: BindKind<'a>,
        value: Node<'a>,
        scope: usize,
        site: Node<'a>,
    ) {
        self.bind_pattern_in(pattern, base, value, scope, scope, site);
    }

    /// Binds the names of a pattern in `scope` to the parts of `base`,
    /// evaluated in `value_scope`. Iterative: patterns are as deep as the
    /// input makes them.
    fn bind_pattern_in(
        &mut self,
        pattern: Node<'a>,
        base: BindKind<'a>,
        _value: Node<'a>,
        scope: usize,
        value_scope: usize,
        site: Node<'a>,
    ) {
        let f = &self.ids.f;
        let mut work: Vec<(Node<'a>, Vec<Seg<'a>>)> = vec![(pattern, Vec::new())];
        let mut budget = 1_000usize;
        while let Some((p, path)) = work.pop() {
            budget = budget.saturating_sub(1);
            if budget == 0 || path.len() > MAX_PATTERN_DEPTH {
                self.truncated = true;
                break;
            }
            match p.kind() {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    let kind = with_path(&base, &path);
                    let name = self.text(p);
                    self.bind(scope, name, Binding { kind, scope: value_scope, site });
                }
                "object_pattern" => {
                    let mut c = p.walk();
                    let props: Vec<Node<'a>> = p.named_children(&mut c).collect();
                    for q in props {
                        match q.kind() {
                            "shorthand_property_identifier_pattern" => {
                                let mut sub = path.clone();
                                sub.push(Seg::Prop(self.text(q)));
                                work.push((q, sub));
                            }
                            "pair_pattern" => {
                                let (Some(k), Some(v)) =
                                    (self.field(q, f.key), self.field(q, f.value))
                                else {
                                    continue;
                                };
                                let mut sub = path.clone();
                                sub.push(Seg::Prop(unquote(self.text(k))));
                                work.push((v, sub));
                            }
                            "object_assignment_pattern" => {
                                if let Some(l) = self.field(q, f.left) {
                                    let mut sub = path.clone();
                                    sub.push(Seg::Prop(self.text(l)));
                                    work.push((l, sub));
                                }
                            }
                            "rest_pattern" => {
                                if let Some(id) = q.named_child(0) {
                                    work.push((id, path.clone()));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "array_pattern" => {
                    let mut c = p.walk();
                    let items: Vec<Node<'a>> = p.named_children(&mut c).collect();
                    for q in items {
                        let mut sub = path.clone();
                        sub.push(Seg::Elem);
                        work.push((q, sub));
                    }
                }
                "assignment_pattern" => {
                    if let Some(l) = self.field(p, f.left) {
                        work.push((l, path));
                    }
                }
                "rest_pattern" => {
                    if let Some(id) = p.named_child(0) {
                        work.push((id, path));
                    }
                }
                // `for (const x of xs)`: the declaration's pattern.
                "lexical_declaration" | "variable_declaration" => {
                    if let Some(d) = p.named_child(0) {
                        work.push((self.field(d, f.name).unwrap_or(d), path));
                    }
                }
                _ => {}
            }
        }
    }
}

fn with_path<'a>(base: &BindKind<'a>, path: &[Seg<'a>]) -> BindKind<'a> {
    if path.is_empty() {
        return base.clone();
    }
    match base {
        BindKind::Expr(v) => BindKind::Path(*v, Rc::from(path.to_vec())),
        BindKind::Path(v, p) => {
            let mut all = p.to_vec();
            all.extend_from_slice(path);
            BindKind::Path(*v, Rc::from(all))
        }
        BindKind::Param { fid, index, .. } => {
            BindKind::Param { fid: *fid, index: *index, path: Rc::from(path.to_vec()) }
        }
        other => other.clone(),
    }
}

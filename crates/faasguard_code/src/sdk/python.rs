//! boto3 (and botocore) calls in Python.
//!
//! One walk over the tree records bindings (imports, assignments,
//! parameters, `global` declarations), the call sites of local functions
//! and every call; then the receiver of each call is evaluated and the
//! calls that are SDK operations are reported.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::{
    ArgKey, ArgValue, Budget, Confidence, Exports, Grammar, Linked, MODULE_SCOPE, Out, Outgoing,
    Part, S3_UPLOAD_OPERATIONS, Scopes, Seeds, concat, field_id, parts_of, service_from_name,
    snake_to_pascal, snippet, template, text, waiter_operation, walk,
};

/// The node kinds discovery looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Other,
    /// Anonymous nodes: punctuation, keywords, operators.
    Token,
    FunctionDefinition,
    ClassDefinition,
    GlobalStatement,
    Assignment,
    ImportStatement,
    ImportFromStatement,
    Call,
    Identifier,
    Attribute,
    String,
    ConcatenatedString,
    BinaryOperator,
    Subscript,
    BooleanOperator,
    Parenthesized,
    Await,
    Dictionary,
    KeywordArgument,
    Splat,
    Comment,
    /// Leaves and literals with nothing inside for discovery.
    Inert,
}

fn classify(name: &str) -> Option<K> {
    Some(match name {
        "function_definition" => K::FunctionDefinition,
        "class_definition" => K::ClassDefinition,
        "global_statement" => K::GlobalStatement,
        "assignment" => K::Assignment,
        "import_statement" => K::ImportStatement,
        "import_from_statement" => K::ImportFromStatement,
        "call" => K::Call,
        "identifier" => K::Identifier,
        "attribute" => K::Attribute,
        "string" => K::String,
        "concatenated_string" => K::ConcatenatedString,
        "binary_operator" => K::BinaryOperator,
        "subscript" => K::Subscript,
        "boolean_operator" => K::BooleanOperator,
        "parenthesized_expression" => K::Parenthesized,
        "await" => K::Await,
        "dictionary" => K::Dictionary,
        "keyword_argument" => K::KeywordArgument,
        "list_splat" | "dictionary_splat" => K::Splat,
        "comment" => K::Comment,
        "integer" | "float" | "true" | "false" | "none" | "escape_sequence" => K::Inert,
        _ => return None,
    })
}

/// Field ids of the Python grammar.
struct F {
    alias: u16,
    arguments: u16,
    attribute: u16,
    expression: u16,
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
}

struct Ids {
    g: Grammar<K>,
    f: F,
}

fn ids() -> &'static Ids {
    static IDS: OnceLock<Ids> = OnceLock::new();
    IDS.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let f = |n| field_id(&lang, n);
        Ids {
            f: F {
                alias: f("alias"),
                arguments: f("arguments"),
                attribute: f("attribute"),
                expression: f("expression"),
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
            },
            g: Grammar::new(&lang, classify, K::Other, K::Token),
        }
    })
}

fn kind(n: Node<'_>) -> K {
    ids().g.kind(n)
}

/// What an expression is, as far as SDK discovery cares.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val<'t> {
    Boto3,
    Boto3SessionModule,
    Botocore,
    BotocoreSessionModule,
    /// `boto3.Session`, `botocore.session.get_session`: calling it gives a session.
    SessionFactory,
    Session,
    /// `boto3.client`, `session.client`, `session.create_client`; the text
    /// of the callee for `via`.
    ClientFactory(Rc<str>),
    ResourceFactory(Rc<str>),
    Client(Sdk),
    Resource(Sdk),
    /// `resource.meta`: its `client` is a client of the same service.
    ResourceMeta(Sdk),
    /// A resource object: `Table(name)`, `Object(bucket, key)`, ...
    Object(Obj),
    Paginator(Sdk, Rc<str>),
    Waiter(Sdk, Rc<str>),
    Os,
    Environ,
    /// `os.getenv`, `os.environ.get`.
    Getenv,
    Str(ArgValue),
    Dict(Node<'t>),
    /// A parameter no call site resolves.
    Param,
    /// A module imported whole (`import receipts`): its dotted path.
    Module(Rc<str>),
    /// A name imported from another module (`from receipts import save`),
    /// or an attribute of an imported module: the module's dotted path and
    /// the name.
    Foreign(Rc<str>, Rc<str>),
    Unknown,
}

impl Val<'_> {
    /// The string value, if this is one.
    fn into_str(self) -> Option<ArgValue> {
        match self {
            Val::Str(v) => Some(v),
            _ => None,
        }
    }
}

/// A client or service resource: service (`None` when not a constant),
/// how it was built, and how sure we are.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sdk {
    service: Option<Rc<str>>,
    via: Rc<str>,
    confidence: Confidence,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Obj {
    sdk: Sdk,
    kind: &'static str,
    /// Identifiers of the object, named as the request parameters they fill.
    ident: Vec<(String, ArgValue)>,
}

#[derive(Clone)]
enum Bind<'t, 's> {
    Expr(Node<'t>, usize),
    Val(Val<'t>),
    /// Parameter `index` of the local function `func` (scope `fid`).
    Param {
        func: &'s str,
        fid: usize,
        index: usize,
        name: &'s str,
        node: Node<'t>,
    },
}

/// A module's analysis: bindings and calls from one walk, then evaluation
/// on demand, remembered per binding.
pub(crate) struct Py<'t, 's> {
    src: &'s str,
    scopes: Scopes<'t, 's, Bind<'t, 's>>,
    budget: Budget,
    /// Every call with its scope, in source order.
    calls: Vec<(Node<'t>, usize)>,
    /// Module-level functions: name to (scope id, parameter names).
    functions: HashMap<&'s str, (usize, Vec<&'s str>)>,
    /// Modules named by imports, as written.
    specs: Vec<String>,
    /// Values of bindings and parameters already evaluated.
    memo: RefCell<HashMap<(usize, usize), Val<'t>>>,
    /// Values other modules pass to parameters.
    seeds: Seeds<Val<'static>>,
    /// Module-level SDK values of imported local modules, by import spec.
    imports: HashMap<String, Rc<Exports<Val<'static>>>>,
    /// Parameters whose callers disagree: (parameter node, message).
    conflicts: RefCell<Vec<(Node<'t>, String)>>,
}

pub(crate) fn discover(src: &str, tree: &Tree, out: &mut Out) {
    let mut py = Py::new(src, tree);
    py.run(&Seeds::new(), out);
}

impl<'t, 's> Linked for Py<'t, 's> {
    type Seed = Val<'static>;

    fn specs(&self) -> Vec<String> {
        self.specs.clone()
    }

    fn exported_values(&self) -> Vec<(String, Val<'static>)> {
        let mut names: Vec<&str> =
            self.scopes.names_in(MODULE_SCOPE).filter(|n| !n.contains('.')).collect();
        names.sort_unstable();
        names
            .into_iter()
            .filter_map(|name| {
                self.budget.reset();
                let v = self.lookup(name, usize::MAX, MODULE_SCOPE, 0)?;
                Some((name.to_string(), detach(&v)?))
            })
            .collect()
    }

    fn exported_function(&self, name: &str) -> Option<(usize, Vec<String>)> {
        let (fid, params) = self.functions.get(name)?;
        Some((*fid, params.iter().map(|p| (*p).to_string()).collect()))
    }

    fn set_imports(&mut self, imports: HashMap<String, Rc<Exports<Val<'static>>>>) {
        self.imports = imports;
        self.memo.borrow_mut().clear();
    }

    fn run(&mut self, seeds: &Seeds<Val<'static>>, out: &mut Out) -> Vec<Outgoing<Val<'static>>> {
        self.seeds = seeds.clone();
        self.memo.borrow_mut().clear();
        self.conflicts.borrow_mut().clear();
        let mut outgoing = Vec::new();
        for &(n, scope) in &self.calls {
            self.budget.reset();
            self.call(n, scope, out, &mut outgoing);
        }
        for (node, message) in self.conflicts.borrow_mut().drain(..) {
            out.note(node, message);
        }
        outgoing
    }
}

impl<'t, 's> Py<'t, 's> {
    pub(crate) fn new(src: &'s str, tree: &'t Tree) -> Self {
        let mut py = Py {
            src,
            scopes: Scopes::new(),
            budget: Budget::new(),
            calls: Vec::new(),
            functions: HashMap::new(),
            specs: Vec::new(),
            memo: RefCell::new(HashMap::new()),
            seeds: Seeds::new(),
            imports: HashMap::new(),
            conflicts: RefCell::new(Vec::new()),
        };
        // One walk: bindings first, calls afterwards, since a call may use a
        // name bound later in the file (a global read inside a function).
        py.collect(tree);
        py
    }

    fn text(&self, n: Node<'_>) -> &'s str {
        text(n, self.src)
    }

    // -- pass 1 ------------------------------------------------------------

    /// Records bindings and every call with its scope.
    fn collect(&mut self, tree: &'t Tree) {
        let f = &ids().f;
        // (scope, depth of the scope's node).
        let mut stack: Vec<(usize, usize)> = vec![(MODULE_SCOPE, 0)];
        // (scope, name) declared `global` inside a function.
        let mut globals: HashSet<(usize, &'s str)> = HashSet::new();
        // Class bodies (their enclosing scope, depth) whose plain
        // assignments also define `self.<name>`.
        let mut classes: Vec<(usize, usize)> = Vec::new();
        let src = self.src;
        walk(tree, |n, depth| {
            while stack.len() > 1 && stack.last().is_some_and(|(_, d)| *d >= depth) {
                stack.pop();
            }
            while classes.last().is_some_and(|(_, d)| *d >= depth) {
                classes.pop();
            }
            let scope = stack.last().map_or(MODULE_SCOPE, |(s, _)| *s);
            match kind(n) {
                K::FunctionDefinition => {
                    self.scopes.open(n.id(), scope);
                    stack.push((n.id(), depth));
                    self.bind_params(n, scope);
                    true
                }
                K::ClassDefinition => {
                    classes.push((scope, depth));
                    true
                }
                K::GlobalStatement => {
                    let mut c = n.walk();
                    for id in n.named_children(&mut c) {
                        globals.insert((scope, text(id, src)));
                    }
                    false
                }
                K::Assignment => {
                    let in_class = classes.last().map(|(s, _)| *s) == Some(scope);
                    self.bind_assignment(n, scope, &globals, in_class);
                    true
                }
                K::ImportStatement => {
                    self.bind_import(n, scope);
                    false
                }
                K::ImportFromStatement => {
                    self.bind_from_import(n, scope);
                    false
                }
                K::Call => {
                    self.calls.push((n, scope));
                    if let Some(fun) = n.child_by_field_id(f.function)
                        && kind(fun) == K::Identifier
                    {
                        self.scopes.call_site(text(fun, src), n, scope);
                    }
                    true
                }
                // Only f-strings hold code.
                K::String => {
                    let head = src.as_bytes().get(n.start_byte()..n.start_byte().saturating_add(3));
                    head.is_some_and(|h| {
                        h.iter()
                            .take_while(|b| b.is_ascii_alphabetic())
                            .any(|b| *b == b'f' || *b == b'F')
                    })
                }
                K::Comment | K::Identifier | K::Inert | K::Token => false,
                _ => true,
            }
        });
    }

    fn bind_params(&mut self, func: Node<'t>, scope: usize) {
        let f = &ids().f;
        let Some(name) = func.child_by_field_id(f.name) else { return };
        let fname = self.text(name);
        let Some(params) = func.child_by_field_id(f.parameters) else { return };
        let mut names = Vec::new();
        let mut c = params.walk();
        for (index, p) in params.named_children(&mut c).enumerate() {
            let ident = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => p.child_by_field_id(f.name),
                "typed_parameter" => p.named_child(0).filter(|i| kind(*i) == K::Identifier),
                _ => None,
            };
            let pname = ident.map_or("", |i| self.text(i));
            names.push(pname);
            if let Some(i) = ident {
                let b = Bind::Param { func: fname, fid: func.id(), index, name: pname, node: i };
                self.scopes.bind(func.id(), pname, func.start_byte(), b);
            }
        }
        if scope == MODULE_SCOPE {
            self.functions.insert(fname, (func.id(), names));
        }
    }

    fn bind_assignment(
        &mut self,
        n: Node<'t>,
        scope: usize,
        globals: &HashSet<(usize, &'s str)>,
        in_class: bool,
    ) {
        let f = &ids().f;
        let (Some(left), Some(right)) = (n.child_by_field_id(f.left), n.child_by_field_id(f.right))
        else {
            return;
        };
        let pairs: Vec<(Node<'t>, Node<'t>)> = match (left.kind(), right.kind()) {
            ("pattern_list" | "tuple_pattern", "expression_list" | "tuple")
                if left.named_child_count() == right.named_child_count() =>
            {
                let mut c1 = left.walk();
                let mut c2 = right.walk();
                left.named_children(&mut c1).zip(right.named_children(&mut c2)).collect()
            }
            _ => vec![(left, right)],
        };
        for (l, r) in pairs {
            let at = n.start_byte();
            match kind(l) {
                K::Identifier => {
                    let name = self.text(l);
                    let target =
                        if globals.contains(&(scope, name)) { MODULE_SCOPE } else { scope };
                    if in_class {
                        let b = Bind::Expr(r, scope);
                        self.scopes.bind_owned(MODULE_SCOPE, format!("self.{name}"), at, b.clone());
                        self.scopes.bind_owned(MODULE_SCOPE, format!("cls.{name}"), at, b);
                    }
                    self.scopes.bind(target, name, at, Bind::Expr(r, scope));
                }
                // `self.s3 = boto3.client('s3')`: attributes are keyed by
                // their dotted text, module-wide, since methods of the same
                // class read them.
                K::Attribute if is_dotted(l) => {
                    let key = self.text(l);
                    self.scopes.bind(MODULE_SCOPE, key, at, Bind::Expr(r, scope));
                }
                _ => {}
            }
        }
    }

    fn bind_import(&mut self, n: Node<'t>, scope: usize) {
        let f = &ids().f;
        let mut c = n.walk();
        for child in n.named_children(&mut c) {
            match child.kind() {
                // `import boto3.session` binds `boto3`.
                "dotted_name" => {
                    let full = self.text(child);
                    let top = full.split('.').next().unwrap_or(full);
                    let v = module_value(top).unwrap_or_else(|| Val::Module(Rc::from(top)));
                    self.scopes.bind(scope, top, n.start_byte(), Bind::Val(v));
                    self.spec(full);
                }
                "aliased_import" => {
                    let (Some(name), Some(alias)) =
                        (child.child_by_field_id(f.name), child.child_by_field_id(f.alias))
                    else {
                        continue;
                    };
                    let full = self.text(name);
                    let v = module_value(full).unwrap_or_else(|| Val::Module(Rc::from(full)));
                    self.scopes.bind(scope, self.text(alias), n.start_byte(), Bind::Val(v));
                    self.spec(full);
                }
                _ => {}
            }
        }
    }

    /// Remembers a module named by an import, and its parents (`import
    /// a.b` binds `a`, whose attribute `b` is the module `a.b`).
    fn spec(&mut self, dotted: &str) {
        if matches!(dotted.split('.').next(), Some("boto3" | "botocore" | "os")) {
            return;
        }
        let rest = dotted.trim_start_matches('.');
        let mut acc = dotted[..dotted.len() - rest.len()].to_string();
        for (i, seg) in rest.split('.').enumerate() {
            if i > 0 {
                acc.push('.');
            }
            acc.push_str(seg);
            self.push_spec(&acc);
        }
    }

    fn push_spec(&mut self, s: &str) {
        if self.specs.len() < 256 && !self.specs.iter().any(|x| x == s) {
            self.specs.push(s.to_string());
        }
    }

    fn bind_from_import(&mut self, n: Node<'t>, scope: usize) {
        let f = &ids().f;
        let Some(module) = n.child_by_field_id(f.module_name) else { return };
        let module = self.text(module);
        let path: Rc<str> = Rc::from(module);
        self.spec(module);
        let mut c = n.walk();
        let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut c).collect();
        for name in names {
            let (member, alias) = match name.kind() {
                "aliased_import" => {
                    let (Some(m), Some(a)) =
                        (name.child_by_field_id(f.name), name.child_by_field_id(f.alias))
                    else {
                        continue;
                    };
                    (self.text(m), self.text(a))
                }
                _ => (self.text(name), self.text(name)),
            };
            let v = match (module, member) {
                ("boto3", "client") => Val::ClientFactory(Rc::from(member)),
                ("boto3", "resource") => Val::ResourceFactory(Rc::from(member)),
                ("boto3", "Session") | ("boto3.session", "Session") => Val::SessionFactory,
                ("boto3", "session") => Val::Boto3SessionModule,
                ("botocore", "session") => Val::BotocoreSessionModule,
                ("botocore.session", "get_session" | "Session") => Val::SessionFactory,
                ("os", "environ") => Val::Environ,
                ("os", "getenv") => Val::Getenv,
                _ => {
                    // `from pkg import mod`: `mod` may be a submodule.
                    let sub = member_path(module, member);
                    self.spec(&sub);
                    Val::Foreign(path.clone(), Rc::from(member))
                }
            };
            self.scopes.bind(scope, alias, n.start_byte(), Bind::Val(v));
        }
    }

    // -- evaluation ----------------------------------------------------------

    fn eval(&self, n: Node<'t>, scope: usize, depth: u32) -> Val<'t> {
        if !self.budget.step(depth) {
            return Val::Unknown;
        }
        let f = &ids().f;
        let d = depth + 1;
        match kind(n) {
            K::Identifier => self.eval_name(self.text(n), n.start_byte(), scope, d),
            K::Attribute => {
                if is_dotted(n)
                    && let Some(v) = self.lookup(self.text(n), n.start_byte(), scope, d)
                {
                    return v;
                }
                let (Some(obj), Some(attr)) =
                    (n.child_by_field_id(f.object), n.child_by_field_id(f.attribute))
                else {
                    return Val::Unknown;
                };
                let obj = self.eval(obj, scope, d);
                self.attribute(obj, self.text(attr), n)
            }
            K::Call => self.eval_call(n, scope, d),
            K::String => Val::Str(self.string(n, scope, d)),
            K::ConcatenatedString => {
                let mut parts = Vec::new();
                let mut c = n.walk();
                for s in n.named_children(&mut c) {
                    parts.extend(parts_of(self.string(s, scope, d)));
                }
                Val::Str(template(parts))
            }
            K::BinaryOperator => {
                let op = n.child_by_field_id(f.operator).map(|o| self.text(o));
                let (Some(l), Some(r)) =
                    (n.child_by_field_id(f.left), n.child_by_field_id(f.right))
                else {
                    return Val::Unknown;
                };
                if op != Some("+") {
                    return Val::Unknown;
                }
                let (a, b) = (self.eval(l, scope, d).into_str(), self.eval(r, scope, d).into_str());
                concat(a, b, (l, r), self.src).map_or(Val::Unknown, Val::Str)
            }
            K::Subscript => {
                let (Some(v), Some(key)) =
                    (n.child_by_field_id(f.value), n.child_by_field_id(f.subscript))
                else {
                    return Val::Unknown;
                };
                match self.eval(v, scope, d) {
                    Val::Environ => Val::Str(self.env_name(key, scope, d)),
                    _ => Val::Unknown,
                }
            }
            // `os.getenv('X') or 'default'`: the environment decides.
            K::BooleanOperator => match n.child_by_field_id(f.left) {
                Some(l) => match self.eval(l, scope, d) {
                    v @ Val::Str(_) => v,
                    _ => Val::Unknown,
                },
                None => Val::Unknown,
            },
            K::Parenthesized | K::Await => match n.named_child(0) {
                Some(inner) => self.eval(inner, scope, d),
                None => Val::Unknown,
            },
            K::Dictionary => Val::Dict(n),
            _ => Val::Unknown,
        }
    }

    fn eval_name(&self, name: &str, at: usize, scope: usize, d: u32) -> Val<'t> {
        if let Some(v) = self.lookup(name, at, scope, d) {
            return v;
        }
        // Code that forgot an import, or lost it to a syntax error, still
        // means the well-known modules.
        module_value(name).unwrap_or(Val::Unknown)
    }

    fn lookup(&self, name: &str, at: usize, scope: usize, d: u32) -> Option<Val<'t>> {
        let (_, b) = self.scopes.lookup(scope, name, at)?;
        Some(match b {
            Bind::Val(Val::Foreign(path, member)) => self.foreign(path, member),
            Bind::Val(v) => v.clone(),
            Bind::Expr(e, s) => self.remember((e.id(), 0), || self.eval(*e, *s, d)),
            Bind::Param { func, fid, index, name, node } => {
                self.remember((*fid, index + 1), || self.param(func, *fid, *index, name, *node, d))
            }
        })
    }

    /// `f()`'s value, remembered under `key` unless a limit cut it short
    /// (then it depends on where the evaluation started).
    fn remember(&self, key: (usize, usize), f: impl FnOnce() -> Val<'t>) -> Val<'t> {
        if let Some(v) = self.memo.borrow().get(&key) {
            return v.clone();
        }
        let (v, cut) = self.budget.watch(f);
        if !cut {
            self.memo.borrow_mut().insert(key, v.clone());
        }
        v
    }

    /// A name imported from another module: its value there when it is an
    /// SDK value of a module of this function's code.
    fn foreign(&self, path: &Rc<str>, member: &Rc<str>) -> Val<'t> {
        if let Some(v) = self.imports.get(&**path).and_then(|e| e.get(&**member)) {
            return v.clone();
        }
        Val::Foreign(path.clone(), member.clone())
    }

    /// A parameter's value, from the call sites of its function in this
    /// module and the values other modules pass: the value if they agree,
    /// the first one with low confidence if they do not, `Param` if none is
    /// known.
    fn param(
        &self,
        func: &str,
        fid: usize,
        index: usize,
        name: &str,
        node: Node<'t>,
        d: u32,
    ) -> Val<'t> {
        let mut found: Option<Val<'t>> = None;
        let mut seen: Vec<Rc<str>> = Vec::new();
        let mut disagree = false;
        let mut merge = |v: Val<'t>| {
            if matches!(v, Val::Unknown | Val::Param) {
                return;
            }
            if let Some((s, _)) = sdk_of(&v)
                && !seen.contains(&s.via)
            {
                seen.push(s.via.clone());
            }
            match &found {
                None => found = Some(v),
                Some(prev) => disagree |= !same_sdk(prev, &v),
            }
        };
        for &(call, scope) in self.scopes.call_sites(func) {
            let Some(arg) = argument(call, index, name, self.src) else { continue };
            merge(self.eval(arg, scope, d));
        }
        if let Some(passed) = self.seeds.get(&(fid, index)) {
            for p in passed {
                merge(p.value.clone());
            }
        }
        match found {
            Some(v) if disagree => {
                if is_sdk(&v) {
                    let list = seen.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                    let message = format!(
                        "`{name}` (parameter of `{func}`) is passed different clients by its callers ({list}): its SDK calls are reported for the first, with low confidence"
                    );
                    let mut conflicts = self.conflicts.borrow_mut();
                    if !conflicts.iter().any(|(n, _)| n.id() == node.id()) {
                        conflicts.push((node, message));
                    }
                }
                lower(v)
            }
            Some(v) => v,
            None => Val::Param,
        }
    }

    fn attribute(&self, obj: Val<'t>, attr: &str, n: Node<'t>) -> Val<'t> {
        match (obj, attr) {
            (Val::Boto3, "client") => Val::ClientFactory(Rc::from(self.text(n))),
            (Val::Boto3, "resource") => Val::ResourceFactory(Rc::from(self.text(n))),
            (Val::Boto3, "Session") | (Val::Boto3SessionModule, "Session") => Val::SessionFactory,
            (Val::Boto3, "session") => Val::Boto3SessionModule,
            (Val::Botocore, "session") => Val::BotocoreSessionModule,
            (Val::BotocoreSessionModule, "get_session" | "Session") => Val::SessionFactory,
            (Val::Session, "client" | "create_client") => {
                Val::ClientFactory(Rc::from(self.text(n)))
            }
            (Val::Session, "resource") => Val::ResourceFactory(Rc::from(self.text(n))),
            (Val::Os, "environ") => Val::Environ,
            (Val::Os, "getenv") | (Val::Environ, "get") => Val::Getenv,
            (Val::Resource(sdk), "meta") => Val::ResourceMeta(sdk),
            (Val::ResourceMeta(sdk), "client") => Val::Client(sdk),
            (Val::Object(o), "meta") => Val::ResourceMeta(o.sdk),
            (Val::Object(o), "objects") if o.kind == "Bucket" => {
                Val::Object(Obj { kind: "BucketObjects", ..o })
            }
            (Val::Object(o), "object_versions") if o.kind == "Bucket" => {
                Val::Object(Obj { kind: "BucketObjectVersions", ..o })
            }
            (Val::Module(path), _) => self.foreign(&path, &Rc::from(attr)),
            (Val::Foreign(path, member), _) => {
                self.foreign(&Rc::from(member_path(&path, &member)), &Rc::from(attr))
            }
            _ => Val::Unknown,
        }
    }

    fn eval_call(&self, n: Node<'t>, scope: usize, d: u32) -> Val<'t> {
        let f = &ids().f;
        let Some(fun) = n.child_by_field_id(f.function) else { return Val::Unknown };
        // Method calls that produce SDK objects.
        if kind(fun) == K::Attribute
            && let (Some(obj), Some(m)) =
                (fun.child_by_field_id(f.object), fun.child_by_field_id(f.attribute))
        {
            let method = self.text(m);
            let recv = self.eval(obj, scope, d);
            match (&recv, method) {
                (Val::Client(sdk), "get_paginator" | "get_waiter") => {
                    let Some(arg) = argument(n, 0, "", self.src) else { return Val::Unknown };
                    return match self.eval(arg, scope, d) {
                        Val::Str(ArgValue::Literal(name)) if method == "get_paginator" => {
                            Val::Paginator(sdk.clone(), Rc::from(name))
                        }
                        Val::Str(ArgValue::Literal(name)) => {
                            Val::Waiter(sdk.clone(), Rc::from(name))
                        }
                        _ => Val::Unknown,
                    };
                }
                (Val::Resource(sdk), _) => {
                    if let Some(o) = self.resource_object(sdk, method, n, scope, d) {
                        return Val::Object(o);
                    }
                }
                (Val::Object(o), "Object") if o.kind == "Bucket" => {
                    let mut ident = o.ident.clone();
                    ident.push(("Key".into(), self.arg(n, 0, "key", scope, d)));
                    return Val::Object(Obj { sdk: o.sdk.clone(), kind: "Object", ident });
                }
                (Val::Object(o), "all" | "filter" | "limit" | "page_size")
                    if o.kind.starts_with("BucketObject") =>
                {
                    let mut o = o.clone();
                    o.ident.extend(self.kwargs(n, scope, d));
                    return Val::Object(o);
                }
                _ => {}
            }
            let callee = self.attribute(recv, method, fun);
            return self.apply(callee, n, scope, d);
        }
        let callee = self.eval(fun, scope, d);
        self.apply(callee, n, scope, d)
    }

    fn apply(&self, callee: Val<'t>, n: Node<'t>, scope: usize, d: u32) -> Val<'t> {
        match callee {
            Val::SessionFactory => Val::Session,
            Val::ClientFactory(ref via) | Val::ResourceFactory(ref via) => {
                let is_client = matches!(callee, Val::ClientFactory(_));
                let service = match argument(n, 0, "service_name", self.src)
                    .map(|a| self.eval(a, scope, d))
                {
                    Some(Val::Str(ArgValue::Literal(s))) => Some(Rc::from(s)),
                    _ => None,
                };
                let via = match &service {
                    Some(s) => format!("{via}('{s}')"),
                    None => snippet(n, self.src),
                };
                let sdk = Sdk { service, via: Rc::from(via), confidence: Confidence::High };
                if is_client { Val::Client(sdk) } else { Val::Resource(sdk) }
            }
            Val::Getenv => match argument(n, 0, "key", self.src) {
                Some(a) => Val::Str(self.env_name(a, scope, d)),
                None => Val::Unknown,
            },
            // `dict(...)` is read where it is splatted (`dict_items`).
            _ => Val::Unknown,
        }
    }

    /// `Table(name)`, `Bucket(name)`, `Object(bucket, key)`, ... on a
    /// service resource.
    fn resource_object(
        &self,
        sdk: &Sdk,
        method: &str,
        n: Node<'t>,
        scope: usize,
        d: u32,
    ) -> Option<Obj> {
        let service = sdk.service.as_deref()?;
        let names: &[&str] = match (service, method) {
            ("dynamodb", "Table") => &["TableName"],
            ("s3", "Bucket") => &["Bucket"],
            ("s3", "Object" | "ObjectSummary") => &["Bucket", "Key"],
            ("sqs", "Queue") => &["QueueUrl"],
            ("sns", "Topic") => &["TopicArn"],
            ("sqs", "get_queue_by_name" | "create_queue") => {
                return Some(Obj {
                    sdk: sdk.clone(),
                    kind: "Queue",
                    ident: self.kwargs(n, scope, d),
                });
            }
            ("sns", "create_topic") => {
                let ident = self.kwargs(n, scope, d);
                return Some(Obj { sdk: sdk.clone(), kind: "Topic", ident });
            }
            _ => return None,
        };
        let kind = if method == "ObjectSummary" { "Object" } else { object_kind(method) };
        let ident = names
            .iter()
            .enumerate()
            .map(|(i, p)| ((*p).to_string(), self.arg(n, i, &snake(p), scope, d)))
            .collect();
        Some(Obj { sdk: sdk.clone(), kind, ident })
    }

    fn string(&self, n: Node<'t>, scope: usize, d: u32) -> ArgValue {
        let mut parts = Vec::new();
        let raw = n.child(0).is_some_and(|s| {
            s.kind() == "string_start" && self.text(s).to_ascii_lowercase().contains('r')
        });
        let mut c = n.walk();
        for child in n.children(&mut c) {
            match child.kind() {
                "string_content" => {
                    let t = self.text(child);
                    parts.push(Part::Literal(if raw { t.to_string() } else { unescape(t) }));
                }
                "interpolation" => {
                    let v =
                        child.child_by_field_id(ids().f.expression).map(|e| self.eval(e, scope, d));
                    match v {
                        Some(Val::Str(a)) => parts.extend(parts_of(a)),
                        _ => parts.push(Part::Unknown(snippet(child, self.src))),
                    }
                }
                _ => {}
            }
        }
        template(parts)
    }

    /// The name inside `os.environ[...]` / `os.getenv(...)`.
    fn env_name(&self, key: Node<'t>, scope: usize, d: u32) -> ArgValue {
        match self.eval(key, scope, d) {
            Val::Str(ArgValue::Literal(name)) => ArgValue::Env(name),
            _ => ArgValue::Unknown(format!("environment variable {}", snippet(key, self.src))),
        }
    }

    fn value(&self, n: Node<'t>, scope: usize, d: u32) -> ArgValue {
        match self.eval(n, scope, d) {
            Val::Str(a) => a,
            _ => ArgValue::Unknown(snippet(n, self.src)),
        }
    }

    /// Positional argument `index` or keyword `name`, evaluated.
    fn arg(&self, call: Node<'t>, index: usize, name: &str, scope: usize, d: u32) -> ArgValue {
        match argument(call, index, name, self.src) {
            Some(a) => self.value(a, scope, d),
            None => ArgValue::Unknown(format!("missing argument {name}")),
        }
    }

    /// Keyword arguments, with `**params` expanded when `params` is a
    /// dictionary literal or `dict(...)` call in this module.
    fn kwargs(&self, call: Node<'t>, scope: usize, d: u32) -> Vec<(String, ArgValue)> {
        let mut out = Vec::new();
        let Some(args) = call.child_by_field_id(ids().f.arguments) else { return out };
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            match kind(a) {
                K::KeywordArgument => {
                    if let (Some(k), Some(v)) =
                        (a.child_by_field_id(ids().f.name), a.child_by_field_id(ids().f.value))
                    {
                        out.push((self.text(k).to_string(), self.value(v, scope, d)));
                    }
                }
                K::Splat if a.kind() == "dictionary_splat" => {
                    if let Some(inner) = a.named_child(0) {
                        out.extend(self.dict_items(inner, scope, d));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn dict_items(&self, n: Node<'t>, scope: usize, d: u32) -> Vec<(String, ArgValue)> {
        let mut out = Vec::new();
        let node = match self.eval(n, scope, d) {
            Val::Dict(node) => node,
            _ => {
                // `dict(Bucket=...)` through a name: find the call itself.
                let target = match n.kind() {
                    "identifier" => self.scopes.lookup(scope, self.text(n), n.start_byte()),
                    _ => None,
                };
                match target {
                    Some((_, Bind::Expr(e, s))) if is_dict_call(*e, self.src) => {
                        return self.kwargs(*e, *s, d);
                    }
                    _ if is_dict_call(n, self.src) => return self.kwargs(n, scope, d),
                    _ => return out,
                }
            }
        };
        let mut c = node.walk();
        for p in node.named_children(&mut c) {
            if p.kind() != "pair" {
                continue;
            }
            let (Some(k), Some(v)) =
                (p.child_by_field_id(ids().f.key), p.child_by_field_id(ids().f.value))
            else {
                continue;
            };
            if let Val::Str(ArgValue::Literal(key)) = self.eval(k, scope, d) {
                out.push((key, self.value(v, scope, d)));
            }
        }
        out
    }

    // -- pass 2: reporting -----------------------------------------------------

    fn call(
        &self,
        n: Node<'t>,
        scope: usize,
        out: &mut Out,
        outgoing: &mut Vec<Outgoing<Val<'static>>>,
    ) {
        let Some(f) = n.child_by_field_id(ids().f.function) else { return };
        match kind(f) {
            K::Attribute => {
                let (Some(obj), Some(m)) =
                    (f.child_by_field_id(ids().f.object), f.child_by_field_id(ids().f.attribute))
                else {
                    return;
                };
                let recv = self.eval(obj, scope, 0);
                if let Val::Module(_) | Val::Foreign(..) = recv {
                    let callee = self.attribute(recv.clone(), self.text(m), f);
                    self.outgoing(n, &callee, scope, out, outgoing);
                }
                self.method(n, obj, recv, self.text(m), scope, out);
            }
            K::Identifier
                if self.text(f) != "getattr"
                    && self.scopes.lookup(scope, self.text(f), f.start_byte()).is_some() =>
            {
                let callee = self.eval(f, scope, 0);
                self.outgoing(n, &callee, scope, out, outgoing);
            }
            K::Identifier if self.text(f) != "getattr" => {}
            K::Identifier => {
                let (Some(obj), Some(name)) =
                    (argument(n, 0, "", self.src), argument(n, 1, "", self.src))
                else {
                    return;
                };
                let recv = self.eval(obj, scope, 0);
                if is_sdk(&recv)
                    && !matches!(self.eval(name, scope, 0), Val::Str(ArgValue::Literal(_)))
                {
                    out.note(
                        n,
                        format!(
                            "computed SDK method name `{}`: the operation cannot be known statically",
                            snippet(n, self.src)
                        ),
                    );
                }
            }
            // `getattr(s3, 'get_object')(Bucket=...)`: a constant name is a
            // plain call in disguise.
            K::Call => {
                let Some(g) = f.child_by_field_id(ids().f.function) else { return };
                if self.text(g) != "getattr" {
                    return;
                }
                let (Some(obj), Some(name)) =
                    (argument(f, 0, "", self.src), argument(f, 1, "", self.src))
                else {
                    return;
                };
                if let Val::Str(ArgValue::Literal(method)) = self.eval(name, scope, 0) {
                    let recv = self.eval(obj, scope, 0);
                    if is_sdk(&recv) {
                        self.method(n, obj, recv, &method, scope, out);
                    }
                }
            }
            _ => {}
        }
    }

    fn method(
        &self,
        n: Node<'t>,
        obj: Node<'t>,
        recv: Val<'t>,
        method: &str,
        scope: usize,
        out: &mut Out,
    ) {
        match recv {
            Val::Client(sdk) => match sdk.service.clone() {
                Some(service) => self.client_method(n, &sdk, &service, method, scope, out),
                None if is_operation_name(method) => out.note(
                    n,
                    format!(
                        "`{}`: the client's service is not a constant, so `{method}` cannot be mapped",
                        sdk.via
                    ),
                ),
                None => {}
            },
            Val::Resource(sdk) => {
                let Some(service) = sdk.service.clone() else { return };
                // Sub-resource constructors make no request.
                if method.starts_with(|c: char| c.is_ascii_uppercase())
                    || !is_operation_name(method)
                    || (&*service == "sqs" && method == "get_queue_by_name")
                {
                    if method == "get_queue_by_name" {
                        let args = self.kwargs(n, scope, 0);
                        let via = format!("{}.{method}", sdk.via);
                        out.call(n, &service, "GetQueueUrl", args, sdk.confidence, via);
                    }
                    return;
                }
                let args = self.kwargs(n, scope, 0);
                let via = format!("{}.{method}", sdk.via);
                out.call(n, &service, &snake_to_pascal(method), args, sdk.confidence, via);
            }
            Val::Object(o) => self.object_method(n, &o, method, scope, out),
            Val::Paginator(sdk, name) if method == "paginate" => {
                let Some(service) = sdk.service.as_deref() else { return };
                let args = self.kwargs(n, scope, 0);
                let via = format!("{}.get_paginator('{name}').paginate", sdk.via);
                out.call(n, service, &snake_to_pascal(&name), args, sdk.confidence, via);
            }
            Val::Waiter(sdk, name) if method == "wait" => {
                let Some(service) = sdk.service.as_deref() else { return };
                let via = format!("{}.get_waiter('{name}').wait", sdk.via);
                match waiter_operation(service, &name) {
                    Some(op) => {
                        let args = self.kwargs(n, scope, 0);
                        out.call(n, service, op, args, sdk.confidence, via);
                    }
                    None => out.note(
                        n,
                        format!("`{via}`: unknown waiter, the operation it polls is not known"),
                    ),
                }
            }
            // A client from outside: a parameter nobody in this module
            // passes, or a name imported from another module.
            Val::Param | Val::Foreign(..) if is_operation_name(method) => {
                if !self.looks_like_request(n) {
                    return;
                }
                let name = self.text(obj);
                match service_from_name(name) {
                    Some(service) => {
                        let op = match (service, name.to_ascii_lowercase().contains("table")) {
                            ("dynamodb", true) => match table_operation(method) {
                                Some([op, ..]) => (*op).to_string(),
                                _ => snake_to_pascal(method),
                            },
                            _ => snake_to_pascal(method),
                        };
                        let args = self.kwargs(n, scope, 0);
                        let via = format!("{name}.{method} (client of unknown origin)");
                        out.call(n, service, &op, args, Confidence::Low, via);
                    }
                    None => out.note(
                        n,
                        format!(
                            "`{name}.{method}(...)` looks like an SDK call on a client of unknown origin"
                        ),
                    ),
                }
            }
            _ => {}
        }
    }

    /// A call of a function imported from another module: the SDK values
    /// it passes, for that module's parameters.
    fn outgoing(
        &self,
        n: Node<'t>,
        callee: &Val<'t>,
        scope: usize,
        out: &Out,
        outgoing: &mut Vec<Outgoing<Val<'static>>>,
    ) {
        let Val::Foreign(path, member) = callee else { return };
        let Some(args) = n.child_by_field_id(ids().f.arguments) else { return };
        let mut passed = Vec::new();
        let mut position = 0;
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            let (key, value) = match kind(a) {
                K::KeywordArgument => {
                    let (Some(k), Some(v)) =
                        (a.child_by_field_id(ids().f.name), a.child_by_field_id(ids().f.value))
                    else {
                        continue;
                    };
                    (ArgKey::Keyword(self.text(k).to_string()), v)
                }
                K::Splat | K::Comment => {
                    // After `*args` positions are unknown.
                    if a.kind() == "list_splat" {
                        break;
                    }
                    continue;
                }
                _ => {
                    position += 1;
                    (ArgKey::Position(position - 1), a)
                }
            };
            self.budget.reset();
            if let Some(v) = detach(&self.eval(value, scope, 0)) {
                passed.push((key, v));
            }
        }
        if !passed.is_empty() {
            outgoing.push(Outgoing {
                spec: path.to_string(),
                member: member.to_string(),
                args: passed,
                at: out.span(n),
            });
        }
    }

    /// A call that passes request parameters: `Bucket=...` style keywords.
    fn looks_like_request(&self, n: Node<'t>) -> bool {
        let Some(args) = n.child_by_field_id(ids().f.arguments) else { return false };
        let mut c = args.walk();
        args.named_children(&mut c).any(|a| {
            kind(a) == K::KeywordArgument
                && a.child_by_field_id(ids().f.name)
                    .is_some_and(|k| self.text(k).starts_with(|c: char| c.is_ascii_uppercase()))
        })
    }

    fn client_method(
        &self,
        n: Node<'t>,
        sdk: &Sdk,
        service: &str,
        method: &str,
        scope: usize,
        out: &mut Out,
    ) {
        let via = format!("{}.{method}", sdk.via);
        let conf = sdk.confidence;
        let positional = |names: &[&str]| -> Vec<(String, ArgValue)> {
            let mut args: Vec<(String, ArgValue)> = names
                .iter()
                .enumerate()
                .filter(|(_, p)| **p != "Filename" && **p != "Fileobj")
                .filter_map(|(i, p)| {
                    argument(n, i, p, self.src).map(|a| ((*p).to_string(), self.value(a, scope, 0)))
                })
                .collect();
            args.extend(
                self.kwargs(n, scope, 0).into_iter().filter(|(k, _)| !names.contains(&k.as_str())),
            );
            args
        };
        match (service, method) {
            ("s3", "upload_file" | "upload_fileobj") => {
                let args = positional(&["Filename", "Bucket", "Key"]);
                for op in S3_UPLOAD_OPERATIONS {
                    out.call(n, service, op, args.clone(), conf, via.clone());
                }
            }
            ("s3", "download_file" | "download_fileobj") => {
                let args = positional(&["Bucket", "Key", "Filename"]);
                for op in ["HeadObject", "GetObject"] {
                    out.call(n, service, op, args.clone(), conf, via.clone());
                }
            }
            ("s3", "copy") => {
                let args = positional(&["CopySource", "Bucket", "Key"]);
                for op in S3_COPY_OPERATIONS {
                    out.call(n, service, op, args.clone(), conf, via.clone());
                }
            }
            (_, "generate_presigned_url") => {
                let op = match argument(n, 0, "ClientMethod", self.src)
                    .map(|a| self.eval(a, scope, 0))
                {
                    Some(Val::Str(ArgValue::Literal(m))) => snake_to_pascal(&m),
                    _ => {
                        out.note(n, format!("`{via}`: the presigned operation is not a constant"));
                        return;
                    }
                };
                let args = match argument(n, 1, "Params", self.src) {
                    Some(p) => self.dict_items(p, scope, 0),
                    None => Vec::new(),
                };
                out.call(n, service, &op, args, conf, via);
            }
            ("s3", "generate_presigned_post") => {
                let args = positional(&["Bucket", "Key"]);
                out.call(n, service, "PutObject", args, conf, via);
            }
            (_, "get_paginator" | "get_waiter" | "can_paginate" | "close") => {}
            _ if is_operation_name(method) => {
                let args = self.kwargs(n, scope, 0);
                out.call(n, service, &snake_to_pascal(method), args, conf, via);
            }
            _ => {}
        }
    }

    fn object_method(&self, n: Node<'t>, o: &Obj, method: &str, scope: usize, out: &mut Out) {
        let Some(service) = o.sdk.service.as_deref() else { return };
        let via = format!("{}.{}(...).{method}", o.sdk.via, o.kind);
        let conf = o.sdk.confidence;
        let ops: &[&str] = match (o.kind, method) {
            ("Table", m) if table_operation(m).is_some() => table_operation(m).unwrap_or(&[]),
            ("Bucket", "put_object") => &["PutObject"],
            ("Bucket", "upload_file" | "upload_fileobj") => S3_UPLOAD_OPERATIONS,
            ("Bucket", "download_file" | "download_fileobj") => &["HeadObject", "GetObject"],
            ("Bucket", "copy") => S3_COPY_OPERATIONS,
            ("Bucket", "delete") => &["DeleteBucket"],
            ("Bucket", "create") => &["CreateBucket"],
            ("Bucket", "delete_objects") => &["DeleteObjects"],
            ("Bucket", "load") => &["ListBuckets"],
            ("Bucket", "wait_until_exists" | "wait_until_not_exists") => &["HeadBucket"],
            ("Object", "get") => &["GetObject"],
            ("Object", "put") => &["PutObject"],
            ("Object", "delete") => &["DeleteObject"],
            ("Object", "load" | "reload" | "wait_until_exists" | "wait_until_not_exists") => {
                &["HeadObject"]
            }
            ("Object", "copy_from") => &["CopyObject"],
            ("Object", "upload_file" | "upload_fileobj") => S3_UPLOAD_OPERATIONS,
            ("Object", "download_file" | "download_fileobj") => &["HeadObject", "GetObject"],
            ("Object", "copy") => S3_COPY_OPERATIONS,
            ("Object", "restore_object") => &["RestoreObject"],
            ("Object", "initiate_multipart_upload") => &["CreateMultipartUpload"],
            ("BucketObjects", "all" | "filter" | "limit" | "page_size") => {
                if self.chained(n) {
                    return;
                }
                &["ListObjects"]
            }
            ("BucketObjects", "delete") => &["ListObjects", "DeleteObjects"],
            ("BucketObjectVersions", "all" | "filter" | "limit" | "page_size") => {
                if self.chained(n) {
                    return;
                }
                &["ListObjectVersions"]
            }
            ("BucketObjectVersions", "delete") => &["ListObjectVersions", "DeleteObjects"],
            ("Queue", "send_message") => &["SendMessage"],
            ("Queue", "send_messages") => &["SendMessageBatch"],
            ("Queue", "receive_messages") => &["ReceiveMessage"],
            ("Queue", "delete_messages") => &["DeleteMessageBatch"],
            ("Queue", "change_message_visibility_batch") => &["ChangeMessageVisibilityBatch"],
            ("Queue", "purge") => &["PurgeQueue"],
            ("Queue", "delete") => &["DeleteQueue"],
            ("Queue", "load" | "reload") => &["GetQueueAttributes"],
            ("Queue", "set_attributes") => &["SetQueueAttributes"],
            ("Topic", "publish") => &["Publish"],
            ("Topic", "subscribe") => &["Subscribe"],
            ("Topic", "delete") => &["DeleteTopic"],
            ("Topic", "load" | "reload") => &["GetTopicAttributes"],
            ("Topic", "set_attributes") => &["SetTopicAttributes"],
            _ => {
                if is_operation_name(method) && !matches!(method, "all" | "filter" | "limit") {
                    out.note(
                        n,
                        format!(
                            "`{via}`: resource action not known to faasguard, no operation inferred"
                        ),
                    );
                }
                return;
            }
        };
        // Parameters named by the object come first, as boto3 fills them.
        let mut args: Vec<(String, ArgValue)> = o.ident.clone();
        let positional: &[&str] = match (o.kind, method) {
            ("Bucket", "upload_file" | "upload_fileobj") => &["Filename", "Key"],
            ("Bucket", "download_file" | "download_fileobj") => &["Key", "Filename"],
            ("Bucket" | "Object", "copy") => &["CopySource", "Key"],
            _ => &[],
        };
        for (i, p) in positional.iter().enumerate() {
            if matches!(*p, "Filename") || (o.kind == "Object" && *p == "Key") {
                continue;
            }
            if let Some(a) = argument(n, i, p, self.src) {
                args.push(((*p).to_string(), self.value(a, scope, 0)));
            }
        }
        for (k, v) in self.kwargs(n, scope, 0) {
            if !positional.contains(&k.as_str()) {
                args.push((k, v));
            }
        }
        for op in ops {
            out.call(n, service, op, args.clone(), conf, via.clone());
        }
    }

    /// `bucket.objects.filter(...).limit(10)`: only the last call of the
    /// chain is reported. Parent lookups are linear in the depth, so only
    /// collection calls (rare) pay for them.
    fn chained(&self, n: Node<'t>) -> bool {
        n.parent().is_some_and(|p| {
            p.kind() == "attribute"
                && p.child_by_field_id(ids().f.attribute).is_some_and(|a| {
                    matches!(self.text(a), "all" | "filter" | "limit" | "page_size" | "delete")
                })
        })
    }
}

/// boto3's managed copy: a HEAD of the source, then CopyObject or a
/// multipart copy.
const S3_COPY_OPERATIONS: &[&str] = &[
    "HeadObject",
    "CopyObject",
    "CreateMultipartUpload",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
];

fn table_operation(method: &str) -> Option<&'static [&'static str]> {
    Some(match method {
        "put_item" => &["PutItem"],
        "get_item" => &["GetItem"],
        "update_item" => &["UpdateItem"],
        "delete_item" => &["DeleteItem"],
        "query" => &["Query"],
        "scan" => &["Scan"],
        "batch_writer" => &["BatchWriteItem"],
        "load" | "reload" | "wait_until_exists" | "wait_until_not_exists" => &["DescribeTable"],
        "delete" => &["DeleteTable"],
        "update" => &["UpdateTable"],
        _ => return None,
    })
}

fn object_kind(method: &str) -> &'static str {
    match method {
        "Table" => "Table",
        "Bucket" => "Bucket",
        "Object" => "Object",
        "Queue" => "Queue",
        "Topic" => "Topic",
        _ => "Resource",
    }
}

/// `TableName` -> `table_name`: boto3's keyword for a resource identifier.
fn snake(p: &str) -> String {
    let mut out = String::new();
    for (i, c) in p.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn module_value<'t>(dotted: &str) -> Option<Val<'t>> {
    Some(match dotted {
        "boto3" => Val::Boto3,
        "boto3.session" => Val::Boto3SessionModule,
        "botocore" => Val::Botocore,
        "botocore.session" => Val::BotocoreSessionModule,
        "os" => Val::Os,
        _ => return None,
    })
}

/// `pkg` + `mod` -> `pkg.mod`; `.` + `mod` -> `.mod`.
fn member_path(path: &str, member: &str) -> String {
    if path.ends_with('.') { format!("{path}{member}") } else { format!("{path}.{member}") }
}

/// The value as it can cross into another module: SDK values only (a
/// string or a dictionary is the caller's business).
fn detach(v: &Val<'_>) -> Option<Val<'static>> {
    Some(match v {
        Val::Client(s) => Val::Client(s.clone()),
        Val::Resource(s) => Val::Resource(s.clone()),
        Val::ResourceMeta(s) => Val::ResourceMeta(s.clone()),
        Val::Object(o) => Val::Object(o.clone()),
        Val::Paginator(s, n) => Val::Paginator(s.clone(), n.clone()),
        Val::Waiter(s, n) => Val::Waiter(s.clone(), n.clone()),
        Val::Session => Val::Session,
        _ => return None,
    })
}

/// `a.b.c` made of identifiers only.
fn is_dotted(n: Node<'_>) -> bool {
    let mut cur = n;
    for _ in 0..8 {
        match kind(cur) {
            K::Identifier => return true,
            K::Attribute => match cur.child_by_field_id(ids().f.object) {
                Some(o) => cur = o,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

fn is_dict_call(n: Node<'_>, src: &str) -> bool {
    kind(n) == K::Call
        && n.child_by_field_id(ids().f.function).is_some_and(|f| text(f, src) == "dict")
}

/// A snake_case method name that can be an operation: not private, not a
/// dunder, lowercase.
fn is_operation_name(m: &str) -> bool {
    !m.starts_with('_')
        && m.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && m.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_sdk(v: &Val<'_>) -> bool {
    matches!(v, Val::Client(_) | Val::Resource(_) | Val::Object(_))
}

fn sdk_of<'a>(v: &'a Val<'_>) -> Option<(&'a Sdk, &'static str)> {
    match v {
        Val::Client(s) => Some((s, "client")),
        Val::Resource(s) => Some((s, "resource")),
        Val::Object(o) => Some((&o.sdk, o.kind)),
        Val::Paginator(s, _) => Some((s, "paginator")),
        Val::Waiter(s, _) => Some((s, "waiter")),
        _ => None,
    }
}

fn same_sdk(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (sdk_of(a), sdk_of(b)) {
        (Some((x, kx)), Some((y, ky))) => x.service == y.service && kx == ky,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// The same value, marked low confidence: call sites disagree.
fn lower(v: Val<'_>) -> Val<'_> {
    let low = |s: Sdk| Sdk { confidence: Confidence::Low, ..s };
    match v {
        Val::Client(s) => Val::Client(low(s)),
        Val::Resource(s) => Val::Resource(low(s)),
        Val::Object(o) => Val::Object(Obj { sdk: low(o.sdk), ..o }),
        Val::Paginator(s, n) => Val::Paginator(low(s), n),
        Val::Waiter(s, n) => Val::Waiter(low(s), n),
        other => other,
    }
}

/// Argument `index` (positional) or the keyword argument `name` of a call.
fn argument<'t>(call: Node<'t>, index: usize, name: &str, src: &str) -> Option<Node<'t>> {
    let args = call.child_by_field_id(ids().f.arguments)?;
    let mut c = args.walk();
    let mut positional = 0;
    let mut found = None;
    for a in args.named_children(&mut c) {
        match kind(a) {
            K::KeywordArgument => {
                if !name.is_empty()
                    && a.child_by_field_id(ids().f.name).is_some_and(|k| text(k, src) == name)
                {
                    return a.child_by_field_id(ids().f.value);
                }
            }
            K::Splat | K::Comment => {}
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

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(c @ ('\\' | '\'' | '"')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

//! boto3 (and botocore) calls in Python.
//!
//! One walk over the tree records bindings (imports, assignments,
//! parameters, `global` declarations), the call sites of local functions
//! and every call; then the receiver of each call is evaluated and the
//! calls that are SDK operations are reported.

use std::collections::HashSet;

use tree_sitter::{Node, Tree};

use super::{
    ArgValue, Budget, Confidence, MAX_DEPTH, MODULE_SCOPE, Out, Part, S3_UPLOAD_OPERATIONS, Scopes,
    Visit, parts_of, service_from_name, snake_to_pascal, snippet, template, text, waiter_operation,
    walk,
};

/// What an expression is, as far as SDK discovery cares.
#[derive(Clone, Debug)]
enum Val<'t> {
    Boto3,
    Boto3SessionModule,
    Botocore,
    BotocoreSessionModule,
    /// `boto3.Session`, `botocore.session.get_session`: calling it gives a session.
    SessionFactory,
    Session,
    /// `boto3.client`, `session.client`, `session.create_client`; the text
    /// of the callee for `via`.
    ClientFactory(String),
    ResourceFactory(String),
    Client(Sdk),
    Resource(Sdk),
    /// `resource.meta`: its `client` is a client of the same service.
    ResourceMeta(Sdk),
    /// A resource object: `Table(name)`, `Object(bucket, key)`, ...
    Object(Obj),
    Paginator(Sdk, String),
    Waiter(Sdk, String),
    Os,
    Environ,
    /// `os.getenv`, `os.environ.get`.
    Getenv,
    Str(ArgValue),
    Dict(Node<'t>),
    /// A parameter no call site in this module resolves.
    Param,
    /// A name imported from another module.
    Foreign,
    Unknown,
}

/// A client or service resource: service (`None` when not a constant),
/// how it was built, and how sure we are.
#[derive(Clone, Debug)]
struct Sdk {
    service: Option<String>,
    via: String,
    confidence: Confidence,
}

#[derive(Clone, Debug)]
struct Obj {
    sdk: Sdk,
    kind: &'static str,
    /// Identifiers of the object, named as the request parameters they fill.
    ident: Vec<(String, ArgValue)>,
}

#[derive(Clone)]
enum Bind<'t> {
    Expr(Node<'t>, usize),
    Val(Val<'t>),
    /// Parameter `index` of the local function `func`.
    Param {
        func: String,
        index: usize,
        name: String,
    },
}

struct Py<'t, 's> {
    src: &'s str,
    scopes: Scopes<'t, Bind<'t>>,
    budget: Budget,
}

pub(crate) fn discover(src: &str, tree: &Tree, out: &mut Out) {
    let mut py = Py { src, scopes: Scopes::new(), budget: Budget::new() };
    // One walk: bindings first, calls afterwards, since a call may use a
    // name bound later in the file (a global read inside a function).
    let calls = py.collect(tree);
    for (n, scope) in calls {
        py.budget.reset();
        py.call(n, scope, out);
    }
}

impl<'t> Py<'t, '_> {
    fn text(&self, n: Node<'_>) -> &str {
        text(n, self.src)
    }

    // -- pass 1 ------------------------------------------------------------

    /// Records bindings; returns every call with its scope.
    fn collect(&mut self, tree: &'t Tree) -> Vec<(Node<'t>, usize)> {
        let mut calls = Vec::new();
        let mut stack = vec![MODULE_SCOPE];
        // (scope, name) declared `global` inside a function.
        let mut globals: HashSet<(usize, String)> = HashSet::new();
        // Class bodies whose plain assignments also define `self.<name>`.
        let mut classes: Vec<usize> = Vec::new();
        walk(tree, |v| match v {
            Visit::Enter(n) => {
                let scope = *stack.last().unwrap_or(&MODULE_SCOPE);
                match n.kind() {
                    "function_definition" => {
                        self.scopes.open(n.id(), scope);
                        stack.push(n.id());
                        self.bind_params(n);
                    }
                    "class_definition" => classes.push(scope),
                    "global_statement" => {
                        let mut c = n.walk();
                        for id in n.named_children(&mut c) {
                            globals.insert((scope, self.text(id).to_string()));
                        }
                    }
                    "assignment" => {
                        let in_class = classes.last() == Some(&scope);
                        self.bind_assignment(n, scope, &globals, in_class);
                    }
                    "import_statement" => self.bind_import(n, scope),
                    "import_from_statement" => self.bind_from_import(n, scope),
                    "call" => {
                        calls.push((n, scope));
                        if let Some(f) = n.child_by_field_name("function")
                            && f.kind() == "identifier"
                        {
                            let name = self.text(f).to_string();
                            self.scopes.call_site(&name, n, scope);
                        }
                    }
                    _ => {}
                }
            }
            Visit::Leave(n) => match n.kind() {
                "function_definition" => {
                    stack.pop();
                }
                "class_definition" => {
                    classes.pop();
                }
                _ => {}
            },
        });
        calls
    }

    fn bind_params(&mut self, func: Node<'t>) {
        let Some(name) = func.child_by_field_name("name") else { return };
        let fname = self.text(name).to_string();
        let Some(params) = func.child_by_field_name("parameters") else { return };
        let mut c = params.walk();
        for (index, p) in params.named_children(&mut c).enumerate() {
            let ident = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
                "typed_parameter" => p.named_child(0).filter(|i| i.kind() == "identifier"),
                _ => None,
            };
            if let Some(i) = ident {
                let pname = self.text(i).to_string();
                let b = Bind::Param { func: fname.clone(), index, name: pname.clone() };
                self.scopes.bind(func.id(), &pname, func.start_byte(), b);
            }
        }
    }

    fn bind_assignment(
        &mut self,
        n: Node<'t>,
        scope: usize,
        globals: &HashSet<(usize, String)>,
        in_class: bool,
    ) {
        let (Some(left), Some(right)) =
            (n.child_by_field_name("left"), n.child_by_field_name("right"))
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
            match l.kind() {
                "identifier" => {
                    let name = self.text(l).to_string();
                    let target =
                        if globals.contains(&(scope, name.clone())) { MODULE_SCOPE } else { scope };
                    if in_class {
                        let b = Bind::Expr(r, scope);
                        self.scopes.bind(MODULE_SCOPE, &format!("self.{name}"), at, b.clone());
                        self.scopes.bind(MODULE_SCOPE, &format!("cls.{name}"), at, b);
                    }
                    self.scopes.bind(target, &name, at, Bind::Expr(r, scope));
                }
                // `self.s3 = boto3.client('s3')`: attributes are keyed by
                // their dotted text, module-wide, since methods of the same
                // class read them.
                "attribute" if is_dotted(l) => {
                    let key = self.text(l).to_string();
                    self.scopes.bind(MODULE_SCOPE, &key, at, Bind::Expr(r, scope));
                }
                _ => {}
            }
        }
    }

    fn bind_import(&mut self, n: Node<'t>, scope: usize) {
        let mut c = n.walk();
        for child in n.named_children(&mut c) {
            match child.kind() {
                // `import boto3.session` binds `boto3`.
                "dotted_name" => {
                    let full = self.text(child);
                    let top = full.split('.').next().unwrap_or(full).to_string();
                    if let Some(v) = module_value(&top) {
                        self.scopes.bind(scope, &top, n.start_byte(), Bind::Val(v));
                    }
                }
                "aliased_import" => {
                    let (Some(name), Some(alias)) =
                        (child.child_by_field_name("name"), child.child_by_field_name("alias"))
                    else {
                        continue;
                    };
                    let v = module_value(self.text(name)).unwrap_or(Val::Unknown);
                    let alias = self.text(alias).to_string();
                    self.scopes.bind(scope, &alias, n.start_byte(), Bind::Val(v));
                }
                _ => {}
            }
        }
    }

    fn bind_from_import(&mut self, n: Node<'t>, scope: usize) {
        let Some(module) = n.child_by_field_name("module_name") else { return };
        let module = self.text(module).to_string();
        let mut c = n.walk();
        for name in n.children_by_field_name("name", &mut c) {
            let (member, alias) = match name.kind() {
                "aliased_import" => {
                    let (Some(m), Some(a)) =
                        (name.child_by_field_name("name"), name.child_by_field_name("alias"))
                    else {
                        continue;
                    };
                    (self.text(m).to_string(), self.text(a).to_string())
                }
                _ => (self.text(name).to_string(), self.text(name).to_string()),
            };
            let v = match (module.as_str(), member.as_str()) {
                ("boto3", "client") => Val::ClientFactory(member.clone()),
                ("boto3", "resource") => Val::ResourceFactory(member.clone()),
                ("boto3", "Session") | ("boto3.session", "Session") => Val::SessionFactory,
                ("boto3", "session") => Val::Boto3SessionModule,
                ("botocore", "session") => Val::BotocoreSessionModule,
                ("botocore.session", "get_session" | "Session") => Val::SessionFactory,
                ("os", "environ") => Val::Environ,
                ("os", "getenv") => Val::Getenv,
                _ => Val::Foreign,
            };
            self.scopes.bind(scope, &alias, n.start_byte(), Bind::Val(v));
        }
    }

    // -- evaluation ----------------------------------------------------------

    fn eval(&self, n: Node<'t>, scope: usize, depth: u32) -> Val<'t> {
        if depth > MAX_DEPTH || !self.budget.step() {
            return Val::Unknown;
        }
        let d = depth + 1;
        match n.kind() {
            "identifier" => self.eval_name(self.text(n), n.start_byte(), scope, d),
            "attribute" => {
                if is_dotted(n)
                    && let Some(v) = self.lookup(self.text(n), n.start_byte(), scope, d)
                {
                    return v;
                }
                let (Some(obj), Some(attr)) =
                    (n.child_by_field_name("object"), n.child_by_field_name("attribute"))
                else {
                    return Val::Unknown;
                };
                let obj = self.eval(obj, scope, d);
                self.attribute(obj, self.text(attr), n)
            }
            "call" => self.eval_call(n, scope, d),
            "string" => Val::Str(self.string(n, scope, d)),
            "concatenated_string" => {
                let mut parts = Vec::new();
                let mut c = n.walk();
                for s in n.named_children(&mut c) {
                    parts.extend(parts_of(self.string(s, scope, d)));
                }
                Val::Str(template(parts))
            }
            "binary_operator" => {
                let op = n.child_by_field_name("operator").map(|o| self.text(o));
                let (Some(l), Some(r)) =
                    (n.child_by_field_name("left"), n.child_by_field_name("right"))
                else {
                    return Val::Unknown;
                };
                if op != Some("+") {
                    return Val::Unknown;
                }
                match (self.eval(l, scope, d), self.eval(r, scope, d)) {
                    (Val::Str(a), Val::Str(b)) => {
                        let mut parts = parts_of(a);
                        parts.extend(parts_of(b));
                        Val::Str(template(parts))
                    }
                    (Val::Str(a), _) => {
                        let mut parts = parts_of(a);
                        parts.push(Part::Unknown(snippet(r, self.src)));
                        Val::Str(template(parts))
                    }
                    (_, Val::Str(b)) => {
                        let mut parts = vec![Part::Unknown(snippet(l, self.src))];
                        parts.extend(parts_of(b));
                        Val::Str(template(parts))
                    }
                    _ => Val::Unknown,
                }
            }
            "subscript" => {
                let (Some(v), Some(key)) =
                    (n.child_by_field_name("value"), n.child_by_field_name("subscript"))
                else {
                    return Val::Unknown;
                };
                match self.eval(v, scope, d) {
                    Val::Environ => Val::Str(self.env_name(key, scope, d)),
                    _ => Val::Unknown,
                }
            }
            // `os.getenv('X') or 'default'`: the environment decides.
            "boolean_operator" => match n.child_by_field_name("left") {
                Some(l) => match self.eval(l, scope, d) {
                    v @ Val::Str(_) => v,
                    _ => Val::Unknown,
                },
                None => Val::Unknown,
            },
            "parenthesized_expression" | "await" => match n.named_child(0) {
                Some(inner) => self.eval(inner, scope, d),
                None => Val::Unknown,
            },
            "dictionary" => Val::Dict(n),
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
            Bind::Val(v) => v,
            Bind::Expr(e, s) => self.eval(e, s, d),
            Bind::Param { func, index, name } => self.param(&func, index, &name, d),
        })
    }

    /// A parameter's value, from the call sites of its function in this
    /// module: the value if they agree, the first one with low confidence
    /// if they do not, `Param` if none is known.
    fn param(&self, func: &str, index: usize, name: &str, d: u32) -> Val<'t> {
        let mut found: Option<Val<'t>> = None;
        let mut disagree = false;
        for &(call, scope) in self.scopes.call_sites(func) {
            let Some(arg) = argument(call, index, name, self.src) else { continue };
            let v = self.eval(arg, scope, d);
            if matches!(v, Val::Unknown | Val::Param) {
                continue;
            }
            match &found {
                None => found = Some(v),
                Some(prev) => disagree |= !same_sdk(prev, &v),
            }
        }
        match found {
            Some(v) if disagree => lower(v),
            Some(v) => v,
            None => Val::Param,
        }
    }

    fn attribute(&self, obj: Val<'t>, attr: &str, n: Node<'t>) -> Val<'t> {
        match (obj, attr) {
            (Val::Boto3, "client") => Val::ClientFactory(self.text(n).to_string()),
            (Val::Boto3, "resource") => Val::ResourceFactory(self.text(n).to_string()),
            (Val::Boto3, "Session") | (Val::Boto3SessionModule, "Session") => Val::SessionFactory,
            (Val::Boto3, "session") => Val::Boto3SessionModule,
            (Val::Botocore, "session") => Val::BotocoreSessionModule,
            (Val::BotocoreSessionModule, "get_session" | "Session") => Val::SessionFactory,
            (Val::Session, "client" | "create_client") => {
                Val::ClientFactory(self.text(n).to_string())
            }
            (Val::Session, "resource") => Val::ResourceFactory(self.text(n).to_string()),
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
            _ => Val::Unknown,
        }
    }

    fn eval_call(&self, n: Node<'t>, scope: usize, d: u32) -> Val<'t> {
        let Some(f) = n.child_by_field_name("function") else { return Val::Unknown };
        // Method calls that produce SDK objects.
        if f.kind() == "attribute"
            && let (Some(obj), Some(m)) =
                (f.child_by_field_name("object"), f.child_by_field_name("attribute"))
        {
            let method = self.text(m);
            let recv = self.eval(obj, scope, d);
            match (&recv, method) {
                (Val::Client(sdk), "get_paginator" | "get_waiter") => {
                    let Some(arg) = argument(n, 0, "", self.src) else { return Val::Unknown };
                    return match self.eval(arg, scope, d) {
                        Val::Str(ArgValue::Literal(name)) if method == "get_paginator" => {
                            Val::Paginator(sdk.clone(), name)
                        }
                        Val::Str(ArgValue::Literal(name)) => Val::Waiter(sdk.clone(), name),
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
            let callee = self.attribute(recv, method, f);
            return self.apply(callee, n, scope, d);
        }
        let callee = self.eval(f, scope, d);
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
                    Some(Val::Str(ArgValue::Literal(s))) => Some(s),
                    _ => None,
                };
                let via = match &service {
                    Some(s) => format!("{via}('{s}')"),
                    None => snippet(n, self.src),
                };
                let sdk = Sdk { service, via, confidence: Confidence::High };
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
                    let v = child.child_by_field_name("expression").map(|e| self.eval(e, scope, d));
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
        let Some(args) = call.child_by_field_name("arguments") else { return out };
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            match a.kind() {
                "keyword_argument" => {
                    if let (Some(k), Some(v)) =
                        (a.child_by_field_name("name"), a.child_by_field_name("value"))
                    {
                        out.push((self.text(k).to_string(), self.value(v, scope, d)));
                    }
                }
                "dictionary_splat" => {
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
                    Some((_, Bind::Expr(e, s))) if is_dict_call(e, self.src) => {
                        return self.kwargs(e, s, d);
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
            let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value"))
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

    fn call(&self, n: Node<'t>, scope: usize, out: &mut Out) {
        let Some(f) = n.child_by_field_name("function") else { return };
        match f.kind() {
            "attribute" => {
                let (Some(obj), Some(m)) =
                    (f.child_by_field_name("object"), f.child_by_field_name("attribute"))
                else {
                    return;
                };
                let recv = self.eval(obj, scope, 0);
                self.method(n, obj, recv, self.text(m), scope, out);
            }
            "identifier" if self.text(f) == "getattr" => {
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
            "call" => {
                let Some(g) = f.child_by_field_name("function") else { return };
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
                    || (service == "sqs" && method == "get_queue_by_name")
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
            Val::Param | Val::Foreign if is_operation_name(method) => {
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

    /// A call that passes request parameters: `Bucket=...` style keywords.
    fn looks_like_request(&self, n: Node<'t>) -> bool {
        let Some(args) = n.child_by_field_name("arguments") else { return false };
        let mut c = args.walk();
        args.named_children(&mut c).any(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
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
                && p.child_by_field_name("attribute").is_some_and(|a| {
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

/// `a.b.c` made of identifiers only.
fn is_dotted(n: Node<'_>) -> bool {
    let mut cur = n;
    for _ in 0..8 {
        match cur.kind() {
            "identifier" => return true,
            "attribute" => match cur.child_by_field_name("object") {
                Some(o) => cur = o,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

fn is_dict_call(n: Node<'_>, src: &str) -> bool {
    n.kind() == "call" && n.child_by_field_name("function").is_some_and(|f| text(f, src) == "dict")
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
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let mut positional = 0;
    let mut found = None;
    for a in args.named_children(&mut c) {
        match a.kind() {
            "keyword_argument" => {
                if !name.is_empty()
                    && a.child_by_field_name("name").is_some_and(|k| text(k, src) == name)
                {
                    return a.child_by_field_name("value");
                }
            }
            "list_splat" | "dictionary_splat" | "comment" => {}
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

//! AWS SDK calls in JavaScript and TypeScript: aws-sdk v2 and the modular
//! @aws-sdk v3 packages.
//!
//! Same structure as for Python: one walk for bindings and calls, then
//! evaluation. v3 operations are reported where the
//! command is constructed (`new GetObjectCommand(...)`): the command's
//! package names the service whether it is sent here or by a helper.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::{
    ArgValue, Budget, Confidence, MAX_DEPTH, MODULE_SCOPE, Out, Part, S3_UPLOAD_OPERATIONS, Scopes,
    Visit, camel_to_pascal, document_client_operation, parts_of, service_from_name, snippet,
    template, text, waiter_operation, walk,
};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Pkg {
    /// `@aws-sdk/client-<x>`, with the botocore name of `<x>`.
    Client(String),
    LibDynamodb,
    LibStorage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// v2 service object: `s3.getObject(params)`.
    V2,
    /// v2 `DocumentClient` or v3 `DynamoDBDocument`: `doc.put(params)`.
    Document,
    /// v3 bare client: only `send(command)`.
    V3,
    /// v3 aggregated client: `new S3({}).getObject(input)`.
    V3Aggregated,
}

#[derive(Clone, Debug)]
struct Sdk {
    service: String,
    via: String,
    confidence: Confidence,
}

#[derive(Clone, Debug)]
enum Val<'t> {
    /// `require('aws-sdk')`, `import AWS from 'aws-sdk'`.
    AwsSdk,
    /// `AWS.S3`: a v2 service class.
    V2Class(String),
    /// `AWS.DynamoDB.DocumentClient`.
    V2DocumentClass,
    /// A v3 package namespace: `import * as s3 from '@aws-sdk/client-s3'`.
    V3Module(Pkg),
    /// A named export of a v3 package.
    V3Export(Pkg, String),
    Client(Sdk, Style),
    /// What a v2 method returns: an `AWS.Request` (`.promise()`, `.send()`).
    Request,
    Process,
    ProcessEnv,
    Str(ArgValue),
    Object(Node<'t>),
    /// A parameter no call site in this module resolves.
    Param,
    Foreign(String),
    Unknown,
}

#[derive(Clone)]
enum Bind<'t> {
    Expr(Node<'t>, usize),
    /// `const { S3Client } = require(...)`: property `prop` of `obj`.
    Member(Node<'t>, String, usize),
    Val(Val<'t>),
    Param {
        func: String,
        index: usize,
    },
}

struct Js<'t, 's> {
    src: &'s str,
    scopes: Scopes<'t, Bind<'t>>,
    budget: Budget,
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
    )
}

pub(crate) fn discover(src: &str, tree: &Tree, out: &mut Out) {
    let mut js = Js { src, scopes: Scopes::new(), budget: Budget::new() };
    // One walk: bindings first, calls afterwards, since a call may use a
    // name bound later in the file.
    let calls = js.collect(tree);
    for (n, scope) in calls {
        js.budget.reset();
        if n.kind() == "new_expression" {
            js.report_new(n, scope, out);
        } else {
            js.report_call(n, scope, out);
        }
    }
}

impl<'t> Js<'t, '_> {
    fn text(&self, n: Node<'_>) -> &str {
        text(n, self.src)
    }

    // -- pass 1 ------------------------------------------------------------

    /// Records bindings; returns every call and `new` with its scope.
    fn collect(&mut self, tree: &'t Tree) -> Vec<(Node<'t>, usize)> {
        let mut calls = Vec::new();
        let mut stack = vec![MODULE_SCOPE];
        // Function expressions named by the variable they are assigned to.
        let mut fn_names: HashMap<usize, String> = HashMap::new();
        walk(tree, |v| {
            match v {
                Visit::Enter(n) => {
                    let scope = *stack.last().unwrap_or(&MODULE_SCOPE);
                    let kind = n.kind();
                    if is_function(kind) {
                        self.scopes.open(n.id(), scope);
                        stack.push(n.id());
                        let name = n
                            .child_by_field_name("name")
                            .map(|i| self.text(i).to_string())
                            .or_else(|| fn_names.get(&n.id()).cloned());
                        self.bind_params(n, name);
                        return;
                    }
                    match kind {
                        "variable_declarator" => {
                            let (Some(name), Some(value)) =
                                (n.child_by_field_name("name"), n.child_by_field_name("value"))
                            else {
                                return;
                            };
                            if name.kind() == "identifier" && is_function(value.kind()) {
                                fn_names.insert(value.id(), self.text(name).to_string());
                            }
                            self.bind_pattern(name, value, scope, n.start_byte());
                        }
                        "assignment_expression" => {
                            let (Some(l), Some(r)) =
                                (n.child_by_field_name("left"), n.child_by_field_name("right"))
                            else {
                                return;
                            };
                            match l.kind() {
                                "identifier" => {
                                    let name = self.text(l).to_string();
                                    self.scopes.bind(
                                        scope,
                                        &name,
                                        n.start_byte(),
                                        Bind::Expr(r, scope),
                                    );
                                }
                                "member_expression" if is_dotted(l) => {
                                    let key = self.text(l).to_string();
                                    self.scopes.bind(
                                        MODULE_SCOPE,
                                        &key,
                                        n.start_byte(),
                                        Bind::Expr(r, scope),
                                    );
                                }
                                _ => {}
                            }
                        }
                        // Class fields: `s3 = new S3Client({})` is read as `this.s3`.
                        "public_field_definition" | "field_definition" => {
                            let name = n
                                .child_by_field_name("name")
                                .or_else(|| n.child_by_field_name("property"));
                            if let (Some(name), Some(value)) =
                                (name, n.child_by_field_name("value"))
                            {
                                let key = format!("this.{}", self.text(name));
                                self.scopes.bind(
                                    MODULE_SCOPE,
                                    &key,
                                    n.start_byte(),
                                    Bind::Expr(value, scope),
                                );
                            }
                        }
                        "import_statement" => self.bind_import(n, scope),
                        "new_expression" => calls.push((n, scope)),
                        "call_expression" => {
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
                Visit::Leave(n) => {
                    if is_function(n.kind()) {
                        stack.pop();
                    }
                }
            }
        });
        calls
    }

    fn bind_params(&mut self, func: Node<'t>, fname: Option<String>) {
        let fname = fname.unwrap_or_default();
        let bind = |this: &mut Self, ident: Node<'t>, index: usize| {
            let name = this.text(ident).to_string();
            let b = Bind::Param { func: fname.clone(), index };
            this.scopes.bind(func.id(), &name, func.start_byte(), b);
        };
        if let Some(p) = func.child_by_field_name("parameter") {
            if p.kind() == "identifier" {
                bind(self, p, 0);
            }
            return;
        }
        let Some(params) = func.child_by_field_name("parameters") else { return };
        let mut c = params.walk();
        let list: Vec<Node<'t>> =
            params.named_children(&mut c).filter(|p| p.kind() != "comment").collect();
        for (index, p) in list.into_iter().enumerate() {
            let ident = match p.kind() {
                "identifier" => Some(p),
                "assignment_pattern" => p.child_by_field_name("left"),
                "required_parameter" | "optional_parameter" => p.child_by_field_name("pattern"),
                _ => None,
            };
            if let Some(i) = ident.filter(|i| i.kind() == "identifier") {
                bind(self, i, index);
            }
        }
    }

    /// `const x = v`, `const { a, b: c } = v`.
    fn bind_pattern(&mut self, pattern: Node<'t>, value: Node<'t>, scope: usize, at: usize) {
        match pattern.kind() {
            "identifier" => {
                let name = self.text(pattern).to_string();
                self.scopes.bind(scope, &name, at, Bind::Expr(value, scope));
            }
            "object_pattern" => {
                let mut c = pattern.walk();
                for p in pattern.named_children(&mut c) {
                    let (prop, local) = match p.kind() {
                        "shorthand_property_identifier_pattern" => (p, p),
                        "pair_pattern" => {
                            let (Some(k), Some(v)) =
                                (p.child_by_field_name("key"), p.child_by_field_name("value"))
                            else {
                                continue;
                            };
                            let v = if v.kind() == "assignment_pattern" {
                                v.child_by_field_name("left").unwrap_or(v)
                            } else {
                                v
                            };
                            (k, v)
                        }
                        "object_assignment_pattern" => match p.child_by_field_name("left") {
                            Some(l) => (l, l),
                            None => continue,
                        },
                        _ => continue,
                    };
                    if local.kind() != "identifier"
                        && local.kind() != "shorthand_property_identifier_pattern"
                    {
                        continue;
                    }
                    let prop = unquote(self.text(prop)).to_string();
                    let local = self.text(local).to_string();
                    self.scopes.bind(scope, &local, at, Bind::Member(value, prop, scope));
                }
            }
            _ => {}
        }
    }

    fn bind_import(&mut self, n: Node<'t>, scope: usize) {
        let Some(source) = n.child_by_field_name("source") else { return };
        let path = unquote(self.text(source)).to_string();
        let module = module_value(&path);
        let mut c = n.walk();
        let Some(clause) = n.named_children(&mut c).find(|k| k.kind() == "import_clause") else {
            return;
        };
        let at = n.start_byte();
        let mut c = clause.walk();
        for part in clause.named_children(&mut c) {
            match part.kind() {
                "identifier" => {
                    let name = self.text(part).to_string();
                    self.scopes.bind(scope, &name, at, Bind::Val(module.clone()));
                }
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        let name = self.text(id).to_string();
                        self.scopes.bind(scope, &name, at, Bind::Val(module.clone()));
                    }
                }
                "named_imports" => {
                    let mut c2 = part.walk();
                    for spec in part.named_children(&mut c2) {
                        if spec.kind() != "import_specifier" {
                            continue;
                        }
                        let Some(name) = spec.child_by_field_name("name") else { continue };
                        let local = spec.child_by_field_name("alias").unwrap_or(name);
                        let member = unquote(self.text(name)).to_string();
                        let v = self.member(module.clone(), &member);
                        let local = self.text(local).to_string();
                        self.scopes.bind(scope, &local, at, Bind::Val(v));
                    }
                }
                _ => {}
            }
        }
    }

    // -- evaluation ----------------------------------------------------------

    fn eval(&self, n: Node<'t>, scope: usize, depth: u32) -> Val<'t> {
        if depth > MAX_DEPTH || !self.budget.step() {
            return Val::Unknown;
        }
        let d = depth + 1;
        match n.kind() {
            "identifier" | "shorthand_property_identifier" => {
                let name = self.text(n);
                match self.lookup(name, n.start_byte(), scope, d) {
                    Some(v) => v,
                    None if name == "process" => Val::Process,
                    None => Val::Unknown,
                }
            }
            "member_expression" => {
                if is_dotted(n)
                    && let Some(v) = self.lookup(self.text(n), n.start_byte(), scope, d)
                {
                    return v;
                }
                let (Some(obj), Some(prop)) =
                    (n.child_by_field_name("object"), n.child_by_field_name("property"))
                else {
                    return Val::Unknown;
                };
                let obj = self.eval(obj, scope, d);
                self.member(obj, self.text(prop))
            }
            "subscript_expression" => {
                let (Some(obj), Some(index)) =
                    (n.child_by_field_name("object"), n.child_by_field_name("index"))
                else {
                    return Val::Unknown;
                };
                let obj = self.eval(obj, scope, d);
                match (obj, self.eval(index, scope, d)) {
                    (Val::ProcessEnv, Val::Str(ArgValue::Literal(name))) => {
                        Val::Str(ArgValue::Env(name))
                    }
                    (Val::ProcessEnv, _) => Val::Str(ArgValue::Unknown(format!(
                        "environment variable {}",
                        snippet(index, self.src)
                    ))),
                    (o @ (Val::AwsSdk | Val::V3Module(_)), Val::Str(ArgValue::Literal(p))) => {
                        self.member(o, &p)
                    }
                    _ => Val::Unknown,
                }
            }
            "call_expression" => self.eval_call(n, scope, d),
            "new_expression" => self.eval_new(n, scope, d),
            "string" => Val::Str(ArgValue::Literal(string_value(n, self.src))),
            "template_string" => {
                let mut parts = Vec::new();
                let mut c = n.walk();
                for child in n.named_children(&mut c) {
                    match child.kind() {
                        "string_fragment" => {
                            parts.push(Part::Literal(self.text(child).to_string()))
                        }
                        "escape_sequence" => parts.push(Part::Literal(unescape(self.text(child)))),
                        "template_substitution" => {
                            match child.named_child(0).map(|e| self.eval(e, scope, d)) {
                                Some(Val::Str(a)) => parts.extend(parts_of(a)),
                                _ => parts.push(Part::Unknown(snippet(child, self.src))),
                            }
                        }
                        _ => {}
                    }
                }
                Val::Str(template(parts))
            }
            "binary_expression" => {
                let op = n.child_by_field_name("operator").map(|o| self.text(o));
                let (Some(l), Some(r)) =
                    (n.child_by_field_name("left"), n.child_by_field_name("right"))
                else {
                    return Val::Unknown;
                };
                match op {
                    Some("+") => match (self.eval(l, scope, d), self.eval(r, scope, d)) {
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
                    },
                    // `process.env.BUCKET || 'default'`: the environment decides.
                    Some("||" | "??") => match self.eval(l, scope, d) {
                        v @ (Val::Str(_) | Val::Client(..)) => v,
                        _ => self.eval(r, scope, d),
                    },
                    _ => Val::Unknown,
                }
            }
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => {
                let mut c = n.walk();
                let inner = n.named_children(&mut c).find(|c| !c.kind().contains("type"));
                match inner {
                    Some(i) => self.eval(i, scope, d),
                    None => Val::Unknown,
                }
            }
            "object" => Val::Object(n),
            _ => Val::Unknown,
        }
    }

    fn lookup(&self, name: &str, at: usize, scope: usize, d: u32) -> Option<Val<'t>> {
        let (_, b) = self.scopes.lookup(scope, name, at)?;
        Some(match b {
            Bind::Val(v) => v,
            Bind::Expr(e, s) => self.eval(e, s, d),
            Bind::Member(obj, prop, s) => {
                let o = self.eval(obj, s, d);
                self.member(o, &prop)
            }
            Bind::Param { func, index } => self.param(&func, index, d),
        })
    }

    fn param(&self, func: &str, index: usize, d: u32) -> Val<'t> {
        let mut found: Option<Val<'t>> = None;
        let mut disagree = false;
        if !func.is_empty() {
            for &(call, scope) in self.scopes.call_sites(func) {
                let Some(arg) = argument(call, index) else { continue };
                let v = self.eval(arg, scope, d);
                if matches!(v, Val::Unknown | Val::Param) {
                    continue;
                }
                match &found {
                    None => found = Some(v),
                    Some(prev) => disagree |= !same_client(prev, &v),
                }
            }
        }
        match found {
            Some(Val::Client(sdk, style)) if disagree => {
                Val::Client(Sdk { confidence: Confidence::Low, ..sdk }, style)
            }
            Some(v) => v,
            None => Val::Param,
        }
    }

    fn member(&self, obj: Val<'t>, prop: &str) -> Val<'t> {
        match obj {
            Val::AwsSdk if prop.starts_with(|c: char| c.is_ascii_uppercase()) => {
                Val::V2Class(v2_service(prop))
            }
            Val::V2Class(s) if s == "dynamodb" && prop == "DocumentClient" => Val::V2DocumentClass,
            Val::Process if prop == "env" => Val::ProcessEnv,
            Val::ProcessEnv => Val::Str(ArgValue::Env(prop.to_string())),
            Val::V3Module(pkg) => Val::V3Export(pkg, prop.to_string()),
            Val::Foreign(origin) => Val::Foreign(format!("{origin}.{prop}")),
            _ => Val::Unknown,
        }
    }

    fn eval_call(&self, n: Node<'t>, scope: usize, d: u32) -> Val<'t> {
        let Some(f) = n.child_by_field_name("function") else { return Val::Unknown };
        if f.kind() == "identifier" && self.text(f) == "require" {
            return match argument(n, 0).map(|a| self.eval(a, scope, d)) {
                Some(Val::Str(ArgValue::Literal(path))) => module_value(&path),
                _ => Val::Unknown,
            };
        }
        if f.kind() == "member_expression"
            && let Some(obj) = f.child_by_field_name("object")
        {
            match self.eval(obj, scope, d) {
                Val::Client(sdk, Style::V2 | Style::Document) => {
                    let _ = sdk;
                    return Val::Request;
                }
                Val::V3Export(Pkg::LibDynamodb, name)
                    if f.child_by_field_name("property")
                        .is_some_and(|p| self.text(p) == "from") =>
                {
                    return self.document_client(&name, n);
                }
                _ => {}
            }
        }
        Val::Unknown
    }

    fn document_client(&self, name: &str, n: Node<'t>) -> Val<'t> {
        let style = match name {
            "DynamoDBDocumentClient" => Style::V3,
            "DynamoDBDocument" => Style::Document,
            _ => return Val::Unknown,
        };
        let sdk = Sdk {
            service: "dynamodb".into(),
            via: shorten_call(n, self.src),
            confidence: Confidence::High,
        };
        Val::Client(sdk, style)
    }

    fn eval_new(&self, n: Node<'t>, scope: usize, d: u32) -> Val<'t> {
        let Some(ctor) = n.child_by_field_name("constructor") else { return Val::Unknown };
        let via = format!("new {}()", self.text(ctor));
        let client = |service: &str, style| {
            Val::Client(
                Sdk {
                    service: service.to_string(),
                    via: via.clone(),
                    confidence: Confidence::High,
                },
                style,
            )
        };
        match self.eval(ctor, scope, d) {
            Val::V2Class(s) => client(&s, Style::V2),
            Val::V2DocumentClass => client("dynamodb", Style::Document),
            Val::V3Export(Pkg::Client(s), name) if name.ends_with("Client") => {
                client(&s, Style::V3)
            }
            Val::V3Export(Pkg::Client(s), name)
                if !name.ends_with("Command")
                    && !name.ends_with("Exception")
                    && name.starts_with(|c: char| c.is_ascii_uppercase()) =>
            {
                client(&s, Style::V3Aggregated)
            }
            Val::V3Export(Pkg::LibDynamodb, name) => match name.as_str() {
                "DynamoDBDocumentClient" => client("dynamodb", Style::V3),
                "DynamoDBDocument" => client("dynamodb", Style::Document),
                _ => Val::Unknown,
            },
            _ => Val::Unknown,
        }
    }

    fn value(&self, n: Node<'t>, scope: usize, d: u32) -> ArgValue {
        match self.eval(n, scope, d) {
            Val::Str(a) => a,
            _ => ArgValue::Unknown(snippet(n, self.src)),
        }
    }

    /// The properties of an object argument (a literal, or a name bound to
    /// one), spreads of such objects included.
    fn object_items(&self, n: Node<'t>, scope: usize, d: u32) -> Vec<(String, ArgValue)> {
        let mut out = Vec::new();
        if d > MAX_DEPTH {
            return out;
        }
        let Val::Object(obj) = self.eval(n, scope, d) else { return out };
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            match p.kind() {
                "pair" => {
                    let (Some(k), Some(v)) =
                        (p.child_by_field_name("key"), p.child_by_field_name("value"))
                    else {
                        continue;
                    };
                    let key = match k.kind() {
                        "property_identifier" => self.text(k).to_string(),
                        "string" => string_value(k, self.src),
                        "number" => self.text(k).to_string(),
                        _ => match k.named_child(0).map(|e| self.eval(e, scope, d + 1)) {
                            Some(Val::Str(ArgValue::Literal(s))) => s,
                            _ => continue,
                        },
                    };
                    out.push((key, self.value(v, scope, d + 1)));
                }
                "shorthand_property_identifier" => {
                    out.push((self.text(p).to_string(), self.value(p, scope, d + 1)));
                }
                "spread_element" => {
                    if let Some(inner) = p.named_child(0) {
                        out.extend(self.object_items(inner, scope, d + 1));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn first_object(&self, call: Node<'t>, index: usize, scope: usize) -> Vec<(String, ArgValue)> {
        match argument(call, index) {
            Some(a) => self.object_items(a, scope, 0),
            None => Vec::new(),
        }
    }

    // -- pass 2: reporting -----------------------------------------------------

    fn report_new(&self, n: Node<'t>, scope: usize, out: &mut Out) {
        let Some(ctor) = n.child_by_field_name("constructor") else { return };
        let name = self.text(ctor);
        let (pkg, export) = match self.eval(ctor, scope, 0) {
            Val::V3Export(pkg, export) => (pkg, export),
            Val::Unknown if ctor.kind() == "subscript_expression" => {
                // `new AWS[name]()`, typically in a loop over service names.
                let computed = ctor.child_by_field_name("object").is_some_and(|o| {
                    matches!(self.eval(o, scope, 0), Val::AwsSdk | Val::V3Module(_))
                });
                if computed {
                    out.note(
                        n,
                        format!(
                            "client class computed at run time `{}`: its service cannot be known statically",
                            snippet(n, self.src)
                        ),
                    );
                }
                return;
            }
            _ => return,
        };
        let via = format!("new {name}");
        match (&pkg, export.as_str()) {
            (Pkg::Client(service), e) if e.ends_with("Command") && e.len() > "Command".len() => {
                let op = &e[..e.len() - "Command".len()];
                let args = self.first_object(n, 0, scope);
                out.call(n, service, op, args, Confidence::High, via);
            }
            (Pkg::LibDynamodb, e) if e.ends_with("Command") => {
                let method = lower_first(&e[..e.len() - "Command".len()]);
                match document_client_operation(&method) {
                    Some(op) => {
                        let args = self.first_object(n, 0, scope);
                        out.call(n, "dynamodb", op, args, Confidence::High, via);
                    }
                    None => out.note(n, format!("`{via}`: unknown @aws-sdk/lib-dynamodb command")),
                }
            }
            (Pkg::LibStorage, "Upload") => {
                let args = match argument(n, 0).map(|a| self.object_items(a, scope, 0)) {
                    Some(items) => self.params_of_upload(n, scope, items),
                    None => Vec::new(),
                };
                for op in S3_UPLOAD_OPERATIONS {
                    out.call(n, "s3", op, args.clone(), Confidence::High, via.clone());
                }
            }
            _ => {}
        }
    }

    /// `new Upload({ client, params: { Bucket, Key, Body } })`: the request
    /// parameters are the `params` property.
    fn params_of_upload(
        &self,
        n: Node<'t>,
        scope: usize,
        _items: Vec<(String, ArgValue)>,
    ) -> Vec<(String, ArgValue)> {
        let Some(arg) = argument(n, 0) else { return Vec::new() };
        let Val::Object(obj) = self.eval(arg, scope, 0) else { return Vec::new() };
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            match p.kind() {
                "pair"
                    if p.child_by_field_name("key")
                        .is_some_and(|k| unquote(self.text(k)) == "params") =>
                {
                    if let Some(v) = p.child_by_field_name("value") {
                        return self.object_items(v, scope, 0);
                    }
                }
                "shorthand_property_identifier" if self.text(p) == "params" => {
                    return self.object_items(p, scope, 0);
                }
                _ => {}
            }
        }
        Vec::new()
    }

    fn report_call(&self, n: Node<'t>, scope: usize, out: &mut Out) {
        let Some(f) = n.child_by_field_name("function") else { return };
        match f.kind() {
            "member_expression" => {
                let (Some(obj), Some(prop)) =
                    (f.child_by_field_name("object"), f.child_by_field_name("property"))
                else {
                    return;
                };
                let recv = self.eval(obj, scope, 0);
                self.method(n, obj, recv, self.text(prop), scope, out);
            }
            "subscript_expression" => {
                let (Some(obj), Some(index)) =
                    (f.child_by_field_name("object"), f.child_by_field_name("index"))
                else {
                    return;
                };
                let recv = self.eval(obj, scope, 0);
                if !matches!(recv, Val::Client(..)) {
                    return;
                }
                match self.eval(index, scope, 0) {
                    Val::Str(ArgValue::Literal(m)) => self.method(n, obj, recv, &m, scope, out),
                    _ => out.note(
                        n,
                        format!(
                            "computed SDK method name `{}`: the operation cannot be known statically",
                            snippet(f, self.src)
                        ),
                    ),
                }
            }
            "identifier" => {
                let name = self.text(f);
                if let Val::V3Export(pkg, export) = self.eval(f, scope, 0) {
                    self.v3_function(n, &pkg, &export, name, scope, out);
                }
            }
            _ => {}
        }
    }

    /// `paginateListObjectsV2({ client }, input)`, `waitUntilObjectExists(...)`.
    fn v3_function(
        &self,
        n: Node<'t>,
        pkg: &Pkg,
        export: &str,
        name: &str,
        scope: usize,
        out: &mut Out,
    ) {
        let service = match pkg {
            Pkg::Client(s) => s.as_str(),
            Pkg::LibDynamodb => "dynamodb",
            Pkg::LibStorage => return,
        };
        let via = name.to_string();
        if let Some(op) = export.strip_prefix("paginate").filter(|o| !o.is_empty()) {
            let op = match pkg {
                Pkg::LibDynamodb => match document_client_operation(&lower_first(op)) {
                    Some(o) => o.to_string(),
                    None => return,
                },
                _ => op.to_string(),
            };
            let args = self.first_object(n, 1, scope);
            out.call(n, service, &op, args, Confidence::High, via);
        } else if let Some(w) = export.strip_prefix("waitUntil").filter(|o| !o.is_empty()) {
            match waiter_operation(service, w) {
                Some(op) => {
                    let args = self.first_object(n, 1, scope);
                    out.call(n, service, op, args, Confidence::High, via);
                }
                None => out.note(
                    n,
                    format!("`{via}`: unknown waiter, the operation it polls is not known"),
                ),
            }
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
            Val::Client(sdk, style) => {
                let via = format!("{}.{method}", sdk.via);
                let conf = sdk.confidence;
                let service = sdk.service.as_str();
                match style {
                    Style::V3 => {}
                    Style::Document => {
                        if let Some(op) = document_client_operation(method) {
                            let args = self.first_object(n, 0, scope);
                            out.call(n, service, op, args, conf, via);
                        }
                    }
                    Style::V2 | Style::V3Aggregated => match (service, method) {
                        (_, "waitFor") => {
                            let name = match argument(n, 0).map(|a| self.eval(a, scope, 0)) {
                                Some(Val::Str(ArgValue::Literal(w))) => w,
                                _ => {
                                    out.note(n, format!("`{via}`: the waiter is not a constant"));
                                    return;
                                }
                            };
                            match waiter_operation(service, &name) {
                                Some(op) => {
                                    let args = self.first_object(n, 1, scope);
                                    out.call(n, service, op, args, conf, via);
                                }
                                None => out.note(n, format!("`{via}('{name}')`: unknown waiter, the operation it polls is not known")),
                            }
                        }
                        (_, "getSignedUrl" | "getSignedUrlPromise") => {
                            match argument(n, 0).map(|a| self.eval(a, scope, 0)) {
                                Some(Val::Str(ArgValue::Literal(m))) => {
                                    let args = self.first_object(n, 1, scope);
                                    out.call(n, service, &camel_to_pascal(&m), args, conf, via);
                                }
                                _ => out.note(
                                    n,
                                    format!("`{via}`: the presigned operation is not a constant"),
                                ),
                            }
                        }
                        ("s3", "upload") if style == Style::V2 => {
                            let args = self.first_object(n, 0, scope);
                            for op in S3_UPLOAD_OPERATIONS {
                                out.call(n, service, op, args.clone(), conf, via.clone());
                            }
                        }
                        ("s3", "createPresignedPost") => {
                            let args = self.first_object(n, 0, scope);
                            out.call(n, service, "PutObject", args, conf, via);
                        }
                        _ if is_operation_name(method) => {
                            let args = self.first_object(n, 0, scope);
                            out.call(n, service, &camel_to_pascal(method), args, conf, via);
                        }
                        _ => {}
                    },
                }
            }
            Val::Param | Val::Foreign(_) if is_operation_name(method) => {
                let args = self.first_object(n, 0, scope);
                // Request parameters are capitalised in every AWS model.
                if !args.iter().any(|(k, _)| k.starts_with(|c: char| c.is_ascii_uppercase())) {
                    return;
                }
                let name = self.text(obj);
                let service = service_from_name(name);
                let doc = service == Some("dynamodb")
                    && document_client_operation(method).is_some()
                    && !method.ends_with("Item");
                match service {
                    Some(service) => {
                        let op = if doc {
                            document_client_operation(method).unwrap_or_default().to_string()
                        } else {
                            camel_to_pascal(method)
                        };
                        let via = format!("{name}.{method} (client of unknown origin)");
                        out.call(n, service, &op, args, Confidence::Low, via);
                    }
                    None => out.note(
                        n,
                        format!("`{name}.{method}(...)` looks like an SDK call on a client of unknown origin"),
                    ),
                }
            }
            _ => {}
        }
    }
}

/// What `require(path)` / `import ... from path` gives.
fn module_value<'t>(path: &str) -> Val<'t> {
    if path == "aws-sdk" || path == "aws-sdk/global" {
        return Val::AwsSdk;
    }
    if let Some(name) = path.strip_prefix("aws-sdk/clients/") {
        return Val::V2Class(v2_service(name));
    }
    match path {
        "@aws-sdk/lib-dynamodb" => return Val::V3Module(Pkg::LibDynamodb),
        "@aws-sdk/lib-storage" => return Val::V3Module(Pkg::LibStorage),
        _ => {}
    }
    if let Some(name) = path.strip_prefix("@aws-sdk/client-") {
        return Val::V3Module(Pkg::Client(v3_service(name)));
    }
    Val::Foreign(path.to_string())
}

/// v2 class (`AWS.CloudWatchLogs`) or client file (`aws-sdk/clients/cloudwatchlogs`)
/// to botocore's client name. Most are the lowercased class name; the
/// table lists the ones that are not (from botocore's `serviceId`s and
/// aws-sdk v2's `clients/all.d.ts`).
fn v2_service(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let mapped = match lower.as_str() {
        "cloudwatchevents" | "eventbridge" => "events",
        "cloudwatchlogs" => "logs",
        "cognitoidentityserviceprovider" => "cognito-idp",
        "cognitoidentity" => "cognito-identity",
        "iotdata" => "iot-data",
        "iotjobsdataplane" => "iot-jobs-data",
        "rdsdataservice" => "rds-data",
        "sagemakerruntime" => "sagemaker-runtime",
        "configservice" => "config",
        "directoryservice" => "ds",
        "lexruntime" => "lex-runtime",
        "lexruntimev2" => "lexv2-runtime",
        "lexmodelbuildingservice" => "lex-models",
        "lexmodelsv2" => "lexv2-models",
        "marketplacemetering" => "meteringmarketplace",
        "timestreamwrite" => "timestream-write",
        "timestreamquery" => "timestream-query",
        "servicequotas" => "service-quotas",
        "ssooidc" => "sso-oidc",
        "costexplorer" => "ce",
        "applicationautoscaling" => "application-autoscaling",
        "resourcegroups" => "resource-groups",
        "mediastoredata" => "mediastore-data",
        "personalizeevents" => "personalize-events",
        "personalizeruntime" => "personalize-runtime",
        "augmentedairuntime" => "sagemaker-a2i-runtime",
        "sagemakerfeaturestoreruntime" => "sagemaker-featurestore-runtime",
        "kinesisvideomedia" => "kinesis-video-media",
        "kinesisvideoarchivedmedia" => "kinesis-video-archived-media",
        "kinesisvideosignalingchannels" => "kinesis-video-signaling",
        "elasticsearchservice" => "es",
        "stepfunctions" => "stepfunctions",
        other => other,
    };
    mapped.to_string()
}

/// `@aws-sdk/client-<name>` to botocore's client name. Most package names
/// are the botocore name; the table lists the ones that are not (from the
/// Smithy service ids the v3 packages are named after).
fn v3_service(name: &str) -> String {
    let mapped = match name {
        "sfn" => "stepfunctions",
        "secrets-manager" => "secretsmanager",
        "eventbridge" | "cloudwatch-events" => "events",
        "cloudwatch-logs" => "logs",
        "cognito-identity-provider" => "cognito-idp",
        "api-gateway" => "apigateway",
        "iot-data-plane" => "iot-data",
        "iot-jobs-data-plane" => "iot-jobs-data",
        "dynamodb-streams" => "dynamodbstreams",
        "s3-control" => "s3control",
        "elastic-load-balancing-v2" => "elbv2",
        "elastic-load-balancing" => "elb",
        "route-53" => "route53",
        "route-53-domains" => "route53domains",
        "config-service" => "config",
        "cost-explorer" => "ce",
        "application-auto-scaling" => "application-autoscaling",
        "auto-scaling" => "autoscaling",
        "lex-runtime-v2" => "lexv2-runtime",
        "lex-runtime-service" => "lex-runtime",
        "lex-models-v2" => "lexv2-models",
        "lex-model-building-service" => "lex-models",
        "marketplace-metering" => "meteringmarketplace",
        "resource-groups-tagging-api" => "resourcegroupstaggingapi",
        "database-migration-service" => "dms",
        "directory-service" => "ds",
        "elastic-beanstalk" => "elasticbeanstalk",
        "elastic-transcoder" => "elastictranscoder",
        "elasticsearch-service" => "es",
        "kinesis-video" => "kinesisvideo",
        "cloudhsm-v2" => "cloudhsmv2",
        "migration-hub" => "mgh",
        "sesv2" => "sesv2",
        other => other,
    };
    mapped.to_string()
}

fn same_client(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Client(x, sx), Val::Client(y, sy)) => x.service == y.service && sx == sy,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// `a.b.c` made of identifiers (and `this`) only.
fn is_dotted(n: Node<'_>) -> bool {
    let mut cur = n;
    for _ in 0..8 {
        match cur.kind() {
            "identifier" | "this" => return true,
            "member_expression" => match cur.child_by_field_name("object") {
                Some(o) => cur = o,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// An SDK method name: lowerCamelCase, not private.
fn is_operation_name(m: &str) -> bool {
    m.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && m.chars().all(|c| c.is_ascii_alphanumeric())
        && !matches!(
            m,
            "promise"
                | "send"
                | "on"
                | "destroy"
                | "config"
                | "middlewareStack"
                | "then"
                | "catch"
                | "finally"
                | "makeRequest"
                | "makeUnauthenticatedRequest"
                | "setupRequestListeners"
                | "createReadStream"
                | "eachPage"
                | "eachItem"
                | "abort"
                | "done"
                | "createSet"
                | "wrap"
                | "toString"
                | "bind"
                | "call"
                | "apply"
        )
}

fn argument<'t>(call: Node<'t>, index: usize) -> Option<Node<'t>> {
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    args.named_children(&mut c).filter(|a| a.kind() != "comment").nth(index)
}

fn string_value(n: Node<'_>, src: &str) -> String {
    let mut out = String::new();
    let mut c = n.walk();
    for child in n.named_children(&mut c) {
        match child.kind() {
            "string_fragment" => out.push_str(text(child, src)),
            "escape_sequence" => out.push_str(&unescape(text(child, src))),
            _ => {}
        }
    }
    out
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

fn unescape(s: &str) -> String {
    match s {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\r" => "\r".into(),
        _ => s.strip_prefix('\\').unwrap_or(s).to_string(),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn shorten_call(n: Node<'_>, src: &str) -> String {
    let f = n.child_by_field_name("function").map(|f| text(f, src)).unwrap_or("");
    format!("{}()", super::shorten(f))
}

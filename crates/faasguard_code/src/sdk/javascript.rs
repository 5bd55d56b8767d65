//! AWS SDK calls in JavaScript and TypeScript: aws-sdk v2 and the modular
//! @aws-sdk v3 packages.
//!
//! Same structure as for Python: one walk for bindings and calls, then
//! evaluation. v3 operations are reported where the
//! command is constructed (`new GetObjectCommand(...)`): the command's
//! package names the service whether it is sent here or by a helper.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::{
    ArgKey, ArgValue, Budget, Confidence, Exports, Grammar, Linked, MAX_DEPTH, MODULE_SCOPE, Out,
    Outgoing, Part, S3_UPLOAD_OPERATIONS, Scopes, Seeds, camel_to_pascal, concat,
    document_client_operation, field_id, parts_of, service_from_name, snippet, template, text,
    waiter_operation, walk,
};
use crate::parse::Language;

/// The node kinds discovery looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Other,
    /// Anonymous nodes: punctuation, keywords, operators.
    Token,
    Function,
    VariableDeclarator,
    AssignmentExpression,
    FieldDefinition,
    ImportStatement,
    ExportStatement,
    NewExpression,
    CallExpression,
    Identifier,
    ShorthandPropertyIdentifier,
    MemberExpression,
    SubscriptExpression,
    String,
    TemplateString,
    BinaryExpression,
    /// Wrappers evaluated as their content: parentheses, `await`, type
    /// assertions.
    Wrapper,
    Object,
    Comment,
    /// Types and literals: nothing inside for discovery.
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
        "assignment_expression" => K::AssignmentExpression,
        "public_field_definition" | "field_definition" => K::FieldDefinition,
        "import_statement" => K::ImportStatement,
        "export_statement" => K::ExportStatement,
        "new_expression" => K::NewExpression,
        "call_expression" => K::CallExpression,
        "identifier" => K::Identifier,
        "shorthand_property_identifier" => K::ShorthandPropertyIdentifier,
        "member_expression" => K::MemberExpression,
        "subscript_expression" => K::SubscriptExpression,
        "string" => K::String,
        "template_string" => K::TemplateString,
        "binary_expression" => K::BinaryExpression,
        "parenthesized_expression"
        | "await_expression"
        | "as_expression"
        | "non_null_expression"
        | "satisfies_expression"
        | "type_assertion" => K::Wrapper,
        "object" => K::Object,
        "comment" => K::Comment,
        "number"
        | "regex"
        | "true"
        | "false"
        | "null"
        | "undefined"
        | "property_identifier"
        | "type_annotation"
        | "type_arguments"
        | "type_parameters"
        | "interface_declaration"
        | "type_alias_declaration"
        | "predefined_type"
        | "type_identifier"
        | "this" => K::Inert,
        _ => return None,
    })
}

/// Field ids of a JavaScript or TypeScript grammar.
struct F {
    alias: u16,
    arguments: u16,
    constructor: u16,
    declaration: u16,
    function: u16,
    index: u16,
    key: u16,
    left: u16,
    name: u16,
    object: u16,
    operator: u16,
    parameter: u16,
    parameters: u16,
    pattern: u16,
    property: u16,
    right: u16,
    source: u16,
    value: u16,
}

struct Ids {
    g: Grammar<K>,
    f: F,
}

fn ids(language: Language) -> &'static Ids {
    static JS: OnceLock<Ids> = OnceLock::new();
    static TS: OnceLock<Ids> = OnceLock::new();
    static TSX: OnceLock<Ids> = OnceLock::new();
    let (cell, lang): (&OnceLock<Ids>, fn() -> tree_sitter::Language) = match language {
        Language::TypeScript => (&TS, || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
        Language::Tsx => (&TSX, || tree_sitter_typescript::LANGUAGE_TSX.into()),
        _ => (&JS, || tree_sitter_javascript::LANGUAGE.into()),
    };
    cell.get_or_init(|| {
        let lang = lang();
        let f = |n| field_id(&lang, n);
        Ids {
            f: F {
                alias: f("alias"),
                arguments: f("arguments"),
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
            g: Grammar::new(&lang, classify, K::Other, K::Token),
        }
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Pkg {
    /// `@aws-sdk/client-<x>`, with the botocore name of `<x>`.
    Client(Rc<str>),
    LibDynamodb,
    LibStorage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// v2 service object: `s3.getObject(params)`.
    V2,
    /// v2 `DocumentClient` or v3 `DynamoDBDocument`: `doc.put(params)`.
    Document,
    /// v3 bare client: only `send(command)`.
    V3,
    /// v3 aggregated client: `new S3({}).getObject(input)`.
    V3Aggregated,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sdk {
    service: Rc<str>,
    via: Rc<str>,
    confidence: Confidence,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val<'t> {
    /// `require('aws-sdk')`, `import AWS from 'aws-sdk'`.
    AwsSdk,
    /// `AWS.S3`: a v2 service class.
    V2Class(Rc<str>),
    /// `AWS.DynamoDB.DocumentClient`.
    V2DocumentClass,
    /// A v3 package namespace: `import * as s3 from '@aws-sdk/client-s3'`.
    V3Module(Pkg),
    /// A named export of a v3 package.
    V3Export(Pkg, Rc<str>),
    Client(Sdk, Style),
    /// What a v2 method returns: an `AWS.Request` (`.promise()`, `.send()`).
    Request,
    Process,
    ProcessEnv,
    Str(ArgValue),
    Object(Node<'t>),
    /// A parameter no call site resolves.
    Param,
    /// Something from another module: its specifier and the member path
    /// (`""` for the module itself, `default` for its default export,
    /// `a.b` for a property of a property).
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

#[derive(Clone)]
enum Bind<'t, 's> {
    Expr(Node<'t>, usize),
    /// `const { S3Client } = require(...)`: property `prop` of `obj`.
    Member(Node<'t>, &'s str, usize),
    Val(Val<'t>),
    Param {
        func: &'s str,
        fid: usize,
        index: usize,
        node: Node<'t>,
    },
}

/// What a module exports under a name.
#[derive(Clone, Copy)]
enum Export<'s> {
    /// A function, by scope id.
    Function(usize),
    /// A module-level name.
    Local(&'s str),
}

/// A module's analysis: bindings and calls from one walk, then evaluation
/// on demand, remembered per binding.
pub(crate) struct Js<'t, 's> {
    src: &'s str,
    ids: &'static Ids,
    scopes: Scopes<'t, 's, Bind<'t, 's>>,
    budget: Budget,
    /// Every call and `new` with its scope, in source order.
    calls: Vec<(Node<'t>, usize)>,
    /// Module-level functions by name: scope id.
    functions: HashMap<&'s str, usize>,
    /// Exports by name (`""`: `module.exports` itself).
    exports: Vec<(String, Export<'s>)>,
    /// Modules named by imports and `require`s, as written.
    specs: Vec<String>,
    memo: RefCell<HashMap<(usize, usize), Val<'t>>>,
    seeds: Seeds<Val<'static>>,
    imports: HashMap<String, Rc<Exports<Val<'static>>>>,
    conflicts: RefCell<Vec<(Node<'t>, String)>>,
}

pub(crate) fn discover(language: Language, src: &str, tree: &Tree, out: &mut Out) {
    let mut js = Js::new(language, src, tree);
    js.run(&Seeds::new(), out);
}

impl<'t, 's> Linked for Js<'t, 's> {
    type Seed = Val<'static>;

    fn specs(&self) -> Vec<String> {
        self.specs.clone()
    }

    fn exported_values(&self) -> Vec<(String, Val<'static>)> {
        let mut names: Vec<&str> = self.scopes.names_in(MODULE_SCOPE).collect();
        names.sort_unstable();
        names
            .into_iter()
            .filter_map(|name| {
                let export = match name.strip_prefix("module.exports.") {
                    Some(e) => e,
                    None => name.strip_prefix("exports.").unwrap_or(name),
                };
                if export.contains('.') {
                    return None;
                }
                self.budget.reset();
                let v = self.lookup(name, usize::MAX, MODULE_SCOPE, 0)?;
                Some((export.to_string(), detach(&v)?))
            })
            .collect()
    }

    fn exported_function(&self, name: &str) -> Option<(usize, Vec<String>)> {
        let alternatives: &[&str] = match name {
            "" => &["", "default"],
            "default" => &["default", ""],
            _ => &[],
        };
        let find = |n: &str| -> Option<usize> {
            let export = self.exports.iter().find(|(e, _)| e == n).map(|(_, x)| *x);
            match export {
                Some(Export::Function(fid)) => Some(fid),
                Some(Export::Local(local)) => self.functions.get(local).copied(),
                None if !n.is_empty() && n != "default" => self.functions.get(n).copied(),
                None => None,
            }
        };
        let fid = if alternatives.is_empty() {
            find(name)
        } else {
            alternatives.iter().find_map(|n| find(n))
        }?;
        Some((fid, Vec::new()))
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
            if self.kind(n) == K::NewExpression {
                self.report_new(n, scope, out);
            } else {
                self.report_call(n, scope, out, &mut outgoing);
            }
        }
        for (node, message) in self.conflicts.borrow_mut().drain(..) {
            out.note(node, message);
        }
        outgoing
    }
}

impl<'t, 's> Js<'t, 's> {
    pub(crate) fn new(language: Language, src: &'s str, tree: &'t Tree) -> Self {
        let mut js = Js {
            src,
            ids: ids(language),
            scopes: Scopes::new(),
            budget: Budget::new(),
            calls: Vec::new(),
            functions: HashMap::new(),
            exports: Vec::new(),
            specs: Vec::new(),
            memo: RefCell::new(HashMap::new()),
            seeds: Seeds::new(),
            imports: HashMap::new(),
            conflicts: RefCell::new(Vec::new()),
        };
        // One walk: bindings first, calls afterwards, since a call may use a
        // name bound later in the file.
        js.collect(tree);
        js
    }

    fn text(&self, n: Node<'_>) -> &'s str {
        text(n, self.src)
    }

    fn kind(&self, n: Node<'_>) -> K {
        self.ids.g.kind(n)
    }

    fn field(&self, n: Node<'t>, id: u16) -> Option<Node<'t>> {
        n.child_by_field_id(id)
    }

    // -- pass 1 ------------------------------------------------------------

    /// Records bindings, exports and every call and `new` with its scope.
    fn collect(&mut self, tree: &'t Tree) {
        let ids: &'static Ids = self.ids;
        let f = &ids.f;
        // (scope, depth of the scope's node).
        let mut stack: Vec<(usize, usize)> = vec![(MODULE_SCOPE, 0)];
        // Function expressions named by the variable they are assigned to.
        let mut fn_names: HashMap<usize, &'s str> = HashMap::new();
        walk(tree, |n, depth| {
            while stack.len() > 1 && stack.last().is_some_and(|(_, d)| *d >= depth) {
                stack.pop();
            }
            let scope = stack.last().map_or(MODULE_SCOPE, |(s, _)| *s);
            match self.kind(n) {
                K::Function => {
                    self.scopes.open(n.id(), scope);
                    stack.push((n.id(), depth));
                    let name = self
                        .field(n, f.name)
                        .map(|i| self.text(i))
                        .or_else(|| fn_names.get(&n.id()).copied());
                    if scope == MODULE_SCOPE
                        && let Some(name) = name
                    {
                        self.functions.entry(name).or_insert(n.id());
                    }
                    self.bind_params(n, name.unwrap_or_default());
                }
                K::VariableDeclarator => {
                    let (Some(name), Some(value)) = (self.field(n, f.name), self.field(n, f.value))
                    else {
                        return true;
                    };
                    if self.kind(name) == K::Identifier && self.kind(value) == K::Function {
                        fn_names.insert(value.id(), self.text(name));
                    }
                    self.bind_pattern(name, value, scope, n.start_byte());
                }
                K::AssignmentExpression => {
                    let (Some(l), Some(r)) = (self.field(n, f.left), self.field(n, f.right)) else {
                        return true;
                    };
                    match self.kind(l) {
                        K::Identifier => {
                            let name = self.text(l);
                            self.scopes.bind(scope, name, n.start_byte(), Bind::Expr(r, scope));
                        }
                        K::MemberExpression if is_dotted(l, self.ids) => {
                            let key = self.text(l);
                            self.scopes.bind(
                                MODULE_SCOPE,
                                key,
                                n.start_byte(),
                                Bind::Expr(r, scope),
                            );
                            self.cjs_export(key, r);
                        }
                        _ => {}
                    }
                }
                // Class fields: `s3 = new S3Client({})` is read as `this.s3`.
                K::FieldDefinition => {
                    let name = self.field(n, f.name).or_else(|| self.field(n, f.property));
                    if let (Some(name), Some(value)) = (name, self.field(n, f.value)) {
                        let key = format!("this.{}", self.text(name));
                        self.scopes.bind_owned(
                            MODULE_SCOPE,
                            key,
                            n.start_byte(),
                            Bind::Expr(value, scope),
                        );
                    }
                }
                K::ImportStatement => {
                    self.bind_import(n, scope);
                    return false;
                }
                K::ExportStatement => self.esm_export(n),
                K::NewExpression => self.calls.push((n, scope)),
                K::CallExpression => {
                    self.calls.push((n, scope));
                    if let Some(fun) = self.field(n, f.function)
                        && self.kind(fun) == K::Identifier
                    {
                        let name = self.text(fun);
                        self.scopes.call_site(name, n, scope);
                        if name == "require"
                            && let Some(a) = argument(n, 0, self.ids)
                            && self.kind(a) == K::String
                        {
                            let spec = string_value(a, self.src);
                            self.push_spec(&spec);
                        }
                    }
                }
                K::Comment | K::String | K::Identifier | K::Inert | K::Token => return false,
                _ => {}
            }
            true
        });
    }

    fn push_spec(&mut self, spec: &str) {
        if self.specs.len() < 256 && !self.specs.iter().any(|s| s == spec) {
            self.specs.push(spec.to_string());
        }
    }

    fn export(&mut self, name: &str, value: Node<'t>) {
        let e = match self.kind(value) {
            K::Function => Export::Function(value.id()),
            K::Identifier => Export::Local(self.text(value)),
            _ => return,
        };
        if self.exports.len() < 1_000 {
            self.exports.push((name.to_string(), e));
        }
    }

    /// `exports.save = ...`, `module.exports.save = ...`, `module.exports =
    /// fn` and `module.exports = { save, load: fn }`.
    fn cjs_export(&mut self, key: &str, value: Node<'t>) {
        let name = match key {
            "module.exports" | "exports" => "",
            _ => match key.strip_prefix("module.exports.").or_else(|| key.strip_prefix("exports."))
            {
                Some(n) if !n.contains('.') => n,
                _ => return,
            },
        };
        if !name.is_empty() || self.kind(value) != K::Object {
            self.export(name, value);
            return;
        }
        let ids: &'static Ids = self.ids;
        let f = &ids.f;
        let mut c = value.walk();
        let props: Vec<Node<'t>> = value.named_children(&mut c).collect();
        for p in props {
            match self.kind(p) {
                K::ShorthandPropertyIdentifier => {
                    let local = self.text(p);
                    if self.exports.len() < 1_000 {
                        self.exports.push((local.to_string(), Export::Local(local)));
                    }
                }
                _ if p.kind() == "pair" => {
                    if let (Some(k), Some(v)) = (self.field(p, f.key), self.field(p, f.value)) {
                        let k = unquote(self.text(k));
                        self.export(k, v);
                    }
                }
                _ => {}
            }
        }
    }

    /// `export default fn`, `export { a as b }`, `export ... from './x'`.
    fn esm_export(&mut self, n: Node<'t>) {
        let ids: &'static Ids = self.ids;
        let f = &ids.f;
        if let Some(source) = self.field(n, f.source) {
            let spec = unquote(self.text(source)).to_string();
            self.push_spec(&spec);
            return;
        }
        let mut c = n.walk();
        let children: Vec<Node<'t>> = n.children(&mut c).collect();
        let default = children.iter().any(|c| c.kind() == "default");
        if default {
            if let Some(v) = self.field(n, f.declaration).or_else(|| self.field(n, f.value)) {
                self.export("default", v);
            }
            return;
        }
        for clause in children.iter().filter(|c| c.kind() == "export_clause") {
            let mut c2 = clause.walk();
            for spec in clause.named_children(&mut c2) {
                let Some(name) = self.field(spec, f.name) else { continue };
                let alias = self.field(spec, f.alias).unwrap_or(name);
                let local = self.text(name);
                if self.exports.len() < 1_000 {
                    self.exports
                        .push((unquote(self.text(alias)).to_string(), Export::Local(local)));
                }
            }
        }
    }

    fn bind_params(&mut self, func: Node<'t>, fname: &'s str) {
        let ids: &'static Ids = self.ids;
        let f = &ids.f;
        let fid = func.id();
        let bind = |this: &mut Self, ident: Node<'t>, index: usize| {
            let name = this.text(ident);
            let b = Bind::Param { func: fname, fid, index, node: ident };
            this.scopes.bind(fid, name, func.start_byte(), b);
        };
        if let Some(p) = self.field(func, f.parameter) {
            if self.kind(p) == K::Identifier {
                bind(self, p, 0);
            }
            return;
        }
        let Some(params) = self.field(func, f.parameters) else { return };
        let mut c = params.walk();
        let list: Vec<Node<'t>> =
            params.named_children(&mut c).filter(|p| self.kind(*p) != K::Comment).collect();
        for (index, p) in list.into_iter().enumerate() {
            let ident = match p.kind() {
                "identifier" => Some(p),
                "assignment_pattern" => self.field(p, f.left),
                "required_parameter" | "optional_parameter" => self.field(p, f.pattern),
                _ => None,
            };
            if let Some(i) = ident.filter(|i| self.kind(*i) == K::Identifier) {
                bind(self, i, index);
            }
        }
    }

    /// `const x = v`, `const { a, b: c } = v`.
    fn bind_pattern(&mut self, pattern: Node<'t>, value: Node<'t>, scope: usize, at: usize) {
        let ids: &'static Ids = self.ids;
        let f = &ids.f;
        match pattern.kind() {
            "identifier" => {
                let name = self.text(pattern);
                self.scopes.bind(scope, name, at, Bind::Expr(value, scope));
            }
            "object_pattern" => {
                let mut c = pattern.walk();
                for p in pattern.named_children(&mut c) {
                    let (prop, local) = match p.kind() {
                        "shorthand_property_identifier_pattern" => (p, p),
                        "pair_pattern" => {
                            let (Some(k), Some(v)) = (self.field(p, f.key), self.field(p, f.value))
                            else {
                                continue;
                            };
                            let v = if v.kind() == "assignment_pattern" {
                                self.field(v, f.left).unwrap_or(v)
                            } else {
                                v
                            };
                            (k, v)
                        }
                        "object_assignment_pattern" => match self.field(p, f.left) {
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
                    let prop = unquote(self.text(prop));
                    let local = self.text(local);
                    self.scopes.bind(scope, local, at, Bind::Member(value, prop, scope));
                }
            }
            _ => {}
        }
    }

    fn bind_import(&mut self, n: Node<'t>, scope: usize) {
        let ids: &'static Ids = self.ids;
        let f = &ids.f;
        let Some(source) = self.field(n, f.source) else { return };
        let path = unquote(self.text(source));
        self.push_spec(path);
        let module = module_value(path);
        let mut c = n.walk();
        let Some(clause) = n.named_children(&mut c).find(|k| k.kind() == "import_clause") else {
            return;
        };
        let at = n.start_byte();
        let mut c = clause.walk();
        for part in clause.named_children(&mut c) {
            match part.kind() {
                "identifier" => {
                    let name = self.text(part);
                    // `import x from './m'` is the default export of a
                    // local module, but the whole of an SDK package.
                    let v = match &module {
                        Val::Foreign(spec, _) => Val::Foreign(spec.clone(), Rc::from("default")),
                        m => m.clone(),
                    };
                    self.scopes.bind(scope, name, at, Bind::Val(v));
                }
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        let name = self.text(id);
                        self.scopes.bind(scope, name, at, Bind::Val(module.clone()));
                    }
                }
                "named_imports" => {
                    let mut c2 = part.walk();
                    for spec in part.named_children(&mut c2) {
                        if spec.kind() != "import_specifier" {
                            continue;
                        }
                        let Some(name) = self.field(spec, f.name) else { continue };
                        let local = self.field(spec, f.alias).unwrap_or(name);
                        let member = unquote(self.text(name));
                        let v = self.member(module.clone(), member);
                        let local = self.text(local);
                        self.scopes.bind(scope, local, at, Bind::Val(v));
                    }
                }
                _ => {}
            }
        }
    }

    // -- evaluation ----------------------------------------------------------

    fn eval(&self, n: Node<'t>, scope: usize, depth: u32) -> Val<'t> {
        if !self.budget.step(depth) {
            return Val::Unknown;
        }
        let d = depth + 1;
        match self.kind(n) {
            K::Identifier | K::ShorthandPropertyIdentifier => {
                let name = self.text(n);
                match self.lookup(name, n.start_byte(), scope, d) {
                    Some(v) => v,
                    None if name == "process" => Val::Process,
                    None => Val::Unknown,
                }
            }
            K::MemberExpression => {
                if is_dotted(n, self.ids)
                    && let Some(v) = self.lookup(self.text(n), n.start_byte(), scope, d)
                {
                    return v;
                }
                let (Some(obj), Some(prop)) = (
                    n.child_by_field_id(self.ids.f.object),
                    n.child_by_field_id(self.ids.f.property),
                ) else {
                    return Val::Unknown;
                };
                let obj = self.eval(obj, scope, d);
                self.member(obj, self.text(prop))
            }
            K::SubscriptExpression => {
                let (Some(obj), Some(index)) =
                    (n.child_by_field_id(self.ids.f.object), n.child_by_field_id(self.ids.f.index))
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
            K::CallExpression => self.eval_call(n, scope, d),
            K::NewExpression => self.eval_new(n, scope, d),
            K::String => Val::Str(ArgValue::Literal(string_value(n, self.src))),
            K::TemplateString => {
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
            K::BinaryExpression => {
                let op = n.child_by_field_id(self.ids.f.operator).map(|o| self.text(o));
                let (Some(l), Some(r)) =
                    (n.child_by_field_id(self.ids.f.left), n.child_by_field_id(self.ids.f.right))
                else {
                    return Val::Unknown;
                };
                match op {
                    Some("+") => {
                        let (a, b) =
                            (self.eval(l, scope, d).into_str(), self.eval(r, scope, d).into_str());
                        concat(a, b, (l, r), self.src).map_or(Val::Unknown, Val::Str)
                    }
                    // `process.env.BUCKET || 'default'`: the environment decides.
                    Some("||" | "??") => match self.eval(l, scope, d) {
                        v @ (Val::Str(_) | Val::Client(..)) => v,
                        _ => self.eval(r, scope, d),
                    },
                    _ => Val::Unknown,
                }
            }
            K::Wrapper => {
                let mut c = n.walk();
                let inner = n.named_children(&mut c).find(|c| !c.kind().contains("type"));
                match inner {
                    Some(i) => self.eval(i, scope, d),
                    None => Val::Unknown,
                }
            }
            K::Object => Val::Object(n),
            _ => Val::Unknown,
        }
    }

    fn lookup(&self, name: &str, at: usize, scope: usize, d: u32) -> Option<Val<'t>> {
        let (_, b) = self.scopes.lookup(scope, name, at)?;
        Some(match b {
            Bind::Val(Val::Foreign(spec, member)) => self.foreign(spec, member),
            Bind::Val(v) => v.clone(),
            Bind::Expr(e, s) => self.remember((e.id(), 0), || self.eval(*e, *s, d)),
            Bind::Member(obj, prop, s) => {
                let o = self.remember((obj.id(), 0), || self.eval(*obj, *s, d));
                self.member(o, prop)
            }
            Bind::Param { func, fid, index, node } => {
                self.remember((*fid, index + 1), || self.param(func, *fid, *index, *node, d))
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

    /// Something imported from another module: its value there when it is
    /// an SDK value bound at the top of a module of this function's code.
    fn foreign(&self, spec: &Rc<str>, member: &Rc<str>) -> Val<'t> {
        let name = member.strip_prefix("default.").unwrap_or(member);
        if let Some(v) = self.imports.get(&**spec).and_then(|e| e.get(name)) {
            return v.clone();
        }
        Val::Foreign(spec.clone(), member.clone())
    }

    /// A parameter's value, from the call sites of its function in this
    /// module and the values other modules pass: the value if they agree,
    /// the first one with low confidence if they do not, `Param` if none is
    /// known.
    fn param(&self, func: &str, fid: usize, index: usize, node: Node<'t>, d: u32) -> Val<'t> {
        let mut found: Option<Val<'t>> = None;
        let mut seen: Vec<Rc<str>> = Vec::new();
        let mut disagree = false;
        let mut merge = |v: Val<'t>| {
            if matches!(v, Val::Unknown | Val::Param) {
                return;
            }
            if let Val::Client(s, _) = &v
                && !seen.contains(&s.via)
            {
                seen.push(s.via.clone());
            }
            match &found {
                None => found = Some(v),
                Some(prev) => disagree |= !same_client(prev, &v),
            }
        };
        if !func.is_empty() {
            for &(call, scope) in self.scopes.call_sites(func) {
                let Some(arg) = argument(call, index, self.ids) else { continue };
                merge(self.eval(arg, scope, d));
            }
        }
        if let Some(passed) = self.seeds.get(&(fid, index)) {
            for p in passed {
                merge(p.value.clone());
            }
        }
        match found {
            Some(Val::Client(sdk, style)) if disagree => {
                let list = seen.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                let name = self.text(node);
                let of = if func.is_empty() { String::new() } else { format!(" of `{func}`") };
                let message = format!(
                    "`{name}` (parameter{of}) is passed different clients by its callers ({list}): its SDK calls are reported for the first, with low confidence"
                );
                let mut conflicts = self.conflicts.borrow_mut();
                if !conflicts.iter().any(|(n, _)| n.id() == node.id()) {
                    conflicts.push((node, message));
                }
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
            Val::V2Class(s) if &*s == "dynamodb" && prop == "DocumentClient" => {
                Val::V2DocumentClass
            }
            Val::Process if prop == "env" => Val::ProcessEnv,
            Val::ProcessEnv => Val::Str(ArgValue::Env(prop.to_string())),
            Val::V3Module(pkg) => Val::V3Export(pkg, Rc::from(prop)),
            Val::Foreign(spec, member) => {
                let path =
                    if member.is_empty() { prop.to_string() } else { format!("{member}.{prop}") };
                self.foreign(&spec, &Rc::from(path))
            }
            _ => Val::Unknown,
        }
    }

    fn eval_call(&self, n: Node<'t>, scope: usize, d: u32) -> Val<'t> {
        let Some(f) = n.child_by_field_id(self.ids.f.function) else { return Val::Unknown };
        if self.kind(f) == K::Identifier && self.text(f) == "require" {
            return match argument(n, 0, self.ids).map(|a| self.eval(a, scope, d)) {
                Some(Val::Str(ArgValue::Literal(path))) => module_value(&path),
                _ => Val::Unknown,
            };
        }
        if self.kind(f) == K::MemberExpression
            && let Some(obj) = f.child_by_field_id(self.ids.f.object)
        {
            match self.eval(obj, scope, d) {
                Val::Client(sdk, Style::V2 | Style::Document) => {
                    let _ = sdk;
                    return Val::Request;
                }
                Val::V3Export(Pkg::LibDynamodb, name)
                    if f.child_by_field_id(self.ids.f.property)
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
            service: Rc::from("dynamodb"),
            via: Rc::from(shorten_call(n, self.src, self.ids)),
            confidence: Confidence::High,
        };
        Val::Client(sdk, style)
    }

    fn eval_new(&self, n: Node<'t>, scope: usize, d: u32) -> Val<'t> {
        let Some(ctor) = n.child_by_field_id(self.ids.f.constructor) else { return Val::Unknown };
        let via = format!("new {}()", self.text(ctor));
        let client = |service: &str, style| {
            Val::Client(
                Sdk {
                    service: Rc::from(service),
                    via: Rc::from(via.as_str()),
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
            Val::V3Export(Pkg::LibDynamodb, name) => match &*name {
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
                    let (Some(k), Some(v)) = (
                        p.child_by_field_id(self.ids.f.key),
                        p.child_by_field_id(self.ids.f.value),
                    ) else {
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
        match argument(call, index, self.ids) {
            Some(a) => self.object_items(a, scope, 0),
            None => Vec::new(),
        }
    }

    // -- pass 2: reporting -----------------------------------------------------

    fn report_new(&self, n: Node<'t>, scope: usize, out: &mut Out) {
        let Some(ctor) = n.child_by_field_id(self.ids.f.constructor) else { return };
        let name = self.text(ctor);
        let (pkg, export) = match self.eval(ctor, scope, 0) {
            Val::V3Export(pkg, export) => (pkg, export),
            Val::Unknown if self.kind(ctor) == K::SubscriptExpression => {
                // `new AWS[name]()`, typically in a loop over service names.
                let computed = ctor.child_by_field_id(self.ids.f.object).is_some_and(|o| {
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
        match (&pkg, &*export) {
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
                let args = match argument(n, 0, self.ids).map(|a| self.object_items(a, scope, 0)) {
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
        let Some(arg) = argument(n, 0, self.ids) else { return Vec::new() };
        let Val::Object(obj) = self.eval(arg, scope, 0) else { return Vec::new() };
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            match p.kind() {
                "pair"
                    if p.child_by_field_id(self.ids.f.key)
                        .is_some_and(|k| unquote(self.text(k)) == "params") =>
                {
                    if let Some(v) = p.child_by_field_id(self.ids.f.value) {
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

    fn report_call(
        &self,
        n: Node<'t>,
        scope: usize,
        out: &mut Out,
        outgoing: &mut Vec<Outgoing<Val<'static>>>,
    ) {
        let Some(f) = n.child_by_field_id(self.ids.f.function) else { return };
        match self.kind(f) {
            K::MemberExpression => {
                let (Some(obj), Some(prop)) = (
                    f.child_by_field_id(self.ids.f.object),
                    f.child_by_field_id(self.ids.f.property),
                ) else {
                    return;
                };
                let recv = self.eval(obj, scope, 0);
                if let Val::Foreign(..) = recv {
                    let callee = self.member(recv.clone(), self.text(prop));
                    self.outgoing(n, &callee, scope, out, outgoing);
                }
                self.method(n, obj, recv, self.text(prop), scope, out);
            }
            K::SubscriptExpression => {
                let (Some(obj), Some(index)) =
                    (f.child_by_field_id(self.ids.f.object), f.child_by_field_id(self.ids.f.index))
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
            K::Identifier => {
                let name = self.text(f);
                if self.scopes.lookup(scope, name, f.start_byte()).is_none() {
                    return;
                }
                match self.eval(f, scope, 0) {
                    Val::V3Export(pkg, export) => {
                        self.v3_function(n, &pkg, &export, name, scope, out)
                    }
                    callee @ Val::Foreign(..) => self.outgoing(n, &callee, scope, out, outgoing),
                    _ => {}
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
        let Val::Foreign(spec, member) = callee else { return };
        let Some(args) = n.child_by_field_id(self.ids.f.arguments) else { return };
        let mut passed = Vec::new();
        let mut c = args.walk();
        let list = args.named_children(&mut c).filter(|a| self.kind(*a) != K::Comment);
        for (i, a) in list.enumerate() {
            // After a spread, positions are unknown.
            if a.kind() == "spread_element" {
                break;
            }
            self.budget.reset();
            if let Some(v) = detach(&self.eval(a, scope, 0)) {
                passed.push((ArgKey::Position(i), v));
            }
        }
        if !passed.is_empty() {
            outgoing.push(Outgoing {
                spec: spec.to_string(),
                member: member.to_string(),
                args: passed,
                at: out.span(n),
            });
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
            Pkg::Client(s) => &**s,
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
                let service: &str = &sdk.service;
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
                            let name = match argument(n, 0, self.ids)
                                .map(|a| self.eval(a, scope, 0))
                            {
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
                            match argument(n, 0, self.ids).map(|a| self.eval(a, scope, 0)) {
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
            Val::Param | Val::Foreign(..) if is_operation_name(method) => {
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
    Val::Foreign(Rc::from(path), Rc::from(""))
}

/// v2 class (`AWS.CloudWatchLogs`) or client file (`aws-sdk/clients/cloudwatchlogs`)
/// to botocore's client name. Most are the lowercased class name; the
/// table lists the ones that are not (from botocore's `serviceId`s and
/// aws-sdk v2's `clients/all.d.ts`).
fn v2_service(name: &str) -> Rc<str> {
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
    Rc::from(mapped)
}

/// `@aws-sdk/client-<name>` to botocore's client name. Most package names
/// are the botocore name; the table lists the ones that are not (from the
/// Smithy service ids the v3 packages are named after).
fn v3_service(name: &str) -> Rc<str> {
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
    Rc::from(mapped)
}

fn same_client(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Client(x, sx), Val::Client(y, sy)) => x.service == y.service && sx == sy,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// `a.b.c` made of identifiers (and `this`) only.
fn is_dotted(n: Node<'_>, ids: &Ids) -> bool {
    let mut cur = n;
    for _ in 0..8 {
        match ids.g.kind(cur) {
            K::Identifier => return true,
            K::MemberExpression => match cur.child_by_field_id(ids.f.object) {
                Some(o) => cur = o,
                None => return false,
            },
            _ => return cur.kind() == "this",
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

fn argument<'t>(call: Node<'t>, index: usize, ids: &Ids) -> Option<Node<'t>> {
    let args = call.child_by_field_id(ids.f.arguments)?;
    let mut c = args.walk();
    args.named_children(&mut c).filter(|a| ids.g.kind(*a) != K::Comment).nth(index)
}

/// The value as it can cross into another module: clients only.
fn detach(v: &Val<'_>) -> Option<Val<'static>> {
    match v {
        Val::Client(s, style) => Some(Val::Client(s.clone(), *style)),
        _ => None,
    }
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

fn shorten_call(n: Node<'_>, src: &str, ids: &Ids) -> String {
    let f = n.child_by_field_id(ids.f.function).map(|f| text(f, src)).unwrap_or("");
    format!("{}()", super::shorten(f))
}

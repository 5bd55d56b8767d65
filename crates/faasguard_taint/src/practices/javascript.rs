//! Unsafe practices in JavaScript and TypeScript modules.

use std::collections::HashSet;
use std::sync::OnceLock;

use faasguard_code::parse::Language;
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
    Function,
    FormalParameters,
    RequiredParameter,
    AssignmentPattern,
    ObjectPattern,
    ArrayPattern,
    PairPattern,
    ShorthandPattern,
    VariableDeclarator,
    Assignment,
    Call,
    New,
    Arguments,
    Member,
    Subscript,
    Identifier,
    PropertyIdentifier,
    Shorthand,
    String,
    Template,
    Substitution,
    Object,
    Pair,
    Array,
    Spread,
    Binary,
    Ternary,
    /// Parentheses, `await`, `as`, `!` and other wrappers that keep the value.
    Wrapper,
    Catch,
    StatementBlock,
    Return,
    True,
    False,
    Number,
    Field,
    Import,
    ImportClause,
    NamespaceImport,
    NamedImports,
    ImportSpecifier,
    Undefined,
    Null,
    Unary,
}

fn classify_kind(name: &str) -> Option<K> {
    Some(match name {
        "function_declaration"
        | "generator_function_declaration"
        | "function_expression"
        | "function"
        | "generator_function"
        | "arrow_function"
        | "method_definition" => K::Function,
        "formal_parameters" => K::FormalParameters,
        "required_parameter" | "optional_parameter" => K::RequiredParameter,
        "assignment_pattern" => K::AssignmentPattern,
        "object_pattern" => K::ObjectPattern,
        "array_pattern" => K::ArrayPattern,
        "pair_pattern" => K::PairPattern,
        "shorthand_property_identifier_pattern" => K::ShorthandPattern,
        "variable_declarator" => K::VariableDeclarator,
        "assignment_expression" => K::Assignment,
        "call_expression" => K::Call,
        "new_expression" => K::New,
        "arguments" => K::Arguments,
        "member_expression" => K::Member,
        "subscript_expression" => K::Subscript,
        "identifier" => K::Identifier,
        "property_identifier" => K::PropertyIdentifier,
        "shorthand_property_identifier" => K::Shorthand,
        "string" => K::String,
        "template_string" => K::Template,
        "template_substitution" => K::Substitution,
        "object" => K::Object,
        "pair" => K::Pair,
        "array" => K::Array,
        "spread_element" => K::Spread,
        "binary_expression" => K::Binary,
        "ternary_expression" => K::Ternary,
        "parenthesized_expression"
        | "await_expression"
        | "as_expression"
        | "non_null_expression"
        | "satisfies_expression"
        | "type_assertion" => K::Wrapper,
        "catch_clause" => K::Catch,
        "statement_block" => K::StatementBlock,
        "return_statement" => K::Return,
        "true" => K::True,
        "false" => K::False,
        "number" => K::Number,
        "field_definition" | "public_field_definition" => K::Field,
        "import_statement" => K::Import,
        "import_clause" => K::ImportClause,
        "namespace_import" => K::NamespaceImport,
        "named_imports" => K::NamedImports,
        "import_specifier" => K::ImportSpecifier,
        "undefined" => K::Undefined,
        "null" => K::Null,
        "unary_expression" => K::Unary,
        _ => return None,
    })
}

struct F {
    alias: u16,
    alternative: u16,
    arguments: u16,
    body: u16,
    consequence: u16,
    constructor: u16,
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

/// Kind tables per grammar (JavaScript, TypeScript and TSX number their
/// kinds differently), built from the first tree of each.
fn ids_for(language: Language, tree: &tree_sitter::Tree) -> &'static Ids {
    static JS: OnceLock<Ids> = OnceLock::new();
    static TS: OnceLock<Ids> = OnceLock::new();
    static TSX: OnceLock<Ids> = OnceLock::new();
    let cell = match language {
        Language::TypeScript => &TS,
        Language::Tsx => &TSX,
        _ => &JS,
    };
    cell.get_or_init(|| {
        let lang: tree_sitter::Language = tree.language().clone();
        let f = |n| field_id(&lang, n);
        Ids {
            f: F {
                alias: f("alias"),
                alternative: f("alternative"),
                arguments: f("arguments"),
                body: f("body"),
                consequence: f("consequence"),
                constructor: f("constructor"),
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
            g: Grammar::new(&lang, classify_kind, K::Other),
        }
    })
}

const CONSOLE_METHODS: &[&str] = &["log", "info", "warn", "error", "debug", "trace", "dir"];
const LOG_METHODS: &[&str] =
    &["debug", "info", "warn", "warning", "error", "log", "trace", "fatal", "critical"];

/// Calls whose result is their arguments as text or data.
const TRANSPARENT_CALLS: &[&str] = &[
    "stringify",
    "String",
    "inspect",
    "format",
    "join",
    "concat",
    "toString",
    "assign",
    "toUpperCase",
    "toLowerCase",
    "trim",
];

/// Calls whose result says nothing about the value inside.
const OPAQUE_CALLS: &[&str] = &["Boolean", "isArray", "keys", "hasOwnProperty", "includes"];

/// Methods that send a response body (Express, Fastify, Koa helpers, Hapi).
const SEND_METHODS: &[&str] = &["send", "json", "jsonp", "end", "write", "response"];

/// Names a response object goes by.
const RESPONSE_OBJECTS: &[&str] =
    &["res", "response", "resp", "reply", "h", "ctx", "context", "httpResponse"];

struct Js<'a> {
    input: &'a Input<'a>,
    src: &'a str,
    ids: &'static Ids,
    f: &'static F,
    event_params: Names,
    event: Names,
    secret: Names,
    /// Nodes the `catch` block walks may still visit in this module:
    /// nested handlers would otherwise walk the same code again and again.
    budget: std::cell::Cell<usize>,
}

/// Bindings of the JWT libraries in one module.
#[derive(Default)]
struct JwtNames<'a> {
    /// `jsonwebtoken` as an object: `jwt` of `const jwt = require("jsonwebtoken")`.
    objects: HashSet<&'a str>,
    /// `decode` imported from `jsonwebtoken`.
    decoders: HashSet<&'a str>,
    /// `verify` imported from `jsonwebtoken`.
    verifiers: HashSet<&'a str>,
    /// Anything from `jwt-decode` (which never verifies).
    jwt_decode: HashSet<&'a str>,
    /// `decodeJwt` and `jwtVerify` of `jose`, and its namespace.
    jose_decode: HashSet<&'a str>,
    jose_verify: HashSet<&'a str>,
    jose_objects: HashSet<&'a str>,
    /// `errorhandler` (development-only Express middleware).
    errorhandler: HashSet<&'a str>,
}

pub(super) fn scan(input: &Input<'_>, entry: Option<&str>, out: &mut Vec<Practice>) {
    let ids = ids_for(input.module.language, &input.module.tree);
    let src = input.text;
    let tree: &tree_sitter::Tree = &input.module.tree;
    let entry_name = entry.map(|e| e.rsplit('.').next().unwrap_or(e));
    let mut js = Js {
        input,
        src,
        ids,
        f: &ids.f,
        event_params: Names::default(),
        event: Names::default(),
        secret: Names::default(),
        budget: std::cell::Cell::new(0),
    };
    let mut assignments: Vec<(Vec<&str>, Node<'_>)> = Vec::new();
    let mut destructured_event: Vec<&str> = Vec::new();
    let mut jwt = JwtNames::default();
    let visited = util::walk(tree, |n| match js.kind(n) {
        K::Function => {
            let name = js.function_name(n);
            let is_entry = name.is_some() && name == entry_name;
            if let Some(first) = js.first_param(n) {
                match js.kind(first) {
                    K::Identifier => {
                        let p = js.t(first);
                        if p == "event" || is_entry {
                            js.event_params.insert(p);
                        }
                    }
                    K::ObjectPattern | K::ArrayPattern if is_entry => {
                        destructured_event.extend(js.pattern_names(first));
                    }
                    _ => {}
                }
            }
        }
        K::VariableDeclarator => {
            if let (Some(l), Some(r)) = (field(n, js.f.name), field(n, js.f.value)) {
                js.bind_module(l, r, &mut jwt);
                if assignments.len() < MAX_ASSIGNMENTS {
                    let targets = js.pattern_names(l);
                    if !targets.is_empty() {
                        assignments.push((targets, r));
                    }
                }
            }
        }
        K::Assignment => {
            if let (Some(l), Some(r)) = (field(n, js.f.left), field(n, js.f.right))
                && assignments.len() < MAX_ASSIGNMENTS
                && matches!(js.kind(l), K::Identifier | K::ObjectPattern | K::ArrayPattern)
            {
                assignments.push((js.pattern_names(l), r));
            }
        }
        K::Import => js.bind_import(n, &mut jwt),
        _ => {}
    });
    for p in js.event_params.to_vec() {
        js.event.insert(&p);
    }
    for p in destructured_event {
        js.event.insert(p);
    }
    let mut event = std::mem::take(&mut js.event);
    propagate(&mut event, &assignments, |names, v| js.mentions(names, v), |_| true);
    js.event = event;
    let mut secret = Names::default();
    for (targets, value) in &assignments {
        if js.reads_secret(*value) {
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
        |names, v| js.mentions(names, v),
        |t| !secrets::about_a_secret(t),
    );
    js.secret = secret;
    let constants = js.tmp_constants(&assignments);
    let mut verified = false;
    util::walk(tree, |n| verified |= js.kind(n) == K::Call && js.is_jwt_verify(n, &jwt));

    js.budget.set(visited.saturating_mul(4).max(100_000));
    util::walk(tree, |n| match js.kind(n) {
        K::String | K::Template => js.credential(n, out),
        K::Call => {
            js.logging(n, out);
            js.jwt(n, &jwt, verified, out);
            js.debug_call(n, &jwt, out);
            js.tmp_write(n, &constants, out);
            js.promise_catch(n, out);
        }
        K::New => js.debug_new(n, out),
        K::Pair => js.tls_pair(n, out),
        K::Assignment => {
            js.tls_assignment(n, out);
            js.debug_assignment(n, out);
        }
        K::Catch => {
            let param = field(n, js.f.parameter);
            if let Some(body) = field(n, js.f.body) {
                js.error_block(n, param, body, out);
            }
        }
        _ => {}
    });
}

impl<'a> Js<'a> {
    fn kind(&self, n: Node<'_>) -> K {
        self.ids.g.kind(n)
    }

    /// The expression inside parentheses, `await`, `as` (a few levels).
    fn unwrap<'n>(&self, mut n: Node<'n>) -> Node<'n> {
        for _ in 0..MAX_EXPR_DEPTH {
            match named_children(n).first() {
                Some(inner) if self.kind(n) == K::Wrapper => n = *inner,
                _ => break,
            }
        }
        n
    }

    fn t(&self, n: Node<'_>) -> &'a str {
        text(n, self.src)
    }

    /// The name a function is known by: its own, the variable, property
    /// or export it is assigned to, or (for a wrapper such as
    /// `middy(async (event) => ...)`) the variable the wrapper is.
    fn function_name(&self, n: Node<'_>) -> Option<&'a str> {
        if let Some(name) = field(n, self.f.name) {
            return Some(self.t(name));
        }
        let mut cur = n;
        let mut parent = cur.parent()?;
        if self.kind(parent) == K::Arguments {
            cur = parent.parent()?;
            parent = cur.parent()?;
        }
        match self.kind(parent) {
            K::VariableDeclarator => field(parent, self.f.name).map(|x| self.t(x)),
            K::Assignment if field(parent, self.f.right) == Some(cur) => {
                let left = field(parent, self.f.left)?;
                match self.kind(left) {
                    K::Member => field(left, self.f.property).map(|x| self.t(x)),
                    K::Identifier => Some(self.t(left)),
                    _ => None,
                }
            }
            K::Pair => field(parent, self.f.key).map(|k| self.key_text(k)),
            _ => None,
        }
    }

    fn first_param<'n>(&self, f: Node<'n>) -> Option<Node<'n>> {
        if let Some(p) = field(f, self.f.parameter) {
            return Some(p);
        }
        let params = field(f, self.f.parameters)?;
        let first = named_children(params).into_iter().next()?;
        Some(self.unwrap_param(first))
    }

    fn unwrap_param<'n>(&self, p: Node<'n>) -> Node<'n> {
        match self.kind(p) {
            K::RequiredParameter => field(p, self.f.pattern).unwrap_or(p),
            K::AssignmentPattern => field(p, self.f.left).unwrap_or(p),
            _ => p,
        }
    }

    /// The names a binding pattern introduces (bounded).
    fn pattern_names(&self, n: Node<'_>) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if out.len() > 64 || stack.len() > 256 {
                break;
            }
            match self.kind(x) {
                K::Identifier | K::ShorthandPattern => out.push(self.t(x)),
                K::ObjectPattern | K::ArrayPattern => stack.extend(named_children(x)),
                K::PairPattern => stack.extend(field(x, self.f.value)),
                K::AssignmentPattern => stack.extend(field(x, self.f.left)),
                _ => {
                    // Rest patterns `...rest`.
                    if x.kind() == "rest_pattern" {
                        stack.extend(named_children(x));
                    }
                }
            }
        }
        out
    }

    fn key_text(&self, k: Node<'_>) -> &'a str {
        self.literal(k).unwrap_or_else(|| self.t(k))
    }

    fn literal(&self, n: Node<'_>) -> Option<&'a str> {
        match self.kind(n) {
            K::String => literal_raw(n, self.src, false),
            K::Template => literal_raw(n, self.src, self.has_substitution(n)),
            _ => None,
        }
    }

    fn has_substitution(&self, n: Node<'_>) -> bool {
        let mut c = n.walk();
        n.named_children(&mut c).any(|x| self.kind(x) == K::Substitution)
    }

    /// `require("m")` or `await import("m")`: the module name.
    fn required(&self, n: Node<'_>) -> Option<&'a str> {
        let n = if self.kind(n) == K::Wrapper { named_children(n).into_iter().next()? } else { n };
        if self.kind(n) != K::Call {
            return None;
        }
        let callee = field(n, self.f.function)?;
        if !matches!(self.t(callee), "require" | "import") {
            return None;
        }
        let arg = self.arguments(n).into_iter().next()?;
        self.literal(arg)
    }

    fn bind_module(&self, l: Node<'_>, r: Node<'_>, jwt: &mut JwtNames<'a>) {
        let Some(module) = self.required(r) else { return };
        match self.kind(l) {
            K::Identifier => {
                let name = self.t(l);
                self.bind(module, None, name, jwt);
            }
            K::ObjectPattern => {
                for p in named_children(l) {
                    match self.kind(p) {
                        K::ShorthandPattern => self.bind(module, Some(self.t(p)), self.t(p), jwt),
                        K::PairPattern => {
                            if let (Some(k), Some(v)) =
                                (field(p, self.f.key), field(p, self.f.value))
                            {
                                self.bind(module, Some(self.key_text(k)), self.t(v), jwt);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// Records that `local` is `member` (or the whole module when `None`)
    /// of `module`.
    fn bind(&self, module: &str, member: Option<&str>, local: &'a str, jwt: &mut JwtNames<'a>) {
        match (module, member) {
            ("jsonwebtoken", None | Some("default")) => {
                jwt.objects.insert(local);
            }
            ("jsonwebtoken", Some("decode")) => {
                jwt.decoders.insert(local);
            }
            ("jsonwebtoken", Some("verify")) => {
                jwt.verifiers.insert(local);
            }
            ("jwt-decode", _) => {
                jwt.jwt_decode.insert(local);
            }
            ("jose", None) => {
                jwt.jose_objects.insert(local);
            }
            ("jose", Some("decodeJwt")) => {
                jwt.jose_decode.insert(local);
            }
            ("jose", Some("jwtVerify")) => {
                jwt.jose_verify.insert(local);
            }
            ("errorhandler", _) => {
                jwt.errorhandler.insert(local);
            }
            _ => {}
        }
    }

    fn bind_import(&self, n: Node<'_>, jwt: &mut JwtNames<'a>) {
        let Some(module) = field(n, self.f.source).and_then(|s| self.literal(s)) else { return };
        for clause in named_children(n).into_iter().filter(|c| self.kind(*c) == K::ImportClause) {
            for part in named_children(clause) {
                match self.kind(part) {
                    K::Identifier => self.bind(module, None, self.t(part), jwt),
                    K::NamespaceImport => {
                        if let Some(id) = named_children(part).into_iter().next() {
                            self.bind(module, None, self.t(id), jwt);
                        }
                    }
                    K::NamedImports => {
                        for spec in named_children(part) {
                            if self.kind(spec) != K::ImportSpecifier {
                                continue;
                            }
                            let Some(name) = field(spec, self.f.name) else { continue };
                            let local = field(spec, self.f.alias).unwrap_or(name);
                            self.bind(module, Some(self.key_text(name)), self.t(local), jwt);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn arguments<'n>(&self, call: Node<'n>) -> Vec<Node<'n>> {
        field(call, self.f.arguments).map(named_children).unwrap_or_default()
    }

    /// The last name of a callee: `log` of `console.log`, `require`.
    fn callee_name(&self, callee: Node<'_>) -> &'a str {
        match self.kind(callee) {
            K::Member => field(callee, self.f.property).map_or("", |p| self.t(p)),
            K::Identifier => self.t(callee),
            _ => "",
        }
    }

    fn call_name(&self, call: Node<'_>) -> &'a str {
        let callee = match self.kind(call) {
            K::New => field(call, self.f.constructor),
            _ => field(call, self.f.function),
        };
        callee.map_or("", |c| self.callee_name(c))
    }

    /// Whether an expression mentions one of `names`.
    fn mentions(&self, names: &Names, n: Node<'_>) -> bool {
        self.find(n, &mut |me: &Self, x: Node<'_>| {
            matches!(me.kind(x), K::Identifier | K::Shorthand) && names.contains(me.t(x))
        })
        .is_some()
    }

    /// The first node in `n` (bounded) for which `hit` is true, skipping
    /// property names and nested functions.
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
            match self.kind(x) {
                K::Member => stack.extend(field(x, self.f.object)),
                K::Pair => stack.extend(field(x, self.f.value)),
                K::Function => {}
                K::Call => {
                    if !OPAQUE_CALLS.contains(&self.call_name(x)) {
                        stack.extend(field(x, self.f.function));
                        stack.extend(field(x, self.f.arguments));
                    }
                }
                K::Unary if self.t(x).starts_with("typeof") => {}
                _ => {
                    let mut c = x.walk();
                    stack.extend(x.named_children(&mut c));
                }
            }
        }
        None
    }

    /// Whether a value reads a secret: Secrets Manager, SSM with
    /// decryption, Powertools `getSecret`.
    fn reads_secret(&self, value: Node<'_>) -> bool {
        self.find(value, &mut |me: &Self, x: Node<'_>| {
            if !matches!(me.kind(x), K::Call | K::New) {
                return false;
            }
            match me.call_name(x) {
                "getSecretValue" | "GetSecretValueCommand" | "getSecret" => true,
                "getParameter"
                | "getParameters"
                | "getParametersByPath"
                | "GetParameterCommand"
                | "GetParametersCommand"
                | "GetParametersByPathCommand" => me
                    .find(x, &mut |me: &Self, p: Node<'_>| {
                        me.kind(p) == K::Pair
                            && field(p, me.f.key).is_some_and(|k| {
                                matches!(me.key_text(k), "WithDecryption" | "decrypt")
                            })
                            && field(p, me.f.value).is_some_and(|v| me.kind(v) == K::True)
                    })
                    .is_some(),
                _ => false,
            }
        })
        .is_some()
    }

    // ----- hard-coded credentials -------------------------------------

    fn credential(&self, n: Node<'_>, out: &mut Vec<Practice>) {
        let interpolated = self.kind(n) == K::Template && self.has_substitution(n);
        let raw = literal_raw(n, self.src, false).unwrap_or_else(|| self.t(n));
        // Most strings are neither: spare them the climb to their name.
        if secrets::format(raw, Context::Code).is_none()
            && (interpolated || !secrets::maybe_secret(raw))
        {
            return;
        }
        // Module specifiers are never credentials.
        if n.parent().is_some_and(|p| self.kind(p) == K::Import) {
            return;
        }
        let name = if interpolated { None } else { self.target_name(n) };
        let detection = if interpolated {
            secrets::format(raw, Context::Code)
                .map(|what| Detection { what, evidence: Evidence::Format })
        } else {
            secrets::classify(name, raw, Context::Code)
        };
        let Some(d) = detection else { return };
        let message = match name {
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

    /// The name a literal is given (variable, property, key, parameter
    /// default, the variable it is compared with, the environment
    /// variable it is the fallback of).
    fn target_name(&self, lit: Node<'_>) -> Option<&'a str> {
        let mut n = lit;
        let mut parent = n.parent()?;
        while self.kind(parent) == K::Wrapper {
            n = parent;
            parent = n.parent()?;
        }
        match self.kind(parent) {
            K::VariableDeclarator if field(parent, self.f.value) == Some(n) => {
                field(parent, self.f.name)
                    .filter(|x| self.kind(*x) == K::Identifier)
                    .map(|x| self.t(x))
            }
            K::Assignment if field(parent, self.f.right) == Some(n) => {
                self.name_of(field(parent, self.f.left)?)
            }
            K::Pair if field(parent, self.f.value) == Some(n) => {
                field(parent, self.f.key).map(|k| self.key_text(k))
            }
            K::AssignmentPattern | K::RequiredParameter => {
                let target =
                    field(parent, self.f.left).or_else(|| field(parent, self.f.pattern))?;
                (self.kind(target) == K::Identifier).then(|| self.t(target))
            }
            K::Field => field(parent, self.f.name)
                .or_else(|| field(parent, self.f.property))
                .map(|x| self.t(x)),
            K::Binary => {
                let op = field(parent, self.f.operator).map_or("", |o| self.t(o));
                let other = if field(parent, self.f.right) == Some(n) {
                    field(parent, self.f.left)
                } else {
                    field(parent, self.f.right)
                }?;
                match op {
                    "||" | "??" if field(parent, self.f.right) == Some(n) => self.name_of(other),
                    "===" | "==" | "!==" | "!=" => self.name_of(other),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn name_of(&self, target: Node<'_>) -> Option<&'a str> {
        match self.kind(target) {
            K::Identifier => Some(self.t(target)),
            K::Member => field(target, self.f.property).map(|p| self.t(p)),
            K::Subscript => field(target, self.f.index).and_then(|i| self.literal(i)),
            _ => None,
        }
    }

    // ----- logging ------------------------------------------------------

    fn is_log_call(&self, call: Node<'_>) -> bool {
        let Some(callee) = field(call, self.f.function) else { return false };
        if self.kind(callee) != K::Member {
            return false;
        }
        let method = field(callee, self.f.property).map_or("", |p| self.t(p));
        let object = field(callee, self.f.object).map_or("", |o| self.t(o));
        (object == "console" && CONSOLE_METHODS.contains(&method))
            || (LOG_METHODS.contains(&method) && object.to_ascii_lowercase().contains("log"))
            || (method == "write" && matches!(object, "process.stdout" | "process.stderr"))
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
        let callee = field(call, self.f.function)
            .or_else(|| field(call, self.f.constructor))
            .map_or("", |c| self.t(c));
        let callee: String = callee.chars().take(60).collect();
        format!("{callee}(...)")
    }

    fn transparent_children<'n>(&self, n: Node<'n>) -> Vec<Node<'n>> {
        match self.kind(n) {
            K::Template => {
                named_children(n).into_iter().filter(|c| self.kind(*c) == K::Substitution).collect()
            }
            K::Substitution | K::Wrapper | K::Array | K::Spread => named_children(n),
            K::Object => named_children(n)
                .into_iter()
                .filter_map(|c| match self.kind(c) {
                    K::Pair => field(c, self.f.value),
                    K::Shorthand | K::Spread => Some(c),
                    _ => None,
                })
                .collect(),
            K::Binary => {
                [field(n, self.f.left), field(n, self.f.right)].into_iter().flatten().collect()
            }
            K::Ternary => [field(n, self.f.consequence), field(n, self.f.alternative)]
                .into_iter()
                .flatten()
                .collect(),
            K::Call => {
                let callee = field(n, self.f.function);
                if TRANSPARENT_CALLS.contains(&self.call_name(n)) {
                    let mut v = self.arguments(n);
                    if let Some(c) = callee.filter(|c| self.kind(*c) == K::Member) {
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
        if matches!(self.kind(n), K::Identifier | K::Shorthand) {
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
        match self.kind(n) {
            K::Identifier | K::Shorthand => {
                let name = self.t(n);
                return (self.secret.contains(name) || secret_name(name).is_some()).then_some(n);
            }
            K::Member | K::Subscript => {
                let last = match self.kind(n) {
                    K::Member => field(n, self.f.property).map(|p| self.t(p)),
                    _ => field(n, self.f.index).and_then(|i| self.literal(i)),
                };
                if last.is_some_and(|l| matches!(l, "length")) {
                    return None;
                }
                if last.is_some_and(|l| secret_name(l).is_some()) {
                    return Some(n);
                }
                if last.is_some_and(secrets::about_a_secret) {
                    return None;
                }
                let object = field(n, self.f.object)?;
                return self.reaches_secret_object(object, depth + 1).map(|_| n);
            }
            _ => {}
        }
        self.transparent_children(n).into_iter().find_map(|c| self.reaches_secret(c, depth + 1))
    }

    fn reaches_secret_object<'n>(&self, n: Node<'n>, depth: usize) -> Option<Node<'n>> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        match self.kind(n) {
            K::Identifier => self.secret.contains(self.t(n)).then_some(n),
            K::Member | K::Subscript => {
                field(n, self.f.object).and_then(|o| self.reaches_secret_object(o, depth + 1))
            }
            K::Wrapper => named_children(n)
                .into_iter()
                .next()
                .and_then(|o| self.reaches_secret_object(o, depth + 1)),
            _ => None,
        }
    }

    // ----- TLS ----------------------------------------------------------

    fn tls_pair(&self, pair: Node<'_>, out: &mut Vec<Practice>) {
        let (Some(k), Some(v)) = (field(pair, self.f.key), field(pair, self.f.value)) else {
            return;
        };
        let off = match self.key_text(k) {
            "rejectUnauthorized" | "strictSSL" => self.kind(v) == K::False,
            "checkServerIdentity" => self.kind(v) == K::Function && self.does_nothing(v),
            _ => false,
        };
        if off {
            report(
                out,
                self.input,
                PracticeKind::TlsVerificationDisabled,
                pair,
                format!("`{}` turns off certificate verification", snippet(pair, self.src)),
                true,
            );
        }
    }

    /// `() => undefined`, `() => {}`, `function () { return undefined; }`.
    fn does_nothing(&self, f: Node<'_>) -> bool {
        let Some(body) = field(f, self.f.body) else { return false };
        match self.kind(body) {
            K::Undefined | K::Null => true,
            K::StatementBlock => {
                let stmts = named_children(body);
                stmts.is_empty()
                    || (stmts.len() == 1
                        && stmts.first().is_some_and(|s| {
                            self.kind(*s) == K::Return
                                && named_children(*s)
                                    .first()
                                    .is_none_or(|v| matches!(self.kind(*v), K::Undefined | K::Null))
                        }))
            }
            _ => false,
        }
    }

    fn tls_assignment(&self, n: Node<'_>, out: &mut Vec<Practice>) {
        let (Some(l), Some(r)) = (field(n, self.f.left), field(n, self.f.right)) else { return };
        let target = self.name_of(l).unwrap_or("");
        let off = match target {
            "NODE_TLS_REJECT_UNAUTHORIZED" => {
                self.literal(r) == Some("0") || (self.kind(r) == K::Number && self.t(r) == "0")
            }
            "rejectUnauthorized" | "strictSSL" => self.kind(r) == K::False,
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

    fn is_jwt_verify(&self, call: Node<'_>, jwt: &JwtNames<'_>) -> bool {
        let Some(callee) = field(call, self.f.function) else { return false };
        match self.kind(callee) {
            K::Member => {
                let object = field(callee, self.f.object).map_or("", |o| self.t(o));
                let method = field(callee, self.f.property).map_or("", |p| self.t(p));
                (jwt.objects.contains(object) && method == "verify")
                    || (jwt.jose_objects.contains(object) && method == "jwtVerify")
            }
            K::Identifier => {
                let name = self.t(callee);
                jwt.verifiers.contains(name) || jwt.jose_verify.contains(name)
            }
            _ => false,
        }
    }

    fn jwt(&self, call: Node<'_>, jwt: &JwtNames<'_>, verified: bool, out: &mut Vec<Practice>) {
        let Some(callee) = field(call, self.f.function) else { return };
        let (object, method) = match self.kind(callee) {
            K::Member => (
                field(callee, self.f.object).map_or("", |o| self.t(o)),
                field(callee, self.f.property).map_or("", |p| self.t(p)),
            ),
            K::Identifier => ("", self.t(callee)),
            _ => return,
        };
        let why = if (jwt.objects.contains(object) && method == "decode")
            || (object.is_empty() && jwt.decoders.contains(method))
        {
            (!verified).then_some(
                "`jsonwebtoken`'s `decode`, and nothing in this module calls `verify`: `decode` never checks the signature",
            )
        } else if object.is_empty() && jwt.jwt_decode.contains(method) {
            Some("`jwt-decode`, which never checks the signature")
        } else if (jwt.jose_objects.contains(object) && method == "decodeJwt")
            || (object.is_empty() && jwt.jose_decode.contains(method))
        {
            (!verified)
                .then_some("`jose`'s `decodeJwt`, and nothing in this module calls `jwtVerify`")
        } else if self.is_jwt_verify(call, jwt) && self.allows_none(call) {
            Some("the `none` algorithm allowed, which accepts unsigned tokens")
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
                    "`{}` decodes a JWT with {why}; its claims can be forged by anyone",
                    self.snippet_call(call)
                ),
                true,
            );
        }
    }

    fn allows_none(&self, call: Node<'_>) -> bool {
        self.arguments(call).into_iter().any(|a| {
            self.kind(a) == K::Object
                && named_children(a).into_iter().any(|p| {
                    self.kind(p) == K::Pair
                        && field(p, self.f.key).is_some_and(|k| self.key_text(k) == "algorithms")
                        && field(p, self.f.value).is_some_and(|v| {
                            named_children(v).into_iter().any(|x| {
                                self.literal(x).is_some_and(|s| s.eq_ignore_ascii_case("none"))
                            })
                        })
                })
        })
    }

    // ----- debug mode -----------------------------------------------------

    fn debug_call(&self, call: Node<'_>, names: &JwtNames<'_>, out: &mut Vec<Practice>) {
        let Some(callee) = field(call, self.f.function) else { return };
        let method = self.callee_name(callee);
        let args = self.arguments(call);
        let on = match method {
            "set" if self.kind(callee) == K::Member => {
                args.first().and_then(|a| self.literal(*a)) == Some("env")
                    && args.get(1).and_then(|a| self.literal(*a)) == Some("development")
            }
            "use" => args.iter().any(|a| {
                self.kind(*a) == K::Call
                    && field(*a, self.f.function)
                        .is_some_and(|f| names.errorhandler.contains(self.t(f)))
            }),
            _ => false,
        };
        if on {
            report(
                out,
                self.input,
                PracticeKind::DebugMode,
                call,
                format!(
                    "`{}` runs the app in development mode: errors are answered with stack traces",
                    snippet(call, self.src)
                ),
                true,
            );
        }
    }

    fn debug_new(&self, n: Node<'_>, out: &mut Vec<Practice>) {
        if !matches!(self.call_name(n), "ApolloServer") {
            return;
        }
        let on = self.arguments(n).into_iter().any(|a| {
            self.kind(a) == K::Object
                && named_children(a).into_iter().any(|p| {
                    self.kind(p) == K::Pair
                        && field(p, self.f.key).is_some_and(|k| self.key_text(k) == "debug")
                        && field(p, self.f.value).is_some_and(|v| self.kind(v) == K::True)
                })
        });
        if on {
            report(
                out,
                self.input,
                PracticeKind::DebugMode,
                n,
                "`new ApolloServer({ debug: true })` puts stack traces in GraphQL error responses"
                    .to_string(),
                true,
            );
        }
    }

    fn debug_assignment(&self, n: Node<'_>, out: &mut Vec<Practice>) {
        let (Some(l), Some(r)) = (field(n, self.f.left), field(n, self.f.right)) else { return };
        if self.name_of(l) == Some("NODE_ENV")
            && self.t(l).starts_with("process.env")
            && self.literal(r) == Some("development")
        {
            report(
                out,
                self.input,
                PracticeKind::DebugMode,
                n,
                format!(
                    "`{}` runs frameworks in development mode: errors are answered with stack traces",
                    snippet(n, self.src)
                ),
                true,
            );
        }
    }

    // ----- /tmp -----------------------------------------------------------

    fn tmp_constants(&self, assignments: &[(Vec<&'a str>, Node<'a>)]) -> HashSet<&'a str> {
        let mut fixed = HashSet::new();
        let mut other = HashSet::new();
        for (targets, value) in assignments {
            if let [t] = targets.as_slice() {
                if self.fixed_tmp(*value, &HashSet::new()) {
                    fixed.insert(*t);
                } else {
                    other.insert(*t);
                }
            }
        }
        fixed.retain(|k| !other.contains(k));
        fixed
    }

    fn fixed_tmp(&self, n: Node<'_>, constants: &HashSet<&str>) -> bool {
        let n = self.unwrap(n);
        match self.kind(n) {
            K::String | K::Template => self
                .literal(n)
                .is_some_and(|s| s.starts_with("/tmp/") && s.len() > 5 && !s.ends_with('/')),
            K::Identifier => constants.contains(self.t(n)),
            K::Call => {
                let callee = field(n, self.f.function).map_or("", |c| self.t(c));
                if !matches!(callee, "path.join" | "path.resolve" | "join" | "resolve") {
                    return false;
                }
                let args = self.arguments(n);
                let Some((first, rest)) = args.split_first() else { return false };
                let dir = self.literal(*first).is_some_and(|s| s == "/tmp" || s == "/tmp/")
                    || matches!(self.t(*first), "os.tmpdir()" | "tmpdir()");
                dir && !rest.is_empty() && rest.iter().all(|a| self.literal(*a).is_some())
            }
            K::Binary => {
                let (Some(l), Some(r)) = (field(n, self.f.left), field(n, self.f.right)) else {
                    return false;
                };
                field(n, self.f.operator).is_some_and(|o| self.t(o) == "+")
                    && (self.literal(l).is_some_and(|s| s == "/tmp/")
                        || self.fixed_tmp(l, constants))
                    && self.literal(r).is_some()
            }
            _ => false,
        }
    }

    fn tmp_write(&self, call: Node<'_>, constants: &HashSet<&str>, out: &mut Vec<Practice>) {
        let name = self.call_name(call);
        if !matches!(
            name,
            "writeFileSync"
                | "writeFile"
                | "appendFileSync"
                | "appendFile"
                | "outputFile"
                | "outputFileSync"
                | "writeJson"
                | "writeJsonSync"
        ) {
            return;
        }
        let args = self.arguments(call);
        let (Some(path), Some(data)) = (args.first(), args.get(1)) else { return };
        if !self.fixed_tmp(*path, constants) {
            return;
        }
        let what = if let Some(hit) = self.find(*data, &mut |me: &Self, x: Node<'_>| {
            matches!(me.kind(x), K::Identifier | K::Shorthand)
                && (me.secret.contains(me.t(x)) || secret_name(me.t(x)).is_some())
        }) {
            format!("a secret (`{}`)", self.t(hit))
        } else if let Some(hit) = self.find(*data, &mut |me: &Self, x: Node<'_>| {
            matches!(me.kind(x), K::Identifier | K::Shorthand) && me.event.contains(me.t(x))
        }) {
            format!("event data (`{}`)", self.t(hit))
        } else {
            return;
        };
        let shown = self.literal(*path).map_or_else(|| self.t(*path).to_string(), str::to_string);
        report(
            out,
            self.input,
            PracticeKind::TmpReuse,
            call,
            format!(
                "`{}` writes {what} to `{shown}`, a fixed path: `/tmp` outlives the invocation, \
                 so the next event handled by this execution environment finds it (and a mix-up \
                 serves one caller's data to another)",
                self.snippet_call(call)
            ),
            true,
        );
    }

    // ----- error details ------------------------------------------------

    /// `promise.catch((err) => res.status(500).send(err.message))`.
    fn promise_catch(&self, call: Node<'_>, out: &mut Vec<Practice>) {
        if self.call_name(call) != "catch"
            || field(call, self.f.function).is_none_or(|c| self.kind(c) != K::Member)
        {
            return;
        }
        for a in self.arguments(call) {
            if self.kind(a) == K::Function
                && let Some(body) = field(a, self.f.body)
            {
                let param = self.first_param(a);
                self.error_block(a, param, body, out);
            }
        }
    }

    fn error_block(
        &self,
        clause: Node<'_>,
        param: Option<Node<'_>>,
        body: Node<'_>,
        out: &mut Vec<Practice>,
    ) {
        let mut e: Option<&str> = None;
        let mut details: HashSet<&str> = HashSet::new();
        if let Some(p) = param {
            match self.kind(p) {
                K::Identifier => e = Some(self.t(p)),
                K::ObjectPattern => {
                    for name in self.pattern_names(p) {
                        if matches!(name, "message" | "stack") {
                            details.insert(name);
                        }
                    }
                }
                _ => {}
            }
        }
        if e.is_none() && details.is_empty() {
            return;
        }
        let mut nodes = Vec::new();
        let mut stack = vec![body];
        while let Some(x) = stack.pop() {
            let left = self.budget.get();
            if nodes.len() > 20_000 || left == 0 {
                break;
            }
            self.budget.set(left - 1);
            nodes.push(x);
            // A nested function is its own scope, unless the body is an expression.
            if self.kind(x) != K::Function || x == body {
                let mut c = x.walk();
                stack.extend(x.named_children(&mut c));
            }
        }
        nodes.reverse();
        for _ in 0..2 {
            for &x in &nodes {
                let (l, r) = match self.kind(x) {
                    K::VariableDeclarator => (field(x, self.f.name), field(x, self.f.value)),
                    K::Assignment => (field(x, self.f.left), field(x, self.f.right)),
                    _ => continue,
                };
                if let (Some(l), Some(r)) = (l, r)
                    && self.kind(l) == K::Identifier
                    && self.detail(r, e, &details, false, 0).is_some()
                {
                    details.insert(self.t(l));
                }
            }
        }
        let clause_head = match self.kind(clause) {
            K::Catch => match e {
                Some(e) => format!("catch ({e})"),
                None => "catch".to_string(),
            },
            _ => ".catch(...)".to_string(),
        };
        let mut reported = 0;
        for &x in &nodes {
            let value = match self.kind(x) {
                K::Return => {
                    named_children(x).into_iter().next().filter(|v| self.http_response(*v))
                }
                // An arrow function's expression body is its return value.
                _ if x == body && self.kind(x) != K::StatementBlock => {
                    Some(x).filter(|v| self.sends(*v) || self.http_response(*v))
                }
                K::Call => Some(x).filter(|v| self.sends(*v)),
                K::Assignment => {
                    let l = field(x, self.f.left);
                    let response_slot = l.is_some_and(|l| {
                        self.kind(l) == K::Member
                            && match field(l, self.f.property).map(|p| self.t(p)) {
                                Some("body") => true,
                                Some("res") => {
                                    field(l, self.f.object).is_some_and(|o| self.t(o) == "context")
                                }
                                _ => false,
                            }
                    });
                    if response_slot { field(x, self.f.right) } else { None }
                }
                _ => None,
            };
            let Some(value) = value else { continue };
            let checked = if self.kind(value) == K::Call && self.sends(value) {
                self.arguments(value)
                    .into_iter()
                    .find_map(|a| self.detail(a, e, &details, false, 0))
            } else if self.kind(value) == K::Call && self.callback_call(value) {
                self.arguments(value)
                    .into_iter()
                    .nth(1)
                    .and_then(|a| self.detail(a, e, &details, false, 0))
            } else {
                self.detail(value, e, &details, false, 0)
            };
            if let Some(hit) = checked {
                reported += 1;
                if reported > 3 {
                    return;
                }
                report(
                    out,
                    self.input,
                    PracticeKind::ErrorDetailsReturned,
                    x,
                    format!(
                        "`{clause_head}` sends the error's details (`{}`) back in the response: \
                         messages and stack traces tell an attacker about the code, its \
                         libraries, queries and paths",
                        snippet(hit, self.src)
                    ),
                    true,
                );
            }
        }
    }

    /// `res.status(500).json(...)`, `res.send(...)`, `reply.code(500).send(...)`,
    /// `callback(null, {...})`.
    fn sends(&self, call: Node<'_>) -> bool {
        if self.kind(call) != K::Call {
            return false;
        }
        if self.callback_call(call) {
            return true;
        }
        let Some(callee) = field(call, self.f.function) else { return false };
        if self.kind(callee) != K::Member {
            return false;
        }
        let method = field(callee, self.f.property).map_or("", |p| self.t(p));
        if !SEND_METHODS.contains(&method) {
            return false;
        }
        // The receiver: `res`, or a chain of calls on it (`res.status(500)`).
        let mut object = field(callee, self.f.object);
        for _ in 0..8 {
            let Some(o) = object else { return false };
            match self.kind(o) {
                K::Identifier => return RESPONSE_OBJECTS.contains(&self.t(o)),
                K::Member => {
                    return field(o, self.f.property)
                        .is_some_and(|p| matches!(self.t(p), "res" | "response"));
                }
                K::Call => {
                    object = field(o, self.f.function)
                        .filter(|f| self.kind(*f) == K::Member)
                        .and_then(|f| field(f, self.f.object));
                }
                _ => return false,
            }
        }
        false
    }

    /// `callback(null, response)` with a Lambda proxy result.
    fn callback_call(&self, call: Node<'_>) -> bool {
        let name = field(call, self.f.function)
            .filter(|c| self.kind(*c) == K::Identifier)
            .map_or("", |c| self.t(c));
        matches!(name, "callback" | "cb" | "done")
            && self.arguments(call).get(1).is_some_and(|a| self.http_response(*a))
    }

    /// A Lambda proxy result (`statusCode`/`body`), a `Response`, or a
    /// response helper's result.
    fn http_response(&self, v: Node<'_>) -> bool {
        let v = self.unwrap(v);
        match self.kind(v) {
            K::Object => named_children(v).into_iter().any(|p| {
                self.kind(p) == K::Pair
                    && field(p, self.f.key)
                        .is_some_and(|k| matches!(self.key_text(k), "statusCode" | "body"))
            }),
            K::Call | K::New => {
                let name = self.call_name(v).to_ascii_lowercase();
                let callee = field(v, self.f.function)
                    .or_else(|| field(v, self.f.constructor))
                    .map_or("", |c| self.t(c));
                name.contains("response")
                    || name.contains("respond")
                    || name.contains("reply")
                    || callee.contains("Response.")
            }
            _ => false,
        }
    }

    /// The part of `n` that carries the error's details: `e.message`,
    /// `e.stack`, `String(e)`, `${e}`, `"x" + e`, a name assigned from them.
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
        match self.kind(n) {
            K::Identifier | K::Shorthand => {
                let t = self.t(n);
                return ((stringified && Some(t) == e) || names.contains(t)).then_some(n);
            }
            K::Member => {
                let object = field(n, self.f.object);
                let prop = field(n, self.f.property).map_or("", |p| self.t(p));
                if e.is_some()
                    && object.map(|o| self.t(o)) == e
                    && matches!(prop, "message" | "stack")
                {
                    return Some(n);
                }
                if prop == "stack" {
                    return Some(n);
                }
                return None;
            }
            K::Call => {
                let callee = field(n, self.f.function);
                let name = callee.map_or("", |c| self.callee_name(c));
                if name == "toString"
                    && let Some(c) = callee.filter(|c| self.kind(*c) == K::Member)
                    && e.is_some()
                    && field(c, self.f.object).map(|o| self.t(o)) == e
                {
                    return Some(n);
                }
                if OPAQUE_CALLS.contains(&name) {
                    return None;
                }
                let strings = matches!(name, "String" | "inspect" | "format");
                return self
                    .arguments(n)
                    .into_iter()
                    .find_map(|c| self.detail(c, e, names, stringified || strings, depth + 1))
                    .map(|h| if strings && self.kind(h) == K::Identifier { n } else { h });
            }
            K::Substitution => {
                return named_children(n)
                    .into_iter()
                    .find_map(|c| self.detail(c, e, names, true, depth + 1))
                    .map(|h| if self.kind(h) == K::Identifier { n } else { h });
            }
            K::Binary => {
                let op = field(n, self.f.operator).map_or("", |o| self.t(o));
                let s = stringified || op == "+";
                return [field(n, self.f.left), field(n, self.f.right)]
                    .into_iter()
                    .flatten()
                    .find_map(|c| self.detail(c, e, names, s, depth + 1));
            }
            K::Pair => {
                return field(n, self.f.value)
                    .and_then(|v| self.detail(v, e, names, stringified, depth + 1));
            }
            K::Function => return None,
            _ => {}
        }
        named_children(n).into_iter().find_map(|c| self.detail(c, e, names, stringified, depth + 1))
    }
}

//! Expression evaluation in a module instance.
//!
//! Only what is knowable from the files is computed: literals, variables
//! (module inputs, variable files, defaults), locals, module outputs of
//! followed modules, functions of known arguments and conditionals with a
//! known condition. Everything else becomes [`Kind::Unknown`] with a
//! rendering that keeps the referenced address, never a guess.

use std::collections::{HashMap, HashSet};

use faasguard_model::Note;
use faasguard_source::{FileId, SourceDb, Span};
use faasguard_syntax::{ParseError, ParseErrorKind};
use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};

use super::value::{Field, Kind, Value, number_text};
use super::{Input, Instance, span};

/// Most expressions evaluated for one module load.
const MAX_STEPS: usize = 1_000_000;
/// Deepest evaluation recursion (nested expressions, locals, templates).
const MAX_DEPTH: usize = 96;
/// Largest value (in nodes) an expression may build.
pub(crate) const MAX_WEIGHT: usize = 100_000;
/// Longest string an expression may build.
const MAX_STRING: usize = 1 << 20;

/// Names bound while evaluating (`each`, `count`, `for` variables,
/// `dynamic` iterators, template variables).
pub(crate) type Scope = [(String, Value)];

/// The evaluator of one module load.
pub(crate) struct Eval<'a> {
    pub(crate) db: &'a SourceDb,
    pub(crate) insts: Vec<Instance<'a>>,
    locals: HashMap<(usize, String), Value>,
    vars: HashMap<(usize, String), Value>,
    outputs: HashMap<(usize, String), Value>,
    /// Locals, variables and outputs being evaluated, innermost last.
    stack: Vec<(usize, String)>,
    cycles: HashSet<String>,
    pub(crate) errors: Vec<ParseError>,
    pub(crate) notes: Vec<Note>,
    steps: usize,
    depth: usize,
    limit_noted: bool,
}

impl<'a> Eval<'a> {
    pub(crate) fn new(db: &'a SourceDb, insts: Vec<Instance<'a>>) -> Self {
        Eval {
            db,
            insts,
            locals: HashMap::new(),
            vars: HashMap::new(),
            outputs: HashMap::new(),
            stack: Vec::new(),
            cycles: HashSet::new(),
            errors: Vec::new(),
            notes: Vec::new(),
            steps: 0,
            depth: 0,
            limit_noted: false,
        }
    }

    /// The source text of a span, whitespace collapsed, for renderings.
    pub(crate) fn source(&self, at: Span) -> String {
        let text = self.db.get(at.file).map(|f| f.slice(at)).unwrap_or("");
        let mut out = String::new();
        for w in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
            if out.len() > 200 {
                out.push_str("...");
                break;
            }
        }
        out
    }

    fn opaque(&self, at: Span) -> Value {
        Value::unknown(format!("${{{}}}", self.source(at)), at)
    }

    fn over_limit(&mut self, at: Span) -> bool {
        self.steps += 1;
        if self.steps <= MAX_STEPS && self.depth <= MAX_DEPTH {
            return false;
        }
        if !self.limit_noted {
            self.limit_noted = true;
            self.notes.push(Note {
                span: at,
                message: "evaluation limit reached (expressions too large or too deeply nested); \
                          remaining values are unresolved"
                    .into(),
            });
        }
        true
    }

    /// Evaluates an expression of `file` in instance `inst`.
    pub(crate) fn eval(
        &mut self,
        inst: usize,
        file: FileId,
        expr: &Expression,
        scope: &Scope,
    ) -> Value {
        let at = span(file, expr.span());
        if self.over_limit(at) {
            return self.opaque(at);
        }
        self.depth += 1;
        let v = self.eval_inner(inst, file, expr, scope, at);
        self.depth -= 1;
        v
    }

    fn eval_inner(
        &mut self,
        inst: usize,
        file: FileId,
        expr: &Expression,
        scope: &Scope,
        at: Span,
    ) -> Value {
        match expr {
            Expression::Null(_) => Value::new(Kind::Null, at),
            Expression::Bool(b) => Value::new(Kind::Bool(*b.value()), at),
            Expression::Number(n) => {
                Value::new(Kind::Number(n.value().as_f64().unwrap_or(0.0)), at)
            }
            Expression::String(s) => Value::string(s.value().clone(), at),
            Expression::Array(a) => {
                let items = a.iter().map(|e| self.eval(inst, file, e, scope)).collect();
                self.bounded(Value::new(Kind::List(items), at))
            }
            Expression::Object(o) => {
                let mut fields = Vec::new();
                for (k, v) in o.iter() {
                    let key_span = span(file, k.span());
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(e) => {
                            // A parenthesised or bare identifier key is that name in Terraform.
                            match e {
                                Expression::Variable(id) => id.as_str().to_string(),
                                e => {
                                    let kv = self.eval(inst, file, e, scope);
                                    match kv.as_text() {
                                        Some(t) => t,
                                        None => kv.rendering(),
                                    }
                                }
                            }
                        }
                    };
                    let value = self.eval(inst, file, v.expr(), scope);
                    fields.push(Field { key, key_span, value });
                }
                self.bounded(Value::new(Kind::Object(fields), at))
            }
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                self.template(inst, file, &elements, scope, at)
            }
            Expression::HeredocTemplate(h) => {
                let elements: Vec<&Element> = h.template.iter().collect();
                self.template(inst, file, &elements, scope, at)
            }
            Expression::Parenthesis(p) => self.eval(inst, file, p.inner(), scope),
            Expression::Variable(id) => match scope.iter().rev().find(|(n, _)| n == id.as_str()) {
                Some((_, v)) => v.clone(),
                None => Value::unknown(format!("${{{}}}", id.as_str()), at),
            },
            Expression::Conditional(c) => {
                let cond = self.eval(inst, file, &c.cond_expr, scope);
                match cond.as_bool() {
                    Some(true) => self.eval(inst, file, &c.true_expr, scope),
                    Some(false) => self.eval(inst, file, &c.false_expr, scope),
                    None => self.opaque(at),
                }
            }
            Expression::FuncCall(call) => super::functions::call(self, inst, file, call, scope, at),
            Expression::Traversal(t) => {
                self.traversal(inst, file, &t.expr, &t.operators, scope, at)
            }
            Expression::UnaryOp(op) => {
                let v = self.eval(inst, file, &op.expr, scope);
                match (op.operator.value(), &v.kind) {
                    (UnaryOperator::Not, _) if v.as_bool().is_some() => {
                        Value::new(Kind::Bool(!v.as_bool().unwrap_or(false)), at)
                    }
                    (UnaryOperator::Neg, Kind::Number(n)) => Value::new(Kind::Number(-n), at),
                    _ => self.opaque(at),
                }
            }
            Expression::BinaryOp(op) => {
                let l = self.eval(inst, file, &op.lhs_expr, scope);
                let r = self.eval(inst, file, &op.rhs_expr, scope);
                binary(*op.operator.value(), &l, &r, at).unwrap_or_else(|| self.opaque(at))
            }
            Expression::ForExpr(f) => self.for_expr(inst, file, f, scope, at),
        }
    }

    /// Replaces values over the size limit with an unresolved rendering.
    fn bounded(&mut self, v: Value) -> Value {
        let w = v.weight();
        self.steps += w / 32;
        if w > MAX_WEIGHT {
            if !self.limit_noted {
                self.limit_noted = true;
                self.notes.push(Note {
                    span: v.span,
                    message: "a value grew over the expansion limit; it is unresolved".into(),
                });
            }
            return Value::unknown("${<value over the expansion limit>}", v.span);
        }
        v
    }

    /// Evaluates template elements: a lone interpolation keeps its value's
    /// type, as in Terraform; otherwise the parts are joined into a string,
    /// unresolved when any part is.
    pub(crate) fn template(
        &mut self,
        inst: usize,
        file: FileId,
        elements: &[&Element],
        scope: &Scope,
        at: Span,
    ) -> Value {
        if let [Element::Interpolation(i)] = elements {
            return self.eval(inst, file, &i.expr, scope);
        }
        let mut out = String::new();
        let mut known = true;
        for e in elements {
            match e {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(inst, file, &i.expr, scope);
                    known &= self.push_text(&v, &mut out);
                }
                Element::Directive(d) => match &**d {
                    Directive::If(d) => {
                        let cond = self.eval(inst, file, &d.if_expr.cond_expr, scope);
                        let branch = match cond.as_bool() {
                            Some(true) => Some(&d.if_expr.template),
                            Some(false) => d.else_expr.as_ref().map(|e| &e.template),
                            None => {
                                known = false;
                                out.push_str(&format!("${{{}}}", self.source(at)));
                                None
                            }
                        };
                        if let Some(t) = branch {
                            let v = self.sub_template(inst, file, t, scope, at);
                            known &= self.push_text(&v, &mut out);
                        }
                    }
                    Directive::For(d) => {
                        let coll = self.eval(inst, file, &d.for_expr.collection_expr, scope);
                        let pairs = iterate(&coll);
                        match pairs {
                            Some(pairs) => {
                                for (k, v) in pairs.into_iter().take(1000) {
                                    let mut inner: Vec<(String, Value)> = scope.to_vec();
                                    if let Some(kv) = &d.for_expr.key_var {
                                        inner.push((kv.as_str().to_string(), k));
                                    }
                                    inner.push((d.for_expr.value_var.as_str().to_string(), v));
                                    let v = self.sub_template(
                                        inst,
                                        file,
                                        &d.for_expr.template,
                                        &inner,
                                        at,
                                    );
                                    known &= self.push_text(&v, &mut out);
                                    if out.len() > MAX_STRING {
                                        break;
                                    }
                                }
                            }
                            None => {
                                known = false;
                                out.push_str(&format!("${{{}}}", self.source(coll.span)));
                            }
                        }
                    }
                },
            }
            if out.len() > MAX_STRING {
                return Value::unknown("${<string over the expansion limit>}", at);
            }
        }
        if known { Value::string(out, at) } else { Value::unknown(out, at) }
    }

    fn sub_template(
        &mut self,
        inst: usize,
        file: FileId,
        t: &Template,
        scope: &Scope,
        at: Span,
    ) -> Value {
        let elements: Vec<&Element> = t.iter().collect();
        if self.over_limit(at) {
            return Value::unknown("${...}", at);
        }
        self.depth += 1;
        let mut v = self.template(inst, file, &elements, scope, at);
        self.depth -= 1;
        if let [Element::Interpolation(_)] = elements.as_slice()
            && let Some(t) = v.as_text()
        {
            v = Value::string(t, at);
        }
        v
    }

    /// Appends a value's text; returns whether it was known.
    fn push_text(&self, v: &Value, out: &mut String) -> bool {
        match v.as_text() {
            Some(t) => {
                out.push_str(&t);
                true
            }
            None if v.is_null() => true,
            None => {
                let r = v.rendering();
                if r.starts_with("${") {
                    out.push_str(&r);
                } else {
                    out.push_str(&format!("${{{r}}}"));
                }
                false
            }
        }
    }

    fn for_expr(
        &mut self,
        inst: usize,
        file: FileId,
        f: &hcl_edit::expr::ForExpr,
        scope: &Scope,
        at: Span,
    ) -> Value {
        let coll = self.eval(inst, file, &f.intro.collection_expr, scope);
        let Some(pairs) = iterate(&coll) else { return self.opaque(at) };
        let mut items = Vec::new();
        let mut fields: Vec<Field> = Vec::new();
        for (k, v) in pairs.into_iter().take(10_000) {
            let mut inner: Vec<(String, Value)> = scope.to_vec();
            if let Some(kv) = &f.intro.key_var {
                inner.push((kv.as_str().to_string(), k));
            }
            inner.push((f.intro.value_var.as_str().to_string(), v));
            if let Some(c) = &f.cond {
                match self.eval(inst, file, &c.expr, &inner).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return self.opaque(at),
                }
            }
            let value = self.eval(inst, file, &f.value_expr, &inner);
            match &f.key_expr {
                Some(ke) => {
                    let key = self.eval(inst, file, ke, &inner);
                    let Some(key_text) = key.as_text() else { return self.opaque(at) };
                    if f.grouping {
                        match fields.iter_mut().find(|x| x.key == key_text) {
                            Some(x) => {
                                if let Kind::List(l) = &mut x.value.kind {
                                    l.push(value);
                                }
                            }
                            None => fields.push(Field {
                                key: key_text,
                                key_span: key.span,
                                value: Value::new(Kind::List(vec![value]), at),
                            }),
                        }
                    } else {
                        fields.push(Field { key: key_text, key_span: key.span, value });
                    }
                }
                None => items.push(value),
            }
            if self.over_limit(at) {
                return self.opaque(at);
            }
        }
        let v = if f.key_expr.is_some() { Kind::Object(fields) } else { Kind::List(items) };
        self.bounded(Value::new(v, at))
    }

    fn traversal(
        &mut self,
        inst: usize,
        file: FileId,
        root: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        scope: &Scope,
        at: Span,
    ) -> Value {
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str().to_string()),
            _ => None,
        };
        let prefix = self.insts[inst].prefix.clone();
        let (base, rest) = match root {
            Expression::Variable(id) => {
                let name = id.as_str();
                if let Some((_, v)) = scope.iter().rev().find(|(n, _)| n == name) {
                    (v.clone(), 0)
                } else {
                    match name {
                        "var" => match attr(0) {
                            Some(n) => (self.var(inst, &n, at), 1),
                            None => return self.opaque(at),
                        },
                        "local" => match attr(0) {
                            Some(n) => (self.local(inst, &n, at), 1),
                            None => return self.opaque(at),
                        },
                        "module" => match (attr(0), attr(1)) {
                            (Some(m), Some(out)) => (self.output(inst, &m, &out, at), 2),
                            (Some(m), None) => {
                                (Value::unknown(format!("${{{prefix}module.{m}}}"), at), 1)
                            }
                            _ => return self.opaque(at),
                        },
                        "path" => match attr(0).as_deref() {
                            Some("module") => (Value::string(self.insts[inst].dir.clone(), at), 1),
                            Some("root" | "cwd") => {
                                (Value::string(self.insts[0].dir.clone(), at), 1)
                            }
                            _ => return self.opaque(at),
                        },
                        "data" => match (attr(0), attr(1)) {
                            (Some(t), Some(n)) => {
                                (Value::unknown(format!("${{{prefix}data.{t}.{n}}}"), at), 2)
                            }
                            _ => return self.opaque(at),
                        },
                        "terraform" | "count" | "each" | "self" => {
                            (Value::unknown(format!("${{{name}}}"), at), 0)
                        }
                        ty => match attr(0) {
                            // A resource: `aws_iam_role.r.arn`.
                            Some(n) => (Value::unknown(format!("${{{prefix}{ty}.{n}}}"), at), 1),
                            None => return self.opaque(at),
                        },
                    }
                }
            }
            e => (self.eval(inst, file, e, scope), 0),
        };
        let mut v = base;
        let mut i = rest;
        while i < ops.len() {
            v = match ops[i].value() {
                TraversalOperator::GetAttr(id) => get_attr(&v, id.as_str(), at),
                TraversalOperator::LegacyIndex(n) => {
                    index(&v, &Value::new(Kind::Number(*n.value() as f64), at), at)
                }
                TraversalOperator::Index(e) => {
                    let k = self.eval(inst, file, e, scope);
                    index(&v, &k, at)
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    // Apply the remaining operators to every item.
                    let items: Vec<Value> = match &v.kind {
                        Kind::List(items) => items.clone(),
                        Kind::Null => Vec::new(),
                        Kind::Unknown(_) => {
                            let mut r = extend(&v, "[*]", at);
                            for op in &ops[i + 1..] {
                                r = match op.value() {
                                    TraversalOperator::GetAttr(id) => get_attr(&r, id.as_str(), at),
                                    _ => extend(&r, "[...]", at),
                                };
                            }
                            return r;
                        }
                        _ => vec![v.clone()],
                    };
                    let mut out = Vec::new();
                    for item in items.into_iter().take(10_000) {
                        let mut r = item;
                        for op in &ops[i + 1..] {
                            r = match op.value() {
                                TraversalOperator::GetAttr(id) => get_attr(&r, id.as_str(), at),
                                TraversalOperator::Index(e) => {
                                    let k = self.eval(inst, file, e, scope);
                                    index(&r, &k, at)
                                }
                                _ => r,
                            };
                        }
                        out.push(r);
                    }
                    return Value::new(Kind::List(out), at);
                }
            };
            i += 1;
        }
        // The value keeps the span where it is written (a variable's default),
        // except for unresolved references, which are located at their use.
        if v.is_unknown() {
            v.span = at;
        }
        v
    }

    fn enter(&mut self, inst: usize, key: String, at: Span) -> bool {
        if let Some(pos) = self.stack.iter().position(|(i, k)| *i == inst && *k == key) {
            let mut chain: Vec<String> = self.stack[pos..].iter().map(|(_, k)| k.clone()).collect();
            chain.push(key);
            let text = chain.join(" -> ");
            if self.cycles.insert(format!("{inst}:{text}")) {
                let module = &self.insts[inst].prefix;
                self.errors.push(ParseError {
                    kind: ParseErrorKind::Structure,
                    span: at,
                    message: format!(
                        "{}values refer to each other in a cycle: {text}; they are unresolved",
                        if module.is_empty() {
                            String::new()
                        } else {
                            format!("{} ", module.trim_end_matches('.'))
                        }
                    ),
                });
            }
            return false;
        }
        self.stack.push((inst, key));
        true
    }

    /// The value of `var.name` in an instance.
    pub(crate) fn var(&mut self, inst: usize, name: &str, at: Span) -> Value {
        let key = (inst, name.to_string());
        if let Some(v) = self.vars.get(&key) {
            return v.clone();
        }
        if !self.enter(inst, format!("var.{name}"), at) {
            return Value::unknown(format!("${{var.{name}}}"), at);
        }
        let input = match self.insts[inst].inputs.get(name) {
            Some(Input::Expr { expr, file, inst: from }) => Some((*expr, *file, *from)),
            Some(Input::Value(v)) => {
                let v = v.clone();
                self.stack.pop();
                self.vars.insert(key, v.clone());
                return v;
            }
            None => None,
        };
        let v = if let Some((expr, file, from)) = input {
            self.eval(from, file, expr, &[])
        } else if let Some(decl) = self.insts[inst].vars.get(name) {
            match decl.default {
                // Defaults cannot refer to anything, so no scope is needed.
                Some(d) => {
                    let file = decl.file;
                    self.eval(inst, file, d, &[])
                }
                None => Value::unknown(format!("${{var.{name}}}"), at),
            }
        } else {
            Value::unknown(format!("${{var.{name}}}"), at)
        };
        self.stack.pop();
        self.vars.insert(key, v.clone());
        v
    }

    /// The value of `local.name` in an instance.
    pub(crate) fn local(&mut self, inst: usize, name: &str, at: Span) -> Value {
        let key = (inst, name.to_string());
        if let Some(v) = self.locals.get(&key) {
            return v.clone();
        }
        let Some(&(expr, file, decl_span)) = self.insts[inst].locals.get(name) else {
            return Value::unknown(format!("${{local.{name}}}"), at);
        };
        if !self.enter(inst, format!("local.{name}"), decl_span) {
            return Value::unknown(format!("${{local.{name}}}"), at);
        }
        let v = self.eval(inst, file, expr, &[]);
        self.stack.pop();
        self.locals.insert(key, v.clone());
        v
    }

    /// The value of `module.<call>.<output>` seen from instance `inst`.
    pub(crate) fn output(&mut self, inst: usize, call: &str, out: &str, at: Span) -> Value {
        let prefix = self.insts[inst].prefix.clone();
        let rendering = Value::unknown(format!("${{{prefix}module.{call}.{out}}}"), at);
        let Some(&child) = self.insts[inst].children.get(call) else { return rendering };
        let key = (child, out.to_string());
        if let Some(v) = self.outputs.get(&key) {
            return v.clone();
        }
        let Some(&(expr, file)) = self.insts[child].outputs.get(out) else { return rendering };
        if !self.enter(child, format!("output.{out}"), at) {
            return rendering;
        }
        let v = self.eval(child, file, expr, &[]);
        self.stack.pop();
        self.outputs.insert(key, v.clone());
        v
    }
}

/// Key and value pairs of a collection, for `for` expressions.
pub(crate) fn iterate(coll: &Value) -> Option<Vec<(Value, Value)>> {
    match &coll.kind {
        Kind::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::new(Kind::Number(i as f64), v.span), v.clone()))
                .collect(),
        ),
        Kind::Object(fields) => Some(
            fields
                .iter()
                .map(|f| (Value::string(f.key.clone(), f.key_span), f.value.clone()))
                .collect(),
        ),
        Kind::Null => Some(Vec::new()),
        _ => None,
    }
}

/// Appends a traversal step to an unresolved rendering.
fn extend(v: &Value, step: &str, at: Span) -> Value {
    let r = v.rendering();
    let r = match r.strip_prefix("${").and_then(|s| s.strip_suffix('}')) {
        Some(inner) if !inner.contains("${") => format!("${{{inner}{step}}}"),
        _ => format!("${{({r}){step}}}"),
    };
    Value::unknown(r, at)
}

fn get_attr(v: &Value, name: &str, at: Span) -> Value {
    match &v.kind {
        Kind::Object(_) => match v.get(name) {
            Some(x) => x.clone(),
            None => extend(v, &format!(".{name}"), at),
        },
        _ => extend(v, &format!(".{name}"), at),
    }
}

fn index(v: &Value, k: &Value, at: Span) -> Value {
    match (&v.kind, &k.kind) {
        (Kind::List(items), _) if k.as_i64().is_some() => {
            let i = k.as_i64().unwrap_or(0);
            match usize::try_from(i).ok().and_then(|i| items.get(i)) {
                Some(x) => x.clone(),
                None => extend(v, &format!("[{i}]"), at),
            }
        }
        (Kind::Object(_), _) if k.as_text().is_some() => {
            let key = k.as_text().unwrap_or_default();
            match v.get(&key) {
                Some(x) => x.clone(),
                None => extend(v, &format!("[\"{key}\"]"), at),
            }
        }
        _ => match (&k.kind, k.as_text()) {
            (Kind::Number(n), _) => extend(v, &format!("[{}]", number_text(*n)), at),
            (_, Some(t)) => extend(v, &format!("[\"{t}\"]"), at),
            _ => extend(v, "[...]", at),
        },
    }
}

fn binary(op: BinaryOperator, l: &Value, r: &Value, at: Span) -> Option<Value> {
    use BinaryOperator as B;
    let num = |v: &Value| match &v.kind {
        Kind::Number(n) => Some(*n),
        Kind::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let kind = match op {
        B::And | B::Or => {
            // Short-circuit on a known side, as far as that decides the result.
            match (l.as_bool(), r.as_bool(), op) {
                (Some(false), _, B::And) | (_, Some(false), B::And) => Kind::Bool(false),
                (Some(true), _, B::Or) | (_, Some(true), B::Or) => Kind::Bool(true),
                (Some(a), Some(b), B::And) => Kind::Bool(a && b),
                (Some(a), Some(b), _) => Kind::Bool(a || b),
                _ => return None,
            }
        }
        B::Eq | B::NotEq => {
            if !l.is_wholly_known() || !r.is_wholly_known() {
                return None;
            }
            let same = match (num(l), num(r), &l.kind, &r.kind) {
                (Some(a), Some(b), Kind::Number(_), _) | (Some(a), Some(b), _, Kind::Number(_)) => {
                    a == b
                }
                _ => l.to_json() == r.to_json(),
            };
            Kind::Bool(if op == B::Eq { same } else { !same })
        }
        _ => {
            let (a, b) = (num(l)?, num(r)?);
            match op {
                B::Less => Kind::Bool(a < b),
                B::LessEq => Kind::Bool(a <= b),
                B::Greater => Kind::Bool(a > b),
                B::GreaterEq => Kind::Bool(a >= b),
                B::Plus => Kind::Number(a + b),
                B::Minus => Kind::Number(a - b),
                B::Mul => Kind::Number(a * b),
                B::Div if b != 0.0 => Kind::Number(a / b),
                B::Mod if b != 0.0 => Kind::Number(a % b),
                _ => return None,
            }
        }
    };
    Some(Value::new(kind, at))
}

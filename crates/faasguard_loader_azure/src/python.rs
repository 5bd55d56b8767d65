//! The Python v2 programming model: functions declared with decorators in
//! `function_app.py`.
//!
//! Why a hand-written recognizer: faasguard has no Python parser yet
//! (tree-sitter arrives with the code-analysis work), and what the host
//! needs from this file is a narrow, regular pattern that the worker itself
//! reads at import time:
//!
//! ```python
//! app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
//!
//! @app.function_name(name="Orders")
//! @app.route(route="orders/{id}", methods=["GET"], auth_level=func.AuthLevel.FUNCTION)
//! def orders(req: func.HttpRequest) -> func.HttpResponse: ...
//! ```
//!
//! A small tokenizer (names, strings with their prefixes and escapes,
//! comments, brackets, explicit and implicit line joins) cuts the file into
//! logical lines, so a decorator written over several lines is one
//! statement and a `#` or `@` inside a string is not code. The recognizer
//! then looks at whole statements only: assignments of `FunctionApp`,
//! `AsgiFunctionApp`, `WsgiFunctionApp`, `DFApp` and `Blueprint` objects,
//! decorators on a known app stacked above a `def`, and
//! `register_functions` / `register_blueprint` calls.
//!
//! Limits, each of which leaves a value unresolved or a function unseen
//! rather than guessed: nothing is evaluated, so an argument that is not a
//! literal or an `AuthLevel` / `HttpMethod` member (a variable, a
//! conditional, a call) is [`Origin::Unresolved`]; decorators reached
//! through an alias (`route = app.route`) or applied by hand, functions made
//! in loops or factories, and blueprints defined in other modules (the CLI
//! reads only `function_app.py`) are not seen; an app assigned in both
//! branches of an `if` takes the assignment written last.
//!
//! [`Origin::Unresolved`]: faasguard_model::Origin::Unresolved

use std::collections::HashMap;

use faasguard_model::{Code, Function, FunctionId, Provider, RouteAuth, Trigger, TriggerKind, Val};
use faasguard_source::{FileId, Span};

use crate::Ctx;
use crate::function_json::is_setting_expression;
use crate::host::Host;
use crate::http::{self, HttpTrigger};

/// Name of the function an `AsgiFunctionApp` or `WsgiFunctionApp` registers
/// for the whole web application.
const HTTP_APP_FUNCTION: &str = "http_app_func";
/// Route of that function: every path under the prefix.
const HTTP_APP_ROUTE: &str = "/{*route}";

/// Loads the functions `function_app.py` declares.
pub(crate) fn load(ctx: &mut Ctx<'_>, host: &Host, file: FileId) {
    let Some(src) = ctx.source(file) else { return };
    let text: &str = &src.text;
    let path = src.path.to_string();
    let lines = logical_lines(text);
    let mut r = Recognizer { text, file, apps: HashMap::new(), fns: Vec::new(), notes: Vec::new() };
    let mut registrations: Vec<(String, String, Span)> = Vec::new();
    let mut pending: Vec<Deco<'_>> = Vec::new();
    for line in &lines {
        let toks = line.as_slice();
        if r.is_op(&toks[0], "@") {
            if let Some(d) = r.decorator(toks) {
                pending.push(d);
            }
            continue;
        }
        if let Some(def) = r.def_name(toks) {
            if !pending.is_empty() {
                let end = toks.last().map_or(def.end, |t| t.end);
                r.function(&pending, def, end);
            }
            pending.clear();
            continue;
        }
        pending.clear();
        if let Some(reg) = r.registration(toks) {
            registrations.push(reg);
            continue;
        }
        r.assignment(toks);
    }
    for (app, bp, at) in registrations {
        match r.apps.get_mut(&bp) {
            Some(b) if b.kind == AppKind::Blueprint => {
                b.registered_by.get_or_insert(app);
            }
            Some(_) => {}
            None => r.notes.push((
                at,
                format!(
                    "`{app}` registers `{bp}`, which is not defined in `function_app.py`; \
                     functions of blueprints in other modules are not read"
                ),
            )),
        }
    }

    let mut notes = std::mem::take(&mut r.notes);
    for pf in std::mem::take(&mut r.fns) {
        let owner = r.apps.get(&pf.owner);
        let app_auth = match owner {
            Some(a) if a.kind == AppKind::Blueprint => {
                match a.registered_by.as_ref().and_then(|by| r.apps.get(by)) {
                    Some(by) => by.auth.clone(),
                    None => {
                        notes.push((
                            pf.span,
                            format!(
                                "function `{}` belongs to blueprint `{}`, which no app in \
                                 `function_app.py` registers; it is not indexed",
                                pf.logical_id, pf.owner
                            ),
                        ));
                        continue;
                    }
                }
            }
            Some(a) => a.auth.clone(),
            None => {
                notes.push((
                    pf.span,
                    format!(
                        "function `{}` is declared on `{}`, which is not a function app \
                         defined in `function_app.py`; it is skipped",
                        pf.logical_id, pf.owner
                    ),
                ));
                continue;
            }
        };
        let id = FunctionId(ctx.app.functions.len() as u32);
        let mut f = Function::new(pf.logical_id.clone(), pf.span, Provider::Azure);
        f.name = Some(pf.name);
        f.handler = Some(pf.handler);
        f.code = Some(Code::Location(Val::default_at(path.clone(), pf.span)));
        f.runtime = Some(Val::default_at("python".into(), pf.span));
        ctx.app.functions.push(f);
        if pf.triggers.len() > 1 {
            notes.push((
                pf.span,
                format!(
                    "function `{}` has {} trigger decorators; the worker accepts exactly one \
                     and refuses to index the app",
                    pf.logical_id,
                    pf.triggers.len()
                ),
            ));
        }
        for t in pf.triggers {
            let logical_id = format!("{}/{}", pf.logical_id, t.kind_name());
            match t {
                PyTrigger::Http { span, methods, route, auth, .. } => {
                    let auth = auth
                        .or_else(|| app_auth.clone())
                        .unwrap_or_else(|| http::default_auth(span));
                    let route = route.unwrap_or_else(|| pf.logical_id.clone());
                    http::push(
                        ctx,
                        HttpTrigger {
                            logical_id,
                            function: id,
                            span,
                            methods,
                            path: http::full_path(&host.route_prefix.value, &route),
                            auth,
                        },
                    );
                }
                PyTrigger::Schedule { span, expression } => ctx.app.triggers.push(Trigger {
                    logical_id,
                    function: id,
                    span,
                    kind: TriggerKind::Schedule { expression },
                }),
                PyTrigger::Other { span, kind } => ctx.app.triggers.push(Trigger {
                    logical_id,
                    function: id,
                    span,
                    kind: http::other(&kind),
                }),
            }
        }
    }
    for (span, message) in notes {
        ctx.note(span, message);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AppKind {
    /// `FunctionApp`, `DFApp`: functions come from decorators.
    Functions,
    /// `AsgiFunctionApp`, `WsgiFunctionApp`: one function serves a web app.
    Http,
    /// `Blueprint`: indexed only once an app registers it.
    Blueprint,
}

struct PyApp {
    kind: AppKind,
    /// `http_auth_level`, when written.
    auth: Option<Val<RouteAuth>>,
    /// The app that registers this blueprint.
    registered_by: Option<String>,
}

struct PyFn {
    logical_id: String,
    name: Val<String>,
    handler: Val<String>,
    span: Span,
    /// Variable of the app or blueprint the trigger decorator is called on.
    owner: String,
    triggers: Vec<PyTrigger>,
}

enum PyTrigger {
    Http {
        span: Span,
        methods: Vec<String>,
        /// `None`: the function's name.
        route: Option<String>,
        /// `None`: the app's level.
        auth: Option<Val<RouteAuth>>,
    },
    Schedule {
        span: Span,
        expression: Val<String>,
    },
    Other {
        span: Span,
        kind: String,
    },
}

impl PyTrigger {
    fn kind_name(&self) -> &str {
        match self {
            PyTrigger::Http { .. } => "httpTrigger",
            PyTrigger::Schedule { .. } => "timerTrigger",
            PyTrigger::Other { kind, .. } => kind,
        }
    }
}

/// A decorator `@receiver.method(args)`.
struct Deco<'t> {
    receiver: String,
    method: String,
    args: Vec<Arg<'t>>,
    start: usize,
    end: usize,
}

/// One call argument: `name=value` or a positional value.
struct Arg<'t> {
    name: Option<String>,
    value: &'t [Tok],
    start: usize,
    end: usize,
}

/// What an argument's tokens make, without evaluating anything.
#[derive(Debug, PartialEq)]
enum PyVal {
    Str(String),
    /// `a.b.c`.
    Dotted(Vec<String>),
    None,
    /// `[...]` or `(...)`, one level deep.
    List(Vec<PyVal>),
    /// `(m for m in HttpMethod)` and other generators.
    Generator,
    Other,
}

struct Recognizer<'s> {
    text: &'s str,
    file: FileId,
    apps: HashMap<String, PyApp>,
    fns: Vec<PyFn>,
    notes: Vec<(Span, String)>,
}

impl<'s> Recognizer<'s> {
    fn slice(&self, t: &Tok) -> &'s str {
        self.text.get(t.start..t.end).unwrap_or("")
    }

    fn is_op(&self, t: &Tok, op: &str) -> bool {
        t.kind == Kind::Op && self.slice(t) == op
    }

    fn is_name(&self, t: &Tok, name: &str) -> bool {
        t.kind == Kind::Name && self.slice(t) == name
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// `a.b.c` at the start of `toks`, and how many tokens it takes.
    fn dotted(&self, toks: &[Tok]) -> Option<(Vec<String>, usize)> {
        let mut parts = Vec::new();
        let mut i = 0;
        loop {
            let t = toks.get(i)?;
            if t.kind != Kind::Name {
                return None;
            }
            parts.push(self.slice(t).to_string());
            i += 1;
            match toks.get(i) {
                Some(dot) if self.is_op(dot, ".") => i += 1,
                _ => return Some((parts, i)),
            }
        }
    }

    /// Index of the bracket closing the one at `open`, or the end.
    fn closing(&self, toks: &[Tok], open: usize) -> usize {
        let mut depth = 0usize;
        for (i, t) in toks.iter().enumerate().skip(open) {
            if t.kind != Kind::Op {
                continue;
            }
            match self.slice(t) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
        }
        toks.len()
    }

    /// Splits `toks` at top-level commas.
    fn split_commas<'t>(&self, toks: &'t [Tok]) -> Vec<&'t [Tok]> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut start = 0;
        for (i, t) in toks.iter().enumerate() {
            if t.kind != Kind::Op {
                continue;
            }
            match self.slice(t) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                "," if depth == 0 => {
                    out.push(&toks[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(&toks[start..]);
        out.retain(|part| !part.is_empty());
        out
    }

    /// The arguments of the call whose `(` is at `open`.
    fn call_args<'t>(&self, toks: &'t [Tok], open: usize) -> Vec<Arg<'t>> {
        let close = self.closing(toks, open);
        let inner = toks.get(open + 1..close.min(toks.len())).unwrap_or(&[]);
        self.split_commas(inner)
            .into_iter()
            .map(|part| {
                let keyword =
                    part.len() >= 2 && part[0].kind == Kind::Name && self.is_op(&part[1], "=");
                let (name, value) = if keyword {
                    (Some(self.slice(&part[0]).to_string()), &part[2..])
                } else {
                    (None, part)
                };
                let start = value.first().map_or(part[0].start, |t| t.start);
                let end = value.last().map_or(part[part.len() - 1].end, |t| t.end);
                Arg { name, value, start, end }
            })
            .collect()
    }

    fn value(&self, toks: &[Tok]) -> PyVal {
        self.value_at(toks, true)
    }

    fn value_at(&self, toks: &[Tok], nest: bool) -> PyVal {
        let Some(first) = toks.first() else { return PyVal::Other };
        if toks.iter().all(|t| matches!(t.kind, Kind::Str { .. })) {
            let mut s = String::new();
            for t in toks {
                if let Kind::Str { fstring: true } = t.kind
                    && t.value.contains('{')
                {
                    return PyVal::Other;
                }
                s.push_str(&t.value);
            }
            return PyVal::Str(s);
        }
        if let Some((parts, n)) = self.dotted(toks)
            && n == toks.len()
        {
            if parts.len() == 1 && parts[0] == "None" {
                return PyVal::None;
            }
            return PyVal::Dotted(parts);
        }
        let bracket = self.is_op(first, "[") || self.is_op(first, "(");
        if nest && bracket && self.closing(toks, 0) == toks.len() - 1 {
            let inner = &toks[1..toks.len() - 1];
            if inner.iter().any(|t| self.is_name(t, "for")) {
                return PyVal::Generator;
            }
            let items = self.split_commas(inner);
            return PyVal::List(items.into_iter().map(|i| self.value_at(i, false)).collect());
        }
        PyVal::Other
    }

    fn render(&self, arg: &Arg<'_>) -> String {
        self.text
            .get(arg.start..arg.end)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The argument called `name`, or the one at `position` when it is
    /// passed positionally.
    fn arg<'a, 't>(
        &self,
        args: &'a [Arg<'t>],
        name: &str,
        position: Option<usize>,
    ) -> Option<&'a Arg<'t>> {
        args.iter().find(|a| a.name.as_deref() == Some(name)).or_else(|| {
            let p = position?;
            let positional: Vec<&Arg<'t>> = args.iter().take_while(|a| a.name.is_none()).collect();
            positional.get(p).copied()
        })
    }

    /// An `AuthLevel` argument as route authentication; `None` for Python's `None`.
    fn auth(&self, arg: &Arg<'_>) -> Option<Val<RouteAuth>> {
        let span = self.span(arg.start, arg.end);
        let text = match self.value(arg.value) {
            PyVal::None => return None,
            PyVal::Str(s) => Some(s),
            PyVal::Dotted(parts) if parts.len() >= 2 && parts[parts.len() - 2] == "AuthLevel" => {
                parts.last().cloned()
            }
            _ => None,
        };
        // The library's `AuthLevel` has exactly these three members.
        let known = text
            .as_deref()
            .and_then(http::level)
            .filter(|a| !matches!(a, RouteAuth::Key(k) if k == "system"));
        Some(match known {
            Some(a) => Val::explicit(a, span),
            None => Val::unresolved(RouteAuth::Unknown, span),
        })
    }

    /// `@receiver.method(args)`.
    fn decorator<'t>(&self, toks: &'t [Tok]) -> Option<Deco<'t>> {
        let (parts, n) = self.dotted(&toks[1..])?;
        if parts.len() < 2 {
            return None;
        }
        let open = n + 1;
        let args = match toks.get(open) {
            Some(t) if self.is_op(t, "(") => self.call_args(toks, open),
            _ => Vec::new(),
        };
        let end = toks.last().map_or(toks[0].end, |t| t.end);
        let method = parts[parts.len() - 1].clone();
        Some(Deco {
            receiver: parts[..parts.len() - 1].join("."),
            method,
            args,
            start: toks[0].start,
            end,
        })
    }

    /// The name token of `def name(` or `async def name(`.
    fn def_name<'t>(&self, toks: &'t [Tok]) -> Option<&'t Tok> {
        let i = if self.is_name(&toks[0], "async") { 1 } else { 0 };
        if !self.is_name(toks.get(i)?, "def") {
            return None;
        }
        toks.get(i + 1).filter(|t| t.kind == Kind::Name)
    }

    /// `app.register_functions(bp)` / `app.register_blueprint(bp)`.
    fn registration(&self, toks: &[Tok]) -> Option<(String, String, Span)> {
        let (parts, n) = self.dotted(toks)?;
        let method = parts.last()?;
        if parts.len() < 2
            || !matches!(method.as_str(), "register_functions" | "register_blueprint")
        {
            return None;
        }
        if !self.is_op(toks.get(n)?, "(") {
            return None;
        }
        let args = self.call_args(toks, n);
        let PyVal::Dotted(bp) = self.value(args.first()?.value) else { return None };
        let end = toks.last().map_or(toks[0].end, |t| t.end);
        Some((parts[..parts.len() - 1].join("."), bp.join("."), self.span(toks[0].start, end)))
    }

    /// `name = <module.>FunctionApp(...)` and the other app classes,
    /// optionally with an annotation (`app: func.FunctionApp = ...`).
    fn assignment(&mut self, toks: &[Tok]) {
        if toks.len() < 4 || toks[0].kind != Kind::Name {
            return;
        }
        let eq = if self.is_op(&toks[1], "=") {
            1
        } else if self.is_op(&toks[1], ":") {
            match toks.iter().position(|t| self.is_op(t, "=")) {
                Some(i) => i,
                None => return,
            }
        } else {
            return;
        };
        let var = self.slice(&toks[0]).to_string();
        if KEYWORDS.contains(&var.as_str()) {
            return;
        }
        let rhs = &toks[eq + 1..];
        let Some((parts, n)) = self.dotted(rhs) else { return };
        let kind = match parts.last().map(String::as_str) {
            Some("FunctionApp" | "DFApp") => AppKind::Functions,
            Some("AsgiFunctionApp" | "WsgiFunctionApp") => AppKind::Http,
            Some("Blueprint" | "BluePrint") => AppKind::Blueprint,
            _ => {
                // A rebinding to anything else ends the old app's name.
                self.apps.remove(&var);
                return;
            }
        };
        if !rhs.get(n).is_some_and(|t| self.is_op(t, "(")) {
            return;
        }
        let args = self.call_args(rhs, n);
        let position = match kind {
            AppKind::Functions => Some(0),
            AppKind::Http => Some(1),
            AppKind::Blueprint => None,
        };
        let auth = self
            .arg(&args, "http_auth_level", position)
            .or_else(|| self.arg(&args, "auth_level", None))
            .and_then(|a| self.auth(a));
        if kind == AppKind::Http {
            let call_end = rhs.get(self.closing(rhs, n)).map_or(rhs[rhs.len() - 1].end, |t| t.end);
            let span = self.span(toks[0].start, call_end);
            self.fns.push(PyFn {
                logical_id: HTTP_APP_FUNCTION.into(),
                name: Val::default_at(HTTP_APP_FUNCTION.into(), span),
                handler: Val::default_at(HTTP_APP_FUNCTION.into(), span),
                span,
                owner: var.clone(),
                triggers: vec![PyTrigger::Http {
                    span,
                    methods: http::methods(Vec::new()),
                    route: Some(HTTP_APP_ROUTE.into()),
                    auth: None,
                }],
            });
        }
        self.apps.insert(var, PyApp { kind, auth, registered_by: None });
    }

    /// The function a `def` with decorators declares, when one of them is a trigger.
    fn function(&mut self, decos: &[Deco<'_>], def: &Tok, end: usize) {
        let def_name = self.slice(def).to_string();
        let span = self.span(decos[0].start, end);
        let mut name = Val::default_at(def_name.clone(), self.span(def.start, def.end));
        let mut owner = None;
        let mut triggers = Vec::new();
        for d in decos {
            if d.method == "function_name" {
                if let Some(a) = self.arg(&d.args, "name", Some(0)) {
                    match self.value(a.value) {
                        PyVal::Str(s) => name = Val::explicit(s, self.span(a.start, a.end)),
                        _ => {
                            name = Val::unresolved(self.render(a), self.span(a.start, a.end));
                        }
                    }
                }
                continue;
            }
            let Some(t) = self.trigger(d) else { continue };
            owner.get_or_insert_with(|| d.receiver.clone());
            triggers.push(t);
        }
        let Some(owner) = owner else { return };
        self.fns.push(PyFn {
            logical_id: name.value.clone(),
            name,
            handler: Val::explicit(def_name, self.span(def.start, def.end)),
            span,
            owner,
            triggers,
        });
    }

    /// The trigger a decorator adds, if it is a trigger decorator.
    fn trigger(&mut self, d: &Deco<'_>) -> Option<PyTrigger> {
        let span = self.span(d.start, d.end);
        let kind = match d.method.as_str() {
            "route" => return Some(self.route(d, span)),
            "schedule" | "timer_trigger" => {
                let expression = match self.arg(&d.args, "schedule", Some(1)) {
                    Some(a) => {
                        let at = self.span(a.start, a.end);
                        match self.value(a.value) {
                            PyVal::Str(s) if !is_setting_expression(&s) => Val::explicit(s, at),
                            PyVal::Str(s) => Val::unresolved(s, at),
                            _ => Val::unresolved(self.render(a), at),
                        }
                    }
                    None => Val::unresolved(String::new(), span),
                };
                return Some(PyTrigger::Schedule { span, expression });
            }
            "service_bus_queue_trigger" | "service_bus_topic_trigger" => "serviceBusTrigger".into(),
            "event_hub_message_trigger" => "eventHubTrigger".into(),
            "cosmos_db_trigger" | "cosmos_db_trigger_v3" => "cosmosDBTrigger".into(),
            "warm_up_trigger" => "warmupTrigger".into(),
            "generic_trigger" => match self.arg(&d.args, "type", None).map(|a| self.value(a.value))
            {
                Some(PyVal::Str(s)) => s,
                _ => "genericTrigger".into(),
            },
            m if m.ends_with("_trigger") => camel(m),
            _ => return None,
        };
        Some(PyTrigger::Other { span, kind })
    }

    fn route(&mut self, d: &Deco<'_>, span: Span) -> PyTrigger {
        let route = match self.arg(&d.args, "route", Some(0)) {
            None => None,
            Some(a) => match self.value(a.value) {
                PyVal::None => None,
                PyVal::Str(s) if s.trim().is_empty() => None,
                PyVal::Str(s) => Some(s.trim().to_string()),
                _ => {
                    self.notes.push((
                        self.span(a.start, a.end),
                        format!(
                            "the route `{}` is not a string literal; the function's route is \
                             unknown",
                            self.render(a)
                        ),
                    ));
                    Some(format!("{{{}}}", self.render(a)))
                }
            },
        };
        let mut listed = Vec::new();
        if let Some(a) = self.arg(&d.args, "methods", None) {
            let items = match self.value(a.value) {
                PyVal::List(items) => items,
                PyVal::Generator | PyVal::None => Vec::new(),
                one @ (PyVal::Str(_) | PyVal::Dotted(_)) => vec![one],
                PyVal::Other => vec![PyVal::Other],
            };
            for item in items {
                match item {
                    PyVal::Str(s) => listed.push(s),
                    PyVal::Dotted(parts) => listed.push(parts.last().cloned().unwrap_or_default()),
                    _ => {
                        self.notes.push((
                            self.span(a.start, a.end),
                            format!(
                                "the methods `{}` are not literals; the route is modelled for \
                                 every method",
                                self.render(a)
                            ),
                        ));
                        listed.clear();
                        break;
                    }
                }
            }
        }
        let auth = self.arg(&d.args, "auth_level", None).and_then(|a| self.auth(a));
        PyTrigger::Http { span, methods: http::methods(listed), route, auth }
    }
}

/// `queue_trigger` to `queueTrigger`.
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

// ---- tokenizer ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    Str { fstring: bool },
    Number,
    Op,
}

/// A token: its kind, byte range, and for strings the decoded text.
#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    value: String,
}

/// Statement keywords that can stand where an assigned name would.
const KEYWORDS: &[&str] =
    &["else", "try", "finally", "if", "elif", "while", "for", "with", "class", "def", "lambda"];

/// Operators of two characters; the recognizer needs only `=` told from
/// `==` and friends, the rest are single characters.
const TWO_CHAR_OPS: &[&str] = &["==", "!=", "<=", ">=", "->", "**", ":=", "//"];

/// Cuts Python source into logical lines of tokens. Comments are dropped;
/// a line ends at a newline (or `;`) outside brackets and not after a
/// backslash. Never fails: an unterminated string or bracket runs to the
/// end of its line or of the file. Linear in the input, no recursion.
fn logical_lines(src: &str) -> Vec<Vec<Tok>> {
    let b = src.as_bytes();
    let mut lines = Vec::new();
    let mut cur: Vec<Tok> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let tok = |kind, start, end| Tok { kind, start, end, value: String::new() };
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' | b';' if depth == 0 => {
                if !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                i += 1;
            }
            b'\n' | b' ' | b'\t' | b'\r' | b'\x0c' => i += 1,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\\' => {
                i += 1;
                if b.get(i) == Some(&b'\r') {
                    i += 1;
                }
                if b.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                let t = string(src, i, i, "");
                i = t.end;
                cur.push(t);
            }
            b'0'..=b'9' => {
                let s = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                {
                    i += 1;
                }
                cur.push(tok(Kind::Number, s, i));
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                let s = i;
                while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric() || b[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &src[s..i];
                let prefix = word.len() <= 2 && word.bytes().all(|c| b"rRbBuUfF".contains(&c));
                if prefix && matches!(b.get(i), Some(b'"' | b'\'')) {
                    let t = string(src, s, i, word);
                    i = t.end;
                    cur.push(t);
                } else {
                    cur.push(tok(Kind::Name, s, i));
                }
            }
            _ => {
                let s = i;
                let two = src.get(i..i + 2).is_some_and(|op| TWO_CHAR_OPS.contains(&op));
                match c {
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                i += if two { 2 } else { 1 };
                cur.push(tok(Kind::Op, s, i));
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The string literal whose opening quote is at `q` (its prefix starts at
/// `start`), decoded. Unknown escapes are kept as written, as Python does.
fn string(src: &str, start: usize, q: usize, prefix: &str) -> Tok {
    let b = src.as_bytes();
    let raw = prefix.contains(['r', 'R']);
    let fstring = prefix.contains(['f', 'F']);
    let quote = b[q];
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let mut i = q + if triple { 3 } else { 1 };
    let mut value = String::new();
    let mut seg = i;
    let end = loop {
        let Some(&c) = b.get(i) else {
            value.push_str(src.get(seg..).unwrap_or(""));
            break b.len();
        };
        if c == b'\\' {
            let next_len =
                src.get(i + 1..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8);
            if !raw {
                value.push_str(src.get(seg..i).unwrap_or(""));
                let next = src.get(i + 1..i + 1 + next_len).unwrap_or("");
                match next {
                    "n" => value.push('\n'),
                    "t" => value.push('\t'),
                    "r" => value.push('\r'),
                    "0" => value.push('\0'),
                    "\\" | "'" | "\"" => value.push_str(next),
                    "\n" => {}
                    other => {
                        value.push('\\');
                        value.push_str(other);
                    }
                }
                seg = i + 1 + next_len;
            }
            i += 1 + next_len;
            continue;
        }
        if c == quote {
            if !triple {
                value.push_str(src.get(seg..i).unwrap_or(""));
                break i + 1;
            }
            if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                value.push_str(src.get(seg..i).unwrap_or(""));
                break i + 3;
            }
        }
        if c == b'\n' && !triple {
            // Unterminated: Python refuses the file; keep what is there.
            value.push_str(src.get(seg..i).unwrap_or(""));
            break i;
        }
        i += 1;
    };
    Tok { kind: Kind::Str { fstring }, start, end, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<Vec<String>> {
        logical_lines(src)
            .iter()
            .map(|l| {
                l.iter()
                    .map(|t| match t.kind {
                        Kind::Str { .. } => format!("s:{}", t.value),
                        _ => src[t.start..t.end].to_string(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn lines_join_inside_brackets_and_after_backslashes() {
        let src = "@app.route(route='a',\n    # comment (\n    methods=['GET'])\ndef f(): pass\nx = 1 + \\\n  2; y = 3\n";
        assert_eq!(
            texts(src),
            vec![
                vec![
                    "@", "app", ".", "route", "(", "route", "=", "s:a", ",", "methods", "=", "[",
                    "s:GET", "]", ")"
                ],
                vec!["def", "f", "(", ")", ":", "pass"],
                vec!["x", "=", "1", "+", "2"],
                vec!["y", "=", "3"],
            ]
        );
    }

    #[test]
    fn strings_hide_code_and_decode_escapes() {
        let src = "x = \"\"\"\n@app.route(route='no')\ndef no(): pass\n\"\"\"\ny = 'it\\'s # not a comment'\nz = r'\\d+' f\"{a}\" b'\\x'\n";
        let lines = texts(src);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], vec!["x", "=", "s:\n@app.route(route='no')\ndef no(): pass\n"]);
        assert_eq!(lines[1], vec!["y", "=", "s:it's # not a comment"]);
        assert_eq!(lines[2], vec!["z", "=", "s:\\d+", "s:{a}", "s:\\x"]);
    }

    #[test]
    fn hostile_input_ends() {
        for src in [
            "'unterminated",
            "\"\"\"never closed",
            "(((((",
            ")))",
            "\\",
            "@",
            "def",
            "x = r'\\",
            "é = 'ü\\é'",
        ] {
            let _ = logical_lines(src);
        }
        let deep = "(".repeat(100_000);
        assert_eq!(logical_lines(&deep).len(), 1);
    }

    #[test]
    fn snake_case_to_binding_type() {
        assert_eq!(camel("queue_trigger"), "queueTrigger");
        assert_eq!(camel("blob_trigger"), "blobTrigger");
        assert_eq!(camel("_x_trigger"), "xTrigger");
    }
}

//! Taint in JavaScript and TypeScript handlers (CommonJS and ESM).
//!
//! Each module is walked once ([`collect`]) for its scopes, bindings,
//! functions, exports and the sites to check (calls, `new`, Lambda proxy
//! `Location` headers). Values are then computed on demand, flow-
//! insensitively: a name's value is the union of everything assigned to it
//! on its scope chain, remembered per binding. A value is a set of
//! origins: reads of the event (or of a framework request) with the part
//! read and the steps taken since, or parameters of the enclosing function
//! (symbolic, for summaries). A local function's summary says which
//! parameters reach its return value and which reach sinks inside; a call
//! maps them to its arguments, across local modules too.
//!
//! Bounds: evaluation depth ([`MAX_DEPTH`]) and a step budget per analysis
//! proportional to the code's size; summaries nest at most
//! [`MAX_SUMMARY_NESTING`] deep. Cut-short analyses leave a note.

mod catalog;
mod collect;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use faasguard_source::Span;
use tree_sitter::Node;

use crate::{Analysis, Flow, Input, Note, SinkClass, Step, has_host_prefix};
use catalog::{ALL_CLASSES, Condition, bit, catalog};
use collect::{BindKind, FxMap, FxSet, K, MODULE_SCOPE, Module, Seg, SiteKind, text, unquote};

/// Nesting of one evaluation (expressions, aliases, bindings).
const MAX_DEPTH: u32 = 40;
/// Summaries computed inside the computation of another, at most.
const MAX_SUMMARY_NESTING: u32 = 6;
/// Flows reported per analysis: generated code can have thousands that
/// are the same flaw, and each becomes a finding.
const MAX_FLOWS: usize = 2_000;
/// Origins kept per value.
const MAX_ORIGINS: usize = 8;
/// Steps kept per origin (the first two and the latest ones).
const MAX_KEPT_STEPS: usize = 16;
/// Steps shown per flow.
const MAX_SHOWN_STEPS: usize = 10;
/// Longest `what` text.
const MAX_WHAT: usize = 80;
/// Alias chains followed to a function, module or object literal.
const MAX_HOPS: u32 = 16;

/// Properties of a web framework's request that carry client input
/// (Express, Koa, Fastify, Azure Functions).
const INPUT_PROPS: &[&str] = &[
    "body",
    "query",
    "params",
    "headers",
    "cookies",
    "signedCookies",
    "url",
    "originalUrl",
    "path",
    "hostname",
    "querystring",
    "search",
    "href",
    "files",
    "file",
    "rawBody",
    "raw",
];

/// Methods of a request object that return client input, and the part
/// they read.
fn request_method(m: &str) -> Option<&'static str> {
    Some(match m {
        "json" | "text" | "formData" | "arrayBuffer" | "blob" => "body",
        "get" | "header" => "headers",
        "param" => "params",
        _ => return None,
    })
}

/// Programs that parse their arguments as a shell command line.
const SHELLS: &[&str] =
    &["sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell", "pwsh"];

pub(crate) fn analyse(modules: &[Input<'_>], entry: Option<(usize, &str)>, out: &mut Analysis) {
    if modules.is_empty() {
        return;
    }
    let engine = Engine::new(modules, entry);
    engine.run(out);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// The handler's event: everything read from it is input.
    Event,
    /// A framework request: its input properties are.
    Request,
}

/// Where a tainted value comes from.
#[derive(Clone, Debug)]
enum Src {
    /// A read of the event or of a request.
    Read(Rc<Read>),
    /// A parameter of a function (while computing its summary).
    Param { m: usize, fid: usize, index: usize },
}

#[derive(Debug)]
struct Read {
    m: usize,
    start: usize,
    end: usize,
    step: Step,
}

#[derive(Clone, Debug)]
struct Origin {
    src: Src,
    /// Path of the part read (`queryStringParameters.id`).
    part: Rc<str>,
    /// Still a structured read of the source: member reads extend `part`.
    open: bool,
    /// Classes a sanitizer cleared (bits of [`bit`]).
    cleared: u16,
    /// May hold a structure parsed from input (`JSON.parse`), not only
    /// text: an object there carries query operators (`{"$ne": null}`).
    parsed: bool,
    steps: Vec<Rc<Step>>,
}

impl Origin {
    fn same(&self, other: &Origin) -> bool {
        self.cleared == other.cleared
            && match (&self.src, &other.src) {
                (Src::Read(a), Src::Read(b)) => a.m == b.m && a.start == b.start && a.end == b.end,
                (Src::Param { m, fid, index }, Src::Param { m: m2, fid: f2, index: i2 }) => {
                    m == m2 && fid == f2 && index == i2
                }
                _ => false,
            }
    }

    fn push_step(&mut self, step: &Rc<Step>) {
        if self.steps.len() >= MAX_KEPT_STEPS {
            self.steps.remove(2);
        }
        self.steps.push(step.clone());
    }
}

/// An evaluated expression.
#[derive(Clone, Debug, Default)]
struct Val {
    o: Vec<Origin>,
    /// A framework request object (not itself input).
    req: bool,
}

impl Val {
    fn add(&mut self, o: Origin) {
        if let Some(x) = self.o.iter_mut().find(|x| x.same(&o)) {
            x.parsed |= o.parsed;
        } else if self.o.len() < MAX_ORIGINS {
            self.o.push(o);
        }
    }

    fn union(&mut self, other: Val) {
        self.req |= other.req;
        for o in other.o {
            self.add(o);
        }
    }

    /// The value built into something else: member reads no longer name
    /// a part of the source.
    fn closed(mut self) -> Val {
        for o in &mut self.o {
            o.open = false;
            o.parsed = false;
        }
        self.req = false;
        self
    }

    fn step(mut self, step: &Rc<Step>) -> Val {
        for o in &mut self.o {
            o.push_step(step);
        }
        self
    }

    fn clear(mut self, mask: u16) -> Val {
        if mask == ALL_CLASSES {
            return Val::default();
        }
        for o in &mut self.o {
            o.cleared |= mask;
        }
        self
    }
}

/// A sink reached: by origins of a source or of parameters.
#[derive(Clone, Debug)]
struct Hit {
    class: SinkClass,
    name: Rc<str>,
    sink: Rc<Step>,
    origins: Vec<Origin>,
}

/// The hits of one site, shared.
type Hits = Rc<Vec<Hit>>;

#[derive(Default)]
struct Summary {
    /// What the function returns.
    ret: Val,
    /// Sinks its parameters reach.
    sinks: Vec<Hit>,
}

/// What a callee expression names.
#[derive(Clone, Debug)]
enum Ref<'a> {
    /// A function of module `m` (by node id).
    Func(usize, usize),
    /// A member path of a module import (`spec` as written in module `m`)
    /// or of a global.
    Path { base: Base<'a>, path: Vec<&'a str> },
}

#[derive(Clone, Copy, Debug)]
enum Base<'a> {
    Module(usize, &'a str),
    Global(&'a str),
}

struct Engine<'a> {
    inputs: &'a [Input<'a>],
    mods: Vec<Module<'a>>,
    paths: HashMap<&'a str, usize>,
    roles: FxMap<(usize, usize, usize), Role>,
    memo: RefCell<FxMap<(usize, u32), Val>>,
    busy: RefCell<FxSet<(usize, u32)>>,
    /// Per module, per site: the hits, once computed.
    site_memo: RefCell<Vec<Vec<Option<Hits>>>>,
    no_hits: Hits,
    /// The empty part, shared.
    empty: Rc<str>,
    summaries: RefCell<FxMap<(usize, usize), Rc<Summary>>>,
    summary_busy: RefCell<FxSet<(usize, usize)>>,
    /// `this.prop` values per module and property, once computed.
    this_memo: RefCell<HashMap<(usize, &'a str), Val>>,
    nesting: Cell<u32>,
    budget: Cell<u64>,
    budget_cut: Cell<bool>,
    depth_cut: Cell<bool>,
    nesting_cut: Cell<bool>,
}

impl<'a> Engine<'a> {
    fn new(inputs: &'a [Input<'a>], entry: Option<(usize, &str)>) -> Self {
        let mods: Vec<Module<'a>> = inputs
            .iter()
            .map(|i| Module::new(i.module.language, i.text, i.module.tree.root_node()))
            .collect();
        let paths = inputs.iter().enumerate().map(|(i, x)| (x.path, i)).collect();
        let bytes: u64 = inputs.iter().map(|i| i.text.len() as u64).sum();
        let mut e = Engine {
            inputs,
            mods,
            paths,
            roles: FxMap::default(),
            memo: RefCell::new(FxMap::default()),
            busy: RefCell::new(FxSet::default()),
            site_memo: RefCell::new(Vec::new()),
            no_hits: Rc::new(Vec::new()),
            empty: Rc::from(""),
            summaries: RefCell::new(FxMap::default()),
            summary_busy: RefCell::new(FxSet::default()),
            this_memo: RefCell::new(HashMap::new()),
            nesting: Cell::new(0),
            budget: Cell::new(200_000 + bytes.saturating_mul(4)),
            budget_cut: Cell::new(false),
            depth_cut: Cell::new(false),
            nesting_cut: Cell::new(false),
        };
        e.site_memo = RefCell::new(e.mods.iter().map(|x| vec![None; x.sites.len()]).collect());
        e.assign_roles(entry);
        e
    }

    fn assign_roles(&mut self, entry: Option<(usize, &str)>) {
        let mut roles = FxMap::default();
        for m in 0..self.mods.len() {
            let Some(module) = self.mods.get(m) else { continue };
            for &(node, scope) in &module.routes {
                if let Some((m2, fid)) = self.func_of(m, node, scope, 0) {
                    roles.insert((m2, fid, 0), Role::Request);
                }
            }
        }
        let handler = match entry {
            Some((m, name)) => {
                let segs: Vec<&str> = name.split('.').collect();
                self.find_export(m, &segs).or_else(|| {
                    let last = segs.last().copied().unwrap_or("handler");
                    self.module_function(m, last)
                })
            }
            None => {
                self.find_export(0, &["handler"]).or_else(|| self.module_function(0, "handler"))
            }
        };
        if let Some((m, fid)) = handler {
            let params = self
                .mods
                .get(m)
                .and_then(|x| x.funcs.get(&fid))
                .map(|f| f.params.clone())
                .unwrap_or_default();
            // Azure Functions (Node.js v3): `async function (context, req)`.
            if params.len() >= 2 && params.first() == Some(&"context") {
                roles.insert((m, fid, 0), Role::Request);
                roles.insert((m, fid, 1), Role::Event);
            } else {
                roles.insert((m, fid, 0), Role::Event);
            }
        }
        self.roles = roles;
    }

    fn run(&self, out: &mut Analysis) {
        let mut flows: Vec<(Flow, (usize, usize, usize))> = Vec::new();
        let mut seen: HashSet<(SinkClass, Span, usize, usize, usize)> = HashSet::new();
        for m in 0..self.mods.len() {
            let count = self.mods.get(m).map_or(0, |x| x.sites.len());
            for si in 0..count {
                let hits = self.check_site(m, si);
                for h in hits.iter() {
                    for o in &h.origins {
                        let Src::Read(r) = &o.src else { continue };
                        if !seen.insert((h.class, h.sink.span, r.m, r.start, r.end)) {
                            continue;
                        }
                        let flow = Flow {
                            class: h.class,
                            source: r.step.clone(),
                            part: o.part.to_string(),
                            steps: shown_steps(&o.steps),
                            sink: (*h.sink).clone(),
                            sink_name: h.name.to_string(),
                        };
                        flows.push((flow, (m, r.m, r.start)));
                    }
                }
            }
        }
        flows.sort_by(|(a, ka), (b, kb)| {
            (a.sink.span, a.class, ka.1, ka.2).cmp(&(b.sink.span, b.class, kb.1, kb.2))
        });
        let found = flows.len();
        out.flows.extend(flows.into_iter().take(MAX_FLOWS).map(|(f, _)| f));
        self.notes(out);
        if found > MAX_FLOWS
            && let Some(first) = out.flows.first()
        {
            let span = first.sink.span;
            out.notes.push(Note {
                span,
                message: format!(
                    "{found} flows found; only the first {MAX_FLOWS} (by sink position) are reported"
                ),
            });
        }
    }

    fn notes(&self, out: &mut Analysis) {
        let at = |m: usize| -> Option<Span> {
            let input = self.inputs.get(m)?;
            let s = input.span(input.module.tree.root_node());
            Some(Span { end: s.start, ..s })
        };
        let Some(first) = at(0) else { return };
        if self.budget_cut.get() {
            out.notes.push(Note {
                span: first,
                message: "taint analysis stopped early: the step budget for this code was spent; flows may be missing".into(),
            });
        }
        if self.depth_cut.get() {
            out.notes.push(Note {
                span: first,
                message: format!("taint analysis did not follow expressions or assignment chains nested deeper than {MAX_DEPTH}; flows may be missing"),
            });
        }
        if self.nesting_cut.get() {
            out.notes.push(Note {
                span: first,
                message: format!("taint analysis did not follow calls into local functions nested deeper than {MAX_SUMMARY_NESTING}; flows may be missing"),
            });
        }
        for (m, module) in self.mods.iter().enumerate() {
            if module.truncated
                && let Some(span) = at(m)
            {
                out.notes.push(Note {
                    span,
                    message: "taint analysis read only part of this module (too many bindings, calls or nested patterns)".into(),
                });
            }
        }
    }

    // -- helpers -------------------------------------------------------------

    fn module(&self, m: usize) -> Option<&Module<'a>> {
        self.mods.get(m)
    }

    fn span(&self, m: usize, n: Node<'_>) -> Span {
        match self.inputs.get(m) {
            Some(i) => i.span(n),
            None => Span::default(),
        }
    }

    fn step_at(&self, m: usize, n: Node<'a>) -> Rc<Step> {
        let what = self.module(m).map(|x| what_of(x, n)).unwrap_or_default();
        Rc::new(Step { span: self.span(m, n), what })
    }

    /// One unit of work at `depth`; false when a limit is reached.
    fn tick(&self, depth: u32) -> bool {
        if depth > MAX_DEPTH {
            self.depth_cut.set(true);
            return false;
        }
        let left = self.budget.get();
        if left == 0 {
            self.budget_cut.set(true);
            return false;
        }
        self.budget.set(left - 1);
        true
    }

    fn local_module(&self, m: usize, spec: &str) -> Option<usize> {
        let importer = self.inputs.get(m)?.path;
        let dir = faasguard_code::paths::parent(importer);
        faasguard_code::paths::node_candidates(dir, spec)
            .iter()
            .find_map(|c| self.paths.get(c.as_str()).copied())
    }

    // -- names, modules and functions -----------------------------------------

    fn resolve_ref(&self, m: usize, n: Node<'a>, scope: usize, hops: u32) -> Option<Ref<'a>> {
        if hops > MAX_HOPS || !self.tick(0) {
            return None;
        }
        let x = self.module(m)?;
        let f = &x.ids.f;
        match x.kind(n) {
            K::Identifier | K::ShorthandProperty => {
                let name = x.text(n);
                let mut list = x.lookup(scope, name).peekable();
                if list.peek().is_none() {
                    return Some(Ref::Path { base: Base::Global(name), path: Vec::new() });
                }
                for bi in list {
                    let Some(b) = x.bindings.get(bi as usize) else { continue };
                    let r = match &b.kind {
                        BindKind::Func(fid) => Some(Ref::Func(m, *fid)),
                        BindKind::Import { spec, member } => Some(Ref::Path {
                            base: Base::Module(m, spec),
                            path: if member.is_empty() { Vec::new() } else { vec![*member] },
                        }),
                        BindKind::Expr(v) => self.resolve_ref(m, *v, b.scope, hops + 1),
                        BindKind::Path(v, segs) => {
                            match self.resolve_ref(m, *v, b.scope, hops + 1) {
                                Some(Ref::Path { base, mut path }) => {
                                    let mut ok = true;
                                    for s in segs.iter() {
                                        match s {
                                            Seg::Prop(p) => path.push(p),
                                            Seg::Elem => ok = false,
                                        }
                                    }
                                    ok.then_some(Ref::Path { base, path })
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    if r.is_some() {
                        return r;
                    }
                }
                None
            }
            K::Member => {
                let obj = x.field(n, f.object)?;
                let prop = x.field(n, f.property)?;
                if let Some(fid) = self.instance_method(m, obj, x.text(prop), scope) {
                    return Some(Ref::Func(m, fid));
                }
                match self.resolve_ref(m, obj, scope, hops + 1)? {
                    Ref::Path { base, mut path } => {
                        path.push(x.text(prop));
                        Some(Ref::Path { base, path })
                    }
                    Ref::Func(..) => None,
                }
            }
            K::Call => {
                let fun = x.field(n, f.function)?;
                let name = x.text(fun);
                if (name == "require" && !x.is_bound(scope, "require")) || fun.kind() == "import" {
                    let a = x.arg(n, 0)?;
                    if x.kind(a) != K::String {
                        return None;
                    }
                    return Some(Ref::Path {
                        base: Base::Module(m, unquote(x.text(a))),
                        path: Vec::new(),
                    });
                }
                if name == "promisify" || name.ends_with(".promisify") {
                    return self.resolve_ref(m, x.arg(n, 0)?, scope, hops + 1);
                }
                None
            }
            K::Function => Some(Ref::Func(m, n.id())),
            K::Wrapper => self.resolve_ref(m, inner(x, n)?, scope, hops + 1),
            _ => None,
        }
    }

    /// The method `prop` of a class of this module called on `obj`: `this`
    /// inside a class (methods are matched by name module-wide), a `new`
    /// of the class, or a name bound to one.
    fn instance_method(&self, m: usize, obj: Node<'a>, prop: &str, scope: usize) -> Option<usize> {
        let x = self.module(m)?;
        if x.classes.is_empty() {
            return None;
        }
        let method_of = |class: &str| -> Option<usize> {
            x.classes.get(class)?.iter().find(|(name, _)| *name == prop).map(|(_, fid)| *fid)
        };
        let class_of_new = |n: Node<'a>| -> Option<&'a str> {
            let mut n = n;
            while x.kind(n) == K::Wrapper {
                n = inner(x, n)?;
            }
            if x.kind(n) != K::New {
                return None;
            }
            let c = x.field(n, x.ids.f.constructor)?;
            (x.kind(c) == K::Identifier).then(|| x.text(c))
        };
        if obj.kind() == "this" {
            return x.classes.values().flatten().find(|(name, _)| *name == prop).map(|(_, f)| *f);
        }
        if let Some(class) = class_of_new(obj) {
            return method_of(class);
        }
        if x.kind(obj) != K::Identifier {
            return None;
        }
        x.lookup(scope, x.text(obj)).find_map(|bi| match x.bindings.get(bi as usize)?.kind {
            BindKind::Expr(v) => method_of(class_of_new(v)?),
            _ => None,
        })
    }

    /// The value of `this.prop`: everything assigned to it in the module's
    /// classes. A value from a constructor's or a method's parameter is
    /// followed to the arguments of the `new`s and calls of it.
    fn this_prop(&self, m: usize, prop: &'a str, d: u32) -> Val {
        if let Some(v) = self.this_memo.borrow().get(&(m, prop)) {
            return v.clone();
        }
        let Some(x) = self.module(m) else { return Val::default() };
        // Seen while computing itself (`this.n = this.n + 1`): no more.
        self.this_memo.borrow_mut().insert((m, prop), Val::default());
        let mut out = Val::default();
        for &(value, scope, site) in x.this_props.get(prop).map(Vec::as_slice).unwrap_or_default() {
            let v = self.eval(m, value, scope, d);
            let site_step = self.step_at(m, site);
            for o in v.o {
                let Src::Param { m: pm, fid, index } = o.src else {
                    let mut o = o;
                    o.push_step(&site_step);
                    out.add(o);
                    continue;
                };
                let method = (pm == m)
                    .then(|| {
                        x.classes.iter().find_map(|(class, ms)| {
                            ms.iter().find(|(_, f)| *f == fid).map(|(name, _)| (*class, *name))
                        })
                    })
                    .flatten();
                let Some((class, name)) = method else {
                    out.add(o);
                    continue;
                };
                let callers = if name == "constructor" {
                    x.news.get(class)
                } else {
                    x.method_calls.get(name)
                };
                for &(call, s) in callers.map(Vec::as_slice).unwrap_or_default().iter().take(64) {
                    let Some(arg) = x.arg(call, index).filter(|a| x.kind(*a) != K::Function) else {
                        continue;
                    };
                    let call_step = self.step_at(m, call);
                    for a in self.eval(m, arg, s, d).o {
                        let mut c = combine(&a, &call_step, &o);
                        c.push_step(&site_step);
                        out.add(c);
                    }
                }
            }
        }
        self.this_memo.borrow_mut().insert((m, prop), out.clone());
        out
    }

    /// The local function a reference names.
    fn target(&self, r: &Ref<'a>) -> Option<(usize, usize)> {
        match r {
            Ref::Func(m, fid) => Some((*m, *fid)),
            Ref::Path { base: Base::Module(m, spec), path } => {
                let m2 = self.local_module(*m, spec)?;
                self.find_export(m2, path)
            }
            Ref::Path { .. } => None,
        }
    }

    /// The qualified name of a package member or global (`child_process.exec`).
    fn qualified(&self, r: &Ref<'a>) -> Option<String> {
        let (head, path) = match r {
            Ref::Func(..) => return None,
            Ref::Path { base: Base::Module(m, spec), path } => {
                if self.local_module(*m, spec).is_some() {
                    return None;
                }
                let path = match path.first() {
                    Some(&"default") => path.get(1..).unwrap_or_default(),
                    _ => path.as_slice(),
                };
                (normalize_spec(spec), path)
            }
            Ref::Path { base: Base::Global(g), path } => {
                if matches!(*g, "globalThis" | "global" | "window" | "self") && !path.is_empty() {
                    let first = path.first().copied().unwrap_or_default();
                    (first, path.get(1..).unwrap_or_default())
                } else {
                    (*g, path.as_slice())
                }
            }
        };
        let mut q = String::with_capacity(head.len() + 16);
        q.push_str(head);
        for p in path {
            q.push('.');
            q.push_str(p);
        }
        // `fs.promises.readFile` and `fs/promises` are `fs`.
        if let Some(rest) = q.strip_prefix("fs.promises.") {
            q = format!("fs.{rest}");
        }
        Some(q)
    }

    /// A module's export by path (`handler`, `api.handler`, `default`).
    fn find_export(&self, m: usize, segs: &[&str]) -> Option<(usize, usize)> {
        let x = self.module(m)?;
        let (first, rest) = match segs.split_first() {
            Some((f, r)) => (*f, r),
            None => ("", &[][..]),
        };
        let names: &[&str] = match first {
            "" | "default" => &["default", ""],
            _ => &[],
        };
        let direct = if names.is_empty() {
            x.exports.iter().rev().find(|(e, _)| *e == first).map(|(_, v)| *v)
        } else {
            names.iter().find_map(|n| x.exports.iter().rev().find(|(e, _)| e == n).map(|(_, v)| *v))
        };
        let node = match direct {
            Some(v) => self.walk_props(m, v, rest),
            // `module.exports = { handler }` seen as `default.handler`.
            None if names.is_empty() => {
                let whole = x.exports.iter().rev().find(|(e, _)| e.is_empty() || *e == "default");
                whole.and_then(|(_, v)| self.walk_props(m, *v, segs))
            }
            None => None,
        }?;
        self.func_of(m, node, MODULE_SCOPE, 0)
    }

    fn walk_props(&self, m: usize, mut node: Node<'a>, props: &[&str]) -> Option<Node<'a>> {
        let x = self.module(m)?;
        for p in props {
            node = self.prop_of(m, node, p, 0).or_else(|| {
                // `exports.api = api` with `api.handler = fn`.
                (x.kind(node) == K::Identifier).then_some(()).and_then(|_| {
                    x.lookup(MODULE_SCOPE, x.text(node)).find_map(|bi| {
                        match x.bindings.get(bi as usize).map(|b| &b.kind) {
                            Some(BindKind::Contains { value, prop }) if prop == p => Some(*value),
                            _ => None,
                        }
                    })
                })
            })?;
        }
        Some(node)
    }

    /// Property `name` of the object literal `n` (through names bound to it).
    fn prop_of(&self, m: usize, n: Node<'a>, name: &str, hops: u32) -> Option<Node<'a>> {
        if hops > MAX_HOPS {
            return None;
        }
        let x = self.module(m)?;
        let f = &x.ids.f;
        match x.kind(n) {
            K::Object => {
                let mut c = n.walk();
                let children: Vec<Node<'a>> = n.named_children(&mut c).collect();
                children.into_iter().rev().find_map(|p| match x.kind(p) {
                    K::ShorthandProperty if x.text(p) == name => Some(p),
                    K::Pair => {
                        let k = x.field(p, f.key)?;
                        (unquote(x.text(k)) == name).then(|| x.field(p, f.value)).flatten()
                    }
                    K::Function => {
                        let k = x.field(p, f.name)?;
                        (x.text(k) == name).then_some(p)
                    }
                    _ => None,
                })
            }
            K::Identifier => x.lookup(MODULE_SCOPE, x.text(n)).find_map(|bi| {
                match x.bindings.get(bi as usize).map(|b| &b.kind) {
                    Some(BindKind::Expr(v)) => self.prop_of(m, *v, name, hops + 1),
                    _ => None,
                }
            }),
            K::Wrapper => self.prop_of(m, inner(x, n)?, name, hops + 1),
            _ => None,
        }
    }

    /// The function a value node is: a function, a name bound to one, an
    /// import of one, or the first function argument of a wrapper call
    /// (`middy(handler)`).
    fn func_of(&self, m: usize, n: Node<'a>, scope: usize, hops: u32) -> Option<(usize, usize)> {
        if hops > MAX_HOPS {
            return None;
        }
        let x = self.module(m)?;
        match x.kind(n) {
            K::Function => Some((m, n.id())),
            K::Identifier | K::ShorthandProperty | K::Member => {
                // `exports.handler = exports.other`: the module's own export.
                let own = x.text(n);
                if let Some(name) =
                    own.strip_prefix("module.exports.").or_else(|| own.strip_prefix("exports."))
                    && !name.contains(['.', '[', ' '])
                {
                    return x
                        .exports
                        .iter()
                        .rev()
                        .find(|(e, v)| *e == name && v.id() != n.id())
                        .and_then(|(_, v)| self.func_of(m, *v, MODULE_SCOPE, hops + 1));
                }
                let r = self.resolve_ref(m, n, scope, hops + 1)?;
                if let Some(t) = self.target(&r) {
                    return Some(t);
                }
                // `const handler = middy(base)`.
                if x.kind(n) == K::Identifier {
                    for bi in x.lookup(scope, x.text(n)) {
                        if let Some(BindKind::Expr(v)) =
                            x.bindings.get(bi as usize).map(|b| &b.kind)
                            && x.kind(*v) == K::Call
                            && let Some(t) = self.func_of(m, *v, scope, hops + 1)
                        {
                            return Some(t);
                        }
                    }
                }
                None
            }
            K::Call => {
                let args = x.args(n).into_iter().find_map(|a| self.func_of(m, a, scope, hops + 1));
                // `middy(base).use(parser)`: the wrapped function is inside.
                args.or_else(|| {
                    let fun = x.field(n, x.ids.f.function)?;
                    let obj = x.field(fun, x.ids.f.object)?;
                    self.func_of(m, obj, scope, hops + 1)
                })
            }
            K::Wrapper => self.func_of(m, inner(x, n)?, scope, hops + 1),
            _ => None,
        }
    }

    fn module_function(&self, m: usize, name: &str) -> Option<(usize, usize)> {
        let x = self.module(m)?;
        x.lookup(MODULE_SCOPE, name).find_map(|bi| {
            match x.bindings.get(bi as usize).map(|b| &b.kind) {
                Some(BindKind::Func(fid)) => Some((m, *fid)),
                Some(BindKind::Expr(v)) => self.func_of(m, *v, MODULE_SCOPE, 0),
                _ => None,
            }
        })
    }

    // -- evaluation -------------------------------------------------------------

    fn eval(&self, m: usize, n: Node<'a>, scope: usize, d: u32) -> Val {
        if !self.tick(d) {
            return Val::default();
        }
        let Some(x) = self.module(m) else { return Val::default() };
        let f = &x.ids.f;
        let d = d + 1;
        match x.kind(n) {
            K::Identifier | K::ShorthandProperty => {
                let name = x.text(n);
                let at = n.start_byte();
                // A value checked against an allow-list before this read.
                let guard = x
                    .guards
                    .get(&(scope, name))
                    .and_then(|list| list.iter().find(|(s, e)| *s <= at && at < *e))
                    .map(|(s, _)| *s);
                let mut v = Val::default();
                for bi in x.lookup(scope, name) {
                    if let Some(start) = guard
                        && x.bindings.get(bi as usize).is_some_and(|b| b.site.start_byte() < start)
                    {
                        continue;
                    }
                    v.union(self.binding(m, bi, n, d));
                }
                v
            }
            K::Member => {
                let (Some(obj), Some(prop)) = (x.field(n, f.object), x.field(n, f.property)) else {
                    return Val::default();
                };
                if obj.kind() == "this" && !x.this_props.is_empty() {
                    return self.this_prop(m, x.text(prop), d);
                }
                let v = self.eval(m, obj, scope, d);
                self.member(m, v, Seg::Prop(x.text(prop)), Some((n, obj)))
            }
            K::Subscript => {
                let (Some(obj), Some(index)) = (x.field(n, f.object), x.field(n, f.index)) else {
                    return Val::default();
                };
                let v = self.eval(m, obj, scope, d);
                let seg = match x.kind(index) {
                    K::String => Seg::Prop(unquote(x.text(index))),
                    _ => Seg::Elem,
                };
                self.member(m, v, seg, Some((n, obj)))
            }
            K::Call => self.eval_call(m, n, scope, d),
            K::New => self.eval_new(m, n, scope, d),
            K::Template => {
                let mut v = Val::default();
                let mut c = n.walk();
                let subs: Vec<Node<'a>> =
                    n.named_children(&mut c).filter(|s| x.kind(*s) == K::Substitution).collect();
                for s in subs {
                    if let Some(e) = s.named_child(0) {
                        v.union(self.eval(m, e, scope, d).closed());
                    }
                }
                v
            }
            K::Binary => {
                let op = x.field(n, f.operator).map(|o| x.text(o)).unwrap_or("");
                let (Some(l), Some(r)) = (x.field(n, f.left), x.field(n, f.right)) else {
                    return Val::default();
                };
                match op {
                    "+" => {
                        let mut v = self.eval(m, l, scope, d).closed();
                        v.union(self.eval(m, r, scope, d).closed());
                        v
                    }
                    "||" | "??" | "&&" => {
                        let mut v = self.eval(m, l, scope, d);
                        v.union(self.eval(m, r, scope, d));
                        v
                    }
                    _ => Val::default(),
                }
            }
            K::Wrapper => match inner(x, n) {
                Some(e) => self.eval(m, e, scope, d),
                None => Val::default(),
            },
            K::Object => {
                let mut v = Val::default();
                let mut c = n.walk();
                let children: Vec<Node<'a>> = n.named_children(&mut c).collect();
                for p in children {
                    let e = match x.kind(p) {
                        K::Pair => x.field(p, f.value),
                        K::ShorthandProperty | K::Spread => Some(p),
                        _ => None,
                    };
                    if let Some(e) = e {
                        v.union(self.eval(m, e, scope, d).closed());
                    }
                }
                v
            }
            K::Array | K::Arguments => {
                let mut v = Val::default();
                let mut c = n.walk();
                let children: Vec<Node<'a>> = n.named_children(&mut c).collect();
                for e in children {
                    v.union(self.eval(m, e, scope, d).closed());
                }
                v
            }
            K::Spread => match n.named_child(0) {
                Some(e) => self.eval(m, e, scope, d),
                None => Val::default(),
            },
            K::Ternary => {
                let mut v = Val::default();
                for e in
                    [x.field(n, f.consequence), x.field(n, f.alternative)].into_iter().flatten()
                {
                    v.union(self.eval(m, e, scope, d));
                }
                v
            }
            K::Sequence => {
                let count = u32::try_from(n.named_child_count()).unwrap_or(0);
                match count.checked_sub(1).and_then(|i| n.named_child(i)) {
                    Some(e) => self.eval(m, e, scope, d),
                    None => Val::default(),
                }
            }
            K::Assignment => match x.field(n, f.right) {
                Some(r) => self.eval(m, r, scope, d),
                None => Val::default(),
            },
            K::AugmentedAssignment => {
                let mut v = Val::default();
                for e in [x.field(n, f.left), x.field(n, f.right)].into_iter().flatten() {
                    v.union(self.eval(m, e, scope, d).closed());
                }
                v
            }
            _ => Val::default(),
        }
    }

    /// The value of binding `bi` of module `m`, read at `at`.
    fn binding(&self, m: usize, bi: u32, at: Node<'a>, d: u32) -> Val {
        let Some(x) = self.module(m) else { return Val::default() };
        let Some(b) = x.bindings.get(bi as usize) else { return Val::default() };
        if let BindKind::Param { fid, index, path } = &b.kind {
            return match self.roles.get(&(m, *fid, *index)) {
                Some(Role::Event) => {
                    let read = Rc::new(Read {
                        m,
                        start: at.start_byte(),
                        end: at.end_byte(),
                        step: Step { span: self.span(m, at), what: shorten(x.text(at)) },
                    });
                    let o = Origin {
                        src: Src::Read(read),
                        part: self.empty.clone(),
                        open: true,
                        cleared: 0,
                        parsed: false,
                        steps: Vec::new(),
                    };
                    let mut v = Val { o: vec![o], req: false };
                    for s in path.iter() {
                        v = self.member(m, v, *s, None);
                    }
                    v
                }
                Some(Role::Request) => {
                    let mut v = Val { o: Vec::new(), req: true };
                    for s in path.iter() {
                        v = self.member(m, v, *s, Some((at, at)));
                    }
                    v
                }
                None => {
                    let o = Origin {
                        src: Src::Param { m, fid: *fid, index: *index },
                        part: if path.is_empty() {
                            self.empty.clone()
                        } else {
                            Rc::from(join_path(path))
                        },
                        open: true,
                        cleared: 0,
                        parsed: false,
                        steps: Vec::new(),
                    };
                    Val { o: vec![o], req: false }
                }
            };
        }
        if let Some(v) = self.memo.borrow().get(&(m, bi)) {
            return v.clone();
        }
        if !self.busy.borrow_mut().insert((m, bi)) {
            return Val::default();
        }
        let v = match &b.kind {
            BindKind::Expr(v) => self.eval(m, *v, b.scope, d),
            BindKind::Path(v, segs) => {
                let mut val = self.eval(m, *v, b.scope, d);
                for s in segs.iter() {
                    val = self.member(m, val, *s, None);
                }
                val
            }
            BindKind::Contains { value, .. } => self.eval(m, *value, b.scope, d).closed(),
            _ => Val::default(),
        };
        let v = if v.o.is_empty() { v } else { v.step(&self.step_at(m, b.site)) };
        self.busy.borrow_mut().remove(&(m, bi));
        self.memo.borrow_mut().insert((m, bi), v.clone());
        v
    }

    /// A property or element of a value. `at` is the member expression and
    /// its object, when there is one: a read of the source directly
    /// followed by a property read becomes the longer read.
    fn member(&self, m: usize, v: Val, seg: Seg<'a>, at: Option<(Node<'a>, Node<'a>)>) -> Val {
        let mut out = Val::default();
        if v.req {
            match seg {
                Seg::Prop("request" | "req") => out.req = true,
                Seg::Prop(p) if INPUT_PROPS.contains(&p) => {
                    if let Some((n, _)) = at {
                        let x = self.module(m);
                        let read = Rc::new(Read {
                            m,
                            start: n.start_byte(),
                            end: n.end_byte(),
                            step: Step {
                                span: self.span(m, n),
                                what: x.map(|x| shorten(x.text(n))).unwrap_or_default(),
                            },
                        });
                        out.add(Origin {
                            src: Src::Read(read),
                            part: Rc::from(p),
                            open: true,
                            cleared: 0,
                            parsed: false,
                            steps: Vec::new(),
                        });
                    }
                }
                _ => {}
            }
        }
        if seg == Seg::Prop("length") {
            return out;
        }
        for mut o in v.o {
            if o.open {
                o.part = Rc::from(extend_part(&o.part, seg));
                if let (Src::Read(r), Some((n, obj))) = (&o.src, at)
                    && r.m == m
                    && r.start == obj.start_byte()
                    && r.end <= obj.end_byte()
                {
                    let what = self.module(m).map(|x| shorten(x.text(n))).unwrap_or_default();
                    o.src = Src::Read(Rc::new(Read {
                        m,
                        start: n.start_byte(),
                        end: n.end_byte(),
                        step: Step { span: self.span(m, n), what },
                    }));
                }
            }
            out.add(o);
        }
        out
    }

    fn eval_call(&self, m: usize, n: Node<'a>, scope: usize, d: u32) -> Val {
        let Some(x) = self.module(m) else { return Val::default() };
        let f = &x.ids.f;
        let Some(fun) = x.field(n, f.function) else { return Val::default() };
        let r = self.resolve_ref(m, fun, scope, 0);
        if let Some((m2, fid)) = r.as_ref().and_then(|r| self.target(r)) {
            return self.call_return(m, n, scope, d, m2, fid);
        }
        if let Some(((m2, fid), _)) = self.call_or_apply(m, n, scope) {
            return self.call_return(m, n, scope, d, m2, fid);
        }
        let q = r.as_ref().and_then(|r| self.qualified(r));
        if q.as_deref() == Some("require") {
            return Val::default();
        }
        let member = (x.kind(fun) == K::Member)
            .then(|| Some((x.field(fun, f.object)?, x.text(x.field(fun, f.property)?))))
            .flatten();
        let mask = catalog().sanitizes(q.as_deref(), member.map(|(_, p)| p));
        if mask == ALL_CLASSES {
            return Val::default();
        }
        let mut v = Val::default();
        if let Some((_, method)) = member
            && matches!(method, "map" | "flatMap")
            && let Some(cb) = x.arg(n, 0).filter(|a| x.kind(*a) == K::Function)
        {
            // The callback's element parameter is bound to the receiver's
            // elements: what it returns is the result.
            let s = self.summary(m, cb.id());
            for o in &s.ret.o {
                if !matches!(o.src, Src::Param { fid, .. } if fid == cb.id()) {
                    v.add(o.clone());
                }
            }
            return v.closed().clear(mask);
        }
        if let Some((obj, method)) = member {
            let recv = self.eval(m, obj, scope, d);
            if recv.req
                && let Some(part) = request_method(method)
            {
                let read = Rc::new(Read {
                    m,
                    start: n.start_byte(),
                    end: n.end_byte(),
                    step: Step { span: self.span(m, n), what: shorten(x.text(n)) },
                });
                v.add(Origin {
                    src: Src::Read(read),
                    part: Rc::from(part),
                    open: false,
                    cleared: 0,
                    parsed: false,
                    steps: Vec::new(),
                });
            }
            v.union(recv.closed());
        }
        for a in x.args(n) {
            if x.kind(a) != K::Function {
                v.union(self.eval(m, a, scope, d).closed());
            }
        }
        if let Some((_, method)) = member
            && self.reads_s3_object(m, n, method, scope)
        {
            // Object content is written by whoever can put objects in the
            // bucket (uploads, other functions): input of its own. The
            // request's Bucket and Key choose the object, they are not in
            // its content.
            v = Val::default();
            let read = Rc::new(Read {
                m,
                start: n.start_byte(),
                end: n.end_byte(),
                step: Step { span: self.span(m, n), what: shorten(x.text(n)) },
            });
            v.add(Origin {
                src: Src::Read(read),
                part: Rc::from("s3 object content"),
                open: false,
                cleared: 0,
                parsed: false,
                steps: Vec::new(),
            });
        }
        if q.as_deref() == Some("JSON.parse") {
            for o in &mut v.o {
                o.parsed = true;
            }
        }
        v.clear(mask)
    }

    /// `client.send(new GetObjectCommand(..))` (SDK v3) or
    /// `s3.getObject(params)` (v2): the result holds an object's content.
    fn reads_s3_object(&self, m: usize, call: Node<'a>, method: &str, scope: usize) -> bool {
        let Some(x) = self.module(m) else { return false };
        let Some(mut arg) = x.arg(call, 0) else { return false };
        match method {
            "getObject" => x.kind(arg) != K::Function,
            "send" => {
                let mut s = scope;
                for _ in 0..MAX_HOPS {
                    match x.kind(arg) {
                        K::New => {
                            return x
                                .field(arg, x.ids.f.constructor)
                                .and_then(|c| self.resolve_ref(m, c, s, 0))
                                .and_then(|r| self.qualified(&r))
                                .is_some_and(|q| q.ends_with("GetObjectCommand"));
                        }
                        K::Wrapper => match inner(x, arg) {
                            Some(e) => arg = e,
                            None => return false,
                        },
                        K::Identifier => {
                            let next = x.lookup(s, x.text(arg)).into_iter().find_map(|bi| {
                                let b = x.bindings.get(bi as usize)?;
                                match &b.kind {
                                    BindKind::Expr(v) => Some((*v, b.scope)),
                                    _ => None,
                                }
                            });
                            match next {
                                Some((v, bs)) => (arg, s) = (v, bs),
                                None => return false,
                            }
                        }
                        _ => return false,
                    }
                }
                false
            }
            _ => false,
        }
    }

    fn eval_new(&self, m: usize, n: Node<'a>, scope: usize, d: u32) -> Val {
        let Some(x) = self.module(m) else { return Val::default() };
        let q = x
            .field(n, x.ids.f.constructor)
            .and_then(|c| self.resolve_ref(m, c, scope, 0))
            .and_then(|r| self.qualified(&r));
        let mask = catalog().sanitizes(q.as_deref(), None);
        if mask == ALL_CLASSES {
            return Val::default();
        }
        let mut v = Val::default();
        for a in x.args(n) {
            if x.kind(a) != K::Function {
                v.union(self.eval(m, a, scope, d).closed());
            }
        }
        v.clear(mask)
    }

    /// The value a call of local function `(m2, fid)` returns: its summary
    /// with the parameters replaced by the arguments.
    fn call_return(
        &self,
        m: usize,
        n: Node<'a>,
        scope: usize,
        d: u32,
        m2: usize,
        fid: usize,
    ) -> Val {
        let s = self.summary(m2, fid);
        if s.ret.o.is_empty() {
            return Val::default();
        }
        let call_step = self.step_at(m, n);
        let mut args: HashMap<usize, Val> = HashMap::new();
        let mut v = Val::default();
        for o in &s.ret.o {
            match o.src {
                Src::Param { m: pm, fid: pf, index } if pm == m2 && pf == fid => {
                    let arg = args
                        .entry(index)
                        .or_insert_with(|| self.arg_val(m, n, index, scope, d))
                        .clone();
                    for a in arg.o {
                        v.add(combine(&a, &call_step, o));
                    }
                }
                _ => {
                    let mut o = o.clone();
                    o.push_step(&call_step);
                    v.add(o);
                }
            }
        }
        v
    }

    fn arg_val(&self, m: usize, call: Node<'a>, index: usize, scope: usize, d: u32) -> Val {
        let Some(x) = self.module(m) else { return Val::default() };
        let arg = match self.call_or_apply(m, call, scope) {
            // `f.call(thisArg, a, b)`: the arguments follow `this`.
            Some((_, false)) => x.arg(call, index + 1),
            // `f.apply(thisArg, [a, b])`: an array literal's elements; any
            // other array passes its whole value to every parameter.
            Some((_, true)) => match x.arg(call, 1) {
                Some(list) if x.kind(list) == K::Array => {
                    let mut c = list.walk();
                    list.named_children(&mut c).filter(|e| x.kind(*e) != K::Comment).nth(index)
                }
                other => other,
            },
            None => x.arg(call, index),
        };
        match arg {
            Some(a) if x.kind(a) != K::Function => self.eval(m, a, scope, d),
            _ => Val::default(),
        }
    }

    /// `f.call(...)` or `f.apply(...)` of a local function `f`: its target,
    /// and whether it is `apply`.
    fn call_or_apply(
        &self,
        m: usize,
        call: Node<'a>,
        scope: usize,
    ) -> Option<((usize, usize), bool)> {
        let x = self.module(m)?;
        let fun = x.field(call, x.ids.f.function)?;
        if x.kind(fun) != K::Member {
            return None;
        }
        let apply = match x.text(x.field(fun, x.ids.f.property)?) {
            "call" => false,
            "apply" => true,
            _ => return None,
        };
        let obj = x.field(fun, x.ids.f.object)?;
        let target = self.resolve_ref(m, obj, scope, 0).and_then(|r| self.target(&r))?;
        Some((target, apply))
    }

    // -- summaries and sinks -------------------------------------------------------

    fn summary(&self, m: usize, fid: usize) -> Rc<Summary> {
        if let Some(s) = self.summaries.borrow().get(&(m, fid)) {
            return s.clone();
        }
        if self.nesting.get() >= MAX_SUMMARY_NESTING {
            self.nesting_cut.set(true);
            return Rc::new(Summary::default());
        }
        if !self.summary_busy.borrow_mut().insert((m, fid)) {
            return Rc::new(Summary::default());
        }
        self.nesting.set(self.nesting.get() + 1);
        let mut s = Summary::default();
        if let Some(x) = self.module(m) {
            for e in x.returns.get(&fid).map(Vec::as_slice).unwrap_or_default() {
                s.ret.union(self.eval(m, *e, fid, 0));
            }
            s.ret.req = false;
            if let Some(func) = x.funcs.get(&fid) {
                let (start, end) = (func.node.start_byte(), func.node.end_byte());
                let first = x.sites.partition_point(|site| site.node.start_byte() < start);
                let last = x.sites.partition_point(|site| site.node.start_byte() < end);
                for si in first..last {
                    if !self.tick(0) {
                        break;
                    }
                    for h in self.check_site(m, si).iter() {
                        let origins: Vec<Origin> = h
                            .origins
                            .iter()
                            .filter(|o| {
                                matches!(o.src, Src::Param { m: pm, fid: pf, .. } if pm == m && pf == fid)
                            })
                            .cloned()
                            .collect();
                        if !origins.is_empty() && s.sinks.len() < 256 {
                            s.sinks.push(Hit { origins, ..h.clone() });
                        }
                    }
                }
            }
        }
        self.nesting.set(self.nesting.get().saturating_sub(1));
        self.summary_busy.borrow_mut().remove(&(m, fid));
        let s = Rc::new(s);
        self.summaries.borrow_mut().insert((m, fid), s.clone());
        s
    }

    /// The sinks a site reaches, with the origins reaching each.
    fn check_site(&self, m: usize, si: usize) -> Rc<Vec<Hit>> {
        if let Some(Some(h)) = self.site_memo.borrow().get(m).and_then(|v| v.get(si)) {
            return h.clone();
        }
        let hits = self.site_hits(m, si);
        let hits = if hits.is_empty() { self.no_hits.clone() } else { Rc::new(hits) };
        if let Some(slot) = self.site_memo.borrow_mut().get_mut(m).and_then(|v| v.get_mut(si)) {
            *slot = Some(hits.clone());
        }
        hits
    }

    fn site_hits(&self, m: usize, si: usize) -> Vec<Hit> {
        let Some(x) = self.module(m) else { return Vec::new() };
        let Some(site) = x.sites.get(si).copied() else { return Vec::new() };
        let (n, scope) = (site.node, site.scope);
        let f = &x.ids.f;
        if let SiteKind::Location(value) = site.kind {
            let v = self.eval(m, value, scope, 0);
            return self.hit(m, SinkClass::OpenRedirect, "Location header", n, v);
        }
        let is_new = x.kind(n) == K::New;
        let fun = if is_new { x.field(n, f.constructor) } else { x.field(n, f.function) };
        let Some(fun) = fun else { return Vec::new() };
        let r = self.resolve_ref(m, fun, scope, 0);
        if !is_new && let Some((m2, fid)) = r.as_ref().and_then(|r| self.target(r)) {
            return self.call_hits(m, n, scope, m2, fid);
        }
        if !is_new && let Some(((m2, fid), _)) = self.call_or_apply(m, n, scope) {
            return self.call_hits(m, n, scope, m2, fid);
        }
        let q = r.as_ref().and_then(|r| self.qualified(r));
        let member = (x.kind(fun) == K::Member)
            .then(|| {
                let obj = x.field(fun, f.object)?;
                let prop = x.text(x.field(fun, f.property)?);
                Some((prop, last_name(x, obj)))
            })
            .flatten();
        let cat = catalog();
        let matched = cat.matches(q.as_deref(), member);
        let mut hits = Vec::new();
        for (i, by_callee) in matched {
            let Some(sink) = cat.sinks.get(i) else { continue };
            let name = match (by_callee, &q, member) {
                (true, Some(q), _) => q.clone(),
                (_, _, Some((method, recv))) => {
                    if recv.is_empty() {
                        method.to_string()
                    } else {
                        format!("{recv}.{method}")
                    }
                }
                _ => continue,
            };
            let v = self.sink_args(m, n, scope, sink);
            hits.extend(self.hit(m, sink.class, &name, n, v));
        }
        hits
    }

    fn hit(&self, m: usize, class: SinkClass, name: &str, n: Node<'a>, v: Val) -> Vec<Hit> {
        let origins: Vec<Origin> =
            v.o.into_iter().filter(|o| o.cleared & bit(class) == 0).collect();
        if origins.is_empty() {
            return Vec::new();
        }
        vec![Hit { class, name: Rc::from(name), sink: self.step_at(m, n), origins }]
    }

    /// The value of the arguments a sink entry checks, when the call has
    /// the entry's shape.
    fn sink_args(&self, m: usize, call: Node<'a>, scope: usize, sink: &catalog::Sink) -> Val {
        let Some(x) = self.module(m) else { return Val::default() };
        let args = x.args(call);
        let mut positions: Vec<usize> = match &sink.args {
            Some(p) => p.clone(),
            None => (0..args.len()).collect(),
        };
        let mut keys: Vec<&str> = sink.keys.iter().map(String::as_str).collect();
        let mut keys_only = sink.keys_only;
        let mut nosql_fields = Val::default();
        match sink.condition {
            Some(Condition::Shell) => {
                let shell_program = args
                    .first()
                    .filter(|a| x.kind(**a) == K::String)
                    .is_some_and(|a| SHELLS.contains(&unquote(x.text(*a))));
                let shell_option = args.iter().any(|a| {
                    self.prop_value(m, *a, scope, "shell")
                        .is_some_and(|v| !matches!(x.text(v), "false" | "undefined" | "null"))
                });
                if shell_program || shell_option {
                    positions.extend(sink.shell_args.iter().copied());
                }
            }
            Some(Condition::Noent) => {
                let on = args.iter().skip(1).any(|a| {
                    self.prop_value(m, *a, scope, "noent").is_some_and(|v| x.text(v) == "true")
                });
                if !on {
                    return Val::default();
                }
            }
            Some(Condition::UnsafeYaml) => {
                let safe = args.get(1).is_some_and(|a| {
                    let t = x.text(*a);
                    ["SAFE_SCHEMA", "JSON_SCHEMA", "CORE_SCHEMA", "FAILSAFE_SCHEMA"]
                        .iter()
                        .any(|s| t.contains(s))
                });
                if safe {
                    return Val::default();
                }
            }
            Some(Condition::NoSql) => {
                if args.first().is_some_and(|a| x.kind(*a) == K::Function) {
                    return Val::default();
                }
                keys = vec!["$where"];
                keys_only = false;
                if let Some(a) = args.first() {
                    nosql_fields = self.parsed_fields(m, *a, scope);
                }
            }
            Some(Condition::Location) => {
                let location = args
                    .first()
                    .is_some_and(|a| unquote(x.text(*a)).eq_ignore_ascii_case("location"));
                if !location {
                    return Val::default();
                }
            }
            None => {}
        }
        positions.sort_unstable();
        positions.dedup();
        let mut v = Val::default();
        for p in positions {
            let Some(a) = args.get(p).copied() else { continue };
            if x.kind(a) == K::Function {
                continue;
            }
            // A URL whose scheme and host are written in the code: input
            // chooses the path on a server the code chose, not the server.
            if sink.class == SinkClass::Ssrf
                && self.constant_prefix(m, a, scope, 0).is_some_and(|p| has_host_prefix(&p))
            {
                continue;
            }
            if keys.is_empty() {
                v.union(self.eval(m, a, scope, 0));
                continue;
            }
            match self.object_parts(m, a, scope, &keys) {
                Some(parts) => {
                    for (node, s, site) in parts {
                        let mut part = self.eval(m, node, s, 0);
                        if let Some(site) = site
                            && !part.o.is_empty()
                        {
                            part = part.step(&self.step_at(m, site));
                        }
                        v.union(part);
                    }
                }
                None if !keys_only => v.union(self.eval(m, a, scope, 0)),
                None => {}
            }
        }
        v.union(nosql_fields);
        v
    }

    /// The text a string expression starts with, as far as it is written in
    /// the code: literals, template literals and `+` concatenations, through
    /// names bound once to such a value. `None` when it starts with data.
    fn constant_prefix(&self, m: usize, n: Node<'a>, scope: usize, d: u32) -> Option<String> {
        self.constant_text(m, n, scope, d).map(|(text, _)| text)
    }

    /// [`Engine::constant_prefix`] and whether the whole value is constant.
    fn constant_text(&self, m: usize, n: Node<'a>, scope: usize, d: u32) -> Option<(String, bool)> {
        if d > 6 {
            return None;
        }
        let x = self.module(m)?;
        match x.kind(n) {
            K::String => Some((unquote(x.text(n)).to_string(), true)),
            K::Template => {
                let mut out = String::new();
                let mut c = n.walk();
                for part in n.named_children(&mut c) {
                    match x.kind(part) {
                        K::Substitution => {
                            let e = part.named_child(0)?;
                            match self.constant_text(m, e, scope, d + 1) {
                                Some((t, true)) => out.push_str(&t),
                                Some((t, false)) => {
                                    out.push_str(&t);
                                    return Some((out, false));
                                }
                                None => return (!out.is_empty()).then_some((out, false)),
                            }
                        }
                        _ => out.push_str(x.text(part)),
                    }
                }
                Some((out, true))
            }
            K::Binary if n.child(1).is_some_and(|o| x.text(o) == "+") => {
                let (mut left, whole) = self.constant_text(m, n.child(0)?, scope, d + 1)?;
                if !whole {
                    return Some((left, false));
                }
                match n.child(2).and_then(|r| self.constant_text(m, r, scope, d + 1)) {
                    Some((right, whole)) => {
                        left.push_str(&right);
                        Some((left, whole))
                    }
                    None => Some((left, false)),
                }
            }
            K::Wrapper => self.constant_text(m, inner(x, n)?, scope, d + 1),
            K::Identifier => {
                let mut found = x.lookup(scope, x.text(n));
                let bi = found.next()?;
                if found.next().is_some() {
                    return None;
                }
                let b = x.bindings.get(bi as usize)?;
                match b.kind {
                    BindKind::Expr(v) => self.constant_text(m, v, b.scope, d + 1),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The fields of a query object literal whose values may be structures
    /// parsed from input: `{ user: body.user }` with `body = JSON.parse(..)`
    /// matches anything when `body.user` is `{"$ne": null}`.
    fn parsed_fields(&self, m: usize, n: Node<'a>, scope: usize) -> Val {
        let mut v = Val::default();
        let Some(x) = self.module(m) else { return v };
        let (mut node, mut s) = (n, scope);
        for _ in 0..MAX_HOPS {
            match x.kind(node) {
                K::Wrapper => match inner(x, node) {
                    Some(e) => node = e,
                    None => return v,
                },
                K::Identifier => {
                    let next = x.lookup(s, x.text(node)).into_iter().find_map(|bi| {
                        let b = x.bindings.get(bi as usize)?;
                        match &b.kind {
                            BindKind::Expr(e) => Some((*e, b.scope)),
                            _ => None,
                        }
                    });
                    match next {
                        Some((e, bs)) => (node, s) = (e, bs),
                        None => return v,
                    }
                }
                K::Object => break,
                _ => return v,
            }
        }
        if x.kind(node) != K::Object {
            return v;
        }
        let mut c = node.walk();
        let children: Vec<Node<'a>> = node.named_children(&mut c).collect();
        for p in children {
            let e = match x.kind(p) {
                K::Pair => x.field(p, x.ids.f.value),
                K::ShorthandProperty => Some(p),
                _ => None,
            };
            let Some(e) = e else { continue };
            for o in self.eval(m, e, s, 0).o {
                if o.parsed {
                    v.add(o);
                }
            }
        }
        v
    }

    /// The values of `keys` in the object literal `n` is (or a name bound
    /// to one is), with `name.key = value` assignments; `None` when `n` is
    /// not an object literal.
    fn object_parts(
        &self,
        m: usize,
        n: Node<'a>,
        scope: usize,
        keys: &[&str],
    ) -> Option<Vec<(Node<'a>, usize, Option<Node<'a>>)>> {
        let x = self.module(m)?;
        let mut cur = (n, scope);
        let mut assigned = Vec::new();
        for _ in 0..MAX_HOPS {
            let (node, s) = cur;
            match x.kind(node) {
                K::Object => {
                    let mut out = assigned;
                    for k in keys {
                        if let Some(v) = self.prop_of(m, node, k, MAX_HOPS) {
                            out.push((v, s, None));
                        }
                    }
                    return Some(out);
                }
                K::Wrapper => cur = (inner(x, node)?, s),
                K::Identifier => {
                    let mut next = None;
                    for bi in x.lookup(s, x.text(node)) {
                        let Some(b) = x.bindings.get(bi as usize) else { continue };
                        match &b.kind {
                            BindKind::Contains { value, prop } if keys.contains(prop) => {
                                assigned.push((*value, b.scope, Some(b.site)));
                            }
                            BindKind::Expr(v) if next.is_none() => next = Some((*v, b.scope)),
                            _ => {}
                        }
                    }
                    cur = next?;
                }
                _ => return None,
            }
        }
        None
    }

    /// The value node of property `key` of an object literal argument.
    fn prop_value(&self, m: usize, n: Node<'a>, scope: usize, key: &str) -> Option<Node<'a>> {
        self.object_parts(m, n, scope, &[key])?.into_iter().next().map(|(v, _, _)| v)
    }

    /// Sinks reached through a call of local function `(m2, fid)`: its
    /// summary's sinks with the parameters replaced by the arguments.
    fn call_hits(&self, m: usize, n: Node<'a>, scope: usize, m2: usize, fid: usize) -> Vec<Hit> {
        let s = self.summary(m2, fid);
        if s.sinks.is_empty() {
            return Vec::new();
        }
        let call_step = self.step_at(m, n);
        let mut args: HashMap<usize, Val> = HashMap::new();
        let mut hits = Vec::new();
        for h in &s.sinks {
            let mut v = Val::default();
            for o in &h.origins {
                let Src::Param { index, .. } = o.src else { continue };
                let arg = args
                    .entry(index)
                    .or_insert_with(|| self.arg_val(m, n, index, scope, 0))
                    .clone();
                for a in arg.o {
                    v.add(combine(&a, &call_step, o));
                }
            }
            let origins: Vec<Origin> =
                v.o.into_iter().filter(|o| o.cleared & bit(h.class) == 0).collect();
            if !origins.is_empty() {
                hits.push(Hit { origins, ..h.clone() });
            }
        }
        hits
    }
}

/// An argument origin `a` flowing into a callee where parameter origin
/// `inner` got somewhere.
fn combine(a: &Origin, call: &Rc<Step>, inner: &Origin) -> Origin {
    let mut o = a.clone();
    o.push_step(call);
    for s in &inner.steps {
        o.push_step(s);
    }
    if a.open && !inner.part.is_empty() {
        o.part = Rc::from(if a.part.is_empty() {
            inner.part.to_string()
        } else if inner.part.starts_with('[') {
            format!("{}{}", a.part, inner.part)
        } else {
            format!("{}.{}", a.part, inner.part)
        });
    }
    o.open = a.open && inner.open;
    o.cleared |= inner.cleared;
    o
}

fn extend_part(part: &str, seg: Seg<'_>) -> String {
    if part.len() > 200 {
        return part.to_string();
    }
    match seg {
        Seg::Prop(p) if part.is_empty() => p.to_string(),
        Seg::Prop(p) => format!("{part}.{p}"),
        Seg::Elem => format!("{part}[]"),
    }
}

fn join_path(path: &[Seg<'_>]) -> String {
    path.iter().fold(String::new(), |acc, s| extend_part(&acc, *s))
}

/// The expression inside a wrapper (parentheses, `await`, type assertions).
fn inner<'a>(x: &Module<'a>, n: Node<'a>) -> Option<Node<'a>> {
    let mut c = n.walk();
    n.named_children(&mut c).find(|e| !matches!(x.kind(*e), K::Inert | K::Comment))
}

/// The last name of a receiver (`this.db` -> `db`), empty when it has none.
fn last_name<'a>(x: &Module<'a>, n: Node<'a>) -> &'a str {
    match x.kind(n) {
        K::Identifier => x.text(n),
        K::Member => x.field(n, x.ids.f.property).map(|p| x.text(p)).unwrap_or(""),
        K::Wrapper => inner(x, n).map(|i| last_name(x, i)).unwrap_or(""),
        // `knex('users').orderByRaw(...)`: named after the builder.
        K::Call => x.field(n, x.ids.f.function).map(|f| last_name(x, f)).unwrap_or(""),
        _ => "",
    }
}

/// `node:fs` is `fs`; `fs/promises` and drop-in replacements are `fs`.
fn normalize_spec(spec: &str) -> &str {
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    match spec {
        "fs/promises" | "fs-extra" | "graceful-fs" | "mz/fs" => "fs",
        "child_process/promises" => "child_process",
        _ => spec,
    }
}

/// What a step shows: the binding or call, on one line.
fn what_of(x: &Module<'_>, n: Node<'_>) -> String {
    let f = &x.ids.f;
    match x.kind(n) {
        K::ForIn => {
            let l = x.field(n, f.left).map(|l| x.text(l)).unwrap_or("");
            let r = x.field(n, f.right).map(|r| x.text(r)).unwrap_or("");
            let op = x.field(n, f.operator).map(|o| x.text(o)).unwrap_or("of");
            shorten(&format!("{} {op} {}", cut(l), cut(r)))
        }
        K::Function => {
            let t = x.text(n);
            let head = t.split(['{']).next().unwrap_or(t);
            let head = head.split("=>").next().unwrap_or(head);
            shorten(&format!("{} => ...", head.trim()))
        }
        _ => shorten(text(n, x.src)),
    }
}

fn cut(s: &str) -> &str {
    let mut end = s.len().min(200);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Source text on one line, at most [`MAX_WHAT`] characters.
fn shorten(s: &str) -> String {
    let s = cut(s);
    let mut out = String::with_capacity(s.len().min(MAX_WHAT + 3));
    let mut count = 0;
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        for ch in word.chars() {
            if count >= MAX_WHAT {
                out.push_str("...");
                return out;
            }
            out.push(ch);
            count += 1;
        }
    }
    out
}

/// The steps shown: the first two and the latest, at most
/// [`MAX_SHOWN_STEPS`], without repeats.
fn shown_steps(steps: &[Rc<Step>]) -> Vec<Step> {
    let mut unique: Vec<&Rc<Step>> = Vec::new();
    for s in steps {
        if !unique.iter().any(|u| u.span == s.span) {
            unique.push(s);
        }
    }
    if unique.len() <= MAX_SHOWN_STEPS {
        return unique.into_iter().map(|s| (**s).clone()).collect();
    }
    let tail = MAX_SHOWN_STEPS - 2;
    let skip = unique.len() - tail;
    unique.iter().take(2).chain(unique.iter().skip(skip)).map(|s| (***s).clone()).collect()
}

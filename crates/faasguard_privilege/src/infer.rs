//! The permissions a function needs: its SDK calls, each turned into IAM
//! actions and resources, and what the platform needs for it.
//!
//! For each call `faasguard_code` found, the catalog gives the actions
//! (`faasguard_iam::operations`); each action's resource types give ARN
//! formats (`arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}`)
//! whose variables are filled from the call's arguments through
//! `data/arg-bindings.json` (which request parameter fills which variable,
//! and what kind of value it holds: a name, an ARN, a queue URL...). An
//! argument read from an environment variable is read through the
//! function's configuration ([`resources::value_of`]), so
//! `os.environ["TABLE"]` with `TABLE: !Ref Orders` becomes a reference to
//! `Orders`. What cannot be followed stays a [`Piece::Wild`] in the
//! narrowest place, with [`ResourceArn::unresolved`] set; an operation the
//! catalog does not know is a note, never `*`.
//!
//! Every ARN built is checked against the format it was built from; one
//! that does not fit (a topic ARN passed where a queue URL belongs) is
//! replaced by the format with every variable a wildcard.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use faasguard_code::handler;
use faasguard_code::sdk::{self, ArgValue, Part, SdkCall};
use faasguard_iam::catalog::{Catalog, catalog};
use faasguard_iam::operations::{self, required_actions};
use faasguard_iam::pattern::{PreparedArn, PreparedFormat, arn_matches_prepared};
use faasguard_model::{App, Function, FunctionId};
use faasguard_source::{SourceDb, Span};
use serde::Deserialize;

use crate::resources::{push_piece, push_text, value_of};
use crate::{
    Confidence, Evidence, Inference, InferenceNote, Need, NeedSource, Piece, RefAttr, ResourceArn,
};

static BINDINGS_JSON: &str = include_str!("../data/arg-bindings.json");

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    // A unit test parses the embedded table; the empty fallback only keeps
    // the core free of panics.
    Tables::from_json(BINDINGS_JSON).unwrap_or_default()
});

#[derive(Deserialize)]
struct RawTables {
    bindings: Vec<Binding>,
    #[serde(default)]
    cues: Vec<Cue>,
}

/// A request parameter that fills ARN format variables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Binding {
    client: String,
    param: String,
    vars: Vec<String>,
    kind: ValueKind,
    /// Only for these operations (all when empty).
    #[serde(default)]
    operations: Vec<String>,
    /// Only for these actions (all when empty); wins over a general binding.
    #[serde(default)]
    actions: Vec<String>,
}

impl Binding {
    fn applies(&self, operation: &str, action: &str) -> bool {
        (self.operations.is_empty()
            || self.operations.iter().any(|o| o.eq_ignore_ascii_case(operation)))
            && (self.actions.is_empty()
                || self.actions.iter().any(|a| a.eq_ignore_ascii_case(action)))
    }
}

/// What a request parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ValueKind {
    Name,
    Arn,
    QueueUrl,
    SecretId,
    SsmName,
    SsmPath,
    KmsKey,
    Function,
    CopySource,
    EventEntries,
}

/// A request parameter that shows an optional action applies.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cue {
    client: String,
    param: String,
    #[serde(default)]
    value: Option<String>,
    action: String,
}

#[derive(Default)]
struct Tables {
    /// Lower-case client name to its bindings, action-specific ones first.
    bindings: HashMap<String, Vec<Binding>>,
    cues: HashMap<String, Vec<Cue>>,
}

impl Tables {
    fn from_json(text: &str) -> Result<Tables, String> {
        let raw: RawTables = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut t = Tables::default();
        for b in raw.bindings {
            t.bindings.entry(b.client.to_ascii_lowercase()).or_default().push(b);
        }
        for list in t.bindings.values_mut() {
            list.sort_by_key(|b| b.actions.is_empty());
        }
        for c in raw.cues {
            t.cues.entry(c.client.to_ascii_lowercase()).or_default().push(c);
        }
        Ok(t)
    }

    fn bindings(&self, client: &str) -> &[Binding] {
        self.bindings.get(&client.to_ascii_lowercase()).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A token of an ARN format.
#[derive(Debug, Clone, Copy)]
enum Tok {
    Lit(&'static str),
    Var(&'static str),
}

struct Format {
    toks: Vec<Tok>,
    prepared: PreparedFormat,
}

struct TypeInfo {
    name: &'static str,
    required: bool,
    is_bucket: bool,
    formats: Vec<Format>,
}

struct ActionInfo {
    types: Vec<TypeInfo>,
}

fn tokens(format: &'static str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        if start > 0 {
            out.push(Tok::Lit(rest.get(..start).unwrap_or("")));
        }
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(end) = after.find('}') else {
            out.push(Tok::Lit(rest.get(start..).unwrap_or("")));
            return out;
        };
        out.push(Tok::Var(after.get(..end).unwrap_or("")));
        rest = after.get(end + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Tok::Lit(rest));
    }
    out
}

fn is_deployment_var(v: &str) -> bool {
    matches!(v, "Partition" | "Region" | "Account")
}

/// Per-function state: caches of environment values and catalog lookups.
pub(crate) struct Cx<'a> {
    app: &'a App,
    func: &'a Function,
    catalog: &'static Catalog,
    env: HashMap<String, Rc<ResourceArn>>,
    actions: HashMap<String, Option<Rc<ActionInfo>>>,
    /// `required_actions` by client and operation.
    operations: HashMap<(String, String), Rc<operations::OperationActions>>,
    /// Environment variables the code reads that the function does not
    /// set, not yet reported.
    unset_env: Vec<String>,
    reported_env: Vec<String>,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(app: &'a App, func: &'a Function) -> Self {
        Cx {
            app,
            func,
            catalog: catalog(),
            env: HashMap::new(),
            actions: HashMap::new(),
            operations: HashMap::new(),
            unset_env: Vec::new(),
            reported_env: Vec::new(),
        }
    }

    fn action_info(&mut self, action: &str) -> Option<Rc<ActionInfo>> {
        if let Some(found) = self.actions.get(action) {
            return found.clone();
        }
        let info = self.catalog.action(action).map(|a| {
            let types = a
                .action
                .resources
                .iter()
                .filter_map(|r| {
                    let rt = a.service.resource(&r.name)?;
                    Some(TypeInfo {
                        name: rt.name.as_str(),
                        required: r.required,
                        // `arn_matches` treats every type named `bucket` as
                        // S3's (no `/`); Lightsail has a `Bucket` with one.
                        is_bucket: a.service.prefix == "s3"
                            && rt.name.eq_ignore_ascii_case("bucket"),
                        formats: rt
                            .arns
                            .iter()
                            .map(|f| Format {
                                toks: tokens(f.as_str()),
                                prepared: PreparedFormat::new(f),
                            })
                            .collect(),
                    })
                })
                .collect();
            Rc::new(ActionInfo { types })
        });
        self.actions.insert(action.to_owned(), info.clone());
        info
    }

    fn env_value(&mut self, name: &str) -> Option<Rc<ResourceArn>> {
        if let Some(v) = self.env.get(name) {
            return Some(v.clone());
        }
        let var = self.func.environment.iter().rev().find(|e| e.name == name)?;
        let v = Rc::new(value_of(self.app, &var.value));
        self.env.insert(name.to_owned(), v.clone());
        Some(v)
    }

    /// What an argument holds at run time.
    fn arg_value(&mut self, v: &ArgValue) -> ResourceArn {
        let mut out = ResourceArn { pieces: Vec::new(), resource_type: None, unresolved: false };
        match v {
            ArgValue::Literal(s) => push_text(&mut out.pieces, s),
            ArgValue::Env(name) => self.push_env(name, &mut out, true),
            ArgValue::Template(parts) => {
                for p in parts {
                    match p {
                        Part::Literal(s) => push_text(&mut out.pieces, s),
                        Part::Env(name) => self.push_env(name, &mut out, false),
                        Part::Unknown(_) => {
                            push_piece(&mut out.pieces, Piece::Wild);
                            out.unresolved = true;
                        }
                    }
                }
            }
            ArgValue::Unknown(_) => {
                out.pieces.push(Piece::Wild);
                out.unresolved = true;
            }
        }
        if out.pieces.is_empty() {
            out.pieces.push(Piece::Wild);
            out.unresolved = true;
        }
        out
    }

    fn push_env(&mut self, name: &str, out: &mut ResourceArn, whole: bool) {
        match self.env_value(name) {
            Some(v) => {
                for p in &v.pieces {
                    push_piece(&mut out.pieces, p.clone());
                }
                out.unresolved |= v.unresolved;
                if whole {
                    out.resource_type.clone_from(&v.resource_type);
                }
            }
            None => {
                push_piece(&mut out.pieces, Piece::Wild);
                out.unresolved = true;
                if !self.reported_env.iter().any(|n| n == name) {
                    self.reported_env.push(name.to_owned());
                    self.unset_env.push(name.to_owned());
                }
            }
        }
    }
}

/// The permissions function `f` of `app` needs: its handler's SDK calls
/// (the handler file and the local modules it imports, or its inline
/// code) and the platform's needs ([`crate::implicit::platform_needs`]).
pub fn infer(app: &App, f: FunctionId, db: &SourceDb) -> Inference {
    infer_resolved(app, f, db, &handler::resolve(app, f, db))
}

/// [`infer`] for a handler already resolved (the linter resolves each
/// function once for all its code rules).
pub fn infer_resolved(
    app: &App,
    f: FunctionId,
    db: &SourceDb,
    res: &handler::Resolution,
) -> Inference {
    let mut inference = Inference {
        function: f,
        needs: Vec::new(),
        notes: Vec::new(),
        complete: true,
        code_lines: 0,
    };
    let Some(func) = app.functions.get(f.index()) else {
        inference.complete = false;
        inference.notes.push(InferenceNote {
            span: Span::file_start(app.file),
            message: format!("function #{} is not in app `{}`", f.0, app.name),
            incomplete: true,
            problem: None,
        });
        return inference;
    };
    let mut cx = Cx::new(app, func);
    let mut needs = Needs::default();
    let mut notes = Vec::new();
    for p in &res.problems {
        notes.push(InferenceNote {
            span: p.span,
            message: format!("{}: {}", location(db, p.span), p.message),
            incomplete: true,
            problem: Some(p.kind),
        });
    }
    // All modules together: clients cross module boundaries.
    let sources: Vec<sdk::ModuleSource<'_>> = res
        .parsed
        .iter()
        .filter_map(|m| {
            let file = db.get(m.file)?;
            Some(sdk::ModuleSource { module: m, path: &file.path, text: &file.text })
        })
        .collect();
    for (source, found) in sources.iter().zip(sdk::calls_in_modules(&sources)) {
        inference.code_lines += line_count(source.text);
        for n in found.notes {
            notes.push(InferenceNote {
                message: format!("{}: {}", location(db, n.span), n.message),
                span: n.span,
                incomplete: true,
                problem: None,
            });
        }
        for call in &found.calls {
            call_needs(&mut cx, call, &mut needs, &mut notes, db);
        }
    }
    if let Some(inline) = &res.inline {
        inference.code_lines += line_count(&inline.text);
        let m = &inline.module;
        let found = sdk::calls(m.file, m.language, &inline.text, &m.tree);
        let root = m.tree.root_node();
        // Discovery's offsets are into the decoded inline text: locate them
        // in the template through the tree.
        let at = |s: Span| {
            root.descendant_for_byte_range(s.start as usize, s.end as usize)
                .map_or(inline.at, |n| inline.span(n))
        };
        for n in found.notes {
            let span = at(n.span);
            notes.push(InferenceNote {
                message: format!("{} (inline code): {}", location(db, span), n.message),
                span,
                incomplete: true,
                problem: None,
            });
        }
        for mut call in found.calls {
            call.span = at(call.span);
            call_needs(&mut cx, &call, &mut needs, &mut notes, db);
        }
    }
    for need in crate::implicit::platform_needs(app, f) {
        needs.add(need);
    }
    inference.complete = !notes.iter().any(|n| n.incomplete);
    inference.needs = needs.finish();
    inference.notes = notes;
    inference
}

fn line_count(text: &str) -> usize {
    let newlines = text.bytes().filter(|&b| b == b'\n').count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

fn location(db: &SourceDb, span: Span) -> String {
    match db.get(span.file) {
        Some(f) => format!("{}:{}", f.path, f.line_col(span.start).line),
        None => "?".to_owned(),
    }
}

/// Needs merged by action.
#[derive(Default)]
struct Needs {
    list: Vec<Need>,
    by_action: HashMap<String, usize>,
}

impl Needs {
    fn add(&mut self, need: Need) {
        match self.by_action.get(&need.action) {
            Some(&i) => {
                if let Some(existing) = self.list.get_mut(i) {
                    existing.resources.extend(need.resources);
                    existing.evidence.extend(need.evidence);
                    existing.confidence = existing.confidence.max(need.confidence);
                }
            }
            None => {
                self.by_action.insert(need.action.clone(), self.list.len());
                self.list.push(need);
            }
        }
    }

    fn finish(self) -> Vec<Need> {
        let mut list = self.list;
        for n in &mut list {
            normalise(n);
        }
        list.sort_by(|a, b| a.action.cmp(&b.action));
        list
    }
}

/// Sorts and deduplicates a need's resources and evidence.
pub(crate) fn normalise(n: &mut Need) {
    n.resources.sort();
    n.resources.dedup();
    n.evidence.dedup();
}

/// The needs of one SDK call of function `func` (for the property test and
/// for benches): its actions with their resources, and notes (unknown
/// operation, optional actions the request shows it uses).
pub fn needs_of_call(
    app: &App,
    func: &Function,
    call: &SdkCall,
) -> (Vec<Need>, Vec<InferenceNote>) {
    let mut cx = Cx::new(app, func);
    let mut needs = Needs::default();
    let mut notes = Vec::new();
    call_needs_at(&mut cx, call, &mut needs, &mut notes, None);
    (needs.finish(), notes)
}

fn call_needs(
    cx: &mut Cx<'_>,
    call: &SdkCall,
    needs: &mut Needs,
    notes: &mut Vec<InferenceNote>,
    db: &SourceDb,
) {
    call_needs_at(cx, call, needs, notes, Some(db));
}

fn call_needs_at(
    cx: &mut Cx<'_>,
    call: &SdkCall,
    needs: &mut Needs,
    notes: &mut Vec<InferenceNote>,
    db: Option<&SourceDb>,
) {
    let key = (call.client.clone(), call.operation.clone());
    let ops = match cx.operations.get(&key) {
        Some(ops) => ops.clone(),
        None => {
            let ops = Rc::new(required_actions(cx.catalog, &call.client, &call.operation));
            cx.operations.insert(key, ops.clone());
            ops
        }
    };
    let at = || db.map(|db| format!(" ({})", location(db, call.span))).unwrap_or_default();
    if ops.unknown {
        notes.push(InferenceNote {
            span: call.span,
            message: format!(
                "`{}`{}: {} {} maps to no IAM action ({}); nothing was added for it: grant what it needs by hand if it is a real AWS call",
                call.via,
                at(),
                call.client,
                call.operation,
                ops.note.as_deref().unwrap_or("not in the catalog")
            ),
            incomplete: true,
            problem: None,
        });
        return;
    }
    let low_call = call.confidence == sdk::Confidence::Low;
    if ops.actions.iter().any(|a| a.confidence == operations::Confidence::Low) {
        let names: Vec<&str> = ops.actions.iter().map(|a| a.action.as_str()).collect();
        notes.push(InferenceNote {
            span: call.span,
            message: format!(
                "`{}`{}: which of {} it needs depends on the request; all are listed with Low confidence",
                call.via,
                at(),
                names.join(", ")
            ),
            incomplete: false,
            problem: None,
        });
    }
    let what = format!("{} ({} {})", call.via, call.client, call.operation);
    let mut values = CallValues::new(call);
    for ra in &ops.actions {
        let confidence = if low_call || ra.confidence == operations::Confidence::Low {
            Confidence::Low
        } else {
            Confidence::High
        };
        let resources = resources_for(cx, call, &ra.action, &mut values);
        needs.add(Need {
            action: ra.action.clone(),
            resources,
            evidence: vec![Evidence {
                span: call.span,
                what: what.clone(),
                source: NeedSource::Code,
                confidence,
            }],
            confidence,
        });
    }
    for name in std::mem::take(&mut cx.unset_env) {
        notes.push(InferenceNote {
            span: call.span,
            message: format!(
                "`{}`{} reads environment variable `{name}`, which the configuration of `{}` does not set: its resource is left as a wildcard; set the variable in the IaC (or it is provided another way)",
                call.via,
                at(),
                cx.func.logical_id
            ),
            incomplete: false,
            problem: None,
        });
    }
    if let Some(cues) = TABLES.cues.get(&call.client.to_ascii_lowercase()) {
        for cue in cues {
            let Some(side) =
                ops.optional.iter().find(|o| o.action.eq_ignore_ascii_case(&cue.action))
            else {
                continue;
            };
            let shown = call.args.iter().any(|(k, v)| {
                k == &cue.param
                    && match (&cue.value, v) {
                        (None, _) => true,
                        (Some(want), ArgValue::Literal(got)) => want == got,
                        _ => false,
                    }
            });
            if shown {
                notes.push(InferenceNote {
                    span: call.span,
                    message: format!(
                        "`{}`{} gives {}: it may also need {} (when {}); not added, check and grant it if so",
                        call.via,
                        at(),
                        cue.param,
                        side.action,
                        side.why
                    ),
                    incomplete: false,
                    problem: None,
                });
            }
        }
    }
}

/// The call's argument values, evaluated once each.
struct CallValues<'c> {
    call: &'c SdkCall,
    cache: Vec<Option<Rc<ResourceArn>>>,
}

impl<'c> CallValues<'c> {
    fn new(call: &'c SdkCall) -> Self {
        CallValues { call, cache: vec![None; call.args.len()] }
    }

    fn get(&mut self, cx: &mut Cx<'_>, param: &str) -> Option<(Rc<ResourceArn>, &'c ArgValue)> {
        let i = self.call.args.iter().rposition(|(k, _)| k == param)?;
        let raw = &self.call.args.get(i)?.1;
        if let Some(Some(v)) = self.cache.get(i) {
            return Some((v.clone(), raw));
        }
        let v = Rc::new(cx.arg_value(raw));
        if let Some(slot) = self.cache.get_mut(i) {
            *slot = Some(v.clone());
        }
        Some((v, raw))
    }

    fn has(&self, param: &str) -> bool {
        self.call.args.iter().any(|(k, _)| k == param)
    }
}

/// The resources one action of a call needs.
fn resources_for(
    cx: &mut Cx<'_>,
    call: &SdkCall,
    action: &str,
    values: &mut CallValues<'_>,
) -> Vec<ResourceArn> {
    let Some(info) = cx.action_info(action) else { return vec![ResourceArn::any()] };
    if info.types.is_empty() {
        return vec![ResourceArn::any()];
    }
    let bindings: Vec<&Binding> = TABLES
        .bindings(&call.client)
        .iter()
        .filter(|b| b.applies(&call.operation, action))
        .collect();
    let vars_of = |t: &TypeInfo| -> Vec<&'static str> {
        let mut v: Vec<&'static str> = t
            .formats
            .iter()
            .flat_map(|f| f.toks.iter())
            .filter_map(|tok| match tok {
                Tok::Var(v) if !is_deployment_var(v) => Some(*v),
                _ => None,
            })
            .collect();
        v.dedup();
        v
    };
    let present = |var: &str| {
        bindings.iter().any(|b| b.vars.iter().any(|v| v == var) && values.has(&b.param))
    };
    let bindable = |var: &str| bindings.iter().any(|b| b.vars.iter().any(|v| v == var));
    let mut chosen: Vec<&TypeInfo> = info.types.iter().filter(|t| t.required).collect();
    if chosen.is_empty() {
        // The type the request can name best; ties go to the first listed.
        let mut best: Option<(&TypeInfo, (usize, usize, usize))> = None;
        for t in &info.types {
            let vars = vars_of(t);
            let filled = vars.iter().filter(|v| present(v)).count();
            let score = (
                filled,
                usize::MAX - (vars.len() - filled),
                vars.iter().filter(|v| bindable(v)).count(),
            );
            if best.as_ref().is_none_or(|(_, s)| score > *s) {
                best = Some((t, score));
            }
        }
        chosen.extend(best.map(|(t, _)| t));
    } else {
        // An optional type the request names beyond the required ones
        // (a DynamoDB index by IndexName).
        let covered: Vec<&'static str> = chosen.iter().flat_map(|t| vars_of(t)).collect();
        for t in info.types.iter().filter(|t| !t.required) {
            if vars_of(t).iter().any(|v| !covered.contains(v) && present(v)) {
                chosen.push(t);
            }
        }
    }
    let mut out = Vec::with_capacity(chosen.len());
    let mut built: Vec<(ResourceArn, bool)> = Vec::with_capacity(chosen.len());
    for t in chosen {
        built.push(build(cx, t, &bindings, values));
    }
    // Of several required types (a standard or an express execution), keep
    // those the request's ARN fits when it fits any.
    let any_fit = built.iter().any(|(_, fit)| *fit);
    for (arn, fit) in built {
        if fit || !any_fit {
            out.push(arn);
        }
    }
    out
}

/// Variable values gathered for one format.
#[derive(Default)]
struct Fill {
    vars: Vec<(&'static str, Vec<Piece>)>,
    unresolved: bool,
    /// An ARN value of the request fitted the format.
    fit: bool,
}

impl Fill {
    fn has(&self, var: &str) -> bool {
        self.vars.iter().any(|(v, _)| *v == var)
    }

    fn set(&mut self, var: &'static str, pieces: Vec<Piece>) {
        if !self.has(var) {
            self.vars.push((var, pieces));
        }
    }
}

/// The ARN of resource type `t` the request names, and whether an ARN
/// given in the request fits it.
fn build(
    cx: &mut Cx<'_>,
    t: &TypeInfo,
    bindings: &[&Binding],
    values: &mut CallValues<'_>,
) -> (ResourceArn, bool) {
    let resource_type = Some(t.name.to_owned());
    let mut fallback = None;
    for format in &t.formats {
        let mut fill = Fill::default();
        let format_vars =
            |v: &str| format.toks.iter().any(|tok| matches!(tok, Tok::Var(x) if *x == v));
        for b in bindings {
            if !b.vars.iter().any(|v| format_vars(v)) || b.vars.iter().all(|v| fill.has(v)) {
                continue;
            }
            let Some((value, raw)) = values.get(cx, &b.param) else { continue };
            // A whole-ARN reference (a secret whose name is generated) of this very type.
            if let [Piece::Ref(r)] = value.pieces.as_slice()
                && r.attr == RefAttr::Arn
                && value.resource_type.as_deref().is_some_and(|rt| rt.eq_ignore_ascii_case(t.name))
            {
                return (
                    ResourceArn {
                        pieces: value.pieces.clone(),
                        resource_type,
                        unresolved: value.unresolved,
                    },
                    true,
                );
            }
            interpret(b, &value, raw, format, &mut fill);
        }
        // Parameters the bindings do not list still name this resource when
        // they hold an ARN that fits it (`ResourceArn`, `LogGroupArn`).
        let unfilled = format
            .toks
            .iter()
            .any(|t| matches!(t, Tok::Var(v) if !is_deployment_var(v) && !fill.has(v)));
        if unfilled {
            for i in 0..values.call.args.len() {
                let Some((param, _)) = values.call.args.get(i) else { continue };
                let arn_param =
                    param.ends_with("Arn") || param.ends_with("ARN") || param.ends_with("arn");
                if !arn_param || bindings.iter().any(|b| &b.param == param) {
                    continue;
                }
                let Some((value, _)) = values.get(cx, param) else { continue };
                if !arn_shaped(&value.pieces) {
                    continue;
                }
                if let Some(found) = match_arn(&format.toks, &value.pieces) {
                    fill.fit = true;
                    fill.unresolved |= value.unresolved;
                    for (v, p) in found {
                        fill.set(v, p);
                    }
                    break;
                }
            }
        }
        let mut pieces = Vec::new();
        let mut unresolved = fill.unresolved;
        for tok in &format.toks {
            match tok {
                Tok::Lit(l) => push_text(&mut pieces, l),
                Tok::Var(v) => match fill.vars.iter().find(|(x, _)| x == v) {
                    Some((_, p)) => p.iter().for_each(|p| push_piece(&mut pieces, p.clone())),
                    None => match *v {
                        "Partition" => pieces.push(Piece::Partition),
                        "Region" => pieces.push(Piece::Region),
                        "Account" => pieces.push(Piece::Account),
                        _ => {
                            push_piece(&mut pieces, Piece::Wild);
                            unresolved = true;
                        }
                    },
                },
            }
        }
        let arn = ResourceArn { pieces, resource_type: resource_type.clone(), unresolved };
        let text = arn.to_iam_string();
        if arn_matches_prepared(&PreparedArn::new(&text), t.is_bucket, &format.prepared) {
            return (arn, fill.fit);
        }
        if fallback.is_none() {
            fallback = Some(wildcard(format, resource_type.clone()));
        }
    }
    (fallback.unwrap_or_else(ResourceArn::any), false)
}

/// The format with every variable but the deployment's a wildcard.
fn wildcard(format: &Format, resource_type: Option<String>) -> ResourceArn {
    let mut pieces = Vec::new();
    for tok in &format.toks {
        match tok {
            Tok::Lit(l) => push_text(&mut pieces, l),
            Tok::Var("Partition") => pieces.push(Piece::Partition),
            Tok::Var("Region") => pieces.push(Piece::Region),
            Tok::Var("Account") => pieces.push(Piece::Account),
            Tok::Var(_) => push_piece(&mut pieces, Piece::Wild),
        }
    }
    ResourceArn { pieces, resource_type, unresolved: true }
}

/// `arn` when it fits a resource type of `action` (checked against the
/// catalog's formats), else the action's first resource type with every
/// variable a wildcard, unresolved; `*` for an action without resource
/// types. For needs built outside an SDK call (the platform's).
pub(crate) fn fit_to_action(action: &str, arn: ResourceArn) -> ResourceArn {
    let Some(found) = catalog().action(action) else { return arn };
    if arn.is_any() || found.action.resources.is_empty() {
        return if found.action.resources.is_empty() { ResourceArn::any() } else { arn };
    }
    let text = arn.to_iam_string();
    let prepared = PreparedArn::new(&text);
    let mut first = None;
    for r in &found.action.resources {
        let Some(rt) = found.service.resource(&r.name) else { continue };
        let is_bucket = found.service.prefix == "s3" && rt.name.eq_ignore_ascii_case("bucket");
        for f in &rt.arns {
            if arn_matches_prepared(&prepared, is_bucket, &PreparedFormat::new(f)) {
                let mut arn = arn;
                arn.resource_type.get_or_insert_with(|| rt.name.clone());
                return arn;
            }
            if first.is_none() {
                first = Some((f.as_str(), rt.name.clone()));
            }
        }
    }
    match first {
        Some((f, name)) => {
            let format = Format { toks: tokens(f), prepared: PreparedFormat::new(f) };
            wildcard(&format, Some(name))
        }
        None => ResourceArn::any(),
    }
}

/// Whether a value is written as an ARN.
fn arn_shaped(pieces: &[Piece]) -> bool {
    matches!(pieces.first(), Some(Piece::Text(t)) if t.starts_with("arn:"))
}

fn all_wild(pieces: &[Piece]) -> bool {
    pieces.iter().all(|p| matches!(p, Piece::Wild))
}

/// Reads one request value of kind `b.kind` into variables of `format`.
fn interpret(b: &Binding, value: &ResourceArn, raw: &ArgValue, format: &Format, fill: &mut Fill) {
    let var = |i: usize| -> Option<&'static str> {
        let name = b.vars.get(i)?;
        format.toks.iter().find_map(|t| match t {
            Tok::Var(v) if *v == name => Some(*v),
            _ => None,
        })
    };
    fill.unresolved |= value.unresolved;
    let pieces = value.pieces.as_slice();
    let arn_kinds = matches!(
        b.kind,
        ValueKind::Name
            | ValueKind::Arn
            | ValueKind::SecretId
            | ValueKind::SsmName
            | ValueKind::KmsKey
            | ValueKind::Function
    );
    if arn_kinds && arn_shaped(pieces) {
        match match_arn(&format.toks, pieces) {
            Some(found) => {
                fill.fit = true;
                for (v, p) in found {
                    fill.set(v, p);
                }
            }
            None => fill.unresolved = true,
        }
        return;
    }
    let Some(first) = var(0) else { return };
    if all_wild(pieces) && !matches!(b.kind, ValueKind::EventEntries | ValueKind::CopySource) {
        fill.set(first, vec![Piece::Wild]);
        fill.unresolved = true;
        return;
    }
    match b.kind {
        ValueKind::Name => fill.set(first, pieces.to_vec()),
        // A name where an ARN belongs is a mistake the call will fail on.
        ValueKind::Arn => {
            fill.set(first, vec![Piece::Wild]);
            fill.unresolved = true;
        }
        ValueKind::QueueUrl => queue_url(pieces, first, fill),
        ValueKind::SecretId => {
            let mut p = pieces.to_vec();
            push_text(&mut p, "-??????");
            fill.set(first, p);
        }
        ValueKind::SsmName => fill.set(first, strip_leading_slash(pieces)),
        ValueKind::SsmPath => {
            let mut p = strip_leading_slash(pieces);
            if let Some(Piece::Text(t)) = p.last_mut() {
                while t.ends_with('/') {
                    t.pop();
                }
            }
            p.retain(|x| !matches!(x, Piece::Text(t) if t.is_empty()));
            push_piece(&mut p, Piece::Wild);
            fill.set(first, p);
        }
        ValueKind::KmsKey => {
            if matches!(pieces.first(), Some(Piece::Text(t)) if t.starts_with("alias/")) {
                // The key behind an alias is not known here.
                fill.set(first, vec![Piece::Wild]);
                fill.unresolved = true;
            } else {
                fill.set(first, pieces.to_vec());
            }
        }
        ValueKind::Function => {
            let (text, atoms) = encode(pieces);
            match text.find(":function:") {
                Some(i) => {
                    if let Some(acc) = text.get(..i).filter(|a| !a.is_empty() && !a.contains(':')) {
                        fill.set("Account", decode(acc, &atoms));
                    }
                    fill.set(
                        first,
                        decode(text.get(i + ":function:".len()..).unwrap_or(""), &atoms),
                    );
                }
                None => fill.set(first, pieces.to_vec()),
            }
        }
        ValueKind::CopySource => copy_source(b, pieces, raw, format, fill),
        ValueKind::EventEntries => {
            let bus = match raw {
                ArgValue::Unknown(src) => entries_bus(src),
                _ => None,
            };
            match bus {
                Some(p) => fill.set(first, p),
                None => {
                    fill.set(first, vec![Piece::Wild]);
                    fill.unresolved = true;
                }
            }
        }
    }
}

fn strip_leading_slash(pieces: &[Piece]) -> Vec<Piece> {
    let mut p = pieces.to_vec();
    if let Some(Piece::Text(t)) = p.first_mut()
        && let Some(rest) = t.strip_prefix('/')
    {
        *t = rest.to_owned();
    }
    p.retain(|x| !matches!(x, Piece::Text(t) if t.is_empty()));
    p
}

/// `https://sqs.<region>.amazonaws.com/<account>/<name>`: the name, and
/// the region and account when the URL gives them.
fn queue_url(pieces: &[Piece], name_var: &'static str, fill: &mut Fill) {
    let (text, atoms) = encode(pieces);
    let Some(slash) = text.rfind('/') else {
        fill.set(name_var, pieces.to_vec());
        return;
    };
    let name = text.get(slash + 1..).unwrap_or("");
    if name.is_empty() {
        fill.set(name_var, vec![Piece::Wild]);
        fill.unresolved = true;
        return;
    }
    fill.set(name_var, decode(name, &atoms));
    let head = text.get(..slash).unwrap_or("");
    if let Some((host_part, account)) = head.rsplit_once('/')
        && !account.is_empty()
        && !host_part.ends_with('/')
    {
        fill.set("Account", decode(account, &atoms));
        let host = host_part.rsplit('/').next().unwrap_or("");
        let region = host
            .strip_prefix("sqs.")
            .and_then(|h| h.split_once('.'))
            .map(|(r, _)| r)
            .or_else(|| host.split_once(".queue.").map(|(r, _)| r));
        if let Some(r) = region.filter(|r| !r.is_empty()) {
            fill.set("Region", decode(r, &atoms));
        }
    }
}

fn copy_source(b: &Binding, pieces: &[Piece], raw: &ArgValue, format: &Format, fill: &mut Fill) {
    let has = |name: &str| format.toks.iter().any(|t| matches!(t, Tok::Var(v) if *v == name));
    let (bucket_var, key_var) = match (b.vars.first(), b.vars.get(1)) {
        (Some(bv), Some(kv)) => (bv.as_str(), kv.as_str()),
        _ => return,
    };
    let static_var = |name: &str| -> Option<&'static str> {
        format.toks.iter().find_map(|t| match t {
            Tok::Var(v) if *v == name => Some(*v),
            _ => None,
        })
    };
    let (bucket, key) = match raw {
        // `{'Bucket': 'b', 'Key': 'k'}` as written.
        ArgValue::Unknown(src) => (
            snippet_string(src, "Bucket").map(|s| vec![Piece::Text(s)]),
            snippet_string(src, "Key").map(|s| vec![Piece::Text(s)]),
        ),
        _ => {
            let (text, atoms) = encode(pieces);
            let text = text.strip_prefix('/').unwrap_or(&text);
            let text = text.split_once("?versionId=").map_or(text, |(t, _)| t);
            match text.split_once('/') {
                Some((b, k)) if !b.is_empty() && !k.is_empty() => {
                    (Some(decode(b, &atoms)), Some(decode(k, &atoms)))
                }
                _ => (None, None),
            }
        }
    };
    for (var, val) in [(bucket_var, bucket), (key_var, key)] {
        if !has(var) {
            continue;
        }
        let Some(var) = static_var(var) else { continue };
        match val {
            Some(p) => fill.set(var, p),
            None => {
                fill.set(var, vec![Piece::Wild]);
                fill.unresolved = true;
            }
        }
    }
}

/// The bus of PutEvents entries written in place: the default bus when no
/// entry names one, the bus when it is a string constant.
fn entries_bus(src: &str) -> Option<Vec<Piece>> {
    let written = src.trim_start().starts_with(['[', '{']);
    if !written || src.ends_with("...") {
        return None;
    }
    if src.contains("EventBusName") {
        let name = snippet_string(src, "EventBusName")?;
        // A bus ARN names the bus after `event-bus/`.
        let name = name.rsplit("event-bus/").next().unwrap_or(&name).to_owned();
        return Some(vec![Piece::Text(name)]);
    }
    Some(vec![Piece::Text("default".to_owned())])
}

/// The string constant written after `key` in a dict or object literal's
/// source (`'Bucket': 'b'`, `Bucket: "b"`).
fn snippet_string(src: &str, key: &str) -> Option<String> {
    let i = src.find(key)?;
    let rest = src.get(i + key.len()..)?;
    let rest = rest.trim_start_matches(['\'', '"']).trim_start();
    let rest = rest.strip_prefix([':', '='])?.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = rest.get(1..)?;
    let end = body.find(quote)?;
    let s = body.get(..end)?;
    (!s.is_empty() && !s.contains("${")).then(|| s.to_owned())
}

/// First private-use character standing for a non-text piece in [`encode`].
const ATOM_BASE: u32 = 0xE000;
/// Non-text pieces one value may hold for matching; more is not an ARN.
const MAX_ATOMS: usize = 1024;

/// The pieces as text, each non-text piece a private-use character.
fn encode(pieces: &[Piece]) -> (String, Vec<&Piece>) {
    let mut text = String::new();
    let mut atoms = Vec::new();
    for p in pieces {
        match p {
            Piece::Text(t) => text.push_str(t),
            p if atoms.len() < MAX_ATOMS => {
                let c = char::from_u32(ATOM_BASE + atoms.len() as u32).unwrap_or('\u{E000}');
                text.push(c);
                atoms.push(p);
            }
            _ => text.push('*'),
        }
    }
    (text, atoms)
}

fn decode(text: &str, atoms: &[&Piece]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for c in text.chars() {
        let code = c as u32;
        let atom = code.checked_sub(ATOM_BASE).and_then(|i| atoms.get(i as usize));
        match atom {
            Some(p) => {
                if !buf.is_empty() {
                    push_text(&mut out, &buf);
                    buf.clear();
                }
                push_piece(&mut out, (*p).clone());
            }
            None => buf.push(c),
        }
    }
    push_text(&mut out, &buf);
    out
}

/// The variables of an ARN format read from an ARN value, part by part: a
/// variable runs to the first occurrence of the text after it, and before
/// the resource part never spans a `:`.
fn match_arn(toks: &[Tok], pieces: &[Piece]) -> Option<Vec<(&'static str, Vec<Piece>)>> {
    let (text, atoms) = encode(pieces);
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut i = 0usize;
    while let Some(tok) = toks.get(i) {
        let rest = text.get(pos..)?;
        match tok {
            Tok::Lit(l) => {
                if !rest.starts_with(l) {
                    return None;
                }
                pos += l.len();
            }
            Tok::Var(v) => {
                let end = match toks.get(i + 1) {
                    None => rest.len(),
                    Some(Tok::Lit(l)) => rest.find(l)?,
                    Some(Tok::Var(_)) => return None,
                };
                let captured = rest.get(..end)?;
                if captured.is_empty() || (is_deployment_var(v) && captured.contains(':')) {
                    return None;
                }
                out.push((*v, decode(captured, &atoms)));
                pos += end;
            }
        }
        i += 1;
    }
    (pos == text.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_bindings_parse_and_name_catalog_variables() {
        let t = Tables::from_json(BINDINGS_JSON).unwrap_or_default();
        assert!(t.bindings.len() > 10);
        let cat = catalog();
        // Every variable a binding fills is a variable of some format of
        // the client's IAM service.
        for list in t.bindings.values() {
            for b in list {
                let prefix = cat.sdk(&b.client).and_then(|s| s.iam_prefix.clone());
                let prefix = prefix.unwrap_or_default();
                let services: Vec<_> = cat
                    .services()
                    .iter()
                    .filter(|s| {
                        s.prefix == prefix || b.client == "rds-data" || b.client == "redshift-data"
                    })
                    .collect();
                for v in &b.vars {
                    let needle = format!("${{{v}}}");
                    assert!(
                        services.iter().any(|s| s
                            .resources
                            .iter()
                            .any(|r| r.arns.iter().any(|a| a.contains(&needle)))),
                        "{} {}: no format has {needle}",
                        b.client,
                        b.param
                    );
                }
                for a in &b.actions {
                    assert!(cat.action(a).is_some(), "{a}");
                }
            }
        }
        for list in t.cues.values() {
            for c in list {
                assert!(cat.action(&c.action).is_some(), "{}", c.action);
            }
        }
    }

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_owned())
    }

    #[test]
    fn arns_are_read_part_by_part() {
        let toks = tokens(
            "arn:${Partition}:states:${Region}:${Account}:execution:${StateMachineName}:${ExecutionId}",
        );
        let found = match_arn(
            &toks,
            &[text("arn:aws:states:eu-west-1:123456789012:execution:orders:run-1")],
        );
        let found = found.unwrap_or_default();
        assert_eq!(found.len(), 5);
        assert_eq!(found.get(3), Some(&("StateMachineName", vec![text("orders")])));
        assert_eq!(found.get(4), Some(&("ExecutionId", vec![text("run-1")])));
        let topic = tokens("arn:${Partition}:sns:${Region}:${Account}:${TopicName}");
        assert!(match_arn(&topic, &[text("arn:aws:sqs:eu-west-1:1:q")]).is_none());
        let with_refs = [
            text("arn:"),
            Piece::Partition,
            text(":sns:"),
            Piece::Region,
            text(":"),
            Piece::Account,
            text(":"),
            Piece::Wild,
        ];
        let found = match_arn(&topic, &with_refs).unwrap_or_default();
        assert_eq!(found.first(), Some(&("Partition", vec![Piece::Partition])));
        assert_eq!(found.get(3), Some(&("TopicName", vec![Piece::Wild])));
    }

    #[test]
    fn snippets_give_constants() {
        assert_eq!(
            snippet_string("{'Bucket': 'src', 'Key': 'a/b'}", "Key").as_deref(),
            Some("a/b")
        );
        assert_eq!(snippet_string("{ Bucket: \"src\" }", "Bucket").as_deref(), Some("src"));
        assert_eq!(snippet_string("{'Bucket': name}", "Bucket"), None);
        assert_eq!(entries_bus("[{'Source': 'app', 'Detail': '{}'}]"), Some(vec![text("default")]));
        assert_eq!(
            entries_bus("[{'EventBusName': 'orders', 'Source': 'x'}]"),
            Some(vec![text("orders")])
        );
        assert_eq!(entries_bus("entries"), None);
    }
}

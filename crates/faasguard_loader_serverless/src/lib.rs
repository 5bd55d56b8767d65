//! Serverless Framework loader: `serverless.yml` (or `.yaml`, `.json`) into
//! the faasguard application model.
//!
//! Loading goes in the order the Framework itself works: variables are
//! resolved over the whole document first ([`variables`]), then the
//! `resources:` section (raw CloudFormation) is loaded so functions can point
//! at its roles, then the `layers:` (so functions can point at them), the
//! provider defaults, functions, their roles and their events are
//! modelled, and last the resources that refer to functions
//! (`AWS::Lambda::Permission`).
//!
//! Architecture invariant: no IO. Files named by `${file(...)}` are looked up
//! in the [`SourceDb`] the CLI filled; a file that is not there is a parse
//! error, never a read. Nothing unknowable (options, environment, SSM, stack
//! outputs) is guessed: such values are [`Origin::Unresolved`].
//!
//! [`Origin::Unresolved`]: faasguard_model::Origin::Unresolved
#![deny(missing_docs)]

mod events;
mod functions;
mod iam;
mod layers;
mod provider;
mod resources;
mod values;
mod variables;

use std::collections::HashMap;

use faasguard_loaders::LoadOutcome;
use faasguard_model::{App, Format, FunctionId, LayerId, Note, Val};
use faasguard_source::{FileId, SourceDb, Span};
use faasguard_syntax::{Node, NodeKind, ParseError, ParseErrorKind, parse_json, parse_yaml};

/// File names (lower case) the Framework reads as its configuration.
const CONFIG_NAMES: &[&str] = &["serverless.yml", "serverless.yaml", "serverless.json"];
/// Configuration written as code, which the Framework must run to produce.
const CODE_CONFIG_NAMES: &[&str] =
    &["serverless.ts", "serverless.js", "serverless.cjs", "serverless.mjs"];

/// Whether a file is a Serverless Framework configuration.
///
/// Recognised by name (`serverless.yml`, `.yaml`, `.json`, `.ts`, `.js`, and
/// stage variants such as `serverless.prod.yml` or the `serverless print`
/// output `serverless.out.yml`) and, for data files, by a top-level
/// `service:` or `provider:` key, so an unrelated file that happens to be
/// called `serverless.yml` is left alone.
pub fn is_serverless_config(path: &str, text: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    if CODE_CONFIG_NAMES.contains(&name.as_str()) {
        return true;
    }
    let data_name = CONFIG_NAMES.contains(&name.as_str())
        || (name.starts_with("serverless.")
            && [".yml", ".yaml", ".json"].iter().any(|e| name.ends_with(e)));
    if !data_name {
        return false;
    }
    if name.ends_with(".json") {
        return text.contains("\"service\"") || text.contains("\"provider\"");
    }
    text.lines().any(|l| {
        let l = l.trim_end();
        l.starts_with("service:") || l.starts_with("provider:")
    })
}

/// Loads one Serverless Framework configuration into one app named by the
/// file's path.
pub fn load(db: &SourceDb, file: FileId) -> LoadOutcome {
    let mut outcome =
        LoadOutcome { format: Format::Serverless, apps: Vec::new(), errors: Vec::new() };
    let Some(src) = db.get(file) else {
        outcome.errors.push(ParseError {
            kind: ParseErrorKind::Structure,
            span: Span::file_start(file),
            message: "the file is not in the source database".into(),
        });
        return outcome;
    };
    let path = src.path.to_string();
    let lower = path.to_ascii_lowercase();
    if CODE_CONFIG_NAMES.iter().any(|n| lower.ends_with(n)) {
        outcome.errors.push(ParseError {
            kind: ParseErrorKind::Structure,
            span: Span::file_start(file),
            message: "this Serverless configuration is code, which faasguard does not run; run \
                      `serverless print > serverless.out.yml` in its directory and scan that \
                      output instead"
                .into(),
        });
        return outcome;
    }
    let parsed = if lower.ends_with(".json") {
        parse_json(file, &src.text)
    } else {
        parse_yaml(file, &src.text)
    };
    outcome.errors.extend(parsed.errors);
    let mut ctx = Ctx::new(file, &path);
    if let Some(raw) = parsed.root {
        if raw.is_map() {
            let resolved = variables::resolve(db, &raw);
            ctx.errors.extend(resolved.errors);
            ctx.app.notes.extend(resolved.notes);
            load_document(&mut ctx, &resolved.root);
        } else if !matches!(raw.kind, NodeKind::Null) {
            ctx.structure(
                raw.span,
                "a serverless.yml must be a mapping (`service:`, `provider:`, `functions:` ...)",
            );
        }
    }
    outcome.errors.extend(ctx.errors);
    faasguard_loaders::attach_boundary_documents(&mut ctx.app);
    outcome.apps.push(ctx.app);
    outcome
}

/// Top-level keys of a configuration, including those of common plugins,
/// which the Framework itself validates only as warnings.
const TOP_LEVEL_KEYS: &[&str] = &[
    "service",
    "frameworkVersion",
    "provider",
    "functions",
    "resources",
    "custom",
    "plugins",
    "package",
    "params",
    "stages",
    "useDotenv",
    "variablesResolutionMode",
    "configValidationMode",
    "deprecationNotificationMode",
    "disabledDeprecations",
    "unresolvedVariablesNotificationMode",
    "org",
    "app",
    "tenant",
    "console",
    "dashboard",
    "layers",
    "outputs",
    "build",
    "license",
    "stepFunctions",
    "appSync",
    "constructs",
    "lift",
    "serverless-offline",
    "pipes",
    "fargate",
];

fn load_document(ctx: &mut Ctx, root: &Node) {
    ctx.check_keys(root, TOP_LEVEL_KEYS, "the configuration");
    ctx.service = match root.get("service") {
        Some(n) => match &n.kind {
            NodeKind::Map(_) => n.get("name").and_then(values::text),
            _ => values::text(n),
        },
        None => None,
    };
    if ctx.service.is_none() {
        ctx.structure(root.span, "the configuration has no `service:` name");
    }
    let provider = root.get("provider");
    if let Some(p) = provider
        && !p.is_map()
    {
        ctx.structure(p.span, "`provider` must be a mapping with at least `name: aws`");
    }
    let provider_name = provider.and_then(|p| p.get("name")).and_then(values::text);
    if let Some(name) = &provider_name
        && name.is_known()
        && name.value != "aws"
    {
        ctx.note(
            name.span,
            format!(
                "provider `{}` is not modelled by the Serverless loader (only `aws` is); its \
                 functions are skipped",
                name.value
            ),
        );
        return;
    }
    ctx.stage = match provider.and_then(|p| p.get("stage")).and_then(values::text) {
        Some(v) => v,
        None => Val::default_at("dev".to_string(), provider.map_or(root.span, |p| p.span)),
    };

    resources::load_resources(ctx, root.get("resources"));
    layers::load_layers(ctx, root.get("layers"));
    let defaults = provider::Defaults::read(ctx, provider, root);
    functions::load_functions(ctx, root, &defaults);
    resources::load_references(ctx, root.get("resources"));
}

/// Loading state of one configuration.
pub(crate) struct Ctx {
    /// The app being filled.
    pub(crate) app: App,
    /// Problems met.
    pub(crate) errors: Vec<ParseError>,
    /// `service:` name.
    pub(crate) service: Option<Val<String>>,
    /// Provider stage (`dev` by default).
    pub(crate) stage: Val<String>,
    /// Directory of the configuration (`""` at the scan root).
    pub(crate) dir: String,
    /// Functions by their key and by their CloudFormation logical id.
    pub(crate) function_ids: HashMap<String, FunctionId>,
    /// Layers by the logical id functions refer to them with.
    pub(crate) layer_ids: HashMap<String, LayerId>,
}

impl Ctx {
    fn new(file: FileId, path: &str) -> Self {
        Ctx {
            app: App::new(path, Format::Serverless, file),
            errors: Vec::new(),
            service: None,
            stage: Val::default_at("dev".into(), Span::file_start(file)),
            dir: variables::parent_dir(path).to_string(),
            function_ids: HashMap::new(),
            layer_ids: HashMap::new(),
        }
    }

    /// Records a structural problem.
    pub(crate) fn structure(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ParseError {
            kind: ParseErrorKind::Structure,
            span,
            message: message.into(),
        });
    }

    /// Records something approximated or skipped.
    pub(crate) fn note(&mut self, span: Span, message: impl Into<String>) {
        self.app.notes.push(Note { span, message: message.into() });
    }

    /// Notes keys the Framework does not know, suggesting the right spelling
    /// when only the case differs (`Runtime` for `runtime`), since the
    /// Framework then silently ignores the setting.
    pub(crate) fn check_keys(&mut self, node: &Node, known: &[&str], owner: &str) {
        for e in node.entries() {
            if known.contains(&e.key.as_str()) {
                continue;
            }
            let hint = known
                .iter()
                .find(|k| k.eq_ignore_ascii_case(&e.key))
                .map(|k| format!(" (did you mean `{k}`? the setting is ignored as written)"))
                .unwrap_or_default();
            self.note(e.key_span, format!("unknown key `{}` in {owner}{hint}", e.key));
        }
    }

    /// `{service}-{stage}`, the prefix of generated names, when both are known.
    pub(crate) fn service_stage(&self) -> Option<String> {
        let service = self.service.as_ref()?.known()?;
        let stage = self.stage.known()?;
        Some(format!("{service}-{stage}"))
    }
}

/// The CloudFormation logical id the Framework gives a function key
/// (`orders-api` becomes `OrdersDashapiLambdaFunction`).
pub(crate) fn normalized_name(key: &str) -> String {
    let replaced = key.replace('-', "Dash").replace('_', "Underscore");
    let mut chars = replaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

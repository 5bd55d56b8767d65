//! Dependency rules: run once over the scan's lockfiles and manifests, not
//! per app, since one lockfile can ship in functions of several apps (and
//! a lockfile no function ships is still the project's).
//!
//! The caller parses the files (`faasguard_deps`) and matches the pinned
//! packages against an advisory source ([`match_vulnerabilities`]); the
//! rules in `rules/dependencies/` then rank what was found by which
//! functions ship each file ([`shipped_by`]) and how exposed those are.

use std::collections::HashMap;

use faasguard_code::handler;
use faasguard_code::paths;
use faasguard_deps::{Ecosystem, Lockfile, LockfileKind, Package};
use faasguard_diagnostics::{Finding, RuleMeta, Severity, Subject};
use faasguard_model::{App, FunctionId};
use faasguard_osv::{AdvisorySource, Vulnerability};
use faasguard_source::{SourceDb, Span};
use faasguard_taint::sources::{Exposure, exposure};

use crate::Settings;

/// A package as advisories know it: ecosystem, name as the ecosystem
/// compares names, exact version.
pub type PackageKey = (Ecosystem, String, String);

/// The vulnerabilities of each pinned package.
pub type Vulnerabilities = HashMap<PackageKey, Vec<Vulnerability>>;

/// What the dependency rules read.
pub struct DependencyInput<'a> {
    /// Every lockfile and manifest of the scan, parsed.
    pub lockfiles: &'a [Lockfile],
    /// The vulnerabilities of their packages ([`match_vulnerabilities`]).
    pub vulnerabilities: &'a Vulnerabilities,
}

/// The key of a package.
pub fn package_key(p: &Package) -> PackageKey {
    (p.ecosystem, p.ecosystem.normalize(&p.name), p.version.clone())
}

/// Matches every pinned package that is shipped (not only for
/// development) against `source`, once per distinct package.
pub fn match_vulnerabilities(
    lockfiles: &[Lockfile],
    source: &dyn AdvisorySource,
) -> Vulnerabilities {
    let mut out = Vulnerabilities::new();
    for p in lockfiles.iter().flat_map(|l| &l.packages) {
        if !p.pinned() || p.dev {
            continue;
        }
        let key = package_key(p);
        if out.contains_key(&key) {
            continue;
        }
        let found =
            faasguard_osv::vulnerabilities(source, p.ecosystem.osv_name(), &p.name, &p.version);
        out.insert(key, found);
    }
    out
}

/// A function that ships a lockfile's packages.
#[derive(Debug, Clone, PartialEq)]
pub struct Shipper {
    /// Index of the app in the scan's list.
    pub app: usize,
    /// The function in that app.
    pub function: FunctionId,
    /// The app's name and the function's logical id, as findings name them.
    pub app_name: String,
    /// The function's logical id.
    pub logical_id: String,
    /// The function's most exposed trigger.
    pub exposure: Exposure,
    /// The layer of the app the file ships in, when it is in one.
    pub layer: Option<String>,
}

impl Shipper {
    /// `app/Function`, as the SBOM names it.
    pub fn name(&self) -> String {
        format!("{}/{}", self.app_name, self.logical_id)
    }
}

/// For each lockfile, the functions whose deployment package holds it.
///
/// A function's own packages are those of the lockfile nearest to its
/// handler: in the handler file's directory, else in the closest directory
/// above it (up to the app's directory, or the scan root for code outside
/// it), of the ecosystem of the function's runtime. That is where the
/// package managers and the build tools (`sam build`, the Serverless
/// Python plugin, `npm install` in the code directory) look, and it keeps
/// one service's per-function lockfiles with their functions. Without a
/// handler file in the scan (Java, Go, a missing file) the search starts at
/// the code location. Lockfiles inside a layer's content ship with every
/// function that uses the layer.
pub fn shipped_by(apps: &[App], db: &SourceDb, lockfiles: &[Lockfile]) -> Vec<Vec<Shipper>> {
    let mut out: Vec<Vec<Shipper>> = vec![Vec::new(); lockfiles.len()];
    let dirs: Vec<&str> = lockfiles.iter().map(|l| paths::parent(&l.path)).collect();
    for (ai, app) in apps.iter().enumerate() {
        let root = handler::app_dir(app, db);
        for (fid, func) in app.functions() {
            let eco = runtime_ecosystem(func.runtime.as_ref().and_then(|r| r.known()));
            let fits = |i: usize| eco.is_none_or(|e| lockfiles[i].kind.ecosystem() == e);
            let starts: Vec<String> =
                match handler::entry_file(app, func, db).and_then(|id| db.get(id)) {
                    Some(file) => vec![paths::parent(&file.path).to_string()],
                    None => handler::code_locations(app, func, db)
                        .into_iter()
                        .map(|loc| {
                            // A location naming the code file itself
                            // (`source_file`) stands for its directory.
                            if faasguard_code::parse::Language::from_path(&loc).is_some() {
                                paths::parent(&loc).to_string()
                            } else {
                                loc
                            }
                        })
                        .collect(),
                };
            let mut chosen: Vec<usize> = Vec::new();
            for start in starts {
                let stop = if paths::under(&start, &root) { root.as_str() } else { "" };
                let mut dir = start.as_str();
                loop {
                    let here: Vec<usize> =
                        (0..lockfiles.len()).filter(|&i| fits(i) && dirs[i] == dir).collect();
                    if !here.is_empty() {
                        chosen.extend(here);
                        break;
                    }
                    if dir == stop || dir.is_empty() {
                        break;
                    }
                    dir = paths::parent(dir);
                }
            }
            chosen.sort_unstable();
            chosen.dedup();
            let (exp, _) = exposure(app, fid);
            let shipper = |layer: Option<String>| Shipper {
                app: ai,
                function: fid,
                app_name: app.name.clone(),
                logical_id: func.logical_id.clone(),
                exposure: exp,
                layer,
            };
            for i in chosen {
                out[i].push(shipper(None));
            }
            // Layers are unpacked under /opt, next to the function's own
            // packages: what their content holds ships with it too.
            for lid in app.function_layers(func) {
                let Some(layer) = app.layer(lid) else { continue };
                for loc in handler::layer_locations(app, layer, db) {
                    for i in
                        (0..lockfiles.len()).filter(|&i| fits(i) && paths::under(dirs[i], &loc))
                    {
                        if !out[i].iter().any(|s| s.app == ai && s.function == fid) {
                            out[i].push(shipper(Some(layer.logical_id.clone())));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The ecosystem a runtime installs packages from (`python3.12` → PyPI).
fn runtime_ecosystem(runtime: Option<&str>) -> Option<Ecosystem> {
    let r = runtime?.to_ascii_lowercase();
    Some(if r.starts_with("python") {
        Ecosystem::PyPI
    } else if r.starts_with("node") {
        Ecosystem::Npm
    } else if r.starts_with("java") {
        Ecosystem::Maven
    } else if r.starts_with("go") {
        Ecosystem::Go
    } else {
        return None;
    })
}

/// What a dependency rule sees.
pub(crate) struct DepChecker<'a> {
    pub(crate) lockfiles: &'a [Lockfile],
    pub(crate) shippers: &'a [Vec<Shipper>],
    pub(crate) vulnerabilities: &'a Vulnerabilities,
    findings: Vec<Finding>,
}

impl DepChecker<'_> {
    /// A finding of `rule` about lockfile `i`.
    pub(crate) fn finding(
        &self,
        rule: &'static RuleMeta,
        lockfile: usize,
        primary: Span,
        message: String,
        key: String,
    ) -> Finding {
        let lock = &self.lockfiles[lockfile];
        let shippers = &self.shippers[lockfile];
        Finding {
            code: rule.code,
            rule: rule.name,
            severity: rule.severity,
            sas: rule.sas,
            cwe: rule.cwe,
            message,
            help: None,
            primary,
            labels: Vec::new(),
            flow: Vec::new(),
            subject: Subject {
                app: shippers.first().map_or_else(|| lock.path.clone(), |s| s.app_name.clone()),
                function: shippers.first().map(|s| s.logical_id.clone()),
                resource: None,
            },
            key,
            secrets: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// `shipped by `a/F` (public), `a/G` (internal)` or a note that no
    /// function of the scan ships the file.
    pub(crate) fn shipped_text(&self, lockfile: usize) -> String {
        let list = &self.shippers[lockfile];
        if list.is_empty() {
            return "no function in the scan ships it".to_string();
        }
        let mut names: Vec<String> = list
            .iter()
            .take(5)
            .map(|s| match &s.layer {
                Some(layer) => {
                    format!("`{}` ({}, in layer `{layer}`)", s.name(), exposure_word(s.exposure))
                }
                None => format!("`{}` ({})", s.name(), exposure_word(s.exposure)),
            })
            .collect();
        if list.len() > 5 {
            names.push(format!("and {} more", list.len() - 5));
        }
        format!("shipped by {}", names.join(", "))
    }

    /// The most exposed function shipping lockfile `i`, if any.
    pub(crate) fn best_exposure(&self, lockfile: usize) -> Option<Exposure> {
        self.shippers[lockfile].iter().map(|s| s.exposure).max()
    }

    /// Whether another file in the same directory pins the ecosystem's
    /// packages: a manifest's ranges are then resolved by that lockfile.
    pub(crate) fn has_lockfile_beside(&self, lockfile: usize) -> bool {
        let me = &self.lockfiles[lockfile];
        let dir = paths::parent(&me.path);
        self.lockfiles.iter().enumerate().any(|(i, l)| {
            i != lockfile
                && paths::parent(&l.path) == dir
                && l.kind.ecosystem() == me.kind.ecosystem()
                && pins(l.kind)
        })
    }
}

/// Whether a kind of file gives exact versions for everything it lists.
fn pins(kind: LockfileKind) -> bool {
    !kind.is_manifest() && kind != LockfileKind::Requirements
}

pub(crate) fn exposure_word(e: Exposure) -> &'static str {
    match e {
        Exposure::Public => "public",
        Exposure::Authenticated => "authenticated",
        Exposure::Internal => "internal",
        Exposure::Unknown => "trigger unknown",
    }
}

/// One level down, not below low: for what only internal functions (or
/// none) ship.
pub(crate) fn lower(s: Severity) -> Severity {
    match s {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium | Severity::Low => Severity::Low,
        Severity::Info => Severity::Info,
    }
}

/// Runs the enabled dependency rules over the scan's lockfiles.
pub fn check_dependencies(
    apps: &[App],
    input: &DependencyInput<'_>,
    settings: &Settings,
    db: &SourceDb,
) -> Vec<Finding> {
    let rules = crate::rules::dependencies::CHECKS;
    if !rules.iter().any(|(meta, _)| settings.enables(meta)) || input.lockfiles.is_empty() {
        return Vec::new();
    }
    let shippers = shipped_by(apps, db, input.lockfiles);
    let mut c = DepChecker {
        lockfiles: input.lockfiles,
        shippers: &shippers,
        vulnerabilities: input.vulnerabilities,
        findings: Vec::new(),
    };
    for (meta, check) in rules {
        if settings.enables(meta) {
            check(&mut c);
        }
    }
    c.findings
}

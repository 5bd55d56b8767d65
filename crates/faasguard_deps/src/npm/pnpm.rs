//! `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x and 9.
//!
//! - 5.x keys packages by path, `/name/1.0.0` (`/name/1.0.0_peer@2.0.0`
//!   with peers), and writes direct dependencies as `name: 1.0.0`.
//! - 6.x keys them `/name@1.0.0` (`/name@1.0.0(peer@2.0.0)`) and writes
//!   direct dependencies as `{specifier, version}`.
//! - 9 drops the leading `/`, splits the package (`packages`, one per
//!   version) from its peer variants (`snapshots`, with the dependencies),
//!   always lists the project under `importers`, and no longer marks dev.
//!
//! Keys of packages from outside the registry (`github.com/u/r/<sha>`,
//! `file:../lib`, `name@https://...`) carry a `name`, `version` and a
//! `resolution` that says where they come from.
//!
//! Direct: what an importer (`.` or a workspace folder; in 5.x and 6.x
//! without workspaces, the top-level `dependencies` sections) lists. Dev:
//! 5.x and 6.x mark each package `dev: true` (dev only), `dev: false`
//! (production only) or nothing (both); 9 only says which direct
//! dependencies are dev (`devDependencies` of every importer listing it),
//! and its transitive ones are left unmarked.
//!
//! `packages` and `snapshots` are parsed entry by entry
//! ([`parse_entries`], the fast reader of lockfile YAML with
//! `faasguard_syntax::parse_yaml` behind it): a lockfile of 100,000
//! packages holds millions of YAML nodes, past what one document may have
//! (`faasguard_syntax::MAX_NODES`), and an entry that breaks loses only
//! itself.

use std::collections::{HashMap, HashSet};

use faasguard_source::Span;
use faasguard_syntax::{Entry, Node};

use super::entries::{chunks, parse_entries, shift};
use super::spec::{Collector, source_of_url, split_name};
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

const REGENERATE: &str = "run `pnpm install` to rewrite the lockfile";

/// Lockfile majors whose layout is known.
const KNOWN: [u32; 3] = [5, 6, 9];

/// The layout facts that differ between versions.
#[derive(Clone, Copy)]
struct Style {
    /// Keys without a leading `/` are registry packages (9).
    bare_keys: bool,
    /// Package entries say `dev` (5.x, 6.x).
    dev_flags: bool,
}

/// Direct dependencies read from the importers.
#[derive(Default)]
struct Direct {
    /// Canonical ids (see [`canonical`]) listed as production dependencies.
    prod: HashSet<String>,
    /// Listed as dev dependencies.
    dev: HashSet<String>,
}

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    // Top-level sections: `packages:` and `snapshots:` blocks are split
    // into their entries; the rest is parsed whole.
    let mut roots: Vec<(Node, usize)> = Vec::new();
    let mut blocks: Vec<(&str, usize, usize)> = Vec::new();
    for (start, end) in chunks(text, 0, text.len(), Some(0)) {
        let Some(chunk) = text.get(start..end) else { continue };
        let first = chunk.lines().next().unwrap_or("");
        let header = first.split(" #").next().unwrap_or(first).trim_end();
        if let Some(name) = ["packages", "snapshots"]
            .into_iter()
            .find(|n| header.strip_prefix(n).is_some_and(|r| r == ":"))
        {
            let body = start + first.len();
            blocks.push((name, body, end));
            continue;
        }
        if let Some(root) = parse_entries(text, start, end, lock, REGENERATE) {
            roots.push((root, start));
        }
    }
    let has_snapshots = blocks.iter().any(|b| b.0 == "snapshots")
        || roots.iter().any(|(r, _)| r.get("snapshots").is_some());
    let major = lockfile_version(&roots, lock);
    let style = Style {
        bare_keys: major.is_some_and(|m| m >= 7) || has_snapshots,
        dev_flags: major.is_some_and(|m| m < 7) && !has_snapshots,
    };
    let mut collect = Collector::default();
    let direct = importers(&roots, style, &mut collect, lock);
    // Package key (canonical) → index in `lock.packages`, for snapshots.
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (root, off) in &roots {
        if let Some(packages) = root.get("packages") {
            for e in packages.entries() {
                if !add_package(e, *off, style, &direct, &mut collect, &mut by_key, lock) {
                    return;
                }
            }
        }
    }
    for &(name, from, to) in &blocks {
        if name != "packages" {
            continue;
        }
        for (start, end) in chunks(text, from, to, None) {
            let Some(root) = parse_entries(text, start, end, lock, REGENERATE) else { continue };
            for e in root.entries() {
                if !add_package(e, start, style, &direct, &mut collect, &mut by_key, lock) {
                    return;
                }
            }
        }
    }
    for (root, off) in &roots {
        if let Some(snapshots) = root.get("snapshots") {
            for e in snapshots.entries() {
                add_snapshot(e, *off, &mut by_key, lock);
            }
        }
    }
    for &(name, from, to) in &blocks {
        if name != "snapshots" {
            continue;
        }
        for (start, end) in chunks(text, from, to, None) {
            let Some(root) = parse_entries(text, start, end, lock, REGENERATE) else { continue };
            for e in root.entries() {
                add_snapshot(e, start, &mut by_key, lock);
            }
        }
    }
}

/// The major of `lockfileVersion` (`5.4`, `'6.0'`, `'9.0'`), with a
/// problem when it is missing or unknown.
fn lockfile_version(roots: &[(Node, usize)], lock: &mut Lockfile) -> Option<u32> {
    let found = roots.iter().find_map(|(r, off)| r.entry("lockfileVersion").map(|e| (e, *off)));
    let Some((entry, off)) = found else {
        lock.problems.push(Problem {
            span: Span::file_start(lock.file),
            message: format!(
                "pnpm-lock.yaml has no `lockfileVersion`, so its layout is a guess; {REGENERATE}"
            ),
        });
        return None;
    };
    let text = entry.value.scalar_text().unwrap_or_default();
    let major = text.split('.').next().and_then(|m| m.trim().parse::<u32>().ok());
    if !major.is_some_and(|m| KNOWN.contains(&m)) {
        lock.problems.push(Problem {
            span: shift(entry.value.span, off),
            message: format!(
                "unknown pnpm lockfileVersion `{text}` (known: 5.x, 6.x, 9.0): read as far as \
                 its layout matches a known one; update faasguard, or {REGENERATE} with a pnpm \
                 that writes a known version"
            ),
        });
    }
    major
}

/// Reads the importers (and 5.x/6.x top-level dependency sections): the
/// direct dependencies, and `link:` dependencies as local packages.
fn importers(
    roots: &[(Node, usize)],
    style: Style,
    collect: &mut Collector,
    lock: &mut Lockfile,
) -> Direct {
    let mut direct = Direct::default();
    // (folder, project, offset); the top level is the project at `.`.
    let mut projects: Vec<(&str, &Node, usize)> = Vec::new();
    for (root, off) in roots {
        projects.push((".", root, *off));
        if let Some(importers) = root.get("importers") {
            projects.extend(importers.entries().iter().map(|e| (e.key.as_str(), &e.value, *off)));
        }
    }
    let folders: HashSet<String> = projects.iter().map(|(k, _, _)| normalize_path(k)).collect();
    for (folder, project, off) in projects {
        for (section, dev) in
            [("dependencies", false), ("optionalDependencies", false), ("devDependencies", true)]
        {
            let Some(deps) = project.get(section) else { continue };
            for d in deps.entries() {
                // 5.x: `name: ref`; 6.x and 9: `name: {specifier, version: ref}`.
                let r = d.value.get("version").unwrap_or(&d.value).scalar_text();
                let Some(r) = r else {
                    lock.problems.push(Problem {
                        span: shift(d.key_span, off),
                        message: format!(
                            "direct dependency `{}` has no version; {REGENERATE}",
                            d.key
                        ),
                    });
                    continue;
                };
                if let Some(path) = r.strip_prefix("link:") {
                    // A link to another importer is a workspace package:
                    // the project itself, not a dependency.
                    if folders.contains(&normalize_path(&format!("{folder}/{path}"))) {
                        continue;
                    }
                    collect.add(
                        lock,
                        Package {
                            name: d.key.clone(),
                            version: String::new(),
                            requirement: None,
                            ecosystem: Ecosystem::Npm,
                            direct: true,
                            dev,
                            source: Source::Path { path: path.to_string() },
                            install_script: false,
                            dependencies: Vec::new(),
                            span: shift(d.key_span, off),
                        },
                    );
                    continue;
                }
                let id = ref_id(&d.key, &r, style);
                if dev {
                    direct.dev.insert(id)
                } else {
                    direct.prod.insert(id)
                };
            }
        }
    }
    direct
}

/// A relative folder path with `.` and `..` applied (`./a/../b/` → `b`,
/// `.` → ``); `..` past the start is kept.
fn normalize_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// One `packages` entry; `false` once no more packages are read.
fn add_package(
    e: &Entry,
    off: usize,
    style: Style,
    direct: &Direct,
    collect: &mut Collector,
    by_key: &mut HashMap<String, usize>,
    lock: &mut Lockfile,
) -> bool {
    if collect.full(lock) {
        return false;
    }
    let span = shift(e.key_span, off);
    let v = &e.value;
    if !v.is_map() && !matches!(v.kind, faasguard_syntax::NodeKind::Null) {
        lock.problems.push(Problem {
            span,
            message: format!("package `{}` is not a mapping; {REGENERATE}", e.key),
        });
        return true;
    }
    let parsed = split_key(&e.key, style);
    let field = |k: &str| v.get(k).and_then(Node::scalar_text).filter(|s| !s.is_empty());
    // 9 keys packages from elsewhere `name@<url or path>`.
    let bare_name = || {
        let (n, _) = split_name(&e.key).filter(|_| style.bare_keys)?;
        let slashes = n.matches('/').count();
        let valid = !n.contains(':') && slashes == usize::from(n.starts_with('@'));
        valid.then(|| n.to_string())
    };
    let name = field("name").or_else(|| parsed.map(|(n, _)| n.to_string())).or_else(bare_name);
    let version = field("version").or_else(|| parsed.map(|(_, v)| v.to_string()));
    let Some(name) = name else {
        lock.problems.push(Problem {
            span,
            message: format!(
                "package `{}` has no name (its key names none and it has no `name` field); \
                 {REGENERATE}",
                e.key
            ),
        });
        return true;
    };
    if version.is_none() {
        lock.problems.push(Problem {
            span,
            message: format!(
                "package `{}` has no version, so its advisories cannot be matched; {REGENERATE}",
                e.key
            ),
        });
    }
    let id = canonical(&e.key, style);
    let in_prod = direct.prod.contains(&id);
    let in_dev = direct.dev.contains(&id);
    let flag = |k: &str| v.get(k).and_then(Node::as_bool).unwrap_or(false);
    let dev = if style.dev_flags { flag("dev") } else { in_dev && !in_prod };
    let mut dependencies = Vec::new();
    for section in ["dependencies", "optionalDependencies"] {
        if let Some(deps) = v.get(section) {
            dependencies.extend(dep_pairs(deps, style));
        }
    }
    let source = match (v.get("resolution"), parsed) {
        (Some(res), _) => resolution_source(res),
        (None, Some(_)) => Source::Registry,
        // A key from outside the registry without a resolution: the key
        // (`name@https://...` in 9, `github.com/...` before) says where.
        (None, None) => {
            let spec = if style.bare_keys {
                split_name(&e.key).map_or(e.key.as_str(), |(_, r)| r)
            } else {
                e.key.as_str()
            };
            match source_of_url(spec) {
                Source::Registry => Source::Url { url: spec.to_string() },
                s => s,
            }
        }
    };
    let pkg = Package {
        name,
        version: version.unwrap_or_default(),
        requirement: None,
        ecosystem: Ecosystem::Npm,
        direct: in_prod || in_dev,
        dev,
        source,
        install_script: flag("requiresBuild") || flag("hasInstallScript"),
        dependencies,
        span,
    };
    match collect.add(lock, pkg) {
        Some(i) => {
            by_key.entry(id).or_insert(i);
            true
        }
        None => false,
    }
}

/// A 9 `snapshots` entry: the dependencies of the package it is a peer
/// variant of (the first variant's; the others differ only in peers).
fn add_snapshot(e: &Entry, off: usize, by_key: &mut HashMap<String, usize>, lock: &mut Lockfile) {
    let style = Style { bare_keys: true, dev_flags: false };
    let id = canonical(&e.key, style);
    let Some(&i) = by_key.get(&id) else {
        lock.problems.push(Problem {
            span: shift(e.key_span, off),
            message: format!(
                "snapshot `{}` has no entry under `packages`, so its version and source are \
                 unknown; {REGENERATE}",
                e.key
            ),
        });
        return;
    };
    let Some(p) = lock.packages.get_mut(i) else { return };
    if !p.dependencies.is_empty() {
        return;
    }
    for section in ["dependencies", "optionalDependencies"] {
        if let Some(deps) = e.value.get(section) {
            p.dependencies.extend(dep_pairs(deps, style));
        }
    }
}

/// `(name, version)` of a dependency map, references read as packages
/// (`react: 17.0.2(react-dom@17.0.2)` → `react`, `17.0.2`; an alias
/// `foo: /bar/1.0.0` or `bar@1.0.0` → `bar`, `1.0.0`).
fn dep_pairs(deps: &Node, style: Style) -> Vec<(String, String)> {
    deps.entries()
        .iter()
        .filter_map(|d| {
            let r = d.value.scalar_text()?;
            let alias = if r.starts_with('/') || (style.bare_keys && peerless(&r).contains('@')) {
                split_key(&r, Style { bare_keys: true, ..style })
            } else {
                None
            };
            Some(match alias {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (d.key.clone(), plain_ref(&r).to_string()),
            })
        })
        .collect()
}

/// A reference without its peer suffix (`1.0.0_react@17` in 5.x,
/// `1.0.0(react@17)` later); references that are not versions are kept.
fn plain_ref(r: &str) -> &str {
    if r.contains(['/', ':']) {
        return peerless(r);
    }
    r.split(['_', '(']).next().unwrap_or(r)
}

fn peerless(key: &str) -> &str {
    key.split('(').next().unwrap_or(key)
}

/// `(name, version)` of a registry package key (`/name/1.0.0_peer`,
/// `/@s/name@1.0.0(peer)`, and in 9 `name@1.0.0`); `None` for keys of
/// packages from elsewhere.
fn split_key(key: &str, style: Style) -> Option<(&str, &str)> {
    let k = match key.strip_prefix('/') {
        Some(k) => k,
        None if style.bare_keys => key,
        None => return None,
    };
    let name_end = if let Some(scoped) = k.strip_prefix('@') {
        let slash = scoped.find('/')? + 2;
        slash + k.get(slash..)?.find(['/', '@'])?
    } else {
        k.find(['/', '@'])?
    };
    let name = k.get(..name_end)?;
    if name.is_empty() || name.contains(':') {
        return None;
    }
    let rest = k.get(name_end + 1..)?;
    let version = if k.as_bytes().get(name_end) == Some(&b'/') {
        rest.split(['_', '(']).next()?
    } else {
        peerless(rest)
    };
    if version.is_empty() || version.contains(['/', ':']) {
        return None;
    }
    Some((name, version))
}

/// One id per package whatever its peers: `name@version` for registry
/// packages, the key without `/` and peers for the others.
fn canonical(key: &str, style: Style) -> String {
    match split_key(key, style) {
        Some((n, v)) => format!("{n}@{v}"),
        None => peerless(key.strip_prefix('/').unwrap_or(key)).to_string(),
    }
}

/// The id of the package an importer's reference points at.
fn ref_id(name: &str, r: &str, style: Style) -> String {
    if r.starts_with('/') {
        return canonical(r, style);
    }
    let base = plain_ref(r);
    if style.bare_keys {
        if base.contains('@') && !base.contains(':') {
            // An alias: `bar@1.0.0`.
            return canonical(r, style);
        }
        return canonical(&format!("{name}@{base}"), style);
    }
    if base.contains(['/', ':']) {
        // 5.x/6.x: a non-registry package's key (`github.com/u/r/sha`).
        return canonical(base, style);
    }
    format!("{name}@{base}")
}

/// Where a `resolution` says the package comes from.
fn resolution_source(res: &Node) -> Source {
    let field = |k: &str| res.get(k).and_then(Node::scalar_text).unwrap_or_default();
    match field("type").as_str() {
        "git" => {
            let (repo, commit) = (field("repo"), field("commit"));
            let url = if commit.is_empty() { repo } else { format!("{repo}#{commit}") };
            return Source::Git { url };
        }
        "directory" => return Source::Path { path: field("directory") },
        _ => {}
    }
    match res.get("tarball").and_then(Node::scalar_text) {
        Some(t) => source_of_url(&t),
        None => Source::Registry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V5: Style = Style { bare_keys: false, dev_flags: true };
    const V9: Style = Style { bare_keys: true, dev_flags: false };

    #[test]
    fn keys() {
        assert_eq!(split_key("/lodash/4.17.21", V5), Some(("lodash", "4.17.21")));
        assert_eq!(
            split_key("/@babel/core/7.20.0_react@17.0.2", V5),
            Some(("@babel/core", "7.20.0"))
        );
        assert_eq!(
            split_key("/@babel/core@7.20.0(react@17.0.2)", V5),
            Some(("@babel/core", "7.20.0"))
        );
        assert_eq!(split_key("react-dom@17.0.2(react@17.0.2)", V9), Some(("react-dom", "17.0.2")));
        assert_eq!(split_key("github.com/u/r/abc", V5), None);
        assert_eq!(split_key("file:../lib", V9), None);
        assert_eq!(split_key("foo@https://codeload.github.com/u/r/tar.gz/abc", V9), None);
        assert_eq!(split_key("/@scope", V5), None);
        assert_eq!(split_key("", V9), None);
    }

    #[test]
    fn paths() {
        assert_eq!(normalize_path("./packages/a/../shared/"), "packages/shared");
        assert_eq!(normalize_path("."), "");
        assert_eq!(normalize_path("packages/a/../../../lib"), "../lib");
    }

    #[test]
    fn refs() {
        assert_eq!(ref_id("react-dom", "17.0.2_react@17.0.2", V5), "react-dom@17.0.2");
        assert_eq!(ref_id("foo", "/bar/1.0.0", V5), "bar@1.0.0");
        assert_eq!(ref_id("foo", "bar@1.0.0", V9), "bar@1.0.0");
        assert_eq!(ref_id("r", "github.com/u/r/abc", V5), "github.com/u/r/abc");
        assert_eq!(ref_id("lib", "file:../lib", V9), "lib@file:../lib");
        assert_eq!(canonical("lib@file:../lib", V9), "lib@file:../lib");
    }
}

//! `uv.lock`: uv's lockfile (TOML).
//!
//! One `[[package]]` table per package with `name`, `version` and `source`
//! (an inline table with one key: `registry`, `git`, `path`, `directory`,
//! `editable`, `virtual` or `url`); `dependencies`,
//! `[package.optional-dependencies]` and `[package.dev-dependencies]` list
//! `{ name = ..., version = ... }` (the version only when several of that
//! name are locked).
//!
//! The projects themselves (the root and the workspace members of
//! `[manifest] members`, locked with a `virtual` or `editable` source) are
//! not dependencies and are not reported; what they list is direct. A
//! package that only their dev groups reach (through any chain of
//! dependencies) is for development; one that their dependencies or
//! extras also reach is shipped.

use std::collections::{HashMap, HashSet, VecDeque};

use toml_edit::{Item, TableLike, Value};

use crate::toml::{package_name, package_tables, parse_toml, str_of, table_of};
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

const REGENERATE: &str = "regenerate it with `uv lock`";

/// A dependency edge: a name, and the version when the lock gives one.
type Edge = (String, Option<String>);

struct Entry {
    package: Package,
    project: bool,
    /// `dependencies` and every extra's.
    runtime: Vec<Edge>,
    /// Every dev group's.
    dev: Vec<Edge>,
}

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let Some(doc) = parse_toml(text, lock, REGENERATE) else { return };
    let members: HashSet<String> = table_of(doc.get("manifest"))
        .and_then(|m| m.get("members"))
        .and_then(Item::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(|n| Ecosystem::PyPI.normalize(n)).collect())
        .unwrap_or_default();
    let Some(tables) = package_tables(&doc, lock, REGENERATE) else { return };
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen = HashSet::new();
    for table in tables.iter() {
        let Some((name, span)) = package_name(lock, table, REGENERATE) else { continue };
        let version = str_of(table, "version").unwrap_or("").to_string();
        let (source, project) = match table_of(table.get("source")) {
            Some(source_table) => source(source_table, &members, name),
            None => (Source::Registry, false),
        };
        if version.is_empty() && source == Source::Registry {
            lock.problems.push(Problem {
                span,
                message: format!("registry package `{name}` has no `version`; {REGENERATE}"),
            });
        }
        if !seen.insert((Ecosystem::PyPI.normalize(name), version.clone(), source.clone())) {
            continue;
        }
        let mut runtime = edges(table.get("dependencies"));
        if let Some(extras) = table_of(table.get("optional-dependencies")) {
            for (_, item) in extras.iter() {
                runtime.extend(edges(Some(item)));
            }
        }
        let mut dev = Vec::new();
        if let Some(groups) = table_of(table.get("dev-dependencies")) {
            for (_, item) in groups.iter() {
                dev.extend(edges(Some(item)));
            }
        }
        entries.push(Entry {
            package: Package {
                name: name.to_string(),
                version,
                requirement: None,
                ecosystem: Ecosystem::PyPI,
                direct: false,
                dev: false,
                source,
                install_script: false,
                dependencies: Vec::new(),
                span,
            },
            project,
            runtime,
            dev,
        });
    }
    classify(&mut entries);
    lock.packages.extend(entries.into_iter().filter(|e| !e.project).map(|e| e.package));
}

/// The source of a package, and whether it is one of the projects.
fn source(table: &dyn TableLike, members: &HashSet<String>, name: &str) -> (Source, bool) {
    let path = |key: &str| str_of(table, key).map(|p| Source::Path { path: p.to_string() });
    for key in ["virtual", "editable"] {
        if let Some(path) = str_of(table, key) {
            let project = members.contains(&Ecosystem::PyPI.normalize(name))
                || matches!(path, "." | "./" | "");
            return (Source::Path { path: path.to_string() }, project);
        }
    }
    let source = if let Some(url) = str_of(table, "git") {
        Source::Git { url: url.to_string() }
    } else if let Some(url) = str_of(table, "url") {
        Source::Url { url: url.to_string() }
    } else if let Some(p) = path("path").or_else(|| path("directory")) {
        p
    } else {
        Source::Registry
    };
    (source, false)
}

/// `[{ name = "x" }, { name = "y", version = "1.0" }]`.
fn edges(item: Option<&Item>) -> Vec<Edge> {
    let Some(array) = item.and_then(Item::as_array) else { return Vec::new() };
    array
        .iter()
        .filter_map(|v| {
            let table = v.as_inline_table()?;
            let name = table.get("name")?.as_str()?;
            let version = table.get("version").and_then(Value::as_str).map(str::to_string);
            Some((name.to_string(), version))
        })
        .collect()
}

/// Marks direct and dev packages from the projects' lists, and fills each
/// package's dependencies with the versions locked.
fn classify(entries: &mut [Entry]) {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        by_name.entry(Ecosystem::PyPI.normalize(&entry.package.name)).or_default().push(index);
    }
    let targets = |edge: &Edge| -> Vec<usize> {
        let found =
            by_name.get(&Ecosystem::PyPI.normalize(&edge.0)).map(Vec::as_slice).unwrap_or(&[]);
        match &edge.1 {
            Some(version) => {
                found.iter().copied().filter(|&i| entries[i].package.version == *version).collect()
            }
            None => found.to_vec(),
        }
    };
    let mut runtime_roots = Vec::new();
    let mut dev_roots = Vec::new();
    for entry in entries.iter().filter(|e| e.project) {
        runtime_roots.extend(entry.runtime.iter().flat_map(&targets));
        dev_roots.extend(entry.dev.iter().flat_map(&targets));
    }
    let reach = |roots: &[usize]| -> Vec<bool> {
        let mut seen = vec![false; entries.len()];
        let mut queue: VecDeque<usize> = roots.iter().copied().collect();
        while let Some(index) = queue.pop_front() {
            if std::mem::replace(&mut seen[index], true) {
                continue;
            }
            queue.extend(entries[index].runtime.iter().flat_map(&targets));
        }
        seen
    };
    let shipped = reach(&runtime_roots);
    let for_dev = reach(&dev_roots);
    let direct: HashSet<usize> = runtime_roots.iter().chain(&dev_roots).copied().collect();
    let resolved: Vec<Vec<(String, String)>> = entries
        .iter()
        .map(|entry| {
            entry
                .runtime
                .iter()
                .map(|edge| {
                    let version = match (&edge.1, targets(edge).as_slice()) {
                        (Some(version), _) => version.clone(),
                        (None, [only]) => entries[*only].package.version.clone(),
                        (None, _) => String::new(),
                    };
                    (edge.0.clone(), version)
                })
                .collect()
        })
        .collect();
    for (index, (entry, dependencies)) in entries.iter_mut().zip(resolved).enumerate() {
        entry.package.direct = direct.contains(&index);
        entry.package.dev = for_dev[index] && !shipped[index];
        let mut unique = HashSet::new();
        entry.package.dependencies =
            dependencies.into_iter().filter(|d| unique.insert(d.clone())).collect();
    }
}

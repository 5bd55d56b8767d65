//! `Cargo.lock` (versions 1 to 4).
//!
//! One `[[package]]` table per crate with `name`, `version`, `source`
//! (`registry+<index>`, `sparse+<index>` or `git+<url>?rev=...#<commit>`)
//! and `dependencies` (`"name"`, `"name version"` or, in version 1,
//! `"name version (source)"`). Version 1 may also have a `[root]` table.
//!
//! A package without `source` is a workspace member (or a path dependency,
//! which the lock cannot tell apart): the project itself, not reported;
//! what the members depend on is direct. Cargo.lock does not separate
//! dev-dependencies, so nothing is marked dev.

use std::collections::{HashMap, HashSet};

use toml_edit::{Item, Table, Value};

use crate::toml::{entry_span, package_tables, parse_toml, span_of, str_of};
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

const REGENERATE: &str = "regenerate it with `cargo generate-lockfile`";

struct Entry {
    package: Package,
    member: bool,
    /// `(name, version if given)`.
    edges: Vec<(String, Option<String>)>,
}

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let Some(doc) = parse_toml(text, lock, REGENERATE) else { return };
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    if let Some(root) = doc.get("root").and_then(Item::as_table) {
        read(lock, root, true, &mut entries, &mut seen);
    }
    if let Some(tables) = package_tables(&doc, lock, REGENERATE) {
        for table in tables.iter() {
            read(lock, table, false, &mut entries, &mut seen);
        }
    }
    resolve(&mut entries);
    lock.packages.extend(entries.into_iter().filter(|e| !e.member).map(|e| e.package));
}

fn read(
    lock: &mut Lockfile,
    table: &Table,
    root: bool,
    entries: &mut Vec<Entry>,
    seen: &mut HashSet<(String, String, Option<String>)>,
) {
    let header = entry_span(lock, table, "name").unwrap_or_else(|| span_of(lock, table.span()));
    let (Some(name), Some(version)) = (str_of(table, "name"), str_of(table, "version")) else {
        lock.problems.push(Problem {
            span: header,
            message: format!("a package needs `name` and `version`; {REGENERATE}"),
        });
        return;
    };
    let raw_source = str_of(table, "source");
    if !seen.insert((name.to_string(), version.to_string(), raw_source.map(str::to_string))) {
        return;
    }
    let source = match raw_source {
        None => None,
        Some(s) if s.starts_with("git+") => {
            Some(Source::Git { url: s.trim_start_matches("git+").to_string() })
        }
        Some(s) if s.starts_with("path+") => Some(Source::Path {
            path: s.trim_start_matches("path+").trim_start_matches("file://").to_string(),
        }),
        Some(_) => Some(Source::Registry),
    };
    let edges = table
        .get("dependencies")
        .and_then(Item::as_array)
        .map(|array| array.iter().filter_map(Value::as_str).filter_map(edge).collect())
        .unwrap_or_default();
    entries.push(Entry {
        member: root || source.is_none(),
        package: Package {
            name: name.to_string(),
            version: version.to_string(),
            requirement: None,
            ecosystem: Ecosystem::CratesIo,
            direct: false,
            dev: false,
            source: source.unwrap_or(Source::Registry),
            install_script: false,
            dependencies: Vec::new(),
            span: header,
        },
        edges,
    });
}

/// `"name"`, `"name version"`, `"name version (source)"`.
fn edge(text: &str) -> Option<(String, Option<String>)> {
    let mut parts = text.split_ascii_whitespace();
    let name = parts.next()?;
    Some((name.to_string(), parts.next().map(str::to_string)))
}

/// Fills dependencies with the versions locked and marks what the
/// workspace members depend on as direct.
fn resolve(entries: &mut [Entry]) {
    let mut versions: HashMap<String, Vec<String>> = HashMap::new();
    for entry in entries.iter().filter(|e| !e.member) {
        versions.entry(entry.package.name.clone()).or_default().push(entry.package.version.clone());
    }
    let mut direct = HashSet::new();
    for entry in entries.iter_mut() {
        let mut dependencies = Vec::with_capacity(entry.edges.len());
        for (name, version) in &entry.edges {
            let version = match (version, versions.get(name).map(Vec::as_slice)) {
                (Some(v), _) => v.clone(),
                (None, Some([only])) => only.clone(),
                (None, _) => String::new(),
            };
            if entry.member {
                direct.insert((name.clone(), version.clone()));
            }
            dependencies.push((name.clone(), version));
        }
        entry.package.dependencies = dependencies;
    }
    for entry in entries.iter_mut() {
        let key = (entry.package.name.clone(), entry.package.version.clone());
        entry.package.direct = direct.contains(&key);
    }
}

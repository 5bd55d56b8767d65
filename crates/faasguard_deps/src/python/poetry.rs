//! `poetry.lock`: Poetry's lockfile (TOML).
//!
//! One `[[package]]` table per locked package with `name` and `version`;
//! `[package.source]` when it does not come from PyPI (`type = "git"`,
//! `"directory"`, `"file"`, `"url"`; `"legacy"` is a private index, still a
//! registry); `[package.dependencies]` maps names to constraints.
//!
//! Development packages: lock format 1.x writes `category = "dev"`; Poetry
//! 2 writes `groups = [...]`, where a package outside the `main` group is
//! only for development. Between the two (lock 2.0) the lock does not say.
//!
//! The lock does not record what `pyproject.toml` asked for, so a package
//! is direct when no other locked package depends on it: the project must
//! have asked. A package both asked for and needed by another reads as
//! transitive; `pyproject.toml` (read separately) lists them exactly.

use std::collections::{HashMap, HashSet};

use toml_edit::{Item, TableLike};

use crate::toml::{package_name, package_tables, parse_toml, str_of, table_of};
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

const REGENERATE: &str = "regenerate it with `poetry lock`";

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let Some(doc) = parse_toml(text, lock, REGENERATE) else { return };
    let Some(tables) = package_tables(&doc, lock, REGENERATE) else { return };
    let mut seen = HashSet::new();
    for table in tables.iter() {
        let Some((name, span)) = package_name(lock, table, REGENERATE) else { continue };
        let version = str_of(table, "version").unwrap_or("").to_string();
        if version.is_empty() {
            lock.problems.push(Problem {
                span,
                message: format!("package `{name}` has no `version`; {REGENERATE}"),
            });
        }
        if !seen.insert((Ecosystem::PyPI.normalize(name), version.clone())) {
            continue;
        }
        let dev = match (str_of(table, "category"), table.get("groups").and_then(Item::as_array)) {
            (Some(category), _) => category == "dev",
            (None, Some(groups)) => !groups.iter().any(|g| g.as_str() == Some("main")),
            (None, None) => false,
        };
        let source = table_of(table.get("source")).map_or(Source::Registry, source);
        let dependencies =
            table_of(table.get("dependencies")).map(dependencies).unwrap_or_default();
        lock.packages.push(Package {
            name: name.to_string(),
            version,
            requirement: None,
            ecosystem: Ecosystem::PyPI,
            direct: false,
            dev,
            source,
            install_script: false,
            dependencies,
            span,
        });
    }
    mark_direct_and_resolve(&mut lock.packages);
}

/// `[package.source]`.
fn source(table: &dyn TableLike) -> Source {
    let url = str_of(table, "url").unwrap_or("");
    match str_of(table, "type").unwrap_or("") {
        "git" => {
            let reference =
                str_of(table, "resolved_reference").or_else(|| str_of(table, "reference"));
            let url = match reference {
                Some(r) if !r.is_empty() => format!("{url}#{r}"),
                _ => url.to_string(),
            };
            Source::Git { url }
        }
        "directory" | "file" => Source::Path { path: url.to_string() },
        "url" => Source::Url { url: url.to_string() },
        // "legacy" (a private index), "pypi", or a newer kind of index.
        _ => Source::Registry,
    }
}

/// `[package.dependencies]`: `name = "constraint"`, `name = {version =
/// ...}` or an array of such tables (one per marker).
fn dependencies(table: &dyn TableLike) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(name, item)| {
            let constraint = item
                .as_str()
                .or_else(|| table_of(Some(item)).and_then(|t| str_of(t, "version")))
                .or_else(|| {
                    let first = item.as_array()?.iter().next()?;
                    first.as_inline_table()?.get("version")?.as_str()
                })
                .unwrap_or("*");
            (name.to_string(), constraint.to_string())
        })
        .collect()
}

/// Direct: not needed by any other locked package. Each dependency's
/// constraint is replaced by the locked version when one package of that
/// name is locked.
fn mark_direct_and_resolve(packages: &mut [Package]) {
    let mut versions: HashMap<String, Vec<String>> = HashMap::new();
    for package in packages.iter() {
        versions
            .entry(Ecosystem::PyPI.normalize(&package.name))
            .or_default()
            .push(package.version.clone());
    }
    let mut needed = HashSet::new();
    for package in packages.iter_mut() {
        let own = Ecosystem::PyPI.normalize(&package.name);
        for (name, version) in &mut package.dependencies {
            let key = Ecosystem::PyPI.normalize(name);
            if let Some([only]) = versions.get(&key).map(Vec::as_slice) {
                version.clone_from(only);
            }
            if key != own {
                needed.insert(key);
            }
        }
    }
    for package in packages.iter_mut() {
        package.direct = !needed.contains(&Ecosystem::PyPI.normalize(&package.name));
    }
}

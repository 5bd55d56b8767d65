//! `Pipfile.lock`: Pipenv's lockfile (JSON).
//!
//! Packages sit in two sections, `default` and `develop` (development
//! only), each a map from name to `{"version": "==1.0", "hashes": [...]}`
//! or, outside the registry, `{"git": url, "ref": commit}`, `{"path":
//! "./lib"}` or `{"file": url}`. The lock does not say which packages the
//! Pipfile asked for and which came with them, so none is marked direct
//! (the Pipfile, not read here, would tell), and it lists no dependencies.

use std::collections::HashSet;

use faasguard_syntax::{Node, NodeKind, parse_json};

use super::requirements::url_source;
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

const REGENERATE: &str = "regenerate it with `pipenv lock`";

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let parsed = parse_json(lock.file, text);
    if let Some(error) = parsed.errors.first() {
        lock.problems.push(Problem {
            span: error.span,
            message: format!(
                "not valid JSON: {}; {REGENERATE}",
                error.message.trim_start_matches("invalid JSON: ").trim_end_matches('.')
            ),
        });
        return;
    }
    let Some(root) = parsed.root else { return };
    if !root.is_map() {
        lock.problems.push(Problem {
            span: root.span,
            message: format!(
                "a Pipfile.lock is a JSON object with `default` and `develop`; {REGENERATE}"
            ),
        });
        return;
    }
    let mut seen = HashSet::new();
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(entry) = root.entry(section) else { continue };
        if !entry.value.is_map() {
            if !matches!(entry.value.kind, NodeKind::Null) {
                lock.problems.push(Problem {
                    span: entry.key_span,
                    message: format!("`{section}` must be an object of packages; {REGENERATE}"),
                });
            }
            continue;
        }
        for package in entry.value.entries() {
            read_package(lock, &package.key, package.key_span, &package.value, dev, &mut seen);
        }
    }
}

fn read_package(
    lock: &mut Lockfile,
    name: &str,
    span: faasguard_source::Span,
    value: &Node,
    dev: bool,
    seen: &mut HashSet<(String, String, Source)>,
) {
    if !value.is_map() {
        lock.problems.push(Problem {
            span,
            message: format!("package `{name}` must be an object with its `version`; {REGENERATE}"),
        });
        return;
    }
    let text = |key: &str| value.get(key).and_then(Node::as_str);
    let source = if let Some(url) = text("git") {
        let url = match text("ref") {
            Some(reference) if !url.contains('#') => format!("{url}#{reference}"),
            _ => url.to_string(),
        };
        Source::Git { url }
    } else if let Some(path) = text("path") {
        if matches!(path.trim_end_matches('/'), "." | "") {
            // `-e .` in the Pipfile: the project itself.
            return;
        }
        Source::Path { path: path.to_string() }
    } else if let Some(file) = text("file") {
        url_source(file)
    } else {
        Source::Registry
    };
    let (version, requirement) = match value.get("version") {
        Some(node) => {
            match node.as_str() {
                Some(spec) => {
                    let spec = spec.trim();
                    match spec.strip_prefix("===").or_else(|| spec.strip_prefix("==")) {
                        Some(version) if !version.trim().is_empty() && !version.contains('*') => {
                            (version.trim().to_string(), None)
                        }
                        _ => (String::new(), Some(spec.to_string())),
                    }
                }
                None => {
                    lock.problems.push(Problem {
                    span: node.span,
                    message: format!("the version of `{name}` must be a string such as \"==1.0\"; {REGENERATE}"),
                });
                    return;
                }
            }
        }
        None if source == Source::Registry => {
            lock.problems.push(Problem {
                span,
                message: format!(
                    "package `{name}` has no `version` and no `git`, `path` or `file`; {REGENERATE}"
                ),
            });
            return;
        }
        None => (String::new(), None),
    };
    if !seen.insert((Ecosystem::PyPI.normalize(name), version.clone(), source.clone())) {
        return;
    }
    lock.packages.push(Package {
        name: name.to_string(),
        version,
        requirement,
        ecosystem: Ecosystem::PyPI,
        direct: false,
        dev,
        source,
        install_script: false,
        dependencies: Vec::new(),
        span,
    });
}

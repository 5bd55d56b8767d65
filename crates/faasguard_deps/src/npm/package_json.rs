//! `package.json`: the project's own dependency lists.
//!
//! A manifest gives ranges, not versions: every listed package is direct,
//! its range is kept as the [`Package::requirement`], and its version stays
//! empty unless the range names one exact version (`1.2.3`, `=1.2.3`),
//! which is then as pinned as a lockfile entry. Specs that leave the
//! registry (git, GitHub shorthand, `file:`, `link:`, tarball URLs) become
//! the package's [`Source`].

use std::collections::HashSet;

use faasguard_source::Span;
use faasguard_syntax::{Node, NodeKind, parse_json};

use super::spec::{classify, exact_version};
use crate::{Ecosystem, Lockfile, MAX_PACKAGES, Package, Problem, Source};

/// The sections read, in the order a name listed in several is taken from:
/// what ships (`dependencies`, `optionalDependencies`, `peerDependencies`,
/// which npm 7+ installs) wins over `devDependencies`.
const SECTIONS: [(&str, bool); 4] = [
    ("dependencies", false),
    ("optionalDependencies", false),
    ("peerDependencies", false),
    ("devDependencies", true),
];

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let parsed = parse_json(lock.file, text);
    for e in &parsed.errors {
        lock.problems.push(Problem {
            span: e.span,
            message: format!(
                "package.json could not be read ({}); fix the JSON so npm can read it",
                e.message
            ),
        });
    }
    let Some(root) = parsed.root else { return };
    if !root.is_map() {
        lock.problems.push(Problem {
            span: root.span,
            message: "package.json is not a JSON object; a package.json holds one object \
                      with `name`, `version` and dependency sections"
                .into(),
        });
        return;
    }
    let bundled = bundled_names(&root, lock);
    // npm installs a name once, from the first section that lists it.
    let mut seen: HashSet<String> = HashSet::new();
    for (section, dev) in SECTIONS {
        let Some(deps) = root.get(section) else { continue };
        if !deps.is_map() {
            lock.problems.push(Problem {
                span: deps.span,
                message: format!(
                    "`{section}` is not an object; write it as {{\"name\": \"range\", ...}}"
                ),
            });
            continue;
        }
        for entry in deps.entries() {
            let Some(spec) = entry.value.as_str() else {
                lock.problems.push(Problem {
                    span: entry.value.span,
                    message: format!(
                        "`{section}.{}` is not a string; give a version range such as \"^1.2.3\"",
                        entry.key
                    ),
                });
                continue;
            };
            if entry.key.trim().is_empty() {
                lock.problems.push(Problem {
                    span: entry.key_span,
                    message: format!(
                        "`{section}` lists a dependency without a name; remove the entry or \
                         name the package"
                    ),
                });
                continue;
            }
            if !seen.insert(entry.key.clone()) {
                continue;
            }
            if spec.trim_start().starts_with("workspace:") {
                // Another package of the same workspace: the project itself.
                continue;
            }
            if lock.packages.len() > MAX_PACKAGES {
                break;
            }
            lock.packages.push(manifest_package(&entry.key, spec, entry.key_span, dev, &bundled));
        }
    }
    // Sections were read in precedence order; list in file order.
    lock.packages.sort_by_key(|p| p.span.start);
    for (name, span) in &bundled {
        if !seen.contains(name) {
            lock.problems.push(Problem {
                span: *span,
                message: format!(
                    "`{name}` is in bundledDependencies but in no dependency section, so npm \
                     has no version to bundle; add it to `dependencies` or remove it from the list"
                ),
            });
        }
    }
}

/// The package a manifest line asks for.
fn manifest_package(
    key: &str,
    spec: &str,
    span: Span,
    dev: bool,
    bundled: &[(String, Span)],
) -> Package {
    let s = classify(spec);
    let name = s.alias_of.unwrap_or(key).to_string();
    let version = match s.source {
        Source::Registry => exact_version(s.range).unwrap_or("").to_string(),
        _ => String::new(),
    };
    // A bundled dependency is inside the published tarball whatever its section.
    let dev = dev && !bundled.iter().any(|(b, _)| b == key);
    Package {
        name,
        version,
        requirement: Some(spec.trim().to_string()),
        ecosystem: Ecosystem::Npm,
        direct: true,
        dev,
        source: s.source,
        install_script: false,
        dependencies: Vec::new(),
        span,
    }
}

/// `bundledDependencies` (or npm's older spelling `bundleDependencies`):
/// a list of names, or `true` for every dependency.
fn bundled_names(root: &Node, lock: &mut Lockfile) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for key in ["bundledDependencies", "bundleDependencies"] {
        let Some(node) = root.get(key) else { continue };
        match &node.kind {
            NodeKind::Seq(items) => {
                for item in items {
                    match item.as_str() {
                        Some(name) => out.push((name.to_string(), item.span)),
                        None => lock.problems.push(Problem {
                            span: item.span,
                            message: format!(
                                "`{key}` holds something other than a package name; list names \
                                 as strings"
                            ),
                        }),
                    }
                }
            }
            NodeKind::Bool(true) => {
                if let Some(deps) = root.get("dependencies") {
                    out.extend(deps.entries().iter().map(|e| (e.key.clone(), e.key_span)));
                }
            }
            NodeKind::Bool(false) | NodeKind::Null => {}
            _ => lock.problems.push(Problem {
                span: node.span,
                message: format!(
                    "`{key}` is neither a list of names nor `true`; write [\"name\", ...]"
                ),
            }),
        }
    }
    out
}

//! `package-lock.json` and `npm-shrinkwrap.json` (the same format, published
//! with a package), lockfileVersion 1, 2 and 3.
//!
//! Versions 2 and 3 describe the installed tree in `packages`, keyed by
//! install path (`node_modules/a`, `node_modules/a/node_modules/b`,
//! `packages/web` for a workspace); the `""` entry is the project itself
//! and its dependency sections say what is direct. Version 2 repeats the
//! tree in the older `dependencies` form for npm 6: only `packages` is
//! read then, so nothing is counted twice. Version 1 has only the nested
//! `dependencies` tree, with each package's `requires`.

use std::collections::{HashMap, HashSet};

use faasguard_source::Span;
use faasguard_syntax::{Entry, Node, NodeKind, parse_json};

use super::spec::{Collector, classify, is_semver, source_of_url, split_name};
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

/// The sections of a `packages` entry that name what it needs installed.
const DEP_SECTIONS: [&str; 4] =
    ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

const REGENERATE: &str = "regenerate it with `npm install --package-lock-only`";

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let file_name = lock.kind.name();
    let parsed = parse_json(lock.file, text);
    for e in &parsed.errors {
        lock.problems.push(Problem {
            span: e.span,
            message: format!("{file_name} could not be read ({}); {REGENERATE}", e.message),
        });
    }
    let Some(root) = parsed.root else { return };
    if !root.is_map() {
        lock.problems.push(Problem {
            span: root.span,
            message: format!("{file_name} is not a JSON object; {REGENERATE}"),
        });
        return;
    }
    let version = root.get("lockfileVersion");
    let number = version.and_then(Node::as_i64);
    match (version, number) {
        (_, Some(1..=3)) => {}
        (None, _) => lock.problems.push(Problem {
            span: Span::new(lock.file, root.span.start as usize, root.span.start as usize + 1),
            message: format!(
                "{file_name} has no `lockfileVersion`, so its format is a guess; {REGENERATE}"
            ),
        }),
        (Some(v), _) => lock.problems.push(Problem {
            span: v.span,
            message: format!(
                "unknown lockfileVersion {}: read as version 3 as far as it goes; update \
                 faasguard, or {REGENERATE} with an npm that writes version 3",
                v.scalar_text().unwrap_or_else(|| "(not a number)".into())
            ),
        }),
    }
    let mut collect = Collector::default();
    match (root.get("packages"), root.get("dependencies")) {
        (Some(packages), _) if packages.is_map() => read_packages(packages, lock, &mut collect),
        (packages, deps) => {
            if let Some(p) = packages {
                lock.problems.push(Problem {
                    span: p.span,
                    message: format!("`packages` is not an object; {REGENERATE}"),
                });
            } else if number.is_some_and(|n| n >= 2) {
                lock.problems.push(Problem {
                    span: version.map_or(root.span, |v| v.span),
                    message: format!(
                        "lockfileVersion {} has no `packages` section, which npm always \
                         writes; {REGENERATE}",
                        number.unwrap_or_default()
                    ),
                });
            }
            if let Some(deps) = deps {
                read_v1(deps, lock, &mut collect);
            }
        }
    }
}

/// Splits an install path into the project folder that owns it and the
/// path below its `node_modules/` (`packages/a/node_modules/x/node_modules/y`
/// → `packages/a`, `x/node_modules/y`); `None` for project folders.
fn install_path(key: &str) -> Option<(&str, &str)> {
    if let Some(rest) = key.strip_prefix("node_modules/") {
        return Some(("", rest));
    }
    let i = key.find("/node_modules/")?;
    Some((&key[..i], &key[i + "/node_modules/".len()..]))
}

/// The folder name a package is installed under (its name, or its alias).
fn folder_name(below: &str) -> &str {
    match below.rfind("/node_modules/") {
        Some(i) => &below[i + "/node_modules/".len()..],
        None => below,
    }
}

fn read_packages(packages: &Node, lock: &mut Lockfile, collect: &mut Collector) {
    let entries = packages.entries();
    // Project folders (the root, workspaces, linked local packages) and
    // the names each lists; link targets are looked up by path.
    let mut folders: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut by_key: HashMap<&str, &Node> = HashMap::with_capacity(entries.len());
    for e in entries {
        by_key.insert(&e.key, &e.value);
        if install_path(&e.key).is_none() {
            let names = folders.entry(&e.key).or_default();
            for section in DEP_SECTIONS {
                if let Some(deps) = e.value.get(section) {
                    names.extend(deps.entries().iter().map(|d| d.key.as_str()));
                }
            }
        }
    }
    // Workspaces are the project itself: what they list is direct (and
    // hoisted to the root's node_modules), and their links are not
    // packages. Other linked folders (`file:../lib`) are local packages.
    let globs = workspace_globs(by_key.get("").copied());
    // Real projects have a few folders and patterns; a hostile file gets a
    // bounded amount of matching (folders past it are not workspaces).
    let mut budget: usize = 20_000_000;
    let mut workspaces: HashSet<&str> = HashSet::new();
    for &folder in folders.keys() {
        if folder.is_empty() {
            continue;
        }
        for g in &globs {
            let cost = (g.len() + 1) * (folder.len() + 1);
            let Some(left) = budget.checked_sub(cost) else { break };
            budget = left;
            if glob_match(g, folder) {
                workspaces.insert(folder);
                break;
            }
        }
    }
    let hoisted: HashSet<&str> = workspaces
        .iter()
        .filter_map(|w| folders.get(w))
        .flat_map(|names| names.iter().copied())
        .collect();
    for e in entries {
        let Some((owner, below)) = install_path(&e.key) else { continue };
        if collect.full(lock) {
            return;
        }
        let is_link = e.value.get("link").and_then(Node::as_bool) == Some(true);
        let target = e.value.get("resolved").and_then(Node::as_str).unwrap_or("");
        if is_link && workspaces.contains(target) {
            continue;
        }
        let folder = folder_name(below);
        let top = !below.contains("/node_modules/");
        let project = owner.is_empty() || workspaces.contains(owner);
        let direct = top
            && project
            && (folders.get(owner).is_some_and(|n| n.contains(folder))
                || (owner.is_empty() && hoisted.contains(folder)));
        if let Some(pkg) = packages_entry(e, folder, direct, &by_key, lock) {
            collect.add(lock, pkg);
        }
    }
}

/// The root's `workspaces` patterns (a list, or yarn's `{packages: [...]}`).
fn workspace_globs(root: Option<&Node>) -> Vec<&str> {
    let Some(ws) = root.and_then(|r| r.get("workspaces")) else { return Vec::new() };
    let list = ws.get("packages").unwrap_or(ws);
    // A cap keeps matching cheap on a hostile file.
    list.items()
        .iter()
        .take(256)
        .filter_map(Node::as_str)
        .map(|g| g.trim_start_matches("./"))
        .collect()
}

/// Whether folder `path` matches a workspace pattern: `*` stands for part
/// of one path segment, `**` for any number of segments.
fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_end_matches('/');
    let pats: Vec<&str> = pattern.split('/').collect();
    let segs: Vec<&str> = path.split('/').collect();
    // Positions in `pats` reachable after each segment; `**` makes this a
    // small NFA walk, linear in segments times pattern length.
    let mut states = vec![false; pats.len() + 1];
    states[0] = true;
    close_stars(&pats, &mut states);
    for seg in segs {
        let mut next = vec![false; pats.len() + 1];
        for (i, p) in pats.iter().enumerate() {
            if !states[i] {
                continue;
            }
            if *p == "**" {
                next[i] = true;
            } else if segment_match(p, seg) {
                next[i + 1] = true;
            }
        }
        close_stars(&pats, &mut next);
        states = next;
    }
    states[pats.len()]
}

/// `**` may match no segment at all.
fn close_stars(pats: &[&str], states: &mut [bool]) {
    for i in 0..pats.len() {
        if states[i] && pats[i] == "**" {
            states[i + 1] = true;
        }
    }
}

/// One segment against a pattern segment with `*` wildcards.
fn segment_match(pattern: &str, seg: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == seg;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !seg.starts_with(first) || seg.len() < first.len() + last.len() || !seg.ends_with(last) {
        return false;
    }
    let mut rest = &seg[first.len()..seg.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// One `packages` entry, or `None` (with a problem) when it is not an object.
fn packages_entry(
    e: &Entry,
    folder: &str,
    direct: bool,
    by_key: &HashMap<&str, &Node>,
    lock: &mut Lockfile,
) -> Option<Package> {
    let v = &e.value;
    if !v.is_map() {
        lock.problems.push(Problem {
            span: e.key_span,
            message: format!("`packages[\"{}\"]` is not an object; {REGENERATE}", e.key),
        });
        return None;
    }
    let span = e.key_span;
    let flag = |k: &str| v.get(k).and_then(Node::as_bool).unwrap_or(false);
    let resolved = v.get("resolved").and_then(Node::as_str);
    // A link (workspace or `file:` folder) points at a project folder
    // entry, which holds the version and dependencies.
    let link = flag("link");
    let target = if link { resolved.and_then(|r| by_key.get(r).copied()) } else { None };
    let info = target.unwrap_or(v);
    let name = info
        .get("name")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(folder)
        .to_string();
    let raw_version = info.get("version").and_then(Node::as_str).unwrap_or("");
    let (version, source) = if link {
        (raw_version.to_string(), Source::Path { path: resolved.unwrap_or("").to_string() })
    } else if is_semver(raw_version) {
        (raw_version.to_string(), resolved.map_or(Source::Registry, source_of_url))
    } else {
        // Some tools write the spec (`file:..`, a git URL) as the version.
        let spec = classify(raw_version);
        match spec.source {
            Source::Registry => {
                (raw_version.to_string(), resolved.map_or(Source::Registry, source_of_url))
            }
            s => (String::new(), s),
        }
    };
    if !link && raw_version.is_empty() {
        lock.problems.push(Problem {
            span,
            message: format!(
                "`{}` has no version, so its advisories cannot be matched; npm writes one for \
                 every installed package: {REGENERATE}",
                e.key
            ),
        });
    }
    Some(Package {
        name,
        version,
        requirement: None,
        ecosystem: Ecosystem::Npm,
        direct,
        // `devOptional` packages ship: npm omits them only when both dev
        // and optional dependencies are omitted.
        dev: flag("dev"),
        source,
        install_script: flag("hasInstallScript")
            || target.and_then(|t| t.get("hasInstallScript")).and_then(Node::as_bool) == Some(true),
        dependencies: dependency_pairs(
            info,
            &["dependencies", "optionalDependencies", "peerDependencies"],
        ),
        span,
    })
}

/// `(name, range)` of the given sections of an entry.
fn dependency_pairs(entry: &Node, sections: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for section in sections {
        let Some(deps) = entry.get(section) else { continue };
        for d in deps.entries() {
            if let Some(range) = d.value.scalar_text() {
                out.push((d.key.clone(), range));
            }
        }
    }
    out
}

/// Version 1: `dependencies` nested by install path, each with `version`,
/// `resolved`, `dev`, `requires` (name → range) and its own nested
/// `dependencies`.
///
/// Version 1 does not record what the project itself asked for. A
/// top-level entry that no package `requires` can only be installed
/// because the project listed it, so it is direct; one that both the
/// project and a package ask for cannot be told apart and is left
/// transitive (the `package.json` beside the lockfile says).
fn read_v1(deps: &Node, lock: &mut Lockfile, collect: &mut Collector) {
    if !deps.is_map() {
        lock.problems.push(Problem {
            span: deps.span,
            message: format!("`dependencies` is not an object; {REGENERATE}"),
        });
        return;
    }
    let mut required: HashSet<&str> = HashSet::new();
    let mut top: Vec<(usize, &str)> = Vec::new();
    // Depth-first in file order, with an explicit stack: (map, next index, depth).
    let mut stack: Vec<(&Node, usize, usize)> = vec![(deps, 0, 0)];
    while let Some(frame) = stack.last_mut() {
        let (map, i, depth) = (frame.0, frame.1, frame.2);
        let Some(e) = map.entries().get(i) else {
            stack.pop();
            continue;
        };
        frame.1 += 1;
        if collect.full(lock) {
            break;
        }
        if !e.value.is_map() {
            lock.problems.push(Problem {
                span: e.key_span,
                message: format!("`dependencies[\"{}\"]` is not an object; {REGENERATE}", e.key),
            });
            continue;
        }
        let pkg = v1_entry(e, lock);
        if let Some(requires) = e.value.get("requires") {
            required.extend(requires.entries().iter().map(|r| r.key.as_str()));
        }
        if let Some(i) = collect.add(lock, pkg)
            && depth == 0
        {
            top.push((i, e.key.as_str()));
        }
        if let Some(nested) = e.value.get("dependencies")
            && nested.is_map()
        {
            stack.push((nested, 0, depth + 1));
        }
    }
    for (i, key) in top {
        if !required.contains(key)
            && let Some(p) = lock.packages.get_mut(i)
        {
            p.direct = true;
        }
    }
}

fn v1_entry(e: &Entry, lock: &mut Lockfile) -> Package {
    let v = &e.value;
    let raw = v.get("version").and_then(Node::as_str).unwrap_or("");
    if raw.is_empty() {
        lock.problems.push(Problem {
            span: e.key_span,
            message: format!(
                "`dependencies[\"{}\"]` has no version, so its advisories cannot be matched; \
                 {REGENERATE}",
                e.key
            ),
        });
    }
    let resolved = v.get("resolved").and_then(Node::as_str);
    let mut name = e.key.clone();
    let (version, source) = if let Some(alias) = raw.strip_prefix("npm:") {
        // `"alias": {"version": "npm:real@1.0.0"}`
        match split_name(alias) {
            Some((real, ver)) => {
                name = real.to_string();
                (ver.to_string(), resolved.map_or(Source::Registry, source_of_url))
            }
            None => (String::new(), Source::Registry),
        }
    } else if is_semver(raw) || raw.is_empty() {
        (raw.to_string(), resolved.map_or(Source::Registry, source_of_url))
    } else {
        // Git and local packages have their spec as version
        // (`github:u/r#sha`, `file:../lib`): the source says it all.
        match classify(raw).source {
            Source::Registry => (raw.to_string(), resolved.map_or(Source::Registry, source_of_url)),
            s => (String::new(), s),
        }
    };
    let flag = |k: &str| v.get(k).and_then(Node::as_bool).unwrap_or(false);
    let dependencies = match v.get("requires").map(|r| &r.kind) {
        Some(NodeKind::Map(_)) => dependency_pairs(v, &["requires"]),
        _ => Vec::new(),
    };
    Package {
        name,
        version,
        requirement: None,
        ecosystem: Ecosystem::Npm,
        direct: false,
        dev: flag("dev"),
        source,
        install_script: false,
        dependencies,
        span: e.key_span,
    }
}

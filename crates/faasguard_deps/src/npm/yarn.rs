//! `yarn.lock`: yarn classic (v1, its own text format) and yarn berry
//! (v2 and later, YAML with a `__metadata` entry).
//!
//! Classic is read by hand: its format is neither YAML nor JSON (`version
//! "1.0.0"`, keys listing several specifiers), and no maintained Rust crate
//! reads it; the format is a few line shapes, so a line reader is short,
//! linear and never loses more than the line it cannot read.
//!
//! Berry is YAML, read one entry at a time by `entries.rs` (shared with
//! pnpm).
//!
//! Neither format says which packages are dev-only, so none is marked dev.
//! Direct: berry lists each workspace (`name@workspace:.`) with its
//! dependencies; classic lists only what packages need, so an entry asked
//! for by a specifier no package uses is what the project asked for.

use std::borrow::Cow;
use std::collections::HashSet;

use faasguard_source::Span;
use faasguard_syntax::Node;

use super::entries::{chunks, parse_entries, shift};
use super::spec::{Collector, Spec, classify, source_of_url, split_name};
use crate::lines::lines;
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

/// The newest berry lockfile format known (yarn 4 writes 8).
const NEWEST_BERRY: i64 = 8;

const BERRY_FIX: &str = "fix it or run `yarn install` to rewrite the file";

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    if lines(text).any(|(_, l)| l.starts_with("__metadata:")) {
        berry(text, lock);
    } else {
        classic(text, lock);
    }
}

/// One locked package, from either format, before direct is known.
struct Locked {
    /// `(name, range)` of every specifier the entry answers.
    specs: Vec<(String, String)>,
    span: Span,
    version: Option<String>,
    /// Classic: the `resolved` URL.
    resolved: Option<String>,
    /// Berry: the `resolution` locator (`name@npm:1.0.0`).
    resolution: Option<String>,
    dependencies: Vec<(String, String)>,
}

// --- classic ---------------------------------------------------------------

fn classic(text: &str, lock: &mut Lockfile) {
    let file = lock.file;
    let mut entries: Vec<Locked> = Vec::new();
    // The entry being read, the indentation of its fields, and whether a
    // `dependencies:` block is open.
    let mut current: Option<Locked> = None;
    let mut field_indent: Option<usize> = None;
    let mut in_deps = false;
    for (at, line) in lines(text) {
        let body = line.trim_start_matches([' ', '\t']);
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        let body = body.trim_end();
        let line_span = Span::new(file, at + indent, at + indent + body.len());
        if indent == 0 {
            entries.extend(current.take());
            field_indent = None;
            in_deps = false;
            match header(body) {
                Ok(specs) => {
                    let key_len = body.len().saturating_sub(1);
                    current = Some(Locked {
                        specs,
                        span: Span::new(file, at, at + key_len),
                        version: None,
                        resolved: None,
                        resolution: None,
                        dependencies: Vec::new(),
                    });
                }
                Err(why) => lock.problems.push(Problem {
                    span: line_span,
                    message: format!(
                        "yarn.lock entry header {why}; an entry starts with `name@range:` (several \
                         separated by `, `): fix the line or run `yarn install` to rewrite the file"
                    ),
                }),
            }
            continue;
        }
        let Some(entry) = current.as_mut() else {
            // The body of an entry whose header could not be read (already reported).
            continue;
        };
        let fi = *field_indent.get_or_insert(indent);
        let Some((key, value)) = field(body) else {
            lock.problems.push(Problem {
                span: line_span,
                message: "yarn.lock line is not `key value` or `key:`; fix the line or run \
                          `yarn install` to rewrite the file"
                    .into(),
            });
            continue;
        };
        if indent <= fi {
            in_deps = false;
            match value {
                None => in_deps = matches!(&*key, "dependencies" | "optionalDependencies"),
                Some(v) => match &*key {
                    "version" => entry.version = Some(v.into_owned()),
                    "resolved" => entry.resolved = Some(v.into_owned()),
                    _ => {}
                },
            }
        } else if in_deps && let Some(v) = value {
            entry.dependencies.push((key.into_owned(), v.into_owned()));
        }
    }
    entries.extend(current);
    // Specifiers some package asks for; the rest come from the project.
    let asked: HashSet<(&str, &str)> = entries
        .iter()
        .flat_map(|e| e.dependencies.iter().map(|(n, r)| (n.as_str(), r.as_str())))
        .collect();
    let direct: Vec<bool> = entries
        .iter()
        .map(|e| e.specs.iter().any(|(n, r)| !asked.contains(&(n.as_str(), r.as_str()))))
        .collect();
    emit(entries, &direct, lock);
}

/// The specifiers of an entry header (`"a@^1", a@^1.1:`).
fn header(body: &str) -> Result<Vec<(String, String)>, &'static str> {
    let Some(list) = body.strip_suffix(':') else {
        return Err("does not end with `:`");
    };
    let mut specs = Vec::new();
    let mut rest = list.trim_start();
    while !rest.is_empty() {
        let (spec, after) = if rest.starts_with('"') {
            unquote(rest).ok_or("has an unterminated quoted specifier")?
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            (Cow::Borrowed(rest[..end].trim_end()), &rest[end..])
        };
        if spec.is_empty() {
            return Err("has an empty specifier");
        }
        specs.push(match split_name(&spec) {
            Some((n, r)) => (n.to_string(), r.to_string()),
            None => (spec.into_owned(), String::new()),
        });
        let after = after.trim_start();
        rest = match after.strip_prefix(',') {
            Some(r) => r.trim_start(),
            None if after.is_empty() => after,
            None => return Err("has text after a quoted specifier"),
        };
    }
    if specs.is_empty() {
        return Err("names no package");
    }
    Ok(specs)
}

/// A field line: `key value`, `key "value"`, `key: value` or `key:`
/// (a block follows). `None` when the line has no key.
fn field(body: &str) -> Option<(Cow<'_, str>, Option<Cow<'_, str>>)> {
    let (key, rest) = if body.starts_with('"') {
        unquote(body)?
    } else {
        let end = body.find([' ', '\t', ':']).unwrap_or(body.len());
        (Cow::Borrowed(&body[..end]), &body[end..])
    };
    if key.is_empty() {
        return None;
    }
    let rest = rest.trim_start();
    let (colon, rest) = match rest.strip_prefix(':') {
        Some(r) => (true, r.trim()),
        None => (false, rest.trim()),
    };
    if rest.is_empty() {
        // `key` alone is not a field; `key:` opens a block.
        return colon.then_some((key, None));
    }
    let value = match unquote(rest) {
        Some((v, _)) => v,
        None => Cow::Borrowed(rest),
    };
    Some((key, Some(value)))
}

/// A double-quoted string at the start of `s` (yarn writes them with
/// JSON escapes) and the text after it; `None` when it is not closed.
fn unquote(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let inner = s.strip_prefix('"')?;
    let close = inner.find(['"', '\\'])?;
    if inner.as_bytes()[close] == b'"' {
        return Some((Cow::Borrowed(&inner[..close]), &inner[close + 1..]));
    }
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(out), &inner[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

// --- berry -----------------------------------------------------------------

fn berry(text: &str, lock: &mut Lockfile) {
    let mut entries: Vec<Locked> = Vec::new();
    // Descriptors (`name@range`, `npm:` dropped) that workspaces ask for.
    let mut asked: HashSet<(String, String)> = HashSet::new();
    for (start, end) in chunks(text, 0, text.len(), Some(0)) {
        let Some(root) = parse_entries(text, start, end, lock, BERRY_FIX) else { continue };
        for e in root.entries() {
            let key_span = shift(e.key_span, start);
            if e.key == "__metadata" {
                metadata(&e.value, start, lock);
                continue;
            }
            if !e.value.is_map() {
                lock.problems.push(Problem {
                    span: key_span,
                    message: format!(
                        "yarn.lock entry `{}` is not a mapping; run `yarn install` to rewrite \
                         the file",
                        e.key
                    ),
                });
                continue;
            }
            let specs: Vec<(String, String)> = e
                .key
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| match split_name(s) {
                    Some((n, r)) => (n.to_string(), r.to_string()),
                    None => (s.to_string(), String::new()),
                })
                .collect();
            let v = &e.value;
            let resolution = v.get("resolution").and_then(Node::scalar_text);
            let mut dependencies = Vec::new();
            for section in ["dependencies", "peerDependencies"] {
                if let Some(deps) = v.get(section) {
                    for d in deps.entries() {
                        if let Some(range) = d.value.scalar_text() {
                            dependencies.push((d.key.clone(), range));
                        }
                    }
                }
            }
            let workspace = resolution
                .as_deref()
                .and_then(split_name)
                .is_some_and(|(_, r)| r.starts_with("workspace:"));
            if workspace {
                // The project's own package: what it asks for is direct.
                for (n, r) in &dependencies {
                    asked.insert((n.clone(), without_npm(r).to_string()));
                }
                continue;
            }
            entries.push(Locked {
                specs,
                span: key_span,
                version: v.get("version").and_then(Node::scalar_text),
                resolved: None,
                resolution,
                dependencies,
            });
        }
    }
    let direct: Vec<bool> = entries
        .iter()
        .map(|e| {
            e.specs.iter().any(|(n, r)| asked.contains(&(n.clone(), without_npm(r).to_string())))
        })
        .collect();
    emit(entries, &direct, lock);
}

/// A range as workspaces and keys both write it: berry keys add the
/// default `npm:` protocol, and bind relative paths to the workspace
/// asking (`portal:./x::locator=app%40workspace%3A.`).
fn without_npm(range: &str) -> &str {
    let range = range.strip_prefix("npm:").unwrap_or(range);
    range.split("::").next().unwrap_or(range)
}

/// `__metadata.version`: the lockfile format.
fn metadata(meta: &Node, start: usize, lock: &mut Lockfile) {
    let version = meta.get("version");
    match version.and_then(Node::as_i64) {
        Some(v) if v <= NEWEST_BERRY => {}
        _ => lock.problems.push(Problem {
            span: shift(version.map_or(meta.span, |v| v.span), start),
            message: format!(
                "unknown yarn lockfile version {}: read as version {NEWEST_BERRY} as far as it \
                 goes; update faasguard, or check the packages it lists",
                version.and_then(Node::scalar_text).unwrap_or_else(|| "(none)".into())
            ),
        }),
    }
}

// --- both ------------------------------------------------------------------

fn emit(entries: Vec<Locked>, direct: &[bool], lock: &mut Lockfile) {
    let mut collect = Collector::default();
    for (e, &direct) in entries.into_iter().zip(direct) {
        if collect.full(lock) {
            return;
        }
        let (key_name, key_range) =
            e.specs.first().map_or(("", ""), |(n, r)| (n.as_str(), r.as_str()));
        // Berry's `resolution` (`name@npm:1.0.0`) names the package
        // actually installed; classic has only the key and `resolved`.
        let (name, source) = match e.resolution.as_deref().and_then(split_name) {
            Some((name, locator)) => (name.to_string(), locator_source(locator)),
            None => {
                let spec = classify(key_range);
                let name = spec.alias_of.unwrap_or(key_name).to_string();
                (name, classic_source(&spec, e.resolved.as_deref()))
            }
        };
        if e.version.is_none() {
            lock.problems.push(Problem {
                span: e.span,
                message: format!(
                    "`{key_name}@{key_range}` has no version, so its advisories cannot be \
                     matched; run `yarn install` to rewrite the lockfile"
                ),
            });
        }
        let mut version = e.version.unwrap_or_default();
        if version == "0.0.0-use.local" {
            // berry's placeholder for linked folders: no version is known.
            version.clear();
        }
        let dependencies = e
            .dependencies
            .into_iter()
            .map(|(n, r)| {
                if r.starts_with("npm:") {
                    // `npm:^1.0.0`, or an alias `npm:real@^1.0.0`.
                    let s = classify(&r);
                    (s.alias_of.unwrap_or(&n).to_string(), s.range.to_string())
                } else {
                    (n, r)
                }
            })
            .collect();
        collect.add(
            lock,
            Package {
                name,
                version,
                requirement: None,
                ecosystem: Ecosystem::Npm,
                direct,
                dev: false,
                source,
                install_script: false,
                dependencies,
                span: e.span,
            },
        );
    }
}

/// Classic: the key's spec says where a package comes from unless it is a
/// plain range; `resolved` (with the commit for git) refines it.
fn classic_source(spec: &Spec<'_>, resolved: Option<&str>) -> Source {
    let from_url = resolved.map(source_of_url);
    match (&spec.source, from_url) {
        (Source::Registry, Some(s)) => s,
        (Source::Registry, None) => Source::Registry,
        (Source::Git { .. }, Some(s @ Source::Git { .. })) => s,
        (s, _) => s.clone(),
    }
}

/// Berry: the locator part of a `resolution` (`npm:1.0.0`,
/// `https://github.com/u/r.git#commit=abc`, `file:../x#../x::hash=..`,
/// `link:../x::locator=..`, `patch:..`).
fn locator_source(locator: &str) -> Source {
    // Berry appends its own bookkeeping (`::locator=...`, `::hash=...`).
    let locator = locator.split("::").next().unwrap_or(locator);
    for prefix in ["file:", "link:", "portal:"] {
        if let Some(rest) = locator.strip_prefix(prefix) {
            let path = rest.split('#').next().unwrap_or(rest);
            return Source::Path { path: path.to_string() };
        }
    }
    let spec = classify(locator);
    match spec.source {
        Source::Registry => Source::Registry,
        Source::Url { .. } | Source::Git { .. } => source_of_url(locator),
        s => s,
    }
}

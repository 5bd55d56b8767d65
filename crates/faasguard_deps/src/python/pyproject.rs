//! `pyproject.toml`: the project's own requirements.
//!
//! Read from PEP 621's `[project] dependencies` and
//! `[project.optional-dependencies]` (PEP 508 strings), PEP 735's
//! `[dependency-groups]` and uv's `[tool.uv] dev-dependencies` (both for
//! development), and Poetry's `[tool.poetry.dependencies]`,
//! `[tool.poetry.group.<name>.dependencies]` and
//! `[tool.poetry.dev-dependencies]`. Everything here is direct: the project
//! wrote it. A manifest states requirements, so each package carries its
//! requirement, and a version only when the requirement pins one (`==1.0`,
//! or Poetry's bare `1.0`, which Poetry reads as exact).

use std::collections::HashSet;
use std::ops::Range;

use faasguard_source::Span;

use toml_edit::{Item, TableLike, Value};

use super::requirements::{ANY, exact_version, parse_pep508, url_source};
use crate::toml::{entry_span, parse_toml, span_of, str_of, table_of};
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let Some(doc) = parse_toml(text, lock, "fix the syntax so pip, uv or Poetry can read it")
    else {
        return;
    };
    let mut out = Out { lock: &mut *lock, seen: HashSet::new(), text };
    if let Some(project) = table_of(doc.get("project")) {
        if let Some(item) = project.get("dependencies") {
            out.strings(item, "[project] dependencies", false);
        }
        if let Some(extras) = table_of(project.get("optional-dependencies")) {
            for (extra, item) in extras.iter() {
                out.strings(item, &format!("[project.optional-dependencies] {extra}"), false);
            }
        }
    }
    if let Some(groups) = table_of(doc.get("dependency-groups")) {
        for (group, item) in groups.iter() {
            out.strings(item, &format!("[dependency-groups] {group}"), true);
        }
    }
    let tool = table_of(doc.get("tool"));
    if let Some(item) =
        table_of(tool.and_then(|t| t.get("uv"))).and_then(|uv| uv.get("dev-dependencies"))
    {
        out.strings(item, "[tool.uv] dev-dependencies", true);
    }
    if let Some(poetry) = table_of(tool.and_then(|t| t.get("poetry"))) {
        if let Some(table) = table_of(poetry.get("dependencies")) {
            out.poetry(table, false);
        }
        if let Some(table) = table_of(poetry.get("dev-dependencies")) {
            out.poetry(table, true);
        }
        if let Some(groups) = table_of(poetry.get("group")) {
            for (group, item) in groups.iter() {
                if let Some(table) =
                    table_of(table_of(Some(item)).and_then(|g| g.get("dependencies")))
                {
                    out.poetry(table, group != "main");
                }
            }
        }
    }
    // The tables were read by kind; the packages are listed in file order.
    lock.packages.sort_by_key(|p| p.span.start);
}

struct Out<'l, 't> {
    lock: &'l mut Lockfile,
    seen: HashSet<(String, String, Option<String>, Source)>,
    text: &'t str,
}

impl Out<'_, '_> {
    fn push(
        &mut self,
        name: &str,
        version: &str,
        requirement: Option<String>,
        source: Source,
        dev: bool,
        span: Span,
    ) {
        let key = (
            Ecosystem::PyPI.normalize(name),
            version.to_string(),
            requirement.clone(),
            source.clone(),
        );
        if !self.seen.insert(key) {
            return;
        }
        self.lock.packages.push(Package {
            name: name.to_string(),
            version: version.to_string(),
            requirement,
            ecosystem: Ecosystem::PyPI,
            direct: true,
            dev,
            source,
            install_script: false,
            dependencies: Vec::new(),
            span,
        });
    }

    /// An array of PEP 508 strings (PEP 621, PEP 735, uv).
    fn strings(&mut self, item: &Item, place: &str, dev: bool) {
        let Some(array) = item.as_array() else {
            let span = span_of(self.lock, item.span());
            self.lock.problems.push(Problem {
                span,
                message: format!("{place} must be an array of requirement strings (`[\"requests>=2\"]`); fix its type"),
            });
            return;
        };
        for value in array.iter() {
            let span = span_of(self.lock, value.span());
            let Some(text) = value.as_str() else {
                // PEP 735 `{include-group = "test"}` names another group,
                // read on its own.
                if value.as_inline_table().is_some_and(|t| t.contains_key("include-group")) {
                    continue;
                }
                self.lock.problems.push(Problem {
                    span,
                    message: format!("{place} holds a value that is not a requirement string; write it as `\"name>=1.0\"`"),
                });
                continue;
            };
            match parse_pep508(text) {
                Ok(req) => {
                    let (version, requirement, source) = match req.url {
                        Some(url) => (String::new(), None, url_source(url)),
                        None => (
                            exact_version(req.spec)
                                .filter(|_| !req.spec.contains(','))
                                .unwrap_or("")
                                .to_string(),
                            Some(if req.spec.is_empty() {
                                ANY.to_string()
                            } else {
                                req.spec.to_string()
                            }),
                            Source::Registry,
                        ),
                    };
                    self.push(req.name, &version, requirement, source, dev, span);
                }
                Err(err) => {
                    let at = self.inner_span(value, text, err.at).unwrap_or(span);
                    self.lock.problems.push(Problem {
                        span: at,
                        message: format!(
                            "cannot read requirement `{text}` in {place}: {}; write it as PEP 508 \
                             (`name>=1.0`, `name[extra]==2.0`, `name @ https://...`)",
                            err.message
                        ),
                    });
                }
            }
        }
    }

    /// The span of `range` inside a TOML string, when the string is written
    /// without escapes (otherwise offsets inside it are not the file's).
    fn inner_span(&self, value: &Value, content: &str, range: Range<usize>) -> Option<Span> {
        let outer = value.span()?;
        let raw = self.text.get(outer.clone())?;
        let quote = raw.chars().next()?;
        if !matches!(quote, '"' | '\'') || raw.get(1..raw.len().checked_sub(1)?)? != content {
            return None;
        }
        Some(Span::new(self.lock.file, outer.start + 1 + range.start, outer.start + 1 + range.end))
    }

    /// A Poetry dependency table: `name = "^1.0"`, `name = {version = ...,
    /// git = ..., path = ..., url = ...}` or an array of such tables.
    fn poetry(&mut self, table: &dyn TableLike, dev: bool) {
        for (name, item) in table.iter() {
            // The interpreter, not a package.
            if name.eq_ignore_ascii_case("python") {
                continue;
            }
            let span = entry_span(self.lock, table, name)
                .unwrap_or_else(|| span_of(self.lock, item.span()));
            // Each constraint with where it is written: the entry, or for an
            // array of constraints (one per marker), the element's line.
            let mut specs: Vec<(&dyn TableLike, Span)> = Vec::new();
            if let Some(constraint) = item.as_str() {
                self.poetry_constraint(name, constraint, Source::Registry, dev, span);
                continue;
            } else if let Some(t) = item.as_table_like() {
                specs.push((t, span));
            } else if let Some(array) = item.as_array() {
                for value in array.iter() {
                    if let Some(t) = value.as_inline_table() {
                        specs.push((t, span_of(self.lock, value.span())));
                    }
                }
            }
            if specs.is_empty() {
                self.lock.problems.push(Problem {
                    span,
                    message: format!(
                        "Poetry dependency `{name}` is neither a version constraint nor a table; \
                         write `{name} = \"^1.0\"` or `{name} = {{ version = \"^1.0\" }}`"
                    ),
                });
            }
            for (spec, span) in specs {
                let source = if let Some(url) = str_of(spec, "git") {
                    Source::Git { url: url.to_string() }
                } else if let Some(path) = str_of(spec, "path") {
                    Source::Path { path: path.to_string() }
                } else if let Some(url) = str_of(spec, "url") {
                    Source::Url { url: url.to_string() }
                } else {
                    Source::Registry
                };
                let constraint = str_of(spec, "version").unwrap_or(if source == Source::Registry {
                    ANY
                } else {
                    ""
                });
                self.poetry_constraint(name, constraint, source, dev, span);
            }
        }
    }

    fn poetry_constraint(
        &mut self,
        name: &str,
        constraint: &str,
        source: Source,
        dev: bool,
        span: Span,
    ) {
        let constraint = constraint.trim();
        if source != Source::Registry {
            self.push(name, "", None, source, dev, span);
            return;
        }
        let version = poetry_exact(constraint).unwrap_or("");
        self.push(name, version, Some(constraint.to_string()), source, dev, span);
    }
}

/// The version a Poetry constraint pins: `==1.0` or a bare `1.0` (Poetry
/// reads a version without operator as exact).
fn poetry_exact(constraint: &str) -> Option<&str> {
    if constraint.contains(',') || constraint.contains('|') {
        return None;
    }
    if let Some(version) = exact_version(constraint) {
        return Some(version);
    }
    let bare = constraint.starts_with(|c: char| c.is_ascii_digit())
        && constraint
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-' | '_'));
    bare.then_some(constraint)
}

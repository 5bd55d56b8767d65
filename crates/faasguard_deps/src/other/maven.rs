//! Maven `pom.xml`: the dependencies a project declares.
//!
//! Read from `<project><dependencies><dependency>` (and the same inside
//! `<profiles><profile>`), named `groupId:artifactId`. Versions go through
//! `${property}` resolution from `<properties>` and the project's own
//! coordinates (`${project.version}`, falling back to `<parent>`'s); a
//! dependency without `<version>` takes the one `<dependencyManagement>`
//! of this file gives. A version still unresolved (a property of a parent
//! POM, a BOM, the command line) is kept as the requirement, unpinned; a
//! range (`[1.0,2.0)`) too. `<dependencyManagement>` entries themselves are
//! not dependencies. Scopes `test`, `provided` and `system` are not shipped
//! in the artifact: development.
//!
//! The XML is read by a small tokenizer of our own rather than a crate: no
//! XML crate is a dependency, a POM needs only elements and text, and
//! positions must be byte offsets into the file for findings. It never
//! expands entities: a `<!DOCTYPE>` (where entities are declared) makes the
//! file refused, so neither external entities (XXE: reading files, making
//! requests) nor recursive ones (the billion laughs) can do anything;
//! only XML's five predefined entities and character references are decoded.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use faasguard_source::Span;

use crate::{Ecosystem, Lockfile, Package, Problem, Source};

/// Deepest element nesting read; a POM is a few levels deep.
const MAX_DEPTH: usize = 256;
/// Most elements read from one file.
const MAX_ELEMENTS: usize = 1_000_000;
/// Rounds of `${property}` substitution (properties may refer to others).
const MAX_ROUNDS: usize = 16;
/// Longest value property substitution may build.
const MAX_VALUE: usize = 4096;

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let Some(xml) = Xml::parse(text, lock) else { return };
    let Some(project) = xml.root else {
        lock.problems.push(Problem {
            span: Span::file_start(lock.file),
            message: "no XML element found; a pom.xml has a `<project>` element".to_string(),
        });
        return;
    };
    if xml.elements[project].name != "project" {
        let name = xml.elements[project].name.clone();
        lock.problems.push(Problem {
            span: xml.open_span(lock, project),
            message: format!("the root element is `<{name}>`, not `<project>`: this is not a Maven POM; rename the file if it is something else"),
        });
        return;
    }
    Pom::new(&xml, project).read(&xml, lock);
}

struct Element {
    /// Local name (a `prefix:` is dropped).
    name: String,
    /// The start tag.
    open: Range<usize>,
    /// End of the end tag (of the start tag when self-closing or unclosed).
    end: usize,
    children: Vec<usize>,
    /// The element's own text, entities decoded.
    text: String,
}

impl Element {
    /// The problem of a start tag without its end tag; `when` says how
    /// that showed (empty when a later end tag closed an outer element).
    fn never_closed(&self, when: &str) -> String {
        format!("`<{}>` is never closed{when}; add `</{}>`", self.name, self.name)
    }
}

struct Xml {
    elements: Vec<Element>,
    root: Option<usize>,
}

impl Xml {
    /// Tokenizes `text` into elements. `None` when the file is refused
    /// (a DOCTYPE); malformed parts become problems and are skipped.
    fn parse(text: &str, lock: &mut Lockfile) -> Option<Xml> {
        let file = lock.file;
        let mut problem = |range: Range<usize>, message: String| {
            lock.problems.push(Problem { span: Span::new(file, range.start, range.end), message });
        };
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut xml = Xml { elements: Vec::new(), root: None };
        let mut stack: Vec<usize> = Vec::new();
        let find = |from: usize, pat: &str| {
            text.get(from..).and_then(|rest| rest.find(pat)).map(|at| from + at)
        };
        let mut i = 0;
        while i < n {
            if bytes[i] != b'<' {
                let end = find(i, "<").unwrap_or(n);
                if let Some(&top) = stack.last() {
                    let decoded = decode(&text[i..end], i, &mut problem);
                    xml.elements[top].text.push_str(&decoded);
                }
                i = end;
                continue;
            }
            let rest = &text[i..];
            if rest.starts_with("<!--") {
                let Some(end) = find(i + 4, "-->") else {
                    problem(i..i + 4, "a comment is never closed; add `-->`".to_string());
                    break;
                };
                i = end + 3;
            } else if rest.starts_with("<![CDATA[") {
                let Some(end) = find(i + 9, "]]>") else {
                    problem(i..i + 9, "a CDATA section is never closed; add `]]>`".to_string());
                    break;
                };
                if let Some(&top) = stack.last() {
                    xml.elements[top].text.push_str(&text[i + 9..end]);
                }
                i = end + 3;
            } else if let Some(declaration) = rest.strip_prefix("<!") {
                let word: String =
                    declaration.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                if word.eq_ignore_ascii_case("doctype") || word.eq_ignore_ascii_case("entity") {
                    problem(
                        i..i + 2 + word.len(),
                        "a `<!DOCTYPE>` in a POM is refused: it can declare entities that read \
                         local files or expand without bound (XXE), and Maven does not need it; \
                         remove the declaration"
                            .to_string(),
                    );
                    return None;
                }
                let end = tag_end(bytes, i + 1).unwrap_or(i + 1);
                problem(
                    i..(end + 1).min(n),
                    format!("unexpected `<!{word}` declaration; remove it"),
                );
                i = end + 1;
            } else if rest.starts_with("<?") {
                let Some(end) = find(i + 2, "?>") else {
                    problem(
                        i..i + 2,
                        "a processing instruction is never closed; add `?>`".to_string(),
                    );
                    break;
                };
                i = end + 2;
            } else if rest.starts_with("</") {
                let Some(end) = tag_end(bytes, i + 2) else {
                    problem(i..i + 2, "an end tag is never closed; add `>`".to_string());
                    i += 2;
                    continue;
                };
                let name = local(text[i + 2..end].trim());
                let tag = i..end + 1;
                i = end + 1;
                match stack.iter().rposition(|&e| xml.elements[e].name == name) {
                    Some(at) => {
                        while stack.len() > at + 1 {
                            if let Some(unclosed) = stack.pop() {
                                let element = &xml.elements[unclosed];
                                problem(element.open.clone(), element.never_closed(""));
                            }
                        }
                        if let Some(closed) = stack.pop() {
                            xml.elements[closed].end = i;
                        }
                    }
                    None => problem(
                        tag,
                        format!(
                            "`</{name}>` closes nothing that is open; remove it or add its start tag"
                        ),
                    ),
                }
            } else {
                let Some(end) = tag_end(bytes, i + 1) else {
                    problem(
                        i..i + 1,
                        "a `<` that starts no complete tag; close the tag with `>` or write `&lt;`"
                            .to_string(),
                    );
                    i += 1;
                    continue;
                };
                let self_closing = bytes[end - 1] == b'/';
                let inner = &text[i + 1..if self_closing { end - 1 } else { end }];
                let raw_name = inner.split(|c: char| c.is_whitespace()).next().unwrap_or("");
                let open = i..end + 1;
                i = end + 1;
                if raw_name.is_empty()
                    || !raw_name.starts_with(|c: char| c.is_alphabetic() || c == '_')
                {
                    let tag = text[open.clone()].to_string();
                    problem(
                        open,
                        format!("`{tag}` is not a valid start tag; fix the element name"),
                    );
                    continue;
                }
                if xml.elements.len() >= MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    problem(
                        open,
                        format!(
                            "more than {MAX_ELEMENTS} elements or deeper than {MAX_DEPTH} levels; the rest of the file was not read; a POM is much smaller"
                        ),
                    );
                    break;
                }
                let index = xml.elements.len();
                xml.elements.push(Element {
                    name: local(raw_name).to_string(),
                    end: open.end,
                    open,
                    children: Vec::new(),
                    text: String::new(),
                });
                match stack.last() {
                    Some(&parent) => xml.elements[parent].children.push(index),
                    None if xml.root.is_none() => xml.root = Some(index),
                    None => {
                        let open = xml.elements[index].open.clone();
                        problem(
                            open,
                            "a second root element; an XML document has one, remove this one"
                                .to_string(),
                        );
                    }
                }
                if !self_closing {
                    stack.push(index);
                }
            }
        }
        if let Some(&innermost) = stack.last() {
            let element = &xml.elements[innermost];
            problem(element.open.clone(), element.never_closed(" (the file ends first)"));
        }
        Some(xml)
    }

    fn child(&self, parent: usize, name: &str) -> Option<usize> {
        self.elements[parent].children.iter().copied().find(|&c| self.elements[c].name == name)
    }

    fn children<'a>(&'a self, parent: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.elements[parent]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.elements[c].name == name)
    }

    fn path(&self, from: usize, names: &[&str]) -> Option<usize> {
        names.iter().try_fold(from, |at, name| self.child(at, name))
    }

    fn text(&self, element: usize) -> &str {
        self.elements[element].text.trim()
    }

    fn open_span(&self, lock: &Lockfile, element: usize) -> Span {
        let open = &self.elements[element].open;
        Span::new(lock.file, open.start, open.end)
    }

    fn whole_span(&self, lock: &Lockfile, element: usize) -> Span {
        let e = &self.elements[element];
        Span::new(lock.file, e.open.start, e.end)
    }
}

/// The `>` ending a tag whose name begins at `from`, skipping quoted
/// attribute values; `None` when a `<` or the end of the file comes first.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            // `<` is not allowed in attribute values either: stopping
            // there keeps a run of broken tags linear.
            _ if b == b'<' => return None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i),
            None => {}
        }
    }
    None
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Decodes XML's predefined entities and character references; any other
/// entity is reported and kept as written.
fn decode(raw: &str, base: usize, problem: &mut impl FnMut(Range<usize>, String)) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut at = base;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        at += amp;
        rest = &rest[amp..];
        let semicolon = rest[1..].find(';').map(|s| s + 1).filter(|&s| s <= 12);
        let entity = semicolon.map(|s| &rest[1..s]);
        let decoded = match entity {
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("amp") => Some('&'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some(e) if e.starts_with("#x") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, semicolon) {
            (Some(c), Some(s)) => {
                out.push(c);
                rest = &rest[s + 1..];
                at += s + 1;
            }
            _ => {
                let len = semicolon.map_or(1, |s| s + 1);
                problem(
                    at..at + len,
                    format!(
                        "`{}` is not one of XML's predefined entities; entities are never \
                         expanded here (nor by a safe parser): write the character itself, or \
                         `&amp;` for `&`",
                        &rest[..len]
                    ),
                );
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                at += len;
            }
        }
    }
    out.push_str(rest);
    out
}

struct Pom {
    properties: HashMap<String, String>,
    /// `(groupId, artifactId)` to version, from `<dependencyManagement>`.
    managed: HashMap<(String, String), String>,
    project: usize,
}

impl Pom {
    fn new(xml: &Xml, project: usize) -> Pom {
        let mut properties = HashMap::new();
        let own = |name: &str| {
            xml.child(project, name)
                .or_else(|| xml.path(project, &["parent", name]))
                .map(|e| xml.text(e).to_string())
        };
        for (key, name) in
            [("version", "version"), ("groupId", "groupId"), ("artifactId", "artifactId")]
        {
            if let Some(value) = own(name) {
                for prefix in ["project.", "pom.", ""] {
                    properties.insert(format!("{prefix}{key}"), value.clone());
                }
            }
            if let Some(parent) = xml.path(project, &["parent", name]) {
                properties.insert(format!("project.parent.{key}"), xml.text(parent).to_string());
            }
        }
        if let Some(defined) = xml.child(project, "properties") {
            for &property in &xml.elements[defined].children {
                properties
                    .insert(xml.elements[property].name.clone(), xml.text(property).to_string());
            }
        }
        let mut pom = Pom { properties, managed: HashMap::new(), project };
        if let Some(list) = xml.path(project, &["dependencyManagement", "dependencies"]) {
            for dependency in xml.children(list, "dependency") {
                let field =
                    |name| xml.child(dependency, name).and_then(|e| pom.resolve(xml.text(e)));
                if let (Some(group), Some(artifact), Some(version)) =
                    (field("groupId"), field("artifactId"), field("version"))
                {
                    pom.managed.insert((group, artifact), version);
                }
            }
        }
        pom
    }

    /// `${name}` substituted; `None` when one stays unresolved.
    fn resolve(&self, value: &str) -> Option<String> {
        let mut value = value.to_string();
        for _ in 0..MAX_ROUNDS {
            if !value.contains("${") {
                return Some(value);
            }
            let mut out = String::with_capacity(value.len());
            let mut rest = value.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let end = start + rest[start..].find('}')?;
                out.push_str(self.properties.get(&rest[start + 2..end])?);
                rest = &rest[end + 1..];
                if out.len() > MAX_VALUE {
                    return None;
                }
            }
            out.push_str(rest);
            value = out;
        }
        (!value.contains("${")).then_some(value)
    }

    fn read(&self, xml: &Xml, lock: &mut Lockfile) {
        let mut lists: Vec<usize> = xml.child(self.project, "dependencies").into_iter().collect();
        if let Some(profiles) = xml.child(self.project, "profiles") {
            for profile in xml.children(profiles, "profile") {
                lists.extend(xml.child(profile, "dependencies"));
            }
        }
        let mut seen = HashSet::new();
        for list in lists {
            for dependency in xml.children(list, "dependency") {
                self.dependency(xml, dependency, lock, &mut seen);
            }
        }
    }

    fn dependency(
        &self,
        xml: &Xml,
        dependency: usize,
        lock: &mut Lockfile,
        seen: &mut HashSet<(String, String)>,
    ) {
        let field = |name| xml.child(dependency, name);
        let (Some(group), Some(artifact)) = (field("groupId"), field("artifactId")) else {
            lock.problems.push(Problem {
                span: xml.open_span(lock, dependency),
                message:
                    "a `<dependency>` needs `<groupId>` and `<artifactId>`; add the missing one"
                        .to_string(),
            });
            return;
        };
        let resolved =
            |e: usize| self.resolve(xml.text(e)).unwrap_or_else(|| xml.text(e).to_string());
        let (group, artifact_name) = (resolved(group), resolved(artifact));
        let span = xml.whole_span(lock, artifact);
        let (version, requirement) = match field("version") {
            Some(element) => match self.resolve(xml.text(element)) {
                Some(v) if v.starts_with(['[', '(']) => (String::new(), Some(v)),
                Some(v) if !v.is_empty() => (v, None),
                _ => (String::new(), Some(xml.text(element).to_string())),
            },
            None => match self.managed.get(&(group.clone(), artifact_name.clone())) {
                Some(v) if v.starts_with(['[', '(']) => (String::new(), Some(v.clone())),
                Some(v) => (v.clone(), None),
                // Managed by a parent POM or an imported BOM.
                None => (String::new(), None),
            },
        };
        let scope = field("scope").map(&resolved).unwrap_or_default();
        let dev = matches!(scope.as_str(), "test" | "provided" | "system");
        let source = match field("systemPath") {
            Some(path) if scope == "system" => Source::Path { path: resolved(path) },
            _ => Source::Registry,
        };
        let name = format!("{group}:{artifact_name}");
        if !seen.insert((name.clone(), version.clone())) {
            return;
        }
        lock.packages.push(Package {
            name,
            version,
            requirement,
            ecosystem: Ecosystem::Maven,
            direct: true,
            dev,
            source,
            install_script: false,
            dependencies: Vec::new(),
            span,
        });
    }
}

//! Serverless Framework variables: `${self:...}`, `${opt:...}`, `${sls:...}`,
//! `${env:...}`, `${param:...}`, `${file(...)}` and the deploy-time sources.
//!
//! The whole document is resolved up front into a new [`Node`] tree, because
//! the Framework itself resolves before it validates: `functions:` may be a
//! `${file()}` and a role may be named by `${self:custom.role}`.
//!
//! A value the scan cannot know (`${ssm:...}`, `${opt:stage}` without a
//! default, `${env:X}`) is left in the tree as its own `${...}` text;
//! [`contains_variable`] lets the model builder mark such values unresolved
//! instead of guessing them. A resolved reference keeps the span of the text
//! that provided the value (the `custom:` entry, the quoted default, the
//! other file), since that is the text a user has to change.
//!
//! Hostile documents stay cheap: cycles end with an error naming the chain,
//! and expansions, produced nodes and nesting are all bounded.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use faasguard_model::Note;
use faasguard_source::{SourceDb, Span};
use faasguard_syntax::{Entry, Node, NodeKind, ParseError, ParseErrorKind, parse_json, parse_yaml};

/// Most variables expanded in one document.
pub(crate) const MAX_EXPANSIONS: usize = 20_000;
/// Most nodes the resolved tree may hold (the same bound as alias expansion).
pub(crate) const MAX_RESOLVED_NODES: usize = faasguard_syntax::MAX_NODES;
/// Deepest chain of references followed from one use (`a` needs `b` needs `c` ...).
const MAX_REF_DEPTH: usize = 32;
/// Deepest combined nesting of resolved trees, so the recursion stays within
/// the stack of a test thread.
const MAX_NESTING: usize = 320;

/// The resolved document and what resolution met.
pub(crate) struct Resolved {
    /// The document with every resolvable variable replaced.
    pub(crate) root: Node,
    /// Cycles, missing files, missing `self:` paths, exhausted budgets.
    pub(crate) errors: Vec<ParseError>,
    /// Unknown sources and values skipped.
    pub(crate) notes: Vec<Note>,
}

/// Resolves every variable of `root`, the document of `file`.
pub(crate) fn resolve(db: &SourceDb, root: &Node) -> Resolved {
    let mut r = Resolver {
        db,
        root,
        files: HashMap::new(),
        memo: HashMap::new(),
        active: Vec::new(),
        expansions_left: MAX_EXPANSIONS,
        nodes_left: MAX_RESOLVED_NODES,
        nesting: 0,
        exhausted: false,
        errors: Vec::new(),
        notes: Vec::new(),
        seen: HashSet::new(),
    };
    let resolved = r.deep(root);
    Resolved { root: resolved, errors: r.errors, notes: r.notes }
}

/// Whether `text` still holds a Serverless variable (one that could not be resolved).
pub(crate) fn contains_variable(text: &str) -> bool {
    let mut from = 0;
    while let Some(i) = text[from..].find("${") {
        let start = from + i;
        if let Some(end) = matching_close(text, start)
            && is_variable(&text[start + 2..end])
        {
            return true;
        }
        from = start + 2;
    }
    false
}

/// The source of a variable text (`ssm` for `${ssm:/x}`), if it is one.
pub(crate) fn source_of(inner: &str) -> Option<&str> {
    let t = inner.trim_start();
    let end = t.find([':', '(']).unwrap_or(t.len());
    let name = &t[..end];
    is_variable(t).then_some(name)
}

/// Whether the text between `${` and `}` is a Serverless variable: a source
/// name followed by `:` or `(`. CloudFormation `Fn::Sub` placeholders
/// (`${AWS::Region}`, `${MyBucket}`) and API Gateway stage variables
/// (`${stageVariables.x}`) are not, and stay as written.
fn is_variable(inner: &str) -> bool {
    let t = inner.trim_start();
    let mut chars = t.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    for (i, c) in chars {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            continue;
        }
        return match c {
            ':' => !t[i + 1..].starts_with(':'),
            '(' => true,
            _ => false,
        };
    }
    false
}

/// Byte index of the `}` closing the `${` at `start`, counting nested braces.
fn matching_close(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                // Quotes only group inside a variable (`${opt:x, 'a}b'}`);
                // an apostrophe in surrounding prose must not swallow the rest.
                b'\'' | b'"' if depth >= 1 && is_variable(&text[start + 2..i]) => quote = Some(b),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Where the characters of a string value lie in the source, so a part of the
/// value (a variable, a quoted default) can get its own span.
#[derive(Clone, Copy)]
struct TextAt {
    /// The whole scalar.
    span: Span,
    /// Source offset of the value's first character, when the scalar is
    /// written without escapes (plain, or quoted with the quotes only).
    base: Option<u32>,
}

impl TextAt {
    fn sub(self, start: usize, end: usize) -> Span {
        match self.base {
            Some(b) => Span { file: self.span.file, start: b + start as u32, end: b + end as u32 },
            None => self.span,
        }
    }
    fn shifted(self, by: usize, len: usize) -> TextAt {
        match self.base {
            Some(b) => TextAt { span: self.sub(by, by + len), base: Some(b + by as u32) },
            None => self,
        }
    }
}

/// What one variable (or one of its fallbacks) gave.
enum Outcome {
    /// A value.
    Value(Node),
    /// A value that exists at deploy time but cannot be known here.
    Unresolved,
    /// No value; the next fallback applies. The message is reported when no
    /// fallback does.
    Missing(Option<String>),
}

struct Resolver<'a> {
    db: &'a SourceDb,
    root: &'a Node,
    /// Included files by resolved path: their raw tree (`None` when not in the db).
    files: HashMap<String, Option<Rc<Node>>>,
    /// Fully resolved references, by key (`self:custom.x`, `file:dir/x.yml`).
    memo: HashMap<String, Node>,
    /// References being resolved, outermost first: a repeat is a cycle.
    active: Vec<String>,
    expansions_left: usize,
    nodes_left: usize,
    nesting: usize,
    exhausted: bool,
    errors: Vec<ParseError>,
    notes: Vec<Note>,
    /// Reported messages by span, so a value resolved twice is reported once.
    seen: HashSet<(Span, String)>,
}

impl<'a> Resolver<'a> {
    fn error(&mut self, span: Span, message: String) {
        if self.seen.insert((span, message.clone())) {
            self.errors.push(ParseError { kind: ParseErrorKind::Structure, span, message });
        }
    }

    fn note(&mut self, span: Span, message: String) {
        if self.seen.insert((span, message.clone())) {
            self.notes.push(Note { span, message });
        }
    }

    /// Charges `n` produced nodes; false once the budget is gone.
    fn charge(&mut self, n: usize, span: Span) -> bool {
        if self.nodes_left < n {
            if !self.exhausted {
                self.exhausted = true;
                self.error(
                    span,
                    format!(
                        "variables expand this document beyond {MAX_RESOLVED_NODES} values; \
                         the rest is left unresolved"
                    ),
                );
            }
            self.nodes_left = 0;
            return false;
        }
        self.nodes_left -= n;
        true
    }

    /// A copy of `node` with every variable resolved.
    fn deep(&mut self, node: &Node) -> Node {
        if !self.charge(1, node.span) {
            return Node::new(node.span, NodeKind::Null);
        }
        if self.nesting >= MAX_NESTING {
            self.error(
                node.span,
                format!("variables nest deeper than {MAX_NESTING} levels; left unresolved"),
            );
            return node.clone();
        }
        self.nesting += 1;
        let kind = match &node.kind {
            NodeKind::String(s) => {
                let out = self.string(s, text_at(self.db, node));
                self.nesting -= 1;
                return match out {
                    // A whole-value reference keeps the tag of the use site
                    // (`!Sub ${file(...)}` is still a Sub).
                    Some(mut n) if node.tag.is_some() => {
                        n.tag = node.tag.clone();
                        n
                    }
                    Some(n) => n,
                    None => node.clone(),
                };
            }
            NodeKind::Seq(items) => NodeKind::Seq(items.iter().map(|i| self.deep(i)).collect()),
            NodeKind::Map(entries) => NodeKind::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: self.deep(&e.value),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        self.nesting -= 1;
        Node { span: node.span, tag: node.tag.clone(), kind }
    }

    /// Resolves the variables of a string. `None` when it holds none (the
    /// caller keeps its node as is).
    fn string(&mut self, s: &str, at: TextAt) -> Option<Node> {
        let parts = split_variables(s);
        if parts.iter().all(|p| matches!(p, Part::Text(_))) {
            return None;
        }
        if let [Part::Var { start, end }] = parts.as_slice() {
            let inner = &s[start + 2..end - 1];
            let inner_at = at.shifted(start + 2, inner.len());
            return Some(match self.variable(inner, inner_at, at.sub(*start, *end)) {
                Some(n) => n,
                None => Node::new(at.span, NodeKind::String(s.to_string())),
            });
        }
        let mut out = String::with_capacity(s.len());
        for part in &parts {
            match *part {
                Part::Text((a, b)) => out.push_str(&s[a..b]),
                Part::Var { start, end } => {
                    let inner = &s[start + 2..end - 1];
                    let var_span = at.sub(start, end);
                    match self.variable(inner, at.shifted(start + 2, inner.len()), var_span) {
                        Some(n) => match n.scalar_text() {
                            Some(t) => out.push_str(&t),
                            None if matches!(n.kind, NodeKind::Null) => {}
                            None => {
                                self.error(
                                    var_span,
                                    format!(
                                        "`${{{inner}}}` gives a {} where text is needed; \
                                         it cannot be part of a string",
                                        kind_name(&n)
                                    ),
                                );
                                out.push_str(&s[start..end]);
                            }
                        },
                        None => out.push_str(&s[start..end]),
                    }
                }
            }
        }
        Some(Node::new(at.span, NodeKind::String(out)))
    }

    /// Resolves one variable (the text between `${` and `}`) with its
    /// fallbacks. `None` when it stays unresolved.
    fn variable(&mut self, inner: &str, at: TextAt, var_span: Span) -> Option<Node> {
        if self.expansions_left == 0 {
            if !self.exhausted {
                self.exhausted = true;
                self.error(
                    var_span,
                    format!(
                        "more than {MAX_EXPANSIONS} variables to expand; the rest is left \
                         unresolved"
                    ),
                );
            }
            return None;
        }
        self.expansions_left -= 1;
        let mut missing = None;
        for (a, b) in split_fallbacks(inner) {
            let raw = &inner[a..b];
            let lead = raw.len() - raw.trim_start().len();
            let part = raw.trim();
            let part_at = at.shifted(a + lead, part.len());
            match self.fallback_part(part, part_at) {
                Outcome::Value(n) => return Some(n),
                Outcome::Unresolved => return None,
                Outcome::Missing(m) => {
                    if missing.is_none() {
                        missing = m;
                    }
                }
            }
        }
        if let Some(message) = missing {
            self.error(var_span, message);
        }
        None
    }

    /// One alternative of `${a, b, c}`: a reference, a quoted or bare literal,
    /// or a nested variable.
    fn fallback_part(&mut self, part: &str, at: TextAt) -> Outcome {
        if part.is_empty() {
            return Outcome::Missing(None);
        }
        if let Some(q) = part.chars().next().filter(|c| *c == '\'' || *c == '"')
            && part.len() >= 2
            && part.ends_with(q)
        {
            let text = &part[1..part.len() - 1];
            let text_at = at.shifted(1, text.len());
            return Outcome::Value(match self.string(text, text_at) {
                Some(n) => n,
                None => Node::new(text_at.span, NodeKind::String(text.to_string())),
            });
        }
        if part.starts_with("${") && matching_close(part, 0) == Some(part.len() - 1) {
            return match self.string(part, at) {
                Some(n) if matches!(&n.kind, NodeKind::String(s) if contains_variable(s)) => {
                    Outcome::Unresolved
                }
                Some(n) => Outcome::Value(n),
                None => Outcome::Missing(None),
            };
        }
        if is_variable(part) {
            // The address itself may hold variables: `self:custom.${sls:stage}`.
            let address = match self.string(part, at) {
                Some(n) => match n.kind {
                    NodeKind::String(s) if !contains_variable(&s) => s,
                    _ => return Outcome::Unresolved,
                },
                None => part.to_string(),
            };
            return self.reference(&address, at);
        }
        let kind = match part {
            "true" => NodeKind::Bool(true),
            "false" => NodeKind::Bool(false),
            "null" => NodeKind::Null,
            p if p.parse::<f64>().is_ok() => NodeKind::Number(p.to_string()),
            // Framework v2 accepted bare words as defaults.
            p => NodeKind::String(p.to_string()),
        };
        Outcome::Value(Node::new(at.span, kind))
    }

    /// Resolves `source:address` or `source(params):address`.
    fn reference(&mut self, text: &str, at: TextAt) -> Outcome {
        let (source, params, address) = split_reference(text);
        match source {
            "self" => match self.self_ref(address) {
                // The Framework fills these two before it resolves variables.
                Outcome::Missing(m) => match address.trim() {
                    "provider.stage" => Outcome::Value(text_node(at.span, "dev")),
                    "provider.region" => Outcome::Value(text_node(at.span, "us-east-1")),
                    _ => Outcome::Missing(m),
                },
                other => other,
            },
            "file" => self.file_ref(params.unwrap_or(""), address, at),
            "opt" => Outcome::Missing(None),
            "env" => Outcome::Missing(None),
            "sls" => match address {
                "stage" => self.stage(at),
                _ => Outcome::Unresolved,
            },
            "param" => self.param(address, at),
            "ssm" | "cf" | "aws" | "s3" | "secretsmanager" => Outcome::Unresolved,
            other => {
                self.note(
                    at.span,
                    format!(
                        "variable source `{other}` is not one faasguard knows; the value is \
                         left unresolved"
                    ),
                );
                Outcome::Unresolved
            }
        }
    }

    /// `${sls:stage}`: the provider stage, else the Framework's `dev`.
    fn stage(&mut self, at: TextAt) -> Outcome {
        match self.self_ref("provider.stage") {
            Outcome::Value(n) if !matches!(n.kind, NodeKind::Null) => match &n.kind {
                NodeKind::String(s) if contains_variable(s) => Outcome::Unresolved,
                _ => Outcome::Value(n),
            },
            Outcome::Unresolved => Outcome::Unresolved,
            _ => Outcome::Value(Node::new(at.span, NodeKind::String("dev".into()))),
        }
    }

    /// `${param:X}`: `params.<stage>.X`, then `params.default.X`.
    fn param(&mut self, name: &str, at: TextAt) -> Outcome {
        let stage = match self.stage(at) {
            Outcome::Value(n) => n.scalar_text(),
            _ => None,
        };
        let mut paths = Vec::new();
        if let Some(stage) = stage {
            paths.push(format!("params.{stage}.{name}"));
            paths.push(format!("stages.{stage}.params.{name}"));
        }
        paths.push(format!("params.default.{name}"));
        paths.push(format!("stages.default.params.{name}"));
        for p in paths {
            match self.self_ref(&p) {
                Outcome::Missing(_) => continue,
                other => return other,
            }
        }
        Outcome::Missing(Some(format!(
            "parameter `{name}` is not defined under `params` for this stage or `default`"
        )))
    }

    /// `${self:a.b.c}`, memoised and checked for cycles.
    fn self_ref(&mut self, address: &str) -> Outcome {
        let address = address.trim();
        let key = format!("self:{address}");
        if let Some(n) = self.memo.get(&key) {
            let n = n.clone();
            let count = n.count();
            return if self.charge(count, n.span) {
                Outcome::Value(n)
            } else {
                Outcome::Unresolved
            };
        }
        if let Some(i) = self.active.iter().position(|k| *k == key) {
            self.cycle(i, &key);
            return Outcome::Unresolved;
        }
        if self.active.len() >= MAX_REF_DEPTH {
            return Outcome::Missing(Some(format!(
                "variables refer through more than {MAX_REF_DEPTH} levels at `{key}`"
            )));
        }
        self.active.push(key.clone());
        let parts: Vec<&str> =
            if address.is_empty() { Vec::new() } else { address.split('.').collect() };
        let out = self.lookup_self(&parts);
        self.active.pop();
        if let Outcome::Value(n) = &out {
            self.memo.insert(key, n.clone());
        }
        match out {
            Outcome::Missing(None) => Outcome::Missing(Some(format!(
                "`${{self:{address}}}` refers to nothing in this file"
            ))),
            other => other,
        }
    }

    fn lookup_self(&mut self, parts: &[&str]) -> Outcome {
        let mut cur: &'a Node = self.root;
        for (i, part) in parts.iter().enumerate() {
            if whole_variable(cur) {
                // The way goes through a value that is itself a variable
                // (`custom: ${file(custom.yml)}`): resolve it, then walk on.
                return match self.self_ref(&parts[..i].join(".")) {
                    Outcome::Value(n) => match walk(&n, &parts[i..]) {
                        Some(t) => Outcome::Value(t.clone()),
                        None => Outcome::Missing(None),
                    },
                    other => other,
                };
            }
            match child(cur, part) {
                Some(next) => cur = next,
                None => return Outcome::Missing(None),
            }
        }
        Outcome::Value(self.deep(cur))
    }

    fn cycle(&mut self, from: usize, key: &str) {
        let chain: Vec<&str> = self.active[from..].iter().map(String::as_str).collect();
        let message = format!("variable cycle: {} -> {key}", chain.join(" -> "));
        let span = self.span_of_key(&self.active[from].clone());
        self.error(span, message);
    }

    /// Where the value a reference key names is written (for cycle errors).
    fn span_of_key(&self, key: &str) -> Span {
        if let Some(address) = key.strip_prefix("self:") {
            let parts: Vec<&str> =
                if address.is_empty() { Vec::new() } else { address.split('.').collect() };
            let mut cur = self.root;
            for p in parts {
                match child(cur, p) {
                    Some(n) => cur = n,
                    None => break,
                }
            }
            return cur.span;
        }
        if let Some(path) = key.strip_prefix("file:")
            && let Some(Some(n)) = self.files.get(path)
        {
            return n.span;
        }
        self.root.span
    }

    /// `${file(./x.yml):a.b}`: looked up in the source db, relative to the
    /// directory of the file that holds the variable.
    fn file_ref(&mut self, params: &str, address: &str, at: TextAt) -> Outcome {
        let written = unquote(params.trim());
        if written.is_empty() {
            return Outcome::Missing(Some("`${file()}` names no file".into()));
        }
        let dir =
            self.db.get(at.span.file).map(|f| parent_dir(&f.path).to_string()).unwrap_or_default();
        let Some(path) = join_path(&dir, written) else {
            return Outcome::Missing(Some(format!(
                "file `{written}` lies outside the scanned directory"
            )));
        };
        let lower = path.to_ascii_lowercase();
        if [".js", ".cjs", ".mjs", ".ts"].iter().any(|e| lower.ends_with(e)) {
            self.note(
                at.span,
                format!(
                    "`{written}` is code the Framework runs to compute a value; faasguard does \
                     not run it, so the value is left unresolved"
                ),
            );
            return Outcome::Unresolved;
        }
        let key = format!("file:{path}");
        let doc = if let Some(n) = self.memo.get(&key) {
            n.clone()
        } else {
            if let Some(i) = self.active.iter().position(|k| *k == key) {
                self.cycle(i, &key);
                return Outcome::Unresolved;
            }
            let Some(raw) = self.parsed_file(&path) else {
                return Outcome::Missing(Some(format!(
                    "file `{written}` (`{path}`) referenced by `${{file(...)}}` was not found \
                     among the scanned files"
                )));
            };
            self.active.push(key.clone());
            let doc = self.deep(&raw);
            self.active.pop();
            self.memo.insert(key, doc.clone());
            doc
        };
        let parts: Vec<&str> = address.split('.').filter(|p| !p.is_empty()).collect();
        match walk(&doc, &parts) {
            Some(n) => Outcome::Value(n.clone()),
            None => Outcome::Missing(Some(format!("`{address}` is not defined in `{path}`"))),
        }
    }

    fn parsed_file(&mut self, path: &str) -> Option<Rc<Node>> {
        if let Some(n) = self.files.get(path) {
            return n.clone();
        }
        let node = self.db.find(path).and_then(|id| {
            let src = self.db.get(id)?;
            let parsed = if path.to_ascii_lowercase().ends_with(".json") {
                parse_json(id, &src.text)
            } else {
                parse_yaml(id, &src.text)
            };
            self.errors.extend(parsed.errors);
            Some(Rc::new(
                parsed.root.unwrap_or_else(|| Node::new(Span::file_start(id), NodeKind::Null)),
            ))
        });
        self.files.insert(path.to_string(), node.clone());
        node
    }
}

fn text_node(span: Span, text: &str) -> Node {
    Node::new(span, NodeKind::String(text.to_string()))
}

fn kind_name(n: &Node) -> &'static str {
    match n.kind {
        NodeKind::Map(_) => "mapping",
        NodeKind::Seq(_) => "list",
        _ => "value",
    }
}

/// Where a string node's characters are in its file.
fn text_at(db: &SourceDb, node: &Node) -> TextAt {
    let base = match (&node.kind, db.get(node.span.file)) {
        (NodeKind::String(s), Some(f)) => {
            let slice = f.slice(node.span);
            if slice == s {
                Some(node.span.start)
            } else if slice.len() == s.len() + 2
                && (slice.starts_with('\'') || slice.starts_with('"'))
                && &slice[1..slice.len() - 1] == s
            {
                Some(node.span.start + 1)
            } else {
                None
            }
        }
        _ => None,
    };
    TextAt { span: node.span, base }
}

/// A piece of a string: plain text or a variable, as byte ranges.
#[derive(Debug)]
enum Part {
    Text((usize, usize)),
    Var { start: usize, end: usize },
}

fn split_variables(s: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut text_from = 0;
    let mut i = 0;
    while let Some(off) = s[i..].find("${") {
        let start = i + off;
        match matching_close(s, start) {
            Some(close) if is_variable(&s[start + 2..close]) => {
                if text_from < start {
                    parts.push(Part::Text((text_from, start)));
                }
                parts.push(Part::Var { start, end: close + 1 });
                i = close + 1;
                text_from = i;
            }
            _ => i = start + 2,
        }
    }
    if text_from < s.len() {
        parts.push(Part::Text((text_from, s.len())));
    }
    parts
}

/// Splits `a, 'b, c', ${d, e}` at top-level commas (byte ranges).
fn split_fallbacks(inner: &str) -> Vec<(usize, usize)> {
    let bytes = inner.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut paren, mut quote) = (0usize, 0usize, None::<u8>);
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'\'' | b'"' => quote = Some(b),
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'(' => paren += 1,
            b')' => paren = paren.saturating_sub(1),
            b',' if depth == 0 && paren == 0 => {
                out.push((from, i));
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push((from, inner.len()));
    out
}

/// `file(./x.yml):a.b` into (`file`, `./x.yml`, `a.b`).
fn split_reference(text: &str) -> (&str, Option<&str>, &str) {
    let text = text.trim();
    let end = text.find([':', '(']).unwrap_or(text.len());
    let source = &text[..end];
    let rest = &text[end..];
    if let Some(rest) = rest.strip_prefix('(') {
        let close = rest.find(')').unwrap_or(rest.len());
        let params = &rest[..close];
        let after = rest.get(close + 1..).unwrap_or("");
        let address = after.strip_prefix(':').unwrap_or(after).trim();
        return (source, Some(params), address);
    }
    (source, None, rest.strip_prefix(':').unwrap_or(rest).trim())
}

fn unquote(s: &str) -> &str {
    for q in ['\'', '"'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// Whether a node is a string that is exactly one variable.
fn whole_variable(node: &Node) -> bool {
    match &node.kind {
        NodeKind::String(s) => {
            matches!(split_variables(s).as_slice(), [Part::Var { start: 0, end }] if *end == s.len())
        }
        _ => false,
    }
}

fn child<'n>(node: &'n Node, part: &str) -> Option<&'n Node> {
    match &node.kind {
        NodeKind::Map(_) => node.get(part),
        NodeKind::Seq(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

fn walk<'n>(node: &'n Node, parts: &[&str]) -> Option<&'n Node> {
    parts.iter().try_fold(node, |n, p| child(n, p))
}

/// The directory part of a display path (`""` at the root).
pub(crate) fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Joins a relative path onto a directory, resolving `.` and `..`. `None`
/// when the path climbs above the scan root or is absolute.
pub(crate) fn join_path(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains('\\') && rel.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_variables_but_not_cloudformation_placeholders() {
        assert!(is_variable("self:custom.x"));
        assert!(is_variable("file(./a.yml):b"));
        assert!(is_variable("opt:stage, 'dev'"));
        assert!(!is_variable("AWS::Region"));
        assert!(!is_variable("MyBucket"));
        assert!(!is_variable("stageVariables.bucket_name"));
        assert!(!is_variable("self.custom.topicName"));
        assert!(contains_variable("a-${ssm:/x}-b"));
        assert!(!contains_variable("arn:${AWS::Partition}:s3:::${Bucket}"));
    }

    #[test]
    fn splits_fallbacks_at_top_level_commas_only() {
        let inner = "opt:stage, ${self:custom.a, 'x,y'}, 'd'";
        let parts: Vec<&str> =
            split_fallbacks(inner).into_iter().map(|(a, b)| inner[a..b].trim()).collect();
        assert_eq!(parts, ["opt:stage", "${self:custom.a, 'x,y'}", "'d'"]);
    }

    #[test]
    fn joins_relative_paths_and_refuses_to_climb_out() {
        assert_eq!(join_path("app", "./x.yml").as_deref(), Some("app/x.yml"));
        assert_eq!(join_path("app/sub", "../x.yml").as_deref(), Some("app/x.yml"));
        assert_eq!(join_path("", "x/y.json").as_deref(), Some("x/y.json"));
        assert_eq!(join_path("", "../x.yml"), None);
        assert_eq!(join_path("a", "/etc/passwd"), None);
    }
}

//! The YAML of lockfiles (pnpm-lock.yaml, yarn berry), read one top-level
//! entry at a time: a lockfile of 100,000 packages holds millions of YAML
//! nodes, past what one document may have (`faasguard_syntax::MAX_NODES`),
//! and an entry that breaks loses only itself. Shared by `yarn.rs` and
//! `pnpm.rs`.

use faasguard_source::{FileId, Span};
use faasguard_syntax::{Entry, Node, NodeKind, parse_yaml};

use crate::lines::lines;
use crate::{Lockfile, Problem};

/// Byte ranges of the entries of a block mapping written in
/// `text[from..to]`: each starts at a line indented by `indent` (by the
/// first entry's indentation when `None`) that is not a comment, and runs
/// to the next such line. Lines before the first entry are left out.
pub(super) fn chunks(
    text: &str,
    from: usize,
    to: usize,
    indent: Option<usize>,
) -> Vec<(usize, usize)> {
    let Some(region) = text.get(from..to) else { return Vec::new() };
    let mut indent = indent;
    let mut starts: Vec<usize> = Vec::new();
    for (at, line) in lines(region) {
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') || body.starts_with('\t') {
            continue;
        }
        let width = line.len() - body.len();
        if *indent.get_or_insert(width) == width {
            starts.push(from + at);
        }
    }
    starts.push(to);
    starts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// A span of a chunk parsed on its own, moved to where the chunk starts.
pub(super) fn shift(span: Span, by: usize) -> Span {
    Span::new(span.file, span.start as usize + by, span.end as usize + by)
}

/// Parses `text[start..end]`, one chunk of a YAML lockfile, and returns its
/// mapping; problems are reported at their place in the whole file, with
/// `fix` saying what to do.
///
/// Lockfile writers (pnpm through js-yaml, berry through its own `syml`
/// writer) keep to plain block mappings with one-line scalars and pnpm's
/// one-line flow mappings. [`simple_yaml`] reads that subset about ten
/// times faster than a full YAML parser, which is what makes a
/// 100,000-package lockfile take well under a second; any chunk that
/// leaves the subset (anchors, tags, block scalars, sequences, escapes,
/// multi-line scalars, odd indentation) goes to [`parse_yaml`], which
/// reads all of YAML and says what is wrong.
pub(super) fn parse_entries(
    text: &str,
    start: usize,
    end: usize,
    lock: &mut Lockfile,
    fix: &str,
) -> Option<Node> {
    let chunk = text.get(start..end)?;
    let root = match simple_yaml(lock.file, chunk) {
        Some(root) => root,
        None => {
            let parsed = parse_yaml(lock.file, chunk);
            // An error at the end of the chunk (an unclosed collection) is
            // shown on its last line, not on the next entry's.
            let last = chunk.trim_end().len();
            for e in &parsed.errors {
                let (s, t) = ((e.span.start as usize).min(last), (e.span.end as usize).min(last));
                lock.problems.push(Problem {
                    span: Span::new(lock.file, start + s, start + t),
                    message: format!(
                        "{} could not be read here ({}); {fix}",
                        lock.kind.name(),
                        e.message
                    ),
                });
            }
            parsed.root?
        }
    };
    match root.kind {
        NodeKind::Map(_) => Some(root),
        NodeKind::Null => None,
        _ => {
            lock.problems.push(Problem {
                span: shift(root.span, start),
                message: format!("expected `key: value` entries in {}; {fix}", lock.kind.name()),
            });
            None
        }
    }
}

/// A block mapping in the subset lockfile writers use, with the spans and
/// scalar types [`parse_yaml`] would give; `None` as soon as the text
/// leaves the subset (the caller then parses it in full).
pub(super) fn simple_yaml(file: FileId, text: &str) -> Option<Node> {
    /// An open block mapping, or (with `items`) a block sequence of scalars.
    struct Frame {
        indent: usize,
        start: usize,
        end: usize,
        entries: Vec<Entry>,
        /// A `key:` whose value is the block below it.
        pending: Option<(String, Span)>,
        items: Option<Vec<Node>>,
    }
    impl Frame {
        fn new(indent: usize, at: usize, seq: bool) -> Frame {
            let items = seq.then(Vec::new);
            Frame { indent, start: at, end: at, entries: Vec::new(), pending: None, items }
        }
    }
    /// Closes the innermost frame into the key waiting for it in its parent.
    fn close_into_parent(stack: &mut Vec<Frame>, file: FileId) -> Option<()> {
        let child = stack.pop()?;
        let end = child.end;
        let span = Span::new(file, child.start, child.end);
        let node = match child.items {
            Some(items) => Node::new(span, NodeKind::Seq(items)),
            None => Node::new(span, NodeKind::Map(child.entries)),
        };
        let parent = stack.last_mut()?;
        let (key, key_span) = parent.pending.take()?;
        parent.entries.push(Entry { key, key_span, value: node });
        parent.end = parent.end.max(end);
        Some(())
    }
    let mut stack: Vec<Frame> = Vec::new();
    for (at, line) in lines(text) {
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        let body = body.trim_end_matches(' ');
        let at = at + indent;
        if body.starts_with(['\t', '?']) || body.contains('\t') || body == "---" {
            return None;
        }
        let dash = body.starts_with("- ");
        if body.starts_with('-') && !dash {
            return None;
        }
        // Find the frame this line belongs to, opening or closing blocks.
        loop {
            let depth = stack.len();
            let Some(top) = stack.last_mut() else {
                if dash {
                    return None;
                }
                stack.push(Frame::new(indent, at, false));
                break;
            };
            if top.items.is_some() {
                if dash && indent == top.indent {
                    break;
                }
                if indent > top.indent {
                    // A nested or continued item: outside the subset.
                    return None;
                }
                close_into_parent(&mut stack, file)?;
                continue;
            }
            if top.pending.is_some() {
                if indent > top.indent || (dash && indent == top.indent) {
                    // A sequence at its key's indentation starts (as the
                    // full parser reports it) at its first item, not the dash.
                    let first_item = body.len() - body[1..].trim_start_matches(' ').len();
                    let start = if indent == top.indent { at + first_item } else { at };
                    stack.push(Frame::new(indent, start, dash));
                    break;
                }
                // `key:` with nothing below: no value.
                if let Some((key, key_span)) = top.pending.take() {
                    let value = Node::new(key_span, NodeKind::Null);
                    top.entries.push(Entry { key, key_span, value });
                }
            }
            if indent < top.indent && depth > 1 {
                close_into_parent(&mut stack, file)?;
                continue;
            }
            if indent != top.indent || dash {
                return None;
            }
            break;
        }
        let top = stack.last_mut()?;
        top.end = at + body.len();
        if let Some(items) = top.items.as_mut() {
            let item = body[1..].trim_start_matches(' ');
            let item_at = at + (body.len() - item.len());
            items.push(block_value(file, item, item_at)?);
            continue;
        }
        let (key, key_len, rest) = split_key_value(body)?;
        if key == "<<" {
            // A merge key: the full parser applies it.
            return None;
        }
        let key_span = Span::new(file, at, at + key_len);
        if rest.is_empty() {
            // Until a block follows, the entry ends with its key.
            top.end = at + key_len;
            top.pending = Some((key, key_span));
            continue;
        }
        let value_at = at + (body.len() - rest.len());
        let value = block_value(file, rest, value_at)?;
        top.entries.push(Entry { key, key_span, value });
    }
    // Close what is open: trailing `key:` lines have no value.
    loop {
        let top = stack.last_mut()?;
        if let Some((key, key_span)) = top.pending.take() {
            top.entries.push(Entry { key, key_span, value: Node::new(key_span, NodeKind::Null) });
        }
        if stack.len() == 1 {
            let root = stack.pop()?;
            let span = Span::new(file, root.start, root.end);
            return Some(Node::new(span, NodeKind::Map(root.entries)));
        }
        close_into_parent(&mut stack, file)?;
    }
}

/// `key: value` or `key:` → (key text, key length with quotes, value text).
fn split_key_value(body: &str) -> Option<(String, usize, &str)> {
    let (key, len) = match body.as_bytes().first()? {
        b'"' | b'\'' => quoted(body)?,
        _ => {
            let len = body.find(": ").or_else(|| body.strip_suffix(':').map(str::len))?;
            let key = &body[..len];
            if !plain_ok(key, false) || key.ends_with(' ') {
                return None;
            }
            (key.to_string(), len)
        }
    };
    let rest = body.get(len..)?.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, len, rest.trim_start_matches(' ')))
}

/// `s`, starting at `at`, as one quoted scalar; `None` when anything
/// follows the closing quote (or it is left to the full parser).
fn quoted_value(file: FileId, s: &str, at: usize) -> Option<Node> {
    let (text, len) = quoted(s)?;
    (len == s.len()).then(|| Node::new(Span::new(file, at, at + len), NodeKind::String(text)))
}

/// A quoted scalar at the start of `s`: its text and its length with
/// quotes. Double-quoted scalars with escapes are left to the full parser.
fn quoted(s: &str) -> Option<(String, usize)> {
    let q = s.chars().next()?;
    let inner = &s[1..];
    if q == '"' {
        let close = inner.find('"')?;
        if inner[..close].contains('\\') {
            return None;
        }
        return Some((inner[..close].to_string(), close + 2));
    }
    let mut out = String::new();
    let mut i = 0;
    let bytes = inner.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            return Some((out, i + 2));
        }
        let c = inner[i..].chars().next()?;
        out.push(c);
        i += c.len_utf8();
    }
    None
}

/// Whether `s` can be a plain scalar as written (block context, or flow
/// context with `flow`), without the parts of YAML the subset leaves out.
fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    // Characters that start something else (anchor, alias, tag, block
    // scalar, directive, reserved, comment, flow collection, quoted scalar).
    let indicator = matches!(
        first,
        '&' | '*'
            | '!'
            | '|'
            | '>'
            | '%'
            | '@'
            | '`'
            | '#'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '\''
    );
    // `-`, `?` and `:` start a plain scalar only when a non-space follows.
    let lone = matches!(first, '-' | '?' | ':') && (s.len() == 1 || s[1..].starts_with(' '));
    !(indicator
        || lone
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || (flow && s.contains([',', '[', ']', '{', '}'])))
}

/// The value after `key: ` on one line.
fn block_value(file: FileId, rest: &str, at: usize) -> Option<Node> {
    match rest.as_bytes().first()? {
        b'"' | b'\'' => quoted_value(file, rest, at),
        b'{' | b'[' => flow(file, rest, at),
        _ => plain_ok(rest, false).then(|| plain(file, rest, at)),
    }
}

/// A one-line flow mapping or sequence of scalars (`{integrity: sha512-..}`,
/// `[darwin]`).
fn flow(file: FileId, rest: &str, at: usize) -> Option<Node> {
    let map = rest.starts_with('{');
    let close = if map { '}' } else { ']' };
    let inner = rest.get(1..)?.strip_suffix(close)?;
    let mut entries = Vec::new();
    let mut items = Vec::new();
    let mut pos = 1;
    for raw in split_flow(inner)? {
        let lead = raw.len() - raw.trim_start_matches(' ').len();
        let item = raw.trim_matches(' ');
        let item_at = at + pos + lead;
        pos += raw.len() + 1;
        if item.is_empty() {
            continue;
        }
        if map {
            let (key, key_len, value) = match item.as_bytes().first()? {
                b'"' | b'\'' => {
                    let (k, len) = quoted(item)?;
                    (k, len, item.get(len..)?.strip_prefix(':')?)
                }
                _ => {
                    let len = item.find(": ").or_else(|| item.strip_suffix(':').map(str::len))?;
                    let key = &item[..len];
                    if !plain_ok(key, true) || key.ends_with(' ') {
                        return None;
                    }
                    (key.to_string(), len, &item[len + 1..])
                }
            };
            if !(value.is_empty() || value.starts_with(' ')) {
                return None;
            }
            let value = value.trim_start_matches(' ');
            let key_span = Span::new(file, item_at, item_at + key_len);
            let value_at = item_at + (item.len() - value.len());
            let value = if value.is_empty() {
                Node::new(key_span, NodeKind::Null)
            } else {
                flow_scalar(file, value, value_at)?
            };
            entries.push(Entry { key, key_span, value });
        } else {
            items.push(flow_scalar(file, item, item_at)?);
        }
    }
    let span = Span::new(file, at, at + rest.len());
    Some(Node::new(span, if map { NodeKind::Map(entries) } else { NodeKind::Seq(items) }))
}

/// Splits the inside of a flow collection at commas outside quotes;
/// `None` when it nests collections.
fn split_flow(inner: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut from = 0;
    for (i, b) in inner.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'{' | b'}' | b'[' | b']') => return None,
            (None, b',') => {
                out.push(&inner[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return None;
    }
    out.push(&inner[from..]);
    Some(out)
}

fn flow_scalar(file: FileId, s: &str, at: usize) -> Option<Node> {
    match s.as_bytes().first()? {
        b'"' | b'\'' => quoted_value(file, s, at),
        _ => plain_ok(s, true).then(|| plain(file, s, at)),
    }
}

/// A plain scalar, typed as the YAML 1.2 core schema (and [`parse_yaml`]) types it.
fn plain(file: FileId, s: &str, at: usize) -> Node {
    let kind = match s {
        "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ if is_number(s) => NodeKind::Number(s.to_string()),
        _ => NodeKind::String(s.to_string()),
    };
    Node::new(Span::new(file, at, at + s.len()), kind)
}

/// The core schema's numbers: decimal integers and floats, `0x`/`0o`,
/// `.inf` and `.nan`.
fn is_number(v: &str) -> bool {
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0o")) {
        return !hex.is_empty() && hex.bytes().all(|c| c.is_ascii_hexdigit());
    }
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mut digits, mut dot, mut exp, mut prev) = (0, false, false, b' ');
    for c in body.bytes() {
        match c {
            b'0'..=b'9' => digits += 1,
            b'.' if !dot && !exp => dot = true,
            b'e' | b'E' if digits > 0 && !exp => exp = true,
            b'+' | b'-' if matches!(prev, b'e' | b'E') => {}
            _ => return false,
        }
        prev = c;
    }
    digits > 0 && !matches!(prev, b'e' | b'E' | b'+' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast reader gives the tree the full parser gives, or leaves the text to it.
    fn same_as_full(text: &str) -> bool {
        let fast = simple_yaml(FileId(0), text);
        let full = parse_yaml(FileId(0), text);
        match fast {
            Some(fast) => {
                assert!(full.errors.is_empty(), "fast path accepted invalid YAML: {text:?}");
                let full = full.root.unwrap_or(Node::new(Span::default(), NodeKind::Null));
                assert_eq!(strip(fast), strip(full), "{text:?}");
                true
            }
            None => false,
        }
    }

    /// Null values' spans differ (a point after the colon, or the key); nothing reads them.
    fn strip(mut n: Node) -> Node {
        if let NodeKind::Null = n.kind {
            n.span = Span::default();
        }
        n.kind = match n.kind {
            NodeKind::Map(entries) => NodeKind::Map(
                entries
                    .into_iter()
                    .map(|e| Entry { key: e.key, key_span: e.key_span, value: strip(e.value) })
                    .collect(),
            ),
            NodeKind::Seq(items) => NodeKind::Seq(items.into_iter().map(strip).collect()),
            k => k,
        };
        n
    }

    #[test]
    fn fast_reader_matches_the_full_parser() {
        // What lockfile writers produce: read by the fast reader, as the full parser reads it.
        for text in [
            "a: 1\nb: two\n",
            "  /lodash/4.17.21:\n    resolution: {integrity: sha512-abc==}\n    dev: false\n\n",
            "  '@types/node@20.4.2':\n    resolution: {integrity: x, tarball: https://e.com/a.tgz}\n    engines: {node: '>=8'}\n    os: [darwin, linux]\n",
            "\"@babel/core@npm:^7.0.0, @babel/core@npm:^7.1.0\":\n  version: 7.22.5\n  resolution: \"@babel/core@npm:7.22.5\"\n  dependencies:\n    \"@babel/code-frame\": ^7.22.5\n    ms: 2.1.3\n  checksum: 10/abc\n  languageName: node\n  linkType: hard\n",
            "importers:\n\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0(b@2.0.0)\n    devDependencies:\n      c:\n        specifier: 'npm:d@1'\n        version: d@1.0.0\n",
            "a:\nb:\n  c: ~\n  d: true\n  e: 1.5\n  f: 'it''s'\n  g: {}\n  h: []\n",
            "x: a#b\ny: -1\nz: 0x1F\n# comment\nw: conditions=os & cpu\r\n",
            "  a@1.0.0:\n    dependencies:\n      debug: 4.3.4\n    transitivePeerDependencies:\n      - supports-color\n      - 'x'\n    os:\n    - darwin\n    b: 1\n",
            "a:\n- 1\n- {b: c}\nd:\n  - e\n",
        ] {
            assert!(same_as_full(text), "not read by the fast reader: {text:?}");
        }
        // Real lockfiles, cut anywhere: whatever the fast reader accepts,
        // the full parser reads the same.
        for text in [
            include_str!("../../tests/fixtures/npm/yarn-berry/yarn.lock"),
            include_str!("../../tests/fixtures/npm/pnpm-v5/pnpm-lock.yaml"),
            include_str!("../../tests/fixtures/npm/pnpm-v6/pnpm-lock.yaml"),
            include_str!("../../tests/fixtures/npm/pnpm-v9/pnpm-lock.yaml"),
        ] {
            assert!(same_as_full(text));
            for cut in (0..text.len()).step_by(7) {
                same_as_full(&text[..cut]);
            }
        }
        // Outside the subset: left to the full parser.
        for text in [
            "k: v # comment\n",
            "k: |\n  text\n",
            "k: &a 1\nl: *a\n",
            "k: \"esc\\n\"\n",
            "k:\n  - a: 1\n",
            "k:\n  - a\n    b\n",
            "- a\n",
            "k:\n  -a\n",
            "k: a\n  continued\n",
            "k:\n    a: 1\n  b: 2\n",
            "key : v\n",
            "k: {a: {b: c}}\n",
            "\"unterminated: x\n",
            "k: 'a'b\n",
            "<<: {a: 1}\nb: 2\n",
            "k: a: b\n",
            "k:\tv\n",
            "just text\n",
        ] {
            assert!(!same_as_full(text), "read by the fast reader: {text:?}");
        }
    }
}

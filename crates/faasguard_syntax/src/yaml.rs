//! YAML to [`Node`], built from saphyr-parser's event stream.
//!
//! We build the tree ourselves instead of using saphyr's `MarkedYaml` loader
//! because that loader expands aliases without a budget (an alias bomb
//! exhausts memory), recurses on nesting, and puts a default span on tagged
//! scalars. Building from events lets us bound depth and alias expansion,
//! keep a partial tree when the document breaks half way, and give every
//! node a real span.
//!
//! Where saphyr-parser 0.3.4 departs from what CloudFormation (and PyYAML,
//! which cfn-lint uses) read, we follow CloudFormation:
//! - flow collections indented less than YAML 1.2 allows are re-indented
//!   and parsed again (see the `padding` module);
//! - a block scalar running to the end of a text without a final line break
//!   gets no final line break;
//! - a flow collection's span ends at its closing bracket even after a
//!   trailing comma, where saphyr's end event points at the comma.

mod padding;

use std::borrow::Cow;
use std::collections::HashMap;

use faasguard_source::{FileId, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::{Entry, MAX_DEPTH, MAX_NODES, Node, NodeKind, ParseError, ParseErrorKind, Parsed};
use padding::{MAX_REPAIRS, MIN_PADDING_CAP, Padding, REPAIR_BUDGET_BYTES, Region};

/// Parses the first YAML document of `text`.
///
/// A flow collection indented less than saphyr-parser accepts (a `]` under
/// its key, a JSON policy at its key's column) is re-indented and parsed
/// again, as CloudFormation accepts it: see the `padding` module.
pub fn parse_yaml(file: FileId, text: &str) -> Parsed {
    // A last line of only blanks, without a line break, is not a line of
    // content, but saphyr-parser counts it as an empty line of a block scalar
    // that runs to the end (`|+` gains a line break). Leave it out.
    let trimmed = text.trim_end_matches([' ', '\t']);
    let text = if trimmed.ends_with('\n') { trimmed } else { text };
    let mut pad = Padding::default();
    let mut regions: Vec<Region> = Vec::new();
    let mut src = Cow::Borrowed(text);
    let mut best = pass(file, &src, &pad, &regions);
    let mut budget = REPAIR_BUDGET_BYTES.max(3 * text.len());
    for _ in 0..MAX_REPAIRS {
        let Some(err) = best.indent_error else { break };
        // Parsing again costs the prefix up to the error and the whole padded text.
        let Some(rest) = budget.checked_sub(err + src.len() + pad.total()) else { break };
        budget = rest;
        let Some(open) = open_flow_bracket(&src, err) else { break };
        let Some((adds, region)) = padding::plan(&src, open, err, &pad) else { break };
        let mut next_pad = pad.clone();
        next_pad.add(&adds);
        if next_pad.total() > text.len().max(MIN_PADDING_CAP) {
            break;
        }
        let next_src = next_pad.apply(text);
        regions.push(region);
        let next = pass(file, &next_src, &next_pad, &regions);
        if next.mismatch {
            // saphyr closed a repaired collection elsewhere than our lexer
            // did: do not trust the repair, keep the error as it was.
            break;
        }
        best = next;
        pad = next_pad;
        src = Cow::Owned(next_src);
    }
    best.parsed
}

/// One parse of the text as given to saphyr (`src`: the original text,
/// padded by `pad`), with every position mapped back to the original.
struct Pass {
    parsed: Parsed,
    /// Where saphyr stopped on an indentation error, as a byte offset in `src`.
    indent_error: Option<usize>,
    /// A repaired collection was closed elsewhere than its region says.
    mismatch: bool,
}

fn pass(file: FileId, src: &str, pad: &Padding, regions: &[Region]) -> Pass {
    let mut b = Builder {
        file,
        src,
        offsets: CharOffsets::new(src),
        pad,
        regions,
        mismatch: false,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        errors: Vec::new(),
    };
    let mut indent_error = None;
    // End of the last token saphyr handed out, in `src`.
    let mut last_end = 0;
    let mut parser = Parser::new_from_str(src);
    let mut docs = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let at = b.offsets.byte(e.marker().index());
                let info = e.info();
                if info.contains("indentation") {
                    indent_error = Some(at);
                }
                // The scanner has its own flow-nesting limit; report it as depth.
                let kind = if info.contains("recursion limit") {
                    ParseErrorKind::TooDeep
                } else {
                    ParseErrorKind::Syntax
                };
                let at =
                    if info == "simple key expect ':'" { key_start(src, last_end, at) } else { at };
                let at = pad.to_original(at);
                b.errors.push(ParseError {
                    kind,
                    span: Span::new(file, at, at),
                    message: describe(info),
                });
                break;
            }
        };
        let start = b.offsets.byte(span.start.index());
        let end = b.offsets.byte(span.end.index());
        last_end = last_end.max(end);
        match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    // Templates and configs are single documents; later ones are not read.
                    break;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let span = b.span(start, end);
                let mut value = value;
                // A block scalar that runs to the end of a text without a
                // final line break has no final line break to keep (YAML 1.2
                // rule 8.1.1.2, `b-chomped-last`), but saphyr-parser adds one.
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && end == src.len()
                    && !src.ends_with('\n')
                    && value.ends_with('\n')
                {
                    value.to_mut().pop();
                }
                let node = scalar(span, &value, style, tag.as_deref());
                if !b.push(node, anchor) {
                    break;
                }
            }
            Event::SequenceStart(anchor, tag) => {
                if !b.open(Frame::Seq(Vec::new()), start, end, anchor, tag.as_deref()) {
                    break;
                }
            }
            Event::MappingStart(anchor, tag) => {
                if !b.open(Frame::Map(Vec::new(), None), start, end, anchor, tag.as_deref()) {
                    break;
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if !b.close(Some((start, end))) {
                    break;
                }
            }
            Event::Alias(id) => {
                let span = b.span(start, end);
                let Some(node) = b.anchors.get(&id).cloned() else {
                    b.errors.push(ParseError {
                        kind: ParseErrorKind::Syntax,
                        span,
                        message: "alias refers to an unknown anchor".into(),
                    });
                    continue;
                };
                let size = node.count();
                if b.nodes + size > MAX_NODES {
                    b.errors.push(ParseError {
                        kind: ParseErrorKind::AliasBomb,
                        span,
                        message: format!(
                            "aliases expand to more than {MAX_NODES} nodes (a YAML alias bomb); \
                             the document was read up to here"
                        ),
                    });
                    break;
                }
                b.nodes += size - 1;
                let mut node = node;
                node.span = span;
                if !b.push(node, 0) {
                    break;
                }
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    // A broken document leaves containers open: close them so the part that
    // was read is still analysed.
    while !b.stack.is_empty() {
        if !b.close(None) {
            break;
        }
    }
    Pass { parsed: Parsed { root: b.root, errors: b.errors }, indent_error, mismatch: b.mismatch }
}

/// The opening bracket (byte offset in `src`) of the outermost flow
/// collection open at `at`, if any. saphyr hands out a token only once it
/// knows the token is not a key, so when it fails the events may lag behind
/// the error; parsing just the text before the error flushes them all.
fn open_flow_bracket(src: &str, at: usize) -> Option<usize> {
    let prefix = src.get(..at)?;
    let mut offsets = CharOffsets::new(prefix);
    let mut stack: Vec<Option<usize>> = Vec::new();
    let mut parser = Parser::new_from_str(prefix);
    while let Some(Ok((event, span))) = parser.next_event() {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return None;
                }
                let start = offsets.byte(span.start.index());
                let end = offsets.byte(span.end.index());
                stack.push(flow_bracket(prefix, start, end));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
            }
            Event::DocumentEnd | Event::StreamEnd => break,
            _ => {}
        }
    }
    stack.into_iter().flatten().next()
}

/// The opening bracket of a collection whose start event spans `start..end`:
/// `[` or `!Tag &anchor {` (properties may be on an earlier line), and
/// whatever blanks and comment follow on the line; empty, or no bracket after
/// the properties, for block collections. Tags and anchors cannot hold `[`
/// or `{`, except verbatim tags (`!<...>`).
fn flow_bracket(src: &str, start: usize, end: usize) -> Option<usize> {
    let b = src.as_bytes().get(start..end)?;
    let mut i = 0;
    loop {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            i += 1;
        }
        match b.get(i)? {
            b'#' => i += b[i..].iter().position(|&c| c == b'\n')?,
            b'[' | b'{' => return Some(start + i),
            b'!' if b.get(i + 1) == Some(&b'<') => {
                i += b[i..].iter().position(|&c| c == b'>')? + 1;
            }
            b'!' | b'&' => {
                while !matches!(b.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
                    i += 1;
                }
            }
            _ => return None,
        }
    }
}

/// The closing bracket of a flow collection whose end event starts at `at`.
/// The event spans the bracket and the blanks after it, except that after a
/// trailing comma in a flow mapping saphyr-parser 0.3.4 gives the comma.
fn closing_bracket(src: &str, at: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut i = at;
    if b.get(i) == Some(&b',') {
        i += 1;
        loop {
            match b.get(i)? {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b'#' => i += b[i..].iter().position(|&c| c == b'\n')?,
                _ => break,
            }
        }
    }
    matches!(b.get(i), Some(b']' | b'}')).then_some(i)
}

/// Where the key starts whose missing `:` saphyr noticed: the token after
/// the last event it handed out (`from`), since saphyr holds back a token that
/// may be a key until it sees the `:`. Between two tokens there is only
/// whitespace and comments. A multi-line plain scalar can be that key, so the
/// line before the error is not necessarily the key's line.
fn key_start(src: &str, from: usize, at: usize) -> usize {
    let b = src.as_bytes();
    let mut i = from;
    while i < at {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => i += b[i..].iter().position(|&c| c == b'\n').unwrap_or(b.len() - i),
            _ => return i,
        }
    }
    at
}

/// The message for a saphyr error, reworded where saphyr's is obscure.
fn describe(info: &str) -> String {
    let reason = match info {
        "simple key expect ':'" => {
            "this mapping key is not followed by `: ` (a missing colon or space, or the next \
             line is indented as if it were)"
        }
        "invalid trailing content after double-quoted scalar" => {
            "text after the closing quote of a quoted string; quote the whole value"
        }
        other => other,
    };
    format!("invalid YAML: {reason}")
}

enum Frame {
    Seq(Vec<Node>),
    /// Entries so far, and a key waiting for its value.
    Map(Vec<Entry>, Option<(String, Span)>),
}

struct Open {
    frame: Frame,
    /// Original offset where the collection starts (its tag or anchor, if any).
    start: usize,
    /// Original offset of the opening bracket of a flow collection.
    bracket: Option<usize>,
    anchor: usize,
    tag: Option<Box<str>>,
}

struct Builder<'t> {
    file: FileId,
    /// The text as parsed (padded), which saphyr's positions point into.
    src: &'t str,
    offsets: CharOffsets<'t>,
    pad: &'t Padding,
    /// Repaired flow collections, checked as saphyr closes them.
    regions: &'t [Region],
    mismatch: bool,
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    root: Option<Node>,
    errors: Vec<ParseError>,
}

impl Builder<'_> {
    /// The span of `start..end` (offsets in the parsed text) in the original text.
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.pad.to_original(start), self.pad.to_original(end))
    }

    fn count_node(&mut self, span: Span) -> bool {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.errors.push(ParseError {
                kind: ParseErrorKind::AliasBomb,
                span,
                message: format!("document has more than {MAX_NODES} nodes; read up to here"),
            });
            return false;
        }
        true
    }

    /// Opens a collection whose start event spans `start..end` in the parsed text.
    fn open(
        &mut self,
        frame: Frame,
        start: usize,
        end: usize,
        anchor: usize,
        tag: Option<&Tag>,
    ) -> bool {
        let bracket = flow_bracket(self.src, start, end).map(|b| self.pad.to_original(b));
        let start = self.pad.to_original(start);
        let span = Span::new(self.file, start, start);
        if self.stack.len() >= MAX_DEPTH {
            self.errors.push(ParseError {
                kind: ParseErrorKind::TooDeep,
                span,
                message: format!(
                    "nesting deeper than {MAX_DEPTH} levels; the document was read up to here"
                ),
            });
            return false;
        }
        if !self.count_node(span) {
            return false;
        }
        self.stack.push(Open { frame, start, bracket, anchor, tag: local_tag(tag) });
        true
    }

    /// Closes the innermost collection; `end_event` is the span of saphyr's
    /// end event in the parsed text (the closing bracket of a flow
    /// collection), `None` when the document broke off.
    fn close(&mut self, end_event: Option<(usize, usize)>) -> bool {
        let Some(open) = self.stack.pop() else { return true };
        let kind = match open.frame {
            Frame::Seq(items) => NodeKind::Seq(items),
            Frame::Map(entries, pending) => {
                let mut entries = entries;
                if let Some((key, key_span)) = pending {
                    entries.push(Entry {
                        key,
                        key_span,
                        value: Node::new(key_span, NodeKind::Null),
                    });
                }
                NodeKind::Map(merge_keys(entries))
            }
        };
        let content_end = match &kind {
            NodeKind::Seq(items) => items.iter().map(|n| n.span.end as usize).max(),
            NodeKind::Map(entries) => {
                entries.iter().map(|e| e.value.span.end.max(e.key_span.end) as usize).max()
            }
            _ => None,
        };
        // A flow collection ends with its closing bracket. A block
        // collection's end event sits at the next token, so it ends with its
        // last entry.
        let bracket_end = match (open.bracket, end_event) {
            (Some(bracket), Some((s, e))) if e > s => {
                let end = closing_bracket(self.src, s).map(|c| self.pad.to_original(c) + 1);
                if let Some(r) = self.regions.iter().find(|r| r.open == bracket) {
                    self.mismatch |= Some(r.end) != end;
                }
                end
            }
            _ => None,
        };
        let end = bracket_end.max(content_end).unwrap_or(open.start);
        let node = Node {
            span: Span::new(self.file, open.start, end.max(open.start)),
            tag: open.tag,
            kind,
        };
        self.attach(node, open.anchor)
    }

    fn push(&mut self, node: Node, anchor: usize) -> bool {
        if !self.count_node(node.span) {
            return false;
        }
        self.attach(node, anchor)
    }

    fn attach(&mut self, node: Node, anchor: usize) -> bool {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut().map(|o| &mut o.frame) {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(items)) => items.push(node),
            Some(Frame::Map(entries, pending)) => match pending.take() {
                None => {
                    let key = node.scalar_text().unwrap_or_else(|| match node.kind {
                        NodeKind::Null => String::new(),
                        _ => "<complex key>".to_string(),
                    });
                    *pending = Some((key, node.span));
                }
                Some((key, key_span)) => entries.push(Entry { key, key_span, value: node }),
            },
        }
        true
    }
}

/// Applies YAML merge keys (`<<: *base`), which serverless.yml files use:
/// entries of the merged mappings are added unless the mapping sets them itself.
fn merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(|e| e.key == "<<") {
        return entries;
    }
    let mut own = Vec::with_capacity(entries.len());
    let mut merged = Vec::new();
    for e in entries {
        if e.key == "<<" {
            match e.value.kind {
                NodeKind::Map(m) => merged.extend(m),
                NodeKind::Seq(items) => {
                    for item in items {
                        if let NodeKind::Map(m) = item.kind {
                            merged.extend(m);
                        }
                    }
                }
                _ => own.push(Entry { key: e.key, key_span: e.key_span, value: e.value }),
            }
        } else {
            own.push(e);
        }
    }
    for m in merged {
        if !own.iter().any(|o| o.key == m.key) {
            own.push(m);
        }
    }
    own
}

fn local_tag(tag: Option<&Tag>) -> Option<Box<str>> {
    let tag = tag?;
    if tag.handle == "!" {
        Some(tag.suffix.clone().into_boxed_str())
    } else if tag.handle == "!!" || tag.handle.starts_with("tag:yaml.org") {
        None
    } else {
        Some(format!("{}{}", tag.handle.trim_start_matches('!'), tag.suffix).into_boxed_str())
    }
}

/// Resolves a scalar with the YAML 1.2 core schema; quoted scalars and
/// `!!str` stay strings.
fn scalar(span: Span, value: &str, style: ScalarStyle, tag: Option<&Tag>) -> Node {
    let core = tag.filter(|t| t.handle == "!!").map(|t| t.suffix.as_str());
    let local = local_tag(tag);
    let kind = if style != ScalarStyle::Plain || core == Some("str") {
        NodeKind::String(value.to_string())
    } else {
        match value {
            "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
            "true" | "True" | "TRUE" => NodeKind::Bool(true),
            "false" | "False" | "FALSE" => NodeKind::Bool(false),
            v if is_number(v) => NodeKind::Number(v.to_string()),
            v => NodeKind::String(v.to_string()),
        }
    };
    // A tagged empty scalar (`!GetAZs ''` or `!Ref`) is an empty string, not null.
    let kind = match (kind, &local) {
        (NodeKind::Null, Some(_)) => NodeKind::String(value.to_string()),
        (k, _) => k,
    };
    Node { span, tag: local, kind }
}

fn is_number(v: &str) -> bool {
    let b = v.as_bytes();
    if b.is_empty() {
        return false;
    }
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    if body.starts_with("0x") || body.starts_with("0o") {
        return body.len() > 2 && body[2..].bytes().all(|c| c.is_ascii_hexdigit());
    }
    matches!(body, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") || {
        let mut digits = 0;
        let mut dot = false;
        let mut exp = false;
        let mut prev = b' ';
        for c in body.bytes() {
            match c {
                b'0'..=b'9' => digits += 1,
                b'.' if !dot && !exp => dot = true,
                b'e' | b'E' if digits > 0 && !exp => exp = true,
                b'+' | b'-' if prev == b'e' || prev == b'E' => {}
                _ => return false,
            }
            prev = c;
        }
        digits > 0 && !matches!(prev, b'e' | b'E' | b'+' | b'-')
    }
}

/// Converts saphyr's character indices to byte offsets. Positions arrive
/// mostly in increasing order, so a forward-moving cursor is enough; ASCII
/// text needs no conversion at all.
struct CharOffsets<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets { text, ascii: text.is_ascii(), chars: 0, bytes: 0 }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        let rest = &self.text[self.bytes..];
        for (i, (off, _)) in rest.char_indices().enumerate() {
            if self.chars + i == char_index {
                self.chars = char_index;
                self.bytes += off;
                return self.bytes;
            }
        }
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        parse_yaml(FileId(0), text)
    }

    #[test]
    fn keeps_tags_and_spans() {
        let text = "Resources:\n  A:\n    Arn: !GetAtt Role.Arn\n    Sub: !Sub\n      - x\n";
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let root = p.root.unwrap();
        let arn = root.at(&["Resources", "A", "Arn"]).unwrap();
        assert_eq!(arn.tag.as_deref(), Some("GetAtt"));
        assert_eq!(arn.as_str(), Some("Role.Arn"));
        assert_eq!(&text[arn.span.start as usize..arn.span.end as usize], "!GetAtt Role.Arn");
        let sub = root.at(&["Resources", "A", "Sub"]).unwrap();
        assert_eq!(sub.tag.as_deref(), Some("Sub"));
        assert_eq!(sub.items().len(), 1);
    }

    #[test]
    fn core_schema_scalars() {
        let p = parse("a: yes\nb: true\nc: 0755\nd: '1'\ne:\nf: 1.5e3\n");
        let r = p.root.unwrap();
        assert_eq!(r.get("a").unwrap().kind, NodeKind::String("yes".into()));
        assert_eq!(r.get("b").unwrap().kind, NodeKind::Bool(true));
        assert_eq!(r.get("c").unwrap().kind, NodeKind::Number("0755".into()));
        assert_eq!(r.get("d").unwrap().kind, NodeKind::String("1".into()));
        assert_eq!(r.get("e").unwrap().kind, NodeKind::Null);
        assert_eq!(r.get("f").unwrap().kind, NodeKind::Number("1.5e3".into()));
    }

    #[test]
    fn empty_tagged_scalar_is_a_string() {
        let r = parse("a: !GetAZs ''\nb: !Ref\n").root.unwrap();
        assert_eq!(r.get("a").unwrap().as_str(), Some(""));
        assert_eq!(r.get("b").unwrap().tag.as_deref(), Some("Ref"));
    }

    #[test]
    fn non_ascii_spans_are_bytes() {
        let text = "é: ü\nk: v\n";
        let r = parse(text).root.unwrap();
        let v = r.get("k").unwrap();
        assert_eq!(&text[v.span.start as usize..v.span.end as usize], "v");
    }

    #[test]
    fn merge_keys_apply() {
        let r = parse("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").root.unwrap();
        let c = r.get("c").unwrap();
        assert_eq!(c.get("x").unwrap().kind, NodeKind::Number("1".into()));
        assert_eq!(c.get("y").unwrap().kind, NodeKind::Number("3".into()));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        let p = parse(&text);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].kind, ParseErrorKind::AliasBomb);
        assert!(p.root.is_some(), "the part read so far is kept");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let flow = "[".repeat(100_000);
        assert_eq!(parse(&flow).errors[0].kind, ParseErrorKind::TooDeep);
        let mut block = String::new();
        for i in 0..400 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        assert_eq!(parse(&block).errors[0].kind, ParseErrorKind::TooDeep);
    }

    #[test]
    fn syntax_error_keeps_what_was_read() {
        let p = parse("Resources:\n  A:\n    Type: x\n  B: [unclosed\n");
        assert_eq!(p.errors[0].kind, ParseErrorKind::Syntax);
        let r = p.root.unwrap();
        assert!(r.at(&["Resources", "A", "Type"]).is_some());
    }

    fn slice<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.start as usize..node.span.end as usize]
    }

    fn strings(node: &Node) -> Vec<&str> {
        node.items().iter().filter_map(Node::as_str).collect()
    }

    fn parse_ok(text: &str) -> Node {
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.root.unwrap()
    }

    // apigw-lambda-rust, lambda-iot-sam: the closing bracket at its key's
    // column, every value quoted. saphyr-parser 0.3.4 accepts this when the
    // collection holds a plain scalar, and rejects it when all are quoted.
    #[test]
    fn flow_closed_at_key_column() {
        let text = "Auth:\n  CustomStatements: [{\n    \"Effect\": \"Allow\",\n    \"Principal\": \"*\"\n  }]\nNext: 1\n";
        let r = parse_ok(text);
        let stmts = r.at(&["Auth", "CustomStatements"]).unwrap();
        assert_eq!(stmts.items().len(), 1);
        let stmt = &stmts.items()[0];
        assert_eq!(stmt.get("Effect").unwrap().as_str(), Some("Allow"));
        assert_eq!(stmt.get("Principal").unwrap().as_str(), Some("*"));
        // Spans point into the original text, past the re-indented lines.
        assert_eq!(slice(text, stmt.get("Principal").unwrap()), "\"*\"");
        assert!(slice(text, stmts).starts_with("[{") && slice(text, stmts).ends_with("}]"));
        assert_eq!(slice(text, r.get("Next").unwrap()), "1");

        let map = parse_ok("Doc: {\n  \"Version\": \"2012-10-17\"\n}\n");
        assert_eq!(map.at(&["Doc", "Version"]).unwrap().as_str(), Some("2012-10-17"));
    }

    // apigw-ses-transformation: a JSON schema written at its key's column.
    #[test]
    fn flow_content_at_key_column() {
        let text = "Props:\n  Schema: {\"type\": \"object\",\n  \"properties\": {\n    \"x\": {\"type\": \"string\"}\n  }}\n  After: 2\n";
        let r = parse_ok(text);
        let schema = r.at(&["Props", "Schema"]).unwrap();
        assert_eq!(schema.get("type").unwrap().as_str(), Some("object"));
        assert_eq!(schema.at(&["properties", "x", "type"]).unwrap().as_str(), Some("string"));
        assert_eq!(r.at(&["Props", "After"]).unwrap().kind, NodeKind::Number("2".into()));
    }

    // appsync-lambda-sfn-sam: the trailing comma before `]` is valid YAML
    // and was never the problem; the bracket at the key's column is.
    #[test]
    fn trailing_comma_in_flow_sequence() {
        for text in [
            "Action: [\"a\", \"b\",]\n",
            "S:\n  Action: [\n    a,\n    b,\n  ]\n",
            "S:\n  Action: [\n    \"a\",\n    \"b\",\n   ]\n",
            "S:\n  Action: [\n    \"a\",\n    \"b\",\n  ]\n",
            "S:\n  M: {\"a\": 1, \"b\": 2,\n  }\n",
            "S:\n  M: {\n    \"a\": \"1\",\n    \"b\": \"2\",\n  }\n",
        ] {
            let r = parse_ok(text);
            let v =
                r.get("Action").or_else(|| r.at(&["S", "Action"])).or_else(|| r.at(&["S", "M"]));
            let v = v.unwrap_or_else(|| panic!("{text}"));
            assert_eq!(v.items().len().max(v.entries().len()), 2, "{text}");
        }
    }

    // systems-manager-automation-to-stepfunctions: tagged quoted items.
    #[test]
    fn flow_with_tagged_items_closed_at_key_column() {
        let text = "Statement:\n  - Effect: Allow\n    Resource: [\n      !GetAtt \"A.Arn\",\n      !GetAtt \"B.Arn\"\n    ]\n";
        let r = parse_ok(text);
        let res = r.get("Statement").unwrap().items()[0].get("Resource").unwrap();
        assert_eq!(strings(res), ["A.Arn", "B.Arn"]);
        assert_eq!(res.items()[1].tag.as_deref(), Some("GetAtt"));
        assert_eq!(slice(text, &res.items()[1]), "!GetAtt \"B.Arn\"");
    }

    #[test]
    fn under_indented_flow_keeps_scalar_values() {
        // Leading blanks of a continuation line are folded away, so the
        // re-indentation cannot change a value.
        let r = parse_ok("a:\n  k: [\"x\n y\", 'p\n\n q', r\n s, [\n\"t\"]\n  ]\n");
        assert_eq!(strings(r.at(&["a", "k"]).unwrap()), ["x y", "p\nq", "r s"]);
        let inner = &r.at(&["a", "k"]).unwrap().items()[3];
        assert_eq!(strings(inner), ["t"]);
    }

    #[test]
    fn several_under_indented_collections() {
        let mut text = String::new();
        for i in 0..10 {
            text.push_str(&format!("k{i}:\n  v: [\n  \"{i}\"\n  ]\n"));
        }
        let r = parse_ok(&text);
        assert_eq!(r.entries().len(), 10);
        assert_eq!(strings(r.at(&["k9", "v"]).unwrap()), ["9"]);
    }

    #[test]
    fn repair_is_bounded() {
        // More under-indented collections than are repaired: an error, no panic.
        let mut text = String::new();
        for i in 0..(padding::MAX_REPAIRS + 5) {
            text.push_str(&format!("k{i}: [\n\"{i}\"\n]\n"));
        }
        let p = parse(&text);
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains("indentation"), "{:?}", p.errors);
        // The repaired collections, and the one that broke off, as far as read.
        assert_eq!(p.root.unwrap().entries().len(), padding::MAX_REPAIRS + 1);
        // Re-indenting would more than double a document: not done.
        let deep = format!("{}k: [\n\"x\",\n\"y\"\n]\n", " ".repeat(70_000));
        assert!(!parse(&deep).errors.is_empty());
    }

    #[test]
    fn broken_flow_collections_stay_errors() {
        for text in [
            // never closed
            "a:\n  k: [\n  \"x\",\nb: 1\n",
            // under-indented block content, no flow collection
            "a:\n  b: 1\n c: 2\n",
            // a real error inside the collection
            "a:\n  k: [\n  \"x\" \"y\"\n  ]\n",
        ] {
            let p = parse(text);
            assert_eq!(p.errors.len(), 1, "{text}");
            assert_eq!(p.errors[0].kind, ParseErrorKind::Syntax, "{text}");
            assert!((p.errors[0].span.start as usize) < text.len(), "{text}");
        }
    }

    #[test]
    fn repair_is_checked_against_saphyr() {
        // A region whose end saphyr disagrees with is reported as a mismatch.
        let text = "k: [\"x\"]\n";
        let regions = [Region { open: 3, end: 7 }];
        assert!(pass(FileId(0), text, &Padding::default(), &regions).mismatch);
        let regions = [Region { open: 3, end: 8 }];
        assert!(!pass(FileId(0), text, &Padding::default(), &regions).mismatch);
    }

    #[test]
    fn flow_spans_cover_closing_brackets() {
        let text = "a: [x, [y]]\nb: !Tag {c: d}\nc: []\nd: &x {}\nf: [ g , [ h ] ] \n\
                    i: { Ref: j }  # c\nk: !<tag:x[1]> [ # c\n  l ]\ne:\n  - 1\n";
        let r = parse_ok(text);
        assert_eq!(slice(text, r.get("a").unwrap()), "[x, [y]]");
        assert_eq!(slice(text, &r.get("a").unwrap().items()[1]), "[y]");
        assert_eq!(slice(text, r.get("b").unwrap()), "!Tag {c: d}");
        assert_eq!(slice(text, r.get("c").unwrap()), "[]");
        assert_eq!(slice(text, r.get("d").unwrap()), "&x {}");
        assert_eq!(slice(text, r.get("f").unwrap()), "[ g , [ h ] ]");
        assert_eq!(slice(text, &r.get("f").unwrap().items()[1]), "[ h ]");
        assert_eq!(slice(text, r.get("i").unwrap()), "{ Ref: j }");
        assert_eq!(slice(text, r.get("k").unwrap()), "!<tag:x[1]> [ # c\n  l ]");
        // Block collections still end with their last entry.
        assert_eq!(slice(text, r.get("e").unwrap()), "- 1");
        assert_eq!(r.span.end as usize, text.len() - 1);
    }

    #[test]
    fn flow_spans_with_properties_and_trailing_commas() {
        // Properties on the line before the bracket.
        let text = "k: !Tag # c\n  [a, b]\nl: &x\n  - c\nm: &y\n  [\n\"d\"\n  ]\n";
        let r = parse_ok(text);
        assert_eq!(slice(text, r.get("k").unwrap()), "!Tag # c\n  [a, b]");
        assert_eq!(slice(text, r.get("l").unwrap()), "&x\n  - c");
        assert_eq!(slice(text, r.get("m").unwrap()), "&y\n  [\n\"d\"\n  ]");
        assert_eq!(strings(r.get("m").unwrap()), ["d"]);
        // saphyr-parser ends a flow mapping at its trailing comma.
        let text = "m: {a: {b: 1}, # c\n }\nn: [a, ]\n";
        let r = parse_ok(text);
        assert_eq!(slice(text, r.get("m").unwrap()), "{a: {b: 1}, # c\n }");
        assert_eq!(slice(text, r.get("n").unwrap()), "[a, ]");
    }

    #[test]
    fn errors_name_the_line_and_reason() {
        // apigw-custom-domain-edge: `Key:value` (no space) is a plain scalar;
        // saphyr notices on the next line, we point at the key.
        let text = "Resources:\n  A:\n    Type: x\n\n  B:curc\n    Type: y\n";
        let p = parse(text);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(&text[p.errors[0].span.start as usize..][..6], "B:curc");
        assert!(p.errors[0].message.contains("not followed by `: `"), "{}", p.errors[0].message);
        // rds-sns-event-notification: text after a quoted value.
        let text = "A: 1\nDescription: 'Events' (tag:x)\n";
        let p = parse(text);
        assert_eq!(&text[p.errors[0].span.start as usize..][..5], "(tag:");
        assert!(p.errors[0].message.contains("after the closing quote"), "{}", p.errors[0].message);
    }

    #[test]
    fn block_scalar_at_end_without_line_break() {
        for (text, want) in [
            ("k: |\n  a", "a"),
            ("k: |+\n  a", "a"),
            ("k: >\n  a\n  b", "a b"),
            ("k: |\n  a\n", "a\n"),
            ("k: |\n  a\n  ", "a\n"),
            ("k: |+\n  a\n\n  ", "a\n\n"),
            ("k: |\n  a\n# c", "a\n"),
        ] {
            assert_eq!(parse_ok(text).get("k").unwrap().as_str(), Some(want), "{text:?}");
        }
    }

    #[test]
    fn hostile_flow_input_does_not_panic() {
        for text in [
            "k: [\n\"",
            "k: [\n'",
            "k: [\n#",
            "k: [\n!<",
            "k: [\n]]",
            "k: {\n\"a\":\n}\n}",
            "- [\n\"\\",
            "é: [\n\"ü\"\n]\n",
        ] {
            let _ = parse(text);
        }
        let r = parse_ok("é: [\n\"ü\",\n\"x\"\n]\n");
        assert_eq!(strings(r.get("é").unwrap()), ["ü", "x"]);
    }
}

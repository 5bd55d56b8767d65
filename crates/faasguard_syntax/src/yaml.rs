//! YAML to [`Node`], built from saphyr-parser's event stream.
//!
//! We build the tree ourselves instead of using saphyr's `MarkedYaml` loader
//! because that loader expands aliases without a budget (an alias bomb
//! exhausts memory), recurses on nesting, and puts a default span on tagged
//! scalars. Building from events lets us bound depth and alias expansion,
//! keep a partial tree when the document breaks half way, and give every
//! node a real span.

use std::collections::HashMap;

use faasguard_source::{FileId, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::{Entry, MAX_DEPTH, MAX_NODES, Node, NodeKind, ParseError, ParseErrorKind, Parsed};

/// Parses the first YAML document of `text`.
pub fn parse_yaml(file: FileId, text: &str) -> Parsed {
    let mut b = Builder {
        file,
        offsets: CharOffsets::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        errors: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    let mut docs = 0;
    loop {
        let Some(next) = parser.next_event() else { break };
        let (event, span) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let m = e.marker();
                let at = b.offsets.byte(m.index());
                // The scanner has its own flow-nesting limit; report it as depth.
                let kind = if e.info().contains("recursion limit") {
                    ParseErrorKind::TooDeep
                } else {
                    ParseErrorKind::Syntax
                };
                b.errors.push(ParseError {
                    kind,
                    span: Span::new(file, at, at),
                    message: format!("invalid YAML: {}", e.info()),
                });
                break;
            }
        };
        let start = b.offsets.byte(span.start.index());
        let end = b.offsets.byte(span.end.index());
        match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    // Templates and configs are single documents; later ones are not read.
                    break;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = scalar(Span::new(file, start, end), &value, style, tag.as_deref());
                if !b.push(node, anchor) {
                    break;
                }
            }
            Event::SequenceStart(anchor, tag) => {
                if !b.open(Frame::Seq(Vec::new()), start, anchor, tag.as_deref()) {
                    break;
                }
            }
            Event::MappingStart(anchor, tag) => {
                if !b.open(Frame::Map(Vec::new(), None), start, anchor, tag.as_deref()) {
                    break;
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if !b.close(end) {
                    break;
                }
            }
            Event::Alias(id) => {
                let Some(node) = b.anchors.get(&id).cloned() else {
                    b.errors.push(ParseError {
                        kind: ParseErrorKind::Syntax,
                        span: Span::new(file, start, end),
                        message: "alias refers to an unknown anchor".into(),
                    });
                    continue;
                };
                let size = node.count();
                if b.nodes + size > MAX_NODES {
                    b.errors.push(ParseError {
                        kind: ParseErrorKind::AliasBomb,
                        span: Span::new(file, start, end),
                        message: format!(
                            "aliases expand to more than {MAX_NODES} nodes (a YAML alias bomb); \
                             the document was read up to here"
                        ),
                    });
                    break;
                }
                b.nodes += size - 1;
                let mut node = node;
                node.span = Span::new(file, start, end).cover(Span::new(file, start, start));
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
        let end = b.stack.last().map_or(0, |f| f.start);
        if !b.close(end) {
            break;
        }
    }
    Parsed { root: b.root, errors: b.errors }
}

enum Frame {
    Seq(Vec<Node>),
    /// Entries so far, and a key waiting for its value.
    Map(Vec<Entry>, Option<(String, Span)>),
}

struct Open {
    frame: Frame,
    start: usize,
    anchor: usize,
    tag: Option<Box<str>>,
}

struct Builder<'t> {
    file: FileId,
    offsets: CharOffsets<'t>,
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    root: Option<Node>,
    errors: Vec<ParseError>,
}

impl Builder<'_> {
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

    fn open(&mut self, frame: Frame, start: usize, anchor: usize, tag: Option<&Tag>) -> bool {
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
        self.stack.push(Open { frame, start, anchor, tag: local_tag(tag) });
        true
    }

    fn close(&mut self, end: usize) -> bool {
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
        let end = match &kind {
            NodeKind::Seq(items) => items.last().map_or(end, |n| n.span.end as usize),
            NodeKind::Map(entries) => entries
                .iter()
                .map(|e| e.value.span.end.max(e.key_span.end) as usize)
                .max()
                .unwrap_or(end),
            _ => end,
        };
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
}

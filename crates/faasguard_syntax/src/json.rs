//! JSON to [`Node`] with jsonc-parser, which gives byte ranges for every value.

use faasguard_source::{FileId, Span};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use crate::{Entry, MAX_DEPTH, Node, NodeKind, ParseError, ParseErrorKind, Parsed};

/// Parses a JSON document (comments and trailing commas tolerated, as
/// CloudFormation tooling tolerates them).
pub fn parse_json(file: FileId, text: &str) -> Parsed {
    // jsonc-parser recurses per nesting level, so refuse deep documents
    // before handing them over rather than risk the stack.
    if let Some(at) = too_deep(text) {
        return Parsed {
            root: None,
            errors: vec![ParseError {
                kind: ParseErrorKind::TooDeep,
                span: Span::new(file, at, at),
                message: format!("nesting deeper than {MAX_DEPTH} levels; the file was not read"),
            }],
        };
    }
    match parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()) {
        Ok(result) => Parsed { root: result.value.map(|v| convert(file, v)), errors: Vec::new() },
        Err(e) => {
            let range = e.range();
            Parsed {
                root: None,
                errors: vec![ParseError {
                    kind: ParseErrorKind::Syntax,
                    span: Span::new(file, range.start, range.end),
                    message: format!("invalid JSON: {}", e.kind()),
                }],
            }
        }
    }
}

/// Offset where bracket nesting first exceeds [`MAX_DEPTH`], ignoring brackets in strings.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_str {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn convert(file: FileId, value: Value<'_>) -> Node {
    let span_of = |r: jsonc_parser::common::Range| Span::new(file, r.start, r.end);
    match value {
        Value::StringLit(s) => Node::new(span_of(s.range), NodeKind::String(s.value.into_owned())),
        Value::NumberLit(n) => Node::new(span_of(n.range), NodeKind::Number(n.value.to_string())),
        Value::BooleanLit(b) => Node::new(span_of(b.range), NodeKind::Bool(b.value)),
        Value::NullKeyword(n) => Node::new(span_of(n.range), NodeKind::Null),
        Value::Array(a) => Node::new(
            span_of(a.range),
            NodeKind::Seq(a.elements.into_iter().map(|v| convert(file, v)).collect()),
        ),
        Value::Object(o) => {
            let span = span_of(o.range);
            let entries = o
                .properties
                .into_iter()
                .map(|p| {
                    let (key, key_span) = match p.name {
                        ObjectPropName::String(s) => (s.value.into_owned(), span_of(s.range)),
                        ObjectPropName::Word(w) => (w.value.to_string(), span_of(w.range)),
                    };
                    Entry { key, key_span, value: convert(file, p.value) }
                })
                .collect();
            Node::new(span, NodeKind::Map(entries))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_byte_ranges() {
        let text = r#"{"Resources": {"A": {"Type": "AWS::S3::Bucket"}}}"#;
        let p = parse_json(FileId(0), text);
        let t = p.root.unwrap();
        let ty = t.at(&["Resources", "A", "Type"]).unwrap();
        assert_eq!(&text[ty.span.start as usize..ty.span.end as usize], "\"AWS::S3::Bucket\"");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        let p = parse_json(FileId(0), &text);
        assert_eq!(p.errors[0].kind, ParseErrorKind::TooDeep);
    }

    #[test]
    fn syntax_error_has_a_position() {
        let p = parse_json(FileId(0), "{\n  \"a\": }\n");
        assert_eq!(p.errors[0].kind, ParseErrorKind::Syntax);
        assert!(p.errors[0].span.start > 0);
    }
}

//! Evaluated values: what an HCL expression is once variables, locals and
//! functions are applied, with the span where each part is written.
//!
//! A value that cannot be known statically (a resource attribute, a variable
//! without a default) is [`Kind::Unknown`] holding a readable rendering such
//! as `${aws_s3_bucket.b.arn}`; the rendering keeps the referenced address so
//! the model builder can still link a function to its role.

use faasguard_model::{Origin, Val};
use faasguard_source::Span;
use faasguard_syntax::{Node, NodeKind};

/// An evaluated value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Value {
    pub(crate) kind: Kind,
    pub(crate) span: Span,
}

/// One key of an object, with where the key is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub(crate) key: String,
    pub(crate) key_span: Span,
    pub(crate) value: Value,
}

/// Kinds of values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(Vec<Field>),
    /// A string produced by `jsonencode`: its structure is kept so policy
    /// documents keep the spans of their statements.
    Json(Box<Value>),
    /// Not knowable statically; a rendering such as `${var.x}`.
    Unknown(String),
}

impl Value {
    pub(crate) fn new(kind: Kind, span: Span) -> Self {
        Value { kind, span }
    }

    pub(crate) fn unknown(rendering: impl Into<String>, span: Span) -> Self {
        Value { kind: Kind::Unknown(rendering.into()), span }
    }

    pub(crate) fn string(s: impl Into<String>, span: Span) -> Self {
        Value { kind: Kind::String(s.into()), span }
    }

    pub(crate) fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown(_))
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// Whether the value and everything inside it is known.
    pub(crate) fn is_wholly_known(&self) -> bool {
        match &self.kind {
            Kind::Unknown(_) => false,
            Kind::List(items) => items.iter().all(Value::is_wholly_known),
            Kind::Object(fields) => fields.iter().all(|f| f.value.is_wholly_known()),
            Kind::Json(inner) => inner.is_wholly_known(),
            _ => true,
        }
    }

    /// The value as text when it is a known scalar (numbers and booleans
    /// converted as Terraform converts them).
    pub(crate) fn as_text(&self) -> Option<String> {
        match &self.kind {
            Kind::String(s) => Some(s.clone()),
            Kind::Number(n) => Some(number_text(*n)),
            Kind::Bool(b) => Some(b.to_string()),
            Kind::Json(inner) if inner.is_wholly_known() => Some(inner.to_json()),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) if s == "true" => Some(true),
            Kind::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub(crate) fn as_i64(&self) -> Option<i64> {
        match &self.kind {
            Kind::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            Kind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Items of a list (a set or tuple); empty for other kinds.
    pub(crate) fn items(&self) -> &[Value] {
        match &self.kind {
            Kind::List(items) => items,
            _ => &[],
        }
    }

    /// Fields of an object; empty for other kinds.
    pub(crate) fn fields(&self) -> &[Field] {
        match &self.kind {
            Kind::Object(fields) => fields,
            Kind::Json(inner) => inner.fields(),
            _ => &[],
        }
    }

    /// The value of `key` in an object (the last one if repeated).
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.fields().iter().rev().find(|f| f.key == key).map(|f| &f.value)
    }

    /// A string-or-list value as a list of values (a single value becomes
    /// one item, null none).
    pub(crate) fn as_list(&self) -> Vec<&Value> {
        match &self.kind {
            Kind::List(items) => items.iter().collect(),
            Kind::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// The text a rule would compare: known text, or the unresolved rendering.
    pub(crate) fn rendering(&self) -> String {
        match &self.kind {
            Kind::Unknown(r) => r.clone(),
            Kind::Null => "null".into(),
            Kind::List(_) | Kind::Object(_) => self.to_json(),
            Kind::Json(inner) => inner.to_json(),
            _ => self.as_text().unwrap_or_default(),
        }
    }

    /// The value as a model string, `None` for null. Lists and objects are
    /// rendered as JSON and kept as unresolved: a scalar was expected.
    pub(crate) fn to_val(&self) -> Option<Val<String>> {
        match &self.kind {
            Kind::Null => None,
            Kind::Unknown(r) => Some(Val::unresolved(r.clone(), self.span)),
            Kind::Json(inner) if !inner.is_wholly_known() => {
                Some(Val::unresolved(inner.to_json(), self.span))
            }
            Kind::List(_) | Kind::Object(_) => {
                let origin =
                    if self.is_wholly_known() { Origin::Explicit } else { Origin::Unresolved };
                Some(Val { value: self.to_json(), span: self.span, origin })
            }
            _ => Some(Val::explicit(self.as_text().unwrap_or_default(), self.span)),
        }
    }

    pub(crate) fn to_val_bool(&self) -> Option<Val<bool>> {
        match &self.kind {
            Kind::Null => None,
            Kind::Unknown(_) => Some(Val::unresolved(false, self.span)),
            _ => match self.as_bool() {
                Some(b) => Some(Val::explicit(b, self.span)),
                None => Some(Val::unresolved(false, self.span)),
            },
        }
    }

    pub(crate) fn to_val_i64(&self) -> Option<Val<i64>> {
        match &self.kind {
            Kind::Null => None,
            _ => match self.as_i64() {
                Some(n) => Some(Val::explicit(n, self.span)),
                None => Some(Val::unresolved(0, self.span)),
            },
        }
    }

    /// JSON text as `jsonencode` writes it (unknown parts as their rendering).
    pub(crate) fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match &self.kind {
            Kind::Null => out.push_str("null"),
            Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Kind::Number(n) => out.push_str(&number_text(*n)),
            Kind::String(s) | Kind::Unknown(s) => json_string(s, out),
            Kind::Json(inner) => json_string(&inner.to_json(), out),
            Kind::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Kind::Object(fields) => {
                out.push('{');
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(&f.key, out);
                    out.push(':');
                    f.value.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// Number of values in this tree, for expansion limits.
    pub(crate) fn weight(&self) -> usize {
        match &self.kind {
            Kind::List(items) => 1 + items.iter().map(Value::weight).sum::<usize>(),
            Kind::Object(fields) => 1 + fields.iter().map(|f| f.value.weight()).sum::<usize>(),
            Kind::Json(inner) => inner.weight(),
            Kind::String(s) | Kind::Unknown(s) => 1 + s.len() / 64,
            _ => 1,
        }
    }
}

/// Numbers as Terraform prints them: integers without a fraction.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether a string holds one of our unresolved renderings (`${var.x}`),
/// as opposed to an IAM policy variable (`${aws:username}`, `${*}`), which
/// IAM itself resolves and which is a known value here.
pub(crate) fn has_rendering(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else { return false };
        let inner = &after[..end];
        if !inner.contains(':') && !matches!(inner, "*" | "?" | "$") {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// Converts a JSON tree (a `file()`d or heredoc policy) into a value.
/// `shift` moves spans from the parsed text to where the text is written;
/// `None` means the text is not verbatim in a file (a rendered template),
/// so every span becomes `whole`.
pub(crate) fn from_json(node: &Node, shift: Option<i64>, whole: Span) -> Value {
    let span_of = |s: Span| match shift {
        Some(d) => Span::new(
            whole.file,
            (i64::from(s.start) + d).max(0) as usize,
            (i64::from(s.end) + d).max(0) as usize,
        ),
        None => whole,
    };
    let span = span_of(node.span);
    let kind = match &node.kind {
        NodeKind::Null => Kind::Null,
        NodeKind::Bool(b) => Kind::Bool(*b),
        NodeKind::Number(n) => Kind::Number(n.parse().unwrap_or(0.0)),
        NodeKind::String(s) if has_rendering(s) => Kind::Unknown(s.clone()),
        NodeKind::String(s) => Kind::String(s.clone()),
        NodeKind::Seq(items) => {
            Kind::List(items.iter().map(|n| from_json(n, shift, whole)).collect())
        }
        NodeKind::Map(entries) => Kind::Object(
            entries
                .iter()
                .map(|e| Field {
                    key: e.key.clone(),
                    key_span: span_of(e.key_span),
                    value: from_json(&e.value, shift, whole),
                })
                .collect(),
        ),
    };
    Value { kind, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderings_are_told_from_iam_variables() {
        assert!(has_rendering("${aws_s3_bucket.b.arn}/*"));
        assert!(!has_rendering("arn:aws:s3:::b/${aws:username}/*"));
        assert!(!has_rendering("${*}"));
        assert!(!has_rendering("plain"));
    }

    #[test]
    fn json_encoding_matches_terraform() {
        let s = Span::default();
        let v = Value::new(
            Kind::Object(vec![Field {
                key: "a".into(),
                key_span: s,
                value: Value::new(
                    Kind::List(vec![Value::new(Kind::Number(1.0), s), Value::string("x\"", s)]),
                    s,
                ),
            }]),
            s,
        );
        assert_eq!(v.to_json(), r#"{"a":[1,"x\""]}"#);
    }
}

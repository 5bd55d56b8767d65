//! Resolved template values: a [`Node`](faasguard_syntax::Node) after its
//! intrinsic functions ran.
//!
//! Model builders read [`V`] rather than raw nodes so `!Ref`, `Fn::If` and
//! friends are handled in one place, and every value still knows the span of
//! the text that produced it (for a `!Ref Param`, the `!Ref`, not the
//! parameter's default).

use faasguard_model::{Origin, Val, ValueSource};
use faasguard_source::Span;

/// A resolved value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct V {
    pub(crate) kind: VKind,
    pub(crate) span: Span,
    /// Some part cannot be known statically; a string value then holds a
    /// readable rendering.
    pub(crate) unresolved: bool,
    /// Produced through a reference (parameter, resource, import).
    pub(crate) reference: bool,
    /// Drawn from a secret store (`{{resolve:secretsmanager:...}}`).
    pub(crate) secret: bool,
    /// The template resource this value names, when it came from a `Ref`,
    /// `Fn::GetAtt` or a `Fn::Sub` placeholder: how a role or function is followed.
    pub(crate) link: Option<Box<str>>,
    /// A bare unresolved reference: embedding it in a larger string renders
    /// it as `${...}` so the result stays readable.
    pub(crate) placeholder: bool,
}

/// The kinds of resolved values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum VKind {
    Null,
    /// `Ref: AWS::NoValue`: the property is removed.
    NoValue,
    Bool(bool),
    Num(String),
    Str(String),
    Seq(Vec<V>),
    Map(Vec<VEntry>),
}

/// One key and value of a resolved mapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VEntry {
    pub(crate) key: String,
    pub(crate) key_span: Span,
    pub(crate) value: V,
}

impl V {
    pub(crate) fn new(kind: VKind, span: Span) -> V {
        V {
            kind,
            span,
            unresolved: false,
            reference: false,
            secret: false,
            link: None,
            placeholder: false,
        }
    }

    pub(crate) fn str(s: impl Into<String>, span: Span) -> V {
        V::new(VKind::Str(s.into()), span)
    }

    /// An unresolved value rendered as `text`.
    pub(crate) fn unknown(text: impl Into<String>, span: Span) -> V {
        V { unresolved: true, ..V::new(VKind::Str(text.into()), span) }
    }

    pub(crate) fn is_no_value(&self) -> bool {
        matches!(self.kind, VKind::NoValue)
    }

    /// The value of `key` in a mapping (the last one, as YAML readers do).
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.entry(key).map(|e| &e.value)
    }

    pub(crate) fn entry(&self, key: &str) -> Option<&VEntry> {
        match &self.kind {
            VKind::Map(entries) => {
                entries.iter().rev().find(|e| e.key == key && !e.value.is_no_value())
            }
            _ => None,
        }
    }

    pub(crate) fn entries(&self) -> &[VEntry] {
        match &self.kind {
            VKind::Map(e) => e,
            _ => &[],
        }
    }

    pub(crate) fn items(&self) -> &[V] {
        match &self.kind {
            VKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// A single value or a list of them, as IAM and many properties accept.
    pub(crate) fn one_or_many(&self) -> Vec<&V> {
        match &self.kind {
            VKind::Seq(items) => items.iter().filter(|v| !v.is_no_value()).collect(),
            VKind::NoValue | VKind::Null => Vec::new(),
            _ => vec![self],
        }
    }

    pub(crate) fn is_map(&self) -> bool {
        matches!(self.kind, VKind::Map(_))
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            VKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A known string (not an unresolved rendering).
    pub(crate) fn known_str(&self) -> Option<&str> {
        if self.unresolved { None } else { self.as_str() }
    }

    /// Scalars as text: strings, numbers, booleans.
    pub(crate) fn text(&self) -> Option<String> {
        match &self.kind {
            VKind::Str(s) | VKind::Num(s) => Some(s.clone()),
            VKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The text to embed in a larger string (`Fn::Join`, `Fn::Sub`).
    pub(crate) fn fragment(&self) -> String {
        match self.text() {
            Some(t) if self.placeholder => format!("${{{t}}}"),
            Some(t) => t,
            None => "${...}".to_owned(),
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        if self.unresolved {
            return None;
        }
        match &self.kind {
            VKind::Bool(b) => Some(*b),
            VKind::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            VKind::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub(crate) fn as_i64(&self) -> Option<i64> {
        if self.unresolved {
            return None;
        }
        match &self.kind {
            VKind::Num(s) | VKind::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn origin(&self) -> Origin {
        if self.unresolved { Origin::Unresolved } else { Origin::Explicit }
    }

    /// How an environment variable's value is provided.
    pub(crate) fn source(&self) -> ValueSource {
        if self.secret {
            ValueSource::SecretStore
        } else if self.reference {
            ValueSource::Reference
        } else {
            ValueSource::Literal
        }
    }

    /// The value as model text: scalars as written, unresolved values as
    /// their rendering, and anything else (a mapping where a string belongs)
    /// as an unresolved `${...}`.
    pub(crate) fn to_val(&self) -> Option<Val<String>> {
        match &self.kind {
            VKind::NoValue | VKind::Null => None,
            VKind::Seq(_) | VKind::Map(_) => Some(Val::unresolved("${...}".to_owned(), self.span)),
            _ => {
                let text = self.text()?;
                Some(Val { value: text, span: self.span, origin: self.origin() })
            }
        }
    }

    pub(crate) fn to_val_i64(&self) -> Option<Val<i64>> {
        match self.as_i64() {
            Some(n) => Some(Val::explicit(n, self.span)),
            None if matches!(self.kind, VKind::NoValue | VKind::Null) => None,
            None => Some(Val::unresolved(0, self.span)),
        }
    }

    pub(crate) fn to_val_bool(&self) -> Option<Val<bool>> {
        match self.as_bool() {
            Some(b) => Some(Val::explicit(b, self.span)),
            None if matches!(self.kind, VKind::NoValue | VKind::Null) => None,
            None => Some(Val::unresolved(false, self.span)),
        }
    }

    /// Each item of a string-or-list as model text.
    pub(crate) fn to_vals(&self) -> Vec<Val<String>> {
        self.one_or_many().into_iter().filter_map(V::to_val).collect()
    }

    /// Every resource this value links to, itself and nested.
    pub(crate) fn links(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            if let Some(l) = &v.link {
                out.push(&**l);
            }
            match &v.kind {
                VKind::Seq(items) => stack.extend(items.iter()),
                VKind::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
                _ => {}
            }
        }
        out
    }
}

/// Merges SAM `Globals` into a resource's properties the way SAM does:
/// mappings merge key by key, lists are concatenated (globals first), and
/// any other value of the resource replaces the global one.
pub(crate) fn merge_globals(global: &V, local: &V) -> V {
    match (&global.kind, &local.kind) {
        (VKind::Map(g), VKind::Map(l)) => {
            let mut out: Vec<VEntry> = Vec::with_capacity(g.len() + l.len());
            for ge in g {
                match l.iter().rev().find(|le| le.key == ge.key) {
                    Some(le) => out.push(VEntry {
                        key: le.key.clone(),
                        key_span: le.key_span,
                        value: merge_globals(&ge.value, &le.value),
                    }),
                    None => out.push(ge.clone()),
                }
            }
            for le in l {
                if !g.iter().any(|ge| ge.key == le.key) {
                    out.push(le.clone());
                }
            }
            V { kind: VKind::Map(out), ..local.clone_shallow() }
        }
        (VKind::Seq(g), VKind::Seq(l)) => {
            let mut items = g.clone();
            items.extend(l.iter().cloned());
            V { kind: VKind::Seq(items), ..local.clone_shallow() }
        }
        _ => local.clone(),
    }
}

impl V {
    /// A copy of the metadata with no children.
    fn clone_shallow(&self) -> V {
        V {
            kind: VKind::Null,
            span: self.span,
            unresolved: self.unresolved,
            reference: self.reference,
            secret: self.secret,
            link: self.link.clone(),
            placeholder: self.placeholder,
        }
    }
}

impl V {
    /// A tree with no intrinsics (parsed JSON, vendored data), every part
    /// located at `span`.
    pub(crate) fn from_node(node: &faasguard_syntax::Node, span: Span) -> V {
        use faasguard_syntax::NodeKind;
        let kind = match &node.kind {
            NodeKind::Null => VKind::Null,
            NodeKind::Bool(b) => VKind::Bool(*b),
            NodeKind::Number(n) => VKind::Num(n.clone()),
            NodeKind::String(s) => VKind::Str(s.clone()),
            NodeKind::Seq(items) => {
                VKind::Seq(items.iter().map(|i| V::from_node(i, span)).collect())
            }
            NodeKind::Map(entries) => VKind::Map(
                entries
                    .iter()
                    .map(|e| VEntry {
                        key: e.key.clone(),
                        key_span: span,
                        value: V::from_node(&e.value, span),
                    })
                    .collect(),
            ),
        };
        V::new(kind, span)
    }

    /// A JSON value (vendored data), every part located at `span`.
    pub(crate) fn from_json(value: &serde_json::Value, span: Span) -> V {
        use serde_json::Value;
        let kind = match value {
            Value::Null => VKind::Null,
            Value::Bool(b) => VKind::Bool(*b),
            Value::Number(n) => VKind::Num(n.to_string()),
            Value::String(s) => VKind::Str(s.clone()),
            Value::Array(items) => {
                VKind::Seq(items.iter().map(|i| V::from_json(i, span)).collect())
            }
            Value::Object(map) => VKind::Map(
                map.iter()
                    .map(|(k, v)| VEntry {
                        key: k.clone(),
                        key_span: span,
                        value: V::from_json(v, span),
                    })
                    .collect(),
            ),
        };
        V::new(kind, span)
    }
}

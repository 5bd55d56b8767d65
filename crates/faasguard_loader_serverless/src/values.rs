//! Reading resolved nodes as model values.
//!
//! Serverless configs mix Framework variables (already resolved, or left as
//! `${...}` text when unknowable) with CloudFormation intrinsics (`!Ref`,
//! `Fn::GetAtt`, ...), which only CloudFormation can evaluate. Both become
//! [`Origin::Unresolved`](faasguard_model::Origin) values with a readable
//! rendering; literals are explicit.

use faasguard_model::{Val, ValueSource};
use faasguard_syntax::{Node, NodeKind};

use crate::variables::{contains_variable, source_of};

/// Intrinsic function names in long form (`Fn::GetAtt`) and their short tags.
const INTRINSICS: &[&str] = &[
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::ImportValue",
    "Fn::Select",
    "Fn::Split",
    "Fn::If",
    "Fn::FindInMap",
    "Fn::Base64",
    "Fn::GetAZs",
    "Fn::Cidr",
    "Fn::Transform",
    "Fn::ToJsonString",
    "Fn::Length",
    "Condition",
];

/// The intrinsic a node is, as (`GetAtt`, argument node), from a tag or a
/// one-key mapping.
pub(crate) fn intrinsic(node: &Node) -> Option<(&str, Option<&Node>)> {
    if let Some(tag) = node.tag.as_deref()
        && INTRINSICS.iter().any(|i| i.trim_start_matches("Fn::") == tag)
    {
        return Some((tag, Some(node)));
    }
    match node.entries() {
        [e] if INTRINSICS.contains(&e.key.as_str()) => {
            Some((e.key.trim_start_matches("Fn::"), Some(&e.value)))
        }
        _ => None,
    }
}

/// The logical id a `Ref`, `GetAtt` or plain logical name points at.
pub(crate) fn referenced_logical_id(node: &Node) -> Option<String> {
    match intrinsic(node) {
        Some(("Ref", Some(arg))) => arg.as_str().map(str::to_string),
        Some(("GetAtt", Some(arg))) => match &arg.kind {
            NodeKind::String(s) => s.split('.').next().map(str::to_string),
            NodeKind::Seq(items) => items.first().and_then(Node::as_str).map(str::to_string),
            _ => None,
        },
        Some(_) => None,
        None => None,
    }
}

/// Renders an intrinsic as readable text: `${GetAtt:Role.Arn}`, `${Ref:Table}`.
/// A `Fn::Sub` renders as its template (`arn:${AWS::Partition}:s3:::${Bucket}/*`),
/// as the CloudFormation loader does: the IAM engine reads the literal
/// parts of an ARN and treats each `${...}` as one unknown value.
pub(crate) fn render(node: &Node) -> String {
    if let Some(("Sub", Some(arg))) = intrinsic(node) {
        let template = match &arg.kind {
            NodeKind::String(s) => Some(s.clone()),
            NodeKind::Seq(items) => items.first().and_then(Node::as_str).map(str::to_string),
            _ => None,
        };
        if let Some(t) = template {
            return t;
        }
    }
    match intrinsic(node) {
        Some((name, Some(arg))) => {
            let arg_text = match &arg.kind {
                NodeKind::String(s) => s.clone(),
                NodeKind::Number(s) => s.clone(),
                NodeKind::Seq(items) => items
                    .iter()
                    .map(render)
                    .collect::<Vec<_>>()
                    .join(if name == "GetAtt" { "." } else { "," }),
                _ => "...".into(),
            };
            format!("${{{name}:{arg_text}}}")
        }
        _ => match &node.kind {
            NodeKind::String(s) | NodeKind::Number(s) => s.clone(),
            NodeKind::Bool(b) => b.to_string(),
            NodeKind::Null => String::new(),
            NodeKind::Seq(_) => "[...]".into(),
            NodeKind::Map(_) => "{...}".into(),
        },
    }
}

/// A scalar or intrinsic as a string value; `None` for null, lists and
/// plain mappings.
pub(crate) fn text(node: &Node) -> Option<Val<String>> {
    if let Some((name, arg)) = intrinsic(node) {
        // `Fn::Join` of literals and `Fn::Sub` without placeholders are known.
        if let Some(t) = literal_intrinsic(name, arg) {
            return Some(Val::explicit(t, node.span));
        }
        return Some(Val::unresolved(render(node), node.span));
    }
    match &node.kind {
        NodeKind::String(s) if contains_variable(s) => Some(Val::unresolved(s.clone(), node.span)),
        NodeKind::String(s) | NodeKind::Number(s) => Some(Val::explicit(s.clone(), node.span)),
        NodeKind::Bool(b) => Some(Val::explicit(b.to_string(), node.span)),
        _ => None,
    }
}

fn literal_intrinsic(name: &str, arg: Option<&Node>) -> Option<String> {
    let arg = arg?;
    match name {
        "Sub" => {
            let s = match &arg.kind {
                NodeKind::String(s) => s,
                NodeKind::Seq(items) if items.len() == 1 => items[0].as_str()?,
                _ => return None,
            };
            (!s.contains("${") && !contains_variable(s)).then(|| s.to_string())
        }
        "Join" => {
            let [sep, list] = arg.items() else { return None };
            let sep = sep.as_str()?;
            let parts: Option<Vec<String>> = list
                .items()
                .iter()
                .map(|i| if intrinsic(i).is_some() { None } else { i.scalar_text() })
                .collect();
            Some(parts?.join(sep))
        }
        _ => None,
    }
}

/// A string-or-list field as a list of values.
pub(crate) fn text_list(node: &Node) -> Vec<Val<String>> {
    match &node.kind {
        NodeKind::Seq(items) if intrinsic(node).is_none() => {
            items.iter().filter_map(text).collect()
        }
        _ => text(node).into_iter().collect(),
    }
}

/// An integer value; an unresolved one keeps 0 as its rendering.
pub(crate) fn int(node: &Node) -> Option<Val<i64>> {
    if let Some(i) = node.as_i64() {
        return Some(Val::explicit(i, node.span));
    }
    let t = text(node)?;
    (!t.is_known()).then(|| Val::unresolved(0, node.span))
}

/// A boolean value.
pub(crate) fn boolean(node: &Node) -> Option<Val<bool>> {
    if let Some(b) = node.as_bool() {
        return Some(Val::explicit(b, node.span));
    }
    let t = text(node)?;
    (!t.is_known()).then(|| Val::unresolved(false, node.span))
}

/// How an environment value is provided: a secret store, a reference, or a literal.
pub(crate) fn value_source(node: &Node, value: &Val<String>) -> ValueSource {
    let v = value.value.as_str();
    if v.contains("{{resolve:secretsmanager:") || v.contains("{{resolve:ssm-secure:") {
        return ValueSource::SecretStore;
    }
    if let NodeKind::String(s) = &node.kind
        && contains_variable(s)
    {
        let secret = variable_sources(s).iter().any(|src| matches!(*src, "ssm" | "secretsmanager"));
        return if secret { ValueSource::SecretStore } else { ValueSource::Reference };
    }
    if intrinsic(node).is_some() && !value.is_known() {
        return ValueSource::Reference;
    }
    ValueSource::Literal
}

/// Sources of the variables left in a string (`["ssm"]` for `${ssm:/x}`).
fn variable_sources(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find("${") {
        let start = from + i + 2;
        if let Some(src) = source_of(&s[start..]) {
            out.push(src);
        }
        from = start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use faasguard_model::Origin;
    use faasguard_source::FileId;
    use faasguard_syntax::parse_yaml;

    fn node(text: &str) -> Node {
        parse_yaml(FileId(0), text).root.unwrap()
    }

    #[test]
    fn intrinsics_are_unresolved_and_rendered() {
        let n = node("a: !GetAtt Role.Arn\nb: {Ref: Table}\nc: !Join ['', [a, b]]\n");
        let a = text(n.get("a").unwrap()).unwrap();
        assert_eq!((a.value.as_str(), a.origin), ("${GetAtt:Role.Arn}", Origin::Unresolved));
        assert_eq!(referenced_logical_id(n.get("a").unwrap()).as_deref(), Some("Role"));
        assert_eq!(referenced_logical_id(n.get("b").unwrap()).as_deref(), Some("Table"));
        let c = text(n.get("c").unwrap()).unwrap();
        assert_eq!((c.value.as_str(), c.origin), ("ab", Origin::Explicit));
    }

    #[test]
    fn a_sub_renders_as_its_template_like_in_cloudformation() {
        let n = node(
            "a: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'\nb: {'Fn::Sub': ['x-${A}', {A: 1}]}\n",
        );
        let a = text(n.get("a").unwrap()).unwrap();
        assert_eq!(
            (a.value.as_str(), a.origin),
            ("arn:${AWS::Partition}:s3:::${Bucket}/*", Origin::Unresolved)
        );
        assert_eq!(text(n.get("b").unwrap()).unwrap().value, "x-${A}");
    }

    #[test]
    fn ssm_values_come_from_a_secret_store() {
        let n = node("a: '${ssm:/aws/reference/secretsmanager/db}'\nb: '${env:X}'\nc: plain\n");
        for (k, want) in [
            ("a", ValueSource::SecretStore),
            ("b", ValueSource::Reference),
            ("c", ValueSource::Literal),
        ] {
            let v = n.get(k).unwrap();
            assert_eq!(value_source(v, &text(v).unwrap()), want, "{k}");
        }
    }
}

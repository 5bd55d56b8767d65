//! `Fn::Sub`: `${Name}` placeholders in a string, in both forms
//! (`!Sub "text"` and `!Sub ["text", {var: value}]`).

use std::collections::HashMap;

use faasguard_source::Span;
use faasguard_syntax::NodeKind;

use super::intrinsics::{ArgRef, Evaluator, MAX_STRING, absorb, mark_dynamic_reference};
use super::value::{V, VKind};

/// One piece of a `Fn::Sub` string.
#[derive(Debug, PartialEq)]
pub(crate) enum Piece<'s> {
    Text(&'s str),
    /// `${Name}` or `${Resource.Attribute}`.
    Var(&'s str),
}

/// Splits a `Fn::Sub` string into text and placeholders. `${!Literal}`
/// stands for the text `${Literal}`. An unclosed `${` is an error; the text
/// after it is kept as written.
pub(crate) fn pieces(s: &str) -> (Vec<Piece<'_>>, Option<String>) {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        let (before, after) = rest.split_at(i);
        if !before.is_empty() {
            out.push(Piece::Text(before));
        }
        let Some(inner_and_more) = after.get(2..) else { break };
        if let Some(lit) = inner_and_more.strip_prefix('!') {
            // `${!x}` renders as `${x}`.
            out.push(Piece::Text("${"));
            rest = lit;
            continue;
        }
        let Some(close) = inner_and_more.find('}') else {
            out.push(Piece::Text(after));
            return (out, Some(format!("`${{` at `{}` has no closing `}}`", truncate(after))));
        };
        let name = inner_and_more.get(..close).unwrap_or("").trim();
        if name.is_empty() {
            out.push(Piece::Text("${}"));
        } else {
            out.push(Piece::Var(name));
        }
        rest = inner_and_more.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    (out, None)
}

fn truncate(s: &str) -> &str {
    let end = s.char_indices().nth(40).map_or(s.len(), |(i, _)| i);
    s.get(..end).unwrap_or(s)
}

impl Evaluator<'_, '_> {
    pub(crate) fn eval_sub(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let (template, vars_node) = match &arg.node.kind {
            NodeKind::String(s) => (s.as_str(), None),
            NodeKind::Seq(items) => match items.as_slice() {
                [t, vars] if t.as_str().is_some() => (t.as_str().unwrap_or(""), Some(vars)),
                [t] if t.as_str().is_some() => (t.as_str().unwrap_or(""), None),
                _ => {
                    self.error(span, "`Fn::Sub` takes a string or `[string, {Name: value}]`");
                    return V::unknown("${Sub}", span);
                }
            },
            _ => {
                self.error(span, "`Fn::Sub` takes a string or `[string, {Name: value}]`");
                return V::unknown("${Sub}", span);
            }
        };
        let mut vars: HashMap<&str, V> = HashMap::new();
        if let Some(vars_node) = vars_node {
            if !vars_node.is_map() {
                self.error(vars_node.span, "the second item of `Fn::Sub` must map names to values");
            }
            for e in vars_node.entries() {
                let v = self.eval_arg(ArgRef { node: &e.value, strip_tag: false }, depth);
                vars.insert(e.key.as_str(), v);
            }
        }
        let (pieces, problem) = pieces(template);
        if let Some(problem) = problem {
            self.error(span, format!("`Fn::Sub`: {problem}; close the placeholder or write `${{!` for a literal `${{`"));
        }
        let mut out = V::str(String::new(), span);
        let mut text = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => text.push_str(t),
                Piece::Var(name) => {
                    let v = match vars.get(name) {
                        Some(v) => v.clone(),
                        None => match name.split_once('.') {
                            Some((res, attr))
                                if !name.starts_with("AWS::")
                                    && !self.tpl.parameters.contains_key(name) =>
                            {
                                self.getatt(res, attr, span)
                            }
                            _ => self.resolve_name(name, span),
                        },
                    };
                    absorb(&mut out, &v);
                    match &v.kind {
                        VKind::Seq(_) | VKind::Map(_) => text.push_str(&format!("${{{name}}}")),
                        _ => text.push_str(&v.fragment()),
                    }
                }
            }
            if text.len() > MAX_STRING {
                self.error(span, format!("`Fn::Sub` builds a string over {MAX_STRING} bytes"));
                return V::unknown("${Sub}", span);
            }
        }
        out.kind = VKind::Str(text);
        mark_dynamic_reference(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_placeholders_and_literals() {
        assert_eq!(
            pieces("arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}").0,
            vec![
                Piece::Text("arn:"),
                Piece::Var("AWS::Partition"),
                Piece::Text(":s3:::"),
                Piece::Var("Bucket"),
                Piece::Text("/"),
                Piece::Text("${"),
                Piece::Text("Literal}"),
            ]
        );
        assert!(pieces("a ${unclosed").1.is_some());
    }
}

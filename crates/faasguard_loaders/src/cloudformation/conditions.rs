//! `Conditions`: evaluated from parameter defaults, memoised.
//!
//! A condition is `Some(bool)` only when every input is known. A condition
//! over a pseudo parameter or a parameter without a default is `None`, and
//! callers then consider both outcomes (or mark the value unresolved) rather
//! than guess.

use faasguard_source::Span;
use faasguard_syntax::{Node, NodeKind};

use super::intrinsics::{Call, Evaluator, MAX_DEPTH, call_of};
use super::value::VKind;

impl Evaluator<'_, '_> {
    /// The value of a named condition.
    pub(crate) fn condition(&mut self, name: &str, span: Span) -> Option<bool> {
        if let Some(v) = self.condition_cache.get(name) {
            return *v;
        }
        if self.condition_stack.iter().any(|n| n == name) {
            self.error(span, format!("condition `{name}` depends on itself"));
            return None;
        }
        let Some(node) = self.tpl.conditions.get(name).copied() else {
            self.error(span, format!("unknown condition `{name}`; declare it under `Conditions`"));
            self.condition_cache.insert(name.to_owned(), None);
            return None;
        };
        if self.condition_stack.len() > MAX_DEPTH {
            return None;
        }
        self.condition_stack.push(name.to_owned());
        let value = self.condition_node(node, 0);
        self.condition_stack.pop();
        self.condition_cache.insert(name.to_owned(), value);
        value
    }

    fn condition_node(&mut self, node: &Node, depth: usize) -> Option<bool> {
        if let NodeKind::Map(entries) = &node.kind
            && let [e] = entries.as_slice()
            && e.key == "Condition"
        {
            return match e.value.as_str() {
                Some(name) => self.condition(name, e.value.span),
                None => {
                    self.error(e.value.span, "`Condition` takes a condition name");
                    None
                }
            };
        }
        if let Some(call) = call_of(node)
            && matches!(call.name, "Equals" | "And" | "Or" | "Not" | "Condition")
        {
            return self.condition_expr(&call, depth + 1);
        }
        let v = self.eval(node);
        let b = v.as_bool();
        if b.is_none() && !v.unresolved {
            self.error(
                node.span,
                "a condition must be `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` or `Condition`",
            );
        }
        b
    }

    /// Evaluates `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` and `Condition`.
    pub(crate) fn condition_expr(&mut self, call: &Call<'_>, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            self.error(call.span, format!("conditions are nested deeper than {MAX_DEPTH} levels"));
            return None;
        }
        match call.name {
            "Equals" => {
                let [a, b] = call.arg.items() else {
                    self.error(call.span, "`Fn::Equals` takes a list of two values");
                    return None;
                };
                let a = self.eval(a);
                let b = self.eval(b);
                if a.unresolved || b.unresolved {
                    return None;
                }
                match (&a.kind, &b.kind) {
                    (VKind::Seq(_) | VKind::Map(_), _) | (_, VKind::Seq(_) | VKind::Map(_)) => {
                        Some(a.kind == b.kind)
                    }
                    _ => Some(a.text() == b.text()),
                }
            }
            "And" | "Or" => {
                let items = call.arg.items();
                if items.is_empty() {
                    self.error(
                        call.span,
                        format!("`Fn::{}` takes a list of conditions", call.name),
                    );
                    return None;
                }
                let mut unknown = false;
                let is_and = call.name == "And";
                for item in items {
                    match self.condition_node(item, depth + 1) {
                        Some(b) if b != is_and => return Some(b),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown { None } else { Some(is_and) }
            }
            "Not" => {
                let inner = match call.arg.items() {
                    [one] => one,
                    _ => {
                        self.error(call.span, "`Fn::Not` takes a list of one condition");
                        return None;
                    }
                };
                self.condition_node(inner, depth + 1).map(|b| !b)
            }
            "Condition" => match call.arg.as_str() {
                Some(name) => self.condition(name, call.span),
                None => {
                    self.error(call.span, "`Condition` takes a condition name");
                    None
                }
            },
            other => {
                self.error(call.span, format!("`{other}` is not a condition function"));
                None
            }
        }
    }
}

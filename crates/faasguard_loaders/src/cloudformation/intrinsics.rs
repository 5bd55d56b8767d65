//! Intrinsic functions: `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, ... in
//! long form (`{"Fn::Sub": ...}`) and as YAML short tags (`!Sub`).
//!
//! What can be known from the template alone is resolved: parameters to their
//! `Default`, mappings, conditions over parameter defaults. Everything else
//! (pseudo parameters, imports, attributes of resources that only exist once
//! deployed) becomes an unresolved value with a readable rendering such as
//! `${AWS::AccountId}` or `${ImportValue:SharedRole}`; nothing is guessed.
//!
//! Work is bounded: nesting deeper than [`MAX_DEPTH`] intrinsics, strings
//! longer than [`MAX_STRING`] and more than [`MAX_TOTAL`] bytes produced for
//! one template stop resolution with an error, so a hostile template cannot
//! make the loader slow or big.

use std::collections::HashMap;

use faasguard_source::Span;
use faasguard_syntax::{Node, NodeKind, ParseError, ParseErrorKind};

use super::template::Template;
use super::value::{V, VEntry, VKind};

/// Deepest nesting of intrinsic functions resolved.
pub(crate) const MAX_DEPTH: usize = 64;
/// Longest string `Fn::Join`/`Fn::Sub` may build.
pub(crate) const MAX_STRING: usize = 1 << 20;
/// Most bytes of strings resolution may produce for one template.
pub(crate) const MAX_TOTAL: usize = 64 << 20;

/// Parameters of a SAM policy template being expanded, and where it is used.
pub(crate) struct Scope {
    pub(crate) params: HashMap<String, V>,
    /// Every value built from the template body is located here.
    pub(crate) span: Span,
}

/// Resolves nodes against one template.
pub(crate) struct Evaluator<'a, 't> {
    pub(crate) tpl: &'t Template<'a>,
    pub(crate) errors: Vec<ParseError>,
    pub(crate) scope: Option<Scope>,
    budget: usize,
    budget_reported: bool,
    pub(crate) condition_cache: HashMap<String, Option<bool>>,
    pub(crate) condition_stack: Vec<String>,
    /// The document could only be read in part: names it refers to may be in
    /// the part that was lost, so unknown names are not reported again.
    pub(crate) partial: bool,
}

/// An intrinsic function call: its name without `Fn::` and its argument.
pub(crate) struct Call<'n> {
    pub(crate) name: &'n str,
    pub(crate) arg: ArgRef<'n>,
    pub(crate) span: Span,
}

/// The argument of a call: for a short tag the tagged node itself (its tag
/// ignored), for the long form the mapping's single value.
#[derive(Clone, Copy)]
pub(crate) struct ArgRef<'n> {
    pub(crate) node: &'n Node,
    /// The node carries the call's own tag, which must not be read again.
    pub(crate) strip_tag: bool,
}

impl<'n> ArgRef<'n> {
    pub(crate) fn items(&self) -> &'n [Node] {
        self.node.items()
    }
    pub(crate) fn as_str(&self) -> Option<&'n str> {
        self.node.as_str()
    }
}

/// Recognises an intrinsic call in a node.
pub(crate) fn call_of(node: &Node) -> Option<Call<'_>> {
    if let Some(tag) = &node.tag {
        return Some(Call {
            name: tag.strip_prefix("Fn::").unwrap_or(tag),
            arg: ArgRef { node, strip_tag: true },
            span: node.span,
        });
    }
    if let NodeKind::Map(entries) = &node.kind
        && let [e] = entries.as_slice()
        && (e.key == "Ref" || e.key.starts_with("Fn::"))
    {
        return Some(Call {
            name: e.key.strip_prefix("Fn::").unwrap_or(&e.key),
            arg: ArgRef { node: &e.value, strip_tag: false },
            span: node.span,
        });
    }
    None
}

/// Pseudo parameters CloudFormation fills at deploy time.
fn is_pseudo(name: &str) -> bool {
    name.starts_with("AWS::")
}

fn syntax(span: Span, message: impl Into<String>) -> ParseError {
    ParseError { kind: ParseErrorKind::Syntax, span, message: message.into() }
}

impl<'a, 't> Evaluator<'a, 't> {
    pub(crate) fn new(tpl: &'t Template<'a>) -> Self {
        Evaluator {
            tpl,
            errors: Vec::new(),
            scope: None,
            budget: MAX_TOTAL,
            budget_reported: false,
            condition_cache: HashMap::new(),
            condition_stack: Vec::new(),
            partial: false,
        }
    }

    pub(crate) fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(syntax(span, message));
    }

    /// The span values from `node` get: inside a policy template expansion,
    /// the place the template is used.
    fn at(&self, node: &Node) -> Span {
        self.scope.as_ref().map_or(node.span, |s| s.span)
    }

    /// Charges `n` bytes of output; false once the template's budget is spent.
    fn charge(&mut self, n: usize, span: Span) -> bool {
        if n <= self.budget {
            self.budget -= n;
            return true;
        }
        if !self.budget_reported {
            self.budget_reported = true;
            self.errors.push(ParseError {
                kind: ParseErrorKind::TooLarge,
                span,
                message: format!(
                    "resolving intrinsic functions would produce over {MAX_TOTAL} bytes; the rest of the template is left unresolved"
                ),
            });
        }
        false
    }

    /// A value written where CloudFormation allows no intrinsic functions
    /// (parameter defaults, mappings), located at `span` where it is used.
    /// Never resolving here keeps self-referencing defaults from looping.
    fn literal(&mut self, node: &Node, span: Span) -> V {
        let kind = match &node.kind {
            NodeKind::Null => VKind::Null,
            NodeKind::Bool(b) => VKind::Bool(*b),
            NodeKind::Number(n) => VKind::Num(n.clone()),
            NodeKind::String(s) => {
                if !self.charge(s.len(), span) {
                    return V::unknown("${...}", span);
                }
                let mut v = V::str(s.clone(), span);
                mark_dynamic_reference(&mut v);
                return v;
            }
            NodeKind::Seq(items) => {
                VKind::Seq(items.iter().map(|i| self.literal(i, span)).collect())
            }
            NodeKind::Map(entries) => VKind::Map(
                entries
                    .iter()
                    .map(|e| VEntry {
                        key: e.key.clone(),
                        key_span: span,
                        value: self.literal(&e.value, span),
                    })
                    .collect(),
            ),
        };
        V::new(kind, span)
    }

    /// Resolves a whole value.
    pub(crate) fn eval(&mut self, node: &Node) -> V {
        self.eval_at(node, 0, false)
    }

    pub(crate) fn eval_arg(&mut self, arg: ArgRef<'_>, depth: usize) -> V {
        self.eval_at(arg.node, depth, arg.strip_tag)
    }

    fn eval_at(&mut self, node: &Node, depth: usize, strip_tag: bool) -> V {
        if depth > MAX_DEPTH {
            self.errors.push(ParseError {
                kind: ParseErrorKind::TooDeep,
                span: node.span,
                message: format!(
                    "intrinsic functions are nested deeper than {MAX_DEPTH} levels; flatten the expression"
                ),
            });
            return V::unknown("${...}", node.span);
        }
        if !strip_tag && let Some(call) = call_of(node) {
            return self.eval_call(&call, depth + 1);
        }
        let span = self.at(node);
        match &node.kind {
            NodeKind::Null => V::new(VKind::Null, span),
            NodeKind::Bool(b) => V::new(VKind::Bool(*b), span),
            NodeKind::Number(n) => V::new(VKind::Num(n.clone()), span),
            NodeKind::String(s) => {
                if !self.charge(s.len(), span) {
                    return V::unknown("${...}", span);
                }
                let mut v = V::str(s.clone(), span);
                mark_dynamic_reference(&mut v);
                v
            }
            NodeKind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    // An `Fn::If` whose condition cannot be known contributes
                    // both branches to a list, so no statement or value that
                    // may be deployed is missed.
                    if let Some(call) = call_of(item)
                        && call.name == "If"
                        && let [cond, yes, no] = call.arg.items()
                        && let Some(name) = cond.as_str()
                        && self.condition(name, cond.span).is_none()
                    {
                        for branch in [yes, no] {
                            let v = self.eval_at(branch, depth, false);
                            if !v.is_no_value() {
                                out.push(v);
                            }
                        }
                        continue;
                    }
                    let v = self.eval_at(item, depth, false);
                    if !v.is_no_value() {
                        out.push(v);
                    }
                }
                V::new(VKind::Seq(out), span)
            }
            NodeKind::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for e in entries {
                    let value = self.eval_at(&e.value, depth, false);
                    if value.is_no_value() {
                        continue;
                    }
                    let key_span = self.scope.as_ref().map_or(e.key_span, |s| s.span);
                    out.push(VEntry { key: e.key.clone(), key_span, value });
                }
                V::new(VKind::Map(out), span)
            }
        }
    }

    fn eval_call(&mut self, call: &Call<'_>, depth: usize) -> V {
        let span = self.scope.as_ref().map_or(call.span, |s| s.span);
        match call.name {
            "Ref" => self.eval_ref(call.arg, span, depth),
            "GetAtt" => self.eval_getatt(call.arg, span, depth),
            "Sub" => self.eval_sub(call.arg, span, depth),
            "Join" => self.eval_join(call.arg, span, depth),
            "Select" => self.eval_select(call.arg, span, depth),
            "Split" => self.eval_split(call.arg, span, depth),
            "If" => self.eval_if(call.arg, span, depth),
            "FindInMap" => self.eval_find_in_map(call.arg, span, depth),
            "ImportValue" => {
                let name = self.eval_arg(call.arg, depth);
                let mut v = V::unknown(format!("${{ImportValue:{}}}", name.fragment()), span);
                v.reference = true;
                v
            }
            "Base64" => {
                // The deployed value is the encoding of the inner text; the
                // inner text is what analysis needs.
                let mut v = self.eval_arg(call.arg, depth);
                v.span = span;
                v
            }
            "GetAZs" => V::unknown("${GetAZs}", span),
            "Cidr" => V::unknown("${Cidr}", span),
            "Equals" | "And" | "Or" | "Not" | "Condition" => {
                match self.condition_expr(call, depth) {
                    Some(b) => V::new(VKind::Bool(b), span),
                    None => V::unknown(format!("${{{}}}", call.name), span),
                }
            }
            "Length" => {
                let v = self.eval_arg(call.arg, depth);
                match &v.kind {
                    VKind::Seq(items) if !v.unresolved => {
                        V::new(VKind::Num(items.len().to_string()), span)
                    }
                    _ => V::unknown("${Length}", span),
                }
            }
            // Macros and language extensions that only CloudFormation runs.
            "Transform" | "ToJsonString" | "ForEach" => {
                V::unknown(format!("${{{}}}", call.name), span)
            }
            "GetParam" | "Include" => V::unknown(format!("${{{}}}", call.name), span),
            other => {
                self.error(
                    call.span,
                    format!(
                        "unknown intrinsic function `{other}`; expected one of Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap, Fn::ImportValue, Fn::Base64, Fn::GetAZs, Fn::Cidr"
                    ),
                );
                V::unknown(format!("${{{other}}}"), span)
            }
        }
    }

    /// `Ref` to a name: a policy template parameter, a pseudo parameter, a
    /// template parameter or a resource.
    pub(crate) fn resolve_name(&mut self, name: &str, span: Span) -> V {
        if let Some(v) = self.scope.as_ref().and_then(|s| s.params.get(name)) {
            return v.clone();
        }
        if name == "AWS::NoValue" {
            return V::new(VKind::NoValue, span);
        }
        if is_pseudo(name) {
            return V { reference: true, ..V::unknown(format!("${{{name}}}"), span) };
        }
        if let Some(param) = self.tpl.parameters.get(name).copied() {
            return self.parameter_value(name, param, span);
        }
        if self.tpl.is_resource(name) {
            return V {
                reference: true,
                link: Some(name.into()),
                placeholder: true,
                ..V::unknown(name, span)
            };
        }
        if self.scope.is_none() && !self.partial {
            self.error(
                span,
                format!(
                    "`Ref` to `{name}`, which is neither a parameter nor a resource of this template; fix the name or declare it"
                ),
            );
        }
        V { reference: true, placeholder: true, ..V::unknown(name, span) }
    }

    fn parameter_value(&mut self, name: &str, param: &Node, span: Span) -> V {
        let ty = param.get("Type").and_then(Node::as_str).unwrap_or("String");
        let unknown = |span| V { reference: true, placeholder: true, ..V::unknown(name, span) };
        // SSM parameter types hold the parameter's name, not its value.
        if ty.starts_with("AWS::SSM::Parameter::Value") {
            return unknown(span);
        }
        let Some(default) = param.get("Default") else {
            return unknown(span);
        };
        let mut v = self.literal(default, span);
        let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
        if is_list && let Some(text) = v.known_str() {
            let items = text.split(',').map(|s| V::str(s.trim(), span)).collect();
            v = V::new(VKind::Seq(items), span);
        }
        set_span_deep(&mut v, span);
        v.reference = true;
        v
    }

    fn eval_ref(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let target = self.eval_arg(arg, depth);
        match target.known_str() {
            Some(name) => {
                let name = name.to_owned();
                self.resolve_name(&name, span)
            }
            None => {
                if !target.unresolved {
                    self.error(span, "`Ref` takes the name of a parameter or resource as a string");
                }
                V { reference: true, ..V::unknown("${Ref}", span) }
            }
        }
    }

    fn eval_getatt(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let (resource, attr) = match &arg.node.kind {
            NodeKind::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_owned(), a.to_owned()),
                None => {
                    self.error(span, format!("`Fn::GetAtt` needs `Resource.Attribute`, got `{s}`"));
                    return V::unknown(s.clone(), span);
                }
            },
            NodeKind::Seq(items) if matches!(items.as_slice(), [_, _]) => {
                let [r, a] = items.as_slice() else { return V::unknown("${GetAtt}", span) };
                let r = self.eval_at(r, depth + 1, false);
                let a = self.eval_at(a, depth + 1, false);
                match (r.known_str(), a.text()) {
                    (Some(r), Some(a)) => (r.to_owned(), a),
                    _ => return V { reference: true, ..V::unknown("${GetAtt}", span) },
                }
            }
            _ => {
                self.error(
                    span,
                    "`Fn::GetAtt` takes `Resource.Attribute` or a list `[Resource, Attribute]`",
                );
                return V::unknown("${GetAtt}", span);
            }
        };
        self.getatt(&resource, &attr, span)
    }

    pub(crate) fn getatt(&mut self, resource: &str, attr: &str, span: Span) -> V {
        if !self.tpl.is_resource(resource) && self.scope.is_none() && !self.partial {
            self.error(
                span,
                format!(
                    "`Fn::GetAtt` on `{resource}`, which is not a resource of this template; fix the name"
                ),
            );
        }
        let link = self.tpl.is_resource(resource).then(|| resource.into());
        V {
            reference: true,
            link,
            placeholder: true,
            ..V::unknown(format!("{resource}.{attr}"), span)
        }
    }

    fn eval_join(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let [delim, list] = arg.items() else {
            self.error(span, "`Fn::Join` takes `[delimiter, [values...]]`");
            return V::unknown("${Join}", span);
        };
        let delim = self.eval_at(delim, depth + 1, false).text().unwrap_or_default();
        let list = self.eval_at(list, depth + 1, false);
        let VKind::Seq(items) = &list.kind else {
            return V { reference: list.reference, ..V::unknown("${Join}", span) };
        };
        let mut out = V::str(String::new(), span);
        let mut text = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                text.push_str(&delim);
            }
            absorb(&mut out, item);
            text.push_str(&item.fragment());
            if text.len() > MAX_STRING {
                self.error(span, format!("`Fn::Join` builds a string over {MAX_STRING} bytes"));
                return V::unknown("${Join}", span);
            }
        }
        if !self.charge(text.len(), span) {
            return V::unknown("${Join}", span);
        }
        out.kind = VKind::Str(text);
        mark_dynamic_reference(&mut out);
        out
    }

    fn eval_select(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let [index, list] = arg.items() else {
            self.error(span, "`Fn::Select` takes `[index, [values...]]`");
            return V::unknown("${Select}", span);
        };
        let index = self.eval_at(index, depth + 1, false);
        let list = self.eval_at(list, depth + 1, false);
        let (Some(i), VKind::Seq(items)) = (index.as_i64(), &list.kind) else {
            return V { reference: true, ..V::unknown("${Select}", span) };
        };
        match usize::try_from(i).ok().and_then(|i| items.get(i)) {
            Some(v) => {
                let mut v = v.clone();
                v.span = span;
                v
            }
            None => {
                self.error(
                    span,
                    format!("`Fn::Select` index {i} is out of range for a list of {}", items.len()),
                );
                V::unknown("${Select}", span)
            }
        }
    }

    fn eval_split(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let [delim, source] = arg.items() else {
            self.error(span, "`Fn::Split` takes `[delimiter, string]`");
            return V::unknown("${Split}", span);
        };
        let delim = self.eval_at(delim, depth + 1, false).text().unwrap_or_default();
        let source = self.eval_at(source, depth + 1, false);
        match source.known_str() {
            Some(s) if !delim.is_empty() => {
                let items = s.split(delim.as_str()).map(|p| V::str(p, span)).collect();
                V::new(VKind::Seq(items), span)
            }
            _ => V { reference: source.reference, ..V::unknown("${Split}", span) },
        }
    }

    fn eval_if(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let [cond, yes, no] = arg.items() else {
            self.error(span, "`Fn::If` takes `[condition_name, value_if_true, value_if_false]`");
            return V::unknown("${If}", span);
        };
        let Some(name) = cond.as_str() else {
            self.error(cond.span, "the first item of `Fn::If` must be a condition name");
            return V::unknown("${If}", span);
        };
        match self.condition(name, cond.span) {
            Some(true) => self.eval_at(yes, depth + 1, false),
            Some(false) => self.eval_at(no, depth + 1, false),
            None => {
                let a = self.eval_at(yes, depth + 1, false);
                let b = self.eval_at(no, depth + 1, false);
                if a.kind == b.kind && !a.unresolved && !b.unresolved {
                    return a;
                }
                V { reference: true, ..V::unknown(format!("${{If:{name}}}"), span) }
            }
        }
    }

    fn eval_find_in_map(&mut self, arg: ArgRef<'_>, span: Span, depth: usize) -> V {
        let items = arg.items();
        let (Some(map), Some(top), Some(second)) = (items.first(), items.get(1), items.get(2))
        else {
            self.error(span, "`Fn::FindInMap` takes `[MapName, TopLevelKey, SecondLevelKey]`");
            return V::unknown("${FindInMap}", span);
        };
        let keys: Vec<V> =
            [map, top, second].iter().map(|n| self.eval_at(n, depth + 1, false)).collect();
        let texts: Vec<Option<String>> =
            keys.iter().map(|k| if k.unresolved { None } else { k.text() }).collect();
        let render = || {
            format!("${{FindInMap:{}}}", keys.iter().map(V::fragment).collect::<Vec<_>>().join("."))
        };
        let [Some(m), Some(t), Some(s)] = texts.as_slice() else {
            return V { reference: true, ..V::unknown(render(), span) };
        };
        let found = self
            .tpl
            .mappings
            .and_then(|ms| ms.get(m))
            .and_then(|n| n.get(t))
            .and_then(|n| n.get(s));
        match found {
            Some(node) => self.literal(node, span),
            None => {
                if let Some(default) = items.get(3).and_then(|d| d.get("DefaultValue")) {
                    let mut v = self.eval_at(default, depth + 1, false);
                    v.span = span;
                    return v;
                }
                self.error(
                    span,
                    format!("`Fn::FindInMap`: mapping `{m}` has no entry `{t}` / `{s}`; add it under `Mappings`"),
                );
                V::unknown(render(), span)
            }
        }
    }
}

/// Carries flags of a part into the string built from it.
pub(crate) fn absorb(out: &mut V, part: &V) {
    out.unresolved |= part.unresolved;
    out.reference |= part.reference;
    out.secret |= part.secret;
    if out.link.is_none() {
        out.link.clone_from(&part.link);
    }
}

/// Dynamic references are filled at deploy time: the value is unknown, and
/// for Secrets Manager and SecureString parameters it is a managed secret.
pub(crate) fn mark_dynamic_reference(v: &mut V) {
    if let VKind::Str(s) = &v.kind
        && s.contains("{{resolve:")
    {
        v.unresolved = true;
        v.reference = true;
        if s.contains("{{resolve:secretsmanager:") || s.contains("{{resolve:ssm-secure:") {
            v.secret = true;
        }
    }
}

/// Moves a value and its children to `span`: a parameter default or mapping
/// entry used by a resource is reported where the resource uses it.
pub(crate) fn set_span_deep(v: &mut V, span: Span) {
    v.span = span;
    match &mut v.kind {
        VKind::Seq(items) => items.iter_mut().for_each(|i| set_span_deep(i, span)),
        VKind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span;
            set_span_deep(&mut e.value, span);
        }),
        _ => {}
    }
}

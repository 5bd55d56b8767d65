//! What every provider builder shares: blocks with evaluated attributes,
//! `count`/`for_each`/`dynamic` handling, and references between resources.

use std::collections::HashMap;

use faasguard_model::{App, FunctionId, LayerId, Note, PolicyDocument, ResourceId, RoleId, Val};
use faasguard_source::{FileId, Span};
use faasguard_syntax::ParseError;
use hcl_edit::Span as _;
use hcl_edit::structure::Body;

use crate::hcl::eval::Eval;
use crate::hcl::value::{Kind, Value};
use crate::hcl::{Item, ModuleCall, span};

/// A block body to read attributes from, in its instance and scope.
#[derive(Clone)]
pub(crate) struct Blk<'a> {
    pub(crate) body: &'a Body,
    pub(crate) file: FileId,
    pub(crate) inst: usize,
    /// The block's whole span.
    pub(crate) span: Span,
    pub(crate) scope: Vec<(String, Value)>,
}

/// A resource or data block ready for a builder.
pub(crate) struct Res<'a> {
    pub(crate) item: Item<'a>,
    pub(crate) blk: Blk<'a>,
    /// Full address (`module.m.aws_lambda_function.f`).
    pub(crate) addr: String,
    /// Logical id: the name at the root, `module.m.name` inside modules.
    pub(crate) logical_id: String,
}

/// The builder state of one module load.
pub(crate) struct Ctx<'a> {
    pub(crate) ev: Eval<'a>,
    pub(crate) app: App,
    items: Vec<Item<'a>>,
    pub(crate) calls: Vec<ModuleCall<'a>>,
    pub(crate) functions: HashMap<String, FunctionId>,
    pub(crate) roles: HashMap<String, RoleId>,
    pub(crate) role_names: HashMap<String, RoleId>,
    pub(crate) resources: HashMap<String, ResourceId>,
    /// Layers by address (`aws_lambda_layer_version.x`, `module.m` for a
    /// registry module that creates one).
    pub(crate) layers: HashMap<String, LayerId>,
    /// `data.aws_iam_policy_document` results by address (`None` while in progress).
    pub(crate) policy_docs: HashMap<String, Option<PolicyDocument>>,
    /// Customer managed policies (`aws_iam_policy`) by address.
    pub(crate) managed: HashMap<String, (String, Option<PolicyDocument>)>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(ev: Eval<'a>, app: App) -> Self {
        let items = ev.insts.iter().flat_map(|i| i.items.iter().copied()).collect();
        let calls = ev.insts.iter().flat_map(|i| i.calls.iter().copied()).collect();
        Ctx {
            ev,
            app,
            items,
            calls,
            functions: HashMap::new(),
            roles: HashMap::new(),
            role_names: HashMap::new(),
            resources: HashMap::new(),
            layers: HashMap::new(),
            policy_docs: HashMap::new(),
            managed: HashMap::new(),
        }
    }

    pub(crate) fn finish(self) -> (App, Vec<ParseError>, Vec<Note>) {
        (self.app, self.ev.errors, self.ev.notes)
    }

    pub(crate) fn note(&mut self, span: Span, message: impl Into<String>) {
        self.app.notes.push(Note { span, message: message.into() });
    }

    /// Resources (or data sources) of a type, in file order, `count = 0`
    /// and empty `for_each` skipped, other `count`/`for_each` as one
    /// instance with a note.
    pub(crate) fn of_type(&mut self, data: bool, ty: &str) -> Vec<Res<'a>> {
        let items: Vec<Item<'a>> =
            self.items.iter().filter(|i| i.data == data && i.ty == ty).copied().collect();
        items.into_iter().filter_map(|item| self.res(item)).collect()
    }

    /// Resources of several types.
    pub(crate) fn of_types(&mut self, tys: &[&str]) -> Vec<Res<'a>> {
        let items: Vec<Item<'a>> =
            self.items.iter().filter(|i| !i.data && tys.contains(&i.ty)).copied().collect();
        items.into_iter().filter_map(|item| self.res(item)).collect()
    }

    /// A data source by address.
    pub(crate) fn data_item(&mut self, addr: &str) -> Option<Res<'a>> {
        let item = self.items.iter().copied().find(|i| {
            i.data && format!("{}data.{}.{}", self.ev.insts[i.inst].prefix, i.ty, i.name) == addr
        })?;
        self.res(item)
    }

    fn res(&mut self, item: Item<'a>) -> Option<Res<'a>> {
        let prefix = self.ev.insts[item.inst].prefix.clone();
        let addr =
            format!("{prefix}{}{}.{}", if item.data { "data." } else { "" }, item.ty, item.name);
        let at = span(item.file, item.block.span());
        let mut blk = Blk {
            body: &item.block.body,
            file: item.file,
            inst: item.inst,
            span: at,
            scope: Vec::new(),
        };
        let mut repeated = None;
        if let Some(c) = item.block.body.get_attribute("count") {
            let v = self.ev.eval(item.inst, item.file, &c.value, &[]);
            if v.as_i64() == Some(0) {
                return None;
            }
            blk.scope.push((
                "count".into(),
                Value::new(
                    Kind::Object(vec![crate::hcl::value::Field {
                        key: "index".into(),
                        key_span: at,
                        value: Value::new(Kind::Number(0.0), at),
                    }]),
                    at,
                ),
            ));
            if v.as_i64() != Some(1) {
                repeated = Some("count");
            }
        }
        if let Some(fe) = item.block.body.get_attribute("for_each") {
            let v = self.ev.eval(item.inst, item.file, &fe.value, &[]);
            let empty = match &v.kind {
                Kind::List(l) => l.is_empty(),
                Kind::Object(f) => f.is_empty(),
                _ => false,
            };
            if empty {
                return None;
            }
            blk.scope.push(("each".into(), Value::unknown("${each}", at)));
            repeated = Some("for_each");
        }
        if let Some(kind) = repeated {
            self.note(at, format!("`{addr}` uses `{kind}`; it is modelled as one instance"));
        }
        let logical_id = if prefix.is_empty() {
            item.name.to_string()
        } else {
            format!("{prefix}{}", item.name)
        };
        Some(Res { item, blk, addr, logical_id })
    }

    /// An attribute's value; `None` when absent or null.
    pub(crate) fn attr(&mut self, b: &Blk<'a>, key: &str) -> Option<Value> {
        let a = b.body.get_attribute(key)?;
        let v = self.ev.eval(b.inst, b.file, &a.value, &b.scope);
        (!v.is_null()).then_some(v)
    }

    pub(crate) fn str(&mut self, b: &Blk<'a>, key: &str) -> Option<Val<String>> {
        self.attr(b, key).and_then(|v| v.to_val())
    }

    pub(crate) fn bool(&mut self, b: &Blk<'a>, key: &str) -> Option<Val<bool>> {
        self.attr(b, key).and_then(|v| v.to_val_bool())
    }

    pub(crate) fn int(&mut self, b: &Blk<'a>, key: &str) -> Option<Val<i64>> {
        self.attr(b, key).and_then(|v| v.to_val_i64())
    }

    /// A string-or-list attribute as a list of model strings.
    pub(crate) fn strs(&mut self, b: &Blk<'a>, key: &str) -> Vec<Val<String>> {
        match self.attr(b, key) {
            Some(v) if v.is_unknown() => v.to_val().into_iter().collect(),
            Some(v) => v.as_list().into_iter().filter_map(Value::to_val).collect(),
            None => Vec::new(),
        }
    }

    /// Nested blocks named `name`, `dynamic "name"` blocks included (their
    /// content once, with the iterator unresolved).
    pub(crate) fn blocks(&mut self, b: &Blk<'a>, name: &str) -> Vec<Blk<'a>> {
        let mut out = Vec::new();
        for block in b.body.blocks() {
            let ident = block.ident.as_str();
            if ident == name {
                out.push(Blk {
                    body: &block.body,
                    file: b.file,
                    inst: b.inst,
                    span: span(b.file, block.span()),
                    scope: b.scope.clone(),
                });
            } else if ident == "dynamic" && block.labels.first().is_some_and(|l| l.as_str() == name)
            {
                let Some(content) = block.body.get_blocks("content").next() else { continue };
                let iterator = block
                    .body
                    .get_attribute("iterator")
                    .and_then(|a| a.value.as_variable())
                    .map_or(name, |i| i.as_str());
                let at = span(b.file, block.span());
                let mut scope = b.scope.clone();
                scope.push((iterator.to_string(), Value::unknown(format!("${{{iterator}}}"), at)));
                self.note(
                    at,
                    format!(
                        "dynamic `{name}` blocks are modelled as one block with unresolved values"
                    ),
                );
                out.push(Blk { body: &content.body, file: b.file, inst: b.inst, span: at, scope });
            }
        }
        out
    }

    pub(crate) fn block(&mut self, b: &Blk<'a>, name: &str) -> Option<Blk<'a>> {
        self.blocks(b, name).into_iter().next()
    }

    /// Where an attribute is written, or the block when it is not.
    pub(crate) fn attr_span(&self, b: &Blk<'a>, key: &str) -> Span {
        b.body.get_attribute(key).map_or(b.span, |a| span(b.file, a.span()))
    }

    /// The function a value refers to: by address in a rendering, by
    /// deployed name, or by ARN.
    pub(crate) fn function_of(&self, v: &Value) -> Option<FunctionId> {
        for (addr, _) in refs(v) {
            if let Some(&f) = self.functions.get(&addr) {
                return Some(f);
            }
        }
        let t = v.as_text()?;
        let name =
            t.split(":function:").nth(1).map_or(t.as_str(), |r| r.split(':').next().unwrap_or(r));
        self.app
            .functions()
            .find(|(_, f)| f.name.as_ref().and_then(|n| n.known()) == Some(name))
            .map(|(id, _)| id)
    }

    /// The role a value refers to: by address, by name, or by ARN.
    pub(crate) fn role_of(&self, v: &Value) -> Option<RoleId> {
        for (addr, _) in refs(v) {
            if let Some(&r) = self.roles.get(&addr) {
                return Some(r);
            }
        }
        let t = v.as_text()?;
        let name =
            t.rsplit(":role/").next().map(|r| r.rsplit('/').next().unwrap_or(r)).unwrap_or(&t);
        self.role_names.get(name).copied()
    }

    /// The resource a value refers to, by address.
    pub(crate) fn resource_of(&self, v: &Value) -> Option<ResourceId> {
        refs(v).into_iter().find_map(|(addr, _)| self.resources.get(&addr).copied())
    }
}

/// Addresses referred to by the unresolved renderings in a value, each with
/// the attribute read (`(aws_iam_role.r, arn)`; for module outputs
/// `(module.m, output)`).
pub(crate) fn refs(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect_refs(v, &mut out, 0);
    out
}

fn collect_refs(v: &Value, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > 16 || out.len() > 64 {
        return;
    }
    match &v.kind {
        Kind::Unknown(r) | Kind::String(r) => refs_in_text(r, out),
        Kind::List(items) => items.iter().for_each(|i| collect_refs(i, out, depth + 1)),
        Kind::Object(fields) => fields.iter().for_each(|f| collect_refs(&f.value, out, depth + 1)),
        _ => {}
    }
}

/// Parses `${module.a.aws_iam_role.r[0].arn}`-style renderings.
pub(crate) fn refs_in_text(text: &str, out: &mut Vec<(String, String)>) {
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let inner = &rest[i + 2..];
        let inner = inner.trim_start_matches('(');
        let end = inner
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '"' | '*'))
            })
            .unwrap_or(inner.len());
        let path = &inner[..end];
        // Segments without index suffixes.
        let segs: Vec<&str> = path
            .split('.')
            .map(|s| s.split('[').next().unwrap_or(s))
            .filter(|s| !s.is_empty())
            .collect();
        let mut prefix = String::new();
        let mut j = 0;
        while j + 1 < segs.len() && segs[j] == "module" {
            prefix.push_str(&format!("module.{}.", segs[j + 1]));
            j += 2;
        }
        let rem = &segs[j..];
        let found = match rem {
            ["data", t, n, rest @ ..] => Some((
                format!("{prefix}data.{t}.{n}"),
                rest.first().map(|s| s.to_string()).unwrap_or_default(),
            )),
            ["var" | "local" | "each" | "count" | "path" | "self" | "terraform", ..] => None,
            [t, n, rest @ ..] if t.contains('_') => Some((
                format!("{prefix}{t}.{n}"),
                rest.first().map(|s| s.to_string()).unwrap_or_default(),
            )),
            [attr, ..] if !prefix.is_empty() => {
                Some((prefix.trim_end_matches('.').to_string(), attr.to_string()))
            }
            _ => None,
        };
        if let Some(f) = found {
            out.push(f);
        }
        rest = &rest[i + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderings_give_addresses() {
        let mut out = Vec::new();
        refs_in_text(
            "arn:${module.a.aws_iam_role.r[0].arn}/x ${data.aws_iam_policy_document.d.json}",
            &mut out,
        );
        refs_in_text("${module.lambda.lambda_function_arn}", &mut out);
        refs_in_text("${var.x}", &mut out);
        assert_eq!(
            out,
            [
                ("module.a.aws_iam_role.r".to_string(), "arn".to_string()),
                ("data.aws_iam_policy_document.d".to_string(), "json".to_string()),
                ("module.lambda".to_string(), "lambda_function_arn".to_string()),
            ]
        );
    }
}

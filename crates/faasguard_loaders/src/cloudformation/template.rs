//! The template's top-level sections, indexed for lookup.
//!
//! Structural problems (a `Resources` that is not a mapping, a resource
//! without `Type`) are reported here, once, and the offending part is left
//! out so everything else still loads.

use std::collections::HashMap;

use faasguard_source::Span;
use faasguard_syntax::{Node, NodeKind, ParseError, ParseErrorKind};

/// One declared resource.
pub(crate) struct RawResource<'a> {
    pub(crate) id: &'a str,
    pub(crate) type_name: &'a str,
    pub(crate) node: &'a Node,
    pub(crate) properties: Option<&'a Node>,
    pub(crate) condition: Option<&'a Node>,
}

/// The sections of a template that resolution and loading read.
pub(crate) struct Template<'a> {
    pub(crate) parameters: HashMap<&'a str, &'a Node>,
    pub(crate) mappings: Option<&'a Node>,
    pub(crate) conditions: HashMap<&'a str, &'a Node>,
    pub(crate) globals: Option<&'a Node>,
    pub(crate) resources: Vec<RawResource<'a>>,
    pub(crate) by_id: HashMap<&'a str, usize>,
    /// The Serverless transform is declared.
    pub(crate) sam: bool,
    /// Logical ids of `AWS::Serverless::*` resources: SAM generates resources
    /// named after them (`<Function>Role`, `<Api><Stage>Stage`) that the
    /// template may reference.
    pub(crate) sam_prefixes: Vec<&'a str>,
}

pub(crate) fn structure(span: Span, message: impl Into<String>) -> ParseError {
    ParseError { kind: ParseErrorKind::Structure, span, message: message.into() }
}

fn section<'a>(root: &'a Node, name: &str, errors: &mut Vec<ParseError>) -> Option<&'a Node> {
    let entry = root.entry(name)?;
    match entry.value.kind {
        NodeKind::Map(_) => Some(&entry.value),
        NodeKind::Null => None,
        _ => {
            errors.push(structure(
                entry.value.span,
                format!("`{name}` must be a mapping of names to definitions"),
            ));
            None
        }
    }
}

impl<'a> Template<'a> {
    pub(crate) fn new(root: &'a Node, errors: &mut Vec<ParseError>) -> Template<'a> {
        let parameters = section(root, "Parameters", errors)
            .map(|n| n.entries().iter().map(|e| (e.key.as_str(), &e.value)).collect())
            .unwrap_or_default();
        let mappings = section(root, "Mappings", errors);
        let conditions = section(root, "Conditions", errors)
            .map(|n| n.entries().iter().map(|e| (e.key.as_str(), &e.value)).collect())
            .unwrap_or_default();
        let globals = section(root, "Globals", errors);
        let sam = root.get("Transform").is_some_and(|t| {
            let names: Vec<&Node> = match &t.kind {
                NodeKind::Seq(items) => items.iter().collect(),
                _ => vec![t],
            };
            names.iter().any(|n| n.as_str().is_some_and(|s| s.starts_with("AWS::Serverless")))
        });

        let mut resources = Vec::new();
        let mut by_id = HashMap::new();
        let mut sam_prefixes = Vec::new();
        match root.entry("Resources") {
            None => {}
            Some(e) if matches!(e.value.kind, NodeKind::Null) => {}
            Some(e) if !e.value.is_map() => errors.push(structure(
                e.value.span,
                "`Resources` must be a mapping of logical ids to resource definitions",
            )),
            Some(e) => {
                for r in e.value.entries() {
                    if r.key.starts_with("Fn::ForEach") {
                        // Expanded by the LanguageExtensions transform at deploy
                        // time; the loop body is not a resource by itself.
                        continue;
                    }
                    if !r.value.is_map() {
                        errors.push(structure(
                            r.value.span,
                            format!(
                                "resource `{}` must be a mapping with `Type` and `Properties`",
                                r.key
                            ),
                        ));
                        continue;
                    }
                    let type_name = match r.value.get("Type") {
                        Some(t) => match t.as_str() {
                            Some(s) => s,
                            None => {
                                errors.push(structure(
                                    t.span,
                                    format!(
                                        "the `Type` of resource `{}` must be a string such as `AWS::Lambda::Function`",
                                        r.key
                                    ),
                                ));
                                continue;
                            }
                        },
                        None => {
                            errors.push(structure(
                                r.key_span,
                                format!(
                                    "resource `{}` has no `Type`; add one such as `Type: AWS::Lambda::Function`",
                                    r.key
                                ),
                            ));
                            continue;
                        }
                    };
                    let properties = match r.value.get("Properties") {
                        None => None,
                        Some(p) if matches!(p.kind, NodeKind::Null) => None,
                        Some(p) if p.is_map() || p.tag.is_some() => Some(p),
                        Some(p) => {
                            errors.push(structure(
                                p.span,
                                format!(
                                    "the `Properties` of resource `{}` must be a mapping",
                                    r.key
                                ),
                            ));
                            None
                        }
                    };
                    if type_name.starts_with("AWS::Serverless::") {
                        sam_prefixes.push(r.key.as_str());
                    }
                    if by_id.insert(r.key.as_str(), resources.len()).is_some() {
                        errors.push(structure(
                            r.key_span,
                            format!("resource `{}` is declared twice; the last one is used", r.key),
                        ));
                    }
                    resources.push(RawResource {
                        id: &r.key,
                        type_name,
                        node: &r.value,
                        properties,
                        condition: r.value.get("Condition"),
                    });
                }
            }
        }
        Template {
            parameters,
            mappings,
            conditions,
            globals,
            resources,
            by_id,
            sam: sam || !sam_prefixes.is_empty(),
            sam_prefixes,
        }
    }

    /// The resource a name refers to: a declared resource, or one SAM generates.
    pub(crate) fn is_resource(&self, name: &str) -> bool {
        if self.by_id.contains_key(name) {
            return true;
        }
        self.sam
            && (name.starts_with("ServerlessRestApi")
                || name.starts_with("ServerlessHttpApi")
                || self.sam_prefixes.iter().any(|p| name.len() > p.len() && name.starts_with(p)))
    }

    pub(crate) fn resource(&self, id: &str) -> Option<&RawResource<'a>> {
        self.by_id.get(id).and_then(|i| self.resources.get(*i))
    }
}

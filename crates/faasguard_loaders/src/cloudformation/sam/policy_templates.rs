//! SAM policy templates (`- S3ReadPolicy: {BucketName: !Ref Bucket}`),
//! expanded from the vendored `data/sam-policy-templates.json` (see its
//! NOTICE; regenerate with `scripts/regenerate-sam-policy-templates.py`).
//!
//! The template body is resolved like any template value, with its
//! parameters (`{"Ref": "BucketName"}`) bound to the values the user wrote,
//! and every part of the result located at the policy entry.

use std::collections::HashMap;
use std::sync::OnceLock;

use faasguard_model::{AttachedPolicy, PolicySource};
use faasguard_source::{FileId, Span};
use faasguard_syntax::{Node, parse_json};

use super::super::context::Loader;
use super::super::intrinsics::Scope;
use super::super::policies::document;
use super::super::template::structure;
use super::super::value::V;

static DATA: &str = include_str!("../../../data/sam-policy-templates.json");

fn templates() -> Option<&'static Node> {
    static ROOT: OnceLock<Option<Node>> = OnceLock::new();
    ROOT.get_or_init(|| parse_json(FileId(u32::MAX), DATA).root)
        .as_ref()
        .and_then(|root| root.get("Templates"))
}

/// Whether `name` is a SAM policy template.
pub(crate) fn is_template(name: &str) -> bool {
    templates().and_then(|t| t.get(name)).is_some()
}

/// Expands one policy template entry `{Name: {Param: value}}` at `span`.
pub(crate) fn expand(
    l: &mut Loader<'_, '_>,
    name: &str,
    params: &V,
    span: Span,
) -> Option<AttachedPolicy> {
    let template = templates()?.get(name)?;
    let definition = template.get("Definition")?;
    let mut bound = HashMap::new();
    for p in template.get("Parameters").map(Node::entries).unwrap_or_default() {
        match params.get(&p.key) {
            Some(v) => {
                bound.insert(p.key.clone(), v.clone());
            }
            None => {
                if !params.unresolved {
                    l.ev.errors.push(structure(
                        params.span,
                        format!("SAM policy template `{name}` needs the parameter `{}`", p.key),
                    ));
                }
                bound.insert(
                    p.key.clone(),
                    V { reference: true, placeholder: true, ..V::unknown(p.key.clone(), span) },
                );
            }
        }
    }
    let saved = l.ev.scope.replace(Scope { params: bound, span });
    let body = l.ev.eval(definition);
    l.ev.scope = saved;
    Some(AttachedPolicy {
        name: name.to_owned(),
        span,
        source: PolicySource::SamTemplate,
        document: document(&body, &mut l.ev.errors),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_templates_parse() {
        assert!(is_template("S3ReadPolicy"));
        assert!(is_template("DynamoDBCrudPolicy"));
        assert!(!is_template("NoSuchPolicy"));
    }
}

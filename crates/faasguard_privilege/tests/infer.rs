//! `infer` on small apps under `tests/fixtures/infer/`: the IaC and the
//! handler code go into one `SourceDb` with display paths relative to
//! `tests/fixtures/infer` (as the CLI shows them relative to the scan
//! root), the IaC through the real loaders.

use std::path::{Path, PathBuf};

use faasguard_model::{App, FunctionId};
use faasguard_privilege::{Confidence, Inference, Need, NeedSource, infer};

const P: &str = "arn:${AWS::Partition}";
const RA: &str = "${AWS::Region}:${AWS::AccountId}";
use faasguard_source::{SourceDb, SourceFile};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/infer")
}

fn db_of(dir: &str) -> SourceDb {
    let root = root();
    let mut files = Vec::new();
    let mut stack = vec![root.join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut db = SourceDb::new();
    for p in files {
        let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        db.add(SourceFile::new(rel, std::fs::read_to_string(&p).unwrap()));
    }
    db
}

fn sam(db: &SourceDb, path: &str) -> App {
    let id = db.find(path).unwrap();
    let text = db.get(id).unwrap().text.clone();
    let out = faasguard_loaders::load_file(id, path, &text).unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.apps.into_iter().next().unwrap()
}

fn terraform(db: &SourceDb, dir: &str) -> App {
    let files: Vec<_> = db
        .iter()
        .filter(|(_, f)| f.path.starts_with(&format!("{dir}/")) && f.path.ends_with(".tf"))
        .map(|(id, _)| id)
        .collect();
    let out = faasguard_loader_terraform::load_module(db, dir, &files);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.apps.into_iter().next().unwrap()
}

fn serverless(db: &SourceDb, path: &str) -> App {
    let out = faasguard_loader_serverless::load(db, db.find(path).unwrap());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.apps.into_iter().next().unwrap()
}

fn fid(app: &App, logical_id: &str) -> FunctionId {
    app.functions().find(|(_, f)| f.logical_id == logical_id).unwrap().0
}

fn need<'i>(inf: &'i Inference, action: &str) -> &'i Need {
    inf.needs
        .iter()
        .find(|n| n.action == action)
        .unwrap_or_else(|| panic!("no need for {action}: {:#?}", actions(inf)))
}

fn actions(inf: &Inference) -> Vec<&str> {
    inf.needs.iter().map(|n| n.action.as_str()).collect()
}

/// Each resource as IAM text.
fn iam(n: &Need) -> Vec<String> {
    n.resources.iter().map(|r| r.to_iam_string()).collect()
}

fn templ(n: &Need) -> Vec<String> {
    n.resources
        .iter()
        .map(|r| r.to_template(|x| format!("${{{}:{:?}}}", x.resource, x.attr)))
        .collect()
}

fn line(db: &SourceDb, span: faasguard_source::Span) -> (String, u32) {
    let f = db.get(span.file).unwrap();
    (f.path.to_string(), f.line_col(span.start).line)
}

fn evidence_lines(db: &SourceDb, n: &Need) -> Vec<(String, u32)> {
    n.evidence.iter().map(|e| line(db, e.span)).collect()
}

fn notes(inf: &Inference) -> Vec<&str> {
    inf.notes.iter().map(|n| n.message.as_str()).collect()
}

fn lines_of(db: &SourceDb, paths: &[&str]) -> usize {
    paths.iter().map(|p| db.get(db.find(p).unwrap()).unwrap().text.lines().count()).sum()
}

#[test]
fn python_boto3_client_resource_and_table_resolve_through_the_environment() {
    let db = db_of("sam_python");
    let app = sam(&db, "sam_python/template.yaml");
    let inf = infer(&app, fid(&app, "Orders"), &db);
    let table = format!("{P}:dynamodb:{RA}:table/${{OrdersTable:Name}}");
    // boto3.resource('dynamodb').Table(os.environ['TABLE']) with TABLE: !Ref OrdersTable.
    for action in ["dynamodb:GetItem", "dynamodb:PutItem"] {
        assert_eq!(templ(need(&inf, action)), [table.as_str()], "{action}");
    }
    let get = need(&inf, "dynamodb:GetItem");
    assert_eq!(evidence_lines(&db, get), [("sam_python/src/app.py".to_owned(), 17)]);
    assert_eq!(get.confidence, Confidence::High);
    assert_eq!(get.evidence[0].source, NeedSource::Code);
    // A local module imported by the handler; IndexName adds the index.
    let query = need(&inf, "dynamodb:Query");
    assert_eq!(templ(query), [table.clone(), format!("{table}/index/byCustomer")]);
    assert_eq!(evidence_lines(&db, query), [("sam_python/src/lib/store.py".to_owned(), 10)]);
    // A literal environment value, an f-string key, and an f-string bucket
    // built from another literal variable (archive-{STAGE}).
    assert_eq!(
        iam(need(&inf, "s3:PutObject")),
        ["arn:aws:s3:::archive-prod/archive/latest.json", "arn:aws:s3:::my-uploads/orders/*.json"]
    );
    // CopyObject reads its CopySource.
    assert_eq!(iam(need(&inf, "s3:GetObject")), ["arn:aws:s3:::my-uploads/orders/latest.json"]);
    // A queue's Ref is its URL: the queue's name is read from it.
    let send = need(&inf, "sqs:SendMessage");
    assert!(
        templ(send).contains(&format!("{P}:sqs:{RA}:${{JobsQueue:Name}}")),
        "{:?}",
        templ(send)
    );
    assert_eq!(templ(need(&inf, "sns:Publish")), [format!("{P}:sns:{RA}:${{EventsTopic:Name}}")]);
    // A secret without a name: its ARN is one reference.
    assert_eq!(templ(need(&inf, "secretsmanager:GetSecretValue")), ["${DbSecret:Arn}"]);
    // Only the key built from the event is unresolved.
    let unresolved: Vec<String> = inf
        .needs
        .iter()
        .flat_map(|n| n.resources.iter().filter(|r| r.unresolved).map(|r| r.to_iam_string()))
        .collect();
    assert_eq!(unresolved, ["arn:aws:s3:::my-uploads/orders/*.json"]);
    // The unknown operation is a note with its place, never a need.
    assert!(inf.needs.iter().all(|n| !n.action.to_lowercase().contains("frobnicate")));
    let unknown: Vec<_> =
        inf.notes.iter().filter(|n| n.message.contains("FrobnicateBucket")).collect();
    assert_eq!(unknown.len(), 1, "{:?}", notes(&inf));
    assert!(unknown[0].incomplete);
    assert!(unknown[0].message.contains("sam_python/src/app.py:23"), "{}", unknown[0].message);
    assert!(!inf.complete);
    assert_eq!(
        inf.code_lines,
        lines_of(
            &db,
            &[
                "sam_python/src/app.py",
                "sam_python/src/lib/__init__.py",
                "sam_python/src/lib/store.py"
            ]
        )
    );
    // Sorted by action.
    let acts = actions(&inf);
    let mut sorted = acts.clone();
    sorted.sort();
    assert_eq!(acts, sorted);
}

#[test]
fn platform_needs_follow_the_configuration() {
    let db = db_of("sam_python");
    let app = sam(&db, "sam_python/template.yaml");
    let inf = infer(&app, fid(&app, "Orders"), &db);
    let group = format!("{P}:logs:{RA}:log-group:/aws/lambda/orders-api");
    assert_eq!(templ(need(&inf, "logs:CreateLogGroup")), [group.as_str()]);
    for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
        assert_eq!(templ(need(&inf, action)), [format!("{group}:*")]);
    }
    for action in ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] {
        let n = need(&inf, action);
        assert!(n.resources.iter().all(|r| r.is_any()));
        assert_eq!(n.evidence[0].source, NeedSource::Platform);
        assert_eq!(line(&db, n.evidence[0].span).1, 23);
    }
    for action in [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    ] {
        assert!(need(&inf, action).resources.iter().all(|r| r.is_any()), "{action}");
    }
    let queue = format!("{P}:sqs:{RA}:${{JobsQueue:Name}}");
    for action in ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"] {
        assert_eq!(templ(need(&inf, action)), [queue.as_str()], "{action}");
    }
    assert_eq!(templ(need(&inf, "kms:Decrypt")), [format!("{P}:kms:{RA}:key/${{EnvKey:Id}}")]);
    // The dead-letter queue joins the code's SendMessage, with both pieces of evidence.
    let send = need(&inf, "sqs:SendMessage");
    assert!(templ(send).contains(&format!("{P}:sqs:{RA}:${{FailureQueue:Name}}")));
    assert_eq!(send.evidence.len(), 2);
    assert!(send.evidence.iter().any(|e| e.source == NeedSource::Platform));

    // A function with nothing configured needs only its logs.
    let inline = infer(&app, fid(&app, "Inline"), &db);
    assert!(!actions(&inline).iter().any(|a| a.starts_with("xray:") || a.starts_with("ec2:")));
    assert_eq!(
        templ(need(&inline, "logs:CreateLogGroup")),
        [format!("{P}:logs:{RA}:log-group:/aws/lambda/${{Inline:Name}}")]
    );
}

#[test]
fn inline_code_is_analysed_and_located_in_the_template() {
    let db = db_of("sam_python");
    let app = sam(&db, "sam_python/template.yaml");
    let inf = infer(&app, fid(&app, "Inline"), &db);
    let list = need(&inf, "s3:ListBucket");
    assert_eq!(iam(list), ["arn:aws:s3:::reports-bucket"]);
    assert_eq!(evidence_lines(&db, list), [("sam_python/template.yaml".to_owned(), 53)]);
    assert!(inf.complete, "{:?}", notes(&inf));
    assert_eq!(inf.code_lines, 4);
}

#[test]
fn code_problems_are_incomplete_notes() {
    let db = db_of("sam_python");
    let app = sam(&db, "sam_python/template.yaml");

    let missing = infer(&app, fid(&app, "Missing"), &db);
    assert!(!missing.complete);
    assert_eq!(missing.code_lines, 0);
    assert!(
        missing.notes.iter().any(|n| n.incomplete && n.message.contains("nothere")),
        "{:?}",
        notes(&missing)
    );
    assert!(actions(&missing).iter().all(|a| a.starts_with("logs:")));

    let broken = infer(&app, fid(&app, "Broken"), &db);
    assert!(!broken.complete);
    assert!(
        broken.notes.iter().any(|n| n.incomplete && n.message.contains("syntax")),
        "{:?}",
        notes(&broken)
    );

    let dynamic = infer(&app, fid(&app, "Dynamic"), &db);
    assert!(!dynamic.complete);
    let note = dynamic.notes.iter().find(|n| n.message.contains("dynamic import")).unwrap();
    assert!(
        note.incomplete && note.message.starts_with("sam_python/dyn/app.py:8:"),
        "{}",
        note.message
    );
    // What was found is still reported.
    assert_eq!(
        templ(need(&dynamic, "kinesis:PutRecord")),
        [format!("{P}:kinesis:{RA}:stream/clicks")]
    );
}

#[test]
fn guessed_clients_and_request_dependent_actions_are_low() {
    let db = db_of("sam_python");
    let app = sam(&db, "sam_python/template.yaml");
    let inf = infer(&app, fid(&app, "Guess"), &db);
    let del = need(&inf, "sqs:DeleteMessage");
    assert_eq!(del.confidence, Confidence::Low);
    assert_eq!(del.evidence[0].confidence, Confidence::Low);
    assert!(del.resources[0].unresolved);
    for action in [
        "dynamodb:PartiQLSelect",
        "dynamodb:PartiQLInsert",
        "dynamodb:PartiQLUpdate",
        "dynamodb:PartiQLDelete",
    ] {
        assert_eq!(need(&inf, action).confidence, Confidence::Low, "{action}");
    }
    assert!(
        inf.notes.iter().any(|n| !n.incomplete && n.message.contains("depends on the request"))
    );
    assert!(inf.complete, "{:?}", notes(&inf));
    // The platform's needs stay High.
    assert_eq!(need(&inf, "logs:PutLogEvents").confidence, Confidence::High);
}

#[test]
fn javascript_v2_v3_and_typescript() {
    let db = db_of("sam_node");
    let app = sam(&db, "sam_node/template.yaml");
    let table = format!("{P}:dynamodb:{RA}:table/orders");

    // v2: DocumentClient methods, a literal table name, a function ARN from GetAtt.
    let v2 = infer(&app, fid(&app, "V2"), &db);
    assert_eq!(templ(need(&v2, "dynamodb:GetItem")), [table.as_str()]);
    assert_eq!(templ(need(&v2, "dynamodb:UpdateItem")), [table.as_str()]);
    assert_eq!(
        templ(need(&v2, "lambda:InvokeFunction")),
        [format!("{P}:lambda:{RA}:function:${{V3:Name}}")]
    );
    assert!(!v2.complete, "a client class computed at run time");
    assert!(
        v2.notes.iter().any(|n| n.incomplete && n.message.contains("index.js:11")),
        "{:?}",
        notes(&v2)
    );

    // v3: commands sent through clients.
    let v3 = infer(&app, fid(&app, "V3"), &db);
    assert_eq!(
        templ(need(&v3, "s3:GetObject")),
        [format!("{P}:s3:::${{Uploads:Name}}/incoming/*.json")]
    );
    assert_eq!(templ(need(&v3, "s3:PutObject")), [format!("{P}:s3:::${{Uploads:Name}}/done/*")]);
    assert_eq!(templ(need(&v3, "sqs:SendMessage")), [format!("{P}:sqs:{RA}:${{Jobs:Name}}")]);
    assert_eq!(
        templ(need(&v3, "states:StartExecution")),
        [format!("{P}:states:{RA}:stateMachine:${{Flow:Name}}")]
    );
    // PutEvents without EventBusName goes to the default bus.
    assert_eq!(
        templ(need(&v3, "events:PutEvents")),
        [format!("{P}:events:{RA}:event-bus/default")]
    );
    assert_eq!(
        templ(need(&v3, "ssm:GetParameter")),
        [format!("{P}:ssm:{RA}:parameter/orders/config")]
    );
    // The optional KMS action the request shows is a note, not a need.
    assert!(!actions(&v3).contains(&"kms:GenerateDataKey"));
    let kms = v3.notes.iter().find(|n| n.message.contains("kms:GenerateDataKey")).unwrap();
    assert!(!kms.incomplete && kms.message.contains("SSEKMSKeyId"));
    assert!(v3.complete, "{:?}", notes(&v3));

    // TypeScript with lib-dynamodb.
    let ts = infer(&app, fid(&app, "Ts"), &db);
    let query = need(&ts, "dynamodb:Query");
    assert_eq!(templ(query), [table]);
    assert_eq!(evidence_lines(&db, query), [("sam_node/ts/handler.ts".to_owned(), 8)]);
    assert!(ts.complete);
}

#[test]
fn terraform_addresses_and_unresolved_values() {
    let db = db_of("terraform");
    let app = terraform(&db, "terraform");
    let inf = infer(&app, fid(&app, "worker"), &db);
    assert_eq!(templ(need(&inf, "dynamodb:PutItem")), [format!("{P}:dynamodb:{RA}:table/orders")]);
    // A queue whose name is `${var.prefix}-jobs`: a reference by address.
    assert_eq!(
        templ(need(&inf, "sqs:SendMessage")),
        [format!("{P}:sqs:{RA}:${{aws_sqs_queue.jobs:Name}}")]
    );
    assert_eq!(
        templ(need(&inf, "ssm:GetParameter")),
        [format!("{P}:ssm:{RA}:parameter/orders/config")]
    );
    // `var.prefix` and an unset variable: unresolved, as narrow as possible.
    let get = need(&inf, "s3:GetObject");
    assert_eq!(iam(get), ["arn:aws:s3:::*/config.json", "arn:aws:s3:::*/x"]);
    assert!(get.resources.iter().all(|r| r.unresolved));
    let unset = inf.notes.iter().find(|n| n.message.contains("MISSING_BUCKET")).unwrap();
    assert!(
        !unset.incomplete && unset.message.contains("terraform/src/worker.py:17"),
        "{}",
        unset.message
    );
    // The Kinesis event source mapping.
    let stream = format!("{P}:kinesis:{RA}:stream/clicks");
    for action in [
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:DescribeStream",
        "kinesis:ListShards",
    ] {
        assert_eq!(templ(need(&inf, action)), [stream.as_str()], "{action}");
    }
    assert!(need(&inf, "kinesis:ListStreams").resources[0].is_any());
    assert_eq!(
        templ(need(&inf, "logs:CreateLogGroup")),
        [format!("{P}:logs:{RA}:log-group:/aws/lambda/orders-worker")]
    );
    assert!(inf.complete, "{:?}", notes(&inf));
}

#[test]
fn serverless_environment_and_resources() {
    let db = db_of("serverless");
    let app = serverless(&db, "serverless/serverless.yml");
    let inf = infer(&app, fid(&app, "notify"), &db);
    // A secret by name: any suffix.
    assert_eq!(
        iam(need(&inf, "secretsmanager:GetSecretValue")),
        ["arn:aws:secretsmanager:*:*:secret:shop/api-key-??????"]
    );
    // Provider-level environment, a named topic.
    assert_eq!(templ(need(&inf, "sns:Publish")), [format!("{P}:sns:{RA}:shop-notifications")]);
    assert_eq!(
        templ(need(&inf, "sqs:SendMessage")),
        [format!("{P}:sqs:{RA}:${{DeadLetters:Name}}")]
    );
    assert!(inf.complete, "{:?}", notes(&inf));
}

fn call(client: &str, operation: &str, args: &[(&str, &str)]) -> faasguard_code::sdk::SdkCall {
    faasguard_code::sdk::SdkCall {
        client: client.to_owned(),
        operation: operation.to_owned(),
        span: faasguard_source::Span::new(faasguard_source::FileId(0), 0, 1),
        args: args
            .iter()
            .map(|(k, v)| {
                ((*k).to_owned(), faasguard_code::sdk::ArgValue::Literal((*v).to_owned()))
            })
            .collect(),
        confidence: faasguard_code::sdk::Confidence::High,
        via: format!("{client}.{operation}"),
    }
}

#[test]
fn request_values_of_every_kind() {
    let db = db_of("sam_python");
    let app = sam(&db, "sam_python/template.yaml");
    let func = &app.functions[fid(&app, "Orders").index()];
    let one = |c: faasguard_code::sdk::SdkCall, action: &str| -> Vec<(String, bool)> {
        let (needs, _) = faasguard_privilege::infer::needs_of_call(&app, func, &c);
        let n = needs.iter().find(|n| n.action == action).unwrap_or_else(|| panic!("{action}"));
        n.resources.iter().map(|r| (r.to_iam_string(), r.unresolved)).collect()
    };
    let ok = |s: &str| vec![(s.to_owned(), false)];
    // A queue URL gives the region and account.
    assert_eq!(
        one(
            call(
                "sqs",
                "SendMessage",
                &[("QueueUrl", "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs")]
            ),
            "sqs:SendMessage"
        ),
        ok("arn:aws:sqs:eu-west-1:123456789012:jobs")
    );
    // An execution ARN fits the standard execution type, not the express one.
    assert_eq!(
        one(
            call(
                "stepfunctions",
                "DescribeExecution",
                &[("executionArn", "arn:aws:states:eu-west-1:123456789012:execution:flow:run-1")]
            ),
            "states:DescribeExecution"
        ),
        ok("arn:aws:states:eu-west-1:123456789012:execution:flow:run-1")
    );
    // A partial function ARN with a qualifier.
    assert_eq!(
        one(
            call("lambda", "Invoke", &[("FunctionName", "123456789012:function:worker:live")]),
            "lambda:InvokeFunction"
        ),
        ok("arn:aws:lambda:*:123456789012:function:worker:live")
    );
    // An alias hides the key: unresolved.
    assert_eq!(
        one(call("kms", "Decrypt", &[("KeyId", "alias/app")]), "kms:Decrypt"),
        vec![("arn:aws:kms:*:*:key/*".to_owned(), true)]
    );
    // SSM: names lose their leading slash; a path covers what is under it.
    assert_eq!(
        one(
            call("ssm", "GetParametersByPath", &[("Path", "/app/prod/")]),
            "ssm:GetParametersByPath"
        ),
        vec![("arn:aws:ssm:*:*:parameter/app/prod*".to_owned(), false)]
    );
    // An ARN parameter no binding lists, when it fits the resource type.
    assert_eq!(
        one(
            call(
                "lambda",
                "GetLayerVersionByArn",
                &[("Arn", "arn:aws:lambda:eu-west-1:123456789012:layer:deps:3")]
            ),
            "lambda:GetLayerVersion"
        ),
        ok("arn:aws:lambda:eu-west-1:123456789012:layer:deps:3")
    );
    // A value of the wrong kind (a queue ARN as a topic) is not trusted.
    assert_eq!(
        one(
            call("sns", "Publish", &[("TopicArn", "arn:aws:sqs:eu-west-1:123456789012:jobs")]),
            "sns:Publish"
        ),
        vec![("arn:aws:sns:*:*:*".to_owned(), true)]
    );
    // STS AssumeRole on a role with a path.
    assert_eq!(
        one(
            call("sts", "AssumeRole", &[("RoleArn", "arn:aws:iam::123456789012:role/svc/reader")]),
            "sts:AssumeRole"
        ),
        ok("arn:aws:iam::123456789012:role/svc/reader")
    );
    // Firehose and events by name.
    assert_eq!(
        one(
            call("firehose", "PutRecord", &[("DeliveryStreamName", "to-s3")]),
            "firehose:PutRecord"
        ),
        ok("arn:aws:firehose:*:*:deliverystream/to-s3")
    );
    assert_eq!(
        one(
            call("events", "PutEvents", &[("Entries", "ignored"), ("EventBusName", "orders")]),
            "events:PutEvents"
        ),
        ok("arn:aws:events:*:*:event-bus/orders")
    );
    // An operation that needs no permission gives nothing, and no note.
    let (needs, notes) = faasguard_privilege::infer::needs_of_call(
        &app,
        func,
        &call("sts", "GetCallerIdentity", &[]),
    );
    assert!(needs.is_empty() && notes.is_empty());
}

#[test]
fn platform_needs_that_depend_on_the_app_are_low() {
    let db = db_of("sam_platform");
    let app = sam(&db, "sam_platform/template.yaml");
    let inf = infer(&app, fid(&app, "Consumer"), &db);
    let confidence = |action: &str| need(&inf, action).confidence;
    // The app creates the log group itself.
    assert_eq!(confidence("logs:CreateLogGroup"), Confidence::Low);
    assert_eq!(confidence("logs:PutLogEvents"), Confidence::High);
    // The poller prefers the shard API but works with the classic calls.
    assert_eq!(confidence("kinesis:ListShards"), Confidence::Low);
    assert_eq!(confidence("kinesis:DescribeStreamSummary"), Confidence::Low);
    assert_eq!(confidence("kinesis:GetRecords"), Confidence::High);
    // The X-Ray SDK's sampling calls only when the code uses it.
    assert_eq!(confidence("xray:GetSamplingRules"), Confidence::Low);
    assert_eq!(confidence("xray:PutTraceSegments"), Confidence::High);
    // Newer VPC actions: used when granted, never missing.
    assert_eq!(confidence("ec2:DescribeSubnets"), Confidence::Low);
    assert_eq!(confidence("ec2:CreateNetworkInterface"), Confidence::High);

    // A function whose group the app does not define needs to create it.
    let other = infer(&app, fid(&app, "Other"), &db);
    assert_eq!(need(&other, "logs:CreateLogGroup").confidence, Confidence::High);
}

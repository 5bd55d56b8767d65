//! SDK operation to IAM actions: the exception table against the embedded
//! catalog, the iam.md §5.2 exceptions one by one, the name rule, unknowns.

use faasguard_iam::catalog::{self, Catalog};
use faasguard_iam::operations::{
    self, Confidence, Exceptions, OperationActions, Resolution, required_actions,
};

fn resolve(client: &str, operation: &str) -> OperationActions {
    required_actions(catalog::catalog(), client, operation)
}

fn names(list: &[operations::RequiredAction]) -> Vec<&str> {
    list.iter().map(|a| a.action.as_str()).collect()
}

/// Asserts the required actions (High confidence, order kept) of a call.
#[track_caller]
fn assert_actions(client: &str, operation: &str, expected: &[&str]) -> OperationActions {
    let got = resolve(client, operation);
    assert!(!got.unknown, "{client} {operation}: unknown ({:?})", got.note);
    assert_eq!(names(&got.actions), expected, "{client} {operation}");
    for a in &got.actions {
        assert_eq!(a.confidence, Confidence::High, "{client} {operation}: {}", a.action);
        assert!(!a.why.is_empty());
    }
    got
}

#[track_caller]
fn assert_optional(got: &OperationActions, action: &str) {
    assert!(
        got.optional.iter().any(|a| a.action == action && !a.why.is_empty()),
        "{action} not optional in {:?}",
        names(&got.optional)
    );
}

#[test]
fn embedded_table_parses_and_is_sound() {
    let text = include_str!("../data/operation-exceptions.json");
    let table = Exceptions::from_json(text).expect("operation-exceptions.json parses");
    assert!(table.entries().len() >= 50, "{} entries", table.entries().len());
    let problems = table.problems(catalog::catalog());
    assert!(problems.is_empty(), "problems:\n{}", problems.join("\n"));
    // The lazily loaded table is the same one.
    assert_eq!(operations::exceptions().entries().len(), table.entries().len());
}

#[test]
fn every_table_action_exists_in_the_catalog() {
    let cat = catalog::catalog();
    let mut count = 0;
    for e in operations::exceptions().entries() {
        for name in e.action_names() {
            assert!(cat.action(&name).is_some(), "{} {:?}: {name}", e.client, e.operations);
            count += 1;
        }
        for op in &e.operations {
            let got = resolve(&e.client, op);
            assert_eq!(got.resolution, Resolution::Exception, "{} {op}", e.client);
            assert!(!got.unknown);
            for a in got.actions.iter().chain(&got.optional) {
                assert!(cat.action(&a.action).is_some(), "{} {op}: {}", e.client, a.action);
            }
        }
    }
    assert!(count > 100, "{count}");
}

#[test]
fn duplicate_operation_is_rejected() {
    let text = r#"{"operations": [
        {"client": "s3", "operations": ["HeadObject"], "actions": ["s3:GetObject"], "why": "a"},
        {"client": "S3", "operations": ["headobject"], "actions": ["s3:GetObject"], "why": "b"}
    ]}"#;
    assert!(Exceptions::from_json(text).unwrap_err().contains("twice"));
}

#[test]
fn unsound_entries_are_reported() {
    let text = r#"{"operations": [
        {"client": "s3", "operations": ["HeadObject"], "actions": ["s3:NoSuchAction"], "why": "x"},
        {"client": "s3", "operations": ["GetObject"], "why": "neither actions nor no_permission"},
        {"client": "nosuchclient", "operations": ["Foo"], "no_permission": true, "why": "x"},
        {"client": "s3", "operations": ["NoSuchOp"], "actions": ["s3:GetObject"], "why": ""}
    ]}"#;
    let table = Exceptions::from_json(text).unwrap();
    let problems = table.problems(catalog::catalog()).join("\n");
    for needle in [
        "s3:NoSuchAction is not in the catalog",
        "not both or neither",
        "unknown client",
        "NoSuchOp is not an operation of s3",
        "no why",
    ] {
        assert!(problems.contains(needle), "{needle} missing in:\n{problems}");
    }
}

// --- iam.md §5.2, S3 -------------------------------------------------------

#[test]
fn s3_list_and_head_renames() {
    for op in ["ListObjects", "ListObjectsV2", "HeadBucket"] {
        assert_actions("s3", op, &["s3:ListBucket"]);
    }
    let head = assert_actions("s3", "HeadObject", &["s3:GetObject"]);
    assert_optional(&head, "s3:GetObjectVersion");
    assert_optional(&head, "kms:Decrypt");
    assert_actions("s3", "ListBuckets", &["s3:ListAllMyBuckets"]);
    assert_actions("s3", "ListObjectVersions", &["s3:ListBucketVersions"]);
    assert_actions("s3", "ListMultipartUploads", &["s3:ListBucketMultipartUploads"]);
    assert_actions("s3", "ListParts", &["s3:ListMultipartUploadParts"]);
    assert_actions("s3", "SelectObjectContent", &["s3:GetObject"]);
}

#[test]
fn s3_writes_and_copies() {
    for op in ["CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"] {
        assert_actions("s3", op, &["s3:PutObject"]);
    }
    let put = assert_actions("s3", "PutObject", &["s3:PutObject"]);
    // SSE-KMS is a side permission, never a required one.
    assert_optional(&put, "kms:GenerateDataKey");
    assert_optional(&put, "s3:PutObjectAcl");
    assert_optional(&put, "s3:PutObjectTagging");
    assert!(!put.actions.iter().any(|a| a.action.starts_with("kms:")));

    let copy = assert_actions("s3", "CopyObject", &["s3:GetObject", "s3:PutObject"]);
    for side in [
        "s3:GetObjectVersion",
        "s3:GetObjectTagging",
        "s3:PutObjectTagging",
        "s3:PutObjectAcl",
        "kms:Decrypt",
        "kms:GenerateDataKey",
    ] {
        assert_optional(&copy, side);
    }
    let part_copy = assert_actions("s3", "UploadPartCopy", &["s3:GetObject", "s3:PutObject"]);
    assert_optional(&part_copy, "s3:GetObjectVersion");
    let delete = assert_actions("s3", "DeleteObjects", &["s3:DeleteObject"]);
    assert_optional(&delete, "s3:DeleteObjectVersion");
    let get = assert_actions("s3", "GetObject", &["s3:GetObject"]);
    assert_optional(&get, "kms:Decrypt");
}

#[test]
fn s3_bucket_configuration_renames() {
    let cases: &[(&str, &str)] = &[
        ("GetBucketCors", "s3:GetBucketCORS"),
        ("PutBucketCors", "s3:PutBucketCORS"),
        ("DeleteBucketCors", "s3:PutBucketCORS"),
        ("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
        ("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
        ("DeleteBucketEncryption", "s3:PutEncryptionConfiguration"),
        ("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
        ("PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
        ("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"),
        ("GetBucketNotificationConfiguration", "s3:GetBucketNotification"),
        ("PutBucketNotificationConfiguration", "s3:PutBucketNotification"),
        ("GetBucketReplication", "s3:GetReplicationConfiguration"),
        ("DeleteBucketReplication", "s3:PutReplicationConfiguration"),
        ("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
        ("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
        ("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
        ("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
        ("PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"),
        ("DeleteBucketTagging", "s3:PutBucketTagging"),
        ("ListBucketInventoryConfigurations", "s3:GetInventoryConfiguration"),
        ("DeleteBucketMetricsConfiguration", "s3:PutMetricsConfiguration"),
        ("GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration"),
        ("PutBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"),
        ("GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"),
    ];
    for (op, action) in cases {
        assert_actions("s3", op, &[action]);
    }
    assert_actions(
        "s3",
        "PutBucketReplication",
        &["s3:PutReplicationConfiguration", "iam:PassRole"],
    );
}

// --- iam.md §5.2, DynamoDB ---------------------------------------------------

#[test]
fn dynamodb_batches_transactions_partiql() {
    // Batch actions exist in IAM and are not expanded.
    let batch = assert_actions("dynamodb", "BatchWriteItem", &["dynamodb:BatchWriteItem"]);
    assert_optional(&batch, "kms:Decrypt");
    assert_actions("dynamodb", "BatchGetItem", &["dynamodb:BatchGetItem"]);
    assert_actions("dynamodb", "TransactGetItems", &["dynamodb:GetItem"]);

    for op in ["ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"] {
        let got = resolve("dynamodb", op);
        assert!(!got.unknown);
        assert_eq!(
            names(&got.actions),
            [
                "dynamodb:PartiQLSelect",
                "dynamodb:PartiQLInsert",
                "dynamodb:PartiQLUpdate",
                "dynamodb:PartiQLDelete"
            ]
        );
        assert!(got.actions.iter().all(|a| a.confidence == Confidence::Low));
        assert!(got.note.is_some());
    }
    let tx = resolve("dynamodb", "TransactWriteItems");
    assert_eq!(
        names(&tx.actions),
        [
            "dynamodb:ConditionCheckItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem"
        ]
    );
    assert!(tx.actions.iter().all(|a| a.confidence == Confidence::Low));

    let describe = resolve("dynamodb", "DescribeEndpoints");
    assert!(describe.actions.is_empty() && !describe.unknown);
}

// --- iam.md §5.2, the rest -----------------------------------------------------

#[test]
fn lambda_queues_topics_keys() {
    assert_actions("lambda", "Invoke", &["lambda:InvokeFunction"]);
    assert_actions("lambda", "InvokeWithResponseStream", &["lambda:InvokeFunction"]);
    assert_actions("lambda", "GetLayerVersionByArn", &["lambda:GetLayerVersion"]);

    let send = assert_actions("sqs", "SendMessageBatch", &["sqs:SendMessage"]);
    assert_optional(&send, "kms:GenerateDataKey");
    assert_actions("sqs", "DeleteMessageBatch", &["sqs:DeleteMessage"]);
    assert_actions("sqs", "ChangeMessageVisibilityBatch", &["sqs:ChangeMessageVisibility"]);
    let receive = assert_actions("sqs", "ReceiveMessage", &["sqs:ReceiveMessage"]);
    assert_optional(&receive, "kms:Decrypt");

    let publish = assert_actions("sns", "PublishBatch", &["sns:Publish"]);
    assert_optional(&publish, "kms:GenerateDataKey");

    assert_actions("kms", "ReEncrypt", &["kms:ReEncryptFrom", "kms:ReEncryptTo"]);
    let secret =
        assert_actions("secretsmanager", "GetSecretValue", &["secretsmanager:GetSecretValue"]);
    assert_optional(&secret, "kms:Decrypt");
    assert_actions(
        "secretsmanager",
        "BatchGetSecretValue",
        &["secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue"],
    );
    let param = assert_actions("ssm", "GetParametersByPath", &["ssm:GetParametersByPath"]);
    assert_optional(&param, "kms:Decrypt");
    let put_param = assert_actions("ssm", "PutParameter", &["ssm:PutParameter"]);
    assert_optional(&put_param, "kms:Encrypt");
    let records = assert_actions("kinesis", "PutRecords", &["kinesis:PutRecords"]);
    assert_optional(&records, "kms:GenerateDataKey");
}

#[test]
fn sts_permissionless_calls_need_nothing() {
    for op in ["GetCallerIdentity", "GetSessionToken"] {
        let got = resolve("sts", op);
        assert!(got.actions.is_empty(), "{op}: {:?}", names(&got.actions));
        assert!(got.optional.is_empty());
        assert!(!got.unknown);
        assert_eq!(got.resolution, Resolution::Exception);
        assert!(got.note.as_deref().is_some_and(|n| n.contains("no IAM permission")));
    }
    assert_actions("sts", "AssumeRole", &["sts:AssumeRole"]);
}

#[test]
fn other_data_planes() {
    for op in ["PostToConnection", "GetConnection", "DeleteConnection"] {
        assert_actions("apigatewaymanagementapi", op, &["execute-api:ManageConnections"]);
    }
    assert_actions("bedrock-runtime", "Converse", &["bedrock:InvokeModel"]);
    assert_actions("bedrock-runtime", "ConverseStream", &["bedrock:InvokeModelWithResponseStream"]);
    assert_actions("bedrock-runtime", "InvokeModel", &["bedrock:InvokeModel"]);
    let query = resolve("timestream-query", "Query");
    assert_eq!(names(&query.actions), ["timestream:Select"]);
    assert_eq!(query.actions[0].confidence, Confidence::Low);
    assert_actions(
        "rds-data",
        "ExecuteStatement",
        &["rds-data:ExecuteStatement", "secretsmanager:GetSecretValue"],
    );
    let redshift =
        assert_actions("redshift-data", "ExecuteStatement", &["redshift-data:ExecuteStatement"]);
    assert_optional(&redshift, "redshift:GetClusterCredentials");
    assert_actions("glue", "BatchUpdatePartition", &["glue:UpdatePartition"]);
    assert_actions("glue", "DeletePartitionIndex", &["glue:UpdateTable"]);
    assert_actions("s3control", "CreateJob", &["s3:CreateJob", "iam:PassRole"]);
    assert_actions(
        "cognito-identity",
        "SetIdentityPoolRoles",
        &["cognito-identity:SetIdentityPoolRoles", "iam:PassRole"],
    );
}

// --- name rule ---------------------------------------------------------------

#[test]
fn plain_name_matches() {
    let cases: &[(&str, &str, &str)] = &[
        ("dynamodb", "PutItem", "dynamodb:PutItem"),
        ("dynamodb", "Query", "dynamodb:Query"),
        ("secretsmanager", "DescribeSecret", "secretsmanager:DescribeSecret"),
        ("ssm", "GetParameter", "ssm:GetParameter"),
        ("stepfunctions", "StartExecution", "states:StartExecution"),
        ("logs", "PutLogEvents", "logs:PutLogEvents"),
        ("events", "PutEvents", "events:PutEvents"),
        ("cloudwatch", "PutMetricData", "cloudwatch:PutMetricData"),
        ("sesv2", "SendEmail", "ses:SendEmail"),
        ("dynamodbstreams", "GetRecords", "dynamodb:GetRecords"),
        ("xray", "PutTraceSegments", "xray:PutTraceSegments"),
    ];
    for (client, op, action) in cases {
        let got = assert_actions(client, op, &[action]);
        if !matches!(*client, "dynamodb" | "ssm") {
            assert_eq!(got.resolution, Resolution::Name, "{client} {op}");
        }
    }
    // Step Functions has no exception entry: the prefix comes from the catalog.
    let sfn = resolve("stepfunctions", "StartExecution");
    assert_eq!(sfn.resolution, Resolution::Name);
    assert!(sfn.actions[0].why.contains("states"));
}

#[test]
fn case_insensitive() {
    assert_actions("S3", "getobject", &["s3:GetObject"]);
    assert_actions("s3", "LISTOBJECTSV2", &["s3:ListBucket"]);
    assert_actions("StepFunctions", "startexecution", &["states:StartExecution"]);
    // The catalog's spelling wins over the operation's.
    assert_actions("s3", "GetBucketAcl", &["s3:GetBucketAcl"]);
    assert_actions("s3", "GetBucketCors", &["s3:GetBucketCORS"]);
    assert_actions(" dynamodb ", "putitem", &["dynamodb:PutItem"]);
}

#[test]
fn dependent_actions_are_optional() {
    let cat = catalog::catalog();
    let Some((op, dep)) = ["CreateFunction", "UpdateFunctionConfiguration"].iter().find_map(|op| {
        let a = cat.action(&format!("lambda:{op}"))?;
        a.action.dependent.first().map(|d| (*op, d.clone()))
    }) else {
        // The catalog lists no dependent actions for these: nothing to check.
        return;
    };
    let got = resolve("lambda", op);
    assert!(
        got.optional.iter().any(|a| a.action.eq_ignore_ascii_case(&dep)),
        "{dep} not in {:?}",
        names(&got.optional)
    );
    assert!(!got.actions.iter().any(|a| a.action.eq_ignore_ascii_case(&dep)));
}

// --- unknowns ----------------------------------------------------------------

#[track_caller]
fn assert_unknown(client: &str, operation: &str, needle: &str) {
    let got = resolve(client, operation);
    assert!(got.unknown, "{client} {operation}: {:?}", names(&got.actions));
    assert!(got.actions.is_empty() && got.optional.is_empty());
    assert_eq!(got.resolution, Resolution::Unknown);
    let note = got.note.unwrap_or_default();
    assert!(note.contains(needle), "{note}");
    assert!(!note.is_empty());
}

#[test]
fn unknown_operation_client_and_garbage() {
    assert_unknown("s3", "FrobnicateBucket", "not an operation of the botocore client s3");
    assert_unknown("nosuchservice", "GetThing", "not a botocore client");
    // A botocore operation without an action of that name (version skew).
    let kinesis_new = catalog::catalog()
        .sdk("kinesis")
        .and_then(|s| s.operations.iter().find(|o| o.as_str() == "CreateQueue").cloned());
    if let Some(op) = kinesis_new {
        assert_unknown("kinesis", &op, "no action kinesis:CreateQueue");
    }
    // A client without an IAM prefix.
    assert_unknown("sso", "GetRoleCredentials", "no IAM prefix");
    assert_unknown("", "GetObject", "no client");
    assert_unknown("s3", "", "no client or no operation");
    assert_unknown("s3", "*", "not an operation");
    assert_unknown("s3", "Get*", "not an operation");
    let huge = "A".repeat(1_000_000);
    let got = resolve("s3", &huge);
    assert!(got.unknown && got.note.as_deref().is_some_and(|n| n.len() < 200));
    assert_unknown("s3", "GetObject\u{e9}\u{e9}", "not an operation");
}

#[test]
fn never_a_wildcard() {
    let cat = catalog::catalog();
    for sdk in cat.sdk_services() {
        for op in sdk.operations.iter().chain(["*".to_string(), "Nope".to_string()].iter()) {
            let got = required_actions(cat, &sdk.client, op);
            for a in got.actions.iter().chain(&got.optional) {
                assert!(!a.action.contains('*') && !a.action.contains('?'), "{}", a.action);
                assert!(cat.action(&a.action).is_some(), "{} {op}: {}", sdk.client, a.action);
            }
            assert_eq!(got.unknown, got.resolution == Resolution::Unknown);
            if got.unknown {
                assert!(got.actions.is_empty());
            }
        }
    }
}

#[test]
fn coverage_of_botocore_operations() {
    // Reports (and bounds from below) how many botocore operations resolve.
    let cat = catalog::catalog();
    let (mut total, mut known) = (0usize, 0usize);
    for sdk in cat.sdk_services() {
        for op in &sdk.operations {
            total += 1;
            if !required_actions(cat, &sdk.client, op).unknown {
                known += 1;
            }
        }
    }
    eprintln!("resolved {known} of {total} botocore operations");
    assert!(total > 10_000 && known * 100 >= total * 85, "{known}/{total}");
}

#[test]
fn works_with_a_small_catalog() {
    let text = r#"{"meta": {"generated": "2026-01-01", "sources": []},
      "services": [{"prefix": "s3", "name": "S3", "actions": [
         {"name": "GetObject", "access": "Read"}, {"name": "ListBucket", "access": "List"}]}],
      "sdk": [{"client": "s3", "service_id": "S3", "endpoint_prefix": "s3", "iam_prefix": "s3",
               "operations": ["GetObject", "ListObjectsV2", "PutObject"]}]}"#;
    let cat = Catalog::from_json(text).unwrap();
    let got = required_actions(&cat, "s3", "ListObjectsV2");
    assert_eq!(names(&got.actions), ["s3:ListBucket"]);
    assert_eq!(names(&required_actions(&cat, "s3", "getobject").actions), ["s3:GetObject"]);
    // The table still applies; a name the small catalog lacks keeps the table's spelling.
    assert_eq!(names(&required_actions(&cat, "s3", "PutObject").actions), ["s3:PutObject"]);
    let empty = Exceptions::default();
    let got = operations::resolve(&cat, &empty, "s3", "PutObject");
    assert!(got.unknown);
}

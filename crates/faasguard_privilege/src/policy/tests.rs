use faasguard_model::{App, Format, Function, Provider, Resource, ResourceKind};
use faasguard_source::{FileId, Span};

use super::*;
use crate::{Evidence, IacRef, InferenceNote, Need, NeedSource, RefAttr};

fn span() -> Span {
    Span::file_start(FileId(0))
}

fn app(format: Format) -> App {
    let mut app = App::new("template.yaml", format, FileId(0));
    app.functions.push(Function::new("OrdersFunction", span(), Provider::Aws));
    app
}

fn text(s: &str) -> Piece {
    Piece::Text(s.into())
}

fn reference(resource: &str, attr: RefAttr) -> Piece {
    Piece::Ref(IacRef { resource: resource.into(), attr })
}

fn table(name: Piece) -> ResourceArn {
    ResourceArn {
        pieces: vec![
            text("arn:"),
            Piece::Partition,
            text(":dynamodb:"),
            Piece::Region,
            text(":"),
            Piece::Account,
            text(":table/"),
            name,
        ],
        resource_type: Some("table".into()),
        unresolved: false,
    }
}

fn object(bucket: Piece) -> ResourceArn {
    ResourceArn {
        pieces: vec![text("arn:"), Piece::Partition, text(":s3:::"), bucket, text("/*")],
        resource_type: Some("object".into()),
        unresolved: false,
    }
}

fn need(action: &str, resources: Vec<ResourceArn>, confidence: Confidence) -> Need {
    Need {
        action: action.into(),
        resources,
        evidence: vec![Evidence {
            span: span(),
            what: format!("call for {action}"),
            source: NeedSource::Code,
            confidence,
        }],
        confidence,
    }
}

fn inference(needs: Vec<Need>) -> Inference {
    Inference { function: FunctionId(0), needs, notes: Vec::new(), complete: true, code_lines: 10 }
}

fn orders() -> ResourceArn {
    table(reference("OrdersTable", RefAttr::Name))
}

#[test]
fn one_statement_per_service_and_resource_set() {
    let inf = inference(vec![
        need("dynamodb:GetItem", vec![orders()], Confidence::High),
        need("dynamodb:PutItem", vec![orders()], Confidence::High),
        need("dynamodb:Query", vec![table(text("audit"))], Confidence::High),
        need(
            "s3:GetObject",
            vec![object(reference("DataBucket", RefAttr::Name))],
            Confidence::High,
        ),
        need("xray:PutTraceSegments", vec![ResourceArn::any()], Confidence::High),
        need("xray:PutTelemetryRecords", vec![ResourceArn::any()], Confidence::High),
    ]);
    let p = generate(&app(Format::Sam), &inf);
    let got: Vec<(&str, Vec<&str>)> = p
        .statements
        .iter()
        .map(|s| (s.sid.as_str(), s.actions.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("DynamodbAuditTable", vec!["dynamodb:Query"]),
            ("DynamodbOrdersTable", vec!["dynamodb:GetItem", "dynamodb:PutItem"]),
            ("S3DataBucketObject", vec!["s3:GetObject"]),
            ("Xray", vec!["xray:PutTelemetryRecords", "xray:PutTraceSegments"]),
        ],
        "{p:#?}"
    );
    assert_eq!(
        p.notes,
        [
            "the IAM JSON writes the names of DataBucket, OrdersTable as `*` (they are known only at deploy time); \
          the snippet for the app's format keeps them exact"
        ]
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn sids_are_alphanumeric_and_unique() {
    // Two Terraform tables named alike in different modules, and a set of three.
    let a = table(reference("aws_dynamodb_table.orders", RefAttr::Name));
    let b = table(reference("module.x.aws_dynamodb_table.orders", RefAttr::Name));
    let c = table(text("my-table_2"));
    let inf = inference(vec![
        need("dynamodb:GetItem", vec![a.clone()], Confidence::High),
        need("dynamodb:PutItem", vec![b.clone()], Confidence::High),
        need("dynamodb:Query", vec![a, b, c], Confidence::High),
    ]);
    let p = generate(&app(Format::Terraform), &inf);
    let sids: Vec<&str> = p.statements.iter().map(|s| s.sid.as_str()).collect();
    let unique: BTreeSet<&str> = sids.iter().copied().collect();
    assert_eq!(unique.len(), sids.len(), "{sids:?}");
    assert!(
        sids.iter().all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())),
        "{sids:?}"
    );
    assert!(sids.contains(&"DynamodbOrdersTable"), "{sids:?}");
    assert!(sids.contains(&"DynamodbOrdersTable2"), "{sids:?}");
    assert!(sids.iter().any(|s| s.contains("And")), "{sids:?}");
    assert_eq!(camel("log-group"), "LogGroup");
    assert_eq!(camel("execute-api"), "ExecuteApi");
}

#[test]
fn low_confidence_needs_are_notes_not_statements() {
    let inf = inference(vec![
        need("dynamodb:GetItem", vec![orders()], Confidence::High),
        need("dynamodb:PartiQLDelete", vec![orders()], Confidence::Low),
    ]);
    let p = generate(&app(Format::Sam), &inf);
    assert_eq!(p.statements.len(), 1);
    assert_eq!(p.statements[0].actions, ["dynamodb:GetItem"]);
    assert!(
        p.notes.iter().any(|n| n.contains("dynamodb:PartiQLDelete") && n.contains("uncertain")),
        "{:?}",
        p.notes
    );
}

#[test]
fn incomplete_inference_says_what_may_be_missing() {
    let mut inf = inference(vec![need("dynamodb:GetItem", vec![orders()], Confidence::High)]);
    inf.complete = false;
    inf.notes = vec![
        InferenceNote {
            span: span(),
            message: "dynamic import in app.py".into(),
            incomplete: true,
            problem: Some(faasguard_code::handler::ProblemKind::Dynamic),
        },
        InferenceNote {
            span: span(),
            message: "a bucket name could not be resolved".into(),
            incomplete: false,
            problem: None,
        },
    ];
    let p = generate(&app(Format::Sam), &inf);
    assert_eq!(p.notes[0], "the policy may miss permissions: dynamic import in app.py");
    assert!(p.notes.contains(&"a bucket name could not be resolved".to_string()), "{:?}", p.notes);

    // Complete: no such note.
    let p = generate(
        &app(Format::Sam),
        &inference(vec![need("dynamodb:GetItem", vec![orders()], Confidence::High)]),
    );
    assert!(!p.notes.iter().any(|n| n.contains("may miss")), "{:?}", p.notes);
}

#[test]
fn unresolved_resources_are_granted_narrowly_and_noted() {
    let mut t = table(Piece::Wild);
    t.unresolved = true;
    let p = generate(
        &app(Format::Sam),
        &inference(vec![need("dynamodb:GetItem", vec![t], Confidence::High)]),
    );
    assert_eq!(p.iam_documents()[0]["Statement"][0]["Resource"][0], "arn:aws:dynamodb:*:*:table/*");
    assert_eq!(
        p.notes,
        [
            "part of arn:aws:dynamodb:*:*:table/* could not be resolved and is a wildcard (dynamodb:GetItem); \
          narrow it if you know the value"
        ]
    );
}

#[test]
fn any_resource_absorbs_the_others() {
    let p = generate(
        &app(Format::Sam),
        &inference(vec![need(
            "dynamodb:ListTables",
            vec![orders(), ResourceArn::any()],
            Confidence::High,
        )]),
    );
    assert_eq!(p.statements[0].resources, vec![ResourceArn::any()]);
}

#[test]
fn generated_policy_is_problem_free_in_our_engine() {
    let inf = inference(vec![
        need("dynamodb:GetItem", vec![orders()], Confidence::High),
        need("s3:GetObject", vec![object(text("my-bucket/reports"))], Confidence::High),
        need(
            "logs:CreateLogStream",
            vec![ResourceArn {
                pieces: vec![
                    text("arn:"),
                    Piece::Partition,
                    text(":logs:"),
                    Piece::Region,
                    text(":"),
                    Piece::Account,
                    text(":log-group:/aws/lambda/"),
                    reference("OrdersFunction", RefAttr::Name),
                    text(":*"),
                ],
                resource_type: Some("log-group".into()),
                unresolved: false,
            }],
            Confidence::High,
        ),
        need("xray:PutTraceSegments", vec![ResourceArn::any()], Confidence::High),
    ]);
    let p = generate(&app(Format::Sam), &inf);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert!(
        p.statements.iter().any(|s| s.sid == "LogsOrdersFunctionLogGroup"),
        "{:#?}",
        p.statements
    );
    let doc = &p.iam_documents()[0];
    assert_eq!(doc["Version"], "2012-10-17");
}

#[test]
fn lint_reports_problems_and_risks() {
    // A bug upstream (wildcard-only action on an ARN, unknown action) shows up.
    let p = generate(
        &app(Format::Sam),
        &inference(vec![
            need("dynamodb:ListTables", vec![orders()], Confidence::High),
            need("dynamodb:FlyToTheMoon", vec![orders()], Confidence::High),
        ]),
    );
    assert!(p.warnings.iter().any(|w| w.contains("RESOURCE_MISMATCH")), "{:?}", p.warnings);
    assert!(p.warnings.iter().any(|w| w.contains("UNKNOWN_ACTION")), "{:?}", p.warnings);

    // The code itself passes any role: a risk the user must know of.
    let p = generate(
        &app(Format::Sam),
        &inference(vec![
            need("iam:PassRole", vec![ResourceArn::any()], Confidence::High),
            need("lambda:CreateFunction", vec![ResourceArn::any()], Confidence::High),
            need("lambda:InvokeFunction", vec![ResourceArn::any()], Confidence::High),
        ]),
    );
    assert!(p.warnings.iter().any(|w| w.contains("PrivilegeEscalation")), "{:?}", p.warnings);
}

fn many_tables(n: usize) -> Inference {
    let needs = (0..n)
        .map(|i| {
            need(
                "dynamodb:GetItem",
                vec![table(text(&format!("table-number-{i:04}-with-a-rather-long-name")))],
                Confidence::High,
            )
        })
        .chain((0..n).map(|i| {
            need(
                "dynamodb:PutItem",
                vec![table(text(&format!("table-number-{i:04}-with-a-rather-long-name")))],
                Confidence::High,
            )
        }))
        .chain((0..n / 2).map(|i| {
            need(
                "dynamodb:Query",
                vec![table(text(&format!("only-queried-{i:04}-with-a-rather-long-name")))],
                Confidence::High,
            )
        }))
        .collect();
    inference(needs)
}

fn all_pairs(docs: &[Value]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for d in docs {
        for s in d["Statement"].as_array().unwrap() {
            for a in s["Action"].as_array().unwrap() {
                for r in s["Resource"].as_array().unwrap() {
                    out.insert((a.as_str().unwrap().to_string(), r.as_str().unwrap().to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn large_policies_are_split_under_the_managed_policy_limit() {
    let p = generate(&app(Format::Sam), &many_tables(120));
    let whole = p.iam_document();
    assert!(policy_size(&whole) > INLINE_POLICY_LIMIT);
    assert!(p.warnings.iter().any(|w| w.contains("10240")), "{:?}", p.warnings);
    let docs = p.iam_documents();
    assert!(docs.len() > 2, "{}", docs.len());
    for d in &docs {
        assert!(policy_size(d) <= MANAGED_POLICY_LIMIT, "{}", policy_size(d));
        let sids: Vec<&str> =
            d["Statement"].as_array().unwrap().iter().map(|s| s["Sid"].as_str().unwrap()).collect();
        let unique: BTreeSet<&&str> = sids.iter().collect();
        assert_eq!(unique.len(), sids.len());
    }
    // Nothing lost, nothing added.
    assert_eq!(all_pairs(&docs), all_pairs(std::slice::from_ref(&whole)));
}

#[test]
fn one_statement_too_large_is_split_by_resources() {
    let resources: Vec<ResourceArn> = (0..200)
        .map(|i| table(text(&format!("table-{i:04}-with-a-rather-long-name-indeed"))))
        .collect();
    let p = generate(
        &app(Format::Sam),
        &inference(vec![need("dynamodb:GetItem", resources, Confidence::High)]),
    );
    assert_eq!(p.statements.len(), 1);
    let docs = p.iam_documents();
    assert!(docs.len() >= 2);
    for d in &docs {
        assert!(policy_size(d) <= MANAGED_POLICY_LIMIT, "{}", policy_size(d));
    }
    assert_eq!(all_pairs(&docs).len(), 200);
    assert!(docs[1]["Statement"][0]["Sid"].as_str().unwrap().ends_with("Part2"));
}

#[test]
fn small_policies_are_one_document_and_empty_ones_none() {
    let p = generate(&app(Format::Sam), &many_tables(2));
    assert_eq!(p.iam_documents().len(), 1);
    let p = generate(&app(Format::Sam), &inference(Vec::new()));
    assert!(p.iam_documents().is_empty());
    assert!(p.snippet(&app(Format::Sam)).is_none());
}

#[test]
fn azure_functions_have_no_snippet() {
    let p = generate(
        &app(Format::Sam),
        &inference(vec![need("dynamodb:GetItem", vec![orders()], Confidence::High)]),
    );
    assert!(p.snippet(&app(Format::AzureFunctions)).is_none());
    let mut gcp = app(Format::Terraform);
    gcp.functions[0].provider = Provider::Gcp;
    assert!(p.snippet(&gcp).is_none());
}

fn with_resources(format: Format, list: &[(&str, &str)]) -> App {
    let mut a = app(format);
    for (id, ty) in list {
        a.resources.push(Resource {
            logical_id: (*id).into(),
            type_name: (*ty).into(),
            kind: ResourceKind::Other((*ty).into()),
            span: span(),
            name: None,
            policy: None,
            kms_key: None,
        });
    }
    a
}

#[test]
fn cloudformation_references_follow_each_type() {
    let a = with_resources(
        Format::Sam,
        &[
            ("OrdersTable", "AWS::DynamoDB::Table"),
            ("JobsQueue", "AWS::SQS::Queue"),
            ("AlertsTopic", "AWS::SNS::Topic"),
            ("ApiSecret", "AWS::SecretsManager::Secret"),
            ("Key", "AWS::KMS::Key"),
        ],
    );
    let arn = |service: &str, rest: Vec<Piece>, ty: &str| {
        let mut pieces = vec![
            text("arn:"),
            Piece::Partition,
            text(&format!(":{service}:")),
            Piece::Region,
            text(":"),
            Piece::Account,
            text(":"),
        ];
        pieces.extend(rest);
        ResourceArn { pieces, resource_type: Some(ty.into()), unresolved: false }
    };
    let whole = |id: &str| ResourceArn {
        pieces: vec![reference(id, RefAttr::Arn)],
        resource_type: None,
        unresolved: false,
    };
    let inf = inference(vec![
        need("dynamodb:GetItem", vec![orders()], Confidence::High),
        need(
            "sqs:SendMessage",
            vec![arn("sqs", vec![reference("JobsQueue", RefAttr::Name)], "queue")],
            Confidence::High,
        ),
        need(
            "sns:Publish",
            vec![arn("sns", vec![reference("AlertsTopic", RefAttr::Name)], "topic")],
            Confidence::High,
        ),
        need("sqs:DeleteMessage", vec![whole("JobsQueue")], Confidence::High),
        need("sns:Subscribe", vec![whole("AlertsTopic")], Confidence::High),
        need(
            "kms:Decrypt",
            vec![arn("kms", vec![text("key/"), reference("Key", RefAttr::Id)], "key")],
            Confidence::High,
        ),
        need(
            "secretsmanager:GetSecretValue",
            vec![arn(
                "secretsmanager",
                vec![text("secret:"), reference("ApiSecret", RefAttr::Name), text("-??????")],
                "secret",
            )],
            Confidence::High,
        ),
    ]);
    let p = generate(&a, &inf);
    let s = p.snippet(&a).unwrap();
    assert_eq!(s.file_name_suffix, ".sam.yaml");
    let t = &s.text;
    assert!(t.contains(r#"!Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}""#), "{t}");
    assert!(t.contains("${JobsQueue.QueueName}"), "{t}");
    assert!(t.contains("${AlertsTopic.TopicName}"), "{t}");
    assert!(t.contains(r#"!GetAtt "JobsQueue.Arn""#), "{t}");
    assert!(t.contains(r#"!Ref "AlertsTopic""#), "{t}");
    assert!(t.contains(":key/${Key}"), "{t}");
    assert!(t.contains(":secret:*-??????"), "{t}");
    assert!(t.contains("# `*` stands for the name of secret ApiSecret"), "{t}");
}

#[test]
fn own_function_is_never_referenced_from_its_role() {
    let a = app(Format::CloudFormation);
    let log = ResourceArn {
        pieces: vec![
            text("arn:"),
            Piece::Partition,
            text(":logs:"),
            Piece::Region,
            text(":"),
            Piece::Account,
            text(":log-group:/aws/lambda/"),
            reference("OrdersFunction", RefAttr::Name),
            text(":*"),
        ],
        resource_type: Some("log-group".into()),
        unresolved: false,
    };
    let p = generate(&a, &inference(vec![need("logs:PutLogEvents", vec![log], Confidence::High)]));
    let s = p.snippet(&a).unwrap();
    assert_eq!(s.file_name_suffix, ".cfn.yaml");
    assert!(s.text.contains("log-group:/aws/lambda/*:*"), "{}", s.text);
    assert!(!s.text.contains("${OrdersFunction}"), "{}", s.text);
    assert!(s.text.contains("PolicyName: \"OrdersFunctionLeastPrivilege\""), "{}", s.text);
}

#[test]
fn literal_dollar_braces_are_escaped() {
    let a = app(Format::Sam);
    let p = generate(
        &a,
        &inference(vec![need("s3:GetObject", vec![object(text("odd${x}"))], Confidence::High)]),
    );
    let t = p.snippet(&a).unwrap().text;
    assert!(t.contains(r#"!Sub "arn:${AWS::Partition}:s3:::odd${!x}/*""#), "{t}");
    assert_eq!(render_tf_escape("a${b}%{c}\"d\\"), r#"a$${b}%%{c}\"d\\"#);
}

fn render_tf_escape(s: &str) -> String {
    render::tests_support::tf_escape(s)
}

#[test]
fn references_to_other_functions_and_variables() {
    // Serverless: another function is `<Normalised>LambdaFunction` in CloudFormation.
    let mut a = app(Format::Serverless);
    a.functions.push(Function::new("send-mail", span(), Provider::Aws));
    let invoke = ResourceArn {
        pieces: vec![reference("send-mail", RefAttr::Arn)],
        resource_type: Some("function".into()),
        unresolved: false,
    };
    let p = generate(
        &a,
        &inference(vec![need("lambda:InvokeFunction", vec![invoke], Confidence::High)]),
    );
    let t = p.snippet(&a).unwrap().text;
    assert!(t.contains("Fn::GetAtt:\n"), "{t}");
    assert!(t.contains("\"SendDashmailLambdaFunction\""), "{t}");

    // Terraform: variables stay variables; bare names get their type.
    let a = with_resources(Format::Terraform, &[("uploads", "aws_s3_bucket")]);
    let p = generate(
        &a,
        &inference(vec![
            need(
                "s3:GetObject",
                vec![object(reference("uploads", RefAttr::Name))],
                Confidence::High,
            ),
            need(
                "dynamodb:GetItem",
                vec![table(reference("var.table_name", RefAttr::Name))],
                Confidence::High,
            ),
        ]),
    );
    let t = p.snippet(&a).unwrap().text;
    assert!(t.contains(":s3:::${aws_s3_bucket.uploads.bucket}/*\""), "{t}");
    assert!(t.contains(":table/${var.table_name}\""), "{t}");
}

#[test]
fn one_resource_with_too_many_actions_is_split_by_actions() {
    let actions: Vec<String> =
        (0..600).map(|i| format!("dynamodb:SomeRatherLongActionName{i:04}")).collect();
    let p = GeneratedPolicy {
        function: FunctionId(0),
        statements: vec![
            PolicyStatement {
                sid: "Small".into(),
                actions: vec!["s3:GetObject".into()],
                resources: vec![object(text("b"))],
            },
            PolicyStatement {
                sid: "Big".into(),
                actions: actions.clone(),
                resources: vec![orders(), table(text("other"))],
            },
        ],
        notes: Vec::new(),
        warnings: Vec::new(),
    };
    let docs = p.iam_documents();
    assert!(docs.len() >= 8, "{}", docs.len());
    for d in &docs {
        assert!(policy_size(d) <= MANAGED_POLICY_LIMIT, "{}", policy_size(d));
    }
    let pairs = all_pairs(&docs);
    assert_eq!(pairs.len(), 1 + 600 * 2);
    assert_eq!(all_pairs(std::slice::from_ref(&p.iam_document())), pairs);
}

//! Generated policies in every format, read back by our own loaders: the
//! snippet must parse, and the role it builds must allow exactly what the
//! function needs, with the references intact.

use faasguard_loaders::LoadOutcome;
use faasguard_model::{App, FunctionId, Role};
use faasguard_privilege::policy::{GeneratedPolicy, generate};
use faasguard_privilege::{
    Confidence, Evidence, IacRef, Inference, Need, NeedSource, Piece, RefAttr, ResourceArn,
};
use faasguard_source::{FileId, SourceDb, SourceFile, Span};

fn text(s: &str) -> Piece {
    Piece::Text(s.into())
}

fn reference(resource: &str, attr: RefAttr) -> Piece {
    Piece::Ref(IacRef { resource: resource.into(), attr })
}

/// `arn:<partition>:<service>:<region>:<account>:<rest>`.
fn arn(service: &str, regional: bool, rest: Vec<Piece>, ty: &str) -> ResourceArn {
    let mut pieces = vec![text("arn:"), Piece::Partition, text(&format!(":{service}:"))];
    if regional {
        pieces.extend([Piece::Region, text(":"), Piece::Account, text(":")]);
    } else {
        pieces.push(text("::"));
    }
    pieces.extend(rest);
    ResourceArn { pieces, resource_type: Some(ty.into()), unresolved: false }
}

fn need(action: &str, resources: Vec<ResourceArn>) -> Need {
    Need {
        action: action.into(),
        resources,
        evidence: vec![Evidence {
            span: Span::file_start(FileId(0)),
            what: "a call".into(),
            source: NeedSource::Code,
            confidence: Confidence::High,
        }],
        confidence: Confidence::High,
    }
}

fn function_id(app: &App, name: &str) -> FunctionId {
    app.functions().find(|(_, f)| f.logical_id == name).map(|(id, _)| id).unwrap()
}

/// Needs of a function that uses a table, a queue and a topic of the app
/// (named as `names` says for the format), a literal bucket and X-Ray.
fn inference(app: &App, function: &str, table: &str, queue: &str, topic: &str) -> Inference {
    Inference {
        function: function_id(app, function),
        needs: vec![
            need(
                "dynamodb:GetItem",
                vec![arn(
                    "dynamodb",
                    true,
                    vec![text("table/"), reference(table, RefAttr::Name)],
                    "table",
                )],
            ),
            need(
                "dynamodb:PutItem",
                vec![arn(
                    "dynamodb",
                    true,
                    vec![text("table/"), reference(table, RefAttr::Name)],
                    "table",
                )],
            ),
            need("s3:GetObject", vec![arn("s3", false, vec![text("orders-archive/*")], "object")]),
            need(
                "sns:Publish",
                vec![ResourceArn {
                    pieces: vec![reference(topic, RefAttr::Arn)],
                    resource_type: Some("topic".into()),
                    unresolved: false,
                }],
            ),
            need(
                "sqs:SendMessage",
                vec![arn("sqs", true, vec![reference(queue, RefAttr::Name)], "queue")],
            ),
            need("xray:PutTraceSegments", vec![ResourceArn::any()]),
        ],
        notes: Vec::new(),
        complete: true,
        code_lines: 20,
    }
}

/// (Sid, actions, resources as the loader reads them) of every statement of
/// every document of a role.
fn statements(role: &Role) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    for p in &role.policies {
        for s in p.document.iter().flat_map(|d| &d.statements) {
            out.push((
                s.sid.clone().unwrap_or_default(),
                s.actions.iter().map(|a| a.value.clone()).collect(),
                s.resources.iter().map(|r| r.value.clone()).collect(),
            ));
        }
    }
    out
}

fn find<'a>(
    got: &'a [(String, Vec<String>, Vec<String>)],
    sid: &str,
) -> &'a (String, Vec<String>, Vec<String>) {
    got.iter().find(|s| s.0 == sid).unwrap_or_else(|| panic!("no statement {sid} in {got:#?}"))
}

fn no_errors(out: &LoadOutcome, text: &str) {
    assert!(out.errors.is_empty(), "{:#?}\n{text}", out.errors);
}

fn indent(snippet: &str, by: usize) -> String {
    snippet
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!("{}{l}\n", " ".repeat(by)) })
        .collect()
}

const SAM: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
  JobsQueue:
    Type: AWS::SQS::Queue
  AlertsTopic:
    Type: AWS::SNS::Topic
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
";

fn load_cfn(path: &str, text: &str) -> LoadOutcome {
    faasguard_loaders::load_file(FileId(0), path, text).expect("an IaC file")
}

fn generated(app: &App, function: &str, names: (&str, &str, &str)) -> GeneratedPolicy {
    let p = generate(app, &inference(app, function, names.0, names.1, names.2));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    p
}

#[test]
fn sam_snippet_is_a_policies_item_that_loads_back() {
    let out = load_cfn("template.yaml", SAM);
    let app = &out.apps[0];
    let p = generated(app, "OrdersFunction", ("OrdersTable", "JobsQueue", "AlertsTopic"));
    let snippet = p.snippet(app).unwrap();
    assert_eq!(snippet.file_name_suffix, ".sam.yaml");
    let template = format!("{SAM}{}", indent(&snippet.text, 6));
    let out = load_cfn("template.yaml", &template);
    no_errors(&out, &template);
    let app = &out.apps[0];
    let role = app.role_of(function_id(app, "OrdersFunction")).unwrap();
    let got = statements(role);
    let table = find(&got, "DynamodbOrdersTable");
    assert_eq!(table.1, ["dynamodb:GetItem", "dynamodb:PutItem"]);
    assert_eq!(
        table.2,
        ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"]
    );
    assert_eq!(
        find(&got, "SqsJobsQueue").2,
        ["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${JobsQueue.QueueName}"]
    );
    // An SNS topic's `Ref` is its ARN.
    assert_eq!(find(&got, "SnsAlertsTopic").2, ["AlertsTopic"]);
    assert_eq!(
        find(&got, "S3OrdersArchiveObject").2,
        ["arn:${AWS::Partition}:s3:::orders-archive/*"]
    );
    assert_eq!(find(&got, "Xray").2, ["*"]);
    // Besides SAM's own AWSLambdaBasicExecutionRole (no Sids).
    assert_eq!(got.iter().filter(|s| !s.0.is_empty()).count(), 5, "{got:#?}");
}

#[test]
fn cloudformation_snippet_is_a_role_policy_that_loads_back() {
    let base = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
  JobsQueue:
    Type: AWS::SQS::Queue
  AlertsTopic:
    Type: AWS::SNS::Topic
  OrdersFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Code:
        ZipFile: 'def handler(e, c): pass'
      Role: !GetAtt OrdersRole.Arn
  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
";
    let out = load_cfn("template.yaml", base);
    let app = &out.apps[0];
    let p = generated(app, "OrdersFunction", ("OrdersTable", "JobsQueue", "AlertsTopic"));
    let snippet = p.snippet(app).unwrap();
    assert_eq!(snippet.file_name_suffix, ".cfn.yaml");
    assert!(
        snippet.text.contains("PolicyName: \"OrdersFunctionLeastPrivilege\""),
        "{}",
        snippet.text
    );
    let template = format!("{base}{}", indent(&snippet.text, 6));
    let out = load_cfn("template.yaml", &template);
    no_errors(&out, &template);
    let app = &out.apps[0];
    let role = app.role_of(function_id(app, "OrdersFunction")).unwrap();
    assert_eq!(role.policies[0].name, "OrdersFunctionLeastPrivilege");
    let got = statements(role);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert_eq!(
        find(&got, "DynamodbOrdersTable").2,
        ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"]
    );
}

#[test]
fn cloudformation_json_templates_get_a_json_snippet() {
    let base = serde_json::json!({
        "Resources": {
            "OrdersTable": { "Type": "AWS::DynamoDB::Table" },
            "JobsQueue": { "Type": "AWS::SQS::Queue" },
            "AlertsTopic": { "Type": "AWS::SNS::Topic" },
            "OrdersFunction": { "Type": "AWS::Lambda::Function", "Properties": {
                "Runtime": "python3.12", "Handler": "app.handler",
                "Code": { "ZipFile": "def handler(e, c): pass" },
                "Role": { "Fn::GetAtt": ["OrdersRole", "Arn"] } } },
            "OrdersRole": { "Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [
                    { "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" } ] } } }
        }
    });
    let text = serde_json::to_string_pretty(&base).unwrap();
    let out = load_cfn("template.json", &text);
    let app = &out.apps[0];
    let p = generated(app, "OrdersFunction", ("OrdersTable", "JobsQueue", "AlertsTopic"));
    let snippet = p.snippet(app).unwrap();
    assert_eq!(snippet.file_name_suffix, ".cfn.json");
    let value: serde_json::Value = serde_json::from_str(&snippet.text).unwrap();
    let mut template = base.clone();
    template["Resources"]["OrdersRole"]["Properties"]["Policies"] = value["Policies"].clone();
    let text = serde_json::to_string_pretty(&template).unwrap();
    let out = load_cfn("template.json", &text);
    no_errors(&out, &text);
    let app = &out.apps[0];
    let got = statements(app.role_of(function_id(app, "OrdersFunction")).unwrap());
    assert_eq!(
        find(&got, "SqsJobsQueue").2,
        ["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${JobsQueue.QueueName}"]
    );
    assert_eq!(find(&got, "SnsAlertsTopic").2, ["AlertsTopic"]);
}

const SERVERLESS: &str = "\
service: orders
provider:
  name: aws
  runtime: python3.12
functions:
  create-order:
    handler: app.handler
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
    JobsQueue:
      Type: AWS::SQS::Queue
    AlertsTopic:
      Type: AWS::SNS::Topic
";

fn load_serverless(text: &str) -> LoadOutcome {
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new("serverless.yml", text));
    faasguard_loader_serverless::load(&db, id)
}

#[test]
fn serverless_snippet_is_provider_iam_statements_that_load_back() {
    let out = load_serverless(SERVERLESS);
    no_errors(&out, SERVERLESS);
    let app = &out.apps[0];
    let p = generated(app, "create-order", ("OrdersTable", "JobsQueue", "AlertsTopic"));
    let snippet = p.snippet(app).unwrap();
    assert_eq!(snippet.file_name_suffix, ".serverless.yml");
    assert!(snippet.text.contains("Fn::Sub:"), "{}", snippet.text);
    assert!(
        snippet.text.contains("Fn::GetAtt:") || snippet.text.contains("Ref:"),
        "{}",
        snippet.text
    );
    // The snippet's `provider:` merges with the service's.
    let (head, rest) = SERVERLESS.split_once("provider:\n").unwrap();
    let body = snippet.text.replacen("provider:\n", "", 1);
    let text = format!("{head}provider:\n{body}{rest}");
    let out = load_serverless(&text);
    no_errors(&out, &text);
    let app = &out.apps[0];
    let role = app.role_of(function_id(app, "create-order")).unwrap();
    let got = statements(role);
    assert_eq!(find(&got, "DynamodbOrdersTable").1, ["dynamodb:GetItem", "dynamodb:PutItem"]);
    assert_eq!(
        find(&got, "DynamodbOrdersTable").2,
        ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"]
    );
    assert_eq!(
        find(&got, "S3OrdersArchiveObject").2,
        ["arn:${AWS::Partition}:s3:::orders-archive/*"]
    );
}

const TERRAFORM: &str = r#"
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_iam_role" "orders" {
  name               = "orders"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = aws_iam_role.orders.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}
"#;

fn load_terraform(text: &str) -> LoadOutcome {
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new("main.tf", text));
    faasguard_loader_terraform::load_module(&db, "", &[id])
}

#[test]
fn terraform_snippet_is_a_policy_document_that_loads_back() {
    let out = load_terraform(TERRAFORM);
    no_errors(&out, TERRAFORM);
    let app = &out.apps[0];
    let p = generated(
        app,
        "orders",
        ("aws_dynamodb_table.orders", "aws_sqs_queue.jobs", "aws_sns_topic.alerts"),
    );
    let snippet = p.snippet(app).unwrap();
    assert_eq!(snippet.file_name_suffix, ".tf");
    let t = &snippet.text;
    assert!(t.contains(r#"data "aws_iam_policy_document" "orders" {"#), "{t}");
    assert!(t.contains(r#"data "aws_partition" "current" {}"#), "{t}");
    assert!(t.contains(r#"data "aws_region" "current" {}"#), "{t}");
    assert!(t.contains(r#"data "aws_caller_identity" "current" {}"#), "{t}");
    assert!(t.contains("resources = [aws_sns_topic.alerts.arn]"), "{t}");
    assert!(t.contains("#     role   = aws_iam_role.orders.id"), "{t}");
    assert!(
        t.contains(
            r#""arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${aws_dynamodb_table.orders.name}""#
        ),
        "{t}"
    );
    let attach = r#"
resource "aws_iam_role_policy" "orders_least_privilege" {
  role   = aws_iam_role.orders.id
  policy = data.aws_iam_policy_document.orders.json
}
"#;
    let text = format!("{TERRAFORM}\n{t}{attach}");
    let out = load_terraform(&text);
    no_errors(&out, &text);
    let app = &out.apps[0];
    let role = app.role_of(function_id(app, "orders")).unwrap();
    let got = statements(role);
    assert_eq!(find(&got, "DynamodbOrdersTable").1, ["dynamodb:GetItem", "dynamodb:PutItem"]);
    assert_eq!(find(&got, "SqsJobsQueue").1, ["sqs:SendMessage"]);
    assert_eq!(find(&got, "Xray").2, ["*"]);
    assert_eq!(got.len(), 5, "{got:#?}");
}

#[test]
fn iam_json_widens_references_only() {
    let out = load_cfn("template.yaml", SAM);
    let app = &out.apps[0];
    let p = generated(app, "OrdersFunction", ("OrdersTable", "JobsQueue", "AlertsTopic"));
    let docs = p.iam_documents();
    assert_eq!(docs.len(), 1);
    let statements = docs[0]["Statement"].as_array().unwrap();
    let by_sid = |sid: &str| statements.iter().find(|s| s["Sid"] == sid).unwrap().clone();
    assert_eq!(
        by_sid("DynamodbOrdersTable")["Resource"],
        serde_json::json!(["arn:aws:dynamodb:*:*:table/*"])
    );
    assert_eq!(
        by_sid("S3OrdersArchiveObject")["Resource"],
        serde_json::json!(["arn:aws:s3:::orders-archive/*"])
    );
    assert_eq!(by_sid("DynamodbOrdersTable")["Effect"], "Allow");
}

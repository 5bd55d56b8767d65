//! Roles from small SAM templates against hand-built inferences: missing,
//! unused and over-broad permissions, and every case where the comparison
//! must stay quiet.

use faasguard_iam::catalog::catalog;
use faasguard_iam::effective::effective;
use faasguard_iam::risk::Level;
use faasguard_model::{App, FunctionId, RoleId};
use faasguard_privilege::compare::{Comparison, UnusedRisk, compare};
use faasguard_privilege::implicit::platform_needs;
use faasguard_privilege::resources::arn_of;
use faasguard_privilege::{Confidence, Evidence, Inference, Need, NeedSource, Piece, ResourceArn};
use faasguard_source::{FileId, Span};

fn load(template: &str) -> App {
    let outcome = faasguard_loaders::load_file(FileId(0), "template.yaml", template)
        .expect("a CloudFormation template");
    assert!(outcome.errors.is_empty(), "{:#?}", outcome.errors);
    outcome.apps.into_iter().next().expect("one app")
}

/// A SAM app: table `Orders` (and `Other`), bucket `Uploads`, function
/// `Fn` whose `Policies` are `policies` (YAML, indented for the list).
fn sam(policies: &str) -> App {
    load(&format!(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
  Other:
    Type: AWS::DynamoDB::Table
  Uploads:
    Type: AWS::S3::Bucket
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
{policies}"
    ))
}

fn function(app: &App, name: &str) -> FunctionId {
    app.functions().find(|(_, f)| f.logical_id == name).map(|(id, _)| id).expect("function")
}

fn role_of(app: &App, f: FunctionId) -> RoleId {
    app.function(f).role.expect("a role")
}

fn evidence(line: usize, what: &str, source: NeedSource) -> Evidence {
    Evidence {
        span: Span::new(FileId(1), line * 10, line * 10 + 5),
        what: what.to_string(),
        source,
        confidence: Confidence::High,
    }
}

fn need(action: &str, resources: Vec<ResourceArn>) -> Need {
    Need {
        action: action.to_string(),
        resources,
        evidence: vec![evidence(3, &format!("call of {action}"), NeedSource::Code)],
        confidence: Confidence::High,
    }
}

fn table(app: &App, id: &str) -> ResourceArn {
    arn_of(app, id).expect("a table ARN")
}

fn objects(app: &App) -> ResourceArn {
    let mut arn = arn_of(app, "Uploads").expect("a bucket ARN");
    arn.pieces.push(Piece::Text("/".into()));
    arn.pieces.push(Piece::Wild);
    arn.resource_type = Some("object".into());
    arn
}

/// The bucket's objects, with a key computed at run time.
fn unresolved(mut arn: ResourceArn) -> ResourceArn {
    arn.unresolved = true;
    arn
}

/// The platform's logging needs, as `AWSLambdaBasicExecutionRole` grants them.
fn logs() -> Vec<Need> {
    ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        .iter()
        .map(|a| Need {
            action: a.to_string(),
            resources: vec![ResourceArn::any()],
            evidence: vec![evidence(1, "Lambda logs to CloudWatch Logs", NeedSource::Platform)],
            confidence: Confidence::High,
        })
        .collect()
}

fn inference(f: FunctionId, mut needs: Vec<Need>, complete: bool) -> Inference {
    needs.sort_by(|a, b| a.action.cmp(&b.action));
    Inference { function: f, needs, notes: Vec::new(), complete, code_lines: 10 }
}

fn run(app: &App, inferences: &[Inference]) -> Comparison {
    let f = inferences.first().map_or(FunctionId(0), |i| i.function);
    let role = role_of(app, f);
    let eff = effective(app.role(role), catalog());
    let refs: Vec<&Inference> = inferences.iter().collect();
    compare(app, role, &eff, &refs)
}

fn missing_actions(c: &Comparison) -> Vec<&str> {
    c.missing.iter().map(|m| m.action.as_str()).collect()
}

#[test]
fn an_action_the_role_lacks_is_missing_with_its_evidence() {
    let app = sam("        - DynamoDBReadPolicy:\n            TableName: !Ref Orders\n");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("dynamodb:GetItem", vec![table(&app, "Orders")]));
    needs.push(need("dynamodb:PutItem", vec![table(&app, "Orders")]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert_eq!(missing_actions(&c), ["dynamodb:PutItem"], "{c:#?}");
    let m = &c.missing[0];
    assert_eq!(m.function, f);
    assert!(!m.granted_elsewhere());
    assert_eq!(m.resources, vec![table(&app, "Orders")]);
    assert_eq!(m.evidence[0].span, Span::new(FileId(1), 30, 35));
    assert!(c.missing_skipped.is_none());
}

#[test]
fn an_action_granted_on_another_table_is_missing_on_the_needed_one() {
    let app = sam("        - DynamoDBCrudPolicy:\n            TableName: !Ref Other\n");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("dynamodb:PutItem", vec![table(&app, "Orders")]));
    let c = run(&app, &[inference(f, needs.clone(), true)]);
    assert_eq!(missing_actions(&c), ["dynamodb:PutItem"], "{c:#?}");
    assert!(c.missing[0].granted_elsewhere());
    assert_eq!(c.missing[0].resources, vec![table(&app, "Orders")]);

    // The same table: nothing missing.
    let app = sam("        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n");
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.missing.is_empty(), "{c:#?}");
}

#[test]
fn literal_arns_in_the_own_account_and_region_cover_references() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: [dynamodb:PutItem, dynamodb:GetItem]
              Resource: arn:aws:dynamodb:us-east-1:123456789012:table/*
");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("dynamodb:PutItem", vec![table(&app, "Orders")]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.missing.is_empty(), "{c:#?}");
    // Every table of the account for one table: over-broad.
    assert_eq!(c.over_broad.len(), 1, "{c:#?}");
    assert_eq!(c.over_broad[0].actions, ["dynamodb:PutItem"]);
}

#[test]
fn unresolved_values_never_make_a_permission_missing() {
    // The policy's resource is imported: it may be anything.
    let app = sam("        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: !ImportValue SharedBucketObjects
");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("s3:GetObject", vec![objects(&app)]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.missing.is_empty(), "{c:#?}");

    // The need's bucket is computed at run time: a grant on some bucket may be it.
    let app = sam("        - S3ReadPolicy:\n            BucketName: !Ref Uploads\n");
    let any_bucket = unresolved(ResourceArn {
        pieces: vec![
            Piece::Text("arn:".into()),
            Piece::Partition,
            Piece::Text(":s3:::".into()),
            Piece::Wild,
        ],
        resource_type: Some("object".into()),
        unresolved: true,
    });
    let mut needs = logs();
    needs.push(need("s3:GetObject", vec![any_bucket.clone()]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.missing.is_empty(), "{c:#?}");
    // ... and no over-broad either: `*` may be the honest answer.
    assert!(c.over_broad.is_empty(), "{c:#?}");
}

#[test]
fn low_confidence_needs_are_never_missing() {
    let app = sam("        - DynamoDBReadPolicy:\n            TableName: !Ref Orders\n");
    let f = function(&app, "Fn");
    let mut needs = logs();
    let mut n = need("dynamodb:ExecuteStatement", vec![table(&app, "Orders")]);
    n.confidence = Confidence::Low;
    needs.push(n);
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.missing.is_empty(), "{c:#?}");
}

#[test]
fn conditional_grants_count_as_granted() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: dynamodb:PutItem
              Resource: !GetAtt Orders.Arn
              Condition:
                StringEquals:
                  aws:RequestedRegion: eu-west-1
");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("dynamodb:PutItem", vec![table(&app, "Orders")]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.missing.is_empty(), "{c:#?}");
    assert_eq!(c.conditional.len(), 1);
    assert_eq!(c.conditional[0].action, "dynamodb:PutItem");
}

#[test]
fn a_policy_whose_document_is_unknown_stops_missing() {
    let app = sam("        - arn:aws:iam::123456789012:policy/TeamPolicy\n");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("dynamodb:PutItem", vec![table(&app, "Orders")]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.missing.is_empty(), "{c:#?}");
    assert!(c.missing_skipped.as_deref().is_some_and(|w| w.contains("TeamPolicy")));
}

#[test]
fn unused_actions_are_grouped_per_statement_with_the_worst_risk() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: s3:*
              Resource: !Sub \"${Uploads.Arn}/*\"
            - Effect: Allow
              Action: dynamodb:DescribeTable
              Resource: !GetAtt Orders.Arn
");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("s3:GetObject", vec![objects(&app)]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.unused_skipped.is_none(), "{c:#?}");
    assert_eq!(c.unused.len(), 2, "{:#?}", c.unused);
    let s3 =
        c.unused.iter().find(|u| u.actions.iter().any(|a| a.action.starts_with("s3:"))).unwrap();
    assert!(!s3.actions.iter().any(|a| a.action == "s3:GetObject"));
    assert!(s3.actions.iter().any(|a| a.action == "s3:DeleteObject"));
    // Object ACLs change who may read the data.
    assert_eq!(s3.worst(), Some(UnusedRisk::PermissionsManagement));
    assert_eq!(s3.worst().map(UnusedRisk::level), Some(Level::High));
    let summary = s3.summary();
    assert!(summary.starts_with("`s3:*` except `s3:GetObject` ("), "{summary}");
    assert!(summary.ends_with(" actions)"), "{summary}");
    let dynamo = c.unused.iter().find(|u| !std::ptr::eq(*u, s3)).unwrap();
    assert_eq!(dynamo.summary(), "`dynamodb:DescribeTable`");
    assert_eq!(dynamo.worst(), Some(UnusedRisk::Read));
    assert_eq!(dynamo.worst().map(UnusedRisk::level), Some(Level::Low));
    // The logging actions of the managed policy are needed by the platform.
    assert!(!c.unused.iter().flat_map(|u| &u.actions).any(|a| a.action.starts_with("logs:")));

    // An exclusions file vouching for the table read leaves nothing there.
    let mut d = dynamo.clone();
    assert!(!d.retain_actions(|a| a != "dynamodb:DescribeTable"));
}

#[test]
fn unused_needs_every_function_analysed_completely() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: [s3:GetObject, s3:PutObject]
              Resource: !Sub \"${Uploads.Arn}/*\"
");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("s3:GetObject", vec![objects(&app)]));
    let c = run(&app, &[inference(f, needs.clone(), false)]);
    assert!(c.unused.is_empty(), "{c:#?}");
    assert!(c.unused_skipped.as_deref().is_some_and(|w| w.contains("`Fn`")));

    let c = run(&app, &[inference(f, needs.clone(), true)]);
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert_eq!(c.unused[0].summary(), "`s3:PutObject`");
    assert_eq!(c.unused[0].worst(), Some(UnusedRisk::Write));

    // A low-confidence need still counts as a use.
    let mut put = need("s3:PutObject", vec![objects(&app)]);
    put.confidence = Confidence::Low;
    needs.push(put);
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.unused.is_empty(), "{c:#?}");
}

#[test]
fn unused_escalation_methods_are_the_worst() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
              Resource: \"*\"
");
    let f = function(&app, "Fn");
    let c = run(&app, &[inference(f, logs(), true)]);
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert_eq!(c.unused[0].worst(), Some(UnusedRisk::PrivilegeEscalation));
    assert_eq!(c.unused[0].actions.len(), 3);
}

#[test]
fn roles_others_may_assume_are_not_judged_unused() {
    let app = load(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Shared:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: [lambda.amazonaws.com, states.amazonaws.com]
            Action: sts:AssumeRole
      Policies:
        - PolicyName: work
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [sqs:SendMessage, sns:Publish]
                Resource: \"*\"
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Role: !GetAtt Shared.Arn
",
    );
    let f = function(&app, "Fn");
    let c = run(&app, &[inference(f, Vec::new(), true)]);
    assert!(c.unused.is_empty(), "{c:#?}");
    assert!(c.unused_skipped.as_deref().is_some_and(|w| w.contains("other than Lambda")));
}

#[test]
fn over_broad_needs_resolved_resources_and_an_unconditional_wide_grant() {
    let star = "        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem]
              Resource: \"*\"
";
    let app = sam(star);
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("dynamodb:GetItem", vec![table(&app, "Orders")]));
    needs.push(need("dynamodb:PutItem", vec![table(&app, "Orders")]));
    let c = run(&app, &[inference(f, needs.clone(), true)]);
    assert_eq!(c.over_broad.len(), 1, "{c:#?}");
    let o = &c.over_broad[0];
    assert_eq!(o.actions, ["dynamodb:GetItem", "dynamodb:PutItem"]);
    assert_eq!(o.needed, vec![table(&app, "Orders")]);
    assert_eq!(o.functions, vec![f]);
    assert_eq!(o.granted.len(), 1);
    assert_eq!(o.granted[0].value, "*");
    assert!(!o.evidence.is_empty());
    // Granted, so not missing; needed, so not unused.
    assert!(c.missing.is_empty() && c.unused.is_empty(), "{c:#?}");

    // Scoped to the table: fine.
    let app = sam("        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem]
              Resource: !GetAtt Orders.Arn
");
    let c = run(&app, &[inference(f, needs.clone(), true)]);
    assert!(c.over_broad.is_empty() && c.missing.is_empty(), "{c:#?}");

    // A name pattern narrower than every table: fine.
    let app = sam(
        "        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem]
              Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}*
",
    );
    let c = run(&app, &[inference(f, needs.clone(), true)]);
    assert!(c.over_broad.is_empty(), "{c:#?}");

    // Under a condition: the condition may narrow it.
    let app = sam(&format!(
        "{star}              Condition:\n                StringEquals:\n                  aws:ResourceTag/app: orders\n"
    ));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.over_broad.is_empty(), "{c:#?}");
}

#[test]
fn shared_roles_compare_every_function() {
    let app = load(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
  Shared:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
      Policies:
        - PolicyName: work
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:DeleteItem]
                Resource: !GetAtt Orders.Arn
  Reader:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/, Role: !GetAtt Shared.Arn}
  Writer:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/, Role: !GetAtt Shared.Arn}
",
    );
    let (r, w) = (function(&app, "Reader"), function(&app, "Writer"));
    let orders = table(&app, "Orders");
    let mut reads = logs();
    reads.push(need("dynamodb:GetItem", vec![orders.clone()]));
    let mut writes = logs();
    writes.push(need("dynamodb:PutItem", vec![orders]));
    let both = [inference(r, reads.clone(), true), inference(w, writes, true)];
    let c = run(&app, &both);
    assert!(c.missing.is_empty(), "{c:#?}");
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert_eq!(c.unused[0].summary(), "`dynamodb:DeleteItem`");

    // One function alone is not the role's whole use.
    let role = role_of(&app, r);
    let eff = effective(app.role(role), catalog());
    let only = inference(r, reads, true);
    let c = compare(&app, role, &eff, &[&only]);
    assert!(c.unused.is_empty(), "{c:#?}");
    assert!(c.unused_skipped.is_some());
}

#[test]
fn reading_everything_is_exfiltration_reading_ones_own_is_a_read() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: [secretsmanager:GetSecretValue, s3:GetObject]
              Resource: \"*\"
");
    let f = function(&app, "Fn");
    let c = run(&app, &[inference(f, logs(), true)]);
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert_eq!(c.unused[0].worst(), Some(UnusedRisk::DataExfiltration));
    assert_eq!(c.unused[0].summary(), "`secretsmanager:GetSecretValue` and `s3:GetObject`");

    let app = sam("        - S3ReadPolicy:\n            BucketName: !Ref Uploads\n");
    let c = run(&app, &[inference(f, logs(), true)]);
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert_eq!(c.unused[0].worst(), Some(UnusedRisk::Read), "{c:#?}");
}

#[test]
fn what_the_platform_needs_is_never_over_broad() {
    // `AWSLambdaBasicExecutionRole` grants logging on `*`; the function's
    // own log group is known, yet that is AWS's policy, not the author's.
    let app = sam("        - DynamoDBReadPolicy:\n            TableName: !Ref Orders\n");
    let f = function(&app, "Fn");
    let group = ResourceArn {
        pieces: vec![
            Piece::Text("arn:".into()),
            Piece::Partition,
            Piece::Text(":logs:".into()),
            Piece::Region,
            Piece::Text(":".into()),
            Piece::Account,
            Piece::Text(":log-group:/aws/lambda/fn".into()),
        ],
        resource_type: Some("log-group".into()),
        unresolved: false,
    };
    let mut needs = logs();
    for n in &mut needs {
        n.resources = vec![group.clone()];
    }
    needs.push(need("dynamodb:GetItem", vec![table(&app, "Orders")]));
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.over_broad.is_empty(), "{c:#?}");
    assert!(c.missing.is_empty(), "{c:#?}");
}

#[test]
fn framework_statements_are_not_the_authors_to_trim() {
    let yml = "service: jobs
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [sqs:SendMessage, sqs:DeleteQueue]
          Resource:
            Fn::GetAtt: [JobsQueue, Arn]
functions:
  enqueue:
    handler: handler.enqueue
resources:
  Resources:
    JobsQueue:
      Type: AWS::SQS::Queue
";
    let mut db = faasguard_source::SourceDb::new();
    let id = db.add(faasguard_source::SourceFile::new("serverless.yml", yml));
    let outcome = faasguard_loader_serverless::load(&db, id);
    assert!(outcome.errors.is_empty(), "{:#?}", outcome.errors);
    let app = &outcome.apps[0];
    let f = function(app, "enqueue");
    let queue = arn_of(app, "JobsQueue").expect("a queue ARN");
    let mut needs = vec![need("sqs:SendMessage", vec![queue])];
    // The generated role's log statements name the service's log groups.
    for n in logs() {
        needs.push(Need { resources: vec![ResourceArn::any()], ..n });
    }
    let c = run(app, &[inference(f, needs, true)]);
    let unused: Vec<&str> =
        c.unused.iter().flat_map(|u| &u.actions).map(|a| a.action.as_str()).collect();
    // `logs:TagResource` is the Framework's, not the author's.
    assert_eq!(unused, ["sqs:DeleteQueue"], "{c:#?}");
}

#[test]
fn dependent_actions_of_a_need_are_used() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: [scheduler:CreateSchedule, scheduler:GetSchedule, iam:PassRole]
              Resource: \"*\"
");
    let f = function(&app, "Fn");
    let mut needs = logs();
    needs.push(need("scheduler:CreateSchedule", vec![ResourceArn::any()]));
    let c = run(&app, &[inference(f, needs, true)]);
    let unused: Vec<&str> =
        c.unused.iter().flat_map(|u| &u.actions).map(|a| a.action.as_str()).collect();
    // AWS checks `iam:PassRole` when a schedule is created with a role.
    assert_eq!(unused, ["scheduler:GetSchedule"], "{c:#?}");
}

#[test]
fn not_action_statements_are_summarised_by_what_they_leave_out() {
    let app = sam("        - Statement:
            - Effect: Allow
              NotAction: [iam:*, organizations:*]
              Resource: \"*\"
");
    let f = function(&app, "Fn");
    let c = run(&app, &[inference(f, logs(), true)]);
    let u = c.unused.iter().find(|u| u.summary().starts_with("every action but")).expect("{c:#?}");
    assert!(
        u.summary().starts_with("every action but `iam:*` and `organizations:*` ("),
        "{}",
        u.summary()
    );
    assert!(u.actions.len() > 10_000);
    assert!(!u.actions.iter().any(|a| a.action.starts_with("iam:")));
}

/// What the platform needs for each function of `app`, as the inference
/// of a function whose code makes no call.
fn platform(app: &App, f: FunctionId) -> Inference {
    inference(f, platform_needs(app, f), true)
}

fn load_serverless(yml: &str) -> App {
    let mut db = faasguard_source::SourceDb::new();
    let id = db.add(faasguard_source::SourceFile::new("serverless.yml", yml));
    let outcome = faasguard_loader_serverless::load(&db, id);
    assert!(outcome.errors.is_empty(), "{:#?}", outcome.errors);
    outcome.apps.into_iter().next().expect("one app")
}

fn load_terraform(tf: &str) -> App {
    let mut db = faasguard_source::SourceDb::new();
    let id = db.add(faasguard_source::SourceFile::new("main.tf", tf));
    let outcome = faasguard_loader_terraform::load_module(&db, "", &[id]);
    assert!(outcome.errors.is_empty(), "{:#?}", outcome.errors);
    outcome.apps.into_iter().next().expect("one app")
}

#[test]
fn the_serverless_frameworks_log_statements_cover_its_functions_logs() {
    // `examples/least-privilege/javascript-v2`, reduced: the generated
    // role grants `log-group:/aws/lambda/media-thumbnails-prod*:*` and
    // `...prod*:*:*`, as `${AWS::Partition}` templates.
    let app = load_serverless(
        "service: media-thumbnails
provider:
  name: aws
  runtime: nodejs20.x
  stage: prod
  region: eu-west-1
  iam:
    role:
      statements:
        - Effect: Allow
          Action: s3:GetObject
          Resource: arn:aws:s3:::media-thumbnails-uploads/*
functions:
  resize:
    handler: src/resize.handler
  listThumbnails:
    handler: src/list.handler
",
    );
    let inferences: Vec<Inference> = app.functions().map(|(f, _)| platform(&app, f)).collect();
    let needs = &inferences[0].needs;
    assert!(needs.iter().any(|n| n.action == "logs:CreateLogStream"), "{needs:#?}");
    let c = run(&app, &inferences);
    assert!(c.missing.is_empty(), "{:#?}", c.missing);
    assert!(c.missing_skipped.is_none(), "{c:#?}");
    // The Framework's own statements are not the author's to trim.
    assert!(c.unused.iter().all(|u| u.actions.iter().all(|a| a.action != "logs:TagResource")));
}

#[test]
fn serverless_functions_need_no_log_group_creation_with_a_custom_role() {
    // The Framework creates every function's log group in the stack, so a
    // custom role without `logs:CreateLogGroup` loses no logs; the streams
    // are still needed.
    let app = load_serverless(
        "service: jobs
provider:
  name: aws
  runtime: python3.12
  iam:
    role: WorkerRole
functions:
  work:
    handler: handler.work
resources:
  Resources:
    WorkerRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {Service: lambda.amazonaws.com}
              Action: sts:AssumeRole
        Policies:
          - PolicyName: logs
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Action: logs:CreateLogStream
                  Resource: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/jobs-dev-work:*
",
    );
    let f = function(&app, "work");
    let i = platform(&app, f);
    let create = i.needs.iter().find(|n| n.action == "logs:CreateLogGroup").expect("a need");
    assert_eq!(create.confidence, Confidence::Low);
    let c = run(&app, &[i]);
    assert_eq!(missing_actions(&c), ["logs:PutLogEvents"], "{c:#?}");
}

#[test]
fn a_functions_own_log_group_is_its_log_destination() {
    // `!GetAtt Group.Arn` of a group named after the function: the same
    // group as the one Lambda writes to (and CloudFormation's `Arn` of a
    // log group ends in `:*`, which covers its streams).
    for (function_name, group_name) in [
        ("", "!Sub /aws/lambda/${Fn}"),
        ("      FunctionName: orders-api\n", "/aws/lambda/orders-api"),
        ("      FunctionName: orders-api\n", "!Sub /aws/lambda/${Fn}"),
        (
            "      FunctionName: !Sub ${AWS::StackName}-api\n",
            "!Sub /aws/lambda/${AWS::StackName}-api",
        ),
    ] {
        let app = load(&format!(
            "Transform: AWS::Serverless-2016-10-31
Resources:
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: {group_name}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
{function_name}      Role: !GetAtt Role.Arn
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [logs:CreateLogStream, logs:PutLogEvents]
                Resource: !GetAtt Group.Arn
"
        ));
        let f = function(&app, "Fn");
        let c = run(&app, &[platform(&app, f)]);
        assert!(c.missing.is_empty(), "{function_name} {group_name}: {:#?}", c.missing);
        assert!(c.unused.is_empty(), "{function_name} {group_name}: {:#?}", c.unused);
    }
}

#[test]
fn another_log_group_is_not_the_functions() {
    let app = load(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Audit:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /app/${AWS::StackName}/audit
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Role: !GetAtt Role.Arn
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents]
                Resource: !GetAtt Audit.Arn
",
    );
    let f = function(&app, "Fn");
    let c = run(&app, &[platform(&app, f)]);
    assert_eq!(
        missing_actions(&c),
        ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        "{c:#?}"
    );
    assert!(c.missing.iter().all(|m| m.granted_elsewhere()));
}

const TF_FUNCTION: &str = r#"
variable "name" {}

resource "aws_iam_role" "role" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = var.name
  role          = aws_iam_role.role.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "worker.zip"
}
"#;

fn terraform_logs(group_name: &str, resource: &str) -> App {
    load_terraform(&format!(
        r#"{TF_FUNCTION}
resource "aws_cloudwatch_log_group" "logs" {{
  name = "{group_name}"
}}

resource "aws_iam_role_policy" "logs" {{
  role = aws_iam_role.role.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = {resource}
    }}]
  }})
}}
"#
    ))
}

#[test]
fn terraform_log_groups_named_after_the_function_are_its_own() {
    for group in
        ["/aws/lambda/${aws_lambda_function.worker.function_name}", "/aws/lambda/${var.name}"]
    {
        let app = terraform_logs(group, r#"["${aws_cloudwatch_log_group.logs.arn}:*"]"#);
        let f = function(&app, "worker");
        let i = platform(&app, f);
        let create = i.needs.iter().find(|n| n.action == "logs:CreateLogGroup").expect("a need");
        assert_eq!(create.confidence, Confidence::Low, "{group}");
        let c = run(&app, &[i]);
        assert!(c.missing.is_empty(), "{group}: {:#?}", c.missing);

        // Terraform's `arn` of a log group has no `:*`: the streams are
        // not granted, a well-known way to lose a function's logs.
        let app = terraform_logs(group, "[aws_cloudwatch_log_group.logs.arn]");
        let c = run(&app, &[platform(&app, f)]);
        assert_eq!(missing_actions(&c), ["logs:CreateLogStream", "logs:PutLogEvents"], "{group}");
    }
}

#[test]
fn each_unused_action_is_told_under_the_policy_granting_it() {
    // SAM attaches `AWSLambdaBasicExecutionRole` and, for `Tracing:
    // Active`, `AWSXrayWriteOnlyAccess` at the function: one span, two
    // policies.
    let app = load(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Tracing: Active
",
    );
    let f = function(&app, "Fn");
    let traces: Vec<Need> = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        .iter()
        .map(|a| need(a, vec![ResourceArn::any()]))
        .collect();
    let c = run(&app, &[inference(f, traces.clone(), true)]);
    let by_policy: Vec<(&str, Vec<&str>)> = c
        .unused
        .iter()
        .map(|u| {
            let name = u.policy.rsplit('/').next().unwrap_or("");
            (name, u.actions.iter().map(|a| a.action.as_str()).collect())
        })
        .collect();
    assert_eq!(by_policy.len(), 2, "{by_policy:#?}");
    for (policy, actions) in &by_policy {
        let prefix = if *policy == "AWSXrayWriteOnlyAccess" { "xray:GetSampling" } else { "logs:" };
        assert!(actions.iter().all(|a| a.starts_with(prefix)), "{policy}: {actions:?}");
    }
    assert_eq!(c.unused[0].statement, c.unused[1].statement);

    // With the logs used, only the X-Ray policy is left, under its name.
    let mut needs = logs();
    needs.extend(traces);
    let c = run(&app, &[inference(f, needs, true)]);
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert!(c.unused[0].policy.ends_with("AWSXrayWriteOnlyAccess"), "{c:#?}");
    assert_eq!(
        c.unused[0].summary(),
        "`xray:GetSamplingRules`, `xray:GetSamplingTargets` and `xray:GetSamplingStatisticSummaries`"
    );
}

#[test]
fn a_known_bucket_narrows_objects_whose_key_is_unknown() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action: [s3:GetObject, s3:PutObject]
              Resource: \"*\"
");
    let f = function(&app, "Fn");
    let bucket = |name: Piece, key: &[Piece]| {
        let mut pieces =
            vec![Piece::Text("arn:".into()), Piece::Partition, Piece::Text(":s3:::".into()), name];
        pieces.push(Piece::Text("/".into()));
        pieces.extend(key.iter().cloned());
        ResourceArn { pieces, resource_type: Some("object".into()), unresolved: true }
    };
    let uploads = arn_of(&app, "Uploads").expect("a bucket").pieces.pop().expect("its name");
    // The key read from the event, in the app's bucket: `*` is over-broad.
    let get = need("s3:GetObject", vec![bucket(uploads.clone(), &[Piece::Wild])]);
    // `reports/${month}/sales.csv`, in a named bucket, found with low confidence.
    let mut put = need(
        "s3:PutObject",
        vec![bucket(
            Piece::Text("acme-reports".into()),
            &[Piece::Text("reports/".into()), Piece::Wild, Piece::Text("/sales.csv".into())],
        )],
    );
    put.confidence = Confidence::Low;
    let mut needs = logs();
    needs.extend([get, put]);
    let c = run(&app, &[inference(f, needs, true)]);
    assert_eq!(c.over_broad.len(), 1, "{c:#?}");
    assert_eq!(c.over_broad[0].actions, ["s3:GetObject", "s3:PutObject"]);

    // A bucket read at run time: `*` may be the honest answer, whatever the key.
    let anywhere =
        need("s3:GetObject", vec![bucket(Piece::Wild, &[Piece::Text("reports/sales.csv".into())])]);
    let mut needs = logs();
    needs.push(anywhere);
    let c = run(&app, &[inference(f, needs, true)]);
    assert!(c.over_broad.is_empty(), "{c:#?}");
}

#[test]
fn the_classic_vpc_actions_are_enough() {
    let app = sam("        - Statement:
            - Effect: Allow
              Action:
                - ec2:CreateNetworkInterface
                - ec2:DescribeNetworkInterfaces
                - ec2:DeleteNetworkInterface
              Resource: \"*\"
      VpcConfig:
        SecurityGroupIds: [sg-0123456789abcdef0]
        SubnetIds: [subnet-0123456789abcdef0]
");
    let f = function(&app, "Fn");
    let i = platform(&app, f);
    assert!(i.needs.iter().any(|n| n.action == "ec2:DescribeSubnets"), "{:#?}", i.needs);
    let c = run(&app, &[i]);
    assert!(c.missing.is_empty(), "{:#?}", c.missing);
}

#[test]
fn sams_destination_policies_are_not_called_missing() {
    // SAM adds an inline `sqs:SendMessage` policy for a typed `OnFailure`
    // destination to the role it generates; a role of the author's own
    // gets nothing.
    for (role, missing) in [("", false), ("      Role: !GetAtt Own.Arn\n", true)] {
        let app = load(&format!(
            "Transform: AWS::Serverless-2016-10-31
Resources:
  Failures:
    Type: AWS::SQS::Queue
  Own:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
{role}      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: !GetAtt Failures.Arn
"
        ));
        let f = function(&app, "Fn");
        let c = run(&app, &[platform(&app, f)]);
        let expected: &[&str] = if missing { &["sqs:SendMessage"] } else { &[] };
        assert_eq!(missing_actions(&c), expected, "{role}: {c:#?}");
    }
}

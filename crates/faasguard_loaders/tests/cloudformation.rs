//! The CloudFormation/SAM loader against small fixture templates
//! (`tests/fixtures/cloudformation/`): the model it builds, the origins and
//! spans of its values, and the errors it reports for broken input.

use faasguard_loaders::{LoadOutcome, load_file};
use faasguard_model::{
    App, Code, Effect, Function, Origin, PolicySource, Principal, RouteAuth, TriggerKind,
    ValueSource,
};
use faasguard_source::{FileId, Span};
use faasguard_syntax::ParseErrorKind;

fn fixture(name: &str) -> (String, LoadOutcome) {
    let path = format!("{}/tests/fixtures/cloudformation/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let outcome = load_file(FileId(0), name, &text).expect("recognised as a template");
    (text, outcome)
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize).expect("span inside the file")
}

fn app(outcome: &LoadOutcome) -> &App {
    outcome.apps.first().expect("one app")
}

fn function<'a>(app: &'a App, id: &str) -> &'a Function {
    app.functions.iter().find(|f| f.logical_id == id).expect("function exists")
}

fn env<'a>(f: &'a Function, name: &str) -> &'a faasguard_model::EnvVar {
    f.environment.iter().find(|e| e.name == name).expect("env var exists")
}

fn route<'a>(app: &'a App, path: &str) -> &'a faasguard_model::HttpRoute {
    app.triggers
        .iter()
        .find_map(|t| match &t.kind {
            TriggerKind::HttpRoute(r) if r.path == path => Some(r),
            _ => None,
        })
        .expect("route exists")
}

#[test]
fn sam_function_fields_globals_and_intrinsics() {
    let (text, outcome) = fixture("sam_app.yaml");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.format, faasguard_model::Format::Sam);
    let app = app(&outcome);
    let f = function(app, "ApiFunction");

    // Globals: inherited runtime, the function's own timeout wins.
    let runtime = f.runtime.as_ref().expect("runtime from Globals");
    assert_eq!(runtime.value, "python3.12");
    assert_eq!(slice(&text, runtime.span), "python3.12");
    assert_eq!(f.timeout_s.as_ref().map(|t| t.value), Some(30));
    assert_eq!(env(f, "GLOBAL_VAR").value.value, "from-globals");
    assert_eq!(env(f, "OVERRIDDEN").value.value, "local");
    assert_eq!(f.layers.len(), 1, "Layers from Globals");

    // FindInMap keyed by a parameter default, located at the FindInMap.
    let mem = f.memory_mb.as_ref().expect("memory");
    assert_eq!(mem.value, 1024);
    assert!(slice(&text, mem.span).starts_with("!FindInMap"));

    // Dynamic references, imports, parameters without defaults.
    let secret = env(f, "DB_PASSWORD");
    assert_eq!(secret.source, ValueSource::SecretStore);
    assert_eq!(secret.value.origin, Origin::Unresolved);
    assert_eq!(slice(&text, secret.name_span), "DB_PASSWORD");
    let import = env(f, "SHARED_ROLE");
    assert_eq!(import.value.origin, Origin::Unresolved);
    assert_eq!(import.value.value, "${ImportValue:SharedRoleArn}");
    assert_eq!(env(f, "TABLE").value.origin, Origin::Unresolved);
    assert_eq!(env(f, "TABLE").source, ValueSource::Reference);

    // Sub, both forms; pseudo parameters stay placeholders.
    let arn = &env(f, "BUCKET_ARN").value;
    assert_eq!(arn.value, "arn:${AWS::Partition}:s3:::${Bucket}/*");
    assert_eq!(arn.origin, Origin::Unresolved);
    let greeting = &env(f, "GREETING").value;
    assert_eq!(
        (greeting.value.as_str(), greeting.origin),
        ("hello world in prod", Origin::Explicit)
    );
    assert!(slice(&text, greeting.span).starts_with("!Sub"));

    // Conditions from defaults; unknowable ones are not guessed.
    assert_eq!(env(f, "LEVEL").value.value, "warn");
    assert_eq!(env(f, "REGION_MODE").value.origin, Origin::Unresolved);
    assert_eq!(env(f, "FIRST_SUBNET").value.value, "subnet-a");
    assert_eq!(env(f, "JOINED").value.value, "a-prod-c");

    // The resource whose condition is false is not loaded.
    assert!(app.resources.iter().all(|r| r.logical_id != "DevOnly"));
    assert!(app.notes.iter().any(|n| n.message.contains("DevOnly")));

    assert_eq!(f.tracing.as_ref().map(|t| t.value.as_str()), Some("Active"));
    assert!(matches!(&f.code, Some(Code::Location(v)) if v.value == "src/"));
    let url = f.url.as_ref().expect("function URL");
    assert!(url.is_public());
    assert_eq!(slice(&text, url.auth_type.span), "NONE");

    let explicit = function(app, "ExplicitRoleFunction");
    assert!(matches!(&explicit.code, Some(Code::Inline(_))));
    let dlq = explicit.dead_letter.as_ref().expect("DLQ");
    assert_eq!(slice(&text, dlq.span), "!GetAtt Queue.Arn");
}

#[test]
fn sam_generated_role_expands_policy_templates() {
    let (text, outcome) = fixture("sam_app.yaml");
    let app = app(&outcome);
    let (fid, f) = app.functions().find(|(_, f)| f.logical_id == "ApiFunction").expect("fn");
    let role = app.role_of(fid).expect("generated role");
    assert!(role.generated);
    assert_eq!(role.logical_id, "ApiFunctionRole");
    assert_eq!(f.role_ref.as_ref().map(|r| r.origin), Some(Origin::Default));
    let names: Vec<&str> = role.policies.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));
    assert!(names.contains(&"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"), "Tracing: Active");
    assert!(names.iter().any(|n| n.ends_with("AWSLambdaSQSQueueExecutionRole")), "SQS event");

    let s3 = role.policies.iter().find(|p| p.name == "S3ReadPolicy").expect("template");
    assert_eq!(s3.source, PolicySource::SamTemplate);
    assert!(slice(&text, s3.span).starts_with("S3ReadPolicy"));
    let doc = s3.document.as_ref().expect("expanded");
    let resources: Vec<&str> =
        doc.statements[0].resources.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(
        resources,
        vec!["arn:${AWS::Partition}:s3:::${Bucket}", "arn:${AWS::Partition}:s3:::${Bucket}/*"]
    );
    assert!(doc.statements[0].actions.iter().any(|a| a.value == "s3:GetObject"));

    let managed =
        role.policies.iter().find(|p| p.name == "AmazonDynamoDBReadOnlyAccess").expect("managed");
    assert_eq!(managed.source, PolicySource::AwsManaged);
    assert!(managed.document.as_ref().is_some_and(|d| !d.statements.is_empty()));

    let inline = role.policies.iter().find(|p| p.source == PolicySource::Inline).expect("inline");
    let st = &inline.document.as_ref().expect("doc").statements[0];
    assert_eq!(slice(&text, st.actions[0].span), "sqs:SendMessage");

    // Explicit role with an AWS managed ARN built with `${AWS::Partition}`.
    let (eid, _) =
        app.functions().find(|(_, f)| f.logical_id == "ExplicitRoleFunction").expect("fn");
    let erole = app.role_of(eid).expect("explicit role followed");
    assert!(!erole.generated);
    let admin = &erole.policies[0];
    assert_eq!(admin.source, PolicySource::AwsManaged);
    let st = &admin.document.as_ref().expect("AdministratorAccess document").statements[0];
    assert_eq!(st.actions[0].value, "*");
    assert_eq!(st.effect.value, Effect::Allow);
}

#[test]
fn sam_routes_default_authorizer_and_none_override() {
    let (text, outcome) = fixture("sam_app.yaml");
    let app = app(&outcome);
    let secured = route(app, "/items");
    assert_eq!(secured.auth.value, RouteAuth::Authorizer("CognitoAuth".into()));
    assert_eq!(slice(&text, secured.auth.span), "CognitoAuth");
    let open = route(app, "/health");
    assert!(open.auth.is_none());
    assert_eq!(open.auth.origin, Origin::Explicit);
    assert_eq!(slice(&text, open.auth.span), "NONE");
    let implicit = route(app, "/implicit");
    assert!(implicit.auth.is_none());
    assert_eq!(implicit.auth.origin, Origin::Default);
    let implicit_api = app.api(implicit.api.expect("implicit api"));
    assert_eq!(implicit_api.logical_id, "ServerlessRestApi");
    assert!(implicit_api.generated);
    let http = route(app, "/http");
    assert_eq!(http.method, "GET");
    assert_eq!(app.api(http.api.expect("api")).logical_id, "ServerlessHttpApi");

    let my_api = app.apis.iter().find(|a| a.logical_id == "MyApi").expect("MyApi");
    let stage = &my_api.stages[0];
    assert_eq!(stage.name.value, "v1");
    assert_eq!(stage.tracing.as_ref().map(|t| t.value), Some(true));
    assert_eq!(slice(&text, stage.access_log.as_ref().expect("log").span), "!GetAtt ApiLogs.Arn");

    let kinds: Vec<&TriggerKind> = app.triggers.iter().map(|t| &t.kind).collect();
    assert!(kinds.iter().any(|k| matches!(k, TriggerKind::Sqs { .. })));
    assert!(kinds.iter().any(
        |k| matches!(k, TriggerKind::Schedule { expression } if expression.value == "rate(1 day)")
    ));
}

#[test]
fn openapi_security_decides_route_auth() {
    let (_, outcome) = fixture("sam_openapi.yaml");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let app = app(&outcome);
    let public = route(app, "/public");
    assert!(public.auth.is_none(), "no security anywhere: open");
    let disabled = route(app, "/disabled");
    assert!(disabled.auth.is_none());
    assert_eq!(disabled.auth.origin, Origin::Explicit);
    assert_eq!(route(app, "/private").auth.value, RouteAuth::Authorizer("MyAuth".into()));
    let f = function(app, "Handler");
    assert!(matches!(&f.code, Some(Code::Location(v)) if v.value == "s3://bucket/key.zip"));
}

#[test]
fn raw_lambda_function_role_and_relations() {
    let (text, outcome) = fixture("raw_lambda.yaml");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.format, faasguard_model::Format::CloudFormation);
    let app = app(&outcome);
    let (fid, f) = app.functions().next().expect("one function");
    assert_eq!(f.name.as_ref().map(|n| n.value.as_str()), Some("orders-dev"));
    assert_eq!(f.handler.as_ref().map(|h| slice(&text, h.span)), Some("index.handler"));
    assert!(matches!(&f.code, Some(Code::Inline(v)) if v.value.contains("def handler")));
    assert_eq!(f.memory_mb.as_ref().map(|m| m.value), Some(256));
    assert_eq!(f.reserved_concurrency.as_ref().map(|m| m.value), Some(5));
    assert_eq!(f.tracing.as_ref().map(|m| m.value.as_str()), Some("Active"));
    let key = env(f, "API_KEY");
    assert_eq!((key.source, key.value.origin), (ValueSource::Literal, Origin::Explicit));
    assert_eq!(slice(&text, key.value.span), "plain-text-key");
    assert!(f.env_kms_key.is_some() && f.dead_letter.is_some());
    assert_eq!(f.vpc.as_ref().map(|v| v.subnets.len()), Some(1));
    assert_eq!(f.on_failure.as_ref().map(|o| o.value.as_str()), Some("Dlq.Arn"));
    let url = f.url.as_ref().expect("url resource");
    assert_eq!(url.logical_id.as_deref(), Some("FnUrl"));
    assert_eq!(url.cors_origins[0].value, "*");

    let role = app.role_of(fid).expect("role followed through GetAtt");
    assert_eq!(role.logical_id, "FnRole");
    let trust = role.trust_policy.as_ref().expect("trust");
    assert!(
        matches!(&trust.statements[0].principal, Some(Principal::Listed(l)) if l[0].1[0].value == "lambda.amazonaws.com")
    );
    let basic =
        role.policies.iter().find(|p| p.source == PolicySource::AwsManaged).expect("managed");
    assert!(basic.document.is_some(), "Join with AWS::Partition still resolves the managed policy");
    let wide = role.policies.iter().find(|p| p.name == "wide").expect("inline");
    let st = &wide.document.as_ref().expect("doc").statements[0];
    assert_eq!(st.not_actions.as_ref().map(|a| a[0].value.as_str()), Some("iam:*"));
    assert_eq!(st.conditions[0].key, "aws:RequestedRegion");
    assert_eq!(st.conditions[0].values.len(), 2);
    let extra =
        role.policies.iter().find(|p| p.name == "extra").expect("AWS::IAM::Policy attached");
    assert_eq!(
        extra.document.as_ref().expect("JSON string parsed").statements[0].actions[0].value,
        "s3:*"
    );

    let perm = app.permissions_of(fid).next().expect("permission");
    assert!(perm.is_public());
    assert!(app.layer_permissions[0].is_public());
    assert!(app.triggers_of(fid).any(|t| matches!(t.kind, TriggerKind::Sqs { .. })));
    let get = route(app, "/users/{id}");
    assert_eq!(get.method, "GET");
    assert!(get.auth.is_none());
    let api = app.api(get.api.expect("api"));
    assert_eq!(api.stages[0].name.value, "prod");
    let key = app.resources.iter().find(|r| r.logical_id == "Key").expect("key");
    assert!(matches!(
        key.policy.as_ref().map(|p| &p.statements[0].principal),
        Some(Some(Principal::Any(_)))
    ));
}

/// Strips spans so the YAML and JSON twins compare on content only.
fn shape(app: &App) -> String {
    let mut s = String::new();
    for f in &app.functions {
        s += &format!(
            "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?}\n",
            f.logical_id,
            f.name.as_ref().map(|v| &v.value),
            f.runtime.as_ref().map(|v| &v.value),
            f.memory_mb.as_ref().map(|v| v.value),
            f.environment.iter().map(|e| (&e.name, &e.value.value, e.source)).collect::<Vec<_>>(),
            f.role,
            f.url.as_ref().map(|u| &u.auth_type.value),
            f.on_failure.as_ref().map(|v| (&v.value, v.origin)),
        );
    }
    for r in &app.roles {
        s += &format!("{} {}\n", r.logical_id, r.policies.len());
        for p in &r.policies {
            let doc = p.document.as_ref().map(|d| {
                d.statements
                    .iter()
                    .map(|st| {
                        (
                            st.actions.iter().map(|a| a.value.clone()).collect::<Vec<_>>(),
                            st.effect.value,
                        )
                    })
                    .collect::<Vec<_>>()
            });
            s += &format!("  {} {:?} {doc:?}\n", p.name, p.source);
        }
    }
    for t in &app.triggers {
        s += &format!("{} {:?}\n", t.logical_id, t.function);
    }
    s
}

#[test]
fn json_template_equals_yaml_template() {
    let (_, yaml) = fixture("raw_lambda.yaml");
    let (_, json) = fixture("raw_lambda.json");
    assert!(json.errors.is_empty(), "{:?}", json.errors);
    assert_eq!(shape(app(&yaml)), shape(app(&json)));
    assert!(!app(&json).functions.is_empty());
}

#[test]
fn bad_input_is_reported_and_the_rest_loads() {
    let (text, outcome) = fixture("bad.yaml");
    let has = |kind: ParseErrorKind, needle: &str, at: &str| {
        outcome.errors.iter().any(|e| {
            e.kind == kind && e.message.contains(needle) && slice(&text, e.span).contains(at)
        })
    };
    assert!(has(ParseErrorKind::Structure, "has no `Type`", "NoType"), "{:?}", outcome.errors);
    assert!(has(ParseErrorKind::Syntax, "unknown intrinsic function `Frobnicate`", "!Frobnicate"));
    assert!(has(ParseErrorKind::Syntax, "no closing", "!Sub"));
    assert!(has(ParseErrorKind::Syntax, "`Ref` to `Missing`", "!Ref Missing"));
    assert!(has(ParseErrorKind::Syntax, "not valid JSON", "oops"));
    let app = app(&outcome);
    let f = function(app, "Good");
    assert!(matches!(&f.code, Some(Code::Location(v)) if v.value == "s3://my-bucket/code.zip"));
    assert_eq!(
        f.role_ref.as_ref().map(|r| r.value.as_str()),
        Some("arn:aws:iam::123456789012:role/external")
    );
    assert!(f.role.is_none());

    let (_, outcome) = fixture("bad_resources.yaml");
    assert!(outcome.errors.iter().any(|e| e.kind == ParseErrorKind::Structure
        && e.message.contains("`Resources` must be a mapping")));
}

#[test]
fn hostile_templates_stay_bounded() {
    // A Join that doubles through a chain of parameters would explode if
    // defaults were resolved; they are literals, so this stays small.
    let mut t = String::from(
        "Parameters:\n  P0: {Type: String, Default: x}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: ",
    );
    let mut expr = String::from("!Ref P0");
    for _ in 0..200 {
        expr = format!("{{\"Fn::Join\": [\"\", [{expr}, {expr}]]}}");
        if expr.len() > 200_000 {
            break;
        }
    }
    t.push_str(&expr);
    t.push('\n');
    let outcome = load_file(FileId(0), "t.yaml", &t).expect("template");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.apps.len(), 1);
    // The name is the default once per `!Ref` written: linear in the text.
    let name = outcome.apps[0].resources[0].name.as_ref().expect("the queue's name");
    assert_eq!(name.value, "x".repeat(t.matches("!Ref P0").count()));

    // Self-referencing parameter defaults and conditions terminate.
    let t = "Parameters:\n  A: {Type: String, Default: !Ref A}\nConditions:\n  C: !Condition C\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !If [C, !Ref A, b]\n";
    let outcome = load_file(FileId(0), "t.yaml", t).expect("template");
    assert!(outcome.errors.iter().any(|e| e.message.contains("depends on itself")));
}

#[test]
fn sam_destinations_grant_the_generated_role_and_create_their_targets() {
    let text = "Transform: AWS::Serverless-2016-10-31
Resources:
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.other
      CodeUri: src/
  Bus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess:
            Type: SQS
          OnFailure:
            Type: Lambda
            Destination: !GetAtt Other.Arn
  Own:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.own
      CodeUri: src/
      Role: arn:aws:iam::123456789012:role/given
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess:
            Type: EventBridge
            Destination: !GetAtt Bus.Arn
          OnFailure:
            Type: SNS
";
    let outcome = load_file(FileId(0), "template.yaml", text).expect("a SAM template");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let app = app(&outcome);
    let (fid, f) = app.functions().find(|(_, f)| f.logical_id == "Fn").expect("Fn");
    assert_eq!(
        f.on_failure.as_ref().map(|o| (o.value.as_str(), o.origin)),
        Some(("Other.Arn", Origin::Unresolved))
    );

    let role = app.role_of(fid).expect("generated role");
    let granted = |name: &str| {
        let p =
            role.policies.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no {name}"));
        assert_eq!(p.source, PolicySource::Inline);
        let st = &p.document.as_ref().expect("document").statements[0];
        // SAM's own statements: defaults, which the author cannot remove.
        assert!(st.actions.iter().all(|a| a.origin == Origin::Default), "{name}");
        let actions: Vec<&str> = st.actions.iter().map(|a| a.value.as_str()).collect();
        let resources: Vec<&str> = st.resources.iter().map(|r| r.value.as_str()).collect();
        (actions.join(","), resources.join(","))
    };
    // No `Destination` for SQS: SAM creates the queue and grants it.
    assert_eq!(
        granted("FnEventInvokeConfigOnSuccessSQSPolicy"),
        ("sqs:SendMessage".into(), "FnEventInvokeConfigOnSuccessQueue.Arn".into())
    );
    assert_eq!(
        granted("FnEventInvokeConfigOnFailureLambdaPolicy"),
        ("lambda:InvokeFunction".into(), "Other.Arn".into())
    );
    let queue = app
        .resources
        .iter()
        .find(|r| r.logical_id == "FnEventInvokeConfigOnSuccessQueue")
        .expect("queue SAM creates");
    assert_eq!(
        (queue.type_name.as_str(), slice(text, queue.span)),
        ("AWS::SQS::Queue", "Type: SQS")
    );

    // A role the author gives gets nothing, but SAM still creates the topic
    // and delivers failures there.
    let own = function(app, "Own");
    assert!(own.role.is_none());
    assert!(app.roles.iter().all(|r| !r.logical_id.starts_with("Own")));
    assert_eq!(
        own.on_failure.as_ref().map(|o| o.value.as_str()),
        Some("OwnEventInvokeConfigOnFailureTopic")
    );
    assert!(app.resources.iter().any(|r| r.logical_id == "OwnEventInvokeConfigOnFailureTopic"
        && r.type_name == "AWS::SNS::Topic"));
}

//! The model built from fixture configurations.

mod common;

use common::*;
use faasguard_model::{
    ApiKind, Code, Effect, Format, Origin, PolicySource, Principal, RouteAuth, TriggerKind,
    ValueSource,
};

fn orders() -> (faasguard_source::SourceDb, faasguard_model::App) {
    let db = fixture_db("orders");
    let mut out = load_path(&db, "orders/serverless.yml");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    assert_eq!(out.format, Format::Serverless);
    assert_eq!(out.apps.len(), 1);
    (db, out.apps.remove(0))
}

#[test]
fn functions_take_provider_defaults_unless_they_set_their_own() {
    let (db, app) = orders();
    assert_eq!(app.name, "orders/serverless.yml");
    let keys: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(keys, ["api", "worker", "publicUrl", "iamUrl", "socket"]);

    let api = function(&app, "api");
    assert_eq!(api.runtime.as_ref().unwrap().value, "python3.12");
    assert_eq!(slice(&db, api.runtime.as_ref().unwrap().span), "python3.12");
    assert_eq!(api.memory_mb.as_ref().unwrap().value, 512);
    assert_eq!(api.timeout_s.as_ref().unwrap().value, 20);
    assert_eq!(api.handler.as_ref().unwrap().value, "src/api.handler");
    assert_eq!(api.tracing.as_ref().unwrap().value, "Active");
    assert_eq!(api.name.as_ref().unwrap().value, "orders-prod-api");
    assert_eq!(api.name.as_ref().unwrap().origin, Origin::Default);
    match api.code.as_ref().unwrap() {
        Code::Location(l) => assert_eq!((l.value.as_str(), l.origin), ("orders", Origin::Default)),
        other => panic!("{other:?}"),
    }

    let worker = function(&app, "worker");
    assert_eq!(worker.runtime.as_ref().unwrap().value, "nodejs20.x");
    assert_eq!(worker.memory_mb.as_ref().unwrap().value, 128);
    assert_eq!(worker.reserved_concurrency.as_ref().unwrap().value, 5);
    assert_eq!(
        worker.dead_letter.as_ref().unwrap().value,
        "arn:aws:sns:eu-west-1:123456789012:dlq"
    );
    assert_eq!(
        worker.env_kms_key.as_ref().unwrap().value,
        "arn:aws:kms:eu-west-1:123456789012:key/abc"
    );
    let vpc = worker.vpc.as_ref().unwrap();
    assert_eq!(vpc.subnets.len(), 2);
    assert_eq!(vpc.security_groups[0].value, "sg-1");
}

#[test]
fn environment_merges_provider_and_function_and_marks_secret_stores() {
    let (db, app) = orders();
    let api = function(&app, "api");
    let env = |name: &str| {
        api.environment.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("no {name}"))
    };
    let names: Vec<&str> = api.environment.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "TABLE",
            "STAGE",
            "LOG_LEVEL",
            "SHARED",
            "DB_PASSWORD",
            "API_KEY",
            "TOKEN",
            "UNKNOWN_ENV",
            "QUEUE",
            "NAME"
        ]
    );
    assert_eq!(env("SHARED").value.value, "from-function");
    assert_eq!(slice(&db, env("SHARED").name_span), "SHARED");

    // A `${self:}` reference points at the text that holds the value.
    let table = &env("TABLE").value;
    assert_eq!((table.value.as_str(), table.origin), ("orders-table", Origin::Explicit));
    assert_eq!(slice(&db, table.span), "orders-table");
    assert_eq!(env("TABLE").source, ValueSource::Literal);

    // `${sls:stage}` is the provider stage, itself the `${opt:stage, 'prod'}` default.
    let stage = &env("STAGE").value;
    assert_eq!(stage.value, "prod");
    assert_eq!(slice(&db, stage.span), "prod");
    assert_eq!(env("LOG_LEVEL").value.value, "info");

    for secret in ["DB_PASSWORD", "API_KEY"] {
        let v = env(secret);
        assert_eq!(v.source, ValueSource::SecretStore, "{secret}");
        assert_eq!(v.value.origin, Origin::Unresolved, "{secret}");
        assert!(v.value.value.starts_with("${ssm:"), "{secret}");
    }
    assert_eq!(env("TOKEN").value.value, "dev-token");
    assert_eq!(slice(&db, env("TOKEN").value.span), "dev-token");
    assert_eq!(env("UNKNOWN_ENV").value.origin, Origin::Unresolved);
    assert_eq!(env("UNKNOWN_ENV").source, ValueSource::Reference);
    assert_eq!(env("QUEUE").value.value, "${Ref:OrdersQueue}");
    assert_eq!(env("QUEUE").source, ValueSource::Reference);

    let name = &env("NAME").value;
    assert_eq!((name.value.as_str(), name.origin), ("prefix-orders-suffix", Origin::Explicit));
    assert_eq!(slice(&db, name.span), "prefix-${self:service}-suffix");
}

#[test]
fn shared_generated_role_holds_provider_and_framework_statements() {
    let (_db, app) = orders();
    let role = role_of(&app, "api");
    assert_eq!(role.logical_id, "IamRoleLambdaExecution");
    assert!(role.generated);
    // Every function without its own role shares it.
    for key in ["worker", "publicUrl", "iamUrl", "socket"] {
        assert_eq!(role_of(&app, key).logical_id, "IamRoleLambdaExecution", "{key}");
    }
    let trust = role.trust_policy.as_ref().unwrap();
    match trust.statements[0].principal.as_ref().unwrap() {
        Principal::Listed(l) => assert_eq!(l[0].1[0].value, "lambda.amazonaws.com"),
        other => panic!("{other:?}"),
    }
    let actions = allowed_actions(role);
    for a in [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "sqs:ReceiveMessage",
        "dynamodb:GetRecords",
        "kinesis:GetRecords",
        "xray:PutTraceSegments",
        "sns:Publish",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} missing from {actions:?}");
    }
    let inline = &role.policies[0];
    assert_eq!(inline.source, PolicySource::Inline);
    let doc = inline.document.as_ref().unwrap();
    let get_item = doc
        .statements
        .iter()
        .find(|s| s.actions.iter().any(|a| a.value == "dynamodb:GetItem"))
        .unwrap();
    assert_eq!(get_item.resources[0].value, "${GetAtt:OrdersTable.Arn}");
    assert_eq!(get_item.resources[0].origin, Origin::Unresolved);
    let not_action = doc.statements.iter().find(|s| s.not_actions.is_some()).unwrap();
    assert_eq!(not_action.not_actions.as_ref().unwrap()[0].value, "iam:*");
    assert_eq!(not_action.not_resources.as_ref().unwrap()[0].value, "arn:aws:s3:::private/*");
    assert_eq!(not_action.effect.value, Effect::Allow);
    let c = &not_action.conditions[0];
    assert_eq!(
        (c.operator.as_str(), c.key.as_str(), c.values.len()),
        ("StringEquals", "aws:RequestedRegion", 2)
    );
    let managed: Vec<_> = role
        .policies
        .iter()
        .filter(|p| p.source == PolicySource::AwsManaged)
        .map(|p| p.name.as_str())
        .collect();
    assert!(managed.contains(&"arn:aws:iam::aws:policy/ReadOnlyAccess"), "{managed:?}");
    assert!(managed.iter().any(|m| m.ends_with("AWSLambdaVPCAccessExecutionRole")), "{managed:?}");
}

#[test]
fn http_routes_carry_their_authentication() {
    let (db, app) = orders();
    let routes: Vec<_> = triggers_of(&app, "api")
        .into_iter()
        .filter_map(|t| match &t.kind {
            TriggerKind::HttpRoute(r) => Some((t, r)),
            _ => None,
        })
        .collect();
    let find = |method: &str, path: &str| {
        routes
            .iter()
            .find(|(_, r)| r.method == method && r.path == path)
            .unwrap_or_else(|| panic!("no {method} {path}"))
    };
    let (open, r) = find("GET", "/orders");
    assert!(open.is_public_unauthenticated());
    assert_eq!((r.api_kind, r.auth.origin), (ApiKind::Rest, Origin::Default));
    let (_, r) = find("POST", "/orders/{id}");
    assert!(matches!(&r.auth.value, RouteAuth::Authorizer(a) if a.contains("userpool")));
    assert!(slice(&db, r.auth.span).contains("COGNITO_USER_POOLS"));
    let (preflight, r) = find("OPTIONS", "/orders/{id}");
    assert!(r.is_options() && !preflight.is_public_unauthenticated());
    assert_eq!(find("DELETE", "/admin").1.auth.value, RouteAuth::Iam);
    let (_, r) = find("GET", "/partners");
    assert!(matches!(r.auth.value, RouteAuth::Key(_)) && r.api_key_required);
    assert!(find("GET", "/health").0.is_public_unauthenticated());

    let (open, r) = find("GET", "/public");
    assert!(open.is_public_unauthenticated());
    assert_eq!(r.api_kind, ApiKind::Http);
    assert_eq!(find("POST", "/secure").1.auth.value, RouteAuth::Authorizer("jwtAuth".into()));
    assert_eq!(find("GET", "/signed").1.auth.value, RouteAuth::Iam);

    // One implicit REST API and one HTTP API, shared by every route.
    let rest = app.apis.iter().find(|a| a.kind == ApiKind::Rest).unwrap();
    assert_eq!(rest.logical_id, "ApiGatewayRestApi");
    assert!(rest.generated);
    let stage = &rest.stages[0];
    assert_eq!(stage.name.value, "prod");
    assert_eq!(stage.access_log.as_ref().unwrap().value, "/aws/api-gateway/orders-prod");
    assert!(stage.tracing.as_ref().unwrap().value);
    let policy = rest.resource_policy.as_ref().unwrap();
    assert!(matches!(policy.statements[0].principal, Some(Principal::Any(_))));
    let http = app.apis.iter().find(|a| a.kind == ApiKind::Http).unwrap();
    assert_eq!(http.logical_id, "HttpApi");
    assert!(http.stages[0].access_log.is_none());
    assert_eq!(app.apis.len(), 3, "REST, HTTP and WebSocket");
}

#[test]
fn event_sources_are_modelled_by_kind() {
    let (_db, app) = orders();
    let kinds: Vec<String> = triggers_of(&app, "worker")
        .iter()
        .map(|t| match &t.kind {
            TriggerKind::Sqs { queue } => format!("sqs {}", queue.value),
            TriggerKind::DynamoDbStream { stream } => format!("ddb {}", stream.value),
            TriggerKind::Kinesis { stream } => format!("kinesis {}", stream.value),
            TriggerKind::S3 { bucket } => format!("s3 {}", bucket.value),
            TriggerKind::Sns { topic } => format!("sns {}", topic.value),
            TriggerKind::Schedule { expression } => format!("schedule {}", expression.value),
            TriggerKind::EventBridge { bus } => format!("eb {}", bus.as_ref().unwrap().value),
            TriggerKind::Alb { target } => format!("alb {}", target.is_some()),
            TriggerKind::Cognito { pool } => format!("cognito {}", pool.value),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "sqs arn:aws:sqs:eu-west-1:123456789012:orders-queue",
            "ddb ${GetAtt:OrdersTable.StreamArn}",
            "kinesis arn:aws:kinesis:eu-west-1:123456789012:stream/clicks",
            "s3 orders-uploads",
            "sns order-events",
            "schedule rate(5 minutes)",
            "eb orders-bus",
            "alb true",
            "cognito orders-users",
        ]
    );
    // The Framework creates the bucket and topic named by events.
    assert!(app.resources.iter().any(|r| r.logical_id == "S3BucketOrdersuploads"));
    assert!(app.resources.iter().any(|r| r.logical_id == "SNSTopicOrderevents"));
    assert!(
        app.resources
            .iter()
            .any(|r| r.logical_id == "OrdersTable"
                && r.name.as_ref().unwrap().value == "orders-table")
    );
}

#[test]
fn function_urls_and_websocket_routes() {
    let (_db, app) = orders();
    let public = function(&app, "publicUrl").url.as_ref().unwrap();
    assert!(public.is_public());
    let iam = function(&app, "iamUrl").url.as_ref().unwrap();
    assert_eq!((iam.auth_type.value.as_str(), iam.auth_type.origin), ("AWS_IAM", Origin::Explicit));
    assert!(!iam.is_public());
    assert_eq!(iam.cors_origins[0].value, "https://example.com");

    let socket = triggers_of(&app, "socket");
    for t in &socket {
        let TriggerKind::HttpRoute(r) = &t.kind else { panic!() };
        assert_eq!(r.api_kind, ApiKind::WebSocket);
        // `$default` is reached only through the authorized `$connect`.
        assert_eq!(r.auth.value, RouteAuth::Authorizer("socketAuth".into()), "{}", r.path);
    }
}

#[test]
fn roles_given_per_function_external_and_from_resources() {
    let db = fixture_db("roles");
    let out = load_path(&db, "roles/serverless.yml");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];

    let shared = role_of(app, "shared");
    assert_eq!(shared.logical_id, "IamRoleLambdaExecution");
    assert!(allowed_actions(shared).contains(&"s3:GetObject".to_string()));
    let custom = shared.policies.iter().find(|p| p.name.contains("custom-managed")).unwrap();
    assert_eq!(custom.source, PolicySource::Unresolved);

    for key in ["ownRole", "byName"] {
        let role = role_of(app, key);
        assert_eq!(role.logical_id, "CustomRole", "{key}");
        assert!(!role.generated);
        assert!(allowed_actions(role).contains(&"*".to_string()));
        assert!(role.policies.iter().any(|p| p.name.ends_with("AdministratorAccess")));
    }
    let external = function(app, "external");
    assert!(external.role.is_none());
    assert_eq!(
        external.role_ref.as_ref().unwrap().value,
        "arn:aws:iam::123456789012:role/external-role"
    );

    let per = role_of(app, "perFunction");
    assert_eq!(per.logical_id, "PerFunctionIamRoleLambdaExecution");
    assert!(per.generated);
    let actions = allowed_actions(per);
    assert!(actions.contains(&"dynamodb:Query".to_string()));
    assert!(!actions.contains(&"s3:GetObject".to_string()), "no inheritance by default");
    let inherit = allowed_actions(role_of(app, "perFunctionInherit"));
    assert!(inherit.contains(&"sqs:SendMessage".to_string()));
    assert!(inherit.contains(&"s3:GetObject".to_string()));

    // Lambda permissions reach functions through their CloudFormation ids.
    let perm = &app.permissions[0];
    assert!(perm.is_public());
    let shared_id = app.functions().find(|(_, f)| f.logical_id == "shared").unwrap().0;
    assert_eq!(perm.function, Some(shared_id));
}

#[test]
fn file_variables_resolve_through_the_source_db() {
    let db = fixture_db("includes");
    let out = load_path(&db, "includes/serverless.yml");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let f = function(app, "included");
    let runtime = f.runtime.as_ref().unwrap();
    assert_eq!(runtime.value, "python3.11");
    // The span is in the included file, on the value.
    assert_eq!(db.get(runtime.span.file).unwrap().path.as_ref(), "includes/config/custom.yml");
    assert_eq!(slice(&db, runtime.span), "python3.11");
    assert_eq!(f.environment[0].value.value, "yes-from-file");
    let TriggerKind::S3 { bucket } = &triggers_of(app, "included")[0].kind else { panic!() };
    assert_eq!(bucket.value, "includes-includes");
    let queue = app.resources.iter().find(|r| r.logical_id == "IncludedQueue").unwrap();
    assert_eq!(queue.name.as_ref().unwrap().value, "includes-queue");
}

#[test]
fn code_configs_ask_for_serverless_print_whose_output_loads() {
    let db = fixture_db("print");
    let out = load_path(&db, "print/serverless.ts");
    assert!(out.apps.is_empty());
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].kind, faasguard_syntax::ParseErrorKind::Structure);
    assert!(out.errors[0].message.contains("serverless print > serverless.out.yml"));

    let printed = db.get(db.find("print/serverless.out.yml").unwrap()).unwrap();
    assert!(faasguard_loader_serverless::is_serverless_config(&printed.path, &printed.text));
    let out = load_path(&db, "print/serverless.out.yml");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let hello = function(&out.apps[0], "hello");
    assert!(hello.url.as_ref().unwrap().is_public());
    assert_eq!(hello.name.as_ref().unwrap().value, "printed-dev-hello");
}

#[test]
fn recognises_configs_by_name_and_content() {
    use faasguard_loader_serverless::is_serverless_config as is;
    assert!(is("app/serverless.yml", "service: x\nprovider:\n  name: aws\n"));
    assert!(is("serverless.yaml", "provider:\n  name: aws\n"));
    assert!(is("a/serverless.json", "{\"service\": \"x\"}"));
    assert!(is("a/serverless.ts", "export default {}"));
    assert!(is("a/serverless.js", "module.exports = {}"));
    assert!(is("a/serverless.prod.yml", "service: x\n"));
    assert!(!is("a/serverless.yml", "key: value\n"));
    assert!(!is("a/template.yaml", "service: x\n"));
    assert!(!is("a/not-serverless.yml", "service: x\n"));
}

#[test]
fn nested_variables_and_provider_role_arns() {
    let text = "service: s\ncustom:\n  sizes:\n    dev: 256\n  fallback: ${self:custom.missing, ${self:custom.other, 'deep-default'}}\nprovider:\n  name: aws\n  runtime: python3.12\n  memorySize: ${self:custom.sizes.${sls:stage}}\n  iam:\n    role: arn:aws:iam::123456789012:role/deployed\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      F: ${self:custom.fallback}\n";
    let (db, out) = load_text(text);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let f = function(&out.apps[0], "f");
    assert_eq!(f.memory_mb.as_ref().unwrap().value, 256);
    assert_eq!(slice(&db, f.memory_mb.as_ref().unwrap().span), "256");
    assert_eq!(f.environment[0].value.value, "deep-default");
    assert_eq!(slice(&db, f.environment[0].value.span), "deep-default");
    // A role given by ARN is outside the app: referenced, not modelled.
    assert!(f.role.is_none());
    assert_eq!(f.role_ref.as_ref().unwrap().value, "arn:aws:iam::123456789012:role/deployed");
    assert!(out.apps[0].roles.is_empty());
}

/// The resources of the shared role's log statements: (create, put).
fn shared_log_resources(app: &faasguard_model::App, key: &str) -> (Vec<String>, Vec<String>) {
    let role = role_of(app, key);
    assert_eq!(role.logical_id, "IamRoleLambdaExecution");
    let doc = role.policies[0].document.as_ref().unwrap();
    let of = |action: &str| {
        doc.statements
            .iter()
            .find(|s| s.actions.iter().any(|a| a.value == action))
            .unwrap_or_else(|| panic!("no {action} statement"))
            .resources
            .iter()
            .map(|r| r.value.clone())
            .collect::<Vec<_>>()
    };
    (of("logs:CreateLogStream"), of("logs:PutLogEvents"))
}

const LOGS_ARN: &str =
    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/";

#[test]
fn shared_role_logs_cover_custom_named_functions() {
    let text = "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n  stage: prod\nfunctions:\n  plain:\n    handler: h.plain\n  renamed:\n    handler: h.renamed\n    name: checkout-worker\n  prefixed:\n    handler: h.prefixed\n    name: shop-prod-custom\n  ownRole:\n    handler: h.own\n    name: elsewhere\n    role: arn:aws:iam::123456789012:role/given\n";
    let (db, out) = load_text(text);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let (create, put) = shared_log_resources(app, "plain");
    // A name under `<service>-<stage>` is covered by the prefix; every other
    // function of the service, whatever its role, gets its own group.
    assert_eq!(
        create,
        [
            format!("{LOGS_ARN}shop-prod*:*"),
            format!("{LOGS_ARN}checkout-worker:*"),
            format!("{LOGS_ARN}elsewhere:*"),
        ]
    );
    assert_eq!(
        put,
        [
            format!("{LOGS_ARN}shop-prod*:*:*"),
            format!("{LOGS_ARN}checkout-worker:*:*"),
            format!("{LOGS_ARN}elsewhere:*:*"),
        ]
    );
    // The custom entry points at the name that caused it.
    let doc = role_of(app, "renamed").policies[0].document.as_ref().unwrap();
    let entry = &doc.statements[0].resources[1];
    assert_eq!(slice(&db, entry.span), "checkout-worker");
    // A default, so the `${AWS::...}` placeholders read as the template the
    // Framework deploys rather than as literal text.
    assert_eq!(entry.origin, Origin::Default);
}

#[test]
fn shared_role_logs_drop_the_prefix_when_no_function_is_canonically_named() {
    let text = "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  a:\n    handler: h.a\n    name: alpha\n  b:\n    handler: h.b\n    name: beta\n";
    let (_db, out) = load_text(text);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let (create, put) = shared_log_resources(&out.apps[0], "a");
    assert_eq!(create, [format!("{LOGS_ARN}alpha:*"), format!("{LOGS_ARN}beta:*")]);
    assert_eq!(put, [format!("{LOGS_ARN}alpha:*:*"), format!("{LOGS_ARN}beta:*:*")]);
}

#[test]
fn shared_role_logs_keep_an_unresolved_name_unresolved() {
    let text = "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  a:\n    handler: h.a\n    name: ${cf:other-stack.FunctionName}\n";
    let (_db, out) = load_text(text);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let doc = role_of(app, "a").policies[0].document.as_ref().unwrap();
    let resources = &doc.statements[0].resources;
    // The name may or may not be canonical, so the prefix stays and the
    // function's own entry is not read as a known group.
    assert_eq!(resources[0].value, format!("{LOGS_ARN}shop-dev*:*"));
    assert_eq!(resources.len(), 2, "{resources:?}");
    assert_eq!(resources[1].origin, Origin::Unresolved);
}

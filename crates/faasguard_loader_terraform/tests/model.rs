//! Fixture modules into the model: values with their origins and spans,
//! role links, policy documents, variables files, modules, and the errors
//! a broken module gives.

mod common;

use common::*;
use faasguard_model::{
    ApiKind, Code, Effect, Origin, PolicySource, Principal, PrincipalKind, TriggerKind, ValueSource,
};
use faasguard_syntax::ParseErrorKind;

#[test]
fn values_are_evaluated_with_their_origin_and_span() {
    let (db, out) = fixture("aws_basic");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    assert_eq!(app.name, "aws_basic");
    let f = function(app, "orders");
    // Locals in dependency order, whatever order they are written in.
    let name = f.name.as_ref().unwrap();
    assert_eq!((name.value.as_str(), name.origin), ("dev-orders-fn", Origin::Explicit));
    // terraform.tfvars overrides the default; the span is where the value is written.
    let runtime = f.runtime.as_ref().unwrap();
    assert_eq!(runtime.value, "python3.12");
    assert!(db.get(runtime.span.file).unwrap().path.ends_with("terraform.tfvars"));
    assert_eq!(slice(&db, runtime.span), "\"python3.12\"");
    assert_eq!(slice(&db, f.handler.as_ref().unwrap().span), "\"app.handler\"");
    assert_eq!(f.timeout_s.as_ref().unwrap().value, 30);
    assert_eq!(f.memory_mb.as_ref().unwrap().value, 512);
    assert_eq!(f.tracing.as_ref().unwrap().value, "Active");
    assert!(slice(&db, f.span).starts_with("resource \"aws_lambda_function\" \"orders\""));
    // The archive's source directory is the code.
    match f.code.as_ref().unwrap() {
        Code::Location(l) => assert_eq!(l.value, "aws_basic/src"),
        other => panic!("{other:?}"),
    }
    // Environment: merge() of a local and an object; literals and references.
    let env: Vec<(&str, &str, Origin, ValueSource)> = f
        .environment
        .iter()
        .map(|e| (e.name.as_str(), e.value.value.as_str(), e.value.origin, e.source))
        .collect();
    assert_eq!(
        env,
        [
            ("STAGE", "dev", Origin::Explicit, ValueSource::Literal),
            ("API_SECRET", "s3cr3t-Value-123", Origin::Explicit, ValueSource::Literal),
            (
                "BUCKET",
                "${aws_s3_bucket.uploads.bucket}",
                Origin::Unresolved,
                ValueSource::Reference
            ),
        ]
    );
    let secret = &f.environment[1];
    assert_eq!(slice(&db, secret.value.span), "\"s3cr3t-Value-123\"");
    assert_eq!(slice(&db, secret.name_span), "API_SECRET");
}

#[test]
fn roles_link_and_policies_are_read() {
    let (db, out) = fixture("aws_basic");
    let app = &out.apps[0];
    let role = role_of(app, "orders");
    assert_eq!(role.logical_id, "lambda_role");
    assert_eq!(
        function(app, "orders").role_ref.as_ref().unwrap().value,
        "${aws_iam_role.lambda_role.arn}"
    );
    // Trust policy from a policy document data source.
    let trust = role.trust_policy.as_ref().unwrap();
    assert_eq!(trust.statements[0].actions[0].value, "sts:AssumeRole");
    assert_eq!(trust.statements[0].effect.origin, Origin::Default);
    match trust.statements[0].principal.as_ref().unwrap() {
        Principal::Listed(l) => assert_eq!(
            (l[0].0, l[0].1[0].value.as_str()),
            (PrincipalKind::Service, "lambda.amazonaws.com")
        ),
        other => panic!("{other:?}"),
    }
    let names: Vec<(&str, &PolicySource)> =
        role.policies.iter().map(|p| (p.name.as_str(), &p.source)).collect();
    assert_eq!(
        names,
        [
            ("inline", &PolicySource::Inline),
            ("ddb", &PolicySource::Inline),
            ("from-file", &PolicySource::CustomerManaged),
            (
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                &PolicySource::AwsManaged
            ),
        ]
    );
    // jsonencode keeps spans; the unresolved bucket ARN stays unresolved.
    let inline = role.policies[0].document.as_ref().unwrap();
    let st = &inline.statements[0];
    assert_eq!(slice(&db, st.actions[0].span), "\"s3:GetObject\"");
    assert_eq!(
        (st.resources[0].value.as_str(), st.resources[0].origin),
        ("${aws_s3_bucket.uploads.arn}/*", Origin::Unresolved)
    );
    assert_eq!(st.effect.value, Effect::Allow);
    // not_actions and conditions from the data source.
    let ddb = role.policies[1].document.as_ref().unwrap();
    let st = &ddb.statements[0];
    assert!(st.actions.is_empty());
    assert_eq!(st.not_actions.as_ref().unwrap()[0].value, "iam:*");
    assert_eq!(
        (st.conditions[0].operator.as_str(), st.conditions[0].key.as_str()),
        ("StringEquals", "aws:RequestedRegion")
    );
    // file()d JSON keeps spans in the JSON file.
    let from_file = role.policies[2].document.as_ref().unwrap();
    assert_eq!(slice(&db, from_file.statements[0].actions[0].span), "\"sqs:*\"");
    // AWS managed policies come with their document from the vendored data.
    assert_eq!(role.policies[3].source, faasguard_model::PolicySource::AwsManaged);
    assert!(role.policies[3].document.as_ref().is_some_and(|d| !d.statements.is_empty()));
}

#[test]
fn triggers_permissions_and_urls() {
    let (_, out) = fixture("aws_basic");
    let app = &out.apps[0];
    let kinds: Vec<String> = triggers_of(app, "orders")
        .iter()
        .map(|t| match &t.kind {
            TriggerKind::HttpRoute(r) => {
                format!("{:?} {} {} {:?}", r.api_kind, r.method, r.path, r.auth.value)
            }
            TriggerKind::S3 { bucket } => format!("s3 {}", bucket.value),
            TriggerKind::Sqs { queue } => format!("sqs {}", queue.value),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "s3 ${aws_s3_bucket.uploads.id}",
            "sqs ${aws_sqs_queue.jobs.arn}",
            "Http GET /orders None",
            "Http POST /admin Iam",
        ]
    );
    let open =
        triggers_of(app, "orders").into_iter().find(|t| t.is_public_unauthenticated()).unwrap();
    assert_eq!(open.logical_id, "get_orders");
    let f = function(app, "orders");
    assert!(f.url.as_ref().unwrap().is_public());
    let (id, _) = app.functions().find(|(_, f)| f.logical_id == "orders").unwrap();
    let perms: Vec<_> = app.permissions_of(id).collect();
    assert_eq!(perms.len(), 1);
    assert!(perms[0].is_public());
    assert_eq!(app.apis[0].kind, ApiKind::Http);
}

#[test]
fn count_is_one_instance_with_a_note_and_zero_is_skipped() {
    let (_, out) = fixture("aws_basic");
    let app = &out.apps[0];
    let counted = function(app, "counted");
    assert_eq!(counted.name.as_ref().unwrap().value, "counted-0");
    assert!(counted.role.is_none());
    assert!(
        app.notes
            .iter()
            .any(|n| n.message.contains("aws_lambda_function.counted")
                && n.message.contains("count"))
    );
    assert!(app.functions.iter().all(|f| f.logical_id != "disabled"));
}

#[test]
fn a_cycle_of_locals_is_an_error_naming_it() {
    let (db, out) = fixture("cycle");
    assert_eq!(out.errors.len(), 1, "{:?}", messages(&out));
    let e = &out.errors[0];
    assert_eq!(e.kind, ParseErrorKind::Structure);
    assert!(e.message.contains("local.a -> local.b -> local.c -> local.a"), "{}", e.message);
    assert!(
        slice(&db, e.span).starts_with("c = local.a") || slice(&db, e.span).starts_with("a = "),
        "{}",
        slice(&db, e.span)
    );
    let f = function(&out.apps[0], "fn");
    assert_eq!(f.name.as_ref().unwrap().origin, Origin::Unresolved);
}

#[test]
fn a_missing_file_is_an_error_naming_the_path() {
    let (db, out) = fixture("missing_file");
    assert_eq!(out.errors.len(), 1, "{:?}", messages(&out));
    assert!(out.errors[0].message.contains("missing_file/trust.json"), "{}", out.errors[0].message);
    assert!(slice(&db, out.errors[0].span).starts_with("file("));
    assert!(out.apps[0].roles[0].trust_policy.is_none());
}

#[test]
fn an_unparseable_file_is_an_error_with_its_line_and_the_rest_loads() {
    let (db, out) = fixture("broken");
    assert_eq!(out.errors.len(), 1, "{:?}", messages(&out));
    let e = &out.errors[0];
    assert_eq!(e.kind, ParseErrorKind::Syntax);
    let file = db.get(e.span.file).unwrap();
    assert!(file.path.ends_with("bad.tf"));
    assert_eq!(file.line_col(e.span.start).line, 3);
    assert!(e.message.contains("line 3"), "{}", e.message);
    assert_eq!(out.apps[0].functions.len(), 1);
    assert_eq!(out.apps[0].functions[0].logical_id, "ok");
}

#[test]
fn local_modules_are_followed_and_registry_lambda_inputs_understood() {
    let (db, out) = fixture("modules");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let worker = function(app, "module.worker.this");
    assert_eq!(worker.name.as_ref().unwrap().value, "worker");
    assert_eq!(worker.runtime.as_ref().unwrap().value, "python3.11");
    // The input's value is located in the calling module.
    assert_eq!(slice(&db, worker.environment[0].value.span), "\"tok-123\"");
    assert_eq!(role_of(app, "module.worker.this").logical_id, "module.worker.this");
    // A module output links a permission to the module's function.
    let (wid, _) = app.functions().find(|(_, f)| f.logical_id == "module.worker.this").unwrap();
    assert_eq!(app.permissions_of(wid).count(), 1);

    let reg = function(app, "registry_fn");
    assert_eq!(reg.runtime.as_ref().unwrap().value, "python3.12");
    assert_eq!(reg.tracing.as_ref().unwrap().value, "Active");
    assert_eq!(reg.environment[0].name, "DB_PASSWORD");
    let url = reg.url.as_ref().unwrap();
    assert_eq!((url.auth_type.value.as_str(), url.auth_type.origin), ("NONE", Origin::Default));
    let role = role_of(app, "registry_fn");
    assert!(role.generated);
    assert!(allowed_actions(role).contains(&"dynamodb:*".to_string()));
    let (rid, _) = app.functions().find(|(_, f)| f.logical_id == "registry_fn").unwrap();
    let perm = app.permissions_of(rid).next().unwrap();
    assert_eq!(perm.principal.value, "apigateway.amazonaws.com");

    // Other registry modules and the module cycle are notes.
    assert!(app.notes.iter().any(|n| n.message.contains("terraform-aws-modules/vpc/aws")));
    assert!(app.notes.iter().any(|n| n.message.contains("module cycle")), "{:?}", app.notes);
}

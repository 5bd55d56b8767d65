//! Risk classes: the embedded lists, one data-driven case per behaviour
//! (`tests/risk-cases/*.json`), and one generated case per
//! privilege-escalation method.
//!
//! Effective permissions are built here directly (their fields are public)
//! over a small catalog (`tests/risk-cases/catalog.json`, a subset of the
//! embedded one), so these tests exercise the risk classes alone.

use std::path::Path;
use std::sync::LazyLock;

use faasguard_iam::catalog::{self, Catalog};
use faasguard_iam::effective::{BoundaryStatus, Denial, Effective, Grant, GrantLists};
use faasguard_iam::risk::{self, Risk, RiskLists, RoleContext};
use faasguard_model::{
    Condition, Effect, PolicyDocument, Principal, PrincipalKind, Statement, Val,
};
use faasguard_source::{FileId, Span};
use serde_json::Value;

const ACCOUNT: &str = "123456789012";
const OWN_ROLE: &str = "arn:aws:iam::123456789012:role/fn-role";
const OWN_FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:fn";

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::from_json(include_str!("risk-cases/catalog.json"))
        .expect("tests/risk-cases/catalog.json parses")
});

/// Statement `i` of the role's policies (file 0) or of its trust policy (file 1).
fn statement_span(file: u32, i: usize) -> Span {
    Span::new(FileId(file), i * 1000, i * 1000 + 999)
}

fn val(text: &str, span: Span) -> Val<String> {
    if text.contains("${") {
        Val::unresolved(text.to_owned(), span)
    } else {
        Val::explicit(text.to_owned(), span)
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => {
            items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
        }
        _ => Vec::new(),
    }
}

fn conditions(v: Option<&Value>, statement: Span, offset: &mut u32) -> Vec<Condition> {
    let Some(Value::Array(items)) = v else { return Vec::new() };
    items
        .iter()
        .map(|c| {
            *offset += 1;
            let span = Span {
                file: statement.file,
                start: statement.start + *offset,
                end: statement.start + *offset + 1,
            };
            Condition {
                operator: c["operator"].as_str().unwrap_or("StringEquals").to_owned(),
                key: c["key"].as_str().expect("condition key").to_owned(),
                values: strings(c.get("values")).iter().map(|s| val(s, span)).collect(),
                span,
            }
        })
        .collect()
}

/// A grant of `action` on `*`, from statement `statement`.
fn star(action: &str, statement: usize) -> Grant<'static> {
    grant(action, &["*"], true, statement)
}

fn grant(action: &str, resources: &[&str], unrestricted: bool, statement: usize) -> Grant<'static> {
    let action_ref =
        CATALOG.action(action).unwrap_or_else(|| panic!("{action} is not in the test catalog"));
    let span = statement_span(0, statement);
    Grant {
        action: action_ref,
        unrestricted,
        conditional: false,
        unrestricted_conditional: false,
        lists: GrantLists {
            resources: resources.iter().map(|r| val(r, span)).collect(),
            conditions: Vec::new().into(),
            statements: vec![span].into(),
            policies: vec!["test".to_owned()].into(),
            excluded: Vec::new().into(),
            denials: Vec::new().into(),
        }
        .into(),
    }
}

/// Grants in catalog order, as the effective-permissions builder gives them.
fn effective(mut grants: Vec<Grant<'static>>) -> Effective<'static> {
    grants.sort_by_key(|g| g.action.full_name().to_ascii_lowercase());
    let mut eff = Effective::default();
    eff.grants = grants;
    eff
}

fn grant_from_json(g: &Value, index: usize) -> Grant<'static> {
    let action = g["action"].as_str().expect("grant action");
    let resources = strings(g.get("resources"));
    let statements: Vec<usize> = match g.get("statements") {
        Some(Value::Array(items)) => {
            items.iter().filter_map(Value::as_u64).map(|i| i as usize).collect()
        }
        _ => vec![index],
    };
    let wildcard_only = CATALOG.action(action).is_some_and(|a| a.action.is_wildcard_only());
    let unrestricted =
        g["unrestricted"].as_bool().unwrap_or(wildcard_only || resources.iter().any(|r| r == "*"));
    let refs: Vec<&str> = resources.iter().map(String::as_str).collect();
    let mut out = grant(action, &refs, unrestricted, statements[0]);
    out.statements = statements.iter().map(|&i| statement_span(0, i)).collect();
    let mut offset = 0;
    let mut conds = Vec::new();
    if let Some(Value::Array(items)) = g.get("conditions") {
        for c in items {
            let at = c["statement"].as_u64().map_or(statements[0], |i| i as usize);
            let span = statement_span(0, at);
            conds.extend(conditions(Some(&Value::Array(vec![c.clone()])), span, &mut offset));
        }
    }
    out.conditions = conds.into();
    out.conditional = g["conditional"].as_bool().unwrap_or(!out.conditions.is_empty());
    out.unrestricted_conditional =
        out.unrestricted && g["unrestricted_conditional"].as_bool().unwrap_or(out.conditional);
    if let Some(Value::Array(items)) = g.get("denials") {
        let mut denials = Vec::new();
        for d in items {
            let span = statement_span(0, d["statement"].as_u64().unwrap_or(99) as usize);
            denials.push(Denial {
                statement: span,
                policy: "test".to_owned(),
                resources: strings(d.get("resources")).iter().map(|r| val(r, span)).collect(),
                excluded: Vec::new(),
                conditions: conditions(d.get("conditions"), span, &mut offset),
            });
        }
        out.denials = denials.into();
    }
    out
}

fn principal(v: &Value, span: Span) -> Principal {
    match v {
        Value::String(s) if s == "*" => Principal::Any(span),
        Value::Object(map) => {
            let kinds = map
                .iter()
                .map(|(k, vals)| {
                    let kind = match k.as_str() {
                        "AWS" => PrincipalKind::Aws,
                        "Service" => PrincipalKind::Service,
                        "Federated" => PrincipalKind::Federated,
                        "CanonicalUser" => PrincipalKind::CanonicalUser,
                        other => panic!("unknown principal kind {other}"),
                    };
                    let inner = Span { start: span.start + 500, end: span.start + 600, ..span };
                    (kind, strings(Some(vals)).iter().map(|s| val(s, inner)).collect())
                })
                .collect();
            Principal::Listed(kinds)
        }
        other => panic!("bad principal {other}"),
    }
}

fn trust_from_json(v: &Value) -> Option<PolicyDocument> {
    let Value::Array(items) = v else { return None };
    let statements = items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let span = statement_span(1, i);
            let effect =
                if s["effect"].as_str() == Some("Deny") { Effect::Deny } else { Effect::Allow };
            let mut offset = 0;
            Statement {
                sid: None,
                effect: Val::explicit(effect, span),
                actions: vec![Val::explicit("sts:AssumeRole".to_owned(), span)],
                not_actions: None,
                resources: Vec::new(),
                not_resources: None,
                principal: s.get("principal").map(|p| principal(p, span)),
                not_principal: s.get("not_principal").map(|p| principal(p, span)),
                conditions: conditions(s.get("conditions"), span, &mut offset),
                span,
            }
        })
        .collect();
    Some(PolicyDocument { statements, span: Span::file_start(FileId(1)) })
}

fn matches(risk: &Risk, want: &Value) -> bool {
    let field = |name: &str| want.get(name).and_then(Value::as_str);
    field("class").is_none_or(|c| c == risk.class.as_str())
        && field("method").is_none_or(|m| risk.method.as_deref() == Some(m))
        && field("severity").is_none_or(|s| s == risk.severity.as_str())
        && field("confidence").is_none_or(|c| c == risk.confidence.as_str())
        && strings(want.get("actions")).iter().all(|a| risk.actions.contains(a))
        && strings(want.get("without_actions")).iter().all(|a| !risk.actions.contains(a))
        && strings(want.get("resources")).iter().all(|r| risk.resources.contains(r))
        && field("detail_contains").is_none_or(|d| risk.detail.contains(d))
        && match want.get("evidence") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_u64)
                .all(|i| risk.evidence.contains(&statement_span(0, i as usize))),
            _ => true,
        }
}

fn summary(risks: &[Risk]) -> String {
    risks
        .iter()
        .map(|r| {
            format!(
                "  {} {} {} {} {:?}\n",
                r.class.as_str(),
                r.method.as_deref().unwrap_or("-"),
                r.severity.as_str(),
                r.confidence.as_str(),
                r.actions
            )
        })
        .collect()
}

fn run_case(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut grants: Vec<Grant<'static>> = match case.get("grants") {
        Some(Value::Array(items)) => {
            items.iter().enumerate().map(|(i, g)| grant_from_json(g, i)).collect()
        }
        _ => Vec::new(),
    };
    if case["all_catalog_actions"].as_bool() == Some(true) {
        grants.extend(CATALOG.all_actions().map(|a| star(&a.full_name(), 0)));
    }
    for prefix in strings(case.get("all_service_actions")) {
        let service = CATALOG.service(&prefix).ok_or(format!("no service {prefix}"))?;
        grants.extend(service.actions.iter().map(|a| star(&format!("{prefix}:{}", a.name), 0)));
    }
    let mut eff = effective(grants);
    if case["boundary_not_applied"].as_bool() == Some(true) {
        eff.boundary = BoundaryStatus::NotApplied(statement_span(0, 98));
    }
    let context = case.get("context").cloned().unwrap_or(Value::Null);
    let or_default = |key: &str, default: &[&str]| match context.get(key) {
        Some(v) => strings(Some(v)),
        None => default.iter().map(|s| (*s).to_owned()).collect(),
    };
    let trust = case.get("trust").and_then(trust_from_json);
    let ctx = RoleContext {
        own_role: or_default("own_role", &[OWN_ROLE]),
        own_functions: or_default("own_functions", &[OWN_FUNCTION]),
        own_policies: or_default("own_policies", &[]),
        trust_policy: trust.as_ref(),
        account: match context.get("account") {
            Some(Value::Null) => None,
            Some(v) => v.as_str().map(str::to_owned),
            None => Some(ACCOUNT.to_owned()),
        },
        known_accounts: or_default("known_accounts", &[]),
        catalog: Some(&CATALOG),
    };
    let risks = risk::assess(&eff, &ctx);
    let mut problems = Vec::new();
    let expect = match case.get("expect") {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    for want in &expect {
        if !risks.iter().any(|r| matches(r, want)) {
            problems.push(format!("expected {want}"));
        }
    }
    if let Some(Value::Array(items)) = case.get("forbid") {
        for unwanted in items {
            if risks.iter().any(|r| matches(r, unwanted)) {
                problems.push(format!("forbidden {unwanted}"));
            }
        }
    }
    if case["only"].as_bool() == Some(true) {
        for r in &risks {
            if !expect.iter().any(|want| matches(r, want)) {
                problems.push(format!("unexpected {} {:?}", r.class.as_str(), r.method));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n got:\n{}", problems.join("\n "), summary(&risks)))
    }
}

#[test]
fn risk_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/risk-cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/risk-cases exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("catalog.json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "expected the behaviour cases, found {}", paths.len());
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            run_case(p)
                .err()
                .map(|e| format!("{}: {e}", p.file_name().unwrap_or_default().display()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

fn context() -> RoleContext<'static> {
    RoleContext {
        own_role: vec![OWN_ROLE.to_owned()],
        own_functions: vec![OWN_FUNCTION.to_owned()],
        account: Some(ACCOUNT.to_owned()),
        catalog: Some(&CATALOG),
        ..RoleContext::default()
    }
}

fn fired<'r>(risks: &'r [Risk], method: &str) -> Option<&'r Risk> {
    risks.iter().find(|r| r.method.as_deref() == Some(method))
}

#[test]
fn every_escalation_method_fires_with_exactly_its_actions_and_not_without_any_one() {
    let ctx = context();
    let methods = &risk::lists().privilege_escalation;
    let mut checked = 0;
    for method in methods {
        let all: Vec<Grant<'static>> =
            method.actions.iter().enumerate().map(|(i, a)| star(a, i)).collect();
        let risks = risk::assess(&effective(all), &ctx);
        let risk = fired(&risks, &method.name).unwrap_or_else(|| {
            panic!("{} did not fire with {:?}:\n{}", method.name, method.actions, summary(&risks))
        });
        assert_eq!(risk.severity.as_str(), "High", "{}", method.name);
        assert_eq!(risk.confidence.as_str(), "High", "{}", method.name);
        assert_eq!(risk.actions.len(), method.actions.len(), "{}", method.name);
        assert_eq!(
            risk.evidence.len(),
            method.actions.len(),
            "{}: one statement per action",
            method.name
        );
        for skip in 0..method.actions.len() {
            let rest: Vec<Grant<'static>> = method
                .actions
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(i, a)| star(a, i))
                .collect();
            let risks = risk::assess(&effective(rest), &ctx);
            assert!(
                fired(&risks, &method.name).is_none(),
                "{} fired without {}",
                method.name,
                method.actions[skip]
            );
            checked += 1;
        }
    }
    assert!(checked >= methods.len(), "every method has at least one action");
}

#[test]
fn passrole_methods_need_roles_beyond_the_own_and_the_right_service() {
    let ctx = context();
    let with_passrole = risk::lists()
        .privilege_escalation
        .iter()
        .filter(|m| m.actions.iter().any(|a| a == "iam:PassRole"));
    let mut count = 0;
    for method in with_passrole {
        count += 1;
        assert!(!method.passed_to.is_empty(), "{} has no passed_to services", method.name);
        let build = |passrole: Grant<'static>| {
            let mut grants: Vec<Grant<'static>> = method
                .actions
                .iter()
                .enumerate()
                .filter(|(_, a)| *a != "iam:PassRole")
                .map(|(i, a)| star(a, i + 1))
                .collect();
            grants.push(passrole);
            effective(grants)
        };
        let own_only = build(grant("iam:PassRole", &[OWN_ROLE], false, 0));
        assert!(
            fired(&risk::assess(&own_only, &ctx), &method.name).is_none(),
            "{} fired passing its own role",
            method.name
        );

        let limited = |service: &str| {
            let mut g = star("iam:PassRole", 0);
            let span = statement_span(0, 0);
            g.conditional = true;
            g.conditions = vec![Condition {
                operator: "StringEquals".to_owned(),
                key: "iam:PassedToService".to_owned(),
                values: vec![Val::explicit(service.to_owned(), Span { start: 5, end: 6, ..span })],
                span: Span { start: 5, end: 6, ..span },
            }]
            .into();
            build(g)
        };
        let right = risk::assess(&limited(&method.passed_to[0]), &ctx);
        let risk = fired(&right, &method.name)
            .unwrap_or_else(|| panic!("{} did not fire for its service", method.name));
        assert_eq!(risk.confidence.as_str(), "Conditional", "{}", method.name);
        let wrong = risk::assess(&limited("nothing.example.com"), &ctx);
        assert!(fired(&wrong, &method.name).is_none(), "{} fired for another service", method.name);
    }
    assert!(count >= 30, "expected the PassRole methods, found {count}");
}

#[test]
fn embedded_lists_parse_and_are_consistent() {
    let lists = RiskLists::from_json(include_str!("../data/risk-lists.json"))
        .expect("data/risk-lists.json parses");
    let methods = &lists.privilege_escalation;
    let from =
        |source: &str| methods.iter().filter(|m| m.sources.iter().any(|s| s == source)).count();
    assert_eq!(from("cloudsplaining"), 59, "Cloudsplaining's 59 methods");
    assert!(from("rhino") >= 25, "Rhino Security Labs' methods");
    let mut names = std::collections::HashSet::new();
    let mut sets = std::collections::HashSet::new();
    for m in methods {
        assert!(names.insert(m.name.clone()), "duplicate method name {}", m.name);
        let mut set: Vec<String> = m.actions.iter().map(|a| a.to_ascii_lowercase()).collect();
        set.sort();
        assert!(sets.insert(set), "{} repeats the actions of another method", m.name);
        assert!(!m.actions.is_empty(), "{} has no actions", m.name);
        let passes = m.actions.iter().any(|a| a == "iam:PassRole");
        assert_eq!(
            passes,
            !m.passed_to.is_empty(),
            "{}: passed_to only and always with iam:PassRole",
            m.name
        );
    }
    assert_eq!(lists.credentials_exposure.len(), 42, "Cloudsplaining's 45 minus the 3 removed");
    assert!(
        lists
            .credentials_exposure
            .iter()
            .all(|a| !a.starts_with("gamelist:") && !a.starts_with("sso:"))
    );
    let unique: std::collections::HashSet<String> =
        lists.credentials_exposure.iter().map(|a| a.to_ascii_lowercase()).collect();
    assert_eq!(unique.len(), lists.credentials_exposure.len(), "no duplicate credentials actions");
    let cloudsplaining_exfiltration =
        lists.data_exfiltration.iter().filter(|e| !e.extension).count();
    assert_eq!(cloudsplaining_exfiltration, 5, "Cloudsplaining's 5 data-exfiltration actions");
    // The lists the engine uses are the embedded ones.
    assert_eq!(risk::lists().privilege_escalation.len(), methods.len());
}

/// Every listed action, in the test catalog and in the embedded one.
fn listed_actions(lists: &RiskLists) -> Vec<&str> {
    lists
        .privilege_escalation
        .iter()
        .flat_map(|m| m.actions.iter())
        .chain(&lists.self_modification.role)
        .chain(&lists.self_modification.attached_policy)
        .chain(lists.data_exfiltration.iter().map(|e| &e.action))
        .chain(&lists.credentials_exposure)
        .map(String::as_str)
        .collect()
}

#[test]
fn every_listed_action_is_in_the_embedded_catalog_with_its_exact_name() {
    let embedded = catalog::catalog();
    if embedded.action_count() == 0 {
        eprintln!(
            "skipped: the embedded IAM catalog is empty (data/iam-catalog.json not generated yet)"
        );
        return;
    }
    let missing: Vec<&str> = listed_actions(risk::lists())
        .into_iter()
        .filter(|a| embedded.action(a).is_none_or(|r| r.full_name() != *a))
        .collect();
    assert!(missing.is_empty(), "not in the catalog (or cased differently): {missing:?}");
    for a in listed_actions(risk::lists()) {
        assert!(CATALOG.action(a).is_some(), "{a} is missing from tests/risk-cases/catalog.json");
    }
}

#[test]
fn assessment_is_deterministic() {
    let ctx = context();
    let grants = || {
        effective(
            CATALOG
                .all_actions()
                .enumerate()
                .filter(|(i, _)| i % 3 != 0)
                .map(|(i, a)| star(&a.full_name(), i))
                .collect(),
        )
    };
    let first = risk::assess(&grants(), &ctx);
    let second = risk::assess(&grants(), &ctx);
    assert!(!first.is_empty());
    assert_eq!(first, second);
    let classes: Vec<_> = first.iter().map(|r| r.class).collect();
    let mut sorted = classes.clone();
    sorted.sort_by_key(|c| match c.as_str() {
        "Admin" => 0,
        "PrivilegeEscalation" => 1,
        "CredentialsExposure" => 2,
        "ResourceExposure" => 3,
        "DataExfiltration" => 4,
        "ServiceWildcard" => 5,
        "InfrastructureModification" => 6,
        _ => 7,
    });
    assert_eq!(classes, sorted, "risks come grouped by class");
}

/// Terminates (the glob comparisons are bounded in pattern length and
/// count) and fails safe: patterns too long or too many to compare still
/// count as reaching beyond the role's own things, and every trust
/// statement is checked. Speed is measured by `benches/roles.rs`.
#[test]
fn hostile_input_stays_bounded() {
    let ctx = context();
    // 10,000 long wildcard resources on the actions compared with the
    // role's own ARNs, and a 10,000-statement trust policy.
    let hostile: Vec<String> = (0..10_000)
        .map(|i| {
            format!("arn:aws:iam::*:role/{}{i}", "a*".repeat(if i % 2 == 0 { 1_000 } else { 110 }))
        })
        .collect();
    let refs: Vec<&str> = hostile.iter().map(String::as_str).collect();
    let grants =
        ["iam:PassRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "lambda:UpdateFunctionCode"]
            .iter()
            .enumerate()
            .map(|(i, a)| grant(a, &refs, false, i))
            .chain([star("lambda:CreateFunction", 9), star("lambda:InvokeFunction", 10)])
            .collect();
    let statements: Vec<Value> = (0..10_000)
        .map(|i| serde_json::json!({"principal": {"AWS": format!("arn:aws:iam::{:012}:root", i), "Service": "states.amazonaws.com"}}))
        .collect();
    let trust = trust_from_json(&Value::Array(statements));
    let ctx = RoleContext { trust_policy: trust.as_ref(), ..ctx };
    let risks = risk::assess(&effective(grants), &ctx);
    // The uncompared wildcards are not taken as the role's own: each method
    // fires, with low confidence (what they name is unknown).
    let permission_risks: Vec<Risk> =
        risks.iter().filter(|r| r.class.as_str() != "Trust").cloned().collect();
    for method in [
        "PassExistingRoleToNewLambdaThenInvoke",
        "PutRolePolicy",
        "AttachRolePolicy",
        "EditExistingLambdaFunctionWithRole",
        "UpdateAndInvokeLambdaFunction",
    ] {
        let r = fired(&permission_risks, method)
            .unwrap_or_else(|| panic!("{method} did not fire:\n{}", summary(&permission_risks)));
        assert_eq!(r.confidence.as_str(), "Low", "{method}");
    }
    // One risk per trust statement and check: none skipped.
    let trust = |check: &str| {
        risks
            .iter()
            .filter(|r| r.class.as_str() == "Trust" && r.method.as_deref() == Some(check))
            .count()
    };
    assert_eq!(trust("CrossAccount"), 10_000);
    assert_eq!(trust("ServiceWithoutSourceCondition"), 10_000);
}

/// Through the CloudFormation loader and the effective-permissions builder
/// over the embedded catalog: the pieces fit as the risk classes assume.
fn assess_template(yaml: &str, own_role: &[&str]) -> Vec<Risk> {
    let outcome = faasguard_loaders::load_file(FileId(7), "template.yaml", yaml)
        .expect("a CloudFormation template");
    let app = outcome.apps.first().expect("one app");
    let role = app.roles.iter().find(|r| r.logical_id == "FnRole").expect("role FnRole");
    let eff = faasguard_iam::effective::effective(role, catalog::catalog());
    let ctx = RoleContext {
        own_role: own_role.iter().map(|s| (*s).to_owned()).collect(),
        trust_policy: role.trust_policy.as_ref(),
        account: Some(ACCOUNT.to_owned()),
        ..RoleContext::default()
    };
    risk::assess(&eff, &ctx)
}

const TEMPLATE: &str = r#"
Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: PASSROLE
              - Effect: Allow
                Action: [lambda:CreateFunction, lambda:InvokeFunction]
                Resource: "*"
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "def handler(e, c): pass" }
"#;

#[test]
fn end_to_end_through_the_loader_and_the_effective_builder() {
    if catalog::catalog().action_count() == 0 {
        eprintln!(
            "skipped: the embedded IAM catalog is empty (data/iam-catalog.json not generated yet)"
        );
        return;
    }
    let method = "PassExistingRoleToNewLambdaThenInvoke";
    let any = assess_template(&TEMPLATE.replace("PASSROLE", "\"*\""), &[OWN_ROLE]);
    let risk = fired(&any, method).unwrap_or_else(|| panic!("no {method}:\n{}", summary(&any)));
    assert_eq!(risk.confidence.as_str(), "High");
    assert!(!risk.evidence.is_empty() && risk.evidence.iter().all(|s| s.file == FileId(7)));
    assert!(
        any.iter().all(|r| r.class.as_str() != "Trust"),
        "lambda.amazonaws.com trust is normal:\n{}",
        summary(&any)
    );

    let own = assess_template(
        &TEMPLATE.replace("PASSROLE", "arn:aws:iam::123456789012:role/fn-role"),
        &[OWN_ROLE],
    );
    assert!(fired(&own, method).is_none(), "passing its own role:\n{}", summary(&own));

    // The loader's renderings of references to the role itself: `!GetAtt
    // FnRole.Arn` and a `!Sub` naming it, as the linter passes them.
    let renderings = ["FnRole.Arn", "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${FnRole}"];
    let referenced = assess_template(
        &TEMPLATE.replace(
            "PASSROLE",
            "[!GetAtt FnRole.Arn, !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${FnRole}\"]",
        ),
        &renderings,
    );
    assert!(
        fired(&referenced, method).is_none(),
        "passing its own role by reference:\n{}",
        summary(&referenced)
    );
    let other =
        assess_template(&TEMPLATE.replace("PASSROLE", "!GetAtt OtherRole.Arn"), &renderings);
    let risk = fired(&other, method)
        .unwrap_or_else(|| panic!("passing another role:\n{}", summary(&other)));
    assert_eq!(risk.confidence.as_str(), "Low");

    let admin = assess_template(
        &TEMPLATE.replace("Action: iam:PassRole", "Action: \"*\"").replace("PASSROLE", "\"*\""),
        &[],
    );
    assert_eq!(admin.len(), 1, "admin only:\n{}", summary(&admin));
    assert_eq!((admin[0].class.as_str(), admin[0].severity.as_str()), ("Admin", "Critical"));
}

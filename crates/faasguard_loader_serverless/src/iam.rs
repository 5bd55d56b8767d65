//! IAM: policy statements as written in `serverless.yml` and in its
//! CloudFormation resources, and the roles the Framework generates.
//!
//! The Framework gives every function without a `role:` one shared role,
//! `IamRoleLambdaExecution`, holding the provider statements plus the
//! permissions it adds itself (logs, queue and stream polling, X-Ray, VPC
//! networking). The serverless-iam-roles-per-function plugin gives a function
//! with its own `iamRoleStatements` a role of its own, built the same way.
//! Both are modelled with `generated: true`, so rules can tell them from
//! roles the author wrote.

use faasguard_model::{
    AttachedPolicy, Condition, Effect, Origin, PolicyDocument, PolicySource, Principal,
    PrincipalKind, Role, Statement, Val,
};
use faasguard_source::Span;
use faasguard_syntax::{Node, NodeKind};

use crate::Ctx;
use crate::values::{intrinsic, text, text_list};

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Principal",
    "NotPrincipal",
];

/// The AWS managed policy the Framework attaches when a function is in a VPC.
pub(crate) const VPC_ACCESS_POLICY: &str =
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

/// One policy statement. `None` (with a problem recorded) when it is not a mapping.
pub(crate) fn statement(ctx: &mut Ctx, node: &Node) -> Option<Statement> {
    if intrinsic(node).is_some() {
        ctx.note(node.span, "a statement computed by an intrinsic function is not modelled");
        return None;
    }
    if !node.is_map() {
        ctx.structure(
            node.span,
            "an IAM statement must be a mapping (`Effect`, `Action`, `Resource`)",
        );
        return None;
    }
    ctx.check_keys(node, STATEMENT_KEYS, "an IAM statement");
    let effect = match node.get("Effect") {
        Some(e) => match text(e) {
            Some(v) if v.is_known() && v.value == "Allow" => Val::explicit(Effect::Allow, e.span),
            Some(v) if v.is_known() && v.value == "Deny" => Val::explicit(Effect::Deny, e.span),
            Some(v) if v.is_known() => {
                ctx.structure(
                    e.span,
                    format!("`Effect` must be `Allow` or `Deny`, not `{}`", v.value),
                );
                Val::unresolved(Effect::Allow, e.span)
            }
            _ => Val::unresolved(Effect::Allow, e.span),
        },
        None => {
            ctx.structure(node.span, "the IAM statement has no `Effect`");
            Val::unresolved(Effect::Allow, node.span)
        }
    };
    let list = |k: &str| node.get(k).map(text_list);
    if node.get("Action").is_none() && node.get("NotAction").is_none() {
        ctx.structure(node.span, "the IAM statement has neither `Action` nor `NotAction`");
    }
    Some(Statement {
        sid: node.get("Sid").and_then(Node::scalar_text),
        effect,
        actions: list("Action").unwrap_or_default(),
        not_actions: list("NotAction"),
        resources: list("Resource").unwrap_or_default(),
        not_resources: list("NotResource"),
        principal: node.get("Principal").map(principal),
        not_principal: node.get("NotPrincipal").map(principal),
        conditions: node.get("Condition").map(conditions).unwrap_or_default(),
        span: node.span,
    })
}

/// A policy document (`Statement` as a list or a single mapping), or a
/// bare list of statements as `provider.apiGateway.resourcePolicy` takes.
pub(crate) fn document(ctx: &mut Ctx, node: &Node) -> Option<PolicyDocument> {
    let statements_node = match &node.kind {
        NodeKind::Map(_) if intrinsic(node).is_none() => match node.get("Statement") {
            Some(s) => s,
            None => {
                ctx.structure(node.span, "the policy document has no `Statement`");
                return None;
            }
        },
        NodeKind::Seq(_) => node,
        _ => {
            ctx.note(node.span, "a policy document that is not written out is not modelled");
            return None;
        }
    };
    let statements = match &statements_node.kind {
        NodeKind::Seq(items) => items.iter().filter_map(|s| statement(ctx, s)).collect(),
        _ => statement(ctx, statements_node).into_iter().collect(),
    };
    Some(PolicyDocument { statements, span: node.span })
}

/// `Principal`: `"*"`, `{AWS: "*"}`, or lists per kind.
pub(crate) fn principal(node: &Node) -> Principal {
    if node.as_str() == Some("*") {
        return Principal::Any(node.span);
    }
    let mut listed = Vec::new();
    for e in node.entries() {
        let kind = match e.key.as_str() {
            "AWS" => PrincipalKind::Aws,
            "Service" => PrincipalKind::Service,
            "Federated" => PrincipalKind::Federated,
            "CanonicalUser" => PrincipalKind::CanonicalUser,
            _ => continue,
        };
        let values = text_list(&e.value);
        if kind == PrincipalKind::Aws && values.iter().any(|v| v.is_known() && v.value == "*") {
            return Principal::Any(e.value.span);
        }
        listed.push((kind, values));
    }
    Principal::Listed(listed)
}

fn conditions(node: &Node) -> Vec<Condition> {
    let mut out = Vec::new();
    for op in node.entries() {
        for key in op.value.entries() {
            out.push(Condition {
                operator: op.key.clone(),
                key: key.key.clone(),
                values: text_list(&key.value),
                span: key.key_span.cover(key.value.span),
            });
        }
    }
    out
}

/// The trust policy of a Framework-generated execution role.
pub(crate) fn lambda_trust(span: Span) -> PolicyDocument {
    PolicyDocument {
        statements: vec![Statement {
            sid: None,
            effect: Val::default_at(Effect::Allow, span),
            actions: vec![Val::default_at("sts:AssumeRole".into(), span)],
            not_actions: None,
            resources: Vec::new(),
            not_resources: None,
            principal: Some(Principal::Listed(vec![(
                PrincipalKind::Service,
                vec![Val::default_at("lambda.amazonaws.com".into(), span)],
            )])),
            not_principal: None,
            conditions: Vec::new(),
            span,
        }],
        span,
    }
}

/// A statement the Framework adds on its own, located at what caused it.
pub(crate) fn generated_statement(
    actions: &[&str],
    resources: Vec<Val<String>>,
    span: Span,
) -> Statement {
    Statement {
        sid: None,
        effect: Val::default_at(Effect::Allow, span),
        actions: actions.iter().map(|a| Val::default_at(a.to_string(), span)).collect(),
        not_actions: None,
        resources,
        not_resources: None,
        principal: None,
        not_principal: None,
        conditions: Vec::new(),
        span,
    }
}

/// The log permissions a generated role carries, one resource per log
/// group pattern (the name after `/aws/lambda/`, `*` included where the
/// Framework grants a prefix). Each resource is located at its pattern and
/// is a default (the Framework writes it, `${AWS::Partition}` and all),
/// unless the pattern is unresolved, which it then stays.
pub(crate) fn log_statements(groups: &[Val<String>], span: Span) -> Vec<Statement> {
    let arn = |group: &Val<String>, suffix: &str| Val {
        value: format!(
            "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{}{suffix}",
            group.value
        ),
        span: group.span,
        origin: if group.is_known() { Origin::Default } else { Origin::Unresolved },
    };
    vec![
        generated_statement(
            &["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
            groups.iter().map(|g| arn(g, ":*")).collect(),
            span,
        ),
        generated_statement(
            &["logs:PutLogEvents"],
            groups.iter().map(|g| arn(g, ":*:*")).collect(),
            span,
        ),
    ]
}

/// An attached managed policy, by ARN or reference.
pub(crate) fn managed_policy(node: &Node) -> Option<AttachedPolicy> {
    let arn = text(node)?;
    let source = if arn.is_known()
        && (arn.value.starts_with("arn:aws:iam::aws:policy/")
            || arn.value.contains(":iam::aws:policy/"))
    {
        PolicySource::AwsManaged
    } else {
        PolicySource::Unresolved
    };
    let document = (source == PolicySource::AwsManaged)
        .then(|| faasguard_loaders::aws_managed_policy_document(&arn.value, node.span))
        .flatten();
    Some(AttachedPolicy { name: arn.value, span: node.span, source, document })
}

/// What a generated role is made of.
pub(crate) struct RoleSpec<'n> {
    pub(crate) logical_id: String,
    pub(crate) span: Span,
    /// Name of the inline policy (the Framework's `<stage>-<service>-lambda`).
    pub(crate) policy_name: String,
    /// Log group patterns covered by the log statements (see [`log_statements`]).
    pub(crate) log_groups: Vec<Val<String>>,
    pub(crate) statements: Vec<&'n Node>,
    pub(crate) managed_policies: Vec<&'n Node>,
    pub(crate) boundary: Option<&'n Node>,
    /// Statements the Framework adds for events, tracing and failure targets.
    pub(crate) extra: Vec<Statement>,
    /// Whether a function using it is in a VPC.
    pub(crate) vpc: Option<Span>,
}

/// Builds a Framework-generated execution role.
pub(crate) fn generated_role(ctx: &mut Ctx, spec: RoleSpec<'_>) -> Role {
    let mut statements = log_statements(&spec.log_groups, spec.span);
    statements.extend(spec.statements.iter().filter_map(|s| statement(ctx, s)));
    statements.extend(spec.extra);
    let mut policies = vec![AttachedPolicy {
        name: spec.policy_name,
        span: spec.span,
        source: PolicySource::Inline,
        document: Some(PolicyDocument { statements, span: spec.span }),
    }];
    policies.extend(spec.managed_policies.iter().filter_map(|m| managed_policy(m)));
    if let Some(vpc) = spec.vpc
        && !policies.iter().any(|p| p.name == VPC_ACCESS_POLICY)
    {
        policies.push(AttachedPolicy {
            name: VPC_ACCESS_POLICY.into(),
            span: vpc,
            source: PolicySource::AwsManaged,
            document: faasguard_loaders::aws_managed_policy_document(VPC_ACCESS_POLICY, vpc),
        });
    }
    Role {
        logical_id: spec.logical_id,
        span: spec.span,
        generated: true,
        trust_policy: Some(lambda_trust(spec.span)),
        policies,
        permissions_boundary: spec.boundary.and_then(text),
        boundary_document: None,
        assignments: Vec::new(),
        default_identity: false,
    }
}

//! The IAM engine's view of the app's roles, for the rules: effective
//! permissions, risks, and the one way they all turn a risk into a finding.

use faasguard_diagnostics::{Finding, Severity};
use faasguard_iam::catalog::catalog;
use faasguard_iam::effective::effective_with_boundary;
use faasguard_iam::risk::{
    Confidence, Level, Risk, RiskClass, RoleContext, assess as assess_risks,
};
use faasguard_model::{App, RoleId};

use crate::Settings;
use crate::checker::{Checker, FindingExt, RoleIam};
use crate::rules::iam::roles::ExecutionRole;

/// How the app's templates may name a role or a function: the renderings
/// the loaders give references (`Fn.Arn` for `!GetAtt Fn.Arn` and the text
/// of a `!Sub` in CloudFormation, `${GetAtt:Fn.Arn}` and `${Ref:Fn}` in the
/// Serverless Framework's `resources`, Terraform's `${aws_iam_role.r.arn}`).
fn renderings(logical_id: &str, function: bool) -> Vec<String> {
    let tf_name = logical_id.rsplit('.').next().unwrap_or(logical_id);
    let mut out = vec![
        logical_id.to_string(),
        format!("{logical_id}.Arn"),
        format!("${{{logical_id}.Arn}}"),
        format!("${{GetAtt:{logical_id}.Arn}}"),
        format!("${{Ref:{logical_id}}}"),
    ];
    if function {
        // Lambda ARNs, also with a version or alias (`:*`), which is still
        // the function itself.
        for arn in [
            format!(
                "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:${{{logical_id}}}"
            ),
            format!(
                "arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:${{{logical_id}}}"
            ),
            format!("${{{logical_id}.Arn}}"),
            format!("${{aws_lambda_function.{tf_name}.arn}}"),
        ] {
            out.push(format!("{arn}:*"));
            out.push(arn);
        }
    } else {
        out.push(format!(
            "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/${{{logical_id}}}"
        ));
        out.push(format!("arn:aws:iam::${{AWS::AccountId}}:role/${{{logical_id}}}"));
        out.push(format!("${{aws_iam_role.{tf_name}.arn}}"));
    }
    out.sort();
    out.dedup();
    out
}

/// Effective permissions and risks of one role, with the exclusions file
/// applied: excluded actions are dropped from risks (a risk left with no
/// action goes), an excluded role has none. Excluded policies are already
/// gone: `check_app` prunes them from the model for every rule.
pub(crate) fn assess(app: &App, id: RoleId, settings: &Settings) -> RoleIam {
    let ex = &settings.iam_exclusions;
    let role = app.role(id);
    let eff = effective_with_boundary(role, role.boundary_document.as_ref(), catalog());
    if ex.excludes_role(&role.logical_id) {
        return RoleIam { effective: eff, risks: Vec::new() };
    }
    let own_functions =
        app.functions_with_role(id).flat_map(|(_, f)| renderings(&f.logical_id, true)).collect();
    let ctx = RoleContext {
        own_role: renderings(&role.logical_id, false),
        own_functions,
        own_policies: Vec::new(),
        trust_policy: role.trust_policy.as_ref(),
        account: None,
        known_accounts: ex.known_accounts.iter().map(|a| a.trim().to_string()).collect(),
        catalog: None,
    };
    let mut risks = assess_risks(&eff, &ctx);
    if !ex.exclude_actions.is_empty() {
        // An escalation method needs every one of its actions: excluding
        // one (the user vouches for it) rules the whole method out. The
        // other classes are lists of independent actions.
        risks.retain(|r| {
            r.class != RiskClass::PrivilegeEscalation
                || !r.actions.iter().any(|a| ex.excludes_action(a))
        });
        for r in &mut risks {
            if r.class != RiskClass::Trust {
                r.actions.retain(|a| !ex.excludes_action(a));
            }
        }
        risks.retain(|r| r.class == RiskClass::Trust || !r.actions.is_empty());
    }
    RoleIam { effective: eff, risks }
}

/// A finding's severity from a risk's level, one step lower when the
/// engine is not sure (a narrower resource or an unresolved value may
/// make it harmless).
pub(crate) fn severity(risk: &Risk) -> Severity {
    let base = match risk.severity {
        Level::Critical => Severity::Critical,
        Level::High => Severity::High,
        Level::Medium => Severity::Medium,
        Level::Low => Severity::Low,
    };
    match (risk.confidence, base) {
        (Confidence::High, s) => s,
        (_, Severity::Critical) => Severity::High,
        (_, Severity::High) => Severity::Medium,
        (_, Severity::Medium) => Severity::Low,
        (_, s) => s,
    }
}

/// Actions of a risk for a message: the first few, then a count.
pub(crate) fn shown_actions(risk: &Risk) -> String {
    show(risk.actions.iter().map(String::as_str).collect(), risk.actions.len())
}

/// The same with the best-known actions first: the engine lists actions in
/// catalog order, where `s3:AssociateAccessGrantsIdentityCenter` comes
/// before `s3:PutBucketPolicy`. `rank` gives lower numbers to the actions
/// a reader recognises; ties go shortest name first (the common actions).
pub(crate) fn shown_actions_ranked(risk: &Risk, rank: impl Fn(&str) -> u8) -> String {
    let mut actions: Vec<&str> = risk.actions.iter().map(String::as_str).collect();
    actions.sort_by_cached_key(|a| (rank(a), a.len(), a.to_string()));
    show(actions, risk.actions.len())
}

fn show(actions: Vec<&str>, total: usize) -> String {
    let mut shown: Vec<String> = actions.iter().take(5).map(|a| format!("`{a}`")).collect();
    if total > 5 {
        shown.push(format!("and {} more", total - 5));
    }
    shown.join(", ")
}

/// What a risk's confidence means for the reader, as a suffix of its message.
fn confidence_note(er: &ExecutionRole<'_>, risk: &Risk) -> &'static str {
    match risk.confidence {
        Confidence::High => "",
        Confidence::Conditional => " (only under the conditions of its statements)",
        // The only trust risk of low confidence: an account that may be the
        // role's own, which the model does not know.
        Confidence::Low if risk.class == RiskClass::Trust => {
            " (unless it is the role's own account: list your accounts under `known-accounts` in the exclusions file)"
        }
        Confidence::Low if er.role.permissions_boundary.is_some() => {
            " (unless the role's permissions boundary, whose policy is not known here, forbids it)"
        }
        Confidence::Low => " (low confidence: the resources named may rule it out)",
    }
}

/// What tells one risk of a role apart from the others of its rule: the
/// method (escalation), the check and principal (trust), else the class.
fn key_base(risk: &Risk) -> String {
    let base = risk.method.clone().unwrap_or_else(|| risk.class.as_str().to_string());
    match (risk.class, risk.actions.first()) {
        (RiskClass::Trust, Some(principal)) => format!("{base}:{principal}"),
        _ => base,
    }
}

/// A key unique among the role's risks: the engine may give one class two
/// risks (granted with and without conditions) or one principal two trust
/// statements, so later ones get their rank. Content-based, not
/// position-based, so that moving a statement keeps the fingerprint.
fn risk_key(c: &Checker<'_>, er: &ExecutionRole<'_>, risk: &Risk) -> String {
    let base = key_base(risk);
    let earlier = c
        .role_iam(er.id)
        .risks
        .iter()
        .take_while(|r| *r != risk)
        .filter(|r| r.class == risk.class && key_base(r) == base)
        .count();
    if earlier == 0 { base } else { format!("{base}#{}", earlier + 1) }
}

/// The finding of one risk of an execution role: at the first statement
/// that grants it (for trust, the statement letting others in), with the
/// rest of the evidence as labels.
pub(crate) fn risk_finding(
    c: &Checker<'_>,
    meta: &'static faasguard_diagnostics::RuleMeta,
    er: &ExecutionRole<'_>,
    risk: &Risk,
    message: String,
) -> Finding {
    let primary = risk.evidence.first().copied().unwrap_or(er.role.span);
    let other = match risk.class {
        RiskClass::Trust => "who may assume it",
        _ => "also grants it",
    };
    let mut f = c
        .finding(meta, primary, format!("{message}{}", confidence_note(er, risk)))
        .function(er.users[0])
        .resource(er.role.logical_id.clone())
        .severity(severity(risk))
        .key(risk_key(c, er, risk));
    let boundary = er.role.permissions_boundary.as_ref().map(|b| b.span);
    for span in risk.evidence.iter().skip(1).take(8) {
        let text = if Some(*span) == boundary { "the permissions boundary" } else { other };
        f = f.label(*span, text);
    }
    if primary != er.role.span {
        f = f.label(er.role.span, "the role");
    }
    f
}

/// Every risk of a class of every execution role, with its role.
pub(crate) fn risks_of<'a>(c: &Checker<'a>, class: RiskClass) -> Vec<(ExecutionRole<'a>, Risk)> {
    let mut out = Vec::new();
    let app: &'a App = c.app;
    for er in crate::rules::iam::roles::execution_roles(app, c.settings) {
        let risks: Vec<Risk> =
            c.role_iam(er.id).risks.iter().filter(|r| r.class == class).cloned().collect();
        for r in risks {
            out.push((ExecutionRole { id: er.id, role: er.role, users: er.users.clone() }, r));
        }
    }
    out
}

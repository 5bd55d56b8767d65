//! What an IAM action (or an action pattern such as `s3:Put*`) lets a
//! function do: write, change permissions, or read secrets.
//!
//! Patterns are expanded through the action catalog (`faasguard_iam`), so
//! the access level of every action is the Service Authorization
//! Reference's, not a guess from its verb. Writes that can only be granted
//! on `*` (no resource-level permissions) do not count as writes "on every
//! resource": there is nothing narrower to write. An action the catalog
//! does not know grants nothing here; the policy-problem rule reports it.

use faasguard_iam::catalog::{AccessLevel, ActionRef, catalog};
use faasguard_iam::pattern::glob_match;

/// What a set of actions allows, by kind of harm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Grants {
    /// Create, change or delete data or resources.
    pub(crate) write: bool,
    /// Change who may do what (IAM, resource policies, grants).
    pub(crate) permissions: bool,
    /// Read secret values (Secrets Manager, Parameter Store, KMS decryption).
    pub(crate) secrets: bool,
}

impl Grants {
    const ALL: Grants = Grants { write: true, permissions: true, secrets: true };

    /// Whether anything harmful is granted.
    pub(crate) fn any(self) -> bool {
        self.write || self.permissions || self.secrets
    }

    /// Both sets together.
    pub(crate) fn union(self, other: Grants) -> Grants {
        Grants {
            write: self.write || other.write,
            permissions: self.permissions || other.permissions,
            secrets: self.secrets || other.secrets,
        }
    }

    /// The kinds granted, worst first, as words for a message.
    pub(crate) fn describe(self) -> String {
        let mut parts = Vec::new();
        if self.permissions {
            parts.push("change permissions");
        }
        if self.secrets {
            parts.push("read secrets");
        }
        if self.write {
            parts.push("write");
        }
        match parts.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }

    /// A rank for picking the worst statement: permissions, then secrets, then writes.
    pub(crate) fn rank(self) -> u8 {
        if self.permissions {
            3
        } else if self.secrets {
            2
        } else if self.write {
            1
        } else {
            0
        }
    }
}

/// Writes that are Lambda's own plumbing or that take no resource at all,
/// so `Resource: "*"` is the only way to grant them:
/// - the basic logging set, which AWS's own `AWSLambdaBasicExecutionRole`
///   grants on `*`; flagging it would flag nearly every hand-written role
///   for the smallest of risks (writing log lines);
/// - X-Ray segments and CloudWatch metrics, which have no resource type;
/// - the network interfaces Lambda creates for VPC access
///   (`AWSLambdaVPCAccessExecutionRole`), which do not exist before the
///   function runs;
/// - consuming from the queue and stream an event source mapping polls
///   (`AWSLambdaSQSQueueExecutionRole`, `AWSLambdaKinesisExecutionRole`);
/// - CodePipeline job results, which have no resource type.
const EXEMPT: &[&str] = &[
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "cloudwatch:PutMetricData",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DetachNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "sqs:DeleteMessage",
    "sqs:DeleteMessageBatch",
    "sqs:ChangeMessageVisibility",
    "sqs:ChangeMessageVisibilityBatch",
    "kinesis:SubscribeToShard",
    "codepipeline:PutJobSuccessResult",
    "codepipeline:PutJobFailureResult",
];

/// Inference and document analysis: the catalog files these as Write, but the calls compute on their input and change nothing
/// the account stores.
/// Encrypting and generating data keys are in the same class: the key is
/// used, not changed.
const NOT_WRITES: &[&str] = &[
    "textract:Start*",
    "comprehend:Start*",
    "bedrock:InvokeModel*",
    "sagemaker:InvokeEndpoint*",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
];

/// Reads that return secret values.
const SECRET_READS: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "kms:Decrypt",
];

/// `*` (or `*:*`) or a whole service (`s3:*`): the pattern as written, trimmed.
pub(crate) fn whole_service(pattern: &str) -> Option<&str> {
    let p = pattern.trim();
    if p == "*" || p == "*:*" {
        return Some(p);
    }
    let (service, name) = p.split_once(':')?;
    let plain = !service.is_empty() && !service.contains(['*', '?']);
    (plain && name == "*").then_some(p)
}

/// Actions outside `Permissions management` that still hand out access:
/// passing a role to a service, and assuming another role.
const PERMISSION_ALSO: &[&str] = &["iam:PassRole", "sts:AssumeRole"];

/// Whether the IAM action pattern `pattern` matches `action`
/// (case-insensitive; `*` is any run of characters, `?` one character).
pub(crate) fn matches(pattern: &str, action: &str) -> bool {
    glob_match(pattern.trim(), action.trim())
}

fn listed(list: &[&str], action: &str) -> bool {
    list.iter().any(|p| matches(p, action))
}

/// What a set of catalog actions grants, exemptions applied.
fn classify<'c>(actions: impl IntoIterator<Item = ActionRef<'c>>) -> Grants {
    let mut g = Grants::default();
    for a in actions {
        let name = a.full_name();
        if listed(EXEMPT, &name) {
            continue;
        }
        let access = a.action.access;
        if access == AccessLevel::PermissionsManagement || listed(PERMISSION_ALSO, &name) {
            g.permissions = true;
            g.write = true;
        } else if access.modifies() && !a.action.is_wildcard_only() && !listed(NOT_WRITES, &name) {
            g.write = true;
        }
        if listed(SECRET_READS, &name) {
            g.secrets = true;
        }
        if g == Grants::ALL {
            break;
        }
    }
    g
}

/// What an `Action` entry grants. `*:*` is `*`.
pub(crate) fn grants_of(pattern: &str) -> Grants {
    let p = pattern.trim();
    let p = if p == "*:*" { "*" } else { p };
    classify(catalog().expand(p))
}

/// What an Allow statement with `NotAction` grants: every action of the
/// catalog its list leaves out.
pub(crate) fn grants_except(not_actions: &[&str]) -> Grants {
    classify(catalog().all_actions().filter(|a| {
        let name = a.full_name();
        !not_actions.iter().any(|n| matches(n, &name))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_case_insensitively() {
        assert!(matches("s3:*", "s3:PutObject"));
        assert!(matches("S3:put*", "s3:PutObject"));
        assert!(matches("*", "iam:PassRole"));
        assert!(matches("iam:Pass?ole", "iam:PassRole"));
        assert!(matches("*Object*", "PutObjectAcl"));
        assert!(!matches("s3:Get*", "s3:PutObject"));
        assert!(!matches("iam:PassRole", "iam:PassRoles"));
    }

    #[test]
    fn whole_services() {
        assert_eq!(whole_service(" * "), Some("*"));
        assert_eq!(whole_service("s3:*"), Some("s3:*"));
        assert_eq!(whole_service("s3:*Object*"), None);
        assert_eq!(whole_service("s3:Get*"), None);
        assert_eq!(whole_service("*:*"), Some("*:*"));
        assert_eq!(whole_service("s3*:*"), None);
    }

    #[test]
    fn writes_and_reads() {
        for w in [
            "s3:PutObject",
            "dynamodb:PutItem",
            "sns:Publish",
            "dynamodb:BatchWriteItem",
            "dynamodb:PartiQLInsert",
            "s3:*",
            "s3:Put*",
            "s3:*Object",
            "dynamodb:*Item",
            "lambda:InvokeFunction",
            "iam:*",
            "s3:p*",
            "s3:putobject",
        ] {
            assert!(grants_of(w).write, "{w} should write");
        }
        for r in [
            "s3:GetObject",
            "s3:List*",
            "dynamodb:Query",
            "dynamodb:BatchGetItem",
            "logs:CreateLogGroup",
            "xray:PutTraceSegments",
            "ec2:CreateNetworkInterface",
            "cloudwatch:PutMetricData",
            "s3:*Get*",
            "textract:StartDocumentAnalysis",
            "textract:Start*",
            "s3:GetSettings",
            "sqs:DeleteMessage",
            "kms:Encrypt",
            "bedrock:InvokeModel",
            "nonsense",
            "s3:",
        ] {
            assert!(!grants_of(r).write, "{r} should not write");
        }
    }

    #[test]
    fn permissions_and_secrets() {
        for p in [
            "iam:PassRole",
            "iam:*",
            "iam:Create*",
            "*",
            "s3:*",
            "s3:PutBucketPolicy",
            "kms:CreateGrant",
            "sts:AssumeRole",
            "IAM:passrole",
        ] {
            assert!(grants_of(p).permissions, "{p} should change permissions");
        }
        for p in ["iam:GetRole", "iam:List*", "s3:PutObject", "dynamodb:*Item"] {
            assert!(!grants_of(p).permissions, "{p} should not change permissions");
        }
        for s in [
            "secretsmanager:GetSecretValue",
            "secretsmanager:*",
            "ssm:GetParameter*",
            "secretsmanager:Get*",
            "kms:Decrypt",
            "*",
        ] {
            assert!(grants_of(s).secrets, "{s} should read secrets");
        }
        assert!(!grants_of("secretsmanager:DescribeSecret").secrets);
        assert!(!grants_of("ssm:DescribeParameters").secrets);
    }

    #[test]
    fn not_action_leaves_the_rest() {
        let g = grants_except(&["iam:*"]);
        assert!(g.write && g.secrets && g.permissions, "s3:PutBucketPolicy stays allowed");
        assert!(!grants_except(&["*"]).any());
        let g = grants_except(&[
            "iam:*",
            "s3:*",
            "kms:*",
            "lambda:*",
            "sns:*",
            "sqs:*",
            "secretsmanager:*",
            "ecr:*",
            "dynamodb:*",
            "logs:*",
            "events:*",
            "apigateway:*",
            "glacier:*",
            "sts:*",
        ]);
        // The catalog knows every service: permissions management of the
        // services not listed (ECS, RAM, Organizations, ...) stays allowed.
        assert!(g.permissions);
        assert!(g.write, "ec2:RunInstances stays allowed");
        let g = grants_except(&["*:*Policy*", "*:*Permission*", "*:*Grant*", "*:*Acl*", "iam:*"]);
        assert!(g.write && g.secrets);
    }

    #[test]
    fn describes_worst_first() {
        assert_eq!(Grants::ALL.describe(), "change permissions, read secrets and write");
        assert_eq!(Grants { write: true, ..Grants::default() }.describe(), "write");
        assert_eq!(
            Grants { write: true, secrets: true, ..Grants::default() }.describe(),
            "read secrets and write"
        );
    }
}

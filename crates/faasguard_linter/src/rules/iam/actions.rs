//! What an IAM action (or an action pattern such as `s3:Put*`) lets a
//! function do: write, change permissions, or read secrets.
//!
//! The full action catalog (access levels from the Service Authorization
//! Reference) comes later. Until then the classification rests on the verb
//! an action starts with and on small curated lists. It is built to err
//! towards silence: an action whose verb is not known to change anything
//! counts as harmless, so a finding never rests on a guess about an unknown
//! action.

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

/// Verbs that start actions which create, change or delete something. A
/// verb counts only at a word boundary (`Set` in `SetQueueAttributes`, not
/// in `Settings`).
const WRITE_VERBS: &[&str] = &[
    "Abort",
    "Accept",
    "Activate",
    "Add",
    "Allocate",
    "Apply",
    "Assign",
    "Associate",
    "Attach",
    "Authorize",
    "Cancel",
    "Change",
    "Complete",
    "Copy",
    "Create",
    "Deactivate",
    "Decrease",
    "Delete",
    "Deploy",
    "Deregister",
    "Detach",
    "Disable",
    "Disassociate",
    "Enable",
    "Execute",
    "Import",
    "Increase",
    "Insert",
    "Invoke",
    "Modify",
    "Move",
    "Pass",
    "Publish",
    "Purge",
    "Put",
    "Reboot",
    "Register",
    "Reject",
    "Release",
    "Remove",
    "Replace",
    "Reset",
    "Restore",
    "Revoke",
    "Rotate",
    "Run",
    "Schedule",
    "Send",
    "Set",
    "Start",
    "Stop",
    "Subscribe",
    "Tag",
    "Terminate",
    "Unassign",
    "Unsubscribe",
    "Untag",
    "Update",
    "Upload",
    "Write",
];

/// Verbs of reading. Only used to keep a pattern such as `*Get*` from
/// being taken for a write.
const READ_VERBS: &[&str] = &[
    "Batch", "Check", "Describe", "Detect", "Download", "Filter", "Generate", "Get", "Head",
    "List", "Lookup", "Query", "Receive", "Scan", "Search", "Select", "Simulate", "Test",
    "Validate", "Verify", "View",
];

/// Prefixes that wrap a verb: `BatchWriteItem`, `TransactWriteItems`,
/// `PartiQLInsert`. The verb after them decides.
const WRAPPERS: &[&str] = &["Batch", "Transact", "PartiQL"];

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

/// Inference and document analysis: these verbs (`Start`, `Invoke`) look
/// like writes, but the calls compute on their input and change nothing
/// the account stores.
const NOT_WRITES: &[&str] =
    &["textract:Start*", "comprehend:Start*", "bedrock:InvokeModel*", "sagemaker:InvokeEndpoint*"];

/// Actions that change who may do what, outside IAM itself (every IAM
/// action that is not a read counts too): resource policies, ACLs, grants,
/// and assuming other roles.
const PERMISSION_ACTIONS: &[&str] = &[
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
    "s3:PutObjectVersionAcl",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutAccountPublicAccessBlock",
    "s3:PutAccessPointPolicy",
    "s3:PutBucketOwnershipControls",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "lambda:AddPermission",
    "lambda:RemovePermission",
    "lambda:AddLayerVersionPermission",
    "sns:AddPermission",
    "sns:SetTopicAttributes",
    "sqs:AddPermission",
    "sqs:SetQueueAttributes",
    "secretsmanager:PutResourcePolicy",
    "secretsmanager:DeleteResourcePolicy",
    "ecr:SetRepositoryPolicy",
    "dynamodb:PutResourcePolicy",
    "logs:PutResourcePolicy",
    "events:PutPermission",
    "apigateway:UpdateRestApiPolicy",
    "glacier:SetVaultAccessPolicy",
    "sts:AssumeRole",
];

/// IAM actions that stand for the whole family when a `NotAction` list is
/// checked: if one of them is left allowed, permissions can be changed.
const IAM_EXAMPLES: &[&str] = &[
    "iam:PassRole",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:CreateAccessKey",
    "iam:UpdateAssumeRolePolicy",
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

/// Writes that stand for the whole class when a `NotAction` list is
/// checked: if one of them is left allowed, the statement grants writes.
const WRITE_EXAMPLES: &[&str] = &[
    "s3:PutObject",
    "s3:DeleteObject",
    "dynamodb:PutItem",
    "dynamodb:DeleteTable",
    "lambda:UpdateFunctionCode",
    "lambda:InvokeFunction",
    "sns:Publish",
    "sqs:SendMessage",
    "ec2:RunInstances",
    "kms:ScheduleKeyDeletion",
    "secretsmanager:PutSecretValue",
    "ssm:PutParameter",
    "cloudformation:CreateStack",
];

/// Whether the IAM action pattern `pattern` matches `action`
/// (case-insensitive; `*` is any run of characters, `?` one character).
pub(crate) fn matches(pattern: &str, action: &str) -> bool {
    let p: Vec<char> = pattern.trim().chars().flat_map(char::to_lowercase).collect();
    let a: Vec<char> = action.trim().chars().flat_map(char::to_lowercase).collect();
    let (mut pi, mut ai) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ai < a.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == a[ai]) {
            pi += 1;
            ai += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ai));
            pi += 1;
        } else if let Some((sp, sa)) = star {
            pi = sp + 1;
            ai = sa + 1;
            star = Some((sp, sa + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

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

/// What an `Action` entry grants, exemptions applied. An entry that is not
/// `service:name` (or `*`) grants nothing known.
pub(crate) fn grants_of(pattern: &str) -> Grants {
    let p = pattern.trim();
    if p == "*" || p == "*:*" {
        return Grants::ALL;
    }
    let Some((service, name)) = p.split_once(':') else { return Grants::default() };
    if service.is_empty() || name.is_empty() {
        return Grants::default();
    }
    if !p.contains(['*', '?']) {
        return exact(service, name);
    }
    let listed = |list: &[&str]| list.iter().any(|a| matches(p, a));
    let iam = matches(service, "iam");
    let write = !covered(p, NOT_WRITES) && !covered(p, EXEMPT) && glob_writes(p, service, name);
    Grants {
        write: write || listed(WRITE_EXAMPLES),
        permissions: listed(PERMISSION_ACTIONS) || listed(IAM_EXAMPLES) || (iam && write),
        secrets: listed(SECRET_READS),
    }
}

/// What an Allow statement with `NotAction` grants: every kind for which
/// one example action is left out of the list.
pub(crate) fn grants_except(not_actions: &[&str]) -> Grants {
    let allowed = |action: &&str| !not_actions.iter().any(|n| matches(n, action));
    Grants {
        write: WRITE_EXAMPLES.iter().any(allowed),
        permissions: PERMISSION_ACTIONS.iter().chain(IAM_EXAMPLES).any(allowed),
        secrets: SECRET_READS.iter().any(allowed),
    }
}

/// Whether a glob is wholly inside one of `list`'s patterns. A pattern's `*`
/// can stand for the glob's own `*`, so matching the glob's text works.
fn covered(glob: &str, list: &[&str]) -> bool {
    list.iter().any(|p| matches(p, glob))
}

fn exact(service: &str, name: &str) -> Grants {
    let full = format!("{service}:{name}");
    let listed = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(&full));
    let iam = service.eq_ignore_ascii_case("iam");
    let write = !covered(&full, EXEMPT) && !covered(&full, NOT_WRITES) && starts_with_write(name);
    let iam_change =
        iam && !["Get", "List", "Generate", "Simulate"].iter().any(|v| verb_at(name, v));
    let permissions = listed(PERMISSION_ACTIONS) || iam_change;
    Grants { write: write || permissions, permissions, secrets: listed(SECRET_READS) }
}

/// Whether `name` begins with `verb` at a word boundary. Names written all
/// in one case have no visible boundary, so the verb alone decides.
fn verb_at(name: &str, verb: &str) -> bool {
    let Some(head) = name.get(..verb.len()) else { return false };
    if !head.eq_ignore_ascii_case(verb) {
        return false;
    }
    let one_case = !name.chars().any(|c| c.is_ascii_uppercase())
        || !name.chars().any(|c| c.is_ascii_lowercase());
    match name[verb.len()..].chars().next() {
        None => true,
        Some(c) => one_case || !c.is_ascii_lowercase(),
    }
}

fn strip_wrapper(name: &str) -> &str {
    for w in WRAPPERS {
        if verb_at(name, w) && name.len() > w.len() {
            return &name[w.len()..];
        }
    }
    name
}

fn starts_with_write(name: &str) -> bool {
    let name = strip_wrapper(name);
    WRITE_VERBS.iter().any(|v| verb_at(name, v))
}

/// Whether an action glob can match a write: its fixed start is already a
/// write verb (`Put*`), or a write verb can fill its first wildcard
/// (`*Object` matches `PutObject`, `*` matches everything).
fn glob_writes(glob: &str, service: &str, name: &str) -> bool {
    let cut = name.find(['*', '?']).unwrap_or(name.len());
    let (fixed, rest) = name.split_at(cut);
    let fixed_stripped = strip_wrapper(fixed);
    if WRITE_VERBS.iter().any(|v| fixed_stripped.len() >= v.len() && verb_at(fixed_stripped, v)) {
        return true;
    }
    let tail: String = rest.chars().filter(|c| *c != '*' && *c != '?').collect();
    if READ_VERBS.iter().any(|v| verb_at(&tail, v)) {
        return false;
    }
    let service = if service.contains(['*', '?']) { "any" } else { service };
    WRITE_VERBS.iter().any(|v| {
        v.to_ascii_lowercase().starts_with(&fixed.to_ascii_lowercase()) && {
            let candidate = format!("{service}:{v}{tail}");
            (service == "any" || matches(glob, &candidate))
                && !covered(&candidate, EXEMPT)
                && !covered(&candidate, NOT_WRITES)
        }
    })
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
        assert!(!g.permissions);
        assert!(g.write, "ec2:RunInstances stays allowed");
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

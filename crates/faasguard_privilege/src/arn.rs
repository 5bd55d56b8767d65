//! ARNs of needed resources, with the parts only the deployment knows.
//!
//! A function that reads `os.environ["TABLE"]`, where the template sets
//! `TABLE: !Ref OrdersTable`, needs `dynamodb:GetItem` on a table whose
//! name CloudFormation picks at deploy time. [`ResourceArn`] keeps that as
//! a reference to `OrdersTable` rather than a wildcard, so the generated
//! policy can say `!Sub ...table/${OrdersTable}` (or Terraform's
//! `aws_dynamodb_table.orders.name`) and the comparison with the role can
//! tell it apart from another table.

/// One ARN (or `*`) a function needs, as pieces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceArn {
    /// The ARN, piece by piece, in order.
    pub pieces: Vec<Piece>,
    /// The catalog resource type it is an ARN of (`object`, `table`);
    /// `None` for [`ResourceArn::any`].
    pub resource_type: Option<String>,
    /// Some part could not be resolved and is a [`Piece::Wild`]: the ARN is
    /// correct but may be wider than needed.
    pub unresolved: bool,
}

/// A piece of a [`ResourceArn`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Piece {
    /// Known text.
    Text(String),
    /// The partition the app is deployed in (`aws`).
    Partition,
    /// The region the app is deployed in.
    Region,
    /// The account the app is deployed in.
    Account,
    /// A name or ARN of a resource of the app, known only at deploy time.
    Ref(IacRef),
    /// Unknown text: any value (`*`).
    Wild,
}

/// A value of a resource defined in the app.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IacRef {
    /// The resource: its CloudFormation logical id (`OrdersTable`) or its
    /// Terraform address (`aws_dynamodb_table.orders`); as in
    /// `faasguard_model::Resource::logical_id` (or a function's or role's).
    pub resource: String,
    /// Which of its values.
    pub attr: RefAttr,
}

/// Which value of a resource an [`IacRef`] stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefAttr {
    /// Its physical name (bucket, table, queue, topic, function name).
    Name,
    /// Its whole ARN.
    Arn,
    /// Its id (a KMS key id).
    Id,
}

impl ResourceArn {
    /// `*`: for actions that have no resource-level permissions.
    pub fn any() -> ResourceArn {
        ResourceArn { pieces: vec![Piece::Wild], resource_type: None, unresolved: false }
    }

    /// Whether this is `*`.
    pub fn is_any(&self) -> bool {
        matches!(self.pieces.as_slice(), [Piece::Wild])
    }

    /// The ARN as IAM JSON can hold it without knowing the deployment:
    /// partition `aws`, region and account `*`, references and unknown
    /// parts `*`. Correct (never narrower than the need), possibly wider.
    pub fn to_iam_string(&self) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Partition => out.push_str("aws"),
                Piece::Region | Piece::Account | Piece::Ref(_) | Piece::Wild => {
                    if !out.ends_with('*') {
                        out.push('*');
                    }
                }
            }
        }
        out
    }

    /// The ARN in CloudFormation's `Fn::Sub` syntax, references written by
    /// `reference` (which knows what `Ref` returns for each resource type):
    /// `arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}`.
    pub fn to_template(&self, reference: impl Fn(&IacRef) -> String) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Partition => out.push_str("${AWS::Partition}"),
                Piece::Region => out.push_str("${AWS::Region}"),
                Piece::Account => out.push_str("${AWS::AccountId}"),
                Piece::Ref(r) => out.push_str(&reference(r)),
                Piece::Wild => out.push('*'),
            }
        }
        out
    }

    /// Whether any piece refers to the deployment or the app (not plain
    /// text or wildcards): such an ARN needs a template to be exact.
    pub fn has_references(&self) -> bool {
        self.pieces.iter().any(|p| !matches!(p, Piece::Text(_) | Piece::Wild))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> ResourceArn {
        ResourceArn {
            pieces: vec![
                Piece::Text("arn:".into()),
                Piece::Partition,
                Piece::Text(":dynamodb:".into()),
                Piece::Region,
                Piece::Text(":".into()),
                Piece::Account,
                Piece::Text(":table/".into()),
                Piece::Ref(IacRef { resource: "OrdersTable".into(), attr: RefAttr::Name }),
            ],
            resource_type: Some("table".into()),
            unresolved: false,
        }
    }

    #[test]
    fn iam_strings_widen_only_what_is_unknown() {
        assert_eq!(table().to_iam_string(), "arn:aws:dynamodb:*:*:table/*");
        assert_eq!(ResourceArn::any().to_iam_string(), "*");
    }

    #[test]
    fn templates_keep_references() {
        let t = table().to_template(|r| format!("${{{}}}", r.resource));
        assert_eq!(
            t,
            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${OrdersTable}"
        );
        assert!(table().has_references());
        assert!(!ResourceArn::any().has_references());
    }
}

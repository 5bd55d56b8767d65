//! Non-function resources rules look at: buckets, queues, topics, tables,
//! keys, secrets, log groups, layers, state machines, SSM parameters,
//! Kinesis and Firehose streams and event buses, with their
//! resource policies (`AWS::S3::BucketPolicy`, `AWS::SQS::QueuePolicy`,
//! `AWS::SNS::TopicPolicy`, a key's `KeyPolicy`).

use faasguard_model::{Resource, ResourceId, ResourceKind};

use super::context::Loader;
use super::policies::document;
use super::template::RawResource;
use super::value::V;

/// The kind, name property and key property of each modelled type.
fn shape(type_name: &str) -> Option<(ResourceKind, &'static str)> {
    Some(match type_name {
        "AWS::S3::Bucket" => (ResourceKind::Bucket, "BucketName"),
        "AWS::SQS::Queue" => (ResourceKind::Queue, "QueueName"),
        "AWS::SNS::Topic" => (ResourceKind::Topic, "TopicName"),
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" => (ResourceKind::Table, "TableName"),
        "AWS::Serverless::SimpleTable" => (ResourceKind::Table, "TableName"),
        "AWS::KMS::Key" => (ResourceKind::KmsKey, ""),
        "AWS::SecretsManager::Secret" => (ResourceKind::Secret, "Name"),
        "AWS::Logs::LogGroup" => (ResourceKind::LogGroup, "LogGroupName"),
        "AWS::Lambda::LayerVersion" | "AWS::Serverless::LayerVersion" => {
            (ResourceKind::Layer, "LayerName")
        }
        "AWS::Serverless::StateMachine" | "AWS::StepFunctions::StateMachine" => {
            (ResourceKind::Other(type_name.to_owned()), "StateMachineName")
        }
        // Named so a function's permissions can point at them (least privilege).
        "AWS::SSM::Parameter" | "AWS::Kinesis::Stream" | "AWS::Events::EventBus" => {
            (ResourceKind::Other(type_name.to_owned()), "Name")
        }
        "AWS::KinesisFirehose::DeliveryStream" => {
            (ResourceKind::Other(type_name.to_owned()), "DeliveryStreamName")
        }
        _ => return None,
    })
}

/// The encryption key a resource is configured with, where each type keeps it.
fn kms_key<'v>(kind: &ResourceKind, props: &'v V) -> Option<&'v V> {
    match kind {
        ResourceKind::Bucket => props
            .get("BucketEncryption")
            .and_then(|e| e.get("ServerSideEncryptionConfiguration"))
            .and_then(|c| {
                c.one_or_many().into_iter().find_map(|r| {
                    r.get("ServerSideEncryptionByDefault").and_then(|d| d.get("KMSMasterKeyID"))
                })
            }),
        ResourceKind::Queue | ResourceKind::Topic => props.get("KmsMasterKeyId"),
        ResourceKind::Table => props.get("SSESpecification").and_then(|s| s.get("KMSMasterKeyId")),
        ResourceKind::Secret | ResourceKind::LogGroup => props.get("KmsKeyId"),
        _ => None,
    }
}

pub(crate) fn declare(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some((kind, name_key)) = shape(r.type_name) else { return };
    let Some(props) = l.props(i) else { return };
    let policy = match kind {
        ResourceKind::KmsKey => props.get("KeyPolicy").cloned(),
        _ => None,
    };
    let resource = Resource {
        logical_id: r.id.to_owned(),
        type_name: r.type_name.to_owned(),
        span: r.node.span,
        name: if name_key.is_empty() { None } else { props.get(name_key).and_then(V::to_val) },
        kms_key: kms_key(&kind, props).and_then(V::to_val),
        kind,
        policy: None,
    };
    let id = ResourceId(l.app.resources.len() as u32);
    l.resource_ids.insert(r.id.to_owned(), id);
    l.app.resources.push(resource);
    if let Some(p) = policy {
        let doc = document(&p, &mut l.ev.errors);
        if let Some(res) = l.app.resources.get_mut(id.index()) {
            res.policy = doc;
        }
    }
}

/// Bucket, queue and topic policies: attached to each target in the template.
pub(crate) fn attach_policy(l: &mut Loader<'_, '_>, i: usize, _r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let targets: Vec<ResourceId> = ["Bucket", "Queues", "Topics"]
        .iter()
        .filter_map(|k| props.get(k))
        .flat_map(|t| t.one_or_many())
        .filter_map(|t| t.links().into_iter().find_map(|link| l.resource_ids.get(link).copied()))
        .collect();
    let Some(doc_v) = props.get("PolicyDocument").cloned() else { return };
    let Some(doc) = document(&doc_v, &mut l.ev.errors) else { return };
    for t in targets {
        if let Some(res) = l.app.resources.get_mut(t.index()) {
            res.policy = Some(doc.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use faasguard_model::ResourceKind;
    use faasguard_source::FileId;

    #[test]
    fn parameters_streams_and_buses_are_named_resources() {
        let text = r#"
Resources:
  Config:
    Type: AWS::SSM::Parameter
    Properties: {Name: /app/config, Type: String, Value: x}
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties: {Name: clicks, ShardCount: 1}
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: orders}
  Delivery:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties: {DeliveryStreamName: to-s3}
  Unnamed:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1}
"#;
        let out = crate::load_file(FileId(0), "template.yaml", text).expect("a template");
        let app = out.apps.first().expect("an app");
        let named = |id: &str| {
            let r = app.resources.iter().find(|r| r.logical_id == id).expect(id);
            assert_eq!(r.kind, ResourceKind::Other(r.type_name.clone()));
            r.name.as_ref().and_then(|n| n.known()).map(str::to_owned)
        };
        assert_eq!(named("Config").as_deref(), Some("/app/config"));
        assert_eq!(named("Clicks").as_deref(), Some("clicks"));
        assert_eq!(named("Bus").as_deref(), Some("orders"));
        assert_eq!(named("Delivery").as_deref(), Some("to-s3"));
        assert_eq!(named("Unnamed"), None);
    }
}

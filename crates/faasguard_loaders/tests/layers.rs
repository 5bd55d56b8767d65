//! Lambda layers of CloudFormation and SAM templates: where their content
//! is, and which of them each function uses.

use faasguard_loaders::load_file;
use faasguard_model::{App, Function, LayerId, Origin, ResourceKind};
use faasguard_source::{FileId, Span};

fn load(text: &str) -> App {
    let out = load_file(FileId(0), "app/template.yaml", text).expect("a template");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.apps.into_iter().next().expect("an app")
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize).expect("span inside the file")
}

fn function<'a>(app: &'a App, id: &str) -> &'a Function {
    app.functions.iter().find(|f| f.logical_id == id).expect("function exists")
}

/// The logical ids of the app's layers a function uses.
fn used(app: &App, id: &str) -> Vec<String> {
    app.function_layers(function(app, id))
        .into_iter()
        .map(|l| app.layer(l).expect("a layer of the app").logical_id.clone())
        .collect()
}

const SAM: &str = r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Layers:
      - !Ref S3Layer
Resources:
  DepsLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: deps
      ContentUri: layers/deps/
      CompatibleRuntimes: [python3.12, python3.13]
  S3Layer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: {Bucket: artifacts, Key: layers/s3.zip}
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Layers:
        - !Ref DepsLayer
        - arn:aws:lambda:eu-west-1:123456789012:layer:external:3
        - !Ref DepsLayer
"#;

#[test]
fn sam_layers_have_their_content_and_functions_resolve_refs_to_them() {
    let app = load(SAM);
    let ids: Vec<&str> = app.layers.iter().map(|l| l.logical_id.as_str()).collect();
    assert_eq!(ids, ["DepsLayer", "S3Layer"]);

    let deps = &app.layers[0];
    let content = deps.content.as_ref().expect("ContentUri");
    assert_eq!((content.value.as_str(), content.origin), ("layers/deps/", Origin::Explicit));
    assert_eq!(slice(SAM, content.span), "layers/deps/");
    assert_eq!(deps.name.as_ref().map(|n| n.value.as_str()), Some("deps"));
    let runtimes: Vec<&str> = deps.compatible_runtimes.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(runtimes, ["python3.12", "python3.13"]);
    assert!(slice(SAM, deps.span).contains("AWS::Serverless::LayerVersion"));

    let s3 = app.layers[1].content.as_ref().expect("ContentUri");
    assert_eq!((s3.value.as_str(), s3.origin), ("s3://artifacts/layers/s3.zip", Origin::Explicit));

    // Globals come first, as SAM concatenates them; the external ARN is
    // kept as written and resolves to no layer of the app.
    let f = function(&app, "Api");
    let written: Vec<&str> = f.layers.iter().map(|l| l.value.as_str()).collect();
    assert_eq!(
        written,
        [
            "S3Layer",
            "DepsLayer",
            "arn:aws:lambda:eu-west-1:123456789012:layer:external:3",
            "DepsLayer"
        ]
    );
    assert_eq!(f.layer_ids, [Some(LayerId(1)), Some(LayerId(0)), None, Some(LayerId(0))]);
    assert_eq!(used(&app, "Api"), ["S3Layer", "DepsLayer"]);

    // The generic resources for layers stay.
    let kinds: Vec<&str> = app
        .resources
        .iter()
        .filter(|r| r.kind == ResourceKind::Layer)
        .map(|r| r.logical_id.as_str())
        .collect();
    assert_eq!(kinds, ["DepsLayer", "S3Layer"]);
}

const CFN: &str = r#"
Parameters:
  ArtifactBucket: {Type: String}
  Env: {Type: String, Default: prod}
Conditions:
  IsDev: !Equals [!Ref Env, dev]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: code.zip}
      Layers:
        - !Ref S3Layer
        - !GetAtt PackagedLayer.LayerVersionArn
        - !Ref DevLayer
        - !ImportValue SharedLayerArn
  S3Layer:
    Type: AWS::Lambda::LayerVersion
    Properties:
      LayerName: s3-layer
      Content:
        S3Bucket: !Ref ArtifactBucket
        S3Key: layers/s3.zip
  PackagedLayer:
    Type: AWS::Lambda::LayerVersion
    Properties:
      Content: layers/node/
      CompatibleRuntimes: [nodejs20.x]
  DevLayer:
    Type: AWS::Lambda::LayerVersion
    Condition: IsDev
    Properties:
      Content: {S3Bucket: b, S3Key: dev.zip}
"#;

#[test]
fn cloudformation_layer_versions_and_function_layers() {
    let app = load(CFN);
    let ids: Vec<&str> = app.layers.iter().map(|l| l.logical_id.as_str()).collect();
    // `DevLayer`'s condition is false with the parameter defaults.
    assert_eq!(ids, ["S3Layer", "PackagedLayer"]);

    // A bucket from a parameter without default is not known.
    let s3 = app.layers[0].content.as_ref().expect("Content");
    assert_eq!(s3.origin, Origin::Unresolved);
    assert_eq!(s3.value, "s3://${ArtifactBucket}/layers/s3.zip");
    assert_eq!(app.layers[0].name.as_ref().map(|n| n.value.as_str()), Some("s3-layer"));

    // `aws cloudformation package` accepts a local path as `Content`.
    let packaged = app.layers[1].content.as_ref().expect("Content");
    assert_eq!((packaged.value.as_str(), packaged.origin), ("layers/node/", Origin::Explicit));

    let f = function(&app, "Fn");
    assert_eq!(f.layers.len(), 4);
    assert_eq!(f.layer_ids, [Some(LayerId(0)), Some(LayerId(1)), None, None]);
    assert_eq!(used(&app, "Fn"), ["S3Layer", "PackagedLayer"]);
}

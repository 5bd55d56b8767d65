//! `layers:` and the functions that use them.

mod common;

use common::*;
use faasguard_model::{App, LayerId, Origin};

/// The logical ids of the service's layers a function uses.
fn used(app: &App, key: &str) -> Vec<String> {
    app.function_layers(function(app, key))
        .into_iter()
        .map(|l| app.layer(l).expect("a layer of the app").logical_id.clone())
        .collect()
}

const CONFIG: &str = r#"
service: shop
provider:
  name: aws
  runtime: python3.12
  layers:
    - {Ref: DepsLambdaLayer}
layers:
  deps:
    path: layers/deps
    compatibleRuntimes: [python3.12]
  my-utils:
    name: shop-utils
    package:
      artifact: build/utils.zip
functions:
  api:
    handler: app.handler
    layers:
      - Ref: MyDashutilsLambdaLayer
      - arn:aws:lambda:eu-west-1:123456789012:layer:external:2
      - !Ref Shared
      - ${cf:other.LayerArn}
  worker:
    handler: worker.handler
resources:
  Resources:
    Shared:
      Type: AWS::Lambda::LayerVersion
      Properties:
        LayerName: shared
        Content: {S3Bucket: artifacts, S3Key: shared.zip}
"#;

#[test]
fn layers_section_and_function_references_by_the_framework_names() {
    let (db, out) = load_text(CONFIG);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];
    let ids: Vec<&str> = app.layers.iter().map(|l| l.logical_id.as_str()).collect();
    // `resources:` is loaded first.
    assert_eq!(ids, ["Shared", "deps", "my-utils"]);

    let deps = &app.layers[1];
    let path = deps.content.as_ref().expect("path");
    // Relative to the service directory, as written.
    assert_eq!((path.value.as_str(), path.origin), ("layers/deps", Origin::Explicit));
    assert_eq!(slice(&db, path.span), "layers/deps");
    let name = deps.name.as_ref().expect("the key names the layer");
    assert_eq!((name.value.as_str(), name.origin), ("deps", Origin::Default));
    assert_eq!(deps.compatible_runtimes.len(), 1);

    let utils = &app.layers[2];
    assert_eq!(utils.content.as_ref().map(|c| c.value.as_str()), Some("build/utils.zip"));
    assert_eq!(utils.name.as_ref().map(|n| n.value.as_str()), Some("shop-utils"));

    let shared = &app.layers[0];
    assert_eq!(
        shared.content.as_ref().map(|c| c.value.as_str()),
        Some("s3://artifacts/shared.zip")
    );

    let api = function(app, "api");
    assert_eq!(api.layers.len(), 4);
    assert_eq!(api.layers[1].value, "arn:aws:lambda:eu-west-1:123456789012:layer:external:2");
    assert_eq!(api.layer_ids, [Some(LayerId(2)), None, Some(LayerId(0)), None]);
    assert_eq!(used(app, "api"), ["my-utils", "Shared"]);
    // The provider's layers apply to a function that sets none.
    assert_eq!(used(app, "worker"), ["deps"]);
}

#[test]
fn a_layer_without_content_is_a_structure_error_and_the_rest_loads() {
    let (_db, out) = load_text(
        "service: s\nprovider: {name: aws, runtime: nodejs20.x}\nlayers:\n  empty:\n    description: nothing\n  ok:\n    path: layer\nfunctions:\n  f:\n    handler: index.handler\n    layers: [{Ref: OkLambdaLayer}, {Ref: EmptyLambdaLayer}]\n",
    );
    assert!(
        messages(&out).iter().any(|m| m.contains("layer `empty` has neither")),
        "{:?}",
        messages(&out)
    );
    let app = &out.apps[0];
    assert_eq!(app.layers.len(), 2);
    assert!(app.layers[0].content.is_none());
    assert_eq!(used(app, "f"), ["ok", "empty"]);
}

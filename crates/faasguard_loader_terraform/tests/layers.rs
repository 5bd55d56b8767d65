//! `aws_lambda_layer_version` (and the layer of the registry Lambda
//! module) and the functions that use them.

mod common;

use common::*;
use faasguard_model::{App, LayerId, Origin};
use faasguard_source::{SourceDb, SourceFile};

/// The logical ids of the module's layers a function uses.
fn used(app: &App, key: &str) -> Vec<String> {
    app.function_layers(function(app, key))
        .into_iter()
        .map(|l| app.layer(l).expect("a layer of the app").logical_id.clone())
        .collect()
}

const MAIN: &str = r#"
data "archive_file" "deps" {
  type        = "zip"
  source_dir  = "${path.module}/layers/deps"
  output_path = "${path.module}/build/deps.zip"
}

resource "aws_lambda_layer_version" "deps" {
  layer_name          = "deps"
  filename            = data.archive_file.deps.output_path
  compatible_runtimes = ["python3.12"]
}

resource "aws_lambda_layer_version" "remote" {
  layer_name = "remote"
  s3_bucket  = var.bucket
  s3_key     = "layers/remote.zip"
}

module "common_layer" {
  source              = "terraform-aws-modules/lambda/aws"
  create_layer        = true
  layer_name          = "common"
  source_path         = "${path.module}/layers/common"
  compatible_runtimes = ["python3.12"]
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/r"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "api.zip"
  layers = [
    aws_lambda_layer_version.deps.arn,
    "arn:aws:lambda:eu-west-1:123456789012:layer:external:4",
    module.common_layer.lambda_layer_arn,
    aws_lambda_layer_version.remote.arn,
  ]
}

resource "aws_lambda_function" "other" {
  function_name = "other"
  role          = "arn:aws:iam::123456789012:role/r"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "other.zip"
  layers        = var.layers
}

variable "bucket" {}
variable "layers" {}
"#;

#[test]
fn layer_versions_with_archive_sources_and_function_layers() {
    let mut db = SourceDb::new();
    db.add(SourceFile::new("infra/main.tf", MAIN));
    let out = load_dir(&db, "infra");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let app = &out.apps[0];

    let ids: Vec<&str> = app.layers.iter().map(|l| l.logical_id.as_str()).collect();
    assert_eq!(ids, ["deps", "remote", "common_layer"]);

    // The archive's source directory is the content, located at `filename`.
    let deps = &app.layers[0];
    let content = deps.content.as_ref().expect("filename");
    assert_eq!((content.value.as_str(), content.origin), ("infra/layers/deps", Origin::Explicit));
    assert_eq!(slice(&db, content.span), "data.archive_file.deps.output_path");
    assert_eq!(deps.name.as_ref().map(|n| n.value.as_str()), Some("deps"));
    assert_eq!(deps.compatible_runtimes.len(), 1);

    let remote = app.layers[1].content.as_ref().expect("s3");
    assert_eq!(remote.origin, Origin::Unresolved);
    assert!(remote.value.starts_with("s3://") && remote.value.ends_with("/layers/remote.zip"));

    let common = app.layers[2].content.as_ref().expect("source_path");
    assert_eq!(common.value, "infra/layers/common");
    // A module that creates a layer creates no function.
    let functions: Vec<&str> = app.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(functions, ["api", "other"]);

    let api = function(app, "api");
    assert_eq!(api.layers.len(), 4);
    assert_eq!(api.layer_ids, [Some(LayerId(0)), None, Some(LayerId(2)), Some(LayerId(1))]);
    assert_eq!(used(app, "api"), ["deps", "common_layer", "remote"]);

    // A variable list is one unresolved entry, no layer of the module.
    let other = function(app, "other");
    assert_eq!(other.layers.len(), 1);
    assert_eq!(other.layers[0].origin, Origin::Unresolved);
    assert!(used(app, "other").is_empty());
}

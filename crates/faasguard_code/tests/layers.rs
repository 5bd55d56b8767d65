//! Where a layer's content is, read as each format means its location.

use faasguard_code::handler::layer_locations;
use faasguard_model::{App, Format, Layer, Val};
use faasguard_source::{FileId, SourceDb, SourceFile, Span};

fn layer(content: Option<Val<String>>) -> Layer {
    Layer {
        logical_id: "L".into(),
        span: Span::file_start(FileId(0)),
        name: None,
        content,
        compatible_runtimes: Vec::new(),
    }
}

fn explicit(path: &str) -> Option<Val<String>> {
    Some(Val::explicit(path.to_string(), Span::file_start(FileId(0))))
}

const SAM: &str = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: ./layers/deps/
  Remote:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: s3://artifacts/layers/remote.zip
  Built:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: build/layer.zip
"#;

#[test]
fn sam_content_is_relative_to_the_template_and_remote_content_is_nowhere() {
    let mut db = SourceDb::new();
    let file = db.add(SourceFile::new("app/template.yaml", SAM));
    let out = faasguard_loaders::load_file(file, "app/template.yaml", SAM).expect("template");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let app = &out.apps[0];
    let at = |id: &str| {
        let l = app.layers.iter().find(|l| l.logical_id == id).expect("layer");
        layer_locations(app, l, &db)
    };
    assert_eq!(at("Deps"), ["app/layers/deps"]);
    assert!(at("Remote").is_empty());
    assert!(at("Built").is_empty());
}

#[test]
fn serverless_paths_are_relative_to_the_service_and_terraform_tries_both_readings() {
    let mut db = SourceDb::new();
    let file = db.add(SourceFile::new("svc/serverless.yml", "service: s\n"));
    let sls = App::new("svc/serverless.yml", Format::Serverless, file);
    assert_eq!(layer_locations(&sls, &layer(explicit("layers/deps")), &db), ["svc/layers/deps"]);
    assert!(layer_locations(&sls, &layer(explicit("build/utils.zip")), &db).is_empty());

    // `${path.module}` is already expanded from the scan root; a bare
    // relative path is relative to the root module.
    let tf = App::new("infra", Format::Terraform, file);
    let found = layer_locations(&tf, &layer(explicit("infra/layers/deps")), &db);
    assert!(found.iter().any(|p| p == "infra/layers/deps"), "{found:?}");
}

#[test]
fn unknown_or_missing_content_is_nowhere() {
    let db = SourceDb::new();
    let app = App::new("template.yaml", Format::Sam, FileId(0));
    let unresolved = Val::unresolved("${LayerPath}".to_string(), Span::file_start(FileId(0)));
    assert!(layer_locations(&app, &layer(Some(unresolved)), &db).is_empty());
    assert!(layer_locations(&app, &layer(None), &db).is_empty());
}

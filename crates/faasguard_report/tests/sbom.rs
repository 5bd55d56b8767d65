//! SBOM output: CycloneDX 1.5 and SPDX 2.3 documents validate against the
//! official JSON schemas (`tests/data/`, vendored by
//! `scripts/vendor-sbom-schemas.sh`; see `tests/data/NOTICE.md`), and say
//! what the lockfiles say: packages with purls, development scope, git
//! sources, dependency edges, one entry per package across lockfiles.
//!
//! The CycloneDX schema refers to `spdx.schema.json` and
//! `jsf-0.82.schema.json` by relative `$ref`; a retriever serves them from
//! the vendored files and refuses anything else, so validation is offline.
//! SPDX's JSON schema leaves identifiers and dates as plain strings, so the
//! rules the SPDX 2.3 specification adds are checked here by hand.

use std::collections::{BTreeSet, HashSet};
use std::error::Error;

use faasguard_deps::{Ecosystem, Lockfile, LockfileKind, Package, Source};
use faasguard_report::sbom::{SbomInput, cyclonedx, spdx};
use faasguard_source::{FileId, Span};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn read_schema(file: &str) -> Value {
    let path = format!("{DATA}/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{path}: {e}; run scripts/vendor-sbom-schemas.sh from the repository root")
    });
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Serves the schemas `bom-1.5.schema.json` refers to from the vendored
/// copies; anything else is an error (no network in tests).
struct Vendored;

impl jsonschema::Retrieve for Vendored {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn Error + Send + Sync>> {
        let file = match uri.as_str() {
            "http://cyclonedx.org/schema/spdx.schema.json" => "spdx.schema.json",
            "http://cyclonedx.org/schema/jsf-0.82.schema.json" => "jsf-0.82.schema.json",
            other => return Err(format!("{other} is not vendored; tests run offline").into()),
        };
        Ok(read_schema(file))
    }
}

fn cyclonedx_errors(doc: &Value) -> Vec<String> {
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_retriever(Vendored)
        .build(&read_schema("bom-1.5.schema.json"))
        .expect("the CycloneDX 1.5 schema compiles with its vendored references");
    validator.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

fn spdx_errors(doc: &Value) -> Vec<String> {
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_retriever(Vendored)
        .build(&read_schema("spdx-2.3.schema.json"))
        .expect("the SPDX 2.3 schema compiles offline");
    let mut errors: Vec<String> =
        validator.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    errors.extend(spdx_spec_errors(doc));
    errors
}

/// SPDX 2.3 rules the JSON schema does not encode.
fn spdx_spec_errors(doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let id_ok = |id: &str| {
        id.strip_prefix("SPDXRef-").is_some_and(|rest| {
            !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
    };
    if doc["spdxVersion"] != "SPDX-2.3" {
        errors.push("spdxVersion is not SPDX-2.3".into());
    }
    if doc["dataLicense"] != "CC0-1.0" {
        errors.push("dataLicense is not CC0-1.0 (clause 6.2)".into());
    }
    if doc["SPDXID"] != "SPDXRef-DOCUMENT" {
        errors.push("document SPDXID is not SPDXRef-DOCUMENT (clause 6.3)".into());
    }
    let ns = doc["documentNamespace"].as_str().unwrap_or("");
    if !ns.starts_with("https://") || ns.contains('#') || ns.contains(char::is_whitespace) {
        errors.push(format!("documentNamespace {ns:?} is not an absolute URI without '#' (6.5)"));
    }
    let created = doc["creationInfo"]["created"].as_str().unwrap_or("");
    let shape = created.len() == 20
        && created.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            19 => c == 'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        errors.push(format!("created {created:?} is not YYYY-MM-DDThh:mm:ssZ (6.9)"));
    }
    for creator in doc["creationInfo"]["creators"].as_array().into_iter().flatten() {
        let c = creator.as_str().unwrap_or("");
        if !["Tool: ", "Person: ", "Organization: "].iter().any(|p| c.starts_with(p)) {
            errors.push(format!("creator {c:?} has no Tool:/Person:/Organization: prefix (6.8)"));
        }
    }
    let mut ids: HashSet<String> = HashSet::from(["SPDXRef-DOCUMENT".to_string()]);
    for p in doc["packages"].as_array().into_iter().flatten() {
        let id = p["SPDXID"].as_str().unwrap_or("");
        if !id_ok(id) {
            errors.push(format!("package SPDXID {id:?} is not SPDXRef-[A-Za-z0-9.-]+ (7.2)"));
        }
        if !ids.insert(id.to_string()) {
            errors.push(format!("SPDXID {id} is not unique"));
        }
        for r in p["externalRefs"].as_array().into_iter().flatten() {
            if r["referenceLocator"].as_str().unwrap_or(" ").contains(char::is_whitespace) {
                errors.push(format!("{id}: a referenceLocator has whitespace (7.21)"));
            }
        }
        let dl = p["downloadLocation"].as_str().unwrap_or("");
        if dl != "NOASSERTION" && dl != "NONE" && !dl.contains("://") {
            errors.push(format!("{id}: downloadLocation {dl:?} is not a URL (7.7)"));
        }
    }
    for r in doc["relationships"].as_array().into_iter().flatten() {
        for side in ["spdxElementId", "relatedSpdxElement"] {
            let id = r[side].as_str().unwrap_or("");
            if !ids.contains(id) {
                errors.push(format!("relationship {side} {id:?} names no element"));
            }
        }
    }
    errors
}

// ---- input construction -------------------------------------------------

fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        requirement: None,
        ecosystem: eco,
        direct: false,
        dev: false,
        source: Source::Registry,
        install_script: false,
        dependencies: Vec::new(),
        span: Span::new(FileId(0), 0, 0),
    }
}

fn npm(name: &str, version: &str) -> Package {
    pkg(Ecosystem::Npm, name, version)
}

fn pypi(name: &str, version: &str) -> Package {
    pkg(Ecosystem::PyPI, name, version)
}

fn direct(mut p: Package) -> Package {
    p.direct = true;
    p
}

fn dev(mut p: Package) -> Package {
    p.dev = true;
    p
}

fn deps(mut p: Package, list: &[(&str, &str)]) -> Package {
    p.dependencies = list.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    p
}

fn lockfile(file: u32, path: &str, packages: Vec<Package>) -> Lockfile {
    let kind = LockfileKind::of_path(path).expect("a lockfile path");
    let packages = packages
        .into_iter()
        .map(|mut p| {
            p.span = Span::new(FileId(file), 0, 0);
            p
        })
        .collect();
    Lockfile {
        file: FileId(file),
        path: path.into(),
        kind,
        packages,
        includes: Vec::new(),
        problems: Vec::new(),
    }
}

/// An npm API function and a Python worker, as the lockfiles would read.
fn project() -> (Vec<Lockfile>, Vec<Vec<String>>) {
    let mut from_git = direct(npm("left-pad", "1.3.0"));
    from_git.source = Source::Git {
        url:
            "git+https://github.com/left-pad/left-pad.git#5a4e8b7c2f1d0e9a8b7c6d5e4f3a2b1c0d9e8f7a"
                .into(),
    };
    let mut scoped = direct(npm("@aws-sdk/client-s3", "3.400.0"));
    scoped.install_script = true;
    let api = lockfile(
        1,
        "api/package-lock.json",
        vec![
            deps(
                direct(npm("express", "4.18.2")),
                &[("debug", "2.6.9"), ("body-parser", "1.20.1")],
            ),
            deps(npm("body-parser", "1.20.1"), &[("debug", "2.6.9")]),
            deps(npm("debug", "2.6.9"), &[("ms", "2.0.0")]),
            deps(npm("debug", "4.3.4"), &[("ms", "^2.1.1")]),
            npm("ms", "2.0.0"),
            npm("ms", "2.1.3"),
            deps(dev(direct(npm("mocha", "10.2.0"))), &[("debug", "4.3.4"), ("absent", "1.0.0")]),
            from_git,
            scoped,
        ],
    );
    // The manifest beside the lockfile adds nothing: the lockfile is the
    // installed set.
    let mut ranged = direct(npm("express", ""));
    ranged.requirement = Some("^4.18.0".into());
    let manifest = lockfile(2, "api/package.json", vec![ranged]);
    let mut wheel = pypi("boto3-stubs", "1.28.0");
    wheel.source =
        Source::Url { url: "https://files.example.org/boto3_stubs-1.28.0-py3-none-any.whl".into() };
    let mut local = pypi("shared-lib", "0.1.0");
    local.source = Source::Path { path: "../shared-lib".into() };
    let worker = lockfile(
        3,
        "worker/requirements.txt",
        vec![direct(pypi("PyYAML", "3.13")), direct(wheel), direct(local)],
    );
    let shipped = vec![
        vec!["api/ApiFunction".to_string()],
        vec!["api/ApiFunction".to_string()],
        vec!["worker/WorkerFunction".to_string()],
    ];
    (vec![api, manifest, worker], shipped)
}

fn input<'a>(lockfiles: &'a [Lockfile], shipped: &'a [Vec<String>]) -> SbomInput<'a> {
    SbomInput {
        name: "orders-service",
        lockfiles,
        shipped_by: shipped,
        tool_version: "0.1.0",
        timestamp: "2024-05-01T12:00:00Z",
    }
}

fn cdx(input: &SbomInput<'_>) -> Value {
    let text = cyclonedx(input);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("CycloneDX output is not JSON: {e}"))
}

fn spdx_doc(input: &SbomInput<'_>) -> Value {
    let text = spdx(input);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("SPDX output is not JSON: {e}"))
}

fn component<'v>(doc: &'v Value, name: &str, version: &str) -> &'v Value {
    doc["components"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == name && c["version"] == version)
        .unwrap_or_else(|| panic!("no component {name}@{version}"))
}

fn property_values(c: &Value, name: &str) -> Vec<String> {
    c["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == name)
        .map(|p| p["value"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn depends_on(doc: &Value, bom_ref: &str) -> Vec<String> {
    doc["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["ref"] == bom_ref)
        .map(|d| {
            d["dependsOn"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| r.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn spdx_package<'v>(doc: &'v Value, name: &str, version: &str) -> &'v Value {
    doc["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == name && p["versionInfo"] == version)
        .unwrap_or_else(|| panic!("no SPDX package {name}@{version}"))
}

fn relationships(doc: &Value) -> BTreeSet<(String, String, String)> {
    doc["relationships"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("spdxElementId"), s("relationshipType"), s("relatedSpdxElement"))
        })
        .collect()
}

// ---- tests ----------------------------------------------------------------

#[test]
fn cyclonedx_validates_against_the_1_5_schema() {
    let (locks, shipped) = project();
    let doc = cdx(&input(&locks, &shipped));
    assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new());
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["specVersion"], "1.5");
}

#[test]
fn the_schema_check_rejects_a_broken_document() {
    // The validator is live: a wrong scope and a missing name are caught.
    let (locks, shipped) = project();
    let mut doc = cdx(&input(&locks, &shipped));
    doc["components"][0]["scope"] = "dev".into();
    doc["components"][1].as_object_mut().map(|c| c.remove("name"));
    assert_eq!(cyclonedx_errors(&doc).len(), 2, "{:?}", cyclonedx_errors(&doc));
    let mut doc = spdx_doc(&input(&locks, &shipped));
    doc["packages"][1]["SPDXID"] = "SPDXRef-a b".into();
    doc["relationships"][0]["relationshipType"] = "USES".into();
    assert_eq!(spdx_errors(&doc).len(), 3, "{:?}", spdx_errors(&doc));
}

#[test]
fn spdx_validates_against_the_2_3_schema() {
    let (locks, shipped) = project();
    let doc = spdx_doc(&input(&locks, &shipped));
    assert_eq!(spdx_errors(&doc), Vec::<String>::new());
    assert_eq!(doc["name"], "orders-service");
    assert_eq!(doc["creationInfo"]["creators"][0], "Tool: faasguard-0.1.0");
}

#[test]
fn cyclonedx_components_carry_purl_scope_and_where_they_ship() {
    let (locks, shipped) = project();
    let doc = cdx(&input(&locks, &shipped));

    let ms = component(&doc, "ms", "2.1.3");
    assert_eq!(ms["purl"], "pkg:npm/ms@2.1.3");
    assert_eq!(ms["bom-ref"], "pkg:npm/ms@2.1.3");
    assert_eq!(ms["type"], "library");
    assert_eq!(ms["scope"], "required");
    assert_eq!(property_values(ms, "faasguard:lockfile"), ["api/package-lock.json"]);
    assert_eq!(property_values(ms, "faasguard:function"), ["api/ApiFunction"]);
    assert!(property_values(ms, "faasguard:direct").is_empty());

    let mocha = component(&doc, "mocha", "10.2.0");
    assert_eq!(mocha["scope"], "excluded", "dev dependencies are not shipped");
    assert!(property_values(mocha, "faasguard:function").is_empty());
    assert_eq!(property_values(mocha, "faasguard:direct"), ["true"]);

    let yaml = component(&doc, "PyYAML", "3.13");
    assert_eq!(yaml["purl"], "pkg:pypi/pyyaml@3.13");
    assert_eq!(property_values(yaml, "faasguard:function"), ["worker/WorkerFunction"]);

    let s3 = component(&doc, "client-s3", "3.400.0");
    assert_eq!(s3["group"], "@aws-sdk");
    assert_eq!(s3["purl"], "pkg:npm/%40aws-sdk/client-s3@3.400.0");
    assert_eq!(property_values(s3, "faasguard:install-script"), ["true"]);

    // Registry packages say nothing about their source.
    assert!(property_values(ms, "faasguard:source").is_empty());
    assert!(ms.get("externalReferences").is_none());

    // The manifest beside the lockfile did not add an unpinned express.
    let names: Vec<&str> = doc["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names.iter().filter(|n| **n == "express").count(), 1);
    assert_eq!(names.len(), 12, "{names:?}");
}

#[test]
fn cyclonedx_records_git_url_and_path_sources() {
    let (locks, shipped) = project();
    let doc = cdx(&input(&locks, &shipped));

    let pad = component(&doc, "left-pad", "1.3.0");
    assert_eq!(
        property_values(pad, "faasguard:source"),
        [
            "git:git+https://github.com/left-pad/left-pad.git#5a4e8b7c2f1d0e9a8b7c6d5e4f3a2b1c0d9e8f7a"
        ]
    );
    let vcs = &pad["externalReferences"][0];
    assert_eq!(vcs["type"], "vcs");
    assert_eq!(vcs["url"], "https://github.com/left-pad/left-pad.git");
    assert_eq!(vcs["comment"], "revision 5a4e8b7c2f1d0e9a8b7c6d5e4f3a2b1c0d9e8f7a");

    let wheel = component(&doc, "boto3-stubs", "1.28.0");
    assert_eq!(wheel["externalReferences"][0]["type"], "distribution");
    assert_eq!(
        property_values(wheel, "faasguard:source"),
        ["url:https://files.example.org/boto3_stubs-1.28.0-py3-none-any.whl"]
    );

    let local = component(&doc, "shared-lib", "0.1.0");
    assert_eq!(property_values(local, "faasguard:source"), ["path:../shared-lib"]);
    assert!(local.get("externalReferences").is_none());
}

#[test]
fn cyclonedx_dependency_graph() {
    let (locks, shipped) = project();
    let doc = cdx(&input(&locks, &shipped));
    let root = doc["metadata"]["component"]["bom-ref"].as_str().expect("root bom-ref").to_string();
    assert_eq!(doc["metadata"]["component"]["name"], "orders-service");
    assert_eq!(doc["metadata"]["component"]["type"], "application");
    assert_eq!(doc["metadata"]["timestamp"], "2024-05-01T12:00:00Z");
    assert_eq!(doc["metadata"]["tools"]["components"][0]["name"], "faasguard");
    assert_eq!(doc["metadata"]["tools"]["components"][0]["version"], "0.1.0");

    // The exact pin and the range each pick their copy of `ms`.
    assert_eq!(depends_on(&doc, "pkg:npm/debug@2.6.9"), ["pkg:npm/ms@2.0.0"]);
    assert_eq!(depends_on(&doc, "pkg:npm/debug@4.3.4"), ["pkg:npm/ms@2.1.3"]);
    assert_eq!(
        depends_on(&doc, "pkg:npm/express@4.18.2"),
        ["pkg:npm/body-parser@1.20.1", "pkg:npm/debug@2.6.9"]
    );
    // `absent` is not in the lockfile: no edge to nothing.
    assert_eq!(depends_on(&doc, "pkg:npm/mocha@10.2.0"), ["pkg:npm/debug@4.3.4"]);
    // Leaves have no entry: the lockfile states no dependencies for them.
    assert!(doc["dependencies"].as_array().unwrap().iter().all(|d| d["ref"] != "pkg:npm/ms@2.1.3"));

    // The application: its direct packages (requirements.txt lines are
    // direct), nothing it reaches through them.
    assert_eq!(
        depends_on(&doc, &root),
        [
            "pkg:npm/%40aws-sdk/client-s3@3.400.0",
            "pkg:npm/express@4.18.2",
            "pkg:npm/left-pad@1.3.0",
            "pkg:npm/mocha@10.2.0",
            "pkg:pypi/boto3-stubs@1.28.0",
            "pkg:pypi/pyyaml@3.13",
            "pkg:pypi/shared-lib@0.1.0",
        ]
    );
}

#[test]
fn spdx_packages_and_relationships() {
    let (locks, shipped) = project();
    let doc = spdx_doc(&input(&locks, &shipped));

    let ms = spdx_package(&doc, "ms", "2.1.3");
    assert_eq!(ms["externalRefs"][0]["referenceCategory"], "PACKAGE-MANAGER");
    assert_eq!(ms["externalRefs"][0]["referenceType"], "purl");
    assert_eq!(ms["externalRefs"][0]["referenceLocator"], "pkg:npm/ms@2.1.3");
    assert_eq!(ms["downloadLocation"], "NOASSERTION");
    assert_eq!(ms["filesAnalyzed"], false);

    let pad = spdx_package(&doc, "left-pad", "1.3.0");
    assert_eq!(
        pad["downloadLocation"],
        "git+https://github.com/left-pad/left-pad.git@5a4e8b7c2f1d0e9a8b7c6d5e4f3a2b1c0d9e8f7a"
    );
    assert!(pad["sourceInfo"].as_str().unwrap().contains("git+https://github.com/left-pad"));
    let wheel = spdx_package(&doc, "boto3-stubs", "1.28.0");
    assert_eq!(
        wheel["downloadLocation"],
        "https://files.example.org/boto3_stubs-1.28.0-py3-none-any.whl"
    );
    assert_eq!(spdx_package(&doc, "shared-lib", "0.1.0")["downloadLocation"], "NOASSERTION");

    let id = |name: &str, version: &str| {
        spdx_package(&doc, name, version)["SPDXID"].as_str().unwrap().to_string()
    };
    let rel = |a: &str, kind: &str, b: &str| (a.to_string(), kind.to_string(), b.to_string());
    let app = "SPDXRef-Application";
    let rels = relationships(&doc);
    assert!(rels.contains(&rel("SPDXRef-DOCUMENT", "DESCRIBES", app)));
    assert!(rels.contains(&rel(app, "DEPENDS_ON", &id("express", "4.18.2"))));
    assert!(rels.contains(&rel(app, "DEPENDS_ON", &id("PyYAML", "3.13"))));
    assert!(rels.contains(&rel(&id("mocha", "10.2.0"), "DEV_DEPENDENCY_OF", app)));
    assert!(!rels.contains(&rel(app, "DEPENDS_ON", &id("mocha", "10.2.0"))));
    assert!(rels.contains(&rel(&id("debug", "4.3.4"), "DEPENDS_ON", &id("ms", "2.1.3"))));
    assert!(rels.contains(&rel(&id("debug", "2.6.9"), "DEPENDS_ON", &id("ms", "2.0.0"))));
    assert!(!rels.contains(&rel(&id("debug", "2.6.9"), "DEPENDS_ON", &id("ms", "2.1.3"))));
    // Reached through express, so not also hung off the application.
    assert!(!rels.contains(&rel(app, "DEPENDS_ON", &id("ms", "2.0.0"))));
    // 1 DESCRIBES + 6 runtime roots + 1 dev + 6 package edges.
    assert_eq!(rels.len(), 14, "{rels:#?}");
}

#[test]
fn duplicates_across_lockfiles_are_one_component() {
    let a = lockfile(1, "a/package-lock.json", vec![direct(npm("ms", "2.1.3"))]);
    let b = lockfile(2, "b/package-lock.json", vec![dev(direct(npm("ms", "2.1.3")))]);
    let c = lockfile(3, "c/package-lock.json", vec![direct(npm("ms", "2.1.3"))]);
    let d = lockfile(4, "d/requirements.txt", vec![direct(pypi("PyYAML", "3.13"))]);
    let e = lockfile(5, "e/poetry.lock", vec![dev(pypi("pyyaml", "3.13"))]);
    let locks = [a, b, c, d, e];
    let shipped = [
        vec!["a/Fn".to_string()],
        vec!["b/Fn".to_string()],
        vec!["c/Fn".to_string(), "c/Other".to_string()],
        vec!["d/Fn".to_string()],
        vec!["e/Fn".to_string()],
    ];
    let input = input(&locks, &shipped);
    let doc = cdx(&input);
    assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new());
    assert_eq!(doc["components"].as_array().unwrap().len(), 2);

    let ms = component(&doc, "ms", "2.1.3");
    assert_eq!(
        property_values(ms, "faasguard:lockfile"),
        ["a/package-lock.json", "b/package-lock.json", "c/package-lock.json"]
    );
    // Shipped by a and c; b lists it for development only.
    assert_eq!(property_values(ms, "faasguard:function"), ["a/Fn", "c/Fn", "c/Other"]);
    assert_eq!(ms["scope"], "required");

    // PEP 503: `PyYAML` and `pyyaml` are one package, under one spelling.
    let yaml = component(&doc, "PyYAML", "3.13");
    assert_eq!(
        property_values(yaml, "faasguard:lockfile"),
        ["d/requirements.txt", "e/poetry.lock"]
    );
    assert_eq!(property_values(yaml, "faasguard:function"), ["d/Fn"]);

    let doc = spdx_doc(&input);
    assert_eq!(spdx_errors(&doc), Vec::<String>::new());
    assert_eq!(doc["packages"].as_array().unwrap().len(), 3, "the application and two packages");
}

#[test]
fn dev_only_everywhere_is_excluded() {
    let a = lockfile(1, "a/package-lock.json", vec![dev(direct(npm("jest", "29.7.0")))]);
    let b = lockfile(2, "b/yarn.lock", vec![dev(npm("jest", "29.7.0"))]);
    let locks = [a, b];
    let shipped = [vec!["a/Fn".to_string()], vec!["b/Fn".to_string()]];
    let doc = cdx(&input(&locks, &shipped));
    let jest = component(&doc, "jest", "29.7.0");
    assert_eq!(jest["scope"], "excluded");
    assert!(property_values(jest, "faasguard:function").is_empty());
    let doc = spdx_doc(&input(&locks, &shipped));
    let id = spdx_package(&doc, "jest", "29.7.0")["SPDXID"].as_str().unwrap().to_string();
    let rels = relationships(&doc);
    assert!(rels.contains(&(id.clone(), "DEV_DEPENDENCY_OF".into(), "SPDXRef-Application".into())));
    assert!(
        !rels.iter().any(|(a, k, b)| k == "DEPENDS_ON" && b == &id && a == "SPDXRef-Application")
    );
}

#[test]
fn output_is_deterministic() {
    let (locks, shipped) = project();
    let one = input(&locks, &shipped);
    assert_eq!(cyclonedx(&one), cyclonedx(&one));
    assert_eq!(spdx(&one), spdx(&one));

    // Lockfile order does not matter, nor which spelling of a name comes
    // first.
    let mut locks = locks;
    locks.push(lockfile(4, "jobs/poetry.lock", vec![pypi("pyyaml", "3.13")]));
    let mut shipped = shipped;
    shipped.push(vec!["jobs/Cron".to_string()]);
    let one = input(&locks, &shipped);
    let mut rev_locks = locks.clone();
    rev_locks.reverse();
    let mut rev_shipped = shipped.clone();
    rev_shipped.reverse();
    let two = input(&rev_locks, &rev_shipped);
    assert_eq!(cyclonedx(&one), cyclonedx(&two));
    assert_eq!(spdx(&one), spdx(&two));

    // Serial number and namespace are derived from the content, timestamp
    // included: another run at another time is another document.
    let later = SbomInput { timestamp: "2024-05-02T12:00:00Z", ..one };
    let (a, b) = (cdx(&one), cdx(&later));
    assert_ne!(a["serialNumber"], b["serialNumber"]);
    assert!(a["serialNumber"].as_str().unwrap().starts_with("urn:uuid:"));
    let (a, b) = (spdx_doc(&one), spdx_doc(&later));
    assert_ne!(a["documentNamespace"], b["documentNamespace"]);
    assert!(
        a["documentNamespace"]
            .as_str()
            .unwrap()
            .starts_with("https://github.com/faasguard/faasguard/spdx/orders-service-")
    );
}

#[test]
fn empty_input_is_still_valid() {
    let input = SbomInput {
        name: "empty",
        lockfiles: &[],
        shipped_by: &[],
        tool_version: "0.1.0",
        timestamp: "2024-05-01T12:00:00Z",
    };
    let doc = cdx(&input);
    assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new());
    assert_eq!(doc["components"], Value::Array(vec![]));
    // The application is listed, depending on nothing (the crate leaves an
    // empty `dependsOn` out).
    assert_eq!(doc["dependencies"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        depends_on(&doc, doc["metadata"]["component"]["bom-ref"].as_str().unwrap()),
        Vec::<String>::new()
    );
    let doc = spdx_doc(&input);
    assert_eq!(spdx_errors(&doc), Vec::<String>::new());
    assert_eq!(doc["packages"].as_array().unwrap().len(), 1);
    assert_eq!(relationships(&doc).len(), 1);
}

#[test]
fn unpinned_manifest_without_lockfile() {
    let mut express = direct(npm("express", ""));
    express.requirement = Some("^4.18.0".into());
    let mut requests = direct(pypi("requests", ""));
    requests.requirement = Some(">=2.31,<3".into());
    let locks = [
        lockfile(1, "api/package.json", vec![express]),
        lockfile(2, "worker/requirements.txt", vec![requests]),
    ];
    let shipped = [vec!["api/Fn".to_string()], vec![]];
    let doc = cdx(&input(&locks, &shipped));
    assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new());
    let express = &doc["components"][0];
    assert_eq!(express["name"], "express");
    assert!(express.get("version").is_none());
    assert_eq!(express["purl"], "pkg:npm/express");
    assert_eq!(property_values(express, "faasguard:requirement"), ["^4.18.0"]);
    let doc = spdx_doc(&input(&locks, &shipped));
    assert_eq!(spdx_errors(&doc), Vec::<String>::new());
    let p = &doc["packages"][1];
    assert_eq!(p["name"], "express");
    assert!(p.get("versionInfo").is_none());
    assert!(p["comment"].as_str().unwrap().contains("requirement ^4.18.0"));
}

#[test]
fn cycles_and_edge_only_graphs_reach_every_package() {
    // No package is marked direct and the graph is a cycle (a -> b -> a)
    // plus a tail (c -> a): the root still reaches every package, once.
    let locks = [lockfile(
        1,
        "x/package-lock.json",
        vec![
            deps(npm("a", "1.0.0"), &[("b", "^1")]),
            deps(npm("b", "1.0.0"), &[("a", "1.0.0")]),
            deps(npm("c", "1.0.0"), &[("a", "1.0.0"), ("c", "1.0.0")]),
        ],
    )];
    let shipped = [vec![]];
    let doc = cdx(&input(&locks, &shipped));
    assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new());
    let root = doc["metadata"]["component"]["bom-ref"].as_str().unwrap().to_string();
    assert_eq!(depends_on(&doc, &root), ["pkg:npm/a@1.0.0", "pkg:npm/c@1.0.0"]);
    assert_eq!(depends_on(&doc, "pkg:npm/c@1.0.0"), ["pkg:npm/a@1.0.0"], "no self edge");
    let doc = spdx_doc(&input(&locks, &shipped));
    assert_eq!(spdx_errors(&doc), Vec::<String>::new());
}

#[test]
fn hostile_names_and_values_stay_valid() {
    let names = [
        "",
        "line\nbreak",
        "tab\there",
        "space name",
        "quote\"and\\back",
        "ünïcödé-名前",
        "@scope/",
        "@/x",
        "%41",
        "a#b?c@d",
        "../../etc/passwd",
    ];
    let mut packages: Vec<Package> =
        names.iter().flat_map(|n| [direct(npm(n, "1.0.0\r\n")), direct(npm(n, "2.0.0"))]).collect();
    packages.push(direct(pkg(Ecosystem::Maven, "org.example:core", "1.0")));
    packages.push(direct(pkg(Ecosystem::Maven, ":", "")));
    packages.push(direct(pkg(Ecosystem::Go, "github.com/u/mod", "v1.2.3")));
    packages.push(direct(pkg(Ecosystem::CratesIo, "serde", "1.0.0+build.1")));
    let mut bad_git = direct(npm("g", "1.0.0"));
    bad_git.source = Source::Git { url: "git@github.com:u/r.git".into() };
    packages.push(bad_git);
    let mut bad_url = direct(npm("u", "1.0.0"));
    bad_url.source = Source::Url { url: "http://exa mple/\n.tgz".into() };
    packages.push(bad_url);
    let mut long = direct(npm(&"x".repeat(5000), &"9".repeat(300)));
    long.dependencies = vec![("".into(), "".into()), ("x".into(), "||||".into())];
    packages.push(long);
    let locks = [lockfile(1, "weird\npath/package-lock.json", packages)];
    let shipped = [vec!["app\n/Fn\t".to_string()]];
    for name in ["", "a\nb", "名前", "#frag"] {
        for timestamp in ["2024-05-01T12:00:00+05:30", "2024-05-01T12:00:00.5Z"] {
            let input = SbomInput {
                name,
                lockfiles: &locks,
                shipped_by: &shipped,
                tool_version: "0.1.0\n",
                timestamp,
            };
            let doc = cdx(&input);
            assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new(), "{name:?}");
            let doc = spdx_doc(&input);
            assert_eq!(spdx_errors(&doc), Vec::<String>::new(), "{name:?}");
        }
    }
    let doc = cdx(&input(&locks, &shipped));
    let maven = component(&doc, "core", "1.0");
    assert_eq!(maven["group"], "org.example");
    assert_eq!(maven["purl"], "pkg:maven/org.example/core@1.0");
    // A git source that is no URL is still recorded, as written.
    // Odd names are percent-encoded, as the purl specification says, so
    // they still have a package URL.
    let spaced = component(&doc, "space name", "2.0.0");
    assert_eq!(spaced["purl"], "pkg:npm/space%20name@2.0.0");
    assert_eq!(component(&doc, "a#b?c@d", "2.0.0")["purl"], "pkg:npm/a%23b%3Fc%40d@2.0.0");
    assert_eq!(
        component(&doc, "quote\"and\\back", "2.0.0")["purl"],
        "pkg:npm/quote%22and%5Cback@2.0.0"
    );
    assert_eq!(
        component(&doc, "serde", "1.0.0+build.1")["purl"],
        "pkg:cargo/serde@1.0.0%2Bbuild.1"
    );
    let g = component(&doc, "g", "1.0.0");
    assert_eq!(property_values(g, "faasguard:source"), ["git:git@github.com:u/r.git"]);
    assert!(g.get("externalReferences").is_none());
}

#[test]
fn timestamps_are_written_in_utc() {
    let (locks, shipped) = project();
    let input = SbomInput { timestamp: "2024-05-01T14:30:00.250+02:00", ..input(&locks, &shipped) };
    assert_eq!(cdx(&input)["metadata"]["timestamp"], "2024-05-01T12:30:00Z");
    assert_eq!(spdx_doc(&input)["creationInfo"]["created"], "2024-05-01T12:30:00Z");
}

#[test]
fn a_timestamp_that_is_not_rfc_3339_is_left_out_of_cyclonedx() {
    let (locks, shipped) = project();
    let input = SbomInput { timestamp: "2024-05-01 noon", ..input(&locks, &shipped) };
    let doc = cdx(&input);
    assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new());
    assert!(doc["metadata"].get("timestamp").is_none());
    assert_eq!(spdx_doc(&input)["creationInfo"]["created"], "2024-05-01 noon");
}

#[test]
fn missing_shipped_by_entries_mean_no_functions() {
    let (locks, _) = project();
    let doc = cdx(&input(&locks, &[]));
    assert_eq!(cyclonedx_errors(&doc), Vec::<String>::new());
    assert!(property_values(component(&doc, "ms", "2.1.3"), "faasguard:function").is_empty());
}

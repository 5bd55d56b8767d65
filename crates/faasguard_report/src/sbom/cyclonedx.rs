//! CycloneDX 1.5 JSON, built with the `cyclonedx-bom` crate's model and
//! written by its 1.5 serializer, so field names and shapes are the
//! crate's, not ours.
//!
//! What each package becomes:
//! - a `library` component: `name` (npm scope and Maven group in `group`),
//!   `version` (absent when only a range is known), `purl`, `scope`
//!   (`excluded` for development-only packages, `required` otherwise);
//! - `externalReferences`: `vcs` for a git source (the revision in its
//!   comment), `distribution` for a tarball URL;
//! - `properties` in the `faasguard:` namespace: `lockfile` and
//!   `function` (one each, repeated), `source` for anything not from the
//!   registry, `requirement` for unpinned entries, `direct`,
//!   `install-script`.
//!
//! The dependency graph is `dependencies`: the application (the metadata
//! component) first, then every component with known dependencies. A
//! component without an entry has dependencies the lockfile does not state.

use cyclonedx_bom::external_models::date_time::DateTime;
use cyclonedx_bom::external_models::normalized_string::NormalizedString;
use cyclonedx_bom::external_models::uri::{Purl, Uri};
use cyclonedx_bom::models::bom::{Bom, SpecVersion, UrnUuid};
use cyclonedx_bom::models::component::{Classification, Component, Components, Scope};
use cyclonedx_bom::models::dependency::{Dependencies, Dependency};
use cyclonedx_bom::models::external_reference::{
    ExternalReference, ExternalReferenceType, ExternalReferences,
};
use cyclonedx_bom::models::metadata::Metadata;
use cyclonedx_bom::models::property::{Properties, Property};
use cyclonedx_bom::models::tool::Tools;
use cyclonedx_bom::validation::Validate;
use faasguard_deps::{Ecosystem, Source};

use super::{
    Component as Entry, Inventory, Labels, SbomInput, content_uuid, git_location, utc_timestamp,
    valid_url,
};

/// The CycloneDX 1.5 JSON document (pretty-printed) for `input`.
///
/// Deterministic: the serial number is a UUID derived from the SHA-256 of
/// the document written with a placeholder in its place.
pub fn cyclonedx(input: &SbomInput<'_>) -> String {
    let inventory = Inventory::build(input);
    let mut bom = bom(input, &inventory);
    // Written once with a placeholder serial, hashed, and the placeholder
    // replaced: the key with its unescaped quotes can only be the BOM's
    // own `serialNumber`, never text inside a value.
    bom.serial_number = Some(UrnUuid(PLACEHOLDER_SERIAL.to_string()));
    let text = write(bom);
    let real = format!("urn:uuid:{}", content_uuid(text.as_bytes()));
    text.replacen(
        &format!("\"serialNumber\": \"{PLACEHOLDER_SERIAL}\""),
        &format!("\"serialNumber\": \"{real}\""),
        1,
    )
}

const PLACEHOLDER_SERIAL: &str = "urn:uuid:00000000-0000-8000-8000-000000000000";

fn write(bom: Bom) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every value was checked when the
    // model was built; an error here would leave an empty document rather
    // than a panic.
    match bom.output_as_json_v1_5(&mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

fn bom(input: &SbomInput<'_>, inventory: &Inventory) -> Bom {
    let mut labels = Labels::default();
    let root_ref = labels.unique("faasguard:application".to_string());
    let refs: Vec<String> = inventory
        .components
        .iter()
        .map(|c| {
            let fallback =
                || format!("faasguard:{}/{}@{}", c.ecosystem.osv_name(), c.name, c.version);
            labels.unique(c.purl.clone().unwrap_or_else(fallback))
        })
        .collect();

    let components: Vec<Component> =
        inventory.components.iter().zip(&refs).map(|(c, r)| component(c, r)).collect();

    let mut dependencies = vec![Dependency {
        dependency_ref: root_ref.clone(),
        dependencies: inventory.root.iter().map(|&i| refs[i].clone()).collect(),
    }];
    for (i, deps) in inventory.edges.iter().enumerate() {
        if !deps.is_empty() {
            dependencies.push(Dependency {
                dependency_ref: refs[i].clone(),
                dependencies: deps.iter().map(|&d| refs[d].clone()).collect(),
            });
        }
    }

    let mut root = Component::new(Classification::Application, input.name, "", Some(root_ref));
    root.version = None;
    let mut tool =
        Component::new(Classification::Application, crate::TOOL_NAME, input.tool_version, None);
    if let Some(url) = valid_url(crate::INFORMATION_URI).and_then(|u| Uri::try_from(u).ok()) {
        tool.external_references = Some(ExternalReferences(vec![ExternalReference::new(
            ExternalReferenceType::Website,
            url,
        )]));
    }
    // Not RFC 3339: left out rather than written in a form the schema's
    // `date-time` rejects.
    let timestamp = utc_timestamp(input.timestamp).and_then(|t| DateTime::try_from(t).ok());
    let metadata = Metadata {
        timestamp,
        tools: Some(Tools::Object { services: None, components: Some(Components(vec![tool])) }),
        component: Some(root),
        ..Metadata::default()
    };

    Bom {
        version: 1,
        serial_number: None,
        metadata: Some(metadata),
        components: Some(Components(components)),
        services: None,
        external_references: None,
        dependencies: Some(Dependencies(dependencies)),
        compositions: None,
        properties: None,
        vulnerabilities: None,
        signature: None,
        annotations: None,
        formulation: None,
        spec_version: SpecVersion::V1_5,
    }
}

/// One package as a component; if a value still fails the crate's checks
/// (a name no purl parser took is already left out, so this is a last
/// guard), the component keeps only its name, version and scope.
fn component(entry: &Entry, bom_ref: &str) -> Component {
    let (group, name) = split_group(entry.ecosystem, &entry.name);
    let mut c =
        Component::new(Classification::Library, name, &entry.version, Some(bom_ref.to_string()));
    if entry.version.is_empty() {
        c.version = None;
    }
    c.group = group.map(NormalizedString::new);
    c.scope = Some(if entry.dev { Scope::Excluded } else { Scope::Required });
    let minimal = c.clone();

    c.purl = entry.purl.as_deref().and_then(|p| p.parse::<Purl>().ok());
    let refs = external_references(&entry.sources);
    c.external_references = (!refs.is_empty()).then_some(ExternalReferences(refs));
    let props = properties(entry);
    c.properties = (!props.is_empty()).then_some(Properties(props));

    if c.validate_version(SpecVersion::V1_5).has_errors() { minimal } else { c }
}

/// npm `@scope/name` and Maven `group:artifact` split into CycloneDX's
/// group and name; other names are whole.
fn split_group(ecosystem: Ecosystem, name: &str) -> (Option<&str>, &str) {
    let split = match ecosystem {
        Ecosystem::Npm if name.starts_with('@') => name.split_once('/'),
        Ecosystem::Maven => name.split_once(':'),
        _ => None,
    };
    match split {
        Some((group, rest)) if !group.is_empty() && !rest.is_empty() => (Some(group), rest),
        _ => (None, name),
    }
}

fn external_references(sources: &[Source]) -> Vec<ExternalReference> {
    let mut refs = Vec::new();
    for source in sources {
        match source {
            Source::Git { url } => {
                if let Some(loc) = git_location(url)
                    && let Ok(uri) = Uri::try_from(loc.repo)
                {
                    let mut r = ExternalReference::new(ExternalReferenceType::Vcs, uri);
                    r.comment = loc.revision.map(|rev| format!("revision {rev}"));
                    refs.push(r);
                }
            }
            Source::Url { url } => {
                if let Some(uri) = valid_url(url).and_then(|u| Uri::try_from(u).ok()) {
                    refs.push(ExternalReference::new(ExternalReferenceType::Distribution, uri));
                }
            }
            Source::Registry | Source::Path { .. } => {}
        }
    }
    refs.sort_by_key(|r| (r.external_reference_type.to_string(), r.url.to_string()));
    refs
}

fn properties(entry: &Entry) -> Vec<Property> {
    let mut props = Vec::new();
    if entry.direct {
        props.push(Property::new("faasguard:direct", "true"));
    }
    for f in &entry.functions {
        props.push(Property::new("faasguard:function", f));
    }
    if entry.install_script {
        props.push(Property::new("faasguard:install-script", "true"));
    }
    for l in &entry.lockfiles {
        props.push(Property::new("faasguard:lockfile", l));
    }
    for r in &entry.requirements {
        props.push(Property::new("faasguard:requirement", r));
    }
    for s in entry.source_labels() {
        props.push(Property::new("faasguard:source", &s));
    }
    props
}

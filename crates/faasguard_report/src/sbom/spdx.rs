//! SPDX 2.3 JSON, written by hand with `serde_json`: no maintained Rust
//! crate writes SPDX 2.3 (the `spdx` crate is the license-expression
//! parser; `spdx-rs` reads 2.2 and is unmaintained), and the document is
//! small enough that its field names are best kept in view here.
//!
//! The document describes one application package (`SPDXRef-Application`),
//! and holds one package per inventory entry with its `versionInfo`, a
//! `purl` external reference (category `PACKAGE-MANAGER`), and
//! `downloadLocation`: the git repository (SPDX's `git+<url>@<revision>`
//! form) or tarball URL it was installed from, `NOASSERTION` for registry
//! packages (the lockfile does not say which mirror served them) and local
//! paths. Files are not analysed (`filesAnalyzed: false`). What SPDX has no
//! field for (lockfiles, functions, requirement, install script) is in the
//! package's `comment`.
//!
//! Relationships: the document `DESCRIBES` the application; the
//! application `DEPENDS_ON` its direct (and otherwise unreached) runtime
//! packages; every development-only package is `DEV_DEPENDENCY_OF` the
//! application; and each package `DEPENDS_ON` what its lockfile says it
//! uses.

use std::collections::HashSet;

use faasguard_deps::Source;
use serde_json::{Map, Value, json};

use super::{
    Component, Inventory, Labels, SbomInput, content_uuid, git_location, utc_timestamp, valid_url,
};

const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";
const APPLICATION_ID: &str = "SPDXRef-Application";
const NOASSERTION: &str = "NOASSERTION";

/// The SPDX 2.3 JSON document (pretty-printed) for `input`.
///
/// Deterministic: `documentNamespace` ends in a UUID derived from the
/// SHA-256 of the document written with the namespace left empty.
pub fn spdx(input: &SbomInput<'_>) -> String {
    let inventory = Inventory::build(input);
    let doc = Value::Object(document(input, &inventory));
    // Written once with an empty namespace, hashed, and the empty value
    // replaced: the key with its unescaped quotes can only be the
    // document's own field, never text inside a value.
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let namespace = format!(
        "{}/spdx/{}-{}",
        crate::INFORMATION_URI,
        slug(input.name),
        content_uuid(text.as_bytes())
    );
    let field = Value::String(namespace).to_string();
    text.replacen("\"documentNamespace\": \"\"", &format!("\"documentNamespace\": {field}"), 1)
}

fn document(input: &SbomInput<'_>, inventory: &Inventory) -> Map<String, Value> {
    let mut labels = Labels::default();
    labels.unique(DOCUMENT_ID.to_string());
    labels.unique(APPLICATION_ID.to_string());
    let ids: Vec<String> = inventory
        .components
        .iter()
        .map(|c| {
            let label = format!("{}-{}-{}", c.ecosystem.purl_type(), c.name, c.version);
            labels.unique(format!("SPDXRef-Package-{}", id_chars(&label)))
        })
        .collect();

    let mut packages = vec![json!({
        "name": input.name,
        "SPDXID": APPLICATION_ID,
        "downloadLocation": NOASSERTION,
        "filesAnalyzed": false,
        "primaryPackagePurpose": "APPLICATION",
    })];
    packages.extend(inventory.components.iter().zip(&ids).map(|(c, id)| package(c, id)));

    let mut relationships = vec![relationship(DOCUMENT_ID, "DESCRIBES", APPLICATION_ID)];
    let in_root: HashSet<usize> = inventory.root.iter().copied().collect();
    for (i, c) in inventory.components.iter().enumerate() {
        if c.dev {
            relationships.push(relationship(&ids[i], "DEV_DEPENDENCY_OF", APPLICATION_ID));
        } else if in_root.contains(&i) {
            relationships.push(relationship(APPLICATION_ID, "DEPENDS_ON", &ids[i]));
        }
    }
    for (i, deps) in inventory.edges.iter().enumerate() {
        for &d in deps {
            relationships.push(relationship(&ids[i], "DEPENDS_ON", &ids[d]));
        }
    }

    let created =
        utc_timestamp(input.timestamp).unwrap_or_else(|| input.timestamp.trim().to_string());
    let creator = if input.tool_version.trim().is_empty() {
        format!("Tool: {}", crate::TOOL_NAME)
    } else {
        format!("Tool: {}-{}", crate::TOOL_NAME, one_line(input.tool_version.trim()))
    };

    let mut doc = Map::new();
    doc.insert("spdxVersion".into(), json!("SPDX-2.3"));
    doc.insert("dataLicense".into(), json!("CC0-1.0"));
    doc.insert("SPDXID".into(), json!(DOCUMENT_ID));
    doc.insert("name".into(), json!(input.name));
    // Filled in once the rest is written (see `spdx`).
    doc.insert("documentNamespace".into(), json!(""));
    doc.insert("creationInfo".into(), json!({ "created": created, "creators": [creator] }));
    doc.insert("packages".into(), Value::Array(packages));
    doc.insert("relationships".into(), Value::Array(relationships));
    doc
}

fn package(c: &Component, id: &str) -> Value {
    let mut p = Map::new();
    p.insert("name".into(), json!(c.name));
    p.insert("SPDXID".into(), json!(id));
    if !c.version.is_empty() {
        p.insert("versionInfo".into(), json!(c.version));
    }
    p.insert("downloadLocation".into(), json!(download_location(&c.sources)));
    p.insert("filesAnalyzed".into(), json!(false));
    p.insert("primaryPackagePurpose".into(), json!("LIBRARY"));
    let sources = c.source_labels();
    if !sources.is_empty() {
        p.insert("sourceInfo".into(), json!(format!("from {}", sources.join("; "))));
    }
    if let Some(purl) = &c.purl {
        p.insert(
            "externalRefs".into(),
            json!([{
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": purl,
            }]),
        );
    }
    p.insert("comment".into(), json!(comment(c)));
    Value::Object(p)
}

/// Where the package can be fetched: the one non-registry origin when it
/// is a URL, else `NOASSERTION`.
fn download_location(sources: &[Source]) -> String {
    let [source] = sources else { return NOASSERTION.to_string() };
    let location = match source {
        Source::Git { url } => git_location(url).map(|loc| {
            let repo =
                if loc.repo.starts_with("git://") { loc.repo } else { format!("git+{}", loc.repo) };
            match loc.revision {
                Some(rev) => format!("{repo}@{rev}"),
                None => repo,
            }
        }),
        Source::Url { url } => valid_url(url),
        Source::Registry | Source::Path { .. } => None,
    };
    location.unwrap_or_else(|| NOASSERTION.to_string())
}

/// What SPDX has no field for, as one line: development-only, the
/// requirement of an unpinned entry, install script, lockfiles, functions.
fn comment(c: &Component) -> String {
    let mut parts = Vec::new();
    if c.dev {
        parts.push("development only (not shipped)".to_string());
    }
    if c.direct {
        parts.push("direct dependency".to_string());
    }
    if !c.requirements.is_empty() {
        let reqs: Vec<&str> = c.requirements.iter().map(String::as_str).collect();
        parts.push(format!("no version pinned; requirement {}", reqs.join(" | ")));
    }
    if c.install_script {
        parts.push("runs an install script".to_string());
    }
    let lockfiles: Vec<&str> = c.lockfiles.iter().map(String::as_str).collect();
    parts.push(format!("lockfiles: {}", lockfiles.join(", ")));
    if !c.functions.is_empty() {
        let functions: Vec<&str> = c.functions.iter().map(String::as_str).collect();
        parts.push(format!("functions: {}", functions.join(", ")));
    }
    one_line(&parts.join("; "))
}

fn relationship(from: &str, kind: &str, to: &str) -> Value {
    json!({ "spdxElementId": from, "relationshipType": kind, "relatedSpdxElement": to })
}

/// SPDX identifiers allow letters, digits, `.` and `-` only.
fn id_chars(label: &str) -> String {
    label.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect()
}

/// The name as a URI path segment for the namespace: letters, digits,
/// `.`, `_` and `-`, at most 64 characters; never empty.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .collect();
    let s = s.trim_matches('-');
    if s.is_empty() { "sbom".to_string() } else { s.to_string() }
}

/// Control characters (line breaks in a hostile name) as spaces.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

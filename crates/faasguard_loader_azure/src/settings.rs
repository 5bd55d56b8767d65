//! `local.settings.json`: the app settings Core Tools gives every function
//! when the app runs locally, and the connection strings beside them.

use faasguard_model::{EnvVar, Val, ValueSource};
use faasguard_source::{FileId, Span};
use faasguard_syntax::{Entry, NodeKind};

use crate::{Ctx, json};

/// What `local.settings.json` says about every function.
#[derive(Default)]
pub(crate) struct Settings {
    /// `Values`, then `ConnectionStrings`, in file order.
    pub(crate) environment: Vec<EnvVar>,
    /// `FUNCTIONS_WORKER_RUNTIME` (`python`, `node`, `dotnet-isolated`, ...).
    pub(crate) runtime: Option<Val<String>>,
}

/// Reads `local.settings.json`, when the project has one.
pub(crate) fn read(ctx: &mut Ctx<'_>, file: Option<FileId>) -> Settings {
    let mut settings = Settings::default();
    let Some(file) = file else { return settings };
    // The file exists to hold connection strings and keys for local runs;
    // Core Tools' project template keeps it out of version control, so
    // finding it in a scanned tree is itself worth telling.
    ctx.note(
        Span::file_start(file),
        format!(
            "`{}` is meant for local development only and is normally kept out of version \
             control; its `Values` are modelled as every function's environment",
            ctx.path(file)
        ),
    );
    let Some(root) = ctx.parse(file) else { return settings };
    if !root.is_map() {
        if !matches!(root.kind, NodeKind::Null) {
            ctx.structure(root.span, "`local.settings.json` must be a JSON object with `Values`");
        }
        return settings;
    }
    // `func settings encrypt` replaces every value with ciphertext bound to
    // this machine: the names are real, the values are unknowable here.
    let encrypted = json::get(&root, "IsEncrypted").and_then(|n| n.as_bool()).unwrap_or(false);
    if let Some(values) = json::get(&root, "Values") {
        if values.is_map() {
            for e in values.entries() {
                if let Some(var) = env_var(ctx, e, encrypted) {
                    settings.environment.push(var);
                }
            }
        } else {
            ctx.structure(values.span, "`Values` must be an object of setting names and strings");
        }
    }
    if let Some(conns) = json::get(&root, "ConnectionStrings") {
        if conns.is_map() {
            for e in conns.entries() {
                // `{"ConnectionString": "...", "ProviderName": "..."}` is the
                // long form of one entry.
                let e = match json::entry(&e.value, "ConnectionString") {
                    Some(inner) if e.value.is_map() => Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: inner.value.clone(),
                    },
                    _ => e.clone(),
                };
                if let Some(var) = env_var(ctx, &e, encrypted) {
                    settings.environment.push(var);
                }
            }
        } else {
            ctx.structure(conns.span, "`ConnectionStrings` must be an object of names and strings");
        }
    }
    settings.runtime = settings
        .environment
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case("FUNCTIONS_WORKER_RUNTIME"))
        .map(|v| v.value.clone());
    settings
}

fn env_var(ctx: &mut Ctx<'_>, e: &Entry, encrypted: bool) -> Option<EnvVar> {
    let value = match &e.value.kind {
        NodeKind::String(_) if encrypted => Val::unresolved("<encrypted>".into(), e.value.span),
        NodeKind::String(s) => Val::explicit(s.clone(), e.value.span),
        NodeKind::Number(s) => Val::explicit(s.clone(), e.value.span),
        NodeKind::Bool(b) => Val::explicit(b.to_string(), e.value.span),
        NodeKind::Null => Val::explicit(String::new(), e.value.span),
        NodeKind::Seq(_) | NodeKind::Map(_) => {
            ctx.structure(
                e.value.span,
                format!("setting `{}` must be a string, not a list or an object", e.key),
            );
            return None;
        }
    };
    let source = if value.is_known() { source_of(&value.value) } else { ValueSource::Literal };
    Some(EnvVar { name: e.key.clone(), name_span: e.key_span, value, source })
}

/// How an app setting's value is provided: Key Vault references are
/// resolved by the platform from the vault, App Configuration references
/// from the store; anything else is the literal text.
pub(crate) fn source_of(value: &str) -> ValueSource {
    let v = value.trim_start();
    if starts_with_ci(v, "@Microsoft.KeyVault(") {
        ValueSource::SecretStore
    } else if starts_with_ci(v, "@Microsoft.AppConfiguration(") {
        ValueSource::Reference
    } else {
        ValueSource::Literal
    }
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_told_from_literals() {
        assert_eq!(
            source_of("@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/s/)"),
            ValueSource::SecretStore
        );
        assert_eq!(
            source_of(" @microsoft.keyvault(VaultName=v;SecretName=s)"),
            ValueSource::SecretStore
        );
        assert_eq!(
            source_of("@Microsoft.AppConfiguration(Endpoint=https://c.azconfig.io; Key=k)"),
            ValueSource::Reference
        );
        assert_eq!(source_of("UseDevelopmentStorage=true"), ValueSource::Literal);
        assert_eq!(source_of("é"), ValueSource::Literal);
    }
}

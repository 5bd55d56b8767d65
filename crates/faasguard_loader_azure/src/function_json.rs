//! `<function>/function.json`: one function, its code and its trigger.

use faasguard_model::{Code, Function, FunctionId, Provider, RouteAuth, Trigger, TriggerKind, Val};
use faasguard_source::FileId;
use faasguard_syntax::{Node, NodeKind};

use crate::host::Host;
use crate::http::{self, HttpTrigger};
use crate::{Ctx, explicit_str, join_path, json, parent_dir};

/// Loads the function in folder `name` from its `function.json`.
/// `runtime` is the app's worker runtime, when `local.settings.json` names it.
pub(crate) fn load(
    ctx: &mut Ctx<'_>,
    host: &Host,
    runtime: Option<&Val<String>>,
    name: &str,
    file: FileId,
) {
    let Some(root) = ctx.parse(file) else { return };
    if !root.is_map() {
        ctx.structure(
            root.span,
            format!("`function.json` of `{name}` must be a JSON object with `bindings`"),
        );
        return;
    }
    let dir = parent_dir(ctx.path(file));
    let mut f = Function::new(name, root.span, Provider::Azure);
    // The folder's name is the function's name: nothing in the file can change it.
    f.name = Some(Val::default_at(name.to_string(), root.span));

    match json::get(&root, "scriptFile") {
        Some(n) => match n.as_str() {
            Some(s) => {
                f.code = Some(Code::Location(Val::explicit(join_path(dir, s), n.span)));
                f.runtime = runtime_of_script(s).map(|r| Val::default_at(r.to_string(), n.span));
            }
            None => ctx.structure(n.span, "`scriptFile` must be a path string"),
        },
        None => {
            // Without `scriptFile` each worker looks for its conventional file.
            let default = match runtime.and_then(|r| r.known()) {
                Some(r) if r.eq_ignore_ascii_case("python") => Some("__init__.py"),
                Some(r) if r.eq_ignore_ascii_case("node") => Some("index.js"),
                Some(r) if r.eq_ignore_ascii_case("powershell") => Some("run.ps1"),
                _ => None,
            };
            if let Some(script) = default {
                f.code = Some(Code::Location(Val::default_at(join_path(dir, script), root.span)));
            }
        }
    }
    match json::get(&root, "entryPoint") {
        Some(n) => match explicit_str(n) {
            Some(v) => f.handler = Some(v),
            None => ctx.structure(n.span, "`entryPoint` must be a string"),
        },
        None => {
            let python = runtime
                .and_then(|r| r.known())
                .or(f.runtime.as_ref().map(|r| r.value.as_str()))
                .is_some_and(|r| r.eq_ignore_ascii_case("python"));
            if python {
                f.handler = Some(Val::default_at("main".into(), root.span));
            }
        }
    }
    if let Some(d) = json::get(&root, "disabled")
        && d.as_bool() == Some(true)
    {
        ctx.note(
            d.span,
            format!(
                "function `{name}` is marked disabled; it is still checked, since an app \
                 setting can enable it without changing this file"
            ),
        );
    }

    let id = FunctionId(ctx.app.functions.len() as u32);
    ctx.app.functions.push(f);

    let Some(bindings) = json::get(&root, "bindings") else {
        ctx.note(
            root.span,
            format!(
                "function `{name}` has no `bindings`; the host does not load a function \
                 without a trigger"
            ),
        );
        return;
    };
    if !bindings.is_seq() {
        ctx.structure(bindings.span, "`bindings` must be a list of binding objects");
        return;
    }
    let mut triggers = 0usize;
    for b in bindings.items() {
        if !b.is_map() {
            ctx.structure(b.span, "each binding must be an object with `type` and `name`");
            continue;
        }
        let Some(ty) = json::get(b, "type") else {
            ctx.structure(b.span, "the binding has no `type`");
            continue;
        };
        let Some(ty) = ty.as_str().map(str::trim) else {
            ctx.structure(ty.span, "the binding's `type` must be a string such as `httpTrigger`");
            continue;
        };
        if !ty.to_ascii_lowercase().ends_with("trigger") {
            continue;
        }
        triggers += 1;
        let logical_id = format!("{name}/{ty}");
        if ty.eq_ignore_ascii_case("httpTrigger") {
            http_trigger(ctx, host, name, id, logical_id, b);
        } else if ty.eq_ignore_ascii_case("timerTrigger") {
            match json::get(b, "schedule").and_then(|s| s.as_str().map(|t| (t, s.span))) {
                Some((expr, span)) => {
                    let expression = if is_setting_expression(expr) {
                        Val::unresolved(expr.to_string(), span)
                    } else {
                        Val::explicit(expr.to_string(), span)
                    };
                    ctx.app.triggers.push(Trigger {
                        logical_id,
                        function: id,
                        span: b.span,
                        kind: TriggerKind::Schedule { expression },
                    });
                }
                None => ctx.structure(
                    b.span,
                    "a `timerTrigger` needs a `schedule` string (an NCRONTAB expression such as \
                     \"0 */5 * * * *\")",
                ),
            }
        } else {
            ctx.app.triggers.push(Trigger {
                logical_id,
                function: id,
                span: b.span,
                kind: http::other(ty),
            });
        }
    }
    if triggers == 0 {
        ctx.note(
            bindings.span,
            format!(
                "function `{name}` has no trigger binding; the host does not load a function \
                 without one"
            ),
        );
    } else if triggers > 1 {
        ctx.note(
            bindings.span,
            format!(
                "function `{name}` has {triggers} trigger bindings; the host accepts exactly \
                 one and refuses to load the function"
            ),
        );
    }
}

fn http_trigger(
    ctx: &mut Ctx<'_>,
    host: &Host,
    name: &str,
    id: FunctionId,
    logical_id: String,
    b: &Node,
) {
    let auth = match json::get(b, "authLevel") {
        None => http::default_auth(b.span),
        Some(n) if matches!(n.kind, NodeKind::Null) => http::default_auth(b.span),
        Some(n) => match n.as_str() {
            Some(s) => match http::level(s) {
                Some(a) => Val::explicit(a, n.span),
                None => {
                    ctx.note(
                        n.span,
                        format!(
                            "`authLevel` `{}` of `{name}` is not `anonymous`, `function` or \
                             `admin`; its authentication is unknown",
                            s.trim()
                        ),
                    );
                    Val::unresolved(RouteAuth::Unknown, n.span)
                }
            },
            None => {
                ctx.structure(
                    n.span,
                    "`authLevel` must be a string: `anonymous`, `function` or `admin`",
                );
                Val::unresolved(RouteAuth::Unknown, n.span)
            }
        },
    };
    let mut listed = Vec::new();
    match json::get(b, "methods") {
        None => {}
        Some(m) => match &m.kind {
            NodeKind::Null => {}
            NodeKind::String(s) => listed.push(s.clone()),
            NodeKind::Seq(items) => {
                for item in items {
                    match item.as_str() {
                        Some(s) => listed.push(s.to_string()),
                        None => ctx.structure(item.span, "each of `methods` must be a string"),
                    }
                }
            }
            _ => ctx.structure(m.span, "`methods` must be a list such as [\"get\", \"post\"]"),
        },
    }
    let route = match json::get(b, "route") {
        Some(r) => match r.as_str().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            Some(_) => name.to_string(),
            None => {
                if !matches!(r.kind, NodeKind::Null) {
                    ctx.structure(r.span, "`route` must be a string such as \"orders/{id}\"");
                }
                name.to_string()
            }
        },
        None => name.to_string(),
    };
    http::push(
        ctx,
        HttpTrigger {
            logical_id,
            function: id,
            span: b.span,
            methods: http::methods(listed),
            path: http::full_path(&host.route_prefix.value, &route),
            auth,
        },
    );
}

/// `%Name%`: the value of an app setting, known only where the app runs.
pub(crate) fn is_setting_expression(s: &str) -> bool {
    let s = s.trim();
    s.len() > 2 && s.starts_with('%') && s.ends_with('%')
}

/// The worker a script file needs, by its extension.
fn runtime_of_script(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "py" => "python",
        "js" | "mjs" | "cjs" => "node",
        "ps1" | "psm1" => "powershell",
        "dll" | "csx" => "dotnet",
        "jar" => "java",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtimes_follow_the_script_extension() {
        assert_eq!(runtime_of_script("__init__.py"), Some("python"));
        assert_eq!(runtime_of_script("../dist/index.MJS"), Some("node"));
        assert_eq!(runtime_of_script("../bin/Orders.dll"), Some("dotnet"));
        assert_eq!(runtime_of_script("run"), None);
    }

    #[test]
    fn setting_expressions() {
        assert!(is_setting_expression("%TimerSchedule%"));
        assert!(!is_setting_expression("%"));
        assert!(!is_setting_expression("0 */5 * * * *"));
    }
}

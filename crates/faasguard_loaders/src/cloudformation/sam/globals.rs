//! SAM `Globals`: `Function`, `Api` and `HttpApi` settings merged into each
//! resource of that type, the resource's own values winning (mappings merged
//! key by key, lists concatenated), as the transform does.

use super::super::context::Loader;
use super::super::value::merge_globals;

pub(crate) fn load(l: &mut Loader<'_, '_>) {
    let Some(globals) = l.tpl.globals else { return };
    let mut resolve = |key: &str| globals.get(key).map(|n| l.ev.eval(n));
    let function = resolve("Function");
    let api = resolve("Api");
    let http_api = resolve("HttpApi");
    let tpl = l.tpl;
    for (i, r) in tpl.resources.iter().enumerate() {
        let global = match r.type_name {
            "AWS::Serverless::Function" => function.as_ref(),
            "AWS::Serverless::Api" => api.as_ref(),
            "AWS::Serverless::HttpApi" => http_api.as_ref(),
            _ => None,
        };
        if let (Some(g), Some(slot)) = (global, l.props.get_mut(i))
            && let Some(local) = slot.as_ref()
        {
            *slot = Some(merge_globals(g, local));
        }
    }
    l.globals.function = function;
    l.globals.api = api;
    l.globals.http_api = http_api;
}

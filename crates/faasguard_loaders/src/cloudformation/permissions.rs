//! Resource-based permissions: `AWS::Lambda::Permission` (who may invoke a
//! function) and `AWS::Lambda::LayerVersionPermission` (who may use a layer).

use faasguard_model::{LambdaPermission, LayerPermission, Val};

use super::context::Loader;
use super::template::RawResource;
use super::value::V;

fn required(props: &V, key: &str, owner: &RawResource<'_>) -> Val<String> {
    props
        .get(key)
        .and_then(V::to_val)
        .unwrap_or_else(|| Val::unresolved(format!("${{{key}}}"), owner.node.span))
}

pub(crate) fn lambda(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let function = props.get("FunctionName").and_then(|f| l.function_of(f));
    let s = |k: &str| props.get(k).and_then(V::to_val);
    let p = LambdaPermission {
        logical_id: r.id.to_owned(),
        span: r.node.span,
        function,
        function_ref: required(props, "FunctionName", r),
        action: required(props, "Action", r),
        principal: required(props, "Principal", r),
        source_arn: s("SourceArn"),
        source_account: s("SourceAccount"),
        principal_org_id: s("PrincipalOrgID"),
        function_url_auth_type: s("FunctionUrlAuthType"),
    };
    l.app.permissions.push(p);
}

pub(crate) fn layer(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let p = LayerPermission {
        logical_id: r.id.to_owned(),
        span: r.node.span,
        layer: required(props, "LayerVersionArn", r),
        action: required(props, "Action", r),
        principal: required(props, "Principal", r),
        organization_id: props.get("OrganizationId").and_then(V::to_val),
    };
    l.app.layer_permissions.push(p);
}

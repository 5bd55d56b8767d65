//! The loading state shared by every pass: the template, the resolver, the
//! app being built and the logical-id indexes that let one resource find
//! another.

use std::collections::HashMap;

use faasguard_model::{ApiId, App, FunctionId, LayerId, Note, ResourceId, RoleId};
use faasguard_source::Span;
use faasguard_syntax::ParseError;

use super::intrinsics::Evaluator;
use super::template::{RawResource, Template};
use super::value::V;
use super::{apis, events, functions, layers, permissions, resources, roles, sam};

/// SAM `Globals` sections, resolved.
#[derive(Default)]
pub(crate) struct Globals {
    pub(crate) function: Option<V>,
    pub(crate) api: Option<V>,
    pub(crate) http_api: Option<V>,
}

pub(crate) struct Loader<'a, 't> {
    pub(crate) tpl: &'t Template<'a>,
    pub(crate) ev: Evaluator<'a, 't>,
    pub(crate) app: App,
    /// Resolved `Properties` per resource (same order as `tpl.resources`);
    /// `None` when the resource's condition is known false.
    pub(crate) props: Vec<Option<V>>,
    pub(crate) globals: Globals,
    pub(crate) function_ids: HashMap<String, FunctionId>,
    pub(crate) role_ids: HashMap<String, RoleId>,
    pub(crate) api_ids: HashMap<String, ApiId>,
    pub(crate) resource_ids: HashMap<String, ResourceId>,
    pub(crate) layer_ids: HashMap<String, LayerId>,
    /// SAM APIs whose `Auth.ApiKeyRequired` applies to every route.
    pub(crate) api_keys: HashMap<ApiId, bool>,
}

impl<'a, 't> Loader<'a, 't> {
    pub(crate) fn new(tpl: &'t Template<'a>, app: App) -> Self {
        Loader {
            tpl,
            ev: Evaluator::new(tpl),
            app,
            props: Vec::new(),
            globals: Globals::default(),
            function_ids: HashMap::new(),
            role_ids: HashMap::new(),
            api_ids: HashMap::new(),
            resource_ids: HashMap::new(),
            layer_ids: HashMap::new(),
            api_keys: HashMap::new(),
        }
    }

    pub(crate) fn run(&mut self) {
        self.resolve_properties();
        if self.tpl.sam {
            sam::globals::load(self);
        }
        let tpl = self.tpl;
        // Declarations: each entity gets its id before anything refers to it.
        for (i, r) in tpl.resources.iter().enumerate() {
            match r.type_name {
                "AWS::IAM::Role" => roles::declare(self, i, r),
                // Before functions, which resolve their `Layers` to them.
                "AWS::Lambda::LayerVersion" | "AWS::Serverless::LayerVersion" => {
                    layers::declare(self, i, r)
                }
                _ => {}
            }
        }
        for (i, r) in tpl.resources.iter().enumerate() {
            match r.type_name {
                "AWS::Lambda::Function" => functions::declare(self, i, r),
                "AWS::Serverless::Function" => sam::function::declare(self, i, r),
                _ => {}
            }
        }
        for (i, r) in tpl.resources.iter().enumerate() {
            match r.type_name {
                "AWS::ApiGateway::RestApi" | "AWS::ApiGatewayV2::Api" => apis::declare(self, i, r),
                "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => {
                    sam::api::declare(self, i, r)
                }
                _ => resources::declare(self, i, r),
            }
        }
        // Relations.
        for (i, r) in tpl.resources.iter().enumerate() {
            match r.type_name {
                "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => roles::attach(self, i, r),
                "AWS::Lambda::Permission" => permissions::lambda(self, i, r),
                "AWS::Lambda::LayerVersionPermission" => permissions::layer(self, i, r),
                "AWS::Lambda::Url" => functions::url(self, i, r),
                "AWS::Lambda::EventInvokeConfig" => functions::invoke_config(self, i, r),
                "AWS::Lambda::EventSourceMapping" => events::source_mapping(self, i, r),
                "AWS::S3::Bucket" => events::bucket_notifications(self, i, r),
                "AWS::SNS::Subscription" => events::sns_subscription(self, i, r),
                "AWS::SNS::Topic" => events::topic_subscriptions(self, i, r),
                "AWS::Events::Rule" => events::rule(self, i, r),
                "AWS::Scheduler::Schedule" => events::schedule(self, i, r),
                "AWS::Cognito::UserPool" => events::user_pool(self, i, r),
                "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
                    resources::attach_policy(self, i, r)
                }
                _ => {}
            }
        }
        apis::load_raw(self);
        for (i, r) in tpl.resources.iter().enumerate() {
            match r.type_name {
                "AWS::Serverless::Function" => sam::function::relations(self, i, r),
                "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => sam::api::routes(self, i, r),
                _ => {}
            }
        }
    }

    /// Resolves every resource's properties once.
    fn resolve_properties(&mut self) {
        let tpl = self.tpl;
        let mut props = Vec::with_capacity(tpl.resources.len());
        for r in &tpl.resources {
            if let Some(cond) = r.condition {
                let known = match cond.as_str() {
                    Some(name) => self.ev.condition(name, cond.span),
                    None => {
                        self.ev
                            .error(cond.span, "a resource's `Condition` must be a condition name");
                        None
                    }
                };
                if known == Some(false) {
                    self.note(
                        r.node.span,
                        format!("`{}` is not loaded: its condition is false with the parameter defaults", r.id),
                    );
                    props.push(None);
                    continue;
                }
            }
            let v = match r.properties {
                Some(p) => self.ev.eval(p),
                None => V::new(super::value::VKind::Map(Vec::new()), r.node.span),
            };
            props.push(Some(v));
        }
        self.props = props;
    }

    pub(crate) fn finish(self) -> (App, Vec<ParseError>) {
        (self.app, self.ev.errors)
    }

    pub(crate) fn note(&mut self, span: Span, message: impl Into<String>) {
        self.app.notes.push(Note { span, message: message.into() });
    }

    pub(crate) fn props(&self, i: usize) -> Option<&V> {
        self.props.get(i).and_then(Option::as_ref)
    }

    /// Takes a resource's properties out, for builders that need `&mut self`
    /// while reading them; [`Loader::put_props`] returns them.
    pub(crate) fn take_props(&mut self, i: usize) -> Option<V> {
        self.props.get_mut(i).and_then(Option::take)
    }

    pub(crate) fn put_props(&mut self, i: usize, v: V) {
        if let Some(slot) = self.props.get_mut(i) {
            *slot = Some(v);
        }
    }

    /// The type of a resource of this template (`None` for SAM-generated ones).
    pub(crate) fn type_of(&self, id: &str) -> Option<&'a str> {
        self.tpl.resource(id).map(|r: &RawResource<'a>| r.type_name)
    }

    /// The function a value refers to: by `Ref`/`GetAtt` (aliases and versions
    /// SAM generates included), or by its literal name or ARN.
    pub(crate) fn function_of(&self, v: &V) -> Option<FunctionId> {
        for link in v.links() {
            if let Some(id) = self.function_ids.get(link) {
                return Some(*id);
            }
            // `MyFunctionAliaslive`, `MyFunctionVersion1a2b`: SAM's names.
            if let Some((_, id)) = self.function_ids.iter().find(|(name, _)| {
                link.strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.starts_with("Alias") || rest.starts_with("Version"))
            }) {
                return Some(*id);
            }
            // A permission or alias resource pointing at a function.
            if let Some(r) = self.tpl.resource(link)
                && matches!(r.type_name, "AWS::Lambda::Alias" | "AWS::Lambda::Version")
                && let Some(i) = self.tpl.by_id.get(link)
                && let Some(fname) = self.props(*i).and_then(|p| p.get("FunctionName"))
                && fname.link.as_deref() != Some(link)
            {
                return fname.link.as_deref().and_then(|l| self.function_ids.get(l)).copied();
            }
        }
        let text = v.known_str()?;
        let name = text.rsplit(":function:").next().unwrap_or(text);
        let name = name.split(':').next().unwrap_or(name);
        self.app
            .functions()
            .find(|(_, f)| f.name.as_ref().and_then(|n| n.known()) == Some(name))
            .map(|(id, _)| id)
    }

    /// The role a value refers to, by `Ref`/`GetAtt` or by its literal name.
    pub(crate) fn role_of(&self, v: &V) -> Option<RoleId> {
        for link in v.links() {
            if let Some(id) = self.role_ids.get(link) {
                return Some(*id);
            }
        }
        None
    }

    pub(crate) fn api_of(&self, v: &V) -> Option<ApiId> {
        v.links().into_iter().find_map(|l| self.api_ids.get(l).copied())
    }
}

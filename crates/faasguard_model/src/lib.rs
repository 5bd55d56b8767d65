//! The application model: one shape for every IaC format.
//!
//! Loaders (CloudFormation/SAM, Serverless Framework, Terraform, ...) fill an
//! [`App`]; rules read it and never see a format's own tree. Every value that
//! comes from a file is a [`Val`], which knows its [`Span`] and whether it was
//! written explicitly, filled from a platform default, or could not be
//! resolved (an `Fn::ImportValue`, an unknown variable). Rules must not treat
//! an unresolved value as if it were known.
//!
//! Architecture invariant: this crate does no IO and holds no format-specific
//! knowledge. Relations are indices ([`FunctionId`], [`RoleId`], ...) into the
//! app's vectors, not references.
#![deny(missing_docs)]

mod policy;

pub use policy::{Condition, Effect, PolicyDocument, Principal, PrincipalKind, Statement};

use faasguard_source::{FileId, Span};

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Written in the file.
    Explicit,
    /// Not written; the platform default applies (the span points at the owner).
    Default,
    /// Written, but its value cannot be known statically; the value holds a
    /// readable rendering such as `${ImportValue:SharedRole}`.
    Unresolved,
}

/// A value with its location and origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Val<T> {
    /// The value (for [`Origin::Unresolved`], a best-effort rendering).
    pub value: T,
    /// Where it is written (or, for defaults, where its owner is).
    pub span: Span,
    /// Explicit, default or unresolved.
    pub origin: Origin,
}

impl<T> Val<T> {
    /// An explicitly written value.
    pub fn explicit(value: T, span: Span) -> Self {
        Val { value, span, origin: Origin::Explicit }
    }
    /// A platform default, located at the owner.
    pub fn default_at(value: T, span: Span) -> Self {
        Val { value, span, origin: Origin::Default }
    }
    /// A value that cannot be known statically.
    pub fn unresolved(value: T, span: Span) -> Self {
        Val { value, span, origin: Origin::Unresolved }
    }
    /// Whether the value is known (explicit or default).
    pub fn is_known(&self) -> bool {
        self.origin != Origin::Unresolved
    }
    /// Whether the value was written in the file.
    pub fn is_explicit(&self) -> bool {
        self.origin == Origin::Explicit
    }
}

impl Val<String> {
    /// The text, when it is known.
    pub fn known(&self) -> Option<&str> {
        self.is_known().then_some(self.value.as_str())
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The index into the owning vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(/// Index into [`App::functions`].
FunctionId);
id_type!(/// Index into [`App::roles`].
RoleId);
id_type!(/// Index into [`App::triggers`].
TriggerId);
id_type!(/// Index into [`App::apis`].
ApiId);
id_type!(/// Index into [`App::resources`].
ResourceId);
id_type!(/// Index into [`App::permissions`].
PermissionId);
id_type!(/// Index into [`App::layers`].
LayerId);

/// The IaC format an app was loaded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// AWS SAM (a CloudFormation template with the Serverless transform).
    Sam,
    /// Plain CloudFormation (including CDK output).
    CloudFormation,
    /// Serverless Framework.
    Serverless,
    /// Terraform.
    Terraform,
    /// Azure Functions (function.json and host.json).
    AzureFunctions,
}

impl Format {
    /// Short name for output.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Sam => "sam",
            Format::CloudFormation => "cloudformation",
            Format::Serverless => "serverless",
            Format::Terraform => "terraform",
            Format::AzureFunctions => "azure-functions",
        }
    }
}

/// Cloud provider of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// AWS Lambda.
    Aws,
    /// Azure Functions.
    Azure,
    /// Google Cloud Functions.
    Gcp,
}

/// One deployable application: a template, a serverless.yml, a Terraform module.
#[derive(Debug, Clone)]
pub struct App {
    /// Display name: the path of its main file relative to the scan root.
    pub name: String,
    /// Format it was loaded from.
    pub format: Format,
    /// Its main file.
    pub file: FileId,
    /// Functions.
    pub functions: Vec<Function>,
    /// IAM roles (execution roles and others).
    pub roles: Vec<Role>,
    /// Event sources and HTTP routes, each feeding one function.
    pub triggers: Vec<Trigger>,
    /// REST, HTTP and WebSocket APIs.
    pub apis: Vec<Api>,
    /// Other resources: buckets, queues, topics, tables, keys, secrets, log groups.
    pub resources: Vec<Resource>,
    /// Resource-based permissions on functions (who may invoke them).
    pub permissions: Vec<LambdaPermission>,
    /// Resource-based permissions on layer versions (who may use them).
    pub layer_permissions: Vec<LayerPermission>,
    /// Lambda layers the app defines (their content, for what ships with
    /// the functions that use them).
    pub layers: Vec<Layer>,
    /// Notes from loading: things skipped or approximated (not problems in the app).
    pub notes: Vec<Note>,
}

impl App {
    /// An empty app.
    pub fn new(name: impl Into<String>, format: Format, file: FileId) -> Self {
        App {
            name: name.into(),
            format,
            file,
            functions: Vec::new(),
            roles: Vec::new(),
            triggers: Vec::new(),
            apis: Vec::new(),
            resources: Vec::new(),
            permissions: Vec::new(),
            layer_permissions: Vec::new(),
            layers: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Functions with their ids.
    pub fn functions(&self) -> impl Iterator<Item = (FunctionId, &Function)> {
        self.functions.iter().enumerate().map(|(i, f)| (FunctionId(i as u32), f))
    }

    /// Roles with their ids.
    pub fn roles(&self) -> impl Iterator<Item = (RoleId, &Role)> {
        self.roles.iter().enumerate().map(|(i, r)| (RoleId(i as u32), r))
    }

    /// The function with this id.
    pub fn function(&self, id: FunctionId) -> &Function {
        &self.functions[id.index()]
    }

    /// The role with this id.
    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.index()]
    }

    /// The API with this id.
    pub fn api(&self, id: ApiId) -> &Api {
        &self.apis[id.index()]
    }

    /// The execution role of a function, when it is known and in this app.
    pub fn role_of(&self, f: FunctionId) -> Option<&Role> {
        self.function(f).role.and_then(|r| self.roles.get(r.index()))
    }

    /// Triggers that invoke a function.
    pub fn triggers_of(&self, f: FunctionId) -> impl Iterator<Item = &Trigger> {
        self.triggers.iter().filter(move |t| t.function == f)
    }

    /// Resource-based permissions on a function.
    pub fn permissions_of(&self, f: FunctionId) -> impl Iterator<Item = &LambdaPermission> {
        self.permissions.iter().filter(move |p| p.function == Some(f))
    }

    /// Functions that use a role.
    pub fn functions_with_role(&self, r: RoleId) -> impl Iterator<Item = (FunctionId, &Function)> {
        self.functions().filter(move |(_, f)| f.role == Some(r))
    }

    /// Layers with their ids.
    pub fn layers(&self) -> impl Iterator<Item = (LayerId, &Layer)> {
        self.layers.iter().enumerate().map(|(i, l)| (LayerId(i as u32), l))
    }

    /// The layer with this id, when it is in this app.
    pub fn layer(&self, id: LayerId) -> Option<&Layer> {
        self.layers.get(id.index())
    }

    /// The layers of this app a function uses, in the order it lists them,
    /// each once. Layers outside the app (an ARN of another stack or
    /// account, an unresolved value) are not among them: their content is
    /// not in the scan.
    ///
    /// The loaders resolve the references (`!Ref`, `Fn::GetAtt`,
    /// Serverless `{Ref: <Name>LambdaLayer}`, Terraform
    /// `aws_lambda_layer_version.x.arn`) into [`Function::layer_ids`],
    /// since only they know how their format writes one; this reads them.
    pub fn function_layers(&self, f: &Function) -> Vec<LayerId> {
        let mut out: Vec<LayerId> = Vec::new();
        for id in f.layer_ids.iter().flatten() {
            // An id from another app's vector must not index out of range.
            if id.index() < self.layers.len() && !out.contains(id) {
                out.push(*id);
            }
        }
        out
    }
}

/// A note from a loader about something it could not model exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Where.
    pub span: Span,
    /// What was approximated or skipped.
    pub message: String,
}

/// A function (AWS Lambda, Azure Function, Google Cloud Function).
#[derive(Debug, Clone)]
pub struct Function {
    /// Logical id (CloudFormation resource name, Serverless function key, Terraform address).
    pub logical_id: String,
    /// The resource's whole span.
    pub span: Span,
    /// Cloud provider.
    pub provider: Provider,
    /// Deployed name, when set.
    pub name: Option<Val<String>>,
    /// Runtime identifier (`python3.12`, `nodejs20.x`, ...); `None` for container images.
    pub runtime: Option<Val<String>>,
    /// Handler (`app.handler`).
    pub handler: Option<Val<String>>,
    /// Where the code is.
    pub code: Option<Code>,
    /// Memory in MB.
    pub memory_mb: Option<Val<i64>>,
    /// Timeout in seconds.
    pub timeout_s: Option<Val<i64>>,
    /// Environment variables.
    pub environment: Vec<EnvVar>,
    /// KMS key for environment variables; `None` means the AWS managed key.
    pub env_kms_key: Option<Val<String>>,
    /// Layer ARNs or references, as written.
    pub layers: Vec<Val<String>>,
    /// The layer of this app each entry of [`Function::layers`] refers to,
    /// in the same order; `None` for a layer outside the app. Filled by the
    /// loader; read it through [`App::function_layers`].
    pub layer_ids: Vec<Option<LayerId>>,
    /// VPC attachment.
    pub vpc: Option<VpcConfig>,
    /// Reserved concurrency.
    pub reserved_concurrency: Option<Val<i64>>,
    /// X-Ray tracing mode (`Active` or `PassThrough`).
    pub tracing: Option<Val<String>>,
    /// Dead-letter target (queue or topic ARN/reference).
    pub dead_letter: Option<Val<String>>,
    /// On-failure destination for asynchronous invocations.
    pub on_failure: Option<Val<String>>,
    /// Function URL.
    pub url: Option<FunctionUrl>,
    /// Code signing configuration reference.
    pub code_signing: Option<Val<String>>,
    /// Execution role, when it is defined in the app.
    pub role: Option<RoleId>,
    /// The role as written (`!GetAtt Role.Arn`, an ARN, or the SAM-generated role's name).
    pub role_ref: Option<Val<String>>,
    /// Settings of the hosting platform that Azure and Google expose per
    /// function app (HTTPS only, TLS, CORS, ingress); `None` for Lambda.
    pub platform: Option<PlatformSettings>,
}

/// Hosting settings of an Azure function app or a Google Cloud Function.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlatformSettings {
    /// Azure `https_only`.
    pub https_only: Option<Val<bool>>,
    /// Minimum TLS version (`1.2`).
    pub min_tls_version: Option<Val<String>>,
    /// Allowed CORS origins.
    pub cors_origins: Vec<Val<String>>,
    /// Azure App Service authentication ("Easy Auth") enabled.
    pub auth_enabled: Option<Val<bool>>,
    /// Client certificates required.
    pub client_cert_required: Option<Val<bool>>,
    /// Remote debugging enabled.
    pub remote_debugging: Option<Val<bool>>,
    /// FTP deployment state (`AllAllowed`, `FtpsOnly`, `Disabled`).
    pub ftps_state: Option<Val<String>>,
    /// HTTP/2 enabled.
    pub http2: Option<Val<bool>>,
    /// Google ingress setting (`ALLOW_ALL`, `ALLOW_INTERNAL_ONLY`, ...).
    pub ingress: Option<Val<String>>,
    /// Google HTTPS trigger security level (`SECURE_ALWAYS`, `SECURE_OPTIONAL`).
    pub https_security_level: Option<Val<String>>,
    /// Where the settings block is written.
    pub span: Option<Span>,
}

impl Function {
    /// A function with only its identity set.
    pub fn new(logical_id: impl Into<String>, span: Span, provider: Provider) -> Self {
        Function {
            logical_id: logical_id.into(),
            span,
            provider,
            name: None,
            runtime: None,
            handler: None,
            code: None,
            memory_mb: None,
            timeout_s: None,
            environment: Vec::new(),
            env_kms_key: None,
            layers: Vec::new(),
            layer_ids: Vec::new(),
            vpc: None,
            reserved_concurrency: None,
            tracing: None,
            dead_letter: None,
            on_failure: None,
            url: None,
            code_signing: None,
            role: None,
            role_ref: None,
            platform: None,
        }
    }
}

/// Where a function's code lives.
#[derive(Debug, Clone, PartialEq)]
pub enum Code {
    /// A local path or an S3 URI (SAM `CodeUri`, Terraform `filename`).
    Location(Val<String>),
    /// Inline source (`Code.ZipFile`).
    Inline(Val<String>),
    /// A container image URI.
    Image(Val<String>),
}

/// One environment variable.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    /// Variable name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// Its value as resolved.
    pub value: Val<String>,
    /// How the value is provided.
    pub source: ValueSource,
}

/// How a configuration value is provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// A literal written in the file.
    Literal,
    /// Drawn at deploy time from a secret store (`{{resolve:secretsmanager:...}}`,
    /// `{{resolve:ssm-secure:...}}`, `${ssm:...}`): managed, not plaintext.
    SecretStore,
    /// A reference to a template parameter, resource or variable.
    Reference,
}

/// VPC attachment.
#[derive(Debug, Clone, PartialEq)]
pub struct VpcConfig {
    /// Subnet ids or references.
    pub subnets: Vec<Val<String>>,
    /// Security group ids or references.
    pub security_groups: Vec<Val<String>>,
    /// Where it is written.
    pub span: Span,
}

/// A Lambda layer version the app defines: CloudFormation
/// `AWS::Lambda::LayerVersion`, SAM `AWS::Serverless::LayerVersion`, a
/// Serverless `layers:` entry, Terraform `aws_lambda_layer_version`.
///
/// Its content is unpacked under `/opt` of every function that uses it, so
/// the packages in it ship with those functions. Layers also stay
/// [`Resource`]s of kind [`ResourceKind::Layer`] where the loader modelled
/// them so before.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Logical id (CloudFormation resource name, Serverless layer key,
    /// Terraform address).
    pub logical_id: String,
    /// Where it is defined.
    pub span: Span,
    /// Deployed layer name, when set or defaulted.
    pub name: Option<Val<String>>,
    /// Where the content is, as written: a local directory or file (SAM
    /// `ContentUri`, a Serverless `path`, the source of a Terraform
    /// `archive_file`), an archive, or an `s3://bucket/key` URI. Read it the
    /// way a function's [`Code::Location`] is read.
    pub content: Option<Val<String>>,
    /// Runtimes the layer says it is built for (`python3.12`).
    pub compatible_runtimes: Vec<Val<String>>,
}

/// Function URL configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionUrl {
    /// `NONE` or `AWS_IAM`.
    pub auth_type: Val<String>,
    /// Allowed CORS origins.
    pub cors_origins: Vec<Val<String>>,
    /// Allowed CORS methods.
    pub cors_methods: Vec<Val<String>>,
    /// The URL resource or property.
    pub span: Span,
    /// Logical id of the URL resource, when it is its own resource.
    pub logical_id: Option<String>,
}

impl FunctionUrl {
    /// Whether anyone on the internet can call the URL without signing.
    pub fn is_public(&self) -> bool {
        self.auth_type.is_known() && self.auth_type.value.eq_ignore_ascii_case("NONE")
    }
}

/// An IAM role.
#[derive(Debug, Clone)]
pub struct Role {
    /// Logical id (for a SAM-generated role: `<Function>Role`).
    pub logical_id: String,
    /// Where it is defined (for a generated role: the function's `Policies`, or the function).
    pub span: Span,
    /// Whether the role is generated by a transform (SAM, Serverless) rather than written.
    pub generated: bool,
    /// Who may assume it.
    pub trust_policy: Option<PolicyDocument>,
    /// Permission policies attached to it.
    pub policies: Vec<AttachedPolicy>,
    /// Permissions boundary (a managed policy ARN or reference).
    pub permissions_boundary: Option<Val<String>>,
    /// The boundary's document, when the loader could find it (an AWS
    /// managed policy from the vendored data); `None` leaves the boundary
    /// unapplied, and the IAM engine says so.
    pub boundary_document: Option<PolicyDocument>,
    /// Role assignments by name, for identities whose permissions are named
    /// roles rather than policy documents (Azure RBAC `Contributor`, Google
    /// `roles/editor`).
    pub assignments: Vec<RoleAssignment>,
    /// The provider's default identity (Google's default compute service
    /// account), which is over-privileged unless the project changed it.
    pub default_identity: bool,
}

/// A named role granted to an identity on a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleAssignment {
    /// Role name (`Contributor`, `roles/editor`).
    pub role: Val<String>,
    /// Scope (subscription, resource group, project).
    pub scope: Option<Val<String>>,
    /// Where it is written.
    pub span: Span,
}

/// A policy attached to a role.
#[derive(Debug, Clone)]
pub struct AttachedPolicy {
    /// Policy name (inline name, managed ARN, SAM template name).
    pub name: String,
    /// Where the attachment is written.
    pub span: Span,
    /// What kind of policy it is.
    pub source: PolicySource,
    /// The document, when known. `None` for unresolved ARNs and unknown managed policies.
    pub document: Option<PolicyDocument>,
}

/// Kinds of attached policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// Inline in the role (`Policies`, `AWS::IAM::Policy`).
    Inline,
    /// Customer managed policy defined in the app (`AWS::IAM::ManagedPolicy`).
    CustomerManaged,
    /// AWS managed policy, by ARN.
    AwsManaged,
    /// Expanded from a SAM policy template (name of the template).
    SamTemplate,
    /// A policy ARN that cannot be resolved.
    Unresolved,
}

/// What starts a function.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// Logical name (SAM event name, resource id).
    pub logical_id: String,
    /// The function it invokes.
    pub function: FunctionId,
    /// Where it is declared.
    pub span: Span,
    /// What kind of trigger.
    pub kind: TriggerKind,
}

impl Trigger {
    /// Whether anyone on the internet can fire it without credentials.
    pub fn is_public_unauthenticated(&self) -> bool {
        match &self.kind {
            TriggerKind::HttpRoute(route) => route.auth.is_none() && !route.is_options(),
            _ => false,
        }
    }

    /// Whether the source invokes the function asynchronously (where a DLQ or
    /// on-failure destination catches lost events).
    pub fn is_async(&self) -> bool {
        matches!(
            self.kind,
            TriggerKind::S3 { .. }
                | TriggerKind::Sns { .. }
                | TriggerKind::EventBridge { .. }
                | TriggerKind::Schedule { .. }
        )
    }
}

/// Kinds of triggers.
#[derive(Debug, Clone)]
pub enum TriggerKind {
    /// A route of a REST, HTTP or WebSocket API.
    HttpRoute(HttpRoute),
    /// S3 bucket notification.
    S3 {
        /// Bucket reference.
        bucket: Val<String>,
    },
    /// SQS queue poller.
    Sqs {
        /// Queue reference.
        queue: Val<String>,
    },
    /// SNS subscription.
    Sns {
        /// Topic reference.
        topic: Val<String>,
    },
    /// DynamoDB stream poller.
    DynamoDbStream {
        /// Stream reference.
        stream: Val<String>,
    },
    /// Kinesis stream poller.
    Kinesis {
        /// Stream reference.
        stream: Val<String>,
    },
    /// EventBridge rule.
    EventBridge {
        /// Event bus, when not the default.
        bus: Option<Val<String>>,
    },
    /// Scheduled invocation.
    Schedule {
        /// `rate(...)` or `cron(...)`.
        expression: Val<String>,
    },
    /// Cognito user pool trigger.
    Cognito {
        /// User pool reference.
        pool: Val<String>,
    },
    /// Application Load Balancer target.
    Alb {
        /// Listener or target group reference.
        target: Option<Val<String>>,
    },
    /// Any other event source (type as written).
    Other {
        /// The source's type name.
        kind: String,
    },
}

/// An HTTP route that reaches a function.
#[derive(Debug, Clone)]
pub struct HttpRoute {
    /// REST, HTTP or WebSocket API.
    pub api_kind: ApiKind,
    /// The API, when it is defined in the app (`None` for the SAM implicit API
    /// when no explicit one is modelled).
    pub api: Option<ApiId>,
    /// Method (`GET`, `ANY`, ...).
    pub method: String,
    /// Path (`/users/{id}`).
    pub path: String,
    /// How callers authenticate.
    pub auth: Val<RouteAuth>,
    /// Whether an API key is required.
    pub api_key_required: bool,
}

impl HttpRoute {
    /// CORS preflight routes carry no data and are exempt from authentication rules.
    pub fn is_options(&self) -> bool {
        self.method.eq_ignore_ascii_case("OPTIONS")
    }
}

/// Authentication of a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteAuth {
    /// Nobody is asked who they are.
    None,
    /// SigV4 (`AWS_IAM`).
    Iam,
    /// A Cognito, JWT or Lambda authorizer, by name.
    Authorizer(String),
    /// A shared key: an API Gateway API key, an Azure function or admin key
    /// (`authLevel: function`). Keys identify callers weakly; they are not users.
    Key(String),
    /// Cannot be told statically.
    Unknown,
}

impl Val<RouteAuth> {
    /// Whether the route is known to be open.
    pub fn is_none(&self) -> bool {
        self.is_known() && self.value == RouteAuth::None
    }
}

/// Kinds of APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKind {
    /// API Gateway REST API (v1).
    Rest,
    /// API Gateway HTTP API (v2).
    Http,
    /// API Gateway WebSocket API (v2).
    WebSocket,
}

/// An API Gateway API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Logical id (`ServerlessRestApi` for SAM's implicit API).
    pub logical_id: String,
    /// Where it is defined.
    pub span: Span,
    /// REST, HTTP or WebSocket.
    pub kind: ApiKind,
    /// Whether a transform generates it (the SAM implicit API).
    pub generated: bool,
    /// Default authorizer name, if any.
    pub default_auth: Option<Val<String>>,
    /// Deployed stages.
    pub stages: Vec<Stage>,
    /// Resource policy.
    pub resource_policy: Option<PolicyDocument>,
}

/// A deployed stage of an API.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Stage name.
    pub name: Val<String>,
    /// Where it is defined (the stage resource, or the API when implicit).
    pub span: Span,
    /// Access log destination.
    pub access_log: Option<Val<String>>,
    /// X-Ray tracing on the stage.
    pub tracing: Option<Val<bool>>,
}

/// Kinds of non-function resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceKind {
    /// S3 bucket.
    Bucket,
    /// SQS queue.
    Queue,
    /// SNS topic.
    Topic,
    /// DynamoDB table.
    Table,
    /// KMS key.
    KmsKey,
    /// Secrets Manager secret.
    Secret,
    /// CloudWatch log group.
    LogGroup,
    /// Lambda layer.
    Layer,
    /// Anything else, by type name.
    Other(String),
}

/// A non-function resource.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Logical id.
    pub logical_id: String,
    /// Type as written (`AWS::S3::Bucket`, `aws_s3_bucket`).
    pub type_name: String,
    /// Kind.
    pub kind: ResourceKind,
    /// Where it is defined.
    pub span: Span,
    /// Deployed name, when set.
    pub name: Option<Val<String>>,
    /// Resource policy (bucket, queue, topic, key policy).
    pub policy: Option<PolicyDocument>,
    /// Encryption key, when set.
    pub kms_key: Option<Val<String>>,
}

/// A resource-based permission that lets a principal invoke a function:
/// `AWS::Lambda::Permission`, and Google invoker bindings (principal
/// `allUsers` / `allAuthenticatedUsers` / a member).
#[derive(Debug, Clone)]
pub struct LambdaPermission {
    /// Logical id.
    pub logical_id: String,
    /// Where it is defined.
    pub span: Span,
    /// The function, when it is in the app.
    pub function: Option<FunctionId>,
    /// The function as written.
    pub function_ref: Val<String>,
    /// Action (`lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`, ...).
    pub action: Val<String>,
    /// Principal: `*`, an account, or a service (`s3.amazonaws.com`).
    pub principal: Val<String>,
    /// Source ARN condition.
    pub source_arn: Option<Val<String>>,
    /// Source account condition.
    pub source_account: Option<Val<String>>,
    /// Organization condition.
    pub principal_org_id: Option<Val<String>>,
    /// `FunctionUrlAuthType` condition.
    pub function_url_auth_type: Option<Val<String>>,
}

impl LambdaPermission {
    /// Whether the principal is anyone (`*`, Google `allUsers`), or anyone
    /// with any account (`allAuthenticatedUsers`).
    pub fn is_public(&self) -> bool {
        self.principal.is_known()
            && matches!(self.principal.value.trim(), "*" | "allUsers" | "allAuthenticatedUsers")
    }

    /// Whether the principal is an AWS service (`*.amazonaws.com`).
    pub fn is_service_principal(&self) -> bool {
        self.principal.is_known() && self.principal.value.ends_with(".amazonaws.com")
    }
}

/// A resource-based permission that lets a principal use a layer version
/// (`AWS::Lambda::LayerVersionPermission`).
#[derive(Debug, Clone)]
pub struct LayerPermission {
    /// Logical id.
    pub logical_id: String,
    /// Where it is defined.
    pub span: Span,
    /// The layer version as written (ARN or reference).
    pub layer: Val<String>,
    /// Action (`lambda:GetLayerVersion`).
    pub action: Val<String>,
    /// Principal: `*` or an account id.
    pub principal: Val<String>,
    /// Organization the grant is limited to, when `principal` is `*`.
    pub organization_id: Option<Val<String>>,
}

impl LayerPermission {
    /// Whether every AWS account may use the layer (principal `*` without an organization).
    pub fn is_public(&self) -> bool {
        self.principal.is_known()
            && self.principal.value.trim() == "*"
            && self.organization_id.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(id: &str) -> Layer {
        Layer {
            logical_id: id.into(),
            span: Span::file_start(FileId(0)),
            name: None,
            content: None,
            compatible_runtimes: Vec::new(),
        }
    }

    #[test]
    fn function_layers_are_the_app_layers_in_order_each_once() {
        let at = Span::file_start(FileId(0));
        let mut app = App::new("t", Format::Sam, FileId(0));
        app.layers = vec![layer("A"), layer("B")];
        let mut f = Function::new("F", at, Provider::Aws);
        f.layers = ["B", "arn:aws:lambda:us-east-1:1:layer:x:1", "A", "B", "C"]
            .iter()
            .map(|s| Val::explicit((*s).to_string(), at))
            .collect();
        // `C` stands for an id from another app, past this app's layers.
        f.layer_ids =
            vec![Some(LayerId(1)), None, Some(LayerId(0)), Some(LayerId(1)), Some(LayerId(7))];
        assert_eq!(app.function_layers(&f), [LayerId(1), LayerId(0)]);
        assert_eq!(app.layer(LayerId(1)).map(|l| l.logical_id.as_str()), Some("B"));
        assert!(app.layer(LayerId(7)).is_none());
        let ids: Vec<LayerId> = app.layers().map(|(id, _)| id).collect();
        assert_eq!(ids, [LayerId(0), LayerId(1)]);

        // A function whose loader resolved nothing uses no layer of the app.
        assert!(app.function_layers(&Function::new("G", at, Provider::Aws)).is_empty());
    }
}

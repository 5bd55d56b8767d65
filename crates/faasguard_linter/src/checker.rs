//! What a rule gets: the app, the settings, the scanned sources when the
//! caller has them, and a way to report.

use std::cell::OnceCell;

use faasguard_code::handler::Resolution;
use faasguard_diagnostics::{Finding, FlowStep, Label, RuleMeta, Severity, Subject};
use faasguard_iam::effective::Effective;
use faasguard_iam::risk::Risk;
use faasguard_model::{App, Function, FunctionId, RoleId};
use faasguard_privilege::Inference;
use faasguard_privilege::compare::Comparison;
use faasguard_source::{SourceDb, Span};
use faasguard_taint::Analysis;

use crate::Settings;

/// What the IAM engine says about one role: computed once per role and
/// shared by every IAM rule (an admin role expands to 20,000 actions).
pub(crate) struct RoleIam {
    pub(crate) effective: Effective<'static>,
    pub(crate) risks: Vec<Risk>,
}

pub(crate) struct Checker<'a> {
    pub(crate) app: &'a App,
    pub(crate) settings: &'a Settings,
    /// The scanned files, function code included; `None` when the caller
    /// has only the model, and the rules that read code then skip.
    pub(crate) db: Option<&'a SourceDb>,
    findings: Vec<Finding>,
    iam: Vec<OnceCell<RoleIam>>,
    /// What each function needs, inferred from its code on first use.
    inferences: Vec<OnceCell<Inference>>,
    /// Each role against its functions' needs, on first use.
    comparisons: Vec<OnceCell<Comparison>>,
    /// Each function's handler code, resolved and parsed once for every
    /// rule that reads the code itself (injection, unsafe practices).
    resolutions: Vec<OnceCell<Resolution>>,
    /// Event data flows of each function, on first use: eleven injection
    /// rules read the same analysis.
    taints: Vec<OnceCell<Analysis>>,
    /// Each function's unsafe practices (`checker_code.rs`), on first use.
    pub(crate) practices: crate::checker_code::PracticeCache,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(app: &'a App, settings: &'a Settings, db: Option<&'a SourceDb>) -> Self {
        let iam = app.roles.iter().map(|_| OnceCell::new()).collect();
        let inferences = app.functions.iter().map(|_| OnceCell::new()).collect();
        let comparisons = app.roles.iter().map(|_| OnceCell::new()).collect();
        let resolutions = app.functions.iter().map(|_| OnceCell::new()).collect();
        let taints = app.functions.iter().map(|_| OnceCell::new()).collect();
        Checker {
            app,
            settings,
            db,
            findings: Vec::new(),
            iam,
            inferences,
            comparisons,
            resolutions,
            taints,
            practices: Default::default(),
        }
    }

    /// A function's handler code: its entry file and the local modules it
    /// imports (or its inline code), parsed; `None` without sources.
    pub(crate) fn resolution(&self, f: FunctionId) -> Option<&Resolution> {
        let db = self.db?;
        let cell = self.resolutions.get(f.index())?;
        Some(cell.get_or_init(|| faasguard_code::handler::resolve(self.app, f, db)))
    }

    /// Where a function's event data reaches dangerous sinks; `None`
    /// without sources.
    pub(crate) fn taint(&self, f: FunctionId) -> Option<&Analysis> {
        let db = self.db?;
        let cell = self.taints.get(f.index())?;
        let res = self.resolution(f)?;
        Some(cell.get_or_init(|| faasguard_taint::analyse_resolved(res, db)))
    }

    /// Gives a function an analysis without running the engines, so the
    /// rules' reporting is tested apart from them.
    #[cfg(test)]
    pub(crate) fn set_taint(&self, f: FunctionId, analysis: Analysis) {
        if let Some(cell) = self.taints.get(f.index()) {
            let _ = cell.set(analysis);
        }
    }

    /// What a function needs, from its code and its configuration; `None`
    /// without sources.
    pub(crate) fn inference(&self, f: FunctionId) -> Option<&Inference> {
        let db = self.db?;
        let cell = self.inferences.get(f.index())?;
        let res = self.resolution(f)?;
        Some(cell.get_or_init(|| faasguard_privilege::infer::infer_resolved(self.app, f, db, res)))
    }

    /// A role's permissions against the needs of every function using it
    /// (its effective permissions are [`Checker::role_iam`]'s); `None`
    /// without sources.
    pub(crate) fn comparison(&self, role: RoleId) -> Option<&Comparison> {
        self.db?;
        let cell = self.comparisons.get(role.index())?;
        Some(cell.get_or_init(|| {
            let inferences: Vec<&Inference> = self
                .app
                .functions_with_role(role)
                .filter_map(|(id, _)| self.inference(id))
                .collect();
            faasguard_privilege::compare::compare(
                self.app,
                role,
                &self.role_iam(role).effective,
                &inferences,
            )
        }))
    }

    /// The effective permissions and risks of a role of the app.
    pub(crate) fn role_iam(&self, role: RoleId) -> &RoleIam {
        self.iam[role.index()]
            .get_or_init(|| crate::rules::iam::engine::assess(self.app, role, self.settings))
    }

    /// Starts a finding of `rule` at `primary`; push it with [`Checker::push`].
    pub(crate) fn finding(
        &self,
        rule: &'static RuleMeta,
        primary: Span,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: rule.code,
            rule: rule.name,
            severity: rule.severity,
            sas: rule.sas,
            cwe: rule.cwe,
            message: message.into(),
            help: None,
            primary,
            labels: Vec::new(),
            flow: Vec::new(),
            subject: Subject { app: self.app.name.clone(), function: None, resource: None },
            key: String::new(),
            secrets: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub(crate) fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// Builder-style setters for the optional parts of a finding.
pub(crate) trait FindingExt: Sized {
    fn function(self, f: &Function) -> Self;
    fn resource(self, logical_id: impl Into<String>) -> Self;
    fn help(self, help: impl Into<String>) -> Self;
    fn label(self, span: Span, message: impl Into<String>) -> Self;
    fn step(self, span: Span, message: impl Into<String>) -> Self;
    fn key(self, key: impl Into<String>) -> Self;
    fn severity(self, severity: Severity) -> Self;
    /// Marks a span as holding a secret value, so no reporter quotes it.
    fn secret(self, span: Span) -> Self;
}

impl FindingExt for Finding {
    fn function(mut self, f: &Function) -> Self {
        self.subject.function = Some(f.logical_id.clone());
        self
    }
    fn resource(mut self, logical_id: impl Into<String>) -> Self {
        self.subject.resource = Some(logical_id.into());
        self
    }
    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }
    fn step(mut self, span: Span, message: impl Into<String>) -> Self {
        self.flow.push(FlowStep { span, message: message.into() });
        self
    }
    fn key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }
    fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
    fn secret(mut self, span: Span) -> Self {
        self.secrets.push(span);
        self
    }
}

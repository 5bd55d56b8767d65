//! The command line, declared with clap's derive API. Help text here is the
//! reference documentation of every flag.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use faasguard_diagnostics::Severity;
use faasguard_report::OutputFormat;

/// Security scanner for serverless applications: finds misconfigurations,
/// over-privileged roles and exposed functions in SAM, CloudFormation, CDK
/// output, Serverless Framework, Terraform and Azure Functions projects.
#[derive(Debug, Parser)]
#[command(name = "faasguard", version, propagate_version = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan directories or files for security problems.
    ///
    /// Exit status: 0 when nothing at or above --fail-on was found, 1 when
    /// something was, 2 on a usage or tool error.
    Scan(ScanArgs),
    /// List every rule: code, name, severity, Serverless Top 10 category, CWE.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Show each function's execution role: its effective permissions by
    /// service and access level, problems in its policies, and its IAM risks.
    ///
    /// A report, not a gate: exit status 0 unless it cannot run (2).
    Iam(IamArgs),
    /// Write a software bill of materials: every package of every lockfile
    /// and manifest under the paths, with the functions that ship it.
    Sbom(SbomArgs),
    /// The advisory database: download OSV exports (`update`) or show what
    /// is stored (`status`).
    Db(DbArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct SbomArgs {
    /// Directories or files to read.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,

    /// SBOM format: CycloneDX 1.5 JSON or SPDX 2.3 JSON.
    #[arg(long, value_enum, default_value_t = SbomFormat::Cyclonedx)]
    pub(crate) format: SbomFormat,

    /// Write the SBOM to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SbomFormat {
    Cyclonedx,
    Spdx,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DbArgs {
    #[command(subcommand)]
    pub(crate) command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Download each ecosystem's OSV export (`SOURCE/<ecosystem>/all.zip`),
    /// verify it and store it; the old database stays if anything fails.
    /// This is the only command that uses the network.
    Update(DbUpdateArgs),
    /// Show the stored exports: source, date, advisory count.
    Status(DbStatusArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct DbUpdateArgs {
    /// Where OSV exports are served (`https://...` or `file:///mirror`).
    #[arg(long, value_name = "URL", default_value = faasguard_advisory_db::DEFAULT_SOURCE)]
    pub(crate) source: String,

    /// Ecosystems to download (OSV spelling), comma-separated. The default
    /// is every ecosystem whose lockfiles faasguard reads.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "NAME,...",
        default_values_t = ["npm", "PyPI", "Go", "crates.io", "Maven"].map(String::from)
    )]
    pub(crate) ecosystem: Vec<String>,

    /// Database directory (default: $FAASGUARD_DB_DIR, else the user cache directory).
    #[arg(long, value_name = "DIR")]
    pub(crate) db_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct DbStatusArgs {
    /// Database directory (default: $FAASGUARD_DB_DIR, else the user cache directory).
    #[arg(long, value_name = "DIR")]
    pub(crate) db_dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct IamArgs {
    /// Directories or files to read.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,

    /// Only this function (its logical id, function key or Terraform name).
    #[arg(long, value_name = "NAME")]
    pub(crate) function: Option<String>,

    /// Output format (JSON is documented in docs/iam-output.md).
    #[arg(long, value_enum, default_value_t = IamFormat::Text)]
    pub(crate) format: IamFormat,

    /// Exclusions file, as for `scan`.
    #[arg(long, value_name = "FILE")]
    pub(crate) exclusions: Option<PathBuf>,

    /// Also write each function's least-privilege policy, generated from
    /// its code and configuration, under DIR (created if missing):
    /// `DIR/<app>/<Function>.policy.json` (IAM JSON, split into
    /// `-2`, `-3`... files past IAM's 6,144-character limit for managed
    /// policies) and a snippet in the app's own format
    /// (`<Function>.sam.yaml`, `.cfn.yaml`, `.serverless.yml`, `.tf`).
    #[arg(long, value_name = "DIR")]
    pub(crate) emit_policy: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum IamFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ScanArgs {
    /// Directories or files to scan.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub(crate) format: FormatArg,

    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Exit with status 1 when a finding at or above this severity is found.
    #[arg(long, value_enum, default_value_t = FailOn::High, value_name = "SEVERITY")]
    pub(crate) fail_on: FailOn,

    /// Only run these rules (codes, names or code prefixes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub(crate) select: Vec<String>,

    /// Do not run these rules (codes, names or code prefixes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub(crate) ignore: Vec<String>,

    /// Exclusions file: Cloudsplaining-style IAM exclusions (roles,
    /// policies, exclude-actions, known-accounts) and `suppressions`, each
    /// with the reason a finding is accepted.
    #[arg(long, value_name = "FILE")]
    pub(crate) exclusions: Option<PathBuf>,

    /// When to use colours in text output. `auto` means on a terminal and
    /// when NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub(crate) color: ColorArg,

    /// Advisory database directory written by `faasguard db update`
    /// (default: $FAASGUARD_DB_DIR, else the user cache directory). Without
    /// a database there, the scan uses the snapshot built into the binary
    /// and says so; a directory given here must hold one.
    #[arg(long, value_name = "DIR")]
    pub(crate) offline_db: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
    pub(crate) format: CatalogFormat,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {
    /// Rule code (`TRG001`) or name (`function-url-without-auth`).
    pub(crate) rule: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Text,
    Json,
    Sarif,
}

impl From<FormatArg> for OutputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Text => OutputFormat::Text,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Sarif => OutputFormat::Sarif,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CatalogFormat {
    Text,
    Json,
}

impl From<CatalogFormat> for OutputFormat {
    fn from(f: CatalogFormat) -> Self {
        match f {
            CatalogFormat::Text => OutputFormat::Text,
            CatalogFormat::Json => OutputFormat::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    /// Never fail because of findings.
    None,
}

impl FailOn {
    /// The lowest severity that fails the run, if any does.
    pub(crate) fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::None => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn scan_defaults_and_lists() {
        let args = Args::try_parse_from(["faasguard", "scan", "--select", "TRG001,IAM"]).unwrap();
        let Command::Scan(scan) = args.command else { panic!("not scan") };
        assert_eq!(scan.paths, [PathBuf::from(".")]);
        assert_eq!(scan.fail_on.threshold(), Some(Severity::High));
        assert_eq!(scan.select, ["TRG001", "IAM"]);
        assert_eq!(OutputFormat::from(scan.format), OutputFormat::Text);
        assert_eq!(FailOn::None.threshold(), None);
    }

    #[test]
    fn iam_emit_policy_takes_a_directory() {
        let args =
            Args::try_parse_from(["faasguard", "iam", "--emit-policy", "out", "app"]).unwrap();
        let Command::Iam(iam) = args.command else { panic!("not iam") };
        assert_eq!(iam.emit_policy, Some(PathBuf::from("out")));
        assert_eq!(iam.paths, [PathBuf::from("app")]);
        let args = Args::try_parse_from(["faasguard", "iam"]).unwrap();
        let Command::Iam(iam) = args.command else { panic!("not iam") };
        assert_eq!(iam.emit_policy, None);
    }
}

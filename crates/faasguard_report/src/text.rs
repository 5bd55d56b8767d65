//! Human-readable output: findings grouped by app and by function, each with
//! a code frame in the style of rustc and ruff, then a summary.
//!
//! Everything here must read the same without colour (the CLI turns colour
//! off for pipes, files and `NO_COLOR`): colour only repeats what the words
//! already say.

use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};
use faasguard_diagnostics::{Finding, Severity};
use faasguard_source::{SourceFile, Span};

use crate::location::Location;
use crate::{EmitOptions, Report};

/// Lines of a multi-line span shown before the frame is cut with `...`.
const MAX_FRAME_LINES: u32 = 3;

/// Longest source line shown in full; longer ones (minified JSON) are cut
/// around the span so one finding cannot print megabytes.
const MAX_LINE_CHARS: usize = 160;

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color { format!("{style}{text}{style:#}") } else { text.to_string() }
    }
}

fn fg(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(color)))
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => fg(AnsiColor::Magenta).bold(),
        Severity::High => fg(AnsiColor::Red).bold(),
        Severity::Medium => fg(AnsiColor::Yellow).bold(),
        Severity::Low => fg(AnsiColor::Blue).bold(),
        Severity::Info => Style::new().bold(),
    }
}

pub(crate) fn emit(
    report: &Report<'_>,
    options: EmitOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let p = Painter { color: options.color };
    for app in group_by_app(report.findings) {
        let n = app.findings.len();
        let title = format!("=== {} ({} {}) ===", app.name, n, plural(n, "finding", "findings"));
        writeln!(out, "{}\n", p.paint(Style::new().bold(), &title))?;
        for (function, findings) in group_by_function(&app.findings) {
            let header = match function {
                Some(name) => format!("--- function {name} ---"),
                None => "--- app-level ---".to_string(),
            };
            writeln!(out, "{}", p.paint(Style::new().bold(), &header))?;
            for finding in findings {
                write_finding(report, &p, finding, out)?;
            }
        }
    }
    write_summary(report, &p, out)
}

fn write_finding(
    report: &Report<'_>,
    p: &Painter,
    finding: &Finding,
    out: &mut dyn Write,
) -> io::Result<()> {
    let sev = severity_style(finding.severity);
    let severity = finding.severity.as_str().to_ascii_uppercase();
    writeln!(
        out,
        "{} {} {}: {}",
        p.paint(sev, &severity),
        p.paint(Style::new().bold(), finding.code),
        finding.rule,
        finding.message
    )?;
    let arrow = fg(AnsiColor::Blue).bold();
    let loc = Location::resolve(report.sources, finding.primary);
    let secrets: Vec<Span> = report
        .secrets
        .iter()
        .chain(report.findings.iter().flat_map(|f| &f.secrets))
        .filter(|s| s.file == finding.primary.file)
        .copied()
        .collect();
    let frame = report.sources.get(finding.primary.file).map(|f| code_frame(f, &loc, &secrets));
    let gutter = frame.as_ref().map_or(1, |f| f.gutter_width);
    let pad = " ".repeat(gutter);
    writeln!(out, "{pad}{} {loc}", p.paint(arrow, "-->"))?;
    if let Some(frame) = frame.filter(|f| !f.lines.is_empty()) {
        let bar = p.paint(arrow, "|");
        writeln!(out, "{pad} {bar}")?;
        for line in &frame.lines {
            match line {
                FrameLine::Source { number, text } => {
                    let num = format!("{number:>gutter$}");
                    writeln!(out, "{} {bar} {text}", p.paint(arrow, &num))?;
                }
                FrameLine::Marker { indent, width } => {
                    let carets = p.paint(sev, &"^".repeat(*width));
                    writeln!(out, "{pad} {bar} {}{carets}", " ".repeat(*indent))?;
                }
                FrameLine::Elided => writeln!(out, "{pad} {bar} ...")?,
            }
        }
    }
    let eq = p.paint(arrow, "=");
    for label in &finding.labels {
        let at = Location::resolve(report.sources, label.span);
        writeln!(
            out,
            "{pad} {eq} {}: {} (at {at})",
            p.paint(Style::new().bold(), "note"),
            label.message
        )?;
    }
    if !finding.flow.is_empty() {
        writeln!(out, "{pad} {eq} {}:", p.paint(Style::new().bold(), "path"))?;
        for (i, step) in finding.flow.iter().enumerate() {
            let at = Location::resolve(report.sources, step.span);
            writeln!(out, "{pad}     {}. {at}: {}", i + 1, step.message)?;
        }
    }
    if let Some(help) = &finding.help {
        writeln!(out, "{pad} {eq} {}: {help}", p.paint(fg(AnsiColor::Cyan).bold(), "help"))?;
    }
    writeln!(out)
}

fn write_summary(report: &Report<'_>, p: &Painter, out: &mut dyn Write) -> io::Result<()> {
    let findings = report.findings;
    if findings.is_empty() {
        writeln!(out, "{}", p.paint(fg(AnsiColor::Green).bold(), "No findings."))?;
    } else {
        let counts: Vec<String> = Severity::ALL
            .into_iter()
            .filter_map(|sev| {
                let n = findings.iter().filter(|f| f.severity == sev).count();
                (n > 0).then(|| p.paint(severity_style(sev), &format!("{n} {sev}")))
            })
            .collect();
        let n = findings.len();
        writeln!(out, "Found {n} {}: {}.", plural(n, "finding", "findings"), counts.join(", "))?;
    }
    let s = report.stats;
    let mut scanned = format!(
        "Scanned {} {} ({} IaC, {} {}, {} {}",
        s.files_seen,
        plural(s.files_seen, "file", "files"),
        s.iac_files,
        s.apps,
        plural(s.apps, "app", "apps"),
        s.functions,
        plural(s.functions, "function", "functions"),
    );
    if s.parse_errors > 0 {
        scanned.push_str(&format!(
            ", {} {}",
            s.parse_errors,
            plural(s.parse_errors, "parse error", "parse errors")
        ));
    }
    if s.suppressed > 0 {
        scanned.push_str(&format!(
            ", {} {} suppressed by the exclusions file",
            s.suppressed,
            plural(s.suppressed, "finding", "findings")
        ));
    }
    writeln!(out, "{scanned}) in {:.2}s.", s.duration.as_secs_f64())
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 { one } else { many }
}

struct AppGroup<'f> {
    name: &'f str,
    findings: Vec<&'f Finding>,
}

/// Apps in the order their first finding appears, so the caller's sort
/// (by path) decides the order of groups too.
fn group_by_app(findings: &[Finding]) -> Vec<AppGroup<'_>> {
    let mut groups: Vec<AppGroup<'_>> = Vec::new();
    for f in findings {
        match groups.iter_mut().find(|g| g.name == f.subject.app) {
            Some(g) => g.findings.push(f),
            None => groups.push(AppGroup { name: &f.subject.app, findings: vec![f] }),
        }
    }
    groups
}

/// App-level findings first, then one group per function in order of appearance.
fn group_by_function<'f>(findings: &[&'f Finding]) -> Vec<(Option<&'f str>, Vec<&'f Finding>)> {
    let mut groups: Vec<(Option<&'f str>, Vec<&'f Finding>)> = Vec::new();
    let app_level: Vec<&Finding> =
        findings.iter().copied().filter(|f| f.subject.function.is_none()).collect();
    if !app_level.is_empty() {
        groups.push((None, app_level));
    }
    for f in findings {
        let Some(name) = f.subject.function.as_deref() else { continue };
        match groups.iter_mut().find(|(g, _)| *g == Some(name)) {
            Some((_, list)) => list.push(f),
            None => groups.push((Some(name), vec![f])),
        }
    }
    groups
}

enum FrameLine {
    Source { number: u32, text: String },
    Marker { indent: usize, width: usize },
    Elided,
}

struct Frame {
    gutter_width: usize,
    lines: Vec<FrameLine>,
}

/// The lines of `loc` with a caret underline under the first one. Files
/// that could not be read (empty text) get no frame: the location says it all.
///
/// Bytes inside `secrets` are shown as `*`: a frame quotes the source, and
/// the source is where a hard-coded secret lives.
fn code_frame(file: &SourceFile, loc: &Location, secrets: &[Span]) -> Frame {
    let last_shown = loc.end_line.min(loc.start_line + MAX_FRAME_LINES - 1);
    // A span ending at column 1 of the next line covers nothing of that line.
    let last_shown =
        if loc.end_line > loc.start_line && loc.end_column == 1 && last_shown == loc.end_line {
            (last_shown - 1).max(loc.start_line)
        } else {
            last_shown
        };
    let gutter_width = last_shown.to_string().len();
    let mut lines = Vec::new();
    if file.text.is_empty() {
        return Frame { gutter_width, lines };
    }
    for number in loc.start_line..=last_shown {
        let Some((s, e)) = file.lines.line_range(&file.text, number) else { break };
        let full: Vec<char> = file.text[s..e]
            .char_indices()
            .map(|(i, c)| {
                let at = s + i;
                let secret = secrets.iter().any(|x| x.start as usize <= at && at < x.end as usize);
                if secret { '*' } else { c }
            })
            .collect();
        let start_col = if number == loc.start_line { loc.start_column as usize - 1 } else { 0 };
        let (skip, text) = clip_line(&full, start_col);
        lines.push(FrameLine::Source { number, text });
        if number == loc.start_line {
            let end_col =
                if loc.end_line == number { loc.end_column as usize - 1 } else { full.len() };
            let width = end_col.saturating_sub(start_col).max(1);
            let indent = start_col - skip;
            let width = width.min(MAX_LINE_CHARS.saturating_sub(indent).max(1));
            lines.push(FrameLine::Marker { indent: indent + usize::from(skip > 0) * 3, width });
        }
    }
    let covered_end =
        if loc.end_column == 1 { loc.end_line.saturating_sub(1) } else { loc.end_line };
    if covered_end > last_shown {
        lines.push(FrameLine::Elided);
    }
    Frame { gutter_width, lines }
}

/// Cuts a long line so the span's start stays visible. Returns how many
/// characters were dropped at the front (a `...` marks the cut) and the text.
fn clip_line(chars: &[char], focus: usize) -> (usize, String) {
    let printable = |c: &char| if c.is_control() && *c != '\t' { '?' } else { *c };
    if chars.len() <= MAX_LINE_CHARS {
        return (0, chars.iter().map(printable).collect());
    }
    let skip = focus.saturating_sub(MAX_LINE_CHARS / 4).min(chars.len());
    let end = (skip + MAX_LINE_CHARS).min(chars.len());
    let mut text = String::new();
    if skip > 0 {
        text.push_str("...");
    }
    text.extend(chars[skip..end].iter().map(printable));
    if end < chars.len() {
        text.push_str("...");
    }
    (skip, text)
}

#[cfg(test)]
mod tests {
    use crate::OutputFormat;
    use crate::testutil;

    #[test]
    fn groups_by_app_then_function_with_frames_and_summary() {
        let db = testutil::sources();
        let findings = testutil::findings(&db);
        let out = testutil::render(OutputFormat::Text, &testutil::report(&db, &findings), false);
        let expected = "\
=== app/template.yaml (2 findings) ===

--- app-level ---
CRITICAL IAM001 function-role-allows-all-actions: Role `AdminRole` allows all actions
 --> app/template.yaml:8:3
  |
8 |   AdminRole:
  |   ^^^^^^^^^^
9 |     Type: AWS::IAM::Role

--- function HelloFunction ---
HIGH TRG001 function-url-without-auth: Function URL of `HelloFunction` has `AuthType: NONE`
 --> app/template.yaml:6:9
  |
6 |         AuthType: NONE
  |         ^^^^^^^^^^^^^^
  = note: function exposed (at app/template.yaml:2:3)
  = path:
      1. app/template.yaml:5:7: public URL
      2. app/template.yaml:7:7: runs as AdminRole
  = help: Set `AuthType: AWS_IAM`

Found 2 findings: 1 critical, 1 high.
Scanned 3 files (1 IaC, 1 app, 1 function) in 0.01s.
";
        assert_eq!(out, expected, "got:\n{out}");
        assert!(!out.contains('\u{1b}'), "no escape codes without colour");
    }

    #[test]
    fn secret_spans_are_masked_in_every_frame() {
        let db = testutil::sources();
        let mut findings = testutil::findings(&db);
        // Mark `NONE` as if it were a secret value, on the other finding:
        // the TRG001 frame quotes that line and must mask it too.
        let trg = findings.iter().find(|f| f.code == "TRG001").unwrap().primary;
        let secret = faasguard_source::Span { start: trg.end - 4, ..trg };
        findings.iter_mut().find(|f| f.code == "IAM001").unwrap().secrets.push(secret);
        let out = testutil::render(OutputFormat::Text, &testutil::report(&db, &findings), false);
        assert!(out.contains("6 |         AuthType: ****\n"), "got:\n{out}");
        assert!(!out.contains("|         AuthType: NONE"), "got:\n{out}");
        // The message is the rule's to redact; only quoted source is masked.
        assert!(out.contains("has `AuthType: NONE`"));
    }

    #[test]
    fn colour_only_when_asked() {
        let db = testutil::sources();
        let findings = testutil::findings(&db);
        let out = testutil::render(OutputFormat::Text, &testutil::report(&db, &findings), true);
        assert!(out.contains("\u{1b}["));
    }

    #[test]
    fn clean_scan_says_so() {
        let db = testutil::sources();
        let out = testutil::render(OutputFormat::Text, &testutil::report(&db, &[]), false);
        assert_eq!(out, "No findings.\nScanned 3 files (1 IaC, 1 app, 1 function) in 0.01s.\n");
    }

    #[test]
    fn long_spans_show_three_lines_then_elide() {
        use faasguard_source::{SourceDb, SourceFile, Span};
        let text = "a\nb\nc\nd\ne\nf\n";
        let mut db = SourceDb::new();
        let id = db.add(SourceFile::new("t.yaml", text));
        let mut f = testutil::findings(&testutil::sources()).remove(1);
        f.primary = Span::new(id, 2, 10);
        let findings = [f];
        let out = testutil::render(OutputFormat::Text, &testutil::report(&db, &findings), false);
        assert!(out.contains("2 | b\n  | ^\n3 | c\n4 | d\n  | ...\n"), "{out}");
        assert!(!out.contains("5 | e"), "{out}");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        use faasguard_diagnostics::Finding;
        use faasguard_source::{SourceDb, SourceFile, Span};
        let mut db = SourceDb::new();
        let text = format!("{{\"a\": \"{}\", \"AuthType\": \"NONE\"}}", "x".repeat(5000));
        let at = text.find("\"AuthType\"").unwrap();
        let id = db.add(SourceFile::new("big.json", text.as_str()));
        let mut f: Finding = testutil::findings(&testutil::sources()).remove(0);
        f.primary = Span::new(id, at, at + 10);
        f.labels.clear();
        f.flow.clear();
        let findings = [f];
        let out = testutil::render(OutputFormat::Text, &testutil::report(&db, &findings), false);
        let longest = out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(longest < 200, "line of {longest} chars:\n{out}");
        let src = out.lines().find(|l| l.starts_with("1 |")).unwrap();
        let marker = out.lines().find(|l| l.contains('^')).unwrap();
        let col = marker.find('^').unwrap();
        assert_eq!(&src[col..col + 10], "\"AuthType\"", "caret under the span:\n{out}");
    }
}

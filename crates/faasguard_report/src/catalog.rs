//! The rule catalog as `faasguard rules` and `faasguard explain` print it.

use std::io::{self, Write};

use faasguard_diagnostics::RuleMeta;
use serde_json::json;

use crate::json::rule as rule_json;
use crate::{JSON_FORMAT_VERSION, OutputFormat};

/// Writes the catalog: a table in text, `{"version": 1, "rules": [...]}` in
/// JSON (the same rule objects as the scan output's `rules`). SARIF has no
/// catalog-only document, so it gets the JSON form.
pub fn write_rules(
    rules: &[RuleMeta],
    format: OutputFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    if format != OutputFormat::Text {
        let value = json!({
            "version": JSON_FORMAT_VERSION,
            "rules": rules.iter().map(rule_json).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        return writeln!(out);
    }
    let header = ["CODE", "NAME", "SEVERITY", "SAS", "CWE", "SUMMARY"];
    let rows: Vec<[String; 6]> = rules
        .iter()
        .map(|r| {
            [
                r.code.to_string(),
                r.name.to_string(),
                r.severity.as_str().to_string(),
                r.sas.id().to_string(),
                cwe_list(r.cwe),
                r.summary.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        s
    };
    writeln!(out, "{}", line(header))?;
    for row in &rows {
        writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    Ok(())
}

fn cwe_list(cwe: &[u32]) -> String {
    if cwe.is_empty() {
        return "-".to_string();
    }
    cwe.iter().map(|n| format!("CWE-{n}")).collect::<Vec<_>>().join(",")
}

/// Writes one rule's documentation under a header with its metadata.
pub fn write_explain(rule: &RuleMeta, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# {} {}", rule.code, rule.name)?;
    writeln!(out)?;
    writeln!(out, "{}", rule.summary)?;
    writeln!(out)?;
    writeln!(out, "- Severity: {}", rule.severity)?;
    writeln!(out, "- Serverless Top 10: {} {}", rule.sas.id(), rule.sas.title())?;
    writeln!(out, "- CWE: {}", cwe_list(rule.cwe).replace(',', ", "))?;
    writeln!(out)?;
    writeln!(out, "{}", rule.doc.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::RULES;

    #[test]
    fn table_lists_every_rule_with_severity_sas_and_cwe() {
        let mut out = Vec::new();
        write_rules(&RULES, OutputFormat::Text, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("CODE    NAME"));
        assert!(lines[1].contains("IAM001") && lines[1].contains("critical"));
        assert!(lines[1].contains("SAS-4") && lines[1].contains("CWE-250,CWE-269"));
        assert_eq!(lines[1].find("critical"), lines[2].find("high"), "columns align");
    }

    #[test]
    fn json_catalog_is_versioned() {
        let mut out = Vec::new();
        write_rules(&RULES, OutputFormat::Json, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["rules"][1]["code"], "TRG001");
        assert_eq!(v["rules"][1]["sas"], "SAS-2");
        assert_eq!(v["rules"][1]["cwe"], json!(["CWE-306"]));
    }

    #[test]
    fn explain_prints_header_and_doc() {
        let mut out = Vec::new();
        write_explain(&RULES[1], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("# TRG001 function-url-without-auth\n"));
        assert!(text.contains("- Serverless Top 10: SAS-2 Broken Authentication"));
        assert!(text.ends_with("Anyone can call it.\n"));
    }
}

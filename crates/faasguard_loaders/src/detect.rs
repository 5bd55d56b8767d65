//! Recognising IaC files by name and content.

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A CloudFormation or SAM template (CDK output included).
    CloudFormation {
        /// Written in JSON rather than YAML.
        json: bool,
    },
    /// Not an IaC file faasguard reads.
    NotIac,
}

/// Recognises a file from its path and text.
///
/// Templates are recognised by content, not name, because real templates
/// are called anything (`template.yaml`, `stack.json`, `cdk.out/App.template.json`).
/// A quick textual sniff decides before any parsing, so a broken template is
/// still recognised (and its parse error reported) while unrelated YAML is
/// left alone.
pub fn detect(path: &str, text: &str) -> Detected {
    let lower = path.to_ascii_lowercase();
    let json = lower.ends_with(".json");
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".template");
    if !json && !yaml {
        return Detected::NotIac;
    }
    if looks_like_cloudformation(text) {
        return Detected::CloudFormation { json };
    }
    Detected::NotIac
}

fn looks_like_cloudformation(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    let has_resources = text.contains("Resources");
    has_resources
        && (text.contains("AWS::Serverless")
            || text.contains("\"Type\": \"AWS::")
            || text.contains("\"Type\":\"AWS::")
            || text.contains("Type: AWS::")
            || text.contains("Type: 'AWS::")
            || text.contains("Type: \"AWS::"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_templates_by_content() {
        assert_eq!(
            detect("t.yaml", "Transform: AWS::Serverless-2016-10-31\nResources: {}\n"),
            Detected::CloudFormation { json: false }
        );
        assert_eq!(
            detect(
                "cdk.out/App.template.json",
                "{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\"}}}"
            ),
            Detected::CloudFormation { json: true }
        );
        assert_eq!(detect(".github/workflows/ci.yml", "on: push\njobs: {}\n"), Detected::NotIac);
        assert_eq!(detect("main.tf", "AWSTemplateFormatVersion"), Detected::NotIac);
    }
}

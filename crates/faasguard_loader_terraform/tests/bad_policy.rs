//! A policy written as JSON text that does not parse is a parse error at
//! the policy, not a silently missing policy.

use faasguard_source::{SourceDb, SourceFile};

#[test]
fn invalid_json_in_a_policy_string_is_reported_where_it_is() {
    let text = r#"
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
  inline_policy {
    name   = "p"
    policy = "{ \"Statement\": [ { \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\" "
  }
}
"#;
    let mut db = SourceDb::new();
    let id = db.add(SourceFile::new("main.tf", text));
    let out = faasguard_loader_terraform::load_module(&db, "", &[id]);
    let errors: Vec<_> =
        out.errors.iter().filter(|e| e.message.contains("not valid JSON")).collect();
    assert_eq!(errors.len(), 1, "{:?}", out.errors);
    let at = &text[errors[0].span.start as usize..errors[0].span.end as usize];
    assert!(at.contains("Statement"), "points at the policy: {at}");
    // The role is still loaded, without the broken policy.
    let role = &out.apps[0].roles[0];
    assert!(role.policies.iter().all(|p| p.document.is_none()));
}

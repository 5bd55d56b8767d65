//! IAM's matching rules, written here because they are IAM's own and no
//! crate implements them: action names match globs case-insensitively
//! with only `*` and `?` (no `[]` classes, unlike fnmatch); resource ARNs
//! in a policy match the ARN formats of an action's resource types part by
//! part, as Parliament's `is_arn_match` does, where both sides may hold
//! wildcards (`${Var}` in a format is a wildcard).

/// Whether `name` matches the IAM glob `pattern` (`*` any run, `?` one
/// character), ignoring ASCII case.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let n: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    // Iterative matching with one backtrack point: linear in practice,
    // never exponential on hostile patterns like `a*a*a*a*b`.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Longest text either side of [`globs_overlap`] may have. Real ARNs are at
/// most 2048 characters; longer ones are treated as overlapping (the
/// permissive answer: a finding is never dropped because of it).
const MAX_OVERLAP_LEN: usize = 2048;

/// Whether some string matches both globs (`*`, `?`; case-sensitive, as
/// ARNs are). Used where both sides may hold wildcards: a policy resource
/// `arn:aws:s3:::logs-*` against a format `arn:aws:s3:::*/*`.
pub fn globs_overlap(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > MAX_OVERLAP_LEN || b.len() > MAX_OVERLAP_LEN {
        return true;
    }
    // reach[i][j]: a[i..] and b[j..] can still produce a common string.
    // Filled from the end; O(len(a) * len(b)).
    let (n, m) = (a.len(), b.len());
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[n][m] = true;
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            if i == n && j == m {
                continue;
            }
            let ai = a.get(i).copied();
            let bj = b.get(j).copied();
            reach[i][j] = match (ai, bj) {
                (Some('*'), _) => reach[i + 1][j] || (j < m && reach[i][j + 1]),
                (_, Some('*')) => reach[i][j + 1] || (i < n && reach[i + 1][j]),
                (Some(x), Some(y)) => (x == '?' || y == '?' || x == y) && reach[i + 1][j + 1],
                _ => false,
            };
        }
    }
    reach[0][0]
}

/// Replaces every `${Var}` of an ARN format with `*`.
fn format_as_glob(format: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push('*');
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a resource written in a policy can match an ARN format of a
/// resource type (Parliament's `is_arn_match`): `*` matches everything;
/// otherwise the partition, service, region and account parts are compared
/// one by one and the resource part as a whole, with wildcards on both
/// sides. An S3 bucket format never matches a resource with a `/` (that is
/// an object).
pub fn arn_matches(resource: &str, resource_type: &str, arn_format: &str) -> bool {
    if resource == "*" || arn_format == "*" {
        return true;
    }
    if resource_type.eq_ignore_ascii_case("bucket") && resource.contains('/') {
        return false;
    }
    let format = format_as_glob(arn_format);
    let f: Vec<&str> = format.splitn(6, ':').collect();
    let r: Vec<&str> = resource.splitn(6, ':').collect();
    if f.len() < 6 || r.len() < 6 {
        // A resource shorter than an ARN can still be a glob covering it
        // (`arn:aws:s3:::*` is six parts; `arn:*` is not, but matches all).
        return globs_overlap(resource, &format);
    }
    (0..6).all(|i| globs_overlap(r[i], f[i]))
}

/// Whether `text` is shaped like an ARN (`arn:partition:service:region:account:resource`)
/// or is `*`. Malformed resources are a policy problem to report.
pub fn is_arn_shaped(text: &str) -> bool {
    text == "*" || (text.starts_with("arn:") && text.splitn(6, ':').count() == 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_globs_ignore_case_and_know_only_star_and_question_mark() {
        assert!(glob_match("Get*", "GetObject"));
        assert!(glob_match("get*", "GetObject"));
        assert!(glob_match("?etObject", "GetObject"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("Get*", "PutObject"));
        assert!(!glob_match("[G]etObject", "GetObject"));
        assert!(glob_match("*Object*", "GetObjectAcl"));
        assert!(!glob_match("a*a*a*a*b", &"a".repeat(5000)));
    }

    #[test]
    fn globs_overlap_when_some_string_matches_both() {
        assert!(globs_overlap("logs-*", "*"));
        assert!(globs_overlap("logs-*/*", "*/*"));
        assert!(!globs_overlap("logs", "*/*"));
        assert!(globs_overlap("a?c", "ab*"));
        assert!(!globs_overlap("abc", "abd"));
    }

    #[test]
    fn arns_match_formats_part_by_part() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(arn_matches("arn:aws:s3:::uploads/*", "object", object));
        assert!(!arn_matches("arn:aws:s3:::uploads", "object", object));
        assert!(arn_matches("arn:aws:s3:::uploads", "bucket", bucket));
        assert!(!arn_matches("arn:aws:s3:::uploads/*", "bucket", bucket));
        assert!(arn_matches("arn:aws:s3:::*", "object", object));
        assert!(!arn_matches("arn:aws:s3:us-east-1::uploads/x", "object", object));
        let table = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}";
        assert!(arn_matches("arn:aws:dynamodb:*:*:table/orders", "table", table));
        assert!(!arn_matches("arn:aws:sqs:*:*:queue", "table", table));
        assert!(arn_matches("*", "table", table));
    }
}

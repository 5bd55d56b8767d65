//! IAM's matching rules, written here because they are IAM's own and no
//! crate implements them: action names match globs case-insensitively
//! with only `*` and `?` (no `[]` classes, unlike fnmatch); resource ARNs
//! in a policy match the ARN formats of an action's resource types part by
//! part, as Parliament's `is_arn_match` does, where both sides may hold
//! wildcards (`${Var}` in a format is a wildcard).

/// Whether `name` matches the IAM glob `pattern` (`*` any run, `?` one
/// character), ignoring ASCII case.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    // Action names are ASCII: matching bytes avoids two allocations per
    // call, which matters when `*:Get*` is tried against every action.
    if pattern.is_ascii() && name.is_ascii() {
        return glob_match_by(pattern.as_bytes(), name.as_bytes(), |p, n| {
            p.eq_ignore_ascii_case(&n)
        });
    }
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let n: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    glob_match_by(&p, &n, |a, b| a == b)
}

/// Units that can stand for `*` and `?` in a glob.
trait GlobUnit: Copy {
    fn is_star(self) -> bool;
    fn is_any(self) -> bool;
}

impl GlobUnit for u8 {
    fn is_star(self) -> bool {
        self == b'*'
    }
    fn is_any(self) -> bool {
        self == b'?'
    }
}

impl GlobUnit for char {
    fn is_star(self) -> bool {
        self == '*'
    }
    fn is_any(self) -> bool {
        self == '?'
    }
}

fn glob_match_by<T: GlobUnit>(p: &[T], n: &[T], eq: impl Fn(T, T) -> bool) -> bool {
    // Iterative matching with one backtrack point: linear in practice,
    // never exponential on hostile patterns like `a*a*a*a*b`.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && !p[pi].is_star() && (p[pi].is_any() || eq(p[pi], n[ni])) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi].is_star() {
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
    p[pi..].iter().all(|c| c.is_star())
}

/// Longest text either side of [`globs_overlap`] may have. Real ARNs are at
/// most 2048 characters; longer ones are treated as overlapping (the
/// permissive answer: a finding is never dropped because of it).
const MAX_OVERLAP_LEN: usize = 2048;

/// Whether some string matches both globs (`*`, `?`; case-sensitive, as
/// ARNs are). Used where both sides may hold wildcards: a policy resource
/// `arn:aws:s3:::logs-*` against a format `arn:aws:s3:::*/*`.
pub fn globs_overlap(a: &str, b: &str) -> bool {
    if a == "*" || b == "*" {
        return true;
    }
    let wild = |s: &str| s.bytes().any(|c| c == b'*' || c == b'?');
    let (wa, wb) = (wild(a), wild(b));
    // The common cases first: ARN parts compared with a literal on one
    // side (`aws` against `*`, `us-east-1` against `${Region}`).
    match (wa, wb) {
        (false, false) => return a == b,
        (true, false) => return glob_match_exact_case(a, b),
        (false, true) => return glob_match_exact_case(b, a),
        (true, true) => {}
    }
    // `?` must stand for one character, so work on characters when the
    // text is not ASCII; ARNs almost always are, and then bytes will do.
    if a.is_ascii() && b.is_ascii() {
        overlap_dp(a.as_bytes(), b.as_bytes(), b'*', b'?')
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        overlap_dp(&a, &b, '*', '?')
    }
}

/// `globs_overlap` for two globs: reach[i][j] says whether a[i..] and
/// b[j..] can still produce a common string, filled from the end one row
/// at a time (two rows kept), so O(len(a) * len(b)) time and O(len(b)) space.
fn overlap_dp<T: Copy + PartialEq>(a: &[T], b: &[T], star: T, any: T) -> bool {
    if a.len() > MAX_OVERLAP_LEN || b.len() > MAX_OVERLAP_LEN {
        return true;
    }
    let (n, m) = (a.len(), b.len());
    let mut next = vec![false; m + 1];
    let mut cur = vec![false; m + 1];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            cur[j] = if i == n && j == m {
                true
            } else {
                match (a.get(i).copied(), b.get(j).copied()) {
                    (Some(x), _) if x == star => next[j] || (j < m && cur[j + 1]),
                    (_, Some(y)) if y == star => cur[j + 1] || (i < n && next[j]),
                    (Some(x), Some(y)) => (x == any || y == any || x == y) && next[j + 1],
                    _ => false,
                }
            };
        }
        std::mem::swap(&mut next, &mut cur);
    }
    next[0]
}

/// Whether `text` matches the glob `pattern`, case-sensitively (ARNs),
/// `*` any run and `?` one character.
fn glob_match_exact_case(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether every string matching the glob `specific` also matches the glob
/// `general` (`*`, `?`; case-sensitive, as ARNs are): a Deny on `general`
/// then removes all of an Allow on `specific`. Conservative: `false` when
/// inclusion cannot be shown cheaply (a `*` in `specific` facing anything
/// but a `*` in `general`, or either side longer than 2048 characters), so
/// a Deny is never taken to remove more than it does.
pub fn glob_covers(general: &str, specific: &str) -> bool {
    if general == specific || (!general.is_empty() && general.bytes().all(|b| b == b'*')) {
        return true;
    }
    let g: Vec<char> = general.chars().collect();
    let s: Vec<char> = specific.chars().collect();
    if g.len() > MAX_OVERLAP_LEN || s.len() > MAX_OVERLAP_LEN {
        return false;
    }
    let (n, m) = (g.len(), s.len());
    // next[j] / row[j]: g[i+1..] / g[i..] covers s[j..]. Rows from the
    // end, two at a time: O(n * m) time, O(m) memory.
    let mut next = vec![false; m + 1];
    next[m] = true;
    let mut row = vec![false; m + 1];
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            row[j] = match g[i] {
                // The star takes nothing, or takes s[j] (a `*` of `specific`
                // included: whatever it stands for, the star absorbs it).
                '*' => next[j] || (j < m && row[j + 1]),
                _ if j == m || s[j] == '*' => false,
                '?' => next[j + 1],
                c => s[j] == c && next[j + 1],
            };
        }
        std::mem::swap(&mut next, &mut row);
    }
    next[0]
}

/// Replaces every `${Var}` of an ARN format with `*`.
pub fn format_as_glob(format: &str) -> String {
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
    // Most pairs differ in a literal service part (`s3` against `ec2`):
    // rejected here without building the glob.
    if let (Some(rs), Some(fs)) = (resource.split(':').nth(2), arn_format.split(':').nth(2))
        && !rs.contains(['*', '?', '$'])
        && !fs.contains(['*', '?', '$'])
        && rs != fs
    {
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

/// Whether a resource written in a policy covers every ARN of a format, so
/// that a grant on it is a grant on every resource of that type. Compared
/// part by part like [`arn_matches`], except the partition: a role lives in
/// one partition, so `arn:aws:s3:::*` covers `arn:${Partition}:s3:::${BucketName}`.
/// Region and account are compared: one account is not every account.
pub fn arn_covers(resource: &str, arn_format: &str) -> bool {
    if !resource.is_empty() && resource.bytes().all(|b| b == b'*') {
        return true;
    }
    let format = format_as_glob(arn_format);
    let f: Vec<&str> = format.splitn(6, ':').collect();
    let r: Vec<&str> = resource.splitn(6, ':').collect();
    if f.len() < 6 || r.len() < 6 {
        return glob_covers(resource, &format);
    }
    (0..6).all(|i| i == 1 || glob_covers(r[i], f[i]))
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
        assert!(globs_overlap("abc", "a?c") && globs_overlap("a*", "*c"));
        assert!(!globs_overlap("a*b", "c*"));
        assert!(globs_overlap("é?", "*x") && !globs_overlap("é?", "ab"));
        assert!(!globs_overlap("ABC", "abc"), "ARNs are case-sensitive");
    }

    #[test]
    fn action_globs_accept_non_ascii_text_without_panicking() {
        assert!(!glob_match("s3:Gét*", "s3:gÉtObject"));
        assert!(glob_match("s3:G?t*", "s3:Gét"));
        assert!(glob_match("*", "é"));
    }

    #[test]
    fn covering_means_every_string_of_the_specific_glob_matches() {
        assert!(glob_covers("*", "arn:aws:s3:::b/*"));
        assert!(glob_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/*"));
        assert!(glob_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"));
        assert!(glob_covers("arn:aws:s3:::*", "arn:aws:s3:::b/*"));
        assert!(glob_covers("arn:aws:s3:::b?", "arn:aws:s3:::bx"));
        assert!(glob_covers("a*b", "a*?*b"));
        assert!(!glob_covers("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*"));
        assert!(!glob_covers("arn:aws:s3:::b", "arn:aws:s3:::b*"));
        assert!(!glob_covers("arn:aws:s3:::b?", "arn:aws:s3:::b"));
        assert!(!glob_covers("abc", "ab?"));
        assert!(!glob_covers("ARN:aws:s3:::b", "arn:aws:s3:::b"));
        assert!(!glob_covers("", "*"));
        assert!(glob_covers("", ""));
        let long = "a".repeat(5000);
        assert!(!glob_covers(&format!("{long}x"), &long));
    }

    #[test]
    fn arns_cover_formats_whatever_the_partition_but_not_one_account() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let table = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}";
        let function = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";
        assert!(arn_covers("*", object));
        assert!(arn_covers("arn:aws:s3:::*", object));
        assert!(arn_covers("arn:aws:s3:::*/*", object));
        assert!(!arn_covers("arn:aws:s3:::uploads/*", object));
        assert!(arn_covers("arn:*:dynamodb:*:*:table/*", table));
        assert!(!arn_covers("arn:aws:dynamodb:*:123456789012:table/*", table));
        assert!(arn_covers("arn:aws:lambda:*:*:function:*", function));
        assert!(arn_covers("arn:*:*:*:*:*", function));
        assert!(!arn_covers("arn:aws:sqs:*:*:*", function));
    }

    #[test]
    fn a_literal_service_part_rejects_other_services_early() {
        let queue = "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}";
        assert!(!arn_matches("arn:aws:sns:*:*:topic", "queue", queue));
        assert!(arn_matches("arn:aws:s*:*:*:q", "queue", queue));
        assert!(arn_matches("arn:aws:sqs:*:*:q", "queue", queue));
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

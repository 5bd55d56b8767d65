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

/// Row length up to which the dynamic programs below keep their two rows
/// on the stack: ARN parts are short, and these run millions of times.
const STACK_ROW: usize = 128;

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
        overlap(a.as_bytes(), b.as_bytes(), b'*', b'?')
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        overlap(&a, &b, '*', '?')
    }
}

/// [`overlap_dp`] after peeling the ends where neither side has a `*`: there
/// each side takes exactly one character of the common string, so the two
/// must agree, and most pairs are settled (or shrunk to a few cells) here.
fn overlap<T: Copy + PartialEq>(mut a: &[T], mut b: &[T], star: T, any: T) -> bool {
    if a.len() > MAX_OVERLAP_LEN || b.len() > MAX_OVERLAP_LEN {
        return true;
    }
    let agree = |x: T, y: T| x == any || y == any || x == y;
    while let (Some((&x, ra)), Some((&y, rb))) = (a.split_first(), b.split_first()) {
        if x == star || y == star {
            break;
        }
        if !agree(x, y) {
            return false;
        }
        (a, b) = (ra, rb);
    }
    while let (Some((&x, ra)), Some((&y, rb))) = (a.split_last(), b.split_last()) {
        if x == star || y == star {
            break;
        }
        if !agree(x, y) {
            return false;
        }
        (a, b) = (ra, rb);
    }
    if a.is_empty() {
        return b.iter().all(|&y| y == star);
    }
    if b.is_empty() {
        return a.iter().all(|&x| x == star);
    }
    overlap_dp(a, b, star, any)
}

/// `globs_overlap` for two globs: reach[i][j] says whether a[i..] and
/// b[j..] can still produce a common string, filled from the end one row
/// at a time (two rows kept), so O(len(a) * len(b)) time and O(len(b)) space.
fn overlap_dp<T: Copy + PartialEq>(a: &[T], b: &[T], star: T, any: T) -> bool {
    if a.len() > MAX_OVERLAP_LEN || b.len() > MAX_OVERLAP_LEN {
        return true;
    }
    let (n, m) = (a.len(), b.len());
    let mut stack = [[false; STACK_ROW + 1]; 2];
    let mut heap: Vec<bool> = Vec::new();
    let (mut next, mut cur): (&mut [bool], &mut [bool]) = if m < STACK_ROW {
        let [x, y] = &mut stack;
        (&mut x[..=m], &mut y[..=m])
    } else {
        heap.resize(2 * (m + 1), false);
        heap.split_at_mut(m + 1)
    };
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
    if pattern.is_ascii() && text.is_ascii() {
        return glob_match_by(pattern.as_bytes(), text.as_bytes(), |p, t| p == t);
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob_match_by(&p, &t, |p, t| p == t)
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
    if general.is_ascii() && specific.is_ascii() {
        return covers_dp(general.as_bytes(), specific.as_bytes(), b'*', b'?');
    }
    let g: Vec<char> = general.chars().collect();
    let s: Vec<char> = specific.chars().collect();
    covers_dp(&g, &s, '*', '?')
}

fn covers_dp<T: Copy + PartialEq>(g: &[T], s: &[T], star: T, any: T) -> bool {
    if g.len() > MAX_OVERLAP_LEN || s.len() > MAX_OVERLAP_LEN {
        return false;
    }
    let (n, m) = (g.len(), s.len());
    // next[j] / row[j]: g[i+1..] / g[i..] covers s[j..]. Rows from the
    // end, two at a time: O(n * m) time, O(m) memory.
    let mut stack = [[false; STACK_ROW + 1]; 2];
    let mut heap: Vec<bool> = Vec::new();
    let (mut next, mut row): (&mut [bool], &mut [bool]) = if m < STACK_ROW {
        let [x, y] = &mut stack;
        (&mut x[..=m], &mut y[..=m])
    } else {
        heap.resize(2 * (m + 1), false);
        heap.split_at_mut(m + 1)
    };
    next[m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let c = g[i];
            row[j] = if c == star {
                // The star takes nothing, or takes s[j] (a `*` of `specific`
                // included: whatever it stands for, the star absorbs it).
                next[j] || (j < m && row[j + 1])
            } else if j == m || s[j] == star {
                false
            } else if c == any {
                next[j + 1]
            } else {
                s[j] == c && next[j + 1]
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

/// The service part (third) of an ARN or format split on every `:`, when
/// it holds no wildcard or variable.
fn literal_service_part(text: &str) -> Option<&str> {
    let part = text.split(':').nth(2)?;
    (!part.contains(['*', '?', '$'])).then_some(part)
}

/// The byte ranges of the six parts of `text` split on its first five
/// `:`, or `None` when it has fewer.
fn six_cuts(text: &str) -> Option<[(u32, u32); 6]> {
    let mut out = [(0, 0); 6];
    let mut start = 0;
    for slot in out.iter_mut().take(5) {
        let end = start + text.get(start..)?.find(':')?;
        *slot = (start as u32, end as u32);
        start = end + 1;
    }
    out[5] = (start as u32, text.len() as u32);
    Some(out)
}

/// The six parts of `text` split on its first five `:`, or `None` when it
/// has fewer.
fn six_parts(text: &str) -> Option<[&str; 6]> {
    let cuts = six_cuts(text)?;
    Some(cuts.map(|(start, end)| text.get(start as usize..end as usize).unwrap_or("")))
}

/// A resource of a policy, split once for [`arn_matches_prepared`] and
/// [`arn_covers_prepared`] however many formats it is compared with.
#[derive(Debug, Clone)]
pub struct PreparedArn<'a> {
    text: &'a str,
    parts: Option<[&'a str; 6]>,
    service: Option<&'a str>,
    has_slash: bool,
    all_stars: bool,
}

impl<'a> PreparedArn<'a> {
    /// Prepares `resource` as written in a policy.
    pub fn new(resource: &'a str) -> Self {
        PreparedArn {
            text: resource,
            parts: six_parts(resource),
            service: literal_service_part(resource),
            has_slash: resource.contains('/'),
            all_stars: !resource.is_empty() && resource.bytes().all(|b| b == b'*'),
        }
    }
}

/// An ARN format of a resource type, as a glob cut into parts, for
/// [`arn_matches_prepared`] and [`arn_covers_prepared`]: built once per
/// resource type rather than once per comparison.
#[derive(Debug, Clone)]
pub struct PreparedFormat {
    /// The format is the literal `*`.
    star: bool,
    glob: Box<str>,
    /// Byte ranges of the six parts in `glob`, when it has six.
    parts: Option<[(u32, u32); 6]>,
    /// The literal service part of the format as written (see [`arn_matches`]).
    service: Option<Box<str>>,
}

impl PreparedFormat {
    /// Prepares an ARN format (`arn:${Partition}:s3:::${BucketName}`).
    pub fn new(arn_format: &str) -> Self {
        let glob: Box<str> = format_as_glob(arn_format).into();
        let parts = six_cuts(&glob);
        PreparedFormat {
            star: arn_format == "*",
            service: literal_service_part(arn_format).map(Into::into),
            glob,
            parts,
        }
    }

    fn part(&self, (start, end): (u32, u32)) -> &str {
        self.glob.get(start as usize..end as usize).unwrap_or("")
    }
}

/// Whether a resource written in a policy can match an ARN format of a
/// resource type (Parliament's `is_arn_match`): `*` matches everything;
/// otherwise the partition, service, region and account parts are compared
/// one by one and the resource part as a whole, with wildcards on both
/// sides. An S3 bucket format never matches a resource with a `/` (that is
/// an object).
pub fn arn_matches(resource: &str, resource_type: &str, arn_format: &str) -> bool {
    let is_bucket = resource_type.eq_ignore_ascii_case("bucket");
    arn_matches_prepared(&PreparedArn::new(resource), is_bucket, &PreparedFormat::new(arn_format))
}

/// [`arn_matches`] on prepared sides; `is_bucket` says the resource type is
/// named `bucket` (ignoring case).
pub fn arn_matches_prepared(
    resource: &PreparedArn<'_>,
    is_bucket: bool,
    format: &PreparedFormat,
) -> bool {
    if resource.text == "*" || format.star {
        return true;
    }
    if is_bucket && resource.has_slash {
        return false;
    }
    // Most pairs differ in a literal service part (`s3` against `ec2`):
    // rejected here without comparing globs.
    if let (Some(rs), Some(fs)) = (resource.service, format.service.as_deref())
        && rs != fs
    {
        return false;
    }
    match (resource.parts, format.parts) {
        // The resource part first: it tells most formats of a service apart
        // (`table/*` against `app-*`), and the order changes no answer.
        (Some(r), Some(f)) => {
            [5, 2, 3, 4, 0, 1].iter().all(|&i| globs_overlap(r[i], format.part(f[i])))
        }
        // A resource shorter than an ARN can still be a glob covering it
        // (`arn:aws:s3:::*` is six parts; `arn:*` is not, but matches all).
        _ => globs_overlap(resource.text, &format.glob),
    }
}

/// Whether a resource written in a policy covers every ARN of a format, so
/// that a grant on it is a grant on every resource of that type. Compared
/// part by part like [`arn_matches`], except the partition: a role lives in
/// one partition, so `arn:aws:s3:::*` covers `arn:${Partition}:s3:::${BucketName}`.
/// Region and account are compared: one account is not every account.
pub fn arn_covers(resource: &str, arn_format: &str) -> bool {
    arn_covers_prepared(&PreparedArn::new(resource), &PreparedFormat::new(arn_format))
}

/// [`arn_covers`] on prepared sides.
pub fn arn_covers_prepared(resource: &PreparedArn<'_>, format: &PreparedFormat) -> bool {
    if resource.all_stars {
        return true;
    }
    match (resource.parts, format.parts) {
        (Some(r), Some(f)) => {
            r.iter().zip(f).enumerate().all(|(i, (r, f))| i == 1 || glob_covers(r, format.part(f)))
        }
        _ => glob_covers(resource.text, &format.glob),
    }
}

/// Whether `text` is shaped like an ARN (`arn:partition:service:region:account:resource`)
/// or is `*`. A shorter ARN ending in `*` (`arn:aws:logs:*`) counts too:
/// IAM lets a trailing wildcard span the remaining colons. Malformed
/// resources are a policy problem to report.
pub fn is_arn_shaped(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    let parts = text.splitn(6, ':').count();
    text.starts_with("arn:") && (parts == 6 || (parts >= 3 && text.ends_with('*')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_arns_with_a_trailing_wildcard_span_the_rest() {
        assert!(is_arn_shaped("arn:aws:logs:*"));
        assert!(is_arn_shaped("arn:aws:sns:*:*"));
        assert!(!is_arn_shaped("arn:aws:logs"));
        assert!(!is_arn_shaped("arn:aws:sns:us-east-1:topic"));
        let group = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        assert!(arn_matches("arn:aws:logs:*", "log-group", group));
        assert!(!arn_matches("arn:aws:sns:*", "log-group", group));
    }

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
    fn overlap_settles_literal_ends_before_the_table() {
        assert!(!globs_overlap("ab*", "ac*"));
        assert!(!globs_overlap("*ab", "*cb?"));
        assert!(globs_overlap("a?*c", "ab*"));
        assert!(globs_overlap("x*y", "x*") && globs_overlap("*y", "x*y"));
        assert!(!globs_overlap("ab", "a*?b*c") && globs_overlap("ab", "a*"));
        // Past the rows kept on the stack: exactly 150 characters cannot
        // hold 151 x's.
        let any = "?".repeat(150);
        assert!(globs_overlap(&any, &format!("*{}*", "x".repeat(149))));
        assert!(!globs_overlap(&any, &format!("*{}*", "x".repeat(151))));
    }

    #[test]
    fn covering_works_on_characters_outside_ascii() {
        assert!(glob_covers("arn:aws:s3:::é*", "arn:aws:s3:::éa/*"));
        assert!(glob_covers("arn:aws:s3:::?", "arn:aws:s3:::é"));
        assert!(!glob_covers("arn:aws:s3:::??", "arn:aws:s3:::é"));
        let long = format!("{}*", "a".repeat(300));
        assert!(glob_covers(&long, &format!("{}b", "a".repeat(400))));
    }

    #[test]
    fn prepared_sides_answer_as_the_plain_functions() {
        let formats = [
            "arn:${Partition}:s3:::${BucketName}",
            "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
            "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
            "*",
            "arn:aws:short",
        ];
        let resources =
            ["*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:*", "arn:aws:lambda:*:*:function:f*"];
        for f in formats {
            let pf = PreparedFormat::new(f);
            for r in resources {
                let pr = PreparedArn::new(r);
                for (ty, bucket) in [("bucket", true), ("object", false)] {
                    assert_eq!(arn_matches(r, ty, f), arn_matches_prepared(&pr, bucket, &pf));
                }
                assert_eq!(arn_covers(r, f), arn_covers_prepared(&pr, &pf));
            }
        }
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

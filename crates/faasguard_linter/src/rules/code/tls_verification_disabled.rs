use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::practices::PracticeKind;

use crate::checker::Checker;
use crate::rules::code::{Report, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CODE002",
    name: "tls-verification-disabled",
    summary: "The function code turns off TLS certificate verification",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[295],
    doc: r#"## What it does
Finds function code that makes TLS connections without checking the
server's certificate: Python `verify=False` on `requests`, `httpx` or
boto3 calls, `session.verify = False`, `verify_ssl=False`,
`ssl._create_unverified_context`, `check_hostname = False`,
`verify_mode = ssl.CERT_NONE`, `cert_reqs=CERT_NONE`; JavaScript and
TypeScript `rejectUnauthorized: false` (an `https.Agent`, `tls.connect`,
a database driver's `ssl` options), `strictSSL: false`, a
`checkServerIdentity` that accepts anything, and
`process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"`.

## Why is this bad?
Without verification, anyone on the network path (a compromised VPC
endpoint, a proxy, DNS spoofing) can present their own certificate and
read or change the traffic: API keys and tokens sent with the request,
the data returned. Setting `NODE_TLS_REJECT_UNAUTHORIZED` turns
verification off for every connection of the process, AWS SDK calls
included. Certificate errors are better fixed with the right CA bundle
(`verify="/opt/ca.pem"`, the `ca` option, `NODE_EXTRA_CA_CERTS`).

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Sync:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import requests
        def handler(event, context):
            return requests.get("https://partner.example.com/orders", verify=False).json()
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Sync:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import requests
        def handler(event, context):
            return requests.get("https://partner.example.com/orders", verify="/var/task/partner-ca.pem").json()
```

## References
- Requests: SSL certificate verification: <https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification>
- Node.js: `tls.connect` options (`rejectUnauthorized`), `NODE_EXTRA_CA_CERTS`: <https://nodejs.org/api/tls.html>
- CWE-295: Improper Certificate Validation
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(
        c,
        &META,
        PracticeKind::TlsVerificationDisabled,
        "keep verification on; if the server uses a private CA, give its certificate \
         (`verify=\"/path/ca.pem\"`, the `ca` option, `NODE_EXTRA_CA_CERTS`) instead of \
         accepting every certificate",
        |_, _, _| Some(Report { severity: Severity::Medium, because: String::new() }),
    );
}

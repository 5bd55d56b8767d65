use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::practices::PracticeKind;
use faasguard_taint::sources::{Exposure, exposure};

use crate::checker::Checker;
use crate::rules::code::{Report, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CODE007",
    name: "jwt-without-verification",
    summary: "A JSON Web Token is decoded without verifying its signature",
    severity: Severity::High,
    sas: Sas::BrokenAuthentication,
    cwe: &[347],
    doc: r#"## What it does
Finds JWTs read without checking their signature: PyJWT `jwt.decode`
with `options={"verify_signature": False}` or `verify=False` (PyJWT 1),
or with the `none` algorithm allowed; `jsonwebtoken`'s `decode` in a
module that never calls `verify`; anything from the `jwt-decode`
package; `jose`'s `decodeJwt` without `jwtVerify`; `verify` with
`algorithms` including `none`.

Severity follows the function's triggers: high when anyone on the
internet can call it, low when its route has an authorizer (API
Gateway then verified the token before the function runs, and decoding
it again without verification is the usual way to read its claims),
medium otherwise.

## Why is this bad?
Decoding is not verifying: anyone can write a token with
`"sub": "admin"` or `"scope": "orders:write"`, and the function would
believe it. Decisions taken on unverified claims are broken
authentication.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Profile:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import jwt
        def handler(event, context):
            token = event["headers"]["authorization"].split()[-1]
            claims = jwt.decode(token, options={"verify_signature": False})
            return load_profile(claims["sub"])
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /profile
            Method: GET
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Profile:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os, jwt
        jwks = jwt.PyJWKClient(os.environ["JWKS_URL"])
        def handler(event, context):
            token = event["headers"]["authorization"].split()[-1]
            key = jwks.get_signing_key_from_jwt(token).key
            claims = jwt.decode(token, key, algorithms=["RS256"], audience=os.environ["AUDIENCE"])
            return load_profile(claims["sub"])
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /profile
            Method: GET
```

## References
- PyJWT: `jwt.decode` and signature verification: <https://pyjwt.readthedocs.io/en/stable/usage.html>
- jsonwebtoken: `decode` does not verify the signature: <https://github.com/auth0/node-jsonwebtoken#jwtdecodetoken--options>
- OWASP JSON Web Token Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html>
- CWE-347: Improper Verification of Cryptographic Signature
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(
        c,
        &META,
        PracticeKind::JwtUnverified,
        "verify the token (`jwt.decode(token, key, algorithms=[...])`, `jwt.verify`, \
         `jwtVerify`) with the issuer's key and an explicit algorithm list, or let an API \
         Gateway JWT or Lambda authorizer verify it",
        |c, f, _| {
            let (severity, because) = match exposure(c.app, f).0 {
                Exposure::Public => (Severity::High, "anyone on the internet can call it"),
                Exposure::Authenticated => (
                    Severity::Low,
                    "its route has an authorizer, which may have verified the token already",
                ),
                Exposure::Internal | Exposure::Unknown => (Severity::Medium, ""),
            };
            Some(Report { severity, because: because.to_string() })
        },
    );
}

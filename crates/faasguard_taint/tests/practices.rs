//! Unsafe practices in handler code: each kind in Python and in
//! JavaScript/TypeScript, with near misses that must stay silent.

use faasguard_code::handler::Resolution;
use faasguard_code::parse::{Language, parse};
use faasguard_source::{SourceDb, SourceFile};
use faasguard_taint::practices::{Practice, PracticeKind, practices};

/// The practices of one handler module (`path` picks the language), the
/// handler function being `handler`.
fn scan(path: &str, code: &str) -> Vec<Practice> {
    scan_modules(&[(path, code)])
}

fn scan_modules(files: &[(&str, &str)]) -> Vec<Practice> {
    let mut db = SourceDb::new();
    let mut res = Resolution::default();
    for (path, code) in files {
        let id = db.add(SourceFile::new(*path, *code));
        let lang = Language::from_path(path).expect("a code file");
        let module = parse(id, lang, code).expect("parses");
        assert!(module.problems.is_empty(), "{path}: {:?}", module.problems);
        if res.entry.is_none() {
            res.entry = Some((id, "handler".to_string()));
        }
        res.modules.push(id);
        res.parsed.push(module);
    }
    practices(&res, &db)
}

fn kinds(found: &[Practice]) -> Vec<PracticeKind> {
    found.iter().map(|p| p.kind).collect()
}

/// The practices of `kind`, with their source text.
fn of(found: &[Practice], kind: PracticeKind, code: &str) -> Vec<String> {
    found
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| code[p.span.start as usize..p.span.end as usize].to_string())
        .collect()
}

fn only(path: &str, code: &str, kind: PracticeKind) -> Vec<String> {
    let found = scan(path, code);
    let other: Vec<_> = found.iter().filter(|p| p.kind != kind).collect();
    assert!(other.is_empty(), "unexpected: {other:#?}");
    of(&found, kind, code)
}

// ----- hard-coded credentials -------------------------------------------------

#[test]
fn python_credentials_by_format_and_by_name() {
    let code = r#"import os
import boto3

AWS_KEY = "AKIAZ7QK3M2XN4PLWEVB"
AWS_SECRET = "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"
s3 = boto3.client("s3", aws_access_key_id=AWS_KEY, aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3KeYPq9k")
GITHUB = {"token": "ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ"}
DB_PASSWORD = "Winter2026-orders-Pa55!"
HEADERS = {"Authorization": "Bearer k8Jd02nXq9Lm4PzR7tVb3WcY"}
api_key = os.environ.get("STRIPE_API_KEY", "k8Jd02nXq9Lm4PzR7tVb3WcYq1")

def handler(event, context):
    if event["password"] == "Tr0ub4dor&3x":
        return 1
"#;
    let found = only("src/app.py", code, PracticeKind::HardcodedCredential);
    assert_eq!(
        found,
        vec![
            "\"AKIAZ7QK3M2XN4PLWEVB\"",
            "\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3KeYPq9k\"",
            "\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq3KeYPq9k\"",
            "\"ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ\"",
            "\"Winter2026-orders-Pa55!\"",
            "\"Bearer k8Jd02nXq9Lm4PzR7tVb3WcY\"",
            "\"k8Jd02nXq9Lm4PzR7tVb3WcYq1\"",
            "\"Tr0ub4dor&3x\"",
        ]
    );
    let all = scan("src/app.py", code);
    for p in &all {
        assert_eq!(p.secret, Some(p.span), "{p:?}");
        let value = &code[p.span.start as usize + 1..p.span.end as usize - 1];
        assert!(!p.message.contains(value), "{}", p.message);
    }
    assert!(all[0].message.contains("AWS access key id") && all[0].message.contains("AWS_KEY"));
    assert!(all[0].strong && !all[4].strong);
}

#[test]
fn python_credential_near_misses() {
    let code = r#"import os

DB_PASSWORD = os.environ["DB_PASSWORD"]
API_KEY = os.getenv("API_KEY")
password = "changeme"
token = "xxx"
SECRET_NAME = "prod/orders/db-Password1"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
PASSWORD_FIELD = "password"
NEXT_TOKEN = "k8Jd02nXq9Lm4PzR7tVb3WcY"
TOKEN_HEADER = "Authorization"
EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
secret = "<your-secret-here>"
api_key = "your-api-key"
key = "k8Jd02nXq9Lm4PzR7tVb3WcY"
PEM_HEADER = "-----BEGIN PRIVATE KEY-----"
auth = f"Bearer {API_KEY}"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
"#;
    assert_eq!(scan("src/app.py", code), vec![]);
}

// ----- TLS ----------------------------------------------------------------------

#[test]
fn python_tls_verification_off() {
    let code = r#"import ssl
import requests
import httpx
import urllib.request

def handler(event, context):
    requests.get("https://api.internal/orders", verify=False)
    httpx.Client(verify=False)
    ctx = ssl._create_unverified_context()
    other = ssl.create_default_context()
    other.check_hostname = False
    other.verify_mode = ssl.CERT_NONE
    session = requests.Session()
    session.verify = False
"#;
    let found = only("src/app.py", code, PracticeKind::TlsVerificationDisabled);
    assert_eq!(found.len(), 6, "{found:#?}");
    let fine = r#"import requests, ssl
def handler(event, context):
    requests.get("https://api.internal/orders", verify="/opt/ca.pem")
    requests.get("https://api.internal/orders", verify=True, timeout=3)
    ctx = ssl.create_default_context()
    ctx.verify_mode = ssl.CERT_REQUIRED
"#;
    assert_eq!(scan("src/app.py", fine), vec![]);
}

// ----- logging --------------------------------------------------------------------

#[test]
fn python_logging_of_events_and_secrets() {
    let code = r#"import json
import logging
import boto3

logger = logging.getLogger()
sm = boto3.client("secretsmanager")

def handler(event, context):
    print(event)
    logger.info("received %s", json.dumps(event))
    logger.info(f"event: {event}")
    resp = sm.get_secret_value(SecretId="prod/db")
    creds = json.loads(resp["SecretString"])
    logger.debug("db creds %s", creds)
    password = event["body"]
    print("login with", password)
"#;
    let found = scan("src/app.py", code);
    let logged = of(&found, PracticeKind::SensitiveLogging, code);
    assert_eq!(
        logged,
        vec![
            "print(event)",
            "logger.info(\"received %s\", json.dumps(event))",
            "logger.info(f\"event: {event}\")",
            "logger.debug(\"db creds %s\", creds)",
            "print(\"login with\", password)",
        ]
    );
    let strong: Vec<bool> = found
        .iter()
        .filter(|p| p.kind == PracticeKind::SensitiveLogging)
        .map(|p| p.strong)
        .collect();
    assert_eq!(strong, [false, false, false, true, true]);
    let fine = r#"import logging, boto3
logger = logging.getLogger()
def handler(event, context):
    print(event["requestContext"]["requestId"])
    logger.info("keys: %s", list(event.keys()))
    logger.info("size %d", len(event))
    secret = boto3.client("secretsmanager").get_secret_value(SecretId="x")
    logger.info("fetched secret %s", secret["ARN"] if False else "x")
    secret_name = "prod/db"
    logger.info("reading %s", secret_name)
    print("password reset requested")
"#;
    assert_eq!(scan("src/app.py", fine), vec![]);
}

// ----- errors returned ----------------------------------------------------------------

#[test]
fn python_exception_details_in_responses() {
    let code = r#"import json
import traceback
from flask import jsonify

def handler(event, context):
    try:
        return work(event)
    except ValueError as e:
        return {"statusCode": 400, "body": json.dumps({"error": str(e)})}
    except KeyError as err:
        msg = f"missing {err}"
        return {"statusCode": 400, "body": msg}
    except Exception:
        return {"statusCode": 500, "body": traceback.format_exc()}

def view():
    try:
        pass
    except Exception as e:
        return jsonify(error=repr(e)), 500
"#;
    let found = only("src/app.py", code, PracticeKind::ErrorDetailsReturned);
    assert_eq!(found.len(), 4, "{found:#?}");
    let fine = r#"import logging
logger = logging.getLogger()
def handler(event, context):
    try:
        return work(event)
    except Exception as e:
        logger.exception("failed: %s", e)
        return {"statusCode": 500, "body": "internal error"}
    try:
        pass
    except Exception as e:
        raise RuntimeError(str(e))
"#;
    assert_eq!(scan("src/app.py", fine), vec![]);
}

// ----- debug mode -------------------------------------------------------------------

#[test]
fn python_debug_mode() {
    let code = r#"from flask import Flask
from fastapi import FastAPI
app = Flask(__name__)
app.debug = True
app.config["DEBUG"] = True
api = FastAPI(debug=True)
app.run(debug=True)
"#;
    let found = only("src/app.py", code, PracticeKind::DebugMode);
    assert_eq!(found.len(), 4, "{found:#?}");
    let fine = r#"from flask import Flask
app = Flask(__name__)
DEBUG = True
app.debug = False
if __name__ == "__main__":
    app.run(debug=True)
"#;
    assert_eq!(scan("src/app.py", fine), vec![]);
    let settings = "DEBUG = True\nALLOWED_HOSTS = ['*']\n";
    let found = scan_modules(&[
        ("src/app.py", "import mysite.settings\n"),
        ("src/mysite/settings.py", settings),
    ]);
    assert_eq!(kinds(&found), [PracticeKind::DebugMode]);
}

// ----- /tmp ---------------------------------------------------------------------------

#[test]
fn python_sensitive_data_in_fixed_tmp_files() {
    let code = r#"import json
import os
import boto3

CACHE = "/tmp/secrets.json"

def handler(event, context):
    body = json.loads(event["body"])
    with open("/tmp/last-order.json", "w") as f:
        f.write(json.dumps(body))
    secret = boto3.client("secretsmanager").get_secret_value(SecretId="db")["SecretString"]
    with open(CACHE, "w") as out:
        json.dump(secret, out)
    open(os.path.join("/tmp", "event.json"), "w").write(str(event))
"#;
    let found = only("src/app.py", code, PracticeKind::TmpReuse);
    assert_eq!(found.len(), 3, "{found:#?}");
    let fine = r#"import json, os, uuid, tempfile
def handler(event, context):
    with open(f"/tmp/{context.aws_request_id}.json", "w") as f:
        f.write(json.dumps(event))
    with open("/tmp/config.json", "w") as f:
        f.write("{}")
    with open("/tmp/input.json") as f:
        data = f.read()
    with tempfile.NamedTemporaryFile("w") as f:
        f.write(event["body"])
"#;
    assert_eq!(scan("src/app.py", fine), vec![]);
}

// ----- JWT ------------------------------------------------------------------------

#[test]
fn python_jwt_without_verification() {
    let code = r#"import jwt
from jwt import decode as jwt_decode

def handler(event, context):
    token = event["headers"]["authorization"]
    claims = jwt.decode(token, options={"verify_signature": False})
    old = jwt.decode(token, verify=False)
    none = jwt_decode(token, "k", algorithms=["none"])
"#;
    let found = only("src/app.py", code, PracticeKind::JwtUnverified);
    assert_eq!(found.len(), 3, "{found:#?}");
    let fine = r#"import jwt, base64, os
def handler(event, context):
    token = event["headers"]["authorization"]
    claims = jwt.decode(token, os.environ["JWT_KEY"], algorithms=["HS256"])
    header = jwt.get_unverified_header(token)
    raw = base64.b64decode(token)
"#;
    assert_eq!(scan("src/app.py", fine), vec![]);
}

// ----- JavaScript and TypeScript -----------------------------------------------------

#[test]
fn javascript_credentials() {
    let code = r#"const AWS = require("aws-sdk");
const s3 = new AWS.S3({ accessKeyId: "AKIAZ7QK3M2XN4PLWEVB", secretAccessKey: "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" });
const slack = "xoxb-1234567890-Tq8ZkP3mLw9NvX2r";
const dbPassword = process.env.DB_PASSWORD || "Winter2026-orders-Pa55!";
const config = { apiKey: `k8Jd02nXq9Lm4PzR7tVb3WcY` };
exports.handler = async (event) => {
  if (event.headers["x-api-key"] === "k8Jd02nXq9Lm4PzR7tVb3WcYq1") return 1;
};
"#;
    let found = only("index.js", code, PracticeKind::HardcodedCredential);
    assert_eq!(found.len(), 6, "{found:#?}");
    let fine = r#"const dbPassword = process.env.DB_PASSWORD;
const apiKey = process.env.API_KEY || "changeme";
const nextToken = "k8Jd02nXq9Lm4PzR7tVb3WcY";
const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
const header = `Bearer ${token}`;
const password = "<password>";
import jwt from "jsonwebtoken";
"#;
    assert_eq!(scan("index.js", fine), vec![]);
    let ts = r#"class Client { private apiKey: string = "k8Jd02nXq9Lm4PzR7tVb3WcY"; }
function connect(password: string = "Winter2026-orders-Pa55!") {}
"#;
    assert_eq!(only("src/client.ts", ts, PracticeKind::HardcodedCredential).len(), 2);
}

#[test]
fn javascript_tls_verification_off() {
    let code = r#"const https = require("https");
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = 0;
const agent = new https.Agent({ rejectUnauthorized: false });
const req = request({ url, strictSSL: false });
const tls = { checkServerIdentity: () => undefined };
https.globalAgent.options.rejectUnauthorized = false;
"#;
    assert_eq!(only("index.js", code, PracticeKind::TlsVerificationDisabled).len(), 6);
    let fine = r#"const https = require("https");
const agent = new https.Agent({ rejectUnauthorized: true, ca: fs.readFileSync("ca.pem") });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
"#;
    assert_eq!(scan("index.js", fine), vec![]);
}

#[test]
fn javascript_logging() {
    let code = r#"const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
const sm = new SecretsManagerClient({});
export const handler = async (evt, context) => {
  console.log(evt);
  console.log("event", JSON.stringify(evt, null, 2));
  console.info(`got ${JSON.stringify(evt)}`);
  console.log({ evt });
  const res = await sm.send(new GetSecretValueCommand({ SecretId: "prod/db" }));
  const secret = JSON.parse(res.SecretString);
  console.log("db secret", secret);
  logger.debug("token", evt.headers.authorization);
  const { password } = JSON.parse(evt.body);
  console.log(password);
};
"#;
    let found = scan("src/index.ts", code);
    let logged = of(&found, PracticeKind::SensitiveLogging, code);
    assert_eq!(logged.len(), 7, "{logged:#?}");
    let fine = r#"export const handler = async (event) => {
  console.log(event.requestContext.requestId);
  console.log("keys", Object.keys(event));
  console.log("body length", event.body.length);
  const secretName = process.env.SECRET_NAME;
  console.log("reading", secretName);
  console.log("password reset requested");
};
"#;
    assert_eq!(scan("src/index.ts", fine), vec![]);
}

#[test]
fn javascript_error_details() {
    let code = r#"exports.handler = async (event) => {
  try {
    return await work(event);
  } catch (err) {
    return { statusCode: 500, body: JSON.stringify({ error: err.message }) };
  }
};
app.get("/orders", async (req, res) => {
  try {
    res.json(await list());
  } catch (e) {
    res.status(500).send(e.stack);
  }
});
app.post("/orders", (req, res) => {
  save(req.body).then(() => res.sendStatus(201)).catch((error) => res.status(500).json({ message: `failed: ${error}` }));
});
router.get("/x", async (ctx) => {
  try { await x(); } catch (e) { const detail = String(e); ctx.body = { detail }; }
});
"#;
    let found = only("app.js", code, PracticeKind::ErrorDetailsReturned);
    assert_eq!(found.len(), 4, "{found:#?}");
    let fine = r#"exports.handler = async (event) => {
  try {
    return await work(event);
  } catch (err) {
    console.error(err);
    return { statusCode: 500, body: JSON.stringify({ error: "internal error" }) };
  }
};
app.get("/orders", async (req, res) => {
  try { res.json(await list()); } catch (e) { logger.error(e.stack); res.status(500).send("failed"); }
});
"#;
    assert_eq!(scan("app.js", fine), vec![]);
}

#[test]
fn javascript_debug_mode() {
    let code = r#"const express = require("express");
const errorhandler = require("errorhandler");
const app = express();
app.set("env", "development");
app.use(errorhandler());
process.env.NODE_ENV = "development";
const server = new ApolloServer({ typeDefs, resolvers, debug: true });
"#;
    assert_eq!(only("app.js", code, PracticeKind::DebugMode).len(), 4);
    let fine = r#"const app = express();
app.set("env", "production");
app.set("trust proxy", true);
if (process.env.NODE_ENV === "development") { app.use(morgan("dev")); }
const server = new ApolloServer({ typeDefs, resolvers, debug: false });
"#;
    assert_eq!(scan("app.js", fine), vec![]);
}

#[test]
fn javascript_tmp_reuse() {
    let code = r#"const fs = require("fs");
const path = require("path");
const CACHE = "/tmp/token.json";
exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  fs.writeFileSync("/tmp/order.json", JSON.stringify(body));
  const apiToken = await fetchToken();
  fs.writeFileSync(CACHE, apiToken);
  await fs.promises.writeFile(path.join("/tmp", "event.json"), JSON.stringify(event));
};
"#;
    assert_eq!(only("index.js", code, PracticeKind::TmpReuse).len(), 3);
    let fine = r#"const fs = require("fs");
exports.handler = async (event, context) => {
  fs.writeFileSync(`/tmp/${context.awsRequestId}.json`, JSON.stringify(event));
  fs.writeFileSync("/tmp/config.json", JSON.stringify({ retries: 3 }));
  const data = fs.readFileSync("/tmp/cache.json");
};
"#;
    assert_eq!(scan("index.js", fine), vec![]);
}

#[test]
fn javascript_jwt() {
    let code = r#"const jwt = require("jsonwebtoken");
import jwtDecode from "jwt-decode";
export const handler = async (event) => {
  const claims = jwt.decode(event.headers.authorization);
  const other = jwtDecode(event.headers.authorization);
};
"#;
    assert_eq!(only("src/index.ts", code, PracticeKind::JwtUnverified).len(), 2);
    let none = r#"const { verify } = require("jsonwebtoken");
exports.handler = async (event) => verify(event.token, key, { algorithms: ["none", "HS256"] });
"#;
    assert_eq!(only("index.js", none, PracticeKind::JwtUnverified).len(), 1);
    let fine = r#"const jwt = require("jsonwebtoken");
exports.handler = async (event) => {
  const header = jwt.decode(event.token, { complete: true }).header;
  const claims = jwt.verify(event.token, await keyFor(header.kid), { algorithms: ["RS256"] });
  const data = Buffer.from(event.body, "base64");
};
"#;
    assert_eq!(scan("index.js", fine), vec![]);
}

#[test]
fn hostile_input_is_bounded() {
    let deep = format!("x = {}1{}\nprint(event)\n", "(".repeat(5000), ")".repeat(5000));
    let _ = scan("a.py", &deep);
    let long = format!("const a = {};\n", "[".repeat(3000) + &"]".repeat(3000));
    let _ = scan("a.js", &long);
    let many = "password = \"Winter2026-orders-Pa55!\"\n".repeat(500);
    assert_eq!(scan("a.py", &many).len(), 50);
}

//! The benchmark's input: a SAM app of many functions whose handler code
//! looks like real service code that handles untrusted events, generated in
//! memory and deterministic.
//!
//! Each function has a handler file and a local helper module. The handler
//! reads its event (query string, JSON body, queue or bucket records),
//! passes the values through string building, local helpers and
//! sanitizers, and into sinks: most calls are safe (parameterised queries,
//! argument lists, allow-lists, `shlex.quote`, `int()`, `basename`,
//! `encodeURIComponent`), about one block in four is a real flow (SQL built
//! with formatting, a shell command, an outbound URL, `pickle`, a path, a
//! regular expression), and the bulk is plain computation (pricing,
//! validation, batching) as in real handlers. The helper module holds
//! string builders (summaries) and one sink reached across modules.
//!
//! The mix: two fifths Python, one fifth each JavaScript (CommonJS),
//! JavaScript (ES modules) and TypeScript.

use std::fmt::Write as _;

/// What to generate.
pub(crate) struct Shape {
    /// Functions in the template.
    pub(crate) functions: usize,
    /// Lines of the handler file of each function (about).
    pub(crate) handler_lines: usize,
    /// Lines of the local helper module of each function (about).
    pub(crate) helper_lines: usize,
}

/// One function's files.
pub(crate) struct GenFunction {
    /// Logical id in the template.
    pub(crate) name: String,
    /// Flavour index: 0 Python, 1 JS CommonJS, 2 JS ESM, 3 TypeScript.
    pub(crate) flavour: usize,
    /// Lines of its code files (handler and helper).
    pub(crate) lines: usize,
}

/// The generated app.
pub(crate) struct Generated {
    /// `(path, text)`, the template first.
    pub(crate) files: Vec<(String, String)>,
    /// Every function, in template order.
    pub(crate) functions: Vec<GenFunction>,
    /// Lines of code (every file but the template).
    pub(crate) code_lines: usize,
}

/// Flavour names, by index.
pub(crate) const FLAVOURS: [&str; 4] =
    ["Python", "JavaScript (CommonJS)", "JavaScript (ESM)", "TypeScript"];

fn flavour(i: usize) -> usize {
    match i % 5 {
        0 | 1 => 0,
        2 => 1,
        3 => 2,
        _ => 3,
    }
}

const TABLES: usize = 4;
const BUCKETS: usize = 4;
const QUEUES: usize = 4;

/// Generates the app.
pub(crate) fn generate(shape: &Shape) -> Generated {
    let mut files = vec![("template.yaml".to_string(), template(shape.functions))];
    let mut functions = Vec::new();
    for i in 0..shape.functions {
        let dir = format!("fns/f{i:03}");
        let fl = flavour(i);
        let (handler, helper) = match fl {
            0 => (
                (format!("{dir}/app.py"), python_handler(i, shape.handler_lines)),
                (format!("{dir}/helpers.py"), python_helper(i, shape.helper_lines)),
            ),
            1 => (
                (format!("{dir}/index.js"), js_handler(i, shape.handler_lines, Js::Cjs)),
                (format!("{dir}/lib/util.js"), js_helper(i, shape.helper_lines, Js::Cjs)),
            ),
            2 => (
                (format!("{dir}/index.mjs"), js_handler(i, shape.handler_lines, Js::Esm)),
                (format!("{dir}/lib/util.mjs"), js_helper(i, shape.helper_lines, Js::Esm)),
            ),
            _ => (
                (format!("{dir}/app.ts"), js_handler(i, shape.handler_lines, Js::Ts)),
                (format!("{dir}/lib/util.ts"), js_helper(i, shape.helper_lines, Js::Ts)),
            ),
        };
        let lines = lines(&handler.1) + lines(&helper.1);
        functions.push(GenFunction { name: format!("Fn{i:03}"), flavour: fl, lines });
        files.push(handler);
        files.push(helper);
    }
    let code_lines = functions.iter().map(|f| f.lines).sum();
    Generated { files, functions, code_lines }
}

fn template(functions: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n\
         Description: taint benchmark app (generated)\n\nGlobals:\n  Function:\n    Timeout: 30\n    MemorySize: 512\n\n\
         Resources:\n  UserPool:\n    Type: AWS::Cognito::UserPool\n\
         \x20 Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Auth:\n        DefaultAuthorizer: Cognito\n        Authorizers:\n          Cognito:\n            UserPoolArn: !GetAtt UserPool.Arn\n",
    );
    for k in 0..TABLES {
        let _ = write!(
            t,
            "  Table{k}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: pk\n          AttributeType: S\n      KeySchema:\n        - AttributeName: pk\n          KeyType: HASH\n"
        );
    }
    for k in 0..BUCKETS {
        let _ = write!(t, "  Bucket{k}:\n    Type: AWS::S3::Bucket\n");
    }
    for k in 0..QUEUES {
        let _ = write!(t, "  Queue{k}:\n    Type: AWS::SQS::Queue\n");
    }
    for i in 0..functions {
        let (runtime, handler) = match flavour(i) {
            0 => ("python3.12", "app.handler"),
            3 => ("nodejs20.x", "app.handler"),
            _ => ("nodejs20.x", "index.handler"),
        };
        // A mix of exposures: public and authenticated routes, queues, buckets.
        let event = match i % 4 {
            0 => format!(
                "        Http:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /f{i:03}\n            Method: post\n            Auth:\n              Authorizer: NONE\n"
            ),
            1 => format!(
                "        Http:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /f{i:03}\n            Method: post\n"
            ),
            2 => format!(
                "        Queue:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue{}.Arn\n",
                i % QUEUES
            ),
            _ => format!(
                "        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Bucket{}\n            Events: s3:ObjectCreated:*\n",
                i % BUCKETS
            ),
        };
        let _ = write!(
            t,
            "  Fn{i:03}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fns/f{i:03}/\n      Handler: {handler}\n      Runtime: {runtime}\n      Environment:\n        Variables:\n          TABLE_NAME: !Ref Table{}\n          BUCKET_NAME: !Ref Bucket{}\n      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Table{}\n      Events:\n{event}",
            i % TABLES,
            i % BUCKETS,
            i % TABLES,
        );
    }
    t
}

/// Fills `@I@` (function), `@K@` (block), `@M@` (a small multiplier).
fn fill(tpl: &str, i: usize, k: usize) -> String {
    tpl.replace("@I@", &format!("{i:03}"))
        .replace("@K@", &k.to_string())
        .replace("@M@", &((i + k) % 7 + 2).to_string())
}

fn lines(s: &str) -> usize {
    s.lines().count()
}

/// A block of code and how the handler calls it (`@K@` filled in both).
struct Block<'a> {
    text: &'a str,
    call: &'a str,
}

/// Appends blocks (cycling through `blocks` from an offset that depends on
/// the function) until `out` has about `target` lines once the calls are
/// added; returns the calls.
fn grow(out: &mut String, blocks: &[Block<'_>], i: usize, target: usize, footer: usize) -> String {
    let mut calls = String::new();
    let mut k = 0;
    while lines(out) + lines(&calls) + footer + 2 < target {
        let b = &blocks[(i + k) % blocks.len()];
        out.push_str(&fill(b.text, i, k));
        calls.push_str(&fill(b.call, i, k));
        k += 1;
    }
    calls
}

// ---------------------------------------------------------------------------
// Python

const PY_HEADER: &str = r#""""Function @I@: order intake, search and document jobs.

Generated for the faasguard taint benchmark. The shape follows real
handlers: module-level clients and configuration, small steps with their
own validation, a helper module, and event data handled with more or less
care.
"""

import base64
import json
import logging
import os
import pickle
import re
import shlex
import subprocess
import time
from decimal import Decimal
from urllib.parse import unquote_plus

import boto3
import pymysql
import requests
import yaml

from helpers import build_filter, clean_name, normalise, run_report

logger = logging.getLogger(__name__)
logger.setLevel(os.getenv("LOG_LEVEL", "INFO"))

TABLE_NAME = os.environ["TABLE_NAME"]
BUCKET = os.environ["BUCKET_NAME"]
STATUS_URL = os.environ.get("STATUS_URL", "https://status.internal.example.com")
ALLOWED_FORMATS = {"pdf", "png", "csv", "json"}
TEMPLATES = "/var/task/templates"

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(TABLE_NAME)
_conn = None


def connection():
    """The MySQL connection, opened once per execution environment."""
    global _conn
    if _conn is None:
        _conn = pymysql.connect(
            host=os.environ["DB_HOST"],
            user="app",
            password=os.environ["DB_PASSWORD"],
            database="orders",
            connect_timeout=5,
        )
    return _conn

"#;

const PY_BLOCKS: &[Block<'static>] = &[
    Block {
        text: r#"
def price_@K@(body):
    """Step @K@: the price of the order's lines, with the step's discount."""
    total = Decimal(0)
    lines = body.get("lines", [])
    if not isinstance(lines, list):
        logger.debug("price @K@: no lines")
        return total
    for n, line in enumerate(lines):
        qty = int(line.get("qty", 1))
        unit = Decimal(str(line.get("unit_price", "0")))
        if n % 3 == 0:
            total += unit * qty * @M@
        elif n % 3 == 1:
            total -= unit / @M@
        else:
            total += Decimal(n)
    if total < 0:
        total = Decimal(0)
    return total.quantize(Decimal("0.01"))

"#,
        call: "    results.append(price_@K@(body))\n",
    },
    Block {
        text: r#"
def find_orders_@K@(params):
    """Step @K@: a customer's orders, newest first (query built by hand)."""
    customer = params.get("customer", "").strip()
    status = normalise(params.get("status", "open"))
    limit = int(params.get("limit", "20"))
    sql = "SELECT id, total, status FROM orders WHERE customer = '%s'" % customer
    if status:
        sql += f" AND status = '{status}'"
    sql += f" ORDER BY created DESC LIMIT {limit}"
    with connection().cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()
    return [{"id": r[0], "total": str(r[1]), "status": r[2]} for r in rows]

"#,
        call: "    results.append(find_orders_@K@(params))\n",
    },
    Block {
        text: r#"
def count_orders_@K@(params):
    """Step @K@: how many orders a customer has (parameterised)."""
    customer = params.get("customer", "")
    since = int(params.get("since", "0"))
    with connection().cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM orders WHERE customer = %s AND created > %s AND step = %s",
            (customer, since, @K@),
        )
        (count,) = cur.fetchone()
    logger.debug("count @K@: %d orders", count)
    return count

"#,
        call: "    results.append(count_orders_@K@(params))\n",
    },
    Block {
        text: r#"
def validate_@K@(body):
    """Step @K@: checks the shape of the order; returns the problems."""
    problems = []
    if not body.get("customer"):
        problems.append("customer missing")
    email = str(body.get("email", ""))
    if "@" not in email or len(email) > 254:
        problems.append("email invalid")
    for n, line in enumerate(body.get("lines", [])):
        if not isinstance(line, dict):
            problems.append(f"line {n}: not an object")
            continue
        if int(line.get("qty", 0)) <= 0:
            problems.append(f"line {n}: quantity must be positive")
        if len(str(line.get("sku", ""))) > 32:
            problems.append(f"line {n}: sku too long")
    if len(problems) > @M@:
        logger.info("validate @K@: %d problems", len(problems))
    return problems

"#,
        call: "    results.append(validate_@K@(body))\n",
    },
    Block {
        text: r#"
def convert_@K@(body):
    """Step @K@: converts the uploaded document (format allow-listed, name quoted)."""
    fmt = str(body.get("format", "pdf")).lower()
    if fmt not in ALLOWED_FORMATS:
        return None
    name = clean_name(body.get("name", "document"))
    source = f"/tmp/in-@K@"
    out = subprocess.run(
        f"convert {source} /tmp/out-@K@.{fmt} && echo {shlex.quote(name)}",
        shell=True,
        capture_output=True,
        timeout=30,
    )
    subprocess.run(["gzip", "-k", f"/tmp/out-@K@.{fmt}"], check=False)
    return out.returncode

"#,
        call: "    results.append(convert_@K@(body))\n",
    },
    Block {
        text: r#"
def ping_@K@(params):
    """Step @K@: checks that the partner host answers (string command)."""
    host = params.get("host", "localhost")
    started = time.monotonic()
    code = os.system("ping -c 1 -W 2 " + host)
    logger.info("ping @K@ took %.3f s", time.monotonic() - started)
    return code == 0

"#,
        call: "    results.append(ping_@K@(params))\n",
    },
    Block {
        text: r#"
def batch_@K@(items, size=@M@):
    """Step @K@: splits items into batches and sums each batch."""
    batches = []
    current = []
    for item in items:
        current.append(item)
        if len(current) == size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    sums = []
    for b in batches:
        acc = 0
        for x in b:
            acc += len(str(x))
        sums.append(acc)
    return sums

"#,
        call: "    results.append(batch_@K@(results))\n",
    },
    Block {
        text: r#"
def notify_@K@(body):
    """Step @K@: calls the customer's webhook (URL from the request)."""
    callback = body.get("callback_url")
    payload = {"id": body.get("id"), "step": @K@, "at": int(time.time())}
    if not callback:
        return None
    resp = requests.post(callback, json=payload, timeout=5)
    return resp.status_code

"#,
        call: "    results.append(notify_@K@(body))\n",
    },
    Block {
        text: r#"
def status_@K@(body):
    """Step @K@: the order's status from the status service (fixed host)."""
    order_id = int(body.get("id", 0))
    resp = requests.get(f"{STATUS_URL}/orders/{order_id}", timeout=5)
    if resp.status_code != 200:
        logger.warning("status @K@: %d", resp.status_code)
        return None
    return resp.json().get("status")

"#,
        call: "    results.append(status_@K@(body))\n",
    },
    Block {
        text: r#"
def restore_@K@(record):
    """Step @K@: the job carried by a queue record (JSON or safe YAML)."""
    raw = base64.b64decode(record.get("body", ""))
    attrs = record.get("messageAttributes", {})
    if attrs.get("format", {}).get("stringValue") == "yaml":
        return yaml.safe_load(raw)
    if attrs.get("format", {}).get("stringValue") == "legacy":
        return pickle.loads(raw)
    return json.loads(raw)

"#,
        call: "    results.append(restore_@K@(record))\n",
    },
    Block {
        text: r#"
def read_template_@K@(params):
    """Step @K@: a mail template by name (basename only)."""
    name = os.path.basename(params.get("template", "default.txt"))
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as fh:
        text = fh.read()
    return text.replace("{step}", "@K@")

"#,
        call: "    results.append(read_template_@K@(params))\n",
    },
    Block {
        text: r#"
def stage_@K@(record):
    """Step @K@: copies an uploaded object to /tmp under its own key."""
    key = unquote_plus(record.get("s3", {}).get("object", {}).get("key", ""))
    obj = s3.get_object(Bucket=BUCKET, Key=key)
    with open("/tmp/" + key, "wb") as fh:
        fh.write(obj["Body"].read())
    return key

"#,
        call: "    results.append(stage_@K@(record))\n",
    },
    Block {
        text: r#"
def search_@K@(params):
    """Step @K@: filters cached names with the caller's pattern."""
    pattern = params.get("pattern", ".*")
    literal = re.escape(params.get("prefix", ""))
    names = [f"item-{n}" for n in range(@M@0)]
    matcher = re.compile(pattern)
    prefixed = re.compile("^" + literal)
    return [n for n in names if matcher.search(n) and prefixed.match(n)]

"#,
        call: "    results.append(search_@K@(params))\n",
    },
    Block {
        text: r#"
def report_@K@(params):
    """Step @K@: a regional report (the filter is built in helpers)."""
    region = params.get("region", "eu")
    where = build_filter("region", region)
    rows = run_report(connection(), where)
    logger.debug("report @K@: %d rows", len(rows))
    return rows

"#,
        call: "    results.append(report_@K@(params))\n",
    },
    Block {
        text: r#"
def record_@K@(body, context):
    """Step @K@: stores the order's state (typed item, no expressions)."""
    item = {
        "pk": f"ORDER#{int(body.get('id', 0))}",
        "step": @K@,
        "request": context.aws_request_id,
        "updated": int(time.time()),
    }
    for field in ("customer", "email", "currency"):
        if field in body:
            item[field] = str(body[field])[:128]
    table.put_item(Item=item)
    return item["pk"]

"#,
        call: "    results.append(record_@K@(body, context))\n",
    },
];

fn python_handler(i: usize, target: usize) -> String {
    let mut out = fill(PY_HEADER, i, 0);
    let calls = grow(&mut out, PY_BLOCKS, i, target, 12);
    out.push_str(
        "\ndef handler(event, context):\n    \"\"\"Entry point: every step over the request or the batch.\"\"\"\n    params = event.get(\"queryStringParameters\") or {}\n    body = json.loads(event.get(\"body\") or \"{}\")\n    results = []\n    for record in event.get(\"Records\", []):\n",
    );
    // Calls taking a record run per record, the others once.
    for line in calls.lines() {
        if line.contains("(record)") {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    for line in calls.lines() {
        if !line.contains("(record)") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("    return {\"statusCode\": 200, \"body\": json.dumps(results, default=str)}\n");
    out
}

const PY_HELPER_HEADER: &str = r#""""Helpers of function @I@: normalising, names, report queries."""

import logging
import os

logger = logging.getLogger(__name__)


def normalise(value):
    """Trimmed, lowercased, bounded text."""
    return str(value or "").strip().lower()[:64]


def clean_name(value):
    """A file name without directories or spaces."""
    return os.path.basename(str(value)).replace(" ", "_")


def build_filter(field, value):
    """A SQL condition on one field (built by hand)."""
    return f"{field} = '{value}'"


def run_report(conn, where):
    """Rows of the report view matching a condition."""
    with conn.cursor() as cur:
        cur.execute("SELECT region, SUM(total) FROM report_view WHERE " + where + " GROUP BY region")
        return cur.fetchall()

"#;

const PY_HELPER_BLOCK: &str = r#"
def normalise_@K@(value):
    """Normalises one field (@K@): strips, lowercases, bounds the length."""
    if value is None:
        return ""
    text = str(value).strip().lower()
    if len(text) > @M@0:
        logger.debug("normalise_@K@: truncating %d chars", len(text))
        text = text[: @M@0]
    return text.replace("\t", " ")

"#;

fn python_helper(i: usize, target: usize) -> String {
    let mut out = fill(PY_HELPER_HEADER, i, 0);
    grow(&mut out, &[Block { text: PY_HELPER_BLOCK, call: "" }], i, target, 0);
    out
}

// ---------------------------------------------------------------------------
// JavaScript (CommonJS, ES modules) and TypeScript

#[derive(Clone, Copy, PartialEq, Eq)]
enum Js {
    Cjs,
    Esm,
    Ts,
}

const CJS_HEADER: &str = r#"'use strict';

// Function @I@: order intake, search and document jobs.
// Generated for the faasguard taint benchmark; the shape follows real handlers.

const { exec, execFile } = require('child_process');
const fs = require('fs');
const path = require('path');
const axios = require('axios');
const mysql = require('mysql2/promise');
const { normalise, cleanName, buildFilter, runReport } = require('./lib/util');

"#;

const ESM_HEADER: &str = r#"// Function @I@: order intake, search and document jobs.
// Generated for the faasguard taint benchmark; the shape follows real handlers.

import { exec, execFile } from 'child_process';
import fs from 'fs';
import path from 'path';
import axios from 'axios';
import mysql from 'mysql2/promise';
import { normalise, cleanName, buildFilter, runReport } from './lib/util@EXT@';

"#;

const JS_COMMON: &str = r#"const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: 'app',
  password: process.env.DB_PASSWORD,
  database: 'orders',
  connectionLimit: 2,
});

const TABLE_NAME = process.env.TABLE_NAME;
const STATUS_URL = process.env.STATUS_URL || 'https://status.internal.example.com';
const TEMPLATES = '/var/task/templates';
const ALLOWED_FORMATS = new Set(['pdf', 'png', 'csv', 'json']);

"#;

const TS_TYPES: &str = r#"interface Line {
  sku?: string;
  qty?: number;
  unitPrice?: string;
}

interface Body {
  id?: string;
  customer?: string;
  email?: string;
  format?: string;
  name?: string;
  callbackUrl?: string;
  lines?: Line[];
}

type Params = Record<string, string | undefined>;

interface QueueRecord {
  body?: string;
  messageAttributes?: Record<string, { stringValue?: string }>;
  s3?: { object?: { key?: string } };
}

"#;

const JS_BLOCKS: &[Block<'static>] = &[
    Block {
        text: r#"
// Step @K@: the price of the order's lines, with the step's discount.
function price@K@(body@B@)@RN@ {
  let total = 0;
  const lines = Array.isArray(body.lines) ? body.lines : [];
  lines.forEach((line@L@, n@N@) => {
    const qty = Number(line.qty ?? 1);
    const unit = parseFloat(line.unitPrice ?? '0');
    if (n % 3 === 0) total += unit * qty * @M@;
    else if (n % 3 === 1) total -= unit / @M@;
    else total += n;
  });
  if (total < 0) total = 0;
  return Math.round(total * 100) / 100;
}
"#,
        call: "  results.push(price@K@(body));\n",
    },
    Block {
        text: r#"
// Step @K@: a customer's orders, newest first (query built by hand).
async function findOrders@K@(params@P@)@RA@ {
  const customer = (params.customer || '').trim();
  const status = normalise(params.status || 'open');
  const limit = parseInt(params.limit || '20', 10);
  let sql = `SELECT id, total, status FROM orders WHERE customer = '${customer}'`;
  if (status) sql += ` AND status = '${status}'`;
  sql += ` ORDER BY created DESC LIMIT ${limit}`;
  const [rows] = await pool.query(sql);
  return rows;
}
"#,
        call: "  results.push(await findOrders@K@(params));\n",
    },
    Block {
        text: r#"
// Step @K@: how many orders a customer has (placeholders).
async function countOrders@K@(params@P@)@RA@ {
  const customer = params.customer || '';
  const since = Number(params.since || 0);
  const [rows] = await pool.query(
    'SELECT COUNT(*) AS n FROM orders WHERE customer = ? AND created > ? AND step = ?',
    [customer, since, @K@],
  );
  console.debug(`count @K@: ${JSON.stringify(rows)}`);
  return rows;
}
"#,
        call: "  results.push(await countOrders@K@(params));\n",
    },
    Block {
        text: r#"
// Step @K@: checks the shape of the order; returns the problems.
function validate@K@(body@B@)@RS@ {
  const problems = [];
  if (!body.customer) problems.push('customer missing');
  const email = String(body.email || '');
  if (!email.includes('@') || email.length > 254) problems.push('email invalid');
  (body.lines || []).forEach((line@L@, n@N@) => {
    if (typeof line !== 'object' || line === null) {
      problems.push(`line ${n}: not an object`);
      return;
    }
    if (Number(line.qty || 0) <= 0) problems.push(`line ${n}: quantity must be positive`);
    if (String(line.sku || '').length > 32) problems.push(`line ${n}: sku too long`);
  });
  if (problems.length > @M@) console.info(`validate @K@: ${problems.length} problems`);
  return problems;
}
"#,
        call: "  results.push(validate@K@(body));\n",
    },
    Block {
        text: r#"
// Step @K@: converts the uploaded document (format allow-listed, argument list).
function convert@K@(body@B@)@RP@ {
  const format = String(body.format || 'pdf').toLowerCase();
  if (!ALLOWED_FORMATS.has(format)) return Promise.resolve(null);
  const name = cleanName(body.name || 'document');
  return new Promise((resolve, reject) => {
    execFile('convert', [`/tmp/in-@K@`, `/tmp/${name}-@K@.${format}`], (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}
"#,
        call: "  results.push(await convert@K@(body));\n",
    },
    Block {
        text: r#"
// Step @K@: checks that the partner host answers (shell string).
function ping@K@(params@P@)@RP@ {
  const host = params.host || 'localhost';
  const started = Date.now();
  return new Promise((resolve) => {
    exec(`ping -c 1 -W 2 ${host}`, (err) => {
      console.info(`ping @K@ took ${Date.now() - started} ms`);
      resolve(!err);
    });
  });
}
"#,
        call: "  results.push(await ping@K@(params));\n",
    },
    Block {
        text: r#"
// Step @K@: splits items into batches and sums each batch.
function batch@K@(items@U@, size = @M@) {
  const batches = [];
  let current = [];
  for (const item of items) {
    current.push(item);
    if (current.length === size) {
      batches.push(current);
      current = [];
    }
  }
  if (current.length) batches.push(current);
  return batches.map((b) => b.reduce((acc, x) => acc + String(x).length, 0));
}
"#,
        call: "  results.push(batch@K@(results));\n",
    },
    Block {
        text: r#"
// Step @K@: calls the customer's webhook (URL from the request).
async function notify@K@(body@B@)@RA@ {
  const callback = body.callbackUrl;
  const payload = { id: body.id, step: @K@, at: Date.now() };
  if (!callback) return null;
  const resp = await axios.post(callback, payload, { timeout: 5000 });
  return resp.status;
}
"#,
        call: "  results.push(await notify@K@(body));\n",
    },
    Block {
        text: r#"
// Step @K@: the order's status from the status service (fixed host).
async function status@K@(body@B@)@RA@ {
  const id = encodeURIComponent(String(body.id || ''));
  const resp = await axios.get(`${STATUS_URL}/orders/${id}`, { timeout: 5000 });
  if (resp.status !== 200) {
    console.warn(`status @K@: ${resp.status}`);
    return null;
  }
  return resp.data.status;
}
"#,
        call: "  results.push(await status@K@(body));\n",
    },
    Block {
        text: r#"
// Step @K@: a mail template by name (basename only).
function readTemplate@K@(params@P@)@RS1@ {
  const name = path.basename(params.template || 'default.txt');
  const text = fs.readFileSync(path.join(TEMPLATES, name), 'utf8');
  return text.replace('{step}', '@K@');
}
"#,
        call: "  results.push(readTemplate@K@(params));\n",
    },
    Block {
        text: r#"
// Step @K@: writes a queue record's payload to /tmp under its own key.
function stage@K@(record@R@) {
  const key = decodeURIComponent((record.s3?.object?.key || '').replace(/\+/g, ' '));
  const data = JSON.parse(record.body || '{}');
  fs.writeFileSync(`/tmp/${key}`, JSON.stringify(data));
  return key;
}
"#,
        call: "    results.push(stage@K@(record));\n",
    },
    Block {
        text: r#"
// Step @K@: filters cached names with the caller's pattern.
function search@K@(params@P@)@RS@ {
  const pattern = params.pattern || '.*';
  const names = Array.from({ length: @M@0 }, (_, n) => `item-${n}`);
  const matcher = new RegExp(pattern);
  const fixed = /^item-\d+$/;
  return names.filter((n) => matcher.test(n) && fixed.test(n));
}
"#,
        call: "  results.push(search@K@(params));\n",
    },
    Block {
        text: r#"
// Step @K@: a regional report (the filter is built in the helper module).
async function report@K@(params@P@)@RA@ {
  const region = params.region || 'eu';
  const where = buildFilter('region', region);
  const rows = await runReport(pool, where);
  console.debug(`report @K@: ${rows.length} rows`);
  return rows;
}
"#,
        call: "  results.push(await report@K@(params));\n",
    },
];

/// TypeScript annotations (empty for JavaScript).
fn typed(text: String, js: Js) -> String {
    let ts = js == Js::Ts;
    let pairs: &[(&str, &str, &str)] = &[
        ("@B@", ": Body", ""),
        ("@P@", ": Params", ""),
        ("@R@", ": QueueRecord", ""),
        ("@L@", ": Line", ""),
        ("@N@", ": number", ""),
        ("@U@", ": unknown[]", ""),
        ("@RN@", ": number", ""),
        ("@RS@", ": string[]", ""),
        ("@RS1@", ": string", ""),
        ("@RA@", ": Promise<unknown>", ""),
        ("@RP@", ": Promise<unknown>", ""),
        ("@ANY@", ": any", ""),
        ("@STR@", ": string", ""),
        ("@EXT@", "", ".mjs"),
    ];
    let mut text = text;
    for (mark, t, j) in pairs {
        text = text.replace(mark, if ts { t } else { j });
    }
    text
}

fn js_handler(i: usize, target: usize, js: Js) -> String {
    let header = if js == Js::Cjs { CJS_HEADER } else { ESM_HEADER };
    let mut out = typed(fill(header, i, 0), js);
    out.push_str(JS_COMMON);
    if js == Js::Ts {
        out.push_str(TS_TYPES);
    }
    let blocks: Vec<(String, String)> =
        JS_BLOCKS.iter().map(|b| (typed(b.text.to_string(), js), b.call.to_string())).collect();
    let blocks: Vec<Block<'_>> = blocks.iter().map(|(t, c)| Block { text: t, call: c }).collect();
    let calls = grow(&mut out, &blocks, i, target, 12);
    let export = match js {
        Js::Cjs => "exports.handler = async (event, context) => {\n",
        Js::Esm => "export const handler = async (event, context) => {\n",
        Js::Ts => {
            "export const handler = async (\n  event: { queryStringParameters?: Params; body?: string; Records?: QueueRecord[] },\n  context: { awsRequestId: string },\n) => {\n"
        }
    };
    out.push('\n');
    out.push_str(export);
    out.push_str(&typed(
        "  const params@P@ = event.queryStringParameters || {};\n  const body@B@ = JSON.parse(event.body || '{}');\n  const results@U@ = [];\n  for (const record of event.Records || []) {\n".to_string(),
        js,
    ));
    for line in calls.lines().filter(|l| l.contains("(record)")) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("  }\n");
    for line in calls.lines().filter(|l| !l.contains("(record)")) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(
        "  console.info(`request ${context.awsRequestId}: ${results.length} results`);\n  return { statusCode: 200, body: JSON.stringify(results) };\n};\n",
    );
    out
}

const JS_HELPER_BODY: &str = r#"// Helpers of function @I@: normalising, names, report queries.

@PATH@
// Trimmed, lowercased, bounded text.
@EXPORT@function normalise(value@ANY@)@STR@ {
  return String(value ?? '').trim().toLowerCase().slice(0, 64);
}

// A file name without directories or spaces.
@EXPORT@function cleanName(value@ANY@)@STR@ {
  return path.basename(String(value)).replace(/ /g, '_');
}

// A SQL condition on one field (built by hand).
@EXPORT@function buildFilter(field@STR@, value@ANY@)@STR@ {
  return `${field} = '${value}'`;
}

// Rows of the report view matching a condition.
@EXPORT@async function runReport(pool@ANY@, where@STR@) {
  const [rows] = await pool.query('SELECT region, SUM(total) AS total FROM report_view WHERE ' + where + ' GROUP BY region');
  return rows;
}
"#;

const JS_HELPER_BLOCK: &str = r#"
// Normalises one field (@K@): trims, lowercases, bounds the length.
@EXPORT@function normalise@K@(value@ANY@)@STR@ {
  if (value === null || value === undefined) return '';
  let text = String(value).trim().toLowerCase();
  if (text.length > @M@0) {
    console.debug(`normalise@K@: truncating ${text.length} chars`);
    text = text.slice(0, @M@0);
  }
  return text.replace(/\t/g, ' ');
}
"#;

fn js_helper(i: usize, target: usize, js: Js) -> String {
    let (path_import, export) = match js {
        Js::Cjs => ("'use strict';\n\nconst path = require('path');\n", ""),
        _ => ("import path from 'path';\n", "export "),
    };
    let body =
        fill(JS_HELPER_BODY, i, 0).replace("@PATH@", path_import).replace("@EXPORT@", export);
    let mut out = typed(body, js);
    let block = typed(JS_HELPER_BLOCK.replace("@EXPORT@", export), js);
    grow(&mut out, &[Block { text: &block, call: "" }], i, target, 2);
    if js == Js::Cjs {
        out.push_str("\nmodule.exports = { normalise, cleanName, buildFilter, runReport };\n");
    }
    out
}

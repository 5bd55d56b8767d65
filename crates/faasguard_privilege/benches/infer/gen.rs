//! The benchmark's input: a SAM app of many functions whose handler code
//! looks like real service code (imports, module-level clients, helpers in a
//! local module that receive clients as parameters, validation, loops,
//! comments, docstrings), generated in memory and deterministic.
//!
//! The mix follows what Lambda code bases hold: two fifths Python (boto3
//! client and resource APIs, Table objects, paginators), one fifth each
//! JavaScript with aws-sdk v2 (CommonJS), JavaScript with @aws-sdk v3 (ESM)
//! and TypeScript with @aws-sdk v3.

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

/// The generated app: files with their paths, and the code line count.
pub(crate) struct Generated {
    /// `(path, text)`, the template first.
    pub(crate) files: Vec<(String, String)>,
    /// Lines of handler code (every file but the template).
    pub(crate) code_lines: usize,
    /// Functions per flavour: Python, JS v2, JS v3, TypeScript.
    pub(crate) per_flavour: [usize; 4],
}

#[derive(Clone, Copy)]
enum Flavour {
    Python,
    JsV2,
    JsV3,
    TypeScript,
}

fn flavour(i: usize) -> Flavour {
    match i % 5 {
        0 | 1 => Flavour::Python,
        2 => Flavour::JsV2,
        3 => Flavour::JsV3,
        _ => Flavour::TypeScript,
    }
}

const TABLES: usize = 8;
const BUCKETS: usize = 8;
const QUEUES: usize = 4;
const TOPICS: usize = 4;

/// Generates the app.
pub(crate) fn generate(shape: &Shape) -> Generated {
    let mut files = vec![("template.yaml".to_string(), template(shape.functions))];
    let mut per_flavour = [0; 4];
    for i in 0..shape.functions {
        let dir = format!("fns/f{i:03}");
        let (handler, helper) = match flavour(i) {
            Flavour::Python => {
                per_flavour[0] += 1;
                (
                    (format!("{dir}/app.py"), python_handler(i, shape.handler_lines)),
                    (format!("{dir}/helpers.py"), python_helper(i, shape.helper_lines)),
                )
            }
            Flavour::JsV2 => {
                per_flavour[1] += 1;
                (
                    (format!("{dir}/index.js"), js_v2_handler(i, shape.handler_lines)),
                    (format!("{dir}/lib/store.js"), js_v2_helper(i, shape.helper_lines)),
                )
            }
            Flavour::JsV3 => {
                per_flavour[2] += 1;
                (
                    (format!("{dir}/index.mjs"), js_v3_handler(i, shape.handler_lines, false)),
                    (format!("{dir}/lib/store.mjs"), js_v3_helper(i, shape.helper_lines, false)),
                )
            }
            Flavour::TypeScript => {
                per_flavour[3] += 1;
                (
                    (format!("{dir}/app.ts"), js_v3_handler(i, shape.handler_lines, true)),
                    (format!("{dir}/lib/store.ts"), js_v3_helper(i, shape.helper_lines, true)),
                )
            }
        };
        files.push(handler);
        files.push(helper);
    }
    let code_lines = files.iter().skip(1).map(|(_, t)| t.lines().count()).sum();
    Generated { files, code_lines, per_flavour }
}

fn template(functions: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n\
         Description: benchmark app (generated)\n\nGlobals:\n  Function:\n    Timeout: 30\n    MemorySize: 512\n\nResources:\n",
    );
    for k in 0..TABLES {
        let _ = write!(
            t,
            "  Table{k}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: bench-table-{k}\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: pk\n          AttributeType: S\n      KeySchema:\n        - AttributeName: pk\n          KeyType: HASH\n"
        );
    }
    for k in 0..BUCKETS {
        let _ = write!(
            t,
            "  Bucket{k}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: bench-bucket-{k}\n"
        );
    }
    for k in 0..QUEUES {
        let _ = write!(
            t,
            "  Queue{k}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: bench-queue-{k}\n"
        );
    }
    for k in 0..TOPICS {
        let _ = write!(t, "  Topic{k}:\n    Type: AWS::SNS::Topic\n");
    }
    for i in 0..functions {
        let (runtime, handler) = match flavour(i) {
            Flavour::Python => ("python3.12", "app.handler"),
            Flavour::JsV2 | Flavour::JsV3 | Flavour::TypeScript => ("nodejs20.x", "index.handler"),
        };
        let handler =
            if matches!(flavour(i), Flavour::TypeScript) { "app.handler" } else { handler };
        let (tb, bk, q, tp) = (i % TABLES, i % BUCKETS, i % QUEUES, i % TOPICS);
        let _ = write!(
            t,
            "  Fn{i:03}:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: bench-fn-{i:03}\n      CodeUri: fns/f{i:03}/\n      Handler: {handler}\n      Runtime: {runtime}\n      Environment:\n        Variables:\n          TABLE_NAME: !Ref Table{tb}\n          BUCKET_NAME: !Ref Bucket{bk}\n          QUEUE_URL: !Ref Queue{q}\n          TOPIC_ARN: !Ref Topic{tp}\n          PREFIX: data/f{i:03}\n      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Table{tb}\n        - S3CrudPolicy:\n            BucketName: !Ref Bucket{bk}\n        - SQSSendMessagePolicy:\n            QueueName: !GetAtt Queue{q}.QueueName\n"
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

/// Appends blocks (cycling through `blocks`) until `out` has about `target`
/// lines once `footer_per_block` lines per block are added by the footer.
fn grow(
    out: &mut String,
    blocks: &[&str],
    i: usize,
    target: usize,
    footer_per_block: usize,
) -> usize {
    let mut k = 0;
    while lines(out) + (k + 1) * footer_per_block + 12 < target {
        out.push_str(&fill(blocks[(i + k) % blocks.len()], i, k));
        k += 1;
    }
    k
}

// ---------------------------------------------------------------------------
// Python

const PY_HEADER: &str = r#""""Function @I@: order events, enrichment and archiving.

Generated for the faasguard benchmark. The shape follows real handlers:
module-level clients, environment configuration, small steps with their
own validation and error handling, and a helper module.
"""

import json
import logging
import os
import time
from datetime import datetime, timezone
from decimal import Decimal

import boto3
from botocore.exceptions import ClientError

from helpers import archive, audit, chunked, with_retries

logger = logging.getLogger(__name__)
logger.setLevel(os.getenv("LOG_LEVEL", "INFO"))

TABLE_NAME = os.environ["TABLE_NAME"]
BUCKET = os.environ["BUCKET_NAME"]
QUEUE_URL = os.getenv("QUEUE_URL")
PREFIX = os.environ.get("PREFIX", "data")

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(TABLE_NAME)
ddb = boto3.client("dynamodb")
s3 = boto3.client("s3")
sqs = boto3.client("sqs")
sns = boto3.client("sns")

"#;

const PY_BLOCKS: &[&str] = &[
    r#"
def step_@K@(record, context):
    """Step @K@: load the record's current state and store the new one."""
    # Records without an id come from the legacy importer; skip them.
    if not isinstance(record, dict) or "id" not in record:
        logger.debug("step @K@: skipping %r", record)
        return None
    started = time.monotonic()
    try:
        current = table.get_item(Key={"pk": f"REC#{record['id']}"}).get("Item", {})
    except ClientError as err:
        logger.warning("step @K@: read failed: %s", err)
        raise
    total = Decimal(0)
    for n, value in enumerate(record.get("values", [])):
        if n % 3 == 0:
            total += Decimal(str(value)) * @M@
        elif n % 3 == 1:
            total -= Decimal(str(value))
        else:
            total += Decimal(n)
    current.update({"pk": f"REC#{record['id']}", "total": total, "step": @K@})
    current["updated_at"] = datetime.now(timezone.utc).isoformat()
    table.put_item(Item=current)
    logger.debug("step @K@ took %.3f s", time.monotonic() - started)
    return total

"#,
    r#"
def export_@K@(records):
    """Export @K@: write a batch of records as JSON lines to S3."""
    lines = []
    skipped = 0
    for rec in records:
        if rec.get("deleted"):
            skipped += 1
            continue
        # Keep the export small: only the fields downstream jobs read.
        lines.append(json.dumps({"id": rec["id"], "total": str(rec.get("total", 0))}))
    if not lines:
        return 0
    key = f"{PREFIX}/export-@K@/{int(time.time())}.jsonl"
    s3.put_object(
        Bucket=BUCKET,
        Key=key,
        Body="\n".join(lines).encode("utf-8"),
        ContentType="application/x-ndjson",
    )
    logger.info("export @K@: %d lines, %d skipped", len(lines), skipped)
    return len(lines)

"#,
    r#"
def scan_@K@(prefix):
    """Scan @K@: list objects under a prefix, page by page."""
    paginator = s3.get_paginator("list_objects_v2")
    found = []
    for page in paginator.paginate(Bucket=BUCKET, Prefix=f"{PREFIX}/{prefix}"):
        for obj in page.get("Contents", []):
            # Ignore folder markers and empty files.
            if obj["Key"].endswith("/") or obj["Size"] == 0:
                continue
            found.append(obj["Key"])
    found.sort()
    if len(found) > @M@00:
        logger.warning("scan @K@: %d objects, truncating", len(found))
        found = found[: @M@00]
    return found


def read_@K@(key):
    body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return json.loads(body)

"#,
    r#"
def notify_@K@(event_type, payload):
    """Notify @K@: queue the work and tell subscribers."""
    message = json.dumps({"type": event_type, "payload": payload, "v": @K@}, default=str)
    for attempt in range(3):
        try:
            sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=message)
            break
        except ClientError as err:
            if attempt == 2:
                raise
            logger.info("notify @K@: retry %d after %s", attempt, err)
            time.sleep(0.1 * (attempt + 1))
    sns.publish(
        TopicArn=os.environ["TOPIC_ARN"],
        Message=message,
        MessageAttributes={"type": {"DataType": "String", "StringValue": event_type}},
    )
    ddb.update_item(
        TableName=TABLE_NAME,
        Key={"pk": {"S": f"EVT#{event_type}"}},
        UpdateExpression="ADD sent :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )

"#,
];

fn python_handler(i: usize, target: usize) -> String {
    let mut out = fill(PY_HEADER, i, 0);
    let blocks = grow(&mut out, PY_BLOCKS, i, target, 1);
    out.push_str("\ndef handler(event, context):\n    \"\"\"Entry point: run every step over the batch.\"\"\"\n    records = event.get(\"Records\", [])\n    results = []\n    for record in records:\n        body = json.loads(record.get(\"body\", \"{}\"))\n");
    for k in 0..blocks {
        let call = match (i + k) % PY_BLOCKS.len() {
            0 => format!("        results.append(step_{k}(body, context))\n"),
            1 => format!("        results.append(export_{k}([body]))\n"),
            2 => format!("        results.extend(scan_{k}(body.get(\"prefix\", \"\")))\n"),
            _ => format!("        notify_{k}(\"processed\", body)\n"),
        };
        out.push_str(&call);
    }
    out.push_str("    for batch in chunked(results, 25):\n        audit(ddb, TABLE_NAME, {\"count\": len(batch)})\n    archive(s3, BUCKET, f\"{PREFIX}/runs/{context.aws_request_id}.json\", results)\n    return {\"processed\": len(records)}\n");
    out
}

const PY_HELPER_HEADER: &str = r#""""Helpers of function @I@: batching, retries, audit records, archives."""

import json
import logging
import time
from functools import wraps

logger = logging.getLogger(__name__)


def chunked(items, size):
    """Yields lists of at most `size` items."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def with_retries(attempts=3, delay=0.2):
    """Retries the decorated call on any exception, with a linear backoff."""

    def wrap(fn):
        @wraps(fn)
        def run(*args, **kwargs):
            for attempt in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except Exception:  # noqa: BLE001 - rethrown on the last attempt
                    if attempt == attempts - 1:
                        raise
                    time.sleep(delay * (attempt + 1))
            return None

        return run

    return wrap


def audit(ddb, table_name, entry):
    """Writes an audit record with the caller's DynamoDB client."""
    ddb.put_item(
        TableName=table_name,
        Item={"pk": {"S": f"AUDIT#{time.time_ns()}"}, "entry": {"S": json.dumps(entry)}},
    )


def archive(s3, bucket, key, results):
    """Archives a run's results with the caller's S3 client."""
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(results, default=str).encode("utf-8"))

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
    grow(&mut out, &[PY_HELPER_BLOCK], i, target, 0);
    out
}

// ---------------------------------------------------------------------------
// JavaScript, aws-sdk v2 (CommonJS)

const JS2_HEADER: &str = r#"'use strict';

// Function @I@: order events, enrichment and archiving.
// Generated for the faasguard benchmark; the shape follows real handlers.

const AWS = require('aws-sdk');
const SQS = require('aws-sdk/clients/sqs');
const { chunked, audit, archive } = require('./lib/store');

const s3 = new AWS.S3({ signatureVersion: 'v4' });
const sqs = new SQS();
const sns = new AWS.SNS();
const docClient = new AWS.DynamoDB.DocumentClient();

const { TABLE_NAME, BUCKET_NAME, QUEUE_URL } = process.env;
const PREFIX = process.env.PREFIX || 'data';

"#;

const JS2_BLOCKS: &[&str] = &[
    r#"
// Step @K@: load the record's current state and store the new one.
async function step@K@(record) {
  if (!record || !record.id) {
    console.debug('step @K@: skipping', record);
    return null;
  }
  const started = Date.now();
  const { Item: current = {} } = await docClient
    .get({ TableName: TABLE_NAME, Key: { pk: `REC#${record.id}` } })
    .promise();
  let total = 0;
  (record.values || []).forEach((value, n) => {
    if (n % 3 === 0) total += value * @M@;
    else if (n % 3 === 1) total -= value;
    else total += n;
  });
  const item = { ...current, pk: `REC#${record.id}`, total, step: @K@, updatedAt: new Date().toISOString() };
  await docClient.put({ TableName: TABLE_NAME, Item: item }).promise();
  console.debug(`step @K@ took ${Date.now() - started} ms`);
  return total;
}
"#,
    r#"
// Export @K@: write a batch of records as JSON lines to S3.
async function export@K@(records) {
  const lines = [];
  let skipped = 0;
  for (const rec of records) {
    if (rec.deleted) {
      skipped += 1;
      continue;
    }
    // Keep the export small: only the fields downstream jobs read.
    lines.push(JSON.stringify({ id: rec.id, total: String(rec.total || 0) }));
  }
  if (lines.length === 0) return 0;
  await s3
    .putObject({
      Bucket: BUCKET_NAME,
      Key: `${PREFIX}/export-@K@/${Date.now()}.jsonl`,
      Body: lines.join('\n'),
      ContentType: 'application/x-ndjson',
    })
    .promise();
  console.info(`export @K@: ${lines.length} lines, ${skipped} skipped`);
  return lines.length;
}
"#,
    r#"
// Notify @K@: queue the work (callback style) and tell subscribers.
function notify@K@(eventType, payload) {
  const message = JSON.stringify({ type: eventType, payload, v: @K@ });
  return new Promise((resolve, reject) => {
    sqs.sendMessage({ QueueUrl: QUEUE_URL, MessageBody: message }, (err, data) => {
      if (err) {
        console.warn('notify @K@ failed', err);
        reject(err);
        return;
      }
      sns.publish({ TopicArn: process.env.TOPIC_ARN, Message: message }, (err2) =>
        err2 ? reject(err2) : resolve(data.MessageId),
      );
    });
  });
}
"#,
];

fn js_v2_handler(i: usize, target: usize) -> String {
    let mut out = fill(JS2_HEADER, i, 0);
    let blocks = grow(&mut out, JS2_BLOCKS, i, target, 1);
    out.push_str("\nexports.handler = async (event, context) => {\n  const records = (event.Records || []).map((r) => JSON.parse(r.body || '{}'));\n  const results = [];\n  for (const body of records) {\n");
    for k in 0..blocks {
        let call = match (i + k) % JS2_BLOCKS.len() {
            0 => format!("    results.push(await step{k}(body));\n"),
            1 => format!("    results.push(await export{k}([body]));\n"),
            _ => format!("    await notify{k}('processed', body);\n"),
        };
        out.push_str(&call);
    }
    out.push_str("  }\n  for (const batch of chunked(results, 25)) await audit(docClient, TABLE_NAME, { count: batch.length });\n  await archive(s3, BUCKET_NAME, `${PREFIX}/runs/${context.awsRequestId}.json`, results);\n  return { processed: records.length };\n};\n");
    out
}

const JS2_HELPER_HEADER: &str = r#"'use strict';

// Helpers of function @I@: batching, audit records, archives.

function* chunked(items, size) {
  let batch = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

// Writes an audit record with the caller's DocumentClient.
function audit(docClient, tableName, entry) {
  return docClient
    .put({ TableName: tableName, Item: { pk: `AUDIT#${Date.now()}`, entry: JSON.stringify(entry) } })
    .promise();
}

// Archives a run's results with the caller's S3 client.
function archive(s3, bucket, key, results) {
  return s3.putObject({ Bucket: bucket, Key: key, Body: JSON.stringify(results) }).promise();
}

module.exports = { chunked, audit, archive };
"#;

const JS_HELPER_BLOCK: &str = r#"
// Normalises one field (@K@): trims, lowercases, bounds the length.
function normalise@K@(value) {
  if (value === null || value === undefined) return '';
  let text = String(value).trim().toLowerCase();
  if (text.length > @M@0) {
    console.debug(`normalise@K@: truncating ${text.length} chars`);
    text = text.slice(0, @M@0);
  }
  return text.replace(/\t/g, ' ');
}
"#;

fn js_v2_helper(i: usize, target: usize) -> String {
    let mut out = fill(JS2_HELPER_HEADER, i, 0);
    grow(&mut out, &[JS_HELPER_BLOCK], i, target, 0);
    out
}

// ---------------------------------------------------------------------------
// JavaScript (ESM) and TypeScript, @aws-sdk v3

const JS3_HEADER: &str = r#"// Function @I@: order events, enrichment and archiving.
// Generated for the faasguard benchmark; the shape follows real handlers.

import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { chunked, audit, archive } from './lib/store@EXT@';

const ddb = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(ddb);
const s3 = new S3Client({});
const sqs = new SQSClient({});
const sns = new SNSClient({});

const TABLE_NAME = process.env.TABLE_NAME;
const BUCKET_NAME = process.env.BUCKET_NAME;
const PREFIX = process.env.PREFIX ?? 'data';

"#;

const JS3_BLOCKS: &[&str] = &[
    r#"
// Step @K@: load the record's current state and store the new one.
async function step@K@(record@REC@)@RET@ {
  if (!record || !record.id) {
    console.debug('step @K@: skipping', record);
    return null;
  }
  const started = Date.now();
  const { Item: current = {} } = await doc.send(
    new GetCommand({ TableName: TABLE_NAME, Key: { pk: `REC#${record.id}` } }),
  );
  let total = 0;
  (record.values ?? []).forEach((value@NUM@, n@NUM@) => {
    if (n % 3 === 0) total += value * @M@;
    else if (n % 3 === 1) total -= value;
    else total += n;
  });
  const item = { ...current, pk: `REC#${record.id}`, total, step: @K@, updatedAt: new Date().toISOString() };
  await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: item }));
  console.debug(`step @K@ took ${Date.now() - started} ms`);
  return total;
}
"#,
    r#"
// Export @K@: stream a batch of records as JSON lines to S3.
async function export@K@(records@RECS@)@RET@ {
  const lines@LINES@ = [];
  let skipped = 0;
  for (const rec of records) {
    if (rec.deleted) {
      skipped += 1;
      continue;
    }
    // Keep the export small: only the fields downstream jobs read.
    lines.push(JSON.stringify({ id: rec.id, total: String(rec.total ?? 0) }));
  }
  if (lines.length === 0) return 0;
  const upload = new Upload({
    client: s3,
    params: { Bucket: BUCKET_NAME, Key: `${PREFIX}/export-@K@/${Date.now()}.jsonl`, Body: lines.join('\n') },
  });
  await upload.done();
  console.info(`export @K@: ${lines.length} lines, ${skipped} skipped`);
  return lines.length;
}
"#,
    r#"
// History @K@: every version of a record, page by page.
async function history@K@(id@STR@)@RETA@ {
  const out@ANYA@ = [];
  const pages = paginateQuery(
    { client: doc, pageSize: @M@0 },
    { TableName: TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `REC#${id}` } },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (item.deleted) continue;
      out.push(item);
    }
  }
  const raw = await s3.send(new GetObjectCommand({ Bucket: BUCKET_NAME, Key: `${PREFIX}/history/${id}.json` }));
  out.push(JSON.parse(await raw.Body.transformToString()));
  return out;
}
"#,
    r#"
// Notify @K@: queue the work, tell subscribers, count it.
async function notify@K@(eventType@STR@, payload@ANY@)@RETV@ {
  const message = JSON.stringify({ type: eventType, payload, v: @K@ });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: message }));
      break;
    } catch (err) {
      if (attempt === 2) throw err;
      console.info(`notify @K@: retry ${attempt}`, err);
    }
  }
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: message }));
  await ddb.send(
    new UpdateItemCommand({
      TableName: TABLE_NAME,
      Key: { pk: { S: `EVT#${eventType}` } },
      UpdateExpression: 'ADD sent :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  );
}
"#,
];

/// TypeScript annotations (empty for JavaScript).
fn typed(text: String, ts: bool) -> String {
    let pairs: &[(&str, &str, &str)] = &[
        ("@REC@", ": Rec", ""),
        ("@RECS@", ": Rec[]", ""),
        ("@RET@", ": Promise<number | null>", ""),
        ("@RETA@", ": Promise<unknown[]>", ""),
        ("@RETV@", ": Promise<void>", ""),
        ("@NUM@", ": number", ""),
        ("@STR@", ": string", ""),
        ("@ANY@", ": unknown", ""),
        ("@ANYA@", ": unknown[]", ""),
        ("@LINES@", ": string[]", ""),
        ("@EXT@", "", ".mjs"),
    ];
    let mut text = text;
    for (mark, t, j) in pairs {
        text = text.replace(mark, if ts { t } else { j });
    }
    text
}

const TS_TYPES: &str = r#"interface Rec {
  id: string;
  values?: number[];
  deleted?: boolean;
  total?: number;
}

"#;

fn js_v3_handler(i: usize, target: usize, ts: bool) -> String {
    let mut out = typed(fill(JS3_HEADER, i, 0), ts);
    if ts {
        out.push_str(TS_TYPES);
    }
    let blocks: Vec<String> = JS3_BLOCKS.iter().map(|b| typed((*b).to_string(), ts)).collect();
    let refs: Vec<&str> = blocks.iter().map(String::as_str).collect();
    let n = grow(&mut out, &refs, i, target, 1);
    if ts {
        out.push_str("\nexport const handler = async (event: { Records?: { body?: string }[] }, context: { awsRequestId: string }) => {\n");
    } else {
        out.push_str("\nexport const handler = async (event, context) => {\n");
    }
    out.push_str("  const records = (event.Records ?? []).map((r) => JSON.parse(r.body ?? '{}'));\n  const results = [];\n  for (const body of records) {\n");
    for k in 0..n {
        let call = match (i + k) % JS3_BLOCKS.len() {
            0 => format!("    results.push(await step{k}(body));\n"),
            1 => format!("    results.push(await export{k}([body]));\n"),
            2 => format!("    results.push(...(await history{k}(body.id)));\n"),
            _ => format!("    await notify{k}('processed', body);\n"),
        };
        out.push_str(&call);
    }
    out.push_str("  }\n  for (const batch of chunked(results, 25)) await audit(doc, TABLE_NAME, { count: batch.length });\n  await archive(s3, BUCKET_NAME, `${PREFIX}/runs/${context.awsRequestId}.json`, results);\n  return { processed: records.length };\n};\n");
    out
}

const JS3_HELPER_HEADER: &str = r#"// Helpers of function @I@: batching, audit records, archives.

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';

export function* chunked(items@ITEMS@, size@NUM@) {
  let batch = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

// Writes an audit record with the caller's document client.
export async function audit(doc@ANY2@, tableName@STR@, entry@ANY@) {
  await doc.send(
    new PutCommand({ TableName: tableName, Item: { pk: `AUDIT#${Date.now()}`, entry: JSON.stringify(entry) } }),
  );
}

// Archives a run's results with the caller's S3 client.
export async function archive(s3@ANY2@, bucket@STR@, key@STR@, results@ANY@) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(results) }));
}
"#;

fn js_v3_helper(i: usize, target: usize, ts: bool) -> String {
    let header = fill(JS3_HELPER_HEADER, i, 0)
        .replace("@ITEMS@", if ts { ": unknown[]" } else { "" })
        .replace("@ANY2@", if ts { ": { send(c: unknown): Promise<unknown> }" } else { "" });
    let mut out = typed(header, ts);
    grow(&mut out, &[JS_HELPER_BLOCK], i, target, 0);
    out
}

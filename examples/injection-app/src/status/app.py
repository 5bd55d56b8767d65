"""GET /jobs/{id}?password=...

A job's status and, once converted, the page count of its result. Public:
job ids are random UUIDs handed to the uploader. Written with care: the id
is parsed as a UUID, the query is parameterised and the only shell argument
from the request is quoted.
"""

import json
import os
import shlex
import subprocess
import uuid

import boto3
import psycopg2

s3 = boto3.client("s3")
secrets = boto3.client("secretsmanager")
BUCKET = os.environ["UPLOAD_BUCKET"]
_conn = None


def connection():
    global _conn
    if _conn is None or _conn.closed:
        secret = json.loads(secrets.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
        _conn = psycopg2.connect(
            host=os.environ["DB_HOST"],
            dbname="convert",
            user=secret["username"],
            password=secret["password"],
            connect_timeout=5,
        )
    return _conn


def page_count(result_key, job_id, password):
    local = f"/tmp/{job_id}.pdf"
    s3.download_file(BUCKET, result_key, local)
    # pdfinfo needs the user password of protected PDFs; quoted for the shell.
    out = subprocess.run(
        f"pdfinfo -upw {shlex.quote(password)} {local}",
        shell=True,
        capture_output=True,
        text=True,
        timeout=10,
    )
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split(":", 1)[1])
    return None


def handler(event, context):
    try:
        job_id = str(uuid.UUID(event["pathParameters"]["id"]))
    except (KeyError, TypeError, ValueError):
        return {"statusCode": 404, "body": json.dumps({"error": "no such job"})}
    params = event.get("queryStringParameters") or {}

    with connection().cursor() as cur:
        cur.execute("SELECT status, result_key FROM jobs WHERE id = %s", (job_id,))
        row = cur.fetchone()
    if row is None:
        return {"statusCode": 404, "body": json.dumps({"error": "no such job"})}
    status, result_key = row

    body = {"id": job_id, "status": status}
    if status == "done" and result_key:
        body["pages"] = page_count(result_key, job_id, params.get("password", ""))
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}

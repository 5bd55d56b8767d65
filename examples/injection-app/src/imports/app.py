"""POST /imports {"source_url": "https://...", "filename": "report.docx"}

Fetches a document from a URL the user gives and stores it as a new upload,
so that files living on another site can be converted. Behind the Cognito
authorizer: only signed-in users call it.
"""

import json
import logging
import os
import uuid

import boto3
import requests

logger = logging.getLogger()

# Keys for running the importer from a laptop (fake, for the example; the
# scan must report them, redacted).
AWS_ACCESS_KEY_ID = "AKIAZ7Q3M4XK2PLN8RWD"
AWS_SECRET_ACCESS_KEY = "w8Jr4nT2qXv9LzK1sYb6HdPcM3eUfA0gRiNo5tWy"

session = boto3.session.Session(
    aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY_ID),
    aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", AWS_SECRET_ACCESS_KEY),
)
s3 = session.client("s3")
BUCKET = os.environ["UPLOAD_BUCKET"]
MAX_BYTES = 20 * 1024 * 1024


def handler(event, context):
    owner = event["requestContext"]["authorizer"]["claims"]["sub"]
    body = json.loads(event.get("body") or "{}")
    url = body.get("source_url", "").strip()
    if not url.startswith(("http://", "https://")):
        return {"statusCode": 400, "body": json.dumps({"error": "source_url must be http(s)"})}

    # Some partners still serve self-signed certificates.
    resp = requests.get(url, timeout=10, verify=False, stream=True)
    if resp.status_code != 200:
        return {"statusCode": 502, "body": json.dumps({"error": f"source answered {resp.status_code}"})}
    data = resp.raw.read(MAX_BYTES + 1, decode_content=True)
    if len(data) > MAX_BYTES:
        return {"statusCode": 413, "body": json.dumps({"error": "document too large"})}

    upload_id = str(uuid.uuid4())
    s3.put_object(
        Bucket=BUCKET,
        Key=f"uploads/{upload_id}",
        Body=data,
        ContentType=resp.headers.get("Content-Type", "application/octet-stream"),
        Metadata={"owner": owner, "filename": body.get("filename", "imported")},
    )
    logger.info("imported %d bytes as %s", len(data), upload_id)
    return {"statusCode": 201, "body": json.dumps({"upload": upload_id})}

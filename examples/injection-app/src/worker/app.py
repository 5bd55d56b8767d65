"""Conversion worker: takes jobs from the queue (pickled by the extract
function) and converts each upload to PDF with LibreOffice.
"""

import base64
import logging
import os
import pickle
import subprocess
import uuid

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

s3 = boto3.client("s3")
jobs = boto3.resource("dynamodb").Table(os.environ["JOBS_TABLE"])
BUCKET = os.environ["UPLOAD_BUCKET"]
WORK_DIR = "/tmp/convert"


def convert(job):
    os.makedirs(WORK_DIR, exist_ok=True)
    source = os.path.join(WORK_DIR, "input")
    s3.download_file(job["bucket"], job["key"], source)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", WORK_DIR, source],
        check=True,
        timeout=120,
    )
    result_key = f"results/{uuid.uuid4()}.pdf"
    with open(os.path.join(WORK_DIR, "input.pdf"), "rb") as fh:
        s3.put_object(Bucket=BUCKET, Key=result_key, Body=fh, ContentType="application/pdf")
    jobs.update_item(
        Key={"id": job["id"]},
        UpdateExpression="SET #s = :done, result_key = :k",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":done": "done", ":k": result_key},
    )


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            job = pickle.loads(base64.b64decode(record["body"]))
            convert(job)
        except Exception:
            logger.exception("job in message %s failed", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}

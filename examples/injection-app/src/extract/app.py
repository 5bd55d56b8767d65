"""Runs on every upload under uploads/: copies the file to /tmp, extracts
the text of PDFs for search, and queues the conversion job for the worker.
"""

import base64
import logging
import os
import pickle
import subprocess
import time
from urllib.parse import unquote_plus

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

s3 = boto3.client("s3")
sqs = boto3.client("sqs")
jobs = boto3.resource("dynamodb").Table(os.environ["JOBS_TABLE"])
QUEUE_URL = os.environ["JOBS_QUEUE_URL"]
WORK_DIR = "/tmp/extract"


def extract_text(path):
    """The text of a PDF, for the search index (argument list, no shell)."""
    out = subprocess.run(["pdftotext", "-l", "20", path, "-"], capture_output=True, timeout=30)
    return out.stdout.decode("utf-8", errors="replace")[:100_000]


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        # Keep the uploaded name: the converters pick the format from it.
        local_path = os.path.join(WORK_DIR, key)
        os.makedirs(os.path.dirname(local_path), exist_ok=True)
        obj = s3.get_object(Bucket=bucket, Key=key)
        with open(local_path, "wb") as fh:
            fh.write(obj["Body"].read())

        text = extract_text(local_path) if key.lower().endswith(".pdf") else ""
        job_id = key.split("/")[1]
        jobs.put_item(Item={"id": job_id, "status": "queued", "text": text, "created": int(time.time())})
        job = {"id": job_id, "bucket": bucket, "key": key, "queued_at": time.time()}
        sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=base64.b64encode(pickle.dumps(job)).decode())
        logger.info("queued %s", job_id)

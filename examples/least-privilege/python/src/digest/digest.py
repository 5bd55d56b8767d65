"""Nightly digest: counts and sizes of yesterday's receipts, as CSV."""

import csv
import io
import os
from datetime import date, timedelta

import boto3

s3 = boto3.client("s3")
BUCKET = os.environ["RECEIPTS_BUCKET"]


def _receipts_since(day):
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=BUCKET, Prefix="receipts/"):
        for obj in page.get("Contents", []):
            if obj["LastModified"].date() >= day:
                yield obj


def handler(event, context):
    day = date.today() - timedelta(days=1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "bytes"])
    count = 0
    for obj in _receipts_since(day):
        writer.writerow([obj["Key"], obj["Size"]])
        count += 1
    prefix = os.environ["DIGEST_PREFIX"]
    s3.put_object(
        Bucket=BUCKET,
        Key=f"{prefix}/{day.isoformat()}.csv",
        Body=out.getvalue().encode("utf-8"),
        ContentType="text/csv",
    )
    return {"day": day.isoformat(), "receipts": count}

"""Receipts: a JSON copy of each order as the customer saw it."""

import json
import os

RECEIPTS_BUCKET = os.environ["RECEIPTS_BUCKET"]


def receipt_key(order_id):
    return f"receipts/{order_id}.json"


def store_receipt(s3, order_id, order):
    """Writes the receipt with the S3 client the caller already has."""
    key = f"receipts/{order_id}.json"
    s3.put_object(
        Bucket=RECEIPTS_BUCKET,
        Key=key,
        Body=json.dumps(order, default=str).encode("utf-8"),
        ContentType="application/json",
    )
    return key

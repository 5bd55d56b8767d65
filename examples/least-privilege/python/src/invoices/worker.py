"""SQS worker: renders the invoice of each queued order and files it in S3."""

import json
import logging
import os

import boto3

from render import render_invoice

logger = logging.getLogger()

dynamodb = boto3.client("dynamodb")
s3 = boto3.resource("s3")

ORDERS_TABLE = os.environ["ORDERS_TABLE"]
INVOICES_BUCKET = os.getenv("INVOICES_BUCKET", "shop-invoices")


def _load_order(order_id):
    resp = dynamodb.get_item(
        TableName=ORDERS_TABLE,
        Key={"pk": {"S": f"ORDER#{order_id}"}},
        ConsistentRead=True,
    )
    return resp.get("Item")


def handler(event, context):
    failures = []
    for record in event["Records"]:
        request = json.loads(record["body"])
        order_id = request["order_id"]
        order = _load_order(order_id)
        if order is None:
            logger.warning("order %s not found, dropping request", order_id)
            continue
        try:
            pdf = render_invoice(order)
        except ValueError:
            logger.exception("cannot render invoice for %s", order_id)
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        key = f"invoices/{order_id}.pdf"
        s3.Object(INVOICES_BUCKET, key).put(Body=pdf, ContentType="application/pdf")
        dynamodb.update_item(
            TableName=ORDERS_TABLE,
            Key={"pk": {"S": f"ORDER#{order_id}"}},
            UpdateExpression="SET invoice_key = :k, #s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":k": {"S": key}, ":s": {"S": "INVOICED"}},
        )
    return {"batchItemFailures": failures}

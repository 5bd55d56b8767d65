"""POST /orders: validate, store, keep a receipt, queue the invoice, announce."""

import json
import logging
import os
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import boto3

from receipts import store_receipt

logger = logging.getLogger()
logger.setLevel(os.getenv("LOG_LEVEL", "INFO"))

# Clients are created once per container, outside the handler.
dynamodb = boto3.resource("dynamodb")
orders = dynamodb.Table(os.environ["ORDERS_TABLE"])
s3 = boto3.client("s3")
sqs = boto3.client("sqs")
sns = boto3.client("sns")

INVOICE_QUEUE_URL = os.environ["INVOICE_QUEUE_URL"]
REQUIRED_FIELDS = ("customer_id", "items", "currency")


def _bad_request(message):
    return {"statusCode": 400, "body": json.dumps({"error": message})}


def _total(items):
    return sum(Decimal(str(i["unit_price"])) * int(i["quantity"]) for i in items)


def create_order(event, context):
    try:
        body = json.loads(event.get("body") or "{}", parse_float=Decimal)
    except json.JSONDecodeError:
        return _bad_request("body is not JSON")
    missing = [f for f in REQUIRED_FIELDS if f not in body]
    if missing:
        return _bad_request(f"missing fields: {', '.join(missing)}")

    order_id = str(uuid.uuid4())
    now = datetime.now(timezone.utc).isoformat()
    order = {
        "pk": f"ORDER#{order_id}",
        "order_id": order_id,
        "customer_id": body["customer_id"],
        "items": body["items"],
        "currency": body["currency"],
        "total": _total(body["items"]),
        "status": "NEW",
        "created_at": now,
    }
    orders.put_item(Item=order, ConditionExpression="attribute_not_exists(pk)")
    logger.info("stored order %s", order_id)

    receipt_key = store_receipt(s3, order_id, order)

    sqs.send_message(
        QueueUrl=INVOICE_QUEUE_URL,
        MessageBody=json.dumps({"order_id": order_id, "receipt": receipt_key}),
    )
    sns.publish(
        TopicArn=os.getenv("ORDER_EVENTS_TOPIC"),
        Subject="order.created",
        Message=json.dumps({"order_id": order_id, "total": str(order["total"])}),
    )
    return {"statusCode": 201, "body": json.dumps({"order_id": order_id})}

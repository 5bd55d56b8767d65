import os

import boto3

import audit
from receipts import store_receipt
from lib import helpers
from clients import orders

s3 = boto3.client("s3")
ddb = boto3.client("dynamodb")
sqs = boto3.resource("sqs")


def handler(event, context):
    store_receipt(s3, event["id"])
    audit.write(ddb, {"id": event["id"]})
    helpers.enqueue(queue=sqs.Queue(os.environ["QUEUE_URL"]), body="x")
    orders.put_item(Item={"pk": event["id"]})

"""Order lookups. Example code for faasguard: intentionally insecure."""
import json
import os

import boto3

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(os.environ["TABLE_NAME"])


def handler(event, context):
    order_id = (event.get("pathParameters") or {}).get("id")
    if order_id:
        item = table.get_item(Key={"id": order_id}).get("Item")
        return {"statusCode": 200, "body": json.dumps(item)}
    items = table.scan().get("Items", [])
    return {"statusCode": 200, "body": json.dumps(items)}

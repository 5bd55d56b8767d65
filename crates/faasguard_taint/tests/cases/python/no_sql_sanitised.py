import json

import boto3
from pymongo import MongoClient

users = MongoClient("mongodb://db")["app"]["users"]
table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    body = json.loads(event["body"])
    found = users.find_one({"name": str(body["name"])})
    items = table.scan(
        FilterExpression="owner = :v",
        ExpressionAttributeValues={":v": body["owner"]},
    )
    return {"statusCode": 200, "body": json.dumps([found, items])}

import json

import boto3
from pymongo import MongoClient

users = MongoClient("mongodb://db")["app"]["users"]
table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    query = json.loads(event["body"])
    found = users.find_one(query)
    field = event["queryStringParameters"]["field"]
    items = table.scan(FilterExpression=field + " = :v")
    return {"statusCode": 200, "body": json.dumps([found, items])}
# expect: NoSql users.find_one source=11 sink=12 steps=1 part=body
# expect: NoSql table.scan source=13 sink=14 steps=1 part=queryStringParameters.field

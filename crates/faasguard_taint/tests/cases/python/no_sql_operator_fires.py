import json

from pymongo import MongoClient

users = MongoClient("mongodb://db")["app"]["users"]


def handler(event, context):
    body = json.loads(event["body"])
    found = users.find_one({"user": body["user"], "password": body.get("password")})
    return {"statusCode": 200 if found else 401}
# expect: NoSql users.find_one source=9 sink=10 steps=1 part=body

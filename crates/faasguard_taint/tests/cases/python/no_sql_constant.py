import json

from pymongo import MongoClient

users = MongoClient("mongodb://db")["app"]["users"]
ACTIVE = {"active": True}


def handler(event, context):
    found = users.find(ACTIVE)
    return {"statusCode": 200, "body": json.dumps(list(found))}

import json

from pymongo import MongoClient

users = MongoClient("mongodb://db")["app"]["users"]


def handler(event, context):
    body = json.loads(event["body"])
    found = users.find_one({"user": str(body["user"]), "pin": int(body["pin"])})
    params = event["queryStringParameters"]
    other = users.find_one({"user": params["user"], "state": {"$eq": body["state"]}})
    return {"statusCode": 200 if found and other else 401}

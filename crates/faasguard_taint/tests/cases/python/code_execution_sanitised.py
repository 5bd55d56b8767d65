import json


def handler(event, context):
    n = int(json.loads(event["body"])["n"])
    result = eval("%d * 2" % n)
    return {"statusCode": 200, "body": str(result)}

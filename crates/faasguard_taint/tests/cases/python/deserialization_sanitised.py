import json

import yaml


def handler(event, context):
    a = yaml.safe_load(event["body"])
    b = yaml.load(event["body"], Loader=yaml.SafeLoader)
    c = json.loads(event["body"])
    return {"statusCode": 200, "body": str((a, b, c))}

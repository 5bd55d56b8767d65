import json
import os


def parse(event):
    body = json.loads(event["body"])
    return body["path"]


def constant(event):
    return "/tmp/fixed"


def handler(event, context):
    path = parse(event)
    other = constant(event)
    os.remove(path)
    os.remove(other)
    return {"statusCode": 200}
# expect: Path os.remove source=6 sink=17 steps=3 part=body

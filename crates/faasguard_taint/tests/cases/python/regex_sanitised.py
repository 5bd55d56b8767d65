import re


def handler(event, context):
    word = event["queryStringParameters"]["q"]
    rx = re.compile(r"\b" + re.escape(word) + r"\b")
    found = re.search(r"^[a-z]+$", word)
    return {"statusCode": 200, "body": str((rx, found))}

import os

HOME = os.environ.get("HOME_URL", "/home")


def handler(event, context):
    return {"statusCode": 301, "headers": {"Location": HOME}}

import os


def handler(event, context):
    name = os.path.basename(event["pathParameters"]["name"])
    with open(os.path.join("/tmp/files", name)) as f:
        data = f.read()
    return {"statusCode": 200, "body": data}

import os

DATA_DIR = os.environ.get("DATA_DIR", "/opt/data")


def handler(event, context):
    with open(os.path.join(DATA_DIR, "config.json")) as f:
        data = f.read()
    os.remove("/tmp/cache")
    return {"statusCode": 200, "body": data}

import os

import requests

API = os.environ["API_URL"]


def handler(event, context):
    r = requests.get(API + "/health", timeout=3)
    return {"statusCode": r.status_code}

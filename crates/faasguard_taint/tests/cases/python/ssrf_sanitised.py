from urllib.parse import quote

import requests

ALLOWED_HOSTS = {"https://a.example.com", "https://b.example.com"}


def handler(event, context):
    item = event["pathParameters"]["item"]
    r = requests.get("https://api.example.com/items/" + quote(item, safe=""))
    s = requests.get(f"https://api.example.com/items/{item}")
    base = event["queryStringParameters"]["base"]
    if base not in ALLOWED_HOSTS:
        return {"statusCode": 400}
    t = requests.get(base + "/health")
    return {"statusCode": 200, "body": r.text + s.text + t.text}

import json
import re

import requests


def handler(event, context):
    name = event["name"]
    idx = name.find("x")
    words = ",".join([name, "a"])
    words.find(name)
    ok = re.fullmatch(r"[a-z]+", name)
    requests.get("https://api.example.com/users", params={"name": name})
    print(json.dumps({"name": name}))
    return {"statusCode": 200, "body": str((idx, ok))}

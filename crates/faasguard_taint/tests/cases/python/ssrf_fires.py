import urllib.request

import requests


def handler(event, context):
    url = event["queryStringParameters"]["url"]
    r = requests.get(url, timeout=5)
    page = urllib.request.urlopen(f"{url}/status").read()
    return {"statusCode": 200, "body": r.text + page.decode()}
# expect: Ssrf requests.get source=7 sink=8 steps=1 part=queryStringParameters.url
# expect: Ssrf urllib.request.urlopen source=7 sink=9 steps=1 part=queryStringParameters.url

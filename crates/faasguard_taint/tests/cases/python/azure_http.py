import subprocess

import azure.functions as func
import requests


def main(req: func.HttpRequest) -> func.HttpResponse:
    url = req.params.get("url")
    body = req.get_json()
    requests.post(url, json=body)
    subprocess.run("convert " + body["file"], shell=True)
    return func.HttpResponse("ok")
# handler: app.other
# expect: Ssrf requests.post source=8 sink=10 steps=1 part=params.url
# expect: Command subprocess.run source=9 sink=11 steps=1 part=get_json()

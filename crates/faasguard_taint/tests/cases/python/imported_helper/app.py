import json

from util import run_cmd, build
from lib import store


def handler(event, context):
    body = json.loads(event["body"])
    run_cmd(body["cmd"])
    cmd = build(event["queryStringParameters"]["arg"])
    store.save(body["file"], "data")
    return {"statusCode": 200, "cmd": cmd}
# expect: Command subprocess.run source=8 sink=util.py:5 steps=2 part=body
# expect: Command subprocess.run source=10 sink=util.py:5 steps=3 part=queryStringParameters.arg
# expect: Path open source=8 sink=store.py:2 steps=2 part=body

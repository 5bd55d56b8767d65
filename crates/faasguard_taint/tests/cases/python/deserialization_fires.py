import base64
import pickle

import yaml


def handler(event, context):
    raw = base64.b64decode(event["body"])
    obj = pickle.loads(raw)
    conf = yaml.load(event["headers"]["X-Config"])
    return {"statusCode": 200, "body": str((obj, conf))}
# expect: Deserialization pickle.loads source=8 sink=9 steps=1 part=body
# expect: Deserialization yaml.load source=10 sink=10 steps=0 part=headers.X-Config

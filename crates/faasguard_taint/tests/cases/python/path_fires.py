import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    name = event["pathParameters"]["name"]
    path = os.path.join("/tmp/files", name)
    with open(path) as f:
        data = f.read()
    s3.put_object(Bucket="uploads", Key=event["queryStringParameters"]["key"], Body=data)
    return {"statusCode": 200}
# expect: Path open source=9 sink=11 steps=2 part=pathParameters.name
# expect: Path s3.put_object source=13 sink=13 steps=0 part=queryStringParameters.key

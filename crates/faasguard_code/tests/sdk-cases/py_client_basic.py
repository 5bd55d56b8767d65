import os
import json
import boto3

BUCKET = os.environ["BUCKET_NAME"]
PREFIX = os.getenv("PREFIX", "uploads/")
REPORTS = "reports"

s3 = boto3.client("s3")
ddb = boto3.client("dynamodb", region_name="eu-west-1")


def handler(event, context):
    key = event["key"]
    obj = s3.get_object(Bucket=BUCKET, Key=key)
    s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}{REPORTS}/out.json", Body=json.dumps(event))
    s3.list_objects_v2(Bucket=os.environ.get("OTHER_BUCKET"), Prefix=PREFIX + "x")
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=BUCKET):
        pass
    s3.get_waiter("object_exists").wait(Bucket=BUCKET, Key=key)
    ddb.put_item(TableName="orders-" + os.environ["STAGE"], Item={"id": {"S": key}})
    boto3.client("secretsmanager").get_secret_value(SecretId="prod/db")
    return obj

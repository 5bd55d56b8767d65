import boto3

from store import save

s3 = boto3.client("s3")


def handler(event, context):
    save(s3, "a")

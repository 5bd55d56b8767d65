import os
import boto3
from boto3.dynamodb.conditions import Key

s3 = boto3.client("s3")
params = {"Bucket": "in-bucket", "Key": "a"}


def handler(event, context):
    s3.upload_file("/tmp/report.csv", os.environ["OUT_BUCKET"], "report.csv")
    s3.download_file("in-bucket", event["key"], "/tmp/in")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "in-bucket", "Key": "x"}, ExpiresIn=60)
    s3.head_object(**params)
    s3.delete_object(**dict(Bucket="in-bucket", Key="gone"))
    boto3.resource("s3").meta.client.copy({"Bucket": "a", "Key": "b"}, "c", "d")
    return url

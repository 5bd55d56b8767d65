import json
import logging

import boto3

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table("imports")
logger = logging.getLogger()


def handler(event, context):
    obj = s3.get_object(Bucket="uploads", Key=event["Records"][0]["s3"]["object"]["key"])
    content = obj["Body"].read().decode("utf-8")
    logger.info("imported %s", content)
    print(content)
    table.put_item(Item={"id": "latest", "data": json.loads(content)})
    return {"statusCode": 200}

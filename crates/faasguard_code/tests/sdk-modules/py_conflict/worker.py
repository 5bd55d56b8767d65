import boto3

import store

sqs = boto3.client("sqs")


def handler(event, context):
    store.save(sqs, "b")

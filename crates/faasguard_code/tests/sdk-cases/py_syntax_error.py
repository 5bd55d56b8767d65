import boto3

sqs = boto3.client("sqs")

def broken(:
    pass

def handler(event, context):
    sqs.send_message(QueueUrl="https://queue", MessageBody=)
    sqs.delete_message(QueueUrl="https://queue", ReceiptHandle=event["rh"])

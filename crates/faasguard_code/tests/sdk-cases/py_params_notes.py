import boto3

s3 = boto3.client("s3")
sqs = boto3.client("sqs")


def copy_to(client, bucket):
    client.put_object(Bucket=bucket, Key="k")


def drain(queue_client, url):
    queue_client.receive_message(QueueUrl=url)


def helper(thing):
    thing.put_item(TableName="t", Item={})


def handler(event, context, table=None):
    copy_to(s3, "dest-bucket")
    drain(sqs, "https://sqs/queue")
    name = event["method"]
    getattr(s3, name)(Bucket="b")
    getattr(s3, "delete_object")(Bucket="b", Key="k")
    table.delete_item(Key={})
    for service in ["s3", "sqs"]:
        c = boto3.client(service)
        c.list_buckets()
    s3.get_waiter("something_new").wait(Bucket="b")
    helper(event["client"])

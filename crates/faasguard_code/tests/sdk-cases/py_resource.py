import os
import boto3

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(os.environ["TABLE_NAME"])
s3 = boto3.resource("s3")


def handler(event, context):
    table.put_item(Item={"pk": event["id"]})
    item = table.get_item(Key={"pk": event["id"]})
    table.query(KeyConditionExpression="pk = :p")
    with table.batch_writer() as batch:
        batch.put_item(Item={"pk": "x"})
    other = boto3.resource("dynamodb").Table("audit")
    other.update_item(Key={"pk": "a"}, UpdateExpression="SET n = :n")
    s3.Object("media-bucket", f"thumbs/{event['id']}.png").put(Body=b"")
    bucket = s3.Bucket(os.environ["ARCHIVE"])
    for o in bucket.objects.filter(Prefix="2024/"):
        pass
    bucket.download_file("a.txt", "/tmp/a.txt")
    queue = boto3.resource("sqs").Queue(os.environ["QUEUE_URL"])
    queue.send_message(MessageBody="hi")
    return item

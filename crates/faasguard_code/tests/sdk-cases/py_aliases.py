import boto3 as aws
from boto3 import client as make_client
from boto3.session import Session
import os as operating_system
from os import environ

session = Session()
sns = session.client("sns")
lam = make_client("lambda")
sfn = aws.session.Session(region_name="us-east-1").client("stepfunctions")
kms = None


class Store:
    sqs = aws.client("sqs")

    def __init__(self):
        self.events = aws.client("events")

    def send(self, body):
        self.sqs.send_message(QueueUrl=environ["QUEUE_URL"], MessageBody=body)
        self.events.put_events(Entries=[])


def handler(event, context):
    global kms
    if kms is None:
        kms = aws.client("kms")
    sns.publish(TopicArn=operating_system.environ["TOPIC_ARN"], Message="x")
    lam.invoke(FunctionName=f"worker-{environ['STAGE']}", Payload=b"{}")
    sfn.start_execution(stateMachineArn=environ.get("MACHINE_ARN"), input="{}")
    ssm = aws.client("ssm")
    alias = ssm
    alias.get_parameter(Name="/app/config", WithDecryption=True)
    kms.decrypt(CiphertextBlob=b"")

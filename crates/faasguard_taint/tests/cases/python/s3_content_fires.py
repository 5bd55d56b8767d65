import json
import pickle
import subprocess

import boto3
import yaml

s3 = boto3.client("s3")
storage = boto3.resource("s3")


def handler(event, context):
    record = event["Records"][0]
    obj = s3.get_object(Bucket="uploads", Key="model.pkl")
    model = pickle.loads(obj["Body"].read())
    conf = storage.Object("uploads", "conf.yml").get()["Body"].read().decode()
    settings = yaml.load(conf)
    job = json.loads(s3.get_object(Bucket="uploads", Key="job.json")["Body"].read())
    subprocess.run(job["cmd"], shell=True)
    return {"statusCode": 200, "body": str((record, model, settings))}
# expect: Deserialization pickle.loads source=14 sink=15 steps=1 part=s3 object content
# expect: Deserialization yaml.load source=16 sink=17 steps=1 part=s3 object content
# expect: Command subprocess.run source=18 sink=19 steps=1 part=s3 object content

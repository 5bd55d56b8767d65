import subprocess


def process(evt):
    host = evt["queryStringParameters"]["host"]
    return subprocess.check_output("dig " + host, shell=True)


def handler(event, context):
    return {"statusCode": 200, "body": process(event)}
# expect: Command subprocess.check_output source=5 sink=6 steps=2 part=queryStringParameters.host

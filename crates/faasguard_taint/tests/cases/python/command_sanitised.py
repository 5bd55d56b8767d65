import os
import shlex
import subprocess


def handler(event, context):
    host = event["queryStringParameters"]["host"]
    os.system("ping -c 1 " + shlex.quote(host))
    subprocess.run(["ping", "-c", "1", host])
    count = int(event["queryStringParameters"]["count"])
    os.system(f"ping -c {count} example.com")
    return {"statusCode": 200}

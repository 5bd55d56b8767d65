import os
import subprocess


def handler(event, context):
    params = event["queryStringParameters"]
    host = params["host"]
    os.system("ping -c 1 " + host)
    subprocess.run(f"nslookup {host}", shell=True)
    out = subprocess.check_output(["sh", "-c", "dig " + host])
    return {"statusCode": 200, "body": out}
# expect: Command os.system source=6 sink=8 steps=2 part=queryStringParameters
# expect: Command subprocess.run source=6 sink=9 steps=2 part=queryStringParameters
# expect: Command subprocess.check_output source=6 sink=10 steps=2 part=queryStringParameters

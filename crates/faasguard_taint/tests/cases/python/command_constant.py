import os
import subprocess

TARGET = os.environ["TARGET_HOST"]


def handler(event, context):
    os.system("ping -c 1 " + TARGET)
    subprocess.run("uptime", shell=True)
    return {"statusCode": 200}

import os


def run(cmd):
    full = "sh -c '" + cmd + "'"
    os.system(full)


def safe(cmd):
    os.system("uptime")


def handler(event, context):
    run(event["detail"]["command"])
    safe(event["detail"]["command"])
    run("date")
    return {"statusCode": 200}
# expect: Command os.system source=14 sink=6 steps=2 part=detail.command

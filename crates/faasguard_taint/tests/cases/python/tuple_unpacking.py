import os


def handler(event, context):
    name, count = event["name"], 3
    first, second = event["pair"]
    os.system("echo " + name)
    os.system("echo %d" % count)
    os.system(second)
    return {"statusCode": 200}
# expect: Command os.system source=5 sink=7 steps=1 part=name
# expect: Command os.system source=6 sink=9 steps=1 part=pair

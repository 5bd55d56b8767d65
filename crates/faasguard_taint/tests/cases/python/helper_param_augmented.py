import os


def listing(path, flags=""):
    cmd = "ls "
    cmd += flags
    path += "/"
    os.system(cmd + path)


def handler(event, context):
    listing("/tmp", flags=event["flags"])
    listing(event["dir"])
    return {"statusCode": 200}
# expect: Command os.system source=12 sink=8 steps=2 part=flags
# expect: Command os.system source=13 sink=8 steps=2 part=dir

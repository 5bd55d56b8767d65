import os

ALLOWED = {"alpha", "beta"}


def handler(event, context):
    env = event["env"]
    if env in ALLOWED:
        os.system("deploy " + env)
    os.system("deploy " + env)
    return {"statusCode": 200}
# expect: Command os.system source=7 sink=10 steps=1 part=env

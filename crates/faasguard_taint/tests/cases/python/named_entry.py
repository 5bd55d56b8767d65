import os


def handler(event, context):
    os.system("echo hi")


def lambda_handler(evt, ctx):
    os.system(evt["cmd"])
# handler: app.lambda_handler
# expect: Command os.system source=9 sink=9 steps=0 part=cmd

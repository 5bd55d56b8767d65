import os


def handler(event, context):
    os.system("echo " + context.function_name)
    os.system("echo " + context.aws_request_id)
    return {"statusCode": 200}

import os

FORMULA = os.environ.get("FORMULA", "1 + 1")


def handler(event, context):
    result = eval(FORMULA)
    exec("x = 1")
    return {"statusCode": 200, "body": str(result)}

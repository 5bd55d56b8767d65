import json


def handler(event, context):
    expr = json.loads(event["body"])["expr"]
    result = eval(expr)
    return {"statusCode": 200, "body": str(result)}
# expect: CodeExecution eval source=5 sink=6 steps=1 part=body

ALLOWED = {"/home", "/orders"}


def handler(event, context):
    target = event["queryStringParameters"]["next"]
    if target not in ALLOWED:
        return {"statusCode": 400, "body": "bad redirect"}
    return {"statusCode": 302, "headers": {"Location": target}}

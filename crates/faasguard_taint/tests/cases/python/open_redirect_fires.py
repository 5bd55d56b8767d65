def handler(event, context):
    target = event["queryStringParameters"]["next"]
    return {
        "statusCode": 302,
        "headers": {"Location": target},
    }
# expect: OpenRedirect Location header source=2 sink=3 steps=1 part=queryStringParameters.next

import re


def handler(event, context):
    pattern = event["queryStringParameters"]["q"]
    rx = re.compile(pattern)
    hits = [line for line in open("/opt/words.txt") if re.search(pattern, line)]
    return {"statusCode": 200, "body": str((rx, hits))}
# expect: Regex re.compile source=5 sink=6 steps=1 part=queryStringParameters.q
# expect: Regex re.search source=5 sink=7 steps=1 part=queryStringParameters.q

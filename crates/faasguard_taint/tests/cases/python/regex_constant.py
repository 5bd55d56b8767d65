import os
import re

PATTERN = os.environ.get("PATTERN", r"^[a-z0-9-]+$")


def handler(event, context):
    ok = re.match(PATTERN, "value")
    return {"statusCode": 200, "body": str(ok)}

"""Admin operations. Example code for faasguard: intentionally insecure."""
import json

import boto3

iam = boto3.client("iam")


def handler(event, context):
    body = json.loads(event.get("body") or "{}")
    users = iam.list_users().get("Users", [])
    return {"statusCode": 200, "body": json.dumps({"requested": body, "users": len(users)}, default=str)}

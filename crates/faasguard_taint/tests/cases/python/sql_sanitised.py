import json

import boto3
import pymysql

conn = pymysql.connect(host="db", user="app")
ddb = boto3.client("dynamodb")


def handler(event, context):
    body = json.loads(event["body"])
    with conn.cursor() as cursor:
        cursor.execute("SELECT * FROM users WHERE name = %s", (body["name"],))
        cursor.execute("SELECT * FROM users WHERE id = %d" % int(body["id"]))
    ddb.execute_statement(
        Statement="SELECT * FROM Orders WHERE id = ?",
        Parameters=[{"S": body["id"]}],
    )
    return {"statusCode": 200}

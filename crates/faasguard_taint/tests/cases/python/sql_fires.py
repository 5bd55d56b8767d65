import json

import pymysql

conn = pymysql.connect(host="db", user="app")


def handler(event, context):
    body = json.loads(event["body"])
    name = body["name"]
    query = "SELECT * FROM users WHERE name = '%s'" % name
    with conn.cursor() as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    cursor.execute("DELETE FROM t WHERE id = {}".format(body["id"]))
    return {"statusCode": 200, "body": json.dumps(rows)}
# expect: Sql cursor.execute source=9 sink=13 steps=3 part=body
# expect: Sql cursor.execute source=9 sink=15 steps=1 part=body

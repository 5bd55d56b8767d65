import os

import pymysql

TABLE = os.environ.get("TABLE", "users")
conn = pymysql.connect(host="db", user="app")


def handler(event, context):
    cursor = conn.cursor()
    cursor.execute("SELECT count(*) FROM " + TABLE)
    return {"statusCode": 200, "body": str(cursor.fetchone())}

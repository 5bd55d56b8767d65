import psycopg2


def find_user(conn, name):
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
    return cur.fetchall()


def find_safe(conn, name):
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM users WHERE name = %s", (name,))
        return cur.fetchall()


def handler(event, context):
    conn = psycopg2.connect("dbname=app")
    find_user(conn, event["queryStringParameters"]["name"])
    find_safe(conn, event["queryStringParameters"]["name"])
    return {"statusCode": 200}
# expect: Sql cur.execute source=18 sink=6 steps=1 part=queryStringParameters.name

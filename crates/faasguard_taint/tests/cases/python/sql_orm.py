import pandas as pd
from django.db import connection
from sqlalchemy import create_engine, text

engine = create_engine("postgresql://db/app")


def handler(event, context):
    day = event["queryStringParameters"]["day"]
    with engine.connect() as conn:
        conn.execute(text(f"SELECT * FROM sales WHERE day = '{day}'"))
        conn.execute(text("SELECT * FROM sales WHERE day = :d"), {"d": day})
    frame = pd.read_sql("SELECT * FROM t WHERE d = '" + day + "'", engine)
    connection.execute("DELETE FROM t WHERE d = '%s'" % day)
    return {"statusCode": 200, "body": frame.to_json()}
# expect: Sql conn.execute source=9 sink=11 steps=1 part=queryStringParameters.day
# expect: Sql pandas.read_sql source=9 sink=13 steps=1 part=queryStringParameters.day
# expect: Sql connection.execute source=9 sink=14 steps=1 part=queryStringParameters.day

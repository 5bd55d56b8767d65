import boto3

ddb = boto3.client("dynamodb")
rds = boto3.client("rds-data")


def handler(event, context):
    oid = event["pathParameters"]["id"]
    ddb.execute_statement(Statement=f"SELECT * FROM Orders WHERE id = '{oid}'")
    rds.execute_statement(resourceArn="arn", secretArn="s", sql="SELECT * FROM o WHERE id = " + oid)
    rds.execute_statement(resourceArn="arn", secretArn="s", sql="SELECT * FROM o WHERE id = :id",
                          parameters=[{"name": "id", "value": {"stringValue": oid}}])
    return {"statusCode": 200}
# expect: Sql ddb.execute_statement source=8 sink=9 steps=1 part=pathParameters.id
# expect: Sql rds.execute_statement source=8 sink=10 steps=1 part=pathParameters.id

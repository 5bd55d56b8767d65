import { S3, waitUntilObjectExists } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateQuery, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { LambdaClient, InvokeCommand, InvokeCommandOutput } from "@aws-sdk/client-lambda";

const s3: S3 = new S3({ region: "eu-west-1" });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: {} });
const lambda = new LambdaClient({});
const TABLE = process.env["ORDERS_TABLE"] ?? "orders";

export async function handler(): Promise<InvokeCommandOutput> {
  await s3.putObject({ Bucket: "reports", Key: "r.csv", Body: "" });
  await waitUntilObjectExists({ client: s3, maxWaitTime: 30 }, { Bucket: "reports", Key: "r.csv" });
  for await (const page of paginateQuery({ client: doc }, { TableName: TABLE, KeyConditionExpression: "pk = :p" })) {
    void page;
  }
  await doc.send(new UpdateCommand({ TableName: TABLE, Key: { pk: "a" }, UpdateExpression: "SET n = :n" }));
  const fn = <string>process.env.TARGET_FUNCTION;
  return lambda.send(new InvokeCommand({ FunctionName: fn, Payload: new TextEncoder().encode("{}") }));
}

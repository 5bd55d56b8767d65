// GET (function URL, IAM auth): has the report of a month been generated?

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  const month = event.queryStringParameters?.month;
  if (!/^\d{4}-\d{2}$/.test(month ?? '')) {
    return { statusCode: 400, body: JSON.stringify({ error: 'month=YYYY-MM' }) };
  }
  const { Item } = await ddb.send(
    new GetCommand({ TableName: process.env.RUNS_TABLE, Key: { month } }),
  );
  return {
    statusCode: Item ? 200 : 404,
    body: JSON.stringify(Item ?? { month, ready: false }),
  };
};

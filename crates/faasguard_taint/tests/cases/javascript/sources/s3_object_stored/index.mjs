import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const s3 = new S3Client({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

// S3 object content that is only logged, copied and stored reaches no sink.
export const handler = async (event) => {
  const key = event.Records[0].s3.object.key;
  const res = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: 'in/data.csv' }));
  const text = await res.Body.transformToString();
  console.log('read', text.length, text.slice(0, 100));
  await s3.send(new PutObjectCommand({ Bucket: process.env.OUT, Key: 'out/data.csv', Body: text }));
  await ddb.send(new PutCommand({ TableName: process.env.TABLE, Item: { id: 'latest', text, key } }));
  return { statusCode: 200, body: JSON.stringify({ size: text.length }) };
};

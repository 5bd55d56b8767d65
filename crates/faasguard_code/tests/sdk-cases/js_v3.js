import { S3Client, GetObjectCommand, PutObjectCommand, paginateListObjectsV2, S3 } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import * as sm from '@aws-sdk/client-secrets-manager';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { Upload } from '@aws-sdk/lib-storage';
import { EventBridgeClient, PutEventsCommand as Put } from '@aws-sdk/client-eventbridge';

const s3 = new S3Client({});
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const doc = DynamoDBDocument.from(new DynamoDBClient({}));
const sfn = new SFNClient({});
const secrets = new sm.SecretsManagerClient({});
const agg = new S3({});
const eb = new EventBridgeClient();
const TABLE = process.env.TABLE;

export const handler = async (event) => {
  const out = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: event.key }));
  const cmd = new PutObjectCommand({ Bucket: 'static-bucket', Key: `a/${event.key}` });
  await s3.send(cmd);
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'list-bucket', Prefix: 'p/' })) {
    console.log(page);
  }
  await ddb.send(new PutCommand({ TableName: TABLE, Item: { id: 1 } }));
  await ddb.send(new QueryCommand({ TableName: TABLE }));
  await doc.get({ TableName: 'direct-table', Key: { id: 1 } });
  await sfn.send(new StartExecutionCommand({ stateMachineArn: process.env.STATE_MACHINE_ARN, input: '{}' }));
  await secrets.send(new sm.GetSecretValueCommand({ SecretId: 'prod/api-key' }));
  await agg.deleteObject({ Bucket: 'static-bucket', Key: 'old' });
  await eb.send(new Put({ Entries: [] }));
  const upload = new Upload({ client: s3, params: { Bucket: 'uploads', Key: 'big.bin', Body: out.Body } });
  await upload.done();
};

import { S3 } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
import { archive, record } from './util.mjs';
import * as util from './util.mjs';

const s3 = new S3({});
const doc = DynamoDBDocument.from(new DynamoDBClient({}));

export const handler = async (event) => {
  await archive(s3, `runs/${event.id}.json`);
  await record(doc, event.id);
  await util.remove(s3, event.old);
};

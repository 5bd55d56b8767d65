// Renders last month's sales report (CSV + HTML summary) into the reports
// bucket, records the run and queues a "report ready" notification.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PassThrough } from 'node:stream';

import { lastMonth, toCsvRow } from './util.mjs';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const s3 = new S3Client({});
const sqs = new SQSClient({});

const { SALES_TABLE, RUNS_TABLE, REPORTS_BUCKET, TEMPLATES_BUCKET } = process.env;

async function loadTemplate() {
  const res = await s3.send(
    new GetObjectCommand({ Bucket: TEMPLATES_BUCKET, Key: 'templates/monthly.html' }),
  );
  return res.Body.transformToString();
}

export const handler = async () => {
  const month = lastMonth(new Date());
  const csv = new PassThrough();
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: REPORTS_BUCKET,
      Key: `reports/${month}/sales.csv`,
      Body: csv,
      ContentType: 'text/csv',
    },
  });
  const done = upload.done();

  let total = 0;
  let count = 0;
  csv.write('sale_id,amount,currency\n');
  const pages = paginateQuery(
    { client: ddb, pageSize: 500 },
    {
      TableName: SALES_TABLE,
      KeyConditionExpression: '#m = :m',
      ExpressionAttributeNames: { '#m': 'month' },
      ExpressionAttributeValues: { ':m': month },
    },
  );
  for await (const page of pages) {
    for (const sale of page.Items ?? []) {
      csv.write(toCsvRow([sale.sale_id, sale.amount, sale.currency]));
      total += Number(sale.amount);
      count += 1;
    }
  }
  csv.end();
  await done;

  const template = await loadTemplate();
  const html = template.replace('{{month}}', month).replace('{{total}}', total.toFixed(2));
  await new Upload({
    client: s3,
    params: { Bucket: REPORTS_BUCKET, Key: `reports/${month}/summary.html`, Body: html },
  }).done();

  await ddb.send(
    new PutCommand({
      TableName: RUNS_TABLE,
      Item: { month, count, total, finishedAt: new Date().toISOString() },
    }),
  );
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: process.env.READY_QUEUE_URL,
      MessageBody: JSON.stringify({ month, count, total }),
    }),
  );
  return { month, count, total };
};

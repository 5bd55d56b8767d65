'use strict';
const AWS = require('aws-sdk');
const SQS = require('aws-sdk/clients/sqs');

const s3 = new AWS.S3({ region: 'eu-west-1' });
const docClient = new AWS.DynamoDB.DocumentClient();
const sqs = new SQS();
const { TABLE_NAME, QUEUE_URL: queueUrl } = process.env;
const BUCKET = process.env.BUCKET || 'fallback-bucket';

exports.handler = async (event) => {
  const params = { Bucket: BUCKET, Key: `incoming/${event.id}.json` };
  const obj = await s3.getObject(params).promise();
  s3.putObject({ ...params, Body: 'x' }, (err) => { if (err) throw err; });
  await docClient.put({ TableName: TABLE_NAME, Item: { id: event.id } }).promise();
  await docClient.query({ TableName: process.env['INDEX_TABLE'], KeyConditionExpression: 'id = :id' }).promise();
  await docClient.transactWrite({ TransactItems: [] }).promise();
  await sqs.sendMessage({ QueueUrl: queueUrl, MessageBody: 'done' }).promise();
  const lambda = new AWS.Lambda();
  await lambda.invoke({ FunctionName: 'worker-' + process.env.STAGE }).promise();
  await s3.upload({ Bucket: 'big-bucket', Key: 'k', Body: obj.Body }).promise();
  const url = s3.getSignedUrl('getObject', { Bucket: BUCKET, Key: 'k' });
  await s3.waitFor('objectExists', { Bucket: BUCKET, Key: 'k' }).promise();
  return url;
};

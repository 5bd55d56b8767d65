'use strict';

const AWS = require('aws-sdk');
const store = require('./lib/store');
const { audit } = require('./lib/store');
const { queue } = require('./lib/clients');

const s3 = new AWS.S3();
const docClient = new AWS.DynamoDB.DocumentClient();

exports.handler = async (event) => {
  await store.save(s3, event.key);
  await audit(docClient, { id: event.key });
  await queue.sendMessage({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'x' }).promise();
};

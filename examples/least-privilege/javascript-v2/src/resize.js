'use strict';

// S3 ObjectCreated on incoming/: make a 320px thumbnail, record it and tell
// the gallery service it is ready.

const AWS = require('aws-sdk');
const SQS = require('aws-sdk/clients/sqs');
const sharp = require('sharp');
const path = require('path');

const s3 = new AWS.S3({ signatureVersion: 'v4' });
const sqs = new SQS();
const docClient = new AWS.DynamoDB.DocumentClient();

const { UPLOADS_BUCKET, THUMBNAILS_BUCKET } = process.env;
const THUMB_WIDTH = 320;

function notifyReady(message) {
  return new Promise((resolve, reject) => {
    sqs.sendMessage(
      { QueueUrl: process.env.READY_QUEUE_URL, MessageBody: JSON.stringify(message) },
      (err, data) => (err ? reject(err) : resolve(data.MessageId)),
    );
  });
}

async function resizeOne(record) {
  const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
  // incoming/<albumId>/<file>
  const [, albumId, file] = key.split('/');
  const original = await s3.getObject({ Bucket: UPLOADS_BUCKET, Key: key }).promise();

  const thumb = await sharp(original.Body).resize({ width: THUMB_WIDTH }).jpeg().toBuffer();
  const thumbKey = `thumbs/${albumId}/${path.parse(file).name}.jpg`;
  await s3
    .putObject({
      Bucket: THUMBNAILS_BUCKET,
      Key: thumbKey,
      Body: thumb,
      ContentType: 'image/jpeg',
      CacheControl: 'max-age=31536000',
    })
    .promise();

  await docClient
    .put({
      TableName: process.env.ASSETS_TABLE,
      Item: { albumId, assetId: file, thumbKey, bytes: thumb.length, createdAt: Date.now() },
    })
    .promise();

  return notifyReady({ albumId, assetId: file, thumbKey });
}

exports.handler = async (event) => {
  const results = await Promise.allSettled(event.Records.map(resizeOne));
  const failed = results.filter((r) => r.status === 'rejected');
  failed.forEach((r) => console.error('resize failed', r.reason));
  return { resized: results.length - failed.length, failed: failed.length };
};

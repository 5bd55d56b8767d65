'use strict';

// GET /albums/{albumId}/thumbnails: the album's thumbnails with short-lived
// links.

const AWS = require('aws-sdk');

const docClient = new AWS.DynamoDB.DocumentClient();
const s3 = new AWS.S3();
const TABLE = process.env.ASSETS_TABLE;

exports.handler = async (event) => {
  const { albumId } = event.pathParameters;
  const result = await docClient
    .query({
      TableName: TABLE,
      KeyConditionExpression: 'albumId = :a',
      ExpressionAttributeValues: { ':a': albumId },
      Limit: 100,
    })
    .promise();

  const items = await Promise.all(
    result.Items.map(async (item) => {
      const head = await s3
        .headObject({ Bucket: process.env.THUMBNAILS_BUCKET, Key: item.thumbKey })
        .promise();
      return { assetId: item.assetId, bytes: head.ContentLength, key: item.thumbKey };
    }),
  );
  return { statusCode: 200, body: JSON.stringify({ albumId, items }) };
};

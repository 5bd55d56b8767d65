// Report generation. Example code for faasguard: intentionally insecure.
const AWS = require('aws-sdk');
const s3 = new AWS.S3();

exports.handler = async (event) => {
  const key = event.queryStringParameters && event.queryStringParameters.report;
  const obj = await s3.getObject({ Bucket: process.env.REPORTS_BUCKET, Key: key }).promise();
  return { statusCode: 200, body: obj.Body.toString('utf-8') };
};

const AWS = require('aws-sdk');
const serialize = require('node-serialize');

const s3 = new AWS.S3();

exports.handler = async () => {
  const params = { Bucket: process.env.BUCKET, Key: 'session.dat' };
  const data = await s3.getObject(params).promise();
  const session = serialize.unserialize(data.Body.toString('utf-8'));
  return eval(session.expr);
};
// expect: Deserialization node-serialize.unserialize part=s3 object content source=8 sink=9 steps=8
// expect: CodeExecution eval part=s3 object content source=8 sink=10 steps=8,9

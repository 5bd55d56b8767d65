const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async (event) => {
  const params = { Bucket: process.env.BUCKET, Body: event.body };
  params.Key = `uploads/${event.pathParameters.name}`;
  await s3.send(new PutObjectCommand(params));
  const args = [];
  args.push(event.headers['x-name']);
  return s3.send(new PutObjectCommand({ Bucket: 'b', Key: args.join('/'), Body: 'x' }));
};
// expect: Path @aws-sdk/client-s3.PutObjectCommand part=pathParameters.name source=5 sink=6 steps=5
// expect: Path @aws-sdk/client-s3.PutObjectCommand part=headers.x-name source=8 sink=9 steps=8

import AWS from 'aws-sdk';
import S3 from 'aws-sdk/clients/s3';
import { SNS, DynamoDB } from 'aws-sdk';

class Repo {
  constructor() {
    this.s3 = new S3();
    this.db = new DynamoDB.DocumentClient({ convertEmptyValues: true });
  }

  async load(id) {
    const res = await this.s3.getObject({ Bucket: process.env.DATA_BUCKET, Key: id }).promise();
    await this.db.batchGet({ RequestItems: {} }).promise();
    return res;
  }
}

const clients = {};
for (const name of ['SQS', 'SNS']) {
  clients[name] = new AWS[name]();
}

export async function handler(event) {
  const sns = new SNS();
  sns.publish({ TopicArn: `arn:aws:sns:${process.env.AWS_REGION}:123456789012:alerts`, Message: 'x' }, () => {});
  const ddb = new AWS.DynamoDB();
  await ddb.describeTable({ TableName: 'meta' }).promise();
  await clients.SQS.sendMessage({ QueueUrl: 'q', MessageBody: 'b' }).promise();
  return new Repo().load(event.id);
}

const AWS = require('aws-sdk');
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');

const s3 = new AWS.S3();
const sns = new SNSClient({});

function save(client, key) {
  return client.putObject({ Bucket: 'saved', Key: key }).promise();
}

const notify = async (snsClient, message) => {
  await snsClient.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: message }));
};

async function other(dynamo, thing) {
  await dynamo.put({ TableName: 'loose', Item: {} }).promise();
  await thing.doWork({ Name: 'x' });
}

module.exports.handler = async (event) => {
  await save(s3, event.key);
  await notify(sns, 'hello');
  const method = event.op;
  await s3[method]({ Bucket: 'b' }).promise();
  await s3['deleteObject']({ Bucket: 'b', Key: 'k' }).promise();
  const mod = require(event.module);
  await other(event.a, event.b);
};

const { DynamoDBDocumentClient, ScanCommand } = require('@aws-sdk/lib-dynamodb');
const doc = DynamoDBDocumentClient.from(client);
exports.handler = async (event) => {
  const status = event.queryStringParameters.status;
  return doc.send(new ScanCommand({ TableName: 't', FilterExpression: `status = ${status}` }));
};
// expect: NoSql @aws-sdk/lib-dynamodb.ScanCommand part=queryStringParameters.status source=4 sink=5 steps=4

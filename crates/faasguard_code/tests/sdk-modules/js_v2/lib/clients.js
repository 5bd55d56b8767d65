const SQS = require('aws-sdk/clients/sqs');

const queue = new SQS();

module.exports = { queue };

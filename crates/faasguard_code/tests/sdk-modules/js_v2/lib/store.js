'use strict';

exports.save = function (client, key) {
  return client.putObject({ Bucket: process.env.BUCKET, Key: key, Body: '{}' }).promise();
};

function audit(doc, item) {
  return doc.put({ TableName: process.env.AUDIT_TABLE, Item: item }).promise();
}

module.exports.audit = audit;

const { MongoClient } = require('mongodb');
const db = new MongoClient(process.env.URI).db('app');

exports.handler = async (event) => {
  const users = db.collection('users');
  const query = JSON.parse(event.body);
  return users.findOne(query);
};
// expect: NoSql users.findOne part=body source=6 sink=7 steps=6

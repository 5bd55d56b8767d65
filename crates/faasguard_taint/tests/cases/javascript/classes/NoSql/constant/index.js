const { MongoClient } = require('mongodb');
const db = new MongoClient(process.env.URI).db('app');

exports.handler = async (event) => {
  const users = db.collection('users');
  return users.find({ active: true, $where: 'this.age > 18' }).toArray();
};

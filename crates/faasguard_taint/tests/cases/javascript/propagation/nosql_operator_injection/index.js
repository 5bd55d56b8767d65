const { MongoClient } = require('mongodb');
const db = new MongoClient(process.env.URI).db('app');

exports.handler = async (event) => {
  const users = db.collection('users');
  const body = JSON.parse(event.body);
  const user = await users.findOne({ user: body.user, password: body.password });
  const { email } = body;
  const filter = { email };
  await users.deleteOne(filter);
  return { statusCode: user ? 200 : 401 };
};
// expect: NoSql users.findOne part=body source=6 sink=7 steps=6
// expect: NoSql users.deleteOne part=body source=6 sink=10 steps=6,8

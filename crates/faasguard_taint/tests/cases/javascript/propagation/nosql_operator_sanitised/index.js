const { MongoClient } = require('mongodb');
const db = new MongoClient(process.env.URI).db('app');

// Values converted to strings or numbers, or read from the query string
// (always strings), cannot carry query operators.
exports.handler = async (event) => {
  const users = db.collection('users');
  const body = JSON.parse(event.body);
  const user = await users.findOne({ user: String(body.user), password: `${body.password}` });
  await users.updateOne({ age: Number(body.age) }, { $set: { seen: true } });
  const q = event.queryStringParameters;
  await users.find({ name: q.name, team: event.queryStringParameters.team }).toArray();
  return { statusCode: user ? 200 : 401 };
};

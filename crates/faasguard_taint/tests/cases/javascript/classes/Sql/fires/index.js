const { Client } = require('pg');
const client = new Client();

exports.handler = async (event) => {
  const id = event.pathParameters.id;
  const sql = "SELECT * FROM users WHERE id = '" + id + "'";
  return client.query(sql);
};
// expect: Sql client.query part=pathParameters.id source=5 sink=7 steps=5,6

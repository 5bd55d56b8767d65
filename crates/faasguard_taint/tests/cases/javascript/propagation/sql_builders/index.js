const knex = require('knex')({ client: 'mysql' });
const mysql = require('mysql2/promise');
exports.handler = async (event) => {
  const conn = await mysql.createConnection({});
  const { sort, name } = event.queryStringParameters;
  await knex('users').orderByRaw(sort);
  await knex.raw(`select * from users where name = '${name}'`);
  await conn.execute(`select * from t where n = '${name}'`);
};
// expect: Sql knex.orderByRaw part=queryStringParameters.sort source=5 sink=6 steps=5
// expect: Sql knex.raw part=queryStringParameters.name source=5 sink=7 steps=5
// expect: Sql conn.execute part=queryStringParameters.name source=5 sink=8 steps=5

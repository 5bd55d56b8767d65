const { Client } = require('pg');
const knex = require('knex')({ client: 'pg' });
const { Sequelize } = require('sequelize');
const client = new Client();
const sequelize = new Sequelize('postgres://db');

exports.handler = async (event) => {
  const id = event.pathParameters.id;
  await client.query('SELECT * FROM users WHERE id = $1', [id]);
  await knex.raw('select * from users where id = ?', [id]);
  await sequelize.query('SELECT * FROM users WHERE id = :id', { replacements: { id } });
  return client.query({ text: 'SELECT * FROM users WHERE id = $1', values: [id] });
};

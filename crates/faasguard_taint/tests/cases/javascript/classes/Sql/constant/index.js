const mysql = require('mysql');
const connection = mysql.createConnection({});
exports.handler = async (event) => {
  const table = 'users';
  connection.query('SELECT COUNT(*) FROM ' + table);
  return event.id;
};

const fs = require('fs');
exports.handler = async (event) => {
  const config = fs.readFileSync(__dirname + '/config.json', 'utf8');
  return { config, id: event.id };
};

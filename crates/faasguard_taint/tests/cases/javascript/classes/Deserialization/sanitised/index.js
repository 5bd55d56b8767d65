const serialize = require('node-serialize');
const yaml = require('js-yaml');

exports.handler = async (event) => {
  const n = Number(event.body);
  yaml.load(event.body, { schema: yaml.JSON_SCHEMA });
  return serialize.unserialize(JSON.stringify({ n }));
};

const serialize = require('node-serialize');

exports.handler = async (event) => {
  const raw = Buffer.from(event.body, 'base64').toString();
  return serialize.unserialize(raw);
};
// expect: Deserialization node-serialize.unserialize part=body source=4 sink=5 steps=4

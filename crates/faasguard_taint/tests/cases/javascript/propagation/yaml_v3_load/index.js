const yaml = require('js-yaml');
exports.handler = async (event) => yaml.load(event.body);
// expect: Deserialization js-yaml.load part=body source=2 sink=2 steps=

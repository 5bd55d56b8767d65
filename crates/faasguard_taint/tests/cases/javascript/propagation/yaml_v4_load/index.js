const yaml = require('js-yaml');
exports.handler = async (event) => yaml.load(event.body);

const { unserialize } = require('node-serialize');
exports.handler = async (event) => unserialize('{"a":1}');

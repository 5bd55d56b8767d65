const fs = require('fs');
const path = require('path');

exports.handler = async (event) => {
  const file = path.join('/tmp', event.pathParameters.name);
  return fs.readFileSync(file, 'utf8');
};
// expect: Path fs.readFileSync part=pathParameters.name source=5 sink=6 steps=5

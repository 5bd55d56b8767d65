const fs = require('fs/promises');
const path = require('node:path');

exports.handler = async (event) => {
  const name = path.basename(event.pathParameters.name);
  await fs.readFile(path.join('/tmp', name));
  return fs.unlink('/tmp/' + encodeURIComponent(event.pathParameters.other));
};

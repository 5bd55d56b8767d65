const fs = require('fs/promises');
exports.handler = async (event) => {
  const name = (await Promise.resolve(event?.queryStringParameters?.file)) ?? 'default';
  return await fs.readFile(name);
};
// expect: Path fs.readFile part=queryStringParameters.file source=3 sink=4 steps=3

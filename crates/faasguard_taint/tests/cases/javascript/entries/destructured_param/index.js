const { exec } = require('child_process');
exports.handler = async ({ body, queryStringParameters: { q } }) => {
  exec(body);
  exec(q);
};
// expect: Command child_process.exec part=body source=3 sink=3 steps=
// expect: Command child_process.exec part=queryStringParameters.q source=4 sink=4 steps=
